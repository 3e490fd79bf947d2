// The agent-session state machine (docs/reference/flows.md §4.1, §4.2) as data plus pure
// functions: what a session may move to, what a next state may be, and how the
// raw DWORD arguments of lineSetAgentSessionState are read.
//
// The table is the documented one, verbatim. Rules the spec leaves to us:
//   * A new session starts in NOT_READY.
//   * Requesting the current state succeeds and changes nothing (no status
//     message is due).
//   * ENDED is terminal: every request other than "ENDED again" is refused.
//   * RELEASED (TAPI 2 only) is entered by the proxy when it discards an ended
//     session; it cannot be requested (kInvalAgentState), and a released
//     session's handle is invalid, so anything asked of it is kInvalParam.
//   * Refusals of the table are kInvalAgentState, the code
//     lineSetAgentSessionState documents (docs/reference/tapi2-agent.md §3.1 [DECIDE]).
//   * The next state is the state entered when the current ACD call ends;
//     none set = the proxy default BUSY_WRAPUP. A next state must be a legal
//     target of BUSY_ON_CALL other than itself: NOT_READY, READY, BUSY_WRAPUP
//     or ENDED ("log out after this call").
#ifndef OPENTAPI_CORE_SESSION_STATE_H_
#define OPENTAPI_CORE_SESSION_STATE_H_

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/status.h"

namespace opentapi::core {

// Values are the LINEAGENTSESSIONSTATE_ bits (docs/reference/tapi2-agent.md §6.1).
enum class SessionState : std::uint32_t {
  kNotReady = 0x01,
  kReady = 0x02,
  kBusyOnCall = 0x04,
  kBusyWrapUp = 0x08,
  kEnded = 0x10,
  kReleased = 0x20,
};

constexpr std::uint32_t dword(SessionState s) noexcept { return static_cast<std::uint32_t>(s); }
std::string_view to_string(SessionState s) noexcept;

inline constexpr SessionState kInitialSessionState = SessionState::kNotReady;
inline constexpr SessionState kDefaultNextSessionState = SessionState::kBusyWrapUp;

// What the table says about one (from, to) pair.
enum class SessionTransition : std::uint8_t {
  kRefused,  // ✘
  kAllowed,  // ✔
  kSame,     // (same): success, nothing changes
};

// docs/reference/flows.md §4.1. Row = from, column = to, both in the order NOT_READY, READY,
// BUSY_ON_CALL, BUSY_WRAPUP, ENDED (index = bit position of the state).
inline constexpr std::size_t kTableSessionStates = 5;
// clang-format off
inline constexpr std::array<std::array<SessionTransition, kTableSessionStates>, kTableSessionStates>
    kSessionTransitions = {{
        //           NOT_READY                     READY                         BUSY_ON_CALL                  BUSY_WRAPUP                   ENDED
        /*NOT_READY*/ {SessionTransition::kSame, SessionTransition::kAllowed, SessionTransition::kRefused, SessionTransition::kRefused, SessionTransition::kAllowed},
        /*READY    */ {SessionTransition::kAllowed, SessionTransition::kSame, SessionTransition::kAllowed, SessionTransition::kRefused, SessionTransition::kAllowed},
        /*ON_CALL  */ {SessionTransition::kAllowed, SessionTransition::kAllowed, SessionTransition::kSame, SessionTransition::kAllowed, SessionTransition::kAllowed},
        /*WRAPUP   */ {SessionTransition::kAllowed, SessionTransition::kAllowed, SessionTransition::kRefused, SessionTransition::kSame, SessionTransition::kAllowed},
        /*ENDED    */ {SessionTransition::kRefused, SessionTransition::kRefused, SessionTransition::kRefused, SessionTransition::kRefused, SessionTransition::kSame},
    }};
// clang-format on

// Row/column of a state in kSessionTransitions. REQUIRES: a table state (not RELEASED).
constexpr std::size_t session_table_index(SessionState s) noexcept {
  return static_cast<std::size_t>(std::countr_zero(dword(s)));
}

// The table lookup. RELEASED on either side is kRefused (it is never a target
// of a request, and nothing leaves it).
constexpr SessionTransition session_transition(SessionState from, SessionState to) noexcept {
  if (from == SessionState::kReleased || to == SessionState::kReleased) {
    return SessionTransition::kRefused;
  }
  return kSessionTransitions[session_table_index(from)][session_table_index(to)];
}

enum class StateChange : std::uint8_t { kNone, kChanged };

// The verdict a proxy gives a requested session state (docs/reference/flows.md §3.3 step 5):
//   kChanged — legal, apply it and announce it;
//   kNone    — same state: success, no status message;
//   errors   — kInvalAgentState for a refused pair or a requested RELEASED,
//              kInvalParam when `from` is RELEASED (the handle is gone).
Result<StateChange> check_session_transition(SessionState from, SessionState to);

constexpr bool is_valid_next_session_state(SessionState next) noexcept {
  return next != SessionState::kBusyOnCall &&
         session_transition(SessionState::kBusyOnCall, next) == SessionTransition::kAllowed;
}
// kInvalAgentState unless is_valid_next_session_state(next).
Status check_next_session_state(SessionState next);

// A lineSetAgentSessionState request in typed form; an empty member means the
// DWORD was 0, "keep the current value".
struct SessionStateRequest {
  std::optional<SessionState> state;
  std::optional<SessionState> next;
};

// One raw LINEAGENTSESSIONSTATE_ DWORD: 0 → nullopt ("keep"); exactly one bit
// in 0x01..0x20 → that state; anything else → kInvalAgentState.
Result<std::optional<SessionState>> parse_session_state_value(std::uint32_t raw);

// Both DWORDs of lineSetAgentSessionState (docs/reference/tapi2-agent.md §3.1 [DECIDE]): both
// zero → kInvalParam; a malformed one → kInvalAgentState. Only the form is
// checked here; legality is AgentSession::request_state's business.
Result<SessionStateRequest> parse_session_state_request(std::uint32_t state, std::uint32_t next);

}  // namespace opentapi::core

#endif  // OPENTAPI_CORE_SESSION_STATE_H_
