#include "http/change_log.h"

namespace opentapi::http {

void ChangeLog::reset(std::uint64_t seq) {
  frames_.clear();
  last_seq_ = seq;
}

bool ChangeLog::append(std::uint64_t seq, Frame frame) {
  if (seq <= last_seq_) return false;
  if (seq != last_seq_ + 1) frames_.clear();
  frames_.push_back(std::move(frame));
  if (frames_.size() > capacity_) frames_.pop_front();
  last_seq_ = seq;
  return true;
}

std::optional<std::vector<ChangeLog::Frame>> ChangeLog::since(std::uint64_t after) const {
  if (after > last_seq_) return std::nullopt;
  const std::uint64_t missing = last_seq_ - after;
  if (missing > frames_.size()) return std::nullopt;
  return std::vector<Frame>(frames_.end() - static_cast<std::ptrdiff_t>(missing), frames_.end());
}

}  // namespace opentapi::http
