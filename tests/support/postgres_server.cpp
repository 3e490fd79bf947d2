#include "support/postgres_server.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <vector>

#include "support/process.h"

namespace opentapi::test_support {
namespace {

bool is_executable(const std::string& path) { return ::access(path.c_str(), X_OK) == 0; }

// Runs argv to its end; its output appended to `log`. The exit code.
int run(const std::vector<std::string>& argv, const std::string& log) {
  SpawnOptions o;
  o.stdout_path = log;
  o.stderr_path = log;
  const pid_t pid = spawn(argv, o);
  if (pid < 0) return -1;
  int status = 0;
  if (!reap_within(pid, 120s, &status)) return stop(pid, 1s), -1;
  return exit_code(status);
}

std::string tail(const std::string& path) {
  std::string text = read_file(path);
  if (text.size() > 2000) text = "…" + text.substr(text.size() - 2000);
  return text;
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

}  // namespace

std::string PostgresServer::binaries() {
  const char* env = std::getenv("OPENTAPI_PG_BIN");
  std::string dir = env != nullptr && *env != '\0' ? env : "/usr/lib/postgresql/15/bin";
  if (!is_executable(dir + "/initdb") || !is_executable(dir + "/pg_ctl") || !is_executable(dir + "/postgres")) {
    return "";
  }
  return dir;
}

std::unique_ptr<PostgresServer> PostgresServer::start(std::string* error, const std::string& settings) {
  return launch(error, settings, nullptr);
}

std::unique_ptr<PostgresServer> PostgresServer::start_standby(PostgresServer& primary, std::string* error) {
  auto standby = launch(error, "", &primary);
  if (!standby) return nullptr;
  const std::string e = primary.exec("postgres", "ALTER SYSTEM SET synchronous_standby_names = '*'");
  if (!e.empty() || primary.query("postgres", "SELECT pg_reload_conf()") != "t") {
    if (error != nullptr) *error = "cannot make the standby synchronous: " + e;
    return nullptr;
  }
  for (int i = 0; i < 600; ++i) {
    if (primary.query("postgres", "SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync'") == "1") {
      return standby;
    }
    ::usleep(50'000);
  }
  if (error != nullptr) *error = "the standby did not become synchronous within 30 s";
  return nullptr;
}

void PostgresServer::kill_now() {
  std::ifstream pidfile(dir_ + "/data/postmaster.pid");
  long pid = 0;
  if (pidfile >> pid && pid > 0) ::kill(static_cast<pid_t>(pid), SIGKILL);
}

std::string PostgresServer::promote() {
  std::vector<std::string> argv = as_;
  for (const std::string& a : {bin_ + "/pg_ctl", std::string("-D"), dir_ + "/data", std::string("-w"),
                               std::string("-t"), std::string("60"), std::string("promote")}) {
    argv.push_back(a);
  }
  if (int rc = run(argv, dir_ + "/promote.log"); rc != 0) {
    return "pg_ctl promote failed (exit " + std::to_string(rc) + "): " + tail(dir_ + "/promote.log");
  }
  return "";
}

std::unique_ptr<PostgresServer> PostgresServer::launch(std::string* error, const std::string& settings,
                                                       PostgresServer* primary) {
  auto fail = [&](const std::string& why) -> std::unique_ptr<PostgresServer> {
    if (error != nullptr) *error = why;
    return nullptr;
  };
  std::unique_ptr<PostgresServer> server(new PostgresServer());
  server->bin_ = binaries();
  if (server->bin_.empty()) return fail("PostgreSQL server binaries (initdb, pg_ctl, postgres) not found");
  std::string tmpl = "/tmp/opentapi-pg-XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) return fail("mkdtemp failed");
  server->dir_ = tmpl;
  const std::string data = server->dir_ + "/data";
  // Written by the server itself (as `postgres` when we are root).
  const std::string log = server->dir_ + "/server.log";

  // PostgreSQL refuses root: run it as `postgres` and give it the directory.
  std::vector<std::string> as;
  if (::geteuid() == 0) {
    const passwd* pw = ::getpwnam("postgres");
    if (pw == nullptr) return fail("running as root, and there is no `postgres` user to run PostgreSQL as");
    if (::chown(server->dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) return fail("cannot chown " + server->dir_);
    std::string runuser;
    for (const char* dir : {"/usr/sbin/", "/sbin/", "/usr/bin/", "/bin/"}) {
      if (runuser.empty() && is_executable(std::string(dir) + "runuser")) runuser = std::string(dir) + "runuser";
    }
    if (runuser.empty()) return fail("running as root, and runuser (util-linux) is not installed");
    as = {runuser, "-u", "postgres", "--"};
  }
  server->as_ = as;
  auto command = [&](std::vector<std::string> args) {
    std::vector<std::string> argv = as;
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  };

  // The watchdog first, so that the directory goes even if initdb fails: it
  // waits for its stdin (a pipe only we hold) to close, then stops the
  // server and removes the directory.
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return fail("pipe failed");
  std::string stop_cmd;
  for (const std::string& a : command({server->bin_ + "/pg_ctl", "-D", data, "-m", "immediate", "stop"})) {
    stop_cmd += shell_quote(a) + " ";
  }
  const std::string script = "read _; if [ -f " + shell_quote(data + "/postmaster.pid") + " ]; then " + stop_cmd +
                             ">/dev/null 2>&1; fi; rm -rf " + shell_quote(server->dir_);
  const pid_t watchdog = ::fork();
  if (watchdog < 0) return fail("fork failed");
  if (watchdog == 0) {
    ::setsid();  // a terminal's Ctrl-C reaches the tests, not this
    ::dup2(fds[0], 0);
    const char* argv[] = {"/bin/sh", "-c", script.c_str(), nullptr};
    ::execv("/bin/sh", const_cast<char* const*>(argv));
    ::_exit(127);
  }
  ::close(fds[0]);
  server->watchdog_ = watchdog;
  server->watchdog_fd_ = fds[1];

  if (primary != nullptr) {
    // A copy of the primary, configured (-R) to stream from it.
    if (int rc = run(command({server->bin_ + "/pg_basebackup", "-D", data, "-R", "-h", primary->socket_dir(), "-p",
                              std::to_string(primary->port()), "-U", "postgres", "-X", "stream", "-c", "fast"}),
                     server->dir_ + "/basebackup.log");
        rc != 0) {
      return fail("pg_basebackup failed (exit " + std::to_string(rc) + "): " + tail(server->dir_ + "/basebackup.log"));
    }
  } else if (int rc = run(command({server->bin_ + "/initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                                   "--locale=C", "--no-sync"}),
                          server->dir_ + "/initdb.log");
             rc != 0) {
    return fail("initdb failed (exit " + std::to_string(rc) + "): " + tail(server->dir_ + "/initdb.log"));
  }
  {
    std::ofstream conf(data + "/postgresql.conf", std::ios::app);
    conf << "\n# opentapi tests: UNIX socket only, in the test's directory\n"
         << "listen_addresses = ''\n"
         << "unix_socket_directories = '" << server->dir_ << "'\n"
         << "port = " << server->port_ << "\n"
         << "max_connections = 60\nshared_buffers = 32MB\n";
    std::string rest = settings;
    while (!rest.empty()) {
      const auto space = rest.find(' ');
      const std::string item = rest.substr(0, space);
      rest = space == std::string::npos ? "" : rest.substr(space + 1);
      if (item.empty()) continue;
      const auto eq = item.find('=');
      conf << item.substr(0, eq) << " = '" << (eq == std::string::npos ? "" : item.substr(eq + 1)) << "'\n";
    }
    if (!conf) return fail("cannot write " + data + "/postgresql.conf");
  }
  if (int rc = run(command({server->bin_ + "/pg_ctl", "-D", data, "-l", log, "-w", "-t", "60", "start"}),
                   server->dir_ + "/pg_ctl.log");
      rc != 0) {
    return fail("pg_ctl start failed (exit " + std::to_string(rc) + "): " + tail(server->dir_ + "/pg_ctl.log") +
                tail(log));
  }
  return server;
}

PostgresServer::~PostgresServer() {
  if (watchdog_fd_ >= 0) ::close(watchdog_fd_);
  if (watchdog_ > 0) {
    int status = 0;
    ::waitpid(watchdog_, &status, 0);
  }
}

std::string PostgresServer::conninfo(const std::string& db) const {
  return "host=" + dir_ + " port=" + std::to_string(port_) + " user=postgres dbname=" + db;
}

std::string PostgresServer::uri(const std::string& db) const {
  std::string host;
  for (char c : dir_) {
    if (c == '/') {
      host += "%2F";
    } else {
      host += c;
    }
  }
  return "postgresql://postgres@" + host + ":" + std::to_string(port_) + "/" + db;
}

std::string PostgresServer::create_database(std::string* error) {
  std::string name = "t" + std::to_string(++databases_);
  std::string e = exec("postgres", "CREATE DATABASE " + name);
  if (!e.empty()) {
    if (error != nullptr) *error = e;
    return "";
  }
  return name;
}

std::string PostgresServer::exec(const std::string& db, const std::string& sql) const {
  std::string r = query(db, sql);
  return r.starts_with("ERROR: ") ? r : "";
}

std::string PostgresServer::query(const std::string& db, const std::string& sql) const {
  PGconn* c = PQconnectdb(conninfo(db).c_str());
  std::string out;
  if (PQstatus(c) != CONNECTION_OK) {
    out = std::string("ERROR: ") + PQerrorMessage(c);
  } else {
    PGresult* r = PQexec(c, sql.c_str());
    const ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
      out = std::string("ERROR: ") + PQresultErrorMessage(r);
    } else if (st == PGRES_TUPLES_OK && PQntuples(r) > 0 && PQnfields(r) > 0) {
      out = PQgetvalue(r, 0, 0);
    }
    PQclear(r);
  }
  PQfinish(c);
  return out;
}

}  // namespace opentapi::test_support
