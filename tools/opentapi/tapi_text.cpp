#include "tapi_text.h"

#include <cinttypes>
#include <cstdio>
#include <ctime>

#include "core/status.h"

namespace opentapi::cli {

std::string hex32(DWORD v) {
  char b[16];
  std::snprintf(b, sizeof b, "0x%08" PRIX32, v);
  return b;
}

std::string one_of(DWORD v, std::initializer_list<Bit> names) {
  if (v == 0) return "0";
  for (const auto& b : names)
    if (b.bit == v) return b.name;
  return hex32(v);
}

std::string flags(DWORD v, std::initializer_list<Bit> names) {
  if (v == 0) return "0";
  std::string s;
  for (const auto& b : names) {
    if (v & b.bit) {
      if (!s.empty()) s += '|';
      s += b.name;
      v &= ~b.bit;
    }
  }
  if (v != 0) {
    if (!s.empty()) s += '|';
    s += hex32(v);
  }
  return s;
}

std::string session_state_name(DWORD v) {
  return one_of(v, {{LINEAGENTSESSIONSTATE_NOTREADY, "NOTREADY"},
                    {LINEAGENTSESSIONSTATE_READY, "READY"},
                    {LINEAGENTSESSIONSTATE_BUSYONCALL, "BUSYONCALL"},
                    {LINEAGENTSESSIONSTATE_BUSYWRAPUP, "BUSYWRAPUP"},
                    {LINEAGENTSESSIONSTATE_ENDED, "ENDED"},
                    {LINEAGENTSESSIONSTATE_RELEASED, "RELEASED"}});
}
std::string agent_state_name(DWORD v) {
  return one_of(v, {{LINEAGENTSTATEEX_NOTREADY, "NOTREADY"},
                    {LINEAGENTSTATEEX_READY, "READY"},
                    {LINEAGENTSTATEEX_BUSYACD, "BUSYACD"},
                    {LINEAGENTSTATEEX_BUSYINCOMING, "BUSYINCOMING"},
                    {LINEAGENTSTATEEX_BUSYOUTGOING, "BUSYOUTGOING"},
                    {LINEAGENTSTATEEX_UNKNOWN, "UNKNOWN"},
                    {LINEAGENTSTATEEX_RELEASED, "RELEASED"}});
}
std::string address_agent_state_name(DWORD v) {
  return one_of(v, {{LINEAGENTSTATE_LOGGEDOFF, "LOGGEDOFF"},
                    {LINEAGENTSTATE_NOTREADY, "NOTREADY"},
                    {LINEAGENTSTATE_READY, "READY"},
                    {LINEAGENTSTATE_BUSYACD, "BUSYACD"},
                    {LINEAGENTSTATE_BUSYINCOMING, "BUSYINCOMING"},
                    {LINEAGENTSTATE_BUSYOUTBOUND, "BUSYOUTBOUND"},
                    {LINEAGENTSTATE_BUSYOTHER, "BUSYOTHER"},
                    {LINEAGENTSTATE_WORKINGAFTERCALL, "WORKINGAFTERCALL"},
                    {LINEAGENTSTATE_UNKNOWN, "UNKNOWN"},
                    {LINEAGENTSTATE_UNAVAIL, "UNAVAIL"}});
}
std::string request_type_name(DWORD v) {
  const std::string_view name = core::proxy_request_type_name(v);
  return name.empty() ? hex32(v) : std::string(name);
}

std::string call_state_name(DWORD v) {
  return one_of(v, {{LINECALLSTATE_IDLE, "IDLE"},
                    {LINECALLSTATE_OFFERING, "OFFERING"},
                    {LINECALLSTATE_ACCEPTED, "ACCEPTED"},
                    {LINECALLSTATE_DIALTONE, "DIALTONE"},
                    {LINECALLSTATE_DIALING, "DIALING"},
                    {LINECALLSTATE_RINGBACK, "RINGBACK"},
                    {LINECALLSTATE_BUSY, "BUSY"},
                    {LINECALLSTATE_SPECIALINFO, "SPECIALINFO"},
                    {LINECALLSTATE_CONNECTED, "CONNECTED"},
                    {LINECALLSTATE_PROCEEDING, "PROCEEDING"},
                    {LINECALLSTATE_ONHOLD, "ONHOLD"},
                    {LINECALLSTATE_CONFERENCED, "CONFERENCED"},
                    {LINECALLSTATE_ONHOLDPENDCONF, "ONHOLDPENDCONF"},
                    {LINECALLSTATE_ONHOLDPENDTRANSFER, "ONHOLDPENDTRANSFER"},
                    {LINECALLSTATE_DISCONNECTED, "DISCONNECTED"},
                    {LINECALLSTATE_UNKNOWN, "UNKNOWN"}});
}

std::string call_state_detail(DWORD state, DWORD detail) {
  if (detail == 0) return {};
  switch (state) {
    case LINECALLSTATE_DISCONNECTED:
      return one_of(detail, {{LINEDISCONNECTMODE_NORMAL, "NORMAL"},
                             {LINEDISCONNECTMODE_UNKNOWN, "UNKNOWN"},
                             {LINEDISCONNECTMODE_REJECT, "REJECT"},
                             {LINEDISCONNECTMODE_PICKUP, "PICKUP"},
                             {LINEDISCONNECTMODE_FORWARDED, "FORWARDED"},
                             {LINEDISCONNECTMODE_BUSY, "BUSY"},
                             {LINEDISCONNECTMODE_NOANSWER, "NOANSWER"},
                             {LINEDISCONNECTMODE_BADADDRESS, "BADADDRESS"},
                             {LINEDISCONNECTMODE_UNREACHABLE, "UNREACHABLE"},
                             {LINEDISCONNECTMODE_CONGESTION, "CONGESTION"},
                             {LINEDISCONNECTMODE_INCOMPATIBLE, "INCOMPATIBLE"},
                             {LINEDISCONNECTMODE_UNAVAIL, "UNAVAIL"},
                             {LINEDISCONNECTMODE_NODIALTONE, "NODIALTONE"},
                             {LINEDISCONNECTMODE_NUMBERCHANGED, "NUMBERCHANGED"},
                             {LINEDISCONNECTMODE_OUTOFORDER, "OUTOFORDER"},
                             {LINEDISCONNECTMODE_TEMPFAILURE, "TEMPFAILURE"},
                             {LINEDISCONNECTMODE_QOSUNAVAIL, "QOSUNAVAIL"},
                             {LINEDISCONNECTMODE_BLOCKED, "BLOCKED"},
                             {LINEDISCONNECTMODE_DONOTDISTURB, "DONOTDISTURB"},
                             {LINEDISCONNECTMODE_CANCELLED, "CANCELLED"},
                             {LINEDISCONNECTMODE_DESTINATIONBARRED, "DESTINATIONBARRED"},
                             {LINEDISCONNECTMODE_FDNRESTRICT, "FDNRESTRICT"}});
    case LINECALLSTATE_BUSY:
      return one_of(detail, {{LINEBUSYMODE_STATION, "STATION"},
                             {LINEBUSYMODE_TRUNK, "TRUNK"},
                             {LINEBUSYMODE_UNKNOWN, "UNKNOWN"},
                             {LINEBUSYMODE_UNAVAIL, "UNAVAIL"}});
    case LINECALLSTATE_OFFERING:
      return flags(detail, {{LINEOFFERINGMODE_ACTIVE, "ACTIVE"}, {LINEOFFERINGMODE_INACTIVE, "INACTIVE"}});
    case LINECALLSTATE_CONNECTED:
      return flags(detail, {{LINECONNECTEDMODE_ACTIVE, "ACTIVE"},
                            {LINECONNECTEDMODE_INACTIVE, "INACTIVE"},
                            {LINECONNECTEDMODE_ACTIVEHELD, "ACTIVEHELD"},
                            {LINECONNECTEDMODE_INACTIVEHELD, "INACTIVEHELD"},
                            {LINECONNECTEDMODE_CONFIRMED, "CONFIRMED"}});
    case LINECALLSTATE_DIALTONE:
      return one_of(detail, {{LINEDIALTONEMODE_NORMAL, "NORMAL"},
                             {LINEDIALTONEMODE_SPECIAL, "SPECIAL"},
                             {LINEDIALTONEMODE_INTERNAL, "INTERNAL"},
                             {LINEDIALTONEMODE_EXTERNAL, "EXTERNAL"},
                             {LINEDIALTONEMODE_UNKNOWN, "UNKNOWN"},
                             {LINEDIALTONEMODE_UNAVAIL, "UNAVAIL"}});
    case LINECALLSTATE_SPECIALINFO:
      return one_of(detail, {{LINESPECIALINFO_NOCIRCUIT, "NOCIRCUIT"},
                             {LINESPECIALINFO_CUSTIRREG, "CUSTIRREG"},
                             {LINESPECIALINFO_REORDER, "REORDER"},
                             {LINESPECIALINFO_UNKNOWN, "UNKNOWN"},
                             {LINESPECIALINFO_UNAVAIL, "UNAVAIL"}});
    default:
      return {};
  }
}

std::string call_privilege_name(DWORD v) {
  return one_of(
      v,
      {{LINECALLPRIVILEGE_NONE, "NONE"}, {LINECALLPRIVILEGE_MONITOR, "MONITOR"}, {LINECALLPRIVILEGE_OWNER, "OWNER"}});
}

std::string call_info_name(DWORD bits) {
  return flags(bits, {{LINECALLINFOSTATE_OTHER, "OTHER"},
                      {LINECALLINFOSTATE_DEVSPECIFIC, "DEVSPECIFIC"},
                      {LINECALLINFOSTATE_BEARERMODE, "BEARERMODE"},
                      {LINECALLINFOSTATE_RATE, "RATE"},
                      {LINECALLINFOSTATE_MEDIAMODE, "MEDIAMODE"},
                      {LINECALLINFOSTATE_APPSPECIFIC, "APPSPECIFIC"},
                      {LINECALLINFOSTATE_CALLID, "CALLID"},
                      {LINECALLINFOSTATE_RELATEDCALLID, "RELATEDCALLID"},
                      {LINECALLINFOSTATE_ORIGIN, "ORIGIN"},
                      {LINECALLINFOSTATE_REASON, "REASON"},
                      {LINECALLINFOSTATE_COMPLETIONID, "COMPLETIONID"},
                      {LINECALLINFOSTATE_NUMOWNERINCR, "NUMOWNERINCR"},
                      {LINECALLINFOSTATE_NUMOWNERDECR, "NUMOWNERDECR"},
                      {LINECALLINFOSTATE_NUMMONITORS, "NUMMONITORS"},
                      {LINECALLINFOSTATE_TRUNK, "TRUNK"},
                      {LINECALLINFOSTATE_CALLERID, "CALLERID"},
                      {LINECALLINFOSTATE_CALLEDID, "CALLEDID"},
                      {LINECALLINFOSTATE_CONNECTEDID, "CONNECTEDID"},
                      {LINECALLINFOSTATE_REDIRECTIONID, "REDIRECTIONID"},
                      {LINECALLINFOSTATE_REDIRECTINGID, "REDIRECTINGID"},
                      {LINECALLINFOSTATE_DISPLAY, "DISPLAY"},
                      {LINECALLINFOSTATE_USERUSERINFO, "USERUSERINFO"},
                      {LINECALLINFOSTATE_HIGHLEVELCOMP, "HIGHLEVELCOMP"},
                      {LINECALLINFOSTATE_LOWLEVELCOMP, "LOWLEVELCOMP"},
                      {LINECALLINFOSTATE_CHARGINGINFO, "CHARGINGINFO"},
                      {LINECALLINFOSTATE_TERMINAL, "TERMINAL"},
                      {LINECALLINFOSTATE_DIALPARAMS, "DIALPARAMS"},
                      {LINECALLINFOSTATE_MONITORMODES, "MONITORMODES"},
                      {LINECALLINFOSTATE_TREATMENT, "TREATMENT"},
                      {LINECALLINFOSTATE_QOS, "QOS"},
                      {LINECALLINFOSTATE_CALLDATA, "CALLDATA"}});
}

std::string guid_string(const GUID& g) {
  char b[40];
  std::snprintf(b, sizeof b, "{%08" PRIX32 "-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}", g.Data1, g.Data2, g.Data3,
                g.Data4[0], g.Data4[1], g.Data4[2], g.Data4[3], g.Data4[4], g.Data4[5], g.Data4[6], g.Data4[7]);
  return b;
}

std::string ole_date_string(DATE d) {
  if (d == 0.0) return "";
  const double unix_secs = (d - 25569.0) * 86400.0;
  const auto t = static_cast<std::time_t>(unix_secs);
  std::tm tm{};
  localtime_r(&t, &tm);
  char b[64];
  std::strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%S", &tm);
  return b;
}

std::string currency(const CURRENCY& cy) {
  char b[32];
  const long long v = cy.int64;
  std::snprintf(b, sizeof b, "%s%lld.%02lld", v < 0 ? "-" : "", (v < 0 ? -v : v) / 10000,
                (v < 0 ? -v : v) % 10000 / 100);
  return b;
}

}  // namespace opentapi::cli
