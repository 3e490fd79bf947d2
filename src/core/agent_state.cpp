#include "core/agent_state.h"

#include <string>

namespace opentapi::core {

std::string_view to_string(AgentState s) noexcept {
  switch (s) {
    case AgentState::kNotReady:
      return "NOT_READY";
    case AgentState::kReady:
      return "READY";
    case AgentState::kBusyAcd:
      return "BUSY_ACD";
    case AgentState::kBusyIncoming:
      return "BUSY_INCOMING";
    case AgentState::kBusyOutgoing:
      return "BUSY_OUTGOING";
    case AgentState::kUnknown:
      return "UNKNOWN";
    case AgentState::kReleased:
      return "RELEASED";
  }
  return "INVALID";
}

std::optional<AgentState> target_state(AgentTarget target) noexcept {
  switch (target) {
    case AgentTarget::kNotReady:
      return AgentState::kNotReady;
    case AgentTarget::kReady:
      return AgentState::kReady;
    case AgentTarget::kBusyAcd:
      return AgentState::kBusyAcd;
    case AgentTarget::kBusyIncoming:
      return AgentState::kBusyIncoming;
    case AgentTarget::kBusyOutgoing:
      return AgentState::kBusyOutgoing;
    case AgentTarget::kReleased:
      return AgentState::kReleased;
    case AgentTarget::kStay:
    case AgentTarget::kResume:
    case AgentTarget::kDefer:
    case AgentTarget::kRefuse:
      break;
  }
  return std::nullopt;
}

Result<AgentTrigger> request_trigger(AgentState requested) {
  switch (requested) {
    case AgentState::kNotReady:
      return AgentTrigger::kRequestNotReady;
    case AgentState::kReady:
      return AgentTrigger::kRequestReady;
    default:
      break;
  }
  return Status::error(ErrorCode::kInvalAgentState,
                       std::string(to_string(requested)) + " cannot be requested for an agent");
}

Result<std::optional<AgentState>> parse_agent_state_value(std::uint32_t raw) {
  if (raw == 0) return std::optional<AgentState>();
  if (!std::has_single_bit(raw) || raw > dword(AgentState::kReleased)) {
    return Status::error(ErrorCode::kInvalAgentState, "not a LINEAGENTSTATEEX_ value: " + std::to_string(raw));
  }
  return std::optional<AgentState>(static_cast<AgentState>(raw));
}

Result<AgentStateRequest> parse_agent_state_request(std::uint32_t state, std::uint32_t next) {
  if (state == 0 && next == 0) {
    return Status::error(ErrorCode::kInvalParam, "neither a state nor a next state given");
  }
  auto s = parse_agent_state_value(state);
  if (!s) return s.status();
  auto n = parse_agent_state_value(next);
  if (!n) return n.status();
  return AgentStateRequest{*s, *n};
}

}  // namespace opentapi::core
