// Child processes for tests and benchmarks: the one way the project starts,
// watches and stops a program it runs (opentapid, a test peer, the ACD host).
//
// Everything the child needs is prepared before fork(): the parent may run
// threads (libopentapi's receiver), so the child only redirects its output
// and execs.
#ifndef OPENTAPI_TESTS_SUPPORT_PROCESS_H_
#define OPENTAPI_TESTS_SUPPORT_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace opentapi::test_support {

using namespace std::chrono_literals;

// Where a child's output goes.
struct SpawnOptions {
  enum class Capture {
    kNone,             // stdout and stderr as below
    kStdout,           // stdout into a pipe the Process reads; stderr as below
    kStdoutAndStderr,  // both into that pipe
  };
  Capture capture = Capture::kNone;
  // A file for stdout / stderr ("" = inherited). The same path for both puts
  // them in one file.
  std::string stdout_path;
  std::string stderr_path;
  bool append = true;  // else the files are truncated
  // SIGTERM when the parent dies (PR_SET_PDEATHSIG): a benchmark killed
  // midway leaves no server behind.
  bool die_with_parent = false;
};

// fork + exec of argv (argv[0] the binary). With a capture, *capture_fd
// receives the read end of the pipe (close-on-exec). -1 if fork fails; a
// binary that cannot be executed exits 127.
pid_t spawn(const std::vector<std::string>& argv, const SpawnOptions& options, int* capture_fd = nullptr);

// The exit code of a wait() status, or 128 + the signal that ended it.
int exit_code(int wait_status);

// Reaps `pid` if it has exited: true and *wait_status. Never blocks.
bool try_reap(pid_t pid, int* wait_status);

// Waits up to `timeout` for `pid` to exit and reaps it: true and *wait_status.
bool reap_within(pid_t pid, std::chrono::milliseconds timeout, int* wait_status);

// SIGTERM, then up to `timeout` for the exit, then SIGKILL: always reaped.
// Returns the wait() status.
int stop(pid_t pid, std::chrono::milliseconds timeout);

// Whether something accepts connections on the UNIX socket at `path`.
bool can_connect(const std::string& path);

// How waiting for a server's socket ended.
enum class Startup { kListening, kExited, kTimedOut };

// Polls every `interval` until something accepts on `socket`, `pid` exits
// (it is reaped then, *wait_status if given) or `timeout` has passed.
Startup wait_listening(pid_t pid, const std::string& socket, std::chrono::milliseconds timeout,
                       std::chrono::milliseconds interval = 5ms, int* wait_status = nullptr);

// The whole file, or "" if it cannot be read.
std::string read_file(const std::string& path);

// The login name of this process's user (what opentapid reports as a peer's
// user), or its uid in decimal.
std::string current_user();

// One child process, SIGKILLed and reaped by the destructor if it still runs.
class Process {
 public:
  Process(std::vector<std::string> argv, SpawnOptions options);
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }
  // Not yet exited (reaps it when it has).
  bool running();

  void signal(int sig);
  // SIGSTOP, then waits until every thread of the process is stopped: kill()
  // returns before the stop takes effect, and a thread still running could
  // answer a request the test means to reach a stopped process. False if
  // not all stopped within `timeout`.
  bool stop_threads(std::chrono::milliseconds timeout = 10s);
  void kill_now();  // SIGKILL, reaped
  // SIGTERM and the exit code, or -1 if it has not exited within `timeout`
  // (it is left running then).
  int terminate(std::chrono::milliseconds timeout = 10s);
  // SIGTERM, then SIGKILL after `timeout`: always reaped. The exit code.
  int stop(std::chrono::milliseconds timeout = 10s);
  // The exit code (128 + signal if killed), or nullopt if it still runs
  // after `timeout`. With a capture, its output is read meanwhile.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout);

  // With a capture: the rest of the next output line starting with `prefix`
  // (earlier lines are passed over), or nullopt after `timeout` or once the
  // process has exited without writing it.
  std::optional<std::string> wait_line(const std::string& prefix, std::chrono::milliseconds timeout);
  // With a capture: everything read so far.
  const std::string& output() const { return all_; }

 private:
  bool read_some(std::chrono::milliseconds timeout);

  pid_t pid_ = -1;
  int status_ = -1;  // exit code once reaped
  int out_ = -1;     // the capture pipe
  bool eof_ = false;
  std::string buffer_;  // captured, not yet returned by wait_line
  std::string all_;
};

}  // namespace opentapi::test_support

#endif  // OPENTAPI_TESTS_SUPPORT_PROCESS_H_
