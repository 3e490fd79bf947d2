// `opentapi simulate`: the reference ACD's call-center model and traffic
// simulator run in this process on a simulated clock (src/acd/simulation.h),
// with a progress bar and a report as a table, JSON or CSV. No server.
#ifndef OPENTAPI_TOOLS_OPENTAPI_SIMULATE_COMMAND_H_
#define OPENTAPI_TOOLS_OPENTAPI_SIMULATE_COMMAND_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace opentapi::cli {

struct SimulateOptions {
  std::string config_file;  // empty: the built-in demo call center
  std::optional<std::uint32_t> agents;
  std::optional<double> calls_per_hour;
  std::optional<double> handle_seconds;
  std::optional<double> patience_seconds;
  std::optional<double> answer_seconds;
  std::optional<std::uint32_t> wrap_up_seconds;
  std::optional<std::uint64_t> seed;
  std::string duration = "8h";
  std::optional<std::uint32_t> service_level_seconds;  // none: each queue's [[queue]] service_level_seconds
  std::optional<double> speed;                         // simulated seconds per wall second; none = as fast as possible
  enum class Format { kTable, kJson, kCsv } format = Format::kTable;
};

// "90" (seconds), "3600s", "30m", "8h", "2d", "1h30m", "1.5h" → milliseconds;
// nullopt if malformed, zero, or longer than 366 days.
std::optional<std::int64_t> parse_duration_ms(const std::string& text);

// Runs the simulation and prints the report. `interrupted` is polled while
// running: when it turns true the run stops, the report covers the time
// simulated so far, and the exit code is kExitInterrupted. Failures (an
// unreadable or invalid configuration, bad values) throw Failure.
int cmd_simulate(const SimulateOptions& options, const std::function<bool()>& interrupted);

}  // namespace opentapi::cli

#endif  // OPENTAPI_TOOLS_OPENTAPI_SIMULATE_COMMAND_H_
