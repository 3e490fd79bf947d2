// COM task memory and GUID strings (tapi_com.h): what a method allocates for
// its caller, and the registry form of a GUID that StringFromIID gives.
#include <cstdint>
#include <cstdlib>
#include <cwchar>

#include "tapi_com.h"

extern "C" {

LPVOID CoTaskMemAlloc(SIZE_T cb) { return std::malloc(cb == 0 ? 1 : cb); }

// As Windows: a NULL block is allocated, a size of 0 frees the block and
// gives NULL; on failure the block is left as it was and NULL returned.
LPVOID CoTaskMemRealloc(LPVOID pv, SIZE_T cb) {
  if (pv == nullptr) return CoTaskMemAlloc(cb);
  if (cb == 0) {
    std::free(pv);
    return nullptr;
  }
  return std::realloc(pv, cb);
}

void CoTaskMemFree(LPVOID pv) { std::free(pv); }

int StringFromGUID2(REFGUID rguid, LPOLESTR lpsz, int cchMax) {
  constexpr int kChars = 39;  // "{8-4-4-4-12}" and the NUL
  if (lpsz == nullptr || cchMax < kChars) return 0;
  const GUID& g = rguid;
  std::swprintf(lpsz, kChars, L"{%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}", static_cast<unsigned>(g.Data1),
                static_cast<unsigned>(g.Data2), static_cast<unsigned>(g.Data3), g.Data4[0], g.Data4[1], g.Data4[2],
                g.Data4[3], g.Data4[4], g.Data4[5], g.Data4[6], g.Data4[7]);
  return kChars;
}

HRESULT StringFromIID(REFIID rclsid, LPOLESTR* lplpsz) {
  if (lplpsz == nullptr) return E_INVALIDARG;
  *lplpsz = static_cast<LPOLESTR>(CoTaskMemAlloc(39 * sizeof(OLECHAR)));
  if (*lplpsz == nullptr) return E_OUTOFMEMORY;
  StringFromGUID2(rclsid, *lplpsz, 39);
  return S_OK;
}

HRESULT StringFromCLSID(REFCLSID rclsid, LPOLESTR* lplpsz) { return StringFromIID(rclsid, lplpsz); }

}  // extern "C"

namespace {

// The value of hexadecimal digit `c`, or -1.
int hex_digit(OLECHAR c) {
  if (c >= L'0' && c <= L'9') return static_cast<int>(c - L'0');
  if (c >= L'a' && c <= L'f') return static_cast<int>(c - L'a' + 10);
  if (c >= L'A' && c <= L'F') return static_cast<int>(c - L'A' + 10);
  return -1;
}

// Parses exactly "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}" (either case),
// the form StringFromGUID2 writes. False for anything else.
bool parse_guid(LPCOLESTR s, GUID* out) {
  static constexpr const char* kShape = "{........-....-....-....-............}";
  unsigned char bytes[16] = {};
  int nibble = 0;
  for (int i = 0; kShape[i] != '\0'; ++i) {
    const OLECHAR c = s[i];
    if (kShape[i] != '.') {
      if (c != static_cast<OLECHAR>(kShape[i])) return false;
      continue;
    }
    const int v = hex_digit(c);
    if (v < 0) return false;
    bytes[nibble / 2] = static_cast<unsigned char>(bytes[nibble / 2] << 4 | v);
    ++nibble;
  }
  if (s[38] != L'\0') return false;
  out->Data1 = static_cast<std::uint32_t>(bytes[0]) << 24 | static_cast<std::uint32_t>(bytes[1]) << 16 |
               static_cast<std::uint32_t>(bytes[2]) << 8 | bytes[3];
  out->Data2 = static_cast<std::uint16_t>(bytes[4] << 8 | bytes[5]);
  out->Data3 = static_cast<std::uint16_t>(bytes[6] << 8 | bytes[7]);
  for (int i = 0; i < 8; ++i) out->Data4[i] = bytes[8 + i];
  return true;
}

}  // namespace

extern "C" {

// NULL gives GUID_NULL, as on Windows; there are no ProgIDs to look up, so
// any other text must be a GUID string.
HRESULT CLSIDFromString(LPCOLESTR lpsz, LPCLSID pclsid) {
  if (pclsid == nullptr) return E_INVALIDARG;
  if (lpsz == nullptr) {
    *pclsid = GUID{};
    return S_OK;
  }
  GUID g;
  if (!parse_guid(lpsz, &g)) return CO_E_CLASSSTRING;
  *pclsid = g;
  return S_OK;
}

HRESULT IIDFromString(LPCOLESTR lpsz, LPIID lpiid) {
  if (lpiid == nullptr) return E_INVALIDARG;
  if (lpsz == nullptr) {
    *lpiid = GUID{};
    return S_OK;
  }
  GUID g;
  if (!parse_guid(lpsz, &g)) return E_INVALIDARG;
  *lpiid = g;
  return S_OK;
}

}  // extern "C"
