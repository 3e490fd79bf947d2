#include "switch/errors.h"

namespace opentapi::switching {

std::string error_name(core::ErrorCode code) {
  switch (static_cast<std::uint32_t>(code)) {
    case 0x80000005:
      return "LINEERR_CALLUNAVAIL";
    case 0x80000010:
      return "LINEERR_INVALADDRESS";
    case 0x80000016:
      return "LINEERR_INVALBEARERMODE";
    case 0x80000018:
      return "LINEERR_INVALCALLHANDLE";
    case 0x80000019:
      return "LINEERR_INVALCALLPARAMS";
    case 0x8000001C:
      return "LINEERR_INVALCALLSTATE";
    case 0x8000002F:
      return "LINEERR_INVALMEDIAMODE";
    default:
      return core::error_code_name(code);
  }
}

}  // namespace opentapi::switching
