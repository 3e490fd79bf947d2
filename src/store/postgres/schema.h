// The database schema of the PostgreSQL store and its migrations
// (docs/store.md "PostgreSQL").
//
// opentapi_schema holds the version (one row). Migrations are an ordered,
// append-only list; open runs every migration newer than the database in one
// transaction, under a transaction-scoped advisory lock so that nodes
// starting together take turns (the lock only orders DDL; it guards nothing
// else). A database from a newer opentapid is refused.
//
// Internal to store/postgres.
#ifndef OPENTAPI_STORE_POSTGRES_SCHEMA_H_
#define OPENTAPI_STORE_POSTGRES_SCHEMA_H_

#include <libpq-fe.h>

#include <span>

#include "store/store.h"

namespace opentapi::store::postgres {

struct Migration {
  int version;              // opentapi_schema.version after it; 1, 2, 3, … in order
  const char* description;  // for error messages
  const char* sql;          // one or more statements
};

std::span<const Migration> migrations();

// Brings the database of `conn` to the last version of `list` (or, with
// migrate=false, checks that it is there). `where` names the database in
// messages. On any error nothing is changed.
Status migrate(PGconn* conn, std::span<const Migration> list, bool migrate, const std::string& where);

// opentapi_schema.version, 0 when the table does not exist.
Result<int> schema_version(PGconn* conn);

}  // namespace opentapi::store::postgres

#endif  // OPENTAPI_STORE_POSTGRES_SCHEMA_H_
