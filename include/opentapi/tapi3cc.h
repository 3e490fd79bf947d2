/*
 * tapi3cc.h — the TAPI 3 call-center interfaces: agent handlers, agents,
 * agent sessions, ACD groups, queues, their events and enumerators, and the
 * seven call-center enumerations (docs/reference/tapi3-callcenter.md §3, §4).
 *
 * Object model (§2): ITTAPI --QI--> ITTAPICallCenter -> ITAgentHandler, which
 * creates ITAgent objects and lists ITACDGroup (-> ITQueue) and usable
 * ITAddress objects; ITAgent creates ITAgentSession (agent + group + address).
 *
 * Contract for every interface here (§1.1): pointers and BSTRs returned
 * through [out] parameters are owned by the caller (Release / SysFreeString);
 * a NULL [out] pointer gives E_POINTER; methods listing TAPI_E_TIMEOUT give up
 * after two minutes (docs/reference/flows.md §6); methods listing LINEERR_ return the TAPI 2
 * error value unchanged (§6.3). "Returns" comments below list the documented
 * codes besides S_OK.
 *
 * Methods are declared in Windows vtable order: IUnknown (3) + IDispatch (4)
 * slots come first for IT* interfaces, IUnknown (3) for IEnum*. COM `long` is
 * LONG (32 bits); each getter of a LONG also accepts a C `long *` through a
 * non-virtual overload (see tapi3if.h), which adds no vtable slot.
 *
 * C++ only (included by tapi3.h).
 */
#ifndef OPENTAPI_TAPI3CC_H
#define OPENTAPI_TAPI3CC_H

#include "tapi3if.h"

/* ---- Enumerations (§4) ---------------------------------------------------- */

/* AGENT_STATE: ITAgent::put_State / get_State (§4.1, mapping §5.1). */
typedef enum AGENT_STATE {
  AS_NOT_READY = 0,
  AS_READY = 1,
  AS_BUSY_ACD = 2,
  AS_BUSY_INCOMING = 3,
  AS_BUSY_OUTGOING = 4,
  AS_UNKNOWN = 5
} AGENT_STATE;

/* AGENT_SESSION_STATE: ITAgentSession::put_State / get_State (§4.2, mapping
 * §5.2; transitions docs/reference/flows.md §4.1). */
typedef enum AGENT_SESSION_STATE {
  ASST_NOT_READY = 0,
  ASST_READY = 1,
  ASST_BUSY_ON_CALL = 2,
  ASST_BUSY_WRAPUP = 3,
  ASST_SESSION_ENDED = 4
} AGENT_SESSION_STATE;

/* AGENT_EVENT: ITAgentEvent::get_Event (§4.3). Distinct from tapi3if's
 * ADDRESS_EVENT, which shares the AE_ prefix. */
typedef enum AGENT_EVENT {
  AE_NOT_READY = 0,
  AE_READY = 1,
  AE_BUSY_ACD = 2,
  AE_BUSY_INCOMING = 3,
  AE_BUSY_OUTGOING = 4,
  AE_UNKNOWN = 5
} AGENT_EVENT;

/* AGENT_SESSION_EVENT: ITAgentSessionEvent::get_Event (§4.4). */
typedef enum AGENT_SESSION_EVENT {
  ASE_NEW_SESSION = 0,
  ASE_NOT_READY = 1,
  ASE_READY = 2,
  ASE_BUSY = 3,
  ASE_WRAPUP = 4,
  ASE_END = 5
} AGENT_SESSION_EVENT;

/* AGENTHANDLER_EVENT: ITAgentHandlerEvent::get_Event (§4.5). */
typedef enum AGENTHANDLER_EVENT { AHE_NEW_AGENTHANDLER = 0, AHE_AGENTHANDLER_REMOVED = 1 } AGENTHANDLER_EVENT;

/* ACDGROUP_EVENT: ITACDGroupEvent::get_Event (§4.6). */
typedef enum ACDGROUP_EVENT { ACDGE_NEW_GROUP = 0, ACDGE_GROUP_REMOVED = 1 } ACDGROUP_EVENT;

/* ACDQUEUE_EVENT: ITQueueEvent::get_Event (§4.7). */
typedef enum ACDQUEUE_EVENT { ACDQE_NEW_QUEUE = 0, ACDQE_QUEUE_REMOVED = 1 } ACDQUEUE_EVENT;

/* ---- Interfaces (§3) ------------------------------------------------------ */

struct ITTAPICallCenter;
struct ITAgentHandler;
struct ITAgent;
struct ITAgentSession;
struct ITACDGroup;
struct ITQueue;
struct IEnumAgentHandler;
struct IEnumAgent;
struct IEnumAgentSession;
struct IEnumACDGroup;
struct IEnumQueue;

/* ITTAPICallCenter: the call-center face of the TAPI object, obtained only by
 * QueryInterface on ITTAPI (§3.1). */
struct ITTAPICallCenter : IDispatch {
  /* Returns E_INVALIDARG before ITTAPI::Initialize, E_POINTER, E_OUTOFMEMORY. */
  virtual HRESULT STDMETHODCALLTYPE EnumerateAgentHandlers(IEnumAgentHandler** ppEnumHandler) = 0;
  /* Returns E_INVALIDARG (pVariant invalid), E_OUTOFMEMORY, E_POINTER. */
  virtual HRESULT STDMETHODCALLTYPE get_AgentHandlers(VARIANT* pVariant) = 0;
};

/* ITAgentHandler: one ACD system (an ACD proxy) (§3.2). */
struct ITAgentHandler : IDispatch {
  virtual HRESULT STDMETHODCALLTYPE get_Name(BSTR* ppName) = 0;
  /* Agent for the current user (no switch ID/PIN). Returns TAPI_E_TIMEOUT. */
  virtual HRESULT STDMETHODCALLTYPE CreateAgent(ITAgent** ppAgent) = 0;
  /* Agent for a switch agent ID and PIN. Returns E_INVALIDARG (pPIN NULL),
   * TAPI_E_TIMEOUT. */
  virtual HRESULT STDMETHODCALLTYPE CreateAgentWithID(BSTR pID, BSTR pPIN, ITAgent** ppAgent) = 0;
  /* The groups the proxy shows this caller. Returns TAPI_E_TIMEOUT. */
  virtual HRESULT STDMETHODCALLTYPE EnumerateACDGroups(IEnumACDGroup** ppEnumACDGroup) = 0;
  /* Addresses on which this handler's ACD calls can arrive. */
  virtual HRESULT STDMETHODCALLTYPE EnumerateUsableAddresses(IEnumAddress** ppEnumAddress) = 0;
  /* Returns TAPI_E_TIMEOUT. */
  virtual HRESULT STDMETHODCALLTYPE get_ACDGroups(VARIANT* pVariant) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_UsableAddresses(VARIANT* pVariant) = 0;
};

/* ITAgent: an agent on one ACD system; agent state and agent-wide statistics
 * over the measurement period (§3.3, docs/reference/flows.md §5.3). Statistics getters return
 * E_POINTER, E_OUTOFMEMORY, TAPI_E_TIMEOUT. */
struct ITAgent : IDispatch {
  virtual HRESULT STDMETHODCALLTYPE EnumerateAgentSessions(IEnumAgentSession** ppEnumAgentSession) = 0;
  /* Logs the agent into pACDGroup at pAddress. Returns E_UNEXPECTED (no line
   * for pAddress), E_INVALIDARG (bad group or address), TAPI_E_TIMEOUT. */
  virtual HRESULT STDMETHODCALLTYPE CreateSession(ITACDGroup* pACDGroup, ITAddress* pAddress,
                                                  ITAgentSession** ppAgentSession) = 0;
  /* As CreateSession with a per-session PIN. Returns
   * TAPI_E_CALLCENTER_NO_AGENT_ID (agent made by CreateAgent), E_INVALIDARG
   * (pPIN NULL), TAPI_E_TIMEOUT. */
  virtual HRESULT STDMETHODCALLTYPE CreateSessionWithPIN(ITACDGroup* pACDGroup, ITAddress* pAddress, BSTR pPIN,
                                                         ITAgentSession** ppAgentSession) = 0;
  /* Returns TAPI_E_CALLCENTER_NO_AGENT_ID for an agent made by CreateAgent. */
  virtual HRESULT STDMETHODCALLTYPE get_ID(BSTR* ppID) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_User(BSTR* ppUser) = 0;
  /* Returns E_INVALIDARG (value outside the enum, or AS_UNKNOWN),
   * TAPI_E_TIMEOUT, LINEERR_ of lineSetAgentStateEx. */
  virtual HRESULT STDMETHODCALLTYPE put_State(AGENT_STATE AgentState) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_State(AGENT_STATE* pAgentState) = 0;
  /* Seconds; also resets the cumulative counters. Returns E_INVALIDARG
   * (lPeriod == 0), LINEERR_ of lineSetAgentMeasurementPeriod. */
  virtual HRESULT STDMETHODCALLTYPE put_MeasurementPeriod(LONG lPeriod) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_MeasurementPeriod(LONG* plPeriod) = 0;
  /* Calls per agent-hour, CURRENCY (value x 10 000). */
  virtual HRESULT STDMETHODCALLTYPE get_OverallCallRate(CURRENCY* pcyCallrate) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_NumberOfACDCalls(LONG* plCalls) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_NumberOfIncomingCalls(LONG* plCalls) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_NumberOfOutgoingCalls(LONG* plCalls) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_TotalACDTalkTime(LONG* plTalkTime) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_TotalACDCallTime(LONG* plCallTime) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_TotalWrapUpTime(LONG* plWrapUpTime) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_AgentSessions(VARIANT* pVariant) = 0;

  OPENTAPI_LONG_OUT_OVERLOAD(get_MeasurementPeriod)
  OPENTAPI_LONG_OUT_OVERLOAD(get_NumberOfACDCalls)
  OPENTAPI_LONG_OUT_OVERLOAD(get_NumberOfIncomingCalls)
  OPENTAPI_LONG_OUT_OVERLOAD(get_NumberOfOutgoingCalls)
  OPENTAPI_LONG_OUT_OVERLOAD(get_TotalACDTalkTime)
  OPENTAPI_LONG_OUT_OVERLOAD(get_TotalACDCallTime)
  OPENTAPI_LONG_OUT_OVERLOAD(get_TotalWrapUpTime)
};

/* ITAgentSession: one agent logged into one ACD group at one address; session
 * state and per-session statistics (§3.4, docs/reference/flows.md §3, §5.2). The statistics
 * getters wrap lineGetAgentSessionInfo and return E_POINTER, E_OUTOFMEMORY,
 * LINEERR_ of lineGetAgentSessionInfo, TAPI_E_TIMEOUT. */
struct ITAgentSession : IDispatch {
  virtual HRESULT STDMETHODCALLTYPE get_Agent(ITAgent** ppAgent) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Address(ITAddress** ppAddress) = 0;
  /* Returns LINEERR_ of lineGetAgentSessionInfo. */
  virtual HRESULT STDMETHODCALLTYPE get_ACDGroup(ITACDGroup** ppACDGroup) = 0;
  /* Requests a session state (the proxy enforces the transition table).
   * Returns E_INVALIDARG (not an AGENT_SESSION_STATE), E_OUTOFMEMORY,
   * LINEERR_ of lineSetAgentSessionState, TAPI_E_TIMEOUT. */
  virtual HRESULT STDMETHODCALLTYPE put_State(AGENT_SESSION_STATE SessionState) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_State(AGENT_SESSION_STATE* pSessionState) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_SessionStartTime(DATE* pdateSessionStart) = 0;
  /* Seconds of active session; stops at ASST_SESSION_ENDED. */
  virtual HRESULT STDMETHODCALLTYPE get_SessionDuration(LONG* plDuration) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_NumberOfCalls(LONG* plCalls) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_TotalTalkTime(LONG* plTalkTime) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_AverageTalkTime(LONG* plTalkTime) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_TotalCallTime(LONG* plCallTime) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_AverageCallTime(LONG* plCallTime) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_TotalWrapUpTime(LONG* plWrapUpTime) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_AverageWrapUpTime(LONG* plWrapUpTime) = 0;
  /* ACD calls per hour, CURRENCY (value x 10 000). */
  virtual HRESULT STDMETHODCALLTYPE get_ACDCallRate(CURRENCY* pcyCallrate) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_LongestTimeToAnswer(LONG* plAnswerTime) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_AverageTimeToAnswer(LONG* plAnswerTime) = 0;

  OPENTAPI_LONG_OUT_OVERLOAD(get_SessionDuration)
  OPENTAPI_LONG_OUT_OVERLOAD(get_NumberOfCalls)
  OPENTAPI_LONG_OUT_OVERLOAD(get_TotalTalkTime)
  OPENTAPI_LONG_OUT_OVERLOAD(get_AverageTalkTime)
  OPENTAPI_LONG_OUT_OVERLOAD(get_TotalCallTime)
  OPENTAPI_LONG_OUT_OVERLOAD(get_AverageCallTime)
  OPENTAPI_LONG_OUT_OVERLOAD(get_TotalWrapUpTime)
  OPENTAPI_LONG_OUT_OVERLOAD(get_AverageWrapUpTime)
  OPENTAPI_LONG_OUT_OVERLOAD(get_LongestTimeToAnswer)
  OPENTAPI_LONG_OUT_OVERLOAD(get_AverageTimeToAnswer)
};

/* ITACDGroup: a class of calls served by one or more queues (§3.5). */
struct ITACDGroup : IDispatch {
  virtual HRESULT STDMETHODCALLTYPE get_Name(BSTR* ppName) = 0;
  /* Returns TAPI_E_TIMEOUT. */
  virtual HRESULT STDMETHODCALLTYPE EnumerateQueues(IEnumQueue** ppEnumQueue) = 0;
  /* Returns TAPI_E_TIMEOUT. */
  virtual HRESULT STDMETHODCALLTYPE get_Queues(VARIANT* pVariant) = 0;
};

/* ITQueue: read-only statistics of one queue over its measurement period
 * (§3.6, docs/reference/flows.md §5.4). Getters return E_POINTER, E_OUTOFMEMORY,
 * TAPI_E_TIMEOUT. */
struct ITQueue : IDispatch {
  /* Seconds. Returns E_INVALIDARG (lPeriod == 0), TAPI_E_TIMEOUT, LINEERR_ of
   * lineSetQueueMeasurementPeriod. */
  virtual HRESULT STDMETHODCALLTYPE put_MeasurementPeriod(LONG lPeriod) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_MeasurementPeriod(LONG* plPeriod) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_TotalCallsQueued(LONG* plCalls) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_CurrentCallsQueued(LONG* plCalls) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_TotalCallsAbandoned(LONG* plCalls) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_TotalCallsFlowedIn(LONG* plCalls) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_TotalCallsFlowedOut(LONG* plCalls) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_LongestEverWaitTime(LONG* plWaitTime) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_CurrentLongestWaitTime(LONG* plWaitTime) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_AverageWaitTime(LONG* plWaitTime) = 0;
  /* Calls that reached the end of a call guide unanswered. */
  virtual HRESULT STDMETHODCALLTYPE get_FinalDisposition(LONG* plCalls) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Name(BSTR* ppName) = 0;

  OPENTAPI_LONG_OUT_OVERLOAD(get_MeasurementPeriod)
  OPENTAPI_LONG_OUT_OVERLOAD(get_TotalCallsQueued)
  OPENTAPI_LONG_OUT_OVERLOAD(get_CurrentCallsQueued)
  OPENTAPI_LONG_OUT_OVERLOAD(get_TotalCallsAbandoned)
  OPENTAPI_LONG_OUT_OVERLOAD(get_TotalCallsFlowedIn)
  OPENTAPI_LONG_OUT_OVERLOAD(get_TotalCallsFlowedOut)
  OPENTAPI_LONG_OUT_OVERLOAD(get_LongestEverWaitTime)
  OPENTAPI_LONG_OUT_OVERLOAD(get_CurrentLongestWaitTime)
  OPENTAPI_LONG_OUT_OVERLOAD(get_AverageWaitTime)
  OPENTAPI_LONG_OUT_OVERLOAD(get_FinalDisposition)
};

/* Event objects (§3.7), delivered to ITTAPIEventNotification::Event as the
 * IDispatch argument with the matching TAPI_EVENT code. Immutable snapshots:
 * the object getter returns the live (AddRef'd) object, the event code is fixed.
 * Every getter returns S_OK, E_OUTOFMEMORY or E_POINTER. */

/* ITAgentEvent: TE_AGENT (§3.7). */
struct ITAgentEvent : IDispatch {
  virtual HRESULT STDMETHODCALLTYPE get_Agent(ITAgent** ppAgent) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Event(AGENT_EVENT* pEvent) = 0;
};

/* ITAgentSessionEvent: TE_AGENTSESSION (§3.7). */
struct ITAgentSessionEvent : IDispatch {
  virtual HRESULT STDMETHODCALLTYPE get_Session(ITAgentSession** ppSession) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Event(AGENT_SESSION_EVENT* pEvent) = 0;
};

/* ITACDGroupEvent: TE_ACDGROUP (§3.7). */
struct ITACDGroupEvent : IDispatch {
  virtual HRESULT STDMETHODCALLTYPE get_Group(ITACDGroup** ppGroup) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Event(ACDGROUP_EVENT* pEvent) = 0;
};

/* ITQueueEvent: TE_QUEUE (§3.7). */
struct ITQueueEvent : IDispatch {
  virtual HRESULT STDMETHODCALLTYPE get_Queue(ITQueue** ppQueue) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Event(ACDQUEUE_EVENT* pEvent) = 0;
};

/* ITAgentHandlerEvent: TE_AGENTHANDLER (§3.7). */
struct ITAgentHandlerEvent : IDispatch {
  virtual HRESULT STDMETHODCALLTYPE get_AgentHandler(ITAgentHandler** ppAgentHandler) = 0;
  virtual HRESULT STDMETHODCALLTYPE get_Event(AGENTHANDLER_EVENT* pEvent) = 0;
};

/* Enumerators (§3.8): snapshots of the membership taken at creation.
 *   Next  — up to celt AddRef'd elements; S_OK if celt were returned, S_FALSE
 *           if fewer; pceltFetched may be NULL only when celt is 1.
 *   Reset — rewinds.  Skip — S_OK if celt were skipped, S_FALSE if fewer.
 *   Clone — same contents and position; may return E_UNEXPECTED. */

/* IEnumAgentHandler: enumerator of ITAgentHandler (§3.8). */
struct IEnumAgentHandler : IUnknown {
  virtual HRESULT STDMETHODCALLTYPE Next(ULONG celt, ITAgentHandler** ppElements, ULONG* pceltFetched) = 0;
  virtual HRESULT STDMETHODCALLTYPE Reset(void) = 0;
  virtual HRESULT STDMETHODCALLTYPE Skip(ULONG celt) = 0;
  virtual HRESULT STDMETHODCALLTYPE Clone(IEnumAgentHandler** ppEnum) = 0;
};

/* IEnumAgent: enumerator of ITAgent; no documented method returns one (§3.8). */
struct IEnumAgent : IUnknown {
  virtual HRESULT STDMETHODCALLTYPE Next(ULONG celt, ITAgent** ppElements, ULONG* pceltFetched) = 0;
  virtual HRESULT STDMETHODCALLTYPE Reset(void) = 0;
  virtual HRESULT STDMETHODCALLTYPE Skip(ULONG celt) = 0;
  virtual HRESULT STDMETHODCALLTYPE Clone(IEnumAgent** ppEnum) = 0;
};

/* IEnumAgentSession: enumerator of ITAgentSession (§3.8). */
struct IEnumAgentSession : IUnknown {
  virtual HRESULT STDMETHODCALLTYPE Next(ULONG celt, ITAgentSession** ppElements, ULONG* pceltFetched) = 0;
  virtual HRESULT STDMETHODCALLTYPE Reset(void) = 0;
  virtual HRESULT STDMETHODCALLTYPE Skip(ULONG celt) = 0;
  virtual HRESULT STDMETHODCALLTYPE Clone(IEnumAgentSession** ppEnum) = 0;
};

/* IEnumACDGroup: enumerator of ITACDGroup (§3.8). */
struct IEnumACDGroup : IUnknown {
  virtual HRESULT STDMETHODCALLTYPE Next(ULONG celt, ITACDGroup** ppElements, ULONG* pceltFetched) = 0;
  virtual HRESULT STDMETHODCALLTYPE Reset(void) = 0;
  virtual HRESULT STDMETHODCALLTYPE Skip(ULONG celt) = 0;
  virtual HRESULT STDMETHODCALLTYPE Clone(IEnumACDGroup** ppEnum) = 0;
};

/* IEnumQueue: enumerator of ITQueue (§3.8). */
struct IEnumQueue : IUnknown {
  virtual HRESULT STDMETHODCALLTYPE Next(ULONG celt, ITQueue** ppElements, ULONG* pceltFetched) = 0;
  virtual HRESULT STDMETHODCALLTYPE Reset(void) = 0;
  virtual HRESULT STDMETHODCALLTYPE Skip(ULONG celt) = 0;
  virtual HRESULT STDMETHODCALLTYPE Clone(IEnumQueue** ppEnum) = 0;
};

/* ---- Interface identifiers (§3) ------------------------------------------- */

EXTERN_C OPENTAPI_COM_API const IID IID_ITTAPICallCenter;
EXTERN_C OPENTAPI_COM_API const IID IID_ITAgentHandler;
EXTERN_C OPENTAPI_COM_API const IID IID_ITAgent;
EXTERN_C OPENTAPI_COM_API const IID IID_ITAgentSession;
EXTERN_C OPENTAPI_COM_API const IID IID_ITACDGroup;
EXTERN_C OPENTAPI_COM_API const IID IID_ITQueue;
EXTERN_C OPENTAPI_COM_API const IID IID_ITAgentEvent;
EXTERN_C OPENTAPI_COM_API const IID IID_ITAgentSessionEvent;
EXTERN_C OPENTAPI_COM_API const IID IID_ITACDGroupEvent;
EXTERN_C OPENTAPI_COM_API const IID IID_ITQueueEvent;
EXTERN_C OPENTAPI_COM_API const IID IID_ITAgentHandlerEvent;
EXTERN_C OPENTAPI_COM_API const IID IID_IEnumAgentHandler;
EXTERN_C OPENTAPI_COM_API const IID IID_IEnumAgent;
EXTERN_C OPENTAPI_COM_API const IID IID_IEnumAgentSession;
EXTERN_C OPENTAPI_COM_API const IID IID_IEnumACDGroup;
EXTERN_C OPENTAPI_COM_API const IID IID_IEnumQueue;

#endif /* OPENTAPI_TAPI3CC_H */
