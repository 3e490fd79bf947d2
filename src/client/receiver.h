// The one thread of the process that reads every connection to opentapid.
//
// An application's frames used to be read by a thread of its own; a process
// with many applications (a wallboard watching a thousand lines, a test
// harness, an ACD with its clients) then paid one thread wake-up and one
// context switch per message per application. The Receiver watches every
// connection with a single epoll loop instead: one wake-up serves whatever
// became readable meanwhile, on any connection.
//
// Contract with a Connection:
//   * on_readable() runs on the receiver thread only, for one connection at a
//     time, and never concurrently with itself for the same connection, so a
//     connection's frames are handled in the order they arrived.
//   * It must not block on anything another application controls (it may
//     take the application's own locks and write a short frame).
//   * Returning false ends the watch (the connection is finished: end of
//     stream, error, undecodable frame); the Receiver forgets it.
//   * After unwatch() returns, on_readable() is not running for that
//     connection and never runs again (unless unwatch() is called on the
//     receiver thread itself, where nothing can be running concurrently).
//
// The Receiver is created on first use and never destroyed (its thread may
// still wait in epoll_wait at exit). In a child of fork() it starts afresh.
//
// An application thread waiting for an answer may read its connection itself
// meanwhile (Application::read_as_caller): it suspend()s the connection so the
// receiver leaves it alone, and resume()s it afterwards.
//
// Thread safety: every method may be called from any thread.
#ifndef OPENTAPI_CLIENT_RECEIVER_H_
#define OPENTAPI_CLIENT_RECEIVER_H_

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace opentapi::client {

class Receiver {
 public:
  class Connection {
   public:
    virtual ~Connection() = default;
    // `fd` is readable (or hung up / failed). `scratch` (`size` bytes) is
    // the receiver's read buffer, free to use until the call returns.
    // Returns false when the connection is finished and must not be
    // watched any more.
    virtual bool on_readable(char* scratch, std::size_t size) = 0;
  };

  // What watch() returns: 0 = not watched.
  using Ticket = std::uint64_t;

  static Receiver& instance();

  // Starts watching `fd` for `connection` (level-triggered). Returns a
  // non-zero ticket, or 0 when the epoll instance or the thread cannot be
  // created (errno set).
  Ticket watch(int fd, Connection* connection);

  // Stops watching. Idempotent; 0 is ignored. See the contract above.
  void unwatch(Ticket ticket);

  // Takes the connection out of the epoll set while another thread reads it,
  // and puts it back. Calls nest: the connection is watched again once every
  // suspend() has had its resume(). Readiness that arrives meanwhile is
  // reported after the last resume(). Unknown tickets are ignored. An
  // on_readable() already running when suspend() is called finishes.
  void suspend(Ticket ticket);
  void resume(Ticket ticket);

 private:
  Receiver() = default;
  void reset_in_child();
  bool start_locked();
  bool add_locked(Ticket ticket, int fd);
  void run();

  std::mutex mu_;
  std::condition_variable idle_cv_;  // busy_ changed
  int epoll_fd_ = -1;
  std::thread::id thread_id_;  // of the receiver thread (unwatch() there does not wait)
  std::unique_ptr<char[]> scratch_;
  Ticket last_ticket_ = 0;
  struct Watched {
    int fd;
    Connection* connection;
    int suspended = 0;  // outstanding suspend() calls; in the epoll set while 0
  };
  std::unordered_map<Ticket, Watched> watched_;
  Ticket busy_ = 0;  // the ticket whose on_readable() is running, or 0
};

}  // namespace opentapi::client

#endif  // OPENTAPI_CLIENT_RECEIVER_H_
