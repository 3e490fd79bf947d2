// One client connection of opentapid: reads frames into the Switchboard,
// writes what the Switchboard sends. Knows bytes and sockets, not telephony.
//
// Internal to the I/O layer (includes Asio); only connection.cpp and
// server.cpp include it.
#ifndef OPENTAPI_SERVER_CONNECTION_H
#define OPENTAPI_SERVER_CONNECTION_H

#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "opentapi.pb.h"
#include "proto/framing.h"
#include "server/frame_intake.h"
#include "server/proxy_registry.h"

namespace opentapi::server {

// What a Connection reports to whoever owns it (the Server). on_frame and
// on_malformed are called from the read handler; on_closed is always posted,
// never called from inside send() or close_after_flush(), and exactly once.
class ConnectionOwner {
 public:
  virtual ~ConnectionOwner() = default;
  virtual void on_frame(ConnectionId id, const wire::ClientToServer& message) = 0;
  virtual void on_malformed(ConnectionId id, std::string_view why) = 0;
  virtual void on_closed(ConnectionId id, std::string reason) = 0;
  // The peer did not authenticate within ConnectionLimits::hello_timeout; the
  // connection closes itself right after this call (on_closed follows).
  virtual void on_hello_timeout(ConnectionId id) = 0;
  // A tls: connection's handshake failed (`why` is OpenSSL's reason); the
  // connection closes itself right after this call (on_closed follows).
  virtual void on_tls_failed(ConnectionId id, std::string_view why) = 0;
};

class Connection;

// The output of every connection of a server together. `total`: the bytes
// queued (docs/security.md "Output"); each Connection adds and removes its
// own share, the owner compares the total with its cap. `due`: the
// connections with frames waiting for the next flush, which one posted
// handler writes for all of them (a fan-out to a thousand connections is one
// handler, not a thousand).
struct QueuedOutput {
  std::size_t total = 0;
  std::vector<std::shared_ptr<Connection>> due;
  bool flush_posted = false;
};

struct ConnectionLimits {
  // Bytes of encoded frames waiting to be written (including the batch being
  // written) above which the client is disconnected.
  std::size_t max_queue_bytes = 8u * 1024 * 1024;
  // Until the peer has authenticated: the largest frame accepted.
  std::size_t pre_auth_frame_bytes = 16 * 1024;
  // Until the peer has authenticated: how long it may take.
  std::chrono::milliseconds hello_timeout{5000};
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  using Socket = boost::asio::generic::stream_protocol::socket;
  using TlsStream = boost::asio::ssl::stream<Socket>;

  // Starts unauthenticated: small frames only, small reads, and a deadline
  // for authenticated(). `queued` must outlive the connection. With `tls`,
  // the connection is TLS: start() begins with the handshake, which the
  // hello timeout bounds too; the connection keeps the context it was
  // accepted with (a reload only changes later connections).
  Connection(ConnectionId id, Socket socket, ConnectionOwner& owner, const ConnectionLimits& limits,
             QueuedOutput& queued, std::shared_ptr<boost::asio::ssl::context> tls = nullptr);

  void start();

  // The peer's Hello was accepted: lifts the pre-authentication limits.
  void authenticated();
  bool is_authenticated() const { return intake_.is_authenticated(); }
  bool is_closed() const { return state_ == State::kClosed; }

  // Queues one frame. Overflowing the queue closes the connection at once.
  // The write is not started here: a flush is posted behind the handlers
  // already due, so everything queued for this connection while the server
  // works through one batch of readiness (a request's Result and the replies
  // and messages it causes, a fan-out, the answers to a burst of requests)
  // leaves in one send.
  void send(const wire::ServerToClient& message);

  // Stops reading; closes once everything queued has been written (or after
  // a grace period if the peer does not read).
  void close_after_flush(std::string reason);

  // Closes now, dropping what is queued.
  void abort(std::string reason);

  ConnectionId id() const { return id_; }
  std::size_t queued_bytes() const { return outgoing_.size() + writing_.size(); }

 private:
  enum class State { kOpen, kDraining, kClosed };

  // The TCP or UNIX socket under TLS, or the plain one.
  Socket& socket() { return tls_ ? tls_->next_layer() : socket_; }
  void handshake();
  void read();
  void on_read(const boost::system::error_code& ec, std::size_t n);
  void schedule_flush();
  // Writes what every connection in `queued.due` has waiting.
  static void flush_due(QueuedOutput& queued);
  void write();
  // A plain socket: sends what it can of outgoing_ at once, without a write
  // operation of Asio (the common case when the peer reads). Returns false
  // if the connection was closed by an error.
  bool write_now();
  void on_written(const boost::system::error_code& ec);
  void finish(std::string reason);
  // Brings this connection's share of QueuedOutput up to date.
  void account();

  ConnectionId id_;
  Socket socket_;  // empty (moved into tls_) for a TLS connection
  std::shared_ptr<boost::asio::ssl::context> tls_context_;
  std::optional<TlsStream> tls_;
  ConnectionOwner& owner_;
  ConnectionLimits limits_;
  QueuedOutput& queued_;
  std::size_t accounted_ = 0;  // this connection's share of queued_.total
  State state_ = State::kOpen;
  FrameIntake intake_;
  wire::ClientToServer incoming_;
  // Small until the peer has authenticated (docs/security.md).
  std::vector<char> read_buffer_;
  boost::asio::steady_timer hello_timer_;
  // Frames are appended to outgoing_ while writing_ is on the wire; each write
  // sends everything queued so far in one call.
  std::string outgoing_;
  std::string writing_;
  bool write_in_progress_ = false;
  bool flush_scheduled_ = false;  // in queued_.due
  std::string close_reason_;
  boost::asio::steady_timer drain_timer_;
};

}  // namespace opentapi::server

#endif  // OPENTAPI_SERVER_CONNECTION_H
