#include "acd/simulation.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <vector>

namespace opentapi::acd {
namespace {

constexpr std::int64_t kHourMs = 3'600'000;

// The demo call center (queues 1 and 2 take calls, 1 overflows to 3 after
// 60 s) with `agents` generated agents and a load of `calls_per_hour` per
// queue, 60 s mean talk, 90 s mean patience, 15 s wrap-up.
SimulationSpec demo(std::uint32_t agents, double calls_per_hour, std::int64_t duration_ms = 2 * kHourMs) {
  SimulationSpec spec;
  spec.config = default_config();
  spec.config.simulator.seed = 42;
  spec.config.simulator.calls_per_hour = calls_per_hour;
  spec.config.simulator.handle_seconds = 60;
  spec.config.simulator.patience_seconds = 90;
  spec.config.simulator.answer_seconds = 2;
  spec.config.wrap_up_seconds = 15;
  spec.agents = agents;
  spec.duration_ms = duration_ms;
  return spec;
}

SimulationReport run(const SimulationSpec& spec) {
  auto r = run_simulation(spec);
  EXPECT_TRUE(r.ok()) << r.status().to_string();
  return r.ok() ? *r : SimulationReport{};
}

void expect_consistent(const CallFigures& f, const char* what) {
  SCOPED_TRACE(what);
  EXPECT_LE(f.answered + f.abandoned, f.offered);
  EXPECT_EQ(f.answered + f.abandoned + f.in_progress, f.offered);
  EXPECT_LE(f.answered_within_target, f.answered);
  EXPECT_LE(f.completed, f.answered);
  if (auto sl = f.service_level()) {
    EXPECT_GE(*sl, 0.0);
    EXPECT_LE(*sl, 1.0);
  }
  EXPECT_GE(f.average_speed_of_answer_s(), 0.0);
  EXPECT_LE(f.average_speed_of_answer_s() * 1000.0, static_cast<double>(f.longest_answer_wait_ms) + 1e-6);
}

TEST(Simulation, FiguresAreConsistent) {
  const SimulationSpec spec = demo(6, 150);
  const SimulationReport r = run(spec);
  ASSERT_EQ(r.simulated_ms, spec.duration_ms);
  EXPECT_FALSE(r.stopped_early);
  // Enough traffic for the figures to mean something.
  EXPECT_GT(r.total.offered, 400u);
  EXPECT_GT(r.total.answered, 200u);
  EXPECT_GT(r.total.abandoned, 0u);
  expect_consistent(r.total, "total");

  ASSERT_EQ(r.queues.size(), 3u);
  std::uint64_t offered = 0;
  for (const QueueFigures& q : r.queues) {
    expect_consistent(q.calls, q.name.c_str());
    offered += q.calls.offered;
  }
  EXPECT_EQ(offered, r.total.offered);
  // Queue 3 takes no calls of its own; queue 1 passes it the calls that wait
  // 60 s (counted by the queues themselves).
  EXPECT_EQ(r.queues[2].calls.offered, 0u);
  EXPECT_EQ(r.queues[0].calls.flowed_out, r.queues[2].calls.flowed_in);

  ASSERT_EQ(r.agents.size(), 6u);
  std::uint64_t answered_by_agents = 0;
  for (const AgentFigures& a : r.agents) {
    SCOPED_TRACE(a.id);
    EXPECT_EQ(a.logged_in_ms, spec.duration_ms);  // logged in from start to end
    EXPECT_LE(a.talk_ms + a.wrap_up_ms, a.busy_ms);
    EXPECT_LE(a.busy_ms, a.logged_in_ms);
    ASSERT_TRUE(a.occupancy().has_value());
    EXPECT_GE(*a.occupancy(), 0.0);
    EXPECT_LE(*a.occupancy(), 1.0);
    answered_by_agents += a.calls;
  }
  EXPECT_EQ(answered_by_agents, r.total.answered);
  EXPECT_LE(r.total_talk_ms(), spec.duration_ms * 6);
  ASSERT_TRUE(r.occupancy().has_value());
  EXPECT_GT(*r.occupancy(), 0.0);
  EXPECT_LE(*r.occupancy(), 1.0);
  ASSERT_TRUE(r.total.service_level().has_value());
}

TEST(Simulation, GeneratedAgentsSkipConfiguredIds) {
  SimulationSpec spec = demo(3, 30, kHourMs);
  spec.config.agents.push_back(AgentConfig{"sim2", "", "Configured", ""});
  auto config = simulation_config(spec);
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->simulator.agents, (std::vector<std::string>{"sim1", "sim3", "sim4"}));
  ASSERT_NE(config->find_agent("sim4"), nullptr);
  EXPECT_EQ(config->find_agent("sim4")->name, "Simulated agent 4");
  const SimulationReport r = run(spec);
  ASSERT_EQ(r.agents.size(), 3u);
  EXPECT_EQ(r.agents[2].id, "sim4");
}

TEST(Simulation, WithoutGeneratedAgentsTheConfiguredSimulatorAgentsWork) {
  SimulationSpec spec = demo(0, 60, kHourMs);
  spec.agents.reset();  // the demo's [simulator] agents 2001..2004
  const SimulationReport r = run(spec);
  ASSERT_EQ(r.agents.size(), 4u);
  EXPECT_EQ(r.agents[0].id, "2001");
  EXPECT_EQ(r.agents[0].name, "Eve");
  EXPECT_GT(r.total.answered, 0u);
}

// Everything in the report that a different event order would change.
void expect_same(const SimulationReport& a, const SimulationReport& b) {
  ASSERT_EQ(a.queues.size(), b.queues.size());
  for (std::size_t i = 0; i < a.queues.size(); ++i) {
    const CallFigures& x = a.queues[i].calls;
    const CallFigures& y = b.queues[i].calls;
    SCOPED_TRACE(a.queues[i].name);
    EXPECT_EQ(x.offered, y.offered);
    EXPECT_EQ(x.answered, y.answered);
    EXPECT_EQ(x.abandoned, y.abandoned);
    EXPECT_EQ(x.in_progress, y.in_progress);
    EXPECT_EQ(x.answered_within_target, y.answered_within_target);
    EXPECT_EQ(x.answer_wait_ms, y.answer_wait_ms);
    EXPECT_EQ(x.completed_talk_ms, y.completed_talk_ms);
    EXPECT_EQ(x.completed_wrap_up_ms, y.completed_wrap_up_ms);
    EXPECT_EQ(x.flowed_out, y.flowed_out);
  }
  ASSERT_EQ(a.agents.size(), b.agents.size());
  for (std::size_t i = 0; i < a.agents.size(); ++i) {
    EXPECT_EQ(a.agents[i].calls, b.agents[i].calls);
    EXPECT_EQ(a.agents[i].talk_ms, b.agents[i].talk_ms);
    EXPECT_EQ(a.agents[i].busy_ms, b.agents[i].busy_ms);
  }
}

TEST(Simulation, SameSeedSameReportWhateverTheProgressSteps) {
  SimulationSpec spec = demo(5, 120);
  const SimulationReport first = run(spec);
  spec.progress_interval_ms = 7'777;  // other instants for the progress calls
  int calls = 0;
  auto second = run_simulation(spec, [&](const SimulationProgress&) {
    ++calls;
    return true;
  });
  ASSERT_TRUE(second.ok());
  EXPECT_GT(calls, 900);
  expect_same(first, *second);

  spec.config.simulator.seed = 43;
  const SimulationReport other_seed = run(spec);
  EXPECT_NE(other_seed.total.answer_wait_ms, first.total.answer_wait_ms);
}

TEST(Simulation, MoreAgentsFewerAbandons) {
  // 2 × 200 calls an hour of 60 s talk + 15 s wrap-up: over 8 agents' worth.
  const SimulationReport few = run(demo(2, 200));
  const SimulationReport more = run(demo(8, 200));
  const SimulationReport many = run(demo(20, 200));
  EXPECT_LT(more.total.abandoned, few.total.abandoned);
  EXPECT_LT(many.total.abandoned, more.total.abandoned);
  EXPECT_GT(many.total.service_level().value_or(0), more.total.service_level().value_or(1));
  EXPECT_LT(*many.occupancy(), *few.occupancy());
}

TEST(Simulation, WithoutAgentsEveryCallIsAbandoned) {
  const SimulationReport r = run(demo(0, 120));
  EXPECT_TRUE(r.agents.empty());
  EXPECT_GT(r.total.offered, 100u);
  EXPECT_EQ(r.total.answered, 0u);
  EXPECT_EQ(r.total.abandoned + r.total.in_progress, r.total.offered);
  EXPECT_GT(r.total.abandoned, 100u);
  ASSERT_TRUE(r.total.service_level().has_value());
  EXPECT_EQ(*r.total.service_level(), 0.0);
  EXPECT_FALSE(r.occupancy().has_value());
  EXPECT_EQ(r.total_talk_ms(), 0);
}

TEST(Simulation, FixedTimesGiveExactAverages) {
  // Callers never give up (patience 0), talk exactly 10 s, ring 2 s, wrap
  // up 5 s: every completed call shows exactly those figures.
  SimulationSpec spec = demo(3, 60);
  spec.config.simulator.handle_seconds = 10;
  spec.config.simulator.handle_distribution = Distribution::kFixed;
  spec.config.simulator.patience_seconds = 0;
  spec.config.wrap_up_seconds = 5;
  const SimulationReport r = run(spec);
  EXPECT_GT(r.total.completed, 50u);
  EXPECT_EQ(r.total.abandoned, 0u);
  EXPECT_DOUBLE_EQ(r.total.average_talk_s(), 10.0);
  EXPECT_DOUBLE_EQ(r.total.average_wrap_up_s(), 5.0);
  EXPECT_DOUBLE_EQ(r.total.average_handle_s(), 15.0);
  EXPECT_GE(r.total.average_speed_of_answer_s(), 2.0);  // the ring time at least
  for (const AgentFigures& a : r.agents) {
    SCOPED_TRACE(a.id);
    // Busy = ring + talk + wrap-up of each call; a call still ringing at the
    // end adds at most one ring.
    const std::int64_t expected = a.talk_ms + a.wrap_up_ms + 2000 * static_cast<std::int64_t>(a.calls);
    EXPECT_GE(a.busy_ms, expected);
    EXPECT_LE(a.busy_ms, expected + 2000);
  }
}

TEST(Simulation, ZeroWrapUpMeansTheSimulatedAgentsAskForReadyAtOnce) {
  SimulationSpec spec = demo(2, 60);
  spec.config.wrap_up_seconds = 0;
  const SimulationReport r = run(spec);
  for (const AgentFigures& a : r.agents) {
    EXPECT_EQ(a.wrap_up_ms, 0);
    EXPECT_GT(a.calls, 5u) << a.id;  // not stuck in wrap-up after the first call
  }
  EXPECT_EQ(r.total.average_wrap_up_s(), 0.0);
}

TEST(Simulation, ServiceLevelTargetsArePerQueueUnlessOverridden) {
  SimulationSpec spec = demo(4, 150);
  spec.config.queues[0].service_level_seconds = 5;
  spec.config.queues[1].service_level_seconds = 60;
  const SimulationReport per_queue = run(spec);
  EXPECT_FALSE(per_queue.service_level_seconds.has_value());
  EXPECT_EQ(per_queue.queues[0].service_level_seconds, 5u);
  EXPECT_EQ(per_queue.queues[1].service_level_seconds, 60u);

  spec.service_level_seconds = 5;
  const SimulationReport strict = run(spec);
  spec.service_level_seconds = 60;
  const SimulationReport lenient = run(spec);
  EXPECT_EQ(strict.service_level_seconds, 5u);
  EXPECT_EQ(strict.queues[1].service_level_seconds, 5u);
  // The target changes what is measured, not what happens.
  EXPECT_EQ(strict.total.answered, lenient.total.answered);
  EXPECT_EQ(strict.queues[0].calls.answered_within_target, per_queue.queues[0].calls.answered_within_target);
  EXPECT_EQ(lenient.queues[1].calls.answered_within_target, per_queue.queues[1].calls.answered_within_target);
  EXPECT_LT(strict.total.answered_within_target, lenient.total.answered_within_target);
  EXPECT_LT(*strict.total.service_level(), *lenient.total.service_level());
}

TEST(Simulation, ProgressCanStopTheRun) {
  SimulationSpec spec = demo(4, 120);
  spec.progress_interval_ms = 60'000;
  std::vector<std::int64_t> seen;
  auto r = run_simulation(spec, [&](const SimulationProgress& p) {
    seen.push_back(p.elapsed_ms);
    EXPECT_EQ(p.duration_ms, spec.duration_ms);
    EXPECT_LE(p.answered + p.abandoned, p.offered);
    return p.elapsed_ms < 10 * 60'000;
  });
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->stopped_early);
  EXPECT_EQ(r->simulated_ms, 10 * 60'000);
  ASSERT_EQ(seen.size(), 10u);
  EXPECT_EQ(seen.front(), 60'000);
  EXPECT_EQ(seen.back(), 600'000);
  for (const AgentFigures& a : r->agents) EXPECT_EQ(a.logged_in_ms, 600'000);
}

TEST(Simulation, RefusesBadSpecifications) {
  SimulationSpec spec = demo(2, 60);
  spec.duration_ms = 0;
  EXPECT_EQ(run_simulation(spec).code(), core::ErrorCode::kInvalParam);
  spec = demo(2, -1);
  auto r = run_simulation(spec);
  EXPECT_EQ(r.code(), core::ErrorCode::kInvalParam);
  EXPECT_NE(r.status().message().find("calls per hour"), std::string::npos) << r.status().message();
  spec = demo(2, 60);
  spec.config.simulator.queues = {9};
  EXPECT_EQ(run_simulation(spec).code(), core::ErrorCode::kInvalParam);
  spec = demo(2, 60);
  spec.config.wrap_up_seconds = 100'000;
  EXPECT_EQ(run_simulation(spec).code(), core::ErrorCode::kInvalParam);
}

TEST(Simulation, ALongRunKeepsTheQueueCountersWhole) {
  // 25 hours: longer than the queues' 24 h measurement period, which the
  // simulation stretches so flowed-in/out cover the whole run.
  const SimulationReport r = run(demo(2, 60, 25 * kHourMs));
  EXPECT_EQ(r.simulated_ms, 25 * kHourMs);
  EXPECT_GT(r.queues[0].calls.flowed_out, 0u);
  EXPECT_EQ(r.queues[0].calls.flowed_out, r.queues[2].calls.flowed_in);
  expect_consistent(r.total, "total");
}

}  // namespace
}  // namespace opentapi::acd
