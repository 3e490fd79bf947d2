#include "core/queue.h"

#include <algorithm>
#include <utility>

namespace opentapi::core {

Queue::Queue(QueueId id, std::string name, const GroupId& group, TimePoint now)
    : id_(id), name_(std::move(name)), group_(group), stats_(now) {}

Status Queue::set_service_level_seconds(std::uint32_t seconds) {
  if (seconds == 0) return Status::error(ErrorCode::kInvalParam, "a service-level target must be > 0 seconds");
  service_level_seconds_ = seconds;
  return Status();
}

Status Queue::set_measurement_period(std::uint32_t seconds, TimePoint now) { return stats_.set_period(seconds, now); }

bool Queue::contains(CallId call) const noexcept {
  return std::any_of(waiting_.begin(), waiting_.end(), [call](const QueuedCall& q) { return q.call == call; });
}

Status Queue::enqueue(CallId call, TimePoint now, bool flowed_in) {
  if (contains(call)) {
    return Status::error(ErrorCode::kInvalParam,
                         "call " + std::to_string(call) + " is already in queue " + std::to_string(id_));
  }
  Counters& c = stats_.at(now);
  ++c.queued;
  if (flowed_in) ++c.flowed_in;
  // Keep FIFO order even if an injected clock steps back: insert after every
  // call that entered at or before `now`.
  auto pos = std::upper_bound(waiting_.begin(), waiting_.end(), now,
                              [](TimePoint t, const QueuedCall& q) { return t < q.entered_at; });
  waiting_.insert(pos, QueuedCall{call, now, flowed_in});
  return Status();
}

Status Queue::requeue(const QueuedCall& call) {
  if (contains(call.call)) {
    return Status::error(ErrorCode::kInvalParam,
                         "call " + std::to_string(call.call) + " is already in queue " + std::to_string(id_));
  }
  auto pos = std::upper_bound(waiting_.begin(), waiting_.end(), call.entered_at,
                              [](TimePoint t, const QueuedCall& q) { return t < q.entered_at; });
  waiting_.insert(pos, call);
  return Status();
}

Result<QueuedCall> Queue::leave(CallId call, TimePoint now, Exit exit) {
  auto it = std::find_if(waiting_.begin(), waiting_.end(), [call](const QueuedCall& q) { return q.call == call; });
  if (it == waiting_.end()) {
    return Status::error(ErrorCode::kInvalParam,
                         "call " + std::to_string(call) + " is not in queue " + std::to_string(id_));
  }
  const QueuedCall left = *it;
  waiting_.erase(it);

  Counters& c = stats_.at(now);
  const std::int64_t wait = elapsed_ms(left.entered_at, now);
  ++c.left;
  c.left_wait_total_ms += wait;
  c.left_wait_longest_ms = std::max(c.left_wait_longest_ms, wait);
  switch (exit) {
    case Exit::kAnswered:
      ++c.answered;
      c.answered_wait_total_ms += wait;
      if (wait <= std::int64_t{service_level_seconds_} * 1000) ++c.answered_within_target;
      break;
    case Exit::kAbandoned:
      ++c.abandoned;
      break;
    case Exit::kFlowedOut:
      ++c.flowed_out;
      break;
    case Exit::kFinalDisposition:
      ++c.final_disposition;
      break;
  }
  return left;
}

Result<QueuedCall> Queue::dequeue_answered(CallId call, TimePoint now) { return leave(call, now, Exit::kAnswered); }
Result<QueuedCall> Queue::dequeue_abandoned(CallId call, TimePoint now) { return leave(call, now, Exit::kAbandoned); }
Result<QueuedCall> Queue::dequeue_flowed_out(CallId call, TimePoint now) { return leave(call, now, Exit::kFlowedOut); }
Result<QueuedCall> Queue::dequeue_final_disposition(CallId call, TimePoint now) {
  return leave(call, now, Exit::kFinalDisposition);
}

std::optional<QueuedCall> Queue::oldest_waiting() const {
  if (waiting_.empty()) return std::nullopt;
  return waiting_.front();
}

QueueInfo Queue::info(TimePoint now) const {
  const Counters c = stats_.as_of(now);
  QueueInfo i;
  i.measurement_period = stats_.period().seconds();
  i.total_calls_queued = saturate_dword(c.queued);
  i.current_calls_queued = saturate_dword(waiting_.size());
  i.total_calls_abandoned = saturate_dword(c.abandoned);
  i.total_calls_flowed_in = saturate_dword(c.flowed_in);
  i.total_calls_flowed_out = saturate_dword(c.flowed_out);
  i.final_disposition = saturate_dword(c.final_disposition);
  i.current_longest_wait_time = waiting_.empty() ? 0 : whole_seconds(elapsed_ms(waiting_.front().entered_at, now));
  i.longest_ever_wait_time = std::max(whole_seconds(c.left_wait_longest_ms), i.current_longest_wait_time);
  i.average_wait_time = c.left == 0 ? 0 : whole_seconds(c.left_wait_total_ms / static_cast<std::int64_t>(c.left));
  return i;
}

QueueServiceInfo Queue::service_info(TimePoint now) const {
  const Counters c = stats_.as_of(now);
  QueueServiceInfo i;
  i.service_level_seconds = service_level_seconds_;
  i.answered = saturate_dword(c.answered);
  i.answered_within_target = saturate_dword(c.answered_within_target);
  i.abandoned = saturate_dword(c.abandoned);
  i.average_speed_of_answer =
      c.answered == 0 ? 0 : whole_seconds(c.answered_wait_total_ms / static_cast<std::int64_t>(c.answered));
  const std::uint64_t base = c.answered + c.abandoned;
  if (base != 0) i.service_level = static_cast<double>(c.answered_within_target) / static_cast<double>(base);
  return i;
}

}  // namespace opentapi::core
