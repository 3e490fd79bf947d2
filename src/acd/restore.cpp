// CallCenter::restore (call_center.h): the call center rebuilt from the
// records a store holds, with what no longer fits the configuration
// repaired (docs/acd.md "Runtime and durability", "Restart"). The model's
// rules are in call_center.cpp and routing.cpp.
#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "acd/call_center.h"
#include "acd/records.h"

namespace opentapi::acd {

using core::SessionState;

Result<std::unique_ptr<CallCenter>> CallCenter::restore(AcdConfig config, const std::vector<store::Record>& records,
                                                        TimePoint now) {
  auto cc = std::make_unique<CallCenter>(std::move(config), now);
  CallCenter& c = *cc;
  const auto corrupt = [](const store::Record& r, const std::string& why) {
    return Status::error(ErrorCode::kOperationFailed,
                         "stored " + r.kind + " record " + r.key + " cannot be restored: " + why);
  };
  // Fresh queues were marked for writing by the constructor; only the ones
  // the store does not have yet (new in the configuration) stay marked.
  c.dirty_queues_.clear();
  c.dirty_counters_ = false;
  std::set<QueueId> stored_queues;

  std::map<AgentHandle, std::vector<SessionRecord>> sessions_by_agent;
  std::vector<AgentRecord> agents;
  std::vector<CallRecord> calls;
  for (const store::Record& r : records) {
    if (r.kind == "meta") {
      if (r.key != "counters") continue;
      auto v = decode_counters(r.value);
      if (!v) return corrupt(r, "malformed value");
      c.next_agent_ = v->next_agent;
      c.next_session_ = v->next_session;
      c.next_call_ = v->next_call;
    } else if (r.kind == "agent") {
      auto v = decode_agent(r.value, now);
      if (!v) return corrupt(r, "malformed value");
      agents.push_back(std::move(*v));
    } else if (r.kind == "session") {
      auto v = decode_session(r.value, now);
      if (!v) return corrupt(r, "malformed value");
      sessions_by_agent[v->session.agent].push_back(std::move(*v));
    } else if (r.kind == "queue") {
      auto v = decode_queue(r.value);
      if (!v) return corrupt(r, "malformed value");
      stored_queues.insert(v->id);
      auto cfg = c.config_.find_queue(v->id);
      if (cfg == nullptr) {
        c.dirty_queues_.insert(v->id);  // no longer configured: deleted; its calls are dropped below
        continue;
      }
      // Name, group and service-level target follow the configuration;
      // statistics the store.
      v->name = cfg->name;
      v->group = c.config_.find_group(cfg->group)->id;
      v->service_level_seconds = cfg->service_level_seconds;
      auto q = core::Queue::restore(*v);
      if (!q) return corrupt(r, q.status().message());
      c.queues_.erase(v->id);
      c.queues_.emplace(v->id, std::move(q).value());
    } else if (r.kind == "address") {
      auto v = decode_address(r.value);
      if (!v) return corrupt(r, "malformed value");
      if (!c.core_address(v->device, v->agent.address)) continue;  // line or address no longer served
      auto a = core::AddressAgent::restore(v->agent);
      if (!a) return corrupt(r, a.status().message());
      c.addresses_.insert_or_assign(AddressKey{v->device, v->agent.address}, std::move(a).value());
    } else if (r.kind == "call") {
      auto v = decode_call(r.value);
      if (!v) return corrupt(r, "malformed value");
      calls.push_back(*v);
    }
  }
  for (const QueueConfig& q : c.config_.queues) {
    if (stored_queues.count(q.id) == 0) c.dirty_queues_.insert(q.id);
  }

  // Derived state (availability pools, wrap-up timers) is built from each
  // agent right after it is restored instead of by looking every session up
  // again afterwards; with 100 000 sessions those lookups and the rehashing
  // of agent_keys_ cost a quarter of the restore (docs/performance.md "Scale").
  std::vector<SessionHandle> unconfigured;  // live sessions of groups no longer configured
  c.agent_keys_.reserve(agents.size());
  for (AgentRecord& a : agents) {
    std::vector<core::SessionSnapshot> snaps;
    auto& sess = sessions_by_agent[a.agent.handle];
    std::sort(sess.begin(), sess.end(),
              [](const SessionRecord& x, const SessionRecord& y) { return x.session.handle < y.session.handle; });
    for (const SessionRecord& s : sess) snaps.push_back(s.session);
    auto agent = core::Agent::restore(a.agent, snaps);
    if (!agent) {
      return Status::error(ErrorCode::kOperationFailed, "stored agent record " + hex_key(a.agent.handle) +
                                                            " cannot be restored: " + agent.status().message());
    }
    const AgentHandle h = a.agent.handle;
    c.agent_keys_[a.key] = h;
    const core::Agent& restored =
        c.agents_.emplace(h, AgentEntry{std::move(agent).value(), a.owner, a.key}).first->second.agent;
    for (const SessionRecord& s : sess) {
      const SessionHandle sh = s.session.handle;
      if (!c.sessions_.emplace(sh, SessionEntry{h, s.device, s.address, s.ready_since}).second) continue;
      const core::AgentSession* session = restored.find_session(sh);
      if (session == nullptr) continue;
      if (session->is_available()) c.available_[session->group()].insert({s.ready_since, sh});
      if (session->state() == SessionState::kBusyWrapUp && c.config_.wrap_up_seconds > 0) {
        const TimePoint deadline = session->snapshot().wrap_up_since.plus_seconds(c.config_.wrap_up_seconds);
        c.wrap_deadline_[sh] = deadline;
        c.wrap_timers_.insert({deadline, sh});
      }
      if (!session->is_ended() && c.config_.find_group(session->group()) == nullptr) unconfigured.push_back(sh);
    }
    sessions_by_agent.erase(h);
  }
  if (!sessions_by_agent.empty()) {
    return Status::error(ErrorCode::kOperationFailed,
                         "stored session record " + hex_key(sessions_by_agent.begin()->second.front().session.handle) +
                             " belongs to agent " + hex_key(sessions_by_agent.begin()->first) +
                             ", which is not stored");
  }

  // Calls: re-attach to queues and sessions; drop what no longer fits.
  const Actor acd = Actor::system_actor("acd");
  for (const CallRecord& r : calls) {
    CallEntry e;
    e.id = r.id;
    e.queue = r.queue;
    e.phase = static_cast<CallPhase>(r.phase);
    e.session = r.session;
    e.address_busy = r.address_busy;
    e.overflow_at = r.overflow_at;
    e.caller_number = r.caller_number;
    e.caller_name = r.caller_name;
    bool keep = true;
    if (e.phase == CallPhase::kQueued) {
      auto q = c.queues_.find(e.queue);
      keep = q != c.queues_.end() && q->second.contains(e.id);
      if (keep && e.overflow_at) c.overflow_timers_.insert({*e.overflow_at, e.id});
    } else if (e.phase == CallPhase::kOffered || e.phase == CallPhase::kTalking) {
      const core::AgentSession* s = c.session(e.session);
      keep = s != nullptr && s->current_call() == e.id;
    } else if (e.phase != CallPhase::kDetached) {
      keep = false;
    }
    if (keep) {
      c.calls_.emplace(e.id, e);
    } else {
      c.dirty_calls_.insert(e.id);  // deleted
    }
  }

  // Sessions of groups that are no longer configured end now, in handle order.
  std::sort(unconfigured.begin(), unconfigured.end());
  for (const SessionHandle h : unconfigured) {
    const core::AgentSession* session = c.session(h);
    if (session == nullptr || session->is_ended() || c.config_.find_group(session->group()) != nullptr) continue;
    auto update =
        c.agents_.at(c.sessions_.at(h).agent)
            .agent.request_session_state(h, core::SessionStateRequest{SessionState::kEnded, std::nullopt}, now);
    if (update) c.apply(acd, *update, "group no longer configured", now);
  }
  // Queued calls of dropped queues are gone with them.
  for (auto it = c.calls_.begin(); it != c.calls_.end();) {
    if (it->second.phase == CallPhase::kQueued && c.queues_.count(it->second.queue) == 0) {
      c.dirty_calls_.insert(it->first);
      it = c.calls_.erase(it);
    } else {
      ++it;
    }
  }
  return cc;
}

}  // namespace opentapi::acd
