#include "core/log_throttle.h"

#include <gtest/gtest.h>

namespace opentapi::core {
namespace {

TEST(LogThrottle, LetsTheBurstThroughThenCountsAndReportsInTheNextLine) {
  LogThrottle t(1000, 3);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(t.admit(10).log);
  int written = 3;
  for (int i = 0; i < 10000; ++i) written += t.admit(500).log ? 1 : 0;
  EXPECT_EQ(written, 3);
  EXPECT_EQ(t.total_suppressed(), 10000u);
  const auto next = t.admit(1010);
  EXPECT_TRUE(next.log);
  EXPECT_EQ(next.suppressed, 10000u);
  EXPECT_EQ(t.admit(1011).suppressed, 0u);
}

TEST(LogThrottle, SummaryOnlyAfterTheWindowAndOnlyOnce) {
  LogThrottle t(1000, 1);
  EXPECT_TRUE(t.admit(0).log);
  EXPECT_FALSE(t.admit(1).log);
  EXPECT_FALSE(t.admit(2).log);
  EXPECT_EQ(t.take_summary(999), 0u);
  EXPECT_EQ(t.take_summary(1000), 2u);
  EXPECT_EQ(t.take_summary(2000), 0u);
  EXPECT_EQ(t.admit(2001).suppressed, 0u);
}

}  // namespace
}  // namespace opentapi::core
