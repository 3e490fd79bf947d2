#include "core/ids.h"

#include <algorithm>

namespace opentapi::core {

bool GroupId::is_nil() const noexcept {
  return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; });
}

// By hand rather than snprintf: the ACD formats a group's GUID for every
// board change (docs/performance.md "Issue 14, continued").
std::string GroupId::to_string() const {
  static constexpr char kHex[] = "0123456789ABCDEF";
  // Windows' GUID text: the first three fields little-endian, the rest in order.
  static constexpr int kOrder[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
  std::string out;
  out.reserve(38);
  out.push_back('{');
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    const std::uint8_t b = bytes[static_cast<std::size_t>(kOrder[i])];
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xF]);
  }
  out.push_back('}');
  return out;
}

}  // namespace opentapi::core
