// Text in TAPI structures: UTF-8 (the A functions, the wire, everything inside
// opentapi) and wchar_t (the W functions; UTF-32 on Linux, docs/decisions.md
// "Wide strings are wchar_t"), and the NUL-terminated strings of the
// variable part of a structure in either of the two character sets.
//
// Two families, with a clear rule each for invalid input:
//  - strict (utf8_to_wide, wide_to_utf8, decode_string): malformed UTF-8, or
//    a wchar_t that is not a Unicode scalar value (a surrogate, or above
//    U+10FFFF), gives nullopt, never a repaired string, so that a caller can
//    answer LINEERR_INVALPARAM instead of passing garbage on;
//  - lossy (*_lossy, encoded_size, encode_string): every maximal ill-formed
//    subpart of the UTF-8 (Unicode 15, §3.9, "U+FFFD Substitution of Maximal
//    Subparts") and every wchar_t that is not a scalar value becomes one
//    U+FFFD, so the output is always well-formed and the same input always
//    gives the same size.
// For well-formed input both families agree.
#ifndef OPENTAPI_LAYOUT_TEXT_H_
#define OPENTAPI_LAYOUT_TEXT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace opentapi::layout {

// The two character sets of tapi.h: kAnsi for the A functions and A-opened
// lines (UTF-8 bytes), kWide for the W functions (wchar_t, 4 bytes each).
enum class Charset { kAnsi, kWide };

inline constexpr char32_t kReplacementCharacter = 0xFFFD;

// True if `s` is well-formed UTF-8: no overlong forms, no surrogates, nothing
// above U+10FFFF, no stray or missing continuation bytes.
bool is_valid_utf8(std::string_view s);

// UTF-8 -> wchar_t; nullopt if `s` is not well-formed UTF-8.
std::optional<std::wstring> utf8_to_wide(std::string_view s);

// wchar_t -> UTF-8; nullopt if a character is not a Unicode scalar value.
std::optional<std::string> wide_to_utf8(std::wstring_view s);

// The same conversions, substituting U+FFFD as described above.
std::wstring utf8_to_wide_lossy(std::string_view s);
std::string wide_to_utf8_lossy(std::wstring_view s);

// ---- Strings inside TAPI structures ----------------------------------------

// Bytes `utf8` occupies as a string field in `charset`, its NUL included:
// the UTF-8 bytes + 1, or 4 × (characters + 1). Ill-formed input is counted
// as encode_string writes it (each maximal ill-formed subpart as U+FFFD).
std::uint32_t encoded_size(std::string_view utf8, Charset charset);

// Writes `utf8` in `charset` followed by its NUL at `dst`, which has room for
// encoded_size(utf8, charset) bytes (no alignment needed); writes exactly
// that many bytes.
void encode_string(std::string_view utf8, Charset charset, unsigned char* dst);

// Reads the string field of `size` bytes (NUL included) at `src` in
// `charset` and returns it as UTF-8. Characters after the first NUL are
// ignored (C string rules). nullopt if the size is impossible for the
// charset (0, or not a multiple of 4 for kWide), the last character is not
// NUL, or the text is not well-formed (strict, see above).
std::optional<std::string> decode_string(const unsigned char* src, std::uint32_t size, Charset charset);

}  // namespace opentapi::layout

#endif  // OPENTAPI_LAYOUT_TEXT_H_
