#include "acd/traffic_simulator.h"

#include <cmath>

namespace opentapi::acd {

TrafficSimulator::TrafficSimulator(const SimulatorConfig& config, std::vector<core::QueueId> queues, TimePoint start)
    : config_(config), rng_(config.seed) {
  if (config_.calls_per_hour <= 0) return;
  const double mean_gap_seconds = 3600.0 / config_.calls_per_hour;
  for (core::QueueId q : queues) {
    plan(start.plus_ms(sample_ms(mean_gap_seconds, Distribution::kExponential)), Kind::kArrival, 0, q);
  }
}

double TrafficSimulator::uniform() {
  // 53 random bits → [0, 1), the same on every platform.
  return static_cast<double>(rng_() >> 11) * (1.0 / 9007199254740992.0);
}

std::int64_t TrafficSimulator::sample_ms(double mean_seconds, Distribution d) {
  if (mean_seconds <= 0) return 0;
  double seconds = mean_seconds;
  if (d == Distribution::kExponential) seconds = -mean_seconds * std::log1p(-uniform());
  const double ms = std::floor(seconds * 1000.0 + 0.5);
  // Cap at a year: an exponential tail must not overflow time arithmetic.
  return ms > 3.1536e10 ? static_cast<std::int64_t>(3.1536e10) : static_cast<std::int64_t>(ms);
}

void TrafficSimulator::plan(TimePoint at, Kind kind, CallId call, core::QueueId queue) {
  events_.push(Event{at, order_++, kind, call, queue});
}

std::optional<TimePoint> TrafficSimulator::next_event() const {
  if (events_.empty()) return std::nullopt;
  return events_.top().at;
}

void TrafficSimulator::fire_next(CallSink& sink) {
  if (events_.empty()) return;
  const Event e = events_.top();
  events_.pop();
  switch (e.kind) {
    case Kind::kArrival: {
      const CallId call = sink.new_call_id(CallOrigin::kSimulator);
      ++counts_.arrived;
      // Plan the next arrival first, so the random stream does not depend on
      // what the ACD answers.
      plan(e.at.plus_ms(sample_ms(3600.0 / config_.calls_per_hour, Distribution::kExponential)), Kind::kArrival, 0,
           e.queue);
      const std::int64_t patience = sample_ms(config_.patience_seconds, config_.patience_distribution);
      if (sink.on_call_queued(call, e.queue, e.at).ok() && config_.patience_seconds > 0) {
        plan(e.at.plus_ms(patience), Kind::kAbandon, call, e.queue);
      }
      break;
    }
    case Kind::kAbandon:
      // Fails harmlessly when the caller was answered in the meantime.
      if (sink.on_call_abandoned(e.call, e.at).ok()) ++counts_.abandoned;
      break;
    case Kind::kAnswer: {
      const std::int64_t handle = sample_ms(config_.handle_seconds, config_.handle_distribution);
      if (sink.on_call_answered(e.call, e.at).ok()) {
        ++counts_.answered;
        plan(e.at.plus_ms(handle), Kind::kEnd, e.call, 0);
      } else {
        // Abandoned, or the agent left the call: make sure the ACD forgets it.
        (void)sink.on_call_ended(e.call, e.at);
      }
      break;
    }
    case Kind::kEnd:
      if (sink.on_call_ended(e.call, e.at).ok()) ++counts_.ended;
      break;
  }
}

void TrafficSimulator::call_delivered(CallId call, core::SessionHandle /*session*/, TimePoint now) {
  plan(now.plus_ms(sample_ms(config_.answer_seconds, Distribution::kFixed)), Kind::kAnswer, call, 0);
}

void TrafficSimulator::adopt(CallId call, CallPhase phase, TimePoint now) {
  switch (phase) {
    case CallPhase::kQueued:
      plan(now.plus_ms(sample_ms(config_.patience_seconds, config_.patience_distribution)), Kind::kAbandon, call, 0);
      break;
    case CallPhase::kOffered:
      plan(now.plus_ms(sample_ms(config_.answer_seconds, Distribution::kFixed)), Kind::kAnswer, call, 0);
      break;
    case CallPhase::kTalking:
      plan(now.plus_ms(sample_ms(config_.handle_seconds, config_.handle_distribution)), Kind::kEnd, call, 0);
      break;
    case CallPhase::kDetached:
      plan(now, Kind::kEnd, call, 0);
      break;
  }
}

}  // namespace opentapi::acd
