// The database schema of the SQLite store and its migrations.
//
// PRAGMA user_version holds the schema version; PRAGMA application_id marks
// the file as opentapi's. Migrations are an ordered list; open applies, in
// one transaction, every migration newer than the file, so a database is
// always at exactly one version. A database from a newer opentapid is refused
// (an old binary must not write a schema it does not know). Migrations are
// append-only: once released, a migration's SQL never changes.
//
// Internal to store/sqlite.
#ifndef OPENTAPI_STORE_SQLITE_SCHEMA_H_
#define OPENTAPI_STORE_SQLITE_SCHEMA_H_

#include <sqlite3.h>

#include <cstdint>
#include <span>
#include <string>

#include "store/store.h"

namespace opentapi::store::sqlite {

// "OTAP": PRAGMA application_id of every opentapi database.
inline constexpr std::int32_t kApplicationId = 0x4F544150;

struct Migration {
  int version;              // the user_version after it; 1, 2, 3, … in order
  const char* description;  // for error messages
  const char* sql;          // one or more statements
};

// The migrations of this build, in order; the last one's version is the
// schema version this build writes.
std::span<const Migration> migrations();

// Brings the open database `db` (file `db_path`, for messages) to the last
// version of `list`, in one BEGIN IMMEDIATE transaction. Checks first that
// the file is an opentapi database (or an empty one) and not newer than
// `list`. On any error nothing is changed.
Status migrate(sqlite3* db, std::span<const Migration> list, const std::string& db_path);

// PRAGMA user_version of `db`.
Result<int> schema_version(sqlite3* db);

}  // namespace opentapi::store::sqlite

#endif  // OPENTAPI_STORE_SQLITE_SCHEMA_H_
