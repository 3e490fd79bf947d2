// The clock the virtual ACD reads: wall time in production, a hand-driven one
// in tests (docs/reference/flows.md §5: every statistic is computed by core from the instant
// the ACD passes it, so controlling this clock controls every statistic).
//
// Thread safety: now() may be called from any thread.
#ifndef OPENTAPI_ACD_CLOCK_H_
#define OPENTAPI_ACD_CLOCK_H_

#include <atomic>
#include <chrono>
#include <cstdint>

#include "core/units.h"

namespace opentapi::acd {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual core::TimePoint now() const = 0;
};

// std::chrono::system_clock, in milliseconds.
class SystemClock final : public Clock {
 public:
  core::TimePoint now() const override {
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch());
    return core::TimePoint::from_unix_ms(ms.count());
  }
};

// Stands still until told to move. For tests.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(core::TimePoint start) : ms_(start.unix_ms()) {}
  core::TimePoint now() const override { return core::TimePoint::from_unix_ms(ms_.load()); }
  void set(core::TimePoint t) { ms_.store(t.unix_ms()); }
  void advance_ms(std::int64_t ms) { ms_.fetch_add(ms); }
  void advance_seconds(std::int64_t s) { advance_ms(s * 1000); }

 private:
  std::atomic<std::int64_t> ms_;
};

}  // namespace opentapi::acd

#endif  // OPENTAPI_ACD_CLOCK_H_
