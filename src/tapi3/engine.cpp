// Engine: lifecycle, the request table and the message pump (engine.h).
// Status messages and handler discovery are in status.cpp.
#include "tapi3/engine.h"

#include <algorithm>

#include "tapi3/calls.h"
#include "tapi3/objects.h"
#include "tapi3/tapi_object.h"

namespace opentapi::tapi3 {
namespace {

// Replies kept for ids nobody recorded (yet); beyond this the oldest go.
constexpr std::size_t kMaxParked = 4096;
// Largest variable-size structure requested (docs/reference/tapi2-agent.md §1.4 retries).
constexpr DWORD kMaxVarSize = 1u << 20;

}  // namespace

Engine::Engine(std::shared_ptr<Tapi2> api, EngineOptions options, std::shared_ptr<SinkList> sinks)
    : api_(std::move(api)),
      options_(options),
      dispatcher_(std::make_unique<EventDispatcher>(std::move(sinks))),
      calls_(std::make_unique<CallTable>(*this)) {
  live_engine_count().fetch_add(1);
}

Engine::~Engine() {
  shutdown();
  // Records point at their handler; drop them before the handlers.
  for (auto& handler : handlers_) {
    handler->sessions.clear();
    handler->agents.clear();
    handler->queues.clear();
    handler->groups.clear();
  }
  live_engine_count().fetch_sub(1);
}

bool Engine::check_running() const {
  port::MutexLock lock(mu_);
  return state_ == State::kRunning;
}

void Engine::set_owner(TapiObject* owner) {
  port::MutexLock lock(objects_mu_);
  owner_ = owner;
}

ITTAPI* Engine::owner_ref() {
  port::MutexLock lock(objects_mu_);
  if (owner_ == nullptr || !owner_->try_add_ref()) return nullptr;
  return static_cast<ITTAPI*>(owner_);
}

// ---- Lifecycle ---------------------------------------------------------------------

HRESULT Engine::start() {
  HLINEAPP app = 0;
  DWORD devices = 0;
  DWORD version = kLayerApiVersion;
  const LONG rc = api_->initialize(&app, &devices, &version);
  // ITTAPI::Initialize documents no LINEERR: use the explicit mapping
  // (docs/reference/tapi3-callcenter.md §6.3 rule 2), e.g. no server -> TAPI_E_SERVICE_NOT_RUNNING.
  if (rc != 0) return rc < 0 ? tapi_map_lineerr(rc) : E_UNEXPECTED;
  {
    port::MutexLock lock(mu_);
    if (state_ != State::kRunning) {
      api_->shutdown(app);
      return TAPI_E_NOT_INITIALIZED;
    }
    happ_ = app;
    have_app_ = true;
    num_devices_ = devices;
    dispatcher_->start();
    pump_ = std::thread([this] { pump(); });
  }

  // Open every line (docs/reference/flows.md §2.3 step 1, widened: lines not yet served are
  // opened too, so that a proxy registering later is seen by LINE_PROXYSTATUS).
  for (DWORD device = 0; device < devices; ++device) {
    DWORD line_version = 0;
    if (api_->negotiate_api_version(app, device, kLowestAgentApiVersion, kLayerApiVersion, &line_version) != 0) {
      continue;
    }
    HLINE hline = 0;
    if (api_->open(app, device, &hline, line_version, device, LINECALLPRIVILEGE_NONE) != 0) continue;
    // The line's addresses, in address order (lineGetDevCaps / lineGetAddressCaps).
    auto addresses = discover_addresses(*api_, app, device, line_version);
    port::MutexLock lock(mu_);
    LineRecord& line = lines_[device];
    line.device = device;
    line.hline = hline;
    line.api_version = line_version;
    line.open = true;
    line.addresses = std::move(addresses);
    devices_by_line_[hline] = device;
  }

  // Ask each open for the messages that bracket a lost server (docs/ha.md
  // "Handles survive"), after its record exists so that none is dropped.
  // A line that refuses them still works; it just never reports the gap.
  {
    std::vector<HLINE> opened;
    {
      port::MutexLock lock(mu_);
      for (const auto& [device, line] : lines_) opened.push_back(line.hline);
    }
    for (const HLINE hline : opened) {
      (void)api_->set_status_messages(hline, kAddressStateLineStates, 0);
    }
  }

  // Which lines serve all twelve agent request types (lineGetProxyStatus).
  std::vector<DWORD> served;
  {
    std::vector<DWORD> open;
    {
      port::MutexLock lock(mu_);
      for (const auto& [device, line] : lines_) open.push_back(device);
    }
    for (const DWORD device : open) {
      std::vector<unsigned char> buffer(sizeof(LINEPROXYREQUESTLIST) + 64 * sizeof(DWORD));
      auto* list = reinterpret_cast<LINEPROXYREQUESTLIST*>(buffer.data());
      list->dwTotalSize = static_cast<DWORD>(buffer.size());
      if (api_->get_proxy_status(app, device, kLayerApiVersion, list) != 0) continue;
      if (!serves_all_acd_types(list)) continue;
      port::MutexLock lock(mu_);
      lines_[device].acd_ready = true;
      served.push_back(device);
    }
  }

  // lineGetAgentCaps on each served line, all in flight at once; the proxy
  // GUID groups lines into agent handlers (docs/reference/flows.md §2.3 steps 2-3).
  constexpr DWORD kCapsBytes = 8192;
  std::vector<std::pair<DWORD, std::shared_ptr<std::vector<unsigned char>>>> caps;
  std::vector<Ticket> tickets;
  for (const DWORD device : served) {
    auto buffer = std::make_shared<std::vector<unsigned char>>(kCapsBytes);
    reinterpret_cast<LINEAGENTCAPS*>(buffer->data())->dwTotalSize = kCapsBytes;
    tickets.push_back(issue(buffer, [&] {
      return api_->get_agent_caps(app, device, 0, kLayerApiVersion, reinterpret_cast<LINEAGENTCAPS*>(buffer->data()));
    }));
    caps.emplace_back(device, buffer);
  }
  for (std::size_t i = 0; i < tickets.size(); ++i) {
    if (FAILED(await(tickets[i]))) continue;  // that line serves no handler we can name
    const auto parsed = parse_agent_caps(caps[i].second->data(), caps[i].second->size());
    if (!parsed) continue;
    port::MutexLock lock(mu_);
    LineRecord& line = lines_[caps[i].first];
    if (!line.acd_ready) continue;  // the proxy closed meanwhile
    bool appeared = false;
    attach_line(line, parsed->proxy, parsed->name, &appeared);
  }
  return check_running() ? S_OK : TAPI_E_NOT_INITIALIZED;
}

void Engine::shutdown() {
  std::thread pump;
  HLINEAPP app = 0;
  bool have_app = false;
  {
    port::MutexLock lock(mu_);
    if (state_ != State::kRunning) return;
    state_ = State::kStopping;
    cv_.notify_all();  // every waiter returns TAPI_E_NOT_INITIALIZED now
    calls_->wake_all();
    pump = std::move(pump_);
    app = happ_;
    have_app = have_app_;
  }
  // lineShutdown closes the lines, cancels the outstanding requests (no
  // LINE_REPLY, no more writes into their buffers) and ends lineGetMessage.
  if (have_app) api_->shutdown(app);
  if (pump.joinable()) pump.join();
  std::map<LONG, std::shared_ptr<Pending>> requests;
  std::vector<std::shared_ptr<Pending>> graveyard;
  {
    port::MutexLock lock(mu_);
    requests.swap(requests_);
    graveyard.swap(graveyard_);
    parked_.clear();
    tapi2_closed_ = true;
    state_ = State::kStopped;
    cv_.notify_all();
  }
  dispatcher_->stop();
  // requests / graveyard (buffers of timed-out requests) freed here (docs/reference/flows.md §6.2.3).
}

// ---- Requests ----------------------------------------------------------------------

void Engine::run_hook(Pending& pending, LONG result) {
  if (!pending.hook) return;
  auto hook = std::exchange(pending.hook, nullptr);
  try {
    hook(result);
  } catch (const std::bad_alloc&) {
    pending.hook_failed = true;  // the reply could not be registered (E_OUTOFMEMORY)
  }
}

Engine::Ticket Engine::issue(std::shared_ptr<void> keep, const std::function<LONG()>& call, ReplyHook hook) {
  Ticket ticket;
  auto pending = std::make_shared<Pending>();  // allocated before the call: no request without its record
  pending->keep = std::move(keep);
  pending->hook = std::move(hook);
  {
    port::MutexLock lock(mu_);
    if (state_ != State::kRunning) {
      ticket.immediate = TAPI_E_NOT_INITIALIZED;
      return ticket;
    }
  }
  const LONG id = call();
  const Clock::time_point issued = Clock::now();
  port::MutexLock lock(mu_);
  if (id > 0) {
    if (const auto parked = parked_.find(id); parked != parked_.end()) {
      // The reply overtook the call's return (docs/reference/tapi2-agent.md §1.3). It counts
      // even if Shutdown began meanwhile: the request did complete.
      pending->done = true;
      pending->result = parked->second;
      parked_.erase(parked);
      run_hook(*pending, pending->result);
      ticket.pending = pending;
      return ticket;
    }
  }
  if (state_ != State::kRunning) {
    // Shut down meanwhile (whatever TAPI 2 said, docs/reference/flows.md §3.4): the buffer
    // may still be written until lineShutdown returns.
    if (id > 0 && !tapi2_closed_) graveyard_.push_back(pending);
    ticket.immediate = TAPI_E_NOT_INITIALIZED;
    return ticket;
  }
  if (id <= 0) {
    // A synchronous failure: returned at once, no time limit (docs/reference/flows.md §6.2.1).
    run_hook(*pending, id);
    ticket.immediate = pending->hook_failed ? E_OUTOFMEMORY : hresult_from_lineerr(id);
    return ticket;
  }
  pending->deadline = issued + options_.request_timeout;
  requests_[id] = pending;
  ticket.pending = pending;
  return ticket;
}

HRESULT Engine::await(Ticket& ticket) {
  if (!ticket.pending) return ticket.immediate;
  const auto& pending = ticket.pending;
  port::MutexLock lock(mu_);
  while (!pending->done && state_ == State::kRunning) {
    if (cv_.wait_until(lock.native(), pending->deadline) == std::cv_status::timeout) break;
  }
  if (pending->done) return pending->hook_failed ? E_OUTOFMEMORY : hresult_from_lineerr(pending->result);
  if (state_ != State::kRunning) return TAPI_E_NOT_INITIALIZED;
  // No cancellation exists in TAPI 2: the request stays recorded (with its
  // buffer) until its late reply, which is then discarded (docs/reference/flows.md §6.2.3).
  pending->abandoned = true;
  return TAPI_E_TIMEOUT;
}

HRESULT Engine::request_varsize(DWORD initial, const std::function<LONG(void* buffer)>& call,
                                std::shared_ptr<std::vector<unsigned char>>* out) {
  DWORD size = initial;
  for (int attempt = 0; attempt < 4; ++attempt) {
    auto buffer = std::make_shared<std::vector<unsigned char>>(size);
    DWORD* header = reinterpret_cast<DWORD*>(buffer->data());
    header[0] = size;  // dwTotalSize
    const HRESULT hr = request(buffer, [&] { return call(buffer->data()); });
    if (FAILED(hr)) return hr;
    DWORD needed = 0;
    std::memcpy(&needed, buffer->data() + sizeof(DWORD), sizeof needed);
    if (needed <= size || needed > kMaxVarSize) {
      *out = std::move(buffer);
      return S_OK;
    }
    size = needed;  // too small: the structure says how much it needs
  }
  return E_OUTOFMEMORY;
}

Engine::Ticket Engine::issue_background(std::shared_ptr<void> keep, const std::function<LONG()>& call, ReplyHook hook) {
  Ticket ticket = issue(std::move(keep), call, std::move(hook));
  if (ticket.pending) {
    port::MutexLock lock(mu_);
    ticket.pending->background = true;
  }
  return ticket;
}

// ---- The message pump ------------------------------------------------------------------

DWORD Engine::pump_timeout(Clock::time_point now) const {
  auto earliest = Clock::time_point::max();
  for (const auto& [id, pending] : requests_) {
    if (pending->background && pending->hook) earliest = std::min(earliest, pending->deadline);
  }
  if (earliest == Clock::time_point::max()) return INFINITE;
  if (earliest <= now) return 0;
  const auto ms = std::chrono::ceil<std::chrono::milliseconds>(earliest - now).count();
  return static_cast<DWORD>(std::min<long long>(ms, 0x7FFFFFFF));
}

void Engine::pump() {
  for (;;) {
    DWORD timeout = INFINITE;
    {
      port::MutexLock lock(mu_);
      if (state_ != State::kRunning) return;
      timeout = pump_timeout(Clock::now());
    }
    LINEMESSAGE m{};
    const LONG rc = api_->get_message(happ_, &m, timeout);
    // A time-out is LINEERR_OPERATIONFAILED; anything else but success means
    // the application handle is gone (lineShutdown).
    if (rc != 0 && rc != LINEERR_OPERATIONFAILED) return;
    Actions after;
    try {
      port::MutexLock lock(mu_);
      if (rc == 0) handle_message(m, after);
      const auto now = Clock::now();
      expire_background(now);
      prune_orphans(now);
    } catch (const std::bad_alloc&) {
      // Out of memory for one message: it is dropped, the pump goes on.
    }
    for (auto& action : after) {
      try {
        action();
      } catch (const std::bad_alloc&) {
      }
    }
  }
}

void Engine::on_reply(LONG id, LONG result) {
  const auto it = requests_.find(id);
  if (it == requests_.end()) {
    // Not recorded yet: the issuing thread has not got the id back.
    if (parked_.size() >= kMaxParked) parked_.erase(parked_.begin());
    parked_[id] = result;
    return;
  }
  const auto pending = it->second;
  requests_.erase(it);  // a late reply for an abandoned request frees its buffer here
  pending->done = true;
  pending->result = result;
  run_hook(*pending, result);
  cv_.notify_all();
}

void Engine::expire_background(Clock::time_point now) {
  for (const auto& [id, pending] : requests_) {
    if (pending->background && pending->hook && pending->deadline <= now) {
      pending->abandoned = true;
      run_hook(*pending, kTimedOut);  // stays recorded for its buffer
    }
  }
}

}  // namespace opentapi::tapi3
