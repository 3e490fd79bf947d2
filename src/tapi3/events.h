// Event delivery of the TAPI 3 layer (docs/reference/flows.md §7): the application's
// ITTAPIEventNotification sinks, the five call-center event objects, and the
// one event thread per TAPI object that calls Event() serially, in the order
// the TAPI 2 messages were received.
#ifndef OPENTAPI_TAPI3_EVENTS_H_
#define OPENTAPI_TAPI3_EVENTS_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "tapi3/collections.h"
#include "tapi3/com_support.h"

namespace opentapi::tapi3 {

// The sinks registered through IConnectionPoint::Advise. Owned by the TAPI
// object (it outlives Initialize/Shutdown); shared with its event thread.
class SinkList {
 public:
  SinkList() = default;
  ~SinkList() { clear(); }
  SinkList(const SinkList&) = delete;
  SinkList& operator=(const SinkList&) = delete;

  // QueryInterfaces `sink` for ITTAPIEventNotification and keeps that
  // reference. CONNECT_E_CANNOTCONNECT if it does not implement it.
  HRESULT advise(IUnknown* sink, DWORD* cookie);
  // CONNECT_E_NOCONNECTION for an unknown cookie.
  HRESULT unadvise(DWORD cookie);
  // The current sinks, AddRef'd (so a sink can be Unadvised during a call).
  RefList<ITTAPIEventNotification> snapshot() const;
  // Releases every sink (outside the lock: a sink's Release is app code).
  void clear();

 private:
  mutable std::mutex mu_;
  std::vector<std::pair<DWORD, ITTAPIEventNotification*>> sinks_;
  DWORD next_cookie_ = 1;
};

// One event ready for delivery: its TAPI_EVENT code and the event object,
// whose reference it owns.
class EventRef {
 public:
  EventRef(TAPI_EVENT kind, IDispatch* event) : kind_(kind), event_(event) {}
  EventRef(EventRef&& other) noexcept : kind_(other.kind_), event_(std::exchange(other.event_, nullptr)) {}
  EventRef& operator=(EventRef&& other) noexcept {
    std::swap(kind_, other.kind_);
    std::swap(event_, other.event_);
    return *this;
  }
  ~EventRef() {
    if (event_ != nullptr) event_->Release();
  }
  TAPI_EVENT kind() const { return kind_; }
  IDispatch* event() const { return event_; }

 private:
  TAPI_EVENT kind_;
  IDispatch* event_;
};

// A place in the event order reserved when a TAPI 2 message arrives whose
// events need another TAPI 2 round trip first (e.g. LINE_GROUPSTATUS, which
// names no group: the list is re-read). Events behind it wait until it is
// filled; it is filled with nothing if that round trip fails.
struct EventSlot {
  bool ready = false;
  std::vector<EventRef> events;
};

// The event thread of one initialized TAPI object.
class EventDispatcher {
 public:
  explicit EventDispatcher(std::shared_ptr<SinkList> sinks);
  ~EventDispatcher();
  EventDispatcher(const EventDispatcher&) = delete;
  EventDispatcher& operator=(const EventDispatcher&) = delete;

  void start();
  // Queues events for delivery after everything queued before.
  void post(std::vector<EventRef> events);
  std::shared_ptr<EventSlot> reserve();
  void fill(const std::shared_ptr<EventSlot>& slot, std::vector<EventRef> events);
  // Ends the thread; undelivered events are released. Safe to call from a
  // sink (on the event thread): the thread then finishes by itself.
  void stop();
  bool on_event_thread() const;
  // How often the queue grew past its warning mark (a slow sink).
  std::uint64_t backlog_warnings() const;
  // Waits until no event is being delivered and none is ready to be: every
  // event posted before the call has reached the sinks, except those behind
  // a reserved place not filled yet. False after `timeout`. Lets a test say
  // "and nothing else arrived" without sleeping.
  bool wait_idle(std::chrono::milliseconds timeout) const;

 private:
  struct State {
    std::shared_ptr<SinkList> sinks;
    std::mutex mu;
    std::condition_variable cv;
    // A list, not a deque: stop() must take it over without allocating.
    std::list<std::shared_ptr<EventSlot>> queue;
    bool stopping = false;
    bool delivering = false;  // the thread took a slot and is calling sinks
    std::uint64_t backlog_warnings = 0;
    std::thread::id thread_id;
  };
  static void run(const std::shared_ptr<State>& state);

  std::shared_ptr<State> state_;
  std::thread thread_;
};

// Owns a reserved EventSlot until it is filled. When the last copy goes
// without a fill (a re-read that failed, ran out of memory, or never ran
// because of Shutdown), the slot is filled with nothing, so the events behind
// it are never held up for good. A filler made without reserve() stands for
// "no events wanted".
class SlotFiller {
 public:
  explicit SlotFiller(EventDispatcher* dispatcher) : dispatcher_(dispatcher) {}
  ~SlotFiller() {
    try {
      if (slot_) dispatcher_->fill(slot_, {});  // no effect once filled
    } catch (...) {
    }
  }
  SlotFiller(const SlotFiller&) = delete;
  SlotFiller& operator=(const SlotFiller&) = delete;

  void reserve() { slot_ = dispatcher_->reserve(); }
  bool wanted() const { return slot_ != nullptr; }
  void fill(std::vector<EventRef> events) {
    if (slot_) dispatcher_->fill(slot_, std::move(events));
  }

 private:
  EventDispatcher* dispatcher_;
  std::shared_ptr<EventSlot> slot_;
};

// ---- The event objects (docs/reference/tapi3-callcenter.md §3.7) --------------------------
// Immutable snapshots: the object getter returns the live object AddRef'd,
// the event code is fixed at creation. Each takes over one reference on
// `object`.

IDispatch* make_agent_event(ITAgent* object, AGENT_EVENT code);
IDispatch* make_agent_session_event(ITAgentSession* object, AGENT_SESSION_EVENT code);
IDispatch* make_acd_group_event(ITACDGroup* object, ACDGROUP_EVENT code);
IDispatch* make_queue_event(ITQueue* object, ACDQUEUE_EVENT code);
IDispatch* make_agent_handler_event(ITAgentHandler* object, AGENTHANDLER_EVENT code);
// ITAddressEvent (TE_ADDRESS); get_Terminal gives S_OK and null (no event
// of this layer concerns a terminal).
IDispatch* make_address_event(ITAddress* object, ADDRESS_EVENT code);

}  // namespace opentapi::tapi3

#endif  // OPENTAPI_TAPI3_EVENTS_H_
