#include "acd/switch_calls.h"

#include <gtest/gtest.h>

#include <memory>

#include "acd/test_support.h"
#include "tapi.h"

namespace opentapi::acd {
namespace {

using core::SessionState;
using testing::at;
using testing::sales;
using testing::user;
using Kind = SwitchAction::Kind;

constexpr std::uint32_t kReady = LINEAGENTSESSIONSTATE_READY;

// The CallCenter of test_support.h with the bridge attached, and the switch
// played by hand: numbers as opentapid gives them by default.
class SwitchCallsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cc->attach_switch(&bridge);
    SwitchNumbers n;
    n.stations[{0, 0}] = "2001";
    n.stations[{0, 1}] = "2002";
    n.stations[{1, 0}] = "2005";
    n.queues[1] = "8001";
    n.queues[2] = "8002";
    n.queues[3] = "8003";
    bridge.connected(n, at(0));
    (void)cc->take_effects();
  }

  SessionHandle ready_agent(const std::string& owner, const std::string& id, const std::string& pin, AddressId address,
                            core::TimePoint now) {
    auto a = cc->create_agent(user(owner), id, pin, now);
    EXPECT_TRUE(a.ok()) << a.status().to_string();
    auto s = cc->create_session(user(owner), *a, "", 0, address, sales(), now);
    EXPECT_TRUE(s.ok()) << s.status().to_string();
    EXPECT_TRUE(cc->set_session_state(user(owner), *s, kReady, 0, now).ok());
    return *s;
  }

  // A caller (appearance `caller_id`) dials queue 1: offered at the route point as `hcall`.
  void offer(CallHandle hcall, std::uint32_t caller_id, core::TimePoint now, core::QueueId queue = 1) {
    SwitchFact f;
    f.kind = SwitchFact::Kind::kOffered;
    f.hcall = hcall;
    f.queue = queue;
    f.call_id = caller_id + 1;
    f.related_id = caller_id;
    f.caller_number = "0612345678";
    f.caller_name = "Jane Doe";
    bridge.on(f, now);
  }
  void ring_at_station(CallHandle hcall, std::uint32_t device, std::uint32_t address, std::uint32_t caller_id,
                       core::TimePoint now) {
    SwitchFact f;
    f.kind = SwitchFact::Kind::kStation;
    f.hcall = hcall;
    f.device = device;
    f.address = address;
    f.call_id = caller_id + 10;
    f.related_id = caller_id;
    bridge.on(f, now);
  }
  void state(CallHandle hcall, std::uint32_t s, core::TimePoint now) {
    SwitchFact f;
    f.kind = SwitchFact::Kind::kState;
    f.hcall = hcall;
    f.state = s;
    bridge.on(f, now);
  }
  CallId only_call() const {
    auto calls = cc->call_views();
    EXPECT_EQ(calls.size(), 1u);
    return calls.empty() ? 0 : calls.front().id;
  }

  std::unique_ptr<CallCenter> cc = std::make_unique<CallCenter>(testing::test_config(), at(0));
  SwitchCalls bridge{*cc};
};

TEST_F(SwitchCallsTest, ACallToAQueueIsRedirectedToTheReadyAgentWithItsCallData) {
  const SessionHandle s = ready_agent("alice", "1001", "1111", 1, at(0));
  offer(/*hcall=*/50, /*caller=*/7, at(10));
  EXPECT_EQ(cc->session(s)->state(), SessionState::kBusyOnCall);
  const auto actions = bridge.take_actions();
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].kind, Kind::kRedirect);
  EXPECT_EQ(actions[0].hcall, 50u);
  EXPECT_EQ(actions[0].destination, "2002");  // line 0, address 1
  EXPECT_EQ(actions[0].call_data, "queue=1;queue_name=Sales;waiting=0");
  const CallView v = cc->call_views().front();
  EXPECT_EQ(v.caller_number, "0612345678");
  EXPECT_EQ(v.caller_name, "Jane Doe");
  EXPECT_EQ(call_origin(v.id), CallOrigin::kSwitch);
}

TEST_F(SwitchCallsTest, AnsweredAtTheStationThenHungUpEndsIntoWrapUp) {
  const SessionHandle s = ready_agent("alice", "1001", "1111", 0, at(0));
  offer(50, 7, at(10));
  (void)bridge.take_actions();
  state(50, LINECALLSTATE_IDLE, at(10));  // redirected away from the route point
  ring_at_station(60, 0, 0, 7, at(10));
  state(60, LINECALLSTATE_OFFERING, at(10));
  state(60, LINECALLSTATE_CONNECTED, at(14));
  EXPECT_EQ(cc->call_views().front().phase, CallPhase::kTalking);
  state(60, LINECALLSTATE_IDLE, at(74));  // the agent hung up
  EXPECT_EQ(cc->call_count(), 0u);
  EXPECT_EQ(cc->session(s)->state(), SessionState::kBusyWrapUp);
  EXPECT_EQ(cc->session_info(s, at(80))->total_talk_time, 60u);
  EXPECT_EQ(bridge.size(), 0u);
  EXPECT_TRUE(bridge.take_actions().empty());
}

TEST_F(SwitchCallsTest, TheCallerHangingUpWhileItRingsIsAbandoned) {
  const SessionHandle s = ready_agent("alice", "1001", "1111", 0, at(0));
  offer(50, 7, at(10));
  state(50, LINECALLSTATE_IDLE, at(10));
  ring_at_station(60, 0, 0, 7, at(10));
  state(60, LINECALLSTATE_DISCONNECTED, at(13));
  EXPECT_EQ(cc->call_count(), 0u);
  EXPECT_EQ(cc->queue_info(1, at(20))->total_calls_abandoned, 0u);  // it had left the queue
  EXPECT_EQ(cc->session(s)->state(), SessionState::kReady);         // never answered: no wrap-up
}

TEST_F(SwitchCallsTest, TheCallerHangingUpInTheQueueIsAbandonedAndDropped) {
  offer(50, 7, at(10));
  const CallId call = only_call();
  state(50, LINECALLSTATE_DISCONNECTED, at(30));
  EXPECT_EQ(cc->call_count(), 0u);
  EXPECT_EQ(cc->queue_info(1, at(40))->total_calls_abandoned, 1u);
  const auto actions = bridge.take_actions();
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0], (SwitchAction{Kind::kDrop, call, 50, {}, {}, {}, {}}));
  state(50, LINECALLSTATE_IDLE, at(30));
  EXPECT_EQ(bridge.size(), 0u);
}

TEST_F(SwitchCallsTest, RingNoAnswerTakesTheCallBackToTheHeadOfItsQueue) {
  const SessionHandle s = ready_agent("alice", "1001", "1111", 0, at(0));
  offer(50, 7, at(10));
  const CallId call = only_call();
  state(50, LINECALLSTATE_IDLE, at(10));
  ring_at_station(60, 0, 0, 7, at(10));
  (void)bridge.take_actions();
  offer(51, 20, at(15));                   // a second caller waits behind it
  EXPECT_EQ(cc->next_deadline(), at(30));  // ring_timeout_seconds = 20
  cc->advance_to(at(30));
  EXPECT_EQ(cc->session(s)->state(), SessionState::kNotReady);
  const auto actions = bridge.take_actions();
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0], (SwitchAction{Kind::kTakeBack, call, 60, "8001", {}, {}, {}}));
  ASSERT_EQ(cc->queue(1)->waiting().size(), 2u);
  EXPECT_EQ(cc->queue(1)->waiting()[0].call, call);  // at the head, as it entered at 10
  EXPECT_EQ(cc->queue(1)->waiting()[0].entered_at, at(10));
  // Its station appearance goes IDLE: the call lives on.
  state(60, LINECALLSTATE_IDLE, at(30));
  EXPECT_EQ(cc->call_count(), 2u);
  // It comes back to the route point; the next READY agent gets it first.
  offer(52, 7, at(30));
  const SessionHandle s2 = ready_agent("bob", "1002", "2222", 1, at(31));
  EXPECT_EQ(cc->session(s2)->state(), SessionState::kBusyOnCall);
  EXPECT_EQ(*cc->session(s2)->current_call(), call);
  const auto again = bridge.take_actions();
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].kind, Kind::kRedirect);
  EXPECT_EQ(again[0].hcall, 52u);
  EXPECT_EQ(again[0].destination, "2002");
}

TEST_F(SwitchCallsTest, ADeliveryBeforeTheCallIsBackAtTheRoutePointWaitsForIt) {
  ready_agent("alice", "1001", "1111", 0, at(0));
  offer(50, 7, at(10));
  const CallId call = only_call();
  state(50, LINECALLSTATE_IDLE, at(10));
  ring_at_station(60, 0, 0, 7, at(10));
  cc->advance_to(at(30));
  (void)bridge.take_actions();
  // Routed again before the switch offers it back.
  const SessionHandle s2 = ready_agent("bob", "1002", "2222", 1, at(30));
  EXPECT_EQ(*cc->session(s2)->current_call(), call);
  EXPECT_TRUE(bridge.take_actions().empty());
  offer(52, 7, at(31));
  const auto actions = bridge.take_actions();
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].kind, Kind::kRedirect);
  EXPECT_EQ(actions[0].hcall, 52u);
}

TEST_F(SwitchCallsTest, AFailedRedirectIsTakenBackLikeRingNoAnswer) {
  const SessionHandle s = ready_agent("alice", "1001", "1111", 0, at(0));
  offer(50, 7, at(10));
  const CallId call = only_call();
  (void)bridge.take_actions();
  SwitchFact f;
  f.kind = SwitchFact::Kind::kFailed;
  f.call = call;
  f.hcall = 50;
  bridge.on(f, at(11));
  EXPECT_EQ(cc->session(s)->state(), SessionState::kNotReady);
  EXPECT_EQ(cc->call_views().front().phase, CallPhase::kQueued);
  EXPECT_TRUE(bridge.take_actions().empty());
  // Still at the route point: the next READY agent gets it from there.
  const SessionHandle s2 = ready_agent("bob", "1002", "2222", 1, at(12));
  EXPECT_EQ(*cc->session(s2)->current_call(), call);
  const auto actions = bridge.take_actions();
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].hcall, 50u);
  EXPECT_EQ(actions[0].destination, "2002");
}

TEST_F(SwitchCallsTest, AfterARestartQueuedCallsArePlacedAgainAndOthersEnd) {
  const SessionHandle s = ready_agent("alice", "1001", "1111", 0, at(0));
  offer(50, 7, at(10));   // delivered to alice
  offer(51, 20, at(12));  // waits
  const CallId waiting = cc->call_views().back().id;
  (void)bridge.take_actions();
  // A new connection: the switch has none of these calls any more.
  SwitchNumbers n;
  n.stations[{0, 0}] = "2001";
  n.queues[1] = "8001";
  bridge.connected(n, at(100));
  // The ringing call ended (never answered: no wrap-up), and alice, READY
  // again, gets the waiting call at once; it rings once the switch has it.
  EXPECT_EQ(cc->session(s)->state(), SessionState::kBusyOnCall);
  EXPECT_EQ(*cc->session(s)->current_call(), waiting);
  const auto actions = bridge.take_actions();
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0], (SwitchAction{Kind::kPlace, waiting, 0, "8001", {}, "0612345678", "Jane Doe"}));
  // Placed from the trunk: it arrives with the trunk appearance as caller.
  SwitchFact placed;
  placed.kind = SwitchFact::Kind::kPlaced;
  placed.call = waiting;
  placed.hcall = 90;
  placed.call_id = 300;
  bridge.on(placed, at(101));
  offer(91, 300, at(101));
  ASSERT_EQ(cc->call_count(), 1u);
  EXPECT_EQ(cc->call_views().front().id, waiting);
  EXPECT_EQ(cc->session(s)->state(), SessionState::kBusyOnCall);
  const auto redirect = bridge.take_actions();
  ASSERT_EQ(redirect.size(), 1u);
  EXPECT_EQ(redirect[0].hcall, 91u);
}

}  // namespace
}  // namespace opentapi::acd
