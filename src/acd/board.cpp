#include "acd/board.h"

#include <algorithm>
#include <string>
#include <utility>

namespace opentapi::acd {
namespace {

std::int64_t ms_or_zero(const std::optional<TimePoint>& t) { return t ? t->unix_ms() : 0; }

std::string queue_name(const CallCenter& center, QueueId id) {
  const core::Queue* q = center.queue(id);
  return q != nullptr ? q->name() : std::string();
}

// The call delivered to `session`, if any.
std::optional<SessionCallView> make_session_call_view(const CallCenter& center, const core::AgentSession& session) {
  const std::optional<CallId> id = session.current_call();
  if (!id) return std::nullopt;
  SessionCallView v;
  v.id = *id;
  if (auto call = center.find_call(*id)) {
    v.queue = call->queue;
    v.queue_name = queue_name(center, call->queue);
    v.caller_number = call->caller_number;
    v.caller_name = call->caller_name;
  }
  v.offered_ms = ms_or_zero(session.current_call_offered_at());
  v.answered_ms = ms_or_zero(session.current_call_answered_at());
  return v;
}

AgentView make_agent_view(const CallCenter& center, const core::Agent& agent, const std::string& owner, TimePoint now) {
  const core::AgentInfo info = agent.info(now);
  AgentView v;
  v.handle = agent.handle();
  v.id = agent.id();
  if (!agent.id().empty()) {
    if (const AgentConfig* cfg = center.agent_config(agent.id())) v.name = cfg->name;
  }
  v.owner = owner;
  v.state = info.agent_state;
  v.next_state = info.next_agent_state;
  v.state_since_ms = agent.state_since().unix_ms();
  v.stats.acd_calls = info.number_of_acd_calls;
  v.stats.incoming_calls = info.number_of_incoming_calls;
  v.stats.outgoing_calls = info.number_of_outgoing_calls;
  v.stats.talk_seconds = info.total_acd_talk_time;
  v.stats.wrap_up_seconds = info.total_acd_wrap_up_time;
  v.stats.measurement_period = info.measurement_period;
  return v;
}

SessionView make_session_view(const CallCenter& center, const core::Agent& agent, const core::AgentSession& session,
                              TimePoint now) {
  const core::AgentSessionInfo info = session.info(now);
  SessionView v;
  v.handle = session.handle();
  v.agent = agent.handle();
  v.agent_id = agent.id();
  v.group_guid = session.group().to_string();
  if (const GroupConfig* g = center.config().find_group(session.group())) v.group_name = g->name;
  if (const auto place = center.session_place(session.handle())) {
    v.device = place->device;
    v.address = place->address;
  }
  v.state = info.agent_session_state;
  v.next_state = info.next_agent_session_state;
  v.state_since_ms = session.state_since().unix_ms();
  v.started_ms = session.start_time().unix_ms();
  v.stats.calls = info.number_of_calls;
  v.stats.talk_seconds = info.total_talk_time;
  v.stats.call_seconds = info.total_call_time;
  v.stats.wrap_up_seconds = info.total_wrap_up_time;
  v.stats.duration_seconds = info.session_duration;
  v.stats.average_time_to_answer = info.average_time_to_answer;
  v.stats.longest_time_to_answer = info.longest_time_to_answer;
  v.call = make_session_call_view(center, session);
  return v;
}

// docs/http.md "Calls in progress": the wait runs from entering the queue to
// the answer (to now while unanswered), the talk time from the answer.
CallInProgressView make_call_view(const CallCenter& center, const CallView& call,
                                  const std::optional<TimePoint>& queued_at, const StationNumbers* numbers,
                                  TimePoint now) {
  CallInProgressView v;
  v.id = call.id;
  v.phase = call.phase;
  v.queue = call.queue;
  v.queue_name = queue_name(center, call.queue);
  v.caller_number = call.caller_number;
  v.caller_name = call.caller_name;
  std::optional<TimePoint> answered_at;
  if (call.session != 0) {
    v.session = call.session;
    v.device = call.device;
    v.address = call.address;
    if (numbers != nullptr) {
      if (auto n = numbers->find({call.device, call.address}); n != numbers->end()) v.address_number = n->second;
    }
    if (const core::AgentSession* s = center.session(call.session)) {
      v.agent = s->agent();
      if (const core::Agent* a = center.agent(s->agent()); a != nullptr && !a->id().empty()) {
        v.agent_id = a->id();
        if (const AgentConfig* cfg = center.agent_config(a->id())) v.agent_name = cfg->name;
      }
      if (s->current_call() == call.id) {
        v.offered_ms = ms_or_zero(s->current_call_offered_at());
        answered_at = s->current_call_answered_at();
        v.answered_ms = ms_or_zero(answered_at);
      }
    }
  }
  // A detached call is at no session any more; the ACD still knows when it
  // was answered.
  if (!answered_at) {
    answered_at = center.call_answered_at(call.id);
    v.answered_ms = ms_or_zero(answered_at);
  }
  if (queued_at) {
    v.queued_ms = queued_at->unix_ms();
    v.wait_seconds = core::whole_seconds(core::elapsed_ms(*queued_at, answered_at.value_or(now)));
  }
  if (answered_at) v.talk_seconds = core::whole_seconds(core::elapsed_ms(*answered_at, now));
  return v;
}

QueueView make_queue_view(const CallCenter& center, const core::Queue& queue, TimePoint now) {
  const core::QueueInfo info = queue.info(now);
  const core::QueueServiceInfo service = queue.service_info(now);
  QueueView v;
  v.id = queue.id();
  v.name = queue.name();
  v.group_guid = queue.group().to_string();
  if (const GroupConfig* g = center.config().find_group(queue.group())) v.group_name = g->name;
  v.waiting = info.current_calls_queued;
  v.longest_wait_seconds = info.current_longest_wait_time;
  v.offered = info.total_calls_queued;
  v.answered = service.answered;
  v.abandoned = info.total_calls_abandoned;
  v.answered_within_target = service.answered_within_target;
  v.service_level_seconds = service.service_level_seconds;
  v.service_level = service.service_level;
  v.average_wait_seconds = info.average_wait_time;
  v.average_speed_of_answer_seconds = service.average_speed_of_answer;
  v.measurement_period = info.measurement_period;
  return v;
}

}  // namespace

Board build_board(const CallCenter& center, TimePoint now) {
  Board board;
  board.now_ms = now.unix_ms();
  for (const core::AcdGroup& g : center.groups()) board.groups.push_back(GroupView{g.id.to_string(), g.name, g.queues});
  for (const auto& [id, queue] : center.queues()) board.queues.push_back(make_queue_view(center, queue, now));
  center.for_each_agent([&](const core::Agent& agent, const std::string& owner) {
    if (agent.is_released()) return;
    board.agents.push_back(make_agent_view(center, agent, owner, now));
    for (const core::AgentSession& s : agent.sessions()) {
      if (!s.is_ended()) board.sessions.push_back(make_session_view(center, agent, s, now));
    }
  });
  // Agents come in handle order; their sessions interleave across agents.
  std::sort(board.sessions.begin(), board.sessions.end(),
            [](const SessionView& a, const SessionView& b) { return a.handle < b.handle; });
  return board;
}

std::optional<AgentView> agent_view(const CallCenter& center, AgentHandle agent, TimePoint now) {
  const core::Agent* a = center.agent(agent);
  const std::string* owner = center.agent_owner(agent);
  if (a == nullptr || owner == nullptr) return std::nullopt;
  return make_agent_view(center, *a, *owner, now);
}

std::optional<SessionView> session_view(const CallCenter& center, SessionHandle session, TimePoint now) {
  const core::AgentSession* s = center.session(session);
  if (s == nullptr) return std::nullopt;
  const core::Agent* a = center.agent(s->agent());
  if (a == nullptr) return std::nullopt;
  return make_session_view(center, *a, *s, now);
}

std::optional<QueueView> queue_view(const CallCenter& center, QueueId queue, TimePoint now) {
  const core::Queue* q = center.queue(queue);
  if (q == nullptr) return std::nullopt;
  return make_queue_view(center, *q, now);
}

CallList build_call_list(const CallCenter& center, TimePoint now, const StationNumbers* numbers) {
  // Entry times of the waiting calls in one pass over the queues, not one
  // search per call.
  std::map<CallId, TimePoint> waiting_since;
  for (const auto& [qid, queue] : center.queues()) {
    for (const core::QueuedCall& w : queue.waiting()) waiting_since.emplace(w.call, w.entered_at);
  }
  CallList list;
  list.now_ms = now.unix_ms();
  std::vector<CallView> calls = center.call_views();
  list.calls.reserve(calls.size());
  for (const CallView& call : calls) {
    std::optional<TimePoint> queued_at;
    if (auto w = waiting_since.find(call.id); w != waiting_since.end()) {
      queued_at = w->second;
    } else if (call.phase != CallPhase::kQueued) {
      queued_at = center.call_queued_at(call.id);
    }
    list.calls.push_back(make_call_view(center, call, queued_at, numbers, now));
  }
  return list;
}

std::optional<BoardChange> change_of(const CallCenter& center, const ChangedObject& object, TimePoint now) {
  BoardChange change;
  change.now_ms = now.unix_ms();
  switch (object.kind) {
    case ChangedObject::Kind::kAgent: {
      auto v = agent_view(center, object.id, now);
      if (!v) return std::nullopt;
      change.object = std::move(*v);
      break;
    }
    case ChangedObject::Kind::kSession: {
      auto v = session_view(center, object.id, now);
      if (!v) return std::nullopt;
      change.object = std::move(*v);
      break;
    }
    case ChangedObject::Kind::kQueue: {
      auto v = queue_view(center, object.id, now);
      if (!v) return std::nullopt;
      change.object = std::move(*v);
      break;
    }
  }
  return change;
}

}  // namespace opentapi::acd
