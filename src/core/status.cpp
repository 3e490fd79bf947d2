#include "core/status.h"

#include <cstdio>

namespace opentapi::core {

std::string error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk: return "OK";
    case ErrorCode::kInvalAddressId: return "LINEERR_INVALADDRESSID";
    case ErrorCode::kInvalAddressState: return "LINEERR_INVALADDRESSSTATE";
    case ErrorCode::kInvalParam: return "LINEERR_INVALPARAM";
    case ErrorCode::kInvalPointer: return "LINEERR_INVALPOINTER";
    case ErrorCode::kNoMem: return "LINEERR_NOMEM";
    case ErrorCode::kOperationFailed: return "LINEERR_OPERATIONFAILED";
    case ErrorCode::kOperationUnavail: return "LINEERR_OPERATIONUNAVAIL";
    case ErrorCode::kResourceUnavail: return "LINEERR_RESOURCEUNAVAIL";
    case ErrorCode::kStructureTooSmall: return "LINEERR_STRUCTURETOOSMALL";
    case ErrorCode::kInvalAgentId: return "LINEERR_INVALAGENTID";
    case ErrorCode::kInvalAgentGroup: return "LINEERR_INVALAGENTGROUP";
    case ErrorCode::kInvalPassword: return "LINEERR_INVALPASSWORD";
    case ErrorCode::kInvalAgentState: return "LINEERR_INVALAGENTSTATE";
    case ErrorCode::kInvalAgentActivity: return "LINEERR_INVALAGENTACTIVITY";
    case ErrorCode::kInvalAgentSessionState: return "LINEERR_INVALAGENTSESSIONSTATE";
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "LINEERR_0x%08X", static_cast<unsigned>(code));
  return buf;
}

Status Status::error(ErrorCode code, std::string message) {
  if (code == ErrorCode::kOk) return Status();
  return Status(code, std::move(message));
}

std::string Status::to_string() const {
  if (ok()) return "OK";
  std::string out = error_code_name(code_);
  if (!message_.empty()) {
    out += ": ";
    out += message_;
  }
  return out;
}

}  // namespace opentapi::core
