// VfsShim's gathering of write-ahead-log appends (vfs_shim.h): a commit of
// many pages reaches the kernel in one pwrite() before its fsync, a second
// connection reads every committed row, and the database reopens intact.
#include "store/sqlite/vfs_shim.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>

#include "store/sqlite/test_util.h"

namespace opentapi::store::sqlite {
namespace {

using testing::ScratchDir;

sqlite3* open_db(const std::string& path, const VfsShim& vfs) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs.name()), SQLITE_OK);
  return db;
}

int exec(sqlite3* db, const std::string& sql) { return sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr); }

std::int64_t count_rows(sqlite3* db) {
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, "SELECT count(*), sum(length(v)) FROM t", -1, &stmt, nullptr), SQLITE_OK);
  EXPECT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  const std::int64_t n = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  return n;
}

// One transaction of 200 rows of 1000 bytes: some 50 pages of 4 KiB, 100
// xWrite calls from SQLite into the WAL.
void write_rows(sqlite3* db, int first) {
  ASSERT_EQ(exec(db, "BEGIN IMMEDIATE"), SQLITE_OK);
  for (int i = first; i < first + 200; ++i) {
    ASSERT_EQ(exec(db, "INSERT INTO t VALUES (" + std::to_string(i) + ", randomblob(1000))"), SQLITE_OK);
  }
  ASSERT_EQ(exec(db, "COMMIT"), SQLITE_OK);
}

TEST(VfsShim, GathersTheWalAppendsOfACommitIntoOneWriteBeforeItsSync) {
  ScratchDir dir;
  const std::string path = dir.path() + "/t.db";
  auto vfs = VfsShim::create(nullptr, nullptr, /*gather_wal_writes=*/true);
  ASSERT_TRUE(vfs.ok()) << vfs.status().to_string();
  sqlite3* w = open_db(path, **vfs);
  ASSERT_EQ(exec(w,
                 "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = 0; "
                 "CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB)"),
            SQLITE_OK);
  sqlite3* r = open_db(path, **vfs);
  ASSERT_EQ(count_rows(r), 0);

  const std::uint64_t writes_before = (*vfs)->wal_writes();
  const std::uint64_t syncs_before = (*vfs)->syncs();
  write_rows(w, 0);
  // One transaction: its ~210 KB of frames in two writes (the buffer holds
  // at most 120 KiB), then one fsync.
  EXPECT_EQ((*vfs)->wal_writes() - writes_before, 2u);
  EXPECT_EQ((*vfs)->syncs() - syncs_before, 1u);
  // The other connection sees all of it (it reads the frames from the file).
  EXPECT_EQ(count_rows(r), 200);

  write_rows(w, 200);
  EXPECT_EQ(count_rows(r), 400);
  // A checkpoint reads the frames back and writes the database file.
  int log = 0, done = 0;
  ASSERT_EQ(sqlite3_wal_checkpoint_v2(w, nullptr, SQLITE_CHECKPOINT_TRUNCATE, &log, &done), SQLITE_OK);
  EXPECT_EQ(log, 0);   // TRUNCATE: the log is empty afterwards
  write_rows(w, 400);  // the log starts again at offset 0
  EXPECT_EQ(count_rows(r), 600);
  sqlite3_close(r);
  sqlite3_close(w);

  sqlite3* again = open_db(path, **vfs);
  EXPECT_EQ(count_rows(again), 600);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(again, "PRAGMA integrity_check", -1, &stmt, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "ok");
  sqlite3_finalize(stmt);
  sqlite3_close(again);
}

TEST(VfsShim, WithoutGatheringEveryFrameIsItsOwnWrite) {
  ScratchDir dir;
  const std::string path = dir.path() + "/t.db";
  auto vfs = VfsShim::create(nullptr, nullptr, /*gather_wal_writes=*/false);
  ASSERT_TRUE(vfs.ok()) << vfs.status().to_string();
  sqlite3* w = open_db(path, **vfs);
  ASSERT_EQ(
      exec(w, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB)"),
      SQLITE_OK);
  write_rows(w, 0);
  EXPECT_EQ((*vfs)->wal_writes(), 0u);  // nothing gathered, nothing counted
  sqlite3* r = open_db(path, **vfs);
  EXPECT_EQ(count_rows(r), 200);
  sqlite3_close(r);
  sqlite3_close(w);
}

}  // namespace
}  // namespace opentapi::store::sqlite
