// Brute-force limits on secrets (docs/security.md "Brute force"): wrong PINs
// counted per agent and per peer, wrong tokens per peer. After
// `free_failures` failures in a row a key is locked out for `first_delay`;
// each further failure doubles the lockout up to `max_delay`. While a key is
// locked out its attempts are refused without looking at the secret (so
// guessing gains nothing, and a flood costs no hash checks). A success, or
// `quiet` without a failure, forgets the key.
//
// Pure: the caller passes the time (milliseconds on any monotonic scale). Not
// thread-safe; guard it with the caller's lock.
#ifndef OPENTAPI_CORE_FAILED_LOGINS_H_
#define OPENTAPI_CORE_FAILED_LOGINS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

namespace opentapi::core {

struct LockoutPolicy {
  std::uint32_t free_failures = 5;                    // failures in a row before the first lockout
  std::int64_t first_delay_ms = 1000;                 // the first lockout
  std::int64_t max_delay_ms = 60'000;                 // the longest one
  std::int64_t quiet_ms = std::int64_t{15} * 60'000;  // failures older than this are forgotten
  std::size_t max_keys = 10'000;                      // keys remembered at most (oldest go first)
};

class FailedLogins {
 public:
  // REQUIRES: free_failures > 0, 0 < first_delay_ms <= max_delay_ms.
  explicit FailedLogins(LockoutPolicy policy = {}) : policy_(policy) {}

  // Milliseconds `key` stays locked out from `now_ms`; 0: it may try.
  std::int64_t locked_for(std::string_view key, std::int64_t now_ms) const;

  // A wrong secret for `key` at `now_ms`. Returns the lockout it starts
  // (0 while under free_failures).
  std::int64_t record_failure(std::string_view key, std::int64_t now_ms);

  // The right secret: `key` is forgotten.
  void record_success(std::string_view key);

  // The lockout after the n-th failure in a row (0 for n < free_failures):
  // first_delay · 2^(n − free_failures), at most max_delay.
  std::int64_t delay_after(std::uint32_t failures) const;

  std::size_t size() const { return keys_.size(); }
  const LockoutPolicy& policy() const { return policy_; }

 private:
  struct Entry {
    std::uint32_t failures = 0;
    std::int64_t last_failure_ms = 0;
    std::int64_t locked_until_ms = 0;
  };
  void make_room(std::int64_t now_ms);

  LockoutPolicy policy_;
  std::unordered_map<std::string, Entry> keys_;
};

}  // namespace opentapi::core

#endif  // OPENTAPI_CORE_FAILED_LOGINS_H_
