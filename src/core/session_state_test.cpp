#include "core/session_state.h"

#include <gtest/gtest.h>

#include <string>

#include "core/test_support.h"

namespace opentapi::core {
namespace {

using S = SessionState;
constexpr std::int32_t kInvalAgentStateValue = static_cast<std::int32_t>(0x8000005Au);

// The 25 pairs of docs/reference/flows.md §4.1, typed in from the spec's table (not derived
// from kSessionTransitions, so a wrong cell there fails here).
enum class Expect { kChanged, kSame, kRefused };
struct TransitionCase {
  S from;
  S to;
  Expect expect;
};

constexpr TransitionCase kAllTransitions[] = {
    {S::kNotReady, S::kNotReady, Expect::kSame},
    {S::kNotReady, S::kReady, Expect::kChanged},
    {S::kNotReady, S::kBusyOnCall, Expect::kRefused},
    {S::kNotReady, S::kBusyWrapUp, Expect::kRefused},
    {S::kNotReady, S::kEnded, Expect::kChanged},
    {S::kReady, S::kNotReady, Expect::kChanged},
    {S::kReady, S::kReady, Expect::kSame},
    {S::kReady, S::kBusyOnCall, Expect::kChanged},
    {S::kReady, S::kBusyWrapUp, Expect::kRefused},
    {S::kReady, S::kEnded, Expect::kChanged},
    {S::kBusyOnCall, S::kNotReady, Expect::kChanged},
    {S::kBusyOnCall, S::kReady, Expect::kChanged},
    {S::kBusyOnCall, S::kBusyOnCall, Expect::kSame},
    {S::kBusyOnCall, S::kBusyWrapUp, Expect::kChanged},
    {S::kBusyOnCall, S::kEnded, Expect::kChanged},
    {S::kBusyWrapUp, S::kNotReady, Expect::kChanged},
    {S::kBusyWrapUp, S::kReady, Expect::kChanged},
    {S::kBusyWrapUp, S::kBusyOnCall, Expect::kRefused},
    {S::kBusyWrapUp, S::kBusyWrapUp, Expect::kSame},
    {S::kBusyWrapUp, S::kEnded, Expect::kChanged},
    {S::kEnded, S::kNotReady, Expect::kRefused},
    {S::kEnded, S::kReady, Expect::kRefused},
    {S::kEnded, S::kBusyOnCall, Expect::kRefused},
    {S::kEnded, S::kBusyWrapUp, Expect::kRefused},
    {S::kEnded, S::kEnded, Expect::kSame},
};

class SessionTransitionTable : public ::testing::TestWithParam<TransitionCase> {};

TEST_P(SessionTransitionTable, MatchesTheDocumentedTable) {
  const TransitionCase& c = GetParam();
  auto verdict = check_session_transition(c.from, c.to);
  switch (c.expect) {
    case Expect::kChanged:
      ASSERT_TRUE(verdict.ok()) << verdict.status().to_string();
      EXPECT_EQ(*verdict, StateChange::kChanged);
      EXPECT_EQ(session_transition(c.from, c.to), SessionTransition::kAllowed);
      break;
    case Expect::kSame:
      ASSERT_TRUE(verdict.ok()) << verdict.status().to_string();
      EXPECT_EQ(*verdict, StateChange::kNone);
      EXPECT_EQ(session_transition(c.from, c.to), SessionTransition::kSame);
      break;
    case Expect::kRefused:
      ASSERT_FALSE(verdict.ok());
      EXPECT_EQ(verdict.code(), ErrorCode::kInvalAgentState);
      EXPECT_EQ(lineerr_value(verdict.code()), kInvalAgentStateValue);
      EXPECT_EQ(session_transition(c.from, c.to), SessionTransition::kRefused);
      break;
  }
}

INSTANTIATE_TEST_SUITE_P(AllPairs, SessionTransitionTable, ::testing::ValuesIn(kAllTransitions),
                         [](const ::testing::TestParamInfo<TransitionCase>& param_info) {
                           return std::string(to_string(param_info.param.from)) + "_to_" +
                                  std::string(to_string(param_info.param.to));
                         });

TEST(SessionTransitionTable, HasExactlyTwentyFivePairsCovered) { EXPECT_EQ(std::size(kAllTransitions), 25u); }

TEST(SessionStateMachine, RefusesWrapUpFromReady) {
  EXPECT_EQ(check_session_transition(S::kReady, S::kBusyWrapUp).code(), ErrorCode::kInvalAgentState);
}

TEST(SessionStateMachine, RefusesCallStraightFromNotReady) {
  EXPECT_EQ(check_session_transition(S::kNotReady, S::kBusyOnCall).code(), ErrorCode::kInvalAgentState);
}

TEST(SessionStateMachine, EndedIsTerminal) {
  for (S to : {S::kNotReady, S::kReady, S::kBusyOnCall, S::kBusyWrapUp}) {
    EXPECT_EQ(check_session_transition(S::kEnded, to).code(), ErrorCode::kInvalAgentState) << to_string(to);
  }
}

TEST(SessionStateMachine, RefusesRequestedReleasedFromEveryState) {
  for (S from : {S::kNotReady, S::kReady, S::kBusyOnCall, S::kBusyWrapUp, S::kEnded}) {
    auto verdict = check_session_transition(from, S::kReleased);
    EXPECT_EQ(verdict.code(), ErrorCode::kInvalAgentState) << to_string(from);
    EXPECT_EQ(lineerr_value(verdict.code()), kInvalAgentStateValue);
  }
}

TEST(SessionStateMachine, ReleasedSessionIsAnInvalidHandle) {
  EXPECT_EQ(check_session_transition(S::kReleased, S::kReady).code(), ErrorCode::kInvalParam);
  EXPECT_EQ(session_transition(S::kReleased, S::kReleased), SessionTransition::kRefused);
}

TEST(SessionStateMachine, NewSessionStartsNotReadyAndDefaultsToWrapUpAfterACall) {
  EXPECT_EQ(kInitialSessionState, S::kNotReady);
  EXPECT_EQ(kDefaultNextSessionState, S::kBusyWrapUp);
}

TEST(SessionStateMachine, StateValuesAreTheLineAgentSessionStateBits) {
  EXPECT_EQ(dword(S::kNotReady), 0x01u);
  EXPECT_EQ(dword(S::kReady), 0x02u);
  EXPECT_EQ(dword(S::kBusyOnCall), 0x04u);
  EXPECT_EQ(dword(S::kBusyWrapUp), 0x08u);
  EXPECT_EQ(dword(S::kEnded), 0x10u);
  EXPECT_EQ(dword(S::kReleased), 0x20u);
}

TEST(NextSessionState, AcceptsWhatACallMayEndIn) {
  for (S next : {S::kNotReady, S::kReady, S::kBusyWrapUp, S::kEnded}) {
    EXPECT_TRUE(is_valid_next_session_state(next)) << to_string(next);
    EXPECT_TRUE(check_next_session_state(next).ok());
  }
}

TEST(NextSessionState, RefusesBusyOnCallAndReleased) {
  EXPECT_EQ(check_next_session_state(S::kBusyOnCall).code(), ErrorCode::kInvalAgentState);
  EXPECT_EQ(check_next_session_state(S::kReleased).code(), ErrorCode::kInvalAgentState);
}

TEST(RawSessionState, ZeroMeansKeep) {
  auto v = parse_session_state_value(0);
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->has_value());
}

TEST(RawSessionState, EverySingleDefinedBitIsAccepted) {
  for (std::uint32_t bit = 0x01; bit <= 0x20; bit <<= 1) {
    auto v = parse_session_state_value(bit);
    ASSERT_TRUE(v.ok()) << bit;
    EXPECT_EQ(dword(v->value()), bit);
  }
}

TEST(RawSessionState, RefusesTwoBits) {
  EXPECT_EQ(parse_session_state_value(0x03).code(), ErrorCode::kInvalAgentState);
  EXPECT_EQ(parse_session_state_value(0x14).code(), ErrorCode::kInvalAgentState);
}

TEST(RawSessionState, RefusesBitsAboveReleased) {
  EXPECT_EQ(parse_session_state_value(0x40).code(), ErrorCode::kInvalAgentState);
  EXPECT_EQ(parse_session_state_value(0x80000000u).code(), ErrorCode::kInvalAgentState);
  EXPECT_EQ(parse_session_state_value(0xFFFFFFFFu).code(), ErrorCode::kInvalAgentState);
}

TEST(RawSessionStateRequest, BothZeroIsInvalParam) {
  auto r = parse_session_state_request(0, 0);
  EXPECT_EQ(r.code(), ErrorCode::kInvalParam);
  EXPECT_EQ(lineerr_value(r.code()), static_cast<std::int32_t>(0x80000032u));
}

TEST(RawSessionStateRequest, NextOnlyKeepsTheState) {
  auto r = parse_session_state_request(0, 0x02);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->state.has_value());
  EXPECT_EQ(r->next, S::kReady);
}

TEST(RawSessionStateRequest, MalformedNextIsInvalAgentState) {
  EXPECT_EQ(parse_session_state_request(0x02, 0x06).code(), ErrorCode::kInvalAgentState);
  EXPECT_EQ(parse_session_state_request(0x100, 0).code(), ErrorCode::kInvalAgentState);
}

TEST(RawSessionStateRequest, ReleasedPassesTheFormCheck) {
  // RELEASED is a real constant; refusing it is the state machine's job.
  auto r = parse_session_state_request(0x20, 0);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->state, S::kReleased);
}

}  // namespace
}  // namespace opentapi::core
