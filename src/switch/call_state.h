// The call-appearance state machine (docs/calls.md "The call model") as data
// plus pure functions: the states, which operation each state allows, and
// the features (LINECALLFEATURE_*) that follow from it.
//
// Values are Windows' (tapi.h): LINECALLSTATE_*, LINECALLFEATURE_*, and the
// state details (LINEDISCONNECTMODE_*, LINEBUSYMODE_*, LINEOFFERINGMODE_*).
// They are spelled here as numbers so that the switch depends on nothing but
// the standard library and core; src/server checks them against tapi.h.
//
// What happens on each operation (which appearance goes where) is the
// Switch's business (switch.h); this file says only whether it is allowed.
#ifndef OPENTAPI_SWITCH_CALL_STATE_H_
#define OPENTAPI_SWITCH_CALL_STATE_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/status.h"
#include "switch/errors.h"

namespace opentapi::switching {

// LINECALLSTATE_* (only the states this switch enters).
enum class CallState : std::uint32_t {
  kIdle = 0x00000001,
  kOffering = 0x00000002,
  kDialing = 0x00000010,
  kRingback = 0x00000020,
  kBusy = 0x00000040,
  kConnected = 0x00000100,
  kProceeding = 0x00000200,
  kOnHold = 0x00000400,
  kDisconnected = 0x00004000,
};

constexpr std::uint32_t dword(CallState s) noexcept { return static_cast<std::uint32_t>(s); }
std::string_view to_string(CallState s) noexcept;

// Every state above: LINEADDRESSCAPS.dwCallStates, LINECALLINFO.dwCallStates.
inline constexpr std::uint32_t kAllCallStates = 0x00004773;

// States that occupy an address for the busy rule (dwMaxNumActiveCalls): all
// but IDLE, ONHOLD (counted apart, dwMaxNumOnHoldCalls) and DISCONNECTED (the
// far end is gone: the telephone is free for the next call).
constexpr bool is_active(CallState s) noexcept {
  return s != CallState::kIdle && s != CallState::kOnHold && s != CallState::kDisconnected;
}

// The details a state carries in LINE_CALLSTATE dwParam2 / dwCallStateMode.
namespace mode {
inline constexpr std::uint32_t kOfferingActive = 0x00000001;        // LINEOFFERINGMODE_ACTIVE
inline constexpr std::uint32_t kBusyStation = 0x00000001;           // LINEBUSYMODE_STATION
inline constexpr std::uint32_t kDisconnectNormal = 0x00000001;      // LINEDISCONNECTMODE_NORMAL
inline constexpr std::uint32_t kDisconnectReject = 0x00000004;      // LINEDISCONNECTMODE_REJECT
inline constexpr std::uint32_t kDisconnectBadAddress = 0x00000080;  // LINEDISCONNECTMODE_BADADDRESS
inline constexpr std::uint32_t kConnectedActive = 0x00000001;       // LINECONNECTEDMODE_ACTIVE
}  // namespace mode

// The operations an owner can ask of an appearance.
enum class CallOp : std::uint8_t {
  kAnswer,
  kDrop,
  kHold,
  kUnhold,
  kBlindTransfer,
  kRedirect,
  kSetCallData,
};
inline constexpr std::size_t kCallOps = 7;

std::string_view to_string(CallOp op) noexcept;

// Row = operation; value = the states it may start from (LINECALLSTATE_ bits).
// docs/calls.md: answer an OFFERING call, drop any call not yet IDLE, hold a
// CONNECTED one and unhold an ONHOLD one, blind-transfer a CONNECTED call,
// redirect an OFFERING one; call data can be set until the call is IDLE.
// clang-format off
inline constexpr std::array<std::uint32_t, kCallOps> kOpFromStates = {
    /*ANSWER        */ dword(CallState::kOffering),
    /*DROP          */ kAllCallStates & ~dword(CallState::kIdle),
    /*HOLD          */ dword(CallState::kConnected),
    /*UNHOLD        */ dword(CallState::kOnHold),
    /*BLINDTRANSFER */ dword(CallState::kConnected),
    /*REDIRECT      */ dword(CallState::kOffering),
    /*SETCALLDATA   */ kAllCallStates & ~dword(CallState::kIdle),
};
// LINECALLFEATURE_* of each operation, in the same order.
inline constexpr std::array<std::uint32_t, kCallOps> kOpFeature = {
    /*ANSWER        */ 0x00000004,
    /*DROP          */ 0x00000080,
    /*HOLD          */ 0x00000800,
    /*UNHOLD        */ 0x08000000,
    /*BLINDTRANSFER */ 0x00000008,
    /*REDIRECT      */ 0x00020000,
    /*SETCALLDATA   */ 0x80000000,
};
// clang-format on

// Every feature above: LINEADDRESSCAPS.dwCallFeatures.
inline constexpr std::uint32_t kAllCallFeatures = [] {
  std::uint32_t all = 0;
  for (std::uint32_t f : kOpFeature) all |= f;
  return all;
}();

constexpr bool allows(CallState from, CallOp op) noexcept {
  return (kOpFromStates[static_cast<std::size_t>(op)] & dword(from)) != 0;
}

// LINECALLSTATUS.dwCallFeatures of an owner in state `s`.
constexpr std::uint32_t call_features(CallState s) noexcept {
  std::uint32_t features = 0;
  for (std::size_t i = 0; i < kCallOps; ++i) {
    if ((kOpFromStates[i] & dword(s)) != 0) features |= kOpFeature[i];
  }
  return features;
}

// OK if `op` is allowed in `from`, else LINEERR_INVALCALLSTATE naming both.
core::Status check_op(CallState from, CallOp op);

}  // namespace opentapi::switching

#endif  // OPENTAPI_SWITCH_CALL_STATE_H_
