#include "core/units.h"

namespace opentapi::core {

namespace {
constexpr std::int64_t kMsPerDay = 86'400'000;
constexpr std::int64_t kOleDaysAtUnixEpoch = 25'569;  // 1899-12-30 → 1970-01-01
}  // namespace

double to_ole_date_from_unix_ms(std::int64_t unix_ms) noexcept {
  // Split into whole days and time of day with floor division, in integers, so
  // the fraction is exact to the millisecond whatever the magnitude.
  std::int64_t days = unix_ms / kMsPerDay;
  std::int64_t ms_of_day = unix_ms % kMsPerDay;
  if (ms_of_day < 0) {
    ms_of_day += kMsPerDay;
    days -= 1;
  }
  const std::int64_t ole_day = days + kOleDaysAtUnixEpoch;
  const double fraction = static_cast<double>(ms_of_day) / static_cast<double>(kMsPerDay);
  // OLE DATE: the integer part is the day (negative before the epoch), the
  // fractional part is always the positive time of day.
  return ole_day >= 0 ? static_cast<double>(ole_day) + fraction : static_cast<double>(ole_day) - fraction;
}

double to_ole_date(TimePoint t) noexcept { return to_ole_date_from_unix_ms(t.unix_ms()); }

}  // namespace opentapi::core
