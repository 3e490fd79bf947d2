// opentapid: the opentapi telephony server (the role of TAPISRV). Parses the
// command line, sets up logging and runs the server until SIGTERM/SIGINT.
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "proto/address.h"
#include "proto/framing.h"
#include "server/server.h"

namespace {

constexpr const char* kFooter = R"(Addresses:
  unix:PATH        UNIX-domain socket. Clients are identified by the kernel
                   (SO_PEERCRED): their login name is what proxies see.
  tcp:HOST:PORT    TCP, e.g. tcp:127.0.0.1:4610 or tcp:[::1]:4610; tcp:PORT
                   means the loopback interface. Requires --token: clients
                   must present it. Traffic is not encrypted.

Default listen address: unix:$XDG_RUNTIME_DIR/opentapi/opentapid.sock, or
unix:/tmp/opentapi-<uid>/opentapid.sock when XDG_RUNTIME_DIR is unset; its
directory is created with mode 0700.

Clients (libopentapi) connect to the address in the OPENTAPI_SERVER
environment variable (same syntax, e.g. OPENTAPI_SERVER=unix:/run/opentapid.sock),
or to the default address when it is unset.

A socket file left by a dead server is replaced; a socket with a live server
behind it makes opentapid refuse to start. SIGTERM or SIGINT stop the server
cleanly: listeners close, socket files are removed, exit status 0.)";

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

  app.add_option("--listen", listen,
                 "Address to listen on: unix:PATH or tcp:HOST:PORT. Repeatable. Default: the default UNIX socket "
                 "(see below)")
      ->type_name("ADDRESS");
  app.add_option("--lines", lines, "Number of line devices offered (device ids 0..N-1)")
      ->check(CLI::Range(1u, 1000000u))
      ->capture_default_str();
  app.add_option("--addresses", addresses, "Addresses per line device")
      ->check(CLI::Range(1u, 65536u))
      ->capture_default_str();
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
  app.set_version_flag("--version", "opentapid " OPENTAPI_VERSION " (wire protocol " +
                                        std::to_string(proto::kProtocolVersion) + ")");
  app.footer(kFooter);
  CLI11_PARSE(app, argc, argv);

  auto logger = spdlog::stderr_logger_mt("opentapid");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %l %v");
  logger->set_level(parse_level(log_level));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);

  server::ServerOptions options;
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
    options.listen.push_back(l);
  }
  options.max_queue_bytes = max_queue_bytes;
  options.switchboard.devices = server::LineDevices::uniform(lines, addresses);
  options.switchboard.tcp_token = token;
  options.switchboard.server_version = OPENTAPI_VERSION;

  server::Server daemon(std::move(options));
  if (const std::string error = daemon.start(); !error.empty()) {
    spdlog::error("{}", error);
    return 1;
  }
  spdlog::info("event=started version={} lines={} addresses={} pid={}", OPENTAPI_VERSION, lines, addresses,
               static_cast<long>(::getpid()));
  daemon.run();
  spdlog::info("event=stopped");
  return 0;
}
