// The Supervision interface of VirtualAcd (acd/supervision.h, docs/acd.md
// "Supervision"): boards and subscriptions built on the model thread and
// answered once durable (deliver()), the change stream, and state
// changes asked by a supervisor, run as tasks beside the proxy requests.
#include <memory>
#include <string>
#include <thread>
#include <utility>

#include "acd/board.h"
#include "acd/error_codes.h"
#include "acd/virtual_acd_impl.h"

namespace opentapi::acd {

using runtime::BoardReply;
using runtime::Output;
using runtime::Supervised;
using runtime::Task;

// --- delivering thread: the change stream and the boards -------------------------------

void VirtualAcd::Impl::publish(Output& out) {
  if (out.change_count == 0) return;
  if (out.changes.empty()) {
    // Nobody was subscribed when the task ran (and a subscriber registered
    // since starts after these): only the numbers move on.
    board_seq_ += out.change_count;
    return;
  }
  std::lock_guard lock(subs_mu_);
  publishing_ = true;
  for (BoardChange& change : out.changes) {
    change.seq = ++board_seq_;
    for (auto& [id, handler] : subscribers_) {
      if (unsubscribed_.count(id) != 0) continue;  // by a handler during this delivery
      try {
        handler(change);
      } catch (...) {
        log(LogLevel::kError, "event=acd-subscriber-threw subscriber=" + std::to_string(id));
      }
    }
  }
  publishing_ = false;
  // Only now: a handler that unsubscribed itself was still running.
  for (std::uint64_t id : unsubscribed_) subscribers_.erase(id);
  unsubscribed_.clear();
}

void VirtualAcd::Impl::answer_board(const std::shared_ptr<BoardReply>& reply) {
  // Every batch up to the board's was processed before this output: if one
  // after the last reload failed, the board was built on a change that is
  // not durable. The model reloads before the next task, so build it again.
  constexpr int kMaxAttempts = 5;
  if (last_failed_batch_ > reply->reloaded_at_batch && ++reply->attempts < kMaxAttempts) {
    Task again;
    again.kind = Task::Kind::kBoard;
    again.board = reply;
    if (post(std::move(again))) return;
  }
  if (reply->call_list) {
    reply->calls_promise.set_value(std::move(reply->calls));
    return;
  }
  reply->board.seq = board_seq_.load();
  if (reply->handler) {
    std::lock_guard lock(subs_mu_);
    subscribers_[reply->subscriber] = std::move(reply->handler);
  }
  reply->promise.set_value(std::move(reply->board));
}

// --- supervision -------------------------------------------------------------------

bool VirtualAcd::Impl::post(Task task) {
  {
    std::lock_guard lock(mu_);
    if (stop_model_ || !started_) return false;
    tasks_.push_back(std::move(task));
  }
  wake();
  return true;
}

void VirtualAcd::Impl::build_board_task(const std::shared_ptr<BoardReply>& reply, TimePoint now) {
  if (reply->handler && !reply->counted) {
    // From here on, every task's changes are described for the subscriber.
    ++subscribers_expected_;
    reply->counted = true;
  }
  if (reply->call_list) {
    reply->calls = build_call_list(*model_, now, bridge_ ? &bridge_->numbers().stations : nullptr);
  } else {
    reply->board = build_board(*model_, now);
  }
  reply->reloaded_at_batch = reloaded_at_batch_;
  Output out;
  out.board = reply;
  submit(std::move(out), now);
}

bool VirtualAcd::Impl::post_board(const std::shared_ptr<BoardReply>& reply) {
  if (delivering_here()) {
    // It would wait for itself (an on_change handler or a Done callback).
    log(LogLevel::kError, "event=acd-board-from-delivering-thread refused=1");
    return false;
  }
  Task task;
  task.kind = Task::Kind::kBoard;
  task.board = reply;
  return post(std::move(task));
}

Board VirtualAcd::Impl::await_board(const std::shared_ptr<BoardReply>& reply) {
  auto future = reply->promise.get_future();
  if (!post_board(reply)) return Board{};
  return future.get();
}

CallList VirtualAcd::Impl::calls() {
  auto reply = std::make_shared<BoardReply>();
  reply->call_list = true;
  auto future = reply->calls_promise.get_future();
  if (!post_board(reply)) return CallList{};
  return future.get();
}

Board VirtualAcd::Impl::board() { return await_board(std::make_shared<BoardReply>()); }

std::pair<Board, std::uint64_t> VirtualAcd::Impl::subscribe(Supervision::ChangeHandler handler) {
  auto reply = std::make_shared<BoardReply>();
  reply->handler = std::move(handler);
  reply->subscriber = next_subscriber_++;
  Board board = await_board(reply);
  if (!reply->counted) return {std::move(board), 0};  // stopped: never registered
  return {std::move(board), reply->subscriber};
}

void VirtualAcd::Impl::unsubscribe(std::uint64_t id) {
  if (delivering_here() && publishing_) {
    // From inside a handler: subs_mu_ is held by this very delivery, and
    // the handler may be the one calling (destroying it now would pull the
    // function out from under itself): removed once the delivery is over.
    if (subscribers_.count(id) != 0 && unsubscribed_.insert(id).second) --subscribers_expected_;
    return;
  }
  std::lock_guard lock(subs_mu_);
  if (subscribers_.erase(id) != 0) --subscribers_expected_;
}

void VirtualAcd::Impl::supervise(std::shared_ptr<Supervised> change) {
  Supervision::Done done = change->done;
  Task task;
  task.kind = Task::Kind::kSupervised;
  task.supervised = std::move(change);
  if (!post(std::move(task)) && done) done(Status::error(ErrorCode::kOperationFailed, "the ACD has stopped"));
}

AcdMetrics VirtualAcd::Impl::metrics() const {
  const VirtualAcdStats s = stats();
  const store::StoreStats st = store_.stats();
  AcdMetrics m;
  m.requests = s.responses;
  m.state_changes = s.state_changes;
  m.commits = st.commits;
  m.failed_commits = st.failed_commits;
  m.last_commit_latency_us = st.last_commit_latency_us;
  m.max_commit_latency_us = st.max_commit_latency_us;
  m.agents = s.agents;
  m.live_sessions = s.live_sessions;
  m.calls = s.calls;
  m.calls_queued = s.calls_by_phase.queued;
  m.calls_ringing = s.calls_by_phase.offered;
  m.calls_talking = s.calls_by_phase.talking;
  m.calls_detached = s.calls_by_phase.detached;
  m.board_seq = board_seq_.load();
  m.pin_failures = s.pin_wrong;
  m.pin_locked_out = s.pin_locked_out;
  m.pin_lockouts = s.pin_lockouts;
  m.pin_checks_busy = s.pin_checks_busy;
  return m;
}

// --- VirtualAcd ------------------------------------------------------------------------

Board VirtualAcd::board() { return impl_->board(); }

std::pair<Board, std::uint64_t> VirtualAcd::subscribe(ChangeHandler on_change) {
  return impl_->subscribe(std::move(on_change));
}

void VirtualAcd::unsubscribe(std::uint64_t id) { impl_->unsubscribe(id); }

CallList VirtualAcd::calls() { return impl_->calls(); }

void VirtualAcd::set_session_state(const Actor& actor, SessionHandle session, std::uint32_t state,
                                   std::uint32_t next_state, Done done) {
  auto change = std::make_shared<Supervised>();
  change->request_type = LINEPROXYREQUEST_SETAGENTSESSIONSTATE;
  change->apply = [actor, session, state, next_state](CallCenter& model, std::uint32_t request, TimePoint now) {
    Actor a = actor;
    if (a.request == 0) a.request = request;
    return model.set_session_state(a, session, state, next_state, now);
  };
  change->done = std::move(done);
  impl_->supervise(std::move(change));
}

void VirtualAcd::set_agent_state(const Actor& actor, AgentHandle agent, std::uint32_t state, std::uint32_t next_state,
                                 Done done) {
  auto change = std::make_shared<Supervised>();
  change->request_type = LINEPROXYREQUEST_SETAGENTSTATEEX;
  change->apply = [actor, agent, state, next_state](CallCenter& model, std::uint32_t request, TimePoint now) {
    Actor a = actor;
    if (a.request == 0) a.request = request;
    return model.set_agent_state(a, agent, state, next_state, now);
  };
  change->done = std::move(done);
  impl_->supervise(std::move(change));
}

Result<std::vector<store::AuditEntry>> VirtualAcd::audit(std::string_view object_kind, std::string_view object_key,
                                                         std::uint64_t after_seq, std::size_t limit) {
  return impl_->store().audit(object_kind, object_key, after_seq, limit);
}

Result<std::uint64_t> VirtualAcd::last_event_seq() { return impl_->store().last_audit_seq(); }

AcdMetrics VirtualAcd::metrics() { return impl_->metrics(); }

void VirtualAcd::audit_failed_login(const std::string& actor, const std::string& what) {
  auto change = std::make_shared<Impl::Supervised>();
  change->apply = [actor, what](CallCenter& model, std::uint32_t request, TimePoint now) {
    model.audit_failed_login(Actor{actor, request, false}, "http", what, now);
    return Status();
  };
  impl_->supervise(std::move(change));
}

Role VirtualAcd::role_of(std::string_view user) const {
  return impl_->config().is_supervisor(user) ? Role::kSupervisor : Role::kAgent;
}

}  // namespace opentapi::acd
