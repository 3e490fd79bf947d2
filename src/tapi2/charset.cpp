#include "tapi2/charset.h"

#include <cstring>

namespace opentapi::tapi2 {
namespace {

constexpr char32_t kMaxScalar = 0x10FFFF;

bool is_scalar(char32_t c) { return c <= kMaxScalar && (c < 0xD800 || c > 0xDFFF); }

// Decodes one UTF-8 sequence at s[i]; advances i. nullopt on malformed input.
std::optional<char32_t> next_utf8(std::string_view s, std::size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  std::size_t len = 0;
  char32_t c = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    c = b0 & 0x1F;
    min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    c = b0 & 0x0F;
    min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    c = b0 & 0x07;
    min = 0x10000;
  } else {
    return std::nullopt;
  }
  if (s.size() - i < len) return std::nullopt;
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return std::nullopt;
    c = (c << 6) | (b & 0x3F);
  }
  if (c < min || !is_scalar(c)) return std::nullopt;
  i += len;
  return c;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

static_assert(sizeof(wchar_t) == 4, "opentapi's W forms assume a 4-byte wchar_t (tapi_port.h)");

}  // namespace

bool is_valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    if (!next_utf8(s, i)) return false;
  }
  return true;
}

std::optional<std::wstring> utf8_to_wide(std::string_view s) {
  std::wstring out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = next_utf8(s, i);
    if (!c) return std::nullopt;
    out.push_back(static_cast<wchar_t>(*c));
  }
  return out;
}

std::optional<std::string> wide_to_utf8(std::wstring_view s) {
  std::string out;
  out.reserve(s.size());
  for (const wchar_t w : s) {
    const auto c = static_cast<char32_t>(w);
    if (!is_scalar(c)) return std::nullopt;
    append_utf8(out, c);
  }
  return out;
}

std::uint32_t encoded_size(std::string_view utf8, Charset charset) {
  if (charset == Charset::kAnsi) return static_cast<std::uint32_t>(utf8.size() + 1);
  std::size_t chars = 0;
  for (const char ch : utf8) {
    // Count lead bytes: every byte that is not a continuation byte.
    if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80) ++chars;
  }
  return static_cast<std::uint32_t>(4 * (chars + 1));
}

void encode_string(std::string_view utf8, Charset charset, unsigned char* dst) {
  if (charset == Charset::kAnsi) {
    std::memcpy(dst, utf8.data(), utf8.size());
    dst[utf8.size()] = 0;
    return;
  }
  std::size_t i = 0;
  std::size_t k = 0;
  while (i < utf8.size()) {
    const auto c = next_utf8(utf8, i);
    const auto w = static_cast<std::uint32_t>(c.value_or(0xFFFD));
    std::memcpy(dst + 4 * k++, &w, 4);
  }
  const std::uint32_t nul = 0;
  std::memcpy(dst + 4 * k, &nul, 4);
}

std::optional<std::string> decode_string(const unsigned char* src, std::uint32_t size,
                                         Charset charset) {
  if (charset == Charset::kAnsi) {
    if (size == 0 || src[size - 1] != 0) return std::nullopt;
    const auto* chars = reinterpret_cast<const char*>(src);
    std::string s(chars, strnlen(chars, size));
    if (!is_valid_utf8(s)) return std::nullopt;
    return s;
  }
  if (size == 0 || size % 4 != 0) return std::nullopt;
  const std::uint32_t n = size / 4;
  std::wstring w;
  w.reserve(n);
  std::uint32_t last = 1;
  for (std::uint32_t k = 0; k < n; ++k) {
    std::memcpy(&last, src + 4 * k, 4);
    if (last == 0) break;
    w.push_back(static_cast<wchar_t>(last));
  }
  std::uint32_t final_char = 1;
  std::memcpy(&final_char, src + size - 4, 4);
  if (final_char != 0) return std::nullopt;
  return wide_to_utf8(w);
}

}  // namespace opentapi::tapi2
