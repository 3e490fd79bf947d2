// The agent's day through the public C API against a real opentapid and the
// virtual ACD (in this process, on a hand-driven clock so that every
// statistic can be checked against values computed by hand): login, ready, a
// routed call, wrap-up, next state, logout — once straight through, and once
// with opentapid, the ACD and its store all restarted in the middle of the
// call.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "acd/clock.h"
#include "acd/config.h"
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
constexpr const char* kSupport = "{66666666-7777-8888-9999-AAAAAAAAAAAA}";

std::string scenario_config() {
  return std::string(R"(
[server]
lines = 2
addresses_per_line = 4

[acd]
wrap_up_seconds = 15
pbx_users = [")") +
         current_user() + R"("]

[[group]]
name = "Sales"
guid = ")" +
         kSales + R"("

[[group]]
name = "Support"
guid = ")" +
         kSupport + R"("

[[queue]]
id = 1
name = "Sales"
group = "Sales"

[[queue]]
id = 2
name = "Support"
group = "Support"

[[agent]]
id = "1001"
pin = "1111"
name = "Ada"
)";
}

constexpr LONG err(DWORD lineerr) { return static_cast<LONG>(lineerr); }

// opentapid + store + ACD, which can all be restarted.
class Site {
 public:
  Site() : clock_(at(0)) {
    auto c = acd::parse_config(scenario_config(), "scenario.toml");
    EXPECT_TRUE(c.ok()) << c.status().to_string();
    config_ = *c;
    start();
  }
  ~Site() { stop(); }

  void start() {
    server_ = std::make_unique<Opentapid>(dir_.path(), 2, 4);
    store::SqliteOptions options;
    options.data_dir = dir_.path() + "/data";
    auto opened = store::open_sqlite_store(options);
    ASSERT_TRUE(opened.ok()) << opened.status().to_string();
    store_ = std::move(opened).value();
    acd::VirtualAcdOptions o;
    o.server_address = server_->address();
    o.clock = &clock_;
    o.log = [](acd::LogLevel, std::string_view) {};
    auto started = acd::VirtualAcd::start(config_, *store_, o);
    ASSERT_TRUE(started.ok()) << started.status().to_string();
    acd_ = std::move(started).value();
  }

  void stop() {
    if (acd_) acd_->stop();
    acd_.reset();
    store_.reset();
    if (server_) server_->stop();
    server_.reset();
  }

  acd::ManualClock& clock() { return clock_; }
  acd::VirtualAcd& acd() { return *acd_; }
  void at_time(std::int64_t seconds) {
    clock_.set(at(seconds));
    acd_->sync();
  }

 private:
  TempDir dir_;
  acd::ManualClock clock_;
  acd::AcdConfig config_;
  std::unique_ptr<Opentapid> server_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<acd::VirtualAcd> acd_;
};

bool is_session_state(const LINEMESSAGE& m, HAGENTSESSION s, DWORD state) {
  return m.dwMessageID == LINE_AGENTSESSIONSTATUS && m.dwParam1 == s && (m.dwParam2 & LINEAGENTSESSIONSTATUS_STATE) &&
         m.dwParam3 == state;
}

class AgentDay : public ::testing::TestWithParam<bool> {};

TEST_P(AgentDay, LoginReadyCallWrapUpNextStateLogout) {
  const bool restart_in_the_middle = GetParam();
  Site site;
  auto agent = std::make_unique<Client>();
  auto pbx = std::make_unique<Client>(/*wide=*/true);
  ASSERT_EQ(agent->init_result(), 0);
  HLINE line = agent->open(0);
  HLINE pbx_line = pbx->open(0);
  ASSERT_NE(line, 0u);
  ASSERT_NE(pbx_line, 0u);

  // Login.
  HAGENT hagent = 0;
  ASSERT_EQ(agent->create_agent(line, "1001", "1111", &hagent), 0);
  ASSERT_NE(hagent, 0u);
  EXPECT_TRUE(agent->wait([&](const LINEMESSAGE& m) {
    return m.dwMessageID == LINE_AGENTSTATUSEX && m.dwParam1 == hagent && (m.dwParam2 & LINEAGENTSTATUSEX_NEWAGENT);
  }));
  HAGENT wrong = 0;
  EXPECT_EQ(agent->create_agent(line, "1001", "9999", &wrong), err(LINEERR_INVALPARAM));
  HAGENTSESSION session = 0;
  ASSERT_EQ(agent->create_session(line, hagent, nullptr, 0, guid(kSales), &session), 0);
  EXPECT_TRUE(agent->wait([&](const LINEMESSAGE& m) {
    return m.dwMessageID == LINE_AGENTSESSIONSTATUS && m.dwParam1 == session &&
           m.dwParam2 == LINEAGENTSESSIONSTATUS_NEWSESSION;
  }));

  // Ready; the documented refusals.
  site.at_time(10);
  ASSERT_EQ(agent->set_session_state(line, session, LINEAGENTSESSIONSTATE_READY, 0), 0);
  EXPECT_TRUE(
      agent->wait([&](const LINEMESSAGE& m) { return is_session_state(m, session, LINEAGENTSESSIONSTATE_READY); }));
  EXPECT_EQ(agent->set_session_state(line, session, LINEAGENTSESSIONSTATE_BUSYWRAPUP, 0), err(LINEERR_INVALAGENTSTATE));
  EXPECT_EQ(agent->set_session_state(line, session + 1000, LINEAGENTSESSIONSTATE_READY, 0), err(LINEERR_INVALPARAM));
  EXPECT_EQ(agent->set_session_state(line, session, LINEAGENTSESSIONSTATE_READY, 0), 0);  // same state

  // A call routed to the session through the PBX extension.
  site.at_time(20);
  ASSERT_EQ(pbx->pbx(pbx_line, 1, 7, 1), 0);
  EXPECT_TRUE(agent->wait(
      [&](const LINEMESSAGE& m) { return is_session_state(m, session, LINEAGENTSESSIONSTATE_BUSYONCALL); }));
  EXPECT_TRUE(pbx->wait([&](const LINEMESSAGE& m) {
    return m.dwMessageID == LINE_AGENTSPECIFIC && m.dwParam1 == 0 && m.dwParam2 == 7 && m.dwParam3 == session;
  }));
  std::vector<DWORD> query;
  ASSERT_EQ(pbx->pbx(pbx_line, 5, 7, 0, &query), 0);
  EXPECT_EQ(query[4], session);
  EXPECT_EQ(query[5], 2u);  // ringing
  EXPECT_EQ(query[6], 0u);  // line device 0, address 0
  EXPECT_EQ(query[7], 0u);
  site.at_time(25);
  ASSERT_EQ(pbx->pbx(pbx_line, 2, 7, 0), 0);

  if (restart_in_the_middle) {
    agent.reset();
    pbx.reset();
    site.stop();
    site.start();
    agent = std::make_unique<Client>();
    pbx = std::make_unique<Client>(true);
    line = agent->open(0);
    pbx_line = pbx->open(0);
    ASSERT_NE(line, 0u);
    HAGENT again = 0;
    ASSERT_EQ(agent->create_agent(line, "1001", "1111", &again), 0);
    EXPECT_EQ(again, hagent);  // the same agent, restored
    LINEAGENTSESSIONINFO si;
    ASSERT_EQ(agent->session_info(line, session, &si), 0);
    EXPECT_EQ(si.dwAgentSessionState, LINEAGENTSESSIONSTATE_BUSYONCALL);
    EXPECT_EQ(si.dwNumberOfCalls, 1u);
  }

  // The call ends: wrap-up, then READY after 15 s.
  site.at_time(85);
  ASSERT_EQ(pbx->pbx(pbx_line, 3, 7, 0), 0);
  EXPECT_TRUE(agent->wait(
      [&](const LINEMESSAGE& m) { return is_session_state(m, session, LINEAGENTSESSIONSTATE_BUSYWRAPUP); }));
  site.at_time(100);
  EXPECT_TRUE(
      agent->wait([&](const LINEMESSAGE& m) { return is_session_state(m, session, LINEAGENTSESSIONSTATE_READY); }));

  // Statistics by hand: offered 20, answered 25, ended 85, wrap-up 85–100.
  site.at_time(110);
  LINEAGENTSESSIONINFO si;
  ASSERT_EQ(agent->session_info(line, session, &si), 0);
  EXPECT_EQ(si.dwAgentSessionState, LINEAGENTSESSIONSTATE_READY);
  EXPECT_EQ(si.dwSessionDuration, 110u);
  EXPECT_EQ(si.dwNumberOfCalls, 1u);
  EXPECT_EQ(si.dwTotalTalkTime, 60u);
  EXPECT_EQ(si.dwTotalWrapUpTime, 15u);
  EXPECT_EQ(si.dwTotalCallTime, 75u);
  EXPECT_EQ(si.dwAverageCallTime, 75u);
  EXPECT_EQ(si.dwLongestTimeToAnswer, 5u);
  EXPECT_EQ(si.dwAverageTimeToAnswer, 5u);
  CURRENCY rate = si.cyACDCallRate;
  std::int64_t rate_value = 0;
  std::memcpy(&rate_value, &rate, sizeof rate_value);
  EXPECT_EQ(rate_value, 327272);  // 1 × 3600 × 10 000 / 110
  LINEAGENTINFO ai;
  ASSERT_EQ(agent->agent_info(line, hagent, &ai), 0);
  EXPECT_EQ(ai.dwNumberOfACDCalls, 1u);
  EXPECT_EQ(ai.dwTotalACDTalkTime, 60u);
  EXPECT_EQ(ai.dwTotalACDWrapUpTime, 15u);
  EXPECT_EQ(ai.dwTotalACDCallTime, 75u);
  EXPECT_EQ(ai.dwMeasurementPeriod, 86400u);
  LINEQUEUEINFO qi;
  ASSERT_EQ(agent->queue_info(line, 1, &qi), 0);
  EXPECT_EQ(qi.dwTotalCallsQueued, 1u);
  EXPECT_EQ(qi.dwCurrentCallsQueued, 0u);
  EXPECT_EQ(qi.dwAverageWaitTime, 0u);

  // Next state NOT_READY: the next call ends without wrap-up.
  ASSERT_EQ(agent->set_session_state(line, session, 0, LINEAGENTSESSIONSTATE_NOTREADY), 0);
  site.at_time(120);
  ASSERT_EQ(pbx->pbx(pbx_line, 1, 8, 1), 0);
  site.at_time(121);
  ASSERT_EQ(pbx->pbx(pbx_line, 2, 8, 0), 0);
  site.at_time(131);
  ASSERT_EQ(pbx->pbx(pbx_line, 3, 8, 0), 0);
  EXPECT_TRUE(
      agent->wait([&](const LINEMESSAGE& m) { return is_session_state(m, session, LINEAGENTSESSIONSTATE_NOTREADY); }));
  site.at_time(140);
  ASSERT_EQ(agent->session_info(line, session, &si), 0);
  EXPECT_EQ(si.dwAgentSessionState, LINEAGENTSESSIONSTATE_NOTREADY);
  EXPECT_EQ(si.dwNextAgentSessionState, LINEAGENTSESSIONSTATE_NOTREADY);
  EXPECT_EQ(si.dwNumberOfCalls, 2u);
  EXPECT_EQ(si.dwTotalTalkTime, 70u);
  EXPECT_EQ(si.dwAverageTalkTime, 35u);
  EXPECT_EQ(si.dwTotalWrapUpTime, 15u);
  EXPECT_EQ(si.dwAverageCallTime, 42u);     // 85 / 2
  EXPECT_EQ(si.dwAverageTimeToAnswer, 3u);  // (5 + 1) / 2

  // Logout: the session leaves the list and cannot come back.
  ASSERT_EQ(agent->set_session_state(line, session, LINEAGENTSESSIONSTATE_ENDED, 0), 0);
  std::vector<unsigned char> list_buf(1024, 0);
  auto* list = reinterpret_cast<LINEAGENTSESSIONLIST*>(list_buf.data());
  list->dwTotalSize = static_cast<DWORD>(list_buf.size());
  ASSERT_EQ(agent->reply(lineGetAgentSessionList(line, hagent, list)), 0);
  EXPECT_EQ(list->dwNumEntries, 0u);
  EXPECT_EQ(agent->set_session_state(line, session, LINEAGENTSESSIONSTATE_READY, 0), err(LINEERR_INVALAGENTSTATE));
  ASSERT_EQ(agent->session_info(line, session, &si), 0);
  EXPECT_EQ(si.dwSessionDuration, 140u);  // frozen at the end
}

INSTANTIATE_TEST_SUITE_P(Straight, AgentDay, ::testing::Values(false));
INSTANTIATE_TEST_SUITE_P(RestartInTheMiddle, AgentDay, ::testing::Values(true));

// docs/acd.md "Announcements": a desktop that opens only the second served
// line gets its agent's LINE_AGENTSTATUSEX there (the ACD sends them on its
// first line); one with both lines open gets each once, on the lower.
TEST(Announcements, AgentMessagesReachEveryDesktopOnceOnItsLowestServedLine) {
  Site site;
  Client desk;
  Client both;
  ASSERT_EQ(desk.init_result(), 0);
  ASSERT_EQ(both.init_result(), 0);
  const HLINE desk_line = desk.open(1);
  const HLINE both_high = both.open(1);
  const HLINE both_low = both.open(0);
  ASSERT_NE(desk_line, 0u);
  ASSERT_NE(both_high, 0u);
  ASSERT_NE(both_low, 0u);

  HAGENT agent = 0;
  ASSERT_EQ(desk.create_agent(desk_line, "1001", "1111", &agent), 0);
  const auto new_agent = desk.wait([&](const LINEMESSAGE& m) {
    return m.dwMessageID == LINE_AGENTSTATUSEX && m.dwParam1 == agent && (m.dwParam2 & LINEAGENTSTATUSEX_NEWAGENT);
  });
  ASSERT_TRUE(new_agent);
  EXPECT_EQ(new_agent->hDevice, desk_line);
  // Another of the agent's messages: a new measurement period (UPDATEINFO).
  ASSERT_EQ(desk.set_agent_period(desk_line, agent, 600), 0);
  auto agent_updated = [&](const LINEMESSAGE& m) {
    return m.dwMessageID == LINE_AGENTSTATUSEX && m.dwParam1 == agent && m.dwParam2 == LINEAGENTSTATUSEX_UPDATEINFO;
  };
  const auto updated = desk.wait(agent_updated);
  ASSERT_TRUE(updated);
  EXPECT_EQ(updated->hDevice, desk_line);

  // Everything `both` got up to the agent's UPDATEINFO: each agent message
  // once, on its lower line.
  const auto both_updated = both.wait(agent_updated);
  ASSERT_TRUE(both_updated);
  EXPECT_EQ(both_updated->hDevice, both_low);
  const std::vector<LINEMESSAGE> seen = both.take_received();  // what came before it
  int new_agent_messages = 0;
  for (const LINEMESSAGE& m : seen) {
    if (m.dwMessageID != LINE_AGENTSTATUSEX) continue;
    EXPECT_EQ(m.hDevice, both_low);
    if ((m.dwParam2 & LINEAGENTSTATUSEX_NEWAGENT) != 0 && m.dwParam1 == agent) ++new_agent_messages;
  }
  EXPECT_EQ(new_agent_messages, 1);
}

TEST(AgentHandler, CapsGroupsAndQueuesThroughTheApi) {
  Site site;
  Client c;
  HLINE line = c.open(1);
  ASSERT_NE(line, 0u);
  std::vector<unsigned char> buf(1024, 0);
  auto* caps = reinterpret_cast<LINEAGENTCAPS*>(buf.data());
  caps->dwTotalSize = static_cast<DWORD>(buf.size());
  ASSERT_EQ(c.reply(lineGetAgentCapsA(c.app(), 1, 0, 0x00030001, caps)), 0);
  const std::string info(reinterpret_cast<const char*>(buf.data()) + caps->dwAgentHandlerInfoOffset);
  EXPECT_EQ(info.rfind("opentapi virtual ACD ", 0), 0u) << info;
  EXPECT_EQ(caps->dwNumAgentExtensionIDs, 1u);
  GUID zero{};
  EXPECT_NE(std::memcmp(&caps->ProxyGUID, &zero, sizeof zero), 0);

  std::fill(buf.begin(), buf.end(), 0);
  auto* groups = reinterpret_cast<LINEAGENTGROUPLIST*>(buf.data());
  groups->dwTotalSize = static_cast<DWORD>(buf.size());
  ASSERT_EQ(c.reply(lineGetGroupListA(line, groups)), 0);
  ASSERT_EQ(groups->dwNumEntries, 2u);
  const auto* entries = reinterpret_cast<const LINEAGENTGROUPENTRY*>(buf.data() + groups->dwListOffset);
  EXPECT_STREQ(reinterpret_cast<const char*>(buf.data()) + entries[1].dwNameOffset, "Support");

  std::fill(buf.begin(), buf.end(), 0);
  auto* queues = reinterpret_cast<LINEQUEUELIST*>(buf.data());
  queues->dwTotalSize = static_cast<DWORD>(buf.size());
  GUID support = guid(kSupport);
  ASSERT_EQ(c.reply(lineGetQueueListA(line, &support, queues)), 0);
  ASSERT_EQ(queues->dwNumEntries, 1u);
  const auto* q = reinterpret_cast<const LINEQUEUEENTRY*>(buf.data() + queues->dwListOffset);
  EXPECT_EQ(q[0].dwQueueID, 2u);

  // Too small: the list comes back partial with the size it needs.
  std::vector<unsigned char> small(sizeof(LINEAGENTGROUPLIST) + 4, 0);
  groups = reinterpret_cast<LINEAGENTGROUPLIST*>(small.data());
  groups->dwTotalSize = static_cast<DWORD>(small.size());
  ASSERT_EQ(c.reply(lineGetGroupListA(line, groups)), 0);
  EXPECT_EQ(groups->dwNumEntries, 2u);
  EXPECT_EQ(groups->dwListSize, 0u);
  EXPECT_GT(groups->dwNeededSize, small.size());

  // The TAPI 2.0 agent on an address.
  std::vector<unsigned char> set_buf(sizeof(LINEAGENTGROUPLIST) + sizeof(LINEAGENTGROUPENTRY), 0);
  auto* set = reinterpret_cast<LINEAGENTGROUPLIST*>(set_buf.data());
  set->dwTotalSize = static_cast<DWORD>(set_buf.size());
  set->dwNumEntries = 1;
  set->dwListSize = sizeof(LINEAGENTGROUPENTRY);
  set->dwListOffset = sizeof(LINEAGENTGROUPLIST);
  GUID sales = guid(kSales);
  std::memcpy(set_buf.data() + sizeof(LINEAGENTGROUPLIST), &sales, sizeof sales);
  ASSERT_EQ(c.reply(lineSetAgentGroup(line, 2, set)), 0);
  ASSERT_EQ(c.reply(lineSetAgentState(line, 2, LINEAGENTSTATE_READY, 0)), 0);
  EXPECT_EQ(c.reply(lineSetAgentState(line, 2, LINEAGENTSTATE_BUSYACD, 0)), err(LINEERR_INVALAGENTSTATE));
  EXPECT_EQ(c.reply(lineSetAgentActivity(line, 9, 1)), err(LINEERR_INVALADDRESSID));
  std::fill(buf.begin(), buf.end(), 0);
  auto* status = reinterpret_cast<LINEAGENTSTATUS*>(buf.data());
  status->dwTotalSize = static_cast<DWORD>(buf.size());
  ASSERT_EQ(c.reply(lineGetAgentStatusA(line, 2, status)), 0);
  EXPECT_EQ(status->dwState, LINEAGENTSTATE_READY);
  EXPECT_EQ(status->dwNumEntries, 1u);
}

// Microsoft's structure rule: a buffer as big as dwNeededSize gets
// everything. The ACD answers in UTF-8 (docs/acd.md "Character set"), so an
// A client's dwNeededSize is exact even after a partial answer, and a client
// offering exactly the size it needs, A or W, gets the whole structure.
TEST(AgentHandler, ABufferOfTheNeededSizeGetsEverythingInBothCharsets) {
  Site site;
  for (const bool wide : {false, true}) {
    SCOPED_TRACE(wide ? "W client" : "A client");
    Client c(wide);
    ASSERT_EQ(c.init_result(), 0);
    const auto caps_of = [&](DWORD size, std::vector<unsigned char>* buf) {
      buf->assign(size, 0);
      auto* caps = reinterpret_cast<LINEAGENTCAPS*>(buf->data());
      caps->dwTotalSize = size;
      const LONG id = wide ? lineGetAgentCapsW(c.app(), 1, 0, 0x00030001, caps)
                           : lineGetAgentCapsA(c.app(), 1, 0, 0x00030001, caps);
      EXPECT_EQ(c.reply(id), 0);
      return caps;
    };
    std::vector<unsigned char> big;
    const LINEAGENTCAPS* all = caps_of(4096, &big);
    const DWORD needed = all->dwNeededSize;
    ASSERT_EQ(all->dwUsedSize, needed);
    ASSERT_GT(all->dwAgentHandlerInfoSize, 0u);

    std::vector<unsigned char> exact;
    const LINEAGENTCAPS* fits = caps_of(needed, &exact);
    EXPECT_EQ(fits->dwNeededSize, needed);
    EXPECT_EQ(fits->dwUsedSize, needed) << "the whole structure in a buffer of dwNeededSize bytes";
    EXPECT_EQ(fits->dwAgentHandlerInfoSize, all->dwAgentHandlerInfoSize);
    EXPECT_EQ(std::memcmp(exact.data() + 12, big.data() + 12, needed - 12), 0);

    std::vector<unsigned char> fixed;
    const LINEAGENTCAPS* partial = caps_of(sizeof(LINEAGENTCAPS), &fixed);
    EXPECT_EQ(partial->dwUsedSize, sizeof(LINEAGENTCAPS));
    EXPECT_EQ(partial->dwAgentHandlerInfoSize, 0u);
    EXPECT_EQ(partial->dwAgentHandlerInfoOffset, 0u);
    if (wide) {
      EXPECT_GE(partial->dwNeededSize, needed) << "enough for the retry";
    } else {
      EXPECT_EQ(partial->dwNeededSize, needed) << "exact";
    }
  }
}

using opentapi::test_support::FailingStore;

TEST(StoreFailure, RefusedChangeIsNotAcknowledgedAndTheDurableStateComesBack) {
  TempDir dir;
  Opentapid server(dir.path(), 2, 4);
  store::SqliteOptions so;
  so.data_dir = dir.path() + "/data";
  auto inner = store::open_sqlite_store(so);
  ASSERT_TRUE(inner.ok());
  FailingStore failing(**inner);
  acd::ManualClock clock(at(0));
  auto config = acd::parse_config(scenario_config(), "scenario.toml");
  acd::VirtualAcdOptions o;
  o.server_address = server.address();
  o.clock = &clock;
  o.log = [](acd::LogLevel, std::string_view) {};
  auto acd = acd::VirtualAcd::start(*config, failing, o);
  ASSERT_TRUE(acd.ok()) << acd.status().to_string();

  Client agent;
  const HLINE line = agent.open(0);
  HAGENT a = 0;
  HAGENTSESSION s = 0;
  ASSERT_EQ(agent.create_agent(line, "1001", "1111", &a), 0);
  ASSERT_EQ(agent.create_session(line, a, nullptr, 1, guid(kSales), &s), 0);
  ASSERT_EQ(agent.set_session_state(line, s, LINEAGENTSESSIONSTATE_READY, 0), 0);
  agent.drain(100ms);
  (void)agent.take_messages();

  failing.failing = true;
  EXPECT_EQ(agent.set_session_state(line, s, LINEAGENTSESSIONSTATE_NOTREADY, 0), err(LINEERR_RESOURCEUNAVAIL));
  failing.failing = false;
  (*acd)->sync();
  LINEAGENTSESSIONINFO si;
  ASSERT_EQ(agent.session_info(line, s, &si), 0);
  EXPECT_EQ(si.dwAgentSessionState, LINEAGENTSESSIONSTATE_READY);  // the durable state, reloaded
  agent.drain(100ms);
  for (const LINEMESSAGE& m : agent.take_messages()) {
    EXPECT_FALSE(is_session_state(m, s, LINEAGENTSESSIONSTATE_NOTREADY)) << "a refused change was announced";
  }
  EXPECT_EQ(agent.set_session_state(line, s, LINEAGENTSESSIONSTATE_NOTREADY, 0), 0);
  EXPECT_EQ((*acd)->stats().failed_commits, 1u);
  (*acd)->stop();
}

// Issue figure: while the disk was full every refused change logged 1-2
// lines (27 MB in 20 s). Now at most 5 lines of each kind per 10 s, the rest
// counted and summarised (docs/security.md "Logs").
TEST(StoreFailure, RepeatedRefusalsAreLoggedRateLimitedWithASummary) {
  TempDir dir;
  Opentapid server(dir.path(), 2, 4);
  store::SqliteOptions so;
  so.data_dir = dir.path() + "/data";
  auto inner = store::open_sqlite_store(so);
  ASSERT_TRUE(inner.ok());
  FailingStore failing(**inner);
  acd::ManualClock clock(at(0));
  auto config = acd::parse_config(scenario_config(), "scenario.toml");
  std::mutex mu;
  std::vector<std::string> lines;
  acd::VirtualAcdOptions o;
  o.server_address = server.address();
  o.clock = &clock;
  o.log = [&](acd::LogLevel, std::string_view line) {
    std::lock_guard lock(mu);
    lines.emplace_back(line);
  };
  auto acd = acd::VirtualAcd::start(*config, failing, o);
  ASSERT_TRUE(acd.ok()) << acd.status().to_string();
  Client agent;
  const HLINE line = agent.open(0);
  HAGENT a = 0;
  HAGENTSESSION s = 0;
  ASSERT_EQ(agent.create_agent(line, "1001", "1111", &a), 0);
  ASSERT_EQ(agent.create_session(line, a, nullptr, 1, guid(kSales), &s), 0);
  ASSERT_EQ(agent.set_session_state(line, s, LINEAGENTSESSIONSTATE_READY, 0), 0);

  auto count = [&](const std::string& needle) {
    std::lock_guard lock(mu);
    return static_cast<std::size_t>(std::count_if(
        lines.begin(), lines.end(), [&](const std::string& l) { return l.find(needle) != std::string::npos; }));
  };
  constexpr int kRefused = 200;
  failing.failing = true;
  for (int i = 0; i < kRefused; ++i) {
    ASSERT_EQ(agent.set_session_state(line, s, i % 2 ? LINEAGENTSESSIONSTATE_READY : LINEAGENTSESSIONSTATE_NOTREADY, 0),
              err(LINEERR_RESOURCEUNAVAIL));
  }
  failing.failing = false;
  (*acd)->sync();
  const std::size_t failed_lines = count("event=acd-commit-failed");
  const std::size_t reload_lines = count("event=acd-reloaded-after-store-error");
  EXPECT_EQ(failed_lines, 5u);
  EXPECT_LE(reload_lines, 5u);
  EXPECT_EQ((*acd)->stats().failed_commits, static_cast<std::uint64_t>(kRefused));
  // The window ends: one summary line says how many were left out.
  clock.advance_seconds(11);
  (*acd)->sync();
  std::string summary;
  {
    std::lock_guard lock(mu);
    for (const auto& l : lines) {
      if (l.find("event=log-suppressed what=acd-commit-failed") != std::string::npos) summary = l;
    }
  }
  EXPECT_EQ(summary,
            "event=log-suppressed what=acd-commit-failed lines=" + std::to_string(kRefused - 5) + " window_s=10");
  std::printf(
      "[figure] %d changes refused (disk full): %zu commit-failed and %zu reload lines, then one summary of "
      "%d left out\n",
      kRefused, failed_lines, reload_lines, kRefused - 5);
  (*acd)->stop();
}

// docs/acd.md "Audit": request ids were numbered from 1 at every start, so
// two changes of different runs could carry the same one.
TEST(Audit, RequestIdsAreUniqueAcrossRestarts) {
  TempDir dir;
  Opentapid server(dir.path(), 2, 4);
  store::SqliteOptions so;
  so.data_dir = dir.path() + "/data";
  auto st = store::open_sqlite_store(so);
  ASSERT_TRUE(st.ok());
  acd::ManualClock clock(at(0));
  auto config = acd::parse_config(scenario_config(), "scenario.toml");
  acd::VirtualAcdOptions o;
  o.server_address = server.address();
  o.clock = &clock;
  o.log = [](acd::LogLevel, std::string_view) {};
  std::vector<std::uint32_t> ids;
  HAGENTSESSION s = 0;
  for (int run = 0; run < 3; ++run) {
    auto acd = acd::VirtualAcd::start(*config, **st, o);
    ASSERT_TRUE(acd.ok()) << acd.status().to_string();
    {
      Client agent;
      const HLINE line = agent.open(0);
      if (run == 0) {
        HAGENT a = 0;
        ASSERT_EQ(agent.create_agent(line, "1001", "1111", &a), 0);
        ASSERT_EQ(agent.create_session(line, a, nullptr, 1, guid(kSales), &s), 0);
      }
      ASSERT_EQ(agent.set_session_state(line, s,
                                        run % 2 == 0 ? LINEAGENTSESSIONSTATE_READY : LINEAGENTSESSIONSTATE_NOTREADY, 0),
                0);
    }
    (*acd)->stop();
  }
  auto audit = (*st)->audit("session", "", 0, 1000);
  ASSERT_TRUE(audit.ok());
  for (const auto& e : *audit) {
    if (e.request_id != 0 && e.what.find("SetAgentSessionState") != std::string::npos) ids.push_back(e.request_id);
  }
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_LT(ids[0], ids[1]);
  EXPECT_LT(ids[1], ids[2]);
  std::printf("[figure] request ids of one change in each of 3 runs: %u, %u, %u\n", ids[0], ids[1], ids[2]);
}

TEST(Connection, StartsBeforeTheServerAndSurvivesItsRestart) {
  TempDir dir;
  auto c = acd::parse_config(scenario_config(), "scenario.toml");
  store::SqliteOptions so;
  so.data_dir = dir.path() + "/data";
  auto st = store::open_sqlite_store(so);
  ASSERT_TRUE(st.ok());
  acd::VirtualAcdOptions o;
  o.server_address = "unix:" + dir.path() + "/opentapid.sock";
  o.connect_in_background = true;
  o.reconnect_interval = 50ms;
  o.log = [](acd::LogLevel, std::string_view) {};
  auto acd = acd::VirtualAcd::start(*c, **st, o);
  ASSERT_TRUE(acd.ok()) << acd.status().to_string();  // no server yet: still starts

  HAGENT first = 0;
  for (int round = 0; round < 2; ++round) {
    Opentapid server(dir.path(), 2, 4);
    // Wait until the ACD has (re)connected and serves requests.
    LONG rc = 1;
    HAGENT h = 0;
    for (int i = 0; i < 1500 && rc != 0; ++i) {  // at least 30 s
      Client agent;
      const HLINE line = agent.open(0);
      rc = line == 0 ? 1 : agent.create_agent(line, "1001", "1111", &h);
      if (rc != 0) std::this_thread::sleep_for(20ms);
    }
    ASSERT_EQ(rc, 0) << "round " << round;
    if (round == 0) first = h;
    EXPECT_EQ(h, first);
  }
  EXPECT_GE((*acd)->stats().reconnects, 2u);
  (*acd)->stop();
}

}  // namespace
}  // namespace acd_test
