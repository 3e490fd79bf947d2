// The agent on one address, TAPI 2.0 style (lineSetAgentGroup,
// lineSetAgentState, lineSetAgentActivity, LINEAGENTSTATUS; docs/reference/flows.md §4.4,
// docs/reference/tapi2-agent.md §3.2, §5.7, §6.5).
//
// TAPI leaves legality to the ACD: what may be requested now is published in
// LINEAGENTSTATUS.dwValidStates / dwValidNextStates. Our model, as a table of
// those masks per current state (kAddressStateRules):
//   * An address starts LOGGEDOFF. Only the group list can change there:
//     lineSetAgentGroup with ≥ 1 group logs the agent in (→ NOT_READY); an
//     empty list logs it out of everything (→ LOGGEDOFF), which forgets the
//     next state and the activity. Logging out during a call is refused
//     (kInvalAddressState).
//   * NOT_READY, READY: may request NOT_READY or READY (the current one is a
//     no-op); next state NOT_READY, READY or WORKINGAFTERCALL.
//   * BUSY_*: the state follows the call, so no state may be requested, only
//     the next state.
//   * WORKINGAFTERCALL: entered after an ACD call (or as a next state); may
//     request NOT_READY, READY or WORKINGAFTERCALL; same next states.
//   * UNKNOWN, UNAVAIL, LOGGEDOFF: nothing may be requested.
//   * A request outside those masks is kInvalAgentState; a malformed DWORD is
//     kInvalAgentState; both DWORDs 0 is kInvalParam.
//   * Calls: an ACD call may only be delivered to a READY address
//     (kInvalAgentState otherwise) → BUSY_ACD; a non-ACD call → BUSY_INCOMING,
//     BUSY_OUTBOUND or BUSY_OTHER from any logged-in state (a LOGGEDOFF
//     address stays LOGGEDOFF). When the last call ends: the next state if
//     set; else, after an ACD call, WORKINGAFTERCALL (the default next state,
//     like the session's BUSY_WRAPUP); else the state held before the call.
//   * The next state is a mode: it stays set until replaced or logged off.
#ifndef OPENTAPI_CORE_ADDRESS_AGENT_H_
#define OPENTAPI_CORE_ADDRESS_AGENT_H_

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/ids.h"
#include "core/status.h"

namespace opentapi::core {

// Values are the LINEAGENTSTATE_ bits (docs/reference/tapi2-agent.md §6.5).
enum class AddressAgentState : std::uint32_t {
  kLoggedOff = 0x001,
  kNotReady = 0x002,
  kReady = 0x004,
  kBusyAcd = 0x008,
  kBusyIncoming = 0x010,
  kBusyOutbound = 0x020,
  kBusyOther = 0x040,
  kWorkingAfterCall = 0x080,
  kUnknown = 0x100,
  kUnavail = 0x200,
};

constexpr std::uint32_t dword(AddressAgentState s) noexcept { return static_cast<std::uint32_t>(s); }
std::string_view to_string(AddressAgentState s) noexcept;

inline constexpr AddressAgentState kInitialAddressAgentState = AddressAgentState::kLoggedOff;
inline constexpr AddressAgentState kDefaultNextAfterAcdCall = AddressAgentState::kWorkingAfterCall;

// LINEAGENTFEATURE_ bits (docs/reference/tapi2-agent.md §6.7).
inline constexpr std::uint32_t kFeatureSetAgentGroup = 0x01;
inline constexpr std::uint32_t kFeatureSetAgentState = 0x02;
inline constexpr std::uint32_t kFeatureSetAgentActivity = 0x04;
inline constexpr std::uint32_t kFeatureAgentSpecific = 0x08;
inline constexpr std::uint32_t kFeatureGetAgentActivityList = 0x10;
inline constexpr std::uint32_t kFeatureGetAgentGroup = 0x20;

// LINEAGENTSTATUS_ bits: dwParam2 of LINE_AGENTSTATUS (docs/reference/tapi2-agent.md §6.6).
inline constexpr std::uint32_t kAgentStatusGroup = 0x01;
inline constexpr std::uint32_t kAgentStatusState = 0x02;
inline constexpr std::uint32_t kAgentStatusNextState = 0x04;
inline constexpr std::uint32_t kAgentStatusActivity = 0x08;
inline constexpr std::uint32_t kAgentStatusValidStates = 0x80;
inline constexpr std::uint32_t kAgentStatusValidNextStates = 0x100;

struct AddressStateRule {
  AddressAgentState state;
  std::uint32_t valid_states;       // dwValidStates
  std::uint32_t valid_next_states;  // dwValidNextStates
  std::uint32_t features;           // dwAgentFeatures
};

namespace address_rule_detail {
inline constexpr std::uint32_t kNR = 0x002, kR = 0x004, kWAC = 0x080;
inline constexpr std::uint32_t kLoggedOffFeatures =
    kFeatureSetAgentGroup | kFeatureGetAgentActivityList | kFeatureGetAgentGroup;
inline constexpr std::uint32_t kLoggedInFeatures =
    kLoggedOffFeatures | kFeatureSetAgentState | kFeatureSetAgentActivity;
}  // namespace address_rule_detail

// One row per state, in bit order. lineAgentSpecific is never offered: the
// core has no agent extensions.
inline constexpr std::array<AddressStateRule, 10> kAddressStateRules = [] {
  using namespace address_rule_detail;
  using S = AddressAgentState;
  return std::array<AddressStateRule, 10>{{
      {S::kLoggedOff, 0, 0, kLoggedOffFeatures},
      {S::kNotReady, kNR | kR, kNR | kR | kWAC, kLoggedInFeatures},
      {S::kReady, kNR | kR, kNR | kR | kWAC, kLoggedInFeatures},
      {S::kBusyAcd, 0, kNR | kR | kWAC, kLoggedInFeatures},
      {S::kBusyIncoming, 0, kNR | kR | kWAC, kLoggedInFeatures},
      {S::kBusyOutbound, 0, kNR | kR | kWAC, kLoggedInFeatures},
      {S::kBusyOther, 0, kNR | kR | kWAC, kLoggedInFeatures},
      {S::kWorkingAfterCall, kNR | kR | kWAC, kNR | kR | kWAC, kLoggedInFeatures},
      {S::kUnknown, 0, 0, kFeatureGetAgentActivityList | kFeatureGetAgentGroup},
      {S::kUnavail, 0, 0, 0},
  }};
}();

constexpr const AddressStateRule& address_state_rule(AddressAgentState s) noexcept {
  return kAddressStateRules[static_cast<std::size_t>(std::countr_zero(dword(s)))];
}
constexpr std::uint32_t valid_states(AddressAgentState current) noexcept {
  return address_state_rule(current).valid_states;
}
constexpr std::uint32_t valid_next_states(AddressAgentState current) noexcept {
  return address_state_rule(current).valid_next_states;
}
constexpr std::uint32_t agent_features(AddressAgentState current) noexcept {
  return address_state_rule(current).features;
}
constexpr bool is_busy(AddressAgentState s) noexcept {
  return s == AddressAgentState::kBusyAcd || s == AddressAgentState::kBusyIncoming ||
         s == AddressAgentState::kBusyOutbound || s == AddressAgentState::kBusyOther;
}

// A lineSetAgentState request; an empty member was a 0 DWORD ("keep").
struct AddressAgentStateRequest {
  std::optional<AddressAgentState> state;
  std::optional<AddressAgentState> next;
};

// One raw LINEAGENTSTATE_ DWORD: 0 → nullopt; exactly one of the ten bits →
// that state; anything else (several bits, device-specific upper bits) →
// kInvalAgentState.
Result<std::optional<AddressAgentState>> parse_address_agent_state_value(std::uint32_t raw);
// Both DWORDs: both zero → kInvalParam; malformed → kInvalAgentState.
Result<AddressAgentStateRequest> parse_address_agent_state_request(std::uint32_t state, std::uint32_t next);
// The request judged against the masks of `current`: kInvalAgentState when
// the state is not in valid_states(current) or the next state not in
// valid_next_states(current).
Status check_address_agent_request(AddressAgentState current, const AddressAgentStateRequest& request);

enum class AddressCallKind : std::uint8_t { kAcd, kIncoming, kOutbound, kOther };

struct AddressAgentSnapshot;  // core/snapshot.h

// What one successful operation changed.
struct AddressAgentChange {
  AddressId address = 0;
  AddressAgentState old_state = kInitialAddressAgentState;
  AddressAgentState new_state = kInitialAddressAgentState;
  bool groups_changed = false;
  bool next_state_changed = false;
  bool activity_changed = false;

  bool state_changed() const noexcept { return old_state != new_state; }
  // LINEAGENTSTATUS_ bits for LINE_AGENTSTATUS dwParam2; 0 = nothing to announce.
  std::uint32_t status_bits() const noexcept;
};

// LINEAGENTSTATUS after its size DWORDs (docs/reference/tapi2-agent.md §5.7).
struct AddressAgentStatus {
  std::vector<GroupId> groups;  // dwNumEntries = size; empty = nobody logged in
  std::uint32_t state = 0;
  std::uint32_t next_state = 0;  // 0 = none set (the default applies)
  ActivityId activity_id = 0;
  std::uint32_t agent_features = 0;
  std::uint32_t valid_states = 0;
  std::uint32_t valid_next_states = 0;
};

class AddressAgent {
 public:
  explicit AddressAgent(AddressId address) noexcept : address_(address) {}

  AddressId address() const noexcept { return address_; }
  AddressAgentState state() const noexcept { return state_; }
  std::optional<AddressAgentState> next_state() const noexcept { return next_; }
  const std::vector<GroupId>& groups() const noexcept { return groups_; }
  ActivityId activity() const noexcept { return activity_; }

  // lineSetAgentGroup. kInvalAgentGroup when more than `max_groups` are given
  // (LINEAGENTCAPS.dwMaxNumGroupEntries), a group is not in `known_groups`,
  // or a group is listed twice; kInvalAddressState for an empty list during a
  // call. Nothing changes on error.
  Result<AddressAgentChange> set_groups(std::span<const GroupId> groups, std::span<const GroupId> known_groups,
                                        std::uint32_t max_groups);

  // lineSetAgentState; see check_address_agent_request.
  Result<AddressAgentChange> request_state(const AddressAgentStateRequest& request);

  // lineSetAgentActivity. kInvalAddressState when LOGGEDOFF;
  // kInvalAgentActivity when `activity` is not in `known_activities`.
  Result<AddressAgentChange> set_activity(ActivityId activity, std::span<const ActivityId> known_activities);

  // A call on the address starts / ends. call_ended without a call in
  // progress is kInvalParam.
  Result<AddressAgentChange> call_started(AddressCallKind kind);
  Result<AddressAgentChange> call_ended();

  AddressAgentStatus status() const;

  // The whole state as a plain value, and back (core/snapshot.h).
  // kInvalParam for a state value that is not a single LINEAGENTSTATE_ bit.
  AddressAgentSnapshot snapshot() const;
  static Result<AddressAgent> restore(const AddressAgentSnapshot& snapshot);

 private:
  AddressAgentChange unchanged() const noexcept;

  AddressId address_;
  AddressAgentState state_ = kInitialAddressAgentState;
  std::optional<AddressAgentState> next_;
  AddressAgentState held_ = AddressAgentState::kNotReady;  // before the call
  std::vector<GroupId> groups_;
  ActivityId activity_ = 0;
  std::uint32_t calls_in_progress_ = 0;
};

}  // namespace opentapi::core

#endif  // OPENTAPI_CORE_ADDRESS_AGENT_H_
