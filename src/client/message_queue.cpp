#include "client/message_queue.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>

#include "tapi.h"

namespace opentapi::client {
namespace {

// How often a contended lock of the queue is retried before sleeping. The
// sections under the lock are short (a deque operation and at most one
// eventfd write or read), and the typical contention is the thread woken by
// that very eventfd write reaching pop() while the writer is still leaving
// push(): a short spin spares both threads a futex sleep and wake-up.
constexpr int kSpinsBeforeSleeping = 100;

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

std::unique_lock<std::mutex> lock_spinning(std::mutex& mu) {
  for (int i = 0; i < kSpinsBeforeSleeping; ++i) {
    if (mu.try_lock()) return std::unique_lock<std::mutex>(mu, std::adopt_lock);
    cpu_relax();
  }
  return std::unique_lock<std::mutex>(mu);
}

}  // namespace

MessageQueue::MessageQueue(bool with_event, std::size_t max_messages) : max_(max_messages) {
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

bool MessageQueue::append_locked(const LineMessage& m) {
  if (until_marker_ > 0) {
    ++dropped_;
    return false;
  }
  if (queue_.size() < max_) {
    queue_.push_back(m);
    return false;
  }
  ++dropped_;
  ++overflows_;
  queue_.push_back({0, LINE_LINEDEVSTATE, 0, LINEDEVSTATE_REINIT, 0, 0});
  until_marker_ = queue_.size();
  return true;
}

bool MessageQueue::push(const LineMessage& message) {
  bool overflow = false;
  {
    const auto lock = lock_spinning(mu_);
    if (closed_) return false;
    const bool was_empty = queue_.empty();
    overflow = append_locked(message);
    if (was_empty && !queue_.empty()) signal_locked();
  }
  cv_.notify_one();
  return overflow;
}

bool MessageQueue::push_all(const std::vector<LineMessage>& messages) {
  if (messages.empty()) return false;
  bool overflow = false;
  {
    const auto lock = lock_spinning(mu_);
    if (closed_) return false;
    const bool was_empty = queue_.empty();
    for (const LineMessage& m : messages) overflow = append_locked(m) || overflow;
    if (was_empty && !queue_.empty()) signal_locked();
  }
  if (messages.size() == 1) {
    cv_.notify_one();
  } else {
    cv_.notify_all();
  }
  return overflow;
}

MessageQueue::Pop MessageQueue::pop(std::optional<std::chrono::milliseconds> timeout, LineMessage* out) {
  auto lock = lock_spinning(mu_);
  auto ready = [this] { return closed_ || !queue_.empty(); };
  if (!timeout) {
    cv_.wait(lock, ready);
  } else if (timeout->count() <= 0) {
    // A poll. A condition-variable wait with a zero time-out still enters
    // the kernel and gives up the CPU; an application polling after every
    // readiness of the eventfd would pay that each time.
    if (!ready()) return Pop::kTimeout;
  } else if (!cv_.wait_for(lock, *timeout, ready)) {
    return Pop::kTimeout;
  }
  if (closed_) return Pop::kClosed;
  *out = queue_.front();
  queue_.pop_front();
  if (until_marker_ > 0) --until_marker_;  // 0: the REINIT was taken, the overflow is over
  if (queue_.empty()) reset_locked();
  return Pop::kMessage;
}

std::vector<LineMessage> MessageQueue::remove_if(const std::function<bool(const LineMessage&)>& match) {
  std::lock_guard lock(mu_);
  std::vector<LineMessage> removed;
  std::deque<LineMessage> kept;
  std::size_t position = 0;
  std::size_t marker = 0;
  for (const auto& m : queue_) {
    ++position;
    // The REINIT marker of an overflow is never removed: it must reach the application.
    if (position == until_marker_ || !match(m)) {
      kept.push_back(m);
      if (position == until_marker_) marker = kept.size();
    } else {
      removed.push_back(m);
    }
  }
  until_marker_ = marker;
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

std::uint64_t MessageQueue::dropped() const {
  std::lock_guard lock(mu_);
  return dropped_;
}

std::uint64_t MessageQueue::overflows() const {
  std::lock_guard lock(mu_);
  return overflows_;
}

std::size_t MessageQueue::size() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

}  // namespace opentapi::client
