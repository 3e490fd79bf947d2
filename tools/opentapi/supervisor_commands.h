// The supervisor's listings — every agent, every session, the whole board —
// read from opentapid's HTTP API (docs/http.md), not through TAPI: TAPI has
// no function that lists all agents or every agent's sessions.
#ifndef OPENTAPI_TOOLS_OPENTAPI_SUPERVISOR_COMMANDS_H_
#define OPENTAPI_TOOLS_OPENTAPI_SUPERVISOR_COMMANDS_H_

#include <cstdint>
#include <optional>
#include <string>

namespace opentapi::cli {

struct HttpOptions {
  std::string address;  // --http / OPENTAPI_HTTP, "HOST:PORT"
  std::string token;    // --token / OPENTAPI_TOKEN
  double timeout_s = 10;
  bool json = false;
};

// The default of --http: $OPENTAPI_HTTP, else 127.0.0.1:8080.
std::string default_http_address();
// The default of --token: $OPENTAPI_TOKEN, else none.
std::string default_http_token();

// Each prints a table (or, with json, the API's document with
// "time_in_state_ms" added to every agent and session) and returns the exit
// code; failures throw Failure (cli_failure.h).
int cmd_agents(const HttpOptions& options);
int cmd_all_sessions(const HttpOptions& options);
int cmd_board(const HttpOptions& options);
// The calls in progress (GET /api/v1/calls, a supervisor's token), filtered
// by state ("" = all) and queue: a table, or with json the API's document.
int cmd_calls(const HttpOptions& options, const std::string& state, std::optional<std::uint32_t> queue);

}  // namespace opentapi::cli

#endif  // OPENTAPI_TOOLS_OPENTAPI_SUPERVISOR_COMMANDS_H_
