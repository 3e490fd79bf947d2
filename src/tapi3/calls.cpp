// CallTable: call records, the call messages of TAPI 2, registrations and
// their line opens, Connect (calls.h, docs/calls.md, docs/porting.md "Calls").
#include "tapi3/calls.h"

#include <algorithm>

#include "layout/var_struct.h"
#include "tapi3/objects.h"

namespace opentapi::tapi3 {
namespace {

// Parked call messages kept at most (the oldest go first).
constexpr std::size_t kMaxParked = 1024;
// Largest LINECALLINFO accepted from a retry on dwNeededSize.
constexpr DWORD kMaxCallInfo = 1u << 20;

void run_quietly(const std::function<void()>& action) {
  try {
    action();
  } catch (...) {
    // Out of memory for one event or one cleanup: that one is lost.
  }
}

}  // namespace

// ---- Messages ------------------------------------------------------------------------------

bool CallTable::handle_locked(const LINEMESSAGE& m, Actions& after) {
  engine_.mu().assert_held();  // the caller holds it through another path to the engine
  const auto now = Clock::now();
  while (!parked_.empty() && (claimants_ == 0 || now - parked_.front().seen > engine_.options().orphan_ttl)) {
    parked_.pop_front();
  }
  if (!dispatch_locked(m)) return false;
  after.push_back([this] { drain(); });
  return true;
}

bool CallTable::dispatch_locked(const LINEMESSAGE& m) {
  const auto p1 = static_cast<DWORD>(m.dwParam1);
  const auto p2 = static_cast<DWORD>(m.dwParam2);
  const auto p3 = static_cast<DWORD>(m.dwParam3);
  switch (m.dwMessageID) {
    case LINE_APPNEWCALL: {
      const auto line = static_cast<HLINE>(m.hDevice);
      const bool known = std::any_of(opens_.begin(), opens_.end(), [&](const CallOpen& o) { return o.line == line; });
      if (!known) {
        park_locked(m);  // an open whose lineOpen has not returned yet
        return true;
      }
      on_new_call_locked(line, p1, static_cast<HCALL>(p2), p3);
      return true;
    }
    case LINE_CALLSTATE:
    case LINE_CALLINFO: {
      const auto it = by_handle_.find(static_cast<HCALL>(m.hDevice));
      if (it == by_handle_.end()) {
        park_locked(m);  // a Connect whose LINE_REPLY has not been matched yet
        return true;
      }
      const auto rec = it->second;
      if (m.dwMessageID == LINE_CALLSTATE) {
        on_call_state_locked(rec, p1, p2, p3);
      } else {
        on_call_info_locked(rec, p1);
      }
      return true;
    }
    default:
      return false;
  }
}

void CallTable::park_locked(const LINEMESSAGE& m) {
  if (claimants_ == 0) return;  // nobody can claim it: a handle already given back
  if (parked_.size() >= kMaxParked) parked_.pop_front();
  parked_.push_back({Clock::now(), m});
}

void CallTable::replay_parked_locked() {
  std::deque<Parked> parked;
  parked.swap(parked_);
  for (const auto& p : parked) dispatch_locked(p.message);  // what is still unclaimed parks again
}

void CallTable::on_new_call_locked(HLINE line, DWORD address_id, HCALL handle, DWORD privilege) {
  if (handle == 0 || by_handle_.count(handle) != 0) return;
  const auto open = std::find_if(opens_.begin(), opens_.end(), [&](const CallOpen& o) { return o.line == line; });
  auto address = engine_.address_at(open->device, address_id);
  if (!address) address = engine_.address_for_device(open->device);
  auto rec = std::make_shared<CallRecord>();
  rec->address = address;
  rec->line = line;
  rec->handle = handle;
  rec->privilege = privilege_from_line(privilege).value_or(CP_MONITOR);
  const Registration* registration = registration_for_locked(line, address.get());
  if (registration != nullptr) rec->callback_instance = registration->callback_instance;
  calls_.push_back(rec);
  by_handle_[handle] = rec;
  if (!address) {
    clean_locked(rec);  // an address this object does not know: give the handle back
    return;
  }
  // docs/porting.md "Calls": a call on an address nobody registered for (the
  // open serves another address of the line) is kept but not announced.
  const CALL_NOTIFICATION_EVENT code = rec->privilege == CP_OWNER ? CNE_OWNER : CNE_MONITOR;
  if (registration != nullptr && wanted_locked(*rec, TE_CALLNOTIFICATION, code)) {
    post_locked(rec, TE_CALLNOTIFICATION, code);
  }
}

void CallTable::on_call_state_locked(const std::shared_ptr<CallRecord>& rec, DWORD state, DWORD detail,
                                     DWORD privilege) {
  rec->line_state = state;
  if (const auto p = privilege_from_line(privilege)) rec->privilege = *p;
  rec->info.invalidate();
  bool posted = false;
  if (const auto change = call_state_from_line(state, detail); change && change->state != rec->state) {
    rec->state = change->state;
    rec->cause = change->cause;
    state_cv_.notify_all();
    if (wanted_locked(*rec, TE_CALLSTATE, change->state)) {
      post_locked(rec, TE_CALLSTATE, change->state, change->cause);
      posted = true;  // the event's object cleans up when it is released
    }
  }
  if (!posted && !has_wrapper(*rec)) clean_locked(rec);
}

void CallTable::on_call_info_locked(const std::shared_ptr<CallRecord>& rec, DWORD bits) {
  rec->info.invalidate();
  for (const CALLINFOCHANGE_CAUSE cause : info_change_causes(bits)) {
    if (wanted_locked(*rec, TE_CALLINFOCHANGE, cause)) post_locked(rec, TE_CALLINFOCHANGE, cause);
  }
}

void CallTable::on_line_closed_locked(HLINE line, Actions& after) {
  engine_.mu().assert_held();  // the caller holds it through another path to the engine
  for (auto& open : opens_) {
    if (open.line == line) open.line = 0;  // the server closed it: nothing to close any more
  }
  end_calls_of_line_locked(line);
  after.push_back([this] { drain(); });
}

void CallTable::end_calls_of_line_locked(HLINE line) {
  // Closing a line deallocates the handles on it (docs/calls.md "Privileges,
  // handles and messages"): the calls are over for this object.
  const auto calls = calls_;
  for (const auto& rec : calls) {
    if (rec->line != line || rec->handle == 0) continue;
    by_handle_.erase(rec->handle);
    rec->handle = 0;
    rec->line_state = LINECALLSTATE_IDLE;
    bool posted = false;
    if (rec->state != CS_DISCONNECTED) {
      rec->state = CS_DISCONNECTED;
      rec->cause = CEC_DISCONNECT_FAILED;
      state_cv_.notify_all();
      if (wanted_locked(*rec, TE_CALLSTATE, CS_DISCONNECTED)) {
        post_locked(rec, TE_CALLSTATE, CS_DISCONNECTED, CEC_DISCONNECT_FAILED);
        posted = true;
      }
    }
    if (!posted && !has_wrapper(*rec)) forget_locked(rec);
  }
}

void CallTable::wake_all() { state_cv_.notify_all(); }

// ---- Events and deferred work ------------------------------------------------------------

void CallTable::post_locked(const std::shared_ptr<CallRecord>& rec, TAPI_EVENT kind, LONG code,
                            CALL_STATE_EVENT_CAUSE cause) {
  const LONG instance = rec->callback_instance;
  work_.push_back([this, rec, kind, code, cause, instance] {
    Call* call = object(rec);
    ITCallInfo* info = static_cast<ITCallInfo*>(call);
    IDispatch* event = nullptr;
    switch (kind) {
      case TE_CALLNOTIFICATION:
        event = make_call_notification_event(info, static_cast<CALL_NOTIFICATION_EVENT>(code), instance);
        break;
      case TE_CALLSTATE:
        event = make_call_state_event(info, static_cast<CALL_STATE>(code), cause, instance);
        break;
      default:
        event = make_call_info_change_event(info, static_cast<CALLINFOCHANGE_CAUSE>(code), instance);
        break;
    }
    std::vector<EventRef> events;
    try {
      events.reserve(1);
    } catch (...) {
      event->Release();
      throw;
    }
    events.emplace_back(kind, event);
    engine_.dispatcher().post(std::move(events));
  });
}

void CallTable::drain() {
  port::MutexLock lock(engine_.mu());
  if (draining_) return;
  draining_ = true;
  while (!work_.empty()) {
    auto action = std::move(work_.front());
    work_.pop_front();
    lock.unlock();
    run_quietly(action);
    action = nullptr;  // its references (a Call among them) go without the lock
    lock.lock();
  }
  draining_ = false;
}

// ---- Objects and cleanup -----------------------------------------------------------------

Call* CallTable::object(const std::shared_ptr<CallRecord>& rec) {
  std::lock_guard lock(identity_mu_);
  if (rec->wrapper != nullptr && rec->wrapper->try_add_ref()) return rec->wrapper;
  auto* call = new Call(engine_.shared_from_this(), rec);
  rec->wrapper = call;
  return call;
}

bool CallTable::has_wrapper(const CallRecord& rec) {
  std::lock_guard lock(identity_mu_);
  return rec.wrapper != nullptr;
}

void CallTable::released(const std::shared_ptr<CallRecord>& rec) {
  {
    port::MutexLock lock(engine_.mu());
    if (has_wrapper(*rec)) return;  // a new object took over meanwhile
    clean_locked(rec);
  }
  drain();
}

void CallTable::clean_locked(const std::shared_ptr<CallRecord>& rec) {
  if (rec->forgotten) return;
  if (rec->handle == 0) {
    if (!rec->connecting) forget_locked(rec);
    return;
  }
  if (!engine_.running()) {
    forget_locked(rec);  // lineShutdown gave every handle back
    return;
  }
  const HCALL handle = rec->handle;
  const bool idle = rec->line_state == LINECALLSTATE_IDLE;
  if (idle || (rec->state == CS_DISCONNECTED && rec->privilege == CP_MONITOR)) {
    forget_locked(rec);
    work_.push_back([this, handle] { engine_.api().deallocate_call(handle); });
    return;
  }
  if (rec->state == CS_DISCONNECTED && !rec->drop_requested) {
    // The last owner of a call that is not IDLE cannot deallocate it: drop
    // first; the IDLE that follows deallocates.
    rec->drop_requested = true;
    work_.push_back([this, handle] {
      Engine::Ticket ticket = engine_.issue(nullptr, [&] { return engine_.api().drop(handle); });
      (void)ticket;  // nobody waits; the reply is matched and discarded
    });
  }
  // A live call stays: EnumerateCalls gives it back.
}

void CallTable::forget_locked(const std::shared_ptr<CallRecord>& rec) {
  rec->forgotten = true;
  if (rec->handle != 0) by_handle_.erase(rec->handle);
  rec->handle = 0;
  calls_.erase(std::remove(calls_.begin(), calls_.end(), rec), calls_.end());
}

bool CallTable::wanted_locked(const CallRecord& rec, TAPI_EVENT kind, LONG sub) const {
  engine_.mu().assert_held();  // the caller holds it through another path to the engine
  if (!engine_.wants(kind)) return false;
  const auto it = rec.event_filter.find({static_cast<LONG>(kind), sub});
  return it == rec.event_filter.end() || it->second;
}

const Registration* CallTable::registration_for_locked(HLINE line, const AddressRecord* address) const {
  for (const auto& [id, r] : registrations_) {
    if (r.line == line && r.address.get() == address) return &r;
  }
  return nullptr;
}

// ---- Calls ---------------------------------------------------------------------------------

HRESULT CallTable::create_call(const std::shared_ptr<AddressRecord>& address, OutgoingParams params,
                               ITBasicCallControl** out) {
  auto rec = std::make_shared<CallRecord>();
  rec->address = address;
  rec->params = std::move(params);
  rec->privilege = CP_OWNER;  // the placing application owns its call (docs/calls.md)
  {
    port::MutexLock lock(engine_.mu());
    if (!engine_.running()) return TAPI_E_NOT_INITIALIZED;
    rec->line = engine_.address_line(*address);
    calls_.push_back(rec);
  }
  Call* call = nullptr;
  try {
    call = object(rec);
  } catch (...) {
    port::MutexLock lock(engine_.mu());
    forget_locked(rec);
    throw;
  }
  *out = static_cast<ITBasicCallControl*>(call);
  return S_OK;
}

std::vector<std::shared_ptr<CallRecord>> CallTable::calls_of(const AddressRecord& address) {
  std::vector<std::shared_ptr<CallRecord>> out;
  port::MutexLock lock(engine_.mu());
  for (const auto& rec : calls_) {
    if (rec->address.get() == &address) out.push_back(rec);
  }
  return out;
}

void CallTable::adopt_handle_locked(const std::shared_ptr<CallRecord>& rec, HCALL handle) {
  rec->handle = handle;
  if (rec->forgotten) {
    // Released before the reply: the call goes on without an object; give the handle back when it ends.
    rec->forgotten = false;
    calls_.push_back(rec);
  }
  by_handle_[handle] = rec;
  replay_parked_locked();
}

HRESULT CallTable::connect(const std::shared_ptr<CallRecord>& rec, bool sync) {
  struct Request {
    HCALL handle = 0;
    std::wstring destination;
    bool has_destination = false;
    DWORD country_code = 0;
    std::vector<unsigned char> params;
  };
  auto request = std::make_shared<Request>();
  HLINE line = 0;
  {
    port::MutexLock lock(engine_.mu());
    if (!engine_.running()) return TAPI_E_NOT_INITIALIZED;
    // ITBasicCallControl::Connect: "Call state must be CS_IDLE".
    if (rec->state != CS_IDLE || rec->handle != 0 || rec->connecting || rec->forgotten) return TAPI_E_INVALCALLSTATE;
    line = engine_.address_line(*rec->address);
    if (line == 0) return TAPI_E_INVALCALLSTATE;  // the address's line is closed
    const OutgoingParams& p = rec->params;
    request->destination = p.destination;
    request->has_destination = p.has_destination;
    request->country_code = p.country_code;
    MakeCallParams params;
    params.bearer_mode = p.bearer_mode;
    params.media_mode = line_media_from_types(p.media_types) & ~static_cast<DWORD>(LINEMEDIAMODE_AUTOMATEDVOICE);
    if (params.media_mode == 0) params.media_mode = line_media_from_types(p.media_types);
    params.call_param_flags = p.call_param_flags;
    params.min_rate = p.min_rate;
    params.max_rate = p.max_rate;
    params.address_id = rec->address->address_id;
    params.calling_party_id = p.calling_party_id;
    params.comment = p.comment;
    params.displayable_address = p.displayable_address;
    params.called_party = p.called_party;
    params.user_user_info = p.user_user_info;
    params.call_data = p.call_data;
    request->params = build_call_params(params);
    rec->connecting = true;
    rec->line = line;
    ++claimants_;
  }
  const HRESULT hr = engine_.request(
      request,
      [&] {
        return engine_.api().make_call(
            line, &request->handle, request->has_destination ? request->destination.c_str() : nullptr,
            request->country_code, reinterpret_cast<const LINECALLPARAMS*>(request->params.data()));
      },
      [this, rec, raw = request.get()](LONG result) {
        engine_.mu().assert_held();  // replies run with the lock held (engine.h)
        rec->connecting = false;
        --claimants_;
        if (result == 0 && raw->handle != 0) adopt_handle_locked(rec, raw->handle);
      });
  drain();  // what arrived for the new handle before the reply
  if (FAILED(hr)) {
    port::MutexLock lock(engine_.mu());
    // No reply yet (time-out, Shutdown): a late one still adopts the handle.
    if (hr != TAPI_E_TIMEOUT && rec->connecting) {
      rec->connecting = false;
      --claimants_;
    }
    return call_control_hresult(hr);
  }
  if (!sync) return S_OK;
  port::MutexLock lock(engine_.mu());
  state_cv_.wait(lock.native(), [&] {
    engine_.mu().assert_held();  // the wait calls this with the lock held
    return !engine_.running() || rec->state == CS_CONNECTED || rec->state == CS_DISCONNECTED;
  });
  if (rec->state == CS_CONNECTED) return S_OK;
  if (rec->state == CS_DISCONNECTED) return connect_failure(rec->cause);
  return TAPI_E_NOT_INITIALIZED;
}

HRESULT CallTable::call_info(const std::shared_ptr<CallRecord>& rec,
                             std::shared_ptr<const std::vector<unsigned char>>* out) {
  HCALL handle = 0;
  std::uint64_t generation = 0;
  {
    port::MutexLock lock(engine_.mu());
    if (!engine_.running()) return TAPI_E_NOT_INITIALIZED;
    if (rec->handle == 0) {
      if (!rec->info.value) return TAPI_E_INVALCALLSTATE;
      *out = rec->info.value;  // the call is over: what was last known
      return S_OK;
    }
    if (rec->info.valid && Clock::now() - rec->info.fetched <= engine_.options().stats_ttl) {
      *out = rec->info.value;
      return S_OK;
    }
    handle = rec->handle;
    generation = rec->info.generation;
  }
  DWORD size = 2048;
  std::shared_ptr<std::vector<unsigned char>> buffer;
  for (int attempt = 0;; ++attempt) {
    buffer = std::make_shared<std::vector<unsigned char>>(size);
    layout::encode_fixed32(buffer->data(), size);  // dwTotalSize
    const LONG rc = engine_.api().get_call_info(handle, reinterpret_cast<LINECALLINFO*>(buffer->data()));
    if (rc != 0) return call_control_hresult(rc);
    const std::uint32_t needed = layout::read_header(buffer->data()).needed_size;
    if (needed <= size || needed > kMaxCallInfo || attempt == 3) break;
    size = needed;
  }
  std::shared_ptr<const std::vector<unsigned char>> result = buffer;
  port::MutexLock lock(engine_.mu());
  if (rec->info.generation == generation) {
    rec->info.value = result;
    rec->info.fetched = Clock::now();
    rec->info.valid = true;
  }
  *out = std::move(result);
  return S_OK;
}

// ---- Registrations ---------------------------------------------------------------------------

HRESULT CallTable::register_notifications(const std::shared_ptr<AddressRecord>& address, bool owner, bool monitor,
                                          LONG media_types, LONG callback_instance, LONG* id) {
  std::lock_guard registering(registration_mu_);
  const DWORD privileges = (owner ? LINECALLPRIVILEGE_OWNER : 0) | (monitor ? LINECALLPRIVILEGE_MONITOR : 0);
  // lineOpen reads the media modes only with OWNER; a monitor-only open
  // shares whatever its media types.
  const DWORD media_modes = owner ? line_media_from_types(media_types) : 0;
  HLINE line = 0;
  DWORD version = 0;
  HLINEAPP app = 0;
  {
    port::MutexLock lock(engine_.mu());
    if (!engine_.running()) return TAPI_E_NOT_INITIALIZED;
    for (const auto& open : opens_) {
      if (open.line != 0 && open.device == address->device && open.privileges == privileges &&
          open.media_modes == media_modes) {
        line = open.line;
      }
    }
    version = engine_.line_version(address->device);
    app = engine_.app();
    if (line == 0) ++claimants_;  // LINE_APPNEWCALL may overtake lineOpen's return
  }
  bool fresh = false;
  if (line == 0) {
    HLINE opened = 0;
    const LONG rc = version == 0 ? static_cast<LONG>(LINEERR_NODEVICE)
                                 : engine_.api().open_for_calls(app, address->device, &opened, version, address->device,
                                                                privileges, media_modes);
    if (rc != 0) {
      port::MutexLock lock(engine_.mu());
      --claimants_;
      if (rc == static_cast<LONG>(LINEERR_INVALMEDIAMODE)) return TAPI_E_INVALIDMEDIATYPE;
      return tapi_map_lineerr(rc);
    }
    line = opened;
    fresh = true;
  }
  port::MutexLock lock(engine_.mu());
  if (fresh) {
    --claimants_;
    if (!engine_.running()) {
      lock.unlock();
      engine_.api().close(line);
      return TAPI_E_NOT_INITIALIZED;
    }
    opens_.push_back({address->device, privileges, media_modes, line, 0});
  }
  auto open = std::find_if(opens_.begin(), opens_.end(), [&](const CallOpen& o) { return o.line == line; });
  ++open->registrations;
  Registration r;
  r.id = next_registration_++;
  r.address = address;
  r.line = line;
  r.privileges = privileges;
  r.callback_instance = callback_instance;
  registrations_[r.id] = r;
  *id = r.id;
  if (fresh) replay_parked_locked();  // calls offered while lineOpen was returning
  lock.unlock();
  drain();
  return S_OK;
}

HRESULT CallTable::unregister_notifications(LONG id) {
  std::lock_guard registering(registration_mu_);
  HLINE to_close = 0;
  {
    port::MutexLock lock(engine_.mu());
    if (!engine_.running()) return TAPI_E_NOT_INITIALIZED;
    const auto it = registrations_.find(id);
    if (it == registrations_.end()) return E_INVALIDARG;
    const HLINE line = it->second.line;
    registrations_.erase(it);
    const auto open = std::find_if(opens_.begin(), opens_.end(), [&](const CallOpen& o) { return o.line == line; });
    if (open != opens_.end() && --open->registrations == 0) {
      to_close = open->line;
      opens_.erase(open);
    }
  }
  if (to_close == 0) return S_OK;
  // docs/porting.md "Calls": the open goes with its last registration; the
  // server deallocates the handles it held.
  engine_.api().close(to_close);
  {
    port::MutexLock lock(engine_.mu());
    end_calls_of_line_locked(to_close);
  }
  drain();
  return S_OK;
}

}  // namespace opentapi::tapi3
