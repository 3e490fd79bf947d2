// tapi_map_lineerr: the optional LINEERR_* -> HRESULT mapping of
// docs/reference/tapi3-callcenter.md §6.3 (declared in tapi3err.h). The TAPI 3 methods never
// apply it implicitly; they return LINEERR values unchanged.
//
// LINEERR values are written as numbers (docs/reference/tapi2-agent.md §7) with their names
// in comments, so this layer does not depend on tapi.h;
// lineerr_map_test.cpp cross-checks them against tapi.h when it is present.
#include <algorithm>
#include <iterator>

#include "tapi3err.h"

namespace {

struct LineErrTwin {
  LONG lineerr;
  HRESULT hresult;
};

// Sorted by LINEERR value. A LINEERR_X maps to TAPI_E_X when that name exists,
// the five agent errors to their TAPI_E_CALLCENTER_ twins, NOMEM and
// INVALPOINTER to the standard COM codes. LINEERR codes absent here (47 of the
// 95) have no twin and pass through unchanged.
constexpr LineErrTwin kTwins[] = {
    {static_cast<LONG>(0x80000001u), TAPI_E_ALLOCATED},                      // LINEERR_ALLOCATED
    {static_cast<LONG>(0x80000005u), TAPI_E_CALLUNAVAIL},                    // LINEERR_CALLUNAVAIL
    {static_cast<LONG>(0x80000006u), TAPI_E_COMPLETIONOVERRUN},              // LINEERR_COMPLETIONOVERRUN
    {static_cast<LONG>(0x80000007u), TAPI_E_CONFERENCEFULL},                 // LINEERR_CONFERENCEFULL
    {static_cast<LONG>(0x8000000Fu), TAPI_E_INUSE},                          // LINEERR_INUSE
    {static_cast<LONG>(0x80000010u), TAPI_E_INVALADDRESS},                   // LINEERR_INVALADDRESS
    {static_cast<LONG>(0x80000013u), TAPI_E_INVALADDRESSSTATE},              // LINEERR_INVALADDRESSSTATE
    {static_cast<LONG>(0x80000019u), TAPI_E_INVALCALLPARAMS},                // LINEERR_INVALCALLPARAMS
    {static_cast<LONG>(0x8000001Au), TAPI_E_INVALCALLPRIVILEGE},             // LINEERR_INVALCALLPRIVILEGE
    {static_cast<LONG>(0x8000001Cu), TAPI_E_INVALCALLSTATE},                 // LINEERR_INVALCALLSTATE
    {static_cast<LONG>(0x8000001Eu), TAPI_E_INVALCARD},                      // LINEERR_INVALCARD
    {static_cast<LONG>(0x8000001Fu), TAPI_E_INVALCOMPLETIONID},              // LINEERR_INVALCOMPLETIONID
    {static_cast<LONG>(0x80000022u), TAPI_E_INVALCOUNTRYCODE},               // LINEERR_INVALCOUNTRYCODE
    {static_cast<LONG>(0x80000023u), TAPI_E_INVALDEVICECLASS},               // LINEERR_INVALDEVICECLASS
    {static_cast<LONG>(0x80000025u), TAPI_E_INVALDIALPARAMS},                // LINEERR_INVALDIALPARAMS
    {static_cast<LONG>(0x80000028u), TAPI_E_INVALDIGITS},                    // LINEERR_INVALDIGITS
    {static_cast<LONG>(0x8000002Au), TAPI_E_INVALGROUPID},                   // LINEERR_INVALGROUPID
    {static_cast<LONG>(0x8000002Du), TAPI_E_INVALLOCATION},                  // LINEERR_INVALLOCATION
    {static_cast<LONG>(0x80000030u), TAPI_E_INVALMESSAGEID},                 // LINEERR_INVALMESSAGEID
    {static_cast<LONG>(0x80000033u), TAPI_E_INVALPARKID},                    // LINEERR_INVALPARKID
    {static_cast<LONG>(0x80000035u), E_POINTER},                             // LINEERR_INVALPOINTER
    {static_cast<LONG>(0x80000037u), TAPI_E_INVALRATE},                      // LINEERR_INVALRATE
    {static_cast<LONG>(0x8000003Bu), TAPI_E_INVALTIMEOUT},                   // LINEERR_INVALTIMEOUT
    {static_cast<LONG>(0x8000003Cu), TAPI_E_INVALTONE},                      // LINEERR_INVALTONE
    {static_cast<LONG>(0x80000041u), TAPI_E_NOCONFERENCE},                   // LINEERR_NOCONFERENCE
    {static_cast<LONG>(0x80000042u), TAPI_E_NODEVICE},                       // LINEERR_NODEVICE
    {static_cast<LONG>(0x80000043u), TAPI_E_NODRIVER},                       // LINEERR_NODRIVER
    {static_cast<LONG>(0x80000044u), E_OUTOFMEMORY},                         // LINEERR_NOMEM
    {static_cast<LONG>(0x80000045u), TAPI_E_NOREQUEST},                      // LINEERR_NOREQUEST
    {static_cast<LONG>(0x80000046u), TAPI_E_NOTOWNER},                       // LINEERR_NOTOWNER
    {static_cast<LONG>(0x80000047u), TAPI_E_NOTREGISTERED},                  // LINEERR_NOTREGISTERED
    {static_cast<LONG>(0x80000048u), TAPI_E_OPERATIONFAILED},                // LINEERR_OPERATIONFAILED
    {static_cast<LONG>(0x8000004Bu), TAPI_E_RESOURCEUNAVAIL},                // LINEERR_RESOURCEUNAVAIL
    {static_cast<LONG>(0x8000004Cu), TAPI_E_REQUESTOVERRUN},                 // LINEERR_REQUESTOVERRUN
    {static_cast<LONG>(0x8000004Eu), TAPI_E_TARGETNOTFOUND},                 // LINEERR_TARGETNOTFOUND
    {static_cast<LONG>(0x8000004Fu), TAPI_E_TARGETSELF},                     // LINEERR_TARGETSELF
    {static_cast<LONG>(0x80000051u), TAPI_E_USERUSERINFOTOOBIG},             // LINEERR_USERUSERINFOTOOBIG
    {static_cast<LONG>(0x80000052u), TAPI_E_REINIT},                         // LINEERR_REINIT
    {static_cast<LONG>(0x80000053u), TAPI_E_ADDRESSBLOCKED},                 // LINEERR_ADDRESSBLOCKED
    {static_cast<LONG>(0x80000054u), TAPI_E_BILLINGREJECTED},                // LINEERR_BILLINGREJECTED
    {static_cast<LONG>(0x80000055u), TAPI_E_INVALFEATURE},                   // LINEERR_INVALFEATURE
    {static_cast<LONG>(0x80000057u), TAPI_E_CALLCENTER_INVALAGENTID},        // LINEERR_INVALAGENTID
    {static_cast<LONG>(0x80000058u), TAPI_E_CALLCENTER_INVALAGENTGROUP},     // LINEERR_INVALAGENTGROUP
    {static_cast<LONG>(0x80000059u), TAPI_E_CALLCENTER_INVALPASSWORD},       // LINEERR_INVALPASSWORD
    {static_cast<LONG>(0x8000005Au), TAPI_E_CALLCENTER_INVALAGENTSTATE},     // LINEERR_INVALAGENTSTATE
    {static_cast<LONG>(0x8000005Bu), TAPI_E_CALLCENTER_INVALAGENTACTIVITY},  // LINEERR_INVALAGENTACTIVITY
    {static_cast<LONG>(0x8000005Eu), TAPI_E_INVALADDRESSTYPE},               // LINEERR_INVALADDRESSTYPE
    {static_cast<LONG>(0x80000061u), TAPI_E_SERVICE_NOT_RUNNING},            // LINEERR_SERVICE_NOT_RUNNING
};

constexpr bool sorted_by_lineerr() {
  for (std::size_t i = 1; i < std::size(kTwins); ++i) {
    if (!(kTwins[i - 1].lineerr < kTwins[i].lineerr)) return false;
  }
  return true;
}
static_assert(sorted_by_lineerr(), "kTwins must stay sorted for the binary search");

}  // namespace

extern "C" HRESULT tapi_map_lineerr(LONG lineErr) {
  if (lineErr >= 0) return S_OK;  // success, or the request ID of an async call
  const auto* it = std::lower_bound(std::begin(kTwins), std::end(kTwins), lineErr,
                                    [](const LineErrTwin& t, LONG v) { return t.lineerr < v; });
  if (it != std::end(kTwins) && it->lineerr == lineErr) return it->hresult;
  return static_cast<HRESULT>(lineErr);
}
