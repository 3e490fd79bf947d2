#include "bench_support.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

namespace opentapi::bench {

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto i = std::min(sorted.size() - 1, static_cast<std::size_t>(p * static_cast<double>(sorted.size())));
  return sorted[i];
}

bool can_connect(const std::string& path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_un sa{};
  sa.sun_family = AF_UNIX;
  std::strncpy(sa.sun_path, path.c_str(), sizeof sa.sun_path - 1);
  const bool up = ::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0;
  ::close(fd);
  return up;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
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

bool set_config_lines(std::string& config, int lines) {
  static const std::string kTemplateLines = "\nlines = 2\n";
  const auto at = config.find(kTemplateLines);
  if (at == std::string::npos) return false;
  config.replace(at, kTemplateLines.size(), "\nlines = " + std::to_string(lines) + "\n");
  return true;
}

pid_t spawn_server(const std::vector<std::string>& args, const std::string& stderr_path) {
  // Everything the child needs is prepared before fork: the benchmark may
  // already run threads (libopentapi's receiver), so the child only execs.
  std::vector<std::string> copy = args;
  std::vector<char*> argv;
  for (auto& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);  // never outlive the benchmark
    if (!stderr_path.empty()) {
      const int fd = ::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      if (fd >= 0) ::dup2(fd, 2);
    }
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
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
  int status = 0;
  if (pid <= 0) return status;
  ::kill(pid, SIGTERM);
  ::waitpid(pid, &status, 0);
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
  for (int i = 0; i < attempts && !can_connect(socket); ++i) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      if (g_server == pid) g_server = 0;
      return Startup::exited;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(interval_ms));
  }
  return can_connect(socket) ? Startup::listening : Startup::timed_out;
}

bool raise_open_file_limit(rlimit* limit) {
  ::getrlimit(RLIMIT_NOFILE, limit);
  limit->rlim_cur = limit->rlim_max;
  return ::setrlimit(RLIMIT_NOFILE, limit) == 0;
}

}  // namespace opentapi::bench
