// Where opentapid listens and where libopentapi connects.
//
// Text form (the `--listen` option of opentapid and the OPENTAPI_SERVER
// variable of client applications):
//   unix:PATH         a UNIX-domain stream socket (PATH shorter than 108 bytes)
//   tcp:HOST:PORT     TCP; HOST is a name, an IPv4 address or [IPv6]
//   tcp:PORT          TCP on the loopback interface (127.0.0.1)
//   tls:HOST:PORT     TCP with TLS (docs/security.md "Deploying on a network")
//   tls:PORT          TLS on the loopback interface
// PORT is 0..65535; 0 is meaningful only for listening (any free port).
#ifndef OPENTAPI_PROTO_ADDRESS_H
#define OPENTAPI_PROTO_ADDRESS_H

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace opentapi::proto {

// Name of the environment variable client applications read to find the
// server; unset means default_server_address().
inline constexpr const char* kServerAddressVariable = "OPENTAPI_SERVER";

struct ServerAddress {
  enum class Kind { kUnix, kTcp, kTls };
  Kind kind = Kind::kUnix;
  std::string path;        // kUnix
  std::string host;        // kTcp, kTls: without brackets for IPv6
  std::uint16_t port = 0;  // kTcp, kTls

  static ServerAddress unix_socket(std::string path);
  static ServerAddress tcp(std::string host, std::uint16_t port);
  static ServerAddress tls(std::string host, std::uint16_t port);

  // TCP, with or without TLS: a host and a port, a token to present.
  bool is_network() const { return kind != Kind::kUnix; }

  // The text form, parseable by parse_server_address.
  std::string to_string() const;

  friend bool operator==(const ServerAddress&, const ServerAddress&) = default;
};

// The result of parse_server_address: an address, or a message saying what is
// wrong with the text (quoting it).
struct ParsedAddress {
  std::optional<ServerAddress> address;
  std::string error;

  explicit operator bool() const { return address.has_value(); }
};

ParsedAddress parse_server_address(std::string_view text);

// The daemon's default UNIX socket path:
//   $XDG_RUNTIME_DIR/opentapi/opentapid.sock   if XDG_RUNTIME_DIR is set and not empty
//   /tmp/opentapi-<uid>/opentapid.sock         otherwise
// The daemon creates the directory (mode 0700) when it listens there.
std::string default_server_address();

// The address a client should connect to: OPENTAPI_SERVER if set and not
// empty, else unix:default_server_address().
ParsedAddress client_server_address();

}  // namespace opentapi::proto

#endif  // OPENTAPI_PROTO_ADDRESS_H
