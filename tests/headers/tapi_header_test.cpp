// Conformance of <tapi.h> with docs/reference/tapi2-agent.md, from C++: every LINEERR_*
// value and the two gaps, every call-center constant group (counted by
// listing it), the message IDs, structure layouts, prototypes, and the A/W
// selection of the unsuffixed names.
//
// This file is compiled twice: tapi_header_test (ANSI) and
// tapi_header_unicode_test (UNICODE defined). The functions are not defined
// yet; they appear only inside decltype, which does not odr-use them.
#include <gtest/gtest.h>
#include <tapi.h>

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
  const char* name;
  LONG value;         // as the header defines it
  uint32_t expected;  // bit pattern from docs/reference/tapi2-agent.md §7
};

#define ERR(name, bits) \
  { #name, LINEERR_##name, bits }
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
  const char* name;
  uint32_t value;     // as the header defines it
  uint32_t expected;  // from the spec table
};
#define VAL(name, expected) \
  { #name, name, expected }

// §4.1: LINE_* and PHONE_* message IDs 0..34.
const NamedValue kMessages[] = {
    VAL(LINE_ADDRESSSTATE, 0),   VAL(LINE_CALLINFO, 1),
    VAL(LINE_CALLSTATE, 2),      VAL(LINE_CLOSE, 3),
    VAL(LINE_DEVSPECIFIC, 4),    VAL(LINE_DEVSPECIFICFEATURE, 5),
    VAL(LINE_GATHERDIGITS, 6),   VAL(LINE_GENERATE, 7),
    VAL(LINE_LINEDEVSTATE, 8),   VAL(LINE_MONITORDIGITS, 9),
    VAL(LINE_MONITORMEDIA, 10),  VAL(LINE_MONITORTONE, 11),
    VAL(LINE_REPLY, 12),         VAL(LINE_REQUEST, 13),
    VAL(PHONE_BUTTON, 14),       VAL(PHONE_CLOSE, 15),
    VAL(PHONE_DEVSPECIFIC, 16),  VAL(PHONE_REPLY, 17),
    VAL(PHONE_STATE, 18),        VAL(LINE_CREATE, 19),
    VAL(PHONE_CREATE, 20),       VAL(LINE_AGENTSPECIFIC, 21),
    VAL(LINE_AGENTSTATUS, 22),   VAL(LINE_APPNEWCALL, 23),
    VAL(LINE_PROXYREQUEST, 24),  VAL(LINE_REMOVE, 25),
    VAL(PHONE_REMOVE, 26),       VAL(LINE_AGENTSESSIONSTATUS, 27),
    VAL(LINE_QUEUESTATUS, 28),   VAL(LINE_AGENTSTATUSEX, 29),
    VAL(LINE_GROUPSTATUS, 30),   VAL(LINE_PROXYSTATUS, 31),
    VAL(LINE_APPNEWCALLHUB, 32), VAL(LINE_CALLHUBCLOSE, 33),
    VAL(LINE_DEVSPECIFICEX, 34),
};

// §6.1-§6.9: the eleven agent constant groups.
struct ConstantGroup {
  const char* name;
  std::vector<NamedValue> members;
  size_t spec_count;  // from §6 / §8 "6+3+7+3+10+9+6+3+2+3+20"
  bool bit_flags;     // values 1, 2, 4, ... (else 1, 2, 3, ...)
};

const std::vector<ConstantGroup>& AgentGroups() {
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
       {VAL(LINEAGENTSTATEEX_NOTREADY, 0x01), VAL(LINEAGENTSTATEEX_READY, 0x02), VAL(LINEAGENTSTATEEX_BUSYACD, 0x04),
        VAL(LINEAGENTSTATEEX_BUSYINCOMING, 0x08), VAL(LINEAGENTSTATEEX_BUSYOUTGOING, 0x10),
        VAL(LINEAGENTSTATEEX_UNKNOWN, 0x20), VAL(LINEAGENTSTATEEX_RELEASED, 0x40)},
       7,
       true},
      {"LINEAGENTSTATUSEX_",
       {VAL(LINEAGENTSTATUSEX_NEWAGENT, 0x01), VAL(LINEAGENTSTATUSEX_STATE, 0x02),
        VAL(LINEAGENTSTATUSEX_UPDATEINFO, 0x04)},
       3,
       true},
      {"LINEAGENTSTATE_",
       {VAL(LINEAGENTSTATE_LOGGEDOFF, 0x001), VAL(LINEAGENTSTATE_NOTREADY, 0x002), VAL(LINEAGENTSTATE_READY, 0x004),
        VAL(LINEAGENTSTATE_BUSYACD, 0x008), VAL(LINEAGENTSTATE_BUSYINCOMING, 0x010),
        VAL(LINEAGENTSTATE_BUSYOUTBOUND, 0x020), VAL(LINEAGENTSTATE_BUSYOTHER, 0x040),
        VAL(LINEAGENTSTATE_WORKINGAFTERCALL, 0x080), VAL(LINEAGENTSTATE_UNKNOWN, 0x100),
        VAL(LINEAGENTSTATE_UNAVAIL, 0x200)},
       10,
       true},
      {"LINEAGENTSTATUS_",
       {VAL(LINEAGENTSTATUS_GROUP, 0x001), VAL(LINEAGENTSTATUS_STATE, 0x002), VAL(LINEAGENTSTATUS_NEXTSTATE, 0x004),
        VAL(LINEAGENTSTATUS_ACTIVITY, 0x008), VAL(LINEAGENTSTATUS_ACTIVITYLIST, 0x010),
        VAL(LINEAGENTSTATUS_GROUPLIST, 0x020), VAL(LINEAGENTSTATUS_CAPSCHANGE, 0x040),
        VAL(LINEAGENTSTATUS_VALIDSTATES, 0x080), VAL(LINEAGENTSTATUS_VALIDNEXTSTATES, 0x100)},
       9,
       true},
      {"LINEAGENTFEATURE_",
       {VAL(LINEAGENTFEATURE_SETAGENTGROUP, 0x01), VAL(LINEAGENTFEATURE_SETAGENTSTATE, 0x02),
        VAL(LINEAGENTFEATURE_SETAGENTACTIVITY, 0x04), VAL(LINEAGENTFEATURE_AGENTSPECIFIC, 0x08),
        VAL(LINEAGENTFEATURE_GETAGENTACTIVITYLIST, 0x10), VAL(LINEAGENTFEATURE_GETAGENTGROUP, 0x20)},
       6,
       true},
      {"LINEQUEUESTATUS_",
       {VAL(LINEQUEUESTATUS_UPDATEINFO, 0x01), VAL(LINEQUEUESTATUS_NEWQUEUE, 0x02),
        VAL(LINEQUEUESTATUS_QUEUEREMOVED, 0x04)},
       3,
       true},
      {"LINEGROUPSTATUS_", {VAL(LINEGROUPSTATUS_NEWGROUP, 0x01), VAL(LINEGROUPSTATUS_GROUPREMOVED, 0x02)}, 2, true},
      {"LINEPROXYSTATUS_",
       {VAL(LINEPROXYSTATUS_OPEN, 0x01), VAL(LINEPROXYSTATUS_CLOSE, 0x02), VAL(LINEPROXYSTATUS_ALLOPENFORACD, 0x04)},
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

DWORD DwordAt(const void* base, size_t offset) {
  DWORD value;
  std::memcpy(&value, static_cast<const unsigned char*>(base) + offset, sizeof value);
  return value;
}

// ---------------------------------------------------------------- LINEERR_*

TEST(TapiLineErr, EveryCodeHasTheValueOfTheSpecTable) {
  for (const NamedError& e : kLineErrors) {
    EXPECT_EQ(e.value, static_cast<LONG>(e.expected)) << "LINEERR_" << e.name;
  }
}

TEST(TapiLineErr, NinetyFiveCodesFillTheRangeExceptTheTwoGaps) {
  ASSERT_EQ(std::size(kLineErrors), 95u);
  std::set<uint32_t> seen;
  for (const NamedError& e : kLineErrors) seen.insert(static_cast<uint32_t>(e.value));
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
  for (const NamedValue& m : kMessages) {
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
  for (const ConstantGroup& g : AgentGroups()) {
    EXPECT_EQ(g.members.size(), g.spec_count) << g.name;
    for (const NamedValue& c : g.members) {
      EXPECT_EQ(c.value, c.expected) << c.name;
      EXPECT_EQ(std::string(c.name).rfind(g.name, 0), 0u) << c.name << " listed under " << g.name;
    }
  }
}

TEST(TapiAgentConstants, ElevenGroupsSeventyTwoValues) {
  size_t total = 0;
  for (const ConstantGroup& g : AgentGroups()) total += g.members.size();
  EXPECT_EQ(AgentGroups().size(), 11u);
  EXPECT_EQ(total, 72u);
}

TEST(TapiAgentConstants, FlagGroupsAreConsecutiveBitsAndRequestTypesConsecutiveNumbers) {
  for (const ConstantGroup& g : AgentGroups()) {
    uint32_t next = 1;
    for (const NamedValue& c : g.members) {
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
  for (const NamedValue& c : kOtherConstants) EXPECT_EQ(c.value, c.expected) << c.name;
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
  EXPECT_EQ(sizeof(LINEMESSAGE), sizeof(void*) == 8 ? 40u : 24u);
  EXPECT_EQ(sizeof(LINEINITIALIZEEXPARAMS), sizeof(void*) == 8 ? 28u : 24u);
}

TEST(TapiLayout, ProxyRequestIsHeaderPlusLargestUnionMember) {
  const size_t members[] = {
      sizeof(LINEPROXYREQUEST::SetAgentGroup),
      sizeof(LINEPROXYREQUEST::SetAgentState),
      sizeof(LINEPROXYREQUEST::SetAgentActivity),
      sizeof(LINEPROXYREQUEST::GetAgentCaps),
      sizeof(LINEPROXYREQUEST::GetAgentStatus),
      sizeof(LINEPROXYREQUEST::AgentSpecific),
      sizeof(LINEPROXYREQUEST::GetAgentActivityList),
      sizeof(LINEPROXYREQUEST::GetAgentGroupList),
      sizeof(LINEPROXYREQUEST::CreateAgent),
      sizeof(LINEPROXYREQUEST::SetAgentMeasurementPeriod),
      sizeof(LINEPROXYREQUEST::GetAgentInfo),
      sizeof(LINEPROXYREQUEST::CreateAgentSession),
      sizeof(LINEPROXYREQUEST::GetAgentSessionList),
      sizeof(LINEPROXYREQUEST::SetAgentSessionState),
      sizeof(LINEPROXYREQUEST::GetAgentSessionInfo),
      sizeof(LINEPROXYREQUEST::GetQueueList),
      sizeof(LINEPROXYREQUEST::SetQueueMeasurementPeriod),
      sizeof(LINEPROXYREQUEST::GetQueueInfo),
      sizeof(LINEPROXYREQUEST::GetGroupList),
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
  auto* req = reinterpret_cast<LINEPROXYREQUEST*>(buffer.data());
  req->dwRequestType = LINEPROXYREQUEST_GETAGENTCAPS;
  req->GetAgentCaps.dwAddressID = 3;
  req->GetAgentCaps.AgentCaps.dwTotalSize = static_cast<DWORD>(sizeof(LINEAGENTCAPS) + 64 - 28);
  req->GetAgentCaps.AgentCaps.dwFeatures = LINEAGENTFEATURE_SETAGENTSTATE;
  req->GetAgentCaps.AgentCaps.ProxyGUID.Data1 = 0xCAFEF00Du;
  EXPECT_EQ(DwordAt(buffer.data(), 24), 4u);
  EXPECT_EQ(DwordAt(buffer.data(), 28), 3u);
  EXPECT_EQ(DwordAt(buffer.data(), 32), 108u);              // AgentCaps.dwTotalSize
  EXPECT_EQ(DwordAt(buffer.data(), 32 + 24), 0x02u);        // dwFeatures
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
  static_assert(std::is_same_v<LPHAGENTSESSION, DWORD*>);
  EXPECT_EQ(sizeof(HAGENTSESSION), 4u);
  EXPECT_EQ(sizeof(WCHAR), 4u);  // W strings are wchar_t on Linux, sizes in bytes
}

// -------------------------------------------------------------- prototypes

// The prototypes use exactly the parameter types of §3 (WINAPI is empty on
// Linux, so a function's address has a plain function-pointer type).
TEST(TapiPrototypes, HaveTheParameterTypesOfTheSpec) {
  static_assert(std::is_same_v<decltype(&lineCreateAgentW), LONG (*)(HLINE, LPWSTR, LPWSTR, LPHAGENT)>);
  static_assert(std::is_same_v<decltype(&lineCreateAgentA), LONG (*)(HLINE, LPSTR, LPSTR, LPHAGENT)>);
  static_assert(std::is_same_v<decltype(&lineCreateAgentSessionW),
                               LONG (*)(HLINE, HAGENT, LPWSTR, DWORD, LPGUID, LPHAGENTSESSION)>);
  static_assert(std::is_same_v<decltype(&lineCreateAgentSessionA),
                               LONG (*)(HLINE, HAGENT, LPSTR, DWORD, LPGUID, LPHAGENTSESSION)>);
  static_assert(std::is_same_v<decltype(&lineSetAgentSessionState), LONG (*)(HLINE, HAGENTSESSION, DWORD, DWORD)>);
  static_assert(
      std::is_same_v<decltype(&lineGetAgentSessionInfo), LONG (*)(HLINE, HAGENTSESSION, LPLINEAGENTSESSIONINFO)>);
  static_assert(std::is_same_v<decltype(&lineGetAgentSessionList), LONG (*)(HLINE, HAGENT, LPLINEAGENTSESSIONLIST)>);
  static_assert(std::is_same_v<decltype(&lineGetAgentInfo), LONG (*)(HLINE, HAGENT, LPLINEAGENTINFO)>);
  static_assert(std::is_same_v<decltype(&lineSetAgentStateEx), LONG (*)(HLINE, HAGENT, DWORD, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineSetAgentMeasurementPeriod), LONG (*)(HLINE, HAGENT, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineGetGroupListW), LONG (*)(HLINE, LPLINEAGENTGROUPLIST)>);
  static_assert(std::is_same_v<decltype(&lineGetGroupListA), LONG (*)(HLINE, LPLINEAGENTGROUPLIST)>);
  static_assert(std::is_same_v<decltype(&lineGetQueueInfo), LONG (*)(HLINE, DWORD, LPLINEQUEUEINFO)>);
  static_assert(std::is_same_v<decltype(&lineGetQueueListW), LONG (*)(HLINE, LPGUID, LPLINEQUEUELIST)>);
  static_assert(std::is_same_v<decltype(&lineGetQueueListA), LONG (*)(HLINE, LPGUID, LPLINEQUEUELIST)>);
  static_assert(std::is_same_v<decltype(&lineSetQueueMeasurementPeriod), LONG (*)(HLINE, DWORD, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineGetAgentCapsW), LONG (*)(HLINEAPP, DWORD, DWORD, DWORD, LPLINEAGENTCAPS)>);
  static_assert(std::is_same_v<decltype(&lineGetAgentCapsA), LONG (*)(HLINEAPP, DWORD, DWORD, DWORD, LPLINEAGENTCAPS)>);
  static_assert(std::is_same_v<decltype(&lineGetAgentStatusW), LONG (*)(HLINE, DWORD, LPLINEAGENTSTATUS)>);
  static_assert(std::is_same_v<decltype(&lineGetAgentStatusA), LONG (*)(HLINE, DWORD, LPLINEAGENTSTATUS)>);
  static_assert(std::is_same_v<decltype(&lineGetAgentActivityListW), LONG (*)(HLINE, DWORD, LPLINEAGENTACTIVITYLIST)>);
  static_assert(std::is_same_v<decltype(&lineGetAgentActivityListA), LONG (*)(HLINE, DWORD, LPLINEAGENTACTIVITYLIST)>);
  static_assert(std::is_same_v<decltype(&lineGetAgentGroupListW), LONG (*)(HLINE, DWORD, LPLINEAGENTGROUPLIST)>);
  static_assert(std::is_same_v<decltype(&lineGetAgentGroupListA), LONG (*)(HLINE, DWORD, LPLINEAGENTGROUPLIST)>);
  static_assert(std::is_same_v<decltype(&lineSetAgentActivity), LONG (*)(HLINE, DWORD, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineSetAgentGroup), LONG (*)(HLINE, DWORD, LPLINEAGENTGROUPLIST)>);
  static_assert(std::is_same_v<decltype(&lineSetAgentState), LONG (*)(HLINE, DWORD, DWORD, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineAgentSpecific), LONG (*)(HLINE, DWORD, DWORD, LPVOID, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineProxyResponse), LONG (*)(HLINE, LPLINEPROXYREQUEST, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineProxyMessage), LONG (*)(HLINE, HCALL, DWORD, DWORD, DWORD, DWORD)>);
  static_assert(
      std::is_same_v<decltype(&lineGetProxyStatus), LONG (*)(HLINEAPP, DWORD, DWORD, LPLINEPROXYREQUESTLIST)>);
  static_assert(std::is_same_v<decltype(&lineInitializeExW), LONG (*)(LPHLINEAPP, HINSTANCE, LINECALLBACK, LPCWSTR,
                                                                      LPDWORD, LPDWORD, LPLINEINITIALIZEEXPARAMS)>);
  static_assert(std::is_same_v<decltype(&lineInitializeExA), LONG (*)(LPHLINEAPP, HINSTANCE, LINECALLBACK, LPCSTR,
                                                                      LPDWORD, LPDWORD, LPLINEINITIALIZEEXPARAMS)>);
  static_assert(std::is_same_v<decltype(&lineNegotiateAPIVersion),
                               LONG (*)(HLINEAPP, DWORD, DWORD, DWORD, LPDWORD, LPLINEEXTENSIONID)>);
  static_assert(std::is_same_v<decltype(&lineOpenW), LONG (*)(HLINEAPP, DWORD, LPHLINE, DWORD, DWORD, DWORD_PTR, DWORD,
                                                              DWORD, LPLINECALLPARAMS)>);
  static_assert(std::is_same_v<decltype(&lineOpenA), decltype(&lineOpenW)>);
  static_assert(std::is_same_v<decltype(&lineClose), LONG (*)(HLINE)>);
  static_assert(std::is_same_v<decltype(&lineShutdown), LONG (*)(HLINEAPP)>);
  static_assert(std::is_same_v<decltype(&lineGetMessage), LONG (*)(HLINEAPP, LPLINEMESSAGE, DWORD)>);
  static_assert(std::is_same_v<LINECALLBACK, void (*)(DWORD, DWORD, DWORD_PTR, DWORD_PTR, DWORD_PTR, DWORD_PTR)>);
  SUCCEED();  // the checks above are compile-time
}

// ------------------------------------------- lines, addresses and calls

// The constant groups of Microsoft's tapi.h for lines, addresses and calls,
// in its order, with the values of its header: bit flags (1, 2, 4, ... from
// the given first bit), numbers (consecutive from the given first value) or
// explicit values (LINECALLORIGIN_ skips 0x08).
enum class Kind { kBits, kNumbers, kExplicit };

struct CallGroup {
  const char* prefix;
  std::vector<NamedValue> members;
  size_t count;
  Kind kind;
};

#define VAL(name, expected) \
  { #name, name, expected }
const std::vector<CallGroup>& CallGroups() {
  static const std::vector<CallGroup> groups = {
      {"LINEADDRCAPFLAGS_",
       {VAL(LINEADDRCAPFLAGS_FWDNUMRINGS, 0x1u),
        VAL(LINEADDRCAPFLAGS_PICKUPGROUPID, 0x2u),
        VAL(LINEADDRCAPFLAGS_SECURE, 0x4u),
        VAL(LINEADDRCAPFLAGS_BLOCKIDDEFAULT, 0x8u),
        VAL(LINEADDRCAPFLAGS_BLOCKIDOVERRIDE, 0x10u),
        VAL(LINEADDRCAPFLAGS_DIALED, 0x20u),
        VAL(LINEADDRCAPFLAGS_ORIGOFFHOOK, 0x40u),
        VAL(LINEADDRCAPFLAGS_DESTOFFHOOK, 0x80u),
        VAL(LINEADDRCAPFLAGS_FWDCONSULT, 0x100u),
        VAL(LINEADDRCAPFLAGS_SETUPCONFNULL, 0x200u),
        VAL(LINEADDRCAPFLAGS_AUTORECONNECT, 0x400u),
        VAL(LINEADDRCAPFLAGS_COMPLETIONID, 0x800u),
        VAL(LINEADDRCAPFLAGS_TRANSFERHELD, 0x1000u),
        VAL(LINEADDRCAPFLAGS_TRANSFERMAKE, 0x2000u),
        VAL(LINEADDRCAPFLAGS_CONFERENCEHELD, 0x4000u),
        VAL(LINEADDRCAPFLAGS_CONFERENCEMAKE, 0x8000u),
        VAL(LINEADDRCAPFLAGS_PARTIALDIAL, 0x10000u),
        VAL(LINEADDRCAPFLAGS_FWDSTATUSVALID, 0x20000u),
        VAL(LINEADDRCAPFLAGS_FWDINTEXTADDR, 0x40000u),
        VAL(LINEADDRCAPFLAGS_FWDBUSYNAADDR, 0x80000u),
        VAL(LINEADDRCAPFLAGS_ACCEPTTOALERT, 0x100000u),
        VAL(LINEADDRCAPFLAGS_CONFDROP, 0x200000u),
        VAL(LINEADDRCAPFLAGS_PICKUPCALLWAIT, 0x400000u),
        VAL(LINEADDRCAPFLAGS_PREDICTIVEDIALER, 0x800000u),
        VAL(LINEADDRCAPFLAGS_QUEUE, 0x1000000u),
        VAL(LINEADDRCAPFLAGS_ROUTEPOINT, 0x2000000u),
        VAL(LINEADDRCAPFLAGS_HOLDMAKESNEW, 0x4000000u),
        VAL(LINEADDRCAPFLAGS_NOINTERNALCALLS, 0x8000000u),
        VAL(LINEADDRCAPFLAGS_NOEXTERNALCALLS, 0x10000000u),
        VAL(LINEADDRCAPFLAGS_SETCALLINGID, 0x20000000u),
        VAL(LINEADDRCAPFLAGS_ACDGROUP, 0x40000000u),
        VAL(LINEADDRCAPFLAGS_NOPSTNADDRESSTRANSLATION, 0x80000000u)},
       32u,
       Kind::kBits},
      {"LINEADDRESSMODE_",
       {VAL(LINEADDRESSMODE_ADDRESSID, 0x1u), VAL(LINEADDRESSMODE_DIALABLEADDR, 0x2u)},
       2u,
       Kind::kBits},
      {"LINEADDRESSSHARING_",
       {VAL(LINEADDRESSSHARING_PRIVATE, 0x1u), VAL(LINEADDRESSSHARING_BRIDGEDEXCL, 0x2u),
        VAL(LINEADDRESSSHARING_BRIDGEDNEW, 0x4u), VAL(LINEADDRESSSHARING_BRIDGEDSHARED, 0x8u),
        VAL(LINEADDRESSSHARING_MONITORED, 0x10u)},
       5u,
       Kind::kBits},
      {"LINEADDRESSSTATE_",
       {VAL(LINEADDRESSSTATE_OTHER, 0x1u), VAL(LINEADDRESSSTATE_DEVSPECIFIC, 0x2u),
        VAL(LINEADDRESSSTATE_INUSEZERO, 0x4u), VAL(LINEADDRESSSTATE_INUSEONE, 0x8u),
        VAL(LINEADDRESSSTATE_INUSEMANY, 0x10u), VAL(LINEADDRESSSTATE_NUMCALLS, 0x20u),
        VAL(LINEADDRESSSTATE_FORWARD, 0x40u), VAL(LINEADDRESSSTATE_TERMINALS, 0x80u),
        VAL(LINEADDRESSSTATE_CAPSCHANGE, 0x100u)},
       9u,
       Kind::kBits},
      {"LINEADDRESSTYPE_",
       {VAL(LINEADDRESSTYPE_PHONENUMBER, 0x1u), VAL(LINEADDRESSTYPE_SDP, 0x2u), VAL(LINEADDRESSTYPE_EMAILNAME, 0x4u),
        VAL(LINEADDRESSTYPE_DOMAINNAME, 0x8u), VAL(LINEADDRESSTYPE_IPADDRESS, 0x10u)},
       5u,
       Kind::kBits},
      {"LINEADDRFEATURE_",
       {VAL(LINEADDRFEATURE_FORWARD, 0x1u), VAL(LINEADDRFEATURE_MAKECALL, 0x2u), VAL(LINEADDRFEATURE_PICKUP, 0x4u),
        VAL(LINEADDRFEATURE_SETMEDIACONTROL, 0x8u), VAL(LINEADDRFEATURE_SETTERMINAL, 0x10u),
        VAL(LINEADDRFEATURE_SETUPCONF, 0x20u), VAL(LINEADDRFEATURE_UNCOMPLETECALL, 0x40u),
        VAL(LINEADDRFEATURE_UNPARK, 0x80u), VAL(LINEADDRFEATURE_PICKUPHELD, 0x100u),
        VAL(LINEADDRFEATURE_PICKUPGROUP, 0x200u), VAL(LINEADDRFEATURE_PICKUPDIRECT, 0x400u),
        VAL(LINEADDRFEATURE_PICKUPWAITING, 0x800u), VAL(LINEADDRFEATURE_FORWARDFWD, 0x1000u),
        VAL(LINEADDRFEATURE_FORWARDDND, 0x2000u)},
       14u,
       Kind::kBits},
      {"LINEANSWERMODE_",
       {VAL(LINEANSWERMODE_NONE, 0x1u), VAL(LINEANSWERMODE_DROP, 0x2u), VAL(LINEANSWERMODE_HOLD, 0x4u)},
       3u,
       Kind::kBits},
      {"LINEBEARERMODE_",
       {VAL(LINEBEARERMODE_VOICE, 0x1u), VAL(LINEBEARERMODE_SPEECH, 0x2u), VAL(LINEBEARERMODE_MULTIUSE, 0x4u),
        VAL(LINEBEARERMODE_DATA, 0x8u), VAL(LINEBEARERMODE_ALTSPEECHDATA, 0x10u),
        VAL(LINEBEARERMODE_NONCALLSIGNALING, 0x20u), VAL(LINEBEARERMODE_PASSTHROUGH, 0x40u),
        VAL(LINEBEARERMODE_RESTRICTEDDATA, 0x80u)},
       8u,
       Kind::kBits},
      {"LINEBUSYMODE_",
       {VAL(LINEBUSYMODE_STATION, 0x1u), VAL(LINEBUSYMODE_TRUNK, 0x2u), VAL(LINEBUSYMODE_UNKNOWN, 0x4u),
        VAL(LINEBUSYMODE_UNAVAIL, 0x8u)},
       4u,
       Kind::kBits},
      {"LINECALLCOMPLCOND_",
       {VAL(LINECALLCOMPLCOND_BUSY, 0x1u), VAL(LINECALLCOMPLCOND_NOANSWER, 0x2u)},
       2u,
       Kind::kBits},
      {"LINECALLCOMPLMODE_",
       {VAL(LINECALLCOMPLMODE_CAMPON, 0x1u), VAL(LINECALLCOMPLMODE_CALLBACK, 0x2u),
        VAL(LINECALLCOMPLMODE_INTRUDE, 0x4u), VAL(LINECALLCOMPLMODE_MESSAGE, 0x8u)},
       4u,
       Kind::kBits},
      {"LINECALLFEATURE_",
       {VAL(LINECALLFEATURE_ACCEPT, 0x1u),
        VAL(LINECALLFEATURE_ADDTOCONF, 0x2u),
        VAL(LINECALLFEATURE_ANSWER, 0x4u),
        VAL(LINECALLFEATURE_BLINDTRANSFER, 0x8u),
        VAL(LINECALLFEATURE_COMPLETECALL, 0x10u),
        VAL(LINECALLFEATURE_COMPLETETRANSF, 0x20u),
        VAL(LINECALLFEATURE_DIAL, 0x40u),
        VAL(LINECALLFEATURE_DROP, 0x80u),
        VAL(LINECALLFEATURE_GATHERDIGITS, 0x100u),
        VAL(LINECALLFEATURE_GENERATEDIGITS, 0x200u),
        VAL(LINECALLFEATURE_GENERATETONE, 0x400u),
        VAL(LINECALLFEATURE_HOLD, 0x800u),
        VAL(LINECALLFEATURE_MONITORDIGITS, 0x1000u),
        VAL(LINECALLFEATURE_MONITORMEDIA, 0x2000u),
        VAL(LINECALLFEATURE_MONITORTONES, 0x4000u),
        VAL(LINECALLFEATURE_PARK, 0x8000u),
        VAL(LINECALLFEATURE_PREPAREADDCONF, 0x10000u),
        VAL(LINECALLFEATURE_REDIRECT, 0x20000u),
        VAL(LINECALLFEATURE_REMOVEFROMCONF, 0x40000u),
        VAL(LINECALLFEATURE_SECURECALL, 0x80000u),
        VAL(LINECALLFEATURE_SENDUSERUSER, 0x100000u),
        VAL(LINECALLFEATURE_SETCALLPARAMS, 0x200000u),
        VAL(LINECALLFEATURE_SETMEDIACONTROL, 0x400000u),
        VAL(LINECALLFEATURE_SETTERMINAL, 0x800000u),
        VAL(LINECALLFEATURE_SETUPCONF, 0x1000000u),
        VAL(LINECALLFEATURE_SETUPTRANSFER, 0x2000000u),
        VAL(LINECALLFEATURE_SWAPHOLD, 0x4000000u),
        VAL(LINECALLFEATURE_UNHOLD, 0x8000000u),
        VAL(LINECALLFEATURE_RELEASEUSERUSERINFO, 0x10000000u),
        VAL(LINECALLFEATURE_SETTREATMENT, 0x20000000u),
        VAL(LINECALLFEATURE_SETQOS, 0x40000000u),
        VAL(LINECALLFEATURE_SETCALLDATA, 0x80000000u)},
       32u,
       Kind::kBits},
      {"LINECALLFEATURE2_",
       {VAL(LINECALLFEATURE2_NOHOLDCONFERENCE, 0x1u), VAL(LINECALLFEATURE2_ONESTEPTRANSFER, 0x2u),
        VAL(LINECALLFEATURE2_COMPLCAMPON, 0x4u), VAL(LINECALLFEATURE2_COMPLCALLBACK, 0x8u),
        VAL(LINECALLFEATURE2_COMPLINTRUDE, 0x10u), VAL(LINECALLFEATURE2_COMPLMESSAGE, 0x20u),
        VAL(LINECALLFEATURE2_TRANSFERNORM, 0x40u), VAL(LINECALLFEATURE2_TRANSFERCONF, 0x80u),
        VAL(LINECALLFEATURE2_PARKDIRECT, 0x100u), VAL(LINECALLFEATURE2_PARKNONDIRECT, 0x200u)},
       10u,
       Kind::kBits},
      {"LINECALLHUBTRACKING_",
       {VAL(LINECALLHUBTRACKING_NONE, 0x0u), VAL(LINECALLHUBTRACKING_PROVIDERLEVEL, 0x1u),
        VAL(LINECALLHUBTRACKING_ALLCALLS, 0x2u)},
       3u,
       Kind::kNumbers},
      {"LINECALLINFOSTATE_",
       {VAL(LINECALLINFOSTATE_OTHER, 0x1u),
        VAL(LINECALLINFOSTATE_DEVSPECIFIC, 0x2u),
        VAL(LINECALLINFOSTATE_BEARERMODE, 0x4u),
        VAL(LINECALLINFOSTATE_RATE, 0x8u),
        VAL(LINECALLINFOSTATE_MEDIAMODE, 0x10u),
        VAL(LINECALLINFOSTATE_APPSPECIFIC, 0x20u),
        VAL(LINECALLINFOSTATE_CALLID, 0x40u),
        VAL(LINECALLINFOSTATE_RELATEDCALLID, 0x80u),
        VAL(LINECALLINFOSTATE_ORIGIN, 0x100u),
        VAL(LINECALLINFOSTATE_REASON, 0x200u),
        VAL(LINECALLINFOSTATE_COMPLETIONID, 0x400u),
        VAL(LINECALLINFOSTATE_NUMOWNERINCR, 0x800u),
        VAL(LINECALLINFOSTATE_NUMOWNERDECR, 0x1000u),
        VAL(LINECALLINFOSTATE_NUMMONITORS, 0x2000u),
        VAL(LINECALLINFOSTATE_TRUNK, 0x4000u),
        VAL(LINECALLINFOSTATE_CALLERID, 0x8000u),
        VAL(LINECALLINFOSTATE_CALLEDID, 0x10000u),
        VAL(LINECALLINFOSTATE_CONNECTEDID, 0x20000u),
        VAL(LINECALLINFOSTATE_REDIRECTIONID, 0x40000u),
        VAL(LINECALLINFOSTATE_REDIRECTINGID, 0x80000u),
        VAL(LINECALLINFOSTATE_DISPLAY, 0x100000u),
        VAL(LINECALLINFOSTATE_USERUSERINFO, 0x200000u),
        VAL(LINECALLINFOSTATE_HIGHLEVELCOMP, 0x400000u),
        VAL(LINECALLINFOSTATE_LOWLEVELCOMP, 0x800000u),
        VAL(LINECALLINFOSTATE_CHARGINGINFO, 0x1000000u),
        VAL(LINECALLINFOSTATE_TERMINAL, 0x2000000u),
        VAL(LINECALLINFOSTATE_DIALPARAMS, 0x4000000u),
        VAL(LINECALLINFOSTATE_MONITORMODES, 0x8000000u),
        VAL(LINECALLINFOSTATE_TREATMENT, 0x10000000u),
        VAL(LINECALLINFOSTATE_QOS, 0x20000000u),
        VAL(LINECALLINFOSTATE_CALLDATA, 0x40000000u)},
       31u,
       Kind::kBits},
      {"LINECALLORIGIN_",
       {VAL(LINECALLORIGIN_OUTBOUND, 0x1u), VAL(LINECALLORIGIN_INTERNAL, 0x2u), VAL(LINECALLORIGIN_EXTERNAL, 0x4u),
        VAL(LINECALLORIGIN_UNKNOWN, 0x10u), VAL(LINECALLORIGIN_UNAVAIL, 0x20u), VAL(LINECALLORIGIN_CONFERENCE, 0x40u),
        VAL(LINECALLORIGIN_INBOUND, 0x80u)},
       7u,
       Kind::kExplicit},
      {"LINECALLPARAMFLAGS_",
       {VAL(LINECALLPARAMFLAGS_SECURE, 0x1u), VAL(LINECALLPARAMFLAGS_IDLE, 0x2u), VAL(LINECALLPARAMFLAGS_BLOCKID, 0x4u),
        VAL(LINECALLPARAMFLAGS_ORIGOFFHOOK, 0x8u), VAL(LINECALLPARAMFLAGS_DESTOFFHOOK, 0x10u),
        VAL(LINECALLPARAMFLAGS_NOHOLDCONFERENCE, 0x20u), VAL(LINECALLPARAMFLAGS_PREDICTIVEDIAL, 0x40u),
        VAL(LINECALLPARAMFLAGS_ONESTEPTRANSFER, 0x80u)},
       8u,
       Kind::kBits},
      {"LINECALLPARTYID_",
       {VAL(LINECALLPARTYID_BLOCKED, 0x1u), VAL(LINECALLPARTYID_OUTOFAREA, 0x2u), VAL(LINECALLPARTYID_NAME, 0x4u),
        VAL(LINECALLPARTYID_ADDRESS, 0x8u), VAL(LINECALLPARTYID_PARTIAL, 0x10u), VAL(LINECALLPARTYID_UNKNOWN, 0x20u),
        VAL(LINECALLPARTYID_UNAVAIL, 0x40u)},
       7u,
       Kind::kBits},
      {"LINECALLPRIVILEGE_",
       {VAL(LINECALLPRIVILEGE_NONE, 0x1u), VAL(LINECALLPRIVILEGE_MONITOR, 0x2u), VAL(LINECALLPRIVILEGE_OWNER, 0x4u)},
       3u,
       Kind::kBits},
      {"LINECALLREASON_",
       {VAL(LINECALLREASON_DIRECT, 0x1u), VAL(LINECALLREASON_FWDBUSY, 0x2u), VAL(LINECALLREASON_FWDNOANSWER, 0x4u),
        VAL(LINECALLREASON_FWDUNCOND, 0x8u), VAL(LINECALLREASON_PICKUP, 0x10u), VAL(LINECALLREASON_UNPARK, 0x20u),
        VAL(LINECALLREASON_REDIRECT, 0x40u), VAL(LINECALLREASON_CALLCOMPLETION, 0x80u),
        VAL(LINECALLREASON_TRANSFER, 0x100u), VAL(LINECALLREASON_REMINDER, 0x200u), VAL(LINECALLREASON_UNKNOWN, 0x400u),
        VAL(LINECALLREASON_UNAVAIL, 0x800u), VAL(LINECALLREASON_INTRUDE, 0x1000u), VAL(LINECALLREASON_PARKED, 0x2000u),
        VAL(LINECALLREASON_CAMPEDON, 0x4000u), VAL(LINECALLREASON_ROUTEREQUEST, 0x8000u)},
       16u,
       Kind::kBits},
      {"LINECALLSELECT_",
       {VAL(LINECALLSELECT_LINE, 0x1u), VAL(LINECALLSELECT_ADDRESS, 0x2u), VAL(LINECALLSELECT_CALL, 0x4u),
        VAL(LINECALLSELECT_DEVICEID, 0x8u), VAL(LINECALLSELECT_CALLID, 0x10u)},
       5u,
       Kind::kBits},
      {"LINECALLSTATE_",
       {VAL(LINECALLSTATE_IDLE, 0x1u), VAL(LINECALLSTATE_OFFERING, 0x2u), VAL(LINECALLSTATE_ACCEPTED, 0x4u),
        VAL(LINECALLSTATE_DIALTONE, 0x8u), VAL(LINECALLSTATE_DIALING, 0x10u), VAL(LINECALLSTATE_RINGBACK, 0x20u),
        VAL(LINECALLSTATE_BUSY, 0x40u), VAL(LINECALLSTATE_SPECIALINFO, 0x80u), VAL(LINECALLSTATE_CONNECTED, 0x100u),
        VAL(LINECALLSTATE_PROCEEDING, 0x200u), VAL(LINECALLSTATE_ONHOLD, 0x400u),
        VAL(LINECALLSTATE_CONFERENCED, 0x800u), VAL(LINECALLSTATE_ONHOLDPENDCONF, 0x1000u),
        VAL(LINECALLSTATE_ONHOLDPENDTRANSFER, 0x2000u), VAL(LINECALLSTATE_DISCONNECTED, 0x4000u),
        VAL(LINECALLSTATE_UNKNOWN, 0x8000u)},
       16u,
       Kind::kBits},
      {"LINECALLTREATMENT_",
       {VAL(LINECALLTREATMENT_SILENCE, 0x1u), VAL(LINECALLTREATMENT_RINGBACK, 0x2u), VAL(LINECALLTREATMENT_BUSY, 0x3u),
        VAL(LINECALLTREATMENT_MUSIC, 0x4u)},
       4u,
       Kind::kNumbers},
      {"LINECARDOPTION_", {VAL(LINECARDOPTION_PREDEFINED, 0x1u), VAL(LINECARDOPTION_HIDDEN, 0x2u)}, 2u, Kind::kBits},
      {"LINECONNECTEDMODE_",
       {VAL(LINECONNECTEDMODE_ACTIVE, 0x1u), VAL(LINECONNECTEDMODE_INACTIVE, 0x2u),
        VAL(LINECONNECTEDMODE_ACTIVEHELD, 0x4u), VAL(LINECONNECTEDMODE_INACTIVEHELD, 0x8u),
        VAL(LINECONNECTEDMODE_CONFIRMED, 0x10u)},
       5u,
       Kind::kBits},
      {"LINEDEVCAPFLAGS_",
       {VAL(LINEDEVCAPFLAGS_CROSSADDRCONF, 0x1u), VAL(LINEDEVCAPFLAGS_HIGHLEVCOMP, 0x2u),
        VAL(LINEDEVCAPFLAGS_LOWLEVCOMP, 0x4u), VAL(LINEDEVCAPFLAGS_MEDIACONTROL, 0x8u),
        VAL(LINEDEVCAPFLAGS_MULTIPLEADDR, 0x10u), VAL(LINEDEVCAPFLAGS_CLOSEDROP, 0x20u),
        VAL(LINEDEVCAPFLAGS_DIALBILLING, 0x40u), VAL(LINEDEVCAPFLAGS_DIALQUIET, 0x80u),
        VAL(LINEDEVCAPFLAGS_DIALDIALTONE, 0x100u), VAL(LINEDEVCAPFLAGS_MSP, 0x200u),
        VAL(LINEDEVCAPFLAGS_CALLHUB, 0x400u), VAL(LINEDEVCAPFLAGS_CALLHUBTRACKING, 0x800u),
        VAL(LINEDEVCAPFLAGS_PRIVATEOBJECTS, 0x1000u), VAL(LINEDEVCAPFLAGS_LOCAL, 0x2000u)},
       14u,
       Kind::kBits},
      {"LINEDEVSTATE_",
       {VAL(LINEDEVSTATE_OTHER, 0x1u),
        VAL(LINEDEVSTATE_RINGING, 0x2u),
        VAL(LINEDEVSTATE_CONNECTED, 0x4u),
        VAL(LINEDEVSTATE_DISCONNECTED, 0x8u),
        VAL(LINEDEVSTATE_MSGWAITON, 0x10u),
        VAL(LINEDEVSTATE_MSGWAITOFF, 0x20u),
        VAL(LINEDEVSTATE_INSERVICE, 0x40u),
        VAL(LINEDEVSTATE_OUTOFSERVICE, 0x80u),
        VAL(LINEDEVSTATE_MAINTENANCE, 0x100u),
        VAL(LINEDEVSTATE_OPEN, 0x200u),
        VAL(LINEDEVSTATE_CLOSE, 0x400u),
        VAL(LINEDEVSTATE_NUMCALLS, 0x800u),
        VAL(LINEDEVSTATE_NUMCOMPLETIONS, 0x1000u),
        VAL(LINEDEVSTATE_TERMINALS, 0x2000u),
        VAL(LINEDEVSTATE_ROAMMODE, 0x4000u),
        VAL(LINEDEVSTATE_BATTERY, 0x8000u),
        VAL(LINEDEVSTATE_SIGNAL, 0x10000u),
        VAL(LINEDEVSTATE_DEVSPECIFIC, 0x20000u),
        VAL(LINEDEVSTATE_REINIT, 0x40000u),
        VAL(LINEDEVSTATE_LOCK, 0x80000u),
        VAL(LINEDEVSTATE_CAPSCHANGE, 0x100000u),
        VAL(LINEDEVSTATE_CONFIGCHANGE, 0x200000u),
        VAL(LINEDEVSTATE_TRANSLATECHANGE, 0x400000u),
        VAL(LINEDEVSTATE_COMPLCANCEL, 0x800000u),
        VAL(LINEDEVSTATE_REMOVED, 0x1000000u)},
       25u,
       Kind::kBits},
      {"LINEDEVSTATUSFLAGS_",
       {VAL(LINEDEVSTATUSFLAGS_CONNECTED, 0x1u), VAL(LINEDEVSTATUSFLAGS_MSGWAIT, 0x2u),
        VAL(LINEDEVSTATUSFLAGS_INSERVICE, 0x4u), VAL(LINEDEVSTATUSFLAGS_LOCKED, 0x8u)},
       4u,
       Kind::kBits},
      {"LINEDIALTONEMODE_",
       {VAL(LINEDIALTONEMODE_NORMAL, 0x1u), VAL(LINEDIALTONEMODE_SPECIAL, 0x2u), VAL(LINEDIALTONEMODE_INTERNAL, 0x4u),
        VAL(LINEDIALTONEMODE_EXTERNAL, 0x8u), VAL(LINEDIALTONEMODE_UNKNOWN, 0x10u),
        VAL(LINEDIALTONEMODE_UNAVAIL, 0x20u)},
       6u,
       Kind::kBits},
      {"LINEDIGITMODE_",
       {VAL(LINEDIGITMODE_PULSE, 0x1u), VAL(LINEDIGITMODE_DTMF, 0x2u), VAL(LINEDIGITMODE_DTMFEND, 0x4u)},
       3u,
       Kind::kBits},
      {"LINEDISCONNECTMODE_",
       {VAL(LINEDISCONNECTMODE_NORMAL, 0x1u),
        VAL(LINEDISCONNECTMODE_UNKNOWN, 0x2u),
        VAL(LINEDISCONNECTMODE_REJECT, 0x4u),
        VAL(LINEDISCONNECTMODE_PICKUP, 0x8u),
        VAL(LINEDISCONNECTMODE_FORWARDED, 0x10u),
        VAL(LINEDISCONNECTMODE_BUSY, 0x20u),
        VAL(LINEDISCONNECTMODE_NOANSWER, 0x40u),
        VAL(LINEDISCONNECTMODE_BADADDRESS, 0x80u),
        VAL(LINEDISCONNECTMODE_UNREACHABLE, 0x100u),
        VAL(LINEDISCONNECTMODE_CONGESTION, 0x200u),
        VAL(LINEDISCONNECTMODE_INCOMPATIBLE, 0x400u),
        VAL(LINEDISCONNECTMODE_UNAVAIL, 0x800u),
        VAL(LINEDISCONNECTMODE_NODIALTONE, 0x1000u),
        VAL(LINEDISCONNECTMODE_NUMBERCHANGED, 0x2000u),
        VAL(LINEDISCONNECTMODE_OUTOFORDER, 0x4000u),
        VAL(LINEDISCONNECTMODE_TEMPFAILURE, 0x8000u),
        VAL(LINEDISCONNECTMODE_QOSUNAVAIL, 0x10000u),
        VAL(LINEDISCONNECTMODE_BLOCKED, 0x20000u),
        VAL(LINEDISCONNECTMODE_DONOTDISTURB, 0x40000u),
        VAL(LINEDISCONNECTMODE_CANCELLED, 0x80000u),
        VAL(LINEDISCONNECTMODE_DESTINATIONBARRED, 0x100000u),
        VAL(LINEDISCONNECTMODE_FDNRESTRICT, 0x200000u)},
       22u,
       Kind::kBits},
      {"LINEEQOSINFO_",
       {VAL(LINEEQOSINFO_NOQOS, 0x1u), VAL(LINEEQOSINFO_ADMISSIONFAILURE, 0x2u), VAL(LINEEQOSINFO_POLICYFAILURE, 0x3u),
        VAL(LINEEQOSINFO_GENERICERROR, 0x4u)},
       4u,
       Kind::kNumbers},
      {"LINEFEATURE_",
       {VAL(LINEFEATURE_DEVSPECIFIC, 0x1u), VAL(LINEFEATURE_DEVSPECIFICFEAT, 0x2u), VAL(LINEFEATURE_FORWARD, 0x4u),
        VAL(LINEFEATURE_MAKECALL, 0x8u), VAL(LINEFEATURE_SETMEDIACONTROL, 0x10u), VAL(LINEFEATURE_SETTERMINAL, 0x20u),
        VAL(LINEFEATURE_SETDEVSTATUS, 0x40u), VAL(LINEFEATURE_FORWARDFWD, 0x80u), VAL(LINEFEATURE_FORWARDDND, 0x100u)},
       9u,
       Kind::kBits},
      {"LINEFORWARDMODE_",
       {VAL(LINEFORWARDMODE_UNCOND, 0x1u), VAL(LINEFORWARDMODE_UNCONDINTERNAL, 0x2u),
        VAL(LINEFORWARDMODE_UNCONDEXTERNAL, 0x4u), VAL(LINEFORWARDMODE_UNCONDSPECIFIC, 0x8u),
        VAL(LINEFORWARDMODE_BUSY, 0x10u), VAL(LINEFORWARDMODE_BUSYINTERNAL, 0x20u),
        VAL(LINEFORWARDMODE_BUSYEXTERNAL, 0x40u), VAL(LINEFORWARDMODE_BUSYSPECIFIC, 0x80u),
        VAL(LINEFORWARDMODE_NOANSW, 0x100u), VAL(LINEFORWARDMODE_NOANSWINTERNAL, 0x200u),
        VAL(LINEFORWARDMODE_NOANSWEXTERNAL, 0x400u), VAL(LINEFORWARDMODE_NOANSWSPECIFIC, 0x800u),
        VAL(LINEFORWARDMODE_BUSYNA, 0x1000u), VAL(LINEFORWARDMODE_BUSYNAINTERNAL, 0x2000u),
        VAL(LINEFORWARDMODE_BUSYNAEXTERNAL, 0x4000u), VAL(LINEFORWARDMODE_BUSYNASPECIFIC, 0x8000u),
        VAL(LINEFORWARDMODE_UNKNOWN, 0x10000u), VAL(LINEFORWARDMODE_UNAVAIL, 0x20000u)},
       18u,
       Kind::kBits},
      {"LINEGATHERTERM_",
       {VAL(LINEGATHERTERM_BUFFERFULL, 0x1u), VAL(LINEGATHERTERM_TERMDIGIT, 0x2u),
        VAL(LINEGATHERTERM_FIRSTTIMEOUT, 0x4u), VAL(LINEGATHERTERM_INTERTIMEOUT, 0x8u),
        VAL(LINEGATHERTERM_CANCEL, 0x10u)},
       5u,
       Kind::kBits},
      {"LINEGENERATETERM_", {VAL(LINEGENERATETERM_DONE, 0x1u), VAL(LINEGENERATETERM_CANCEL, 0x2u)}, 2u, Kind::kBits},
      {"LINELOCATIONOPTION_", {VAL(LINELOCATIONOPTION_PULSEDIAL, 0x1u)}, 1u, Kind::kBits},
      {"LINEMEDIACONTROL_",
       {VAL(LINEMEDIACONTROL_NONE, 0x1u), VAL(LINEMEDIACONTROL_START, 0x2u), VAL(LINEMEDIACONTROL_RESET, 0x4u),
        VAL(LINEMEDIACONTROL_PAUSE, 0x8u), VAL(LINEMEDIACONTROL_RESUME, 0x10u), VAL(LINEMEDIACONTROL_RATEUP, 0x20u),
        VAL(LINEMEDIACONTROL_RATEDOWN, 0x40u), VAL(LINEMEDIACONTROL_RATENORMAL, 0x80u),
        VAL(LINEMEDIACONTROL_VOLUMEUP, 0x100u), VAL(LINEMEDIACONTROL_VOLUMEDOWN, 0x200u),
        VAL(LINEMEDIACONTROL_VOLUMENORMAL, 0x400u)},
       11u,
       Kind::kBits},
      {"LINEMEDIAMODE_",
       {VAL(LINEMEDIAMODE_UNKNOWN, 0x2u), VAL(LINEMEDIAMODE_INTERACTIVEVOICE, 0x4u),
        VAL(LINEMEDIAMODE_AUTOMATEDVOICE, 0x8u), VAL(LINEMEDIAMODE_DATAMODEM, 0x10u), VAL(LINEMEDIAMODE_G3FAX, 0x20u),
        VAL(LINEMEDIAMODE_TDD, 0x40u), VAL(LINEMEDIAMODE_G4FAX, 0x80u), VAL(LINEMEDIAMODE_DIGITALDATA, 0x100u),
        VAL(LINEMEDIAMODE_TELETEX, 0x200u), VAL(LINEMEDIAMODE_VIDEOTEX, 0x400u), VAL(LINEMEDIAMODE_TELEX, 0x800u),
        VAL(LINEMEDIAMODE_MIXED, 0x1000u), VAL(LINEMEDIAMODE_ADSI, 0x2000u), VAL(LINEMEDIAMODE_VOICEVIEW, 0x4000u),
        VAL(LINEMEDIAMODE_VIDEO, 0x8000u)},
       15u,
       Kind::kBits},
      {"LINEOFFERINGMODE_",
       {VAL(LINEOFFERINGMODE_ACTIVE, 0x1u), VAL(LINEOFFERINGMODE_INACTIVE, 0x2u)},
       2u,
       Kind::kBits},
      {"LINEPARKMODE_", {VAL(LINEPARKMODE_DIRECTED, 0x1u), VAL(LINEPARKMODE_NONDIRECTED, 0x2u)}, 2u, Kind::kBits},
      {"LINEQOSSERVICELEVEL_",
       {VAL(LINEQOSSERVICELEVEL_NEEDED, 0x1u), VAL(LINEQOSSERVICELEVEL_IFAVAILABLE, 0x2u),
        VAL(LINEQOSSERVICELEVEL_BESTEFFORT, 0x3u)},
       3u,
       Kind::kNumbers},
      {"LINEREMOVEFROMCONF_",
       {VAL(LINEREMOVEFROMCONF_NONE, 0x1u), VAL(LINEREMOVEFROMCONF_LAST, 0x2u), VAL(LINEREMOVEFROMCONF_ANY, 0x3u)},
       3u,
       Kind::kNumbers},
      {"LINEREQUESTMODE_",
       {VAL(LINEREQUESTMODE_MAKECALL, 0x1u), VAL(LINEREQUESTMODE_MEDIACALL, 0x2u), VAL(LINEREQUESTMODE_DROP, 0x4u)},
       3u,
       Kind::kBits},
      {"LINEROAMMODE_",
       {VAL(LINEROAMMODE_UNKNOWN, 0x1u), VAL(LINEROAMMODE_UNAVAIL, 0x2u), VAL(LINEROAMMODE_HOME, 0x4u),
        VAL(LINEROAMMODE_ROAMA, 0x8u), VAL(LINEROAMMODE_ROAMB, 0x10u)},
       5u,
       Kind::kBits},
      {"LINESPECIALINFO_",
       {VAL(LINESPECIALINFO_NOCIRCUIT, 0x1u), VAL(LINESPECIALINFO_CUSTIRREG, 0x2u), VAL(LINESPECIALINFO_REORDER, 0x4u),
        VAL(LINESPECIALINFO_UNKNOWN, 0x8u), VAL(LINESPECIALINFO_UNAVAIL, 0x10u)},
       5u,
       Kind::kBits},
      {"LINETERMDEV_",
       {VAL(LINETERMDEV_PHONE, 0x1u), VAL(LINETERMDEV_HEADSET, 0x2u), VAL(LINETERMDEV_SPEAKER, 0x4u)},
       3u,
       Kind::kBits},
      {"LINETERMMODE_",
       {VAL(LINETERMMODE_BUTTONS, 0x1u), VAL(LINETERMMODE_LAMPS, 0x2u), VAL(LINETERMMODE_DISPLAY, 0x4u),
        VAL(LINETERMMODE_RINGER, 0x8u), VAL(LINETERMMODE_HOOKSWITCH, 0x10u), VAL(LINETERMMODE_MEDIATOLINE, 0x20u),
        VAL(LINETERMMODE_MEDIAFROMLINE, 0x40u), VAL(LINETERMMODE_MEDIABIDIRECT, 0x80u)},
       8u,
       Kind::kBits},
      {"LINETERMSHARING_",
       {VAL(LINETERMSHARING_PRIVATE, 0x1u), VAL(LINETERMSHARING_SHAREDEXCL, 0x2u),
        VAL(LINETERMSHARING_SHAREDCONF, 0x4u)},
       3u,
       Kind::kBits},
      {"LINETOLLLISTOPTION_",
       {VAL(LINETOLLLISTOPTION_ADD, 0x1u), VAL(LINETOLLLISTOPTION_REMOVE, 0x2u)},
       2u,
       Kind::kBits},
      {"LINETONEMODE_",
       {VAL(LINETONEMODE_CUSTOM, 0x1u), VAL(LINETONEMODE_RINGBACK, 0x2u), VAL(LINETONEMODE_BUSY, 0x4u),
        VAL(LINETONEMODE_BEEP, 0x8u), VAL(LINETONEMODE_BILLING, 0x10u)},
       5u,
       Kind::kBits},
      {"LINETRANSFERMODE_",
       {VAL(LINETRANSFERMODE_TRANSFER, 0x1u), VAL(LINETRANSFERMODE_CONFERENCE, 0x2u)},
       2u,
       Kind::kBits},
      {"LINETRANSLATEOPTION_",
       {VAL(LINETRANSLATEOPTION_CARDOVERRIDE, 0x1u), VAL(LINETRANSLATEOPTION_CANCELCALLWAITING, 0x2u),
        VAL(LINETRANSLATEOPTION_FORCELOCAL, 0x4u), VAL(LINETRANSLATEOPTION_FORCELD, 0x8u)},
       4u,
       Kind::kBits},
      {"LINETRANSLATERESULT_",
       {VAL(LINETRANSLATERESULT_CANONICAL, 0x1u), VAL(LINETRANSLATERESULT_INTERNATIONAL, 0x2u),
        VAL(LINETRANSLATERESULT_LONGDISTANCE, 0x4u), VAL(LINETRANSLATERESULT_LOCAL, 0x8u),
        VAL(LINETRANSLATERESULT_INTOLLLIST, 0x10u), VAL(LINETRANSLATERESULT_NOTINTOLLLIST, 0x20u),
        VAL(LINETRANSLATERESULT_DIALBILLING, 0x40u), VAL(LINETRANSLATERESULT_DIALQUIET, 0x80u),
        VAL(LINETRANSLATERESULT_DIALDIALTONE, 0x100u), VAL(LINETRANSLATERESULT_DIALPROMPT, 0x200u),
        VAL(LINETRANSLATERESULT_VOICEDETECT, 0x400u), VAL(LINETRANSLATERESULT_NOTRANSLATION, 0x800u)},
       12u,
       Kind::kBits},
  };
  return groups;
}
#undef VAL

TEST(TapiCallConstants, EveryValueIsMicrosofts) {
  for (const CallGroup& g : CallGroups()) {
    EXPECT_EQ(g.members.size(), g.count) << g.prefix;
    for (const NamedValue& c : g.members) {
      EXPECT_EQ(c.value, c.expected) << c.name;
      EXPECT_EQ(std::string(c.name).rfind(g.prefix, 0), 0u) << c.name << " listed under " << g.prefix;
    }
  }
}

TEST(TapiCallConstants, FiftyFourGroupsFourHundredThirtyEightValues) {
  size_t total = 0;
  for (const CallGroup& g : CallGroups()) total += g.members.size();
  EXPECT_EQ(CallGroups().size(), 54u);
  EXPECT_EQ(total, 438u);
}

TEST(TapiCallConstants, ValuesOfAGroupAreDistinctAndFlagsAreSingleBits) {
  for (const CallGroup& g : CallGroups()) {
    std::set<uint32_t> seen;
    for (const NamedValue& c : g.members) {
      EXPECT_TRUE(seen.insert(c.value).second) << c.name << " repeats a value of " << g.prefix;
      if (g.kind == Kind::kBits || g.kind == Kind::kExplicit) {
        EXPECT_EQ(c.value & (c.value - 1), 0u) << c.name << " is not a single bit";
      }
    }
  }
}

TEST(TapiCallConstants, OtherLineConstants) {
  EXPECT_EQ(LAST_LINEMEDIAMODE, LINEMEDIAMODE_VIDEO);
  EXPECT_EQ(LAST_LINEREQUESTMODE, LINEREQUESTMODE_MEDIACALL);
  EXPECT_EQ(LINEQOSREQUESTTYPE_SERVICELEVEL, 1u);
  EXPECT_EQ(TAPIMAXDESTADDRESSSIZE, 80);
  EXPECT_EQ(TAPIMAXAPPNAMESIZE, 40);
  EXPECT_EQ(TAPIMAXCALLEDPARTYSIZE, 40);
  EXPECT_EQ(TAPIMAXCOMMENTSIZE, 80);
  EXPECT_EQ(TAPIMAXDEVICECLASSSIZE, 40);
  EXPECT_EQ(TAPIMAXDEVICEIDSIZE, 40);
  // The messages of the call model (docs/calls.md).
  EXPECT_EQ(LINE_ADDRESSSTATE, 0u);
  EXPECT_EQ(LINE_CALLINFO, 1u);
  EXPECT_EQ(LINE_CALLSTATE, 2u);
  EXPECT_EQ(LINE_LINEDEVSTATE, 8u);
  EXPECT_EQ(LINE_APPNEWCALL, 23u);
  // What the switch reports for a fresh internal call.
  EXPECT_EQ(LINECALLPARTYID_ADDRESS | LINECALLPARTYID_NAME, 0x0Cu);
  EXPECT_EQ(LINEMEDIAMODE_INTERACTIVEVOICE, 0x04u);
}

TEST(TapiCallLayout, StructureSizesAreMicrosoftsWithEveryTapi3Field) {
  EXPECT_EQ(sizeof(SYSTEMTIME), 16u);
  EXPECT_EQ(sizeof(LINEADDRESSCAPS), 228u);
  EXPECT_EQ(sizeof(LINEADDRESSSTATUS), 64u);
  EXPECT_EQ(sizeof(LINEAPPINFO), 40u);
  EXPECT_EQ(sizeof(LINECALLHUBTRACKINGINFO), 20u);
  EXPECT_EQ(sizeof(LINECALLINFO), 344u);
  EXPECT_EQ(sizeof(LINECALLLIST), 24u);
  EXPECT_EQ(sizeof(LINECALLSTATUS), 56u);
  EXPECT_EQ(sizeof(LINECALLTREATMENTENTRY), 12u);
  EXPECT_EQ(sizeof(LINEDEVCAPS), 292u);
  EXPECT_EQ(sizeof(LINEDEVSTATUS), 88u);
  EXPECT_EQ(sizeof(LINEFORWARD), 24u);
  EXPECT_EQ(sizeof(LINEFORWARDLIST), 32u);
  EXPECT_EQ(sizeof(LINEGENERATETONE), 16u);
  EXPECT_EQ(sizeof(LINEMONITORTONE), 20u);
  EXPECT_EQ(sizeof(LINETERMCAPS), 12u);
  EXPECT_EQ(sizeof(LINETRANSLATEOUTPUT), 40u);
}

// Where each TAPI version's additions start: the fixed size an application
// of that version passes in dwTotalSize.
TEST(TapiCallLayout, VersionBoundariesOfTheGrowingStructures) {
  EXPECT_EQ(offsetof(LINECALLINFO, dwCallTreatment), 296u);                    // 1.4 size
  EXPECT_EQ(offsetof(LINECALLINFO, dwCallerIDAddressType), 324u);              // 2.x size
  EXPECT_EQ(offsetof(LINEDEVCAPS, dwLineFeatures), 236u);                      // 1.0 size
  EXPECT_EQ(offsetof(LINEDEVCAPS, dwSettableDevStatus), 240u);                 // 1.4 size
  EXPECT_EQ(offsetof(LINEDEVCAPS, PermanentLineGuid), 252u);                   // 2.0/2.1 size
  EXPECT_EQ(offsetof(LINEDEVCAPS, dwAddressTypes), 268u);                      // 2.2 size
  EXPECT_EQ(offsetof(LINEADDRESSCAPS, dwAddressFeatures), 176u);               // 1.0 size
  EXPECT_EQ(offsetof(LINEADDRESSCAPS, dwPredictiveAutoTransferStates), 180u);  // 1.4 size
  EXPECT_EQ(offsetof(LINECALLSTATUS, dwCallFeatures2), 36u);                   // 1.x size
  EXPECT_EQ(offsetof(LINEDEVSTATUS, dwAvailableMediaModes), 76u);              // 1.x size
}

// A LINECALLINFO as a desktop reads it after LINE_APPNEWCALL: caller ID in
// the variable part, located by offsets from the structure's start.
TEST(TapiCallLayout, CallInfoCarriesCallerIdAtMicrosoftsOffsets) {
  std::vector<unsigned char> buffer(sizeof(LINECALLINFO) + 64);
  auto* info = reinterpret_cast<LINECALLINFO*>(buffer.data());
  info->dwTotalSize = static_cast<DWORD>(buffer.size());
  info->hLine = 0x11;
  info->dwAddressID = 2;
  info->dwMediaMode = LINEMEDIAMODE_INTERACTIVEVOICE;
  info->dwCallID = 4711;
  info->dwRelatedCallID = 4710;
  info->DialParams.dwDigitDuration = 90;
  info->dwReason = LINECALLREASON_REDIRECT;
  info->dwCallerIDFlags = LINECALLPARTYID_ADDRESS | LINECALLPARTYID_NAME;
  info->dwCallerIDSize = 5;
  info->dwCallerIDOffset = sizeof(LINECALLINFO);
  std::memcpy(buffer.data() + sizeof(LINECALLINFO), "2001", 5);
  info->dwCalledIDFlags = LINECALLPARTYID_ADDRESS;
  info->dwCallDataSize = 8;
  info->dwRedirectingIDAddressType = LINEADDRESSTYPE_PHONENUMBER;
  EXPECT_EQ(DwordAt(buffer.data(), 12), 0x11u);   // hLine
  EXPECT_EQ(DwordAt(buffer.data(), 20), 2u);      // dwAddressID
  EXPECT_EQ(DwordAt(buffer.data(), 32), 0x04u);   // dwMediaMode
  EXPECT_EQ(DwordAt(buffer.data(), 40), 4711u);   // dwCallID
  EXPECT_EQ(DwordAt(buffer.data(), 44), 4710u);   // dwRelatedCallID
  EXPECT_EQ(DwordAt(buffer.data(), 72), 90u);     // DialParams.dwDigitDuration
  EXPECT_EQ(DwordAt(buffer.data(), 84), 0x40u);   // dwReason
  EXPECT_EQ(DwordAt(buffer.data(), 108), 0x0Cu);  // dwCallerIDFlags
  EXPECT_EQ(DwordAt(buffer.data(), 112), 5u);     // dwCallerIDSize
  EXPECT_EQ(DwordAt(buffer.data(), 116), 344u);   // dwCallerIDOffset
  EXPECT_EQ(DwordAt(buffer.data(), 128), 0x08u);  // dwCalledIDFlags
  EXPECT_EQ(DwordAt(buffer.data(), 300), 8u);     // dwCallDataSize
  EXPECT_EQ(DwordAt(buffer.data(), 340), 0x01u);  // dwRedirectingIDAddressType
  EXPECT_STREQ(reinterpret_cast<const char*>(buffer.data() + DwordAt(buffer.data(), 116)), "2001");
}

TEST(TapiCallLayout, CallStatusAndDevCapsPackedFields) {
  LINECALLSTATUS status{};
  status.dwCallState = LINECALLSTATE_DISCONNECTED;
  status.dwCallStateMode = LINEDISCONNECTMODE_BADADDRESS;
  status.dwCallPrivilege = LINECALLPRIVILEGE_OWNER;
  status.tStateEntryTime.wYear = 2024;
  status.tStateEntryTime.wMilliseconds = 999;
  EXPECT_EQ(DwordAt(&status, 12), 0x4000u);
  EXPECT_EQ(DwordAt(&status, 16), 0x80u);
  EXPECT_EQ(DwordAt(&status, 20), 0x04u);
  WORD year = 0, ms = 0;
  std::memcpy(&year, reinterpret_cast<const unsigned char*>(&status) + 40, 2);
  std::memcpy(&ms, reinterpret_cast<const unsigned char*>(&status) + 54, 2);
  EXPECT_EQ(year, 2024);
  EXPECT_EQ(ms, 999);

  LINEDEVCAPS caps{};
  caps.dwPermanentLineID = 0x10001;
  caps.dwNumAddresses = 2;
  caps.dwMediaModes = LINEMEDIAMODE_INTERACTIVEVOICE;
  caps.MinDialParams.dwDialPause = 7;
  caps.PermanentLineGuid.Data1 = 0xA1B2C3D4u;
  caps.ProtocolGuid.Data1 = 0x01020304u;
  caps.dwAvailableTracking = LINECALLHUBTRACKING_ALLCALLS;
  EXPECT_EQ(DwordAt(&caps, 28), 0x10001u);
  EXPECT_EQ(DwordAt(&caps, 48), 2u);
  EXPECT_EQ(DwordAt(&caps, 60), 0x04u);
  EXPECT_EQ(DwordAt(&caps, 156), 7u);
  EXPECT_EQ(DwordAt(&caps, 252), 0xA1B2C3D4u);
  EXPECT_EQ(DwordAt(&caps, 272), 0x01020304u);
  EXPECT_EQ(DwordAt(&caps, 288), 2u);
}

TEST(TapiCallLayout, CallListIsAnArrayOfCallHandles) {
  std::vector<unsigned char> buffer(sizeof(LINECALLLIST) + 2 * sizeof(HCALL));
  auto* list = reinterpret_cast<LINECALLLIST*>(buffer.data());
  list->dwCallsNumEntries = 2;
  list->dwCallsSize = 2 * sizeof(HCALL);
  list->dwCallsOffset = sizeof(LINECALLLIST);
  const HCALL calls[2] = {0x101, 0x102};
  std::memcpy(buffer.data() + list->dwCallsOffset, calls, sizeof calls);
  EXPECT_EQ(DwordAt(buffer.data(), 12), 2u);
  EXPECT_EQ(DwordAt(buffer.data(), 20), 24u);
  EXPECT_EQ(DwordAt(buffer.data(), 28), 0x102u);
}

// Windows' prototypes, parameter for parameter (LPCSTR / LPCWSTR where
// Microsoft's header has them; the unsuffixed exports are the ANSI form).
TEST(TapiCallPrototypes, HaveTheParameterTypesOfMicrosoftsHeader) {
  using MakeCallA = LONG (*)(HLINE, LPHCALL, LPCSTR, DWORD, LPLINECALLPARAMS);
  using MakeCallW = LONG (*)(HLINE, LPHCALL, LPCWSTR, DWORD, LPLINECALLPARAMS);
  static_assert(std::is_same_v<decltype(&lineMakeCallA), MakeCallA>);
  static_assert(std::is_same_v<decltype(&lineMakeCallW), MakeCallW>);
  using DevCaps = LONG (*)(HLINEAPP, DWORD, DWORD, DWORD, LPLINEDEVCAPS);
  static_assert(std::is_same_v<decltype(&lineGetDevCapsA), DevCaps>);
  static_assert(std::is_same_v<decltype(&lineGetDevCapsW), DevCaps>);
  using AddressCaps = LONG (*)(HLINEAPP, DWORD, DWORD, DWORD, DWORD, LPLINEADDRESSCAPS);
  static_assert(std::is_same_v<decltype(&lineGetAddressCapsA), AddressCaps>);
  static_assert(std::is_same_v<decltype(&lineGetAddressCapsW), AddressCaps>);
  using AddressStatus = LONG (*)(HLINE, DWORD, LPLINEADDRESSSTATUS);
  static_assert(std::is_same_v<decltype(&lineGetAddressStatusA), AddressStatus>);
  static_assert(std::is_same_v<decltype(&lineGetAddressStatusW), AddressStatus>);
  static_assert(std::is_same_v<decltype(&lineGetAddressIDA), LONG (*)(HLINE, LPDWORD, DWORD, LPCSTR, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineGetAddressIDW), LONG (*)(HLINE, LPDWORD, DWORD, LPCWSTR, DWORD)>);
  using DevStatus = LONG (*)(HLINE, LPLINEDEVSTATUS);
  static_assert(std::is_same_v<decltype(&lineGetLineDevStatusA), DevStatus>);
  static_assert(std::is_same_v<decltype(&lineGetLineDevStatusW), DevStatus>);
  static_assert(std::is_same_v<decltype(&lineSetStatusMessages), LONG (*)(HLINE, DWORD, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineGetStatusMessages), LONG (*)(HLINE, LPDWORD, LPDWORD)>);
  static_assert(std::is_same_v<decltype(&lineGetIDA), LONG (*)(HLINE, DWORD, HCALL, DWORD, LPVARSTRING, LPCSTR)>);
  static_assert(std::is_same_v<decltype(&lineGetIDW), LONG (*)(HLINE, DWORD, HCALL, DWORD, LPVARSTRING, LPCWSTR)>);
  static_assert(std::is_same_v<decltype(&lineTranslateAddressA),
                               LONG (*)(HLINEAPP, DWORD, DWORD, LPCSTR, DWORD, DWORD, LPLINETRANSLATEOUTPUT)>);
  static_assert(std::is_same_v<decltype(&lineTranslateAddressW),
                               LONG (*)(HLINEAPP, DWORD, DWORD, LPCWSTR, DWORD, DWORD, LPLINETRANSLATEOUTPUT)>);
  static_assert(std::is_same_v<decltype(&lineDialA), LONG (*)(HCALL, LPCSTR, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineDialW), LONG (*)(HCALL, LPCWSTR, DWORD)>);
  using UserUserInfo = LONG (*)(HCALL, LPCSTR, DWORD);
  static_assert(std::is_same_v<decltype(&lineAccept), UserUserInfo>);
  static_assert(std::is_same_v<decltype(&lineAnswer), UserUserInfo>);
  static_assert(std::is_same_v<decltype(&lineDrop), UserUserInfo>);
  using CallOnly = LONG (*)(HCALL);
  static_assert(std::is_same_v<decltype(&lineDeallocateCall), CallOnly>);
  static_assert(std::is_same_v<decltype(&lineHold), CallOnly>);
  static_assert(std::is_same_v<decltype(&lineUnhold), CallOnly>);
  static_assert(std::is_same_v<decltype(&lineBlindTransferA), LONG (*)(HCALL, LPCSTR, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineBlindTransferW), LONG (*)(HCALL, LPCWSTR, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineRedirectA), LONG (*)(HCALL, LPCSTR, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineRedirectW), LONG (*)(HCALL, LPCWSTR, DWORD)>);
  using CallInfo = LONG (*)(HCALL, LPLINECALLINFO);
  static_assert(std::is_same_v<decltype(&lineGetCallInfoA), CallInfo>);
  static_assert(std::is_same_v<decltype(&lineGetCallInfoW), CallInfo>);
  static_assert(std::is_same_v<decltype(&lineGetCallStatus), LONG (*)(HCALL, LPLINECALLSTATUS)>);
  static_assert(std::is_same_v<decltype(&lineGetNewCalls), LONG (*)(HLINE, DWORD, DWORD, LPLINECALLLIST)>);
  static_assert(std::is_same_v<decltype(&lineSetCallPrivilege), LONG (*)(HCALL, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineSetAppSpecific), LONG (*)(HCALL, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineSetCallData), LONG (*)(HCALL, LPVOID, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineGenerateDigitsA), LONG (*)(HCALL, DWORD, LPCSTR, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineGenerateDigitsW), LONG (*)(HCALL, DWORD, LPCWSTR, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineMonitorDigits), LONG (*)(HCALL, DWORD)>);
  static_assert(
      std::is_same_v<decltype(&lineInitialize), LONG (*)(LPHLINEAPP, HINSTANCE, LINECALLBACK, LPCSTR, LPDWORD)>);
  SUCCEED();  // the checks above are compile-time
}

// The rest of Windows' TAPI 2.2 line API, with Windows' prototypes
// (docs/tapi2.md "The rest of the line API").
TEST(TapiHeaderPrototypes, RestOfTheLineApiHasWindowsPrototypes) {
  static_assert(std::is_same_v<decltype(&lineSwapHold), LONG (*)(HCALL, HCALL)>);
  using SetupTransfer = LONG (*)(HCALL, LPHCALL, LPLINECALLPARAMS);
  static_assert(std::is_same_v<decltype(&lineSetupTransferA), SetupTransfer>);
  static_assert(std::is_same_v<decltype(&lineSetupTransferW), SetupTransfer>);
  static_assert(std::is_same_v<decltype(&lineCompleteTransfer), LONG (*)(HCALL, HCALL, LPHCALL, DWORD)>);
  using SetupConference = LONG (*)(HCALL, HLINE, LPHCALL, LPHCALL, DWORD, LPLINECALLPARAMS);
  static_assert(std::is_same_v<decltype(&lineSetupConferenceA), SetupConference>);
  static_assert(std::is_same_v<decltype(&lineSetupConferenceW), SetupConference>);
  static_assert(std::is_same_v<decltype(&linePrepareAddToConferenceW), SetupTransfer>);
  static_assert(std::is_same_v<decltype(&lineAddToConference), LONG (*)(HCALL, HCALL)>);
  static_assert(std::is_same_v<decltype(&lineRemoveFromConference), LONG (*)(HCALL)>);
  static_assert(std::is_same_v<decltype(&lineGetConfRelatedCalls), LONG (*)(HCALL, LPLINECALLLIST)>);
  static_assert(std::is_same_v<decltype(&lineParkA), LONG (*)(HCALL, DWORD, LPCSTR, LPVARSTRING)>);
  static_assert(std::is_same_v<decltype(&lineParkW), LONG (*)(HCALL, DWORD, LPCWSTR, LPVARSTRING)>);
  static_assert(std::is_same_v<decltype(&lineUnparkA), LONG (*)(HLINE, DWORD, LPHCALL, LPCSTR)>);
  static_assert(std::is_same_v<decltype(&lineUnparkW), LONG (*)(HLINE, DWORD, LPHCALL, LPCWSTR)>);
  static_assert(std::is_same_v<decltype(&linePickupA), LONG (*)(HLINE, DWORD, LPHCALL, LPCSTR, LPCSTR)>);
  static_assert(std::is_same_v<decltype(&linePickupW), LONG (*)(HLINE, DWORD, LPHCALL, LPCWSTR, LPCWSTR)>);
  using Forward = LONG (*)(HLINE, DWORD, DWORD, LPLINEFORWARDLIST, DWORD, LPHCALL, LPLINECALLPARAMS);
  static_assert(std::is_same_v<decltype(&lineForwardA), Forward>);
  static_assert(std::is_same_v<decltype(&lineForwardW), Forward>);
  static_assert(std::is_same_v<decltype(&lineCompleteCall), LONG (*)(HCALL, LPDWORD, DWORD, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineUncompleteCall), LONG (*)(HLINE, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineSecureCall), LONG (*)(HCALL)>);
  static_assert(std::is_same_v<decltype(&lineSendUserUserInfo), LONG (*)(HCALL, LPCSTR, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineReleaseUserUserInfo), LONG (*)(HCALL)>);
  static_assert(std::is_same_v<decltype(&lineSetCallParams), LONG (*)(HCALL, DWORD, DWORD, DWORD, LPLINEDIALPARAMS)>);
  static_assert(std::is_same_v<decltype(&lineSetCallTreatment), LONG (*)(HCALL, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineSetCallQualityOfService), LONG (*)(HCALL, LPVOID, DWORD, LPVOID, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineHandoffA), LONG (*)(HCALL, LPCSTR, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineHandoffW), LONG (*)(HCALL, LPCWSTR, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineMonitorMedia), LONG (*)(HCALL, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineMonitorTones), LONG (*)(HCALL, LPLINEMONITORTONE, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineGenerateTone), LONG (*)(HCALL, DWORD, DWORD, DWORD, LPLINEGENERATETONE)>);
  static_assert(
      std::is_same_v<decltype(&lineGatherDigitsA), LONG (*)(HCALL, DWORD, LPSTR, DWORD, LPCSTR, DWORD, DWORD)>);
  static_assert(
      std::is_same_v<decltype(&lineGatherDigitsW), LONG (*)(HCALL, DWORD, LPWSTR, DWORD, LPCWSTR, DWORD, DWORD)>);
  static_assert(
      std::is_same_v<decltype(&lineSetMediaControl),
                     LONG (*)(HLINE, DWORD, HCALL, DWORD, LPLINEMEDIACONTROLDIGIT, DWORD, LPLINEMEDIACONTROLMEDIA,
                              DWORD, LPLINEMEDIACONTROLTONE, DWORD, LPLINEMEDIACONTROLCALLSTATE, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineSetTerminal), LONG (*)(HLINE, DWORD, HCALL, DWORD, DWORD, DWORD, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineSetMediaMode), LONG (*)(HCALL, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineSetNumRings), LONG (*)(HLINE, DWORD, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineGetNumRings), LONG (*)(HLINE, DWORD, LPDWORD)>);
  static_assert(std::is_same_v<decltype(&lineSetLineDevStatus), LONG (*)(HLINE, DWORD, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineDevSpecific), LONG (*)(HLINE, DWORD, HCALL, LPVOID, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineDevSpecificFeature), LONG (*)(HLINE, DWORD, LPVOID, DWORD)>);
  static_assert(
      std::is_same_v<decltype(&lineNegotiateExtVersion), LONG (*)(HLINEAPP, DWORD, DWORD, DWORD, DWORD, LPDWORD)>);
  static_assert(std::is_same_v<decltype(&lineGetDevConfigA), LONG (*)(DWORD, LPVARSTRING, LPCSTR)>);
  static_assert(std::is_same_v<decltype(&lineGetDevConfigW), LONG (*)(DWORD, LPVARSTRING, LPCWSTR)>);
  static_assert(std::is_same_v<decltype(&lineSetDevConfigA), LONG (*)(DWORD, LPVOID, DWORD, LPCSTR)>);
  static_assert(std::is_same_v<decltype(&lineSetDevConfigW), LONG (*)(DWORD, LPVOID, DWORD, LPCWSTR)>);
  static_assert(std::is_same_v<decltype(&lineConfigDialogA), LONG (*)(DWORD, HWND, LPCSTR)>);
  static_assert(std::is_same_v<decltype(&lineConfigDialogW), LONG (*)(DWORD, HWND, LPCWSTR)>);
  static_assert(
      std::is_same_v<decltype(&lineConfigDialogEditA), LONG (*)(DWORD, HWND, LPCSTR, LPVOID, DWORD, LPVARSTRING)>);
  static_assert(std::is_same_v<decltype(&lineTranslateDialogW), LONG (*)(HLINEAPP, DWORD, DWORD, HWND, LPCWSTR)>);
  static_assert(std::is_same_v<decltype(&lineGetIconA), LONG (*)(DWORD, LPCSTR, LPHICON)>);
  static_assert(std::is_same_v<decltype(&lineGetIconW), LONG (*)(DWORD, LPCWSTR, LPHICON)>);
  static_assert(std::is_same_v<decltype(&lineGetProviderListW), LONG (*)(DWORD, LPLINEPROVIDERLIST)>);
  static_assert(std::is_same_v<decltype(&lineAddProviderA), LONG (*)(LPCSTR, HWND, LPDWORD)>);
  static_assert(std::is_same_v<decltype(&lineRemoveProvider), LONG (*)(DWORD, HWND)>);
  static_assert(std::is_same_v<decltype(&lineConfigProvider), LONG (*)(HWND, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineGetTranslateCapsA), LONG (*)(HLINEAPP, DWORD, LPLINETRANSLATECAPS)>);
  static_assert(std::is_same_v<decltype(&lineSetCurrentLocation), LONG (*)(HLINEAPP, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineGetCountryW), LONG (*)(DWORD, DWORD, LPLINECOUNTRYLIST)>);
  static_assert(std::is_same_v<decltype(&lineSetTollListA), LONG (*)(HLINEAPP, DWORD, LPCSTR, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineGetAppPriorityA),
                               LONG (*)(LPCSTR, DWORD, LPLINEEXTENSIONID, DWORD, LPVARSTRING, LPDWORD)>);
  static_assert(std::is_same_v<decltype(&lineSetAppPriorityW),
                               LONG (*)(LPCWSTR, DWORD, LPLINEEXTENSIONID, DWORD, LPCWSTR, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineRegisterRequestRecipient), LONG (*)(HLINEAPP, DWORD, DWORD, DWORD)>);
  static_assert(std::is_same_v<decltype(&lineGetRequestA), LONG (*)(HLINEAPP, DWORD, LPVOID)>);
  static_assert(std::is_same_v<decltype(&lineGetCallHubTracking), LONG (*)(HLINE, LPLINECALLHUBTRACKINGINFO)>);
  static_assert(std::is_same_v<decltype(&lineGetHubRelatedCalls), LONG (*)(HCALLHUB, HCALL, LPLINECALLLIST)>);
  // Structures of these functions, at Windows' sizes.
  static_assert(sizeof(LINECOUNTRYENTRY) == 44 && sizeof(LINELOCATIONENTRY) == 68 && sizeof(LINECARDENTRY) == 44);
  static_assert(sizeof(LINEPROVIDERENTRY) == 12 && sizeof(LINETRANSLATECAPS) == 44 && sizeof(LINEREQMAKECALL) == 240);
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
  static_assert(std::is_same_v<decltype(&lineCreateAgentSession), decltype(&lineCreateAgentSessionW)>);
  static_assert(std::is_same_v<decltype(&lineInitializeEx), decltype(&lineInitializeExW)>);
#else
  static_assert(std::is_same_v<decltype(&lineCreateAgent), decltype(&lineCreateAgentA)>);
  static_assert(!std::is_same_v<decltype(&lineCreateAgent), decltype(&lineCreateAgentW)>);
  static_assert(std::is_same_v<decltype(&lineCreateAgentSession), decltype(&lineCreateAgentSessionA)>);
  static_assert(std::is_same_v<decltype(&lineInitializeEx), decltype(&lineInitializeExA)>);
#endif
  constexpr bool names_w = std::is_same_v<decltype(&lineCreateAgent), decltype(&lineCreateAgentW)>;
  EXPECT_EQ(names_w, kUnicode);
}

TEST(TapiUnicodeMapping, AllTenUnsuffixedNamesExpandToTheSelectedForm) {
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineCreateAgent), "lineCreateAgent" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineCreateAgentSession), "lineCreateAgentSession" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineGetAgentActivityList), "lineGetAgentActivityList" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineGetAgentCaps), "lineGetAgentCaps" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineGetAgentGroupList), "lineGetAgentGroupList" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineGetAgentStatus), "lineGetAgentStatus" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineGetGroupList), "lineGetGroupList" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineGetQueueList), "lineGetQueueList" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineInitializeEx), "lineInitializeEx" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineOpen), "lineOpen" EXPECTED_SUFFIX);
}

TEST(TapiUnicodeMapping, CallFunctionNamesExpandToTheSelectedForm) {
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineBlindTransfer), "lineBlindTransfer" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineDial), "lineDial" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineGenerateDigits), "lineGenerateDigits" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineGetAddressCaps), "lineGetAddressCaps" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineGetAddressID), "lineGetAddressID" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineGetAddressStatus), "lineGetAddressStatus" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineGetCallInfo), "lineGetCallInfo" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineGetDevCaps), "lineGetDevCaps" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineGetID), "lineGetID" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineGetLineDevStatus), "lineGetLineDevStatus" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineMakeCall), "lineMakeCall" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineRedirect), "lineRedirect" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineTranslateAddress), "lineTranslateAddress" EXPECTED_SUFFIX);
#ifdef UNICODE
  static_assert(std::is_same_v<decltype(&lineMakeCall), decltype(&lineMakeCallW)>);
  static_assert(std::is_same_v<decltype(&lineGetAddressID), decltype(&lineGetAddressIDW)>);
#else
  static_assert(std::is_same_v<decltype(&lineMakeCall), decltype(&lineMakeCallA)>);
  static_assert(std::is_same_v<decltype(&lineGetAddressID), decltype(&lineGetAddressIDA)>);
#endif
}

TEST(TapiUnicodeMapping, SingleFormCallFunctionsAreNotMacros) {
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineAnswer), "lineAnswer");
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineDrop), "lineDrop");
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineDeallocateCall), "lineDeallocateCall");
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineGetCallStatus), "lineGetCallStatus");
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineGetNewCalls), "lineGetNewCalls");
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineHold), "lineHold");
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineUnhold), "lineUnhold");
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineSetCallPrivilege), "lineSetCallPrivilege");
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineSetStatusMessages), "lineSetStatusMessages");
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineSetAppSpecific), "lineSetAppSpecific");
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineSetCallData), "lineSetCallData");
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineInitialize), "lineInitialize");
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

// Microsoft's tapi.h also declares the unsuffixed TAPI 1.x exports of the
// call functions; they are the ANSI form.
#undef lineBlindTransfer
#undef lineDial
#undef lineGenerateDigits
#undef lineGetAddressCaps
#undef lineGetAddressID
#undef lineGetAddressStatus
#undef lineGetCallInfo
#undef lineGetDevCaps
#undef lineGetID
#undef lineGetLineDevStatus
#undef lineMakeCall
#undef lineRedirect
#undef lineTranslateAddress
TEST(TapiUnicodeMapping, UnsuffixedCallExportsAreDeclaredAsTheAnsiForm) {
  static_assert(std::is_same_v<decltype(&lineBlindTransfer), decltype(&lineBlindTransferA)>);
  static_assert(std::is_same_v<decltype(&lineDial), decltype(&lineDialA)>);
  static_assert(std::is_same_v<decltype(&lineGenerateDigits), decltype(&lineGenerateDigitsA)>);
  static_assert(std::is_same_v<decltype(&lineGetAddressCaps), decltype(&lineGetAddressCapsA)>);
  static_assert(std::is_same_v<decltype(&lineGetAddressID), decltype(&lineGetAddressIDA)>);
  static_assert(std::is_same_v<decltype(&lineGetAddressStatus), decltype(&lineGetAddressStatusA)>);
  static_assert(std::is_same_v<decltype(&lineGetCallInfo), decltype(&lineGetCallInfoA)>);
  static_assert(std::is_same_v<decltype(&lineGetDevCaps), decltype(&lineGetDevCapsA)>);
  static_assert(std::is_same_v<decltype(&lineGetID), decltype(&lineGetIDA)>);
  static_assert(std::is_same_v<decltype(&lineGetLineDevStatus), decltype(&lineGetLineDevStatusA)>);
  static_assert(std::is_same_v<decltype(&lineMakeCall), decltype(&lineMakeCallA)>);
  static_assert(std::is_same_v<decltype(&lineRedirect), decltype(&lineRedirectA)>);
  static_assert(std::is_same_v<decltype(&lineTranslateAddress), decltype(&lineTranslateAddressA)>);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineMakeCall), "lineMakeCall");
}

TEST(TapiUnicodeMapping, RestOfTheLineApiNamesExpandToTheSelectedForm) {
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineSetupTransfer), "lineSetupTransfer" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineSetupConference), "lineSetupConference" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(linePrepareAddToConference), "linePrepareAddToConference" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(linePark), "linePark" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineUnpark), "lineUnpark" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(linePickup), "linePickup" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineForward), "lineForward" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineHandoff), "lineHandoff" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineGatherDigits), "lineGatherDigits" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineGetDevConfig), "lineGetDevConfig" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineSetDevConfig), "lineSetDevConfig" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineConfigDialog), "lineConfigDialog" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineConfigDialogEdit), "lineConfigDialogEdit" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineTranslateDialog), "lineTranslateDialog" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineGetIcon), "lineGetIcon" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineGetProviderList), "lineGetProviderList" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineAddProvider), "lineAddProvider" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineGetTranslateCaps), "lineGetTranslateCaps" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineGetCountry), "lineGetCountry" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineSetTollList), "lineSetTollList" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineGetAppPriority), "lineGetAppPriority" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineSetAppPriority), "lineSetAppPriority" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineGetRequest), "lineGetRequest" EXPECTED_SUFFIX);
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineSwapHold), "lineSwapHold");
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineSetMediaMode), "lineSetMediaMode");
  EXPECT_STREQ(OPENTAPI_TEST_STR(lineGetNumRings), "lineGetNumRings");
}

}  // namespace
