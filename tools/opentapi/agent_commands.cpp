#include "agent_commands.h"

#include <strings.h>

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "cli_failure.h"
#include "tapi_app.h"
#include "tapi_text.h"
#include "text.h"
#include "wide_text.h"

namespace opentapi::cli {
namespace {

std::string duration(DWORD secs) { return clock_text(secs); }

struct Group {
  GUID id{};
  std::string name;
};

std::vector<Group> get_groups(Tapi& tapi, HLINE h) {
  VarBuf<LINEAGENTGROUPLIST> buf;
  buf.fill(tapi, "lineGetGroupListW", [&](LINEAGENTGROUPLIST* p) { return lineGetGroupListW(h, p); });
  const auto* list = buf.get();
  std::vector<Group> out;
  if (list->dwListSize == 0) return out;
  for (DWORD i = 0; i < list->dwNumEntries; ++i) {
    LINEAGENTGROUPENTRY e{};
    const std::uint64_t at = std::uint64_t{list->dwListOffset} + std::uint64_t{i} * sizeof e;
    if (at + sizeof e > list->dwUsedSize) break;
    std::memcpy(&e, buf.bytes() + at, sizeof e);
    Group g;
    std::memcpy(&g.id, &e.GroupID, sizeof g.id);
    // Entry offsets are relative to the enclosing list (docs/tapi2.md).
    g.name = wide_field(buf.bytes(), list->dwUsedSize, e.dwNameSize, e.dwNameOffset);
    out.push_back(std::move(g));
  }
  return out;
}

struct QueueEntry {
  DWORD id = 0;
  std::string name;
};

std::vector<QueueEntry> get_queues(Tapi& tapi, HLINE h, GUID group) {
  VarBuf<LINEQUEUELIST> buf;
  buf.fill(tapi, "lineGetQueueListW", [&](LINEQUEUELIST* p) { return lineGetQueueListW(h, &group, p); });
  const auto* list = buf.get();
  std::vector<QueueEntry> out;
  if (list->dwListSize == 0) return out;
  for (DWORD i = 0; i < list->dwNumEntries; ++i) {
    LINEQUEUEENTRY e{};
    const std::uint64_t at = std::uint64_t{list->dwListOffset} + std::uint64_t{i} * sizeof e;
    if (at + sizeof e > list->dwUsedSize) break;
    std::memcpy(&e, buf.bytes() + at, sizeof e);
    out.push_back({e.dwQueueID, wide_field(buf.bytes(), list->dwUsedSize, e.dwNameSize, e.dwNameOffset)});
  }
  return out;
}

GUID find_group(Tapi& tapi, HLINE h, const std::string& name) {
  const auto groups = get_groups(tapi, h);
  for (const auto& gr : groups)
    if (gr.name == name || strcasecmp(guid_string(gr.id).c_str(), name.c_str()) == 0) return gr.id;
  std::string known;
  for (const auto& gr : groups) known += (known.empty() ? "" : ", ") + gr.name;
  throw Failure(kExitUsage, 0, "no ACD group named \"" + name + "\" (groups: " + known + ")");
}

int print_ok(const GlobalOptions& g, const std::string& what) {
  if (g.json)
    std::printf("{\"ok\":true}\n");
  else
    std::printf("%s\n", what.c_str());
  return kExitOk;
}

}  // namespace

const std::map<std::string, DWORD>& session_states() {
  static const std::map<std::string, DWORD> m = {{"ready", LINEAGENTSESSIONSTATE_READY},
                                                 {"not-ready", LINEAGENTSESSIONSTATE_NOTREADY},
                                                 {"wrapup", LINEAGENTSESSIONSTATE_BUSYWRAPUP},
                                                 {"end", LINEAGENTSESSIONSTATE_ENDED}};
  return m;
}
const std::map<std::string, DWORD>& agent_states() {
  static const std::map<std::string, DWORD> m = {{"ready", LINEAGENTSTATEEX_READY},
                                                 {"not-ready", LINEAGENTSTATEEX_NOTREADY}};
  return m;
}

int cmd_groups(const GlobalOptions& g) {
  Tapi tapi(g.timeout);
  const HLINE h = tapi.open(g.line);
  const auto groups = get_groups(tapi, h);
  if (g.json) {
    std::string s = "{\"groups\":[";
    for (std::size_t i = 0; i < groups.size(); ++i)
      s += std::string(i ? "," : "") + "{\"name\":" + json_str(groups[i].name) +
           ",\"guid\":" + json_str(guid_string(groups[i].id)) + "}";
    std::printf("%s]}\n", s.c_str());
  } else {
    std::printf("%-24s %s\n", "GROUP", "GUID");
    for (const auto& gr : groups) std::printf("%-24s %s\n", gr.name.c_str(), guid_string(gr.id).c_str());
  }
  return kExitOk;
}

int cmd_queues(const GlobalOptions& g) {
  Tapi tapi(g.timeout);
  const HLINE h = tapi.open(g.line);
  const auto groups = get_groups(tapi, h);
  std::string js = "{\"queues\":[";
  bool first = true;
  if (!g.json)
    std::printf("%-10s %5s %-16s %7s %8s %7s %9s %8s %8s %8s\n", "GROUP", "ID", "QUEUE", "WAITING", "LONGEST", "QUEUED",
                "ABANDONED", "AVGWAIT", "FLOW-IN", "PERIOD");
  for (const auto& gr : groups) {
    for (const auto& q : get_queues(tapi, h, gr.id)) {
      VarBuf<LINEQUEUEINFO> buf(sizeof(LINEQUEUEINFO));
      buf.fill(tapi, "lineGetQueueInfo", [&](LINEQUEUEINFO* p) { return lineGetQueueInfo(h, q.id, p); });
      const auto* qi = buf.get();
      if (g.json) {
        js += std::string(first ? "" : ",") + "{\"group\":" + json_str(gr.name) +
              ",\"group_guid\":" + json_str(guid_string(gr.id)) + ",\"id\":" + std::to_string(q.id) +
              ",\"name\":" + json_str(q.name) + ",\"calls_waiting\":" + std::to_string(qi->dwCurrentCallsQueued) +
              ",\"longest_current_wait\":" + std::to_string(qi->dwCurrentLongestWaitTime) +
              ",\"total_queued\":" + std::to_string(qi->dwTotalCallsQueued) +
              ",\"abandoned\":" + std::to_string(qi->dwTotalCallsAbandoned) +
              ",\"flowed_in\":" + std::to_string(qi->dwTotalCallsFlowedIn) +
              ",\"flowed_out\":" + std::to_string(qi->dwTotalCallsFlowedOut) +
              ",\"longest_ever_wait\":" + std::to_string(qi->dwLongestEverWaitTime) +
              ",\"average_wait\":" + std::to_string(qi->dwAverageWaitTime) +
              ",\"measurement_period\":" + std::to_string(qi->dwMeasurementPeriod) + "}";
        first = false;
      } else {
        std::printf("%-10s %5" PRIu32 " %-16s %7" PRIu32 " %8s %7" PRIu32 " %9" PRIu32 " %8s %8" PRIu32 " %7" PRIu32
                    "s\n",
                    gr.name.c_str(), q.id, q.name.c_str(), qi->dwCurrentCallsQueued,
                    duration(qi->dwCurrentLongestWaitTime).c_str(), qi->dwTotalCallsQueued, qi->dwTotalCallsAbandoned,
                    duration(qi->dwAverageWaitTime).c_str(), qi->dwTotalCallsFlowedIn, qi->dwMeasurementPeriod);
      }
    }
  }
  if (g.json) std::printf("%s]}\n", js.c_str());
  return kExitOk;
}

int cmd_login(const GlobalOptions& g, const LoginArgs& a) {
  Tapi tapi(g.timeout);
  const HLINE h = tapi.open(g.line);
  GUID group = find_group(tapi, h, a.group);
  std::wstring id = a.agent ? utf8_to_wide(*a.agent) : std::wstring();
  std::wstring pin = a.pin ? utf8_to_wide(*a.pin) : std::wstring();
  HAGENT agent = 0;
  tapi.complete("lineCreateAgentW",
                lineCreateAgentW(h, a.agent ? id.data() : nullptr, a.pin ? pin.data() : nullptr, &agent));
  HAGENTSESSION session = 0;
  tapi.complete("lineCreateAgentSessionW",
                lineCreateAgentSessionW(h, agent, a.pin ? pin.data() : nullptr, a.address, &group, &session));
  if (g.json)
    std::printf("{\"agent\":%" PRIu32 ",\"session\":%" PRIu32 ",\"group\":%s,\"line\":%" PRIu32 ",\"address\":%" PRIu32
                "}\n",
                agent, session, json_str(guid_string(group)).c_str(), g.line, a.address);
  else
    std::printf("agent %" PRIu32 "\nsession %" PRIu32 "\n", agent, session);
  return kExitOk;
}

int cmd_state(const GlobalOptions& g, DWORD session, const std::string& state, const std::string& next) {
  Tapi tapi(g.timeout);
  const HLINE h = tapi.open(g.line);
  const DWORD s = session_states().at(state);
  const DWORD n = next.empty() ? 0 : session_states().at(next);
  tapi.complete("lineSetAgentSessionState", lineSetAgentSessionState(h, session, s, n));
  return print_ok(g, "session " + std::to_string(session) + ": " + session_state_name(s));
}

int cmd_agent_state(const GlobalOptions& g, DWORD agent, const std::string& state, const std::string& next) {
  Tapi tapi(g.timeout);
  const HLINE h = tapi.open(g.line);
  const DWORD s = agent_states().at(state);
  const DWORD n = next.empty() ? 0 : agent_states().at(next);
  tapi.complete("lineSetAgentStateEx", lineSetAgentStateEx(h, agent, s, n));
  return print_ok(g, "agent " + std::to_string(agent) + ": " + agent_state_name(s));
}

int cmd_sessions(const GlobalOptions& g, DWORD agent) {
  Tapi tapi(g.timeout);
  const HLINE h = tapi.open(g.line);
  std::map<std::string, std::string> group_names;
  for (const auto& gr : get_groups(tapi, h)) group_names[guid_string(gr.id)] = gr.name;
  VarBuf<LINEAGENTSESSIONLIST> buf;
  buf.fill(tapi, "lineGetAgentSessionList",
           [&](LINEAGENTSESSIONLIST* p) { return lineGetAgentSessionList(h, agent, p); });
  const auto* list = buf.get();
  std::vector<LINEAGENTSESSIONENTRY> entries;
  for (DWORD i = 0; list->dwListSize != 0 && i < list->dwNumEntries; ++i) {
    LINEAGENTSESSIONENTRY e{};
    const std::uint64_t at = std::uint64_t{list->dwListOffset} + std::uint64_t{i} * sizeof e;
    if (at + sizeof e > list->dwUsedSize) break;
    std::memcpy(&e, buf.bytes() + at, sizeof e);
    entries.push_back(e);
  }
  std::string js = "{\"agent\":" + std::to_string(agent) + ",\"sessions\":[";
  if (!g.json)
    std::printf("%7s %-10s %4s %-11s %-11s %9s %5s %9s %8s %9s %8s %7s %-19s\n", "SESSION", "GROUP", "ADDR", "STATE",
                "NEXT", "DURATION", "CALLS", "TALK", "AVGTALK", "WRAPUP", "AVGWRAP", "RATE", "STARTED");
  bool first = true;
  for (const auto& e : entries) {
    VarBuf<LINEAGENTSESSIONINFO> ib(sizeof(LINEAGENTSESSIONINFO));
    ib.fill(tapi, "lineGetAgentSessionInfo",
            [&](LINEAGENTSESSIONINFO* p) { return lineGetAgentSessionInfo(h, e.hAgentSession, p); });
    const auto* si = ib.get();
    GUID gid{};
    std::memcpy(&gid, &e.GroupID, sizeof gid);
    const std::string gs = guid_string(gid);
    const std::string gname = group_names.count(gs) ? group_names[gs] : gs;
    CURRENCY rate{};
    std::memcpy(&rate, &si->cyACDCallRate, sizeof rate);
    const DATE started = si->dateSessionStartTime;
    if (g.json) {
      js += std::string(first ? "" : ",") + "{\"session\":" + std::to_string(e.hAgentSession) +
            ",\"group\":" + json_str(gname) + ",\"group_guid\":" + json_str(gs) +
            ",\"address\":" + std::to_string(e.dwWorkingAddressID) +
            ",\"state\":" + json_str(session_state_name(si->dwAgentSessionState)) + ",\"next_state\":" +
            (si->dwNextAgentSessionState ? json_str(session_state_name(si->dwNextAgentSessionState)) : "null") +
            ",\"start_time\":" + json_str(ole_date_string(started)) +
            ",\"duration\":" + std::to_string(si->dwSessionDuration) +
            ",\"calls\":" + std::to_string(si->dwNumberOfCalls) +
            ",\"total_talk_time\":" + std::to_string(si->dwTotalTalkTime) +
            ",\"average_talk_time\":" + std::to_string(si->dwAverageTalkTime) +
            ",\"total_call_time\":" + std::to_string(si->dwTotalCallTime) +
            ",\"average_call_time\":" + std::to_string(si->dwAverageCallTime) +
            ",\"total_wrapup_time\":" + std::to_string(si->dwTotalWrapUpTime) +
            ",\"average_wrapup_time\":" + std::to_string(si->dwAverageWrapUpTime) +
            ",\"acd_call_rate\":" + currency(rate) +
            ",\"longest_time_to_answer\":" + std::to_string(si->dwLongestTimeToAnswer) +
            ",\"average_time_to_answer\":" + std::to_string(si->dwAverageTimeToAnswer) + "}";
      first = false;
    } else {
      std::printf("%7" PRIu32 " %-10s %4" PRIu32 " %-11s %-11s %9s %5" PRIu32 " %9s %8s %9s %8s %7s %-19s\n",
                  e.hAgentSession, gname.c_str(), e.dwWorkingAddressID,
                  session_state_name(si->dwAgentSessionState).c_str(),
                  (si->dwNextAgentSessionState ? session_state_name(si->dwNextAgentSessionState) : "-").c_str(),
                  duration(si->dwSessionDuration).c_str(), si->dwNumberOfCalls, duration(si->dwTotalTalkTime).c_str(),
                  duration(si->dwAverageTalkTime).c_str(), duration(si->dwTotalWrapUpTime).c_str(),
                  duration(si->dwAverageWrapUpTime).c_str(), currency(rate).c_str(), ole_date_string(started).c_str());
    }
  }
  if (g.json)
    std::printf("%s]}\n", js.c_str());
  else if (entries.empty())
    std::printf("(agent %" PRIu32 " has no current sessions)\n", agent);
  return kExitOk;
}

int cmd_set_period(const GlobalOptions& g, const std::string& kind, DWORD object, DWORD seconds) {
  Tapi tapi(g.timeout);
  const HLINE h = tapi.open(g.line);
  if (kind == "agent")
    tapi.complete("lineSetAgentMeasurementPeriod", lineSetAgentMeasurementPeriod(h, object, seconds));
  else
    tapi.complete("lineSetQueueMeasurementPeriod", lineSetQueueMeasurementPeriod(h, object, seconds));
  return print_ok(g, kind + " " + std::to_string(object) + ": measurement period " + std::to_string(seconds) + " s");
}

}  // namespace opentapi::cli
