#include "call_text.h"

#include <cinttypes>
#include <cstdio>
#include <initializer_list>

namespace opentapi::cli {
namespace {

struct Name {
  DWORD value;
  const char* name;
};

std::string hex(DWORD v) {
  char b[16];
  std::snprintf(b, sizeof b, "0x%08" PRIX32, v);
  return b;
}

std::string one_of(DWORD v, std::initializer_list<Name> names) {
  for (const Name& n : names) {
    if (n.value == v) return n.name;
  }
  return hex(v);
}

std::string bits_of(DWORD v, std::initializer_list<Name> names) {
  std::string s;
  for (const Name& n : names) {
    if ((v & n.value) == 0) continue;
    s += (s.empty() ? "" : "|");
    s += n.name;
    v &= ~n.value;
  }
  if (v != 0) s += (s.empty() ? "" : "|") + hex(v);
  return s.empty() ? "0" : s;
}

}  // namespace

std::string call_state_text(DWORD state) {
  return one_of(state, {{LINECALLSTATE_IDLE, "IDLE"},
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
      return bits_of(detail, {{LINEOFFERINGMODE_ACTIVE, "ACTIVE"}, {LINEOFFERINGMODE_INACTIVE, "INACTIVE"}});
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

std::string call_privilege_text(DWORD privilege) {
  return one_of(
      privilege,
      {{LINECALLPRIVILEGE_NONE, "NONE"}, {LINECALLPRIVILEGE_MONITOR, "MONITOR"}, {LINECALLPRIVILEGE_OWNER, "OWNER"}});
}

std::string call_info_text(DWORD bits) {
  return bits_of(bits, {{LINECALLINFOSTATE_OTHER, "OTHER"},
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

}  // namespace opentapi::cli
