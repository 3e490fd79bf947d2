#include "acd/records.h"

#include <gtest/gtest.h>

#include "acd/test_support.h"

namespace opentapi::acd {
namespace {

using testing::at;

core::SessionSnapshot sample_session() {
  core::SessionSnapshot s;
  s.handle = 7;
  s.agent = 3;
  s.group = testing::sales();
  s.working_address = 0x10002;
  s.start = at(1);
  s.state = core::SessionState::kBusyOnCall;
  s.state_since = at(2);
  s.next = core::SessionState::kReady;
  s.call = core::SessionSnapshot::Call{0x0100000000000005ull, at(2), at(4)};
  s.wrap_up_since = at(0);
  s.calls = 12;
  s.talk_ms = 123456;
  s.wrap_up_ms = 7890;
  s.answer_wait_total_ms = 4000;
  s.answer_wait_longest_ms = 2500;
  return s;
}

TEST(Records, KeysSortNumerically) {
  EXPECT_EQ(hex_key(0x1f), "0000001f");
  EXPECT_LT(hex_key(9), hex_key(10));
  EXPECT_LT(hex_key(0xff), hex_key(0x100));
  EXPECT_EQ(parse_hex_key("0000001f"), 0x1fu);
  EXPECT_FALSE(parse_hex_key("1f"));
  EXPECT_EQ(address_key(1, 2), "00000001:00000002");
  EXPECT_EQ(hex_key64(0x0200000000000001ull), "0200000000000001");
}

TEST(Records, SessionRoundTrip) {
  SessionRecord r{sample_session(), 1, 2, at(3)};
  auto back = decode_session(encode(r), at(99));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->session, r.session);
  EXPECT_EQ(back->device, 1u);
  EXPECT_EQ(back->address, 2u);
  EXPECT_EQ(back->ready_since, at(3));
}

TEST(Records, AgentRoundTrip) {
  AgentRecord r;
  r.agent.handle = 3;
  r.agent.user_name = "alice";
  r.agent.id = "1001";
  r.agent.pin = "1111";
  r.agent.state = core::AgentState::kBusyAcd;
  r.agent.state_since = at(4);
  r.agent.next = core::AgentState::kReady;
  r.agent.deferred = core::AgentState::kNotReady;
  r.agent.acd_calls_in_progress = 1;
  r.agent.period = core::PeriodSnapshot{900, at(5)};
  r.agent.counters.acd_calls = 4;
  r.agent.counters.active_ms = -1;  // any bit pattern survives
  r.owner = "boss";
  r.key = "id:1001";
  auto back = decode_agent(encode(r), at(99));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->agent, r.agent);
  EXPECT_EQ(back->owner, "boss");
  EXPECT_EQ(back->key, "id:1001");
}

TEST(Records, QueueAddressCallCountersRoundTrip) {
  core::QueueSnapshot q;
  q.id = 2;
  q.name = "Support";
  q.group = testing::support();
  q.waiting = {{1, at(1), false}, {2, at(2), true}};
  q.period = {600, at(0)};
  q.counters.queued = 9;
  q.counters.left_wait_longest_ms = 42;
  q.service_level_seconds = 30;
  q.counters.answered = 5;
  q.counters.answered_within_target = 4;
  q.counters.answered_wait_total_ms = 51'000;
  auto qb = decode_queue(encode(q));
  ASSERT_TRUE(qb);
  EXPECT_EQ(*qb, q);

  AddressRecord a{1, core::AddressAgentSnapshot{3,
                                                core::AddressAgentState::kReady,
                                                std::nullopt,
                                                core::AddressAgentState::kNotReady,
                                                {testing::sales()},
                                                2,
                                                0}};
  auto ab = decode_address(encode(a));
  ASSERT_TRUE(ab);
  EXPECT_EQ(ab->device, 1u);
  EXPECT_EQ(ab->agent, a.agent);

  CallRecord c{0x0200000000000007ull, 1, 2, 9, true, at(70), "0612345678", "Jane Doe"};
  auto cb = decode_call(encode(c));
  ASSERT_TRUE(cb);
  EXPECT_EQ(cb->id, c.id);
  EXPECT_EQ(cb->phase, 2);
  EXPECT_EQ(cb->session, 9u);
  EXPECT_TRUE(cb->address_busy);
  EXPECT_EQ(cb->overflow_at, at(70));
  EXPECT_EQ(cb->caller_number, "0612345678");
  EXPECT_EQ(cb->caller_name, "Jane Doe");

  auto kb = decode_counters(encode(CountersRecord{5, 6, 7}));
  ASSERT_TRUE(kb);
  EXPECT_EQ(kb->next_agent, 5u);
  EXPECT_EQ(kb->next_session, 6u);
  EXPECT_EQ(kb->next_call, 7u);
}

TEST(Records, TruncatedExtendedOrForeignValuesAreRefused) {
  const std::string v = encode(SessionRecord{sample_session(), 1, 2, at(3)});
  // Also the cut that leaves exactly a version 1 body: its version byte says 3.
  for (std::size_t n = 0; n < v.size(); ++n) EXPECT_FALSE(decode_session(v.substr(0, n), at(0))) << n;
  EXPECT_FALSE(decode_session(v + "x", at(0)));
  std::string other = v;
  other[0] = static_cast<char>(kRecordVersion + 1);  // a newer format version
  EXPECT_FALSE(decode_session(other, at(0)));
  other[0] = 0;
  EXPECT_FALSE(decode_session(other, at(0)));
  // A waiting-call count the value cannot hold is refused before allocating.
  core::QueueSnapshot q;
  std::string qv = encode(q);
  qv[1 + 4 + 4 + 16] = '\xff';
  qv[1 + 4 + 4 + 16 + 3] = '\x7f';
  EXPECT_FALSE(decode_queue(qv));
}

TEST(Records, Version2CallLoadsWithoutACaller) {
  CallRecord c{0x0300000000000002ull, 2, 1, 0, false, std::nullopt, "", ""};
  std::string v = encode(c);
  v.resize(v.size() - 8);  // two empty strings: version 2 ended before them
  v[0] = 2;
  auto back = decode_call(v);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->queue, 2u);
  EXPECT_EQ(back->caller_number, "");
  v[0] = 3;  // a version 3 value must have them
  EXPECT_FALSE(decode_call(v));
}

// Version 1 values, as the first format laid them out field by field: they
// load, with state_since = the restore time and no answered-call counts.
TEST(Records, Version1SessionLoadsWithTheRestoreTimeAsStateSince) {
  const core::SessionSnapshot s = sample_session();
  ValueWriter w;
  w.u8(1);
  w.u32(s.handle);
  w.u32(s.agent);
  w.guid(s.group);
  w.u32(s.working_address);
  w.time(s.start);
  w.u32(core::dword(s.state));
  w.u32(core::dword(*s.next));
  w.boolean(true);
  w.u64(s.call->id);
  w.time(s.call->offered_at);
  w.opt_time(s.call->answered_at);
  w.time(s.wrap_up_since);
  w.opt_time(s.ended_at);
  w.u64(s.calls);
  w.i64(s.talk_ms);
  w.i64(s.wrap_up_ms);
  w.i64(s.answer_wait_total_ms);
  w.i64(s.answer_wait_longest_ms);
  w.u32(1);       // device
  w.u32(2);       // address
  w.time(at(3));  // ready since
  auto back = decode_session(w.take(), at(99));
  ASSERT_TRUE(back);
  core::SessionSnapshot expected = s;
  expected.state_since = at(99);
  EXPECT_EQ(back->session, expected);
  EXPECT_EQ(back->ready_since, at(3));
  // Re-encoded, it is a value of the newest version that keeps the time.
  auto again = decode_session(encode(*back), at(500));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->session.state_since, at(99));
}

TEST(Records, Version1AgentAndQueueLoad) {
  AgentRecord a;
  a.agent.handle = 3;
  a.agent.state = core::AgentState::kReady;
  a.agent.state_since = at(7);
  a.agent.period = core::PeriodSnapshot{900, at(5)};
  a.owner = "alice";
  a.key = "user:alice";
  std::string v = encode(a);
  ASSERT_EQ(v[0], kRecordVersion);
  v[0] = 1;
  v.resize(v.size() - 8);  // version 1 ended before state_since
  auto agent = decode_agent(v, at(99));
  ASSERT_TRUE(agent);
  EXPECT_EQ(agent->agent.state_since, at(99));
  EXPECT_EQ(agent->key, "user:alice");

  core::QueueSnapshot q;
  q.id = 2;
  q.period = {600, at(0)};
  q.counters.queued = 3;
  q.service_level_seconds = 45;
  q.counters.answered = 2;
  std::string qv = encode(q);
  qv[0] = 1;
  qv.resize(qv.size() - (4 + 8 + 8 + 8));  // version 1 ended before the target and answered counters
  auto queue = decode_queue(qv);
  ASSERT_TRUE(queue);
  EXPECT_EQ(queue->counters.queued, 3u);
  EXPECT_EQ(queue->counters.answered, 0u);
  EXPECT_EQ(queue->service_level_seconds, 20u);  // the default; the configuration decides at restore
}

}  // namespace
}  // namespace opentapi::acd
