#include "acd/board.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "acd/records.h"
#include "acd/test_support.h"
#include "tapi.h"

namespace opentapi::acd {
namespace {

using core::ErrorCode;
using testing::at;
using testing::at_ms;
using testing::sales;
using testing::support;
using testing::user;

constexpr std::uint32_t kReady = LINEAGENTSESSIONSTATE_READY;
constexpr std::uint32_t kEnded = LINEAGENTSESSIONSTATE_ENDED;

CallId call(std::uint32_t n) { return make_call_id(CallOrigin::kPbx, n); }

class BoardTest : public ::testing::Test {
 protected:
  std::pair<AgentHandle, SessionHandle> login(const std::string& owner, const std::string& id, const std::string& pin,
                                              const core::GroupId& group, AddressId address, core::TimePoint now,
                                              std::uint32_t device = 0) {
    auto a = cc->create_agent(user(owner), id, pin, now);
    EXPECT_TRUE(a.ok()) << a.status().to_string();
    auto s = cc->create_session(user(owner), *a, "", device, address, group, now);
    EXPECT_TRUE(s.ok()) << s.status().to_string();
    return {*a, *s};
  }

  const SessionView* find_session(const Board& b, SessionHandle h) {
    auto it = std::find_if(b.sessions.begin(), b.sessions.end(), [h](const SessionView& v) { return v.handle == h; });
    return it == b.sessions.end() ? nullptr : &*it;
  }

  std::unique_ptr<CallCenter> cc = std::make_unique<CallCenter>(testing::test_config(), at(0));
};

TEST_F(BoardTest, EmptyCallCenterListsGroupsAndQueuesInOrder) {
  const Board b = build_board(*cc, at(5));
  EXPECT_EQ(b.seq, 0u);
  EXPECT_EQ(b.now_ms, at(5).unix_ms());
  ASSERT_EQ(b.groups.size(), 2u);
  EXPECT_EQ(b.groups[0].name, "Sales");
  EXPECT_EQ(b.groups[0].guid, "{11111111-2222-3333-4444-555555555555}");
  EXPECT_EQ(b.groups[0].queues, std::vector<std::uint32_t>{1});
  EXPECT_EQ(b.groups[1].queues, (std::vector<std::uint32_t>{2, 3}));
  ASSERT_EQ(b.queues.size(), 3u);
  EXPECT_EQ(b.queues[2].id, 3u);
  EXPECT_EQ(b.queues[2].name, "Sales overflow");
  EXPECT_EQ(b.queues[2].group_name, "Support");
  EXPECT_EQ(b.queues[2].group_guid, "{66666666-7777-8888-9999-AAAAAAAAAAAA}");
  EXPECT_EQ(b.queues[0].service_level_seconds, 20u);
  EXPECT_EQ(b.queues[0].measurement_period, 86'400u);
  EXPECT_FALSE(b.queues[0].service_level.has_value());  // no call yet
  EXPECT_TRUE(b.agents.empty());
  EXPECT_TRUE(b.sessions.empty());
}

TEST_F(BoardTest, AgentAndSessionCarryStateIdentityAndTimeInState) {
  const auto [agent, session] = login("alice", "1001", "1111", sales(), 3, at(10), /*device=*/1);
  ASSERT_TRUE(cc->set_session_state(user("alice"), session, kReady, 0, at(25)).ok());
  const Board b = build_board(*cc, at(30));

  ASSERT_EQ(b.agents.size(), 1u);
  const AgentView& a = b.agents[0];
  EXPECT_EQ(a.handle, agent);
  EXPECT_EQ(a.id, "1001");
  EXPECT_EQ(a.name, "Ada");
  EXPECT_EQ(a.owner, "alice");
  EXPECT_EQ(a.state, LINEAGENTSTATEEX_NOTREADY);
  EXPECT_EQ(agent_state_name(a.state), "NOTREADY");
  EXPECT_EQ(a.next_state, 0u);
  EXPECT_EQ(a.state_since_ms, at(10).unix_ms());  // a session's state is not the agent's
  EXPECT_EQ(a.stats.measurement_period, 86'400u);

  ASSERT_EQ(b.sessions.size(), 1u);
  const SessionView& s = b.sessions[0];
  EXPECT_EQ(s.handle, session);
  EXPECT_EQ(s.agent, agent);
  EXPECT_EQ(s.agent_id, "1001");
  EXPECT_EQ(s.group_name, "Sales");
  EXPECT_EQ(s.group_guid, "{11111111-2222-3333-4444-555555555555}");
  EXPECT_EQ(s.device, 1u);
  EXPECT_EQ(s.address, 3u);
  EXPECT_EQ(s.state, kReady);
  EXPECT_EQ(session_state_name(s.state), "READY");
  EXPECT_EQ(s.state_since_ms, at(25).unix_ms());
  EXPECT_EQ(s.started_ms, at(10).unix_ms());
  EXPECT_EQ(s.stats.duration_seconds, 20u);

  // Another change moves the time; a request for the same state does not.
  ASSERT_TRUE(cc->set_session_state(user("alice"), session, kReady, 0, at(40)).ok());
  EXPECT_EQ(session_view(*cc, session, at(41))->state_since_ms, at(25).unix_ms());
  ASSERT_TRUE(cc->set_session_state(user("alice"), session, LINEAGENTSESSIONSTATE_NOTREADY, kReady, at(45)).ok());
  const auto after = session_view(*cc, session, at(50));
  ASSERT_TRUE(after);
  EXPECT_EQ(after->state_since_ms, at(45).unix_ms());
  EXPECT_EQ(after->next_state, kReady);
}

TEST_F(BoardTest, OsLoginAgentHasNoIdOrName) {
  login("bob", "", "", support(), 0, at(1));
  const Board b = build_board(*cc, at(2));
  ASSERT_EQ(b.agents.size(), 1u);
  EXPECT_EQ(b.agents[0].id, "");
  EXPECT_EQ(b.agents[0].name, "");
  EXPECT_EQ(b.agents[0].owner, "bob");
  EXPECT_EQ(b.sessions[0].agent_id, "");
}

TEST_F(BoardTest, SessionsAreListedByHandleAcrossAgents) {
  const auto [a1, s1] = login("alice", "1001", "1111", sales(), 0, at(1));
  const auto [a2, s2] = login("bob", "1002", "2222", sales(), 1, at(2));
  auto s3 = cc->create_session(user("alice"), a1, "", 0, 0, support(), at(3));
  ASSERT_TRUE(s3.ok());
  const Board b = build_board(*cc, at(4));
  ASSERT_EQ(b.sessions.size(), 3u);
  EXPECT_EQ(b.sessions[0].handle, s1);
  EXPECT_EQ(b.sessions[1].handle, s2);
  EXPECT_EQ(b.sessions[2].handle, *s3);
  EXPECT_EQ(b.agents[1].handle, a2);
}

TEST_F(BoardTest, EndedSessionsLeaveTheBoardButStayReadable) {
  const auto [agent, session] = login("alice", "1001", "1111", sales(), 0, at(1));
  ASSERT_TRUE(cc->set_session_state(user("alice"), session, kEnded, 0, at(9)).ok());
  const Board b = build_board(*cc, at(10));
  EXPECT_TRUE(b.sessions.empty());
  ASSERT_EQ(b.agents.size(), 1u);  // the agent stays
  const auto ended = session_view(*cc, session, at(10));
  ASSERT_TRUE(ended);
  EXPECT_EQ(ended->state, kEnded);
  EXPECT_EQ(session_state_name(ended->state), "ENDED");
  EXPECT_EQ(ended->state_since_ms, at(9).unix_ms());
  EXPECT_EQ(ended->stats.duration_seconds, 8u);  // frozen at the end
  (void)agent;
}

TEST_F(BoardTest, UnknownObjectsHaveNoView) {
  EXPECT_FALSE(agent_view(*cc, 77, at(0)));
  EXPECT_FALSE(session_view(*cc, 77, at(0)));
  EXPECT_FALSE(queue_view(*cc, 77, at(0)));
  EXPECT_FALSE(change_of(*cc, ChangedObject{ChangedObject::Kind::kSession, 77}, at(0)));
  EXPECT_TRUE(queue_view(*cc, 2, at(0)));
}

// Queue 1 (Sales, target 20 s): three calls arrive at t=100 while nobody is
// ready. The agent becomes READY at 110 and gets call A (waited 10 s: within
// target), talks 111..120, wraps up 15 s; call C hangs up at 130; at 135 the
// agent is READY again and gets call B (waited 35 s: late).
TEST_F(BoardTest, QueueServiceLevelAndSpeedOfAnswer) {
  const auto [agent, session] = login("alice", "1001", "1111", sales(), 0, at(1));
  for (std::uint32_t n = 1; n <= 3; ++n) ASSERT_TRUE(cc->on_call_queued(call(n), 1, at(100)).ok());
  QueueView q = *queue_view(*cc, 1, at(105));
  EXPECT_EQ(q.waiting, 3u);
  EXPECT_EQ(q.longest_wait_seconds, 5u);
  EXPECT_EQ(q.offered, 3u);
  EXPECT_FALSE(q.service_level.has_value());

  ASSERT_TRUE(cc->set_session_state(user("alice"), session, kReady, 0, at(110)).ok());
  ASSERT_EQ(cc->find_call(call(1))->session, session);
  ASSERT_TRUE(cc->on_call_answered(call(1), at(111)).ok());
  ASSERT_TRUE(cc->on_call_ended(call(1), at(120)).ok());
  q = *queue_view(*cc, 1, at(121));
  EXPECT_EQ(q.answered, 1u);
  EXPECT_EQ(q.answered_within_target, 1u);
  ASSERT_TRUE(q.service_level.has_value());
  EXPECT_DOUBLE_EQ(*q.service_level, 1.0);
  ASSERT_TRUE(cc->on_call_abandoned(call(3), at(130)).ok());
  cc->advance_to(at(135));  // wrap-up over: READY, call B delivered
  ASSERT_EQ(cc->find_call(call(2))->session, session);

  q = *queue_view(*cc, 1, at(140));
  EXPECT_EQ(q.waiting, 0u);
  EXPECT_EQ(q.longest_wait_seconds, 0u);
  EXPECT_EQ(q.offered, 3u);
  EXPECT_EQ(q.answered, 2u);
  EXPECT_EQ(q.answered_within_target, 1u);
  EXPECT_EQ(q.abandoned, 1u);
  ASSERT_TRUE(q.service_level.has_value());
  EXPECT_DOUBLE_EQ(*q.service_level, 1.0 / 3.0);
  EXPECT_EQ(q.average_speed_of_answer_seconds, 22u);  // (10 + 35) / 2
  EXPECT_EQ(q.average_wait_seconds, 25u);             // (10 + 35 + 30) / 3

  const SessionView s = *session_view(*cc, session, at(140));
  EXPECT_EQ(session_state_name(s.state), "BUSYONCALL");
  EXPECT_EQ(s.state_since_ms, at(135).unix_ms());
  EXPECT_EQ(s.stats.calls, 1u);
  EXPECT_EQ(s.stats.talk_seconds, 9u);
  EXPECT_EQ(s.stats.wrap_up_seconds, 15u);
  EXPECT_EQ(s.stats.call_seconds, 24u);  // TotalCallTime: talk + wrap-up, as TAPI reports it
  EXPECT_EQ(s.stats.average_time_to_answer, 1u);
  EXPECT_EQ(s.stats.longest_time_to_answer, 1u);
  const AgentView a = *agent_view(*cc, agent, at(140));
  EXPECT_EQ(agent_state_name(a.state), "BUSYACD");
  EXPECT_EQ(a.state_since_ms, at(135).unix_ms());
  EXPECT_EQ(a.stats.acd_calls, 1u);
  EXPECT_EQ(a.stats.talk_seconds, 9u);
  EXPECT_EQ(a.stats.wrap_up_seconds, 15u);
}

TEST_F(BoardTest, ServiceLevelFollowsTheQueuesTarget) {
  cc = std::make_unique<CallCenter>(
      testing::test_config("\n[[queue]]\nid = 9\nname = \"VIP\"\ngroup = \"Sales\"\nservice_level_seconds = 5\n"),
      at(0));
  const auto [agent, session] = login("alice", "1001", "1111", sales(), 0, at(1));
  ASSERT_TRUE(cc->on_call_queued(call(1), 9, at(100)).ok());
  ASSERT_TRUE(cc->set_session_state(user("alice"), session, kReady, 0, at_ms(106'000)).ok());  // waited 6 s
  const QueueView q = *queue_view(*cc, 9, at(107));
  EXPECT_EQ(q.service_level_seconds, 5u);
  EXPECT_EQ(q.answered, 1u);
  EXPECT_EQ(q.answered_within_target, 0u);
  EXPECT_DOUBLE_EQ(*q.service_level, 0.0);
  (void)agent;
}

TEST_F(BoardTest, ServiceFiguresResetWithTheQueuePeriod) {
  const auto [agent, session] = login("alice", "1001", "1111", sales(), 0, at(1));
  ASSERT_TRUE(cc->on_call_queued(call(1), 1, at(10)).ok());
  ASSERT_TRUE(cc->set_session_state(user("alice"), session, kReady, 0, at(12)).ok());
  EXPECT_EQ(queue_view(*cc, 1, at(13))->answered, 1u);
  ASSERT_TRUE(cc->set_queue_period(user("alice"), 1, 3600, at(20)).ok());
  const QueueView q = *queue_view(*cc, 1, at(21));
  EXPECT_EQ(q.answered, 0u);
  EXPECT_EQ(q.offered, 0u);
  EXPECT_FALSE(q.service_level.has_value());
  EXPECT_EQ(q.measurement_period, 3600u);
  (void)agent;
}

// --- what a task changed -----------------------------------------------------------

std::vector<ChangedObject> changed(CallCenter& cc) { return cc.take_effects().changed; }

TEST_F(BoardTest, EffectsNameEveryChangedViewOnceInOrder) {
  using K = ChangedObject::Kind;
  (void)changed(*cc);  // the queues of the new call center
  const auto [agent, session] = login("alice", "1001", "1111", sales(), 0, at(1));
  EXPECT_EQ(changed(*cc), (std::vector<ChangedObject>{{K::kAgent, agent}, {K::kSession, session}}));

  ASSERT_TRUE(cc->set_session_state(user("alice"), session, kReady, 0, at(2)).ok());
  Effects fx = cc->take_effects();
  EXPECT_EQ(fx.changed, (std::vector<ChangedObject>{{K::kSession, session}}));
  EXPECT_EQ(fx.state_changes, 1u);

  ASSERT_TRUE(cc->set_session_state(user("alice"), session, kReady, 0, at(3)).ok());  // same state
  fx = cc->take_effects();
  EXPECT_TRUE(fx.changed.empty());
  EXPECT_EQ(fx.state_changes, 0u);

  // A call delivered at once: the queue (entered and left), the session and
  // its agent (BUSY_ACD).
  ASSERT_TRUE(cc->on_call_queued(call(1), 1, at(4)).ok());
  fx = cc->take_effects();
  EXPECT_EQ(fx.changed, (std::vector<ChangedObject>{{K::kQueue, 1}, {K::kSession, session}, {K::kAgent, agent}}));
  EXPECT_EQ(fx.state_changes, 2u);

  // A refused request changes nothing.
  EXPECT_EQ(cc->set_session_state(user("alice"), session, LINEAGENTSESSIONSTATE_BUSYWRAPUP, 0, at(5)).code(),
            ErrorCode::kOk);  // BUSY_ON_CALL → BUSY_WRAPUP is allowed
  (void)changed(*cc);
  EXPECT_EQ(cc->set_session_state(user("alice"), session, LINEAGENTSESSIONSTATE_BUSYONCALL, 0, at(6)).code(),
            ErrorCode::kInvalAgentState);
  EXPECT_TRUE(changed(*cc).empty());
}

TEST_F(BoardTest, ChangeOfAnEndedSessionCarriesEnded) {
  const auto [agent, session] = login("alice", "1001", "1111", sales(), 0, at(1));
  ASSERT_TRUE(cc->set_session_state(user("alice"), session, kEnded, 0, at(2)).ok());
  const auto c = change_of(*cc, ChangedObject{ChangedObject::Kind::kSession, session}, at(3));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->now_ms, at(3).unix_ms());
  ASSERT_TRUE(std::holds_alternative<SessionView>(c->object));
  EXPECT_EQ(std::get<SessionView>(c->object).state, kEnded);
  (void)agent;
}

// --- time in state survives the store -----------------------------------------------

TEST_F(BoardTest, RestoreKeepsWhenObjectsEnteredTheirState) {
  testing::RecordMap records;
  records.apply(cc->take_effects().batch);
  const auto [agent, session] = login("alice", "1001", "1111", sales(), 0, at(1));
  ASSERT_TRUE(cc->set_session_state(user("alice"), session, kReady, 0, at(7)).ok());
  ASSERT_TRUE(cc->set_agent_state(user("alice"), agent, LINEAGENTSTATEEX_READY, 0, at(8)).ok());
  records.apply(cc->take_effects().batch);

  auto restored = CallCenter::restore(testing::test_config(), records.all(), at(500));
  ASSERT_TRUE(restored.ok()) << restored.status().to_string();
  EXPECT_EQ(session_view(**restored, session, at(501))->state_since_ms, at(7).unix_ms());
  EXPECT_EQ(agent_view(**restored, agent, at(501))->state_since_ms, at(8).unix_ms());
}

TEST_F(BoardTest, RestoreOfVersion1RecordsTakesTheRestoreTime) {
  testing::RecordMap records;
  const auto [agent, session] = login("alice", "1001", "1111", sales(), 0, at(1));
  ASSERT_TRUE(cc->set_session_state(user("alice"), session, kReady, 0, at(7)).ok());
  records.apply(cc->take_effects().batch);
  std::vector<store::Record> old = records.all();
  for (store::Record& r : old) {
    // What the first format wrote: the same fields without the version 2 tail.
    if (r.kind == "agent" || r.kind == "session") {
      r.value[0] = 1;
      r.value.resize(r.value.size() - 8);
    } else if (r.kind == "queue") {
      r.value[0] = 1;
      r.value.resize(r.value.size() - 28);
    }
  }
  auto restored = CallCenter::restore(testing::test_config(), old, at(500));
  ASSERT_TRUE(restored.ok()) << restored.status().to_string();
  const SessionView s = *session_view(**restored, session, at(501));
  EXPECT_EQ(s.state, kReady);
  EXPECT_EQ(s.state_since_ms, at(500).unix_ms());
  EXPECT_EQ(s.started_ms, at(1).unix_ms());
  EXPECT_EQ(agent_view(**restored, agent, at(501))->state_since_ms, at(500).unix_ms());
}

// --- names -----------------------------------------------------------------------------

TEST(SupervisionNames, StateNamesAreTheConstantsWithoutPrefix) {
  EXPECT_EQ(session_state_name(LINEAGENTSESSIONSTATE_NOTREADY), "NOTREADY");
  EXPECT_EQ(session_state_name(LINEAGENTSESSIONSTATE_BUSYWRAPUP), "BUSYWRAPUP");
  EXPECT_EQ(session_state_name(LINEAGENTSESSIONSTATE_RELEASED), "RELEASED");
  EXPECT_EQ(session_state_name(0), "");
  EXPECT_EQ(session_state_name(0x03), "");
  EXPECT_EQ(agent_state_name(LINEAGENTSTATEEX_BUSYINCOMING), "BUSYINCOMING");
  EXPECT_EQ(agent_state_name(LINEAGENTSTATEEX_UNKNOWN), "UNKNOWN");
  EXPECT_EQ(agent_state_name(0x80), "");
  for (std::uint32_t v = 1; v <= 0x40; v <<= 1) {
    if (!session_state_name(v).empty()) {
      EXPECT_EQ(session_state_from_name(session_state_name(v)), v);
    }
    EXPECT_EQ(agent_state_from_name(agent_state_name(v)), v);
  }
  EXPECT_EQ(session_state_from_name("BUSYACD"), std::nullopt);   // an agent state
  EXPECT_EQ(agent_state_from_name("BUSYWRAPUP"), std::nullopt);  // a session state
  EXPECT_EQ(session_state_from_name("ready"), std::nullopt);     // exact upper case
  EXPECT_EQ(session_state_from_name(""), std::nullopt);
}

// --- calls ---------------------------------------------------------------------------

TEST_F(BoardTest, SessionCarriesTheCallDeliveredToItUntilItEnds) {
  const auto [agent, session] = login("alice", "1001", "1111", sales(), 0, at(1));
  EXPECT_FALSE(session_view(*cc, session, at(2))->call.has_value());
  ASSERT_TRUE(cc->set_session_state(user("alice"), session, kReady, 0, at(10)).ok());
  ASSERT_TRUE(cc->on_call_queued(call(1), 1, at(20)).ok());  // delivered at once

  SessionView s = *session_view(*cc, session, at(25));
  ASSERT_TRUE(s.call.has_value());
  EXPECT_EQ(s.call->id, call(1));
  EXPECT_EQ(s.call->queue, 1u);
  EXPECT_EQ(s.call->queue_name, "Sales");
  EXPECT_EQ(s.call->offered_ms, at(20).unix_ms());
  EXPECT_EQ(s.call->answered_ms, 0);  // ringing

  ASSERT_TRUE(cc->on_call_answered(call(1), at(30)).ok());
  s = *session_view(*cc, session, at(31));
  ASSERT_TRUE(s.call.has_value());
  EXPECT_EQ(s.call->answered_ms, at(30).unix_ms());
  // The board carries the same view.
  const Board b = build_board(*cc, at(32));
  ASSERT_NE(find_session(b, session), nullptr);
  ASSERT_TRUE(find_session(b, session)->call.has_value());
  EXPECT_EQ(find_session(b, session)->call->id, call(1));

  ASSERT_TRUE(cc->on_call_ended(call(1), at(40)).ok());
  EXPECT_FALSE(session_view(*cc, session, at(41))->call.has_value());
  (void)agent;
}

// Alice (Sales, line 1 address 2) answers call 1; call 2 waits in queue 1
// and call 3 in queue 2 (Support, nobody there).
TEST_F(BoardTest, CallListShowsEveryCallWithItsStateAgentStationAndTimes) {
  const auto [agent, session] = login("alice", "1001", "1111", sales(), 2, at(1), /*device=*/1);
  EXPECT_TRUE(build_call_list(*cc, at(2)).calls.empty());
  ASSERT_TRUE(cc->set_session_state(user("alice"), session, kReady, 0, at(10)).ok());
  ASSERT_TRUE(cc->on_call_queued(call(1), 1, at(100)).ok());  // rings at alice
  ASSERT_TRUE(cc->set_call_caller(call(1), "+4930123456", "Clara Caller").ok());
  ASSERT_TRUE(cc->on_call_queued(call(3), 2, at(104)).ok());
  ASSERT_TRUE(cc->on_call_queued(call(2), 1, at_ms(105'500)).ok());

  const StationNumbers numbers{{{1, 2}, "2011"}, {{0, 0}, "2001"}};
  CallList list = build_call_list(*cc, at(107), &numbers);
  EXPECT_EQ(list.now_ms, at(107).unix_ms());
  ASSERT_EQ(list.calls.size(), 3u);
  const CallInProgressView* ringing = &list.calls[0];
  EXPECT_EQ(ringing->id, call(1));
  EXPECT_EQ(call_state_name(ringing->phase), "ringing");
  EXPECT_EQ(ringing->queue, 1u);
  EXPECT_EQ(ringing->queue_name, "Sales");
  EXPECT_EQ(ringing->session, session);
  EXPECT_EQ(ringing->agent, agent);
  EXPECT_EQ(ringing->agent_id, "1001");
  EXPECT_EQ(ringing->agent_name, "Ada");
  EXPECT_EQ(ringing->device, 1u);
  EXPECT_EQ(ringing->address, 2u);
  EXPECT_EQ(ringing->address_number, "2011");
  EXPECT_EQ(ringing->caller_number, "+4930123456");
  EXPECT_EQ(ringing->caller_name, "Clara Caller");
  EXPECT_EQ(ringing->queued_ms, at(100).unix_ms());
  EXPECT_EQ(ringing->offered_ms, at(100).unix_ms());
  EXPECT_EQ(ringing->answered_ms, 0);
  EXPECT_EQ(ringing->wait_seconds, 7u);  // still waiting while it rings
  EXPECT_EQ(ringing->talk_seconds, 0u);

  // In call-id order: call 2 before call 3, whatever their arrival.
  const CallInProgressView& waiting = list.calls[1];
  EXPECT_EQ(waiting.id, call(2));
  EXPECT_EQ(call_state_name(waiting.phase), "queued");
  EXPECT_EQ(waiting.queue_name, "Sales");
  EXPECT_EQ(waiting.session, 0u);
  EXPECT_EQ(waiting.agent, 0u);
  EXPECT_EQ(waiting.address_number, "");
  EXPECT_EQ(waiting.caller_number, "");  // not known
  EXPECT_EQ(waiting.queued_ms, at_ms(105'500).unix_ms());
  EXPECT_EQ(waiting.wait_seconds, 1u);  // 1.5 s, whole seconds
  EXPECT_EQ(waiting.offered_ms, 0);
  EXPECT_EQ(list.calls[2].id, call(3));
  EXPECT_EQ(list.calls[2].queue_name, "Support");
  EXPECT_EQ(list.calls[2].wait_seconds, 3u);

  ASSERT_TRUE(cc->on_call_answered(call(1), at(110)).ok());
  list = build_call_list(*cc, at(125), &numbers);
  ASSERT_EQ(list.calls.size(), 3u);
  EXPECT_EQ(call_state_name(list.calls[0].phase), "talking");
  EXPECT_EQ(list.calls[0].answered_ms, at(110).unix_ms());
  EXPECT_EQ(list.calls[0].talk_seconds, 15u);
  // The caller's wait stops at the answer: 100 s to 110 s.
  EXPECT_EQ(list.calls[0].queued_ms, at(100).unix_ms());
  EXPECT_EQ(list.calls[0].wait_seconds, 10u);
  EXPECT_EQ(list.calls[1].wait_seconds, 19u);

  EXPECT_EQ(list.calls[0].caller_number, "+4930123456");

  // Without numbers the station is named by device and address only.
  list = build_call_list(*cc, at(125));
  EXPECT_EQ(list.calls[0].address_number, "");
  EXPECT_EQ(list.calls[0].device, 1u);

  // The session leaves the call with a state change: detached, at no station.
  ASSERT_TRUE(cc->set_session_state(user("alice"), session, LINEAGENTSESSIONSTATE_NOTREADY, 0, at(130)).ok());
  list = build_call_list(*cc, at(131), &numbers);
  ASSERT_EQ(list.calls.size(), 3u);
  EXPECT_EQ(call_state_name(list.calls[0].phase), "detached");
  EXPECT_EQ(list.calls[0].session, 0u);
  EXPECT_EQ(list.calls[0].agent, 0u);
  EXPECT_EQ(list.calls[0].address_number, "");
  EXPECT_EQ(list.calls[0].caller_number, "+4930123456");
  // Its wait and talk are still known.
  EXPECT_EQ(list.calls[0].wait_seconds, 10u);
  EXPECT_EQ(list.calls[0].answered_ms, at(110).unix_ms());
  EXPECT_EQ(list.calls[0].talk_seconds, 21u);
}

TEST_F(BoardTest, SessionCallCarriesTheCaller) {
  const auto [agent, session] = login("alice", "1001", "1111", sales(), 0, at(1));
  ASSERT_TRUE(cc->set_session_state(user("alice"), session, kReady, 0, at(2)).ok());
  ASSERT_TRUE(cc->on_call_queued(call(1), 1, at(3)).ok());
  ASSERT_TRUE(cc->set_call_caller(call(1), "2003", "Station 2003").ok());
  const SessionView s = *session_view(*cc, session, at(4));
  ASSERT_TRUE(s.call.has_value());
  EXPECT_EQ(s.call->caller_number, "2003");
  EXPECT_EQ(s.call->caller_name, "Station 2003");
  (void)agent;
}

TEST_F(BoardTest, CallCountsByPhase) {
  const auto [agent, session] = login("alice", "1001", "1111", sales(), 0, at(1));
  ASSERT_TRUE(cc->set_session_state(user("alice"), session, kReady, 0, at(2)).ok());
  ASSERT_TRUE(cc->on_call_queued(call(1), 1, at(3)).ok());
  ASSERT_TRUE(cc->on_call_queued(call(2), 1, at(4)).ok());
  ASSERT_TRUE(cc->on_call_queued(call(3), 2, at(4)).ok());
  CallCenter::CallCounts n = cc->call_counts();
  EXPECT_EQ(n.queued, 2u);
  EXPECT_EQ(n.offered, 1u);
  EXPECT_EQ(n.talking, 0u);
  ASSERT_TRUE(cc->on_call_answered(call(1), at(5)).ok());
  n = cc->call_counts();
  EXPECT_EQ(n.offered, 0u);
  EXPECT_EQ(n.talking, 1u);
  // The agent leaves the call with a state change: it is detached.
  ASSERT_TRUE(cc->set_session_state(user("alice"), session, LINEAGENTSESSIONSTATE_NOTREADY, 0, at(6)).ok());
  n = cc->call_counts();
  EXPECT_EQ(n.talking, 0u);
  EXPECT_EQ(n.detached, 1u);
  EXPECT_EQ(n.queued, 2u);
  (void)agent;
}

TEST(CallStateNames, NameEveryPhase) {
  EXPECT_EQ(call_state_name(CallPhase::kQueued), "queued");
  EXPECT_EQ(call_state_name(CallPhase::kOffered), "ringing");
  EXPECT_EQ(call_state_name(CallPhase::kTalking), "talking");
  EXPECT_EQ(call_state_name(CallPhase::kDetached), "detached");
  EXPECT_EQ(call_state_name(static_cast<CallPhase>(9)), "");
}

}  // namespace
}  // namespace opentapi::acd
