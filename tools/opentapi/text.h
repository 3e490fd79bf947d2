// Small text formats shared by opentapi's commands.
#ifndef OPENTAPI_TOOLS_OPENTAPI_TEXT_H_
#define OPENTAPI_TOOLS_OPENTAPI_TEXT_H_

#include <cstdint>
#include <string>

namespace opentapi::cli {

// Whole seconds as a clock: "4:05", "1:02:03".
std::string clock_text(std::uint64_t seconds);

// A time in state, to the second: "12s", "3m12s", "2h03m07s" (negative → "0s").
std::string elapsed_text(std::int64_t ms);

// Seconds with one decimal: "12.3".
std::string seconds_text(double seconds);

// A ratio as a percentage with one decimal: "78.4%".
std::string percent_text(double ratio);

// `s` as a JSON string literal, quotes included.
std::string json_str(const std::string& s);

// The local time now, to the millisecond: "2026-01-05T08:00:00.123".
std::string now_stamp();

}  // namespace opentapi::cli

#endif  // OPENTAPI_TOOLS_OPENTAPI_TEXT_H_
