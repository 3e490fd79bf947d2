// CallCenter (call_center.h): construction, permissions, effects, the
// agent and session requests, the TAPI 2.0 address agents, timers and
// inspection. The life of a call (queue, routing, delivery, overflow, end)
// is in routing.cpp; rebuilding from the store in restore.cpp.
#include "acd/call_center.h"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "acd/records.h"
#include "acd/status_messages.h"
#include "core/measurement_period.h"
#include "core/snapshot.h"
#include "tapi.h"

namespace opentapi::acd {
namespace {

using core::AgentState;
using core::SessionState;

Status invalid(std::string message) { return Status::error(ErrorCode::kInvalParam, std::move(message)); }

std::string session_name(SessionHandle h) { return "session " + std::to_string(h); }
std::string agent_name(AgentHandle h) { return "agent " + std::to_string(h); }

}  // namespace

CallCenter::CallCenter(AcdConfig config, TimePoint now) : config_(std::move(config)), failed_pins_(config_.lockout) {
  agent_config_order_.resize(config_.agents.size());
  for (std::size_t i = 0; i < config_.agents.size(); ++i) agent_config_order_[i] = static_cast<std::uint32_t>(i);
  std::sort(agent_config_order_.begin(), agent_config_order_.end(),
            [this](std::uint32_t a, std::uint32_t b) { return config_.agents[a].id < config_.agents[b].id; });
  for (const GroupConfig& g : config_.groups) groups_.push_back(core::AcdGroup{g.id, g.name, {}});
  for (const QueueConfig& q : config_.queues) {
    const GroupConfig* g = config_.find_group(q.group);
    if (g == nullptr) continue;  // parse_config guarantees it exists
    for (core::AcdGroup& group : groups_) {
      if (group.id == g->id) (void)group.add_queue(q.id);
    }
    core::Queue queue(q.id, q.name, g->id, now);
    (void)queue.set_service_level_seconds(q.service_level_seconds);  // > 0: parse_config checked it
    if (config_.queue_period_seconds != core::MeasurementPeriod::kDefaultSeconds) {
      (void)queue.set_measurement_period(config_.queue_period_seconds, now);
    }
    queues_.emplace(q.id, std::move(queue));
    dirty_queues_.insert(q.id);
  }
  dirty_counters_ = true;
}

bool CallCenter::serves(std::uint32_t device) const noexcept {
  return std::find(config_.lines.begin(), config_.lines.end(), device) != config_.lines.end();
}

std::optional<AddressId> CallCenter::core_address(std::uint32_t device, AddressId address) const {
  const auto it = std::find(config_.lines.begin(), config_.lines.end(), device);
  if (it == config_.lines.end() || address >= config_.addresses_per_line || address > 0xFFFF) return std::nullopt;
  return static_cast<AddressId>((static_cast<std::uint32_t>(it - config_.lines.begin()) << 16) | address);
}

// --- permissions -------------------------------------------------------------

bool CallCenter::may_change(const Actor& actor, const AgentEntry& agent) const {
  return actor.system || actor.user == agent.owner || config_.is_supervisor(actor.user);
}

Result<CallCenter::AgentEntry*> CallCenter::agent_for_change(const Actor& actor, AgentHandle handle) {
  auto it = agents_.find(handle);
  if (it == agents_.end()) return invalid("no " + agent_name(handle));
  if (!may_change(actor, it->second)) {
    return invalid(agent_name(handle) + " belongs to user " + it->second.owner + ", not to " + actor.user);
  }
  return &it->second;
}

Result<std::pair<CallCenter::AgentEntry*, CallCenter::SessionEntry*>> CallCenter::session_for_change(
    const Actor& actor, SessionHandle handle) {
  auto it = sessions_.find(handle);
  if (it == sessions_.end()) return invalid("no " + session_name(handle));
  auto agent = agent_for_change(actor, it->second.agent);
  if (!agent) return agent.status();
  return std::make_pair(*agent, &it->second);
}

Status CallCenter::check_pbx_actor(const Actor& actor) const {
  if (actor.system || config_.is_supervisor(actor.user) || config_.is_pbx_user(actor.user)) return Status();
  return invalid("user " + actor.user + " may not report calls (not a supervisor or PBX user)");
}

// --- effects -------------------------------------------------------------------

void CallCenter::audit(const Actor& actor, std::string kind, std::string key, std::uint32_t from, std::uint32_t to,
                       std::string what, TimePoint now) {
  store::AuditEntry e;
  e.time_ms = now.unix_ms();
  e.actor = actor.user;
  e.object_kind = std::move(kind);
  e.object_key = std::move(key);
  e.from = from;
  e.to = to;
  e.what = std::move(what);
  e.request_id = actor.request;
  audit_.push_back(std::move(e));
}

void CallCenter::announce(std::uint32_t device, std::uint32_t msg, std::uint32_t p1, std::uint32_t p2,
                          std::uint32_t p3) {
  announcements_.push_back(Announcement{device, msg, p1, p2, p3});
}

void CallCenter::announce_entry(std::uint32_t clear_bits) {
  if (audit_.empty()) return;
  const auto device = [this](SessionHandle h) -> std::optional<std::uint32_t> {
    const auto it = sessions_.find(h);
    if (it == sessions_.end()) return std::nullopt;
    return it->second.device;
  };
  std::optional<Announcement> a = status_message(audit_.back(), first_device(), device);
  if (!a) return;
  a->param2 &= ~clear_bits;
  a->entry = static_cast<std::uint32_t>(audit_.size());
  announcements_.push_back(*a);
}

void CallCenter::view_changed(ChangedObject::Kind kind, std::uint32_t id) {
  const ChangedObject object{kind, id};
  if (changed_seen_.insert(object).second) changed_.push_back(object);
}

void CallCenter::audit_queue_change(const Actor& actor, std::string kind, std::string key, std::uint32_t from,
                                    std::uint32_t to, std::string what, QueueId queue, TimePoint now) {
  view_changed(ChangedObject::Kind::kQueue, queue);
  audit(actor, std::move(kind), std::move(key), from, to, std::move(what) + queue_note(queue), now);
  announce_entry();
}

Effects CallCenter::take_effects() {
  Effects fx;
  store::Batch& b = fx.batch;
  for (AgentHandle h : dirty_agents_) {
    auto it = agents_.find(h);
    if (it == agents_.end()) {
      b.deletes.push_back({"agent", hex_key(h)});
      continue;
    }
    AgentRecord r{it->second.agent.snapshot(), it->second.owner, it->second.key};
    b.puts.push_back({"agent", hex_key(h), encode(r)});
  }
  for (SessionHandle h : dirty_sessions_) {
    auto it = sessions_.find(h);
    const core::AgentSession* s = session(h);
    if (it == sessions_.end() || s == nullptr) {
      b.deletes.push_back({"session", hex_key(h)});
      continue;
    }
    SessionRecord r{s->snapshot(), it->second.device, it->second.address, it->second.ready_since};
    b.puts.push_back({"session", hex_key(h), encode(r)});
  }
  for (QueueId q : dirty_queues_) {
    auto it = queues_.find(q);
    if (it == queues_.end()) {
      b.deletes.push_back({"queue", hex_key(q)});
      continue;
    }
    b.puts.push_back({"queue", hex_key(q), encode(it->second.snapshot())});
  }
  for (const AddressKey& k : dirty_addresses_) {
    auto it = addresses_.find(k);
    if (it == addresses_.end()) {
      b.deletes.push_back({"address", address_key(k.first, k.second)});
      continue;
    }
    b.puts.push_back(
        {"address", address_key(k.first, k.second), encode(AddressRecord{k.first, it->second.snapshot()})});
  }
  for (CallId c : dirty_calls_) {
    auto it = calls_.find(c);
    if (it == calls_.end()) {
      b.deletes.push_back({"call", hex_key64(c)});
      continue;
    }
    const CallEntry& e = it->second;
    CallRecord r{e.id,
                 e.queue,
                 static_cast<std::uint8_t>(e.phase),
                 e.session,
                 e.address_busy,
                 e.overflow_at,
                 e.caller_number,
                 e.caller_name};
    b.puts.push_back({"call", hex_key64(c), encode(r)});
  }
  if (dirty_counters_) {
    b.puts.push_back({"meta", "counters", encode(CountersRecord{next_agent_, next_session_, next_call_})});
  }
  b.audit = std::move(audit_);
  fx.announcements = std::move(announcements_);
  fx.changed = std::move(changed_);
  fx.state_changes = state_changes_;
  dirty_agents_.clear();
  dirty_sessions_.clear();
  dirty_queues_.clear();
  dirty_addresses_.clear();
  dirty_calls_.clear();
  dirty_counters_ = false;
  audit_.clear();
  announcements_.clear();
  changed_.clear();
  changed_seen_.clear();
  state_changes_ = 0;
  return fx;
}

// --- applying core changes -------------------------------------------------------

void CallCenter::set_wrap_timer(SessionHandle handle, TimePoint now) {
  auto it = wrap_deadline_.find(handle);
  if (it != wrap_deadline_.end()) {
    wrap_timers_.erase({it->second, handle});
    wrap_deadline_.erase(it);
  }
  const core::AgentSession* s = session(handle);
  if (s == nullptr || s->state() != SessionState::kBusyWrapUp || config_.wrap_up_seconds == 0) return;
  const TimePoint deadline = now.plus_seconds(config_.wrap_up_seconds);
  wrap_deadline_[handle] = deadline;
  wrap_timers_.insert({deadline, handle});
}

void CallCenter::set_ready_member(SessionHandle handle, TimePoint now) {
  auto it = sessions_.find(handle);
  const core::AgentSession* s = session(handle);
  if (it == sessions_.end() || s == nullptr) return;
  auto& pool = available_[s->group()];
  pool.erase({it->second.ready_since, handle});
  (void)now;
  if (s->is_available()) pool.insert({it->second.ready_since, handle});
}

void CallCenter::session_moved(SessionHandle handle, const core::SessionChange& change, TimePoint now) {
  auto it = sessions_.find(handle);
  const core::AgentSession* s = session(handle);
  if (it == sessions_.end() || s == nullptr) return;
  if (change.state_changed()) {
    available_[s->group()].erase({it->second.ready_since, handle});
    if (change.new_state == SessionState::kReady) it->second.ready_since = now;
    if (change.old_state == SessionState::kBusyWrapUp || change.new_state == SessionState::kBusyWrapUp) {
      set_wrap_timer(handle, now);
    }
  }
  set_ready_member(handle, now);
}

void CallCenter::apply(const Actor& actor, const core::AgentUpdate& update, std::string_view what, TimePoint now) {
  const core::SessionChange& c = update.session;
  const SessionHandle h = c.session;
  session_moved(h, c, now);
  if (c.released_call) release_call(*c.released_call, now);
  std::uint32_t bits = 0;
  if (c.state_changed()) bits |= LINEAGENTSESSIONSTATUS_STATE;
  if (c.next_state_changed || c.statistics_changed) bits |= LINEAGENTSESSIONSTATUS_UPDATEINFO;
  auto it = sessions_.find(h);
  if (bits != 0 && it != sessions_.end()) view_changed(ChangedObject::Kind::kSession, h);
  if (c.state_changed()) {
    ++state_changes_;
    audit(actor, "session", hex_key(h), core::dword(c.old_state), core::dword(c.new_state), std::string(what), now);
    announce_entry((bits & LINEAGENTSESSIONSTATUS_UPDATEINFO) != 0 ? 0u : LINEAGENTSESSIONSTATUS_UPDATEINFO);
  } else if (c.next_state_changed) {
    // Acknowledged like any change, so audited like one (docs/acd.md "Audit"):
    // the state stays, the entry names the next state set (0: cleared).
    const core::AgentSession* s = session(h);
    const std::uint32_t next = s != nullptr && s->next_state() ? core::dword(*s->next_state()) : 0u;
    audit(actor, "session", hex_key(h), core::dword(c.old_state), core::dword(c.new_state),
          std::string(what) + " next_state=0x" + hex_key(next), now);
    announce_entry();
  } else if (bits != 0 && it != sessions_.end()) {
    // The statistics alone: no event-log entry, so never replayed.
    announce(it->second.device, LINE_AGENTSESSIONSTATUS, h, bits, 0);
  }
  dirty_sessions_.insert(h);
  apply_agent_change(actor, update.agent, what, now);
}

void CallCenter::apply_agent_change(const Actor& actor, const core::AgentStateChange& change, std::string_view what,
                                    TimePoint now, bool announce_statistics) {
  std::uint32_t bits = 0;
  if (change.state_changed()) bits |= LINEAGENTSTATUSEX_STATE;
  if (change.next_state_changed || change.statistics_changed) bits |= LINEAGENTSTATUSEX_UPDATEINFO;
  if (bits != 0) view_changed(ChangedObject::Kind::kAgent, change.agent);
  if (change.state_changed()) {
    ++state_changes_;
    audit(actor, "agent", hex_key(change.agent), core::dword(change.old_state), core::dword(change.new_state),
          std::string(what), now);
    announce_entry((bits & LINEAGENTSTATUSEX_UPDATEINFO) != 0 ? 0u : LINEAGENTSTATUSEX_UPDATEINFO);
  } else if (change.next_state_changed) {
    const auto a = agents_.find(change.agent);
    const std::uint32_t next =
        a != agents_.end() && a->second.agent.next_state() ? core::dword(*a->second.agent.next_state()) : 0u;
    audit(actor, "agent", hex_key(change.agent), core::dword(change.old_state), core::dword(change.new_state),
          std::string(what) + " next_state=0x" + hex_key(next), now);
    announce_entry();
  } else if (bits != 0 && announce_statistics) {
    // The statistics alone: no event-log entry, so never replayed.
    announce(first_device(), LINE_AGENTSTATUSEX, change.agent, bits, 0);
  }
  dirty_agents_.insert(change.agent);
}

void CallCenter::apply_address_change(const Actor& actor, const core::AddressAgentChange& change, std::uint32_t device,
                                      std::string_view what, TimePoint now) {
  const std::uint32_t bits = change.status_bits();
  if (change.state_changed() || change.groups_changed || change.next_state_changed) {
    std::string said(what);
    if (!change.state_changed() && change.next_state_changed) {
      // As for sessions and agents: the next state set (0: cleared).
      const auto a = addresses_.find(AddressKey{device, change.address});
      const std::uint32_t next =
          a != addresses_.end() && a->second.next_state() ? core::dword(*a->second.next_state()) : 0u;
      said += " next_state=0x" + hex_key(next);
    }
    // The entry keeps the message's bits (whether the groups or the next
    // state changed is not in from/to), so that a replay gives the same.
    audit(actor, "address", address_key(device, change.address), core::dword(change.old_state),
          core::dword(change.new_state), said + agent_status_note(bits), now);
    announce_entry();
  } else if (bits != 0) {
    // The activity alone: no event-log entry, so never replayed.
    announce(device, LINE_AGENTSTATUS, change.address, bits, 0);
  }
  dirty_addresses_.insert({device, change.address});
}

void CallCenter::release_call(CallId call, TimePoint now) {
  auto it = calls_.find(call);
  if (it == calls_.end()) return;
  CallEntry& e = it->second;
  if (e.phase != CallPhase::kOffered && e.phase != CallPhase::kTalking) return;
  const CallPhase from = e.phase;
  if (e.address_busy) {
    auto s = sessions_.find(e.session);
    if (s != sessions_.end()) {
      auto ch = address_agent(s->second.device, s->second.address).call_ended();
      if (ch) apply_address_change(call_actor_, *ch, s->second.device, "ACD call left the session", now);
    }
    e.address_busy = false;
  }
  e.phase = CallPhase::kDetached;
  e.session = 0;
  dirty_calls_.insert(call);
  audit(Actor::system_actor("acd"), "call", hex_key64(call), static_cast<std::uint32_t>(from),
        static_cast<std::uint32_t>(CallPhase::kDetached), "session left the call", now);
}

// --- PINs ---------------------------------------------------------------------------

std::string CallCenter::peer_key(std::string_view user) {
  if (user.starts_with("tcp:")) {
    const std::size_t colon = user.rfind(':');
    if (colon > 3) return std::string(user.substr(0, colon));
  }
  return std::string(user);
}

bool CallCenter::pin_matches(std::string_view stored, std::string_view presented) const {
  if (stored.empty() || presented.empty()) return stored.empty() && presented.empty();
  if (inline_slow_pin_checks_) return pins_->verify(stored, presented);
  return pins_->verify_quick(stored, presented).value_or(false);
}

Status CallCenter::check_pin(const Actor& actor, const std::string& agent_key, std::string_view stored,
                             std::string_view presented, ErrorCode refusal, std::string_view request, TimePoint now) {
  // docs/security.md "Brute force": counted per agent and per client.
  const std::string peer = peer_key(actor.user);
  const std::string peer_counter = "peer:" + peer;
  const std::string agent_counter = agent_key.empty() ? std::string() : "agent:" + agent_key;
  const std::int64_t t = now.unix_ms();
  const std::int64_t locked = std::max(failed_pins_.locked_for(peer_counter, t),
                                       agent_counter.empty() ? 0 : failed_pins_.locked_for(agent_counter, t));
  if (locked > 0) {
    // Not checked, not audited one by one (a flood would fill the store):
    // counted, and the lockout itself is in the audit history.
    ++pin_counters_.locked_out;
    return Status::error(refusal, "too many wrong PINs: locked out for " + std::to_string(locked) + " ms more");
  }
  if (!agent_counter.empty() && pin_matches(stored, presented)) {
    failed_pins_.record_success(peer_counter);
    failed_pins_.record_success(agent_counter);
    return Status();
  }
  ++pin_counters_.wrong;
  const std::int64_t lock = std::max(failed_pins_.record_failure(peer_counter, t),
                                     agent_counter.empty() ? 0 : failed_pins_.record_failure(agent_counter, t));
  if (lock > 0) ++pin_counters_.lockouts;
  std::string what =
      std::string(request) + (agent_counter.empty() ? ": unknown agent ID" : ": wrong PIN") + " peer=" + peer;
  if (lock > 0) what += " lockout_ms=" + std::to_string(lock);
  audit(actor, "login", agent_key.empty() ? "unknown" : agent_key, 0, 0, std::move(what), now);
  return Status::error(refusal, agent_counter.empty() ? "unknown agent ID" : "wrong PIN");
}

std::optional<std::string> CallCenter::slow_pin_check(const Actor& actor, AgentHandle agent, std::string_view id,
                                                      std::string_view pin, TimePoint now) const {
  if (pin.empty()) return std::nullopt;
  std::string stored;
  std::string key;
  if (agent == 0) {
    const AgentConfig* cfg = agent_config(id);
    if (cfg == nullptr) return std::nullopt;
    stored = cfg->pin;
    key = "id:" + std::string(id);
  } else {
    const auto it = agents_.find(agent);
    if (it == agents_.end()) return std::nullopt;
    stored = it->second.agent.stored_pin();
    key = it->second.key;
  }
  if (!secrets::is_hashed(stored) || pins_->verify_quick(stored, pin)) return std::nullopt;
  const std::int64_t t = now.unix_ms();
  if (failed_pins_.locked_for("peer:" + peer_key(actor.user), t) > 0 ||
      failed_pins_.locked_for("agent:" + key, t) > 0) {
    return std::nullopt;
  }
  return stored;
}

// --- TAPI 2.2 requests -------------------------------------------------------------

Result<AgentHandle> CallCenter::create_agent(const Actor& actor, std::string_view id, std::string_view pin,
                                             TimePoint now) {
  std::string key;
  std::string agent_pin;
  if (id.empty()) {
    if (!pin.empty()) return invalid("a PIN needs an agent ID");
    if (actor.user.empty()) return invalid("the client has no user name to log in with");
    key = "user:" + actor.user;
  } else {
    const AgentConfig* cfg = agent_config(id);
    if (cfg == nullptr && actor.system) return invalid("unknown agent ID " + std::string(id));
    // An unknown ID counts as a wrong PIN (for the client only), and a
    // lockout refuses before saying whether the ID exists. The ACD itself
    // (the simulator) knows the configuration and needs no PIN.
    if (Status s = actor.system ? Status()
                                : check_pin(actor, cfg != nullptr ? "id:" + std::string(id) : std::string(),
                                            cfg != nullptr ? std::string_view(cfg->pin) : std::string_view(), pin,
                                            ErrorCode::kInvalParam, "lineCreateAgent", now);
        !s.ok()) {
      return Status::error(s.code(), s.message() + " (agent ID " + std::string(id) + ")");
    }
    if (!cfg->user.empty() && cfg->user != actor.user && !actor.system && !config_.is_supervisor(actor.user)) {
      return invalid("agent ID " + std::string(id) + " is reserved for user " + cfg->user);
    }
    key = "id:" + std::string(id);
    agent_pin = cfg->pin;
  }

  if (auto existing = agent_keys_.find(key); existing != agent_keys_.end()) {
    AgentEntry& e = agents_.at(existing->second);
    if (may_change(actor, e)) return existing->second;
    if (e.agent.current_session_count() > 0) {
      return invalid("agent " + std::string(id.empty() ? key : id) + " is in use by user " + e.owner);
    }
    // Nobody is logged in with it: the new user takes it over.
    e.owner = actor.user;
    dirty_agents_.insert(existing->second);
    view_changed(ChangedObject::Kind::kAgent, existing->second);
    audit(actor, "agent", hex_key(existing->second), core::dword(e.agent.state()), core::dword(e.agent.state()),
          "CreateAgent: taken over", now);
    return existing->second;
  }

  if (next_agent_ == 0) return Status::error(ErrorCode::kResourceUnavail, "agent handles exhausted");
  const AgentHandle h = next_agent_;
  auto created = core::Agent::create(h, actor.user, std::string(id), agent_pin, now);
  if (!created) return created.status();
  ++next_agent_;
  dirty_counters_ = true;
  core::Agent agent = std::move(created).value();
  agent.mark_reported(now);  // UNKNOWN → NOT_READY: the proxy knows it now (docs/reference/flows.md §4.3)
  if (config_.agent_period_seconds != core::MeasurementPeriod::kDefaultSeconds) {
    (void)agent.set_measurement_period(config_.agent_period_seconds, now);
  }
  const std::uint32_t state = core::dword(agent.state());
  agents_.emplace(h, AgentEntry{std::move(agent), actor.user, key});
  agent_keys_[key] = h;
  dirty_agents_.insert(h);
  view_changed(ChangedObject::Kind::kAgent, h);
  audit(actor, "agent", hex_key(h), core::dword(AgentState::kUnknown), state, "CreateAgent", now);
  announce_entry();
  return h;
}

Result<SessionHandle> CallCenter::create_session(const Actor& actor, AgentHandle agent, std::string_view pin,
                                                 std::uint32_t device, AddressId address, const GroupId& group,
                                                 TimePoint now) {
  auto e = agent_for_change(actor, agent);
  if (!e) return e.status();
  const auto addr = core_address(device, address);
  if (!addr) {
    return invalid("address " + std::to_string(address) + " of line " + std::to_string(device) +
                   " is not served (addresses_per_line " + std::to_string(config_.addresses_per_line) + ")");
  }
  if (config_.find_group(group) == nullptr) return invalid("unknown ACD group " + group.to_string());
  if (next_session_ == 0) return Status::error(ErrorCode::kResourceUnavail, "session handles exhausted");
  if (!pin.empty()) {
    // Checked here (hashes, lockouts) rather than by core::Agent, which then
    // gets no PIN.
    if (Status s = check_pin(actor, (*e)->key, (*e)->agent.stored_pin(), pin, ErrorCode::kInvalPassword,
                             "lineCreateAgentSession", now);
        !s.ok()) {
      return s;
    }
  }
  const SessionHandle h = next_session_;
  auto update = (*e)->agent.create_session(h, group, *addr, "", now);
  if (!update) return update.status();
  ++next_session_;
  dirty_counters_ = true;
  sessions_.emplace(h, SessionEntry{agent, device, address, now});
  dirty_sessions_.insert(h);
  view_changed(ChangedObject::Kind::kSession, h);
  audit(actor, "session", hex_key(h), 0, core::dword(core::kInitialSessionState), "CreateAgentSession", now);
  announce_entry();
  apply_agent_change(actor, update->agent, "CreateAgentSession", now);
  return h;
}

Status CallCenter::set_session_state(const Actor& actor, SessionHandle session, std::uint32_t state, std::uint32_t next,
                                     TimePoint now) {
  auto request = core::parse_session_state_request(state, next);
  if (!request) return request.status();
  auto found = session_for_change(actor, session);
  if (!found) return found.status();
  auto update = found->first->agent.request_session_state(session, *request, now);
  if (!update) return update.status();
  apply(actor, *update, "SetAgentSessionState", now);
  route(now);
  return Status();
}

Status CallCenter::set_agent_state(const Actor& actor, AgentHandle agent, std::uint32_t state, std::uint32_t next,
                                   TimePoint now) {
  auto request = core::parse_agent_state_request(state, next);
  if (!request) return request.status();
  auto e = agent_for_change(actor, agent);
  if (!e) return e.status();
  auto change = (*e)->agent.request_state(*request, now);
  if (!change) return change.status();
  apply_agent_change(actor, *change, "SetAgentStateEx", now);
  return Status();
}

Status CallCenter::set_agent_period(const Actor& actor, AgentHandle agent, std::uint32_t seconds, TimePoint now) {
  auto e = agent_for_change(actor, agent);
  if (!e) return e.status();
  const std::uint32_t before = (*e)->agent.period().seconds();
  auto change = (*e)->agent.set_measurement_period(seconds, now);
  if (!change) return change.status();
  apply_agent_change(actor, *change, "SetAgentMeasurementPeriod", now, /*announce_statistics=*/false);
  audit(actor, "agent", hex_key(agent), before, seconds, "SetAgentMeasurementPeriod", now);
  announce_entry();
  return Status();
}

Status CallCenter::set_queue_period(const Actor& actor, QueueId queue, std::uint32_t seconds, TimePoint now) {
  auto it = queues_.find(queue);
  if (it == queues_.end()) return invalid("no queue " + std::to_string(queue));
  const std::uint32_t before = it->second.period().seconds();
  Status s = it->second.set_measurement_period(seconds, now);
  if (!s.ok()) return s;
  dirty_queues_.insert(queue);
  view_changed(ChangedObject::Kind::kQueue, queue);
  audit(actor, "queue", hex_key(queue), before, seconds, "SetQueueMeasurementPeriod", now);
  announce_entry();
  return Status();
}

Result<core::AgentInfo> CallCenter::agent_info(AgentHandle agent, TimePoint now) const {
  auto it = agents_.find(agent);
  if (it == agents_.end()) return invalid("no " + agent_name(agent));
  return it->second.agent.info(now);
}

Result<core::AgentSessionInfo> CallCenter::session_info(SessionHandle handle, TimePoint now) const {
  const core::AgentSession* s = session(handle);
  if (s == nullptr) return invalid("no " + session_name(handle));
  return s->info(now);
}

Result<std::vector<SessionListEntry>> CallCenter::session_list(AgentHandle agent) const {
  auto it = agents_.find(agent);
  if (it == agents_.end()) return invalid("no " + agent_name(agent));
  std::vector<SessionListEntry> out;
  for (const core::AgentSession& s : it->second.agent.sessions()) {
    if (s.is_ended()) continue;  // docs/reference/flows.md §4.2: ended sessions are not current
    out.push_back(SessionListEntry{s.handle(), agent, s.group(), s.working_address() & 0xFFFFu});
  }
  return out;
}

Result<core::QueueInfo> CallCenter::queue_info(QueueId queue, TimePoint now) const {
  auto it = queues_.find(queue);
  if (it == queues_.end()) return invalid("no queue " + std::to_string(queue));
  return it->second.info(now);
}

Result<std::vector<NamedEntry>> CallCenter::queue_list(const GroupId& group) const {
  for (const core::AcdGroup& g : groups_) {
    if (g.id != group) continue;
    std::vector<NamedEntry> out;
    for (QueueId q : g.queues) {
      auto it = queues_.find(q);
      if (it != queues_.end()) out.push_back(NamedEntry{q, it->second.name()});
    }
    return out;
  }
  return invalid("unknown ACD group " + group.to_string());
}

std::vector<GroupEntry> CallCenter::group_list() const {
  std::vector<GroupEntry> out;
  for (const core::AcdGroup& g : groups_) out.push_back(GroupEntry{g.id, g.name});
  return out;
}

// --- TAPI 2.0 agent on an address -------------------------------------------------

core::AddressAgent& CallCenter::address_agent(std::uint32_t device, AddressId address) {
  return addresses_.try_emplace(AddressKey{device, address}, address).first->second;
}

Status CallCenter::set_agent_group(const Actor& actor, std::uint32_t device, AddressId address,
                                   std::span<const GroupId> groups, TimePoint now) {
  if (!core_address(device, address)) {
    return Status::error(ErrorCode::kInvalAddressId, "address " + std::to_string(address) + " is not served");
  }
  std::vector<GroupId> known;
  for (const core::AcdGroup& g : groups_) known.push_back(g.id);
  auto change = address_agent(device, address).set_groups(groups, known, config_.max_groups_per_address);
  if (!change) return change.status();
  apply_address_change(actor, *change, device, "SetAgentGroup", now);
  return Status();
}

Status CallCenter::set_address_agent_state(const Actor& actor, std::uint32_t device, AddressId address,
                                           std::uint32_t state, std::uint32_t next, TimePoint now) {
  if (!core_address(device, address)) {
    return Status::error(ErrorCode::kInvalAddressId, "address " + std::to_string(address) + " is not served");
  }
  auto request = core::parse_address_agent_state_request(state, next);
  if (!request) return request.status();
  auto change = address_agent(device, address).request_state(*request);
  if (!change) return change.status();
  apply_address_change(actor, *change, device, "SetAgentState", now);
  return Status();
}

Status CallCenter::set_agent_activity(const Actor& actor, std::uint32_t device, AddressId address,
                                      core::ActivityId activity, TimePoint now) {
  if (!core_address(device, address)) {
    return Status::error(ErrorCode::kInvalAddressId, "address " + std::to_string(address) + " is not served");
  }
  std::vector<core::ActivityId> known;
  for (const ActivityConfig& a : config_.activities) known.push_back(a.id);
  auto change = address_agent(device, address).set_activity(activity, known);
  if (!change) return change.status();
  apply_address_change(actor, *change, device, "SetAgentActivity", now);
  return Status();
}

Result<core::AddressAgentStatus> CallCenter::agent_status(std::uint32_t device, AddressId address) const {
  if (!core_address(device, address)) {
    return Status::error(ErrorCode::kInvalAddressId, "address " + std::to_string(address) + " is not served");
  }
  auto it = addresses_.find(AddressKey{device, address});
  if (it == addresses_.end()) return core::AddressAgent(address).status();
  return it->second.status();
}

std::vector<NamedEntry> CallCenter::activity_list() const {
  std::vector<NamedEntry> out;
  for (const ActivityConfig& a : config_.activities) out.push_back(NamedEntry{a.id, a.name});
  return out;
}

std::string CallCenter::activity_name(core::ActivityId id) const {
  for (const ActivityConfig& a : config_.activities) {
    if (a.id == id) return a.name;
  }
  return {};
}

// --- timers --------------------------------------------------------------------------

std::optional<TimePoint> CallCenter::next_deadline() const {
  std::optional<TimePoint> t;
  const auto consider = [&t](TimePoint x) {
    if (!t || x < *t) t = x;
  };
  if (!wrap_timers_.empty()) consider(wrap_timers_.begin()->first);
  if (!overflow_timers_.empty()) consider(overflow_timers_.begin()->first);
  if (!ring_timers_.empty()) consider(ring_timers_.begin()->first);
  if (simulator_ != nullptr) {
    if (auto s = simulator_->next_event()) consider(*s);
  }
  return t;
}

void CallCenter::advance_to(TimePoint now) {
  for (;;) {
    const auto t = next_deadline();
    if (!t || *t > now) return;
    if (!wrap_timers_.empty() && wrap_timers_.begin()->first == *t) {
      const SessionHandle h = wrap_timers_.begin()->second;
      wrap_timers_.erase(wrap_timers_.begin());
      wrap_deadline_.erase(h);
      run_wrap_up(h, *t);
    } else if (!overflow_timers_.empty() && overflow_timers_.begin()->first == *t) {
      const CallId c = overflow_timers_.begin()->second;
      overflow_timers_.erase(overflow_timers_.begin());
      run_overflow(c, *t);
    } else if (!ring_timers_.empty() && ring_timers_.begin()->first == *t) {
      const CallId c = ring_timers_.begin()->second;
      ring_timers_.erase(ring_timers_.begin());
      run_ring_no_answer(c, *t);
    } else if (simulator_ != nullptr) {
      simulator_->fire_next(simulator_sink_ != nullptr ? *simulator_sink_ : static_cast<CallSink&>(*this));
    } else {
      return;
    }
  }
}

void CallCenter::run_wrap_up(SessionHandle handle, TimePoint now) {
  auto s = sessions_.find(handle);
  if (s == sessions_.end()) return;
  const core::AgentSession* session = this->session(handle);
  if (session == nullptr || session->state() != SessionState::kBusyWrapUp) return;
  auto update =
      agents_.at(s->second.agent)
          .agent.request_session_state(handle, core::SessionStateRequest{SessionState::kReady, std::nullopt}, now);
  if (!update) return;
  apply(Actor::system_actor("acd"), *update, "wrap-up time over", now);
  route(now);
}

// --- inspection ----------------------------------------------------------------------

std::size_t CallCenter::live_session_count() const {
  std::size_t n = 0;
  for (const auto& [h, a] : agents_) n += a.agent.current_session_count();
  return n;
}

std::optional<AgentHandle> CallCenter::find_agent_by_id(std::string_view id) const {
  auto it = agent_keys_.find("id:" + std::string(id));
  if (it == agent_keys_.end()) return std::nullopt;
  return it->second;
}

std::optional<SessionHandle> CallCenter::find_session(AgentHandle agent, const GroupId& group, std::uint32_t device,
                                                      AddressId address) const {
  auto it = agents_.find(agent);
  const auto addr = core_address(device, address);
  if (it == agents_.end() || !addr) return std::nullopt;
  for (const core::AgentSession& s : it->second.agent.sessions()) {
    if (!s.is_ended() && s.group() == group && s.working_address() == *addr) return s.handle();
  }
  return std::nullopt;
}

const core::Agent* CallCenter::agent(AgentHandle handle) const {
  auto it = agents_.find(handle);
  return it == agents_.end() ? nullptr : &it->second.agent;
}

const core::AgentSession* CallCenter::session(SessionHandle handle) const {
  auto s = sessions_.find(handle);
  if (s == sessions_.end()) return nullptr;
  auto a = agents_.find(s->second.agent);
  if (a == agents_.end()) return nullptr;
  return a->second.agent.find_session(handle);
}

std::optional<std::uint32_t> CallCenter::session_device(SessionHandle handle) const {
  auto s = sessions_.find(handle);
  if (s == sessions_.end()) return std::nullopt;
  return s->second.device;
}

const std::string* CallCenter::agent_owner(AgentHandle handle) const {
  auto it = agents_.find(handle);
  return it == agents_.end() ? nullptr : &it->second.owner;
}

std::optional<SessionPlace> CallCenter::session_place(SessionHandle handle) const {
  auto s = sessions_.find(handle);
  if (s == sessions_.end()) return std::nullopt;
  return SessionPlace{s->second.device, s->second.address};
}

const core::Queue* CallCenter::queue(QueueId id) const {
  auto it = queues_.find(id);
  return it == queues_.end() ? nullptr : &it->second;
}

const AgentConfig* CallCenter::agent_config(std::string_view id) const {
  auto it = std::lower_bound(agent_config_order_.begin(), agent_config_order_.end(), id,
                             [this](std::uint32_t i, std::string_view x) { return config_.agents[i].id < x; });
  if (it == agent_config_order_.end() || config_.agents[*it].id != id) return nullptr;
  return &config_.agents[*it];
}

void CallCenter::log_in_simulated_agents(TimePoint now) {
  const Actor sim = Actor::system_actor("simulator");
  std::size_t i = 0;
  for (const std::string& id : config_.simulator.agents) {
    const AgentConfig* cfg = agent_config(id);
    if (cfg == nullptr) continue;
    auto h = create_agent(sim, id, "", now);
    if (!h) continue;
    const std::size_t n = config_.lines.size();
    const std::uint32_t device = config_.lines[i % n];
    const auto address = static_cast<AddressId>((i / n) % config_.addresses_per_line);
    ++i;
    for (const GroupConfig& g : config_.groups) {
      auto s = find_session(*h, g.id, device, address);
      if (!s) {
        auto created = create_session(sim, *h, "", device, address, g.id, now);
        if (!created) continue;
        s = *created;
      }
      const core::AgentSession* session = this->session(*s);
      if (session != nullptr && session->state() == SessionState::kNotReady) {
        (void)set_session_state(sim, *s, core::dword(SessionState::kReady), 0, now);
      }
    }
  }
}

void CallCenter::adopt_simulator_calls(TimePoint now) {
  if (simulator_ == nullptr) return;
  for (const auto& [id, e] : calls_) {
    if (call_origin(id) == CallOrigin::kSimulator) simulator_->adopt(id, e.phase, now);
  }
}

}  // namespace opentapi::acd
