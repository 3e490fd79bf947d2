// CallCenter: the virtual ACD's model of its call center — agents and their
// sessions, queues, groups, the TAPI 2.0 agents on addresses and the calls in
// progress — and the rules that drive it: permissions, routing, wrap-up and
// overflow timers. Every rule and statistic comes from the core library
// (core/agent.h, core/queue.h, core/address_agent.h); this class decides who
// may ask for what, which call goes to which session, and what must be
// announced and stored after each change.
//
// It does no I/O and reads no clock: every operation takes `now`. What an
// operation changed accumulates as Effects — the store::Batch to commit
// (records of the changed objects plus audit entries) and the status
// messages to announce (lineProxyMessage) — which the runtime takes with
// take_effects() after each task (virtual_acd.cpp). docs/acd.md explains the
// choices (error codes, routing, call phases).
//
// The class is implemented in three files: call_center.cpp, routing.cpp
// (calls and routing) and restore.cpp (restore()).
//
// Threading: not thread-safe; one thread (the model thread) owns it.
#ifndef OPENTAPI_ACD_CALL_CENTER_H_
#define OPENTAPI_ACD_CALL_CENTER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "acd/call_source.h"
#include "acd/config.h"
#include "core/address_agent.h"
#include "core/agent.h"
#include "core/failed_logins.h"
#include "core/group.h"
#include "core/queue.h"
#include "core/status.h"
#include "secrets/stored_secret.h"
#include "store/store.h"

namespace opentapi::acd {

using core::AddressId;
using core::AgentHandle;
using core::ErrorCode;
using core::GroupId;
using core::QueueId;
using core::SessionHandle;

// Who asks: the OS user of the client application (LINEPROXYREQUEST
// dwClientUserName), or the ACD itself ("acd", "simulator"). `request` is the
// ACD's number for the proxy request (0 for changes the ACD makes itself).
struct Actor {
  std::string user;
  std::uint32_t request = 0;
  bool system = false;  // the ACD itself: every permission

  static Actor system_actor(std::string name) { return Actor{std::move(name), 0, true}; }
};

// One status message for lineProxyMessage, on the served line `device`.
struct Announcement {
  std::uint32_t device = 0;
  std::uint32_t msg = 0;
  std::uint32_t param1 = 0;
  std::uint32_t param2 = 0;
  std::uint32_t param3 = 0;
  // The change it announces: the 1-based index of its entry in the task's
  // audit entries (Effects::batch.audit), whose event-log seq it carries
  // once the batch is durable; 0 for a message the event log has no entry
  // for (the statistics alone, an address agent's activity alone), sent
  // with seq 0 and never replayed (docs/ha.md "Status messages replayed").
  std::uint32_t entry = 0;

  // The message itself; `entry` is compared separately where it matters.
  friend bool operator==(const Announcement& a, const Announcement& b) {
    return a.device == b.device && a.msg == b.msg && a.param1 == b.param1 && a.param2 == b.param2 &&
           a.param3 == b.param3;
  }
};

// An agent, session or queue whose supervisor view (acd/board.h) changed:
// its state, next state, statistics, owner, waiting calls, or it is new.
struct ChangedObject {
  enum class Kind : std::uint8_t { kAgent, kSession, kQueue };
  Kind kind = Kind::kAgent;
  std::uint32_t id = 0;  // HAGENT, HAGENTSESSION or queue id

  friend auto operator<=>(const ChangedObject&, const ChangedObject&) = default;
};

// What the operations since the last take_effects() changed.
struct Effects {
  store::Batch batch;
  std::vector<Announcement> announcements;
  // Each object once, in the order of its first change. Every one of them
  // has its record in `batch`.
  std::vector<ChangedObject> changed;
  // Agent and session state transitions (for metrics).
  std::uint64_t state_changes = 0;
};

// Where a session works: its line device and the address ID on that line.
struct SessionPlace {
  std::uint32_t device = 0;
  AddressId address = 0;
};

// A session as lineGetAgentSessionList lists it.
struct SessionListEntry {
  SessionHandle session = 0;
  AgentHandle agent = 0;
  GroupId group;
  AddressId address = 0;  // per-line address ID
};

struct NamedEntry {
  std::uint32_t id = 0;
  std::string name;
};

struct GroupEntry {
  GroupId id;
  std::string name;
};

// Where a call is (for the PBX extension's query and for tests).
struct CallView {
  CallId id = 0;
  QueueId queue = 0;
  CallPhase phase = CallPhase::kQueued;
  SessionHandle session = 0;  // 0 while queued
  std::uint32_t device = 0;   // line device of the session's address
  AddressId address = 0;
  std::string caller_number;  // empty: unknown
  std::string caller_name;
};

class CallCenter final : public CallSink {
 public:
  // An empty call center for `config` at `now`: its queues exist, nothing
  // else. REQUIRES: a config that parse_config accepted.
  CallCenter(AcdConfig config, TimePoint now);

  // Rebuilds the call center from the records a store holds (every kind
  // listed in kRecordKinds). Sessions of groups that are no longer
  // configured are ended and queues that are gone are dropped (their waiting
  // calls abandoned); those changes are in the effects, for the caller to
  // commit. Corrupt records → kOperationFailed naming the record.
  static Result<std::unique_ptr<CallCenter>> restore(AcdConfig config, const std::vector<store::Record>& records,
                                                     TimePoint now);
  static constexpr const char* kRecordKinds[] = {"meta", "agent", "session", "queue", "address", "call"};

  const AcdConfig& config() const noexcept { return config_; }
  // The device every agent, queue and group message goes out on (the first
  // served line, docs/reference/flows.md §2.3 step 5).
  std::uint32_t first_device() const noexcept { return config_.lines.front(); }
  bool serves(std::uint32_t device) const noexcept;

  // Call sources whose calls this call center routes. The simulator hears of
  // deliveries of its calls; PBX calls are announced with LINE_AGENTSPECIFIC.
  // Not owned. nullptr detaches.
  // `sink` is where the simulator's events go (the bridge, which makes them
  // switch calls: docs/calls.md); nullptr = this call center.
  void attach_simulator(CallSource* simulator, CallSink* sink = nullptr) noexcept {
    simulator_ = simulator;
    simulator_sink_ = sink;
  }
  // Hands every call the simulator owns back to it (after restore).
  void adopt_simulator_calls(TimePoint now);
  // The bridge to the switch's calls (acd/switch_calls.h): hears of the
  // delivery and ring-no-answer of calls of origin kSwitch. Not owned.
  void attach_switch(CallSource* bridge) noexcept { switch_ = bridge; }
  // Who is calling (caller ID), for the supervisor views and a restart.
  Status set_call_caller(CallId call, std::string number, std::string name);
  // A delivered call that the agent's address could not take, or that rang
  // too long: back to the head of its queue, the session NOT_READY (as the
  // ring timer does). kInvalParam unless the call is offered to a session.
  Status take_back(CallId call, TimePoint now);
  // A station's telephone became free (its call ended, went on hold or was
  // taken back) without the ACD ending a call: the waiting calls are routed
  // again, since routing skipped the sessions working there.
  void station_freed(TimePoint now) { route(now); }
  // Every call in progress, in call-id order.
  std::vector<CallView> call_views() const;

  // --- TAPI 2.2 agent handles and sessions (docs/reference/tapi2-agent.md §3.1) ----------
  // lineCreateAgent. Empty id: the actor's own agent (OS-login
  // authentication). Errors kInvalParam (unknown ID, wrong PIN, agent held by
  // another user, PIN without ID). An agent the actor may change that
  // already exists is returned again (same handle).
  Result<AgentHandle> create_agent(const Actor& actor, std::string_view id, std::string_view pin, TimePoint now);
  // lineCreateAgentSession on line `device`. Errors kInvalParam (unknown or
  // foreign agent, unknown group, address out of range, session exists for
  // that group and address), kInvalPassword (wrong PIN).
  Result<SessionHandle> create_session(const Actor& actor, AgentHandle agent, std::string_view pin,
                                       std::uint32_t device, AddressId address, const GroupId& group, TimePoint now);
  // lineSetAgentSessionState: kInvalParam (unknown/foreign session, both 0),
  // kInvalAgentState (illegal transition, malformed value).
  Status set_session_state(const Actor& actor, SessionHandle session, std::uint32_t state, std::uint32_t next,
                           TimePoint now);
  // lineSetAgentStateEx: kInvalParam, kInvalAgentState.
  Status set_agent_state(const Actor& actor, AgentHandle agent, std::uint32_t state, std::uint32_t next, TimePoint now);
  Status set_agent_period(const Actor& actor, AgentHandle agent, std::uint32_t seconds, TimePoint now);
  Status set_queue_period(const Actor& actor, QueueId queue, std::uint32_t seconds, TimePoint now);

  Result<core::AgentInfo> agent_info(AgentHandle agent, TimePoint now) const;
  Result<core::AgentSessionInfo> session_info(SessionHandle session, TimePoint now) const;
  // Current (not ENDED) sessions of the agent, in creation order (docs/reference/flows.md §4.2).
  Result<std::vector<SessionListEntry>> session_list(AgentHandle agent) const;
  Result<core::QueueInfo> queue_info(QueueId queue, TimePoint now) const;
  Result<std::vector<NamedEntry>> queue_list(const GroupId& group) const;
  std::vector<GroupEntry> group_list() const;

  // --- TAPI 2.0 agent on an address (docs/reference/tapi2-agent.md §3.2) ----------------
  // Errors: kInvalAddressId (address not served) and those of
  // core::AddressAgent (kInvalAgentGroup, kInvalAgentState,
  // kInvalAgentActivity, kInvalAddressState, kInvalParam).
  Status set_agent_group(const Actor& actor, std::uint32_t device, AddressId address, std::span<const GroupId> groups,
                         TimePoint now);
  Status set_address_agent_state(const Actor& actor, std::uint32_t device, AddressId address, std::uint32_t state,
                                 std::uint32_t next, TimePoint now);
  Status set_agent_activity(const Actor& actor, std::uint32_t device, AddressId address, core::ActivityId activity,
                            TimePoint now);
  Result<core::AddressAgentStatus> agent_status(std::uint32_t device, AddressId address) const;
  std::vector<NamedEntry> activity_list() const;
  std::string activity_name(core::ActivityId id) const;  // "" if unknown

  // --- calls (CallSink), for the simulator; the PBX extension uses the
  // actor-checked forms below ----------------------------------------------
  Status on_call_queued(CallId call, QueueId queue, TimePoint now) override;
  Status on_call_answered(CallId call, TimePoint now) override;
  Status on_call_ended(CallId call, TimePoint now) override;
  Status on_call_abandoned(CallId call, TimePoint now) override;
  CallId new_call_id(CallOrigin origin) override;

  // Only supervisors and configured PBX users may report calls: kInvalParam.
  Status check_pbx_actor(const Actor& actor) const;
  // The PBX extension's entry: one of the CallSink events, checked against
  // and recorded (audit) for `actor`. `queue` is used by kQueued only.
  enum class CallEvent : std::uint8_t { kQueued = 1, kAnswered = 2, kEnded = 3, kAbandoned = 4 };
  Status report_call(const Actor& actor, CallEvent event, CallId call, QueueId queue, TimePoint now);
  Result<CallView> find_call(CallId call) const;

  // --- time ------------------------------------------------------------------
  // The earliest instant at which the model or the attached simulator has
  // something to do; nullopt = nothing planned.
  std::optional<TimePoint> next_deadline() const;
  // Runs every wrap-up / overflow timer and simulator event due at or before
  // `now`, each at its own instant, in time order.
  void advance_to(TimePoint now);

  // Takes what changed since the last call.
  Effects take_effects();

  // --- inspection (tests, metrics) ------------------------------------------
  std::size_t agent_count() const noexcept { return agents_.size(); }
  std::size_t session_count() const noexcept { return sessions_.size(); }
  std::size_t live_session_count() const;
  std::size_t call_count() const noexcept { return calls_.size(); }
  std::optional<AgentHandle> find_agent_by_id(std::string_view id) const;
  std::optional<SessionHandle> find_session(AgentHandle agent, const GroupId& group, std::uint32_t device,
                                            AddressId address) const;
  const core::Agent* agent(AgentHandle handle) const;
  const core::AgentSession* session(SessionHandle handle) const;
  std::optional<std::uint32_t> session_device(SessionHandle handle) const;

  // --- read access for the supervisor views (acd/board.h) -------------------
  // The OS user holding the agent; nullptr for an unknown handle.
  const std::string* agent_owner(AgentHandle handle) const;
  std::optional<SessionPlace> session_place(SessionHandle handle) const;
  const core::Queue* queue(QueueId id) const;
  const std::map<QueueId, core::Queue>& queues() const noexcept { return queues_; }
  // In configuration order.
  const std::vector<core::AcdGroup>& groups() const noexcept { return groups_; }
  // The [[agent]] with this ID (binary search; the configuration may list
  // very many agents); nullptr if none.
  const AgentConfig* agent_config(std::string_view id) const;
  // Calls in progress by phase (call_center_views.cpp), for /metrics.
  struct CallCounts {
    std::size_t queued = 0;
    std::size_t offered = 0;
    std::size_t talking = 0;
    std::size_t detached = 0;
  };
  CallCounts call_counts() const;
  // When the call entered its current queue: while queued (from the queue),
  // after delivery while the ACD keeps its place, and after the answer (the
  // queue it was answered from); nullopt for an unknown call or when the ACD
  // no longer knows (call_center_views.cpp).
  std::optional<TimePoint> call_queued_at(CallId call) const;
  // When an agent answered the call; nullopt before, or when the ACD no
  // longer knows (after a restart).
  std::optional<TimePoint> call_answered_at(CallId call) const;
  // Calls f(const core::Agent&, const std::string& owner) for every agent,
  // in handle order.
  template <typename F>
  void for_each_agent(F&& f) const {
    for (const auto& [handle, entry] : agents_) f(entry.agent, entry.owner);
  }

  // --- PINs (docs/security.md "Secrets at rest", "Brute force") ------------
  // PIN checks so far, for /metrics.
  struct PinCounters {
    std::uint64_t wrong = 0;       // PINs checked and wrong (unknown agent IDs included)
    std::uint64_t locked_out = 0;  // attempts refused unchecked during a lockout
    std::uint64_t lockouts = 0;    // lockouts started
  };
  const PinCounters& pin_counters() const noexcept { return pin_counters_; }
  // Where hashed PINs are verified. By default the call center's own
  // verifier, which makes the slow Argon2id check inline. The virtual ACD
  // gives its own and `inline_slow_checks` false: it verifies a hash on
  // another thread before the model sees the request (slow_pin_check()), so
  // the model only asks what the verifier already knows, and treats an
  // unknown answer as wrong. `verifier` is not owned and must outlive this.
  void use_pin_verifier(secrets::SecretVerifier* verifier, bool inline_slow_checks) noexcept {
    pins_ = verifier;
    inline_slow_pin_checks_ = inline_slow_checks;
  }
  // The slow check a CreateAgent (`agent` 0, `id`) or CreateAgentSession
  // (`agent`, `id` ignored) with `pin` from `actor` would need at `now`: the
  // stored hash, or nullopt when none is needed (no PIN, a plain PIN, an
  // answer the verifier knows, unknown agent, a lockout that refuses it
  // unchecked).
  std::optional<std::string> slow_pin_check(const Actor& actor, AgentHandle agent, std::string_view id,
                                            std::string_view pin, TimePoint now) const;
  // The key a client's failures are counted under: its OS user, or for a TCP
  // client "tcp:ADDRESS" (without the port, which changes per connection).
  static std::string peer_key(std::string_view user);
  // A wrong secret presented elsewhere (an HTTP token): an audit entry of
  // object "login" / `key` for `actor`.
  void audit_failed_login(const Actor& actor, std::string key, std::string what, TimePoint now) {
    audit(actor, "login", std::move(key), 0, 0, std::move(what), now);
  }

  // The simulator's agents: log them into every group and make them READY
  // (idempotent: sessions that exist are reused).
  void log_in_simulated_agents(TimePoint now);

 private:
  struct AgentEntry {
    core::Agent agent;
    std::string owner;  // OS user allowed to change it
    std::string key;    // "id:<agent id>" or "user:<os user>"
  };
  struct SessionEntry {
    AgentHandle agent = 0;
    std::uint32_t device = 0;
    AddressId address = 0;
    TimePoint ready_since;  // when it last became READY (longest-idle routing)
  };
  struct CallEntry {
    CallId id = 0;
    QueueId queue = 0;
    CallPhase phase = CallPhase::kQueued;
    SessionHandle session = 0;
    bool address_busy = false;  // the TAPI 2.0 agent on the address went BUSY_ACD for it
    std::optional<TimePoint> overflow_at;
    std::string caller_number;
    std::string caller_name;
    // While it rings at an agent: when it entered its queue (to go back to
    // its place) and when ring-no-answer takes it back. Not stored: calls
    // ringing at a restart end (docs/calls.md "Restarts").
    std::optional<core::QueuedCall> queued;
    std::optional<TimePoint> ring_deadline;
    // Once answered: when it entered the queue it was answered from, and the
    // answer, so the supervisor's call list keeps showing the caller's wait
    // and the talk time after the session lets go of the call (detached).
    // Not stored either: after a restart they are unknown (docs/http.md).
    std::optional<TimePoint> answered_from_queue_at;
    std::optional<TimePoint> answered_at;
  };
  using AddressKey = std::pair<std::uint32_t, AddressId>;  // (device, address)

  // Permissions.
  bool may_change(const Actor& actor, const AgentEntry& agent) const;
  Result<AgentEntry*> agent_for_change(const Actor& actor, AgentHandle handle);
  Result<std::pair<AgentEntry*, SessionEntry*>> session_for_change(const Actor& actor, SessionHandle handle);

  // Core address of a session: the line's index in config.lines in the high
  // half, so sessions on different lines never collide (Agent allows one
  // current session per group and address).
  std::optional<AddressId> core_address(std::uint32_t device, AddressId address) const;

  // Applies what a core session operation returned: availability, timers,
  // calls released, the agent's change, announcements, audit, dirty records.
  void apply(const Actor& actor, const core::AgentUpdate& update, std::string_view what, TimePoint now);
  // `announce_statistics`: announce a change of the statistics alone
  // (UPDATEINFO); false when the caller audits and announces the change.
  void apply_agent_change(const Actor& actor, const core::AgentStateChange& change, std::string_view what,
                          TimePoint now, bool announce_statistics = true);
  void session_moved(SessionHandle handle, const core::SessionChange& change, TimePoint now);
  void release_call(CallId call, TimePoint now);

  // Routing: pairs waiting calls with available sessions of each group.
  void route(TimePoint now);
  void route_group(const GroupId& group, TimePoint now);
  void deliver(CallEntry& call, SessionHandle session, TimePoint now);
  // The session's agent is not on a call or in wrap-up in another session.
  bool agent_free(SessionHandle session) const;

  void run_wrap_up(SessionHandle session, TimePoint now);
  void run_overflow(CallId call, TimePoint now);
  void run_ring_no_answer(CallId call, TimePoint now);
  void end_call(CallEntry& call, bool abandoned, TimePoint now);

  core::AddressAgent& address_agent(std::uint32_t device, AddressId address);
  void apply_address_change(const Actor& actor, const core::AddressAgentChange& change, std::uint32_t device,
                            std::string_view what, TimePoint now);

  // PIN checks: whether `presented` opens `stored` for agent key `agent_key`
  // ("id:1001", "user:alice"), counted per agent and per client; a refusal
  // is kInvalParam or kInvalPassword (`refusal`) with the reason.
  Status check_pin(const Actor& actor, const std::string& agent_key, std::string_view stored,
                   std::string_view presented, ErrorCode refusal, std::string_view request, TimePoint now);
  bool pin_matches(std::string_view stored, std::string_view presented) const;

  // Effects.
  void audit(const Actor& actor, std::string kind, std::string key, std::uint32_t from, std::uint32_t to,
             std::string what, TimePoint now);
  void announce(std::uint32_t device, std::uint32_t msg, std::uint32_t p1, std::uint32_t p2, std::uint32_t p3);
  // Announces the last audit entry through status_message()
  // (status_messages.h), tied to it; `clear_bits` leaves out what the live
  // change knows did not happen (UPDATEINFO when the information stayed).
  void announce_entry(std::uint32_t clear_bits = 0);
  // Audits a change of `queue`'s waiting calls (a call's or the queue's
  // entry, naming the queue: status_messages.h queue_note) and announces
  // the queue's LINE_QUEUESTATUS tied to it: one message per entry, never
  // merged with another of the task, so that a replay gives the same.
  void audit_queue_change(const Actor& actor, std::string kind, std::string key, std::uint32_t from, std::uint32_t to,
                          std::string what, QueueId queue, TimePoint now);
  void view_changed(ChangedObject::Kind kind, std::uint32_t id);

  void set_ready_member(SessionHandle handle, TimePoint now);
  void set_wrap_timer(SessionHandle handle, TimePoint now);

  AcdConfig config_;
  // Indices into config_.agents, ordered by agent ID (agent_config()).
  std::vector<std::uint32_t> agent_config_order_;
  std::vector<core::AcdGroup> groups_;
  std::map<QueueId, core::Queue> queues_;
  std::map<AgentHandle, AgentEntry> agents_;
  std::unordered_map<std::string, AgentHandle> agent_keys_;
  std::map<SessionHandle, SessionEntry> sessions_;
  std::map<AddressKey, core::AddressAgent> addresses_;
  std::map<CallId, CallEntry> calls_;

  // READY sessions without a call, per group, longest idle first.
  std::map<GroupId, std::set<std::pair<TimePoint, SessionHandle>>> available_;
  std::map<SessionHandle, TimePoint> wrap_deadline_;
  std::set<std::pair<TimePoint, SessionHandle>> wrap_timers_;
  std::set<std::pair<TimePoint, CallId>> overflow_timers_;
  std::set<std::pair<TimePoint, CallId>> ring_timers_;

  AgentHandle next_agent_ = 1;
  SessionHandle next_session_ = 1;
  std::uint64_t next_call_ = 1;

  CallSource* simulator_ = nullptr;
  CallSink* simulator_sink_ = nullptr;
  CallSource* switch_ = nullptr;
  // Who call events are recorded for (the simulator, or the PBX user).
  Actor call_actor_ = Actor::system_actor("simulator");

  // Effects accumulated since take_effects().
  std::set<AgentHandle> dirty_agents_;
  std::set<SessionHandle> dirty_sessions_;
  std::set<QueueId> dirty_queues_;
  std::set<AddressKey> dirty_addresses_;
  std::set<CallId> dirty_calls_;
  bool dirty_counters_ = false;
  std::vector<store::AuditEntry> audit_;
  std::vector<Announcement> announcements_;
  std::vector<ChangedObject> changed_;
  std::set<ChangedObject> changed_seen_;
  std::uint64_t state_changes_ = 0;

  // PINs.
  std::unique_ptr<secrets::SecretVerifier> own_pins_ = std::make_unique<secrets::SecretVerifier>();
  secrets::SecretVerifier* pins_ = own_pins_.get();
  bool inline_slow_pin_checks_ = true;
  core::FailedLogins failed_pins_;  // keys "agent:<key>" and "peer:<peer_key>"
  PinCounters pin_counters_;
};

}  // namespace opentapi::acd

#endif  // OPENTAPI_ACD_CALL_CENTER_H_
