#include "core/group.h"

#include <algorithm>

namespace opentapi::core {

bool AcdGroup::has_queue(QueueId queue) const noexcept {
  return std::find(queues.begin(), queues.end(), queue) != queues.end();
}

Status AcdGroup::add_queue(QueueId queue) {
  if (has_queue(queue)) {
    return Status::error(ErrorCode::kInvalParam, "queue " + std::to_string(queue) + " already in group " + name);
  }
  queues.push_back(queue);
  return Status();
}

Status AcdGroup::remove_queue(QueueId queue) {
  auto it = std::find(queues.begin(), queues.end(), queue);
  if (it == queues.end()) {
    return Status::error(ErrorCode::kInvalParam, "queue " + std::to_string(queue) + " not in group " + name);
  }
  queues.erase(it);
  return Status();
}

}  // namespace opentapi::core
