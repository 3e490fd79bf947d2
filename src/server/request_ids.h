// The agent requests one application has outstanding, keyed by the request id
// its line* call returned (docs/reference/tapi2-agent.md §1.3).
//
// Ids are strictly positive, unique per application, increasing, and wrap from
// 0x7FFFFFFF back to 1, skipping ids still outstanding. Each id maps to the
// server-global proxy request id the request was delivered under.
#ifndef OPENTAPI_SERVER_REQUEST_IDS_H
#define OPENTAPI_SERVER_REQUEST_IDS_H

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace opentapi::server {

class RequestIds {
 public:
  static constexpr std::uint32_t kMaxId = 0x7FFFFFFF;

  // `first` is the first id handed out; `last` the highest before wrapping to
  // 1. Production uses 1 and kMaxId; tests use other values to reach the wrap.
  // Out-of-range values are clamped into 1..kMaxId.
  explicit RequestIds(std::uint32_t first = 1, std::uint32_t last = kMaxId);

  // Allocates the next free id and records it as outstanding under
  // `proxy_request_id`. Returns 0 (allocating nothing) if every id is outstanding.
  std::uint32_t allocate(std::uint64_t proxy_request_id);

  // Forgets `id` (answered); returns false if it was not outstanding.
  bool complete(std::uint32_t id);

  bool outstanding(std::uint32_t id) const { return ids_.contains(id); }
  std::size_t size() const { return ids_.size(); }

  // Removes every outstanding id and returns their proxy request ids.
  std::vector<std::uint64_t> take_all();

 private:
  std::uint32_t last_;
  std::uint32_t next_;
  std::unordered_map<std::uint32_t, std::uint64_t> ids_;
};

}  // namespace opentapi::server

#endif  // OPENTAPI_SERVER_REQUEST_IDS_H
