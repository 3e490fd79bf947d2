/*
 * tapi_c_test.c — <tapi.h> seen from a C11 program, the way a Windows TAPI
 * application written in C uses it: constants, structures filled by hand,
 * and the A/W selection of the unsuffixed names. Built twice, without and
 * with UNICODE; exits non-zero if anything differs from docs/reference/tapi2-agent.md.
 *
 * The functions themselves are not called (they come with the C API layer);
 * they appear only in unevaluated contexts (_Generic), which need no
 * definition.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tapi.h>
#include <wchar.h>

static int failures = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                              \
    }                                                                          \
  } while (0)

#define STRINGIZE2(x) #x
#define STRINGIZE(x) STRINGIZE2(x)

/* Reads the DWORD at a byte offset of a buffer, independent of the
 * structure declarations (so the test sees the bytes, not the fields). */
static DWORD dword_at(const void* base, size_t offset) {
  DWORD value;
  memcpy(&value, (const unsigned char*)base + offset, sizeof value);
  return value;
}

/* A proxy handler answering lineSetAgentSessionState would receive this
 * request (§5.8): the union member sits at byte 28. */
static void test_proxy_request_set_agent_session_state(void) {
  LINEPROXYREQUEST* req = (LINEPROXYREQUEST*)calloc(1, sizeof(LINEPROXYREQUEST));
  CHECK(req != NULL);
  if (req == NULL) return;
  req->dwSize = (DWORD)sizeof(LINEPROXYREQUEST);
  req->dwClientAppAPIVersion = TAPI_VERSION2_2;
  req->dwRequestType = LINEPROXYREQUEST_SETAGENTSESSIONSTATE;
  req->SetAgentSessionState.hAgentSession = 0x1234u;
  req->SetAgentSessionState.dwAgentSessionState = LINEAGENTSESSIONSTATE_READY;
  req->SetAgentSessionState.dwNextAgentSessionState = LINEAGENTSESSIONSTATE_BUSYWRAPUP;

  CHECK(dword_at(req, 0) == 108);
  CHECK(dword_at(req, 20) == 0x00020002u);
  CHECK(dword_at(req, 24) == 0x0Eu);
  CHECK(dword_at(req, 28) == 0x1234u);
  CHECK(dword_at(req, 32) == 0x02u);
  CHECK(dword_at(req, 36) == 0x08u);
  CHECK(offsetof(LINEPROXYREQUEST, SetAgentSessionState) == 28);
  CHECK(offsetof(LINEPROXYREQUEST, SetAgentSessionState.dwAgentSessionState) == 32);
  CHECK(sizeof(LINEPROXYREQUEST) == 108);
  free(req);
}

/* A GetAgentSessionInfo request whose embedded output structure is filled
 * in place by the handler: LINEAGENTSESSIONINFO starts at byte 32. */
static void test_proxy_request_get_agent_session_info(void) {
  LINEPROXYREQUEST* req = (LINEPROXYREQUEST*)calloc(1, sizeof(LINEPROXYREQUEST));
  CHECK(req != NULL);
  if (req == NULL) return;
  req->dwRequestType = LINEPROXYREQUEST_GETAGENTSESSIONINFO;
  req->GetAgentSessionInfo.hAgentSession = 7;
  req->GetAgentSessionInfo.SessionInfo.dwTotalSize = (DWORD)sizeof(LINEAGENTSESSIONINFO);
  req->GetAgentSessionInfo.SessionInfo.dwAgentSessionState = LINEAGENTSESSIONSTATE_BUSYONCALL;
  req->GetAgentSessionInfo.SessionInfo.cyACDCallRate.int64 = 125000; /* 12.5 calls/hour */
  req->GetAgentSessionInfo.SessionInfo.dwAverageTimeToAnswer = 9;

  CHECK(dword_at(req, 24) == 0x0Fu);
  CHECK(dword_at(req, 28) == 7);
  CHECK(dword_at(req, 32) == 76);           /* SessionInfo.dwTotalSize */
  CHECK(dword_at(req, 32 + 12) == 0x04u);   /* dwAgentSessionState */
  CHECK(dword_at(req, 32 + 60) == 125000u); /* low half of cyACDCallRate */
  CHECK(dword_at(req, 32 + 72) == 9);       /* last field ends at byte 108 */
  free(req);
}

/* The create-agent request carries its strings after the fixed part, with
 * offsets from the start of the LINEPROXYREQUEST (§5.8 [DECIDE]). */
static void test_proxy_request_create_agent_strings(void) {
  static const char id[] = "4711";
  const size_t total = sizeof(LINEPROXYREQUEST) + sizeof id;
  unsigned char* buffer = (unsigned char*)calloc(1, total);
  LINEPROXYREQUEST* req = (LINEPROXYREQUEST*)buffer;
  CHECK(buffer != NULL);
  if (buffer == NULL) return;
  req->dwSize = (DWORD)total;
  req->dwRequestType = LINEPROXYREQUEST_CREATEAGENT;
  req->CreateAgent.dwAgentIDSize = (DWORD)sizeof id;
  req->CreateAgent.dwAgentIDOffset = (DWORD)sizeof(LINEPROXYREQUEST);
  memcpy(buffer + req->CreateAgent.dwAgentIDOffset, id, sizeof id);
  req->CreateAgent.hAgent = 99; /* the handler's answer */

  CHECK(dword_at(buffer, 28) == 99);
  CHECK(dword_at(buffer, 32) == 5);
  CHECK(dword_at(buffer, 36) == 108);
  CHECK(strcmp((const char*)buffer + dword_at(buffer, 36), "4711") == 0);
  free(buffer);
}

/* A proxy opens its line with the handled request types in the
 * device-specific part of LINECALLPARAMS (§3.4, §5.9): bytes 104/108. */
static void test_call_params_for_proxy_open(void) {
  static const DWORD types[] = {LINEPROXYREQUEST_CREATEAGENTSESSION, LINEPROXYREQUEST_SETAGENTSESSIONSTATE,
                                LINEPROXYREQUEST_GETAGENTSESSIONINFO};
  const size_t total = sizeof(LINECALLPARAMS) + sizeof types;
  unsigned char* buffer = (unsigned char*)calloc(1, total);
  LINECALLPARAMS* params = (LINECALLPARAMS*)buffer;
  CHECK(buffer != NULL);
  if (buffer == NULL) return;
  params->dwTotalSize = (DWORD)total;
  params->dwDevSpecificSize = (DWORD)sizeof types;
  params->dwDevSpecificOffset = (DWORD)sizeof(LINECALLPARAMS);
  memcpy(buffer + params->dwDevSpecificOffset, types, sizeof types);

  CHECK(sizeof(LINECALLPARAMS) == 180);
  CHECK(dword_at(buffer, 0) == 192);
  CHECK(dword_at(buffer, 104) == 12);
  CHECK(dword_at(buffer, 108) == 180);
  CHECK(dword_at(buffer, 180) == 0x0Cu);
  CHECK(dword_at(buffer, 184) == 0x0Eu);
  CHECK(dword_at(buffer, 188) == 0x0Fu);
  CHECK(offsetof(LINECALLPARAMS, DialParams) == 32);
  CHECK(offsetof(LINECALLPARAMS, dwAddressType) == 176);
  free(buffer);
}

/* A group list as a handler fills it: element name offsets are relative to
 * the list (§1.4 [DECIDE]); W names are wchar_t, sizes in bytes. */
static void test_group_list_offsets_relative_to_list(void) {
  static const WCHAR name[] = L"Sales";
  const size_t fixed = sizeof(LINEAGENTGROUPLIST) + sizeof(LINEAGENTGROUPENTRY);
  const size_t total = fixed + sizeof name;
  unsigned char* buffer = (unsigned char*)calloc(1, total);
  LINEAGENTGROUPLIST* list = (LINEAGENTGROUPLIST*)buffer;
  LINEAGENTGROUPENTRY* entry;
  static const GUID group = {0x11223344u, 0x5566u, 0x7788u, {1, 2, 3, 4, 5, 6, 7, 8}};
  GUID back;
  CHECK(buffer != NULL);
  if (buffer == NULL) return;
  list->dwTotalSize = (DWORD)total;
  list->dwNeededSize = (DWORD)total;
  list->dwUsedSize = (DWORD)total;
  list->dwNumEntries = 1;
  list->dwListSize = (DWORD)sizeof(LINEAGENTGROUPENTRY);
  list->dwListOffset = (DWORD)sizeof(LINEAGENTGROUPLIST);
  entry = (LINEAGENTGROUPENTRY*)(buffer + list->dwListOffset);
  memcpy(&entry->GroupID, &group, sizeof group);
  entry->dwNameSize = (DWORD)sizeof name;
  entry->dwNameOffset = (DWORD)fixed;
  memcpy(buffer + entry->dwNameOffset, name, sizeof name);

  CHECK(sizeof(WCHAR) == 4);
  CHECK(sizeof name == 4 * (5 + 1));
  CHECK(dword_at(buffer, 20) == 24);          /* dwListOffset */
  CHECK(dword_at(buffer, 24) == 0x11223344u); /* GroupID.dwGroupID1 = Data1 */
  CHECK(dword_at(buffer, 24 + 16) == 24);     /* dwNameSize in bytes */
  CHECK(dword_at(buffer, 24 + 20) == 48);     /* dwNameOffset from the list */
  CHECK(entry->GroupID.dwGroupID1 == 0x11223344u);
  memcpy(&back, &entry->GroupID, sizeof back);
  CHECK(IsEqualGUID(&back, &group));
  CHECK(wcscmp((const WCHAR*)(buffer + 48), L"Sales") == 0);
  free(buffer);
}

static void test_sizes(void) {
  CHECK(sizeof(HLINEAPP) == 4 && sizeof(HLINE) == 4 && sizeof(HCALL) == 4);
  CHECK(sizeof(HAGENT) == 4 && sizeof(HAGENTSESSION) == 4);
  CHECK(sizeof(HPHONEAPP) == 4 && sizeof(HPHONE) == 4);
  CHECK(sizeof(VARSTRING) == 24);
  CHECK(sizeof(LINEAGENTSESSIONINFO) == 76);
  CHECK(sizeof(LINEAGENTINFO) == 56);
  CHECK(sizeof(LINEAGENTSESSIONLIST) == 24);
  CHECK(sizeof(LINEAGENTSESSIONENTRY) == 28);
  CHECK(sizeof(LINEAGENTLIST) == 24);
  CHECK(sizeof(LINEAGENTENTRY) == 28);
  CHECK(sizeof(LINEQUEUEINFO) == 52);
  CHECK(sizeof(LINEQUEUELIST) == 24);
  CHECK(sizeof(LINEQUEUEENTRY) == 12);
  CHECK(sizeof(LINEAGENTGROUPLIST) == 24);
  CHECK(sizeof(LINEAGENTGROUPENTRY) == 24);
  CHECK(sizeof(LINEAGENTCAPS) == 72);
  CHECK(sizeof(LINEAGENTSTATUS) == 56);
  CHECK(sizeof(LINEAGENTACTIVITYLIST) == 24);
  CHECK(sizeof(LINEAGENTACTIVITYENTRY) == 12);
  CHECK(sizeof(LINEEXTENSIONID) == 16);
  CHECK(sizeof(LINEPROXYREQUESTLIST) == 24);
  CHECK(sizeof(LINEPROXYREQUEST) == 108);
  CHECK(sizeof(LINEDIALPARAMS) == 16);
  CHECK(sizeof(LINECALLPARAMS) == 180);
  CHECK(sizeof(LINEMESSAGE) == (sizeof(void*) == 8 ? 40u : 24u));
  CHECK(sizeof(LINEINITIALIZEEXPARAMS) == (sizeof(void*) == 8 ? 28u : 24u));
  CHECK(offsetof(LINEAGENTSESSIONINFO, dateSessionStartTime) == 20);
  CHECK(offsetof(LINEAGENTSESSIONINFO, cyACDCallRate) == 60);
  CHECK(offsetof(LINEAGENTINFO, cyOverallCallRate) == 24);
  CHECK(offsetof(LINEAGENTCAPS, ProxyGUID) == 56);
  CHECK(offsetof(LINEAGENTSTATUS, dwValidNextStates) == 52);
  CHECK(offsetof(LINEAGENTSESSIONENTRY, dwWorkingAddressID) == 24);
  CHECK(offsetof(LINEPROXYREQUEST, CreateAgentSession.dwWorkingAddressID) == 60);
  CHECK(offsetof(LINEPROXYREQUEST, GetQueueList.QueueList) == 44);
  CHECK(offsetof(LINEPROXYREQUEST, AgentSpecific.Params) == 40);
  CHECK(offsetof(LINEINITIALIZEEXPARAMS, Handles.hEvent) == 16);
}

static void test_constants(void) {
  /* LINEERR_* are LONG and compare equal to a LONG result (§7). */
  LONG result = (LONG)0x8000005A;
  CHECK(LINEERR_INVALAGENTSTATE == result);
  CHECK(LINEERR_INVALAGENTSTATE < 0);
  CHECK(sizeof(LINEERR_INVALAGENTSTATE) == sizeof(LONG));
  CHECK(LINEERR_ALLOCATED == (LONG)0x80000001);
  CHECK(LINEERR_BEARERMODEUNAVAIL == (LONG)0x80000003);
  CHECK(LINEERR_CALLUNAVAIL == (LONG)0x80000005); /* after the 0x80000004 gap */
  CHECK(LINEERR_INVALMESSAGEID == (LONG)0x80000030);
  CHECK(LINEERR_INVALPARAM == (LONG)0x80000032); /* after the 0x80000031 gap */
  CHECK(LINEERR_NOTREGISTERED == (LONG)0x80000047);
  CHECK(LINEERR_OPERATIONUNAVAIL == (LONG)0x80000049);
  CHECK(LINEERR_INVALAGENTSESSIONSTATE == (LONG)0x8000005F);
  CHECK(LINEERR_SERVICE_NOT_RUNNING == (LONG)0x80000061);

  CHECK(LINE_REPLY == 12 && LINE_PROXYREQUEST == 24 && LINE_AGENTSESSIONSTATUS == 27);
  CHECK(LINE_PROXYSTATUS == 31 && LINE_DEVSPECIFICEX == 34);
  CHECK(LINEPROXYREQUEST_SETAGENTSESSIONSTATE == 0x0E);
  CHECK(LINEPROXYREQUEST_SETAGENTSTATEEX == 0x14);
  CHECK(LINEAGENTSESSIONSTATE_RELEASED == 0x20);
  CHECK(LINEAGENTSTATEEX_RELEASED == 0x40);
  CHECK(LINEAGENTSTATE_UNAVAIL == 0x200);
  CHECK(LINEOPENOPTION_PROXY == 0x40000000u);
  CHECK(LINEOPENOPTION_SINGLEADDRESS == 0x80000000u);
  CHECK(LINEMAPPER == 0xFFFFFFFFu);
  CHECK(INITIALIZE_NEGOTIATION == 0xFFFFFFFFu);
  CHECK(LINEINITIALIZEEXOPTION_USEEVENT == 2);
  CHECK(LINEINITIALIZEEXOPTION_CALLHUBTRACKING == 0x80000000u);
  CHECK(STRINGFORMAT_UNICODE == 3);
  CHECK(LINEADDRCAPFLAGS_ACDGROUP == 0x40000000u && LINEADDRCAPFLAGS_QUEUE == 0x01000000u);
  CHECK(TAPI_CURRENT_VERSION == 0x00030001);
  CHECK(TAPI_VERSION2_2 == 0x00020002);
}

/* The unsuffixed names select W with UNICODE and A without (§1.1, §8). */
#ifdef UNICODE
#define EXPECTED_CHAR WCHAR
#define EXPECTED_SUFFIX "W"
#else
#define EXPECTED_CHAR CHAR
#define EXPECTED_SUFFIX "A"
#endif

static void test_unicode_mapping(void) {
  CHECK(strcmp(STRINGIZE(lineCreateAgent), "lineCreateAgent" EXPECTED_SUFFIX) == 0);
  CHECK(strcmp(STRINGIZE(lineCreateAgentSession), "lineCreateAgentSession" EXPECTED_SUFFIX) == 0);
  CHECK(strcmp(STRINGIZE(lineGetGroupList), "lineGetGroupList" EXPECTED_SUFFIX) == 0);
  CHECK(strcmp(STRINGIZE(lineGetQueueList), "lineGetQueueList" EXPECTED_SUFFIX) == 0);
  CHECK(strcmp(STRINGIZE(lineGetAgentCaps), "lineGetAgentCaps" EXPECTED_SUFFIX) == 0);
  CHECK(strcmp(STRINGIZE(lineGetAgentStatus), "lineGetAgentStatus" EXPECTED_SUFFIX) == 0);
  CHECK(strcmp(STRINGIZE(lineGetAgentActivityList), "lineGetAgentActivityList" EXPECTED_SUFFIX) == 0);
  CHECK(strcmp(STRINGIZE(lineGetAgentGroupList), "lineGetAgentGroupList" EXPECTED_SUFFIX) == 0);
  CHECK(strcmp(STRINGIZE(lineInitializeEx), "lineInitializeEx" EXPECTED_SUFFIX) == 0);
  CHECK(strcmp(STRINGIZE(lineOpen), "lineOpen" EXPECTED_SUFFIX) == 0);
  /* The mapped function takes strings of the selected character type. The
   * controlling expression of _Generic is not evaluated. */
  CHECK(_Generic(&lineCreateAgent, LONG(*)(HLINE, EXPECTED_CHAR*, EXPECTED_CHAR*, LPHAGENT) : 1, default : 0));
  CHECK(_Generic(&lineCreateAgentSession, LONG(*)(HLINE, HAGENT, EXPECTED_CHAR*, DWORD, LPGUID, LPHAGENTSESSION) : 1,
                 default : 0));
  CHECK(_Generic(&lineInitializeEx,
                 LONG(*)(LPHLINEAPP, HINSTANCE, LINECALLBACK, const EXPECTED_CHAR*, LPDWORD, LPDWORD,
                         LPLINEINITIALIZEEXPARAMS) : 1,
                 default : 0));
}

/* Lines, addresses and calls, as a C call program reads them: the sizes of
 * Microsoft's structures with every TAPI 3.0 field, a LINECALLINFO filled
 * the way lineGetCallInfo returns caller ID, and the call constants. */
static void test_calls(void) {
  unsigned char buffer[sizeof(LINECALLINFO) + 16];
  LINECALLINFO* info = (LINECALLINFO*)buffer;
  LINECALLSTATUS status;

  CHECK(sizeof(LINEDEVCAPS) == 292);
  CHECK(sizeof(LINEADDRESSCAPS) == 228);
  CHECK(sizeof(LINEADDRESSSTATUS) == 64);
  CHECK(sizeof(LINEDEVSTATUS) == 88);
  CHECK(sizeof(LINECALLINFO) == 344);
  CHECK(sizeof(LINECALLSTATUS) == 56);
  CHECK(sizeof(LINECALLLIST) == 24);
  CHECK(sizeof(LINECALLTREATMENTENTRY) == 12);
  CHECK(sizeof(LINETRANSLATEOUTPUT) == 40);
  CHECK(sizeof(SYSTEMTIME) == 16);
  CHECK(offsetof(LINEDEVCAPS, dwLineNameOffset) == 36);
  CHECK(offsetof(LINEDEVCAPS, PermanentLineGuid) == 252);
  CHECK(offsetof(LINEDEVCAPS, dwAvailableTracking) == 288);
  CHECK(offsetof(LINEADDRESSCAPS, dwAddressOffset) == 20);
  CHECK(offsetof(LINEADDRESSCAPS, dwCallFeatures) == 108);
  CHECK(offsetof(LINEADDRESSCAPS, dwAvailableMediaModes) == 224);
  CHECK(offsetof(LINECALLSTATUS, tStateEntryTime) == 40);

  memset(buffer, 0, sizeof buffer);
  info->dwTotalSize = (DWORD)sizeof buffer;
  info->dwCallerIDFlags = LINECALLPARTYID_ADDRESS;
  info->dwCallerIDSize = 5;
  info->dwCallerIDOffset = (DWORD)sizeof(LINECALLINFO);
  memcpy(buffer + sizeof(LINECALLINFO), "8001", 5);
  CHECK(dword_at(buffer, 108) == 0x08u);
  CHECK(dword_at(buffer, 116) == 344);
  CHECK(strcmp((const char*)buffer + info->dwCallerIDOffset, "8001") == 0);

  memset(&status, 0, sizeof status);
  status.dwCallState = LINECALLSTATE_OFFERING;
  status.dwCallStateMode = LINEOFFERINGMODE_ACTIVE;
  status.dwCallFeatures = LINECALLFEATURE_ANSWER | LINECALLFEATURE_DROP | LINECALLFEATURE_REDIRECT;
  CHECK(dword_at(&status, 12) == 0x02u);
  CHECK(dword_at(&status, 16) == 0x01u);
  CHECK(dword_at(&status, 24) == 0x00020084u);

  CHECK(LINECALLSTATE_IDLE == 0x1 && LINECALLSTATE_CONNECTED == 0x100);
  CHECK(LINECALLSTATE_DISCONNECTED == 0x4000 && LINECALLSTATE_UNKNOWN == 0x8000);
  CHECK(LINEDISCONNECTMODE_NORMAL == 0x1 && LINEDISCONNECTMODE_BADADDRESS == 0x80);
  CHECK(LINEDISCONNECTMODE_FDNRESTRICT == 0x00200000u);
  CHECK(LINEMEDIAMODE_INTERACTIVEVOICE == 0x4 && LINEMEDIAMODE_VIDEO == 0x8000);
  CHECK(LINEBUSYMODE_STATION == 0x1 && LINEBEARERMODE_VOICE == 0x1);
  CHECK(LINECALLREASON_TRANSFER == 0x100 && LINECALLREASON_REDIRECT == 0x40);
  CHECK(LINECALLFEATURE_SETCALLDATA == 0x80000000u && LINECALLFEATURE_UNHOLD == 0x08000000u);
  CHECK(LINEADDRCAPFLAGS_ROUTEPOINT == 0x02000000u);
  CHECK(LINEADDRESSSTATE_INUSEZERO == 0x4 && LINEADDRESSSTATE_NUMCALLS == 0x20);
  CHECK(LINEDEVCAPFLAGS_CALLHUB == 0x400 && LINEDEVCAPFLAGS_LOCAL == 0x2000);
  CHECK(LINEADDRESSTYPE_PHONENUMBER == 0x1 && LINEADDRESSTYPE_IPADDRESS == 0x10);
  CHECK(LINECALLSELECT_ADDRESS == 0x2 && LINECALLSELECT_CALLID == 0x10);
  CHECK(LINECALLINFOSTATE_CALLDATA == 0x40000000u && LINECALLINFOSTATE_CALLERID == 0x8000);

  /* The mapped names take strings of the selected character type. */
  CHECK(strcmp(STRINGIZE(lineMakeCall), "lineMakeCall" EXPECTED_SUFFIX) == 0);
  CHECK(strcmp(STRINGIZE(lineGetDevCaps), "lineGetDevCaps" EXPECTED_SUFFIX) == 0);
  CHECK(strcmp(STRINGIZE(lineDrop), "lineDrop") == 0);
  CHECK(
      _Generic(&lineMakeCall, LONG(*)(HLINE, LPHCALL, const EXPECTED_CHAR*, DWORD, LPLINECALLPARAMS) : 1, default : 0));
  CHECK(_Generic(&lineRedirect, LONG(*)(HCALL, const EXPECTED_CHAR*, DWORD) : 1, default : 0));
  CHECK(_Generic(&lineGetAddressID, LONG(*)(HLINE, LPDWORD, DWORD, const EXPECTED_CHAR*, DWORD) : 1, default : 0));
  CHECK(_Generic(&lineGetCallInfo, LONG(*)(HCALL, LPLINECALLINFO) : 1, default : 0));
  CHECK(_Generic(&lineDeallocateCall, LONG(*)(HCALL) : 1, default : 0));
  CHECK(_Generic(&lineSetCallData, LONG(*)(HCALL, LPVOID, DWORD) : 1, default : 0));
}

int main(void) {
  test_proxy_request_set_agent_session_state();
  test_proxy_request_get_agent_session_info();
  test_proxy_request_create_agent_strings();
  test_call_params_for_proxy_open();
  test_group_list_offsets_relative_to_list();
  test_sizes();
  test_constants();
  test_unicode_mapping();
  test_calls();
  if (failures != 0) {
    fprintf(stderr, "tapi_c_test (%s): %d check(s) failed\n", EXPECTED_SUFFIX, failures);
    return 1;
  }
  printf("tapi_c_test (%s): tapi.h constants, layouts and A/W mapping as specified\n", EXPECTED_SUFFIX);
  return 0;
}
