#include "core/agent.h"

#include <gtest/gtest.h>

#include "core/test_support.h"

namespace opentapi::core {
namespace {

using A = AgentState;
using S = SessionState;
using testing_time::at;

constexpr GroupId kSales{{1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}};
constexpr GroupId kSupport{{2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}};

Agent new_agent(TimePoint now = at(0), std::string id = "", std::string pin = "") {
  auto a = Agent::create(/*handle=*/1, "alice", std::move(id), std::move(pin), now);
  EXPECT_TRUE(a.ok()) << a.status().to_string();
  return std::move(a).value();
}

void create_session(Agent& a, SessionHandle h, const GroupId& g, AddressId addr, TimePoint now) {
  auto r = a.create_session(h, g, addr, "", now);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
}

void session_to(Agent& a, SessionHandle h, S to, TimePoint now) {
  auto r = a.request_session_state(h, {to, std::nullopt}, now);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
}

// Offer, answer, end an ACD call on session h.
void acd_call(Agent& a, SessionHandle h, CallId call, TimePoint offered, TimePoint answered, TimePoint ended) {
  ASSERT_TRUE(a.offer_acd_call(h, call, offered).ok());
  ASSERT_TRUE(a.answer_acd_call(h, answered).ok());
  ASSERT_TRUE(a.end_acd_call(h, ended).ok());
}

// --- identity and PIN ----------------------------------------------------

TEST(AgentCreation, PinWithoutIdIsInvalParam) {
  EXPECT_EQ(Agent::create(1, "bob", "", "1234", at(0)).code(), ErrorCode::kInvalParam);
}

TEST(AgentCreation, KeepsIdentityAndStartsUnknown) {
  Agent a = new_agent(at(0), "A-17", "1234");
  EXPECT_EQ(a.handle(), 1u);
  EXPECT_EQ(a.user_name(), "alice");
  EXPECT_EQ(a.id(), "A-17");
  EXPECT_TRUE(a.has_pin());
  EXPECT_EQ(a.state(), A::kUnknown);
  EXPECT_EQ(a.info(at(0)).measurement_period, 86'400u);
}

TEST(AgentPin, WrongPinIsInvalPassword) {
  Agent a = new_agent(at(0), "A-17", "1234");
  EXPECT_TRUE(a.check_pin("1234").ok());
  auto wrong = a.check_pin("9999");
  EXPECT_EQ(wrong.code(), ErrorCode::kInvalPassword);
  EXPECT_EQ(wrong.lineerr(), static_cast<std::int32_t>(0x80000059u));
}

TEST(AgentPin, SessionWithWrongPinIsRefused) {
  Agent a = new_agent(at(0), "A-17", "1234");
  EXPECT_EQ(a.create_session(10, kSales, 1, "0000", at(1)).code(), ErrorCode::kInvalPassword);
  EXPECT_TRUE(a.sessions().empty());
  EXPECT_TRUE(a.create_session(10, kSales, 1, "1234", at(1)).ok());
}

TEST(AgentPin, SessionWithoutPinIsAccepted) {
  Agent a = new_agent(at(0), "A-17", "1234");
  EXPECT_TRUE(a.create_session(10, kSales, 1, "", at(1)).ok());
}

TEST(AgentPin, PinForAnAgentWithoutPinIsInvalPassword) {
  Agent a = new_agent();
  EXPECT_EQ(a.create_session(10, kSales, 1, "1234", at(1)).code(), ErrorCode::kInvalPassword);
}

// --- sessions -------------------------------------------------------------

TEST(AgentSessions, RefusesDuplicateHandle) {
  Agent a = new_agent();
  create_session(a, 10, kSales, 1, at(0));
  EXPECT_EQ(a.create_session(10, kSupport, 2, "", at(1)).code(), ErrorCode::kInvalParam);
}

TEST(AgentSessions, RefusesSecondCurrentSessionForSameGroupAndAddress) {
  Agent a = new_agent();
  create_session(a, 10, kSales, 1, at(0));
  EXPECT_EQ(a.create_session(11, kSales, 1, "", at(1)).code(), ErrorCode::kInvalParam);
  EXPECT_TRUE(a.create_session(12, kSales, 2, "", at(1)).ok());    // other address
  EXPECT_TRUE(a.create_session(13, kSupport, 1, "", at(1)).ok());  // other group
}

TEST(AgentSessions, AllowsANewSessionAfterTheOldOneEnded) {
  Agent a = new_agent();
  create_session(a, 10, kSales, 1, at(0));
  session_to(a, 10, S::kEnded, at(5));
  auto r = a.create_session(11, kSales, 1, "", at(6));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->session.session, 11u);
  EXPECT_EQ(r->session.new_state, S::kNotReady);
  EXPECT_EQ(a.current_session_count(), 1u);
  EXPECT_EQ(a.sessions().size(), 2u);
  EXPECT_EQ(a.find_session(11)->info(at(10)).number_of_calls, 0u);  // fresh statistics
}

TEST(AgentSessions, UnknownSessionHandleIsInvalParam) {
  Agent a = new_agent();
  EXPECT_EQ(a.request_session_state(99, {S::kReady, std::nullopt}, at(1)).code(), ErrorCode::kInvalParam);
  EXPECT_EQ(a.offer_acd_call(99, 1, at(1)).code(), ErrorCode::kInvalParam);
  EXPECT_EQ(a.find_session(99), nullptr);
}

TEST(AgentSessions, SessionErrorsPassThroughUnchanged) {
  Agent a = new_agent();
  create_session(a, 10, kSales, 1, at(0));
  session_to(a, 10, S::kReady, at(1));
  auto r = a.request_session_state(10, {S::kBusyWrapUp, std::nullopt}, at(2));
  EXPECT_EQ(r.code(), ErrorCode::kInvalAgentState);
  EXPECT_EQ(a.find_session(10)->state(), S::kReady);
}

// --- agent state (docs/reference/flows.md §4.3) -----------------------------------------

TEST(AgentStateModel, UnknownUntilFirstReportThenNotReady) {
  Agent a = new_agent();
  AgentStateChange c = a.mark_reported(at(0));
  EXPECT_EQ(c.old_state, A::kUnknown);
  EXPECT_EQ(c.new_state, A::kNotReady);
  EXPECT_FALSE(a.mark_reported(at(0)).state_changed());
}

TEST(AgentStateModel, NotReadyAndReadyByRequest) {
  Agent a = new_agent();
  a.mark_reported(at(0));
  EXPECT_EQ(a.request_state(A::kReady, at(0))->new_state, A::kReady);
  EXPECT_EQ(a.request_state(A::kNotReady, at(0))->new_state, A::kNotReady);
  auto same = a.request_state(A::kNotReady, at(0));
  ASSERT_TRUE(same.ok());
  EXPECT_FALSE(same->state_changed());
}

TEST(AgentStateModel, RefusesRequestedUnknownReleasedAndBusy) {
  Agent a = new_agent();
  a.mark_reported(at(0));
  for (A refused : {A::kUnknown, A::kReleased, A::kBusyAcd, A::kBusyIncoming, A::kBusyOutgoing}) {
    EXPECT_EQ(a.request_state(refused, at(0)).code(), ErrorCode::kInvalAgentState) << to_string(refused);
    EXPECT_EQ(a.request_state({std::nullopt, refused}, at(0)).code(), ErrorCode::kInvalAgentState);
  }
  EXPECT_EQ(a.state(), A::kNotReady);
  EXPECT_FALSE(a.next_state().has_value());
}

TEST(AgentStateModel, RefusedNextStateChangesNothing) {
  Agent a = new_agent();
  a.mark_reported(at(0));
  EXPECT_EQ(a.request_state({A::kReady, A::kBusyAcd}, at(0)).code(), ErrorCode::kInvalAgentState);
  EXPECT_EQ(a.state(), A::kNotReady);
}

TEST(AgentStateModel, AcdCallToAnySessionMakesTheAgentBusyAcd) {
  Agent a = new_agent();
  a.mark_reported(at(0));
  create_session(a, 10, kSales, 1, at(0));
  create_session(a, 11, kSupport, 1, at(0));
  session_to(a, 11, S::kReady, at(1));
  auto r = a.offer_acd_call(11, 500, at(2));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->agent.old_state, A::kNotReady);  // agent NOT_READY, session READY: still delivered
  EXPECT_EQ(r->agent.new_state, A::kBusyAcd);
  EXPECT_EQ(r->session.new_state, S::kBusyOnCall);
}

TEST(AgentStateModel, CallEndReturnsToTheStateHeldBefore) {
  for (A held : {A::kReady, A::kNotReady}) {
    Agent a = new_agent();
    a.mark_reported(at(0));
    ASSERT_TRUE(a.request_state(held, at(0)).ok());
    create_session(a, 10, kSales, 1, at(0));
    session_to(a, 10, S::kReady, at(1));
    ASSERT_TRUE(a.offer_acd_call(10, 1, at(2)).ok());
    ASSERT_TRUE(a.answer_acd_call(10, at(3)).ok());
    auto end = a.end_acd_call(10, at(4));
    ASSERT_TRUE(end.ok());
    EXPECT_EQ(end->agent.new_state, held);
    // The session is in wrap-up, the agent is not busy any more (§4.3: independent).
    EXPECT_EQ(end->session.new_state, S::kBusyWrapUp);
  }
}

TEST(AgentStateModel, CallEndEntersTheNextStateWhenSet) {
  Agent a = new_agent();
  a.mark_reported(at(0));
  ASSERT_TRUE(a.request_state({A::kReady, A::kNotReady}, at(0)).ok());
  create_session(a, 10, kSales, 1, at(0));
  session_to(a, 10, S::kReady, at(1));
  acd_call(a, 10, 1, at(2), at(3), at(4));
  EXPECT_EQ(a.state(), A::kNotReady);
  EXPECT_EQ(a.info(at(5)).next_agent_state, 0x01u);
}

TEST(AgentStateModel, RequestDuringACallIsDeferredToItsEnd) {
  Agent a = new_agent();
  a.mark_reported(at(0));
  ASSERT_TRUE(a.request_state({A::kReady, A::kReady}, at(0)).ok());  // next READY
  create_session(a, 10, kSales, 1, at(0));
  session_to(a, 10, S::kReady, at(1));
  ASSERT_TRUE(a.offer_acd_call(10, 1, at(2)).ok());
  auto req = a.request_state(A::kNotReady, at(0));
  ASSERT_TRUE(req.ok());
  EXPECT_FALSE(req->state_changed());
  EXPECT_EQ(a.state(), A::kBusyAcd);
  ASSERT_TRUE(a.end_acd_call(10, at(3)).ok());
  EXPECT_EQ(a.state(), A::kNotReady);  // the explicit request beats the next state, once
  ASSERT_TRUE(a.request_state(A::kReady, at(0)).ok());
  acd_call(a, 10, 2, at(10), at(11), at(12));
  EXPECT_FALSE(a.find_session(10)->is_available());  // session in wrap-up
  EXPECT_EQ(a.state(), A::kReady);                   // next state again
}

TEST(AgentStateModel, NonAcdCallsMakeTheAgentBusyIncomingOrOutgoing) {
  Agent a = new_agent();
  a.mark_reported(at(0));
  ASSERT_TRUE(a.request_state(A::kReady, at(0)).ok());
  EXPECT_EQ(a.begin_non_acd_call(CallDirection::kIncoming, at(1))->new_state, A::kBusyIncoming);
  EXPECT_EQ(a.end_non_acd_call(at(2))->new_state, A::kReady);
  EXPECT_EQ(a.begin_non_acd_call(CallDirection::kOutgoing, at(3))->new_state, A::kBusyOutgoing);
  EXPECT_EQ(a.end_non_acd_call(at(4))->new_state, A::kReady);
  EXPECT_EQ(a.end_non_acd_call(at(5)).code(), ErrorCode::kInvalParam);
}

TEST(AgentStateModel, OverlappingCallsKeepTheFirstBusyStateUntilTheLastEnds) {
  Agent a = new_agent();
  a.mark_reported(at(0));
  create_session(a, 10, kSales, 1, at(0));
  session_to(a, 10, S::kReady, at(1));
  ASSERT_TRUE(a.offer_acd_call(10, 1, at(2)).ok());
  auto out = a.begin_non_acd_call(CallDirection::kOutgoing, at(3));
  EXPECT_EQ(out->new_state, A::kBusyAcd);
  EXPECT_EQ(a.end_acd_call(10, at(4))->agent.new_state, A::kBusyAcd);
  EXPECT_EQ(a.end_non_acd_call(at(5))->new_state, A::kNotReady);
}

TEST(AgentStateModel, EndingASessionDuringItsCallEndsTheAgentsCall) {
  Agent a = new_agent();
  a.mark_reported(at(0));
  ASSERT_TRUE(a.request_state(A::kReady, at(0)).ok());
  create_session(a, 10, kSales, 1, at(0));
  session_to(a, 10, S::kReady, at(1));
  ASSERT_TRUE(a.offer_acd_call(10, 1, at(2)).ok());
  ASSERT_TRUE(a.answer_acd_call(10, at(3)).ok());
  auto r = a.request_session_state(10, {S::kEnded, std::nullopt}, at(13));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->session.released_call, CallId{1});
  EXPECT_EQ(r->agent.new_state, A::kReady);
  EXPECT_EQ(a.info(at(20)).total_acd_talk_time, 10u);
}

TEST(AgentStateModel, UnknownAgentTakingACallReturnsToNotReady) {
  Agent a = new_agent();
  create_session(a, 10, kSales, 1, at(0));
  session_to(a, 10, S::kReady, at(1));
  ASSERT_TRUE(a.offer_acd_call(10, 1, at(2)).ok());
  EXPECT_EQ(a.state(), A::kBusyAcd);
  ASSERT_TRUE(a.end_acd_call(10, at(3)).ok());
  EXPECT_EQ(a.state(), A::kNotReady);
}

TEST(AgentRelease, EndsAndReleasesEverySessionThenTheAgent) {
  Agent a = new_agent();
  a.mark_reported(at(0));
  create_session(a, 10, kSales, 1, at(0));
  create_session(a, 11, kSupport, 1, at(0));
  session_to(a, 10, S::kEnded, at(5));
  session_to(a, 11, S::kReady, at(5));
  ASSERT_TRUE(a.offer_acd_call(11, 1, at(6)).ok());
  AgentRelease r = a.release(at(10));
  ASSERT_EQ(r.sessions.size(), 2u);
  EXPECT_EQ(r.sessions[0].old_state, S::kEnded);
  EXPECT_EQ(r.sessions[0].new_state, S::kReleased);
  EXPECT_EQ(r.sessions[1].old_state, S::kBusyOnCall);
  EXPECT_EQ(r.sessions[1].released_call, CallId{1});
  EXPECT_EQ(r.agent.old_state, A::kBusyAcd);
  EXPECT_EQ(r.agent.new_state, A::kReleased);
  EXPECT_EQ(a.current_session_count(), 0u);
  EXPECT_EQ(a.info(at(11)).agent_state, 0x40u);
}

TEST(AgentRelease, ReleasedAgentIsAnInvalidHandle) {
  Agent a = new_agent();
  a.release(at(1));
  EXPECT_EQ(a.request_state(A::kReady, at(0)).code(), ErrorCode::kInvalParam);
  EXPECT_EQ(a.create_session(10, kSales, 1, "", at(2)).code(), ErrorCode::kInvalParam);
  EXPECT_EQ(a.set_measurement_period(60, at(2)).code(), ErrorCode::kInvalParam);
  EXPECT_EQ(a.begin_non_acd_call(CallDirection::kIncoming, at(2)).code(), ErrorCode::kInvalParam);
  EXPECT_FALSE(a.release(at(3)).agent.state_changed());
  EXPECT_FALSE(a.mark_reported(at(0)).state_changed());
}

// --- statistics (docs/reference/flows.md §5.3) -------------------------------------------

// Two overlapping sessions, one ended before the other, all hand-computed:
//
//   t=0    agent created; S1 (sales, addr 1) created
//   t=10   S1 READY
//   t=20   S1 call offered, t=30 answered, t=90 ends   talk 60 → wrap-up
//   t=100  S2 (support, addr 2) created, READY
//   t=120  S1 READY                                   wrap-up 30
//   t=200  S2 call offered, t=210 answered, t=250 ends talk 40 → wrap-up
//   t=260  S2 READY                                   wrap-up 10
//   t=300  S1 ENDED
//   t=400  S2 ENDED     active (≥ 1 session not ended): [0, 400] = 400 s
//
// At t=500: ACD calls 2, talk 100, wrap-up 40, call time 140,
// OverallCallRate = 2 × 3600 / 400 = 18 calls/h → 180 000.
Agent two_session_timeline() {
  Agent a = new_agent();
  a.mark_reported(at(0));
  create_session(a, 1, kSales, 1, at(0));
  session_to(a, 1, S::kReady, at(10));
  acd_call(a, 1, 100, at(20), at(30), at(90));
  create_session(a, 2, kSupport, 2, at(100));
  session_to(a, 2, S::kReady, at(100));
  session_to(a, 1, S::kReady, at(120));
  acd_call(a, 2, 200, at(200), at(210), at(250));
  session_to(a, 2, S::kReady, at(260));
  session_to(a, 1, S::kEnded, at(300));
  session_to(a, 2, S::kEnded, at(400));
  return a;
}

TEST(AgentStatistics, TwoOverlappingSessionsMatchHandComputedFigures) {
  Agent a = two_session_timeline();
  AgentInfo i = a.info(at(500));
  EXPECT_EQ(i.agent_state, 0x01u);
  EXPECT_EQ(i.measurement_period, 86'400u);
  EXPECT_EQ(i.number_of_acd_calls, 2u);
  EXPECT_EQ(i.number_of_incoming_calls, 0u);
  EXPECT_EQ(i.number_of_outgoing_calls, 0u);
  EXPECT_EQ(i.total_acd_talk_time, 100u);
  EXPECT_EQ(i.total_acd_wrap_up_time, 40u);
  EXPECT_EQ(i.total_acd_call_time, 140u);
  EXPECT_EQ(i.overall_call_rate, 180'000);
}

TEST(AgentStatistics, ActiveTimeIncludesTheOpenIntervalUpToNow) {
  Agent a = two_session_timeline();
  // Idle from 400 to 1000; S3 from 1000: active 400 + 90 = 490 s at t=1090.
  create_session(a, 3, kSales, 1, at(1000));
  // 2 × 3600 / 490 = 14.6938775… → 146 938 (truncated).
  EXPECT_EQ(a.info(at(1090)).overall_call_rate, 146'938);
  EXPECT_EQ(a.info(at(1000)).overall_call_rate, 180'000);
}

TEST(AgentStatistics, RateIsZeroWithoutActiveTimeOrCalls) {
  Agent a = new_agent();
  EXPECT_EQ(a.info(at(100)).overall_call_rate, 0);  // no session ever
  create_session(a, 1, kSales, 1, at(100));
  AgentInfo i = a.info(at(100));  // active, but for 0 s
  EXPECT_EQ(i.overall_call_rate, 0);
  EXPECT_EQ(i.total_acd_call_time, 0u);
  EXPECT_EQ(a.info(at(200)).overall_call_rate, 0);  // 100 s active, 0 calls
}

TEST(AgentStatistics, CountsNonAcdCallsWhenTheyStart) {
  Agent a = new_agent();
  ASSERT_TRUE(a.begin_non_acd_call(CallDirection::kIncoming, at(1)).ok());
  ASSERT_TRUE(a.end_non_acd_call(at(5)).ok());
  ASSERT_TRUE(a.begin_non_acd_call(CallDirection::kOutgoing, at(6)).ok());
  AgentInfo i = a.info(at(7));
  EXPECT_EQ(i.number_of_incoming_calls, 1u);
  EXPECT_EQ(i.number_of_outgoing_calls, 1u);
  EXPECT_EQ(i.number_of_acd_calls, 0u);
}

TEST(AgentStatistics, ChangeFlagsSayWhenToAnnounceUpdateInfo) {
  Agent a = new_agent();
  create_session(a, 1, kSales, 1, at(0));
  session_to(a, 1, S::kReady, at(1));
  EXPECT_FALSE(a.offer_acd_call(1, 1, at(2))->agent.statistics_changed);
  EXPECT_TRUE(a.answer_acd_call(1, at(3))->agent.statistics_changed);
  EXPECT_TRUE(a.end_acd_call(1, at(4))->agent.statistics_changed);
}

// --- measurement period (docs/reference/flows.md §5.5) -----------------------------------

TEST(AgentMeasurementPeriod, ZeroIsRefusedAndChangesNothing) {
  Agent a = new_agent();
  create_session(a, 1, kSales, 1, at(0));
  session_to(a, 1, S::kReady, at(0));
  acd_call(a, 1, 1, at(1), at(2), at(3));
  auto r = a.set_measurement_period(0, at(4));
  EXPECT_EQ(r.code(), ErrorCode::kInvalParam);
  EXPECT_EQ(a.info(at(5)).number_of_acd_calls, 1u);
  EXPECT_EQ(a.info(at(5)).measurement_period, 86'400u);
}

TEST(AgentMeasurementPeriod, SettingThePeriodResetsCountersButNotStates) {
  Agent a = new_agent();
  a.mark_reported(at(0));
  ASSERT_TRUE(a.request_state(A::kReady, at(0)).ok());
  create_session(a, 1, kSales, 1, at(0));
  session_to(a, 1, S::kReady, at(0));
  acd_call(a, 1, 1, at(1), at(2), at(12));
  ASSERT_TRUE(a.begin_non_acd_call(CallDirection::kIncoming, at(20)).ok());
  auto r = a.set_measurement_period(3600, at(30));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->statistics_changed);
  AgentInfo i = a.info(at(40));
  EXPECT_EQ(i.measurement_period, 3600u);
  EXPECT_EQ(i.number_of_acd_calls, 0u);
  EXPECT_EQ(i.number_of_incoming_calls, 0u);
  EXPECT_EQ(i.total_acd_talk_time, 0u);
  EXPECT_EQ(i.agent_state, 0x08u);  // still on the incoming call
  // Active time restarts at the reset: 10 s, no calls yet → rate 0.
  EXPECT_EQ(i.overall_call_rate, 0);
  // Session statistics have no period and are untouched.
  EXPECT_EQ(a.find_session(1)->info(at(40)).number_of_calls, 1u);
}

TEST(AgentMeasurementPeriod, CountersResetAtTheBoundaryAndTimeIsAttributedWhenRecorded) {
  // Period 100 s set at t=0.
  //   t=50  call answered             → ACD call counted in period [0,100)
  //   t=130 call ends                 → talk 80 recorded in [100,200) (whole)
  //   t=150 READY                     → wrap-up 20 recorded in [100,200)
  // At t=150: calls 0 (counted before the boundary), talk 80, wrap-up 20,
  // active time 50 (only the part since t=100), rate 0.
  Agent a = new_agent();
  ASSERT_TRUE(a.set_measurement_period(100, at(0)).ok());
  create_session(a, 1, kSales, 1, at(0));
  session_to(a, 1, S::kReady, at(0));
  ASSERT_TRUE(a.offer_acd_call(1, 1, at(40)).ok());
  ASSERT_TRUE(a.answer_acd_call(1, at(50)).ok());
  EXPECT_EQ(a.info(at(99)).number_of_acd_calls, 1u);
  // 1 call in 99 s of activity: 3600 / 99 = 36.3636… → 363 636.
  EXPECT_EQ(a.info(at(99)).overall_call_rate, 363'636);
  ASSERT_TRUE(a.end_acd_call(1, at(130)).ok());
  session_to(a, 1, S::kReady, at(150));
  AgentInfo i = a.info(at(150));
  EXPECT_EQ(i.number_of_acd_calls, 0u);
  EXPECT_EQ(i.total_acd_talk_time, 80u);
  EXPECT_EQ(i.total_acd_wrap_up_time, 20u);
  EXPECT_EQ(i.total_acd_call_time, 100u);
  EXPECT_EQ(i.overall_call_rate, 0);
}

TEST(AgentMeasurementPeriod, ReadingAfterSeveralSkippedPeriodsShowsOnlyTheCurrentOne) {
  Agent a = new_agent();
  ASSERT_TRUE(a.set_measurement_period(100, at(0)).ok());
  create_session(a, 1, kSales, 1, at(0));
  session_to(a, 1, S::kReady, at(0));
  acd_call(a, 1, 1, at(10), at(20), at(30));
  // Nothing happens until t=1234, window [1200, 1300): counters zero, active 34 s.
  AgentInfo i = a.info(at(1234));
  EXPECT_EQ(i.number_of_acd_calls, 0u);
  EXPECT_EQ(i.total_acd_talk_time, 0u);
  // An answered call now: 1 call in 34 s → 3600/34 = 105.882352… → 1 058 823.
  session_to(a, 1, S::kReady, at(1230));
  ASSERT_TRUE(a.offer_acd_call(1, 2, at(1231)).ok());
  ASSERT_TRUE(a.answer_acd_call(1, at(1232)).ok());
  EXPECT_EQ(a.info(at(1234)).number_of_acd_calls, 1u);
  EXPECT_EQ(a.info(at(1234)).overall_call_rate, 1'058'823);
  EXPECT_EQ(a.period().start(), at(1200));
}

TEST(AgentMeasurementPeriod, ActiveIntervalClosedAfterABoundaryCountsOnlyItsTail) {
  // Period 100 s; session active [0, 250); at t=250 it ends → window [200,300)
  // holds 50 s of activity.
  Agent a = new_agent();
  ASSERT_TRUE(a.set_measurement_period(100, at(0)).ok());
  create_session(a, 1, kSales, 1, at(0));
  session_to(a, 1, S::kEnded, at(250));
  create_session(a, 2, kSales, 1, at(280));
  session_to(a, 2, S::kReady, at(280));
  acd_call(a, 2, 1, at(281), at(282), at(283));
  // Active: 50 (closed) + 10 (open, 280..290) = 60 s; 1 call → 60 calls/h.
  EXPECT_EQ(a.info(at(290)).overall_call_rate, 600'000);
}

TEST(AgentMeasurementPeriod, HugePeriodNeverOverflows) {
  // A TAPI 3 period of -1 arrives as 0xFFFFFFFF.
  Agent a = new_agent();
  ASSERT_TRUE(a.set_measurement_period(0xFFFFFFFFu, at(0)).ok());
  create_session(a, 1, kSales, 1, at(0));
  session_to(a, 1, S::kReady, at(0));
  acd_call(a, 1, 1, at(10), at(20), at(30));
  const TimePoint later = at(100LL * 365 * 86'400);  // a century of activity
  AgentInfo i = a.info(later);
  EXPECT_EQ(i.measurement_period, 0xFFFFFFFFu);
  EXPECT_EQ(i.number_of_acd_calls, 1u);
  // 1 call in 3 153 600 000 s: 36e6 / 3.1536e9 → 0.
  EXPECT_EQ(i.overall_call_rate, 0);
  EXPECT_EQ(a.info(at(3600)).overall_call_rate, 10'000);  // 1 call in 1 h
}

// --- time in state -------------------------------------------------------

TEST(AgentStateSince, FollowsReportRequestsAndCalls) {
  Agent a = new_agent(at(1));
  EXPECT_EQ(a.state_since(), at(1));  // UNKNOWN since creation
  a.mark_reported(at(2));
  EXPECT_EQ(a.state_since(), at(2));
  ASSERT_TRUE(a.request_state(A::kNotReady, at(3)).ok());  // same state
  EXPECT_EQ(a.state_since(), at(2));
  ASSERT_TRUE(a.request_state(A::kReady, at(4)).ok());
  EXPECT_EQ(a.state_since(), at(4));
  create_session(a, 1, kSales, 1, at(5));
  session_to(a, 1, S::kReady, at(6));
  EXPECT_EQ(a.state_since(), at(4));  // a session's state is not the agent's
  ASSERT_TRUE(a.offer_acd_call(1, 9, at(10)).ok());
  EXPECT_EQ(a.state(), A::kBusyAcd);
  EXPECT_EQ(a.state_since(), at(10));
  ASSERT_TRUE(a.request_state(A::kNotReady, at(12)).ok());  // deferred: still busy
  EXPECT_EQ(a.state_since(), at(10));
  ASSERT_TRUE(a.answer_acd_call(1, at(13)).ok());
  ASSERT_TRUE(a.end_acd_call(1, at(20)).ok());
  EXPECT_EQ(a.state(), A::kNotReady);
  EXPECT_EQ(a.state_since(), at(20));
}

}  // namespace
}  // namespace opentapi::core
