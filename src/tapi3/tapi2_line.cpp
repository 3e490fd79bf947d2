// LineTapi2: the production Tapi2, calling the line*W functions of tapi.h
// (implemented by src/tapi2 inside the same libopentapi).
#include "tapi3/tapi2_api.h"

namespace opentapi::tapi3 {
namespace {

class LineTapi2 final : public Tapi2 {
 public:
  LONG initialize(HLINEAPP* app, DWORD* num_devs, DWORD* api_version) override {
    LINEINITIALIZEEXPARAMS params{};
    params.dwTotalSize = sizeof params;
    params.dwOptions = LINEINITIALIZEEXOPTION_USEEVENT;
    return lineInitializeExW(app, nullptr, nullptr, L"opentapi TAPI 3", num_devs, api_version, &params);
  }
  LONG shutdown(HLINEAPP app) override { return lineShutdown(app); }
  LONG get_message(HLINEAPP app, LINEMESSAGE* message, DWORD timeout_ms) override {
    return lineGetMessage(app, message, timeout_ms);
  }
  LONG negotiate_api_version(HLINEAPP app, DWORD device, DWORD low, DWORD high, DWORD* version) override {
    LINEEXTENSIONID ext{};
    return lineNegotiateAPIVersion(app, device, low, high, version, &ext);
  }
  LONG open(HLINEAPP app, DWORD device, HLINE* line, DWORD api_version, DWORD_PTR instance, DWORD privileges) override {
    return lineOpenW(app, device, line, api_version, 0, instance, privileges, 0, nullptr);
  }
  LONG close(HLINE line) override { return lineClose(line); }
  LONG set_status_messages(HLINE line, DWORD line_states, DWORD address_states) override {
    return lineSetStatusMessages(line, line_states, address_states);
  }
  LONG get_proxy_status(HLINEAPP app, DWORD device, DWORD app_api_version, LINEPROXYREQUESTLIST* list) override {
    return lineGetProxyStatus(app, device, app_api_version, list);
  }
  LONG get_agent_caps(HLINEAPP app, DWORD device, DWORD address, DWORD app_api_version, LINEAGENTCAPS* caps) override {
    return lineGetAgentCapsW(app, device, address, app_api_version, caps);
  }
  LONG create_agent(HLINE line, LPWSTR id, LPWSTR pin, HAGENT* agent) override {
    return lineCreateAgentW(line, id, pin, agent);
  }
  LONG create_agent_session(HLINE line, HAGENT agent, LPWSTR pin, DWORD address, GUID* group,
                            HAGENTSESSION* session) override {
    return lineCreateAgentSessionW(line, agent, pin, address, group, session);
  }
  LONG set_agent_session_state(HLINE line, HAGENTSESSION session, DWORD state, DWORD next_state) override {
    return lineSetAgentSessionState(line, session, state, next_state);
  }
  LONG get_agent_session_info(HLINE line, HAGENTSESSION session, LINEAGENTSESSIONINFO* info) override {
    return lineGetAgentSessionInfo(line, session, info);
  }
  LONG get_agent_session_list(HLINE line, HAGENT agent, LINEAGENTSESSIONLIST* list) override {
    return lineGetAgentSessionList(line, agent, list);
  }
  LONG get_agent_info(HLINE line, HAGENT agent, LINEAGENTINFO* info) override {
    return lineGetAgentInfo(line, agent, info);
  }
  LONG set_agent_state_ex(HLINE line, HAGENT agent, DWORD state, DWORD next_state) override {
    return lineSetAgentStateEx(line, agent, state, next_state);
  }
  LONG set_agent_measurement_period(HLINE line, HAGENT agent, DWORD period) override {
    return lineSetAgentMeasurementPeriod(line, agent, period);
  }
  LONG get_group_list(HLINE line, LINEAGENTGROUPLIST* list) override { return lineGetGroupListW(line, list); }
  LONG get_queue_info(HLINE line, DWORD queue, LINEQUEUEINFO* info) override {
    return lineGetQueueInfo(line, queue, info);
  }
  LONG get_queue_list(HLINE line, GUID* group, LINEQUEUELIST* list) override {
    return lineGetQueueListW(line, group, list);
  }
  LONG set_queue_measurement_period(HLINE line, DWORD queue, DWORD period) override {
    return lineSetQueueMeasurementPeriod(line, queue, period);
  }

  LONG open_for_calls(HLINEAPP app, DWORD device, HLINE* line, DWORD api_version, DWORD_PTR instance, DWORD privileges,
                      DWORD media_modes) override {
    return lineOpenW(app, device, line, api_version, 0, instance, privileges, media_modes, nullptr);
  }
  LONG get_dev_caps(HLINEAPP app, DWORD device, DWORD api_version, LINEDEVCAPS* caps) override {
    return lineGetDevCapsW(app, device, api_version, 0, caps);
  }
  LONG get_address_caps(HLINEAPP app, DWORD device, DWORD address, DWORD api_version, LINEADDRESSCAPS* caps) override {
    return lineGetAddressCapsW(app, device, address, api_version, 0, caps);
  }
  LONG get_call_info(HCALL call, LINECALLINFO* info) override { return lineGetCallInfoW(call, info); }
  LONG deallocate_call(HCALL call) override { return lineDeallocateCall(call); }
  LONG make_call(HLINE line, HCALL* call, LPCWSTR destination, DWORD country_code,
                 const LINECALLPARAMS* params) override {
    // lineMakeCall only reads the parameters (tapi.h declares them non-const, as Windows does).
    return lineMakeCallW(line, call, destination, country_code, const_cast<LINECALLPARAMS*>(params));
  }
  LONG answer(HCALL call) override { return lineAnswer(call, nullptr, 0); }
  LONG drop(HCALL call) override { return lineDrop(call, nullptr, 0); }
  LONG hold(HCALL call) override { return lineHold(call); }
  LONG unhold(HCALL call) override { return lineUnhold(call); }
  LONG blind_transfer(HCALL call, LPCWSTR destination, DWORD country_code) override {
    return lineBlindTransferW(call, destination, country_code);
  }
  LONG set_app_specific(HCALL call, DWORD app_specific) override { return lineSetAppSpecific(call, app_specific); }
  LONG set_app_priority(LPCWSTR app_filename, DWORD media_mode, DWORD request_mode, DWORD priority) override {
    return lineSetAppPriorityW(app_filename, media_mode, nullptr, request_mode, nullptr, priority);
  }
  LONG register_request_recipient(HLINEAPP app, DWORD instance, DWORD request_mode, DWORD enable) override {
    return lineRegisterRequestRecipient(app, instance, request_mode, enable);
  }
};

}  // namespace

std::shared_ptr<Tapi2> make_default_tapi2() { return std::make_shared<LineTapi2>(); }

}  // namespace opentapi::tapi3
