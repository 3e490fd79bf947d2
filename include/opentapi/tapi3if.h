/*
 * tapi3if.h — the core TAPI 3 interfaces: the TAPI object (ITTAPI), its
 * event sink (ITTAPIEventNotification), addresses (ITAddress, ITAddress2,
 * ITAddressCapabilities, ITMediaSupport, ITTerminalSupport), calls
 * (ITCallInfo, ITBasicCallControl and their "2" versions, ITCallHub), media
 * streams and terminals (ITStreamControl, ITStream, ITTerminal), the call
 * events, the enumerators, Automation collections (ITCollection), their
 * enumerations (TAPI_EVENT, CALL_STATE, CALLINFO_*, ...) and TAPIMEDIATYPE_*.
 *
 * What a call program or the call-center layer (tapi3cc.h) uses is declared
 * in full; the rest of Windows' tapi3if.h (phones, pluggable and file
 * terminals, address translation, legacy media control) is either
 * forward-declared, because a signature here names it, or absent. Declared methods are in Windows vtable order, so an
 * object implementing these interfaces is laid out as on Windows. COM `long` is LONG (32 bits).
 *
 * Source compatibility with Windows programs: every getter that returns a
 * COM `long` also accepts a C `long *` (64 bits on LP64 Linux) through a
 * non-virtual template overload that forwards to the LONG * method; it adds
 * no vtable slot. Call such getters through the interface pointer.
 *
 * C++11 or later (included by tapi3.h).
 */
#ifndef OPENTAPI_TAPI3IF_H
#define OPENTAPI_TAPI3IF_H

#include <type_traits>

#include "tapi_com.h"

/* ---- Source compatibility for C `long` out-parameters -------------------- */

namespace opentapi_com {

/* Enables an overload only for T = long, so that `long n; p->get_X(&n);`
 * compiles while NULL, nullptr and LONG * still pick the virtual method. */
template <typename T>
using IfCLong = typename std::enable_if<std::is_same<T, long>::value, int>::type;

/* Calls get(LONG *) and copies the result into *out on success only;
 * E_POINTER for a NULL out. */
template <typename Get>
inline HRESULT CopyLongOut(long* out, Get get) {
  if (out == nullptr) return E_POINTER;
  LONG value = 0;
  const HRESULT hr = get(&value);
  if (SUCCEEDED(hr)) *out = value;
  return hr;
}

}  // namespace opentapi_com

/* Declares `HRESULT method(long *)` forwarding to the virtual
 * `HRESULT method(LONG *)` of the same interface. */
#define OPENTAPI_LONG_OUT_OVERLOAD(method)                                                \
  template <typename CLong, ::opentapi_com::IfCLong<CLong> = 0>                           \
  HRESULT method(CLong* out) {                                                            \
    return ::opentapi_com::CopyLongOut(out, [this](LONG* p) { return this->method(p); }); \
  }

/* ---- Enumerations -------------------------------------------------------- */

/* TAPI_EVENT: the event categories, as bit flags for ITTAPI::put_EventFilter
 * and as the first argument of ITTAPIEventNotification::Event
 * (docs/reference/tapi3-callcenter.md §4.8). */
typedef enum TAPI_EVENT {
  TE_TAPIOBJECT = 0x00000001,
  TE_ADDRESS = 0x00000002,
  TE_CALLNOTIFICATION = 0x00000004,
  TE_CALLSTATE = 0x00000008,
  TE_CALLMEDIA = 0x00000010,
  TE_CALLHUB = 0x00000020,
  TE_CALLINFOCHANGE = 0x00000040,
  TE_PRIVATE = 0x00000080,
  TE_REQUEST = 0x00000100,
  TE_AGENT = 0x00000200,        /* ITAgentEvent */
  TE_AGENTSESSION = 0x00000400, /* ITAgentSessionEvent */
  TE_QOSEVENT = 0x00000800,
  TE_AGENTHANDLER = 0x00001000, /* ITAgentHandlerEvent */
  TE_ACDGROUP = 0x00002000,     /* ITACDGroupEvent */
  TE_QUEUE = 0x00004000,        /* ITQueueEvent */
  TE_DIGITEVENT = 0x00008000,
  TE_GENERATEEVENT = 0x00010000,
  TE_ASRTERMINAL = 0x00020000,
  TE_TTSTERMINAL = 0x00040000,
  TE_FILETERMINAL = 0x00080000,
  TE_TONETERMINAL = 0x00100000,
  TE_PHONEEVENT = 0x00200000,
  TE_TONEEVENT = 0x00400000,
  TE_GATHERDIGITS = 0x00800000,
  TE_ADDRESSDEVSPECIFIC = 0x01000000,
  TE_PHONEDEVSPECIFIC = 0x02000000
} TAPI_EVENT;

/* ADDRESS_STATE: ITAddress::get_State. (AS_ names distinct from AGENT_STATE's.) */
typedef enum ADDRESS_STATE { AS_INSERVICE = 0, AS_OUTOFSERVICE = 1 } ADDRESS_STATE;

/* ADDRESS_EVENT: ITAddressEvent::get_Event (TE_ADDRESS). (AE_ names distinct
 * from AGENT_EVENT's.) */
typedef enum ADDRESS_EVENT {
  AE_STATE = 0,
  AE_CAPSCHANGE = 1,
  AE_RINGING = 2,
  AE_CONFIGCHANGE = 3,
  AE_FORWARD = 4,
  AE_NEWTERMINAL = 5,
  AE_REMOVETERMINAL = 6,
  AE_MSGWAITON = 7,
  AE_MSGWAITOFF = 8,
  AE_LASTITEM = AE_MSGWAITOFF
} ADDRESS_EVENT;

/* CALL_STATE: ITCallInfo::get_CallState, ITCallStateEvent::get_State. The
 * TAPI 2 states map onto these (docs/porting.md): OFFERING and ACCEPTED are
 * CS_OFFERING; DIALTONE, DIALING, PROCEEDING, RINGBACK are CS_INPROGRESS;
 * ONHOLD* are CS_HOLD; BUSY and DISCONNECTED are CS_DISCONNECTED. */
typedef enum CALL_STATE {
  CS_IDLE = 0,
  CS_INPROGRESS = 1,
  CS_CONNECTED = 2,
  CS_DISCONNECTED = 3,
  CS_OFFERING = 4,
  CS_HOLD = 5,
  CS_QUEUED = 6,
  CS_LASTITEM = CS_QUEUED
} CALL_STATE;

/* CALL_STATE_EVENT_CAUSE: ITCallStateEvent::get_Cause, mostly why a call
 * went CS_DISCONNECTED. */
typedef enum CALL_STATE_EVENT_CAUSE {
  CEC_NONE = 0,
  CEC_DISCONNECT_NORMAL = 1,
  CEC_DISCONNECT_BUSY = 2,
  CEC_DISCONNECT_BADADDRESS = 3,
  CEC_DISCONNECT_NOANSWER = 4,
  CEC_DISCONNECT_CANCELLED = 5,
  CEC_DISCONNECT_REJECTED = 6,
  CEC_DISCONNECT_FAILED = 7,
  CEC_DISCONNECT_BLOCKED = 8
} CALL_STATE_EVENT_CAUSE;

/* CALL_MEDIA_EVENT and its cause: ITCallMediaEvent (TE_CALLMEDIA). The switch
 * carries no media, so opentapi never sends these (docs/calls.md "Media"). */
typedef enum CALL_MEDIA_EVENT {
  CME_NEW_STREAM = 0,
  CME_STREAM_FAIL = 1,
  CME_TERMINAL_FAIL = 2,
  CME_STREAM_NOT_USED = 3,
  CME_STREAM_ACTIVE = 4,
  CME_STREAM_INACTIVE = 5,
  CME_LASTITEM = CME_STREAM_INACTIVE
} CALL_MEDIA_EVENT;

typedef enum CALL_MEDIA_EVENT_CAUSE {
  CMC_UNKNOWN = 0,
  CMC_BAD_DEVICE = 1,
  CMC_CONNECT_FAIL = 2,
  CMC_LOCAL_REQUEST = 3,
  CMC_REMOTE_REQUEST = 4,
  CMC_MEDIA_TIMEOUT = 5,
  CMC_MEDIA_RECOVERED = 6,
  CMC_QUALITY_OF_SERVICE = 7
} CALL_MEDIA_EVENT_CAUSE;

/* DISCONNECT_CODE: ITBasicCallControl::Disconnect. */
typedef enum DISCONNECT_CODE { DC_NORMAL = 0, DC_NOANSWER = 1, DC_REJECTED = 2 } DISCONNECT_CODE;

/* Terminals (ITTerminal). */
typedef enum TERMINAL_STATE { TS_INUSE = 0, TS_NOTINUSE = 1 } TERMINAL_STATE;

typedef enum TERMINAL_DIRECTION {
  TD_CAPTURE = 0,
  TD_RENDER = 1,
  TD_BIDIRECTIONAL = 2,
  TD_MULTITRACK_MIXED = 3,
  TD_NONE = 4
} TERMINAL_DIRECTION;

typedef enum TERMINAL_TYPE { TT_STATIC = 0, TT_DYNAMIC = 1 } TERMINAL_TYPE;

/* CALL_PRIVILEGE: ITCallInfo::get_Privilege (LINECALLPRIVILEGE_OWNER and
 * _MONITOR). */
typedef enum CALL_PRIVILEGE { CP_OWNER = 0, CP_MONITOR = 1 } CALL_PRIVILEGE;

/* CALL_NOTIFICATION_EVENT: ITCallNotificationEvent::get_Event — the
 * application got a new call as owner or as monitor. */
typedef enum CALL_NOTIFICATION_EVENT {
  CNE_OWNER = 0,
  CNE_MONITOR = 1,
  CNE_LASTITEM = CNE_MONITOR
} CALL_NOTIFICATION_EVENT;

/* Call hubs (ITCallHub, ITCallHubEvent). */
typedef enum CALLHUB_EVENT {
  CHE_CALLJOIN = 0,
  CHE_CALLLEAVE = 1,
  CHE_CALLHUBNEW = 2,
  CHE_CALLHUBIDLE = 3,
  CHE_LASTITEM = CHE_CALLHUBIDLE
} CALLHUB_EVENT;

typedef enum CALLHUB_STATE { CHS_ACTIVE = 0, CHS_IDLE = 1 } CALLHUB_STATE;

/* TAPIOBJECT_EVENT: ITTAPIObjectEvent::get_Event (TE_TAPIOBJECT). */
typedef enum TAPIOBJECT_EVENT {
  TE_ADDRESSCREATE = 0,
  TE_ADDRESSREMOVE = 1,
  TE_REINIT = 2,
  TE_TRANSLATECHANGE = 3,
  TE_ADDRESSCLOSE = 4,
  TE_PHONECREATE = 5,
  TE_PHONEREMOVE = 6
} TAPIOBJECT_EVENT;

/* TAPI_OBJECT_TYPE: the kind of object a private (provider) object belongs to. */
typedef enum TAPI_OBJECT_TYPE {
  TOT_NONE = 0,
  TOT_TAPI = 1,
  TOT_ADDRESS = 2,
  TOT_TERMINAL = 3,
  TOT_CALL = 4,
  TOT_CALLHUB = 5,
  TOT_PHONE = 6
} TAPI_OBJECT_TYPE;

/* Quality of service (ITBasicCallControl::SetQOS, ITQOSEvent). */
typedef enum QOS_SERVICE_LEVEL { QSL_NEEDED = 1, QSL_IF_AVAILABLE = 2, QSL_BEST_EFFORT = 3 } QOS_SERVICE_LEVEL;

typedef enum QOS_EVENT {
  QE_NOQOS = 1,
  QE_ADMISSIONFAILURE = 2,
  QE_POLICYFAILURE = 3,
  QE_GENERICERROR = 4,
  QE_LASTITEM = QE_GENERICERROR
} QOS_EVENT;

/* CALLINFOCHANGE_CAUSE: ITCallInfoChangeEvent::get_Cause, one per
 * LINECALLINFOSTATE_* bit of LINE_CALLINFO. */
typedef enum CALLINFOCHANGE_CAUSE {
  CIC_OTHER = 0,
  CIC_DEVSPECIFIC = 1,
  CIC_BEARERMODE = 2,
  CIC_RATE = 3,
  CIC_APPSPECIFIC = 4,
  CIC_CALLID = 5,
  CIC_RELATEDCALLID = 6,
  CIC_ORIGIN = 7,
  CIC_REASON = 8,
  CIC_COMPLETIONID = 9,
  CIC_NUMOWNERINCR = 10,
  CIC_NUMOWNERDECR = 11,
  CIC_NUMMONITORS = 12,
  CIC_TRUNK = 13,
  CIC_CALLERID = 14,
  CIC_CALLEDID = 15,
  CIC_CONNECTEDID = 16,
  CIC_REDIRECTIONID = 17,
  CIC_REDIRECTINGID = 18,
  CIC_USERUSERINFO = 19,
  CIC_HIGHLEVELCOMP = 20,
  CIC_LOWLEVELCOMP = 21,
  CIC_CHARGINGINFO = 22,
  CIC_TREATMENT = 23,
  CIC_CALLDATA = 24,
  CIC_PRIVILEGE = 25,
  CIC_MEDIATYPE = 26,
  CIC_LASTITEM = CIC_MEDIATYPE
} CALLINFOCHANGE_CAUSE;

/* CALLINFO_LONG: ITCallInfo::get_CallInfoLong / put_CallInfoLong, the
 * numeric LINECALLINFO fields. */
typedef enum CALLINFO_LONG {
  CIL_MEDIATYPESAVAILABLE = 0,
  CIL_BEARERMODE = 1,
  CIL_CALLERIDADDRESSTYPE = 2,
  CIL_CALLEDIDADDRESSTYPE = 3,
  CIL_CONNECTEDIDADDRESSTYPE = 4,
  CIL_REDIRECTIONIDADDRESSTYPE = 5,
  CIL_REDIRECTINGIDADDRESSTYPE = 6,
  CIL_ORIGIN = 7,
  CIL_REASON = 8,
  CIL_APPSPECIFIC = 9,
  CIL_CALLPARAMSFLAGS = 10,
  CIL_CALLTREATMENT = 11,
  CIL_MINRATE = 12,
  CIL_MAXRATE = 13,
  CIL_COUNTRYCODE = 14,
  CIL_CALLID = 15,
  CIL_RELATEDCALLID = 16,
  CIL_COMPLETIONID = 17,
  CIL_NUMBEROFOWNERS = 18,
  CIL_NUMBEROFMONITORS = 19,
  CIL_TRUNK = 20,
  CIL_RATE = 21,
  CIL_GENERATEDIGITDURATION = 22,
  CIL_MONITORDIGITMODES = 23,
  CIL_MONITORMEDIAMODES = 24
} CALLINFO_LONG;

/* CALLINFO_STRING: ITCallInfo::get_CallInfoString / put_CallInfoString. */
typedef enum CALLINFO_STRING {
  CIS_CALLERIDNAME = 0,
  CIS_CALLERIDNUMBER = 1,
  CIS_CALLEDIDNAME = 2,
  CIS_CALLEDIDNUMBER = 3,
  CIS_CONNECTEDIDNAME = 4,
  CIS_CONNECTEDIDNUMBER = 5,
  CIS_REDIRECTIONIDNAME = 6,
  CIS_REDIRECTIONIDNUMBER = 7,
  CIS_REDIRECTINGIDNAME = 8,
  CIS_REDIRECTINGIDNUMBER = 9,
  CIS_CALLEDPARTYFRIENDLYNAME = 10,
  CIS_COMMENT = 11,
  CIS_DISPLAYABLEADDRESS = 12,
  CIS_CALLINGPARTYID = 13
} CALLINFO_STRING;

/* CALLINFO_BUFFER: ITCallInfo::get_CallInfoBuffer and friends. */
typedef enum CALLINFO_BUFFER {
  CIB_USERUSERINFO = 0,
  CIB_DEVSPECIFICBUFFER = 1,
  CIB_CALLDATABUFFER = 2,
  CIB_CHARGINGINFOBUFFER = 3,
  CIB_HIGHLEVELCOMPATIBILITYBUFFER = 4,
  CIB_LOWLEVELCOMPATIBILITYBUFFER = 5
} CALLINFO_BUFFER;

/* ADDRESS_CAPABILITY: ITAddressCapabilities::get_AddressCapability, the
 * numeric LINEDEVCAPS / LINEADDRESSCAPS fields. */
typedef enum ADDRESS_CAPABILITY {
  AC_ADDRESSTYPES = 0,
  AC_BEARERMODES = 1,
  AC_MAXACTIVECALLS = 2,
  AC_MAXONHOLDCALLS = 3,
  AC_MAXONHOLDPENDINGCALLS = 4,
  AC_MAXNUMCONFERENCE = 5,
  AC_MAXNUMTRANSCONF = 6,
  AC_MONITORDIGITSUPPORT = 7,
  AC_GENERATEDIGITSUPPORT = 8,
  AC_GENERATETONEMODES = 9,
  AC_GENERATETONEMAXNUMFREQ = 10,
  AC_MONITORTONEMAXNUMFREQ = 11,
  AC_MONITORTONEMAXNUMENTRIES = 12,
  AC_DEVCAPFLAGS = 13,
  AC_ANSWERMODES = 14,
  AC_LINEFEATURES = 15,
  AC_SETTABLEDEVSTATUS = 16,
  AC_PARKSUPPORT = 17,
  AC_CALLERIDSUPPORT = 18,
  AC_CALLEDIDSUPPORT = 19,
  AC_CONNECTEDIDSUPPORT = 20,
  AC_REDIRECTIONIDSUPPORT = 21,
  AC_REDIRECTINGIDSUPPORT = 22,
  AC_ADDRESSCAPFLAGS = 23,
  AC_CALLFEATURES1 = 24,
  AC_CALLFEATURES2 = 25,
  AC_REMOVEFROMCONFCAPS = 26,
  AC_REMOVEFROMCONFSTATE = 27,
  AC_TRANSFERMODES = 28,
  AC_ADDRESSFEATURES = 29,
  AC_PREDICTIVEAUTOTRANSFERSTATES = 30,
  AC_MAXCALLDATASIZE = 31,
  AC_LINEID = 32,
  AC_ADDRESSID = 33,
  AC_FORWARDMODES = 34,
  AC_MAXFORWARDENTRIES = 35,
  AC_MAXSPECIFICENTRIES = 36,
  AC_MINFWDNUMRINGS = 37,
  AC_MAXFWDNUMRINGS = 38,
  AC_MAXCALLCOMPLETIONS = 39,
  AC_CALLCOMPLETIONCONDITIONS = 40,
  AC_CALLCOMPLETIONMODES = 41,
  AC_PERMANENTDEVICEID = 42,
  AC_GATHERDIGITSMINTIMEOUT = 43,
  AC_GATHERDIGITSMAXTIMEOUT = 44,
  AC_GENERATEDIGITMINDURATION = 45,
  AC_GENERATEDIGITMAXDURATION = 46,
  AC_GENERATEDIGITDEFAULTDURATION = 47
} ADDRESS_CAPABILITY;

/* ADDRESS_CAPABILITY_STRING: ITAddressCapabilities::get_AddressCapabilityString. */
typedef enum ADDRESS_CAPABILITY_STRING {
  ACS_PROTOCOL = 0,
  ACS_ADDRESSDEVICESPECIFIC = 1,
  ACS_LINEDEVICESPECIFIC = 2,
  ACS_PROVIDERSPECIFIC = 3,
  ACS_SWITCHSPECIFIC = 4,
  ACS_PERMANENTDEVICEGUID = 5
} ADDRESS_CAPABILITY_STRING;

/* FULLDUPLEX_SUPPORT: ITLegacyWaveSupport::IsFullDuplex. */
typedef enum FULLDUPLEX_SUPPORT { FDS_SUPPORTED = 0, FDS_NOTSUPPORTED = 1, FDS_UNKNOWN = 2 } FULLDUPLEX_SUPPORT;

/* FINISH_MODE: ITBasicCallControl::Finish (end a consultation call). */
typedef enum FINISH_MODE { FM_ASTRANSFER = 0, FM_ASCONFERENCE = 1 } FINISH_MODE;

/* Media types (ITAddress::CreateCall's lMediaTypes, ITMediaSupport,
 * ITTAPI::RegisterCallNotifications): the TAPI 2 LINEMEDIAMODE_ bits they
 * stand for. opentapi's calls are TAPIMEDIATYPE_AUDIO
 * (LINEMEDIAMODE_INTERACTIVEVOICE on the TAPI 2 side; docs/calls.md). */
#define TAPIMEDIATYPE_AUDIO 0x8
#define TAPIMEDIATYPE_VIDEO 0x8000
#define TAPIMEDIATYPE_DATAMODEM 0x10
#define TAPIMEDIATYPE_G3FAX 0x20
#define TAPIMEDIATYPE_MULTITRACK 0x10000

/* Address types (ITAddress::CreateCall's lAddressType), also in tapi.h with
 * the same definition. */
#ifndef LINEADDRESSTYPE_PHONENUMBER
#define LINEADDRESSTYPE_PHONENUMBER 0x00000001u
#define LINEADDRESSTYPE_SDP 0x00000002u
#define LINEADDRESSTYPE_EMAILNAME 0x00000004u
#define LINEADDRESSTYPE_DOMAINNAME 0x00000008u
#define LINEADDRESSTYPE_IPADDRESS 0x00000010u
#endif

/* ---- Interfaces ---------------------------------------------------------- */

struct ITTAPI;
struct ITAddress;
struct IEnumAddress;
struct ITCollection;
struct ITTAPIEventNotification;
struct ITAddress2;
struct ITAddressCapabilities;
struct ITMediaSupport;
struct ITTerminalSupport;
struct ITTerminalSupport2;
struct ITCallHub;
struct IEnumCallHub;
struct ITCallInfo;
struct ITCallInfo2;
struct IEnumCall;
struct ITBasicCallControl;
struct ITBasicCallControl2;
struct ITTerminal;
struct IEnumTerminal;
struct IEnumTerminalClass;
struct ITStreamControl;
struct ITStream;
struct IEnumStream;
struct IEnumBstr;
/* Named by the signatures below but not declared here (phones, forwarding,
 * pluggable terminals, assisted telephony). */
struct ITPhone;
struct IEnumPhone;
struct IEnumPluggableSuperclassInfo;
struct IEnumPluggableTerminalClassInfo;
struct ITForwardInformation;
struct ITDispatchMapper;
struct ITRequest;

/* ITTAPI: the TAPI object, created with CoCreateInstance(CLSID_TAPI); QI it
 * for ITTAPICallCenter and IConnectionPointContainer
 * (docs/reference/tapi3-callcenter.md §3.9, docs/reference/flows.md §2.2). */
struct ITTAPI : IDispatch {
  /* Must precede any other use; call-center enumeration before it fails with
   * E_INVALIDARG. */
  virtual HRESULT STDMETHODCALLTYPE Initialize(void) = 0;
  /* Ends TAPI use; methods still waiting return TAPI_E_NOT_INITIALIZED. */
  virtual HRESULT STDMETHODCALLTYPE Shutdown(void) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Addresses(VARIANT* pVariant) = 0;
  virtual HRESULT STDMETHODCALLTYPE EnumerateAddresses(IEnumAddress** ppEnumAddress) = 0;
  virtual HRESULT STDMETHODCALLTYPE RegisterCallNotifications(ITAddress* pAddress, VARIANT_BOOL fMonitor,
                                                              VARIANT_BOOL fOwner, LONG lMediaTypes,
                                                              LONG lCallbackInstance, LONG* plRegister) = 0;
  virtual HRESULT STDMETHODCALLTYPE UnregisterNotifications(LONG lRegister) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_CallHubs(VARIANT* pVariant) = 0;
  virtual HRESULT STDMETHODCALLTYPE EnumerateCallHubs(IEnumCallHub** ppEnumCallHub) = 0;
  virtual HRESULT STDMETHODCALLTYPE SetCallHubTracking(VARIANT pAddresses, VARIANT_BOOL bTracking) = 0;
  virtual HRESULT STDMETHODCALLTYPE EnumeratePrivateTAPIObjects(IEnumUnknown** ppEnumUnknown) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_PrivateTAPIObjects(VARIANT* pVariant) = 0;
  virtual HRESULT STDMETHODCALLTYPE RegisterRequestRecipient(LONG lRegistrationInstance, LONG lRequestMode,
                                                             VARIANT_BOOL fEnable) = 0;
  virtual HRESULT STDMETHODCALLTYPE SetAssistedTelephonyPriority(BSTR pAppFilename, VARIANT_BOOL fPriority) = 0;
  virtual HRESULT STDMETHODCALLTYPE SetApplicationPriority(BSTR pAppFilename, LONG lMediaType,
                                                           VARIANT_BOOL fPriority) = 0;
  /* Mask = OR of TAPI_EVENT values; without it no event is delivered at all.
   * S_OK, E_OUTOFMEMORY. */
  virtual HRESULT STDMETHODCALLTYPE put_EventFilter(LONG lFilterMask) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_EventFilter(LONG* plFilterMask) = 0;

  OPENTAPI_LONG_OUT_OVERLOAD(get_EventFilter)
  template <typename CLong, ::opentapi_com::IfCLong<CLong> = 0>
  HRESULT RegisterCallNotifications(ITAddress* pAddress, VARIANT_BOOL fMonitor, VARIANT_BOOL fOwner, LONG lMediaTypes,
                                    LONG lCallbackInstance, CLong* plRegister) {
    return ::opentapi_com::CopyLongOut(plRegister, [&](LONG* p) {
      return this->RegisterCallNotifications(pAddress, fMonitor, fOwner, lMediaTypes, lCallbackInstance, p);
    });
  }
};

/* ITTAPIEventNotification: implemented by the application and registered with
 * IConnectionPoint::Advise; receives every event whose TAPI_EVENT bit is set
 * in the filter (docs/reference/tapi3-callcenter.md §3.9, docs/reference/flows.md §7). */
struct ITTAPIEventNotification : IUnknown {
  /* pEvent is valid for the call; AddRef it to keep it. Called serially from
   * one event thread per TAPI object. */
  virtual HRESULT STDMETHODCALLTYPE Event(TAPI_EVENT TapiEvent, IDispatch* pEvent) = 0;
};

/* ITCollection: the Automation form of every Enumerate* method; get_* collection
 * properties return it as VT_DISPATCH in a VARIANT (docs/reference/tapi3-callcenter.md §1.1
 * rule 3). */
struct ITCollection : IDispatch {
  virtual HRESULT STDMETHODCALLTYPE get_Count(LONG* lCount) = 0;
  /* The item is returned in *pVariant; the caller VariantClears it. */
  virtual HRESULT STDMETHODCALLTYPE get_Item(LONG Index, VARIANT* pVariant) = 0;
  /* An IEnumVARIANT over the items. */
  virtual HRESULT STDMETHODCALLTYPE get__NewEnum(IUnknown** ppNewEnum) = 0;

  OPENTAPI_LONG_OUT_OVERLOAD(get_Count)
};

/* ITAddress: a line address; the station where an agent session's calls
 * arrive (docs/reference/tapi3-callcenter.md §2, ITAgent::CreateSession). */
struct ITAddress : IDispatch {
  virtual HRESULT STDMETHODCALLTYPE get_State(ADDRESS_STATE* pAddressState) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_AddressName(BSTR* ppName) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_ServiceProviderName(BSTR* ppName) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_TAPIObject(ITTAPI** ppTapiObject) = 0;
  virtual HRESULT STDMETHODCALLTYPE CreateCall(BSTR pDestAddress, LONG lAddressType, LONG lMediaTypes,
                                               ITBasicCallControl** ppCall) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Calls(VARIANT* pVariant) = 0;
  virtual HRESULT STDMETHODCALLTYPE EnumerateCalls(IEnumCall** ppCallEnum) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_DialableAddress(BSTR* pDialableAddress) = 0;
  virtual HRESULT STDMETHODCALLTYPE CreateForwardInfoObject(ITForwardInformation** ppForwardInfo) = 0;
  virtual HRESULT STDMETHODCALLTYPE Forward(ITForwardInformation* pForwardInfo, ITBasicCallControl* pCall) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_CurrentForwardInfo(ITForwardInformation** ppForwardInfo) = 0;
  virtual HRESULT STDMETHODCALLTYPE put_MessageWaiting(VARIANT_BOOL fMessageWaiting) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_MessageWaiting(VARIANT_BOOL* pfMessageWaiting) = 0;
  virtual HRESULT STDMETHODCALLTYPE put_DoNotDisturb(VARIANT_BOOL fDoNotDisturb) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_DoNotDisturb(VARIANT_BOOL* pfDoNotDisturb) = 0;
};

/* IEnumAddress: enumerator of ITAddress (ITTAPI::EnumerateAddresses,
 * ITAgentHandler::EnumerateUsableAddresses); same contract as the call-center
 * enumerators (docs/reference/tapi3-callcenter.md §3.8). */
struct IEnumAddress : IUnknown {
  /* S_OK when celt were returned, S_FALSE when fewer were left; each element
   * AddRef'd. pceltFetched may be NULL only when celt is 1. */
  virtual HRESULT STDMETHODCALLTYPE Next(ULONG celt, ITAddress** ppElements, ULONG* pceltFetched) = 0;
  virtual HRESULT STDMETHODCALLTYPE Reset(void) = 0;
  virtual HRESULT STDMETHODCALLTYPE Skip(ULONG celt) = 0;
  virtual HRESULT STDMETHODCALLTYPE Clone(IEnumAddress** ppEnum) = 0;
};

/* ---- Calls, media and terminals -------------------------------------------
 *
 * The call objects of TAPI 3 (docs/calls.md, docs/porting.md). A call is one
 * object answering QueryInterface for ITCallInfo, ITCallInfo2,
 * ITBasicCallControl, ITBasicCallControl2 and ITStreamControl; an address
 * object also answers ITAddress2, ITAddressCapabilities, ITMediaSupport,
 * ITTerminalSupport and ITTerminalSupport2. Methods are in Windows vtable
 * order. opentapi carries no media: stream and terminal enumerations are
 * empty, and requesting or creating a terminal fails with
 * TAPI_E_NOTSUPPORTED (docs/calls.md "Media").
 * ------------------------------------------------------------------------- */

/* Declares `HRESULT method(Arg, long *)` forwarding to the virtual
 * `HRESULT method(Arg, LONG *)`: the C `long *` form of getters that take
 * one argument before the out-parameter. */
#define OPENTAPI_LONG_OUT_OVERLOAD_ARG(method, Arg)                                                 \
  template <typename CLong, ::opentapi_com::IfCLong<CLong> = 0>                                     \
  HRESULT method(Arg arg, CLong* out) {                                                             \
    return ::opentapi_com::CopyLongOut(out, [this, arg](LONG* p) { return this->method(arg, p); }); \
  }

/* ITAddress2: TAPI 3.1 additions to ITAddress (phones, per-address event
 * filter, device-specific requests). */
struct ITAddress2 : ITAddress {
  virtual HRESULT STDMETHODCALLTYPE get_Phones(VARIANT* pPhones) = 0;
  virtual HRESULT STDMETHODCALLTYPE EnumeratePhones(IEnumPhone** ppEnumPhone) = 0;
  virtual HRESULT STDMETHODCALLTYPE GetPhoneFromTerminal(ITTerminal* pTerminal, ITPhone** ppPhone) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_PreferredPhones(VARIANT* pPhones) = 0;
  virtual HRESULT STDMETHODCALLTYPE EnumeratePreferredPhones(IEnumPhone** ppEnumPhone) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_EventFilter(TAPI_EVENT TapiEvent, LONG lSubEvent, VARIANT_BOOL* pEnable) = 0;
  virtual HRESULT STDMETHODCALLTYPE put_EventFilter(TAPI_EVENT TapiEvent, LONG lSubEvent, VARIANT_BOOL bEnable) = 0;
  virtual HRESULT STDMETHODCALLTYPE DeviceSpecific(ITCallInfo* pCall, BYTE* pParams, DWORD dwSize) = 0;
  virtual HRESULT STDMETHODCALLTYPE DeviceSpecificVariant(ITCallInfo* pCall, VARIANT varDevSpecificByteArray) = 0;
  virtual HRESULT STDMETHODCALLTYPE NegotiateExtVersion(LONG lLowVersion, LONG lHighVersion, LONG* plExtVersion) = 0;

  template <typename CLong, ::opentapi_com::IfCLong<CLong> = 0>
  HRESULT NegotiateExtVersion(LONG lLowVersion, LONG lHighVersion, CLong* plExtVersion) {
    return ::opentapi_com::CopyLongOut(
        plExtVersion, [&](LONG* p) { return this->NegotiateExtVersion(lLowVersion, lHighVersion, p); });
  }
};

/* ITAddressCapabilities: the capabilities of an address, from LINEDEVCAPS and
 * LINEADDRESSCAPS (QI an ITAddress for it). */
struct ITAddressCapabilities : IDispatch {
  /* Returns E_INVALIDARG for a value outside ADDRESS_CAPABILITY. */
  virtual HRESULT STDMETHODCALLTYPE get_AddressCapability(ADDRESS_CAPABILITY AddressCap, LONG* plCapability) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_AddressCapabilityString(ADDRESS_CAPABILITY_STRING AddressCapString,
                                                                BSTR* ppCapabilityString) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_CallTreatments(VARIANT* pVariant) = 0;
  virtual HRESULT STDMETHODCALLTYPE EnumerateCallTreatments(IEnumBstr** ppEnumCallTreatment) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_CompletionMessages(VARIANT* pVariant) = 0;
  virtual HRESULT STDMETHODCALLTYPE EnumerateCompletionMessages(IEnumBstr** ppEnumCompletionMessage) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_DeviceClasses(VARIANT* pVariant) = 0;
  virtual HRESULT STDMETHODCALLTYPE EnumerateDeviceClasses(IEnumBstr** ppEnumDeviceClass) = 0;

  OPENTAPI_LONG_OUT_OVERLOAD_ARG(get_AddressCapability, ADDRESS_CAPABILITY)
};

/* ITMediaSupport: the media types an address supports (QI an ITAddress). */
struct ITMediaSupport : IDispatch {
  /* OR of TAPIMEDIATYPE_*. */
  virtual HRESULT STDMETHODCALLTYPE get_MediaTypes(LONG* plMediaTypes) = 0;
  virtual HRESULT STDMETHODCALLTYPE QueryMediaType(LONG lMediaType, VARIANT_BOOL* pfSupport) = 0;

  OPENTAPI_LONG_OUT_OVERLOAD(get_MediaTypes)
};

/* ITTerminalSupport: the terminals of an address (QI an ITAddress). */
struct ITTerminalSupport : IDispatch {
  virtual HRESULT STDMETHODCALLTYPE get_StaticTerminals(VARIANT* pVariant) = 0;
  virtual HRESULT STDMETHODCALLTYPE EnumerateStaticTerminals(IEnumTerminal** ppTerminalEnumerator) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_DynamicTerminalClasses(VARIANT* pVariant) = 0;
  virtual HRESULT STDMETHODCALLTYPE EnumerateDynamicTerminalClasses(IEnumTerminalClass** ppTerminalClassEnumerator) = 0;
  virtual HRESULT STDMETHODCALLTYPE CreateTerminal(BSTR pTerminalClass, LONG lMediaType, TERMINAL_DIRECTION Direction,
                                                   ITTerminal** ppTerminal) = 0;
  virtual HRESULT STDMETHODCALLTYPE GetDefaultStaticTerminal(LONG lMediaType, TERMINAL_DIRECTION Direction,
                                                             ITTerminal** ppTerminal) = 0;
};

/* ITTerminalSupport2: pluggable terminal classes (TAPI 3.1). */
struct ITTerminalSupport2 : ITTerminalSupport {
  virtual HRESULT STDMETHODCALLTYPE get_PluggableSuperclasses(VARIANT* pVariant) = 0;
  virtual HRESULT STDMETHODCALLTYPE
  EnumeratePluggableSuperclasses(IEnumPluggableSuperclassInfo** ppSuperclassEnumerator) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_PluggableTerminalClasses(BSTR bstrTerminalSuperclass, LONG lMediaType,
                                                                 VARIANT* pVariant) = 0;
  virtual HRESULT STDMETHODCALLTYPE EnumeratePluggableTerminalClasses(
      CLSID iidTerminalSuperclass, LONG lMediaType, IEnumPluggableTerminalClassInfo** ppClassEnumerator) = 0;
};

/* ITBasicCallControl: controls a call. Returned by ITAddress::CreateCall
 * (state CS_IDLE until Connect) and obtained by QI from the ITCallInfo of
 * an offered call. */
struct ITBasicCallControl : IDispatch {
  /* Places a call made by CreateCall. fSync VARIANT_TRUE waits until the
   * call is connected or fails; VARIANT_FALSE returns at once and reports
   * progress with ITCallStateEvent. */
  virtual HRESULT STDMETHODCALLTYPE Connect(VARIANT_BOOL fSync) = 0;
  /* Answers an offered call (CS_OFFERING); needs owner privilege. */
  virtual HRESULT STDMETHODCALLTYPE Answer(void) = 0;
  /* Hangs up (or rejects an offered call); the call goes CS_DISCONNECTED. */
  virtual HRESULT STDMETHODCALLTYPE Disconnect(DISCONNECT_CODE code) = 0;
  /* VARIANT_TRUE holds, VARIANT_FALSE takes the call off hold. */
  virtual HRESULT STDMETHODCALLTYPE Hold(VARIANT_BOOL fHold) = 0;
  virtual HRESULT STDMETHODCALLTYPE HandoffDirect(BSTR pApplicationName) = 0;
  virtual HRESULT STDMETHODCALLTYPE HandoffIndirect(LONG lMediaType) = 0;
  virtual HRESULT STDMETHODCALLTYPE Conference(ITBasicCallControl* pCall, VARIANT_BOOL fSync) = 0;
  virtual HRESULT STDMETHODCALLTYPE Transfer(ITBasicCallControl* pCall, VARIANT_BOOL fSync) = 0;
  /* Transfers the call to pDestAddress without consultation. */
  virtual HRESULT STDMETHODCALLTYPE BlindTransfer(BSTR pDestAddress) = 0;
  virtual HRESULT STDMETHODCALLTYPE SwapHold(ITBasicCallControl* pCall) = 0;
  virtual HRESULT STDMETHODCALLTYPE ParkDirect(BSTR pParkAddress) = 0;
  virtual HRESULT STDMETHODCALLTYPE ParkIndirect(BSTR* ppNonDirAddress) = 0;
  virtual HRESULT STDMETHODCALLTYPE Unpark(void) = 0;
  virtual HRESULT STDMETHODCALLTYPE SetQOS(LONG lMediaType, QOS_SERVICE_LEVEL ServiceLevel) = 0;
  virtual HRESULT STDMETHODCALLTYPE Pickup(BSTR pGroupID) = 0;
  virtual HRESULT STDMETHODCALLTYPE Dial(BSTR pDestAddress) = 0;
  virtual HRESULT STDMETHODCALLTYPE Finish(FINISH_MODE finishMode) = 0;
  virtual HRESULT STDMETHODCALLTYPE RemoveFromConference(void) = 0;
};

/* ITBasicCallControl2: terminal selection on a call (TAPI 3.1). */
struct ITBasicCallControl2 : ITBasicCallControl {
  virtual HRESULT STDMETHODCALLTYPE RequestTerminal(BSTR bstrTerminalClassGUID, LONG lMediaType,
                                                    TERMINAL_DIRECTION Direction, ITTerminal** ppTerminal) = 0;
  virtual HRESULT STDMETHODCALLTYPE SelectTerminalOnCall(ITTerminal* pTerminal) = 0;
  virtual HRESULT STDMETHODCALLTYPE UnselectTerminalOnCall(ITTerminal* pTerminal) = 0;
};

/* ITCallInfo: what is known about a call (its LINECALLINFO and
 * LINECALLSTATUS): address, state, privilege, caller and called IDs. */
struct ITCallInfo : IDispatch {
  virtual HRESULT STDMETHODCALLTYPE get_Address(ITAddress** ppAddress) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_CallState(CALL_STATE* pCallState) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Privilege(CALL_PRIVILEGE* pPrivilege) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_CallHub(ITCallHub** ppCallHub) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_CallInfoLong(CALLINFO_LONG CallInfoLong, LONG* plCallInfoLongVal) = 0;
  virtual HRESULT STDMETHODCALLTYPE put_CallInfoLong(CALLINFO_LONG CallInfoLong, LONG lCallInfoLongVal) = 0;
  /* The caller's number is CIS_CALLERIDNUMBER, the name CIS_CALLERIDNAME. */
  virtual HRESULT STDMETHODCALLTYPE get_CallInfoString(CALLINFO_STRING CallInfoString, BSTR* ppCallInfoString) = 0;
  virtual HRESULT STDMETHODCALLTYPE put_CallInfoString(CALLINFO_STRING CallInfoString, BSTR pCallInfoString) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_CallInfoBuffer(CALLINFO_BUFFER CallInfoBuffer, VARIANT* ppCallInfoBuffer) = 0;
  virtual HRESULT STDMETHODCALLTYPE put_CallInfoBuffer(CALLINFO_BUFFER CallInfoBuffer, VARIANT pCallInfoBuffer) = 0;
  /* *ppCallInfoBuffer is allocated with CoTaskMemAlloc on Windows; the caller
   * frees it. */
  virtual HRESULT STDMETHODCALLTYPE GetCallInfoBuffer(CALLINFO_BUFFER CallInfoBuffer, DWORD* pdwSize,
                                                      BYTE** ppCallInfoBuffer) = 0;
  virtual HRESULT STDMETHODCALLTYPE SetCallInfoBuffer(CALLINFO_BUFFER CallInfoBuffer, DWORD dwSize,
                                                      BYTE* pCallInfoBuffer) = 0;
  virtual HRESULT STDMETHODCALLTYPE ReleaseUserUserInfo(void) = 0;

  OPENTAPI_LONG_OUT_OVERLOAD_ARG(get_CallInfoLong, CALLINFO_LONG)
};

/* ITCallInfo2: per-call event filter (TAPI 3.1). */
struct ITCallInfo2 : ITCallInfo {
  virtual HRESULT STDMETHODCALLTYPE get_EventFilter(TAPI_EVENT TapiEvent, LONG lSubEvent, VARIANT_BOOL* pEnable) = 0;
  virtual HRESULT STDMETHODCALLTYPE put_EventFilter(TAPI_EVENT TapiEvent, LONG lSubEvent, VARIANT_BOOL bEnable) = 0;
};

/* ITTerminal: a source or sink of media on a stream. */
struct ITTerminal : IDispatch {
  virtual HRESULT STDMETHODCALLTYPE get_Name(BSTR* ppName) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_State(TERMINAL_STATE* pTerminalState) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_TerminalType(TERMINAL_TYPE* pType) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_TerminalClass(BSTR* ppTerminalClass) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_MediaType(LONG* plMediaType) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Direction(TERMINAL_DIRECTION* pDirection) = 0;

  OPENTAPI_LONG_OUT_OVERLOAD(get_MediaType)
};

/* ITCallHub: the calls of one conversation, as the switch sees them. */
struct ITCallHub : IDispatch {
  virtual HRESULT STDMETHODCALLTYPE Clear(void) = 0;
  virtual HRESULT STDMETHODCALLTYPE EnumerateCalls(IEnumCall** ppEnumCall) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Calls(VARIANT* pCalls) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_NumCalls(LONG* plCalls) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_State(CALLHUB_STATE* pState) = 0;

  OPENTAPI_LONG_OUT_OVERLOAD(get_NumCalls)
};

/* ITStreamControl: the media streams of a call (QI the call). */
struct ITStreamControl : IDispatch {
  virtual HRESULT STDMETHODCALLTYPE CreateStream(LONG lMediaType, TERMINAL_DIRECTION td, ITStream** ppStream) = 0;
  virtual HRESULT STDMETHODCALLTYPE RemoveStream(ITStream* pStream) = 0;
  virtual HRESULT STDMETHODCALLTYPE EnumerateStreams(IEnumStream** ppEnumStream) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Streams(VARIANT* pVariant) = 0;
};

/* ITStream: one media stream of a call, and the terminals selected on it. */
struct ITStream : IDispatch {
  virtual HRESULT STDMETHODCALLTYPE get_MediaType(LONG* plMediaType) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Direction(TERMINAL_DIRECTION* pTD) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Name(BSTR* ppName) = 0;
  virtual HRESULT STDMETHODCALLTYPE StartStream(void) = 0;
  virtual HRESULT STDMETHODCALLTYPE PauseStream(void) = 0;
  virtual HRESULT STDMETHODCALLTYPE StopStream(void) = 0;
  virtual HRESULT STDMETHODCALLTYPE SelectTerminal(ITTerminal* pTerminal) = 0;
  virtual HRESULT STDMETHODCALLTYPE UnselectTerminal(ITTerminal* pTerminal) = 0;
  virtual HRESULT STDMETHODCALLTYPE EnumerateTerminals(IEnumTerminal** ppEnumTerminal) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Terminals(VARIANT* pTerminals) = 0;

  OPENTAPI_LONG_OUT_OVERLOAD(get_MediaType)
};

/* Call events, delivered to ITTAPIEventNotification::Event as the IDispatch
 * argument with the matching TAPI_EVENT. get_CallbackInstance returns the
 * lCallbackInstance given to ITTAPI::RegisterCallNotifications. */

/* ITCallNotificationEvent: TE_CALLNOTIFICATION — the application has a new
 * call, as owner (CNE_OWNER) or monitor (CNE_MONITOR). */
struct ITCallNotificationEvent : IDispatch {
  virtual HRESULT STDMETHODCALLTYPE get_Call(ITCallInfo** ppCall) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Event(CALL_NOTIFICATION_EVENT* pCallNotificationEvent) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_CallbackInstance(LONG* plCallbackInstance) = 0;

  OPENTAPI_LONG_OUT_OVERLOAD(get_CallbackInstance)
};

/* ITCallStateEvent: TE_CALLSTATE — a call changed state. */
struct ITCallStateEvent : IDispatch {
  virtual HRESULT STDMETHODCALLTYPE get_Call(ITCallInfo** ppCallInfo) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_State(CALL_STATE* pCallState) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Cause(CALL_STATE_EVENT_CAUSE* pCEC) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_CallbackInstance(LONG* plCallbackInstance) = 0;

  OPENTAPI_LONG_OUT_OVERLOAD(get_CallbackInstance)
};

/* ITCallInfoChangeEvent: TE_CALLINFOCHANGE — some ITCallInfo value changed. */
struct ITCallInfoChangeEvent : IDispatch {
  virtual HRESULT STDMETHODCALLTYPE get_Call(ITCallInfo** ppCall) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Cause(CALLINFOCHANGE_CAUSE* pCIC) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_CallbackInstance(LONG* plCallbackInstance) = 0;

  OPENTAPI_LONG_OUT_OVERLOAD(get_CallbackInstance)
};

/* ITCallMediaEvent: TE_CALLMEDIA — a stream started, stopped or failed. */
struct ITCallMediaEvent : IDispatch {
  virtual HRESULT STDMETHODCALLTYPE get_Call(ITCallInfo** ppCallInfo) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Event(CALL_MEDIA_EVENT* pCallMediaEvent) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Error(HRESULT* phrError) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Terminal(ITTerminal** ppTerminal) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Stream(ITStream** ppStream) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Cause(CALL_MEDIA_EVENT_CAUSE* pCause) = 0;
};

/* ITDigitDetectionEvent: TE_DIGITEVENT — a digit was detected on a call. */
struct ITDigitDetectionEvent : IDispatch {
  virtual HRESULT STDMETHODCALLTYPE get_Call(ITCallInfo** ppCallInfo) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Digit(unsigned char* pucDigit) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_DigitMode(LONG* pDigitMode) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_TickCount(LONG* plTickCount) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_CallbackInstance(LONG* plCallbackInstance) = 0;

  OPENTAPI_LONG_OUT_OVERLOAD(get_DigitMode)
  OPENTAPI_LONG_OUT_OVERLOAD(get_TickCount)
  OPENTAPI_LONG_OUT_OVERLOAD(get_CallbackInstance)
};

/* ITCallHubEvent: TE_CALLHUB — a call joined or left a call hub. */
struct ITCallHubEvent : IDispatch {
  virtual HRESULT STDMETHODCALLTYPE get_Event(CALLHUB_EVENT* pEvent) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_CallHub(ITCallHub** ppCallHub) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Call(ITCallInfo** ppCall) = 0;
};

/* ITAddressEvent: TE_ADDRESS — an address changed. */
struct ITAddressEvent : IDispatch {
  virtual HRESULT STDMETHODCALLTYPE get_Address(ITAddress** ppAddress) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Event(ADDRESS_EVENT* pEvent) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Terminal(ITTerminal** ppTerminal) = 0;
};

/* ITTAPIObjectEvent: TE_TAPIOBJECT — addresses added or removed, TAPI
 * reinitialised. */
struct ITTAPIObjectEvent : IDispatch {
  virtual HRESULT STDMETHODCALLTYPE get_TAPIObject(ITTAPI** ppTAPIObject) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Event(TAPIOBJECT_EVENT* pEvent) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Address(ITAddress** ppAddress) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_CallbackInstance(LONG* plCallbackInstance) = 0;

  OPENTAPI_LONG_OUT_OVERLOAD(get_CallbackInstance)
};

/* Enumerators of the call objects: same contract as IEnumAddress (Next,
 * Reset, Skip, Clone; elements AddRef'd; BSTRs owned by the caller). */
struct IEnumCall : IUnknown {
  virtual HRESULT STDMETHODCALLTYPE Next(ULONG celt, ITCallInfo** ppElements, ULONG* pceltFetched) = 0;
  virtual HRESULT STDMETHODCALLTYPE Reset(void) = 0;
  virtual HRESULT STDMETHODCALLTYPE Skip(ULONG celt) = 0;
  virtual HRESULT STDMETHODCALLTYPE Clone(IEnumCall** ppEnum) = 0;
};

struct IEnumCallHub : IUnknown {
  virtual HRESULT STDMETHODCALLTYPE Next(ULONG celt, ITCallHub** ppElements, ULONG* pceltFetched) = 0;
  virtual HRESULT STDMETHODCALLTYPE Reset(void) = 0;
  virtual HRESULT STDMETHODCALLTYPE Skip(ULONG celt) = 0;
  virtual HRESULT STDMETHODCALLTYPE Clone(IEnumCallHub** ppEnum) = 0;
};

struct IEnumTerminal : IUnknown {
  virtual HRESULT STDMETHODCALLTYPE Next(ULONG celt, ITTerminal** ppElements, ULONG* pceltFetched) = 0;
  virtual HRESULT STDMETHODCALLTYPE Reset(void) = 0;
  virtual HRESULT STDMETHODCALLTYPE Skip(ULONG celt) = 0;
  virtual HRESULT STDMETHODCALLTYPE Clone(IEnumTerminal** ppEnum) = 0;
};

/* Elements are terminal class GUIDs (CLSIDs). */
struct IEnumTerminalClass : IUnknown {
  virtual HRESULT STDMETHODCALLTYPE Next(ULONG celt, GUID* pElements, ULONG* pceltFetched) = 0;
  virtual HRESULT STDMETHODCALLTYPE Reset(void) = 0;
  virtual HRESULT STDMETHODCALLTYPE Skip(ULONG celt) = 0;
  virtual HRESULT STDMETHODCALLTYPE Clone(IEnumTerminalClass** ppEnum) = 0;
};

struct IEnumStream : IUnknown {
  virtual HRESULT STDMETHODCALLTYPE Next(ULONG celt, ITStream** ppElements, ULONG* pceltFetched) = 0;
  virtual HRESULT STDMETHODCALLTYPE Reset(void) = 0;
  virtual HRESULT STDMETHODCALLTYPE Skip(ULONG celt) = 0;
  virtual HRESULT STDMETHODCALLTYPE Clone(IEnumStream** ppEnum) = 0;
};

struct IEnumBstr : IUnknown {
  virtual HRESULT STDMETHODCALLTYPE Next(ULONG celt, BSTR* ppStrings, ULONG* pceltFetched) = 0;
  virtual HRESULT STDMETHODCALLTYPE Reset(void) = 0;
  virtual HRESULT STDMETHODCALLTYPE Skip(ULONG celt) = 0;
  virtual HRESULT STDMETHODCALLTYPE Clone(IEnumBstr** ppEnum) = 0;
};

/* ---- Identifiers --------------------------------------------------------- */

EXTERN_C OPENTAPI_COM_API const CLSID CLSID_TAPI;
EXTERN_C OPENTAPI_COM_API const IID IID_ITTAPI;
EXTERN_C OPENTAPI_COM_API const IID IID_ITTAPIEventNotification;
EXTERN_C OPENTAPI_COM_API const IID IID_ITCollection;
EXTERN_C OPENTAPI_COM_API const IID IID_ITAddress;
EXTERN_C OPENTAPI_COM_API const IID IID_IEnumAddress;
EXTERN_C OPENTAPI_COM_API const IID IID_ITAddress2;
EXTERN_C OPENTAPI_COM_API const IID IID_ITAddressCapabilities;
EXTERN_C OPENTAPI_COM_API const IID IID_ITMediaSupport;
EXTERN_C OPENTAPI_COM_API const IID IID_ITTerminalSupport;
EXTERN_C OPENTAPI_COM_API const IID IID_ITTerminalSupport2;
EXTERN_C OPENTAPI_COM_API const IID IID_ITBasicCallControl;
EXTERN_C OPENTAPI_COM_API const IID IID_ITBasicCallControl2;
EXTERN_C OPENTAPI_COM_API const IID IID_ITCallInfo;
EXTERN_C OPENTAPI_COM_API const IID IID_ITCallInfo2;
EXTERN_C OPENTAPI_COM_API const IID IID_ITTerminal;
EXTERN_C OPENTAPI_COM_API const IID IID_ITCallHub;
EXTERN_C OPENTAPI_COM_API const IID IID_ITStreamControl;
EXTERN_C OPENTAPI_COM_API const IID IID_ITStream;
EXTERN_C OPENTAPI_COM_API const IID IID_ITCallNotificationEvent;
EXTERN_C OPENTAPI_COM_API const IID IID_ITCallStateEvent;
EXTERN_C OPENTAPI_COM_API const IID IID_ITCallInfoChangeEvent;
EXTERN_C OPENTAPI_COM_API const IID IID_ITCallMediaEvent;
EXTERN_C OPENTAPI_COM_API const IID IID_ITDigitDetectionEvent;
EXTERN_C OPENTAPI_COM_API const IID IID_ITCallHubEvent;
EXTERN_C OPENTAPI_COM_API const IID IID_ITAddressEvent;
EXTERN_C OPENTAPI_COM_API const IID IID_ITTAPIObjectEvent;
EXTERN_C OPENTAPI_COM_API const IID IID_IEnumCall;
EXTERN_C OPENTAPI_COM_API const IID IID_IEnumCallHub;
EXTERN_C OPENTAPI_COM_API const IID IID_IEnumTerminal;
EXTERN_C OPENTAPI_COM_API const IID IID_IEnumTerminalClass;
EXTERN_C OPENTAPI_COM_API const IID IID_IEnumStream;
EXTERN_C OPENTAPI_COM_API const IID IID_IEnumBstr;

/* Terminal classes (the BSTR form, from StringFromIID, is what
 * ITTerminalSupport::CreateTerminal and ITBasicCallControl2::RequestTerminal
 * take). opentapi has no terminals: requesting one fails with
 * TAPI_E_NOTSUPPORTED (docs/calls.md "Media"). */
EXTERN_C OPENTAPI_COM_API const CLSID CLSID_HandsetTerminal;
EXTERN_C OPENTAPI_COM_API const CLSID CLSID_VideoInputTerminal;
EXTERN_C OPENTAPI_COM_API const CLSID CLSID_HeadsetTerminal;
EXTERN_C OPENTAPI_COM_API const CLSID CLSID_SpeakerphoneTerminal;
EXTERN_C OPENTAPI_COM_API const CLSID CLSID_MicrophoneTerminal;
EXTERN_C OPENTAPI_COM_API const CLSID CLSID_SpeakersTerminal;
EXTERN_C OPENTAPI_COM_API const CLSID CLSID_MediaStreamTerminal;
EXTERN_C OPENTAPI_COM_API const CLSID CLSID_VideoWindowTerm;
EXTERN_C OPENTAPI_COM_API const CLSID CLSID_FilePlaybackTerminal;
EXTERN_C OPENTAPI_COM_API const CLSID CLSID_FileRecordingTerminal;

/* Protocols (LINEDEVCAPS.ProtocolGuid; ITAddressCapabilities'
 * ACS_PROTOCOL as a string). Constants in the header, one copy per
 * translation unit: compare them with IsEqualGUID, not by address. */
static const GUID TAPIPROTOCOL_PSTN = {0x831CE2D6, 0x83B5, 0x11D1, {0xBB, 0x5C, 0x00, 0xC0, 0x4F, 0xB6, 0x80, 0x9F}};
static const GUID TAPIPROTOCOL_H323 = {0x831CE2D7, 0x83B5, 0x11D1, {0xBB, 0x5C, 0x00, 0xC0, 0x4F, 0xB6, 0x80, 0x9F}};
static const GUID TAPIPROTOCOL_Multicast = {
    0x831CE2D8, 0x83B5, 0x11D1, {0xBB, 0x5C, 0x00, 0xC0, 0x4F, 0xB6, 0x80, 0x9F}};

#endif /* OPENTAPI_TAPI3IF_H */
