// A TAPI 3 program that places a call, written the way Windows programs of
// this kind (Microsoft's TAPI 3 "outgoing" sample, click-to-dial tools) use
// the API: find an address that supports the address type and audio, create
// the call, select terminals on its streams, connect, and disconnect.
//
// Compile check only (tests/headers/CMakeLists.txt); it is never run.
#include <objbase.h>
#include <tapi3.h>

// The first address that supports lAddressType (LINEADDRESSTYPE_*) and
// audio, AddRef'd in *ppAddress.
HRESULT FindAddress(ITTAPI* gpTapi, long lAddressType, ITAddress** ppAddress) {
  *ppAddress = NULL;
  IEnumAddress* pEnumAddress = NULL;
  HRESULT hr = gpTapi->EnumerateAddresses(&pEnumAddress);
  if (FAILED(hr)) return hr;
  ITAddress* pAddress = NULL;
  while (S_OK == pEnumAddress->Next(1, &pAddress, NULL)) {
    ITAddressCapabilities* pCaps = NULL;
    long lTypes = 0;
    hr = pAddress->QueryInterface(IID_ITAddressCapabilities, (void**)&pCaps);
    if (SUCCEEDED(hr)) {
      hr = pCaps->get_AddressCapability(AC_ADDRESSTYPES, &lTypes);
      pCaps->Release();
    }
    ITMediaSupport* pMediaSupport = NULL;
    VARIANT_BOOL bSupport = VARIANT_FALSE;
    if (SUCCEEDED(pAddress->QueryInterface(IID_ITMediaSupport, (void**)&pMediaSupport))) {
      pMediaSupport->QueryMediaType(TAPIMEDIATYPE_AUDIO, &bSupport);
      pMediaSupport->Release();
    }
    if (SUCCEEDED(hr) && (lTypes & lAddressType) && bSupport) {
      *ppAddress = pAddress;
      break;
    }
    pAddress->Release();
  }
  pEnumAddress->Release();
  return *ppAddress != NULL ? S_OK : E_FAIL;
}

// One terminal per stream of the call, from the address's defaults.
HRESULT SelectTerminalsOnCall(ITAddress* pAddress, ITBasicCallControl* pCall) {
  ITStreamControl* pStreamControl = NULL;
  HRESULT hr = pCall->QueryInterface(IID_ITStreamControl, (void**)&pStreamControl);
  if (FAILED(hr)) return hr;
  ITTerminalSupport* pTerminalSupport = NULL;
  hr = pAddress->QueryInterface(IID_ITTerminalSupport, (void**)&pTerminalSupport);
  if (FAILED(hr)) {
    pStreamControl->Release();
    return hr;
  }
  IEnumStream* pEnumStreams = NULL;
  hr = pStreamControl->EnumerateStreams(&pEnumStreams);
  if (SUCCEEDED(hr)) {
    ITStream* pStream = NULL;
    while (S_OK == pEnumStreams->Next(1, &pStream, NULL)) {
      long lMediaType = 0;
      TERMINAL_DIRECTION dir = TD_CAPTURE;
      pStream->get_MediaType(&lMediaType);
      pStream->get_Direction(&dir);
      ITTerminal* pTerminal = NULL;
      if (lMediaType == TAPIMEDIATYPE_VIDEO && dir == TD_RENDER) {
        // A video window is a dynamic terminal, created by class.
        LPOLESTR lpTerminalClass = NULL;
        hr = StringFromIID(CLSID_VideoWindowTerm, &lpTerminalClass);
        if (SUCCEEDED(hr)) {
          BSTR bstrTerminalClass = SysAllocString(lpTerminalClass);
          CoTaskMemFree(lpTerminalClass);
          hr = pTerminalSupport->CreateTerminal(bstrTerminalClass, TAPIMEDIATYPE_VIDEO, TD_RENDER, &pTerminal);
          SysFreeString(bstrTerminalClass);
        }
      } else if (lMediaType == TAPIMEDIATYPE_AUDIO && dir == TD_CAPTURE) {
        // Is there a dynamic class besides the static devices?
        IEnumTerminalClass* pClasses = NULL;
        if (SUCCEEDED(pTerminalSupport->EnumerateDynamicTerminalClasses(&pClasses))) {
          GUID terminalClass;
          while (pClasses->Next(1, &terminalClass, NULL) == S_OK) {
            if (IsEqualGUID(terminalClass, CLSID_MediaStreamTerminal)) break;
          }
          pClasses->Release();
        }
        hr = pTerminalSupport->GetDefaultStaticTerminal(lMediaType, dir, &pTerminal);
      } else {
        hr = pTerminalSupport->GetDefaultStaticTerminal(lMediaType, dir, &pTerminal);
      }
      if (SUCCEEDED(hr) && pTerminal != NULL) {
        hr = pStream->SelectTerminal(pTerminal);
        TERMINAL_STATE state;
        TERMINAL_TYPE type;
        pTerminal->get_State(&state);
        pTerminal->get_TerminalType(&type);
        pTerminal->Release();
      }
      pStream->Release();
    }
    pEnumStreams->Release();
  }
  pTerminalSupport->Release();
  pStreamControl->Release();
  return hr;
}

// Places a call to szDestination and returns it for a later Disconnect.
HRESULT MakeTheCall(ITTAPI* gpTapi, const wchar_t* szDestination, ITBasicCallControl** ppCall) {
  ITAddress* pAddress = NULL;
  HRESULT hr = FindAddress(gpTapi, LINEADDRESSTYPE_PHONENUMBER, &pAddress);
  if (FAILED(hr)) return hr;
  long lMediaTypes = TAPIMEDIATYPE_AUDIO;
  BSTR bstrDestAddress = SysAllocString(szDestination);
  ITBasicCallControl* gpCall = NULL;
  hr = pAddress->CreateCall(bstrDestAddress, LINEADDRESSTYPE_PHONENUMBER, lMediaTypes, &gpCall);
  SysFreeString(bstrDestAddress);
  if (SUCCEEDED(hr)) {
    SelectTerminalsOnCall(pAddress, gpCall);
    hr = gpCall->Connect(VARIANT_FALSE);
    if (hr == TAPI_E_INVALADDRESS || hr == TAPI_E_DESTBUSY) {
      gpCall->Release();
      gpCall = NULL;
    }
  }
  pAddress->Release();
  *ppCall = gpCall;
  return hr;
}

// Hangs up and reads what is known about the call afterwards.
HRESULT DisconnectTheCall(ITBasicCallControl* gpCall) {
  HRESULT hr = gpCall->Disconnect(DC_NORMAL);
  ITCallInfo* pCallInfo = NULL;
  if (SUCCEEDED(gpCall->QueryInterface(IID_ITCallInfo, (void**)&pCallInfo))) {
    CALL_STATE state;
    pCallInfo->get_CallState(&state);
    long id = 0;
    pCallInfo->get_CallInfoLong(CIL_CALLID, &id);
    BSTR connected = NULL;
    pCallInfo->get_CallInfoString(CIS_CONNECTEDIDNUMBER, &connected);
    SysFreeString(connected);
    ITCallInfo2* pCallInfo2 = NULL;
    if (SUCCEEDED(pCallInfo->QueryInterface(IID_ITCallInfo2, (void**)&pCallInfo2))) {
      pCallInfo2->put_EventFilter(TE_CALLMEDIA, 0, VARIANT_FALSE);
      pCallInfo2->Release();
    }
    pCallInfo->Release();
  }
  gpCall->Release();
  return hr;
}

// Dials more digits on a connected call, as a keypad does.
HRESULT SendDigits(ITBasicCallControl* gpCall, const wchar_t* digits) {
  ITBasicCallControl2* pCall2 = NULL;
  HRESULT hr = gpCall->QueryInterface(IID_ITBasicCallControl2, (void**)&pCall2);
  if (FAILED(hr)) return hr;
  BSTR bstr = SysAllocString(digits);
  hr = pCall2->Dial(bstr);
  SysFreeString(bstr);
  pCall2->Release();
  return hr;
}
