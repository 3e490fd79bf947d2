#include "client/message_queue.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>
#include <vector>

#include "tapi.h"

namespace opentapi::client {
namespace {

using std::chrono::milliseconds;

bool readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) == 1;
}

TEST(MessageQueue, EventIsSignalledExactlyWhileMessagesAreQueued) {
  MessageQueue q(true);
  MessageQueue::arm_event(q.event_fd());
  ASSERT_GE(q.event_fd(), 0);
  EXPECT_FALSE(readable(q.event_fd()));
  q.push({1, 12, 0, 5, 0, 0});
  q.push({1, 12, 0, 6, 0, 0});
  EXPECT_TRUE(readable(q.event_fd()));
  LineMessage m;
  ASSERT_EQ(q.pop(milliseconds(0), &m), MessageQueue::Pop::kMessage);
  EXPECT_EQ(m.param1, 5u);
  EXPECT_TRUE(readable(q.event_fd()));
  ASSERT_EQ(q.pop(milliseconds(0), &m), MessageQueue::Pop::kMessage);
  EXPECT_EQ(m.param1, 6u);
  EXPECT_FALSE(readable(q.event_fd()));
}

// Until opentapi_event_fd hands the descriptor out, nobody can poll it: the
// queue does not write or drain it. Armed, it is readable at once when
// messages wait.
TEST(MessageQueue, EventFollowsTheQueueOnlyOnceArmed) {
  MessageQueue q(true);
  ASSERT_GE(q.event_fd(), 0);
  q.push({1, 12, 0, 5, 0, 0});
  EXPECT_FALSE(readable(q.event_fd()));
  MessageQueue::arm_event(q.event_fd());
  EXPECT_TRUE(readable(q.event_fd()));
  MessageQueue::arm_event(q.event_fd());  // again: still one signal
  std::uint64_t counter = 0;
  ASSERT_EQ(::read(q.event_fd(), &counter, sizeof counter), static_cast<ssize_t>(sizeof counter));
  EXPECT_EQ(counter, 1u);
  ASSERT_EQ(::write(q.event_fd(), &counter, sizeof counter), static_cast<ssize_t>(sizeof counter));  // put it back
  LineMessage m;
  ASSERT_EQ(q.pop(milliseconds(0), &m), MessageQueue::Pop::kMessage);
  EXPECT_FALSE(readable(q.event_fd()));
  q.push({1, 12, 0, 6, 0, 0});
  EXPECT_TRUE(readable(q.event_fd()));
}

TEST(MessageQueue, ArmingAnUnknownOrClosedDescriptorDoesNothing) {
  MessageQueue::arm_event(-1);
  auto q = std::make_unique<MessageQueue>(true);
  const int fd = q->event_fd();
  ASSERT_GE(fd, 0);
  q->close();
  MessageQueue::arm_event(fd);  // no longer the queue's: nothing to find
  MessageQueue other(true);
  other.push({1, 12, 0, 7, 0, 0});
  MessageQueue::arm_event(other.event_fd() + 1000);
  EXPECT_FALSE(readable(other.event_fd()));
}

TEST(MessageQueue, PollOnEmptyQueueTimesOutAtOnce) {
  MessageQueue q(false);
  LineMessage m;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(q.pop(milliseconds(0), &m), MessageQueue::Pop::kTimeout);
  EXPECT_EQ(q.pop(milliseconds(20), &m), MessageQueue::Pop::kTimeout);
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(1000));
}

TEST(MessageQueue, CloseWakesAForeverWaiter) {
  MessageQueue q(true);
  MessageQueue::Pop got = MessageQueue::Pop::kMessage;
  std::thread waiter([&] {
    LineMessage m;
    got = q.pop(std::nullopt, &m);
  });
  std::this_thread::sleep_for(milliseconds(20));
  q.close();
  waiter.join();
  EXPECT_EQ(got, MessageQueue::Pop::kClosed);
  EXPECT_EQ(q.event_fd(), -1);
  q.push({});  // ignored
  EXPECT_EQ(q.size(), 0u);
}

TEST(MessageQueue, RemoveIfKeepsOrderAndResetsTheEventWhenEmptied) {
  MessageQueue q(true);
  MessageQueue::arm_event(q.event_fd());
  q.push({1, 24, 0, 100, 0, 0});
  q.push({2, 24, 0, 200, 0, 0});
  q.push({1, 12, 0, 300, 0, 0});
  auto removed = q.remove_if([](const LineMessage& m) { return m.device == 1 && m.id == 24; });
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(removed[0].param1, 100u);
  removed = q.remove_if([](const LineMessage&) { return true; });
  ASSERT_EQ(removed.size(), 2u);
  EXPECT_EQ(removed[0].param1, 200u);
  EXPECT_EQ(removed[1].param1, 300u);
  EXPECT_FALSE(readable(q.event_fd()));
}

TEST(MessageQueue, PushAllQueuesInOrderAndSignalsOnce) {
  MessageQueue q(true);
  MessageQueue::arm_event(q.event_fd());
  q.push_all({{1, 24, 0, 1, 0, 0}, {1, 24, 0, 2, 0, 0}, {1, 24, 0, 3, 0, 0}});
  EXPECT_TRUE(readable(q.event_fd()));
  std::uint64_t counter = 0;
  ASSERT_EQ(::read(q.event_fd(), &counter, sizeof counter), static_cast<ssize_t>(sizeof counter));
  EXPECT_EQ(counter, 1u) << "one write for the whole batch";
  ASSERT_EQ(::write(q.event_fd(), &counter, sizeof counter), static_cast<ssize_t>(sizeof counter));  // put it back
  LineMessage m;
  for (std::uintptr_t i = 1; i <= 3; ++i) {
    ASSERT_EQ(q.pop(std::chrono::milliseconds(0), &m), MessageQueue::Pop::kMessage);
    EXPECT_EQ(m.param1, i);
  }
  EXPECT_FALSE(readable(q.event_fd()));
}

// A consumer polling the descriptor while another thread pushes never misses
// a message, and the event ends up clear.
TEST(MessageQueue, ConcurrentPushAndPollNeverLosesASignal) {
  MessageQueue q(true);
  MessageQueue::arm_event(q.event_fd());
  constexpr std::uintptr_t kMessages = 20000;
  std::thread producer([&] {
    for (std::uintptr_t i = 1; i <= kMessages;) {
      if (i % 3 == 0 && i + 1 <= kMessages) {
        q.push_all({{0, 1, 0, i, 0, 0}, {0, 1, 0, i + 1, 0, 0}});
        i += 2;
      } else {
        q.push({0, 1, 0, i, 0, 0});
        ++i;
      }
    }
  });
  std::uintptr_t expected = 1;
  while (expected <= kMessages) {
    pollfd p{q.event_fd(), POLLIN, 0};
    const int rc = ::poll(&p, 1, 2000);
    if (rc == 0) {
      ASSERT_EQ(q.size(), 0u) << "messages queued but the event not readable";
    }
    LineMessage m;
    while (q.pop(std::chrono::milliseconds(0), &m) == MessageQueue::Pop::kMessage) {
      ASSERT_EQ(m.param1, expected);
      ++expected;
    }
  }
  producer.join();
  LineMessage m;
  EXPECT_EQ(q.pop(std::chrono::milliseconds(0), &m), MessageQueue::Pop::kTimeout);
  EXPECT_FALSE(readable(q.event_fd())) << "a poll that finds nothing leaves the event clear";
}

// docs/tapi2.md "Message queue limit". Issue figure: an application that
// never called lineGetMessage grew by 114,000 queued messages in 40 s.
TEST(MessageQueue, OverflowDiscardsAndQueuesOneReinitUntilItIsTaken) {
  MessageQueue q(true, 16);
  for (std::uint32_t i = 0; i < 16; ++i) EXPECT_FALSE(q.push({1, LINE_AGENTSTATUS, 0, i, 0, 0}));
  EXPECT_TRUE(q.push({1, LINE_AGENTSTATUS, 0, 16, 0, 0}));
  std::vector<LineMessage> flood(100000, LineMessage{1, LINE_AGENTSTATUS, 0, 99, 0, 0});
  EXPECT_FALSE(q.push_all(flood)) << "one overflow, not one per push";
  EXPECT_EQ(q.size(), 17u);
  EXPECT_EQ(q.dropped(), 100001u);
  EXPECT_EQ(q.overflows(), 1u);
  // remove_if never takes the marker.
  q.remove_if([](const LineMessage& m) { return m.param1 == 3 || m.id == LINE_LINEDEVSTATE; });
  EXPECT_EQ(q.size(), 16u);
  LineMessage m;
  for (std::uint32_t i = 0; i < 15; ++i) {
    ASSERT_EQ(q.pop(milliseconds(0), &m), MessageQueue::Pop::kMessage);
    EXPECT_EQ(m.id, static_cast<std::uint32_t>(LINE_AGENTSTATUS));
    // Still overflowing: a message arriving now is dropped.
    q.push({1, LINE_AGENTSTATUS, 0, 1000 + i, 0, 0});
  }
  ASSERT_EQ(q.pop(milliseconds(0), &m), MessageQueue::Pop::kMessage);
  EXPECT_EQ(m.id, static_cast<std::uint32_t>(LINE_LINEDEVSTATE));
  EXPECT_EQ(m.device, 0u);
  EXPECT_EQ(m.param1, static_cast<std::uintptr_t>(LINEDEVSTATE_REINIT));
  EXPECT_EQ(q.size(), 0u);
  // Caught up: messages are queued again.
  EXPECT_FALSE(q.push({1, LINE_AGENTSTATUS, 0, 7, 0, 0}));
  ASSERT_EQ(q.pop(milliseconds(0), &m), MessageQueue::Pop::kMessage);
  EXPECT_EQ(m.param1, 7u);
  std::printf("[figure] 100,017 messages to a queue of 16 never read: %zu held at most, %llu discarded, 1 REINIT\n",
              std::size_t{17}, static_cast<unsigned long long>(q.dropped()));
}

}  // namespace
}  // namespace opentapi::client
