#include "server/protobuf_log.h"

#include <google/protobuf/stubs/logging.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <mutex>
#include <string>

#include "core/log_throttle.h"

namespace opentapi::server {
namespace {

std::mutex g_mu;
core::LogThrottle g_throttle(10000, 5);

std::string escaped(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += (c == '\n' || c == '\r') ? ' ' : c;
  }
  return out;
}

void handle(google::protobuf::LogLevel level, const char* filename, int line, const std::string& message) {
  const std::int64_t now =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
          .count();
  core::LogThrottle::Decision d;
  {
    std::lock_guard lock(g_mu);
    d = g_throttle.admit(now);
  }
  if (!d.log) return;
  const char* name = level == google::protobuf::LOGLEVEL_INFO      ? "info"
                     : level == google::protobuf::LOGLEVEL_WARNING ? "warning"
                     : level == google::protobuf::LOGLEVEL_ERROR   ? "error"
                                                                   : "fatal";
  // Protobuf's errors here come from peers' bytes: a warning for the server.
  spdlog::warn("event=protobuf-log level={} source={}:{} message=\"{}\" suppressed={}", name,
               filename != nullptr ? filename : "?", line, escaped(message), d.suppressed);
}

}  // namespace

void route_protobuf_log() {
  static std::once_flag once;
  std::call_once(once, [] { google::protobuf::SetLogHandler(&handle); });
}

}  // namespace opentapi::server
