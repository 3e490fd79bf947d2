#include "server/connection.h"

#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <chrono>

namespace opentapi::server {
namespace {

// Capacity of the write buffers kept once they are written; a burst's larger
// buffer is given back.
constexpr std::size_t kKeptWriteCapacity = 256 * 1024;
// How long a connection being closed may take to accept what is queued for it.
constexpr std::chrono::seconds kDrainGrace{5};

}  // namespace

Connection::Connection(ConnectionId id, Socket socket, ConnectionOwner& owner, const ConnectionLimits& limits,
                       QueuedOutput& queued, std::shared_ptr<boost::asio::ssl::context> tls)
    : id_(id),
      socket_(std::move(socket)),
      tls_context_(std::move(tls)),
      owner_(owner),
      limits_(limits),
      queued_(queued),
      intake_(limits.pre_auth_frame_bytes),
      // Small before authentication: a Hello fits, and a thousand silent
      // peers hold 4 MiB of read buffers, not 64.
      read_buffer_(FrameIntake::kPreAuthReadBytes),
      hello_timer_(socket_.get_executor()),
      drain_timer_(socket_.get_executor()) {
  if (tls_context_) tls_.emplace(std::move(socket_), *tls_context_);
}

void Connection::start() {
  hello_timer_.expires_after(limits_.hello_timeout);
  hello_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (ec || self->intake_.is_authenticated() || self->state_ == State::kClosed) return;
    self->owner_.on_hello_timeout(self->id_);
    self->abort("no Hello within " + std::to_string(self->limits_.hello_timeout.count()) + " ms");
  });
  if (tls_) {
    handshake();
  } else {
    read();
  }
}

void Connection::handshake() {
  // Bounded by the hello timer: a peer that never finishes the handshake is
  // closed like one that never says Hello. What it can make us hold is one
  // TLS record in OpenSSL's and Asio's fixed buffers (docs/security.md "TLS").
  tls_->async_handshake(TlsStream::server, [self = shared_from_this()](const boost::system::error_code& ec) {
    if (self->state_ != State::kOpen) return;
    if (ec) {
      std::string why = ec.message();
      self->owner_.on_tls_failed(self->id_, why);
      self->abort("TLS handshake failed: " + why);
      return;
    }
    self->read();
  });
}

void Connection::authenticated() {
  if (intake_.is_authenticated()) return;
  intake_.authenticated();
  hello_timer_.cancel();
  // The larger buffer is taken at the next read (the current one may be in use).
}

void Connection::read() {
  if (read_buffer_.size() < intake_.read_size()) read_buffer_.resize(intake_.read_size());
  auto buffer = boost::asio::buffer(read_buffer_.data(), read_buffer_.size());
  auto handler = [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
    self->on_read(ec, n);
  };
  if (tls_) {
    tls_->async_read_some(buffer, std::move(handler));
  } else {
    socket_.async_read_some(buffer, std::move(handler));
  }
}

void Connection::on_read(const boost::system::error_code& ec, std::size_t n) {
  if (state_ != State::kOpen) return;
  if (ec) {
    // A TLS peer that closes without close_notify reads as stream_truncated:
    // for this protocol, where every frame is length-prefixed, a plain close.
    const bool closed = ec == boost::asio::error::eof || ec == boost::asio::ssl::error::stream_truncated;
    finish(closed ? "peer closed the connection" : "read error: " + ec.message());
    return;
  }
  intake_.feed(std::string_view(read_buffer_.data(), n));
  for (;;) {
    const auto status = intake_.next(incoming_);
    if (status == proto::FrameDecoder::Status::kNeedMore) break;
    if (status == proto::FrameDecoder::Status::kMessage) {
      owner_.on_frame(id_, incoming_);
    } else {
      owner_.on_malformed(id_, intake_.error());
      // The owner normally asked for a close; make sure of it.
      if (state_ == State::kOpen) close_after_flush(intake_.error());
    }
    // The frame may have caused this connection to be closed.
    if (state_ != State::kOpen) return;
  }
  read();
}

void Connection::send(const wire::ServerToClient& message) {
  if (state_ == State::kClosed) return;
  const std::size_t before = outgoing_.size();
  if (!proto::append_frame(outgoing_, message)) {
    spdlog::error("event=oversize-message conn={} bytes={}", id_, message.ByteSizeLong());
    abort("an outgoing message exceeds the frame limit");
    return;
  }
  if (queued_bytes() > limits_.max_queue_bytes) {
    const std::size_t frame = outgoing_.size() - before;
    std::string reason = "write queue overflow: " + std::to_string(queued_bytes() - frame) + " bytes queued, a " +
                         std::to_string(frame) + "-byte frame would exceed the limit of " +
                         std::to_string(limits_.max_queue_bytes) + " bytes (the client does not read its messages)";
    spdlog::warn("event=overflow conn={} reason=\"{}\"", id_, reason);
    abort(std::move(reason));
    return;
  }
  account();
  schedule_flush();
}

void Connection::schedule_flush() {
  if (write_in_progress_ || flush_scheduled_) return;
  flush_scheduled_ = true;
  queued_.due.push_back(shared_from_this());
  if (queued_.flush_posted) return;
  queued_.flush_posted = true;
  // Behind the handlers already due: what they queue leaves in the same flush.
  boost::asio::post(hello_timer_.get_executor(), [&queued = queued_] { flush_due(queued); });
}

void Connection::flush_due(QueuedOutput& queued) {
  queued.flush_posted = false;
  std::vector<std::shared_ptr<Connection>> due;
  due.swap(queued.due);
  for (const std::shared_ptr<Connection>& c : due) {
    c->flush_scheduled_ = false;
    if (c->state_ != State::kClosed && !c->write_in_progress_ && !c->outgoing_.empty()) c->write();
  }
  // The list's storage is kept for the next fan-out (nothing was added while
  // writing: a write queues no frames).
  due.clear();
  if (queued.due.empty()) queued.due.swap(due);
}

bool Connection::write_now() {
  const ssize_t n = ::send(socket_.native_handle(), outgoing_.data(), outgoing_.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return true;
    finish("write error: " + boost::system::error_code(errno, boost::system::system_category()).message());
    return false;
  }
  outgoing_.erase(0, static_cast<std::size_t>(n));
  if (outgoing_.capacity() > kKeptWriteCapacity && outgoing_.empty()) std::string().swap(outgoing_);
  account();
  return true;
}

void Connection::write() {
  if (!tls_) {
    if (!write_now()) return;
    if (outgoing_.empty()) {
      if (state_ == State::kDraining) finish(close_reason_);
      return;
    }
    // The socket's buffer is full: the rest waits for the peer through Asio.
  }
  writing_.swap(outgoing_);
  write_in_progress_ = true;
  auto handler = [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
    self->on_written(ec);
  };
  if (tls_) {
    boost::asio::async_write(*tls_, boost::asio::buffer(writing_), std::move(handler));
  } else {
    boost::asio::async_write(socket_, boost::asio::buffer(writing_), std::move(handler));
  }
}

void Connection::on_written(const boost::system::error_code& ec) {
  write_in_progress_ = false;
  writing_.clear();
  if (writing_.capacity() > kKeptWriteCapacity) std::string().swap(writing_);
  account();
  if (state_ == State::kClosed) return;
  if (ec) {
    finish("write error: " + ec.message());
    return;
  }
  if (!outgoing_.empty()) {
    write();
  } else if (state_ == State::kDraining) {
    finish(close_reason_);
  }
}

void Connection::close_after_flush(std::string reason) {
  if (state_ != State::kOpen) return;
  state_ = State::kDraining;
  close_reason_ = std::move(reason);
  if (!write_in_progress_ && outgoing_.empty()) {
    finish(close_reason_);
    return;
  }
  drain_timer_.expires_after(kDrainGrace);
  drain_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (!ec && self->state_ == State::kDraining) {
      self->finish(self->close_reason_ + " (queued messages not read within the grace period)");
    }
  });
}

void Connection::abort(std::string reason) {
  if (state_ == State::kClosed) return;
  outgoing_.clear();
  finish(std::move(reason));
}

void Connection::finish(std::string reason) {
  if (state_ == State::kClosed) return;
  state_ = State::kClosed;
  // writing_ may still be in use by the write being cancelled; outgoing_ is not.
  std::string().swap(outgoing_);
  account();
  boost::system::error_code ignored;
  // No TLS close_notify: the peer learns of the close from the socket, and
  // a peer that does not read must not hold the connection open.
  socket().shutdown(Socket::shutdown_both, ignored);
  socket().close(ignored);
  drain_timer_.cancel();
  hello_timer_.cancel();
  boost::asio::post(hello_timer_.get_executor(), [self = shared_from_this(), reason = std::move(reason)]() mutable {
    self->owner_.on_closed(self->id_, std::move(reason));
  });
}

void Connection::account() {
  const std::size_t now = state_ == State::kClosed ? 0 : queued_bytes();
  queued_.total = queued_.total - accounted_ + now;
  accounted_ = now;
}

}  // namespace opentapi::server
