// The bounded waits of the socket layer (docs/tapi2.md "Time-outs"): a
// server that accepts nothing (its listen backlog full, as a stopped
// opentapid's becomes) or reads nothing must not hold the client for longer
// than the time-out given.
#include "client/socket.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "client/stream.h"
#include "tapi.h"

namespace opentapi::client {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// A UNIX listener that never accepts, with the smallest backlog.
class SilentUnixServer {
 public:
  SilentUnixServer() {
    char tmpl[] = "/tmp/socket-test-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    path_ = dir_ + "/s.sock";
    listener_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    std::snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path_.c_str());
    EXPECT_EQ(::bind(listener_, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
    EXPECT_EQ(::listen(listener_, 0), 0);
  }
  ~SilentUnixServer() {
    for (int fd : held_) ::close(fd);
    ::close(listener_);
    std::filesystem::remove_all(dir_);
  }
  proto::ServerAddress address() const {
    proto::ServerAddress a;
    a.kind = proto::ServerAddress::Kind::kUnix;
    a.path = path_;
    return a;
  }
  // Connects without waiting until the backlog refuses more (EAGAIN).
  void fill_backlog() {
    for (int i = 0; i < 64; ++i) {
      const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
      sockaddr_un sa{};
      sa.sun_family = AF_UNIX;
      std::snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path_.c_str());
      if (::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
        EXPECT_EQ(errno, EAGAIN);
        ::close(fd);
        return;
      }
      held_.push_back(fd);
    }
    ADD_FAILURE() << "the backlog never filled";
  }
  // Accepts one connection (and never reads it).
  int accept_one() { return ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC); }

 private:
  std::string dir_;
  std::string path_;
  int listener_ = -1;
  std::vector<int> held_;
};

TEST(Socket, ConnectToAUnixListenerWhoseBacklogIsFullTimesOut) {
  SilentUnixServer server;
  server.fill_backlog();
  const auto start = Clock::now();
  errno = 0;
  EXPECT_EQ(connect_socket(server.address(), 300ms), -1);
  EXPECT_EQ(errno, ETIMEDOUT);
  const auto waited = Clock::now() - start;
  EXPECT_GE(waited, 250ms);
  EXPECT_LT(waited, 10s);
}

TEST(Socket, ConnectToAUnixListenerWithRoomSucceedsAtOnce) {
  SilentUnixServer server;
  const int fd = connect_socket(server.address(), 300ms);
  ASSERT_GE(fd, 0);
  // Blocking, with no send time-out left behind from the connect.
  timeval limit{1, 1};
  socklen_t len = sizeof limit;
  ASSERT_EQ(::getsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, &len), 0);
  EXPECT_EQ(limit.tv_sec, 0);
  EXPECT_EQ(limit.tv_usec, 0);
  ::close(fd);
}

// TCP: a listener whose accept queue is full drops the SYNs, as a host that
// is down answers none; the connect gives up at its deadline.
TEST(Socket, ConnectToATcpListenerThatAnswersNoSynTimesOut) {
  const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
  ASSERT_EQ(::listen(listener, 0), 0);
  socklen_t len = sizeof sa;
  ASSERT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&sa), &len), 0);
  proto::ServerAddress address;
  address.kind = proto::ServerAddress::Kind::kTcp;
  address.host = "127.0.0.1";
  address.port = ntohs(sa.sin_port);
  // Fill the accept queue: connections that complete are held.
  std::vector<int> held;
  bool timed_out = false;
  for (int i = 0; i < 16 && !timed_out; ++i) {
    const auto start = Clock::now();
    const int fd = connect_socket(address, 300ms);
    if (fd >= 0) {
      held.push_back(fd);
      continue;
    }
    EXPECT_EQ(errno, ETIMEDOUT);
    const auto waited = Clock::now() - start;
    EXPECT_GE(waited, 250ms);
    EXPECT_LT(waited, 10s);
    timed_out = true;
  }
  EXPECT_TRUE(timed_out) << "every connect completed";
  for (int fd : held) ::close(fd);
  ::close(listener);
}

TEST(Socket, WriteToAPeerThatReadsNothingTimesOut) {
  SilentUnixServer server;
  const int fd = connect_socket(server.address(), 1s);
  ASSERT_GE(fd, 0);
  const int peer = server.accept_one();
  ASSERT_GE(peer, 0);
  const std::string bytes(16 * 1024 * 1024, 'x');  // beyond both socket buffers
  const auto start = Clock::now();
  errno = 0;
  EXPECT_FALSE(write_all(fd, bytes, 300ms));
  EXPECT_EQ(errno, ETIMEDOUT);
  const auto waited = Clock::now() - start;
  EXPECT_GE(waited, 250ms);
  EXPECT_LT(waited, 10s);
  ::close(peer);
  ::close(fd);
}

TEST(Socket, WriteToAPeerThatReadsCompletes) {
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
  const std::string bytes(4 * 1024 * 1024, 'y');
  std::size_t got = 0;
  std::thread reader([&] {
    char buf[65536];
    ssize_t n;
    while (got < bytes.size() && (n = ::recv(fds[1], buf, sizeof buf, 0)) > 0) got += static_cast<std::size_t>(n);
  });
  EXPECT_TRUE(write_all(fds[0], bytes, 10s));
  reader.join();
  EXPECT_EQ(got, bytes.size());
  ::close(fds[0]);
  ::close(fds[1]);
}

// A stream whose write timed out is shut down: a frame written in part
// leaves nothing more to say on it, and its reader sees the end.
TEST(Stream, AWriteThatTimesOutShutsTheStreamDown) {
  SilentUnixServer server;
  StreamTimeouts timeouts;
  timeouts.connect = 1s;
  timeouts.write = 300ms;
  OpenedStream opened = open_stream(server.address(), timeouts);
  ASSERT_TRUE(opened.stream);
  const int peer = server.accept_one();
  ASSERT_GE(peer, 0);
  EXPECT_FALSE(opened.stream->write_all(std::string(16 * 1024 * 1024, 'x')));
  char byte;
  EXPECT_EQ(opened.stream->read_some(&byte, 1), 0);
  ::close(peer);
}

TEST(Stream, NoConnectionInTimeIsServiceNotRunningWithTheReason) {
  SilentUnixServer server;
  server.fill_backlog();
  StreamTimeouts timeouts;
  timeouts.connect = 200ms;
  OpenedStream opened = open_stream(server.address(), timeouts);
  EXPECT_FALSE(opened.stream);
  EXPECT_EQ(opened.result, LINEERR_SERVICE_NOT_RUNNING);
  EXPECT_NE(opened.error.find("no connection within 200 ms"), std::string::npos) << opened.error;
}

}  // namespace
}  // namespace opentapi::client
