// CallCenter's calls (call_center.h): how a call enters a queue, is routed
// to the session of its group idle longest, is delivered, flows to an
// overflow queue when it waited too long, is answered and ends
// (docs/acd.md "Routing", "Call sources"). The rest of the class is in
// call_center.cpp; rebuilding it from the store in restore.cpp.
#include <optional>
#include <string>

#include "acd/call_center.h"
#include "acd/records.h"
#include "tapi.h"

namespace opentapi::acd {
namespace {

using core::SessionState;

Status invalid(std::string message) { return Status::error(ErrorCode::kInvalParam, std::move(message)); }

const char* phase_name(CallPhase p) {
  switch (p) {
    case CallPhase::kQueued:
      return "queued";
    case CallPhase::kOffered:
      return "offered";
    case CallPhase::kTalking:
      return "talking";
    case CallPhase::kDetached:
      return "detached";
  }
  return "?";
}

}  // namespace

// --- calls -------------------------------------------------------------------------

CallId CallCenter::new_call_id(CallOrigin origin) {
  dirty_counters_ = true;
  return make_call_id(origin, next_call_++);
}

Status CallCenter::report_call(const Actor& actor, CallEvent event, CallId call, QueueId queue, TimePoint now) {
  Status allowed = check_pbx_actor(actor);
  if (!allowed.ok()) return allowed;
  const Actor saved = call_actor_;
  call_actor_ = actor;
  Status s;
  switch (event) {
    case CallEvent::kQueued:
      s = on_call_queued(call, queue, now);
      break;
    case CallEvent::kAnswered:
      s = on_call_answered(call, now);
      break;
    case CallEvent::kEnded:
      s = on_call_ended(call, now);
      break;
    case CallEvent::kAbandoned:
      s = on_call_abandoned(call, now);
      break;
    default:
      s = invalid("unknown call event");
      break;
  }
  call_actor_ = saved;
  return s;
}

Result<CallView> CallCenter::find_call(CallId call) const {
  auto it = calls_.find(call);
  if (it == calls_.end()) return invalid("unknown call");
  const CallEntry& e = it->second;
  CallView v{e.id, e.queue, e.phase, e.session, 0, 0, e.caller_number, e.caller_name};
  if (auto s = sessions_.find(e.session); s != sessions_.end()) {
    v.device = s->second.device;
    v.address = s->second.address;
  }
  return v;
}

std::vector<CallView> CallCenter::call_views() const {
  std::vector<CallView> out;
  out.reserve(calls_.size());
  for (const auto& [id, e] : calls_) out.push_back(*find_call(id));
  return out;
}

Status CallCenter::set_call_caller(CallId call, std::string number, std::string name) {
  auto it = calls_.find(call);
  if (it == calls_.end()) return invalid("unknown call " + hex_key64(call));
  if (it->second.caller_number == number && it->second.caller_name == name) return Status();
  it->second.caller_number = std::move(number);
  it->second.caller_name = std::move(name);
  dirty_calls_.insert(call);
  return Status();
}

Status CallCenter::on_call_queued(CallId call, QueueId queue, TimePoint now) {
  if (calls_.count(call) != 0) return invalid("call id " + hex_key64(call) + " is in use");
  auto q = queues_.find(queue);
  if (q == queues_.end()) return invalid("no queue " + std::to_string(queue));
  Status s = q->second.enqueue(call, now);
  if (!s.ok()) return s;
  CallEntry e;
  e.id = call;
  e.queue = queue;
  const QueueConfig* cfg = config_.find_queue(queue);
  if (cfg != nullptr && cfg->overflow_to) {
    e.overflow_at = now.plus_seconds(cfg->overflow_seconds);
    overflow_timers_.insert({*e.overflow_at, call});
  }
  calls_.emplace(call, e);
  dirty_calls_.insert(call);
  dirty_queues_.insert(queue);
  audit_queue_change(call_actor_, "call", hex_key64(call), 0, static_cast<std::uint32_t>(CallPhase::kQueued),
                     "queued in queue " + std::to_string(queue), queue, now);
  route_group(q->second.group(), now);
  return Status();
}

Status CallCenter::on_call_answered(CallId call, TimePoint now) {
  auto it = calls_.find(call);
  if (it == calls_.end()) return invalid("unknown call " + hex_key64(call));
  CallEntry& e = it->second;
  if (e.phase != CallPhase::kOffered) {
    return invalid(std::string("call is ") + phase_name(e.phase) + ", not offered to an agent");
  }
  auto s = sessions_.find(e.session);
  if (s == sessions_.end()) return invalid("call without a session");
  auto update = agents_.at(s->second.agent).agent.answer_acd_call(e.session, now);
  if (!update) return update.status();
  e.phase = CallPhase::kTalking;
  if (e.ring_deadline) ring_timers_.erase({*e.ring_deadline, call});
  e.ring_deadline.reset();
  if (e.queued) e.answered_from_queue_at = e.queued->entered_at;
  e.answered_at = now;
  e.queued.reset();
  dirty_calls_.insert(call);
  audit(call_actor_, "call", hex_key64(call), static_cast<std::uint32_t>(CallPhase::kOffered),
        static_cast<std::uint32_t>(CallPhase::kTalking), "answered", now);
  apply(call_actor_, *update, "call answered", now);
  return Status();
}

Status CallCenter::on_call_ended(CallId call, TimePoint now) {
  auto it = calls_.find(call);
  if (it == calls_.end()) return invalid("unknown call " + hex_key64(call));
  if (it->second.phase == CallPhase::kDetached) {
    audit(call_actor_, "call", hex_key64(call), static_cast<std::uint32_t>(CallPhase::kDetached), 0, "ended", now);
    calls_.erase(it);
    dirty_calls_.insert(call);
    return Status();
  }
  end_call(it->second, /*abandoned=*/it->second.phase == CallPhase::kQueued, now);
  return Status();
}

Status CallCenter::on_call_abandoned(CallId call, TimePoint now) {
  auto it = calls_.find(call);
  if (it == calls_.end()) return invalid("unknown call " + hex_key64(call));
  if (it->second.phase != CallPhase::kQueued && it->second.phase != CallPhase::kOffered) {
    return invalid(std::string("call is ") + phase_name(it->second.phase) + "; only waiting calls are abandoned");
  }
  end_call(it->second, /*abandoned=*/true, now);
  return Status();
}

void CallCenter::end_call(CallEntry& call, bool abandoned, TimePoint now) {
  if (call.ring_deadline) ring_timers_.erase({*call.ring_deadline, call.id});
  const CallEntry e = call;  // `call` is erased below
  const std::string key = hex_key64(e.id);
  if (e.phase == CallPhase::kQueued) {
    auto q = queues_.find(e.queue);
    if (q != queues_.end()) (void)q->second.dequeue_abandoned(e.id, now);
    if (e.overflow_at) overflow_timers_.erase({*e.overflow_at, e.id});
    calls_.erase(e.id);
    dirty_calls_.insert(e.id);
    dirty_queues_.insert(e.queue);
    audit_queue_change(call_actor_, "call", key, static_cast<std::uint32_t>(CallPhase::kQueued), 0,
                       "abandoned in queue", e.queue, now);
    return;
  }
  calls_.erase(e.id);
  dirty_calls_.insert(e.id);
  auto s = sessions_.find(e.session);
  if (s == sessions_.end()) return;
  if (e.address_busy) {
    auto ch = address_agent(s->second.device, s->second.address).call_ended();
    if (ch) apply_address_change(call_actor_, *ch, s->second.device, "ACD call ended", now);
  }
  const char* what = abandoned ? "call abandoned" : "call ended";
  audit(call_actor_, "call", key, static_cast<std::uint32_t>(e.phase), 0, what, now);
  auto update = agents_.at(s->second.agent).agent.end_acd_call(e.session, now);
  if (update) apply(call_actor_, *update, what, now);
  route(now);
}

// --- routing -------------------------------------------------------------------------

void CallCenter::route(TimePoint now) {
  for (const core::AcdGroup& g : groups_) route_group(g.id, now);
}

void CallCenter::route_group(const GroupId& group, TimePoint now) {
  const core::AcdGroup* g = nullptr;
  for (const core::AcdGroup& x : groups_) {
    if (x.id == group) g = &x;
  }
  if (g == nullptr) return;
  auto pool = available_.find(group);
  if (pool == available_.end()) return;
  while (!pool->second.empty()) {
    // The call waiting longest in any of the group's queues (queue order
    // breaks ties), to the session idle longest.
    std::optional<core::QueuedCall> oldest;
    for (QueueId qid : g->queues) {
      auto q = queues_.find(qid);
      if (q == queues_.end()) continue;
      auto w = q->second.oldest_waiting();
      if (w && (!oldest || w->entered_at < oldest->entered_at)) oldest = w;
    }
    if (!oldest) return;
    auto call = calls_.find(oldest->call);
    if (call == calls_.end()) return;  // cannot happen: every queued call has an entry
    SessionHandle chosen = 0;
    for (const auto& [since, h] : pool->second) {
      if (agent_free(h)) {
        chosen = h;
        break;
      }
    }
    if (chosen == 0) return;
    deliver(call->second, chosen, now);
  }
}

bool CallCenter::agent_free(SessionHandle session) const {
  auto s = sessions_.find(session);
  if (s == sessions_.end()) return false;
  // One person, one call: an agent on a call or in wrap-up in another of its
  // sessions gets no second call (docs/acd.md "Routing").
  for (const core::AgentSession& other : agents_.at(s->second.agent).agent.sessions()) {
    if (other.handle() != session &&
        (other.state() == SessionState::kBusyOnCall || other.state() == SessionState::kBusyWrapUp)) {
      return false;
    }
  }
  // One telephone, one call: several sessions (of different agents) may
  // work at one address, but its telephone takes one call at a time; a
  // call redirected to a busy one would fail (docs/calls.md "The busy rule").
  if (switch_ != nullptr && switch_->station_busy(s->second.device, s->second.address)) return false;
  return true;
}

void CallCenter::deliver(CallEntry& call, SessionHandle session, TimePoint now) {
  auto s = sessions_.find(session);
  auto q = queues_.find(call.queue);
  if (s == sessions_.end() || q == queues_.end()) return;
  AgentEntry& agent = agents_.at(s->second.agent);
  auto update = agent.agent.offer_acd_call(session, call.id, now);
  if (!update) {
    // Not available after all: drop it from the pool so routing moves on.
    available_[q->second.group()].erase({s->second.ready_since, session});
    return;
  }
  // The call leaves its queue when the ACD hands it to an agent (docs/acd.md).
  auto left = q->second.dequeue_answered(call.id, now);
  if (left) call.queued = *left;
  // Simulated callers the bridge placed through the switch ring like any
  // other switch call (docs/calls.md "The ACD and its calls").
  const bool on_switch =
      call_origin(call.id) == CallOrigin::kSwitch ||
      (call_origin(call.id) == CallOrigin::kSimulator && switch_ != nullptr && switch_->carries(call.id));
  if (on_switch && config_.ring_timeout_seconds != 0) {
    call.ring_deadline = now.plus_seconds(config_.ring_timeout_seconds);
    ring_timers_.insert({*call.ring_deadline, call.id});
  }
  if (call.overflow_at) overflow_timers_.erase({*call.overflow_at, call.id});
  call.overflow_at.reset();
  call.phase = CallPhase::kOffered;
  call.session = session;
  dirty_calls_.insert(call.id);
  dirty_queues_.insert(call.queue);
  const Actor acd = Actor::system_actor("acd");
  audit_queue_change(acd, "call", hex_key64(call.id), static_cast<std::uint32_t>(CallPhase::kQueued),
                     static_cast<std::uint32_t>(CallPhase::kOffered), "delivered to session " + std::to_string(session),
                     call.queue, now);
  auto aa = addresses_.find(AddressKey{s->second.device, s->second.address});
  if (aa != addresses_.end() && aa->second.state() == core::AddressAgentState::kReady) {
    auto ch = aa->second.call_started(core::AddressCallKind::kAcd);
    if (ch) {
      call.address_busy = true;
      apply_address_change(acd, *ch, s->second.device, "ACD call delivered", now);
    }
  }
  apply(acd, *update, "call delivered", now);
  switch (call_origin(call.id)) {
    case CallOrigin::kSimulator:
      if (simulator_ != nullptr) simulator_->call_delivered(call.id, session, now);
      // The bridge redirects it when it placed it; it ignores it otherwise.
      if (switch_ != nullptr) switch_->call_delivered(call.id, session, now);
      break;
    case CallOrigin::kSwitch:
      if (switch_ != nullptr) switch_->call_delivered(call.id, session, now);
      break;
    case CallOrigin::kPbx:
      // docs/acd.md "PBX extension": extension 0, dwParam2 = the PBX's call
      // id, dwParam3 = the session the call goes to.
      announce(first_device(), LINE_AGENTSPECIFIC, 0, static_cast<std::uint32_t>(call_number(call.id)), session);
      break;
    default:
      break;
  }
}

// --- ring-no-answer ----------------------------------------------------------------

Status CallCenter::take_back(CallId call, TimePoint now) {
  auto it = calls_.find(call);
  if (it == calls_.end()) return invalid("unknown call " + hex_key64(call));
  if (it->second.phase != CallPhase::kOffered) return invalid("call is not offered to a session");
  if (it->second.ring_deadline) ring_timers_.erase({*it->second.ring_deadline, call});
  run_ring_no_answer(call, now);
  return Status();
}

// docs/calls.md "The ACD and its calls": back to the head of its queue (its
// original place), the session NOT_READY, and the switch takes it back.
void CallCenter::run_ring_no_answer(CallId call, TimePoint now) {
  auto it = calls_.find(call);
  if (it == calls_.end() || it->second.phase != CallPhase::kOffered) return;
  CallEntry& e = it->second;
  e.ring_deadline.reset();
  const SessionHandle session = e.session;
  auto s = sessions_.find(session);
  auto q = queues_.find(e.queue);
  if (s == sessions_.end() || q == queues_.end()) return;
  const core::QueuedCall place = e.queued.value_or(core::QueuedCall{call, now, false});
  const bool on_switch = call_origin(call) == CallOrigin::kSwitch ||
                         (call_origin(call) == CallOrigin::kSimulator && switch_ != nullptr && switch_->carries(call));
  // Detach the call from the session before the session moves, so that the
  // session's change does not treat it as a call the agent walked away from.
  if (e.address_busy) {
    auto ch = address_agent(s->second.device, s->second.address).call_ended();
    if (ch) apply_address_change(Actor::system_actor("acd"), *ch, s->second.device, "ACD call not answered", now);
    e.address_busy = false;
  }
  e.phase = CallPhase::kQueued;
  e.session = 0;
  e.queued.reset();
  (void)q->second.requeue(place);
  const QueueConfig* cfg = config_.find_queue(e.queue);
  if (cfg != nullptr && cfg->overflow_to) {
    e.overflow_at = place.entered_at.plus_seconds(cfg->overflow_seconds);
    if (*e.overflow_at < now) e.overflow_at = now;
    overflow_timers_.insert({*e.overflow_at, call});
  }
  dirty_calls_.insert(call);
  dirty_queues_.insert(e.queue);
  const Actor acd = Actor::system_actor("acd");
  audit_queue_change(
      acd, "call", hex_key64(call), static_cast<std::uint32_t>(CallPhase::kOffered),
      static_cast<std::uint32_t>(CallPhase::kQueued),
      "not answered by session " + std::to_string(session) + ": back to queue " + std::to_string(e.queue), e.queue,
      now);
  auto update = agents_.at(s->second.agent).agent.ring_no_answer(session, now);
  if (update) apply(acd, *update, "ring-no-answer", now);
  if (switch_ != nullptr && on_switch) switch_->call_taken_back(call, now);
  route_group(q->second.group(), now);
}

// --- overflow ------------------------------------------------------------------------

void CallCenter::run_overflow(CallId call, TimePoint now) {
  auto it = calls_.find(call);
  if (it == calls_.end() || it->second.phase != CallPhase::kQueued) return;
  CallEntry& e = it->second;
  const QueueConfig* cfg = config_.find_queue(e.queue);
  if (cfg == nullptr || !cfg->overflow_to) return;
  auto from = queues_.find(e.queue);
  auto to = queues_.find(*cfg->overflow_to);
  if (from == queues_.end() || to == queues_.end()) return;
  if (!from->second.dequeue_flowed_out(call, now).ok()) return;
  (void)to->second.enqueue(call, now, /*flowed_in=*/true);
  const QueueId old_queue = e.queue;
  e.queue = to->first;
  e.overflow_at.reset();
  const QueueConfig* next = config_.find_queue(e.queue);
  if (next != nullptr && next->overflow_to) {
    e.overflow_at = now.plus_seconds(next->overflow_seconds);
    overflow_timers_.insert({*e.overflow_at, call});
  }
  dirty_calls_.insert(call);
  dirty_queues_.insert(old_queue);
  dirty_queues_.insert(e.queue);
  // Two queues changed, and an entry announces one (status_messages.h): the
  // queue the call left gets its own entry, before the call's.
  const Actor acd = Actor::system_actor("acd");
  audit_queue_change(acd, "queue", hex_key(old_queue), 0, 0,
                     "call " + hex_key64(call) + " flowed out to queue " + std::to_string(e.queue), old_queue, now);
  audit_queue_change(acd, "call", hex_key64(call), static_cast<std::uint32_t>(CallPhase::kQueued),
                     static_cast<std::uint32_t>(CallPhase::kQueued),
                     "flowed from queue " + std::to_string(old_queue) + " to queue " + std::to_string(e.queue), e.queue,
                     now);
  route_group(to->second.group(), now);
}

}  // namespace opentapi::acd
