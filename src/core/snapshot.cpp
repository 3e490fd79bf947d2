// snapshot() / restore() of the core objects (core/snapshot.h). Member
// functions of the classes they serve, kept in one file because they mirror
// the private members and must change together with them.
#include "core/snapshot.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>

#include "core/address_agent.h"
#include "core/agent.h"
#include "core/measurement_period.h"
#include "core/queue.h"
#include "core/session.h"

namespace opentapi::core {
namespace {

Status corrupt(const std::string& what) { return Status::error(ErrorCode::kInvalParam, "invalid snapshot: " + what); }

// A restored period: the same length and window start.
Result<MeasurementPeriod> restore_period(const PeriodSnapshot& p) {
  auto period = MeasurementPeriod::create(p.seconds, p.start);
  if (!period) return corrupt("measurement period of 0 seconds");
  return period;
}

PeriodSnapshot snapshot_period(const MeasurementPeriod& p) { return PeriodSnapshot{p.seconds(), p.start()}; }

bool valid_session_state(SessionState s) {
  auto parsed = parse_session_state_value(dword(s));
  return parsed.ok() && parsed->has_value();
}

bool valid_agent_state(AgentState s) {
  auto parsed = parse_agent_state_value(dword(s));
  return parsed.ok() && parsed->has_value();
}

bool valid_address_state(AddressAgentState s) {
  auto parsed = parse_address_agent_state_value(dword(s));
  return parsed.ok() && parsed->has_value();
}

}  // namespace

// --- AgentSession ----------------------------------------------------------

SessionSnapshot AgentSession::snapshot() const {
  SessionSnapshot s;
  s.handle = handle_;
  s.agent = agent_;
  s.group = group_;
  s.working_address = working_address_;
  s.start = start_;
  s.state = state_;
  s.state_since = state_since_;
  s.next = next_;
  if (call_) s.call = SessionSnapshot::Call{call_->id, call_->offered_at, call_->answered_at};
  s.wrap_up_since = wrap_up_since_;
  s.ended_at = ended_at_;
  s.calls = calls_;
  s.talk_ms = talk_ms_;
  s.wrap_up_ms = wrap_up_ms_;
  s.answer_wait_total_ms = answer_wait_total_ms_;
  s.answer_wait_longest_ms = answer_wait_longest_ms_;
  return s;
}

Result<AgentSession> AgentSession::restore(const SessionSnapshot& s) {
  if (!valid_session_state(s.state)) return corrupt("session state " + std::to_string(dword(s.state)));
  if (s.next && (!valid_session_state(*s.next) || !is_valid_next_session_state(*s.next))) {
    return corrupt("next session state " + std::to_string(dword(*s.next)));
  }
  if (s.call && s.state != SessionState::kBusyOnCall) return corrupt("a call attached outside BUSY_ON_CALL");
  const bool over = s.state == SessionState::kEnded || s.state == SessionState::kReleased;
  if (over != s.ended_at.has_value()) return corrupt("end time does not match the session state");
  if (s.talk_ms < 0 || s.wrap_up_ms < 0 || s.answer_wait_total_ms < 0 || s.answer_wait_longest_ms < 0) {
    return corrupt("negative duration");
  }
  AgentSession session(s.handle, s.agent, s.group, s.working_address, s.start);
  session.state_ = s.state;
  session.state_since_ = s.state_since;
  session.next_ = s.next;
  if (s.call) session.call_ = Call{s.call->id, s.call->offered_at, s.call->answered_at};
  session.wrap_up_since_ = s.wrap_up_since;
  session.ended_at_ = s.ended_at;
  session.calls_ = s.calls;
  session.talk_ms_ = s.talk_ms;
  session.wrap_up_ms_ = s.wrap_up_ms;
  session.answer_wait_total_ms_ = s.answer_wait_total_ms;
  session.answer_wait_longest_ms_ = s.answer_wait_longest_ms;
  return session;
}

// --- Agent -----------------------------------------------------------------

AgentSnapshot Agent::snapshot() const {
  AgentSnapshot a;
  a.handle = handle_;
  a.user_name = user_name_;
  a.id = id_;
  a.pin = pin_;
  a.state = state_;
  a.state_since = state_since_;
  a.next = next_;
  a.held = held_;
  a.deferred = deferred_;
  a.acd_calls_in_progress = acd_calls_in_progress_;
  a.non_acd_calls_in_progress = non_acd_calls_in_progress_;
  a.active_since = active_since_;
  a.period = snapshot_period(stats_.period());
  const Counters& c = stats_.raw();
  a.counters =
      AgentSnapshot::Counters{c.acd_calls, c.incoming_calls, c.outgoing_calls, c.talk_ms, c.wrap_up_ms, c.active_ms};
  return a;
}

Result<Agent> Agent::restore(const AgentSnapshot& a, const std::vector<SessionSnapshot>& sessions) {
  if (!valid_agent_state(a.state)) return corrupt("agent state " + std::to_string(dword(a.state)));
  if (a.next && !is_valid_next_agent_state(*a.next)) return corrupt("next agent state");
  if (a.deferred && !is_requestable_agent_state(*a.deferred)) return corrupt("deferred agent state");
  if (a.held != AgentState::kReady && a.held != AgentState::kNotReady) return corrupt("held agent state");
  if (a.id.empty() && !a.pin.empty()) return corrupt("a PIN without an agent ID");
  auto period = restore_period(a.period);
  if (!period) return period.status();

  Agent agent(a.handle, a.user_name, a.id, a.pin, a.period.start);
  agent.state_ = a.state;
  agent.state_since_ = a.state_since;
  agent.next_ = a.next;
  agent.held_ = a.held;
  agent.deferred_ = a.deferred;
  agent.acd_calls_in_progress_ = a.acd_calls_in_progress;
  agent.non_acd_calls_in_progress_ = a.non_acd_calls_in_progress;
  agent.active_since_ = a.active_since;
  const AgentSnapshot::Counters& c = a.counters;
  agent.stats_ = PeriodCounters<Counters>::restored(
      *period, Counters{c.acd_calls, c.incoming_calls, c.outgoing_calls, c.talk_ms, c.wrap_up_ms, c.active_ms});

  std::set<SessionHandle> handles;
  std::uint32_t calls_attached = 0;
  agent.sessions_.reserve(sessions.size());
  for (const SessionSnapshot& s : sessions) {
    if (s.agent != a.handle) return corrupt("session " + std::to_string(s.handle) + " belongs to another agent");
    if (!handles.insert(s.handle).second) return corrupt("session handle " + std::to_string(s.handle) + " twice");
    auto session = AgentSession::restore(s);
    if (!session) return session.status();
    if (!session->is_ended()) ++agent.active_sessions_;
    if (session->current_call()) ++calls_attached;
    agent.sessions_.push_back(std::move(session).value());
  }
  if (calls_attached != agent.acd_calls_in_progress_) {
    return corrupt("ACD calls in progress disagree with the sessions");
  }
  return agent;
}

// --- Queue -----------------------------------------------------------------

QueueSnapshot Queue::snapshot() const {
  QueueSnapshot q;
  q.id = id_;
  q.name = name_;
  q.group = group_;
  q.service_level_seconds = service_level_seconds_;
  q.waiting.reserve(waiting_.size());
  for (const QueuedCall& w : waiting_) q.waiting.push_back(QueuedCallSnapshot{w.call, w.entered_at, w.flowed_in});
  q.period = snapshot_period(stats_.period());
  const Counters& c = stats_.raw();
  q.counters = QueueSnapshot::Counters{c.queued,
                                       c.abandoned,
                                       c.flowed_in,
                                       c.flowed_out,
                                       c.final_disposition,
                                       c.left,
                                       c.left_wait_total_ms,
                                       c.left_wait_longest_ms,
                                       c.answered,
                                       c.answered_within_target,
                                       c.answered_wait_total_ms};
  return q;
}

Result<Queue> Queue::restore(const QueueSnapshot& q) {
  auto period = restore_period(q.period);
  if (!period) return period.status();
  Queue queue(q.id, q.name, q.group, q.period.start);
  if (!queue.set_service_level_seconds(q.service_level_seconds).ok())
    return corrupt("service-level target of 0 seconds");
  const QueueSnapshot::Counters& k = q.counters;
  if (k.answered_within_target > k.answered || k.answered_wait_total_ms < 0) return corrupt("answered-call counters");
  std::set<CallId> calls;
  for (std::size_t i = 0; i < q.waiting.size(); ++i) {
    const QueuedCallSnapshot& w = q.waiting[i];
    if (!calls.insert(w.call).second) return corrupt("call " + std::to_string(w.call) + " queued twice");
    if (i > 0 && w.entered_at < q.waiting[i - 1].entered_at) return corrupt("waiting calls out of order");
    queue.waiting_.push_back(QueuedCall{w.call, w.entered_at, w.flowed_in});
  }
  const QueueSnapshot::Counters& c = q.counters;
  queue.stats_ = PeriodCounters<Counters>::restored(
      *period,
      Counters{c.queued, c.abandoned, c.flowed_in, c.flowed_out, c.final_disposition, c.left, c.left_wait_total_ms,
               c.left_wait_longest_ms, c.answered, c.answered_within_target, c.answered_wait_total_ms});
  return queue;
}

// --- AddressAgent ----------------------------------------------------------

AddressAgentSnapshot AddressAgent::snapshot() const {
  return AddressAgentSnapshot{address_, state_, next_, held_, groups_, activity_, calls_in_progress_};
}

Result<AddressAgent> AddressAgent::restore(const AddressAgentSnapshot& s) {
  if (!valid_address_state(s.state) || !valid_address_state(s.held) || (s.next && !valid_address_state(*s.next))) {
    return corrupt("address agent state");
  }
  AddressAgent a(s.address);
  a.state_ = s.state;
  a.next_ = s.next;
  a.held_ = s.held;
  a.groups_ = s.groups;
  a.activity_ = s.activity;
  a.calls_in_progress_ = s.calls_in_progress;
  return a;
}

}  // namespace opentapi::core
