#include "layout/text.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "layout/coding.h"

namespace opentapi::layout {
namespace {

const std::wstring kR(1, static_cast<wchar_t>(kReplacementCharacter));  // U+FFFD
const std::string kR8 = "\xEF\xBF\xBD";                                 // U+FFFD in UTF-8

std::wstring w(std::initializer_list<std::uint32_t> chars) {
  std::wstring s;
  for (const std::uint32_t c : chars) s.push_back(static_cast<wchar_t>(c));
  return s;
}

TEST(Text, StrictConversionsRoundTripEveryPlane) {
  const std::string text = "A\xC3\xAB\xE2\x82\xAC\xF0\x9F\x93\x9E";  // A ë € 📞: 1, 2, 3 and 4 bytes
  EXPECT_TRUE(is_valid_utf8(text));
  EXPECT_EQ(utf8_to_wide(text), w({'A', 0xEB, 0x20AC, 0x1F4DE}));
  EXPECT_EQ(wide_to_utf8(w({'A', 0xEB, 0x20AC, 0x1F4DE})), text);
  EXPECT_EQ(utf8_to_wide(""), std::wstring());
  // The edges of the ranges are accepted.
  EXPECT_EQ(utf8_to_wide("\x7F\xC2\x80\xE0\xA0\x80\xED\x9F\xBF\xEE\x80\x80\xF0\x90\x80\x80\xF4\x8F\xBF\xBF"),
            w({0x7F, 0x80, 0x800, 0xD7FF, 0xE000, 0x10000, 0x10FFFF}));
}

TEST(Text, StrictConversionsRefuseIllFormedInput) {
  for (const char* bad : {"\xC0\xAF", "\xC1\xBF", "\xE0\x9F\xBF", "\xED\xA0\x80", "\xF0\x8F\xBF\xBF",
                          "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xE2\x82", "\x80", "a\xFF"}) {
    EXPECT_FALSE(is_valid_utf8(bad)) << bad;
    EXPECT_FALSE(utf8_to_wide(bad)) << bad;
  }
  EXPECT_FALSE(wide_to_utf8(w({'a', 0xD800})));
  EXPECT_FALSE(wide_to_utf8(w({0xDFFF})));
  EXPECT_FALSE(wide_to_utf8(w({0x110000})));
  EXPECT_FALSE(wide_to_utf8(w({0xFFFFFFFF})));  // a negative wchar_t
}

TEST(Text, LossyReplacesEachMaximalSubpartOnce) {
  EXPECT_EQ(utf8_to_wide_lossy("h\xC3\xA9llo"), L"h\u00E9llo");
  EXPECT_EQ(utf8_to_wide_lossy("bad\xC3"), L"bad" + kR);  // truncated at the end
  EXPECT_EQ(utf8_to_wide_lossy("\xE2\x82"
                               "A"),
            kR + L"A");                                         // truncated before a letter: one
  EXPECT_EQ(utf8_to_wide_lossy("\xF0\x9F\x93x"), kR + L"x");    // 3 of 4 bytes: one
  EXPECT_EQ(utf8_to_wide_lossy("\xC0\xAF"), kR + kR);           // never a lead byte, then a stray
  EXPECT_EQ(utf8_to_wide_lossy("\xED\xA0\x80"), kR + kR + kR);  // a surrogate: no valid prefix
  EXPECT_EQ(utf8_to_wide_lossy("\xF4\x90\x80\x80"), kR + kR + kR + kR);
  EXPECT_EQ(utf8_to_wide_lossy("\x80\x80"), kR + kR);
  EXPECT_EQ(wide_to_utf8_lossy(w({0xD800, 'a', 0x110000})), kR8 + "a" + kR8);
  EXPECT_EQ(wide_to_utf8_lossy(w({0x1F4DE})), "\xF0\x9F\x93\x9E");
}

TEST(Text, EncodedSizeCountsTheNulInBytes) {
  EXPECT_EQ(encoded_size("", Charset::kAnsi), 1u);
  EXPECT_EQ(encoded_size("", Charset::kWide), 4u);
  EXPECT_EQ(encoded_size("Zo\xC3\xAB", Charset::kAnsi), 5u);
  EXPECT_EQ(encoded_size("Zo\xC3\xAB", Charset::kWide), 16u);
  EXPECT_EQ(encoded_size("\xF0\x9F\x93\x9E", Charset::kWide), 8u);
  // Ill-formed input is sized as written: "a" U+FFFD.
  EXPECT_EQ(encoded_size("a\xFF", Charset::kAnsi), 5u);
  EXPECT_EQ(encoded_size("a\xFF", Charset::kWide), 12u);
}

TEST(Text, EncodeWritesExactlyTheEncodedSize) {
  const std::vector<std::string> texts = {"", "Sales",
                                          "Gr\xC3\xBC\xC3\x9F"
                                          "e \xF0\x9F\x93\x9E",
                                          "a\xFF"
                                          "b"};
  for (const std::string& text : texts) {
    for (const Charset cs : {Charset::kAnsi, Charset::kWide}) {
      const std::uint32_t size = encoded_size(text, cs);
      std::vector<unsigned char> buf(size + 8, 0xAA);
      encode_string(text, cs, buf.data() + 1);  // misaligned on purpose
      EXPECT_EQ(buf[0], 0xAA) << text;
      EXPECT_EQ(buf[size + 1], 0xAA) << "wrote past the string: " << text;
      const auto back = decode_string(buf.data() + 1, size, cs);
      ASSERT_TRUE(back) << text;
      EXPECT_EQ(*back, is_valid_utf8(text) ? text : wide_to_utf8_lossy(utf8_to_wide_lossy(text)));
    }
  }
}

TEST(Text, EncodesWideAsFourBytesPerCharacter) {
  unsigned char buf[12];
  encode_string("\xC3\xAB\xF0\x9F\x93\x9E", Charset::kWide, buf);
  EXPECT_EQ(decode_fixed32(buf), 0xEBu);
  EXPECT_EQ(decode_fixed32(buf + 4), 0x1F4DEu);
  EXPECT_EQ(decode_fixed32(buf + 8), 0u);
}

TEST(Text, DecodeRefusesMissingNulImpossibleSizesAndBadText) {
  const unsigned char ab[] = {'a', 'b'};
  EXPECT_FALSE(decode_string(ab, 2, Charset::kAnsi));
  EXPECT_FALSE(decode_string(ab, 0, Charset::kAnsi));
  unsigned char wide[12];
  encode_string("ab", Charset::kWide, wide);
  EXPECT_EQ(decode_string(wide, 12, Charset::kWide), "ab");
  EXPECT_FALSE(decode_string(wide, 10, Charset::kWide));  // not whole characters
  EXPECT_FALSE(decode_string(wide, 8, Charset::kWide));   // no NUL
  EXPECT_FALSE(decode_string(wide, 0, Charset::kWide));
  const unsigned char bad_utf8[] = {0xC3, 0x28, 0};
  EXPECT_FALSE(decode_string(bad_utf8, 3, Charset::kAnsi));
  unsigned char surrogate[8] = {};
  encode_fixed32(surrogate, 0xD800);
  EXPECT_FALSE(decode_string(surrogate, 8, Charset::kWide));
}

TEST(Text, DecodeStopsAtTheFirstNul) {
  const unsigned char a[] = {'a', 0, 0xFF, 0};  // what follows the first NUL is not looked at
  EXPECT_EQ(decode_string(a, 4, Charset::kAnsi), "a");
  unsigned char wide[12] = {};
  encode_fixed32(wide, 'x');
  encode_fixed32(wide + 8, 0);
  EXPECT_EQ(decode_string(wide, 12, Charset::kWide), "x");
  EXPECT_EQ(decode_string(wide + 4, 8, Charset::kWide), "");
}

}  // namespace
}  // namespace opentapi::layout
