// ITAddress: an address on which ACD calls arrive (tapi3-callcenter.md §2,
// ITAgent::CreateSession). Only what a call-center program needs is
// implemented; call control is E_NOTIMPL (docs/porting.md).
#include "tapi3/objects.h"

namespace opentapi::tapi3 {

// {6F70656E-7461-7069-8000-000000000001}: "opentapi", private.
const IID kImplAddress = {0x6F70656E, 0x7461, 0x7069, {0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01}};

HRESULT Address::QueryInterface(REFIID riid, void** ppv) {
  if (ppv == nullptr) return E_POINTER;
  if (IsEqualIID(riid, IID_IUnknown) || IsEqualIID(riid, IID_IDispatch) || IsEqualIID(riid, IID_ITAddress)) {
    *ppv = static_cast<ITAddress*>(this);
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
  *pAddressState = engine_->line_open(rec_->device) ? AS_INSERVICE : AS_OUTOFSERVICE;
  return S_OK;
}

HRESULT Address::get_AddressName(BSTR* ppName) {
  if (ppName == nullptr) return E_POINTER;
  return com_call([&] {
    port::MutexLock lock(engine_->mu());
    if (!engine_->running()) return TAPI_E_NOT_INITIALIZED;
    return copy_bstr(rec_->name, ppName);
  });
}

HRESULT Address::get_ServiceProviderName(BSTR* ppName) {
  if (ppName == nullptr) return E_POINTER;
  if (!engine_->check_running()) return TAPI_E_NOT_INITIALIZED;
  return copy_bstr(L"opentapi", ppName);
}

HRESULT Address::get_TAPIObject(ITTAPI** ppTapiObject) {
  if (ppTapiObject == nullptr) return E_POINTER;
  if (!engine_->check_running()) return TAPI_E_NOT_INITIALIZED;
  ITTAPI* tapi = engine_->owner_ref();
  if (tapi == nullptr) return TAPI_E_NOT_INITIALIZED;
  *ppTapiObject = tapi;
  return S_OK;
}

HRESULT Address::CreateCall(BSTR, LONG, LONG, ITBasicCallControl** ppCall) {
  if (ppCall != nullptr) *ppCall = nullptr;
  return E_NOTIMPL;
}
HRESULT Address::get_Calls(VARIANT*) { return E_NOTIMPL; }
HRESULT Address::EnumerateCalls(IEnumCall** ppCallEnum) {
  if (ppCallEnum != nullptr) *ppCallEnum = nullptr;
  return E_NOTIMPL;
}
HRESULT Address::get_DialableAddress(BSTR*) { return E_NOTIMPL; }
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
