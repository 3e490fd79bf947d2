// The seam between the TAPI 3 objects and the TAPI 2 C API (tapi.h).
//
// Every TAPI 3 method wraps the TAPI 2 function the spec names
// (docs/reference/tapi3-callcenter.md §3); it reaches that function only through this
// interface. Production uses LineTapi2 (tapi2_line.cpp), which calls the
// line*W functions of libopentapi; unit tests inject a scripted fake so that
// every timeout, race and event path can be driven deterministically.
//
// Contract: each method has exactly the semantics of the tapi.h function it
// names (return values, LINEERR codes, asynchronous request IDs, output
// buffers that must stay valid until the LINE_REPLY). Implementations are
// called concurrently from several threads.
#ifndef OPENTAPI_TAPI3_TAPI2_API_H_
#define OPENTAPI_TAPI3_TAPI2_API_H_

#include <memory>

#include "tapi.h"

namespace opentapi::tapi3 {

class Tapi2 {
 public:
  virtual ~Tapi2() = default;

  // lineInitializeExW with LINEINITIALIZEEXOPTION_USEEVENT; *api_version in:
  // the version the layer is written for, out: the implementation's.
  virtual LONG initialize(HLINEAPP* app, DWORD* num_devs, DWORD* api_version) = 0;
  virtual LONG shutdown(HLINEAPP app) = 0;
  virtual LONG get_message(HLINEAPP app, LINEMESSAGE* message, DWORD timeout_ms) = 0;
  virtual LONG negotiate_api_version(HLINEAPP app, DWORD device, DWORD low, DWORD high, DWORD* version) = 0;
  // lineOpenW without proxy options (no call parameters).
  virtual LONG open(HLINEAPP app, DWORD device, HLINE* line, DWORD api_version, DWORD_PTR instance,
                    DWORD privileges) = 0;
  virtual LONG close(HLINE line) = 0;
  // lineSetStatusMessages: which LINE_LINEDEVSTATE / LINE_ADDRESSSTATE
  // messages the open gets (synchronous: 0 or a LINEERR).
  virtual LONG set_status_messages(HLINE line, DWORD line_states, DWORD address_states) = 0;
  virtual LONG get_proxy_status(HLINEAPP app, DWORD device, DWORD app_api_version, LINEPROXYREQUESTLIST* list) = 0;

  // Asynchronous (a positive request ID, then LINE_REPLY), all W forms.
  virtual LONG get_agent_caps(HLINEAPP app, DWORD device, DWORD address, DWORD app_api_version,
                              LINEAGENTCAPS* caps) = 0;
  virtual LONG create_agent(HLINE line, LPWSTR id, LPWSTR pin, HAGENT* agent) = 0;
  virtual LONG create_agent_session(HLINE line, HAGENT agent, LPWSTR pin, DWORD address, GUID* group,
                                    HAGENTSESSION* session) = 0;
  virtual LONG set_agent_session_state(HLINE line, HAGENTSESSION session, DWORD state, DWORD next_state) = 0;
  virtual LONG get_agent_session_info(HLINE line, HAGENTSESSION session, LINEAGENTSESSIONINFO* info) = 0;
  virtual LONG get_agent_session_list(HLINE line, HAGENT agent, LINEAGENTSESSIONLIST* list) = 0;
  virtual LONG get_agent_info(HLINE line, HAGENT agent, LINEAGENTINFO* info) = 0;
  virtual LONG set_agent_state_ex(HLINE line, HAGENT agent, DWORD state, DWORD next_state) = 0;
  virtual LONG set_agent_measurement_period(HLINE line, HAGENT agent, DWORD period) = 0;
  virtual LONG get_group_list(HLINE line, LINEAGENTGROUPLIST* list) = 0;
  virtual LONG get_queue_info(HLINE line, DWORD queue, LINEQUEUEINFO* info) = 0;
  virtual LONG get_queue_list(HLINE line, GUID* group, LINEQUEUELIST* list) = 0;
  virtual LONG set_queue_measurement_period(HLINE line, DWORD queue, DWORD period) = 0;

  // ---- Calls (docs/calls.md; W forms) ----
  // lineOpenW with call privileges (LINECALLPRIVILEGE_OWNER / _MONITOR) and
  // the media modes the open takes ownership of.
  virtual LONG open_for_calls(HLINEAPP app, DWORD device, HLINE* line, DWORD api_version, DWORD_PTR instance,
                              DWORD privileges, DWORD media_modes) = 0;
  // Synchronous: 0 or a LINEERR; a structure too small is filled up to
  // dwTotalSize with dwNeededSize set.
  virtual LONG get_dev_caps(HLINEAPP app, DWORD device, DWORD api_version, LINEDEVCAPS* caps) = 0;
  virtual LONG get_address_caps(HLINEAPP app, DWORD device, DWORD address, DWORD api_version,
                                LINEADDRESSCAPS* caps) = 0;
  virtual LONG get_call_info(HCALL call, LINECALLINFO* info) = 0;
  virtual LONG deallocate_call(HCALL call) = 0;
  // Asynchronous. make_call writes *call when its LINE_REPLY is delivered
  // (success only); params may be null.
  virtual LONG make_call(HLINE line, HCALL* call, LPCWSTR destination, DWORD country_code,
                         const LINECALLPARAMS* params) = 0;
  virtual LONG answer(HCALL call) = 0;
  virtual LONG drop(HCALL call) = 0;
  virtual LONG hold(HCALL call) = 0;
  virtual LONG unhold(HCALL call) = 0;
  virtual LONG blind_transfer(HCALL call, LPCWSTR destination, DWORD country_code) = 0;
  // Synchronous: lineSetAppSpecific.
  virtual LONG set_app_specific(HCALL call, DWORD app_specific) = 0;

  // ---- Priorities and assisted telephony (synchronous) ----
  // lineSetAppPriorityW without extension media modes.
  virtual LONG set_app_priority(LPCWSTR app_filename, DWORD media_mode, DWORD request_mode, DWORD priority) = 0;
  virtual LONG register_request_recipient(HLINEAPP app, DWORD instance, DWORD request_mode, DWORD enable) = 0;
};

// Makes the TAPI 2 implementation a new TAPI object uses. The production
// definition (tapi2_line.cpp) returns LineTapi2; unit tests link their own.
std::shared_ptr<Tapi2> make_default_tapi2();

}  // namespace opentapi::tapi3

#endif  // OPENTAPI_TAPI3_TAPI2_API_H_
