// PINs at lineCreateAgent / lineCreateAgentSession: hashed PINs and the
// brute-force lockouts (docs/security.md "Secrets at rest", "Brute force").
#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <numeric>
#include <vector>

#include "acd/call_center.h"
#include "acd/error_codes.h"
#include "acd/test_support.h"
#include "secrets/stored_secret.h"
#include "tapi.h"

namespace opentapi::acd {
namespace {

using core::ErrorCode;
using testing::at_ms;
using testing::sales;
using testing::user;

// 3 free failures, then 1 s doubling up to 4 s.
constexpr const char* kLockout = R"(
[security]
failures_before_lockout = 3
lockout_ms = 1000
max_lockout_ms = 4000
quiet_seconds = 900
)";

class PinChecksTest : public ::testing::Test {
 protected:
  bool locked_out(const Status& s) { return s.message().find("locked out") != std::string::npos; }

  std::unique_ptr<CallCenter> cc_ = std::make_unique<CallCenter>(testing::test_config(kLockout), at_ms(0));
};

TEST_F(PinChecksTest, ConfiguredPolicyIsRead) {
  EXPECT_EQ(cc_->config().lockout.free_failures, 3u);
  EXPECT_EQ(cc_->config().lockout.first_delay_ms, 1000);
  EXPECT_EQ(cc_->config().lockout.max_delay_ms, 4000);
  EXPECT_EQ(cc_->config().lockout.quiet_ms, 900'000);
}

TEST_F(PinChecksTest, WrongPinsLockTheAgentAndThePeerOutUntilTheDelayIsOver) {
  for (int i = 0; i < 3; ++i) {
    auto r = cc_->create_agent(user("mallory"), "1001", "0000", at_ms(i));
    EXPECT_EQ(r.code(), ErrorCode::kInvalParam);
    EXPECT_FALSE(locked_out(r.status())) << r.status().to_string();
  }
  // Locked out from t=2 ms for 1000 ms: even the right PIN is refused, unchecked.
  auto early = cc_->create_agent(user("mallory"), "1001", "1111", at_ms(1001));
  EXPECT_EQ(early.code(), ErrorCode::kInvalParam);
  EXPECT_TRUE(locked_out(early.status())) << early.status().to_string();
  // The TAPI caller sees what lineCreateAgent documents for a wrong PIN.
  EXPECT_EQ(reply_code(LINEPROXYREQUEST_CREATEAGENT, early.code()), LINEERR_INVALPARAM);
  // After the lockout the right PIN works.
  EXPECT_TRUE(cc_->create_agent(user("mallory"), "1001", "1111", at_ms(1002)).ok());
  EXPECT_EQ(cc_->pin_counters().wrong, 3u);
  EXPECT_EQ(cc_->pin_counters().locked_out, 1u);
  EXPECT_EQ(cc_->pin_counters().lockouts, 1u);
}

TEST_F(PinChecksTest, AGuesserWaitsAtLeastTheConfiguredDelays) {
  // A client trying a wrong PIN every 10 ms for 60 s: only the attempts
  // outside lockouts are checked, at these instants.
  std::vector<std::int64_t> checked;
  std::uint64_t refused_unchecked = 0;
  for (std::int64_t t = 0; t < 60'000; t += 10) {
    auto r = cc_->create_agent(user("mallory"), "1001", "0000", at_ms(t));
    ASSERT_EQ(r.code(), ErrorCode::kInvalParam);
    if (locked_out(r.status())) {
      ++refused_unchecked;
    } else {
      checked.push_back(t);
    }
  }
  ASSERT_GE(checked.size(), 7u);
  EXPECT_EQ(std::vector<std::int64_t>(checked.begin(), checked.begin() + 7),
            (std::vector<std::int64_t>{0, 10, 20, 1020, 3020, 7020, 11020}));
  EXPECT_EQ(checked.size(), 19u);  // 5 up to 3020, then one every 4 s from 7020 to 59020
  EXPECT_EQ(refused_unchecked, 6000u - 19u);
  // The n-th checked guess comes no earlier than the sum of the lockouts before it.
  const std::vector<std::int64_t> delays{0, 0, 1000, 2000, 4000, 4000};
  std::int64_t sum = 0;
  for (std::size_t n = 0; n < delays.size(); ++n) {
    sum += delays[n];
    EXPECT_GE(checked[n + 1], sum) << "guess " << n + 2;
  }
  std::printf(
      "[figure] 6000 wrong PINs in 60 s from one client: %zu checked, first seven at 0 10 20 1020 3020 "
      "7020 11020 ms\n",
      checked.size());
}

TEST_F(PinChecksTest, AnUnrelatedAgentAndClientAreNotSlowed) {
  for (int i = 0; i < 3; ++i) (void)cc_->create_agent(user("mallory"), "1001", "0000", at_ms(i));
  // Another client, another agent: at once.
  EXPECT_TRUE(cc_->create_agent(user("bob"), "1002", "2222", at_ms(3)).ok());
  // The same client is locked out for every agent, the same agent for every client.
  EXPECT_TRUE(locked_out(cc_->create_agent(user("mallory"), "1003", "3333", at_ms(3)).status()));
  EXPECT_TRUE(locked_out(cc_->create_agent(user("carol"), "1001", "1111", at_ms(3)).status()));
  EXPECT_TRUE(cc_->create_agent(user("carol"), "1003", "3333", at_ms(3)).ok());
}

TEST_F(PinChecksTest, TcpClientsAreCountedByAddressNotPort) {
  EXPECT_EQ(CallCenter::peer_key("tcp:192.0.2.7:40001"), "tcp:192.0.2.7");
  EXPECT_EQ(CallCenter::peer_key("tcp:2001:db8::1:40001"), "tcp:2001:db8::1");
  EXPECT_EQ(CallCenter::peer_key("alice"), "alice");
  const char* ports[] = {"tcp:192.0.2.7:40001", "tcp:192.0.2.7:40002", "tcp:192.0.2.7:40003"};
  const char* agents[] = {"1001", "1002", "1003"};
  for (int i = 0; i < 3; ++i) (void)cc_->create_agent(user(ports[i]), agents[i], "0000", at_ms(i));
  EXPECT_TRUE(locked_out(cc_->create_agent(user("tcp:192.0.2.7:40004"), "1002", "2222", at_ms(3)).status()));
}

TEST_F(PinChecksTest, UnknownAgentIdsCountForTheClient) {
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(cc_->create_agent(user("mallory"), "99" + std::to_string(i), "0000", at_ms(i)).code(),
              ErrorCode::kInvalParam);
  }
  EXPECT_TRUE(locked_out(cc_->create_agent(user("mallory"), "1001", "1111", at_ms(3)).status()));
  // No agent was locked by them.
  EXPECT_TRUE(cc_->create_agent(user("bob"), "1001", "1111", at_ms(3)).ok());
}

TEST_F(PinChecksTest, SuccessResetsAndAQuietPeriodForgets) {
  for (int i = 0; i < 2; ++i) (void)cc_->create_agent(user("alice"), "1001", "0000", at_ms(i));
  EXPECT_TRUE(cc_->create_agent(user("alice"), "1001", "1111", at_ms(2)).ok());
  for (int i = 0; i < 2; ++i) (void)cc_->create_agent(user("alice"), "1001", "0000", at_ms(3 + i));
  EXPECT_FALSE(locked_out(cc_->create_agent(user("alice"), "1001", "1111", at_ms(5)).status()));
}

TEST_F(PinChecksTest, WrongSessionPinsAreInvalPasswordAndCountToo) {
  auto a = cc_->create_agent(user("alice"), "1001", "1111", at_ms(0));
  ASSERT_TRUE(a.ok());
  for (int i = 0; i < 3; ++i) {
    auto r = cc_->create_session(user("alice"), *a, "9", 0, 0, sales(), at_ms(i));
    EXPECT_EQ(r.code(), ErrorCode::kInvalPassword);
  }
  auto locked = cc_->create_session(user("alice"), *a, "1111", 0, 0, sales(), at_ms(500));
  EXPECT_EQ(locked.code(), ErrorCode::kInvalPassword);
  EXPECT_TRUE(locked_out(locked.status()));
  // As before, the caller of lineCreateAgentSession sees LINEERR_INVALPARAM.
  EXPECT_EQ(reply_code(LINEPROXYREQUEST_CREATEAGENTSESSION, locked.code()), LINEERR_INVALPARAM);
  EXPECT_TRUE(cc_->create_session(user("alice"), *a, "1111", 0, 0, sales(), at_ms(1002)).ok());
}

TEST_F(PinChecksTest, EachCheckedFailureIsAuditedWithTheClient) {
  (void)cc_->take_effects();
  for (int i = 0; i < 4; ++i)
    (void)cc_->create_agent(user("tcp:192.0.2.7:40001"), "1001", "0000", at_ms(std::int64_t{i} * 2000));
  (void)cc_->create_agent(user("tcp:192.0.2.7:40001"), "1001", "0000", at_ms(6001));  // locked: not audited
  const Effects fx = cc_->take_effects();
  ASSERT_EQ(fx.batch.audit.size(), 4u);
  EXPECT_EQ(fx.batch.audit[0].object_kind, "login");
  EXPECT_EQ(fx.batch.audit[0].object_key, "id:1001");
  EXPECT_EQ(fx.batch.audit[0].actor, "tcp:192.0.2.7:40001");
  EXPECT_EQ(fx.batch.audit[0].what, "lineCreateAgent: wrong PIN peer=tcp:192.0.2.7");
  EXPECT_EQ(fx.batch.audit[2].what, "lineCreateAgent: wrong PIN peer=tcp:192.0.2.7 lockout_ms=1000");
  EXPECT_EQ(fx.batch.audit[3].what, "lineCreateAgent: wrong PIN peer=tcp:192.0.2.7 lockout_ms=2000");
}

TEST_F(PinChecksTest, HashedPinsOpenOnlyWithTheirPin) {
  auto hash = secrets::hash_secret("1111", secrets::kTokenCost);
  ASSERT_TRUE(hash);
  cc_ = std::make_unique<CallCenter>(
      testing::test_config(std::string(kLockout) + "[[agent]]\nid = \"2001\"\npin = \"" + *hash + "\"\n"), at_ms(0));
  EXPECT_EQ(cc_->create_agent(user("alice"), "2001", "1112", at_ms(0)).code(), ErrorCode::kInvalParam);
  EXPECT_EQ(cc_->create_agent(user("alice"), "2001", *hash, at_ms(1)).code(), ErrorCode::kInvalParam);
  auto a = cc_->create_agent(user("alice"), "2001", "1111", at_ms(2));
  ASSERT_TRUE(a.ok()) << a.status().to_string();
  EXPECT_EQ(cc_->agent(*a)->stored_pin(), *hash);  // the store keeps the hash, never the PIN
  EXPECT_EQ(cc_->create_session(user("alice"), *a, "1112", 0, 0, sales(), at_ms(3)).code(), ErrorCode::kInvalPassword);
  EXPECT_TRUE(cc_->create_session(user("alice"), *a, "1111", 0, 0, sales(), at_ms(4)).ok());
}

TEST_F(PinChecksTest, WithAnOutsideVerifierTheModelNeverMakesTheSlowCheck) {
  auto hash = secrets::hash_secret("1111", secrets::kTokenCost);
  ASSERT_TRUE(hash);
  cc_ = std::make_unique<CallCenter>(
      testing::test_config(std::string(kLockout) + "[[agent]]\nid = \"2001\"\npin = \"" + *hash + "\"\n"), at_ms(0));
  secrets::SecretVerifier verifier;
  cc_->use_pin_verifier(&verifier, false);
  // What the runtime asks before the request reaches the model.
  EXPECT_EQ(cc_->slow_pin_check(user("alice"), 0, "2001", "1111", at_ms(0)), *hash);
  EXPECT_EQ(cc_->slow_pin_check(user("alice"), 0, "1001", "0000", at_ms(0)), std::nullopt);  // plain PIN
  EXPECT_EQ(cc_->slow_pin_check(user("alice"), 0, "2001", "", at_ms(0)), std::nullopt);
  // Not verified yet: the model cannot tell, and refuses.
  EXPECT_EQ(cc_->create_agent(user("alice"), "2001", "1111", at_ms(1)).code(), ErrorCode::kInvalParam);
  ASSERT_TRUE(verifier.verify(*hash, "1111"));
  EXPECT_EQ(cc_->slow_pin_check(user("alice"), 0, "2001", "1111", at_ms(2)), std::nullopt);
  EXPECT_TRUE(cc_->create_agent(user("alice"), "2001", "1111", at_ms(2)).ok());
  EXPECT_EQ(verifier.slow_checks(), 1u);
  // Once the PIN is known a wrong one is answered without a slow check.
  EXPECT_EQ(cc_->create_agent(user("alice"), "2001", "1112", at_ms(3)).code(), ErrorCode::kInvalParam);
  EXPECT_EQ(verifier.slow_checks(), 1u);
}

TEST_F(PinChecksTest, TheSimulatorNeedsNoPin) {
  auto hash = secrets::hash_secret("1111", secrets::kTokenCost);
  ASSERT_TRUE(hash);
  cc_ = std::make_unique<CallCenter>(
      testing::test_config(std::string(kLockout) + "[[agent]]\nid = \"2001\"\npin = \"" + *hash + "\"\n"), at_ms(0));
  EXPECT_TRUE(cc_->create_agent(Actor::system_actor("simulator"), "2001", "", at_ms(0)).ok());
}

}  // namespace
}  // namespace opentapi::acd
