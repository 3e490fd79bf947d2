#include "tapi2/dialing_rules.h"

#include <gtest/gtest.h>

#include <cstring>
#include <cwchar>
#include <vector>

namespace opentapi::tapi2 {
namespace {

Location location(const char* text) {
  const auto loc = parse_location(text);
  EXPECT_TRUE(loc.has_value()) << text;
  return loc.value_or(Location{});
}

Translation translate(const char* address, const char* where, std::uint32_t options = 0,
                      std::uint32_t api_version = TAPI_VERSION2_0) {
  Translation t;
  EXPECT_EQ(translate_address(address, location(where), options, api_version, &t), 0) << address;
  return t;
}

TEST(DialingRules, ParsesLocationWithCountryPrefixes) {
  const Location us = location(nullptr);
  EXPECT_EQ(us.country_code, 1u);
  EXPECT_EQ(us.area_code, "");
  EXPECT_EQ(us.long_distance_prefix, "1");
  EXPECT_EQ(us.international_prefix, "011");
  const Location uk = location("44,20,9");
  EXPECT_EQ(uk.country_code, 44u);
  EXPECT_EQ(uk.area_code, "20");
  EXPECT_EQ(uk.outside_access, "9");
  EXPECT_EQ(uk.long_distance_prefix, "0");
  EXPECT_EQ(uk.international_prefix, "00");
  EXPECT_EQ(location("").country_code, 1u);
}

TEST(DialingRules, RefusesMalformedLocation) {
  for (const char* bad : {"x", "0", "1234", "1,2a", "1,2,3,4", ",20", "44,,9x"}) {
    EXPECT_FALSE(parse_location(bad).has_value()) << bad;
  }
}

TEST(DialingRules, SameAreaDialsSubscriberOnly) {
  const Translation t = translate("+1 (425) 555-1234", "1,425");
  EXPECT_EQ(t.dialable, "5551234");
  EXPECT_EQ(t.displayable, "5551234");
  EXPECT_EQ(t.current_country, 1u);
  EXPECT_EQ(t.dest_country, 1u);
  EXPECT_EQ(t.results, LINETRANSLATERESULT_CANONICAL | LINETRANSLATERESULT_LOCAL);
}

TEST(DialingRules, OtherAreaDialsLongDistance) {
  EXPECT_EQ(translate("+1 (206) 555-1234", "1,425").dialable, "12065551234");
  EXPECT_EQ(translate("+1 (206) 555-1234", "1,425").results,
            LINETRANSLATERESULT_CANONICAL | LINETRANSLATERESULT_LONGDISTANCE);
  EXPECT_EQ(translate("+44 (161) 496 0000", "44,20").dialable, "01614960000");
}

TEST(DialingRules, OtherCountryDialsInternational) {
  const Translation t = translate("+44 (20) 7946 0000", "1,425,9");
  EXPECT_EQ(t.dialable, "9011442079460000");
  EXPECT_EQ(t.dest_country, 44u);
  EXPECT_EQ(t.results, LINETRANSLATERESULT_CANONICAL | LINETRANSLATERESULT_INTERNATIONAL);
  EXPECT_EQ(translate("+1 (212) 555-0100", "49,30").dialable, "0012125550100");
}

TEST(DialingRules, OutsideAccessComesFirst) {
  EXPECT_EQ(translate("+1 (425) 555-1234", "1,425,9").dialable, "95551234");
}

TEST(DialingRules, CanonicalWithoutAreaIsLocalInItsCountry) {
  EXPECT_EQ(translate("+33 123456789", "33").dialable, "123456789");
  EXPECT_EQ(translate("+33 123456789", "1").dialable, "01133123456789");
}

TEST(DialingRules, ForceOptions) {
  EXPECT_EQ(translate("+1 (425) 555-1234", "1,425", LINETRANSLATEOPTION_FORCELD).dialable, "14255551234");
  const Translation t = translate("+1 (206) 555-1234", "1,425", LINETRANSLATEOPTION_FORCELOCAL);
  EXPECT_EQ(t.dialable, "2065551234");
  EXPECT_EQ(t.results, LINETRANSLATERESULT_CANONICAL | LINETRANSLATERESULT_LOCAL);
  // Ignored abroad; CANCELCALLWAITING has no code to dial at this location.
  EXPECT_EQ(translate("+44 (20) 7946 0000", "1", LINETRANSLATEOPTION_FORCELOCAL).dialable, "011442079460000");
  EXPECT_EQ(translate("+1 (425) 555-1234", "1,425", LINETRANSLATEOPTION_CANCELCALLWAITING).dialable, "5551234");
}

TEST(DialingRules, KeepsSubaddressNameAndModifiers) {
  EXPECT_EQ(translate("+1 (206) 555-1234|77^Sales", "1,425").dialable, "12065551234|77^Sales");
  EXPECT_EQ(translate("+1 (425) 555-1234W123#", "1,425").dialable, "5551234W123#");
  EXPECT_EQ(translate("+1 (425) 555-1234\r\n+1 (206) 555-0000", "1,425").dialable, "5551234\r\n+1 (206) 555-0000");
}

TEST(DialingRules, NonCanonicalIsDialledAsGiven) {
  const Translation t = translate("2003", "44,20,9");
  EXPECT_EQ(t.dialable, "2003");
  EXPECT_EQ(t.displayable, "2003");
  EXPECT_EQ(t.dest_country, 0u);
  EXPECT_EQ(t.results, 0u);
  EXPECT_EQ(translate("2003", "1", 0, TAPI_VERSION3_0).results, LINETRANSLATERESULT_NOTRANSLATION);
  EXPECT_EQ(translate("", "1").dialable, "");
}

TEST(DialingRules, RefusesWithWindowsCodes) {
  const Location loc = location("1,425");
  Translation t;
  for (const char* bad :
       {"+", "+ ", "+1234 5551234", "+1 (42x) 5551234", "+1 (425 5551234", "+1 (425)", "+1 555_1234", "+x 5551234"}) {
    EXPECT_EQ(translate_address(bad, loc, 0, TAPI_VERSION2_0, &t), LINEERR_INVALADDRESS) << bad;
  }
  EXPECT_EQ(translate_address("+1 5551234", loc, LINETRANSLATEOPTION_FORCELOCAL | LINETRANSLATEOPTION_FORCELD,
                              TAPI_VERSION2_0, &t),
            LINEERR_INVALPARAM);
  EXPECT_EQ(translate_address("+1 5551234", loc, 0x10, TAPI_VERSION2_0, &t), LINEERR_INVALPARAM);
  EXPECT_EQ(translate_address("+1 5551234", loc, LINETRANSLATEOPTION_CARDOVERRIDE, TAPI_VERSION2_0, &t),
            LINEERR_INVALCARD);
}

TEST(DialingRules, WritesTranslateOutputInBothCharsets) {
  const Translation t = translate("+1 (206) 555-1234", "1,425");
  std::vector<unsigned char> buf(200, 0xEE);
  auto* out = reinterpret_cast<LINETRANSLATEOUTPUT*>(buf.data());
  out->dwTotalSize = 200;
  ASSERT_EQ(write_translate_output(t, layout::Charset::kAnsi, out), 0);
  EXPECT_EQ(out->dwNeededSize, 40u + 12 + 12);
  EXPECT_EQ(out->dwUsedSize, 64u);
  EXPECT_EQ(out->dwDialableStringSize, 12u);
  EXPECT_EQ(out->dwDialableStringOffset, 40u);
  EXPECT_STREQ(reinterpret_cast<const char*>(buf.data() + 40), "12065551234");
  EXPECT_EQ(out->dwDisplayableStringOffset, 52u);
  EXPECT_EQ(out->dwTranslateResults, LINETRANSLATERESULT_CANONICAL | LINETRANSLATERESULT_LONGDISTANCE);
  EXPECT_EQ(buf[64], 0xEE);

  std::vector<unsigned char> wide(200, 0);
  auto* w = reinterpret_cast<LINETRANSLATEOUTPUT*>(wide.data());
  w->dwTotalSize = 200;
  ASSERT_EQ(write_translate_output(t, layout::Charset::kWide, w), 0);
  EXPECT_EQ(w->dwDialableStringSize, 12u * sizeof(wchar_t));
  wchar_t text[12];
  std::memcpy(text, wide.data() + w->dwDialableStringOffset, sizeof text);
  EXPECT_EQ(std::wcscmp(text, L"12065551234"), 0);

  // Too small for the fixed part; then room for the fixed part only.
  std::vector<unsigned char> small(40, 0);
  auto* s = reinterpret_cast<LINETRANSLATEOUTPUT*>(small.data());
  s->dwTotalSize = 39;
  EXPECT_EQ(write_translate_output(t, layout::Charset::kAnsi, s), LINEERR_STRUCTURETOOSMALL);
  EXPECT_EQ(s->dwNeededSize, 40u);
  s->dwTotalSize = 40;
  ASSERT_EQ(write_translate_output(t, layout::Charset::kAnsi, s), 0);
  EXPECT_EQ(s->dwNeededSize, 64u);
  EXPECT_EQ(s->dwUsedSize, 40u);
  EXPECT_EQ(s->dwDialableStringSize, 0u);
  EXPECT_EQ(s->dwDialableStringOffset, 0u);
  EXPECT_EQ(s->dwCurrentCountry, 1u);
}

}  // namespace
}  // namespace opentapi::tapi2
