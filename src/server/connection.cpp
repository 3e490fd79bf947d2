#include "server/connection.h"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <chrono>

namespace opentapi::server {
namespace {

constexpr std::size_t kReadChunk = 64 * 1024;
// How long a connection being closed may take to accept what is queued for it.
constexpr std::chrono::seconds kDrainGrace{5};

}  // namespace

Connection::Connection(ConnectionId id, Socket socket, ConnectionOwner& owner, std::size_t max_queue_bytes)
    : id_(id),
      socket_(std::move(socket)),
      owner_(owner),
      max_queue_bytes_(max_queue_bytes),
      read_buffer_(new char[kReadChunk]),
      drain_timer_(socket_.get_executor()) {}

void Connection::start() { read(); }

void Connection::read() {
  socket_.async_read_some(
      boost::asio::buffer(read_buffer_.get(), kReadChunk),
      [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) { self->on_read(ec, n); });
}

void Connection::on_read(const boost::system::error_code& ec, std::size_t n) {
  if (state_ != State::kOpen) return;
  if (ec) {
    finish(ec == boost::asio::error::eof ? "peer closed the connection" : "read error: " + ec.message());
    return;
  }
  decoder_.feed(std::string_view(read_buffer_.get(), n));
  for (;;) {
    const auto status = decoder_.next(incoming_);
    if (status == proto::FrameDecoder::Status::kNeedMore) break;
    if (status == proto::FrameDecoder::Status::kMessage) {
      owner_.on_frame(id_, incoming_);
    } else {
      owner_.on_malformed(id_, decoder_.error());
      // The owner normally asked for a close; make sure of it.
      if (state_ == State::kOpen) close_after_flush(decoder_.error());
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
  if (queued_bytes() > max_queue_bytes_) {
    const std::size_t frame = outgoing_.size() - before;
    std::string reason = "write queue overflow: " + std::to_string(queued_bytes() - frame) + " bytes queued, a " +
                         std::to_string(frame) + "-byte frame would exceed the limit of " +
                         std::to_string(max_queue_bytes_) + " bytes (the client does not read its messages)";
    spdlog::warn("event=overflow conn={} reason=\"{}\"", id_, reason);
    abort(std::move(reason));
    return;
  }
  schedule_flush();
}

void Connection::schedule_flush() {
  if (write_in_progress_ || flush_scheduled_) return;
  flush_scheduled_ = true;
  boost::asio::post(socket_.get_executor(), [self = shared_from_this()] {
    self->flush_scheduled_ = false;
    if (self->state_ != State::kClosed && !self->write_in_progress_ && !self->outgoing_.empty()) self->write();
  });
}

void Connection::write() {
  writing_.swap(outgoing_);
  write_in_progress_ = true;
  boost::asio::async_write(
      socket_, boost::asio::buffer(writing_),
      [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) { self->on_written(ec); });
}

void Connection::on_written(const boost::system::error_code& ec) {
  write_in_progress_ = false;
  writing_.clear();
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
  boost::system::error_code ignored;
  socket_.shutdown(Socket::shutdown_both, ignored);
  socket_.close(ignored);
  drain_timer_.cancel();
  boost::asio::post(socket_.get_executor(), [self = shared_from_this(), reason = std::move(reason)]() mutable {
    self->owner_.on_closed(self->id_, std::move(reason));
  });
}

}  // namespace opentapi::server
