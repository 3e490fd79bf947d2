// BSTR allocation with Windows semantics (tapi_com.h).
//
// Memory layout of a BSTR of n bytes:
//   [uint32_t n][n bytes of characters][zero bytes up to a whole OLECHAR][OLECHAR NUL]
//                ^ the BSTR points here
// so a BSTR can be read as an ordinary NUL-terminated wide string, and its
// length (which may count embedded NULs) is known without scanning.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <cwchar>

#include "tapi_com.h"

namespace {

constexpr std::size_t kPrefixBytes = sizeof(uint32_t);

// Largest byte length whose allocation (prefix + padding + terminator) still
// fits the 32-bit prefix arithmetic on every platform.
constexpr std::size_t kMaxByteLen = UINT32_MAX - kPrefixBytes - 2 * sizeof(OLECHAR);

char* base_of(BSTR bstr) { return reinterpret_cast<char*>(bstr) - kPrefixBytes; }

uint32_t byte_len_of(BSTR bstr) {
  uint32_t len = 0;
  std::memcpy(&len, base_of(bstr), sizeof len);
  return len;
}

// A BSTR with room for byte_len bytes: content zeroed, terminator written.
// NULL on overflow or allocation failure.
BSTR allocate(std::size_t byte_len) {
  if (byte_len > kMaxByteLen) return nullptr;
  const std::size_t padded = (byte_len + sizeof(OLECHAR) - 1) / sizeof(OLECHAR) * sizeof(OLECHAR);
  const std::size_t total = kPrefixBytes + padded + sizeof(OLECHAR);
  // calloc: zeroes the content, the padding and the terminator in one go.
  char* base = static_cast<char*>(std::calloc(1, total));
  if (base == nullptr) return nullptr;
  const auto prefix = static_cast<uint32_t>(byte_len);
  std::memcpy(base, &prefix, sizeof prefix);
  // kPrefixBytes keeps the characters aligned for OLECHAR (malloc alignment
  // is a multiple of it).
  return reinterpret_cast<BSTR>(base + kPrefixBytes);
}

// A BSTR holding chars characters copied from src (zeros if src is NULL).
BSTR allocate_chars(const OLECHAR* src, std::size_t chars) {
  if (chars > kMaxByteLen / sizeof(OLECHAR)) return nullptr;
  BSTR bstr = allocate(chars * sizeof(OLECHAR));
  if (bstr != nullptr && src != nullptr) std::memcpy(bstr, src, chars * sizeof(OLECHAR));
  return bstr;
}

}  // namespace

// No exception crosses these C functions (docs/tapi2.md "No exception crosses
// the C API"): they allocate with calloc and report failure as NULL/FALSE,
// the way Windows does, so nothing in them can throw.
extern "C" {

BSTR SysAllocString(const OLECHAR* psz) {
  if (psz == nullptr) return nullptr;
  return allocate_chars(psz, std::wcslen(psz));
}

BSTR SysAllocStringLen(const OLECHAR* strIn, UINT ui) { return allocate_chars(strIn, ui); }

BSTR SysAllocStringByteLen(LPCSTR psz, UINT len) {
  BSTR bstr = allocate(len);
  if (bstr != nullptr && psz != nullptr) std::memcpy(bstr, psz, len);
  return bstr;
}

INT SysReAllocStringLen(BSTR* pbstr, const OLECHAR* psz, UINT len) {
  if (pbstr == nullptr) return FALSE;
  // Allocate before freeing: psz may point into the old string.
  BSTR fresh = allocate_chars(nullptr, len);
  if (fresh == nullptr) return FALSE;
  if (psz != nullptr) {
    std::memcpy(fresh, psz, std::size_t{len} * sizeof(OLECHAR));
  } else if (*pbstr != nullptr) {
    const std::size_t keep = std::min<std::size_t>(len, SysStringLen(*pbstr));
    std::memcpy(fresh, *pbstr, keep * sizeof(OLECHAR));
  }
  SysFreeString(*pbstr);
  *pbstr = fresh;
  return TRUE;
}

INT SysReAllocString(BSTR* pbstr, const OLECHAR* psz) {
  if (pbstr == nullptr) return FALSE;
  if (psz == nullptr) return SysReAllocStringLen(pbstr, L"", 0);
  const std::size_t chars = std::wcslen(psz);
  if (chars > kMaxByteLen / sizeof(OLECHAR)) return FALSE;
  return SysReAllocStringLen(pbstr, psz, static_cast<UINT>(chars));
}

void SysFreeString(BSTR bstrString) {
  if (bstrString != nullptr) std::free(base_of(bstrString));
}

UINT SysStringLen(BSTR pbstr) { return pbstr == nullptr ? 0 : static_cast<UINT>(byte_len_of(pbstr) / sizeof(OLECHAR)); }

UINT SysStringByteLen(BSTR bstr) { return bstr == nullptr ? 0 : byte_len_of(bstr); }

}  // extern "C"
