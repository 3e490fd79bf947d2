// opentapid as the tests and benchmarks run it: the binary of this build,
// its output in a log file of its own, waited for by its socket or its log
// lines, stopped with SIGTERM (SIGKILL if it does not go).
#ifndef OPENTAPI_TESTS_SUPPORT_OPENTAPID_H_
#define OPENTAPI_TESTS_SUPPORT_OPENTAPID_H_

#include <chrono>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "support/process.h"

namespace opentapi::test_support {

// The opentapid to start: $OPENTAPID_BINARY, else the one of this build.
std::string opentapid_binary();

// One opentapid process with `args` (everything after the binary), stdout and
// stderr appended to `log`. SIGKILLed at destruction if still running.
class Opentapid : public Process {
 public:
  Opentapid(std::vector<std::string> args, std::string log, bool die_with_parent = false);

  const std::string& log_path() const { return log_; }
  std::string log() const { return read_file(log_); }

  // Waits until `socket` accepts connections: false if opentapid exited
  // first or `timeout` passed.
  bool wait_listening(const std::string& socket, std::chrono::milliseconds timeout = 10s);

  // Waits until `pattern` appears in the log; false after `timeout` or once
  // the process has exited without writing it.
  bool wait_for_log(const std::regex& pattern, std::smatch* match, std::chrono::milliseconds timeout);

  // The address a `--listen tcp:HOST:0` (or tls:HOST:0) server reports
  // (event=listen), e.g. "tcp:127.0.0.1:40123"; nullopt if it does not
  // within `timeout`.
  std::optional<std::string> wait_tcp_address(std::chrono::milliseconds timeout = 10s);

 private:
  std::string log_;
  std::string text_;  // the log as last read (wait_for_log's matches point into it)
};

}  // namespace opentapi::test_support

#endif  // OPENTAPI_TESTS_SUPPORT_OPENTAPID_H_
