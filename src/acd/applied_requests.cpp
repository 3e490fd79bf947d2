#include "acd/applied_requests.h"

#include <algorithm>
#include <cstring>

namespace opentapi::acd {
namespace {

// The value: "R1", the time (8 bytes) and result (4 bytes) little-endian,
// then the buffer.
constexpr std::string_view kMagic = "R1";
constexpr std::size_t kHeader = kMagic.size() + 8 + 4;

template <typename T>
void put_le(std::string& out, T value) {
  for (std::size_t i = 0; i < sizeof(T); ++i)
    out.push_back(static_cast<char>((static_cast<std::uint64_t>(value) >> (8 * i)) & 0xFF));
}

template <typename T>
T get_le(std::string_view in) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i)
    v |= static_cast<std::uint64_t>(static_cast<unsigned char>(in[i])) << (8 * i);
  return static_cast<T>(v);
}

}  // namespace

std::string AppliedRequests::key(std::string_view instance_id, std::uint64_t origin_id) {
  if (instance_id.empty() || origin_id == 0) return {};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string k;
  k.reserve(instance_id.size() * 2 + 21);
  for (const char c : instance_id) {
    const auto b = static_cast<unsigned char>(c);
    k.push_back(kHex[b >> 4]);
    k.push_back(kHex[b & 0xF]);
  }
  k.push_back(':');
  k += std::to_string(origin_id);
  return k;
}

std::string AppliedRequests::encode(const AppliedRequest& applied) {
  std::string out(kMagic);
  put_le<std::uint64_t>(out, static_cast<std::uint64_t>(applied.time_ms));
  put_le<std::uint32_t>(out, static_cast<std::uint32_t>(applied.result));
  out += applied.buffer;
  return out;
}

std::optional<AppliedRequest> AppliedRequests::decode(std::string_view value) {
  if (value.size() < kHeader || value.substr(0, kMagic.size()) != kMagic) return std::nullopt;
  AppliedRequest a;
  a.time_ms = static_cast<std::int64_t>(get_le<std::uint64_t>(value.substr(kMagic.size())));
  a.result = static_cast<std::int32_t>(get_le<std::uint32_t>(value.substr(kMagic.size() + 8)));
  a.buffer = std::string(value.substr(kHeader));
  return a;
}

std::vector<std::string> AppliedRequests::load(const std::vector<store::Record>& records, std::int64_t now_ms) {
  by_key_.clear();
  by_time_.clear();
  std::vector<std::string> dropped;
  for (const store::Record& r : records) {
    if (r.kind != kKind) continue;
    auto applied = decode(r.value);
    if (!applied || applied->time_ms < now_ms - window_ms_) {
      dropped.push_back(r.key);
      continue;
    }
    by_time_.emplace_back(applied->time_ms, r.key);
    by_key_[r.key] = std::move(*applied);
  }
  std::sort(by_time_.begin(), by_time_.end());
  return dropped;
}

const AppliedRequest* AppliedRequests::find(const std::string& key) const {
  const auto it = by_key_.find(key);
  return it == by_key_.end() ? nullptr : &it->second;
}

void AppliedRequests::add(const std::string& key, AppliedRequest applied, store::Batch& batch) {
  const std::int64_t now_ms = applied.time_ms;
  while (!by_time_.empty() && by_time_.front().first < now_ms - window_ms_) {
    batch.deletes.push_back({kKind, by_time_.front().second});
    by_key_.erase(by_time_.front().second);
    by_time_.pop_front();
  }
  batch.puts.push_back({kKind, key, encode(applied)});
  by_time_.emplace_back(now_ms, key);
  by_key_[key] = std::move(applied);
}

}  // namespace opentapi::acd
