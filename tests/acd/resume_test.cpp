// Handles survive a restart of a single opentapid on SQLite (docs/ha.md
// "Handles survive"), through the public C API: an application with a line,
// an agent and an agent session open keeps its HLINEAPP, HLINE, HAGENT and
// HAGENTSESSION while the server is killed and started again on the same
// data directory; it sees LINE_LINEDEVSTATE OUTOFSERVICE then INSERVICE,
// never LINE_CLOSE or REINIT, and a request in flight at the crash is
// applied once.
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <thread>

#include "harness.h"
#include "support/opentapid.h"

namespace acd_test {
namespace {

constexpr const char* kSales = "{11111111-2222-3333-4444-555555555555}";

std::string write_config(const std::string& dir) {
  const std::string path = dir + "/callcenter.toml";
  std::ofstream(path) << R"(
[server]
lines = 2
addresses_per_line = 4

[acd]
wrap_up_seconds = 0

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
)";
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
  server_->signal(SIGSTOP);
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
