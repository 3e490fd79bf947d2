// The agent commands over TAPI: groups, queues, login, state, agent-state,
// sessions AGENT and set-period (docs/cli.md). Each opens the line of
// --line, makes its calls, waits for each LINE_REPLY, prints a table or JSON
// and returns the exit code; failures throw Failure (cli_failure.h).
#ifndef OPENTAPI_TOOLS_OPENTAPI_AGENT_COMMANDS_H_
#define OPENTAPI_TOOLS_OPENTAPI_AGENT_COMMANDS_H_

#include <tapi.h>

#include <map>
#include <optional>
#include <string>

#include "tapi_app.h"

namespace opentapi::cli {

struct LoginArgs {
  std::string group;
  DWORD address = 0;
  std::optional<std::string> agent, pin;
};

// The STATE words of `state` and `agent-state` and their TAPI values.
const std::map<std::string, DWORD>& session_states();
const std::map<std::string, DWORD>& agent_states();

int cmd_groups(const GlobalOptions& g);
int cmd_queues(const GlobalOptions& g);
int cmd_login(const GlobalOptions& g, const LoginArgs& a);
int cmd_state(const GlobalOptions& g, DWORD session, const std::string& state, const std::string& next);
int cmd_agent_state(const GlobalOptions& g, DWORD agent, const std::string& state, const std::string& next);
int cmd_sessions(const GlobalOptions& g, DWORD agent);
// `kind` is "agent" or "queue".
int cmd_set_period(const GlobalOptions& g, const std::string& kind, DWORD object, DWORD seconds);

}  // namespace opentapi::cli

#endif  // OPENTAPI_TOOLS_OPENTAPI_AGENT_COMMANDS_H_
