// One client connection of opentapid: reads frames into the Switchboard,
// writes what the Switchboard sends. Knows bytes and sockets, not telephony.
//
// Internal to the I/O layer (includes Asio); only connection.cpp and
// server.cpp include it.
#ifndef OPENTAPI_SERVER_CONNECTION_H
#define OPENTAPI_SERVER_CONNECTION_H

#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "opentapi.pb.h"
#include "proto/framing.h"
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
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  using Socket = boost::asio::generic::stream_protocol::socket;

  // `max_queue_bytes`: bytes of encoded frames waiting to be written (including
  // the batch being written) above which the client is disconnected.
  Connection(ConnectionId id, Socket socket, ConnectionOwner& owner, std::size_t max_queue_bytes);

  void start();

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

  void read();
  void on_read(const boost::system::error_code& ec, std::size_t n);
  void schedule_flush();
  void write();
  void on_written(const boost::system::error_code& ec);
  void finish(std::string reason);

  ConnectionId id_;
  Socket socket_;
  ConnectionOwner& owner_;
  std::size_t max_queue_bytes_;
  State state_ = State::kOpen;
  proto::FrameDecoder decoder_;
  wire::ClientToServer incoming_;
  std::unique_ptr<char[]> read_buffer_;
  // Frames are appended to outgoing_ while writing_ is on the wire; each write
  // sends everything queued so far in one call.
  std::string outgoing_;
  std::string writing_;
  bool write_in_progress_ = false;
  bool flush_scheduled_ = false;
  std::string close_reason_;
  boost::asio::steady_timer drain_timer_;
};

}  // namespace opentapi::server

#endif  // OPENTAPI_SERVER_CONNECTION_H
