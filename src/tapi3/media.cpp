// Media and terminals, honestly absent (docs/calls.md "Media"): the switch
// carries no media, so a call has no streams and an address no terminals.
// The interfaces exist so that Windows call programs compile unchanged and
// run their call control; their terminal and stream loops simply find
// nothing. The HRESULTs are listed in docs/porting.md "Calls".
#include "tapi3/calls.h"
#include "tapi3/collections.h"
#include "tapi3/objects.h"

namespace opentapi::tapi3 {
namespace {

using EnumStreamImpl = Enumerator<IEnumStream, ITStream, IID_IEnumStream>;
using EnumTerminalImpl = Enumerator<IEnumTerminal, ITTerminal, IID_IEnumTerminal>;

// IEnumTerminalClass over no classes.
class EmptyTerminalClasses final : public IEnumTerminalClass {
 public:
  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppv) override {
    if (ppv == nullptr) return E_POINTER;
    if (IsEqualIID(riid, IID_IUnknown) || IsEqualIID(riid, IID_IEnumTerminalClass)) {
      *ppv = static_cast<IEnumTerminalClass*>(this);
      AddRef();
      return S_OK;
    }
    *ppv = nullptr;
    return E_NOINTERFACE;
  }
  OPENTAPI_SIMPLE_REFCOUNT
  HRESULT STDMETHODCALLTYPE Next(ULONG celt, GUID* pElements, ULONG* pceltFetched) override {
    if (pElements == nullptr) return E_POINTER;
    if (pceltFetched == nullptr && celt != 1) return E_POINTER;  // NULL only for one element
    if (pceltFetched != nullptr) *pceltFetched = 0;
    return celt == 0 ? S_OK : S_FALSE;
  }
  HRESULT STDMETHODCALLTYPE Reset() override { return S_OK; }
  HRESULT STDMETHODCALLTYPE Skip(ULONG celt) override { return celt == 0 ? S_OK : S_FALSE; }
  HRESULT STDMETHODCALLTYPE Clone(IEnumTerminalClass** ppEnum) override {
    if (ppEnum == nullptr) return E_POINTER;
    *ppEnum = nullptr;
    return com_call([&] {
      *ppEnum = new EmptyTerminalClasses();
      return S_OK;
    });
  }

 private:
  ~EmptyTerminalClasses() = default;
  LiveObject live_;
  RefCount refs_;
};

bool valid_direction(LONG direction) {
  return direction == TD_CAPTURE || direction == TD_RENDER || direction == TD_BIDIRECTIONAL ||
         direction == TD_MULTITRACK_MIXED || direction == TD_NONE;
}

// Exactly one media type, and one the address carries.
bool one_supported_type(LONG type, LONG supported) {
  return type != 0 && (type & (type - 1)) == 0 && (type & supported) == type;
}

}  // namespace

// ---- ITMediaSupport (Address) ----------------------------------------------------------

HRESULT Address::get_MediaTypes(LONG* plMediaTypes) {
  if (plMediaTypes == nullptr) return E_POINTER;
  if (!engine_->check_running()) return TAPI_E_NOT_INITIALIZED;
  *plMediaTypes = rec_->media_types;
  return S_OK;
}

HRESULT Address::QueryMediaType(LONG lMediaType, VARIANT_BOOL* pfSupport) {
  if (pfSupport == nullptr) return E_POINTER;
  if (!engine_->check_running()) return TAPI_E_NOT_INITIALIZED;
  const bool supported = lMediaType != 0 && (lMediaType & ~rec_->media_types) == 0;
  *pfSupport = supported ? VARIANT_TRUE : VARIANT_FALSE;
  return S_OK;
}

// ---- ITTerminalSupport (Address) --------------------------------------------------------

HRESULT Address::get_StaticTerminals(VARIANT* pVariant) {
  if (pVariant == nullptr) return E_POINTER;
  VariantInit(pVariant);
  if (!engine_->check_running()) return TAPI_E_NOT_INITIALIZED;
  return com_call([&] { return make_collection_variant(RefList<IDispatch>(), pVariant); });
}

HRESULT Address::EnumerateStaticTerminals(IEnumTerminal** ppTerminalEnumerator) {
  if (ppTerminalEnumerator == nullptr) return E_POINTER;
  *ppTerminalEnumerator = nullptr;
  if (!engine_->check_running()) return TAPI_E_NOT_INITIALIZED;
  return com_call([&] { return EnumTerminalImpl::create(RefList<ITTerminal>(), ppTerminalEnumerator); });
}

HRESULT Address::get_DynamicTerminalClasses(VARIANT* pVariant) {
  if (pVariant == nullptr) return E_POINTER;
  VariantInit(pVariant);
  if (!engine_->check_running()) return TAPI_E_NOT_INITIALIZED;
  return com_call([&] { return make_collection_variant(RefList<IDispatch>(), pVariant); });
}

HRESULT Address::EnumerateDynamicTerminalClasses(IEnumTerminalClass** ppTerminalClassEnumerator) {
  if (ppTerminalClassEnumerator == nullptr) return E_POINTER;
  *ppTerminalClassEnumerator = nullptr;
  if (!engine_->check_running()) return TAPI_E_NOT_INITIALIZED;
  return com_call([&] {
    *ppTerminalClassEnumerator = new EmptyTerminalClasses();
    return S_OK;
  });
}

HRESULT Address::CreateTerminal(BSTR pTerminalClass, LONG lMediaType, TERMINAL_DIRECTION Direction,
                                ITTerminal** ppTerminal) {
  if (ppTerminal == nullptr) return E_POINTER;
  *ppTerminal = nullptr;
  if (pTerminalClass == nullptr) return E_POINTER;
  if (!valid_direction(enum_value(Direction))) return TAPI_E_INVALIDDIRECTION;
  if (!engine_->check_running()) return TAPI_E_NOT_INITIALIZED;
  if (!one_supported_type(lMediaType, rec_->media_types)) return TAPI_E_INVALIDMEDIATYPE;
  // No dynamic terminal class exists here (EnumerateDynamicTerminalClasses).
  return TAPI_E_INVALIDTERMINALCLASS;
}

HRESULT Address::GetDefaultStaticTerminal(LONG lMediaType, TERMINAL_DIRECTION Direction, ITTerminal** ppTerminal) {
  if (ppTerminal == nullptr) return E_POINTER;
  *ppTerminal = nullptr;
  if (!valid_direction(enum_value(Direction))) return TAPI_E_INVALIDDIRECTION;
  if (!engine_->check_running()) return TAPI_E_NOT_INITIALIZED;
  if (!one_supported_type(lMediaType, rec_->media_types)) return TAPI_E_INVALIDMEDIATYPE;
  // Documented: S_FALSE and *ppTerminal NULL when no terminal is available.
  return S_FALSE;
}

// ---- ITStreamControl (Call) -------------------------------------------------------------

HRESULT Call::CreateStream(LONG, TERMINAL_DIRECTION, ITStream** ppStream) {
  if (ppStream == nullptr) return E_POINTER;
  *ppStream = nullptr;
  return TAPI_E_NOTSUPPORTED;
}

HRESULT Call::RemoveStream(ITStream* pStream) {
  if (pStream == nullptr) return E_POINTER;
  return TAPI_E_INVALIDSTREAM;  // no stream of this call exists
}

HRESULT Call::EnumerateStreams(IEnumStream** ppEnumStream) {
  if (ppEnumStream == nullptr) return E_POINTER;
  *ppEnumStream = nullptr;
  if (!engine_->check_running()) return TAPI_E_NOT_INITIALIZED;
  return com_call([&] { return EnumStreamImpl::create(RefList<ITStream>(), ppEnumStream); });
}

HRESULT Call::get_Streams(VARIANT* pVariant) {
  if (pVariant == nullptr) return E_POINTER;
  VariantInit(pVariant);
  if (!engine_->check_running()) return TAPI_E_NOT_INITIALIZED;
  return com_call([&] { return make_collection_variant(RefList<IDispatch>(), pVariant); });
}

// ---- ITBasicCallControl2 terminal methods (Call) ----------------------------------------

HRESULT Call::RequestTerminal(BSTR bstrTerminalClassGUID, LONG lMediaType, TERMINAL_DIRECTION Direction,
                              ITTerminal** ppTerminal) {
  if (ppTerminal == nullptr) return E_POINTER;
  *ppTerminal = nullptr;
  if (bstrTerminalClassGUID == nullptr) return E_POINTER;
  if (!valid_direction(enum_value(Direction))) return TAPI_E_INVALIDDIRECTION;
  if (!engine_->check_running()) return TAPI_E_NOT_INITIALIZED;
  if (!one_supported_type(lMediaType, rec_->address->media_types)) return TAPI_E_INVALIDMEDIATYPE;
  return TAPI_E_INVALIDTERMINALCLASS;
}

HRESULT Call::SelectTerminalOnCall(ITTerminal* pTerminal) {
  if (pTerminal == nullptr) return E_POINTER;
  return TAPI_E_INVALIDTERMINAL;  // not one of this address's (it has none)
}

HRESULT Call::UnselectTerminalOnCall(ITTerminal* pTerminal) {
  if (pTerminal == nullptr) return E_POINTER;
  return TAPI_E_INVALIDTERMINAL;
}

}  // namespace opentapi::tapi3
