// The public TAPI 3 headers against the spec: numeric values, IIDs, layout,
// vtable order and the C `long *` source-compatibility overloads.
// (docs/reference/tapi3-callcenter.md §3, §4, §6; tapi_com.h.)
#include <gtest/gtest.h>
#include <objbase.h>  // the shim Windows code includes; must come first and work alone
#include <tapi3.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <string_view>
#include <type_traits>

namespace {

// ---- Base types and layout ------------------------------------------------

static_assert(sizeof(HRESULT) == 4 && std::is_signed_v<HRESULT>);
static_assert(sizeof(LONG) == 4 && sizeof(ULONG) == 4);
static_assert(sizeof(VARIANT_BOOL) == 2 && VARIANT_TRUE == -1 && VARIANT_FALSE == 0);
static_assert(std::is_same_v<OLECHAR, wchar_t> && std::is_same_v<BSTR, wchar_t*>);
static_assert(sizeof(VARTYPE) == 2 && sizeof(DISPID) == 4 && sizeof(LCID) == 4);
// VARIANT is 16 bytes on 32-bit and 24 on 64-bit platforms, value at offset 8.
static_assert(sizeof(VARIANT) == (sizeof(void*) == 8 ? 24 : 16));
static_assert(offsetof(VARIANT, vt) == 0 && offsetof(VARIANT, lVal) == 8 && offsetof(VARIANT, pdispVal) == 8 &&
              offsetof(VARIANT, cyVal) == 8);
static_assert(std::is_same_v<VARIANTARG, VARIANT>);
// Interfaces are a bare vtable pointer; the long* overloads add no state.
static_assert(sizeof(IUnknown) == sizeof(void*) && sizeof(ITAgentSession) == sizeof(void*));
static_assert(std::is_base_of_v<IDispatch, ITAgentSession> && std::is_base_of_v<IUnknown, IEnumAgentSession> &&
              !std::is_base_of_v<IDispatch, IEnumAgentSession> &&
              std::is_base_of_v<IUnknown, ITTAPIEventNotification> &&
              !std::is_base_of_v<IDispatch, ITTAPIEventNotification>);
// The entry points are declared with their Windows signatures (not yet
// implemented: decltype does not reference the symbols).
static_assert(std::is_same_v<decltype(CoCreateInstance), HRESULT(REFCLSID, LPUNKNOWN, DWORD, REFIID, LPVOID*)>);
static_assert(std::is_same_v<decltype(CoInitializeEx), HRESULT(LPVOID, DWORD)>);
static_assert(std::is_same_v<decltype(CoInitialize), HRESULT(LPVOID)>);
static_assert(std::is_same_v<decltype(CoUninitialize), void()>);
static_assert(std::is_same_v<decltype(tapi_map_lineerr), HRESULT(LONG)>);
static_assert(std::is_same_v<decltype(CoTaskMemAlloc), LPVOID(SIZE_T)>);
static_assert(std::is_same_v<decltype(CoTaskMemRealloc), LPVOID(LPVOID, SIZE_T)>);
static_assert(std::is_same_v<decltype(CoTaskMemFree), void(LPVOID)>);
static_assert(std::is_same_v<decltype(StringFromIID), HRESULT(REFIID, LPOLESTR*)>);
static_assert(std::is_same_v<decltype(StringFromCLSID), HRESULT(REFCLSID, LPOLESTR*)>);
static_assert(std::is_same_v<decltype(StringFromGUID2), int(REFGUID, LPOLESTR, int)>);
static_assert(std::is_same_v<decltype(CLSIDFromString), HRESULT(LPCOLESTR, LPCLSID)>);
static_assert(std::is_same_v<decltype(IIDFromString), HRESULT(LPCOLESTR, LPIID)>);
static_assert(sizeof(SIZE_T) == sizeof(void*));

TEST(Headers, VariantAccessorMacros) {
  VARIANT v;
  VariantInit(&v);
  V_VT(&v) = VT_I4;
  V_I4(&v) = -5;
  EXPECT_EQ(v.lVal, -5);
  V_VT(&v) = VT_DISPATCH;
  V_DISPATCH(&v) = nullptr;
  EXPECT_EQ(v.pdispVal, nullptr);
  EXPECT_EQ(V_VT(&v), VT_DISPATCH);
}

// ---- HRESULT values ---------------------------------------------------------

TEST(Headers, StandardHresults) {
  EXPECT_EQ(S_OK, 0);
  EXPECT_EQ(S_FALSE, 1);
  EXPECT_EQ(static_cast<uint32_t>(E_NOTIMPL), 0x80004001u);
  EXPECT_EQ(static_cast<uint32_t>(E_NOINTERFACE), 0x80004002u);
  EXPECT_EQ(static_cast<uint32_t>(E_POINTER), 0x80004003u);
  EXPECT_EQ(static_cast<uint32_t>(E_FAIL), 0x80004005u);
  EXPECT_EQ(static_cast<uint32_t>(E_UNEXPECTED), 0x8000FFFFu);
  EXPECT_EQ(static_cast<uint32_t>(E_OUTOFMEMORY), 0x8007000Eu);
  EXPECT_EQ(static_cast<uint32_t>(E_INVALIDARG), 0x80070057u);
  EXPECT_EQ(static_cast<uint32_t>(CONNECT_E_NOCONNECTION), 0x80040200u);
  EXPECT_EQ(static_cast<uint32_t>(CONNECT_E_ADVISELIMIT), 0x80040201u);
  EXPECT_EQ(static_cast<uint32_t>(CLASS_E_CLASSNOTAVAILABLE), 0x80040111u);
  EXPECT_EQ(static_cast<uint32_t>(REGDB_E_CLASSNOTREG), 0x80040154u);
  EXPECT_EQ(static_cast<uint32_t>(CO_E_NOTINITIALIZED), 0x800401F0u);
  EXPECT_EQ(static_cast<uint32_t>(RPC_E_CHANGED_MODE), 0x80010106u);
  EXPECT_EQ(static_cast<uint32_t>(CLASS_E_NOAGGREGATION), 0x80040110u);
  EXPECT_EQ(static_cast<uint32_t>(DISP_E_MEMBERNOTFOUND), 0x80020003u);
  EXPECT_EQ(static_cast<uint32_t>(DISP_E_UNKNOWNNAME), 0x80020006u);
  EXPECT_EQ(static_cast<uint32_t>(DISP_E_BADVARTYPE), 0x80020008u);
  EXPECT_EQ(static_cast<uint32_t>(DISP_E_BADINDEX), 0x8002000Bu);
  EXPECT_TRUE(FAILED(E_FAIL) && !FAILED(S_FALSE) && SUCCEEDED(S_FALSE) && !SUCCEEDED(E_POINTER));
}

struct TapiE {
  const char* name;
  HRESULT value;
  uint32_t spec;
};

// docs/reference/tapi3-callcenter.md §6.2, all 90 codes.
const TapiE kTapiE[] = {
    {"TAPI_E_NOTENOUGHMEMORY", TAPI_E_NOTENOUGHMEMORY, 0x80040001u},
    {"TAPI_E_NOITEMS", TAPI_E_NOITEMS, 0x80040002u},
    {"TAPI_E_NOTSUPPORTED", TAPI_E_NOTSUPPORTED, 0x80040003u},
    {"TAPI_E_INVALIDMEDIATYPE", TAPI_E_INVALIDMEDIATYPE, 0x80040004u},
    {"TAPI_E_OPERATIONFAILED", TAPI_E_OPERATIONFAILED, 0x80040005u},
    {"TAPI_E_ALLOCATED", TAPI_E_ALLOCATED, 0x80040006u},
    {"TAPI_E_CALLUNAVAIL", TAPI_E_CALLUNAVAIL, 0x80040007u},
    {"TAPI_E_COMPLETIONOVERRUN", TAPI_E_COMPLETIONOVERRUN, 0x80040008u},
    {"TAPI_E_CONFERENCEFULL", TAPI_E_CONFERENCEFULL, 0x80040009u},
    {"TAPI_E_DIALMODIFIERNOTSUPPORTED", TAPI_E_DIALMODIFIERNOTSUPPORTED, 0x8004000Au},
    {"TAPI_E_INUSE", TAPI_E_INUSE, 0x8004000Bu},
    {"TAPI_E_INVALADDRESS", TAPI_E_INVALADDRESS, 0x8004000Cu},
    {"TAPI_E_INVALADDRESSSTATE", TAPI_E_INVALADDRESSSTATE, 0x8004000Du},
    {"TAPI_E_INVALCALLPARAMS", TAPI_E_INVALCALLPARAMS, 0x8004000Eu},
    {"TAPI_E_INVALCALLPRIVILEGE", TAPI_E_INVALCALLPRIVILEGE, 0x8004000Fu},
    {"TAPI_E_INVALCALLSTATE", TAPI_E_INVALCALLSTATE, 0x80040010u},
    {"TAPI_E_INVALCARD", TAPI_E_INVALCARD, 0x80040011u},
    {"TAPI_E_INVALCOMPLETIONID", TAPI_E_INVALCOMPLETIONID, 0x80040012u},
    {"TAPI_E_INVALCOUNTRYCODE", TAPI_E_INVALCOUNTRYCODE, 0x80040013u},
    {"TAPI_E_INVALDEVICECLASS", TAPI_E_INVALDEVICECLASS, 0x80040014u},
    {"TAPI_E_INVALDIALPARAMS", TAPI_E_INVALDIALPARAMS, 0x80040015u},
    {"TAPI_E_INVALDIGITS", TAPI_E_INVALDIGITS, 0x80040016u},
    {"TAPI_E_INVALGROUPID", TAPI_E_INVALGROUPID, 0x80040017u},
    {"TAPI_E_INVALLOCATION", TAPI_E_INVALLOCATION, 0x80040018u},
    {"TAPI_E_INVALMESSAGEID", TAPI_E_INVALMESSAGEID, 0x80040019u},
    {"TAPI_E_INVALPARKID", TAPI_E_INVALPARKID, 0x8004001Au},
    {"TAPI_E_INVALRATE", TAPI_E_INVALRATE, 0x8004001Bu},
    {"TAPI_E_INVALTIMEOUT", TAPI_E_INVALTIMEOUT, 0x8004001Cu},
    {"TAPI_E_INVALTONE", TAPI_E_INVALTONE, 0x8004001Du},
    {"TAPI_E_INVALLIST", TAPI_E_INVALLIST, 0x8004001Eu},
    {"TAPI_E_INVALMODE", TAPI_E_INVALMODE, 0x8004001Fu},
    {"TAPI_E_NOCONFERENCE", TAPI_E_NOCONFERENCE, 0x80040020u},
    {"TAPI_E_NODEVICE", TAPI_E_NODEVICE, 0x80040021u},
    {"TAPI_E_NOREQUEST", TAPI_E_NOREQUEST, 0x80040022u},
    {"TAPI_E_NOTOWNER", TAPI_E_NOTOWNER, 0x80040023u},
    {"TAPI_E_NOTREGISTERED", TAPI_E_NOTREGISTERED, 0x80040024u},
    {"TAPI_E_REQUESTOVERRUN", TAPI_E_REQUESTOVERRUN, 0x80040025u},
    {"TAPI_E_TARGETNOTFOUND", TAPI_E_TARGETNOTFOUND, 0x80040026u},
    {"TAPI_E_TARGETSELF", TAPI_E_TARGETSELF, 0x80040027u},
    {"TAPI_E_USERUSERINFOTOOBIG", TAPI_E_USERUSERINFOTOOBIG, 0x80040028u},
    {"TAPI_E_REINIT", TAPI_E_REINIT, 0x80040029u},
    {"TAPI_E_ADDRESSBLOCKED", TAPI_E_ADDRESSBLOCKED, 0x8004002Au},
    {"TAPI_E_BILLINGREJECTED", TAPI_E_BILLINGREJECTED, 0x8004002Bu},
    {"TAPI_E_INVALFEATURE", TAPI_E_INVALFEATURE, 0x8004002Cu},
    {"TAPI_E_INVALBUTTONLAMPID", TAPI_E_INVALBUTTONLAMPID, 0x8004002Du},
    {"TAPI_E_INVALBUTTONSTATE", TAPI_E_INVALBUTTONSTATE, 0x8004002Eu},
    {"TAPI_E_INVALDATAID", TAPI_E_INVALDATAID, 0x8004002Fu},
    {"TAPI_E_INVALHOOKSWITCHDEV", TAPI_E_INVALHOOKSWITCHDEV, 0x80040030u},
    {"TAPI_E_DROPPED", TAPI_E_DROPPED, 0x80040031u},
    {"TAPI_E_NOREQUESTRECIPIENT", TAPI_E_NOREQUESTRECIPIENT, 0x80040032u},
    {"TAPI_E_REQUESTQUEUEFULL", TAPI_E_REQUESTQUEUEFULL, 0x80040033u},
    {"TAPI_E_DESTBUSY", TAPI_E_DESTBUSY, 0x80040034u},
    {"TAPI_E_DESTNOANSWER", TAPI_E_DESTNOANSWER, 0x80040035u},
    {"TAPI_E_DESTUNAVAIL", TAPI_E_DESTUNAVAIL, 0x80040036u},
    {"TAPI_E_REQUESTFAILED", TAPI_E_REQUESTFAILED, 0x80040037u},
    {"TAPI_E_REQUESTCANCELLED", TAPI_E_REQUESTCANCELLED, 0x80040038u},
    {"TAPI_E_INVALPRIVILEGE", TAPI_E_INVALPRIVILEGE, 0x80040039u},
    {"TAPI_E_INVALIDDIRECTION", TAPI_E_INVALIDDIRECTION, 0x8004003Au},
    {"TAPI_E_INVALIDTERMINAL", TAPI_E_INVALIDTERMINAL, 0x8004003Bu},
    {"TAPI_E_INVALIDTERMINALCLASS", TAPI_E_INVALIDTERMINALCLASS, 0x8004003Cu},
    {"TAPI_E_NODRIVER", TAPI_E_NODRIVER, 0x8004003Du},
    {"TAPI_E_MAXSTREAMS", TAPI_E_MAXSTREAMS, 0x8004003Eu},
    {"TAPI_E_NOTERMINALSELECTED", TAPI_E_NOTERMINALSELECTED, 0x8004003Fu},
    {"TAPI_E_TERMINALINUSE", TAPI_E_TERMINALINUSE, 0x80040040u},
    {"TAPI_E_NOTSTOPPED", TAPI_E_NOTSTOPPED, 0x80040041u},
    {"TAPI_E_MAXTERMINALS", TAPI_E_MAXTERMINALS, 0x80040042u},
    {"TAPI_E_INVALIDSTREAM", TAPI_E_INVALIDSTREAM, 0x80040043u},
    {"TAPI_E_TIMEOUT", TAPI_E_TIMEOUT, 0x80040044u},
    {"TAPI_E_CALLCENTER_GROUP_REMOVED", TAPI_E_CALLCENTER_GROUP_REMOVED, 0x80040045u},
    {"TAPI_E_CALLCENTER_QUEUE_REMOVED", TAPI_E_CALLCENTER_QUEUE_REMOVED, 0x80040046u},
    {"TAPI_E_CALLCENTER_NO_AGENT_ID", TAPI_E_CALLCENTER_NO_AGENT_ID, 0x80040047u},
    {"TAPI_E_CALLCENTER_INVALAGENTID", TAPI_E_CALLCENTER_INVALAGENTID, 0x80040048u},
    {"TAPI_E_CALLCENTER_INVALAGENTGROUP", TAPI_E_CALLCENTER_INVALAGENTGROUP, 0x80040049u},
    {"TAPI_E_CALLCENTER_INVALPASSWORD", TAPI_E_CALLCENTER_INVALPASSWORD, 0x8004004Au},
    {"TAPI_E_CALLCENTER_INVALAGENTSTATE", TAPI_E_CALLCENTER_INVALAGENTSTATE, 0x8004004Bu},
    {"TAPI_E_CALLCENTER_INVALAGENTACTIVITY", TAPI_E_CALLCENTER_INVALAGENTACTIVITY, 0x8004004Cu},
    {"TAPI_E_REGISTRY_SETTING_CORRUPT", TAPI_E_REGISTRY_SETTING_CORRUPT, 0x8004004Du},
    {"TAPI_E_TERMINAL_PEER", TAPI_E_TERMINAL_PEER, 0x8004004Eu},
    {"TAPI_E_PEER_NOT_SET", TAPI_E_PEER_NOT_SET, 0x8004004Fu},
    {"TAPI_E_NOEVENT", TAPI_E_NOEVENT, 0x80040050u},
    {"TAPI_E_INVALADDRESSTYPE", TAPI_E_INVALADDRESSTYPE, 0x80040051u},
    {"TAPI_E_RESOURCEUNAVAIL", TAPI_E_RESOURCEUNAVAIL, 0x80040052u},
    {"TAPI_E_PHONENOTOPEN", TAPI_E_PHONENOTOPEN, 0x80040053u},
    {"TAPI_E_CALLNOTSELECTED", TAPI_E_CALLNOTSELECTED, 0x80040054u},
    {"TAPI_E_WRONGEVENT", TAPI_E_WRONGEVENT, 0x80040055u},
    {"TAPI_E_NOFORMAT", TAPI_E_NOFORMAT, 0x80040056u},
    {"TAPI_E_INVALIDSTREAMSTATE", TAPI_E_INVALIDSTREAMSTATE, 0x80040057u},
    {"TAPI_E_WRONG_STATE", TAPI_E_WRONG_STATE, 0x80040058u},
    {"TAPI_E_NOT_INITIALIZED", TAPI_E_NOT_INITIALIZED, 0x80040059u},
    {"TAPI_E_SERVICE_NOT_RUNNING", TAPI_E_SERVICE_NOT_RUNNING, 0x8004005Au},
};

TEST(Headers, AllNinetyTapiECodesHaveTheirSpecValues) {
  ASSERT_EQ(std::size(kTapiE), 90u);
  for (std::size_t i = 0; i < std::size(kTapiE); ++i) {
    EXPECT_EQ(static_cast<uint32_t>(kTapiE[i].value), kTapiE[i].spec) << kTapiE[i].name;
    EXPECT_EQ(kTapiE[i].spec, 0x80040001u + i) << kTapiE[i].name;  // contiguous, no gaps
    EXPECT_TRUE(FAILED(kTapiE[i].value)) << kTapiE[i].name;
  }
}

// ---- Enumerations (§4) ------------------------------------------------------

TEST(Headers, CallCenterEnumValues) {
  EXPECT_EQ(AS_NOT_READY, 0);
  EXPECT_EQ(AS_READY, 1);
  EXPECT_EQ(AS_BUSY_ACD, 2);
  EXPECT_EQ(AS_BUSY_INCOMING, 3);
  EXPECT_EQ(AS_BUSY_OUTGOING, 4);
  EXPECT_EQ(AS_UNKNOWN, 5);

  EXPECT_EQ(ASST_NOT_READY, 0);
  EXPECT_EQ(ASST_READY, 1);
  EXPECT_EQ(ASST_BUSY_ON_CALL, 2);
  EXPECT_EQ(ASST_BUSY_WRAPUP, 3);
  EXPECT_EQ(ASST_SESSION_ENDED, 4);

  EXPECT_EQ(AE_NOT_READY, 0);
  EXPECT_EQ(AE_READY, 1);
  EXPECT_EQ(AE_BUSY_ACD, 2);
  EXPECT_EQ(AE_BUSY_INCOMING, 3);
  EXPECT_EQ(AE_BUSY_OUTGOING, 4);
  EXPECT_EQ(AE_UNKNOWN, 5);

  EXPECT_EQ(ASE_NEW_SESSION, 0);
  EXPECT_EQ(ASE_NOT_READY, 1);
  EXPECT_EQ(ASE_READY, 2);
  EXPECT_EQ(ASE_BUSY, 3);
  EXPECT_EQ(ASE_WRAPUP, 4);
  EXPECT_EQ(ASE_END, 5);

  EXPECT_EQ(AHE_NEW_AGENTHANDLER, 0);
  EXPECT_EQ(AHE_AGENTHANDLER_REMOVED, 1);
  EXPECT_EQ(ACDGE_NEW_GROUP, 0);
  EXPECT_EQ(ACDGE_GROUP_REMOVED, 1);
  EXPECT_EQ(ACDQE_NEW_QUEUE, 0);
  EXPECT_EQ(ACDQE_QUEUE_REMOVED, 1);

  EXPECT_EQ(AS_INSERVICE, 0);
  EXPECT_EQ(AS_OUTOFSERVICE, 1);
  static_assert(sizeof(AGENT_SESSION_STATE) == 4 && sizeof(TAPI_EVENT) == 4);
}

TEST(Headers, TapiEventValues) {
  const TAPI_EVENT in_order[] = {
      TE_TAPIOBJECT,      TE_ADDRESS,        TE_CALLNOTIFICATION, TE_CALLSTATE,    TE_CALLMEDIA,
      TE_CALLHUB,         TE_CALLINFOCHANGE, TE_PRIVATE,          TE_REQUEST,      TE_AGENT,
      TE_AGENTSESSION,    TE_QOSEVENT,       TE_AGENTHANDLER,     TE_ACDGROUP,     TE_QUEUE,
      TE_DIGITEVENT,      TE_GENERATEEVENT,  TE_ASRTERMINAL,      TE_TTSTERMINAL,  TE_FILETERMINAL,
      TE_TONETERMINAL,    TE_PHONEEVENT,     TE_TONEEVENT,        TE_GATHERDIGITS, TE_ADDRESSDEVSPECIFIC,
      TE_PHONEDEVSPECIFIC};
  ASSERT_EQ(std::size(in_order), 26u);
  for (std::size_t i = 0; i < std::size(in_order); ++i) {
    EXPECT_EQ(static_cast<uint32_t>(in_order[i]), 1u << i) << i;  // bit i, 0x1 .. 0x02000000
  }
  EXPECT_EQ(TE_AGENT | TE_AGENTSESSION | TE_AGENTHANDLER | TE_ACDGROUP | TE_QUEUE, 0x00007600);
}

// Enumerations of the call objects, with the values of Windows' tapi3if.h.
TEST(Headers, CallEnumValues) {
  EXPECT_EQ(CS_IDLE, 0);
  EXPECT_EQ(CS_INPROGRESS, 1);
  EXPECT_EQ(CS_CONNECTED, 2);
  EXPECT_EQ(CS_DISCONNECTED, 3);
  EXPECT_EQ(CS_OFFERING, 4);
  EXPECT_EQ(CS_HOLD, 5);
  EXPECT_EQ(CS_QUEUED, 6);
  EXPECT_EQ(CS_LASTITEM, 6);

  EXPECT_EQ(CEC_NONE, 0);
  EXPECT_EQ(CEC_DISCONNECT_NORMAL, 1);
  EXPECT_EQ(CEC_DISCONNECT_BUSY, 2);
  EXPECT_EQ(CEC_DISCONNECT_BADADDRESS, 3);
  EXPECT_EQ(CEC_DISCONNECT_NOANSWER, 4);
  EXPECT_EQ(CEC_DISCONNECT_CANCELLED, 5);
  EXPECT_EQ(CEC_DISCONNECT_REJECTED, 6);
  EXPECT_EQ(CEC_DISCONNECT_FAILED, 7);
  EXPECT_EQ(CEC_DISCONNECT_BLOCKED, 8);

  EXPECT_EQ(CP_OWNER, 0);
  EXPECT_EQ(CP_MONITOR, 1);
  EXPECT_EQ(CNE_OWNER, 0);
  EXPECT_EQ(CNE_MONITOR, 1);
  EXPECT_EQ(CNE_LASTITEM, 1);
  EXPECT_EQ(DC_NORMAL, 0);
  EXPECT_EQ(DC_NOANSWER, 1);
  EXPECT_EQ(DC_REJECTED, 2);
  EXPECT_EQ(FM_ASTRANSFER, 0);
  EXPECT_EQ(FM_ASCONFERENCE, 1);

  EXPECT_EQ(CME_NEW_STREAM, 0);
  EXPECT_EQ(CME_STREAM_FAIL, 1);
  EXPECT_EQ(CME_TERMINAL_FAIL, 2);
  EXPECT_EQ(CME_STREAM_NOT_USED, 3);
  EXPECT_EQ(CME_STREAM_ACTIVE, 4);
  EXPECT_EQ(CME_STREAM_INACTIVE, 5);
  EXPECT_EQ(CME_LASTITEM, 5);
  EXPECT_EQ(CMC_UNKNOWN, 0);
  EXPECT_EQ(CMC_LOCAL_REQUEST, 3);
  EXPECT_EQ(CMC_QUALITY_OF_SERVICE, 7);

  EXPECT_EQ(TD_CAPTURE, 0);
  EXPECT_EQ(TD_RENDER, 1);
  EXPECT_EQ(TD_BIDIRECTIONAL, 2);
  EXPECT_EQ(TD_MULTITRACK_MIXED, 3);
  EXPECT_EQ(TD_NONE, 4);
  EXPECT_EQ(TS_INUSE, 0);
  EXPECT_EQ(TS_NOTINUSE, 1);
  EXPECT_EQ(TT_STATIC, 0);
  EXPECT_EQ(TT_DYNAMIC, 1);

  EXPECT_EQ(CHE_CALLJOIN, 0);
  EXPECT_EQ(CHE_CALLHUBIDLE, 3);
  EXPECT_EQ(CHS_ACTIVE, 0);
  EXPECT_EQ(CHS_IDLE, 1);
  EXPECT_EQ(AE_STATE, 0);
  EXPECT_EQ(AE_RINGING, 2);
  EXPECT_EQ(AE_MSGWAITOFF, 8);
  EXPECT_EQ(AE_LASTITEM, 8);
  EXPECT_EQ(TE_ADDRESSCREATE, 0);
  EXPECT_EQ(TE_REINIT, 2);
  EXPECT_EQ(TE_PHONEREMOVE, 6);
  EXPECT_EQ(TOT_CALL, 4);
  EXPECT_EQ(TOT_PHONE, 6);
  EXPECT_EQ(QSL_NEEDED, 1);
  EXPECT_EQ(QSL_BEST_EFFORT, 3);
  EXPECT_EQ(QE_NOQOS, 1);
  EXPECT_EQ(QE_LASTITEM, 4);
  EXPECT_EQ(FDS_SUPPORTED, 0);
  EXPECT_EQ(FDS_UNKNOWN, 2);
  static_assert(sizeof(CALL_STATE) == 4 && sizeof(CALLINFO_LONG) == 4);
}

// The CALLINFO_*, CALLINFOCHANGE_CAUSE and ADDRESS_CAPABILITY* enumerations
// are consecutive from 0; the first and last names pin each one.
TEST(Headers, CallInfoAndCapabilityEnumerationsAreConsecutive) {
  EXPECT_EQ(CIL_MEDIATYPESAVAILABLE, 0);
  EXPECT_EQ(CIL_CALLERIDADDRESSTYPE, 2);
  EXPECT_EQ(CIL_ORIGIN, 7);
  EXPECT_EQ(CIL_REASON, 8);
  EXPECT_EQ(CIL_APPSPECIFIC, 9);
  EXPECT_EQ(CIL_CALLID, 15);
  EXPECT_EQ(CIL_RELATEDCALLID, 16);
  EXPECT_EQ(CIL_NUMBEROFOWNERS, 18);
  EXPECT_EQ(CIL_MONITORMEDIAMODES, 24);

  EXPECT_EQ(CIS_CALLERIDNAME, 0);
  EXPECT_EQ(CIS_CALLERIDNUMBER, 1);
  EXPECT_EQ(CIS_CALLEDIDNAME, 2);
  EXPECT_EQ(CIS_CALLEDIDNUMBER, 3);
  EXPECT_EQ(CIS_REDIRECTINGIDNUMBER, 9);
  EXPECT_EQ(CIS_CALLINGPARTYID, 13);

  EXPECT_EQ(CIB_USERUSERINFO, 0);
  EXPECT_EQ(CIB_CALLDATABUFFER, 2);
  EXPECT_EQ(CIB_LOWLEVELCOMPATIBILITYBUFFER, 5);

  EXPECT_EQ(CIC_OTHER, 0);
  EXPECT_EQ(CIC_CALLERID, 14);
  EXPECT_EQ(CIC_CALLDATA, 24);
  EXPECT_EQ(CIC_PRIVILEGE, 25);
  EXPECT_EQ(CIC_MEDIATYPE, 26);
  EXPECT_EQ(CIC_LASTITEM, 26);

  EXPECT_EQ(AC_ADDRESSTYPES, 0);
  EXPECT_EQ(AC_MAXACTIVECALLS, 2);
  EXPECT_EQ(AC_ADDRESSCAPFLAGS, 23);
  EXPECT_EQ(AC_CALLFEATURES1, 24);
  EXPECT_EQ(AC_LINEID, 32);
  EXPECT_EQ(AC_ADDRESSID, 33);
  EXPECT_EQ(AC_PERMANENTDEVICEID, 42);
  EXPECT_EQ(AC_GENERATEDIGITDEFAULTDURATION, 47);

  EXPECT_EQ(ACS_PROTOCOL, 0);
  EXPECT_EQ(ACS_PERMANENTDEVICEGUID, 5);
}

TEST(Headers, MediaAndAddressTypes) {
  EXPECT_EQ(TAPIMEDIATYPE_AUDIO, 0x8);
  EXPECT_EQ(TAPIMEDIATYPE_VIDEO, 0x8000);
  EXPECT_EQ(TAPIMEDIATYPE_DATAMODEM, 0x10);
  EXPECT_EQ(TAPIMEDIATYPE_G3FAX, 0x20);
  EXPECT_EQ(TAPIMEDIATYPE_MULTITRACK, 0x10000);
  EXPECT_EQ(LINEADDRESSTYPE_PHONENUMBER, 0x1u);
  EXPECT_EQ(LINEADDRESSTYPE_SDP, 0x2u);
  EXPECT_EQ(LINEADDRESSTYPE_EMAILNAME, 0x4u);
  EXPECT_EQ(LINEADDRESSTYPE_DOMAINNAME, 0x8u);
  EXPECT_EQ(LINEADDRESSTYPE_IPADDRESS, 0x10u);
  // A call program ORs them into the long it passes as lMediaTypes.
  const long audio_video = TAPIMEDIATYPE_AUDIO | TAPIMEDIATYPE_VIDEO;
  EXPECT_EQ(audio_video, 0x8008);
}

// ---- Identifiers ------------------------------------------------------------

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Parses the registry form "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}".
bool parse_guid(std::string_view text, GUID* out) {
  if (text.size() != 38 || text.front() != '{' || text.back() != '}') return false;
  uint8_t bytes[16];
  std::size_t n = 0;
  for (std::size_t i = 1; i + 1 < text.size(); ++i) {
    if (i == 9 || i == 14 || i == 19 || i == 24) {
      if (text[i] != '-') return false;
      continue;
    }
    const int hi = hex_digit(text[i]);
    const int lo = hex_digit(text[++i]);
    if (hi < 0 || lo < 0 || n == 16) return false;
    bytes[n++] = static_cast<uint8_t>(hi << 4 | lo);
  }
  if (n != 16) return false;
  out->Data1 = static_cast<uint32_t>(bytes[0]) << 24 | static_cast<uint32_t>(bytes[1]) << 16 |
               static_cast<uint32_t>(bytes[2]) << 8 | bytes[3];
  out->Data2 = static_cast<uint16_t>(bytes[4] << 8 | bytes[5]);
  out->Data3 = static_cast<uint16_t>(bytes[6] << 8 | bytes[7]);
  std::memcpy(out->Data4, bytes + 8, 8);
  return true;
}

struct NamedGuid {
  const char* name;
  const GUID* value;
  const char* text;  // docs/reference/tapi3-callcenter.md §3 for the call-center IIDs
};

const NamedGuid kGuids[] = {
    {"IID_IUnknown", &IID_IUnknown, "{00000000-0000-0000-C000-000000000046}"},
    {"IID_IDispatch", &IID_IDispatch, "{00020400-0000-0000-C000-000000000046}"},
    {"IID_IEnumUnknown", &IID_IEnumUnknown, "{00000100-0000-0000-C000-000000000046}"},
    {"IID_IEnumVARIANT", &IID_IEnumVARIANT, "{00020404-0000-0000-C000-000000000046}"},
    {"IID_IConnectionPointContainer", &IID_IConnectionPointContainer, "{B196B284-BAB4-101A-B69C-00AA00341D07}"},
    {"IID_IConnectionPoint", &IID_IConnectionPoint, "{B196B286-BAB4-101A-B69C-00AA00341D07}"},
    {"IID_IEnumConnections", &IID_IEnumConnections, "{B196B287-BAB4-101A-B69C-00AA00341D07}"},
    {"IID_IEnumConnectionPoints", &IID_IEnumConnectionPoints, "{B196B285-BAB4-101A-B69C-00AA00341D07}"},
    {"CLSID_TAPI", &CLSID_TAPI, "{21D6D48E-A88B-11D0-83DD-00AA003CCABD}"},
    {"IID_ITTAPI", &IID_ITTAPI, "{B1EFC382-9355-11D0-835C-00AA003CCABD}"},
    {"IID_ITTAPIEventNotification", &IID_ITTAPIEventNotification, "{EDDB9426-3B91-11D1-8F30-00C04FB6809F}"},
    {"IID_ITCollection", &IID_ITCollection, "{5EC5ACF2-9C02-11D0-8362-00AA003CCABD}"},
    {"IID_ITAddress", &IID_ITAddress, "{B1EFC386-9355-11D0-835C-00AA003CCABD}"},
    {"IID_IEnumAddress", &IID_IEnumAddress, "{1666FCA1-9363-11D0-835C-00AA003CCABD}"},
    {"IID_ITTAPICallCenter", &IID_ITTAPICallCenter, "{5AFC3154-4BCC-11D1-BF80-00805FC147D3}"},
    {"IID_ITAgentHandler", &IID_ITAgentHandler, "{587E8C22-9802-11D1-A0A4-00805FC147D3}"},
    {"IID_ITAgent", &IID_ITAgent, "{5770ECE5-4B27-11D1-BF80-00805FC147D3}"},
    {"IID_ITAgentSession", &IID_ITAgentSession, "{5AFC3147-4BCC-11D1-BF80-00805FC147D3}"},
    {"IID_ITACDGroup", &IID_ITACDGroup, "{5AFC3148-4BCC-11D1-BF80-00805FC147D3}"},
    {"IID_ITQueue", &IID_ITQueue, "{5AFC3149-4BCC-11D1-BF80-00805FC147D3}"},
    {"IID_ITAgentEvent", &IID_ITAgentEvent, "{5AFC314A-4BCC-11D1-BF80-00805FC147D3}"},
    {"IID_ITAgentSessionEvent", &IID_ITAgentSessionEvent, "{5AFC314B-4BCC-11D1-BF80-00805FC147D3}"},
    {"IID_ITACDGroupEvent", &IID_ITACDGroupEvent, "{297F3032-BD11-11D1-A0A7-00805FC147D3}"},
    {"IID_ITQueueEvent", &IID_ITQueueEvent, "{297F3033-BD11-11D1-A0A7-00805FC147D3}"},
    {"IID_ITAgentHandlerEvent", &IID_ITAgentHandlerEvent, "{297F3034-BD11-11D1-A0A7-00805FC147D3}"},
    {"IID_IEnumAgentHandler", &IID_IEnumAgentHandler, "{587E8C28-9802-11D1-A0A4-00805FC147D3}"},
    {"IID_IEnumAgent", &IID_IEnumAgent, "{5AFC314D-4BCC-11D1-BF80-00805FC147D3}"},
    {"IID_IEnumAgentSession", &IID_IEnumAgentSession, "{5AFC314E-4BCC-11D1-BF80-00805FC147D3}"},
    {"IID_IEnumACDGroup", &IID_IEnumACDGroup, "{5AFC3157-4BCC-11D1-BF80-00805FC147D3}"},
    {"IID_IEnumQueue", &IID_IEnumQueue, "{5AFC3158-4BCC-11D1-BF80-00805FC147D3}"},
    // Calls, media and terminals (tapi3if.h), as Windows' tapi3if.h has them.
    {"IID_ITAddress2", &IID_ITAddress2, "{B0AE5D9B-BE51-46C9-B0F7-DFA8A22A8BC4}"},
    {"IID_ITAddressCapabilities", &IID_ITAddressCapabilities, "{8DF232F5-821B-11D1-BB5C-00C04FB6809F}"},
    {"IID_ITMediaSupport", &IID_ITMediaSupport, "{B1EFC384-9355-11D0-835C-00AA003CCABD}"},
    {"IID_ITTerminalSupport", &IID_ITTerminalSupport, "{B1EFC385-9355-11D0-835C-00AA003CCABD}"},
    {"IID_ITTerminalSupport2", &IID_ITTerminalSupport2, "{F3EB39BC-1B1F-4E99-A0C0-56305C4DD591}"},
    {"IID_ITBasicCallControl", &IID_ITBasicCallControl, "{B1EFC389-9355-11D0-835C-00AA003CCABD}"},
    {"IID_ITBasicCallControl2", &IID_ITBasicCallControl2, "{161A4A56-1E99-4B3F-A46A-168F38A5EE4C}"},
    {"IID_ITCallInfo", &IID_ITCallInfo, "{350F85D1-1227-11D3-83D4-00C04FB6809F}"},
    {"IID_ITCallInfo2", &IID_ITCallInfo2, "{94D70CA6-7AB0-4DAA-81CA-B8F8643FAEC1}"},
    {"IID_ITTerminal", &IID_ITTerminal, "{B1EFC38A-9355-11D0-835C-00AA003CCABD}"},
    {"IID_ITCallHub", &IID_ITCallHub, "{A3C1544E-5B92-11D1-8F4E-00C04FB6809F}"},
    {"IID_ITStreamControl", &IID_ITStreamControl, "{EE3BD604-3868-11D2-A045-00C04FB6809F}"},
    {"IID_ITStream", &IID_ITStream, "{EE3BD605-3868-11D2-A045-00C04FB6809F}"},
    {"IID_ITCallNotificationEvent", &IID_ITCallNotificationEvent, "{895801DF-3DD6-11D1-8F30-00C04FB6809F}"},
    {"IID_ITCallStateEvent", &IID_ITCallStateEvent, "{62F47097-95C9-11D0-835D-00AA003CCABD}"},
    {"IID_ITCallInfoChangeEvent", &IID_ITCallInfoChangeEvent, "{5D4B65F9-E51C-11D1-A02F-00C04FB6809F}"},
    {"IID_ITCallMediaEvent", &IID_ITCallMediaEvent, "{FF36B87F-EC3A-11D0-8EE4-00C04FB6809F}"},
    {"IID_ITDigitDetectionEvent", &IID_ITDigitDetectionEvent, "{80D3BFAC-57D9-11D2-A04A-00C04FB6809F}"},
    {"IID_ITCallHubEvent", &IID_ITCallHubEvent, "{A3C15451-5B92-11D1-8F4E-00C04FB6809F}"},
    {"IID_ITAddressEvent", &IID_ITAddressEvent, "{831CE2D1-83B5-11D1-BB5C-00C04FB6809F}"},
    {"IID_ITTAPIObjectEvent", &IID_ITTAPIObjectEvent, "{F4854D48-937A-11D1-BB58-00C04FB6809F}"},
    {"IID_IEnumCall", &IID_IEnumCall, "{AE269CF6-935E-11D0-835C-00AA003CCABD}"},
    {"IID_IEnumCallHub", &IID_IEnumCallHub, "{A3C15450-5B92-11D1-8F4E-00C04FB6809F}"},
    {"IID_IEnumTerminal", &IID_IEnumTerminal, "{AE269CF4-935E-11D0-835C-00AA003CCABD}"},
    {"IID_IEnumTerminalClass", &IID_IEnumTerminalClass, "{AE269CF5-935E-11D0-835C-00AA003CCABD}"},
    {"IID_IEnumStream", &IID_IEnumStream, "{EE3BD606-3868-11D2-A045-00C04FB6809F}"},
    {"IID_IEnumBstr", &IID_IEnumBstr, "{35372049-0BC6-11D2-A033-00C04FB6809F}"},
    // Terminal classes and protocols (tapi3if.h).
    {"CLSID_HandsetTerminal", &CLSID_HandsetTerminal, "{AAF578EB-DC70-11D0-8ED3-00C04FB6809F}"},
    {"CLSID_VideoInputTerminal", &CLSID_VideoInputTerminal, "{AAF578EC-DC70-11D0-8ED3-00C04FB6809F}"},
    {"CLSID_HeadsetTerminal", &CLSID_HeadsetTerminal, "{AAF578ED-DC70-11D0-8ED3-00C04FB6809F}"},
    {"CLSID_SpeakerphoneTerminal", &CLSID_SpeakerphoneTerminal, "{AAF578EE-DC70-11D0-8ED3-00C04FB6809F}"},
    {"CLSID_MicrophoneTerminal", &CLSID_MicrophoneTerminal, "{AAF578EF-DC70-11D0-8ED3-00C04FB6809F}"},
    {"CLSID_SpeakersTerminal", &CLSID_SpeakersTerminal, "{AAF578F0-DC70-11D0-8ED3-00C04FB6809F}"},
    {"CLSID_MediaStreamTerminal", &CLSID_MediaStreamTerminal, "{E2F7AEF7-4971-11D1-A671-006097C9A2E8}"},
    {"CLSID_VideoWindowTerm", &CLSID_VideoWindowTerm, "{F7438990-D6EB-11D0-82A6-00AA00B5CA1B}"},
    {"CLSID_FilePlaybackTerminal", &CLSID_FilePlaybackTerminal, "{0CB9914C-79CD-47DC-ADB0-327F47CEFB20}"},
    {"CLSID_FileRecordingTerminal", &CLSID_FileRecordingTerminal, "{521F3D06-C3D0-4511-8617-86B9A783DA77}"},
    {"TAPIPROTOCOL_PSTN", &TAPIPROTOCOL_PSTN, "{831CE2D6-83B5-11D1-BB5C-00C04FB6809F}"},
    {"TAPIPROTOCOL_H323", &TAPIPROTOCOL_H323, "{831CE2D7-83B5-11D1-BB5C-00C04FB6809F}"},
    {"TAPIPROTOCOL_Multicast", &TAPIPROTOCOL_Multicast, "{831CE2D8-83B5-11D1-BB5C-00C04FB6809F}"},
};

TEST(Headers, EveryIidMatchesItsRegistryString) {
  ASSERT_EQ(std::size(kGuids), 70u);
  for (const NamedGuid& g : kGuids) {
    GUID parsed{};
    ASSERT_TRUE(parse_guid(g.text, &parsed)) << g.text;
    EXPECT_TRUE(IsEqualGUID(*g.value, parsed)) << g.name << " != " << g.text;
  }
}

TEST(Headers, IidsAreDistinct) {
  for (std::size_t i = 0; i < std::size(kGuids); ++i) {
    for (std::size_t j = i + 1; j < std::size(kGuids); ++j) {
      EXPECT_FALSE(IsEqualGUID(*kGuids[i].value, *kGuids[j].value)) << kGuids[i].name << " == " << kGuids[j].name;
    }
  }
}

// ---- vtable order -----------------------------------------------------------

// The vtable slot a pointer to virtual member designates, read from its
// Itanium C++ ABI representation (x86 and x86-64: 1 + byte offset in the
// vtable). -1 if not a virtual function.
template <typename C, typename F>
std::ptrdiff_t slot(F C::*pmf) {
  static_assert(sizeof(pmf) == 2 * sizeof(std::ptrdiff_t));
  std::ptrdiff_t rep[2];
  std::memcpy(rep, &pmf, sizeof rep);
  if ((rep[0] & 1) == 0) return -1;
  return (rep[0] - 1) / static_cast<std::ptrdiff_t>(sizeof(void*));
}

#define EXPECT_SLOT(I, m, n) EXPECT_EQ(slot(&I::m), n) << #I "::" #m
// For methods that also have the C long* overload.
#define EXPECT_LONG_SLOT(I, m, n) EXPECT_EQ((slot<I, HRESULT(LONG*)>(&I::m)), n) << #I "::" #m

class VtableOrder : public ::testing::Test {
 protected:
  void SetUp() override {
#if !(defined(__x86_64__) || defined(__i386__))
    GTEST_SKIP() << "member-pointer layout checked on x86 only";
#endif
  }
};

TEST_F(VtableOrder, ComBase) {
  EXPECT_SLOT(IUnknown, QueryInterface, 0);
  EXPECT_SLOT(IUnknown, AddRef, 1);
  EXPECT_SLOT(IUnknown, Release, 2);
  EXPECT_SLOT(IDispatch, GetTypeInfoCount, 3);
  EXPECT_SLOT(IDispatch, GetTypeInfo, 4);
  EXPECT_SLOT(IDispatch, GetIDsOfNames, 5);
  EXPECT_SLOT(IDispatch, Invoke, 6);
  EXPECT_SLOT(IConnectionPointContainer, EnumConnectionPoints, 3);
  EXPECT_SLOT(IConnectionPointContainer, FindConnectionPoint, 4);
  EXPECT_SLOT(IConnectionPoint, GetConnectionInterface, 3);
  EXPECT_SLOT(IConnectionPoint, GetConnectionPointContainer, 4);
  EXPECT_SLOT(IConnectionPoint, Advise, 5);
  EXPECT_SLOT(IConnectionPoint, Unadvise, 6);
  EXPECT_SLOT(IConnectionPoint, EnumConnections, 7);
  // Standard COM enumerators: Next, Skip, Reset, Clone.
  EXPECT_SLOT(IEnumVARIANT, Next, 3);
  EXPECT_SLOT(IEnumVARIANT, Skip, 4);
  EXPECT_SLOT(IEnumVARIANT, Reset, 5);
  EXPECT_SLOT(IEnumVARIANT, Clone, 6);
  EXPECT_SLOT(IEnumUnknown, Skip, 4);
  EXPECT_SLOT(IEnumConnections, Skip, 4);
  EXPECT_SLOT(IEnumConnectionPoints, Skip, 4);
}

TEST_F(VtableOrder, Tapi3If) {
  EXPECT_SLOT(ITTAPI, Initialize, 7);
  EXPECT_SLOT(ITTAPI, Shutdown, 8);
  EXPECT_SLOT(ITTAPI, get_Addresses, 9);
  EXPECT_SLOT(ITTAPI, EnumerateAddresses, 10);
  EXPECT_EQ((slot<ITTAPI, HRESULT(ITAddress*, VARIANT_BOOL, VARIANT_BOOL, LONG, LONG, LONG*)>(
                &ITTAPI::RegisterCallNotifications)),
            11);
  EXPECT_SLOT(ITTAPI, UnregisterNotifications, 12);
  EXPECT_SLOT(ITTAPI, get_CallHubs, 13);
  EXPECT_SLOT(ITTAPI, EnumerateCallHubs, 14);
  EXPECT_SLOT(ITTAPI, SetCallHubTracking, 15);
  EXPECT_SLOT(ITTAPI, EnumeratePrivateTAPIObjects, 16);
  EXPECT_SLOT(ITTAPI, get_PrivateTAPIObjects, 17);
  EXPECT_SLOT(ITTAPI, RegisterRequestRecipient, 18);
  EXPECT_SLOT(ITTAPI, SetAssistedTelephonyPriority, 19);
  EXPECT_SLOT(ITTAPI, SetApplicationPriority, 20);
  EXPECT_SLOT(ITTAPI, put_EventFilter, 21);
  EXPECT_LONG_SLOT(ITTAPI, get_EventFilter, 22);

  EXPECT_SLOT(ITTAPIEventNotification, Event, 3);

  EXPECT_LONG_SLOT(ITCollection, get_Count, 7);
  EXPECT_SLOT(ITCollection, get_Item, 8);
  EXPECT_SLOT(ITCollection, get__NewEnum, 9);

  EXPECT_SLOT(ITAddress, get_State, 7);
  EXPECT_SLOT(ITAddress, get_AddressName, 8);
  EXPECT_SLOT(ITAddress, get_ServiceProviderName, 9);
  EXPECT_SLOT(ITAddress, get_TAPIObject, 10);
  EXPECT_SLOT(ITAddress, CreateCall, 11);
  EXPECT_SLOT(ITAddress, get_Calls, 12);
  EXPECT_SLOT(ITAddress, EnumerateCalls, 13);
  EXPECT_SLOT(ITAddress, get_DialableAddress, 14);
  EXPECT_SLOT(ITAddress, CreateForwardInfoObject, 15);
  EXPECT_SLOT(ITAddress, Forward, 16);
  EXPECT_SLOT(ITAddress, get_CurrentForwardInfo, 17);
  EXPECT_SLOT(ITAddress, put_MessageWaiting, 18);
  EXPECT_SLOT(ITAddress, get_MessageWaiting, 19);
  EXPECT_SLOT(ITAddress, put_DoNotDisturb, 20);
  EXPECT_SLOT(ITAddress, get_DoNotDisturb, 21);

  // TAPI enumerators: Next, Reset, Skip, Clone.
  EXPECT_SLOT(IEnumAddress, Next, 3);
  EXPECT_SLOT(IEnumAddress, Reset, 4);
  EXPECT_SLOT(IEnumAddress, Skip, 5);
  EXPECT_SLOT(IEnumAddress, Clone, 6);
}

TEST_F(VtableOrder, CallCenterObjects) {
  EXPECT_SLOT(ITTAPICallCenter, EnumerateAgentHandlers, 7);
  EXPECT_SLOT(ITTAPICallCenter, get_AgentHandlers, 8);

  EXPECT_SLOT(ITAgentHandler, get_Name, 7);
  EXPECT_SLOT(ITAgentHandler, CreateAgent, 8);
  EXPECT_SLOT(ITAgentHandler, CreateAgentWithID, 9);
  EXPECT_SLOT(ITAgentHandler, EnumerateACDGroups, 10);
  EXPECT_SLOT(ITAgentHandler, EnumerateUsableAddresses, 11);
  EXPECT_SLOT(ITAgentHandler, get_ACDGroups, 12);
  EXPECT_SLOT(ITAgentHandler, get_UsableAddresses, 13);

  EXPECT_SLOT(ITAgent, EnumerateAgentSessions, 7);
  EXPECT_SLOT(ITAgent, CreateSession, 8);
  EXPECT_SLOT(ITAgent, CreateSessionWithPIN, 9);
  EXPECT_SLOT(ITAgent, get_ID, 10);
  EXPECT_SLOT(ITAgent, get_User, 11);
  EXPECT_SLOT(ITAgent, put_State, 12);
  EXPECT_SLOT(ITAgent, get_State, 13);
  EXPECT_SLOT(ITAgent, put_MeasurementPeriod, 14);
  EXPECT_LONG_SLOT(ITAgent, get_MeasurementPeriod, 15);
  EXPECT_SLOT(ITAgent, get_OverallCallRate, 16);
  EXPECT_LONG_SLOT(ITAgent, get_NumberOfACDCalls, 17);
  EXPECT_LONG_SLOT(ITAgent, get_NumberOfIncomingCalls, 18);
  EXPECT_LONG_SLOT(ITAgent, get_NumberOfOutgoingCalls, 19);
  EXPECT_LONG_SLOT(ITAgent, get_TotalACDTalkTime, 20);
  EXPECT_LONG_SLOT(ITAgent, get_TotalACDCallTime, 21);
  EXPECT_LONG_SLOT(ITAgent, get_TotalWrapUpTime, 22);
  EXPECT_SLOT(ITAgent, get_AgentSessions, 23);

  EXPECT_SLOT(ITAgentSession, get_Agent, 7);
  EXPECT_SLOT(ITAgentSession, get_Address, 8);
  EXPECT_SLOT(ITAgentSession, get_ACDGroup, 9);
  EXPECT_SLOT(ITAgentSession, put_State, 10);
  EXPECT_SLOT(ITAgentSession, get_State, 11);
  EXPECT_SLOT(ITAgentSession, get_SessionStartTime, 12);
  EXPECT_LONG_SLOT(ITAgentSession, get_SessionDuration, 13);
  EXPECT_LONG_SLOT(ITAgentSession, get_NumberOfCalls, 14);
  EXPECT_LONG_SLOT(ITAgentSession, get_TotalTalkTime, 15);
  EXPECT_LONG_SLOT(ITAgentSession, get_AverageTalkTime, 16);
  EXPECT_LONG_SLOT(ITAgentSession, get_TotalCallTime, 17);
  EXPECT_LONG_SLOT(ITAgentSession, get_AverageCallTime, 18);
  EXPECT_LONG_SLOT(ITAgentSession, get_TotalWrapUpTime, 19);
  EXPECT_LONG_SLOT(ITAgentSession, get_AverageWrapUpTime, 20);
  EXPECT_SLOT(ITAgentSession, get_ACDCallRate, 21);
  EXPECT_LONG_SLOT(ITAgentSession, get_LongestTimeToAnswer, 22);
  EXPECT_LONG_SLOT(ITAgentSession, get_AverageTimeToAnswer, 23);

  EXPECT_SLOT(ITACDGroup, get_Name, 7);
  EXPECT_SLOT(ITACDGroup, EnumerateQueues, 8);
  EXPECT_SLOT(ITACDGroup, get_Queues, 9);

  EXPECT_SLOT(ITQueue, put_MeasurementPeriod, 7);
  EXPECT_LONG_SLOT(ITQueue, get_MeasurementPeriod, 8);
  EXPECT_LONG_SLOT(ITQueue, get_TotalCallsQueued, 9);
  EXPECT_LONG_SLOT(ITQueue, get_CurrentCallsQueued, 10);
  EXPECT_LONG_SLOT(ITQueue, get_TotalCallsAbandoned, 11);
  EXPECT_LONG_SLOT(ITQueue, get_TotalCallsFlowedIn, 12);
  EXPECT_LONG_SLOT(ITQueue, get_TotalCallsFlowedOut, 13);
  EXPECT_LONG_SLOT(ITQueue, get_LongestEverWaitTime, 14);
  EXPECT_LONG_SLOT(ITQueue, get_CurrentLongestWaitTime, 15);
  EXPECT_LONG_SLOT(ITQueue, get_AverageWaitTime, 16);
  EXPECT_LONG_SLOT(ITQueue, get_FinalDisposition, 17);
  EXPECT_SLOT(ITQueue, get_Name, 18);
}

TEST_F(VtableOrder, CallCenterEventsAndEnumerators) {
  EXPECT_SLOT(ITAgentEvent, get_Agent, 7);
  EXPECT_SLOT(ITAgentEvent, get_Event, 8);
  EXPECT_SLOT(ITAgentSessionEvent, get_Session, 7);
  EXPECT_SLOT(ITAgentSessionEvent, get_Event, 8);
  EXPECT_SLOT(ITACDGroupEvent, get_Group, 7);
  EXPECT_SLOT(ITACDGroupEvent, get_Event, 8);
  EXPECT_SLOT(ITQueueEvent, get_Queue, 7);
  EXPECT_SLOT(ITQueueEvent, get_Event, 8);
  EXPECT_SLOT(ITAgentHandlerEvent, get_AgentHandler, 7);
  EXPECT_SLOT(ITAgentHandlerEvent, get_Event, 8);

#define EXPECT_TAPI_ENUM_SLOTS(I) \
  EXPECT_SLOT(I, Next, 3);        \
  EXPECT_SLOT(I, Reset, 4);       \
  EXPECT_SLOT(I, Skip, 5);        \
  EXPECT_SLOT(I, Clone, 6)
  EXPECT_TAPI_ENUM_SLOTS(IEnumAgentHandler);
  EXPECT_TAPI_ENUM_SLOTS(IEnumAgent);
  EXPECT_TAPI_ENUM_SLOTS(IEnumAgentSession);
  EXPECT_TAPI_ENUM_SLOTS(IEnumACDGroup);
  EXPECT_TAPI_ENUM_SLOTS(IEnumQueue);
#undef EXPECT_TAPI_ENUM_SLOTS
}

TEST_F(VtableOrder, AddressInterfaces) {
  // ITAddress2 continues ITAddress's 22 slots.
  EXPECT_SLOT(ITAddress2, get_Phones, 22);
  EXPECT_SLOT(ITAddress2, EnumeratePhones, 23);
  EXPECT_SLOT(ITAddress2, GetPhoneFromTerminal, 24);
  EXPECT_SLOT(ITAddress2, get_PreferredPhones, 25);
  EXPECT_SLOT(ITAddress2, EnumeratePreferredPhones, 26);
  EXPECT_SLOT(ITAddress2, get_EventFilter, 27);
  EXPECT_SLOT(ITAddress2, put_EventFilter, 28);
  EXPECT_SLOT(ITAddress2, DeviceSpecific, 29);
  EXPECT_SLOT(ITAddress2, DeviceSpecificVariant, 30);
  EXPECT_EQ((slot<ITAddress2, HRESULT(LONG, LONG, LONG*)>(&ITAddress2::NegotiateExtVersion)), 31);

  EXPECT_EQ(
      (slot<ITAddressCapabilities, HRESULT(ADDRESS_CAPABILITY, LONG*)>(&ITAddressCapabilities::get_AddressCapability)),
      7);
  EXPECT_SLOT(ITAddressCapabilities, get_AddressCapabilityString, 8);
  EXPECT_SLOT(ITAddressCapabilities, get_CallTreatments, 9);
  EXPECT_SLOT(ITAddressCapabilities, EnumerateCallTreatments, 10);
  EXPECT_SLOT(ITAddressCapabilities, get_CompletionMessages, 11);
  EXPECT_SLOT(ITAddressCapabilities, EnumerateCompletionMessages, 12);
  EXPECT_SLOT(ITAddressCapabilities, get_DeviceClasses, 13);
  EXPECT_SLOT(ITAddressCapabilities, EnumerateDeviceClasses, 14);

  EXPECT_LONG_SLOT(ITMediaSupport, get_MediaTypes, 7);
  EXPECT_SLOT(ITMediaSupport, QueryMediaType, 8);

  EXPECT_SLOT(ITTerminalSupport, get_StaticTerminals, 7);
  EXPECT_SLOT(ITTerminalSupport, EnumerateStaticTerminals, 8);
  EXPECT_SLOT(ITTerminalSupport, get_DynamicTerminalClasses, 9);
  EXPECT_SLOT(ITTerminalSupport, EnumerateDynamicTerminalClasses, 10);
  EXPECT_SLOT(ITTerminalSupport, CreateTerminal, 11);
  EXPECT_SLOT(ITTerminalSupport, GetDefaultStaticTerminal, 12);
  EXPECT_SLOT(ITTerminalSupport2, get_PluggableSuperclasses, 13);
  EXPECT_SLOT(ITTerminalSupport2, EnumeratePluggableSuperclasses, 14);
  EXPECT_SLOT(ITTerminalSupport2, get_PluggableTerminalClasses, 15);
  EXPECT_SLOT(ITTerminalSupport2, EnumeratePluggableTerminalClasses, 16);
}

TEST_F(VtableOrder, CallInterfaces) {
  EXPECT_SLOT(ITBasicCallControl, Connect, 7);
  EXPECT_SLOT(ITBasicCallControl, Answer, 8);
  EXPECT_SLOT(ITBasicCallControl, Disconnect, 9);
  EXPECT_SLOT(ITBasicCallControl, Hold, 10);
  EXPECT_SLOT(ITBasicCallControl, HandoffDirect, 11);
  EXPECT_SLOT(ITBasicCallControl, HandoffIndirect, 12);
  EXPECT_SLOT(ITBasicCallControl, Conference, 13);
  EXPECT_SLOT(ITBasicCallControl, Transfer, 14);
  EXPECT_SLOT(ITBasicCallControl, BlindTransfer, 15);
  EXPECT_SLOT(ITBasicCallControl, SwapHold, 16);
  EXPECT_SLOT(ITBasicCallControl, ParkDirect, 17);
  EXPECT_SLOT(ITBasicCallControl, ParkIndirect, 18);
  EXPECT_SLOT(ITBasicCallControl, Unpark, 19);
  EXPECT_SLOT(ITBasicCallControl, SetQOS, 20);
  EXPECT_SLOT(ITBasicCallControl, Pickup, 21);
  EXPECT_SLOT(ITBasicCallControl, Dial, 22);
  EXPECT_SLOT(ITBasicCallControl, Finish, 23);
  EXPECT_SLOT(ITBasicCallControl, RemoveFromConference, 24);
  EXPECT_SLOT(ITBasicCallControl2, RequestTerminal, 25);
  EXPECT_SLOT(ITBasicCallControl2, SelectTerminalOnCall, 26);
  EXPECT_SLOT(ITBasicCallControl2, UnselectTerminalOnCall, 27);

  EXPECT_SLOT(ITCallInfo, get_Address, 7);
  EXPECT_SLOT(ITCallInfo, get_CallState, 8);
  EXPECT_SLOT(ITCallInfo, get_Privilege, 9);
  EXPECT_SLOT(ITCallInfo, get_CallHub, 10);
  EXPECT_EQ((slot<ITCallInfo, HRESULT(CALLINFO_LONG, LONG*)>(&ITCallInfo::get_CallInfoLong)), 11);
  EXPECT_SLOT(ITCallInfo, put_CallInfoLong, 12);
  EXPECT_SLOT(ITCallInfo, get_CallInfoString, 13);
  EXPECT_SLOT(ITCallInfo, put_CallInfoString, 14);
  EXPECT_SLOT(ITCallInfo, get_CallInfoBuffer, 15);
  EXPECT_SLOT(ITCallInfo, put_CallInfoBuffer, 16);
  EXPECT_SLOT(ITCallInfo, GetCallInfoBuffer, 17);
  EXPECT_SLOT(ITCallInfo, SetCallInfoBuffer, 18);
  EXPECT_SLOT(ITCallInfo, ReleaseUserUserInfo, 19);
  EXPECT_SLOT(ITCallInfo2, get_EventFilter, 20);
  EXPECT_SLOT(ITCallInfo2, put_EventFilter, 21);

  EXPECT_SLOT(ITCallHub, Clear, 7);
  EXPECT_SLOT(ITCallHub, EnumerateCalls, 8);
  EXPECT_SLOT(ITCallHub, get_Calls, 9);
  EXPECT_LONG_SLOT(ITCallHub, get_NumCalls, 10);
  EXPECT_SLOT(ITCallHub, get_State, 11);
}

TEST_F(VtableOrder, MediaAndTerminals) {
  EXPECT_SLOT(ITTerminal, get_Name, 7);
  EXPECT_SLOT(ITTerminal, get_State, 8);
  EXPECT_SLOT(ITTerminal, get_TerminalType, 9);
  EXPECT_SLOT(ITTerminal, get_TerminalClass, 10);
  EXPECT_LONG_SLOT(ITTerminal, get_MediaType, 11);
  EXPECT_SLOT(ITTerminal, get_Direction, 12);

  EXPECT_SLOT(ITStreamControl, CreateStream, 7);
  EXPECT_SLOT(ITStreamControl, RemoveStream, 8);
  EXPECT_SLOT(ITStreamControl, EnumerateStreams, 9);
  EXPECT_SLOT(ITStreamControl, get_Streams, 10);

  EXPECT_LONG_SLOT(ITStream, get_MediaType, 7);
  EXPECT_SLOT(ITStream, get_Direction, 8);
  EXPECT_SLOT(ITStream, get_Name, 9);
  EXPECT_SLOT(ITStream, StartStream, 10);
  EXPECT_SLOT(ITStream, PauseStream, 11);
  EXPECT_SLOT(ITStream, StopStream, 12);
  EXPECT_SLOT(ITStream, SelectTerminal, 13);
  EXPECT_SLOT(ITStream, UnselectTerminal, 14);
  EXPECT_SLOT(ITStream, EnumerateTerminals, 15);
  EXPECT_SLOT(ITStream, get_Terminals, 16);
}

TEST_F(VtableOrder, CallEventsAndEnumerators) {
  EXPECT_SLOT(ITCallNotificationEvent, get_Call, 7);
  EXPECT_SLOT(ITCallNotificationEvent, get_Event, 8);
  EXPECT_LONG_SLOT(ITCallNotificationEvent, get_CallbackInstance, 9);

  EXPECT_SLOT(ITCallStateEvent, get_Call, 7);
  EXPECT_SLOT(ITCallStateEvent, get_State, 8);
  EXPECT_SLOT(ITCallStateEvent, get_Cause, 9);
  EXPECT_LONG_SLOT(ITCallStateEvent, get_CallbackInstance, 10);

  EXPECT_SLOT(ITCallInfoChangeEvent, get_Call, 7);
  EXPECT_SLOT(ITCallInfoChangeEvent, get_Cause, 8);
  EXPECT_LONG_SLOT(ITCallInfoChangeEvent, get_CallbackInstance, 9);

  EXPECT_SLOT(ITCallMediaEvent, get_Call, 7);
  EXPECT_SLOT(ITCallMediaEvent, get_Event, 8);
  EXPECT_SLOT(ITCallMediaEvent, get_Error, 9);
  EXPECT_SLOT(ITCallMediaEvent, get_Terminal, 10);
  EXPECT_SLOT(ITCallMediaEvent, get_Stream, 11);
  EXPECT_SLOT(ITCallMediaEvent, get_Cause, 12);

  EXPECT_SLOT(ITDigitDetectionEvent, get_Call, 7);
  EXPECT_SLOT(ITDigitDetectionEvent, get_Digit, 8);
  EXPECT_LONG_SLOT(ITDigitDetectionEvent, get_DigitMode, 9);
  EXPECT_LONG_SLOT(ITDigitDetectionEvent, get_TickCount, 10);
  EXPECT_LONG_SLOT(ITDigitDetectionEvent, get_CallbackInstance, 11);

  EXPECT_SLOT(ITCallHubEvent, get_Event, 7);
  EXPECT_SLOT(ITCallHubEvent, get_CallHub, 8);
  EXPECT_SLOT(ITCallHubEvent, get_Call, 9);

  EXPECT_SLOT(ITAddressEvent, get_Address, 7);
  EXPECT_SLOT(ITAddressEvent, get_Event, 8);
  EXPECT_SLOT(ITAddressEvent, get_Terminal, 9);

  EXPECT_SLOT(ITTAPIObjectEvent, get_TAPIObject, 7);
  EXPECT_SLOT(ITTAPIObjectEvent, get_Event, 8);
  EXPECT_SLOT(ITTAPIObjectEvent, get_Address, 9);
  EXPECT_LONG_SLOT(ITTAPIObjectEvent, get_CallbackInstance, 10);

#define EXPECT_TAPI_ENUM_SLOTS(I) \
  EXPECT_SLOT(I, Next, 3);        \
  EXPECT_SLOT(I, Reset, 4);       \
  EXPECT_SLOT(I, Skip, 5);        \
  EXPECT_SLOT(I, Clone, 6)
  EXPECT_TAPI_ENUM_SLOTS(IEnumCall);
  EXPECT_TAPI_ENUM_SLOTS(IEnumCallHub);
  EXPECT_TAPI_ENUM_SLOTS(IEnumTerminal);
  EXPECT_TAPI_ENUM_SLOTS(IEnumTerminalClass);
  EXPECT_TAPI_ENUM_SLOTS(IEnumStream);
  EXPECT_TAPI_ENUM_SLOTS(IEnumBstr);
#undef EXPECT_TAPI_ENUM_SLOTS
}

TEST(Headers, CallInterfacesDeriveAsOnWindows) {
  static_assert(std::is_base_of_v<ITAddress, ITAddress2>);
  static_assert(std::is_base_of_v<ITCallInfo, ITCallInfo2>);
  static_assert(std::is_base_of_v<ITBasicCallControl, ITBasicCallControl2>);
  static_assert(std::is_base_of_v<ITTerminalSupport, ITTerminalSupport2>);
  static_assert(std::is_base_of_v<IDispatch, ITCallStateEvent> && std::is_base_of_v<IDispatch, ITStream>);
  static_assert(!std::is_base_of_v<IDispatch, IEnumCall> && !std::is_base_of_v<IDispatch, IEnumStream> &&
                std::is_base_of_v<IUnknown, IEnumBstr>);
  static_assert(sizeof(ITCallInfo2) == sizeof(void*) && sizeof(ITAddress2) == sizeof(void*));
  SUCCEED();
}

// ---- C long* source compatibility -------------------------------------------

// An ITAgentSession overriding every pure virtual; only get_NumberOfCalls
// does something: it answers `answer` with `result`.
class FakeSession final : public ITAgentSession {
 public:
  HRESULT result = S_OK;
  LONG answer = 0;
  int reads = 0;

  HRESULT STDMETHODCALLTYPE get_NumberOfCalls(LONG* plCalls) override {
    ++reads;
    if (plCalls == nullptr) return E_POINTER;
    if (SUCCEEDED(result)) *plCalls = answer;
    return result;
  }

  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID, void**) override { return E_NOINTERFACE; }
  ULONG STDMETHODCALLTYPE AddRef() override { return 1; }
  ULONG STDMETHODCALLTYPE Release() override { return 1; }
  HRESULT STDMETHODCALLTYPE GetTypeInfoCount(UINT*) override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE GetTypeInfo(UINT, LCID, ITypeInfo**) override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE GetIDsOfNames(REFIID, LPOLESTR*, UINT, LCID, DISPID*) override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE Invoke(DISPID, REFIID, LCID, WORD, DISPPARAMS*, VARIANT*, EXCEPINFO*, UINT*) override {
    return E_NOTIMPL;
  }
  HRESULT STDMETHODCALLTYPE get_Agent(ITAgent**) override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE get_Address(ITAddress**) override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE get_ACDGroup(ITACDGroup**) override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE put_State(AGENT_SESSION_STATE) override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE get_State(AGENT_SESSION_STATE*) override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE get_SessionStartTime(DATE*) override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE get_SessionDuration(LONG*) override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE get_TotalTalkTime(LONG*) override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE get_AverageTalkTime(LONG*) override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE get_TotalCallTime(LONG*) override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE get_AverageCallTime(LONG*) override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE get_TotalWrapUpTime(LONG*) override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE get_AverageWrapUpTime(LONG*) override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE get_ACDCallRate(CURRENCY*) override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE get_LongestTimeToAnswer(LONG*) override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE get_AverageTimeToAnswer(LONG*) override { return E_NOTIMPL; }
};

TEST(LongOverload, ForwardsACLongToTheVirtualGetter) {
  FakeSession fake;
  fake.answer = 17;
  ITAgentSession* session = &fake;
  long calls = -1;  // how a Windows program declares it; 64 bits on LP64 Linux
  EXPECT_EQ(session->get_NumberOfCalls(&calls), S_OK);
  EXPECT_EQ(calls, 17);
  EXPECT_EQ(fake.reads, 1);
}

TEST(LongOverload, SignExtendsNegativeValues) {
  FakeSession fake;
  fake.answer = -7;
  ITAgentSession* session = &fake;
  long value = 0;
  EXPECT_EQ(session->get_NumberOfCalls(&value), S_OK);
  EXPECT_EQ(value, -7);
}

TEST(LongOverload, NullCLongIsEPointerWithoutCallingTheGetter) {
  FakeSession fake;
  ITAgentSession* session = &fake;
  long* none = nullptr;
  EXPECT_EQ(session->get_NumberOfCalls(none), E_POINTER);
  EXPECT_EQ(fake.reads, 0);
}

TEST(LongOverload, FailureLeavesTheCLongUntouched) {
  FakeSession fake;
  fake.result = TAPI_E_TIMEOUT;
  ITAgentSession* session = &fake;
  long calls = 5;
  EXPECT_EQ(session->get_NumberOfCalls(&calls), TAPI_E_TIMEOUT);
  EXPECT_EQ(calls, 5);
}

TEST(LongOverload, LongAndNullLiteralsStillReachTheVirtual) {
  FakeSession fake;
  fake.answer = 3;
  ITAgentSession* session = &fake;
  LONG exact = 0;
  EXPECT_EQ(session->get_NumberOfCalls(&exact), S_OK);
  EXPECT_EQ(exact, 3);
  EXPECT_EQ(session->get_NumberOfCalls(nullptr), E_POINTER);  // not ambiguous
  EXPECT_EQ(session->get_NumberOfCalls(NULL), E_POINTER);
  EXPECT_EQ(fake.reads, 3);
}

// ITCallInfo::get_CallInfoLong takes a selector before its out-parameter;
// its `long *` form forwards the selector unchanged. Only that method does
// something in this fake.
class FakeCallInfo final : public ITCallInfo {
 public:
  CALLINFO_LONG asked = CIL_MEDIATYPESAVAILABLE;
  int reads = 0;

  HRESULT STDMETHODCALLTYPE get_CallInfoLong(CALLINFO_LONG which, LONG* value) override {
    ++reads;
    asked = which;
    if (value == nullptr) return E_POINTER;
    *value = which == CIL_CALLID ? 4711 : -2;
    return S_OK;
  }

  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID, void**) override { return E_NOINTERFACE; }
  ULONG STDMETHODCALLTYPE AddRef() override { return 1; }
  ULONG STDMETHODCALLTYPE Release() override { return 1; }
  HRESULT STDMETHODCALLTYPE GetTypeInfoCount(UINT*) override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE GetTypeInfo(UINT, LCID, ITypeInfo**) override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE GetIDsOfNames(REFIID, LPOLESTR*, UINT, LCID, DISPID*) override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE Invoke(DISPID, REFIID, LCID, WORD, DISPPARAMS*, VARIANT*, EXCEPINFO*, UINT*) override {
    return E_NOTIMPL;
  }
  HRESULT STDMETHODCALLTYPE get_Address(ITAddress**) override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE get_CallState(CALL_STATE*) override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE get_Privilege(CALL_PRIVILEGE*) override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE get_CallHub(ITCallHub**) override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE put_CallInfoLong(CALLINFO_LONG, LONG) override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE get_CallInfoString(CALLINFO_STRING, BSTR*) override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE put_CallInfoString(CALLINFO_STRING, BSTR) override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE get_CallInfoBuffer(CALLINFO_BUFFER, VARIANT*) override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE put_CallInfoBuffer(CALLINFO_BUFFER, VARIANT) override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE GetCallInfoBuffer(CALLINFO_BUFFER, DWORD*, BYTE**) override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE SetCallInfoBuffer(CALLINFO_BUFFER, DWORD, BYTE*) override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE ReleaseUserUserInfo() override { return E_NOTIMPL; }
};

TEST(LongOverload, SelectorGetterForwardsTheSelectorAndTheValue) {
  FakeCallInfo fake;
  ITCallInfo* call = &fake;
  long id = 0;  // as the incoming/outgoing samples declare it
  EXPECT_EQ(call->get_CallInfoLong(CIL_CALLID, &id), S_OK);
  EXPECT_EQ(id, 4711);
  EXPECT_EQ(fake.asked, CIL_CALLID);
  long origin = 0;
  EXPECT_EQ(call->get_CallInfoLong(CIL_ORIGIN, &origin), S_OK);
  EXPECT_EQ(origin, -2);  // sign-extended
  EXPECT_EQ(fake.asked, CIL_ORIGIN);
  LONG exact = 0;
  EXPECT_EQ(call->get_CallInfoLong(CIL_CALLID, &exact), S_OK);  // the virtual itself
  EXPECT_EQ(exact, 4711);
  long* none = nullptr;
  EXPECT_EQ(call->get_CallInfoLong(CIL_CALLID, none), E_POINTER);
  EXPECT_EQ(fake.reads, 3);  // the NULL long* never reached the getter
}

}  // namespace
