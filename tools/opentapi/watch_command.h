// `opentapi watch`: every line opened for monitoring, each agent, session,
// queue, group and proxy status message and each call's LINE_APPNEWCALL
// (with who calls whom), LINE_CALLSTATE and LINE_CALLINFO printed with a
// timestamp until Ctrl-C or --seconds, then the counts (docs/cli.md).
#ifndef OPENTAPI_TOOLS_OPENTAPI_WATCH_COMMAND_H_
#define OPENTAPI_TOOLS_OPENTAPI_WATCH_COMMAND_H_

#include "tapi_app.h"

namespace opentapi::cli {

struct WatchArgs {
  double seconds = 0;  // 0 = until Ctrl-C
  bool summary = false;
};

// Returns the exit code; failures throw Failure (cli_failure.h).
int cmd_watch(const GlobalOptions& g, const WatchArgs& a);

}  // namespace opentapi::cli

#endif  // OPENTAPI_TOOLS_OPENTAPI_WATCH_COMMAND_H_
