// ITAgent: agent state, sessions and agent-wide statistics
// (docs/reference/tapi3-callcenter.md §3.3, docs/reference/flows.md §4.3, §5.3). Agent requests go to the
// handler's first line; session creation to the line of the session's
// address (docs/reference/flows.md §2.3 step 5).
#include "tapi3/collections.h"
#include "tapi3/objects.h"

namespace opentapi::tapi3 {
namespace {

using EnumAgentSessionImpl = Enumerator<IEnumAgentSession, ITAgentSession, IID_IEnumAgentSession>;

// Releases an interface pointer at scope exit.
template <class T>
struct Releaser {
  T* p;
  ~Releaser() {
    if (p != nullptr) p->Release();
  }
};

}  // namespace

HRESULT Agent::QueryInterface(REFIID riid, void** ppv) {
  if (ppv == nullptr) return E_POINTER;
  if (IsEqualIID(riid, IID_IUnknown) || IsEqualIID(riid, IID_IDispatch) || IsEqualIID(riid, IID_ITAgent)) {
    *ppv = static_cast<ITAgent*>(this);
    AddRef();
    return S_OK;
  }
  *ppv = nullptr;
  return E_NOINTERFACE;
}

// ---- Sessions ---------------------------------------------------------------------------

HRESULT Agent::sessions(RefList<ITAgentSession>* out) {
  HLINE line = 0;
  HandlerRecord* handler = rec_->handler;
  {
    port::MutexLock lock(engine_->mu());
    if (!engine_->running()) return TAPI_E_NOT_INITIALIZED;
    line = engine_->agent_line(*handler);
  }
  // lineGetAgentSessionList [INFER]; the proxy leaves ended sessions out
  // (docs/reference/flows.md §4.2). Same two-minute rule (docs/reference/flows.md §6.1).
  std::shared_ptr<std::vector<unsigned char>> buffer;
  HRESULT hr = engine_->request_varsize(
      4096,
      [&](void* b) {
        return engine_->api().get_agent_session_list(line, rec_->handle, static_cast<LINEAGENTSESSIONLIST*>(b));
      },
      &buffer);
  if (FAILED(hr)) return hr;
  const auto entries = parse_session_list(buffer->data(), buffer->size());
  if (!entries) return LINEERR_OPERATIONFAILED;

  std::vector<std::shared_ptr<SessionRecord>> found(entries->size());
  {
    port::MutexLock lock(engine_->mu());
    for (std::size_t i = 0; i < entries->size(); ++i) {
      const auto it = handler->sessions.find((*entries)[i].hAgentSession);
      if (it != handler->sessions.end()) found[i] = it->second;
    }
  }
  // A session this TAPI object has not seen (made by another program for the
  // same agent): its current state comes from one lineGetAgentSessionInfo.
  for (std::size_t i = 0; i < entries->size(); ++i) {
    if (found[i]) continue;
    const LINEAGENTSESSIONENTRY& e = (*entries)[i];
    std::shared_ptr<AddressRecord> address;
    {
      port::MutexLock lock(engine_->mu());
      // The entry names an address ID but no line: the handler's first line.
      const DWORD device = handler->devices.empty() ? handler->home_device : handler->devices.front();
      address = engine_->address_at(device, e.dwWorkingAddressID);
      if (!address) address = engine_->address_for_device(device);
    }
    auto info = std::make_shared<LINEAGENTSESSIONINFO>();
    info->dwTotalSize = sizeof(LINEAGENTSESSIONINFO);
    const HLINE session_line = line;
    hr = engine_->request(
        info, [&] { return engine_->api().get_agent_session_info(session_line, e.hAgentSession, info.get()); });
    if (hr == TAPI_E_NOT_INITIALIZED) return hr;
    std::optional<AGENT_SESSION_STATE> state;
    if (SUCCEEDED(hr)) state = from_line_session_state(info->dwAgentSessionState);
    port::MutexLock lock(engine_->mu());
    if (!address) return E_UNEXPECTED;  // the handler's line could not be opened
    found[i] = engine_->add_session(handler, rec_, e.hAgentSession, e.GroupID, address, state);
    if (SUCCEEDED(hr)) {
      found[i]->info.value = *info;
      found[i]->info.fetched = Clock::now();
      found[i]->info.valid = true;
    }
  }
  port::MutexLock lock(engine_->mu());
  for (const auto& session : found) out->adopt(engine_->object_for<AgentSession>(session));
  return S_OK;
}

HRESULT Agent::EnumerateAgentSessions(IEnumAgentSession** ppEnumAgentSession) {
  if (ppEnumAgentSession == nullptr) return E_POINTER;
  *ppEnumAgentSession = nullptr;
  return com_call([&] {
    RefList<ITAgentSession> list;
    const HRESULT hr = sessions(&list);
    if (FAILED(hr)) return hr;
    return EnumAgentSessionImpl::create(std::move(list), ppEnumAgentSession);
  });
}

HRESULT Agent::get_AgentSessions(VARIANT* pVariant) {
  if (pVariant == nullptr) return E_POINTER;
  VariantInit(pVariant);
  return com_call([&] {
    RefList<ITAgentSession> list;
    const HRESULT hr = sessions(&list);
    if (FAILED(hr)) return hr;
    return make_collection_variant(as_dispatch_list(list), pVariant);
  });
}

HRESULT Agent::create_session(ITACDGroup* group, ITAddress* address, const wchar_t* pin, ITAgentSession** out) {
  Releaser<ACDGroup> g{impl_of<ACDGroup>(group, kImplACDGroup)};
  Releaser<Address> a{impl_of<Address>(address, kImplAddress)};
  // Only this TAPI object's own group and address objects are accepted.
  if (g.p == nullptr || a.p == nullptr || g.p->engine() != engine_ || a.p->engine() != engine_) return E_INVALIDARG;
  const auto group_rec = g.p->record();
  const auto address_rec = a.p->record();
  HandlerRecord* handler = rec_->handler;
  HLINE line = 0;
  {
    port::MutexLock lock(engine_->mu());
    if (!engine_->running()) return TAPI_E_NOT_INITIALIZED;
    if (pin != nullptr && !rec_->has_id) return TAPI_E_CALLCENTER_NO_AGENT_ID;
    if (group_rec->handler != handler || !engine_->usable_by(*handler, *address_rec)) return E_INVALIDARG;
    // The session's line must be open (it is opened at Initialize).
    if (!engine_->line_open(address_rec->device)) return E_UNEXPECTED;
    line = engine_->address_line(*address_rec);
  }
  struct Buffer {
    HAGENTSESSION handle = 0;
    GUID group{};
    bool has_pin = false;
    std::wstring pin;
  };
  auto buffer = std::make_shared<Buffer>();
  buffer->group = group_rec->id;
  buffer->has_pin = pin != nullptr;
  if (pin != nullptr) buffer->pin = pin;
  Engine* engine = engine_.get();
  const HRESULT hr = engine_->request(
      buffer,
      [&] {
        return engine->api().create_agent_session(line, rec_->handle, buffer->has_pin ? buffer->pin.data() : nullptr,
                                                  address_rec->address_id, &buffer->group, &buffer->handle);
      },
      [engine, handler, agent = rec_, address_rec, raw = buffer.get()](LONG result) {
        engine->mu().assert_held();  // a ReplyHook
        // Registered on the reply itself, so that the session's status
        // messages that follow find it (also after a timeout).
        if (result == 0) engine->add_session(handler, agent, raw->handle, raw->group, address_rec, std::nullopt);
      });
  if (FAILED(hr)) return hr;
  port::MutexLock lock(engine_->mu());
  const auto it = handler->sessions.find(buffer->handle);
  if (it == handler->sessions.end()) return E_UNEXPECTED;
  *out = engine_->object_for<AgentSession>(it->second);
  return S_OK;
}

HRESULT Agent::CreateSession(ITACDGroup* pACDGroup, ITAddress* pAddress, ITAgentSession** ppAgentSession) {
  if (ppAgentSession == nullptr) return E_POINTER;
  *ppAgentSession = nullptr;
  return com_call([&] { return create_session(pACDGroup, pAddress, nullptr, ppAgentSession); });
}

HRESULT Agent::CreateSessionWithPIN(ITACDGroup* pACDGroup, ITAddress* pAddress, BSTR pPIN,
                                    ITAgentSession** ppAgentSession) {
  if (ppAgentSession == nullptr) return E_POINTER;
  *ppAgentSession = nullptr;
  if (pPIN == nullptr) return E_INVALIDARG;
  return com_call([&] {
    const std::wstring pin(pPIN, SysStringLen(pPIN));
    return create_session(pACDGroup, pAddress, pin.c_str(), ppAgentSession);
  });
}

// ---- Identity ---------------------------------------------------------------------------

HRESULT Agent::get_ID(BSTR* ppID) {
  if (ppID == nullptr) return E_POINTER;
  *ppID = nullptr;
  return com_call([&] {
    port::MutexLock lock(engine_->mu());
    if (!engine_->running()) return TAPI_E_NOT_INITIALIZED;
    if (!rec_->has_id) return TAPI_E_CALLCENTER_NO_AGENT_ID;
    return copy_bstr(rec_->id, ppID);
  });
}

HRESULT Agent::get_User(BSTR* ppUser) {
  if (ppUser == nullptr) return E_POINTER;
  *ppUser = nullptr;
  return com_call([&] {
    if (!engine_->check_running()) return TAPI_E_NOT_INITIALIZED;
    return copy_bstr(process_user_name(), ppUser);  // docs/reference/flows.md §8 item 17
  });
}

// ---- State ------------------------------------------------------------------------------

HRESULT Agent::put_State(AGENT_STATE AgentState) {
  const auto state = to_line_agent_state(enum_value(AgentState));
  if (!state) return E_INVALIDARG;  // no TAPI 2 call (§5.1)
  return com_call([&] {
    HLINE line = 0;
    {
      port::MutexLock lock(engine_->mu());
      if (!engine_->running()) return TAPI_E_NOT_INITIALIZED;
      line = engine_->agent_line(*rec_->handler);
    }
    const HAGENT agent = rec_->handle;
    // The cached state changes only with LINE_AGENTSTATUSEX (docs/reference/flows.md §3.3 step 11).
    return engine_->request(nullptr, [&] { return engine_->api().set_agent_state_ex(line, agent, *state, 0); });
  });
}

HRESULT Agent::get_State(AGENT_STATE* pAgentState) {
  if (pAgentState == nullptr) return E_POINTER;
  port::MutexLock lock(engine_->mu());
  if (!engine_->running()) return TAPI_E_NOT_INITIALIZED;
  *pAgentState = rec_->state;
  return S_OK;
}

HRESULT Agent::put_MeasurementPeriod(LONG lPeriod) {
  if (lPeriod == 0) return E_INVALIDARG;
  return com_call([&] {
    HLINE line = 0;
    {
      port::MutexLock lock(engine_->mu());
      if (!engine_->running()) return TAPI_E_NOT_INITIALIZED;
      line = engine_->agent_line(*rec_->handler);
    }
    const HAGENT agent = rec_->handle;
    // A negative period is accepted and passed as its two's-complement DWORD (docs/reference/flows.md §5.5).
    const auto period = static_cast<DWORD>(lPeriod);
    const HRESULT hr =
        engine_->request(nullptr, [&] { return engine_->api().set_agent_measurement_period(line, agent, period); });
    if (SUCCEEDED(hr)) {
      port::MutexLock lock(engine_->mu());
      rec_->info.invalidate();  // the counters were reset
    }
    return hr;
  });
}

// ---- Statistics (LINEAGENTINFO) ---------------------------------------------------------

HRESULT Agent::info(LINEAGENTINFO* out) {
  HLINE line = 0;
  {
    port::MutexLock lock(engine_->mu());
    if (!engine_->running()) return TAPI_E_NOT_INITIALIZED;
    line = engine_->agent_line(*rec_->handler);
  }
  const HAGENT agent = rec_->handle;
  return cached_stats<LINEAGENTINFO>(
      *engine_, rec_->info, [&](LINEAGENTINFO* b) { return engine_->api().get_agent_info(line, agent, b); }, out);
}

template <class Out, class Field>
HRESULT Agent::stat(Out* out, Field field) {
  if (out == nullptr) return E_POINTER;
  return com_call([&] {
    LINEAGENTINFO i{};
    const HRESULT hr = info(&i);
    if (FAILED(hr)) return hr;
    *out = field(i);
    return S_OK;
  });
}

HRESULT Agent::get_MeasurementPeriod(LONG* plPeriod) {
  return stat(plPeriod, [](const LINEAGENTINFO& i) { return static_cast<LONG>(i.dwMeasurementPeriod); });
}
HRESULT Agent::get_OverallCallRate(CURRENCY* pcyCallrate) {
  return stat(pcyCallrate, [](const LINEAGENTINFO& i) { return i.cyOverallCallRate; });
}
HRESULT Agent::get_NumberOfACDCalls(LONG* plCalls) {
  return stat(plCalls, [](const LINEAGENTINFO& i) { return static_cast<LONG>(i.dwNumberOfACDCalls); });
}
HRESULT Agent::get_NumberOfIncomingCalls(LONG* plCalls) {
  return stat(plCalls, [](const LINEAGENTINFO& i) { return static_cast<LONG>(i.dwNumberOfIncomingCalls); });
}
HRESULT Agent::get_NumberOfOutgoingCalls(LONG* plCalls) {
  return stat(plCalls, [](const LINEAGENTINFO& i) { return static_cast<LONG>(i.dwNumberOfOutgoingCalls); });
}
HRESULT Agent::get_TotalACDTalkTime(LONG* plTalkTime) {
  return stat(plTalkTime, [](const LINEAGENTINFO& i) { return static_cast<LONG>(i.dwTotalACDTalkTime); });
}
HRESULT Agent::get_TotalACDCallTime(LONG* plCallTime) {
  return stat(plCallTime, [](const LINEAGENTINFO& i) { return static_cast<LONG>(i.dwTotalACDCallTime); });
}
HRESULT Agent::get_TotalWrapUpTime(LONG* plWrapUpTime) {
  return stat(plWrapUpTime, [](const LINEAGENTINFO& i) { return static_cast<LONG>(i.dwTotalACDWrapUpTime); });
}

}  // namespace opentapi::tapi3
