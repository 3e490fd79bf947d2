#include "bench_support.h"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <thread>

#include "support/test_ca.h"

namespace opentapi::bench {

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto i = std::min(sorted.size() - 1, static_cast<std::size_t>(p * static_cast<double>(sorted.size())));
  return sorted[i];
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(line.find_first_not_of(' ', colon + 1));
    }
  }
  return "unknown";
}

std::string json_escape(const std::string& s) {
  std::string out;
  for (const char ch : s) {
    if (ch == '"' || ch == '\\') out += '\\';
    if (static_cast<unsigned char>(ch) >= 0x20) out += ch;
  }
  return out;
}

MachineFacts machine_facts() {
  MachineFacts facts;
  facts.cores = std::thread::hardware_concurrency();
  facts.cpu = cpu_model();
  utsname u{};
  if (::uname(&u) == 0) facts.kernel = std::string(u.sysname) + " " + u.release + " " + u.machine;
  return facts;
}

bool is_debug_build() {
#if !defined(NDEBUG) || defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  return true;
#else
  return false;
#endif
}

bool refuse_debug_build(const char* program, bool allow_debug) {
  if (!is_debug_build() || allow_debug) return false;
  std::fprintf(stderr,
               "%s: built without NDEBUG or with sanitizers; its figures would be meaningless.\n"
               "Build the release preset (cmake --preset release) or pass --allow-debug for a smoke run.\n",
               program);
  return true;
}

namespace {

// Read by the signal handlers, hence volatile and plain.
volatile pid_t g_server = 0;
const char* volatile g_time_bound_message = "";

void on_stop_signal(int sig) {
  if (g_server > 0) ::kill(g_server, SIGTERM);
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

void on_time_bound(int) {
  const char* msg = g_time_bound_message;
  [[maybe_unused]] const auto n = ::write(2, msg, std::strlen(msg));
  if (g_server > 0) ::kill(g_server, SIGKILL);
  ::_exit(1);
}

}  // namespace

std::string make_temp_dir(const std::string& prefix) {
  std::string dir = "/tmp/" + prefix + "-XXXXXX";
  if (::mkdtemp(dir.data()) == nullptr) return "";
  return dir;
}

std::string add_network_listener(const std::string& transport, const std::string& dir,
                                 std::vector<std::string>* server_args, std::string* address) {
  if (transport != "tcp" && transport != "tls") return "unknown transport '" + transport + "' (unix, tcp or tls)";
  // A free loopback port: bound to port 0, noted, released for opentapid.
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof sa;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len) != 0) {
    if (fd >= 0) ::close(fd);
    return "no free loopback port";
  }
  const std::string port = std::to_string(ntohs(sa.sin_port));
  ::close(fd);
  constexpr const char* kToken = "bench-token";
  // Every client comes from 127.0.0.1 and starts at once: more than the
  // default 16 per peer address wait for their Hello (TLS handshakes make
  // the wait longer), which is what that limit is for, not what is measured.
  server_args->insert(server_args->end(), {"--listen", transport + ":127.0.0.1:" + port, "--token", kToken,
                                           "--max-pre-auth-per-peer", "100000", "--max-pre-auth", "100000"});
  ::setenv("OPENTAPI_TOKEN", kToken, 1);
  if (transport == "tcp") {
    *address = "tcp:127.0.0.1:" + port;
    return {};
  }
  test_support::TestCa ca(dir, "bench-ca");
  const test_support::TestCa::Issued server = ca.issue("bench-server", "DNS:localhost,IP:127.0.0.1");
  if (!ca.ok()) return "cannot make a test CA: " + ca.error();
  server_args->insert(server_args->end(), {"--tls-cert", server.cert, "--tls-key", server.key});
  ::setenv("OPENTAPI_CA_FILE", ca.ca_file().c_str(), 1);
  *address = "tls:localhost:" + port;
  return {};
}

bool wait_port_accepting(const std::string& address, int attempts, int interval_ms) {
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  sa.sin_port = htons(static_cast<std::uint16_t>(std::stoi(address.substr(address.rfind(':') + 1))));
  for (int i = 0; i < attempts; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const bool ok = fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0;
    if (fd >= 0) ::close(fd);
    if (ok) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(interval_ms));
  }
  return false;
}

bool set_config_lines(std::string& config, int lines) {
  static const std::string kTemplateLines = "\nlines = 2\n";
  const auto at = config.find(kTemplateLines);
  if (at == std::string::npos) return false;
  config.replace(at, kTemplateLines.size(), "\nlines = " + std::to_string(lines) + "\n");
  return true;
}

pid_t spawn_server(const std::vector<std::string>& args, const std::string& stderr_path) {
  test_support::SpawnOptions options;
  options.stderr_path = stderr_path;
  options.append = false;
  options.die_with_parent = true;  // never outlive the benchmark
  const pid_t pid = test_support::spawn(args, options);
  if (pid > 0) g_server = pid;
  return pid;
}

pid_t server_pid() { return g_server; }

void forget_server() { g_server = 0; }

void kill_server() {
  if (g_server > 0) ::kill(g_server, SIGKILL);
}

int stop_server() {
  const pid_t pid = g_server;
  if (pid <= 0) return 0;
  // However long it takes: the benchmarks time the shutdown themselves.
  const int status = test_support::stop(pid, std::chrono::hours(1));
  g_server = 0;
  return status;
}

void stop_server_on_signal() {
  ::signal(SIGINT, on_stop_signal);
  ::signal(SIGTERM, on_stop_signal);
}

void exit_after(unsigned seconds, const char* message) {
  g_time_bound_message = message;
  ::signal(SIGALRM, on_time_bound);
  ::alarm(seconds);
}

void cancel_time_bound() { ::alarm(0); }

Startup wait_listening(pid_t pid, const std::string& socket, int attempts, int interval_ms) {
  const std::chrono::milliseconds interval(interval_ms);
  const Startup startup = test_support::wait_listening(pid, socket, attempts * interval, interval);
  if (startup == Startup::kExited && g_server == pid) g_server = 0;
  return startup;
}

bool raise_open_file_limit(rlimit* limit) {
  ::getrlimit(RLIMIT_NOFILE, limit);
  limit->rlim_cur = limit->rlim_max;
  return ::setrlimit(RLIMIT_NOFILE, limit) == 0;
}

}  // namespace opentapi::bench
