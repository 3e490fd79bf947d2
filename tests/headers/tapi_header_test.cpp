// Conformance of <tapi.h> with tapi2-agent.md, from C++: every LINEERR_*
// value and the two gaps, every call-center constant group (counted by
// listing it), the message IDs, structure layouts, prototypes, and the A/W
// selection of the unsuffixed names.
//
// This file is compiled twice: tapi_header_test (ANSI) and
// tapi_header_unicode_test (UNICODE defined). The functions are not defined
// yet; they appear only inside decltype, which does not odr-use them.
#include <tapi.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <set>
#include <string>
#include <type_traits>
#include <vector>

namespace {

#define OPENTAPI_TEST_STR2(x) #x
#define OPENTAPI_TEST_STR(x) OPENTAPI_TEST_STR2(x)

struct NamedError {
  const char *name;
  LONG value;        // as the header defines it
  uint32_t expected; // bit pattern from tapi2-agent.md §7
};

#define ERR(name, bits) {#name, LINEERR_##name, bits}
const NamedError kLineErrors[] = {
    ERR(ALLOCATED, 0x80000001u),
    ERR(BADDEVICEID, 0x80000002u),
    ERR(BEARERMODEUNAVAIL, 0x80000003u),
    ERR(CALLUNAVAIL, 0x80000005u),
    ERR(COMPLETIONOVERRUN, 0x80000006u),
    ERR(CONFERENCEFULL, 0x80000007u),
    ERR(DIALBILLING, 0x80000008u),
    ERR(DIALDIALTONE, 0x80000009u),
    ERR(DIALPROMPT, 0x8000000Au),
    ERR(DIALQUIET, 0x8000000Bu),
    ERR(INCOMPATIBLEAPIVERSION, 0x8000000Cu),
    ERR(INCOMPATIBLEEXTVERSION, 0x8000000Du),
    ERR(INIFILECORRUPT, 0x8000000Eu),
    ERR(INUSE, 0x8000000Fu),
    ERR(INVALADDRESS, 0x80000010u),
    ERR(INVALADDRESSID, 0x80000011u),
    ERR(INVALADDRESSMODE, 0x80000012u),
    ERR(INVALADDRESSSTATE, 0x80000013u),
    ERR(INVALAPPHANDLE, 0x80000014u),
    ERR(INVALAPPNAME, 0x80000015u),
    ERR(INVALBEARERMODE, 0x80000016u),
    ERR(INVALCALLCOMPLMODE, 0x80000017u),
    ERR(INVALCALLHANDLE, 0x80000018u),
    ERR(INVALCALLPARAMS, 0x80000019u),
    ERR(INVALCALLPRIVILEGE, 0x8000001Au),
    ERR(INVALCALLSELECT, 0x8000001Bu),
    ERR(INVALCALLSTATE, 0x8000001Cu),
    ERR(INVALCALLSTATELIST, 0x8000001Du),
    ERR(INVALCARD, 0x8000001Eu),
    ERR(INVALCOMPLETIONID, 0x8000001Fu),
    ERR(INVALCONFCALLHANDLE, 0x80000020u),
    ERR(INVALCONSULTCALLHANDLE, 0x80000021u),
    ERR(INVALCOUNTRYCODE, 0x80000022u),
    ERR(INVALDEVICECLASS, 0x80000023u),
    ERR(INVALDEVICEHANDLE, 0x80000024u),
    ERR(INVALDIALPARAMS, 0x80000025u),
    ERR(INVALDIGITLIST, 0x80000026u),
    ERR(INVALDIGITMODE, 0x80000027u),
    ERR(INVALDIGITS, 0x80000028u),
    ERR(INVALEXTVERSION, 0x80000029u),
    ERR(INVALGROUPID, 0x8000002Au),
    ERR(INVALLINEHANDLE, 0x8000002Bu),
    ERR(INVALLINESTATE, 0x8000002Cu),
    ERR(INVALLOCATION, 0x8000002Du),
    ERR(INVALMEDIALIST, 0x8000002Eu),
    ERR(INVALMEDIAMODE, 0x8000002Fu),
    ERR(INVALMESSAGEID, 0x80000030u),
    ERR(INVALPARAM, 0x80000032u),
    ERR(INVALPARKID, 0x80000033u),
    ERR(INVALPARKMODE, 0x80000034u),
    ERR(INVALPOINTER, 0x80000035u),
    ERR(INVALPRIVSELECT, 0x80000036u),
    ERR(INVALRATE, 0x80000037u),
    ERR(INVALREQUESTMODE, 0x80000038u),
    ERR(INVALTERMINALID, 0x80000039u),
    ERR(INVALTERMINALMODE, 0x8000003Au),
    ERR(INVALTIMEOUT, 0x8000003Bu),
    ERR(INVALTONE, 0x8000003Cu),
    ERR(INVALTONELIST, 0x8000003Du),
    ERR(INVALTONEMODE, 0x8000003Eu),
    ERR(INVALTRANSFERMODE, 0x8000003Fu),
    ERR(LINEMAPPERFAILED, 0x80000040u),
    ERR(NOCONFERENCE, 0x80000041u),
    ERR(NODEVICE, 0x80000042u),
    ERR(NODRIVER, 0x80000043u),
    ERR(NOMEM, 0x80000044u),
    ERR(NOREQUEST, 0x80000045u),
    ERR(NOTOWNER, 0x80000046u),
    ERR(NOTREGISTERED, 0x80000047u),
    ERR(OPERATIONFAILED, 0x80000048u),
    ERR(OPERATIONUNAVAIL, 0x80000049u),
    ERR(RATEUNAVAIL, 0x8000004Au),
    ERR(RESOURCEUNAVAIL, 0x8000004Bu),
    ERR(REQUESTOVERRUN, 0x8000004Cu),
    ERR(STRUCTURETOOSMALL, 0x8000004Du),
    ERR(TARGETNOTFOUND, 0x8000004Eu),
    ERR(TARGETSELF, 0x8000004Fu),
    ERR(UNINITIALIZED, 0x80000050u),
    ERR(USERUSERINFOTOOBIG, 0x80000051u),
    ERR(REINIT, 0x80000052u),
    ERR(ADDRESSBLOCKED, 0x80000053u),
    ERR(BILLINGREJECTED, 0x80000054u),
    ERR(INVALFEATURE, 0x80000055u),
    ERR(NOMULTIPLEINSTANCE, 0x80000056u),
    ERR(INVALAGENTID, 0x80000057u),
    ERR(INVALAGENTGROUP, 0x80000058u),
    ERR(INVALPASSWORD, 0x80000059u),
    ERR(INVALAGENTSTATE, 0x8000005Au),
    ERR(INVALAGENTACTIVITY, 0x8000005Bu),
    ERR(DIALVOICEDETECT, 0x8000005Cu),
    ERR(USERCANCELLED, 0x8000005Du),
    ERR(INVALADDRESSTYPE, 0x8000005Eu),
    ERR(INVALAGENTSESSIONSTATE, 0x8000005Fu),
    ERR(DISCONNECTED, 0x80000060u),
    ERR(SERVICE_NOT_RUNNING, 0x80000061u),
};
#undef ERR

struct NamedValue {
  const char *name;
  uint32_t value;    // as the header defines it
  uint32_t expected; // from the spec table
};
#define VAL(name, expected) {#name, name, expected}

// §4.1: LINE_* and PHONE_* message IDs 0..34.
const NamedValue kMessages[] = {
    VAL(LINE_ADDRESSSTATE, 0),        VAL(LINE_CALLINFO, 1),
    VAL(LINE_CALLSTATE, 2),           VAL(LINE_CLOSE, 3),
    VAL(LINE_DEVSPECIFIC, 4),         VAL(LINE_DEVSPECIFICFEATURE, 5),
    VAL(LINE_GATHERDIGITS, 6),        VAL(LINE_GENERATE, 7),
    VAL(LINE_LINEDEVSTATE, 8),        VAL(LINE_MONITORDIGITS, 9),
    VAL(LINE_MONITORMEDIA, 10),       VAL(LINE_MONITORTONE, 11),
    VAL(LINE_REPLY, 12),              VAL(LINE_REQUEST, 13),
    VAL(PHONE_BUTTON, 14),            VAL(PHONE_CLOSE, 15),
    VAL(PHONE_DEVSPECIFIC, 16),       VAL(PHONE_REPLY, 17),
    VAL(PHONE_STATE, 18),             VAL(LINE_CREATE, 19),
    VAL(PHONE_CREATE, 20),            VAL(LINE_AGENTSPECIFIC, 21),
    VAL(LINE_AGENTSTATUS, 22),        VAL(LINE_APPNEWCALL, 23),
    VAL(LINE_PROXYREQUEST, 24),       VAL(LINE_REMOVE, 25),
    VAL(PHONE_REMOVE, 26),            VAL(LINE_AGENTSESSIONSTATUS, 27),
    VAL(LINE_QUEUESTATUS, 28),        VAL(LINE_AGENTSTATUSEX, 29),
    VAL(LINE_GROUPSTATUS, 30),        VAL(LINE_PROXYSTATUS, 31),
    VAL(LINE_APPNEWCALLHUB, 32),      VAL(LINE_CALLHUBCLOSE, 33),
    VAL(LINE_DEVSPECIFICEX, 34),
};

// §6.1-§6.9: the eleven agent constant groups.
struct ConstantGroup {
  const char *name;
  std::vector<NamedValue> members;
  size_t spec_count; // from §6 / §8 "6+3+7+3+10+9+6+3+2+3+20"
  bool bit_flags;    // values 1, 2, 4, ... (else 1, 2, 3, ...)
};

const std::vector<ConstantGroup> &AgentGroups() {
  static const std::vector<ConstantGroup> groups = {
      {"LINEAGENTSESSIONSTATE_",
       {VAL(LINEAGENTSESSIONSTATE_NOTREADY, 0x01), VAL(LINEAGENTSESSIONSTATE_READY, 0x02),
        VAL(LINEAGENTSESSIONSTATE_BUSYONCALL, 0x04), VAL(LINEAGENTSESSIONSTATE_BUSYWRAPUP, 0x08),
        VAL(LINEAGENTSESSIONSTATE_ENDED, 0x10), VAL(LINEAGENTSESSIONSTATE_RELEASED, 0x20)},
       6,
       true},
      {"LINEAGENTSESSIONSTATUS_",
       {VAL(LINEAGENTSESSIONSTATUS_NEWSESSION, 0x01), VAL(LINEAGENTSESSIONSTATUS_STATE, 0x02),
        VAL(LINEAGENTSESSIONSTATUS_UPDATEINFO, 0x04)},
       3,
       true},
      {"LINEAGENTSTATEEX_",
       {VAL(LINEAGENTSTATEEX_NOTREADY, 0x01), VAL(LINEAGENTSTATEEX_READY, 0x02),
        VAL(LINEAGENTSTATEEX_BUSYACD, 0x04), VAL(LINEAGENTSTATEEX_BUSYINCOMING, 0x08),
        VAL(LINEAGENTSTATEEX_BUSYOUTGOING, 0x10), VAL(LINEAGENTSTATEEX_UNKNOWN, 0x20),
        VAL(LINEAGENTSTATEEX_RELEASED, 0x40)},
       7,
       true},
      {"LINEAGENTSTATUSEX_",
       {VAL(LINEAGENTSTATUSEX_NEWAGENT, 0x01), VAL(LINEAGENTSTATUSEX_STATE, 0x02),
        VAL(LINEAGENTSTATUSEX_UPDATEINFO, 0x04)},
       3,
       true},
      {"LINEAGENTSTATE_",
       {VAL(LINEAGENTSTATE_LOGGEDOFF, 0x001), VAL(LINEAGENTSTATE_NOTREADY, 0x002),
        VAL(LINEAGENTSTATE_READY, 0x004), VAL(LINEAGENTSTATE_BUSYACD, 0x008),
        VAL(LINEAGENTSTATE_BUSYINCOMING, 0x010), VAL(LINEAGENTSTATE_BUSYOUTBOUND, 0x020),
        VAL(LINEAGENTSTATE_BUSYOTHER, 0x040), VAL(LINEAGENTSTATE_WORKINGAFTERCALL, 0x080),
        VAL(LINEAGENTSTATE_UNKNOWN, 0x100), VAL(LINEAGENTSTATE_UNAVAIL, 0x200)},
       10,
       true},
      {"LINEAGENTSTATUS_",
       {VAL(LINEAGENTSTATUS_GROUP, 0x001), VAL(LINEAGENTSTATUS_STATE, 0x002),
        VAL(LINEAGENTSTATUS_NEXTSTATE, 0x004), VAL(LINEAGENTSTATUS_ACTIVITY, 0x008),
        VAL(LINEAGENTSTATUS_ACTIVITYLIST, 0x010), VAL(LINEAGENTSTATUS_GROUPLIST, 0x020),
        VAL(LINEAGENTSTATUS_CAPSCHANGE, 0x040), VAL(LINEAGENTSTATUS_VALIDSTATES, 0x080),
        VAL(LINEAGENTSTATUS_VALIDNEXTSTATES, 0x100)},
       9,
       true},
      {"LINEAGENTFEATURE_",
       {VAL(LINEAGENTFEATURE_SETAGENTGROUP, 0x01), VAL(LINEAGENTFEATURE_SETAGENTSTATE, 0x02),
        VAL(LINEAGENTFEATURE_SETAGENTACTIVITY, 0x04), VAL(LINEAGENTFEATURE_AGENTSPECIFIC, 0x08),
        VAL(LINEAGENTFEATURE_GETAGENTACTIVITYLIST, 0x10),
        VAL(LINEAGENTFEATURE_GETAGENTGROUP, 0x20)},
       6,
       true},
      {"LINEQUEUESTATUS_",
       {VAL(LINEQUEUESTATUS_UPDATEINFO, 0x01), VAL(LINEQUEUESTATUS_NEWQUEUE, 0x02),
        VAL(LINEQUEUESTATUS_QUEUEREMOVED, 0x04)},
       3,
       true},
      {"LINEGROUPSTATUS_",
       {VAL(LINEGROUPSTATUS_NEWGROUP, 0x01), VAL(LINEGROUPSTATUS_GROUPREMOVED, 0x02)},
       2,
       true},
      {"LINEPROXYSTATUS_",
       {VAL(LINEPROXYSTATUS_OPEN, 0x01), VAL(LINEPROXYSTATUS_CLOSE, 0x02),
        VAL(LINEPROXYSTATUS_ALLOPENFORACD, 0x04)},
       3,
       true},
      {"LINEPROXYREQUEST_",
       {VAL(LINEPROXYREQUEST_SETAGENTGROUP, 0x01),
        VAL(LINEPROXYREQUEST_SETAGENTSTATE, 0x02),
        VAL(LINEPROXYREQUEST_SETAGENTACTIVITY, 0x03),
        VAL(LINEPROXYREQUEST_GETAGENTCAPS, 0x04),
        VAL(LINEPROXYREQUEST_GETAGENTSTATUS, 0x05),
        VAL(LINEPROXYREQUEST_AGENTSPECIFIC, 0x06),
        VAL(LINEPROXYREQUEST_GETAGENTACTIVITYLIST, 0x07),
        VAL(LINEPROXYREQUEST_GETAGENTGROUPLIST, 0x08),
        VAL(LINEPROXYREQUEST_CREATEAGENT, 0x09),
        VAL(LINEPROXYREQUEST_SETAGENTMEASUREMENTPERIOD, 0x0A),
        VAL(LINEPROXYREQUEST_GETAGENTINFO, 0x0B),
        VAL(LINEPROXYREQUEST_CREATEAGENTSESSION, 0x0C),
        VAL(LINEPROXYREQUEST_GETAGENTSESSIONLIST, 0x0D),
        VAL(LINEPROXYREQUEST_SETAGENTSESSIONSTATE, 0x0E),
        VAL(LINEPROXYREQUEST_GETAGENTSESSIONINFO, 0x0F),
        VAL(LINEPROXYREQUEST_GETQUEUELIST, 0x10),
        VAL(LINEPROXYREQUEST_SETQUEUEMEASUREMENTPERIOD, 0x11),
        VAL(LINEPROXYREQUEST_GETQUEUEINFO, 0x12),
        VAL(LINEPROXYREQUEST_GETGROUPLIST, 0x13),
        VAL(LINEPROXYREQUEST_SETAGENTSTATEEX, 0x14)},
       20,
       false},
  };
  return groups;
}

// §6.10 and §1.2.
const NamedValue kOtherConstants[] = {
    VAL(LINEOPENOPTION_SINGLEADDRESS, 0x80000000u),
    VAL(LINEOPENOPTION_PROXY, 0x40000000u),
    VAL(LINECALLPRIVILEGE_NONE, 0x1),
    VAL(LINECALLPRIVILEGE_MONITOR, 0x2),
    VAL(LINECALLPRIVILEGE_OWNER, 0x4),
    VAL(LINEINITIALIZEEXOPTION_USEHIDDENWINDOW, 1),
    VAL(LINEINITIALIZEEXOPTION_USEEVENT, 2),
    VAL(LINEINITIALIZEEXOPTION_USECOMPLETIONPORT, 3),
    VAL(LINEINITIALIZEEXOPTION_CALLHUBTRACKING, 0x80000000u),
    VAL(LINEMAPPER, 0xFFFFFFFFu),
    VAL(INITIALIZE_NEGOTIATION, 0xFFFFFFFFu),
    VAL(STRINGFORMAT_ASCII, 1),
    VAL(STRINGFORMAT_DBCS, 2),
    VAL(STRINGFORMAT_UNICODE, 3),
    VAL(STRINGFORMAT_BINARY, 4),
    VAL(LINEADDRESSMODE_ADDRESSID, 1),
    VAL(LINEADDRESSMODE_DIALABLEADDR, 2),
    VAL(LINEADDRCAPFLAGS_ACDGROUP, 0x40000000u),
    VAL(LINEADDRCAPFLAGS_QUEUE, 0x01000000u),
    VAL(TAPI_CURRENT_VERSION, 0x00030001u),
    VAL(TAPI_VERSION2_0, 0x00020000u),
    VAL(TAPI_VERSION2_1, 0x00020001u),
    VAL(TAPI_VERSION2_2, 0x00020002u),
    VAL(TAPI_VERSION3_0, 0x00030000u),
    VAL(TAPI_VERSION3_1, 0x00030001u),
};
#undef VAL

DWORD DwordAt(const void *base, size_t offset) {
  DWORD value;
  std::memcpy(&value, static_cast<const unsigned char *>(base) + offset, sizeof value);
  return value;
}

// ---------------------------------------------------------------- LINEERR_*

TEST(TapiLineErr, EveryCodeHasTheValueOfTheSpecTable) {
  for (const NamedError &e : kLineErrors) {
    EXPECT_EQ(e.value, static_cast<LONG>(e.expected)) << "LINEERR_" << e.name;
  }
}

TEST(TapiLineErr, NinetyFiveCodesFillTheRangeExceptTheTwoGaps) {
  ASSERT_EQ(std::size(kLineErrors), 95u);
  std::set<uint32_t> seen;
  for (const NamedError &e : kLineErrors) seen.insert(static_cast<uint32_t>(e.value));
  EXPECT_EQ(seen.size(), 95u) << "two LINEERR_ codes share a value";
  for (uint32_t v = 0x80000001u; v <= 0x80000061u; ++v) {
    const bool gap = v == 0x80000004u || v == 0x80000031u;
    EXPECT_EQ(seen.count(v), gap ? 0u : 1u) << std::hex << "0x" << v;
  }
}

TEST(TapiLineErr, CodesAreNegativeLongsComparableToResults) {
  static_assert(std::is_same_v<decltype(LINEERR_INVALAGENTSTATE), LONG>);
  static_assert(sizeof(LINEERR_NOMEM) == 4);
  const LONG result = static_cast<LONG>(0x8000005Au);
  EXPECT_EQ(result, LINEERR_INVALAGENTSTATE);
  EXPECT_LT(LINEERR_ALLOCATED, 0);
  EXPECT_LT(LINEERR_SERVICE_NOT_RUNNING, 0);
  // A LINE_REPLY result arrives in a DWORD_PTR and is cast to LONG (§4.2).
  const DWORD_PTR param2 = static_cast<DWORD>(0x80000047u);
  EXPECT_EQ(static_cast<LONG>(param2), LINEERR_NOTREGISTERED);
}

// ------------------------------------------------------------ message IDs

TEST(TapiMessages, IdsAreZeroToThirtyFourAsInTheSpecTable) {
  ASSERT_EQ(std::size(kMessages), 35u);
  std::set<uint32_t> seen;
  for (const NamedValue &m : kMessages) {
    EXPECT_EQ(m.value, m.expected) << m.name;
    seen.insert(m.value);
  }
  EXPECT_EQ(seen.size(), 35u);
  EXPECT_EQ(*seen.begin(), 0u);
  EXPECT_EQ(*seen.rbegin(), 34u);
}

TEST(TapiMessages, CallCenterMessagesHaveTheirIds) {
  EXPECT_EQ(LINE_REPLY, 12u);
  EXPECT_EQ(LINE_AGENTSPECIFIC, 21u);
  EXPECT_EQ(LINE_AGENTSTATUS, 22u);
  EXPECT_EQ(LINE_PROXYREQUEST, 24u);
  EXPECT_EQ(LINE_AGENTSESSIONSTATUS, 27u);
  EXPECT_EQ(LINE_QUEUESTATUS, 28u);
  EXPECT_EQ(LINE_AGENTSTATUSEX, 29u);
  EXPECT_EQ(LINE_GROUPSTATUS, 30u);
  EXPECT_EQ(LINE_PROXYSTATUS, 31u);
}

// ---------------------------------------------------- agent constant groups

TEST(TapiAgentConstants, EachGroupHasTheSpecValuesAndCount) {
  for (const ConstantGroup &g : AgentGroups()) {
    EXPECT_EQ(g.members.size(), g.spec_count) << g.name;
    for (const NamedValue &c : g.members) {
      EXPECT_EQ(c.value, c.expected) << c.name;
      EXPECT_EQ(std::string(c.name).rfind(g.name, 0), 0u) << c.name << " listed under " << g.name;
    }
  }
}

TEST(TapiAgentConstants, ElevenGroupsSeventyTwoValues) {
  size_t total = 0;
  for (const ConstantGroup &g : AgentGroups()) total += g.members.size();
  EXPECT_EQ(AgentGroups().size(), 11u);
  EXPECT_EQ(total, 72u);
}

TEST(TapiAgentConstants, FlagGroupsAreConsecutiveBitsAndRequestTypesConsecutiveNumbers) {
  for (const ConstantGroup &g : AgentGroups()) {
    uint32_t next = 1;
    for (const NamedValue &c : g.members) {
      EXPECT_EQ(c.value, next) << c.name;
      next = g.bit_flags ? next << 1 : next + 1;
    }
  }
}

TEST(TapiAgentConstants, StatusStateBitsAgreeAcrossMessages) {
  // §4.2: the STATE bit of the session and agent status messages is 0x2.
  EXPECT_EQ(LINEAGENTSESSIONSTATUS_STATE, LINEAGENTSTATUSEX_STATE);
  EXPECT_EQ(LINEAGENTSTATUS_STATE, 0x2u);
}

TEST(TapiOtherConstants, HaveTheSpecValues) {
  for (const NamedValue &c : kOtherConstants) EXPECT_EQ(c.value, c.expected) << c.name;
}

// ----------------------------------------------------------------- layouts

TEST(TapiLayout, StructureSizesMatchTheSpec) {
  EXPECT_EQ(sizeof(VARSTRING), 24u);
  EXPECT_EQ(sizeof(LINEAGENTSESSIONINFO), 76u);
  EXPECT_EQ(sizeof(LINEAGENTINFO), 56u);
  EXPECT_EQ(sizeof(LINEAGENTSESSIONLIST), 24u);
  EXPECT_EQ(sizeof(LINEAGENTSESSIONENTRY), 28u);
  EXPECT_EQ(sizeof(LINEAGENTLIST), 24u);
  EXPECT_EQ(sizeof(LINEAGENTENTRY), 28u);
  EXPECT_EQ(sizeof(LINEQUEUEINFO), 52u);
  EXPECT_EQ(sizeof(LINEQUEUELIST), 24u);
  EXPECT_EQ(sizeof(LINEQUEUEENTRY), 12u);
  EXPECT_EQ(sizeof(LINEAGENTGROUPLIST), 24u);
  EXPECT_EQ(sizeof(LINEAGENTGROUPENTRY), 24u);
  EXPECT_EQ(sizeof(LINEAGENTCAPS), 72u);
  EXPECT_EQ(sizeof(LINEAGENTSTATUS), 56u);
  EXPECT_EQ(sizeof(LINEAGENTACTIVITYLIST), 24u);
  EXPECT_EQ(sizeof(LINEAGENTACTIVITYENTRY), 12u);
  EXPECT_EQ(sizeof(LINEEXTENSIONID), 16u);
  EXPECT_EQ(sizeof(LINEPROXYREQUESTLIST), 24u);
  EXPECT_EQ(sizeof(LINEPROXYREQUEST), 108u);
  EXPECT_EQ(sizeof(LINECALLPARAMS), 180u);
  EXPECT_EQ(sizeof(LINEMESSAGE), sizeof(void *) == 8 ? 40u : 24u);
  EXPECT_EQ(sizeof(LINEINITIALIZEEXPARAMS), sizeof(void *) == 8 ? 28u : 24u);
}

TEST(TapiLayout, ProxyRequestIsHeaderPlusLargestUnionMember) {
  const size_t members[] = {
      sizeof(LINEPROXYREQUEST::SetAgentGroup),        sizeof(LINEPROXYREQUEST::SetAgentState),
      sizeof(LINEPROXYREQUEST::SetAgentActivity),     sizeof(LINEPROXYREQUEST::GetAgentCaps),
      sizeof(LINEPROXYREQUEST::GetAgentStatus),       sizeof(LINEPROXYREQUEST::AgentSpecific),
      sizeof(LINEPROXYREQUEST::GetAgentActivityList), sizeof(LINEPROXYREQUEST::GetAgentGroupList),
      sizeof(LINEPROXYREQUEST::CreateAgent),
      sizeof(LINEPROXYREQUEST::SetAgentMeasurementPeriod),
      sizeof(LINEPROXYREQUEST::GetAgentInfo),         sizeof(LINEPROXYREQUEST::CreateAgentSession),
      sizeof(LINEPROXYREQUEST::GetAgentSessionList),
      sizeof(LINEPROXYREQUEST::SetAgentSessionState),
      sizeof(LINEPROXYREQUEST::GetAgentSessionInfo),  sizeof(LINEPROXYREQUEST::GetQueueList),
      sizeof(LINEPROXYREQUEST::SetQueueMeasurementPeriod),
      sizeof(LINEPROXYREQUEST::GetQueueInfo),         sizeof(LINEPROXYREQUEST::GetGroupList),
      sizeof(LINEPROXYREQUEST::SetAgentStateEx),
  };
  ASSERT_EQ(std::size(members), 20u);
  EXPECT_EQ(*std::max_element(std::begin(members), std::end(members)), 80u);
  EXPECT_EQ(sizeof(LINEPROXYREQUEST::GetAgentSessionInfo), 80u);
  EXPECT_EQ(sizeof(LINEPROXYREQUEST::AgentSpecific), 13u);  // Params[1]
  EXPECT_EQ(sizeof(LINEPROXYREQUEST), 28u + 80u);
}

TEST(TapiLayout, UnionMembersStartAtByte28) {
  EXPECT_EQ(offsetof(LINEPROXYREQUEST, dwRequestType), 24u);
  EXPECT_EQ(offsetof(LINEPROXYREQUEST, SetAgentGroup.GroupList), 32u);
  EXPECT_EQ(offsetof(LINEPROXYREQUEST, SetAgentSessionState.dwAgentSessionState), 32u);
  EXPECT_EQ(offsetof(LINEPROXYREQUEST, SetAgentSessionState.dwNextAgentSessionState), 36u);
  EXPECT_EQ(offsetof(LINEPROXYREQUEST, CreateAgentSession.GroupID), 44u);
  EXPECT_EQ(offsetof(LINEPROXYREQUEST, CreateAgentSession.dwWorkingAddressID), 60u);
  EXPECT_EQ(offsetof(LINEPROXYREQUEST, GetQueueList.QueueList), 44u);
  EXPECT_EQ(offsetof(LINEPROXYREQUEST, GetGroupList.GroupList), 28u);
  EXPECT_EQ(offsetof(LINEPROXYREQUEST, AgentSpecific.Params), 40u);
  EXPECT_EQ(offsetof(LINEPROXYREQUEST, SetAgentStateEx.dwNextAgentState), 36u);
}

TEST(TapiLayout, FieldsWithUnalignedOffsetsArePacked) {
  EXPECT_EQ(offsetof(LINEAGENTSESSIONINFO, dateSessionStartTime), 20u);
  EXPECT_EQ(offsetof(LINEAGENTSESSIONINFO, cyACDCallRate), 60u);
  EXPECT_EQ(offsetof(LINEAGENTSESSIONINFO, dwAverageTimeToAnswer), 72u);
  EXPECT_EQ(offsetof(LINEAGENTINFO, cyOverallCallRate), 24u);
  EXPECT_EQ(offsetof(LINEAGENTCAPS, ProxyGUID), 56u);
  EXPECT_EQ(offsetof(LINEAGENTSESSIONENTRY, GroupID), 8u);
  EXPECT_EQ(offsetof(LINEAGENTGROUPENTRY, GroupID.dwGroupID4), 12u);
  EXPECT_EQ(offsetof(LINECALLPARAMS, dwDevSpecificSize), 104u);
  EXPECT_EQ(offsetof(LINECALLPARAMS, dwDevSpecificOffset), 108u);
  EXPECT_EQ(offsetof(LINECALLPARAMS, dwPredictiveAutoTransferStates), 112u);
}

TEST(TapiLayout, GetAgentCapsRequestCarriesCapsAtByte32) {
  std::vector<unsigned char> buffer(sizeof(LINEPROXYREQUEST) + 64);
  auto *req = reinterpret_cast<LINEPROXYREQUEST *>(buffer.data());
  req->dwRequestType = LINEPROXYREQUEST_GETAGENTCAPS;
  req->GetAgentCaps.dwAddressID = 3;
  req->GetAgentCaps.AgentCaps.dwTotalSize = static_cast<DWORD>(sizeof(LINEAGENTCAPS) + 64 - 28);
  req->GetAgentCaps.AgentCaps.dwFeatures = LINEAGENTFEATURE_SETAGENTSTATE;
  req->GetAgentCaps.AgentCaps.ProxyGUID.Data1 = 0xCAFEF00Du;
  EXPECT_EQ(DwordAt(buffer.data(), 24), 4u);
  EXPECT_EQ(DwordAt(buffer.data(), 28), 3u);
  EXPECT_EQ(DwordAt(buffer.data(), 32), 108u);          // AgentCaps.dwTotalSize
  EXPECT_EQ(DwordAt(buffer.data(), 32 + 24), 0x02u);    // dwFeatures
  EXPECT_EQ(DwordAt(buffer.data(), 32 + 56), 0xCAFEF00Du);  // ProxyGUID.Data1
}

TEST(TapiLayout, InitializeExParamsHandlesUnionSharesItsStorage) {
  LINEINITIALIZEEXPARAMS params{};
  params.dwTotalSize = sizeof params;
  params.dwOptions = LINEINITIALIZEEXOPTION_USEEVENT;
  int token = 0;
  params.Handles.hEvent = &token;
  EXPECT_EQ(params.Handles.hEvent, static_cast<HANDLE>(&token));
  EXPECT_EQ(sizeof(params.Handles), sizeof(HANDLE));
  EXPECT_EQ(offsetof(LINEINITIALIZEEXPARAMS, Handles.hEvent),
            offsetof(LINEINITIALIZEEXPARAMS, Handles.hCompletionPort));
  EXPECT_EQ(offsetof(LINEINITIALIZEEXPARAMS, Handles), 16u);
  EXPECT_EQ(offsetof(LINEINITIALIZEEXPARAMS, dwCompletionKey), 16u + sizeof(HANDLE));
}

TEST(TapiLayout, HandlesAreThirtyTwoBitDwords) {
  static_assert(std::is_same_v<HLINEAPP, DWORD>);
  static_assert(std::is_same_v<HLINE, DWORD>);
  static_assert(std::is_same_v<HCALL, DWORD>);
  static_assert(std::is_same_v<HAGENT, DWORD>);
  static_assert(std::is_same_v<HAGENTSESSION, DWORD>);
  static_assert(std::is_same_v<HPHONEAPP, DWORD>);
  static_assert(std::is_same_v<HPHONE, DWORD>);
  static_assert(std::is_same_v<LPHAGENTSESSION, DWORD *>);
  EXPECT_EQ(sizeof(HAGENTSESSION), 4u);
  EXPECT_EQ(sizeof(WCHAR), 4u);  // W strings are wchar_t on Linux, sizes in bytes
}

// -------------------------------------------------------------- prototypes

// The prototypes use exactly the parameter types of §3 (WINAPI is empty on
// Linux, so a function's address has a plain function-pointer type).
TEST(TapiPrototypes, HaveTheParameterTypesOfTheSpec) {
  static_assert(std::is_same_v<decltype(&lineCreateAgentW),
                               LONG (*)(HLINE, LPWSTR, LPWSTR, LPHAGENT)>);
  static_assert(std::is_same_v<decltype(&lineCreateAgentA),
                               LONG (*)(HLINE, LPSTR, LPSTR, LPHAGENT)>);
  static_assert(std::is_same_v<decltype(&lineCreateAgentSessionW),
                               LONG (*)(HLINE, HAGENT, LPWSTR, DWORD, LPGUID, LPHAGENTSESSION)>);
  static_assert(std::is_same_v<decltype(&lineCreateAgentSessionA),
                               LONG (*)(HLINE, HAGENT, LPSTR, DWORD, LPGUID, LPHAGENTSESSION)>);
  static_assert(std::is_same_v<decltype(&lineSetAgentSessionState),
                               LONG (*)(HLINE, HAGENTSESSION, DWORD, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineGetAgentSessionInfo),
                               LONG (*)(HLINE, HAGENTSESSION, LPLINEAGENTSESSIONINFO)>);
  static_assert(std::is_same_v<decltype(&lineGetAgentSessionList),
                               LONG (*)(HLINE, HAGENT, LPLINEAGENTSESSIONLIST)>);
  static_assert(
      std::is_same_v<decltype(&lineGetAgentInfo), LONG (*)(HLINE, HAGENT, LPLINEAGENTINFO)>);
  static_assert(
      std::is_same_v<decltype(&lineSetAgentStateEx), LONG (*)(HLINE, HAGENT, DWORD, DWORD)>);
  static_assert(
      std::is_same_v<decltype(&lineSetAgentMeasurementPeriod), LONG (*)(HLINE, HAGENT, DWORD)>);
  static_assert(
      std::is_same_v<decltype(&lineGetGroupListW), LONG (*)(HLINE, LPLINEAGENTGROUPLIST)>);
  static_assert(
      std::is_same_v<decltype(&lineGetGroupListA), LONG (*)(HLINE, LPLINEAGENTGROUPLIST)>);
  static_assert(
      std::is_same_v<decltype(&lineGetQueueInfo), LONG (*)(HLINE, DWORD, LPLINEQUEUEINFO)>);
  static_assert(std::is_same_v<decltype(&lineGetQueueListW),
                               LONG (*)(HLINE, LPGUID, LPLINEQUEUELIST)>);
  static_assert(std::is_same_v<decltype(&lineGetQueueListA),
                               LONG (*)(HLINE, LPGUID, LPLINEQUEUELIST)>);
  static_assert(
      std::is_same_v<decltype(&lineSetQueueMeasurementPeriod), LONG (*)(HLINE, DWORD, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineGetAgentCapsW),
                               LONG (*)(HLINEAPP, DWORD, DWORD, DWORD, LPLINEAGENTCAPS)>);
  static_assert(std::is_same_v<decltype(&lineGetAgentCapsA),
                               LONG (*)(HLINEAPP, DWORD, DWORD, DWORD, LPLINEAGENTCAPS)>);
  static_assert(std::is_same_v<decltype(&lineGetAgentStatusW),
                               LONG (*)(HLINE, DWORD, LPLINEAGENTSTATUS)>);
  static_assert(std::is_same_v<decltype(&lineGetAgentStatusA),
                               LONG (*)(HLINE, DWORD, LPLINEAGENTSTATUS)>);
  static_assert(std::is_same_v<decltype(&lineGetAgentActivityListW),
                               LONG (*)(HLINE, DWORD, LPLINEAGENTACTIVITYLIST)>);
  static_assert(std::is_same_v<decltype(&lineGetAgentActivityListA),
                               LONG (*)(HLINE, DWORD, LPLINEAGENTACTIVITYLIST)>);
  static_assert(std::is_same_v<decltype(&lineGetAgentGroupListW),
                               LONG (*)(HLINE, DWORD, LPLINEAGENTGROUPLIST)>);
  static_assert(std::is_same_v<decltype(&lineGetAgentGroupListA),
                               LONG (*)(HLINE, DWORD, LPLINEAGENTGROUPLIST)>);
  static_assert(
      std::is_same_v<decltype(&lineSetAgentActivity), LONG (*)(HLINE, DWORD, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineSetAgentGroup),
                               LONG (*)(HLINE, DWORD, LPLINEAGENTGROUPLIST)>);
  static_assert(
      std::is_same_v<decltype(&lineSetAgentState), LONG (*)(HLINE, DWORD, DWORD, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineAgentSpecific),
                               LONG (*)(HLINE, DWORD, DWORD, LPVOID, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineProxyResponse),
                               LONG (*)(HLINE, LPLINEPROXYREQUEST, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineProxyMessage),
                               LONG (*)(HLINE, HCALL, DWORD, DWORD, DWORD, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineGetProxyStatus),
                               LONG (*)(HLINEAPP, DWORD, DWORD, LPLINEPROXYREQUESTLIST)>);
  static_assert(std::is_same_v<decltype(&lineInitializeExW),
                               LONG (*)(LPHLINEAPP, HINSTANCE, LINECALLBACK, LPCWSTR, LPDWORD,
                                        LPDWORD, LPLINEINITIALIZEEXPARAMS)>);
  static_assert(std::is_same_v<decltype(&lineInitializeExA),
                               LONG (*)(LPHLINEAPP, HINSTANCE, LINECALLBACK, LPCSTR, LPDWORD,
                                        LPDWORD, LPLINEINITIALIZEEXPARAMS)>);
  static_assert(std::is_same_v<decltype(&lineNegotiateAPIVersion),
                               LONG (*)(HLINEAPP, DWORD, DWORD, DWORD, LPDWORD,
                                        LPLINEEXTENSIONID)>);
  static_assert(std::is_same_v<decltype(&lineOpenW),
                               LONG (*)(HLINEAPP, DWORD, LPHLINE, DWORD, DWORD, DWORD_PTR, DWORD,
                                        DWORD, LPLINECALLPARAMS)>);
  static_assert(std::is_same_v<decltype(&lineOpenA), decltype(&lineOpenW)>);
  static_assert(std::is_same_v<decltype(&lineClose), LONG (*)(HLINE)>);
  static_assert(std::is_same_v<decltype(&lineShutdown), LONG (*)(HLINEAPP)>);
  static_assert(
      std::is_same_v<decltype(&lineGetMessage), LONG (*)(HLINEAPP, LPLINEMESSAGE, DWORD)>);
  static_assert(std::is_same_v<LINECALLBACK, void (*)(DWORD, DWORD, DWORD_PTR, DWORD_PTR,
                                                      DWORD_PTR, DWORD_PTR)>);
  SUCCEED();  // the checks above are compile-time
}

// ------------------------------------------------------------- A/W mapping

#ifdef UNICODE
#define EXPECTED_SUFFIX "W"
constexpr bool kUnicode = true;
#else
#define EXPECTED_SUFFIX "A"
constexpr bool kUnicode = false;
#endif

TEST(TapiUnicodeMapping, LineCreateAgentNamesTheSelectedForm) {
#ifdef UNICODE
  static_assert(std::is_same_v<decltype(&lineCreateAgent), decltype(&lineCreateAgentW)>);
  static_assert(!std::is_same_v<decltype(&lineCreateAgent), decltype(&lineCreateAgentA)>);
  static_assert(std::is_same_v<decltype(&lineCreateAgentSession),
                               decltype(&lineCreateAgentSessionW)>);
  static_assert(std::is_same_v<decltype(&lineInitializeEx), decltype(&lineInitializeExW)>);
#else
  static_assert(std::is_same_v<decltype(&lineCreateAgent), decltype(&lineCreateAgentA)>);
  static_assert(!std::is_same_v<decltype(&lineCreateAgent), decltype(&lineCreateAgentW)>);
  static_assert(std::is_same_v<decltype(&lineCreateAgentSession),
                               decltype(&lineCreateAgentSessionA)>);
  static_assert(std::is_same_v<decltype(&lineInitializeEx), decltype(&lineInitializeExA)>);
#endif
  constexpr bool names_w =
      std::is_same_v<decltype(&lineCreateAgent), decltype(&lineCreateAgentW)>;
  EXPECT_EQ(names_w, kUnicode);
}

TEST(TapiUnicodeMapping, AllTenUnsuffixedNamesExpandToTheSelectedForm) {
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineCreateAgent), "lineCreateAgent" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineCreateAgentSession),
               "lineCreateAgentSession" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineGetAgentActivityList),
               "lineGetAgentActivityList" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineGetAgentCaps), "lineGetAgentCaps" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineGetAgentGroupList), "lineGetAgentGroupList" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineGetAgentStatus), "lineGetAgentStatus" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineGetGroupList), "lineGetGroupList" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineGetQueueList), "lineGetQueueList" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineInitializeEx), "lineInitializeEx" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineOpen), "lineOpen" EXPECTED_SUFFIX);
}

TEST(TapiUnicodeMapping, SingleFormFunctionsAreNotMacros) {
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineSetAgentSessionState), "lineSetAgentSessionState");
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineGetAgentSessionInfo), "lineGetAgentSessionInfo");
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineProxyResponse), "lineProxyResponse");
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineGetProxyStatus), "lineGetProxyStatus");
}

// Must stay last: removes the mapping to reach the real unsuffixed export.
#undef lineOpen
TEST(TapiUnicodeMapping, UnsuffixedLineOpenExportIsDeclared) {
  static_assert(std::is_same_v<decltype(&lineOpen), decltype(&lineOpenA)>);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineOpen), "lineOpen");
}

}  // namespace
