// For the PostgreSQL store's tests: one throw-away server per test process
// (tests/support/postgres_server.h), started at first use and stopped at exit.
#ifndef OPENTAPI_STORE_POSTGRES_PG_TEST_UTIL_H_
#define OPENTAPI_STORE_POSTGRES_PG_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "store/postgres/postgres_store.h"
#include "support/postgres_server.h"

namespace opentapi::store::testing {

struct SharedPostgres {
  std::unique_ptr<test_support::PostgresServer> server;
  std::string error;     // why there is none
  bool missing = false;  // no binaries: skip, not fail
};

inline SharedPostgres& shared_postgres() {
  static SharedPostgres* shared = [] {
    auto* s = new SharedPostgres();
    if (test_support::PostgresServer::binaries().empty()) {
      s->missing = true;
      s->error =
          "PostgreSQL 15 server binaries not found (/usr/lib/postgresql/15/bin or $OPENTAPI_PG_BIN); "
          "scripts/install-deps.sh installs them";
    } else {
      s->server = test_support::PostgresServer::start(&s->error);
    }
    // Stopped at exit (and by its watchdog if the process dies first).
    std::atexit([] { shared_postgres().server.reset(); });
    return s;
  }();
  return *shared;
}

// In a test body or SetUp: skips without binaries, fails if the server
// cannot start; else `db` names a fresh database.
// `db` is the name the macro declares: it cannot be parenthesised.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define OPENTAPI_PG_FRESH_DATABASE(db)                                                \
  auto& pg_shared_ = ::opentapi::store::testing::shared_postgres();                   \
  if (pg_shared_.missing) GTEST_SKIP() << pg_shared_.error;                           \
  ASSERT_TRUE(pg_shared_.server) << "PostgreSQL did not start: " << pg_shared_.error; \
  std::string pg_error_;                                                              \
  const std::string db = pg_shared_.server->create_database(&pg_error_);              \
  ASSERT_FALSE(db.empty()) << pg_error_
// NOLINTEND(bugprone-macro-parentheses)

inline PostgresOptions pg_options(const std::string& db, const std::string& call_center = "cc") {
  PostgresOptions o;
  o.conninfo = shared_postgres().server->conninfo(db);
  o.call_center = call_center;
  o.wait_for_lease = std::chrono::seconds(5);  // a killed holder's backend takes a moment to go
  return o;
}

}  // namespace opentapi::store::testing

#endif  // OPENTAPI_STORE_POSTGRES_PG_TEST_UTIL_H_
