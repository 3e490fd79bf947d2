// The Store contract (store.h), run against every backend: the embedded
// SQLite store and the PostgreSQL store (a throw-away server per test
// process; skipped, saying why, when its binaries are not installed).
// Backend-specific behaviour lives beside each backend's own tests.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/postgres/pg_test_util.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/test_util.h"

namespace opentapi::store {
namespace {

using namespace std::chrono_literals;
using testing::change;
using testing::numbered;
using testing::put_with_audit;
using testing::rec;
using testing::ScratchDir;

enum class Kind { kSqlite, kPostgres };
void PrintTo(Kind kind, std::ostream* os) {  // NOLINT: gtest looks for this name
  *os << (kind == Kind::kSqlite ? "SQLite" : "PostgreSQL");
}

class StoreConformance : public ::testing::TestWithParam<Kind> {
 protected:
  void SetUp() override {
    if (GetParam() == Kind::kPostgres) {
      OPENTAPI_PG_FRESH_DATABASE(db);
      db_ = db;
    }
  }

  // The store of this test; again after a reset: the same data.
  std::unique_ptr<Store> open(std::size_t max_queued_commits = 100000) {
    Result<std::unique_ptr<Store>> opened = Status::error(ErrorCode::kOperationFailed, "no backend");
    if (GetParam() == Kind::kSqlite) {
      SqliteOptions o = testing::options_for(dir_);
      o.max_queued_commits = max_queued_commits;
      opened = open_sqlite_store(o);
    } else {
      PostgresOptions o = testing::pg_options(db_);
      o.max_queued_commits = max_queued_commits;
      opened = open_postgres_store(o);
    }
    EXPECT_TRUE(opened.ok()) << opened.status().to_string();
    return opened.ok() ? std::move(*opened) : nullptr;
  }

  ScratchDir dir_;
  std::string db_;
};

// Blocks the writer thread inside a callback until released, so that the
// commits submitted meanwhile are all waiting when it resumes.
class WriterGate {
 public:
  DurableCallback blocker() {
    return [this](const Status&, std::uint64_t) {
      std::unique_lock lock(mu_);
      entered_ = true;
      cv_.notify_all();
      cv_.wait(lock, [&] { return open_; });
    };
  }
  void wait_entered() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return entered_; });
  }
  void open() {
    std::lock_guard lock(mu_);
    open_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool entered_ = false;
  bool open_ = false;
};

void wait_until_queued(Store& store, std::uint64_t n) {
  for (int i = 0; i < 5000 && store.stats().queued < n; ++i) std::this_thread::sleep_for(1ms);
  ASSERT_GE(store.stats().queued, n);
}

std::vector<std::uint64_t> all_seqs(Store& store) {
  std::vector<std::uint64_t> seqs;
  std::uint64_t after = 0;
  for (;;) {
    auto page = store.audit("", "", after, Store::kMaxAuditPage);
    EXPECT_TRUE(page.ok());
    if (!page.ok() || page->empty()) break;
    for (const AuditEntry& e : *page) seqs.push_back(e.seq);
    after = page->back().seq;
  }
  return seqs;
}

void expect_gapless(const std::vector<std::uint64_t>& seqs) {
  for (std::size_t i = 0; i < seqs.size(); ++i) ASSERT_EQ(seqs[i], i + 1) << "at index " << i;
}

TEST_P(StoreConformance, RoundTripsRecords) {
  auto store = open();
  ASSERT_TRUE(store);
  Batch b;
  b.puts = {rec("agent", "a2", "two"), rec("agent", "a1", "one"), rec("queue", "q1", "Q")};
  ASSERT_TRUE(store->commit_and_wait(std::move(b)).ok());

  auto agents = store->load("agent");
  ASSERT_TRUE(agents.ok());
  EXPECT_EQ(*agents, (std::vector<Record>{rec("agent", "a1", "one"), rec("agent", "a2", "two")}));
  auto q = store->get("queue", "q1");
  ASSERT_TRUE(q.ok());
  ASSERT_TRUE(q->has_value());
  EXPECT_EQ((*q)->value, "Q");
  auto none = store->get("queue", "q2");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  auto empty = store->load("session");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST_P(StoreConformance, ValuesAreOpaqueBytes) {
  auto store = open();
  ASSERT_TRUE(store);
  std::string bytes("\0\x01\xff\xfe zero\0end", 13);
  Batch b;
  b.puts = {rec("session", "s\xc3\xa9", bytes), rec("session", "empty", "")};
  ASSERT_TRUE(store->commit_and_wait(std::move(b)).ok());
  auto got = store->get("session", "s\xc3\xa9");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->value, bytes);
  auto empty = store->get("session", "empty");
  ASSERT_TRUE(empty.ok() && empty->has_value());
  EXPECT_EQ((*empty)->value, "");
}

TEST_P(StoreConformance, PutOverwrites) {
  auto store = open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->commit_and_wait(Batch{{rec("agent", "a1", "v1")}, {}, {}}).ok());
  ASSERT_TRUE(store->commit_and_wait(Batch{{rec("agent", "a1", "v2")}, {}, {}}).ok());
  auto agents = store->load("agent");
  ASSERT_TRUE(agents.ok());
  EXPECT_EQ(*agents, std::vector<Record>{rec("agent", "a1", "v2")});
}

TEST_P(StoreConformance, DeleteRemovesAndIgnoresMissingKeys) {
  auto store = open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->commit_and_wait(Batch{{rec("agent", "a1", "x"), rec("agent", "a2", "y")}, {}, {}}).ok());
  Batch del;
  del.deletes = {{"agent", "a1"}, {"agent", "nope"}, {"session", "a2"}};
  ASSERT_TRUE(store->commit_and_wait(std::move(del)).ok());
  auto agents = store->load("agent");
  ASSERT_TRUE(agents.ok());
  EXPECT_EQ(*agents, std::vector<Record>{rec("agent", "a2", "y")});
}

TEST_P(StoreConformance, BatchAppliesDeletesBeforePuts) {
  auto store = open();
  ASSERT_TRUE(store);
  Batch b;
  b.deletes = {{"agent", "a1"}};
  b.puts = {rec("agent", "a1", "first"), rec("agent", "a1", "last")};
  ASSERT_TRUE(store->commit_and_wait(std::move(b)).ok());
  auto got = store->get("agent", "a1");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->value, "last");
}

TEST_P(StoreConformance, AuditSeqsAreConsecutiveAndReported) {
  auto store = open();
  ASSERT_TRUE(store);
  Batch b;
  b.audit = {change("session", "s1", 1, 2, 7), change("agent", "a1", 4, 8, 7)};
  std::uint64_t last = 0;
  ASSERT_TRUE(store->commit_and_wait(std::move(b), &last).ok());
  EXPECT_EQ(last, 2u);
  Batch c;
  c.audit = {change("session", "s1", 2, 4, 8)};
  ASSERT_TRUE(store->commit_and_wait(std::move(c), &last).ok());
  EXPECT_EQ(last, 3u);
  // A batch without audit entries reports the highest seq so far.
  ASSERT_TRUE(store->commit_and_wait(Batch{{rec("agent", "a1", "x")}, {}, {}}, &last).ok());
  EXPECT_EQ(last, 3u);

  auto all = store->audit("", "", 0, 100);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  AuditEntry expected = change("session", "s1", 1, 2, 7);
  expected.seq = 1;
  EXPECT_EQ((*all)[0], expected);
  EXPECT_EQ((*all)[1].object_key, "a1");
  EXPECT_EQ((*all)[2].to, 4u);
  auto last_seq = store->last_audit_seq();
  ASSERT_TRUE(last_seq.ok());
  EXPECT_EQ(*last_seq, 3u);
}

TEST_P(StoreConformance, AuditWithoutTimeIsStampedByTheStore) {
  auto store = open();
  ASSERT_TRUE(store);
  AuditEntry a = change("agent", "a1", 0, 1);
  a.time_ms = 0;
  const auto before =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  ASSERT_TRUE(store->commit_and_wait(Batch{{}, {}, {a}}).ok());
  auto all = store->audit("", "", 0, 10);
  ASSERT_TRUE(all.ok() && all->size() == 1);
  EXPECT_GE((*all)[0].time_ms, before);
  EXPECT_LT((*all)[0].time_ms, before + 60'000);
}

TEST_P(StoreConformance, AuditPagesByObjectAndSeq) {
  auto store = open();
  ASSERT_TRUE(store);
  // seq 1..30: session s1, session s2, agent a1, in turn.
  for (std::uint32_t i = 0; i < 30; ++i) {
    const char* kind = i % 3 == 2 ? "agent" : "session";
    std::string key = i % 3 == 0 ? "s1" : i % 3 == 1 ? "s2" : "a1";
    ASSERT_TRUE(store->commit_and_wait(Batch{{}, {}, {change(kind, key, i, i + 1, i)}}).ok());
  }
  auto page1 = store->audit("session", "s1", 0, 4);
  ASSERT_TRUE(page1.ok());
  ASSERT_EQ(page1->size(), 4u);
  EXPECT_EQ((*page1)[0].seq, 1u);
  EXPECT_EQ((*page1)[3].seq, 10u);
  auto page2 = store->audit("session", "s1", page1->back().seq, 4);
  ASSERT_TRUE(page2.ok());
  ASSERT_EQ(page2->size(), 4u);
  EXPECT_EQ((*page2)[0].seq, 13u);
  auto page3 = store->audit("session", "s1", page2->back().seq, 4);
  ASSERT_TRUE(page3.ok());
  ASSERT_EQ(page3->size(), 2u);  // 25, 28
  EXPECT_EQ(page3->back().seq, 28u);
  auto page4 = store->audit("session", "s1", 28, 4);
  ASSERT_TRUE(page4.ok());
  EXPECT_TRUE(page4->empty());

  auto sessions = store->audit("session", "", 0, 100);
  ASSERT_TRUE(sessions.ok());
  EXPECT_EQ(sessions->size(), 20u);
  for (std::size_t i = 1; i < sessions->size(); ++i) {
    EXPECT_LT((*sessions)[i - 1].seq, (*sessions)[i].seq);
  }
  auto everything = store->audit("", "", 25, 100);
  ASSERT_TRUE(everything.ok());
  EXPECT_EQ(everything->size(), 5u);
  auto none = store->audit("", "", 0, 0);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());

  auto bad = store->audit("", "s1", 0, 10);
  EXPECT_EQ(bad.code(), ErrorCode::kInvalParam);
}

TEST_P(StoreConformance, StateAndAuditSurviveReopenWithGaplessSeqs) {
  {
    auto store = open();
    ASSERT_TRUE(store);
    for (int i = 0; i < 10; ++i) {
      ASSERT_TRUE(store->commit_and_wait(put_with_audit("session", numbered("s", i), "v")).ok());
    }
  }
  {
    auto store = open();
    ASSERT_TRUE(store);
    auto sessions = store->load("session");
    ASSERT_TRUE(sessions.ok());
    EXPECT_EQ(sessions->size(), 10u);
    std::uint64_t last = 0;
    Batch b;
    b.audit = {change("agent", "a1", 1, 2), change("agent", "a1", 2, 1)};
    ASSERT_TRUE(store->commit_and_wait(std::move(b), &last).ok());
    EXPECT_EQ(last, 12u);
  }
  auto store = open();
  ASSERT_TRUE(store);
  auto seqs = all_seqs(*store);
  EXPECT_EQ(seqs.size(), 12u);
  expect_gapless(seqs);
}

TEST_P(StoreConformance, GroupCommitSharesOneTransaction) {
  auto store = open();
  ASSERT_TRUE(store);
  WriterGate gate;
  store->commit(Batch{{rec("meta", "first", "")}, {}, {}}, gate.blocker());
  gate.wait_entered();  // the writer is now busy with the first commit

  constexpr int kThreads = 64;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      store->commit(put_with_audit("session", numbered("s", t), "v"), [&](const Status& s, std::uint64_t) {
        if (s.ok()) ok.fetch_add(1);
      });
    });
  }
  for (auto& th : threads) th.join();
  wait_until_queued(*store, kThreads);
  const std::uint64_t syncs_before = store->stats().syncs;
  gate.open();
  ASSERT_TRUE(store->flush().ok());

  EXPECT_EQ(ok.load(), kThreads);
  StoreStats stats = store->stats();
  EXPECT_EQ(stats.commits, kThreads + 1u);
  EXPECT_EQ(stats.transactions, 2u);  // the first commit, then all 64 together
  EXPECT_EQ(stats.largest_group, static_cast<std::uint64_t>(kThreads));
  EXPECT_EQ(stats.failed_batches, 0u);
  EXPECT_EQ(stats.syncs - syncs_before, 1u);  // one fsync of the WAL for 64 commits
  expect_gapless(all_seqs(*store));
  EXPECT_EQ(all_seqs(*store).size(), static_cast<std::size_t>(kThreads));
}

TEST_P(StoreConformance, ManyConcurrentCommittersAreAllDurable) {
  auto store = open();
  ASSERT_TRUE(store);
  constexpr int kThreads = 64, kEach = 10;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        std::string key = std::to_string(t) + "/" + std::to_string(i);
        if (!store->commit_and_wait(put_with_audit("session", key, key)).ok()) failures++;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  StoreStats stats = store->stats();
  EXPECT_EQ(stats.commits, static_cast<std::uint64_t>(kThreads * kEach));
  EXPECT_LT(stats.transactions, stats.commits);
  EXPECT_GT(stats.max_commit_latency_us, 0u);
  auto sessions = store->load("session");
  ASSERT_TRUE(sessions.ok());
  EXPECT_EQ(sessions->size(), static_cast<std::size_t>(kThreads * kEach));
  auto seqs = all_seqs(*store);
  EXPECT_EQ(seqs.size(), static_cast<std::size_t>(kThreads * kEach));
  expect_gapless(seqs);
}

// Store::after_group (the ACD answers a whole group from it, docs/performance.md
// step 12): its functions run once every callback of the group has run, in
// the order given, before flush() returns; outside a callback at once.
TEST_P(StoreConformance, AfterGroupRunsOnceTheGroupsCallbacksHaveRun) {
  auto store = open();
  ASSERT_TRUE(store);
  bool ran = false;
  Store::after_group([&] { ran = true; });
  EXPECT_TRUE(ran) << "outside a callback: at once";

  WriterGate gate;
  store->commit(Batch{}, gate.blocker());
  gate.wait_entered();              // the next three are queued behind it and form one group
  std::vector<std::string> events;  // written on the writer thread only, read after flush()
  for (int i = 0; i < 3; ++i) {
    store->commit(put_with_audit("agent", numbered("g", i), "v"), [&, i](const Status& s, std::uint64_t) {
      EXPECT_TRUE(s.ok()) << s.to_string();
      events.push_back("callback " + std::to_string(i));
      Store::after_group([&events, i] { events.push_back("after " + std::to_string(i)); });
    });
  }
  wait_until_queued(*store, 3);
  gate.open();
  ASSERT_TRUE(store->flush().ok());
  EXPECT_EQ(store->stats().largest_group, 3u);
  EXPECT_EQ(events,
            (std::vector<std::string>{"callback 0", "callback 1", "callback 2", "after 0", "after 1", "after 2"}));
}

TEST_P(StoreConformance, CallbacksRunOnTheWriterThreadInSubmissionOrder) {
  auto store = open();
  ASSERT_TRUE(store);
  std::mutex mu;
  std::vector<int> order;
  std::vector<std::uint64_t> seqs;
  std::atomic<bool> on_caller_thread{false};
  const auto caller = std::this_thread::get_id();
  for (int i = 0; i < 200; ++i) {
    store->commit(put_with_audit("agent", numbered("a", i), "v"), [&, i](const Status& s, std::uint64_t seq) {
      EXPECT_TRUE(s.ok()) << s.to_string();
      if (std::this_thread::get_id() == caller) on_caller_thread = true;
      std::lock_guard lock(mu);
      order.push_back(i);
      seqs.push_back(seq);
    });
  }
  ASSERT_TRUE(store->flush().ok());
  EXPECT_FALSE(on_caller_thread.load());
  ASSERT_EQ(order.size(), 200u);
  for (int i = 0; i < 200; ++i) {
    EXPECT_EQ(order[i], i);
    EXPECT_EQ(seqs[i], static_cast<std::uint64_t>(i + 1));  // one audit entry each, in order
  }
}

TEST_P(StoreConformance, AnInvalidBatchFailsAloneInItsGroup) {
  auto store = open();
  ASSERT_TRUE(store);
  WriterGate gate;
  store->commit(Batch{}, gate.blocker());
  gate.wait_entered();
  std::vector<Status> results(4);
  store->commit(put_with_audit("agent", "good1", "v"), [&](const Status& s, std::uint64_t) { results[0] = s; });
  store->commit(Batch{{rec("agent", "", "empty key")}, {}, {}},
                [&](const Status& s, std::uint64_t) { results[1] = s; });
  store->commit(Batch{{rec("agent", std::string(kMaxKeyBytes + 1, 'k'), "v")}, {}, {}},
                [&](const Status& s, std::uint64_t) { results[2] = s; });
  store->commit(put_with_audit("agent", "good2", "v"), [&](const Status& s, std::uint64_t) { results[3] = s; });
  gate.open();
  ASSERT_TRUE(store->flush().ok());
  EXPECT_TRUE(results[0].ok());
  EXPECT_EQ(results[1].code(), ErrorCode::kInvalParam);
  EXPECT_NE(results[1].message().find("record key is empty"), std::string::npos);
  EXPECT_EQ(results[2].code(), ErrorCode::kInvalParam);
  EXPECT_TRUE(results[3].ok());
  auto agents = store->load("agent");
  ASSERT_TRUE(agents.ok());
  EXPECT_EQ(agents->size(), 2u);
  EXPECT_EQ(store->stats().failed_commits, 2u);
}

TEST_P(StoreConformance, RefusesCommitsBeyondTheQueueLimit) {
  auto store = open(/*max_queued_commits=*/3);
  ASSERT_TRUE(store);
  WriterGate gate;
  store->commit(Batch{}, gate.blocker());
  gate.wait_entered();
  std::vector<Status> results(5);
  for (int i = 0; i < 5; ++i) {
    store->commit(put_with_audit("agent", numbered("a", i), "v"),
                  [&, i](const Status& s, std::uint64_t) { results[i] = s; });
  }
  gate.open();
  ASSERT_TRUE(store->flush().ok());
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(results[i].ok()) << i;
  for (int i = 3; i < 5; ++i) {
    EXPECT_EQ(results[i].code(), ErrorCode::kResourceUnavail) << i;
    EXPECT_NE(results[i].message().find("overloaded"), std::string::npos);
  }
  EXPECT_EQ(store->load("agent")->size(), 3u);
}

TEST_P(StoreConformance, FlushWaitsForEverythingSubmitted) {
  auto store = open();
  ASSERT_TRUE(store);
  std::atomic<int> done{0};
  for (int i = 0; i < 50; ++i) {
    store->commit(put_with_audit("agent", numbered("a", i), "v"), [&](const Status&, std::uint64_t) { done++; });
  }
  ASSERT_TRUE(store->flush().ok());
  EXPECT_EQ(done.load(), 50);
  EXPECT_EQ(store->load("agent")->size(), 50u);
}

TEST_P(StoreConformance, WaitingInsideACallbackIsRefusedNotDeadlocked) {
  auto store = open();
  ASSERT_TRUE(store);
  Status flush_status, wait_status;
  std::atomic<bool> nested_done{false};
  store->commit(Batch{}, [&](const Status&, std::uint64_t) {
    flush_status = store->flush();
    wait_status = store->commit_and_wait(Batch{});
    // Submitting from a callback is fine.
    store->commit(put_with_audit("agent", "nested", "v"),
                  [&](const Status& s, std::uint64_t) { nested_done = s.ok(); });
  });
  ASSERT_TRUE(store->flush().ok());
  ASSERT_TRUE(store->flush().ok());  // the nested commit was submitted after the first flush began
  EXPECT_EQ(flush_status.code(), ErrorCode::kOperationFailed);
  EXPECT_NE(flush_status.message().find("wait for itself"), std::string::npos);
  EXPECT_EQ(wait_status.code(), ErrorCode::kOperationFailed);
  EXPECT_TRUE(nested_done.load());
}

TEST_P(StoreConformance, ClosingFinishesPendingCommits) {
  std::atomic<int> ok{0};
  {
    auto store = open();
    ASSERT_TRUE(store);
    for (int i = 0; i < 100; ++i) {
      store->commit(put_with_audit("agent", numbered("a", i), "v"),
                    [&](const Status& s, std::uint64_t) { ok += s.ok() ? 1 : 0; });
    }
  }
  EXPECT_EQ(ok.load(), 100);
  auto store = open();
  ASSERT_TRUE(store);
  EXPECT_EQ(store->load("agent")->size(), 100u);
}

// Several batches of one group that touch the same keys: each batch applies
// in submission order, so the last word on a key wins (a group is written
// with multi-row statements by some backends).
TEST_P(StoreConformance, BatchesOfOneGroupApplyInOrder) {
  auto store = open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->commit_and_wait(Batch{{rec("agent", "gone", "x"), rec("agent", "back", "x")}, {}, {}}).ok());
  WriterGate gate;
  store->commit(Batch{}, gate.blocker());
  gate.wait_entered();
  std::atomic<int> ok{0};
  auto count = [&](const Status& s, std::uint64_t) { ok += s.ok() ? 1 : 0; };
  store->commit(Batch{{rec("agent", "k", "1")}, {}, {}}, count);
  store->commit(Batch{{}, {{"agent", "k"}}, {}}, count);
  store->commit(Batch{{rec("agent", "k", "3")}, {}, {}}, count);
  store->commit(Batch{{rec("agent", "j", "1")}, {}, {}}, count);
  store->commit(Batch{{}, {{"agent", "j"}, {"agent", "gone"}}, {}}, count);
  store->commit(Batch{{}, {{"agent", "back"}}, {}}, count);
  store->commit(Batch{{rec("agent", "back", "again")}, {}, {}}, count);
  wait_until_queued(*store, 7);
  gate.open();
  ASSERT_TRUE(store->flush().ok());
  EXPECT_EQ(ok.load(), 7);
  auto agents = store->load("agent");
  ASSERT_TRUE(agents.ok());
  EXPECT_EQ(*agents, (std::vector<Record>{rec("agent", "back", "again"), rec("agent", "k", "3")}));
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreConformance, ::testing::Values(Kind::kSqlite, Kind::kPostgres),
                         [](const ::testing::TestParamInfo<Kind>& param) {
                           return param.param == Kind::kSqlite ? "Sqlite" : "Postgres";
                         });

}  // namespace
}  // namespace opentapi::store
