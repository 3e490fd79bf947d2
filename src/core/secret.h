// Comparing a presented secret (a TCP token, an HTTP bearer token) with the
// configured one. The one helper for this in the tree: the HTTP front and the
// telephony server both use it (docs/security.md).
#ifndef OPENTAPI_CORE_SECRET_H_
#define OPENTAPI_CORE_SECRET_H_

#include <algorithm>
#include <cstddef>
#include <string_view>

namespace opentapi::core {

// Whether `a` and `b` are equal, in time that depends on their lengths only:
// no early exit, so the time taken does not tell how much of a guess was
// right.
inline bool same_secret(std::string_view a, std::string_view b) noexcept {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  const std::size_t n = std::max(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    const auto x = static_cast<unsigned char>(i < a.size() ? a[i] : 0);
    const auto y = static_cast<unsigned char>(i < b.size() ? b[i] : 0);
    diff = static_cast<unsigned char>(diff | (x ^ y));
  }
  return diff == 0;
}

}  // namespace opentapi::core

#endif  // OPENTAPI_CORE_SECRET_H_
