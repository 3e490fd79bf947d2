#include "watch_command.h"

#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "cli_failure.h"
#include "tapi_app.h"
#include "tapi_text.h"
#include "text.h"

namespace opentapi::cli {
namespace {

const char* watched_name(DWORD msg) {
  switch (msg) {
    case LINE_AGENTSESSIONSTATUS:
      return "LINE_AGENTSESSIONSTATUS";
    case LINE_AGENTSTATUSEX:
      return "LINE_AGENTSTATUSEX";
    case LINE_QUEUESTATUS:
      return "LINE_QUEUESTATUS";
    case LINE_GROUPSTATUS:
      return "LINE_GROUPSTATUS";
    case LINE_PROXYSTATUS:
      return "LINE_PROXYSTATUS";
    case LINE_AGENTSTATUS:
      return "LINE_AGENTSTATUS";
    case LINE_AGENTSPECIFIC:
      return "LINE_AGENTSPECIFIC";
    case LINE_CLOSE:
      return "LINE_CLOSE";
    case LINE_APPNEWCALL:
      return "LINE_APPNEWCALL";
    case LINE_CALLSTATE:
      return "LINE_CALLSTATE";
    case LINE_CALLINFO:
      return "LINE_CALLINFO";
    default:
      return nullptr;
  }
}

// Human text and JSON members describing one message.
std::pair<std::string, std::string> describe(const LINEMESSAGE& m) {
  const auto p1 = static_cast<DWORD>(m.dwParam1);
  const auto p2 = static_cast<DWORD>(m.dwParam2);
  const auto p3 = static_cast<DWORD>(m.dwParam3);
  std::string text, js;
  auto add = [&](const std::string& key, const std::string& value, bool quoted) {
    text += " " + key + "=" + value;
    js += ",\"" + key + "\":" + (quoted ? json_str(value) : value);
  };
  switch (m.dwMessageID) {
    case LINE_AGENTSESSIONSTATUS:
      add("session", std::to_string(p1), false);
      add("changed",
          flags(p2, {{LINEAGENTSESSIONSTATUS_NEWSESSION, "NEWSESSION"},
                     {LINEAGENTSESSIONSTATUS_STATE, "STATE"},
                     {LINEAGENTSESSIONSTATUS_UPDATEINFO, "UPDATEINFO"}}),
          true);
      if (p2 & LINEAGENTSESSIONSTATUS_STATE) add("state", session_state_name(p3), true);
      break;
    case LINE_AGENTSTATUSEX:
      add("agent", std::to_string(p1), false);
      add("changed",
          flags(p2, {{LINEAGENTSTATUSEX_NEWAGENT, "NEWAGENT"},
                     {LINEAGENTSTATUSEX_STATE, "STATE"},
                     {LINEAGENTSTATUSEX_UPDATEINFO, "UPDATEINFO"}}),
          true);
      if (p2 & LINEAGENTSTATUSEX_STATE) add("state", agent_state_name(p3), true);
      break;
    case LINE_QUEUESTATUS:
      add("queue", std::to_string(p1), false);
      add("changed",
          flags(p2, {{LINEQUEUESTATUS_UPDATEINFO, "UPDATEINFO"},
                     {LINEQUEUESTATUS_NEWQUEUE, "NEWQUEUE"},
                     {LINEQUEUESTATUS_QUEUEREMOVED, "QUEUEREMOVED"}}),
          true);
      break;
    case LINE_GROUPSTATUS:
      add("changed",
          flags(p2, {{LINEGROUPSTATUS_NEWGROUP, "NEWGROUP"}, {LINEGROUPSTATUS_GROUPREMOVED, "GROUPREMOVED"}}), true);
      break;
    case LINE_PROXYSTATUS:
      add("status",
          flags(p1, {{LINEPROXYSTATUS_OPEN, "OPEN"},
                     {LINEPROXYSTATUS_CLOSE, "CLOSE"},
                     {LINEPROXYSTATUS_ALLOPENFORACD, "ALLOPENFORACD"}}),
          true);
      if (p1 & (LINEPROXYSTATUS_OPEN | LINEPROXYSTATUS_CLOSE)) add("request", request_type_name(p2), true);
      break;
    case LINE_AGENTSTATUS:
      add("address", std::to_string(p1), false);
      add("changed",
          flags(p2, {{LINEAGENTSTATUS_GROUP, "GROUP"},
                     {LINEAGENTSTATUS_STATE, "STATE"},
                     {LINEAGENTSTATUS_NEXTSTATE, "NEXTSTATE"},
                     {LINEAGENTSTATUS_ACTIVITY, "ACTIVITY"},
                     {LINEAGENTSTATUS_ACTIVITYLIST, "ACTIVITYLIST"},
                     {LINEAGENTSTATUS_GROUPLIST, "GROUPLIST"},
                     {LINEAGENTSTATUS_CAPSCHANGE, "CAPSCHANGE"},
                     {LINEAGENTSTATUS_VALIDSTATES, "VALIDSTATES"},
                     {LINEAGENTSTATUS_VALIDNEXTSTATES, "VALIDNEXTSTATES"}}),
          true);
      if (p2 & LINEAGENTSTATUS_STATE) add("state", address_agent_state_name(p3), true);
      break;
    case LINE_AGENTSPECIFIC:
      add("extension", std::to_string(p1), false);
      add("param2", std::to_string(p2), false);
      add("param3", std::to_string(p3), false);
      break;
    case LINE_APPNEWCALL:
      add("address", std::to_string(p1), false);
      add("call", std::to_string(p2), false);
      add("privilege", call_privilege_name(p3), true);
      break;
    case LINE_CALLSTATE: {
      add("call", std::to_string(static_cast<DWORD>(m.hDevice)), false);
      add("state", call_state_name(p1), true);
      const std::string detail = call_state_detail(p1, p2);
      if (!detail.empty()) add("detail", detail, true);
      break;
    }
    case LINE_CALLINFO:
      add("call", std::to_string(static_cast<DWORD>(m.hDevice)), false);
      add("changed", call_info_name(p1), true);
      break;
    default:
      break;
  }
  return {text, js};
}

}  // namespace

int cmd_watch(const GlobalOptions& g, const WatchArgs& a) {
  Tapi tapi(g.timeout);
  for (DWORD d = 0; d < tapi.num_devs(); ++d) tapi.open(d);
  // Call messages come on the call's handle: the line is the one its
  // LINE_APPNEWCALL came on.
  std::map<HCALL, DWORD> call_lines;
  std::set<HCALL> ended_calls;  // handles given back at IDLE
  std::map<std::string, unsigned long> counts;
  unsigned long total = 0;
  auto print_summary = [&](const char* when) {
    if (g.json) {
      std::string s = "{\"time\":" + json_str(now_stamp()) + ",\"summary\":" + json_str(when) +
                      ",\"total\":" + std::to_string(total) + ",\"counts\":{";
      bool first = true;
      for (const auto& [k, v] : counts) {
        s += std::string(first ? "" : ",") + json_str(k) + ":" + std::to_string(v);
        first = false;
      }
      std::printf("%s}}\n", s.c_str());
    } else {
      std::string s;
      for (const auto& [k, v] : counts) s += " " + k + "=" + std::to_string(v);
      std::printf("%s %s: %lu messages%s\n", now_stamp().c_str(), when, total, s.c_str());
    }
    std::fflush(stdout);
  };
  if (!g.json) {
    std::printf("%s watching %" PRIu32 " lines (Ctrl-C to stop)\n", now_stamp().c_str(), tapi.num_devs());
    std::fflush(stdout);
  }
  const auto start = std::chrono::steady_clock::now();
  auto next_summary = start + std::chrono::seconds(10);
  while (!interrupted()) {
    const auto now = std::chrono::steady_clock::now();
    if (a.seconds > 0 && now - start >= std::chrono::duration<double>(a.seconds)) break;
    if (a.summary && now >= next_summary) {
      print_summary("summary");
      next_summary += std::chrono::seconds(10);
    }
    auto m = tapi.next(100);
    if (!m) continue;
    Tapi::check_lost(*m);
    const char* name = watched_name(m->dwMessageID);
    if (!name) continue;
    const bool call_message = m->dwMessageID == LINE_CALLSTATE || m->dwMessageID == LINE_CALLINFO;
    // A handle given back at IDLE may still hear of the other owners
    // leaving (LINE_CALLINFO): that call is over, say nothing.
    if (call_message && ended_calls.contains(static_cast<HCALL>(m->hDevice))) continue;
    ++counts[name];
    ++total;
    DWORD device = tapi.device_of(m->hDevice);
    auto [text, js] = describe(*m);
    if (m->dwMessageID == LINE_APPNEWCALL) {
      const auto call = static_cast<HCALL>(m->dwParam2);
      call_lines[call] = device;
      // Who calls whom, once per call: a desktop's screen pop.
      if (const auto parties = call_parties(call)) {
        text += " from=" + (parties->caller.empty() ? std::string("unknown") : parties->caller) +
                (parties->caller_name.empty() ? "" : " (" + parties->caller_name + ")") +
                " to=" + (parties->called.empty() ? std::string("unknown") : parties->called) +
                " callid=" + std::to_string(parties->call_id);
        js += ",\"from\":" + json_str(parties->caller) + ",\"from_name\":" + json_str(parties->caller_name) +
              ",\"to\":" + json_str(parties->called) + ",\"callid\":" + std::to_string(parties->call_id);
      }
    } else if (call_message) {
      const auto call = static_cast<HCALL>(m->hDevice);
      const auto known = call_lines.find(call);
      device = known == call_lines.end() ? 0xFFFFFFFFu : known->second;
      if (m->dwMessageID == LINE_CALLSTATE && m->dwParam1 == LINECALLSTATE_IDLE && known != call_lines.end()) {
        // The call is over: give the monitor's handle back (docs/calls.md).
        lineDeallocateCall(call);
        call_lines.erase(known);
        if (ended_calls.size() >= 4096) ended_calls.clear();  // handles are not reused soon
        ended_calls.insert(call);
      }
    }
    if (g.json)
      std::printf("{\"time\":%s,\"line\":%" PRIu32 ",\"message\":%s%s}\n", json_str(now_stamp()).c_str(), device,
                  json_str(name).c_str(), js.c_str());
    else
      std::printf("%s line %" PRIu32 " %s%s\n", now_stamp().c_str(), device, name, text.c_str());
    std::fflush(stdout);
  }
  print_summary("total");
  return kExitOk;
}

}  // namespace opentapi::cli
