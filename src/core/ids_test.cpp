#include "core/ids.h"

#include <gtest/gtest.h>

namespace opentapi::core {
namespace {

TEST(GroupId, TextReadsTheFirstThreeFieldsLittleEndianLikeAWindowsGuid) {
  GroupId g;
  for (std::size_t i = 0; i < g.bytes.size(); ++i) g.bytes[i] = static_cast<std::uint8_t>(i * 0x11);
  EXPECT_EQ(g.to_string(), "{33221100-5544-7766-8899-AABBCCDDEEFF}");
  g.bytes[0] = 0x0A;
  g.bytes[15] = 0xF0;
  EXPECT_EQ(g.to_string(), "{3322110A-5544-7766-8899-AABBCCDDEEF0}");
  EXPECT_EQ(GroupId{}.to_string(), "{00000000-0000-0000-0000-000000000000}");
}

}  // namespace
}  // namespace opentapi::core
