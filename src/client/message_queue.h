// The queue of LINE_* messages waiting for one application, and the event
// that tells a USEEVENT application about them (docs/reference/tapi2-agent.md §3.4).
//
// The event is an eventfd in non-semaphore mode: readable exactly while at
// least one message is queued (it is written when the queue becomes non-empty
// and drained when the last message is taken), so an application may poll()
// it. Waiting threads are woken by a condition variable, not by the fd.
//
// Thread safety: every method may be called from any thread.
#ifndef OPENTAPI_CLIENT_MESSAGE_QUEUE_H_
#define OPENTAPI_CLIENT_MESSAGE_QUEUE_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

namespace opentapi::client {

// One message as the application receives it (LINEMESSAGE, or the callback's
// arguments).
struct LineMessage {
  std::uint32_t device = 0;  // hDevice: the library's HLINE, or 0
  std::uint32_t id = 0;      // LINE_*
  std::uintptr_t instance = 0;
  std::uintptr_t param1 = 0;
  std::uintptr_t param2 = 0;
  std::uintptr_t param3 = 0;
};

class MessageQueue {
 public:
  enum class Pop { kMessage, kTimeout, kClosed };

  // With `with_event`, creates the eventfd (check event_fd() >= 0).
  explicit MessageQueue(bool with_event);
  ~MessageQueue();
  MessageQueue(const MessageQueue&) = delete;
  MessageQueue& operator=(const MessageQueue&) = delete;

  // The eventfd, or -1 (no event requested, creation failed, or closed).
  int event_fd() const;

  // Appends a message; ignored once the queue is closed.
  void push(const LineMessage& message);

  // Appends `messages` in order, as one arrival: one lock, at most one
  // signal of the event and one wake-up per message for waiters.
  void push_all(const std::vector<LineMessage>& messages);

  // Takes the oldest message. `timeout` nullopt = wait until one arrives or
  // the queue is closed; zero = poll.
  Pop pop(std::optional<std::chrono::milliseconds> timeout, LineMessage* out);

  // Removes and returns the queued messages for which `match` is true.
  std::vector<LineMessage> remove_if(const std::function<bool(const LineMessage&)>& match);

  // Closes the queue: every waiter returns kClosed at once, later pushes are
  // dropped, the eventfd is closed. Returns what was still queued.
  std::vector<LineMessage> close();

  std::size_t size() const;

 private:
  void signal_locked();
  void reset_locked();

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<LineMessage> queue_;
  bool closed_ = false;
  int event_fd_ = -1;
};

}  // namespace opentapi::client

#endif  // OPENTAPI_CLIENT_MESSAGE_QUEUE_H_
