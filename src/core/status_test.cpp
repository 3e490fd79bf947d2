#include "core/status.h"

#include <gtest/gtest.h>
#include <tapi.h>

#include <string>

#include "core/test_support.h"

namespace opentapi::core {
namespace {

TEST(ErrorCode, ValuesAreTheLineerrNumbers) {
  // docs/reference/tapi2-agent.md §7, typed in from the table, not from the enum.
  EXPECT_EQ(static_cast<std::uint32_t>(ErrorCode::kInvalAddressId), 0x80000011u);
  EXPECT_EQ(static_cast<std::uint32_t>(ErrorCode::kInvalAddressState), 0x80000013u);
  EXPECT_EQ(static_cast<std::uint32_t>(ErrorCode::kInvalParam), 0x80000032u);
  EXPECT_EQ(static_cast<std::uint32_t>(ErrorCode::kInvalPointer), 0x80000035u);
  EXPECT_EQ(static_cast<std::uint32_t>(ErrorCode::kNoMem), 0x80000044u);
  EXPECT_EQ(static_cast<std::uint32_t>(ErrorCode::kOperationFailed), 0x80000048u);
  EXPECT_EQ(static_cast<std::uint32_t>(ErrorCode::kOperationUnavail), 0x80000049u);
  EXPECT_EQ(static_cast<std::uint32_t>(ErrorCode::kResourceUnavail), 0x8000004Bu);
  EXPECT_EQ(static_cast<std::uint32_t>(ErrorCode::kStructureTooSmall), 0x8000004Du);
  EXPECT_EQ(static_cast<std::uint32_t>(ErrorCode::kInvalAgentId), 0x80000057u);
  EXPECT_EQ(static_cast<std::uint32_t>(ErrorCode::kInvalAgentGroup), 0x80000058u);
  EXPECT_EQ(static_cast<std::uint32_t>(ErrorCode::kInvalPassword), 0x80000059u);
  EXPECT_EQ(static_cast<std::uint32_t>(ErrorCode::kInvalAgentState), 0x8000005Au);
  EXPECT_EQ(static_cast<std::uint32_t>(ErrorCode::kInvalAgentActivity), 0x8000005Bu);
  EXPECT_EQ(static_cast<std::uint32_t>(ErrorCode::kInvalAgentSessionState), 0x8000005Fu);
}

TEST(ErrorCode, LineerrValueIsTheNegativeLongOfTheConstant) {
  EXPECT_EQ(lineerr_value(ErrorCode::kOk), 0);
  EXPECT_EQ(lineerr_value(ErrorCode::kInvalAgentState), -2147483558);  // (LONG)0x8000005A
  EXPECT_EQ(lineerr_value(ErrorCode::kInvalParam), static_cast<std::int32_t>(0x80000032u));
  EXPECT_LT(lineerr_value(ErrorCode::kOperationFailed), 0);
}

TEST(ErrorCode, NamesSpellTheLineerrConstant) {
  EXPECT_EQ(error_code_name(ErrorCode::kInvalAgentState), "LINEERR_INVALAGENTSTATE");
  EXPECT_EQ(error_code_name(ErrorCode::kInvalAgentSessionState), "LINEERR_INVALAGENTSESSIONSTATE");
  EXPECT_EQ(error_code_name(ErrorCode::kOk), "OK");
  EXPECT_EQ(error_code_name(static_cast<ErrorCode>(0x80000004u)), "LINEERR_0x80000004");  // no LINEERR_ has it
  // Codes outside the enum that a TAPI program receives are named too.
  EXPECT_EQ(error_code_name(static_cast<ErrorCode>(0x80000001u)), "LINEERR_ALLOCATED");
  EXPECT_EQ(error_code_name(static_cast<ErrorCode>(0x80000002u)), "LINEERR_BADDEVICEID");
  EXPECT_EQ(error_code_name(static_cast<ErrorCode>(0x80000052u)), "LINEERR_REINIT");
  EXPECT_EQ(error_code_name(static_cast<ErrorCode>(0x80000061u)), "LINEERR_SERVICE_NOT_RUNNING");
  EXPECT_EQ(error_code_name(static_cast<ErrorCode>(0x80000062u)), "LINEERR_0x80000062");
}

TEST(Status, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kOk);
  EXPECT_EQ(s.lineerr(), 0);
  EXPECT_EQ(s.to_string(), "OK");
}

TEST(Status, ErrorCarriesCodeAndMessage) {
  Status s = Status::error(ErrorCode::kInvalAgentState, "from READY to BUSY_WRAPUP");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kInvalAgentState);
  EXPECT_EQ(s.message(), "from READY to BUSY_WRAPUP");
  EXPECT_EQ(s.lineerr(), static_cast<std::int32_t>(0x8000005Au));
  EXPECT_EQ(s.to_string(), "LINEERR_INVALAGENTSTATE: from READY to BUSY_WRAPUP");
}

TEST(Status, ErrorWithOkCodeIsOk) { EXPECT_TRUE(Status::error(ErrorCode::kOk, "ignored").ok()); }

TEST(Result, HoldsAValue) {
  Result<int> r = 42;
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(static_cast<bool>(r));
  EXPECT_EQ(*r, 42);
  EXPECT_TRUE(r.status().ok());
  EXPECT_EQ(r.code(), ErrorCode::kOk);
}

TEST(Result, HoldsAnError) {
  Result<std::string> r = Status::error(ErrorCode::kInvalParam, "bad");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), ErrorCode::kInvalParam);
  EXPECT_EQ(r.status().message(), "bad");
}

TEST(Result, OkStatusWithoutValueBecomesOperationFailed) {
  Result<int> r = Status();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), ErrorCode::kOperationFailed);
}

TEST(Result, MovesItsValueOut) {
  Result<std::string> r = std::string(100, 'x');
  std::string taken = std::move(r).value();
  EXPECT_EQ(taken.size(), 100u);
}

}  // namespace
TEST(ProxyRequestTypeName, NamesEveryLineproxyrequestConstant) {
  EXPECT_EQ(proxy_request_type_name(LINEPROXYREQUEST_SETAGENTGROUP), "SETAGENTGROUP");
  EXPECT_EQ(proxy_request_type_name(LINEPROXYREQUEST_SETAGENTSESSIONSTATE), "SETAGENTSESSIONSTATE");
  EXPECT_EQ(proxy_request_type_name(LINEPROXYREQUEST_GETGROUPLIST), "GETGROUPLIST");
  EXPECT_EQ(proxy_request_type_name(LINEPROXYREQUEST_SETAGENTSTATEEX), "SETAGENTSTATEEX");
  EXPECT_EQ(proxy_request_type_name(0), "");
  EXPECT_EQ(proxy_request_type_name(LINEPROXYREQUEST_SETAGENTSTATEEX + 1), "");
  EXPECT_EQ(proxy_request_type_name(0xFFFFFFFFu), "");
}

}  // namespace opentapi::core
