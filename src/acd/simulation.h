// Simulation: the reference ACD's call-center model (CallCenter) and its
// TrafficSimulator run together on a simulated clock, for capacity questions
// ("how many agents keep the service level at 80 % with 120 calls an hour?")
// without a server, a store or a client. `opentapi simulate` is its front end.
//
// It is the model the virtual ACD runs — the same routing, wrap-up and
// overflow timers, the same simulator — so what it reports is what opentapid
// would do with that configuration and traffic. Events run at their own
// instants (CallCenter::next_deadline), so the report depends only on the
// specification and its seed, never on how fast the host is.
//
// What is measured (docs/cli.md "simulate" explains the figures):
//   * per call, from the call source's events: arrival in the queue the
//     caller dialled, answer by the agent, end, or abandon (in the queue or
//     while ringing). A call's figures belong to the queue it arrived at,
//     also when it overflowed to another queue and was answered there.
//   * per session, from the model's LINE_AGENTSESSIONSTATUS announcements:
//     time in BUSY_ON_CALL (ringing included) and BUSY_WRAPUP. An agent is
//     busy while one of its sessions is (one person, one call: the ACD never
//     gives an agent a second call), and logged in while one of its sessions
//     is current.
// Service level counts a call as answered within target when the agent
// answered it at most the target after its arrival (ring time included:
// the caller's view, stricter than the queue's own counter, which stops at
// delivery). Calls still waiting, ringing or talking at the end are counted
// as offered and shown as in progress; their open talk time and every open wrap-up or
// busy interval count up to the end of the run.
//
// No I/O, no clock, no threads; `progress` is how a caller shows progress,
// paces the run against a wall clock or stops it.
#ifndef OPENTAPI_ACD_SIMULATION_H_
#define OPENTAPI_ACD_SIMULATION_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "acd/config.h"
#include "core/status.h"
#include "core/units.h"

namespace opentapi::acd {

struct SimulationSpec {
  // The call center: groups, queues, agents, wrap-up time, and in
  // [simulator] the traffic (calls_per_hour per queue, handle, patience and
  // ring times, seed, queues, agents). `simulator.enabled` is ignored: the
  // simulation always runs the simulator.
  AcdConfig config;
  // When set, this many generated agents (IDs "sim1", "sim2", … skipping IDs
  // the configuration already has) replace [simulator] agents. 0 is allowed:
  // nobody answers.
  std::optional<std::uint32_t> agents;
  // Simulated time to run, > 0.
  std::int64_t duration_ms = 3'600'000;
  // The service-level target: a call answered within this many seconds of
  // its arrival meets it. Unset: each queue's own target ([[queue]]
  // service_level_seconds) for the calls that arrive at it.
  std::optional<std::uint32_t> service_level_seconds;
  // The simulated instant the run starts at (fixed, so reports do not depend
  // on when they were made): 2026-01-05T08:00:00Z, a Monday morning.
  core::TimePoint start = core::TimePoint::from_unix_seconds(1'767'600'000);
  // `progress` runs at least this often in simulated time, > 0.
  std::int64_t progress_interval_ms = 1000;
};

// Figures of a set of calls: one queue's (by the queue the caller dialled)
// or all of them.
struct CallFigures {
  std::uint64_t offered = 0;      // calls that arrived
  std::uint64_t answered = 0;     // an agent answered
  std::uint64_t abandoned = 0;    // the caller hung up first (waiting or ringing)
  std::uint64_t in_progress = 0;  // neither at the end of the run (waiting or ringing)
  std::uint64_t answered_within_target = 0;
  std::uint64_t completed = 0;      // answered calls that ended within the run
  std::uint64_t flowed_out = 0;     // the queue passed calls on (overflow), counted by the queue
  std::uint64_t flowed_in = 0;      // the queue received overflowing calls
  std::int64_t answer_wait_ms = 0;  // Σ arrival → answer of the answered calls
  std::int64_t longest_answer_wait_ms = 0;
  std::int64_t completed_talk_ms = 0;  // Σ talk of the completed calls
  std::uint64_t wrap_ups = 0;          // wrap-ups that ended within the run
  std::int64_t completed_wrap_up_ms = 0;

  // answered_within_target / (answered + abandoned); nullopt before any
  // call was answered or abandoned.
  std::optional<double> service_level() const;
  // Average speed of answer (arrival → answer), seconds; 0 without answers.
  double average_speed_of_answer_s() const;
  double average_talk_s() const;     // over completed calls
  double average_wrap_up_s() const;  // over completed wrap-ups
  // Average handle time: average talk + average wrap-up.
  double average_handle_s() const { return average_talk_s() + average_wrap_up_s(); }
  // abandoned / offered; 0 without calls.
  double abandon_rate() const;
};

struct QueueFigures {
  core::QueueId id = 0;
  std::string name;
  std::string group;
  std::uint32_t service_level_seconds = 20;  // the target its calls were measured against
  CallFigures calls;
};

struct AgentFigures {
  std::string id;               // configured agent ID
  std::string name;             // display name from the configuration
  std::uint64_t calls = 0;      // calls the agent answered
  std::int64_t talk_ms = 0;     // answer → end (open talk up to the end)
  std::int64_t wrap_up_ms = 0;  // time in BUSY_WRAPUP
  std::int64_t busy_ms = 0;     // time in BUSY_ON_CALL or BUSY_WRAPUP
  std::int64_t logged_in_ms = 0;

  // busy / logged in, in [0, 1]; nullopt when never logged in.
  std::optional<double> occupancy() const;
};

struct SimulationReport {
  std::int64_t start_unix_ms = 0;
  std::int64_t simulated_ms = 0;  // the duration, or less when stopped early
  bool stopped_early = false;     // `progress` returned false
  // The target of every queue; nullopt when the queues' targets differ.
  std::optional<std::uint32_t> service_level_seconds;
  std::uint64_t seed = 0;
  double calls_per_hour = 0;  // per queue
  std::uint32_t wrap_up_seconds = 0;

  CallFigures total;
  std::vector<QueueFigures> queues;  // every configured queue, in configuration order
  std::vector<AgentFigures> agents;  // the simulated agents, in configuration order

  // Σ busy / Σ logged in over the agents; nullopt without logged-in time.
  std::optional<double> occupancy() const;
  std::int64_t total_talk_ms() const;  // Σ agents' talk
};

struct SimulationProgress {
  std::int64_t elapsed_ms = 0;  // simulated
  std::int64_t duration_ms = 0;
  std::uint64_t offered = 0;
  std::uint64_t answered = 0;
  std::uint64_t abandoned = 0;
};

// Returns false to stop the run at `elapsed_ms` (the report then covers the
// time simulated so far and says stopped_early).
using SimulationProgressFn = std::function<bool(const SimulationProgress&)>;

// The agent configuration `spec.agents` generates and the traffic settings
// in effect; what run_simulation runs. Errors (kInvalParam, naming what is
// wrong): duration or progress interval ≤ 0, a configuration whose traffic
// reaches no queue.
Result<AcdConfig> simulation_config(const SimulationSpec& spec);

// Runs the simulation. `progress` (may be empty) runs every
// progress_interval_ms of simulated time and at the end. Errors: those of
// simulation_config.
Result<SimulationReport> run_simulation(const SimulationSpec& spec, const SimulationProgressFn& progress = {});

}  // namespace opentapi::acd

#endif  // OPENTAPI_ACD_SIMULATION_H_
