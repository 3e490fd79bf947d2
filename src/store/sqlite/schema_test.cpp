// Migrations, on plain SQLite connections (no store around them).
#include "store/sqlite/schema.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/sqlite/test_util.h"

namespace opentapi::store::sqlite {
namespace {

using testing::ScratchDir;

class MigrateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.path() + "/t.db";
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db_), SQLITE_OK);
  }
  void TearDown() override { sqlite3_close(db_); }

  std::int64_t query(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
    std::int64_t v = -1;
    if (sqlite3_step(stmt) == SQLITE_ROW) v = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return v;
  }
  bool has_table(const std::string& name) {
    return query("SELECT count(*) FROM sqlite_schema WHERE type='table' AND name='" + name + "'") == 1;
  }

  ScratchDir dir_;
  std::string path_;
  sqlite3* db_ = nullptr;
};

TEST_F(MigrateTest, EmptyDatabaseGetsTheLatestSchema) {
  ASSERT_TRUE(migrate(db_, migrations(), path_).ok());
  EXPECT_EQ(query("PRAGMA user_version"), migrations().back().version);
  EXPECT_EQ(query("PRAGMA application_id"), kApplicationId);
  EXPECT_TRUE(has_table("records"));
  EXPECT_TRUE(has_table("audit"));
  EXPECT_EQ(query("SELECT count(*) FROM sqlite_schema WHERE name='audit_by_object'"), 1);
}

TEST_F(MigrateTest, CurrentDatabaseIsLeftAsItIs) {
  ASSERT_TRUE(migrate(db_, migrations(), path_).ok());
  ASSERT_EQ(sqlite3_exec(db_, "INSERT INTO records VALUES ('agent','a1',x'01')", nullptr, nullptr, nullptr), SQLITE_OK);
  ASSERT_TRUE(migrate(db_, migrations(), path_).ok());
  EXPECT_EQ(query("SELECT count(*) FROM records"), 1);
}

TEST_F(MigrateTest, AppliesOnlyTheNewerMigrationsInOrder) {
  ASSERT_TRUE(migrate(db_, migrations().first(1), path_).ok());
  ASSERT_EQ(query("PRAGMA user_version"), 1);
  const std::vector<Migration> list = {
      migrations()[0],
      {2, "second", "CREATE TABLE second (a); INSERT INTO second VALUES (2);"},
      {3, "third", "INSERT INTO second SELECT a + 1 FROM second;"},  // needs 2 first
  };
  ASSERT_TRUE(migrate(db_, list, path_).ok());
  EXPECT_EQ(query("PRAGMA user_version"), 3);
  EXPECT_EQ(query("SELECT sum(a) FROM second"), 5);
}

TEST_F(MigrateTest, FailedMigrationChangesNothing) {
  ASSERT_TRUE(migrate(db_, migrations().first(1), path_).ok());
  const std::vector<Migration> list = {
      migrations()[0],
      {2, "fine", "CREATE TABLE fine (a);"},
      {3, "broken", "CREATE TABLE half (a); THIS IS NOT SQL;"},
  };
  Status s = migrate(db_, list, path_);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("migration to schema version 3 (broken)"), std::string::npos) << s.message();
  EXPECT_EQ(query("PRAGMA user_version"), 1);
  EXPECT_FALSE(has_table("fine"));
  EXPECT_FALSE(has_table("half"));
}

TEST_F(MigrateTest, RefusesASchemaNewerThanThisBuild) {
  ASSERT_TRUE(migrate(db_, migrations(), path_).ok());
  ASSERT_EQ(sqlite3_exec(db_, "PRAGMA user_version = 99", nullptr, nullptr, nullptr), SQLITE_OK);
  Status s = migrate(db_, migrations(), path_);
  EXPECT_EQ(s.code(), ErrorCode::kOperationUnavail);
  EXPECT_NE(s.message().find("schema version 99, newer than this opentapid supports (1)"), std::string::npos)
      << s.message();
  EXPECT_EQ(query("PRAGMA user_version"), 99);
}

TEST_F(MigrateTest, RefusesADatabaseThatIsNotOurs) {
  ASSERT_EQ(sqlite3_exec(db_, "CREATE TABLE customers (name)", nullptr, nullptr, nullptr), SQLITE_OK);
  Status s = migrate(db_, migrations(), path_);
  EXPECT_EQ(s.code(), ErrorCode::kOperationFailed);
  EXPECT_NE(s.message().find("is not an opentapi database"), std::string::npos) << s.message();
  EXPECT_FALSE(has_table("records"));
}

TEST_F(MigrateTest, RefusesAnotherApplicationsId) {
  ASSERT_EQ(sqlite3_exec(db_, "PRAGMA application_id = 1234", nullptr, nullptr, nullptr), SQLITE_OK);
  Status s = migrate(db_, migrations(), path_);
  EXPECT_NE(s.message().find("application_id 0x000004D2"), std::string::npos) << s.message();
}

TEST_F(MigrateTest, RefusesAMigrationListWithAHole) {
  const std::vector<Migration> list = {migrations()[0], {3, "skips 2", "SELECT 1;"}};
  EXPECT_FALSE(migrate(db_, list, path_).ok());
  EXPECT_EQ(query("PRAGMA user_version"), 0);
}

}  // namespace
}  // namespace opentapi::store::sqlite
