// TrafficSimulator: a call source that invents callers (call_source.h).
//
// Calls arrive at each of its queues as a Poisson process (exponential gaps,
// calls_per_hour per queue). Each caller waits at most a patience time (then
// abandons); a call delivered to an agent is answered answer_seconds later
// and talks for a handle time, then ends. Handle and patience times are
// exponential with the configured mean, or fixed.
//
// Deterministic: all randomness comes from one std::mt19937_64 seeded with
// the configured seed, turned into numbers by this file's own arithmetic (not
// the implementation-defined std:: distributions), and events fire in
// (time, order of planning) order, each stamped with its planned time. So the
// same seed and the same inputs give the same calls at the same milliseconds,
// whatever steps the clock takes between them.
//
// Threading: model thread only (call_source.h).
#ifndef OPENTAPI_ACD_TRAFFIC_SIMULATOR_H_
#define OPENTAPI_ACD_TRAFFIC_SIMULATOR_H_

#include <cstdint>
#include <queue>
#include <random>
#include <vector>

#include "acd/call_source.h"
#include "acd/config.h"

namespace opentapi::acd {

class TrafficSimulator final : public CallSource {
 public:
  // First arrivals are planned from `start` on, on `queues`.
  TrafficSimulator(const SimulatorConfig& config, std::vector<core::QueueId> queues, TimePoint start);

  std::optional<TimePoint> next_event() const override;
  void fire_next(CallSink& sink) override;
  void call_delivered(CallId call, core::SessionHandle session, TimePoint now) override;
  void adopt(CallId call, CallPhase phase, TimePoint now) override;

  struct Counts {
    std::uint64_t arrived = 0;
    std::uint64_t abandoned = 0;
    std::uint64_t answered = 0;
    std::uint64_t ended = 0;
  };
  const Counts& counts() const noexcept { return counts_; }

 private:
  enum class Kind : std::uint8_t { kArrival, kAbandon, kAnswer, kEnd };
  struct Event {
    TimePoint at;
    std::uint64_t order = 0;
    Kind kind = Kind::kArrival;
    CallId call = 0;
    core::QueueId queue = 0;
    bool operator>(const Event& o) const { return at != o.at ? at > o.at : order > o.order; }
  };

  void plan(TimePoint at, Kind kind, CallId call, core::QueueId queue);
  // A sample in milliseconds: exponential with `mean_seconds`, or fixed.
  std::int64_t sample_ms(double mean_seconds, Distribution d);
  double uniform();  // [0, 1)

  SimulatorConfig config_;
  std::mt19937_64 rng_;
  std::priority_queue<Event, std::vector<Event>, std::greater<Event>> events_;
  std::uint64_t order_ = 0;
  Counts counts_;
};

}  // namespace opentapi::acd

#endif  // OPENTAPI_ACD_TRAFFIC_SIMULATOR_H_
