#include "tapi3/com_support.h"

namespace opentapi::tapi3 {

std::atomic<long>& live_object_count() {
  static std::atomic<long> count{0};
  return count;
}

std::atomic<long>& live_engine_count() {
  static std::atomic<long> count{0};
  return count;
}

HRESULT copy_bstr(std::wstring_view text, BSTR* out) {
  if (out == nullptr) return E_POINTER;
  BSTR copy = SysAllocStringLen(text.data(), static_cast<UINT>(text.size()));
  if (copy == nullptr) return E_OUTOFMEMORY;
  *out = copy;
  return S_OK;
}

void set_dispatch_variant(VARIANT* out, IDispatch* dispatch) {
  VariantInit(out);
  out->vt = VT_DISPATCH;
  out->pdispVal = dispatch;
  if (dispatch != nullptr) dispatch->AddRef();
}

}  // namespace opentapi::tapi3
