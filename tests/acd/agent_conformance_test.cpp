// Conformance of the agent functions with Microsoft's pages, as an agent
// desktop or supervisor tool sees them: a Windows-style program (tapi.h
// only) against a real opentapid and the reference ACD. Each test quotes the
// rule it checks; the codes are those each function's page lists
// (docs/reference/tapi2-agent.md §3), the structures those of §5, the
// messages those of §4.2. Choices where Microsoft is silent:
// docs/tapi2.md "Agent functions: checks by the server and the ACD".
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "acd/config.h"
#include "acd/virtual_acd.h"
#include "harness.h"
#include "store/sqlite/sqlite_store.h"

namespace acd_test {
namespace {

namespace acd = opentapi::acd;
namespace store = opentapi::store;

constexpr const char* kSales = "{11111111-2222-3333-4444-555555555555}";
constexpr const char* kSupport = "{66666666-7777-8888-9999-AAAAAAAAAAAA}";
constexpr DWORD kAddresses = 4;

constexpr LONG err(DWORD lineerr) { return static_cast<LONG>(lineerr); }

std::string config_text() {
  return std::string(R"(
[server]
lines = 2
addresses_per_line = 4

[acd]
pbx_users = [")") +
         current_user() + R"("]

[[group]]
name = "Sales"
guid = ")" +
         kSales + R"("

[[group]]
name = "Support"
guid = ")" +
         kSupport + R"("

[[queue]]
id = 1
name = "Sales"
group = "Sales"

[[queue]]
id = 2
name = "Support"
group = "Support"

[[agent]]
id = "1001"
pin = "1111"
name = "Ada"

[[activity]]
id = 1
name = "Calls"

[[activity]]
id = 3
name = "Break"
)";
}

// opentapid and the reference ACD (real clock, SQLite store).
class AgentConformance : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = acd::parse_config(config_text(), "conformance.toml");
    ASSERT_TRUE(c.ok()) << c.status().to_string();
    server_ = std::make_unique<Opentapid>(dir_.path(), 2, static_cast<int>(kAddresses));
    store::SqliteOptions options;
    options.data_dir = dir_.path() + "/data";
    auto opened = store::open_sqlite_store(options);
    ASSERT_TRUE(opened.ok()) << opened.status().to_string();
    store_ = std::move(opened).value();
    acd::VirtualAcdOptions o;
    o.server_address = server_->address();
    o.log = [](acd::LogLevel, std::string_view) {};
    auto started = acd::VirtualAcd::start(*c, *store_, o);
    ASSERT_TRUE(started.ok()) << started.status().to_string();
    acd_ = std::move(started).value();
  }
  void TearDown() override {
    if (acd_) acd_->stop();
    acd_.reset();
    store_.reset();
    server_.reset();
  }

  // lineOpen at exactly `version` (no negotiation range), as a program
  // written for that version does.
  static HLINE open_at(Client& c, DWORD device, DWORD version) {
    HLINE line = 0;
    const LONG rc = lineOpenA(c.app(), device, &line, version, 0, 0, LINECALLPRIVILEGE_NONE, 0, nullptr);
    EXPECT_EQ(rc, 0);
    return rc == 0 ? line : 0;
  }

  TempDir dir_;
  std::unique_ptr<Opentapid> server_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<acd::VirtualAcd> acd_;
};

// A zeroed buffer of `size` bytes whose first DWORD (dwTotalSize) is set.
template <typename T>
T* sized(std::vector<unsigned char>* buf, std::size_t size) {
  buf->assign(size, 0);
  auto* s = reinterpret_cast<T*>(buf->data());
  s->dwTotalSize = static_cast<DWORD>(size);
  return s;
}

// A LINEAGENTGROUPLIST holding `groups` (input of lineSetAgentGroup).
std::vector<unsigned char> group_list(const std::vector<GUID>& groups) {
  std::vector<unsigned char> buf(sizeof(LINEAGENTGROUPLIST) + groups.size() * sizeof(LINEAGENTGROUPENTRY), 0);
  auto* list = reinterpret_cast<LINEAGENTGROUPLIST*>(buf.data());
  list->dwTotalSize = list->dwNeededSize = list->dwUsedSize = static_cast<DWORD>(buf.size());
  list->dwNumEntries = static_cast<DWORD>(groups.size());
  list->dwListSize = static_cast<DWORD>(groups.size() * sizeof(LINEAGENTGROUPENTRY));
  list->dwListOffset = sizeof(LINEAGENTGROUPLIST);
  for (std::size_t i = 0; i < groups.size(); ++i) {
    std::memcpy(buf.data() + sizeof(LINEAGENTGROUPLIST) + i * sizeof(LINEAGENTGROUPENTRY), &groups[i], sizeof(GUID));
  }
  return buf;
}

// lineGetAgentCaps (A): "LINEERR_BADDEVICEID, LINEERR_INCOMPATIBLEAPIVERSION,
// LINEERR_INVALADDRESSID, LINEERR_INVALAPPHANDLE, LINEERR_INVALPOINTER, …,
// LINEERR_STRUCTURETOOSMALL"; dwCapsVersion is "the TAPI version that the
// agent handler used … never above the version the application passed";
// ProxyGUID exists for applications of 2.2 and later.
TEST_F(AgentConformance, GetAgentCapsCodesAndVersion) {
  Client c;
  ASSERT_EQ(c.init_result(), 0);
  std::vector<unsigned char> buf;
  auto* caps = sized<LINEAGENTCAPS>(&buf, 2048);
  EXPECT_EQ(c.reply(lineGetAgentCapsA(c.app(), 99, 0, 0x00030001, caps)), err(LINEERR_BADDEVICEID));
  EXPECT_EQ(c.reply(lineGetAgentCapsA(c.app(), 0, 0, 0x00010004, caps)), err(LINEERR_INCOMPATIBLEAPIVERSION));
  EXPECT_EQ(c.reply(lineGetAgentCapsA(c.app(), 0, 0, 0x00040000, caps)), err(LINEERR_INCOMPATIBLEAPIVERSION));
  EXPECT_EQ(c.reply(lineGetAgentCapsA(c.app(), 0, kAddresses, 0x00030001, caps)), err(LINEERR_INVALADDRESSID));
  EXPECT_EQ(lineGetAgentCapsA(c.app() + 1000, 0, 0, 0x00030001, caps), err(LINEERR_INVALAPPHANDLE));
  EXPECT_EQ(lineGetAgentCapsA(c.app(), 0, 0, 0x00030001, nullptr), err(LINEERR_INVALPOINTER));
  std::vector<unsigned char> small;
  auto* tiny = sized<LINEAGENTCAPS>(&small, sizeof(LINEAGENTCAPS) - 1);
  EXPECT_EQ(c.reply(lineGetAgentCapsA(c.app(), 0, 0, 0x00030001, tiny)), err(LINEERR_STRUCTURETOOSMALL));

  ASSERT_EQ(c.reply(lineGetAgentCapsA(c.app(), 0, 0, 0x00030001, caps)), 0);
  EXPECT_EQ(caps->dwTotalSize, 2048u);
  EXPECT_GE(caps->dwUsedSize, sizeof(LINEAGENTCAPS));
  EXPECT_EQ(caps->dwNeededSize, caps->dwUsedSize);
  EXPECT_LE(caps->dwCapsVersion, 0x00030001u);
  EXPECT_GE(caps->dwCapsVersion, 0x00020000u);
  EXPECT_EQ(caps->dwFeatures & ~0x3Fu, 0u) << "only LINEAGENTFEATURE_ bits";
  EXPECT_NE(caps->dwStates & LINEAGENTSTATE_READY, 0u);
  EXPECT_EQ(caps->dwStates & ~0x3FFu, 0u) << "only LINEAGENTSTATE_ bits";
  EXPECT_EQ(caps->dwNextStates & ~0x3FFu, 0u);
  EXPECT_GE(caps->dwMaxNumGroupEntries, 1u);
  EXPECT_NE(caps->dwAgentStatusMessages & LINEAGENTSTATUS_STATE, 0u);
  EXPECT_EQ(caps->dwAgentStatusMessages & ~0x1FFu, 0u) << "only LINEAGENTSTATUS_ bits";
  EXPECT_EQ(caps->dwAgentExtensionIDListSize, caps->dwNumAgentExtensionIDs * sizeof(LINEEXTENSIONID));
  ASSERT_GT(caps->dwAgentHandlerInfoSize, 1u);
  EXPECT_EQ(buf[caps->dwAgentHandlerInfoOffset + caps->dwAgentHandlerInfoSize - 1], 0) << "NUL included in the size";
  GUID zero{};
  EXPECT_NE(std::memcmp(&caps->ProxyGUID, &zero, sizeof zero), 0);

  const DWORD needed_22 = caps->dwNeededSize;

  // A TAPI 2.0 application: caps of version 2.0 at most, and only the
  // members of 2.0, which end before ProxyGUID (a 2.2 member): 56 bytes are
  // enough for the fixed part, and the variable part starts right after.
  constexpr DWORD kFixed20 = offsetof(LINEAGENTCAPS, ProxyGUID);
  auto* old_caps = sized<LINEAGENTCAPS>(&small, kFixed20 - 4);
  EXPECT_EQ(c.reply(lineGetAgentCapsA(c.app(), 0, 0, 0x00020000, old_caps)), err(LINEERR_STRUCTURETOOSMALL));
  old_caps = sized<LINEAGENTCAPS>(&small, kFixed20);
  ASSERT_EQ(c.reply(lineGetAgentCapsA(c.app(), 0, 0, 0x00020000, old_caps)), 0);
  EXPECT_EQ(old_caps->dwCapsVersion, 0x00020000u);
  EXPECT_EQ(old_caps->dwUsedSize, kFixed20);
  EXPECT_EQ(old_caps->dwNeededSize, needed_22 - sizeof(GUID));
  EXPECT_NE(old_caps->dwStates, 0u);
  caps = sized<LINEAGENTCAPS>(&buf, 2048);
  ASSERT_EQ(c.reply(lineGetAgentCapsA(c.app(), 0, 0, 0x00020000, caps)), 0);
  EXPECT_EQ(caps->dwUsedSize, needed_22 - sizeof(GUID));
  EXPECT_EQ(caps->dwNeededSize, caps->dwUsedSize);
  EXPECT_GE(caps->dwAgentExtensionIDListOffset, kFixed20);
  EXPECT_GE(caps->dwAgentHandlerInfoOffset, kFixed20);
  EXPECT_EQ(std::min(caps->dwAgentExtensionIDListOffset, caps->dwAgentHandlerInfoOffset), kFixed20);
  // A 2.2 application still needs the whole 72 bytes.
  EXPECT_EQ(lineGetAgentCapsA(c.app(), 0, 0, 0x00020002, sized<LINEAGENTCAPS>(&small, kFixed20)),
            err(LINEERR_STRUCTURETOOSMALL));
}

// The address-based getters list LINEERR_INVALADDRESSID,
// LINEERR_INVALLINEHANDLE, LINEERR_INVALPOINTER and
// LINEERR_STRUCTURETOOSMALL.
TEST_F(AgentConformance, AddressGettersCodes) {
  Client c;
  const HLINE line = c.open(0);
  ASSERT_NE(line, 0u);
  std::vector<unsigned char> buf;
  auto* status = sized<LINEAGENTSTATUS>(&buf, 1024);
  EXPECT_EQ(c.reply(lineGetAgentStatusA(line, kAddresses, status)), err(LINEERR_INVALADDRESSID));
  EXPECT_EQ(lineGetAgentStatusA(line + 1000, 0, status), err(LINEERR_INVALLINEHANDLE));
  EXPECT_EQ(lineGetAgentStatusA(line, 0, nullptr), err(LINEERR_INVALPOINTER));
  auto* tiny_status = sized<LINEAGENTSTATUS>(&buf, sizeof(LINEAGENTSTATUS) - 4);
  EXPECT_EQ(c.reply(lineGetAgentStatusA(line, 0, tiny_status)), err(LINEERR_STRUCTURETOOSMALL));

  auto* activities = sized<LINEAGENTACTIVITYLIST>(&buf, 1024);
  EXPECT_EQ(c.reply(lineGetAgentActivityListA(line, kAddresses, activities)), err(LINEERR_INVALADDRESSID));
  EXPECT_EQ(lineGetAgentActivityListA(line, 0, nullptr), err(LINEERR_INVALPOINTER));
  auto* tiny_activities = sized<LINEAGENTACTIVITYLIST>(&buf, sizeof(LINEAGENTACTIVITYLIST) - 4);
  EXPECT_EQ(c.reply(lineGetAgentActivityListA(line, 0, tiny_activities)), err(LINEERR_STRUCTURETOOSMALL));

  auto* groups = sized<LINEAGENTGROUPLIST>(&buf, 1024);
  EXPECT_EQ(c.reply(lineGetAgentGroupListA(line, kAddresses, groups)), err(LINEERR_INVALADDRESSID));
  EXPECT_EQ(lineGetAgentGroupListA(line, 0, nullptr), err(LINEERR_INVALPOINTER));
  auto* tiny_groups = sized<LINEAGENTGROUPLIST>(&buf, sizeof(LINEAGENTGROUPLIST) - 4);
  EXPECT_EQ(c.reply(lineGetAgentGroupListA(line, 0, tiny_groups)), err(LINEERR_STRUCTURETOOSMALL));

  // Before anyone logs in: LINEAGENTSTATUS "dwNumEntries … 0 = no agent
  // logged in" and the state of an address without agent.
  status = sized<LINEAGENTSTATUS>(&buf, 1024);
  ASSERT_EQ(c.reply(lineGetAgentStatusA(line, 1, status)), 0);
  EXPECT_EQ(status->dwNumEntries, 0u);
  EXPECT_EQ(status->dwGroupListSize, 0u);
  EXPECT_EQ(status->dwGroupListOffset, 0u);
  EXPECT_EQ(status->dwState, LINEAGENTSTATE_LOGGEDOFF);

  // lineGetAgentGroupList: "the ACD groups available for the agent on the
  // address", entries of 24 bytes whose names are relative to the list.
  groups = sized<LINEAGENTGROUPLIST>(&buf, 1024);
  ASSERT_EQ(c.reply(lineGetAgentGroupListA(line, 1, groups)), 0);
  ASSERT_EQ(groups->dwNumEntries, 2u);
  EXPECT_EQ(groups->dwListSize, 2 * sizeof(LINEAGENTGROUPENTRY));
  EXPECT_EQ(groups->dwListOffset, sizeof(LINEAGENTGROUPLIST));
  EXPECT_EQ(groups->dwNeededSize, groups->dwUsedSize);
  const auto* group = reinterpret_cast<const LINEAGENTGROUPENTRY*>(buf.data() + groups->dwListOffset);
  const GUID support = guid(kSupport);
  EXPECT_EQ(std::memcmp(&group[1].GroupID, &support, sizeof support), 0);
  EXPECT_STREQ(reinterpret_cast<const char*>(buf.data() + group[1].dwNameOffset), "Support");
  EXPECT_EQ(group[1].dwNameSize, 8u);

  // The activity list: entries of 12 bytes, names relative to the list.
  activities = sized<LINEAGENTACTIVITYLIST>(&buf, 1024);
  ASSERT_EQ(c.reply(lineGetAgentActivityListA(line, 0, activities)), 0);
  ASSERT_EQ(activities->dwNumEntries, 2u);
  EXPECT_EQ(activities->dwListSize, 2 * sizeof(LINEAGENTACTIVITYENTRY));
  EXPECT_EQ(activities->dwListOffset, sizeof(LINEAGENTACTIVITYLIST));
  const auto* act = reinterpret_cast<const LINEAGENTACTIVITYENTRY*>(buf.data() + activities->dwListOffset);
  EXPECT_EQ(act[1].dwID, 3u);
  EXPECT_STREQ(reinterpret_cast<const char*>(buf.data() + act[1].dwNameOffset), "Break");
  EXPECT_EQ(act[1].dwNameSize, 6u);
}

// lineSetAgentState: "dwAgentState: … must be one of the LINEAGENTSTATE_
// constants, or zero to leave the agent state unchanged" — anything else is
// LINEERR_INVALAGENTSTATE; lineSetAgentActivity an unknown activity
// LINEERR_INVALAGENTACTIVITY; lineSetAgentGroup an unknown group
// LINEERR_INVALAGENTGROUP, more than dwMaxNumGroupEntries groups
// LINEERR_INVALPARAM, "NULL or dwNumEntries 0 logs the agent out of all
// groups"; each change is announced with LINE_AGENTSTATUS (dwParam1 the
// address, dwParam2 the LINEAGENTSTATUS_ bits, dwParam3 the new state when
// STATE is set).
TEST_F(AgentConformance, AddressSettersCodesAndMessages) {
  Client c;
  const HLINE line = c.open(0);
  ASSERT_NE(line, 0u);
  Client watcher;
  const HLINE watched = watcher.open(0);
  ASSERT_NE(watched, 0u);

  const auto groups = group_list({guid(kSales)});
  auto* set = reinterpret_cast<LINEAGENTGROUPLIST*>(const_cast<unsigned char*>(groups.data()));
  ASSERT_EQ(c.reply(lineSetAgentGroup(line, 1, set)), 0);
  const auto group_msg = watcher.wait([&](const LINEMESSAGE& m) {
    return m.dwMessageID == LINE_AGENTSTATUS && m.dwParam1 == 1 && (m.dwParam2 & LINEAGENTSTATUS_GROUP);
  });
  ASSERT_TRUE(group_msg.has_value());
  EXPECT_EQ(group_msg->hDevice, watched);

  const auto unknown = group_list({guid("{0BADBADB-ADBA-DBAD-BADB-ADBADBADBAD0}")});
  EXPECT_EQ(c.reply(lineSetAgentGroup(
                line, 1, reinterpret_cast<LINEAGENTGROUPLIST*>(const_cast<unsigned char*>(unknown.data())))),
            err(LINEERR_INVALAGENTGROUP));
  EXPECT_EQ(c.reply(lineSetAgentGroup(line, kAddresses, set)), err(LINEERR_INVALADDRESSID));

  for (const DWORD bad : {DWORD{LINEAGENTSTATE_READY | LINEAGENTSTATE_NOTREADY}, DWORD{0x400}, DWORD{0x80000000}}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(c.reply(lineSetAgentState(line, 1, bad, 0)), err(LINEERR_INVALAGENTSTATE));
    EXPECT_EQ(c.reply(lineSetAgentState(line, 1, 0, bad)), err(LINEERR_INVALAGENTSTATE));
  }
  EXPECT_EQ(c.reply(lineSetAgentState(line, kAddresses, LINEAGENTSTATE_READY, 0)), err(LINEERR_INVALADDRESSID));
  EXPECT_EQ(lineSetAgentState(line + 1000, 1, LINEAGENTSTATE_READY, 0), err(LINEERR_INVALLINEHANDLE));

  ASSERT_EQ(c.reply(lineSetAgentState(line, 1, LINEAGENTSTATE_READY, 0)), 0);
  const auto state_msg = watcher.wait([&](const LINEMESSAGE& m) {
    return m.dwMessageID == LINE_AGENTSTATUS && m.dwParam1 == 1 && (m.dwParam2 & LINEAGENTSTATUS_STATE);
  });
  ASSERT_TRUE(state_msg.has_value());
  EXPECT_EQ(state_msg->dwParam3, LINEAGENTSTATE_READY);

  EXPECT_EQ(c.reply(lineSetAgentActivity(line, 1, 2)), err(LINEERR_INVALAGENTACTIVITY));
  EXPECT_EQ(c.reply(lineSetAgentActivity(line, kAddresses, 1)), err(LINEERR_INVALADDRESSID));
  ASSERT_EQ(c.reply(lineSetAgentActivity(line, 1, 3)), 0);
  const auto activity_msg = watcher.wait([&](const LINEMESSAGE& m) {
    return m.dwMessageID == LINE_AGENTSTATUS && m.dwParam1 == 1 && (m.dwParam2 & LINEAGENTSTATUS_ACTIVITY);
  });
  ASSERT_TRUE(activity_msg.has_value());
  EXPECT_EQ(activity_msg->dwParam2 & LINEAGENTSTATUS_STATE ? 1u : activity_msg->dwParam3, 0u)
      << "dwParam3 is 0 unless STATE is set";

  std::vector<unsigned char> buf;
  auto* status = sized<LINEAGENTSTATUS>(&buf, 1024);
  ASSERT_EQ(c.reply(lineGetAgentStatusA(line, 1, status)), 0);
  EXPECT_EQ(status->dwState, LINEAGENTSTATE_READY);
  EXPECT_EQ(status->dwActivityID, 3u);
  ASSERT_GT(status->dwActivitySize, 0u);
  EXPECT_STREQ(reinterpret_cast<const char*>(buf.data() + status->dwActivityOffset), "Break");
  ASSERT_EQ(status->dwNumEntries, 1u);
  EXPECT_EQ(status->dwGroupListSize, sizeof(LINEAGENTGROUPENTRY));
  const auto* entry = reinterpret_cast<const LINEAGENTGROUPENTRY*>(buf.data() + status->dwGroupListOffset);
  const GUID sales = guid(kSales);
  EXPECT_EQ(std::memcmp(&entry->GroupID, &sales, sizeof sales), 0);
  EXPECT_STREQ(reinterpret_cast<const char*>(buf.data() + entry->dwNameOffset), "Sales");
  EXPECT_NE(status->dwValidStates, 0u);
  EXPECT_EQ(status->dwValidStates & ~0x3FFu, 0u);

  // lineAgentSpecific: the index selects an entry of LINEAGENTCAPS'
  // extension list; one past its end is LINEERR_INVALPARAM.
  DWORD block[4] = {};
  EXPECT_EQ(c.reply(lineAgentSpecific(line, 1, 5, block, sizeof block)), err(LINEERR_INVALPARAM));
  EXPECT_EQ(lineAgentSpecific(line, 1, 0, nullptr, 16), err(LINEERR_INVALPOINTER));

  // Logging out of every group with NULL.
  ASSERT_EQ(c.reply(lineSetAgentGroup(line, 1, nullptr)), 0);
  status = sized<LINEAGENTSTATUS>(&buf, 1024);
  ASSERT_EQ(c.reply(lineGetAgentStatusA(line, 1, status)), 0);
  EXPECT_EQ(status->dwNumEntries, 0u);
}

// The TAPI 2.2 functions on a line opened at 2.0 (docs/reference/tapi2-agent.md
// §1.2: LINEERR_OPERATIONUNAVAIL; the 2.0 set still works), and the 2.2
// messages are not sent to it.
TEST_F(AgentConformance, TwoPointTwoFunctionsNeedTwoPointTwo) {
  Client old_app;
  const HLINE old_line = open_at(old_app, 0, 0x00020000);
  ASSERT_NE(old_line, 0u);
  HAGENT agent = 0;
  GUID sales = guid(kSales);
  HAGENTSESSION session = 0;
  std::vector<unsigned char> buf;
  EXPECT_EQ(old_app.reply(lineCreateAgentA(old_line, const_cast<LPSTR>("1001"), const_cast<LPSTR>("1111"), &agent)),
            err(LINEERR_OPERATIONUNAVAIL));
  EXPECT_EQ(old_app.reply(lineCreateAgentSessionA(old_line, 1, nullptr, 0, &sales, &session)),
            err(LINEERR_OPERATIONUNAVAIL));
  EXPECT_EQ(old_app.reply(lineSetAgentSessionState(old_line, 1, LINEAGENTSESSIONSTATE_READY, 0)),
            err(LINEERR_OPERATIONUNAVAIL));
  EXPECT_EQ(old_app.reply(lineSetAgentStateEx(old_line, 1, LINEAGENTSTATEEX_READY, 0)), err(LINEERR_OPERATIONUNAVAIL));
  EXPECT_EQ(old_app.reply(lineSetAgentMeasurementPeriod(old_line, 1, 60)), err(LINEERR_OPERATIONUNAVAIL));
  EXPECT_EQ(old_app.reply(lineSetQueueMeasurementPeriod(old_line, 1, 60)), err(LINEERR_OPERATIONUNAVAIL));
  EXPECT_EQ(old_app.reply(lineGetGroupListA(old_line, sized<LINEAGENTGROUPLIST>(&buf, 1024))),
            err(LINEERR_OPERATIONUNAVAIL));
  EXPECT_EQ(old_app.reply(lineGetAgentInfo(old_line, 1, sized<LINEAGENTINFO>(&buf, 1024))),
            err(LINEERR_OPERATIONUNAVAIL));
  EXPECT_EQ(old_app.reply(lineGetAgentSessionList(old_line, 1, sized<LINEAGENTSESSIONLIST>(&buf, 1024))),
            err(LINEERR_OPERATIONUNAVAIL));
  EXPECT_EQ(old_app.reply(lineGetAgentSessionInfo(old_line, 1, sized<LINEAGENTSESSIONINFO>(&buf, 1024))),
            err(LINEERR_OPERATIONUNAVAIL));
  EXPECT_EQ(old_app.reply(lineGetQueueListA(old_line, &sales, sized<LINEQUEUELIST>(&buf, 1024))),
            err(LINEERR_OPERATIONUNAVAIL));
  EXPECT_EQ(old_app.reply(lineGetQueueInfo(old_line, 1, sized<LINEQUEUEINFO>(&buf, 1024))),
            err(LINEERR_OPERATIONUNAVAIL));
  EXPECT_EQ(old_app.reply(lineGetAgentStatusA(old_line, 0, sized<LINEAGENTSTATUS>(&buf, 1024))), 0);

  // A 2.2 application creates an agent and a session; only it hears of them.
  Client app;
  const HLINE line = open_at(app, 0, 0x00020002);
  ASSERT_NE(line, 0u);
  ASSERT_EQ(app.create_agent(line, "1001", "1111", &agent), 0);
  ASSERT_EQ(app.create_session(line, agent, nullptr, 0, sales, &session), 0);
  // LINEQUEUELIST and LINEQUEUEINFO "require TAPI 3.0 version negotiation";
  // lineSetQueueMeasurementPeriod returns neither and is a 2.2 function.
  EXPECT_EQ(app.reply(lineGetQueueListA(line, &sales, sized<LINEQUEUELIST>(&buf, 1024))),
            err(LINEERR_OPERATIONUNAVAIL));
  EXPECT_EQ(app.reply(lineGetQueueInfo(line, 1, sized<LINEQUEUEINFO>(&buf, 1024))), err(LINEERR_OPERATIONUNAVAIL));
  EXPECT_EQ(app.reply(lineSetQueueMeasurementPeriod(line, 1, 3600)), 0);
  ASSERT_TRUE(app.wait(
      [&](const LINEMESSAGE& m) { return m.dwMessageID == LINE_AGENTSESSIONSTATUS && m.dwParam1 == session; }));
  old_app.drain(200ms);
  for (const LINEMESSAGE& m : old_app.take_received()) {
    EXPECT_NE(m.dwMessageID, static_cast<DWORD>(LINE_AGENTSESSIONSTATUS));
    EXPECT_NE(m.dwMessageID, static_cast<DWORD>(LINE_AGENTSTATUSEX));
  }
}

// The 2.2 set: lineSetAgentSessionState / lineSetAgentStateEx refuse a state
// that is not one LINEAGENTSESSIONSTATE_ / LINEAGENTSTATEEX_ value with
// LINEERR_INVALAGENTSTATE; a measurement period of 0 is LINEERR_INVALPARAM;
// NULL outputs of the 2.2 getters (whose lists lack INVALPOINTER) are
// LINEERR_INVALPARAM; unknown handles and IDs come back from the ACD as
// LINEERR_INVALPARAM.
TEST_F(AgentConformance, AgentHandleFunctionsCodes) {
  Client c;
  const HLINE line = c.open(0);
  ASSERT_NE(line, 0u);
  HAGENT agent = 0;
  ASSERT_EQ(c.create_agent(line, "1001", "1111", &agent), 0);
  EXPECT_NE(agent, 0u);
  HAGENT other = 0;
  EXPECT_EQ(c.create_agent(line, "1001", "9999", &other), err(LINEERR_INVALPARAM)) << "wrong PIN";
  EXPECT_EQ(lineCreateAgentA(line, const_cast<LPSTR>("1001"), const_cast<LPSTR>("1111"), nullptr),
            err(LINEERR_INVALPARAM));
  EXPECT_EQ(lineCreateAgentA(line + 1000, nullptr, nullptr, &other), err(LINEERR_INVALLINEHANDLE));

  GUID sales = guid(kSales);
  GUID nowhere = guid("{0BADBADB-ADBA-DBAD-BADB-ADBADBADBAD0}");
  HAGENTSESSION session = 0;
  EXPECT_EQ(c.create_session(line, agent + 1000, nullptr, 0, sales, &session), err(LINEERR_INVALPARAM));
  EXPECT_EQ(c.create_session(line, agent, nullptr, 0, nowhere, &session), err(LINEERR_INVALPARAM));
  EXPECT_EQ(lineCreateAgentSessionA(line, agent, nullptr, 0, nullptr, &session), err(LINEERR_INVALPARAM));
  EXPECT_EQ(lineCreateAgentSessionA(line, agent, nullptr, 0, &sales, nullptr), err(LINEERR_INVALPARAM));
  EXPECT_EQ(c.create_session(line, agent, nullptr, kAddresses, sales, &session), err(LINEERR_INVALPARAM))
      << "no such working address (STD7 has no INVALADDRESSID)";
  ASSERT_EQ(c.create_session(line, agent, nullptr, 0, sales, &session), 0);
  EXPECT_NE(session, 0u);

  const auto new_session = c.wait([&](const LINEMESSAGE& m) {
    return m.dwMessageID == LINE_AGENTSESSIONSTATUS && m.dwParam1 == session &&
           (m.dwParam2 & LINEAGENTSESSIONSTATUS_NEWSESSION);
  });
  ASSERT_TRUE(new_session.has_value());
  EXPECT_EQ(new_session->hDevice, line);

  for (const DWORD bad : {DWORD{0x40}, DWORD{0x3}, DWORD{0x80000000}}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(lineSetAgentSessionState(line, session, bad, 0), err(LINEERR_INVALAGENTSTATE));
    EXPECT_EQ(lineSetAgentSessionState(line, session, 0, bad), err(LINEERR_INVALAGENTSTATE));
  }
  EXPECT_EQ(lineSetAgentSessionState(line, session, 0, 0), err(LINEERR_INVALPARAM));
  for (const DWORD bad : {DWORD{0x80}, DWORD{0x6}}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(lineSetAgentStateEx(line, agent, bad, 0), err(LINEERR_INVALAGENTSTATE));
  }
  EXPECT_EQ(c.set_session_state(line, session + 1000, LINEAGENTSESSIONSTATE_READY, 0), err(LINEERR_INVALPARAM));

  ASSERT_EQ(c.set_session_state(line, session, LINEAGENTSESSIONSTATE_READY, 0), 0);
  const auto ready = c.wait([&](const LINEMESSAGE& m) {
    return m.dwMessageID == LINE_AGENTSESSIONSTATUS && m.dwParam1 == session &&
           (m.dwParam2 & LINEAGENTSESSIONSTATUS_STATE);
  });
  ASSERT_TRUE(ready.has_value());
  EXPECT_EQ(ready->dwParam3, LINEAGENTSESSIONSTATE_READY);
  // The agent's own state is set apart from its sessions' (docs/reference/flows.md
  // §4.3), and announced with LINE_AGENTSTATUSEX: dwParam1 the agent,
  // dwParam3 the new LINEAGENTSTATEEX_ value.
  EXPECT_EQ(c.reply(lineSetAgentStateEx(line, agent + 1000, LINEAGENTSTATEEX_READY, 0)), err(LINEERR_INVALPARAM));
  ASSERT_EQ(c.reply(lineSetAgentStateEx(line, agent, LINEAGENTSTATEEX_READY, 0)), 0);
  const auto agent_ready = c.wait([&](const LINEMESSAGE& m) {
    return m.dwMessageID == LINE_AGENTSTATUSEX && m.dwParam1 == agent && (m.dwParam2 & LINEAGENTSTATUSEX_STATE) &&
           m.dwParam3 == LINEAGENTSTATEEX_READY;
  });
  ASSERT_TRUE(agent_ready.has_value());
  EXPECT_EQ(agent_ready->hDevice, line);

  EXPECT_EQ(lineSetAgentMeasurementPeriod(line, agent, 0), err(LINEERR_INVALPARAM));
  EXPECT_EQ(lineSetQueueMeasurementPeriod(line, 1, 0), err(LINEERR_INVALPARAM));
  EXPECT_EQ(c.set_agent_period(line, agent + 1000, 60), err(LINEERR_INVALPARAM));
  EXPECT_EQ(c.reply(lineSetQueueMeasurementPeriod(line, 99, 60)), err(LINEERR_INVALPARAM));

  EXPECT_EQ(lineGetAgentInfo(line, agent, nullptr), err(LINEERR_INVALPARAM));
  EXPECT_EQ(lineGetAgentSessionInfo(line, session, nullptr), err(LINEERR_INVALPARAM));
  EXPECT_EQ(lineGetAgentSessionList(line, agent, nullptr), err(LINEERR_INVALPARAM));
  EXPECT_EQ(lineGetQueueInfo(line, 1, nullptr), err(LINEERR_INVALPARAM));
  EXPECT_EQ(lineGetQueueListA(line, &sales, nullptr), err(LINEERR_INVALPARAM));
  EXPECT_EQ(lineGetGroupListA(line, nullptr), err(LINEERR_INVALPARAM));
  std::vector<unsigned char> buf;
  EXPECT_EQ(lineGetQueueListA(line, nullptr, sized<LINEQUEUELIST>(&buf, 1024)), err(LINEERR_INVALPARAM));
  EXPECT_EQ(lineGetAgentInfo(line, agent, sized<LINEAGENTINFO>(&buf, sizeof(LINEAGENTINFO) - 4)),
            err(LINEERR_STRUCTURETOOSMALL));
  EXPECT_EQ(c.reply(lineGetAgentInfo(line, agent + 1000, sized<LINEAGENTINFO>(&buf, 1024))), err(LINEERR_INVALPARAM));
  EXPECT_EQ(c.reply(lineGetAgentSessionInfo(line, session + 1000, sized<LINEAGENTSESSIONINFO>(&buf, 1024))),
            err(LINEERR_INVALPARAM));
  EXPECT_EQ(c.reply(lineGetQueueInfo(line, 99, sized<LINEQUEUEINFO>(&buf, 1024))), err(LINEERR_INVALPARAM));
  EXPECT_EQ(c.reply(lineGetAgentSessionList(line, agent + 1000, sized<LINEAGENTSESSIONLIST>(&buf, 1024))),
            err(LINEERR_INVALPARAM));
  EXPECT_EQ(c.reply(lineGetQueueListA(line, &nowhere, sized<LINEQUEUELIST>(&buf, 1024))), err(LINEERR_INVALPARAM));

  // The structures: fixed size, no variable part, figures of the session.
  auto* info = sized<LINEAGENTSESSIONINFO>(&buf, 1024);
  ASSERT_EQ(c.session_info(line, session, info), 0);
  EXPECT_EQ(info->dwNeededSize, sizeof(LINEAGENTSESSIONINFO));
  EXPECT_EQ(info->dwUsedSize, sizeof(LINEAGENTSESSIONINFO));
  EXPECT_EQ(info->dwAgentSessionState, LINEAGENTSESSIONSTATE_READY);
  const double started = info->dateSessionStartTime;  // a packed member: read by value
  EXPECT_GT(started, 40000.0) << "an OLE date of this century";

  auto* agent_info = sized<LINEAGENTINFO>(&buf, 1024);
  ASSERT_EQ(c.agent_info(line, agent, agent_info), 0);
  EXPECT_EQ(agent_info->dwNeededSize, sizeof(LINEAGENTINFO));
  EXPECT_EQ(agent_info->dwUsedSize, sizeof(LINEAGENTINFO));
  EXPECT_EQ(agent_info->dwAgentState, LINEAGENTSTATEEX_READY);

  auto* sessions = sized<LINEAGENTSESSIONLIST>(&buf, 1024);
  ASSERT_EQ(c.reply(lineGetAgentSessionList(line, agent, sessions)), 0);
  ASSERT_EQ(sessions->dwNumEntries, 1u);
  EXPECT_EQ(sessions->dwListSize, sizeof(LINEAGENTSESSIONENTRY));
  EXPECT_EQ(sessions->dwListOffset, sizeof(LINEAGENTSESSIONLIST));
  const auto* entry = reinterpret_cast<const LINEAGENTSESSIONENTRY*>(buf.data() + sessions->dwListOffset);
  EXPECT_EQ(entry->hAgentSession, session);
  EXPECT_EQ(entry->hAgent, agent);
  EXPECT_EQ(std::memcmp(&entry->GroupID, &sales, sizeof sales), 0);
  EXPECT_EQ(entry->dwWorkingAddressID, 0u);

  auto* queue = sized<LINEQUEUEINFO>(&buf, 1024);
  ASSERT_EQ(c.queue_info(line, 1, queue), 0);
  EXPECT_EQ(queue->dwNeededSize, sizeof(LINEQUEUEINFO));
  EXPECT_GT(queue->dwMeasurementPeriod, 0u);
}

// The corners an agent desktop meets first: an address nobody is logged in
// on (no state is valid there, so a state is LINEERR_INVALAGENTSTATE and an
// activity LINEERR_INVALADDRESSSTATE); only the next state changed
// (dwAgentState 0: "leave the agent state unchanged and modify only the next
// state"), announced with LINEAGENTSTATUS_NEXTSTATE and dwParam3 0; a new
// agent announced with LINEAGENTSTATUSEX_NEWAGENT; lineAgentSpecific with a
// block smaller than the extension's is LINEERR_STRUCTURETOOSMALL.
TEST_F(AgentConformance, NoAgentNextStateOnlyNewAgentAndShortBlock) {
  Client c;
  const HLINE line = c.open(0);
  ASSERT_NE(line, 0u);
  std::vector<unsigned char> buf;
  auto* status = sized<LINEAGENTSTATUS>(&buf, 1024);
  ASSERT_EQ(c.reply(lineGetAgentStatusA(line, 1, status)), 0);
  EXPECT_EQ(status->dwValidStates & LINEAGENTSTATE_READY, 0u);
  EXPECT_EQ(c.reply(lineSetAgentState(line, 1, LINEAGENTSTATE_READY, 0)), err(LINEERR_INVALAGENTSTATE));
  EXPECT_EQ(c.reply(lineSetAgentActivity(line, 1, 1)), err(LINEERR_INVALADDRESSSTATE));

  const auto groups = group_list({guid(kSales)});
  ASSERT_EQ(c.reply(lineSetAgentGroup(
                line, 1, reinterpret_cast<LINEAGENTGROUPLIST*>(const_cast<unsigned char*>(groups.data())))),
            0);
  ASSERT_TRUE(c.wait([](const LINEMESSAGE& m) {
    return m.dwMessageID == LINE_AGENTSTATUS && m.dwParam1 == 1 && (m.dwParam2 & LINEAGENTSTATUS_GROUP) &&
           (m.dwParam2 & LINEAGENTSTATUS_STATE) && m.dwParam3 == LINEAGENTSTATE_NOTREADY;
  }));
  ASSERT_EQ(c.reply(lineSetAgentState(line, 1, 0, LINEAGENTSTATE_WORKINGAFTERCALL)), 0);
  const auto next = c.wait([](const LINEMESSAGE& m) { return m.dwMessageID == LINE_AGENTSTATUS && m.dwParam1 == 1; });
  ASSERT_TRUE(next);
  EXPECT_EQ(next->dwParam2, static_cast<DWORD>(LINEAGENTSTATUS_NEXTSTATE));
  EXPECT_EQ(next->dwParam3, 0u);
  status = sized<LINEAGENTSTATUS>(&buf, 1024);
  ASSERT_EQ(c.reply(lineGetAgentStatusA(line, 1, status)), 0);
  EXPECT_EQ(status->dwState, LINEAGENTSTATE_NOTREADY);
  EXPECT_EQ(status->dwNextState, LINEAGENTSTATE_WORKINGAFTERCALL);

  HAGENT agent = 0;
  ASSERT_EQ(c.create_agent(line, "1001", "1111", &agent), 0);
  const auto added = c.wait([&](const LINEMESSAGE& m) {
    return m.dwMessageID == LINE_AGENTSTATUSEX && m.dwParam1 == agent && (m.dwParam2 & LINEAGENTSTATUSEX_NEWAGENT);
  });
  ASSERT_TRUE(added);
  EXPECT_EQ(added->dwParam2 & LINEAGENTSTATUSEX_STATE ? added->dwParam3 : 0u,
            added->dwParam2 & LINEAGENTSTATUSEX_STATE ? DWORD{LINEAGENTSTATEEX_NOTREADY} : 0u);

  DWORD block[4] = {1, 5, 7, 0};
  EXPECT_EQ(c.reply(lineAgentSpecific(line, 1, 0, block, sizeof block)), err(LINEERR_STRUCTURETOOSMALL));
  EXPECT_EQ(c.reply(lineAgentSpecific(line, 1, 0, nullptr, 0)), err(LINEERR_STRUCTURETOOSMALL));
}

}  // namespace
}  // namespace acd_test
