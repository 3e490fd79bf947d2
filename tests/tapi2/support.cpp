#include "support.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <cwchar>

namespace tapi2_test {

const Group kGroups[3] = {
    {{0x11111111, 0x1111, 0x1111, {1, 1, 1, 1, 1, 1, 1, 1}}, {"Sales", L"Sales"}},
    {{0x22222222, 0x2222, 0x2222, {2, 2, 2, 2, 2, 2, 2, 2}}, {"Support Zo\xC3\xAB", L"Support Zo\u00EB"}},
    {{0x33333333, 0x3333, 0x3333, {3, 3, 3, 3, 3, 3, 3, 3}}, {"QA", L"QA"}},
};
const Named kQueues[2] = {{1, {"Hotline", L"Hotline"}}, {2, {"Back office \xE2\x82\xAC", L"Back office \u20AC"}}};
const Named kActivities[2] = {{10, {"Lunch", L"Lunch"}}, {11, {"Training", L"Training"}}};
const Text kHandlerInfo = {"opentapi test proxy", L"opentapi test proxy"};
const GUID kProxyGuid = {0xACD0ACD0, 0xACD0, 0xACD0, {9, 8, 7, 6, 5, 4, 3, 2}};
const LINEEXTENSIONID kExtensionId = {0xE0, 0xE1, 0xE2, 0xE3};

namespace {

std::string binary_path(const char* variable, const char* fallback) {
  const char* value = std::getenv(variable);
  return value != nullptr && *value != '\0' ? value : fallback;
}

void set32(void* base, std::size_t pos, DWORD v) { std::memcpy(static_cast<unsigned char*>(base) + pos, &v, 4); }
DWORD get32(const void* base, std::size_t pos) {
  DWORD v;
  std::memcpy(&v, static_cast<const unsigned char*>(base) + pos, 4);
  return v;
}

std::vector<unsigned char> text_bytes(const Text& t, bool wide) {
  if (!wide) return std::vector<unsigned char>(t.a, t.a + std::strlen(t.a) + 1);
  const auto* p = reinterpret_cast<const unsigned char*>(t.w);
  return std::vector<unsigned char>(p, p + 4 * (std::wcslen(t.w) + 1));
}

// Fills the variable part of a structure the way §1.4 asks a filler to:
// right after the fixed part, contiguous, skipping what does not fit.
class Filler {
 public:
  Filler(void* structure, DWORD fixed) : base_(static_cast<unsigned char*>(structure)), pos_(fixed), needed_(fixed) {
    total_ = get32(base_, 0);
  }
  // Returns the offset, or 0 when it does not fit completely.
  DWORD add(const void* data, DWORD size) {
    needed_ += size;
    if (size == 0 || pos_ + size > total_) return 0;
    std::memcpy(base_ + pos_, data, size);
    const DWORD off = pos_;
    pos_ += size;
    return off;
  }
  void text(const Text& t, bool wide, std::size_t size_pos, std::size_t off_pos) {
    const auto bytes = text_bytes(t, wide);
    const DWORD off = add(bytes.data(), static_cast<DWORD>(bytes.size()));
    set32(base_, size_pos, off ? static_cast<DWORD>(bytes.size()) : 0);
    set32(base_, off_pos, off);
  }
  // An array of `elements` (raw bytes each, name pair zeroed), then their names.
  void named_array(const std::vector<std::vector<unsigned char>>& elements, const std::vector<const Text*>& names,
                   std::size_t name_size_at, std::size_t name_off_at, bool wide, std::size_t size_pos,
                   std::size_t off_pos) {
    std::vector<unsigned char> array;
    for (const auto& e : elements) array.insert(array.end(), e.begin(), e.end());
    const DWORD off = add(array.data(), static_cast<DWORD>(array.size()));
    set32(base_, size_pos, off ? static_cast<DWORD>(array.size()) : 0);
    set32(base_, off_pos, off);
    const std::size_t elem = elements.empty() ? 0 : elements[0].size();
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (names[i] == nullptr) continue;
      if (off == 0) {
        needed_ += static_cast<DWORD>(text_bytes(*names[i], wide).size());
        continue;
      }
      text(*names[i], wide, off + i * elem + name_size_at, off + i * elem + name_off_at);
    }
  }
  void done() {
    set32(base_, 4, needed_);
    set32(base_, 8, pos_);
  }

 private:
  unsigned char* base_;
  DWORD total_ = 0;
  DWORD pos_;
  DWORD needed_;
};

template <class T>
std::vector<unsigned char> raw(const T& v) {
  const auto* p = reinterpret_cast<const unsigned char*>(&v);
  return std::vector<unsigned char>(p, p + sizeof v);
}

void fill_groups(Filler& f, int count, bool wide, std::size_t size_pos, std::size_t off_pos) {
  std::vector<std::vector<unsigned char>> elements;
  std::vector<const Text*> names;
  for (int i = 0; i < count; ++i) {
    LINEAGENTGROUPENTRY e{};
    std::memcpy(&e.GroupID, &kGroups[i].id, sizeof(GUID));
    elements.push_back(raw(e));
    names.push_back(&kGroups[i].name);
  }
  f.named_array(elements, names, offsetof(LINEAGENTGROUPENTRY, dwNameSize), offsetof(LINEAGENTGROUPENTRY, dwNameOffset),
                wide, size_pos, off_pos);
}

std::string decode(const void* base, DWORD size, DWORD offset, bool wide) {
  if (size == 0) return "<null>";
  if (!wide) return read_a(base, size, offset);
  const std::wstring w = read_w(base, size, offset);
  std::string s;
  for (const wchar_t c : w) s.push_back(c < 0x80 ? static_cast<char>(c) : '?');
  return s;
}

}  // namespace

std::string read_a(const void* base, DWORD size, DWORD offset) {
  if (size == 0) return {};
  const char* p = static_cast<const char*>(base) + offset;
  return std::string(p, strnlen(p, size));
}

std::wstring read_w(const void* base, DWORD size, DWORD offset) {
  std::wstring s;
  for (DWORD i = 0; i + 4 <= size; i += 4) {
    const DWORD c = get32(base, offset + i);
    if (c == 0) break;
    s.push_back(static_cast<wchar_t>(c));
  }
  return s;
}

std::vector<DWORD> all_types() {
  std::vector<DWORD> types;
  for (DWORD t = 1; t <= kAllTypes; ++t) types.push_back(t);
  return types;
}

std::vector<unsigned char> proxy_call_params(const std::vector<DWORD>& types) {
  std::vector<unsigned char> buf(sizeof(LINECALLPARAMS) + 4 * types.size(), 0);
  auto* p = reinterpret_cast<LINECALLPARAMS*>(buf.data());
  p->dwTotalSize = static_cast<DWORD>(buf.size());
  p->dwDevSpecificSize = static_cast<DWORD>(4 * types.size());
  p->dwDevSpecificOffset = sizeof(LINECALLPARAMS);
  for (std::size_t i = 0; i < types.size(); ++i) set32(buf.data(), sizeof(LINECALLPARAMS) + 4 * i, types[i]);
  return buf;
}

// ---------------------------------------------------------------------------
// Server

Server::Server(int lines, bool tcp) {
  const std::string socket = dir_.path() + "/opentapid.sock";
  std::vector<std::string> args = {"--lines", std::to_string(lines)};
  if (tcp) {
    args.insert(args.end(), {"--no-acd", "--listen", "tcp:127.0.0.1:0", "--token", kToken, "--log-level", "info"});
  } else {
    address_ = "unix:" + socket;
    args.insert(args.end(), {"--no-acd", "--listen", address_, "--log-level", "warn"});
  }
  process_ = std::make_unique<opentapi::test_support::Opentapid>(std::move(args), dir_.path() + "/log");
  if (tcp) {
    // The port the server picked is in its log.
    address_ = process_->wait_tcp_address(kWait).value_or("");
    ::setenv("OPENTAPI_SERVER", address_.c_str(), 1);
    ::setenv("OPENTAPI_TOKEN", kToken, 1);
    return;
  }
  ::setenv("OPENTAPI_SERVER", address_.c_str(), 1);
  process_->wait_listening(socket, kWait);
}

Server::~Server() { process_->stop(kWait); }

void Server::kill_now() { process_->kill_now(); }

// ---------------------------------------------------------------------------
// App

App::App(bool wide, const char* name) {
  LINEINITIALIZEEXPARAMS params{};
  params.dwTotalSize = sizeof params;
  params.dwOptions = LINEINITIALIZEEXOPTION_USEEVENT;
  DWORD version = kApiVersion;
  if (wide) {
    std::wstring w(name, name + std::strlen(name));
    init_result_ = lineInitializeExW(&happ_, nullptr, nullptr, w.c_str(), &num_devs_, &version, &params);
  } else {
    init_result_ = lineInitializeExA(&happ_, nullptr, nullptr, name, &num_devs_, &version, &params);
  }
  if (init_result_ != 0) {
    shut_ = true;
    return;
  }
  event_ = params.Handles.hEvent;
  collector_ = std::thread([this] { collect(); });
}

App::~App() { shutdown(); }

void App::collect() {
  for (;;) {
    LINEMESSAGE m;
    // INFINITE: lineShutdown ends the wait with LINEERR_INVALAPPHANDLE.
    if (lineGetMessage(happ_, &m, INFINITE) != 0) return;
    {
      std::lock_guard lock(mu_);
      messages_.push_back(m);
    }
    cv_.notify_all();
  }
}

HLINE App::open(DWORD device, DWORD_PTR instance, bool wide, DWORD privileges, DWORD media_modes) {
  DWORD version = 0;
  LINEEXTENSIONID ext;
  if (lineNegotiateAPIVersion(happ_, device, 0x00020000, kApiVersion, &version, &ext) != 0) return 0;
  HLINE h = 0;
  const LONG rc = wide ? lineOpenW(happ_, device, &h, version, 0, instance, privileges, media_modes, nullptr)
                       : lineOpenA(happ_, device, &h, version, 0, instance, privileges, media_modes, nullptr);
  return rc == 0 ? h : 0;
}

std::optional<LINEMESSAGE> App::wait(const std::function<bool(const LINEMESSAGE&)>& match,
                                     std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  std::optional<LINEMESSAGE> found;
  cv_.wait_for(lock, timeout, [&] {
    const auto it = std::find_if(messages_.begin(), messages_.end(), match);
    if (it == messages_.end()) return false;
    found = *it;
    messages_.erase(it);
    return true;
  });
  return found;
}

std::optional<LONG> App::reply(LONG request_id, std::chrono::milliseconds timeout) {
  const auto m = wait(
      [request_id](const LINEMESSAGE& x) {
        return x.dwMessageID == LINE_REPLY && x.dwParam1 == static_cast<DWORD_PTR>(request_id);
      },
      timeout);
  if (!m) return std::nullopt;
  return static_cast<LONG>(m->dwParam2);
}

std::vector<LINEMESSAGE> App::take_all() {
  std::lock_guard lock(mu_);
  std::vector<LINEMESSAGE> all(messages_.begin(), messages_.end());
  messages_.clear();
  return all;
}

LONG App::shutdown() {
  if (shut_) return 0;
  shut_ = true;
  const LONG rc = lineShutdown(happ_);
  if (collector_.joinable()) collector_.join();
  return rc;
}

// ---------------------------------------------------------------------------
// TestProxy

TestProxy::TestProxy(Options options) : options_(std::move(options)) {
  if (options_.types.empty()) options_.types = all_types();
  LINEINITIALIZEEXPARAMS params{};
  params.dwTotalSize = sizeof params;
  params.dwOptions = LINEINITIALIZEEXOPTION_USEEVENT;
  DWORD version = kApiVersion;
  DWORD devs = 0;
  open_result_ = options_.wide ? lineInitializeExW(&happ_, nullptr, nullptr, L"test proxy", &devs, &version, &params)
                               : lineInitializeExA(&happ_, nullptr, nullptr, "test proxy", &devs, &version, &params);
  if (open_result_ != 0) {
    shut_ = closed_ = true;
    return;
  }
  LINEEXTENSIONID ext;
  open_result_ = lineNegotiateAPIVersion(happ_, options_.device, 0x00020000, kApiVersion, &version, &ext);
  if (open_result_ == 0) {
    auto cp = proxy_call_params(options_.types);
    auto* p = reinterpret_cast<LPLINECALLPARAMS>(cp.data());
    const DWORD privileges = LINECALLPRIVILEGE_NONE | LINEOPENOPTION_PROXY;
    open_result_ = options_.wide ? lineOpenW(happ_, options_.device, &hline_, version, 0, 0xC0FFEE, privileges, 0, p)
                                 : lineOpenA(happ_, options_.device, &hline_, version, 0, 0xC0FFEE, privileges, 0, p);
  }
  if (open_result_ != 0) closed_ = true;
  loop_ = std::thread([this] { run(); });
}

TestProxy::~TestProxy() { shutdown(); }

void TestProxy::run() {
  for (;;) {
    LINEMESSAGE m;
    if (lineGetMessage(happ_, &m, INFINITE) != 0) return;
    if (m.dwMessageID == LINE_PROXYREQUEST) {
      auto* request = reinterpret_cast<LPLINEPROXYREQUEST>(m.dwParam1);
      if (options_.hold) {
        std::lock_guard lock(mu_);
        held_.push_back(request);
        cv_.notify_all();
      } else {
        answer(request);
      }
      continue;
    }
    std::lock_guard lock(mu_);
    others_.push_back(m);
  }
}

LPLINEPROXYREQUEST TestProxy::next_request(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  if (!cv_.wait_for(lock, timeout, [&] { return !held_.empty(); })) return nullptr;
  auto* r = held_.front();
  held_.pop_front();
  return r;
}

std::vector<std::string> TestProxy::agent_ids_seen() const {
  std::lock_guard lock(mu_);
  return agent_ids_;
}
std::vector<LONG> TestProxy::response_results() const {
  std::lock_guard lock(mu_);
  return responses_;
}
std::vector<LINEMESSAGE> TestProxy::other_messages() const {
  std::lock_guard lock(mu_);
  return others_;
}
int TestProxy::groups_set() const {
  std::lock_guard lock(mu_);
  return groups_set_;
}

void TestProxy::close() {
  if (closed_) return;
  closed_ = true;
  lineClose(hline_);
}

void TestProxy::shutdown() {
  if (shut_) return;
  shut_ = closed_ = true;
  lineShutdown(happ_);
  if (loop_.joinable()) loop_.join();
}

LONG TestProxy::answer(LPLINEPROXYREQUEST r) {
  const bool wide = options_.wide;
  LONG result = 0;
  // Announcements go out after the response (docs/reference/flows.md §3.3 step 9).
  struct Announce {
    DWORD msg, p1, p2, p3;
  };
  std::vector<Announce> announce;
  std::unique_lock lock(mu_);
  switch (r->dwRequestType) {
    case LINEPROXYREQUEST_SETAGENTGROUP:
      groups_set_ = static_cast<int>(r->SetAgentGroup.GroupList.dwNumEntries);
      break;
    case LINEPROXYREQUEST_SETAGENTSTATE:
      announce.push_back(
          {LINE_AGENTSTATUS, r->SetAgentState.dwAddressID, LINEAGENTSTATUS_STATE, r->SetAgentState.dwAgentState});
      break;
    case LINEPROXYREQUEST_SETAGENTACTIVITY:
      break;
    case LINEPROXYREQUEST_GETAGENTCAPS: {
      LINEAGENTCAPS* c = &r->GetAgentCaps.AgentCaps;
      Filler f(c, sizeof *c);
      const DWORD ext = f.add(&kExtensionId, sizeof kExtensionId);
      c->dwNumAgentExtensionIDs = 1;
      c->dwAgentExtensionIDListSize = ext ? sizeof kExtensionId : 0;
      c->dwAgentExtensionIDListOffset = ext;
      f.text(kHandlerInfo, wide, offsetof(LINEAGENTCAPS, dwAgentHandlerInfoSize),
             offsetof(LINEAGENTCAPS, dwAgentHandlerInfoOffset));
      c->dwCapsVersion = std::min<DWORD>(r->dwClientAppAPIVersion, kApiVersion);
      c->dwFeatures = 0x3F;
      c->dwStates = 0x3FF;
      c->dwNextStates = 0x1FF;
      c->dwMaxNumGroupEntries = 3;
      c->dwAgentStatusMessages = 0x1FF;
      c->ProxyGUID = kProxyGuid;
      f.done();
      break;
    }
    case LINEPROXYREQUEST_GETAGENTSTATUS: {
      LINEAGENTSTATUS* s = &r->GetAgentStatus.AgentStatus;
      Filler f(s, sizeof *s);
      s->dwNumEntries = 2;
      fill_groups(f, 2, wide, offsetof(LINEAGENTSTATUS, dwGroupListSize), offsetof(LINEAGENTSTATUS, dwGroupListOffset));
      s->dwState = LINEAGENTSTATE_READY;
      s->dwNextState = LINEAGENTSTATE_WORKINGAFTERCALL;
      s->dwActivityID = kActivities[0].id;
      f.text(kActivities[0].name, wide, offsetof(LINEAGENTSTATUS, dwActivitySize),
             offsetof(LINEAGENTSTATUS, dwActivityOffset));
      s->dwAgentFeatures = 0x3F;
      s->dwValidStates = LINEAGENTSTATE_NOTREADY | LINEAGENTSTATE_READY;
      s->dwValidNextStates = LINEAGENTSTATE_WORKINGAFTERCALL;
      f.done();
      break;
    }
    case LINEPROXYREQUEST_AGENTSPECIFIC:
      std::reverse(r->AgentSpecific.Params, r->AgentSpecific.Params + r->AgentSpecific.dwSize);
      break;
    case LINEPROXYREQUEST_GETAGENTACTIVITYLIST: {
      LINEAGENTACTIVITYLIST* l = &r->GetAgentActivityList.ActivityList;
      Filler f(l, sizeof *l);
      std::vector<std::vector<unsigned char>> elements;
      std::vector<const Text*> names;
      for (const auto& a : kActivities) {
        LINEAGENTACTIVITYENTRY e{};
        e.dwID = a.id;
        elements.push_back(raw(e));
        names.push_back(&a.name);
      }
      l->dwNumEntries = 2;
      f.named_array(elements, names, offsetof(LINEAGENTACTIVITYENTRY, dwNameSize),
                    offsetof(LINEAGENTACTIVITYENTRY, dwNameOffset), wide, offsetof(LINEAGENTACTIVITYLIST, dwListSize),
                    offsetof(LINEAGENTACTIVITYLIST, dwListOffset));
      f.done();
      break;
    }
    case LINEPROXYREQUEST_GETAGENTGROUPLIST:
    case LINEPROXYREQUEST_GETGROUPLIST: {
      LINEAGENTGROUPLIST* l = r->dwRequestType == LINEPROXYREQUEST_GETGROUPLIST ? &r->GetGroupList.GroupList
                                                                                : &r->GetAgentGroupList.GroupList;
      Filler f(l, sizeof *l);
      l->dwNumEntries = 3;
      fill_groups(f, 3, wide, offsetof(LINEAGENTGROUPLIST, dwListSize), offsetof(LINEAGENTGROUPLIST, dwListOffset));
      f.done();
      break;
    }
    case LINEPROXYREQUEST_CREATEAGENT: {
      const auto* base = reinterpret_cast<const unsigned char*>(r);
      agent_ids_.push_back(decode(base, r->CreateAgent.dwAgentIDSize, r->CreateAgent.dwAgentIDOffset, wide) + "/" +
                           decode(base, r->CreateAgent.dwAgentPINSize, r->CreateAgent.dwAgentPINOffset, wide));
      r->CreateAgent.hAgent = next_agent_++;
      announce.push_back({LINE_AGENTSTATUSEX, r->CreateAgent.hAgent, LINEAGENTSTATUSEX_NEWAGENT, 0});
      break;
    }
    case LINEPROXYREQUEST_SETAGENTMEASUREMENTPERIOD:
      agent_period_ = r->SetAgentMeasurementPeriod.dwMeasurementPeriod;
      break;
    case LINEPROXYREQUEST_GETAGENTINFO: {
      LINEAGENTINFO* a = &r->GetAgentInfo.AgentInfo;
      Filler f(a, sizeof *a);
      a->dwAgentState = agent_state_;
      a->dwMeasurementPeriod = agent_period_;
      a->dwNumberOfACDCalls = 5;
      f.done();
      break;
    }
    case LINEPROXYREQUEST_CREATEAGENTSESSION: {
      const HAGENTSESSION h = next_session_++;
      r->CreateAgentSession.hAgentSession = h;
      session_states_[h] = LINEAGENTSESSIONSTATE_NOTREADY;
      announce.push_back({LINE_AGENTSESSIONSTATUS, h, LINEAGENTSESSIONSTATUS_NEWSESSION, 0});
      break;
    }
    case LINEPROXYREQUEST_GETAGENTSESSIONLIST: {
      LINEAGENTSESSIONLIST* l = &r->GetAgentSessionList.SessionList;
      Filler f(l, sizeof *l);
      std::vector<unsigned char> array;
      for (DWORD i = 0; i < 2; ++i) {
        LINEAGENTSESSIONENTRY e{};
        e.hAgentSession = kFirstSession + i;
        e.hAgent = r->GetAgentSessionList.hAgent;
        e.GroupID = kGroups[i].id;
        e.dwWorkingAddressID = i;
        const auto bytes = raw(e);
        array.insert(array.end(), bytes.begin(), bytes.end());
      }
      l->dwNumEntries = 2;
      const DWORD off = f.add(array.data(), static_cast<DWORD>(array.size()));
      l->dwListSize = off ? static_cast<DWORD>(array.size()) : 0;
      l->dwListOffset = off;
      f.done();
      break;
    }
    case LINEPROXYREQUEST_SETAGENTSESSIONSTATE: {
      const HAGENTSESSION h = r->SetAgentSessionState.hAgentSession;
      if (h == kUnknownSession) {
        result = LINEERR_INVALPARAM;
        break;
      }
      const DWORD state = r->SetAgentSessionState.dwAgentSessionState;
      if (state != 0) {
        session_states_[h] = state;
        announce.push_back({LINE_AGENTSESSIONSTATUS, h, LINEAGENTSESSIONSTATUS_STATE, state});
      }
      break;
    }
    case LINEPROXYREQUEST_GETAGENTSESSIONINFO: {
      const HAGENTSESSION h = r->GetAgentSessionInfo.hAgentSession;
      if (h == kUnknownSession) {
        result = LINEERR_INVALPARAM;
        break;
      }
      LINEAGENTSESSIONINFO* s = &r->GetAgentSessionInfo.SessionInfo;
      Filler f(s, sizeof *s);
      s->dwAgentSessionState = session_states_.count(h) ? session_states_[h] : LINEAGENTSESSIONSTATE_NOTREADY;
      s->dwTotalTalkTime = kTalkTime;
      s->dateSessionStartTime = 45000.25;
      s->cyACDCallRate.int64 = 150000;
      f.done();
      break;
    }
    case LINEPROXYREQUEST_GETQUEUELIST: {
      LINEQUEUELIST* l = &r->GetQueueList.QueueList;
      Filler f(l, sizeof *l);
      std::vector<std::vector<unsigned char>> elements;
      std::vector<const Text*> names;
      for (const auto& q : kQueues) {
        LINEQUEUEENTRY e{};
        e.dwQueueID = q.id;
        elements.push_back(raw(e));
        names.push_back(&q.name);
      }
      l->dwNumEntries = 2;
      f.named_array(elements, names, offsetof(LINEQUEUEENTRY, dwNameSize), offsetof(LINEQUEUEENTRY, dwNameOffset), wide,
                    offsetof(LINEQUEUELIST, dwListSize), offsetof(LINEQUEUELIST, dwListOffset));
      f.done();
      break;
    }
    case LINEPROXYREQUEST_SETQUEUEMEASUREMENTPERIOD:
      queue_period_ = r->SetQueueMeasurementPeriod.dwMeasurementPeriod;
      break;
    case LINEPROXYREQUEST_GETQUEUEINFO: {
      LINEQUEUEINFO* q = &r->GetQueueInfo.QueueInfo;
      Filler f(q, sizeof *q);
      q->dwMeasurementPeriod = queue_period_;
      q->dwTotalCallsQueued = kQueuedCalls;
      f.done();
      break;
    }
    case LINEPROXYREQUEST_SETAGENTSTATEEX:
      agent_state_ = r->SetAgentStateEx.dwAgentState;
      announce.push_back({LINE_AGENTSTATUSEX, r->SetAgentStateEx.hAgent, LINEAGENTSTATUSEX_STATE, agent_state_});
      break;
    default:
      result = LINEERR_OPERATIONUNAVAIL;
      break;
  }
  lock.unlock();
  const LONG rc = lineProxyResponse(hline_, r, static_cast<DWORD>(result));
  {
    std::lock_guard relock(mu_);
    responses_.push_back(rc);
  }
  for (const auto& a : announce) lineProxyMessage(hline_, 0, a.msg, a.p1, a.p2, a.p3);
  return rc;
}

// ---------------------------------------------------------------------------
// Peer

namespace {

std::vector<std::string> peer_command(const std::vector<std::string>& args) {
  std::vector<std::string> all = {binary_path("TAPI2_TEST_PEER", TAPI2_TEST_PEER_DEFAULT)};
  all.insert(all.end(), args.begin(), args.end());
  return all;
}

opentapi::test_support::SpawnOptions stdout_captured() {
  opentapi::test_support::SpawnOptions options;
  options.capture = opentapi::test_support::SpawnOptions::Capture::kStdout;
  return options;
}

}  // namespace

Peer::Peer(const std::vector<std::string>& args) : process_(peer_command(args), stdout_captured()) {}

}  // namespace tapi2_test
