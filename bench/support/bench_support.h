// Small pieces every benchmark program shares: percentiles, machine facts for
// the report, the refusal to report from a debug build, JSON string escaping,
// and a probe for a listening UNIX socket.
#ifndef OPENTAPI_BENCH_SUPPORT_H_
#define OPENTAPI_BENCH_SUPPORT_H_

#include <string>
#include <vector>

namespace opentapi::bench {

// The p-quantile (0..1) of an ascending vector; 0 for an empty one.
double percentile(const std::vector<double>& sorted, double p);

// Whether something accepts connections on the UNIX socket at `path`.
bool can_connect(const std::string& path);

// The whole file, or "" if it cannot be read.
std::string read_file(const std::string& path);

// "model name" of the first CPU in /proc/cpuinfo, or "unknown".
std::string cpu_model();

// `s` made safe inside a JSON string: quotes and backslashes escaped,
// control characters dropped.
std::string json_escape(const std::string& s);

// The machine a report was measured on.
struct MachineFacts {
  unsigned cores = 0;
  std::string cpu;     // cpu_model()
  std::string kernel;  // "Linux 6.1.0 x86_64"
};
MachineFacts machine_facts();

// Whether the benchmarks were built without NDEBUG or with a sanitizer, i.e.
// their figures would be meaningless.
bool is_debug_build();

// For a benchmark's main: true (after saying why on stderr) when this is a
// debug or sanitizer build and `allow_debug` (the CI smoke run) is false.
bool refuse_debug_build(const char* program, bool allow_debug);

}  // namespace opentapi::bench

#endif  // OPENTAPI_BENCH_SUPPORT_H_
