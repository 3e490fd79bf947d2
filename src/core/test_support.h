// Helpers shared by the core unit tests (not part of opentapi_core): readable
// gtest output for the core's enums and a scripted clock.
#ifndef OPENTAPI_CORE_TEST_SUPPORT_H_
#define OPENTAPI_CORE_TEST_SUPPORT_H_

#include <cstdint>
#include <ostream>

#include "core/address_agent.h"
#include "core/agent_state.h"
#include "core/session_state.h"
#include "core/status.h"
#include "core/units.h"

namespace opentapi::core {

// gtest finds these by ADL when it prints a failed expectation.
inline void PrintTo(ErrorCode code, std::ostream* os) { *os << error_code_name(code); }
inline void PrintTo(SessionState s, std::ostream* os) { *os << to_string(s); }
inline void PrintTo(AgentState s, std::ostream* os) { *os << to_string(s); }
inline void PrintTo(AddressAgentState s, std::ostream* os) { *os << to_string(s); }
inline void PrintTo(const Status& s, std::ostream* os) { *os << s.to_string(); }

namespace testing_time {
// An arbitrary wall-clock origin (2024-01-01T00:00:00Z) so that scripted
// timelines read as "t = 25 s" in the tests.
inline constexpr std::int64_t kOriginUnixSeconds = 1'704'067'200;
inline constexpr TimePoint at(std::int64_t seconds) {
  return TimePoint::from_unix_seconds(kOriginUnixSeconds + seconds);
}
inline constexpr TimePoint at_ms(std::int64_t ms) { return TimePoint::from_unix_ms(kOriginUnixSeconds * 1000 + ms); }
}  // namespace testing_time

}  // namespace opentapi::core

#endif  // OPENTAPI_CORE_TEST_SUPPORT_H_
