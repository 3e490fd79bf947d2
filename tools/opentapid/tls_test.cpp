// TLS on the real binary (docs/security.md "TLS"): tls: listeners against
// libopentapi's tls: transport, HTTPS and WebSocket over TLS, with
// certificates from a throw-away CA made here with the openssl command.
// `ctest -R '^opentapid_tls\.'`.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "support/opentapid.h"
#include "support/temp_dir.h"
#include "support/test_ca.h"
#include "support/wire_peer.h"
#include "tapi.h"

namespace {

namespace fs = std::filesystem;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace websocket = beast::websocket;
using opentapi::test_support::Opentapid;
using opentapi::test_support::TempDir;
using opentapi::test_support::TestCa;
using namespace std::chrono_literals;

constexpr const char* kToken = "tls-test-token";

// What libopentapi writes to stderr while it is alive (its only log).
class CapturedStderr {
 public:
  explicit CapturedStderr(std::string path) : path_(std::move(path)) {
    std::fflush(stderr);
    saved_ = ::dup(2);
    const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    ::dup2(fd, 2);
    ::close(fd);
  }
  ~CapturedStderr() { restore(); }
  // Restores stderr and returns what was written meanwhile.
  std::string text() {
    restore();
    std::ifstream in(path_);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
  }

 private:
  void restore() {
    if (saved_ < 0) return;
    std::fflush(stderr);
    ::dup2(saved_, 2);
    ::close(saved_);
    saved_ = -1;
  }
  std::string path_;
  int saved_ = -1;
};

// lineInitializeEx against OPENTAPI_SERVER=`server` with the given TLS
// variables (empty: unset); shuts down again on success. Returns the result
// and what libopentapi logged.
struct Attempt {
  LONG result = 0;
  DWORD devices = 0;
  std::string log;
};

Attempt initialize(const std::string& dir, const std::string& server, const std::string& ca,
                   const std::string& cert = "", const std::string& key = "") {
  ::setenv("OPENTAPI_SERVER", server.c_str(), 1);
  ::setenv("OPENTAPI_TOKEN", kToken, 1);
  auto set = [](const char* name, const std::string& value) {
    if (value.empty()) {
      ::unsetenv(name);
    } else {
      ::setenv(name, value.c_str(), 1);
    }
  };
  set("OPENTAPI_CA_FILE", ca);
  set("OPENTAPI_CERT_FILE", cert);
  set("OPENTAPI_KEY_FILE", key);
  Attempt out;
  HLINEAPP app = 0;
  DWORD api = 0x00030001;
  LINEINITIALIZEEXPARAMS params{};
  params.dwTotalSize = sizeof params;
  params.dwOptions = LINEINITIALIZEEXOPTION_USEEVENT;
  {
    CapturedStderr captured(dir + "/stderr.txt");
    out.result = lineInitializeExA(&app, nullptr, nullptr, "tls-test", &out.devices, &api, &params);
    out.log = captured.text();
  }
  if (out.result == 0) lineShutdown(app);
  return out;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(ca_.ok()) << ca_.error();
    ASSERT_TRUE(other_ca_.ok()) << other_ca_.error();
    server_ = ca_.issue("server", "DNS:localhost,IP:127.0.0.1");
    ASSERT_FALSE(server_.cert.empty()) << ca_.error();
  }

  // opentapid without the ACD on a UNIX socket and a tls: listener on a free
  // loopback port; returns the tls: address.
  std::string start(const TestCa::Issued& cert, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--listen",   "unix:" + dir_.path() + "/s.sock",
                                     "--listen",   "tls:127.0.0.1:0",
                                     "--token",    kToken,
                                     "--tls-cert", cert.cert,
                                     "--tls-key",  cert.key,
                                     "--no-acd",   "--http",
                                     "off",        "--summary-interval",
                                     "0"};
    args.insert(args.end(), extra.begin(), extra.end());
    daemon_.emplace(args, dir_.path() + "/opentapid.log");
    const auto address = daemon_->wait_tcp_address();
    EXPECT_TRUE(address) << daemon_->log();
    return address.value_or("");
  }

  static std::uint16_t port_of(const std::string& address) {
    return static_cast<std::uint16_t>(std::stoi(address.substr(address.rfind(':') + 1)));
  }

  bool wait_log(const std::string& pattern, std::chrono::milliseconds timeout = 10s) {
    std::smatch m;
    return daemon_->wait_for_log(std::regex(pattern), &m, timeout);
  }

  TempDir dir_{"opentapid-tls"};
  TestCa ca_{dir_.path(), "ca"};
  TestCa other_ca_{dir_.path(), "other-ca"};
  TestCa::Issued server_;
  std::optional<Opentapid> daemon_;
};

TEST_F(TlsTest, ClientTrustingTheCaConnectsByAddressAndByName) {
  const std::string address = start(server_);
  ASSERT_FALSE(address.empty());
  const Attempt by_ip = initialize(dir_.path(), address, ca_.ca_file());
  EXPECT_EQ(by_ip.result, 0) << by_ip.log;
  EXPECT_EQ(by_ip.devices, 4u);
  const Attempt by_name = initialize(dir_.path(), "tls:localhost:" + std::to_string(port_of(address)), ca_.ca_file());
  EXPECT_EQ(by_name.result, 0) << by_name.log;
}

TEST_F(TlsTest, CertificateOfAnotherCaIsRefusedWithAClearError) {
  const std::string address = start(server_);
  ASSERT_FALSE(address.empty());
  const Attempt a = initialize(dir_.path(), address, other_ca_.ca_file());
  EXPECT_EQ(a.result, LINEERR_OPERATIONFAILED);
  EXPECT_TRUE(contains(a.log, "not signed by a trusted CA")) << a.log;
  EXPECT_TRUE(contains(a.log, other_ca_.ca_file())) << a.log;
  // The server counts the refused handshake and goes on serving.
  EXPECT_TRUE(wait_log("event=tls-handshake-failed")) << daemon_->log();
  EXPECT_EQ(initialize(dir_.path(), address, ca_.ca_file()).result, 0);
}

TEST_F(TlsTest, CertificateForAnotherNameIsRefused) {
  const TestCa::Issued elsewhere = ca_.issue("elsewhere", "DNS:acd.example.com");
  const std::string address = start(elsewhere);
  ASSERT_FALSE(address.empty());
  const Attempt a = initialize(dir_.path(), address, ca_.ca_file());
  EXPECT_EQ(a.result, LINEERR_OPERATIONFAILED);
  EXPECT_TRUE(contains(a.log, "does not name 127.0.0.1")) << a.log;
  const Attempt b = initialize(dir_.path(), "tls:localhost:" + std::to_string(port_of(address)), ca_.ca_file());
  EXPECT_TRUE(contains(b.log, "does not name localhost")) << b.log;
}

TEST_F(TlsTest, ExpiredCertificateIsRefused) {
  const TestCa::Issued expired = ca_.issue("expired", "DNS:localhost,IP:127.0.0.1", -1);
  ASSERT_FALSE(expired.cert.empty()) << ca_.error();
  const std::string address = start(expired);
  ASSERT_FALSE(address.empty());
  const Attempt a = initialize(dir_.path(), address, ca_.ca_file());
  EXPECT_EQ(a.result, LINEERR_OPERATIONFAILED);
  EXPECT_TRUE(contains(a.log, "has expired")) << a.log;
}

TEST_F(TlsTest, MissingCaFileIsAConfigurationError) {
  const std::string address = start(server_);
  ASSERT_FALSE(address.empty());
  const Attempt a = initialize(dir_.path(), address, dir_.path() + "/no-such-ca.pem");
  EXPECT_EQ(a.result, LINEERR_INIFILECORRUPT);
  EXPECT_TRUE(contains(a.log, "cannot load OPENTAPI_CA_FILE")) << a.log;
}

TEST_F(TlsTest, MutualTlsRefusesAClientWithoutACertificate) {
  const TestCa::Issued client = ca_.issue("client", "DNS:agent-desk");
  const TestCa::Issued stranger = other_ca_.issue("stranger", "DNS:agent-desk");
  const std::string address = start(server_, {"--tls-client-ca", ca_.ca_file()});
  ASSERT_FALSE(address.empty());

  const Attempt none = initialize(dir_.path(), address, ca_.ca_file());
  EXPECT_EQ(none.result, LINEERR_OPERATIONFAILED);
  EXPECT_TRUE(contains(none.log, "requires a client certificate")) << none.log;

  const Attempt foreign = initialize(dir_.path(), address, ca_.ca_file(), stranger.cert, stranger.key);
  EXPECT_EQ(foreign.result, LINEERR_OPERATIONFAILED);
  EXPECT_TRUE(contains(foreign.log, "refused the client certificate")) << foreign.log;

  const Attempt good = initialize(dir_.path(), address, ca_.ca_file(), client.cert, client.key);
  EXPECT_EQ(good.result, 0) << good.log;
}

TEST_F(TlsTest, PlaintextClientOnATlsPortGetsAClearError) {
  const std::string address = start(server_);
  ASSERT_FALSE(address.empty());
  const Attempt a = initialize(dir_.path(), "tcp:127.0.0.1:" + std::to_string(port_of(address)), "");
  EXPECT_EQ(a.result, LINEERR_OPERATIONFAILED);
  EXPECT_TRUE(contains(a.log, "OPENTAPI_SERVER=tls:")) << a.log;
  EXPECT_TRUE(wait_log("does not speak TLS")) << daemon_->log();
  // No harm done: the server is still there for TLS clients.
  EXPECT_TRUE(daemon_->running());
  EXPECT_EQ(initialize(dir_.path(), address, ca_.ca_file()).result, 0);
}

TEST_F(TlsTest, TlsClientOnAPlainPortFailsCleanly) {
  std::vector<std::string> args = {"--listen", "unix:" + dir_.path() + "/s.sock",
                                   "--listen", "tcp:127.0.0.1:0",
                                   "--token",  kToken,
                                   "--no-acd", "--http",
                                   "off",      "--summary-interval",
                                   "0"};
  daemon_.emplace(args, dir_.path() + "/opentapid.log");
  const auto address = daemon_->wait_tcp_address();
  ASSERT_TRUE(address) << daemon_->log();
  const Attempt a = initialize(dir_.path(), "tls:127.0.0.1:" + std::to_string(port_of(*address)), ca_.ca_file());
  EXPECT_EQ(a.result, LINEERR_OPERATIONFAILED);
  EXPECT_TRUE(contains(a.log, "TLS")) << a.log;
  EXPECT_TRUE(daemon_->running());
}

// docs/security.md "TLS": 1.2 and 1.3 only; for 1.2 forward-secret AEAD
// suites only. `configure` restricts the client; returns the negotiated
// cipher, or "" if the handshake failed.
std::string handshake_with(std::uint16_t port, const std::string& ca, const std::function<void(SSL_CTX*)>& configure) {
  asio::io_context io;
  asio::ssl::context ctx(asio::ssl::context::tls_client);
  ctx.load_verify_file(ca);
  ctx.set_verify_mode(asio::ssl::verify_peer);
  configure(ctx.native_handle());
  asio::ssl::stream<asio::ip::tcp::socket> stream(io, ctx);
  stream.next_layer().connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  beast::error_code ec;
  stream.handshake(asio::ssl::stream_base::client, ec);
  if (ec) return "";
  std::string out = std::string(SSL_get_version(stream.native_handle())) + " " +
                    SSL_CIPHER_get_name(SSL_get_current_cipher(stream.native_handle()));
  stream.next_layer().close(ec);
  return out;
}

TEST_F(TlsTest, OnlyTls12And13WithForwardSecrecy) {
  const std::string address = start(server_);
  ASSERT_FALSE(address.empty());
  const std::uint16_t port = port_of(address);
  EXPECT_EQ(handshake_with(port, ca_.ca_file(), [](SSL_CTX*) {}).rfind("TLSv1.3 ", 0), 0u);
  const std::string tls12 =
      handshake_with(port, ca_.ca_file(), [](SSL_CTX* c) { SSL_CTX_set_max_proto_version(c, TLS1_2_VERSION); });
  EXPECT_EQ(tls12.rfind("TLSv1.2 ECDHE-", 0), 0u) << tls12;
  EXPECT_NE(tls12.find("GCM"), std::string::npos) << tls12;
  // Older versions and suites without forward secrecy or AEAD are refused.
  EXPECT_EQ(handshake_with(port, ca_.ca_file(),
                           [](SSL_CTX* c) {
                             SSL_CTX_set_security_level(c, 0);
                             SSL_CTX_set_cipher_list(c, "DEFAULT@SECLEVEL=0");
                             SSL_CTX_set_min_proto_version(c, TLS1_VERSION);
                             SSL_CTX_set_max_proto_version(c, TLS1_1_VERSION);
                           }),
            "");
  EXPECT_EQ(handshake_with(port, ca_.ca_file(),
                           [](SSL_CTX* c) {
                             SSL_CTX_set_max_proto_version(c, TLS1_2_VERSION);
                             // CBC suites an ECDSA certificate allows and OpenSSL offers by default.
                             SSL_CTX_set_cipher_list(c, "ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA384");
                           }),
            "");
  EXPECT_TRUE(wait_log("event=tls-handshake-failed")) << daemon_->log();
}

// A peer that connects and never starts the handshake is closed by the
// hello timeout, as a silent plain peer is.
TEST_F(TlsTest, HandshakeHasADeadline) {
  const std::string address = start(server_, {"--hello-timeout", "0.5"});
  ASSERT_FALSE(address.empty());
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port_of(address));
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
  const auto start_time = std::chrono::steady_clock::now();
  pollfd p{fd, POLLIN, 0};
  ASSERT_EQ(::poll(&p, 1, 20'000), 1) << "still open after 20 s";
  char byte = 0;
  EXPECT_LE(::recv(fd, &byte, 1, 0), 0);  // closed (EOF or reset), no bytes
  EXPECT_LT(std::chrono::steady_clock::now() - start_time, 15s);
  ::close(fd);
  EXPECT_TRUE(wait_log("event=hello-timeout")) << daemon_->log();
}

// VmRSS of `pid`, in KiB (0 if unreadable).
long rss_kib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return 0;
}

// docs/security.md "TLS": peers stuck in the middle of a handshake cost a
// bounded amount each (OpenSSL's record buffer is the most they can fill)
// and go at the hello timeout like silent plain peers.
TEST_F(TlsTest, PeersStuckInTheHandshakeAreBoundedAndClosed) {
  constexpr int kPeers = 100;
  const std::string address =
      start(server_, {"--hello-timeout", "3", "--max-pre-auth", "1000", "--max-pre-auth-per-peer", "1000"});
  ASSERT_FALSE(address.empty());
  const long before = rss_kib(daemon_->pid());
  // A handshake record announcing 16 KiB, then half of it, never the rest.
  const std::string partial = std::string("\x16\x03\x01\x40\x00", 5) + std::string(std::size_t{8} * 1024, '\x01');
  std::vector<opentapi::test_support::WirePeer> peers;
  for (int i = 0; i < kPeers; ++i) {
    peers.push_back(opentapi::test_support::WirePeer::tcp_loopback(port_of(address)));
    ASSERT_TRUE(peers.back().ok());
    peers.back().send_some(partial);
  }
  // Every peer's bytes are in the server once its handshake has read them;
  // the log line of the first time-out comes after all were accepted.
  const auto connected = std::chrono::steady_clock::now();
  ASSERT_TRUE(wait_log("event=hello-timeout", 20s)) << daemon_->log();
  const long during = rss_kib(daemon_->pid());
  int closed = 0;
  for (auto& p : peers) closed += p.closed_within(20s) ? 1 : 0;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - connected).count();
  std::printf(
      "[figure] %d TLS peers each stuck with 8 KiB of a 16 KiB handshake record: RSS %ld KiB -> %ld KiB "
      "(%ld KiB per peer); all closed %.1f s after connecting with a 3 s hello timeout\n",
      kPeers, before, during, (during - before) / kPeers, seconds);
  EXPECT_EQ(closed, kPeers);
  EXPECT_LT((during - before) / kPeers, 512) << "KiB per peer (ASan builds included)";
  EXPECT_TRUE(daemon_->running());
}

// Renewed certificate files are picked up on SIGHUP; files that do not load
// leave the old certificate in place.
TEST_F(TlsTest, ReloadsTheCertificateOnSighup) {
  const TestCa::Issued elsewhere = ca_.issue("elsewhere", "DNS:acd.example.com");
  const std::string cert = dir_.path() + "/live.pem";
  const std::string key = dir_.path() + "/live.key";
  fs::copy_file(elsewhere.cert, cert);
  fs::copy_file(elsewhere.key, key);
  const std::string address = start({cert, key});
  ASSERT_FALSE(address.empty());
  EXPECT_EQ(initialize(dir_.path(), address, ca_.ca_file()).result, LINEERR_OPERATIONFAILED);

  // A broken file first: refused, the old certificate stays.
  std::ofstream(cert, std::ios::trunc) << "not a certificate\n";
  daemon_->signal(SIGHUP);
  ASSERT_TRUE(wait_log("event=tls-reload-failed")) << daemon_->log();
  const Attempt still = initialize(dir_.path(), address, ca_.ca_file());
  EXPECT_TRUE(contains(still.log, "does not name 127.0.0.1")) << still.log;

  fs::copy_file(server_.cert, cert, fs::copy_options::overwrite_existing);
  fs::copy_file(server_.key, key, fs::copy_options::overwrite_existing);
  daemon_->signal(SIGHUP);
  ASSERT_TRUE(wait_log("event=tls-reloaded")) << daemon_->log();
  const Attempt renewed = initialize(dir_.path(), address, ca_.ca_file());
  EXPECT_EQ(renewed.result, 0) << renewed.log;
}

TEST_F(TlsTest, TlsListenerNeedsACertificate) {
  daemon_.emplace(
      std::vector<std::string>{"--listen", "tls:127.0.0.1:0", "--token", kToken, "--no-acd", "--http", "off"},
      dir_.path() + "/opentapid.log");
  const auto status = daemon_->wait_exit(20s);
  ASSERT_TRUE(status);
  EXPECT_EQ(*status, 1);
  EXPECT_TRUE(contains(daemon_->log(), "--tls-cert")) << daemon_->log();
}

// docs/security.md "Deploying on a network": no token in the clear by default.
TEST_F(TlsTest, PlainTcpOffLoopbackNeedsAllowPlaintext) {
  daemon_.emplace(std::vector<std::string>{"--listen", "tcp:0.0.0.0:0", "--token", kToken, "--no-acd", "--http", "off"},
                  dir_.path() + "/refused.log");
  const auto status = daemon_->wait_exit(20s);
  ASSERT_TRUE(status);
  EXPECT_EQ(*status, 1);
  EXPECT_TRUE(contains(daemon_->log(), "--allow-plaintext")) << daemon_->log();
  EXPECT_TRUE(contains(daemon_->log(), "use tls:0.0.0.0:0")) << daemon_->log();

  daemon_.emplace(std::vector<std::string>{"--listen", "tcp:0.0.0.0:0", "--token", kToken, "--no-acd", "--http", "off",
                                           "--allow-plaintext"},
                  dir_.path() + "/allowed.log");
  EXPECT_TRUE(daemon_->wait_tcp_address()) << daemon_->log();
  EXPECT_TRUE(wait_log("event=listen-exposed")) << daemon_->log();
}

TEST_F(TlsTest, PlainHttpOffLoopbackNeedsAllowPlaintext) {
  daemon_.emplace(
      std::vector<std::string>{"--listen", "unix:" + dir_.path() + "/s.sock", "--no-acd", "--http", "0.0.0.0:0"},
      dir_.path() + "/refused.log");
  const auto status = daemon_->wait_exit(20s);
  ASSERT_TRUE(status);
  EXPECT_EQ(*status, 1);
  EXPECT_TRUE(contains(daemon_->log(), "--allow-plaintext")) << daemon_->log();
}

// ---- HTTPS ----

class HttpsTest : public TlsTest {
 protected:
  // opentapid with the ACD (the built-in demo) and HTTPS on a free port.
  std::uint16_t start_https() {
    daemon_.emplace(
        std::vector<std::string>{"--listen", "unix:" + dir_.path() + "/s.sock", "--data-dir", dir_.path() + "/data",
                                 "--no-simulator", "--http", "https:127.0.0.1:0", "--tls-cert", server_.cert,
                                 "--tls-key", server_.key, "--summary-interval", "0"},
        dir_.path() + "/opentapid.log");
    std::smatch m;
    if (!daemon_->wait_for_log(std::regex(R"(event=http-listen host=\S+ port=(\d+) url=https://)"), &m, 30s)) {
      ADD_FAILURE() << daemon_->log();
      return 0;
    }
    return static_cast<std::uint16_t>(std::stoi(m[1].str()));
  }

  asio::ssl::context client_context(const std::string& ca) {
    asio::ssl::context ctx(asio::ssl::context::tls_client);
    ctx.load_verify_file(ca);
    ctx.set_verify_mode(asio::ssl::verify_peer);
    return ctx;
  }
};

TEST_F(HttpsTest, ServesRequestsAndEventsOverTls) {
  const std::uint16_t port = start_https();
  ASSERT_NE(port, 0);
  asio::io_context io;
  asio::ssl::context ctx = client_context(ca_.ca_file());
  beast::ssl_stream<beast::tcp_stream> stream(io, ctx);
  SSL_set1_host(stream.native_handle(), "localhost");
  SSL_set_tlsext_host_name(stream.native_handle(), "localhost");
  beast::get_lowest_layer(stream).expires_after(20s);
  beast::get_lowest_layer(stream).connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  stream.handshake(asio::ssl::stream_base::client);
  bhttp::request<bhttp::empty_body> req(bhttp::verb::get, "/healthz", 11);
  req.set(bhttp::field::host, "localhost");
  bhttp::write(stream, req);
  beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> res;
  bhttp::read(stream, buffer, res);
  EXPECT_EQ(res.result_int(), 200u) << res.body();
  beast::error_code ignored;
  beast::get_lowest_layer(stream).close();

  // The wallboard's stream: a WebSocket over TLS, its first frame the snapshot.
  websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws(io, ctx);
  SSL_set1_host(ws.next_layer().native_handle(), "localhost");
  beast::get_lowest_layer(ws).expires_after(20s);
  beast::get_lowest_layer(ws).connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  ws.next_layer().handshake(asio::ssl::stream_base::client);
  beast::get_lowest_layer(ws).expires_never();
  ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
  ws.handshake("localhost", "/events?token=demo-supervisor");
  beast::flat_buffer frame;
  ws.read(frame);
  EXPECT_TRUE(contains(beast::buffers_to_string(frame.data()), "\"type\":\"snapshot\""));
  ws.close(websocket::close_code::normal, ignored);
}

TEST_F(HttpsTest, UntrustedClientAndPlainHttpAreRefused) {
  const std::uint16_t port = start_https();
  ASSERT_NE(port, 0);
  asio::io_context io;
  asio::ssl::context ctx = client_context(other_ca_.ca_file());
  beast::ssl_stream<beast::tcp_stream> stream(io, ctx);
  beast::get_lowest_layer(stream).expires_after(20s);
  beast::get_lowest_layer(stream).connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  beast::error_code ec;
  stream.handshake(asio::ssl::stream_base::client, ec);
  EXPECT_TRUE(ec);  // certificate verify failed

  // Plain HTTP on the HTTPS port: the connection is closed, the server lives.
  beast::tcp_stream plain(io);
  plain.expires_after(20s);
  plain.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  bhttp::request<bhttp::empty_body> req(bhttp::verb::get, "/healthz", 11);
  bhttp::write(plain, req, ec);
  beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> res;
  bhttp::read(plain, buffer, res, ec);
  EXPECT_TRUE(ec);
  EXPECT_TRUE(daemon_->running());
}

}  // namespace
