// opentapi — command-line tool for the call center. See docs/cli.md.
//
// The telephony commands are written only against the public TAPI 2 C API of
// libopentapi (tapi.h): every asynchronous function is followed by a wait for
// its LINE_REPLY (by request id) through lineGetMessage in event mode,
// bounded by --timeout. Two kinds of command stand apart: the supervisor
// listings read opentapid's HTTP API (supervisor_commands.h), because TAPI
// cannot list every agent, and `simulate` runs the reference ACD's model in
// this process (simulate_command.h).
#include <signal.h>
#include <strings.h>
#include <tapi.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "call_text.h"
#include "cli_failure.h"
#include "simulate_command.h"
#include "supervisor_commands.h"
#include "text.h"

namespace {

using namespace opentapi::cli;  // NOLINT: the CLI's own helpers, used throughout

constexpr DWORD kApiLow = 0x00020000;
constexpr DWORD kApiHigh = 0x00030001;

// ---------------------------------------------------------------------------
// LINEERR_* value → name: the one mapping function.
const char* lineerr_name(LONG code) {
  switch (static_cast<DWORD>(code)) {
#define E(n, v) \
  case v:       \
    return "LINEERR_" #n;
    E(ALLOCATED, 0x80000001u)
    E(BADDEVICEID, 0x80000002u)
    E(BEARERMODEUNAVAIL, 0x80000003u)
    E(CALLUNAVAIL, 0x80000005u)
    E(COMPLETIONOVERRUN, 0x80000006u)
    E(CONFERENCEFULL, 0x80000007u)
    E(DIALBILLING, 0x80000008u)
    E(DIALDIALTONE, 0x80000009u)
    E(DIALPROMPT, 0x8000000Au)
    E(DIALQUIET, 0x8000000Bu)
    E(INCOMPATIBLEAPIVERSION, 0x8000000Cu)
    E(INCOMPATIBLEEXTVERSION, 0x8000000Du)
    E(INIFILECORRUPT, 0x8000000Eu)
    E(INUSE, 0x8000000Fu)
    E(INVALADDRESS, 0x80000010u)
    E(INVALADDRESSID, 0x80000011u)
    E(INVALADDRESSMODE, 0x80000012u)
    E(INVALADDRESSSTATE, 0x80000013u)
    E(INVALAPPHANDLE, 0x80000014u)
    E(INVALAPPNAME, 0x80000015u)
    E(INVALBEARERMODE, 0x80000016u)
    E(INVALCALLCOMPLMODE, 0x80000017u)
    E(INVALCALLHANDLE, 0x80000018u)
    E(INVALCALLPARAMS, 0x80000019u)
    E(INVALCALLPRIVILEGE, 0x8000001Au)
    E(INVALCALLSELECT, 0x8000001Bu)
    E(INVALCALLSTATE, 0x8000001Cu)
    E(INVALCALLSTATELIST, 0x8000001Du)
    E(INVALCARD, 0x8000001Eu)
    E(INVALCOMPLETIONID, 0x8000001Fu)
    E(INVALCONFCALLHANDLE, 0x80000020u)
    E(INVALCONSULTCALLHANDLE, 0x80000021u)
    E(INVALCOUNTRYCODE, 0x80000022u)
    E(INVALDEVICECLASS, 0x80000023u)
    E(INVALDEVICEHANDLE, 0x80000024u)
    E(INVALDIALPARAMS, 0x80000025u)
    E(INVALDIGITLIST, 0x80000026u)
    E(INVALDIGITMODE, 0x80000027u)
    E(INVALDIGITS, 0x80000028u)
    E(INVALEXTVERSION, 0x80000029u)
    E(INVALGROUPID, 0x8000002Au)
    E(INVALLINEHANDLE, 0x8000002Bu)
    E(INVALLINESTATE, 0x8000002Cu)
    E(INVALLOCATION, 0x8000002Du)
    E(INVALMEDIALIST, 0x8000002Eu)
    E(INVALMEDIAMODE, 0x8000002Fu)
    E(INVALMESSAGEID, 0x80000030u)
    E(INVALPARAM, 0x80000032u)
    E(INVALPARKID, 0x80000033u)
    E(INVALPARKMODE, 0x80000034u)
    E(INVALPOINTER, 0x80000035u)
    E(INVALPRIVSELECT, 0x80000036u)
    E(INVALRATE, 0x80000037u)
    E(INVALREQUESTMODE, 0x80000038u)
    E(INVALTERMINALID, 0x80000039u)
    E(INVALTERMINALMODE, 0x8000003Au)
    E(INVALTIMEOUT, 0x8000003Bu)
    E(INVALTONE, 0x8000003Cu)
    E(INVALTONELIST, 0x8000003Du)
    E(INVALTONEMODE, 0x8000003Eu)
    E(INVALTRANSFERMODE, 0x8000003Fu)
    E(LINEMAPPERFAILED, 0x80000040u)
    E(NOCONFERENCE, 0x80000041u)
    E(NODEVICE, 0x80000042u)
    E(NODRIVER, 0x80000043u)
    E(NOMEM, 0x80000044u)
    E(NOREQUEST, 0x80000045u)
    E(NOTOWNER, 0x80000046u)
    E(NOTREGISTERED, 0x80000047u)
    E(OPERATIONFAILED, 0x80000048u)
    E(OPERATIONUNAVAIL, 0x80000049u)
    E(RATEUNAVAIL, 0x8000004Au)
    E(RESOURCEUNAVAIL, 0x8000004Bu)
    E(REQUESTOVERRUN, 0x8000004Cu)
    E(STRUCTURETOOSMALL, 0x8000004Du)
    E(TARGETNOTFOUND, 0x8000004Eu)
    E(TARGETSELF, 0x8000004Fu)
    E(UNINITIALIZED, 0x80000050u)
    E(USERUSERINFOTOOBIG, 0x80000051u)
    E(REINIT, 0x80000052u)
    E(ADDRESSBLOCKED, 0x80000053u)
    E(BILLINGREJECTED, 0x80000054u)
    E(INVALFEATURE, 0x80000055u)
    E(NOMULTIPLEINSTANCE, 0x80000056u)
    E(INVALAGENTID, 0x80000057u)
    E(INVALAGENTGROUP, 0x80000058u)
    E(INVALPASSWORD, 0x80000059u)
    E(INVALAGENTSTATE, 0x8000005Au)
    E(INVALAGENTACTIVITY, 0x8000005Bu)
    E(DIALVOICEDETECT, 0x8000005Cu)
    E(USERCANCELLED, 0x8000005Du)
    E(INVALADDRESSTYPE, 0x8000005Eu)
    E(INVALAGENTSESSIONSTATE, 0x8000005Fu)
    E(DISCONNECTED, 0x80000060u)
    E(SERVICE_NOT_RUNNING, 0x80000061u)
#undef E
    default:
      return "LINEERR_UNKNOWN";
  }
}

std::string hex32(DWORD v) {
  char b[16];
  std::snprintf(b, sizeof b, "0x%08" PRIX32, v);
  return b;
}

// ---------------------------------------------------------------------------
// Decoding of state values and message flags.
struct Bit {
  DWORD bit;
  const char* name;
};

std::string one_of(DWORD v, std::initializer_list<Bit> names) {
  if (v == 0) return "0";
  for (const auto& b : names)
    if (b.bit == v) return b.name;
  return hex32(v);
}

std::string flags(DWORD v, std::initializer_list<Bit> names) {
  if (v == 0) return "0";
  std::string s;
  for (const auto& b : names) {
    if (v & b.bit) {
      if (!s.empty()) s += '|';
      s += b.name;
      v &= ~b.bit;
    }
  }
  if (v != 0) {
    if (!s.empty()) s += '|';
    s += hex32(v);
  }
  return s;
}

std::string session_state_name(DWORD v) {
  return one_of(v, {{LINEAGENTSESSIONSTATE_NOTREADY, "NOTREADY"},
                    {LINEAGENTSESSIONSTATE_READY, "READY"},
                    {LINEAGENTSESSIONSTATE_BUSYONCALL, "BUSYONCALL"},
                    {LINEAGENTSESSIONSTATE_BUSYWRAPUP, "BUSYWRAPUP"},
                    {LINEAGENTSESSIONSTATE_ENDED, "ENDED"},
                    {LINEAGENTSESSIONSTATE_RELEASED, "RELEASED"}});
}
std::string agent_state_name(DWORD v) {
  return one_of(v, {{LINEAGENTSTATEEX_NOTREADY, "NOTREADY"},
                    {LINEAGENTSTATEEX_READY, "READY"},
                    {LINEAGENTSTATEEX_BUSYACD, "BUSYACD"},
                    {LINEAGENTSTATEEX_BUSYINCOMING, "BUSYINCOMING"},
                    {LINEAGENTSTATEEX_BUSYOUTGOING, "BUSYOUTGOING"},
                    {LINEAGENTSTATEEX_UNKNOWN, "UNKNOWN"},
                    {LINEAGENTSTATEEX_RELEASED, "RELEASED"}});
}
std::string address_agent_state_name(DWORD v) {
  return one_of(v, {{LINEAGENTSTATE_LOGGEDOFF, "LOGGEDOFF"},
                    {LINEAGENTSTATE_NOTREADY, "NOTREADY"},
                    {LINEAGENTSTATE_READY, "READY"},
                    {LINEAGENTSTATE_BUSYACD, "BUSYACD"},
                    {LINEAGENTSTATE_BUSYINCOMING, "BUSYINCOMING"},
                    {LINEAGENTSTATE_BUSYOUTBOUND, "BUSYOUTBOUND"},
                    {LINEAGENTSTATE_BUSYOTHER, "BUSYOTHER"},
                    {LINEAGENTSTATE_WORKINGAFTERCALL, "WORKINGAFTERCALL"},
                    {LINEAGENTSTATE_UNKNOWN, "UNKNOWN"},
                    {LINEAGENTSTATE_UNAVAIL, "UNAVAIL"}});
}
std::string request_type_name(DWORD v) {
  static const char* const names[] = {
      "?",                      "SETAGENTGROUP",        "SETAGENTSTATE",      "SETAGENTACTIVITY",
      "GETAGENTCAPS",           "GETAGENTSTATUS",       "AGENTSPECIFIC",      "GETAGENTACTIVITYLIST",
      "GETAGENTGROUPLIST",      "CREATEAGENT",          "SETAGENTMEASUREMENTPERIOD",
      "GETAGENTINFO",           "CREATEAGENTSESSION",   "GETAGENTSESSIONLIST",
      "SETAGENTSESSIONSTATE",   "GETAGENTSESSIONINFO",  "GETQUEUELIST",
      "SETQUEUEMEASUREMENTPERIOD", "GETQUEUEINFO",      "GETGROUPLIST",       "SETAGENTSTATEEX"};
  if (v >= 1 && v <= 0x14) return names[v];
  return hex32(v);
}

// ---------------------------------------------------------------------------
// Text helpers: UTF-8 <-> wchar_t (UTF-32 on Linux), JSON, GUIDs, times.
std::wstring widen(const std::string& s) {
  std::wstring out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::uint32_t cp = 0xFFFD;
    std::size_t n = 1;
    if (c < 0x80) {
      cp = c;
    } else if ((c >> 5) == 6 && i + 1 < s.size()) {
      cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3Fu);
      n = 2;
    } else if ((c >> 4) == 14 && i + 2 < s.size()) {
      cp = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 6) |
           (static_cast<unsigned char>(s[i + 2]) & 0x3Fu);
      n = 3;
    } else if ((c >> 3) == 30 && i + 3 < s.size()) {
      cp = ((c & 0x07u) << 18) | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 12) |
           ((static_cast<unsigned char>(s[i + 2]) & 0x3Fu) << 6) |
           (static_cast<unsigned char>(s[i + 3]) & 0x3Fu);
      n = 4;
    }
    out.push_back(static_cast<wchar_t>(cp));
    i += n;
  }
  return out;
}

std::string narrow(const std::wstring& w) {
  std::string out;
  for (wchar_t wc : w) {
    auto cp = static_cast<std::uint32_t>(wc);
    if (cp > 0x10FFFF) cp = 0xFFFD;
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  return out;
}

// A W string of `size` bytes (NUL included) at `base + offset`, possibly unaligned.
std::string wide_field(const unsigned char* base, DWORD limit, DWORD size, DWORD offset) {
  if (size < sizeof(wchar_t) || offset == 0 || std::uint64_t{offset} + size > limit) return {};
  std::wstring w(size / sizeof(wchar_t), L'\0');
  std::memcpy(w.data(), base + offset, w.size() * sizeof(wchar_t));
  while (!w.empty() && w.back() == L'\0') w.pop_back();
  return narrow(w);
}

std::string json_str(const std::string& s) {
  std::string o = "\"";
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': o += "\\\""; break;
      case '\\': o += "\\\\"; break;
      case '\n': o += "\\n"; break;
      case '\r': o += "\\r"; break;
      case '\t': o += "\\t"; break;
      default:
        if (c < 0x20) {
          char b[8];
          std::snprintf(b, sizeof b, "\\u%04x", c);
          o += b;
        } else {
          o.push_back(ch);
        }
    }
  }
  return o + "\"";
}

std::string guid_string(const GUID& g) {
  char b[40];
  std::snprintf(b, sizeof b, "{%08" PRIX32 "-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}", g.Data1,
                g.Data2, g.Data3, g.Data4[0], g.Data4[1], g.Data4[2], g.Data4[3], g.Data4[4],
                g.Data4[5], g.Data4[6], g.Data4[7]);
  return b;
}

std::string duration(DWORD secs) { return clock_text(secs); }

std::string now_stamp() {
  const auto now = std::chrono::system_clock::now();
  const auto t = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  localtime_r(&t, &tm);
  char b[64];
  std::strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[80];
  std::snprintf(out, sizeof out, "%s.%03d", b, static_cast<int>(ms));
  return out;
}

std::string ole_date_string(DATE d) {
  if (d == 0.0) return "";
  const double unix_secs = (d - 25569.0) * 86400.0;
  const auto t = static_cast<std::time_t>(unix_secs);
  std::tm tm{};
  localtime_r(&t, &tm);
  char b[64];
  std::strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%S", &tm);
  return b;
}

std::string currency(const CURRENCY& cy) {
  char b[32];
  const long long v = cy.int64;
  std::snprintf(b, sizeof b, "%s%lld.%02lld", v < 0 ? "-" : "", (v < 0 ? -v : v) / 10000,
                (v < 0 ? -v : v) % 10000 / 100);
  return b;
}

std::string default_server_address() {
  if (const char* s = std::getenv("OPENTAPI_SERVER"); s && *s) return s;
  if (const char* x = std::getenv("XDG_RUNTIME_DIR"); x && *x)
    return std::string("unix:") + x + "/opentapi/opentapid.sock";
  return "unix:/tmp/opentapi-" + std::to_string(::getuid()) + "/opentapid.sock";
}

// ---------------------------------------------------------------------------
// Failures, turned into exit codes by main().
[[noreturn]] void tapi_fail(const char* function, LONG code) {
  std::string msg = std::string(function) + " failed: " + lineerr_name(code) + " (" +
                    hex32(static_cast<DWORD>(code)) + ")";
  if (code == LINEERR_OPERATIONUNAVAIL)
    msg += "\nhint: no ACD serves this line (is opentapid running with --no-acd? try --line)";
  throw Failure(kExitTapi, code, msg);
}

volatile sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

// ---------------------------------------------------------------------------
// One TAPI application in event mode.
class Tapi {
 public:
  explicit Tapi(double timeout_s) : timeout_ms_(static_cast<long>(timeout_s * 1000.0)) {
    LINEINITIALIZEEXPARAMS params{};
    params.dwTotalSize = sizeof params;
    params.dwOptions = LINEINITIALIZEEXOPTION_USEEVENT;
    DWORD version = kApiHigh;
    const LONG rc = lineInitializeExW(&app_, nullptr, nullptr, L"opentapi", &num_devs_, &version, &params);
    if (rc == LINEERR_SERVICE_NOT_RUNNING)
      throw Failure(kExitNoServer, rc,
                    "the telephony server is not running (nothing listening at " + default_server_address() +
                        ")\nstart it with: opentapid   (or set OPENTAPI_SERVER=unix:PATH to its socket)");
    if (rc != 0) tapi_fail("lineInitializeExW", rc);
  }
  ~Tapi() {
    for (auto& [h, dev] : lines_) lineClose(h);
    lineShutdown(app_);
  }
  Tapi(const Tapi&) = delete;
  Tapi& operator=(const Tapi&) = delete;

  DWORD num_devs() const { return num_devs_; }

  // Monitor privilege: sees every call on the line, controls none.
  HLINE open(DWORD device) { return open_with(device, LINECALLPRIVILEGE_MONITOR, 0); }
  // Owner privilege for voice calls: may place and control calls.
  HLINE open_owner(DWORD device) { return open_with(device, LINECALLPRIVILEGE_OWNER, LINEMEDIAMODE_INTERACTIVEVOICE); }

  // Waits for the LINE_REPLY of an asynchronous call; returns only on success.
  void complete(const char* function, LONG request) {
    if (request < 0) tapi_fail(function, request);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms_);
    for (;;) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
      if (g_stop) throw Failure(kExitInterrupted, 0, std::string(function) + ": interrupted");
      if (left <= 0)
        throw Failure(kExitTimeout, 0,
                      std::string(function) + ": no LINE_REPLY for request " + std::to_string(request) + " within " +
                          std::to_string(static_cast<double>(timeout_ms_) / 1000.0).substr(0, 5) + " s (--timeout)");
      LINEMESSAGE m{};
      const LONG rc = lineGetMessage(app_, &m, static_cast<DWORD>(std::min<long long>(left, 200)));
      if (rc != 0) continue;  // time-out slice with nothing queued
      if (m.dwMessageID == LINE_REPLY && m.dwParam1 == static_cast<DWORD_PTR>(request)) {
        const auto result = static_cast<LONG>(static_cast<DWORD>(m.dwParam2));
        if (result != 0) tapi_fail(function, result);
        return;
      }
      check_lost(m);
    }
  }

  // Next message within `ms`, or nullopt.
  std::optional<LINEMESSAGE> next(DWORD ms) {
    LINEMESSAGE m{};
    if (lineGetMessage(app_, &m, ms) != 0) return std::nullopt;
    return m;
  }

  DWORD device_of(DWORD hline) const {
    auto it = lines_.find(hline);
    return it == lines_.end() ? 0xFFFFFFFFu : it->second;
  }

  long timeout_ms() const { return timeout_ms_; }

  static void check_lost(const LINEMESSAGE& m) {
    if (m.dwMessageID == LINE_LINEDEVSTATE && (m.dwParam1 & LINEDEVSTATE_REINIT))
      throw Failure(kExitNoServer, LINEERR_REINIT,
                    "lost the connection to the telephony server (opentapid stopped?)");
  }

 private:
  HLINE open_with(DWORD device, DWORD privileges, DWORD media_modes) {
    DWORD version = 0;
    LINEEXTENSIONID ext{};
    LONG rc = lineNegotiateAPIVersion(app_, device, kApiLow, kApiHigh, &version, &ext);
    if (rc != 0) tapi_fail("lineNegotiateAPIVersion", rc);
    HLINE h = 0;
    rc = lineOpenW(app_, device, &h, version, 0, device, privileges, media_modes, nullptr);
    if (rc != 0) tapi_fail("lineOpenW", rc);
    lines_[h] = device;
    return h;
  }

  HLINEAPP app_ = 0;
  DWORD num_devs_ = 0;
  long timeout_ms_;
  std::map<DWORD, DWORD> lines_;
};

// A variable-size structure buffer: fixed part T, grown to dwNeededSize.
template <typename T>
class VarBuf {
 public:
  explicit VarBuf(std::size_t size = 4096) { resize(size); }
  T* get() { return reinterpret_cast<T*>(buf_.data()); }
  const unsigned char* bytes() const { return buf_.data(); }
  DWORD size() const { return static_cast<DWORD>(buf_.size()); }
  void resize(std::size_t size) {
    buf_.assign(std::max(size, sizeof(T)), 0);
    DWORD total = static_cast<DWORD>(buf_.size());
    std::memcpy(buf_.data(), &total, sizeof total);  // dwTotalSize is the first DWORD
  }
  // Calls `start` (returns the request id) until the whole structure fits.
  template <typename Start>
  void fill(Tapi& tapi, const char* function, Start start) {
    for (int attempt = 0; attempt < 4; ++attempt) {
      tapi.complete(function, start(get()));
      DWORD needed = 0;
      std::memcpy(&needed, buf_.data() + 4, sizeof needed);
      if (needed <= buf_.size()) return;
      resize(needed);
    }
  }

 private:
  std::vector<unsigned char> buf_;
};

// ---------------------------------------------------------------------------
// Options shared by every subcommand.
struct Global {
  bool json = false;
  double timeout = 10.0;
  DWORD line = 0;
};

struct Group {
  GUID id{};
  std::string name;
};

std::vector<Group> get_groups(Tapi& tapi, HLINE h) {
  VarBuf<LINEAGENTGROUPLIST> buf;
  buf.fill(tapi, "lineGetGroupListW", [&](LINEAGENTGROUPLIST* p) { return lineGetGroupListW(h, p); });
  const auto* list = buf.get();
  std::vector<Group> out;
  if (list->dwListSize == 0) return out;
  for (DWORD i = 0; i < list->dwNumEntries; ++i) {
    LINEAGENTGROUPENTRY e{};
    const std::uint64_t at = std::uint64_t{list->dwListOffset} + std::uint64_t{i} * sizeof e;
    if (at + sizeof e > list->dwUsedSize) break;
    std::memcpy(&e, buf.bytes() + at, sizeof e);
    Group g;
    std::memcpy(&g.id, &e.GroupID, sizeof g.id);
    // Entry offsets are relative to the enclosing list (docs/tapi2.md).
    g.name = wide_field(buf.bytes(), list->dwUsedSize, e.dwNameSize, e.dwNameOffset);
    out.push_back(std::move(g));
  }
  return out;
}

struct QueueEntry {
  DWORD id = 0;
  std::string name;
};

std::vector<QueueEntry> get_queues(Tapi& tapi, HLINE h, GUID group) {
  VarBuf<LINEQUEUELIST> buf;
  buf.fill(tapi, "lineGetQueueListW", [&](LINEQUEUELIST* p) { return lineGetQueueListW(h, &group, p); });
  const auto* list = buf.get();
  std::vector<QueueEntry> out;
  if (list->dwListSize == 0) return out;
  for (DWORD i = 0; i < list->dwNumEntries; ++i) {
    LINEQUEUEENTRY e{};
    const std::uint64_t at = std::uint64_t{list->dwListOffset} + std::uint64_t{i} * sizeof e;
    if (at + sizeof e > list->dwUsedSize) break;
    std::memcpy(&e, buf.bytes() + at, sizeof e);
    out.push_back({e.dwQueueID, wide_field(buf.bytes(), list->dwUsedSize, e.dwNameSize, e.dwNameOffset)});
  }
  return out;
}

// ---------------------------------------------------------------------------
// Subcommands.
int cmd_groups(const Global& g) {
  Tapi tapi(g.timeout);
  const HLINE h = tapi.open(g.line);
  const auto groups = get_groups(tapi, h);
  if (g.json) {
    std::string s = "{\"groups\":[";
    for (std::size_t i = 0; i < groups.size(); ++i)
      s += std::string(i ? "," : "") + "{\"name\":" + json_str(groups[i].name) +
           ",\"guid\":" + json_str(guid_string(groups[i].id)) + "}";
    std::printf("%s]}\n", s.c_str());
  } else {
    std::printf("%-24s %s\n", "GROUP", "GUID");
    for (const auto& gr : groups) std::printf("%-24s %s\n", gr.name.c_str(), guid_string(gr.id).c_str());
  }
  return kExitOk;
}

int cmd_queues(const Global& g) {
  Tapi tapi(g.timeout);
  const HLINE h = tapi.open(g.line);
  const auto groups = get_groups(tapi, h);
  std::string js = "{\"queues\":[";
  bool first = true;
  if (!g.json)
    std::printf("%-10s %5s %-16s %7s %8s %7s %9s %8s %8s %8s\n", "GROUP", "ID", "QUEUE", "WAITING",
                "LONGEST", "QUEUED", "ABANDONED", "AVGWAIT", "FLOW-IN", "PERIOD");
  for (const auto& gr : groups) {
    for (const auto& q : get_queues(tapi, h, gr.id)) {
      VarBuf<LINEQUEUEINFO> buf(sizeof(LINEQUEUEINFO));
      buf.fill(tapi, "lineGetQueueInfo", [&](LINEQUEUEINFO* p) { return lineGetQueueInfo(h, q.id, p); });
      const auto* qi = buf.get();
      if (g.json) {
        js += std::string(first ? "" : ",") + "{\"group\":" + json_str(gr.name) + ",\"group_guid\":" +
              json_str(guid_string(gr.id)) + ",\"id\":" + std::to_string(q.id) + ",\"name\":" + json_str(q.name) +
              ",\"calls_waiting\":" + std::to_string(qi->dwCurrentCallsQueued) +
              ",\"longest_current_wait\":" + std::to_string(qi->dwCurrentLongestWaitTime) +
              ",\"total_queued\":" + std::to_string(qi->dwTotalCallsQueued) +
              ",\"abandoned\":" + std::to_string(qi->dwTotalCallsAbandoned) +
              ",\"flowed_in\":" + std::to_string(qi->dwTotalCallsFlowedIn) +
              ",\"flowed_out\":" + std::to_string(qi->dwTotalCallsFlowedOut) +
              ",\"longest_ever_wait\":" + std::to_string(qi->dwLongestEverWaitTime) +
              ",\"average_wait\":" + std::to_string(qi->dwAverageWaitTime) +
              ",\"measurement_period\":" + std::to_string(qi->dwMeasurementPeriod) + "}";
        first = false;
      } else {
        std::printf("%-10s %5" PRIu32 " %-16s %7" PRIu32 " %8s %7" PRIu32 " %9" PRIu32 " %8s %8" PRIu32 " %7" PRIu32
                    "s\n",
                    gr.name.c_str(), q.id, q.name.c_str(), qi->dwCurrentCallsQueued,
                    duration(qi->dwCurrentLongestWaitTime).c_str(), qi->dwTotalCallsQueued,
                    qi->dwTotalCallsAbandoned, duration(qi->dwAverageWaitTime).c_str(), qi->dwTotalCallsFlowedIn,
                    qi->dwMeasurementPeriod);
      }
    }
  }
  if (g.json) std::printf("%s]}\n", js.c_str());
  return kExitOk;
}

GUID find_group(Tapi& tapi, HLINE h, const std::string& name) {
  const auto groups = get_groups(tapi, h);
  for (const auto& gr : groups)
    if (gr.name == name || strcasecmp(guid_string(gr.id).c_str(), name.c_str()) == 0) return gr.id;
  std::string known;
  for (const auto& gr : groups) known += (known.empty() ? "" : ", ") + gr.name;
  throw Failure(kExitUsage, 0, "no ACD group named \"" + name + "\" (groups: " + known + ")");
}

struct LoginArgs {
  std::string group;
  DWORD address = 0;
  std::optional<std::string> agent, pin;
};

int cmd_login(const Global& g, const LoginArgs& a) {
  Tapi tapi(g.timeout);
  const HLINE h = tapi.open(g.line);
  GUID group = find_group(tapi, h, a.group);
  std::wstring id = a.agent ? widen(*a.agent) : std::wstring();
  std::wstring pin = a.pin ? widen(*a.pin) : std::wstring();
  HAGENT agent = 0;
  tapi.complete("lineCreateAgentW", lineCreateAgentW(h, a.agent ? id.data() : nullptr,
                                                       a.pin ? pin.data() : nullptr, &agent));
  HAGENTSESSION session = 0;
  tapi.complete("lineCreateAgentSessionW",
                lineCreateAgentSessionW(h, agent, a.pin ? pin.data() : nullptr, a.address, &group, &session));
  if (g.json)
    std::printf("{\"agent\":%" PRIu32 ",\"session\":%" PRIu32 ",\"group\":%s,\"line\":%" PRIu32
                ",\"address\":%" PRIu32 "}\n",
                agent, session, json_str(guid_string(group)).c_str(), g.line, a.address);
  else
    std::printf("agent %" PRIu32 "\nsession %" PRIu32 "\n", agent, session);
  return kExitOk;
}

const std::map<std::string, DWORD>& session_states() {
  static const std::map<std::string, DWORD> m = {{"ready", LINEAGENTSESSIONSTATE_READY},
                                                 {"not-ready", LINEAGENTSESSIONSTATE_NOTREADY},
                                                 {"wrapup", LINEAGENTSESSIONSTATE_BUSYWRAPUP},
                                                 {"end", LINEAGENTSESSIONSTATE_ENDED}};
  return m;
}
const std::map<std::string, DWORD>& agent_states() {
  static const std::map<std::string, DWORD> m = {{"ready", LINEAGENTSTATEEX_READY},
                                                 {"not-ready", LINEAGENTSTATEEX_NOTREADY}};
  return m;
}

int print_ok(const Global& g, const std::string& what) {
  if (g.json)
    std::printf("{\"ok\":true}\n");
  else
    std::printf("%s\n", what.c_str());
  return kExitOk;
}

int cmd_state(const Global& g, DWORD session, const std::string& state, const std::string& next) {
  Tapi tapi(g.timeout);
  const HLINE h = tapi.open(g.line);
  const DWORD s = session_states().at(state);
  const DWORD n = next.empty() ? 0 : session_states().at(next);
  tapi.complete("lineSetAgentSessionState", lineSetAgentSessionState(h, session, s, n));
  return print_ok(g, "session " + std::to_string(session) + ": " + session_state_name(s));
}

int cmd_agent_state(const Global& g, DWORD agent, const std::string& state, const std::string& next) {
  Tapi tapi(g.timeout);
  const HLINE h = tapi.open(g.line);
  const DWORD s = agent_states().at(state);
  const DWORD n = next.empty() ? 0 : agent_states().at(next);
  tapi.complete("lineSetAgentStateEx", lineSetAgentStateEx(h, agent, s, n));
  return print_ok(g, "agent " + std::to_string(agent) + ": " + agent_state_name(s));
}

int cmd_sessions(const Global& g, DWORD agent) {
  Tapi tapi(g.timeout);
  const HLINE h = tapi.open(g.line);
  std::map<std::string, std::string> group_names;
  for (const auto& gr : get_groups(tapi, h)) group_names[guid_string(gr.id)] = gr.name;
  VarBuf<LINEAGENTSESSIONLIST> buf;
  buf.fill(tapi, "lineGetAgentSessionList",
           [&](LINEAGENTSESSIONLIST* p) { return lineGetAgentSessionList(h, agent, p); });
  const auto* list = buf.get();
  std::vector<LINEAGENTSESSIONENTRY> entries;
  for (DWORD i = 0; list->dwListSize != 0 && i < list->dwNumEntries; ++i) {
    LINEAGENTSESSIONENTRY e{};
    const std::uint64_t at = std::uint64_t{list->dwListOffset} + std::uint64_t{i} * sizeof e;
    if (at + sizeof e > list->dwUsedSize) break;
    std::memcpy(&e, buf.bytes() + at, sizeof e);
    entries.push_back(e);
  }
  std::string js = "{\"agent\":" + std::to_string(agent) + ",\"sessions\":[";
  if (!g.json)
    std::printf("%7s %-10s %4s %-11s %-11s %9s %5s %9s %8s %9s %8s %7s %-19s\n", "SESSION", "GROUP", "ADDR",
                "STATE", "NEXT", "DURATION", "CALLS", "TALK", "AVGTALK", "WRAPUP", "AVGWRAP", "RATE", "STARTED");
  bool first = true;
  for (const auto& e : entries) {
    VarBuf<LINEAGENTSESSIONINFO> ib(sizeof(LINEAGENTSESSIONINFO));
    ib.fill(tapi, "lineGetAgentSessionInfo",
            [&](LINEAGENTSESSIONINFO* p) { return lineGetAgentSessionInfo(h, e.hAgentSession, p); });
    const auto* si = ib.get();
    GUID gid{};
    std::memcpy(&gid, &e.GroupID, sizeof gid);
    const std::string gs = guid_string(gid);
    const std::string gname = group_names.count(gs) ? group_names[gs] : gs;
    CURRENCY rate{};
    std::memcpy(&rate, &si->cyACDCallRate, sizeof rate);
    const DATE started = si->dateSessionStartTime;
    if (g.json) {
      js += std::string(first ? "" : ",") + "{\"session\":" + std::to_string(e.hAgentSession) +
            ",\"group\":" + json_str(gname) + ",\"group_guid\":" + json_str(gs) +
            ",\"address\":" + std::to_string(e.dwWorkingAddressID) + ",\"state\":" +
            json_str(session_state_name(si->dwAgentSessionState)) + ",\"next_state\":" +
            (si->dwNextAgentSessionState ? json_str(session_state_name(si->dwNextAgentSessionState)) : "null") +
            ",\"start_time\":" + json_str(ole_date_string(started)) +
            ",\"duration\":" + std::to_string(si->dwSessionDuration) +
            ",\"calls\":" + std::to_string(si->dwNumberOfCalls) +
            ",\"total_talk_time\":" + std::to_string(si->dwTotalTalkTime) +
            ",\"average_talk_time\":" + std::to_string(si->dwAverageTalkTime) +
            ",\"total_call_time\":" + std::to_string(si->dwTotalCallTime) +
            ",\"average_call_time\":" + std::to_string(si->dwAverageCallTime) +
            ",\"total_wrapup_time\":" + std::to_string(si->dwTotalWrapUpTime) +
            ",\"average_wrapup_time\":" + std::to_string(si->dwAverageWrapUpTime) +
            ",\"acd_call_rate\":" + currency(rate) +
            ",\"longest_time_to_answer\":" + std::to_string(si->dwLongestTimeToAnswer) +
            ",\"average_time_to_answer\":" + std::to_string(si->dwAverageTimeToAnswer) + "}";
      first = false;
    } else {
      std::printf("%7" PRIu32 " %-10s %4" PRIu32 " %-11s %-11s %9s %5" PRIu32 " %9s %8s %9s %8s %7s %-19s\n",
                  e.hAgentSession, gname.c_str(), e.dwWorkingAddressID,
                  session_state_name(si->dwAgentSessionState).c_str(),
                  (si->dwNextAgentSessionState ? session_state_name(si->dwNextAgentSessionState) : "-").c_str(), duration(si->dwSessionDuration).c_str(),
                  si->dwNumberOfCalls, duration(si->dwTotalTalkTime).c_str(),
                  duration(si->dwAverageTalkTime).c_str(), duration(si->dwTotalWrapUpTime).c_str(),
                  duration(si->dwAverageWrapUpTime).c_str(), currency(rate).c_str(),
                  ole_date_string(started).c_str());
    }
  }
  if (g.json)
    std::printf("%s]}\n", js.c_str());
  else if (entries.empty())
    std::printf("(agent %" PRIu32 " has no current sessions)\n", agent);
  return kExitOk;
}

int cmd_set_period(const Global& g, const std::string& kind, DWORD object, DWORD seconds) {
  Tapi tapi(g.timeout);
  const HLINE h = tapi.open(g.line);
  if (kind == "agent")
    tapi.complete("lineSetAgentMeasurementPeriod", lineSetAgentMeasurementPeriod(h, object, seconds));
  else
    tapi.complete("lineSetQueueMeasurementPeriod", lineSetQueueMeasurementPeriod(h, object, seconds));
  return print_ok(g, kind + " " + std::to_string(object) + ": measurement period " + std::to_string(seconds) + " s");
}

// --- call ---
struct CallArgs {
  std::string number;
  std::optional<DWORD> address;
  double hangup_after = 0;  // 0: never (wait for the far end, or Ctrl-C)
};

// Places a call with lineMakeCallW on --line (OWNER, interactive voice) and
// prints the LINE_REPLY and every LINE_CALLSTATE of it until it is IDLE. A
// call that is DISCONNECTED or BUSY is dropped to end it, as a TAPI
// application must; --hangup-after S drops it S seconds after it was placed,
// Ctrl-C at once. docs/cli.md "call" lists the exit codes.
int cmd_call(const Global& g, const CallArgs& a) {
  Tapi tapi(g.timeout);
  const HLINE h = tapi.open_owner(g.line);
  const auto started = std::chrono::steady_clock::now();
  auto event = [&](const std::string& text, const std::string& js) {
    if (g.json)
      std::printf("{\"time\":%s%s}\n", json_str(now_stamp()).c_str(), js.c_str());
    else
      std::printf("%s %s\n", now_stamp().c_str(), text.c_str());
    std::fflush(stdout);
  };
  const DWORD address = a.address.value_or(0);
  event("calling " + a.number + " from line " + std::to_string(g.line) + " address " + std::to_string(address),
        ",\"event\":\"calling\",\"number\":" + json_str(a.number) + ",\"line\":" + std::to_string(g.line) +
            ",\"address\":" + std::to_string(address));

  LINECALLPARAMS params{};
  params.dwTotalSize = sizeof params;
  params.dwBearerMode = LINEBEARERMODE_VOICE;
  params.dwMediaMode = LINEMEDIAMODE_INTERACTIVEVOICE;
  params.dwAddressMode = LINEADDRESSMODE_ADDRESSID;
  params.dwAddressID = address;
  std::wstring number = widen(a.number);
  HCALL call = 0;
  const LONG request = lineMakeCallW(h, &call, number.c_str(), 0, a.address ? &params : nullptr);
  if (request < 0) tapi_fail("lineMakeCallW", request);

  bool replied = false;
  bool connected = false;
  bool dropping = false;
  LONG drop_request = 0;
  DWORD end_state = 0, end_detail = 0;  // DISCONNECTED/BUSY and its mode, once seen
  std::chrono::steady_clock::time_point placed{}, connected_at{};
  const auto reply_deadline = started + std::chrono::milliseconds(tapi.timeout_ms());
  auto hang_up = [&](const std::string& why) {
    if (dropping || call == 0) return;
    dropping = true;
    event("hanging up (" + why + ")", ",\"event\":\"hangup\",\"reason\":" + json_str(why));
    drop_request = lineDrop(call, nullptr, 0);
    if (drop_request < 0) tapi_fail("lineDrop", drop_request);
  };
  bool interrupted = false;
  for (;;) {
    const auto now = std::chrono::steady_clock::now();
    if (g_stop && !interrupted) {
      interrupted = true;
      if (!replied || call == 0) throw Failure(kExitInterrupted, 0, "lineMakeCallW: interrupted");
      hang_up("interrupted");
    }
    if (!replied && now >= reply_deadline)
      throw Failure(kExitTimeout, 0,
                    "lineMakeCallW: no LINE_REPLY for request " + std::to_string(request) + " within " +
                        std::to_string(static_cast<double>(tapi.timeout_ms()) / 1000.0).substr(0, 5) +
                        " s (--timeout)");
    if (replied && a.hangup_after > 0 && now - placed >= std::chrono::duration<double>(a.hangup_after))
      hang_up("--hangup-after " + seconds_text(a.hangup_after));
    const auto m = tapi.next(50);
    if (!m) continue;
    Tapi::check_lost(*m);
    if (m->dwMessageID == LINE_REPLY && static_cast<LONG>(m->dwParam1) == request) {
      const auto result = static_cast<LONG>(static_cast<DWORD>(m->dwParam2));
      event(std::string("LINE_REPLY lineMakeCallW: ") + (result == 0 ? "OK" : lineerr_name(result)),
            ",\"event\":\"reply\",\"function\":\"lineMakeCallW\",\"result\":" + std::to_string(result) +
                ",\"error\":" + (result == 0 ? "null" : json_str(lineerr_name(result))));
      if (result != 0) tapi_fail("lineMakeCallW", result);
      replied = true;
      placed = std::chrono::steady_clock::now();
      continue;
    }
    if (m->dwMessageID == LINE_REPLY && drop_request > 0 && static_cast<LONG>(m->dwParam1) == drop_request) {
      const auto result = static_cast<LONG>(static_cast<DWORD>(m->dwParam2));
      if (result != 0) tapi_fail("lineDrop", result);
      continue;
    }
    if (m->dwMessageID != LINE_CALLSTATE || static_cast<HCALL>(m->hDevice) != call || call == 0) continue;
    const auto state = static_cast<DWORD>(m->dwParam1);
    const auto detail = static_cast<DWORD>(m->dwParam2);
    const std::string detail_text = call_state_detail(state, detail);
    event(call_state_text(state) + (detail_text.empty() ? "" : " " + detail_text),
          ",\"event\":\"state\",\"state\":" + json_str(call_state_text(state)) +
              ",\"detail\":" + (detail_text.empty() ? "null" : json_str(detail_text)));
    if (state == LINECALLSTATE_CONNECTED && !connected) {
      connected = true;
      connected_at = std::chrono::steady_clock::now();
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
  const auto ended = std::chrono::steady_clock::now();
  const double total = std::chrono::duration<double>(ended - started).count();
  const double talk = connected ? std::chrono::duration<double>(ended - connected_at).count() : 0.0;
  // Reaching nobody (a number nobody has, busy, rejected…) is a failure of
  // the call; an answered call, or one we hung up, ended normally.
  const bool failed = !connected && !interrupted && end_state != 0 &&
                      !(end_state == LINECALLSTATE_DISCONNECTED && end_detail == LINEDISCONNECTMODE_NORMAL);
  const int exit = interrupted ? kExitInterrupted : failed ? kExitTapi : kExitOk;
  const std::string why = failed ? call_state_text(end_state) + " " + call_state_detail(end_state, end_detail) : "";
  event("call ended after " + seconds_text(total) + " s" +
            (connected ? " (connected " + seconds_text(talk) + " s)" : " (never connected)") +
            (failed ? ": " + why : ""),
        ",\"event\":\"end\",\"seconds\":" + seconds_text(total) + ",\"connected\":" + (connected ? "true" : "false") +
            ",\"talk_seconds\":" + seconds_text(talk) + ",\"exit\":" + std::to_string(exit));
  if (failed) {
    std::fprintf(stderr, "opentapi: the call to %s failed: %s%s\n", a.number.c_str(), why.c_str(),
                 end_detail == LINEDISCONNECTMODE_BADADDRESS ? " (nobody has that number)" : "");
  }
  return exit;
}

// --- watch ---
const char* watched_name(DWORD msg) {
  switch (msg) {
    case LINE_AGENTSESSIONSTATUS: return "LINE_AGENTSESSIONSTATUS";
    case LINE_AGENTSTATUSEX: return "LINE_AGENTSTATUSEX";
    case LINE_QUEUESTATUS: return "LINE_QUEUESTATUS";
    case LINE_GROUPSTATUS: return "LINE_GROUPSTATUS";
    case LINE_PROXYSTATUS: return "LINE_PROXYSTATUS";
    case LINE_AGENTSTATUS: return "LINE_AGENTSTATUS";
    case LINE_AGENTSPECIFIC: return "LINE_AGENTSPECIFIC";
    case LINE_CLOSE: return "LINE_CLOSE";
    case LINE_APPNEWCALL:
      return "LINE_APPNEWCALL";
    case LINE_CALLSTATE:
      return "LINE_CALLSTATE";
    case LINE_CALLINFO:
      return "LINE_CALLINFO";
    default: return nullptr;
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
      add("changed", flags(p2, {{LINEAGENTSESSIONSTATUS_NEWSESSION, "NEWSESSION"},
                                {LINEAGENTSESSIONSTATUS_STATE, "STATE"},
                                {LINEAGENTSESSIONSTATUS_UPDATEINFO, "UPDATEINFO"}}),
          true);
      if (p2 & LINEAGENTSESSIONSTATUS_STATE) add("state", session_state_name(p3), true);
      break;
    case LINE_AGENTSTATUSEX:
      add("agent", std::to_string(p1), false);
      add("changed", flags(p2, {{LINEAGENTSTATUSEX_NEWAGENT, "NEWAGENT"},
                                {LINEAGENTSTATUSEX_STATE, "STATE"},
                                {LINEAGENTSTATUSEX_UPDATEINFO, "UPDATEINFO"}}),
          true);
      if (p2 & LINEAGENTSTATUSEX_STATE) add("state", agent_state_name(p3), true);
      break;
    case LINE_QUEUESTATUS:
      add("queue", std::to_string(p1), false);
      add("changed", flags(p2, {{LINEQUEUESTATUS_UPDATEINFO, "UPDATEINFO"},
                                {LINEQUEUESTATUS_NEWQUEUE, "NEWQUEUE"},
                                {LINEQUEUESTATUS_QUEUEREMOVED, "QUEUEREMOVED"}}),
          true);
      break;
    case LINE_GROUPSTATUS:
      add("changed",
          flags(p2, {{LINEGROUPSTATUS_NEWGROUP, "NEWGROUP"}, {LINEGROUPSTATUS_GROUPREMOVED, "GROUPREMOVED"}}), true);
      break;
    case LINE_PROXYSTATUS:
      add("status", flags(p1, {{LINEPROXYSTATUS_OPEN, "OPEN"},
                               {LINEPROXYSTATUS_CLOSE, "CLOSE"},
                               {LINEPROXYSTATUS_ALLOPENFORACD, "ALLOPENFORACD"}}),
          true);
      if (p1 & (LINEPROXYSTATUS_OPEN | LINEPROXYSTATUS_CLOSE)) add("request", request_type_name(p2), true);
      break;
    case LINE_AGENTSTATUS:
      add("address", std::to_string(p1), false);
      add("changed", flags(p2, {{LINEAGENTSTATUS_GROUP, "GROUP"},
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
      add("privilege", call_privilege_text(p3), true);
      break;
    case LINE_CALLSTATE: {
      add("call", std::to_string(static_cast<DWORD>(m.hDevice)), false);
      add("state", call_state_text(p1), true);
      const std::string detail = call_state_detail(p1, p2);
      if (!detail.empty()) add("detail", detail, true);
      break;
    }
    case LINE_CALLINFO:
      add("call", std::to_string(static_cast<DWORD>(m.hDevice)), false);
      add("changed", call_info_text(p1), true);
      break;
    default:
      break;
  }
  return {text, js};
}

// Who calls whom, from LINECALLINFO (W strings): caller and called numbers
// and names, and the call's id; nullopt if the call cannot be read.
struct CallParties {
  DWORD call_id = 0;
  DWORD address = 0;
  std::string caller, caller_name, called, called_name;
};

std::optional<CallParties> call_parties(HCALL call) {
  std::vector<unsigned char> buf(2048);
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto* info = reinterpret_cast<LINECALLINFO*>(buf.data());
    std::memset(buf.data(), 0, buf.size());
    info->dwTotalSize = static_cast<DWORD>(buf.size());
    if (lineGetCallInfoW(call, info) != 0) return std::nullopt;
    if (info->dwNeededSize > buf.size()) {
      buf.resize(info->dwNeededSize);
      continue;
    }
    const DWORD used = info->dwUsedSize;
    CallParties p;
    p.call_id = info->dwCallID;
    p.address = info->dwAddressID;
    p.caller = wide_field(buf.data(), used, info->dwCallerIDSize, info->dwCallerIDOffset);
    p.caller_name = wide_field(buf.data(), used, info->dwCallerIDNameSize, info->dwCallerIDNameOffset);
    p.called = wide_field(buf.data(), used, info->dwCalledIDSize, info->dwCalledIDOffset);
    p.called_name = wide_field(buf.data(), used, info->dwCalledIDNameSize, info->dwCalledIDNameOffset);
    return p;
  }
  return std::nullopt;
}

struct WatchArgs {
  double seconds = 0;  // 0 = until Ctrl-C
  bool summary = false;
};

int cmd_watch(const Global& g, const WatchArgs& a) {
  Tapi tapi(g.timeout);
  for (DWORD d = 0; d < tapi.num_devs(); ++d) tapi.open(d);
  std::map<HCALL, DWORD> call_lines;  // monitor handle → line device it appeared on
  std::set<HCALL> ended_calls;        // handles given back at IDLE
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
  while (!g_stop) {
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
    // A handle given back at IDLE may still get the news of the other
    // owners leaving (LINE_CALLINFO): the call is over, say nothing.
    if ((m->dwMessageID == LINE_CALLSTATE || m->dwMessageID == LINE_CALLINFO) &&
        ended_calls.contains(static_cast<HCALL>(m->hDevice)))
      continue;
    ++counts[name];
    ++total;
    // Call messages come on a call handle; the line is the one it was announced on.
    DWORD device = tapi.device_of(m->hDevice);
    auto [text, js] = describe(*m);
    if (m->dwMessageID == LINE_APPNEWCALL) {
      const auto call = static_cast<HCALL>(m->dwParam2);
      call_lines[call] = device;
      // Who calls whom, once per call: the screen pop of a desktop.
      if (const auto parties = call_parties(call)) {
        const std::string from = parties->caller.empty() ? "unknown" : parties->caller;
        text += " from=" + from + (parties->caller_name.empty() ? "" : " (" + parties->caller_name + ")") +
                " to=" + (parties->called.empty() ? "unknown" : parties->called) +
                " callid=" + std::to_string(parties->call_id);
        js += ",\"from\":" + json_str(parties->caller) + ",\"from_name\":" + json_str(parties->caller_name) +
              ",\"to\":" + json_str(parties->called) + ",\"callid\":" + std::to_string(parties->call_id);
      }
    } else if (m->dwMessageID == LINE_CALLSTATE || m->dwMessageID == LINE_CALLINFO) {
      const auto call = static_cast<HCALL>(m->hDevice);
      auto known = call_lines.find(call);
      device = known == call_lines.end() ? 0xFFFFFFFFu : known->second;
      if (m->dwMessageID == LINE_CALLSTATE && m->dwParam1 == LINECALLSTATE_IDLE && known != call_lines.end()) {
        // The call is over: give the monitor handle back (docs/calls.md).
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

// Parses a DWORD argument in decimal or 0x-hex.
struct DwordValidator : CLI::Validator {
  DwordValidator() : CLI::Validator("DWORD") {
    func_ = [](std::string& s) -> std::string {
      char* end = nullptr;
      errno = 0;
      const unsigned long long v = std::strtoull(s.c_str(), &end, 0);
      if (s.empty() || *end != '\0' || errno != 0 || v > 0xFFFFFFFFull || s[0] == '-')
        return "not a 32-bit unsigned number: " + s;
      s = std::to_string(v);
      return {};
    };
  }
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "opentapi — call-center command-line tool over the TAPI 2 C API (libopentapi).\n"
      "Talks to opentapid at $OPENTAPI_SERVER (unix:PATH) or the default socket; agents,\n"
      "sessions --all and board read its HTTP API (--http); simulate needs no server.\n"
      "Exit codes: 0 ok, 1 TAPI error (LINEERR_* printed), 2 usage or bad input file,\n"
      "3 server (or its HTTP API) not running or lost, 4 no LINE_REPLY or HTTP response\n"
      "within --timeout, 5 HTTP API refused the request (e.g. 401 bad token),\n"
      "130 interrupted.",
      "opentapi"};
  app.set_version_flag("--version", std::string("opentapi ") + OPENTAPI_VERSION);
  app.require_subcommand(1);
  app.fallthrough();
  Global g;
  app.add_flag("--json", g.json, "Machine-readable output (one JSON document; watch: one JSON object per line)");
  app.add_option("--timeout", g.timeout, "Seconds to wait for each LINE_REPLY or HTTP response")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--line", g.line, "Line device the requests go to (the ACD serves 0 and 1 by default)")
      ->capture_default_str();
  HttpOptions http;
  http.address = default_http_address();
  http.token = default_http_token();
  app.add_option("--http", http.address,
                 "HOST:PORT of opentapid's HTTP API, for agents, sessions --all and board (default: $OPENTAPI_HTTP, "
                 "else 127.0.0.1:8080)");
  app.add_option("--token", http.token,
                 "Bearer token for the HTTP API (default: $OPENTAPI_TOKEN); tokens are the [[http.token]] entries "
                 "of the call-center configuration");
  const DwordValidator dword;
  const auto state_names = [](const std::map<std::string, DWORD>& m) {
    std::vector<std::string> v;
    for (const auto& [k, _] : m) v.push_back(k);
    return v;
  };

  auto* groups = app.add_subcommand("groups", "List the ACD groups: names and GUIDs (lineGetGroupListW)");
  auto* queues = app.add_subcommand(
      "queues", "Queue statistics of every group (lineGetQueueListW + lineGetQueueInfo): calls waiting, longest "
                "current wait, total queued, abandoned, average wait, measurement period");

  LoginArgs login_args;
  auto* login = app.add_subcommand(
      "login", "Create (or get) the agent and log it into a group (lineCreateAgentW + lineCreateAgentSessionW); "
               "prints the agent and session handles. The session stays in the ACD after opentapi exits.");
  login->add_option("--group", login_args.group, "ACD group name (or GUID)")->required();
  login->add_option("--address", login_args.address, "Working address ID on the line")->capture_default_str();
  auto* agent_opt = login->add_option("--agent", login_args.agent,
                                      "Agent ID from the ACD configuration (default: the agent of your OS user)");
  login->add_option("--pin", login_args.pin, "PIN of that agent ID")->needs(agent_opt);

  DWORD state_session = 0;
  std::string state_value, state_next;
  auto* state = app.add_subcommand("state", "Set an agent session's state (lineSetAgentSessionState)");
  state->add_option("SESSION", state_session, "Session handle (from login or sessions)")->required()->check(dword);
  state->add_option("STATE", state_value, "ready | not-ready | wrapup | end")
      ->required()
      ->check(CLI::IsMember(state_names(session_states())));
  state->add_option("--next", state_next, "Next state after the current call/wrap-up")
      ->check(CLI::IsMember(state_names(session_states())));

  DWORD as_agent = 0;
  std::string as_value, as_next;
  auto* agent_state = app.add_subcommand("agent-state", "Set an agent's state (lineSetAgentStateEx)");
  agent_state->add_option("AGENT", as_agent, "Agent handle (from login)")->required()->check(dword);
  agent_state->add_option("STATE", as_value, "ready | not-ready")
      ->required()
      ->check(CLI::IsMember(state_names(agent_states())));
  agent_state->add_option("--next", as_next, "Next state")->check(CLI::IsMember(state_names(agent_states())));

  DWORD sessions_agent = 0;
  bool sessions_all = false;
  auto* sessions = app.add_subcommand(
      "sessions", "An agent's current sessions with state, duration, calls, talk/wrap-up times and call rate "
                  "(lineGetAgentSessionList + lineGetAgentSessionInfo); with --all every current session of every "
                  "agent with its state and time in state, from the HTTP API (GET /api/v1/sessions)");
  auto* sessions_agent_opt =
      sessions->add_option("AGENT", sessions_agent, "Agent handle (from login); not with --all")->check(dword);
  sessions->add_flag("--all", sessions_all, "Every agent's sessions, from the HTTP API (--http, --token)")
      ->excludes(sessions_agent_opt);

  auto* agents = app.add_subcommand(
      "agents", "Every agent with its state, time in state, next state, ACD calls and talk/wrap-up times, from "
                "the HTTP API (GET /api/v1/agents; --http, --token)");
  auto* board = app.add_subcommand(
      "board", "The supervisor's board from the HTTP API (GET /api/v1/board; --http, --token): queues (waiting, "
               "longest wait, offered, answered, abandoned, service level, ASA), agents and sessions with time in "
               "state");

  SimulateOptions sim;
  bool sim_csv = false;
  auto* simulate = app.add_subcommand(
      "simulate",
      "Run the reference ACD's call-center model and traffic simulator in this process on a simulated clock (no "
      "server needed) and report calls offered/answered/abandoned, service level, average speed of answer, "
      "average handle time, occupancy, per queue and per agent. A progress bar shows on stderr when it is a "
      "terminal. Ctrl-C stops the run and reports the time simulated so far (exit 130).");
  simulate->add_option("--config", sim.config_file,
                       "Call-center configuration (TOML, docs/acd.md) to start from (default: the built-in demo call "
                       "center)");
  simulate->add_option("--agents", sim.agents,
                       "Simulated agents: this many generated agents (sim1, sim2, ...) log into every group "
                       "(default: the configuration's [simulator] agents)")
      ->check(CLI::Range(0u, 10000u));
  simulate->add_option("--calls-per-hour", sim.calls_per_hour,
                       "Calls per hour arriving at each simulated queue, Poisson (default: [simulator] "
                       "calls_per_hour)")
      ->check(CLI::Range(0.0, 1e6));
  simulate->add_option("--duration", sim.duration,
                       "Simulated time to run: 90 (seconds), 3600s, 30m, 8h, 2d, 1h30m")
      ->capture_default_str()
      ->check(CLI::Validator(
          [](std::string& v) -> std::string {
            return parse_duration_ms(v) ? std::string() : "not a duration (e.g. 30m, 8h, 3600s): " + v;
          },
          "DURATION"));
  simulate->add_option("--handle-seconds", sim.handle_seconds,
                       "Mean talk time per call, seconds (default: [simulator] handle_seconds)")
      ->check(CLI::Range(0.0, 86400.0));
  simulate->add_option("--patience-seconds", sim.patience_seconds,
                       "Mean time a caller waits before hanging up, seconds; 0 = callers never hang up (default: "
                       "[simulator] patience_seconds)")
      ->check(CLI::Range(0.0, 86400.0));
  simulate->add_option("--answer-seconds", sim.answer_seconds,
                       "Ring time before the agent answers, seconds (default: [simulator] answer_seconds)")
      ->check(CLI::Range(0.0, 3600.0));
  simulate->add_option("--wrap-up-seconds", sim.wrap_up_seconds,
                       "Wrap-up time after each call, seconds; 0 = the agent is ready right after the call "
                       "(default: [acd] wrap_up_seconds)")
      ->check(CLI::Range(0u, 86400u));
  simulate->add_option("--seed", sim.seed, "Random seed: the same seed and options give the same report "
                                           "(default: [simulator] seed)");
  simulate->add_option("--service-level", sim.service_level_seconds,
                       "Service-level target for every queue: a call answered within this many seconds of its "
                       "arrival meets it (default: each queue's [[queue]] service_level_seconds, 20 unless set)")
      ->check(CLI::Range(0u, 86400u));
  simulate->add_option("--speed", sim.speed,
                       "Simulated seconds per wall-clock second, e.g. 60 = a minute per second (default: as fast as "
                       "possible)")
      ->check(CLI::PositiveNumber);
  bool sim_json = false;
  auto* sim_json_flag =
      simulate->add_flag("--json", sim_json, "Report as one JSON document (the same as the global --json)");
  simulate->add_flag("--csv", sim_csv,
                     "Report as CSV: one header, then rows of scope total, queue and agent (empty cells where a "
                     "column does not apply)")
      ->excludes(sim_json_flag);

  WatchArgs watch_args;
  auto* watch = app.add_subcommand(
      "watch", "Open every line (monitor) and print each LINE_AGENTSESSIONSTATUS, LINE_AGENTSTATUSEX, "
               "LINE_QUEUESTATUS, LINE_GROUPSTATUS and LINE_PROXYSTATUS (also LINE_AGENTSTATUS, "
               "LINE_AGENTSPECIFIC, LINE_CLOSE) with a timestamp, until Ctrl-C or --seconds; then a line of counts");
  watch->add_option("--seconds", watch_args.seconds, "Stop after this many seconds (default: until Ctrl-C)")
      ->check(CLI::PositiveNumber);
  watch->add_flag("--summary", watch_args.summary, "Also print the counts every 10 seconds");

  CallArgs call_args;
  auto* call = app.add_subcommand(
      "call",
      "Place a call from --line with lineMakeCallW (owner, interactive voice) and print the LINE_REPLY "
      "and each call state as it happens, until the call is idle; a DISCONNECTED or BUSY call is dropped "
      "(lineDrop). Exit 0 when the call ended normally or was hung up, 1 when it reached nobody");
  call->add_option("NUMBER", call_args.number, "The number to dial: a station address, a queue (8001…)")->required();
  call->add_option("--address", call_args.address, "Address ID on --line to call from (default 0)")->check(dword);
  call->add_option("--hangup-after", call_args.hangup_after,
                   "Hang up this many seconds after the call was placed, whatever its state (default: wait for "
                   "the other side; Ctrl-C hangs up)")
      ->check(CLI::PositiveNumber);

  std::string calls_state;
  std::optional<DWORD> calls_queue;
  auto* calls =
      app.add_subcommand("calls",
                         "Every call in progress — state, queue, caller, agent, station, wait and talk time — from the "
                         "HTTP API (GET /api/v1/calls; a supervisor's --token)");
  calls->add_option("--state", calls_state, "Only calls in this state")
      ->check(CLI::IsMember({"queued", "ringing", "talking", "detached"}));
  calls->add_option("--queue", calls_queue, "Only calls of this queue ID")->check(dword);

  std::string period_kind;
  DWORD period_object = 0, period_seconds = 0;
  auto* set_period = app.add_subcommand(
      "set-period",
      "Set the measurement period of an agent (lineSetAgentMeasurementPeriod) or a queue "
      "(lineSetQueueMeasurementPeriod): set-period agent AGENT SECONDS | set-period queue QUEUE SECONDS");
  set_period->add_option("KIND", period_kind, "agent | queue")->required()->check(CLI::IsMember({"agent", "queue"}));
  set_period->add_option("ID", period_object, "Agent handle or queue ID")->required()->check(dword);
  set_period->add_option("SECONDS", period_seconds, "Period in seconds (> 0)")
      ->required()
      ->check(CLI::Range(1u, 0xFFFFFFFFu));

  // Subcommand help does not list the global options: each names those it uses.
  const std::string tapi_footer =
      "Global options (before or after the command): --json, --timeout S (per LINE_REPLY), --line N.\n"
      "Talks to opentapid at $OPENTAPI_SERVER (unix:PATH, tcp:HOST:PORT) or the default socket.";
  const std::string http_footer =
      "Global options (before or after the command): --http HOST:PORT (default $OPENTAPI_HTTP, else\n"
      "127.0.0.1:8080), --token T (default $OPENTAPI_TOKEN), --json (the API's document with\n"
      "time_in_state_ms added to every agent and session), --timeout S. Time in state is the\n"
      "server's now_ms - state_since_ms, shown as 45s, 3m12s, 1h05m00s.";
  for (CLI::App* sub : {groups, queues, login, state, agent_state, watch, set_period}) sub->footer(tapi_footer);
  for (CLI::App* sub : {agents, board, calls}) sub->footer(http_footer);
  call->footer(
      "--line N is the station line to call from (its address --address). Numbers: station addresses are\n"
      "numbered from 2001 by default, queues are 8000 + id; `opentapid --print-config` lists them.\n"
      "Output: a timestamped line per event (--json: one JSON object per line). Exit codes: 0 the call\n"
      "ended (the other side hung up, or it was hung up here), 1 a TAPI error (LINEERR_* printed:\n"
      "LINEERR_INVALADDRESS for a malformed number, LINEERR_BADDEVICEID for a bad --line) or a call\n"
      "that reached nobody (DISCONNECTED BADADDRESS, BUSY, ...), 3 no server, 4 no LINE_REPLY within\n"
      "--timeout, 130 interrupted (the call is hung up first).\n" +
      tapi_footer);
  sessions->footer("AGENT: over TAPI. " + tapi_footer + "\n--all: over HTTP. " + http_footer);
  simulate->footer(
      "The report: calls offered (arrived), answered (by an agent), abandoned (the caller hung up\n"
      "while waiting or ringing) and still waiting or ringing at the end; service level = calls\n"
      "answered within the target (--service-level) of arrival / (answered + abandoned); average\n"
      "speed of answer = arrival to answer, ring time included; average handle time = average talk +\n"
      "average wrap-up; occupancy = time on a call or in wrap-up / logged-in time. A call counts\n"
      "for the queue it arrived at, even when it overflowed. Every simulated agent logs into every\n"
      "group and is ready from the start. The simulated day starts 2026-01-05T08:00:00Z.\n"
      "Output: a table, or --json / --csv. Exit codes: 0, 2 bad option or configuration, 130\n"
      "interrupted (the report then covers the time simulated so far).");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }

  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGPIPE, &sa, nullptr);

  try {
    if (*groups) return cmd_groups(g);
    if (*queues) return cmd_queues(g);
    if (*login) return cmd_login(g, login_args);
    if (*state) return cmd_state(g, state_session, state_value, state_next);
    if (*agent_state) return cmd_agent_state(g, as_agent, as_value, as_next);
    http.json = g.json;
    http.timeout_s = g.timeout;
    if (*sessions) {
      if (sessions_all) return cmd_all_sessions(http);
      if (sessions_agent_opt->count() == 0) {
        std::fprintf(stderr, "opentapi sessions: give an AGENT handle, or --all for every agent's sessions\n");
        return kExitUsage;
      }
      return cmd_sessions(g, sessions_agent);
    }
    if (*agents) return cmd_agents(http);
    if (*board) return cmd_board(http);
    if (*calls) return cmd_calls(http, calls_state, calls_queue);
    if (*call) return cmd_call(g, call_args);
    if (*simulate) {
      if (sim_json) g.json = true;
      if (g.json) sim.format = SimulateOptions::Format::kJson;
      if (sim_csv) sim.format = SimulateOptions::Format::kCsv;
      if (sim_csv && g.json) {
        std::fprintf(stderr, "opentapi simulate: --csv and --json exclude each other\n");
        return kExitUsage;
      }
      return cmd_simulate(sim, [] { return g_stop != 0; });
    }
    if (*watch) return cmd_watch(g, watch_args);
    if (*set_period) return cmd_set_period(g, period_kind, period_object, period_seconds);
  } catch (const Failure& f) {
    std::fprintf(stderr, "opentapi: %s\n", f.what());
    if (g.json) {
      const std::string name = f.code ? lineerr_name(static_cast<LONG>(f.code)) : f.error;
      std::printf("{\"ok\":false,\"exit\":%d,\"error\":%s,\"message\":%s}\n", f.exit_code,
                  json_str(name).c_str(), json_str(f.what()).c_str());
    }
    return f.exit_code;
  }
  return kExitUsage;
}
