// The variable-size structures of TAPI (LINEAGENTCAPS, LINEAGENTGROUPLIST,
// LINEDEVCAPS, LINECALLPARAMS, ...): one writer that fills them and one
// reader that checks and reads them, for every layer that handles them.
//
// Such a structure starts with dwTotalSize (the room the caller gave),
// dwNeededSize and dwUsedSize; the fixed part follows, with a dwXxxSize /
// dwXxxOffset pair for each variable field, and the variable data comes after
// the fixed part. The rules the writer applies (docs/tapi2.md "Variable-size
// structures"), which are Windows' documented rules ("variably sized data
// structures" in the TAPI reference) with the choices it leaves open made:
//  - a room smaller than the fixed part is refused: only the header is
//    written (dwNeededSize = the fixed size, dwUsedSize = 12) and the caller
//    answers LINEERR_STRUCTURETOOSMALL;
//  - otherwise the fixed part is always written (first zeroed, so every pair
//    starts empty); variable fields follow it contiguously in the order they
//    are written, without padding (list arrays first, then strings, keeps
//    wide strings and DWORD arrays 4-byte aligned);
//  - a field that does not fit completely is never truncated: it is left
//    empty (size 0 and offset 0), and later, smaller fields may still be
//    placed; a string belonging to an element of an array is placed only
//    when its array was;
//  - dwNeededSize counts the fixed part and every variable field, placed or
//    not; dwUsedSize is the end of the last byte placed; dwTotalSize is the
//    caller's and never written; no byte at or beyond it is touched.
// Offsets are from the start of the structure being written; for a string
// of a list element that is the enclosing list (docs/tapi2.md).
//
// Every access is a memcpy at a byte position (layout/coding.h): the
// structures are packed and may sit at any address.
//
// Writing one structure, a few lines per field:
//
//   auto w = VarStructWriter::begin(caps, caps->dwTotalSize, sizeof(LINEAGENTCAPS), charset);
//   if (!w) return LINEERR_STRUCTURETOOSMALL;
//   w->u32(OT_OFF(LINEAGENTCAPS, dwFeatures), features);
//   w->data(OT_PAIR(LINEAGENTCAPS, AgentExtensionIDList), ids.data(), ids_bytes);
//   w->string(OT_PAIR(LINEAGENTCAPS, AgentHandlerInfo), "opentapi ACD");
//   w->finish();
#ifndef OPENTAPI_LAYOUT_VAR_STRUCT_H_
#define OPENTAPI_LAYOUT_VAR_STRUCT_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "layout/coding.h"
#include "layout/text.h"

// Byte position of a member of a tapi.h structure (nested members allowed:
// OT_OFF(LINEPROXYREQUEST, CreateAgent.dwAgentIDSize)).
#define OT_OFF(T, member) static_cast<std::uint32_t>(offsetof(T, member))
// The dwXxxSize / dwXxxOffset pair of field Xxx of T:
// OT_PAIR(LINEDEVCAPS, LineName) for dwLineNameSize and dwLineNameOffset.
#define OT_PAIR(T, name) (::opentapi::layout::Pair{OT_OFF(T, dw##name##Size), OT_OFF(T, dw##name##Offset)})

namespace opentapi::layout {

// Bytes of the dwTotalSize / dwNeededSize / dwUsedSize header.
inline constexpr std::uint32_t kHeaderBytes = 12;

// Where the size and the offset of one variable field sit in a structure.
struct Pair {
  std::uint32_t size_pos = 0;
  std::uint32_t offset_pos = 0;

  // The same pair inside an array element that starts at `element_pos`.
  constexpr Pair at(std::uint32_t element_pos) const { return {element_pos + size_pos, element_pos + offset_pos}; }
};

// Where an array went: `count` elements of `element_size` bytes from
// `offset`; offset 0 when it was not placed (or, read, is absent).
struct Array {
  std::uint32_t offset = 0;
  std::uint32_t count = 0;
  std::uint32_t element_size = 0;
  std::uint32_t size = 0;  // the pair's size: 0 when absent

  bool placed() const { return offset != 0; }
  // Position of element `i`. REQUIRES: placed(), i < count.
  std::uint32_t element(std::uint32_t i) const { return offset + i * element_size; }
};

// The three header fields. REQUIRES: kHeaderBytes readable bytes at `base`.
struct VarHeader {
  std::uint32_t total_size = 0;
  std::uint32_t needed_size = 0;
  std::uint32_t used_size = 0;
};
VarHeader read_header(const void* base);

// Fills one structure in place. Not thread-safe; one writer per structure.
class VarStructWriter {
 public:
  // Begins the structure at `base` whose room (its dwTotalSize, possibly
  // clipped to what the buffer really holds) is `total_size` bytes, and whose
  // fixed part is `fixed_size` bytes (sizeof, or the size of the version the
  // caller negotiated). Zeroes the fixed part after dwTotalSize. nullopt when
  // the room is smaller than the fixed part: then dwNeededSize = fixed_size
  // and dwUsedSize = 12 are written if the room holds the header, nothing
  // otherwise. REQUIRES: fixed_size >= kHeaderBytes.
  static std::optional<VarStructWriter> begin(void* base, std::uint32_t total_size, std::uint32_t fixed_size,
                                              Charset charset);

  // For a structure without the three-field header (LINEPROXYREQUEST has
  // dwSize): variable data goes into [start, end) of `base`, in the same way;
  // nothing is zeroed, and finish() must not be called.
  VarStructWriter(void* base, std::uint32_t start, std::uint32_t end, Charset charset);

  // ---- Fixed fields (also those of array elements, at Array::element(i) +
  // the field's position). REQUIRES: the field lies within the room.
  void u32(std::uint32_t pos, std::uint32_t value);
  template <class T>
  void value(std::uint32_t pos, const T& v) {
    bytes(pos, &v, sizeof v);
  }
  void bytes(std::uint32_t pos, const void* data, std::size_t size);

  // ---- Variable fields, placed in the order of the calls. Each returns
  // whether the field was placed; its pair is written either way.

  // A string, given as UTF-8 and written in the structure's charset with its
  // NUL ("" takes 1 or 4 bytes: it is present, not absent).
  bool string(Pair pair, std::string_view utf8);
  // An optional string: nullopt leaves the field absent and needs no room.
  bool optional_string(Pair pair, const std::optional<std::string>& utf8);
  // Raw bytes (a DWORD array, LINEEXTENSIONIDs, device-specific data).
  // size 0 leaves the field absent.
  bool data(Pair pair, const void* bytes, std::uint32_t size);
  // Room for `count` elements of `element_size` bytes, zeroed, for the caller
  // to fill through u32()/bytes() at Array::element(i). count 0 leaves the
  // field absent.
  Array array(Pair pair, std::uint32_t count, std::uint32_t element_size);
  // The string of element `index` of `array`, whose pair sits at `pair`
  // within the element: placed only when the array was, else only counted.
  bool element_string(const Array& array, std::uint32_t index, Pair pair, std::string_view utf8);

  // Counts `size` bytes toward dwNeededSize without placing anything (data
  // the writer knows exists but does not have).
  void need(std::uint64_t size) { needed_ += size; }

  // Writes dwNeededSize (the tally, at most 0xFFFFFFFF) and dwUsedSize.
  void finish();

  Charset charset() const { return charset_; }
  std::uint32_t used() const { return used_; }
  std::uint64_t needed() const { return needed_; }

 private:
  // Reserves `size` bytes after what is placed: their offset, or 0 if they
  // do not fit completely. Counts toward dwNeededSize either way.
  std::uint32_t reserve(std::uint64_t size);
  void put_pair(Pair pair, std::uint32_t size, std::uint32_t offset);

  unsigned char* base_;
  std::uint32_t end_;
  std::uint32_t used_;
  std::uint64_t needed_;
  Charset charset_;
};

// Reads a structure somebody else filled (a proxy's answer) or passed in (a
// caller's LINECALLPARAMS), checking every size/offset pair against the
// bounds before touching a byte. A field outside the bounds or holding
// malformed text is read as absent and clears ok(), which stays false: a
// strict caller checks ok() at the end and refuses the structure; a lenient
// one ignores it and keeps what was readable. Never reads outside
// [base, base + limit). Not thread-safe.
class VarStructReader {
 public:
  // `limit` bytes at `base` are readable; variable fields must lie within
  // [first, limit). `first` is usually the fixed size (data after the fixed
  // part); 0 accepts a field anywhere in the structure.
  VarStructReader(const void* base, std::uint32_t first, std::uint32_t limit, Charset charset);

  // A structure a filler returned into a room of `room` readable bytes:
  // nullopt unless the room holds the fixed part, dwUsedSize is within
  // [fixed_size, room] and dwNeededSize >= dwUsedSize. Fields must then lie
  // within [fixed_size, dwUsedSize).
  static std::optional<VarStructReader> filled(const void* base, std::uint32_t room, std::uint32_t fixed_size,
                                               Charset charset);

  // A structure a caller passed in, bounded by its own dwTotalSize (the
  // caller's promise that so many bytes are readable): nullopt when
  // dwTotalSize < fixed_size (LINEERR_STRUCTURETOOSMALL). Fields must lie
  // within [first, dwTotalSize).
  static std::optional<VarStructReader> passed_in(const void* base, std::uint32_t fixed_size, std::uint32_t first,
                                                  Charset charset);

  // False once any read went outside the bounds or met malformed data.
  bool ok() const { return ok_; }
  // For a caller's own consistency checks (an array that must have exactly
  // its count of elements): the structure is malformed, ok() is false.
  void mark_malformed() { ok_ = false; }
  std::uint32_t limit() const { return limit_; }

  // ---- Fixed fields: 0 (and !ok()) when they lie outside the limit.
  std::uint32_t u32(std::uint64_t pos);
  template <class T>
  T value(std::uint64_t pos) {
    if (!inside(pos, sizeof(T))) return T{};
    return decode_value<T>(base_ + pos);
  }

  // ---- Variable fields.
  // The bytes of the field; empty when absent (size 0, whatever the offset)
  // or outside [first, limit).
  std::span<const unsigned char> data(Pair pair);
  // A string in the structure's charset, as UTF-8; nullopt when absent or
  // malformed (decode_string's rules).
  std::optional<std::string> string(Pair pair);
  // The array of `count` elements of `element_size` bytes the pair points
  // at. Absent (size 0): Array::placed() false, ok() unchanged; whether that
  // is acceptable is the caller's to decide. Present: the pair's size must
  // cover count × element_size bytes and they must lie within [first,
  // limit), else it is read as absent and ok() is cleared. A caller that
  // requires the exact size compares Array::size.
  Array array(Pair pair, std::uint32_t count, std::uint32_t element_size);

  // Bytes of the variable fields read so far that were present and inside
  // the bounds.
  std::uint64_t present_bytes() const { return present_; }

 private:
  bool inside(std::uint64_t pos, std::uint64_t size);

  const unsigned char* base_;
  std::uint32_t first_;
  std::uint32_t limit_;
  Charset charset_;
  std::uint64_t present_ = 0;
  bool ok_ = true;
};

}  // namespace opentapi::layout

#endif  // OPENTAPI_LAYOUT_VAR_STRUCT_H_
