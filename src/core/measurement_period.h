// Measurement periods: the window agent and queue statistics cover
// (docs/reference/flows.md §5.5).
//
// Contract, shared by Agent and Queue:
//   * Tumbling windows. A period starts when the counters are reset — at
//     creation or when the period is set — and the next ones start at
//     start + k·period. When `now` reaches a boundary the cumulative counters
//     restart from zero; instantaneous values (states, calls waiting now) are
//     never reset. Skipping several periods at once lands on the right
//     boundary (all counters zero).
//   * Default 86 400 s (one day) until set.
//   * 0 is refused with kInvalParam (docs/reference/tapi2-agent.md §3.1: "must be > 0").
//     Any other DWORD is accepted, including the huge values a negative TAPI 3
//     `long` becomes ([DECIDE] §5.5); 0xFFFFFFFF s fits int64 milliseconds
//     with room to spare.
//   * Setting the period — even to its current value — resets the counters
//     and starts a new period at `now` ([DOC] for agents, [DECIDE] for queues).
//   * An injected clock that steps backwards never rolls a period back.
#ifndef OPENTAPI_CORE_MEASUREMENT_PERIOD_H_
#define OPENTAPI_CORE_MEASUREMENT_PERIOD_H_

#include <cstdint>

#include "core/status.h"
#include "core/units.h"

namespace opentapi::core {

class MeasurementPeriod {
 public:
  static constexpr std::uint32_t kDefaultSeconds = 86'400;

  // Starts a period of kDefaultSeconds at `start`.
  explicit MeasurementPeriod(TimePoint start) noexcept : start_(start) {}

  // kInvalParam when seconds == 0.
  static Result<MeasurementPeriod> create(std::uint32_t seconds, TimePoint start);
  static Status validate_seconds(std::uint32_t seconds);

  std::uint32_t seconds() const noexcept { return seconds_; }
  // Start of the window the counters were last rolled to.
  TimePoint start() const noexcept { return start_; }

  // Start of the window `now` falls in (pure; no roll). Equals start() until
  // the first boundary is reached.
  TimePoint window_start_at(TimePoint now) const noexcept;
  // First boundary after `now`: when the window containing `now` ends. Lets
  // the ACD announce UPDATEINFO when counters silently reset.
  TimePoint window_end_at(TimePoint now) const noexcept;
  // True when counters kept for start() are stale at `now`.
  bool has_rolled_by(TimePoint now) const noexcept { return window_start_at(now) != start_; }

  // Moves start() to the window containing `now`. Returns true when it moved,
  // i.e. the caller must zero its cumulative counters.
  bool roll(TimePoint now) noexcept;

  // Sets the length and starts a new period at `now`. kInvalParam for 0, in
  // which case nothing changes. The caller resets its counters on success.
  Status reset(std::uint32_t seconds, TimePoint now);

 private:
  MeasurementPeriod(std::uint32_t seconds, TimePoint start) noexcept : seconds_(seconds), start_(start) {}
  std::int64_t length_ms() const noexcept { return std::int64_t{seconds_} * 1000; }

  std::uint32_t seconds_ = kDefaultSeconds;
  TimePoint start_;
};

// Cumulative counters bound to a measurement period. `Counters` is a plain
// aggregate whose value-initialised state is "nothing counted".
//
// Mutating code calls at(now) and adds to the result; reading code calls
// as_of(now), which is const and shows zeros once the period has rolled over
// even if nobody has touched the counters since.
template <typename Counters>
class PeriodCounters {
 public:
  explicit PeriodCounters(TimePoint start) noexcept : period_(start) {}

  const MeasurementPeriod& period() const noexcept { return period_; }

  Counters& at(TimePoint now) noexcept {
    if (period_.roll(now)) counters_ = Counters{};
    return counters_;
  }

  Counters as_of(TimePoint now) const noexcept { return period_.has_rolled_by(now) ? Counters{} : counters_; }

  // Snapshot support (core/snapshot.h): the counters as kept for
  // period().start(), without rolling, and the way back.
  const Counters& raw() const noexcept { return counters_; }
  static PeriodCounters restored(const MeasurementPeriod& period, const Counters& counters) noexcept {
    return PeriodCounters(period, counters);
  }

  // Resets the counters and starts a new period at `now` (see
  // MeasurementPeriod::reset). Nothing changes on error.
  Status set_period(std::uint32_t seconds, TimePoint now) {
    Status s = period_.reset(seconds, now);
    if (s.ok()) counters_ = Counters{};
    return s;
  }

 private:
  PeriodCounters(const MeasurementPeriod& period, const Counters& counters) noexcept
      : period_(period), counters_(counters) {}

  MeasurementPeriod period_;
  Counters counters_{};
};

}  // namespace opentapi::core

#endif  // OPENTAPI_CORE_MEASUREMENT_PERIOD_H_
