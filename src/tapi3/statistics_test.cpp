// Statistics getters (docs/reference/flows.md §5): each is one lineGetAgentSessionInfo /
// lineGetAgentInfo / lineGetQueueInfo round trip, reused for up to the cache
// lifetime and dropped early on UPDATEINFO / STATE (§5.6).
#include <thread>

#include "tapi3/testing/test_support.h"

namespace opentapi::tapi3::testing {
namespace {

class Statistics : public TapiTest {
 protected:
  void start(EngineOptions options = {}) {
    initialize(options);
    session_ = session(&agent_);
    ASSERT_TRUE(session_);
    LINEAGENTSESSIONINFO info{};
    info.dwTotalSize = sizeof info;
    info.dwAgentSessionState = LINEAGENTSESSIONSTATE_READY;
    info.dateSessionStartTime = 45000.5;
    info.dwSessionDuration = 3600;
    info.dwNumberOfCalls = 12;
    info.dwTotalTalkTime = 1200;
    info.dwAverageTalkTime = 100;
    info.dwTotalCallTime = 1800;
    info.dwAverageCallTime = 150;
    info.dwTotalWrapUpTime = 600;
    info.dwAverageWrapUpTime = 50;
    info.cyACDCallRate.int64 = 120000;  // 12.0 calls per hour
    info.dwLongestTimeToAnswer = 30;
    info.dwAverageTimeToAnswer = 9;
    fake_->set_session_info(kFirstSession, info);
  }
  void TearDown() override {
    session_.reset();
    agent_.reset();
    TapiTest::TearDown();
  }
  Ref<ITAgentSession> session_;
  Ref<ITAgent> agent_;
};

TEST_F(Statistics, SessionGettersInARowCostOneRoundTrip) {
  ScopedEnv tz("TZ", "UTC0");
  tzset();
  start();
  LONG v = 0;
  DATE start_time = 0;
  CURRENCY rate{};
  EXPECT_EQ(session_->get_SessionStartTime(&start_time), S_OK);
  EXPECT_DOUBLE_EQ(start_time, 45000.5);
  EXPECT_EQ(session_->get_SessionDuration(&v), S_OK);
  EXPECT_EQ(v, 3600);
  EXPECT_EQ(session_->get_NumberOfCalls(&v), S_OK);
  EXPECT_EQ(v, 12);
  EXPECT_EQ(session_->get_TotalTalkTime(&v), S_OK);
  EXPECT_EQ(v, 1200);
  EXPECT_EQ(session_->get_AverageTalkTime(&v), S_OK);
  EXPECT_EQ(v, 100);
  EXPECT_EQ(session_->get_TotalCallTime(&v), S_OK);
  EXPECT_EQ(v, 1800);
  EXPECT_EQ(session_->get_AverageCallTime(&v), S_OK);
  EXPECT_EQ(v, 150);
  EXPECT_EQ(session_->get_TotalWrapUpTime(&v), S_OK);
  EXPECT_EQ(v, 600);
  EXPECT_EQ(session_->get_AverageWrapUpTime(&v), S_OK);
  EXPECT_EQ(v, 50);
  EXPECT_EQ(session_->get_ACDCallRate(&rate), S_OK);
  EXPECT_EQ(rate.int64, 120000);
  EXPECT_EQ(session_->get_LongestTimeToAnswer(&v), S_OK);
  EXPECT_EQ(v, 30);
  EXPECT_EQ(session_->get_AverageTimeToAnswer(&v), S_OK);
  EXPECT_EQ(v, 9);
  long c_long = 0;  // Windows code passes C `long`
  EXPECT_EQ(session_->get_NumberOfCalls(&c_long), S_OK);
  EXPECT_EQ(c_long, 12);
  EXPECT_EQ(session_->get_SessionDuration(&v), S_OK);
  EXPECT_EQ(fake_->count("get_agent_session_info"), 1);  // 14 getters, one round trip
  tzset();
}

TEST_F(Statistics, SessionStartTimeIsConvertedToLocalTime) {
  ScopedEnv tz("TZ", "XYZ-2");
  tzset();
  start();
  DATE t = 0;
  EXPECT_EQ(session_->get_SessionStartTime(&t), S_OK);
  EXPECT_DOUBLE_EQ(t, 45000.5 + 2.0 / 24.0);
  tzset();
}

TEST_F(Statistics, CachedValuesExpire) {
  EngineOptions options;
  options.stats_ttl = 300ms;
  start(options);
  LONG v = 0;
  const auto before = Clock::now();
  EXPECT_EQ(session_->get_NumberOfCalls(&v), S_OK);
  EXPECT_EQ(session_->get_NumberOfCalls(&v), S_OK);
  const auto second_read = Clock::now();
  if (second_read - before < 300ms) {
    EXPECT_EQ(fake_->count("get_agent_session_info"), 1);  // still fresh
  }
  // Read until the cache expires: one more fetch, no sooner than 300 ms
  // after the first.
  ASSERT_TRUE(eventually([&] {
    EXPECT_EQ(session_->get_NumberOfCalls(&v), S_OK);
    return fake_->count("get_agent_session_info") >= 2;
  }));
  EXPECT_GE(Clock::now() - before, 300ms);
  EXPECT_EQ(fake_->count("get_agent_session_info"), 2);
}

TEST_F(Statistics, UpdateInfoAndStateDropTheCacheEarly) {
  start();
  LONG v = 0;
  EXPECT_EQ(session_->get_NumberOfCalls(&v), S_OK);
  EXPECT_EQ(v, 12);
  LINEAGENTSESSIONINFO info{};
  info.dwTotalSize = sizeof info;
  info.dwNumberOfCalls = 13;
  fake_->set_session_info(kFirstSession, info);
  fake_->post(LINE_AGENTSESSIONSTATUS, line_of(0), kFirstSession, LINEAGENTSESSIONSTATUS_UPDATEINFO, 0);
  ASSERT_TRUE(fake_->drain());
  EXPECT_EQ(session_->get_NumberOfCalls(&v), S_OK);
  EXPECT_EQ(v, 13);
  EXPECT_EQ(fake_->count("get_agent_session_info"), 2);
  fake_->post(LINE_AGENTSESSIONSTATUS, line_of(0), kFirstSession, LINEAGENTSESSIONSTATUS_STATE,
              LINEAGENTSESSIONSTATE_READY);
  ASSERT_TRUE(fake_->drain());
  EXPECT_EQ(session_->get_NumberOfCalls(&v), S_OK);
  EXPECT_EQ(fake_->count("get_agent_session_info"), 3);
  // Another session's update leaves this cache alone.
  fake_->post(LINE_AGENTSESSIONSTATUS, line_of(0), kFirstSession + 7, LINEAGENTSESSIONSTATUS_UPDATEINFO, 0);
  ASSERT_TRUE(fake_->drain());
  EXPECT_EQ(session_->get_NumberOfCalls(&v), S_OK);
  EXPECT_EQ(fake_->count("get_agent_session_info"), 3);
}

TEST_F(Statistics, GettersReportNullPointersAndLineErrors) {
  start();
  EXPECT_EQ(session_->get_NumberOfCalls(nullptr), E_POINTER);
  EXPECT_EQ(session_->get_ACDCallRate(nullptr), E_POINTER);
  EXPECT_EQ(session_->get_SessionStartTime(nullptr), E_POINTER);
  EXPECT_EQ(fake_->count("get_agent_session_info"), 0);
  fake_->set_policy("get_agent_session_info", {FakeTapi2::Mode::kReplyError, LINEERR_INVALPARAM});
  LONG v = 0;
  EXPECT_EQ(session_->get_TotalTalkTime(&v), static_cast<HRESULT>(LINEERR_INVALPARAM));
  fake_->set_policy("get_agent_session_info", {FakeTapi2::Mode::kSyncError, LINEERR_OPERATIONUNAVAIL});
  EXPECT_EQ(session_->get_TotalTalkTime(&v), static_cast<HRESULT>(LINEERR_OPERATIONUNAVAIL));
}

TEST_F(Statistics, AgentGettersInARowCostOneRoundTrip) {
  start();
  LINEAGENTINFO info{};
  info.dwTotalSize = sizeof info;
  info.dwMeasurementPeriod = 900;
  info.cyOverallCallRate.int64 = 55000;
  info.dwNumberOfACDCalls = 7;
  info.dwNumberOfIncomingCalls = 3;
  info.dwNumberOfOutgoingCalls = 2;
  info.dwTotalACDTalkTime = 700;
  info.dwTotalACDCallTime = 900;
  info.dwTotalACDWrapUpTime = 200;
  fake_->set_agent_info(kFirstAgent, info);
  LONG v = 0;
  CURRENCY rate{};
  EXPECT_EQ(agent_->get_MeasurementPeriod(&v), S_OK);
  EXPECT_EQ(v, 900);
  EXPECT_EQ(agent_->get_OverallCallRate(&rate), S_OK);
  EXPECT_EQ(rate.int64, 55000);
  EXPECT_EQ(agent_->get_NumberOfACDCalls(&v), S_OK);
  EXPECT_EQ(v, 7);
  EXPECT_EQ(agent_->get_NumberOfIncomingCalls(&v), S_OK);
  EXPECT_EQ(v, 3);
  EXPECT_EQ(agent_->get_NumberOfOutgoingCalls(&v), S_OK);
  EXPECT_EQ(v, 2);
  EXPECT_EQ(agent_->get_TotalACDTalkTime(&v), S_OK);
  EXPECT_EQ(v, 700);
  EXPECT_EQ(agent_->get_TotalACDCallTime(&v), S_OK);
  EXPECT_EQ(v, 900);
  EXPECT_EQ(agent_->get_TotalWrapUpTime(&v), S_OK);
  EXPECT_EQ(v, 200);
  EXPECT_EQ(fake_->count("get_agent_info"), 1);
  EXPECT_EQ(agent_->get_TotalWrapUpTime(nullptr), E_POINTER);
  // put_MeasurementPeriod resets the counters: the cached copy is dropped.
  ASSERT_EQ(agent_->put_MeasurementPeriod(60), S_OK);
  EXPECT_EQ(agent_->get_MeasurementPeriod(&v), S_OK);
  EXPECT_EQ(v, 60);
  EXPECT_EQ(fake_->count("get_agent_info"), 2);
  fake_->post(LINE_AGENTSTATUSEX, line_of(0), kFirstAgent, LINEAGENTSTATUSEX_UPDATEINFO, 0);
  ASSERT_TRUE(fake_->drain());
  EXPECT_EQ(agent_->get_MeasurementPeriod(&v), S_OK);
  EXPECT_EQ(fake_->count("get_agent_info"), 3);
}

TEST_F(Statistics, QueueGettersInARowCostOneRoundTrip) {
  start();
  LINEQUEUEINFO info{};
  info.dwTotalSize = sizeof info;
  info.dwMeasurementPeriod = 3600;
  info.dwTotalCallsQueued = 40;
  info.dwCurrentCallsQueued = 3;
  info.dwTotalCallsAbandoned = 4;
  info.dwTotalCallsFlowedIn = 5;
  info.dwTotalCallsFlowedOut = 6;
  info.dwLongestEverWaitTime = 300;
  info.dwCurrentLongestWaitTime = 45;
  info.dwAverageWaitTime = 20;
  info.dwFinalDisposition = 1;
  fake_->set_queue_info(kQueueSales, info);
  auto g = group(handler().get());
  Ref<IEnumQueue> qe;
  ASSERT_EQ(g->EnumerateQueues(qe.out()), S_OK);
  Ref<ITQueue> q;
  ASSERT_EQ(qe->Next(1, q.out(), nullptr), S_OK);
  LONG v = 0;
  EXPECT_EQ(q->get_MeasurementPeriod(&v), S_OK);
  EXPECT_EQ(v, 3600);
  EXPECT_EQ(q->get_TotalCallsQueued(&v), S_OK);
  EXPECT_EQ(v, 40);
  EXPECT_EQ(q->get_CurrentCallsQueued(&v), S_OK);
  EXPECT_EQ(v, 3);
  EXPECT_EQ(q->get_TotalCallsAbandoned(&v), S_OK);
  EXPECT_EQ(v, 4);
  EXPECT_EQ(q->get_TotalCallsFlowedIn(&v), S_OK);
  EXPECT_EQ(v, 5);
  EXPECT_EQ(q->get_TotalCallsFlowedOut(&v), S_OK);
  EXPECT_EQ(v, 6);
  EXPECT_EQ(q->get_LongestEverWaitTime(&v), S_OK);
  EXPECT_EQ(v, 300);
  EXPECT_EQ(q->get_CurrentLongestWaitTime(&v), S_OK);
  EXPECT_EQ(v, 45);
  EXPECT_EQ(q->get_AverageWaitTime(&v), S_OK);
  EXPECT_EQ(v, 20);
  EXPECT_EQ(q->get_FinalDisposition(&v), S_OK);
  EXPECT_EQ(v, 1);
  EXPECT_EQ(fake_->count("get_queue_info"), 1);
  EXPECT_EQ(fake_->calls().back().handle, kQueueSales);
  fake_->post(LINE_QUEUESTATUS, line_of(0), kQueueSales, LINEQUEUESTATUS_UPDATEINFO, 0);
  ASSERT_TRUE(fake_->drain());
  EXPECT_EQ(q->get_TotalCallsQueued(&v), S_OK);
  EXPECT_EQ(fake_->count("get_queue_info"), 2);
}

TEST_F(Statistics, QueueGettersTimeOutLikeTheirSiblings) {
  ScopedEnv env("OPENTAPI_REQUEST_TIMEOUT_MS", "100");
  start();
  auto g = group(handler().get());
  Ref<IEnumQueue> qe;
  ASSERT_EQ(g->EnumerateQueues(qe.out()), S_OK);
  Ref<ITQueue> q;
  ASSERT_EQ(qe->Next(1, q.out(), nullptr), S_OK);
  fake_->set_policy("get_queue_info", {FakeTapi2::Mode::kHold, 0});
  LONG v = 0;
  EXPECT_EQ(q->get_CurrentCallsQueued(&v), TAPI_E_TIMEOUT);
}

}  // namespace
}  // namespace opentapi::tapi3::testing
