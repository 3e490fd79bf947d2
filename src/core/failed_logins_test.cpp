#include "core/failed_logins.h"

#include <gtest/gtest.h>

namespace opentapi::core {
namespace {

LockoutPolicy policy() {
  LockoutPolicy p;
  p.free_failures = 3;
  p.first_delay_ms = 1000;
  p.max_delay_ms = 8000;
  p.quiet_ms = 60'000;
  p.max_keys = 4;
  return p;
}

TEST(FailedLogins, LocksOutAfterTheFreeFailuresAndDoublesUpToTheCap) {
  FailedLogins f(policy());
  EXPECT_EQ(f.record_failure("agent:1001", 0), 0);
  EXPECT_EQ(f.record_failure("agent:1001", 10), 0);
  EXPECT_EQ(f.locked_for("agent:1001", 10), 0);
  EXPECT_EQ(f.record_failure("agent:1001", 20), 1000);
  EXPECT_EQ(f.locked_for("agent:1001", 20), 1000);
  EXPECT_EQ(f.locked_for("agent:1001", 1019), 1);
  EXPECT_EQ(f.locked_for("agent:1001", 1020), 0);
  EXPECT_EQ(f.record_failure("agent:1001", 1020), 2000);
  EXPECT_EQ(f.record_failure("agent:1001", 3020), 4000);
  EXPECT_EQ(f.record_failure("agent:1001", 7020), 8000);
  EXPECT_EQ(f.record_failure("agent:1001", 15020), 8000);  // the cap
  EXPECT_EQ(f.locked_for("agent:1001", 15020), 8000);
}

TEST(FailedLogins, DelayAfterGivesTheSchedule) {
  FailedLogins f(policy());
  EXPECT_EQ(f.delay_after(0), 0);
  EXPECT_EQ(f.delay_after(2), 0);
  EXPECT_EQ(f.delay_after(3), 1000);
  EXPECT_EQ(f.delay_after(4), 2000);
  EXPECT_EQ(f.delay_after(6), 8000);
  EXPECT_EQ(f.delay_after(4'000'000'000u), 8000);
}

TEST(FailedLogins, SuccessForgetsTheKey) {
  FailedLogins f(policy());
  for (int i = 0; i < 3; ++i) f.record_failure("peer:alice", i);
  EXPECT_GT(f.locked_for("peer:alice", 3), 0);
  f.record_success("peer:alice");
  EXPECT_EQ(f.locked_for("peer:alice", 3), 0);
  EXPECT_EQ(f.record_failure("peer:alice", 4), 0);  // counting starts again
}

TEST(FailedLogins, AQuietPeriodForgetsOldFailures) {
  FailedLogins f(policy());
  f.record_failure("k", 0);
  f.record_failure("k", 1);
  EXPECT_EQ(f.record_failure("k", 1 + 60'000), 0);  // the first of a new run
  EXPECT_EQ(f.record_failure("k", 60'002), 0);
  EXPECT_EQ(f.record_failure("k", 60'003), 1000);
}

TEST(FailedLogins, KeysAreIndependent) {
  FailedLogins f(policy());
  for (int i = 0; i < 3; ++i) f.record_failure("agent:1001", i);
  EXPECT_GT(f.locked_for("agent:1001", 3), 0);
  EXPECT_EQ(f.locked_for("agent:1002", 3), 0);
  EXPECT_EQ(f.record_failure("agent:1002", 3), 0);
}

TEST(FailedLogins, StaysWithinMaxKeysDroppingTheOldest) {
  FailedLogins f(policy());
  for (int i = 0; i < 10; ++i) f.record_failure("peer:" + std::to_string(i), i);
  EXPECT_EQ(f.size(), 4u);
  // The newest are kept.
  for (int i = 0; i < 2; ++i) f.record_failure("peer:9", 20 + i);
  EXPECT_GT(f.locked_for("peer:9", 30), 0);
}

}  // namespace
}  // namespace opentapi::core
