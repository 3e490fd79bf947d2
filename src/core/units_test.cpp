#include "core/units.h"

#include <gtest/gtest.h>

#include "core/test_support.h"

namespace opentapi::core {
namespace {

TEST(WholeSeconds, TruncatesTowardZero) {
  EXPECT_EQ(whole_seconds(0), 0u);
  EXPECT_EQ(whole_seconds(999), 0u);
  EXPECT_EQ(whole_seconds(1000), 1u);
  EXPECT_EQ(whole_seconds(1999), 1u);
  EXPECT_EQ(whole_seconds(59'999), 59u);
}

TEST(WholeSeconds, NegativeIsZero) { EXPECT_EQ(whole_seconds(-5000), 0u); }

TEST(WholeSeconds, SaturatesAtDwordMax) {
  EXPECT_EQ(whole_seconds(std::int64_t{0xFFFFFFFF} * 1000 + 999), 0xFFFFFFFFu);
  EXPECT_EQ(whole_seconds(std::int64_t{0x1'0000'0000} * 1000), 0xFFFFFFFFu);
}

TEST(ElapsedMs, NeverNegativeWhenTheClockStepsBack) {
  using testing_time::at;
  EXPECT_EQ(elapsed_ms(at(10), at(25)), 15'000);
  EXPECT_EQ(elapsed_ms(at(25), at(10)), 0);
}

TEST(Average, IsZeroWithoutCount) {
  EXPECT_EQ(average(100, 0), 0u);
  EXPECT_EQ(average(113, 2), 56u);  // integer division
}

TEST(SaturatingAdd, DoesNotWrap) {
  EXPECT_EQ(saturating_add(0xFFFFFFF0u, 0x20u), 0xFFFFFFFFu);
  EXPECT_EQ(saturating_add(60u, 30u), 90u);
}

TEST(CallsPerHour, TwelveAndAHalfCallsPerHourIs125000) {
  EXPECT_EQ(calls_per_hour(25, 7200), 125'000);
  EXPECT_EQ(calls_per_hour(1, 288), 125'000);
}

TEST(CallsPerHour, TruncatesTheFifthDecimal) {
  // 1 call in 7 s = 514.285714… calls/hour → 5 142 857 (not …858).
  EXPECT_EQ(calls_per_hour(1, 7), 5'142'857);
}

TEST(CallsPerHour, IsZeroWhenNoTimePassed) { EXPECT_EQ(calls_per_hour(10, 0), 0); }

TEST(CallsPerHour, DoesNotOverflowForDwordInputs) {
  EXPECT_EQ(calls_per_hour(0xFFFFFFFFu, 1), std::int64_t{0xFFFFFFFF} * 36'000'000);
  EXPECT_EQ(calls_per_hour(1, 0xFFFFFFFFu), 0);  // 36e6 / 4.29e9 → 0.008 → 0
}

TEST(OleDate, UnixEpochIsDay25569) { EXPECT_DOUBLE_EQ(to_ole_date(TimePoint::from_unix_ms(0)), 25569.0); }

TEST(OleDate, NoonOnNewYear2024) {
  // 2024-01-01 is OLE day 45292 (Excel serial); 12:00 UTC adds half a day.
  EXPECT_DOUBLE_EQ(to_ole_date(TimePoint::from_unix_seconds(1'704'110'400)), 45292.5);
  EXPECT_DOUBLE_EQ(to_ole_date(testing_time::at(6 * 3600)), 45292.25);
}

TEST(OleDate, OleEpochNoonIsHalf) {
  const std::int64_t ole_epoch_ms = -25569LL * 86'400'000;
  EXPECT_DOUBLE_EQ(to_ole_date_from_unix_ms(ole_epoch_ms + 43'200'000), 0.5);
}

TEST(OleDate, BeforeOleEpochKeepsPositiveTimeOfDay) {
  // 1899-12-29 06:00 is -1.25 in OLE DATE, not -0.75.
  const std::int64_t ole_epoch_ms = -25569LL * 86'400'000;
  EXPECT_DOUBLE_EQ(to_ole_date_from_unix_ms(ole_epoch_ms - 86'400'000 + 6 * 3'600'000), -1.25);
}

TEST(TimePoint, OrdersAndAdds) {
  const TimePoint t = TimePoint::from_unix_seconds(100);
  EXPECT_EQ(t.unix_ms(), 100'000);
  EXPECT_LT(t, t.plus_ms(1));
  EXPECT_EQ(t.plus_seconds(2), TimePoint::from_unix_ms(102'000));
}

}  // namespace
}  // namespace opentapi::core
