#include "client/receiver.h"

#include <pthread.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <cerrno>
#include <exception>

namespace opentapi::client {
namespace {

// Readiness events taken per epoll_wait: enough that a fan-out to many
// applications is served in few wake-ups.
constexpr int kEventsPerWait = 256;
// One recv() takes at most this much; a frame larger than that is assembled
// by the connection's decoder over several reads.
constexpr std::size_t kScratchBytes = 64 * 1024;

}  // namespace

Receiver& Receiver::instance() {
  static Receiver* receiver = [] {
    auto* r = new Receiver();
    // A child of fork() has no receiver thread: it starts afresh on its
    // first lineInitializeEx (the connections it inherited are the parent's).
    ::pthread_atfork([] { instance().mu_.lock(); }, [] { instance().mu_.unlock(); },
                     [] { instance().reset_in_child(); });
    return r;
  }();
  return *receiver;
}

void Receiver::reset_in_child() {
  // Runs in the child with mu_ held (locked before the fork by this thread).
  if (epoll_fd_ >= 0) ::close(epoll_fd_);
  epoll_fd_ = -1;
  thread_id_ = std::thread::id();
  watched_.clear();
  busy_ = 0;
  mu_.unlock();
}

bool Receiver::start_locked() {
  if (epoll_fd_ >= 0) return true;
  const int ep = ::epoll_create1(EPOLL_CLOEXEC);
  if (ep < 0) return false;
  std::thread thread;
  try {
    scratch_ = std::make_unique<char[]>(kScratchBytes);
    epoll_fd_ = ep;
    thread = std::thread([this] { run(); });
  } catch (const std::exception&) {  // no memory, no thread
    ::close(ep);
    epoll_fd_ = -1;
    errno = EAGAIN;
    return false;
  }
  thread_id_ = thread.get_id();
  ::pthread_setname_np(thread.native_handle(), "opentapi-recv");
  // Never joined: the Receiver lives as long as the process.
  thread.detach();
  return true;
}

Receiver::Ticket Receiver::watch(int fd, Connection* connection) {
  std::lock_guard lock(mu_);
  if (!start_locked()) return 0;
  const Ticket ticket = ++last_ticket_;
  // In the table before epoll reports it; out again if epoll refuses it (an
  // allocation failure of emplace leaves nothing behind).
  const auto it = watched_.emplace(ticket, Watched{fd, connection}).first;
  if (!add_locked(ticket, fd)) {
    watched_.erase(it);
    return 0;
  }
  return ticket;
}

bool Receiver::add_locked(Ticket ticket, int fd) {
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLRDHUP;
  ev.data.u64 = ticket;
  return ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) == 0;
}

void Receiver::suspend(Ticket ticket) {
  std::lock_guard lock(mu_);
  const auto it = watched_.find(ticket);
  if (it == watched_.end()) return;
  // Removed rather than disabled: a hung-up descriptor would still report
  // EPOLLHUP with an empty event mask.
  if (it->second.suspended++ == 0) ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, it->second.fd, nullptr);
}

void Receiver::resume(Ticket ticket) {
  std::lock_guard lock(mu_);
  const auto it = watched_.find(ticket);
  if (it == watched_.end() || it->second.suspended == 0) return;
  if (--it->second.suspended == 0) add_locked(ticket, it->second.fd);
}

void Receiver::unwatch(Ticket ticket) {
  if (ticket == 0) return;
  std::unique_lock lock(mu_);
  const auto it = watched_.find(ticket);
  if (it != watched_.end()) {
    // Removes readiness already queued in the kernel; events already taken
    // by epoll_wait carry a ticket that is no longer found.
    if (it->second.suspended == 0) ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, it->second.fd, nullptr);
    watched_.erase(it);
  }
  if (std::this_thread::get_id() == thread_id_) return;
  idle_cv_.wait(lock, [&] { return busy_ != ticket; });
}

void Receiver::run() {
  epoll_event events[kEventsPerWait];
  for (;;) {
    const int n = ::epoll_wait(epoll_fd_, events, kEventsPerWait, -1);
    if (n < 0) continue;  // EINTR; nothing else can fail on a valid epoll fd
    for (int i = 0; i < n; ++i) {
      const Ticket ticket = events[i].data.u64;
      Connection* connection = nullptr;
      {
        std::lock_guard lock(mu_);
        const auto it = watched_.find(ticket);
        if (it == watched_.end()) continue;  // unwatched after epoll_wait returned
        connection = it->second.connection;
        busy_ = ticket;
      }
      const bool keep = connection->on_readable(scratch_.get(), kScratchBytes);
      {
        std::lock_guard lock(mu_);
        busy_ = 0;
        if (!keep) {
          const auto it = watched_.find(ticket);
          if (it != watched_.end()) {
            if (it->second.suspended == 0) ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, it->second.fd, nullptr);
            watched_.erase(it);
          }
        }
      }
      idle_cv_.notify_all();
    }
  }
}

}  // namespace opentapi::client
