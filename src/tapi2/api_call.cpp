// The call functions of tapi.h (docs/calls.md, docs/tapi2.md "Calls"): each
// checks its arguments in Windows' order, builds one MakeCall / CallControl /
// query of opentapi.proto and hands it to client::Application. The switch
// inside opentapid owns the calls; these functions hold nothing but the
// library's call handles (client::Registry).
//
// Order of the checks, as TAPI's client DLL and TAPISRV do them: no
// application in the process (LINEERR_UNINITIALIZED); pointers
// (LINEERR_INVALPOINTER); the handle (LINEERR_INVALLINEHANDLE /
// INVALCALLHANDLE); the arguments the library can judge (text, call params,
// user-user information); then the switch's checks (NOTOWNER, INVALCALLSTATE,
// INVALADDRESS, ...); then, for the functions that fill a structure,
// LINEERR_STRUCTURETOOSMALL.
#include <bit>
#include <cstring>
#include <cwchar>
#include <new>

#include "opentapi_ext.h"
#include "tapi2/api_common.h"
#include "tapi2/call_codec.h"

// tapi.h maps these names to their A/W forms; this file defines the real
// unsuffixed (ANSI) exports as well.
#undef lineMakeCall
#undef lineBlindTransfer
#undef lineRedirect
#undef lineGetCallInfo

namespace opentapi::tapi2 {
namespace {

using layout::Charset;

// A destination number from the caller: NULL is an empty number (the switch
// refuses it with LINEERR_INVALADDRESS: there is no lineDial to dial later),
// malformed text LINEERR_INVALADDRESS.
template <class Char>
LONG destination_arg(const Char* text, std::string* out) {
  bool ok = true;
  auto utf8 = utf8_arg(text, &ok);
  if (!ok) return LINEERR_INVALADDRESS;
  *out = utf8.value_or(std::string());
  return 0;
}

// User-user information: opentapi's lines carry none (LINEDEVCAPS
// dwUUIAnswerSize, dwUUIDropSize are 0), so any is too big.
LONG user_user_info(LPCSTR info, DWORD size) { return info != nullptr && size != 0 ? LINEERR_USERUSERINFOTOOBIG : 0; }

// A call that ended with a lost server (docs/ha.md "Calls at a resume") is
// IDLE: nothing can be done to it but reading it and deallocating it.
LONG ended_call_state(const CallTarget& t) { return t.call.ended ? LINEERR_INVALCALLSTATE : 0; }

// What lineGetCallInfo says of an ended call: what it last answered for the
// call, else what the library knows (its line and address).
wire::CallInfo ended_call_info(const CallTarget& t) {
  if (t.call.info) return *t.call.info;
  wire::CallInfo info;
  if (const auto line = t.app->line(t.call.hline)) info.set_line_device_id(line->device_id);
  info.set_address_id(t.call.address_id);
  info.set_bearer_mode(LINEBEARERMODE_VOICE);
  info.set_media_mode(LINEMEDIAMODE_INTERACTIVEVOICE);
  info.set_call_states(LINECALLSTATE_IDLE | LINECALLSTATE_DISCONNECTED);
  info.set_origin(LINECALLORIGIN_UNKNOWN);
  info.set_reason(LINECALLREASON_UNKNOWN);
  info.set_trunk(0xFFFFFFFFu);
  return info;
}

// Starts an asynchronous CallControl: the request id or a LINEERR_.
LONG start_control(const CallTarget& t, wire::CallControl::Op op, wire::ClientToServer& msg) {
  if (const LONG rc = ended_call_state(t)) return rc;
  auto* c = msg.mutable_call_control();
  c->set_hcall(t.call.server_hcall);
  c->set_op(op);
  return t.app->start_request(msg, {}, t.call.hline);
}

LONG async_control(HCALL hcall, wire::CallControl::Op op) {
  CallTarget t;
  if (const LONG rc = find_call(hcall, &t)) return rc;
  wire::ClientToServer msg;
  return start_control(t, op, msg);
}

// A synchronous CallControl on a call found already.
LONG sync_control(const CallTarget& t, wire::CallControl::Op op, wire::ClientToServer& msg) {
  if (const LONG rc = ended_call_state(t)) return rc;
  auto* c = msg.mutable_call_control();
  c->set_hcall(t.call.server_hcall);
  c->set_op(op);
  wire::Result result;
  return call_server(*t.app, msg, &result);
}

template <class Char>
LONG make_call(HLINE hLine, LPHCALL lphCall, const Char* lpszDestAddress, DWORD dwCountryCode,
               const LINECALLPARAMS* lpCallParams, Charset charset) {
  if (const LONG rc = any_application()) return rc;
  if (lphCall == nullptr) return LINEERR_INVALPOINTER;
  LineTarget t;
  if (const LONG rc = find_line(hLine, &t)) return rc;
  wire::ClientToServer msg;
  auto* m = msg.mutable_make_call();
  if (const LONG rc = destination_arg(lpszDestAddress, m->mutable_destination())) return rc;
  if (lpCallParams != nullptr) {
    if (const LONG rc = read_call_params(lpCallParams, t.line.api_version, charset, m)) return rc;
  }
  m->set_hline(t.line.server_hline);
  m->set_country_code(dwCountryCode);
  // *lphCall is written on the reading thread when the Reply succeeds,
  // before LINE_REPLY is queued (docs/tapi2.md "Calls").
  return t.app->start_call_request(msg, t.line.hline, [lphCall](std::uint32_t hcall) {
    const HCALL h = hcall;
    std::memcpy(lphCall, &h, sizeof h);
  });
}

template <class Char>
LONG transfer(HCALL hCall, const Char* lpszDestAddress, DWORD dwCountryCode, wire::CallControl::Op op) {
  if (const LONG rc = any_application()) return rc;
  if (lpszDestAddress == nullptr) return LINEERR_INVALPOINTER;
  CallTarget t;
  if (const LONG rc = find_call(hCall, &t)) return rc;
  wire::ClientToServer msg;
  auto* c = msg.mutable_call_control();
  if (const LONG rc = destination_arg(lpszDestAddress, c->mutable_destination())) return rc;
  c->set_country_code(dwCountryCode);
  return start_control(t, op, msg);
}

LONG get_call_info(HCALL hCall, LPLINECALLINFO lpCallInfo, Charset charset) {
  if (const LONG rc = any_application()) return rc;
  if (lpCallInfo == nullptr) return LINEERR_INVALPOINTER;
  CallTarget t;
  if (const LONG rc = find_call(hCall, &t)) return rc;
  if (t.call.ended) return write_call_info(ended_call_info(t), t.call.hline, t.api_version, charset, lpCallInfo);
  wire::ClientToServer msg;
  msg.mutable_get_call_info()->set_hcall(t.call.server_hcall);
  wire::Result result;
  if (const LONG rc = call_server(*t.app, msg, &result)) return rc;
  if (!result.has_call_info()) return LINEERR_OPERATIONFAILED;
  // Kept for after the call's end, should its server be lost.
  t.app->note_call_info(hCall, result.call_info());
  return write_call_info(result.call_info(), t.call.hline, t.api_version, charset, lpCallInfo);
}

LONG get_call_status(HCALL hCall, LPLINECALLSTATUS lpCallStatus) {
  if (const LONG rc = any_application()) return rc;
  if (lpCallStatus == nullptr) return LINEERR_INVALPOINTER;
  CallTarget t;
  if (const LONG rc = find_call(hCall, &t)) return rc;
  if (t.call.ended) {
    // IDLE since the resume; no feature applies any more.
    wire::CallStatus status;
    status.set_call_state(LINECALLSTATE_IDLE);
    status.set_call_privilege(t.call.privilege != 0 ? t.call.privilege : LINECALLPRIVILEGE_MONITOR);
    status.set_state_entry_time_ms(t.call.ended_at_ms);
    return write_call_status(status, t.api_version, lpCallStatus);
  }
  wire::ClientToServer msg;
  msg.mutable_get_call_status()->set_hcall(t.call.server_hcall);
  wire::Result result;
  if (const LONG rc = call_server(*t.app, msg, &result)) return rc;
  if (!result.has_call_status()) return LINEERR_OPERATIONFAILED;
  return write_call_status(result.call_status(), t.api_version, lpCallStatus);
}

LONG get_call_ids(HCALL hCall, LPDWORD lpdwAddressID, LPDWORD lpdwCallID, LPDWORD lpdwRelatedCallID) {
  if (const LONG rc = any_application()) return rc;
  if (lpdwAddressID == nullptr || lpdwCallID == nullptr || lpdwRelatedCallID == nullptr) {
    return LINEERR_INVALPOINTER;
  }
  CallTarget t;
  if (const LONG rc = find_call(hCall, &t)) return rc;
  if (t.call.ended) {
    const wire::CallInfo info = ended_call_info(t);
    *lpdwAddressID = info.address_id();
    *lpdwCallID = info.call_id();
    *lpdwRelatedCallID = info.related_call_id();
    return 0;
  }
  wire::ClientToServer msg;
  msg.mutable_get_call_ids()->set_hcall(t.call.server_hcall);
  wire::Result result;
  if (const LONG rc = call_server(*t.app, msg, &result)) return rc;
  if (!result.has_call_ids()) return LINEERR_OPERATIONFAILED;
  *lpdwAddressID = result.call_ids().address_id();
  *lpdwCallID = result.call_ids().call_id();
  *lpdwRelatedCallID = result.call_ids().related_call_id();
  return 0;
}

LONG get_new_calls(HLINE hLine, DWORD dwAddressID, DWORD dwSelect, LPLINECALLLIST lpCallList) {
  if (const LONG rc = any_application()) return rc;
  if (lpCallList == nullptr) return LINEERR_INVALPOINTER;
  LineTarget t;
  if (const LONG rc = find_line(hLine, &t)) return rc;
  if (dwSelect != LINECALLSELECT_LINE && dwSelect != LINECALLSELECT_ADDRESS) return LINEERR_INVALCALLSELECT;
  // Checked before asking: the answer creates handles.
  if (total_size_of(lpCallList) < sizeof(LINECALLLIST)) {
    bool placed = false;
    return write_call_list({}, lpCallList, &placed);  // STRUCTURETOOSMALL, dwNeededSize set
  }
  wire::ClientToServer msg;
  auto* g = msg.mutable_get_new_calls();
  g->set_hline(t.line.server_hline);
  g->set_address_id(dwAddressID);
  g->set_select(dwSelect);
  wire::Result result;
  std::vector<std::uint32_t> hcalls;
  if (const LONG rc = t.app->call_new_calls(msg, t.line.hline, &result, &hcalls)) return rc;
  if (result.result() != 0) return result.result();
  bool placed = false;
  const LONG rc = write_call_list(hcalls, lpCallList, &placed);
  if (!placed) {
    // Handles the caller cannot see would be handles it can never free: they
    // are given back, and the retry with dwNeededSize bytes gets them anew.
    for (const std::uint32_t h : hcalls) {
      try {
        if (const auto call = t.app->call_handle(h)) {
          wire::ClientToServer dealloc;
          dealloc.mutable_call_control()->set_hcall(call->server_hcall);
          dealloc.mutable_call_control()->set_op(wire::CallControl::DEALLOCATE);
          t.app->post(dealloc);
        }
      } catch (const std::bad_alloc&) {
        // The server keeps the monitor handle until the line is closed.
      }
      t.app->forget_call(h);
    }
  }
  return rc;
}

LONG deallocate_call(HCALL hCall) {
  CallTarget t;
  if (const LONG rc = find_call(hCall, &t)) return rc;
  // A call no server knows any more (docs/ha.md "Calls at a resume").
  if (t.app->deallocate_without_server(hCall)) return 0;
  wire::ClientToServer msg;
  const LONG rc = sync_control(t, wire::CallControl::DEALLOCATE, msg);
  if (rc == 0) t.app->forget_call(hCall);
  return rc;
}

LONG set_call_privilege(HCALL hCall, DWORD dwCallPrivilege) {
  CallTarget t;
  if (const LONG rc = find_call(hCall, &t)) return rc;
  wire::ClientToServer msg;
  msg.mutable_call_control()->set_privilege(dwCallPrivilege);
  return sync_control(t, wire::CallControl::SET_PRIVILEGE, msg);
}

LONG set_app_specific(HCALL hCall, DWORD dwAppSpecific) {
  CallTarget t;
  if (const LONG rc = find_call(hCall, &t)) return rc;
  wire::ClientToServer msg;
  msg.mutable_call_control()->set_app_specific(dwAppSpecific);
  return sync_control(t, wire::CallControl::SET_APP_SPECIFIC, msg);
}

LONG set_call_data(HCALL hCall, LPVOID lpCallData, DWORD dwSize) {
  if (const LONG rc = any_application()) return rc;
  if (lpCallData == nullptr && dwSize != 0) return LINEERR_INVALPOINTER;
  CallTarget t;
  if (const LONG rc = find_call(hCall, &t)) return rc;
  wire::ClientToServer msg;
  if (dwSize != 0) msg.mutable_call_control()->set_call_data(static_cast<const char*>(lpCallData), dwSize);
  return start_control(t, wire::CallControl::SET_CALL_DATA, msg);
}

LONG set_media_mode(HCALL hCall, DWORD dwMediaModes) {
  CallTarget t;
  if (const LONG rc = find_call(hCall, &t)) return rc;
  // LINEMEDIAMODE_UNKNOWN .. _VIDEO; UNKNOWN may come with the modes it
  // could still be, every other mode alone.
  constexpr DWORD kAllModes = 0x0000FFFEu;
  if (dwMediaModes == 0 || (dwMediaModes & ~kAllModes) != 0) return LINEERR_INVALMEDIAMODE;
  if ((dwMediaModes & LINEMEDIAMODE_UNKNOWN) == 0 && std::popcount(dwMediaModes) != 1) {
    return LINEERR_INVALMEDIAMODE;
  }
  if (const LONG rc = ended_call_state(t)) return rc;
  wire::ClientToServer status;
  status.mutable_get_call_status()->set_hcall(t.call.server_hcall);
  wire::Result result;
  if (const LONG rc = call_server(*t.app, status, &result)) return rc;
  if (!result.has_call_status()) return LINEERR_OPERATIONFAILED;
  if (result.call_status().call_privilege() != LINECALLPRIVILEGE_OWNER) return LINEERR_NOTOWNER;
  wire::ClientToServer info;
  info.mutable_get_call_info()->set_hcall(t.call.server_hcall);
  if (const LONG rc = call_server(*t.app, info, &result)) return rc;
  if (!result.has_call_info()) return LINEERR_OPERATIONFAILED;
  // The switch's calls carry one media mode (docs/calls.md "Media"): naming
  // it is accepted and changes nothing; any other mode the call cannot take.
  return dwMediaModes == result.call_info().media_mode() ? 0 : LINEERR_INVALMEDIAMODE;
}

LONG get_conf_related_calls(HCALL hCall, LPLINECALLLIST lpCallList) {
  if (const LONG rc = any_application()) return rc;
  if (lpCallList == nullptr) return LINEERR_INVALPOINTER;
  CallTarget t;
  if (const LONG rc = find_call(hCall, &t)) return rc;
  if (total_size_of(lpCallList) < sizeof(LINECALLLIST)) {
    bool placed = false;
    return write_call_list({}, lpCallList, &placed);  // STRUCTURETOOSMALL, dwNeededSize set
  }
  return LINEERR_NOCONFERENCE;  // the switch has no conferences
}

LONG answer_or_drop(HCALL hCall, LPCSTR lpsUserUserInfo, DWORD dwSize, wire::CallControl::Op op) {
  CallTarget t;
  if (const LONG rc = find_call(hCall, &t)) return rc;
  if (const LONG rc = user_user_info(lpsUserUserInfo, dwSize)) return rc;
  wire::ClientToServer msg;
  return start_control(t, op, msg);
}

}  // namespace
}  // namespace opentapi::tapi2

namespace t2 = opentapi::tapi2;
using opentapi::layout::Charset;
using opentapi::wire::CallControl;

// ---- placing and controlling calls (asynchronous) ----

OPENTAPI_EXPORT LONG WINAPI lineMakeCall(HLINE hLine, LPHCALL lphCall, LPCSTR lpszDestAddress, DWORD dwCountryCode,
                                         LPLINECALLPARAMS const lpCallParams) {
  return t2::c_call([&]() -> LONG {
    return t2::make_call(hLine, lphCall, lpszDestAddress, dwCountryCode, lpCallParams, Charset::kAnsi);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineMakeCallA(HLINE hLine, LPHCALL lphCall, LPCSTR lpszDestAddress, DWORD dwCountryCode,
                                          LPLINECALLPARAMS const lpCallParams) {
  return t2::c_call([&]() -> LONG {
    return t2::make_call(hLine, lphCall, lpszDestAddress, dwCountryCode, lpCallParams, Charset::kAnsi);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineMakeCallW(HLINE hLine, LPHCALL lphCall, LPCWSTR lpszDestAddress, DWORD dwCountryCode,
                                          LPLINECALLPARAMS const lpCallParams) {
  return t2::c_call([&]() -> LONG {
    return t2::make_call(hLine, lphCall, lpszDestAddress, dwCountryCode, lpCallParams, Charset::kWide);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineAnswer(HCALL hCall, LPCSTR lpsUserUserInfo, DWORD dwSize) {
  return t2::c_call([&]() -> LONG { return t2::answer_or_drop(hCall, lpsUserUserInfo, dwSize, CallControl::ANSWER); });
}

OPENTAPI_EXPORT LONG WINAPI lineDrop(HCALL hCall, LPCSTR lpsUserUserInfo, DWORD dwSize) {
  return t2::c_call([&]() -> LONG { return t2::answer_or_drop(hCall, lpsUserUserInfo, dwSize, CallControl::DROP); });
}

OPENTAPI_EXPORT LONG WINAPI lineHold(HCALL hCall) {
  return t2::c_call([&]() -> LONG { return t2::async_control(hCall, CallControl::HOLD); });
}

OPENTAPI_EXPORT LONG WINAPI lineUnhold(HCALL hCall) {
  return t2::c_call([&]() -> LONG { return t2::async_control(hCall, CallControl::UNHOLD); });
}

OPENTAPI_EXPORT LONG WINAPI lineBlindTransfer(HCALL hCall, LPCSTR lpszDestAddress, DWORD dwCountryCode) {
  return t2::c_call(
      [&]() -> LONG { return t2::transfer(hCall, lpszDestAddress, dwCountryCode, CallControl::BLIND_TRANSFER); });
}

OPENTAPI_EXPORT LONG WINAPI lineBlindTransferA(HCALL hCall, LPCSTR lpszDestAddress, DWORD dwCountryCode) {
  return t2::c_call(
      [&]() -> LONG { return t2::transfer(hCall, lpszDestAddress, dwCountryCode, CallControl::BLIND_TRANSFER); });
}

OPENTAPI_EXPORT LONG WINAPI lineBlindTransferW(HCALL hCall, LPCWSTR lpszDestAddressW, DWORD dwCountryCode) {
  return t2::c_call(
      [&]() -> LONG { return t2::transfer(hCall, lpszDestAddressW, dwCountryCode, CallControl::BLIND_TRANSFER); });
}

OPENTAPI_EXPORT LONG WINAPI lineRedirect(HCALL hCall, LPCSTR lpszDestAddress, DWORD dwCountryCode) {
  return t2::c_call(
      [&]() -> LONG { return t2::transfer(hCall, lpszDestAddress, dwCountryCode, CallControl::REDIRECT); });
}

OPENTAPI_EXPORT LONG WINAPI lineRedirectA(HCALL hCall, LPCSTR lpszDestAddress, DWORD dwCountryCode) {
  return t2::c_call(
      [&]() -> LONG { return t2::transfer(hCall, lpszDestAddress, dwCountryCode, CallControl::REDIRECT); });
}

OPENTAPI_EXPORT LONG WINAPI lineRedirectW(HCALL hCall, LPCWSTR lpszDestAddress, DWORD dwCountryCode) {
  return t2::c_call(
      [&]() -> LONG { return t2::transfer(hCall, lpszDestAddress, dwCountryCode, CallControl::REDIRECT); });
}

OPENTAPI_EXPORT LONG WINAPI lineSetCallData(HCALL hCall, LPVOID lpCallData, DWORD dwSize) {
  return t2::c_call([&]() -> LONG { return t2::set_call_data(hCall, lpCallData, dwSize); });
}

// ---- call handles and what the application keeps on a call (synchronous) ----

OPENTAPI_EXPORT LONG WINAPI lineDeallocateCall(HCALL hCall) {
  return t2::c_call([&]() -> LONG { return t2::deallocate_call(hCall); });
}

OPENTAPI_EXPORT LONG WINAPI lineSetCallPrivilege(HCALL hCall, DWORD dwCallPrivilege) {
  return t2::c_call([&]() -> LONG { return t2::set_call_privilege(hCall, dwCallPrivilege); });
}

OPENTAPI_EXPORT LONG WINAPI lineSetAppSpecific(HCALL hCall, DWORD dwAppSpecific) {
  return t2::c_call([&]() -> LONG { return t2::set_app_specific(hCall, dwAppSpecific); });
}

OPENTAPI_EXPORT LONG WINAPI lineGetNewCalls(HLINE hLine, DWORD dwAddressID, DWORD dwSelect, LPLINECALLLIST lpCallList) {
  return t2::c_call([&]() -> LONG { return t2::get_new_calls(hLine, dwAddressID, dwSelect, lpCallList); });
}

// ---- what a call is and where it stands (synchronous) ----

OPENTAPI_EXPORT LONG WINAPI lineGetCallInfo(HCALL hCall, LPLINECALLINFO lpCallInfo) {
  return t2::c_call([&]() -> LONG { return t2::get_call_info(hCall, lpCallInfo, Charset::kAnsi); });
}

OPENTAPI_EXPORT LONG WINAPI lineGetCallInfoA(HCALL hCall, LPLINECALLINFO lpCallInfo) {
  return t2::c_call([&]() -> LONG { return t2::get_call_info(hCall, lpCallInfo, Charset::kAnsi); });
}

OPENTAPI_EXPORT LONG WINAPI lineGetCallInfoW(HCALL hCall, LPLINECALLINFO lpCallInfo) {
  return t2::c_call([&]() -> LONG { return t2::get_call_info(hCall, lpCallInfo, Charset::kWide); });
}

OPENTAPI_EXPORT LONG WINAPI lineGetCallStatus(HCALL hCall, LPLINECALLSTATUS lpCallStatus) {
  return t2::c_call([&]() -> LONG { return t2::get_call_status(hCall, lpCallStatus); });
}

OPENTAPI_EXPORT LONG WINAPI lineGetCallIDs(HCALL hCall, LPDWORD lpdwAddressID, LPDWORD lpdwCallID,
                                           LPDWORD lpdwRelatedCallID) {
  return t2::c_call([&]() -> LONG { return t2::get_call_ids(hCall, lpdwAddressID, lpdwCallID, lpdwRelatedCallID); });
}

OPENTAPI_EXPORT LONG WINAPI lineSetMediaMode(HCALL hCall, DWORD dwMediaModes) {
  return t2::c_call([&]() -> LONG { return t2::set_media_mode(hCall, dwMediaModes); });
}

OPENTAPI_EXPORT LONG WINAPI lineGetConfRelatedCalls(HCALL hCall, LPLINECALLLIST lpCallList) {
  return t2::c_call([&]() -> LONG { return t2::get_conf_related_calls(hCall, lpCallList); });
}
