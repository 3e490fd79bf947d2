#include "call_command.h"

#include <chrono>
#include <cstdio>
#include <string>

#include "cli_failure.h"
#include "tapi_text.h"
#include "text.h"
#include "wide_text.h"

namespace opentapi::cli {
namespace {

using Clock = std::chrono::steady_clock;

// One event line: "<time> <text>", or with --json one object per line.
void print_event(const GlobalOptions& g, const std::string& text, const std::string& json_members) {
  if (g.json)
    std::printf("{\"time\":%s%s}\n", json_str(now_stamp()).c_str(), json_members.c_str());
  else
    std::printf("%s %s\n", now_stamp().c_str(), text.c_str());
  std::fflush(stdout);
}

std::string timeout_text(long ms) { return seconds_text(static_cast<double>(ms) / 1000.0); }

}  // namespace

// Places the call as OWNER of --line for interactive voice and follows it
// until IDLE. A DISCONNECTED or BUSY call is dropped to end it, as a TAPI
// application must (the far end being gone does not free our appearance);
// --hangup-after S drops it S seconds after it was placed, Ctrl-C at once.
int cmd_call(const GlobalOptions& g, const CallArgs& a) {
  Tapi tapi(g.timeout);
  const HLINE line = tapi.open(g.line, LINECALLPRIVILEGE_OWNER, LINEMEDIAMODE_INTERACTIVEVOICE);
  const auto started = Clock::now();
  const DWORD address = a.address.value_or(0);
  print_event(g, "calling " + a.number + " from line " + std::to_string(g.line) + " address " + std::to_string(address),
              ",\"event\":\"calling\",\"number\":" + json_str(a.number) + ",\"line\":" + std::to_string(g.line) +
                  ",\"address\":" + std::to_string(address));

  LINECALLPARAMS params{};
  params.dwTotalSize = sizeof params;
  params.dwBearerMode = LINEBEARERMODE_VOICE;
  params.dwMediaMode = LINEMEDIAMODE_INTERACTIVEVOICE;
  params.dwAddressMode = LINEADDRESSMODE_ADDRESSID;
  params.dwAddressID = address;
  const std::wstring number = utf8_to_wide(a.number);
  HCALL call = 0;
  const LONG request = lineMakeCallW(line, &call, number.c_str(), 0, a.address ? &params : nullptr);
  if (request < 0) tapi_fail("lineMakeCallW", request);

  bool replied = false;
  bool connected = false;
  bool dropping = false;
  bool stopped = false;  // Ctrl-C
  LONG drop_request = 0;
  DWORD end_state = 0, end_detail = 0;  // the first DISCONNECTED or BUSY and its mode
  Clock::time_point placed{}, connected_at{};
  const auto reply_deadline = started + std::chrono::milliseconds(tapi.timeout_ms());
  auto hang_up = [&](const std::string& why) {
    if (dropping) return;
    dropping = true;
    print_event(g, "hanging up (" + why + ")", ",\"event\":\"hangup\",\"reason\":" + json_str(why));
    drop_request = lineDrop(call, nullptr, 0);
    if (drop_request < 0) tapi_fail("lineDrop", drop_request);
  };
  for (;;) {
    const auto now = Clock::now();
    if (interrupted() && !stopped) {
      stopped = true;
      // Before the LINE_REPLY the call has no handle to drop; lineShutdown
      // (when the Tapi goes) releases whatever the request made.
      if (!replied) throw Failure(kExitInterrupted, 0, "lineMakeCallW: interrupted");
      hang_up("interrupted");
    }
    if (!replied && now >= reply_deadline)
      throw Failure(kExitTimeout, 0,
                    "lineMakeCallW: no LINE_REPLY for request " + std::to_string(request) + " within " +
                        timeout_text(tapi.timeout_ms()) + " s (--timeout)");
    if (replied && a.hangup_after > 0 && now - placed >= std::chrono::duration<double>(a.hangup_after))
      hang_up("--hangup-after " + seconds_text(a.hangup_after));
    const auto m = tapi.next(50);
    if (!m) continue;
    Tapi::check_lost(*m);
    if (m->dwMessageID == LINE_REPLY && static_cast<LONG>(m->dwParam1) == request) {
      const auto result = static_cast<LONG>(static_cast<DWORD>(m->dwParam2));
      print_event(g, std::string("LINE_REPLY lineMakeCallW: ") + (result == 0 ? "OK" : lineerr_name(result)),
                  ",\"event\":\"reply\",\"function\":\"lineMakeCallW\",\"result\":" + std::to_string(result) +
                      ",\"error\":" + (result == 0 ? "null" : json_str(lineerr_name(result))));
      if (result != 0) tapi_fail("lineMakeCallW", result);
      replied = true;
      placed = Clock::now();
      continue;
    }
    if (m->dwMessageID == LINE_REPLY && drop_request > 0 && static_cast<LONG>(m->dwParam1) == drop_request) {
      const auto result = static_cast<LONG>(static_cast<DWORD>(m->dwParam2));
      if (result != 0) tapi_fail("lineDrop", result);
      continue;
    }
    // The call's states may come before the LINE_REPLY (the handle is
    // written when lineMakeCallW returns): match on the handle alone.
    if (m->dwMessageID != LINE_CALLSTATE || call == 0 || static_cast<HCALL>(m->hDevice) != call) continue;
    const auto state = static_cast<DWORD>(m->dwParam1);
    const auto detail = static_cast<DWORD>(m->dwParam2);
    const std::string detail_text = call_state_detail(state, detail);
    print_event(g, call_state_name(state) + (detail_text.empty() ? "" : " " + detail_text),
                ",\"event\":\"state\",\"state\":" + json_str(call_state_name(state)) +
                    ",\"detail\":" + (detail_text.empty() ? "null" : json_str(detail_text)));
    if (state == LINECALLSTATE_CONNECTED && !connected) {
      connected = true;
      connected_at = Clock::now();
    }
    if (state == LINECALLSTATE_DISCONNECTED || state == LINECALLSTATE_BUSY) {
      if (end_state == 0) {
        end_state = state;
        end_detail = detail;
      }
      // The far end is gone: dropping our side ends the call (IDLE).
      hang_up(state == LINECALLSTATE_BUSY ? "busy" : "the other side hung up");
    }
    if (state == LINECALLSTATE_IDLE) break;
  }
  lineDeallocateCall(call);
  const auto ended = Clock::now();
  const double total = std::chrono::duration<double>(ended - started).count();
  const double talk = connected ? std::chrono::duration<double>(ended - connected_at).count() : 0.0;
  // Reaching nobody (a number nobody has, busy, rejected…) is a failure of
  // the call; an answered call, or one hung up here, ended normally.
  const bool failed = !connected && !stopped && end_state != 0 &&
                      !(end_state == LINECALLSTATE_DISCONNECTED && end_detail == LINEDISCONNECTMODE_NORMAL);
  const int exit = stopped ? kExitInterrupted : failed ? kExitTapi : kExitOk;
  const std::string why = failed ? call_state_name(end_state) + " " + call_state_detail(end_state, end_detail) : "";
  print_event(
      g,
      "call ended after " + seconds_text(total) + " s" +
          (connected ? " (connected " + seconds_text(talk) + " s)" : " (never connected)") + (failed ? ": " + why : ""),
      ",\"event\":\"end\",\"seconds\":" + seconds_text(total) + ",\"connected\":" + (connected ? "true" : "false") +
          ",\"talk_seconds\":" + seconds_text(talk) + ",\"exit\":" + std::to_string(exit));
  if (failed) {
    std::fprintf(stderr, "opentapi: the call to %s failed: %s%s\n", a.number.c_str(), why.c_str(),
                 end_detail == LINEDISCONNECTMODE_BADADDRESS && end_state == LINECALLSTATE_DISCONNECTED
                     ? " (nobody has that number)"
                     : "");
  }
  return exit;
}

}  // namespace opentapi::cli
