// A Supervision for the tests of src/http: a board the test fills, changes
// the test emits (from its own thread, as the ACD would), state changes that
// are recorded and answered with a status the test chooses.
#ifndef OPENTAPI_HTTP_TESTING_FAKE_SUPERVISION_H_
#define OPENTAPI_HTTP_TESTING_FAKE_SUPERVISION_H_

#include <tapi.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "acd/supervision.h"

namespace opentapi::http::testing {

struct StateCall {
  std::string user;
  bool session = false;
  std::uint32_t handle = 0;
  std::uint32_t state = 0;
  std::uint32_t next_state = 0;
};

struct AuditCall {
  std::string kind;
  std::string key;
  std::uint64_t after = 0;
  std::size_t limit = 0;
};

class FakeSupervision final : public acd::Supervision {
 public:
  // Two groups, two queues, agents 3 (alice) and 4 (bob), session 7 of
  // agent 3 and session 8 of agent 4; "boss" is a supervisor.
  FakeSupervision() {
    board_.seq = 10;
    board_.now_ms = 1'764'000'000'000;
    board_.groups = {{"{A1C44A13-0635-4B3C-BAA0-E1E4694E033A}", "Sales", {1}},
                     {"{DA791BCE-3B74-4D4F-82FB-F25641CDE842}", "Support", {2}}};
    acd::QueueView q1;
    q1.id = 1;
    q1.name = "Sales";
    q1.group_guid = board_.groups[0].guid;
    q1.group_name = "Sales";
    q1.waiting = 2;
    q1.longest_wait_seconds = 31;
    q1.answered = 35;
    q1.abandoned = 3;
    q1.answered_within_target = 30;
    q1.service_level = 30.0 / 38.0;
    acd::QueueView q2 = q1;
    q2.id = 2;
    q2.name = "Support \"2\"";
    q2.group_guid = board_.groups[1].guid;
    q2.group_name = "Support";
    q2.waiting = 0;
    q2.service_level.reset();
    board_.queues = {q1, q2};
    board_.agents = {agent(3, "1001", "Ada", "alice"), agent(4, "1002", "Brian", "bob")};
    board_.sessions = {session(7, 3, "1001"), session(8, 4, "1002")};
    // Session 7 talks with a caller from queue 1; another caller waits there.
    board_.sessions[0].call = session_call();
    call_list_.now_ms = board_.now_ms;
    call_list_.calls = {talking_call(), queued_call()};
    supervisors_.insert("boss");
  }

  static acd::SessionCallView session_call() {
    acd::SessionCallView c;
    c.id = 0x0300000000000005;
    c.caller_number = "+4930123456";
    c.caller_name = "Clara Caller";
    c.queue = 1;
    c.queue_name = "Sales";
    c.offered_ms = 1'763'999'995'000;
    c.answered_ms = 1'763'999'997'000;
    return c;
  }

  // Call 0x0300000000000005 at session 7 (agent 3, "1001", line 0 address 1).
  static acd::CallInProgressView talking_call() {
    acd::CallInProgressView c;
    c.id = 0x0300000000000005;
    c.phase = acd::CallPhase::kTalking;
    c.queue = 1;
    c.queue_name = "Sales";
    c.caller_number = "+4930123456";
    c.caller_name = "Clara Caller";
    c.session = 7;
    c.agent = 3;
    c.agent_id = "1001";
    c.agent_name = "Ada";
    c.device = 0;
    c.address = 1;
    c.address_number = "2002";
    c.queued_ms = 1'763'999'990'000;
    c.offered_ms = 1'763'999'995'000;
    c.answered_ms = 1'763'999'997'000;
    c.wait_seconds = 7;
    c.talk_seconds = 3;
    return c;
  }

  // Call 0x0300000000000006, waiting in queue 1 for 4 s, caller unknown.
  static acd::CallInProgressView queued_call() {
    acd::CallInProgressView c;
    c.id = 0x0300000000000006;
    c.phase = acd::CallPhase::kQueued;
    c.queue = 1;
    c.queue_name = "Sales";
    c.queued_ms = 1'763'999'996'000;
    c.wait_seconds = 4;
    return c;
  }

  static acd::AgentView agent(std::uint32_t handle, std::string id, std::string name, std::string owner) {
    acd::AgentView a;
    a.handle = handle;
    a.id = std::move(id);
    a.name = std::move(name);
    a.owner = std::move(owner);
    a.state = LINEAGENTSTATEEX_READY;
    a.state_since_ms = 1'763'999'990'000;
    a.stats.acd_calls = 4;
    a.stats.talk_seconds = 240;
    a.stats.measurement_period = 86400;
    return a;
  }

  static acd::SessionView session(std::uint32_t handle, std::uint32_t agent, std::string agent_id) {
    acd::SessionView s;
    s.handle = handle;
    s.agent = agent;
    s.agent_id = std::move(agent_id);
    s.group_guid = "{A1C44A13-0635-4B3C-BAA0-E1E4694E033A}";
    s.group_name = "Sales";
    s.device = 0;
    s.address = 1;
    s.state = LINEAGENTSESSIONSTATE_BUSYONCALL;
    s.state_since_ms = 1'763'999'995'000;
    s.started_ms = 1'763'999'000'000;
    s.stats.calls = 4;
    return s;
  }

  acd::Board board() override {
    std::lock_guard lock(mutex_);
    ++board_calls_;
    return board_;
  }

  std::pair<acd::Board, std::uint64_t> subscribe(ChangeHandler on_change) override {
    std::lock_guard lock(mutex_);
    const std::uint64_t id = ++last_subscription_;
    handlers_[id] = std::move(on_change);
    return {board_, id};
  }

  void unsubscribe(std::uint64_t id) override {
    std::lock_guard lock(mutex_);
    handlers_.erase(id);
  }

  // Emits the next change (an agent, session or queue as it is now), as the
  // ACD would from its thread. Returns its seq.
  std::uint64_t emit(std::variant<acd::AgentView, acd::SessionView, acd::QueueView> object) {
    std::lock_guard lock(mutex_);
    acd::BoardChange change;
    change.seq = ++board_.seq;
    change.now_ms = ++board_.now_ms;
    change.object = std::move(object);
    for (auto& [id, handler] : handlers_) handler(change);
    return change.seq;
  }

  void set_session_state(const acd::Actor& actor, acd::SessionHandle session, std::uint32_t state,
                         std::uint32_t next_state, Done done) override {
    record({actor.user, true, session, state, next_state});
    answer(std::move(done));
  }

  void set_agent_state(const acd::Actor& actor, acd::AgentHandle agent, std::uint32_t state, std::uint32_t next_state,
                       Done done) override {
    record({actor.user, false, agent, state, next_state});
    answer(std::move(done));
  }

  core::Result<std::vector<store::AuditEntry>> audit(std::string_view kind, std::string_view key, std::uint64_t after,
                                                     std::size_t limit) override {
    std::lock_guard lock(mutex_);
    audit_calls_.push_back({std::string(kind), std::string(key), after, limit});
    if (!audit_error_.ok()) return audit_error_;
    std::vector<store::AuditEntry> out;
    for (const auto& e : audit_) {
      // An empty kind or key means all, as in store::Store::audit.
      if ((kind.empty() || e.object_kind == kind) && (key.empty() || e.object_key == key) && e.seq > after &&
          out.size() < limit) {
        out.push_back(e);
      }
    }
    return out;
  }

  core::Result<std::uint64_t> last_event_seq() override {
    std::lock_guard lock(mutex_);
    std::uint64_t last = 0;
    for (const auto& e : audit_) last = std::max(last, e.seq);
    return last;
  }
  // Forgets the entries up to `seq` (a trimmed event log).
  void trim_audit(std::uint64_t seq) {
    std::lock_guard lock(mutex_);
    std::erase_if(audit_, [&](const store::AuditEntry& e) { return e.seq <= seq; });
  }

  acd::CallList calls() override {
    std::lock_guard lock(mutex_);
    return call_list_;
  }

  void audit_failed_login(const std::string& actor, const std::string& what) override {
    std::lock_guard lock(mutex_);
    failed_logins_.emplace_back(actor, what);
  }
  std::vector<std::pair<std::string, std::string>> failed_logins() const {
    std::lock_guard lock(mutex_);
    return failed_logins_;
  }

  acd::AcdMetrics metrics() override {
    acd::AcdMetrics m;
    m.requests = 12;
    m.state_changes = 5;
    m.commits = 9;
    m.last_commit_latency_us = 1500;
    m.max_commit_latency_us = 4000;
    m.agents = 2;
    m.live_sessions = 2;
    m.calls = 2;
    m.calls_queued = 1;
    m.calls_talking = 1;
    m.board_seq = 10;
    return m;
  }

  acd::Role role_of(std::string_view user) const override {
    std::lock_guard lock(mutex_);
    return supervisors_.contains(std::string(user)) ? acd::Role::kSupervisor : acd::Role::kAgent;
  }

  // ---- test controls ----
  void answer_with(core::Status status) {
    std::lock_guard lock(mutex_);
    status_ = std::move(status);
  }
  // Answer state changes from another thread, as the ACD does after the store.
  void answer_from_thread(bool on) { from_thread_ = on; }
  // Hold every state change's answer until release_answers().
  void hold_answers(bool on) {
    std::lock_guard lock(mutex_);
    hold_ = on;
  }
  void release_answers(core::Status status = {}) {
    std::vector<Done> held;
    {
      std::lock_guard lock(mutex_);
      held.swap(held_);
    }
    for (auto& d : held) d(status);
  }
  void add_audit(store::AuditEntry e) {
    std::lock_guard lock(mutex_);
    audit_.push_back(std::move(e));
  }
  void fail_audit(core::Status status) {
    std::lock_guard lock(mutex_);
    audit_error_ = std::move(status);
  }
  std::vector<StateCall> state_calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
  }
  std::vector<AuditCall> audit_calls() const {
    std::lock_guard lock(mutex_);
    return audit_calls_;
  }
  std::size_t subscribers() const {
    std::lock_guard lock(mutex_);
    return handlers_.size();
  }
  acd::Board& mutable_board() { return board_; }
  acd::CallList& mutable_calls() { return call_list_; }

  ~FakeSupervision() override {
    for (auto& t : threads_) t.join();
  }

 private:
  void record(StateCall call) {
    std::lock_guard lock(mutex_);
    calls_.push_back(std::move(call));
  }
  void answer(Done done) {
    core::Status status;
    {
      std::lock_guard lock(mutex_);
      if (hold_) {
        held_.push_back(std::move(done));
        return;
      }
      status = status_;
    }
    if (from_thread_) {
      std::lock_guard lock(mutex_);
      threads_.emplace_back([done = std::move(done), status] { done(status); });
    } else {
      done(status);
    }
  }

  mutable std::mutex mutex_;
  acd::Board board_;
  acd::CallList call_list_;
  std::map<std::uint64_t, ChangeHandler> handlers_;
  std::uint64_t last_subscription_ = 0;
  std::set<std::string> supervisors_;
  std::vector<StateCall> calls_;
  std::vector<AuditCall> audit_calls_;
  std::vector<store::AuditEntry> audit_;
  std::vector<std::pair<std::string, std::string>> failed_logins_;
  core::Status audit_error_;
  core::Status status_;
  bool from_thread_ = false;
  bool hold_ = false;
  std::vector<Done> held_;
  std::vector<std::thread> threads_;
  std::size_t board_calls_ = 0;
};

}  // namespace opentapi::http::testing

#endif  // OPENTAPI_HTTP_TESTING_FAKE_SUPERVISION_H_
