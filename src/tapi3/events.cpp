#include "tapi3/events.h"

#include <algorithm>

namespace opentapi::tapi3 {
namespace {

// Queue length above which a slow sink is counted (the queue itself is
// unbounded so that TAPI 2 message intake never blocks, docs/reference/flows.md §7).
constexpr std::size_t kBacklogWarning = 10000;

// The shared part of the event classes: identity, refcount, IDispatch
// and get_Event; `Object` is the interface the object getter returns.
template <class Iface, const IID& kIid, class Object, class Code>
class EventObject : public Iface {
 public:
  EventObject(Object* object, Code code) : object_(object), code_(code) {}

  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppv) override {
    if (ppv == nullptr) return E_POINTER;
    if (IsEqualIID(riid, IID_IUnknown) || IsEqualIID(riid, IID_IDispatch) || IsEqualIID(riid, kIid)) {
      *ppv = static_cast<Iface*>(this);
      this->AddRef();
      return S_OK;
    }
    *ppv = nullptr;
    return E_NOINTERFACE;
  }
  OPENTAPI_SIMPLE_REFCOUNT
  OPENTAPI_NO_TYPEINFO_DISPATCH

  HRESULT STDMETHODCALLTYPE get_Event(Code* code) override {
    if (code == nullptr) return E_POINTER;
    *code = code_;
    return S_OK;
  }

 protected:
  virtual ~EventObject() {
    if (object_ != nullptr) object_->Release();
  }
  HRESULT object(Object** out) {
    if (out == nullptr) return E_POINTER;
    object_->AddRef();
    *out = object_;
    return S_OK;
  }

 private:
  LiveObject live_;
  RefCount refs_;
  Object* object_;
  Code code_;
};

class AgentEvent final : public EventObject<ITAgentEvent, IID_ITAgentEvent, ITAgent, AGENT_EVENT> {
 public:
  using EventObject::EventObject;
  HRESULT STDMETHODCALLTYPE get_Agent(ITAgent** out) override { return object(out); }
};

class AgentSessionEvent final
    : public EventObject<ITAgentSessionEvent, IID_ITAgentSessionEvent, ITAgentSession, AGENT_SESSION_EVENT> {
 public:
  using EventObject::EventObject;
  HRESULT STDMETHODCALLTYPE get_Session(ITAgentSession** out) override { return object(out); }
};

class ACDGroupEvent final : public EventObject<ITACDGroupEvent, IID_ITACDGroupEvent, ITACDGroup, ACDGROUP_EVENT> {
 public:
  using EventObject::EventObject;
  HRESULT STDMETHODCALLTYPE get_Group(ITACDGroup** out) override { return object(out); }
};

class QueueEvent final : public EventObject<ITQueueEvent, IID_ITQueueEvent, ITQueue, ACDQUEUE_EVENT> {
 public:
  using EventObject::EventObject;
  HRESULT STDMETHODCALLTYPE get_Queue(ITQueue** out) override { return object(out); }
};

class AgentHandlerEvent final
    : public EventObject<ITAgentHandlerEvent, IID_ITAgentHandlerEvent, ITAgentHandler, AGENTHANDLER_EVENT> {
 public:
  using EventObject::EventObject;
  HRESULT STDMETHODCALLTYPE get_AgentHandler(ITAgentHandler** out) override { return object(out); }
};

class AddressEvent final : public EventObject<ITAddressEvent, IID_ITAddressEvent, ITAddress, ADDRESS_EVENT> {
 public:
  using EventObject::EventObject;
  HRESULT STDMETHODCALLTYPE get_Address(ITAddress** out) override { return object(out); }
  HRESULT STDMETHODCALLTYPE get_Terminal(ITTerminal** out) override {
    if (out == nullptr) return E_POINTER;
    *out = nullptr;
    return S_OK;
  }
};

// `make` may throw bad_alloc; the object reference is then released.
template <class Event, class Object, class Code>
IDispatch* make_event(Object* object, Code code) {
  try {
    return new Event(object, code);
  } catch (...) {
    object->Release();
    throw;
  }
}

}  // namespace

// ---- SinkList ----------------------------------------------------------------

HRESULT SinkList::advise(IUnknown* sink, DWORD* cookie) {
  if (cookie == nullptr) return E_POINTER;
  *cookie = 0;
  if (sink == nullptr) return E_POINTER;
  ITTAPIEventNotification* notification = nullptr;
  if (FAILED(sink->QueryInterface(IID_ITTAPIEventNotification, reinterpret_cast<void**>(&notification))) ||
      notification == nullptr) {
    return kConnectCannotConnect;
  }
  std::unique_lock lock(mu_);
  try {
    sinks_.emplace_back(next_cookie_, notification);
  } catch (...) {
    lock.unlock();
    notification->Release();
    throw;
  }
  *cookie = next_cookie_++;
  if (next_cookie_ == 0) next_cookie_ = 1;
  return S_OK;
}

HRESULT SinkList::unadvise(DWORD cookie) {
  ITTAPIEventNotification* removed = nullptr;
  {
    std::lock_guard lock(mu_);
    const auto it = std::find_if(sinks_.begin(), sinks_.end(), [cookie](const auto& s) { return s.first == cookie; });
    if (it == sinks_.end()) return CONNECT_E_NOCONNECTION;
    removed = it->second;
    sinks_.erase(it);
  }
  removed->Release();
  return S_OK;
}

RefList<ITTAPIEventNotification> SinkList::snapshot() const {
  RefList<ITTAPIEventNotification> out;
  std::lock_guard lock(mu_);
  for (const auto& [cookie, sink] : sinks_) {
    sink->AddRef();
    out.adopt(sink);
  }
  return out;
}

void SinkList::clear() {
  std::vector<std::pair<DWORD, ITTAPIEventNotification*>> sinks;
  {
    std::lock_guard lock(mu_);
    sinks.swap(sinks_);
  }
  for (const auto& [cookie, sink] : sinks) sink->Release();
}

// ---- EventDispatcher -----------------------------------------------------------

EventDispatcher::EventDispatcher(std::shared_ptr<SinkList> sinks) : state_(std::make_shared<State>()) {
  state_->sinks = std::move(sinks);
}

EventDispatcher::~EventDispatcher() { stop(); }

void EventDispatcher::start() {
  std::lock_guard lock(state_->mu);
  thread_ = std::thread([state = state_] { run(state); });
  state_->thread_id = thread_.get_id();
}

void EventDispatcher::run(const std::shared_ptr<State>& state) {
  for (;;) {
    std::shared_ptr<EventSlot> slot;
    {
      std::unique_lock lock(state->mu);
      state->cv.wait(lock, [&] { return state->stopping || (!state->queue.empty() && state->queue.front()->ready); });
      if (state->stopping) return;
      slot = std::move(state->queue.front());
      state->queue.pop_front();
      state->delivering = true;
    }
    for (const EventRef& e : slot->events) {
      {
        std::lock_guard lock(state->mu);
        if (state->stopping) break;
      }
      try {
        const auto sinks = state->sinks->snapshot();
        for (std::size_t i = 0; i < sinks.size(); ++i) {
          // A sink's failure code concerns only that sink (docs/reference/flows.md §7).
          (void)sinks[i]->Event(e.kind(), e.event());
        }
      } catch (...) {
        // Out of memory for the sink list (or a sink that threw, against the
        // COM rules): this event is lost, the thread goes on.
      }
    }
    slot.reset();  // the event objects, outside every lock
    std::lock_guard lock(state->mu);
    state->delivering = false;
    state->cv.notify_all();  // wait_idle
  }
}

void EventDispatcher::post(std::vector<EventRef> events) {
  if (events.empty()) return;
  auto slot = std::make_shared<EventSlot>();
  slot->events = std::move(events);
  slot->ready = true;
  std::lock_guard lock(state_->mu);
  if (state_->stopping) return;  // `slot` is released after `lock`, outside it
  state_->queue.push_back(std::move(slot));
  if (state_->queue.size() > kBacklogWarning) ++state_->backlog_warnings;
  state_->cv.notify_all();
}

std::shared_ptr<EventSlot> EventDispatcher::reserve() {
  auto slot = std::make_shared<EventSlot>();
  std::lock_guard lock(state_->mu);
  if (!state_->stopping) state_->queue.push_back(slot);
  return slot;
}

void EventDispatcher::fill(const std::shared_ptr<EventSlot>& slot, std::vector<EventRef> events) {
  std::vector<EventRef> discarded;
  {
    std::lock_guard lock(state_->mu);
    if (slot->ready) return;
    if (state_->stopping) {
      discarded = std::move(events);
    } else {
      slot->events = std::move(events);
    }
    slot->ready = true;
    state_->cv.notify_all();
  }
}

void EventDispatcher::stop() {
  std::list<std::shared_ptr<EventSlot>> undelivered;
  {
    std::lock_guard lock(state_->mu);
    state_->stopping = true;
    undelivered.swap(state_->queue);
    state_->cv.notify_all();
  }
  if (thread_.joinable()) {
    if (thread_.get_id() == std::this_thread::get_id()) {
      thread_.detach();  // called by a sink: the loop ends when the sink returns
    } else {
      thread_.join();
    }
  }
  // `undelivered` released here, outside the lock.
}

bool EventDispatcher::on_event_thread() const {
  std::lock_guard lock(state_->mu);
  return state_->thread_id == std::this_thread::get_id();
}

bool EventDispatcher::wait_idle(std::chrono::milliseconds timeout) const {
  std::unique_lock lock(state_->mu);
  return state_->cv.wait_for(lock, timeout, [&] {
    return state_->stopping || (!state_->delivering && (state_->queue.empty() || !state_->queue.front()->ready));
  });
}

std::uint64_t EventDispatcher::backlog_warnings() const {
  std::lock_guard lock(state_->mu);
  return state_->backlog_warnings;
}

// ---- Event objects -------------------------------------------------------------

IDispatch* make_agent_event(ITAgent* object, AGENT_EVENT code) { return make_event<AgentEvent>(object, code); }
IDispatch* make_agent_session_event(ITAgentSession* object, AGENT_SESSION_EVENT code) {
  return make_event<AgentSessionEvent>(object, code);
}
IDispatch* make_acd_group_event(ITACDGroup* object, ACDGROUP_EVENT code) {
  return make_event<ACDGroupEvent>(object, code);
}
IDispatch* make_queue_event(ITQueue* object, ACDQUEUE_EVENT code) { return make_event<QueueEvent>(object, code); }
IDispatch* make_agent_handler_event(ITAgentHandler* object, AGENTHANDLER_EVENT code) {
  return make_event<AgentHandlerEvent>(object, code);
}
IDispatch* make_address_event(ITAddress* object, ADDRESS_EVENT code) { return make_event<AddressEvent>(object, code); }

}  // namespace opentapi::tapi3
