// Addresses from the line capabilities: how Initialize finds every address
// of a line (lineGetDevCaps, lineGetAddressCaps) and ITAddressCapabilities,
// which answers from those same structures (docs/porting.md "Calls").
#include <algorithm>
#include <cstring>
#include <mutex>

#include "layout/var_struct.h"
#include "tapi3/calls.h"
#include "tapi3/collections.h"
#include "tapi3/mapping.h"
#include "tapi3/objects.h"

namespace opentapi::tapi3 {
namespace {

// A line claiming more addresses than this is believed only this far.
constexpr DWORD kMaxAddressesPerLine = 4096;
// Largest capability structure accepted from a retry on dwNeededSize.
constexpr DWORD kMaxCapsBytes = 1u << 20;

// A synchronous capability call into a buffer that grows to dwNeededSize;
// null when the line gives none.
template <class Caps, class Get>
std::shared_ptr<const std::vector<unsigned char>> read_caps(Get get) {
  DWORD size = 4096;
  for (int attempt = 0; attempt < 4; ++attempt) {
    auto buffer = std::make_shared<std::vector<unsigned char>>(size);
    layout::encode_fixed32(buffer->data(), size);  // dwTotalSize
    if (get(reinterpret_cast<Caps*>(buffer->data())) != 0) return nullptr;
    const std::uint32_t needed = layout::read_header(buffer->data()).needed_size;
    if (needed <= size) return buffer;
    if (needed > kMaxCapsBytes) return nullptr;
    size = needed;
  }
  return nullptr;
}

template <class Caps>
const Caps* as(const std::shared_ptr<const std::vector<unsigned char>>& b) {
  return b ? reinterpret_cast<const Caps*>(b->data()) : nullptr;
}
std::size_t size_of(const std::shared_ptr<const std::vector<unsigned char>>& b) { return b ? b->size() : 0; }

// ---- BSTR sets: IEnumBstr and an ITCollection of VT_BSTR --------------------------------

class EnumBstr final : public IEnumBstr {
 public:
  EnumBstr(std::shared_ptr<const std::vector<std::wstring>> items, std::size_t pos)
      : items_(std::move(items)), pos_(pos) {}
  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppv) override {
    if (ppv == nullptr) return E_POINTER;
    if (IsEqualIID(riid, IID_IUnknown) || IsEqualIID(riid, IID_IEnumBstr)) {
      *ppv = static_cast<IEnumBstr*>(this);
      AddRef();
      return S_OK;
    }
    *ppv = nullptr;
    return E_NOINTERFACE;
  }
  OPENTAPI_SIMPLE_REFCOUNT
  HRESULT STDMETHODCALLTYPE Next(ULONG celt, BSTR* ppStrings, ULONG* pceltFetched) override {
    if (ppStrings == nullptr) return E_POINTER;
    if (pceltFetched == nullptr && celt != 1) return E_POINTER;  // NULL only for one element
    std::lock_guard lock(mu_);
    ULONG n = 0;
    while (n < celt && pos_ < items_->size()) {
      const HRESULT hr = copy_bstr((*items_)[pos_], &ppStrings[n]);
      if (FAILED(hr)) {
        // Nothing handed out: the position goes back where it was.
        for (ULONG i = 0; i < n; ++i) SysFreeString(ppStrings[i]);
        pos_ -= n;
        if (pceltFetched != nullptr) *pceltFetched = 0;
        return hr;
      }
      ++pos_;
      ++n;
    }
    if (pceltFetched != nullptr) *pceltFetched = n;
    return n == celt ? S_OK : S_FALSE;
  }
  HRESULT STDMETHODCALLTYPE Reset() override {
    std::lock_guard lock(mu_);
    pos_ = 0;
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE Skip(ULONG celt) override {
    std::lock_guard lock(mu_);
    const std::size_t left = items_->size() - pos_;
    pos_ += std::min<std::size_t>(celt, left);
    return celt > left ? S_FALSE : S_OK;
  }
  HRESULT STDMETHODCALLTYPE Clone(IEnumBstr** ppEnum) override {
    if (ppEnum == nullptr) return E_POINTER;
    *ppEnum = nullptr;
    return com_call([&] {
      std::lock_guard lock(mu_);
      *ppEnum = new EnumBstr(items_, pos_);
      return S_OK;
    });
  }

 private:
  ~EnumBstr() = default;
  LiveObject live_;
  RefCount refs_;
  std::mutex mu_;
  std::shared_ptr<const std::vector<std::wstring>> items_;
  std::size_t pos_;
};

// IEnumVARIANT of VT_BSTR (the _NewEnum of a string collection).
class EnumBstrVariant final : public IEnumVARIANT {
 public:
  EnumBstrVariant(std::shared_ptr<const std::vector<std::wstring>> items, std::size_t pos)
      : items_(std::move(items)), pos_(pos) {}
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
  // A NULL count is allowed for any celt (IEnumVARIANT, as in collections.cpp).
  HRESULT STDMETHODCALLTYPE Next(ULONG celt, VARIANT* vars, ULONG* fetched) override {
    if (vars == nullptr) return E_POINTER;
    for (ULONG i = 0; i < celt; ++i) VariantInit(&vars[i]);
    std::lock_guard lock(mu_);
    ULONG n = 0;
    while (n < celt && pos_ < items_->size()) {
      BSTR b = nullptr;
      const HRESULT hr = copy_bstr((*items_)[pos_], &b);
      if (FAILED(hr)) {
        for (ULONG i = 0; i < n; ++i) VariantClear(&vars[i]);
        pos_ -= n;
        if (fetched != nullptr) *fetched = 0;
        return hr;
      }
      vars[n].vt = VT_BSTR;
      vars[n].bstrVal = b;
      ++pos_;
      ++n;
    }
    if (fetched != nullptr) *fetched = n;
    return n == celt ? S_OK : S_FALSE;
  }
  HRESULT STDMETHODCALLTYPE Skip(ULONG celt) override {
    std::lock_guard lock(mu_);
    const std::size_t left = items_->size() - pos_;
    pos_ += std::min<std::size_t>(celt, left);
    return celt > left ? S_FALSE : S_OK;
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
      *out = new EnumBstrVariant(items_, pos_);
      return S_OK;
    });
  }

 private:
  ~EnumBstrVariant() = default;
  LiveObject live_;
  RefCount refs_;
  std::mutex mu_;
  std::shared_ptr<const std::vector<std::wstring>> items_;
  std::size_t pos_;
};

class BstrCollection final : public ITCollection {
 public:
  explicit BstrCollection(std::shared_ptr<const std::vector<std::wstring>> items) : items_(std::move(items)) {}
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
    *count = static_cast<LONG>(items_->size());
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE get_Item(LONG index, VARIANT* out) override {
    if (out == nullptr) return E_POINTER;
    VariantInit(out);
    if (index < 1 || static_cast<std::size_t>(index) > items_->size()) return E_INVALIDARG;
    BSTR b = nullptr;
    const HRESULT hr = copy_bstr((*items_)[static_cast<std::size_t>(index) - 1], &b);
    if (FAILED(hr)) return hr;
    VariantInit(out);
    out->vt = VT_BSTR;
    out->bstrVal = b;
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE get__NewEnum(IUnknown** out) override {
    if (out == nullptr) return E_POINTER;
    *out = nullptr;
    return com_call([&] {
      *out = new EnumBstrVariant(items_, 0);
      return S_OK;
    });
  }

 private:
  ~BstrCollection() = default;
  LiveObject live_;
  RefCount refs_;
  std::shared_ptr<const std::vector<std::wstring>> items_;
};

HRESULT bstr_collection(std::vector<std::wstring> items, VARIANT* out) {
  auto* c = new BstrCollection(std::make_shared<const std::vector<std::wstring>>(std::move(items)));
  VariantInit(out);
  out->vt = VT_DISPATCH;
  out->pdispVal = c;
  return S_OK;
}

HRESULT bstr_enum(std::vector<std::wstring> items, IEnumBstr** out) {
  *out = new EnumBstr(std::make_shared<const std::vector<std::wstring>>(std::move(items)), 0);
  return S_OK;
}

// A reader of the address capabilities (layout/var_struct.h).
std::optional<layout::VarStructReader> caps_reader(const std::shared_ptr<const std::vector<unsigned char>>& caps) {
  if (!caps || caps->size() < sizeof(LINEADDRESSCAPS)) return std::nullopt;
  const layout::VarHeader h = layout::read_header(caps->data());
  return layout::VarStructReader(caps->data(), layout::kHeaderBytes,
                                 static_cast<std::uint32_t>(std::min<std::size_t>(caps->size(), h.total_size)),
                                 layout::Charset::kWide);
}

// LINEADDRESSCAPS.dwCallTreatmentList: LINECALLTREATMENTENTRY elements of
// (ID, name size, name offset from the structure).
std::vector<std::wstring> call_treatments(const std::shared_ptr<const std::vector<unsigned char>>& caps) {
  std::vector<std::wstring> out;
  auto r = caps_reader(caps);
  if (!r) return out;
  constexpr std::uint32_t kEntry = 3 * sizeof(DWORD);
  const layout::Array list = r->array(OT_PAIR(LINEADDRESSCAPS, CallTreatmentList),
                                      r->u32(OT_OFF(LINEADDRESSCAPS, dwNumCallTreatments)), kEntry);
  for (std::uint32_t i = 0; list.placed() && i < list.count; ++i) {
    const auto name = r->string(layout::Pair{sizeof(DWORD), 2 * sizeof(DWORD)}.at(list.element(i)));
    out.push_back(name ? layout::utf8_to_wide_lossy(*name) : std::wstring());
  }
  return out;
}

// LINEADDRESSCAPS.dwCompletionMsgText: fixed-size entries, each a
// NUL-padded W string.
std::vector<std::wstring> completion_messages(const std::shared_ptr<const std::vector<unsigned char>>& caps) {
  std::vector<std::wstring> out;
  auto r = caps_reader(caps);
  if (!r) return out;
  const std::uint32_t entry = r->u32(OT_OFF(LINEADDRESSCAPS, dwCompletionMsgTextEntrySize));
  const auto text = r->data(OT_PAIR(LINEADDRESSCAPS, CompletionMsgText));
  const std::uint32_t count = r->u32(OT_OFF(LINEADDRESSCAPS, dwNumCompletionMessages));
  for (std::uint32_t i = 0; entry != 0 && i < count && (i + 1) * std::size_t{entry} <= text.size(); ++i) {
    const auto message = layout::decode_string(text.data() + i * std::size_t{entry}, entry, layout::Charset::kWide);
    out.push_back(message ? layout::utf8_to_wide_lossy(*message) : std::wstring());
  }
  return out;
}

}  // namespace

std::vector<std::shared_ptr<AddressRecord>> discover_addresses(Tapi2& api, HLINEAPP app, DWORD device,
                                                               DWORD api_version) {
  const auto dev =
      read_caps<LINEDEVCAPS>([&](LINEDEVCAPS* c) { return api.get_dev_caps(app, device, api_version, c); });
  DWORD count = 1;
  std::wstring line_name;
  // Without capabilities the line is still a voice line (docs/calls.md).
  LONG media_types = TAPIMEDIATYPE_AUDIO;
  if (dev) {
    const layout::VarHeader h = layout::read_header(dev->data());
    layout::VarStructReader r(dev->data(), layout::kHeaderBytes,
                              static_cast<std::uint32_t>(std::min<std::size_t>(dev->size(), h.total_size)),
                              layout::Charset::kWide);
    count = std::clamp<DWORD>(r.u32(OT_OFF(LINEDEVCAPS, dwNumAddresses)), 1, kMaxAddressesPerLine);
    line_name = struct_string(dev->data(), dev->size(), OT_PAIR(LINEDEVCAPS, LineName));
    if (const LONG types = media_types_from_line(r.u32(OT_OFF(LINEDEVCAPS, dwMediaModes))); types != 0) {
      media_types = types;
    }
  }
  std::vector<std::shared_ptr<AddressRecord>> out;
  out.reserve(count);
  for (DWORD id = 0; id < count; ++id) {
    auto rec = std::make_shared<AddressRecord>();
    rec->device = device;
    rec->address_id = id;
    rec->media_types = media_types;
    rec->dev_caps = dev;
    if (dev) {
      rec->address_caps = read_caps<LINEADDRESSCAPS>(
          [&](LINEADDRESSCAPS* c) { return api.get_address_caps(app, device, id, api_version, c); });
    }
    if (rec->address_caps) {
      rec->number =
          struct_string(rec->address_caps->data(), rec->address_caps->size(), OT_PAIR(LINEADDRESSCAPS, Address));
    }
    // docs/porting.md "Calls": the line's name, told apart by the number
    // when the line has several addresses.
    if (line_name.empty()) {
      rec->name = L"line " + std::to_wstring(device) + L" address " + std::to_wstring(id);
    } else if (count == 1) {
      rec->name = line_name;
    } else if (!rec->number.empty()) {
      rec->name = line_name + L" (" + rec->number + L")";
    } else {
      rec->name = line_name + L" address " + std::to_wstring(id);
    }
    out.push_back(std::move(rec));
  }
  return out;
}

// ---- ITAddressCapabilities (Address) ---------------------------------------------------

HRESULT Address::get_AddressCapability(ADDRESS_CAPABILITY AddressCap, LONG* plCapability) {
  if (plCapability == nullptr) return E_POINTER;
  if (!engine_->check_running()) return TAPI_E_NOT_INITIALIZED;
  const auto v = address_capability(as<LINEDEVCAPS>(rec_->dev_caps), size_of(rec_->dev_caps),
                                    as<LINEADDRESSCAPS>(rec_->address_caps), size_of(rec_->address_caps),
                                    rec_->address_id, enum_value(AddressCap));
  if (!v) return E_INVALIDARG;
  *plCapability = *v;
  return S_OK;
}

HRESULT Address::get_AddressCapabilityString(ADDRESS_CAPABILITY_STRING AddressCapString, BSTR* ppCapabilityString) {
  if (ppCapabilityString == nullptr) return E_POINTER;
  *ppCapabilityString = nullptr;
  if (!engine_->check_running()) return TAPI_E_NOT_INITIALIZED;
  return com_call([&]() -> HRESULT {
    const auto s = address_capability_string(as<LINEDEVCAPS>(rec_->dev_caps), size_of(rec_->dev_caps),
                                             as<LINEADDRESSCAPS>(rec_->address_caps), size_of(rec_->address_caps),
                                             enum_value(AddressCapString));
    if (!s) return E_INVALIDARG;
    return copy_bstr(*s, ppCapabilityString);
  });
}

HRESULT Address::get_CallTreatments(VARIANT* pVariant) {
  if (pVariant == nullptr) return E_POINTER;
  VariantInit(pVariant);
  if (!engine_->check_running()) return TAPI_E_NOT_INITIALIZED;
  return com_call([&] { return bstr_collection(call_treatments(rec_->address_caps), pVariant); });
}

HRESULT Address::EnumerateCallTreatments(IEnumBstr** ppEnumCallTreatment) {
  if (ppEnumCallTreatment == nullptr) return E_POINTER;
  *ppEnumCallTreatment = nullptr;
  if (!engine_->check_running()) return TAPI_E_NOT_INITIALIZED;
  return com_call([&] { return bstr_enum(call_treatments(rec_->address_caps), ppEnumCallTreatment); });
}

HRESULT Address::get_CompletionMessages(VARIANT* pVariant) {
  if (pVariant == nullptr) return E_POINTER;
  VariantInit(pVariant);
  if (!engine_->check_running()) return TAPI_E_NOT_INITIALIZED;
  return com_call([&] { return bstr_collection(completion_messages(rec_->address_caps), pVariant); });
}

HRESULT Address::EnumerateCompletionMessages(IEnumBstr** ppEnumCompletionMessage) {
  if (ppEnumCompletionMessage == nullptr) return E_POINTER;
  *ppEnumCompletionMessage = nullptr;
  if (!engine_->check_running()) return TAPI_E_NOT_INITIALIZED;
  return com_call([&] { return bstr_enum(completion_messages(rec_->address_caps), ppEnumCompletionMessage); });
}

HRESULT Address::get_DeviceClasses(VARIANT* pVariant) {
  if (pVariant == nullptr) return E_POINTER;
  VariantInit(pVariant);
  if (!engine_->check_running()) return TAPI_E_NOT_INITIALIZED;
  return com_call([&] {
    return bstr_collection(device_classes(as<LINEDEVCAPS>(rec_->dev_caps), size_of(rec_->dev_caps)), pVariant);
  });
}

HRESULT Address::EnumerateDeviceClasses(IEnumBstr** ppEnumDeviceClass) {
  if (ppEnumDeviceClass == nullptr) return E_POINTER;
  *ppEnumDeviceClass = nullptr;
  if (!engine_->check_running()) return TAPI_E_NOT_INITIALIZED;
  return com_call([&] {
    return bstr_enum(device_classes(as<LINEDEVCAPS>(rec_->dev_caps), size_of(rec_->dev_caps)), ppEnumDeviceClass);
  });
}

}  // namespace opentapi::tapi3
