// ITAgentSession::put_State, the seed method (docs/reference/flows.md §3): validation
// without a TAPI 2 call, the mapping, LINEERR pass-through, the time limit,
// late replies, Shutdown while waiting, status messages before the reply,
// and replies that overtake the request id.
#include <atomic>
#include <future>
#include <thread>

#include "tapi3/testing/test_support.h"

namespace opentapi::tapi3::testing {
namespace {

class PutState : public TapiTest {
 protected:
  void start(EngineOptions options = {}) {
    initialize(options);
    session_ = session();
    ASSERT_TRUE(session_);
  }
  void TearDown() override {
    session_.reset();
    TapiTest::TearDown();
  }
  AGENT_SESSION_STATE state() {
    AGENT_SESSION_STATE s{};
    EXPECT_EQ(session_->get_State(&s), S_OK);
    return s;
  }
  Ref<ITAgentSession> session_;
};

TEST_F(PutState, MapsEachStateAndPassesNextStateZero) {
  start();
  const struct {
    AGENT_SESSION_STATE state;
    DWORD line_state;
  } path[] = {{ASST_READY, LINEAGENTSESSIONSTATE_READY},
              {ASST_BUSY_ON_CALL, LINEAGENTSESSIONSTATE_BUSYONCALL},
              {ASST_BUSY_WRAPUP, LINEAGENTSESSIONSTATE_BUSYWRAPUP},
              {ASST_NOT_READY, LINEAGENTSESSIONSTATE_NOTREADY},
              {ASST_SESSION_ENDED, LINEAGENTSESSIONSTATE_ENDED}};
  for (const auto& step : path) {
    if (step.state == ASST_NOT_READY) {
      ASSERT_EQ(session_->put_State(ASST_READY), S_OK);  // wrap-up -> ready -> not ready
    }
    ASSERT_EQ(session_->put_State(step.state), S_OK) << step.state;
    const auto call = fake_->calls().back();
    EXPECT_EQ(call.function, "set_agent_session_state");
    EXPECT_EQ(call.value, step.line_state);
    EXPECT_EQ(call.handle, kFirstSession);
    EXPECT_EQ(call.line, line_of(0));
    ASSERT_TRUE(fake_->drain());
    EXPECT_EQ(state(), step.state);
  }
}

TEST_F(PutState, RejectsValuesOutsideTheEnumWithoutCallingTapi2) {
  start();
  const int before = fake_->count("set_agent_session_state");
  for (const LONG bad : {5, -1, 0x10, 0x7FFFFFFF}) {
    EXPECT_EQ(call_with_raw_enum(session_.get(), &ITAgentSession::put_State, bad), E_INVALIDARG) << bad;
  }
  EXPECT_EQ(fake_->count("set_agent_session_state"), before);
}

TEST_F(PutState, PassesTheProxysLineErrorThroughUnchanged) {
  start();
  // NOT_READY -> BUSY_WRAPUP is not in the transition table: the proxy says so.
  EXPECT_EQ(session_->put_State(ASST_BUSY_WRAPUP), static_cast<HRESULT>(0x8000005A));
  EXPECT_EQ(session_->put_State(ASST_BUSY_WRAPUP), static_cast<HRESULT>(LINEERR_INVALAGENTSTATE));
  ASSERT_TRUE(fake_->drain());
  EXPECT_EQ(state(), ASST_NOT_READY);
}

TEST_F(PutState, PassesASynchronousLineErrorThroughAtOnce) {
  ScopedEnv env("OPENTAPI_REQUEST_TIMEOUT_MS", "60000");
  start();
  fake_->set_policy("set_agent_session_state", {FakeTapi2::Mode::kSyncError, LINEERR_OPERATIONUNAVAIL});
  const auto t0 = Clock::now();
  EXPECT_EQ(session_->put_State(ASST_READY), static_cast<HRESULT>(LINEERR_OPERATIONUNAVAIL));
  EXPECT_LT(Clock::now() - t0, 1s);  // no time limit applies to a synchronous failure
  fake_->set_policy("set_agent_session_state", {FakeTapi2::Mode::kReplyError, LINEERR_OPERATIONFAILED});
  EXPECT_EQ(session_->put_State(ASST_READY), static_cast<HRESULT>(0x80000048));
}

TEST_F(PutState, GetStateChangesOnlyWithTheStatusMessage) {
  start();
  fake_->set_policy("set_agent_session_state", {FakeTapi2::Mode::kHold, 0});
  auto result = std::async(std::launch::async, [&] { return session_->put_State(ASST_READY); });
  const auto call = fake_->wait_call("set_agent_session_state");
  ASSERT_TRUE(call);
  fake_->reply(call->id, 0);  // success, but the proxy has not announced anything yet
  EXPECT_EQ(result.get(), S_OK);
  ASSERT_TRUE(fake_->drain());
  EXPECT_EQ(state(), ASST_NOT_READY);  // docs/reference/flows.md §3.3 step 11
  fake_->post(LINE_AGENTSESSIONSTATUS, line_of(0), kFirstSession, LINEAGENTSESSIONSTATUS_STATE,
              LINEAGENTSESSIONSTATE_READY);
  ASSERT_TRUE(fake_->drain());
  EXPECT_EQ(state(), ASST_READY);
}

TEST_F(PutState, CopesWithTheStatusMessageArrivingBeforeTheReply) {
  start();
  auto* sink = advise(TE_AGENTSESSION);
  fake_->status_before_reply = true;
  ASSERT_EQ(session_->put_State(ASST_READY), S_OK);
  ASSERT_TRUE(fake_->drain());
  EXPECT_EQ(state(), ASST_READY);
  ASSERT_TRUE(sink->wait_for(1));
  ASSERT_TRUE(settle());
  ASSERT_EQ(sink->events().size(), 1u);
  EXPECT_EQ(sink->events()[0].code, ASE_READY);
}

TEST_F(PutState, ParksAReplyThatOvertakesTheRequestId) {
  start();
  fake_->reply_overtakes_return = true;
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(session_->put_State(i % 2 == 0 ? ASST_READY : ASST_NOT_READY), S_OK) << i;
  }
  fake_->reply_overtakes_return = false;
  EXPECT_EQ(session_->put_State(ASST_BUSY_WRAPUP), static_cast<HRESULT>(LINEERR_INVALAGENTSTATE));
}

TEST_F(PutState, TimesOutAfterTheConfiguredLimitAndDiscardsTheLateReply) {
  ScopedEnv env("OPENTAPI_REQUEST_TIMEOUT_MS", "200");
  start();
  fake_->set_policy("set_agent_session_state", {FakeTapi2::Mode::kHold, 0});
  const auto t0 = Clock::now();
  EXPECT_EQ(session_->put_State(ASST_READY), TAPI_E_TIMEOUT);
  const auto waited = Clock::now() - t0;
  EXPECT_GE(waited, 190ms);
  EXPECT_LT(waited, 3s);
  // The proxy applies the change late: the reply is discarded, the status
  // message still updates the cache (docs/reference/flows.md §6.2.4).
  const auto call = fake_->wait_call("set_agent_session_state");
  ASSERT_TRUE(call);
  fake_->complete(call->id);
  ASSERT_TRUE(fake_->drain());
  EXPECT_EQ(state(), ASST_READY);
  fake_->set_policy("set_agent_session_state", {FakeTapi2::Mode::kReply, 0});
  EXPECT_EQ(session_->put_State(ASST_NOT_READY), S_OK);
}

TEST_F(PutState, LateReplyWritesIntoALayerOwnedBuffer) {
  ScopedEnv env("OPENTAPI_REQUEST_TIMEOUT_MS", "100");
  start();
  fake_->set_policy("get_agent_session_info", {FakeTapi2::Mode::kHold, 0});
  LONG calls = 0;
  EXPECT_EQ(session_->get_NumberOfCalls(&calls), TAPI_E_TIMEOUT);
  const auto call = fake_->wait_call("get_agent_session_info");
  ASSERT_TRUE(call);
  // The caller's stack frame is gone; the proxy's late answer is written into
  // the buffer the layer kept (ASan would catch anything else).
  fake_->complete(call->id);
  ASSERT_TRUE(fake_->drain());
  fake_->set_policy("get_agent_session_info", {FakeTapi2::Mode::kReply, 0});
  EXPECT_EQ(session_->get_NumberOfCalls(&calls), S_OK);
}

TEST_F(PutState, ShutdownEndsAWaitAtOnce) {
  start();  // default two-minute limit
  fake_->set_policy("set_agent_session_state", {FakeTapi2::Mode::kHold, 0});
  auto result = std::async(std::launch::async, [&] { return session_->put_State(ASST_READY); });
  const auto call = fake_->wait_call("set_agent_session_state");
  ASSERT_TRUE(call);
  // Held: it does not return by itself.
  EXPECT_EQ(result.wait_for(20ms), std::future_status::timeout);
  const auto t0 = Clock::now();
  ASSERT_EQ(tapi_->Shutdown(), S_OK);
  ASSERT_EQ(result.wait_for(2s), std::future_status::ready);
  EXPECT_EQ(result.get(), TAPI_E_NOT_INITIALIZED);
  EXPECT_LT(Clock::now() - t0, 2s);
  fake_->complete(call->id);  // after lineShutdown: nothing is delivered or written
  EXPECT_EQ(session_->put_State(ASST_READY), TAPI_E_NOT_INITIALIZED);
}

TEST_F(PutState, ManyThreadsWaitIndependently) {
  start();
  Ref<ITAgent> a;
  std::vector<Ref<ITAgentSession>> sessions;
  auto h = handler();
  ASSERT_EQ(h->CreateAgent(a.out()), S_OK);
  auto g = group(h.get());
  auto addr = address(h.get());
  for (int i = 0; i < 4; ++i) {
    Ref<ITAgentSession> s;
    ASSERT_EQ(a->CreateSession(g.get(), addr.get(), s.out()), S_OK);
    sessions.push_back(std::move(s));
  }
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (auto& s : sessions) {
    threads.emplace_back([&failures, p = s.get()] {
      for (int i = 0; i < 50; ++i) {
        if (p->put_State(i % 2 == 0 ? ASST_READY : ASST_NOT_READY) != S_OK) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST_F(PutState, AnEndedSessionIsStillForwardedToTheProxy) {
  start();
  ASSERT_EQ(session_->put_State(ASST_SESSION_ENDED), S_OK);
  ASSERT_TRUE(fake_->drain());
  EXPECT_EQ(state(), ASST_SESSION_ENDED);
  const int before = fake_->count("set_agent_session_state");
  EXPECT_EQ(session_->put_State(ASST_READY), static_cast<HRESULT>(LINEERR_INVALAGENTSTATE));
  EXPECT_EQ(fake_->count("set_agent_session_state"), before + 1);
}

}  // namespace
}  // namespace opentapi::tapi3::testing
