// libFuzzer target of the layout library: the text conversions and the
// variable-size structure reader take bytes from other programs (a proxy's
// answer, a caller's structure), and the writer must produce what the reader
// accepts. Run by ctest through cmake/run_fuzz_test.sh (test layout_fuzz).
//
// Byte 0 of the input selects what the rest is:
//   0  UTF-8 text           strict and lossy conversions agree with each
//                           other; encode/decode round trips; sizes exact
//   1  wchar_t text         the same from the wide side
//   2  a structure          read through every pair with both readers: no
//                           read outside the buffer (ASan), spans in bounds
//   3  a writing script     fields written into a room of a given size: no
//                           byte past the room, header and pairs as the rules
//                           say, and the reader gives every placed field back
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "layout/coding.h"
#include "layout/text.h"
#include "layout/var_struct.h"

namespace {

using namespace opentapi::layout;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "property violated: %s\n", what);
  std::abort();
}
void check(bool ok, const char* what) {
  if (!ok) fail(what);
}

// What decode_string gives back for `utf8` written by encode_string.
std::string as_read_back(std::string_view utf8) {
  std::string s = wide_to_utf8_lossy(utf8_to_wide_lossy(utf8));
  return s.substr(0, s.find('\0'));
}

void fuzz_utf8(std::string_view s) {
  const bool valid = is_valid_utf8(s);
  const auto wide = utf8_to_wide(s);
  check(valid == wide.has_value(), "is_valid_utf8 and utf8_to_wide disagree");
  const std::wstring lossy = utf8_to_wide_lossy(s);
  if (wide) {
    check(*wide == lossy, "lossy differs from strict on valid input");
    check(wide_to_utf8(*wide) == std::string(s), "UTF-8 does not round-trip");
  }
  const auto again = wide_to_utf8(lossy);
  check(again.has_value(), "lossy conversion produced a non-scalar value");
  check(is_valid_utf8(*again), "lossy conversion produced ill-formed UTF-8");
  for (const Charset cs : {Charset::kAnsi, Charset::kWide}) {
    const std::uint32_t size = encoded_size(s, cs);
    std::vector<unsigned char> buf(size + 4, 0xA5);
    encode_string(s, cs, buf.data());
    for (std::size_t i = size; i < buf.size(); ++i) check(buf[i] == 0xA5, "encode_string wrote past encoded_size");
    const auto back = decode_string(buf.data(), size, cs);
    check(back.has_value(), "an encoded string does not decode");
    check(*back == as_read_back(s), "an encoded string decodes to something else");
  }
}

void fuzz_wide(const std::uint8_t* data, std::size_t size) {
  std::wstring w(size / 4, L'\0');
  for (std::size_t i = 0; i < w.size(); ++i) w[i] = static_cast<wchar_t>(decode_fixed32(data + 4 * i));
  const auto utf8 = wide_to_utf8(w);
  const std::string lossy = wide_to_utf8_lossy(w);
  check(is_valid_utf8(lossy), "wide_to_utf8_lossy produced ill-formed UTF-8");
  if (utf8) {
    check(*utf8 == lossy, "lossy differs from strict on valid input");
    check(utf8_to_wide(*utf8) == w, "wide text does not round-trip");
  }
  // The raw bytes as a W string field of a structure.
  const auto decoded = decode_string(data, static_cast<std::uint32_t>(size), Charset::kWide);
  if (decoded) check(is_valid_utf8(*decoded), "decode_string returned ill-formed UTF-8");
}

// Reads every 8-byte pair of a structure made of the input bytes, in an
// allocation of exactly that size so that ASan sees any read past it.
void fuzz_reader(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return;
  const Charset cs = (data[0] & 1) ? Charset::kWide : Charset::kAnsi;
  const std::uint32_t fixed = kHeaderBytes + 4u * (data[0] >> 1);  // 12..520
  const auto n = static_cast<std::uint32_t>(size - 1);
  std::unique_ptr<unsigned char[]> buf(new unsigned char[n]);
  std::memcpy(buf.get(), data + 1, n);
  const unsigned char* lo = buf.get();
  const auto read_all = [&](VarStructReader& r, std::uint32_t first) {
    for (std::uint32_t pos = kHeaderBytes; pos + 8 <= n && pos + 8 <= std::max(fixed, first); pos += 4) {
      const Pair pair{pos, pos + 4};
      const auto bytes = r.data(pair);
      if (!bytes.empty()) {
        check(bytes.data() >= lo + first && bytes.data() + bytes.size() <= lo + r.limit(), "a field out of bounds");
      }
      if (const auto text = r.string(pair)) check(is_valid_utf8(*text), "a string that is not UTF-8");
      const std::uint32_t count = pos >= 16 ? r.u32(pos - 4) : 1;
      const Array a = r.array(pair, count, 4 + (pos & 28));
      if (a.placed()) {
        check(a.offset >= first && std::uint64_t{a.offset} + std::uint64_t{a.count} * a.element_size <= r.limit(),
              "an array out of bounds");
        for (std::uint32_t i = 0; i < a.count && i < 64; ++i) r.u32(a.element(i));
      }
    }
  };
  if (auto r = VarStructReader::filled(buf.get(), n, fixed, cs)) {
    const VarHeader h = read_header(buf.get());
    check(h.used_size >= fixed && h.used_size <= n && h.needed_size >= h.used_size, "filled() let a bad header in");
    read_all(*r, fixed);
  }
  VarStructReader any(buf.get(), 0, n, cs);
  read_all(any, 0);
}

// A script: room size, charset and fields, each a kind and its content.
// Fields are written into pairs at 12, 20, 28, ... (the fixed part holds
// them all); an array field holds `count` 8-byte elements, each one name.
void fuzz_writer(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return;
  const Charset cs = (data[0] & 1) ? Charset::kWide : Charset::kAnsi;
  const std::uint32_t fields = 1 + (data[0] >> 1) % 8;
  const std::uint32_t fixed = kHeaderBytes + 8 * fields;
  const std::uint32_t room = fixed + data[1] + 256u * (data[2] & 3);
  std::string_view rest(reinterpret_cast<const char*>(data + 3), size - 3);
  const auto take = [&](std::size_t want) {
    const std::string_view part = rest.substr(0, want);
    rest.remove_prefix(part.size());
    return part;
  };

  struct Expect {
    int kind;  // 0 string, 1 data, 2 array of names
    std::string content;
    std::vector<std::string> names;
  };
  std::vector<Expect> expect;
  std::vector<unsigned char> buf(room + 32, 0xC3);
  encode_fixed32(buf.data(), room);
  auto w = VarStructWriter::begin(buf.data(), room, fixed, cs);
  check(w.has_value(), "begin() refused a room that holds the fixed part");
  std::uint64_t needed = fixed;
  for (std::uint32_t f = 0; f < fields; ++f) {
    const std::string_view head = take(2);
    if (head.size() < 2) break;
    const int kind = static_cast<unsigned char>(head[0]) % 3;
    const std::size_t length = static_cast<unsigned char>(head[1]) % 48;
    const Pair pair{kHeaderBytes + 8 * f, kHeaderBytes + 8 * f + 4};
    Expect e{kind, std::string(take(length)), {}};
    if (kind == 0) {
      w->string(pair, e.content);
      needed += encoded_size(e.content, cs);
    } else if (kind == 1) {
      w->data(pair, e.content.data(), static_cast<std::uint32_t>(e.content.size()));
      needed += e.content.size();
    } else {
      const std::uint32_t count = static_cast<std::uint32_t>(length % 6);
      for (std::uint32_t i = 0; i < count; ++i) e.names.emplace_back(take(static_cast<std::size_t>(i) * 3 + 1));
      const Array a = w->array(pair, count, 8);
      needed += 8u * count;
      for (std::uint32_t i = 0; i < count; ++i) {
        w->element_string(a, i, Pair{0, 4}, e.names[i]);
        needed += encoded_size(e.names[i], cs);
      }
    }
    expect.push_back(std::move(e));
  }
  w->finish();
  for (std::size_t i = room; i < buf.size(); ++i) check(buf[i] == 0xC3, "the writer wrote past the room");
  const VarHeader h = read_header(buf.data());
  check(h.total_size == room, "the writer touched dwTotalSize");
  check(h.needed_size == needed, "dwNeededSize is not the sum of every field");
  check(h.used_size >= fixed && h.used_size <= room, "dwUsedSize outside [fixed, room]");
  check((h.needed_size <= room) == (h.used_size == h.needed_size), "everything fits iff used == needed");

  auto r = VarStructReader::filled(buf.data(), room, fixed, cs);
  check(r.has_value(), "the reader refuses what the writer wrote");
  for (std::uint32_t f = 0; f < expect.size(); ++f) {
    const Pair pair{kHeaderBytes + 8 * f, kHeaderBytes + 8 * f + 4};
    const Expect& e = expect[f];
    const std::uint32_t got_size = r->u32(pair.size_pos);
    check((got_size == 0) == (r->u32(pair.offset_pos) == 0), "a pair with only one half empty");
    if (e.kind == 0) {
      const auto text = r->string(pair);
      if (got_size != 0) check(text == as_read_back(e.content), "a string reads back as something else");
    } else if (e.kind == 1) {
      const auto bytes = r->data(pair);
      check(got_size == 0 || std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()) == e.content,
            "data reads back as something else");
    } else {
      const Array a = r->array(pair, static_cast<std::uint32_t>(e.names.size()), 8);
      for (std::uint32_t i = 0; a.placed() && i < a.count; ++i) {
        const Pair name{a.element(i), a.element(i) + 4};
        if (r->u32(name.size_pos) != 0) check(r->string(name) == as_read_back(e.names[i]), "a name reads back wrong");
      }
      if (!a.placed() && !e.names.empty()) {
        check(h.needed_size > room, "an array left out although everything fitted");
      }
    }
  }
  check(r->ok(), "the reader found the writer's structure malformed");
}

// With OPENTAPI_FUZZ_WRITE_SEEDS=DIR: one seed of each kind, then exit.
void write_seeds(const std::string& dir) {
  using namespace std::string_view_literals;
  std::string wide_seed(1, '\x01');
  for (const std::uint32_t c : {0x41u, 0xEBu, 0x1F4DEu, 0xD800u, 0u}) {
    char b[4];
    encode_fixed32(b, c);
    wide_seed.append(b, 4);
  }
  std::vector<unsigned char> list(24 + 12 + 6, 0);
  encode_fixed32(list.data(), static_cast<std::uint32_t>(list.size()));
  auto w = VarStructWriter::begin(list.data(), static_cast<std::uint32_t>(list.size()), 24, Charset::kAnsi);
  w->u32(12, 1);
  const Array a = w->array(Pair{16, 20}, 1, 12);
  w->element_string(a, 0, Pair{4, 8}, "Email");
  w->finish();
  const std::vector<std::string> seeds = {
      std::string("\x00", 1) + "Agent Zo\xC3\xAB \xE2\x82\xAC \xF0\x9F\x93\x9E \xED\xA0\x80 \xC3",
      wide_seed,
      std::string("\x02\x06", 2) + std::string(list.begin(), list.end()),
      std::string("\x03\x07\x40\x00"sv) + std::string("\x00\x05Sales\x01\x04\x01\x02\x03\x04\x02\x03"
                                                      "abcdefgh"sv),
      std::string("\x03\x04\x08\x00"sv) + std::string("\x02\x05"
                                                      "aaaabbbbbbbbb\x00\x0A"
                                                      "0123456789"sv),
  };
  int n = 0;
  for (const std::string& seed : seeds) std::ofstream(dir + "/seed-" + std::to_string(n++), std::ios::binary) << seed;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const char* dir = std::getenv("OPENTAPI_FUZZ_WRITE_SEEDS");
  if (dir == nullptr) return 0;
  write_seeds(dir);
  std::exit(0);
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t* rest = data + 1;
  const std::size_t n = size - 1;
  switch (data[0] % 4) {
    case 0:
      fuzz_utf8(std::string_view(reinterpret_cast<const char*>(rest), n));
      break;
    case 1:
      fuzz_wide(rest, n);
      break;
    case 2:
      fuzz_reader(rest, n);
      break;
    default:
      fuzz_writer(rest, n);
      break;
  }
  return 0;
}
