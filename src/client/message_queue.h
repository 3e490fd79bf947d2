// The queue of LINE_* messages waiting for one application, and the event
// that tells a USEEVENT application about them (docs/reference/tapi2-agent.md §3.4).
//
// The event is an eventfd in non-semaphore mode: readable exactly while at
// least one message is queued (it is written when the queue becomes non-empty
// and drained when the last message is taken), so an application may poll()
// it. Waiting threads sleep on a futex of the queue's (an arrival counter),
// not on the fd.
// The event follows the queue only once it is armed (arm_event(), from
// opentapi_event_fd, the one way an application reaches the descriptor):
// an application that only calls lineGetMessage pays no eventfd write and
// read per arrival (docs/performance.md step 13).
//
// Bounded (docs/tapi2.md "Message queue limit"): at most max_messages are
// held. A message arriving at a full queue is discarded, and so is every
// later one until the application has caught up; the first discard appends
// one LINE_LINEDEVSTATE with dwParam1 = LINEDEVSTATE_REINIT (hDevice 0) behind
// what is queued, telling the application that its view is incomplete and it
// must reinitialize (lineShutdown, lineInitializeEx). Once that message has
// been taken, messages are queued again.
//
// Thread safety: every method may be called from any thread.
#ifndef OPENTAPI_CLIENT_MESSAGE_QUEUE_H_
#define OPENTAPI_CLIENT_MESSAGE_QUEUE_H_

#include <atomic>
#include <chrono>
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

  static constexpr std::size_t kDefaultMaxMessages = 65536;
  static constexpr std::size_t kMinMaxMessages = 16;

  // With `with_event`, creates the eventfd (check event_fd() >= 0).
  // REQUIRES: max_messages >= kMinMaxMessages.
  explicit MessageQueue(bool with_event, std::size_t max_messages = kDefaultMaxMessages);
  ~MessageQueue();
  MessageQueue(const MessageQueue&) = delete;
  MessageQueue& operator=(const MessageQueue&) = delete;

  // The eventfd, or -1 (no event requested, creation failed, or closed).
  int event_fd() const;

  // Makes the event of the live queue whose eventfd is `fd` follow the queue
  // from now on (readable at once if messages are queued). Nothing if no
  // live queue has that descriptor. Cheap after the first call per queue.
  static void arm_event(int fd);

  // Appends a message; ignored once the queue is closed. Returns true if
  // this push started an overflow (the REINIT was queued).
  bool push(const LineMessage& message);

  // Appends `messages` in order, as one arrival: one lock, at most one
  // signal of the event and one wake-up per message for waiters. Returns
  // true if an overflow started.
  bool push_all(const std::vector<LineMessage>& messages);

  // Takes the oldest message. `timeout` nullopt = wait until one arrives or
  // the queue is closed; zero = poll.
  Pop pop(std::optional<std::chrono::milliseconds> timeout, LineMessage* out);

  // Removes and returns the queued messages for which `match` is true.
  std::vector<LineMessage> remove_if(const std::function<bool(const LineMessage&)>& match);

  // Closes the queue: every waiter returns kClosed at once, later pushes are
  // dropped, the eventfd is closed. Returns what was still queued.
  std::vector<LineMessage> close();

  std::size_t size() const;
  std::size_t max_messages() const { return max_; }
  // Messages discarded since construction, and the overflows they came in.
  std::uint64_t dropped() const;
  std::uint64_t overflows() const;

 private:
  void signal_locked();
  void reset_locked();
  // Queues `m` or discards it; true if this started an overflow.
  bool append_locked(const LineMessage& m);

  // Wakes up to `count` threads sleeping in pop(), if any.
  void wake(int count);

  mutable std::mutex mu_;
  // Counts pushes and the close (changed under mu_); pop() sleeps on it.
  std::atomic<std::uint32_t> arrivals_{0};
  // Threads in pop() sleeping or about to (counted under mu_).
  std::atomic<int> waiters_{0};
  std::deque<LineMessage> queue_;
  bool closed_ = false;
  int event_fd_ = -1;
  bool event_armed_ = false;  // arm_event() was called: the fd follows the queue
  std::size_t max_;
  // During an overflow: messages until (and including) the REINIT marker.
  std::size_t until_marker_ = 0;
  std::uint64_t dropped_ = 0;
  std::uint64_t overflows_ = 0;
};

}  // namespace opentapi::client

#endif  // OPENTAPI_CLIENT_MESSAGE_QUEUE_H_
