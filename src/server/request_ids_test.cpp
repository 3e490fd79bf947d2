#include "server/request_ids.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace opentapi::server {
namespace {

TEST(RequestIds, StartAtOneAndIncrease) {
  RequestIds ids;
  EXPECT_EQ(ids.allocate(10), 1u);
  EXPECT_EQ(ids.allocate(11), 2u);
  EXPECT_TRUE(ids.complete(1));
  // Completed ids are not reused before the wrap.
  EXPECT_EQ(ids.allocate(12), 3u);
  EXPECT_FALSE(ids.complete(1));
  EXPECT_TRUE(ids.outstanding(2));
  EXPECT_EQ(ids.size(), 2u);
}

TEST(RequestIds, WrapFromMaxToOne) {
  RequestIds ids(RequestIds::kMaxId - 1);
  EXPECT_EQ(ids.allocate(1), 0x7FFFFFFEu);
  EXPECT_EQ(ids.allocate(2), 0x7FFFFFFFu);
  EXPECT_EQ(ids.allocate(3), 1u);
}

TEST(RequestIds, WrapSkipsOutstandingIds) {
  RequestIds ids(1, 4);
  for (std::uint32_t i = 1; i <= 4; ++i) EXPECT_EQ(ids.allocate(i), i);
  ids.complete(3);
  EXPECT_EQ(ids.allocate(5), 3u);  // wraps to 1, skips 1 and 2
  EXPECT_EQ(ids.allocate(6), 0u);  // all outstanding
  ids.complete(2);
  EXPECT_EQ(ids.allocate(7), 2u);  // next would be 4: outstanding; then 1; then 2
}

TEST(RequestIds, OutOfRangeArgumentsAreClamped) {
  RequestIds zero(0);
  EXPECT_EQ(zero.allocate(1), 1u);
  RequestIds high(0x80000000u, 0xFFFFFFFFu);
  EXPECT_EQ(high.allocate(1), 1u);
}

TEST(RequestIds, TakeAllReturnsProxyRequestIds) {
  RequestIds ids;
  ids.allocate(40);
  ids.allocate(41);
  auto taken = ids.take_all();
  std::sort(taken.begin(), taken.end());
  EXPECT_EQ(taken, (std::vector<std::uint64_t>{40, 41}));
  EXPECT_EQ(ids.size(), 0u);
}

}  // namespace
}  // namespace opentapi::server
