// The agent functions of docs/reference/tapi2-agent.md §3.1 and §3.2: asynchronous, each
// routed through opentapid to the proxy registered for its request type.
// Every one returns a positive request ID or a negative LINEERR_ (never 0);
// its output is written when the LINE_REPLY reports success, and only then.
#include <cstring>

#include "tapi2/api_common.h"

namespace opentapi::tapi2 {
namespace {

// A request on an open line that fills an output structure of `kind`.
LONG get_structure(HLINE hline, std::uint32_t type, agent::AgentCall call, void* structure, OutputKind kind,
                   LONG null_code, Charset charset) {
  LineTarget t;
  if (const LONG rc = find_line(hline, &t)) return rc;
  std::uint32_t total = 0;
  if (const LONG rc = check_output(structure, kind, null_code, &total)) return rc;
  return start_agent_request(t.app, t.line.server_hline, 0, type, 0, call, total,
                             structure_sink(kind, structure, total, charset));
}

// A request on an open line without output.
LONG set_request(HLINE hline, std::uint32_t type, const agent::AgentCall& call) {
  LineTarget t;
  if (const LONG rc = find_line(hline, &t)) return rc;
  return start_agent_request(t.app, t.line.server_hline, 0, type, 0, call, 0, {});
}

LONG create_agent(HLINE hline, std::optional<std::string> id, std::optional<std::string> pin, bool text_ok,
                  LPHAGENT lphAgent) {
  LineTarget t;
  if (const LONG rc = find_line(hline, &t)) return rc;
  if (lphAgent == nullptr || !text_ok) return LINEERR_INVALPARAM;
  agent::AgentCall call;
  if (id) call.set_agent_id(*id);
  if (pin) call.set_agent_pin(*pin);
  return start_agent_request(t.app, t.line.server_hline, 0, LINEPROXYREQUEST_CREATEAGENT, 0, call, 0,
                             handle_sink(lphAgent));
}

LONG create_agent_session(HLINE hline, HAGENT hAgent, std::optional<std::string> pin, bool text_ok,
                          DWORD dwWorkingAddressID, LPGUID lpGroupID, LPHAGENTSESSION lphAgentSession) {
  LineTarget t;
  if (const LONG rc = find_line(hline, &t)) return rc;
  if (lpGroupID == nullptr || lphAgentSession == nullptr || !text_ok) return LINEERR_INVALPARAM;
  agent::AgentCall call;
  call.set_hagent(hAgent);
  if (pin) call.set_agent_pin(*pin);
  call.set_working_address_id(dwWorkingAddressID);
  call.set_group_id(std::string(reinterpret_cast<const char*>(lpGroupID), sizeof(GUID)));
  return start_agent_request(t.app, t.line.server_hline, 0, LINEPROXYREQUEST_CREATEAGENTSESSION, 0, call, 0,
                             handle_sink(lphAgentSession));
}

LONG get_group_list(HLINE hline, LPLINEAGENTGROUPLIST list, Charset charset) {
  return get_structure(hline, LINEPROXYREQUEST_GETGROUPLIST, {}, list, OutputKind::kGroupList, LINEERR_INVALPARAM,
                       charset);
}

LONG get_queue_list(HLINE hline, LPGUID lpGroupID, LPLINEQUEUELIST list, Charset charset) {
  LineTarget t;
  if (const LONG rc = find_line(hline, &t)) return rc;
  if (lpGroupID == nullptr) return LINEERR_INVALPARAM;
  agent::AgentCall call;
  call.set_group_id(std::string(reinterpret_cast<const char*>(lpGroupID), sizeof(GUID)));
  return get_structure(hline, LINEPROXYREQUEST_GETQUEUELIST, call, list, OutputKind::kQueueList, LINEERR_INVALPARAM,
                       charset);
}

LONG get_agent_caps(HLINEAPP happ, DWORD dwDeviceID, DWORD dwAddressID, DWORD dwAppAPIVersion, LPLINEAGENTCAPS caps,
                    Charset charset) {
  std::shared_ptr<client::Application> app;
  if (const LONG rc = find_application(happ, &app)) return rc;
  // The structure the application's version declares: no ProxyGUID below 2.2 (§5.6).
  const std::uint32_t fixed = agent_caps_fixed_size(dwAppAPIVersion);
  std::uint32_t total = 0;
  if (const LONG rc = check_output(caps, OutputKind::kAgentCaps, LINEERR_INVALPOINTER, &total, fixed)) return rc;
  agent::AgentCall call;
  call.set_address_id(dwAddressID);
  // No line is open: the server routes by device (§3.2 [DECIDE]).
  return start_agent_request(app, 0, dwDeviceID, LINEPROXYREQUEST_GETAGENTCAPS, dwAppAPIVersion, call, total,
                             structure_sink(OutputKind::kAgentCaps, caps, total, charset, fixed));
}

agent::AgentCall address_call(DWORD dwAddressID) {
  agent::AgentCall call;
  call.set_address_id(dwAddressID);
  return call;
}

}  // namespace
}  // namespace opentapi::tapi2

using opentapi::tapi2::address_call;
using opentapi::tapi2::Charset;
using opentapi::tapi2::OutputKind;
namespace agent = opentapi::agent;
namespace t2 = opentapi::tapi2;

// ---- §3.1 agent handles, sessions, queues, groups (TAPI 2.2) ----

OPENTAPI_EXPORT LONG WINAPI lineCreateAgentA(HLINE hLine, LPSTR lpszAgentID, LPSTR lpszAgentPIN, LPHAGENT lphAgent) {
  return t2::c_call([&]() -> LONG {
    bool id_ok = true;
    bool pin_ok = true;
    auto id = t2::utf8_arg(lpszAgentID, &id_ok);
    auto pin = t2::utf8_arg(lpszAgentPIN, &pin_ok);
    return t2::create_agent(hLine, std::move(id), std::move(pin), id_ok && pin_ok, lphAgent);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineCreateAgentW(HLINE hLine, LPWSTR lpszAgentID, LPWSTR lpszAgentPIN, LPHAGENT lphAgent) {
  return t2::c_call([&]() -> LONG {
    bool id_ok = true;
    bool pin_ok = true;
    auto id = t2::utf8_arg(lpszAgentID, &id_ok);
    auto pin = t2::utf8_arg(lpszAgentPIN, &pin_ok);
    return t2::create_agent(hLine, std::move(id), std::move(pin), id_ok && pin_ok, lphAgent);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineCreateAgentSessionA(HLINE hLine, HAGENT hAgent, LPSTR lpszAgentPIN,
                                                    DWORD dwWorkingAddressID, LPGUID lpGroupID,
                                                    LPHAGENTSESSION lphAgentSession) {
  return t2::c_call([&]() -> LONG {
    bool ok = true;
    auto pin = t2::utf8_arg(lpszAgentPIN, &ok);
    return t2::create_agent_session(hLine, hAgent, std::move(pin), ok, dwWorkingAddressID, lpGroupID, lphAgentSession);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineCreateAgentSessionW(HLINE hLine, HAGENT hAgent, LPWSTR lpszAgentPIN,
                                                    DWORD dwWorkingAddressID, LPGUID lpGroupID,
                                                    LPHAGENTSESSION lphAgentSession) {
  return t2::c_call([&]() -> LONG {
    bool ok = true;
    auto pin = t2::utf8_arg(lpszAgentPIN, &ok);
    return t2::create_agent_session(hLine, hAgent, std::move(pin), ok, dwWorkingAddressID, lpGroupID, lphAgentSession);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineSetAgentSessionState(HLINE hLine, HAGENTSESSION hAgentSession,
                                                     DWORD dwAgentSessionState, DWORD dwNextAgentSessionState) {
  return t2::c_call([&]() -> LONG {
    t2::LineTarget t;
    if (const LONG rc = t2::find_line(hLine, &t)) return rc;
    // LINEAGENTSESSIONSTATE_NOTREADY .. RELEASED (§3.1 [DECIDE]).
    if (const LONG rc = t2::check_state_pair(dwAgentSessionState, dwNextAgentSessionState, 0x3Fu)) return rc;
    agent::AgentCall call;
    call.set_hagent_session(hAgentSession);
    call.set_state(dwAgentSessionState);
    call.set_next_state(dwNextAgentSessionState);
    return t2::set_request(hLine, LINEPROXYREQUEST_SETAGENTSESSIONSTATE, call);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineGetAgentSessionInfo(HLINE hLine, HAGENTSESSION hAgentSession,
                                                    LPLINEAGENTSESSIONINFO lpAgentSessionInfo) {
  return t2::c_call([&]() -> LONG {
    agent::AgentCall call;
    call.set_hagent_session(hAgentSession);
    return t2::get_structure(hLine, LINEPROXYREQUEST_GETAGENTSESSIONINFO, call, lpAgentSessionInfo,
                             OutputKind::kSessionInfo, LINEERR_INVALPARAM, Charset::kAnsi);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineGetAgentSessionList(HLINE hLine, HAGENT hAgent,
                                                    LPLINEAGENTSESSIONLIST lpAgentSessionList) {
  return t2::c_call([&]() -> LONG {
    agent::AgentCall call;
    call.set_hagent(hAgent);
    return t2::get_structure(hLine, LINEPROXYREQUEST_GETAGENTSESSIONLIST, call, lpAgentSessionList,
                             OutputKind::kSessionList, LINEERR_INVALPARAM, Charset::kAnsi);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineGetAgentInfo(HLINE hLine, HAGENT hAgent, LPLINEAGENTINFO lpAgentInfo) {
  return t2::c_call([&]() -> LONG {
    agent::AgentCall call;
    call.set_hagent(hAgent);
    return t2::get_structure(hLine, LINEPROXYREQUEST_GETAGENTINFO, call, lpAgentInfo, OutputKind::kAgentInfo,
                             LINEERR_INVALPARAM, Charset::kAnsi);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineSetAgentStateEx(HLINE hLine, HAGENT hAgent, DWORD dwAgentState,
                                                DWORD dwNextAgentState) {
  return t2::c_call([&]() -> LONG {
    t2::LineTarget t;
    if (const LONG rc = t2::find_line(hLine, &t)) return rc;
    // LINEAGENTSTATEEX_NOTREADY .. RELEASED.
    if (const LONG rc = t2::check_state_pair(dwAgentState, dwNextAgentState, 0x7Fu)) return rc;
    agent::AgentCall call;
    call.set_hagent(hAgent);
    call.set_state(dwAgentState);
    call.set_next_state(dwNextAgentState);
    return t2::set_request(hLine, LINEPROXYREQUEST_SETAGENTSTATEEX, call);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineSetAgentMeasurementPeriod(HLINE hLine, HAGENT hAgent, DWORD dwMeasurementPeriod) {
  return t2::c_call([&]() -> LONG {
    t2::LineTarget t;
    if (const LONG rc = t2::find_line(hLine, &t)) return rc;
    if (dwMeasurementPeriod == 0) return LINEERR_INVALPARAM;
    agent::AgentCall call;
    call.set_hagent(hAgent);
    call.set_measurement_period(dwMeasurementPeriod);
    return t2::set_request(hLine, LINEPROXYREQUEST_SETAGENTMEASUREMENTPERIOD, call);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineGetGroupListA(HLINE hLine, LPLINEAGENTGROUPLIST lpGroupList) {
  return t2::c_call([&]() -> LONG { return t2::get_group_list(hLine, lpGroupList, Charset::kAnsi); });
}

OPENTAPI_EXPORT LONG WINAPI lineGetGroupListW(HLINE hLine, LPLINEAGENTGROUPLIST lpGroupList) {
  return t2::c_call([&]() -> LONG { return t2::get_group_list(hLine, lpGroupList, Charset::kWide); });
}

OPENTAPI_EXPORT LONG WINAPI lineGetQueueInfo(HLINE hLine, DWORD dwQueueID, LPLINEQUEUEINFO lpLineQueueInfo) {
  return t2::c_call([&]() -> LONG {
    agent::AgentCall call;
    call.set_queue_id(dwQueueID);
    return t2::get_structure(hLine, LINEPROXYREQUEST_GETQUEUEINFO, call, lpLineQueueInfo, OutputKind::kQueueInfo,
                             LINEERR_INVALPARAM, Charset::kAnsi);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineGetQueueListA(HLINE hLine, LPGUID lpGroupID, LPLINEQUEUELIST lpQueueList) {
  return t2::c_call([&]() -> LONG { return t2::get_queue_list(hLine, lpGroupID, lpQueueList, Charset::kAnsi); });
}

OPENTAPI_EXPORT LONG WINAPI lineGetQueueListW(HLINE hLine, LPGUID lpGroupID, LPLINEQUEUELIST lpQueueList) {
  return t2::c_call([&]() -> LONG { return t2::get_queue_list(hLine, lpGroupID, lpQueueList, Charset::kWide); });
}

OPENTAPI_EXPORT LONG WINAPI lineSetQueueMeasurementPeriod(HLINE hLine, DWORD dwQueueID, DWORD dwMeasurementPeriod) {
  return t2::c_call([&]() -> LONG {
    t2::LineTarget t;
    if (const LONG rc = t2::find_line(hLine, &t)) return rc;
    if (dwMeasurementPeriod == 0) return LINEERR_INVALPARAM;
    agent::AgentCall call;
    call.set_queue_id(dwQueueID);
    call.set_measurement_period(dwMeasurementPeriod);
    return t2::set_request(hLine, LINEPROXYREQUEST_SETQUEUEMEASUREMENTPERIOD, call);
  });
}

// ---- §3.2 address-based agent functions (TAPI 2.0) ----

OPENTAPI_EXPORT LONG WINAPI lineGetAgentCapsA(HLINEAPP hLineApp, DWORD dwDeviceID, DWORD dwAddressID,
                                              DWORD dwAppAPIVersion, LPLINEAGENTCAPS lpAgentCaps) {
  return t2::c_call([&]() -> LONG {
    return t2::get_agent_caps(hLineApp, dwDeviceID, dwAddressID, dwAppAPIVersion, lpAgentCaps, Charset::kAnsi);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineGetAgentCapsW(HLINEAPP hLineApp, DWORD dwDeviceID, DWORD dwAddressID,
                                              DWORD dwAppAPIVersion, LPLINEAGENTCAPS lpAgentCaps) {
  return t2::c_call([&]() -> LONG {
    return t2::get_agent_caps(hLineApp, dwDeviceID, dwAddressID, dwAppAPIVersion, lpAgentCaps, Charset::kWide);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineGetAgentStatusA(HLINE hLine, DWORD dwAddressID, LPLINEAGENTSTATUS lpAgentStatus) {
  return t2::c_call([&]() -> LONG {
    return t2::get_structure(hLine, LINEPROXYREQUEST_GETAGENTSTATUS, address_call(dwAddressID), lpAgentStatus,
                             OutputKind::kAgentStatus, LINEERR_INVALPOINTER, Charset::kAnsi);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineGetAgentStatusW(HLINE hLine, DWORD dwAddressID, LPLINEAGENTSTATUS lpAgentStatus) {
  return t2::c_call([&]() -> LONG {
    return t2::get_structure(hLine, LINEPROXYREQUEST_GETAGENTSTATUS, address_call(dwAddressID), lpAgentStatus,
                             OutputKind::kAgentStatus, LINEERR_INVALPOINTER, Charset::kWide);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineGetAgentActivityListA(HLINE hLine, DWORD dwAddressID,
                                                      LPLINEAGENTACTIVITYLIST lpAgentActivityList) {
  return t2::c_call([&]() -> LONG {
    return t2::get_structure(hLine, LINEPROXYREQUEST_GETAGENTACTIVITYLIST, address_call(dwAddressID),
                             lpAgentActivityList, OutputKind::kActivityList, LINEERR_INVALPOINTER, Charset::kAnsi);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineGetAgentActivityListW(HLINE hLine, DWORD dwAddressID,
                                                      LPLINEAGENTACTIVITYLIST lpAgentActivityList) {
  return t2::c_call([&]() -> LONG {
    return t2::get_structure(hLine, LINEPROXYREQUEST_GETAGENTACTIVITYLIST, address_call(dwAddressID),
                             lpAgentActivityList, OutputKind::kActivityList, LINEERR_INVALPOINTER, Charset::kWide);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineGetAgentGroupListA(HLINE hLine, DWORD dwAddressID,
                                                   LPLINEAGENTGROUPLIST lpAgentGroupList) {
  return t2::c_call([&]() -> LONG {
    return t2::get_structure(hLine, LINEPROXYREQUEST_GETAGENTGROUPLIST, address_call(dwAddressID), lpAgentGroupList,
                             OutputKind::kGroupList, LINEERR_INVALPOINTER, Charset::kAnsi);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineGetAgentGroupListW(HLINE hLine, DWORD dwAddressID,
                                                   LPLINEAGENTGROUPLIST lpAgentGroupList) {
  return t2::c_call([&]() -> LONG {
    return t2::get_structure(hLine, LINEPROXYREQUEST_GETAGENTGROUPLIST, address_call(dwAddressID), lpAgentGroupList,
                             OutputKind::kGroupList, LINEERR_INVALPOINTER, Charset::kWide);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineSetAgentActivity(HLINE hLine, DWORD dwAddressID, DWORD dwActivityID) {
  return t2::c_call([&]() -> LONG {
    agent::AgentCall call = address_call(dwAddressID);
    call.set_activity_id(dwActivityID);
    return t2::set_request(hLine, LINEPROXYREQUEST_SETAGENTACTIVITY, call);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineSetAgentGroup(HLINE hLine, DWORD dwAddressID, LPLINEAGENTGROUPLIST lpAgentGroupList) {
  return t2::c_call([&]() -> LONG {
    t2::LineTarget t;
    if (const LONG rc = t2::find_line(hLine, &t)) return rc;
    agent::AgentCall call = address_call(dwAddressID);
    if (const LONG rc = t2::read_group_ids(lpAgentGroupList, &call)) return rc;
    return t2::set_request(hLine, LINEPROXYREQUEST_SETAGENTGROUP, call);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineSetAgentState(HLINE hLine, DWORD dwAddressID, DWORD dwAgentState,
                                              DWORD dwNextAgentState) {
  return t2::c_call([&]() -> LONG {
    agent::AgentCall call = address_call(dwAddressID);
    call.set_state(dwAgentState);
    call.set_next_state(dwNextAgentState);
    return t2::set_request(hLine, LINEPROXYREQUEST_SETAGENTSTATE, call);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineAgentSpecific(HLINE hLine, DWORD dwAddressID, DWORD dwAgentExtensionIDIndex,
                                              LPVOID lpParams, DWORD dwSize) {
  return t2::c_call([&]() -> LONG {
    t2::LineTarget t;
    if (const LONG rc = t2::find_line(hLine, &t)) return rc;
    if (lpParams == nullptr && dwSize != 0) return LINEERR_INVALPOINTER;
    if (dwSize > t2::kMaxOutputRoom) return LINEERR_INVALPARAM;
    agent::AgentCall call = address_call(dwAddressID);
    call.set_extension_index(dwAgentExtensionIDIndex);
    if (dwSize != 0) call.set_params(std::string(static_cast<const char*>(lpParams), dwSize));
    return t2::start_agent_request(t.app, t.line.server_hline, 0, LINEPROXYREQUEST_AGENTSPECIFIC, 0, call, dwSize,
                                   t2::params_sink(lpParams, dwSize));
  });
}
