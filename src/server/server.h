// opentapid's network front: listens on UNIX and TCP sockets, runs one
// Connection per client on a single thread, and connects them to the
// Switchboard. Owns no telephony state itself.
//
// This header does not include Asio (pimpl), so tools/opentapid compiles fast.
#ifndef OPENTAPI_SERVER_SERVER_H
#define OPENTAPI_SERVER_SERVER_H

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "proto/address.h"
#include "server/switchboard.h"

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

struct ServerOptions {
  std::vector<Listen> listen;
  // Per connection: bytes of frames waiting to be written above which the
  // client is disconnected (it does not read its messages).
  std::size_t max_queue_bytes = 8u * 1024 * 1024;
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

  // The Switchboard's counters (connected applications, agent requests by
  // type and result, slow consumers), for /metrics. Safe to call from any
  // thread while the server exists.
  SwitchboardStats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace opentapi::server

#endif  // OPENTAPI_SERVER_SERVER_H
