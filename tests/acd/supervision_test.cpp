// The supervisor's side of the virtual ACD (acd/supervision.h) against a real
// opentapid, with TAPI clients on the same lines: the board and the change
// stream agree (no change missed or repeated, seq consecutive), a change made
// through Supervision follows the TAPI rules, codes and announcements, and a
// change the store refuses never reaches a reader.
#include "acd/supervision.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>
#include <variant>

#include "acd/clock.h"
#include "acd/config.h"
#include "acd/records.h"
#include "acd/virtual_acd.h"
#include "core/test_support.h"
#include "harness.h"
#include "store/sqlite/sqlite_store.h"
#include "support/failing_store.h"

namespace acd_test {
namespace {

namespace acd = opentapi::acd;
namespace core = opentapi::core;
namespace store = opentapi::store;
using core::testing_time::at;

constexpr const char* kSales = "{11111111-2222-3333-4444-555555555555}";

std::string supervision_config() {
  return std::string(R"(
[server]
lines = 2
addresses_per_line = 4

[acd]
supervisors = ["boss"]

[[group]]
name = "Sales"
guid = ")") +
         kSales + R"("

[[queue]]
id = 1
name = "Sales"
group = "Sales"

[[agent]]
id = "1001"
pin = "1111"
name = "Ada"
)";
}

constexpr LONG err(DWORD lineerr) { return static_cast<LONG>(lineerr); }

using opentapi::test_support::FailingStore;

// opentapid + a SQLite store (behind FailingStore) + the ACD on a ManualClock.
class Site {
 public:
  Site() : server_(dir_.path(), 2, 4), clock_(at(0)) {
    auto c = acd::parse_config(supervision_config(), "supervision.toml");
    EXPECT_TRUE(c.ok()) << c.status().to_string();
    store::SqliteOptions so;
    so.data_dir = dir_.path() + "/data";
    auto opened = store::open_sqlite_store(so);
    EXPECT_TRUE(opened.ok()) << opened.status().to_string();
    inner_ = std::move(opened).value();
    store_ = std::make_unique<FailingStore>(*inner_);
    acd::VirtualAcdOptions o;
    o.server_address = server_.address();
    o.clock = &clock_;
    o.log = [](acd::LogLevel, std::string_view) {};
    auto started = acd::VirtualAcd::start(*c, *store_, o);
    EXPECT_TRUE(started.ok()) << started.status().to_string();
    acd_ = std::move(started).value();
  }
  ~Site() {
    if (acd_) acd_->stop();
  }

  acd::VirtualAcd& acd() { return *acd_; }
  acd::Supervision& supervision() { return *acd_; }
  FailingStore& store() { return *store_; }
  void at_time(std::int64_t seconds) {
    clock_.set(at(seconds));
    acd_->sync();
  }

 private:
  TempDir dir_;
  Opentapid server_;
  acd::ManualClock clock_;
  std::unique_ptr<store::Store> inner_;
  std::unique_ptr<FailingStore> store_;
  std::unique_ptr<acd::VirtualAcd> acd_;
};

// Collects the changes a subscriber receives (on the ACD's thread).
class Recorder {
 public:
  acd::Supervision::ChangeHandler handler() {
    return [this](const acd::BoardChange& c) {
      std::lock_guard lock(mu_);
      changes_.push_back(c);
      cv_.notify_all();
    };
  }
  // Waits until at least n changes arrived; returns all of them.
  std::vector<acd::BoardChange> wait_for(std::size_t n, std::chrono::milliseconds timeout = kWait) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, timeout, [&] { return changes_.size() >= n; });
    return changes_;
  }
  std::vector<acd::BoardChange> all() {
    std::lock_guard lock(mu_);
    return changes_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<acd::BoardChange> changes_;
};

// Runs a Supervision change and waits for its outcome.
core::Status session_state(acd::Supervision& s, const std::string& user, HAGENTSESSION session, DWORD state,
                           DWORD next = 0) {
  std::promise<core::Status> done;
  auto future = done.get_future();
  s.set_session_state(acd::Actor{user, 0, false}, session, state, next,
                      [&done](core::Status st) { done.set_value(std::move(st)); });
  return future.get();
}

core::Status agent_state(acd::Supervision& s, const std::string& user, HAGENT agent, DWORD state, DWORD next = 0) {
  std::promise<core::Status> done;
  auto future = done.get_future();
  s.set_agent_state(acd::Actor{user, 0, false}, agent, state, next,
                    [&done](core::Status st) { done.set_value(std::move(st)); });
  return future.get();
}

const acd::SessionView* session_on(const acd::Board& b, HAGENTSESSION h) {
  for (const acd::SessionView& v : b.sessions) {
    if (v.handle == h) return &v;
  }
  return nullptr;
}

bool is_session_state(const LINEMESSAGE& m, HAGENTSESSION s, DWORD state) {
  return m.dwMessageID == LINE_AGENTSESSIONSTATUS && m.dwParam1 == s && (m.dwParam2 & LINEAGENTSESSIONSTATUS_STATE) &&
         m.dwParam3 == state;
}

// An agent of this OS user with one session on line 0 (group Sales).
struct Login {
  HLINE line = 0;
  HAGENT agent = 0;
  HAGENTSESSION session = 0;
};
Login login(Client& c) {
  Login l;
  l.line = c.open(0);
  EXPECT_NE(l.line, 0u);
  EXPECT_EQ(c.create_agent(l.line, "1001", "1111", &l.agent), 0);
  EXPECT_EQ(c.create_session(l.line, l.agent, nullptr, 0, guid(kSales), &l.session), 0);
  return l;
}

TEST(Supervision, ChangesFromTapiAndSupervisionArriveOnceInOrder) {
  Site site;
  Client agent;
  Client monitor;
  const Login l = login(agent);
  ASSERT_NE(monitor.open(0), 0u);
  site.at_time(10);

  Recorder rec;
  auto [board, id] = site.supervision().subscribe(rec.handler());
  ASSERT_NE(id, 0u);
  const std::uint64_t s0 = board.seq;
  EXPECT_EQ(board.now_ms, at(10).unix_ms());
  const acd::SessionView* v = session_on(board, l.session);
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(acd::session_state_name(v->state), "NOTREADY");
  EXPECT_EQ(v->state_since_ms, at(0).unix_ms());
  ASSERT_EQ(board.agents.size(), 1u);
  EXPECT_EQ(board.agents[0].name, "Ada");
  EXPECT_EQ(board.agents[0].owner, current_user());

  // Through the C API.
  site.at_time(20);
  ASSERT_EQ(agent.set_session_state(l.line, l.session, LINEAGENTSESSIONSTATE_READY, 0), 0);
  auto changes = rec.wait_for(1);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].seq, s0 + 1);
  EXPECT_EQ(changes[0].now_ms, at(20).unix_ms());
  ASSERT_TRUE(std::holds_alternative<acd::SessionView>(changes[0].object));
  EXPECT_EQ(std::get<acd::SessionView>(changes[0].object).handle, l.session);
  EXPECT_EQ(std::get<acd::SessionView>(changes[0].object).state, LINEAGENTSESSIONSTATE_READY);
  EXPECT_EQ(std::get<acd::SessionView>(changes[0].object).state_since_ms, at(20).unix_ms());

  // Through Supervision, as the agent's own user: the same announcement a
  // TAPI change makes reaches the TAPI monitor.
  site.at_time(30);
  EXPECT_TRUE(session_state(site.supervision(), current_user(), l.session, LINEAGENTSESSIONSTATE_NOTREADY).ok());
  EXPECT_TRUE(monitor.wait(
      [&](const LINEMESSAGE& m) { return is_session_state(m, l.session, LINEAGENTSESSIONSTATE_NOTREADY); }));
  changes = rec.wait_for(2);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[1].seq, s0 + 2);
  EXPECT_EQ(std::get<acd::SessionView>(changes[1].object).state, LINEAGENTSESSIONSTATE_NOTREADY);
  EXPECT_EQ(std::get<acd::SessionView>(changes[1].object).state_since_ms, at(30).unix_ms());

  // A supervisor changes the agent; the agent's view comes once.
  EXPECT_TRUE(agent_state(site.supervision(), "boss", l.agent, LINEAGENTSTATEEX_READY).ok());
  EXPECT_TRUE(monitor.wait([&](const LINEMESSAGE& m) {
    return m.dwMessageID == LINE_AGENTSTATUSEX && m.dwParam1 == l.agent && m.dwParam3 == LINEAGENTSTATEEX_READY;
  }));
  changes = rec.wait_for(3);
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[2].seq, s0 + 3);
  ASSERT_TRUE(std::holds_alternative<acd::AgentView>(changes[2].object));
  EXPECT_EQ(std::get<acd::AgentView>(changes[2].object).state, LINEAGENTSTATEEX_READY);

  // Nothing more came, and a new board is where the stream is.
  site.acd().sync();
  EXPECT_EQ(rec.all().size(), 3u);
  const acd::Board now = site.supervision().board();
  EXPECT_EQ(now.seq, s0 + 3);
  EXPECT_EQ(session_on(now, l.session)->state, LINEAGENTSESSIONSTATE_NOTREADY);
  EXPECT_EQ(site.supervision().metrics().board_seq, s0 + 3);

  // The audit history names who made each change.
  auto history = site.supervision().audit("session", acd::hex_key(l.session), 0, 100);
  ASSERT_TRUE(history.ok()) << history.status().to_string();
  ASSERT_GE(history->size(), 3u);
  EXPECT_EQ(history->back().to, LINEAGENTSESSIONSTATE_NOTREADY);
  EXPECT_EQ(history->back().actor, current_user());
  EXPECT_NE(history->back().request_id, 0u);
  auto agent_history = site.supervision().audit("agent", acd::hex_key(l.agent), 0, 100);
  ASSERT_TRUE(agent_history.ok());
  EXPECT_EQ(agent_history->back().actor, "boss");

  // After unsubscribe the handler is never called again.
  site.supervision().unsubscribe(id);
  ASSERT_EQ(agent.set_session_state(l.line, l.session, LINEAGENTSESSIONSTATE_READY, 0), 0);
  site.acd().sync();
  EXPECT_EQ(rec.all().size(), 3u);
  EXPECT_EQ(site.supervision().board().seq, s0 + 4);  // the stream went on
  EXPECT_GE(site.supervision().metrics().state_changes, 4u);
}

TEST(Supervision, RefusalsHaveTheTapiCodesAndChangeNothing) {
  Site site;
  Client agent;
  const Login l = login(agent);
  Recorder rec;
  auto [board, id] = site.supervision().subscribe(rec.handler());
  const auto history_before = site.supervision().audit("session", acd::hex_key(l.session), 0, 100);
  ASSERT_TRUE(history_before.ok());

  // NOT_READY → BUSY_WRAPUP is not in the table (docs/reference/flows.md §4.1).
  const core::Status bad =
      session_state(site.supervision(), current_user(), l.session, LINEAGENTSESSIONSTATE_BUSYWRAPUP);
  const LONG tapi = agent.set_session_state(l.line, l.session, LINEAGENTSESSIONSTATE_BUSYWRAPUP, 0);
  EXPECT_EQ(bad.lineerr(), tapi);
  EXPECT_EQ(bad.lineerr(), err(LINEERR_INVALAGENTSTATE)) << bad.to_string();
  // A malformed state, an unknown session, both DWORDs 0: as the C API answers.
  EXPECT_EQ(session_state(site.supervision(), current_user(), l.session, 0x03).lineerr(),
            agent.set_session_state(l.line, l.session, 0x03, 0));
  EXPECT_EQ(session_state(site.supervision(), current_user(), l.session + 99, LINEAGENTSESSIONSTATE_READY).lineerr(),
            err(LINEERR_INVALPARAM));
  EXPECT_EQ(session_state(site.supervision(), current_user(), l.session, 0).lineerr(),
            agent.set_session_state(l.line, l.session, 0, 0));
  EXPECT_EQ(agent_state(site.supervision(), current_user(), l.agent, LINEAGENTSTATEEX_BUSYACD).lineerr(),
            err(LINEERR_INVALAGENTSTATE));
  // Somebody else's session, for a user who is not a supervisor.
  EXPECT_EQ(session_state(site.supervision(), "mallory", l.session, LINEAGENTSESSIONSTATE_READY).lineerr(),
            err(LINEERR_INVALPARAM));
  EXPECT_EQ(site.supervision().role_of("mallory"), acd::Role::kAgent);
  EXPECT_EQ(site.supervision().role_of("boss"), acd::Role::kSupervisor);

  site.acd().sync();
  EXPECT_TRUE(rec.all().empty());
  const acd::Board after = site.supervision().board();
  EXPECT_EQ(after.seq, board.seq);
  EXPECT_EQ(session_on(after, l.session)->state, LINEAGENTSESSIONSTATE_NOTREADY);
  const auto history_after = site.supervision().audit("session", acd::hex_key(l.session), 0, 100);
  ASSERT_TRUE(history_after.ok());
  EXPECT_EQ(history_after->size(), history_before->size());

  // A supervisor may.
  EXPECT_TRUE(session_state(site.supervision(), "boss", l.session, LINEAGENTSESSIONSTATE_READY).ok());
  ASSERT_EQ(rec.wait_for(1).size(), 1u);
  EXPECT_EQ(rec.all()[0].seq, board.seq + 1);
  site.supervision().unsubscribe(id);
}

// A subscriber that joins while changes pour in gets exactly the changes
// after its board: applying them to the board gives the final board.
TEST(Supervision, SubscribingDuringAStreamOfChangesMissesAndRepeatsNothing) {
  Site site;
  Client agent;
  const Login l = login(agent);
  constexpr int kChanges = 200;
  // The login's own changes are numbered when delivered, after its
  // LINE_REPLY: let them all be numbered before counting from here.
  site.acd().sync();
  const std::uint64_t start = site.supervision().metrics().board_seq;
  std::atomic<int> done{0};
  // One change at a time, each waited for, so the subscriptions below land
  // between two of them rather than behind all of them.
  std::thread writer([&] {
    for (int i = 0; i < kChanges; ++i) {
      const DWORD state = i % 2 == 0 ? LINEAGENTSESSIONSTATE_READY : LINEAGENTSESSIONSTATE_NOTREADY;
      const core::Status s = session_state(site.supervision(), "boss", l.session, state);
      EXPECT_TRUE(s.ok()) << s.to_string();
      ++done;
    }
  });
  const auto wait_done = [&](int n) {
    while (done.load() < n) std::this_thread::sleep_for(1ms);
  };
  Recorder first;
  Recorder second;
  wait_done(50);
  auto [b1, id1] = site.supervision().subscribe(first.handler());
  wait_done(120);
  auto [b2, id2] = site.supervision().subscribe(second.handler());
  writer.join();
  site.acd().sync();
  const acd::Board last = site.supervision().board();
  EXPECT_EQ(last.seq, start + kChanges);
  EXPECT_GT(b1.seq, start);  // both joined in the middle of the stream
  EXPECT_LT(b2.seq, last.seq);
  EXPECT_LT(b1.seq, b2.seq);

  const std::vector<std::pair<const acd::Board*, Recorder*>> readers{{&b1, &first}, {&b2, &second}};
  for (const auto& [board, rec] : readers) {
    const std::vector<acd::BoardChange> changes = rec->all();
    ASSERT_EQ(board->seq + changes.size(), last.seq);
    DWORD state = session_on(*board, l.session)->state;
    for (std::size_t i = 0; i < changes.size(); ++i) {
      EXPECT_EQ(changes[i].seq, board->seq + 1 + i);
      const auto* s = std::get_if<acd::SessionView>(&changes[i].object);
      ASSERT_NE(s, nullptr);
      EXPECT_NE(s->state, state) << "a change that changes nothing at seq " << changes[i].seq;
      state = s->state;
    }
    EXPECT_EQ(state, session_on(last, l.session)->state);
  }
  EXPECT_EQ(session_on(last, l.session)->state, LINEAGENTSESSIONSTATE_NOTREADY);  // the 200th request
  site.supervision().unsubscribe(id1);
  site.supervision().unsubscribe(id2);
}

TEST(Supervision, AChangeTheStoreRefusesNeverReachesAReader) {
  Site site;
  Client agent;
  Client monitor;
  const Login l = login(agent);
  ASSERT_NE(monitor.open(0), 0u);
  Recorder rec;
  auto [board, id] = site.supervision().subscribe(rec.handler());

  site.store().failing = true;
  const core::Status refused =
      session_state(site.supervision(), current_user(), l.session, LINEAGENTSESSIONSTATE_READY);
  EXPECT_EQ(refused.lineerr(), err(LINEERR_RESOURCEUNAVAIL)) << refused.to_string();
  site.store().failing = false;
  site.acd().sync();
  EXPECT_TRUE(rec.all().empty());
  monitor.drain(100ms);
  for (const LINEMESSAGE& m : monitor.take_messages()) {
    EXPECT_FALSE(is_session_state(m, l.session, LINEAGENTSESSIONSTATE_READY)) << "a refused change was announced";
  }
  // The model reloaded what is durable; the board says so, with the same seq.
  const acd::Board after = site.supervision().board();
  EXPECT_EQ(after.seq, board.seq);
  EXPECT_EQ(session_on(after, l.session)->state, LINEAGENTSESSIONSTATE_NOTREADY);

  // The next durable change continues the numbering without a gap.
  EXPECT_TRUE(session_state(site.supervision(), current_user(), l.session, LINEAGENTSESSIONSTATE_READY).ok());
  const auto changes = rec.wait_for(1);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].seq, board.seq + 1);
  EXPECT_EQ(std::get<acd::SessionView>(changes[0].object).state, LINEAGENTSESSIONSTATE_READY);
  site.supervision().unsubscribe(id);
}

// A handler runs on the thread that delivers durable changes (the store's
// writer or the model thread): board() there would wait for that very
// thread, so it answers at once with an empty board; a handler may
// unsubscribe itself, and is not called again.
TEST(Supervision, AHandlerGetsAnEmptyBoardAtOnceAndMayUnsubscribeItself) {
  Site site;
  Client agent;
  const Login l = login(agent);
  site.acd().sync();
  std::mutex mu;
  std::condition_variable cv;
  int calls = 0;
  bool board_empty = false;
  std::uint64_t id = 0;
  std::atomic<bool> registered{false};
  auto [board, sub] = site.supervision().subscribe([&](const acd::BoardChange&) {
    const acd::Board inner = site.supervision().board();
    while (!registered.load()) std::this_thread::yield();  // on_change may run before subscribe() returns
    site.supervision().unsubscribe(id);
    std::lock_guard lock(mu);
    ++calls;
    board_empty = inner.sessions.empty() && inner.agents.empty();
    cv.notify_all();
  });
  ASSERT_NE(sub, 0u);
  ASSERT_FALSE(board.sessions.empty());
  id = sub;
  registered = true;
  ASSERT_EQ(agent.set_session_state(l.line, l.session, LINEAGENTSESSIONSTATE_READY, 0), 0);
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, kWait, [&] { return calls == 1; }));
    EXPECT_TRUE(board_empty);
  }
  ASSERT_EQ(agent.set_session_state(l.line, l.session, LINEAGENTSESSIONSTATE_NOTREADY, 0), 0);
  site.acd().sync();
  std::lock_guard lock(mu);
  EXPECT_EQ(calls, 1);
  // Outside a handler the board is whole again.
  EXPECT_EQ(session_on(site.supervision().board(), l.session)->state, LINEAGENTSESSIONSTATE_NOTREADY);
}

TEST(Supervision, AfterStopItAnswersAtOnce) {
  Site site;
  site.acd().stop();
  EXPECT_TRUE(site.supervision().board().sessions.empty());
  Recorder rec;
  auto [board, id] = site.supervision().subscribe(rec.handler());
  EXPECT_EQ(id, 0u);
  EXPECT_EQ(session_state(site.supervision(), "boss", 1, LINEAGENTSESSIONSTATE_READY).code(),
            core::ErrorCode::kOperationFailed);
}

}  // namespace
}  // namespace acd_test
