#include "core/failed_logins.h"

#include <algorithm>

namespace opentapi::core {

std::int64_t FailedLogins::delay_after(std::uint32_t failures) const {
  if (failures < policy_.free_failures) return 0;
  std::int64_t delay = policy_.first_delay_ms;
  for (std::uint32_t i = policy_.free_failures; i < failures && delay < policy_.max_delay_ms; ++i) delay *= 2;
  return std::min(delay, policy_.max_delay_ms);
}

std::int64_t FailedLogins::locked_for(std::string_view key, std::int64_t now_ms) const {
  const auto it = keys_.find(std::string(key));
  if (it == keys_.end()) return 0;
  return std::max<std::int64_t>(0, it->second.locked_until_ms - now_ms);
}

std::int64_t FailedLogins::record_failure(std::string_view key, std::int64_t now_ms) {
  auto it = keys_.find(std::string(key));
  if (it == keys_.end()) {
    make_room(now_ms);
    it = keys_.emplace(std::string(key), Entry{}).first;
  }
  Entry& e = it->second;
  if (e.failures > 0 && now_ms - e.last_failure_ms >= policy_.quiet_ms) e.failures = 0;
  if (e.failures < UINT32_MAX) ++e.failures;
  e.last_failure_ms = now_ms;
  const std::int64_t delay = delay_after(e.failures);
  e.locked_until_ms = delay > 0 ? now_ms + delay : 0;
  return delay;
}

void FailedLogins::record_success(std::string_view key) { keys_.erase(std::string(key)); }

void FailedLogins::make_room(std::int64_t now_ms) {
  if (keys_.size() < policy_.max_keys) return;
  // Forgotten anyway: quiet for long enough and not locked out.
  std::erase_if(keys_, [&](const auto& kv) {
    return now_ms - kv.second.last_failure_ms >= policy_.quiet_ms && kv.second.locked_until_ms <= now_ms;
  });
  if (keys_.size() < policy_.max_keys) return;
  // Still full (a flood of new keys): the oldest failure goes.
  auto oldest = std::min_element(keys_.begin(), keys_.end(), [](const auto& a, const auto& b) {
    return a.second.last_failure_ms < b.second.last_failure_ms;
  });
  keys_.erase(oldest);
}

}  // namespace opentapi::core
