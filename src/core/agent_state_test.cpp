#include "core/agent_state.h"

#include <gtest/gtest.h>

#include <string>

#include "core/test_support.h"

namespace opentapi::core {
namespace {

using A = AgentState;
using T = AgentTrigger;
using G = AgentTarget;

// The model of docs/reference/flows.md §4.3 as decided (see agent_state.h), typed in row by
// row from the decision, independently of kAgentRules.
struct RuleCase {
  A from;
  T trigger;
  G target;
};

constexpr RuleCase kAllRules[] = {
    // UNKNOWN until first reported, then NOT_READY; either request resolves it too.
    {A::kUnknown, T::kFirstReport, G::kNotReady},
    {A::kUnknown, T::kRequestNotReady, G::kNotReady},
    {A::kUnknown, T::kRequestReady, G::kReady},
    {A::kUnknown, T::kAcdCallDelivered, G::kBusyAcd},
    {A::kUnknown, T::kIncomingCall, G::kBusyIncoming},
    {A::kUnknown, T::kOutgoingCall, G::kBusyOutgoing},
    {A::kUnknown, T::kLastCallEnded, G::kStay},
    {A::kUnknown, T::kRelease, G::kReleased},
    // NOT_READY ↔ READY on request; calls make the agent busy.
    {A::kNotReady, T::kFirstReport, G::kStay},
    {A::kNotReady, T::kRequestNotReady, G::kStay},
    {A::kNotReady, T::kRequestReady, G::kReady},
    {A::kNotReady, T::kAcdCallDelivered, G::kBusyAcd},
    {A::kNotReady, T::kIncomingCall, G::kBusyIncoming},
    {A::kNotReady, T::kOutgoingCall, G::kBusyOutgoing},
    {A::kNotReady, T::kLastCallEnded, G::kStay},
    {A::kNotReady, T::kRelease, G::kReleased},
    {A::kReady, T::kFirstReport, G::kStay},
    {A::kReady, T::kRequestNotReady, G::kNotReady},
    {A::kReady, T::kRequestReady, G::kStay},
    {A::kReady, T::kAcdCallDelivered, G::kBusyAcd},
    {A::kReady, T::kIncomingCall, G::kBusyIncoming},
    {A::kReady, T::kOutgoingCall, G::kBusyOutgoing},
    {A::kReady, T::kLastCallEnded, G::kStay},
    {A::kReady, T::kRelease, G::kReleased},
    // Busy: requests are deferred, more calls change nothing, the last call's end resumes.
    {A::kBusyAcd, T::kFirstReport, G::kStay},
    {A::kBusyAcd, T::kRequestNotReady, G::kDefer},
    {A::kBusyAcd, T::kRequestReady, G::kDefer},
    {A::kBusyAcd, T::kAcdCallDelivered, G::kStay},
    {A::kBusyAcd, T::kIncomingCall, G::kStay},
    {A::kBusyAcd, T::kOutgoingCall, G::kStay},
    {A::kBusyAcd, T::kLastCallEnded, G::kResume},
    {A::kBusyAcd, T::kRelease, G::kReleased},
    {A::kBusyIncoming, T::kFirstReport, G::kStay},
    {A::kBusyIncoming, T::kRequestNotReady, G::kDefer},
    {A::kBusyIncoming, T::kRequestReady, G::kDefer},
    {A::kBusyIncoming, T::kAcdCallDelivered, G::kStay},
    {A::kBusyIncoming, T::kIncomingCall, G::kStay},
    {A::kBusyIncoming, T::kOutgoingCall, G::kStay},
    {A::kBusyIncoming, T::kLastCallEnded, G::kResume},
    {A::kBusyIncoming, T::kRelease, G::kReleased},
    {A::kBusyOutgoing, T::kFirstReport, G::kStay},
    {A::kBusyOutgoing, T::kRequestNotReady, G::kDefer},
    {A::kBusyOutgoing, T::kRequestReady, G::kDefer},
    {A::kBusyOutgoing, T::kAcdCallDelivered, G::kStay},
    {A::kBusyOutgoing, T::kIncomingCall, G::kStay},
    {A::kBusyOutgoing, T::kOutgoingCall, G::kStay},
    {A::kBusyOutgoing, T::kLastCallEnded, G::kResume},
    {A::kBusyOutgoing, T::kRelease, G::kReleased},
    // RELEASED: nothing leaves it.
    {A::kReleased, T::kFirstReport, G::kRefuse},
    {A::kReleased, T::kRequestNotReady, G::kRefuse},
    {A::kReleased, T::kRequestReady, G::kRefuse},
    {A::kReleased, T::kAcdCallDelivered, G::kRefuse},
    {A::kReleased, T::kIncomingCall, G::kRefuse},
    {A::kReleased, T::kOutgoingCall, G::kRefuse},
    {A::kReleased, T::kLastCallEnded, G::kRefuse},
    {A::kReleased, T::kRelease, G::kStay},
};

class AgentStateRules : public ::testing::TestWithParam<RuleCase> {};

TEST_P(AgentStateRules, FollowTheDecidedModel) {
  EXPECT_EQ(agent_rule(GetParam().from, GetParam().trigger), GetParam().target);
}

INSTANTIATE_TEST_SUITE_P(AllPairs, AgentStateRules, ::testing::ValuesIn(kAllRules),
                         [](const ::testing::TestParamInfo<RuleCase>& param_info) {
                           return std::string(to_string(param_info.param.from)) + "_" +
                                  std::to_string(static_cast<int>(param_info.param.trigger));
                         });

TEST(AgentStateRules, CoverEveryStateAndTrigger) {
  EXPECT_EQ(std::size(kAllRules), kAgentStateCount * kAgentTriggerCount);
}

TEST(AgentState, ValuesAreTheLineAgentStateExBits) {
  EXPECT_EQ(dword(A::kNotReady), 0x01u);
  EXPECT_EQ(dword(A::kReady), 0x02u);
  EXPECT_EQ(dword(A::kBusyAcd), 0x04u);
  EXPECT_EQ(dword(A::kBusyIncoming), 0x08u);
  EXPECT_EQ(dword(A::kBusyOutgoing), 0x10u);
  EXPECT_EQ(dword(A::kUnknown), 0x20u);
  EXPECT_EQ(dword(A::kReleased), 0x40u);
}

TEST(AgentState, NewAgentIsUnknown) { EXPECT_EQ(kInitialAgentState, A::kUnknown); }

TEST(AgentStateRequests, OnlyNotReadyAndReadyMayBeRequested) {
  EXPECT_EQ(*request_trigger(A::kNotReady), T::kRequestNotReady);
  EXPECT_EQ(*request_trigger(A::kReady), T::kRequestReady);
  for (A refused : {A::kBusyAcd, A::kBusyIncoming, A::kBusyOutgoing, A::kUnknown, A::kReleased}) {
    auto r = request_trigger(refused);
    EXPECT_EQ(r.code(), ErrorCode::kInvalAgentState) << to_string(refused);
    EXPECT_EQ(lineerr_value(r.code()), static_cast<std::int32_t>(0x8000005Au));
  }
}

TEST(AgentStateRequests, OnlyNotReadyAndReadyMayBeNextStates) {
  EXPECT_TRUE(is_valid_next_agent_state(A::kNotReady));
  EXPECT_TRUE(is_valid_next_agent_state(A::kReady));
  EXPECT_FALSE(is_valid_next_agent_state(A::kBusyAcd));
  EXPECT_FALSE(is_valid_next_agent_state(A::kUnknown));
  EXPECT_FALSE(is_valid_next_agent_state(A::kReleased));
}

TEST(AgentStateTargets, NameTheirState) {
  EXPECT_EQ(target_state(G::kBusyAcd), A::kBusyAcd);
  EXPECT_EQ(target_state(G::kReleased), A::kReleased);
  EXPECT_FALSE(target_state(G::kResume).has_value());
  EXPECT_FALSE(target_state(G::kDefer).has_value());
}

TEST(RawAgentState, ZeroMeansKeepAndEachBitIsAState) {
  EXPECT_FALSE(parse_agent_state_value(0)->has_value());
  for (std::uint32_t bit = 0x01; bit <= 0x40; bit <<= 1) {
    auto v = parse_agent_state_value(bit);
    ASSERT_TRUE(v.ok()) << bit;
    EXPECT_EQ(dword(v->value()), bit);
  }
}

TEST(RawAgentState, RefusesTwoBitsAndUnknownBits) {
  EXPECT_EQ(parse_agent_state_value(0x03).code(), ErrorCode::kInvalAgentState);
  EXPECT_EQ(parse_agent_state_value(0x80).code(), ErrorCode::kInvalAgentState);
  EXPECT_EQ(parse_agent_state_value(0x80000000u).code(), ErrorCode::kInvalAgentState);
}

TEST(RawAgentStateRequest, BothZeroIsInvalParam) {
  EXPECT_EQ(parse_agent_state_request(0, 0).code(), ErrorCode::kInvalParam);
}

TEST(RawAgentStateRequest, ReadsBothDwords) {
  auto r = parse_agent_state_request(0x02, 0x01);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->state, A::kReady);
  EXPECT_EQ(r->next, A::kNotReady);
  EXPECT_EQ(parse_agent_state_request(0x01, 0x81).code(), ErrorCode::kInvalAgentState);
}

}  // namespace
}  // namespace opentapi::core
