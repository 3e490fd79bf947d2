// The state names of supervision.h: LINEAGENTSESSIONSTATE_* and
// LINEAGENTSTATEEX_* without their prefix, and the calls' states.
#include "acd/supervision.h"

#include <array>
#include <utility>

#include "core/agent_state.h"
#include "core/session_state.h"

namespace opentapi::acd {
namespace {

using Name = std::pair<std::uint32_t, std::string_view>;

using core::AgentState;
using core::SessionState;

constexpr std::array<Name, 6> kSessionStates = {{
    {core::dword(SessionState::kNotReady), "NOTREADY"},
    {core::dword(SessionState::kReady), "READY"},
    {core::dword(SessionState::kBusyOnCall), "BUSYONCALL"},
    {core::dword(SessionState::kBusyWrapUp), "BUSYWRAPUP"},
    {core::dword(SessionState::kEnded), "ENDED"},
    {core::dword(SessionState::kReleased), "RELEASED"},
}};

constexpr std::array<Name, 7> kAgentStates = {{
    {core::dword(AgentState::kNotReady), "NOTREADY"},
    {core::dword(AgentState::kReady), "READY"},
    {core::dword(AgentState::kBusyAcd), "BUSYACD"},
    {core::dword(AgentState::kBusyIncoming), "BUSYINCOMING"},
    {core::dword(AgentState::kBusyOutgoing), "BUSYOUTGOING"},
    {core::dword(AgentState::kUnknown), "UNKNOWN"},
    {core::dword(AgentState::kReleased), "RELEASED"},
}};

template <std::size_t N>
std::string_view name_of(const std::array<Name, N>& names, std::uint32_t state) {
  for (const Name& n : names) {
    if (n.first == state) return n.second;
  }
  return {};
}

template <std::size_t N>
std::optional<std::uint32_t> value_of(const std::array<Name, N>& names, std::string_view name) {
  for (const Name& n : names) {
    if (n.second == name) return n.first;
  }
  return std::nullopt;
}

}  // namespace

std::string_view session_state_name(std::uint32_t state) { return name_of(kSessionStates, state); }
std::string_view agent_state_name(std::uint32_t state) { return name_of(kAgentStates, state); }
std::optional<std::uint32_t> session_state_from_name(std::string_view name) { return value_of(kSessionStates, name); }
std::optional<std::uint32_t> agent_state_from_name(std::string_view name) { return value_of(kAgentStates, name); }

std::string_view call_state_name(CallPhase phase) {
  switch (phase) {
    case CallPhase::kQueued:
      return "queued";
    case CallPhase::kOffered:
      return "ringing";
    case CallPhase::kTalking:
      return "talking";
    case CallPhase::kDetached:
      return "detached";
  }
  return {};
}

}  // namespace opentapi::acd
