// The COM objects of the call-center layer (docs/reference/tapi3-callcenter.md §3) and the
// TAPI object (ITTAPI, ITTAPICallCenter, IConnectionPointContainer).
//
// Every object below except TapiObject is a thin face of one engine record
// (engine.h): it holds the record and the engine, takes the engine's lock to
// read the record, and goes through Engine::request for TAPI 2 round trips.
// After ITTAPI::Shutdown its methods return TAPI_E_NOT_INITIALIZED; Release
// still works. Argument checks come first (E_POINTER, E_INVALIDARG), then the
// initialization check, then the TAPI 2 call.
#ifndef OPENTAPI_TAPI3_OBJECTS_H_
#define OPENTAPI_TAPI3_OBJECTS_H_

#include <functional>
#include <memory>
#include <mutex>

#include "tapi3/collections.h"
#include "tapi3/com_support.h"
#include "tapi3/engine.h"

namespace opentapi::tapi3 {

// Private interface IDs: QueryInterface with one of them hands out the
// implementation object itself (AddRef'd), so that a method taking an
// ITACDGroup* / ITAddress* can tell its own objects from foreign ones.
extern const IID kImplAddress;
extern const IID kImplACDGroup;

// Shared behaviour of the record-backed objects: refcount whose last Release
// unregisters the object from its record (identity), the engine it belongs to.
template <class Rec, class Self>
class RecordObject {
 public:
  RecordObject(std::shared_ptr<Engine> engine, std::shared_ptr<Rec> rec)
      : engine_(std::move(engine)), rec_(std::move(rec)) {}
  bool try_add_ref() { return refs_.try_add(); }
  const std::shared_ptr<Rec>& record() const { return rec_; }
  const std::shared_ptr<Engine>& engine() const { return engine_; }

 protected:
  ULONG add_ref() { return refs_.add(); }
  ULONG release(Self* self) {
    const ULONG n = refs_.release();
    if (n == 0) {
      engine_->forget(rec_->wrapper, self);
      delete self;
    }
    return n;
  }

  LiveObject live_;
  RefCount refs_;
  std::shared_ptr<Engine> engine_;
  std::shared_ptr<Rec> rec_;
};

#define OPENTAPI_RECORD_REFCOUNT                                  \
  ULONG STDMETHODCALLTYPE AddRef() override { return add_ref(); } \
  ULONG STDMETHODCALLTYPE Release() override { return release(this); }

// An address: the TAPI 3 face of one line address, with its capabilities,
// media types and (absent) terminals (address.cpp, address_caps.cpp, media.cpp).
class Address final : public ITAddress,
                      public ITAddressCapabilities,
                      public ITMediaSupport,
                      public ITTerminalSupport,
                      public RecordObject<AddressRecord, Address> {
 public:
  using RecordObject::RecordObject;
  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppv) override;
  OPENTAPI_RECORD_REFCOUNT
  OPENTAPI_NO_TYPEINFO_DISPATCH

  // ITAddress
  HRESULT STDMETHODCALLTYPE get_State(ADDRESS_STATE* pAddressState) override;
  HRESULT STDMETHODCALLTYPE get_AddressName(BSTR* ppName) override;
  HRESULT STDMETHODCALLTYPE get_ServiceProviderName(BSTR* ppName) override;
  HRESULT STDMETHODCALLTYPE get_TAPIObject(ITTAPI** ppTapiObject) override;
  HRESULT STDMETHODCALLTYPE CreateCall(BSTR pDestAddress, LONG lAddressType, LONG lMediaTypes,
                                       ITBasicCallControl** ppCall) override;
  HRESULT STDMETHODCALLTYPE get_Calls(VARIANT* pVariant) override;
  HRESULT STDMETHODCALLTYPE EnumerateCalls(IEnumCall** ppCallEnum) override;
  HRESULT STDMETHODCALLTYPE get_DialableAddress(BSTR* pDialableAddress) override;
  HRESULT STDMETHODCALLTYPE CreateForwardInfoObject(ITForwardInformation**) override;
  HRESULT STDMETHODCALLTYPE Forward(ITForwardInformation*, ITBasicCallControl*) override;
  HRESULT STDMETHODCALLTYPE get_CurrentForwardInfo(ITForwardInformation**) override;
  HRESULT STDMETHODCALLTYPE put_MessageWaiting(VARIANT_BOOL) override;
  HRESULT STDMETHODCALLTYPE get_MessageWaiting(VARIANT_BOOL*) override;
  HRESULT STDMETHODCALLTYPE put_DoNotDisturb(VARIANT_BOOL) override;
  HRESULT STDMETHODCALLTYPE get_DoNotDisturb(VARIANT_BOOL*) override;

  // ITAddressCapabilities
  HRESULT STDMETHODCALLTYPE get_AddressCapability(ADDRESS_CAPABILITY AddressCap, LONG* plCapability) override;
  HRESULT STDMETHODCALLTYPE get_AddressCapabilityString(ADDRESS_CAPABILITY_STRING AddressCapString,
                                                        BSTR* ppCapabilityString) override;
  HRESULT STDMETHODCALLTYPE get_CallTreatments(VARIANT* pVariant) override;
  HRESULT STDMETHODCALLTYPE EnumerateCallTreatments(IEnumBstr** ppEnumCallTreatment) override;
  HRESULT STDMETHODCALLTYPE get_CompletionMessages(VARIANT* pVariant) override;
  HRESULT STDMETHODCALLTYPE EnumerateCompletionMessages(IEnumBstr** ppEnumCompletionMessage) override;
  HRESULT STDMETHODCALLTYPE get_DeviceClasses(VARIANT* pVariant) override;
  HRESULT STDMETHODCALLTYPE EnumerateDeviceClasses(IEnumBstr** ppEnumDeviceClass) override;

  // ITMediaSupport
  HRESULT STDMETHODCALLTYPE get_MediaTypes(LONG* plMediaTypes) override;
  HRESULT STDMETHODCALLTYPE QueryMediaType(LONG lMediaType, VARIANT_BOOL* pfSupport) override;

  // ITTerminalSupport
  HRESULT STDMETHODCALLTYPE get_StaticTerminals(VARIANT* pVariant) override;
  HRESULT STDMETHODCALLTYPE EnumerateStaticTerminals(IEnumTerminal** ppTerminalEnumerator) override;
  HRESULT STDMETHODCALLTYPE get_DynamicTerminalClasses(VARIANT* pVariant) override;
  HRESULT STDMETHODCALLTYPE EnumerateDynamicTerminalClasses(IEnumTerminalClass** ppTerminalClassEnumerator) override;
  HRESULT STDMETHODCALLTYPE CreateTerminal(BSTR pTerminalClass, LONG lMediaType, TERMINAL_DIRECTION Direction,
                                           ITTerminal** ppTerminal) override;
  HRESULT STDMETHODCALLTYPE GetDefaultStaticTerminal(LONG lMediaType, TERMINAL_DIRECTION Direction,
                                                     ITTerminal** ppTerminal) override;

 private:
  friend class RecordObject<AddressRecord, Address>;
  ~Address() = default;
  HRESULT calls(RefList<ITCallInfo>* out);
};

class AgentHandler final : public ITAgentHandler, public RecordObject<HandlerRecord, AgentHandler> {
 public:
  using RecordObject::RecordObject;
  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppv) override;
  OPENTAPI_RECORD_REFCOUNT
  OPENTAPI_NO_TYPEINFO_DISPATCH

  HRESULT STDMETHODCALLTYPE get_Name(BSTR* ppName) override;
  HRESULT STDMETHODCALLTYPE CreateAgent(ITAgent** ppAgent) override;
  HRESULT STDMETHODCALLTYPE CreateAgentWithID(BSTR pID, BSTR pPIN, ITAgent** ppAgent) override;
  HRESULT STDMETHODCALLTYPE EnumerateACDGroups(IEnumACDGroup** ppEnumACDGroup) override;
  HRESULT STDMETHODCALLTYPE EnumerateUsableAddresses(IEnumAddress** ppEnumAddress) override;
  HRESULT STDMETHODCALLTYPE get_ACDGroups(VARIANT* pVariant) override;
  HRESULT STDMETHODCALLTYPE get_UsableAddresses(VARIANT* pVariant) override;

 private:
  friend class RecordObject<HandlerRecord, AgentHandler>;
  ~AgentHandler() = default;
  HRESULT create_agent(const wchar_t* id, const wchar_t* pin, ITAgent** out);
  HRESULT groups(RefList<ITACDGroup>* out);
  HRESULT addresses(RefList<ITAddress>* out);
};

class Agent final : public ITAgent, public RecordObject<AgentRecord, Agent> {
 public:
  using RecordObject::RecordObject;
  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppv) override;
  OPENTAPI_RECORD_REFCOUNT
  OPENTAPI_NO_TYPEINFO_DISPATCH

  HRESULT STDMETHODCALLTYPE EnumerateAgentSessions(IEnumAgentSession** ppEnumAgentSession) override;
  HRESULT STDMETHODCALLTYPE CreateSession(ITACDGroup* pACDGroup, ITAddress* pAddress,
                                          ITAgentSession** ppAgentSession) override;
  HRESULT STDMETHODCALLTYPE CreateSessionWithPIN(ITACDGroup* pACDGroup, ITAddress* pAddress, BSTR pPIN,
                                                 ITAgentSession** ppAgentSession) override;
  HRESULT STDMETHODCALLTYPE get_ID(BSTR* ppID) override;
  HRESULT STDMETHODCALLTYPE get_User(BSTR* ppUser) override;
  HRESULT STDMETHODCALLTYPE put_State(AGENT_STATE AgentState) override;
  HRESULT STDMETHODCALLTYPE get_State(AGENT_STATE* pAgentState) override;
  HRESULT STDMETHODCALLTYPE put_MeasurementPeriod(LONG lPeriod) override;
  HRESULT STDMETHODCALLTYPE get_MeasurementPeriod(LONG* plPeriod) override;
  HRESULT STDMETHODCALLTYPE get_OverallCallRate(CURRENCY* pcyCallrate) override;
  HRESULT STDMETHODCALLTYPE get_NumberOfACDCalls(LONG* plCalls) override;
  HRESULT STDMETHODCALLTYPE get_NumberOfIncomingCalls(LONG* plCalls) override;
  HRESULT STDMETHODCALLTYPE get_NumberOfOutgoingCalls(LONG* plCalls) override;
  HRESULT STDMETHODCALLTYPE get_TotalACDTalkTime(LONG* plTalkTime) override;
  HRESULT STDMETHODCALLTYPE get_TotalACDCallTime(LONG* plCallTime) override;
  HRESULT STDMETHODCALLTYPE get_TotalWrapUpTime(LONG* plWrapUpTime) override;
  HRESULT STDMETHODCALLTYPE get_AgentSessions(VARIANT* pVariant) override;

 private:
  friend class RecordObject<AgentRecord, Agent>;
  ~Agent() = default;
  HRESULT create_session(ITACDGroup* group, ITAddress* address, const wchar_t* pin, ITAgentSession** out);
  HRESULT sessions(RefList<ITAgentSession>* out);
  // One lineGetAgentInfo, or the cached copy (docs/reference/flows.md §5.6).
  HRESULT info(LINEAGENTINFO* out);
  template <class Out, class Field>
  HRESULT stat(Out* out, Field field);
};

class AgentSession final : public ITAgentSession, public RecordObject<SessionRecord, AgentSession> {
 public:
  using RecordObject::RecordObject;
  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppv) override;
  OPENTAPI_RECORD_REFCOUNT
  OPENTAPI_NO_TYPEINFO_DISPATCH

  HRESULT STDMETHODCALLTYPE get_Agent(ITAgent** ppAgent) override;
  HRESULT STDMETHODCALLTYPE get_Address(ITAddress** ppAddress) override;
  HRESULT STDMETHODCALLTYPE get_ACDGroup(ITACDGroup** ppACDGroup) override;
  HRESULT STDMETHODCALLTYPE put_State(AGENT_SESSION_STATE SessionState) override;
  HRESULT STDMETHODCALLTYPE get_State(AGENT_SESSION_STATE* pSessionState) override;
  HRESULT STDMETHODCALLTYPE get_SessionStartTime(DATE* pdateSessionStart) override;
  HRESULT STDMETHODCALLTYPE get_SessionDuration(LONG* plDuration) override;
  HRESULT STDMETHODCALLTYPE get_NumberOfCalls(LONG* plCalls) override;
  HRESULT STDMETHODCALLTYPE get_TotalTalkTime(LONG* plTalkTime) override;
  HRESULT STDMETHODCALLTYPE get_AverageTalkTime(LONG* plTalkTime) override;
  HRESULT STDMETHODCALLTYPE get_TotalCallTime(LONG* plCallTime) override;
  HRESULT STDMETHODCALLTYPE get_AverageCallTime(LONG* plCallTime) override;
  HRESULT STDMETHODCALLTYPE get_TotalWrapUpTime(LONG* plWrapUpTime) override;
  HRESULT STDMETHODCALLTYPE get_AverageWrapUpTime(LONG* plWrapUpTime) override;
  HRESULT STDMETHODCALLTYPE get_ACDCallRate(CURRENCY* pcyCallrate) override;
  HRESULT STDMETHODCALLTYPE get_LongestTimeToAnswer(LONG* plAnswerTime) override;
  HRESULT STDMETHODCALLTYPE get_AverageTimeToAnswer(LONG* plAnswerTime) override;

 private:
  friend class RecordObject<SessionRecord, AgentSession>;
  ~AgentSession() = default;
  // One lineGetAgentSessionInfo, or the cached copy (docs/reference/flows.md §5.6).
  HRESULT info(LINEAGENTSESSIONINFO* out);
  template <class Out, class Field>
  HRESULT stat(Out* out, Field field);
};

class ACDGroup final : public ITACDGroup, public RecordObject<GroupRecord, ACDGroup> {
 public:
  using RecordObject::RecordObject;
  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppv) override;
  OPENTAPI_RECORD_REFCOUNT
  OPENTAPI_NO_TYPEINFO_DISPATCH

  HRESULT STDMETHODCALLTYPE get_Name(BSTR* ppName) override;
  HRESULT STDMETHODCALLTYPE EnumerateQueues(IEnumQueue** ppEnumQueue) override;
  HRESULT STDMETHODCALLTYPE get_Queues(VARIANT* pVariant) override;

 private:
  friend class RecordObject<GroupRecord, ACDGroup>;
  ~ACDGroup() = default;
  HRESULT queues(RefList<ITQueue>* out);
};

class Queue final : public ITQueue, public RecordObject<QueueRecord, Queue> {
 public:
  using RecordObject::RecordObject;
  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppv) override;
  OPENTAPI_RECORD_REFCOUNT
  OPENTAPI_NO_TYPEINFO_DISPATCH

  HRESULT STDMETHODCALLTYPE put_MeasurementPeriod(LONG lPeriod) override;
  HRESULT STDMETHODCALLTYPE get_MeasurementPeriod(LONG* plPeriod) override;
  HRESULT STDMETHODCALLTYPE get_TotalCallsQueued(LONG* plCalls) override;
  HRESULT STDMETHODCALLTYPE get_CurrentCallsQueued(LONG* plCalls) override;
  HRESULT STDMETHODCALLTYPE get_TotalCallsAbandoned(LONG* plCalls) override;
  HRESULT STDMETHODCALLTYPE get_TotalCallsFlowedIn(LONG* plCalls) override;
  HRESULT STDMETHODCALLTYPE get_TotalCallsFlowedOut(LONG* plCalls) override;
  HRESULT STDMETHODCALLTYPE get_LongestEverWaitTime(LONG* plWaitTime) override;
  HRESULT STDMETHODCALLTYPE get_CurrentLongestWaitTime(LONG* plWaitTime) override;
  HRESULT STDMETHODCALLTYPE get_AverageWaitTime(LONG* plWaitTime) override;
  HRESULT STDMETHODCALLTYPE get_FinalDisposition(LONG* plCalls) override;
  HRESULT STDMETHODCALLTYPE get_Name(BSTR* ppName) override;

 private:
  friend class RecordObject<QueueRecord, Queue>;
  ~Queue() = default;
  HRESULT info(LINEQUEUEINFO* out);
  HRESULT stat(LONG* out, DWORD (*field)(const LINEQUEUEINFO&));
};

// The implementation object behind an interface pointer the program passes
// in, AddRef'd, or null if it is not one of ours.
template <class Impl>
Impl* impl_of(IUnknown* unknown, const IID& iid) {
  if (unknown == nullptr) return nullptr;
  void* p = nullptr;
  if (FAILED(unknown->QueryInterface(iid, &p))) return nullptr;
  return static_cast<Impl*>(p);
}

// Reads a cached statistics structure, or fetches it with one round trip:
// the freshness rule of docs/reference/flows.md §5.6, shared by sessions, agents and queues.
// `fetch` issues the TAPI 2 request into the buffer it is given.
template <class T>
HRESULT cached_stats(Engine& engine, StatsCache<T>& cache, const std::function<LONG(T*)>& fetch, T* out) {
  std::uint64_t generation = 0;
  {
    port::MutexLock lock(engine.mu());
    if (!engine.running()) return TAPI_E_NOT_INITIALIZED;
    if (cache.valid && Clock::now() - cache.fetched <= engine.options().stats_ttl) {
      *out = cache.value;
      return S_OK;
    }
    generation = cache.generation;
  }
  auto buffer = std::make_shared<T>();
  buffer->dwTotalSize = sizeof(T);
  const HRESULT hr = engine.request(buffer, [&] { return fetch(buffer.get()); });
  if (FAILED(hr)) return hr;
  port::MutexLock lock(engine.mu());
  if (cache.generation == generation) {
    cache.value = *buffer;
    cache.fetched = Clock::now();
    cache.valid = true;
  }
  *out = *buffer;
  return S_OK;
}

}  // namespace opentapi::tapi3

#endif  // OPENTAPI_TAPI3_OBJECTS_H_
