// libFuzzer target of the call codec (call_codec.h): the LINECALLPARAMS
// reader takes a caller's bytes, and the structure writers take whatever a
// server sends. Run by ctest through cmake/run_fuzz_test.sh (test
// call_codec_fuzz).
//
// Byte 0 of the input selects what the rest is; byte 1 the API version
// (2.0, 2.1, 2.2, 3.0, 3.1) and the character set:
//   0      a LINECALLPARAMS of exactly the remaining bytes, dwTotalSize
//          clipped to them: the reader never reads outside (ASan), and what
//          it accepts is well-formed UTF-8 and within the rules of the header
//   1..7   a serialized DevCaps, AddressCaps, AddressStatus, LineDevStatus,
//          CallInfo, CallStatus or a list of handles, and a room of bytes
//          2..3: the writer never writes outside the room (ASan), answers
//          STRUCTURETOOSMALL exactly below the fixed part, and every field it
//          places lies within [fixed part, dwUsedSize] with dwUsedSize <=
//          dwNeededSize
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "layout/coding.h"
#include "layout/text.h"
#include "tapi2/call_codec.h"

namespace {

using namespace opentapi;
using opentapi::layout::Charset;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "property violated: %s\n", what);
  std::abort();
}
void check(bool ok, const char* what) {
  if (!ok) fail(what);
}

constexpr std::uint32_t kVersions[] = {0x00020000, 0x00020001, 0x00020002, 0x00030000, 0x00030001};

void fuzz_call_params(std::uint32_t version, Charset charset, const std::uint8_t* data, std::size_t n) {
  // Exactly n readable bytes, so ASan sees any read past them.
  const std::size_t room = std::max<std::size_t>(n, 4);
  std::unique_ptr<unsigned char[]> bytes(new unsigned char[room]());
  if (n != 0) std::memcpy(bytes.get(), data, n);
  const std::uint32_t total =
      std::min<std::uint32_t>(layout::decode_fixed32(bytes.get()), static_cast<std::uint32_t>(room));
  layout::encode_fixed32(bytes.get(), total);
  // dwTotalSize is the caller's promise of readable bytes: never more than
  // the room here, so the reader may trust it and nothing beyond.
  const std::uint32_t fixed = tapi2::fixed_size(tapi2::CallStructure::kCallParams, version);
  wire::MakeCall out;
  const LONG rc = tapi2::read_call_params(reinterpret_cast<const LINECALLPARAMS*>(bytes.get()), version, charset, &out);
  if (total < fixed) {
    check(rc == LINEERR_STRUCTURETOOSMALL, "a structure below its fixed part was not refused");
    return;
  }
  if (rc != 0) {
    check(rc == LINEERR_INVALCALLPARAMS || rc == LINEERR_INVALBEARERMODE || rc == LINEERR_INVALMEDIAMODE ||
              rc == LINEERR_INVALADDRESSMODE || rc == LINEERR_INVALADDRESS || rc == LINEERR_USERUSERINFOTOOBIG ||
              rc == LINEERR_INVALADDRESSTYPE,
          "a refusal outside the documented codes");
    return;
  }
  check(layout::is_valid_utf8(out.orig_address()), "the originating address is not UTF-8");
  check(layout::is_valid_utf8(out.params().caller_number()), "the caller number is not UTF-8");
  check(layout::is_valid_utf8(out.params().caller_name()), "the caller name is not UTF-8");
  check(out.params().call_data().size() <= total, "call data larger than the structure");
  const std::uint32_t mode = out.params().media_mode();
  check(mode == 0 || (mode & (mode - 1)) == 0, "more than one media mode accepted");
}

void check_written(const unsigned char* b, std::uint32_t room, std::uint32_t fixed, LONG rc,
                   const std::vector<std::uint32_t>& pair_positions) {
  if (room < fixed) {
    check(rc == LINEERR_STRUCTURETOOSMALL, "a room below the fixed part was not refused");
    if (room >= 12) check(layout::decode_fixed32(b + 4) == fixed, "dwNeededSize is not the fixed size");
    return;
  }
  check(rc == 0, "a room holding the fixed part was refused");
  check(layout::decode_fixed32(b) == room, "dwTotalSize was changed");
  const std::uint32_t needed = layout::decode_fixed32(b + 4);
  const std::uint32_t used = layout::decode_fixed32(b + 8);
  check(used >= fixed && used <= room, "dwUsedSize outside [fixed, room]");
  check(needed >= used, "dwNeededSize below dwUsedSize");
  for (const std::uint32_t pos : pair_positions) {
    if (pos + 8 > fixed) continue;  // a field of a later version
    const std::uint64_t size = layout::decode_fixed32(b + pos);
    const std::uint64_t offset = layout::decode_fixed32(b + pos + 4);
    if (size == 0) {
      check(offset == 0, "an empty field with an offset");
      continue;
    }
    check(offset >= fixed && offset + size <= used, "a field outside [fixed, dwUsedSize]");
  }
}

std::vector<std::uint32_t> pairs_of(std::initializer_list<std::size_t> size_positions) {
  std::vector<std::uint32_t> v;
  for (const auto p : size_positions) v.push_back(static_cast<std::uint32_t>(p));
  return v;
}

#define P(T, name) offsetof(T, dw##name##Size)

void fuzz_writer(int kind, std::uint32_t version, Charset charset, const std::uint8_t* data, std::size_t n) {
  if (n < 2) return;
  const std::uint32_t room = std::max<std::uint32_t>(4, data[0] | (std::uint32_t{data[1]} << 8));
  const std::string message(reinterpret_cast<const char*>(data + 2), n - 2);
  std::unique_ptr<unsigned char[]> bytes(new unsigned char[room]);
  std::memset(bytes.get(), 0xA5, room);
  layout::encode_fixed32(bytes.get(), room);
  unsigned char* b = bytes.get();
  switch (kind) {
    case 1: {
      wire::DevCaps m;
      if (!m.ParseFromString(message)) return;
      check_written(b, room, tapi2::fixed_size(tapi2::CallStructure::kDevCaps, version),
                    tapi2::write_dev_caps(m, version, charset, b),
                    pairs_of({P(LINEDEVCAPS, ProviderInfo), P(LINEDEVCAPS, SwitchInfo), P(LINEDEVCAPS, LineName),
                              P(LINEDEVCAPS, DeviceClasses)}));
      break;
    }
    case 2: {
      wire::AddressCaps m;
      if (!m.ParseFromString(message)) return;
      check_written(b, room, tapi2::fixed_size(tapi2::CallStructure::kAddressCaps, version),
                    tapi2::write_address_caps(m, version, charset, b), pairs_of({P(LINEADDRESSCAPS, Address)}));
      break;
    }
    case 3: {
      wire::AddressStatus m;
      if (!m.ParseFromString(message)) return;
      check_written(b, room, tapi2::fixed_size(tapi2::CallStructure::kAddressStatus, version),
                    tapi2::write_address_status(m, version, b), {});
      break;
    }
    case 4: {
      wire::LineDevStatus m;
      if (!m.ParseFromString(message)) return;
      const LONG rc = tapi2::write_line_dev_status(m, version, charset, b);
      const std::uint32_t fixed = tapi2::fixed_size(tapi2::CallStructure::kLineDevStatus, version);
      check_written(b, room, fixed, rc, pairs_of({P(LINEDEVSTATUS, AppInfo)}));
      if (rc == 0 && fixed >= sizeof(LINEDEVSTATUS)) {
        const auto* s = reinterpret_cast<const LINEDEVSTATUS*>(b);
        const std::uint32_t used = s->dwUsedSize;
        for (std::uint32_t i = 0; s->dwAppInfoSize != 0 && i < s->dwAppInfoSize / sizeof(LINEAPPINFO); ++i) {
          const unsigned char* e = b + s->dwAppInfoOffset + i * sizeof(LINEAPPINFO);
          for (std::uint32_t at = 0; at < 32; at += 8) {
            const std::uint64_t size = layout::decode_fixed32(e + at);
            const std::uint64_t offset = layout::decode_fixed32(e + at + 4);
            if (size != 0) check(offset >= fixed && offset + size <= used, "an element string outside the structure");
          }
        }
      }
      break;
    }
    case 5: {
      wire::CallInfo m;
      if (!m.ParseFromString(message)) return;
      check_written(
          b, room, tapi2::fixed_size(tapi2::CallStructure::kCallInfo, version),
          tapi2::write_call_info(m, 7, version, charset, b),
          pairs_of({P(LINECALLINFO, CallerID), P(LINECALLINFO, CallerIDName), P(LINECALLINFO, CalledID),
                    P(LINECALLINFO, CalledIDName), P(LINECALLINFO, ConnectedID), P(LINECALLINFO, ConnectedIDName),
                    P(LINECALLINFO, RedirectionID), P(LINECALLINFO, RedirectionIDName), P(LINECALLINFO, RedirectingID),
                    P(LINECALLINFO, RedirectingIDName), P(LINECALLINFO, AppName), P(LINECALLINFO, DisplayableAddress),
                    P(LINECALLINFO, CalledParty), P(LINECALLINFO, Comment), P(LINECALLINFO, CallData)}));
      break;
    }
    case 6: {
      wire::CallStatus m;
      if (!m.ParseFromString(message)) return;
      check_written(b, room, tapi2::fixed_size(tapi2::CallStructure::kCallStatus, version),
                    tapi2::write_call_status(m, version, b), {});
      break;
    }
    default: {
      std::vector<std::uint32_t> hcalls;
      for (std::size_t at = 0; at + 4 <= message.size(); at += 4)
        hcalls.push_back(layout::decode_fixed32(message.data() + at));
      bool placed = false;
      const LONG rc = tapi2::write_call_list(hcalls, b, &placed);
      check_written(b, room, sizeof(LINECALLLIST), rc, pairs_of({P(LINECALLLIST, Calls)}));
      if (rc == 0) {
        const auto* l = reinterpret_cast<const LINECALLLIST*>(b);
        check(placed == (l->dwCallsNumEntries == hcalls.size()), "placed and dwCallsNumEntries disagree");
        check(!placed || hcalls.empty() || l->dwCallsSize == 4 * hcalls.size(), "the handle array has the wrong size");
      }
      break;
    }
  }
}

// With OPENTAPI_FUZZ_WRITE_SEEDS=DIR: a few seeds, then exit.
void write_seeds(const char* dir) {
  std::vector<std::string> seeds;
  {
    std::string p(2, '\0');
    p[1] = 4;  // 3.1, A
    std::vector<unsigned char> s(sizeof(LINECALLPARAMS) + 32, 0);
    layout::encode_fixed32(s.data(), static_cast<std::uint32_t>(s.size()));
    layout::encode_fixed32(s.data() + offsetof(LINECALLPARAMS, dwMediaMode), LINEMEDIAMODE_INTERACTIVEVOICE);
    layout::encode_fixed32(s.data() + offsetof(LINECALLPARAMS, dwCallingPartyIDSize), 14);
    layout::encode_fixed32(s.data() + offsetof(LINECALLPARAMS, dwCallingPartyIDOffset), sizeof(LINECALLPARAMS));
    std::memcpy(s.data() + sizeof(LINECALLPARAMS), "Jane <123456>", 14);
    seeds.push_back(p + std::string(s.begin(), s.end()));
  }
  {
    wire::CallInfo c;
    c.set_call_id(5);
    c.set_caller_id("2001");
    c.set_caller_id_name("Station 2001");
    c.set_called_id("8001");
    c.set_call_data("queue=1");
    std::string m;
    c.SerializeToString(&m);
    seeds.push_back(std::string("\x05\x04\x80\x01", 4) + m);
  }
  {
    wire::LineDevStatus s;
    s.set_num_opens(2);
    for (const char* name : {"desk", "supervisor"}) {
      auto* a = s.add_app_info();
      a->set_friendly_name(name);
      a->set_machine_name("host");
    }
    std::string m;
    s.SerializeToString(&m);
    seeds.push_back(std::string("\x04\x09\x90\x00", 4) + m);
  }
  {
    wire::DevCaps d;
    d.set_line_name("Station 2001");
    d.add_device_classes("tapi/line");
    std::string m;
    d.SerializeToString(&m);
    seeds.push_back(std::string("\x01\x03\x30\x01", 4) + m);
  }
  seeds.push_back(std::string("\x07\x00\x1C\x00\x01\x00\x00\x00\x02\x00\x00\x00", 12));
  for (std::size_t i = 0; i < seeds.size(); ++i) {
    const std::string path = std::string(dir) + "/seed-" + std::to_string(i);
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr) fail("cannot write a seed file");
    std::fwrite(seeds[i].data(), 1, seeds[i].size(), f);
    std::fclose(f);
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* dir = std::getenv("OPENTAPI_FUZZ_WRITE_SEEDS")) {
    write_seeds(dir);
    std::exit(0);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::uint32_t version = kVersions[(data[1] & 0x7F) % 5];
  const Charset charset = (data[1] & 0x80) != 0 ? Charset::kWide : Charset::kAnsi;
  const int kind = data[0] % 8;
  if (kind == 0) {
    fuzz_call_params(version, charset, data + 2, size - 2);
  } else {
    fuzz_writer(kind, version, charset, data + 2, size - 2);
  }
  return 0;
}
