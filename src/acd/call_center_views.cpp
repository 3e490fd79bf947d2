// CallCenter's read accessors for the supervisor's call views (acd/board.h):
// kept apart from the call's life (routing.cpp), which they only read.
#include "acd/call_center.h"

namespace opentapi::acd {

CallCenter::CallCounts CallCenter::call_counts() const {
  CallCounts n;
  for (const auto& [id, e] : calls_) {
    switch (e.phase) {
      case CallPhase::kQueued:
        ++n.queued;
        break;
      case CallPhase::kOffered:
        ++n.offered;
        break;
      case CallPhase::kTalking:
        ++n.talking;
        break;
      case CallPhase::kDetached:
        ++n.detached;
        break;
    }
  }
  return n;
}

std::optional<TimePoint> CallCenter::call_queued_at(CallId call) const {
  auto it = calls_.find(call);
  if (it == calls_.end()) return std::nullopt;
  const CallEntry& e = it->second;
  if (e.queued) return e.queued->entered_at;
  if (e.phase == CallPhase::kTalking || e.phase == CallPhase::kDetached) return e.answered_from_queue_at;
  if (e.phase != CallPhase::kQueued) return std::nullopt;
  auto q = queues_.find(e.queue);
  if (q == queues_.end()) return std::nullopt;
  for (const core::QueuedCall& w : q->second.waiting()) {
    if (w.call == call) return w.entered_at;
  }
  return std::nullopt;
}

std::optional<TimePoint> CallCenter::call_answered_at(CallId call) const {
  auto it = calls_.find(call);
  if (it == calls_.end()) return std::nullopt;
  return it->second.answered_at;
}

}  // namespace opentapi::acd
