// ITAddress: a line address, where an agent session's calls arrive and
// where calls are made (docs/calls.md). Forwarding, message waiting and
// do-not-disturb are E_NOTIMPL (docs/porting.md).
#include "tapi3/calls.h"
#include "tapi3/objects.h"

namespace opentapi::tapi3 {
namespace {

using EnumCallImpl = Enumerator<IEnumCall, ITCallInfo, IID_IEnumCall>;

}  // namespace

// {6F70656E-7461-7069-8000-000000000001}: "opentapi", private.
const IID kImplAddress = {0x6F70656E, 0x7461, 0x7069, {0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01}};

HRESULT Address::QueryInterface(REFIID riid, void** ppv) {
  if (ppv == nullptr) return E_POINTER;
  if (IsEqualIID(riid, IID_IUnknown) || IsEqualIID(riid, IID_IDispatch) || IsEqualIID(riid, IID_ITAddress)) {
    *ppv = static_cast<ITAddress*>(this);
  } else if (IsEqualIID(riid, IID_ITAddressCapabilities)) {
    *ppv = static_cast<ITAddressCapabilities*>(this);
  } else if (IsEqualIID(riid, IID_ITMediaSupport)) {
    *ppv = static_cast<ITMediaSupport*>(this);
  } else if (IsEqualIID(riid, IID_ITTerminalSupport)) {
    *ppv = static_cast<ITTerminalSupport*>(this);
  } else if (IsEqualIID(riid, kImplAddress)) {
    *ppv = this;
  } else {
    *ppv = nullptr;
    return E_NOINTERFACE;
  }
  AddRef();
  return S_OK;
}

HRESULT Address::get_State(ADDRESS_STATE* pAddressState) {
  if (pAddressState == nullptr) return E_POINTER;
  port::MutexLock lock(engine_->mu());
  if (!engine_->running()) return TAPI_E_NOT_INITIALIZED;
  // Out of service while closed, and while libopentapi resumes the
  // application after its server was lost (LINE_LINEDEVSTATE, docs/porting.md).
  *pAddressState = engine_->line_in_service(rec_->device) ? AS_INSERVICE : AS_OUTOFSERVICE;
  return S_OK;
}

HRESULT Address::get_AddressName(BSTR* ppName) {
  if (ppName == nullptr) return E_POINTER;
  *ppName = nullptr;
  return com_call([&] {
    port::MutexLock lock(engine_->mu());
    if (!engine_->running()) return TAPI_E_NOT_INITIALIZED;
    return copy_bstr(rec_->name, ppName);
  });
}

HRESULT Address::get_ServiceProviderName(BSTR* ppName) {
  if (ppName == nullptr) return E_POINTER;
  *ppName = nullptr;
  if (!engine_->check_running()) return TAPI_E_NOT_INITIALIZED;
  return copy_bstr(L"opentapi", ppName);
}

HRESULT Address::get_TAPIObject(ITTAPI** ppTapiObject) {
  if (ppTapiObject == nullptr) return E_POINTER;
  *ppTapiObject = nullptr;
  if (!engine_->check_running()) return TAPI_E_NOT_INITIALIZED;
  ITTAPI* tapi = engine_->owner_ref();
  if (tapi == nullptr) return TAPI_E_NOT_INITIALIZED;
  *ppTapiObject = tapi;
  return S_OK;
}

HRESULT Address::CreateCall(BSTR pDestAddress, LONG lAddressType, LONG lMediaTypes, ITBasicCallControl** ppCall) {
  if (ppCall == nullptr) return E_POINTER;
  *ppCall = nullptr;
  // ITAddress::CreateCall: E_INVALIDARG for an address type the address does
  // not take, or more than one.
  const auto types =
      address_capability(reinterpret_cast<const LINEDEVCAPS*>(rec_->dev_caps ? rec_->dev_caps->data() : nullptr),
                         rec_->dev_caps ? rec_->dev_caps->size() : 0, nullptr, 0, rec_->address_id, AC_ADDRESSTYPES);
  if (lAddressType == 0 || (lAddressType & (lAddressType - 1)) != 0 || (lAddressType & types.value_or(0)) == 0) {
    return E_INVALIDARG;
  }
  if (lMediaTypes == 0 || (lMediaTypes & ~rec_->media_types) != 0) return TAPI_E_INVALIDMEDIATYPE;
  return com_call([&] {
    OutgoingParams params;
    // A NULL destination is allowed (ITBasicCallControl::Dial would give it).
    params.has_destination = pDestAddress != nullptr;
    if (pDestAddress != nullptr) params.destination.assign(pDestAddress, SysStringLen(pDestAddress));
    params.address_type = lAddressType;
    params.media_types = lMediaTypes;
    return engine_->calls().create_call(rec_, std::move(params), ppCall);
  });
}

HRESULT Address::calls(RefList<ITCallInfo>* out) {
  if (!engine_->check_running()) return TAPI_E_NOT_INITIALIZED;
  for (const auto& rec : engine_->calls().calls_of(*rec_)) {
    out->adopt(static_cast<ITCallInfo*>(engine_->calls().object(rec)));
  }
  return S_OK;
}

HRESULT Address::get_Calls(VARIANT* pVariant) {
  if (pVariant == nullptr) return E_POINTER;
  VariantInit(pVariant);
  return com_call([&] {
    RefList<ITCallInfo> list;
    const HRESULT hr = calls(&list);
    if (FAILED(hr)) return hr;
    return make_collection_variant(as_dispatch_list(list), pVariant);
  });
}

HRESULT Address::EnumerateCalls(IEnumCall** ppCallEnum) {
  if (ppCallEnum == nullptr) return E_POINTER;
  *ppCallEnum = nullptr;
  return com_call([&] {
    RefList<ITCallInfo> list;
    const HRESULT hr = calls(&list);
    if (FAILED(hr)) return hr;
    return EnumCallImpl::create(std::move(list), ppCallEnum);
  });
}

HRESULT Address::get_DialableAddress(BSTR* pDialableAddress) {
  if (pDialableAddress == nullptr) return E_POINTER;
  *pDialableAddress = nullptr;
  if (!engine_->check_running()) return TAPI_E_NOT_INITIALIZED;
  // LINEADDRESSCAPS.dwAddress: the address's number (docs/calls.md).
  return com_call([&] { return copy_bstr(rec_->number, pDialableAddress); });
}
HRESULT Address::CreateForwardInfoObject(ITForwardInformation** pp) {
  if (pp != nullptr) *pp = nullptr;
  return E_NOTIMPL;
}
HRESULT Address::Forward(ITForwardInformation*, ITBasicCallControl*) { return E_NOTIMPL; }
HRESULT Address::get_CurrentForwardInfo(ITForwardInformation** pp) {
  if (pp != nullptr) *pp = nullptr;
  return E_NOTIMPL;
}
HRESULT Address::put_MessageWaiting(VARIANT_BOOL) { return E_NOTIMPL; }
HRESULT Address::get_MessageWaiting(VARIANT_BOOL*) { return E_NOTIMPL; }
HRESULT Address::put_DoNotDisturb(VARIANT_BOOL) { return E_NOTIMPL; }
HRESULT Address::get_DoNotDisturb(VARIANT_BOOL*) { return E_NOTIMPL; }

}  // namespace opentapi::tapi3
