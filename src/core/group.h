// AcdGroup: an ACD group as the ACD lists it (docs/reference/tapi3-callcenter.md §3.5,
// LINEAGENTGROUPENTRY, lineGetQueueList). Agents log into a group with a
// session; the group's calls wait in its queues.
#ifndef OPENTAPI_CORE_GROUP_H_
#define OPENTAPI_CORE_GROUP_H_

#include <string>
#include <vector>

#include "core/ids.h"
#include "core/status.h"

namespace opentapi::core {

// Its 128-bit ID, its display name and the IDs of its queues, in the order
// the ACD lists them.
struct AcdGroup {
  GroupId id;
  std::string name;
  std::vector<QueueId> queues;

  bool has_queue(QueueId queue) const noexcept;
  // kInvalParam when the queue is already listed.
  Status add_queue(QueueId queue);
  // kInvalParam when the queue is not listed.
  Status remove_queue(QueueId queue);
};

}  // namespace opentapi::core

#endif  // OPENTAPI_CORE_GROUP_H_
