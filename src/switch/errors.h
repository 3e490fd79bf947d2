// The LINEERR_* codes the switch reports, as core::ErrorCode values (the
// bit patterns of tapi.h's LINEERR_ constants, so the edge maps them with a
// cast, as for the core's own codes). core::ErrorCode lists only the codes
// the ACD needs; the call codes are named here.
#ifndef OPENTAPI_SWITCH_ERRORS_H_
#define OPENTAPI_SWITCH_ERRORS_H_

#include <cstdint>
#include <string>

#include "core/status.h"

namespace opentapi::switching {

namespace lineerr {
inline constexpr core::ErrorCode kCallUnavail = static_cast<core::ErrorCode>(0x80000005);
inline constexpr core::ErrorCode kInvalAddress = static_cast<core::ErrorCode>(0x80000010);
inline constexpr core::ErrorCode kInvalAddressId = core::ErrorCode::kInvalAddressId;
inline constexpr core::ErrorCode kInvalBearerMode = static_cast<core::ErrorCode>(0x80000016);
inline constexpr core::ErrorCode kInvalCallHandle = static_cast<core::ErrorCode>(0x80000018);
inline constexpr core::ErrorCode kInvalCallParams = static_cast<core::ErrorCode>(0x80000019);
inline constexpr core::ErrorCode kInvalCallState = static_cast<core::ErrorCode>(0x8000001C);
inline constexpr core::ErrorCode kInvalMediaMode = static_cast<core::ErrorCode>(0x8000002F);
inline constexpr core::ErrorCode kInvalParam = core::ErrorCode::kInvalParam;
inline constexpr core::ErrorCode kResourceUnavail = core::ErrorCode::kResourceUnavail;
}  // namespace lineerr

// "LINEERR_INVALCALLSTATE", ... for the codes above, else core's name.
std::string error_name(core::ErrorCode code);

}  // namespace opentapi::switching

#endif  // OPENTAPI_SWITCH_ERRORS_H_
