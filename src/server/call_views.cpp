#include "server/call_views.h"

#include <tapi.h>

namespace opentapi::server {
namespace {

using switching::CallState;
namespace sw = switching;

// The switch spells Windows' values as numbers (it includes no tapi.h): they
// must be tapi.h's.
static_assert(sw::dword(CallState::kIdle) == LINECALLSTATE_IDLE);
static_assert(sw::dword(CallState::kOffering) == LINECALLSTATE_OFFERING);
static_assert(sw::dword(CallState::kDialing) == LINECALLSTATE_DIALING);
static_assert(sw::dword(CallState::kRingback) == LINECALLSTATE_RINGBACK);
static_assert(sw::dword(CallState::kBusy) == LINECALLSTATE_BUSY);
static_assert(sw::dword(CallState::kConnected) == LINECALLSTATE_CONNECTED);
static_assert(sw::dword(CallState::kProceeding) == LINECALLSTATE_PROCEEDING);
static_assert(sw::dword(CallState::kOnHold) == LINECALLSTATE_ONHOLD);
static_assert(sw::dword(CallState::kDisconnected) == LINECALLSTATE_DISCONNECTED);
static_assert(sw::mode::kOfferingActive == LINEOFFERINGMODE_ACTIVE);
static_assert(sw::mode::kBusyStation == LINEBUSYMODE_STATION);
static_assert(sw::mode::kDisconnectNormal == LINEDISCONNECTMODE_NORMAL);
static_assert(sw::mode::kDisconnectBadAddress == LINEDISCONNECTMODE_BADADDRESS);
static_assert(sw::mode::kDisconnectReject == LINEDISCONNECTMODE_REJECT);
static_assert(sw::mode::kConnectedActive == LINECONNECTEDMODE_ACTIVE);
static_assert(sw::kOpFeature[static_cast<int>(sw::CallOp::kAnswer)] == LINECALLFEATURE_ANSWER);
static_assert(sw::kOpFeature[static_cast<int>(sw::CallOp::kDrop)] == LINECALLFEATURE_DROP);
static_assert(sw::kOpFeature[static_cast<int>(sw::CallOp::kHold)] == LINECALLFEATURE_HOLD);
static_assert(sw::kOpFeature[static_cast<int>(sw::CallOp::kUnhold)] == LINECALLFEATURE_UNHOLD);
static_assert(sw::kOpFeature[static_cast<int>(sw::CallOp::kBlindTransfer)] == LINECALLFEATURE_BLINDTRANSFER);
static_assert(sw::kOpFeature[static_cast<int>(sw::CallOp::kRedirect)] == LINECALLFEATURE_REDIRECT);
static_assert(sw::kOpFeature[static_cast<int>(sw::CallOp::kSetCallData)] == LINECALLFEATURE_SETCALLDATA);
static_assert(sw::party_flags::kName == LINECALLPARTYID_NAME);
static_assert(sw::party_flags::kAddress == LINECALLPARTYID_ADDRESS);
static_assert(sw::party_flags::kUnknown == LINECALLPARTYID_UNKNOWN);
static_assert(sw::origin::kOutbound == LINECALLORIGIN_OUTBOUND);
static_assert(sw::origin::kInternal == LINECALLORIGIN_INTERNAL);
static_assert(sw::origin::kExternal == LINECALLORIGIN_EXTERNAL);
static_assert(sw::reason::kDirect == LINECALLREASON_DIRECT);
static_assert(sw::reason::kRedirect == LINECALLREASON_REDIRECT);
static_assert(sw::reason::kTransfer == LINECALLREASON_TRANSFER);
static_assert(sw::info::kAppSpecific == LINECALLINFOSTATE_APPSPECIFIC);
static_assert(sw::info::kRelatedCallId == LINECALLINFOSTATE_RELATEDCALLID);
static_assert(sw::info::kConnectedId == LINECALLINFOSTATE_CONNECTEDID);
static_assert(sw::info::kRedirectionId == LINECALLINFOSTATE_REDIRECTIONID);
static_assert(sw::info::kCallData == LINECALLINFOSTATE_CALLDATA);
static_assert(sw::kMediaInteractiveVoice == LINEMEDIAMODE_INTERACTIVEVOICE);
static_assert(sw::kBearerVoice == LINEBEARERMODE_VOICE);
static_assert(static_cast<std::uint32_t>(sw::lineerr::kCallUnavail) == static_cast<std::uint32_t>(LINEERR_CALLUNAVAIL));
static_assert(static_cast<std::uint32_t>(sw::lineerr::kInvalAddress) ==
              static_cast<std::uint32_t>(LINEERR_INVALADDRESS));
static_assert(static_cast<std::uint32_t>(sw::lineerr::kInvalBearerMode) ==
              static_cast<std::uint32_t>(LINEERR_INVALBEARERMODE));
static_assert(static_cast<std::uint32_t>(sw::lineerr::kInvalCallHandle) ==
              static_cast<std::uint32_t>(LINEERR_INVALCALLHANDLE));
static_assert(static_cast<std::uint32_t>(sw::lineerr::kInvalCallParams) ==
              static_cast<std::uint32_t>(LINEERR_INVALCALLPARAMS));
static_assert(static_cast<std::uint32_t>(sw::lineerr::kInvalCallState) ==
              static_cast<std::uint32_t>(LINEERR_INVALCALLSTATE));
static_assert(static_cast<std::uint32_t>(sw::lineerr::kInvalMediaMode) ==
              static_cast<std::uint32_t>(LINEERR_INVALMEDIAMODE));

constexpr std::uint32_t kPartyFlags = LINECALLPARTYID_ADDRESS | LINECALLPARTYID_NAME | LINECALLPARTYID_UNKNOWN;

// The busy rule's limit as LINEDEVCAPS / LINEADDRESSCAPS give it.
std::uint32_t per_address(std::uint32_t limit, std::uint32_t unlimited) {
  return limit == sw::kUnlimited ? unlimited : limit;
}

std::uint32_t unlimited_calls(const sw::Switch& s) {
  return s.limits().max_calls > 0xFFFFFFFFu ? 0xFFFFFFFFu : static_cast<std::uint32_t>(s.limits().max_calls);
}

}  // namespace

std::uint32_t reported_call_info_states() {
  return LINECALLINFOSTATE_APPSPECIFIC | LINECALLINFOSTATE_RELATEDCALLID | LINECALLINFOSTATE_CONNECTEDID |
         LINECALLINFOSTATE_REDIRECTIONID | LINECALLINFOSTATE_CALLDATA | LINECALLINFOSTATE_NUMOWNERINCR |
         LINECALLINFOSTATE_NUMOWNERDECR | LINECALLINFOSTATE_NUMMONITORS;
}

wire::DevCaps dev_caps(const sw::Switch& s, std::uint32_t device, std::string_view server_version) {
  const sw::PlannedDevice& d = *s.plan().device(device);
  const auto addresses = static_cast<std::uint32_t>(d.addresses.size());
  wire::DevCaps c;
  c.set_provider_info("opentapi switch");
  c.set_switch_info("opentapid " + std::string(server_version));
  // docs/calls.md: never 0, stable while the configuration is.
  c.set_permanent_line_id((device + 1) & 0xFFFF);
  c.set_line_name(d.name);
  c.set_address_modes(LINEADDRESSMODE_ADDRESSID | LINEADDRESSMODE_DIALABLEADDR);
  c.set_num_addresses(addresses);
  c.set_bearer_modes(LINEBEARERMODE_VOICE);
  c.set_media_modes(LINEMEDIAMODE_INTERACTIVEVOICE);
  // Closing the line drops the calls its last owner leaves (docs/calls.md).
  c.set_dev_cap_flags(LINEDEVCAPFLAGS_CLOSEDROP);
  const std::uint32_t per = per_address(d.max_active_calls, unlimited_calls(s));
  c.set_max_num_active_calls(per == unlimited_calls(s) ? per : per * addresses);
  c.set_answer_mode(LINEANSWERMODE_NONE);
  c.set_ring_modes(1);
  // OUTOFSERVICE: a cluster node that loses its call center (docs/ha.md).
  c.set_line_states(LINEDEVSTATE_NUMCALLS | LINEDEVSTATE_OUTOFSERVICE);
  c.set_line_features(LINEFEATURE_MAKECALL);
  c.set_address_types(LINEADDRESSTYPE_PHONENUMBER);
  c.add_device_classes("tapi/line");
  return c;
}

wire::AddressCaps address_caps(const sw::Switch& s, sw::AddressRef address) {
  const sw::PlannedDevice& d = *s.plan().device(address.device);
  wire::AddressCaps c;
  c.set_line_device_id(address.device);
  c.set_address(d.addresses[address.address].number);
  c.set_address_sharing(LINEADDRESSSHARING_PRIVATE);
  c.set_address_states(LINEADDRESSSTATE_INUSEZERO | LINEADDRESSSTATE_INUSEONE | LINEADDRESSSTATE_NUMCALLS);
  c.set_call_info_states(reported_call_info_states());
  c.set_caller_id_flags(kPartyFlags);
  c.set_called_id_flags(kPartyFlags);
  c.set_connected_id_flags(kPartyFlags);
  c.set_redirection_id_flags(kPartyFlags);
  c.set_redirecting_id_flags(kPartyFlags);
  c.set_call_states(sw::kAllCallStates);
  c.set_busy_modes(LINEBUSYMODE_STATION);
  // UNAVAIL: a call that ended with a lost server, said by libopentapi at a
  // resume (docs/ha.md "Calls at a resume").
  c.set_disconnect_modes(LINEDISCONNECTMODE_NORMAL | LINEDISCONNECTMODE_REJECT | LINEDISCONNECTMODE_BADADDRESS |
                         LINEDISCONNECTMODE_UNAVAIL);
  c.set_max_num_active_calls(per_address(d.max_active_calls, unlimited_calls(s)));
  c.set_max_num_on_hold_calls(per_address(d.max_on_hold_calls, unlimited_calls(s)));
  c.set_addr_cap_flags(d.kind == sw::DeviceKind::kRoutePoint ? LINEADDRCAPFLAGS_ROUTEPOINT : 0);
  c.set_call_features(sw::kAllCallFeatures);
  c.set_address_features(LINEADDRFEATURE_MAKECALL);
  c.set_max_call_data_size(static_cast<std::uint32_t>(s.limits().max_call_data_bytes));
  c.set_connected_modes(LINECONNECTEDMODE_ACTIVE);
  c.set_offering_modes(LINEOFFERINGMODE_ACTIVE);
  c.set_available_media_modes(LINEMEDIAMODE_INTERACTIVEVOICE);
  c.set_address_type(LINEADDRESSTYPE_PHONENUMBER);
  return c;
}

wire::AddressStatus address_status(const sw::Switch& s, sw::AddressRef address) {
  const sw::AddressCalls calls = s.counts(address);
  const sw::PlannedDevice* d = s.plan().device(address.device);
  wire::AddressStatus st;
  st.set_num_in_use(calls.in_use() ? 1 : 0);
  st.set_num_active_calls(calls.active);
  st.set_num_on_hold_calls(calls.on_hold);
  const bool room = d != nullptr && (d->max_active_calls == sw::kUnlimited || calls.busy < d->max_active_calls);
  st.set_address_features(room ? LINEADDRFEATURE_MAKECALL : 0);
  return st;
}

wire::CallInfo call_info(const sw::Appearance& a, std::uint32_t num_owners, std::uint32_t num_monitors,
                         std::string_view app_name) {
  wire::CallInfo c;
  c.set_line_device_id(a.address.device);
  c.set_address_id(a.address.address);
  c.set_bearer_mode(a.bearer_mode);
  c.set_media_mode(a.media_mode);
  c.set_app_specific(a.app_specific);
  c.set_call_id(a.id);
  c.set_related_call_id(a.related);
  c.set_call_states(sw::kAllCallStates);
  c.set_origin(a.origin);
  c.set_reason(a.reason);
  c.set_num_owners(num_owners);
  c.set_num_monitors(num_monitors);
  c.set_trunk(0xFFFFFFFF);  // unknown (LINECALLINFO.dwTrunk)
  c.set_caller_id_flags(a.caller.flags());
  c.set_caller_id(a.caller.number);
  c.set_caller_id_name(a.caller.name);
  c.set_called_id_flags(a.called.flags());
  c.set_called_id(a.called.number);
  c.set_called_id_name(a.called.name);
  c.set_connected_id_flags(a.connected.flags());
  c.set_connected_id(a.connected.number);
  c.set_connected_id_name(a.connected.name);
  c.set_redirection_id_flags(a.redirection.flags());
  c.set_redirection_id(a.redirection.number);
  c.set_redirection_id_name(a.redirection.name);
  c.set_redirecting_id_flags(a.redirecting.flags());
  c.set_redirecting_id(a.redirecting.number);
  c.set_redirecting_id_name(a.redirecting.name);
  c.set_app_name(std::string(app_name));
  c.set_call_data(a.call_data);
  c.set_address_type(LINEADDRESSTYPE_PHONENUMBER);
  return c;
}

wire::CallStatus call_status(const sw::Appearance& a, std::uint32_t privilege) {
  wire::CallStatus c;
  c.set_call_state(sw::dword(a.state));
  c.set_call_state_mode(a.state_mode);
  c.set_call_privilege(privilege);
  c.set_call_features(privilege == LINECALLPRIVILEGE_OWNER ? sw::call_features(a.state) : 0);
  c.set_state_entry_time_ms(a.state_since.unix_ms());
  return c;
}

}  // namespace opentapi::server
