#include "core/address_agent.h"

#include <gtest/gtest.h>

#include <array>

#include "core/test_support.h"

namespace opentapi::core {
namespace {

using X = AddressAgentState;

constexpr GroupId kSales{{1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}};
constexpr GroupId kSupport{{2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}};
constexpr GroupId kUnknownGroup{{9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}};
constexpr std::array<GroupId, 2> kKnownGroups{kSales, kSupport};
constexpr std::array<ActivityId, 3> kActivities{1, 2, 7};
constexpr std::uint32_t kMaxGroups = 2;

AddressAgent logged_in(X state = X::kNotReady) {
  AddressAgent a(3);
  const std::array<GroupId, 1> groups{kSales};
  EXPECT_TRUE(a.set_groups(groups, kKnownGroups, kMaxGroups).ok());
  if (state != X::kNotReady) {
    EXPECT_TRUE(a.request_state({state, std::nullopt}).ok());
  }
  return a;
}

// Hand-written from the decided model, row by row (address_agent.h).
struct MaskCase {
  X state;
  std::uint32_t valid_states;
  std::uint32_t valid_next_states;
  std::uint32_t features;
};
constexpr MaskCase kMasks[] = {
    {X::kLoggedOff, 0x000, 0x000, 0x31},    {X::kNotReady, 0x006, 0x086, 0x37},
    {X::kReady, 0x006, 0x086, 0x37},        {X::kBusyAcd, 0x000, 0x086, 0x37},
    {X::kBusyIncoming, 0x000, 0x086, 0x37}, {X::kBusyOutbound, 0x000, 0x086, 0x37},
    {X::kBusyOther, 0x000, 0x086, 0x37},    {X::kWorkingAfterCall, 0x086, 0x086, 0x37},
    {X::kUnknown, 0x000, 0x000, 0x30},      {X::kUnavail, 0x000, 0x000, 0x00},
};

TEST(AddressAgentMasks, ValidStatesPerCurrentState) {
  for (const MaskCase& m : kMasks) {
    SCOPED_TRACE(std::string(to_string(m.state)));
    EXPECT_EQ(valid_states(m.state), m.valid_states);
    EXPECT_EQ(valid_next_states(m.state), m.valid_next_states);
    EXPECT_EQ(agent_features(m.state), m.features);
  }
}

TEST(AddressAgentMasks, StateValuesAreTheLineAgentStateBits) {
  EXPECT_EQ(dword(X::kLoggedOff), 0x01u);
  EXPECT_EQ(dword(X::kNotReady), 0x02u);
  EXPECT_EQ(dword(X::kReady), 0x04u);
  EXPECT_EQ(dword(X::kBusyAcd), 0x08u);
  EXPECT_EQ(dword(X::kBusyIncoming), 0x10u);
  EXPECT_EQ(dword(X::kBusyOutbound), 0x20u);
  EXPECT_EQ(dword(X::kBusyOther), 0x40u);
  EXPECT_EQ(dword(X::kWorkingAfterCall), 0x80u);
  EXPECT_EQ(dword(X::kUnknown), 0x100u);
  EXPECT_EQ(dword(X::kUnavail), 0x200u);
}

TEST(AddressAgentLogin, StartsLoggedOff) {
  AddressAgent a(3);
  AddressAgentStatus s = a.status();
  EXPECT_EQ(s.state, 0x01u);
  EXPECT_TRUE(s.groups.empty());
  EXPECT_EQ(s.valid_states, 0u);
  EXPECT_EQ(s.valid_next_states, 0u);
}

TEST(AddressAgentLogin, LoggedOffRefusesStateRequests) {
  AddressAgent a(3);
  for (X to : {X::kReady, X::kNotReady, X::kLoggedOff}) {
    auto r = a.request_state({to, std::nullopt});
    EXPECT_EQ(r.code(), ErrorCode::kInvalAgentState) << to_string(to);
    EXPECT_EQ(lineerr_value(r.code()), static_cast<std::int32_t>(0x8000005Au));
  }
  EXPECT_EQ(a.request_state({std::nullopt, X::kReady}).code(), ErrorCode::kInvalAgentState);
}

TEST(AddressAgentLogin, LoggedOffRefusesActivityWithInvalAddressState) {
  AddressAgent a(3);
  auto r = a.set_activity(1, kActivities);
  EXPECT_EQ(r.code(), ErrorCode::kInvalAddressState);
  EXPECT_EQ(lineerr_value(r.code()), static_cast<std::int32_t>(0x80000013u));
}

TEST(AddressAgentLogin, GroupsLogTheAgentInNotReady) {
  AddressAgent a(3);
  const std::array<GroupId, 2> groups{kSales, kSupport};
  auto r = a.set_groups(groups, kKnownGroups, kMaxGroups);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->new_state, X::kNotReady);
  EXPECT_EQ(r->status_bits(),
            kAgentStatusGroup | kAgentStatusState | kAgentStatusValidStates | kAgentStatusValidNextStates);
  EXPECT_EQ(a.status().groups.size(), 2u);
}

TEST(AddressAgentLogin, ChangingGroupsWhileLoggedInKeepsTheState) {
  AddressAgent a = logged_in(X::kReady);
  const std::array<GroupId, 1> groups{kSupport};
  auto r = a.set_groups(groups, kKnownGroups, kMaxGroups);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->state_changed());
  EXPECT_EQ(r->status_bits(), kAgentStatusGroup);
}

TEST(AddressAgentLogin, RefusesUnknownDuplicateOrTooManyGroups) {
  AddressAgent a(3);
  const std::array<GroupId, 1> unknown{kUnknownGroup};
  const std::array<GroupId, 2> twice{kSales, kSales};
  const std::array<GroupId, 3> many{kSales, kSupport, kUnknownGroup};
  EXPECT_EQ(a.set_groups(unknown, kKnownGroups, kMaxGroups).code(), ErrorCode::kInvalAgentGroup);
  EXPECT_EQ(a.set_groups(twice, kKnownGroups, kMaxGroups).code(), ErrorCode::kInvalAgentGroup);
  EXPECT_EQ(a.set_groups(many, kKnownGroups, kMaxGroups).code(), ErrorCode::kInvalAgentGroup);
  EXPECT_EQ(lineerr_value(ErrorCode::kInvalAgentGroup), static_cast<std::int32_t>(0x80000058u));
  EXPECT_EQ(a.state(), X::kLoggedOff);
}

TEST(AddressAgentLogin, EmptyGroupListLogsOffAndForgetsNextStateAndActivity) {
  AddressAgent a = logged_in(X::kReady);
  ASSERT_TRUE(a.request_state({std::nullopt, X::kReady}).ok());
  ASSERT_TRUE(a.set_activity(7, kActivities).ok());
  auto r = a.set_groups({}, kKnownGroups, kMaxGroups);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->new_state, X::kLoggedOff);
  EXPECT_TRUE(r->next_state_changed);
  EXPECT_TRUE(r->activity_changed);
  AddressAgentStatus s = a.status();
  EXPECT_EQ(s.state, 0x01u);
  EXPECT_EQ(s.next_state, 0u);
  EXPECT_EQ(s.activity_id, 0u);
}

TEST(AddressAgentLogin, RefusesToLogOffDuringACall) {
  AddressAgent a = logged_in(X::kReady);
  ASSERT_TRUE(a.call_started(AddressCallKind::kAcd).ok());
  EXPECT_EQ(a.set_groups({}, kKnownGroups, kMaxGroups).code(), ErrorCode::kInvalAddressState);
  EXPECT_EQ(a.state(), X::kBusyAcd);
}

TEST(AddressAgentRequests, NotReadyAndReadyBothWays) {
  AddressAgent a = logged_in();
  EXPECT_EQ(a.request_state({X::kReady, std::nullopt})->new_state, X::kReady);
  EXPECT_EQ(a.request_state({X::kNotReady, std::nullopt})->new_state, X::kNotReady);
  auto same = a.request_state({X::kNotReady, std::nullopt});
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->status_bits(), 0u);
}

TEST(AddressAgentRequests, RefusesWorkingAfterCallFromReady) {
  AddressAgent a = logged_in(X::kReady);
  EXPECT_EQ(a.request_state({X::kWorkingAfterCall, std::nullopt}).code(), ErrorCode::kInvalAgentState);
}

TEST(AddressAgentRequests, RefusesBusyAndLoggedOffAsRequestedStates) {
  AddressAgent a = logged_in(X::kReady);
  for (X to :
       {X::kBusyAcd, X::kBusyIncoming, X::kBusyOutbound, X::kBusyOther, X::kLoggedOff, X::kUnknown, X::kUnavail}) {
    EXPECT_EQ(a.request_state({to, std::nullopt}).code(), ErrorCode::kInvalAgentState) << to_string(to);
  }
  EXPECT_EQ(a.request_state({std::nullopt, X::kBusyAcd}).code(), ErrorCode::kInvalAgentState);
}

TEST(AddressAgentRequests, WhileBusyOnlyTheNextStateMayChange) {
  AddressAgent a = logged_in(X::kReady);
  ASSERT_TRUE(a.call_started(AddressCallKind::kIncoming).ok());
  EXPECT_EQ(a.request_state({X::kReady, std::nullopt}).code(), ErrorCode::kInvalAgentState);
  auto next = a.request_state({std::nullopt, X::kNotReady});
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->status_bits(), kAgentStatusNextState);
  EXPECT_EQ(a.call_ended()->new_state, X::kNotReady);
}

TEST(AddressAgentRequests, RefusedRequestChangesNothing) {
  AddressAgent a = logged_in(X::kReady);
  EXPECT_EQ(a.request_state({X::kNotReady, X::kBusyOther}).code(), ErrorCode::kInvalAgentState);
  EXPECT_EQ(a.state(), X::kReady);
  EXPECT_FALSE(a.next_state().has_value());
}

TEST(AddressAgentRequests, WorkingAfterCallCanBeLeftForReady) {
  AddressAgent a = logged_in(X::kReady);
  ASSERT_TRUE(a.call_started(AddressCallKind::kAcd).ok());
  ASSERT_TRUE(a.call_ended().ok());
  ASSERT_EQ(a.state(), X::kWorkingAfterCall);
  EXPECT_EQ(a.request_state({X::kReady, std::nullopt})->new_state, X::kReady);
}

TEST(AddressAgentCalls, AcdCallNeedsAReadyAgent) {
  AddressAgent off(3);
  EXPECT_EQ(off.call_started(AddressCallKind::kAcd).code(), ErrorCode::kInvalAgentState);
  AddressAgent not_ready = logged_in();
  EXPECT_EQ(not_ready.call_started(AddressCallKind::kAcd).code(), ErrorCode::kInvalAgentState);
  AddressAgent ready = logged_in(X::kReady);
  auto r = ready.call_started(AddressCallKind::kAcd);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->new_state, X::kBusyAcd);
  EXPECT_EQ(r->status_bits(), kAgentStatusState | kAgentStatusValidStates);
}

TEST(AddressAgentCalls, AcdCallEndsInWorkingAfterCallByDefault) {
  AddressAgent a = logged_in(X::kReady);
  ASSERT_TRUE(a.call_started(AddressCallKind::kAcd).ok());
  EXPECT_EQ(a.call_ended()->new_state, X::kWorkingAfterCall);
}

TEST(AddressAgentCalls, CallEndsInTheNextStateWhenSetAndKeepsIt) {
  AddressAgent a = logged_in(X::kReady);
  ASSERT_TRUE(a.request_state({std::nullopt, X::kReady}).ok());
  for (int k = 0; k < 2; ++k) {
    ASSERT_TRUE(a.call_started(AddressCallKind::kAcd).ok());
    EXPECT_EQ(a.call_ended()->new_state, X::kReady);
  }
  EXPECT_EQ(a.status().next_state, 0x04u);
}

TEST(AddressAgentCalls, NonAcdCallReturnsToTheStateHeldBefore) {
  struct Case {
    AddressCallKind kind;
    X busy;
  };
  for (Case c : {Case{AddressCallKind::kIncoming, X::kBusyIncoming}, Case{AddressCallKind::kOutbound, X::kBusyOutbound},
                 Case{AddressCallKind::kOther, X::kBusyOther}}) {
    AddressAgent a = logged_in(X::kNotReady);
    EXPECT_EQ(a.call_started(c.kind)->new_state, c.busy);
    EXPECT_EQ(a.call_ended()->new_state, X::kNotReady);
  }
}

TEST(AddressAgentCalls, SecondCallKeepsTheStateUntilBothEnd) {
  AddressAgent a = logged_in(X::kReady);
  ASSERT_TRUE(a.call_started(AddressCallKind::kIncoming).ok());
  EXPECT_FALSE(a.call_started(AddressCallKind::kOutbound)->state_changed());
  EXPECT_FALSE(a.call_ended()->state_changed());
  EXPECT_EQ(a.call_ended()->new_state, X::kReady);
}

TEST(AddressAgentCalls, PersonalCallOnALoggedOffAddressKeepsItLoggedOff) {
  AddressAgent a(3);
  EXPECT_FALSE(a.call_started(AddressCallKind::kOutbound)->state_changed());
  EXPECT_FALSE(a.call_ended()->state_changed());
  EXPECT_EQ(a.state(), X::kLoggedOff);
}

TEST(AddressAgentCalls, EndWithoutACallIsInvalParam) {
  AddressAgent a = logged_in();
  EXPECT_EQ(a.call_ended().code(), ErrorCode::kInvalParam);
}

TEST(AddressAgentActivity, KnownActivityIsSetUnknownRefused) {
  AddressAgent a = logged_in();
  auto r = a.set_activity(7, kActivities);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status_bits(), kAgentStatusActivity);
  EXPECT_EQ(a.status().activity_id, 7u);
  auto bad = a.set_activity(8, kActivities);
  EXPECT_EQ(bad.code(), ErrorCode::kInvalAgentActivity);
  EXPECT_EQ(lineerr_value(bad.code()), static_cast<std::int32_t>(0x8000005Bu));
  EXPECT_EQ(a.activity(), 7u);
}

TEST(RawAddressAgentState, ZeroKeepsAndEachOfTheTenBitsIsAState) {
  EXPECT_FALSE(parse_address_agent_state_value(0)->has_value());
  for (std::uint32_t bit = 0x001; bit <= 0x200; bit <<= 1) {
    auto v = parse_address_agent_state_value(bit);
    ASSERT_TRUE(v.ok()) << bit;
    EXPECT_EQ(dword(v->value()), bit);
  }
}

TEST(RawAddressAgentState, RefusesTwoBitsAndDeviceSpecificBits) {
  EXPECT_EQ(parse_address_agent_state_value(0x006).code(), ErrorCode::kInvalAgentState);
  EXPECT_EQ(parse_address_agent_state_value(0x400).code(), ErrorCode::kInvalAgentState);
  EXPECT_EQ(parse_address_agent_state_value(0x10000).code(), ErrorCode::kInvalAgentState);
}

TEST(RawAddressAgentStateRequest, BothZeroIsInvalParam) {
  EXPECT_EQ(parse_address_agent_state_request(0, 0).code(), ErrorCode::kInvalParam);
  auto r = parse_address_agent_state_request(0x04, 0x80);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->state, X::kReady);
  EXPECT_EQ(r->next, X::kWorkingAfterCall);
}

TEST(AddressAgentStatusReport, ReflectsTheCurrentState) {
  AddressAgent a = logged_in(X::kReady);
  AddressAgentStatus s = a.status();
  EXPECT_EQ(s.state, 0x04u);
  EXPECT_EQ(s.valid_states, 0x06u);
  EXPECT_EQ(s.valid_next_states, 0x86u);
  EXPECT_EQ(s.agent_features, 0x37u);
  ASSERT_EQ(s.groups.size(), 1u);
  EXPECT_EQ(s.groups[0], kSales);
}

}  // namespace
}  // namespace opentapi::core
