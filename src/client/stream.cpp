#include "client/stream.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "client/socket.h"
#include "tapi.h"

namespace opentapi::client {
namespace {

class PlainStream final : public Stream {
 public:
  explicit PlainStream(int fd) : fd_(fd) {}
  ~PlainStream() override { ::close(fd_); }
  int fd() const override { return fd_; }
  bool write_all(std::string_view bytes) override { return client::write_all(fd_, bytes); }
  bool try_write(std::string_view bytes) override {
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT) == static_cast<ssize_t>(bytes.size());
  }
  ssize_t read_some(char* buffer, std::size_t size) override { return ::recv(fd_, buffer, size, MSG_DONTWAIT); }
  void shutdown() override { ::shutdown(fd_, SHUT_RDWR); }

 private:
  int fd_;
};

}  // namespace

OpenedStream open_stream(const proto::ServerAddress& address, std::chrono::milliseconds timeout) {
  OpenedStream out;
  const int fd = connect_socket(address);
  if (fd < 0) {
    // Nothing listening, or nothing there at all: the telephony service is
    // not running (the Windows code for an unreachable TAPISRV).
    out.result = LINEERR_SERVICE_NOT_RUNNING;
    return out;
  }
  if (address.kind == proto::ServerAddress::Kind::kTls) return detail::open_tls(fd, address, timeout);
  out.stream = std::make_unique<PlainStream>(fd);
  return out;
}

void report_connect_error(const proto::ServerAddress& address, const std::string& why) {
  std::fprintf(stderr, "libopentapi: %s: %s\n", address.to_string().c_str(), why.c_str());
}

}  // namespace opentapi::client
