// Snapshots: the complete state of a core object as a plain value, and the
// way back (restore). For an ACD that keeps its call center in durable
// storage and must rebuild it after a restart with every state, timer origin
// and statistic intact.
//
// Contract, for every type T with T::snapshot() and T::restore():
//   * restore(x.snapshot()) yields an object that behaves exactly as x from
//     then on: the same answers to every query at every later instant and the
//     same results for every later operation.
//   * restore() validates what it can check cheaply (enum values, counts that
//     must agree, a period of 0) and returns kInvalParam for a snapshot no
//     object could have produced, so a corrupted record is refused instead of
//     becoming a broken object.
//   * Snapshots carry no encoding: the caller serialises the fields as it
//     likes. Field meanings are those of the private members they mirror.
#ifndef OPENTAPI_CORE_SNAPSHOT_H_
#define OPENTAPI_CORE_SNAPSHOT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/address_agent.h"
#include "core/agent_state.h"
#include "core/ids.h"
#include "core/session_state.h"
#include "core/units.h"

namespace opentapi::core {

// A measurement period: its length and the start of the window its counters
// belong to.
struct PeriodSnapshot {
  std::uint32_t seconds = 0;
  TimePoint start;

  friend bool operator==(const PeriodSnapshot&, const PeriodSnapshot&) = default;
};

struct SessionSnapshot {
  struct Call {
    CallId id = 0;
    TimePoint offered_at;
    std::optional<TimePoint> answered_at;

    friend bool operator==(const Call&, const Call&) = default;
  };

  SessionHandle handle = 0;
  AgentHandle agent = 0;
  GroupId group;
  AddressId working_address = 0;
  TimePoint start;
  SessionState state = kInitialSessionState;
  TimePoint state_since;
  std::optional<SessionState> next;
  std::optional<Call> call;
  TimePoint wrap_up_since;
  std::optional<TimePoint> ended_at;
  std::uint64_t calls = 0;
  std::int64_t talk_ms = 0;
  std::int64_t wrap_up_ms = 0;
  std::int64_t answer_wait_total_ms = 0;
  std::int64_t answer_wait_longest_ms = 0;

  friend bool operator==(const SessionSnapshot&, const SessionSnapshot&) = default;
};

// The agent itself; its sessions are snapshotted one by one
// (Agent::sessions()[i].snapshot()) and handed back to Agent::restore.
struct AgentSnapshot {
  struct Counters {
    std::uint64_t acd_calls = 0;
    std::uint64_t incoming_calls = 0;
    std::uint64_t outgoing_calls = 0;
    std::int64_t talk_ms = 0;
    std::int64_t wrap_up_ms = 0;
    std::int64_t active_ms = 0;

    friend bool operator==(const Counters&, const Counters&) = default;
  };

  AgentHandle handle = 0;
  std::string user_name;
  std::string id;
  std::string pin;
  AgentState state = kInitialAgentState;
  TimePoint state_since;
  std::optional<AgentState> next;
  AgentState held = AgentState::kNotReady;
  std::optional<AgentState> deferred;
  std::uint32_t acd_calls_in_progress = 0;
  std::uint32_t non_acd_calls_in_progress = 0;
  TimePoint active_since;
  PeriodSnapshot period;
  Counters counters;

  friend bool operator==(const AgentSnapshot&, const AgentSnapshot&) = default;
};

struct QueuedCallSnapshot {
  CallId call = 0;
  TimePoint entered_at;
  bool flowed_in = false;

  friend bool operator==(const QueuedCallSnapshot&, const QueuedCallSnapshot&) = default;
};

struct QueueSnapshot {
  struct Counters {
    std::uint64_t queued = 0;
    std::uint64_t abandoned = 0;
    std::uint64_t flowed_in = 0;
    std::uint64_t flowed_out = 0;
    std::uint64_t final_disposition = 0;
    std::uint64_t left = 0;
    std::int64_t left_wait_total_ms = 0;
    std::int64_t left_wait_longest_ms = 0;
    std::uint64_t answered = 0;
    std::uint64_t answered_within_target = 0;
    std::int64_t answered_wait_total_ms = 0;

    friend bool operator==(const Counters&, const Counters&) = default;
  };

  QueueId id = 0;
  std::string name;
  GroupId group;
  std::uint32_t service_level_seconds = 20;  // Queue::kDefaultServiceLevelSeconds
  std::vector<QueuedCallSnapshot> waiting;   // in queue order
  PeriodSnapshot period;
  Counters counters;

  friend bool operator==(const QueueSnapshot&, const QueueSnapshot&) = default;
};

struct AddressAgentSnapshot {
  AddressId address = 0;
  AddressAgentState state = kInitialAddressAgentState;
  std::optional<AddressAgentState> next;
  AddressAgentState held = AddressAgentState::kNotReady;
  std::vector<GroupId> groups;
  ActivityId activity = 0;
  std::uint32_t calls_in_progress = 0;

  friend bool operator==(const AddressAgentSnapshot&, const AddressAgentSnapshot&) = default;
};

}  // namespace opentapi::core

#endif  // OPENTAPI_CORE_SNAPSHOT_H_
