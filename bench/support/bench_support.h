// Small pieces every benchmark program shares: percentiles, machine facts for
// the report, the refusal to report from a debug build, JSON string escaping,
// a probe for a listening UNIX socket, and the life cycle of the opentapid a
// benchmark starts for itself.
#ifndef OPENTAPI_BENCH_SUPPORT_H_
#define OPENTAPI_BENCH_SUPPORT_H_

#include <sys/resource.h>
#include <sys/types.h>

#include <string>
#include <vector>

#include "support/process.h"

namespace opentapi::bench {

// The p-quantile (0..1) of an ascending vector; 0 for an empty one.
double percentile(const std::vector<double>& sorted, double p);

// Whether something accepts connections on the UNIX socket at `path`; the
// whole file at `path` ("" if it cannot be read). From the tests' support
// library, like everything about the server process below.
using test_support::can_connect;
using test_support::read_file;

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

// --- The benchmark's own opentapid -------------------------------------------
//
// Started and stopped the one way tests and benchmarks do it (tests/support,
// process.h); what is added here is the one server process a benchmark runs,
// remembered for its signal handlers and its time bound.

// A fresh directory "/tmp/<prefix>-XXXXXX", or "" if it cannot be made.
std::string make_temp_dir(const std::string& prefix);

// The transport a benchmark's clients reach opentapid by (--transport):
// "unix" (the default: nothing to add), "tcp" or "tls" on a free loopback
// port. Appends the listener's arguments to `server_args` (with a token and,
// for tls, a certificate from a CA made in `dir` with the openssl command)
// and sets the clients' OPENTAPI_TOKEN and OPENTAPI_CA_FILE; *address is
// what OPENTAPI_SERVER must say. Returns "" or why it cannot.
std::string add_network_listener(const std::string& transport, const std::string& dir,
                                 std::vector<std::string>* server_args, std::string* address);

// Waits until the TCP port at the end of `address` ("tcp:HOST:PORT",
// "tls:HOST:PORT") accepts connections on loopback: opentapid binds its
// listeners one after the other, so the UNIX socket may be ready first.
bool wait_port_accepting(const std::string& address, int attempts, int interval_ms);

// Raises the "lines = 2" of a configuration template's text to `lines`.
// False (config untouched) if the text has no such line.
bool set_config_lines(std::string& config, int lines);

// fork + exec of `argv` (argv[0] the binary): the child dies with the
// benchmark (PR_SET_PDEATHSIG) and, with `stderr_path` non-empty, writes its
// stderr there. Records the process for stop_server_on_signal(),
// exit_after(), kill_server() and stop_server(). -1 if fork fails.
pid_t spawn_server(const std::vector<std::string>& argv, const std::string& stderr_path = "");

// The recorded server process, 0 if none.
pid_t server_pid();

// Forgets the recorded server (it has exited and been reaped).
void forget_server();

// SIGKILLs the recorded server, if any: for a benchmark giving up.
void kill_server();

// SIGTERM to the recorded server and wait for it; returns its wait status.
int stop_server();

// SIGINT and SIGTERM stop the recorded server too, then end the benchmark as
// the signal would.
void stop_server_on_signal();

// Bounds the run: after `seconds`, writes `message` to stderr, SIGKILLs the
// recorded server and exits 1. `message` must outlive the run.
void exit_after(unsigned seconds, const char* message);

// Cancels exit_after().
void cancel_time_bound();

// How waiting for the server's socket ended.
using test_support::Startup;

// Polls until something accepts on `socket`, the process `pid` exits (it is
// reaped then), or `attempts` polls `interval_ms` apart have passed.
Startup wait_listening(pid_t pid, const std::string& socket, int attempts, int interval_ms);

// Raises the soft RLIMIT_NOFILE to the hard limit (opentapid, started later,
// inherits it). False if setrlimit fails; *limit receives the new limit.
bool raise_open_file_limit(rlimit* limit);

}  // namespace opentapi::bench

#endif  // OPENTAPI_BENCH_SUPPORT_H_
