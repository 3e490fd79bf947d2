// UTF-8 / wchar_t conversions and TAPI string fields (text.h). One decoder
// (next_utf8) serves every conversion, strict and lossy alike.
#include "layout/text.h"

#include "layout/coding.h"

namespace opentapi::layout {
namespace {

static_assert(sizeof(wchar_t) == 4, "opentapi's W forms assume a 4-byte wchar_t (docs/decisions.md)");

constexpr char32_t kMaxScalar = 0x10FFFF;

bool is_scalar(char32_t c) { return c <= kMaxScalar && (c < 0xD800 || c > 0xDFFF); }

// One step of decoding: a scalar value and the bytes it took, or, for an
// ill-formed sequence, ok = false and the length of its maximal subpart (at
// least 1), which the lossy conversions replace by one U+FFFD.
struct Step {
  char32_t c;
  std::size_t length;
  bool ok;
};

// Decodes the sequence at s[i] (i < s.size()) by the well-formed byte
// sequences of Unicode §3.9, table 3-7: the second byte's range depends on
// the lead byte, which rules out overlongs, surrogates and values above
// U+10FFFF as soon as they can be recognised.
Step next_utf8(std::string_view s, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return {b0, 1, true};
  std::size_t length = 0;
  char32_t c = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2;
    c = b0 & 0x1Fu;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    c = b0 & 0x0Fu;
    if (b0 == 0xE0) low = 0xA0;   // below: overlong
    if (b0 == 0xED) high = 0x9F;  // above: surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    c = b0 & 0x07u;
    if (b0 == 0xF0) low = 0x90;   // below: overlong
    if (b0 == 0xF4) high = 0x8F;  // above: beyond U+10FFFF
  } else {
    return {kReplacementCharacter, 1, false};  // a continuation byte, C0, C1 or F5..FF
  }
  for (std::size_t k = 1; k < length; ++k) {
    if (i + k >= s.size()) return {kReplacementCharacter, k, false};
    const auto b = static_cast<unsigned char>(s[i + k]);
    if (b < low || b > high) return {kReplacementCharacter, k, false};
    low = 0x80;
    high = 0xBF;
    c = (c << 6) | (b & 0x3Fu);
  }
  return {c, length, true};
}

// Calls emit(c) for every character of `s`; ill-formed subparts give
// U+FFFD when `lossy`, else stop the walk. Returns false if it stopped.
template <class Emit>
bool for_each_char(std::string_view s, bool lossy, Emit emit) {
  for (std::size_t i = 0; i < s.size();) {
    const Step step = next_utf8(s, i);
    if (!step.ok && !lossy) return false;
    emit(step.c);
    i += step.length;
  }
  return true;
}

// Writes scalar value `c` as UTF-8 at `out` (room for 4 bytes); returns the
// number of bytes written. REQUIRES: is_scalar(c).
std::size_t write_utf8(char32_t c, unsigned char* out) {
  if (c < 0x80) {
    out[0] = static_cast<unsigned char>(c);
    return 1;
  }
  if (c < 0x800) {
    out[0] = static_cast<unsigned char>(0xC0 | (c >> 6));
    out[1] = static_cast<unsigned char>(0x80 | (c & 0x3F));
    return 2;
  }
  if (c < 0x10000) {
    out[0] = static_cast<unsigned char>(0xE0 | (c >> 12));
    out[1] = static_cast<unsigned char>(0x80 | ((c >> 6) & 0x3F));
    out[2] = static_cast<unsigned char>(0x80 | (c & 0x3F));
    return 3;
  }
  out[0] = static_cast<unsigned char>(0xF0 | (c >> 18));
  out[1] = static_cast<unsigned char>(0x80 | ((c >> 12) & 0x3F));
  out[2] = static_cast<unsigned char>(0x80 | ((c >> 6) & 0x3F));
  out[3] = static_cast<unsigned char>(0x80 | (c & 0x3F));
  return 4;
}

std::size_t utf8_length(char32_t c) { return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4; }

void append_utf8(std::string& out, char32_t c) {
  unsigned char bytes[4];
  out.append(reinterpret_cast<const char*>(bytes), write_utf8(c, bytes));
}

std::optional<std::string> to_utf8(std::wstring_view s, bool lossy) {
  std::string out;
  out.reserve(s.size());
  for (const wchar_t w : s) {
    auto c = static_cast<char32_t>(w);
    if (!is_scalar(c)) {
      if (!lossy) return std::nullopt;
      c = kReplacementCharacter;
    }
    append_utf8(out, c);
  }
  return out;
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
  return for_each_char(s, false, [](char32_t) {});
}

std::optional<std::wstring> utf8_to_wide(std::string_view s) {
  std::wstring out;
  out.reserve(s.size());
  if (!for_each_char(s, false, [&](char32_t c) { out.push_back(static_cast<wchar_t>(c)); })) return std::nullopt;
  return out;
}

std::optional<std::string> wide_to_utf8(std::wstring_view s) { return to_utf8(s, false); }

std::wstring utf8_to_wide_lossy(std::string_view s) {
  std::wstring out;
  out.reserve(s.size());
  for_each_char(s, true, [&](char32_t c) { out.push_back(static_cast<wchar_t>(c)); });
  return out;
}

std::string wide_to_utf8_lossy(std::wstring_view s) { return *to_utf8(s, true); }

std::uint32_t encoded_size(std::string_view utf8, Charset charset) {
  std::size_t bytes = 0;
  for_each_char(utf8, true, [&](char32_t c) { bytes += charset == Charset::kAnsi ? utf8_length(c) : sizeof(wchar_t); });
  return static_cast<std::uint32_t>(bytes + (charset == Charset::kAnsi ? 1 : sizeof(wchar_t)));
}

void encode_string(std::string_view utf8, Charset charset, unsigned char* dst) {
  if (charset == Charset::kAnsi) {
    for_each_char(utf8, true, [&](char32_t c) { dst += write_utf8(c, dst); });
    *dst = 0;
    return;
  }
  for_each_char(utf8, true, [&](char32_t c) {
    encode_fixed32(dst, c);
    dst += sizeof(wchar_t);
  });
  encode_fixed32(dst, 0);
}

std::optional<std::string> decode_string(const unsigned char* src, std::uint32_t size, Charset charset) {
  if (charset == Charset::kAnsi) {
    if (size == 0 || src[size - 1] != 0) return std::nullopt;
    const std::string_view field(reinterpret_cast<const char*>(src), size);
    const std::string_view text = field.substr(0, field.find('\0'));  // the last byte is a NUL
    if (!is_valid_utf8(text)) return std::nullopt;
    return std::string(text);
  }
  if (size == 0 || size % 4 != 0) return std::nullopt;
  if (decode_fixed32(src + size - 4) != 0) return std::nullopt;
  std::wstring w;
  for (std::uint32_t at = 0; at < size; at += 4) {
    const std::uint32_t c = decode_fixed32(src + at);
    if (c == 0) break;
    w.push_back(static_cast<wchar_t>(c));
  }
  return wide_to_utf8(w);
}

}  // namespace opentapi::layout
