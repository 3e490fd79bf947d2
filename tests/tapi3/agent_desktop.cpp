// agent_desktop: a TAPI 3 call-center agent program written the way one is
// written for Windows — COM initialization, CoCreateInstance(CLSID_TAPI),
// an ITTAPIEventNotification sink advised on the TAPI object's connection
// point, the event filter, then agent handler -> agent -> groups/addresses
// -> session -> put_State. It is compiled against the INSTALLED SDK with
// nothing but `pkg-config --cflags --libs opentapi` and run against a real
// opentapid and tests/tapi3's test proxy.
//
// usage: agent_desktop SCENARIO
//   full                    the whole flow, every legal session transition,
//                           every getter, the negative paths, clean release
//   no-proxy                no ACD proxy registered: no agent handler
//   timeout                 the proxy never answers put_State (short
//                           OPENTAPI_REQUEST_TIMEOUT_MS): TAPI_E_TIMEOUT
//   proxy-dies              the proxy dies on put_State: LINEERR_OPERATIONFAILED
//   shutdown-while-waiting  Shutdown on another thread ends a put_State wait
// Exit status 0 when every check held; each failed check is printed.
#include <stdio.h>
#include <string.h>
#include <tapi3.h>
#include <wchar.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
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

// LINEERR values the TAPI 3 methods pass through unchanged (tapi.h values).
#define LINEERR_INVALAGENTSTATE_HR ((HRESULT)0x8000005AL)
#define LINEERR_INVALPASSWORD_HR ((HRESULT)0x80000059L)
#define LINEERR_OPERATIONFAILED_HR ((HRESULT)0x80000048L)

// ---- The event sink, as the TAPI 3 samples write it -------------------------------

class CTAPIEventNotification : public ITTAPIEventNotification {
 public:
  CTAPIEventNotification() : m_dwRefCount(1) {}

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
    int code = -1;
    switch (TapiEvent) {
      case TE_AGENTSESSION: {
        ITAgentSessionEvent* pSessionEvent = NULL;
        if (SUCCEEDED(pEvent->QueryInterface(IID_ITAgentSessionEvent, (void**)&pSessionEvent))) {
          AGENT_SESSION_EVENT ase;
          pSessionEvent->get_Event(&ase);
          code = ase;
          ITAgentSession* pSession = NULL;
          if (SUCCEEDED(pSessionEvent->get_Session(&pSession))) pSession->Release();
          pSessionEvent->Release();
        }
        break;
      }
      case TE_AGENT: {
        ITAgentEvent* pAgentEvent = NULL;
        if (SUCCEEDED(pEvent->QueryInterface(IID_ITAgentEvent, (void**)&pAgentEvent))) {
          AGENT_EVENT ae;
          pAgentEvent->get_Event(&ae);
          code = ae;
          pAgentEvent->Release();
        }
        break;
      }
      case TE_AGENTHANDLER: {
        ITAgentHandlerEvent* pHandlerEvent = NULL;
        if (SUCCEEDED(pEvent->QueryInterface(IID_ITAgentHandlerEvent, (void**)&pHandlerEvent))) {
          AGENTHANDLER_EVENT ahe;
          pHandlerEvent->get_Event(&ahe);
          code = ahe;
          pHandlerEvent->Release();
        }
        break;
      }
      default:
        break;
    }
    printf("event %#x code %d\n", (unsigned)TapiEvent, code);
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      m_events.push_back(std::make_pair((int)TapiEvent, code));
    }
    m_cv.notify_all();
    return S_OK;
  }

  // Waits until an event (kind, code) arrived after position `from`.
  bool WaitFor(int kind, int code, size_t* from, int timeout_ms = 5000) {
    std::unique_lock<std::mutex> lock(m_mutex);
    return m_cv.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] {
      for (size_t i = *from; i < m_events.size(); ++i) {
        if (m_events[i].first == kind && m_events[i].second == code) {
          *from = i + 1;
          return true;
        }
      }
      return false;
    });
  }

 private:
  virtual ~CTAPIEventNotification() {}
  ULONG m_dwRefCount;
  std::mutex m_mutex;
  std::condition_variable m_cv;
  std::vector<std::pair<int, int> > m_events;
};

// ---- The program -------------------------------------------------------------------

static ITTAPI* gpTapi = NULL;
static CTAPIEventNotification* gpSink = NULL;
static IConnectionPoint* gpCP = NULL;
static DWORD gdwCookie = 0;

static HRESULT InitializeTapi(void) {
  HRESULT hr = CoCreateInstance(CLSID_TAPI, NULL, CLSCTX_INPROC_SERVER, IID_ITTAPI, (LPVOID*)&gpTapi);
  if (FAILED(hr)) return hr;
  hr = gpTapi->Initialize();
  if (FAILED(hr)) return hr;
  IConnectionPointContainer* pCPC = NULL;
  hr = gpTapi->QueryInterface(IID_IConnectionPointContainer, (void**)&pCPC);
  if (FAILED(hr)) return hr;
  hr = pCPC->FindConnectionPoint(IID_ITTAPIEventNotification, &gpCP);
  pCPC->Release();
  if (FAILED(hr)) return hr;
  gpSink = new CTAPIEventNotification();
  hr = gpCP->Advise(gpSink, &gdwCookie);
  if (FAILED(hr)) return hr;
  return gpTapi->put_EventFilter(TE_AGENT | TE_AGENTSESSION | TE_AGENTHANDLER | TE_ACDGROUP | TE_QUEUE);
}

static void ShutdownTapi(void) {
  if (gpTapi != NULL) gpTapi->Shutdown();
  if (gpCP != NULL) {
    gpCP->Unadvise(gdwCookie);
    gpCP->Release();
  }
  if (gpSink != NULL) gpSink->Release();
  if (gpTapi != NULL) gpTapi->Release();
  gpTapi = NULL;
}

static ITAgentHandler* FirstAgentHandler(void) {
  ITTAPICallCenter* pCallCenter = NULL;
  if (FAILED(gpTapi->QueryInterface(IID_ITTAPICallCenter, (void**)&pCallCenter))) return NULL;
  IEnumAgentHandler* pEnumHandler = NULL;
  ITAgentHandler* pHandler = NULL;
  if (SUCCEEDED(pCallCenter->EnumerateAgentHandlers(&pEnumHandler))) {
    if (pEnumHandler->Next(1, &pHandler, NULL) != S_OK) pHandler = NULL;
    pEnumHandler->Release();
  }
  pCallCenter->Release();
  return pHandler;
}

static ITACDGroup* GroupAt(ITAgentHandler* pHandler, ULONG index) {
  IEnumACDGroup* pEnum = NULL;
  ITACDGroup* pGroup = NULL;
  if (FAILED(pHandler->EnumerateACDGroups(&pEnum))) return NULL;
  pEnum->Skip(index);
  if (pEnum->Next(1, &pGroup, NULL) != S_OK) pGroup = NULL;
  pEnum->Release();
  return pGroup;
}

static ITAddress* FirstUsableAddress(ITAgentHandler* pHandler) {
  IEnumAddress* pEnum = NULL;
  ITAddress* pAddress = NULL;
  if (FAILED(pHandler->EnumerateUsableAddresses(&pEnum))) return NULL;
  if (pEnum->Next(1, &pAddress, NULL) != S_OK) pAddress = NULL;
  pEnum->Release();
  return pAddress;
}

static void PrintBstr(const char* label, BSTR b) {
  printf("%s: %ls\n", label, b != NULL ? b : L"(null)");
  SysFreeString(b);
}

// Moves a session to `state` and waits for the matching ITAgentSessionEvent.
static void SetSessionState(ITAgentSession* pSession, AGENT_SESSION_STATE state, size_t* seen) {
  static const int kEventOf[] = {ASE_NOT_READY, ASE_READY, ASE_BUSY, ASE_WRAPUP, ASE_END};
  CHECK_HR(pSession->put_State(state), S_OK);
  CHECK(gpSink->WaitFor(TE_AGENTSESSION, kEventOf[state], seen));
  AGENT_SESSION_STATE now = ASST_NOT_READY;
  CHECK_HR(pSession->get_State(&now), S_OK);
  CHECK(now == state);
}

static ITAgentSession* NewSession(ITAgent* pAgent, ITACDGroup* pGroup, ITAddress* pAddress, size_t* seen) {
  ITAgentSession* pSession = NULL;
  CHECK_HR(pAgent->CreateSession(pGroup, pAddress, &pSession), S_OK);
  if (pSession == NULL) return NULL;
  CHECK(gpSink->WaitFor(TE_AGENTSESSION, ASE_NEW_SESSION, seen));
  AGENT_SESSION_STATE state;
  CHECK_HR(pSession->get_State(&state), S_OK);
  CHECK(state == ASST_NOT_READY);
  return pSession;
}

static void ReadSessionStatistics(ITAgentSession* pSession) {
  DATE start = 0;
  long lDuration = 0, lCalls = 0, lTalk = 0, lAvgTalk = 0, lCallTime = 0, lAvgCall = 0, lWrap = 0, lAvgWrap = 0,
       lLongest = 0, lAvgAnswer = 0;
  CURRENCY cyRate;
  CHECK_HR(pSession->get_SessionStartTime(&start), S_OK);
  CHECK(start > 40000.0);  // some day after 2009
  CHECK_HR(pSession->get_SessionDuration(&lDuration), S_OK);
  CHECK_HR(pSession->get_NumberOfCalls(&lCalls), S_OK);
  CHECK(lCalls == 2);
  CHECK_HR(pSession->get_TotalTalkTime(&lTalk), S_OK);
  CHECK(lTalk == 120);
  CHECK_HR(pSession->get_AverageTalkTime(&lAvgTalk), S_OK);
  CHECK(lAvgTalk == 60);
  CHECK_HR(pSession->get_TotalCallTime(&lCallTime), S_OK);
  CHECK(lCallTime == 150);
  CHECK_HR(pSession->get_AverageCallTime(&lAvgCall), S_OK);
  CHECK(lAvgCall == 75);
  CHECK_HR(pSession->get_TotalWrapUpTime(&lWrap), S_OK);
  CHECK(lWrap == 30);
  CHECK_HR(pSession->get_AverageWrapUpTime(&lAvgWrap), S_OK);
  CHECK(lAvgWrap == 15);
  CHECK_HR(pSession->get_ACDCallRate(&cyRate), S_OK);
  CHECK(cyRate.int64 == 20000);
  CHECK_HR(pSession->get_LongestTimeToAnswer(&lLongest), S_OK);
  CHECK(lLongest == 8);
  CHECK_HR(pSession->get_AverageTimeToAnswer(&lAvgAnswer), S_OK);
  CHECK(lAvgAnswer == 5);
  printf("session: %ld s, %ld calls, talk %ld s\n", lDuration, lCalls, lTalk);
}

static void ReadAgentStatistics(ITAgent* pAgent) {
  long lPeriod = 0, lACD = 0, lIn = 0, lOut = 0, lTalk = 0, lCall = 0, lWrap = 0;
  CURRENCY cyRate;
  CHECK_HR(pAgent->put_MeasurementPeriod(0), E_INVALIDARG);
  CHECK_HR(pAgent->put_MeasurementPeriod(1800), S_OK);
  CHECK_HR(pAgent->get_MeasurementPeriod(&lPeriod), S_OK);
  CHECK(lPeriod == 1800);
  CHECK_HR(pAgent->get_OverallCallRate(&cyRate), S_OK);
  CHECK(cyRate.int64 == 30000);
  CHECK_HR(pAgent->get_NumberOfACDCalls(&lACD), S_OK);
  CHECK(lACD == 3);
  CHECK_HR(pAgent->get_NumberOfIncomingCalls(&lIn), S_OK);
  CHECK(lIn == 1);
  CHECK_HR(pAgent->get_NumberOfOutgoingCalls(&lOut), S_OK);
  CHECK(lOut == 4);
  CHECK_HR(pAgent->get_TotalACDTalkTime(&lTalk), S_OK);
  CHECK(lTalk == 200);
  CHECK_HR(pAgent->get_TotalACDCallTime(&lCall), S_OK);
  CHECK(lCall == 260);
  CHECK_HR(pAgent->get_TotalWrapUpTime(&lWrap), S_OK);
  CHECK(lWrap == 60);
}

static void ReadQueues(ITACDGroup* pGroup) {
  IEnumQueue* pEnum = NULL;
  CHECK_HR(pGroup->EnumerateQueues(&pEnum), S_OK);
  if (pEnum == NULL) return;
  ITQueue* pQueue = NULL;
  while (pEnum->Next(1, &pQueue, NULL) == S_OK) {
    BSTR name = NULL;
    CHECK_HR(pQueue->get_Name(&name), S_OK);
    PrintBstr("queue", name);
    long v = 0;
    CHECK_HR(pQueue->put_MeasurementPeriod(0), E_INVALIDARG);
    CHECK_HR(pQueue->put_MeasurementPeriod(7200), S_OK);
    CHECK_HR(pQueue->get_MeasurementPeriod(&v), S_OK);
    CHECK(v == 7200);
    CHECK_HR(pQueue->get_TotalCallsQueued(&v), S_OK);
    CHECK(v == 10);
    CHECK_HR(pQueue->get_CurrentCallsQueued(&v), S_OK);
    CHECK(v == 2);
    CHECK_HR(pQueue->get_TotalCallsAbandoned(&v), S_OK);
    CHECK(v == 1);
    CHECK_HR(pQueue->get_TotalCallsFlowedIn(&v), S_OK);
    CHECK(v == 3);
    CHECK_HR(pQueue->get_TotalCallsFlowedOut(&v), S_OK);
    CHECK(v == 4);
    CHECK_HR(pQueue->get_LongestEverWaitTime(&v), S_OK);
    CHECK(v == 90);
    CHECK_HR(pQueue->get_CurrentLongestWaitTime(&v), S_OK);
    CHECK(v == 12);
    CHECK_HR(pQueue->get_AverageWaitTime(&v), S_OK);
    CHECK(v == 20);
    CHECK_HR(pQueue->get_FinalDisposition(&v), S_OK);
    CHECK(v == 0);
    pQueue->Release();
  }
  pEnum->Release();
}

static int RunFull(void) {
  ITAgentHandler* pHandler = FirstAgentHandler();
  CHECK(pHandler != NULL);
  if (pHandler == NULL) return 1;
  BSTR name = NULL;
  CHECK_HR(pHandler->get_Name(&name), S_OK);
  CHECK(name != NULL && wcscmp(name, L"opentapi integration ACD") == 0);
  PrintBstr("agent handler", name);

  // The agent for the logged-in user (the ACD authenticates by OS login).
  ITAgent* pAgent = NULL;
  CHECK_HR(pHandler->CreateAgent(&pAgent), S_OK);
  if (pAgent == NULL) return 1;
  size_t agentSeen = 0, sessionSeen = 0;
  CHECK(gpSink->WaitFor(TE_AGENT, AE_NOT_READY, &agentSeen));
  BSTR user = NULL;
  CHECK_HR(pAgent->get_User(&user), S_OK);
  PrintBstr("user", user);
  BSTR id = NULL;
  CHECK_HR(pAgent->get_ID(&id), TAPI_E_CALLCENTER_NO_AGENT_ID);
  CHECK_HR(pAgent->put_State(AS_READY), S_OK);
  CHECK(gpSink->WaitFor(TE_AGENT, AE_READY, &agentSeen));
  AGENT_STATE agentState = AS_UNKNOWN;
  CHECK_HR(pAgent->get_State(&agentState), S_OK);
  CHECK(agentState == AS_READY);
  CHECK_HR(pAgent->put_State(AS_UNKNOWN), E_INVALIDARG);
  CHECK_HR(pAgent->put_State(AS_BUSY_ACD), LINEERR_INVALAGENTSTATE_HR);  // the ACD's to set
  ReadAgentStatistics(pAgent);

  // A legacy agent: ID and PIN; a wrong PIN is the proxy's LINEERR, unchanged.
  BSTR bstrID = SysAllocString(L"4711");
  BSTR bstrWrongPIN = SysAllocString(L"9999");
  BSTR bstrPIN = SysAllocString(L"1234");
  ITAgent* pLegacy = NULL;
  CHECK_HR(pHandler->CreateAgentWithID(bstrID, bstrWrongPIN, &pLegacy), LINEERR_INVALPASSWORD_HR);
  CHECK(pLegacy == NULL);
  CHECK_HR(pHandler->CreateAgentWithID(bstrID, bstrPIN, &pLegacy), S_OK);

  // Groups, queues, usable addresses (also as Automation collections).
  VARIANT var;
  CHECK_HR(pHandler->get_ACDGroups(&var), S_OK);
  ITCollection* pCollection = NULL;
  if (V_VT(&var) == VT_DISPATCH &&
      SUCCEEDED(V_DISPATCH(&var)->QueryInterface(IID_ITCollection, (void**)&pCollection))) {
    long count = 0;
    CHECK_HR(pCollection->get_Count(&count), S_OK);
    CHECK(count == 2);
    pCollection->Release();
  } else {
    printf("CHECK FAILED: get_ACDGroups gave no collection\n");
    ++g_failures;
  }
  VariantClear(&var);
  ITACDGroup* pSales = GroupAt(pHandler, 0);
  ITACDGroup* pSupport = GroupAt(pHandler, 1);
  ITAddress* pAddress = FirstUsableAddress(pHandler);
  CHECK(pSales != NULL && pSupport != NULL && pAddress != NULL);
  if (pSales == NULL || pSupport == NULL || pAddress == NULL) return 1;
  CHECK_HR(pSales->get_Name(&name), S_OK);
  PrintBstr("group", name);
  ReadQueues(pSales);
  BSTR addressName = NULL;
  CHECK_HR(pAddress->get_AddressName(&addressName), S_OK);
  PrintBstr("address", addressName);

  // Sessions with a PIN (legacy agent): wrong PIN refused by the proxy.
  ITAgentSession* pPinSession = NULL;
  CHECK_HR(pLegacy->CreateSessionWithPIN(pSales, pAddress, bstrWrongPIN, &pPinSession), LINEERR_INVALPASSWORD_HR);
  CHECK_HR(pLegacy->CreateSessionWithPIN(pSales, pAddress, bstrPIN, &pPinSession), S_OK);
  ITAgentSession* pNoSession = NULL;
  CHECK_HR(pAgent->CreateSessionWithPIN(pSales, pAddress, bstrPIN, &pNoSession), TAPI_E_CALLCENTER_NO_AGENT_ID);
  CHECK(pNoSession == NULL);
  SysFreeString(bstrID);
  SysFreeString(bstrWrongPIN);
  SysFreeString(bstrPIN);

  // The main session: every legal transition that does not end it
  // (docs/reference/flows.md §4.1), invalid values, an illegal transition, statistics.
  ITAgentSession* pSession = NewSession(pAgent, pSales, pAddress, &sessionSeen);
  if (pSession == NULL) return 1;
  CHECK_HR(pSession->put_State((AGENT_SESSION_STATE)5), E_INVALIDARG);
  CHECK_HR(pSession->put_State(ASST_BUSY_WRAPUP), LINEERR_INVALAGENTSTATE_HR);  // NOT_READY -> WRAPUP: illegal
  SetSessionState(pSession, ASST_READY, &sessionSeen);                          // NR -> R
  SetSessionState(pSession, ASST_BUSY_ON_CALL, &sessionSeen);                   // R -> B
  SetSessionState(pSession, ASST_BUSY_WRAPUP, &sessionSeen);                    // B -> W
  SetSessionState(pSession, ASST_READY, &sessionSeen);                          // W -> R
  SetSessionState(pSession, ASST_NOT_READY, &sessionSeen);                      // R -> NR
  SetSessionState(pSession, ASST_READY, &sessionSeen);
  SetSessionState(pSession, ASST_BUSY_ON_CALL, &sessionSeen);
  SetSessionState(pSession, ASST_READY, &sessionSeen);  // B -> R
  SetSessionState(pSession, ASST_BUSY_ON_CALL, &sessionSeen);
  SetSessionState(pSession, ASST_NOT_READY, &sessionSeen);  // B -> NR
  SetSessionState(pSession, ASST_READY, &sessionSeen);
  SetSessionState(pSession, ASST_BUSY_ON_CALL, &sessionSeen);
  SetSessionState(pSession, ASST_BUSY_WRAPUP, &sessionSeen);
  SetSessionState(pSession, ASST_NOT_READY, &sessionSeen);  // W -> NR
  ReadSessionStatistics(pSession);
  ITAgent* pOwner = NULL;
  CHECK_HR(pSession->get_Agent(&pOwner), S_OK);
  CHECK(pOwner == pAgent);  // the same object (one identity per agent)
  if (pOwner != NULL) pOwner->Release();
  ITACDGroup* pSessionGroup = NULL;
  CHECK_HR(pSession->get_ACDGroup(&pSessionGroup), S_OK);
  CHECK(pSessionGroup == pSales);
  if (pSessionGroup != NULL) pSessionGroup->Release();

  // The four ways a session ends (each from another state).
  SetSessionState(pSession, ASST_SESSION_ENDED, &sessionSeen);  // NR -> E
  ITAgentSession* p2 = NewSession(pAgent, pSupport, pAddress, &sessionSeen);
  ITAgentSession* p3 = NewSession(pAgent, pSupport, pAddress, &sessionSeen);
  ITAgentSession* p4 = NewSession(pAgent, pSupport, pAddress, &sessionSeen);
  if (p2 == NULL || p3 == NULL || p4 == NULL) return 1;
  SetSessionState(p2, ASST_READY, &sessionSeen);
  SetSessionState(p2, ASST_SESSION_ENDED, &sessionSeen);  // R -> E
  SetSessionState(p3, ASST_READY, &sessionSeen);
  SetSessionState(p3, ASST_BUSY_ON_CALL, &sessionSeen);
  SetSessionState(p3, ASST_SESSION_ENDED, &sessionSeen);  // B -> E
  // p4 stays current while the agent's sessions are listed.
  IEnumAgentSession* pEnumSessions = NULL;
  CHECK_HR(pAgent->EnumerateAgentSessions(&pEnumSessions), S_OK);
  if (pEnumSessions != NULL) {
    ITAgentSession* items[4] = {NULL, NULL, NULL, NULL};
    ULONG fetched = 0;
    CHECK_HR(pEnumSessions->Next(4, items, &fetched), S_FALSE);
    CHECK(fetched == 1 && items[0] == p4);  // ended sessions are not current
    for (ULONG i = 0; i < fetched; ++i) items[i]->Release();
    pEnumSessions->Release();
  }
  SetSessionState(p4, ASST_READY, &sessionSeen);
  SetSessionState(p4, ASST_BUSY_ON_CALL, &sessionSeen);
  SetSessionState(p4, ASST_BUSY_WRAPUP, &sessionSeen);
  SetSessionState(p4, ASST_SESSION_ENDED, &sessionSeen);            // W -> E
  CHECK_HR(p4->put_State(ASST_READY), LINEERR_INVALAGENTSTATE_HR);  // ended is terminal

  pSession->Release();
  p2->Release();
  p3->Release();
  p4->Release();
  if (pPinSession != NULL) pPinSession->Release();
  pAddress->Release();
  pSales->Release();
  pSupport->Release();
  pLegacy->Release();
  pAgent->Release();
  pHandler->Release();
  return 0;
}

static int RunNoProxy(void) {
  ITAgentHandler* pHandler = FirstAgentHandler();
  CHECK(pHandler == NULL);
  if (pHandler != NULL) pHandler->Release();
  return 0;
}

// Agent + session ready for put_State.
static bool PrepareSession(ITAgentHandler** ppHandler, ITAgent** ppAgent, ITAgentSession** ppSession) {
  *ppHandler = FirstAgentHandler();
  CHECK(*ppHandler != NULL);
  if (*ppHandler == NULL) return false;
  CHECK_HR((*ppHandler)->CreateAgent(ppAgent), S_OK);
  ITACDGroup* pGroup = GroupAt(*ppHandler, 0);
  ITAddress* pAddress = FirstUsableAddress(*ppHandler);
  bool ok = *ppAgent != NULL && pGroup != NULL && pAddress != NULL;
  if (ok) {
    CHECK_HR((*ppAgent)->CreateSession(pGroup, pAddress, ppSession), S_OK);
    ok = *ppSession != NULL;
  }
  if (pGroup != NULL) pGroup->Release();
  if (pAddress != NULL) pAddress->Release();
  return ok;
}

static int RunTimeout(void) {
  ITAgentHandler* pHandler = NULL;
  ITAgent* pAgent = NULL;
  ITAgentSession* pSession = NULL;
  if (!PrepareSession(&pHandler, &pAgent, &pSession)) return 1;
  const auto t0 = std::chrono::steady_clock::now();
  CHECK_HR(pSession->put_State(ASST_READY), TAPI_E_TIMEOUT);
  const auto waited = std::chrono::steady_clock::now() - t0;
  CHECK(waited >= std::chrono::milliseconds(400) && waited < std::chrono::seconds(10));
  AGENT_SESSION_STATE state;
  CHECK_HR(pSession->get_State(&state), S_OK);
  CHECK(state == ASST_NOT_READY);
  pSession->Release();
  pAgent->Release();
  pHandler->Release();
  return 0;
}

static int RunProxyDies(void) {
  ITAgentHandler* pHandler = NULL;
  ITAgent* pAgent = NULL;
  ITAgentSession* pSession = NULL;
  if (!PrepareSession(&pHandler, &pAgent, &pSession)) return 1;
  size_t seen = 0;
  CHECK_HR(pSession->put_State(ASST_READY), LINEERR_OPERATIONFAILED_HR);
  CHECK(gpSink->WaitFor(TE_AGENTHANDLER, AHE_AGENTHANDLER_REMOVED, &seen));
  pSession->Release();
  pAgent->Release();
  pHandler->Release();
  return 0;
}

static int RunShutdownWhileWaiting(void) {
  ITAgentHandler* pHandler = NULL;
  ITAgent* pAgent = NULL;
  ITAgentSession* pSession = NULL;
  if (!PrepareSession(&pHandler, &pAgent, &pSession)) return 1;
  HRESULT hrWaiter = S_OK;
  std::chrono::steady_clock::time_point returned;
  std::thread waiter([&] {
    hrWaiter = pSession->put_State(ASST_READY);
    returned = std::chrono::steady_clock::now();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const auto t0 = std::chrono::steady_clock::now();
  CHECK_HR(gpTapi->Shutdown(), S_OK);
  waiter.join();
  CHECK_HR(hrWaiter, TAPI_E_NOT_INITIALIZED);
  CHECK(returned - t0 < std::chrono::seconds(2));
  CHECK_HR(pSession->put_State(ASST_READY), TAPI_E_NOT_INITIALIZED);
  pSession->Release();  // objects outlive Shutdown; Release still works
  pAgent->Release();
  pHandler->Release();
  return 0;
}

int main(int argc, char** argv) {
  const char* scenario = argc > 1 ? argv[1] : "full";
  HRESULT hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);
  if (FAILED(hr)) {
    printf("CoInitializeEx failed 0x%08X\n", (unsigned)hr);
    return 1;
  }
  hr = InitializeTapi();
  if (FAILED(hr)) {
    printf("TAPI initialization failed 0x%08X\n", (unsigned)hr);
    return 1;
  }
  int rc = 2;
  if (strcmp(scenario, "full") == 0) {
    rc = RunFull();
  } else if (strcmp(scenario, "no-proxy") == 0) {
    rc = RunNoProxy();
  } else if (strcmp(scenario, "timeout") == 0) {
    rc = RunTimeout();
  } else if (strcmp(scenario, "proxy-dies") == 0) {
    rc = RunProxyDies();
  } else if (strcmp(scenario, "shutdown-while-waiting") == 0) {
    rc = RunShutdownWhileWaiting();
  } else {
    printf("unknown scenario %s\n", scenario);
  }
  ShutdownTapi();
  CoUninitialize();
  if (rc == 0 && g_failures == 0) {
    printf("agent_desktop %s: PASS\n", scenario);
    return 0;
  }
  printf("agent_desktop %s: FAIL (%d failed checks)\n", scenario, g_failures);
  return 1;
}
