#include "client/message_queue.h"

#include <poll.h>

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

namespace opentapi::client {
namespace {

using std::chrono::milliseconds;

bool readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) == 1;
}

TEST(MessageQueue, EventIsSignalledExactlyWhileMessagesAreQueued) {
  MessageQueue q(true);
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

}  // namespace
}  // namespace opentapi::client
