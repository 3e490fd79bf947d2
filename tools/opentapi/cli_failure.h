// opentapi's exit codes (docs/cli.md "Exit codes") and the one exception that
// carries a failure from a command to main(), which prints it and exits.
#ifndef OPENTAPI_TOOLS_OPENTAPI_CLI_FAILURE_H_
#define OPENTAPI_TOOLS_OPENTAPI_CLI_FAILURE_H_

#include <stdexcept>
#include <string>

namespace opentapi::cli {

constexpr int kExitOk = 0;
constexpr int kExitTapi = 1;           // a TAPI function failed (LINEERR_* printed)
constexpr int kExitUsage = 2;          // bad command line or input file
constexpr int kExitNoServer = 3;       // opentapid (or its HTTP API) not reachable / connection lost
constexpr int kExitTimeout = 4;        // no LINE_REPLY / HTTP response within --timeout
constexpr int kExitHttp = 5;           // the HTTP API refused the request (status ≥ 400) or answered nonsense
constexpr int kExitInterrupted = 130;  // SIGINT/SIGTERM while waiting (simulate: the run was cut short)

struct Failure : std::runtime_error {
  int exit_code;
  long code;          // LINEERR_* value, 0 if none
  std::string error;  // the name for --json's "error" when there is no LINEERR code ("HTTP_401", …)
  Failure(int exit, long c, const std::string& what, std::string error_name = {})
      : std::runtime_error(what), exit_code(exit), code(c), error(std::move(error_name)) {}
};

}  // namespace opentapi::cli

#endif  // OPENTAPI_TOOLS_OPENTAPI_CLI_FAILURE_H_
