// TAPI values as the CLI prints them: state and flag names (the Windows
// names without their prefix), request types, GUIDs, OLE dates, CURRENCY
// amounts.
#ifndef OPENTAPI_TOOLS_OPENTAPI_TAPI_TEXT_H_
#define OPENTAPI_TOOLS_OPENTAPI_TAPI_TEXT_H_

#include <tapi.h>

#include <initializer_list>
#include <string>

namespace opentapi::cli {

// "0x0000002A".
std::string hex32(DWORD v);

// A flag or value and its name (without the constant's prefix).
struct Bit {
  DWORD bit;
  const char* name;
};

// The name of `v` among `names`; "0" for 0, hex for a value not listed.
std::string one_of(DWORD v, std::initializer_list<Bit> names);
// The names of the bits set in `v`, joined by '|' (unnamed bits in hex); "0" for 0.
std::string flags(DWORD v, std::initializer_list<Bit> names);

std::string session_state_name(DWORD v);        // LINEAGENTSESSIONSTATE_*
std::string agent_state_name(DWORD v);          // LINEAGENTSTATEEX_*
std::string address_agent_state_name(DWORD v);  // LINEAGENTSTATE_*
std::string request_type_name(DWORD v);         // LINEPROXYREQUEST_*

// Calls (`call` and `watch`).
std::string call_state_name(DWORD v);      // LINECALLSTATE_*
std::string call_privilege_name(DWORD v);  // LINECALLPRIVILEGE_*
std::string call_info_name(DWORD bits);    // LINECALLINFOSTATE_* bits
// The detail LINE_CALLSTATE's dwParam2 carries with `state`: the disconnect
// mode of DISCONNECTED ("BADADDRESS"), the busy mode of BUSY ("STATION"),
// the offering mode of OFFERING ("ACTIVE"), the connected mode of CONNECTED,
// the dial-tone mode of DIALTONE, the special info of SPECIALINFO; "" for
// other states or a detail of 0.
std::string call_state_detail(DWORD state, DWORD detail);

// "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}".
std::string guid_string(const GUID& g);
// Local time "2026-01-05T08:00:00"; "" for 0.
std::string ole_date_string(DATE d);
// "12.34" (CURRENCY is in ten-thousandths).
std::string currency(const CURRENCY& cy);

}  // namespace opentapi::cli

#endif  // OPENTAPI_TOOLS_OPENTAPI_TAPI_TEXT_H_
