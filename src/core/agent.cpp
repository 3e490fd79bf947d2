#include "core/agent.h"

#include <algorithm>
#include <utility>

#include "core/secret.h"

namespace opentapi::core {

Result<Agent> Agent::create(AgentHandle handle, std::string user_name, std::string id, std::string pin, TimePoint now) {
  if (id.empty() && !pin.empty()) {
    return Status::error(ErrorCode::kInvalParam, "a PIN needs an agent ID");
  }
  return Agent(handle, std::move(user_name), std::move(id), std::move(pin), now);
}

Agent::Agent(AgentHandle handle, std::string user_name, std::string id, std::string pin, TimePoint now)
    : handle_(handle),
      user_name_(std::move(user_name)),
      id_(std::move(id)),
      pin_(std::move(pin)),
      state_since_(now),
      stats_(now) {}

Status Agent::check_pin(std::string_view pin) const {
  if (pin_.empty()) return Status::error(ErrorCode::kInvalPassword, "agent has no PIN");
  if (!same_secret(pin, pin_)) return Status::error(ErrorCode::kInvalPassword, "wrong PIN");
  return Status();
}

Status Agent::released_error() const {
  return Status::error(ErrorCode::kInvalParam, "agent " + std::to_string(handle_) + " has been released");
}

AgentStateChange Agent::unchanged() const noexcept {
  AgentStateChange c;
  c.agent = handle_;
  c.old_state = state_;
  c.new_state = state_;
  return c;
}

void Agent::fire(AgentTrigger trigger, std::optional<AgentState> requested, TimePoint now, AgentStateChange& change) {
  const AgentTarget target = agent_rule(state_, trigger);
  AgentState to = state_;
  switch (target) {
    case AgentTarget::kStay:
    case AgentTarget::kRefuse:
      return;
    case AgentTarget::kDefer:
      deferred_ = requested;
      return;
    case AgentTarget::kResume:
      to = deferred_.value_or(next_.value_or(held_));
      deferred_.reset();
      break;
    default:
      to = *target_state(target);
      break;
  }
  if (is_busy(to) && !is_busy(state_)) {
    // docs/reference/flows.md §4.3: remember where to come back to; UNKNOWN resolves to NOT_READY.
    held_ = state_ == AgentState::kReady ? AgentState::kReady : AgentState::kNotReady;
  }
  if (to != state_) state_since_ = now;
  state_ = to;
  change.new_state = to;
}

AgentStateChange Agent::mark_reported(TimePoint now) {
  AgentStateChange c = unchanged();
  fire(AgentTrigger::kFirstReport, std::nullopt, now, c);
  return c;
}

Result<AgentStateChange> Agent::request_state(const AgentStateRequest& request, TimePoint now) {
  if (is_released()) return released_error();
  std::optional<AgentTrigger> trigger;
  if (request.state) {
    auto t = request_trigger(*request.state);
    if (!t) return t.status();
    trigger = *t;
  }
  if (request.next && !is_valid_next_agent_state(*request.next)) {
    return Status::error(ErrorCode::kInvalAgentState,
                         std::string(to_string(*request.next)) + " cannot be a next agent state");
  }
  AgentStateChange c = unchanged();
  if (trigger) fire(*trigger, request.state, now, c);
  if (request.next && request.next != next_) {
    next_ = request.next;
    c.next_state_changed = true;
  }
  return c;
}

Result<AgentStateChange> Agent::set_measurement_period(std::uint32_t seconds, TimePoint now) {
  if (is_released()) return released_error();
  Status s = stats_.set_period(seconds, now);
  if (!s.ok()) return s;
  AgentStateChange c = unchanged();
  c.statistics_changed = true;
  return c;
}

namespace {
template <typename Sessions>
auto* find_in(Sessions& sessions, SessionHandle handle) noexcept {
  auto it =
      std::find_if(sessions.begin(), sessions.end(), [handle](const AgentSession& s) { return s.handle() == handle; });
  return it == sessions.end() ? nullptr : &*it;
}
}  // namespace

AgentSession* Agent::find(SessionHandle session) noexcept { return find_in(sessions_, session); }

const AgentSession* Agent::find_session(SessionHandle session) const noexcept { return find_in(sessions_, session); }

void Agent::session_started(TimePoint now) {
  stats_.at(now);  // roll first, so the open interval is measured in the right period
  if (active_sessions_++ == 0) active_since_ = now;
}

void Agent::account(const SessionChange& session, TimePoint now, AgentStateChange& change) {
  Counters& counters = stats_.at(now);
  if (session.call_answered) ++counters.acd_calls;
  counters.talk_ms += session.talk_ms;
  counters.wrap_up_ms += session.wrap_up_ms;
  if (session.statistics_changed) change.statistics_changed = true;

  if (session.ended() && active_sessions_ > 0 && --active_sessions_ == 0) {
    // Only the part of the interval inside the current period counts (§5.3).
    counters.active_ms += elapsed_ms(std::max(active_since_, stats_.period().start()), now);
    change.statistics_changed = true;
  }
  if (session.call_delivered) {
    ++acd_calls_in_progress_;
    if (calls_in_progress() == 1) fire(AgentTrigger::kAcdCallDelivered, std::nullopt, now, change);
  }
  if (session.released_call && acd_calls_in_progress_ > 0) {
    --acd_calls_in_progress_;
    if (calls_in_progress() == 0) fire(AgentTrigger::kLastCallEnded, std::nullopt, now, change);
  }
}

template <typename Op>
Result<AgentUpdate> Agent::through_session(SessionHandle handle, TimePoint now, Op op) {
  if (is_released()) return released_error();
  AgentSession* session = find(handle);
  if (session == nullptr) {
    return Status::error(ErrorCode::kInvalParam,
                         "agent " + std::to_string(handle_) + " has no session " + std::to_string(handle));
  }
  Result<SessionChange> changed = op(*session);
  if (!changed) return changed.status();
  AgentUpdate update{*changed, unchanged()};
  account(update.session, now, update.agent);
  return update;
}

Result<AgentUpdate> Agent::create_session(SessionHandle session, const GroupId& group, AddressId working_address,
                                          std::string_view pin, TimePoint now) {
  if (is_released()) return released_error();
  if (!pin.empty()) {
    Status s = check_pin(pin);
    if (!s.ok()) return s;
  }
  if (find(session) != nullptr) {
    return Status::error(ErrorCode::kInvalParam, "session handle " + std::to_string(session) + " already in use");
  }
  const bool duplicate = std::any_of(sessions_.begin(), sessions_.end(), [&](const AgentSession& s) {
    return !s.is_ended() && s.group() == group && s.working_address() == working_address;
  });
  if (duplicate) {
    return Status::error(ErrorCode::kInvalParam, "agent already has a current session for this group and address");
  }
  sessions_.emplace_back(session, handle_, group, working_address, now);
  session_started(now);
  AgentUpdate update{SessionChange{}, unchanged()};
  update.session.session = session;  // new, in kInitialSessionState: announce NEWSESSION
  return update;
}

Result<AgentUpdate> Agent::request_session_state(SessionHandle session, const SessionStateRequest& request,
                                                 TimePoint now) {
  return through_session(session, now, [&](AgentSession& s) { return s.request_state(request, now); });
}

Result<AgentUpdate> Agent::offer_acd_call(SessionHandle session, CallId call, TimePoint now) {
  return through_session(session, now, [&](AgentSession& s) { return s.offer_call(call, now); });
}

Result<AgentUpdate> Agent::answer_acd_call(SessionHandle session, TimePoint now) {
  return through_session(session, now, [&](AgentSession& s) { return s.answer_call(now); });
}

Result<AgentUpdate> Agent::end_acd_call(SessionHandle session, TimePoint now) {
  return through_session(session, now, [&](AgentSession& s) { return s.end_call(now); });
}

Result<AgentUpdate> Agent::ring_no_answer(SessionHandle session, TimePoint now) {
  return through_session(session, now, [&](AgentSession& s) { return s.ring_no_answer(now); });
}

Result<AgentStateChange> Agent::begin_non_acd_call(CallDirection direction, TimePoint now) {
  if (is_released()) return released_error();
  Counters& counters = stats_.at(now);
  (direction == CallDirection::kIncoming ? counters.incoming_calls : counters.outgoing_calls) += 1;
  AgentStateChange c = unchanged();
  c.statistics_changed = true;
  ++non_acd_calls_in_progress_;
  if (calls_in_progress() == 1) {
    fire(direction == CallDirection::kIncoming ? AgentTrigger::kIncomingCall : AgentTrigger::kOutgoingCall,
         std::nullopt, now, c);
  }
  return c;
}

Result<AgentStateChange> Agent::end_non_acd_call(TimePoint now) {
  if (is_released()) return released_error();
  if (non_acd_calls_in_progress_ == 0) {
    return Status::error(ErrorCode::kInvalParam, "no non-ACD call in progress");
  }
  stats_.at(now);
  AgentStateChange c = unchanged();
  --non_acd_calls_in_progress_;
  if (calls_in_progress() == 0) {
    fire(AgentTrigger::kLastCallEnded, std::nullopt, now, c);
  }
  return c;
}

AgentRelease Agent::release(TimePoint now) {
  AgentRelease out;
  out.agent = unchanged();
  if (is_released()) return out;
  for (AgentSession& session : sessions_) {
    SessionChange c = session.release(now);
    if (!c.state_changed()) continue;
    account(c, now, out.agent);
    out.sessions.push_back(c);
  }
  non_acd_calls_in_progress_ = 0;
  deferred_.reset();
  // out.agent.old_state stays the state before release, whatever resume the
  // ended calls caused on the way.
  fire(AgentTrigger::kRelease, std::nullopt, now, out.agent);
  return out;
}

AgentInfo Agent::info(TimePoint now) const {
  const Counters c = stats_.as_of(now);
  std::int64_t active_ms = c.active_ms;
  if (active_sessions_ > 0) {
    active_ms += elapsed_ms(std::max(active_since_, stats_.period().window_start_at(now)), now);
  }
  AgentInfo i;
  i.agent_state = dword(state_);
  i.next_agent_state = next_ ? dword(*next_) : 0;
  i.measurement_period = stats_.period().seconds();
  i.number_of_acd_calls = saturate_dword(c.acd_calls);
  i.number_of_incoming_calls = saturate_dword(c.incoming_calls);
  i.number_of_outgoing_calls = saturate_dword(c.outgoing_calls);
  i.total_acd_talk_time = whole_seconds(c.talk_ms);
  i.total_acd_wrap_up_time = whole_seconds(c.wrap_up_ms);
  i.total_acd_call_time = saturating_add(i.total_acd_talk_time, i.total_acd_wrap_up_time);
  i.overall_call_rate = calls_per_hour(c.acd_calls, whole_seconds(active_ms));
  return i;
}

}  // namespace opentapi::core
