#include "secrets/stored_secret.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

namespace opentapi::secrets {
namespace {

double ms_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

TEST(HashSecret, MakesAnArgon2idStringThatVerifiesOnlyItsSecret) {
  auto hash = hash_secret("4711", kPinCost);
  ASSERT_TRUE(hash) << hash.status().to_string();
  EXPECT_TRUE(hash->starts_with("$argon2id$v=19$m=32768,t=3,p=1$")) << *hash;
  EXPECT_TRUE(is_hashed(*hash));
  EXPECT_TRUE(is_valid_hash(*hash));
  SecretVerifier v;
  EXPECT_FALSE(v.verify(*hash, "4712"));
  EXPECT_FALSE(v.verify(*hash, ""));
  EXPECT_TRUE(v.verify(*hash, "4711"));
}

TEST(HashSecret, SaltsEveryHash) {
  auto a = hash_secret("same", kTokenCost);
  auto b = hash_secret("same", kTokenCost);
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(a->starts_with("$argon2id$v=19$m=8192,t=1,p=1$")) << *a;
}

TEST(HashSecret, RefusesACostLibsodiumDoesNotAccept) {
  auto h = hash_secret("x", HashCost{0, 8u << 20});
  ASSERT_FALSE(h);
  EXPECT_EQ(h.status().code(), core::ErrorCode::kInvalParam);
}

TEST(IsValidHash, RefusesTruncatedAndForeignStrings) {
  auto h = hash_secret("4711", kTokenCost);
  ASSERT_TRUE(h);
  EXPECT_FALSE(is_valid_hash(h->substr(0, 30)));
  EXPECT_FALSE(is_valid_hash("$argon2i$v=19$m=8192,t=1,p=1$c2FsdA$aGFzaA"));
  EXPECT_FALSE(is_valid_hash("4711"));
  EXPECT_FALSE(is_hashed("4711"));
}

TEST(SecretVerifier, ComparesPlainValuesExactly) {
  SecretVerifier v;
  EXPECT_TRUE(v.verify("1111", "1111"));
  EXPECT_FALSE(v.verify("1111", "11111"));
  EXPECT_FALSE(v.verify("1111", "111"));
  EXPECT_FALSE(v.verify("", ""));
  EXPECT_EQ(v.verify_quick("1111", "1111"), std::optional<bool>(true));
  EXPECT_EQ(v.slow_checks(), 0u);
}

TEST(SecretVerifier, OnlyTheFirstUseOfAHashPaysTheSlowCheck) {
  auto hash = hash_secret("a-long-random-token", kPinCost);
  ASSERT_TRUE(hash);
  SecretVerifier v;
  EXPECT_EQ(v.verify_quick(*hash, "a-long-random-token"), std::nullopt);
  EXPECT_EQ(v.verify_quick(*hash, "wrong"), std::nullopt);

  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(v.verify(*hash, "wrong"));  // nothing known yet: slow, not remembered
  const double slow_wrong = ms_since(start);
  start = std::chrono::steady_clock::now();
  EXPECT_TRUE(v.verify(*hash, "a-long-random-token"));
  const double slow_right = ms_since(start);
  EXPECT_EQ(v.slow_checks(), 2u);

  start = std::chrono::steady_clock::now();
  constexpr int kQuick = 1000;
  for (int i = 0; i < kQuick; ++i) {
    ASSERT_TRUE(v.verify(*hash, "a-long-random-token"));
    ASSERT_FALSE(v.verify(*hash, "a-long-random-tokeN"));  // known wrong once the secret is known
  }
  const double quick_each = ms_since(start) / (2 * kQuick);
  EXPECT_EQ(v.slow_checks(), 2u);
  EXPECT_EQ(v.verify_quick(*hash, "other"), std::optional<bool>(false));
  std::printf("[figure] Argon2id PIN cost (t=3, m=32 MiB): %.1f ms wrong, %.1f ms right; remembered: %.4f ms\n",
              slow_wrong, slow_right, quick_each);
  EXPECT_LT(quick_each, slow_right / 10);
}

TEST(SecretVerifier, ATokenHashCostsFewMilliseconds) {
  auto hash = hash_secret("a-long-random-token", kTokenCost);
  ASSERT_TRUE(hash);
  SecretVerifier v;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(v.verify(*hash, "wrong"));
  std::printf("[figure] Argon2id token cost (t=1, m=8 MiB): %.1f ms per check\n", ms_since(start));
}

TEST(SecretVerifier, KeysItsDigestsPerProcess) {
  // Two verifiers (two runs of opentapid) do not share what they know.
  auto hash = hash_secret("s3cret", kTokenCost);
  ASSERT_TRUE(hash);
  SecretVerifier a;
  SecretVerifier b;
  ASSERT_TRUE(a.verify(*hash, "s3cret"));
  EXPECT_EQ(b.verify_quick(*hash, "s3cret"), std::nullopt);
}

}  // namespace
}  // namespace opentapi::secrets
