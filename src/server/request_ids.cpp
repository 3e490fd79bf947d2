#include "server/request_ids.h"

namespace opentapi::server {

RequestIds::RequestIds(std::uint32_t first, std::uint32_t last)
    : last_(last == 0 || last > kMaxId ? kMaxId : last), next_(first == 0 || first > last_ ? 1 : first) {}

std::uint32_t RequestIds::allocate(std::uint64_t proxy_request_id) {
  if (ids_.size() >= last_) return 0;
  while (ids_.contains(next_)) next_ = next_ == last_ ? 1 : next_ + 1;
  const std::uint32_t id = next_;
  next_ = next_ == last_ ? 1 : next_ + 1;
  ids_.emplace(id, proxy_request_id);
  return id;
}

bool RequestIds::complete(std::uint32_t id) { return ids_.erase(id) == 1; }

std::vector<std::uint64_t> RequestIds::take_all() {
  std::vector<std::uint64_t> out;
  out.reserve(ids_.size());
  for (const auto& [id, proxy_request_id] : ids_) out.push_back(proxy_request_id);
  ids_.clear();
  return out;
}

}  // namespace opentapi::server
