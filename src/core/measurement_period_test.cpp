#include "core/measurement_period.h"

#include <gtest/gtest.h>

#include "core/test_support.h"

namespace opentapi::core {
namespace {

using testing_time::at;
using testing_time::at_ms;

MeasurementPeriod period_of(std::uint32_t seconds, TimePoint start) {
  auto p = MeasurementPeriod::create(seconds, start);
  EXPECT_TRUE(p.ok());
  return *p;
}

TEST(MeasurementPeriod, DefaultIsOneDay) {
  MeasurementPeriod p(at(0));
  EXPECT_EQ(p.seconds(), 86'400u);
  EXPECT_EQ(p.start(), at(0));
  EXPECT_EQ(p.window_end_at(at(5)), at(86'400));
}

TEST(MeasurementPeriod, RefusesZeroWithInvalParam) {
  auto p = MeasurementPeriod::create(0, at(0));
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.code(), ErrorCode::kInvalParam);
  EXPECT_EQ(p.status().lineerr(), static_cast<std::int32_t>(0x80000032u));
}

TEST(MeasurementPeriod, ResetToZeroChangesNothing) {
  MeasurementPeriod p = period_of(60, at(0));
  EXPECT_EQ(p.reset(0, at(30)).code(), ErrorCode::kInvalParam);
  EXPECT_EQ(p.seconds(), 60u);
  EXPECT_EQ(p.start(), at(0));
}

TEST(MeasurementPeriod, DoesNotRollBeforeTheBoundary) {
  MeasurementPeriod p = period_of(60, at(0));
  EXPECT_FALSE(p.has_rolled_by(at_ms(59'999)));
  EXPECT_FALSE(p.roll(at_ms(59'999)));
  EXPECT_EQ(p.start(), at(0));
}

TEST(MeasurementPeriod, RollsExactlyAtTheBoundary) {
  MeasurementPeriod p = period_of(60, at(0));
  EXPECT_TRUE(p.has_rolled_by(at(60)));
  EXPECT_TRUE(p.roll(at(60)));
  EXPECT_EQ(p.start(), at(60));
  EXPECT_FALSE(p.roll(at(61)));
}

TEST(MeasurementPeriod, SkipsSeveralPeriodsAtOnce) {
  MeasurementPeriod p = period_of(60, at(0));
  EXPECT_EQ(p.window_start_at(at(250)), at(240));
  EXPECT_TRUE(p.roll(at(250)));
  EXPECT_EQ(p.start(), at(240));
  EXPECT_EQ(p.window_end_at(at(250)), at(300));
}

TEST(MeasurementPeriod, WindowsAreAlignedToTheReset) {
  MeasurementPeriod p = period_of(60, at(0));
  ASSERT_TRUE(p.reset(100, at(7)).ok());
  EXPECT_EQ(p.window_start_at(at(106)), at(7));
  EXPECT_EQ(p.window_start_at(at(107)), at(107));
}

TEST(MeasurementPeriod, ClockSteppingBackNeverRollsBack) {
  MeasurementPeriod p = period_of(60, at(120));
  EXPECT_FALSE(p.roll(at(30)));
  EXPECT_EQ(p.start(), at(120));
}

TEST(MeasurementPeriod, AcceptsHugeDwordWithoutOverflow) {
  // A TAPI 3 period of -1 arrives as 0xFFFFFFFF seconds (~136 years).
  MeasurementPeriod p = period_of(0xFFFFFFFFu, at(0));
  const TimePoint boundary = at(0).plus_seconds(0xFFFFFFFFLL);
  EXPECT_FALSE(p.has_rolled_by(at(100LL * 365 * 86'400)));
  EXPECT_FALSE(p.has_rolled_by(boundary.plus_ms(-1)));
  EXPECT_TRUE(p.has_rolled_by(boundary));
  EXPECT_EQ(p.window_end_at(at(1)), boundary);
}

struct TestCounters {
  int calls = 0;
};

TEST(PeriodCounters, CountersResetAtTheBoundary) {
  PeriodCounters<TestCounters> c(at(0));
  ASSERT_TRUE(c.set_period(60, at(0)).ok());
  c.at(at(10)).calls += 3;
  EXPECT_EQ(c.as_of(at(59)).calls, 3);
  EXPECT_EQ(c.as_of(at(60)).calls, 0);  // read-only view already shows the new period
  c.at(at(61)).calls += 1;
  EXPECT_EQ(c.as_of(at(61)).calls, 1);
  EXPECT_EQ(c.period().start(), at(60));
}

TEST(PeriodCounters, SettingThePeriodResetsCounters) {
  PeriodCounters<TestCounters> c(at(0));
  c.at(at(10)).calls = 5;
  ASSERT_TRUE(c.set_period(86'400, at(20)).ok());  // same length still resets
  EXPECT_EQ(c.as_of(at(21)).calls, 0);
  EXPECT_EQ(c.period().start(), at(20));
}

TEST(PeriodCounters, RefusedPeriodKeepsCounters) {
  PeriodCounters<TestCounters> c(at(0));
  c.at(at(10)).calls = 5;
  EXPECT_EQ(c.set_period(0, at(20)).code(), ErrorCode::kInvalParam);
  EXPECT_EQ(c.as_of(at(21)).calls, 5);
}

}  // namespace
}  // namespace opentapi::core
