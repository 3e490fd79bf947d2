// Shared pieces of the TAPI 3 unit tests: a fixture that makes a TAPI object
// over a FakeTapi2 and checks on tear-down that every COM object and engine
// was freed, an event sink that records what it receives, and small COM
// helpers.
#ifndef OPENTAPI_TAPI3_TESTING_TEST_SUPPORT_H_
#define OPENTAPI_TAPI3_TESTING_TEST_SUPPORT_H_

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tapi3/com_support.h"
#include "tapi3/tapi_object.h"
#include "tapi3/testing/fake_tapi2.h"

namespace opentapi::tapi3::testing {

using namespace std::chrono_literals;

// Holds one reference; Release on destruction (a minimal CComPtr).
template <class T>
class Ref {
 public:
  Ref() = default;
  explicit Ref(T* p) : p_(p) {}
  Ref(const Ref&) = delete;
  Ref& operator=(const Ref&) = delete;
  Ref(Ref&& o) noexcept : p_(o.p_) { o.p_ = nullptr; }
  Ref& operator=(Ref&& o) noexcept {
    std::swap(p_, o.p_);
    return *this;
  }
  ~Ref() { reset(); }
  void reset() {
    if (p_ != nullptr) p_->Release();
    p_ = nullptr;
  }
  T** out() {
    reset();
    return &p_;
  }
  T* get() const { return p_; }
  T* operator->() const { return p_; }
  explicit operator bool() const { return p_ != nullptr; }

 private:
  T* p_ = nullptr;
};

template <class T>
Ref<T> query(IUnknown* unknown, REFIID iid) {
  T* p = nullptr;
  if (unknown == nullptr || FAILED(unknown->QueryInterface(iid, reinterpret_cast<void**>(&p)))) return Ref<T>();
  return Ref<T>(p);
}

// Calls `method` with an integer where the interface declares an enum, as a
// C program calling through lpVtbl does: values outside the enum included.
template <class Iface, class Enum>
HRESULT call_with_raw_enum(Iface* p, HRESULT (STDMETHODCALLTYPE Iface::*method)(Enum), LONG raw) {
  using Raw = HRESULT (STDMETHODCALLTYPE Iface::*)(LONG);
  static_assert(sizeof(Raw) == sizeof(method));
  Raw fn;
  std::memcpy(&fn, &method, sizeof fn);
  return (p->*fn)(raw);
}

// The same for a getter taking an enum and an out-parameter; give the
// template arguments (the interface may also declare a C `long *` overload).
template <class Iface, class Enum, class Out>
HRESULT call_with_raw_enum_out(Iface* p, HRESULT (STDMETHODCALLTYPE Iface::*method)(Enum, Out*), LONG raw, Out* out) {
  using Raw = HRESULT (STDMETHODCALLTYPE Iface::*)(LONG, Out*);
  static_assert(sizeof(Raw) == sizeof(method));
  Raw fn;
  std::memcpy(&fn, &method, sizeof fn);
  return (p->*fn)(raw, out);
}

inline std::wstring to_string(BSTR b) {
  std::wstring s = b == nullptr ? std::wstring() : std::wstring(b, SysStringLen(b));
  SysFreeString(b);
  return s;
}

// One event as the sink saw it.
struct SeenEvent {
  TAPI_EVENT kind;
  int code = -1;
  IUnknown* object = nullptr;  // identity of the object the event names; the sink holds a reference
  // Call events: the cause (ITCallStateEvent) and the callback instance.
  int cause = -1;
  LONG instance = -1;
};

// An ITTAPIEventNotification recording (kind, code, object identity).
class RecordingSink final : public ITTAPIEventNotification {
 public:
  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppv) override {
    if (ppv == nullptr) return E_POINTER;
    if (IsEqualIID(riid, IID_IUnknown) || IsEqualIID(riid, IID_ITTAPIEventNotification)) {
      *ppv = static_cast<ITTAPIEventNotification*>(this);
      AddRef();
      return S_OK;
    }
    *ppv = nullptr;
    return E_NOINTERFACE;
  }
  ULONG STDMETHODCALLTYPE AddRef() override { return ++refs_; }
  ULONG STDMETHODCALLTYPE Release() override {
    const ULONG n = --refs_;
    if (n == 0) delete this;
    return n;
  }
  HRESULT STDMETHODCALLTYPE Event(TAPI_EVENT kind, IDispatch* event) override;

  std::vector<SeenEvent> events() const {
    std::lock_guard lock(mu_);
    return events_;
  }
  // Waits until at least n events arrived.
  bool wait_for(std::size_t n, std::chrono::milliseconds timeout = 5s) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return events_.size() >= n; });
  }
  // The thread of the last Event() call.
  std::thread::id thread() const {
    std::lock_guard lock(mu_);
    return last_thread_;
  }
  // Runs inside Event() (on the event thread) after recording; set before
  // events can arrive.
  std::function<void(TAPI_EVENT, IDispatch*)> on_event;

 private:
  ~RecordingSink() {
    for (const auto& e : events_) {
      if (e.object != nullptr) e.object->Release();
    }
  }
  std::atomic<ULONG> refs_{1};
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<SeenEvent> events_;
  std::thread::id last_thread_;
};

// Polls `done` until it holds or `timeout` passes; returns whether it held.
template <class Done>
bool eventually(Done done, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

// Sets an environment variable for the lifetime of the object.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old, had_ = true;
    setenv(name, value, 1);
  }
  ~ScopedEnv() {
    if (had_) {
      setenv(name_.c_str(), old_.c_str(), 1);
    } else {
      unsetenv(name_.c_str());
    }
  }

 private:
  std::string name_;
  std::string old_;
  bool had_ = false;
};

// A TAPI object over a FakeTapi2; on tear-down every object must be gone.
class TapiTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Creates the TAPI object (not initialized).
  void create(EngineOptions options = {});
  // create() + Initialize() == S_OK.
  void initialize(EngineOptions options = {});
  Ref<ITTAPICallCenter> call_center();
  Ref<ITAgentHandler> handler(ULONG index = 0);
  Ref<ITAgent> agent();
  Ref<ITACDGroup> group(ITAgentHandler* h, ULONG index = 0);
  Ref<ITAddress> address(ITAgentHandler* h, ULONG index = 0);
  // Agent + session on the first group and address; the session is in
  // ASST_NOT_READY (fake model), events drained.
  Ref<ITAgentSession> session(Ref<ITAgent>* agent_out = nullptr);
  // Advises a RecordingSink and sets the filter.
  RecordingSink* advise(LONG filter);
  // Every message posted so far is handled and every event that came of it
  // has reached the sinks (except events waiting behind a re-read that has
  // not finished): after this, "nothing else arrived" is a fact, not a
  // guess after a sleep. False if that takes more than 10 s.
  bool settle();

  std::shared_ptr<FakeTapi2> fake_ = std::make_shared<FakeTapi2>();
  Ref<ITTAPI> tapi_;
  RecordingSink* sink_ = nullptr;  // owned by the TAPI object once advised
  DWORD cookie_ = 0;
  bool check_leaks_ = true;
};

}  // namespace opentapi::tapi3::testing

#endif  // OPENTAPI_TAPI3_TESTING_TEST_SUPPORT_H_
