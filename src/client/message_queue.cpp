#include "client/message_queue.h"

#include <linux/futex.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <ctime>
#include <unordered_map>

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

// Waiting for messages on a futex of our own rather than a condition
// variable: glibc's condition variable takes its mutex back after a wake-up
// marked as contended, so every wake-up cost the woken thread one more
// system call (a futex wake for nobody) on its way out of pop()
// (docs/performance.md step 14).
void futex_wait(std::atomic<std::uint32_t>* word, std::uint32_t expected, const timespec* relative) {
  static_assert(sizeof(std::atomic<std::uint32_t>) == sizeof(std::uint32_t));
  // EINTR, EAGAIN (the word moved on) and ETIMEDOUT all send the caller back to its checks.
  ::syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(word), FUTEX_WAIT_PRIVATE, expected, relative, nullptr, 0);
}

void futex_wake(std::atomic<std::uint32_t>* word, int count) {
  ::syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(word), FUTEX_WAKE_PRIVATE, count, nullptr, nullptr, 0);
}

// The live queues with an eventfd, by descriptor, for arm_event(). Lock
// order: events_mu() before a queue's mu_. Neither is ever destroyed: queues
// may close during static destruction at exit.
std::mutex& events_mu() {
  static auto* mu = new std::mutex();
  return *mu;
}
std::unordered_map<int, MessageQueue*>& events() {
  static auto* queues = new std::unordered_map<int, MessageQueue*>();
  return *queues;
}

}  // namespace

MessageQueue::MessageQueue(bool with_event, std::size_t max_messages) : max_(max_messages) {
  if (!with_event) return;
  event_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (event_fd_ < 0) return;
  try {
    std::lock_guard lock(events_mu());
    events()[event_fd_] = this;
  } catch (...) {
    ::close(event_fd_);
    throw;
  }
}

void MessageQueue::arm_event(int fd) {
  std::lock_guard registry(events_mu());
  const auto it = events().find(fd);
  if (it == events().end()) return;
  MessageQueue& q = *it->second;
  std::lock_guard lock(q.mu_);
  if (q.event_armed_) return;
  q.event_armed_ = true;
  if (!q.queue_.empty()) q.signal_locked();
}

MessageQueue::~MessageQueue() { close(); }

int MessageQueue::event_fd() const {
  std::lock_guard lock(mu_);
  return event_fd_;
}

void MessageQueue::signal_locked() {
  if (event_fd_ < 0 || !event_armed_) return;
  const std::uint64_t one = 1;
  // Cannot fail short of a counter overflow, which a drained counter never reaches.
  while (::write(event_fd_, &one, sizeof one) < 0 && errno == EINTR) {
  }
}

void MessageQueue::reset_locked() {
  if (event_fd_ < 0 || !event_armed_) return;
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
    arrivals_.fetch_add(1, std::memory_order_relaxed);
  }
  wake(1);
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
    arrivals_.fetch_add(1, std::memory_order_relaxed);
  }
  wake(messages.size() == 1 ? 1 : INT_MAX);
  return overflow;
}

void MessageQueue::wake(int count) {
  // A waiter counts itself under mu_ before it sleeps, and the arrival was
  // counted under mu_ after that (or the waiter saw the message): no wake-up
  // is lost, and none is made while nobody waits.
  if (waiters_.load() > 0) futex_wake(&arrivals_, count);
}

MessageQueue::Pop MessageQueue::pop(std::optional<std::chrono::milliseconds> timeout, LineMessage* out) {
  auto lock = lock_spinning(mu_);
  auto ready = [this] { return closed_ || !queue_.empty(); };
  if (!ready()) {
    // A poll never enters the kernel: an application polling after every
    // readiness of the eventfd would pay a sleep each time.
    if (timeout && timeout->count() <= 0) return Pop::kTimeout;
    const auto deadline =
        timeout ? std::chrono::steady_clock::now() + *timeout : std::chrono::steady_clock::time_point{};
    while (!ready()) {
      timespec relative{};
      if (timeout) {
        const auto left = deadline - std::chrono::steady_clock::now();
        if (left <= std::chrono::steady_clock::duration::zero()) return Pop::kTimeout;
        const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(left).count();
        relative.tv_sec = static_cast<time_t>(ns / 1'000'000'000);
        relative.tv_nsec = static_cast<long>(ns % 1'000'000'000);
      }
      const std::uint32_t seen = arrivals_.load(std::memory_order_relaxed);
      waiters_.fetch_add(1);
      lock.unlock();
      futex_wait(&arrivals_, seen, timeout ? &relative : nullptr);
      lock = lock_spinning(mu_);
      waiters_.fetch_sub(1);
    }
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
    // Out of the table before the descriptor can be closed and reused.
    std::lock_guard registry(events_mu());
    const auto it = events().find(event_fd_);
    if (it != events().end() && it->second == this) events().erase(it);
  }
  {
    std::lock_guard lock(mu_);
    if (closed_) return rest;
    closed_ = true;
    rest.assign(queue_.begin(), queue_.end());
    queue_.clear();
    if (event_fd_ >= 0) ::close(event_fd_);
    event_fd_ = -1;
    arrivals_.fetch_add(1, std::memory_order_relaxed);
  }
  wake(INT_MAX);
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
