#include "tapi2/charset.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace opentapi::tapi2 {
namespace {

TEST(Charset, Utf8RoundTripsThroughWide) {
  const std::string text = "Agent Zo\xC3\xAB \xE2\x82\xAC \xF0\x9F\x93\x9E";  // Zoë € 📞
  const auto wide = utf8_to_wide(text);
  ASSERT_TRUE(wide);
  EXPECT_EQ(*wide, L"Agent Zo\u00EB \u20AC \U0001F4DE");
  EXPECT_EQ(wide_to_utf8(*wide), text);
}

TEST(Charset, RejectsMalformedUtf8) {
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // UTF-16 surrogate
  EXPECT_FALSE(is_valid_utf8("\xE2\x82"));          // truncated
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\x80"));              // stray continuation
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_FALSE(utf8_to_wide("\xFF"));
}

TEST(Charset, RejectsWideCharactersThatAreNotScalarValues) {
  EXPECT_FALSE(wide_to_utf8(std::wstring(1, static_cast<wchar_t>(0xD800))));
  EXPECT_FALSE(wide_to_utf8(std::wstring(1, static_cast<wchar_t>(0x110000))));
}

TEST(Charset, EncodedSizeCountsTheNulInBytes) {
  EXPECT_EQ(encoded_size("", Charset::kAnsi), 1u);
  EXPECT_EQ(encoded_size("", Charset::kWide), 4u);
  EXPECT_EQ(encoded_size("Zo\xC3\xAB", Charset::kAnsi), 5u);
  EXPECT_EQ(encoded_size("Zo\xC3\xAB", Charset::kWide), 16u);
}

TEST(Charset, EncodeDecodeRoundTripInBothCharsets) {
  const std::string text =
      "Gr\xC3\xBC\xC3\x9F"
      "e";
  for (const Charset cs : {Charset::kAnsi, Charset::kWide}) {
    std::vector<unsigned char> buf(encoded_size(text, cs) + 1, 0xAA);
    encode_string(text, cs, buf.data());
    EXPECT_EQ(buf.back(), 0xAA) << "wrote past the string";
    EXPECT_EQ(decode_string(buf.data(), encoded_size(text, cs), cs), text);
  }
}

TEST(Charset, DecodeRejectsMissingNulAndImpossibleSizes) {
  const unsigned char a[] = {'a', 'b'};
  EXPECT_FALSE(decode_string(a, 2, Charset::kAnsi));
  EXPECT_FALSE(decode_string(a, 0, Charset::kAnsi));
  const wchar_t w[] = L"ab";
  EXPECT_FALSE(decode_string(reinterpret_cast<const unsigned char*>(w), 10, Charset::kWide));  // not a multiple of 4
  EXPECT_FALSE(decode_string(reinterpret_cast<const unsigned char*>(w), 8, Charset::kWide));   // no NUL
  EXPECT_EQ(decode_string(reinterpret_cast<const unsigned char*>(w), 12, Charset::kWide), "ab");
  const unsigned char bad[] = {0xC3, 0x28, 0};
  EXPECT_FALSE(decode_string(bad, 3, Charset::kAnsi));
}

TEST(Charset, DecodeStopsAtTheFirstNul) {
  const unsigned char a[] = {'a', 0, 'b', 0};
  EXPECT_EQ(decode_string(a, 4, Charset::kAnsi), "a");
}

}  // namespace
}  // namespace opentapi::tapi2
