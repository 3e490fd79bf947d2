// Rate limit for one kind of repeated log line (docs/security.md "Logs").
//
// A flood of the same warning (every refused change while the disk is full,
// every undecodable frame of a misbehaving client) must not fill the disk it
// is complaining about. A LogThrottle lets `burst` lines through per
// `window`; the ones beyond are counted instead, and the next line let
// through (or a summary asked for with take_summary()) says how many were
// left out.
//
// Pure: the caller passes the time (milliseconds on any monotonic scale). Not
// thread-safe; guard it with the caller's lock.
#ifndef OPENTAPI_CORE_LOG_THROTTLE_H_
#define OPENTAPI_CORE_LOG_THROTTLE_H_

#include <cstdint>

namespace opentapi::core {

class LogThrottle {
 public:
  struct Decision {
    bool log = false;              // write this line
    std::uint64_t suppressed = 0;  // lines left out since the last one written (say so in this one)
  };

  // REQUIRES: window_ms > 0, burst > 0.
  LogThrottle(std::int64_t window_ms, std::uint32_t burst) : window_ms_(window_ms), burst_(burst) {}

  // One more occurrence at `now_ms`.
  Decision admit(std::int64_t now_ms) {
    if (now_ms - window_start_ >= window_ms_ || now_ms < window_start_) {
      window_start_ = now_ms;
      in_window_ = 0;
    }
    if (in_window_ < burst_) {
      ++in_window_;
      Decision d{true, suppressed_};
      suppressed_ = 0;
      return d;
    }
    ++suppressed_;
    ++total_suppressed_;
    return {};
  }

  // Lines left out and not yet reported, once the window they fell in is
  // over (0 otherwise); reporting them resets the count. For a periodic
  // summary line when the flood stopped and no later line carried the count.
  std::uint64_t take_summary(std::int64_t now_ms) {
    if (suppressed_ == 0 || now_ms - window_start_ < window_ms_) return 0;
    const std::uint64_t n = suppressed_;
    suppressed_ = 0;
    return n;
  }

  // Every line left out since construction.
  std::uint64_t total_suppressed() const { return total_suppressed_; }

 private:
  std::int64_t window_ms_;
  std::uint32_t burst_;
  std::int64_t window_start_ = INT64_MIN / 2;
  std::uint32_t in_window_ = 0;
  std::uint64_t suppressed_ = 0;
  std::uint64_t total_suppressed_ = 0;
};

}  // namespace opentapi::core

#endif  // OPENTAPI_CORE_LOG_THROTTLE_H_
