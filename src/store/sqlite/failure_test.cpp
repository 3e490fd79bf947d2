// Bad input and bad disks: corrupt and truncated database files, a full disk
// (SQLite's own SQLITE_FULL and a simulated ENOSPC), a failing device.
// In every case: a clear error, no acknowledgement of anything not stored,
// nothing stored before damaged.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/test_util.h"

namespace opentapi::store {
namespace {

using testing::change;
using testing::numbered;
using testing::open_or_fail;
using testing::options_for;
using testing::put_with_audit;
using testing::read_file;
using testing::rec;
using testing::ScratchDir;
using testing::write_file;

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// A closed store with `n` agents of 2 KiB each and their audit lines.
void fill(const ScratchDir& dir, int n) {
  auto store = open_or_fail(options_for(dir));
  ASSERT_TRUE(store);
  for (int i = 0; i < n; i += 10) {
    Batch b;
    for (int j = i; j < i + 10 && j < n; ++j) {
      b.puts.push_back(rec("agent", numbered("a", j), std::string(2048, 'x')));
      b.audit.push_back(change("agent", numbered("a", j), 0, 1));
    }
    ASSERT_TRUE(store->commit_and_wait(std::move(b)).ok());
  }
}

// Opening must fail with "database file … is corrupt" and leave the file as it was.
void expect_refused_as_corrupt(const ScratchDir& dir, const std::string& why,
                               OpenCheck check = OpenCheck::kQuickCheck) {
  const std::string before = read_file(dir.db_path());
  SqliteOptions options = options_for(dir);
  options.check_at_open = check;
  auto store = open_sqlite_store(options);
  ASSERT_FALSE(store.ok()) << "opened a damaged database";
  EXPECT_EQ(store.code(), ErrorCode::kOperationFailed);
  const std::string msg = store.status().message();
  EXPECT_TRUE(contains(msg, "database file " + dir.db_path() + " is corrupt: ")) << msg;
  EXPECT_TRUE(contains(msg, why)) << msg;
  EXPECT_EQ(read_file(dir.db_path()), before) << "the damaged file was modified";
}

TEST(CorruptDatabase, TruncatedToHalfIsRefused) {
  ScratchDir dir;
  fill(dir, 200);
  struct stat st {};
  ASSERT_EQ(::stat(dir.db_path().c_str(), &st), 0);
  ASSERT_GT(st.st_size, 100 * 4096) << "expected a database of many pages";
  ASSERT_EQ(::truncate(dir.db_path().c_str(), st.st_size / 2), 0);
  expect_refused_as_corrupt(dir, "truncated: the file has " + std::to_string(st.st_size / 2) +
                                     " bytes, its header says " + std::to_string(st.st_size / 4096) +
                                     " pages of 4096 bytes");
}

TEST(CorruptDatabase, TruncatedToHalfIsRefusedEvenWithHeaderOnlyCheck) {
  ScratchDir dir;
  fill(dir, 200);
  struct stat st {};
  ASSERT_EQ(::stat(dir.db_path().c_str(), &st), 0);
  ASSERT_EQ(::truncate(dir.db_path().c_str(), st.st_size / 2), 0);
  expect_refused_as_corrupt(dir, "truncated", OpenCheck::kHeaderOnly);
}

// A crash left a WAL behind, then the database file lost its tail: SQLite's
// own checks (not the header length test) must catch it.
TEST(CorruptDatabase, TruncatedWithAWalPresentIsRefused) {
  ScratchDir dir;
  fill(dir, 200);
  struct stat st {};
  ASSERT_EQ(::stat(dir.db_path().c_str(), &st), 0);
  ASSERT_EQ(::truncate(dir.db_path().c_str(), st.st_size / 2), 0);
  write_file(dir.db_path() + "-wal", "");  // an empty WAL does not count
  expect_refused_as_corrupt(dir, "truncated");
  // A non-empty WAL (here: one that is not even valid, as after a torn write)
  // leaves the diagnosis to SQLite and quick_check.
  write_file(dir.db_path() + "-wal", std::string(100, '\0'));
  expect_refused_as_corrupt(dir, "");
}

TEST(SqliteStoreFiles, DatabaseIsPrivateToTheServer) {
  ScratchDir dir;
  { ASSERT_TRUE(open_or_fail(options_for(dir))); }
  struct stat st {};
  ASSERT_EQ(::stat(dir.db_path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(CorruptDatabase, EmptiedFileIsRefusedNotReplaced) {
  ScratchDir dir;
  fill(dir, 10);
  ASSERT_EQ(::truncate(dir.db_path().c_str(), 0), 0);
  expect_refused_as_corrupt(dir, "only 0 bytes long (truncated)");
}

TEST(CorruptDatabase, GarbageIsRefused) {
  ScratchDir dir;
  fill(dir, 1);
  std::string garbage(64 * 1024, '\0');
  for (std::size_t i = 0; i < garbage.size(); ++i) garbage[i] = static_cast<char>(i * 7919 % 251);
  write_file(dir.db_path(), garbage);
  expect_refused_as_corrupt(dir, "not a database");
}

TEST(CorruptDatabase, DamagedPageIsFoundByQuickCheck) {
  ScratchDir dir;
  fill(dir, 200);
  std::string bytes = read_file(dir.db_path());
  const std::size_t pages = bytes.size() / 4096;
  ASSERT_GT(pages, 10u);
  // Scribble over a page in the middle (a b-tree page of the records).
  for (std::size_t i = 0; i < 4096; ++i) bytes[(pages / 2) * 4096 + i] = static_cast<char>(0xA5);
  write_file(dir.db_path(), bytes);
  expect_refused_as_corrupt(dir, "");
}

TEST(CorruptDatabase, MissingDatabaseWithALeftoverWalIsRefused) {
  ScratchDir dir;
  fill(dir, 1);
  ASSERT_EQ(::rename(dir.db_path().c_str(), (dir.path() + "/moved.db").c_str()), 0);
  write_file(dir.db_path() + "-wal", std::string(4096, 'w'));
  auto store = open_sqlite_store(options_for(dir));
  ASSERT_FALSE(store.ok());
  EXPECT_TRUE(contains(store.status().message(), "is missing but its write-ahead log")) << store.status().message();
  EXPECT_NE(::access(dir.db_path().c_str(), F_OK), 0) << "an empty database was created";
}

// SQLite's own SQLITE_FULL, from a page limit: the real code path of a full disk.
TEST(DiskFull, FailedBatchLeavesNoTraceAndTheStoreCarriesOn) {
  ScratchDir dir;
  SqliteOptions limited = options_for(dir);
  limited.testing.max_page_count = 40;  // 160 KiB
  {
    auto store = open_or_fail(limited);
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->commit_and_wait(put_with_audit("agent", "before", "v")).ok());

    Batch big;
    for (int i = 0; i < 100; ++i) {
      big.puts.push_back(rec("session", numbered("s", i), std::string(4000, 'z')));
      big.audit.push_back(change("session", numbered("s", i), 0, 1));
    }
    std::uint64_t seq = 99;
    Status s = store->commit_and_wait(std::move(big), &seq);
    EXPECT_EQ(s.code(), ErrorCode::kResourceUnavail);
    EXPECT_TRUE(contains(s.message(), "disk full")) << s.message();
    EXPECT_EQ(seq, 0u);
    EXPECT_TRUE(store->load("session")->empty());
    EXPECT_EQ(*store->last_audit_seq(), 1u);
    StoreStats stats = store->stats();
    EXPECT_EQ(stats.failed_batches, 1u);
    EXPECT_EQ(stats.failed_commits, 1u);
    EXPECT_FALSE(stats.out_of_service);

    // Small changes still fit: the store stays usable once space allows.
    std::uint64_t after = 0;
    ASSERT_TRUE(store->commit_and_wait(put_with_audit("agent", "after", "v"), &after).ok());
    EXPECT_EQ(after, 2u);  // the failed batch used no seqs
    EXPECT_TRUE(store->flush().ok());
  }
  auto store = open_or_fail(options_for(dir));
  ASSERT_TRUE(store);
  auto agents = store->load("agent");
  ASSERT_TRUE(agents.ok());
  ASSERT_EQ(agents->size(), 2u);
  EXPECT_EQ((*agents)[0].key, "after");
  EXPECT_EQ((*agents)[1].key, "before");
  EXPECT_TRUE(store->load("session")->empty());
  auto audit = store->audit("", "", 0, 100);
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 2u);
  EXPECT_EQ((*audit)[0].seq, 1u);
  EXPECT_EQ((*audit)[1].seq, 2u);
}

// Every commit grouped into a failing transaction gets the error.
TEST(DiskFull, EveryCommitOfTheFailedGroupGetsTheError) {
  ScratchDir dir;
  SqliteOptions limited = options_for(dir);
  limited.testing.max_page_count = 40;
  auto store = open_or_fail(limited);
  ASSERT_TRUE(store);
  std::mutex mu;
  std::condition_variable cv;
  bool release = false, entered = false;
  store->commit(Batch{}, [&](const Status&, std::uint64_t) {
    std::unique_lock lock(mu);
    entered = true;
    cv.notify_all();
    cv.wait(lock, [&] { return release; });
  });
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return entered; });
  }
  std::vector<Status> results(3);
  store->commit(put_with_audit("agent", "small", "v"), [&](const Status& s, std::uint64_t) { results[0] = s; });
  Batch big;
  for (int i = 0; i < 100; ++i) big.puts.push_back(rec("session", std::to_string(i), std::string(4000, 'z')));
  store->commit(std::move(big), [&](const Status& s, std::uint64_t) { results[1] = s; });
  store->commit(put_with_audit("agent", "small2", "v"), [&](const Status& s, std::uint64_t) { results[2] = s; });
  {
    std::lock_guard lock(mu);
    release = true;
    cv.notify_all();
  }
  ASSERT_TRUE(store->flush().ok());
  for (const Status& s : results) EXPECT_EQ(s.code(), ErrorCode::kResourceUnavail) << s.to_string();
  EXPECT_TRUE(store->load("agent")->empty());
  EXPECT_EQ(*store->last_audit_seq(), 0u);
}

// A simulated ENOSPC from the file system (what the kernel reports on a full tmpfs).
TEST(DiskFull, SimulatedWriteFailureIsReportedAndRecoverable) {
  ScratchDir dir;
  SqliteOptions options = options_for(dir);
  options.testing.fail_writes = std::make_shared<std::atomic<int>>(0);
  {
    auto store = open_or_fail(options);
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->commit_and_wait(put_with_audit("agent", "a1", "v1")).ok());

    options.testing.fail_writes->store(SQLITE_FULL);
    Status s = store->commit_and_wait(put_with_audit("agent", "a2", "lost"));
    EXPECT_EQ(s.code(), ErrorCode::kResourceUnavail);
    EXPECT_TRUE(contains(s.message(), "disk full")) << s.message();
    s = store->commit_and_wait(put_with_audit("agent", "a1", "overwritten?"));
    EXPECT_FALSE(s.ok());
    EXPECT_FALSE(store->stats().out_of_service);

    options.testing.fail_writes->store(0);  // space freed
    ASSERT_TRUE(store->commit_and_wait(put_with_audit("agent", "a3", "v3")).ok());
    auto a1 = store->get("agent", "a1");
    ASSERT_TRUE(a1.ok() && a1->has_value());
    EXPECT_EQ((*a1)->value, "v1");
  }
  auto store = open_or_fail(options_for(dir));
  ASSERT_TRUE(store);
  auto agents = store->load("agent");
  ASSERT_TRUE(agents.ok());
  EXPECT_EQ(*agents, (std::vector<Record>{rec("agent", "a1", "v1"), rec("agent", "a3", "v3")}));
  auto audit = store->audit("", "", 0, 100);
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 2u);
  EXPECT_EQ((*audit)[1].seq, 2u);
  EXPECT_EQ((*audit)[1].object_key, "a3");
}

// An I/O error (a failing device, a failed fsync) takes the store out of
// service: after it, the kernel's copy of the file cannot be trusted.
TEST(IoError, TakesTheStoreOutOfServiceUntilRestart) {
  ScratchDir dir;
  SqliteOptions options = options_for(dir);
  options.testing.fail_writes = std::make_shared<std::atomic<int>>(0);
  {
    auto store = open_or_fail(options);
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->commit_and_wait(put_with_audit("agent", "a1", "v1")).ok());

    options.testing.fail_writes->store(SQLITE_IOERR_WRITE);
    Status s = store->commit_and_wait(put_with_audit("agent", "a2", "lost"));
    EXPECT_EQ(s.code(), ErrorCode::kOperationFailed);
    EXPECT_TRUE(contains(s.message(), "I/O error")) << s.message();
    options.testing.fail_writes->store(0);

    EXPECT_TRUE(store->stats().out_of_service);
    s = store->commit_and_wait(put_with_audit("agent", "a3", "refused"));
    EXPECT_EQ(s.code(), ErrorCode::kOperationFailed);
    EXPECT_TRUE(contains(s.message(), "out of service")) << s.message();
    EXPECT_TRUE(contains(store->flush().message(), "out of service"));
    // Reading what was stored still works.
    auto a1 = store->get("agent", "a1");
    ASSERT_TRUE(a1.ok() && a1->has_value());
  }
  auto store = open_or_fail(options_for(dir));
  ASSERT_TRUE(store);
  auto agents = store->load("agent");
  ASSERT_TRUE(agents.ok());
  EXPECT_EQ(*agents, std::vector<Record>{rec("agent", "a1", "v1")});
  std::uint64_t seq = 0;
  ASSERT_TRUE(store->commit_and_wait(put_with_audit("agent", "a4", "v4"), &seq).ok());
  EXPECT_EQ(seq, 2u);
}

TEST(IoError, FailedFsyncIsNotAcknowledgedAndLeavesNoGap) {
  ScratchDir dir;
  SqliteOptions options = options_for(dir);
  options.testing.fail_syncs = std::make_shared<std::atomic<int>>(0);
  {
    auto store = open_or_fail(options);
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->commit_and_wait(put_with_audit("agent", "a1", "v1")).ok());
    options.testing.fail_syncs->store(SQLITE_IOERR_FSYNC);
    Status s = store->commit_and_wait(put_with_audit("agent", "a2", "in doubt"));
    EXPECT_EQ(s.code(), ErrorCode::kOperationFailed);
    EXPECT_TRUE(contains(s.message(), "I/O error")) << s.message();
    EXPECT_TRUE(store->stats().out_of_service);
    options.testing.fail_syncs->store(0);
  }
  // The unacknowledged batch may or may not be there (in doubt); what was
  // acknowledged is, and the history has no gap either way.
  auto store = open_or_fail(options_for(dir));
  ASSERT_TRUE(store);
  auto a1 = store->get("agent", "a1");
  ASSERT_TRUE(a1.ok() && a1->has_value());
  const bool kept = store->get("agent", "a2")->has_value();
  auto audit = store->audit("", "", 0, 100);
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), kept ? 2u : 1u);
  for (std::size_t i = 0; i < audit->size(); ++i) EXPECT_EQ((*audit)[i].seq, i + 1);
  std::uint64_t seq = 0;
  ASSERT_TRUE(store->commit_and_wait(put_with_audit("agent", "a3", "v3"), &seq).ok());
  EXPECT_EQ(seq, audit->size() + 1);
}

}  // namespace
}  // namespace opentapi::store
