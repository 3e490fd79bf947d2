// The two ways TAPI 3 hands out a set of objects (docs/reference/tapi3-callcenter.md §1.1
// rule 3, §3.8): an IEnum* enumerator for C++ callers and an ITCollection
// inside a VARIANT for Automation callers. Both are snapshots of the
// membership when they were created; every element is AddRef'd by the
// snapshot and again for the caller who takes it out.
#ifndef OPENTAPI_TAPI3_COLLECTIONS_H_
#define OPENTAPI_TAPI3_COLLECTIONS_H_

#include <cstddef>
#include <mutex>
#include <utility>
#include <vector>

#include "tapi3/com_support.h"

namespace opentapi::tapi3 {

// A list of AddRef'd interface pointers, released on destruction.
template <class Item>
class RefList {
 public:
  RefList() = default;
  RefList(const RefList& other) : items_(other.items_) {
    for (Item* item : items_) item->AddRef();
  }
  RefList& operator=(const RefList&) = delete;
  ~RefList() {
    for (Item* item : items_) item->Release();
  }
  // Takes over the caller's reference.
  void adopt(Item* item) {
    try {
      items_.push_back(item);
    } catch (...) {
      item->Release();
      throw;
    }
  }
  std::size_t size() const { return items_.size(); }
  Item* operator[](std::size_t i) const { return items_[i]; }

 private:
  std::vector<Item*> items_;
};

// IEnum<Item> over a snapshot: Next / Reset / Skip / Clone with the COM rules
// of §3.8. Thread-safe (one lock per enumerator).
template <class IEnum, class Item, const IID& kIid>
class Enumerator final : public IEnum {
 public:
  // Makes an enumerator owning `items` (AddRef'd): *out carries one reference.
  static HRESULT create(RefList<Item> items, IEnum** out) {
    if (out == nullptr) return E_POINTER;
    *out = new Enumerator(std::move(items), 0);
    return S_OK;
  }

  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppv) override {
    if (ppv == nullptr) return E_POINTER;
    if (IsEqualIID(riid, IID_IUnknown) || IsEqualIID(riid, kIid)) {
      *ppv = static_cast<IEnum*>(this);
      AddRef();
      return S_OK;
    }
    *ppv = nullptr;
    return E_NOINTERFACE;
  }
  OPENTAPI_SIMPLE_REFCOUNT

  HRESULT STDMETHODCALLTYPE Next(ULONG celt, Item** elements, ULONG* fetched) override {
    if (elements == nullptr) return E_POINTER;
    // pceltFetched "may be NULL if celt is one" (IEnum*::Next): not for 0 or more.
    if (fetched == nullptr && celt != 1) return E_POINTER;
    std::lock_guard lock(mu_);
    ULONG n = 0;
    while (n < celt && pos_ < items_.size()) {
      Item* item = items_[pos_++];
      item->AddRef();
      elements[n++] = item;
    }
    if (fetched != nullptr) *fetched = n;
    return n == celt ? S_OK : S_FALSE;
  }
  HRESULT STDMETHODCALLTYPE Reset() override {
    std::lock_guard lock(mu_);
    pos_ = 0;
    return S_OK;
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
  HRESULT STDMETHODCALLTYPE Clone(IEnum** out) override {
    if (out == nullptr) return E_POINTER;
    *out = nullptr;
    return com_call([&] {
      std::lock_guard lock(mu_);
      *out = new Enumerator(RefList<Item>(items_), pos_);
      return S_OK;
    });
  }

 private:
  Enumerator(RefList<Item> items, std::size_t pos) : items_(std::move(items)), pos_(pos) {}
  ~Enumerator() = default;

  LiveObject live_;
  RefCount refs_;
  std::mutex mu_;
  RefList<Item> items_;
  std::size_t pos_ = 0;
};

// Wraps `items` (each an IDispatch-derived interface) in an ITCollection and
// stores it in *out as VT_DISPATCH. E_POINTER if out is NULL.
HRESULT make_collection_variant(RefList<IDispatch> items, VARIANT* out);

// Converts a RefList of IT* interfaces to one of IDispatch (each gets its own
// reference).
template <class Item>
RefList<IDispatch> as_dispatch_list(const RefList<Item>& items) {
  RefList<IDispatch> out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    items[i]->AddRef();
    out.adopt(static_cast<IDispatch*>(items[i]));
  }
  return out;
}

}  // namespace opentapi::tapi3

#endif  // OPENTAPI_TAPI3_COLLECTIONS_H_
