// tapi3_test_proxy: a small ACD proxy for the TAPI 3 integration tests, written
// the way a TAPI 2 proxy application is (docs/reference/tapi2-agent.md §2, docs/reference/flows.md §2.1):
// lineInitializeExW, lineOpenW with LINEOPENOPTION_PROXY for all twenty
// request types on each line, LINE_PROXYREQUEST answered with
// lineProxyResponse, changes announced with lineProxyMessage.
//
// The ACD it plays: two groups (Sales, Support) with one queue each; agents
// by OS login (no ID) or the legacy agent 4711 with PIN 1234; sessions
// following the documented transition table (docs/reference/flows.md §4.1); agent states
// NOT_READY / READY settable by the agent.
//
// usage: tapi3_test_proxy [--devices N] [--hold-state] [--die-on-state]
//   --hold-state    never answer lineSetAgentSessionState (the client times out)
//   --die-on-state  exit at once on lineSetAgentSessionState (the server then
//                   fails the request with LINEERR_OPERATIONFAILED)
// Prints "READY" once registered; runs until killed (SIGTERM).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <map>
#include <string>
#include <vector>

#include "tapi.h"

namespace {

constexpr DWORD kVersion = 0x00030001;
constexpr GUID kProxyGuid = {0x5E5710A1, 0x7A91, 0x4C3D, {0x9A, 0x11, 0x00, 0x0C, 0xA1, 0x1C, 0xE7, 0x01}};
const wchar_t kHandlerName[] = L"opentapi integration ACD";

struct Group {
  GUID id;
  const wchar_t* name;
  DWORD queue;
  const wchar_t* queue_name;
};
const Group kGroups[] = {
    {{0xC0DE0001, 0, 0, {0, 0, 0, 0, 0, 0, 0, 1}}, L"Sales", 1, L"Sales queue"},
    {{0xC0DE0002, 0, 0, {0, 0, 0, 0, 0, 0, 0, 2}}, L"Support", 2, L"Support queue"},
};

struct Agent {
  std::wstring id;
  std::wstring pin;
  DWORD state = LINEAGENTSTATEEX_NOTREADY;
  DWORD period = 900;
};
struct Session {
  HAGENT agent = 0;
  GUID group{};
  DWORD state = LINEAGENTSESSIONSTATE_NOTREADY;
  DATE start = 0;
  std::time_t started = 0;
  std::time_t ended = 0;
};

struct Announce {
  HLINE line;
  DWORD msg, p1, p2, p3;
};

bool g_hold_state = false;
bool g_die_on_state = false;
std::map<HAGENT, Agent> g_agents;
std::map<HAGENTSESSION, Session> g_sessions;
std::map<DWORD, DWORD> g_queue_periods = {{1, 3600}, {2, 3600}};
HAGENT g_next_agent = 0x100;
HAGENTSESSION g_next_session = 0x500;

DATE now_as_utc_date() { return 25569.0 + static_cast<double>(std::time(nullptr)) / 86400.0; }

bool legal(DWORD from, DWORD to) {
  switch (from) {
    case LINEAGENTSESSIONSTATE_NOTREADY:
      return to == LINEAGENTSESSIONSTATE_READY || to == LINEAGENTSESSIONSTATE_ENDED;
    case LINEAGENTSESSIONSTATE_READY:
      return to == LINEAGENTSESSIONSTATE_NOTREADY || to == LINEAGENTSESSIONSTATE_BUSYONCALL ||
             to == LINEAGENTSESSIONSTATE_ENDED;
    case LINEAGENTSESSIONSTATE_BUSYONCALL:
      return to == LINEAGENTSESSIONSTATE_NOTREADY || to == LINEAGENTSESSIONSTATE_READY ||
             to == LINEAGENTSESSIONSTATE_BUSYWRAPUP || to == LINEAGENTSESSIONSTATE_ENDED;
    case LINEAGENTSESSIONSTATE_BUSYWRAPUP:
      return to == LINEAGENTSESSIONSTATE_NOTREADY || to == LINEAGENTSESSIONSTATE_READY ||
             to == LINEAGENTSESSIONSTATE_ENDED;
    default:
      return false;
  }
}

// A W string inside the request, located from the start of LINEPROXYREQUEST.
std::wstring request_string(const LINEPROXYREQUEST* r, DWORD size, DWORD offset, bool* present) {
  *present = size != 0;
  if (size == 0 || offset + size > r->dwSize) return {};
  std::wstring s(size / sizeof(wchar_t), L'\0');
  std::memcpy(s.data(), reinterpret_cast<const unsigned char*>(r) + offset, s.size() * sizeof(wchar_t));
  while (!s.empty() && s.back() == L'\0') s.pop_back();
  return s;
}

// Writes a list (24-byte header, elements, then W names) into an embedded
// list structure, honouring its dwTotalSize (docs/reference/tapi2-agent.md §1.4).
template <class Element>
void write_list(void* list, std::vector<Element> elements, const std::vector<const wchar_t*>& names,
                DWORD Element::*name_size, DWORD Element::*name_offset) {
  auto* base = static_cast<unsigned char*>(list);
  DWORD total = 0;
  std::memcpy(&total, base, 4);
  const DWORD array = static_cast<DWORD>(elements.size() * sizeof(Element));
  DWORD needed = 24 + array;
  for (const auto* n : names) needed += static_cast<DWORD>((std::wcslen(n) + 1) * sizeof(wchar_t));
  DWORD header[6] = {total, needed, 24, 0, 0, 0};
  if (needed <= total) {
    DWORD pos = 24 + array;
    for (std::size_t i = 0; i < names.size(); ++i) {
      const DWORD bytes = static_cast<DWORD>((std::wcslen(names[i]) + 1) * sizeof(wchar_t));
      std::memcpy(base + pos, names[i], bytes);
      elements[i].*name_size = bytes;
      elements[i].*name_offset = pos;
      pos += bytes;
    }
    if (array != 0) std::memcpy(base + 24, elements.data(), array);
    header[2] = needed;
    header[3] = static_cast<DWORD>(elements.size());
    header[4] = array;
    header[5] = elements.empty() ? 0 : 24;
  }
  std::memcpy(base, header, sizeof header);
}

LONG handle(HLINE line, LINEPROXYREQUEST* r, std::vector<Announce>* announce) {
  switch (r->dwRequestType) {
    case LINEPROXYREQUEST_GETAGENTCAPS: {
      LINEAGENTCAPS* caps = &r->GetAgentCaps.AgentCaps;
      const DWORD total = caps->dwTotalSize;
      const DWORD name_bytes = sizeof kHandlerName;
      caps->dwNeededSize = sizeof(LINEAGENTCAPS) + name_bytes;
      caps->dwUsedSize = sizeof(LINEAGENTCAPS);
      caps->dwCapsVersion = kVersion;
      caps->ProxyGUID = kProxyGuid;
      if (caps->dwNeededSize <= total) {
        std::memcpy(reinterpret_cast<unsigned char*>(caps) + sizeof(LINEAGENTCAPS), kHandlerName, name_bytes);
        caps->dwAgentHandlerInfoSize = name_bytes;
        caps->dwAgentHandlerInfoOffset = sizeof(LINEAGENTCAPS);
        caps->dwUsedSize = caps->dwNeededSize;
      }
      return 0;
    }
    case LINEPROXYREQUEST_CREATEAGENT: {
      bool has_id = false, has_pin = false;
      const auto id = request_string(r, r->CreateAgent.dwAgentIDSize, r->CreateAgent.dwAgentIDOffset, &has_id);
      const auto pin = request_string(r, r->CreateAgent.dwAgentPINSize, r->CreateAgent.dwAgentPINOffset, &has_pin);
      if (has_id) {
        if (id != L"4711") return LINEERR_INVALAGENTID;
        if (pin != L"1234") return LINEERR_INVALPASSWORD;
      }
      const HAGENT h = g_next_agent++;
      g_agents[h] = Agent{id, pin};
      r->CreateAgent.hAgent = h;
      announce->push_back({line, LINE_AGENTSTATUSEX, h, LINEAGENTSTATUSEX_NEWAGENT | LINEAGENTSTATUSEX_STATE,
                           LINEAGENTSTATEEX_NOTREADY});
      return 0;
    }
    case LINEPROXYREQUEST_CREATEAGENTSESSION: {
      auto& c = r->CreateAgentSession;
      const auto agent = g_agents.find(c.hAgent);
      if (agent == g_agents.end()) return LINEERR_INVALPARAM;
      bool has_pin = false;
      const auto pin = request_string(r, c.dwAgentPINSize, c.dwAgentPINOffset, &has_pin);
      if (has_pin && pin != agent->second.pin) return LINEERR_INVALPASSWORD;
      bool known_group = false;
      for (const auto& g : kGroups) known_group = known_group || std::memcmp(&g.id, &c.GroupID, sizeof(GUID)) == 0;
      if (!known_group) return LINEERR_INVALAGENTGROUP;
      const HAGENTSESSION h = g_next_session++;
      Session s;
      s.agent = c.hAgent;
      s.group = c.GroupID;
      s.start = now_as_utc_date();
      s.started = std::time(nullptr);
      g_sessions[h] = s;
      c.hAgentSession = h;
      announce->push_back({line, LINE_AGENTSESSIONSTATUS, h, LINEAGENTSESSIONSTATUS_NEWSESSION, 0});
      return 0;
    }
    case LINEPROXYREQUEST_SETAGENTSESSIONSTATE: {
      if (g_die_on_state) std::_Exit(3);  // the server fails the request for us (docs/reference/flows.md §2.1 step 5)
      auto& c = r->SetAgentSessionState;
      const auto s = g_sessions.find(c.hAgentSession);
      if (s == g_sessions.end()) return LINEERR_INVALPARAM;
      if (c.dwAgentSessionState == 0 || c.dwAgentSessionState == s->second.state) return 0;
      if (!legal(s->second.state, c.dwAgentSessionState)) return LINEERR_INVALAGENTSTATE;
      s->second.state = c.dwAgentSessionState;
      if (s->second.state == LINEAGENTSESSIONSTATE_ENDED) s->second.ended = std::time(nullptr);
      announce->push_back(
          {line, LINE_AGENTSESSIONSTATUS, c.hAgentSession, LINEAGENTSESSIONSTATUS_STATE, s->second.state});
      return 0;
    }
    case LINEPROXYREQUEST_GETAGENTSESSIONINFO: {
      auto& c = r->GetAgentSessionInfo;
      const auto s = g_sessions.find(c.hAgentSession);
      if (s == g_sessions.end()) return LINEERR_INVALPARAM;
      LINEAGENTSESSIONINFO* info = &c.SessionInfo;
      const DWORD total = info->dwTotalSize;
      std::memset(static_cast<void*>(info), 0, sizeof *info);
      info->dwTotalSize = total;
      info->dwNeededSize = info->dwUsedSize = sizeof *info;
      info->dwAgentSessionState = s->second.state;
      info->dateSessionStartTime = s->second.start;
      const std::time_t end = s->second.ended != 0 ? s->second.ended : std::time(nullptr);
      info->dwSessionDuration = static_cast<DWORD>(end - s->second.started);
      info->dwNumberOfCalls = 2;
      info->dwTotalTalkTime = 120;
      info->dwAverageTalkTime = 60;
      info->dwTotalCallTime = 150;
      info->dwAverageCallTime = 75;
      info->dwTotalWrapUpTime = 30;
      info->dwAverageWrapUpTime = 15;
      info->cyACDCallRate.int64 = 20000;  // 2 calls per hour
      info->dwLongestTimeToAnswer = 8;
      info->dwAverageTimeToAnswer = 5;
      return 0;
    }
    case LINEPROXYREQUEST_GETAGENTSESSIONLIST: {
      auto& c = r->GetAgentSessionList;
      std::vector<LINEAGENTSESSIONENTRY> entries;
      for (const auto& [h, s] : g_sessions) {
        if (s.agent != c.hAgent || s.state == LINEAGENTSESSIONSTATE_ENDED) continue;
        LINEAGENTSESSIONENTRY e{};
        e.hAgentSession = h;
        e.hAgent = s.agent;
        e.GroupID = s.group;
        entries.push_back(e);
      }
      write_list<LINEAGENTSESSIONENTRY>(&c.SessionList, entries, {}, nullptr, nullptr);
      return 0;
    }
    case LINEPROXYREQUEST_GETAGENTINFO: {
      auto& c = r->GetAgentInfo;
      const auto a = g_agents.find(c.hAgent);
      if (a == g_agents.end()) return LINEERR_INVALPARAM;
      LINEAGENTINFO* info = &c.AgentInfo;
      const DWORD total = info->dwTotalSize;
      std::memset(static_cast<void*>(info), 0, sizeof *info);
      info->dwTotalSize = total;
      info->dwNeededSize = info->dwUsedSize = sizeof *info;
      info->dwAgentState = a->second.state;
      info->dwMeasurementPeriod = a->second.period;
      info->cyOverallCallRate.int64 = 30000;
      info->dwNumberOfACDCalls = 3;
      info->dwNumberOfIncomingCalls = 1;
      info->dwNumberOfOutgoingCalls = 4;
      info->dwTotalACDTalkTime = 200;
      info->dwTotalACDCallTime = 260;
      info->dwTotalACDWrapUpTime = 60;
      return 0;
    }
    case LINEPROXYREQUEST_SETAGENTSTATEEX: {
      auto& c = r->SetAgentStateEx;
      const auto a = g_agents.find(c.hAgent);
      if (a == g_agents.end()) return LINEERR_INVALPARAM;
      // The agent may choose NOT_READY / READY; BUSY states are the ACD's (docs/reference/flows.md §4.3).
      if (c.dwAgentState != LINEAGENTSTATEEX_NOTREADY && c.dwAgentState != LINEAGENTSTATEEX_READY) {
        return LINEERR_INVALAGENTSTATE;
      }
      if (a->second.state == c.dwAgentState) return 0;
      a->second.state = c.dwAgentState;
      announce->push_back({line, LINE_AGENTSTATUSEX, c.hAgent, LINEAGENTSTATUSEX_STATE, c.dwAgentState});
      return 0;
    }
    case LINEPROXYREQUEST_SETAGENTMEASUREMENTPERIOD: {
      auto& c = r->SetAgentMeasurementPeriod;
      const auto a = g_agents.find(c.hAgent);
      if (a == g_agents.end()) return LINEERR_INVALPARAM;
      a->second.period = c.dwMeasurementPeriod;
      announce->push_back({line, LINE_AGENTSTATUSEX, c.hAgent, LINEAGENTSTATUSEX_UPDATEINFO, 0});
      return 0;
    }
    case LINEPROXYREQUEST_GETGROUPLIST: {
      std::vector<LINEAGENTGROUPENTRY> entries;
      std::vector<const wchar_t*> names;
      for (const auto& g : kGroups) {
        LINEAGENTGROUPENTRY e{};
        std::memcpy(&e.GroupID, &g.id, sizeof(GUID));
        entries.push_back(e);
        names.push_back(g.name);
      }
      write_list<LINEAGENTGROUPENTRY>(&r->GetGroupList.GroupList, entries, names, &LINEAGENTGROUPENTRY::dwNameSize,
                                      &LINEAGENTGROUPENTRY::dwNameOffset);
      return 0;
    }
    case LINEPROXYREQUEST_GETQUEUELIST: {
      auto& c = r->GetQueueList;
      std::vector<LINEQUEUEENTRY> entries;
      std::vector<const wchar_t*> names;
      for (const auto& g : kGroups) {
        if (std::memcmp(&g.id, &c.GroupID, sizeof(GUID)) != 0) continue;
        LINEQUEUEENTRY e{};
        e.dwQueueID = g.queue;
        entries.push_back(e);
        names.push_back(g.queue_name);
      }
      write_list<LINEQUEUEENTRY>(&c.QueueList, entries, names, &LINEQUEUEENTRY::dwNameSize,
                                 &LINEQUEUEENTRY::dwNameOffset);
      return 0;
    }
    case LINEPROXYREQUEST_GETQUEUEINFO: {
      auto& c = r->GetQueueInfo;
      const auto period = g_queue_periods.find(c.dwQueueID);
      if (period == g_queue_periods.end()) return LINEERR_INVALPARAM;
      LINEQUEUEINFO* info = &c.QueueInfo;
      const DWORD total = info->dwTotalSize;
      std::memset(static_cast<void*>(info), 0, sizeof *info);
      info->dwTotalSize = total;
      info->dwNeededSize = info->dwUsedSize = sizeof *info;
      info->dwMeasurementPeriod = period->second;
      info->dwTotalCallsQueued = 10;
      info->dwCurrentCallsQueued = 2;
      info->dwTotalCallsAbandoned = 1;
      info->dwTotalCallsFlowedIn = 3;
      info->dwTotalCallsFlowedOut = 4;
      info->dwLongestEverWaitTime = 90;
      info->dwCurrentLongestWaitTime = 12;
      info->dwAverageWaitTime = 20;
      info->dwFinalDisposition = 0;
      return 0;
    }
    case LINEPROXYREQUEST_SETQUEUEMEASUREMENTPERIOD: {
      auto& c = r->SetQueueMeasurementPeriod;
      const auto period = g_queue_periods.find(c.dwQueueID);
      if (period == g_queue_periods.end()) return LINEERR_INVALPARAM;
      period->second = c.dwMeasurementPeriod;
      announce->push_back({line, LINE_QUEUESTATUS, c.dwQueueID, LINEQUEUESTATUS_UPDATEINFO, 0});
      return 0;
    }
    default:
      return LINEERR_OPERATIONUNAVAIL;  // the address-based 2.0 functions are not played
  }
}

}  // namespace

int main(int argc, char** argv) {
  DWORD devices = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--devices" && i + 1 < argc) {
      devices = static_cast<DWORD>(std::atoi(argv[++i]));
    } else if (arg == "--hold-state") {
      g_hold_state = true;
    } else if (arg == "--die-on-state") {
      g_die_on_state = true;
    } else {
      std::fprintf(stderr, "usage: %s [--devices N] [--hold-state] [--die-on-state]\n", argv[0]);
      return 2;
    }
  }

  HLINEAPP app = 0;
  DWORD num_devs = 0;
  DWORD version = kVersion;
  LINEINITIALIZEEXPARAMS params{};
  params.dwTotalSize = sizeof params;
  params.dwOptions = LINEINITIALIZEEXOPTION_USEEVENT;
  LONG rc = lineInitializeExW(&app, nullptr, nullptr, L"tapi3 test proxy", &num_devs, &version, &params);
  if (rc != 0) {
    std::printf("FAILED lineInitializeExW 0x%08X\n", static_cast<unsigned>(rc));
    return 1;
  }
  // The request types this proxy handles: all twenty.
  std::vector<unsigned char> call_params(sizeof(LINECALLPARAMS) + 20 * sizeof(DWORD));
  auto* cp = reinterpret_cast<LINECALLPARAMS*>(call_params.data());
  cp->dwTotalSize = static_cast<DWORD>(call_params.size());
  cp->dwDevSpecificSize = 20 * sizeof(DWORD);
  cp->dwDevSpecificOffset = sizeof(LINECALLPARAMS);
  for (DWORD t = 1; t <= 20; ++t) std::memcpy(call_params.data() + sizeof(LINECALLPARAMS) + (t - 1) * 4, &t, 4);
  for (DWORD d = 0; d < devices && d < num_devs; ++d) {
    DWORD line_version = 0;
    LINEEXTENSIONID ext;
    rc = lineNegotiateAPIVersion(app, d, 0x00020002, kVersion, &line_version, &ext);
    HLINE line = 0;
    if (rc == 0) {
      rc = lineOpenW(app, d, &line, line_version, 0, d, LINECALLPRIVILEGE_NONE | LINEOPENOPTION_PROXY, 0, cp);
    }
    if (rc != 0) {
      std::printf("FAILED lineOpenW(%u) 0x%08X\n", d, static_cast<unsigned>(rc));
      return 1;
    }
  }
  std::printf("READY\n");
  std::fflush(stdout);

  for (;;) {
    LINEMESSAGE m;
    if (lineGetMessage(app, &m, INFINITE) != 0) break;
    if (m.dwMessageID != LINE_PROXYREQUEST) continue;
    auto* request = reinterpret_cast<LINEPROXYREQUEST*>(m.dwParam1);
    if (g_hold_state && request->dwRequestType == LINEPROXYREQUEST_SETAGENTSESSIONSTATE) continue;  // never answered
    std::vector<Announce> announce;
    const LONG result = handle(m.hDevice, request, &announce);
    lineProxyResponse(m.hDevice, request, static_cast<DWORD>(result));
    // Respond first, then announce (docs/reference/flows.md §3.3 step 9).
    for (const auto& a : announce) lineProxyMessage(a.line, 0, a.msg, a.p1, a.p2, a.p3);
  }
  lineShutdown(app);
  return 0;
}
