// Names of the call values `call` and `watch` print (docs/cli.md): call
// states, the detail a LINE_CALLSTATE carries with each state, privileges
// and LINE_CALLINFO's change bits — the Windows names without their prefix.
#ifndef OPENTAPI_TOOLS_OPENTAPI_CALL_TEXT_H_
#define OPENTAPI_TOOLS_OPENTAPI_CALL_TEXT_H_

#include <tapi.h>

#include <string>

namespace opentapi::cli {

// "RINGBACK" for LINECALLSTATE_RINGBACK; 0x… for a value it does not know.
std::string call_state_text(DWORD state);

// LINE_CALLSTATE's dwParam2 for `state`: the disconnect mode of DISCONNECTED
// ("BADADDRESS"), the busy mode of BUSY ("STATION"), the offering mode of
// OFFERING ("ACTIVE"), the dial-tone mode of DIALTONE, the special info of
// SPECIALINFO; "" for other states or a detail of 0.
std::string call_state_detail(DWORD state, DWORD detail);

// "OWNER", "MONITOR", "NONE" (LINECALLPRIVILEGE_*).
std::string call_privilege_text(DWORD privilege);

// LINECALLINFOSTATE_ bits as "CALLERID|CALLEDID".
std::string call_info_text(DWORD bits);

}  // namespace opentapi::cli

#endif  // OPENTAPI_TOOLS_OPENTAPI_CALL_TEXT_H_
