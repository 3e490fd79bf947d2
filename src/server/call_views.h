// The structures a TAPI application reads about devices, addresses and calls
// (LINEDEVCAPS, LINEADDRESSCAPS, LINEADDRESSSTATUS, LINECALLINFO,
// LINECALLSTATUS), filled from the switch as the wire answers carry them
// (opentapi.proto). Pure functions: what the switch offers is decided here,
// once, and the Switchboard only picks the right one (docs/calls.md).
#ifndef OPENTAPI_SERVER_CALL_VIEWS_H
#define OPENTAPI_SERVER_CALL_VIEWS_H

#include <cstdint>
#include <string_view>

#include "opentapi.pb.h"
#include "switch/switch.h"

namespace opentapi::server {

// Every LINEDEVSTATE_* / LINEADDRESSSTATE_* bit Windows defines: what
// lineSetStatusMessages accepts. Only NUMCALLS (and, for addresses, INUSEZERO
// and INUSEONE) are ever reported.
inline constexpr std::uint32_t kAllLineStates = 0x01FFFFFF;
inline constexpr std::uint32_t kAllAddressStates = 0x000001FF;

// The LINECALLINFOSTATE_* bits the Switchboard reports.
std::uint32_t reported_call_info_states();

// REQUIRES: `device` is a device of the switch's plan.
wire::DevCaps dev_caps(const switching::Switch& sw, std::uint32_t device, std::string_view server_version);
// REQUIRES: `address` is an address of the switch's plan.
wire::AddressCaps address_caps(const switching::Switch& sw, switching::AddressRef address);
wire::AddressStatus address_status(const switching::Switch& sw, switching::AddressRef address);
wire::CallInfo call_info(const switching::Appearance& call, std::uint32_t num_owners, std::uint32_t num_monitors,
                         std::string_view app_name);
// `privilege`: the handle's; an owner sees the features the state allows, a
// monitor none.
wire::CallStatus call_status(const switching::Appearance& call, std::uint32_t privilege);

}  // namespace opentapi::server

#endif  // OPENTAPI_SERVER_CALL_VIEWS_H
