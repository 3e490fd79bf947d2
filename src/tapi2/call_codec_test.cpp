// The call structures as the library writes them and LINECALLPARAMS as it
// reads them (call_codec.h), byte for byte, for each API version and both
// character sets, at every dwTotalSize.
#include "tapi2/call_codec.h"

#include <gtest/gtest.h>

#include <cstring>
#include <cwchar>
#include <string>
#include <vector>

namespace opentapi::tapi2 {
namespace {

using layout::Charset;

constexpr std::uint32_t k20 = 0x00020000;
constexpr std::uint32_t k21 = 0x00020001;
constexpr std::uint32_t k22 = 0x00020002;
constexpr std::uint32_t k30 = 0x00030000;
constexpr std::uint32_t k31 = 0x00030001;
constexpr unsigned char kPoison = 0xA5;

// A caller's buffer: `total` bytes of dwTotalSize, then poison bytes the
// writer must never touch.
struct Buffer {
  explicit Buffer(std::uint32_t room, std::uint32_t slack = 64) : bytes(room + slack, kPoison), total(room) {
    if (room >= 4) std::memcpy(bytes.data(), &room, 4);
  }
  unsigned char* data() { return bytes.data(); }
  template <class T>
  const T* as() const {
    return reinterpret_cast<const T*>(bytes.data());
  }
  std::uint32_t u32(std::size_t pos) const {
    std::uint32_t v;
    std::memcpy(&v, bytes.data() + pos, 4);
    return v;
  }
  bool tail_untouched() const {
    for (std::size_t i = total; i < bytes.size(); ++i) {
      if (bytes[i] != kPoison) return false;
    }
    return true;
  }
  std::string a(std::uint32_t size, std::uint32_t offset) const {
    if (size == 0) return "<absent>";
    return std::string(reinterpret_cast<const char*>(bytes.data() + offset), size - 1);
  }
  std::wstring w(std::uint32_t size, std::uint32_t offset) const {
    if (size == 0) return L"<absent>";
    std::wstring s(size / 4 - 1, L'\0');
    std::memcpy(s.data(), bytes.data() + offset, size - 4);
    return s;
  }
  std::vector<unsigned char> bytes;
  std::uint32_t total;
};

TEST(CallCodec, FixedSizesFollowTheApiVersionAsOnWindows) {
  EXPECT_EQ(fixed_size(CallStructure::kDevCaps, 0x00010003), 236u);
  EXPECT_EQ(fixed_size(CallStructure::kDevCaps, 0x00010004), 240u);
  EXPECT_EQ(fixed_size(CallStructure::kDevCaps, k20), 252u);
  EXPECT_EQ(fixed_size(CallStructure::kDevCaps, k21), 252u);
  EXPECT_EQ(fixed_size(CallStructure::kDevCaps, k22), 268u);
  EXPECT_EQ(fixed_size(CallStructure::kDevCaps, k31), 292u);
  EXPECT_EQ(fixed_size(CallStructure::kAddressCaps, 0x00010003), 176u);
  EXPECT_EQ(fixed_size(CallStructure::kAddressCaps, 0x00010004), 180u);
  EXPECT_EQ(fixed_size(CallStructure::kAddressCaps, k20), 228u);
  EXPECT_EQ(fixed_size(CallStructure::kAddressCaps, k31), 228u);
  EXPECT_EQ(fixed_size(CallStructure::kCallInfo, 0x00010004), 296u);
  EXPECT_EQ(fixed_size(CallStructure::kCallInfo, k22), 324u);
  EXPECT_EQ(fixed_size(CallStructure::kCallInfo, k30), 344u);
  EXPECT_EQ(fixed_size(CallStructure::kCallStatus, 0x00010004), 36u);
  EXPECT_EQ(fixed_size(CallStructure::kCallStatus, k20), 56u);
  EXPECT_EQ(fixed_size(CallStructure::kLineDevStatus, 0x00010004), 76u);
  EXPECT_EQ(fixed_size(CallStructure::kLineDevStatus, k20), 88u);
  EXPECT_EQ(fixed_size(CallStructure::kAddressStatus, k31), 64u);
  EXPECT_EQ(fixed_size(CallStructure::kCallList, k31), 24u);
  EXPECT_EQ(fixed_size(CallStructure::kCallParams, 0x00010004), 112u);
  EXPECT_EQ(fixed_size(CallStructure::kCallParams, k22), 176u);
  EXPECT_EQ(fixed_size(CallStructure::kCallParams, k31), 180u);
}

wire::CallInfo sample_call_info() {
  wire::CallInfo c;
  c.set_line_device_id(3);
  c.set_address_id(1);
  c.set_bearer_mode(LINEBEARERMODE_VOICE);
  c.set_media_mode(LINEMEDIAMODE_INTERACTIVEVOICE);
  c.set_app_specific(0xABCD);
  c.set_call_id(41);
  c.set_related_call_id(42);
  c.set_origin(LINECALLORIGIN_INTERNAL);
  c.set_reason(LINECALLREASON_DIRECT);
  c.set_num_owners(1);
  c.set_num_monitors(2);
  c.set_trunk(0xFFFFFFFF);
  c.set_caller_id_flags(LINECALLPARTYID_ADDRESS | LINECALLPARTYID_NAME);
  c.set_caller_id("2001");
  c.set_caller_id_name("Station 2001 \xC3\xA9");  // é: two UTF-8 bytes, one wide character
  c.set_called_id_flags(LINECALLPARTYID_ADDRESS);
  c.set_called_id("2003");
  c.set_redirecting_id_flags(LINECALLPARTYID_UNKNOWN);
  c.set_app_name("desk");
  c.set_call_data(std::string("\x01\x00\x02", 3));
  return c;
}

TEST(CallCodec, CallInfoInBothCharsets) {
  for (const Charset cs : {Charset::kAnsi, Charset::kWide}) {
    Buffer b(1024);
    ASSERT_EQ(write_call_info(sample_call_info(), 0x77, k31, cs, b.data()), 0);
    const auto* ci = b.as<LINECALLINFO>();
    EXPECT_EQ(ci->dwTotalSize, 1024u);
    EXPECT_EQ(ci->dwNeededSize, ci->dwUsedSize);
    EXPECT_EQ(ci->hLine, 0x77u);
    EXPECT_EQ(ci->dwLineDeviceID, 3u);
    EXPECT_EQ(ci->dwAddressID, 1u);
    EXPECT_EQ(ci->dwAppSpecific, 0xABCDu);
    EXPECT_EQ(ci->dwCallID, 41u);
    EXPECT_EQ(ci->dwRelatedCallID, 42u);
    EXPECT_EQ(ci->dwNumMonitors, 2u);
    EXPECT_EQ(ci->dwTrunk, 0xFFFFFFFFu);
    EXPECT_EQ(ci->dwCallerIDFlags, LINECALLPARTYID_ADDRESS | LINECALLPARTYID_NAME);
    EXPECT_EQ(ci->dwCallerIDAddressType, LINEADDRESSTYPE_PHONENUMBER);
    EXPECT_EQ(ci->dwRedirectingIDAddressType, 0u) << "no number, no type";
    EXPECT_EQ(ci->dwRedirectingIDSize, 0u);
    EXPECT_EQ(ci->dwCallerIDOffset, sizeof(LINECALLINFO)) << "variable part right after the fixed part";
    if (cs == Charset::kAnsi) {
      EXPECT_EQ(b.a(ci->dwCallerIDSize, ci->dwCallerIDOffset), "2001");
      EXPECT_EQ(ci->dwCallerIDNameSize, 16u);
      EXPECT_EQ(b.a(ci->dwCallerIDNameSize, ci->dwCallerIDNameOffset), "Station 2001 \xC3\xA9");
      EXPECT_EQ(b.a(ci->dwAppNameSize, ci->dwAppNameOffset), "desk");
    } else {
      EXPECT_EQ(b.w(ci->dwCallerIDSize, ci->dwCallerIDOffset), L"2001");
      EXPECT_EQ(ci->dwCallerIDNameSize, 4u * 15);
      EXPECT_EQ(b.w(ci->dwCallerIDNameSize, ci->dwCallerIDNameOffset), L"Station 2001 \u00E9");
      EXPECT_EQ(b.w(ci->dwCalledIDSize, ci->dwCalledIDOffset), L"2003");
    }
    ASSERT_EQ(ci->dwCallDataSize, 3u);
    EXPECT_EQ(std::memcmp(b.data() + ci->dwCallDataOffset, "\x01\x00\x02", 3), 0);
    EXPECT_TRUE(b.tail_untouched());
  }
}

TEST(CallCodec, A20ApplicationsCallInfoEndsBeforeThe30Fields) {
  Buffer b(1024);
  ASSERT_EQ(write_call_info(sample_call_info(), 1, k22, Charset::kAnsi, b.data()), 0);
  const auto* ci = b.as<LINECALLINFO>();
  // The first string sits where a 3.0 application has dwCallerIDAddressType.
  EXPECT_EQ(ci->dwCallerIDOffset, 324u);
  EXPECT_EQ(b.a(ci->dwCallerIDSize, ci->dwCallerIDOffset), "2001");
  EXPECT_EQ(ci->dwCallDataSize, 3u) << "call data is 2.0";
}

// Every dwTotalSize from 4 (dwTotalSize itself) to the full size: nothing beyond it is written;
// below the fixed part STRUCTURETOOSMALL with dwNeededSize; above it success,
// with dwNeededSize always the full size and what was placed intact.
TEST(CallCodec, EveryTotalSizeIsHonoured) {
  Buffer full(2048);
  ASSERT_EQ(write_call_info(sample_call_info(), 1, k31, Charset::kWide, full.data()), 0);
  const std::uint32_t needed = full.as<LINECALLINFO>()->dwNeededSize;
  for (std::uint32_t total = 4; total <= needed; ++total) {
    Buffer b(total);
    const LONG rc = write_call_info(sample_call_info(), 1, k31, Charset::kWide, b.data());
    ASSERT_TRUE(b.tail_untouched()) << total;
    if (total < sizeof(LINECALLINFO)) {
      ASSERT_EQ(rc, LINEERR_STRUCTURETOOSMALL) << total;
      if (total >= 12) {
        EXPECT_EQ(b.u32(4), sizeof(LINECALLINFO)) << total;
      }
      continue;
    }
    ASSERT_EQ(rc, 0) << total;
    const auto* ci = b.as<LINECALLINFO>();
    EXPECT_EQ(ci->dwNeededSize, needed) << total;
    EXPECT_LE(ci->dwUsedSize, total);
    EXPECT_EQ(ci->dwCallID, 41u);
    if (ci->dwCallerIDNameSize != 0) {
      EXPECT_EQ(b.w(ci->dwCallerIDNameSize, ci->dwCallerIDNameOffset), L"Station 2001 \u00E9") << total;
    }
    if (total == needed) {
      EXPECT_EQ(ci->dwUsedSize, needed);
    }
  }
}

TEST(CallCodec, DevCapsCarriesNameClassesAndStringFormat) {
  wire::DevCaps c;
  c.set_provider_info("opentapi switch");
  c.set_switch_info("opentapid 1");
  c.set_permanent_line_id(4);
  c.set_line_name("Station 2007");
  c.set_address_modes(LINEADDRESSMODE_ADDRESSID | LINEADDRESSMODE_DIALABLEADDR);
  c.set_num_addresses(2);
  c.set_media_modes(LINEMEDIAMODE_INTERACTIVEVOICE);
  c.set_line_features(LINEFEATURE_MAKECALL);
  c.set_address_types(LINEADDRESSTYPE_PHONENUMBER);
  c.add_device_classes("tapi/line");
  c.add_device_classes("tapi/phone");
  for (const Charset cs : {Charset::kAnsi, Charset::kWide}) {
    Buffer b(1024);
    ASSERT_EQ(write_dev_caps(c, k31, cs, b.data()), 0);
    const auto* d = b.as<LINEDEVCAPS>();
    EXPECT_EQ(d->dwStringFormat, cs == Charset::kWide ? STRINGFORMAT_UNICODE : STRINGFORMAT_ASCII);
    EXPECT_EQ(d->dwPermanentLineID, 4u);
    EXPECT_EQ(d->dwNumAddresses, 2u);
    EXPECT_EQ(d->dwMediaModes, LINEMEDIAMODE_INTERACTIVEVOICE);
    EXPECT_EQ(d->dwLineFeatures, LINEFEATURE_MAKECALL);
    EXPECT_EQ(d->dwAddressTypes, LINEADDRESSTYPE_PHONENUMBER);
    if (cs == Charset::kAnsi) {
      EXPECT_EQ(b.a(d->dwLineNameSize, d->dwLineNameOffset), "Station 2007");
      ASSERT_EQ(d->dwDeviceClassesSize, 22u);
      EXPECT_EQ(std::memcmp(b.data() + d->dwDeviceClassesOffset, "tapi/line\0tapi/phone\0", 22), 0);
    } else {
      EXPECT_EQ(b.w(d->dwLineNameSize, d->dwLineNameOffset), L"Station 2007");
      ASSERT_EQ(d->dwDeviceClassesSize, 22u * 4);
      EXPECT_EQ(std::wmemcmp(reinterpret_cast<const wchar_t*>(b.data() + d->dwDeviceClassesOffset),
                             L"tapi/line\0tapi/phone\0", 22),
                0);
    }
  }
  // A 2.0 application: no 2.2 or 3.0 field, strings from byte 252.
  Buffer old(1024);
  ASSERT_EQ(write_dev_caps(c, k20, Charset::kAnsi, old.data()), 0);
  EXPECT_EQ(old.as<LINEDEVCAPS>()->dwProviderInfoOffset, 252u);
}

TEST(CallCodec, LineDevStatusListsEachOpenWithItsStrings) {
  wire::LineDevStatus s;
  s.set_num_opens(2);
  s.set_num_active_calls(1);
  s.set_dev_status_flags(LINEDEVSTATUSFLAGS_CONNECTED | LINEDEVSTATUSFLAGS_INSERVICE);
  for (const char* name : {"desk", "monitor"}) {
    auto* a = s.add_app_info();
    a->set_machine_name("host");
    a->set_user_name("agent");
    a->set_friendly_name(name);
    a->set_media_modes(LINEMEDIAMODE_INTERACTIVEVOICE);
    a->set_address_id(0xFFFFFFFF);
  }
  Buffer b(1024);
  ASSERT_EQ(write_line_dev_status(s, k31, Charset::kWide, b.data()), 0);
  const auto* d = b.as<LINEDEVSTATUS>();
  EXPECT_EQ(d->dwNumOpens, 2u);
  ASSERT_EQ(d->dwAppInfoSize, 2 * sizeof(LINEAPPINFO));
  EXPECT_EQ(d->dwAppInfoOffset, sizeof(LINEDEVSTATUS));
  const auto* apps = reinterpret_cast<const LINEAPPINFO*>(b.data() + d->dwAppInfoOffset);
  EXPECT_EQ(b.w(apps[1].dwFriendlyNameSize, apps[1].dwFriendlyNameOffset), L"monitor");
  EXPECT_EQ(b.w(apps[0].dwUserNameSize, apps[0].dwUserNameOffset), L"agent");
  EXPECT_EQ(apps[0].dwModuleFilenameSize, 0u) << "unknown: absent";
  EXPECT_EQ(apps[0].dwAddressID, 0xFFFFFFFFu);
  // Too small for the array: no element string either, but all counted.
  Buffer small(sizeof(LINEDEVSTATUS) + 40);
  ASSERT_EQ(write_line_dev_status(s, k31, Charset::kWide, small.data()), 0);
  EXPECT_EQ(small.as<LINEDEVSTATUS>()->dwAppInfoSize, 0u);
  EXPECT_EQ(small.as<LINEDEVSTATUS>()->dwUsedSize, sizeof(LINEDEVSTATUS));
  EXPECT_EQ(small.as<LINEDEVSTATUS>()->dwNeededSize, d->dwNeededSize);
}

TEST(CallCodec, CallStatusStateEntryTimeIsUtc) {
  wire::CallStatus s;
  s.set_call_state(LINECALLSTATE_CONNECTED);
  s.set_call_state_mode(LINECONNECTEDMODE_ACTIVE);
  s.set_call_privilege(LINECALLPRIVILEGE_OWNER);
  s.set_call_features(LINECALLFEATURE_DROP | LINECALLFEATURE_HOLD);
  s.set_state_entry_time_ms(1700000000123);  // 2023-11-14 22:13:20.123 UTC, a Tuesday
  Buffer b(56);
  ASSERT_EQ(write_call_status(s, k31, b.data()), 0);
  const auto* cs = b.as<LINECALLSTATUS>();
  EXPECT_EQ(cs->dwCallState, LINECALLSTATE_CONNECTED);
  EXPECT_EQ(cs->dwCallPrivilege, LINECALLPRIVILEGE_OWNER);
  EXPECT_EQ(cs->dwUsedSize, 56u);
  EXPECT_EQ(cs->tStateEntryTime.wYear, 2023);
  EXPECT_EQ(cs->tStateEntryTime.wMonth, 11);
  EXPECT_EQ(cs->tStateEntryTime.wDay, 14);
  EXPECT_EQ(cs->tStateEntryTime.wDayOfWeek, 2);
  EXPECT_EQ(cs->tStateEntryTime.wHour, 22);
  EXPECT_EQ(cs->tStateEntryTime.wMinute, 13);
  EXPECT_EQ(cs->tStateEntryTime.wSecond, 20);
  EXPECT_EQ(cs->tStateEntryTime.wMilliseconds, 123);
  // A 1.4 application's LINECALLSTATUS is 36 bytes and has no entry time.
  Buffer old(36);
  ASSERT_EQ(write_call_status(s, 0x00010004, old.data()), 0);
  EXPECT_TRUE(old.tail_untouched());
}

TEST(CallCodec, CallListFitsOrSaysHowMuchItNeeds) {
  bool placed = false;
  Buffer b(64);
  ASSERT_EQ(write_call_list({7, 8}, b.data(), &placed), 0);
  EXPECT_TRUE(placed);
  const auto* l = b.as<LINECALLLIST>();
  EXPECT_EQ(l->dwCallsNumEntries, 2u);
  EXPECT_EQ(l->dwCallsSize, 8u);
  EXPECT_EQ(b.u32(l->dwCallsOffset + 4), 8u);
  Buffer small(28);
  ASSERT_EQ(write_call_list({7, 8}, small.data(), &placed), 0);
  EXPECT_FALSE(placed);
  EXPECT_EQ(small.as<LINECALLLIST>()->dwCallsNumEntries, 0u) << "the list holds no handle";
  EXPECT_EQ(small.as<LINECALLLIST>()->dwNeededSize, 32u);
  EXPECT_TRUE(small.tail_untouched());
  Buffer tiny(20);
  EXPECT_EQ(write_call_list({}, tiny.data(), &placed), LINEERR_STRUCTURETOOSMALL);
}

// ---- LINECALLPARAMS ----

struct Params {
  explicit Params(std::uint32_t room = 512) : bytes(room, 0) {
    std::memcpy(bytes.data(), &room, 4);
    end = sizeof(LINECALLPARAMS);
  }
  LINECALLPARAMS* get() { return reinterpret_cast<LINECALLPARAMS*>(bytes.data()); }
  void set(std::size_t pos, std::uint32_t v) { std::memcpy(bytes.data() + pos, &v, 4); }
  // Appends raw bytes as the field whose size is at `size_pos`.
  void field(std::size_t size_pos, std::size_t offset_pos, const void* data, std::uint32_t size) {
    std::memcpy(bytes.data() + end, data, size);
    set(size_pos, size);
    set(offset_pos, end);
    end += size;
  }
  void a(std::size_t size_pos, std::size_t offset_pos, const std::string& s) {
    field(size_pos, offset_pos, s.c_str(), static_cast<std::uint32_t>(s.size() + 1));
  }
  void w(std::size_t size_pos, std::size_t offset_pos, const std::wstring& s) {
    field(size_pos, offset_pos, s.c_str(), static_cast<std::uint32_t>(4 * (s.size() + 1)));
  }
  std::vector<unsigned char> bytes;
  std::uint32_t end;
};

#define PAIR_AT(name) offsetof(LINECALLPARAMS, dw##name##Size), offsetof(LINECALLPARAMS, dw##name##Offset)

TEST(CallParams, ReadsWhatTheSwitchUses) {
  Params p;
  p.set(offsetof(LINECALLPARAMS, dwBearerMode), LINEBEARERMODE_VOICE);
  p.set(offsetof(LINECALLPARAMS, dwMediaMode), LINEMEDIAMODE_INTERACTIVEVOICE);
  p.set(offsetof(LINECALLPARAMS, dwAddressMode), LINEADDRESSMODE_ADDRESSID);
  p.set(offsetof(LINECALLPARAMS, dwAddressID), 1);
  p.set(offsetof(LINECALLPARAMS, dwNoAnswerTimeout), 30);
  p.a(PAIR_AT(CallingPartyID), "Jane Doe <0612345678>");
  p.field(PAIR_AT(CallData), "\x09\x00\x07", 3);
  wire::MakeCall m;
  ASSERT_EQ(read_call_params(p.get(), k31, Charset::kAnsi, &m), 0);
  EXPECT_EQ(m.address_id(), 1u);
  EXPECT_EQ(m.params().bearer_mode(), LINEBEARERMODE_VOICE);
  EXPECT_EQ(m.params().media_mode(), LINEMEDIAMODE_INTERACTIVEVOICE);
  EXPECT_EQ(m.params().caller_number(), "0612345678");
  EXPECT_EQ(m.params().caller_name(), "Jane Doe");
  EXPECT_EQ(m.params().call_data(), std::string("\x09\x00\x07", 3));
  EXPECT_EQ(m.params().no_answer_timeout(), 30u);
}

TEST(CallParams, WideStringsAndTheOriginatingNumber) {
  Params p;
  p.set(offsetof(LINECALLPARAMS, dwAddressMode), LINEADDRESSMODE_DIALABLEADDR);
  p.w(PAIR_AT(OrigAddress), L"2002");
  p.w(PAIR_AT(CallingPartyID), L"0612345678");
  wire::MakeCall m;
  ASSERT_EQ(read_call_params(p.get(), k31, Charset::kWide, &m), 0);
  EXPECT_EQ(m.orig_address(), "2002");
  EXPECT_EQ(m.params().caller_number(), "0612345678");
  EXPECT_EQ(m.params().caller_name(), "");
}

TEST(CallParams, AZeroedStructureIsTheDefaults) {
  Params p(sizeof(LINECALLPARAMS));
  wire::MakeCall m;
  ASSERT_EQ(read_call_params(p.get(), k31, Charset::kAnsi, &m), 0);
  EXPECT_EQ(m.address_id(), 0u);
  EXPECT_EQ(m.orig_address(), "");
  EXPECT_EQ(m.params().bearer_mode(), 0u);
  EXPECT_EQ(m.params().media_mode(), 0u);
}

TEST(CallParams, EachRefusalHasItsCode) {
  auto read = [](Params& p, std::uint32_t version = k31, Charset cs = Charset::kAnsi) {
    wire::MakeCall m;
    return read_call_params(p.get(), version, cs, &m);
  };
  {
    Params p(179);
    EXPECT_EQ(read(p), LINEERR_STRUCTURETOOSMALL);
    EXPECT_EQ(read(p, k22), 0) << "176 bytes are a whole 2.x LINECALLPARAMS";
    Params q(175);
    EXPECT_EQ(read(q, k22), LINEERR_STRUCTURETOOSMALL);
  }
  {
    Params p;
    p.set(offsetof(LINECALLPARAMS, dwCommentSize), 8);
    p.set(offsetof(LINECALLPARAMS, dwCommentOffset), 508);
    EXPECT_EQ(read(p), LINEERR_INVALCALLPARAMS) << "beyond dwTotalSize";
    p.set(offsetof(LINECALLPARAMS, dwCommentOffset), 0xFFFFFFFC);
    EXPECT_EQ(read(p), LINEERR_INVALCALLPARAMS) << "no wrap-around";
    p.set(offsetof(LINECALLPARAMS, dwCommentOffset), 8);
    EXPECT_EQ(read(p), LINEERR_INVALCALLPARAMS) << "inside the fixed part";
  }
  {
    Params p;
    p.field(PAIR_AT(OrigAddress), "\xFF\xFE", 2);
    EXPECT_EQ(read(p), LINEERR_INVALCALLPARAMS) << "malformed UTF-8";
    Params q;
    q.field(PAIR_AT(OrigAddress), "\x32\x00\x00", 3);
    EXPECT_EQ(read(q, k31, Charset::kWide), LINEERR_INVALCALLPARAMS) << "not whole wchar_t";
  }
  {
    Params p;
    p.set(offsetof(LINECALLPARAMS, dwBearerMode), LINEBEARERMODE_VOICE | LINEBEARERMODE_DATA);
    EXPECT_EQ(read(p), LINEERR_INVALBEARERMODE);
    p.set(offsetof(LINECALLPARAMS, dwBearerMode), 0x100);
    EXPECT_EQ(read(p), LINEERR_INVALBEARERMODE);
  }
  {
    Params p;
    p.set(offsetof(LINECALLPARAMS, dwMediaMode), LINEMEDIAMODE_INTERACTIVEVOICE | LINEMEDIAMODE_G3FAX);
    EXPECT_EQ(read(p), LINEERR_INVALMEDIAMODE);
    p.set(offsetof(LINECALLPARAMS, dwMediaMode), 1);
    EXPECT_EQ(read(p), LINEERR_INVALMEDIAMODE);
  }
  {
    Params p;
    p.set(offsetof(LINECALLPARAMS, dwAddressMode), 3);
    EXPECT_EQ(read(p), LINEERR_INVALADDRESSMODE);
    p.set(offsetof(LINECALLPARAMS, dwAddressMode), LINEADDRESSMODE_DIALABLEADDR);
    EXPECT_EQ(read(p), LINEERR_INVALADDRESS) << "DIALABLEADDR without a number";
  }
  {
    Params p;
    p.field(PAIR_AT(UserUserInfo), "uui", 3);
    EXPECT_EQ(read(p), LINEERR_USERUSERINFOTOOBIG);
  }
  {
    Params p;
    p.set(offsetof(LINECALLPARAMS, dwAddressType), LINEADDRESSTYPE_SDP);
    EXPECT_EQ(read(p), LINEERR_INVALADDRESSTYPE);
    EXPECT_EQ(read(p, k22), 0) << "a 2.x application has no dwAddressType";
  }
}

TEST(CallParams, CallingPartyForms) {
  std::string number;
  std::string name;
  split_calling_party("Jane <123>", &number, &name);
  EXPECT_EQ(number, "123");
  EXPECT_EQ(name, "Jane");
  split_calling_party("123", &number, &name);
  EXPECT_EQ(number, "123");
  EXPECT_EQ(name, "");
  split_calling_party("<123>", &number, &name);
  EXPECT_EQ(number, "123");
  EXPECT_EQ(name, "");
}

}  // namespace
}  // namespace opentapi::tapi2
