// The variable-size structure writer and reader (var_struct.h). All position
// arithmetic is done in 64 bits, so no size/offset pair can wrap around.
#include "layout/var_struct.h"

#include <cassert>
#include <cstring>
#include <limits>

namespace opentapi::layout {

VarHeader read_header(const void* base) {
  const auto* b = static_cast<const unsigned char*>(base);
  return {decode_fixed32(b), decode_fixed32(b + 4), decode_fixed32(b + 8)};
}

// ---------------------------------------------------------------------------
// VarStructWriter

std::optional<VarStructWriter> VarStructWriter::begin(void* base, std::uint32_t total_size, std::uint32_t fixed_size,
                                                      Charset charset) {
  assert(fixed_size >= kHeaderBytes);
  auto* b = static_cast<unsigned char*>(base);
  if (b == nullptr || total_size < kHeaderBytes) return std::nullopt;
  if (total_size < fixed_size) {
    // What the caller needs to retry with; the rest is not ours to touch.
    encode_fixed32(b + 4, fixed_size);
    encode_fixed32(b + 8, kHeaderBytes);
    return std::nullopt;
  }
  std::memset(b + 4, 0, fixed_size - 4);
  return VarStructWriter(base, fixed_size, total_size, charset);
}

VarStructWriter::VarStructWriter(void* base, std::uint32_t start, std::uint32_t end, Charset charset)
    : base_(static_cast<unsigned char*>(base)), end_(end), used_(start), needed_(start), charset_(charset) {
  assert(start > 0 && start <= end);  // offset 0 means "absent"
}

void VarStructWriter::u32(std::uint32_t pos, std::uint32_t value) {
  assert(std::uint64_t{pos} + 4 <= end_);
  encode_fixed32(base_ + pos, value);
}

void VarStructWriter::bytes(std::uint32_t pos, const void* data, std::size_t size) {
  assert(std::uint64_t{pos} + size <= end_);
  if (size != 0) std::memcpy(base_ + pos, data, size);
}

std::uint32_t VarStructWriter::reserve(std::uint64_t size) {
  needed_ += size;
  if (size == 0 || used_ + size > end_) return 0;
  const std::uint32_t offset = used_;
  used_ += static_cast<std::uint32_t>(size);
  return offset;
}

void VarStructWriter::put_pair(Pair pair, std::uint32_t size, std::uint32_t offset) {
  u32(pair.size_pos, offset != 0 ? size : 0);
  u32(pair.offset_pos, offset);
}

bool VarStructWriter::string(Pair pair, std::string_view utf8) {
  const std::uint32_t size = encoded_size(utf8, charset_);
  const std::uint32_t offset = reserve(size);
  if (offset != 0) encode_string(utf8, charset_, base_ + offset);
  put_pair(pair, size, offset);
  return offset != 0;
}

bool VarStructWriter::optional_string(Pair pair, const std::optional<std::string>& utf8) {
  if (!utf8) {
    put_pair(pair, 0, 0);
    return false;
  }
  return string(pair, *utf8);
}

bool VarStructWriter::data(Pair pair, const void* bytes, std::uint32_t size) {
  const std::uint32_t offset = reserve(size);
  if (offset != 0) std::memcpy(base_ + offset, bytes, size);
  put_pair(pair, size, offset);
  return offset != 0;
}

Array VarStructWriter::array(Pair pair, std::uint32_t count, std::uint32_t element_size) {
  const std::uint64_t size = std::uint64_t{count} * element_size;
  const std::uint32_t offset = reserve(size);
  if (offset != 0) std::memset(base_ + offset, 0, size);
  put_pair(pair, static_cast<std::uint32_t>(size), offset);
  return Array{offset, count, element_size, offset != 0 ? static_cast<std::uint32_t>(size) : 0};
}

bool VarStructWriter::element_string(const Array& array, std::uint32_t index, Pair pair, std::string_view utf8) {
  if (!array.placed()) {
    need(encoded_size(utf8, charset_));
    return false;
  }
  return string(pair.at(array.element(index)), utf8);
}

void VarStructWriter::finish() {
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint32_t>::max();
  encode_fixed32(base_ + 4, static_cast<std::uint32_t>(needed_ < kMax ? needed_ : kMax));
  encode_fixed32(base_ + 8, used_);
}

// ---------------------------------------------------------------------------
// VarStructReader

VarStructReader::VarStructReader(const void* base, std::uint32_t first, std::uint32_t limit, Charset charset)
    : base_(static_cast<const unsigned char*>(base)), first_(first), limit_(limit), charset_(charset) {}

std::optional<VarStructReader> VarStructReader::filled(const void* base, std::uint32_t room, std::uint32_t fixed_size,
                                                       Charset charset) {
  if (base == nullptr || fixed_size < kHeaderBytes || room < fixed_size) return std::nullopt;
  const VarHeader h = read_header(base);
  if (h.used_size < fixed_size || h.used_size > room || h.needed_size < h.used_size) return std::nullopt;
  return VarStructReader(base, fixed_size, h.used_size, charset);
}

std::optional<VarStructReader> VarStructReader::passed_in(const void* base, std::uint32_t fixed_size,
                                                          std::uint32_t first, Charset charset) {
  if (base == nullptr) return std::nullopt;
  const std::uint32_t total = decode_fixed32(base);
  if (total < fixed_size || total < sizeof total) return std::nullopt;
  return VarStructReader(base, first, total, charset);
}

bool VarStructReader::inside(std::uint64_t pos, std::uint64_t size) {
  if (pos + size <= limit_) return true;
  ok_ = false;
  return false;
}

std::uint32_t VarStructReader::u32(std::uint64_t pos) { return inside(pos, 4) ? decode_fixed32(base_ + pos) : 0; }

std::span<const unsigned char> VarStructReader::data(Pair pair) {
  const std::uint32_t size = u32(pair.size_pos);
  const std::uint32_t offset = u32(pair.offset_pos);
  if (size == 0) return {};
  if (offset < first_ || !inside(offset, size)) {
    ok_ = false;
    return {};
  }
  present_ += size;
  return {base_ + offset, size};
}

std::optional<std::string> VarStructReader::string(Pair pair) {
  const std::span<const unsigned char> field = data(pair);
  if (field.empty()) return std::nullopt;
  auto text = decode_string(field.data(), static_cast<std::uint32_t>(field.size()), charset_);
  if (!text) ok_ = false;
  return text;
}

Array VarStructReader::array(Pair pair, std::uint32_t count, std::uint32_t element_size) {
  const std::uint32_t size = u32(pair.size_pos);
  const std::uint32_t offset = u32(pair.offset_pos);
  Array absent{0, count, element_size, 0};
  if (size == 0) return absent;
  const std::uint64_t bytes = std::uint64_t{count} * element_size;
  // Offset 0 would overlap the header (and read as "not placed").
  if (size < bytes || offset == 0 || offset < first_ || !inside(offset, bytes)) {
    ok_ = false;
    return absent;
  }
  present_ += bytes;
  return Array{offset, count, element_size, size};
}

}  // namespace opentapi::layout
