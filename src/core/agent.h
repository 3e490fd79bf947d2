// Agent: an agent object of the ACD (lineCreateAgent, ITAgent) together with
// the sessions it created, its agent-handle state (docs/reference/flows.md §4.3) and the
// agent statistics of LINEAGENTINFO over its measurement period (§5.3, §5.5).
//
// The agent owns its sessions so that session and agent figures cannot drift
// apart: every session operation goes through the agent, which forwards it to
// the AgentSession and then applies the SessionChange to its own state and
// counters. Each operation either fails with a Status and changes nothing, or
// returns what changed so the ACD can announce it (LINE_AGENTSESSIONSTATUS,
// LINE_AGENTSTATUSEX).
//
// Statistics contract (all sessions, current measurement period):
//   NumberOfACDCalls       +1 when an ACD call is answered in any session.
//   NumberOfIncoming/OutgoingCalls  +1 when a non-ACD call starts
//                          (begin_non_acd_call).
//   TotalACDTalkTime, TotalACDWrapUpTime  the talk / wrap-up segments the
//                          sessions close, attributed to the period in which
//                          they close (call end, wrap-up end): a segment that
//                          straddles a boundary counts whole in the new period.
//   TotalACDCallTime       talk + wrap-up, whole seconds.
//   OverallCallRate        CURRENCY, NumberOfACDCalls × 3600 × 10 000 / whole
//                          seconds of the period during which ≥ 1 session was
//                          not ENDED, truncated; 0 when that time is 0. Active
//                          time is a measure of the period itself, so it IS
//                          split at boundaries (only the part inside the
//                          current period counts) and includes the open
//                          interval up to `now`.
//   Counters reset when the period rolls over or is set; states are kept.
#ifndef OPENTAPI_CORE_AGENT_H_
#define OPENTAPI_CORE_AGENT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/agent_state.h"
#include "core/ids.h"
#include "core/measurement_period.h"
#include "core/session.h"
#include "core/status.h"
#include "core/units.h"

namespace opentapi::core {

struct AgentSnapshot;    // core/snapshot.h
struct SessionSnapshot;  // core/snapshot.h

enum class CallDirection : std::uint8_t { kIncoming, kOutgoing };

// What one successful operation did to the agent itself.
struct AgentStateChange {
  AgentHandle agent = 0;
  AgentState old_state = kInitialAgentState;
  AgentState new_state = kInitialAgentState;
  bool next_state_changed = false;
  // Some LINEAGENTINFO statistic may differ: announce UPDATEINFO.
  bool statistics_changed = false;

  bool state_changed() const noexcept { return old_state != new_state; }
};

// The result of a session operation made through the agent.
struct AgentUpdate {
  SessionChange session;
  AgentStateChange agent;
};

// The result of destroying an agent: every session that changed (ended and/or
// released), then the agent's own change to RELEASED.
struct AgentRelease {
  std::vector<SessionChange> sessions;
  AgentStateChange agent;
};

// LINEAGENTINFO after its three size DWORDs (docs/reference/tapi2-agent.md §5.2), in TAPI
// units: states are LINEAGENTSTATEEX_ values (next 0 = none set), times whole
// seconds, the rate CURRENCY.
struct AgentInfo {
  std::uint32_t agent_state = 0;
  std::uint32_t next_agent_state = 0;
  std::uint32_t measurement_period = 0;
  std::int64_t overall_call_rate = 0;
  std::uint32_t number_of_acd_calls = 0;
  std::uint32_t number_of_incoming_calls = 0;
  std::uint32_t number_of_outgoing_calls = 0;
  std::uint32_t total_acd_talk_time = 0;
  std::uint32_t total_acd_call_time = 0;
  std::uint32_t total_acd_wrap_up_time = 0;

  friend bool operator==(const AgentInfo&, const AgentInfo&) = default;
};

class Agent {
 public:
  // lineCreateAgent. `id` and `pin` are the legacy-ACD agent ID and PIN; empty
  // means none (NULL and "" are the same). A PIN without an ID is kInvalParam.
  // The agent starts UNKNOWN with the default measurement period starting at
  // `now`.
  static Result<Agent> create(AgentHandle handle, std::string user_name, std::string id, std::string pin,
                              TimePoint now);

  AgentHandle handle() const noexcept { return handle_; }
  const std::string& user_name() const noexcept { return user_name_; }
  const std::string& id() const noexcept { return id_; }  // empty: created without ID
  bool has_pin() const noexcept { return !pin_.empty(); }
  // The PIN as the configuration stores it: the value, or an Argon2id hash
  // the ACD verifies (docs/security.md "Secrets at rest").
  const std::string& stored_pin() const noexcept { return pin_; }
  AgentState state() const noexcept { return state_; }
  // When the agent entered its current state (creation at first): a
  // wallboard's "time in state" is now − state_since().
  TimePoint state_since() const noexcept { return state_since_; }
  std::optional<AgentState> next_state() const noexcept { return next_; }
  bool is_released() const noexcept { return state_ == AgentState::kReleased; }
  const MeasurementPeriod& period() const noexcept { return stats_.period(); }

  // kInvalPassword unless the agent has a PIN and `pin` equals it (in
  // constant time). A plain comparison: the ACD checks hashed PINs itself and
  // passes no PIN here once it has.
  Status check_pin(std::string_view pin) const;

  // The proxy reports the agent for the first time: UNKNOWN → NOT_READY.
  // No change in any other state.
  AgentStateChange mark_reported(TimePoint now);

  // lineSetAgentStateEx. Released → kInvalParam; a state or next state other
  // than NOT_READY/READY → kInvalAgentState; all-or-nothing. While busy the
  // requested state is deferred to the end of the agent's calls.
  // `now` is when a state taken at once is entered (state_since()).
  Result<AgentStateChange> request_state(const AgentStateRequest& request, TimePoint now);
  Result<AgentStateChange> request_state(AgentState to, TimePoint now) {
    return request_state(AgentStateRequest{to, std::nullopt}, now);
  }

  // lineSetAgentMeasurementPeriod: kInvalParam for 0; otherwise resets the
  // counters and starts a new period at `now`.
  Result<AgentStateChange> set_measurement_period(std::uint32_t seconds, TimePoint now);

  // lineCreateAgentSession. Errors: released agent, duplicate handle, or a
  // current (not ended) session for the same group and address →
  // kInvalParam; a non-empty `pin` that check_pin refuses → kInvalPassword.
  Result<AgentUpdate> create_session(SessionHandle session, const GroupId& group, AddressId working_address,
                                     std::string_view pin, TimePoint now);

  // nullptr when the agent has no session with that handle.
  const AgentSession* find_session(SessionHandle session) const noexcept;
  // All sessions, ended and released ones included, in creation order.
  const std::vector<AgentSession>& sessions() const noexcept { return sessions_; }
  // Sessions not ENDED/RELEASED.
  std::size_t current_session_count() const noexcept { return active_sessions_; }

  // Session operations: see AgentSession for their contracts. An unknown
  // session handle is kInvalParam.
  Result<AgentUpdate> request_session_state(SessionHandle session, const SessionStateRequest& request, TimePoint now);
  Result<AgentUpdate> offer_acd_call(SessionHandle session, CallId call, TimePoint now);
  Result<AgentUpdate> answer_acd_call(SessionHandle session, TimePoint now);
  Result<AgentUpdate> end_acd_call(SessionHandle session, TimePoint now);
  Result<AgentUpdate> ring_no_answer(SessionHandle session, TimePoint now);

  // A non-ACD call on one of the agent's addresses starts / ends (docs/reference/flows.md
  // §5.3 [DECIDE]). The start is counted. end_non_acd_call without a non-ACD
  // call in progress is kInvalParam.
  Result<AgentStateChange> begin_non_acd_call(CallDirection direction, TimePoint now);
  Result<AgentStateChange> end_non_acd_call(TimePoint now);

  // The agent object is destroyed: every session is ended (if needed) and
  // released, the agent becomes RELEASED. Idempotent.
  AgentRelease release(TimePoint now);

  AgentInfo info(TimePoint now) const;

  // The agent's own state as a plain value (its sessions are snapshotted one
  // by one through sessions()), and back (core/snapshot.h). restore takes the
  // sessions in creation order; kInvalParam for a snapshot no agent could
  // have produced (e.g. a session of another agent, duplicate handles, call
  // counts that disagree with the sessions).
  AgentSnapshot snapshot() const;
  static Result<Agent> restore(const AgentSnapshot& agent, const std::vector<SessionSnapshot>& sessions);

 private:
  struct Counters {
    std::uint64_t acd_calls = 0;
    std::uint64_t incoming_calls = 0;
    std::uint64_t outgoing_calls = 0;
    std::int64_t talk_ms = 0;
    std::int64_t wrap_up_ms = 0;
    std::int64_t active_ms = 0;  // closed intervals with ≥ 1 current session
  };

  Agent(AgentHandle handle, std::string user_name, std::string id, std::string pin, TimePoint now);

  AgentSession* find(SessionHandle session) noexcept;
  std::uint32_t calls_in_progress() const noexcept { return acd_calls_in_progress_ + non_acd_calls_in_progress_; }
  Status released_error() const;
  AgentStateChange unchanged() const noexcept;
  // Applies one table trigger. REQUIRES: the target is not kRefuse (callers
  // check is_released() first).
  void fire(AgentTrigger trigger, std::optional<AgentState> requested, TimePoint now, AgentStateChange& change);
  void session_started(TimePoint now);
  // Folds a session's change into the agent's state and counters.
  void account(const SessionChange& session, TimePoint now, AgentStateChange& change);
  // Runs `op` on the session and accounts for its change. Defined (and only
  // instantiated) in agent.cpp.
  template <typename Op>
  Result<AgentUpdate> through_session(SessionHandle session, TimePoint now, Op op);

  AgentHandle handle_;
  std::string user_name_;
  std::string id_;
  std::string pin_;
  AgentState state_ = kInitialAgentState;
  TimePoint state_since_;
  std::optional<AgentState> next_;
  AgentState held_ = AgentState::kNotReady;  // READY/NOT_READY before the calls
  std::optional<AgentState> deferred_;       // requested while busy
  std::uint32_t acd_calls_in_progress_ = 0;
  std::uint32_t non_acd_calls_in_progress_ = 0;
  std::vector<AgentSession> sessions_;
  std::size_t active_sessions_ = 0;
  TimePoint active_since_;
  PeriodCounters<Counters> stats_;
};

}  // namespace opentapi::core

#endif  // OPENTAPI_CORE_AGENT_H_
