// Session state-machine throughput (src/core).
//
// Reports transitions per second as items/s:
//   * BM_SessionCycle — the realistic cycle of an agent session through the
//     AgentSession API, statistics updated on every step:
//       READY → BUSY_ON_CALL (offer) → [answer] → BUSY_WRAPUP (call ends)
//       → READY → NOT_READY → READY
//     5 transitions per cycle (answering is not a transition, but its cost —
//     call count, time to answer — is included).
//   * BM_AgentSessionCycle — the same cycle through Agent, which also keeps
//     the agent state and the agent's period statistics in step.
//   * BM_TableCheck / BM_CheckSessionTransition — the bare table lookup, and
//     the Status-returning check a proxy answers requests with, over all 25
//     (from, to) pairs.
// Target: ≥ 10 million transitions/s on one core in a release build.
#include <benchmark/benchmark.h>

#include <cstdint>

#include "core/agent.h"
#include "core/session.h"
#include "core/session_state.h"

namespace {

using opentapi::core::Agent;
using opentapi::core::AgentSession;
using opentapi::core::GroupId;
using opentapi::core::SessionState;
using opentapi::core::SessionStateRequest;
using opentapi::core::TimePoint;

constexpr int kTransitionsPerCycle = 5;
constexpr GroupId kGroup{{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}};

void BM_SessionCycle(benchmark::State& state) {
  TimePoint now = TimePoint::from_unix_seconds(1'704'067'200);
  AgentSession session(1, 1, kGroup, 0, now);
  if (!session.request_state(SessionState::kReady, now).ok()) state.SkipWithError("setup");
  std::uint64_t call = 0;
  for (auto _ : state) {
    now = now.plus_ms(1000);
    auto offered = session.offer_call(++call, now);
    now = now.plus_ms(3000);
    auto answered = session.answer_call(now);
    now = now.plus_ms(60'000);
    auto ended = session.end_call(now);  // → BUSY_WRAPUP
    now = now.plus_ms(15'000);
    auto ready = session.request_state(SessionState::kReady, now);
    now = now.plus_ms(5000);
    auto not_ready = session.request_state(SessionState::kNotReady, now);
    now = now.plus_ms(30'000);
    auto ready_again = session.request_state(SessionState::kReady, now);
    if (!(offered.ok() && answered.ok() && ended.ok() && ready.ok() && not_ready.ok() && ready_again.ok())) {
      state.SkipWithError("cycle failed");
      break;
    }
    benchmark::DoNotOptimize(ready_again);
  }
  benchmark::DoNotOptimize(session.info(now));
  state.SetItemsProcessed(state.iterations() * kTransitionsPerCycle);
}
BENCHMARK(BM_SessionCycle);

void BM_AgentSessionCycle(benchmark::State& state) {
  TimePoint now = TimePoint::from_unix_seconds(1'704'067'200);
  auto created = Agent::create(1, "bench", "", "", now);
  Agent agent = std::move(created).value();
  agent.mark_reported(now);
  const bool setup = agent.request_state(opentapi::core::AgentState::kReady, now).ok() &&
                     agent.create_session(1, kGroup, 0, "", now).ok() &&
                     agent.request_session_state(1, {SessionState::kReady, std::nullopt}, now).ok();
  if (!setup) state.SkipWithError("setup");
  const SessionStateRequest to_ready{SessionState::kReady, std::nullopt};
  const SessionStateRequest to_not_ready{SessionState::kNotReady, std::nullopt};
  std::uint64_t call = 0;
  for (auto _ : state) {
    now = now.plus_ms(1000);
    auto offered = agent.offer_acd_call(1, ++call, now);
    now = now.plus_ms(3000);
    auto answered = agent.answer_acd_call(1, now);
    now = now.plus_ms(60'000);
    auto ended = agent.end_acd_call(1, now);
    now = now.plus_ms(15'000);
    auto ready = agent.request_session_state(1, to_ready, now);
    now = now.plus_ms(5000);
    auto not_ready = agent.request_session_state(1, to_not_ready, now);
    now = now.plus_ms(30'000);
    auto ready_again = agent.request_session_state(1, to_ready, now);
    if (!(offered.ok() && answered.ok() && ended.ok() && ready.ok() && not_ready.ok() && ready_again.ok())) {
      state.SkipWithError("cycle failed");
      break;
    }
    benchmark::DoNotOptimize(ready_again);
  }
  benchmark::DoNotOptimize(agent.info(now));
  state.SetItemsProcessed(state.iterations() * kTransitionsPerCycle);
}
BENCHMARK(BM_AgentSessionCycle);

constexpr SessionState kTableStates[] = {SessionState::kNotReady, SessionState::kReady, SessionState::kBusyOnCall,
                                         SessionState::kBusyWrapUp, SessionState::kEnded};

void BM_TableCheck(benchmark::State& state) {
  for (auto _ : state) {
    for (SessionState from : kTableStates) {
      for (SessionState to : kTableStates) {
        // Launder the inputs so the lookup is not folded at compile time.
        benchmark::DoNotOptimize(from);
        benchmark::DoNotOptimize(to);
        benchmark::DoNotOptimize(opentapi::core::session_transition(from, to));
      }
    }
  }
  state.SetItemsProcessed(state.iterations() * 25);
}
BENCHMARK(BM_TableCheck);

void BM_CheckSessionTransition(benchmark::State& state) {
  for (auto _ : state) {
    for (SessionState from : kTableStates) {
      for (SessionState to : kTableStates) {
        benchmark::DoNotOptimize(from);
        benchmark::DoNotOptimize(to);
        auto verdict = opentapi::core::check_session_transition(from, to);
        benchmark::DoNotOptimize(verdict);
      }
    }
  }
  state.SetItemsProcessed(state.iterations() * 25);
}
BENCHMARK(BM_CheckSessionTransition);

}  // namespace
