#include "switch/call_state.h"

#include <string>

namespace opentapi::switching {

std::string_view to_string(CallState s) noexcept {
  switch (s) {
    case CallState::kIdle:
      return "IDLE";
    case CallState::kOffering:
      return "OFFERING";
    case CallState::kDialing:
      return "DIALING";
    case CallState::kRingback:
      return "RINGBACK";
    case CallState::kBusy:
      return "BUSY";
    case CallState::kConnected:
      return "CONNECTED";
    case CallState::kProceeding:
      return "PROCEEDING";
    case CallState::kOnHold:
      return "ONHOLD";
    case CallState::kDisconnected:
      return "DISCONNECTED";
  }
  return "UNKNOWN";
}

std::string_view to_string(CallOp op) noexcept {
  switch (op) {
    case CallOp::kAnswer:
      return "answer";
    case CallOp::kDrop:
      return "drop";
    case CallOp::kHold:
      return "hold";
    case CallOp::kUnhold:
      return "unhold";
    case CallOp::kBlindTransfer:
      return "blind transfer";
    case CallOp::kRedirect:
      return "redirect";
    case CallOp::kSetCallData:
      return "set call data";
  }
  return "unknown";
}

core::Status check_op(CallState from, CallOp op) {
  if (allows(from, op)) return core::Status();
  return core::Status::error(lineerr::kInvalCallState, "cannot " + std::string(to_string(op)) + " a call that is " +
                                                           std::string(to_string(from)));
}

}  // namespace opentapi::switching
