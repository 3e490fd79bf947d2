#include "client/socket.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

namespace opentapi::client {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Milliseconds left until `deadline` for poll(): 0 once it has passed.
int ms_left(Clock::time_point deadline) {
  const auto left = std::chrono::ceil<milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 0, 1'000'000));
}

// Waits for `events` on fd until `deadline`: true when they came, false with
// errno ETIMEDOUT when the time ran out (or poll's errno).
bool wait_until(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    const int left = ms_left(deadline);
    if (left == 0) {
      errno = ETIMEDOUT;
      return false;
    }
    pollfd p{fd, events, 0};
    const int rc = ::poll(&p, 1, left);
    if (rc > 0) return true;
    if (rc < 0 && errno != EINTR) return false;
  }
}

int connect_unix(const std::string& path, milliseconds timeout) {
  sockaddr_un sa{};
  sa.sun_family = AF_UNIX;
  if (path.size() >= sizeof sa.sun_path) {
    errno = ENAMETOOLONG;
    return -1;
  }
  std::memcpy(sa.sun_path, path.data(), path.size());
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  // A UNIX connect waits while the listener's backlog is full (a stopped
  // server accepts nothing) for as long as SO_SNDTIMEO allows, then fails
  // with EAGAIN; a non-blocking one cannot be waited for at all.
  const auto deadline = Clock::now() + timeout;
  int rc;
  do {
    const auto left = std::max<long long>(ms_left(deadline), 1);
    const timeval limit{static_cast<time_t>(left / 1000), static_cast<suseconds_t>(left % 1000 * 1000)};
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
    rc = ::connect(fd, reinterpret_cast<const sockaddr*>(&sa), sizeof sa);
  } while (rc < 0 && errno == EINTR && ms_left(deadline) > 0);
  if (rc < 0) {
    const int saved = errno == EAGAIN || errno == EINTR ? ETIMEDOUT : errno;
    ::close(fd);
    errno = saved;
    return -1;
  }
  // Writes have their own deadline (write_all).
  const timeval none{0, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &none, sizeof none);
  return fd;
}

// A non-blocking connect waited for until `deadline`; fd stays non-blocking.
bool connect_by(int fd, const sockaddr* address, socklen_t size, Clock::time_point deadline) {
  if (::connect(fd, address, size) == 0) return true;
  if (errno != EINPROGRESS && errno != EINTR) return false;
  if (!wait_until(fd, POLLOUT, deadline)) return false;
  int error = 0;
  socklen_t len = sizeof error;
  if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) != 0) return false;
  errno = error;
  return error == 0;
}

int connect_tcp(const std::string& host, std::uint16_t port, milliseconds timeout) {
  // One deadline for every address of the name: a host that is down (no
  // answer to the SYN) would otherwise hold the caller for the kernel's
  // retries, about two minutes.
  const auto deadline = Clock::now() + timeout;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (::getaddrinfo(host.c_str(), service.c_str(), &hints, &found) != 0) {
    errno = EHOSTUNREACH;
    return -1;
  }
  int fd = -1;
  int saved = ECONNREFUSED;
  for (addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
    fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
    if (fd < 0) continue;
    if (connect_by(fd, ai->ai_addr, ai->ai_addrlen, deadline)) {
      const int flags = ::fcntl(fd, F_GETFL);
      if (flags >= 0 && ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == 0) break;
    }
    saved = errno;
    ::close(fd);
    fd = -1;
  }
  ::freeaddrinfo(found);
  if (fd < 0) {
    errno = saved;
    return -1;
  }
  // Requests are small frames answered one by one: do not let Nagle delay them.
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

}  // namespace

int connect_socket(const proto::ServerAddress& address, milliseconds timeout) {
  if (address.kind == proto::ServerAddress::Kind::kUnix) return connect_unix(address.path, timeout);
  return connect_tcp(address.host, address.port, timeout);
}

bool write_all(int fd, std::string_view bytes, milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) return false;
      if (!wait_until(fd, POLLOUT, deadline)) return false;
      continue;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool wait_readable(int fd, std::chrono::milliseconds timeout) {
  pollfd p{fd, POLLIN, 0};
  int rc;
  do {
    rc = ::poll(&p, 1, static_cast<int>(timeout.count()));
  } while (rc < 0 && errno == EINTR);
  return rc > 0;
}

}  // namespace opentapi::client
