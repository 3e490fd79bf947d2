// Fixed-width values at any byte position: the one place where opentapi turns
// the DWORDs, DATEs, CYs and GUIDs of TAPI structures, and the length prefix
// of its frames, into bytes and back.
//
// TAPI structures are packed (1-byte alignment, docs/decisions.md), so a field
// may sit at any address; everything here goes through memcpy and never forms
// a misaligned pointer. The byte order is the host's, which is what a C
// program reading the structure expects; every platform opentapi builds for
// is little-endian, which is also the order of the frame header
// (proto/framing.h), and the static_assert below keeps it that way.
#ifndef OPENTAPI_LAYOUT_CODING_H_
#define OPENTAPI_LAYOUT_CODING_H_

#include <bit>
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace opentapi::layout {

static_assert(std::endian::native == std::endian::little,
              "TAPI structures and opentapi frames are little-endian; a big-endian port needs byte swaps here");

// Writes `value` as 4 / 8 little-endian bytes at `dst`.
inline void encode_fixed32(void* dst, std::uint32_t value) { std::memcpy(dst, &value, sizeof value); }
inline void encode_fixed64(void* dst, std::uint64_t value) { std::memcpy(dst, &value, sizeof value); }

// Reads 4 / 8 little-endian bytes at `src`.
inline std::uint32_t decode_fixed32(const void* src) {
  std::uint32_t value;
  std::memcpy(&value, src, sizeof value);
  return value;
}
inline std::uint64_t decode_fixed64(const void* src) {
  std::uint64_t value;
  std::memcpy(&value, src, sizeof value);
  return value;
}

// Any other plain value of a structure (DATE, CY, GUID, LINEEXTENSIONID), as
// its bytes in memory.
template <class T>
void encode_value(void* dst, const T& value) {
  static_assert(std::is_trivially_copyable_v<T>);
  std::memcpy(dst, &value, sizeof value);
}
template <class T>
T decode_value(const void* src) {
  static_assert(std::is_trivially_copyable_v<T>);
  T value;
  std::memcpy(&value, src, sizeof value);
  return value;
}

}  // namespace opentapi::layout

#endif  // OPENTAPI_LAYOUT_CODING_H_
