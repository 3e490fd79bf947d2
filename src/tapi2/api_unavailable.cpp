// The functions of tapi.h whose operation opentapi's switch does not provide
// (docs/tapi2.md "Operations the switch does not provide"). On Windows, when
// a service provider lacks an operation, TAPI fails the function at once with
// LINEERR_OPERATIONUNAVAIL, without a request ID, after checking what it
// checks for every function: the application, the pointers the DLL
// validates, the handle. These functions do exactly that, so a program
// written for Windows sees the code it already handles for a line without
// the feature. The switch advertises none of these operations
// (LINECALLSTATUS.dwCallFeatures, LINEADDRESSCAPS.dwCallFeatures), so a
// program that reads the features before calling never gets here.
#include "client/registry.h"
#include "tapi2/api_common.h"

// tapi.h maps these names to their A/W forms; this file defines the real
// unsuffixed (ANSI) exports as well.
#undef lineDial
#undef lineGenerateDigits
#undef lineSetupTransfer
#undef lineSetupConference
#undef linePrepareAddToConference
#undef linePark
#undef lineUnpark
#undef linePickup
#undef lineForward
#undef lineHandoff
#undef lineGatherDigits
#undef lineGetDevConfig
#undef lineSetDevConfig
#undef lineConfigDialog
#undef lineConfigDialogEdit
#undef lineTranslateDialog
#undef lineAddProvider
#undef lineSetTollList

namespace opentapi::tapi2 {
namespace {

// A call function whose operation the switch lacks: UNINITIALIZED, the
// handle, then OPERATIONUNAVAIL.
LONG call_operation_unavailable(HCALL hcall) {
  CallTarget t;
  if (const LONG rc = find_call(hcall, &t)) return rc;
  return LINEERR_OPERATIONUNAVAIL;
}

// The same, with one pointer the DLL checks before the handle.
LONG call_operation_unavailable(HCALL hcall, const void* required) {
  if (const LONG rc = any_application()) return rc;
  if (required == nullptr) return LINEERR_INVALPOINTER;
  return call_operation_unavailable(hcall);
}

}  // namespace
}  // namespace opentapi::tapi2

namespace t2 = opentapi::tapi2;

// ---- answering and dialling: the switch rings and connects in one step ----

// No ACCEPTED state: a call is OFFERING until answered, redirected or dropped.
OPENTAPI_EXPORT LONG WINAPI lineAccept(HCALL hCall, LPCSTR /*lpsUserUserInfo*/, DWORD /*dwSize*/) {
  return t2::c_call([&]() -> LONG { return t2::call_operation_unavailable(hCall); });
}

// lineMakeCall takes the whole number (a NULL number is refused), so there is
// never a call waiting for more digits.
OPENTAPI_EXPORT LONG WINAPI lineDial(HCALL hCall, LPCSTR lpszDestAddress, DWORD /*dwCountryCode*/) {
  return t2::c_call([&]() -> LONG { return t2::call_operation_unavailable(hCall, lpszDestAddress); });
}

OPENTAPI_EXPORT LONG WINAPI lineDialA(HCALL hCall, LPCSTR lpszDestAddress, DWORD /*dwCountryCode*/) {
  return t2::c_call([&]() -> LONG { return t2::call_operation_unavailable(hCall, lpszDestAddress); });
}

OPENTAPI_EXPORT LONG WINAPI lineDialW(HCALL hCall, LPCWSTR lpszDestAddress, DWORD /*dwCountryCode*/) {
  return t2::c_call([&]() -> LONG { return t2::call_operation_unavailable(hCall, lpszDestAddress); });
}

// ---- digits: the switch carries no media (docs/calls.md "Media") ----

// lpszDigits NULL (cancel generation) is allowed, as on Windows.
OPENTAPI_EXPORT LONG WINAPI lineGenerateDigits(HCALL hCall, DWORD /*dwDigitMode*/, LPCSTR /*lpszDigits*/,
                                               DWORD /*dwDuration*/) {
  return t2::c_call([&]() -> LONG { return t2::call_operation_unavailable(hCall); });
}

OPENTAPI_EXPORT LONG WINAPI lineGenerateDigitsA(HCALL hCall, DWORD /*dwDigitMode*/, LPCSTR /*lpszDigits*/,
                                                DWORD /*dwDuration*/) {
  return t2::c_call([&]() -> LONG { return t2::call_operation_unavailable(hCall); });
}

OPENTAPI_EXPORT LONG WINAPI lineGenerateDigitsW(HCALL hCall, DWORD /*dwDigitMode*/, LPCWSTR /*lpszDigits*/,
                                                DWORD /*dwDuration*/) {
  return t2::c_call([&]() -> LONG { return t2::call_operation_unavailable(hCall); });
}

OPENTAPI_EXPORT LONG WINAPI lineMonitorDigits(HCALL hCall, DWORD /*dwDigitModes*/) {
  return t2::c_call([&]() -> LONG { return t2::call_operation_unavailable(hCall); });
}

// ---- the rest of the line API whose operation the switch lacks ----
// (docs/tapi2.md "The rest of the line API"). Each checks what Windows
// checks before it reaches a provider — the application, the pointers the
// DLL validates, the handles — then answers LINEERR_OPERATIONUNAVAIL.

namespace opentapi::tapi2 {
namespace {

LONG line_operation_unavailable(HLINE hline) {
  LineTarget t;
  if (const LONG rc = find_line(hline, &t)) return rc;
  return LINEERR_OPERATIONUNAVAIL;
}

LONG line_operation_unavailable(HLINE hline, const void* required) {
  if (const LONG rc = any_application()) return rc;
  if (required == nullptr) return LINEERR_INVALPOINTER;
  return line_operation_unavailable(hline);
}

// Two calls (swap hold, complete a transfer, add to a conference).
LONG calls_operation_unavailable(HCALL first, HCALL second) {
  CallTarget t;
  if (const LONG rc = find_call(first, &t)) return rc;
  if (const LONG rc = find_call(second, &t)) return rc;
  return LINEERR_OPERATIONUNAVAIL;
}

LONG app_operation_unavailable(HLINEAPP happ) {
  std::shared_ptr<client::Application> app;
  if (const LONG rc = find_application(happ, &app)) return rc;
  return LINEERR_OPERATIONUNAVAIL;
}

// A function that takes a device ID and no handle: some application must
// exist (UNINITIALIZED), and the ID must be one of its devices.
LONG device_operation_unavailable(DWORD device_id) {
  const auto app = client::Registry::instance().some_application();
  if (!app) return LINEERR_UNINITIALIZED;
  if (device_id >= app->num_devices()) return LINEERR_BADDEVICEID;
  return LINEERR_OPERATIONUNAVAIL;
}

}  // namespace
}  // namespace opentapi::tapi2

// Call control.

OPENTAPI_EXPORT LONG WINAPI lineSwapHold(HCALL hActiveCall, HCALL hHeldCall) {
  return t2::c_call([&]() -> LONG { return t2::calls_operation_unavailable(hActiveCall, hHeldCall); });
}

OPENTAPI_EXPORT LONG WINAPI lineSetupTransfer(HCALL hCall, LPHCALL lphConsultCall,
                                              LPLINECALLPARAMS const /*lpCallParams*/) {
  return t2::c_call([&]() -> LONG { return t2::call_operation_unavailable(hCall, lphConsultCall); });
}

OPENTAPI_EXPORT LONG WINAPI lineSetupTransferA(HCALL hCall, LPHCALL lphConsultCall,
                                               LPLINECALLPARAMS const /*lpCallParams*/) {
  return t2::c_call([&]() -> LONG { return t2::call_operation_unavailable(hCall, lphConsultCall); });
}

OPENTAPI_EXPORT LONG WINAPI lineSetupTransferW(HCALL hCall, LPHCALL lphConsultCall,
                                               LPLINECALLPARAMS const /*lpCallParams*/) {
  return t2::c_call([&]() -> LONG { return t2::call_operation_unavailable(hCall, lphConsultCall); });
}

OPENTAPI_EXPORT LONG WINAPI lineCompleteTransfer(HCALL hCall, HCALL hConsultCall, LPHCALL /*lphConfCall*/,
                                                 DWORD /*dwTransferMode*/) {
  return t2::c_call([&]() -> LONG { return t2::calls_operation_unavailable(hCall, hConsultCall); });
}

OPENTAPI_EXPORT LONG WINAPI lineSetupConference(HCALL hCall, HLINE /*hLine*/, LPHCALL lphConfCall,
                                                LPHCALL lphConsultCall, DWORD /*dwNumParties*/,
                                                LPLINECALLPARAMS const /*lpCallParams*/) {
  return t2::c_call([&]() -> LONG {
    if (lphConsultCall == nullptr) return t2::call_operation_unavailable(hCall, nullptr);
    return t2::call_operation_unavailable(hCall, lphConfCall);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineSetupConferenceA(HCALL hCall, HLINE hLine, LPHCALL lphConfCall, LPHCALL lphConsultCall,
                                                 DWORD dwNumParties, LPLINECALLPARAMS const lpCallParams) {
  return lineSetupConference(hCall, hLine, lphConfCall, lphConsultCall, dwNumParties, lpCallParams);
}

OPENTAPI_EXPORT LONG WINAPI lineSetupConferenceW(HCALL hCall, HLINE hLine, LPHCALL lphConfCall, LPHCALL lphConsultCall,
                                                 DWORD dwNumParties, LPLINECALLPARAMS const lpCallParams) {
  return lineSetupConference(hCall, hLine, lphConfCall, lphConsultCall, dwNumParties, lpCallParams);
}

OPENTAPI_EXPORT LONG WINAPI linePrepareAddToConference(HCALL hConfCall, LPHCALL lphConsultCall,
                                                       LPLINECALLPARAMS const /*lpCallParams*/) {
  return t2::c_call([&]() -> LONG { return t2::call_operation_unavailable(hConfCall, lphConsultCall); });
}

OPENTAPI_EXPORT LONG WINAPI linePrepareAddToConferenceA(HCALL hConfCall, LPHCALL lphConsultCall,
                                                        LPLINECALLPARAMS const lpCallParams) {
  return linePrepareAddToConference(hConfCall, lphConsultCall, lpCallParams);
}

OPENTAPI_EXPORT LONG WINAPI linePrepareAddToConferenceW(HCALL hConfCall, LPHCALL lphConsultCall,
                                                        LPLINECALLPARAMS const lpCallParams) {
  return linePrepareAddToConference(hConfCall, lphConsultCall, lpCallParams);
}

OPENTAPI_EXPORT LONG WINAPI lineAddToConference(HCALL hConfCall, HCALL hConsultCall) {
  return t2::c_call([&]() -> LONG { return t2::calls_operation_unavailable(hConfCall, hConsultCall); });
}

OPENTAPI_EXPORT LONG WINAPI lineRemoveFromConference(HCALL hCall) {
  return t2::c_call([&]() -> LONG { return t2::call_operation_unavailable(hCall); });
}

// lpszDirAddress is needed for a directed park only; lpNonDirAddress for a
// non-directed one: their checks are the provider's.
OPENTAPI_EXPORT LONG WINAPI linePark(HCALL hCall, DWORD /*dwParkMode*/, LPCSTR /*lpszDirAddress*/,
                                     LPVARSTRING /*lpNonDirAddress*/) {
  return t2::c_call([&]() -> LONG { return t2::call_operation_unavailable(hCall); });
}

OPENTAPI_EXPORT LONG WINAPI lineParkA(HCALL hCall, DWORD /*dwParkMode*/, LPCSTR /*lpszDirAddress*/,
                                      LPVARSTRING /*lpNonDirAddress*/) {
  return t2::c_call([&]() -> LONG { return t2::call_operation_unavailable(hCall); });
}

OPENTAPI_EXPORT LONG WINAPI lineParkW(HCALL hCall, DWORD /*dwParkMode*/, LPCWSTR /*lpszDirAddress*/,
                                      LPVARSTRING /*lpNonDirAddress*/) {
  return t2::c_call([&]() -> LONG { return t2::call_operation_unavailable(hCall); });
}

OPENTAPI_EXPORT LONG WINAPI lineUnpark(HLINE hLine, DWORD /*dwAddressID*/, LPHCALL lphCall, LPCSTR lpszDestAddress) {
  return t2::c_call([&]() -> LONG {
    if (lpszDestAddress == nullptr) return t2::line_operation_unavailable(hLine, nullptr);
    return t2::line_operation_unavailable(hLine, lphCall);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineUnparkA(HLINE hLine, DWORD dwAddressID, LPHCALL lphCall, LPCSTR lpszDestAddress) {
  return lineUnpark(hLine, dwAddressID, lphCall, lpszDestAddress);
}

OPENTAPI_EXPORT LONG WINAPI lineUnparkW(HLINE hLine, DWORD /*dwAddressID*/, LPHCALL lphCall, LPCWSTR lpszDestAddress) {
  return t2::c_call([&]() -> LONG {
    if (lpszDestAddress == nullptr) return t2::line_operation_unavailable(hLine, nullptr);
    return t2::line_operation_unavailable(hLine, lphCall);
  });
}

OPENTAPI_EXPORT LONG WINAPI linePickup(HLINE hLine, DWORD /*dwAddressID*/, LPHCALL lphCall, LPCSTR /*lpszDestAddress*/,
                                       LPCSTR /*lpszGroupID*/) {
  return t2::c_call([&]() -> LONG { return t2::line_operation_unavailable(hLine, lphCall); });
}

OPENTAPI_EXPORT LONG WINAPI linePickupA(HLINE hLine, DWORD /*dwAddressID*/, LPHCALL lphCall, LPCSTR /*lpszDestAddress*/,
                                        LPCSTR /*lpszGroupID*/) {
  return t2::c_call([&]() -> LONG { return t2::line_operation_unavailable(hLine, lphCall); });
}

OPENTAPI_EXPORT LONG WINAPI linePickupW(HLINE hLine, DWORD /*dwAddressID*/, LPHCALL lphCall,
                                        LPCWSTR /*lpszDestAddress*/, LPCWSTR /*lpszGroupID*/) {
  return t2::c_call([&]() -> LONG { return t2::line_operation_unavailable(hLine, lphCall); });
}

OPENTAPI_EXPORT LONG WINAPI lineForward(HLINE hLine, DWORD /*bAllAddresses*/, DWORD /*dwAddressID*/,
                                        LPLINEFORWARDLIST const /*lpForwardList*/, DWORD /*dwNumRingsNoAnswer*/,
                                        LPHCALL lphConsultCall, LPLINECALLPARAMS const /*lpCallParams*/) {
  return t2::c_call([&]() -> LONG { return t2::line_operation_unavailable(hLine, lphConsultCall); });
}

OPENTAPI_EXPORT LONG WINAPI lineForwardA(HLINE hLine, DWORD bAllAddresses, DWORD dwAddressID,
                                         LPLINEFORWARDLIST const lpForwardList, DWORD dwNumRingsNoAnswer,
                                         LPHCALL lphConsultCall, LPLINECALLPARAMS const lpCallParams) {
  return lineForward(hLine, bAllAddresses, dwAddressID, lpForwardList, dwNumRingsNoAnswer, lphConsultCall,
                     lpCallParams);
}

OPENTAPI_EXPORT LONG WINAPI lineForwardW(HLINE hLine, DWORD bAllAddresses, DWORD dwAddressID,
                                         LPLINEFORWARDLIST const lpForwardList, DWORD dwNumRingsNoAnswer,
                                         LPHCALL lphConsultCall, LPLINECALLPARAMS const lpCallParams) {
  return lineForward(hLine, bAllAddresses, dwAddressID, lpForwardList, dwNumRingsNoAnswer, lphConsultCall,
                     lpCallParams);
}

OPENTAPI_EXPORT LONG WINAPI lineCompleteCall(HCALL hCall, LPDWORD lpdwCompletionID, DWORD /*dwCompletionMode*/,
                                             DWORD /*dwMessageID*/) {
  return t2::c_call([&]() -> LONG { return t2::call_operation_unavailable(hCall, lpdwCompletionID); });
}

OPENTAPI_EXPORT LONG WINAPI lineUncompleteCall(HLINE hLine, DWORD /*dwCompletionID*/) {
  return t2::c_call([&]() -> LONG { return t2::line_operation_unavailable(hLine); });
}

OPENTAPI_EXPORT LONG WINAPI lineSecureCall(HCALL hCall) {
  return t2::c_call([&]() -> LONG { return t2::call_operation_unavailable(hCall); });
}

OPENTAPI_EXPORT LONG WINAPI lineSendUserUserInfo(HCALL hCall, LPCSTR /*lpsUserUserInfo*/, DWORD /*dwSize*/) {
  return t2::c_call([&]() -> LONG { return t2::call_operation_unavailable(hCall); });
}

OPENTAPI_EXPORT LONG WINAPI lineReleaseUserUserInfo(HCALL hCall) {
  return t2::c_call([&]() -> LONG { return t2::call_operation_unavailable(hCall); });
}

OPENTAPI_EXPORT LONG WINAPI lineSetCallParams(HCALL hCall, DWORD /*dwBearerMode*/, DWORD /*dwMinRate*/,
                                              DWORD /*dwMaxRate*/, LPLINEDIALPARAMS const /*lpDialParams*/) {
  return t2::c_call([&]() -> LONG { return t2::call_operation_unavailable(hCall); });
}

OPENTAPI_EXPORT LONG WINAPI lineSetCallTreatment(HCALL hCall, DWORD /*dwTreatment*/) {
  return t2::c_call([&]() -> LONG { return t2::call_operation_unavailable(hCall); });
}

OPENTAPI_EXPORT LONG WINAPI lineSetCallQualityOfService(HCALL hCall, LPVOID /*lpSendingFlowspec*/,
                                                        DWORD /*dwSendingFlowspecSize*/, LPVOID /*lpReceivingFlowspec*/,
                                                        DWORD /*dwReceivingFlowspecSize*/) {
  return t2::c_call([&]() -> LONG { return t2::call_operation_unavailable(hCall); });
}

// Handing a call to another application needs the server to find it and
// give it a handle; opentapid does not do that yet.
OPENTAPI_EXPORT LONG WINAPI lineHandoff(HCALL hCall, LPCSTR /*lpszFileName*/, DWORD /*dwMediaMode*/) {
  return t2::c_call([&]() -> LONG { return t2::call_operation_unavailable(hCall); });
}

OPENTAPI_EXPORT LONG WINAPI lineHandoffA(HCALL hCall, LPCSTR /*lpszFileName*/, DWORD /*dwMediaMode*/) {
  return t2::c_call([&]() -> LONG { return t2::call_operation_unavailable(hCall); });
}

OPENTAPI_EXPORT LONG WINAPI lineHandoffW(HCALL hCall, LPCWSTR /*lpszFileName*/, DWORD /*dwMediaMode*/) {
  return t2::c_call([&]() -> LONG { return t2::call_operation_unavailable(hCall); });
}

// Call hubs are not tracked: no hub has related calls. The call handle is
// judged when one is given (hCallHub 0 asks about hCall's hub).
OPENTAPI_EXPORT LONG WINAPI lineGetHubRelatedCalls(HCALLHUB hCallHub, HCALL hCall, LPLINECALLLIST lpCallList) {
  return t2::c_call([&]() -> LONG {
    if (const LONG rc = t2::any_application()) return rc;
    if (lpCallList == nullptr) return LINEERR_INVALPOINTER;
    if (hCallHub == 0) return t2::call_operation_unavailable(hCall);
    return LINEERR_OPERATIONUNAVAIL;
  });
}

// Media, digits and tones.

OPENTAPI_EXPORT LONG WINAPI lineMonitorMedia(HCALL hCall, DWORD /*dwMediaModes*/) {
  return t2::c_call([&]() -> LONG { return t2::call_operation_unavailable(hCall); });
}

OPENTAPI_EXPORT LONG WINAPI lineMonitorTones(HCALL hCall, LPLINEMONITORTONE const /*lpToneList*/,
                                             DWORD /*dwNumEntries*/) {
  return t2::c_call([&]() -> LONG { return t2::call_operation_unavailable(hCall); });
}

OPENTAPI_EXPORT LONG WINAPI lineGenerateTone(HCALL hCall, DWORD /*dwToneMode*/, DWORD /*dwDuration*/,
                                             DWORD /*dwNumTones*/, LPLINEGENERATETONE const /*lpTones*/) {
  return t2::c_call([&]() -> LONG { return t2::call_operation_unavailable(hCall); });
}

// lpsDigits NULL cancels a gathering, as on Windows: allowed.
OPENTAPI_EXPORT LONG WINAPI lineGatherDigits(HCALL hCall, DWORD /*dwDigitModes*/, LPSTR /*lpsDigits*/,
                                             DWORD /*dwNumDigits*/, LPCSTR /*lpszTerminationDigits*/,
                                             DWORD /*dwFirstDigitTimeout*/, DWORD /*dwInterDigitTimeout*/) {
  return t2::c_call([&]() -> LONG { return t2::call_operation_unavailable(hCall); });
}

OPENTAPI_EXPORT LONG WINAPI lineGatherDigitsA(HCALL hCall, DWORD /*dwDigitModes*/, LPSTR /*lpsDigits*/,
                                              DWORD /*dwNumDigits*/, LPCSTR /*lpszTerminationDigits*/,
                                              DWORD /*dwFirstDigitTimeout*/, DWORD /*dwInterDigitTimeout*/) {
  return t2::c_call([&]() -> LONG { return t2::call_operation_unavailable(hCall); });
}

OPENTAPI_EXPORT LONG WINAPI lineGatherDigitsW(HCALL hCall, DWORD /*dwDigitModes*/, LPWSTR /*lpsDigits*/,
                                              DWORD /*dwNumDigits*/, LPCWSTR /*lpszTerminationDigits*/,
                                              DWORD /*dwFirstDigitTimeout*/, DWORD /*dwInterDigitTimeout*/) {
  return t2::c_call([&]() -> LONG { return t2::call_operation_unavailable(hCall); });
}

// dwSelect names a line, an address or a call: the call handle is checked
// when it is the call's media that is to be controlled.
OPENTAPI_EXPORT LONG WINAPI lineSetMediaControl(
    HLINE hLine, DWORD /*dwAddressID*/, HCALL hCall, DWORD dwSelect, LPLINEMEDIACONTROLDIGIT const /*lpDigitList*/,
    DWORD /*dwDigitNumEntries*/, LPLINEMEDIACONTROLMEDIA const /*lpMediaList*/, DWORD /*dwMediaNumEntries*/,
    LPLINEMEDIACONTROLTONE const /*lpToneList*/, DWORD /*dwToneNumEntries*/,
    LPLINEMEDIACONTROLCALLSTATE const /*lpCallStateList*/, DWORD /*dwCallStateNumEntries*/) {
  return t2::c_call([&]() -> LONG {
    if (dwSelect == LINECALLSELECT_CALL) return t2::call_operation_unavailable(hCall);
    if (dwSelect != LINECALLSELECT_LINE && dwSelect != LINECALLSELECT_ADDRESS) {
      if (const LONG rc = t2::any_application()) return rc;
      return LINEERR_INVALCALLSELECT;
    }
    return t2::line_operation_unavailable(hLine);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineSetTerminal(HLINE hLine, DWORD /*dwAddressID*/, HCALL hCall, DWORD dwSelect,
                                            DWORD /*dwTerminalModes*/, DWORD /*dwTerminalID*/, DWORD /*bEnable*/) {
  return t2::c_call([&]() -> LONG {
    if (dwSelect == LINECALLSELECT_CALL) return t2::call_operation_unavailable(hCall);
    if (dwSelect != LINECALLSELECT_LINE && dwSelect != LINECALLSELECT_ADDRESS) {
      if (const LONG rc = t2::any_application()) return rc;
      return LINEERR_INVALCALLSELECT;
    }
    return t2::line_operation_unavailable(hLine);
  });
}

// Line device settings.

OPENTAPI_EXPORT LONG WINAPI lineSetLineDevStatus(HLINE hLine, DWORD /*dwStatusToChange*/, DWORD /*fStatus*/) {
  return t2::c_call([&]() -> LONG { return t2::line_operation_unavailable(hLine); });
}

OPENTAPI_EXPORT LONG WINAPI lineDevSpecific(HLINE hLine, DWORD /*dwAddressID*/, HCALL /*hCall*/, LPVOID /*lpParams*/,
                                            DWORD /*dwSize*/) {
  return t2::c_call([&]() -> LONG { return t2::line_operation_unavailable(hLine); });
}

OPENTAPI_EXPORT LONG WINAPI lineDevSpecificFeature(HLINE hLine, DWORD /*dwFeature*/, LPVOID /*lpParams*/,
                                                   DWORD /*dwSize*/) {
  return t2::c_call([&]() -> LONG { return t2::line_operation_unavailable(hLine); });
}

// opentapid offers no device extensions (lineNegotiateAPIVersion returns a
// zero extension ID): there is nothing to negotiate.
OPENTAPI_EXPORT LONG WINAPI lineNegotiateExtVersion(HLINEAPP hLineApp, DWORD dwDeviceID, DWORD /*dwAPIVersion*/,
                                                    DWORD /*dwExtLowVersion*/, DWORD /*dwExtHighVersion*/,
                                                    LPDWORD lpdwExtVersion) {
  return t2::c_call([&]() -> LONG {
    std::shared_ptr<opentapi::client::Application> app;
    if (const LONG rc = t2::find_application(hLineApp, &app)) return rc;
    if (lpdwExtVersion == nullptr) return LINEERR_INVALPOINTER;
    if (dwDeviceID >= app->num_devices()) return LINEERR_BADDEVICEID;
    return LINEERR_OPERATIONUNAVAIL;
  });
}

OPENTAPI_EXPORT LONG WINAPI lineGetDevConfig(DWORD dwDeviceID, LPVARSTRING lpDeviceConfig, LPCSTR /*lpszDeviceClass*/) {
  return t2::c_call([&]() -> LONG {
    if (lpDeviceConfig == nullptr) return LINEERR_INVALPOINTER;
    return t2::device_operation_unavailable(dwDeviceID);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineGetDevConfigA(DWORD dwDeviceID, LPVARSTRING lpDeviceConfig, LPCSTR lpszDeviceClass) {
  return lineGetDevConfig(dwDeviceID, lpDeviceConfig, lpszDeviceClass);
}

OPENTAPI_EXPORT LONG WINAPI lineGetDevConfigW(DWORD dwDeviceID, LPVARSTRING lpDeviceConfig,
                                              LPCWSTR /*lpszDeviceClass*/) {
  return lineGetDevConfig(dwDeviceID, lpDeviceConfig, nullptr);
}

OPENTAPI_EXPORT LONG WINAPI lineSetDevConfig(DWORD dwDeviceID, LPVOID const lpDeviceConfig, DWORD dwSize,
                                             LPCSTR /*lpszDeviceClass*/) {
  return t2::c_call([&]() -> LONG {
    if (lpDeviceConfig == nullptr && dwSize != 0) return LINEERR_INVALPOINTER;
    return t2::device_operation_unavailable(dwDeviceID);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineSetDevConfigA(DWORD dwDeviceID, LPVOID const lpDeviceConfig, DWORD dwSize,
                                              LPCSTR lpszDeviceClass) {
  return lineSetDevConfig(dwDeviceID, lpDeviceConfig, dwSize, lpszDeviceClass);
}

OPENTAPI_EXPORT LONG WINAPI lineSetDevConfigW(DWORD dwDeviceID, LPVOID const lpDeviceConfig, DWORD dwSize,
                                              LPCWSTR /*lpszDeviceClass*/) {
  return lineSetDevConfig(dwDeviceID, lpDeviceConfig, dwSize, nullptr);
}

// Dialogs: no windows to own them.

OPENTAPI_EXPORT LONG WINAPI lineConfigDialog(DWORD dwDeviceID, HWND /*hwndOwner*/, LPCSTR /*lpszDeviceClass*/) {
  return t2::c_call([&]() -> LONG { return t2::device_operation_unavailable(dwDeviceID); });
}

OPENTAPI_EXPORT LONG WINAPI lineConfigDialogA(DWORD dwDeviceID, HWND /*hwndOwner*/, LPCSTR /*lpszDeviceClass*/) {
  return t2::c_call([&]() -> LONG { return t2::device_operation_unavailable(dwDeviceID); });
}

OPENTAPI_EXPORT LONG WINAPI lineConfigDialogW(DWORD dwDeviceID, HWND /*hwndOwner*/, LPCWSTR /*lpszDeviceClass*/) {
  return t2::c_call([&]() -> LONG { return t2::device_operation_unavailable(dwDeviceID); });
}

OPENTAPI_EXPORT LONG WINAPI lineConfigDialogEdit(DWORD dwDeviceID, HWND /*hwndOwner*/, LPCSTR /*lpszDeviceClass*/,
                                                 LPVOID const /*lpDeviceConfigIn*/, DWORD /*dwSize*/,
                                                 LPVARSTRING lpDeviceConfigOut) {
  return t2::c_call([&]() -> LONG {
    if (lpDeviceConfigOut == nullptr) return LINEERR_INVALPOINTER;
    return t2::device_operation_unavailable(dwDeviceID);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineConfigDialogEditA(DWORD dwDeviceID, HWND hwndOwner, LPCSTR lpszDeviceClass,
                                                  LPVOID const lpDeviceConfigIn, DWORD dwSize,
                                                  LPVARSTRING lpDeviceConfigOut) {
  return lineConfigDialogEdit(dwDeviceID, hwndOwner, lpszDeviceClass, lpDeviceConfigIn, dwSize, lpDeviceConfigOut);
}

OPENTAPI_EXPORT LONG WINAPI lineConfigDialogEditW(DWORD dwDeviceID, HWND hwndOwner, LPCWSTR /*lpszDeviceClass*/,
                                                  LPVOID const lpDeviceConfigIn, DWORD dwSize,
                                                  LPVARSTRING lpDeviceConfigOut) {
  return lineConfigDialogEdit(dwDeviceID, hwndOwner, nullptr, lpDeviceConfigIn, dwSize, lpDeviceConfigOut);
}

OPENTAPI_EXPORT LONG WINAPI lineTranslateDialog(HLINEAPP hLineApp, DWORD /*dwDeviceID*/, DWORD /*dwAPIVersion*/,
                                                HWND /*hwndOwner*/, LPCSTR /*lpszAddressIn*/) {
  return t2::c_call([&]() -> LONG { return t2::app_operation_unavailable(hLineApp); });
}

OPENTAPI_EXPORT LONG WINAPI lineTranslateDialogA(HLINEAPP hLineApp, DWORD /*dwDeviceID*/, DWORD /*dwAPIVersion*/,
                                                 HWND /*hwndOwner*/, LPCSTR /*lpszAddressIn*/) {
  return t2::c_call([&]() -> LONG { return t2::app_operation_unavailable(hLineApp); });
}

OPENTAPI_EXPORT LONG WINAPI lineTranslateDialogW(HLINEAPP hLineApp, DWORD /*dwDeviceID*/, DWORD /*dwAPIVersion*/,
                                                 HWND /*hwndOwner*/, LPCWSTR /*lpszAddressIn*/) {
  return t2::c_call([&]() -> LONG { return t2::app_operation_unavailable(hLineApp); });
}

// Providers: opentapid's switch is configured in opentapid, not by programs.

OPENTAPI_EXPORT LONG WINAPI lineAddProvider(LPCSTR lpszProviderFilename, HWND /*hwndOwner*/,
                                            LPDWORD lpdwPermanentProviderID) {
  return t2::c_call([&]() -> LONG {
    if (lpszProviderFilename == nullptr || lpdwPermanentProviderID == nullptr) return LINEERR_INVALPOINTER;
    return LINEERR_OPERATIONUNAVAIL;
  });
}

OPENTAPI_EXPORT LONG WINAPI lineAddProviderA(LPCSTR lpszProviderFilename, HWND hwndOwner,
                                             LPDWORD lpdwPermanentProviderID) {
  return lineAddProvider(lpszProviderFilename, hwndOwner, lpdwPermanentProviderID);
}

OPENTAPI_EXPORT LONG WINAPI lineAddProviderW(LPCWSTR lpszProviderFilename, HWND /*hwndOwner*/,
                                             LPDWORD lpdwPermanentProviderID) {
  return t2::c_call([&]() -> LONG {
    if (lpszProviderFilename == nullptr || lpdwPermanentProviderID == nullptr) return LINEERR_INVALPOINTER;
    return LINEERR_OPERATIONUNAVAIL;
  });
}

OPENTAPI_EXPORT LONG WINAPI lineRemoveProvider(DWORD /*dwPermanentProviderID*/, HWND /*hwndOwner*/) {
  return t2::c_call([&]() -> LONG { return LINEERR_OPERATIONUNAVAIL; });
}

OPENTAPI_EXPORT LONG WINAPI lineConfigProvider(HWND /*hwndOwner*/, DWORD /*dwPermanentProviderID*/) {
  return t2::c_call([&]() -> LONG { return LINEERR_OPERATIONUNAVAIL; });
}

// Toll lists belong to the location, which programs cannot edit
// (docs/tapi2.md "lineTranslateAddress and the location").
OPENTAPI_EXPORT LONG WINAPI lineSetTollList(HLINEAPP hLineApp, DWORD /*dwDeviceID*/, LPCSTR lpszAddressIn,
                                            DWORD /*dwTollListOption*/) {
  return t2::c_call([&]() -> LONG {
    if (lpszAddressIn == nullptr) return LINEERR_INVALPOINTER;
    return t2::app_operation_unavailable(hLineApp);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineSetTollListA(HLINEAPP hLineApp, DWORD dwDeviceID, LPCSTR lpszAddressIn,
                                             DWORD dwTollListOption) {
  return lineSetTollList(hLineApp, dwDeviceID, lpszAddressIn, dwTollListOption);
}

OPENTAPI_EXPORT LONG WINAPI lineSetTollListW(HLINEAPP hLineApp, DWORD /*dwDeviceID*/, LPCWSTR lpszAddressIn,
                                             DWORD /*dwTollListOption*/) {
  return t2::c_call([&]() -> LONG {
    if (lpszAddressIn == nullptr) return LINEERR_INVALPOINTER;
    return t2::app_operation_unavailable(hLineApp);
  });
}
