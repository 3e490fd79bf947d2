// The tls: transport of libopentapi: OpenSSL over a non-blocking TCP socket
// (docs/security.md "Clients"). One SSL object is shared by the reading
// thread and the writing ones, which OpenSSL does not allow at the same
// time: every SSL call holds mu_, and no one waits for the socket holding it.
#include <arpa/inet.h>
#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>

#include "client/stream.h"
#include "tapi.h"
#include "tls/policy.h"

namespace opentapi::client::detail {
namespace {

using std::chrono::milliseconds;

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

// Waits for `events` on fd until `deadline`. False on time-out or error.
bool wait_for(int fd, short events, std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    const auto left = std::chrono::ceil<milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) return false;
    pollfd p{fd, events, 0};
    const int rc = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 1'000'000)));
    if (rc > 0) return true;
    if (rc == 0) return false;
    if (errno != EINTR) return false;
  }
}

// What a failed read or handshake means for the person running the client.
std::string explain(const std::string& openssl) {
  if (openssl.find("certificate required") != std::string::npos) {
    return "the server requires a client certificate: set OPENTAPI_CERT_FILE and OPENTAPI_KEY_FILE (" + openssl + ")";
  }
  if (openssl.find("unknown ca") != std::string::npos || openssl.find("bad certificate") != std::string::npos ||
      openssl.find("certificate expired") != std::string::npos) {
    return "the server refused the client certificate of OPENTAPI_CERT_FILE (" + openssl + ")";
  }
  if (openssl.find("wrong version number") != std::string::npos ||
      openssl.find("packet length too long") != std::string::npos) {
    return "the server does not speak TLS here: is it a tcp: listener? (" + openssl + ")";
  }
  return openssl;
}

class TlsStream final : public Stream {
 public:
  TlsStream(int fd, SSL_CTX* ctx, SSL* ssl, milliseconds write_timeout)
      : fd_(fd), ctx_(ctx), ssl_(ssl), write_timeout_(write_timeout) {}
  ~TlsStream() override {
    SSL_free(ssl_);
    SSL_CTX_free(ctx_);
    ::close(fd_);
  }

  int fd() const override { return fd_; }

  bool write_all(std::string_view bytes) override {
    if (write_until(bytes, std::chrono::steady_clock::now() + write_timeout_)) return true;
    // A record written in part: nothing more can follow it.
    shutdown();
    return false;
  }

  bool write_until(std::string_view bytes, std::chrono::steady_clock::time_point deadline) {
    while (!bytes.empty()) {
      int wanted = 0;
      {
        std::lock_guard lock(mu_);
        const int n = SSL_write(ssl_, bytes.data(), static_cast<int>(std::min<std::size_t>(bytes.size(), 1 << 30)));
        if (n > 0) {
          bytes.remove_prefix(static_cast<std::size_t>(n));
          continue;
        }
        wanted = SSL_get_error(ssl_, n);
        if (wanted != SSL_ERROR_WANT_WRITE && wanted != SSL_ERROR_WANT_READ) {
          failed_locked("write");
          return false;
        }
      }
      // Wait without the lock, so the reader goes on (a peer that waits for
      // us to read before it reads must not deadlock us). WANT_READ: the
      // reader takes what arrives, so look again soon.
      if (wanted == SSL_ERROR_WANT_WRITE) {
        if (!wait_for(fd_, POLLOUT, deadline)) {
          std::lock_guard lock(mu_);
          if (error_.empty()) error_ = "the server took nothing for " + std::to_string(write_timeout_.count()) + " ms";
          return false;
        }
      } else {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, 10) < 0 && errno != EINTR) return false;
      }
    }
    return true;
  }

  bool try_write(std::string_view bytes) override {
    std::unique_lock lock(mu_, std::try_to_lock);
    if (!lock) return false;
    // With partial writes enabled, all or part of it; the rest is dropped
    // with the connection.
    return SSL_write(ssl_, bytes.data(), static_cast<int>(bytes.size())) == static_cast<int>(bytes.size());
  }

  ssize_t read_some(char* buffer, std::size_t size) override {
    std::lock_guard lock(mu_);
    const int n = SSL_read(ssl_, buffer, static_cast<int>(std::min<std::size_t>(size, 1 << 30)));
    if (n > 0) return n;
    switch (SSL_get_error(ssl_, n)) {
      case SSL_ERROR_ZERO_RETURN:
        return 0;
      case SSL_ERROR_WANT_READ:
      case SSL_ERROR_WANT_WRITE:
        errno = EAGAIN;
        return -1;
      case SSL_ERROR_SYSCALL:
        if (errno == 0) return 0;
        failed_locked("read");
        return -1;
      default:
        failed_locked("read");
        errno = EPROTO;
        return -1;
    }
  }

  bool pending() const override {
    std::lock_guard lock(mu_);
    return SSL_pending(ssl_) > 0;
  }

  void shutdown() override { ::shutdown(fd_, SHUT_RDWR); }

  std::string error() const override {
    std::lock_guard lock(mu_);
    return error_;
  }

 private:
  void failed_locked(const char* what) {
    const std::string errors = tls::take_errors();
    if (error_.empty() && !errors.empty()) error_ = explain(std::string("TLS ") + what + ": " + errors);
  }

  int fd_;
  SSL_CTX* ctx_;
  SSL* ssl_;
  milliseconds write_timeout_;
  mutable std::mutex mu_;
  std::string error_;
};

OpenedStream failure(int fd, SSL_CTX* ctx, SSL* ssl, std::int32_t result, std::string why) {
  if (ssl != nullptr) SSL_free(ssl);
  if (ctx != nullptr) SSL_CTX_free(ctx);
  ::close(fd);
  tls::take_errors();
  OpenedStream out;
  out.result = result;
  out.error = std::move(why);
  return out;
}

}  // namespace

OpenedStream open_tls(int fd, const proto::ServerAddress& address, const StreamTimeouts& timeouts) {
  const milliseconds timeout = timeouts.connect;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  tls::take_errors();
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (ctx == nullptr) return failure(fd, nullptr, nullptr, LINEERR_NOMEM, "cannot create a TLS context");
  if (std::string e = tls::apply_policy(ctx); !e.empty()) return failure(fd, ctx, nullptr, LINEERR_OPERATIONFAILED, e);
  // opentapid closes without close_notify (docs/security.md "TLS"); every
  // frame is length-prefixed, so a truncation cannot go unnoticed.
  SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
  SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);

  const std::string ca = env("OPENTAPI_CA_FILE");
  const bool loaded = ca.empty() ? SSL_CTX_set_default_verify_paths(ctx) == 1
                                 : SSL_CTX_load_verify_locations(ctx, ca.c_str(), nullptr) == 1;
  if (!loaded) {
    return failure(fd, ctx, nullptr, LINEERR_INIFILECORRUPT,
                   ca.empty() ? "cannot load the system's CA certificates: " + tls::take_errors()
                              : "cannot load OPENTAPI_CA_FILE=" + ca + ": " + tls::take_errors());
  }
  const std::string cert = env("OPENTAPI_CERT_FILE");
  std::string key = env("OPENTAPI_KEY_FILE");
  if (!cert.empty()) {
    if (key.empty()) key = cert;  // one PEM file with both
    if (SSL_CTX_use_certificate_chain_file(ctx, cert.c_str()) != 1) {
      return failure(fd, ctx, nullptr, LINEERR_INIFILECORRUPT,
                     "cannot load OPENTAPI_CERT_FILE=" + cert + ": " + tls::take_errors());
    }
    if (SSL_CTX_use_PrivateKey_file(ctx, key.c_str(), SSL_FILETYPE_PEM) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
      return failure(fd, ctx, nullptr, LINEERR_INIFILECORRUPT,
                     "cannot use OPENTAPI_KEY_FILE=" + key + " with OPENTAPI_CERT_FILE: " + tls::take_errors());
    }
  } else if (!key.empty()) {
    return failure(fd, ctx, nullptr, LINEERR_INIFILECORRUPT, "OPENTAPI_KEY_FILE is set but OPENTAPI_CERT_FILE is not");
  }

  SSL* ssl = SSL_new(ctx);
  if (ssl == nullptr) return failure(fd, ctx, nullptr, LINEERR_NOMEM, "cannot create a TLS connection");
  // The server's certificate must name the host in OPENTAPI_SERVER: a DNS
  // name, or an IP address in its subjectAltName.
  in6_addr ip{};
  const bool is_ip =
      ::inet_pton(AF_INET, address.host.c_str(), &ip) == 1 || ::inet_pton(AF_INET6, address.host.c_str(), &ip) == 1;
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
  const bool named =
      is_ip ? X509_VERIFY_PARAM_set1_ip_asc(param, address.host.c_str()) == 1
            : SSL_set1_host(ssl, address.host.c_str()) == 1 && SSL_set_tlsext_host_name(ssl, address.host.c_str()) == 1;
  if (!named || SSL_set_fd(ssl, fd) != 1) {
    return failure(fd, ctx, ssl, LINEERR_OPERATIONFAILED, "cannot set up TLS for " + address.host);
  }
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) {
    return failure(fd, ctx, ssl, LINEERR_OPERATIONFAILED, "cannot make the socket non-blocking");
  }
  for (;;) {
    const int rc = SSL_connect(ssl);
    if (rc == 1) break;
    const int e = SSL_get_error(ssl, rc);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
      if (wait_for(fd, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline)) continue;
      return failure(fd, ctx, ssl, LINEERR_OPERATIONFAILED,
                     "no TLS handshake within " + std::to_string(timeout.count()) + " ms");
    }
    const long verify = SSL_get_verify_result(ssl);
    if (verify != X509_V_OK) {
      std::string why = "the server's certificate was refused: " + tls::describe_verify_error(verify, address.host);
      why += ca.empty() ? " (verified against the system's CAs; set OPENTAPI_CA_FILE to your CA)"
                        : " (OPENTAPI_CA_FILE=" + ca + ")";
      return failure(fd, ctx, ssl, LINEERR_OPERATIONFAILED, std::move(why));
    }
    std::string errors = tls::take_errors();
    if (errors.empty()) errors = e == SSL_ERROR_SYSCALL && errno != 0 ? std::strerror(errno) : "connection closed";
    return failure(fd, ctx, ssl, LINEERR_OPERATIONFAILED, explain("TLS handshake failed: " + errors));
  }
  OpenedStream out;
  out.stream = std::make_unique<TlsStream>(fd, ctx, ssl, timeouts.write);
  return out;
}

}  // namespace opentapi::client::detail
