#include "tapi2/dialing_rules.h"

#include <charconv>

#include "layout/var_struct.h"
#include "tapi2/call_codec.h"

namespace opentapi::tapi2 {
namespace {

bool all_digits(std::string_view s) {
  for (const char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Characters of a subscriber number: dialled as they are (digits, the DTMF
// letters, the dialling modifiers of TAPI's dialable format), dropped
// (punctuation people write numbers with), or refused.
enum class NumberChar { kDial, kDrop, kRefuse };

NumberChar classify(char c) {
  if (is_digit(c) || c == '*' || c == '#') return NumberChar::kDial;
  switch (c) {
    case 'A':
    case 'B':
    case 'C':
    case 'D':
    case 'a':
    case 'b':
    case 'c':
    case 'd':
    case '!':
    case 'P':
    case 'p':
    case 'T':
    case 't':
    case 'W':
    case 'w':
    case '@':
    case '$':
    case '?':
    case ',':
    case ';':
      return NumberChar::kDial;
    case ' ':
    case '-':
    case '.':
    case '(':
    case ')':
    case '/':
      return NumberChar::kDrop;
    default:
      return NumberChar::kRefuse;
  }
}

struct Canonical {
  std::uint32_t country = 0;
  std::string area;
  std::string subscriber;  // dialable characters only
  std::string rest;        // "|subaddress", "^name", CR LF ...: kept as given
};

// Parses "+CC [(AREA)] NUMBER[rest]"; false when it is not canonical.
bool parse_canonical(std::string_view s, Canonical* out) {
  std::size_t i = 1;  // after '+'
  while (i < s.size() && s[i] == ' ') ++i;
  const std::size_t cc_begin = i;
  while (i < s.size() && is_digit(s[i])) ++i;
  const std::string_view cc = s.substr(cc_begin, i - cc_begin);
  if (cc.empty() || cc.size() > 3) return false;  // ITU country codes have 1 to 3 digits
  std::from_chars(cc.data(), cc.data() + cc.size(), out->country);
  while (i < s.size() && s[i] == ' ') ++i;
  if (i < s.size() && s[i] == '(') {
    const std::size_t close = s.find(')', i);
    if (close == std::string_view::npos) return false;
    const std::string_view area = s.substr(i + 1, close - i - 1);
    if (!all_digits(area)) return false;
    out->area = std::string(area);
    i = close + 1;
  }
  const std::size_t end = s.find_first_of("|^\r\n", i);
  const std::string_view number = s.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i);
  for (const char c : number) {
    switch (classify(c)) {
      case NumberChar::kDial:
        out->subscriber.push_back(c);
        break;
      case NumberChar::kDrop:
        break;
      case NumberChar::kRefuse:
        return false;
    }
  }
  if (out->subscriber.empty()) return false;
  if (end != std::string_view::npos) out->rest = std::string(s.substr(end));
  return true;
}

// Countries with a trunk prefix before the area code and a fixed
// international prefix (ITU-T E.164 national practice). Countries whose rules
// differ (no trunk prefix, area codes dialled with their 0 from abroad) are
// left out rather than described wrongly.
constexpr Country kCountries[] = {
    {1, "United States of America", "1", "011"},
    {7, "Russia", "8", "810"},
    {27, "South Africa", "0", "00"},
    {31, "Netherlands", "0", "00"},
    {32, "Belgium", "0", "00"},
    {33, "France", "0", "00"},
    {41, "Switzerland", "0", "00"},
    {43, "Austria", "0", "00"},
    {44, "United Kingdom", "0", "00"},
    {46, "Sweden", "0", "00"},
    {49, "Germany", "0", "00"},
    {61, "Australia", "0", "0011"},
    {64, "New Zealand", "0", "00"},
    {81, "Japan", "0", "010"},
    {82, "Korea (South)", "0", "001"},
    {86, "China", "0", "00"},
    {91, "India", "0", "00"},
    {353, "Ireland", "0", "00"},
    {358, "Finland", "0", "00"},
    {972, "Israel", "0", "00"},
};

constexpr std::uint32_t kAllTranslateOptions = LINETRANSLATEOPTION_CARDOVERRIDE |
                                               LINETRANSLATEOPTION_CANCELCALLWAITING | LINETRANSLATEOPTION_FORCELOCAL |
                                               LINETRANSLATEOPTION_FORCELD;

}  // namespace

std::optional<Location> parse_location(const char* text) {
  Location loc;
  std::string_view s = text == nullptr ? std::string_view() : std::string_view(text);
  if (!s.empty()) {
    std::string_view parts[3];
    std::size_t n = 0;
    while (true) {
      if (n == 3) return std::nullopt;  // more than three fields
      const std::size_t comma = s.find(',');
      parts[n++] = s.substr(0, comma);
      if (comma == std::string_view::npos) break;
      s.remove_prefix(comma + 1);
    }
    const std::string_view cc = parts[0];
    if (cc.empty() || cc.size() > 3 || !all_digits(cc)) return std::nullopt;
    std::from_chars(cc.data(), cc.data() + cc.size(), loc.country_code);
    if (loc.country_code == 0) return std::nullopt;
    if (!all_digits(parts[1]) || !all_digits(parts[2])) return std::nullopt;
    loc.area_code = std::string(parts[1]);
    loc.outside_access = std::string(parts[2]);
  }
  const Country* country = find_country(loc.country_code);
  loc.long_distance_prefix = country != nullptr ? country->long_distance_prefix : "0";
  loc.international_prefix = country != nullptr ? country->international_prefix : "00";
  return loc;
}

std::span<const Country> known_countries() { return kCountries; }

const Country* find_country(std::uint32_t code) {
  for (const Country& c : kCountries) {
    if (c.code == code) return &c;
  }
  return nullptr;
}

LONG translate_address(std::string_view address, const Location& location, std::uint32_t options,
                       std::uint32_t api_version, Translation* out) {
  if ((options & ~kAllTranslateOptions) != 0) return LINEERR_INVALPARAM;
  const bool force_local = (options & LINETRANSLATEOPTION_FORCELOCAL) != 0;
  const bool force_ld = (options & LINETRANSLATEOPTION_FORCELD) != 0;
  if (force_local && force_ld) return LINEERR_INVALPARAM;
  if ((options & LINETRANSLATEOPTION_CARDOVERRIDE) != 0) return LINEERR_INVALCARD;  // no calling cards
  *out = Translation{};
  out->current_country = location.country_code;
  if (address.empty() || address.front() != '+') {
    // Not canonical: dialled exactly as given (an extension, a queue number).
    out->dialable = std::string(address);
    out->displayable = out->dialable;
    if (api_version >= TAPI_VERSION3_0) out->results = LINETRANSLATERESULT_NOTRANSLATION;
    return 0;
  }
  Canonical c;
  if (!parse_canonical(address, &c)) return LINEERR_INVALADDRESS;
  out->dest_country = c.country;
  std::string digits = location.outside_access;
  std::uint32_t kind = 0;
  if (c.country != location.country_code) {
    kind = LINETRANSLATERESULT_INTERNATIONAL;
    digits += location.international_prefix + std::to_string(c.country) + c.area;
  } else {
    const bool same_area = c.area.empty() || c.area == location.area_code;
    const std::string& area = c.area.empty() ? location.area_code : c.area;
    if (force_ld || (!same_area && !force_local)) {
      kind = LINETRANSLATERESULT_LONGDISTANCE;
      digits += location.long_distance_prefix + area;
    } else {
      kind = LINETRANSLATERESULT_LOCAL;
      if (!same_area) digits += area;  // forced local in another area: the area code is still dialled
    }
  }
  digits += c.subscriber;
  out->dialable = digits + c.rest;
  out->displayable = out->dialable;  // no calling-card digits to hide
  out->results = LINETRANSLATERESULT_CANONICAL | kind;
  return 0;
}

LONG write_translate_output(const Translation& t, layout::Charset charset, void* dst) {
  using T = LINETRANSLATEOUTPUT;
  auto w = layout::VarStructWriter::begin(dst, total_size_of(dst), sizeof(T), charset);
  if (!w) return LINEERR_STRUCTURETOOSMALL;
  w->u32(OT_OFF(T, dwCurrentCountry), t.current_country);
  w->u32(OT_OFF(T, dwDestCountry), t.dest_country);
  w->u32(OT_OFF(T, dwTranslateResults), t.results);
  w->string(OT_PAIR(T, DialableString), t.dialable);
  w->string(OT_PAIR(T, DisplayableString), t.displayable);
  w->finish();
  return 0;
}

LONG write_translate_caps(const Location& location, layout::Charset charset, void* dst) {
  using T = LINETRANSLATECAPS;
  using E = LINELOCATIONENTRY;
  auto w = layout::VarStructWriter::begin(dst, total_size_of(dst), sizeof(T), charset);
  if (!w) return LINEERR_STRUCTURETOOSMALL;
  w->u32(OT_OFF(T, dwNumLocations), 1);
  w->u32(OT_OFF(T, dwCurrentLocationID), kLocationId);
  const layout::Array list = w->array(OT_PAIR(T, LocationList), 1, sizeof(E));
  if (list.placed()) {
    const std::uint32_t e = list.element(0);
    w->u32(e + OT_OFF(E, dwPermanentLocationID), kLocationId);
    w->u32(e + OT_OFF(E, dwCountryCode), location.country_code);
    w->u32(e + OT_OFF(E, dwCountryID), location.country_code);
  }
  const auto text = [&](layout::Pair pair, std::string_view value) { w->element_string(list, 0, pair, value); };
  text(OT_PAIR(E, LocationName), "Default location");
  text(OT_PAIR(E, CityCode), location.area_code);
  text(OT_PAIR(E, LocalAccessCode), location.outside_access);
  text(OT_PAIR(E, LongDistanceAccessCode), location.outside_access);
  text(OT_PAIR(E, TollPrefixList), "");
  text(OT_PAIR(E, CancelCallWaiting), "");
  w->finish();
  return 0;
}

LONG write_country_list(std::span<const Country> countries, layout::Charset charset, void* dst) {
  using T = LINECOUNTRYLIST;
  using E = LINECOUNTRYENTRY;
  auto w = layout::VarStructWriter::begin(dst, total_size_of(dst), sizeof(T), charset);
  if (!w) return LINEERR_STRUCTURETOOSMALL;
  const auto count = static_cast<std::uint32_t>(countries.size());
  w->u32(OT_OFF(T, dwNumCountries), count);
  const layout::Array list = w->array(OT_PAIR(T, CountryList), count, sizeof(E));
  const std::span<const Country> all = known_countries();
  for (std::uint32_t i = 0; i < count; ++i) {
    const Country& c = countries[i];
    if (list.placed()) {
      const std::uint32_t e = list.element(i);
      std::uint32_t next = 0;
      for (std::size_t k = 0; k + 1 < all.size(); ++k) {
        if (all[k].code == c.code) next = all[k + 1].code;
      }
      w->u32(e + OT_OFF(E, dwCountryID), c.code);
      w->u32(e + OT_OFF(E, dwCountryCode), c.code);
      w->u32(e + OT_OFF(E, dwNextCountryID), next);
    }
    w->element_string(list, i, OT_PAIR(E, CountryName), c.name);
    w->element_string(list, i, OT_PAIR(E, SameAreaRule), "G");
    w->element_string(list, i, OT_PAIR(E, LongDistanceRule), std::string(c.long_distance_prefix) + "FG");
    w->element_string(list, i, OT_PAIR(E, InternationalRule), std::string(c.international_prefix) + "EFG");
  }
  w->finish();
  return 0;
}

}  // namespace opentapi::tapi2
