// pg_pair: a throw-away PostgreSQL 15 for bench/run.sh — a primary and, with
// --sync-standby, a synchronous streaming standby of it (pg_basebackup -R,
// synchronous_standby_names = '*', synchronous_commit = on), both on UNIX
// sockets in temporary directories only, started through the tests' support
// (tests/support/postgres_server.h: as `postgres` through runuser under root,
// stopped and removed even if this process is killed).
//
//   pg_pair [--sync-standby] [--settings "name=value …"]
//
// Creates database `opentapi` on the primary, then prints on stdout, one per
// line, and flushes:
//   version 15.x
//   primary <libpq key=value conninfo of database opentapi>
//   standby <its socket directory>               (with --sync-standby)
//   sync_state sync                              (what pg_stat_replication says)
//   ready
// and keeps both servers up until its stdin closes or it gets SIGTERM/SIGINT.
// On failure: "error <text>" and exit 1 (exit 3 when the PostgreSQL server
// binaries are not installed: the caller skips its step then).
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "support/postgres_server.h"

namespace {

using opentapi::test_support::PostgresServer;

volatile sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

void say(const std::string& line) {
  std::fputs((line + "\n").c_str(), stdout);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  bool standby = false;
  std::string settings = "fsync=on synchronous_commit=on";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--sync-standby") {
      standby = true;
    } else if (a == "--settings" && i + 1 < argc) {
      settings += " ";
      settings += argv[++i];
    } else {
      std::fprintf(stderr, "usage: pg_pair [--sync-standby] [--settings \"name=value ...\"]\n");
      return 2;
    }
  }
  // Interrupt the wait below instead of killing us, so the servers are
  // stopped by the destructors (the watchdog would do it too, a little later).
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: read() returns EINTR
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);

  if (PostgresServer::binaries().empty()) {
    say("error PostgreSQL 15 server binaries not found (/usr/lib/postgresql/15/bin or $OPENTAPI_PG_BIN)");
    return 3;
  }
  std::string error;
  std::unique_ptr<PostgresServer> primary = PostgresServer::start(&error, settings);
  if (!primary) return say("error primary: " + error), 1;
  if (std::string e = primary->exec("postgres", "CREATE DATABASE opentapi"); !e.empty()) {
    return say("error " + e), 1;
  }
  say("version " + primary->query("postgres", "SHOW server_version"));
  std::unique_ptr<PostgresServer> replica;
  if (standby) {
    replica = PostgresServer::start_standby(*primary, &error);
    if (!replica) return say("error standby: " + error), 1;
    say("standby " + replica->socket_dir());
    say("sync_state " + primary->query("postgres", "SELECT string_agg(sync_state, ',') FROM pg_stat_replication"));
  }
  say("primary " + primary->conninfo("opentapi"));
  say("ready");

  char buf[256];
  while (g_stop == 0) {
    const ssize_t n = ::read(0, buf, sizeof buf);
    if (n == 0) break;
    if (n < 0 && errno != EINTR) break;
  }
  replica.reset();  // the standby first: the primary then stops without waiting for it
  primary.reset();
  return 0;
}
