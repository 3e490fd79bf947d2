#include "text.h"

#include <cinttypes>
#include <cstdio>

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

}  // namespace opentapi::cli
