#include "client/stream.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <string>

#include "client/socket.h"
#include "tapi.h"

namespace opentapi::client {
namespace {

class PlainStream final : public Stream {
 public:
  PlainStream(int fd, std::chrono::milliseconds write_timeout) : fd_(fd), write_timeout_(write_timeout) {}
  ~PlainStream() override { ::close(fd_); }
  int fd() const override { return fd_; }
  bool write_all(std::string_view bytes) override {
    if (client::write_all(fd_, bytes, write_timeout_)) return true;
    const int saved = errno;
    shutdown();
    errno = saved;
    return false;
  }
  bool try_write(std::string_view bytes) override {
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT) == static_cast<ssize_t>(bytes.size());
  }
  ssize_t read_some(char* buffer, std::size_t size) override { return ::recv(fd_, buffer, size, MSG_DONTWAIT); }
  void shutdown() override { ::shutdown(fd_, SHUT_RDWR); }

 private:
  int fd_;
  std::chrono::milliseconds write_timeout_;
};

}  // namespace

OpenedStream open_stream(const proto::ServerAddress& address, const StreamTimeouts& timeouts) {
  OpenedStream out;
  const int fd = connect_socket(address, timeouts.connect);
  if (fd < 0) {
    // Nothing listening, or nothing there at all: the telephony service is
    // not running (the Windows code for an unreachable TAPISRV).
    out.result = LINEERR_SERVICE_NOT_RUNNING;
    if (errno == ETIMEDOUT) {
      out.error = "no connection within " + std::to_string(timeouts.connect.count()) +
                  " ms (the server accepts nothing: stopped, or its backlog is full)";
    }
    return out;
  }
  if (address.kind == proto::ServerAddress::Kind::kTls) return detail::open_tls(fd, address, timeouts);
  out.stream = std::make_unique<PlainStream>(fd, timeouts.write);
  return out;
}

void report_connect_error(const proto::ServerAddress& address, const std::string& why) {
  std::fprintf(stderr, "libopentapi: %s: %s\n", address.to_string().c_str(), why.c_str());
}

}  // namespace opentapi::client
