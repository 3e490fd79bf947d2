#include "http/tokens.h"

#include <gtest/gtest.h>

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
