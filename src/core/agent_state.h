// The agent-handle state model (LINEAGENTSTATEEX_, docs/reference/flows.md §4.3) as a table
// of (state, trigger) → target plus pure helpers for requests.
//
// The spec documents the values only; the model is the recommended one of
// §4.3 [DECIDE], made precise:
//   * A new agent is UNKNOWN until the proxy first reports it; then NOT_READY.
//   * NOT_READY ↔ READY on request (lineSetAgentStateEx / ITAgent::put_State).
//     UNKNOWN may also be left by either request.
//   * Only NOT_READY and READY may be requested, as state or next state.
//     BUSY_* are driven by the calls the ACD sees (an application claiming
//     BUSY_ACD without a call would never leave it), UNKNOWN and RELEASED
//     cannot be asked for: all of them are kInvalAgentState.
//   * An ACD call delivered to any of the agent's sessions → BUSY_ACD; a
//     non-ACD incoming / outgoing call → BUSY_INCOMING / BUSY_OUTGOING. Calls
//     may overlap; the first one sets the busy state, later ones leave it.
//   * When the agent's last call ends → the state requested during the call if
//     any (a READY/NOT_READY request while busy is accepted and deferred to the
//     end of the calls), else the next state if set, else the READY/NOT_READY
//     held before the first call (NOT_READY if the agent was UNKNOWN).
//   * The next state is a mode: it stays set until replaced.
//   * RELEASED when the agent is destroyed; nothing leaves it and its handle
//     is invalid (kInvalParam).
#ifndef OPENTAPI_CORE_AGENT_STATE_H_
#define OPENTAPI_CORE_AGENT_STATE_H_

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/status.h"

namespace opentapi::core {

// Values are the LINEAGENTSTATEEX_ bits (docs/reference/tapi2-agent.md §6.3).
enum class AgentState : std::uint32_t {
  kNotReady = 0x01,
  kReady = 0x02,
  kBusyAcd = 0x04,
  kBusyIncoming = 0x08,
  kBusyOutgoing = 0x10,
  kUnknown = 0x20,
  kReleased = 0x40,
};

constexpr std::uint32_t dword(AgentState s) noexcept { return static_cast<std::uint32_t>(s); }
std::string_view to_string(AgentState s) noexcept;

inline constexpr AgentState kInitialAgentState = AgentState::kUnknown;

constexpr bool is_busy(AgentState s) noexcept {
  return s == AgentState::kBusyAcd || s == AgentState::kBusyIncoming || s == AgentState::kBusyOutgoing;
}

// What happens to an agent.
enum class AgentTrigger : std::uint8_t {
  kFirstReport,       // the proxy reports the agent (UNKNOWN is resolved)
  kRequestNotReady,   // lineSetAgentStateEx(NOT_READY)
  kRequestReady,      // lineSetAgentStateEx(READY)
  kAcdCallDelivered,  // ACD call offered to one of its sessions
  kIncomingCall,      // non-ACD incoming call on one of its addresses
  kOutgoingCall,      // non-ACD outgoing call
  kLastCallEnded,     // its last call in progress ended
  kRelease,           // the agent object is destroyed
};
inline constexpr std::size_t kAgentTriggerCount = 8;
inline constexpr std::size_t kAgentStateCount = 7;

// Where a trigger leads.
enum class AgentTarget : std::uint8_t {
  kStay,  // no change
  kNotReady,
  kReady,
  kBusyAcd,
  kBusyIncoming,
  kBusyOutgoing,
  kReleased,
  kResume,  // deferred request, else next state, else state held before the call
  kDefer,   // stay busy; the requested state is entered when the calls end
  kRefuse,  // agent released: its handle is invalid (kInvalParam)
};

// Rows in state order (bit position): NOT_READY, READY, BUSY_ACD,
// BUSY_INCOMING, BUSY_OUTGOING, UNKNOWN, RELEASED. Columns in AgentTrigger order.
// clang-format off
inline constexpr std::array<std::array<AgentTarget, kAgentTriggerCount>, kAgentStateCount>
    kAgentRules = {{
        //              FirstReport           ReqNotReady            ReqReady             AcdCall                 IncomingCall               OutgoingCall               LastCallEnded         Release
        /*NOT_READY*/ {AgentTarget::kStay, AgentTarget::kStay, AgentTarget::kReady, AgentTarget::kBusyAcd, AgentTarget::kBusyIncoming, AgentTarget::kBusyOutgoing, AgentTarget::kStay, AgentTarget::kReleased},
        /*READY    */ {AgentTarget::kStay, AgentTarget::kNotReady, AgentTarget::kStay, AgentTarget::kBusyAcd, AgentTarget::kBusyIncoming, AgentTarget::kBusyOutgoing, AgentTarget::kStay, AgentTarget::kReleased},
        /*BUSY_ACD */ {AgentTarget::kStay, AgentTarget::kDefer, AgentTarget::kDefer, AgentTarget::kStay, AgentTarget::kStay, AgentTarget::kStay, AgentTarget::kResume, AgentTarget::kReleased},
        /*BUSY_IN  */ {AgentTarget::kStay, AgentTarget::kDefer, AgentTarget::kDefer, AgentTarget::kStay, AgentTarget::kStay, AgentTarget::kStay, AgentTarget::kResume, AgentTarget::kReleased},
        /*BUSY_OUT */ {AgentTarget::kStay, AgentTarget::kDefer, AgentTarget::kDefer, AgentTarget::kStay, AgentTarget::kStay, AgentTarget::kStay, AgentTarget::kResume, AgentTarget::kReleased},
        /*UNKNOWN  */ {AgentTarget::kNotReady, AgentTarget::kNotReady, AgentTarget::kReady, AgentTarget::kBusyAcd, AgentTarget::kBusyIncoming, AgentTarget::kBusyOutgoing, AgentTarget::kStay, AgentTarget::kReleased},
        /*RELEASED */ {AgentTarget::kRefuse, AgentTarget::kRefuse, AgentTarget::kRefuse, AgentTarget::kRefuse, AgentTarget::kRefuse, AgentTarget::kRefuse, AgentTarget::kRefuse, AgentTarget::kStay},
    }};
// clang-format on

constexpr AgentTarget agent_rule(AgentState from, AgentTrigger trigger) noexcept {
  return kAgentRules[static_cast<std::size_t>(std::countr_zero(dword(from)))][static_cast<std::size_t>(trigger)];
}

// The state a fixed target names; nullopt for kStay/kResume/kDefer/kRefuse.
std::optional<AgentState> target_state(AgentTarget target) noexcept;

// NOT_READY and READY; see the header comment.
constexpr bool is_requestable_agent_state(AgentState s) noexcept {
  return s == AgentState::kNotReady || s == AgentState::kReady;
}
constexpr bool is_valid_next_agent_state(AgentState s) noexcept { return is_requestable_agent_state(s); }

// The trigger a requested state stands for; kInvalAgentState when it may not
// be requested.
Result<AgentTrigger> request_trigger(AgentState requested);

// A lineSetAgentStateEx request; an empty member was a 0 DWORD ("keep").
struct AgentStateRequest {
  std::optional<AgentState> state;
  std::optional<AgentState> next;
};

// One raw LINEAGENTSTATEEX_ DWORD: 0 → nullopt; exactly one bit in
// 0x01..0x40 → that state; anything else → kInvalAgentState.
Result<std::optional<AgentState>> parse_agent_state_value(std::uint32_t raw);
// Both DWORDs: both zero → kInvalParam; malformed → kInvalAgentState. Form
// only; Agent::request_state judges what may be requested.
Result<AgentStateRequest> parse_agent_state_request(std::uint32_t state, std::uint32_t next);

}  // namespace opentapi::core

#endif  // OPENTAPI_CORE_AGENT_STATE_H_
