#include "http/exchange.h"

#include <gtest/gtest.h>

namespace opentapi::http {
namespace {

using core::ErrorCode;

TEST(ParseTarget, SplitsPathAndDecodesQuery) {
  const auto t = parse_target("/api/v1/agents/3/history?after=5&limit=10&token=a%2Bb+c");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->path, "/api/v1/agents/3/history");
  EXPECT_EQ(t->query.at("after"), "5");
  EXPECT_EQ(t->query.at("limit"), "10");
  EXPECT_EQ(t->query.at("token"), "a+b c");
}

TEST(ParseTarget, KeepsTheFirstOfRepeatedParameters) {
  const auto t = parse_target("/events?token=right&token=wrong&flag");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->query.at("token"), "right");
  EXPECT_EQ(t->query.at("flag"), "");
}

TEST(ParseTarget, RefusesNonOriginFormAndBadEscapes) {
  EXPECT_FALSE(parse_target("http://example.com/"));
  EXPECT_FALSE(parse_target(""));
  EXPECT_FALSE(parse_target("/x?a=%4"));
  EXPECT_FALSE(parse_target("/x?a=%zz"));
}

TEST(PercentDecode, DecodesEscapesAndOnlyTurnsPlusIntoSpaceInQueries) {
  EXPECT_EQ(percent_decode("a%20b+c", false), "a b+c");
  EXPECT_EQ(percent_decode("a%20b+c", true), "a b c");
  EXPECT_FALSE(percent_decode("%", false));
  EXPECT_FALSE(percent_decode("ab%2", false));
}

TEST(HttpStatusOf, MapsIllegalTransitionsTo409AndOtherInvalidArgumentsTo400) {
  EXPECT_EQ(http_status_of(ErrorCode::kInvalAgentState), 409u);
  EXPECT_EQ(http_status_of(ErrorCode::kInvalAgentSessionState), 409u);
  EXPECT_EQ(http_status_of(ErrorCode::kInvalParam), 400u);
  EXPECT_EQ(http_status_of(ErrorCode::kInvalAgentActivity), 400u);
  EXPECT_EQ(http_status_of(ErrorCode::kResourceUnavail), 503u);
  EXPECT_EQ(http_status_of(ErrorCode::kOperationFailed), 500u);
}

TEST(LineerrResponse, CarriesTheNameAndTheUnsignedLineerrValue) {
  const Response r = lineerr_response(core::Status::error(ErrorCode::kInvalAgentState, "READY to BUSYWRAPUP"));
  ASSERT_EQ(r.status, 409u);
  EXPECT_EQ(r.content_type, "application/json");
  const auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["error"], "LINEERR_INVALAGENTSTATE");
  EXPECT_EQ(body["code"], 2147483738u);
  EXPECT_EQ(body["message"], "READY to BUSYWRAPUP");
}

TEST(ErrorResponse, NamesTheFieldAndSurvivesInvalidUtf8) {
  const Response r = error_response(400, "BAD_REQUEST", "no endpoint /\xff", "state");
  const auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["error"], "BAD_REQUEST");
  EXPECT_EQ(body["code"], 0);
  EXPECT_EQ(body["field"], "state");
}

}  // namespace
}  // namespace opentapi::http
