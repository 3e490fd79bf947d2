// Engine: what one initialized TAPI object (ITTAPI::Initialize ..
// ITTAPI::Shutdown) knows and runs underneath its COM objects.
//
//  * The TAPI 2 application: lineInitializeExW (USEEVENT), one open of every
//    line device (so LINE_PROXYSTATUS and the agent status messages of every
//    line arrive; each open selects LINEDEVSTATE_OUTOFSERVICE | INSERVICE,
//    which become ITAddressEvent AE_STATE), and one message-pump thread
//    calling lineGetMessage.
//  * The request table (docs/reference/flows.md §3.3 step 4, §6): every asynchronous TAPI 2
//    request is recorded {request id -> waiter} under mu_, the lock the pump
//    takes to match LINE_REPLY; a reply for an id not yet recorded is parked
//    and claimed by the issuing thread. Output buffers belong to the table,
//    not to the caller: a timed-out request keeps its buffer until its late
//    reply or until lineShutdown has returned.
//  * Records of agent handlers, agents, sessions, groups, queues and
//    addresses, with the caches fed only by status messages (docs/reference/flows.md §3.3
//    step 11) and the statistics caches of §5.6.
//  * Identity: one COM object per record at a time (record->wrapper, under
//    objects_mu_), so an event carries the very object the program holds.
//  * The event dispatcher (one event thread, docs/reference/flows.md §7).
//
// Threads: application threads call into COM objects, which lock mu_ briefly
// and wait on cv_ for replies; the pump thread handles messages under mu_ and
// runs follow-up TAPI 2 calls after releasing it; the event thread calls the
// sinks holding no lock of the engine.
//
// Which lock a member needs is written on it (GUARDED_BY(mu_)), and which
// lock a method needs held (REQUIRES(mu_)) or takes itself (EXCLUDES(mu_)) on
// the method; Clang checks both (-Wthread-safety, port/thread_annotations.h).
// The records' fields are under mu_ too, which the analysis cannot see.
//
// Lock order: mu_ -> objects_mu_ -> (nothing); mu_ -> dispatcher lock. No
// application code (sinks) is ever called with one of them held. TAPI 2
// functions are never called with mu_ held.
#ifndef OPENTAPI_TAPI3_ENGINE_H_
#define OPENTAPI_TAPI3_ENGINE_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "port/mutex.h"
#include "port/thread_annotations.h"
#include "tapi3/com_support.h"
#include "tapi3/events.h"
#include "tapi3/mapping.h"
#include "tapi3/tapi2_api.h"

namespace opentapi::tapi3 {

class TapiObject;
class Address;
class AgentHandler;
class Agent;
class AgentSession;
class ACDGroup;
class Queue;
class CallTable;

struct EngineOptions {
  std::chrono::milliseconds request_timeout = kDocumentedTimeout;  // docs/reference/flows.md §6.2
  std::chrono::milliseconds stats_ttl{1000};                       // docs/reference/flows.md §5.6
  // How long status for a not-yet-known agent/session handle is kept for the
  // LINE_REPLY that will introduce it.
  std::chrono::milliseconds orphan_ttl{10000};
};

using Clock = std::chrono::steady_clock;

// The API version this layer is written for (TAPI 3.1) and the lowest a line
// must offer for the agent-handle functions (2.2).
inline constexpr DWORD kLayerApiVersion = 0x00030001;
inline constexpr DWORD kLowestAgentApiVersion = 0x00020002;
// The LINEDEVSTATE messages each line open selects: the address state
// (ITAddress::get_State) follows them.
inline constexpr DWORD kAddressStateLineStates = LINEDEVSTATE_OUTOFSERVICE | LINEDEVSTATE_INSERVICE;

struct GuidLess {
  bool operator()(const GUID& a, const GUID& b) const { return std::memcmp(&a, &b, sizeof(GUID)) < 0; }
};

// One statistics structure and when it was fetched (docs/reference/flows.md §5.6).
// generation changes on every invalidation, so a reply to a request issued
// before an UPDATEINFO/STATE message is not stored as fresh.
template <class T>
struct StatsCache {
  bool valid = false;
  Clock::time_point fetched{};
  std::uint64_t generation = 0;
  T value{};
  void invalidate() {
    valid = false;
    ++generation;
  }
};

struct HandlerRecord;

struct AddressRecord {
  DWORD device = 0;
  DWORD address_id = 0;
  std::wstring name;
  // From lineGetDevCaps / lineGetAddressCaps at Initialize (calls.h); empty
  // when the line gives none. Read without a lock: never changed afterwards.
  std::wstring number;   // the dialable address (LINEADDRESSCAPS.dwAddress)
  LONG media_types = 0;  // TAPIMEDIATYPE_* of LINEDEVCAPS.dwMediaModes
  std::shared_ptr<const std::vector<unsigned char>> dev_caps;
  std::shared_ptr<const std::vector<unsigned char>> address_caps;
  Address* wrapper = nullptr;  // objects_mu_
};

struct AgentRecord {
  HandlerRecord* handler = nullptr;  // lives as long as the engine
  HAGENT handle = 0;
  bool has_id = false;
  std::wstring id;
  AGENT_STATE state = AS_UNKNOWN;  // until the proxy reports (docs/reference/flows.md §4.3)
  StatsCache<LINEAGENTINFO> info;
  Agent* wrapper = nullptr;
};

struct GroupRecord {
  HandlerRecord* handler = nullptr;
  GUID id{};
  std::wstring name;
  bool removed = false;
  ACDGroup* wrapper = nullptr;
};

struct QueueRecord {
  HandlerRecord* handler = nullptr;
  DWORD id = 0;
  std::wstring name;
  GUID group{};
  bool removed = false;
  StatsCache<LINEQUEUEINFO> info;
  Queue* wrapper = nullptr;
};

struct SessionRecord {
  HandlerRecord* handler = nullptr;
  std::shared_ptr<AgentRecord> agent;
  HAGENTSESSION handle = 0;
  GUID group{};
  std::shared_ptr<AddressRecord> address;
  AGENT_SESSION_STATE state = ASST_NOT_READY;  // initial state (docs/reference/flows.md §4.1)
  StatsCache<LINEAGENTSESSIONINFO> info;
  AgentSession* wrapper = nullptr;
};

// Status messages for an agent or session handle not known yet: they arrived
// before the LINE_REPLY of the request that creates it (docs/reference/flows.md §3.3 step 9
// "cope with the status message arriving before the reply").
struct Orphan {
  Clock::time_point seen{};
  std::vector<std::pair<DWORD, DWORD>> messages;  // (status bits, new state)
};

struct HandlerRecord {
  GUID guid{};
  std::wstring name;
  std::vector<DWORD> devices;  // lines fully served by this proxy, ascending
  DWORD home_device = 0;       // agent requests go to devices[0], else here
  bool removed = false;
  // The group IDs as last re-read for a LINE_GROUPSTATUS; what a re-read is
  // compared with to find new and removed groups.
  std::optional<std::vector<GUID>> group_baseline;
  std::map<GUID, std::shared_ptr<GroupRecord>, GuidLess> groups;
  std::map<DWORD, std::shared_ptr<QueueRecord>> queues;
  std::map<HAGENT, std::shared_ptr<AgentRecord>> agents;
  std::map<HAGENTSESSION, std::shared_ptr<SessionRecord>> sessions;
  std::map<HAGENT, Orphan> agent_orphans;
  std::map<HAGENTSESSION, Orphan> session_orphans;
  AgentHandler* wrapper = nullptr;
};

struct LineRecord {
  DWORD device = 0;
  HLINE hline = 0;
  DWORD api_version = 0;
  bool open = false;
  // Between LINE_LINEDEVSTATE(OUTOFSERVICE) and (INSERVICE): the server was
  // lost and libopentapi is resuming the application (docs/ha.md "Handles
  // survive"). The line stays open; its addresses are AS_OUTOFSERVICE.
  bool out_of_service = false;
  bool acd_ready = false;                                 // all of 0x09..0x14 served (docs/reference/flows.md §2.3)
  std::optional<GUID> proxy;                              // LINEAGENTCAPS.ProxyGUID
  std::vector<std::shared_ptr<AddressRecord>> addresses;  // by address ID, at least one
};

class Engine : public std::enable_shared_from_this<Engine> {
 public:
  // Runs when the request's LINE_REPLY is matched (or it failed at once, or
  // a pump-issued request timed out: kTimedOut), exactly once, with mu()
  // held (a hook says so to the analysis with mu().assert_held()). Must not
  // call TAPI 2 or application code.
  using ReplyHook = std::function<void(LONG result)>;
  static constexpr LONG kTimedOut = static_cast<LONG>(TAPI_E_TIMEOUT);

  struct Pending {
    std::shared_ptr<void> keep;  // output buffer and inputs, alive until done
    ReplyHook hook;
    bool done = false;
    bool abandoned = false;    // the waiter gave up (timeout)
    bool background = false;   // issued by the pump, nobody waits
    bool hook_failed = false;  // the hook ran out of memory
    LONG result = 0;
    Clock::time_point deadline{};
  };
  // An issued request, to be awaited.
  struct Ticket {
    std::shared_ptr<Pending> pending;
    HRESULT immediate = S_OK;  // when pending is null
  };

  Engine(std::shared_ptr<Tapi2> api, EngineOptions options, std::shared_ptr<SinkList> sinks);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // ITTAPI::Initialize: the TAPI 2 application, the lines, the threads and
  // agent-handler discovery (docs/reference/flows.md §2.3). S_OK even when no handler is
  // found. On failure the caller calls shutdown().
  HRESULT start() EXCLUDES(mu_);
  // ITTAPI::Shutdown; idempotent. Every waiting request returns
  // TAPI_E_NOT_INITIALIZED at once (docs/reference/flows.md §3.4).
  void shutdown() EXCLUDES(mu_);
  // Takes mu() itself; running() for a caller that holds it.
  bool check_running() const EXCLUDES(mu_);
  bool running() const REQUIRES(mu_) { return state_ == State::kRunning; }

  // ---- Requests (docs/reference/flows.md §6.2) ----
  // Calls `call` (a TAPI 2 function; never with mu_ held) and records the
  // request id. keep owns what the reply writes into.
  Ticket issue(std::shared_ptr<void> keep, const std::function<LONG()>& call, ReplyHook hook = {}) EXCLUDES(mu_);
  // Waits for the reply: S_OK, the LINEERR (unchanged), TAPI_E_TIMEOUT after
  // the request time limit, TAPI_E_NOT_INITIALIZED on Shutdown.
  HRESULT await(Ticket& ticket) EXCLUDES(mu_);
  HRESULT request(std::shared_ptr<void> keep, const std::function<LONG()>& call, ReplyHook hook = {}) EXCLUDES(mu_) {
    Ticket t = issue(std::move(keep), call, std::move(hook));
    return await(t);
  }
  // A variable-size structure request (docs/reference/tapi2-agent.md §1.4): starts with
  // `initial` bytes and retries with dwNeededSize while it grows. On S_OK
  // *out is the filled structure.
  HRESULT request_varsize(DWORD initial, const std::function<LONG(void* buffer)>& call,
                          std::shared_ptr<std::vector<unsigned char>>* out);

  Tapi2& api() { return *api_; }
  HLINEAPP app() const { return happ_; }
  const EngineOptions& options() const { return options_; }
  // The lock of the records (the REQUIRES(mu_) methods below).
  port::Mutex& mu() const RETURN_CAPABILITY(mu_) { return mu_; }

  // ---- Events ----
  void set_event_filter(LONG mask) { filter_.store(mask); }
  LONG event_filter() const { return filter_.load(); }
  bool wants(TAPI_EVENT kind) const { return (filter_.load() & static_cast<LONG>(kind)) != 0; }
  EventDispatcher& dispatcher() { return *dispatcher_; }

  // ---- The owning TAPI object (for ITAddress::get_TAPIObject) ----
  void set_owner(TapiObject* owner) EXCLUDES(objects_mu_);
  ITTAPI* owner_ref() EXCLUDES(objects_mu_);  // AddRef'd, or null once the TAPI object is gone

  // ---- Records; the caller holds mu() (every record's fields, too) ----
  std::vector<std::shared_ptr<HandlerRecord>> live_handlers() const REQUIRES(mu_);  // not removed
  HLINE agent_line(const HandlerRecord& handler) const REQUIRES(mu_);
  HLINE address_line(const AddressRecord& address) const REQUIRES(mu_);
  bool line_open(DWORD device) const REQUIRES(mu_);
  // ITAddress::get_State: open and not out of service (LINE_LINEDEVSTATE).
  bool line_in_service(DWORD device) const REQUIRES(mu_);
  // Addresses of the handler's lines, or of every open line (handler null).
  std::vector<std::shared_ptr<AddressRecord>> addresses_of(const HandlerRecord* handler) const REQUIRES(mu_);
  bool usable_by(const HandlerRecord& handler, const AddressRecord& address) const REQUIRES(mu_);
  std::shared_ptr<AddressRecord> address_for_device(DWORD device) const REQUIRES(mu_);
  // An address by device and address ID, or null.
  std::shared_ptr<AddressRecord> address_at(DWORD device, DWORD address_id) const REQUIRES(mu_);
  // The API version negotiated for a line (0 if it is not open).
  DWORD line_version(DWORD device) const REQUIRES(mu_);

  // ---- Calls (calls.h) ----
  CallTable& calls() { return *calls_; }
  // Registers what a creation request returned (also from late replies).
  std::shared_ptr<AgentRecord> add_agent(HandlerRecord* handler, HAGENT handle, bool has_id, const std::wstring& id)
      REQUIRES(mu_);
  std::shared_ptr<SessionRecord> add_session(HandlerRecord* handler, std::shared_ptr<AgentRecord> agent,
                                             HAGENTSESSION handle, const GUID& group,
                                             std::shared_ptr<AddressRecord> address,
                                             std::optional<AGENT_SESSION_STATE> state) REQUIRES(mu_);
  // Finds or creates; `name` updates the name when given.
  std::shared_ptr<GroupRecord> find_group(HandlerRecord* handler, const GUID& id, const std::wstring* name)
      REQUIRES(mu_);
  std::shared_ptr<QueueRecord> find_queue(HandlerRecord* handler, DWORD id, const std::wstring* name, const GUID* group)
      REQUIRES(mu_);

  // ---- Identity ----
  // The COM object of a record, AddRef'd; created on first use.
  template <class Obj, class Rec>
  Obj* object_for(const std::shared_ptr<Rec>& rec) EXCLUDES(objects_mu_) {
    port::MutexLock lock(objects_mu_);
    if (rec->wrapper != nullptr && rec->wrapper->try_add_ref()) return rec->wrapper;
    Obj* obj = new Obj(shared_from_this(), rec);
    rec->wrapper = obj;
    return obj;
  }
  // Called by a record's object in its last Release.
  template <class Obj>
  void forget(Obj*& slot, Obj* self) EXCLUDES(objects_mu_) {
    port::MutexLock lock(objects_mu_);
    if (slot == self) slot = nullptr;
  }

 private:
  enum class State { kRunning, kStopping, kStopped };
  using Actions = std::vector<std::function<void()>>;

  void pump();
  void handle_message(const LINEMESSAGE& m, Actions& after) REQUIRES(mu_);
  void on_reply(LONG id, LONG result) REQUIRES(mu_);
  void on_proxy_status(LineRecord& line, DWORD bits, DWORD type, Actions& after) REQUIRES(mu_);
  void on_session_status(HandlerRecord& handler, HAGENTSESSION h, DWORD bits, DWORD state) REQUIRES(mu_);
  void on_agent_status(HandlerRecord& handler, HAGENT h, DWORD bits, DWORD state) REQUIRES(mu_);
  void on_group_status(HandlerRecord& handler, DWORD bits, Actions& after) REQUIRES(mu_);
  void on_queue_status(HandlerRecord& handler, DWORD queue, DWORD bits, Actions& after) REQUIRES(mu_);
  void on_line_closed(LineRecord& line) REQUIRES(mu_);
  void on_line_dev_state(LineRecord& line, DWORD states, Actions& after) REQUIRES(mu_);
  // Back in service after a resume (docs/ha.md "Status messages replayed"):
  // re-reads the state of every agent and session of the handlers serving
  // `device`, and fires the events of any change found. What the library
  // replayed before INSERVICE is applied already, so only a change the
  // replay could not bring (the event log no longer held it) fires here.
  void reread_after_resume(DWORD device) EXCLUDES(mu_);
  void expire_background(Clock::time_point now) REQUIRES(mu_);
  void prune_orphans(Clock::time_point now) REQUIRES(mu_);
  DWORD pump_timeout(Clock::time_point now) const REQUIRES(mu_);

  // Runs and clears the hook; out of memory there marks the request failed.
  void run_hook(Pending& pending, LONG result) REQUIRES(mu_);
  // Background requests issued by the pump after a status message.
  Ticket issue_background(std::shared_ptr<void> keep, const std::function<LONG()>& call, ReplyHook hook) EXCLUDES(mu_);
  void fetch_caps(DWORD device, std::shared_ptr<SlotFiller> slot);
  void reread_groups(HandlerRecord* handler, HLINE line, DWORD bits, std::shared_ptr<SlotFiller> slot);
  void reread_queues(HandlerRecord* handler, HLINE line, DWORD queue, std::vector<GUID> groups,
                     std::shared_ptr<SlotFiller> slot, bool also_removed);
  // A filler for a slot reserved now if `kind` is in the filter.
  std::shared_ptr<SlotFiller> slot_for(TAPI_EVENT kind) REQUIRES(mu_);

  // Handler discovery (docs/reference/flows.md §2.3). Returns whether a handler appeared or
  // came back (AHE_NEW_AGENTHANDLER).
  HandlerRecord* attach_line(LineRecord& line, const GUID& guid, const std::wstring& name, bool* appeared)
      REQUIRES(mu_);
  // Returns the handler that lost its last line (AHE_AGENTHANDLER_REMOVED).
  HandlerRecord* detach_line(LineRecord& line) REQUIRES(mu_);
  HandlerRecord* handler_for_line(HLINE hline) REQUIRES(mu_);
  LineRecord* line_by_handle(HLINE hline) REQUIRES(mu_);

  // Event construction, under mu_ (the objects are this engine's).
  void post_session_events(const std::shared_ptr<SessionRecord>& rec, DWORD bits, DWORD state) REQUIRES(mu_);
  void post_agent_events(const std::shared_ptr<AgentRecord>& rec, DWORD bits, DWORD state) REQUIRES(mu_);
  EventRef handler_event(HandlerRecord* handler, AGENTHANDLER_EVENT code) REQUIRES(mu_);
  std::shared_ptr<HandlerRecord> handler_ptr(const HandlerRecord* handler) const REQUIRES(mu_);

  std::shared_ptr<Tapi2> api_;
  EngineOptions options_;
  std::unique_ptr<EventDispatcher> dispatcher_;
  std::atomic<LONG> filter_{0};

  mutable port::Mutex mu_;
  std::condition_variable cv_;  // request completions and shutdown
  State state_ GUARDED_BY(mu_) = State::kRunning;
  // lineShutdown has returned: no more writes into buffers.
  bool tapi2_closed_ GUARDED_BY(mu_) = false;
  // Set by start() before the pump starts, read without the lock afterwards.
  HLINEAPP happ_ = 0;
  bool have_app_ GUARDED_BY(mu_) = false;
  DWORD num_devices_ GUARDED_BY(mu_) = 0;
  std::thread pump_ GUARDED_BY(mu_);
  std::map<LONG, std::shared_ptr<Pending>> requests_ GUARDED_BY(mu_);  // by request id
  std::map<LONG, LONG> parked_ GUARDED_BY(mu_);                        // replies before their id was recorded
  std::vector<std::shared_ptr<Pending>> graveyard_ GUARDED_BY(mu_);    // issued while shutting down
  std::map<DWORD, LineRecord> lines_ GUARDED_BY(mu_);                  // by device id
  std::map<HLINE, DWORD> devices_by_line_ GUARDED_BY(mu_);
  std::vector<std::shared_ptr<HandlerRecord>> handlers_ GUARDED_BY(mu_);  // discovery order

  // Lock order: mu_ before objects_mu_.
  port::Mutex objects_mu_ ACQUIRED_AFTER(mu_);
  TapiObject* owner_ GUARDED_BY(objects_mu_) = nullptr;

  std::unique_ptr<CallTable> calls_;
};

}  // namespace opentapi::tapi3

#endif  // OPENTAPI_TAPI3_ENGINE_H_
