// A throw-away PostgreSQL 15 server for tests and benchmarks: initdb into a
// temporary directory, listening only on a UNIX socket in that directory
// (listen_addresses = ''), trust authentication for the `postgres` role,
// stopped and removed when the object goes — and also when the process
// that started it dies without cleaning up (a watchdog child stops it then).
//
// PostgreSQL refuses to run as root: as root (CI), the server runs as the
// `postgres` user through runuser, and the directory is handed to it.
//
// The binaries come from $OPENTAPI_PG_BIN, else /usr/lib/postgresql/15/bin
// (Debian's postgresql-15, from scripts/install-deps.sh).
#ifndef OPENTAPI_TESTS_SUPPORT_POSTGRES_SERVER_H_
#define OPENTAPI_TESTS_SUPPORT_POSTGRES_SERVER_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

namespace opentapi::test_support {

class PostgresServer {
 public:
  // The server binaries' directory, or "" when initdb is not there (tests
  // skip then, saying so).
  static std::string binaries();

  // Starts a server; nullptr and *error on failure. `settings` are extra
  // "-c name=value" settings, space-separated ("fsync=off").
  static std::unique_ptr<PostgresServer> start(std::string* error, const std::string& settings = "");

  // A streaming standby of `primary` (pg_basebackup -R from it) in a
  // directory of its own, started and caught up; the primary then waits for
  // it at every commit (synchronous_standby_names = '*'). nullptr and *error
  // on failure.
  static std::unique_ptr<PostgresServer> start_standby(PostgresServer& primary, std::string* error);

  // kill -9 of the postmaster (its backends follow it).
  void kill_now();
  // pg_ctl promote, waiting until the server accepts writes. "" or the error.
  std::string promote();

  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // A key=value libpq connection string for database `db`.
  std::string conninfo(const std::string& db = "postgres") const;
  // The same as a postgresql:// URI (the socket directory percent-encoded).
  std::string uri(const std::string& db = "postgres") const;

  // CREATE DATABASE with a fresh name ("t1", "t2", …); returns the name, or
  // "" and *error.
  std::string create_database(std::string* error = nullptr);

  // Runs `sql` in database `db`; "" on success, else the error message.
  std::string exec(const std::string& db, const std::string& sql) const;
  // The first column of the first row of `sql`'s result ("" if none; the
  // error message prefixed "ERROR: " on failure).
  std::string query(const std::string& db, const std::string& sql) const;

  const std::string& socket_dir() const { return dir_; }
  int port() const { return port_; }

 private:
  PostgresServer() = default;
  // initdb, or with `primary` pg_basebackup -R from it; then start.
  static std::unique_ptr<PostgresServer> launch(std::string* error, const std::string& settings,
                                                PostgresServer* primary);
  std::string dir_;  // the temporary directory: data/ and the socket
  std::string bin_;
  int port_ = 5432;
  pid_t watchdog_ = -1;
  int watchdog_fd_ = -1;  // closing it makes the watchdog stop the server
  int databases_ = 0;
  std::vector<std::string> as_;  // runuser -u postgres -- when root
};

}  // namespace opentapi::test_support

#endif  // OPENTAPI_TESTS_SUPPORT_POSTGRES_SERVER_H_
