#include "core/address_agent.h"

#include <algorithm>
#include <string>

namespace opentapi::core {

std::string_view to_string(AddressAgentState s) noexcept {
  switch (s) {
    case AddressAgentState::kLoggedOff:
      return "LOGGEDOFF";
    case AddressAgentState::kNotReady:
      return "NOTREADY";
    case AddressAgentState::kReady:
      return "READY";
    case AddressAgentState::kBusyAcd:
      return "BUSYACD";
    case AddressAgentState::kBusyIncoming:
      return "BUSYINCOMING";
    case AddressAgentState::kBusyOutbound:
      return "BUSYOUTBOUND";
    case AddressAgentState::kBusyOther:
      return "BUSYOTHER";
    case AddressAgentState::kWorkingAfterCall:
      return "WORKINGAFTERCALL";
    case AddressAgentState::kUnknown:
      return "UNKNOWN";
    case AddressAgentState::kUnavail:
      return "UNAVAIL";
  }
  return "INVALID";
}

Result<std::optional<AddressAgentState>> parse_address_agent_state_value(std::uint32_t raw) {
  if (raw == 0) return std::optional<AddressAgentState>();
  if (!std::has_single_bit(raw) || raw > dword(AddressAgentState::kUnavail)) {
    return Status::error(ErrorCode::kInvalAgentState, "not a LINEAGENTSTATE_ value: " + std::to_string(raw));
  }
  return std::optional<AddressAgentState>(static_cast<AddressAgentState>(raw));
}

Result<AddressAgentStateRequest> parse_address_agent_state_request(std::uint32_t state, std::uint32_t next) {
  if (state == 0 && next == 0) {
    return Status::error(ErrorCode::kInvalParam, "neither a state nor a next state given");
  }
  auto s = parse_address_agent_state_value(state);
  if (!s) return s.status();
  auto n = parse_address_agent_state_value(next);
  if (!n) return n.status();
  return AddressAgentStateRequest{*s, *n};
}

Status check_address_agent_request(AddressAgentState current, const AddressAgentStateRequest& request) {
  if (request.state && (valid_states(current) & dword(*request.state)) == 0) {
    return Status::error(ErrorCode::kInvalAgentState, std::string(to_string(*request.state)) +
                                                          " cannot be requested in " + std::string(to_string(current)));
  }
  if (request.next && (valid_next_states(current) & dword(*request.next)) == 0) {
    return Status::error(
        ErrorCode::kInvalAgentState,
        std::string(to_string(*request.next)) + " cannot be a next state in " + std::string(to_string(current)));
  }
  return Status();
}

std::uint32_t AddressAgentChange::status_bits() const noexcept {
  std::uint32_t bits = 0;
  if (groups_changed) bits |= kAgentStatusGroup;
  if (state_changed()) bits |= kAgentStatusState;
  if (next_state_changed) bits |= kAgentStatusNextState;
  if (activity_changed) bits |= kAgentStatusActivity;
  if (valid_states(old_state) != valid_states(new_state)) bits |= kAgentStatusValidStates;
  if (valid_next_states(old_state) != valid_next_states(new_state)) {
    bits |= kAgentStatusValidNextStates;
  }
  return bits;
}

AddressAgentChange AddressAgent::unchanged() const noexcept {
  AddressAgentChange c;
  c.address = address_;
  c.old_state = state_;
  c.new_state = state_;
  return c;
}

Result<AddressAgentChange> AddressAgent::set_groups(std::span<const GroupId> groups,
                                                    std::span<const GroupId> known_groups, std::uint32_t max_groups) {
  if (groups.size() > max_groups) {
    return Status::error(ErrorCode::kInvalAgentGroup, "more than " + std::to_string(max_groups) + " groups");
  }
  for (std::size_t i = 0; i < groups.size(); ++i) {
    if (std::find(known_groups.begin(), known_groups.end(), groups[i]) == known_groups.end()) {
      return Status::error(ErrorCode::kInvalAgentGroup, "unknown group " + groups[i].to_string());
    }
    if (std::find(groups.begin(), groups.begin() + static_cast<std::ptrdiff_t>(i), groups[i]) !=
        groups.begin() + static_cast<std::ptrdiff_t>(i)) {
      return Status::error(ErrorCode::kInvalAgentGroup, "group listed twice " + groups[i].to_string());
    }
  }
  if (groups.empty() && is_busy(state_)) {
    return Status::error(ErrorCode::kInvalAddressState, "cannot log off during a call");
  }

  AddressAgentChange c = unchanged();
  c.groups_changed = !std::equal(groups.begin(), groups.end(), groups_.begin(), groups_.end());
  groups_.assign(groups.begin(), groups.end());
  if (groups_.empty()) {
    // Logging off forgets what belonged to the logged-in agent.
    state_ = AddressAgentState::kLoggedOff;
    c.next_state_changed = next_.has_value();
    c.activity_changed = activity_ != 0;
    next_.reset();
    activity_ = 0;
  } else if (state_ == AddressAgentState::kLoggedOff) {
    state_ = AddressAgentState::kNotReady;
  }
  c.new_state = state_;
  return c;
}

Result<AddressAgentChange> AddressAgent::request_state(const AddressAgentStateRequest& request) {
  Status s = check_address_agent_request(state_, request);
  if (!s.ok()) return s;
  AddressAgentChange c = unchanged();
  if (request.state) state_ = *request.state;
  c.new_state = state_;
  if (request.next && request.next != next_) {
    next_ = request.next;
    c.next_state_changed = true;
  }
  return c;
}

Result<AddressAgentChange> AddressAgent::set_activity(ActivityId activity,
                                                      std::span<const ActivityId> known_activities) {
  if (state_ == AddressAgentState::kLoggedOff) {
    return Status::error(ErrorCode::kInvalAddressState, "no agent logged in on the address");
  }
  if (std::find(known_activities.begin(), known_activities.end(), activity) == known_activities.end()) {
    return Status::error(ErrorCode::kInvalAgentActivity, "unknown activity " + std::to_string(activity));
  }
  AddressAgentChange c = unchanged();
  c.activity_changed = activity != activity_;
  activity_ = activity;
  return c;
}

Result<AddressAgentChange> AddressAgent::call_started(AddressCallKind kind) {
  if (kind == AddressCallKind::kAcd && state_ != AddressAgentState::kReady) {
    return Status::error(ErrorCode::kInvalAgentState,
                         "an ACD call needs a READY agent, address is " + std::string(to_string(state_)));
  }
  AddressAgentChange c = unchanged();
  ++calls_in_progress_;
  const bool can_become_busy = state_ == AddressAgentState::kNotReady || state_ == AddressAgentState::kReady ||
                               state_ == AddressAgentState::kWorkingAfterCall;
  if (!can_become_busy) return c;  // already busy, or nobody logged in
  held_ = state_;
  switch (kind) {
    case AddressCallKind::kAcd:
      state_ = AddressAgentState::kBusyAcd;
      break;
    case AddressCallKind::kIncoming:
      state_ = AddressAgentState::kBusyIncoming;
      break;
    case AddressCallKind::kOutbound:
      state_ = AddressAgentState::kBusyOutbound;
      break;
    case AddressCallKind::kOther:
      state_ = AddressAgentState::kBusyOther;
      break;
  }
  c.new_state = state_;
  return c;
}

Result<AddressAgentChange> AddressAgent::call_ended() {
  if (calls_in_progress_ == 0) {
    return Status::error(ErrorCode::kInvalParam, "no call in progress on the address");
  }
  AddressAgentChange c = unchanged();
  if (--calls_in_progress_ > 0 || !is_busy(state_)) return c;
  if (next_) {
    state_ = *next_;
  } else if (state_ == AddressAgentState::kBusyAcd) {
    state_ = kDefaultNextAfterAcdCall;
  } else {
    state_ = held_;
  }
  c.new_state = state_;
  return c;
}

AddressAgentStatus AddressAgent::status() const {
  AddressAgentStatus s;
  s.groups = groups_;
  s.state = dword(state_);
  s.next_state = next_ ? dword(*next_) : 0;
  s.activity_id = activity_;
  s.agent_features = agent_features(state_);
  s.valid_states = valid_states(state_);
  s.valid_next_states = valid_next_states(state_);
  return s;
}

}  // namespace opentapi::core
