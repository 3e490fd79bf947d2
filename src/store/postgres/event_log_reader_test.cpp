// The warm standby's copy (event_log_reader.h): after every round it equals
// what load() returns, whatever the owner wrote — puts, deletes, batches
// without events, several commits in one round —; the owner's NOTIFY wakes
// it; a copy older than the kept event log loads everything again. Every
// test gets a fresh database on a throw-away server (pg_test_util.h).
#include "store/postgres/event_log_reader.h"

#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <string>
#include <thread>

#include "store/postgres/pg_test_util.h"
#include "store/sqlite/test_util.h"

namespace opentapi::store {
namespace {

using namespace std::chrono_literals;
using testing::change;
using testing::pg_options;
using testing::put_with_audit;
using testing::rec;
using testing::shared_postgres;

const std::vector<std::string> kKinds = {"meta", "agent", "session", "call"};

std::string query(const std::string& db, const std::string& sql) { return shared_postgres().server->query(db, sql); }

std::unique_ptr<Store> open_or_fail(const PostgresOptions& o) {
  auto s = open_postgres_store(o);
  EXPECT_TRUE(s.ok()) << s.status().to_string();
  return s.ok() ? std::move(*s) : nullptr;
}

// The copy equals the store, kind by kind, in load()'s order.
void expect_same(const EventLogReader& reader, Store& store) {
  for (const std::string& kind : kKinds) {
    auto loaded = store.load(kind);
    ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
    EXPECT_EQ(reader.records({kind}), *loaded) << "kind " << kind;
  }
}

TEST(EventLogReader, FollowsPutsDeletesAndCommitsWithoutEvents) {
  OPENTAPI_PG_FRESH_DATABASE(db);
  auto store = open_or_fail(pg_options(db));
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->commit_and_wait(put_with_audit("agent", "a1", "one")).ok());
  ASSERT_TRUE(store->commit_and_wait(put_with_audit("agent", "a2", "two")).ok());

  EventLogReader reader(pg_options(db));
  EXPECT_FALSE(reader.stats().ready);
  EXPECT_TRUE(reader.records(kKinds).empty());
  ASSERT_TRUE(reader.catch_up().ok());
  EventLogReaderStats s = reader.stats();
  EXPECT_TRUE(s.ready);
  EXPECT_EQ(s.applied_seq, 2u);
  EXPECT_EQ(s.records, 2u);
  EXPECT_EQ(s.full_loads, 1u);
  expect_same(reader, *store);

  // A put with an event, a put without one (same seq as the commit before
  // it), a delete without one, and bytes a text column would refuse.
  ASSERT_TRUE(store->commit_and_wait(put_with_audit("session", "s1", std::string("x\0y", 3))).ok());
  ASSERT_TRUE(store->commit_and_wait(Batch{{rec("meta", "counters", "7")}, {}, {}}).ok());
  ASSERT_TRUE(reader.catch_up().ok());
  expect_same(reader, *store);
  ASSERT_TRUE(store->commit_and_wait(Batch{{rec("meta", "counters", "8")}, {{"agent", "a1"}}, {}}).ok());
  ASSERT_TRUE(reader.catch_up().ok());
  expect_same(reader, *store);
  s = reader.stats();
  EXPECT_EQ(s.applied_seq, 3u);
  EXPECT_EQ(s.records, 3u);
  EXPECT_EQ(s.lag_seq(), 0u);
  EXPECT_EQ(s.full_loads, 1u) << "later rounds read the changes only";
  EXPECT_EQ(s.entries, 1u) << "the one event after seq 2";

  // Deleted and written again in one round; and nothing new at all.
  ASSERT_TRUE(store->commit_and_wait(Batch{{}, {{"session", "s1"}}, {change("session", "s1", 2, 3)}}).ok());
  ASSERT_TRUE(store->commit_and_wait(put_with_audit("session", "s1", "back")).ok());
  ASSERT_TRUE(reader.catch_up().ok());
  expect_same(reader, *store);
  ASSERT_TRUE(reader.catch_up().ok());
  expect_same(reader, *store);
  EXPECT_EQ(reader.stats().applied_seq, 5u);

  // A takeover moves the copy out: the same records, then nothing.
  std::vector<Record> all;
  for (const std::string& kind : kKinds) {
    auto loaded = store->load(kind);
    ASSERT_TRUE(loaded.ok());
    for (Record& r : *loaded) all.push_back(std::move(r));
  }
  EXPECT_EQ(reader.take_records(kKinds), all);
  EXPECT_FALSE(reader.stats().ready);
  EXPECT_TRUE(reader.records(kKinds).empty());
  ASSERT_TRUE(reader.catch_up().ok());
  EXPECT_EQ(reader.stats().full_loads, 2u) << "loaded again";
  expect_same(reader, *store);
}

TEST(EventLogReader, MatchesTheStoreAfterRandomWork) {
  OPENTAPI_PG_FRESH_DATABASE(db);
  auto store = open_or_fail(pg_options(db));
  ASSERT_TRUE(store);
  EventLogReader reader(pg_options(db));
  std::mt19937 rng(7);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  for (int round = 0; round < 40; ++round) {
    // Several commits between two rounds, some in flight together (one
    // group, one transaction), some without events.
    std::vector<std::thread> none;
    for (int c = 0, commits = 1 + pick(6); c < commits; ++c) {
      Batch b;
      for (int i = 0, n = pick(4); i < n; ++i) {
        const std::string kind = kKinds[static_cast<std::size_t>(pick(4))];
        const std::string key = "k" + std::to_string(pick(12));
        if (pick(3) == 0) {
          b.deletes.push_back({kind, key});
        } else {
          b.puts.push_back(rec(kind, key, "v" + std::to_string(round) + "." + std::to_string(c)));
        }
        if (pick(2) == 0) b.audit.push_back(change(kind, key, 1, 2));
      }
      if (pick(2) == 0) {
        store->commit(std::move(b), [](const Status& st, std::uint64_t) { EXPECT_TRUE(st.ok()) << st.to_string(); });
      } else {
        ASSERT_TRUE(store->commit_and_wait(std::move(b)).ok());
      }
    }
    ASSERT_TRUE(store->flush().ok());
    ASSERT_TRUE(reader.catch_up().ok());
    ASSERT_NO_FATAL_FAILURE(expect_same(reader, *store)) << "round " << round;
    EXPECT_EQ(reader.stats().applied_seq, *store->last_audit_seq());
  }
  EXPECT_EQ(reader.stats().full_loads, 1u);
}

TEST(EventLogReader, IsWokenByTheOwnersNotifyWithTheSeqOnly) {
  OPENTAPI_PG_FRESH_DATABASE(db);
  auto store = open_or_fail(pg_options(db));
  ASSERT_TRUE(store);
  EventLogReader reader(pg_options(db));
  ASSERT_TRUE(reader.catch_up().ok());  // connects and listens

  std::uint64_t seq = 0;
  ASSERT_TRUE(store->commit_and_wait(put_with_audit("agent", "a1", "one"), &seq).ok());
  // Without the notification it would sleep the whole minute.
  const auto t0 = std::chrono::steady_clock::now();
  while (reader.stats().head_seq < seq && std::chrono::steady_clock::now() - t0 < 30s) reader.wait(60s);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 30s);
  EventLogReaderStats s = reader.stats();
  EXPECT_GE(s.notifications, 1u);
  EXPECT_EQ(s.head_seq, seq) << "the payload is the seq";
  EXPECT_EQ(s.applied_seq, 0u);
  EXPECT_EQ(s.lag_seq(), seq);
  EXPECT_GE(s.lag_seconds, 0.0);
  ASSERT_TRUE(reader.catch_up().ok());
  s = reader.stats();
  EXPECT_EQ(s.lag_seq(), 0u);
  EXPECT_EQ(s.lag_seconds, 0.0);
  expect_same(reader, *store);

  // wake() ends a wait at once, from another thread.
  std::thread waker([&] {
    std::this_thread::sleep_for(50ms);
    reader.wake();
  });
  const auto t1 = std::chrono::steady_clock::now();
  reader.wait(60s);
  waker.join();
  EXPECT_LT(std::chrono::steady_clock::now() - t1, 30s);
}

TEST(EventLogReader, ACopyOlderThanTheKeptLogLoadsEverythingAgain) {
  OPENTAPI_PG_FRESH_DATABASE(db);
  PostgresOptions o = pg_options(db);
  o.event_log_retention = 1h;
  o.retention_check_every = 1ms;
  auto store = open_or_fail(o);
  ASSERT_TRUE(store);
  EventLogReader reader(pg_options(db));
  const std::int64_t now =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  const std::int64_t old = now - 7'200'000;
  // Seq 1, two hours old, writes a0 (never written again) and a1.
  Batch first = put_with_audit("agent", "a1", "one");
  first.puts.push_back(rec("agent", "a0", "zero"));
  first.audit[0].time_ms = old;
  ASSERT_TRUE(store->commit_and_wait(std::move(first)).ok());
  ASSERT_TRUE(reader.catch_up().ok());
  ASSERT_EQ(reader.stats().applied_seq, 1u);

  // Seqs 2..4 two hours old too: trimmed with seq 1, and the note of a0
  // with them; the copy at seq 1 can no longer learn what changed.
  Batch b;
  b.puts.push_back(rec("agent", "a2", "two"));
  b.deletes.push_back({"agent", "a1"});
  for (int i = 0; i < 3; ++i) {
    AuditEntry a = change("agent", "a2", 1, 2);
    a.time_ms = old;
    b.audit.push_back(a);
  }
  ASSERT_TRUE(store->commit_and_wait(std::move(b)).ok());
  Batch recent = put_with_audit("agent", "a3", "three");  // seq 5
  recent.audit[0].time_ms = now;
  ASSERT_TRUE(store->commit_and_wait(std::move(recent)).ok());
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (query(db, "SELECT first_seq FROM opentapi_call_centers") != "5" &&
         std::chrono::steady_clock::now() < deadline) {
    ASSERT_TRUE(store->commit_and_wait(Batch{{rec("meta", "nudge", "")}, {}, {}}).ok());  // the trim runs after a group
    std::this_thread::sleep_for(10ms);
  }
  ASSERT_EQ(query(db, "SELECT first_seq FROM opentapi_call_centers"), "5");
  EXPECT_EQ(query(db, "SELECT count(*) FROM opentapi_changes WHERE seq < 4"), "0") << "a0's note trimmed with the log";
  EXPECT_EQ(query(db, "SELECT count(*) FROM opentapi_records WHERE key = 'a0'::bytea"), "1");

  ASSERT_TRUE(reader.catch_up().ok());
  EXPECT_EQ(reader.stats().full_loads, 2u);
  expect_same(reader, *store);
  EXPECT_EQ(reader.stats().applied_seq, 5u);
}

TEST(EventLogReader, SaysWhenTheDatabaseHasNoChangesToFollowYet) {
  OPENTAPI_PG_FRESH_DATABASE(db);
  EventLogReader reader(pg_options(db));
  const Status s = reader.catch_up();
  EXPECT_EQ(s.code(), ErrorCode::kOperationUnavail) << s.to_string();
  EXPECT_NE(s.message().find("schema version 3"), std::string::npos) << s.message();
  EXPECT_FALSE(reader.stats().ready);

  PostgresOptions unreachable = pg_options(db);
  unreachable.conninfo = "host=/nonexistent-opentapi-dir dbname=x connect_timeout=2";
  EventLogReader nowhere(unreachable);
  EXPECT_EQ(nowhere.catch_up().code(), ErrorCode::kOperationFailed);
}

}  // namespace
}  // namespace opentapi::store
