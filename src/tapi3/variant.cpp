// VARIANT handling with Windows semantics (tapi_com.h): what a VARIANT owns
// is freed by VariantClear and duplicated by VariantCopy.
//
// A VARIANT owns its BSTR (VT_BSTR) and one reference on its interface
// (VT_UNKNOWN, VT_DISPATCH). VT_BYREF values point at storage owned by someone
// else and are never freed. SAFEARRAYs and records are not provided yet, so
// VT_ARRAY and VT_RECORD are refused with DISP_E_BADVARTYPE rather than
// leaked or freed wrongly.
#include <cstring>

#include "tapi3/com_support.h"
#include "tapi_com.h"

namespace {

// Whether a VARIANT of type vt is one this runtime knows how to clear/copy.
bool is_supported(VARTYPE vt) {
  const VARTYPE base = vt & VT_TYPEMASK;
  if ((vt & ~(VT_TYPEMASK | VT_BYREF)) != 0) return false;  // VT_ARRAY, VT_VECTOR, reserved bits
  switch (base) {
    case VT_EMPTY:
    case VT_NULL:
      return (vt & VT_BYREF) == 0;
    case VT_I2:
    case VT_I4:
    case VT_R4:
    case VT_R8:
    case VT_CY:
    case VT_DATE:
    case VT_BSTR:
    case VT_DISPATCH:
    case VT_ERROR:
    case VT_BOOL:
    case VT_UNKNOWN:
    case VT_DECIMAL:
    case VT_I1:
    case VT_UI1:
    case VT_UI2:
    case VT_UI4:
    case VT_I8:
    case VT_UI8:
    case VT_INT:
    case VT_UINT:
      return true;
    case VT_VARIANT:  // only meaningful as a reference to another VARIANT
      return (vt & VT_BYREF) != 0;
    default:
      return false;
  }
}

}  // namespace

// No exception crosses these C functions (docs/tapi2.md "No exception crosses
// the C API"): they allocate with the BSTR functions (C allocation, no
// exceptions), but they call AddRef and Release of objects that are not
// ours, so Clear and Copy run inside com_call.
extern "C" {

void VariantInit(VARIANTARG* pvarg) {
  if (pvarg == nullptr) return;
  std::memset(pvarg, 0, sizeof *pvarg);
  pvarg->vt = VT_EMPTY;
}

HRESULT VariantClear(VARIANTARG* pvarg) {
  return opentapi::tapi3::com_call([&]() -> HRESULT {
    if (pvarg == nullptr) return E_INVALIDARG;
    if (!is_supported(pvarg->vt)) return DISP_E_BADVARTYPE;
    switch (pvarg->vt) {
      case VT_BSTR:
        SysFreeString(pvarg->bstrVal);
        break;
      case VT_UNKNOWN:
        if (pvarg->punkVal != nullptr) pvarg->punkVal->Release();
        break;
      case VT_DISPATCH:
        if (pvarg->pdispVal != nullptr) pvarg->pdispVal->Release();
        break;
      default:  // values and VT_BYREF: nothing owned
        break;
    }
    VariantInit(pvarg);  // VT_EMPTY, and no dangling pointer for a second Clear
    return S_OK;
  });
}

HRESULT VariantCopy(VARIANTARG* pvargDest, const VARIANTARG* pvargSrc) {
  return opentapi::tapi3::com_call([&]() -> HRESULT {
    if (pvargDest == nullptr || pvargSrc == nullptr) return E_INVALIDARG;
    if (pvargDest == pvargSrc) return S_OK;
    if (!is_supported(pvargSrc->vt)) return DISP_E_BADVARTYPE;
    const HRESULT cleared = VariantClear(pvargDest);
    if (FAILED(cleared)) return cleared;

    *pvargDest = *pvargSrc;
    switch (pvargSrc->vt) {
      case VT_BSTR:
        if (pvargSrc->bstrVal != nullptr) {
          // Length-based copy keeps embedded NULs.
          pvargDest->bstrVal = SysAllocStringLen(pvargSrc->bstrVal, SysStringLen(pvargSrc->bstrVal));
          if (pvargDest->bstrVal == nullptr) {
            VariantInit(pvargDest);
            return E_OUTOFMEMORY;
          }
        }
        break;
      case VT_UNKNOWN:
        if (pvargDest->punkVal != nullptr) pvargDest->punkVal->AddRef();
        break;
      case VT_DISPATCH:
        if (pvargDest->pdispVal != nullptr) pvargDest->pdispVal->AddRef();
        break;
      default:  // values and VT_BYREF: a plain copy
        break;
    }
    return S_OK;
  });
}

}  // extern "C"
