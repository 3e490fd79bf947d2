// call_desktop: TAPI 3 call programs written the Windows way, with the TAPI
// code of Microsoft's `outgoing` and `incoming` samples (FindAnAddress with
// AC_ADDRESSTYPES and ITMediaSupport, RegisterCallNotifications on every
// audio address, a sink that AddRefs each event and hands it to the main
// thread, SelectTerminalsOnCall over ITStreamControl before Answer/Connect).
// It is compiled against the INSTALLED SDK with nothing but
// `pkg-config --cflags --libs opentapi` and run against a real opentapid
// (2 lines of 2 addresses: 2001, 2002, 2003, 2004).
//
// usage: call_desktop calls | acd-call
//   calls     Three TAPI objects in one process: a caller desk on 2001/2002,
//             an agent desk owning 2003 and 2004, a supervisor monitoring
//             2003. Calls are offered, answered, held, hung up from either
//             side, refused as busy or to a number nobody has, rejected
//             while ringing, transferred blind; a monitor cannot control.
//   acd-call  Against opentapid's reference ACD (demo configuration, no
//             simulator): agent 1001 logs in on 2001 in Sales and goes READY;
//             a customer on 2004 dials the Sales queue (8001); the ACD offers
//             the call on 2001 with the customer's number, the queue's number
//             and its call data; the agent answers, hangs up, wraps up and
//             goes READY again.
// Exit status 0 when every check held; each failed check is printed.
#include <stdio.h>
#include <string.h>
#include <tapi.h>  // LINECALLREASON_*, as on Windows
#include <tapi3.h>
#include <wchar.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

static int g_failures = 0;

#define CHECK(cond)                                                  \
  do {                                                               \
    if (!(cond)) {                                                   \
      printf("CHECK FAILED %s:%d: %s\n", __FILE__, __LINE__, #cond); \
      ++g_failures;                                                  \
    }                                                                \
  } while (0)

#define CHECK_HR(expr, expected)                                                                             \
  do {                                                                                                       \
    HRESULT hr_ = (expr);                                                                                    \
    if (hr_ != (HRESULT)(expected)) {                                                                        \
      printf("CHECK FAILED %s:%d: %s = 0x%08X, expected 0x%08X\n", __FILE__, __LINE__, #expr, (unsigned)hr_, \
             (unsigned)(HRESULT)(expected));                                                                 \
      ++g_failures;                                                                                          \
    }                                                                                                        \
  } while (0)

// ---- The event sink: AddRef the event, hand it to the main thread ----------------------

struct PostedEvent {
  TAPI_EVENT kind;
  IDispatch* event;
};

class CTAPIEventNotification : public ITTAPIEventNotification {
 public:
  explicit CTAPIEventNotification(const char* name) : m_name(name), m_dwRefCount(1), m_fAutoAnswer(false) {}

  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID iid, void** ppvObject) {
    if (ppvObject == NULL) return E_POINTER;
    if (iid == IID_ITTAPIEventNotification || iid == IID_IUnknown) {
      *ppvObject = static_cast<ITTAPIEventNotification*>(this);
      AddRef();
      return S_OK;
    }
    *ppvObject = NULL;
    return E_NOINTERFACE;
  }
  ULONG STDMETHODCALLTYPE AddRef() {
    std::lock_guard<std::mutex> lock(m_mutex);
    return ++m_dwRefCount;
  }
  ULONG STDMETHODCALLTYPE Release() {
    ULONG n;
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      n = --m_dwRefCount;
    }
    if (n == 0) delete this;
    return n;
  }

  HRESULT STDMETHODCALLTYPE Event(TAPI_EVENT TapiEvent, IDispatch* pEvent) {
    // The `incoming` sample's auto-answer, done right here on TAPI's thread:
    // answer a call we own once it is offered.
    if (TapiEvent == TE_CALLSTATE && AutoAnswer()) {
      ITCallStateEvent* pState = NULL;
      if (SUCCEEDED(pEvent->QueryInterface(IID_ITCallStateEvent, (void**)&pState))) {
        CALL_STATE cs = CS_IDLE;
        ITCallInfo* pCall = NULL;
        if (SUCCEEDED(pState->get_State(&cs)) && cs == CS_OFFERING && SUCCEEDED(pState->get_Call(&pCall))) {
          ITBasicCallControl* pControl = NULL;
          if (SUCCEEDED(pCall->QueryInterface(IID_ITBasicCallControl, (void**)&pControl))) {
            CHECK_HR(pControl->Answer(), S_OK);
            pControl->Release();
          }
          pCall->Release();
        }
        pState->Release();
      }
    }
    pEvent->AddRef();  // as the samples do before posting it on
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      PostedEvent e = {TapiEvent, pEvent};
      m_events.push_back(e);
    }
    m_cv.notify_all();
    return S_OK;
  }

  void SetAutoAnswer(bool on) {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_fAutoAnswer = on;
  }

  // The next event of `kind` (AddRef'd), waiting up to timeout; NULL if none.
  IDispatch* Next(TAPI_EVENT kind, int timeout_ms = 10000) {
    std::unique_lock<std::mutex> lock(m_mutex);
    IDispatch* found = NULL;
    m_cv.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] {
      for (size_t i = 0; i < m_events.size(); ++i) {
        if (m_events[i].kind == kind) {
          found = m_events[i].event;
          m_events.erase(m_events.begin() + (long)i);
          return true;
        }
      }
      return false;
    });
    if (found == NULL) printf("%s: no event %#x\n", m_name, (unsigned)kind);
    return found;
  }

  size_t Pending(TAPI_EVENT kind) {
    std::lock_guard<std::mutex> lock(m_mutex);
    size_t n = 0;
    for (size_t i = 0; i < m_events.size(); ++i) n += m_events[i].kind == kind;
    return n;
  }

 private:
  virtual ~CTAPIEventNotification() {
    for (size_t i = 0; i < m_events.size(); ++i) m_events[i].event->Release();
  }
  bool AutoAnswer() {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_fAutoAnswer;
  }
  const char* m_name;
  ULONG m_dwRefCount;
  bool m_fAutoAnswer;
  std::mutex m_mutex;
  std::condition_variable m_cv;
  std::vector<PostedEvent> m_events;
};

// ---- One TAPI object with its sink ------------------------------------------------------

struct Desk {
  ITTAPI* pTapi;
  CTAPIEventNotification* pSink;
  IConnectionPoint* pCP;
  DWORD dwCookie;
};

static bool InitializeDesk(Desk* desk, const char* name,
                           long filter = TE_CALLNOTIFICATION | TE_CALLSTATE | TE_CALLMEDIA) {
  memset(desk, 0, sizeof *desk);
  if (FAILED(CoCreateInstance(CLSID_TAPI, NULL, CLSCTX_INPROC_SERVER, IID_ITTAPI, (LPVOID*)&desk->pTapi))) {
    return false;
  }
  if (desk->pTapi->Initialize() != S_OK) return false;
  IConnectionPointContainer* pCPC = NULL;
  if (FAILED(desk->pTapi->QueryInterface(IID_IConnectionPointContainer, (void**)&pCPC))) return false;
  HRESULT hr = pCPC->FindConnectionPoint(IID_ITTAPIEventNotification, &desk->pCP);
  pCPC->Release();
  if (FAILED(hr)) return false;
  desk->pSink = new CTAPIEventNotification(name);
  if (FAILED(desk->pCP->Advise(desk->pSink, &desk->dwCookie))) return false;
  return SUCCEEDED(desk->pTapi->put_EventFilter(filter));
}

static void ShutdownDesk(Desk* desk) {
  if (desk->pTapi != NULL) desk->pTapi->Shutdown();
  if (desk->pCP != NULL) {
    desk->pCP->Unadvise(desk->dwCookie);
    desk->pCP->Release();
  }
  if (desk->pSink != NULL) desk->pSink->Release();
  if (desk->pTapi != NULL) desk->pTapi->Release();
  memset(desk, 0, sizeof *desk);
}

// ---- The samples' helpers ---------------------------------------------------------------

static BOOL AddressSupportsMediaType(ITAddress* pAddress, long lMediaType) {
  VARIANT_BOOL bSupport = VARIANT_FALSE;
  ITMediaSupport* pMediaSupport;
  if (SUCCEEDED(pAddress->QueryInterface(IID_ITMediaSupport, (void**)&pMediaSupport))) {
    pMediaSupport->QueryMediaType(lMediaType, &bSupport);
    pMediaSupport->Release();
  }
  return (bSupport == VARIANT_TRUE);
}

// The address whose dialable number is `number` and that takes phone numbers
// and audio (the `outgoing` sample's FindAnAddress, by number).
static ITAddress* FindAnAddress(ITTAPI* pTapi, const wchar_t* number) {
  IEnumAddress* pEnumAddress;
  if (FAILED(pTapi->EnumerateAddresses(&pEnumAddress))) return NULL;
  ITAddress* pFound = NULL;
  ITAddress* pAddress;
  while (pFound == NULL && pEnumAddress->Next(1, &pAddress, NULL) == S_OK) {
    ITAddressCapabilities* pAddressCaps;
    long lType = 0;
    if (SUCCEEDED(pAddress->QueryInterface(IID_ITAddressCapabilities, (void**)&pAddressCaps))) {
      if (FAILED(pAddressCaps->get_AddressCapability(AC_ADDRESSTYPES, &lType))) lType = 0;
      pAddressCaps->Release();
    }
    BSTR bstrNumber = NULL;
    if ((lType & LINEADDRESSTYPE_PHONENUMBER) && AddressSupportsMediaType(pAddress, TAPIMEDIATYPE_AUDIO) &&
        SUCCEEDED(pAddress->get_DialableAddress(&bstrNumber)) && wcscmp(bstrNumber, number) == 0) {
      pFound = pAddress;
      pFound->AddRef();
    }
    SysFreeString(bstrNumber);
    pAddress->Release();
  }
  pEnumAddress->Release();
  return pFound;
}

// The samples select a terminal on every stream before answering or
// connecting; this server has no media, so the loop finds no stream.
static HRESULT SelectTerminalsOnCall(ITAddress* pAddress, ITBasicCallControl* pCall) {
  ITStreamControl* pStreamControl;
  HRESULT hr = pCall->QueryInterface(IID_ITStreamControl, (void**)&pStreamControl);
  if (SUCCEEDED(hr)) {
    IEnumStream* pEnumStreams;
    hr = pStreamControl->EnumerateStreams(&pEnumStreams);
    pStreamControl->Release();
    if (SUCCEEDED(hr)) {
      ITStream* pStream;
      int streams = 0;
      while (S_OK == pEnumStreams->Next(1, &pStream, NULL)) {
        ++streams;
        long lMediaType;
        TERMINAL_DIRECTION dir;
        ITTerminalSupport* pTerminalSupport;
        if (SUCCEEDED(pStream->get_MediaType(&lMediaType)) && SUCCEEDED(pStream->get_Direction(&dir)) &&
            SUCCEEDED(pAddress->QueryInterface(IID_ITTerminalSupport, (void**)&pTerminalSupport))) {
          ITTerminal* pTerminal = NULL;
          if (pTerminalSupport->GetDefaultStaticTerminal(lMediaType, dir, &pTerminal) == S_OK) {
            pStream->SelectTerminal(pTerminal);
            pTerminal->Release();
          }
          pTerminalSupport->Release();
        }
        pStream->Release();
      }
      pEnumStreams->Release();
      CHECK(streams == 0);
    }
  }
  return hr;
}

// ---- Reading events -----------------------------------------------------------------------

// The next TE_CALLNOTIFICATION: its code, callback instance and call.
static ITBasicCallControl* NextNewCall(Desk* desk, CALL_NOTIFICATION_EVENT* code, long* instance) {
  IDispatch* pEvent = desk->pSink->Next(TE_CALLNOTIFICATION);
  if (pEvent == NULL) return NULL;
  ITCallNotificationEvent* pNotify = NULL;
  ITBasicCallControl* pControl = NULL;
  if (SUCCEEDED(pEvent->QueryInterface(IID_ITCallNotificationEvent, (void**)&pNotify))) {
    ITCallInfo* pCall = NULL;
    pNotify->get_Event(code);
    pNotify->get_CallbackInstance(instance);
    if (SUCCEEDED(pNotify->get_Call(&pCall))) {
      pCall->QueryInterface(IID_ITBasicCallControl, (void**)&pControl);
      pCall->Release();
    }
    pNotify->Release();
  }
  pEvent->Release();
  return pControl;
}

// The next TE_CALLSTATE must be about `call`: its state (and cause).
static CALL_STATE NextState(Desk* desk, ITBasicCallControl* call, CALL_STATE_EVENT_CAUSE* cause = NULL) {
  IDispatch* pEvent = desk->pSink->Next(TE_CALLSTATE);
  CALL_STATE cs = CS_IDLE;
  if (pEvent == NULL) return cs;
  ITCallStateEvent* pState = NULL;
  if (SUCCEEDED(pEvent->QueryInterface(IID_ITCallStateEvent, (void**)&pState))) {
    ITCallInfo* pCall = NULL;
    pState->get_State(&cs);
    CALL_STATE_EVENT_CAUSE cec = CEC_NONE;
    pState->get_Cause(&cec);
    if (cause != NULL) *cause = cec;
    if (SUCCEEDED(pState->get_Call(&pCall))) {
      ITBasicCallControl* pControl = NULL;
      pCall->QueryInterface(IID_ITBasicCallControl, (void**)&pControl);
      CHECK(pControl == call);  // the very object the program holds, as `incoming` compares
      if (pControl != NULL) pControl->Release();
      pCall->Release();
    }
    pState->Release();
  }
  pEvent->Release();
  return cs;
}

static void CheckInfoString(ITBasicCallControl* call, CALLINFO_STRING which, const wchar_t* expected) {
  ITCallInfo* pInfo = NULL;
  BSTR value = NULL;
  CHECK(SUCCEEDED(call->QueryInterface(IID_ITCallInfo, (void**)&pInfo)));
  if (pInfo == NULL) return;
  CHECK_HR(pInfo->get_CallInfoString(which, &value), S_OK);
  if (value == NULL || wcscmp(value, expected) != 0) {
    printf("CHECK FAILED: call info string %d is '%ls', expected '%ls'\n", (int)which, value ? value : L"(null)",
           expected);
    ++g_failures;
  }
  SysFreeString(value);
  pInfo->Release();
}

static long InfoLong(ITBasicCallControl* call, CALLINFO_LONG which) {
  ITCallInfo* pInfo = NULL;
  long value = -1;
  if (SUCCEEDED(call->QueryInterface(IID_ITCallInfo, (void**)&pInfo))) {
    CHECK_HR(pInfo->get_CallInfoLong(which, &value), S_OK);
    pInfo->Release();
  }
  return value;
}

static ITBasicCallControl* MakeCall(ITAddress* pAddress, const wchar_t* number) {
  BSTR bstrAddressToCall = SysAllocString(number);
  ITBasicCallControl* pCall = NULL;
  CHECK_HR(pAddress->CreateCall(bstrAddressToCall, LINEADDRESSTYPE_PHONENUMBER, TAPIMEDIATYPE_AUDIO, &pCall), S_OK);
  SysFreeString(bstrAddressToCall);
  if (pCall != NULL) SelectTerminalsOnCall(pAddress, pCall);
  return pCall;
}

// ---- The scenario ---------------------------------------------------------------------------

static void CheckAddressOrder(ITTAPI* pTapi) {
  const wchar_t* numbers[] = {L"2001", L"2002", L"2003", L"2004"};
  IEnumAddress* pEnum = NULL;
  CHECK_HR(pTapi->EnumerateAddresses(&pEnum), S_OK);
  if (pEnum == NULL) return;
  ITAddress* pAddress;
  int i = 0;
  while (pEnum->Next(1, &pAddress, NULL) == S_OK) {
    BSTR number = NULL, name = NULL;
    pAddress->get_DialableAddress(&number);
    pAddress->get_AddressName(&name);
    printf("address %d: %ls '%ls'\n", i, number, name);
    CHECK(i < 4 && wcscmp(number, numbers[i]) == 0);
    CHECK(wcsstr(name, number) != NULL);  // "<line name> (<number>)"
    SysFreeString(number);
    SysFreeString(name);
    pAddress->Release();
    ++i;
  }
  pEnum->Release();
  CHECK(i == 4);
}

static int RunCalls(void) {
  Desk caller, agent, supervisor;
  if (!InitializeDesk(&caller, "caller") || !InitializeDesk(&agent, "agent") ||
      !InitializeDesk(&supervisor, "supervisor")) {
    printf("TAPI did not initialize\n");
    return 1;
  }
  CheckAddressOrder(caller.pTapi);
  ITAddress* pFrom = FindAnAddress(caller.pTapi, L"2001");
  ITAddress* pFrom2 = FindAnAddress(caller.pTapi, L"2002");
  ITAddress* pDesk = FindAnAddress(agent.pTapi, L"2003");
  ITAddress* pDesk2 = FindAnAddress(agent.pTapi, L"2004");
  ITAddress* pWatched = FindAnAddress(supervisor.pTapi, L"2003");
  if (!pFrom || !pFrom2 || !pDesk || !pDesk2 || !pWatched) {
    printf("addresses 2001..2004 not found\n");
    return 1;
  }
  // The `incoming` sample: owner and monitor, audio; a supervisor monitors only.
  long lRegister = 0, lRegister2 = 0, lWatch = 0;
  CHECK_HR(
      agent.pTapi->RegisterCallNotifications(pDesk, VARIANT_TRUE, VARIANT_TRUE, TAPIMEDIATYPE_AUDIO, 3, &lRegister),
      S_OK);
  CHECK_HR(
      agent.pTapi->RegisterCallNotifications(pDesk2, VARIANT_TRUE, VARIANT_TRUE, TAPIMEDIATYPE_AUDIO, 4, &lRegister2),
      S_OK);
  CHECK_HR(supervisor.pTapi->RegisterCallNotifications(pWatched, VARIANT_TRUE, VARIANT_FALSE, TAPIMEDIATYPE_AUDIO, 9,
                                                       &lWatch),
           S_OK);

  // 1. 2001 calls 2003: offered with caller ID, answered, held, hung up by the caller.
  ITBasicCallControl* pCall = MakeCall(pFrom, L"2003");
  CHECK_HR(pCall->Connect(VARIANT_FALSE), S_OK);
  CHECK(NextState(&caller, pCall) == CS_INPROGRESS);
  CALL_NOTIFICATION_EVENT cne = CNE_MONITOR;
  long instance = 0;
  ITBasicCallControl* pOffered = NextNewCall(&agent, &cne, &instance);
  CHECK(pOffered != NULL);
  if (pOffered == NULL) return 1;
  CHECK(cne == CNE_OWNER);
  CHECK(instance == 3);
  CHECK(NextState(&agent, pOffered) == CS_OFFERING);
  CheckInfoString(pOffered, CIS_CALLERIDNUMBER, L"2001");
  CheckInfoString(pOffered, CIS_CALLEDIDNUMBER, L"2003");
  CHECK(InfoLong(pOffered, CIL_MEDIATYPESAVAILABLE) == TAPIMEDIATYPE_AUDIO);
  ITBasicCallControl* pWatch = NextNewCall(&supervisor, &cne, &instance);
  CHECK(pWatch != NULL);
  if (pWatch == NULL) return 1;
  CHECK(cne == CNE_MONITOR);
  CHECK(instance == 9);
  CHECK(NextState(&supervisor, pWatch) == CS_OFFERING);
  CHECK_HR(pWatch->Answer(), TAPI_E_NOTOWNER);  // a supervisor cannot answer

  SelectTerminalsOnCall(pDesk, pOffered);
  CHECK_HR(pOffered->Answer(), S_OK);
  CHECK(NextState(&agent, pOffered) == CS_CONNECTED);
  CHECK(NextState(&caller, pCall) == CS_CONNECTED);
  CHECK(NextState(&supervisor, pWatch) == CS_CONNECTED);
  CHECK_HR(pOffered->Hold(VARIANT_TRUE), S_OK);
  CHECK(NextState(&agent, pOffered) == CS_HOLD);
  CHECK_HR(pOffered->Hold(VARIANT_FALSE), S_OK);
  CHECK(NextState(&agent, pOffered) == CS_CONNECTED);
  CHECK(NextState(&supervisor, pWatch) == CS_HOLD);  // a monitor sees the same appearance
  CHECK(NextState(&supervisor, pWatch) == CS_CONNECTED);
  CHECK_HR(pCall->Disconnect(DC_NORMAL), S_OK);
  CALL_STATE_EVENT_CAUSE cause = CEC_NONE;
  CHECK(NextState(&caller, pCall, &cause) == CS_DISCONNECTED);
  CHECK(cause == CEC_DISCONNECT_NORMAL);
  CHECK(NextState(&agent, pOffered, &cause) == CS_DISCONNECTED);
  CHECK(cause == CEC_DISCONNECT_NORMAL);
  CHECK(NextState(&supervisor, pWatch) == CS_DISCONNECTED);
  CHECK_HR(pOffered->Disconnect(DC_NORMAL), S_OK);  // the rest of the hang-up
  CHECK_HR(pCall->Disconnect(DC_NORMAL), S_FALSE);  // nothing left on the caller's side
  pWatch->Release();
  pOffered->Release();
  pCall->Release();

  // 2. A synchronous Connect: the agent answers on TAPI's thread (auto-answer);
  //    then 2002 finds 2003 busy, and nobody has 2999.
  agent.pSink->SetAutoAnswer(true);
  pCall = MakeCall(pFrom, L"2003");
  CHECK_HR(pCall->Connect(VARIANT_TRUE), S_OK);
  pOffered = NextNewCall(&agent, &cne, &instance);
  CHECK(pOffered != NULL);
  if (pOffered == NULL) return 1;
  CHECK(NextState(&agent, pOffered) == CS_OFFERING);
  CHECK(NextState(&agent, pOffered) == CS_CONNECTED);
  CHECK(NextState(&caller, pCall) == CS_INPROGRESS);
  CHECK(NextState(&caller, pCall) == CS_CONNECTED);
  pWatch = NextNewCall(&supervisor, &cne, &instance);
  ITBasicCallControl* pBusy = MakeCall(pFrom2, L"2003");
  CHECK_HR(pBusy->Connect(VARIANT_TRUE), TAPI_E_DESTBUSY);
  CHECK(NextState(&caller, pBusy) == CS_INPROGRESS);
  CHECK(NextState(&caller, pBusy, &cause) == CS_DISCONNECTED);
  CHECK(cause == CEC_DISCONNECT_BUSY);
  // Hang the failed call up before the next one from the same address (it
  // takes the address's one active call until then).
  CHECK_HR(pBusy->Disconnect(DC_NORMAL), S_OK);
  pBusy->Release();
  ITBasicCallControl* pNobody = MakeCall(pFrom2, L"2999");
  CHECK_HR(pNobody->Connect(VARIANT_TRUE), TAPI_E_INVALADDRESS);
  CHECK(NextState(&caller, pNobody) == CS_INPROGRESS);
  CHECK(NextState(&caller, pNobody, &cause) == CS_DISCONNECTED);
  CHECK(cause == CEC_DISCONNECT_BADADDRESS);
  CHECK_HR(pNobody->Disconnect(DC_NORMAL), S_OK);
  pNobody->Release();
  ITBasicCallControl* pJunk = MakeCall(pFrom2, L"12ab");
  CHECK_HR(pJunk->Connect(VARIANT_FALSE), TAPI_E_INVALADDRESS);  // not dialable: at once
  pJunk->Release();

  // 3. The agent hangs up; the caller is told.
  CHECK_HR(pOffered->Disconnect(DC_NORMAL), S_OK);
  CHECK(NextState(&agent, pOffered) == CS_DISCONNECTED);
  CHECK(NextState(&caller, pCall, &cause) == CS_DISCONNECTED);
  CHECK(cause == CEC_DISCONNECT_NORMAL);
  CHECK_HR(pCall->Disconnect(DC_NORMAL), S_OK);
  if (pWatch != NULL) pWatch->Release();
  pOffered->Release();
  pCall->Release();

  // 4. The agent rejects a ringing call: the caller is told it was rejected
  //    (lineDrop of an offered call rejects it, docs/calls.md).
  agent.pSink->SetAutoAnswer(false);
  pCall = MakeCall(pFrom, L"2003");
  CHECK_HR(pCall->Connect(VARIANT_FALSE), S_OK);
  CHECK(NextState(&caller, pCall) == CS_INPROGRESS);
  pOffered = NextNewCall(&agent, &cne, &instance);
  if (pOffered == NULL) return 1;
  CHECK(NextState(&agent, pOffered) == CS_OFFERING);
  CHECK_HR(pOffered->Disconnect(DC_REJECTED), S_OK);
  CHECK(NextState(&agent, pOffered) == CS_DISCONNECTED);
  CHECK(NextState(&caller, pCall, &cause) == CS_DISCONNECTED);
  CHECK(cause == CEC_DISCONNECT_REJECTED);
  CHECK_HR(pCall->Disconnect(DC_NORMAL), S_OK);
  CHECK_HR(pOffered->Disconnect(DC_NORMAL), S_FALSE);  // nothing left to drop
  pOffered->Release();
  pCall->Release();

  // 5. Blind transfer from 2003 to 2004: the new appearance says why it rings.
  pCall = MakeCall(pFrom, L"2003");
  CHECK_HR(pCall->Connect(VARIANT_FALSE), S_OK);
  pOffered = NextNewCall(&agent, &cne, &instance);
  if (pOffered == NULL) return 1;
  CHECK(NextState(&agent, pOffered) == CS_OFFERING);
  CHECK_HR(pOffered->Answer(), S_OK);
  CHECK(NextState(&agent, pOffered) == CS_CONNECTED);
  BSTR bstrTo = SysAllocString(L"2004");
  CHECK_HR(pOffered->BlindTransfer(bstrTo), S_OK);
  SysFreeString(bstrTo);
  CHECK(NextState(&agent, pOffered) == CS_DISCONNECTED);
  ITBasicCallControl* pTransferred = NextNewCall(&agent, &cne, &instance);
  CHECK(pTransferred != NULL);
  if (pTransferred == NULL) return 1;
  CHECK(instance == 4);
  CHECK(NextState(&agent, pTransferred) == CS_OFFERING);
  CHECK(InfoLong(pTransferred, CIL_REASON) == (long)LINECALLREASON_TRANSFER);
  CheckInfoString(pTransferred, CIS_CALLERIDNUMBER, L"2001");
  CHECK_HR(pTransferred->Answer(), S_OK);
  CHECK(NextState(&agent, pTransferred) == CS_CONNECTED);
  CHECK_HR(pTransferred->Disconnect(DC_NORMAL), S_OK);
  CHECK(NextState(&agent, pTransferred) == CS_DISCONNECTED);
  CHECK_HR(pCall->Disconnect(DC_NORMAL), S_OK);
  pTransferred->Release();
  pOffered->Release();
  pCall->Release();

  // 6. Unregistering ends the notifications; everything is released cleanly.
  CHECK_HR(agent.pTapi->UnregisterNotifications(lRegister), S_OK);
  CHECK_HR(agent.pTapi->UnregisterNotifications(lRegister), E_INVALIDARG);
  CHECK_HR(agent.pTapi->UnregisterNotifications(lRegister2), S_OK);
  CHECK_HR(supervisor.pTapi->UnregisterNotifications(lWatch), S_OK);
  pFrom->Release();
  pFrom2->Release();
  pDesk->Release();
  pDesk2->Release();
  pWatched->Release();
  ShutdownDesk(&supervisor);
  ShutdownDesk(&agent);
  ShutdownDesk(&caller);
  return 0;
}

// ---- The agent desktop of a call center ------------------------------------------------

// The next session event must be `expected`.
static void ExpectSessionEvent(Desk* desk, AGENT_SESSION_EVENT expected) {
  IDispatch* pEvent = desk->pSink->Next(TE_AGENTSESSION, 30000);
  AGENT_SESSION_EVENT ase = ASE_END;
  ITAgentSessionEvent* pSessionEvent = NULL;
  if (pEvent != NULL && SUCCEEDED(pEvent->QueryInterface(IID_ITAgentSessionEvent, (void**)&pSessionEvent))) {
    pSessionEvent->get_Event(&ase);
    pSessionEvent->Release();
  }
  if (pEvent != NULL) pEvent->Release();
  if (pEvent == NULL || ase != expected) {
    printf("CHECK FAILED: session event %d, expected %d\n", pEvent == NULL ? -1 : (int)ase, (int)expected);
    ++g_failures;
  }
}

static ITAgentHandler* FirstAgentHandler(ITTAPI* pTapi) {
  ITTAPICallCenter* pCallCenter = NULL;
  if (FAILED(pTapi->QueryInterface(IID_ITTAPICallCenter, (void**)&pCallCenter))) return NULL;
  IEnumAgentHandler* pEnumHandler = NULL;
  ITAgentHandler* pHandler = NULL;
  if (SUCCEEDED(pCallCenter->EnumerateAgentHandlers(&pEnumHandler))) {
    if (pEnumHandler->Next(1, &pHandler, NULL) != S_OK) pHandler = NULL;
    pEnumHandler->Release();
  }
  pCallCenter->Release();
  return pHandler;
}

static ITACDGroup* GroupNamed(ITAgentHandler* pHandler, const wchar_t* name) {
  IEnumACDGroup* pEnum = NULL;
  ITACDGroup *pGroup = NULL, *pFound = NULL;
  if (FAILED(pHandler->EnumerateACDGroups(&pEnum))) return NULL;
  while (pFound == NULL && pEnum->Next(1, &pGroup, NULL) == S_OK) {
    BSTR bstrName = NULL;
    if (SUCCEEDED(pGroup->get_Name(&bstrName)) && wcscmp(bstrName, name) == 0) {
      pFound = pGroup;
      pFound->AddRef();
    }
    SysFreeString(bstrName);
    pGroup->Release();
  }
  pEnum->Release();
  return pFound;
}

static int RunAcdCall(void) {
  Desk agent, customer;
  if (!InitializeDesk(&agent, "agent", TE_CALLNOTIFICATION | TE_CALLSTATE | TE_AGENTSESSION | TE_AGENTHANDLER) ||
      !InitializeDesk(&customer, "customer")) {
    printf("TAPI did not initialize\n");
    return 1;
  }
  // The ACD registers inside opentapid while it starts: wait for its handler.
  ITAgentHandler* pHandler = FirstAgentHandler(agent.pTapi);
  for (int tries = 0; pHandler == NULL && tries < 60; ++tries) {
    IDispatch* pEvent = agent.pSink->Next(TE_AGENTHANDLER, 500);
    if (pEvent != NULL) pEvent->Release();
    pHandler = FirstAgentHandler(agent.pTapi);
  }
  if (pHandler == NULL) {
    printf("no agent handler\n");
    return 1;
  }
  // Log in as agent 1001 (PIN 1111) on station 2001, in Sales.
  BSTR bstrID = SysAllocString(L"1001"), bstrPIN = SysAllocString(L"1111");
  ITAgent* pAgent = NULL;
  CHECK_HR(pHandler->CreateAgentWithID(bstrID, bstrPIN, &pAgent), S_OK);
  SysFreeString(bstrID);
  SysFreeString(bstrPIN);
  ITACDGroup* pSales = GroupNamed(pHandler, L"Sales");
  ITAddress* pStation = FindAnAddress(agent.pTapi, L"2001");
  ITAddress* pPhone = FindAnAddress(customer.pTapi, L"2004");
  if (pAgent == NULL || pSales == NULL || pStation == NULL || pPhone == NULL) {
    printf("agent, group or addresses missing\n");
    return 1;
  }
  long lRegister = 0;
  CHECK_HR(
      agent.pTapi->RegisterCallNotifications(pStation, VARIANT_FALSE, VARIANT_TRUE, TAPIMEDIATYPE_AUDIO, 1, &lRegister),
      S_OK);
  ITAgentSession* pSession = NULL;
  CHECK_HR(pAgent->CreateSession(pSales, pStation, &pSession), S_OK);
  if (pSession == NULL) return 1;
  ExpectSessionEvent(&agent, ASE_NEW_SESSION);
  CHECK_HR(pSession->put_State(ASST_READY), S_OK);
  ExpectSessionEvent(&agent, ASE_READY);

  // A customer calls the Sales queue.
  ITBasicCallControl* pCustomerCall = MakeCall(pPhone, L"8001");
  CHECK_HR(pCustomerCall->Connect(VARIANT_FALSE), S_OK);

  // The call is offered on the agent's station: the screen pop.
  CALL_NOTIFICATION_EVENT cne = CNE_MONITOR;
  long instance = 0;
  ITBasicCallControl* pOffered = NextNewCall(&agent, &cne, &instance);
  if (pOffered == NULL) return 1;
  CHECK(cne == CNE_OWNER);
  CHECK(NextState(&agent, pOffered) == CS_OFFERING);
  ExpectSessionEvent(&agent, ASE_BUSY);  // BUSY_ON_CALL from delivery
  CheckInfoString(pOffered, CIS_CALLERIDNUMBER, L"2004");
  CheckInfoString(pOffered, CIS_CALLEDIDNUMBER, L"8001");
  CheckInfoString(pOffered, CIS_REDIRECTINGIDNUMBER, L"8001");
  CHECK(InfoLong(pOffered, CIL_REASON) == (long)LINECALLREASON_REDIRECT);
  ITCallInfo* pInfo = NULL;
  if (SUCCEEDED(pOffered->QueryInterface(IID_ITCallInfo, (void**)&pInfo))) {
    DWORD dwSize = 0;
    BYTE* pData = NULL;
    CHECK_HR(pInfo->GetCallInfoBuffer(CIB_CALLDATABUFFER, &dwSize, &pData), S_OK);
    CHECK(dwSize > 0);  // what the ACD attached: queue and its statistics
    CoTaskMemFree(pData);
    pInfo->Release();
  }

  // Answer, talk, hang up, wrap up.
  SelectTerminalsOnCall(pStation, pOffered);
  CHECK_HR(pOffered->Answer(), S_OK);
  CHECK(NextState(&agent, pOffered) == CS_CONNECTED);
  CHECK(NextState(&customer, pCustomerCall) == CS_INPROGRESS);
  CHECK(NextState(&customer, pCustomerCall) == CS_CONNECTED);
  CHECK_HR(pOffered->Disconnect(DC_NORMAL), S_OK);
  CHECK(NextState(&agent, pOffered) == CS_DISCONNECTED);
  CALL_STATE_EVENT_CAUSE cause = CEC_NONE;
  CHECK(NextState(&customer, pCustomerCall, &cause) == CS_DISCONNECTED);
  CHECK(cause == CEC_DISCONNECT_NORMAL);
  CHECK_HR(pCustomerCall->Disconnect(DC_NORMAL), S_OK);
  ExpectSessionEvent(&agent, ASE_WRAPUP);
  CHECK_HR(pSession->put_State(ASST_READY), S_OK);
  ExpectSessionEvent(&agent, ASE_READY);
  CHECK_HR(pSession->put_State(ASST_SESSION_ENDED), S_OK);
  ExpectSessionEvent(&agent, ASE_END);

  pOffered->Release();
  pCustomerCall->Release();
  CHECK_HR(agent.pTapi->UnregisterNotifications(lRegister), S_OK);
  pSession->Release();
  pSales->Release();
  pAgent->Release();
  pHandler->Release();
  pStation->Release();
  pPhone->Release();
  ShutdownDesk(&customer);
  ShutdownDesk(&agent);
  return 0;
}

int main(int argc, char** argv) {
  const bool calls = argc == 2 && strcmp(argv[1], "calls") == 0;
  const bool acd_call = argc == 2 && strcmp(argv[1], "acd-call") == 0;
  if (!calls && !acd_call) {
    printf("usage: call_desktop calls|acd-call\n");
    return 2;
  }
  if (FAILED(CoInitializeEx(NULL, COINIT_MULTITHREADED))) return 1;
  const int rc = calls ? RunCalls() : RunAcdCall();
  CoUninitialize();
  if (rc != 0 || g_failures != 0) {
    printf("FAILED (%d checks)\n", g_failures);
    return 1;
  }
  printf("OK\n");
  return 0;
}
