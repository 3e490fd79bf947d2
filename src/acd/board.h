// The supervisor's board: the views of acd/supervision.h (AgentView,
// SessionView, QueueView, GroupView, Board) built from a CallCenter at an
// instant. Pure: no I/O, no clock, no threads — the caller runs it where the
// CallCenter may be read (VirtualAcd: on the model thread, after a task) and
// passes `now`, which every time-dependent figure (durations, period
// statistics, waits) is computed at.
//
// What is listed: every group (configuration order), queue (by id), agent
// not RELEASED (by handle) and session not ENDED/RELEASED (by handle). The
// per-object functions also return an ended session or a released agent, so
// that a change can carry it once in that state (supervision.h).
//
// Calls: a session's view carries the call delivered to it (SessionCallView);
// build_call_list lists every call in progress (CallInProgressView).
//
// The figures are the TAPI ones (core::AgentInfo, AgentSessionInfo,
// QueueInfo) plus the queue's service statistics (core::QueueServiceInfo):
// a wallboard and a TAPI client looking at the same object read the same
// numbers.
#ifndef OPENTAPI_ACD_BOARD_H_
#define OPENTAPI_ACD_BOARD_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "acd/call_center.h"
#include "acd/supervision.h"

namespace opentapi::acd {

// The whole board at `now`; seq is 0 (the caller numbers it), now_ms is `now`.
Board build_board(const CallCenter& center, TimePoint now);

// One object at `now`; nullopt for an unknown handle or id.
std::optional<AgentView> agent_view(const CallCenter& center, AgentHandle agent, TimePoint now);
std::optional<SessionView> session_view(const CallCenter& center, SessionHandle session, TimePoint now);
std::optional<QueueView> queue_view(const CallCenter& center, QueueId queue, TimePoint now);

// The dialable number of each station address, (device, address) → number,
// as the switch reports it (LINEADDRESSCAPS); the ACD learns it when it
// connects.
using StationNumbers = std::map<std::pair<std::uint32_t, std::uint32_t>, std::string>;

// Every call in progress at `now`, in call-id order. `numbers` (may be null)
// names the stations the calls ring or talk at.
CallList build_call_list(const CallCenter& center, TimePoint now, const StationNumbers* numbers = nullptr);

// The change of one object (what CallCenter's Effects::changed lists) at
// `now`, seq 0; nullopt if the object no longer exists.
std::optional<BoardChange> change_of(const CallCenter& center, const ChangedObject& object, TimePoint now);

}  // namespace opentapi::acd

#endif  // OPENTAPI_ACD_BOARD_H_
