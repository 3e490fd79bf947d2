// The Call object: ITBasicCallControl(2) and ITCallInfo(2) over the TAPI 2
// call functions (calls.h). ITStreamControl and the terminal methods are in
// media.cpp. Argument checks come first (E_POINTER, E_INVALIDARG), then the
// initialization check, then the TAPI 2 call.
#include <cstring>

#include "tapi3/calls.h"
#include "tapi3/objects.h"

namespace opentapi::tapi3 {
namespace {

bool in_range(LONG value, LONG first, LONG last) { return value >= first && value <= last; }

// put_CallInfo* before Connect: what may be set, and only while the call has
// not started (docs/porting.md "Calls").
bool settable_long(LONG which) {
  return which == CIL_BEARERMODE || which == CIL_CALLPARAMSFLAGS || which == CIL_MINRATE || which == CIL_MAXRATE ||
         which == CIL_COUNTRYCODE;
}
bool settable_string(LONG which) {
  return which == CIS_CALLINGPARTYID || which == CIS_COMMENT || which == CIS_DISPLAYABLEADDRESS ||
         which == CIS_CALLEDPARTYFRIENDLYNAME;
}
bool settable_buffer(LONG which) { return which == CIB_USERUSERINFO || which == CIB_CALLDATABUFFER; }

bool not_started(const CallRecord& rec) {
  return rec.handle == 0 && !rec.connecting && rec.state == CS_IDLE && !rec.info.value;
}

// The TAPI_EVENT kinds that concern one call (ITCallInfo2::put_EventFilter).
bool call_event_kind(LONG kind) {
  switch (kind) {
    case TE_CALLNOTIFICATION:
    case TE_CALLSTATE:
    case TE_CALLMEDIA:
    case TE_CALLHUB:
    case TE_CALLINFOCHANGE:
    case TE_QOSEVENT:
    case TE_DIGITEVENT:
    case TE_GENERATEEVENT:
    case TE_GATHERDIGITS:
    case TE_TONEEVENT:
      return true;
    default:
      return false;
  }
}

}  // namespace

Call::Call(std::shared_ptr<Engine> engine, std::shared_ptr<CallRecord> rec)
    : engine_(std::move(engine)), rec_(std::move(rec)) {}

HRESULT Call::QueryInterface(REFIID riid, void** ppv) {
  if (ppv == nullptr) return E_POINTER;
  if (IsEqualIID(riid, IID_IUnknown) || IsEqualIID(riid, IID_ITBasicCallControl) ||
      IsEqualIID(riid, IID_ITBasicCallControl2)) {
    *ppv = static_cast<ITBasicCallControl2*>(this);
  } else if (IsEqualIID(riid, IID_IDispatch) || IsEqualIID(riid, IID_ITCallInfo) || IsEqualIID(riid, IID_ITCallInfo2)) {
    *ppv = static_cast<ITCallInfo2*>(this);
  } else if (IsEqualIID(riid, IID_ITStreamControl)) {
    *ppv = static_cast<ITStreamControl*>(this);
  } else {
    *ppv = nullptr;
    return E_NOINTERFACE;
  }
  AddRef();
  return S_OK;
}

ULONG Call::Release() {
  const ULONG n = refs_.release();
  if (n != 0) return n;
  // Identity first: a new object may be made for the record from here on.
  const auto engine = engine_;
  const auto rec = rec_;
  CallTable& table = engine->calls();
  {
    std::lock_guard lock(table.identity_mu());
    if (rec->wrapper == this) rec->wrapper = nullptr;
  }
  delete this;
  try {
    table.released(rec);
  } catch (...) {
    // Out of memory for the cleanup: the handle stays until Shutdown.
  }
  return 0;
}

HRESULT Call::control(const std::function<LONG(HCALL)>& request, HRESULT without_handle) {
  HCALL handle = 0;
  {
    port::MutexLock lock(engine_->mu());
    if (!engine_->running()) return TAPI_E_NOT_INITIALIZED;
    if (rec_->handle == 0) return without_handle;
    handle = rec_->handle;
  }
  return engine_->request(nullptr, [&] { return request(handle); });
}

// ---- ITBasicCallControl ----------------------------------------------------------------

HRESULT Call::Connect(VARIANT_BOOL fSync) {
  return com_call([&] { return engine_->calls().connect(rec_, fSync != VARIANT_FALSE); });
}

HRESULT Call::Answer() {
  return com_call([&]() -> HRESULT {
    {
      port::MutexLock lock(engine_->mu());
      if (!engine_->running()) return TAPI_E_NOT_INITIALIZED;
      // ITBasicCallControl::Answer: E_UNEXPECTED when the call is not CS_OFFERING.
      if (rec_->state != CS_OFFERING) return E_UNEXPECTED;
    }
    const HRESULT hr = control([&](HCALL h) { return engine_->api().answer(h); }, E_UNEXPECTED);
    if (hr == static_cast<HRESULT>(LINEERR_INVALCALLSTATE)) return E_UNEXPECTED;  // it stopped offering meanwhile
    return call_control_hresult(hr);
  });
}

HRESULT Call::Disconnect(DISCONNECT_CODE code) {
  if (!in_range(enum_value(code), DC_NORMAL, DC_REJECTED)) return E_INVALIDARG;
  return com_call([&]() -> HRESULT {
    {
      port::MutexLock lock(engine_->mu());
      if (!engine_->running()) return TAPI_E_NOT_INITIALIZED;
      // ITBasicCallControl::Disconnect: S_FALSE for a call in CS_IDLE or
      // without a valid handle (never connected, or already given back).
      if (rec_->handle == 0 || rec_->line_state == LINECALLSTATE_IDLE) return S_FALSE;
    }
    // Every code drops the call (lineDrop, which carries no reason); an
    // offered call dropped is rejected at the caller (docs/porting.md "Calls").
    const HRESULT hr = control([&](HCALL h) { return engine_->api().drop(h); }, S_FALSE);
    if (hr == static_cast<HRESULT>(LINEERR_INVALCALLHANDLE)) return S_FALSE;
    return call_control_hresult(hr);
  });
}

HRESULT Call::Hold(VARIANT_BOOL fHold) {
  return com_call([&] {
    const bool hold = fHold != VARIANT_FALSE;
    return call_control_hresult(control(
        [&](HCALL h) { return hold ? engine_->api().hold(h) : engine_->api().unhold(h); }, TAPI_E_INVALCALLSTATE));
  });
}

HRESULT Call::BlindTransfer(BSTR pDestAddress) {
  if (pDestAddress == nullptr) return E_POINTER;
  return com_call([&] {
    const std::wstring destination(pDestAddress, SysStringLen(pDestAddress));
    return call_control_hresult(control(
        [&](HCALL h) { return engine_->api().blind_transfer(h, destination.c_str(), 0); }, TAPI_E_INVALCALLSTATE));
  });
}

// What the switch does not offer (consultation calls, conferences, park,
// pickup, handoff, dialing into a call, quality of service): documented as
// TAPI_E_NOTSUPPORTED in docs/porting.md "Calls".
HRESULT Call::HandoffDirect(BSTR pApplicationName) {
  if (pApplicationName == nullptr) return E_POINTER;
  return TAPI_E_NOTSUPPORTED;
}
HRESULT Call::HandoffIndirect(LONG) { return TAPI_E_NOTSUPPORTED; }
HRESULT Call::Conference(ITBasicCallControl* pCall, VARIANT_BOOL) {
  if (pCall == nullptr) return E_POINTER;
  return TAPI_E_NOTSUPPORTED;
}
HRESULT Call::Transfer(ITBasicCallControl* pCall, VARIANT_BOOL) {
  if (pCall == nullptr) return E_POINTER;
  return TAPI_E_NOTSUPPORTED;
}
HRESULT Call::SwapHold(ITBasicCallControl* pCall) {
  if (pCall == nullptr) return E_POINTER;
  return TAPI_E_NOTSUPPORTED;
}
HRESULT Call::ParkDirect(BSTR pParkAddress) {
  if (pParkAddress == nullptr) return E_POINTER;
  return TAPI_E_NOTSUPPORTED;
}
HRESULT Call::ParkIndirect(BSTR* ppNonDirAddress) {
  if (ppNonDirAddress == nullptr) return E_POINTER;
  *ppNonDirAddress = nullptr;
  return TAPI_E_NOTSUPPORTED;
}
HRESULT Call::Unpark() { return TAPI_E_NOTSUPPORTED; }
HRESULT Call::SetQOS(LONG, QOS_SERVICE_LEVEL) { return TAPI_E_NOTSUPPORTED; }
HRESULT Call::Pickup(BSTR) { return TAPI_E_NOTSUPPORTED; }
HRESULT Call::Dial(BSTR pDestAddress) {
  if (pDestAddress == nullptr) return E_POINTER;
  return TAPI_E_NOTSUPPORTED;
}
HRESULT Call::Finish(FINISH_MODE) { return TAPI_E_NOTSUPPORTED; }
HRESULT Call::RemoveFromConference() { return TAPI_E_NOTSUPPORTED; }

// ---- ITCallInfo --------------------------------------------------------------------------

HRESULT Call::get_Address(ITAddress** ppAddress) {
  if (ppAddress == nullptr) return E_POINTER;
  *ppAddress = nullptr;
  return com_call([&]() -> HRESULT {
    if (!engine_->check_running()) return TAPI_E_NOT_INITIALIZED;
    *ppAddress = engine_->object_for<Address>(rec_->address);
    return S_OK;
  });
}

HRESULT Call::get_CallState(CALL_STATE* pCallState) {
  if (pCallState == nullptr) return E_POINTER;
  port::MutexLock lock(engine_->mu());
  if (!engine_->running()) return TAPI_E_NOT_INITIALIZED;
  *pCallState = rec_->state;
  return S_OK;
}

HRESULT Call::get_Privilege(CALL_PRIVILEGE* pPrivilege) {
  if (pPrivilege == nullptr) return E_POINTER;
  port::MutexLock lock(engine_->mu());
  if (!engine_->running()) return TAPI_E_NOT_INITIALIZED;
  *pPrivilege = rec_->privilege;
  return S_OK;
}

HRESULT Call::get_CallHub(ITCallHub** ppCallHub) {
  if (ppCallHub == nullptr) return E_POINTER;
  *ppCallHub = nullptr;
  return TAPI_E_NOTSUPPORTED;  // call hubs are not tracked (docs/porting.md)
}

HRESULT Call::get_CallInfoLong(CALLINFO_LONG CallInfoLong, LONG* plCallInfoLongVal) {
  if (plCallInfoLongVal == nullptr) return E_POINTER;
  const LONG which = enum_value(CallInfoLong);
  if (!in_range(which, CIL_MEDIATYPESAVAILABLE, CIL_MONITORMEDIAMODES)) return E_INVALIDARG;
  return com_call([&]() -> HRESULT {
    OutgoingParams params;
    bool started = true;
    {
      port::MutexLock lock(engine_->mu());
      if (!engine_->running()) return TAPI_E_NOT_INITIALIZED;
      params = rec_->params;
      started = !not_started(*rec_);
    }
    // Items only LINECALLPARAMS carries, and every item before Connect.
    const auto from_params = [&]() -> std::optional<LONG> {
      switch (which) {
        case CIL_MEDIATYPESAVAILABLE:
          return params.media_types;
        case CIL_BEARERMODE:
          return static_cast<LONG>(params.bearer_mode);
        case CIL_CALLEDIDADDRESSTYPE:
          return params.address_type;
        case CIL_CALLPARAMSFLAGS:
          return static_cast<LONG>(params.call_param_flags);
        case CIL_MINRATE:
          return static_cast<LONG>(params.min_rate);
        case CIL_MAXRATE:
          return static_cast<LONG>(params.max_rate);
        case CIL_COUNTRYCODE:
          return static_cast<LONG>(params.country_code);
        default:
          return std::nullopt;
      }
    };
    if (which == CIL_MINRATE || which == CIL_MAXRATE || !started) {
      const auto v = from_params();
      if (!v) return TAPI_E_INVALCALLSTATE;  // the switch has not said yet
      *plCallInfoLongVal = *v;
      return S_OK;
    }
    std::shared_ptr<const std::vector<unsigned char>> info;
    const HRESULT hr = engine_->calls().call_info(rec_, &info);
    if (FAILED(hr)) return hr;
    const auto v = call_info_long(info->data(), info->size(), static_cast<CALLINFO_LONG>(which));
    if (!v) return TAPI_E_INVALCALLSTATE;
    *plCallInfoLongVal = *v;
    return S_OK;
  });
}

HRESULT Call::put_CallInfoLong(CALLINFO_LONG CallInfoLong, LONG lCallInfoLongVal) {
  const LONG which = enum_value(CallInfoLong);
  if (!in_range(which, CIL_MEDIATYPESAVAILABLE, CIL_MONITORMEDIAMODES)) return E_INVALIDARG;
  if (which == CIL_APPSPECIFIC) {
    // lineSetAppSpecific on the call's handle (docs/porting.md "Calls"):
    // there is none before Connect's reply or after deallocation.
    const auto v = static_cast<DWORD>(lCallInfoLongVal);
    return com_call([&]() -> HRESULT {
      HCALL handle = 0;
      {
        port::MutexLock lock(engine_->mu());
        if (!engine_->running()) return TAPI_E_NOT_INITIALIZED;
        if (rec_->handle == 0) return TAPI_E_INVALCALLSTATE;
        handle = rec_->handle;
      }
      return call_control_hresult(engine_->api().set_app_specific(handle, v));
    });
  }
  if (!settable_long(which)) return E_INVALIDARG;  // read-only items
  port::MutexLock lock(engine_->mu());
  if (!engine_->running()) return TAPI_E_NOT_INITIALIZED;
  if (!not_started(*rec_)) return TAPI_E_INVALCALLSTATE;
  const auto v = static_cast<DWORD>(lCallInfoLongVal);
  switch (which) {
    case CIL_BEARERMODE:
      rec_->params.bearer_mode = v;
      break;
    case CIL_CALLPARAMSFLAGS:
      rec_->params.call_param_flags = v;
      break;
    case CIL_MINRATE:
      rec_->params.min_rate = v;
      break;
    case CIL_MAXRATE:
      rec_->params.max_rate = v;
      break;
    default:
      rec_->params.country_code = v;
      break;
  }
  return S_OK;
}

HRESULT Call::get_CallInfoString(CALLINFO_STRING CallInfoString, BSTR* ppCallInfoString) {
  if (ppCallInfoString == nullptr) return E_POINTER;
  *ppCallInfoString = nullptr;
  const LONG which = enum_value(CallInfoString);
  if (!in_range(which, CIS_CALLERIDNAME, CIS_CALLINGPARTYID)) return E_INVALIDARG;
  return com_call([&]() -> HRESULT {
    OutgoingParams params;
    bool started = true;
    {
      port::MutexLock lock(engine_->mu());
      if (!engine_->running()) return TAPI_E_NOT_INITIALIZED;
      params = rec_->params;
      started = !not_started(*rec_);
    }
    if (which == CIS_CALLINGPARTYID || !started) {
      // Before Connect the call knows what the program gave it; an item it
      // was not given is empty.
      switch (which) {
        case CIS_CALLEDIDNUMBER:
          return copy_bstr(params.destination, ppCallInfoString);
        case CIS_CALLINGPARTYID:
          return copy_bstr(params.calling_party_id, ppCallInfoString);
        case CIS_COMMENT:
          return copy_bstr(params.comment, ppCallInfoString);
        case CIS_DISPLAYABLEADDRESS:
          return copy_bstr(params.displayable_address, ppCallInfoString);
        case CIS_CALLEDPARTYFRIENDLYNAME:
          return copy_bstr(params.called_party, ppCallInfoString);
        default:
          return copy_bstr(L"", ppCallInfoString);
      }
    }
    std::shared_ptr<const std::vector<unsigned char>> info;
    const HRESULT hr = engine_->calls().call_info(rec_, &info);
    if (FAILED(hr)) return hr;
    const auto s = call_info_string(info->data(), info->size(), static_cast<CALLINFO_STRING>(which));
    return copy_bstr(s ? *s : std::wstring(), ppCallInfoString);
  });
}

HRESULT Call::put_CallInfoString(CALLINFO_STRING CallInfoString, BSTR pCallInfoString) {
  const LONG which = enum_value(CallInfoString);
  if (!in_range(which, CIS_CALLERIDNAME, CIS_CALLINGPARTYID) || !settable_string(which)) return E_INVALIDARG;
  return com_call([&]() -> HRESULT {
    // A NULL BSTR is the empty string (COM).
    std::wstring value =
        pCallInfoString == nullptr ? std::wstring() : std::wstring(pCallInfoString, SysStringLen(pCallInfoString));
    port::MutexLock lock(engine_->mu());
    if (!engine_->running()) return TAPI_E_NOT_INITIALIZED;
    if (!not_started(*rec_)) return TAPI_E_INVALCALLSTATE;
    switch (which) {
      case CIS_CALLINGPARTYID:
        rec_->params.calling_party_id = std::move(value);
        break;
      case CIS_COMMENT:
        rec_->params.comment = std::move(value);
        break;
      case CIS_DISPLAYABLEADDRESS:
        rec_->params.displayable_address = std::move(value);
        break;
      default:
        rec_->params.called_party = std::move(value);
        break;
    }
    return S_OK;
  });
}

// The Automation forms carry the buffer in a SAFEARRAY, which this COM
// runtime does not provide: GetCallInfoBuffer / SetCallInfoBuffer are the
// ways in (docs/porting.md).
HRESULT Call::get_CallInfoBuffer(CALLINFO_BUFFER CallInfoBuffer, VARIANT* ppCallInfoBuffer) {
  if (ppCallInfoBuffer == nullptr) return E_POINTER;
  VariantInit(ppCallInfoBuffer);
  if (!in_range(enum_value(CallInfoBuffer), CIB_USERUSERINFO, CIB_LOWLEVELCOMPATIBILITYBUFFER)) return E_INVALIDARG;
  return TAPI_E_NOTSUPPORTED;
}
HRESULT Call::put_CallInfoBuffer(CALLINFO_BUFFER CallInfoBuffer, VARIANT) {
  if (!in_range(enum_value(CallInfoBuffer), CIB_USERUSERINFO, CIB_LOWLEVELCOMPATIBILITYBUFFER)) return E_INVALIDARG;
  return TAPI_E_NOTSUPPORTED;
}

HRESULT Call::GetCallInfoBuffer(CALLINFO_BUFFER CallInfoBuffer, DWORD* pdwSize, BYTE** ppCallInfoBuffer) {
  if (pdwSize == nullptr || ppCallInfoBuffer == nullptr) return E_POINTER;
  *pdwSize = 0;
  *ppCallInfoBuffer = nullptr;
  const LONG which = enum_value(CallInfoBuffer);
  if (!in_range(which, CIB_USERUSERINFO, CIB_LOWLEVELCOMPATIBILITYBUFFER)) return E_INVALIDARG;
  return com_call([&]() -> HRESULT {
    std::vector<unsigned char> bytes;
    bool started = true;
    {
      port::MutexLock lock(engine_->mu());
      if (!engine_->running()) return TAPI_E_NOT_INITIALIZED;
      started = !not_started(*rec_);
      if (!started && which == CIB_USERUSERINFO) bytes = rec_->params.user_user_info;
      if (!started && which == CIB_CALLDATABUFFER) bytes = rec_->params.call_data;
    }
    if (started) {
      std::shared_ptr<const std::vector<unsigned char>> info;
      const HRESULT hr = engine_->calls().call_info(rec_, &info);
      if (FAILED(hr)) return hr;
      const auto b = call_info_buffer(info->data(), info->size(), static_cast<CALLINFO_BUFFER>(which));
      if (!b) return TAPI_E_INVALCALLSTATE;
      bytes = *b;
    }
    if (bytes.empty()) return S_OK;
    // The caller frees it with CoTaskMemFree, as on Windows.
    auto* out = static_cast<BYTE*>(CoTaskMemAlloc(bytes.size()));
    if (out == nullptr) return E_OUTOFMEMORY;
    std::memcpy(out, bytes.data(), bytes.size());
    *ppCallInfoBuffer = out;
    *pdwSize = static_cast<DWORD>(bytes.size());
    return S_OK;
  });
}

HRESULT Call::SetCallInfoBuffer(CALLINFO_BUFFER CallInfoBuffer, DWORD dwSize, BYTE* pCallInfoBuffer) {
  const LONG which = enum_value(CallInfoBuffer);
  if (!in_range(which, CIB_USERUSERINFO, CIB_LOWLEVELCOMPATIBILITYBUFFER)) return E_INVALIDARG;
  if (dwSize != 0 && pCallInfoBuffer == nullptr) return E_POINTER;
  if (!settable_buffer(which)) return E_INVALIDARG;
  return com_call([&]() -> HRESULT {
    std::vector<unsigned char> bytes(pCallInfoBuffer, pCallInfoBuffer + dwSize);
    port::MutexLock lock(engine_->mu());
    if (!engine_->running()) return TAPI_E_NOT_INITIALIZED;
    if (!not_started(*rec_)) return TAPI_E_INVALCALLSTATE;
    (which == CIB_USERUSERINFO ? rec_->params.user_user_info : rec_->params.call_data) = std::move(bytes);
    return S_OK;
  });
}

HRESULT Call::ReleaseUserUserInfo() { return TAPI_E_NOTSUPPORTED; }

// ---- ITCallInfo2 -------------------------------------------------------------------------

HRESULT Call::get_EventFilter(TAPI_EVENT TapiEvent, LONG lSubEvent, VARIANT_BOOL* pEnable) {
  if (pEnable == nullptr) return E_POINTER;
  const LONG kind = enum_value(TapiEvent);
  if (!call_event_kind(kind)) return E_INVALIDARG;
  port::MutexLock lock(engine_->mu());
  if (!engine_->running()) return TAPI_E_NOT_INITIALIZED;
  *pEnable =
      engine_->calls().wanted_locked(*rec_, static_cast<TAPI_EVENT>(kind), lSubEvent) ? VARIANT_TRUE : VARIANT_FALSE;
  return S_OK;
}

HRESULT Call::put_EventFilter(TAPI_EVENT TapiEvent, LONG lSubEvent, VARIANT_BOOL bEnable) {
  const LONG kind = enum_value(TapiEvent);
  if (!call_event_kind(kind)) return E_INVALIDARG;
  return com_call([&]() -> HRESULT {
    port::MutexLock lock(engine_->mu());
    if (!engine_->running()) return TAPI_E_NOT_INITIALIZED;
    rec_->event_filter[{kind, lSubEvent}] = bEnable != VARIANT_FALSE;
    return S_OK;
  });
}

}  // namespace opentapi::tapi3
