#include "core/session.h"

#include <algorithm>
#include <string>

namespace opentapi::core {

AgentSession::AgentSession(SessionHandle handle, AgentHandle agent, const GroupId& group, AddressId working_address,
                           TimePoint now) noexcept
    : handle_(handle),
      agent_(agent),
      group_(group),
      working_address_(working_address),
      start_(now),
      state_since_(now) {}

SessionChange AgentSession::unchanged() const noexcept {
  SessionChange c;
  c.session = handle_;
  c.old_state = state_;
  c.new_state = state_;
  return c;
}

Status AgentSession::released_error() const {
  return Status::error(ErrorCode::kInvalParam, "session " + std::to_string(handle_) + " has been released");
}

SessionChange AgentSession::enter(SessionState to, TimePoint now) noexcept {
  SessionChange c = unchanged();
  c.new_state = to;
  if (state_ == SessionState::kBusyOnCall && call_) {
    // docs/reference/flows.md §4.2: leaving the call state stops talk time at that moment.
    if (call_->answered_at) {
      c.talk_ms = elapsed_ms(*call_->answered_at, now);
      talk_ms_ += c.talk_ms;
      c.statistics_changed = true;
    }
    c.released_call = call_->id;
    call_.reset();
  }
  if (state_ == SessionState::kBusyWrapUp) {
    c.wrap_up_ms = elapsed_ms(wrap_up_since_, now);
    wrap_up_ms_ += c.wrap_up_ms;
    c.statistics_changed = true;
  }
  if (to != state_) state_since_ = now;
  state_ = to;
  if (to == SessionState::kBusyWrapUp) wrap_up_since_ = now;
  if (to == SessionState::kEnded) {
    ended_at_ = now;  // SessionDuration freezes here.
    c.statistics_changed = true;
  }
  return c;
}

Result<SessionChange> AgentSession::request_state(const SessionStateRequest& request, TimePoint now) {
  if (state_ == SessionState::kReleased) return released_error();
  if (request.state == SessionState::kReleased || request.next == SessionState::kReleased) {
    return Status::error(ErrorCode::kInvalAgentState, "RELEASED cannot be requested");
  }
  if (request.next) {
    Status s = check_next_session_state(*request.next);
    if (!s.ok()) return s;
  }
  if (state_ == SessionState::kEnded && (request.next || (request.state && *request.state != SessionState::kEnded))) {
    return Status::error(ErrorCode::kInvalAgentState, "session has ended");
  }
  StateChange verdict = StateChange::kNone;
  if (request.state) {
    auto checked = check_session_transition(state_, *request.state);
    if (!checked) return checked.status();
    verdict = *checked;
  }

  SessionChange c = verdict == StateChange::kChanged ? enter(*request.state, now) : unchanged();
  if (request.next && request.next != next_) {
    next_ = request.next;
    c.next_state_changed = true;
  }
  return c;
}

Result<SessionChange> AgentSession::offer_call(CallId call, TimePoint now) {
  if (state_ == SessionState::kReleased) return released_error();
  if (!is_available()) {
    return Status::error(
        ErrorCode::kInvalAgentSessionState,
        "an ACD call can only be offered to a READY session, session is " + std::string(to_string(state_)));
  }
  SessionChange c = enter(SessionState::kBusyOnCall, now);
  call_ = Call{call, now, std::nullopt};
  c.call_delivered = true;
  return c;
}

Result<SessionChange> AgentSession::answer_call(TimePoint now) {
  if (state_ == SessionState::kReleased) return released_error();
  if (!call_) {
    return Status::error(ErrorCode::kInvalAgentSessionState, "no ACD call offered to the session");
  }
  if (call_->answered_at) {
    return Status::error(ErrorCode::kInvalAgentSessionState, "the ACD call is already answered");
  }
  call_->answered_at = now;
  const std::int64_t wait = elapsed_ms(call_->offered_at, now);
  answer_wait_total_ms_ += wait;
  answer_wait_longest_ms_ = std::max(answer_wait_longest_ms_, wait);
  ++calls_;
  SessionChange c = unchanged();
  c.call_answered = true;
  c.statistics_changed = true;
  return c;
}

Result<SessionChange> AgentSession::end_call(TimePoint now) {
  if (state_ == SessionState::kReleased) return released_error();
  if (!call_) {
    return Status::error(ErrorCode::kInvalAgentSessionState, "no ACD call attached to the session");
  }
  SessionState target = next_.value_or(kDefaultNextSessionState);
  if (!call_->answered_at && target == SessionState::kBusyWrapUp) target = SessionState::kReady;
  return enter(target, now);
}

Result<SessionChange> AgentSession::ring_no_answer(TimePoint now) {
  if (state_ == SessionState::kReleased) return released_error();
  if (!call_ || call_->answered_at) {
    return Status::error(ErrorCode::kInvalAgentSessionState, "no unanswered ACD call offered to the session");
  }
  return enter(SessionState::kNotReady, now);
}

SessionChange AgentSession::release(TimePoint now) {
  if (state_ == SessionState::kReleased) return unchanged();
  SessionChange c = state_ == SessionState::kEnded ? unchanged() : enter(SessionState::kEnded, now);
  state_ = SessionState::kReleased;
  state_since_ = now;
  c.new_state = SessionState::kReleased;
  return c;
}

AgentSessionInfo AgentSession::info(TimePoint now) const {
  AgentSessionInfo i;
  i.agent_session_state = dword(state_);
  i.next_agent_session_state = next_ ? dword(*next_) : 0;
  i.session_start_time = to_ole_date(start_);
  i.session_duration = whole_seconds(elapsed_ms(start_, ended_at_.value_or(now)));
  i.number_of_calls = saturate_dword(calls_);
  i.total_talk_time = whole_seconds(talk_ms_);
  i.total_wrap_up_time = whole_seconds(wrap_up_ms_);
  i.total_call_time = saturating_add(i.total_talk_time, i.total_wrap_up_time);
  i.average_talk_time = average(i.total_talk_time, calls_);
  i.average_wrap_up_time = average(i.total_wrap_up_time, calls_);
  i.average_call_time = average(i.total_call_time, calls_);
  i.acd_call_rate = calls_per_hour(calls_, i.session_duration);
  i.longest_time_to_answer = whole_seconds(answer_wait_longest_ms_);
  i.average_time_to_answer = calls_ == 0 ? 0 : whole_seconds(answer_wait_total_ms_ / static_cast<std::int64_t>(calls_));
  return i;
}

}  // namespace opentapi::core
