#include "client/message_queue.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>

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
    const auto lock = lock_spinning(mu_);
    if (closed_) return;
    queue_.push_back(message);
    if (queue_.size() == 1) signal_locked();
  }
  cv_.notify_one();
}

void MessageQueue::push_all(const std::vector<LineMessage>& messages) {
  if (messages.empty()) return;
  {
    const auto lock = lock_spinning(mu_);
    if (closed_) return;
    const bool was_empty = queue_.empty();
    queue_.insert(queue_.end(), messages.begin(), messages.end());
    if (was_empty) signal_locked();
  }
  if (messages.size() == 1) {
    cv_.notify_one();
  } else {
    cv_.notify_all();
  }
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
