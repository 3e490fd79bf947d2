// ITAgentHandler: one ACD system, i.e. one ACD proxy (docs/reference/tapi3-callcenter.md
// §3.2). Agent requests go to the handler's first line (docs/reference/flows.md §2.3 step 5).
#include "tapi3/collections.h"
#include "tapi3/objects.h"

namespace opentapi::tapi3 {
namespace {

using EnumACDGroupImpl = Enumerator<IEnumACDGroup, ITACDGroup, IID_IEnumACDGroup>;
using EnumAddressImpl = Enumerator<IEnumAddress, ITAddress, IID_IEnumAddress>;

}  // namespace

HRESULT AgentHandler::QueryInterface(REFIID riid, void** ppv) {
  if (ppv == nullptr) return E_POINTER;
  if (IsEqualIID(riid, IID_IUnknown) || IsEqualIID(riid, IID_IDispatch) || IsEqualIID(riid, IID_ITAgentHandler)) {
    *ppv = static_cast<ITAgentHandler*>(this);
    AddRef();
    return S_OK;
  }
  *ppv = nullptr;
  return E_NOINTERFACE;
}

HRESULT AgentHandler::get_Name(BSTR* ppName) {
  if (ppName == nullptr) return E_POINTER;
  *ppName = nullptr;
  return com_call([&] {
    port::MutexLock lock(engine_->mu());
    if (!engine_->running()) return TAPI_E_NOT_INITIALIZED;
    return copy_bstr(rec_->name, ppName);
  });
}

HRESULT AgentHandler::create_agent(const wchar_t* id, const wchar_t* pin, ITAgent** out) {
  // Inputs and the output handle live with the request (docs/reference/flows.md §6.2.3).
  struct Buffer {
    HAGENT handle = 0;
    bool has_id = false;
    std::wstring id;
    std::wstring pin;
  };
  auto buffer = std::make_shared<Buffer>();
  buffer->has_id = id != nullptr;
  if (id != nullptr) buffer->id = id;
  if (pin != nullptr) buffer->pin = pin;
  HLINE line = 0;
  {
    port::MutexLock lock(engine_->mu());
    if (!engine_->running()) return TAPI_E_NOT_INITIALIZED;
    line = engine_->agent_line(*rec_);
  }
  Engine* engine = engine_.get();
  HandlerRecord* handler = rec_.get();
  const HRESULT hr = engine_->request(
      buffer,
      [&] {
        // NULL ID and PIN: the ACD authenticates by the OS login (§3.2).
        return engine->api().create_agent(line, buffer->has_id ? buffer->id.data() : nullptr,
                                          buffer->has_id ? buffer->pin.data() : nullptr, &buffer->handle);
      },
      [engine, handler, raw = buffer.get()](LONG result) {
        engine->mu().assert_held();  // a ReplyHook
        if (result == 0) engine->add_agent(handler, raw->handle, raw->has_id, raw->id);
      });
  if (FAILED(hr)) return hr;
  port::MutexLock lock(engine_->mu());
  const auto it = rec_->agents.find(buffer->handle);
  if (it == rec_->agents.end()) return E_UNEXPECTED;
  *out = engine_->object_for<Agent>(it->second);
  return S_OK;
}

HRESULT AgentHandler::CreateAgent(ITAgent** ppAgent) {
  if (ppAgent == nullptr) return E_POINTER;
  *ppAgent = nullptr;
  return com_call([&] { return create_agent(nullptr, nullptr, ppAgent); });
}

HRESULT AgentHandler::CreateAgentWithID(BSTR pID, BSTR pPIN, ITAgent** ppAgent) {
  if (ppAgent == nullptr) return E_POINTER;
  *ppAgent = nullptr;
  if (pID == nullptr || pPIN == nullptr) return E_INVALIDARG;
  return com_call([&] {
    return create_agent(std::wstring(pID, SysStringLen(pID)).c_str(), std::wstring(pPIN, SysStringLen(pPIN)).c_str(),
                        ppAgent);
  });
}

HRESULT AgentHandler::groups(RefList<ITACDGroup>* out) {
  HLINE line = 0;
  {
    port::MutexLock lock(engine_->mu());
    if (!engine_->running()) return TAPI_E_NOT_INITIALIZED;
    line = engine_->agent_line(*rec_);
  }
  std::shared_ptr<std::vector<unsigned char>> buffer;
  const HRESULT hr = engine_->request_varsize(
      4096, [&](void* b) { return engine_->api().get_group_list(line, static_cast<LINEAGENTGROUPLIST*>(b)); }, &buffer);
  if (FAILED(hr)) return hr;
  const auto list = parse_group_list(buffer->data(), buffer->size());
  if (!list) return LINEERR_OPERATIONFAILED;  // the proxy's answer is malformed
  port::MutexLock lock(engine_->mu());
  if (!rec_->group_baseline) {
    std::vector<GUID> ids;
    for (const auto& g : *list) ids.push_back(g.id);
    rec_->group_baseline = std::move(ids);
  }
  for (const auto& g : *list) {
    auto group = engine_->find_group(rec_.get(), g.id, &g.name);
    out->adopt(engine_->object_for<ACDGroup>(group));
  }
  return S_OK;
}

HRESULT AgentHandler::EnumerateACDGroups(IEnumACDGroup** ppEnumACDGroup) {
  if (ppEnumACDGroup == nullptr) return E_POINTER;
  *ppEnumACDGroup = nullptr;
  return com_call([&] {
    RefList<ITACDGroup> list;
    const HRESULT hr = groups(&list);
    if (FAILED(hr)) return hr;
    return EnumACDGroupImpl::create(std::move(list), ppEnumACDGroup);
  });
}

HRESULT AgentHandler::get_ACDGroups(VARIANT* pVariant) {
  if (pVariant == nullptr) return E_POINTER;
  VariantInit(pVariant);
  return com_call([&] {
    RefList<ITACDGroup> list;
    const HRESULT hr = groups(&list);
    if (FAILED(hr)) return hr;
    return make_collection_variant(as_dispatch_list(list), pVariant);
  });
}

HRESULT AgentHandler::addresses(RefList<ITAddress>* out) {
  port::MutexLock lock(engine_->mu());
  if (!engine_->running()) return TAPI_E_NOT_INITIALIZED;
  for (const auto& address : engine_->addresses_of(rec_.get())) {
    out->adopt(engine_->object_for<Address>(address));
  }
  return S_OK;
}

HRESULT AgentHandler::EnumerateUsableAddresses(IEnumAddress** ppEnumAddress) {
  if (ppEnumAddress == nullptr) return E_POINTER;
  *ppEnumAddress = nullptr;
  return com_call([&] {
    RefList<ITAddress> list;
    const HRESULT hr = addresses(&list);
    if (FAILED(hr)) return hr;
    return EnumAddressImpl::create(std::move(list), ppEnumAddress);
  });
}

HRESULT AgentHandler::get_UsableAddresses(VARIANT* pVariant) {
  if (pVariant == nullptr) return E_POINTER;
  VariantInit(pVariant);
  return com_call([&] {
    RefList<ITAddress> list;
    const HRESULT hr = addresses(&list);
    if (FAILED(hr)) return hr;
    return make_collection_variant(as_dispatch_list(list), pVariant);
  });
}

}  // namespace opentapi::tapi3
