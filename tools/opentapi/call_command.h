// `opentapi call`: places one call with lineMakeCallW from --line and prints
// the LINE_REPLY and every state of the call until it is idle (docs/cli.md
// "call").
#ifndef OPENTAPI_TOOLS_OPENTAPI_CALL_COMMAND_H_
#define OPENTAPI_TOOLS_OPENTAPI_CALL_COMMAND_H_

#include <optional>
#include <string>

#include "tapi_app.h"

namespace opentapi::cli {

struct CallArgs {
  std::string number;
  std::optional<DWORD> address;  // --address; nullopt: lineMakeCallW without LINECALLPARAMS (address 0)
  double hangup_after = 0;       // seconds after the call was placed; 0: never (the far end, or Ctrl-C)
};

// Returns the exit code: 0 when the call ended normally or was hung up here,
// kExitTapi when it reached nobody (DISCONNECTED other than NORMAL, BUSY),
// kExitInterrupted after Ctrl-C (the call is hung up first). Failures of the
// functions throw Failure (cli_failure.h).
int cmd_call(const GlobalOptions& g, const CallArgs& a);

}  // namespace opentapi::cli

#endif  // OPENTAPI_TOOLS_OPENTAPI_CALL_COMMAND_H_
