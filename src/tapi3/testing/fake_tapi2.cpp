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
// names) into `list`, honouring its dwTotalSize (tapi2-agent.md §1.4).
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
        // (tapi2-agent.md §1.3): the layer must park it.
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
  return fail(LINEERR_OPERATIONUNAVAIL);
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

LONG FakeTapi2::close(HLINE) { return 0; }

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
