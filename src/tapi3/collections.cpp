// ITCollection and its IEnumVARIANT (the Automation form of every Enumerate*
// method, docs/reference/tapi3-callcenter.md §1.1 rule 3).
#include "tapi3/collections.h"

namespace opentapi::tapi3 {
namespace {

// IEnumVARIANT over a snapshot of IDispatch pointers; each VARIANT handed
// out is VT_DISPATCH with its own reference (the caller VariantClears it).
class EnumVariant final : public IEnumVARIANT {
 public:
  EnumVariant(RefList<IDispatch> items, std::size_t pos) : items_(std::move(items)), pos_(pos) {}

  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppv) override {
    if (ppv == nullptr) return E_POINTER;
    if (IsEqualIID(riid, IID_IUnknown) || IsEqualIID(riid, IID_IEnumVARIANT)) {
      *ppv = static_cast<IEnumVARIANT*>(this);
      AddRef();
      return S_OK;
    }
    *ppv = nullptr;
    return E_NOINTERFACE;
  }
  OPENTAPI_SIMPLE_REFCOUNT

  // IEnumVARIANT::Next, unlike the IEnum* of TAPI, takes a NULL count for
  // any celt; every slot is VT_EMPTY first, so such a caller finds the end
  // by the first empty slot.
  HRESULT STDMETHODCALLTYPE Next(ULONG celt, VARIANT* vars, ULONG* fetched) override {
    if (vars == nullptr) return E_POINTER;
    for (ULONG i = 0; i < celt; ++i) VariantInit(&vars[i]);
    std::lock_guard lock(mu_);
    ULONG n = 0;
    while (n < celt && pos_ < items_.size()) set_dispatch_variant(&vars[n++], items_[pos_++]);
    if (fetched != nullptr) *fetched = n;
    return n == celt ? S_OK : S_FALSE;
  }
  HRESULT STDMETHODCALLTYPE Skip(ULONG celt) override {
    std::lock_guard lock(mu_);
    const std::size_t left = items_.size() - pos_;
    if (celt > left) {
      pos_ = items_.size();
      return S_FALSE;
    }
    pos_ += celt;
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE Reset() override {
    std::lock_guard lock(mu_);
    pos_ = 0;
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE Clone(IEnumVARIANT** out) override {
    if (out == nullptr) return E_POINTER;
    *out = nullptr;
    return com_call([&] {
      std::lock_guard lock(mu_);
      *out = new EnumVariant(RefList<IDispatch>(items_), pos_);
      return S_OK;
    });
  }

 private:
  ~EnumVariant() = default;

  LiveObject live_;
  RefCount refs_;
  std::mutex mu_;
  RefList<IDispatch> items_;
  std::size_t pos_ = 0;
};

// ITCollection: Count, 1-based Item, _NewEnum (Automation conventions).
class Collection final : public ITCollection {
 public:
  explicit Collection(RefList<IDispatch> items) : items_(std::move(items)) {}

  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppv) override {
    if (ppv == nullptr) return E_POINTER;
    if (IsEqualIID(riid, IID_IUnknown) || IsEqualIID(riid, IID_IDispatch) || IsEqualIID(riid, IID_ITCollection)) {
      *ppv = static_cast<ITCollection*>(this);
      AddRef();
      return S_OK;
    }
    *ppv = nullptr;
    return E_NOINTERFACE;
  }
  OPENTAPI_SIMPLE_REFCOUNT
  OPENTAPI_NO_TYPEINFO_DISPATCH

  HRESULT STDMETHODCALLTYPE get_Count(LONG* count) override {
    if (count == nullptr) return E_POINTER;
    *count = static_cast<LONG>(items_.size());
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE get_Item(LONG index, VARIANT* out) override {
    if (out == nullptr) return E_POINTER;
    VariantInit(out);
    if (index < 1 || static_cast<std::size_t>(index) > items_.size()) return E_INVALIDARG;
    set_dispatch_variant(out, items_[static_cast<std::size_t>(index) - 1]);
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE get__NewEnum(IUnknown** out) override {
    if (out == nullptr) return E_POINTER;
    *out = nullptr;
    return com_call([&] {
      *out = new EnumVariant(RefList<IDispatch>(items_), 0);
      return S_OK;
    });
  }

 private:
  ~Collection() = default;

  LiveObject live_;
  RefCount refs_;
  RefList<IDispatch> items_;
};

}  // namespace

HRESULT make_collection_variant(RefList<IDispatch> items, VARIANT* out) {
  if (out == nullptr) return E_POINTER;
  auto* collection = new Collection(std::move(items));
  VariantInit(out);
  out->vt = VT_DISPATCH;
  out->pdispVal = collection;  // the creator's reference goes to the caller
  return S_OK;
}

}  // namespace opentapi::tapi3
