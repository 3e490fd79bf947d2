// opentapi — command-line tool for the call center. See docs/cli.md.
//
// The telephony commands are written only against the public TAPI 2 C API of
// libopentapi (tapi.h): every asynchronous function is followed by a wait for
// its LINE_REPLY (by request id) through lineGetMessage in event mode,
// bounded by --timeout (tapi_app.h; the commands in agent_commands.h,
// call_command.h and watch_command.h). Two kinds of command stand apart: the supervisor
// listings read opentapid's HTTP API (supervisor_commands.h), because TAPI
// cannot list every agent, and `simulate` runs the reference ACD's model in
// this process (simulate_command.h). This file holds the command line and
// the dispatch.
#include <tapi.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "agent_commands.h"
#include "call_command.h"
#include "cli_failure.h"
#include "hash_secret_command.h"
#include "simulate_command.h"
#include "supervisor_commands.h"
#include "tapi_app.h"
#include "text.h"
#include "watch_command.h"

namespace {

using namespace opentapi::cli;  // NOLINT: the CLI's own helpers, used throughout

std::string tls_env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

// A TLS flag given on the command line becomes the variable libopentapi and
// the HTTP client read; an empty one leaves the variable as it is.
void export_tls(const char* name, const std::string& value) {
  if (!value.empty()) ::setenv(name, value.c_str(), 1);
}

// Parses a DWORD argument in decimal or 0x-hex.
struct DwordValidator : CLI::Validator {
  DwordValidator() : CLI::Validator("DWORD") {
    func_ = [](std::string& s) -> std::string {
      char* end = nullptr;
      errno = 0;
      const unsigned long long v = std::strtoull(s.c_str(), &end, 0);
      if (s.empty() || *end != '\0' || errno != 0 || v > 0xFFFFFFFFull || s[0] == '-')
        return "not a 32-bit unsigned number: " + s;
      s = std::to_string(v);
      return {};
    };
  }
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "opentapi — call-center command-line tool over the TAPI 2 C API (libopentapi).\n"
      "Talks to opentapid at $OPENTAPI_SERVER (unix:PATH) or the default socket; agents,\n"
      "sessions --all, board and calls read its HTTP API (--http); simulate needs no server.\n"
      "Exit codes: 0 ok, 1 TAPI error (LINEERR_* printed), 2 usage or bad input file,\n"
      "3 server (or its HTTP API) not running or lost, 4 no LINE_REPLY or HTTP response\n"
      "within --timeout, 5 HTTP API refused the request (e.g. 401 bad token),\n"
      "130 interrupted.",
      "opentapi"};
  app.set_version_flag("--version", std::string("opentapi ") + OPENTAPI_VERSION);
  app.require_subcommand(1);
  app.fallthrough();
  GlobalOptions g;
  app.add_flag("--json", g.json, "Machine-readable output (one JSON document; watch: one JSON object per line)");
  app.add_option("--timeout", g.timeout, "Seconds to wait for each LINE_REPLY or HTTP response")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--line", g.line, "Line device the requests go to (the ACD serves 0 and 1 by default)")
      ->capture_default_str();
  HttpOptions http;
  http.address = default_http_address();
  http.token = default_http_token();
  app.add_option("--http", http.address,
                 "HOST:PORT of opentapid's HTTP API, for agents, sessions --all and board (default: $OPENTAPI_HTTP, "
                 "else 127.0.0.1:8080)");
  app.add_option("--token", http.token,
                 "Bearer token for the HTTP API (default: $OPENTAPI_TOKEN); tokens are the [[http.token]] entries "
                 "of the call-center configuration");
  // TLS (OPENTAPI_SERVER=tls:..., --http https:...): libopentapi and the
  // HTTP client read these variables; the flags set them for both.
  std::string ca_file = tls_env("OPENTAPI_CA_FILE");
  std::string cert_file = tls_env("OPENTAPI_CERT_FILE");
  std::string key_file = tls_env("OPENTAPI_KEY_FILE");
  app.add_option("--ca-file", ca_file,
                 "PEM CAs that the server's certificate must chain to, for OPENTAPI_SERVER=tls:... and --http "
                 "https:... (default: $OPENTAPI_CA_FILE, else the system's CAs)")
      ->type_name("FILE");
  app.add_option("--cert-file", cert_file,
                 "PEM client certificate for a server that requires one (default: $OPENTAPI_CERT_FILE)")
      ->type_name("FILE");
  app.add_option("--key-file", key_file, "Private key of --cert-file (default: $OPENTAPI_KEY_FILE)")->type_name("FILE");
  const DwordValidator dword;
  const auto state_names = [](const std::map<std::string, DWORD>& m) {
    std::vector<std::string> v;
    for (const auto& [k, _] : m) v.push_back(k);
    return v;
  };

  auto* groups = app.add_subcommand("groups", "List the ACD groups: names and GUIDs (lineGetGroupListW)");
  auto* queues = app.add_subcommand(
      "queues",
      "Queue statistics of every group (lineGetQueueListW + lineGetQueueInfo): calls waiting, longest "
      "current wait, total queued, abandoned, average wait, measurement period");

  LoginArgs login_args;
  auto* login = app.add_subcommand(
      "login",
      "Create (or get) the agent and log it into a group (lineCreateAgentW + lineCreateAgentSessionW); "
      "prints the agent and session handles. The session stays in the ACD after opentapi exits.");
  login->add_option("--group", login_args.group, "ACD group name (or GUID)")->required();
  login->add_option("--address", login_args.address, "Working address ID on the line")->capture_default_str();
  auto* agent_opt = login->add_option("--agent", login_args.agent,
                                      "Agent ID from the ACD configuration (default: the agent of your OS user)");
  login->add_option("--pin", login_args.pin, "PIN of that agent ID")->needs(agent_opt);

  DWORD state_session = 0;
  std::string state_value, state_next;
  auto* state = app.add_subcommand("state", "Set an agent session's state (lineSetAgentSessionState)");
  state->add_option("SESSION", state_session, "Session handle (from login or sessions)")->required()->check(dword);
  state->add_option("STATE", state_value, "ready | not-ready | wrapup | end")
      ->required()
      ->check(CLI::IsMember(state_names(session_states())));
  state->add_option("--next", state_next, "Next state after the current call/wrap-up")
      ->check(CLI::IsMember(state_names(session_states())));

  DWORD as_agent = 0;
  std::string as_value, as_next;
  auto* agent_state = app.add_subcommand("agent-state", "Set an agent's state (lineSetAgentStateEx)");
  agent_state->add_option("AGENT", as_agent, "Agent handle (from login)")->required()->check(dword);
  agent_state->add_option("STATE", as_value, "ready | not-ready")
      ->required()
      ->check(CLI::IsMember(state_names(agent_states())));
  agent_state->add_option("--next", as_next, "Next state")->check(CLI::IsMember(state_names(agent_states())));

  DWORD sessions_agent = 0;
  bool sessions_all = false;
  auto* sessions = app.add_subcommand(
      "sessions",
      "An agent's current sessions with state, duration, calls, talk/wrap-up times and call rate "
      "(lineGetAgentSessionList + lineGetAgentSessionInfo); with --all every current session of every "
      "agent with its state and time in state, from the HTTP API (GET /api/v1/sessions)");
  auto* sessions_agent_opt =
      sessions->add_option("AGENT", sessions_agent, "Agent handle (from login); not with --all")->check(dword);
  sessions->add_flag("--all", sessions_all, "Every agent's sessions, from the HTTP API (--http, --token)")
      ->excludes(sessions_agent_opt);

  auto* agents = app.add_subcommand(
      "agents",
      "Every agent with its state, time in state, next state, ACD calls and talk/wrap-up times, from "
      "the HTTP API (GET /api/v1/agents; --http, --token)");
  auto* board = app.add_subcommand(
      "board",
      "The supervisor's board from the HTTP API (GET /api/v1/board; --http, --token): queues (waiting, "
      "longest wait, offered, answered, abandoned, service level, ASA), agents and sessions with time in "
      "state");
  std::string calls_state;
  std::optional<std::uint32_t> calls_queue;
  auto* calls =
      app.add_subcommand("calls",
                         "Every call in progress — state, queue, caller, agent, station, wait and talk time — from the "
                         "HTTP API (GET /api/v1/calls; a supervisor's --token)");
  calls->add_option("--state", calls_state, "Only calls in this state")
      ->check(CLI::IsMember({"queued", "ringing", "talking", "detached"}));
  calls->add_option("--queue", calls_queue, "Only calls of this queue ID");

  SimulateOptions sim;
  bool sim_csv = false;
  auto* hash_secret = app.add_subcommand(
      "hash-secret",
      "Print the Argon2id hash of a PIN or token read from standard input (asked twice, without echo, on a "
      "terminal; else the first line), for the pin or token of the configuration. Never takes the secret as an "
      "argument.");
  bool hash_token = false;
  hash_secret->add_flag("--token", hash_token,
                        "A long random bearer token: a cheaper hash (1 pass, 8 MiB) than for a PIN (3 passes, 32 MiB)");
  auto* simulate = app.add_subcommand(
      "simulate",
      "Run the reference ACD's call-center model and traffic simulator in this process on a simulated clock (no "
      "server needed) and report calls offered/answered/abandoned, service level, average speed of answer, "
      "average handle time, occupancy, per queue and per agent. A progress bar shows on stderr when it is a "
      "terminal. Ctrl-C stops the run and reports the time simulated so far (exit 130).");
  simulate->add_option("--config", sim.config_file,
                       "Call-center configuration (TOML, docs/acd.md) to start from (default: the built-in demo call "
                       "center)");
  simulate
      ->add_option("--agents", sim.agents,
                   "Simulated agents: this many generated agents (sim1, sim2, ...) log into every group "
                   "(default: the configuration's [simulator] agents)")
      ->check(CLI::Range(0u, 10000u));
  simulate
      ->add_option("--calls-per-hour", sim.calls_per_hour,
                   "Calls per hour arriving at each simulated queue, Poisson (default: [simulator] "
                   "calls_per_hour)")
      ->check(CLI::Range(0.0, 1e6));
  simulate->add_option("--duration", sim.duration, "Simulated time to run: 90 (seconds), 3600s, 30m, 8h, 2d, 1h30m")
      ->capture_default_str()
      ->check(CLI::Validator(
          [](std::string& v) -> std::string {
            return parse_duration_ms(v) ? std::string() : "not a duration (e.g. 30m, 8h, 3600s): " + v;
          },
          "DURATION"));
  simulate
      ->add_option("--handle-seconds", sim.handle_seconds,
                   "Mean talk time per call, seconds (default: [simulator] handle_seconds)")
      ->check(CLI::Range(0.0, 86400.0));
  simulate
      ->add_option("--patience-seconds", sim.patience_seconds,
                   "Mean time a caller waits before hanging up, seconds; 0 = callers never hang up (default: "
                   "[simulator] patience_seconds)")
      ->check(CLI::Range(0.0, 86400.0));
  simulate
      ->add_option("--answer-seconds", sim.answer_seconds,
                   "Ring time before the agent answers, seconds (default: [simulator] answer_seconds)")
      ->check(CLI::Range(0.0, 3600.0));
  simulate
      ->add_option("--wrap-up-seconds", sim.wrap_up_seconds,
                   "Wrap-up time after each call, seconds; 0 = the agent is ready right after the call "
                   "(default: [acd] wrap_up_seconds)")
      ->check(CLI::Range(0u, 86400u));
  simulate->add_option("--seed", sim.seed,
                       "Random seed: the same seed and options give the same report "
                       "(default: [simulator] seed)");
  simulate
      ->add_option("--service-level", sim.service_level_seconds,
                   "Service-level target for every queue: a call answered within this many seconds of its "
                   "arrival meets it (default: each queue's [[queue]] service_level_seconds, 20 unless set)")
      ->check(CLI::Range(0u, 86400u));
  simulate
      ->add_option("--speed", sim.speed,
                   "Simulated seconds per wall-clock second, e.g. 60 = a minute per second (default: as fast as "
                   "possible)")
      ->check(CLI::PositiveNumber);
  bool sim_json = false;
  auto* sim_json_flag =
      simulate->add_flag("--json", sim_json, "Report as one JSON document (the same as the global --json)");
  simulate
      ->add_flag("--csv", sim_csv,
                 "Report as CSV: one header, then rows of scope total, queue and agent (empty cells where a "
                 "column does not apply)")
      ->excludes(sim_json_flag);

  WatchArgs watch_args;
  auto* watch = app.add_subcommand(
      "watch",
      "Open every line (monitor) and print each LINE_AGENTSESSIONSTATUS, LINE_AGENTSTATUSEX, "
      "LINE_QUEUESTATUS, LINE_GROUPSTATUS and LINE_PROXYSTATUS (also LINE_AGENTSTATUS, "
      "LINE_AGENTSPECIFIC, LINE_CLOSE), and each call's LINE_APPNEWCALL (with who calls whom), LINE_CALLSTATE "
      "and LINE_CALLINFO, with a timestamp, until Ctrl-C or --seconds; then a line of counts");
  watch->add_option("--seconds", watch_args.seconds, "Stop after this many seconds (default: until Ctrl-C)")
      ->check(CLI::PositiveNumber);
  watch->add_flag("--summary", watch_args.summary, "Also print the counts every 10 seconds");

  CallArgs call_args;
  auto* call = app.add_subcommand(
      "call",
      "Place a call from --line with lineMakeCallW (owner, interactive voice) and print the LINE_REPLY "
      "and each call state as it happens, until the call is idle; a DISCONNECTED or BUSY call is dropped "
      "(lineDrop). Exit 0 when the call ended normally or was hung up, 1 when it reached nobody");
  call->add_option("NUMBER", call_args.number, "The number to dial: a station address, a queue (8001...)")->required();
  call->add_option("--address", call_args.address, "Address ID on --line to call from (default 0)")->check(dword);
  call->add_option("--hangup-after", call_args.hangup_after,
                   "Hang up this many seconds after the call was placed, whatever its state (default: wait for "
                   "the other side; Ctrl-C hangs up)")
      ->check(CLI::PositiveNumber);

  std::string period_kind;
  DWORD period_object = 0, period_seconds = 0;
  auto* set_period = app.add_subcommand(
      "set-period",
      "Set the measurement period of an agent (lineSetAgentMeasurementPeriod) or a queue "
      "(lineSetQueueMeasurementPeriod): set-period agent AGENT SECONDS | set-period queue QUEUE SECONDS");
  set_period->add_option("KIND", period_kind, "agent | queue")->required()->check(CLI::IsMember({"agent", "queue"}));
  set_period->add_option("ID", period_object, "Agent handle or queue ID")->required()->check(dword);
  set_period->add_option("SECONDS", period_seconds, "Period in seconds (> 0)")
      ->required()
      ->check(CLI::Range(1u, 0xFFFFFFFFu));

  // Subcommand help does not list the global options: each names those it uses.
  const std::string tapi_footer =
      "Global options (before or after the command): --json, --timeout S (per LINE_REPLY), --line N.\n"
      "Talks to opentapid at $OPENTAPI_SERVER (unix:PATH, tcp:HOST:PORT) or the default socket.";
  const std::string http_footer =
      "Global options (before or after the command): --http HOST:PORT (default $OPENTAPI_HTTP, else\n"
      "127.0.0.1:8080), --token T (default $OPENTAPI_TOKEN), --json (the API's document with\n"
      "time_in_state_ms added to every agent and session), --timeout S. Time in state is the\n"
      "server's now_ms - state_since_ms, shown as 45s, 3m12s, 1h05m00s.";
  for (CLI::App* sub : {groups, queues, login, state, agent_state, watch, set_period}) sub->footer(tapi_footer);
  for (CLI::App* sub : {agents, board, calls}) sub->footer(http_footer);
  call->footer(
      "--line N is the station line to call from (its address --address). Numbers: station addresses are\n"
      "numbered from 2001 by default, queues are 8000 + id; `opentapid --print-config` lists them.\n"
      "Output: a timestamped line per event (--json: one JSON object per line). Exit codes: 0 the call\n"
      "ended (the other side hung up, or it was hung up here), 1 a TAPI error (LINEERR_* printed:\n"
      "LINEERR_INVALADDRESS for a malformed number, LINEERR_BADDEVICEID for a bad --line) or a call\n"
      "that reached nobody (DISCONNECTED BADADDRESS, BUSY, ...), 3 no server, 4 no LINE_REPLY within\n"
      "--timeout, 130 interrupted (the call is hung up first).\n" +
      tapi_footer);
  sessions->footer("AGENT: over TAPI. " + tapi_footer + "\n--all: over HTTP. " + http_footer);
  simulate->footer(
      "The report: calls offered (arrived), answered (by an agent), abandoned (the caller hung up\n"
      "while waiting or ringing) and still waiting or ringing at the end; service level = calls\n"
      "answered within the target (--service-level) of arrival / (answered + abandoned); average\n"
      "speed of answer = arrival to answer, ring time included; average handle time = average talk +\n"
      "average wrap-up; occupancy = time on a call or in wrap-up / logged-in time. A call counts\n"
      "for the queue it arrived at, even when it overflowed. Every simulated agent logs into every\n"
      "group and is ready from the start. The simulated day starts 2026-01-05T08:00:00Z.\n"
      "Output: a table, or --json / --csv. Exit codes: 0, 2 bad option or configuration, 130\n"
      "interrupted (the report then covers the time simulated so far).");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }

  export_tls("OPENTAPI_CA_FILE", ca_file);
  export_tls("OPENTAPI_CERT_FILE", cert_file);
  export_tls("OPENTAPI_KEY_FILE", key_file);
  // Before the interrupt handler, which would leave a Ctrl-C at its prompt
  // waiting for a line: it handles Ctrl-C itself.
  if (*hash_secret) return cmd_hash_secret(hash_token);
  catch_interrupts();

  try {
    if (*groups) return cmd_groups(g);
    if (*queues) return cmd_queues(g);
    if (*login) return cmd_login(g, login_args);
    if (*state) return cmd_state(g, state_session, state_value, state_next);
    if (*agent_state) return cmd_agent_state(g, as_agent, as_value, as_next);
    http.json = g.json;
    http.timeout_s = g.timeout;
    if (*sessions) {
      if (sessions_all) return cmd_all_sessions(http);
      if (sessions_agent_opt->count() == 0) {
        std::fprintf(stderr, "opentapi sessions: give an AGENT handle, or --all for every agent's sessions\n");
        return kExitUsage;
      }
      return cmd_sessions(g, sessions_agent);
    }
    if (*agents) return cmd_agents(http);
    if (*board) return cmd_board(http);
    if (*calls) return cmd_calls(http, calls_state, calls_queue);
    if (*call) return cmd_call(g, call_args);
    if (*simulate) {
      if (sim_json) g.json = true;
      if (g.json) sim.format = SimulateOptions::Format::kJson;
      if (sim_csv) sim.format = SimulateOptions::Format::kCsv;
      if (sim_csv && g.json) {
        std::fprintf(stderr, "opentapi simulate: --csv and --json exclude each other\n");
        return kExitUsage;
      }
      return cmd_simulate(sim, [] { return interrupted(); });
    }
    if (*watch) return cmd_watch(g, watch_args);
    if (*set_period) return cmd_set_period(g, period_kind, period_object, period_seconds);
  } catch (const Failure& f) {
    std::fprintf(stderr, "opentapi: %s\n", f.what());
    if (g.json) {
      const std::string name = f.code ? lineerr_name(static_cast<LONG>(f.code)) : f.error;
      std::printf("{\"ok\":false,\"exit\":%d,\"error\":%s,\"message\":%s}\n", f.exit_code, json_str(name).c_str(),
                  json_str(f.what()).c_str());
    }
    return f.exit_code;
  }
  return kExitUsage;
}
