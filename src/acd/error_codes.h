// The LINE_REPLY codes of the virtual ACD: which LINEERR_ codes each
// LINEPROXYREQUEST type documents, and the one mapping from a core error to
// the result a client receives (docs/acd.md "Request handling and error
// codes"). Used for proxy requests (virtual_acd.cpp) and for the same changes
// asked through Supervision, so both report what the TAPI function would.
//
// Pure functions of their arguments; callable from any thread.
#ifndef OPENTAPI_ACD_ERROR_CODES_H_
#define OPENTAPI_ACD_ERROR_CODES_H_

#include <cstdint>
#include <string>

#include "core/status.h"

namespace opentapi::acd {

// The LINE_REPLY result of request type `request_type` (LINEPROXYREQUEST_*)
// failing with `code`: 0 for kOk; the code itself when the function
// documents it; else LINEERR_INVALPARAM when the function documents that (the
// request named something invalid); else LINEERR_OPERATIONFAILED.
std::int32_t reply_code(std::uint32_t request_type, core::ErrorCode code);

// `status` as the request type reports it: the code reply_code() gives, with
// the model's message. OK stays OK.
core::Status tapi_status(std::uint32_t request_type, const core::Status& status);

// A TAPI function's result for logs: "LINEERR_NOTREGISTERED (0x80000047)".
std::string lineerr_text(std::int32_t rc);

}  // namespace opentapi::acd

#endif  // OPENTAPI_ACD_ERROR_CODES_H_
