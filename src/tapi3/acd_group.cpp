// ITACDGroup and ITQueue (docs/reference/tapi3-callcenter.md §3.5, §3.6, docs/reference/flows.md §5.4,
// §5.5). A removed group or queue keeps its name; its round-trip methods
// return TAPI_E_CALLCENTER_GROUP_REMOVED / _QUEUE_REMOVED (§6.1 [DECIDE]).
#include "tapi3/collections.h"
#include "tapi3/objects.h"

namespace opentapi::tapi3 {
namespace {

using EnumQueueImpl = Enumerator<IEnumQueue, ITQueue, IID_IEnumQueue>;

}  // namespace

// {6F70656E-7461-7069-8000-000000000002}: private.
const IID kImplACDGroup = {0x6F70656E, 0x7461, 0x7069, {0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02}};

// ---- ITACDGroup -------------------------------------------------------------------------

HRESULT ACDGroup::QueryInterface(REFIID riid, void** ppv) {
  if (ppv == nullptr) return E_POINTER;
  if (IsEqualIID(riid, IID_IUnknown) || IsEqualIID(riid, IID_IDispatch) || IsEqualIID(riid, IID_ITACDGroup)) {
    *ppv = static_cast<ITACDGroup*>(this);
  } else if (IsEqualIID(riid, kImplACDGroup)) {
    *ppv = this;
  } else {
    *ppv = nullptr;
    return E_NOINTERFACE;
  }
  AddRef();
  return S_OK;
}

HRESULT ACDGroup::get_Name(BSTR* ppName) {
  if (ppName == nullptr) return E_POINTER;
  *ppName = nullptr;
  return com_call([&] {
    port::MutexLock lock(engine_->mu());
    if (!engine_->running()) return TAPI_E_NOT_INITIALIZED;
    return copy_bstr(rec_->name, ppName);
  });
}

HRESULT ACDGroup::queues(RefList<ITQueue>* out) {
  HLINE line = 0;
  HandlerRecord* handler = rec_->handler;
  GUID group{};
  {
    port::MutexLock lock(engine_->mu());
    if (!engine_->running()) return TAPI_E_NOT_INITIALIZED;
    if (rec_->removed) return TAPI_E_CALLCENTER_GROUP_REMOVED;
    line = engine_->agent_line(*handler);
    group = rec_->id;
  }
  std::shared_ptr<std::vector<unsigned char>> buffer;
  const HRESULT hr = engine_->request_varsize(
      4096, [&](void* b) { return engine_->api().get_queue_list(line, &group, static_cast<LINEQUEUELIST*>(b)); },
      &buffer);
  if (FAILED(hr)) return hr;
  const auto list = parse_queue_list(buffer->data(), buffer->size());
  if (!list) return LINEERR_OPERATIONFAILED;  // the proxy's answer is malformed
  port::MutexLock lock(engine_->mu());
  for (const auto& q : *list) {
    auto rec = engine_->find_queue(handler, q.id, &q.name, &group);
    rec->removed = false;
    out->adopt(engine_->object_for<Queue>(rec));
  }
  return S_OK;
}

HRESULT ACDGroup::EnumerateQueues(IEnumQueue** ppEnumQueue) {
  if (ppEnumQueue == nullptr) return E_POINTER;
  *ppEnumQueue = nullptr;
  return com_call([&] {
    RefList<ITQueue> list;
    const HRESULT hr = queues(&list);
    if (FAILED(hr)) return hr;
    return EnumQueueImpl::create(std::move(list), ppEnumQueue);
  });
}

HRESULT ACDGroup::get_Queues(VARIANT* pVariant) {
  if (pVariant == nullptr) return E_POINTER;
  VariantInit(pVariant);
  return com_call([&] {
    RefList<ITQueue> list;
    const HRESULT hr = queues(&list);
    if (FAILED(hr)) return hr;
    return make_collection_variant(as_dispatch_list(list), pVariant);
  });
}

// ---- ITQueue ----------------------------------------------------------------------------

HRESULT Queue::QueryInterface(REFIID riid, void** ppv) {
  if (ppv == nullptr) return E_POINTER;
  if (IsEqualIID(riid, IID_IUnknown) || IsEqualIID(riid, IID_IDispatch) || IsEqualIID(riid, IID_ITQueue)) {
    *ppv = static_cast<ITQueue*>(this);
    AddRef();
    return S_OK;
  }
  *ppv = nullptr;
  return E_NOINTERFACE;
}

HRESULT Queue::get_Name(BSTR* ppName) {
  if (ppName == nullptr) return E_POINTER;
  *ppName = nullptr;
  return com_call([&] {
    port::MutexLock lock(engine_->mu());
    if (!engine_->running()) return TAPI_E_NOT_INITIALIZED;
    return copy_bstr(rec_->name, ppName);
  });
}

HRESULT Queue::put_MeasurementPeriod(LONG lPeriod) {
  if (lPeriod == 0) return E_INVALIDARG;
  return com_call([&] {
    HLINE line = 0;
    {
      port::MutexLock lock(engine_->mu());
      if (!engine_->running()) return TAPI_E_NOT_INITIALIZED;
      if (rec_->removed) return TAPI_E_CALLCENTER_QUEUE_REMOVED;
      line = engine_->agent_line(*rec_->handler);
    }
    const DWORD queue = rec_->id;
    const auto period = static_cast<DWORD>(lPeriod);  // negative: two's complement (docs/reference/flows.md §5.5)
    const HRESULT hr =
        engine_->request(nullptr, [&] { return engine_->api().set_queue_measurement_period(line, queue, period); });
    if (SUCCEEDED(hr)) {
      port::MutexLock lock(engine_->mu());
      rec_->info.invalidate();
    }
    return hr;
  });
}

HRESULT Queue::info(LINEQUEUEINFO* out) {
  HLINE line = 0;
  {
    port::MutexLock lock(engine_->mu());
    if (!engine_->running()) return TAPI_E_NOT_INITIALIZED;
    if (rec_->removed) return TAPI_E_CALLCENTER_QUEUE_REMOVED;
    line = engine_->agent_line(*rec_->handler);
  }
  const DWORD queue = rec_->id;
  return cached_stats<LINEQUEUEINFO>(
      *engine_, rec_->info, [&](LINEQUEUEINFO* b) { return engine_->api().get_queue_info(line, queue, b); }, out);
}

HRESULT Queue::stat(LONG* out, DWORD (*field)(const LINEQUEUEINFO&)) {
  if (out == nullptr) return E_POINTER;
  return com_call([&] {
    LINEQUEUEINFO i{};
    const HRESULT hr = info(&i);
    if (FAILED(hr)) return hr;
    *out = static_cast<LONG>(field(i));
    return S_OK;
  });
}

HRESULT Queue::get_MeasurementPeriod(LONG* p) {
  return stat(p, [](const LINEQUEUEINFO& i) { return i.dwMeasurementPeriod; });
}
HRESULT Queue::get_TotalCallsQueued(LONG* p) {
  return stat(p, [](const LINEQUEUEINFO& i) { return i.dwTotalCallsQueued; });
}
HRESULT Queue::get_CurrentCallsQueued(LONG* p) {
  return stat(p, [](const LINEQUEUEINFO& i) { return i.dwCurrentCallsQueued; });
}
HRESULT Queue::get_TotalCallsAbandoned(LONG* p) {
  return stat(p, [](const LINEQUEUEINFO& i) { return i.dwTotalCallsAbandoned; });
}
HRESULT Queue::get_TotalCallsFlowedIn(LONG* p) {
  return stat(p, [](const LINEQUEUEINFO& i) { return i.dwTotalCallsFlowedIn; });
}
HRESULT Queue::get_TotalCallsFlowedOut(LONG* p) {
  return stat(p, [](const LINEQUEUEINFO& i) { return i.dwTotalCallsFlowedOut; });
}
HRESULT Queue::get_LongestEverWaitTime(LONG* p) {
  return stat(p, [](const LINEQUEUEINFO& i) { return i.dwLongestEverWaitTime; });
}
HRESULT Queue::get_CurrentLongestWaitTime(LONG* p) {
  return stat(p, [](const LINEQUEUEINFO& i) { return i.dwCurrentLongestWaitTime; });
}
HRESULT Queue::get_AverageWaitTime(LONG* p) {
  return stat(p, [](const LINEQUEUEINFO& i) { return i.dwAverageWaitTime; });
}
HRESULT Queue::get_FinalDisposition(LONG* p) {
  return stat(p, [](const LINEQUEUEINFO& i) { return i.dwFinalDisposition; });
}

}  // namespace opentapi::tapi3
