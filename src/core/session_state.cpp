#include "core/session_state.h"

#include <string>

namespace opentapi::core {

std::string_view to_string(SessionState s) noexcept {
  switch (s) {
    case SessionState::kNotReady:
      return "NOT_READY";
    case SessionState::kReady:
      return "READY";
    case SessionState::kBusyOnCall:
      return "BUSY_ON_CALL";
    case SessionState::kBusyWrapUp:
      return "BUSY_WRAPUP";
    case SessionState::kEnded:
      return "ENDED";
    case SessionState::kReleased:
      return "RELEASED";
  }
  return "INVALID";
}

Result<StateChange> check_session_transition(SessionState from, SessionState to) {
  if (from == SessionState::kReleased) {
    return Status::error(ErrorCode::kInvalParam, "session has been released");
  }
  if (to == SessionState::kReleased) {
    return Status::error(ErrorCode::kInvalAgentState, "RELEASED cannot be requested");
  }
  switch (session_transition(from, to)) {
    case SessionTransition::kSame:
      return StateChange::kNone;
    case SessionTransition::kAllowed:
      return StateChange::kChanged;
    case SessionTransition::kRefused:
      break;
  }
  return Status::error(
      ErrorCode::kInvalAgentState,
      std::string("session cannot go from ") + std::string(to_string(from)) + " to " + std::string(to_string(to)));
}

Status check_next_session_state(SessionState next) {
  if (is_valid_next_session_state(next)) return Status();
  return Status::error(ErrorCode::kInvalAgentState, std::string(to_string(next)) + " cannot be a next session state");
}

Result<std::optional<SessionState>> parse_session_state_value(std::uint32_t raw) {
  if (raw == 0) return std::optional<SessionState>();
  if (!std::has_single_bit(raw) || raw > dword(SessionState::kReleased)) {
    return Status::error(ErrorCode::kInvalAgentState, "not a LINEAGENTSESSIONSTATE_ value: " + std::to_string(raw));
  }
  return std::optional<SessionState>(static_cast<SessionState>(raw));
}

Result<SessionStateRequest> parse_session_state_request(std::uint32_t state, std::uint32_t next) {
  if (state == 0 && next == 0) {
    return Status::error(ErrorCode::kInvalParam, "neither a state nor a next state given");
  }
  auto s = parse_session_state_value(state);
  if (!s) return s.status();
  auto n = parse_session_state_value(next);
  if (!n) return n.status();
  return SessionStateRequest{*s, *n};
}

}  // namespace opentapi::core
