#include "text.h"

#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <ctime>

namespace opentapi::cli {

std::string clock_text(std::uint64_t secs) {
  char b[48];
  if (secs >= 3600)
    std::snprintf(b, sizeof b, "%" PRIu64 ":%02" PRIu64 ":%02" PRIu64, secs / 3600, secs / 60 % 60, secs % 60);
  else
    std::snprintf(b, sizeof b, "%" PRIu64 ":%02" PRIu64, secs / 60, secs % 60);
  return b;
}

std::string elapsed_text(std::int64_t ms) {
  const std::int64_t s = ms < 0 ? 0 : ms / 1000;
  char b[48];
  if (s >= 3600)
    std::snprintf(b, sizeof b, "%" PRId64 "h%02" PRId64 "m%02" PRId64 "s", s / 3600, s / 60 % 60, s % 60);
  else if (s >= 60)
    std::snprintf(b, sizeof b, "%" PRId64 "m%02" PRId64 "s", s / 60, s % 60);
  else
    std::snprintf(b, sizeof b, "%" PRId64 "s", s);
  return b;
}

std::string seconds_text(double seconds) {
  char b[48];
  std::snprintf(b, sizeof b, "%.1f", seconds);
  return b;
}

std::string percent_text(double ratio) {
  char b[48];
  std::snprintf(b, sizeof b, "%.1f%%", ratio * 100.0);
  return b;
}

std::string json_str(const std::string& s) {
  std::string o = "\"";
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        o += "\\\"";
        break;
      case '\\':
        o += "\\\\";
        break;
      case '\n':
        o += "\\n";
        break;
      case '\r':
        o += "\\r";
        break;
      case '\t':
        o += "\\t";
        break;
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

}  // namespace opentapi::cli
