// ITAgentSession: session state and per-session statistics
// (docs/reference/tapi3-callcenter.md §3.4, docs/reference/flows.md §3, §5.2). Session requests go to the
// line of the session's address (docs/reference/flows.md §2.3 step 5).
#include "tapi3/objects.h"

namespace opentapi::tapi3 {

HRESULT AgentSession::QueryInterface(REFIID riid, void** ppv) {
  if (ppv == nullptr) return E_POINTER;
  if (IsEqualIID(riid, IID_IUnknown) || IsEqualIID(riid, IID_IDispatch) || IsEqualIID(riid, IID_ITAgentSession)) {
    *ppv = static_cast<ITAgentSession*>(this);
    AddRef();
    return S_OK;
  }
  *ppv = nullptr;
  return E_NOINTERFACE;
}

HRESULT AgentSession::get_Agent(ITAgent** ppAgent) {
  if (ppAgent == nullptr) return E_POINTER;
  *ppAgent = nullptr;
  return com_call([&] {
    port::MutexLock lock(engine_->mu());
    if (!engine_->running()) return TAPI_E_NOT_INITIALIZED;
    *ppAgent = engine_->object_for<Agent>(rec_->agent);
    return S_OK;
  });
}

HRESULT AgentSession::get_Address(ITAddress** ppAddress) {
  if (ppAddress == nullptr) return E_POINTER;
  *ppAddress = nullptr;
  return com_call([&] {
    port::MutexLock lock(engine_->mu());
    if (!engine_->running()) return TAPI_E_NOT_INITIALIZED;
    *ppAddress = engine_->object_for<Address>(rec_->address);
    return S_OK;
  });
}

HRESULT AgentSession::get_ACDGroup(ITACDGroup** ppACDGroup) {
  if (ppACDGroup == nullptr) return E_POINTER;
  *ppACDGroup = nullptr;
  return com_call([&]() -> HRESULT {
    HandlerRecord* handler = rec_->handler;
    HLINE line = 0;
    {
      port::MutexLock lock(engine_->mu());
      if (!engine_->running()) return TAPI_E_NOT_INITIALIZED;
      // The session's GroupID is known from its creation (docs/reference/flows.md §6.1).
      if (const auto it = handler->groups.find(rec_->group); it != handler->groups.end()) {
        *ppACDGroup = engine_->object_for<ACDGroup>(it->second);
        return S_OK;
      }
      line = engine_->agent_line(*handler);
    }
    // A group not seen yet: its name comes from the group list.
    std::shared_ptr<std::vector<unsigned char>> buffer;
    const HRESULT hr = engine_->request_varsize(
        4096, [&](void* b) { return engine_->api().get_group_list(line, static_cast<LINEAGENTGROUPLIST*>(b)); },
        &buffer);
    if (FAILED(hr)) return hr;
    const auto list = parse_group_list(buffer->data(), buffer->size());
    port::MutexLock lock(engine_->mu());
    if (list) {
      for (const auto& g : *list) engine_->find_group(handler, g.id, &g.name);
    }
    *ppACDGroup = engine_->object_for<ACDGroup>(engine_->find_group(handler, rec_->group, nullptr));
    return S_OK;
  });
}

HRESULT AgentSession::put_State(AGENT_SESSION_STATE SessionState) {
  // (1) validate, (2) map: a value outside 0..4 never reaches TAPI 2 (docs/reference/flows.md §3.3).
  const auto state = to_line_session_state(enum_value(SessionState));
  if (!state) return E_INVALIDARG;
  return com_call([&] {
    HLINE line = 0;
    {
      port::MutexLock lock(engine_->mu());
      if (!engine_->running()) return TAPI_E_NOT_INITIALIZED;
      line = engine_->address_line(*rec_->address);
    }
    const HAGENTSESSION session = rec_->handle;
    // (3) lineSetAgentSessionState, next state 0; (4) wait at most the
    // request time limit; the LINEERR of a synchronous failure or of the
    // LINE_REPLY comes back unchanged. The transition table is the proxy's
    // business, and get_State changes only with LINE_AGENTSESSIONSTATUS.
    return engine_->request(nullptr, [&] { return engine_->api().set_agent_session_state(line, session, *state, 0); });
  });
}

HRESULT AgentSession::get_State(AGENT_SESSION_STATE* pSessionState) {
  if (pSessionState == nullptr) return E_POINTER;
  port::MutexLock lock(engine_->mu());
  if (!engine_->running()) return TAPI_E_NOT_INITIALIZED;
  *pSessionState = rec_->state;
  return S_OK;
}

// ---- Statistics (LINEAGENTSESSIONINFO) ----------------------------------------------------

HRESULT AgentSession::info(LINEAGENTSESSIONINFO* out) {
  HLINE line = 0;
  {
    port::MutexLock lock(engine_->mu());
    if (!engine_->running()) return TAPI_E_NOT_INITIALIZED;
    line = engine_->address_line(*rec_->address);
  }
  const HAGENTSESSION session = rec_->handle;
  return cached_stats<LINEAGENTSESSIONINFO>(
      *engine_, rec_->info,
      [&](LINEAGENTSESSIONINFO* b) { return engine_->api().get_agent_session_info(line, session, b); }, out);
}

template <class Out, class Field>
HRESULT AgentSession::stat(Out* out, Field field) {
  if (out == nullptr) return E_POINTER;
  return com_call([&] {
    LINEAGENTSESSIONINFO i{};
    const HRESULT hr = info(&i);
    if (FAILED(hr)) return hr;
    *out = field(i);
    return S_OK;
  });
}

HRESULT AgentSession::get_SessionStartTime(DATE* pdateSessionStart) {
  // UTC at the proxy, local time for the program (docs/reference/flows.md §5.1).
  return stat(pdateSessionStart,
              [](const LINEAGENTSESSIONINFO& i) { return utc_date_to_local(i.dateSessionStartTime); });
}
HRESULT AgentSession::get_SessionDuration(LONG* plDuration) {
  return stat(plDuration, [](const LINEAGENTSESSIONINFO& i) { return static_cast<LONG>(i.dwSessionDuration); });
}
HRESULT AgentSession::get_NumberOfCalls(LONG* plCalls) {
  return stat(plCalls, [](const LINEAGENTSESSIONINFO& i) { return static_cast<LONG>(i.dwNumberOfCalls); });
}
HRESULT AgentSession::get_TotalTalkTime(LONG* plTalkTime) {
  return stat(plTalkTime, [](const LINEAGENTSESSIONINFO& i) { return static_cast<LONG>(i.dwTotalTalkTime); });
}
HRESULT AgentSession::get_AverageTalkTime(LONG* plTalkTime) {
  return stat(plTalkTime, [](const LINEAGENTSESSIONINFO& i) { return static_cast<LONG>(i.dwAverageTalkTime); });
}
HRESULT AgentSession::get_TotalCallTime(LONG* plCallTime) {
  return stat(plCallTime, [](const LINEAGENTSESSIONINFO& i) { return static_cast<LONG>(i.dwTotalCallTime); });
}
HRESULT AgentSession::get_AverageCallTime(LONG* plCallTime) {
  return stat(plCallTime, [](const LINEAGENTSESSIONINFO& i) { return static_cast<LONG>(i.dwAverageCallTime); });
}
HRESULT AgentSession::get_TotalWrapUpTime(LONG* plWrapUpTime) {
  return stat(plWrapUpTime, [](const LINEAGENTSESSIONINFO& i) { return static_cast<LONG>(i.dwTotalWrapUpTime); });
}
HRESULT AgentSession::get_AverageWrapUpTime(LONG* plWrapUpTime) {
  return stat(plWrapUpTime, [](const LINEAGENTSESSIONINFO& i) { return static_cast<LONG>(i.dwAverageWrapUpTime); });
}
HRESULT AgentSession::get_ACDCallRate(CURRENCY* pcyCallrate) {
  return stat(pcyCallrate, [](const LINEAGENTSESSIONINFO& i) { return i.cyACDCallRate; });
}
HRESULT AgentSession::get_LongestTimeToAnswer(LONG* plAnswerTime) {
  return stat(plAnswerTime, [](const LINEAGENTSESSIONINFO& i) { return static_cast<LONG>(i.dwLongestTimeToAnswer); });
}
HRESULT AgentSession::get_AverageTimeToAnswer(LONG* plAnswerTime) {
  return stat(plAnswerTime, [](const LINEAGENTSESSIONINFO& i) { return static_cast<LONG>(i.dwAverageTimeToAnswer); });
}

}  // namespace opentapi::tapi3
