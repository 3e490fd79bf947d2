#include "support/process.h"

#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace opentapi::test_support {
namespace {

using Clock = std::chrono::steady_clock;

int open_output(const std::string& path, bool append) {
  return ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), 0644);
}

}  // namespace

pid_t spawn(const std::vector<std::string>& args, const SpawnOptions& options, int* capture_fd) {
  std::vector<std::string> copy = args;
  std::vector<char*> argv;
  for (auto& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);

  int pipe_fds[2] = {-1, -1};
  if (options.capture != SpawnOptions::Capture::kNone && ::pipe2(pipe_fds, O_CLOEXEC) != 0) return -1;
  std::vector<int> parent_copies;  // closed in the parent after the fork
  int out = -1;
  int err = -1;
  if (!options.stdout_path.empty()) {
    out = open_output(options.stdout_path, options.append);
    parent_copies.push_back(out);
  }
  if (!options.stderr_path.empty()) {
    if (options.stderr_path == options.stdout_path) {
      err = out;
    } else {
      err = open_output(options.stderr_path, options.append);
      parent_copies.push_back(err);
    }
  }
  if (options.capture != SpawnOptions::Capture::kNone) {
    out = pipe_fds[1];
    parent_copies.push_back(pipe_fds[1]);
  }
  if (options.capture == SpawnOptions::Capture::kStdoutAndStderr) err = pipe_fds[1];

  const pid_t pid = ::fork();
  if (pid == 0) {
    if (options.die_with_parent) ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    // dup2 clears close-on-exec on the copies the program keeps.
    if (out >= 0) ::dup2(out, 1);
    if (err >= 0) ::dup2(err, 2);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  for (const int fd : parent_copies) {
    if (fd >= 0) ::close(fd);
  }
  if (capture_fd != nullptr) {
    *capture_fd = pipe_fds[0];
  } else if (pipe_fds[0] >= 0) {
    ::close(pipe_fds[0]);
  }
  return pid;
}

int exit_code(int wait_status) {
  return WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : 128 + WTERMSIG(wait_status);
}

bool try_reap(pid_t pid, int* wait_status) { return ::waitpid(pid, wait_status, WNOHANG) == pid; }

bool reap_within(pid_t pid, std::chrono::milliseconds timeout, int* wait_status) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (try_reap(pid, wait_status)) return true;
    if (Clock::now() > deadline) return false;
    // Fine-grained: the benchmarks time a server's shutdown with this.
    std::this_thread::sleep_for(1ms);
  }
}

int stop(pid_t pid, std::chrono::milliseconds timeout) {
  int status = 0;
  ::kill(pid, SIGTERM);
  if (!reap_within(pid, timeout, &status)) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
  }
  return status;
}

bool can_connect(const std::string& path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_un sa{};
  sa.sun_family = AF_UNIX;
  std::strncpy(sa.sun_path, path.c_str(), sizeof sa.sun_path - 1);
  const bool up = ::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0;
  ::close(fd);
  return up;
}

Startup wait_listening(pid_t pid, const std::string& socket, std::chrono::milliseconds timeout,
                       std::chrono::milliseconds interval, int* wait_status) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (can_connect(socket)) return Startup::kListening;
    int status = 0;
    if (try_reap(pid, &status)) {
      if (wait_status != nullptr) *wait_status = status;
      return Startup::kExited;
    }
    if (Clock::now() > deadline) return Startup::kTimedOut;
    std::this_thread::sleep_for(interval);
  }
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string current_user() {
  const passwd* pw = ::getpwuid(::getuid());
  return pw != nullptr ? pw->pw_name : std::to_string(::getuid());
}

// ---------------------------------------------------------------------------
// Process

Process::Process(std::vector<std::string> argv, SpawnOptions options) {
  pid_ = spawn(argv, options, options.capture == SpawnOptions::Capture::kNone ? nullptr : &out_);
}

Process::~Process() {
  kill_now();
  if (out_ >= 0) ::close(out_);
}

bool Process::running() {
  if (pid_ <= 0) return false;
  int status = 0;
  if (!try_reap(pid_, &status)) return true;
  status_ = exit_code(status);
  pid_ = -1;
  return false;
}

void Process::signal(int sig) {
  if (pid_ > 0) ::kill(pid_, sig);
}

namespace {

// The state letter of /proc/PID/task/TID/stat: after the ")" that ends the
// command name (which may itself hold spaces and parentheses).
char thread_state(const std::string& stat_path) {
  std::ifstream in(stat_path);
  std::string line;
  if (!std::getline(in, line)) return '?';
  const auto close = line.rfind(')');
  if (close == std::string::npos || close + 2 >= line.size()) return '?';
  return line[close + 2];
}

bool all_threads_stopped(pid_t pid) {
  const std::string task_dir = "/proc/" + std::to_string(pid) + "/task";
  std::error_code ec;
  std::filesystem::directory_iterator it(task_dir, ec);
  if (ec) return false;
  bool any = false;
  for (const auto& entry : it) {
    const char state = thread_state(entry.path().string() + "/stat");
    if (state != 'T' && state != 't') return false;
    any = true;
  }
  return any;
}

}  // namespace

bool Process::stop_threads(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return false;
  ::kill(pid_, SIGSTOP);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!all_threads_stopped(pid_)) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

void Process::kill_now() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  status_ = exit_code(status);
  pid_ = -1;
}

int Process::terminate(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  return wait_exit(timeout).value_or(-1);
}

int Process::stop(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return status_;
  ::kill(pid_, SIGTERM);
  if (const auto code = wait_exit(timeout)) return *code;
  kill_now();
  return status_;
}

std::optional<int> Process::wait_exit(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return status_ >= 0 ? std::optional<int>(status_) : std::nullopt;
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    while (out_ >= 0 && !eof_ && read_some(0ms)) {
    }
    if (!running()) break;
    if (Clock::now() > deadline) return std::nullopt;
    if (out_ >= 0 && !eof_) {
      read_some(10ms);
    } else {
      std::this_thread::sleep_for(5ms);
    }
  }
  while (out_ >= 0 && !eof_ && read_some(0ms)) {
  }
  return status_;
}

bool Process::read_some(std::chrono::milliseconds timeout) {
  pollfd p{out_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return false;
  char buf[4096];
  const ssize_t n = ::read(out_, buf, sizeof buf);
  if (n <= 0) {
    eof_ = true;  // the child closed its end (or is gone)
    return false;
  }
  buffer_.append(buf, static_cast<std::size_t>(n));
  all_.append(buf, static_cast<std::size_t>(n));
  return true;
}

std::optional<std::string> Process::wait_line(const std::string& prefix, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    for (std::size_t nl; (nl = buffer_.find('\n')) != std::string::npos;) {
      const std::string line = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      if (line.rfind(prefix, 0) == 0) return line.substr(prefix.size());
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0 || out_ < 0) return std::nullopt;
    if (eof_) {
      // Nothing more will come; a process that closed its output but runs on
      // is waited for until the deadline.
      if (!running()) return std::nullopt;
      std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(left, 5ms));
      continue;
    }
    read_some(left);
  }
}

}  // namespace opentapi::test_support
