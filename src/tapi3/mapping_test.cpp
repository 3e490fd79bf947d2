// The pure translations of mapping.h: state enums, status bits -> events,
// DATE conversion, the timeout variable, TAPI 2 structure reading.
#include "tapi3/mapping.h"

#include <gtest/gtest.h>

#include <cstring>
#include <ctime>
#include <vector>

#include "tapi3/testing/test_support.h"

namespace opentapi::tapi3 {
namespace {

TEST(Mapping, SessionStatesMapOneToOne) {
  EXPECT_EQ(to_line_session_state(ASST_NOT_READY), LINEAGENTSESSIONSTATE_NOTREADY);
  EXPECT_EQ(to_line_session_state(ASST_READY), LINEAGENTSESSIONSTATE_READY);
  EXPECT_EQ(to_line_session_state(ASST_BUSY_ON_CALL), LINEAGENTSESSIONSTATE_BUSYONCALL);
  EXPECT_EQ(to_line_session_state(ASST_BUSY_WRAPUP), LINEAGENTSESSIONSTATE_BUSYWRAPUP);
  EXPECT_EQ(to_line_session_state(ASST_SESSION_ENDED), LINEAGENTSESSIONSTATE_ENDED);
  for (const LONG s : {0, 1, 2, 3, 4}) {
    EXPECT_EQ(from_line_session_state(*to_line_session_state(s)), static_cast<AGENT_SESSION_STATE>(s));
  }
}

TEST(Mapping, RejectsSessionStatesOutsideTheEnum) {
  EXPECT_FALSE(to_line_session_state(5));
  EXPECT_FALSE(to_line_session_state(-1));
  EXPECT_FALSE(to_line_session_state(0x7FFFFFFF));
}

TEST(Mapping, ReadsReleasedSessionAsEnded) {
  EXPECT_EQ(from_line_session_state(LINEAGENTSESSIONSTATE_RELEASED), ASST_SESSION_ENDED);
  EXPECT_FALSE(from_line_session_state(0));
  EXPECT_FALSE(from_line_session_state(LINEAGENTSESSIONSTATE_READY | LINEAGENTSESSIONSTATE_NOTREADY));
  EXPECT_FALSE(from_line_session_state(0x40));
}

TEST(Mapping, AgentStatesRejectUnknownAsARequest) {
  EXPECT_EQ(to_line_agent_state(AS_NOT_READY), LINEAGENTSTATEEX_NOTREADY);
  EXPECT_EQ(to_line_agent_state(AS_READY), LINEAGENTSTATEEX_READY);
  EXPECT_EQ(to_line_agent_state(AS_BUSY_ACD), LINEAGENTSTATEEX_BUSYACD);
  EXPECT_EQ(to_line_agent_state(AS_BUSY_INCOMING), LINEAGENTSTATEEX_BUSYINCOMING);
  EXPECT_EQ(to_line_agent_state(AS_BUSY_OUTGOING), LINEAGENTSTATEEX_BUSYOUTGOING);
  EXPECT_FALSE(to_line_agent_state(AS_UNKNOWN));
  EXPECT_FALSE(to_line_agent_state(6));
  EXPECT_FALSE(to_line_agent_state(-1));
}

TEST(Mapping, ReadsUnknownAndReleasedAgentAsUnknown) {
  EXPECT_EQ(from_line_agent_state(LINEAGENTSTATEEX_UNKNOWN), AS_UNKNOWN);
  EXPECT_EQ(from_line_agent_state(LINEAGENTSTATEEX_RELEASED), AS_UNKNOWN);
  EXPECT_EQ(from_line_agent_state(LINEAGENTSTATEEX_BUSYOUTGOING), AS_BUSY_OUTGOING);
  EXPECT_FALSE(from_line_agent_state(0));
  EXPECT_FALSE(from_line_agent_state(0x80));
}

TEST(Mapping, RaisesOneSessionEventPerMeaningfulBitInTableOrder) {
  using V = std::vector<AGENT_SESSION_EVENT>;
  EXPECT_EQ(session_events(
                LINEAGENTSESSIONSTATUS_NEWSESSION | LINEAGENTSESSIONSTATUS_STATE | LINEAGENTSESSIONSTATUS_UPDATEINFO,
                LINEAGENTSESSIONSTATE_BUSYONCALL),
            (V{ASE_NEW_SESSION, ASE_BUSY}));
  EXPECT_EQ(session_events(LINEAGENTSESSIONSTATUS_UPDATEINFO, 0), V{});
  EXPECT_EQ(session_events(LINEAGENTSESSIONSTATUS_STATE, LINEAGENTSESSIONSTATE_BUSYWRAPUP), V{ASE_WRAPUP});
  EXPECT_EQ(session_events(LINEAGENTSESSIONSTATUS_STATE, LINEAGENTSESSIONSTATE_RELEASED), V{ASE_END});
  EXPECT_EQ(session_events(LINEAGENTSESSIONSTATUS_STATE, 0x3), V{});  // not one state
}

TEST(Mapping, RaisesAgentEventsForStateOnly) {
  using V = std::vector<AGENT_EVENT>;
  EXPECT_EQ(agent_events(LINEAGENTSTATUSEX_NEWAGENT, 0), V{});
  EXPECT_EQ(agent_events(LINEAGENTSTATUSEX_UPDATEINFO, 0), V{});
  EXPECT_EQ(agent_events(LINEAGENTSTATUSEX_NEWAGENT | LINEAGENTSTATUSEX_STATE, LINEAGENTSTATEEX_BUSYACD),
            V{AE_BUSY_ACD});
  EXPECT_EQ(agent_events(LINEAGENTSTATUSEX_STATE, LINEAGENTSTATEEX_RELEASED), V{AE_UNKNOWN});
}

TEST(Mapping, ConvertsUtcStartTimeToLocalTime) {
  testing::ScopedEnv tz("TZ", "XYZ-3");  // POSIX sign: three hours east of UTC
  tzset();
  EXPECT_DOUBLE_EQ(utc_date_to_local(45000.5), 45000.5 + 3.0 / 24.0);
  {
    testing::ScopedEnv utc("TZ", "UTC0");
    tzset();
    EXPECT_DOUBLE_EQ(utc_date_to_local(45000.5), 45000.5);
  }
  tzset();
}

TEST(Mapping, ReadsRequestTimeoutFromTheEnvironment) {
  EXPECT_EQ(request_timeout_from(nullptr), std::chrono::milliseconds(120000));
  EXPECT_EQ(request_timeout_from(""), std::chrono::milliseconds(120000));
  EXPECT_EQ(request_timeout_from("250"), std::chrono::milliseconds(250));
  EXPECT_EQ(request_timeout_from("0"), std::chrono::milliseconds(120000));
  EXPECT_EQ(request_timeout_from("-5"), std::chrono::milliseconds(120000));
  EXPECT_EQ(request_timeout_from("12ms"), std::chrono::milliseconds(120000));
  EXPECT_EQ(request_timeout_from("99999999999999999999"), std::chrono::milliseconds(120000));
}

std::vector<unsigned char> proxy_list(const std::vector<DWORD>& types) {
  std::vector<unsigned char> buf(sizeof(LINEPROXYREQUESTLIST) + types.size() * sizeof(DWORD));
  LINEPROXYREQUESTLIST h{};
  h.dwTotalSize = h.dwNeededSize = h.dwUsedSize = static_cast<DWORD>(buf.size());
  h.dwNumEntries = static_cast<DWORD>(types.size());
  h.dwListSize = static_cast<DWORD>(types.size() * sizeof(DWORD));
  h.dwListOffset = sizeof h;
  std::memcpy(buf.data(), &h, sizeof h);
  if (!types.empty()) std::memcpy(buf.data() + sizeof h, types.data(), types.size() * sizeof(DWORD));
  return buf;
}

TEST(Mapping, LineServesAnAgentHandlerOnlyWithAllTwelveTypes) {
  std::vector<DWORD> all;
  for (DWORD t = 0x09; t <= 0x14; ++t) all.push_back(t);
  auto buf = proxy_list(all);
  EXPECT_TRUE(serves_all_acd_types(reinterpret_cast<LINEPROXYREQUESTLIST*>(buf.data())));
  all.pop_back();
  all.push_back(0x02);
  buf = proxy_list(all);
  EXPECT_FALSE(serves_all_acd_types(reinterpret_cast<LINEPROXYREQUESTLIST*>(buf.data())));
  EXPECT_FALSE(serves_all_acd_types(nullptr));
}

TEST(Mapping, ParsesGroupListWithNamesRelativeToTheList) {
  const std::wstring name = L"Sales";
  const DWORD name_bytes = static_cast<DWORD>((name.size() + 1) * sizeof(wchar_t));
  std::vector<unsigned char> buf(sizeof(LINEAGENTGROUPLIST) + sizeof(LINEAGENTGROUPENTRY) + name_bytes);
  LINEAGENTGROUPLIST h{};
  h.dwTotalSize = h.dwNeededSize = h.dwUsedSize = static_cast<DWORD>(buf.size());
  h.dwNumEntries = 1;
  h.dwListSize = sizeof(LINEAGENTGROUPENTRY);
  h.dwListOffset = sizeof h;
  LINEAGENTGROUPENTRY e{};
  e.GroupID.dwGroupID1 = 7;
  e.dwNameSize = name_bytes;
  e.dwNameOffset = sizeof h + sizeof e;
  std::memcpy(buf.data(), &h, sizeof h);
  std::memcpy(buf.data() + sizeof h, &e, sizeof e);
  std::memcpy(buf.data() + sizeof h + sizeof e, name.c_str(), name_bytes);
  auto list = parse_group_list(buf.data(), buf.size());
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].name, L"Sales");
  EXPECT_EQ((*list)[0].id.Data1, 7u);

  // A name outside the buffer is left out, not read.
  e.dwNameOffset = 10000;
  std::memcpy(buf.data() + sizeof h, &e, sizeof e);
  list = parse_group_list(buf.data(), buf.size());
  ASSERT_TRUE(list);
  EXPECT_EQ((*list)[0].name, L"");

  // Incomplete (the proxy needed more room): not a list to trust.
  h.dwNeededSize = h.dwTotalSize + 100;
  std::memcpy(buf.data(), &h, sizeof h);
  EXPECT_FALSE(parse_group_list(buf.data(), buf.size()));

  // An array past the end: malformed.
  h.dwNeededSize = h.dwTotalSize;
  h.dwNumEntries = 50;
  std::memcpy(buf.data(), &h, sizeof h);
  EXPECT_FALSE(parse_group_list(buf.data(), buf.size()));
}

TEST(Mapping, WidensUtf8) {
  EXPECT_EQ(widen("h\xC3\xA9llo"), L"h\u00E9llo");
  EXPECT_EQ(widen("\xF0\x9F\x98\x80"), std::wstring(1, static_cast<wchar_t>(0x1F600)));
  EXPECT_EQ(widen("bad\xC3"), L"bad\uFFFD");
  EXPECT_FALSE(process_user_name().empty());
}

}  // namespace
}  // namespace opentapi::tapi3
