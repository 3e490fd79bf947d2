// The TAPI object, its connection point, and the COM runtime entry points a
// TAPI 3 program calls first (CoInitializeEx, CoCreateInstance).
#include "tapi3/tapi_object.h"

#include <cstdlib>

#include "tapi3/calls.h"
#include "tapi3/collections.h"
#include "tapi3/objects.h"

namespace opentapi::tapi3 {
namespace {

// The one connection point of the TAPI object: ITTAPIEventNotification.
class ConnectionPoint final : public IConnectionPoint {
 public:
  ConnectionPoint(TapiObject* container, std::shared_ptr<SinkList> sinks)
      : container_(container), sinks_(std::move(sinks)) {
    container_->AddRef();
  }

  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppv) override {
    if (ppv == nullptr) return E_POINTER;
    if (IsEqualIID(riid, IID_IUnknown) || IsEqualIID(riid, IID_IConnectionPoint)) {
      *ppv = static_cast<IConnectionPoint*>(this);
      AddRef();
      return S_OK;
    }
    *ppv = nullptr;
    return E_NOINTERFACE;
  }
  OPENTAPI_SIMPLE_REFCOUNT

  HRESULT STDMETHODCALLTYPE GetConnectionInterface(IID* pIID) override {
    if (pIID == nullptr) return E_POINTER;
    *pIID = IID_ITTAPIEventNotification;
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE GetConnectionPointContainer(IConnectionPointContainer** ppCPC) override {
    if (ppCPC == nullptr) return E_POINTER;
    container_->AddRef();
    *ppCPC = container_;
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE Advise(IUnknown* pUnkSink, DWORD* pdwCookie) override {
    return com_call([&] { return sinks_->advise(pUnkSink, pdwCookie); });
  }
  HRESULT STDMETHODCALLTYPE Unadvise(DWORD dwCookie) override {
    return com_call([&] { return sinks_->unadvise(dwCookie); });
  }
  HRESULT STDMETHODCALLTYPE EnumConnections(IEnumConnections** ppEnum) override {
    if (ppEnum != nullptr) *ppEnum = nullptr;
    return E_NOTIMPL;
  }

 private:
  ~ConnectionPoint() { container_->Release(); }

  LiveObject live_;
  RefCount refs_;
  TapiObject* container_;
  std::shared_ptr<SinkList> sinks_;
};

using EnumConnectionPointsImpl = Enumerator<IEnumConnectionPoints, IConnectionPoint, IID_IEnumConnectionPoints>;
using EnumAddressImpl = Enumerator<IEnumAddress, ITAddress, IID_IEnumAddress>;
using EnumAgentHandlerImpl = Enumerator<IEnumAgentHandler, ITAgentHandler, IID_IEnumAgentHandler>;

// COM initialization per thread (CoInitializeEx): a count, and the model
// the first call chose. Objects of this library are free-threaded whatever
// the model; the model is only remembered to answer RPC_E_CHANGED_MODE.
thread_local unsigned t_com_inits = 0;
thread_local DWORD t_com_model = 0;

constexpr DWORD kKnownCoInitFlags = COINIT_APARTMENTTHREADED | COINIT_DISABLE_OLE1DDE | COINIT_SPEED_OVER_MEMORY;

}  // namespace

// ---- TapiObject ------------------------------------------------------------------

TapiObject::TapiObject(Tapi2Factory factory, EngineOptions options)
    : factory_(std::move(factory)), options_(options), sinks_(std::make_shared<SinkList>()) {}

TapiObject::~TapiObject() {
  std::shared_ptr<Engine> engine;
  {
    std::lock_guard lock(mu_);
    engine = std::move(engine_);
  }
  if (engine) {
    engine->shutdown();
    engine->set_owner(nullptr);
  }
  sinks_->clear();
}

HRESULT TapiObject::QueryInterface(REFIID riid, void** ppv) {
  if (ppv == nullptr) return E_POINTER;
  if (IsEqualIID(riid, IID_IUnknown) || IsEqualIID(riid, IID_IDispatch) || IsEqualIID(riid, IID_ITTAPI)) {
    *ppv = static_cast<ITTAPI*>(this);
  } else if (IsEqualIID(riid, IID_ITTAPICallCenter)) {
    *ppv = static_cast<ITTAPICallCenter*>(this);
  } else if (IsEqualIID(riid, IID_IConnectionPointContainer)) {
    *ppv = static_cast<IConnectionPointContainer*>(this);
  } else {
    *ppv = nullptr;
    return E_NOINTERFACE;
  }
  AddRef();
  return S_OK;
}

ULONG TapiObject::Release() {
  const ULONG n = refs_.release();
  if (n == 0) delete this;
  return n;
}

std::shared_ptr<Engine> TapiObject::ready_engine() const {
  std::lock_guard lock(mu_);
  if (!ready_ || !engine_ || !engine_->check_running()) return nullptr;
  return engine_;
}

HRESULT TapiObject::Initialize() {
  return com_call([&]() -> HRESULT {
    std::lock_guard life(lifecycle_mu_);
    {
      std::lock_guard lock(mu_);
      if (engine_ && engine_->check_running()) return S_FALSE;  // already initialized (documented)
    }
    EngineOptions options = options_;
    if (const char* env = std::getenv("OPENTAPI_REQUEST_TIMEOUT_MS"); env != nullptr) {
      options.request_timeout = request_timeout_from(env);
    }
    auto engine = std::make_shared<Engine>(factory_(), options, sinks_);
    engine->set_owner(this);
    {
      std::lock_guard lock(mu_);
      engine_ = engine;  // visible to Shutdown during discovery
      ready_ = false;
    }
    HRESULT hr = E_OUTOFMEMORY;
    try {
      hr = engine->start();
    } catch (...) {
      // Out of memory (or threads) half-way: undone below like any other failure.
    }
    if (SUCCEEDED(hr) && engine->check_running()) {
      std::lock_guard lock(mu_);
      ready_ = true;
      return S_OK;
    }
    // Failed, or Shutdown was called while discovery ran.
    engine->shutdown();
    engine->set_owner(nullptr);
    std::lock_guard lock(mu_);
    if (engine_ == engine) engine_ = nullptr;
    return FAILED(hr) ? hr : TAPI_E_NOT_INITIALIZED;
  });
}

HRESULT TapiObject::Shutdown() {
  return com_call([&]() -> HRESULT {
    std::shared_ptr<Engine> engine;
    {
      std::lock_guard lock(mu_);
      engine = engine_;
    }
    // ITTAPI::Shutdown: S_FALSE when the session was already shut down; a
    // TAPI object that was never initialized fails (documented remark).
    if (!engine) return TAPI_E_NOT_INITIALIZED;
    if (!engine->check_running()) return S_FALSE;
    engine->shutdown();
    engine->set_owner(nullptr);
    return S_OK;
  });
}

HRESULT TapiObject::addresses(RefList<ITAddress>* out) {
  const auto engine = ready_engine();
  if (!engine) return TAPI_E_NOT_INITIALIZED;
  port::MutexLock lock(engine->mu());
  for (const auto& rec : engine->addresses_of(nullptr)) out->adopt(engine->object_for<Address>(rec));
  return S_OK;
}

HRESULT TapiObject::get_Addresses(VARIANT* pVariant) {
  if (pVariant == nullptr) return E_POINTER;
  VariantInit(pVariant);
  return com_call([&] {
    RefList<ITAddress> list;
    const HRESULT hr = addresses(&list);
    if (FAILED(hr)) return hr;
    return make_collection_variant(as_dispatch_list(list), pVariant);
  });
}

HRESULT TapiObject::EnumerateAddresses(IEnumAddress** ppEnumAddress) {
  if (ppEnumAddress == nullptr) return E_POINTER;
  *ppEnumAddress = nullptr;
  return com_call([&] {
    RefList<ITAddress> list;
    const HRESULT hr = addresses(&list);
    if (FAILED(hr)) return hr;
    return EnumAddressImpl::create(std::move(list), ppEnumAddress);
  });
}

// docs/porting.md "Calls": one lineOpen with the asked privileges and media
// modes per device, shared by the registrations asking for the same.
HRESULT TapiObject::RegisterCallNotifications(ITAddress* pAddress, VARIANT_BOOL fMonitor, VARIANT_BOOL fOwner,
                                              LONG lMediaTypes, LONG lCallbackInstance, LONG* plRegister) {
  if (plRegister == nullptr) return E_POINTER;
  *plRegister = 0;
  if (pAddress == nullptr) return E_POINTER;
  if (fMonitor == VARIANT_FALSE && fOwner == VARIANT_FALSE) return E_INVALIDARG;
  return com_call([&]() -> HRESULT {
    const auto engine = ready_engine();
    if (!engine) return TAPI_E_NOT_INITIALIZED;
    Address* address = impl_of<Address>(pAddress, kImplAddress);
    if (address == nullptr) return E_INVALIDARG;  // not an address of this library
    const auto rec = address->record();
    const bool same_engine = address->engine() == engine;
    address->Release();
    if (!same_engine) return E_INVALIDARG;  // from another TAPI object, or before a Shutdown
    if (lMediaTypes == 0 || (lMediaTypes & ~rec->media_types) != 0) return TAPI_E_INVALIDMEDIATYPE;
    return engine->calls().register_notifications(rec, fOwner != VARIANT_FALSE, fMonitor != VARIANT_FALSE, lMediaTypes,
                                                  lCallbackInstance, plRegister);
  });
}

HRESULT TapiObject::UnregisterNotifications(LONG lRegister) {
  return com_call([&]() -> HRESULT {
    const auto engine = ready_engine();
    if (!engine) return TAPI_E_NOT_INITIALIZED;
    return engine->calls().unregister_notifications(lRegister);
  });
}

// Call hubs and private objects are outside the scope of this port
// (docs/porting.md); request recipients and priorities follow.
HRESULT TapiObject::get_CallHubs(VARIANT*) { return E_NOTIMPL; }
HRESULT TapiObject::EnumerateCallHubs(IEnumCallHub** pp) {
  if (pp != nullptr) *pp = nullptr;
  return E_NOTIMPL;
}
HRESULT TapiObject::SetCallHubTracking(VARIANT, VARIANT_BOOL) { return E_NOTIMPL; }
HRESULT TapiObject::EnumeratePrivateTAPIObjects(IEnumUnknown** pp) {
  if (pp != nullptr) *pp = nullptr;
  return E_NOTIMPL;
}
HRESULT TapiObject::get_PrivateTAPIObjects(VARIANT*) { return E_NOTIMPL; }

// lineRegisterRequestRecipient on the object's application (docs/porting.md
// "Priorities and request recipients").
HRESULT TapiObject::RegisterRequestRecipient(LONG lRegistrationInstance, LONG lRequestMode, VARIANT_BOOL fEnable) {
  return com_call([&]() -> HRESULT {
    const auto engine = ready_engine();
    if (!engine) return TAPI_E_NOT_INITIALIZED;
    return hresult_from_lineerr(
        engine->api().register_request_recipient(engine->app(), static_cast<DWORD>(lRegistrationInstance),
                                                 static_cast<DWORD>(lRequestMode), fEnable != VARIANT_FALSE ? 1 : 0));
  });
}

// lineSetAppPriority for the assisted-telephony MAKECALL requests.
HRESULT TapiObject::SetAssistedTelephonyPriority(BSTR pAppFilename, VARIANT_BOOL fPriority) {
  return com_call([&]() -> HRESULT {
    const auto engine = ready_engine();
    if (!engine) return TAPI_E_NOT_INITIALIZED;
    if (pAppFilename == nullptr) return E_POINTER;
    return hresult_from_lineerr(
        engine->api().set_app_priority(pAppFilename, 0, LINEREQUESTMODE_MAKECALL, fPriority != VARIANT_FALSE ? 1 : 0));
  });
}

// lineSetAppPriority for one media type (its TAPIMEDIATYPE_ value is the
// LINEMEDIAMODE_ bit TAPI 2 takes); MULTITRACK has no TAPI 2 media mode.
HRESULT TapiObject::SetApplicationPriority(BSTR pAppFilename, LONG lMediaType, VARIANT_BOOL fPriority) {
  return com_call([&]() -> HRESULT {
    const auto engine = ready_engine();
    if (!engine) return TAPI_E_NOT_INITIALIZED;
    if (pAppFilename == nullptr) return E_POINTER;
    switch (lMediaType) {
      case TAPIMEDIATYPE_AUDIO:
      case TAPIMEDIATYPE_VIDEO:
      case TAPIMEDIATYPE_DATAMODEM:
      case TAPIMEDIATYPE_G3FAX:
        break;
      default:
        return E_INVALIDARG;
    }
    return hresult_from_lineerr(engine->api().set_app_priority(pAppFilename, static_cast<DWORD>(lMediaType), 0,
                                                               fPriority != VARIANT_FALSE ? 1 : 0));
  });
}

HRESULT TapiObject::put_EventFilter(LONG lFilterMask) {
  const auto engine = ready_engine();
  if (!engine) return TAPI_E_NOT_INITIALIZED;
  engine->set_event_filter(lFilterMask);
  return S_OK;
}

HRESULT TapiObject::get_EventFilter(LONG* plFilterMask) {
  if (plFilterMask == nullptr) return E_POINTER;
  const auto engine = ready_engine();
  if (!engine) return TAPI_E_NOT_INITIALIZED;
  *plFilterMask = engine->event_filter();
  return S_OK;
}

HRESULT TapiObject::handlers(RefList<ITAgentHandler>* out) {
  const auto engine = ready_engine();
  // Documented: enumerating before Initialize fails with E_INVALIDARG (§3.1).
  if (!engine) return E_INVALIDARG;
  port::MutexLock lock(engine->mu());
  for (const auto& rec : engine->live_handlers()) out->adopt(engine->object_for<AgentHandler>(rec));
  return S_OK;
}

HRESULT TapiObject::EnumerateAgentHandlers(IEnumAgentHandler** ppEnumHandler) {
  if (ppEnumHandler == nullptr) return E_POINTER;
  *ppEnumHandler = nullptr;
  return com_call([&] {
    RefList<ITAgentHandler> list;
    const HRESULT hr = handlers(&list);
    if (FAILED(hr)) return hr;
    return EnumAgentHandlerImpl::create(std::move(list), ppEnumHandler);
  });
}

HRESULT TapiObject::get_AgentHandlers(VARIANT* pVariant) {
  if (pVariant == nullptr) return E_POINTER;
  VariantInit(pVariant);
  return com_call([&] {
    RefList<ITAgentHandler> list;
    const HRESULT hr = handlers(&list);
    if (FAILED(hr)) return hr;
    return make_collection_variant(as_dispatch_list(list), pVariant);
  });
}

IConnectionPoint* TapiObject::make_connection_point() { return new ConnectionPoint(this, sinks_); }

HRESULT TapiObject::EnumConnectionPoints(IEnumConnectionPoints** ppEnum) {
  if (ppEnum == nullptr) return E_POINTER;
  *ppEnum = nullptr;
  return com_call([&] {
    RefList<IConnectionPoint> list;
    list.adopt(make_connection_point());
    return EnumConnectionPointsImpl::create(std::move(list), ppEnum);
  });
}

HRESULT TapiObject::FindConnectionPoint(REFIID riid, IConnectionPoint** ppCP) {
  if (ppCP == nullptr) return E_POINTER;
  *ppCP = nullptr;
  if (!IsEqualIID(riid, IID_ITTAPIEventNotification)) return CONNECT_E_NOCONNECTION;
  return com_call([&] {
    *ppCP = make_connection_point();
    return S_OK;
  });
}

HRESULT create_tapi_object(TapiObject::Tapi2Factory factory, const EngineOptions& options, REFIID riid, void** ppv) {
  if (ppv == nullptr) return E_POINTER;
  *ppv = nullptr;
  return com_call([&] {
    auto* object = new TapiObject(std::move(factory), options);
    const HRESULT hr = object->QueryInterface(riid, ppv);
    object->Release();  // the creator's reference; *ppv keeps it alive on success
    return hr;
  });
}

}  // namespace opentapi::tapi3

// ---- COM runtime entry points (tapi_com.h) -------------------------------------------
//
// No exception crosses these C functions (docs/tapi2.md "No exception crosses
// the C API"): the Co*Initialize functions only count per thread and cannot
// throw; CoCreateInstance runs inside com_call.

namespace t3 = opentapi::tapi3;

extern "C" {

HRESULT CoInitializeEx(LPVOID /*pvReserved*/, DWORD dwCoInit) {
  if ((dwCoInit & ~t3::kKnownCoInitFlags) != 0) return E_INVALIDARG;
  const DWORD model = dwCoInit & COINIT_APARTMENTTHREADED;
  if (t3::t_com_inits > 0) {
    if (t3::t_com_model != model) return RPC_E_CHANGED_MODE;
    ++t3::t_com_inits;
    return S_FALSE;
  }
  t3::t_com_model = model;
  t3::t_com_inits = 1;
  return S_OK;
}

HRESULT CoInitialize(LPVOID pvReserved) { return CoInitializeEx(pvReserved, COINIT_APARTMENTTHREADED); }

void CoUninitialize(void) {
  if (t3::t_com_inits > 0) --t3::t_com_inits;
}

HRESULT CoCreateInstance(REFCLSID rclsid, LPUNKNOWN pUnkOuter, DWORD dwClsContext, REFIID riid, LPVOID* ppv) {
  if (ppv == nullptr) return E_POINTER;
  *ppv = nullptr;
  if (!IsEqualCLSID(rclsid, CLSID_TAPI)) return REGDB_E_CLASSNOTREG;
  if (pUnkOuter != nullptr) return CLASS_E_NOAGGREGATION;
  // The TAPI object is an in-process server only.
  if ((dwClsContext & CLSCTX_INPROC_SERVER) == 0) return REGDB_E_CLASSNOTREG;
  // The factory and the options are built here, outside create_tapi_object's
  // own barrier.
  return t3::com_call([&] { return t3::create_tapi_object(t3::make_default_tapi2, t3::EngineOptions{}, riid, ppv); });
}

}  // extern "C"
