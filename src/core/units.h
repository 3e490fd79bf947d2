// Time and the units TAPI statistics are reported in (docs/reference/flows.md §5.1).
//
// The core has no clock: every operation that depends on time takes a
// TimePoint from its caller (the ACD reads its clock once per request and
// passes the value down), which keeps the core deterministic and testable.
//
// Inside the core, durations are kept in milliseconds; they become TAPI
// values only at the output, through the helpers below:
//   * whole seconds, truncated toward zero and saturated at 0xFFFFFFFF (DWORD);
//   * CURRENCY rates, an int64 holding value × 10 000, truncated;
//   * OLE Automation DATE (days since 1899-12-30), computed in UTC.
#ifndef OPENTAPI_CORE_UNITS_H_
#define OPENTAPI_CORE_UNITS_H_

#include <compare>
#include <cstdint>
#include <limits>

namespace opentapi::core {

// A wall-clock instant: milliseconds since the Unix epoch, UTC. A strong type
// so instants and durations cannot be mixed up.
class TimePoint {
 public:
  constexpr TimePoint() noexcept = default;
  static constexpr TimePoint from_unix_ms(std::int64_t ms) noexcept { return TimePoint(ms); }
  static constexpr TimePoint from_unix_seconds(std::int64_t s) noexcept { return TimePoint(s * 1000); }

  constexpr std::int64_t unix_ms() const noexcept { return ms_; }

  constexpr TimePoint plus_ms(std::int64_t ms) const noexcept { return TimePoint(ms_ + ms); }
  constexpr TimePoint plus_seconds(std::int64_t s) const noexcept { return TimePoint(ms_ + s * 1000); }

  friend constexpr auto operator<=>(TimePoint, TimePoint) noexcept = default;

 private:
  constexpr explicit TimePoint(std::int64_t ms) noexcept : ms_(ms) {}
  std::int64_t ms_ = 0;
};

// Milliseconds from `from` to `to`, never negative: an injected clock that
// steps backwards yields "no time passed" rather than a negative duration.
constexpr std::int64_t elapsed_ms(TimePoint from, TimePoint to) noexcept {
  return to > from ? to.unix_ms() - from.unix_ms() : 0;
}

constexpr std::uint32_t kDwordMax = std::numeric_limits<std::uint32_t>::max();

// Clamp a non-negative count to a DWORD field.
constexpr std::uint32_t saturate_dword(std::uint64_t value) noexcept {
  return value > kDwordMax ? kDwordMax : static_cast<std::uint32_t>(value);
}

// docs/reference/flows.md §5.1: statistics are whole seconds. Truncated (1 999 ms → 1 s).
constexpr std::uint32_t whole_seconds(std::int64_t ms) noexcept {
  return ms <= 0 ? 0 : saturate_dword(static_cast<std::uint64_t>(ms) / 1000);
}

// DWORD + DWORD without wrapping (TotalCallTime = talk + wrap-up).
constexpr std::uint32_t saturating_add(std::uint32_t a, std::uint32_t b) noexcept {
  return saturate_dword(std::uint64_t{a} + b);
}

// Integer average, 0 when there is nothing to average (docs/reference/flows.md §5.2 [DECIDE]).
constexpr std::uint32_t average(std::uint64_t total, std::uint64_t count) noexcept {
  return count == 0 ? 0 : saturate_dword(total / count);
}

// CURRENCY fixed point: value × 10 000 (docs/reference/tapi2-agent.md §1.1).
constexpr std::int64_t kCurrencyScale = 10'000;

// Calls per hour as CURRENCY: calls × 3600 × 10 000 / seconds, truncated
// toward zero; 0 when seconds is 0. Example: 25 calls in 7 200 s → 125 000
// (12.5 calls/hour). No overflow for any DWORD inputs (≤ 2^32 × 3.6e7 < 2^63).
constexpr std::int64_t calls_per_hour(std::uint64_t calls, std::uint64_t seconds) noexcept {
  if (seconds == 0) return 0;
  const std::uint64_t c = calls > kDwordMax ? kDwordMax : calls;
  return static_cast<std::int64_t>(c * 3600u * static_cast<std::uint64_t>(kCurrencyScale) / seconds);
}

// OLE Automation DATE of an instant, UTC (docs/reference/flows.md §5.1 [DECIDE]: the proxy
// reports UTC; the TAPI 3 layer converts to local time). Before 1899-12-30 the
// OLE encoding keeps the time of day as a positive fraction (-1.25 is
// 1899-12-29 06:00), which this honours.
double to_ole_date(TimePoint t) noexcept;
double to_ole_date_from_unix_ms(std::int64_t unix_ms) noexcept;

}  // namespace opentapi::core

#endif  // OPENTAPI_CORE_UNITS_H_
