// Queue: an ACD queue of one group, the calls waiting in it, and the
// statistics of LINEQUEUEINFO over its measurement period (docs/reference/flows.md §5.4,
// §5.5; docs/reference/tapi3-callcenter.md §3.6).
//
// Calls enter with enqueue() and leave in exactly one of four ways —
// answered, abandoned (the caller hung up while queued), flowed out (passed
// to another queue or group), or final disposition (reached the end of the
// call guide unanswered). The queue does not route: the ACD picks
// oldest_waiting() (FIFO by entry time) and offers it to a session.
//
// Statistics contract:
//   TotalCallsQueued        +1 on every entry, flowed-in ones included.
//   CurrentCallsQueued      calls waiting now (instantaneous).
//   TotalCallsAbandoned / FlowedIn / FlowedOut / FinalDisposition
//                           counted when the event happens.
//   AverageWaitTime         Σ wait / number of calls that LEFT the queue in
//                           the period (any of the four ways), then truncated
//                           to seconds; 0 when none left.
//   LongestEverWaitTime     longest wait of a call that left in the period —
//                           but never less than CurrentLongestWaitTime, so a
//                           call still waiting longer than any that left is
//                           reflected.
//   CurrentLongestWaitTime  wait so far of the oldest call still queued; 0
//                           when empty (instantaneous).
// A wait is measured from entry into THIS queue (a flowed-in call's wait
// restarts). Like every leave-time statistic, a wait that straddles a period
// boundary counts whole in the period in which the call leaves.
//
// Service statistics (beyond LINEQUEUEINFO, for wallboards; QueueServiceInfo):
//   answered                calls that left answered in the period.
//   answered_within_target  of those, the ones whose wait was at most the
//                           queue's service-level target (≤, in ms).
//   average speed of answer Σ wait of the answered calls / answered, then
//                           truncated to seconds; 0 when none.
//   service level           answered_within_target / (answered + abandoned);
//                           none before the period's first answered or
//                           abandoned call. Flowed-out calls and final
//                           dispositions are not part of it (another queue
//                           or the call guide serves them).
// The target is configuration (set_service_level_seconds); changing it
// applies to calls that leave from then on.
#ifndef OPENTAPI_CORE_QUEUE_H_
#define OPENTAPI_CORE_QUEUE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/measurement_period.h"
#include "core/status.h"
#include "core/units.h"

namespace opentapi::core {

struct QueueSnapshot;  // core/snapshot.h

struct QueuedCall {
  CallId call = 0;
  TimePoint entered_at;
  bool flowed_in = false;
};

// LINEQUEUEINFO after its three size DWORDs (docs/reference/tapi2-agent.md §5.5); times in
// whole seconds, truncated.
struct QueueInfo {
  std::uint32_t measurement_period = 0;
  std::uint32_t total_calls_queued = 0;
  std::uint32_t current_calls_queued = 0;
  std::uint32_t total_calls_abandoned = 0;
  std::uint32_t total_calls_flowed_in = 0;
  std::uint32_t total_calls_flowed_out = 0;
  std::uint32_t longest_ever_wait_time = 0;
  std::uint32_t current_longest_wait_time = 0;
  std::uint32_t average_wait_time = 0;
  std::uint32_t final_disposition = 0;

  friend bool operator==(const QueueInfo&, const QueueInfo&) = default;
};

// The service statistics of the current period (see the contract above).
struct QueueServiceInfo {
  std::uint32_t service_level_seconds = 0;
  std::uint32_t answered = 0;
  std::uint32_t answered_within_target = 0;
  std::uint32_t abandoned = 0;
  std::uint32_t average_speed_of_answer = 0;  // whole seconds, truncated
  // answered_within_target / (answered + abandoned), 0..1; nullopt when both
  // are 0.
  std::optional<double> service_level;

  friend bool operator==(const QueueServiceInfo&, const QueueServiceInfo&) = default;
};

class Queue {
 public:
  // An empty queue with the default measurement period starting at `now`.
  Queue(QueueId id, std::string name, const GroupId& group, TimePoint now);

  QueueId id() const noexcept { return id_; }
  const std::string& name() const noexcept { return name_; }
  const GroupId& group() const noexcept { return group_; }
  const MeasurementPeriod& period() const noexcept { return stats_.period(); }

  static constexpr std::uint32_t kDefaultServiceLevelSeconds = 20;
  std::uint32_t service_level_seconds() const noexcept { return service_level_seconds_; }
  // The service-level target: a call answered after waiting at most this
  // long counts as answered within target. kInvalParam for 0 (nothing
  // changes). Counts already made stay as they are.
  Status set_service_level_seconds(std::uint32_t seconds);

  // lineSetQueueMeasurementPeriod: kInvalParam for 0; otherwise resets the
  // counters and starts a new period at `now`. Waiting calls stay queued.
  Status set_measurement_period(std::uint32_t seconds, TimePoint now);

  // A call enters the queue; `flowed_in` when it came from another queue or
  // group. kInvalParam when the call is already queued here.
  Status enqueue(CallId call, TimePoint now, bool flowed_in = false);
  // A call handed to an agent who did not answer comes back to its place:
  // `call` as dequeue_answered returned it, entry time kept, so it is again
  // ahead of every call that entered after it. Nothing is counted again
  // (it was counted when it first entered). kInvalParam when already queued.
  Status requeue(const QueuedCall& call);

  // The call leaves the queue; each returns what it was. kInvalParam when the
  // call is not queued here (nothing is counted).
  Result<QueuedCall> dequeue_answered(CallId call, TimePoint now);
  Result<QueuedCall> dequeue_abandoned(CallId call, TimePoint now);
  Result<QueuedCall> dequeue_flowed_out(CallId call, TimePoint now);
  // The call reached the bottom of the call guide unanswered and gets its
  // final treatment (FinalDisposition +1).
  Result<QueuedCall> dequeue_final_disposition(CallId call, TimePoint now);

  // The call waiting longest; nullopt when empty.
  std::optional<QueuedCall> oldest_waiting() const;
  // Calls waiting now, oldest first.
  const std::vector<QueuedCall>& waiting() const noexcept { return waiting_; }
  bool contains(CallId call) const noexcept;

  QueueInfo info(TimePoint now) const;
  QueueServiceInfo service_info(TimePoint now) const;

  // The whole state (waiting calls included) as a plain value, and back
  // (core/snapshot.h). kInvalParam for a period of 0 or a call queued twice.
  QueueSnapshot snapshot() const;
  static Result<Queue> restore(const QueueSnapshot& snapshot);

 private:
  enum class Exit : std::uint8_t { kAnswered, kAbandoned, kFlowedOut, kFinalDisposition };
  struct Counters {
    std::uint64_t queued = 0;
    std::uint64_t abandoned = 0;
    std::uint64_t flowed_in = 0;
    std::uint64_t flowed_out = 0;
    std::uint64_t final_disposition = 0;
    std::uint64_t left = 0;
    std::int64_t left_wait_total_ms = 0;
    std::int64_t left_wait_longest_ms = 0;
    std::uint64_t answered = 0;
    std::uint64_t answered_within_target = 0;
    std::int64_t answered_wait_total_ms = 0;
  };

  Result<QueuedCall> leave(CallId call, TimePoint now, Exit exit);

  QueueId id_;
  std::string name_;
  GroupId group_;
  std::uint32_t service_level_seconds_ = kDefaultServiceLevelSeconds;
  std::vector<QueuedCall> waiting_;  // ordered by entered_at, then arrival
  PeriodCounters<Counters> stats_;
};

}  // namespace opentapi::core

#endif  // OPENTAPI_CORE_QUEUE_H_
