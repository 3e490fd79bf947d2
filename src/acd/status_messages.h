// The status message (lineProxyMessage) that announces a change recorded in
// the event log: one mapping, used by the live path (CallCenter announces
// what it audits through it) and by the replay of a resumed line
// (VirtualAcd::replay reads the event log and maps each entry again), so
// the two never drift apart (docs/ha.md "Status messages replayed").
#ifndef OPENTAPI_ACD_STATUS_MESSAGES_H_
#define OPENTAPI_ACD_STATUS_MESSAGES_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "acd/call_center.h"
#include "store/store.h"

namespace opentapi::acd {

// The line device a session works on (its LINE_AGENTSESSIONSTATUS goes
// there), or nullopt if unknown.
using SessionDevice = std::function<std::optional<std::uint32_t>(SessionHandle)>;

// The message announcing entry `e`, or nullopt for an entry no status
// message announces (logins, an agent taken over, a call's answer or end).
// At most one message per entry: the library drops a message whose seq is
// not above the last one its line delivered. `first_device` carries the
// agent and queue messages. A state change of a session or an agent is
// announced with STATE and UPDATEINFO: the entry does not say whether the
// statistics changed too, so the live path clears UPDATEINFO when it knows
// they did not. Announcement::entry is left 0.
std::optional<Announcement> status_message(const store::AuditEntry& e, std::uint32_t first_device,
                                           const SessionDevice& session_device);

// What the live path appends to an entry's `what` so that status_message()
// can map it; an entry without it (written before these notes existed, when
// its message went out without a seq) maps to nothing, so that a replay
// never repeats a message an application may already have had.
// An "address" entry: the LINEAGENTSTATUS_ bits of its LINE_AGENTSTATUS.
std::string agent_status_note(std::uint32_t bits);
// A "call" or "queue" entry: the queue whose waiting calls it changed
// (LINE_QUEUESTATUS UPDATEINFO).
std::string queue_note(std::uint32_t queue);

// The status messages a resumed line missed.
struct ReplayedMessage {
  Announcement message;   // device: the line it was announced on
  std::uint64_t seq = 0;  // its change's event-log seq
};
struct Replay {
  std::vector<ReplayedMessage> messages;  // oldest first
  std::uint64_t through = 0;              // the last seq read: the stream goes on after it
  bool gap = false;                       // not every change after the seq asked for could be read
};

// The status messages of every change after `after` up to the last durable
// one in `store`, rebuilt from its event log by status_message(). A gap,
// without messages, when the log no longer holds every entry after `after`
// (trimmed, or `after` is beyond it: another database) or more than
// `limit` entries follow it: the caller falls back to "re-read" (docs/ha.md).
// Reads the store only (any thread; the ACD need not run yet). Errors: the
// store's.
core::Result<Replay> replay_status_messages(store::Store& store, std::uint32_t first_device, std::uint64_t after,
                                            std::size_t limit);

}  // namespace opentapi::acd

#endif  // OPENTAPI_ACD_STATUS_MESSAGES_H_
