#include "server/proxy_registry.h"

#include <gtest/gtest.h>

#include <vector>

namespace opentapi::server {
namespace {

using Types = std::vector<std::uint32_t>;

TEST(ProxyRegistry, RegistersDistinctTypesAscending) {
  ProxyRegistry r(2);
  const Types wanted{9, 2, 9, 5};
  const auto added = r.register_all(1, {7, 1}, wanted);
  ASSERT_TRUE(added);
  EXPECT_EQ(*added, (Types{2, 5, 9}));
  EXPECT_EQ(r.served_types(1), (Types{2, 5, 9}));
  EXPECT_TRUE(r.served_types(0).empty());
  EXPECT_EQ(r.handler(1, 5), (ProxyHandler{7, 1}));
  EXPECT_FALSE(r.handler(0, 5));
  EXPECT_FALSE(r.handler(1, 0));
  EXPECT_FALSE(r.handler(1, 0x15));
  EXPECT_FALSE(r.handler(2, 5));
}

TEST(ProxyRegistry, ConflictRegistersNothing) {
  ProxyRegistry r(1);
  ASSERT_TRUE(r.register_all(0, {1, 1}, Types{3}));
  EXPECT_FALSE(r.register_all(0, {2, 1}, Types{1, 2, 3}));
  EXPECT_EQ(r.served_types(0), (Types{3}));
  // Even the same handler cannot register a type twice.
  EXPECT_FALSE(r.register_all(0, {1, 1}, Types{3}));
}

TEST(ProxyRegistry, ReleaseEndsOnlyThatHandlersTypes) {
  ProxyRegistry r(1);
  ASSERT_TRUE(r.register_all(0, {1, 1}, Types{1, 4}));
  ASSERT_TRUE(r.register_all(0, {1, 2}, Types{2}));
  ASSERT_TRUE(r.register_all(0, {2, 1}, Types{3}));
  EXPECT_EQ(r.release(0, {1, 1}), (Types{1, 4}));
  EXPECT_EQ(r.served_types(0), (Types{2, 3}));
  EXPECT_TRUE(r.release(0, {1, 1}).empty());
}

TEST(ProxyRegistry, ServesAcdNeedsAllOfNineToTwenty) {
  ProxyRegistry r(1);
  Types types;
  for (std::uint32_t t = 9; t < 0x14; ++t) types.push_back(t);
  ASSERT_TRUE(r.register_all(0, {1, 1}, types));
  EXPECT_FALSE(r.serves_acd(0));
  ASSERT_TRUE(r.register_all(0, {2, 1}, Types{0x14}));
  EXPECT_TRUE(r.serves_acd(0));
  r.release(0, {1, 1});
  EXPECT_FALSE(r.serves_acd(0));
}

TEST(ProxyRegistry, TwoZeroTypesAreNotNeededForAcd) {
  ProxyRegistry r(1);
  Types types;
  for (std::uint32_t t = 9; t <= 0x14; ++t) types.push_back(t);
  ASSERT_TRUE(r.register_all(0, {1, 1}, types));
  EXPECT_TRUE(r.serves_acd(0));
}

}  // namespace
}  // namespace opentapi::server
