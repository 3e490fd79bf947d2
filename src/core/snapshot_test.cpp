#include "core/snapshot.h"

#include <gtest/gtest.h>

#include <vector>

#include "core/address_agent.h"
#include "core/agent.h"
#include "core/queue.h"
#include "core/session.h"
#include "core/test_support.h"

namespace opentapi::core {
namespace {

using S = SessionState;
using testing_time::at;
using testing_time::at_ms;

constexpr GroupId kSales{{1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}};
constexpr GroupId kSupport{{2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}};

std::vector<SessionSnapshot> session_snapshots(const Agent& a) {
  std::vector<SessionSnapshot> out;
  for (const AgentSession& s : a.sessions()) out.push_back(s.snapshot());
  return out;
}

Agent roundtrip(const Agent& a) {
  auto restored = Agent::restore(a.snapshot(), session_snapshots(a));
  EXPECT_TRUE(restored.ok()) << restored.status().to_string();
  return std::move(restored).value();
}

// An agent in the middle of everything: a wrap-up open, a call talking, a
// deferred request, non-ACD calls counted, a period set.
Agent busy_agent() {
  auto created = Agent::create(7, "alice", "A-1", "1234", at(0));
  EXPECT_TRUE(created.ok());
  Agent a = std::move(created).value();
  a.mark_reported(at(0));
  EXPECT_TRUE(a.set_measurement_period(3600, at(1)).ok());
  EXPECT_TRUE(a.create_session(10, kSales, 0, "1234", at(2)).ok());
  EXPECT_TRUE(a.create_session(11, kSupport, 1, "", at(3)).ok());
  EXPECT_TRUE(a.request_session_state(10, {S::kReady, S::kBusyWrapUp}, at(4)).ok());
  EXPECT_TRUE(a.request_session_state(11, {S::kReady, std::nullopt}, at(4)).ok());
  EXPECT_TRUE(a.offer_acd_call(10, 100, at(5)).ok());
  EXPECT_TRUE(a.answer_acd_call(10, at_ms(7'500)).ok());
  EXPECT_TRUE(a.end_acd_call(10, at(40)).ok());  // → BUSY_WRAPUP, still open
  EXPECT_TRUE(a.offer_acd_call(11, 101, at(41)).ok());
  EXPECT_TRUE(a.answer_acd_call(11, at(43)).ok());                // talking
  EXPECT_TRUE(a.request_state(AgentState::kReady, at(43)).ok());  // deferred while busy
  EXPECT_TRUE(a.begin_non_acd_call(CallDirection::kOutgoing, at(44)).ok());
  return a;
}

TEST(SnapshotAgent, RoundTripGivesTheSameInfoAndSnapshot) {
  const Agent a = busy_agent();
  const Agent b = roundtrip(a);
  EXPECT_EQ(b.snapshot(), a.snapshot());
  EXPECT_EQ(session_snapshots(b), session_snapshots(a));
  EXPECT_EQ(b.info(at(50)), a.info(at(50)));
  EXPECT_EQ(b.current_session_count(), a.current_session_count());
  for (std::size_t i = 0; i < a.sessions().size(); ++i) {
    EXPECT_EQ(b.sessions()[i].info(at(50)), a.sessions()[i].info(at(50)));
  }
}

TEST(SnapshotAgent, RestoredAgentBehavesTheSameAfterwards) {
  Agent a = busy_agent();
  Agent b = roundtrip(a);
  for (Agent* x : {&a, &b}) {
    ASSERT_TRUE(x->end_acd_call(11, at(90)).ok());
    ASSERT_TRUE(x->end_non_acd_call(at(91)).ok());
    ASSERT_TRUE(x->request_session_state(10, {S::kReady, std::nullopt}, at(95)).ok());
    ASSERT_TRUE(x->request_session_state(11, {S::kEnded, std::nullopt}, at(100)).ok());
  }
  EXPECT_EQ(b.info(at(120)), a.info(at(120)));
  EXPECT_EQ(b.state(), a.state());
  EXPECT_EQ(b.info(at(4000)), a.info(at(4000)));  // after the period rolled
  for (std::size_t i = 0; i < a.sessions().size(); ++i) {
    EXPECT_EQ(b.sessions()[i].info(at(130)), a.sessions()[i].info(at(130)));
  }
}

TEST(SnapshotAgent, RefusesSessionsOfAnotherAgent) {
  const Agent a = busy_agent();
  auto sessions = session_snapshots(a);
  sessions[0].agent = 99;
  EXPECT_EQ(Agent::restore(a.snapshot(), sessions).code(), ErrorCode::kInvalParam);
}

TEST(SnapshotAgent, RefusesCallCountThatDisagreesWithSessions) {
  const Agent a = busy_agent();
  AgentSnapshot snap = a.snapshot();
  snap.acd_calls_in_progress = 0;
  EXPECT_EQ(Agent::restore(snap, session_snapshots(a)).code(), ErrorCode::kInvalParam);
}

TEST(SnapshotAgent, RefusesZeroPeriodAndBadState) {
  const Agent a = busy_agent();
  AgentSnapshot snap = a.snapshot();
  snap.period.seconds = 0;
  EXPECT_EQ(Agent::restore(snap, session_snapshots(a)).code(), ErrorCode::kInvalParam);
  snap = a.snapshot();
  snap.state = static_cast<AgentState>(0x3);
  EXPECT_EQ(Agent::restore(snap, session_snapshots(a)).code(), ErrorCode::kInvalParam);
}

TEST(SnapshotSession, RefusesEndTimeThatDoesNotMatchState) {
  AgentSession s(1, 2, kSales, 0, at(0));
  SessionSnapshot snap = s.snapshot();
  snap.ended_at = at(5);
  EXPECT_EQ(AgentSession::restore(snap).code(), ErrorCode::kInvalParam);
  snap = s.snapshot();
  snap.call = SessionSnapshot::Call{5, at(1), std::nullopt};  // NOT_READY with a call
  EXPECT_EQ(AgentSession::restore(snap).code(), ErrorCode::kInvalParam);
}

TEST(SnapshotQueue, RoundTripKeepsWaitingCallsAndCounters) {
  Queue q(3, "Sales EN", kSales, at(0));
  ASSERT_TRUE(q.set_measurement_period(600, at(1)).ok());
  ASSERT_TRUE(q.enqueue(1, at(2)).ok());
  ASSERT_TRUE(q.enqueue(2, at(3), /*flowed_in=*/true).ok());
  ASSERT_TRUE(q.enqueue(3, at(4)).ok());
  ASSERT_TRUE(q.dequeue_abandoned(1, at(20)).ok());
  auto restored = Queue::restore(q.snapshot());
  ASSERT_TRUE(restored.ok()) << restored.status().to_string();
  Queue r = std::move(restored).value();
  EXPECT_EQ(r.snapshot(), q.snapshot());
  EXPECT_EQ(r.info(at(30)), q.info(at(30)));
  for (Queue* x : {&q, &r}) ASSERT_TRUE(x->dequeue_answered(2, at(33)).ok());
  EXPECT_EQ(r.info(at(40)), q.info(at(40)));
  EXPECT_EQ(r.oldest_waiting()->call, 3u);
}

TEST(SnapshotQueue, RefusesDuplicateCall) {
  Queue q(3, "Q", kSales, at(0));
  ASSERT_TRUE(q.enqueue(1, at(2)).ok());
  QueueSnapshot snap = q.snapshot();
  snap.waiting.push_back(snap.waiting[0]);
  EXPECT_EQ(Queue::restore(snap).code(), ErrorCode::kInvalParam);
}

TEST(SnapshotAddressAgent, RoundTripKeepsStateGroupsAndCalls) {
  AddressAgent a(4);
  const std::vector<GroupId> known{kSales, kSupport};
  const std::vector<GroupId> groups{kSupport};
  ASSERT_TRUE(a.set_groups(groups, known, 4).ok());
  ASSERT_TRUE(a.request_state({AddressAgentState::kReady, AddressAgentState::kNotReady}).ok());
  ASSERT_TRUE(a.call_started(AddressCallKind::kAcd).ok());
  auto restored = AddressAgent::restore(a.snapshot());
  ASSERT_TRUE(restored.ok());
  AddressAgent b = std::move(restored).value();
  EXPECT_EQ(b.snapshot(), a.snapshot());
  for (AddressAgent* x : {&a, &b}) ASSERT_TRUE(x->call_ended().ok());
  EXPECT_EQ(b.state(), AddressAgentState::kNotReady);
  EXPECT_EQ(b.snapshot(), a.snapshot());
}

TEST(SnapshotAddressAgent, RefusesBadState) {
  AddressAgentSnapshot snap = AddressAgent(1).snapshot();
  snap.state = static_cast<AddressAgentState>(0x400);
  EXPECT_EQ(AddressAgent::restore(snap).code(), ErrorCode::kInvalParam);
}

TEST(SnapshotStateSince, AgentAndSessionKeepWhenTheyEnteredTheirState) {
  const Agent a = busy_agent();
  const Agent b = roundtrip(a);
  EXPECT_EQ(b.state_since(), a.state_since());
  EXPECT_EQ(a.state_since(), at(41));  // BUSY_ACD since the second call was offered
  ASSERT_EQ(b.sessions().size(), 2u);
  EXPECT_EQ(b.sessions()[0].state_since(), at(40));  // wrap-up since the call ended
  EXPECT_EQ(b.sessions()[1].state_since(), at(41));
}

TEST(SnapshotQueue, KeepsServiceCountersAndTarget) {
  Queue q(3, "Q", kSales, at(0));
  ASSERT_TRUE(q.set_service_level_seconds(15).ok());
  ASSERT_TRUE(q.enqueue(1, at(0)).ok());
  ASSERT_TRUE(q.enqueue(2, at(1)).ok());
  ASSERT_TRUE(q.dequeue_answered(1, at(7)).ok());
  auto restored = Queue::restore(q.snapshot());
  ASSERT_TRUE(restored.ok()) << restored.status().to_string();
  EXPECT_EQ(restored->service_info(at(9)), q.service_info(at(9)));
  for (Queue* x : {&q, &*restored}) ASSERT_TRUE(x->dequeue_answered(2, at(30)).ok());
  EXPECT_EQ(restored->service_info(at(31)), q.service_info(at(31)));
  EXPECT_EQ(q.service_info(at(31)).answered_within_target, 1u);
}

TEST(SnapshotQueue, RefusesImpossibleServiceCounters) {
  Queue q(3, "Q", kSales, at(0));
  QueueSnapshot snap = q.snapshot();
  snap.service_level_seconds = 0;
  EXPECT_EQ(Queue::restore(snap).code(), ErrorCode::kInvalParam);
  snap = q.snapshot();
  snap.counters.answered_within_target = 1;  // more within target than answered
  EXPECT_EQ(Queue::restore(snap).code(), ErrorCode::kInvalParam);
}

}  // namespace
}  // namespace opentapi::core
