#include "core/queue.h"

#include <gtest/gtest.h>

#include "core/group.h"
#include "core/test_support.h"

namespace opentapi::core {
namespace {

using testing_time::at;
using testing_time::at_ms;

constexpr GroupId kSales{{1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}};

Queue new_queue(TimePoint now = at(0)) { return Queue(4, "sales-main", kSales, now); }

// Hand-computed timeline:
//   t=0  A enters        t=10 B enters      t=20 C flows in     t=30 D enters
//   t=40 A answered (waited 40)
//   t=50 B abandoned (waited 40)
//   t=65 C flowed out (waited 45)
// At t=70: queued 4, waiting 1 (D, 40 s so far), abandoned 1, flowed in 1,
// flowed out 1, longest ever 45, current longest 40, average (40+40+45)/3 =
// 41.67 → 41, final disposition 0.
Queue scripted_queue() {
  Queue q = new_queue();
  EXPECT_TRUE(q.enqueue(1, at(0)).ok());
  EXPECT_TRUE(q.enqueue(2, at(10)).ok());
  EXPECT_TRUE(q.enqueue(3, at(20), /*flowed_in=*/true).ok());
  EXPECT_TRUE(q.enqueue(4, at(30)).ok());
  EXPECT_TRUE(q.dequeue_answered(1, at(40)).ok());
  EXPECT_TRUE(q.dequeue_abandoned(2, at(50)).ok());
  EXPECT_TRUE(q.dequeue_flowed_out(3, at(65)).ok());
  return q;
}

TEST(QueueStatistics, AbandonedAndFlowedCallsMatchHandComputedFigures) {
  Queue q = scripted_queue();
  QueueInfo i = q.info(at(70));
  EXPECT_EQ(i.measurement_period, 86'400u);
  EXPECT_EQ(i.total_calls_queued, 4u);
  EXPECT_EQ(i.current_calls_queued, 1u);
  EXPECT_EQ(i.total_calls_abandoned, 1u);
  EXPECT_EQ(i.total_calls_flowed_in, 1u);
  EXPECT_EQ(i.total_calls_flowed_out, 1u);
  EXPECT_EQ(i.longest_ever_wait_time, 45u);
  EXPECT_EQ(i.current_longest_wait_time, 40u);
  EXPECT_EQ(i.average_wait_time, 41u);
  EXPECT_EQ(i.final_disposition, 0u);
}

TEST(QueueStatistics, FinalDispositionCountsAndLeavesTheQueue) {
  // D leaves at t=200 after 170 s: average (40+40+45+170)/4 = 73.75 → 73.
  Queue q = scripted_queue();
  auto left = q.dequeue_final_disposition(4, at(200));
  ASSERT_TRUE(left.ok());
  EXPECT_EQ(left->entered_at, at(30));
  QueueInfo i = q.info(at(210));
  EXPECT_EQ(i.final_disposition, 1u);
  EXPECT_EQ(i.current_calls_queued, 0u);
  EXPECT_EQ(i.current_longest_wait_time, 0u);
  EXPECT_EQ(i.longest_ever_wait_time, 170u);
  EXPECT_EQ(i.average_wait_time, 73u);
  EXPECT_EQ(i.total_calls_abandoned, 1u);
}

TEST(QueueStatistics, LongestEverWaitIsNeverBelowTheCurrentLongestWait) {
  Queue q = new_queue();
  ASSERT_TRUE(q.enqueue(1, at(0)).ok());
  ASSERT_TRUE(q.enqueue(2, at(5)).ok());
  ASSERT_TRUE(q.dequeue_answered(2, at(15)).ok());  // left after 10 s
  QueueInfo i = q.info(at(500));
  EXPECT_EQ(i.current_longest_wait_time, 500u);
  EXPECT_EQ(i.longest_ever_wait_time, 500u);
  EXPECT_EQ(i.average_wait_time, 10u);  // only calls that left
}

TEST(QueueRequeue, ACallOfferedButNotAnsweredGoesBackAheadOfLaterCalls) {
  Queue q = new_queue();
  ASSERT_TRUE(q.enqueue(1, at(0)).ok());
  ASSERT_TRUE(q.enqueue(2, at(10)).ok());
  auto left = q.dequeue_answered(1, at(15));
  ASSERT_TRUE(left.ok());
  ASSERT_TRUE(q.enqueue(3, at(20)).ok());
  ASSERT_TRUE(q.requeue(*left).ok());
  ASSERT_EQ(q.waiting().size(), 3u);
  EXPECT_EQ(q.waiting()[0].call, 1u);
  EXPECT_EQ(q.waiting()[0].entered_at, at(0));
  EXPECT_EQ(q.oldest_waiting()->call, 1u);
  // Counted once, when it first entered.
  EXPECT_EQ(q.info(at(30)).total_calls_queued, 3u);
  EXPECT_EQ(q.info(at(30)).current_longest_wait_time, 30u);
  EXPECT_EQ(q.requeue(*left).code(), ErrorCode::kInvalParam);
}

TEST(QueueStatistics, EmptyQueueReportsZeros) {
  Queue q = new_queue();
  QueueInfo expected;
  expected.measurement_period = 86'400;
  EXPECT_EQ(q.info(at(100)), expected);
}

TEST(QueueStatistics, WaitStartsAgainWhenACallFlowsIn) {
  Queue first = new_queue();
  Queue second(5, "overflow", kSales, at(0));
  ASSERT_TRUE(first.enqueue(9, at(0)).ok());
  auto moved = first.dequeue_flowed_out(9, at(60));
  ASSERT_TRUE(moved.ok());
  ASSERT_TRUE(second.enqueue(moved->call, at(60), /*flowed_in=*/true).ok());
  EXPECT_EQ(second.info(at(75)).current_longest_wait_time, 15u);
  EXPECT_EQ(second.info(at(75)).total_calls_flowed_in, 1u);
  EXPECT_EQ(first.info(at(75)).total_calls_flowed_out, 1u);
}

TEST(QueueCalls, OldestWaitingIsFirstIn) {
  Queue q = new_queue();
  EXPECT_FALSE(q.oldest_waiting().has_value());
  ASSERT_TRUE(q.enqueue(1, at(0)).ok());
  ASSERT_TRUE(q.enqueue(2, at(5)).ok());
  EXPECT_EQ(q.oldest_waiting()->call, 1u);
  ASSERT_TRUE(q.dequeue_answered(1, at(6)).ok());
  EXPECT_EQ(q.oldest_waiting()->call, 2u);
  EXPECT_TRUE(q.contains(2));
  EXPECT_FALSE(q.contains(1));
}

TEST(QueueCalls, KeepsEntryOrderWhenTheClockStepsBack) {
  Queue q = new_queue();
  ASSERT_TRUE(q.enqueue(1, at(10)).ok());
  ASSERT_TRUE(q.enqueue(2, at(5)).ok());
  EXPECT_EQ(q.oldest_waiting()->call, 2u);
  ASSERT_EQ(q.waiting().size(), 2u);
  EXPECT_EQ(q.waiting()[1].call, 1u);
}

TEST(QueueCalls, RefusesTheSameCallTwice) {
  Queue q = new_queue();
  ASSERT_TRUE(q.enqueue(1, at(0)).ok());
  EXPECT_EQ(q.enqueue(1, at(1)).code(), ErrorCode::kInvalParam);
  EXPECT_EQ(q.info(at(2)).total_calls_queued, 1u);
}

TEST(QueueCalls, RefusesToDequeueACallThatIsNotQueuedAndCountsNothing) {
  Queue q = new_queue();
  EXPECT_EQ(q.dequeue_abandoned(42, at(1)).code(), ErrorCode::kInvalParam);
  EXPECT_EQ(q.dequeue_answered(42, at(1)).code(), ErrorCode::kInvalParam);
  EXPECT_EQ(q.dequeue_flowed_out(42, at(1)).code(), ErrorCode::kInvalParam);
  EXPECT_EQ(q.dequeue_final_disposition(42, at(1)).code(), ErrorCode::kInvalParam);
  EXPECT_EQ(q.info(at(2)).total_calls_abandoned, 0u);
}

TEST(QueueMeasurementPeriod, CountersResetAtTheBoundaryInstantaneousValuesKept) {
  // Period 60 s from t=0. Calls 1 and 2 enter; 1 is abandoned at t=30.
  // At t=70 (window [60,120)): counters 0, call 2 still waiting (since t=10).
  Queue q = new_queue();
  ASSERT_TRUE(q.set_measurement_period(60, at(0)).ok());
  ASSERT_TRUE(q.enqueue(1, at(0)).ok());
  ASSERT_TRUE(q.enqueue(2, at(10)).ok());
  ASSERT_TRUE(q.dequeue_abandoned(1, at(30)).ok());
  QueueInfo before = q.info(at(59));
  EXPECT_EQ(before.total_calls_queued, 2u);
  EXPECT_EQ(before.total_calls_abandoned, 1u);
  QueueInfo after = q.info(at(70));
  EXPECT_EQ(after.total_calls_queued, 0u);
  EXPECT_EQ(after.total_calls_abandoned, 0u);
  EXPECT_EQ(after.average_wait_time, 0u);
  EXPECT_EQ(after.current_calls_queued, 1u);
  EXPECT_EQ(after.current_longest_wait_time, 60u);
  EXPECT_EQ(after.longest_ever_wait_time, 60u);
}

TEST(QueueMeasurementPeriod, WaitStraddlingABoundaryCountsWholeInThePeriodItEnds) {
  // Call 2 entered at t=10 in period [0,60), answered at t=100 in [60,120): wait 90.
  Queue q = new_queue();
  ASSERT_TRUE(q.set_measurement_period(60, at(0)).ok());
  ASSERT_TRUE(q.enqueue(2, at(10)).ok());
  ASSERT_TRUE(q.dequeue_answered(2, at(100)).ok());
  QueueInfo i = q.info(at(110));
  EXPECT_EQ(i.total_calls_queued, 0u);  // it entered in the previous period
  EXPECT_EQ(i.average_wait_time, 90u);
  EXPECT_EQ(i.longest_ever_wait_time, 90u);
}

TEST(QueueMeasurementPeriod, SeveralPeriodsSkippedAtOnce) {
  Queue q = new_queue();
  ASSERT_TRUE(q.set_measurement_period(60, at(0)).ok());
  ASSERT_TRUE(q.enqueue(1, at(1)).ok());
  ASSERT_TRUE(q.dequeue_answered(1, at(2)).ok());
  ASSERT_TRUE(q.enqueue(2, at(1000)).ok());  // window [960, 1020)
  QueueInfo i = q.info(at(1000));
  EXPECT_EQ(i.total_calls_queued, 1u);
  EXPECT_EQ(i.average_wait_time, 0u);
  EXPECT_EQ(q.period().start(), at(960));
}

TEST(QueueMeasurementPeriod, SettingThePeriodResetsCounters) {
  Queue q = scripted_queue();
  ASSERT_TRUE(q.set_measurement_period(3600, at(70)).ok());
  QueueInfo i = q.info(at(80));
  EXPECT_EQ(i.measurement_period, 3600u);
  EXPECT_EQ(i.total_calls_queued, 0u);
  EXPECT_EQ(i.total_calls_abandoned, 0u);
  EXPECT_EQ(i.total_calls_flowed_in, 0u);
  EXPECT_EQ(i.total_calls_flowed_out, 0u);
  EXPECT_EQ(i.average_wait_time, 0u);
  EXPECT_EQ(i.current_calls_queued, 1u);        // D still waiting
  EXPECT_EQ(i.current_longest_wait_time, 50u);  // since t=30
}

TEST(QueueMeasurementPeriod, ZeroIsRefusedAndChangesNothing) {
  Queue q = scripted_queue();
  EXPECT_EQ(q.set_measurement_period(0, at(70)).code(), ErrorCode::kInvalParam);
  EXPECT_EQ(q.info(at(70)).total_calls_queued, 4u);
}

TEST(QueueMeasurementPeriod, HugePeriodKeepsCountingForAges) {
  Queue q = new_queue();
  ASSERT_TRUE(q.set_measurement_period(0xFFFFFFFFu, at(0)).ok());
  ASSERT_TRUE(q.enqueue(1, at(0)).ok());
  const TimePoint later = at(100LL * 365 * 86'400);
  ASSERT_TRUE(q.dequeue_answered(1, later).ok());
  QueueInfo i = q.info(later);
  EXPECT_EQ(i.total_calls_queued, 1u);
  EXPECT_EQ(i.average_wait_time, 3'153'600'000u);
}

TEST(QueueIdentity, KeepsWhatItWasCreatedWith) {
  Queue q = new_queue();
  EXPECT_EQ(q.id(), 4u);
  EXPECT_EQ(q.name(), "sales-main");
  EXPECT_EQ(q.group(), kSales);
}

TEST(AcdGroup, ListsItsQueuesOnce) {
  AcdGroup g{kSales, "Sales", {}};
  ASSERT_TRUE(g.add_queue(4).ok());
  ASSERT_TRUE(g.add_queue(5).ok());
  EXPECT_EQ(g.add_queue(4).code(), ErrorCode::kInvalParam);
  EXPECT_TRUE(g.has_queue(5));
  ASSERT_TRUE(g.remove_queue(4).ok());
  EXPECT_EQ(g.remove_queue(4).code(), ErrorCode::kInvalParam);
  EXPECT_EQ(g.queues, std::vector<QueueId>{5});
}

TEST(GroupIdText, FormatsLikeAWindowsGuid) {
  GroupId g{{0x78, 0x56, 0x34, 0x12, 0xBC, 0x9A, 0xF0, 0xDE, 0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF}};
  EXPECT_EQ(g.to_string(), "{12345678-9ABC-DEF0-0123-456789ABCDEF}");
  EXPECT_FALSE(g.is_nil());
  EXPECT_TRUE(GroupId{}.is_nil());
}

// --- service statistics ---------------------------------------------------

TEST(QueueService, NoServiceLevelBeforeTheFirstAnsweredOrAbandonedCall) {
  Queue q = new_queue();
  ASSERT_TRUE(q.enqueue(1, at(0)).ok());
  ASSERT_TRUE(q.enqueue(2, at(1)).ok());
  ASSERT_TRUE(q.dequeue_flowed_out(2, at(5)).ok());  // not part of the service level
  const QueueServiceInfo i = q.service_info(at(10));
  EXPECT_EQ(i.service_level_seconds, 20u);
  EXPECT_EQ(i.answered, 0u);
  EXPECT_EQ(i.average_speed_of_answer, 0u);
  EXPECT_FALSE(i.service_level.has_value());
}

TEST(QueueService, CountsAnswersWithinTargetAndAverageSpeedOfAnswer) {
  Queue q = new_queue();
  ASSERT_TRUE(q.set_service_level_seconds(10).ok());
  for (CallId c = 1; c <= 4; ++c) ASSERT_TRUE(q.enqueue(c, at(0)).ok());
  ASSERT_TRUE(q.dequeue_answered(1, at_ms(4'000)).ok());   // 4 s: within
  ASSERT_TRUE(q.dequeue_answered(2, at_ms(10'000)).ok());  // exactly the target: within
  ASSERT_TRUE(q.dequeue_answered(3, at_ms(10'001)).ok());  // just over
  ASSERT_TRUE(q.dequeue_abandoned(4, at(12)).ok());
  const QueueServiceInfo i = q.service_info(at(20));
  EXPECT_EQ(i.answered, 3u);
  EXPECT_EQ(i.answered_within_target, 2u);
  EXPECT_EQ(i.abandoned, 1u);
  // (4 000 + 10 000 + 10 001) / 3 = 8 000.33 ms → 8 s.
  EXPECT_EQ(i.average_speed_of_answer, 8u);
  ASSERT_TRUE(i.service_level.has_value());
  EXPECT_DOUBLE_EQ(*i.service_level, 0.5);  // 2 / (3 + 1)
}

TEST(QueueService, AllAbandonedIsAServiceLevelOfZero) {
  Queue q = new_queue();
  ASSERT_TRUE(q.enqueue(1, at(0)).ok());
  ASSERT_TRUE(q.dequeue_abandoned(1, at(3)).ok());
  ASSERT_TRUE(q.service_info(at(4)).service_level.has_value());
  EXPECT_DOUBLE_EQ(*q.service_info(at(4)).service_level, 0.0);
}

TEST(QueueService, ResetsWithTheMeasurementPeriod) {
  Queue q = new_queue();
  ASSERT_TRUE(q.set_measurement_period(60, at(0)).ok());
  ASSERT_TRUE(q.enqueue(1, at(1)).ok());
  ASSERT_TRUE(q.dequeue_answered(1, at(3)).ok());
  EXPECT_EQ(q.service_info(at(59)).answered, 1u);
  const QueueServiceInfo rolled = q.service_info(at(61));
  EXPECT_EQ(rolled.answered, 0u);
  EXPECT_FALSE(rolled.service_level.has_value());
  ASSERT_TRUE(q.set_measurement_period(60, at(62)).ok());
  EXPECT_EQ(q.service_info(at(62)).answered, 0u);
}

TEST(QueueService, RefusesAZeroTarget) {
  Queue q = new_queue();
  EXPECT_EQ(q.set_service_level_seconds(0).code(), ErrorCode::kInvalParam);
  EXPECT_EQ(q.service_level_seconds(), 20u);
}

}  // namespace
}  // namespace opentapi::core
