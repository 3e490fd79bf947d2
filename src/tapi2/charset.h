// Character-set conversion at the edges of the C API: the A functions (and
// A-opened proxy lines) use UTF-8, the W functions wchar_t (UTF-32 on Linux);
// everything in between (the payload codec, the wire) is UTF-8.
//
// Conversions are strict: malformed UTF-8 or a wchar_t that is not a Unicode
// scalar value (a surrogate or above U+10FFFF) is reported, never repaired,
// so a caller can answer LINEERR_INVALPARAM instead of passing garbage on.
#ifndef OPENTAPI_TAPI2_CHARSET_H_
#define OPENTAPI_TAPI2_CHARSET_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace opentapi::tapi2 {

// The two character sets of tapi.h.
enum class Charset { kAnsi, kWide };

// True if `s` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool is_valid_utf8(std::string_view s);

// UTF-8 -> wchar_t string; nullopt if `s` is not well-formed UTF-8.
std::optional<std::wstring> utf8_to_wide(std::string_view s);

// wchar_t string -> UTF-8; nullopt if a character is not a scalar value.
std::optional<std::string> wide_to_utf8(std::wstring_view s);

// Bytes a string occupies in a TAPI structure in `charset`, including the
// terminating NUL: UTF-8 bytes + 1, or 4 * (characters + 1).
// REQUIRES: utf8 is well-formed.
std::uint32_t encoded_size(std::string_view utf8, Charset charset);

// Writes `utf8` in `charset` plus its NUL to `dst`, which has room for
// encoded_size(utf8, charset) bytes (no alignment required).
// REQUIRES: utf8 is well-formed.
void encode_string(std::string_view utf8, Charset charset, unsigned char* dst);

// Reads a NUL-terminated string of `size` bytes (NUL included) in `charset`
// from `src` (no alignment required) and returns it as UTF-8. Characters
// after the first NUL are ignored. nullopt if the size is impossible for the
// charset (0, or not a multiple of 4 for wide), the last character is not
// NUL, or the text is malformed.
std::optional<std::string> decode_string(const unsigned char* src, std::uint32_t size,
                                         Charset charset);

}  // namespace opentapi::tapi2

#endif  // OPENTAPI_TAPI2_CHARSET_H_
