// Pure translations between the TAPI 2 call model (tapi.h) and the TAPI 3
// call objects (tapi3if.h): call states and their causes, privileges,
// LINE_CALLINFO bits, media types, LINECALLINFO fields, LINEDEVCAPS /
// LINEADDRESSCAPS fields and LINECALLPARAMS. No I/O, no threads, no clock.
// The choices where Windows documents no mapping are in docs/porting.md
// "Calls".
#ifndef OPENTAPI_TAPI3_CALL_MAPPING_H_
#define OPENTAPI_TAPI3_CALL_MAPPING_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "layout/var_struct.h"
#include "tapi.h"
#include "tapi3.h"

namespace opentapi::tapi3 {

struct CallStateChange {
  CALL_STATE state = CS_IDLE;
  CALL_STATE_EVENT_CAUSE cause = CEC_NONE;
};

// LINE_CALLSTATE (dwParam1 state, dwParam2 detail) -> CALL_STATE and cause:
//   OFFERING, ACCEPTED                                  -> CS_OFFERING
//   DIALTONE, DIALING, PROCEEDING, RINGBACK, SPECIALINFO -> CS_INPROGRESS
//   CONNECTED, CONFERENCED                              -> CS_CONNECTED
//   ONHOLD, ONHOLDPENDCONF, ONHOLDPENDTRANSFER          -> CS_HOLD
//   BUSY                                                -> CS_DISCONNECTED, CEC_DISCONNECT_BUSY
//   DISCONNECTED                                        -> CS_DISCONNECTED, cause of the mode
//   IDLE                                                -> CS_DISCONNECTED, CEC_DISCONNECT_NORMAL
// (a call never returns to CS_IDLE); nullopt for UNKNOWN and other values.
std::optional<CallStateChange> call_state_from_line(DWORD line_state, DWORD detail);

// LINEDISCONNECTMODE_* -> CEC_DISCONNECT_*: NORMAL, PICKUP, FORWARDED ->
// NORMAL; BUSY; BADADDRESS; NOANSWER; REJECT -> REJECTED; CANCELLED; BLOCKED,
// DONOTDISTURB, DESTINATIONBARRED, FDNRESTRICT -> BLOCKED; anything else ->
// FAILED.
CALL_STATE_EVENT_CAUSE cause_from_disconnect_mode(DWORD mode);

// LINECALLPRIVILEGE_OWNER / _MONITOR -> CP_OWNER / CP_MONITOR; nullopt else.
std::optional<CALL_PRIVILEGE> privilege_from_line(DWORD privilege);

// The ITCallInfoChangeEvent causes of one LINE_CALLINFO (dwParam1 bits), in
// bit order, one per changed item; the items TAPI 3 has no cause for
// (DISPLAY, TERMINAL, DIALPARAMS, MONITORMODES, QOS, OTHER) give one
// CIC_OTHER between them.
std::vector<CALLINFOCHANGE_CAUSE> info_change_causes(DWORD bits);

// LINEMEDIAMODE_* <-> TAPIMEDIATYPE_*: interactive and automated voice are
// TAPIMEDIATYPE_AUDIO; DATAMODEM, G3FAX and VIDEO keep their bit.
LONG media_types_from_line(DWORD media_modes);
DWORD line_media_from_types(LONG media_types);
// The media types this layer knows (a mask of TAPIMEDIATYPE_*).
inline constexpr LONG kKnownMediaTypes = TAPIMEDIATYPE_AUDIO | TAPIMEDIATYPE_VIDEO | TAPIMEDIATYPE_DATAMODEM |
                                         TAPIMEDIATYPE_G3FAX | TAPIMEDIATYPE_MULTITRACK;

// The HRESULT of a call-control round trip (Connect, Answer, Disconnect,
// Hold, BlindTransfer): LINEERR_INVALCALLHANDLE -> TAPI_E_INVALCALLSTATE
// ("the call no longer exists", ITBasicCallControl::Hold), every other
// LINEERR through tapi_map_lineerr; HRESULTs of the request machinery
// (TAPI_E_TIMEOUT, TAPI_E_NOT_INITIALIZED, E_OUTOFMEMORY) unchanged.
HRESULT call_control_hresult(HRESULT result);

// What a synchronous Connect returns when its call ends without connecting:
// BUSY -> TAPI_E_DESTBUSY, NOANSWER -> TAPI_E_DESTNOANSWER, BADADDRESS ->
// TAPI_E_INVALADDRESS, anything else -> TAPI_E_DESTUNAVAIL.
HRESULT connect_failure(CALL_STATE_EVENT_CAUSE cause);

// ---- LINECALLINFO (W form) -----------------------------------------------
// `bytes` is the whole buffer; nullopt when the item is not a LINECALLINFO
// field (it comes from the call's parameters instead) or the structure is
// malformed.
std::optional<std::wstring> call_info_string(const void* info, std::size_t bytes, CALLINFO_STRING which);
std::optional<LONG> call_info_long(const void* info, std::size_t bytes, CALLINFO_LONG which);
std::optional<std::vector<unsigned char>> call_info_buffer(const void* info, std::size_t bytes, CALLINFO_BUFFER which);
// Whether the LINECALLINFO in `bytes` is complete (dwNeededSize fits).
bool call_info_complete(const void* info, std::size_t bytes);
// A W string field of a structure TAPI 2 filled into `bytes` bytes; "" when
// absent or not inside the structure.
std::wstring struct_string(const void* base, std::size_t bytes, layout::Pair pair);

// ---- LINEDEVCAPS / LINEADDRESSCAPS (W form) ------------------------------
// get_AddressCapability: nullopt for a value outside ADDRESS_CAPABILITY.
// `address_id` answers AC_ADDRESSID; absent structures read as zeros, except
// AC_ADDRESSTYPES, which is LINEADDRESSTYPE_PHONENUMBER when the line does
// not say (TAPI 2 providers before 3.0).
std::optional<LONG> address_capability(const LINEDEVCAPS* dev, std::size_t dev_bytes, const LINEADDRESSCAPS* addr,
                                       std::size_t addr_bytes, DWORD address_id, LONG which);
// get_AddressCapabilityString: nullopt for a value outside
// ADDRESS_CAPABILITY_STRING. GUIDs in registry form ("{...}").
std::optional<std::wstring> address_capability_string(const LINEDEVCAPS* dev, std::size_t dev_bytes,
                                                      const LINEADDRESSCAPS* addr, std::size_t addr_bytes, LONG which);
// LINEDEVCAPS.dwDeviceClasses: the NUL-separated device class names.
std::vector<std::wstring> device_classes(const LINEDEVCAPS* dev, std::size_t dev_bytes);

// "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}"
std::wstring guid_string(const GUID& guid);

// ---- LINECALLPARAMS -------------------------------------------------------
// The W-form LINECALLPARAMS of lineMakeCall: bearer and media mode, address
// by ID, the strings and buffers given before Connect appended after the
// fixed part.
struct MakeCallParams {
  DWORD bearer_mode = LINEBEARERMODE_VOICE;
  DWORD media_mode = LINEMEDIAMODE_INTERACTIVEVOICE;
  DWORD call_param_flags = 0;
  DWORD min_rate = 0;
  DWORD max_rate = 0;
  DWORD address_id = 0;
  std::wstring calling_party_id;
  std::wstring comment;
  std::wstring displayable_address;
  std::wstring called_party;
  std::vector<unsigned char> user_user_info;
  std::vector<unsigned char> call_data;
};
std::vector<unsigned char> build_call_params(const MakeCallParams& params);

}  // namespace opentapi::tapi3

#endif  // OPENTAPI_TAPI3_CALL_MAPPING_H_
