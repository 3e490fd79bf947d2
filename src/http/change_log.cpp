#include "http/change_log.h"

#include <utility>

namespace opentapi::http {

void ChangeLog::reset(std::uint64_t seq) {
  entries_.clear();
  last_seq_ = seq;
}

bool ChangeLog::append(acd::BoardChange change) {
  const std::uint64_t seq = change.seq;
  if (seq <= last_seq_) return false;
  if (seq != last_seq_ + 1) entries_.clear();
  entries_.push_back(Entry{std::move(change), nullptr});
  if (entries_.size() > capacity_) entries_.pop_front();
  last_seq_ = seq;
  return true;
}

ChangeLog::Frame ChangeLog::frame_of(Entry& entry) {
  if (!entry.frame) entry.frame = std::make_shared<const std::string>(serialise_(entry.change));
  return entry.frame;
}

ChangeLog::Frame ChangeLog::newest_frame() { return frame_of(entries_.back()); }

std::optional<std::vector<ChangeLog::Frame>> ChangeLog::since(std::uint64_t after) {
  if (after > last_seq_) return std::nullopt;
  const std::uint64_t missing = last_seq_ - after;
  if (missing > entries_.size()) return std::nullopt;
  std::vector<Frame> frames;
  frames.reserve(missing);
  for (auto it = entries_.end() - static_cast<std::ptrdiff_t>(missing); it != entries_.end(); ++it) {
    frames.push_back(frame_of(*it));
  }
  return frames;
}

}  // namespace opentapi::http
