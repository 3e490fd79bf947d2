// The ACD's calls end to end (docs/calls.md "The ACD and its calls"): a
// real server with its switch (station lines, the ACD route point, the
// trunk), the virtual ACD in the same process on a hand-driven clock, and
// TAPI applications playing the agent's desktop and the caller through the
// public C API.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "acd/clock.h"
#include "acd/config.h"
#include "acd/traffic_simulator.h"
#include "acd/virtual_acd.h"
#include "harness.h"
#include "server/server.h"
#include "store/sqlite/sqlite_store.h"

namespace acd_test {
namespace {

namespace acd = opentapi::acd;
namespace server = opentapi::server;
namespace store = opentapi::store;
namespace sw = opentapi::switching;

constexpr const char* kSales = "{11111111-2222-3333-4444-555555555555}";

// Lines 0 and 1 with two addresses each (numbers 2001, 2002, 2003, 2004),
// queue 1 (number 8001) in group Sales, agents 1001 and 1002.
constexpr const char* kConfig = R"(
[server]
lines = 2
addresses_per_line = 2

[acd]
wrap_up_seconds = 0
ring_timeout_seconds = 20

[[group]]
name = "Sales"
guid = "{11111111-2222-3333-4444-555555555555}"

[[queue]]
id = 1
name = "Sales"
group = "Sales"

[[agent]]
id = "1001"
pin = "1111"

[[agent]]
id = "1002"
pin = "2222"
)";

std::string text(const std::vector<std::uint64_t>& buf, DWORD size, DWORD offset) {
  const auto* base = reinterpret_cast<const char*>(buf.data());
  if (size == 0) return {};
  std::string s(base + offset, size);
  while (!s.empty() && s.back() == '\0') s.pop_back();
  return s;
}

bool is_state(const LINEMESSAGE& m, HCALL call, DWORD state) {
  return m.dwMessageID == LINE_CALLSTATE && m.hDevice == call && m.dwParam1 == state;
}

class AcdCallsTest : public ::testing::Test {
 protected:
  virtual std::string config_text() const { return kConfig; }
  virtual bool simulate() const { return false; }

  void SetUp() override {
    auto parsed = acd::parse_config(config_text(), "calls_test.toml");
    ASSERT_TRUE(parsed.ok()) << parsed.status().to_string();
    config = *parsed;
    const std::string socket = dir.path() + "/opentapid.sock";
    sw::NumberPlanConfig plan;
    plan.stations = 2;
    plan.addresses_per_station = 2;
    plan.route_point = true;
    for (const auto& q : config.queues) plan.queues.push_back({q.id, q.number, q.name});
    plan.trunk = true;
    auto built = sw::NumberPlan::build(plan);
    ASSERT_TRUE(built.ok()) << built.status().to_string();
    server::ServerOptions options;
    options.listen.push_back(server::Listen{opentapi::proto::ServerAddress::unix_socket(socket), false});
    options.switchboard.devices = server::LineDevices{*built};
    options.handle_signals = false;
    daemon = std::make_unique<server::Server>(std::move(options));
    ASSERT_EQ(daemon->start(), "");
    loop = std::thread([this] { daemon->run(); });

    store::SqliteOptions so;
    so.data_dir = dir.path() + "/data";
    auto st = store::open_sqlite_store(so);
    ASSERT_TRUE(st.ok()) << st.status().to_string();
    db = std::move(*st);
    acd::VirtualAcdOptions o;
    o.server_address = "unix:" + socket;
    o.clock = &clock;
    o.simulator = simulate();
    o.simulator_on_switch = simulate();
    o.idle_tick = 20ms;
    o.log = [](acd::LogLevel, std::string_view) {};
    auto started = acd::VirtualAcd::start(config, *db, o);
    ASSERT_TRUE(started.ok()) << started.status().to_string();
    vacd = std::move(*started);
  }

  void TearDown() override {
    desk.reset();
    caller.reset();
    if (vacd) vacd->stop();
    if (daemon) daemon->stop();
    if (loop.joinable()) loop.join();
  }

  // The agent's desktop: owns line 0, agent `id` logged in on address 0, READY.
  void agent_ready(const char* id = "1001", const char* pin = "1111") {
    desk = std::make_unique<Client>();
    desk_line = desk->open(0, LINECALLPRIVILEGE_OWNER, LINEMEDIAMODE_INTERACTIVEVOICE);
    ASSERT_NE(desk_line, 0u);
    ASSERT_EQ(desk->create_agent(desk_line, id, pin, &agent), 0);
    ASSERT_EQ(desk->create_session(desk_line, agent, nullptr, 0, guid(kSales), &session), 0);
    ASSERT_EQ(desk->set_session_state(desk_line, session, LINEAGENTSESSIONSTATE_READY, 0), 0);
  }

  // A caller on line 1 address 0 (number 2003) dials `number`.
  HCALL dial(const char* number) {
    caller = std::make_unique<Client>();
    caller_line = caller->open(1, LINECALLPRIVILEGE_OWNER, LINEMEDIAMODE_INTERACTIVEVOICE);
    EXPECT_NE(caller_line, 0u);
    HCALL call = 0;
    EXPECT_EQ(caller->reply(lineMakeCallA(caller_line, &call, number, 0, nullptr)), 0);
    return call;
  }

  // The call offered to the desktop (LINE_APPNEWCALL).
  HCALL offered_at_desk() {
    auto m = desk->wait([](const LINEMESSAGE& x) { return x.dwMessageID == LINE_APPNEWCALL; });
    return m ? static_cast<HCALL>(m->dwParam2) : 0;
  }

  DWORD session_state() {
    LINEAGENTSESSIONINFO info;
    std::memset(&info, 0, sizeof info);
    info.dwTotalSize = sizeof info;
    EXPECT_EQ(desk->session_info(desk_line, session, &info), 0);
    return info.dwAgentSessionState;
  }

  // The ACD counted the answer (the session's NumberOfCalls).
  bool wait_answered() {
    const auto deadline = Clock::now() + kWait;
    do {
      LINEAGENTSESSIONINFO info;
      std::memset(&info, 0, sizeof info);
      info.dwTotalSize = sizeof info;
      if (desk->session_info(desk_line, session, &info) == 0 && info.dwNumberOfCalls == 1) return true;
      std::this_thread::sleep_for(5ms);
    } while (Clock::now() < deadline);
    return false;
  }

  bool wait_session_state(DWORD state) {
    return desk
        ->wait([&](const LINEMESSAGE& m) {
          return m.dwMessageID == LINE_AGENTSESSIONSTATUS && m.dwParam1 == session &&
                 (m.dwParam2 & LINEAGENTSESSIONSTATUS_STATE) != 0 && m.dwParam3 == state;
        })
        .has_value();
  }

  TempDir dir;
  acd::AcdConfig config;
  acd::ManualClock clock{opentapi::core::TimePoint::from_unix_ms(1'700'000'000'000)};
  std::unique_ptr<server::Server> daemon;
  std::thread loop;
  std::unique_ptr<store::Store> db;
  std::unique_ptr<acd::VirtualAcd> vacd;
  std::unique_ptr<Client> desk;
  std::unique_ptr<Client> caller;
  HLINE desk_line = 0;
  HLINE caller_line = 0;
  HAGENT agent = 0;
  HAGENTSESSION session = 0;
};

TEST_F(AcdCallsTest, AQueueCallRingsAtTheReadyAgentWithCallerCalledAndQueueData) {
  agent_ready();
  const HCALL out = dial("8001");
  const HCALL in = offered_at_desk();
  ASSERT_NE(in, 0u);
  ASSERT_TRUE(desk->wait([&](const LINEMESSAGE& m) { return is_state(m, in, LINECALLSTATE_OFFERING); }));
  std::vector<std::uint64_t> buf(1024, 0);
  auto* info = reinterpret_cast<LINECALLINFO*>(buf.data());
  info->dwTotalSize = static_cast<DWORD>(buf.size() * 8);
  ASSERT_EQ(lineGetCallInfoA(in, info), 0);
  EXPECT_EQ(text(buf, info->dwCallerIDSize, info->dwCallerIDOffset), "2003");
  EXPECT_EQ(text(buf, info->dwCalledIDSize, info->dwCalledIDOffset), "8001");
  EXPECT_EQ(text(buf, info->dwRedirectingIDSize, info->dwRedirectingIDOffset), "8001");
  EXPECT_EQ(info->dwReason, static_cast<DWORD>(LINECALLREASON_REDIRECT));
  EXPECT_EQ(text(buf, info->dwCallDataSize, info->dwCallDataOffset), "queue=1;queue_name=Sales;waiting=0");
  EXPECT_EQ(session_state(), static_cast<DWORD>(LINEAGENTSESSIONSTATE_BUSYONCALL));
  // The caller hears it ring.
  EXPECT_TRUE(caller->wait([&](const LINEMESSAGE& m) { return is_state(m, out, LINECALLSTATE_RINGBACK); }));
}

TEST_F(AcdCallsTest, AnswerThenHangUpDisconnectsTheCallerAndWrapsUp) {
  agent_ready();
  const HCALL out = dial("8001");
  const HCALL in = offered_at_desk();
  ASSERT_NE(in, 0u);
  ASSERT_EQ(desk->reply(lineAnswer(in, nullptr, 0)), 0);
  ASSERT_TRUE(caller->wait([&](const LINEMESSAGE& m) { return is_state(m, out, LINECALLSTATE_CONNECTED); }));
  // Talk time runs from when the ACD hears of the answer.
  ASSERT_TRUE(wait_answered());
  clock.advance_seconds(60);
  vacd->sync();
  ASSERT_EQ(desk->reply(lineDrop(in, nullptr, 0)), 0);
  auto gone = caller->wait([&](const LINEMESSAGE& m) { return is_state(m, out, LINECALLSTATE_DISCONNECTED); });
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->dwParam2, static_cast<DWORD>(LINEDISCONNECTMODE_NORMAL));
  ASSERT_TRUE(wait_session_state(LINEAGENTSESSIONSTATE_BUSYWRAPUP));
  LINEAGENTSESSIONINFO si;
  std::memset(&si, 0, sizeof si);
  si.dwTotalSize = sizeof si;
  ASSERT_EQ(desk->session_info(desk_line, session, &si), 0);
  EXPECT_EQ(si.dwNumberOfCalls, 1u);
  EXPECT_EQ(si.dwTotalTalkTime, 60u);
}

TEST_F(AcdCallsTest, RingNoAnswerTakesTheCallBackAndTheAgentGoesNotReady) {
  agent_ready();
  const HCALL out = dial("8001");
  const HCALL in = offered_at_desk();
  ASSERT_NE(in, 0u);
  desk->take_messages();  // the session's earlier states
  clock.advance_seconds(20);
  vacd->sync();
  ASSERT_TRUE(wait_session_state(LINEAGENTSESSIONSTATE_NOTREADY));
  // It left the agent's address and waits in its queue again; the caller
  // never noticed.
  ASSERT_TRUE(desk->wait([&](const LINEMESSAGE& m) { return is_state(m, in, LINECALLSTATE_IDLE); }));
  EXPECT_FALSE(caller->wait([&](const LINEMESSAGE& m) { return is_state(m, out, LINECALLSTATE_DISCONNECTED); }, 0ms));
  LINEQUEUEINFO qi;
  std::memset(&qi, 0, sizeof qi);
  qi.dwTotalSize = sizeof qi;
  ASSERT_EQ(desk->queue_info(desk_line, 1, &qi), 0);
  EXPECT_EQ(qi.dwCurrentCallsQueued, 1u);
  // READY again: the same call rings again.
  ASSERT_EQ(desk->set_session_state(desk_line, session, LINEAGENTSESSIONSTATE_READY, 0), 0);
  const HCALL again = offered_at_desk();
  ASSERT_NE(again, 0u);
  ASSERT_EQ(desk->reply(lineAnswer(again, nullptr, 0)), 0);
  EXPECT_TRUE(caller->wait([&](const LINEMESSAGE& m) { return is_state(m, out, LINECALLSTATE_CONNECTED); }));
}

TEST_F(AcdCallsTest, ACallerWhoHangsUpInTheQueueIsAbandoned) {
  agent_ready();
  ASSERT_EQ(desk->set_session_state(desk_line, session, LINEAGENTSESSIONSTATE_NOTREADY, 0), 0);
  const HCALL out = dial("8001");
  LINEQUEUEINFO qi;
  std::memset(&qi, 0, sizeof qi);
  qi.dwTotalSize = sizeof qi;
  const auto deadline = Clock::now() + kWait;
  do {
    ASSERT_EQ(desk->queue_info(desk_line, 1, &qi), 0);
  } while (qi.dwCurrentCallsQueued != 1 && Clock::now() < deadline);
  ASSERT_EQ(qi.dwCurrentCallsQueued, 1u);
  ASSERT_EQ(caller->reply(lineDrop(out, nullptr, 0)), 0);
  const auto until = Clock::now() + kWait;
  do {
    ASSERT_EQ(desk->queue_info(desk_line, 1, &qi), 0);
  } while (qi.dwTotalCallsAbandoned != 1 && Clock::now() < until);
  EXPECT_EQ(qi.dwTotalCallsAbandoned, 1u);
  EXPECT_EQ(qi.dwCurrentCallsQueued, 0u);
}

TEST_F(AcdCallsTest, ACallerWhoHangsUpWhileItRingsFreesTheAgent) {
  agent_ready();
  const HCALL out = dial("8001");
  const HCALL in = offered_at_desk();
  ASSERT_NE(in, 0u);
  desk->take_messages();  // the session's earlier states
  ASSERT_EQ(caller->reply(lineDrop(out, nullptr, 0)), 0);
  auto gone = desk->wait([&](const LINEMESSAGE& m) { return is_state(m, in, LINECALLSTATE_DISCONNECTED); });
  ASSERT_TRUE(gone);
  // Never answered: no wrap-up, READY for the next call.
  ASSERT_TRUE(wait_session_state(LINEAGENTSESSIONSTATE_READY));
}

// The traffic simulator with the switch: agent 1001 is simulated (logged in
// on line 0 address 0, number 2001), callers arrive at queue 1 about once an
// hour, agents answer 2 s after the call rings and talk 30 s.
class AcdSimulatedCallsTest : public AcdCallsTest {
 protected:
  std::string config_text() const override {
    return std::string(kConfig) + R"(
[simulator]
enabled = true
seed = 7
calls_per_hour = 1
answer_seconds = 2
handle_seconds = 30
handle_distribution = "fixed"
patience_seconds = 600
patience_distribution = "fixed"
agents = ["1001"]
)";
  }
  bool simulate() const override { return true; }
};

TEST_F(AcdSimulatedCallsTest, ASimulatedCallerRingsAtASimulatedAgentIsAnsweredAndEnds) {
  // The simulated agent's station, watched as a monitor.
  desk = std::make_unique<Client>();
  desk_line = desk->open(0, LINECALLPRIVILEGE_MONITOR, LINEMEDIAMODE_INTERACTIVEVOICE);
  ASSERT_NE(desk_line, 0u);
  // The simulator's first caller arrives when the same simulator, started at
  // the same instant, plans it.
  // The ACD has taken up its connection (its calls go through the switch)
  // before the caller arrives.
  vacd->sync();
  acd::TrafficSimulator probe(config.simulator, {1}, clock.now());
  ASSERT_TRUE(probe.next_event().has_value());
  clock.set(*probe.next_event());
  vacd->sync();
  // Placed from the trunk to 8001, queued, redirected to 2001: it rings
  // there with the simulated caller ID.
  auto rings = desk->wait([](const LINEMESSAGE& m) { return m.dwMessageID == LINE_APPNEWCALL; });
  ASSERT_TRUE(rings);
  const auto in = static_cast<HCALL>(rings->dwParam2);
  EXPECT_EQ(rings->dwParam1, 0u);  // address 0
  ASSERT_TRUE(desk->wait([&](const LINEMESSAGE& m) { return is_state(m, in, LINECALLSTATE_OFFERING); }));
  std::vector<std::uint64_t> buf(1024, 0);
  auto* info = reinterpret_cast<LINECALLINFO*>(buf.data());
  info->dwTotalSize = static_cast<DWORD>(buf.size() * 8);
  ASSERT_EQ(lineGetCallInfoA(in, info), 0);
  EXPECT_EQ(text(buf, info->dwCallerIDSize, info->dwCallerIDOffset), "+31205550001");
  EXPECT_EQ(text(buf, info->dwCallerIDNameSize, info->dwCallerIDNameOffset), "Caller 1");
  EXPECT_EQ(text(buf, info->dwCalledIDSize, info->dwCalledIDOffset), "8001");
  EXPECT_EQ(text(buf, info->dwCallDataSize, info->dwCallDataOffset), "queue=1;queue_name=Sales;waiting=0");
  // The simulated agent answers answer_seconds later, on the switch.
  clock.advance_seconds(2);
  vacd->sync();
  ASSERT_TRUE(desk->wait([&](const LINEMESSAGE& m) { return is_state(m, in, LINECALLSTATE_CONNECTED); }));
  // It was delivered: no longer waiting in its queue.
  LINEQUEUEINFO qi;
  std::memset(&qi, 0, sizeof qi);
  qi.dwTotalSize = sizeof qi;
  ASSERT_EQ(desk->queue_info(desk_line, 1, &qi), 0);
  EXPECT_EQ(qi.dwTotalCallsQueued, 1u);
  EXPECT_EQ(qi.dwCurrentCallsQueued, 0u);
  // And hangs up handle_seconds later: the caller's side is dropped, and the
  // station appearance goes IDLE.
  clock.advance_seconds(30);
  vacd->sync();
  ASSERT_TRUE(desk->wait([&](const LINEMESSAGE& m) { return is_state(m, in, LINECALLSTATE_DISCONNECTED); }));
  ASSERT_TRUE(desk->wait([&](const LINEMESSAGE& m) { return is_state(m, in, LINECALLSTATE_IDLE); }));
  // The ACD heard the answer and the end from the station: one ACD call of
  // handle_seconds in the simulated agent's session, none abandoned.
  const auto deadline = Clock::now() + kWait;
  acd::SessionStatsView stats;
  do {
    const acd::Board board = vacd->board();
    ASSERT_EQ(board.sessions.size(), 1u);
    stats = board.sessions.front().stats;
  } while ((stats.calls != 1 || stats.talk_seconds != 30) && Clock::now() < deadline);
  EXPECT_EQ(stats.calls, 1u);
  EXPECT_EQ(stats.talk_seconds, 30u);
  std::memset(&qi, 0, sizeof qi);
  qi.dwTotalSize = sizeof qi;
  ASSERT_EQ(desk->queue_info(desk_line, 1, &qi), 0);
  EXPECT_EQ(qi.dwTotalCallsAbandoned, 0u);
}

}  // namespace
}  // namespace acd_test
