// AgentSession: one agent logged into one ACD group on one address
// (docs/reference/tapi2-agent.md §3.1 lineCreateAgentSession), with its state machine and
// the statistics of LINEAGENTSESSIONINFO (docs/reference/flows.md §4.1, §4.2, §5.2).
//
// A plain value: no clock (every operation takes `now`), no I/O. Each mutating
// operation either fails with a Status and changes nothing, or succeeds and
// returns a SessionChange saying what happened, from which the ACD derives its
// status messages (STATE, UPDATEINFO) and the agent its period statistics.
// Agent owns its sessions and keeps both in step; use AgentSession directly
// only where no agent is involved (tests, tools).
//
// Statistics contract (docs/reference/flows.md §5.2; session statistics have no
// measurement period):
//   SessionStartTime   creation time, OLE DATE, UTC.
//   SessionDuration    now − start while not ended, frozen at ENDED; NOT_READY
//                      counts as active.
//   NumberOfCalls      +1 when an ACD call offered to this session is answered.
//   TotalTalkTime      Σ (end of talk − answer), added when the talk ends: the
//                      call ends, or the session leaves BUSY_ON_CALL first
//                      (e.g. requested READY, WRAPUP or ENDED, §4.2).
//   TotalWrapUpTime    Σ time spent in BUSY_WRAPUP, added when it is left.
//                      Segments still open are not included (totals move only
//                      at events, so a cached LINEAGENTSESSIONINFO stays valid
//                      until the next UPDATEINFO).
//   TotalCallTime      TotalTalkTime + TotalWrapUpTime (in whole seconds).
//   Average*Time       Total*Time / NumberOfCalls, integer division of the
//                      whole-second totals; 0 without calls.
//   ACDCallRate        CURRENCY, NumberOfCalls × 3600 × 10 000 /
//                      SessionDuration (whole seconds), truncated; 0 when the
//                      duration is 0.
//   Longest/AverageTimeToAnswer  from the offer to THIS session until answer,
//                      over answered calls; average = Σ ms / calls, truncated.
// All times are whole seconds, truncated; DWORDs saturate at 0xFFFFFFFF.
#ifndef OPENTAPI_CORE_SESSION_H_
#define OPENTAPI_CORE_SESSION_H_

#include <cstdint>
#include <optional>

#include "core/ids.h"
#include "core/session_state.h"
#include "core/status.h"
#include "core/units.h"

namespace opentapi::core {

struct SessionSnapshot;  // core/snapshot.h

// What one successful operation did to a session.
struct SessionChange {
  SessionHandle session = 0;
  SessionState old_state = kInitialSessionState;
  SessionState new_state = kInitialSessionState;
  bool next_state_changed = false;
  // Some LINEAGENTSESSIONINFO statistic may differ: announce UPDATEINFO.
  bool statistics_changed = false;
  // An ACD call was delivered to the session (READY → BUSY_ON_CALL).
  bool call_delivered = false;
  // The delivered call was answered; NumberOfCalls went up by one.
  bool call_answered = false;
  // The ACD call that left the session in this step — because it ended, or
  // because a state change took the session out of BUSY_ON_CALL while the call
  // was still attached. In the latter case the call is no longer the
  // session's: the ACD must not end_call it here.
  std::optional<CallId> released_call;
  // Talk and wrap-up closed by this step (ms), for the agent's totals.
  std::int64_t talk_ms = 0;
  std::int64_t wrap_up_ms = 0;

  bool state_changed() const noexcept { return old_state != new_state; }
  // The session stopped being current in this step (entered ENDED, or was
  // released without having ended first).
  bool ended() const noexcept {
    const auto over = [](SessionState s) { return s == SessionState::kEnded || s == SessionState::kReleased; };
    return !over(old_state) && over(new_state);
  }
};

// LINEAGENTSESSIONINFO after its three size DWORDs (docs/reference/tapi2-agent.md §5.1), in
// TAPI units: states are LINEAGENTSESSIONSTATE_ values (next 0 = none set),
// times whole seconds, the start an OLE DATE, the rate CURRENCY.
struct AgentSessionInfo {
  std::uint32_t agent_session_state = 0;
  std::uint32_t next_agent_session_state = 0;
  double session_start_time = 0.0;
  std::uint32_t session_duration = 0;
  std::uint32_t number_of_calls = 0;
  std::uint32_t total_talk_time = 0;
  std::uint32_t average_talk_time = 0;
  std::uint32_t total_call_time = 0;
  std::uint32_t average_call_time = 0;
  std::uint32_t total_wrap_up_time = 0;
  std::uint32_t average_wrap_up_time = 0;
  std::int64_t acd_call_rate = 0;
  std::uint32_t longest_time_to_answer = 0;
  std::uint32_t average_time_to_answer = 0;

  friend bool operator==(const AgentSessionInfo&, const AgentSessionInfo&) = default;
};

class AgentSession {
 public:
  // A new session, in NOT_READY, started at `now`.
  AgentSession(SessionHandle handle, AgentHandle agent, const GroupId& group, AddressId working_address,
               TimePoint now) noexcept;

  SessionHandle handle() const noexcept { return handle_; }
  AgentHandle agent() const noexcept { return agent_; }
  const GroupId& group() const noexcept { return group_; }
  AddressId working_address() const noexcept { return working_address_; }
  TimePoint start_time() const noexcept { return start_; }
  SessionState state() const noexcept { return state_; }
  // When the session entered its current state (creation for NOT_READY at
  // first): a wallboard's "time in state" is now − state_since(). A request
  // for the state it is already in does not move it.
  TimePoint state_since() const noexcept { return state_since_; }
  // None set = kDefaultNextSessionState applies.
  std::optional<SessionState> next_state() const noexcept { return next_; }
  // ENDED or RELEASED: no longer "current" (omitted from session lists,
  // docs/reference/flows.md §4.2), statistics frozen.
  bool is_ended() const noexcept { return state_ == SessionState::kEnded || state_ == SessionState::kReleased; }
  // READY with no call: the ACD may offer it a call of its group.
  bool is_available() const noexcept { return state_ == SessionState::kReady && !call_; }
  std::optional<CallId> current_call() const noexcept {
    return call_ ? std::optional<CallId>(call_->id) : std::nullopt;
  }
  bool current_call_answered() const noexcept { return call_ && call_->answered_at; }
  // When the attached call was delivered (started ringing) and answered;
  // nullopt without a call (and, for the answer, while it rings).
  std::optional<TimePoint> current_call_offered_at() const noexcept {
    return call_ ? std::optional<TimePoint>(call_->offered_at) : std::nullopt;
  }
  std::optional<TimePoint> current_call_answered_at() const noexcept {
    return call_ ? call_->answered_at : std::nullopt;
  }

  // A lineSetAgentSessionState request (docs/reference/flows.md §3.3 step 5). Checks, in
  // order: released → kInvalParam; RELEASED requested (state or next) →
  // kInvalAgentState; bad next state → kInvalAgentState; ended session asked
  // for anything but ENDED → kInvalAgentState; table refusal →
  // kInvalAgentState. All-or-nothing: on error neither state nor next state
  // changes. A given next state is kept until replaced (it is a mode, not a
  // one-shot); an empty one leaves it alone.
  Result<SessionChange> request_state(const SessionStateRequest& request, TimePoint now);
  Result<SessionChange> request_state(SessionState to, TimePoint now) {
    return request_state(SessionStateRequest{to, std::nullopt}, now);
  }

  // The ACD delivers `call` (READY → BUSY_ON_CALL); time to answer starts.
  // REQUIRES READY (is_available()), else kInvalAgentSessionState.
  Result<SessionChange> offer_call(CallId call, TimePoint now);
  // The agent answered the delivered call: NumberOfCalls +1, talk starts.
  // kInvalAgentSessionState when no call is attached or it is answered already.
  Result<SessionChange> answer_call(TimePoint now);
  // The attached call ended. The session goes to its next state (default
  // BUSY_WRAPUP); a call that was never answered has no wrap-up, so a
  // BUSY_WRAPUP target becomes READY for it. kInvalAgentSessionState when no
  // call is attached.
  Result<SessionChange> end_call(TimePoint now);
  // Nobody answered the delivered call in time (ring-no-answer, docs/calls.md
  // "The ACD and its calls"): the call is taken back and the session goes
  // NOT_READY, whatever its next state. kInvalAgentSessionState when no call
  // is attached or it was answered.
  Result<SessionChange> ring_no_answer(TimePoint now);

  // The proxy discards the session (docs/reference/flows.md §4.1 RELEASED): ends it first if
  // needed (closing talk and wrap-up as a requested ENDED would), then
  // RELEASED. Idempotent.
  SessionChange release(TimePoint now);

  AgentSessionInfo info(TimePoint now) const;

  // The whole state as a plain value, and back (core/snapshot.h). restore
  // returns kInvalParam for a snapshot no session could have produced.
  SessionSnapshot snapshot() const;
  static Result<AgentSession> restore(const SessionSnapshot& snapshot);

 private:
  struct Call {
    CallId id = 0;
    TimePoint offered_at;
    std::optional<TimePoint> answered_at;
  };

  // Leaves the current state and enters `to`, closing talk / wrap-up
  // segments and detaching the call as leaving BUSY_ON_CALL requires.
  SessionChange enter(SessionState to, TimePoint now) noexcept;
  SessionChange unchanged() const noexcept;
  Status released_error() const;

  SessionHandle handle_;
  AgentHandle agent_;
  GroupId group_;
  AddressId working_address_;
  TimePoint start_;
  SessionState state_ = kInitialSessionState;
  TimePoint state_since_;
  std::optional<SessionState> next_;
  std::optional<Call> call_;
  TimePoint wrap_up_since_;
  std::optional<TimePoint> ended_at_;

  std::uint64_t calls_ = 0;
  std::int64_t talk_ms_ = 0;
  std::int64_t wrap_up_ms_ = 0;
  std::int64_t answer_wait_total_ms_ = 0;
  std::int64_t answer_wait_longest_ms_ = 0;
};

}  // namespace opentapi::core

#endif  // OPENTAPI_CORE_SESSION_H_
