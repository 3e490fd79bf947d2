#include "acd/traffic_simulator.h"

#include <gtest/gtest.h>

#include <vector>

#include "acd/call_center.h"
#include "acd/test_support.h"

namespace opentapi::acd {
namespace {

using testing::at;
using testing::at_ms;

const char* kSimulator = R"(
[simulator]
enabled = true
seed = 7
calls_per_hour = 240
handle_seconds = 50
patience_seconds = 40
answer_seconds = 2
queues = [1, 2]
agents = ["1001", "1002"]
)";

struct Outcome {
  std::vector<core::QueueInfo> queues;
  std::vector<core::AgentInfo> agents;
  std::vector<core::AgentSessionInfo> sessions;
  std::size_t audit_entries = 0;
  TrafficSimulator::Counts counts;
};

// Runs two simulated hours, stepping the clock by `steps_ms` in turn.
Outcome run(std::uint64_t seed, const std::vector<std::int64_t>& steps_ms) {
  AcdConfig config = testing::test_config(kSimulator);
  config.simulator.seed = seed;
  CallCenter cc(config, at(0));
  TrafficSimulator sim(config.simulator, config.simulator.queues, at(0));
  cc.attach_simulator(&sim);
  cc.log_in_simulated_agents(at(0));
  testing::RecordMap records;
  records.apply(cc.take_effects().batch);
  std::int64_t t = 0;
  std::size_t i = 0;
  const std::int64_t end = 2 * 3600 * 1000;
  while (t < end) {
    t = std::min(end, t + steps_ms[i++ % steps_ms.size()]);
    cc.advance_to(at_ms(t));
    records.apply(cc.take_effects().batch);
  }
  Outcome o;
  for (core::QueueId q : {1u, 2u, 3u}) o.queues.push_back(*cc.queue_info(q, at_ms(end)));
  for (const char* id : {"1001", "1002"}) {
    const AgentHandle h = *cc.find_agent_by_id(id);
    o.agents.push_back(*cc.agent_info(h, at_ms(end)));
    for (const core::AgentSession& s : cc.agent(h)->sessions()) o.sessions.push_back(s.info(at_ms(end)));
  }
  o.audit_entries = records.audit().size();
  o.counts = sim.counts();
  return o;
}

TEST(TrafficSimulator, SameSeedGivesIdenticalStatisticsWhateverTheClockSteps) {
  const Outcome a = run(7, {1000});
  const Outcome b = run(7, {7300, 130, 59000, 1, 2222});
  EXPECT_EQ(a.queues, b.queues);
  EXPECT_EQ(a.agents, b.agents);
  EXPECT_EQ(a.sessions, b.sessions);
  EXPECT_EQ(a.audit_entries, b.audit_entries);
  EXPECT_EQ(a.counts.arrived, b.counts.arrived);
  EXPECT_EQ(a.counts.abandoned, b.counts.abandoned);
  // Sanity: traffic really flowed (240/h on two queues for two hours).
  EXPECT_GT(a.counts.arrived, 700u);
  EXPECT_LT(a.counts.arrived, 1300u);
  EXPECT_GT(a.counts.answered, 50u);
  EXPECT_GT(a.counts.abandoned, 50u);
  EXPECT_EQ(a.queues[0].total_calls_queued + a.queues[1].total_calls_queued, a.counts.arrived);
}

TEST(TrafficSimulator, AnotherSeedGivesOtherTraffic) {
  const Outcome a = run(7, {1000});
  const Outcome c = run(8, {1000});
  EXPECT_NE(a.queues, c.queues);
}

TEST(TrafficSimulator, FixedTimesAreExact) {
  SimulatorConfig s;
  s.enabled = true;
  s.calls_per_hour = 0;  // no arrivals: only the calls we adopt
  s.handle_seconds = 30;
  s.handle_distribution = Distribution::kFixed;
  s.patience_seconds = 10;
  s.patience_distribution = Distribution::kFixed;
  s.answer_seconds = 3;
  TrafficSimulator sim(s, {1}, at(0));
  EXPECT_FALSE(sim.next_event());
  sim.adopt(make_call_id(CallOrigin::kSimulator, 1), CallPhase::kQueued, at(100));
  EXPECT_EQ(sim.next_event(), at(110));
  sim.call_delivered(make_call_id(CallOrigin::kSimulator, 2), 1, at(101));
  EXPECT_EQ(sim.next_event(), at(104));
}

}  // namespace
}  // namespace opentapi::acd
