// The small COM toolkit every object of the TAPI 3 layer is built from:
// reference counts, the exception barrier at each COM boundary, IDispatch
// without type information, out-parameter helpers and the live-object
// counter the leak tests read.
#ifndef OPENTAPI_TAPI3_COM_SUPPORT_H_
#define OPENTAPI_TAPI3_COM_SUPPORT_H_

#include <atomic>
#include <cstring>
#include <new>
#include <string>
#include <string_view>

#include "tapi3.h"

namespace opentapi::tapi3 {

// Number of COM objects of this layer currently alive (all classes), and of
// engines (one per initialized TAPI object). Read by tests; a leak shows as
// a count that does not return to zero.
std::atomic<long>& live_object_count();
std::atomic<long>& live_engine_count();

// Member of every COM class: counts it in live_object_count().
class LiveObject {
 public:
  LiveObject() { live_object_count().fetch_add(1); }
  ~LiveObject() { live_object_count().fetch_sub(1); }
  LiveObject(const LiveObject&) = delete;
  LiveObject& operator=(const LiveObject&) = delete;
};

// A COM reference count starting at 1 (the creator's reference).
class RefCount {
 public:
  ULONG add() { return count_.fetch_add(1, std::memory_order_relaxed) + 1; }
  // Returns the new count; the caller deletes the object at 0.
  ULONG release() { return count_.fetch_sub(1, std::memory_order_acq_rel) - 1; }
  // AddRef unless the count already reached 0 (the object is being
  // destroyed): how an identity cache hands out an existing object.
  bool try_add() {
    ULONG n = count_.load(std::memory_order_relaxed);
    while (n != 0) {
      if (count_.compare_exchange_weak(n, n + 1, std::memory_order_acq_rel)) return true;
    }
    return false;
  }

 private:
  std::atomic<ULONG> count_{1};
};

// The exception barrier of every COM method (STYLE.md: no exception crosses
// a COM boundary): bad_alloc becomes E_OUTOFMEMORY, anything else E_UNEXPECTED.
template <class F>
HRESULT com_call(F&& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return E_OUTOFMEMORY;
  } catch (...) {
    return E_UNEXPECTED;
  }
}

// A TAPI 2 result as the HRESULT of a TAPI 3 method (docs/reference/tapi3-callcenter.md
// §6.3): 0 (and, defensively, any non-negative value) is S_OK, a LINEERR is
// returned unchanged.
inline HRESULT hresult_from_lineerr(LONG result) { return result < 0 ? static_cast<HRESULT>(result) : S_OK; }

// The integer a caller passed for an enum parameter. Read as bytes: a C
// program (or a careless C++ one) may pass any value, and E_INVALIDARG must
// be reachable without loading an out-of-range enum.
template <class E>
LONG enum_value(const E& e) {
  static_assert(sizeof(E) == sizeof(LONG));
  LONG v = 0;
  std::memcpy(&v, &e, sizeof v);
  return v;
}

// *out = a new BSTR holding text; E_OUTOFMEMORY if it cannot be allocated.
HRESULT copy_bstr(std::wstring_view text, BSTR* out);

// Fills *out with an AddRef'd IDispatch inside a VT_DISPATCH VARIANT.
void set_dispatch_variant(VARIANT* out, IDispatch* dispatch);

// CONNECT_E_CANNOTCONNECT: the sink does not implement the outgoing interface.
inline constexpr HRESULT kConnectCannotConnect = static_cast<HRESULT>(0x80040202L);

// IDispatch for dual interfaces without a type library: early binding (the
// vtable) is the supported way in; late binding reports no members.
#define OPENTAPI_NO_TYPEINFO_DISPATCH                                                                               \
  HRESULT STDMETHODCALLTYPE GetTypeInfoCount(UINT* pctinfo) override {                                              \
    if (pctinfo == nullptr) return E_POINTER;                                                                       \
    *pctinfo = 0;                                                                                                   \
    return S_OK;                                                                                                    \
  }                                                                                                                 \
  HRESULT STDMETHODCALLTYPE GetTypeInfo(UINT, LCID, ITypeInfo** ppTInfo) override {                                 \
    if (ppTInfo != nullptr) *ppTInfo = nullptr;                                                                     \
    return DISP_E_BADINDEX;                                                                                         \
  }                                                                                                                 \
  HRESULT STDMETHODCALLTYPE GetIDsOfNames(REFIID, LPOLESTR*, UINT cNames, LCID, DISPID* rgDispId) override {        \
    if (rgDispId != nullptr) {                                                                                      \
      for (UINT i = 0; i < cNames; ++i) rgDispId[i] = DISPID_UNKNOWN;                                               \
    }                                                                                                               \
    return DISP_E_UNKNOWNNAME;                                                                                      \
  }                                                                                                                 \
  HRESULT STDMETHODCALLTYPE Invoke(DISPID, REFIID, LCID, WORD, DISPPARAMS*, VARIANT*, EXCEPINFO*, UINT*) override { \
    return DISP_E_MEMBERNOTFOUND;                                                                                   \
  }

// AddRef / Release for a class with a RefCount refs_ whose last Release
// deletes it.
#define OPENTAPI_SIMPLE_REFCOUNT                                    \
  ULONG STDMETHODCALLTYPE AddRef() override { return refs_.add(); } \
  ULONG STDMETHODCALLTYPE Release() override {                      \
    const ULONG n = refs_.release();                                \
    if (n == 0) delete this;                                        \
    return n;                                                       \
  }

}  // namespace opentapi::tapi3

#endif  // OPENTAPI_TAPI3_COM_SUPPORT_H_
