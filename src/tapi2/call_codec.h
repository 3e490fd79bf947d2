// The structures of the call functions (docs/tapi2.md "Calls"): pure
// functions between the switch's typed answers (opentapi.proto: DevCaps,
// CallInfo, ...) and the tapi.h structures a caller passes in, and the
// reader of a caller's LINECALLPARAMS. No I/O, no state; every function is
// safe to call from any thread. The byte layout itself is src/layout's.
//
// Versions. A structure's fixed part is what the application's API version
// knows of it, as on Windows: a TAPI 2.0 application's LINECALLINFO is 324
// bytes, a 3.0 application's 344. Fields a later version added are neither
// written nor required for an earlier one; the variable part starts right
// after the version's fixed part.
//
// Writers. Each reads the caller's dwTotalSize from the structure itself.
// Below the version's fixed part the structure is refused
// (LINEERR_STRUCTURETOOSMALL) with dwNeededSize = the fixed size when the
// room holds the header; otherwise every fixed field is written and the
// variable fields are placed as src/layout/var_struct.h describes (a field
// that does not fit is left empty, dwNeededSize counts it).
#ifndef OPENTAPI_TAPI2_CALL_CODEC_H_
#define OPENTAPI_TAPI2_CALL_CODEC_H_

#include <cstdint>
#include <vector>

#include "layout/text.h"
#include "opentapi.pb.h"
#include "tapi.h"

namespace opentapi::tapi2 {

// The structures the call functions fill, and LINECALLPARAMS, which they read.
enum class CallStructure {
  kDevCaps,        // LINEDEVCAPS
  kAddressCaps,    // LINEADDRESSCAPS
  kAddressStatus,  // LINEADDRESSSTATUS
  kLineDevStatus,  // LINEDEVSTATUS
  kCallInfo,       // LINECALLINFO
  kCallStatus,     // LINECALLSTATUS
  kCallList,       // LINECALLLIST
  kCallParams,     // LINECALLPARAMS
};

// Windows' fixed size of `s` for an application of `api_version`.
std::uint32_t fixed_size(CallStructure s, std::uint32_t api_version);

// dwTotalSize of a caller's structure (its first DWORD).
// REQUIRES: structure != nullptr.
std::uint32_t total_size_of(const void* structure);

// The writers. Each returns 0 or LINEERR_STRUCTURETOOSMALL (see above).
// REQUIRES: dst != nullptr and dwTotalSize bytes writable at dst.
LONG write_dev_caps(const wire::DevCaps& caps, std::uint32_t api_version, layout::Charset charset, void* dst);
LONG write_address_caps(const wire::AddressCaps& caps, std::uint32_t api_version, layout::Charset charset, void* dst);
LONG write_address_status(const wire::AddressStatus& status, std::uint32_t api_version, void* dst);
LONG write_line_dev_status(const wire::LineDevStatus& status, std::uint32_t api_version, layout::Charset charset,
                           void* dst);
// `hline` is the caller's HLINE of the line the call is on (LINECALLINFO.hLine).
LONG write_call_info(const wire::CallInfo& info, std::uint32_t hline, std::uint32_t api_version,
                     layout::Charset charset, void* dst);
LONG write_call_status(const wire::CallStatus& status, std::uint32_t api_version, void* dst);
// *placed tells whether the handles fit (when they do not, dwCallsNumEntries
// is 0 and dwNeededSize says how much room they need).
LONG write_call_list(const std::vector<std::uint32_t>& hcalls, void* dst, bool* placed);

// lineGetID's answer for the class "tapi/line": a VARSTRING in
// STRINGFORMAT_BINARY whose string is the DWORD line device ID (Windows'
// "tapi/line" device class). Below sizeof(VARSTRING) LINEERR_STRUCTURETOOSMALL;
// a room without the 4 bytes of the ID gets dwStringSize 0 and dwNeededSize 28.
LONG write_line_device_id(std::uint32_t device_id, void* dst);

// tStateEntryTime: milliseconds since the UNIX epoch (UTC) as a SYSTEMTIME.
// Before the epoch or past year 30827: all zero.
SYSTEMTIME system_time_from_unix_ms(std::int64_t ms);

// Reads the LINECALLPARAMS a caller passes to lineMakeCall[A|W] (strings in
// `charset`) into `out` (params, address_id, orig_address), in this order:
//   dwTotalSize below the version's fixed part        LINEERR_STRUCTURETOOSMALL
//   a non-empty variable field of the version outside
//   [fixed part, dwTotalSize), or malformed text       LINEERR_INVALCALLPARAMS
//   dwBearerMode not 0 or one LINEBEARERMODE_ bit      LINEERR_INVALBEARERMODE
//   dwMediaMode not 0 or one LINEMEDIAMODE_ bit        LINEERR_INVALMEDIAMODE
//   dwAddressMode not 0, ADDRESSID or DIALABLEADDR     LINEERR_INVALADDRESSMODE
//   DIALABLEADDR without dwOrigAddress                 LINEERR_INVALADDRESS
//   dwUserUserInfoSize > 0 (dwUUIMakeCallSize is 0)    LINEERR_USERUSERINFOTOOBIG
//   (3.0) dwAddressType not 0 or PHONENUMBER           LINEERR_INVALADDRESSTYPE
// dwAddressMode 0 (a zeroed structure) means ADDRESSID. dwCallingPartyID
// holds "NUMBER" or "NAME <NUMBER>". Returns 0 when `out` is filled.
// REQUIRES: params != nullptr.
LONG read_call_params(const LINECALLPARAMS* params, std::uint32_t api_version, layout::Charset charset,
                      wire::MakeCall* out);

// Splits a dwCallingPartyID ("NUMBER" or "NAME <NUMBER>") into number and name.
void split_calling_party(const std::string& id, std::string* number, std::string* name);

}  // namespace opentapi::tapi2

#endif  // OPENTAPI_TAPI2_CALL_CODEC_H_
