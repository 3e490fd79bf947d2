#include "switch/call_state.h"

#include <gtest/gtest.h>

#include "switch/errors.h"

namespace opentapi::switching {
namespace {

constexpr CallState kStates[] = {CallState::kIdle,       CallState::kOffering, CallState::kDialing,
                                 CallState::kRingback,   CallState::kBusy,     CallState::kConnected,
                                 CallState::kProceeding, CallState::kOnHold,   CallState::kDisconnected};

TEST(CallStateTable, StatesHaveTheWindowsValues) {
  EXPECT_EQ(dword(CallState::kIdle), 0x00000001u);
  EXPECT_EQ(dword(CallState::kOffering), 0x00000002u);
  EXPECT_EQ(dword(CallState::kDialing), 0x00000010u);
  EXPECT_EQ(dword(CallState::kRingback), 0x00000020u);
  EXPECT_EQ(dword(CallState::kBusy), 0x00000040u);
  EXPECT_EQ(dword(CallState::kConnected), 0x00000100u);
  EXPECT_EQ(dword(CallState::kProceeding), 0x00000200u);
  EXPECT_EQ(dword(CallState::kOnHold), 0x00000400u);
  EXPECT_EQ(dword(CallState::kDisconnected), 0x00004000u);
  std::uint32_t all = 0;
  for (CallState s : kStates) all |= dword(s);
  EXPECT_EQ(all, kAllCallStates);
}

TEST(CallStateTable, AnswersOnlyAnOfferingCall) {
  for (CallState s : kStates) EXPECT_EQ(allows(s, CallOp::kAnswer), s == CallState::kOffering) << to_string(s);
}

TEST(CallStateTable, DropsEveryCallButAnIdleOne) {
  for (CallState s : kStates) EXPECT_EQ(allows(s, CallOp::kDrop), s != CallState::kIdle) << to_string(s);
}

TEST(CallStateTable, HoldsConnectedAndUnholdsHeldCalls) {
  for (CallState s : kStates) {
    EXPECT_EQ(allows(s, CallOp::kHold), s == CallState::kConnected) << to_string(s);
    EXPECT_EQ(allows(s, CallOp::kUnhold), s == CallState::kOnHold) << to_string(s);
  }
}

TEST(CallStateTable, TransfersConnectedAndRedirectsOfferingCalls) {
  for (CallState s : kStates) {
    EXPECT_EQ(allows(s, CallOp::kBlindTransfer), s == CallState::kConnected) << to_string(s);
    EXPECT_EQ(allows(s, CallOp::kRedirect), s == CallState::kOffering) << to_string(s);
    EXPECT_EQ(allows(s, CallOp::kSetCallData), s != CallState::kIdle) << to_string(s);
  }
}

TEST(CallStateTable, FeaturesFollowTheTable) {
  // LINECALLFEATURE_ANSWER | DROP | REDIRECT | SETCALLDATA
  EXPECT_EQ(call_features(CallState::kOffering), 0x00000004u | 0x00000080u | 0x00020000u | 0x80000000u);
  // DROP | HOLD | BLINDTRANSFER | SETCALLDATA
  EXPECT_EQ(call_features(CallState::kConnected), 0x00000080u | 0x00000800u | 0x00000008u | 0x80000000u);
  // DROP | UNHOLD | SETCALLDATA
  EXPECT_EQ(call_features(CallState::kOnHold), 0x00000080u | 0x08000000u | 0x80000000u);
  EXPECT_EQ(call_features(CallState::kRingback), 0x00000080u | 0x80000000u);
  EXPECT_EQ(call_features(CallState::kIdle), 0u);
  EXPECT_EQ(kAllCallFeatures, 0x8802088Cu);
}

TEST(CallStateTable, BusyRuleCountsNeitherHeldNorEndedCalls) {
  EXPECT_FALSE(is_active(CallState::kIdle));
  EXPECT_FALSE(is_active(CallState::kOnHold));
  EXPECT_FALSE(is_active(CallState::kDisconnected));
  EXPECT_TRUE(is_active(CallState::kOffering));
  EXPECT_TRUE(is_active(CallState::kBusy));
  EXPECT_TRUE(is_active(CallState::kConnected));
}

TEST(CallStateTable, RefusalIsInvalCallStateNamingBoth) {
  EXPECT_TRUE(check_op(CallState::kOffering, CallOp::kAnswer).ok());
  const core::Status s = check_op(CallState::kConnected, CallOp::kAnswer);
  EXPECT_EQ(static_cast<std::uint32_t>(s.code()), 0x8000001Cu);
  EXPECT_EQ(s.message(), "cannot answer a call that is CONNECTED");
  EXPECT_EQ(error_name(s.code()), "LINEERR_INVALCALLSTATE");
}

}  // namespace
}  // namespace opentapi::switching
