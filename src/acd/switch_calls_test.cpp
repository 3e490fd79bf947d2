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
    n.trunk = true;
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
  // The simulator's caller: queued through the bridge (the simulator's
  // CallSink), placed from the trunk as `trunk` (appearance `caller_id`) and
  // offered at the route point as `route`.
  CallId simulated_call(CallHandle trunk, std::uint32_t caller_id, CallHandle route, core::TimePoint now) {
    const CallId id = bridge.new_call_id(CallOrigin::kSimulator);
    EXPECT_TRUE(bridge.on_call_queued(id, 1, now).ok());
    placed(id, trunk, caller_id, now);
    offer(route, caller_id, now);
    return id;
  }
  void placed(CallId call, CallHandle trunk, std::uint32_t caller_id, core::TimePoint now) {
    SwitchFact f;
    f.kind = SwitchFact::Kind::kPlaced;
    f.call = call;
    f.hcall = trunk;
    f.call_id = caller_id;
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

// docs/acd.md "Routing": one telephone, one call. Two agents work at line 0
// address 0 (2001): while one's call is on its way there, rings or talks,
// the other gets none; when it ends the next call goes to the other.
TEST_F(SwitchCallsTest, TwoAgentsAtOneTelephoneTakeOneCallAtATime) {
  const SessionHandle alice = ready_agent("alice", "1001", "1111", 0, at(0));
  const SessionHandle bob = ready_agent("bob", "1002", "2222", 0, at(1));
  offer(50, 7, at(10));
  EXPECT_EQ(cc->session(alice)->state(), SessionState::kBusyOnCall);
  auto actions = bridge.take_actions();
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].destination, "2001");
  EXPECT_TRUE(bridge.station_busy(0, 0));
  EXPECT_FALSE(bridge.station_busy(0, 1));
  // The redirect is still in flight: the second caller waits.
  offer(51, 20, at(11));
  EXPECT_EQ(cc->session(bob)->state(), SessionState::kReady);
  EXPECT_EQ(cc->queue(1)->waiting().size(), 1u);
  EXPECT_TRUE(bridge.take_actions().empty());
  state(50, LINECALLSTATE_IDLE, at(11));
  ring_at_station(60, 0, 0, 7, at(11));
  state(60, LINECALLSTATE_OFFERING, at(11));
  state(60, LINECALLSTATE_CONNECTED, at(12));
  EXPECT_EQ(cc->session(bob)->state(), SessionState::kReady);
  EXPECT_TRUE(bridge.take_actions().empty());
  // The caller hangs up: the telephone is free (DISCONNECTED takes no room)
  // and the waiting call goes to bob there.
  state(60, LINECALLSTATE_DISCONNECTED, at(40));
  EXPECT_EQ(cc->session(alice)->state(), SessionState::kBusyWrapUp);
  EXPECT_EQ(cc->session(bob)->state(), SessionState::kBusyOnCall);
  actions = bridge.take_actions();
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].kind, Kind::kRedirect);
  EXPECT_EQ(actions[0].hcall, 51u);
  EXPECT_EQ(actions[0].destination, "2001");
}

TEST_F(SwitchCallsTest, ACallTheAgentPlacesKeepsAcdCallsAwayUntilItIsHeld) {
  const SessionHandle s = ready_agent("alice", "1001", "1111", 0, at(0));
  // The agent dials out from 2001 (no related call: not the ACD's).
  ring_at_station(70, 0, 0, 0, at(5));
  state(70, LINECALLSTATE_DIALING, at(5));
  EXPECT_TRUE(bridge.station_busy(0, 0));
  offer(50, 7, at(10));
  EXPECT_EQ(cc->session(s)->state(), SessionState::kReady);
  EXPECT_TRUE(bridge.take_actions().empty());
  // On hold, the call leaves room for another: the waiting call is routed.
  state(70, LINECALLSTATE_ONHOLD, at(20));
  EXPECT_EQ(cc->session(s)->state(), SessionState::kBusyOnCall);
  EXPECT_TRUE(bridge.station_busy(0, 0));  // the delivered call is bound for it
  const auto actions = bridge.take_actions();
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0],
            (SwitchAction{Kind::kRedirect, only_call(), 50, "2001", "queue=1;queue_name=Sales;waiting=0", {}, {}}));
  // Taken off hold while the ACD's call is on its way: busy again, and
  // still busy once that call's own appearance shows.
  state(70, LINECALLSTATE_CONNECTED, at(21));
  state(50, LINECALLSTATE_IDLE, at(21));
  ring_at_station(60, 0, 0, 7, at(21));
  state(70, LINECALLSTATE_IDLE, at(22));
  EXPECT_TRUE(bridge.station_busy(0, 0));
  state(60, LINECALLSTATE_IDLE, at(30));
  EXPECT_FALSE(bridge.station_busy(0, 0));
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

// --- the traffic simulator's calls ---------------------------------------------------

TEST_F(SwitchCallsTest, ASimulatedCallerIsPlacedFromTheTrunkAndQueuedUnderTheSimulatorsId) {
  const CallId id = bridge.new_call_id(CallOrigin::kSimulator);
  ASSERT_TRUE(bridge.on_call_queued(id, 1, at(10)).ok());
  // Not queued until it reaches the route point.
  EXPECT_EQ(cc->call_count(), 0u);
  EXPECT_TRUE(bridge.carries(id));
  const auto actions = bridge.take_actions();
  ASSERT_EQ(actions.size(), 1u);
  const std::uint64_t n = call_number(id);
  EXPECT_EQ(actions[0],
            (SwitchAction{Kind::kPlace, id, 0, "8001", {}, simulated_caller_number(n), simulated_caller_name(n)}));
  placed(id, 90, 300, at(10));
  offer(91, 300, at(11));
  ASSERT_EQ(cc->call_count(), 1u);
  const CallView v = cc->call_views().front();
  EXPECT_EQ(v.id, id);
  EXPECT_EQ(v.phase, CallPhase::kQueued);
  EXPECT_EQ(v.caller_number, simulated_caller_number(n));
  EXPECT_EQ(v.caller_name, "Caller " + std::to_string(n));
  EXPECT_EQ(cc->queue_info(1, at(12))->total_calls_queued, 1u);
  // A READY agent gets it through the switch like any other caller.
  const SessionHandle s = ready_agent("alice", "1001", "1111", 1, at(12));
  EXPECT_EQ(*cc->session(s)->current_call(), id);
  const auto redirect = bridge.take_actions();
  ASSERT_EQ(redirect.size(), 1u);
  EXPECT_EQ(redirect[0].kind, Kind::kRedirect);
  EXPECT_EQ(redirect[0].hcall, 91u);
  EXPECT_EQ(redirect[0].destination, "2002");
}

TEST(SimulatedCallerId, IsDerivedFromTheCallNumber) {
  EXPECT_EQ(simulated_caller_number(123), "+31205550123");
  EXPECT_EQ(simulated_caller_number(10'007), "+31205550007");
  EXPECT_EQ(simulated_caller_name(123), "Caller 123");
}

TEST_F(SwitchCallsTest, TheSimulatedAgentAnswersOnItsStationAndTheCallEndsByDroppingTheTrunk) {
  const SessionHandle s = ready_agent("alice", "1001", "1111", 0, at(0));
  const CallId id = simulated_call(90, 300, 91, at(10));
  (void)bridge.take_actions();
  state(91, LINECALLSTATE_IDLE, at(10));  // redirected away from the route point
  ring_at_station(60, 0, 0, 300, at(10));
  ASSERT_TRUE(bridge.on_call_answered(id, at(12)).ok());
  auto actions = bridge.take_actions();
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0], (SwitchAction{Kind::kAnswer, id, 60, {}, {}, {}, {}}));
  // Answered once the station says so.
  EXPECT_EQ(cc->call_views().front().phase, CallPhase::kOffered);
  EXPECT_EQ(bridge.on_call_answered(id, at(12)).code(), ErrorCode::kInvalParam);  // once only
  state(60, LINECALLSTATE_CONNECTED, at(12));
  EXPECT_EQ(cc->call_views().front().phase, CallPhase::kTalking);
  // The caller is answered: it cannot abandon any more.
  EXPECT_EQ(bridge.on_call_abandoned(id, at(20)).code(), ErrorCode::kInvalParam);
  ASSERT_TRUE(bridge.on_call_ended(id, at(72)).ok());
  actions = bridge.take_actions();
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0], (SwitchAction{Kind::kDrop, id, 90, {}, {}, {}, {}}));
  EXPECT_EQ(cc->call_count(), 1u);  // until the switch says so
  state(90, LINECALLSTATE_IDLE, at(72));
  // The station appearance the ACD owns since it answered is hung up too.
  state(60, LINECALLSTATE_DISCONNECTED, at(72));
  EXPECT_EQ(cc->call_count(), 0u);
  EXPECT_EQ(cc->session(s)->state(), SessionState::kBusyWrapUp);
  EXPECT_EQ(cc->session_info(s, at(80))->total_talk_time, 60u);
  actions = bridge.take_actions();
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0], (SwitchAction{Kind::kDrop, id, 60, {}, {}, {}, {}}));
  state(60, LINECALLSTATE_IDLE, at(72));
  EXPECT_EQ(bridge.size(), 0u);
  EXPECT_FALSE(bridge.carries(id));
}

TEST_F(SwitchCallsTest, AnAnswerBeforeTheStationHandleArrivesIsMadeWhenItDoes) {
  ready_agent("alice", "1001", "1111", 0, at(0));
  const CallId id = simulated_call(90, 300, 91, at(10));
  (void)bridge.take_actions();
  ASSERT_TRUE(bridge.on_call_answered(id, at(10)).ok());
  EXPECT_TRUE(bridge.take_actions().empty());
  ring_at_station(60, 0, 0, 300, at(11));
  const auto actions = bridge.take_actions();
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0], (SwitchAction{Kind::kAnswer, id, 60, {}, {}, {}, {}}));
}

TEST_F(SwitchCallsTest, ASimulatedCallerAbandoningInTheQueueHangsUpTheTrunk) {
  const CallId id = simulated_call(90, 300, 91, at(10));
  ASSERT_EQ(bridge.take_actions().size(), 1u);  // its kPlace: no agent, it waits
  ASSERT_TRUE(bridge.on_call_abandoned(id, at(40)).ok());
  auto actions = bridge.take_actions();
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0], (SwitchAction{Kind::kDrop, id, 90, {}, {}, {}, {}}));
  // Abandoned when the switch says the caller is gone, as for real callers.
  EXPECT_EQ(cc->call_count(), 1u);
  state(91, LINECALLSTATE_DISCONNECTED, at(40));
  EXPECT_EQ(cc->call_count(), 0u);
  EXPECT_EQ(cc->queue_info(1, at(41))->total_calls_abandoned, 1u);
  actions = bridge.take_actions();
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0], (SwitchAction{Kind::kDrop, id, 91, {}, {}, {}, {}}));
  state(91, LINECALLSTATE_IDLE, at(40));
  state(90, LINECALLSTATE_IDLE, at(40));
  EXPECT_EQ(bridge.size(), 0u);
  // Gone: a second report is refused.
  EXPECT_EQ(bridge.on_call_abandoned(id, at(41)).code(), ErrorCode::kInvalParam);
}

TEST_F(SwitchCallsTest, ASimulatedCallerHangingUpWhileItRingsIsAbandoned) {
  const SessionHandle s = ready_agent("alice", "1001", "1111", 0, at(0));
  const CallId id = simulated_call(90, 300, 91, at(10));
  state(91, LINECALLSTATE_IDLE, at(10));
  ring_at_station(60, 0, 0, 300, at(10));
  (void)bridge.take_actions();
  ASSERT_TRUE(bridge.on_call_abandoned(id, at(13)).ok());
  const auto actions = bridge.take_actions();
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0], (SwitchAction{Kind::kDrop, id, 90, {}, {}, {}, {}}));
  state(60, LINECALLSTATE_DISCONNECTED, at(13));
  EXPECT_EQ(cc->call_count(), 0u);
  EXPECT_EQ(cc->session(s)->state(), SessionState::kReady);
  // Not answered by the ACD: the agent's own appearance is not the ACD's to drop.
  EXPECT_TRUE(bridge.take_actions().empty());
}

TEST_F(SwitchCallsTest, ASimulatedCallerGivingUpWhileBeingPlacedIsHungUpOnceItsTrunkSideIsKnown) {
  const CallId id = bridge.new_call_id(CallOrigin::kSimulator);
  ASSERT_TRUE(bridge.on_call_queued(id, 1, at(10)).ok());
  (void)bridge.take_actions();
  ASSERT_TRUE(bridge.on_call_abandoned(id, at(11)).ok());
  EXPECT_TRUE(bridge.take_actions().empty());
  placed(id, 90, 300, at(11));
  const auto actions = bridge.take_actions();
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0], (SwitchAction{Kind::kDrop, id, 90, {}, {}, {}, {}}));
  // It reaches the route point anyway: never queued.
  offer(91, 300, at(11));
  EXPECT_EQ(cc->call_count(), 0u);
  state(91, LINECALLSTATE_DISCONNECTED, at(11));
  state(91, LINECALLSTATE_IDLE, at(11));
  state(90, LINECALLSTATE_IDLE, at(11));
  EXPECT_EQ(bridge.size(), 0u);
  EXPECT_EQ(cc->queue_info(1, at(12))->total_calls_queued, 0u);
}

TEST_F(SwitchCallsTest, ASimulatedCallerThatCannotBePlacedIsLost) {
  const CallId id = bridge.new_call_id(CallOrigin::kSimulator);
  ASSERT_TRUE(bridge.on_call_queued(id, 1, at(10)).ok());
  (void)bridge.take_actions();
  SwitchFact f;
  f.kind = SwitchFact::Kind::kFailed;
  f.call = id;
  bridge.on(f, at(10));
  EXPECT_EQ(bridge.size(), 0u);
  EXPECT_EQ(cc->call_count(), 0u);
  // Its abandon, planned by the simulator, finds no call.
  EXPECT_EQ(bridge.on_call_abandoned(id, at(40)).code(), ErrorCode::kInvalParam);
  EXPECT_TRUE(bridge.take_actions().empty());
}

TEST_F(SwitchCallsTest, RingNoAnswerTakesASimulatedCallBackAndALateAnswerChangesNothing) {
  const SessionHandle s = ready_agent("alice", "1001", "1111", 0, at(0));
  const CallId id = simulated_call(90, 300, 91, at(10));
  state(91, LINECALLSTATE_IDLE, at(10));
  ring_at_station(60, 0, 0, 300, at(10));
  (void)bridge.take_actions();
  EXPECT_EQ(cc->next_deadline(), at(30));  // ring_timeout_seconds = 20
  cc->advance_to(at(30));
  EXPECT_EQ(cc->session(s)->state(), SessionState::kNotReady);
  const auto actions = bridge.take_actions();
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0], (SwitchAction{Kind::kTakeBack, id, 60, "8001", {}, {}, {}}));
  EXPECT_EQ(cc->call_views().front().phase, CallPhase::kQueued);
  // The simulated agent's answer comes too late, and so does its end.
  EXPECT_EQ(bridge.on_call_answered(id, at(31)).code(), ErrorCode::kInvalParam);
  EXPECT_EQ(bridge.on_call_ended(id, at(31)).code(), ErrorCode::kInvalParam);
  EXPECT_TRUE(bridge.take_actions().empty());
  EXPECT_EQ(cc->call_count(), 1u);
}

TEST_F(SwitchCallsTest, WithoutATrunkTheSimulatorsCallsStayInsideTheAcd) {
  SwitchNumbers n;
  n.stations[{0, 0}] = "2001";
  n.queues[1] = "8001";
  bridge.connected(n, at(0));
  const SessionHandle s = ready_agent("alice", "1001", "1111", 0, at(0));
  const CallId id = bridge.new_call_id(CallOrigin::kSimulator);
  ASSERT_TRUE(bridge.on_call_queued(id, 1, at(10)).ok());
  EXPECT_FALSE(bridge.carries(id));
  EXPECT_EQ(*cc->session(s)->current_call(), id);
  ASSERT_TRUE(bridge.on_call_answered(id, at(12)).ok());
  EXPECT_EQ(cc->call_views().front().phase, CallPhase::kTalking);
  ASSERT_TRUE(bridge.on_call_ended(id, at(20)).ok());
  EXPECT_EQ(cc->call_count(), 0u);
  EXPECT_TRUE(bridge.take_actions().empty());
  EXPECT_EQ(cc->next_deadline(), at(35));  // wrap-up only: no ring timer
}

TEST_F(SwitchCallsTest, AfterARestartWaitingSimulatedCallersArePlacedAgain) {
  const CallId id = simulated_call(90, 300, 91, at(10));
  (void)bridge.take_actions();
  SwitchNumbers n;
  n.stations[{0, 0}] = "2001";
  n.queues[1] = "8001";
  n.trunk = true;
  bridge.connected(n, at(100));
  const auto actions = bridge.take_actions();
  ASSERT_EQ(actions.size(), 1u);
  const std::uint64_t number = call_number(id);
  EXPECT_EQ(
      actions[0],
      (SwitchAction{Kind::kPlace, id, 0, "8001", {}, simulated_caller_number(number), simulated_caller_name(number)}));
  placed(id, 190, 400, at(101));
  offer(191, 400, at(101));
  ASSERT_EQ(cc->call_count(), 1u);
  EXPECT_EQ(cc->call_views().front().id, id);
  EXPECT_EQ(cc->queue_info(1, at(102))->total_calls_queued, 1u);  // kept its place: not queued twice
}

}  // namespace
}  // namespace opentapi::acd
