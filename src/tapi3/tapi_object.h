// The TAPI object: what CoCreateInstance(CLSID_TAPI, ..., IID_ITTAPI) makes.
// One COM identity exposing ITTAPI, ITTAPICallCenter (docs/reference/tapi3-callcenter.md
// §3.1) and IConnectionPointContainer (the ITTAPIEventNotification sinks).
//
// Lifetime: the object lives while referenced; each Initialize .. Shutdown
// span has its own Engine. Objects handed out during a span keep that engine
// alive and report TAPI_E_NOT_INITIALIZED after its Shutdown. The last
// Release shuts the engine down if the program did not, and releases the
// sinks still advised.
#ifndef OPENTAPI_TAPI3_TAPI_OBJECT_H_
#define OPENTAPI_TAPI3_TAPI_OBJECT_H_

#include <functional>
#include <memory>
#include <mutex>

#include "tapi3/com_support.h"
#include "tapi3/engine.h"
#include "tapi3/events.h"
#include "tapi3/tapi2_api.h"

namespace opentapi::tapi3 {

class TapiObject final : public ITTAPI, public ITTAPICallCenter, public IConnectionPointContainer {
 public:
  using Tapi2Factory = std::function<std::shared_ptr<Tapi2>()>;

  // `options` are the engine options; Initialize replaces request_timeout by
  // OPENTAPI_REQUEST_TIMEOUT_MS when that is set.
  TapiObject(Tapi2Factory factory, EngineOptions options);

  // IUnknown
  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppv) override;
  ULONG STDMETHODCALLTYPE AddRef() override { return refs_.add(); }
  ULONG STDMETHODCALLTYPE Release() override;
  bool try_add_ref() { return refs_.try_add(); }
  OPENTAPI_NO_TYPEINFO_DISPATCH

  // ITTAPI
  HRESULT STDMETHODCALLTYPE Initialize() override;
  HRESULT STDMETHODCALLTYPE Shutdown() override;
  HRESULT STDMETHODCALLTYPE get_Addresses(VARIANT* pVariant) override;
  HRESULT STDMETHODCALLTYPE EnumerateAddresses(IEnumAddress** ppEnumAddress) override;
  HRESULT STDMETHODCALLTYPE RegisterCallNotifications(ITAddress*, VARIANT_BOOL, VARIANT_BOOL, LONG, LONG,
                                                      LONG*) override;
  HRESULT STDMETHODCALLTYPE UnregisterNotifications(LONG) override;
  HRESULT STDMETHODCALLTYPE get_CallHubs(VARIANT*) override;
  HRESULT STDMETHODCALLTYPE EnumerateCallHubs(IEnumCallHub**) override;
  HRESULT STDMETHODCALLTYPE SetCallHubTracking(VARIANT, VARIANT_BOOL) override;
  HRESULT STDMETHODCALLTYPE EnumeratePrivateTAPIObjects(IEnumUnknown**) override;
  HRESULT STDMETHODCALLTYPE get_PrivateTAPIObjects(VARIANT*) override;
  HRESULT STDMETHODCALLTYPE RegisterRequestRecipient(LONG, LONG, VARIANT_BOOL) override;
  HRESULT STDMETHODCALLTYPE SetAssistedTelephonyPriority(BSTR, VARIANT_BOOL) override;
  HRESULT STDMETHODCALLTYPE SetApplicationPriority(BSTR, LONG, VARIANT_BOOL) override;
  HRESULT STDMETHODCALLTYPE put_EventFilter(LONG lFilterMask) override;
  HRESULT STDMETHODCALLTYPE get_EventFilter(LONG* plFilterMask) override;

  // ITTAPICallCenter
  HRESULT STDMETHODCALLTYPE EnumerateAgentHandlers(IEnumAgentHandler** ppEnumHandler) override;
  HRESULT STDMETHODCALLTYPE get_AgentHandlers(VARIANT* pVariant) override;

  // IConnectionPointContainer
  HRESULT STDMETHODCALLTYPE EnumConnectionPoints(IEnumConnectionPoints** ppEnum) override;
  HRESULT STDMETHODCALLTYPE FindConnectionPoint(REFIID riid, IConnectionPoint** ppCP) override;

  // The engine of the current span if initialized, else null.
  std::shared_ptr<Engine> ready_engine() const;
  const std::shared_ptr<SinkList>& sinks() const { return sinks_; }

 private:
  ~TapiObject();
  HRESULT addresses(RefList<ITAddress>* out);
  HRESULT handlers(RefList<ITAgentHandler>* out);
  IConnectionPoint* make_connection_point();

  LiveObject live_;
  RefCount refs_;
  Tapi2Factory factory_;
  EngineOptions options_;
  std::shared_ptr<SinkList> sinks_;
  std::mutex lifecycle_mu_;  // serialises Initialize
  mutable std::mutex mu_;    // engine_, ready_
  std::shared_ptr<Engine> engine_;
  bool ready_ = false;
};

// Creates a TAPI object over the given TAPI 2 implementation (unit tests
// inject a fake; CoCreateInstance uses make_default_tapi2) and
// QueryInterfaces it for riid.
HRESULT create_tapi_object(TapiObject::Tapi2Factory factory, const EngineOptions& options, REFIID riid, void** ppv);

}  // namespace opentapi::tapi3

#endif  // OPENTAPI_TAPI3_TAPI_OBJECT_H_
