#include "acd/error_codes.h"

#include <cstdio>

#include "tapi.h"

namespace opentapi::acd {
namespace {

using core::ErrorCode;

// The LINEERR codes each function documents (docs/reference/tapi2-agent.md §3.1, §3.2).
bool documented(DWORD type, ErrorCode code) {
  using C = ErrorCode;
  const auto std7 = [](C c) {
    return c == C::kInvalParam || c == C::kNoMem || c == C::kOperationFailed || c == C::kOperationUnavail ||
           c == C::kResourceUnavail;
  };
  const auto common = [](C c) {  // the shared tail of the 2.0 lists
    return c == C::kInvalPointer || c == C::kNoMem || c == C::kOperationFailed || c == C::kOperationUnavail ||
           c == C::kResourceUnavail;
  };
  switch (type) {
    case LINEPROXYREQUEST_SETAGENTGROUP:
      return common(code) || code == C::kInvalAddressId || code == C::kInvalAddressState ||
             code == C::kInvalAgentGroup || code == C::kInvalAgentId || code == C::kInvalParam ||
             code == C::kInvalPassword;
    case LINEPROXYREQUEST_SETAGENTSTATE:
      return std7(code) || code == C::kInvalAddressId || code == C::kInvalAddressState || code == C::kInvalAgentState;
    case LINEPROXYREQUEST_SETAGENTACTIVITY:
      return common(code) || code == C::kInvalAddressId || code == C::kInvalAddressState ||
             code == C::kInvalAgentActivity;
    case LINEPROXYREQUEST_GETAGENTCAPS:
    case LINEPROXYREQUEST_GETAGENTSTATUS:
      return common(code) || code == C::kInvalAddressId || code == C::kStructureTooSmall;
    case LINEPROXYREQUEST_AGENTSPECIFIC:
      return common(code) || code == C::kInvalAddressId || code == C::kInvalAgentId || code == C::kInvalParam ||
             code == C::kStructureTooSmall;
    case LINEPROXYREQUEST_GETAGENTACTIVITYLIST:
    case LINEPROXYREQUEST_GETAGENTGROUPLIST:
      return common(code) || code == C::kInvalAddressId || code == C::kInvalAgentId || code == C::kStructureTooSmall;
    case LINEPROXYREQUEST_SETAGENTSESSIONSTATE:
    case LINEPROXYREQUEST_SETAGENTSTATEEX:
      return std7(code) || code == C::kInvalAgentState;
    default:
      return std7(code);
  }
}

}  // namespace

// The one place where a core error becomes the LINE_REPLY result of a
// request type. docs/acd.md "Error codes".
std::int32_t reply_code(std::uint32_t request_type, ErrorCode code) {
  if (code == ErrorCode::kOk) return 0;
  if (documented(request_type, code)) return core::lineerr_value(code);
  if (documented(request_type, ErrorCode::kInvalParam) && code != ErrorCode::kOperationFailed &&
      code != ErrorCode::kResourceUnavail && code != ErrorCode::kNoMem) {
    return core::lineerr_value(ErrorCode::kInvalParam);
  }
  return core::lineerr_value(ErrorCode::kOperationFailed);
}

core::Status tapi_status(std::uint32_t request_type, const core::Status& status) {
  if (status.ok()) return status;
  const std::int32_t code = reply_code(request_type, status.code());
  return core::Status::error(static_cast<ErrorCode>(static_cast<std::uint32_t>(code)), status.message());
}

std::string lineerr_text(std::int32_t rc) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%08X", static_cast<unsigned>(rc));
  return core::error_code_name(static_cast<ErrorCode>(static_cast<std::uint32_t>(rc))) + " (" + buf + ")";
}

}  // namespace opentapi::acd
