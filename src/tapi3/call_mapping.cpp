#include "tapi3/call_mapping.h"

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <cstring>

#include "layout/var_struct.h"
#include "tapi3/mapping.h"

namespace opentapi::tapi3 {
namespace {

using layout::Charset;
using layout::VarStructReader;

// A reader of a W-form structure TAPI 2 filled into `bytes` bytes: fields
// anywhere after the header and inside both the buffer and dwTotalSize. A
// fixed field beyond them (an older, shorter version) reads as 0.
VarStructReader filled(const void* base, std::size_t bytes) {
  if (base == nullptr || bytes < layout::kHeaderBytes) return VarStructReader(base, 0, 0, Charset::kWide);
  const layout::VarHeader h = layout::read_header(base);
  const auto limit = static_cast<std::uint32_t>(std::min<std::size_t>(bytes, h.total_size));
  return VarStructReader(base, layout::kHeaderBytes, limit, Charset::kWide);
}

std::wstring wide_text(VarStructReader& r, layout::Pair pair) {
  const auto text = r.string(pair);
  return text ? layout::utf8_to_wide_lossy(*text) : std::wstring();
}

std::vector<unsigned char> bytes_of(VarStructReader& r, layout::Pair pair) {
  const auto span = r.data(pair);
  return std::vector<unsigned char>(span.begin(), span.end());
}

#define CI(member) OT_OFF(LINECALLINFO, member)
#define CI_PAIR(name) OT_PAIR(LINECALLINFO, name)
#define DC(member) OT_OFF(LINEDEVCAPS, member)
#define AC(member) OT_OFF(LINEADDRESSCAPS, member)

}  // namespace

std::optional<CallStateChange> call_state_from_line(DWORD line_state, DWORD detail) {
  switch (line_state) {
    case LINECALLSTATE_OFFERING:
    case LINECALLSTATE_ACCEPTED:
      return CallStateChange{CS_OFFERING, CEC_NONE};
    case LINECALLSTATE_DIALTONE:
    case LINECALLSTATE_DIALING:
    case LINECALLSTATE_PROCEEDING:
    case LINECALLSTATE_RINGBACK:
    case LINECALLSTATE_SPECIALINFO:
      return CallStateChange{CS_INPROGRESS, CEC_NONE};
    case LINECALLSTATE_CONNECTED:
    case LINECALLSTATE_CONFERENCED:
      return CallStateChange{CS_CONNECTED, CEC_NONE};
    case LINECALLSTATE_ONHOLD:
    case LINECALLSTATE_ONHOLDPENDCONF:
    case LINECALLSTATE_ONHOLDPENDTRANSFER:
      return CallStateChange{CS_HOLD, CEC_NONE};
    case LINECALLSTATE_BUSY:
      return CallStateChange{CS_DISCONNECTED, CEC_DISCONNECT_BUSY};
    case LINECALLSTATE_DISCONNECTED:
      return CallStateChange{CS_DISCONNECTED, cause_from_disconnect_mode(detail)};
    case LINECALLSTATE_IDLE:
      return CallStateChange{CS_DISCONNECTED, CEC_DISCONNECT_NORMAL};
    default:
      return std::nullopt;
  }
}

CALL_STATE_EVENT_CAUSE cause_from_disconnect_mode(DWORD mode) {
  switch (mode) {
    case LINEDISCONNECTMODE_NORMAL:
    case LINEDISCONNECTMODE_PICKUP:
    case LINEDISCONNECTMODE_FORWARDED:
      return CEC_DISCONNECT_NORMAL;
    case LINEDISCONNECTMODE_BUSY:
      return CEC_DISCONNECT_BUSY;
    case LINEDISCONNECTMODE_BADADDRESS:
      return CEC_DISCONNECT_BADADDRESS;
    case LINEDISCONNECTMODE_NOANSWER:
      return CEC_DISCONNECT_NOANSWER;
    case LINEDISCONNECTMODE_REJECT:
      return CEC_DISCONNECT_REJECTED;
    case LINEDISCONNECTMODE_CANCELLED:
      return CEC_DISCONNECT_CANCELLED;
    case LINEDISCONNECTMODE_BLOCKED:
    case LINEDISCONNECTMODE_DONOTDISTURB:
    case LINEDISCONNECTMODE_DESTINATIONBARRED:
    case LINEDISCONNECTMODE_FDNRESTRICT:
      return CEC_DISCONNECT_BLOCKED;
    default:
      return CEC_DISCONNECT_FAILED;
  }
}

std::optional<CALL_PRIVILEGE> privilege_from_line(DWORD privilege) {
  if (privilege == LINECALLPRIVILEGE_OWNER) return CP_OWNER;
  if (privilege == LINECALLPRIVILEGE_MONITOR) return CP_MONITOR;
  return std::nullopt;
}

std::vector<CALLINFOCHANGE_CAUSE> info_change_causes(DWORD bits) {
  struct BitCause {
    DWORD bit;
    CALLINFOCHANGE_CAUSE cause;
  };
  static constexpr BitCause kCauses[] = {
      {LINECALLINFOSTATE_DEVSPECIFIC, CIC_DEVSPECIFIC},
      {LINECALLINFOSTATE_BEARERMODE, CIC_BEARERMODE},
      {LINECALLINFOSTATE_RATE, CIC_RATE},
      {LINECALLINFOSTATE_MEDIAMODE, CIC_MEDIATYPE},
      {LINECALLINFOSTATE_APPSPECIFIC, CIC_APPSPECIFIC},
      {LINECALLINFOSTATE_CALLID, CIC_CALLID},
      {LINECALLINFOSTATE_RELATEDCALLID, CIC_RELATEDCALLID},
      {LINECALLINFOSTATE_ORIGIN, CIC_ORIGIN},
      {LINECALLINFOSTATE_REASON, CIC_REASON},
      {LINECALLINFOSTATE_COMPLETIONID, CIC_COMPLETIONID},
      {LINECALLINFOSTATE_NUMOWNERINCR, CIC_NUMOWNERINCR},
      {LINECALLINFOSTATE_NUMOWNERDECR, CIC_NUMOWNERDECR},
      {LINECALLINFOSTATE_NUMMONITORS, CIC_NUMMONITORS},
      {LINECALLINFOSTATE_TRUNK, CIC_TRUNK},
      {LINECALLINFOSTATE_CALLERID, CIC_CALLERID},
      {LINECALLINFOSTATE_CALLEDID, CIC_CALLEDID},
      {LINECALLINFOSTATE_CONNECTEDID, CIC_CONNECTEDID},
      {LINECALLINFOSTATE_REDIRECTIONID, CIC_REDIRECTIONID},
      {LINECALLINFOSTATE_REDIRECTINGID, CIC_REDIRECTINGID},
      {LINECALLINFOSTATE_USERUSERINFO, CIC_USERUSERINFO},
      {LINECALLINFOSTATE_HIGHLEVELCOMP, CIC_HIGHLEVELCOMP},
      {LINECALLINFOSTATE_LOWLEVELCOMP, CIC_LOWLEVELCOMP},
      {LINECALLINFOSTATE_CHARGINGINFO, CIC_CHARGINGINFO},
      {LINECALLINFOSTATE_TREATMENT, CIC_TREATMENT},
      {LINECALLINFOSTATE_CALLDATA, CIC_CALLDATA},
  };
  constexpr DWORD kOther = LINECALLINFOSTATE_OTHER | LINECALLINFOSTATE_DISPLAY | LINECALLINFOSTATE_TERMINAL |
                           LINECALLINFOSTATE_DIALPARAMS | LINECALLINFOSTATE_MONITORMODES | LINECALLINFOSTATE_QOS;
  std::vector<CALLINFOCHANGE_CAUSE> out;
  if ((bits & kOther) != 0) out.push_back(CIC_OTHER);
  for (const auto& [bit, cause] : kCauses) {
    if ((bits & bit) != 0) out.push_back(cause);
  }
  return out;
}

LONG media_types_from_line(DWORD media_modes) {
  DWORD types = media_modes;
  if ((types & (LINEMEDIAMODE_INTERACTIVEVOICE | LINEMEDIAMODE_AUTOMATEDVOICE)) != 0) {
    types = (types & ~LINEMEDIAMODE_INTERACTIVEVOICE) | static_cast<DWORD>(TAPIMEDIATYPE_AUDIO);
  }
  return static_cast<LONG>(types & static_cast<DWORD>(kKnownMediaTypes));
}

DWORD line_media_from_types(LONG media_types) {
  DWORD modes = static_cast<DWORD>(media_types & kKnownMediaTypes & ~TAPIMEDIATYPE_MULTITRACK);
  if ((media_types & TAPIMEDIATYPE_AUDIO) != 0) modes |= LINEMEDIAMODE_INTERACTIVEVOICE | LINEMEDIAMODE_AUTOMATEDVOICE;
  return modes;
}

HRESULT call_control_hresult(HRESULT result) {
  if (result == static_cast<HRESULT>(LINEERR_INVALCALLHANDLE)) return TAPI_E_INVALCALLSTATE;
  return tapi_map_lineerr(result);
}

HRESULT connect_failure(CALL_STATE_EVENT_CAUSE cause) {
  switch (cause) {
    case CEC_DISCONNECT_BUSY:
      return TAPI_E_DESTBUSY;
    case CEC_DISCONNECT_NOANSWER:
      return TAPI_E_DESTNOANSWER;
    case CEC_DISCONNECT_BADADDRESS:
      return TAPI_E_INVALADDRESS;
    default:
      return TAPI_E_DESTUNAVAIL;
  }
}

// ---- LINECALLINFO --------------------------------------------------------------------------

bool call_info_complete(const void* info, std::size_t bytes) {
  if (info == nullptr || bytes < layout::kHeaderBytes) return false;
  const layout::VarHeader h = layout::read_header(info);
  return h.needed_size <= h.total_size && h.total_size <= bytes;
}

std::wstring struct_string(const void* base, std::size_t bytes, layout::Pair pair) {
  VarStructReader r = filled(base, bytes);
  return wide_text(r, pair);
}

std::optional<std::wstring> call_info_string(const void* info, std::size_t bytes, CALLINFO_STRING which) {
  VarStructReader r = filled(info, bytes);
  switch (which) {
    case CIS_CALLERIDNAME:
      return wide_text(r, CI_PAIR(CallerIDName));
    case CIS_CALLERIDNUMBER:
      return wide_text(r, CI_PAIR(CallerID));
    case CIS_CALLEDIDNAME:
      return wide_text(r, CI_PAIR(CalledIDName));
    case CIS_CALLEDIDNUMBER:
      return wide_text(r, CI_PAIR(CalledID));
    case CIS_CONNECTEDIDNAME:
      return wide_text(r, CI_PAIR(ConnectedIDName));
    case CIS_CONNECTEDIDNUMBER:
      return wide_text(r, CI_PAIR(ConnectedID));
    case CIS_REDIRECTIONIDNAME:
      return wide_text(r, CI_PAIR(RedirectionIDName));
    case CIS_REDIRECTIONIDNUMBER:
      return wide_text(r, CI_PAIR(RedirectionID));
    case CIS_REDIRECTINGIDNAME:
      return wide_text(r, CI_PAIR(RedirectingIDName));
    case CIS_REDIRECTINGIDNUMBER:
      return wide_text(r, CI_PAIR(RedirectingID));
    case CIS_CALLEDPARTYFRIENDLYNAME:
      return wide_text(r, CI_PAIR(CalledParty));
    case CIS_COMMENT:
      return wide_text(r, CI_PAIR(Comment));
    case CIS_DISPLAYABLEADDRESS:
      return wide_text(r, CI_PAIR(DisplayableAddress));
    default:
      return std::nullopt;  // CIS_CALLINGPARTYID: LINECALLPARAMS only
  }
}

std::optional<LONG> call_info_long(const void* info, std::size_t bytes, CALLINFO_LONG which) {
  VarStructReader r = filled(info, bytes);
  const auto field = [&](std::uint32_t pos) -> std::optional<LONG> { return static_cast<LONG>(r.u32(pos)); };
  switch (which) {
    case CIL_MEDIATYPESAVAILABLE:
      return media_types_from_line(r.u32(CI(dwMediaMode)));
    case CIL_BEARERMODE:
      return field(CI(dwBearerMode));
    case CIL_CALLERIDADDRESSTYPE:
      return field(CI(dwCallerIDAddressType));
    case CIL_CALLEDIDADDRESSTYPE:
      return field(CI(dwCalledIDAddressType));
    case CIL_CONNECTEDIDADDRESSTYPE:
      return field(CI(dwConnectedIDAddressType));
    case CIL_REDIRECTIONIDADDRESSTYPE:
      return field(CI(dwRedirectionIDAddressType));
    case CIL_REDIRECTINGIDADDRESSTYPE:
      return field(CI(dwRedirectingIDAddressType));
    case CIL_ORIGIN:
      return field(CI(dwOrigin));
    case CIL_REASON:
      return field(CI(dwReason));
    case CIL_APPSPECIFIC:
      return field(CI(dwAppSpecific));
    case CIL_CALLPARAMSFLAGS:
      return field(CI(dwCallParamFlags));
    case CIL_CALLTREATMENT:
      return field(CI(dwCallTreatment));
    case CIL_COUNTRYCODE:
      return field(CI(dwCountryCode));
    case CIL_CALLID:
      return field(CI(dwCallID));
    case CIL_RELATEDCALLID:
      return field(CI(dwRelatedCallID));
    case CIL_COMPLETIONID:
      return field(CI(dwCompletionID));
    case CIL_NUMBEROFOWNERS:
      return field(CI(dwNumOwners));
    case CIL_NUMBEROFMONITORS:
      return field(CI(dwNumMonitors));
    case CIL_TRUNK:
      return field(CI(dwTrunk));
    case CIL_RATE:
      return field(CI(dwRate));
    case CIL_GENERATEDIGITDURATION:
      return field(CI(DialParams.dwDigitDuration));
    case CIL_MONITORDIGITMODES:
      return field(CI(dwMonitorDigitModes));
    case CIL_MONITORMEDIAMODES:
      return field(CI(dwMonitorMediaModes));
    default:
      return std::nullopt;  // CIL_MINRATE, CIL_MAXRATE: LINECALLPARAMS only
  }
}

std::optional<std::vector<unsigned char>> call_info_buffer(const void* info, std::size_t bytes, CALLINFO_BUFFER which) {
  VarStructReader r = filled(info, bytes);
  std::vector<unsigned char> out;
  switch (which) {
    case CIB_USERUSERINFO:
      out = bytes_of(r, CI_PAIR(UserUserInfo));
      break;
    case CIB_DEVSPECIFICBUFFER:
      out = bytes_of(r, CI_PAIR(DevSpecific));
      break;
    case CIB_CALLDATABUFFER:
      out = bytes_of(r, CI_PAIR(CallData));
      break;
    case CIB_CHARGINGINFOBUFFER:
      out = bytes_of(r, CI_PAIR(ChargingInfo));
      break;
    case CIB_HIGHLEVELCOMPATIBILITYBUFFER:
      out = bytes_of(r, CI_PAIR(HighLevelComp));
      break;
    case CIB_LOWLEVELCOMPATIBILITYBUFFER:
      out = bytes_of(r, CI_PAIR(LowLevelComp));
      break;
    default:
      return std::nullopt;
  }
  if (!r.ok()) return std::nullopt;  // the field lies outside the structure
  return out;
}

// ---- Capabilities -----------------------------------------------------------------------------

std::optional<LONG> address_capability(const LINEDEVCAPS* dev, std::size_t dev_bytes, const LINEADDRESSCAPS* addr,
                                       std::size_t addr_bytes, DWORD address_id, LONG which) {
  VarStructReader dr = filled(dev, dev_bytes);
  VarStructReader ar = filled(addr, addr_bytes);
  const auto d = [&](std::uint32_t pos) { return static_cast<LONG>(dr.u32(pos)); };
  const auto a = [&](std::uint32_t pos) { return static_cast<LONG>(ar.u32(pos)); };
  switch (which) {
    case AC_ADDRESSTYPES: {
      const LONG types = d(DC(dwAddressTypes));
      return types != 0 ? types : static_cast<LONG>(LINEADDRESSTYPE_PHONENUMBER);
    }
    case AC_BEARERMODES:
      return d(DC(dwBearerModes));
    case AC_MAXACTIVECALLS:
      return a(AC(dwMaxNumActiveCalls));
    case AC_MAXONHOLDCALLS:
      return a(AC(dwMaxNumOnHoldCalls));
    case AC_MAXONHOLDPENDINGCALLS:
      return a(AC(dwMaxNumOnHoldPendingCalls));
    case AC_MAXNUMCONFERENCE:
      return a(AC(dwMaxNumConference));
    case AC_MAXNUMTRANSCONF:
      return a(AC(dwMaxNumTransConf));
    case AC_MONITORDIGITSUPPORT:
      return d(DC(dwMonitorDigitModes));
    case AC_GENERATEDIGITSUPPORT:
      return d(DC(dwGenerateDigitModes));
    case AC_GENERATETONEMODES:
      return d(DC(dwGenerateToneModes));
    case AC_GENERATETONEMAXNUMFREQ:
      return d(DC(dwGenerateToneMaxNumFreq));
    case AC_MONITORTONEMAXNUMFREQ:
      return d(DC(dwMonitorToneMaxNumFreq));
    case AC_MONITORTONEMAXNUMENTRIES:
      return d(DC(dwMonitorToneMaxNumEntries));
    case AC_DEVCAPFLAGS:
      return d(DC(dwDevCapFlags));
    case AC_ANSWERMODES:
      return d(DC(dwAnswerMode));
    case AC_LINEFEATURES:
      return d(DC(dwLineFeatures));
    case AC_SETTABLEDEVSTATUS:
      return d(DC(dwSettableDevStatus));
    case AC_PARKSUPPORT:
      return a(AC(dwParkModes));
    case AC_CALLERIDSUPPORT:
      return a(AC(dwCallerIDFlags));
    case AC_CALLEDIDSUPPORT:
      return a(AC(dwCalledIDFlags));
    case AC_CONNECTEDIDSUPPORT:
      return a(AC(dwConnectedIDFlags));
    case AC_REDIRECTIONIDSUPPORT:
      return a(AC(dwRedirectionIDFlags));
    case AC_REDIRECTINGIDSUPPORT:
      return a(AC(dwRedirectingIDFlags));
    case AC_ADDRESSCAPFLAGS:
      return a(AC(dwAddrCapFlags));
    case AC_CALLFEATURES1:
      return a(AC(dwCallFeatures));
    case AC_CALLFEATURES2:
      return a(AC(dwCallFeatures2));
    case AC_REMOVEFROMCONFCAPS:
      return a(AC(dwRemoveFromConfCaps));
    case AC_REMOVEFROMCONFSTATE:
      return a(AC(dwRemoveFromConfState));
    case AC_TRANSFERMODES:
      return a(AC(dwTransferModes));
    case AC_ADDRESSFEATURES:
      return a(AC(dwAddressFeatures));
    case AC_PREDICTIVEAUTOTRANSFERSTATES:
      return a(AC(dwPredictiveAutoTransferStates));
    case AC_MAXCALLDATASIZE:
      return a(AC(dwMaxCallDataSize));
    case AC_LINEID:
      return a(AC(dwLineDeviceID));
    case AC_ADDRESSID:
      return static_cast<LONG>(address_id);
    case AC_FORWARDMODES:
      return a(AC(dwForwardModes));
    case AC_MAXFORWARDENTRIES:
      return a(AC(dwMaxForwardEntries));
    case AC_MAXSPECIFICENTRIES:
      return a(AC(dwMaxSpecificEntries));
    case AC_MINFWDNUMRINGS:
      return a(AC(dwMinFwdNumRings));
    case AC_MAXFWDNUMRINGS:
      return a(AC(dwMaxFwdNumRings));
    case AC_MAXCALLCOMPLETIONS:
      return a(AC(dwMaxCallCompletions));
    case AC_CALLCOMPLETIONCONDITIONS:
      return a(AC(dwCallCompletionConds));
    case AC_CALLCOMPLETIONMODES:
      return a(AC(dwCallCompletionModes));
    case AC_PERMANENTDEVICEID:
      return d(DC(dwPermanentLineID));
    case AC_GATHERDIGITSMINTIMEOUT:
      return d(DC(dwGatherDigitsMinTimeout));
    case AC_GATHERDIGITSMAXTIMEOUT:
      return d(DC(dwGatherDigitsMaxTimeout));
    case AC_GENERATEDIGITMINDURATION:
      return d(DC(MinDialParams.dwDigitDuration));
    case AC_GENERATEDIGITMAXDURATION:
      return d(DC(MaxDialParams.dwDigitDuration));
    case AC_GENERATEDIGITDEFAULTDURATION:
      return d(DC(DefaultDialParams.dwDigitDuration));
    default:
      return std::nullopt;
  }
}

std::wstring guid_string(const GUID& g) {
  wchar_t text[40];
  std::swprintf(text, 40, L"{%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}", static_cast<unsigned>(g.Data1),
                static_cast<unsigned>(g.Data2), static_cast<unsigned>(g.Data3), g.Data4[0], g.Data4[1], g.Data4[2],
                g.Data4[3], g.Data4[4], g.Data4[5], g.Data4[6], g.Data4[7]);
  return text;
}

std::optional<std::wstring> address_capability_string(const LINEDEVCAPS* dev, std::size_t dev_bytes,
                                                      const LINEADDRESSCAPS* addr, std::size_t addr_bytes, LONG which) {
  VarStructReader dr = filled(dev, dev_bytes);
  VarStructReader ar = filled(addr, addr_bytes);
  // The device-specific parts are byte buffers: handed out as the bytes of
  // the BSTR, as Windows does (ADDRESS_CAPABILITY_STRING).
  const auto bytes_as_string = [](const std::vector<unsigned char>& b) {
    std::wstring s((b.size() + sizeof(wchar_t) - 1) / sizeof(wchar_t), L'\0');
    if (!b.empty()) std::memcpy(s.data(), b.data(), b.size());
    return s;
  };
  switch (which) {
    case ACS_PROTOCOL:
      return guid_string(dr.value<GUID>(DC(ProtocolGuid)));
    case ACS_ADDRESSDEVICESPECIFIC:
      return bytes_as_string(bytes_of(ar, OT_PAIR(LINEADDRESSCAPS, DevSpecific)));
    case ACS_LINEDEVICESPECIFIC:
      return bytes_as_string(bytes_of(dr, OT_PAIR(LINEDEVCAPS, DevSpecific)));
    case ACS_PROVIDERSPECIFIC:
      return wide_text(dr, OT_PAIR(LINEDEVCAPS, ProviderInfo));
    case ACS_SWITCHSPECIFIC:
      return wide_text(dr, OT_PAIR(LINEDEVCAPS, SwitchInfo));
    case ACS_PERMANENTDEVICEGUID:
      return guid_string(dr.value<GUID>(DC(PermanentLineGuid)));
    default:
      return std::nullopt;
  }
}

std::vector<std::wstring> device_classes(const LINEDEVCAPS* dev, std::size_t dev_bytes) {
  std::vector<std::wstring> out;
  VarStructReader r = filled(dev, dev_bytes);
  const auto raw = bytes_of(r, OT_PAIR(LINEDEVCAPS, DeviceClasses));
  // NUL-separated, double-NUL-terminated W strings.
  std::wstring all(raw.size() / sizeof(wchar_t), L'\0');
  if (!all.empty()) std::memcpy(all.data(), raw.data(), all.size() * sizeof(wchar_t));
  std::size_t start = 0;
  while (start < all.size()) {
    const std::size_t end = all.find(L'\0', start);
    const std::size_t stop = end == std::wstring::npos ? all.size() : end;
    if (stop > start) out.push_back(all.substr(start, stop - start));
    start = stop + 1;
  }
  return out;
}

// ---- LINECALLPARAMS ----------------------------------------------------------------------------

std::vector<unsigned char> build_call_params(const MakeCallParams& p) {
  using T = LINECALLPARAMS;
  const auto wide_bytes = [](const std::wstring& s) { return s.empty() ? 0 : (s.size() + 1) * sizeof(wchar_t); };
  std::size_t size = sizeof(T) + wide_bytes(p.displayable_address) + wide_bytes(p.called_party) +
                     wide_bytes(p.comment) + p.user_user_info.size() + p.call_data.size() +
                     wide_bytes(p.calling_party_id);
  size = (size + 3) & ~std::size_t{3};  // whoever reads it after us finds DWORD alignment
  std::vector<unsigned char> buffer(size);
  // LINECALLPARAMS has no dwNeededSize/dwUsedSize: the writer fills the
  // variable part between the fixed part and the end, and dwTotalSize is ours.
  layout::VarStructWriter w(buffer.data(), sizeof(T), static_cast<std::uint32_t>(size), Charset::kWide);
  w.u32(OT_OFF(T, dwTotalSize), static_cast<std::uint32_t>(size));
  w.u32(OT_OFF(T, dwBearerMode), p.bearer_mode);
  w.u32(OT_OFF(T, dwMinRate), p.min_rate);
  w.u32(OT_OFF(T, dwMaxRate), p.max_rate);
  w.u32(OT_OFF(T, dwMediaMode), p.media_mode);
  w.u32(OT_OFF(T, dwCallParamFlags), p.call_param_flags);
  w.u32(OT_OFF(T, dwAddressMode), LINEADDRESSMODE_ADDRESSID);
  w.u32(OT_OFF(T, dwAddressID), p.address_id);
  const auto text = [&](layout::Pair pair, const std::wstring& s) {
    if (!s.empty()) w.string(pair, layout::wide_to_utf8_lossy(s));
  };
  text(OT_PAIR(T, DisplayableAddress), p.displayable_address);
  text(OT_PAIR(T, CalledParty), p.called_party);
  text(OT_PAIR(T, Comment), p.comment);
  w.data(OT_PAIR(T, UserUserInfo), p.user_user_info.data(), static_cast<std::uint32_t>(p.user_user_info.size()));
  w.data(OT_PAIR(T, CallData), p.call_data.data(), static_cast<std::uint32_t>(p.call_data.size()));
  text(OT_PAIR(T, CallingPartyID), p.calling_party_id);
  return buffer;
}

}  // namespace opentapi::tapi3
