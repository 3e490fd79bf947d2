// What the virtual ACD does for each proxy request: the typed request
// (proxy_request_parser.h) applied to the call-center model, its answer
// written into the request's output places. No byte offsets here: the
// structures are filled by structures.h, the PBX block by pbx_extension.h.
// docs/acd.md "Request handling and error codes" lists, per request, the
// model call and the choices made.
//
// Threads: the model thread (it owns the CallCenter).
#ifndef OPENTAPI_ACD_REQUEST_HANDLER_H_
#define OPENTAPI_ACD_REQUEST_HANDLER_H_

#include <cstdint>
#include <optional>
#include <string>

#include "acd/call_center.h"
#include "acd/proxy_request_parser.h"

namespace opentapi::acd {

// The TAPI versions the ACD speaks: it negotiates [low, high] on each line,
// and reports what a client of at least 2.2 may see (the ProxyGUID).
inline constexpr std::uint32_t kAcdApiLow = 0x00020000;
inline constexpr std::uint32_t kAcdApiHigh = 0x00030001;
inline constexpr std::uint32_t kAcdApi22 = 0x00020002;

// Applies `request`, which came on the served line `device` from `actor`,
// to `model` at `now`, and fills its output places. Returns the outcome as
// the model reports it (kStructureTooSmall for an output structure smaller
// than its fixed part); error_codes.h turns it into the request type's
// LINE_REPLY code. A RejectedRequest returns its error and changes nothing.
Status handle_proxy_request(CallCenter& model, const ProxyRequest& request, const Actor& actor, std::uint32_t device,
                            TimePoint now);

// A PIN that must be verified against a hash before `request` is handled
// (CallCenter::slow_pin_check): CreateAgent and CreateAgentSession only.
struct SlowPinCheck {
  std::string stored;     // the Argon2id hash
  std::string presented;  // the PIN of the request
};
std::optional<SlowPinCheck> slow_pin_check(const CallCenter& model, const ProxyRequest& request, const Actor& actor,
                                           TimePoint now);

}  // namespace opentapi::acd

#endif  // OPENTAPI_ACD_REQUEST_HANDLER_H_
