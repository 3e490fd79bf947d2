// The call events (tapi3if.h): ITCallStateEvent, ITCallNotificationEvent,
// ITCallInfoChangeEvent. Immutable snapshots made when the TAPI 2 message
// arrived; get_Call hands out the very Call object the program holds.
#include "tapi3/calls.h"

namespace opentapi::tapi3 {
namespace {

template <class Iface, const IID& kIid>
class CallEvent : public Iface {
 public:
  CallEvent(ITCallInfo* call, LONG instance) : call_(call), instance_(instance) {}

  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppv) override {
    if (ppv == nullptr) return E_POINTER;
    if (IsEqualIID(riid, IID_IUnknown) || IsEqualIID(riid, IID_IDispatch) || IsEqualIID(riid, kIid)) {
      *ppv = static_cast<Iface*>(this);
      this->AddRef();
      return S_OK;
    }
    *ppv = nullptr;
    return E_NOINTERFACE;
  }
  OPENTAPI_SIMPLE_REFCOUNT
  OPENTAPI_NO_TYPEINFO_DISPATCH

  HRESULT STDMETHODCALLTYPE get_Call(ITCallInfo** ppCallInfo) override {
    if (ppCallInfo == nullptr) return E_POINTER;
    call_->AddRef();
    *ppCallInfo = call_;
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE get_CallbackInstance(LONG* plCallbackInstance) override {
    if (plCallbackInstance == nullptr) return E_POINTER;
    *plCallbackInstance = instance_;
    return S_OK;
  }

 protected:
  virtual ~CallEvent() { call_->Release(); }

 private:
  LiveObject live_;
  RefCount refs_;
  ITCallInfo* call_;
  LONG instance_;
};

class CallStateEvent final : public CallEvent<ITCallStateEvent, IID_ITCallStateEvent> {
 public:
  CallStateEvent(ITCallInfo* call, CALL_STATE state, CALL_STATE_EVENT_CAUSE cause, LONG instance)
      : CallEvent(call, instance), state_(state), cause_(cause) {}
  HRESULT STDMETHODCALLTYPE get_State(CALL_STATE* pCallState) override {
    if (pCallState == nullptr) return E_POINTER;
    *pCallState = state_;
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE get_Cause(CALL_STATE_EVENT_CAUSE* pCEC) override {
    if (pCEC == nullptr) return E_POINTER;
    *pCEC = cause_;
    return S_OK;
  }

 private:
  CALL_STATE state_;
  CALL_STATE_EVENT_CAUSE cause_;
};

class CallNotificationEvent final : public CallEvent<ITCallNotificationEvent, IID_ITCallNotificationEvent> {
 public:
  CallNotificationEvent(ITCallInfo* call, CALL_NOTIFICATION_EVENT event, LONG instance)
      : CallEvent(call, instance), event_(event) {}
  HRESULT STDMETHODCALLTYPE get_Event(CALL_NOTIFICATION_EVENT* pCallNotificationEvent) override {
    if (pCallNotificationEvent == nullptr) return E_POINTER;
    *pCallNotificationEvent = event_;
    return S_OK;
  }

 private:
  CALL_NOTIFICATION_EVENT event_;
};

class CallInfoChangeEvent final : public CallEvent<ITCallInfoChangeEvent, IID_ITCallInfoChangeEvent> {
 public:
  CallInfoChangeEvent(ITCallInfo* call, CALLINFOCHANGE_CAUSE cause, LONG instance)
      : CallEvent(call, instance), cause_(cause) {}
  HRESULT STDMETHODCALLTYPE get_Cause(CALLINFOCHANGE_CAUSE* pCIC) override {
    if (pCIC == nullptr) return E_POINTER;
    *pCIC = cause_;
    return S_OK;
  }

 private:
  CALLINFOCHANGE_CAUSE cause_;
};

// On bad_alloc the call's reference is released and the exception goes on.
template <class Event, class... Args>
IDispatch* make(ITCallInfo* call, Args... args) {
  try {
    return new Event(call, args...);
  } catch (...) {
    call->Release();
    throw;
  }
}

}  // namespace

IDispatch* make_call_state_event(ITCallInfo* call, CALL_STATE state, CALL_STATE_EVENT_CAUSE cause, LONG instance) {
  return make<CallStateEvent>(call, state, cause, instance);
}
IDispatch* make_call_notification_event(ITCallInfo* call, CALL_NOTIFICATION_EVENT event, LONG instance) {
  return make<CallNotificationEvent>(call, event, instance);
}
IDispatch* make_call_info_change_event(ITCallInfo* call, CALLINFOCHANGE_CAUSE cause, LONG instance) {
  return make<CallInfoChangeEvent>(call, cause, instance);
}

}  // namespace opentapi::tapi3
