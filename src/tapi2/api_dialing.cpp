// lineTranslateAddress, lineGetTranslateCaps, lineSetCurrentLocation and
// lineGetCountry (docs/tapi2.md "lineTranslateAddress and the location"): the
// dialing rules of tapi2/dialing_rules.h applied with the process's location. Needs no server: the location is the
// caller's, as the locations of Windows are the user's.
#include <cstdlib>
#include <span>

#include "tapi2/api_common.h"
#include "tapi2/dialing_rules.h"

// tapi.h maps this name to its A/W forms; this file defines the real
// unsuffixed (ANSI) export as well.
#undef lineTranslateAddress
#undef lineGetTranslateCaps
#undef lineGetCountry

namespace opentapi::tapi2 {
namespace {

template <class Char>
LONG translate(HLINEAPP hLineApp, DWORD dwDeviceID, DWORD dwAPIVersion, const Char* lpszAddressIn, DWORD dwCard,
               DWORD dwTranslateOptions, LPLINETRANSLATEOUTPUT lpTranslateOutput, layout::Charset charset) {
  (void)dwCard;  // read only with CARDOVERRIDE, which the location refuses (no cards)
  if (lpszAddressIn == nullptr || lpTranslateOutput == nullptr) return LINEERR_INVALPOINTER;
  // A TAPI 2.x application may translate before lineInitializeEx (hLineApp
  // NULL); then the device ID cannot be judged, and needs not be: one
  // location serves every line.
  if (hLineApp != 0) {
    std::shared_ptr<client::Application> app;
    if (const LONG rc = find_application(hLineApp, &app)) return rc;
    if (dwDeviceID >= app->num_devices()) return LINEERR_BADDEVICEID;
  }
  if (dwAPIVersion < TAPI_VERSION1_0 || dwAPIVersion > TAPI_CURRENT_VERSION) return LINEERR_INCOMPATIBLEAPIVERSION;
  bool ok = true;
  const auto address = utf8_arg(lpszAddressIn, &ok);
  if (!ok) return LINEERR_INVALADDRESS;
  const auto location = parse_location(std::getenv("OPENTAPI_LOCATION"));
  if (!location) return LINEERR_INIFILECORRUPT;
  Translation t;
  if (const LONG rc = translate_address(*address, *location, dwTranslateOptions, dwAPIVersion, &t)) return rc;
  return write_translate_output(t, charset, lpTranslateOutput);
}

// hLineApp 0 is allowed as for lineTranslateAddress.
LONG check_app_and_version(HLINEAPP hLineApp, DWORD dwAPIVersion) {
  if (hLineApp != 0) {
    std::shared_ptr<client::Application> app;
    if (const LONG rc = find_application(hLineApp, &app)) return rc;
  }
  if (dwAPIVersion < TAPI_VERSION1_0 || dwAPIVersion > TAPI_CURRENT_VERSION) return LINEERR_INCOMPATIBLEAPIVERSION;
  return 0;
}

LONG get_translate_caps(HLINEAPP hLineApp, DWORD dwAPIVersion, LPLINETRANSLATECAPS caps, layout::Charset charset) {
  if (caps == nullptr) return LINEERR_INVALPOINTER;
  if (const LONG rc = check_app_and_version(hLineApp, dwAPIVersion)) return rc;
  const auto location = parse_location(std::getenv("OPENTAPI_LOCATION"));
  if (!location) return LINEERR_INIFILECORRUPT;
  return write_translate_caps(*location, charset, caps);
}

LONG set_current_location(HLINEAPP hLineApp, DWORD dwLocation) {
  std::shared_ptr<client::Application> app;
  if (const LONG rc = find_application(hLineApp, &app)) return rc;
  if (!parse_location(std::getenv("OPENTAPI_LOCATION"))) return LINEERR_INIFILECORRUPT;
  return dwLocation == kLocationId ? 0 : LINEERR_INVALLOCATION;
}

LONG get_country(DWORD dwCountryID, DWORD dwAPIVersion, LPLINECOUNTRYLIST list, layout::Charset charset) {
  // lineGetCountry came with TAPI 1.4.
  if (dwAPIVersion < TAPI_VERSION1_4 || dwAPIVersion > TAPI_CURRENT_VERSION) return LINEERR_INCOMPATIBLEAPIVERSION;
  if (list == nullptr) return LINEERR_INVALPOINTER;
  std::span<const Country> countries = known_countries();
  if (dwCountryID != 0) {
    const Country* c = find_country(dwCountryID);
    if (c == nullptr) return LINEERR_INVALCOUNTRYCODE;
    countries = std::span<const Country>(c, 1);
  }
  return write_country_list(countries, charset, list);
}

}  // namespace
}  // namespace opentapi::tapi2

namespace t2 = opentapi::tapi2;
using opentapi::layout::Charset;

OPENTAPI_EXPORT LONG WINAPI lineTranslateAddress(HLINEAPP hLineApp, DWORD dwDeviceID, DWORD dwAPIVersion,
                                                 LPCSTR lpszAddressIn, DWORD dwCard, DWORD dwTranslateOptions,
                                                 LPLINETRANSLATEOUTPUT lpTranslateOutput) {
  return t2::c_call([&]() -> LONG {
    return t2::translate(hLineApp, dwDeviceID, dwAPIVersion, lpszAddressIn, dwCard, dwTranslateOptions,
                         lpTranslateOutput, Charset::kAnsi);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineTranslateAddressA(HLINEAPP hLineApp, DWORD dwDeviceID, DWORD dwAPIVersion,
                                                  LPCSTR lpszAddressIn, DWORD dwCard, DWORD dwTranslateOptions,
                                                  LPLINETRANSLATEOUTPUT lpTranslateOutput) {
  return t2::c_call([&]() -> LONG {
    return t2::translate(hLineApp, dwDeviceID, dwAPIVersion, lpszAddressIn, dwCard, dwTranslateOptions,
                         lpTranslateOutput, Charset::kAnsi);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineTranslateAddressW(HLINEAPP hLineApp, DWORD dwDeviceID, DWORD dwAPIVersion,
                                                  LPCWSTR lpszAddressIn, DWORD dwCard, DWORD dwTranslateOptions,
                                                  LPLINETRANSLATEOUTPUT lpTranslateOutput) {
  return t2::c_call([&]() -> LONG {
    return t2::translate(hLineApp, dwDeviceID, dwAPIVersion, lpszAddressIn, dwCard, dwTranslateOptions,
                         lpTranslateOutput, Charset::kWide);
  });
}

OPENTAPI_EXPORT LONG WINAPI lineGetTranslateCaps(HLINEAPP hLineApp, DWORD dwAPIVersion,
                                                 LPLINETRANSLATECAPS lpTranslateCaps) {
  return t2::c_call(
      [&]() -> LONG { return t2::get_translate_caps(hLineApp, dwAPIVersion, lpTranslateCaps, Charset::kAnsi); });
}

OPENTAPI_EXPORT LONG WINAPI lineGetTranslateCapsA(HLINEAPP hLineApp, DWORD dwAPIVersion,
                                                  LPLINETRANSLATECAPS lpTranslateCaps) {
  return t2::c_call(
      [&]() -> LONG { return t2::get_translate_caps(hLineApp, dwAPIVersion, lpTranslateCaps, Charset::kAnsi); });
}

OPENTAPI_EXPORT LONG WINAPI lineGetTranslateCapsW(HLINEAPP hLineApp, DWORD dwAPIVersion,
                                                  LPLINETRANSLATECAPS lpTranslateCaps) {
  return t2::c_call(
      [&]() -> LONG { return t2::get_translate_caps(hLineApp, dwAPIVersion, lpTranslateCaps, Charset::kWide); });
}

OPENTAPI_EXPORT LONG WINAPI lineSetCurrentLocation(HLINEAPP hLineApp, DWORD dwLocation) {
  return t2::c_call([&]() -> LONG { return t2::set_current_location(hLineApp, dwLocation); });
}

OPENTAPI_EXPORT LONG WINAPI lineGetCountry(DWORD dwCountryID, DWORD dwAPIVersion, LPLINECOUNTRYLIST lpLineCountryList) {
  return t2::c_call(
      [&]() -> LONG { return t2::get_country(dwCountryID, dwAPIVersion, lpLineCountryList, Charset::kAnsi); });
}

OPENTAPI_EXPORT LONG WINAPI lineGetCountryA(DWORD dwCountryID, DWORD dwAPIVersion,
                                            LPLINECOUNTRYLIST lpLineCountryList) {
  return t2::c_call(
      [&]() -> LONG { return t2::get_country(dwCountryID, dwAPIVersion, lpLineCountryList, Charset::kAnsi); });
}

OPENTAPI_EXPORT LONG WINAPI lineGetCountryW(DWORD dwCountryID, DWORD dwAPIVersion,
                                            LPLINECOUNTRYLIST lpLineCountryList) {
  return t2::c_call(
      [&]() -> LONG { return t2::get_country(dwCountryID, dwAPIVersion, lpLineCountryList, Charset::kWide); });
}
