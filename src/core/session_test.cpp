#include "core/session.h"

#include <gtest/gtest.h>

#include "core/test_support.h"

namespace opentapi::core {
namespace {

using S = SessionState;
using testing_time::at;
using testing_time::at_ms;

constexpr GroupId kSales{
    {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF, 0x01}};

AgentSession new_session(TimePoint created = at(0)) {
  return AgentSession(/*handle=*/7, /*agent=*/3, kSales, /*working_address=*/2, created);
}

void go(AgentSession& s, S to, TimePoint now) {
  auto r = s.request_state(to, now);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
}

// The scripted timeline of the issue, every figure computed by hand:
//
//   t=0    created (NOT_READY)
//   t=10   READY
//   t=20   call A offered  → BUSY_ON_CALL
//   t=25   A answered       time to answer 5
//   t=85   A ends           talk 60, → BUSY_WRAPUP (default next state)
//   t=100  READY            wrap-up 15
//   t=110  call B offered
//   t=122  B answered       time to answer 12
//   t=152  B ends           talk 30, → BUSY_WRAPUP
//   t=160  READY            wrap-up 8
//
// At t=200: duration 200, calls 2, talk 90 (avg 45), wrap-up 23 (avg 23/2 = 11),
// call time 113 (avg 113/2 = 56), rate 2 × 3600 / 200 = 36 calls/h → 360 000,
// longest answer 12, average answer (5 + 12) / 2 = 8.5 → 8.
AgentSession scripted_timeline() {
  AgentSession s = new_session();
  go(s, S::kReady, at(10));
  EXPECT_TRUE(s.offer_call(101, at(20)).ok());
  EXPECT_TRUE(s.answer_call(at(25)).ok());
  EXPECT_TRUE(s.end_call(at(85)).ok());
  EXPECT_EQ(s.state(), S::kBusyWrapUp);
  go(s, S::kReady, at(100));
  EXPECT_TRUE(s.offer_call(102, at(110)).ok());
  EXPECT_TRUE(s.answer_call(at(122)).ok());
  EXPECT_TRUE(s.end_call(at(152)).ok());
  go(s, S::kReady, at(160));
  return s;
}

TEST(AgentSessionRingNoAnswer, AnUnansweredCallTakenBackLeavesTheSessionNotReady) {
  AgentSession s = new_session();
  go(s, S::kReady, at(10));
  ASSERT_TRUE(s.offer_call(101, at(20)).ok());
  auto r = s.ring_no_answer(at(40));
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(s.state(), S::kNotReady);
  EXPECT_EQ(s.info(at(50)).number_of_calls, 0u);
  // No call attached any more.
  EXPECT_EQ(s.ring_no_answer(at(50)).status().code(), ErrorCode::kInvalAgentSessionState);
}

TEST(AgentSessionRingNoAnswer, AnAnsweredCallIsNotRingNoAnswer) {
  AgentSession s = new_session();
  go(s, S::kReady, at(10));
  ASSERT_TRUE(s.offer_call(101, at(20)).ok());
  ASSERT_TRUE(s.answer_call(at(25)).ok());
  EXPECT_EQ(s.ring_no_answer(at(40)).status().code(), ErrorCode::kInvalAgentSessionState);
  EXPECT_EQ(s.state(), S::kBusyOnCall);
}

TEST(AgentSessionStatistics, ScriptedTimelineMatchesHandComputedFigures) {
  AgentSession s = scripted_timeline();
  AgentSessionInfo i = s.info(at(200));
  EXPECT_EQ(i.agent_session_state, 0x02u);
  EXPECT_EQ(i.next_agent_session_state, 0u);
  EXPECT_DOUBLE_EQ(i.session_start_time, 45292.0);  // 2024-01-01T00:00Z
  EXPECT_EQ(i.session_duration, 200u);
  EXPECT_EQ(i.number_of_calls, 2u);
  EXPECT_EQ(i.total_talk_time, 90u);
  EXPECT_EQ(i.average_talk_time, 45u);
  EXPECT_EQ(i.total_wrap_up_time, 23u);
  EXPECT_EQ(i.average_wrap_up_time, 11u);
  EXPECT_EQ(i.total_call_time, 113u);
  EXPECT_EQ(i.average_call_time, 56u);
  EXPECT_EQ(i.acd_call_rate, 360'000);
  EXPECT_EQ(i.longest_time_to_answer, 12u);
  EXPECT_EQ(i.average_time_to_answer, 8u);
}

TEST(AgentSessionStatistics, DurationFreezesWhenTheSessionEnds) {
  AgentSession s = scripted_timeline();
  go(s, S::kNotReady, at(200));
  go(s, S::kEnded, at(300));
  AgentSessionInfo i = s.info(at(1000));
  EXPECT_EQ(i.agent_session_state, 0x10u);
  EXPECT_EQ(i.session_duration, 300u);
  // 2 × 3600 / 300 = 24 calls/h.
  EXPECT_EQ(i.acd_call_rate, 240'000);
  EXPECT_EQ(i.total_talk_time, 90u);  // frozen
}

TEST(AgentSessionStatistics, NotReadyTimeCountsAsActive) {
  AgentSession s = new_session();
  EXPECT_EQ(s.info(at(3600)).session_duration, 3600u);
}

TEST(AgentSessionStatistics, AverageTalkTimeIsZeroWithoutCalls) {
  AgentSession s = new_session();
  go(s, S::kReady, at(10));
  AgentSessionInfo i = s.info(at(100));
  EXPECT_EQ(i.number_of_calls, 0u);
  EXPECT_EQ(i.average_talk_time, 0u);
  EXPECT_EQ(i.average_wrap_up_time, 0u);
  EXPECT_EQ(i.average_call_time, 0u);
  EXPECT_EQ(i.average_time_to_answer, 0u);
  EXPECT_EQ(i.longest_time_to_answer, 0u);
  EXPECT_EQ(i.acd_call_rate, 0);
}

TEST(AgentSessionStatistics, RateIsZeroWhenNoTimeHasPassed) {
  AgentSession s = new_session(at(50));
  go(s, S::kReady, at(50));
  ASSERT_TRUE(s.offer_call(1, at(50)).ok());
  ASSERT_TRUE(s.answer_call(at(50)).ok());
  AgentSessionInfo i = s.info(at(50));
  EXPECT_EQ(i.session_duration, 0u);
  EXPECT_EQ(i.number_of_calls, 1u);
  EXPECT_EQ(i.acd_call_rate, 0);
}

TEST(AgentSessionStatistics, TwelveAndAHalfCallsPerHourIs125000) {
  // One answered call, 288 s of session: 3600 / 288 = 12.5 calls/h.
  AgentSession s = new_session();
  go(s, S::kReady, at(1));
  ASSERT_TRUE(s.offer_call(1, at(2)).ok());
  ASSERT_TRUE(s.answer_call(at(3)).ok());
  EXPECT_EQ(s.info(at(288)).acd_call_rate, 125'000);
}

TEST(AgentSessionStatistics, RateUsesWholeSecondsOfDuration) {
  // 288.9 s of duration reads as 288 s, so the rate is exactly 12.5/h.
  AgentSession s = new_session();
  go(s, S::kReady, at(1));
  ASSERT_TRUE(s.offer_call(1, at(2)).ok());
  ASSERT_TRUE(s.answer_call(at(3)).ok());
  EXPECT_EQ(s.info(at_ms(288'900)).acd_call_rate, 125'000);
}

TEST(AgentSessionStatistics, TimesAreSummedInMillisecondsThenTruncated) {
  // Two talks of 1.5 s: total 3 s (not 1 + 1), average 3 / 2 = 1.
  AgentSession t = new_session();
  ASSERT_TRUE(t.request_state({S::kReady, S::kReady}, at(0)).ok());
  ASSERT_TRUE(t.offer_call(1, at_ms(10'000)).ok());
  ASSERT_TRUE(t.answer_call(at_ms(10'000)).ok());
  ASSERT_TRUE(t.end_call(at_ms(11'500)).ok());
  ASSERT_TRUE(t.offer_call(2, at_ms(20'000)).ok());
  ASSERT_TRUE(t.answer_call(at_ms(20'000)).ok());
  ASSERT_TRUE(t.end_call(at_ms(21'500)).ok());
  AgentSessionInfo i = t.info(at(30));
  EXPECT_EQ(i.total_talk_time, 3u);
  EXPECT_EQ(i.average_talk_time, 1u);
}

TEST(AgentSessionStatistics, TimeToAnswerStartsAtTheOfferToThisSession) {
  AgentSession s = new_session();
  go(s, S::kReady, at(0));
  ASSERT_TRUE(s.offer_call(1, at(40)).ok());
  ASSERT_TRUE(s.answer_call(at(47)).ok());
  EXPECT_EQ(s.info(at(50)).longest_time_to_answer, 7u);
}

TEST(AgentSessionStatistics, OpenWrapUpIsCountedWhenItIsLeft) {
  AgentSession s = new_session();
  go(s, S::kReady, at(0));
  ASSERT_TRUE(s.offer_call(1, at(10)).ok());
  ASSERT_TRUE(s.answer_call(at(10)).ok());
  ASSERT_TRUE(s.end_call(at(20)).ok());
  EXPECT_EQ(s.info(at(50)).total_wrap_up_time, 0u);  // still in wrap-up
  go(s, S::kEnded, at(50));                          // ending closes it
  EXPECT_EQ(s.info(at(60)).total_wrap_up_time, 30u);
}

TEST(AgentSessionStatistics, WrapUpWithoutACallCountsButAveragesStayZero) {
  // An app may report BUSY_ON_CALL and BUSY_WRAPUP itself (docs/reference/flows.md §4.1).
  AgentSession s = new_session();
  go(s, S::kReady, at(0));
  go(s, S::kBusyOnCall, at(10));
  go(s, S::kBusyWrapUp, at(20));
  go(s, S::kReady, at(35));
  AgentSessionInfo i = s.info(at(40));
  EXPECT_EQ(i.number_of_calls, 0u);
  EXPECT_EQ(i.total_talk_time, 0u);
  EXPECT_EQ(i.total_wrap_up_time, 15u);
  EXPECT_EQ(i.total_call_time, 15u);
  EXPECT_EQ(i.average_wrap_up_time, 0u);
}

TEST(AgentSessionStatistics, ClockSteppingBackCountsNoTime) {
  AgentSession s = new_session(at(100));
  go(s, S::kReady, at(100));
  ASSERT_TRUE(s.offer_call(1, at(110)).ok());
  ASSERT_TRUE(s.answer_call(at(105)).ok());
  AgentSessionInfo i = s.info(at(90));
  EXPECT_EQ(i.session_duration, 0u);
  EXPECT_EQ(i.longest_time_to_answer, 0u);
}

TEST(AgentSessionCalls, EndingWhileOnCallStopsTalkTimeAtThatMoment) {
  AgentSession s = new_session();
  go(s, S::kReady, at(0));
  ASSERT_TRUE(s.offer_call(55, at(10)).ok());
  ASSERT_TRUE(s.answer_call(at(20)).ok());
  auto ended = s.request_state(S::kEnded, at(50));
  ASSERT_TRUE(ended.ok());
  EXPECT_EQ(ended->talk_ms, 30'000);
  EXPECT_EQ(ended->released_call, CallId{55});
  EXPECT_TRUE(ended->ended());
  AgentSessionInfo i = s.info(at(100));
  EXPECT_EQ(i.session_duration, 50u);
  EXPECT_EQ(i.total_talk_time, 30u);
  EXPECT_EQ(i.number_of_calls, 1u);
  EXPECT_EQ(s.end_call(at(60)).code(), ErrorCode::kInvalAgentSessionState);
}

TEST(AgentSessionCalls, OfferedCallMovesReadyToBusyOnCall) {
  AgentSession s = new_session();
  go(s, S::kReady, at(0));
  EXPECT_TRUE(s.is_available());
  auto r = s.offer_call(9, at(1));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->old_state, S::kReady);
  EXPECT_EQ(r->new_state, S::kBusyOnCall);
  EXPECT_TRUE(r->call_delivered);
  EXPECT_EQ(s.current_call(), CallId{9});
  EXPECT_FALSE(s.is_available());
}

TEST(AgentSessionCalls, RefusesOfferUnlessReady) {
  AgentSession s = new_session();
  auto r = s.offer_call(1, at(1));
  EXPECT_EQ(r.code(), ErrorCode::kInvalAgentSessionState);
  EXPECT_EQ(lineerr_value(r.code()), static_cast<std::int32_t>(0x8000005Fu));
  EXPECT_EQ(s.state(), S::kNotReady);
  go(s, S::kReady, at(2));
  ASSERT_TRUE(s.offer_call(1, at(3)).ok());
  EXPECT_EQ(s.offer_call(2, at(4)).code(), ErrorCode::kInvalAgentSessionState);
}

TEST(AgentSessionCalls, RefusesAnswerWithoutCallOrTwice) {
  AgentSession s = new_session();
  go(s, S::kReady, at(0));
  EXPECT_EQ(s.answer_call(at(1)).code(), ErrorCode::kInvalAgentSessionState);
  ASSERT_TRUE(s.offer_call(1, at(2)).ok());
  ASSERT_TRUE(s.answer_call(at(3)).ok());
  EXPECT_EQ(s.answer_call(at(4)).code(), ErrorCode::kInvalAgentSessionState);
  EXPECT_EQ(s.info(at(5)).number_of_calls, 1u);
}

TEST(AgentSessionCalls, RefusesEndWithoutCall) {
  AgentSession s = new_session();
  go(s, S::kReady, at(0));
  go(s, S::kBusyOnCall, at(1));  // reported by the app, no ACD call attached
  EXPECT_EQ(s.end_call(at(2)).code(), ErrorCode::kInvalAgentSessionState);
}

TEST(AgentSessionCalls, CallEndsInWrapUpByDefault) {
  AgentSession s = new_session();
  go(s, S::kReady, at(0));
  ASSERT_TRUE(s.offer_call(1, at(1)).ok());
  ASSERT_TRUE(s.answer_call(at(2)).ok());
  auto r = s.end_call(at(12));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->new_state, S::kBusyWrapUp);
  EXPECT_EQ(r->talk_ms, 10'000);
  EXPECT_EQ(r->released_call, CallId{1});
}

TEST(AgentSessionCalls, CallEndsInTheNextStateWhenSet) {
  for (S next : {S::kReady, S::kNotReady, S::kEnded}) {
    AgentSession s = new_session();
    ASSERT_TRUE(s.request_state({S::kReady, next}, at(0)).ok());
    ASSERT_TRUE(s.offer_call(1, at(1)).ok());
    ASSERT_TRUE(s.answer_call(at(2)).ok());
    auto r = s.end_call(at(3));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->new_state, next);
  }
}

TEST(AgentSessionCalls, NextStateIsKeptForLaterCalls) {
  AgentSession s = new_session();
  ASSERT_TRUE(s.request_state({S::kReady, S::kReady}, at(0)).ok());
  for (int k = 0; k < 3; ++k) {
    ASSERT_TRUE(s.offer_call(k, at(10 * k + 1)).ok());
    ASSERT_TRUE(s.answer_call(at(10 * k + 2)).ok());
    ASSERT_TRUE(s.end_call(at(10 * k + 5)).ok());
    EXPECT_EQ(s.state(), S::kReady);
  }
  EXPECT_EQ(s.info(at(40)).next_agent_session_state, 0x02u);
}

TEST(AgentSessionCalls, UnansweredCallEndsInReadyNotWrapUp) {
  AgentSession s = new_session();
  go(s, S::kReady, at(0));
  ASSERT_TRUE(s.offer_call(1, at(1)).ok());
  auto r = s.end_call(at(30));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->new_state, S::kReady);
  EXPECT_EQ(r->talk_ms, 0);
  AgentSessionInfo i = s.info(at(40));
  EXPECT_EQ(i.number_of_calls, 0u);
  EXPECT_EQ(i.longest_time_to_answer, 0u);
}

TEST(AgentSessionCalls, UnansweredCallStillHonoursANotReadyNextState) {
  AgentSession s = new_session();
  ASSERT_TRUE(s.request_state({S::kReady, S::kNotReady}, at(0)).ok());
  ASSERT_TRUE(s.offer_call(1, at(1)).ok());
  EXPECT_EQ(s.end_call(at(2))->new_state, S::kNotReady);
}

TEST(AgentSessionCalls, LeavingTheCallStateByRequestDetachesTheCall) {
  AgentSession s = new_session();
  go(s, S::kReady, at(0));
  ASSERT_TRUE(s.offer_call(77, at(1)).ok());
  ASSERT_TRUE(s.answer_call(at(2)).ok());
  auto r = s.request_state(S::kBusyWrapUp, at(32));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->released_call, CallId{77});
  EXPECT_EQ(r->talk_ms, 30'000);
  EXPECT_FALSE(s.current_call().has_value());
  EXPECT_EQ(s.end_call(at(40)).code(), ErrorCode::kInvalAgentSessionState);
}

TEST(AgentSessionRequests, SameStateSucceedsWithoutChange) {
  AgentSession s = new_session();
  auto r = s.request_state(S::kNotReady, at(1));
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->state_changed());
  EXPECT_FALSE(r->next_state_changed);
  EXPECT_FALSE(r->statistics_changed);
}

TEST(AgentSessionRequests, RefusesWrapUpFromReady) {
  AgentSession s = new_session();
  go(s, S::kReady, at(0));
  auto r = s.request_state(S::kBusyWrapUp, at(1));
  EXPECT_EQ(r.code(), ErrorCode::kInvalAgentState);
  EXPECT_EQ(lineerr_value(r.code()), static_cast<std::int32_t>(0x8000005Au));
  EXPECT_EQ(s.state(), S::kReady);
}

TEST(AgentSessionRequests, RefusedRequestLeavesTheNextStateAlone) {
  AgentSession s = new_session();
  go(s, S::kReady, at(0));
  EXPECT_EQ(s.request_state({S::kBusyWrapUp, S::kNotReady}, at(1)).code(), ErrorCode::kInvalAgentState);
  EXPECT_FALSE(s.next_state().has_value());
}

TEST(AgentSessionRequests, NextStateAloneKeepsTheState) {
  AgentSession s = new_session();
  auto r = s.request_state({std::nullopt, S::kReady}, at(1));
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->state_changed());
  EXPECT_TRUE(r->next_state_changed);
  EXPECT_EQ(s.next_state(), S::kReady);
  // A zero next state later keeps it.
  ASSERT_TRUE(s.request_state({S::kReady, std::nullopt}, at(2)).ok());
  EXPECT_EQ(s.next_state(), S::kReady);
}

TEST(AgentSessionRequests, RefusesRequestedReleased) {
  AgentSession s = new_session();
  EXPECT_EQ(s.request_state(S::kReleased, at(1)).code(), ErrorCode::kInvalAgentState);
  EXPECT_EQ(s.request_state({std::nullopt, S::kReleased}, at(1)).code(), ErrorCode::kInvalAgentState);
  EXPECT_EQ(s.state(), S::kNotReady);
}

TEST(AgentSessionRequests, RefusesBusyOnCallAsNextState) {
  AgentSession s = new_session();
  EXPECT_EQ(s.request_state({std::nullopt, S::kBusyOnCall}, at(1)).code(), ErrorCode::kInvalAgentState);
}

TEST(AgentSessionRequests, EndedSessionRefusesEverythingButEnded) {
  AgentSession s = new_session();
  go(s, S::kEnded, at(5));
  EXPECT_EQ(s.request_state(S::kReady, at(6)).code(), ErrorCode::kInvalAgentState);
  EXPECT_EQ(s.request_state({std::nullopt, S::kReady}, at(6)).code(), ErrorCode::kInvalAgentState);
  auto again = s.request_state(S::kEnded, at(7));
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->state_changed());
  EXPECT_TRUE(s.is_ended());
}

TEST(AgentSessionRelease, ReleasedSessionIsAnInvalidHandle) {
  AgentSession s = new_session();
  go(s, S::kEnded, at(5));
  SessionChange c = s.release(at(6));
  EXPECT_EQ(c.old_state, S::kEnded);
  EXPECT_EQ(c.new_state, S::kReleased);
  EXPECT_FALSE(c.ended());  // it had already ended
  EXPECT_EQ(s.request_state(S::kEnded, at(7)).code(), ErrorCode::kInvalParam);
  EXPECT_EQ(s.offer_call(1, at(7)).code(), ErrorCode::kInvalParam);
  EXPECT_EQ(s.answer_call(at(7)).code(), ErrorCode::kInvalParam);
  EXPECT_EQ(s.end_call(at(7)).code(), ErrorCode::kInvalParam);
  EXPECT_EQ(s.info(at(100)).session_duration, 5u);
  EXPECT_EQ(s.info(at(100)).agent_session_state, 0x20u);
}

TEST(AgentSessionRelease, ReleasingAnActiveSessionEndsItFirst) {
  AgentSession s = new_session();
  go(s, S::kReady, at(0));
  ASSERT_TRUE(s.offer_call(4, at(1)).ok());
  ASSERT_TRUE(s.answer_call(at(2)).ok());
  SessionChange c = s.release(at(12));
  EXPECT_TRUE(c.ended());
  EXPECT_EQ(c.talk_ms, 10'000);
  EXPECT_EQ(c.released_call, CallId{4});
  EXPECT_EQ(s.info(at(50)).session_duration, 12u);
  EXPECT_FALSE(s.release(at(13)).state_changed());  // idempotent
}

TEST(AgentSessionIdentity, KeepsWhatItWasCreatedWith) {
  AgentSession s = new_session(at(3));
  EXPECT_EQ(s.handle(), 7u);
  EXPECT_EQ(s.agent(), 3u);
  EXPECT_EQ(s.group(), kSales);
  EXPECT_EQ(s.working_address(), 2u);
  EXPECT_EQ(s.start_time(), at(3));
  EXPECT_EQ(s.state(), S::kNotReady);
}

// --- time in state -------------------------------------------------------

TEST(AgentSessionStateSince, StartsAtCreationAndMovesOnlyWithTheState) {
  AgentSession s = new_session(at(3));
  EXPECT_EQ(s.state_since(), at(3));
  go(s, S::kReady, at(10));
  EXPECT_EQ(s.state_since(), at(10));
  go(s, S::kReady, at(12));  // same state: nothing changes
  EXPECT_EQ(s.state_since(), at(10));
  ASSERT_TRUE(s.request_state({std::nullopt, S::kNotReady}, at(13)).ok());  // next state only
  EXPECT_EQ(s.state_since(), at(10));
  ASSERT_TRUE(s.offer_call(7, at(20)).ok());
  EXPECT_EQ(s.state_since(), at(20));
  ASSERT_TRUE(s.answer_call(at(22)).ok());  // still BUSY_ON_CALL
  EXPECT_EQ(s.state_since(), at(20));
  ASSERT_TRUE(s.end_call(at(30)).ok());  // → the next state, NOT_READY
  EXPECT_EQ(s.state(), S::kNotReady);
  EXPECT_EQ(s.state_since(), at(30));
}

TEST(AgentSessionStateSince, EndAndReleaseEachMoveIt) {
  AgentSession s = new_session(at(0));
  go(s, S::kEnded, at(5));
  EXPECT_EQ(s.state_since(), at(5));
  s.release(at(9));
  EXPECT_EQ(s.state_since(), at(9));
}

}  // namespace
}  // namespace opentapi::core
