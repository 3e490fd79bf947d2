#include "store/sqlite/schema.h"

#include <cinttypes>
#include <cstdio>

#include "store/sqlite/sqlite_error.h"

namespace opentapi::store::sqlite {
namespace {

// Released migrations never change; add new ones at the end (docs/store.md).
constexpr Migration kMigrations[] = {
    {1, "records and audit history",
     R"sql(
CREATE TABLE records (
  kind  TEXT NOT NULL,
  key   TEXT NOT NULL,
  value BLOB NOT NULL,
  PRIMARY KEY (kind, key)
) WITHOUT ROWID;
CREATE TABLE audit (
  seq         INTEGER PRIMARY KEY,
  time_ms     INTEGER NOT NULL,
  actor       TEXT NOT NULL,
  object_kind TEXT NOT NULL,
  object_key  TEXT NOT NULL,
  from_state  INTEGER NOT NULL,
  to_state    INTEGER NOT NULL,
  what        TEXT NOT NULL,
  request_id  INTEGER NOT NULL
);
CREATE INDEX audit_by_object ON audit (object_kind, object_key, seq);
)sql"},
};

// A single integer from `sql`.
Result<std::int64_t> query_int(sqlite3* db, const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
  if (rc != SQLITE_OK) return sqlite_status(rc, db, sql);
  rc = sqlite3_step(stmt);
  Result<std::int64_t> out = rc == SQLITE_ROW ? Result<std::int64_t>(sqlite3_column_int64(stmt, 0))
                                              : Result<std::int64_t>(sqlite_status(rc, db, sql));
  sqlite3_finalize(stmt);
  return out;
}

Status exec(sqlite3* db, const std::string& sql, std::string_view doing) {
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  sqlite3_free(err);  // sqlite3_errmsg(db) still holds the same text
  if (rc != SQLITE_OK) return sqlite_status(rc, db, doing);
  return Status();
}

void rollback(sqlite3* db) {
  if (!sqlite3_get_autocommit(db)) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
}

// Corruption found while reading the file names the file.
Status with_path(Status s, const std::string& db_path) {
  if (s.ok()) return s;
  constexpr std::string_view kCorrupt = "database file is corrupt: ";
  if (s.message().starts_with(kCorrupt)) {
    return Status::error(s.code(), "database file " + db_path + " is corrupt: " + s.message().substr(kCorrupt.size()));
  }
  return Status::error(s.code(), db_path + ": " + s.message());
}

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

Result<int> schema_version(sqlite3* db) {
  auto v = query_int(db, "PRAGMA user_version");
  if (!v.ok()) return v.status();
  return static_cast<int>(*v);
}

Status migrate(sqlite3* db, std::span<const Migration> list, const std::string& db_path) {
  if (list.empty()) return Status::error(ErrorCode::kOperationFailed, "no schema migrations");
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (list[i].version != static_cast<int>(i) + 1) {
      return Status::error(ErrorCode::kOperationFailed, "schema migrations out of order");
    }
  }
  const int latest = list.back().version;

  if (Status s = exec(db, "BEGIN IMMEDIATE", "begin schema check"); !s.ok()) {
    return with_path(s, db_path);
  }
  auto fail = [&](Status s) {
    rollback(db);
    return with_path(std::move(s), db_path);
  };
  auto app_id = query_int(db, "PRAGMA application_id");
  if (!app_id.ok()) return fail(app_id.status());
  auto version = query_int(db, "PRAGMA user_version");
  if (!version.ok()) return fail(version.status());
  auto objects = query_int(db, "SELECT count(*) FROM sqlite_schema");
  if (!objects.ok()) return fail(objects.status());

  const bool empty = *app_id == 0 && *version == 0 && *objects == 0;
  if (!empty && *app_id != kApplicationId) {
    rollback(db);
    char id[16];
    std::snprintf(id, sizeof id, "0x%08" PRIX32, static_cast<std::uint32_t>(*app_id));
    return Status::error(ErrorCode::kOperationFailed,
                         "database file " + db_path + " is not an opentapi database (application_id " + id +
                             ", user_version " + std::to_string(*version) + "); refusing to use it");
  }
  if (*version > latest) {
    rollback(db);
    return Status::error(ErrorCode::kOperationUnavail, "database file " + db_path + " has schema version " +
                                                           std::to_string(*version) +
                                                           ", newer than this opentapid supports (" +
                                                           std::to_string(latest) + "); run a newer opentapid");
  }
  if (*version < 0) return fail(Status::error(ErrorCode::kOperationFailed, "negative user_version"));
  if (*version == latest) {
    rollback(db);  // nothing to do; end the read transaction
    return Status();
  }
  for (const Migration& m : list) {
    if (m.version <= *version) continue;
    if (Status s =
            exec(db, m.sql, "migration to schema version " + std::to_string(m.version) + " (" + m.description + ")");
        !s.ok()) {
      return fail(std::move(s));
    }
  }
  Status s = exec(
      db,
      "PRAGMA application_id = " + std::to_string(kApplicationId) + "; PRAGMA user_version = " + std::to_string(latest),
      "set schema version");
  if (!s.ok()) return fail(std::move(s));
  if (s = exec(db, "COMMIT", "commit schema migration"); !s.ok()) return fail(std::move(s));
  return Status();
}

}  // namespace opentapi::store::sqlite
