#include "tapi3/call_mapping.h"

#include <cstddef>
#include <cstdio>
#include <cstring>

#include "tapi3/mapping.h"

namespace opentapi::tapi3 {
namespace {

// A DWORD member at `offset` of a structure `bytes` long (and at most its
// dwTotalSize), or 0 when the structure is too short to hold it: an older
// structure version leaves later members out.
DWORD read_dword(const void* base, std::size_t bytes, std::size_t offset) {
  if (base == nullptr || bytes < 3 * sizeof(DWORD)) return 0;
  DWORD total = 0;
  std::memcpy(&total, base, sizeof total);
  const std::size_t limit = std::min<std::size_t>(bytes, total);
  if (offset + sizeof(DWORD) > limit) return 0;
  DWORD value = 0;
  std::memcpy(&value, static_cast<const unsigned char*>(base) + offset, sizeof value);
  return value;
}

// The variable part named by a (size, offset) member pair, or nullopt when it
// lies outside the structure.
std::optional<std::vector<unsigned char>> read_bytes(const void* base, std::size_t bytes, std::size_t size_member,
                                                     std::size_t offset_member) {
  const DWORD size = read_dword(base, bytes, size_member);
  const DWORD offset = read_dword(base, bytes, offset_member);
  if (size == 0) return std::vector<unsigned char>();
  if (offset > bytes || size > bytes - offset) return std::nullopt;
  const auto* p = static_cast<const unsigned char*>(base) + offset;
  return std::vector<unsigned char>(p, p + size);
}

std::wstring read_string(const void* base, std::size_t bytes, std::size_t size_member, std::size_t offset_member) {
  DWORD total = 0;
  if (base != nullptr && bytes >= sizeof total) std::memcpy(&total, base, sizeof total);
  const auto available = static_cast<DWORD>(std::min<std::size_t>(bytes, total));
  return wide_field(base, available, read_dword(base, bytes, size_member), read_dword(base, bytes, offset_member));
}

#define CI(member) offsetof(LINECALLINFO, member)
#define DC(member) offsetof(LINEDEVCAPS, member)
#define AC(member) offsetof(LINEADDRESSCAPS, member)

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
  if (info == nullptr || bytes < 3 * sizeof(DWORD)) return false;
  DWORD header[3] = {};
  std::memcpy(header, info, sizeof header);
  return header[1] <= header[0] && header[0] <= bytes;
}

std::optional<std::wstring> call_info_string(const void* info, std::size_t bytes, CALLINFO_STRING which) {
  switch (which) {
    case CIS_CALLERIDNAME:
      return read_string(info, bytes, CI(dwCallerIDNameSize), CI(dwCallerIDNameOffset));
    case CIS_CALLERIDNUMBER:
      return read_string(info, bytes, CI(dwCallerIDSize), CI(dwCallerIDOffset));
    case CIS_CALLEDIDNAME:
      return read_string(info, bytes, CI(dwCalledIDNameSize), CI(dwCalledIDNameOffset));
    case CIS_CALLEDIDNUMBER:
      return read_string(info, bytes, CI(dwCalledIDSize), CI(dwCalledIDOffset));
    case CIS_CONNECTEDIDNAME:
      return read_string(info, bytes, CI(dwConnectedIDNameSize), CI(dwConnectedIDNameOffset));
    case CIS_CONNECTEDIDNUMBER:
      return read_string(info, bytes, CI(dwConnectedIDSize), CI(dwConnectedIDOffset));
    case CIS_REDIRECTIONIDNAME:
      return read_string(info, bytes, CI(dwRedirectionIDNameSize), CI(dwRedirectionIDNameOffset));
    case CIS_REDIRECTIONIDNUMBER:
      return read_string(info, bytes, CI(dwRedirectionIDSize), CI(dwRedirectionIDOffset));
    case CIS_REDIRECTINGIDNAME:
      return read_string(info, bytes, CI(dwRedirectingIDNameSize), CI(dwRedirectingIDNameOffset));
    case CIS_REDIRECTINGIDNUMBER:
      return read_string(info, bytes, CI(dwRedirectingIDSize), CI(dwRedirectingIDOffset));
    case CIS_CALLEDPARTYFRIENDLYNAME:
      return read_string(info, bytes, CI(dwCalledPartySize), CI(dwCalledPartyOffset));
    case CIS_COMMENT:
      return read_string(info, bytes, CI(dwCommentSize), CI(dwCommentOffset));
    case CIS_DISPLAYABLEADDRESS:
      return read_string(info, bytes, CI(dwDisplayableAddressSize), CI(dwDisplayableAddressOffset));
    default:
      return std::nullopt;  // CIS_CALLINGPARTYID: LINECALLPARAMS only
  }
}

std::optional<LONG> call_info_long(const void* info, std::size_t bytes, CALLINFO_LONG which) {
  const auto field = [&](std::size_t offset) -> std::optional<LONG> {
    return static_cast<LONG>(read_dword(info, bytes, offset));
  };
  switch (which) {
    case CIL_MEDIATYPESAVAILABLE:
      return media_types_from_line(read_dword(info, bytes, CI(dwMediaMode)));
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
      return field(CI(DialParams) + offsetof(LINEDIALPARAMS, dwDigitDuration));
    case CIL_MONITORDIGITMODES:
      return field(CI(dwMonitorDigitModes));
    case CIL_MONITORMEDIAMODES:
      return field(CI(dwMonitorMediaModes));
    default:
      return std::nullopt;  // CIL_MINRATE, CIL_MAXRATE: LINECALLPARAMS only
  }
}

std::optional<std::vector<unsigned char>> call_info_buffer(const void* info, std::size_t bytes, CALLINFO_BUFFER which) {
  switch (which) {
    case CIB_USERUSERINFO:
      return read_bytes(info, bytes, CI(dwUserUserInfoSize), CI(dwUserUserInfoOffset));
    case CIB_DEVSPECIFICBUFFER:
      return read_bytes(info, bytes, CI(dwDevSpecificSize), CI(dwDevSpecificOffset));
    case CIB_CALLDATABUFFER:
      return read_bytes(info, bytes, CI(dwCallDataSize), CI(dwCallDataOffset));
    case CIB_CHARGINGINFOBUFFER:
      return read_bytes(info, bytes, CI(dwChargingInfoSize), CI(dwChargingInfoOffset));
    case CIB_HIGHLEVELCOMPATIBILITYBUFFER:
      return read_bytes(info, bytes, CI(dwHighLevelCompSize), CI(dwHighLevelCompOffset));
    case CIB_LOWLEVELCOMPATIBILITYBUFFER:
      return read_bytes(info, bytes, CI(dwLowLevelCompSize), CI(dwLowLevelCompOffset));
    default:
      return std::nullopt;
  }
}

// ---- Capabilities -----------------------------------------------------------------------------

std::optional<LONG> address_capability(const LINEDEVCAPS* dev, std::size_t dev_bytes, const LINEADDRESSCAPS* addr,
                                       std::size_t addr_bytes, DWORD address_id, LONG which) {
  const auto d = [&](std::size_t offset) { return static_cast<LONG>(read_dword(dev, dev_bytes, offset)); };
  const auto a = [&](std::size_t offset) { return static_cast<LONG>(read_dword(addr, addr_bytes, offset)); };
  constexpr std::size_t kMin = DC(MinDialParams);
  constexpr std::size_t kMax = DC(MaxDialParams);
  constexpr std::size_t kDefault = DC(DefaultDialParams);
  constexpr std::size_t kDigit = offsetof(LINEDIALPARAMS, dwDigitDuration);
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
      return d(kMin + kDigit);
    case AC_GENERATEDIGITMAXDURATION:
      return d(kMax + kDigit);
    case AC_GENERATEDIGITDEFAULTDURATION:
      return d(kDefault + kDigit);
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
  // The device-specific parts are byte buffers: handed out as the bytes of
  // the BSTR, as Windows does (ADDRESS_CAPABILITY_STRING).
  const auto bytes_as_string = [](const std::optional<std::vector<unsigned char>>& b) {
    std::wstring s;
    if (!b) return s;
    s.resize((b->size() + sizeof(wchar_t) - 1) / sizeof(wchar_t));
    if (!b->empty()) std::memcpy(s.data(), b->data(), b->size());
    return s;
  };
  const auto guid_at = [&](std::size_t offset) {
    GUID g{};
    DWORD total = 0;
    if (dev != nullptr && dev_bytes >= sizeof total) std::memcpy(&total, dev, sizeof total);
    if (offset + sizeof(GUID) <= std::min<std::size_t>(dev_bytes, total)) {
      std::memcpy(&g, reinterpret_cast<const unsigned char*>(dev) + offset, sizeof g);
    }
    return guid_string(g);
  };
  switch (which) {
    case ACS_PROTOCOL:
      return guid_at(DC(ProtocolGuid));
    case ACS_ADDRESSDEVICESPECIFIC:
      return bytes_as_string(read_bytes(addr, addr_bytes, AC(dwDevSpecificSize), AC(dwDevSpecificOffset)));
    case ACS_LINEDEVICESPECIFIC:
      return bytes_as_string(read_bytes(dev, dev_bytes, DC(dwDevSpecificSize), DC(dwDevSpecificOffset)));
    case ACS_PROVIDERSPECIFIC:
      return read_string(dev, dev_bytes, DC(dwProviderInfoSize), DC(dwProviderInfoOffset));
    case ACS_SWITCHSPECIFIC:
      return read_string(dev, dev_bytes, DC(dwSwitchInfoSize), DC(dwSwitchInfoOffset));
    case ACS_PERMANENTDEVICEGUID:
      return guid_at(DC(PermanentLineGuid));
    default:
      return std::nullopt;
  }
}

std::vector<std::wstring> device_classes(const LINEDEVCAPS* dev, std::size_t dev_bytes) {
  std::vector<std::wstring> out;
  const auto raw = read_bytes(dev, dev_bytes, DC(dwDeviceClassesSize), DC(dwDeviceClassesOffset));
  if (!raw || raw->empty()) return out;
  std::wstring all(raw->size() / sizeof(wchar_t), L'\0');
  std::memcpy(all.data(), raw->data(), all.size() * sizeof(wchar_t));
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
  std::vector<unsigned char> buffer(sizeof(LINECALLPARAMS));
  const auto append = [&](const void* data, std::size_t size, DWORD LINECALLPARAMS::*size_member,
                          DWORD LINECALLPARAMS::*offset_member) {
    if (size == 0) return;
    const std::size_t offset = buffer.size();
    buffer.resize(offset + size);
    std::memcpy(buffer.data() + offset, data, size);
    auto* params = reinterpret_cast<LINECALLPARAMS*>(buffer.data());
    params->*size_member = static_cast<DWORD>(size);
    params->*offset_member = static_cast<DWORD>(offset);
  };
  const auto append_string = [&](const std::wstring& s, DWORD LINECALLPARAMS::*size_member,
                                 DWORD LINECALLPARAMS::*offset_member) {
    if (!s.empty()) append(s.c_str(), (s.size() + 1) * sizeof(wchar_t), size_member, offset_member);
  };
  {
    auto* params = reinterpret_cast<LINECALLPARAMS*>(buffer.data());
    params->dwBearerMode = p.bearer_mode;
    params->dwMinRate = p.min_rate;
    params->dwMaxRate = p.max_rate;
    params->dwMediaMode = p.media_mode;
    params->dwCallParamFlags = p.call_param_flags;
    params->dwAddressMode = LINEADDRESSMODE_ADDRESSID;
    params->dwAddressID = p.address_id;
  }
  append_string(p.displayable_address, &LINECALLPARAMS::dwDisplayableAddressSize,
                &LINECALLPARAMS::dwDisplayableAddressOffset);
  append_string(p.called_party, &LINECALLPARAMS::dwCalledPartySize, &LINECALLPARAMS::dwCalledPartyOffset);
  append_string(p.comment, &LINECALLPARAMS::dwCommentSize, &LINECALLPARAMS::dwCommentOffset);
  append(p.user_user_info.data(), p.user_user_info.size(), &LINECALLPARAMS::dwUserUserInfoSize,
         &LINECALLPARAMS::dwUserUserInfoOffset);
  append(p.call_data.data(), p.call_data.size(), &LINECALLPARAMS::dwCallDataSize, &LINECALLPARAMS::dwCallDataOffset);
  append_string(p.calling_party_id, &LINECALLPARAMS::dwCallingPartyIDSize, &LINECALLPARAMS::dwCallingPartyIDOffset);
  // Keep the structure's DWORD alignment for whoever reads it after us.
  buffer.resize((buffer.size() + 3) & ~std::size_t{3});
  reinterpret_cast<LINECALLPARAMS*>(buffer.data())->dwTotalSize = static_cast<DWORD>(buffer.size());
  return buffer;
}

}  // namespace opentapi::tapi3
