// Handles survive a restart of a single opentapid on SQLite (docs/ha.md
// "Handles survive"), through the public C API: an application with a line,
// an agent and an agent session open keeps its HLINEAPP, HLINE, HAGENT and
// HAGENTSESSION while the server is killed and started again on the same
// data directory; it sees LINE_LINEDEVSTATE OUTOFSERVICE then INSERVICE,
// never LINE_CLOSE or REINIT, and a request in flight at the crash is
// applied once.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>
#include <set>
#include <thread>
#include <tuple>

#include "harness.h"
#include "support/opentapid.h"

namespace acd_test {
namespace {

constexpr const char* kSales = "{11111111-2222-3333-4444-555555555555}";

std::string write_config(const std::string& dir) {
  const std::string path = dir + "/callcenter.toml";
  std::ofstream(path) << std::string(R"(
[server]
lines = 2
addresses_per_line = 4

[acd]
wrap_up_seconds = 0
pbx_users = [")" + current_user() + R"("]

[[group]]
name = "Sales"
guid = "{11111111-2222-3333-4444-555555555555}"

[[queue]]
id = 1
name = "Sales"
group = "Sales"

[[agent]]
id = "A000"
pin = "p"
)");
  return path;
}

class ResumeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_ = write_config(dir_.path());
    socket_ = dir_.path() + "/s.sock";
    ::setenv("OPENTAPI_SERVER", ("unix:" + socket_).c_str(), 1);
    ::setenv("OPENTAPI_RESUME_SECONDS", "30", 1);
  }
  void TearDown() override {
    ::unsetenv("OPENTAPI_RESUME_SECONDS");
    if (server_ && server_->running()) {
      server_->signal(SIGCONT);
      server_->kill_now();
    }
  }

  void start_server() {
    server_ = std::make_unique<opentapi::test_support::Opentapid>(
        std::vector<std::string>{"--listen", "unix:" + socket_, "--store", "sqlite:" + dir_.path() + "/data",
                                 "--config", config_, "--no-simulator", "--summary-interval", "0"},
        dir_.path() + "/opentapid." + std::to_string(++starts_) + ".log");
    ASSERT_TRUE(server_->wait_listening(socket_, 30s)) << server_->log();
    // Its ACD registered as the agent requests' proxy.
    ASSERT_TRUE(server_->wait_for_log(std::regex("event=acd-connected"), nullptr, 30s)) << server_->log();
  }

  static bool is_line_state(const LINEMESSAGE& m, HLINE line, DWORD state) {
    return m.dwMessageID == LINE_LINEDEVSTATE && m.hDevice == line && m.dwParam1 == state;
  }

  TempDir dir_;
  std::string config_;
  std::string socket_;
  std::unique_ptr<opentapi::test_support::Opentapid> server_;
  int starts_ = 0;
};

TEST_F(ResumeTest, HandlesSurviveARestartOfTheServer) {
  ASSERT_NO_FATAL_FAILURE(start_server());
  Client c;
  ASSERT_EQ(c.init_result(), 0);
  const HLINE line = c.open(0);
  ASSERT_NE(line, 0u);
  ASSERT_EQ(lineSetStatusMessages(line, LINEDEVSTATE_OUTOFSERVICE | LINEDEVSTATE_INSERVICE, 0), 0);
  HAGENT agent = 0;
  ASSERT_EQ(c.create_agent(line, "A000", "p", &agent), 0);
  HAGENTSESSION session = 0;
  ASSERT_EQ(c.create_session(line, agent, nullptr, 0, guid(kSales), &session), 0);
  ASSERT_EQ(c.set_session_state(line, session, LINEAGENTSESSIONSTATE_READY, 0), 0);

  // A crash with a request in flight: the server is stopped first, so the
  // request is surely sent and surely not answered, then killed.
  ASSERT_TRUE(server_->stop_threads()) << "opentapid did not stop";
  LONG in_flight = 0;
  std::thread requester([&] { in_flight = lineSetAgentMeasurementPeriod(line, agent, 4242); });
  std::this_thread::sleep_for(200ms);  // lets the frame reach the stopped server (not asserted on)
  server_->kill_now();
  ASSERT_TRUE(c.wait([&](const LINEMESSAGE& m) { return is_line_state(m, line, LINEDEVSTATE_OUTOFSERVICE); }, 10s));
  // Refused at once while the application is being resumed: never sent.
  EXPECT_EQ(lineSetAgentMeasurementPeriod(line, agent, 99), static_cast<LONG>(LINEERR_OPERATIONFAILED));

  ASSERT_NO_FATAL_FAILURE(start_server());
  requester.join();
  ASSERT_GT(in_flight, 0) << "the request in flight got its id from the restarted server";
  ASSERT_TRUE(c.wait([&](const LINEMESSAGE& m) { return is_line_state(m, line, LINEDEVSTATE_INSERVICE); }, 30s));
  EXPECT_EQ(c.reply(in_flight), 0);
  LINEAGENTINFO agent_info{};
  ASSERT_EQ(c.agent_info(line, agent, &agent_info), 0);
  EXPECT_EQ(agent_info.dwMeasurementPeriod, 4242u) << "the request in flight was applied";

  // The same handles work on the restarted server.
  ASSERT_EQ(c.set_session_state(line, session, LINEAGENTSESSIONSTATE_NOTREADY, 0), 0);
  LINEAGENTSESSIONINFO info{};
  ASSERT_EQ(c.session_info(line, session, &info), 0);
  EXPECT_EQ(info.dwAgentSessionState, static_cast<DWORD>(LINEAGENTSESSIONSTATE_NOTREADY));
  ASSERT_EQ(c.set_agent_period(line, agent, 77), 0);
  ASSERT_EQ(c.agent_info(line, agent, &agent_info), 0);
  EXPECT_EQ(agent_info.dwMeasurementPeriod, 77u);
  // Nothing closed, nothing said twice, nothing answered twice.
  c.drain(100ms);
  for (const LINEMESSAGE& m : c.take_messages()) {
    EXPECT_NE(m.dwMessageID, static_cast<DWORD>(LINE_CLOSE)) << "the line was closed";
    EXPECT_FALSE(m.dwMessageID == LINE_LINEDEVSTATE && m.dwParam1 == LINEDEVSTATE_REINIT) << "REINIT";
    EXPECT_FALSE(is_line_state(m, line, LINEDEVSTATE_OUTOFSERVICE)) << "a second OUTOFSERVICE";
  }
  EXPECT_EQ(c.stray_replies(), 0u) << "a request answered twice";
}

// docs/ha.md "Calls at a resume": the server that held the calls is gone.
// Each application is told, between OUTOFSERVICE and INSERVICE, that its
// calls ended (DISCONNECTED with LINEDISCONNECTMODE_UNAVAIL, then IDLE); its
// handles stay valid for lineGetCallStatus (IDLE) and lineGetCallInfo until
// lineDeallocateCall, which succeeds. A lineMakeCall in flight at the crash
// fails exactly once.
TEST_F(ResumeTest, CallsEndAtARestartAndTheirHandlesStayUntilDeallocated) {
  ASSERT_NO_FATAL_FAILURE(start_server());
  Client desk;
  Client caller;
  ASSERT_EQ(desk.init_result(), 0);
  ASSERT_EQ(caller.init_result(), 0);
  const HLINE desk_line = desk.open(0, LINECALLPRIVILEGE_OWNER, LINEMEDIAMODE_INTERACTIVEVOICE);
  const HLINE caller_line = caller.open(1, LINECALLPRIVILEGE_OWNER, LINEMEDIAMODE_INTERACTIVEVOICE);
  ASSERT_NE(desk_line, 0u);
  ASSERT_NE(caller_line, 0u);
  for (const HLINE line : {desk_line, caller_line}) {
    ASSERT_EQ(lineSetStatusMessages(line, LINEDEVSTATE_OUTOFSERVICE | LINEDEVSTATE_INSERVICE, 0), 0);
  }
  const auto is_state = [](const LINEMESSAGE& m, HCALL call, DWORD state) {
    return m.dwMessageID == LINE_CALLSTATE && m.hDevice == call && m.dwParam1 == state;
  };
  // A connected call, held at the desk.
  HCALL out = 0;
  ASSERT_EQ(caller.reply(lineMakeCallA(caller_line, &out, "2001", 0, nullptr)), 0);
  const auto offered = desk.wait([](const LINEMESSAGE& m) { return m.dwMessageID == LINE_APPNEWCALL; });
  ASSERT_TRUE(offered);
  const auto in = static_cast<HCALL>(offered->dwParam2);
  ASSERT_EQ(desk.reply(lineAnswer(in, nullptr, 0)), 0);
  ASSERT_TRUE(caller.wait([&](const LINEMESSAGE& m) { return is_state(m, out, LINECALLSTATE_CONNECTED); }));
  ASSERT_EQ(desk.reply(lineHold(in)), 0);
  ASSERT_TRUE(desk.wait([&](const LINEMESSAGE& m) { return is_state(m, in, LINECALLSTATE_ONHOLD); }));
  std::vector<std::uint64_t> buf(1024, 0);
  auto* info = reinterpret_cast<LINECALLINFO*>(buf.data());
  info->dwTotalSize = static_cast<DWORD>(buf.size() * 8);
  ASSERT_EQ(lineGetCallInfoA(in, info), 0);
  const DWORD call_id = info->dwCallID;
  desk.drain(50ms);
  caller.drain(50ms);
  desk.forget_messages();
  caller.forget_messages();

  // A second call being made when the server crashes: stopped first, so the
  // request surely reaches it and is surely not answered.
  ASSERT_TRUE(server_->stop_threads()) << "opentapid did not stop";
  LONG making = 0;
  HCALL second = 0;
  std::thread maker([&] { making = lineMakeCallA(caller_line, &second, "2002", 0, nullptr); });
  std::this_thread::sleep_for(200ms);  // lets the frame reach the stopped server (not asserted on)
  server_->kill_now();
  maker.join();
  EXPECT_EQ(making, static_cast<LONG>(LINEERR_OPERATIONFAILED)) << "failed at once, never a request id";
  EXPECT_EQ(second, 0u);
  ASSERT_TRUE(
      desk.wait([&](const LINEMESSAGE& m) { return is_line_state(m, desk_line, LINEDEVSTATE_OUTOFSERVICE); }, 10s));
  ASSERT_TRUE(
      caller.wait([&](const LINEMESSAGE& m) { return is_line_state(m, caller_line, LINEDEVSTATE_OUTOFSERVICE); }, 10s));

  ASSERT_NO_FATAL_FAILURE(start_server());
  for (const auto& side : {std::tuple{&desk, desk_line, in}, std::tuple{&caller, caller_line, out}}) {
    Client* client = std::get<0>(side);
    const HLINE line = std::get<1>(side);
    const HCALL call = std::get<2>(side);
    ASSERT_TRUE(
        client->wait([&](const LINEMESSAGE& m) { return is_line_state(m, line, LINEDEVSTATE_INSERVICE); }, 30s));
    // What came before INSERVICE: the call's end, in order.
    std::vector<LINEMESSAGE> states;
    for (const LINEMESSAGE& m : client->take_received()) {
      if (m.dwMessageID == LINE_CALLSTATE) states.push_back(m);
    }
    ASSERT_EQ(states.size(), 2u);
    EXPECT_TRUE(is_state(states[0], call, LINECALLSTATE_DISCONNECTED));
    EXPECT_EQ(states[0].dwParam2, static_cast<DWORD>(LINEDISCONNECTMODE_UNAVAIL));
    EXPECT_TRUE(is_state(states[1], call, LINECALLSTATE_IDLE));

    LINECALLSTATUS status{};
    status.dwTotalSize = sizeof status;
    ASSERT_EQ(lineGetCallStatus(call, &status), 0);
    EXPECT_EQ(status.dwCallState, static_cast<DWORD>(LINECALLSTATE_IDLE));
    EXPECT_EQ(status.dwCallPrivilege, static_cast<DWORD>(LINECALLPRIVILEGE_OWNER));
    EXPECT_EQ(status.dwCallFeatures, 0u);
    EXPECT_EQ(lineDrop(call, nullptr, 0), static_cast<LONG>(LINEERR_INVALCALLSTATE));
    std::memset(buf.data(), 0, buf.size() * 8);
    info->dwTotalSize = static_cast<DWORD>(buf.size() * 8);
    ASSERT_EQ(lineGetCallInfoA(call, info), 0);
    EXPECT_EQ(info->dwLineDeviceID, line == desk_line ? 0u : 1u);
    if (call == in) {
      EXPECT_EQ(info->dwCallID, call_id) << "what it last answered";
    }
    EXPECT_EQ(lineDeallocateCall(call), 0);
    EXPECT_EQ(lineDeallocateCall(call), static_cast<LONG>(LINEERR_INVALCALLHANDLE));
    EXPECT_EQ(client->stray_replies(), 0u);
  }

  // Calls on the restarted server work as before.
  HCALL again = 0;
  ASSERT_EQ(caller.reply(lineMakeCallA(caller_line, &again, "2001", 0, nullptr)), 0);
  const auto offered_again = desk.wait([](const LINEMESSAGE& m) { return m.dwMessageID == LINE_APPNEWCALL; });
  ASSERT_TRUE(offered_again);
  EXPECT_NE(static_cast<HCALL>(offered_again->dwParam2), in) << "a new handle";
}

// The sockets this process holds now.
std::set<int> socket_fds() {
  std::set<int> out;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    const auto target = std::filesystem::read_symlink(entry.path(), ec);
    if (!ec && target.string().rfind("socket:", 0) == 0) out.insert(std::stoi(entry.path().filename().string()));
  }
  return out;
}

// `away` opens line 0 and selects OUTOFSERVICE / INSERVICE; *fd is the one
// socket its connection added to this process since `before` (to cut it
// off later).
void open_away(Client& away, const std::set<int>& before, HLINE* line, int* fd) {
  ASSERT_EQ(away.init_result(), 0);
  *line = away.open(0);
  ASSERT_NE(*line, 0u);
  ASSERT_EQ(lineSetStatusMessages(*line, LINEDEVSTATE_OUTOFSERVICE | LINEDEVSTATE_INSERVICE, 0), 0);
  std::set<int> added;
  for (const int s : socket_fds()) {
    if (!before.contains(s)) added.insert(s);
  }
  ASSERT_EQ(added.size(), 1u) << "the away application's connection";
  *fd = *added.begin();
}

bool is_agent_message(const LINEMESSAGE& m) {
  return m.dwMessageID == LINE_AGENTSESSIONSTATUS || m.dwMessageID == LINE_AGENTSTATUSEX ||
         m.dwMessageID == LINE_AGENTSTATUS || m.dwMessageID == LINE_QUEUESTATUS;
}

std::vector<LINEMESSAGE> agent_messages(const std::vector<LINEMESSAGE>& all) {
  std::vector<LINEMESSAGE> out;
  for (const LINEMESSAGE& m : all) {
    if (is_agent_message(m)) out.push_back(m);
  }
  return out;
}

std::string describe(const std::vector<LINEMESSAGE>& messages) {
  std::string out;
  for (const LINEMESSAGE& m : messages) {
    char line[96];
    std::snprintf(line, sizeof line, "  msg=0x%lx p1=0x%lx p2=0x%lx p3=0x%lx\n",
                  static_cast<unsigned long>(m.dwMessageID), static_cast<unsigned long>(m.dwParam1),
                  static_cast<unsigned long>(m.dwParam2), static_cast<unsigned long>(m.dwParam3));
    out += line;
  }
  return out;
}

// Every message of `c`, in order, up to the `n`th that matches `last`
// (included), or without `last` up to INSERVICE (excluded).
bool read_until(Client& c, const std::function<bool(const LINEMESSAGE&)>& last, int n, std::vector<LINEMESSAGE>* out) {
  for (;;) {
    const auto m = c.wait([](const LINEMESSAGE&) { return true; }, 30s);
    if (!m) return false;
    if (m->dwMessageID == LINE_LINEDEVSTATE && m->dwParam1 == LINEDEVSTATE_INSERVICE && !last) return true;
    out->push_back(*m);
    if (last && last(*m) && --n == 0) return true;
  }
}

// The status messages of the changes made while an application was away
// are replayed when it resumes (docs/ha.md "Status messages replayed"):
// exactly those it missed, in order, once each, before INSERVICE; what
// follows comes live, once. The replayed message of a state change says
// UPDATEINFO too (the event log does not say whether the statistics
// changed with the state), so param2 may hold that bit more.
TEST_F(ResumeTest, StatusMessagesMissedWhileAwayAreReplayedOnceInOrder) {
  ASSERT_NO_FATAL_FAILURE(start_server());
  const std::set<int> before = socket_fds();
  Client away;  // connects here
  HLINE away_line = 0;
  int away_fd = -1;
  ASSERT_NO_FATAL_FAILURE(open_away(away, before, &away_line, &away_fd));

  Client other;
  ASSERT_EQ(other.init_result(), 0);
  const HLINE line = other.open(0);
  ASSERT_NE(line, 0u);
  HAGENT agent = 0;
  ASSERT_EQ(other.create_agent(line, "A000", "p", &agent), 0);
  HAGENTSESSION session = 0;
  ASSERT_EQ(other.create_session(line, agent, nullptr, 0, guid(kSales), &session), 0);
  ASSERT_EQ(other.set_session_state(line, session, LINEAGENTSESSIONSTATE_READY, 0), 0);
  const auto ready = [&](const LINEMESSAGE& m) {
    return m.dwMessageID == LINE_AGENTSESSIONSTATUS && m.dwParam1 == session &&
           (m.dwParam2 & LINEAGENTSESSIONSTATUS_STATE) != 0 && m.dwParam3 == LINEAGENTSESSIONSTATE_READY;
  };
  ASSERT_TRUE(away.wait(ready));
  ASSERT_TRUE(other.wait(ready));
  (void)away.take_received();
  (void)other.take_received();

  // The application is cut off, and cannot come back (its server's socket
  // is out of the way) while the other one changes the agent's states.
  const std::string parked = socket_ + ".parked";
  std::filesystem::rename(socket_, parked);
  ASSERT_EQ(::shutdown(away_fd, SHUT_RDWR), 0);
  ASSERT_TRUE(
      away.wait([&](const LINEMESSAGE& m) { return is_line_state(m, away_line, LINEDEVSTATE_OUTOFSERVICE); }, 10s));
  ASSERT_EQ(other.set_session_state(line, session, LINEAGENTSESSIONSTATE_NOTREADY, 0), 0);
  ASSERT_EQ(other.set_session_state(line, session, LINEAGENTSESSIONSTATE_READY, LINEAGENTSESSIONSTATE_NOTREADY), 0);
  ASSERT_EQ(other.set_session_state(line, session, LINEAGENTSESSIONSTATE_NOTREADY, 0), 0);
  ASSERT_EQ(other.set_agent_period(line, agent, 55), 0);  // the last change: one message
  const auto period_changed = [&](const LINEMESSAGE& m) {
    return m.dwMessageID == LINE_AGENTSTATUSEX && m.dwParam1 == agent && m.dwParam2 == LINEAGENTSTATUSEX_UPDATEINFO;
  };
  std::vector<LINEMESSAGE> told;  // what the other application was told meanwhile
  ASSERT_TRUE(read_until(other, period_changed, 1, &told));
  told = agent_messages(told);
  ASSERT_GE(told.size(), 4u) << describe(told);

  std::filesystem::rename(parked, socket_);
  std::vector<LINEMESSAGE> replayed;  // what the away application got before INSERVICE
  ASSERT_TRUE(read_until(away, nullptr, 0, &replayed));
  replayed = agent_messages(replayed);
  const auto same = [](const std::vector<LINEMESSAGE>& live, const std::vector<LINEMESSAGE>& got) {
    if (live.size() != got.size()) return false;
    for (std::size_t i = 0; i < live.size(); ++i) {
      const LINEMESSAGE& a = live[i];
      const LINEMESSAGE& b = got[i];
      // LINEAGENTSESSIONSTATUS_UPDATEINFO and LINEAGENTSTATUSEX_UPDATEINFO
      // are the same bit.
      static_assert(LINEAGENTSESSIONSTATUS_UPDATEINFO == LINEAGENTSTATUSEX_UPDATEINFO);
      const DWORD info = LINEAGENTSESSIONSTATUS_UPDATEINFO;
      if (a.dwMessageID != b.dwMessageID || a.dwParam1 != b.dwParam1 || a.dwParam3 != b.dwParam3 ||
          (b.dwParam2 & ~info) != (a.dwParam2 & ~info) || (b.dwParam2 & a.dwParam2) != a.dwParam2) {
        return false;
      }
    }
    return true;
  };
  EXPECT_TRUE(same(told, replayed)) << "told the other application:\n"
                                    << describe(told) << "replayed:\n"
                                    << describe(replayed);

  // From here on live, once: the same messages as the other application.
  ASSERT_EQ(other.set_session_state(line, session, LINEAGENTSESSIONSTATE_READY, 0), 0);
  ASSERT_EQ(other.set_agent_period(line, agent, 66), 0);
  std::vector<LINEMESSAGE> live_other;
  std::vector<LINEMESSAGE> live_away;
  ASSERT_TRUE(read_until(other, period_changed, 1, &live_other));
  ASSERT_TRUE(read_until(away, period_changed, 1, &live_away));
  live_other = agent_messages(live_other);
  live_away = agent_messages(live_away);
  EXPECT_EQ(describe(live_other), describe(live_away));
  away.drain(100ms);
  EXPECT_EQ(describe(agent_messages(away.take_received())), "") << "a message delivered twice";
  EXPECT_EQ(away.stray_replies(), 0u);
}

std::vector<LINEMESSAGE> address_and_queue_messages(const std::vector<LINEMESSAGE>& all) {
  std::vector<LINEMESSAGE> out;
  for (const LINEMESSAGE& m : all) {
    if (m.dwMessageID == LINE_AGENTSTATUS || m.dwMessageID == LINE_QUEUESTATUS) out.push_back(m);
  }
  return out;
}

// lineSetAgentGroup of address `address` on `line` to Sales.
LONG join_sales(Client& c, HLINE line, DWORD address) {
  std::vector<unsigned char> buf(sizeof(LINEAGENTGROUPLIST) + sizeof(LINEAGENTGROUPENTRY), 0);
  auto* list = reinterpret_cast<LINEAGENTGROUPLIST*>(buf.data());
  list->dwTotalSize = static_cast<DWORD>(buf.size());
  list->dwNumEntries = 1;
  list->dwListSize = sizeof(LINEAGENTGROUPENTRY);
  list->dwListOffset = sizeof(LINEAGENTGROUPLIST);
  const GUID sales = guid(kSales);
  std::memcpy(buf.data() + sizeof(LINEAGENTGROUPLIST), &sales, sizeof sales);
  return c.reply(lineSetAgentGroup(line, address, list));
}

// The TAPI 2.0 agent on an address (LINE_AGENTSTATUS) and the queues'
// waiting calls (LINE_QUEUESTATUS) are replayed like the agent sessions:
// an application cut off while a lineSetAgentState and a call's arrival,
// delivery and answer happen gets exactly the messages the other
// application was told, in order, once, before INSERVICE, and afterwards
// the live ones once (docs/ha.md "Status messages replayed").
TEST_F(ResumeTest, AddressAgentAndQueueMessagesMissedWhileAwayAreReplayedOnceInOrder) {
  ASSERT_NO_FATAL_FAILURE(start_server());
  const std::set<int> before = socket_fds();
  Client away;  // connects here
  HLINE away_line = 0;
  int away_fd = -1;
  ASSERT_NO_FATAL_FAILURE(open_away(away, before, &away_line, &away_fd));

  // The agent on address 1 of line 0 logs in to Sales; an agent session
  // works at the same address, READY, so that the ACD's calls go there.
  Client other;
  ASSERT_EQ(other.init_result(), 0);
  const HLINE line = other.open(0);
  ASSERT_NE(line, 0u);
  ASSERT_EQ(join_sales(other, line, 1), 0);
  HAGENT agent = 0;
  ASSERT_EQ(other.create_agent(line, "A000", "p", &agent), 0);
  HAGENTSESSION session = 0;
  ASSERT_EQ(other.create_session(line, agent, nullptr, 1, guid(kSales), &session), 0);
  ASSERT_EQ(other.set_session_state(line, session, LINEAGENTSESSIONSTATE_READY, 0), 0);
  const auto ready = [&](const LINEMESSAGE& m) {
    return m.dwMessageID == LINE_AGENTSESSIONSTATUS && m.dwParam1 == session &&
           (m.dwParam2 & LINEAGENTSESSIONSTATUS_STATE) != 0 && m.dwParam3 == LINEAGENTSESSIONSTATE_READY;
  };
  ASSERT_TRUE(away.wait(ready));
  ASSERT_TRUE(other.wait(ready));
  (void)away.take_received();
  (void)other.take_received();
  // The last change of each part: address 2's agent, which nothing else touches.
  const auto address_2 = [](DWORD state) {
    return [state](const LINEMESSAGE& m) {
      return m.dwMessageID == LINE_AGENTSTATUS && m.dwParam1 == 2 && (m.dwParam2 & LINEAGENTSTATUS_STATE) != 0 &&
             m.dwParam3 == state;
    };
  };

  // Cut off, and kept away, while the address agent becomes READY and a call
  // arrives, goes to it and is answered, and a second call waits.
  const std::string parked = socket_ + ".parked";
  std::filesystem::rename(socket_, parked);
  ASSERT_EQ(::shutdown(away_fd, SHUT_RDWR), 0);
  ASSERT_TRUE(
      away.wait([&](const LINEMESSAGE& m) { return is_line_state(m, away_line, LINEDEVSTATE_OUTOFSERVICE); }, 10s));
  ASSERT_EQ(other.reply(lineSetAgentState(line, 1, LINEAGENTSTATE_READY, 0)), 0);
  ASSERT_EQ(other.pbx(line, 1, 7, 1), 0);  // queued in queue 1, delivered at once
  ASSERT_EQ(other.pbx(line, 2, 7, 0), 0);  // answered
  ASSERT_EQ(other.pbx(line, 1, 8, 1), 0);  // waits: the agent is on call 7
  ASSERT_EQ(join_sales(other, line, 2), 0);
  std::vector<LINEMESSAGE> told;
  ASSERT_TRUE(read_until(other, address_2(LINEAGENTSTATE_NOTREADY), 1, &told));
  told = address_and_queue_messages(told);
  // READY; call 7 queued and delivered; the address BUSY_ACD; call 8
  // queued; address 2 logged in.
  ASSERT_EQ(told.size(), 6u) << describe(told);
  EXPECT_EQ(told[0].dwMessageID, static_cast<DWORD>(LINE_AGENTSTATUS));
  EXPECT_EQ(told[0].dwParam3, static_cast<DWORD>(LINEAGENTSTATE_READY));
  for (const std::size_t i : {1u, 2u, 4u}) {
    EXPECT_EQ(told[i].dwMessageID, static_cast<DWORD>(LINE_QUEUESTATUS)) << i;
    EXPECT_EQ(told[i].dwParam1, 1u) << i;
    EXPECT_EQ(told[i].dwParam2, static_cast<DWORD>(LINEQUEUESTATUS_UPDATEINFO)) << i;
  }
  EXPECT_EQ(told[3].dwMessageID, static_cast<DWORD>(LINE_AGENTSTATUS));
  EXPECT_EQ(told[3].dwParam3, static_cast<DWORD>(LINEAGENTSTATE_BUSYACD));

  std::filesystem::rename(parked, socket_);
  std::vector<LINEMESSAGE> replayed;  // before INSERVICE
  ASSERT_TRUE(read_until(away, nullptr, 0, &replayed));
  EXPECT_EQ(describe(address_and_queue_messages(replayed)), describe(told));

  // Live, once: call 7 ends (the address goes to WORKINGAFTERCALL), call 8
  // is abandoned, address 2 becomes READY.
  ASSERT_EQ(other.pbx(line, 3, 7, 0), 0);
  ASSERT_EQ(other.pbx(line, 4, 8, 0), 0);
  ASSERT_EQ(other.reply(lineSetAgentState(line, 2, LINEAGENTSTATE_READY, 0)), 0);
  std::vector<LINEMESSAGE> live_other;
  std::vector<LINEMESSAGE> live_away;
  ASSERT_TRUE(read_until(other, address_2(LINEAGENTSTATE_READY), 1, &live_other));
  ASSERT_TRUE(read_until(away, address_2(LINEAGENTSTATE_READY), 1, &live_away));
  live_other = address_and_queue_messages(live_other);
  ASSERT_EQ(live_other.size(), 3u) << describe(live_other);
  EXPECT_EQ(live_other[0].dwParam3, static_cast<DWORD>(LINEAGENTSTATE_WORKINGAFTERCALL));
  EXPECT_EQ(live_other[1].dwMessageID, static_cast<DWORD>(LINE_QUEUESTATUS));
  EXPECT_EQ(describe(address_and_queue_messages(live_away)), describe(live_other));
  away.drain(100ms);
  EXPECT_EQ(describe(address_and_queue_messages(away.take_received())), "") << "a message delivered twice";
  EXPECT_EQ(away.stray_replies(), 0u);
}

// Nothing comes back within the window: the application gets LINE_CLOSE and
// REINIT, as when resuming is off.
TEST_F(ResumeTest, AServerThatStaysAwayEndsWithCloseAndReinit) {
  ::setenv("OPENTAPI_RESUME_SECONDS", "1", 1);
  ASSERT_NO_FATAL_FAILURE(start_server());
  Client c;
  ASSERT_EQ(c.init_result(), 0);
  const HLINE line = c.open(0);
  ASSERT_NE(line, 0u);
  server_->kill_now();
  ASSERT_TRUE(c.wait([&](const LINEMESSAGE& m) { return m.dwMessageID == LINE_CLOSE && m.hDevice == line; }, 10s));
  ASSERT_TRUE(c.wait(
      [&](const LINEMESSAGE& m) { return m.dwMessageID == LINE_LINEDEVSTATE && m.dwParam1 == LINEDEVSTATE_REINIT; },
      10s));
}

}  // namespace
}  // namespace acd_test
