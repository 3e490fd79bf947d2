#include "core/measurement_period.h"

namespace opentapi::core {

Status MeasurementPeriod::validate_seconds(std::uint32_t seconds) {
  if (seconds == 0) {
    return Status::error(ErrorCode::kInvalParam, "measurement period must be > 0 seconds");
  }
  return Status();
}

Result<MeasurementPeriod> MeasurementPeriod::create(std::uint32_t seconds, TimePoint start) {
  Status s = validate_seconds(seconds);
  if (!s.ok()) return s;
  return MeasurementPeriod(seconds, start);
}

TimePoint MeasurementPeriod::window_start_at(TimePoint now) const noexcept {
  const std::int64_t since = elapsed_ms(start_, now);
  const std::int64_t len = length_ms();
  // start + k·len ≤ now, so this cannot overflow whenever `now` itself is valid.
  return start_.plus_ms(since - since % len);
}

TimePoint MeasurementPeriod::window_end_at(TimePoint now) const noexcept {
  return window_start_at(now).plus_ms(length_ms());
}

bool MeasurementPeriod::roll(TimePoint now) noexcept {
  const TimePoint current = window_start_at(now);
  if (current == start_) return false;
  start_ = current;
  return true;
}

Status MeasurementPeriod::reset(std::uint32_t seconds, TimePoint now) {
  Status s = validate_seconds(seconds);
  if (!s.ok()) return s;
  seconds_ = seconds;
  start_ = now;
  return s;
}

}  // namespace opentapi::core
