#include "http/change_log.h"

#include <gtest/gtest.h>

namespace opentapi::http {
namespace {

ChangeLog::Frame frame(std::uint64_t seq) { return std::make_shared<const std::string>(std::to_string(seq)); }

std::vector<std::string> texts(const std::vector<ChangeLog::Frame>& frames) {
  std::vector<std::string> out;
  for (const auto& f : frames) out.push_back(*f);
  return out;
}

TEST(ChangeLog, ResumesFromAnyHeldChange) {
  ChangeLog log(4);
  log.reset(10);
  for (std::uint64_t s = 11; s <= 13; ++s) ASSERT_TRUE(log.append(s, frame(s)));
  EXPECT_EQ(texts(*log.since(10)), (std::vector<std::string>{"11", "12", "13"}));
  EXPECT_EQ(texts(*log.since(12)), (std::vector<std::string>{"13"}));
  EXPECT_TRUE(log.since(13)->empty());
}

TEST(ChangeLog, CannotResumeBeforeWhatItHoldsOrAfterItsEnd) {
  ChangeLog log(4);
  log.reset(10);
  for (std::uint64_t s = 11; s <= 16; ++s) log.append(s, frame(s));
  EXPECT_EQ(log.size(), 4u);
  EXPECT_EQ(texts(*log.since(12)), (std::vector<std::string>{"13", "14", "15", "16"}));
  EXPECT_FALSE(log.since(11));
  EXPECT_FALSE(log.since(17));
}

TEST(ChangeLog, IgnoresRepeatsAndRestartsAfterAGap) {
  ChangeLog log(8);
  log.reset(0);
  log.append(1, frame(1));
  log.append(2, frame(2));
  EXPECT_FALSE(log.append(2, frame(2)));
  EXPECT_TRUE(log.append(5, frame(5)));
  EXPECT_EQ(log.last_seq(), 5u);
  EXPECT_FALSE(log.since(2)) << "changes 3 and 4 were never seen";
  EXPECT_EQ(texts(*log.since(4)), (std::vector<std::string>{"5"}));
}

}  // namespace
}  // namespace opentapi::http
