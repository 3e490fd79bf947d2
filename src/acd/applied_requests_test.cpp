#include "acd/applied_requests.h"

#include <gtest/gtest.h>

namespace opentapi::acd {
namespace {

TEST(AppliedRequests, KeyNamesInstanceAndOrigin) {
  EXPECT_EQ(AppliedRequests::key(std::string("\x01\xab", 2), 42), "01ab:42");
  EXPECT_EQ(AppliedRequests::key("", 42), "");
  EXPECT_EQ(AppliedRequests::key("x", 0), "");
}

TEST(AppliedRequests, ValueRoundTripsWithBinaryBuffer) {
  AppliedRequest a;
  a.result = -5;
  a.time_ms = 1'700'000'000'123;
  a.buffer = std::string("\0\x01\xff", 3);
  const auto back = AppliedRequests::decode(AppliedRequests::encode(a));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->result, -5);
  EXPECT_EQ(back->time_ms, a.time_ms);
  EXPECT_EQ(back->buffer, a.buffer);
  EXPECT_FALSE(AppliedRequests::decode("R1short"));
  EXPECT_FALSE(AppliedRequests::decode(std::string(20, 'x')));
}

TEST(AppliedRequests, AddPutsTheRecordInTheBatchAndFindsIt) {
  AppliedRequests applied(std::chrono::milliseconds(1000));
  store::Batch batch;
  applied.add("k1", AppliedRequest{0, "", 5000}, batch);
  ASSERT_EQ(batch.puts.size(), 1u);
  EXPECT_EQ(batch.puts[0].kind, "request");
  EXPECT_EQ(batch.puts[0].key, "k1");
  EXPECT_TRUE(batch.deletes.empty());
  ASSERT_NE(applied.find("k1"), nullptr);
  EXPECT_EQ(applied.find("k2"), nullptr);
}

TEST(AppliedRequests, EntriesLeaveTheWindowThroughLaterBatches) {
  AppliedRequests applied(std::chrono::milliseconds(1000));
  store::Batch first;
  applied.add("old", AppliedRequest{0, "", 1000}, first);
  applied.add("mid", AppliedRequest{0, "", 1800}, first);
  store::Batch later;
  applied.add("new", AppliedRequest{0, "", 2500}, later);
  ASSERT_EQ(later.deletes.size(), 1u);
  EXPECT_EQ(later.deletes[0].key, "old");
  EXPECT_EQ(applied.find("old"), nullptr);
  EXPECT_NE(applied.find("mid"), nullptr);
  EXPECT_EQ(applied.size(), 2u);
}

TEST(AppliedRequests, LoadSkipsExpiredAndMalformedRecords) {
  AppliedRequests applied(std::chrono::milliseconds(1000));
  std::vector<store::Record> records = {
      {"request", "fresh", AppliedRequests::encode(AppliedRequest{0, "buf", 9500})},
      {"request", "stale", AppliedRequests::encode(AppliedRequest{0, "", 8000})},
      {"request", "broken", "nonsense"},
      {"agent", "other", "ignored"},
  };
  const auto dropped = applied.load(records, 10'000);
  EXPECT_EQ(dropped, (std::vector<std::string>{"stale", "broken"}));
  ASSERT_NE(applied.find("fresh"), nullptr);
  EXPECT_EQ(applied.find("fresh")->buffer, "buf");
  EXPECT_EQ(applied.size(), 1u);
}

}  // namespace
}  // namespace opentapi::acd
