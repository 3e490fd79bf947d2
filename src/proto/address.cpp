#include "proto/address.h"

#include <sys/un.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>

namespace opentapi::proto {
namespace {

constexpr std::string_view kUnixPrefix = "unix:";
constexpr std::string_view kTcpPrefix = "tcp:";
constexpr std::string_view kTlsPrefix = "tls:";
constexpr std::string_view kLoopback = "127.0.0.1";

ParsedAddress fail(std::string_view text, std::string_view why) {
  ParsedAddress r;
  r.error = "invalid server address '" + std::string(text) + "': " + std::string(why);
  return r;
}

std::optional<std::uint16_t> parse_port(std::string_view s) {
  if (s.empty() || s.size() > 5) return std::nullopt;
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() || value > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

}  // namespace

ServerAddress ServerAddress::unix_socket(std::string path) {
  ServerAddress a;
  a.kind = Kind::kUnix;
  a.path = std::move(path);
  return a;
}

ServerAddress ServerAddress::tcp(std::string host, std::uint16_t port) {
  ServerAddress a;
  a.kind = Kind::kTcp;
  a.host = std::move(host);
  a.port = port;
  return a;
}

ServerAddress ServerAddress::tls(std::string host, std::uint16_t port) {
  ServerAddress a = tcp(std::move(host), port);
  a.kind = Kind::kTls;
  return a;
}

std::string ServerAddress::to_string() const {
  if (kind == Kind::kUnix) return std::string(kUnixPrefix) + path;
  const bool v6 = host.find(':') != std::string::npos;
  return std::string(kind == Kind::kTls ? kTlsPrefix : kTcpPrefix) + (v6 ? "[" + host + "]" : host) + ":" +
         std::to_string(port);
}

ParsedAddress parse_server_address(std::string_view text) {
  if (text.starts_with(kUnixPrefix)) {
    const std::string_view path = text.substr(kUnixPrefix.size());
    if (path.empty()) return fail(text, "the socket path is empty (expected unix:PATH)");
    // sun_path holds the path and its terminating NUL.
    if (path.size() >= sizeof(sockaddr_un::sun_path)) {
      return fail(text, "the socket path is " + std::to_string(path.size()) + " bytes; at most " +
                            std::to_string(sizeof(sockaddr_un::sun_path) - 1) + " fit in a UNIX socket address");
    }
    if (path.find('\0') != std::string_view::npos) return fail(text, "the socket path contains a NUL byte");
    return ParsedAddress{ServerAddress::unix_socket(std::string(path)), {}};
  }
  const bool tls = text.starts_with(kTlsPrefix);
  if (tls || text.starts_with(kTcpPrefix)) {
    const std::string_view scheme = tls ? kTlsPrefix : kTcpPrefix;
    const std::string_view rest = text.substr(scheme.size());
    std::string_view host;
    std::string_view port;
    if (rest.starts_with('[')) {
      const auto close = rest.find(']');
      if (close == std::string_view::npos) return fail(text, "missing ']' after the IPv6 address");
      host = rest.substr(1, close - 1);
      const std::string_view after = rest.substr(close + 1);
      if (!after.starts_with(':')) return fail(text, "expected ':PORT' after the IPv6 address");
      port = after.substr(1);
      if (host.empty()) return fail(text, "the IPv6 address is empty");
    } else {
      const auto colon = rest.rfind(':');
      if (colon == std::string_view::npos) {
        host = kLoopback;
        port = rest;
      } else {
        host = rest.substr(0, colon);
        port = rest.substr(colon + 1);
        if (host.empty()) {
          return fail(text, "the host is empty (expected " + std::string(scheme) + "HOST:PORT or " +
                                std::string(scheme) + "PORT)");
        }
        if (host.find(':') != std::string_view::npos) {
          return fail(text, "an IPv6 address must be written in brackets, e.g. " + std::string(scheme) + "[::1]:PORT");
        }
      }
    }
    const auto p = parse_port(port);
    if (!p) return fail(text, "the port '" + std::string(port) + "' is not a number in 0..65535");
    ServerAddress a = ServerAddress::tcp(std::string(host), *p);
    if (tls) a.kind = ServerAddress::Kind::kTls;
    return ParsedAddress{std::move(a), {}};
  }
  return fail(text, "expected unix:PATH, tcp:HOST:PORT, tcp:PORT, tls:HOST:PORT or tls:PORT");
}

std::string default_server_address() {
  const char* runtime = std::getenv("XDG_RUNTIME_DIR");
  if (runtime != nullptr && *runtime != '\0') return std::string(runtime) + "/opentapi/opentapid.sock";
  return "/tmp/opentapi-" + std::to_string(::getuid()) + "/opentapid.sock";
}

ParsedAddress client_server_address() {
  const char* env = std::getenv(kServerAddressVariable);
  if (env != nullptr && *env != '\0') return parse_server_address(env);
  return ParsedAddress{ServerAddress::unix_socket(default_server_address()), {}};
}

}  // namespace opentapi::proto
