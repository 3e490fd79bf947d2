// Process-level tests of the opentapid binary: start it on a temporary socket,
// talk to it over raw sockets with hand-built frames (no client library), and
// stop it with SIGTERM.
#include "support/opentapid.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <tapi.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "opentapi.pb.h"
#include "proto/framing.h"
#include "support/postgres_server.h"
#include "support/wire_peer.h"

namespace {

namespace fs = std::filesystem;
namespace wire = opentapi::wire;
using namespace std::chrono_literals;

using opentapi::test_support::current_user;
using opentapi::test_support::read_file;

// A raw client connection speaking frames.
using Client = opentapi::test_support::WirePeer;

wire::ClientToServer hello(const std::string& token = "") {
  wire::ClientToServer m;
  m.mutable_hello()->set_protocol_version(opentapi::proto::kProtocolVersion);
  m.mutable_hello()->set_app_name("process-test");
  m.mutable_hello()->set_machine("test-host");
  m.mutable_hello()->set_token(token);
  return m;
}

wire::ClientToServer open_line(std::uint32_t seq, std::uint32_t device, std::uint32_t privileges,
                               std::vector<std::uint32_t> types = {}) {
  wire::ClientToServer m;
  m.set_seq(seq);
  m.mutable_open()->set_device_id(device);
  m.mutable_open()->set_api_version(0x00030001);
  m.mutable_open()->set_privileges(privileges);
  for (auto t : types) m.mutable_open()->add_proxy_request_types(t);
  return m;
}

// One opentapid process; killed at destruction if still running.
class Daemon : public opentapi::test_support::Opentapid {
 public:
  using Base = opentapi::test_support::Opentapid;
  Daemon(std::vector<std::string> args, const std::string& log) : Base(with_defaults(std::move(args)), log) {}

  std::optional<int> wait_exit(std::chrono::milliseconds timeout = 10s) { return Base::wait_exit(timeout); }

  bool wait_for_log(const std::regex& pattern, std::smatch* match = nullptr, std::chrono::milliseconds timeout = 10s) {
    return Base::wait_for_log(pattern, match, timeout);
  }

 private:
  // Without --data-dir or --store the built-in ACD is turned off: these
  // tests are about the server, and must not touch the user's data directory.
  static std::vector<std::string> with_defaults(std::vector<std::string> args) {
    if (std::find(args.begin(), args.end(), "--data-dir") == args.end() &&
        std::find(args.begin(), args.end(), "--store") == args.end() &&
        std::find(args.begin(), args.end(), "--help") == args.end()) {
      args.insert(args.begin(), "--no-acd");
    }
    // HTTP has its own tests (http_api_test.cpp); the default port must not
    // make these depend on what else runs on the machine.
    if (std::find(args.begin(), args.end(), "--http") == args.end() &&
        std::find(args.begin(), args.end(), "--help") == args.end()) {
      args.insert(args.begin(), {"--http", "off"});
    }
    return args;
  }
};

class OpentapidTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/opentapid-test-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    socket_ = dir_ + "/opentapid.sock";
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Connects, retrying while the daemon starts up.
  Client connect() {
    for (int i = 0; i < 500; ++i) {
      if (Client c = Client::unix_socket(socket_); c.ok()) return c;
      std::this_thread::sleep_for(10ms);
    }
    ADD_FAILURE() << "cannot connect to " << socket_;
    return Client(-1);
  }

  Client connect_and_hello() {
    Client c = connect();
    c.send(hello());
    const auto welcome = c.read();
    EXPECT_TRUE(welcome && welcome->has_welcome());
    return c;
  }

  std::string dir_;
  std::string socket_;
};

TEST_F(OpentapidTest, GarbageClosesOnlyItsConnectionAndSigtermStopsCleanly) {
  Daemon daemon({"--listen", "unix:" + socket_, "--lines", "3", "--log-level", "debug"}, dir_ + "/log");
  Client first = connect();
  first.send(hello());
  auto welcome = first.read();
  ASSERT_TRUE(welcome && welcome->has_welcome()) << daemon.log();
  EXPECT_EQ(welcome->welcome().protocol_version(), opentapi::proto::kProtocolVersion);
  EXPECT_EQ(welcome->welcome().num_devices(), 3u);
  EXPECT_EQ(welcome->welcome().user(), current_user());
  EXPECT_EQ(welcome->welcome().server_api_version(), 0x00030001u);

  Client second = connect();
  second.send_bytes(std::string("\x05\x00\x00\x00", 4) + "\xff\xff\xff\xff\xff");
  bool eof = false;
  const auto error = second.read(5s, &eof);
  ASSERT_TRUE(error && error->has_error()) << daemon.log();
  EXPECT_EQ(error->error().code(), LINEERR_OPERATIONFAILED);
  EXPECT_FALSE(second.read(5s, &eof));
  EXPECT_TRUE(eof) << "the garbage connection must be closed";

  first.send(open_line(7, 2, LINECALLPRIVILEGE_NONE));
  const auto result = first.read();
  ASSERT_TRUE(result && result->has_result()) << daemon.log();
  EXPECT_EQ(result->result().seq(), 7u);
  EXPECT_EQ(result->result().result(), 0);
  EXPECT_EQ(result->result().hline(), 1u);

  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_exit(), 0) << daemon.log();
  EXPECT_FALSE(fs::exists(socket_)) << "socket file left behind";
  const std::string log = daemon.log();
  EXPECT_NE(log.find("event=connect conn=1 user=" + current_user()), std::string::npos) << log;
  EXPECT_NE(log.find("event=disconnect conn=2"), std::string::npos) << log;
  EXPECT_NE(log.find("undecodable frame"), std::string::npos) << log;
  EXPECT_NE(log.find("event=stopping signal=SIGTERM"), std::string::npos) << log;
}

TEST_F(OpentapidTest, OversizeFramePrefixClosesTheConnection) {
  Daemon daemon({"--listen", "unix:" + socket_}, dir_ + "/log");
  Client c = connect_and_hello();
  c.send_bytes(std::string("\x01\x00\x20\x00", 4));  // 2 MiB + 1
  const auto error = c.read();
  ASSERT_TRUE(error && error->has_error()) << daemon.log();
  EXPECT_NE(error->error().text().find("exceeds the limit"), std::string::npos);
  bool eof = false;
  EXPECT_FALSE(c.read(5s, &eof));
  EXPECT_TRUE(eof);
  daemon.signal(SIGINT);
  EXPECT_EQ(daemon.wait_exit(), 0) << daemon.log();
}

TEST_F(OpentapidTest, RefusesASocketHeldByALiveServer) {
  Daemon first({"--listen", "unix:" + socket_}, dir_ + "/log1");
  Client c = connect_and_hello();
  Daemon second({"--listen", "unix:" + socket_}, dir_ + "/log2");
  EXPECT_EQ(second.wait_exit(), 1);
  EXPECT_NE(second.log().find("already listening on " + socket_), std::string::npos) << second.log();
  // The first server is unharmed.
  c.send(open_line(1, 0, LINECALLPRIVILEGE_NONE));
  const auto r = c.read();
  ASSERT_TRUE(r && r->has_result());
  EXPECT_EQ(r->result().result(), 0);
  first.signal(SIGTERM);
  EXPECT_EQ(first.wait_exit(), 0);
}

TEST_F(OpentapidTest, ReplacesAStaleSocketFile) {
  {
    // A socket bound and never listened on: what a crashed server leaves.
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, socket_.c_str(), sizeof addr.sun_path - 1);
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ::close(fd);
  }
  ASSERT_TRUE(fs::exists(socket_));
  Daemon daemon({"--listen", "unix:" + socket_}, dir_ + "/log");
  Client c = connect_and_hello();
  EXPECT_TRUE(daemon.wait_for_log(std::regex("event=stale-socket-removed")));
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_exit(), 0);
}

TEST_F(OpentapidTest, ClientThatDoesNotReadIsDisconnectedWhenItsQueueOverflows) {
  Daemon daemon({"--listen", "unix:" + socket_, "--max-queue-bytes", "1048580"}, dir_ + "/log");
  Client proxy = connect_and_hello();
  Client idle = connect_and_hello();
  proxy.send(open_line(1, 0, LINECALLPRIVILEGE_NONE | LINEOPENOPTION_PROXY, {2}));
  auto r = proxy.read();
  ASSERT_TRUE(r && r->has_result() && r->result().result() == 0);
  const std::uint32_t proxy_line = r->result().hline();
  idle.send(open_line(1, 0, LINECALLPRIVILEGE_NONE));
  r = idle.read();
  ASSERT_TRUE(r && r->has_result() && r->result().result() == 0);

  // Status messages (seq 0: no Results) that the idle client never reads:
  // ~18 bytes each to it, 400 000 of them, far over 1 MiB + socket buffers.
  std::string burst;
  wire::ClientToServer status;
  status.mutable_proxy_message()->set_hline(proxy_line);
  status.mutable_proxy_message()->set_msg(LINE_AGENTSTATUS);
  status.mutable_proxy_message()->set_param2(LINEAGENTSTATUS_STATE);
  for (int i = 0; i < 400000; ++i) {
    status.mutable_proxy_message()->set_param3(static_cast<std::uint32_t>(i));
    opentapi::proto::append_frame(burst, status);
  }
  proxy.send_bytes(burst);
  EXPECT_TRUE(daemon.wait_for_log(std::regex("event=overflow conn=2")));
  EXPECT_TRUE(idle.closed_within(10s)) << "the idle client must be disconnected";
  EXPECT_TRUE(daemon.wait_for_log(std::regex("event=disconnect conn=2 .*write queue overflow")));

  // The proxy is unaffected.
  wire::ClientToServer get;
  get.set_seq(9);
  get.mutable_get_proxy_status()->set_device_id(0);
  get.mutable_get_proxy_status()->set_app_api_version(0x00030001);
  proxy.send(get);
  r = proxy.read();
  ASSERT_TRUE(r && r->has_result()) << daemon.log();
  EXPECT_EQ(r->result().seq(), 9u);
  ASSERT_EQ(r->result().request_types_size(), 1);
  EXPECT_EQ(r->result().request_types(0), 2u);
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_exit(), 0);
}

TEST_F(OpentapidTest, TcpClientsNeedTheToken) {
  Daemon daemon({"--listen", "unix:" + socket_, "--listen", "tcp:127.0.0.1:0", "--token", "let-me-in"}, dir_ + "/log");
  std::smatch m;
  ASSERT_TRUE(daemon.wait_for_log(std::regex(R"re(event=listen address="tcp:127\.0\.0\.1:(\d+)")re"), &m))
      << daemon.log();
  const auto port = static_cast<std::uint16_t>(std::stoi(m[1].str()));

  auto bad = Client::tcp_loopback(port);
  ASSERT_TRUE(bad.ok());
  bad.send(hello("wrong"));
  auto r = bad.read();
  ASSERT_TRUE(r && r->has_error()) << daemon.log();
  bool eof = false;
  EXPECT_FALSE(bad.read(5s, &eof));
  EXPECT_TRUE(eof);

  auto good = Client::tcp_loopback(port);
  ASSERT_TRUE(good.ok());
  good.send(hello("let-me-in"));
  r = good.read();
  ASSERT_TRUE(r && r->has_welcome()) << daemon.log();
  EXPECT_EQ(r->welcome().user().rfind("tcp:127.0.0.1:", 0), 0u) << r->welcome().user();
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_exit(), 0);
}

TEST_F(OpentapidTest, TcpListenerWithoutTokenRefusesToStart) {
  Daemon daemon({"--listen", "unix:" + socket_, "--listen", "tcp:127.0.0.1:0"}, dir_ + "/log");
  EXPECT_EQ(daemon.wait_exit(), 1);
  EXPECT_NE(daemon.log().find("--token"), std::string::npos) << daemon.log();
  EXPECT_FALSE(fs::exists(socket_)) << "a failed start leaves no socket behind";
}

TEST_F(OpentapidTest, BadListenAddressIsAUsageError) {
  Daemon daemon({"--listen", "udp:1.2.3.4:5"}, dir_ + "/log");
  EXPECT_EQ(daemon.wait_exit(), 2);
  EXPECT_NE(daemon.log().find("expected unix:PATH"), std::string::npos) << daemon.log();
}

TEST_F(OpentapidTest, DefaultAddressIsUnderXdgRuntimeDirWithAPrivateDirectory) {
  ::setenv("XDG_RUNTIME_DIR", dir_.c_str(), 1);
  socket_ = dir_ + "/opentapi/opentapid.sock";
  Daemon daemon({}, dir_ + "/log");
  ::unsetenv("XDG_RUNTIME_DIR");
  Client c = connect_and_hello();
  struct stat st {};
  ASSERT_EQ(::stat((dir_ + "/opentapi").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_exit(), 0);
  EXPECT_FALSE(fs::exists(socket_));
}

TEST_F(OpentapidTest, HelpDocumentsFlagsAndTheClientVariable) {
  Daemon daemon({"--help"}, dir_ + "/log");
  EXPECT_EQ(daemon.wait_exit(), 0);
  const std::string help = daemon.log();
  for (const char* needle : {"--listen",
                             "--lines",
                             "--addresses",
                             "--token",
                             "--max-queue-bytes",
                             "--log-level",
                             "--version",
                             "--config",
                             "--data-dir",
                             "--summary-interval",
                             "--no-acd",
                             "--no-simulator",
                             "--print-config",
                             "--http-max-queued-frames",
                             "--first-number",
                             "--store",
                             "--call-center",
                             "--event-log-hours",
                             "--check-config",
                             "--socket-mode",
                             "SIGHUP",
                             "READY=1",
                             "OPENTAPI_SERVER",
                             "XDG_RUNTIME_DIR"}) {
    EXPECT_NE(help.find(needle), std::string::npos) << needle;
  }
}

TEST_F(OpentapidTest, PrintConfigShowsEveryNumber) {
  // --data-dir keeps the ACD (and so its route point and trunk) in the picture;
  // --print-config exits before the store is opened.
  Daemon daemon({"--print-config", "--data-dir", dir_ + "/data", "--first-number", "500"}, dir_ + "/log");
  EXPECT_EQ(daemon.wait_exit(), 0);
  const std::string out = daemon.log();
  for (const char* needle :
       {"number = \"8001\"", "first_number = \"500\"", "# device 0 \"Station 500\" (station): 500 501",
        "# device 1 \"Station 502\" (station): 502 503",
        "# device 4 \"ACD queues\" (route point): 8001 (queue 1 Sales)", "# device 5 \"Outside lines\" (trunk): 0"}) {
    EXPECT_NE(out.find(needle), std::string::npos) << needle << "\n" << out;
  }
  EXPECT_FALSE(fs::exists(dir_ + "/data"));
}

TEST_F(OpentapidTest, BadFirstNumberIsAConfigurationError) {
  Daemon daemon({"--print-config", "--first-number", "20x"}, dir_ + "/log");
  EXPECT_EQ(daemon.wait_exit(), 1);
  EXPECT_NE(daemon.log().find("opentapid: numbers: first_number: \"20x\" is not 1-32 digits"), std::string::npos)
      << daemon.log();
}

TEST_F(OpentapidTest, RunsTheBuiltInAcdByDefaultAndStopsItCleanly) {
  Daemon daemon({"--listen", "unix:" + socket_, "--data-dir", dir_ + "/data", "--no-simulator"}, dir_ + "/log");
  bool started = false;
  for (int i = 0; i < 400 && !started; ++i) {
    started = daemon.log().find("event=acd-started") != std::string::npos;
    if (!started) std::this_thread::sleep_for(25ms);
  }
  ASSERT_TRUE(started) << daemon.log();
  // The ACD registered as proxy: the server logged the full registration.
  EXPECT_NE(daemon.log().find("event=acd-ready"), std::string::npos) << daemon.log();
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/data/opentapi.db"));
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_exit(), 0) << daemon.log();
  EXPECT_NE(daemon.log().find("event=stopped"), std::string::npos);
}

TEST_F(OpentapidTest, AnUnknownStoreIsRefusedWithTheAcceptedForms) {
  Daemon daemon({"--listen", "unix:" + socket_, "--store", "mysql://db/x", "--http", "off"}, dir_ + "/log");
  EXPECT_EQ(daemon.wait_exit(), 1);
  EXPECT_NE(daemon.log().find("store \"mysql://db/x\" is none of sqlite:DIR, postgresql://…, postgres://… or "
                              "postgresql:KEY=VALUE…"),
            std::string::npos)
      << daemon.log();
}

TEST_F(OpentapidTest, StoreAndDataDirExcludeEachOther) {
  Daemon daemon({"--store", "sqlite:" + dir_ + "/a", "--data-dir", dir_ + "/b"}, dir_ + "/log");
  EXPECT_NE(daemon.wait_exit(), 0);
  EXPECT_NE(daemon.log().find("excludes"), std::string::npos) << daemon.log();
}

TEST_F(OpentapidTest, RunsTheAcdOnASqliteStoreLocation) {
  Daemon daemon(
      {"--listen", "unix:" + socket_, "--store", "sqlite:" + dir_ + "/data", "--no-simulator", "--http", "off"},
      dir_ + "/log");
  bool started = false;
  for (int i = 0; i < 400 && !started; ++i) {
    started = daemon.log().find("event=acd-started") != std::string::npos;
    if (!started) std::this_thread::sleep_for(25ms);
  }
  ASSERT_TRUE(started) << daemon.log();
  EXPECT_NE(daemon.log().find("store=\"sqlite:" + dir_ + "/data\""), std::string::npos) << daemon.log();
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/data/opentapi.db"));
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_exit(), 0) << daemon.log();
}

// opentapid on PostgreSQL: the ACD starts on its call center's lease, a clean
// stop hands the lease back, and the next node takes it at the next epoch.
TEST_F(OpentapidTest, RunsTheAcdOnPostgresAndHandsTheLeaseOnAtStop) {
  if (opentapi::test_support::PostgresServer::binaries().empty()) {
    GTEST_SKIP() << "PostgreSQL 15 server binaries not found (/usr/lib/postgresql/15/bin or $OPENTAPI_PG_BIN); "
                    "scripts/install-deps.sh installs them";
  }
  std::string error;
  auto pg = opentapi::test_support::PostgresServer::start(&error);
  ASSERT_TRUE(pg) << "PostgreSQL did not start: " << error;
  const std::string db = pg->create_database(&error);
  ASSERT_FALSE(db.empty()) << error;
  const std::string store = "postgresql:" + pg->conninfo(db);
  for (int node = 1; node <= 2; ++node) {
    const std::string log = dir_ + "/log" + std::to_string(node);
    Daemon daemon({"--listen", "unix:" + socket_, "--store", store, "--call-center", "north", "--no-simulator"}, log);
    ASSERT_TRUE(daemon.wait_for_log(std::regex("event=acd-started"), nullptr, 30s)) << daemon.log();
    EXPECT_NE(daemon.log().find("store=\"" + store + "\""), std::string::npos) << daemon.log();
    EXPECT_EQ(pg->query(db, "SELECT epoch FROM opentapi_call_centers WHERE name = 'north'"), std::to_string(node));
    EXPECT_NE(pg->query(db, "SELECT count(*) FROM opentapi_records WHERE call_center = 'north'"), "0")
        << "the ACD filed its configuration";
    daemon.signal(SIGTERM);
    EXPECT_EQ(daemon.wait_exit(), 0) << daemon.log();
    EXPECT_EQ(pg->query(db, "SELECT lease_until <= clock_timestamp() FROM opentapi_call_centers"), "t")
        << "a clean stop hands the lease back";
  }
}

TEST_F(OpentapidTest, LogsASummaryLineEveryInterval) {
  Daemon daemon({"--listen", "unix:" + socket_, "--data-dir", dir_ + "/data", "--summary-interval", "1"},
                dir_ + "/log");
  bool seen = false;
  for (int i = 0; i < 200 && !seen; ++i) {
    seen = daemon.log().find("event=summary acd_requests=") != std::string::npos;
    if (!seen) std::this_thread::sleep_for(25ms);
  }
  EXPECT_TRUE(seen) << daemon.log();
  EXPECT_NE(daemon.log().find("live_sessions="), std::string::npos) << daemon.log();
  daemon.signal(SIGINT);
  EXPECT_EQ(daemon.wait_exit(), 0) << daemon.log();
}

TEST_F(OpentapidTest, PrintConfigShowsTheDemoCallCenter) {
  Daemon daemon({"--print-config"}, dir_ + "/log");
  EXPECT_EQ(daemon.wait_exit(), 0);
  EXPECT_NE(daemon.log().find("[[group]]"), std::string::npos) << daemon.log();
  EXPECT_NE(daemon.log().find("[simulator]"), std::string::npos) << daemon.log();
}

TEST_F(OpentapidTest, InvalidConfigurationIsRefusedNamingTheLine) {
  const std::string path = dir_ + "/bad.toml";
  FILE* f = std::fopen(path.c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fputs("[acd]\nwrap_up_seconds = \"soon\"\n", f);
  std::fclose(f);
  Daemon daemon({"--config", path, "--listen", "unix:" + socket_, "--data-dir", dir_ + "/data"}, dir_ + "/log");
  EXPECT_EQ(daemon.wait_exit(), 1);
  EXPECT_NE(daemon.log().find("wrap_up_seconds"), std::string::npos) << daemon.log();
  EXPECT_NE(daemon.log().find(":2"), std::string::npos) << daemon.log();
}

}  // namespace

namespace {

// The default HTTP address is best effort: when 127.0.0.1:8080 is held the
// telephony server runs on with a warning (an explicit --http would stop it:
// http_api_test.cpp).
TEST_F(OpentapidTest, ATakenDefaultHttpPortOnlyWarns) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(8080);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  // Hold the port ourselves: another program holding it could let go of it
  // before opentapid tries (the demo test takes turns with this one through
  // a ctest resource lock; anything else is waited for).
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ASSERT_EQ(errno, EADDRINUSE) << std::strerror(errno);
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "127.0.0.1:8080 stayed in use for 60 s";
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_EQ(::listen(fd, 1), 0);

  // Without --http: the default address (so not a Daemon, which turns HTTP off).
  // It dies with the test: killed at its time-out, the test would otherwise
  // leave a server that keeps the default port from the next run.
  opentapi::test_support::Opentapid daemon({"--listen", "unix:" + socket_, "--no-acd"}, dir_ + "/log",
                                           /*die_with_parent=*/true);
  Client c = connect();
  c.send(hello());
  const auto welcome = c.read();
  EXPECT_TRUE(welcome && welcome->has_welcome()) << read_file(dir_ + "/log");
  // HTTP starts after the telephony server: its warning may follow the welcome.
  EXPECT_TRUE(daemon.wait_for_log(std::regex("event=http-off"), nullptr, 10s)) << daemon.log();
  const std::string log = read_file(dir_ + "/log");
  EXPECT_NE(log.find("event=http-off"), std::string::npos) << log;
  EXPECT_NE(log.find("cannot listen on http 127.0.0.1:8080"), std::string::npos) << log;
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_exit(10s), 0);
  ::close(fd);
}

}  // namespace

namespace {

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
}

TEST_F(OpentapidTest, CheckConfigAcceptsAValidFileWithoutStarting) {
  const std::string path = dir_ + "/good.toml";
  write_text(path, std::string(opentapi::test_support::read_file(OPENTAPI_EXAMPLE_CONFIG)));
  opentapi::test_support::Opentapid daemon({"--check-config", path, "--data-dir", dir_ + "/data"}, dir_ + "/log");
  EXPECT_EQ(daemon.wait_exit(10s), 0);
  EXPECT_EQ(daemon.log(), path + ": OK\n");
  EXPECT_FALSE(fs::exists(dir_ + "/data"));
}

TEST_F(OpentapidTest, CheckConfigNamesTheErrorAndFails) {
  const std::string path = dir_ + "/bad.toml";
  write_text(path, "[acd]\nwrap_up_seconds = \"soon\"\n");
  opentapi::test_support::Opentapid daemon({"--check-config", path}, dir_ + "/log");
  EXPECT_EQ(daemon.wait_exit(10s), 1);
  EXPECT_NE(daemon.log().find("opentapid: " + path + ":2"), std::string::npos) << daemon.log();
  EXPECT_NE(daemon.log().find("wrap_up_seconds"), std::string::npos) << daemon.log();

  opentapi::test_support::Opentapid missing({"--check-config", dir_ + "/none.toml"}, dir_ + "/log2");
  EXPECT_EQ(missing.wait_exit(10s), 1);
  EXPECT_NE(missing.log().find(dir_ + "/none.toml"), std::string::npos) << missing.log();
}

TEST_F(OpentapidTest, CheckConfigChecksTheNumbersToo) {
  const std::string path = dir_ + "/good.toml";
  write_text(path, std::string(opentapi::test_support::read_file(OPENTAPI_EXAMPLE_CONFIG)));
  opentapi::test_support::Opentapid daemon({"--check-config", path, "--first-number", "20x"}, dir_ + "/log");
  EXPECT_EQ(daemon.wait_exit(10s), 1);
  EXPECT_NE(daemon.log().find("opentapid: numbers: first_number: \"20x\""), std::string::npos) << daemon.log();
}

TEST_F(OpentapidTest, SocketModeIsSetBeforeClientsConnect) {
  Daemon daemon({"--listen", "unix:" + socket_, "--socket-mode", "0660"}, dir_ + "/log");
  Client c = connect_and_hello();
  struct stat st {};
  ASSERT_EQ(::stat(socket_.c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0660u);
  EXPECT_EQ(daemon.terminate(), 0);
}

TEST_F(OpentapidTest, BadSocketModeIsAUsageError) {
  for (const char* mode : {"rw", "0999", "01777", "-1"}) {
    Daemon daemon({"--listen", "unix:" + socket_, "--socket-mode", mode}, dir_ + "/log-" + std::string(mode));
    EXPECT_EQ(daemon.wait_exit(), 2) << mode;
    EXPECT_NE(daemon.log().find("--socket-mode: expected an octal mode"), std::string::npos) << daemon.log();
  }
}

// A datagram socket standing in for systemd's $NOTIFY_SOCKET.
class NotifySocket {
 public:
  explicit NotifySocket(const std::string& path) : fd_(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  }
  ~NotifySocket() { ::close(fd_); }
  NotifySocket(const NotifySocket&) = delete;
  NotifySocket& operator=(const NotifySocket&) = delete;

  std::string next(std::chrono::milliseconds timeout = 20s) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) != 1) return "(nothing)";
    char buf[1024];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    return n < 0 ? "(error)" : std::string(buf, static_cast<std::size_t>(n));
  }

 private:
  int fd_;
};

// Puts an environment variable in place for the children started meanwhile.
class ChildEnv {
 public:
  ChildEnv(const char* name, const std::string& value) : name_(name) { ::setenv(name, value.c_str(), 1); }
  ~ChildEnv() { ::unsetenv(name_); }
  ChildEnv(const ChildEnv&) = delete;
  ChildEnv& operator=(const ChildEnv&) = delete;

 private:
  const char* name_;
};

// Under systemd: READY=1 once it serves, RELOADING=1 then READY=1 around a
// reload, STOPPING=1 at SIGTERM; log lines with "<N>" priorities and no
// timestamps, because JOURNAL_STREAM names its stderr.
TEST_F(OpentapidTest, SpeaksToSystemdAndItsJournal) {
  NotifySocket notify(dir_ + "/notify");
  const std::string log = dir_ + "/log";
  write_text(log, "");
  struct stat st {};
  ASSERT_EQ(::stat(log.c_str(), &st), 0);
  ChildEnv notify_env("NOTIFY_SOCKET", dir_ + "/notify");
  ChildEnv journal_env("JOURNAL_STREAM", std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino));
  Daemon daemon({"--listen", "unix:" + socket_}, log);
  EXPECT_EQ(notify.next(), "READY=1\nSTATUS=serving");
  EXPECT_TRUE(opentapi::test_support::can_connect(socket_));
  daemon.signal(SIGHUP);
  EXPECT_EQ(notify.next(), "RELOADING=1\nSTATUS=reloading the configuration");
  EXPECT_EQ(notify.next(), "READY=1\nSTATUS=serving");
  daemon.signal(SIGTERM);
  EXPECT_EQ(notify.next(), "STOPPING=1");
  EXPECT_EQ(daemon.wait_exit(), 0);
  const std::string text = daemon.log();
  EXPECT_NE(text.find("<6>info event=started version="), std::string::npos) << text;
  EXPECT_NE(text.find("<6>info event=reload config=\"built-in demo\""), std::string::npos) << text;
  // Every line starts with its priority; none with a date.
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    EXPECT_TRUE(std::regex_match(line, std::regex(R"(<[2-7]>(debug|info|warning|error|critical) .*)"))) << line;
  }
}

// SIGHUP re-reads --config: new HTTP tokens apply, other changes are
// reported as needing a restart, and an invalid file changes nothing.
TEST_F(OpentapidTest, ReloadAppliesTokensAndReportsTheRest) {
  const std::string path = dir_ + "/callcenter.toml";
  const std::string original = opentapi::test_support::read_file(OPENTAPI_EXAMPLE_CONFIG);
  write_text(path, original);
  Daemon daemon({"--config", path, "--listen", "unix:" + socket_, "--data-dir", dir_ + "/data", "--no-simulator",
                 "--http", "127.0.0.1:0"},
                dir_ + "/log");
  ASSERT_TRUE(daemon.wait_for_log(std::regex("event=http-listen")));

  // Tokens only: applied, nothing to restart.
  std::string rotated = original;
  rotated.replace(rotated.find("\"demo-supervisor\""), 17, "\"rotated-supervisor\"");
  write_text(path, rotated);
  daemon.signal(SIGHUP);
  ASSERT_TRUE(daemon.wait_for_log(std::regex("event=reloaded config=[^ ]+ http_tokens=2"))) << daemon.log();
  EXPECT_EQ(daemon.log().find("event=reload-restart-needed"), std::string::npos) << daemon.log();

  // Something else: still applied for the tokens, the rest reported.
  std::string longer_wrap_up = rotated;
  longer_wrap_up.replace(longer_wrap_up.find("wrap_up_seconds = 15"), 20, "wrap_up_seconds = 30");
  write_text(path, longer_wrap_up);
  daemon.signal(SIGHUP);
  ASSERT_TRUE(daemon.wait_for_log(std::regex("event=reload-restart-needed"))) << daemon.log();

  // Invalid: nothing changes, the server runs on.
  write_text(path, "[acd]\nwrap_up_seconds = \"soon\"\n");
  daemon.signal(SIGHUP);
  ASSERT_TRUE(daemon.wait_for_log(std::regex("event=reload-failed config=[^ ]+ error=\"[^\"]*:2:"))) << daemon.log();
  EXPECT_NE(daemon.log().find("the running configuration is unchanged"), std::string::npos);
  Client c = connect_and_hello();
  EXPECT_EQ(daemon.terminate(), 0) << daemon.log();
}

// Upgrade safety: a store written by a newer opentapid (a downgraded
// package) is refused, naming both schema versions, and left as it was.
TEST_F(OpentapidTest, ANewerStoreIsRefusedAndLeftAlone) {
  {
    Daemon first({"--listen", "unix:" + socket_, "--data-dir", dir_ + "/data", "--no-simulator"}, dir_ + "/log1");
    ASSERT_TRUE(first.wait_for_log(std::regex("event=acd-started"))) << first.log();
    ASSERT_EQ(first.terminate(), 0);
  }
  const std::string db = dir_ + "/data/opentapi.db";
  sqlite3* handle = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &handle), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(handle, "PRAGMA user_version = 999", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(handle);

  Daemon second({"--listen", "unix:" + socket_, "--data-dir", dir_ + "/data", "--no-simulator"}, dir_ + "/log2");
  EXPECT_EQ(second.wait_exit(), 1);
  EXPECT_NE(second.log().find("database file " + db + " has schema version 999, newer than this opentapid supports ("),
            std::string::npos)
      << second.log();
  EXPECT_NE(second.log().find("run a newer opentapid"), std::string::npos) << second.log();
  ASSERT_EQ(sqlite3_open(db.c_str(), &handle), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(handle, "PRAGMA user_version", -1, &statement, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(statement), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(statement, 0), 999);
  sqlite3_finalize(statement);
  sqlite3_close(handle);
}

}  // namespace
