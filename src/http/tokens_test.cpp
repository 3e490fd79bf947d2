#include "http/tokens.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <variant>

namespace opentapi::http {
namespace {

const Tokens kTokens({{"demo-supervisor", "supervisor"}, {"demo-agent-1001", "agent1001"}});

TEST(Tokens, AcceptsABearerHeaderWhateverTheSchemeCase) {
  EXPECT_EQ(kTokens.user_of("Bearer demo-supervisor", std::nullopt), "supervisor");
  EXPECT_EQ(kTokens.user_of("bearer demo-agent-1001", std::nullopt), "agent1001");
}

TEST(Tokens, FallsBackToTheQueryTokenOnlyWithoutAHeader) {
  EXPECT_EQ(kTokens.user_of("", std::string_view("demo-supervisor")), "supervisor");
  // A wrong header is not rescued by a right query token.
  EXPECT_EQ(kTokens.user_of("Bearer nope", std::string_view("demo-supervisor")), std::nullopt);
}

TEST(Tokens, RefusesUnknownTruncatedAndOtherSchemes) {
  EXPECT_EQ(kTokens.user_of("Bearer demo-supervisorX", std::nullopt), std::nullopt);
  EXPECT_EQ(kTokens.user_of("Bearer demo-super", std::nullopt), std::nullopt);
  EXPECT_EQ(kTokens.user_of("Basic ZGVtbw==", std::nullopt), std::nullopt);
  EXPECT_EQ(kTokens.user_of("Bearer", std::nullopt), std::nullopt);
  EXPECT_EQ(kTokens.user_of("", std::nullopt), std::nullopt);
  EXPECT_EQ(kTokens.user_of("", std::string_view("")), std::nullopt);
}

TEST(Tokens, KnowsWhichUsersHaveAToken) {
  const Tokens tokens({{"secret-one", "alice"}, {"secret-two", "alice"}, {"secret-three", "bob"}});
  EXPECT_TRUE(tokens.has_user("alice"));
  EXPECT_TRUE(tokens.has_user("bob"));
  EXPECT_FALSE(tokens.has_user("carol"));
  EXPECT_FALSE(tokens.has_user(""));
  EXPECT_FALSE(Tokens().has_user("alice"));
}

}  // namespace
}  // namespace opentapi::http

namespace opentapi::http {
namespace {

core::LockoutPolicy three_then_one_second() {
  core::LockoutPolicy p;
  p.free_failures = 3;
  p.first_delay_ms = 1000;
  p.max_delay_ms = 8000;
  return p;
}

TEST(Tokens, AcceptsAHashedTokenAndPaysTheSlowCheckOnce) {
  auto hash = secrets::hash_secret("a-long-random-token", secrets::kTokenCost);
  ASSERT_TRUE(hash);
  Tokens tokens({{*hash, "alice"}, {"plain-token-bob", "bob"}});
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(tokens.lookup("a-long-random-token"), "alice");
  const double first = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  start = std::chrono::steady_clock::now();
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(tokens.lookup("a-long-random-token"), "alice");
  const double each =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() / 1000;
  EXPECT_EQ(tokens.lookup("plain-token-bob"), "bob");
  EXPECT_EQ(tokens.lookup(*hash), std::nullopt);  // the hash itself is not the token
  EXPECT_EQ(tokens.lookup("a-long-random-tokeN"), std::nullopt);
  std::printf("[figure] hashed HTTP token: %.2f ms at first use, %.4f ms per request after\n", first, each);
  EXPECT_LT(each, first);
}

TEST(Tokens, WrongTokensLockTheClientAddressOutAndOthersGoOn) {
  Tokens tokens({{"right-token-1", "alice"}}, three_then_one_second());
  for (int i = 0; i < 2; ++i) {
    const auto o = tokens.authenticate("Bearer wrong-token", std::nullopt, "192.0.2.7", i);
    EXPECT_EQ(o.user, std::nullopt);
    EXPECT_TRUE(o.presented);
    EXPECT_EQ(o.retry_after_ms, 0);
    EXPECT_EQ(o.lockout_ms, 0);
  }
  EXPECT_EQ(tokens.authenticate("Bearer wrong-token", std::nullopt, "192.0.2.7", 2).lockout_ms, 1000);
  // Locked out: even the right token is not looked at.
  auto o = tokens.authenticate("Bearer right-token-1", std::nullopt, "192.0.2.7", 1001);
  EXPECT_EQ(o.user, std::nullopt);
  EXPECT_EQ(o.retry_after_ms, 1);
  // Another address is not slowed.
  EXPECT_EQ(tokens.authenticate("Bearer right-token-1", std::nullopt, "192.0.2.8", 1001).user, "alice");
  // After the lockout the right token works, and resets the count.
  EXPECT_EQ(tokens.authenticate("Bearer right-token-1", std::nullopt, "192.0.2.7", 1002).user, "alice");
  EXPECT_EQ(tokens.authenticate("Bearer wrong-token", std::nullopt, "192.0.2.7", 1003).lockout_ms, 0);
  // No token at all is not a guess.
  EXPECT_FALSE(tokens.authenticate("", std::nullopt, "192.0.2.9", 0).presented);
  const Tokens::Counters c = tokens.counters();
  EXPECT_EQ(c.wrong, 4u);
  EXPECT_EQ(c.locked_out, 1u);
  EXPECT_EQ(c.lockouts, 1u);
}

TEST(Tokens, ALockedOutClientGets429WithRetryAfter) {
  Tokens tokens({{"right-token-1", "alice"}}, three_then_one_second());
  Request r{"GET", "/api/v1/board", "Bearer wrong-token", "", "192.0.2.7"};
  for (int i = 0; i < 3; ++i) {
    auto refused = authenticate_request(tokens, r, std::nullopt, "no token", nullptr);
    ASSERT_TRUE(std::holds_alternative<Response>(refused));
    EXPECT_EQ(std::get<Response>(refused).status, 401u);
  }
  r.authorization = "Bearer right-token-1";
  auto locked = authenticate_request(tokens, r, std::nullopt, "no token", nullptr);
  ASSERT_TRUE(std::holds_alternative<Response>(locked));
  const Response& resp = std::get<Response>(locked);
  EXPECT_EQ(resp.status, 429u);
  ASSERT_EQ(resp.headers.size(), 1u);
  EXPECT_EQ(resp.headers[0].first, "Retry-After");
  EXPECT_EQ(resp.headers[0].second, "1");
  EXPECT_NE(resp.body.find("\"TOO_MANY_REQUESTS\""), std::string::npos) << resp.body;
  r.peer = "192.0.2.8";
  auto ok = authenticate_request(tokens, r, std::nullopt, "no token", nullptr);
  ASSERT_TRUE(std::holds_alternative<std::string>(ok));
  EXPECT_EQ(std::get<std::string>(ok), "alice");
}

TEST(Tokens, ReplaceKeepsLockouts) {
  Tokens tokens({{"right-token-1", "alice"}}, three_then_one_second());
  for (int i = 0; i < 3; ++i) (void)tokens.authenticate("Bearer x", std::nullopt, "192.0.2.7", 0);
  tokens.replace({{"right-token-2", "alice"}});
  EXPECT_EQ(tokens.authenticate("Bearer right-token-2", std::nullopt, "192.0.2.7", 10).retry_after_ms, 990);
  EXPECT_EQ(tokens.lookup("right-token-1"), std::nullopt);
  EXPECT_EQ(tokens.lookup("right-token-2"), "alice");
}

}  // namespace
}  // namespace opentapi::http
