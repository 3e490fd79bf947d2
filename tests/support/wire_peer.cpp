#include "support/wire_peer.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace opentapi::test_support {
namespace {

using Clock = std::chrono::steady_clock;

// Milliseconds left until `deadline`, at least 0.
int left_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left > 0 ? static_cast<int>(left) : 0;
}

bool readable(int fd, Clock::time_point deadline) {
  const int ms = left_ms(deadline);
  if (ms <= 0) return false;
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, ms) > 0;
}

int connected(int fd, const sockaddr* address, socklen_t size) {
  if (fd >= 0 && ::connect(fd, address, size) == 0) return fd;
  if (fd >= 0) ::close(fd);
  return -1;
}

}  // namespace

WirePeer::WirePeer(WirePeer&& o) noexcept : fd_(std::exchange(o.fd_, -1)), decoder_(std::move(o.decoder_)) {}

WirePeer& WirePeer::operator=(WirePeer&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(o.fd_, -1);
    decoder_ = std::move(o.decoder_);
  }
  return *this;
}

WirePeer::~WirePeer() {
  if (fd_ >= 0) ::close(fd_);
}

WirePeer WirePeer::unix_socket(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  return WirePeer(
      connected(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), reinterpret_cast<sockaddr*>(&addr), sizeof addr));
}

WirePeer WirePeer::tcp_loopback(std::uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return WirePeer(
      connected(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), reinterpret_cast<sockaddr*>(&addr), sizeof addr));
}

bool WirePeer::send_bytes(const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

std::size_t WirePeer::send_some(const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  return done;
}

bool WirePeer::send(const wire::ClientToServer& message) { return send_bytes(proto::encode_frame(message)); }

std::optional<wire::ServerToClient> WirePeer::read(std::chrono::milliseconds timeout, bool* eof) {
  const auto deadline = Clock::now() + timeout;
  if (eof) *eof = false;
  wire::ServerToClient m;
  for (;;) {
    const auto status = decoder_.next(m);
    if (status == proto::FrameDecoder::Status::kMessage) return m;
    if (status != proto::FrameDecoder::Status::kNeedMore) return std::nullopt;
    if (!readable(fd_, deadline)) return std::nullopt;
    char buf[65536];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) {
      if (eof) *eof = true;
      return std::nullopt;
    }
    decoder_.feed(std::string_view(buf, static_cast<std::size_t>(n)));
  }
}

std::string WirePeer::read_raw(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  std::string out;
  char buf[4096];
  while (readable(fd_, deadline)) {
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

bool WirePeer::closed_within(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  char buf[65536];
  while (readable(fd_, deadline)) {
    if (::recv(fd_, buf, sizeof buf, 0) <= 0) return true;
  }
  return false;
}

}  // namespace opentapi::test_support
