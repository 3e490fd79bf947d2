#include "tapi_app.h"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdlib>

#include "cli_failure.h"
#include "core/status.h"
#include "layout/var_struct.h"
#include "socket_diagnosis.h"
#include "tapi_text.h"
#include "wide_text.h"

namespace opentapi::cli {
namespace {

constexpr DWORD kApiLow = 0x00020000;
constexpr DWORD kApiHigh = 0x00030001;

volatile sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

}  // namespace

std::string default_server_address() {
  if (const char* s = std::getenv("OPENTAPI_SERVER"); s && *s) return s;
  if (const char* x = std::getenv("XDG_RUNTIME_DIR"); x && *x)
    return std::string("unix:") + x + "/opentapi/opentapid.sock";
  return "unix:/tmp/opentapi-" + std::to_string(::getuid()) + "/opentapid.sock";
}

std::string lineerr_name(long code) {
  return core::error_code_name(static_cast<core::ErrorCode>(static_cast<std::uint32_t>(code)));
}

[[noreturn]] void tapi_fail(const char* function, LONG code) {
  std::string msg =
      std::string(function) + " failed: " + lineerr_name(code) + " (" + hex32(static_cast<DWORD>(code)) + ")";
  if (code == LINEERR_OPERATIONUNAVAIL)
    msg += "\nhint: no ACD serves this line (is opentapid running with --no-acd? try --line)";
  throw Failure(kExitTapi, code, msg);
}

void catch_interrupts() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGPIPE, &sa, nullptr);
}

bool interrupted() { return g_stop != 0; }

Tapi::Tapi(double timeout_s) : timeout_ms_(static_cast<long>(timeout_s * 1000.0)) {
  LINEINITIALIZEEXPARAMS params{};
  params.dwTotalSize = sizeof params;
  params.dwOptions = LINEINITIALIZEEXOPTION_USEEVENT;
  DWORD version = kApiHigh;
  const LONG rc = lineInitializeExW(&app_, nullptr, nullptr, L"opentapi", &num_devs_, &version, &params);
  if (rc == LINEERR_SERVICE_NOT_RUNNING) {
    if (std::string denied = permission_problem(default_server_address()); !denied.empty()) {
      throw Failure(kExitNoServer, rc,
                    denied + "\nopentapid's socket is for its owner's user (and group, if made group-writable)");
    }
    throw Failure(kExitNoServer, rc,
                  "the telephony server is not running (nothing listening at " + default_server_address() +
                      ")\nstart it with: opentapid   (or set OPENTAPI_SERVER=unix:PATH to its socket)");
  }
  if (rc != 0) tapi_fail("lineInitializeExW", rc);
}

Tapi::~Tapi() {
  for (auto& [h, dev] : lines_) lineClose(h);
  lineShutdown(app_);
}

HLINE Tapi::open(DWORD device, DWORD privileges, DWORD media_modes) {
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

void Tapi::complete(const char* function, LONG request) {
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

std::optional<LINEMESSAGE> Tapi::next(DWORD ms) {
  LINEMESSAGE m{};
  if (lineGetMessage(app_, &m, ms) != 0) return std::nullopt;
  return m;
}

DWORD Tapi::device_of(DWORD hline) const {
  auto it = lines_.find(hline);
  return it == lines_.end() ? 0xFFFFFFFFu : it->second;
}

void Tapi::check_lost(const LINEMESSAGE& m) {
  if (m.dwMessageID == LINE_LINEDEVSTATE && (m.dwParam1 & LINEDEVSTATE_REINIT))
    throw Failure(kExitNoServer, LINEERR_REINIT, "lost the connection to the telephony server (opentapid stopped?)");
}

std::string wide_field(const unsigned char* base, DWORD limit, DWORD size, DWORD offset) {
  if (size < sizeof(wchar_t) || offset == 0 || std::uint64_t{offset} + size > limit) return {};
  std::wstring w(size / sizeof(wchar_t), L'\0');
  std::memcpy(w.data(), base + offset, w.size() * sizeof(wchar_t));
  while (!w.empty() && w.back() == L'\0') w.pop_back();
  return wide_to_utf8(w);
}

std::optional<CallParties> call_parties(HCALL call) {
  std::vector<unsigned char> buf(2048);
  for (int attempt = 0; attempt < 3; ++attempt) {
    const auto room = static_cast<DWORD>(buf.size());
    std::fill(buf.begin(), buf.end(), 0);
    std::memcpy(buf.data(), &room, sizeof room);  // dwTotalSize
    if (lineGetCallInfoW(call, reinterpret_cast<LINECALLINFO*>(buf.data())) != 0) return std::nullopt;
    const layout::VarHeader header = layout::read_header(buf.data());
    if (header.needed_size > room) {
      buf.resize(header.needed_size);
      continue;
    }
    // The layout library's reader checks every pair against what was filled.
    auto reader = layout::VarStructReader::filled(buf.data(), room, sizeof(LINECALLINFO), layout::Charset::kWide);
    if (!reader) return std::nullopt;
    CallParties p;
    p.call_id = reader->u32(OT_OFF(LINECALLINFO, dwCallID));
    p.address = reader->u32(OT_OFF(LINECALLINFO, dwAddressID));
    p.caller = reader->string(OT_PAIR(LINECALLINFO, CallerID)).value_or("");
    p.caller_name = reader->string(OT_PAIR(LINECALLINFO, CallerIDName)).value_or("");
    p.called = reader->string(OT_PAIR(LINECALLINFO, CalledID)).value_or("");
    p.called_name = reader->string(OT_PAIR(LINECALLINFO, CalledIDName)).value_or("");
    return p;
  }
  return std::nullopt;
}

}  // namespace opentapi::cli
