// opentapid: the opentapi telephony server (the role of TAPISRV) and, by
// default, the reference virtual ACD inside the same process. Parses the
// command line, sets up logging, runs the server, starts the ACD against it
// through the public TAPI API, reloads what can change safely on SIGHUP, and
// stops both on SIGTERM/SIGINT. Under systemd it reports readiness and logs to
// the journal with priorities (service_manager.h; docs/install.md).
#include <pthread.h>
#include <signal.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <time.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "acd/config.h"
#include "acd/status_messages.h"
#include "acd/virtual_acd.h"
#include "http/http_server.h"
#include "proto/address.h"
#include "proto/framing.h"
#include "server/cluster_role.h"
#include "server/server.h"
#include "service_manager.h"
#include "store/open_store.h"
#include "store/postgres/event_log_reader.h"
#include "store/postgres/postgres_store.h"
#include "store/store.h"
#include "switch/number_plan.h"
#include "tls/files.h"

namespace {

constexpr const char* kFooter = R"(Addresses:
  unix:PATH        UNIX-domain socket. Clients are identified by the kernel
                   (SO_PEERCRED): their login name is what proxies see.
  tcp:HOST:PORT    TCP, e.g. tcp:127.0.0.1:4610 or tcp:[::1]:4610; tcp:PORT
                   means the loopback interface. Requires --token: clients
                   must present it. Traffic is not encrypted: an address
                   other than loopback needs --allow-plaintext.
  tls:HOST:PORT    TCP with TLS 1.2/1.3, e.g. tls:0.0.0.0:4611. Requires
                   --token, --tls-cert and --tls-key; with --tls-client-ca
                   clients must also present a certificate (mutual TLS).

Default listen address: unix:$XDG_RUNTIME_DIR/opentapi/opentapid.sock, or
unix:/tmp/opentapi-<uid>/opentapid.sock when XDG_RUNTIME_DIR is unset; its
directory is created with mode 0700.

Clients (libopentapi) connect to the address in the OPENTAPI_SERVER
environment variable (same syntax, e.g. OPENTAPI_SERVER=unix:/run/opentapid.sock),
or to the default address when it is unset.

The reference virtual ACD runs inside opentapid unless --no-acd is given: it
connects to this server like any TAPI application, registers as proxy for
every agent request type on the lines its configuration names, and keeps its
state in SQLite under the data directory (--data-dir; default
$OPENTAPI_DATA_DIR, else $XDG_DATA_HOME/opentapi, else
~/.local/share/opentapi), or in PostgreSQL with --store postgresql://…
(any libpq connection string; --call-center names the call center there,
and the node takes its lease: docs/store.md, docs/ha.md). Without --config it serves a built-in demo call
center (--print-config shows it) with simulated traffic.

On PostgreSQL the node is one of a cluster: it serves while it holds its call
center's lease (--lease) and otherwise stands by, sending clients to the owner
(--advertise); /healthz says owner or standby. Clients may list every node:
OPENTAPI_SERVER=tls:node1:4611,tls:node2:4611 (docs/ha.md).

HTTP (--http, default 127.0.0.1:8080; https:HOST:PORT serves HTTPS with the
--tls-cert certificate; "off" disables it): the REST API and
the /events WebSocket for supervisors and the wallboard (docs/http.md), with
bearer tokens from the configuration's [[http.token]]; /metrics (Prometheus)
and /healthz; the wallboard at http://HOST:PORT/?token=TOKEN, served from
--web-root. Port 0 picks a free port; the event=http-listen log line names
it. An --http address that cannot be bound stops opentapid with an error;
the default one only logs a warning (HTTP is then off).

A socket file left by a dead server is replaced; a socket with a live server
behind it makes opentapid refuse to start. SIGTERM or SIGINT stop the server
cleanly: listeners close, socket files are removed, exit status 0. SIGHUP
re-reads the --config file: new [[http.token]] entries apply at once, other
changes are logged as needing a restart, an invalid file changes nothing.
SIGHUP also re-reads the TLS certificate files: new connections get the new
certificate, open ones keep theirs; files that do not load change nothing.

Under systemd (Type=notify) opentapid reports READY=1 once it serves, and
logs to the journal with priorities and without timestamps of its own.)";

// The switch's numbering (docs/calls.md): `stations` station lines of
// `addresses` addresses; with the ACD, its route point (one address per
// queue) and the trunk after them.
opentapi::switching::NumberPlanConfig number_plan_config(const opentapi::acd::AcdConfig& config, std::uint32_t stations,
                                                         std::uint32_t addresses, bool with_acd) {
  opentapi::switching::NumberPlanConfig plan;
  plan.stations = stations;
  plan.addresses_per_station = addresses;
  plan.first_number = config.switching.first_number;
  for (const auto& line : config.switching.lines) plan.line_numbers.push_back({line.device, line.numbers});
  plan.route_point = with_acd;
  for (const auto& q : config.queues) plan.queues.push_back({q.id, q.number, q.name});
  plan.trunk = with_acd;
  plan.trunk_number = config.switching.trunk_number;
  return plan;
}

// Every device's numbers, as TOML comments (so --print-config's output still
// reads back as a configuration).
std::string print_numbers(const opentapi::switching::NumberPlan& plan) {
  std::string out = "\n# Numbers (docs/calls.md): device, name, then each address's number\n";
  for (std::uint32_t d = 0; d < plan.size(); ++d) {
    const auto& device = plan.devices()[d];
    out += "# device " + std::to_string(d) + " \"" + device.name + "\" (" + std::string(to_string(device.kind)) + "):";
    for (std::size_t a = 0; a < device.addresses.size(); ++a) {
      out += " " + device.addresses[a].number;
      if (device.kind == opentapi::switching::DeviceKind::kRoutePoint) {
        out += " (queue " + std::to_string(plan.queue_ids()[a]) + " " + device.addresses[a].name + ")";
      }
    }
    out += "\n";
  }
  return out;
}

struct HttpAddress {
  std::string host;
  std::uint16_t port = 0;
  bool tls = false;  // https:
};

// "HOST:PORT" or "[IPv6]:PORT", after an optional "http:" or "https:";
// nullopt if malformed.
std::optional<HttpAddress> parse_http_address(std::string text) {
  HttpAddress out;
  if (text.rfind("https:", 0) == 0) {
    out.tls = true;
    text.erase(0, 6);
  } else if (text.rfind("http:", 0) == 0) {
    text.erase(0, 5);
  }
  std::string port;
  if (!text.empty() && text.front() == '[') {
    const std::size_t close = text.find("]:");
    if (close == std::string::npos) return std::nullopt;
    out.host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string::npos || text.find(':') != colon) return std::nullopt;
    out.host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (out.host.empty() || port.empty() || ec != std::errc() || end != port.data() + port.size() || value > 65535) {
    return std::nullopt;
  }
  out.port = static_cast<std::uint16_t>(value);
  return out;
}

// The wallboard's files: the installed copy beside this binary
// (BIN/../share/opentapi/web), else the source tree's web/ (a build tree).
std::string default_web_root() {
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const std::filesystem::path installed = self.parent_path().parent_path() / "share" / "opentapi" / "web";
    if (std::filesystem::is_directory(installed, ec)) return installed.string();
  }
  return OPENTAPI_SOURCE_WEB_DIR;
}

// "0660" → 0660; -1 if not an octal mode of at most 0777.
int parse_mode(const std::string& text) {
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, 8);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value > 0777) return -1;
  return static_cast<int>(value);
}

// The --config file and the command-line settings that shape it, validated
// the way a start would: the TOML, then the switch's numbering.
struct LoadedConfig {
  opentapi::acd::AcdConfig config;
  std::uint32_t lines = 0;
  std::uint32_t addresses = 0;
  std::optional<opentapi::switching::NumberPlan> plan;
};

opentapi::core::Result<LoadedConfig> load_and_check(const std::string& path, const std::string& first_number,
                                                    std::uint32_t lines, std::uint32_t addresses, bool no_acd) {
  namespace acd = opentapi::acd;
  auto loaded = path.empty() ? opentapi::core::Result<acd::AcdConfig>(acd::default_config()) : acd::load_config(path);
  if (!loaded.ok()) return loaded.status();
  LoadedConfig out;
  out.config = std::move(*loaded);
  if (!first_number.empty()) out.config.switching.first_number = first_number;
  if (!no_acd) {
    // The lines the ACD serves must exist on this server.
    const std::uint32_t highest =
        out.config.lines.empty() ? 0 : *std::max_element(out.config.lines.begin(), out.config.lines.end());
    lines = std::max(lines, highest + 1);
    addresses = std::max(addresses, out.config.addresses_per_line);
  }
  auto plan = opentapi::switching::NumberPlan::build(number_plan_config(out.config, lines, addresses, !no_acd));
  if (!plan.ok()) {
    return opentapi::core::Status::error(plan.status().code(), "numbers: " + plan.status().message());
  }
  out.lines = lines;
  out.addresses = addresses;
  out.plan.emplace(std::move(plan).value());
  return out;
}

std::map<std::string, std::string> token_map(const opentapi::acd::AcdConfig& config) {
  std::map<std::string, std::string> tokens;
  for (const opentapi::acd::HttpToken& t : config.http_tokens) tokens.emplace(t.token, t.user);
  return tokens;
}

// The call center's event log, for the Switchboard's replay of resumed
// lines (docs/ha.md "Status messages replayed"): the store from when this
// node opens it (before the ACD starts, so that applications resuming during
// a takeover get their replay) until it releases it. The Switchboard reads it
// on its own thread, so the store is withdrawn (set(nullptr)) first.
class ReplaySource {
 public:
  // More changes than this since a resumed line's last message: it re-reads
  // instead (the answer stays well inside one frame).
  static constexpr std::size_t kMaxReplayed = 10000;

  // `lines`: the call center's served lines, where its agent, queue and
  // group messages may be delivered (docs/acd.md "Announcements").
  void set(opentapi::store::Store* store, std::vector<std::uint32_t> lines) {
    std::lock_guard lock(mu_);
    store_ = store;
    first_device_ = lines.empty() ? 0 : lines.front();
    lines_ = std::move(lines);
  }
  std::optional<opentapi::server::StatusReplay> replay(std::uint64_t after) {
    std::lock_guard lock(mu_);
    if (store_ == nullptr) return std::nullopt;
    auto read = opentapi::acd::replay_status_messages(*store_, first_device_, after, kMaxReplayed);
    if (!read.ok()) {
      spdlog::warn("event=replay-failed after={} error=\"{}\"", after, read.status().message());
      return std::nullopt;
    }
    opentapi::server::StatusReplay out;
    out.through = read->through;
    out.gap = read->gap;
    out.handler_devices = lines_;
    out.messages.reserve(read->messages.size());
    for (const opentapi::acd::ReplayedMessage& r : read->messages) {
      const opentapi::acd::Announcement& m = r.message;
      out.messages.push_back({m.device, m.msg, m.param1, m.param2, m.param3, r.seq});
    }
    return out;
  }
  std::uint64_t event_seq() {
    std::lock_guard lock(mu_);
    if (store_ == nullptr) return 0;
    auto last = store_->last_audit_seq();
    return last.ok() ? *last : 0;
  }

 private:
  std::mutex mu_;
  opentapi::store::Store* store_ = nullptr;
  std::uint32_t first_device_ = 0;
  std::vector<std::uint32_t> lines_;
};

// Everything but the HTTP tokens, as text: what a reload cannot apply.
std::string without_tokens(opentapi::acd::AcdConfig config) {
  config.http_tokens.clear();
  config.source.clear();
  return opentapi::acd::print_config(config);
}

spdlog::level::level_enum parse_level(const std::string& name) {
  if (name == "trace") return spdlog::level::trace;
  if (name == "debug") return spdlog::level::debug;
  if (name == "warn") return spdlog::level::warn;
  if (name == "error") return spdlog::level::err;
  if (name == "off") return spdlog::level::off;
  return spdlog::level::info;
}

}  // namespace

int main(int argc, char** argv) {
  namespace proto = opentapi::proto;
  namespace server = opentapi::server;

  CLI::App app{"opentapid " OPENTAPI_VERSION
               " - the opentapi telephony server: line devices, proxy (ACD handler) registrations,\n"
               "agent request routing and message fan-out for TAPI 2/3 applications."};
  std::vector<std::string> listen;
  std::uint32_t lines = 4;
  std::uint32_t addresses = 2;
  std::string token;
  std::size_t max_queue_bytes = 8u * 1024 * 1024;
  std::string log_level = "info";
  std::string config_path;
  std::string data_dir;
  std::string store_text;
  std::string call_center = "default";
  double event_log_hours = 24 * 7;
  bool no_acd = false;
  bool no_simulator = false;
  bool simulator_inside_acd = false;
  bool show_config = false;
  unsigned summary_seconds = 60;
  std::string http_address = "127.0.0.1:8080";
  std::string web_root;
  std::size_t http_max_queued_frames = 4096;
  std::string first_number;
  std::string check_config_path;
  std::string socket_mode_text;
  opentapi::tls::ServerFiles tls_files;
  bool allow_plaintext = false;
  double lease_seconds = 10.0;
  bool cold_standby = false;
  std::string advertise;

  app.add_option("--listen", listen,
                 "Address to listen on: unix:PATH, tcp:HOST:PORT or tls:HOST:PORT. Repeatable. Default: the default "
                 "UNIX socket (see below)")
      ->type_name("ADDRESS");
  app.add_option("--tls-cert", tls_files.cert,
                 "PEM file with the certificate (then its chain) of the tls: listeners and of HTTPS; re-read on SIGHUP")
      ->type_name("FILE");
  app.add_option("--tls-key", tls_files.key, "PEM file with the private key of --tls-cert; re-read on SIGHUP")
      ->type_name("FILE");
  app.add_option("--tls-client-ca", tls_files.client_ca,
                 "PEM file of the CAs whose client certificates are accepted: with it, every tls: and HTTPS client "
                 "must present one (mutual TLS); re-read on SIGHUP")
      ->type_name("FILE");
  app.add_flag("--allow-plaintext", allow_plaintext,
               "Allow tcp: listeners and plain HTTP on addresses other than loopback (tokens and traffic then cross "
               "the network unencrypted)");
  app.add_option("--lines", lines, "Number of line devices offered (device ids 0..N-1)")
      ->check(CLI::Range(1u, 1000000u))
      ->capture_default_str();
  app.add_option("--addresses", addresses, "Addresses per line device")
      ->check(CLI::Range(1u, 65536u))
      ->capture_default_str();
  app.add_option("--first-number", first_number,
                 "Number of the first station address; the others follow in device, then address, order "
                 "(docs/calls.md). Default: the configuration's [switch] first_number, else 2001")
      ->type_name("DIGITS");
  app.add_option("--token", token, "Shared secret TCP clients must present (required with a tcp: listener)")
      ->type_name("SECRET");
  app.add_option("--max-queue-bytes", max_queue_bytes,
                 "Per client: bytes of messages waiting to be sent above which the client is disconnected "
                 "(at least one maximal frame, 1 MiB + 4)")
      ->check(CLI::Range(proto::kMaxFrameBytes + proto::kFrameHeaderBytes, std::size_t{1} << 34))
      ->capture_default_str();
  app.add_option("--log-level", log_level, "Log level")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
      ->capture_default_str();
  app.add_option("--config", config_path,
                 "Call-center configuration (TOML) for the ACD: lines, groups, queues, agents, simulator. "
                 "Default: the built-in demo call center")
      ->check(CLI::ExistingFile)
      ->type_name("FILE");
  auto* data_dir_option =
      app.add_option("--data-dir", data_dir, "Directory of the ACD's durable store (SQLite); created with mode 0700")
          ->type_name("DIR");
  app.add_option("--store", store_text,
                 "The ACD's durable store: sqlite:DIR (as --data-dir), or PostgreSQL as postgresql://… / postgres://… "
                 "or postgresql:KEY=VALUE… (a libpq connection string, e.g. multi-host with "
                 "target_session_attrs=read-write). Default: SQLite in the data directory")
      ->type_name("LOCATION")
      ->excludes(data_dir_option);
  app.add_option("--call-center", call_center,
                 "PostgreSQL store: the call center this node serves; several share one database, each with its own "
                 "lease, records and event log")
      ->capture_default_str();
  app.add_option("--lease", lease_seconds,
                 "PostgreSQL store: seconds the call center's lease lasts without renewal; the owner renews it every "
                 "third of that and stops serving when it could not renew it in time (docs/ha.md)")
      ->check(CLI::Range(0.2, 3600.0))
      ->capture_default_str();
  app.add_flag("--cold-standby", cold_standby,
               "PostgreSQL store: do not follow the event log while standing by; a takeover then reloads the whole "
               "call center from the database (docs/ha.md \"Warm standbys\")");
  app.add_option("--advertise", advertise,
                 "PostgreSQL store: the address clients reach this node at (unix:PATH or tcp:HOST:PORT), kept in the "
                 "lease row while it owns the call center; standbys send clients there. Default: the first --listen "
                 "address")
      ->type_name("ADDRESS");
  app.add_option("--event-log-hours", event_log_hours,
                 "PostgreSQL store: hours of event log (audit history) kept; 0 = all")
      ->check(CLI::Range(0.0, 24.0 * 366 * 100))
      ->capture_default_str();
  app.add_flag("--no-acd", no_acd, "Do not run the reference ACD: leave the lines to external proxies");
  app.add_flag("--no-simulator", no_simulator, "Run the ACD without its traffic simulator, even if configured");
  app.add_flag("--simulator-inside-acd", simulator_inside_acd,
               "Keep the traffic simulator's calls inside the ACD instead of placing them from the trunk as switch "
               "calls: they do not ring on the stations, which stay free for your own calls");
  app.add_option("--summary-interval", summary_seconds,
                 "Seconds between summary log lines (ACD requests, changes, live sessions, calls, store "
                 "commits and latency); 0 = none")
      ->capture_default_str();
  auto* http_option =
      app.add_option("--http", http_address,
                     "HTTP/WebSocket address of the REST API, /events, /metrics and the wallboard: HOST:PORT "
                     "([IPv6]:PORT), https:HOST:PORT for HTTPS (with --tls-cert/--tls-key), port 0 for any free "
                     "port, or off")
          ->type_name("[https:]HOST:PORT|off")
          ->capture_default_str();
  app.add_option("--http-max-queued-frames", http_max_queued_frames,
                 "Per WebSocket client of /events: frames waiting to be sent above which the client is closed "
                 "with 1008 (it resumes with after=)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 24))
      ->capture_default_str();
  app.add_option("--web-root", web_root,
                 "Directory of the wallboard's static files. Default: ../share/opentapi/web beside this binary, "
                 "else the source tree's web/")
      ->type_name("DIR");
  app.add_option("--check-config", check_config_path,
                 "Validate the call-center configuration FILE (with --first-number, --lines, --addresses and "
                 "--no-acd as given) without starting: prints FILE: OK and exits 0, or the error and exits 1")
      ->type_name("FILE");
  app.add_option("--socket-mode", socket_mode_text,
                 "Mode of the UNIX socket files, in octal (e.g. 0660: the socket's group may connect). Default: "
                 "what the umask gives")
      ->type_name("OCTAL");
  app.add_flag("--print-config", show_config,
               "Print the effective call-center configuration and every address's number, and exit");
  // Resource limits an unauthenticated or misbehaving peer meets (docs/security.md).
  server::ServerOptions limits;
  double hello_timeout_s = 5.0;
  app.add_option("--hello-timeout", hello_timeout_s,
                 "Seconds a new connection has to authenticate (its Hello accepted) before it is closed")
      ->check(CLI::Range(0.05, 3600.0))
      ->capture_default_str();
  app.add_option("--max-pre-auth", limits.pre_auth.max_per_listener,
                 "Per listener: connections waiting for their Hello; more are closed at once")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 20))
      ->capture_default_str();
  app.add_option("--max-pre-auth-per-peer", limits.pre_auth.max_per_peer,
                 "Per TCP peer address: connections waiting for their Hello; more are closed at once")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 20))
      ->capture_default_str();
  app.add_option("--max-total-queue-bytes", limits.max_total_queue_bytes,
                 "All TAPI clients together: bytes of messages waiting to be sent above which the clients with the "
                 "most queued are disconnected, largest first")
      ->check(CLI::Range(std::size_t{1} << 20, std::size_t{1} << 40))
      ->capture_default_str();

  app.set_version_flag(
      "--version", "opentapid " OPENTAPI_VERSION " (wire protocol " + std::to_string(proto::kProtocolVersion) + ")");
  app.footer(kFooter);
  CLI11_PARSE(app, argc, argv);

  namespace acd = opentapi::acd;
  namespace store = opentapi::store;
  if (!check_config_path.empty()) {
    auto checked = load_and_check(check_config_path, first_number, lines, addresses, no_acd);
    if (!checked.ok()) {
      std::cerr << "opentapid: " << checked.status().message() << "\n";
      return 1;
    }
    std::cout << check_config_path << ": OK\n";
    return 0;
  }
  const int socket_mode = socket_mode_text.empty() ? -1 : parse_mode(socket_mode_text);
  if (!socket_mode_text.empty() && socket_mode < 0) {
    std::cerr << "opentapid: --socket-mode: expected an octal mode such as 0660, got \"" << socket_mode_text << "\"\n";
    return 2;
  }
  auto loaded = load_and_check(config_path, first_number, lines, addresses, no_acd);
  if (!loaded.ok()) {
    std::cerr << "opentapid: " << loaded.status().message() << "\n";
    return 1;
  }
  acd::AcdConfig& config = loaded->config;
  lines = loaded->lines;
  addresses = loaded->addresses;
  if (show_config) {
    std::cout << acd::print_config(config) << print_numbers(*loaded->plan);
    return 0;
  }
  std::optional<HttpAddress> http_listen;
  if (http_address != "off") {
    http_listen = parse_http_address(http_address);
    if (!http_listen) {
      std::cerr << "opentapid: --http: expected HOST:PORT, [IPv6]:PORT, https:HOST:PORT or off, got \"" << http_address
                << "\"\n";
      return 2;
    }
  }
  if (web_root.empty()) web_root = default_web_root();

  auto logger = spdlog::stderr_logger_mt("opentapid");
  logger->set_level(parse_level(log_level));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
  // The journal timestamps every line itself and takes the level from "<N>".
  opentapi::daemon::install_log_pattern(opentapi::daemon::log_pattern(opentapi::daemon::stderr_is_journal()));
  if (const std::vector<std::string> plain = config.plain_secrets(); !plain.empty()) {
    // docs/security.md "Secrets at rest": one line naming them, never the values.
    std::string names;
    for (const std::string& p : plain) names += (names.empty() ? "" : ", ") + p;
    spdlog::warn("event=plain-secrets count={} entries=\"{}\" note=\"store them as hashes: opentapi hash-secret\"",
                 plain.size(), names);
  }

  server::ServerOptions options;
  options.pre_auth = limits.pre_auth;
  options.pre_auth.hello_timeout = std::chrono::milliseconds(static_cast<long long>(hello_timeout_s * 1000.0));
  options.max_total_queue_bytes = limits.max_total_queue_bytes;
  options.tls = tls_files;
  options.allow_plaintext = allow_plaintext;
  const std::string default_path = proto::default_server_address();
  if (listen.empty()) listen.push_back("unix:" + default_path);
  for (const std::string& text : listen) {
    const proto::ParsedAddress parsed = proto::parse_server_address(text);
    if (!parsed) {
      spdlog::error("{}", parsed.error);
      return 2;
    }
    server::Listen l;
    l.address = *parsed.address;
    l.private_directory = l.address.kind == proto::ServerAddress::Kind::kUnix && l.address.path == default_path;
    l.socket_mode = socket_mode;
    options.listen.push_back(l);
  }
  options.max_queue_bytes = max_queue_bytes;
  options.switchboard.devices = server::LineDevices{std::move(*loaded->plan)};
  options.switchboard.tcp_token = token;
  options.switchboard.token_lockout = config.lockout;
  options.switchboard.server_version = OPENTAPI_VERSION;

  // SIGTERM/SIGINT are taken here, not by the server's event loop, so the
  // ACD can be stopped while the server still runs (its lines close cleanly)
  // before the server stops; SIGHUP (reload) too. Blocked before any thread
  // starts, so every thread inherits the mask and only sigwait below
  // receives them.
  options.handle_signals = false;
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  // Where the ACD's state lives. On PostgreSQL the node is part of a
  // cluster (docs/ha.md): it serves only while it holds its call center's
  // lease, and stands by otherwise.
  store::StoreLocation location;
  if (!no_acd) {
    if (!store_text.empty()) {
      auto parsed = store::parse_store_location(store_text);
      if (!parsed.ok()) {
        spdlog::error("{}", parsed.status().message());
        return 1;
      }
      location = *parsed;
    } else {
      if (data_dir.empty()) {
        auto dir = store::default_data_dir();
        if (!dir.ok()) {
          spdlog::error("no data directory: {} (use --data-dir)", dir.status().message());
          return 1;
        }
        data_dir = *dir;
      }
      location = {store::Backend::kSqlite, data_dir};
    }
  }
  const bool clustered = !no_acd && location.backend == store::Backend::kPostgres;
  std::shared_ptr<server::ClusterRole> role;
  if (clustered) {
    role = std::make_shared<server::ClusterRole>(call_center);
    role->set_standby("", "");
    options.switchboard.cluster = role;
  }
  if (!advertise.empty() && !proto::parse_server_address(advertise)) {
    spdlog::error("--advertise: {}", proto::parse_server_address(advertise).error);
    return 2;
  }

  const auto replay_source = std::make_shared<ReplaySource>();
  options.switchboard.replay = [replay_source](std::uint64_t after) { return replay_source->replay(after); };
  options.switchboard.event_seq = [replay_source] { return replay_source->event_seq(); };
  server::Server daemon(std::move(options));
  if (const std::string error = daemon.start(); !error.empty()) {
    spdlog::error("{}", error);
    return 1;
  }
  spdlog::info("event=started version={} lines={} addresses={} pid={}", OPENTAPI_VERSION, lines, addresses,
               static_cast<long>(::getpid()));
  std::thread server_thread([&daemon] { daemon.run(); });
  auto fail = [&](const std::string& what) {
    spdlog::error("{}", what);
    daemon.stop();
    server_thread.join();
    return 1;
  };

  std::unique_ptr<store::Store> acd_store;
  const std::string store_description = no_acd ? std::string() : store::describe(location);
  std::unique_ptr<acd::VirtualAcd> virtual_acd;
  store::SharedStoreSettings store_settings;
  store_settings.call_center = call_center;
  store_settings.lease = std::chrono::milliseconds(static_cast<std::int64_t>(lease_seconds * 1000.0));
  store_settings.event_log_retention =
      std::chrono::milliseconds(static_cast<std::int64_t>(event_log_hours * 3600.0 * 1000.0));
  store_settings.advertise = advertise.empty() ? daemon.addresses().front().to_string() : advertise;

  // The ACD reaches this server the way any application does: through the
  // first UNIX listener, else the first tcp: one with the token. Not through
  // tls: (it would need a CA file and a certificate naming the listen
  // address; a local socket is simpler and safer).
  std::string acd_address;
  for (const std::string& text : listen) {
    if (text.rfind("unix:", 0) == 0) {
      acd_address = text;
      break;
    }
  }
  if (acd_address.empty()) {
    for (const std::string& text : listen) {
      if (text.rfind("tcp:", 0) == 0) {
        acd_address = text;
        ::setenv("OPENTAPI_TOKEN", token.c_str(), 1);
        break;
      }
    }
  }
  if (acd_address.empty() && !no_acd) {
    return fail(
        "the ACD connects to this server through a unix: or tcp: listener, and there is none: add --listen "
        "unix:PATH (or run with --no-acd)");
  }
  auto start_acd = [&](std::optional<std::vector<store::Record>> copy = std::nullopt) -> std::string {
    acd::VirtualAcdOptions acd_options;
    acd_options.initial_records = std::move(copy);
    acd_options.server_address = acd_address;
    acd_options.simulator = !no_simulator;
    acd_options.simulator_on_switch = !simulator_inside_acd;
    acd_options.log = [](acd::LogLevel level, std::string_view line) {
      switch (level) {
        case acd::LogLevel::kDebug:
          spdlog::debug("acd {}", line);
          break;
        case acd::LogLevel::kInfo:
          spdlog::info("acd {}", line);
          break;
        case acd::LogLevel::kWarn:
          spdlog::warn("acd {}", line);
          break;
        case acd::LogLevel::kError:
          spdlog::error("acd {}", line);
          break;
      }
    };
    auto started = acd::VirtualAcd::start(config, *acd_store, acd_options);
    if (!started.ok()) return "the ACD could not start: " + started.status().message();
    virtual_acd = std::move(*started);
    spdlog::info("event=acd-started config={} store=\"{}\" simulator={}",
                 config_path.empty() ? std::string("built-in demo") : config_path, store_description, !no_simulator);
    return {};
  };

  if (!no_acd && !clustered) {
    // A node restarted after a crash finds its old lease: it waits for it
    // (the dead holder's connection goes within moments; at worst the lease
    // expires), and fails, naming the owner, if another node holds it.
    store_settings.wait_for_lease = store_settings.lease + std::chrono::seconds(2);
    auto opened = store::open_store(location, store_settings);
    if (!opened.ok()) return fail(opened.status().message());
    acd_store = std::move(*opened);
    replay_source->set(acd_store.get(), config.lines);
    if (std::string error = start_acd(); !error.empty()) return fail(error);
  }

  // The node's role in a cluster, as /healthz and /metrics report it.
  std::mutex cluster_mu;
  opentapi::http::ClusterStatus cluster_status;
  // The standby's event-log reader while it runs, for /metrics (guarded by
  // cluster_mu; the reader itself is below).
  std::shared_ptr<store::EventLogReader> reader_for_metrics;
  cluster_status.call_center = call_center;

  std::unique_ptr<opentapi::http::HttpServer> http_server;
  // Started once at start, and again (same address) when the node takes over
  // or stands down, because the REST API and /events need the ACD.
  auto start_http = [&](bool first) -> std::string {
    namespace http = opentapi::http;
    http::HttpServerOptions http_options;
    http_options.host = http_listen->host;
    http_options.port = http_listen->port;
    http_options.web_root = web_root;
    http_options.max_queued_frames = http_max_queued_frames;
    http_options.tls = http_listen->tls;
    http_options.tls_files = tls_files;
    http_options.allow_plaintext = allow_plaintext;
    http_options.tokens = token_map(config);
    http_options.lockout = config.lockout;
    http_options.supervision = virtual_acd.get();
    http_options.telephony_metrics = [&daemon] {
      const server::SwitchboardStats s = daemon.stats();
      http::TelephonyMetrics m;
      m.applications = s.applications;
      m.slow_consumers = s.slow_consumers;
      for (const auto& r : s.requests) m.requests.push_back({r.type, r.result, r.count});
      const server::ServerIoStats io = daemon.io_stats();
      m.pre_auth_connections = io.pre_auth_connections;
      m.pre_auth_refused = io.pre_auth_refused;
      m.hello_timeouts = io.hello_timeouts;
      m.accept_errors = io.accept_errors;
      m.queued_output_bytes = io.queued_output_bytes;
      m.output_cap_cuts = io.output_cap_cuts;
      m.tls_handshake_failures = io.tls_handshake_failures;
      m.client_queue_overflows = s.client_queue_overflows;
      m.tcp_token_failures = s.tcp_token_failures;
      m.tcp_token_locked_out = s.tcp_token_locked_out;
      return m;
    };
    if (clustered) {
      http_options.cluster = [&cluster_mu, &cluster_status, &reader_for_metrics] {
        std::lock_guard lock(cluster_mu);
        opentapi::http::ClusterStatus c = cluster_status;
        if (reader_for_metrics) {
          const store::EventLogReaderStats r = reader_for_metrics->stats();
          c.reader = true;
          c.reader_ready = r.ready;
          c.reader_applied_seq = r.applied_seq;
          c.reader_lag_seq = r.lag_seq();
          c.reader_lag_seconds = r.lag_seconds;
          c.reader_notifications = r.notifications;
          c.reader_full_loads = r.full_loads;
        }
        return c;
      };
    }
    http_server = std::make_unique<http::HttpServer>(std::move(http_options));
    if (std::string error = http_server->start(); !error.empty()) {
      http_server.reset();
      if (!first || http_option->count() > 0) return error;
      // Only the default address: another opentapid (or anything else) has
      // it; the telephony server works without HTTP.
      spdlog::warn("event=http-off reason=\"{}\" note=\"use --http HOST:PORT to choose another address\"", error);
      http_listen.reset();
      return {};
    }
    // A restart binds the same port, also when port 0 chose it.
    http_listen->port = http_server->port();
    const std::string host =
        http_server->host().find(':') != std::string::npos ? "[" + http_server->host() + "]" : http_server->host();
    const std::string base =
        std::string(http_listen->tls ? "https://" : "http://") + host + ":" + std::to_string(http_server->port()) + "/";
    spdlog::info(
        "event=http-listen host={} port={} url={} wallboard=\"{}?token=<token>\" web_root=\"{}\" "
        "tokens={} acd={} max_queued_frames={}",
        host, http_server->port(), base, base, web_root, config.http_tokens.size(), virtual_acd ? "on" : "off",
        http_max_queued_frames);
    if (first && !std::filesystem::is_directory(web_root)) {
      spdlog::warn("event=web-root-missing path=\"{}\" note=\"static files answer 404\"", web_root);
    }
    return {};
  };
  auto restart_http = [&] {
    if (!http_listen) return;
    if (http_server) http_server->stop();
    http_server.reset();
    if (std::string error = start_http(false); !error.empty()) {
      spdlog::error("event=http-restart-failed error=\"{}\"", error);
    }
  };
  if (http_listen) {
    if (std::string error = start_http(true); !error.empty()) {
      if (virtual_acd) virtual_acd->stop();
      return fail(error);
    }
  }

  // SIGHUP: the certificate files again (renewed certificates must not need
  // a restart). Failing files keep the ones in use.
  auto reload_certificates = [&] {
    if (tls_files.empty()) return;
    std::string error = daemon.reload_tls();
    if (error.empty() && http_server) error = http_server->reload_tls();
    if (!error.empty()) {
      spdlog::error("event=tls-reload-failed error=\"{}\" note=\"the certificate in use is unchanged\"", error);
    } else {
      spdlog::info("event=tls-reloaded cert={} key={} client_ca={}", tls_files.cert, tls_files.key,
                   tls_files.client_ca.empty() ? std::string("none") : tls_files.client_ca);
    }
  };

  // SIGHUP: the configuration file again. Only the HTTP tokens change in a
  // running server (a token rotation must not need a restart that drops
  // every agent's session); anything else is reported, not applied.
  auto reload = [&] {
    namespace daemon = opentapi::daemon;
    daemon::notify("RELOADING=1\nSTATUS=reloading the configuration");
    reload_certificates();
    if (config_path.empty()) {
      spdlog::info("event=reload config=\"built-in demo\" note=\"no --config file: nothing to re-read\"");
    } else if (auto fresh = load_and_check(config_path, first_number, lines, addresses, no_acd); !fresh.ok()) {
      spdlog::error("event=reload-failed config={} error=\"{}\" note=\"the running configuration is unchanged\"",
                    config_path, fresh.status().message());
    } else {
      if (without_tokens(fresh->config) != without_tokens(config)) {
        spdlog::warn(
            "event=reload-restart-needed config={} note=\"changes other than [[http.token]] take effect at the "
            "next start\"",
            config_path);
      }
      config.http_tokens = fresh->config.http_tokens;
      if (http_server) http_server->set_tokens(token_map(config));
      spdlog::info("event=reloaded config={} http_tokens={}", config_path, config.http_tokens.size());
    }
    daemon::notify("READY=1\nSTATUS=serving");
  };

  // ---- the cluster (docs/ha.md "Cluster ownership") ----
  // A standby watches the lease row and takes the call center at the next
  // epoch once the lease is free; only then does it start the ACD. An owner
  // stops serving as soon as its lease is no longer surely its own (not
  // renewed in time, or fenced), before another node can take it over.
  std::optional<store::LeaseWatcher> watcher;
  if (clustered) {
    store::PostgresOptions watch;
    watch.conninfo = location.target;
    watch.call_center = call_center;
    watch.connect_timeout = std::chrono::seconds(5);
    watcher.emplace(std::move(watch));
  }
  // A warm standby (docs/ha.md "Warm standbys") keeps a copy of the call
  // center's records, following the event log on a thread of its own: woken
  // by the owner's NOTIFY after each commit, and every kReaderPoll without
  // one. A takeover stops it, brings the copy up to the lease it just took
  // (nobody else can write any more) and starts the ACD from the copy.
  // --cold-standby: no reader; a takeover loads everything from the store.
  static constexpr std::chrono::milliseconds kReaderPoll{500};
  std::shared_ptr<store::EventLogReader> reader;
  std::thread reader_thread;
  std::atomic<bool> reader_stop{false};
  auto run_reader = [&] {
    if (!clustered || cold_standby || reader_thread.joinable()) return;
    if (!reader) {
      store::PostgresOptions o;
      o.conninfo = location.target;
      o.call_center = call_center;
      o.connect_timeout = std::chrono::seconds(5);
      reader = std::make_shared<store::EventLogReader>(std::move(o));
      std::lock_guard lock(cluster_mu);
      reader_for_metrics = reader;
    }
    reader_stop = false;
    reader_thread = std::thread([&r = *reader, &reader_stop] {
      std::string last_error;
      bool was_ready = r.stats().ready;
      while (!reader_stop) {
        const auto t0 = std::chrono::steady_clock::now();
        const opentapi::core::Status s = r.catch_up();
        if (!s.ok()) {
          if (s.message() != last_error) {
            // No schema version 3 yet: nobody has owned the call center
            // with this version; nothing to follow until somebody does.
            if (s.code() == opentapi::core::ErrorCode::kOperationUnavail) {
              spdlog::info("event=standby-reader-waiting reason=\"{}\"", s.message());
            } else {
              spdlog::warn("event=standby-reader-failed error=\"{}\"", s.message());
            }
            last_error = s.message();
          }
        } else {
          last_error.clear();
          if (!was_ready) {
            const store::EventLogReaderStats st = r.stats();
            spdlog::info(
                "event=standby-warm call_center_records={} seq={} ms={}", st.records, st.applied_seq,
                std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count());
            was_ready = true;
          }
        }
        if (reader_stop) break;
        r.wait(s.ok() ? kReaderPoll : std::chrono::milliseconds(1000));
      }
    });
  };
  auto stop_reader = [&] {
    if (!reader_thread.joinable()) return;
    reader_stop = true;
    reader->wake();
    reader_thread.join();
  };
  auto drop_reader = [&] {
    stop_reader();
    std::lock_guard lock(cluster_mu);
    reader_for_metrics.reset();
    reader.reset();
  };

  std::string last_watch_error;
  std::string last_owner_seen = "?";
  std::chrono::steady_clock::time_point free_since{};
  int takeover_attempts = 0;  // since the lease was last seen held
  auto take_over = [&](const store::LeaseView& view) {
    store_settings.wait_for_lease = std::chrono::milliseconds(0);
    ++takeover_attempts;
    stop_reader();
    const auto opening = std::chrono::steady_clock::now();
    auto opened = store::open_store(location, store_settings);
    if (!opened.ok()) {
      // Another standby was quicker (OTL01), or the database is in trouble.
      if (opened.status().code() != opentapi::core::ErrorCode::kResourceUnavail) {
        spdlog::warn("event=takeover-failed error=\"{}\"", opened.status().message());
      } else if (takeover_attempts == 1) {
        // Usually another standby was quicker; once per free lease, since a
        // database out of resources would repeat it every 100 ms.
        spdlog::info("event=takeover-lost error=\"{}\"", opened.status().message());
      }
      run_reader();
      return;
    }
    acd_store = std::move(*opened);
    replay_source->set(acd_store.get(), config.lines);
    const auto lease = store::postgres_lease_state(*acd_store);
    // The copy, brought up to the lease this node now holds: the old owner
    // is dead or fenced, so it is exactly what the store holds. Without a
    // ready copy (still loading, or the database refused the last round)
    // the ACD loads everything, as a cold standby's does.
    std::optional<std::vector<store::Record>> copy;
    if (reader) {
      const opentapi::core::Status s = reader->catch_up();
      if (s.ok() && reader->stats().ready) {
        const std::vector<std::string> kinds(std::begin(acd::CallCenter::kRecordKinds),
                                             std::end(acd::CallCenter::kRecordKinds));
        const std::uint64_t seq = reader->stats().applied_seq;
        copy = reader->take_records(kinds);
        spdlog::info("event=takeover-warm seq={} records={}", seq, copy->size());
      } else {
        spdlog::warn("event=takeover-cold reason=\"{}\"", s.ok() ? "the copy is not loaded yet" : s.message());
      }
    }
    // The ACD connects to this server like any application: the node serves
    // from here on. Applications that connect before the ACD has registered
    // its lines find no proxy for a moment (LINEERR_OPERATIONUNAVAIL) and try
    // again (docs/ha.md).
    role->set_owner();
    const auto starting = std::chrono::steady_clock::now();
    if (std::string error = start_acd(std::move(copy)); !error.empty()) {
      spdlog::error("event=takeover-failed error=\"{}\" note=\"the lease is handed back\"", error);
      role->set_standby("", "");
      replay_source->set(nullptr, {});
      acd_store.reset();
      run_reader();
      return;
    }
    {
      std::lock_guard lock(cluster_mu);
      cluster_status.owner = true;
      cluster_status.epoch = lease ? lease->epoch : 0;
      cluster_status.owner_node.clear();
      ++cluster_status.takeovers;
    }
    const auto done = std::chrono::steady_clock::now();
    auto ms = [](auto d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); };
    // Where the time went (docs/ha.md "Two faults found by the fault test", item 2): waiting
    // for the lease to be free, opening the store (connect, schema check,
    // the lease at the next epoch), starting the ACD (restore, its lines).
    spdlog::warn(
        "event=takeover call_center={} epoch={} previous_owner=\"{}\" previous_epoch={} ms_since_free={} "
        "free_because={} open_ms={} acd_start_ms={} attempts={}",
        call_center, lease ? lease->epoch : 0, view.owner, view.epoch, ms(done - free_since),
        view.holder_gone ? (view.expired ? "holder-gone,expired" : "holder-gone") : "expired", ms(starting - opening),
        ms(done - starting), takeover_attempts);
    opentapi::daemon::notify("STATUS=owner of call center " + call_center);
    restart_http();
    // Last: freeing what is left of the copy (its index of every record)
    // takes a while, and the node already serves.
    drop_reader();
  };
  auto step_down = [&](const std::string& why) {
    spdlog::error("event=step-down call_center={} reason=\"{}\"", call_center, why);
    role->set_standby("", "");
    {
      std::lock_guard lock(cluster_mu);
      cluster_status.owner = false;
      cluster_status.lease_remaining_s = 0;
      ++cluster_status.step_downs;
    }
    // HTTP first: it uses the ACD.
    if (http_server) http_server->stop();
    http_server.reset();
    if (virtual_acd) virtual_acd->stop();
    virtual_acd.reset();
    daemon.out_of_service("this node no longer owns call center " + call_center + ": " + why);
    replay_source->set(nullptr, {});
    acd_store.reset();
    run_reader();
    opentapi::daemon::notify("STATUS=standby for call center " + call_center);
    restart_http();
  };
  auto cluster_tick = [&] {
    const auto now = std::chrono::steady_clock::now();
    if (acd_store) {
      const auto lease = store::postgres_lease_state(*acd_store);
      if (!lease) return;
      if (lease->out_of_service) return step_down("the store is out of service (fenced)");
      if (now >= lease->valid_until) return step_down("the lease could not be renewed before it expired");
      std::lock_guard lock(cluster_mu);
      cluster_status.lease_remaining_s = std::chrono::duration<double>(lease->valid_until - now).count();
      return;
    }
    auto view = watcher->read();
    if (!view.ok()) {
      if (view.status().message() != last_watch_error) {
        spdlog::warn("event=standby-watch-failed error=\"{}\"", view.status().message());
        last_watch_error = view.status().message();
      }
      return;
    }
    last_watch_error.clear();
    if (!view->free) {
      free_since = {};
      takeover_attempts = 0;
      role->set_standby(view->endpoint, view->owner);
      if (view->owner != last_owner_seen) {
        spdlog::info("event=standby call_center={} owner=\"{}\" endpoint=\"{}\" epoch={}", call_center, view->owner,
                     view->endpoint, view->epoch);
        last_owner_seen = view->owner;
      }
      std::lock_guard lock(cluster_mu);
      cluster_status.owner_node = view->owner;
      cluster_status.epoch = view->epoch;
      return;
    }
    if (free_since == std::chrono::steady_clock::time_point{}) free_since = now;
    role->set_standby("", "");
    {
      std::lock_guard lock(cluster_mu);
      cluster_status.owner_node.clear();
      cluster_status.epoch = view->epoch;
    }
    take_over(*view);
    last_owner_seen = "?";
  };

  if (const std::string error = opentapi::daemon::notify("READY=1\nSTATUS=serving"); !error.empty()) {
    // systemd (Type=notify) will time the start out: say why.
    spdlog::warn("event=notify-failed error=\"{}\"", error);
  }
  if (clustered) {
    spdlog::info("event=standby-start call_center={} advertise={} warm={}", call_center, store_settings.advertise,
                 !cold_standby);
    run_reader();
  }
  // Until SIGTERM/SIGINT: a summary line every --summary-interval seconds
  // (the figures an operator watches until /metrics exists) and, in a
  // cluster, the lease checked every 100 ms.
  constexpr std::chrono::milliseconds kClusterTick{100};
  auto next_summary = std::chrono::steady_clock::now() + std::chrono::seconds(summary_seconds);
  int received = 0;
  for (;;) {
    if (clustered) cluster_tick();
    const auto now = std::chrono::steady_clock::now();
    if (summary_seconds != 0 && now >= next_summary) {
      next_summary = now + std::chrono::seconds(summary_seconds);
      if (virtual_acd) {
        const acd::VirtualAcdStats a = virtual_acd->stats();
        const store::StoreStats st = acd_store->stats();
        spdlog::info(
            "event=summary acd_requests={} acd_changes={} agents={} live_sessions={} calls={} store_commits={} "
            "store_failed={} store_syncs={} store_last_commit_us={} store_max_commit_us={}",
            a.requests, a.changes, a.agents, a.live_sessions, a.calls, st.commits, st.failed_commits, st.syncs,
            st.last_commit_latency_us, st.max_commit_latency_us);
      } else {
        spdlog::info("event=summary acd={}", clustered ? "standby" : "off");
      }
    }
    if (summary_seconds == 0 && !clustered) {
      sigwait(&stop_signals, &received);
    } else {
      std::chrono::nanoseconds wait =
          summary_seconds == 0 ? std::chrono::nanoseconds(kClusterTick) : std::chrono::nanoseconds(next_summary - now);
      if (clustered) wait = std::min<std::chrono::nanoseconds>(wait, kClusterTick);
      if (wait.count() < 0) wait = std::chrono::nanoseconds(0);
      const timespec interval{static_cast<time_t>(wait.count() / 1'000'000'000),
                              static_cast<long>(wait.count() % 1'000'000'000)};
      received = sigtimedwait(&stop_signals, nullptr, &interval);
    }
    if (received == SIGHUP) {
      reload();
      continue;
    }
    if (received > 0) break;
  }
  spdlog::info("event=stopping signal={}", received == SIGTERM ? "SIGTERM" : "SIGINT");
  drop_reader();
  opentapi::daemon::notify("STOPPING=1");
  // HTTP first: it uses the ACD (and drops the answers still on their way).
  if (http_server) http_server->stop();
  http_server.reset();
  // Everything the ACD acknowledged is already durable; stopping it answers
  // what it has received, closes its lines and ends its threads.
  if (virtual_acd) virtual_acd->stop();
  virtual_acd.reset();
  replay_source->set(nullptr, {});
  acd_store.reset();
  daemon.stop();
  server_thread.join();
  spdlog::info("event=stopped");
  return 0;
}
