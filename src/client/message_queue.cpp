#include "client/message_queue.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>

namespace opentapi::client {

MessageQueue::MessageQueue(bool with_event) {
  if (with_event) event_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
}

MessageQueue::~MessageQueue() { close(); }

int MessageQueue::event_fd() const {
  std::lock_guard lock(mu_);
  return event_fd_;
}

void MessageQueue::signal_locked() {
  if (event_fd_ < 0) return;
  const std::uint64_t one = 1;
  // Cannot fail short of a counter overflow, which a drained counter never reaches.
  while (::write(event_fd_, &one, sizeof one) < 0 && errno == EINTR) {
  }
}

void MessageQueue::reset_locked() {
  if (event_fd_ < 0) return;
  std::uint64_t value;
  while (::read(event_fd_, &value, sizeof value) < 0 && errno == EINTR) {
  }
}

void MessageQueue::push(const LineMessage& message) {
  {
    std::lock_guard lock(mu_);
    if (closed_) return;
    queue_.push_back(message);
    if (queue_.size() == 1) signal_locked();
  }
  cv_.notify_one();
}

MessageQueue::Pop MessageQueue::pop(std::optional<std::chrono::milliseconds> timeout, LineMessage* out) {
  std::unique_lock lock(mu_);
  auto ready = [this] { return closed_ || !queue_.empty(); };
  if (!timeout) {
    cv_.wait(lock, ready);
  } else if (!cv_.wait_for(lock, *timeout, ready)) {
    return Pop::kTimeout;
  }
  if (closed_) return Pop::kClosed;
  *out = queue_.front();
  queue_.pop_front();
  if (queue_.empty()) reset_locked();
  return Pop::kMessage;
}

std::vector<LineMessage> MessageQueue::remove_if(const std::function<bool(const LineMessage&)>& match) {
  std::lock_guard lock(mu_);
  std::vector<LineMessage> removed;
  std::deque<LineMessage> kept;
  for (const auto& m : queue_) {
    if (match(m)) {
      removed.push_back(m);
    } else {
      kept.push_back(m);
    }
  }
  const bool had = !queue_.empty();
  queue_.swap(kept);
  if (had && queue_.empty()) reset_locked();
  return removed;
}

std::vector<LineMessage> MessageQueue::close() {
  std::vector<LineMessage> rest;
  {
    std::lock_guard lock(mu_);
    if (closed_) return rest;
    closed_ = true;
    rest.assign(queue_.begin(), queue_.end());
    queue_.clear();
    if (event_fd_ >= 0) ::close(event_fd_);
    event_fd_ = -1;
  }
  cv_.notify_all();
  return rest;
}

std::size_t MessageQueue::size() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

}  // namespace opentapi::client
