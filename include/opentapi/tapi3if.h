/*
 * tapi3if.h — the core TAPI 3 interfaces a call-center program needs: the
 * TAPI object (ITTAPI), its event sink (ITTAPIEventNotification), addresses
 * (ITAddress, IEnumAddress), Automation collections (ITCollection) and the
 * TAPI_EVENT codes.
 *
 * Only what the call-center layer (tapi3cc.h) and its applications use is
 * declared in full; the rest of Windows' tapi3if.h (calls, terminals, media
 * streams, phones) is either forward-declared, because a signature here names
 * it, or absent. Declared methods are in Windows vtable order, so an object
 * implementing these interfaces is laid out as on Windows. COM `long` is LONG
 * (32 bits).
 *
 * Source compatibility with Windows programs: every getter that returns a
 * COM `long` also accepts a C `long *` (64 bits on LP64 Linux) through a
 * non-virtual template overload that forwards to the LONG * method; it adds
 * no vtable slot. Call such getters through the interface pointer.
 *
 * C++ only (included by tapi3.h).
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
using IfCLong = std::enable_if_t<std::is_same_v<T, long>, int>;

/* Calls get(LONG *) and copies the result into *out on success only;
 * E_POINTER for a NULL out. */
template <typename Get>
inline HRESULT CopyLongOut(long *out, Get get) {
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
  HRESULT method(CLong *out) {                                                            \
    return ::opentapi_com::CopyLongOut(out, [this](LONG *p) { return this->method(p); }); \
  }

/* ---- Enumerations -------------------------------------------------------- */

/* TAPI_EVENT: the event categories, as bit flags for ITTAPI::put_EventFilter
 * and as the first argument of ITTAPIEventNotification::Event
 * (tapi3-callcenter.md §4.8). */
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

/* ---- Interfaces ---------------------------------------------------------- */

struct ITTAPI;
struct ITAddress;
struct IEnumAddress;
struct ITCollection;
struct ITTAPIEventNotification;
/* Named by the signatures below; declared by the layers that implement them. */
struct ITCallHub;
struct IEnumCallHub;
struct ITCallInfo;
struct IEnumCall;
struct ITBasicCallControl;
struct ITForwardInformation;
struct ITDispatchMapper;
struct ITRequest;

/* ITTAPI: the TAPI object, created with CoCreateInstance(CLSID_TAPI); QI it
 * for ITTAPICallCenter and IConnectionPointContainer
 * (tapi3-callcenter.md §3.9, flows.md §2.2). */
struct ITTAPI : IDispatch {
  /* Must precede any other use; call-center enumeration before it fails with
   * E_INVALIDARG. */
  virtual HRESULT STDMETHODCALLTYPE Initialize(void) = 0;
  /* Ends TAPI use; methods still waiting return TAPI_E_NOT_INITIALIZED. */
  virtual HRESULT STDMETHODCALLTYPE Shutdown(void) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Addresses(VARIANT *pVariant) = 0;
  virtual HRESULT STDMETHODCALLTYPE EnumerateAddresses(IEnumAddress **ppEnumAddress) = 0;
  virtual HRESULT STDMETHODCALLTYPE RegisterCallNotifications(ITAddress *pAddress,
                                                              VARIANT_BOOL fMonitor,
                                                              VARIANT_BOOL fOwner, LONG lMediaTypes,
                                                              LONG lCallbackInstance,
                                                              LONG *plRegister) = 0;
  virtual HRESULT STDMETHODCALLTYPE UnregisterNotifications(LONG lRegister) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_CallHubs(VARIANT *pVariant) = 0;
  virtual HRESULT STDMETHODCALLTYPE EnumerateCallHubs(IEnumCallHub **ppEnumCallHub) = 0;
  virtual HRESULT STDMETHODCALLTYPE SetCallHubTracking(VARIANT pAddresses,
                                                       VARIANT_BOOL bTracking) = 0;
  virtual HRESULT STDMETHODCALLTYPE EnumeratePrivateTAPIObjects(IEnumUnknown **ppEnumUnknown) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_PrivateTAPIObjects(VARIANT *pVariant) = 0;
  virtual HRESULT STDMETHODCALLTYPE RegisterRequestRecipient(LONG lRegistrationInstance,
                                                             LONG lRequestMode,
                                                             VARIANT_BOOL fEnable) = 0;
  virtual HRESULT STDMETHODCALLTYPE SetAssistedTelephonyPriority(BSTR pAppFilename,
                                                                 VARIANT_BOOL fPriority) = 0;
  virtual HRESULT STDMETHODCALLTYPE SetApplicationPriority(BSTR pAppFilename, LONG lMediaType,
                                                           VARIANT_BOOL fPriority) = 0;
  /* Mask = OR of TAPI_EVENT values; without it no event is delivered at all.
   * S_OK, E_OUTOFMEMORY. */
  virtual HRESULT STDMETHODCALLTYPE put_EventFilter(LONG lFilterMask) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_EventFilter(LONG *plFilterMask) = 0;

  OPENTAPI_LONG_OUT_OVERLOAD(get_EventFilter)
  template <typename CLong, ::opentapi_com::IfCLong<CLong> = 0>
  HRESULT RegisterCallNotifications(ITAddress *pAddress, VARIANT_BOOL fMonitor,
                                    VARIANT_BOOL fOwner, LONG lMediaTypes, LONG lCallbackInstance,
                                    CLong *plRegister) {
    return ::opentapi_com::CopyLongOut(plRegister, [&](LONG *p) {
      return this->RegisterCallNotifications(pAddress, fMonitor, fOwner, lMediaTypes,
                                             lCallbackInstance, p);
    });
  }
};

/* ITTAPIEventNotification: implemented by the application and registered with
 * IConnectionPoint::Advise; receives every event whose TAPI_EVENT bit is set
 * in the filter (tapi3-callcenter.md §3.9, flows.md §7). */
struct ITTAPIEventNotification : IUnknown {
  /* pEvent is valid for the call; AddRef it to keep it. Called serially from
   * one event thread per TAPI object. */
  virtual HRESULT STDMETHODCALLTYPE Event(TAPI_EVENT TapiEvent, IDispatch *pEvent) = 0;
};

/* ITCollection: the Automation form of every Enumerate* method; get_* collection
 * properties return it as VT_DISPATCH in a VARIANT (tapi3-callcenter.md §1.1
 * rule 3). */
struct ITCollection : IDispatch {
  virtual HRESULT STDMETHODCALLTYPE get_Count(LONG *lCount) = 0;
  /* The item is returned in *pVariant; the caller VariantClears it. */
  virtual HRESULT STDMETHODCALLTYPE get_Item(LONG Index, VARIANT *pVariant) = 0;
  /* An IEnumVARIANT over the items. */
  virtual HRESULT STDMETHODCALLTYPE get__NewEnum(IUnknown **ppNewEnum) = 0;

  OPENTAPI_LONG_OUT_OVERLOAD(get_Count)
};

/* ITAddress: a line address; the station where an agent session's calls
 * arrive (tapi3-callcenter.md §2, ITAgent::CreateSession). */
struct ITAddress : IDispatch {
  virtual HRESULT STDMETHODCALLTYPE get_State(ADDRESS_STATE *pAddressState) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_AddressName(BSTR *ppName) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_ServiceProviderName(BSTR *ppName) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_TAPIObject(ITTAPI **ppTapiObject) = 0;
  virtual HRESULT STDMETHODCALLTYPE CreateCall(BSTR pDestAddress, LONG lAddressType,
                                               LONG lMediaTypes, ITBasicCallControl **ppCall) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Calls(VARIANT *pVariant) = 0;
  virtual HRESULT STDMETHODCALLTYPE EnumerateCalls(IEnumCall **ppCallEnum) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_DialableAddress(BSTR *pDialableAddress) = 0;
  virtual HRESULT STDMETHODCALLTYPE CreateForwardInfoObject(
      ITForwardInformation **ppForwardInfo) = 0;
  virtual HRESULT STDMETHODCALLTYPE Forward(ITForwardInformation *pForwardInfo,
                                            ITBasicCallControl *pCall) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_CurrentForwardInfo(
      ITForwardInformation **ppForwardInfo) = 0;
  virtual HRESULT STDMETHODCALLTYPE put_MessageWaiting(VARIANT_BOOL fMessageWaiting) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_MessageWaiting(VARIANT_BOOL *pfMessageWaiting) = 0;
  virtual HRESULT STDMETHODCALLTYPE put_DoNotDisturb(VARIANT_BOOL fDoNotDisturb) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_DoNotDisturb(VARIANT_BOOL *pfDoNotDisturb) = 0;
};

/* IEnumAddress: enumerator of ITAddress (ITTAPI::EnumerateAddresses,
 * ITAgentHandler::EnumerateUsableAddresses); same contract as the call-center
 * enumerators (tapi3-callcenter.md §3.8). */
struct IEnumAddress : IUnknown {
  /* S_OK when celt were returned, S_FALSE when fewer were left; each element
   * AddRef'd. pceltFetched may be NULL only when celt is 1. */
  virtual HRESULT STDMETHODCALLTYPE Next(ULONG celt, ITAddress **ppElements,
                                         ULONG *pceltFetched) = 0;
  virtual HRESULT STDMETHODCALLTYPE Reset(void) = 0;
  virtual HRESULT STDMETHODCALLTYPE Skip(ULONG celt) = 0;
  virtual HRESULT STDMETHODCALLTYPE Clone(IEnumAddress **ppEnum) = 0;
};

/* ---- Identifiers --------------------------------------------------------- */

EXTERN_C OPENTAPI_COM_API const CLSID CLSID_TAPI;
EXTERN_C OPENTAPI_COM_API const IID IID_ITTAPI;
EXTERN_C OPENTAPI_COM_API const IID IID_ITTAPIEventNotification;
EXTERN_C OPENTAPI_COM_API const IID IID_ITCollection;
EXTERN_C OPENTAPI_COM_API const IID IID_ITAddress;
EXTERN_C OPENTAPI_COM_API const IID IID_IEnumAddress;

#endif /* OPENTAPI_TAPI3IF_H */
