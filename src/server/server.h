// opentapid's network front: listens on UNIX and TCP sockets, runs one
// Connection per client on a single thread, and connects them to the
// Switchboard. Owns no telephony state itself.
//
// This header does not include Asio (pimpl), so tools/opentapid compiles fast.
#ifndef OPENTAPI_SERVER_SERVER_H
#define OPENTAPI_SERVER_SERVER_H

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "proto/address.h"
#include "server/switchboard.h"
#include "tls/files.h"

namespace opentapi::server {

struct Listen {
  proto::ServerAddress address;
  // UNIX only: create the socket's directory with mode 0700 (the default path).
  bool private_directory = false;
  // UNIX only: the socket file's mode (e.g. 0660 for a group of clients);
  // -1 leaves what the umask gives. Set right after bind, before listen, so
  // no client connects under another mode.
  int socket_mode = -1;
};

// What a peer may do before it has authenticated (its Hello accepted):
// docs/security.md "Before authentication".
struct PreAuthLimits {
  // Largest frame accepted before the Hello is accepted (a Hello with the
  // longest names and a token fits in a few kilobytes).
  std::size_t max_frame_bytes = 16 * 1024;
  // Time from accept to an accepted Hello; then the connection is closed.
  std::chrono::milliseconds hello_timeout{5000};
  // Connections waiting for their Hello, per listener (UNIX and TCP) and per
  // TCP peer address. A connection beyond either is closed at once.
  std::size_t max_per_listener = 256;
  std::size_t max_per_peer = 16;
};

// The I/O layer's counters for /metrics (Server::io_stats()).
struct ServerIoStats {
  std::uint64_t pre_auth_connections = 0;    // waiting for their Hello now
  std::uint64_t pre_auth_refused = 0;        // closed at accept: a pre-authentication cap was reached
  std::uint64_t hello_timeouts = 0;          // closed: no accepted Hello in time
  std::uint64_t accept_errors = 0;           // failed accepts (e.g. out of file descriptors)
  std::uint64_t queued_output_bytes = 0;     // output queued on all connections now
  std::uint64_t output_cap_cuts = 0;         // disconnected as the largest consumer over the total cap
  std::uint64_t tls_handshake_failures = 0;  // tls: connections whose handshake failed
};

struct ServerOptions {
  std::vector<Listen> listen;
  // Per connection: bytes of frames waiting to be written above which the
  // client is disconnected (it does not read its messages).
  std::size_t max_queue_bytes = 8u * 1024 * 1024;
  // All connections together: above this many queued bytes the connections
  // with the most queued are disconnected, largest first, until the total is
  // back under 3/4 of the cap (docs/security.md "Output").
  std::size_t max_total_queue_bytes = 256u * 1024 * 1024;
  PreAuthLimits pre_auth;
  // The certificate of the tls: listeners (required when there is one).
  tls::ServerFiles tls;
  // Allow a tcp: listener on an address other than loopback: the token and
  // every message would cross the network in the clear.
  bool allow_plaintext = false;
  SwitchboardConfig switchboard;
  // Stop cleanly on SIGTERM and SIGINT.
  bool handle_signals = true;
};

class Server {
 public:
  explicit Server(ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds every listener. On failure returns a message naming the address and
  // the cause, and leaves nothing bound; on success returns "".
  std::string start();

  // The addresses listened on (a TCP port 0 replaced by the port chosen).
  // REQUIRES: start() succeeded.
  std::vector<proto::ServerAddress> addresses() const;

  // Serves until SIGTERM/SIGINT (if handled) or stop(); then closes the
  // listeners and every connection and removes the socket files it created.
  // Sets SIGPIPE to ignored for the process (a vanished peer must not kill it).
  void run();

  // Makes run() return. Safe to call from any thread.
  void stop();

  // Reads the TLS certificate files again (SIGHUP): connections accepted from
  // now on use them; open ones keep theirs. On failure returns the error and
  // keeps the certificate in use; "" on success or without tls: listeners.
  // Safe to call from any thread.
  std::string reload_tls();

  // The Switchboard's counters (connected applications, agent requests by
  // type and result, slow consumers), for /metrics. Safe to call from any
  // thread while the server exists.
  SwitchboardStats stats() const;
  // The I/O layer's counters. Safe to call from any thread.
  ServerIoStats io_stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace opentapi::server

#endif  // OPENTAPI_SERVER_SERVER_H
