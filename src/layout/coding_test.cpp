#include "layout/coding.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>

#include "tapi.h"

namespace opentapi::layout {
namespace {

TEST(Coding, Fixed32IsLittleEndianAtAnyAlignment) {
  std::array<unsigned char, 7> b{};
  encode_fixed32(b.data() + 3, 0x11223344u);  // deliberately misaligned
  EXPECT_EQ(b, (std::array<unsigned char, 7>{0, 0, 0, 0x44, 0x33, 0x22, 0x11}));
  EXPECT_EQ(decode_fixed32(b.data() + 3), 0x11223344u);
  EXPECT_EQ(decode_fixed32(b.data() + 2), 0x22334400u);
}

TEST(Coding, Fixed64IsLittleEndian) {
  std::array<unsigned char, 9> b{};
  encode_fixed64(b.data() + 1, 0x0102030405060708ull);
  EXPECT_EQ(b, (std::array<unsigned char, 9>{0, 8, 7, 6, 5, 4, 3, 2, 1}));
  EXPECT_EQ(decode_fixed64(b.data() + 1), 0x0102030405060708ull);
}

TEST(Coding, ValuesRoundTripAsTheirBytes) {
  std::array<unsigned char, 40> b{};
  const DATE date = 45000.25;
  encode_value(b.data() + 1, date);
  EXPECT_EQ(decode_value<DATE>(b.data() + 1), 45000.25);
  const GUID g = {0x5E0C7A31, 0x9D42, 0x4B8E, {0xA1, 0xF3, 0x27, 0xC6, 0xD0, 0xB9, 0x4E, 0x12}};
  encode_value(b.data() + 9, g);
  EXPECT_EQ(b[9], 0x31);  // Data1's low byte first, as in memory on Windows
  EXPECT_EQ(b[24], 0x12);
  const GUID back = decode_value<GUID>(b.data() + 9);
  EXPECT_EQ(back.Data1, g.Data1);
  EXPECT_EQ(back.Data4[7], 0x12);
}

}  // namespace
}  // namespace opentapi::layout
