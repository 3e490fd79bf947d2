// A TAPI 3 program that waits for calls and answers them, written the way
// Windows programs of this kind (Microsoft's TAPI 3 "incoming" sample, agent
// desktops) use the API: the TAPI object and its connection point, call
// notifications on every address that supports audio, an event sink that
// answers offered calls, reads the caller ID, selects default terminals and
// hangs up.
//
// Compile check only (tests/headers/CMakeLists.txt): it proves that such a
// program compiles against the headers unchanged, with Windows' names, types
// (C `long`, VARIANT_BOOL, BSTR) and call patterns. It is never run.
#include <objbase.h>
#include <tapi3.h>

#include <cwchar>

namespace {

// The sink registered with IConnectionPoint::Advise, as Windows programs
// write it: a COM object implementing ITTAPIEventNotification. (`final`
// because GCC's -Wall, unlike MSVC, warns about `delete this` on a
// polymorphic class without a virtual destructor; COM interfaces have none.)
class CallEventSink final : public ITTAPIEventNotification {
 public:
  STDMETHODIMP QueryInterface(REFIID iid, void** ppv) override {
    if (ppv == NULL) return E_POINTER;
    if (iid == IID_IUnknown || iid == IID_ITTAPIEventNotification) {
      *ppv = static_cast<ITTAPIEventNotification*>(this);
      AddRef();
      return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
  }
  STDMETHODIMP_(ULONG) AddRef() override { return ++refs_; }
  STDMETHODIMP_(ULONG) Release() override {
    const ULONG left = --refs_;
    if (left == 0) delete this;
    return left;
  }

  STDMETHODIMP Event(TAPI_EVENT TapiEvent, IDispatch* pEvent) override {
    switch (TapiEvent) {
      case TE_CALLNOTIFICATION:
        return OnCallNotification(pEvent);
      case TE_CALLSTATE:
        return OnCallState(pEvent);
      case TE_CALLMEDIA:
        return OnCallMedia(pEvent);
      case TE_CALLINFOCHANGE:
        return OnCallInfoChange(pEvent);
      default:
        return S_OK;
    }
  }

 private:
  HRESULT OnCallNotification(IDispatch* pEvent) {
    ITCallNotificationEvent* pNotify = NULL;
    HRESULT hr = pEvent->QueryInterface(IID_ITCallNotificationEvent, (void**)&pNotify);
    if (FAILED(hr)) return hr;
    CALL_NOTIFICATION_EVENT cne;
    hr = pNotify->get_Event(&cne);
    long lInstance = 0;
    pNotify->get_CallbackInstance(&lInstance);
    ITCallInfo* pCall = NULL;
    if (SUCCEEDED(hr)) hr = pNotify->get_Call(&pCall);
    pNotify->Release();
    if (FAILED(hr)) return hr;
    if (cne == CNE_OWNER) {
      if (call_ != NULL) call_->Release();
      hr = pCall->QueryInterface(IID_ITBasicCallControl, (void**)&call_);
    }
    CALL_PRIVILEGE privilege;
    pCall->get_Privilege(&privilege);
    pCall->Release();
    return hr;
  }

  HRESULT OnCallState(IDispatch* pEvent) {
    ITCallStateEvent* pState = NULL;
    HRESULT hr = pEvent->QueryInterface(IID_ITCallStateEvent, (void**)&pState);
    if (FAILED(hr)) return hr;
    CALL_STATE cs;
    pState->get_State(&cs);
    ITCallInfo* pCallInfo = NULL;
    pState->get_Call(&pCallInfo);
    if (cs == CS_OFFERING && pCallInfo != NULL) {
      // The screen pop: who is calling, and what number did they dial.
      BSTR caller = NULL;
      BSTR called = NULL;
      pCallInfo->get_CallInfoString(CIS_CALLERIDNUMBER, &caller);
      pCallInfo->get_CallInfoString(CIS_CALLEDIDNUMBER, &called);
      long origin = 0;
      long reason = 0;
      pCallInfo->get_CallInfoLong(CIL_ORIGIN, &origin);
      pCallInfo->get_CallInfoLong(CIL_REASON, &reason);
      DWORD size = 0;
      BYTE* data = NULL;
      if (SUCCEEDED(pCallInfo->GetCallInfoBuffer(CIB_CALLDATABUFFER, &size, &data))) {
        CoTaskMemFree(data);  // what the ACD attached to the call
      }
      SysFreeString(caller);
      SysFreeString(called);
      ITAddress* pAddress = NULL;
      if (SUCCEEDED(pCallInfo->get_Address(&pAddress))) {
        SelectTerminals(pAddress, pCallInfo);
        pAddress->Release();
      }
      if (call_ != NULL) hr = call_->Answer();
    } else if (cs == CS_CONNECTED) {
      // An agent desktop would start its talk timer here.
    } else if (cs == CS_DISCONNECTED) {
      CALL_STATE_EVENT_CAUSE cec;
      pState->get_Cause(&cec);
      if (cec == CEC_DISCONNECT_NORMAL || cec == CEC_DISCONNECT_BADADDRESS) {
        // the far end hung up, or the number was wrong
      }
      if (call_ != NULL) {
        call_->Release();
        call_ = NULL;
      }
    } else if (cs == CS_HOLD || cs == CS_INPROGRESS || cs == CS_IDLE || cs == CS_QUEUED) {
    }
    if (pCallInfo != NULL) pCallInfo->Release();
    pState->Release();
    return hr;
  }

  HRESULT OnCallMedia(IDispatch* pEvent) {
    ITCallMediaEvent* pMedia = NULL;
    HRESULT hr = pEvent->QueryInterface(IID_ITCallMediaEvent, (void**)&pMedia);
    if (FAILED(hr)) return hr;
    CALL_MEDIA_EVENT cme;
    pMedia->get_Event(&cme);
    if (cme == CME_STREAM_ACTIVE || cme == CME_STREAM_FAIL) {
      ITStream* pStream = NULL;
      if (SUCCEEDED(pMedia->get_Stream(&pStream))) {
        long lMediaType = 0;
        TERMINAL_DIRECTION dir;
        pStream->get_MediaType(&lMediaType);
        pStream->get_Direction(&dir);
        pStream->Release();
      }
      HRESULT error = S_OK;
      pMedia->get_Error(&error);
      CALL_MEDIA_EVENT_CAUSE cause;
      pMedia->get_Cause(&cause);
    }
    pMedia->Release();
    return hr;
  }

  HRESULT OnCallInfoChange(IDispatch* pEvent) {
    ITCallInfoChangeEvent* pChange = NULL;
    HRESULT hr = pEvent->QueryInterface(IID_ITCallInfoChangeEvent, (void**)&pChange);
    if (FAILED(hr)) return hr;
    CALLINFOCHANGE_CAUSE cic;
    pChange->get_Cause(&cic);
    if (cic == CIC_CALLERID || cic == CIC_CALLDATA) {
      // refresh the screen pop
    }
    pChange->Release();
    return hr;
  }

  // For each stream of the call, the address's default static terminal of
  // the stream's media type and direction.
  static void SelectTerminals(ITAddress* pAddress, ITCallInfo* pCallInfo) {
    ITStreamControl* pStreamControl = NULL;
    if (FAILED(pCallInfo->QueryInterface(IID_ITStreamControl, (void**)&pStreamControl))) return;
    ITTerminalSupport* pTerminalSupport = NULL;
    if (FAILED(pAddress->QueryInterface(IID_ITTerminalSupport, (void**)&pTerminalSupport))) {
      pStreamControl->Release();
      return;
    }
    IEnumStream* pEnumStreams = NULL;
    if (SUCCEEDED(pStreamControl->EnumerateStreams(&pEnumStreams))) {
      ITStream* pStream = NULL;
      while (S_OK == pEnumStreams->Next(1, &pStream, NULL)) {
        long lMediaType = 0;
        TERMINAL_DIRECTION dir;
        if (SUCCEEDED(pStream->get_MediaType(&lMediaType)) && SUCCEEDED(pStream->get_Direction(&dir)) &&
            lMediaType == TAPIMEDIATYPE_AUDIO) {
          ITTerminal* pTerminal = NULL;
          if (SUCCEEDED(pTerminalSupport->GetDefaultStaticTerminal(lMediaType, dir, &pTerminal))) {
            pStream->SelectTerminal(pTerminal);
            pTerminal->Release();
          }
        }
        pStream->Release();
      }
      pEnumStreams->Release();
    }
    pTerminalSupport->Release();
    pStreamControl->Release();
  }

  ULONG refs_ = 1;
  ITBasicCallControl* call_ = NULL;
};

}  // namespace

// Initializes TAPI, registers the sink and asks for call notifications on
// every address that can carry audio, as owner and monitor. Returns the
// TAPI object for the caller to shut down later.
HRESULT StartAnsweringCalls(ITTAPI** ppTapi, ULONG* pulAdvise) {
  HRESULT hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);
  if (FAILED(hr)) return hr;
  ITTAPI* gpTapi = NULL;
  hr = CoCreateInstance(CLSID_TAPI, NULL, CLSCTX_INPROC_SERVER, IID_ITTAPI, (LPVOID*)&gpTapi);
  if (FAILED(hr)) return hr;
  hr = gpTapi->Initialize();
  if (FAILED(hr)) return hr;
  gpTapi->put_EventFilter(TE_CALLNOTIFICATION | TE_CALLSTATE | TE_CALLMEDIA | TE_CALLINFOCHANGE);
  long filter = 0;
  gpTapi->get_EventFilter(&filter);

  IConnectionPointContainer* pCPC = NULL;
  hr = gpTapi->QueryInterface(IID_IConnectionPointContainer, (void**)&pCPC);
  if (FAILED(hr)) return hr;
  IConnectionPoint* pCP = NULL;
  hr = pCPC->FindConnectionPoint(IID_ITTAPIEventNotification, &pCP);
  pCPC->Release();
  if (FAILED(hr)) return hr;
  CallEventSink* sink = new CallEventSink;
  DWORD cookie = 0;
  hr = pCP->Advise(sink, &cookie);
  sink->Release();
  pCP->Release();
  *pulAdvise = cookie;

  IEnumAddress* pEnumAddress = NULL;
  hr = gpTapi->EnumerateAddresses(&pEnumAddress);
  if (FAILED(hr)) return hr;
  ITAddress* pAddress = NULL;
  while (S_OK == pEnumAddress->Next(1, &pAddress, NULL)) {
    BSTR name = NULL;
    BSTR number = NULL;
    pAddress->get_AddressName(&name);
    pAddress->get_DialableAddress(&number);
    SysFreeString(name);
    SysFreeString(number);

    long lMediaTypes = TAPIMEDIATYPE_AUDIO;
    ITMediaSupport* pMediaSupport = NULL;
    VARIANT_BOOL bSupport = VARIANT_FALSE;
    if (SUCCEEDED(pAddress->QueryInterface(IID_ITMediaSupport, (void**)&pMediaSupport))) {
      pMediaSupport->QueryMediaType(TAPIMEDIATYPE_AUDIO, &bSupport);
      long all = 0;
      pMediaSupport->get_MediaTypes(&all);
      if (all & TAPIMEDIATYPE_VIDEO) lMediaTypes |= TAPIMEDIATYPE_VIDEO;
      pMediaSupport->Release();
    }
    ITAddressCapabilities* pCaps = NULL;
    long lAddrTypes = 0;
    if (SUCCEEDED(pAddress->QueryInterface(IID_ITAddressCapabilities, (void**)&pCaps))) {
      pCaps->get_AddressCapability(AC_ADDRESSTYPES, &lAddrTypes);
      long maxCalls = 0;
      pCaps->get_AddressCapability(AC_MAXACTIVECALLS, &maxCalls);
      BSTR protocol = NULL;
      if (SUCCEEDED(pCaps->get_AddressCapabilityString(ACS_PROTOCOL, &protocol))) {
        GUID guid;
        if (SUCCEEDED(CLSIDFromString(protocol, &guid)) && IsEqualGUID(guid, TAPIPROTOCOL_PSTN)) {
          // a telephone line
        }
        SysFreeString(protocol);
      }
      pCaps->Release();
    }
    if (bSupport == VARIANT_TRUE && (lAddrTypes & LINEADDRESSTYPE_PHONENUMBER)) {
      long lRegister = 0;
      hr = gpTapi->RegisterCallNotifications(pAddress, VARIANT_TRUE, VARIANT_TRUE, lMediaTypes, 0, &lRegister);
    }
    pAddress->Release();
  }
  pEnumAddress->Release();
  *ppTapi = gpTapi;
  return hr;
}

void StopAnsweringCalls(ITTAPI* gpTapi, long lRegister) {
  gpTapi->UnregisterNotifications(lRegister);
  gpTapi->Shutdown();
  gpTapi->Release();
  CoUninitialize();
}

// The buttons of a desktop's call window.
HRESULT HangUp(ITBasicCallControl* pCall) {
  HRESULT hr = pCall->Disconnect(DC_NORMAL);
  if (hr == TAPI_E_INVALCALLSTATE) hr = S_OK;  // already gone
  pCall->Release();
  return hr;
}

HRESULT Reject(ITBasicCallControl* pCall) { return pCall->Disconnect(DC_REJECTED); }

HRESULT HoldOrResume(ITBasicCallControl* pCall, bool hold) { return pCall->Hold(hold ? VARIANT_TRUE : VARIANT_FALSE); }

HRESULT TransferTo(ITBasicCallControl* pCall, const wchar_t* number) {
  BSTR destination = SysAllocString(number);
  if (destination == NULL) return E_OUTOFMEMORY;
  const HRESULT hr = pCall->BlindTransfer(destination);
  SysFreeString(destination);
  return hr;
}
