#include "tapi2/call_codec.h"

#include <algorithm>
#include <bit>
#include <cstddef>
#include <ctime>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "layout/coding.h"
#include "layout/var_struct.h"

namespace opentapi::tapi2 {
namespace {

using layout::Charset;
using layout::Pair;
using layout::VarStructWriter;

constexpr std::uint32_t kVersion1_4 = 0x00010004;
constexpr std::uint32_t kVersion2_0 = 0x00020000;
constexpr std::uint32_t kVersion2_2 = 0x00020002;
constexpr std::uint32_t kVersion3_0 = 0x00030000;

// Writes what the version's fixed part holds and nothing beyond it: a field
// a later version added is left to the variable part.
class Fields {
 public:
  Fields(VarStructWriter& w, std::uint32_t fixed) : w_(w), fixed_(fixed) {}

  void u32(std::uint32_t pos, std::uint32_t v) {
    if (pos + 4 <= fixed_) w_.u32(pos, v);
  }
  template <class T>
  void value(std::uint32_t pos, const T& v) {
    if (pos + sizeof(T) <= fixed_) w_.value(pos, v);
  }
  // A string that is empty on the wire is unknown: the field stays absent.
  void string(Pair pair, const std::string& utf8) {
    if (known(pair) && !utf8.empty()) w_.string(pair, utf8);
  }
  void data(Pair pair, const std::string& bytes) {
    if (known(pair) && !bytes.empty()) w_.data(pair, bytes.data(), static_cast<std::uint32_t>(bytes.size()));
  }
  bool known(Pair pair) const { return pair.offset_pos + 4 <= fixed_ && pair.size_pos + 4 <= fixed_; }

  VarStructWriter& writer() { return w_; }

 private:
  VarStructWriter& w_;
  std::uint32_t fixed_;
};

std::uint32_t string_format(Charset charset) {
  return charset == Charset::kWide ? STRINGFORMAT_UNICODE : STRINGFORMAT_ASCII;
}

// A NUL-separated list ending in two NULs ("tapi/line\0\0"), as UTF-8
// without the final NUL (the writer adds it).
std::string multi_string(const google::protobuf::RepeatedPtrField<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (item.empty()) continue;  // an empty item would end the list early
    out += item;
    out += '\0';
  }
  return out;
}

// ---- LINECALLPARAMS ----

// The variable pairs of LINECALLPARAMS, each with the first version that has it.
struct ParamPair {
  Pair pair;
  std::uint32_t since;
};
const ParamPair kCallParamPairs[] = {
    {OT_PAIR(LINECALLPARAMS, OrigAddress), 0},
    {OT_PAIR(LINECALLPARAMS, DisplayableAddress), 0},
    {OT_PAIR(LINECALLPARAMS, CalledParty), 0},
    {OT_PAIR(LINECALLPARAMS, Comment), 0},
    {OT_PAIR(LINECALLPARAMS, UserUserInfo), 0},
    {OT_PAIR(LINECALLPARAMS, HighLevelComp), 0},
    {OT_PAIR(LINECALLPARAMS, LowLevelComp), 0},
    {OT_PAIR(LINECALLPARAMS, DevSpecific), 0},
    {OT_PAIR(LINECALLPARAMS, TargetAddress), kVersion2_0},
    {OT_PAIR(LINECALLPARAMS, SendingFlowspec), kVersion2_0},
    {OT_PAIR(LINECALLPARAMS, ReceivingFlowspec), kVersion2_0},
    {OT_PAIR(LINECALLPARAMS, DeviceClass), kVersion2_0},
    {OT_PAIR(LINECALLPARAMS, DeviceConfig), kVersion2_0},
    {OT_PAIR(LINECALLPARAMS, CallData), kVersion2_0},
    {OT_PAIR(LINECALLPARAMS, CallingPartyID), kVersion2_0},
};

std::span<const unsigned char> field_bytes(const unsigned char* base, Pair pair) {
  const std::uint32_t size = layout::decode_fixed32(base + pair.size_pos);
  const std::uint32_t offset = layout::decode_fixed32(base + pair.offset_pos);
  if (size == 0) return {};
  return {base + offset, size};
}

// A string of the caller's structure: up to its first NUL (the NUL may be
// missing: the size alone bounds it). nullopt when the text is malformed
// (a W field whose size is not a multiple of 4 included).
std::optional<std::string> caller_string(std::span<const unsigned char> bytes, Charset charset) {
  if (charset == Charset::kAnsi) {
    std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    text = text.substr(0, text.find('\0'));
    if (!layout::is_valid_utf8(text)) return std::nullopt;
    return std::string(text);
  }
  if (bytes.size() % sizeof(wchar_t) != 0) return std::nullopt;
  std::wstring w;
  for (std::size_t at = 0; at < bytes.size(); at += sizeof(wchar_t)) {
    const std::uint32_t c = layout::decode_fixed32(bytes.data() + at);
    if (c == 0) break;
    w.push_back(static_cast<wchar_t>(c));
  }
  return layout::wide_to_utf8(w);
}

bool zero_or_one_bit(std::uint32_t v, std::uint32_t known) {
  return v == 0 || (std::popcount(v) == 1 && (v & ~known) == 0);
}

// Every LINEBEARERMODE_ (VOICE .. RESTRICTEDDATA) and LINEMEDIAMODE_
// (UNKNOWN .. VIDEO) bit of tapi.h.
constexpr std::uint32_t kBearerModes = (LINEBEARERMODE_RESTRICTEDDATA << 1) - 1;
constexpr std::uint32_t kMediaModes = ((LINEMEDIAMODE_VIDEO << 1) - 1) & ~1u;

}  // namespace

std::uint32_t fixed_size(CallStructure s, std::uint32_t v) {
  switch (s) {
    case CallStructure::kDevCaps:
      if (v < kVersion1_4) return OT_OFF(LINEDEVCAPS, dwLineFeatures);
      if (v < kVersion2_0) return OT_OFF(LINEDEVCAPS, dwSettableDevStatus);
      if (v < kVersion2_2) return OT_OFF(LINEDEVCAPS, PermanentLineGuid);
      if (v < kVersion3_0) return OT_OFF(LINEDEVCAPS, dwAddressTypes);
      return sizeof(LINEDEVCAPS);
    case CallStructure::kAddressCaps:
      if (v < kVersion1_4) return OT_OFF(LINEADDRESSCAPS, dwAddressFeatures);
      if (v < kVersion2_0) return OT_OFF(LINEADDRESSCAPS, dwPredictiveAutoTransferStates);
      return sizeof(LINEADDRESSCAPS);
    case CallStructure::kAddressStatus:
      return sizeof(LINEADDRESSSTATUS);
    case CallStructure::kLineDevStatus:
      if (v < kVersion2_0) return OT_OFF(LINEDEVSTATUS, dwAvailableMediaModes);
      return sizeof(LINEDEVSTATUS);
    case CallStructure::kCallInfo:
      if (v < kVersion2_0) return OT_OFF(LINECALLINFO, dwCallTreatment);
      if (v < kVersion3_0) return OT_OFF(LINECALLINFO, dwCallerIDAddressType);
      return sizeof(LINECALLINFO);
    case CallStructure::kCallStatus:
      if (v < kVersion2_0) return OT_OFF(LINECALLSTATUS, dwCallFeatures2);
      return sizeof(LINECALLSTATUS);
    case CallStructure::kCallList:
      return sizeof(LINECALLLIST);
    case CallStructure::kCallParams:
      if (v < kVersion2_0) return OT_OFF(LINECALLPARAMS, dwPredictiveAutoTransferStates);
      if (v < kVersion3_0) return OT_OFF(LINECALLPARAMS, dwAddressType);
      return sizeof(LINECALLPARAMS);
  }
  return 0;
}

std::uint32_t total_size_of(const void* structure) { return layout::decode_fixed32(structure); }

LONG write_dev_caps(const wire::DevCaps& c, std::uint32_t api_version, Charset charset, void* dst) {
  using T = LINEDEVCAPS;
  const std::uint32_t fixed = fixed_size(CallStructure::kDevCaps, api_version);
  auto w = VarStructWriter::begin(dst, total_size_of(dst), fixed, charset);
  if (!w) return LINEERR_STRUCTURETOOSMALL;
  Fields f(*w, fixed);
  f.u32(OT_OFF(T, dwPermanentLineID), c.permanent_line_id());
  f.u32(OT_OFF(T, dwStringFormat), string_format(charset));
  f.u32(OT_OFF(T, dwAddressModes), c.address_modes());
  f.u32(OT_OFF(T, dwNumAddresses), c.num_addresses());
  f.u32(OT_OFF(T, dwBearerModes), c.bearer_modes());
  f.u32(OT_OFF(T, dwMaxRate), c.max_rate());
  f.u32(OT_OFF(T, dwMediaModes), c.media_modes());
  f.u32(OT_OFF(T, dwDevCapFlags), c.dev_cap_flags());
  f.u32(OT_OFF(T, dwMaxNumActiveCalls), c.max_num_active_calls());
  f.u32(OT_OFF(T, dwAnswerMode), c.answer_mode());
  f.u32(OT_OFF(T, dwRingModes), c.ring_modes());
  f.u32(OT_OFF(T, dwLineStates), c.line_states());
  f.u32(OT_OFF(T, dwLineFeatures), c.line_features());
  f.u32(OT_OFF(T, dwAddressTypes), c.address_types());
  // TAPI 3's "PSTN" protocol: the switch carries telephone calls.
  static constexpr GUID kProtocolPstn = {0x831CE2D6, 0x83B5, 0x11D1, {0xBB, 0x5C, 0x00, 0xC0, 0x4F, 0xB6, 0x80, 0x9F}};
  f.value(OT_OFF(T, ProtocolGuid), kProtocolPstn);
  f.string(OT_PAIR(T, ProviderInfo), c.provider_info());
  f.string(OT_PAIR(T, SwitchInfo), c.switch_info());
  f.string(OT_PAIR(T, LineName), c.line_name());
  f.string(OT_PAIR(T, DeviceClasses), multi_string(c.device_classes()));
  w->finish();
  return 0;
}

LONG write_address_caps(const wire::AddressCaps& c, std::uint32_t api_version, Charset charset, void* dst) {
  using T = LINEADDRESSCAPS;
  const std::uint32_t fixed = fixed_size(CallStructure::kAddressCaps, api_version);
  auto w = VarStructWriter::begin(dst, total_size_of(dst), fixed, charset);
  if (!w) return LINEERR_STRUCTURETOOSMALL;
  Fields f(*w, fixed);
  f.u32(OT_OFF(T, dwLineDeviceID), c.line_device_id());
  f.u32(OT_OFF(T, dwAddressSharing), c.address_sharing());
  f.u32(OT_OFF(T, dwAddressStates), c.address_states());
  f.u32(OT_OFF(T, dwCallInfoStates), c.call_info_states());
  f.u32(OT_OFF(T, dwCallerIDFlags), c.caller_id_flags());
  f.u32(OT_OFF(T, dwCalledIDFlags), c.called_id_flags());
  f.u32(OT_OFF(T, dwConnectedIDFlags), c.connected_id_flags());
  f.u32(OT_OFF(T, dwRedirectionIDFlags), c.redirection_id_flags());
  f.u32(OT_OFF(T, dwRedirectingIDFlags), c.redirecting_id_flags());
  f.u32(OT_OFF(T, dwCallStates), c.call_states());
  f.u32(OT_OFF(T, dwDialToneModes), c.dial_tone_modes());
  f.u32(OT_OFF(T, dwBusyModes), c.busy_modes());
  f.u32(OT_OFF(T, dwSpecialInfo), c.special_info());
  f.u32(OT_OFF(T, dwDisconnectModes), c.disconnect_modes());
  f.u32(OT_OFF(T, dwMaxNumActiveCalls), c.max_num_active_calls());
  f.u32(OT_OFF(T, dwMaxNumOnHoldCalls), c.max_num_on_hold_calls());
  f.u32(OT_OFF(T, dwMaxNumOnHoldPendingCalls), c.max_num_on_hold_pending_calls());
  f.u32(OT_OFF(T, dwMaxNumConference), c.max_num_conference());
  f.u32(OT_OFF(T, dwMaxNumTransConf), c.max_num_trans_conf());
  f.u32(OT_OFF(T, dwAddrCapFlags), c.addr_cap_flags());
  f.u32(OT_OFF(T, dwCallFeatures), c.call_features());
  f.u32(OT_OFF(T, dwTransferModes), c.transfer_modes());
  f.u32(OT_OFF(T, dwParkModes), c.park_modes());
  f.u32(OT_OFF(T, dwForwardModes), c.forward_modes());
  f.u32(OT_OFF(T, dwAddressFeatures), c.address_features());
  f.u32(OT_OFF(T, dwPredictiveAutoTransferStates), c.predictive_auto_transfer_states());
  f.u32(OT_OFF(T, dwMaxCallDataSize), c.max_call_data_size());
  f.u32(OT_OFF(T, dwCallFeatures2), c.call_features2());
  f.u32(OT_OFF(T, dwConnectedModes), c.connected_modes());
  f.u32(OT_OFF(T, dwOfferingModes), c.offering_modes());
  f.u32(OT_OFF(T, dwAvailableMediaModes), c.available_media_modes());
  f.string(OT_PAIR(T, Address), c.address());
  w->finish();
  return 0;
}

LONG write_address_status(const wire::AddressStatus& s, std::uint32_t api_version, void* dst) {
  using T = LINEADDRESSSTATUS;
  const std::uint32_t fixed = fixed_size(CallStructure::kAddressStatus, api_version);
  auto w = VarStructWriter::begin(dst, total_size_of(dst), fixed, Charset::kAnsi);
  if (!w) return LINEERR_STRUCTURETOOSMALL;
  Fields f(*w, fixed);
  f.u32(OT_OFF(T, dwNumInUse), s.num_in_use());
  f.u32(OT_OFF(T, dwNumActiveCalls), s.num_active_calls());
  f.u32(OT_OFF(T, dwNumOnHoldCalls), s.num_on_hold_calls());
  f.u32(OT_OFF(T, dwNumOnHoldPendCalls), s.num_on_hold_pend_calls());
  f.u32(OT_OFF(T, dwAddressFeatures), s.address_features());
  w->finish();
  return 0;
}

LONG write_line_dev_status(const wire::LineDevStatus& s, std::uint32_t api_version, Charset charset, void* dst) {
  using T = LINEDEVSTATUS;
  using E = LINEAPPINFO;
  const std::uint32_t fixed = fixed_size(CallStructure::kLineDevStatus, api_version);
  auto w = VarStructWriter::begin(dst, total_size_of(dst), fixed, charset);
  if (!w) return LINEERR_STRUCTURETOOSMALL;
  Fields f(*w, fixed);
  f.u32(OT_OFF(T, dwNumOpens), s.num_opens());
  f.u32(OT_OFF(T, dwOpenMediaModes), s.open_media_modes());
  f.u32(OT_OFF(T, dwNumActiveCalls), s.num_active_calls());
  f.u32(OT_OFF(T, dwNumOnHoldCalls), s.num_on_hold_calls());
  f.u32(OT_OFF(T, dwNumOnHoldPendCalls), s.num_on_hold_pend_calls());
  f.u32(OT_OFF(T, dwLineFeatures), s.line_features());
  f.u32(OT_OFF(T, dwDevStatusFlags), s.dev_status_flags());
  f.u32(OT_OFF(T, dwAvailableMediaModes), s.available_media_modes());
  if (f.known(OT_PAIR(T, AppInfo)) && s.app_info_size() > 0) {
    // One LINEAPPINFO per open, its strings after the array; offsets are
    // relative to the LINEDEVSTATUS.
    const auto count = static_cast<std::uint32_t>(s.app_info_size());
    const layout::Array array = w->array(OT_PAIR(T, AppInfo), count, sizeof(E));
    for (std::uint32_t i = 0; i < count; ++i) {
      const wire::AppInfo& a = s.app_info(static_cast<int>(i));
      if (array.placed()) {
        w->u32(array.element(i) + OT_OFF(E, dwMediaModes), a.media_modes());
        w->u32(array.element(i) + OT_OFF(E, dwAddressID), a.address_id());
      }
      const std::pair<Pair, const std::string*> strings[] = {
          {OT_PAIR(E, MachineName), &a.machine_name()},
          {OT_PAIR(E, UserName), &a.user_name()},
          {OT_PAIR(E, ModuleFilename), &a.module_filename()},
          {OT_PAIR(E, FriendlyName), &a.friendly_name()},
      };
      for (const auto& [pair, text] : strings) {
        if (!text->empty()) w->element_string(array, i, pair, *text);
      }
    }
  }
  w->finish();
  return 0;
}

LONG write_call_info(const wire::CallInfo& c, std::uint32_t hline, std::uint32_t api_version, Charset charset,
                     void* dst) {
  using T = LINECALLINFO;
  const std::uint32_t fixed = fixed_size(CallStructure::kCallInfo, api_version);
  auto w = VarStructWriter::begin(dst, total_size_of(dst), fixed, charset);
  if (!w) return LINEERR_STRUCTURETOOSMALL;
  Fields f(*w, fixed);
  f.u32(OT_OFF(T, hLine), hline);
  f.u32(OT_OFF(T, dwLineDeviceID), c.line_device_id());
  f.u32(OT_OFF(T, dwAddressID), c.address_id());
  f.u32(OT_OFF(T, dwBearerMode), c.bearer_mode());
  f.u32(OT_OFF(T, dwRate), c.rate());
  f.u32(OT_OFF(T, dwMediaMode), c.media_mode());
  f.u32(OT_OFF(T, dwAppSpecific), c.app_specific());
  f.u32(OT_OFF(T, dwCallID), c.call_id());
  f.u32(OT_OFF(T, dwRelatedCallID), c.related_call_id());
  f.u32(OT_OFF(T, dwCallParamFlags), c.call_param_flags());
  f.u32(OT_OFF(T, dwCallStates), c.call_states());
  f.u32(OT_OFF(T, dwOrigin), c.origin());
  f.u32(OT_OFF(T, dwReason), c.reason());
  f.u32(OT_OFF(T, dwCompletionID), c.completion_id());
  f.u32(OT_OFF(T, dwNumOwners), c.num_owners());
  f.u32(OT_OFF(T, dwNumMonitors), c.num_monitors());
  f.u32(OT_OFF(T, dwCountryCode), c.country_code());
  f.u32(OT_OFF(T, dwTrunk), c.trunk());
  f.u32(OT_OFF(T, dwCallerIDFlags), c.caller_id_flags());
  f.u32(OT_OFF(T, dwCalledIDFlags), c.called_id_flags());
  f.u32(OT_OFF(T, dwConnectedIDFlags), c.connected_id_flags());
  f.u32(OT_OFF(T, dwRedirectionIDFlags), c.redirection_id_flags());
  f.u32(OT_OFF(T, dwRedirectingIDFlags), c.redirecting_id_flags());
  // 3.0: every number the switch knows is a telephone number.
  for (const auto& [pos, flags] : {std::pair{OT_OFF(T, dwCallerIDAddressType), c.caller_id_flags()},
                                   std::pair{OT_OFF(T, dwCalledIDAddressType), c.called_id_flags()},
                                   std::pair{OT_OFF(T, dwConnectedIDAddressType), c.connected_id_flags()},
                                   std::pair{OT_OFF(T, dwRedirectionIDAddressType), c.redirection_id_flags()},
                                   std::pair{OT_OFF(T, dwRedirectingIDAddressType), c.redirecting_id_flags()}}) {
    if ((flags & LINECALLPARTYID_ADDRESS) != 0)
      f.u32(pos, c.address_type() != 0 ? c.address_type() : LINEADDRESSTYPE_PHONENUMBER);
  }
  f.string(OT_PAIR(T, CallerID), c.caller_id());
  f.string(OT_PAIR(T, CallerIDName), c.caller_id_name());
  f.string(OT_PAIR(T, CalledID), c.called_id());
  f.string(OT_PAIR(T, CalledIDName), c.called_id_name());
  f.string(OT_PAIR(T, ConnectedID), c.connected_id());
  f.string(OT_PAIR(T, ConnectedIDName), c.connected_id_name());
  f.string(OT_PAIR(T, RedirectionID), c.redirection_id());
  f.string(OT_PAIR(T, RedirectionIDName), c.redirection_id_name());
  f.string(OT_PAIR(T, RedirectingID), c.redirecting_id());
  f.string(OT_PAIR(T, RedirectingIDName), c.redirecting_id_name());
  f.string(OT_PAIR(T, AppName), c.app_name());
  f.string(OT_PAIR(T, DisplayableAddress), c.displayable_address());
  f.string(OT_PAIR(T, CalledParty), c.called_party());
  f.string(OT_PAIR(T, Comment), c.comment());
  f.data(OT_PAIR(T, CallData), c.call_data());
  w->finish();
  return 0;
}

SYSTEMTIME system_time_from_unix_ms(std::int64_t ms) {
  SYSTEMTIME t{};
  if (ms < 0) return t;
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  if (::gmtime_r(&seconds, &tm) == nullptr || tm.tm_year + 1900 > 30827) return t;
  t.wYear = static_cast<WORD>(tm.tm_year + 1900);
  t.wMonth = static_cast<WORD>(tm.tm_mon + 1);
  t.wDayOfWeek = static_cast<WORD>(tm.tm_wday);
  t.wDay = static_cast<WORD>(tm.tm_mday);
  t.wHour = static_cast<WORD>(tm.tm_hour);
  t.wMinute = static_cast<WORD>(tm.tm_min);
  t.wSecond = static_cast<WORD>(std::min(tm.tm_sec, 59));  // a leap second reads as :59
  t.wMilliseconds = static_cast<WORD>(ms % 1000);
  return t;
}

LONG write_call_status(const wire::CallStatus& s, std::uint32_t api_version, void* dst) {
  using T = LINECALLSTATUS;
  const std::uint32_t fixed = fixed_size(CallStructure::kCallStatus, api_version);
  auto w = VarStructWriter::begin(dst, total_size_of(dst), fixed, Charset::kAnsi);
  if (!w) return LINEERR_STRUCTURETOOSMALL;
  Fields f(*w, fixed);
  f.u32(OT_OFF(T, dwCallState), s.call_state());
  f.u32(OT_OFF(T, dwCallStateMode), s.call_state_mode());
  f.u32(OT_OFF(T, dwCallPrivilege), s.call_privilege());
  f.u32(OT_OFF(T, dwCallFeatures), s.call_features());
  f.u32(OT_OFF(T, dwCallFeatures2), s.call_features2());
  f.value(OT_OFF(T, tStateEntryTime), system_time_from_unix_ms(s.state_entry_time_ms()));
  w->finish();
  return 0;
}

LONG write_line_device_id(std::uint32_t device_id, void* dst) {
  using T = VARSTRING;
  auto w = VarStructWriter::begin(dst, total_size_of(dst), sizeof(T), Charset::kAnsi);
  if (!w) return LINEERR_STRUCTURETOOSMALL;
  w->u32(OT_OFF(T, dwStringFormat), STRINGFORMAT_BINARY);
  unsigned char id[4];
  layout::encode_fixed32(id, device_id);
  w->data(OT_PAIR(T, String), id, sizeof id);
  w->finish();
  return 0;
}

LONG write_call_list(const std::vector<std::uint32_t>& hcalls, void* dst, bool* placed) {
  using T = LINECALLLIST;
  *placed = false;
  auto w = VarStructWriter::begin(dst, total_size_of(dst), sizeof(T), Charset::kAnsi);
  if (!w) return LINEERR_STRUCTURETOOSMALL;
  const auto count = static_cast<std::uint32_t>(hcalls.size());
  const layout::Array array = w->array(OT_PAIR(T, Calls), count, sizeof(HCALL));
  if (array.placed()) {
    for (std::uint32_t i = 0; i < count; ++i) w->u32(array.element(i), hcalls[i]);
    w->u32(OT_OFF(T, dwCallsNumEntries), count);
  }
  *placed = array.placed() || count == 0;
  w->finish();
  return 0;
}

void split_calling_party(const std::string& id, std::string* number, std::string* name) {
  const auto open = id.rfind('<');
  if (!id.empty() && id.back() == '>' && open != std::string::npos) {
    *number = id.substr(open + 1, id.size() - open - 2);
    std::string n = id.substr(0, open);
    while (!n.empty() && n.back() == ' ') n.pop_back();
    *name = std::move(n);
    return;
  }
  *number = id;
  name->clear();
}

LONG read_call_params(const LINECALLPARAMS* params, std::uint32_t api_version, Charset charset, wire::MakeCall* out) {
  using T = LINECALLPARAMS;
  const auto* base = reinterpret_cast<const unsigned char*>(params);
  const std::uint32_t fixed = fixed_size(CallStructure::kCallParams, api_version);
  const std::uint32_t total = total_size_of(params);
  if (total < fixed) return LINEERR_STRUCTURETOOSMALL;
  for (const auto& p : kCallParamPairs) {
    if (api_version < p.since) continue;
    const std::uint64_t size = layout::decode_fixed32(base + p.pair.size_pos);
    const std::uint64_t offset = layout::decode_fixed32(base + p.pair.offset_pos);
    if (size != 0 && (offset < fixed || offset + size > total)) return LINEERR_INVALCALLPARAMS;
  }
  auto u32 = [&](std::uint32_t pos) { return layout::decode_fixed32(base + pos); };
  auto text = [&](Pair pair, std::optional<std::string>* s) {
    const auto bytes = field_bytes(base, pair);
    if (bytes.empty()) return true;
    *s = caller_string(bytes, charset);
    return s->has_value();
  };
  std::optional<std::string> orig_address;
  std::optional<std::string> calling_party;
  if (!text(OT_PAIR(T, OrigAddress), &orig_address)) return LINEERR_INVALCALLPARAMS;
  if (api_version >= kVersion2_0 && !text(OT_PAIR(T, CallingPartyID), &calling_party)) {
    return LINEERR_INVALCALLPARAMS;
  }

  const std::uint32_t bearer = u32(OT_OFF(T, dwBearerMode));
  if (!zero_or_one_bit(bearer, kBearerModes)) return LINEERR_INVALBEARERMODE;
  const std::uint32_t media = u32(OT_OFF(T, dwMediaMode));
  if (!zero_or_one_bit(media, kMediaModes)) return LINEERR_INVALMEDIAMODE;
  const std::uint32_t address_mode = u32(OT_OFF(T, dwAddressMode));
  if (address_mode != 0 && address_mode != LINEADDRESSMODE_ADDRESSID && address_mode != LINEADDRESSMODE_DIALABLEADDR) {
    return LINEERR_INVALADDRESSMODE;
  }
  if (address_mode == LINEADDRESSMODE_DIALABLEADDR && (!orig_address || orig_address->empty())) {
    return LINEERR_INVALADDRESS;
  }
  if (u32(OT_OFF(T, dwUserUserInfoSize)) != 0) return LINEERR_USERUSERINFOTOOBIG;
  if (api_version >= kVersion3_0) {
    const std::uint32_t type = u32(OT_OFF(T, dwAddressType));
    if (type != 0 && type != LINEADDRESSTYPE_PHONENUMBER) return LINEERR_INVALADDRESSTYPE;
  }

  wire::CallParams* p = out->mutable_params();
  p->set_bearer_mode(bearer);
  p->set_media_mode(media);
  if (address_mode == LINEADDRESSMODE_DIALABLEADDR) {
    out->set_orig_address(*orig_address);
  } else {
    out->set_address_id(u32(OT_OFF(T, dwAddressID)));
  }
  if (api_version >= kVersion2_0) {
    if (calling_party && !calling_party->empty()) {
      split_calling_party(*calling_party, p->mutable_caller_number(), p->mutable_caller_name());
    }
    const auto call_data = field_bytes(base, OT_PAIR(T, CallData));
    if (!call_data.empty()) p->set_call_data(call_data.data(), call_data.size());
    p->set_no_answer_timeout(u32(OT_OFF(T, dwNoAnswerTimeout)));
  }
  return 0;
}

}  // namespace opentapi::tapi2
