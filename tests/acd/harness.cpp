#include "harness.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace acd_test {

// --- Opentapid ---------------------------------------------------------------

Opentapid::Opentapid(const std::string& dir, int lines, int addresses) {
  const std::string socket = dir + "/opentapid.sock";
  address_ = "unix:" + socket;
  process_ = std::make_unique<opentapi::test_support::Opentapid>(
      std::vector<std::string>{"--listen", address_, "--lines", std::to_string(lines), "--addresses",
                               std::to_string(addresses), "--log-level", "warn", "--no-acd"},
      dir + "/opentapid.log");
  ::setenv("OPENTAPI_SERVER", address_.c_str(), 1);
  process_->wait_listening(socket, kWait);
}

Opentapid::~Opentapid() { stop(); }

void Opentapid::stop() { process_->stop(kWait); }

std::unique_ptr<Child> start_acd_host(const std::string& config_path, const std::string& data_dir, AcdHostInfo* info,
                                      bool expect_ready) {
  const auto t0 = Clock::now();
  opentapi::test_support::SpawnOptions output;
  output.capture = opentapi::test_support::SpawnOptions::Capture::kStdoutAndStderr;
  // A store location ("postgresql…", "sqlite:…") or a data directory.
  const bool location = data_dir.starts_with("postgres") || data_dir.starts_with("sqlite:");
  auto child = std::make_unique<Child>(
      std::vector<std::string>{ACD_HOST_BINARY, "--config", config_path, location ? "--store" : "--data-dir", data_dir},
      output);
  if (!expect_ready) return child;
  auto ready = child->wait_line("READY ", 60s);
  if (!ready) return nullptr;
  if (info != nullptr) {
    info->startup = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0);
    unsigned long long restore = 0;
    unsigned long long live = 0;
    std::sscanf(ready->c_str(), "restore_ms=%llu live_sessions=%llu", &restore, &live);
    info->restore_ms = restore;
    info->live_sessions = live;
  }
  return child;
}

// --- Client --------------------------------------------------------------------------

Client::Client(bool wide) : wide_(wide) {
  LINEINITIALIZEEXPARAMS params;
  std::memset(&params, 0, sizeof params);
  params.dwTotalSize = sizeof params;
  params.dwOptions = LINEINITIALIZEEXOPTION_USEEVENT;
  DWORD devices = 0;
  DWORD api = 0x00030001;
  init_ = wide ? lineInitializeExW(&happ_, nullptr, nullptr, L"acd scenario", &devices, &api, &params)
               : lineInitializeExA(&happ_, nullptr, nullptr, "acd scenario", &devices, &api, &params);
}

Client::~Client() {
  if (init_ == 0) lineShutdown(happ_);
}

HLINE Client::open(DWORD device) { return open(device, LINECALLPRIVILEGE_NONE, 0); }

HLINE Client::open(DWORD device, DWORD privileges, DWORD media_modes) {
  DWORD version = 0;
  LINEEXTENSIONID ext;
  if (lineNegotiateAPIVersion(happ_, device, 0x00020000, 0x00030001, &version, &ext) != 0) return 0;
  HLINE line = 0;
  const LONG rc = wide_ ? lineOpenW(happ_, device, &line, version, 0, device, privileges, media_modes, nullptr)
                        : lineOpenA(happ_, device, &line, version, 0, device, privileges, media_modes, nullptr);
  return rc == 0 ? line : 0;
}

bool Client::pump(std::chrono::milliseconds timeout) {
  LINEMESSAGE m;
  if (lineGetMessage(happ_, &m, static_cast<DWORD>(timeout.count())) != 0) return false;
  if (m.dwMessageID == LINE_REPLY) {
    replies_.emplace_back(static_cast<LONG>(m.dwParam1), static_cast<LONG>(m.dwParam2));
  } else {
    messages_.push_back(m);
  }
  return true;
}

LONG Client::reply(LONG request_id, std::chrono::milliseconds timeout) {
  if (request_id <= 0) return request_id;
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    for (auto it = replies_.begin(); it != replies_.end(); ++it) {
      if (it->first == request_id) {
        const LONG r = it->second;
        replies_.erase(it);
        return r;
      }
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return 1;  // "no reply": never a LINEERR, never 0
    pump(left);
  }
}

std::optional<LINEMESSAGE> Client::wait(const std::function<bool(const LINEMESSAGE&)>& match,
                                        std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    for (auto it = messages_.begin(); it != messages_.end(); ++it) {
      if (match(*it)) {
        LINEMESSAGE m = *it;
        messages_.erase(it);
        return m;
      }
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return std::nullopt;
    pump(left);
  }
}

std::vector<LINEMESSAGE> Client::take_messages() {
  drain();
  std::vector<LINEMESSAGE> out(messages_.begin(), messages_.end());
  messages_.clear();
  return out;
}

void Client::drain(std::chrono::milliseconds timeout, std::size_t max) {
  for (std::size_t n = 0; n < max && pump(timeout); ++n) {
  }
}

LONG Client::create_agent(HLINE line, const char* id, const char* pin, HAGENT* agent) {
  return reply(lineCreateAgentA(line, const_cast<LPSTR>(id), const_cast<LPSTR>(pin), agent));
}

LONG Client::create_session(HLINE line, HAGENT agent, const char* pin, DWORD address, const GUID& group,
                            HAGENTSESSION* session) {
  GUID g = group;
  return reply(lineCreateAgentSessionA(line, agent, const_cast<LPSTR>(pin), address, &g, session));
}

LONG Client::set_session_state(HLINE line, HAGENTSESSION session, DWORD state, DWORD next) {
  return reply(lineSetAgentSessionState(line, session, state, next));
}

LONG Client::set_agent_period(HLINE line, HAGENT agent, DWORD seconds) {
  return reply(lineSetAgentMeasurementPeriod(line, agent, seconds));
}

LONG Client::session_info(HLINE line, HAGENTSESSION session, LINEAGENTSESSIONINFO* info) {
  std::memset(info, 0, sizeof *info);
  info->dwTotalSize = sizeof *info;
  return reply(lineGetAgentSessionInfo(line, session, info));
}

LONG Client::agent_info(HLINE line, HAGENT agent, LINEAGENTINFO* info) {
  std::memset(info, 0, sizeof *info);
  info->dwTotalSize = sizeof *info;
  return reply(lineGetAgentInfo(line, agent, info));
}

LONG Client::queue_info(HLINE line, DWORD queue, LINEQUEUEINFO* info) {
  std::memset(info, 0, sizeof *info);
  info->dwTotalSize = sizeof *info;
  return reply(lineGetQueueInfo(line, queue, info));
}

LONG Client::pbx(HLINE line, DWORD operation, DWORD call, DWORD queue, std::vector<DWORD>* out) {
  DWORD block[8] = {1, operation, call, queue, 0, 0, 0, 0};
  const LONG r = reply(lineAgentSpecific(line, 0, 0, block, sizeof block));
  if (out != nullptr) out->assign(block, block + 8);
  return r;
}

GUID guid(const char* text) {
  GUID g{};
  unsigned d1 = 0, d2 = 0, d3 = 0, b[8] = {};
  std::sscanf(text, "{%8x-%4x-%4x-%2x%2x-%2x%2x%2x%2x%2x%2x}", &d1, &d2, &d3, &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
              &b[6], &b[7]);
  g.Data1 = d1;
  g.Data2 = static_cast<decltype(g.Data2)>(d2);
  g.Data3 = static_cast<decltype(g.Data3)>(d3);
  for (int i = 0; i < 8; ++i) g.Data4[i] = static_cast<std::uint8_t>(b[i]);
  return g;
}

}  // namespace acd_test
