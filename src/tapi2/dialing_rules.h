// lineTranslateAddress's dialing rules (docs/tapi2.md "lineTranslateAddress
// and the location"): pure functions from a canonical address ("+CC (AREA)
// NUMBER") and the caller's location to the digits a line dials. No I/O, no
// state; the C function reads the location from the environment and writes
// LINETRANSLATEOUTPUT with write_translate_output.
#ifndef OPENTAPI_TAPI2_DIALING_RULES_H_
#define OPENTAPI_TAPI2_DIALING_RULES_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "layout/text.h"
#include "tapi.h"

namespace opentapi::tapi2 {

// Where the caller dials from: Windows' "current location", one per process.
struct Location {
  std::uint32_t country_code = 1;    // ITU country code of the location
  std::string area_code;             // digits; empty = the country has none
  std::string outside_access;        // dialled before any outside number ("9"); may be empty
  std::string long_distance_prefix;  // before AREA NUMBER in another area ("1", "0")
  std::string international_prefix;  // before CC AREA NUMBER abroad ("011", "00")
};

// A country whose dialing rules opentapi knows (lineGetCountry). The
// country ID is the country code, as for most of Windows' countries.
struct Country {
  std::uint32_t code;
  const char* name;
  const char* long_distance_prefix;  // the trunk prefix before AREA NUMBER
  const char* international_prefix;  // before CC AREA NUMBER
};

// The countries, in ascending code order.
std::span<const Country> known_countries();
// The country with `code`, or nullptr.
const Country* find_country(std::uint32_t code);

// The location described by OPENTAPI_LOCATION, "COUNTRY[,AREA[,OUTSIDE]]"
// (digits each; unset or empty = country 1, no area, no access code). The
// prefixes are the country's (known_countries); a country opentapi does not
// know dials "0" and "00", the most common ones. nullopt when the text is
// malformed (-> LINEERR_INIFILECORRUPT).
std::optional<Location> parse_location(const char* text);

// The permanent ID of the one location (lineGetTranslateCaps,
// lineSetCurrentLocation).
inline constexpr std::uint32_t kLocationId = 1;

// What lineTranslateAddress returns.
struct Translation {
  std::string dialable;
  std::string displayable;
  std::uint32_t current_country = 0;
  std::uint32_t dest_country = 0;  // 0 for an address that is not canonical
  std::uint32_t results = 0;       // LINETRANSLATERESULT_*
};

// Translates `address` (UTF-8) for `location`. Canonical addresses ("+",
// country code, optional "(area)", subscriber number, optionally followed by
// "|subaddress", "^name" or CR LF and more, all kept as they are) become
// local, long-distance or international dialing strings; anything else is
// dialled as given (LINETRANSLATERESULT_NOTRANSLATION from API 3.0 on).
// `options` is dwTranslateOptions. Returns 0, LINEERR_INVALADDRESS (a "+"
// address that is not canonical, or a subscriber number with characters that
// cannot be dialled), LINEERR_INVALPARAM (FORCELOCAL with FORCELD, or a bit
// Windows does not define) or LINEERR_INVALCARD (CARDOVERRIDE: the location
// has no calling cards).
LONG translate_address(std::string_view address, const Location& location, std::uint32_t options,
                       std::uint32_t api_version, Translation* out);

// Writes LINETRANSLATEOUTPUT in `charset`: 0 or LINEERR_STRUCTURETOOSMALL
// (dwTotalSize below 40, dwNeededSize set when the header fits).
// REQUIRES: dst != nullptr and dwTotalSize bytes writable at dst.
LONG write_translate_output(const Translation& t, layout::Charset charset, void* dst);

// Writes LINETRANSLATECAPS for `location`: one LINELOCATIONENTRY (ID
// kLocationId, current), no calling cards. 0 or LINEERR_STRUCTURETOOSMALL.
LONG write_translate_caps(const Location& location, layout::Charset charset, void* dst);

// Writes LINECOUNTRYLIST with `countries` (each entry's dwNextCountryID is the
// code of the country after it in known_countries, 0 after the last), the
// rules in Windows' notation: E country code, F area code, G subscriber number.
// 0 or LINEERR_STRUCTURETOOSMALL.
LONG write_country_list(std::span<const Country> countries, layout::Charset charset, void* dst);

}  // namespace opentapi::tapi2

#endif  // OPENTAPI_TAPI2_DIALING_RULES_H_
