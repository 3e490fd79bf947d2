#include "acd/call_center.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "acd/pbx_extension.h"
#include "acd/records.h"
#include "acd/status_messages.h"
#include "acd/test_support.h"
#include "tapi.h"

namespace opentapi::acd {
namespace {

using core::ErrorCode;
using core::SessionState;
using testing::at;
using testing::sales;
using testing::support;
using testing::user;

constexpr std::uint32_t kReady = LINEAGENTSESSIONSTATE_READY;
constexpr std::uint32_t kNotReady = LINEAGENTSESSIONSTATE_NOTREADY;
constexpr std::uint32_t kWrapUp = LINEAGENTSESSIONSTATE_BUSYWRAPUP;
constexpr std::uint32_t kEnded = LINEAGENTSESSIONSTATE_ENDED;

CallId pbx_call(std::uint32_t n) { return make_call_id(CallOrigin::kPbx, n); }

class CallCenterTest : public ::testing::Test {
 protected:
  // Everything changed so far, applied to `records`.
  Effects take() {
    Effects fx = cc->take_effects();
    records.apply(fx.batch);
    return fx;
  }

  // Agent `id` of `owner` with one session in `group` on line 0, address `address`.
  std::pair<AgentHandle, SessionHandle> login(const std::string& owner, const std::string& id, const std::string& pin,
                                              const core::GroupId& group, AddressId address, core::TimePoint now) {
    auto a = cc->create_agent(user(owner), id, pin, now);
    EXPECT_TRUE(a.ok()) << a.status().to_string();
    auto s = cc->create_session(user(owner), *a, "", 0, address, group, now);
    EXPECT_TRUE(s.ok()) << s.status().to_string();
    return {*a, *s};
  }

  void ready(const std::string& owner, SessionHandle s, core::TimePoint now) {
    ASSERT_TRUE(cc->set_session_state(user(owner), s, kReady, 0, now).ok());
  }

  SessionState state(SessionHandle s) const { return cc->session(s)->state(); }

  std::unique_ptr<CallCenter> cc = std::make_unique<CallCenter>(testing::test_config(), at(0));
  testing::RecordMap records;
};

// --- identity and permissions ---------------------------------------------------------

TEST_F(CallCenterTest, NullAgentIdIsTheUsersOwnAgent) {
  auto a1 = cc->create_agent(user("alice"), "", "", at(0));
  auto a2 = cc->create_agent(user("alice"), "", "", at(1));
  auto b = cc->create_agent(user("bob"), "", "", at(1));
  ASSERT_TRUE(a1.ok() && a2.ok() && b.ok());
  EXPECT_EQ(*a1, *a2);
  EXPECT_NE(*a1, *b);
  EXPECT_EQ(cc->agent(*a1)->user_name(), "alice");
  EXPECT_EQ(cc->agent(*a1)->state(), core::AgentState::kNotReady);  // reported at once
  EXPECT_EQ(cc->create_agent(user("alice"), "", "1234", at(1)).code(), ErrorCode::kInvalParam);
}

TEST_F(CallCenterTest, AgentIdNeedsItsPinAndItsUser) {
  EXPECT_EQ(cc->create_agent(user("alice"), "9999", "", at(0)).code(), ErrorCode::kInvalParam);  // unknown
  EXPECT_EQ(cc->create_agent(user("alice"), "1001", "0000", at(0)).code(), ErrorCode::kInvalParam);
  EXPECT_EQ(cc->create_agent(user("alice"), "1001", "", at(0)).code(), ErrorCode::kInvalParam);
  EXPECT_TRUE(cc->create_agent(user("alice"), "1001", "1111", at(0)).ok());
  EXPECT_EQ(cc->create_agent(user("alice"), "1004", "4444", at(0)).code(), ErrorCode::kInvalParam);  // dora's
  EXPECT_TRUE(cc->create_agent(user("dora"), "1004", "4444", at(0)).ok());
}

TEST_F(CallCenterTest, AnAgentInUseBelongsToItsUserUntilLoggedOut) {
  auto [a, s] = login("alice", "1001", "1111", sales(), 0, at(0));
  EXPECT_EQ(cc->create_agent(user("bob"), "1001", "1111", at(1)).code(), ErrorCode::kInvalParam);
  EXPECT_EQ(*cc->create_agent(user("boss"), "1001", "1111", at(1)), a);  // supervisor
  ASSERT_TRUE(cc->set_session_state(user("alice"), s, kEnded, 0, at(2)).ok());
  EXPECT_EQ(*cc->create_agent(user("bob"), "1001", "1111", at(3)), a);  // taken over, same handle
  EXPECT_EQ(cc->set_session_state(user("alice"), s, kEnded, 0, at(4)).code(), ErrorCode::kInvalParam);
}

TEST_F(CallCenterTest, OnlyTheOwnerOrASupervisorChangesASession) {
  auto [a, s] = login("alice", "", "", sales(), 0, at(0));
  EXPECT_EQ(cc->set_session_state(user("bob"), s, kReady, 0, at(1)).code(), ErrorCode::kInvalParam);
  EXPECT_EQ(cc->set_agent_state(user("bob"), a, LINEAGENTSTATEEX_READY, 0, at(1)).code(), ErrorCode::kInvalParam);
  EXPECT_EQ(cc->set_agent_period(user("bob"), a, 60, at(1)).code(), ErrorCode::kInvalParam);
  EXPECT_EQ(cc->create_session(user("bob"), a, "", 0, 1, sales(), at(1)).code(), ErrorCode::kInvalParam);
  EXPECT_TRUE(cc->set_session_state(user("boss"), s, kReady, 0, at(1)).ok());
  // Reads are for everybody.
  EXPECT_TRUE(cc->session_info(s, at(2)).ok());
  EXPECT_TRUE(cc->agent_info(a, at(2)).ok());
}

TEST_F(CallCenterTest, BadHandlesGroupsAndAddresses) {
  auto [a, s] = login("alice", "", "", sales(), 0, at(0));
  EXPECT_EQ(cc->set_session_state(user("alice"), 999, kReady, 0, at(1)).code(), ErrorCode::kInvalParam);
  EXPECT_EQ(cc->session_info(999, at(1)).code(), ErrorCode::kInvalParam);
  EXPECT_EQ(cc->agent_info(999, at(1)).code(), ErrorCode::kInvalParam);
  EXPECT_EQ(cc->create_session(user("alice"), a, "", 0, 4, sales(), at(1)).code(), ErrorCode::kInvalParam);
  EXPECT_EQ(cc->create_session(user("alice"), a, "", 5, 0, sales(), at(1)).code(), ErrorCode::kInvalParam);
  core::GroupId unknown = sales();
  unknown.bytes[0] ^= 1;
  EXPECT_EQ(cc->create_session(user("alice"), a, "", 0, 1, unknown, at(1)).code(), ErrorCode::kInvalParam);
  EXPECT_EQ(cc->queue_list(unknown).code(), ErrorCode::kInvalParam);
  EXPECT_EQ(cc->queue_info(42, at(1)).code(), ErrorCode::kInvalParam);
  // The same group on the same address twice, but another line is fine.
  EXPECT_EQ(cc->create_session(user("alice"), a, "", 0, 0, sales(), at(1)).code(), ErrorCode::kInvalParam);
  EXPECT_TRUE(cc->create_session(user("alice"), a, "", 1, 0, sales(), at(1)).ok());
}

TEST_F(CallCenterTest, WrongSessionPinIsInvalPassword) {
  auto a = cc->create_agent(user("alice"), "1001", "1111", at(0));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(cc->create_session(user("alice"), *a, "9", 0, 0, sales(), at(0)).code(), ErrorCode::kInvalPassword);
  EXPECT_TRUE(cc->create_session(user("alice"), *a, "1111", 0, 0, sales(), at(0)).ok());
}

// --- session state requests ------------------------------------------------------------

TEST_F(CallCenterTest, IllegalTransitionIsInvalAgentStateAndChangesNothing) {
  auto [a, s] = login("alice", "", "", sales(), 0, at(0));
  take();
  EXPECT_EQ(cc->set_session_state(user("alice"), s, kWrapUp, 0, at(1)).code(), ErrorCode::kInvalAgentState);
  EXPECT_EQ(cc->set_session_state(user("alice"), s, 0x3, 0, at(1)).code(), ErrorCode::kInvalAgentState);
  EXPECT_EQ(cc->set_session_state(user("alice"), s, 0, 0, at(1)).code(), ErrorCode::kInvalParam);
  EXPECT_EQ(state(s), SessionState::kNotReady);
  Effects fx = take();
  EXPECT_TRUE(fx.batch.empty());
  EXPECT_TRUE(fx.announcements.empty());
}

TEST_F(CallCenterTest, SameStateSucceedsWithoutMessageOrAudit) {
  auto [a, s] = login("alice", "", "", sales(), 0, at(0));
  take();
  ASSERT_TRUE(cc->set_session_state(user("alice"), s, kNotReady, 0, at(1)).ok());
  Effects fx = take();
  EXPECT_TRUE(fx.announcements.empty());
  EXPECT_TRUE(fx.batch.audit.empty());
}

// docs/acd.md "Audit": every acknowledged change is audited, a change of the
// next state alone included.
TEST_F(CallCenterTest, SettingOnlyTheNextStateIsAudited) {
  const auto [agent, s] = login("alice", "1001", "1111", sales(), 0, at(0));
  ready("alice", s, at(1));
  take();
  const std::size_t before = records.audit().size();
  ASSERT_TRUE(cc->set_session_state(user("alice"), s, 0, kNotReady, at(2)).ok());
  take();
  ASSERT_EQ(records.audit().size(), before + 1);
  const store::AuditEntry& e = records.audit().back();
  EXPECT_EQ(e.object_kind, "session");
  EXPECT_EQ(e.from, kReady);
  EXPECT_EQ(e.to, kReady);
  EXPECT_NE(e.what.find("next_state=0x" + hex_key(kNotReady)), std::string::npos) << e.what;
  EXPECT_EQ(e.actor, "alice");
  // The agent's next state alone, too.
  ASSERT_TRUE(cc->set_agent_state(user("alice"), agent, 0, LINEAGENTSTATEEX_NOTREADY, at(3)).ok());
  take();
  ASSERT_EQ(records.audit().size(), before + 2);
  EXPECT_EQ(records.audit().back().object_kind, "agent");
  EXPECT_NE(records.audit().back().what.find("next_state=0x"), std::string::npos) << records.audit().back().what;
}

// Every message tied to an entry is what status_message() makes of that
// entry (the replay of a resumed line maps the event log with it: docs/ha.md
// "Status messages replayed"), but for UPDATEINFO the live change may leave
// out; entries come in order, and the messages with none are the statistics.
TEST_F(CallCenterTest, AnnouncementsOfChangesAreTheMappingOfTheirEntries) {
  auto [agent, session] = login("alice", "1001", "1111", sales(), 0, at(0));
  std::vector<Effects> all;
  all.push_back(take());
  ASSERT_TRUE(cc->set_session_state(user("alice"), session, kReady, 0, at(1)).ok());
  all.push_back(take());
  ASSERT_TRUE(cc->set_session_state(user("alice"), session, 0, kNotReady, at(2)).ok());
  all.push_back(take());
  ASSERT_TRUE(cc->set_session_state(user("alice"), session, kNotReady, 0, at(3)).ok());
  all.push_back(take());
  ASSERT_TRUE(cc->set_agent_period(user("alice"), agent, 120, at(4)).ok());
  all.push_back(take());
  ASSERT_TRUE(cc->set_queue_period(user("alice"), 1, 300, at(5)).ok());
  all.push_back(take());
  const SessionHandle on_line_0 = session;  // a binding is not captured by clang 14
  const SessionDevice device = [on_line_0](SessionHandle h) -> std::optional<std::uint32_t> {
    return h == on_line_0 ? std::optional<std::uint32_t>(0) : std::nullopt;
  };
  std::size_t tied = 0;
  for (const Effects& fx : all) {
    std::uint32_t last_entry = 0;
    for (const Announcement& a : fx.announcements) {
      if (a.entry == 0) continue;
      ++tied;
      ASSERT_LE(a.entry, fx.batch.audit.size());
      EXPECT_GT(a.entry, last_entry) << "in entry order";
      last_entry = a.entry;
      const auto mapped = status_message(fx.batch.audit[a.entry - 1], cc->first_device(), device);
      ASSERT_TRUE(mapped) << fx.batch.audit[a.entry - 1].what;
      const std::uint32_t info = a.msg == LINE_AGENTSESSIONSTATUS ? LINEAGENTSESSIONSTATUS_UPDATEINFO
                                 : a.msg == LINE_AGENTSTATUSEX    ? LINEAGENTSTATUSEX_UPDATEINFO
                                                                  : 0u;
      EXPECT_EQ(mapped->msg, a.msg);
      EXPECT_EQ(mapped->device, a.device);
      EXPECT_EQ(mapped->param1, a.param1);
      EXPECT_EQ(mapped->param3, a.param3);
      EXPECT_EQ(mapped->param2 & ~info, a.param2 & ~info);
      EXPECT_EQ(mapped->param2 & a.param2, a.param2);
    }
  }
  // At least the agent's and the session's creation, the three session
  // changes and the two measurement periods.
  EXPECT_GE(tied, 7u);
}

// What the replay of a resumed line makes of a task's entries: each entry's
// mapping, with its entry's index (docs/ha.md "Status messages replayed").
std::vector<Announcement> replayed(const Effects& fx, std::uint32_t first_device, const SessionDevice& device) {
  std::vector<Announcement> out;
  for (std::size_t i = 0; i < fx.batch.audit.size(); ++i) {
    if (auto a = status_message(fx.batch.audit[i], first_device, device)) {
      a->entry = static_cast<std::uint32_t>(i + 1);
      out.push_back(*a);
    }
  }
  return out;
}

// The TAPI 2.0 agent on an address and the queues' waiting calls: live, a
// message tied to an entry for every audited change, exactly what the
// replay makes of the entries (the same messages, the same number, in the
// same order); untied only the activity alone and the statistics.
TEST_F(CallCenterTest, AddressAgentAndQueueMessagesAreTheReplayOfTheirEntries) {
  constexpr std::uint32_t kValid = LINEAGENTSTATUS_VALIDSTATES | LINEAGENTSTATUS_VALIDNEXTSTATES;
  const std::vector<core::GroupId> groups{sales()};
  std::vector<Effects> all;
  ASSERT_TRUE(cc->set_agent_group(user("alice"), 1, 2, groups, at(0)).ok());
  all.push_back(take());
  ASSERT_TRUE(cc->set_address_agent_state(user("alice"), 1, 2, LINEAGENTSTATE_READY, 0, at(1)).ok());
  all.push_back(take());
  ASSERT_TRUE(cc->set_address_agent_state(user("alice"), 1, 2, 0, LINEAGENTSTATE_READY, at(2)).ok());
  all.push_back(take());
  ASSERT_TRUE(cc->set_agent_activity(user("alice"), 1, 2, 2, at(3)).ok());
  all.push_back(take());
  // A session at that address: its ACD calls make the address BUSY_ACD.
  auto a = cc->create_agent(user("alice"), "", "", at(4));
  ASSERT_TRUE(a.ok());
  auto s = cc->create_session(user("alice"), *a, "", 1, 2, sales(), at(4));
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(cc->set_session_state(user("alice"), *s, kReady, 0, at(5)).ok());
  all.push_back(take());
  ASSERT_TRUE(cc->on_call_queued(pbx_call(1), 1, at(6)).ok());  // delivered at once: two entries, queue 1
  all.push_back(take());
  ASSERT_TRUE(cc->take_back(pbx_call(1), at(7)).ok());  // back to queue 1
  all.push_back(take());
  ASSERT_TRUE(cc->on_call_queued(pbx_call(2), 1, at(8)).ok());  // waits: alice is NOT_READY
  all.push_back(take());
  ASSERT_TRUE(cc->on_call_abandoned(pbx_call(2), at(9)).ok());
  all.push_back(take());
  cc->advance_to(at(66));  // call 1 flows from queue 1 to queue 3: two queues, two entries
  all.push_back(take());
  ASSERT_EQ(cc->find_call(pbx_call(1))->queue, 3u);

  const SessionHandle on_line_1 = *s;
  const SessionDevice device = [on_line_1](SessionHandle h) -> std::optional<std::uint32_t> {
    return h == on_line_1 ? std::optional<std::uint32_t>(1) : std::nullopt;
  };
  std::vector<Announcement> live_tied;
  std::vector<Announcement> replay;
  for (const Effects& fx : all) {
    std::vector<Announcement> tied;
    for (const Announcement& m : fx.announcements) {
      if (m.entry != 0) {
        tied.push_back(m);
        continue;
      }
      const bool activity_alone = m.msg == LINE_AGENTSTATUS && m.param2 == LINEAGENTSTATUS_ACTIVITY;
      const bool statistics = (m.msg == LINE_AGENTSESSIONSTATUS || m.msg == LINE_AGENTSTATUSEX) &&
                              m.param2 == LINEAGENTSESSIONSTATUS_UPDATEINFO;
      EXPECT_TRUE(activity_alone || statistics || m.msg == LINE_AGENTSPECIFIC)
          << "untied msg " << m.msg << " p1 " << m.param1 << " p2 " << m.param2;
    }
    const std::vector<Announcement> mapped = replayed(fx, cc->first_device(), device);
    ASSERT_EQ(tied.size(), mapped.size());
    for (std::size_t i = 0; i < tied.size(); ++i) {
      EXPECT_EQ(tied[i].entry, mapped[i].entry);
      // The one difference (docs/ha.md): UPDATEINFO of a session's or an
      // agent's state change, which the replay always says.
      Announcement m = mapped[i];
      if (m.msg == LINE_AGENTSESSIONSTATUS || m.msg == LINE_AGENTSTATUSEX) {
        m.param2 &= tied[i].param2 | ~static_cast<std::uint32_t>(LINEAGENTSESSIONSTATUS_UPDATEINFO);
      }
      EXPECT_EQ(tied[i], m) << "msg " << m.msg << " p1 " << m.param1;
    }
    live_tied.insert(live_tied.end(), tied.begin(), tied.end());
    replay.insert(replay.end(), mapped.begin(), mapped.end());
  }
  // The address agent's and the queues' messages, in order.
  std::vector<Announcement> seen;
  for (const Announcement& m : replay) {
    if (m.msg == LINE_AGENTSTATUS || m.msg == LINE_QUEUESTATUS) seen.push_back(m);
  }
  const std::uint32_t info = LINEQUEUESTATUS_UPDATEINFO;
  const std::vector<Announcement> expected{
      {1, LINE_AGENTSTATUS, 2, LINEAGENTSTATUS_GROUP | LINEAGENTSTATUS_STATE | kValid, LINEAGENTSTATE_NOTREADY},
      {1, LINE_AGENTSTATUS, 2, LINEAGENTSTATUS_STATE, LINEAGENTSTATE_READY},
      {1, LINE_AGENTSTATUS, 2, LINEAGENTSTATUS_NEXTSTATE, 0},
      {0, LINE_QUEUESTATUS, 1, info, 0},  // queued
      {0, LINE_QUEUESTATUS, 1, info, 0},  // delivered
      {1, LINE_AGENTSTATUS, 2, LINEAGENTSTATUS_STATE | LINEAGENTSTATUS_VALIDSTATES, LINEAGENTSTATE_BUSYACD},
      // The call taken back: the next state set (READY).
      {1, LINE_AGENTSTATUS, 2, LINEAGENTSTATUS_STATE | LINEAGENTSTATUS_VALIDSTATES, LINEAGENTSTATE_READY},
      {0, LINE_QUEUESTATUS, 1, info, 0},  // back in its queue
      {0, LINE_QUEUESTATUS, 1, info, 0},  // call 2 queued
      {0, LINE_QUEUESTATUS, 1, info, 0},  // call 2 abandoned
      {0, LINE_QUEUESTATUS, 1, info, 0},  // call 1 flowed out
      {0, LINE_QUEUESTATUS, 3, info, 0},  // and in
  };
  ASSERT_EQ(seen.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(seen[i], expected[i]) << i << ": msg " << seen[i].msg << " dev " << seen[i].device << " p1 "
                                    << seen[i].param1 << " p2 0x" << std::hex << seen[i].param2 << " p3 0x"
                                    << seen[i].param3;
  }
}

// Entries written before they carried their message's bits or queue map to
// nothing: their messages went out without a seq, so a replay must not
// repeat them.
TEST(StatusMessageTest, EntriesWithoutTheirNotesMapToNothing) {
  store::AuditEntry address;
  address.object_kind = "address";
  address.object_key = address_key(1, 2);
  address.from = LINEAGENTSTATE_NOTREADY;
  address.to = LINEAGENTSTATE_READY;
  address.what = "SetAgentState";
  EXPECT_FALSE(status_message(address, 0, nullptr));
  address.what += agent_status_note(LINEAGENTSTATUS_STATE);
  EXPECT_EQ(status_message(address, 0, nullptr),
            (Announcement{1, LINE_AGENTSTATUS, 2, LINEAGENTSTATUS_STATE, LINEAGENTSTATE_READY}));
  address.object_key = "nonsense";
  EXPECT_FALSE(status_message(address, 0, nullptr));

  store::AuditEntry call;
  call.object_kind = "call";
  call.object_key = hex_key64(pbx_call(1));
  call.what = "queued in queue 4";
  EXPECT_FALSE(status_message(call, 0, nullptr));
  call.what += queue_note(4);
  EXPECT_EQ(status_message(call, 7, nullptr), (Announcement{7, LINE_QUEUESTATUS, 4, LINEQUEUESTATUS_UPDATEINFO, 0}));
  call.what = "answered";
  EXPECT_FALSE(status_message(call, 7, nullptr));
}

TEST_F(CallCenterTest, CreationAndStateChangesAreAnnouncedStoredAndAudited) {
  auto a = cc->create_agent(user("alice"), "1001", "1111", at(0));
  Effects fx = take();
  ASSERT_EQ(fx.announcements.size(), 1u);
  EXPECT_EQ(fx.announcements[0],
            (Announcement{0, LINE_AGENTSTATUSEX, *a, LINEAGENTSTATUSEX_NEWAGENT | LINEAGENTSTATUSEX_STATE,
                          LINEAGENTSTATEEX_NOTREADY}));
  auto s = cc->create_session(user("alice"), *a, "", 1, 2, sales(), at(1));
  fx = take();
  ASSERT_EQ(fx.announcements.size(), 1u);
  EXPECT_EQ(fx.announcements[0], (Announcement{1, LINE_AGENTSESSIONSTATUS, *s, LINEAGENTSESSIONSTATUS_NEWSESSION, 0}));
  ASSERT_TRUE(cc->set_session_state(Actor{"alice", 77, false}, *s, kReady, 0, at(2)).ok());
  fx = take();
  ASSERT_EQ(fx.announcements.size(), 1u);
  EXPECT_EQ(fx.announcements[0], (Announcement{1, LINE_AGENTSESSIONSTATUS, *s, LINEAGENTSESSIONSTATUS_STATE, kReady}));
  ASSERT_EQ(fx.batch.audit.size(), 1u);
  const store::AuditEntry& e = fx.batch.audit[0];
  EXPECT_EQ(e.actor, "alice");
  EXPECT_EQ(e.object_kind, "session");
  EXPECT_EQ(e.object_key, hex_key(*s));
  EXPECT_EQ(e.from, kNotReady);
  EXPECT_EQ(e.to, kReady);
  EXPECT_EQ(e.request_id, 77u);
  EXPECT_EQ(e.time_ms, at(2).unix_ms());
  const bool session_stored = std::any_of(fx.batch.puts.begin(), fx.batch.puts.end(), [&](const store::Record& r) {
    return r.kind == "session" && r.key == hex_key(*s);
  });
  EXPECT_TRUE(session_stored);
}

TEST_F(CallCenterTest, EndedSessionsLeaveTheSessionList) {
  auto [a, s1] = login("alice", "", "", sales(), 0, at(0));
  auto s2 = cc->create_session(user("alice"), a, "", 0, 0, support(), at(0));
  ASSERT_TRUE(cc->set_session_state(user("alice"), s1, kEnded, 0, at(1)).ok());
  auto list = cc->session_list(a);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].session, *s2);
  EXPECT_EQ((*list)[0].group, support());
  EXPECT_TRUE(cc->session_info(s1, at(5)).ok());  // still readable
  EXPECT_EQ(cc->session_info(s1, at(5))->session_duration, 1u);
}

// --- the call flow, statistics by hand ------------------------------------------------------

TEST_F(CallCenterTest, RoutedCallWrapUpAndStatisticsByHand) {
  auto [a, s] = login("alice", "1001", "1111", sales(), 0, at(0));
  ready("alice", s, at(10));
  take();
  ASSERT_TRUE(cc->report_call(user("pbx"), CallCenter::CallEvent::kQueued, pbx_call(1), 1, at(20)).ok());
  EXPECT_EQ(state(s), SessionState::kBusyOnCall);
  EXPECT_EQ(cc->agent(a)->state(), core::AgentState::kBusyAcd);
  Effects fx = take();
  // The PBX hears where its call went.
  const SessionHandle session = s;  // a binding is not captured by clang 14
  const bool told = std::any_of(fx.announcements.begin(), fx.announcements.end(), [&](const Announcement& x) {
    return x.msg == LINE_AGENTSPECIFIC && x.param1 == 0 && x.param2 == 1 && x.param3 == session;
  });
  EXPECT_TRUE(told);
  ASSERT_TRUE(cc->report_call(user("pbx"), CallCenter::CallEvent::kAnswered, pbx_call(1), 0, at(25)).ok());
  ASSERT_TRUE(cc->report_call(user("pbx"), CallCenter::CallEvent::kEnded, pbx_call(1), 0, at(85)).ok());
  EXPECT_EQ(state(s), SessionState::kBusyWrapUp);
  EXPECT_EQ(cc->next_deadline(), at(100));  // wrap_up_seconds = 15
  cc->advance_to(at(99));
  EXPECT_EQ(state(s), SessionState::kBusyWrapUp);
  cc->advance_to(at(100));
  EXPECT_EQ(state(s), SessionState::kReady);

  const core::AgentSessionInfo si = *cc->session_info(s, at(110));
  EXPECT_EQ(si.number_of_calls, 1u);
  EXPECT_EQ(si.total_talk_time, 60u);     // 25 → 85
  EXPECT_EQ(si.total_wrap_up_time, 15u);  // 85 → 100
  EXPECT_EQ(si.total_call_time, 75u);
  EXPECT_EQ(si.average_call_time, 75u);
  EXPECT_EQ(si.longest_time_to_answer, 5u);  // offered 20, answered 25
  EXPECT_EQ(si.average_time_to_answer, 5u);
  EXPECT_EQ(si.session_duration, 110u);
  EXPECT_EQ(si.acd_call_rate, 327272);  // 1 × 3600 × 10 000 / 110, truncated
  const core::AgentInfo ai = *cc->agent_info(a, at(110));
  EXPECT_EQ(ai.number_of_acd_calls, 1u);
  EXPECT_EQ(ai.total_acd_talk_time, 60u);
  EXPECT_EQ(ai.total_acd_wrap_up_time, 15u);
  EXPECT_EQ(ai.total_acd_call_time, 75u);
  EXPECT_EQ(ai.overall_call_rate, 327272);               // active since 0
  EXPECT_EQ(ai.agent_state, LINEAGENTSTATEEX_NOTREADY);  // back to the state before the call
  const core::QueueInfo qi = *cc->queue_info(1, at(110));
  EXPECT_EQ(qi.total_calls_queued, 1u);
  EXPECT_EQ(qi.current_calls_queued, 0u);
  EXPECT_EQ(qi.average_wait_time, 0u);  // an agent was ready: no wait
  EXPECT_EQ(cc->call_count(), 0u);
}

TEST_F(CallCenterTest, NextStateDecidesWhereTheCallEnds) {
  auto [a, s] = login("alice", "", "", sales(), 0, at(0));
  ASSERT_TRUE(cc->set_session_state(user("alice"), s, kReady, kNotReady, at(1)).ok());
  ASSERT_TRUE(cc->on_call_queued(pbx_call(1), 1, at(2)).ok());
  ASSERT_TRUE(cc->on_call_answered(pbx_call(1), at(3)).ok());
  ASSERT_TRUE(cc->on_call_ended(pbx_call(1), at(9)).ok());
  EXPECT_EQ(state(s), SessionState::kNotReady);  // no wrap-up, no timer
  EXPECT_FALSE(cc->next_deadline());
}

TEST_F(CallCenterTest, CallsWaitForTheLongestIdleReadySession) {
  auto [a1, s1] = login("u1", "1001", "1111", sales(), 0, at(0));
  auto [a2, s2] = login("u2", "1002", "2222", sales(), 1, at(0));
  auto [a3, s3] = login("u3", "1003", "3333", sales(), 2, at(0));
  ready("u1", s1, at(1));
  ready("u2", s2, at(2));
  ready("u3", s3, at(3));
  ASSERT_TRUE(cc->on_call_queued(pbx_call(1), 1, at(10)).ok());
  EXPECT_EQ(cc->find_call(pbx_call(1))->session, s1);
  ASSERT_TRUE(cc->on_call_queued(pbx_call(2), 1, at(11)).ok());
  EXPECT_EQ(cc->find_call(pbx_call(2))->session, s2);
  // s1's call ends straight into READY: idle since 20, after s3 (3).
  ASSERT_TRUE(cc->set_session_state(user("u1"), s1, 0, kReady, at(12)).ok());
  ASSERT_TRUE(cc->on_call_answered(pbx_call(1), at(13)).ok());
  ASSERT_TRUE(cc->on_call_ended(pbx_call(1), at(20)).ok());
  ASSERT_TRUE(cc->on_call_queued(pbx_call(3), 1, at(21)).ok());
  EXPECT_EQ(cc->find_call(pbx_call(3))->session, s3);
  ASSERT_TRUE(cc->on_call_queued(pbx_call(4), 1, at(22)).ok());
  EXPECT_EQ(cc->find_call(pbx_call(4))->session, s1);
  // Nobody left: the next call waits; it goes to the first session that gets ready.
  ASSERT_TRUE(cc->on_call_queued(pbx_call(5), 1, at(30)).ok());
  EXPECT_EQ(cc->find_call(pbx_call(5))->phase, CallPhase::kQueued);
  ASSERT_TRUE(cc->on_call_abandoned(pbx_call(2), at(40)).ok());  // s2's caller hangs up while ringing
  // Unanswered: no wrap-up, so s2 is READY at once and takes the waiting call.
  EXPECT_EQ(cc->find_call(pbx_call(5))->session, s2);
  EXPECT_EQ(cc->session_info(s2, at(41))->number_of_calls, 0u);
  const core::QueueInfo qi = *cc->queue_info(1, at(50));
  EXPECT_EQ(qi.total_calls_queued, 5u);
  EXPECT_EQ(qi.longest_ever_wait_time, 10u);  // call 5: 30 → 40
  EXPECT_EQ(qi.average_wait_time, 2u);        // (0+0+0+0+10) / 5
}

TEST_F(CallCenterTest, AnAgentOnACallGetsNoSecondCallInAnotherGroup) {
  auto [a, s1] = login("alice", "", "", sales(), 0, at(0));
  auto s2 = *cc->create_session(user("alice"), a, "", 0, 0, support(), at(0));
  ready("alice", s1, at(1));
  ready("alice", s2, at(1));
  ASSERT_TRUE(cc->on_call_queued(pbx_call(1), 1, at(2)).ok());
  ASSERT_TRUE(cc->on_call_queued(pbx_call(2), 2, at(3)).ok());
  EXPECT_EQ(cc->find_call(pbx_call(2))->phase, CallPhase::kQueued);
  ASSERT_TRUE(cc->on_call_answered(pbx_call(1), at(4)).ok());
  ASSERT_TRUE(cc->on_call_ended(pbx_call(1), at(10)).ok());  // wrap-up until 25
  EXPECT_EQ(cc->find_call(pbx_call(2))->phase, CallPhase::kQueued);
  cc->advance_to(at(25));
  EXPECT_EQ(cc->find_call(pbx_call(2))->session, s2);
}

TEST_F(CallCenterTest, AbandonedCallsAreCountedByTheQueue) {
  ASSERT_TRUE(cc->on_call_queued(pbx_call(1), 2, at(0)).ok());
  ASSERT_TRUE(cc->on_call_queued(pbx_call(2), 2, at(4)).ok());
  EXPECT_EQ(cc->queue_info(2, at(10))->current_longest_wait_time, 10u);
  ASSERT_TRUE(cc->on_call_abandoned(pbx_call(1), at(12)).ok());
  ASSERT_TRUE(cc->on_call_ended(pbx_call(2), at(10 + 4 + 6)).ok());  // a queued call that ends is abandoned
  const core::QueueInfo qi = *cc->queue_info(2, at(30));
  EXPECT_EQ(qi.total_calls_abandoned, 2u);
  EXPECT_EQ(qi.current_calls_queued, 0u);
  EXPECT_EQ(qi.longest_ever_wait_time, 16u);
  EXPECT_EQ(qi.average_wait_time, 14u);  // (12 + 16) / 2
  EXPECT_EQ(cc->on_call_abandoned(pbx_call(1), at(31)).code(), ErrorCode::kInvalParam);
}

TEST_F(CallCenterTest, WaitingCallsFlowToTheOverflowQueue) {
  ASSERT_TRUE(cc->on_call_queued(pbx_call(1), 1, at(0)).ok());
  EXPECT_EQ(cc->next_deadline(), at(60));
  cc->advance_to(at(60));
  EXPECT_EQ(cc->find_call(pbx_call(1))->queue, 3u);
  EXPECT_EQ(cc->queue_info(1, at(61))->total_calls_flowed_out, 1u);
  EXPECT_EQ(cc->queue_info(3, at(61))->total_calls_flowed_in, 1u);
  EXPECT_EQ(cc->queue_info(3, at(61))->total_calls_queued, 1u);
  // Queue 3 belongs to Support: a Support agent takes it.
  auto [a, s] = login("bob", "", "", support(), 1, at(62));
  ready("bob", s, at(70));
  EXPECT_EQ(cc->find_call(pbx_call(1))->session, s);
  EXPECT_EQ(cc->queue_info(3, at(71))->average_wait_time, 10u);  // restarted at the flow
}

// docs/acd.md "Routing": a flowed call is routed in its new queue at once.
TEST_F(CallCenterTest, AFlowedCallGoesAtOnceToASessionReadyInTheNewQueuesGroup) {
  auto [a, s] = login("bob", "", "", support(), 1, at(0));
  ready("bob", s, at(1));
  ASSERT_TRUE(cc->on_call_queued(pbx_call(1), 1, at(2)).ok());  // Sales: nobody to take it
  EXPECT_EQ(cc->find_call(pbx_call(1))->phase, CallPhase::kQueued);
  EXPECT_EQ(state(s), SessionState::kReady);
  // The flow at 62 is the only event: no login, no state change, no new call.
  cc->advance_to(at(62));
  const auto call = cc->find_call(pbx_call(1));
  ASSERT_TRUE(call.ok());
  EXPECT_EQ(call->queue, 3u);
  EXPECT_EQ(call->phase, CallPhase::kOffered);
  EXPECT_EQ(call->session, s);
  EXPECT_EQ(state(s), SessionState::kBusyOnCall);
  const core::QueueInfo q3 = *cc->queue_info(3, at(62));
  EXPECT_EQ(q3.total_calls_flowed_in, 1u);
  EXPECT_EQ(q3.current_calls_queued, 0u);
  EXPECT_EQ(q3.average_wait_time, 0u);  // delivered at the flow
  EXPECT_EQ(cc->next_deadline(), std::nullopt);
}

// docs/acd.md "Routing": in its new queue a flowed call waits for that
// queue's own overflow, so flows chain.
TEST_F(CallCenterTest, AFlowedCallFlowsOnWhenItsNewQueueOverflowsToo) {
  std::string text = testing::kTestConfig;
  const std::string queue3 = "name = \"Sales overflow\"\ngroup = \"Support\"\n";
  const auto at_queue3 = text.find(queue3);
  ASSERT_NE(at_queue3, std::string::npos);
  text.insert(at_queue3 + queue3.size(), "overflow_to = 2\noverflow_seconds = 30\n");
  auto config = parse_config(text, "chained.toml");
  ASSERT_TRUE(config.ok()) << config.status().to_string();
  cc = std::make_unique<CallCenter>(std::move(config).value(), at(0));

  ASSERT_TRUE(cc->on_call_queued(pbx_call(1), 1, at(0)).ok());
  cc->advance_to(at(60));
  EXPECT_EQ(cc->find_call(pbx_call(1))->queue, 3u);
  EXPECT_EQ(cc->next_deadline(), at(90));  // 30 s in queue 3
  cc->advance_to(at(89));
  EXPECT_EQ(cc->find_call(pbx_call(1))->queue, 3u);
  cc->advance_to(at(90));
  EXPECT_EQ(cc->find_call(pbx_call(1))->queue, 2u);
  EXPECT_EQ(cc->find_call(pbx_call(1))->phase, CallPhase::kQueued);
  EXPECT_EQ(cc->queue_info(1, at(91))->total_calls_flowed_out, 1u);
  EXPECT_EQ(cc->queue_info(3, at(91))->total_calls_flowed_in, 1u);
  EXPECT_EQ(cc->queue_info(3, at(91))->total_calls_flowed_out, 1u);
  EXPECT_EQ(cc->queue_info(3, at(91))->current_calls_queued, 0u);
  EXPECT_EQ(cc->queue_info(2, at(91))->total_calls_flowed_in, 1u);
  EXPECT_EQ(cc->queue_info(2, at(91))->current_calls_queued, 1u);
  EXPECT_EQ(cc->next_deadline(), std::nullopt);  // queue 2 has no overflow
}

TEST_F(CallCenterTest, AnAgentLeavingTheCallDetachesIt) {
  auto [a, s] = login("alice", "", "", sales(), 0, at(0));
  ready("alice", s, at(1));
  ASSERT_TRUE(cc->on_call_queued(pbx_call(1), 1, at(2)).ok());
  ASSERT_TRUE(cc->on_call_answered(pbx_call(1), at(3)).ok());
  ASSERT_TRUE(cc->set_session_state(user("alice"), s, kNotReady, 0, at(13)).ok());
  EXPECT_EQ(cc->find_call(pbx_call(1))->phase, CallPhase::kDetached);
  EXPECT_EQ(cc->session_info(s, at(20))->total_talk_time, 10u);
  EXPECT_EQ(cc->on_call_answered(pbx_call(1), at(14)).code(), ErrorCode::kInvalParam);
  ASSERT_TRUE(cc->on_call_ended(pbx_call(1), at(30)).ok());
  EXPECT_EQ(cc->call_count(), 0u);
  EXPECT_EQ(state(s), SessionState::kNotReady);
}

TEST_F(CallCenterTest, OnlyPbxUsersAndSupervisorsReportCalls) {
  using E = CallCenter::CallEvent;
  EXPECT_EQ(cc->report_call(user("alice"), E::kQueued, pbx_call(1), 1, at(0)).code(), ErrorCode::kInvalParam);
  EXPECT_TRUE(cc->report_call(user("boss"), E::kQueued, pbx_call(1), 1, at(0)).ok());
  EXPECT_EQ(cc->report_call(user("pbx"), E::kQueued, pbx_call(1), 1, at(0)).code(), ErrorCode::kInvalParam);  // in use
  EXPECT_EQ(cc->report_call(user("pbx"), E::kQueued, pbx_call(2), 77, at(0)).code(), ErrorCode::kInvalParam);
  Effects fx = take();
  ASSERT_FALSE(fx.batch.audit.empty());
  EXPECT_EQ(fx.batch.audit.back().actor, "boss");
}

TEST_F(CallCenterTest, PbxParamsBlock) {
  auto [a, s] = login("alice", "", "", sales(), 3, at(0));
  ready("alice", s, at(1));
  OPENTAPI_ACD_PBX_PARAMS p{kPbxParamsVersion, kPbxQueued, 42, 1, 0, 0, 0, 0};
  auto* raw = reinterpret_cast<unsigned char*>(&p);
  ASSERT_TRUE(handle_pbx_request(*cc, user("pbx"), 0, raw, sizeof p, at(2)).ok());
  p.dwOperation = kPbxQuery;
  ASSERT_TRUE(handle_pbx_request(*cc, user("pbx"), 0, raw, sizeof p, at(3)).ok());
  EXPECT_EQ(p.dwSession, s);
  EXPECT_EQ(p.dwPhase, 2u);
  EXPECT_EQ(p.dwDevice, 0u);
  EXPECT_EQ(p.dwAddressID, 3u);
  EXPECT_EQ(handle_pbx_request(*cc, user("pbx"), 1, raw, sizeof p, at(3)).code(), ErrorCode::kInvalParam);
  EXPECT_EQ(handle_pbx_request(*cc, user("pbx"), 0, raw, 16, at(3)).code(), ErrorCode::kStructureTooSmall);
  EXPECT_EQ(handle_pbx_request(*cc, user("alice"), 0, raw, sizeof p, at(3)).code(), ErrorCode::kInvalParam);
  p.dwOperation = 99;
  EXPECT_EQ(handle_pbx_request(*cc, user("pbx"), 0, raw, sizeof p, at(3)).code(), ErrorCode::kInvalParam);
}

// --- TAPI 2.0 agent on an address ------------------------------------------------------------

TEST_F(CallCenterTest, AddressAgentFollowsGroupsStatesAndAcdCalls) {
  const std::vector<core::GroupId> groups{sales()};
  ASSERT_TRUE(cc->set_agent_group(user("alice"), 0, 2, groups, at(0)).ok());
  Effects fx = take();
  ASSERT_EQ(fx.announcements.size(), 1u);
  EXPECT_EQ(fx.announcements[0].msg, LINE_AGENTSTATUS);
  EXPECT_EQ(fx.announcements[0].param1, 2u);
  EXPECT_NE(fx.announcements[0].param2 & LINEAGENTSTATUS_GROUP, 0u);
  EXPECT_EQ(fx.announcements[0].param3, LINEAGENTSTATE_NOTREADY);
  ASSERT_TRUE(cc->set_address_agent_state(user("alice"), 0, 2, LINEAGENTSTATE_READY, 0, at(1)).ok());
  EXPECT_EQ(cc->set_agent_activity(user("alice"), 0, 2, 9, at(1)).code(), ErrorCode::kInvalAgentActivity);
  ASSERT_TRUE(cc->set_agent_activity(user("alice"), 0, 2, 2, at(1)).ok());
  EXPECT_EQ(cc->set_agent_group(user("alice"), 0, 9, groups, at(1)).code(), ErrorCode::kInvalAddressId);
  // A session on the same address takes an ACD call: the address is BUSY_ACD.
  auto [a, s] = login("alice", "", "", sales(), 2, at(2));
  ready("alice", s, at(3));
  ASSERT_TRUE(cc->on_call_queued(pbx_call(1), 1, at(4)).ok());
  EXPECT_EQ(cc->agent_status(0, 2)->state, LINEAGENTSTATE_BUSYACD);
  ASSERT_TRUE(cc->on_call_answered(pbx_call(1), at(5)).ok());
  ASSERT_TRUE(cc->on_call_ended(pbx_call(1), at(6)).ok());
  const core::AddressAgentStatus st = *cc->agent_status(0, 2);
  EXPECT_EQ(st.state, LINEAGENTSTATE_WORKINGAFTERCALL);
  EXPECT_EQ(st.activity_id, 2u);
  EXPECT_EQ(cc->activity_name(st.activity_id), "Email");
  EXPECT_EQ(cc->agent_status(1, 0)->state, LINEAGENTSTATE_LOGGEDOFF);  // never touched
}

// --- restore ----------------------------------------------------------------------------------

TEST_F(CallCenterTest, RestoreGivesTheSameCallCenterWithItsTimers) {
  auto [a, s] = login("alice", "1001", "1111", sales(), 0, at(0));
  auto [b, t] = login("bob", "", "", support(), 1, at(0));
  ready("alice", s, at(5));
  ASSERT_TRUE(cc->set_agent_period(user("alice"), a, 3600, at(6)).ok());
  ASSERT_TRUE(cc->on_call_queued(pbx_call(1), 1, at(10)).ok());
  ASSERT_TRUE(cc->on_call_answered(pbx_call(1), at(12)).ok());
  ASSERT_TRUE(cc->on_call_ended(pbx_call(1), at(40)).ok());      // wrap-up until 55
  ASSERT_TRUE(cc->on_call_queued(pbx_call(2), 2, at(41)).ok());  // waits: bob not ready
  ASSERT_TRUE(cc->set_agent_group(user("bob"), 1, 1, std::vector<core::GroupId>{support()}, at(42)).ok());
  take();

  auto restored = CallCenter::restore(testing::test_config(), records.all(), at(50));
  ASSERT_TRUE(restored.ok()) << restored.status().to_string();
  std::unique_ptr<CallCenter> r = std::move(restored).value();
  EXPECT_TRUE(r->take_effects().batch.empty());  // nothing to repair
  EXPECT_EQ(*r->session_info(s, at(50)), *cc->session_info(s, at(50)));
  EXPECT_EQ(*r->agent_info(a, at(50)), *cc->agent_info(a, at(50)));
  EXPECT_EQ(*r->queue_info(1, at(50)), *cc->queue_info(1, at(50)));
  EXPECT_EQ(*r->queue_info(2, at(50)), *cc->queue_info(2, at(50)));
  EXPECT_EQ(r->agent_status(1, 1)->groups, std::vector<core::GroupId>{support()});
  EXPECT_EQ(r->next_deadline(), at(55));
  // Both go on the same way: wrap-up ends, the waiting call finds bob.
  for (CallCenter* x : {cc.get(), r.get()}) {
    x->advance_to(at(55));
    ASSERT_TRUE(x->set_session_state(user("bob"), t, kReady, 0, at(60)).ok());
  }
  EXPECT_EQ(r->find_call(pbx_call(2))->session, t);
  EXPECT_EQ(*r->session_info(s, at(70)), *cc->session_info(s, at(70)));
  EXPECT_EQ(*r->session_info(t, at(70)), *cc->session_info(t, at(70)));
  EXPECT_EQ(*r->queue_info(2, at(70)), *cc->queue_info(2, at(70)));
  // Handles are never reused after a restart.
  auto c = r->create_agent(user("carol"), "", "", at(71));
  EXPECT_GT(*c, std::max(a, b));
  EXPECT_EQ(*r->create_agent(user("alice"), "1001", "1111", at(72)), a);
}

TEST_F(CallCenterTest, RestoreEndsSessionsOfRemovedGroupsAndDropsRemovedQueues) {
  auto [a, s] = login("bob", "", "", support(), 0, at(0));
  ASSERT_TRUE(cc->on_call_queued(pbx_call(1), 2, at(1)).ok());
  take();
  // Without Support and its queues 2 and 3.
  const std::string reduced = R"([[group]]
name = "Sales"
guid = "{11111111-2222-3333-4444-555555555555}"
[[queue]]
id = 1
name = "Sales"
group = "Sales"
)";
  auto restored = CallCenter::restore(*parse_config(reduced, "x"), records.all(), at(5));
  ASSERT_TRUE(restored.ok()) << restored.status().to_string();
  EXPECT_EQ((*restored)->session(s)->state(), SessionState::kEnded);
  EXPECT_EQ((*restored)->call_count(), 0u);
  Effects fx = (*restored)->take_effects();
  records.apply(fx.batch);
  EXPECT_EQ(records.count("queue"), 1u);
  EXPECT_EQ(records.count("call"), 0u);
}

TEST_F(CallCenterTest, CorruptRecordIsRefusedByName) {
  login("alice", "", "", sales(), 0, at(0));
  take();
  auto all = records.all();
  for (auto& r : all) {
    if (r.kind == "session") r.value.resize(r.value.size() - 1);
  }
  auto restored = CallCenter::restore(testing::test_config(), all, at(5));
  ASSERT_FALSE(restored.ok());
  EXPECT_EQ(restored.code(), ErrorCode::kOperationFailed);
  EXPECT_NE(restored.status().message().find("stored session record 00000001"), std::string::npos)
      << restored.status().message();
}

}  // namespace
}  // namespace opentapi::acd
