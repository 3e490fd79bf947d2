// Test code, over 800 lines on purpose: one in-memory TAPI 2 behind the
// TAPI 3 seam (tapi2_api.h), every function of the seam in one place, so a
// TAPI 3 test reads the one file that decides what its TAPI 2 calls answer.

#include "tapi3/testing/fake_tapi2.h"

#include <algorithm>
#include <cstring>

#include "core/session_state.h"

namespace opentapi::tapi3::testing {
namespace {

constexpr DWORD kListHeader = 24;

// The proxy's verdict on a requested session state: the core transition table
// (core/session_state.h), the rules the reference ACD applies, not a copy of
// them. 0 and *changed when the request is granted; a stored state that is
// not one state (a test's set_session_info) refuses every request.
LONG judge_session_state(DWORD from, DWORD to, bool* changed) {
  const auto current = core::parse_session_state_value(from);
  const auto requested = core::parse_session_state_value(to);
  if (!current.ok() || !current->has_value() || !requested.ok() || !requested->has_value()) {
    return LINEERR_INVALAGENTSTATE;
  }
  const auto verdict = core::check_session_transition(**current, **requested);
  if (!verdict.ok()) return verdict.status().lineerr();
  *changed = *verdict == core::StateChange::kChanged;
  return 0;
}

// Writes a list (24-byte header, `entries` fixed elements, then the wide
// names) into `list`, honouring its dwTotalSize (docs/reference/tapi2-agent.md §1.4).
template <class Element>
void write_list(void* list, std::vector<Element> entries, const std::vector<std::wstring>& names,
                DWORD Element::*name_size, DWORD Element::*name_offset) {
  auto* base = static_cast<unsigned char*>(list);
  DWORD total = 0;
  std::memcpy(&total, base, sizeof total);
  const DWORD array_bytes = static_cast<DWORD>(entries.size() * sizeof(Element));
  DWORD strings = 0;
  for (const auto& n : names) strings += static_cast<DWORD>((n.size() + 1) * sizeof(wchar_t));
  const DWORD needed = kListHeader + array_bytes + strings;
  DWORD header[6] = {total, needed, kListHeader, 0, 0, 0};
  if (needed <= total) {
    DWORD offset = kListHeader + array_bytes;
    for (std::size_t i = 0; i < entries.size(); ++i) {
      if (name_size != nullptr && i < names.size()) {
        const DWORD bytes = static_cast<DWORD>((names[i].size() + 1) * sizeof(wchar_t));
        std::memcpy(base + offset, names[i].c_str(), bytes);
        entries[i].*name_size = bytes;
        entries[i].*name_offset = offset;
        offset += bytes;
      }
    }
    if (array_bytes != 0) std::memcpy(base + kListHeader, entries.data(), array_bytes);
    header[2] = needed;
    header[3] = static_cast<DWORD>(entries.size());
    header[4] = array_bytes;
    header[5] = entries.empty() ? 0 : kListHeader;
  }
  std::memcpy(base, header, sizeof header);
}

}  // namespace

long& injected_failure_countdown() {
  thread_local long countdown = -1;
  return countdown;
}

FakeTapi2::FakeTapi2() {
  groups_.push_back({kGroupSales, L"Sales", {kQueueSales}});
  groups_.push_back({kGroupSupport, L"Support", {kQueueSupport}});
  queues_[kQueueSales].name = L"Sales queue";
  queues_[kQueueSupport].name = L"Support queue";
  for (auto& [id, q] : queues_) {
    q.info.dwTotalSize = q.info.dwNeededSize = q.info.dwUsedSize = sizeof(LINEQUEUEINFO);
    q.info.dwMeasurementPeriod = 86400;
  }
}

LINEMESSAGE FakeTapi2::message(DWORD id, HLINE line, DWORD p1, DWORD p2, DWORD p3) {
  LINEMESSAGE m{};
  m.hDevice = line;
  m.dwMessageID = id;
  m.dwParam1 = p1;
  m.dwParam2 = p2;
  m.dwParam3 = p3;
  return m;
}

void FakeTapi2::set_policy(const std::string& function, Policy policy) {
  std::lock_guard lock(mu_);
  policies_[function] = policy;
}

void FakeTapi2::push_locked(const LINEMESSAGE& m) {
  queue_.push_back(m);
  cv_.notify_all();
}

void FakeTapi2::post(DWORD id, HLINE line, DWORD p1, DWORD p2, DWORD p3) {
  NoInjectedFailures exempt;
  std::lock_guard lock(mu_);
  if (!shut_) push_locked(message(id, line, p1, p2, p3));
}

bool FakeTapi2::drain(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return shut_ || (queue_.empty() && pump_waiting_); });
}

std::optional<FakeTapi2::Call> FakeTapi2::wait_call(const std::string& function, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  std::optional<Call> found;
  cv_.wait_for(lock, timeout, [&] {
    for (const auto& c : calls_) {
      if (c.function == function && !c.completed) {
        found = c;
        return true;
      }
    }
    return false;
  });
  return found;
}

int FakeTapi2::count(const std::string& function) const {
  std::lock_guard lock(mu_);
  const auto it = counts_.find(function);
  return it == counts_.end() ? 0 : it->second;
}

std::vector<FakeTapi2::Call> FakeTapi2::calls() const {
  std::lock_guard lock(mu_);
  return calls_;
}

bool FakeTapi2::shut_down() const {
  std::lock_guard lock(mu_);
  return shut_;
}

DWORD FakeTapi2::session_state(HAGENTSESSION session) const {
  std::lock_guard lock(mu_);
  const auto it = sessions_.find(session);
  return it == sessions_.end() ? 0 : it->second.info.dwAgentSessionState;
}

void FakeTapi2::set_session_info(HAGENTSESSION session, const LINEAGENTSESSIONINFO& info) {
  std::lock_guard lock(mu_);
  sessions_[session].info = info;
}

void FakeTapi2::set_agent_info(HAGENT agent, const LINEAGENTINFO& info) {
  std::lock_guard lock(mu_);
  agents_[agent].info = info;
}

void FakeTapi2::set_queue_info(DWORD queue, const LINEQUEUEINFO& info) {
  std::lock_guard lock(mu_);
  queues_[queue].info = info;
}

void FakeTapi2::remove_group(const GUID& group) {
  std::lock_guard lock(mu_);
  std::erase_if(groups_, [&](const Group& g) { return IsEqualGUID(g.id, group); });
}

void FakeTapi2::add_group(const GUID& group, const std::wstring& name) {
  std::lock_guard lock(mu_);
  groups_.push_back({group, name, {}});
}

void FakeTapi2::add_queue(const GUID& group, DWORD queue, const std::wstring& name) {
  std::lock_guard lock(mu_);
  for (auto& g : groups_) {
    if (IsEqualGUID(g.id, group)) g.queues.push_back(queue);
  }
  queues_[queue].name = name;
  queues_[queue].info.dwTotalSize = sizeof(LINEQUEUEINFO);
}

// ---- Requests --------------------------------------------------------------------------

LONG FakeTapi2::async_locked(std::unique_lock<std::mutex>& lock, Call call) {
  ++counts_[call.function];
  if (shut_ || !initialized_) return LINEERR_UNINITIALIZED;
  const Policy policy = policies_[call.function];
  if (policy.mode == Mode::kSyncError) return policy.error;
  call.id = next_id_++;
  calls_.push_back(call);
  Call& c = calls_.back();
  const LONG id = c.id;
  switch (policy.mode) {
    case Mode::kReply:
      deliver_locked(c, run_model_locked(c));
      if (reply_overtakes_return) {
        // Let the pump take the LINE_REPLY before the request id is returned
        // (docs/reference/tapi2-agent.md §1.3): the layer must park it.
        cv_.wait_for(lock, std::chrono::seconds(2), [&] { return shut_ || (queue_.empty() && pump_waiting_); });
      }
      break;
    case Mode::kReplyError:
      deliver_locked(c, Outcome{policy.error, {}});
      break;
    default:
      cv_.notify_all();  // wait_call
      break;
  }
  return id;
}

void FakeTapi2::deliver_locked(Call& call, Outcome outcome) {
  call.completed = true;
  if (shut_) return;  // cancelled by lineShutdown: no reply, no writes
  const LINEMESSAGE reply = message(LINE_REPLY, 0, static_cast<DWORD>(call.id), static_cast<DWORD>(outcome.result), 0);
  if (!status_before_reply) push_locked(reply);
  for (const auto& m : outcome.status) push_locked(m);
  if (status_before_reply) push_locked(reply);
}

void FakeTapi2::complete(LONG id) {
  NoInjectedFailures exempt;
  std::lock_guard lock(mu_);
  for (auto& c : calls_) {
    if (c.id == id && !c.completed) {
      if (shut_) {
        c.completed = true;
        return;
      }
      deliver_locked(c, run_model_locked(c));
      return;
    }
  }
}

void FakeTapi2::reply(LONG id, LONG result) {
  NoInjectedFailures exempt;
  std::lock_guard lock(mu_);
  for (auto& c : calls_) {
    if (c.id == id && !c.completed) {
      deliver_locked(c, Outcome{result, {}});
      return;
    }
  }
}

FakeTapi2::Outcome FakeTapi2::run_model_locked(Call& c) {
  Outcome out;
  const auto fail = [&](LONG code) {
    out.result = code;
    return out;
  };
  if (c.function == "get_agent_caps") {
    if (served_devices.count(c.device) == 0) return fail(LINEERR_OPERATIONUNAVAIL);
    auto* caps = static_cast<LINEAGENTCAPS*>(c.output);
    const DWORD total = caps->dwTotalSize;
    const DWORD name_bytes = static_cast<DWORD>((handler_name.size() + 1) * sizeof(wchar_t));
    const DWORD needed = static_cast<DWORD>(sizeof(LINEAGENTCAPS)) + name_bytes;
    std::memset(static_cast<void*>(caps), 0, sizeof(LINEAGENTCAPS));
    caps->dwTotalSize = total;
    caps->dwNeededSize = needed;
    caps->dwUsedSize = sizeof(LINEAGENTCAPS);
    caps->dwCapsVersion = 0x00030001;
    caps->ProxyGUID = proxy_guid;
    if (needed <= total) {
      std::memcpy(reinterpret_cast<unsigned char*>(caps) + sizeof(LINEAGENTCAPS), handler_name.c_str(), name_bytes);
      caps->dwAgentHandlerInfoSize = name_bytes;
      caps->dwAgentHandlerInfoOffset = sizeof(LINEAGENTCAPS);
      caps->dwUsedSize = needed;
    }
    return out;
  }
  if (c.function == "create_agent") {
    const HAGENT h = next_agent_++;
    Agent& a = agents_[h];
    a.id = c.id_text;
    a.pin = c.pin;
    a.info.dwTotalSize = sizeof(LINEAGENTINFO);
    a.info.dwMeasurementPeriod = 86400;
    *static_cast<HAGENT*>(c.output) = h;
    c.handle = h;
    return out;
  }
  if (c.function == "create_agent_session") {
    if (agents_.count(c.handle) == 0) return fail(LINEERR_INVALPARAM);
    const HAGENTSESSION h = next_session_++;
    Session& s = sessions_[h];
    s.agent = c.handle;
    s.group = c.group;
    s.address = c.value;
    s.info.dwTotalSize = sizeof(LINEAGENTSESSIONINFO);
    s.info.dwAgentSessionState = LINEAGENTSESSIONSTATE_NOTREADY;
    s.info.dateSessionStartTime = 45000.5;  // 2023-03-15 12:00 UTC
    *static_cast<HAGENTSESSION*>(c.output) = h;
    out.status.push_back(message(LINE_AGENTSESSIONSTATUS, c.line, h, LINEAGENTSESSIONSTATUS_NEWSESSION, 0));
    return out;
  }
  if (c.function == "set_agent_session_state") {
    const auto it = sessions_.find(c.handle);
    if (it == sessions_.end()) return fail(LINEERR_INVALPARAM);
    bool changed = false;
    if (const LONG rc = judge_session_state(it->second.info.dwAgentSessionState, c.value, &changed)) return fail(rc);
    if (!changed) return out;  // same state: success, no status (docs/core.md)
    it->second.info.dwAgentSessionState = c.value;
    out.status.push_back(message(LINE_AGENTSESSIONSTATUS, c.line, c.handle, LINEAGENTSESSIONSTATUS_STATE, c.value));
    return out;
  }
  if (c.function == "get_agent_session_info") {
    const auto it = sessions_.find(c.handle);
    if (it == sessions_.end()) return fail(LINEERR_INVALPARAM);
    auto* info = static_cast<LINEAGENTSESSIONINFO*>(c.output);
    const DWORD total = info->dwTotalSize;
    *info = it->second.info;
    info->dwTotalSize = total;
    info->dwNeededSize = info->dwUsedSize = sizeof(LINEAGENTSESSIONINFO);
    return out;
  }
  if (c.function == "get_agent_session_list") {
    std::vector<LINEAGENTSESSIONENTRY> entries;
    for (const auto& [h, s] : sessions_) {
      if (s.agent != c.handle || s.info.dwAgentSessionState == LINEAGENTSESSIONSTATE_ENDED) continue;
      LINEAGENTSESSIONENTRY e{};
      e.hAgentSession = h;
      e.hAgent = s.agent;
      e.GroupID = s.group;
      e.dwWorkingAddressID = s.address;
      entries.push_back(e);
    }
    write_list<LINEAGENTSESSIONENTRY>(c.output, entries, {}, nullptr, nullptr);
    return out;
  }
  if (c.function == "get_agent_info") {
    const auto it = agents_.find(c.handle);
    if (it == agents_.end()) return fail(LINEERR_INVALPARAM);
    auto* info = static_cast<LINEAGENTINFO*>(c.output);
    const DWORD total = info->dwTotalSize;
    *info = it->second.info;
    info->dwTotalSize = total;
    info->dwNeededSize = info->dwUsedSize = sizeof(LINEAGENTINFO);
    info->dwAgentState = it->second.state;
    return out;
  }
  if (c.function == "set_agent_state_ex") {
    const auto it = agents_.find(c.handle);
    if (it == agents_.end()) return fail(LINEERR_INVALPARAM);
    if (it->second.state == c.value) return out;
    it->second.state = c.value;
    out.status.push_back(message(LINE_AGENTSTATUSEX, c.line, c.handle, LINEAGENTSTATUSEX_STATE, c.value));
    return out;
  }
  if (c.function == "set_agent_measurement_period") {
    const auto it = agents_.find(c.handle);
    if (it == agents_.end()) return fail(LINEERR_INVALPARAM);
    it->second.info.dwMeasurementPeriod = c.value;
    return out;
  }
  if (c.function == "get_group_list") {
    std::vector<LINEAGENTGROUPENTRY> entries;
    std::vector<std::wstring> names;
    for (const auto& g : groups_) {
      LINEAGENTGROUPENTRY e{};
      std::memcpy(&e.GroupID, &g.id, sizeof(GUID));
      entries.push_back(e);
      names.push_back(g.name);
    }
    write_list<LINEAGENTGROUPENTRY>(c.output, entries, names, &LINEAGENTGROUPENTRY::dwNameSize,
                                    &LINEAGENTGROUPENTRY::dwNameOffset);
    return out;
  }
  if (c.function == "get_queue_list") {
    std::vector<LINEQUEUEENTRY> entries;
    std::vector<std::wstring> names;
    for (const auto& g : groups_) {
      if (!IsEqualGUID(g.id, c.group)) continue;
      for (const DWORD q : g.queues) {
        LINEQUEUEENTRY e{};
        e.dwQueueID = q;
        entries.push_back(e);
        names.push_back(queues_[q].name);
      }
    }
    write_list<LINEQUEUEENTRY>(c.output, entries, names, &LINEQUEUEENTRY::dwNameSize, &LINEQUEUEENTRY::dwNameOffset);
    return out;
  }
  if (c.function == "get_queue_info") {
    const auto it = queues_.find(c.handle);
    if (it == queues_.end()) return fail(LINEERR_INVALPARAM);
    auto* info = static_cast<LINEQUEUEINFO*>(c.output);
    const DWORD total = info->dwTotalSize;
    *info = it->second.info;
    info->dwTotalSize = total;
    info->dwNeededSize = info->dwUsedSize = sizeof(LINEQUEUEINFO);
    return out;
  }
  if (c.function == "set_queue_measurement_period") {
    const auto it = queues_.find(c.handle);
    if (it == queues_.end()) return fail(LINEERR_INVALPARAM);
    it->second.info.dwMeasurementPeriod = c.value;
    return out;
  }
  return run_call_model_locked(c);
}

// ---- The call model --------------------------------------------------------------------

FakeTapi2::Outcome FakeTapi2::run_call_model_locked(Call& c) {
  Outcome out;
  const auto fail = [&](LONG code) {
    out.result = code;
    return out;
  };
  const auto state_message = [&](HCALL h, DWORD state, DWORD detail) {
    out.status.push_back(message(LINE_CALLSTATE, h, state, detail, 0));
  };
  if (c.function == "make_call") {
    const HCALL h = next_call_++;
    FakeCall& call = fake_calls_[h];
    call.line = c.line;
    for (const auto& [device, l] : lines) {
      if (line_of(device) == c.line) call.device = device;
    }
    call.info.called_number = c.id_text.value_or(L"");
    call.info.call_id = h;
    *static_cast<HCALL*>(c.output) = h;
    c.handle = h;
    last_made_call_ = h;
    call.state = LINECALLSTATE_DIALING;
    state_message(h, LINECALLSTATE_DIALING, 0);
    call.state = LINECALLSTATE_PROCEEDING;
    state_message(h, LINECALLSTATE_PROCEEDING, 0);
    return out;
  }
  const auto it = fake_calls_.find(c.handle);
  if (it == fake_calls_.end() || !it->second.allocated) return fail(LINEERR_INVALCALLHANDLE);
  FakeCall& call = it->second;
  if (call.privilege != LINECALLPRIVILEGE_OWNER) return fail(LINEERR_NOTOWNER);
  const auto move = [&](std::initializer_list<DWORD> from, DWORD to) {
    if (std::find(from.begin(), from.end(), call.state) == from.end()) return fail(LINEERR_INVALCALLSTATE);
    call.state = to;
    state_message(c.handle, to, 0);
    return out;
  };
  if (c.function == "answer") return move({LINECALLSTATE_OFFERING, LINECALLSTATE_ACCEPTED}, LINECALLSTATE_CONNECTED);
  if (c.function == "hold") return move({LINECALLSTATE_CONNECTED}, LINECALLSTATE_ONHOLD);
  if (c.function == "unhold") return move({LINECALLSTATE_ONHOLD}, LINECALLSTATE_CONNECTED);
  if (c.function == "blind_transfer") return move({LINECALLSTATE_CONNECTED}, LINECALLSTATE_IDLE);
  if (c.function == "drop") {
    if (call.state == LINECALLSTATE_IDLE) return fail(LINEERR_INVALCALLSTATE);
    call.state = LINECALLSTATE_IDLE;
    state_message(c.handle, LINECALLSTATE_IDLE, 0);
    return out;
  }
  return fail(LINEERR_OPERATIONUNAVAIL);
}

std::vector<HCALL> FakeTapi2::offer_call(DWORD device, DWORD address, const CallInfo& info) {
  NoInjectedFailures exempt;
  std::lock_guard lock(mu_);
  std::vector<HCALL> handles;
  for (const auto& open : call_opens_) {
    if (open.device != device) continue;
    DWORD privilege = 0;
    if ((open.privileges & LINECALLPRIVILEGE_OWNER) != 0 && (open.media_modes & info.media_mode) != 0) {
      privilege = LINECALLPRIVILEGE_OWNER;
    } else if ((open.privileges & LINECALLPRIVILEGE_MONITOR) != 0) {
      privilege = LINECALLPRIVILEGE_MONITOR;
    } else {
      continue;
    }
    const HCALL h = next_call_++;
    FakeCall& call = fake_calls_[h];
    call.line = open.line;
    call.device = device;
    call.address = address;
    call.state = LINECALLSTATE_OFFERING;
    call.privilege = privilege;
    call.info = info;
    if (call.info.call_id == 0) call.info.call_id = h;
    handles.push_back(h);
    if (shut_) continue;
    push_locked(message(LINE_APPNEWCALL, open.line, address, h, privilege));
    push_locked(message(LINE_CALLSTATE, h, LINECALLSTATE_OFFERING, LINEOFFERINGMODE_ACTIVE, privilege));
  }
  return handles;
}

void FakeTapi2::set_call_state(HCALL call, DWORD state, DWORD detail) {
  NoInjectedFailures exempt;
  std::lock_guard lock(mu_);
  fake_calls_[call].state = state;
  if (!shut_) push_locked(message(LINE_CALLSTATE, call, state, detail, 0));
}

void FakeTapi2::set_call_info(HCALL call, const CallInfo& info, DWORD bits) {
  NoInjectedFailures exempt;
  std::lock_guard lock(mu_);
  fake_calls_[call].info = info;
  if (!shut_) push_locked(message(LINE_CALLINFO, call, bits, 0, 0));
}

DWORD FakeTapi2::call_state(HCALL call) const {
  std::lock_guard lock(mu_);
  const auto it = fake_calls_.find(call);
  return it == fake_calls_.end() ? 0 : it->second.state;
}

bool FakeTapi2::call_allocated(HCALL call) const {
  std::lock_guard lock(mu_);
  const auto it = fake_calls_.find(call);
  return it != fake_calls_.end() && it->second.allocated;
}

std::vector<FakeTapi2::CallOpen> FakeTapi2::call_opens() const {
  std::lock_guard lock(mu_);
  return call_opens_;
}

int FakeTapi2::deallocations() const {
  std::lock_guard lock(mu_);
  return deallocations_;
}

HCALL FakeTapi2::last_made_call() const {
  std::lock_guard lock(mu_);
  return last_made_call_;
}

// ---- Tapi2 -----------------------------------------------------------------------------

LONG FakeTapi2::initialize(HLINEAPP* app, DWORD* num_devs, DWORD* api_version) {
  NoInjectedFailures exempt;
  std::lock_guard lock(mu_);
  if (initialize_result != 0) return initialize_result;
  initialized_ = true;
  *app = kApp;
  *num_devs = num_devices;
  *api_version = 0x00030001;
  return 0;
}

LONG FakeTapi2::shutdown(HLINEAPP app) {
  NoInjectedFailures exempt;
  std::lock_guard lock(mu_);
  if (app != kApp || shut_) return LINEERR_INVALAPPHANDLE;
  shut_ = true;
  queue_.clear();
  cv_.notify_all();
  return 0;
}

LONG FakeTapi2::get_message(HLINEAPP app, LINEMESSAGE* message_out, DWORD timeout_ms) {
  NoInjectedFailures exempt;
  std::unique_lock lock(mu_);
  if (app != kApp) return LINEERR_INVALAPPHANDLE;
  pump_waiting_ = true;
  cv_.notify_all();  // drain()
  const auto ready = [&] { return shut_ || !queue_.empty(); };
  if (timeout_ms == INFINITE) {
    cv_.wait(lock, ready);
  } else if (!cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), ready)) {
    pump_waiting_ = false;
    return LINEERR_OPERATIONFAILED;  // time-out
  }
  pump_waiting_ = false;
  if (shut_) return LINEERR_INVALAPPHANDLE;
  *message_out = queue_.front();
  queue_.pop_front();
  return 0;
}

LONG FakeTapi2::negotiate_api_version(HLINEAPP, DWORD device, DWORD, DWORD high, DWORD* version) {
  NoInjectedFailures exempt;
  if (device >= num_devices) return LINEERR_BADDEVICEID;
  *version = high;
  return 0;
}

LONG FakeTapi2::open(HLINEAPP, DWORD device, HLINE* line, DWORD, DWORD_PTR, DWORD) {
  NoInjectedFailures exempt;
  if (device >= num_devices) return LINEERR_BADDEVICEID;
  *line = line_of(device);
  return 0;
}

LONG FakeTapi2::close(HLINE line) {
  NoInjectedFailures exempt;
  std::lock_guard lock(mu_);
  // Closing a line deallocates the application's handles on it (docs/calls.md).
  std::erase_if(call_opens_, [&](const CallOpen& o) { return o.line == line; });
  for (auto& [h, c] : fake_calls_) {
    if (c.line == line) c.allocated = false;
  }
  return 0;
}

LONG FakeTapi2::set_status_messages(HLINE line, DWORD line_states, DWORD) {
  NoInjectedFailures exempt;
  std::lock_guard lock(mu_);
  ++counts_["set_status_messages"];
  if (status_messages_result != 0) return status_messages_result;
  line_states_[line] = line_states;
  return 0;
}

std::optional<DWORD> FakeTapi2::line_states(HLINE line) const {
  std::lock_guard lock(mu_);
  const auto it = line_states_.find(line);
  if (it == line_states_.end()) return std::nullopt;
  return it->second;
}

LONG FakeTapi2::get_proxy_status(HLINEAPP, DWORD device, DWORD, LINEPROXYREQUESTLIST* list) {
  NoInjectedFailures exempt;
  std::lock_guard lock(mu_);
  std::vector<DWORD> types;
  if (served_devices.count(device) != 0) {
    for (DWORD t = 1; t <= LINEPROXYREQUEST_SETAGENTSTATEEX; ++t) types.push_back(t);
  }
  const DWORD bytes = static_cast<DWORD>(types.size() * sizeof(DWORD));
  list->dwNeededSize = kListHeader + bytes;
  if (list->dwNeededSize > list->dwTotalSize) return LINEERR_STRUCTURETOOSMALL;
  list->dwUsedSize = list->dwNeededSize;
  list->dwNumEntries = static_cast<DWORD>(types.size());
  list->dwListSize = bytes;
  list->dwListOffset = kListHeader;
  if (bytes != 0) std::memcpy(reinterpret_cast<unsigned char*>(list) + kListHeader, types.data(), bytes);
  return 0;
}

LONG FakeTapi2::get_agent_caps(HLINEAPP, DWORD device, DWORD address, DWORD, LINEAGENTCAPS* caps) {
  NoInjectedFailures exempt;
  std::unique_lock lock(mu_);
  Call c;
  c.function = "get_agent_caps";
  c.device = device;
  c.value = address;
  c.output = caps;
  return async_locked(lock, c);
}

LONG FakeTapi2::create_agent(HLINE line, LPWSTR id, LPWSTR pin, HAGENT* agent) {
  NoInjectedFailures exempt;
  std::unique_lock lock(mu_);
  Call c;
  c.function = "create_agent";
  c.line = line;
  if (id != nullptr) c.id_text = id;
  if (pin != nullptr) c.pin = pin;
  c.output = agent;
  return async_locked(lock, c);
}

LONG FakeTapi2::create_agent_session(HLINE line, HAGENT agent, LPWSTR pin, DWORD address, GUID* group,
                                     HAGENTSESSION* session) {
  NoInjectedFailures exempt;
  std::unique_lock lock(mu_);
  Call c;
  c.function = "create_agent_session";
  c.line = line;
  c.handle = agent;
  c.value = address;
  c.group = *group;
  if (pin != nullptr) c.pin = pin;
  c.output = session;
  return async_locked(lock, c);
}

LONG FakeTapi2::set_agent_session_state(HLINE line, HAGENTSESSION session, DWORD state, DWORD) {
  NoInjectedFailures exempt;
  std::unique_lock lock(mu_);
  Call c;
  c.function = "set_agent_session_state";
  c.line = line;
  c.handle = session;
  c.value = state;
  return async_locked(lock, c);
}

LONG FakeTapi2::get_agent_session_info(HLINE line, HAGENTSESSION session, LINEAGENTSESSIONINFO* info) {
  NoInjectedFailures exempt;
  std::unique_lock lock(mu_);
  Call c;
  c.function = "get_agent_session_info";
  c.line = line;
  c.handle = session;
  c.output = info;
  return async_locked(lock, c);
}

LONG FakeTapi2::get_agent_session_list(HLINE line, HAGENT agent, LINEAGENTSESSIONLIST* list) {
  NoInjectedFailures exempt;
  std::unique_lock lock(mu_);
  Call c;
  c.function = "get_agent_session_list";
  c.line = line;
  c.handle = agent;
  c.output = list;
  return async_locked(lock, c);
}

LONG FakeTapi2::get_agent_info(HLINE line, HAGENT agent, LINEAGENTINFO* info) {
  NoInjectedFailures exempt;
  std::unique_lock lock(mu_);
  Call c;
  c.function = "get_agent_info";
  c.line = line;
  c.handle = agent;
  c.output = info;
  return async_locked(lock, c);
}

LONG FakeTapi2::set_agent_state_ex(HLINE line, HAGENT agent, DWORD state, DWORD) {
  NoInjectedFailures exempt;
  std::unique_lock lock(mu_);
  Call c;
  c.function = "set_agent_state_ex";
  c.line = line;
  c.handle = agent;
  c.value = state;
  return async_locked(lock, c);
}

LONG FakeTapi2::set_agent_measurement_period(HLINE line, HAGENT agent, DWORD period) {
  NoInjectedFailures exempt;
  std::unique_lock lock(mu_);
  Call c;
  c.function = "set_agent_measurement_period";
  c.line = line;
  c.handle = agent;
  c.value = period;
  return async_locked(lock, c);
}

LONG FakeTapi2::get_group_list(HLINE line, LINEAGENTGROUPLIST* list) {
  NoInjectedFailures exempt;
  std::unique_lock lock(mu_);
  Call c;
  c.function = "get_group_list";
  c.line = line;
  c.output = list;
  return async_locked(lock, c);
}

LONG FakeTapi2::get_queue_info(HLINE line, DWORD queue, LINEQUEUEINFO* info) {
  NoInjectedFailures exempt;
  std::unique_lock lock(mu_);
  Call c;
  c.function = "get_queue_info";
  c.line = line;
  c.handle = queue;
  c.output = info;
  return async_locked(lock, c);
}

LONG FakeTapi2::get_queue_list(HLINE line, GUID* group, LINEQUEUELIST* list) {
  NoInjectedFailures exempt;
  std::unique_lock lock(mu_);
  Call c;
  c.function = "get_queue_list";
  c.line = line;
  c.group = *group;
  c.output = list;
  return async_locked(lock, c);
}

LONG FakeTapi2::set_queue_measurement_period(HLINE line, DWORD queue, DWORD period) {
  NoInjectedFailures exempt;
  std::unique_lock lock(mu_);
  Call c;
  c.function = "set_queue_measurement_period";
  c.line = line;
  c.handle = queue;
  c.value = period;
  return async_locked(lock, c);
}

// ---- Tapi2: calls ------------------------------------------------------------------------

namespace {

// Appends a W string to a variable-size structure being built in `buffer`
// (whose fixed part is `fixed` bytes), if it fits in `total`.
void put_string(std::vector<unsigned char>& buffer, const std::wstring& s, DWORD* size, DWORD* offset) {
  if (s.empty()) return;
  const DWORD bytes = static_cast<DWORD>((s.size() + 1) * sizeof(wchar_t));
  *offset = static_cast<DWORD>(buffer.size());
  *size = bytes;
  buffer.resize(buffer.size() + bytes);
  std::memcpy(buffer.data() + *offset, s.c_str(), bytes);
}

// Copies `built` (dwNeededSize = its size) into the caller's structure as
// far as dwTotalSize allows: the whole of it, or the fixed part with the
// variable part left out (TAPI 2's rule for a structure too small).
template <class T>
LONG deliver_struct(T* out, std::vector<unsigned char> built) {
  const DWORD total = out->dwTotalSize;
  if (total < sizeof(T)) return LINEERR_STRUCTURETOOSMALL;
  auto* t = reinterpret_cast<T*>(built.data());
  t->dwTotalSize = total;
  t->dwNeededSize = static_cast<DWORD>(built.size());
  if (built.size() <= total) {
    t->dwUsedSize = static_cast<DWORD>(built.size());
    std::memcpy(static_cast<void*>(out), built.data(), built.size());
    return 0;
  }
  T fixed{};
  fixed.dwTotalSize = total;
  fixed.dwNeededSize = t->dwNeededSize;
  fixed.dwUsedSize = sizeof(T);
  std::memcpy(static_cast<void*>(out), &fixed, sizeof(T));
  return 0;
}

}  // namespace

LONG FakeTapi2::open_for_calls(HLINEAPP, DWORD device, HLINE* line, DWORD, DWORD_PTR, DWORD privileges,
                               DWORD media_modes) {
  NoInjectedFailures exempt;
  std::unique_lock lock(mu_);
  ++counts_["open_for_calls"];
  if (open_for_calls_result != 0) return open_for_calls_result;
  if (device >= num_devices) return LINEERR_BADDEVICEID;
  if ((privileges & LINECALLPRIVILEGE_OWNER) != 0 && media_modes == 0) return LINEERR_INVALMEDIAMODE;
  CallOpen open;
  open.line = next_call_line_++;
  open.device = device;
  open.privileges = privileges;
  open.media_modes = media_modes;
  call_opens_.push_back(open);
  *line = open.line;
  if (offer_during_open && !shut_) {
    const HCALL h = next_call_++;
    FakeCall& call = fake_calls_[h];
    call.line = open.line;
    call.device = device;
    call.state = LINECALLSTATE_OFFERING;
    call.info.call_id = h;
    push_locked(message(LINE_APPNEWCALL, open.line, 0, h, LINECALLPRIVILEGE_OWNER));
    push_locked(message(LINE_CALLSTATE, h, LINECALLSTATE_OFFERING, LINEOFFERINGMODE_ACTIVE, LINECALLPRIVILEGE_OWNER));
    // The pump takes them before lineOpen returns.
    cv_.wait_for(lock, std::chrono::seconds(2), [&] { return shut_ || (queue_.empty() && pump_waiting_); });
  }
  return 0;
}

LONG FakeTapi2::get_dev_caps(HLINEAPP, DWORD device, DWORD, LINEDEVCAPS* caps) {
  NoInjectedFailures exempt;
  std::lock_guard lock(mu_);
  ++counts_["get_dev_caps"];
  const auto it = lines.find(device);
  if (it == lines.end()) return LINEERR_OPERATIONUNAVAIL;
  std::vector<unsigned char> b(sizeof(LINEDEVCAPS));
  LINEDEVCAPS d{};
  d.dwPermanentLineID = device + 1;
  d.dwStringFormat = STRINGFORMAT_UNICODE;
  d.dwAddressModes = LINEADDRESSMODE_ADDRESSID;
  d.dwNumAddresses = static_cast<DWORD>(it->second.numbers.size());
  d.dwBearerModes = LINEBEARERMODE_VOICE;
  d.dwMediaModes = it->second.media_modes;
  d.dwMaxNumActiveCalls = 1;
  d.dwAnswerMode = LINEANSWERMODE_NONE;
  d.dwLineFeatures = LINEFEATURE_MAKECALL;
  d.dwAddressTypes = it->second.address_types;
  d.PermanentLineGuid = {0xC0FFEE00u + device, 1, 2, {3, 4, 5, 6, 7, 8, 9, 10}};
  std::memcpy(b.data(), &d, sizeof d);
  DWORD size = 0, offset = 0;
  put_string(b, it->second.name, &size, &offset);
  reinterpret_cast<LINEDEVCAPS*>(b.data())->dwLineNameSize = size;
  reinterpret_cast<LINEDEVCAPS*>(b.data())->dwLineNameOffset = offset;
  const std::wstring classes(L"tapi/line\0tapi/phone\0", 21);
  const DWORD classes_offset = static_cast<DWORD>(b.size());
  b.resize(b.size() + (classes.size() + 1) * sizeof(wchar_t));
  std::memcpy(b.data() + classes_offset, classes.c_str(), (classes.size() + 1) * sizeof(wchar_t));
  reinterpret_cast<LINEDEVCAPS*>(b.data())->dwDeviceClassesSize =
      static_cast<DWORD>((classes.size() + 1) * sizeof(wchar_t));
  reinterpret_cast<LINEDEVCAPS*>(b.data())->dwDeviceClassesOffset = classes_offset;
  return deliver_struct(caps, std::move(b));
}

LONG FakeTapi2::get_address_caps(HLINEAPP, DWORD device, DWORD address, DWORD, LINEADDRESSCAPS* caps) {
  NoInjectedFailures exempt;
  std::lock_guard lock(mu_);
  ++counts_["get_address_caps"];
  const auto it = lines.find(device);
  if (it == lines.end()) return LINEERR_OPERATIONUNAVAIL;
  if (address >= it->second.numbers.size()) return LINEERR_INVALADDRESSID;
  std::vector<unsigned char> b(sizeof(LINEADDRESSCAPS));
  LINEADDRESSCAPS a{};
  a.dwLineDeviceID = device;
  a.dwCallerIDFlags = LINECALLPARTYID_ADDRESS | LINECALLPARTYID_NAME | LINECALLPARTYID_UNKNOWN;
  a.dwCalledIDFlags = LINECALLPARTYID_ADDRESS | LINECALLPARTYID_UNKNOWN;
  a.dwMaxNumActiveCalls = 1;
  a.dwMaxNumOnHoldCalls = 1;
  a.dwCallFeatures = LINECALLFEATURE_ANSWER | LINECALLFEATURE_DROP | LINECALLFEATURE_HOLD | LINECALLFEATURE_UNHOLD |
                     LINECALLFEATURE_BLINDTRANSFER;
  a.dwAddressFeatures = LINEADDRFEATURE_MAKECALL;
  a.dwMaxCallDataSize = 4096;
  std::memcpy(b.data(), &a, sizeof a);
  DWORD size = 0, offset = 0;
  put_string(b, it->second.numbers[address], &size, &offset);
  reinterpret_cast<LINEADDRESSCAPS*>(b.data())->dwAddressSize = size;
  reinterpret_cast<LINEADDRESSCAPS*>(b.data())->dwAddressOffset = offset;
  return deliver_struct(caps, std::move(b));
}

LONG FakeTapi2::get_call_info(HCALL call, LINECALLINFO* info) {
  NoInjectedFailures exempt;
  std::lock_guard lock(mu_);
  ++counts_["get_call_info"];
  const auto it = fake_calls_.find(call);
  if (it == fake_calls_.end() || !it->second.allocated) return LINEERR_INVALCALLHANDLE;
  const FakeCall& c = it->second;
  std::vector<unsigned char> b(sizeof(LINECALLINFO));
  auto field = [&](auto member) -> DWORD& { return reinterpret_cast<LINECALLINFO*>(b.data())->*member; };
  field(&LINECALLINFO::hLine) = c.line;
  field(&LINECALLINFO::dwLineDeviceID) = c.device;
  field(&LINECALLINFO::dwAddressID) = c.address;
  field(&LINECALLINFO::dwBearerMode) = LINEBEARERMODE_VOICE;
  field(&LINECALLINFO::dwMediaMode) = c.info.media_mode;
  field(&LINECALLINFO::dwCallID) = c.info.call_id;
  field(&LINECALLINFO::dwOrigin) = c.info.origin;
  field(&LINECALLINFO::dwReason) = c.info.reason;
  field(&LINECALLINFO::dwNumOwners) = 1;
  field(&LINECALLINFO::dwTrunk) = 0xFFFFFFFFu;
  field(&LINECALLINFO::dwCallerIDAddressType) = LINEADDRESSTYPE_PHONENUMBER;
  field(&LINECALLINFO::dwCalledIDAddressType) = LINEADDRESSTYPE_PHONENUMBER;
  const auto put = [&](const std::wstring& s, DWORD LINECALLINFO::*size, DWORD LINECALLINFO::*offset) {
    DWORD sz = 0, off = 0;
    put_string(b, s, &sz, &off);
    field(size) = sz;
    field(offset) = off;
  };
  put(c.info.caller_number, &LINECALLINFO::dwCallerIDSize, &LINECALLINFO::dwCallerIDOffset);
  put(c.info.caller_name, &LINECALLINFO::dwCallerIDNameSize, &LINECALLINFO::dwCallerIDNameOffset);
  put(c.info.called_number, &LINECALLINFO::dwCalledIDSize, &LINECALLINFO::dwCalledIDOffset);
  put(c.info.called_name, &LINECALLINFO::dwCalledIDNameSize, &LINECALLINFO::dwCalledIDNameOffset);
  put(c.info.redirecting_number, &LINECALLINFO::dwRedirectingIDSize, &LINECALLINFO::dwRedirectingIDOffset);
  field(&LINECALLINFO::dwCallerIDFlags) =
      c.info.caller_number.empty() ? LINECALLPARTYID_UNKNOWN : LINECALLPARTYID_ADDRESS | LINECALLPARTYID_NAME;
  if (!c.info.call_data.empty()) {
    const DWORD offset = static_cast<DWORD>(b.size());
    b.insert(b.end(), c.info.call_data.begin(), c.info.call_data.end());
    field(&LINECALLINFO::dwCallDataSize) = static_cast<DWORD>(c.info.call_data.size());
    field(&LINECALLINFO::dwCallDataOffset) = offset;
  }
  return deliver_struct(info, std::move(b));
}

LONG FakeTapi2::deallocate_call(HCALL call) {
  NoInjectedFailures exempt;
  std::lock_guard lock(mu_);
  ++counts_["deallocate_call"];
  const auto it = fake_calls_.find(call);
  if (it == fake_calls_.end() || !it->second.allocated) return LINEERR_INVALCALLHANDLE;
  // The last owner of a call that is not IDLE cannot deallocate it (docs/calls.md).
  if (it->second.privilege == LINECALLPRIVILEGE_OWNER && it->second.state != LINECALLSTATE_IDLE) {
    return LINEERR_INVALCALLSTATE;
  }
  it->second.allocated = false;
  ++deallocations_;
  return 0;
}

LONG FakeTapi2::call_async_locked(std::unique_lock<std::mutex>& lock, const std::string& function, HCALL call) {
  Call c;
  c.function = function;
  c.handle = call;
  return async_locked(lock, c);
}

LONG FakeTapi2::make_call(HLINE line, HCALL* call, LPCWSTR destination, DWORD, const LINECALLPARAMS* params) {
  NoInjectedFailures exempt;
  std::unique_lock lock(mu_);
  // A destination that is not a dialable number fails at once (docs/calls.md).
  if (destination == nullptr || *destination == L'\0') {
    ++counts_["make_call"];
    return LINEERR_INVALADDRESS;
  }
  Call c;
  c.function = "make_call";
  c.line = line;
  c.id_text = destination;
  c.output = call;
  if (params != nullptr) {
    const auto* p = reinterpret_cast<const unsigned char*>(params);
    c.params.assign(p, p + params->dwTotalSize);
  }
  return async_locked(lock, c);
}

LONG FakeTapi2::answer(HCALL call) {
  NoInjectedFailures exempt;
  std::unique_lock lock(mu_);
  return call_async_locked(lock, "answer", call);
}

LONG FakeTapi2::drop(HCALL call) {
  NoInjectedFailures exempt;
  std::unique_lock lock(mu_);
  return call_async_locked(lock, "drop", call);
}

LONG FakeTapi2::hold(HCALL call) {
  NoInjectedFailures exempt;
  std::unique_lock lock(mu_);
  return call_async_locked(lock, "hold", call);
}

LONG FakeTapi2::unhold(HCALL call) {
  NoInjectedFailures exempt;
  std::unique_lock lock(mu_);
  return call_async_locked(lock, "unhold", call);
}

LONG FakeTapi2::blind_transfer(HCALL call, LPCWSTR destination, DWORD) {
  NoInjectedFailures exempt;
  std::unique_lock lock(mu_);
  if (destination == nullptr || *destination == L'\0') {
    ++counts_["blind_transfer"];
    return LINEERR_INVALADDRESS;
  }
  Call c;
  c.function = "blind_transfer";
  c.handle = call;
  c.id_text = destination;
  return async_locked(lock, c);
}

LONG FakeTapi2::set_app_specific(HCALL call, DWORD app_specific) {
  std::lock_guard lock(mu_);
  ++counts_["set_app_specific"];
  app_specific_calls_.emplace_back(call, app_specific);
  return app_specific_result;
}

std::vector<std::pair<HCALL, DWORD>> FakeTapi2::app_specific_calls() const {
  std::lock_guard lock(mu_);
  return app_specific_calls_;
}

LONG FakeTapi2::set_app_priority(LPCWSTR app_filename, DWORD media_mode, DWORD request_mode, DWORD priority) {
  std::lock_guard lock(mu_);
  ++counts_["set_app_priority"];
  priority_calls_.push_back({app_filename != nullptr ? app_filename : L"", media_mode, request_mode, priority});
  return priority_result;
}

LONG FakeTapi2::register_request_recipient(HLINEAPP app, DWORD instance, DWORD request_mode, DWORD enable) {
  std::lock_guard lock(mu_);
  ++counts_["register_request_recipient"];
  recipient_calls_.push_back({app, instance, request_mode, enable});
  return recipient_result;
}

std::vector<FakeTapi2::PriorityCall> FakeTapi2::priority_calls() const {
  std::lock_guard lock(mu_);
  return priority_calls_;
}

std::vector<FakeTapi2::RecipientCall> FakeTapi2::recipient_calls() const {
  std::lock_guard lock(mu_);
  return recipient_calls_;
}

namespace {
std::mutex g_default_mu;
std::shared_ptr<FakeTapi2> g_default;
}  // namespace

void set_default_fake(std::shared_ptr<FakeTapi2> fake) {
  std::lock_guard lock(g_default_mu);
  g_default = std::move(fake);
}

}  // namespace opentapi::tapi3::testing

namespace opentapi::tapi3 {

std::shared_ptr<Tapi2> make_default_tapi2() {
  std::lock_guard lock(testing::g_default_mu);
  if (testing::g_default) return testing::g_default;
  return std::make_shared<testing::FakeTapi2>();
}

}  // namespace opentapi::tapi3
