// What is SQLite's own: the data directory and its lock file, schema
// versions in the file, fsyncs. The Store contract itself (records, audit
// history, group commit, ordering, restart) is store_conformance_test.cpp,
// run against every backend.
#include "store/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite/test_util.h"

namespace opentapi::store {
namespace {

using namespace std::chrono_literals;
using testing::change;
using testing::numbered;
using testing::open_or_fail;
using testing::options_for;
using testing::put_with_audit;
using testing::raw_exec;
using testing::read_file;
using testing::rec;
using testing::ScratchDir;

TEST(SqliteStore, CreatesThePrivateDataDirectoryAndDatabase) {
  ScratchDir dir;
  SqliteOptions options = options_for(dir);
  options.data_dir = dir.path() + "/deep/er/data/";  // trailing slash is fine
  auto store = open_or_fail(options);
  ASSERT_TRUE(store);
  struct stat st {};
  ASSERT_EQ(::stat((dir.path() + "/deep/er/data").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  EXPECT_EQ(::access((dir.path() + "/deep/er/data/opentapi.db").c_str(), F_OK), 0);
  EXPECT_NE(::access((dir.path() + "/deep/er/data/opentapi.db.new").c_str(), F_OK), 0);
}

// docs/store.md "Files and the data directory": the rename of a new database
// is made durable by an fsync of the directory, after the rename.
TEST(SqliteStore, SyncsTheDirectoryAfterRenamingANewDatabase) {
  ScratchDir dir;
  SqliteOptions options = options_for(dir);
  std::vector<std::string> synced;
  bool renamed_first = false;
  options.testing.sync_dir = [&](const std::string& d) {
    synced.push_back(d);
    renamed_first = ::access(dir.db_path().c_str(), F_OK) == 0 && ::access((dir.db_path() + ".new").c_str(), F_OK) != 0;
    return Status();
  };
  auto store = open_or_fail(options);
  ASSERT_TRUE(store);
  EXPECT_EQ(synced, std::vector<std::string>{dir.data_dir()});
  EXPECT_TRUE(renamed_first);
  store.reset();
  // An existing database is opened, not created: nothing to make durable.
  store = open_or_fail(options);
  ASSERT_TRUE(store);
  EXPECT_EQ(synced.size(), 1u);
}

TEST(SqliteStore, AFailedDirectorySyncFailsTheOpen) {
  ScratchDir dir;
  SqliteOptions options = options_for(dir);
  options.testing.sync_dir = [](const std::string& d) {
    return Status::error(ErrorCode::kOperationFailed, "cannot sync directory " + d + ": Input/output error");
  };
  auto store = open_sqlite_store(options);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.code(), ErrorCode::kOperationFailed);
  EXPECT_EQ(store.status().message(),
            dir.db_path() + ": cannot sync directory " + dir.data_dir() + ": Input/output error");
  // The file was complete before the rename: the next start opens it.
  options.testing.sync_dir = nullptr;
  EXPECT_TRUE(open_or_fail(options));
}

TEST(SqliteStore, RefusesASecondServerOnTheSameDirectory) {
  ScratchDir dir;
  auto first = open_or_fail(options_for(dir));
  ASSERT_TRUE(first);
  auto second = open_sqlite_store(options_for(dir));
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.code(), ErrorCode::kResourceUnavail);
  const std::string msg = second.status().message();
  EXPECT_NE(msg.find("data directory " + dir.data_dir() + " is in use by another opentapid (pid " +
                     std::to_string(::getpid())),
            std::string::npos)
      << msg;
  first.reset();
  auto third = open_sqlite_store(options_for(dir));
  EXPECT_TRUE(third.ok()) << third.status().to_string();
}

TEST(SqliteStore, RefusesAnEmptyDataDirOption) {
  auto store = open_sqlite_store(SqliteOptions{});
  EXPECT_EQ(store.code(), ErrorCode::kInvalParam);
}

TEST(SqliteStore, WritesTheCurrentSchemaVersionInWalMode) {
  ScratchDir dir;
  { ASSERT_TRUE(open_or_fail(options_for(dir))); }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(dir.db_path().c_str(), &db), SQLITE_OK);
  auto one = [&](const char* sql) {
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
    std::string v;
    if (sqlite3_step(stmt) == SQLITE_ROW) v = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    sqlite3_finalize(stmt);
    return v;
  };
  EXPECT_EQ(one("PRAGMA user_version"), std::to_string(sqlite_schema_version()));
  EXPECT_EQ(one("PRAGMA application_id"), std::to_string(0x4F544150));
  EXPECT_EQ(one("PRAGMA journal_mode"), "wal");
  sqlite3_close(db);
}

// A database exactly as the first release writes it (schema version 1), built
// by hand so that later changes to the migration code cannot hide a break.
TEST(SqliteStore, OpensAVersion1DatabaseWithItsData) {
  ScratchDir dir;
  ASSERT_EQ(::mkdir(dir.data_dir().c_str(), 0700), 0);
  ASSERT_EQ(raw_exec(dir.db_path(), R"sql(
    PRAGMA journal_mode = WAL;
    CREATE TABLE records (kind TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL,
                          PRIMARY KEY (kind, key)) WITHOUT ROWID;
    CREATE TABLE audit (seq INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL, actor TEXT NOT NULL,
                        object_kind TEXT NOT NULL, object_key TEXT NOT NULL,
                        from_state INTEGER NOT NULL, to_state INTEGER NOT NULL,
                        what TEXT NOT NULL, request_id INTEGER NOT NULL);
    CREATE INDEX audit_by_object ON audit (object_kind, object_key, seq);
    INSERT INTO records VALUES ('agent', 'a1', x'0102');
    INSERT INTO audit VALUES (1, 1000, 'acd', 'agent', 'a1', 1, 2, 'login', 42);
    PRAGMA application_id = 1330921808;
    PRAGMA user_version = 1;
  )sql"),
            SQLITE_OK);
  auto store = open_or_fail(options_for(dir));
  ASSERT_TRUE(store);
  auto agents = store->load("agent");
  ASSERT_TRUE(agents.ok());
  EXPECT_EQ(*agents, std::vector<Record>{rec("agent", "a1", std::string("\x01\x02", 2))});
  std::uint64_t last = 0;
  ASSERT_TRUE(store->commit_and_wait(Batch{{}, {}, {change("agent", "a1", 2, 1)}}, &last).ok());
  EXPECT_EQ(last, 2u);
  auto audit = store->audit("agent", "a1", 0, 10);
  ASSERT_TRUE(audit.ok() && audit->size() == 2);
  EXPECT_EQ((*audit)[0].request_id, 42u);
  EXPECT_EQ((*audit)[0].what, "login");
}

TEST(SqliteStore, MigratesAnEmptySqliteDatabase) {
  ScratchDir dir;
  ASSERT_EQ(::mkdir(dir.data_dir().c_str(), 0700), 0);
  ASSERT_EQ(raw_exec(dir.db_path(), "VACUUM"), SQLITE_OK);  // a valid database, no tables
  auto store = open_or_fail(options_for(dir));
  ASSERT_TRUE(store);
  EXPECT_TRUE(store->commit_and_wait(put_with_audit("agent", "a1", "v")).ok());
}

TEST(SqliteStore, RefusesANewerSchemaAndLeavesTheFileAlone) {
  ScratchDir dir;
  {
    auto store = open_or_fail(options_for(dir));
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->commit_and_wait(put_with_audit("agent", "a1", "v")).ok());
  }
  ASSERT_EQ(raw_exec(dir.db_path(), "PRAGMA user_version = 99"), SQLITE_OK);
  const std::string before = read_file(dir.db_path());
  auto store = open_sqlite_store(options_for(dir));
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.code(), ErrorCode::kOperationUnavail);
  EXPECT_NE(store.status().message().find(dir.db_path() + " has schema version 99, newer than "
                                                          "this opentapid supports (1)"),
            std::string::npos)
      << store.status().message();
  EXPECT_EQ(read_file(dir.db_path()), before);
}

TEST(SqliteStore, RefusesSomeoneElsesDatabase) {
  ScratchDir dir;
  ASSERT_EQ(::mkdir(dir.data_dir().c_str(), 0700), 0);
  ASSERT_EQ(raw_exec(dir.db_path(), "CREATE TABLE invoices (n)"), SQLITE_OK);
  auto store = open_sqlite_store(options_for(dir));
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("is not an opentapi database"), std::string::npos)
      << store.status().message();
}

TEST(SqliteStore, StatsCountSyncs) {
  ScratchDir dir;
  auto store = open_or_fail(options_for(dir));
  ASSERT_TRUE(store);
  const std::uint64_t before = store->stats().syncs;
  ASSERT_TRUE(store->commit_and_wait(put_with_audit("agent", "a1", "v")).ok());
  EXPECT_GE(store->stats().syncs, before + 1);  // synchronous=FULL: the WAL was fsync'd
}

TEST(SqliteStore, PowerLossDurabilitySyncsEveryCommitProcessCrashDoesNot) {
  for (Durability d : {Durability::kPowerLoss, Durability::kProcessCrash}) {
    ScratchDir dir;
    SqliteOptions options = options_for(dir);
    options.durability = d;
    auto store = open_or_fail(options);
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->commit_and_wait(put_with_audit("agent", "first", "v")).ok());
    const std::uint64_t before = store->stats().syncs;
    for (int i = 0; i < 10; ++i) {
      ASSERT_TRUE(store->commit_and_wait(put_with_audit("agent", std::to_string(i), "v")).ok());
    }
    const std::uint64_t syncs = store->stats().syncs - before;
    if (d == Durability::kPowerLoss) {
      EXPECT_EQ(syncs, 10u) << "synchronous=FULL fsyncs the WAL at every commit";
    } else {
      EXPECT_EQ(syncs, 0u) << "synchronous=NORMAL fsyncs only at checkpoints";
    }
  }
}

TEST(SqliteStore, RelativeDataDirIsReportedAbsolute) {
  ScratchDir dir;
  const auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());
  SqliteOptions options;
  options.data_dir = "rel/data";
  auto first = open_or_fail(options);
  auto second = open_sqlite_store(options);
  std::filesystem::current_path(cwd);
  ASSERT_TRUE(first);
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find(dir.path() + "/rel/data is in use"), std::string::npos)
      << second.status().message();
}

}  // namespace
}  // namespace opentapi::store
