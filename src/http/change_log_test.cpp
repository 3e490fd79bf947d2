#include "http/change_log.h"

#include <gtest/gtest.h>

namespace opentapi::http {
namespace {

acd::BoardChange change(std::uint64_t seq) {
  acd::BoardChange c;
  c.seq = seq;
  c.now_ms = static_cast<std::int64_t>(seq) * 10;
  return c;
}

// Frames are "seq", and every serialisation is counted.
struct Counted {
  int calls = 0;
  ChangeLog log;
  explicit Counted(std::size_t capacity)
      : log(
            [this](const acd::BoardChange& c) {
              ++calls;
              return std::to_string(c.seq);
            },
            capacity) {}
};

std::vector<std::string> texts(const std::vector<ChangeLog::Frame>& frames) {
  std::vector<std::string> out;
  for (const auto& f : frames) out.push_back(*f);
  return out;
}

TEST(ChangeLog, ResumesFromAnyHeldChange) {
  Counted c(4);
  c.log.reset(10);
  for (std::uint64_t s = 11; s <= 13; ++s) ASSERT_TRUE(c.log.append(change(s)));
  EXPECT_EQ(texts(*c.log.since(10)), (std::vector<std::string>{"11", "12", "13"}));
  EXPECT_EQ(texts(*c.log.since(12)), (std::vector<std::string>{"13"}));
  EXPECT_TRUE(c.log.since(13)->empty());
}

TEST(ChangeLog, CannotResumeBeforeWhatItHoldsOrAfterItsEnd) {
  Counted c(4);
  c.log.reset(10);
  for (std::uint64_t s = 11; s <= 16; ++s) c.log.append(change(s));
  EXPECT_EQ(c.log.size(), 4u);
  EXPECT_EQ(texts(*c.log.since(12)), (std::vector<std::string>{"13", "14", "15", "16"}));
  EXPECT_FALSE(c.log.since(11));
  EXPECT_FALSE(c.log.since(17));
}

TEST(ChangeLog, IgnoresRepeatsAndRestartsAfterAGap) {
  Counted c(8);
  c.log.reset(0);
  c.log.append(change(1));
  c.log.append(change(2));
  EXPECT_FALSE(c.log.append(change(2)));
  EXPECT_TRUE(c.log.append(change(5)));
  EXPECT_EQ(c.log.last_seq(), 5u);
  EXPECT_FALSE(c.log.since(2)) << "changes 3 and 4 were never seen";
  EXPECT_EQ(texts(*c.log.since(4)), (std::vector<std::string>{"5"}));
}

TEST(ChangeLog, SerialisesOnlyWhatIsReadAndEachChangeOnce) {
  Counted c(4);
  c.log.reset(0);
  for (std::uint64_t s = 1; s <= 6; ++s) c.log.append(change(s));
  EXPECT_EQ(c.calls, 0) << "recording a change must not serialise it";
  EXPECT_EQ(*c.log.newest_frame(), "6");
  EXPECT_EQ(c.calls, 1);
  EXPECT_EQ(texts(*c.log.since(4)), (std::vector<std::string>{"5", "6"}));
  EXPECT_EQ(c.calls, 2) << "6 was already serialised";
  EXPECT_EQ(texts(*c.log.since(2)), (std::vector<std::string>{"3", "4", "5", "6"}));
  EXPECT_EQ(c.calls, 4);
  EXPECT_EQ(c.log.newest_frame(), c.log.since(5)->front()) << "the same frame is shared, not made again";
  EXPECT_EQ(c.calls, 4);
}

}  // namespace
}  // namespace opentapi::http
