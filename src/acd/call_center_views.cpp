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

}  // namespace opentapi::acd
