// What the process-level tests of opentapid share: a real opentapid started
// with a log file of its own, waited for by its log lines and exit status.
#ifndef OPENTAPI_TOOLS_OPENTAPID_TEST_SUPPORT_H_
#define OPENTAPI_TOOLS_OPENTAPID_TEST_SUPPORT_H_

#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace opentapi::opentapid_testing {

inline std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The test's own OS user, as opentapid reports it.
inline std::string login_name() {
  passwd* pw = ::getpwuid(::getuid());
  return pw ? pw->pw_name : std::to_string(::getuid());
}

// One opentapid (OPENTAPID_BINARY) with `args`, stdout and stderr appended to
// `log`; SIGKILLed at destruction if still running.
class OpentapidProcess {
 public:
  OpentapidProcess(std::vector<std::string> args, std::string log) : log_(std::move(log)) {
    static std::string binary = OPENTAPID_BINARY;
    std::vector<char*> argv;
    argv.push_back(binary.data());
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ == 0) {
      const int fd = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      ::execv(binary.c_str(), argv.data());
      ::_exit(127);
    }
  }
  OpentapidProcess(const OpentapidProcess&) = delete;
  OpentapidProcess& operator=(const OpentapidProcess&) = delete;
  ~OpentapidProcess() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }

  std::string log() const { return slurp(log_); }

  void signal(int sig) { ::kill(pid_, sig); }

  // Waits until `pattern` appears in the log; false after `timeout` or once
  // the process has exited without writing it.
  bool wait_for_log(const std::regex& pattern, std::smatch* match, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      const bool gone = exited();  // before reading: a last line is still seen
      text_ = log();
      std::smatch m;
      if (std::regex_search(text_, m, pattern)) {
        if (match) *match = m;
        return true;
      }
      if (gone) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

  // The exit status (128 + signal if killed), or nullopt if it is still
  // running after `timeout`.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (exited()) return status_;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return std::nullopt;
  }

 private:
  bool exited() {
    if (exited_) return true;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      exited_ = true;
      status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    return exited_;
  }

  std::string log_;
  pid_t pid_ = -1;
  bool exited_ = false;
  int status_ = -1;
  std::string text_;
};

}  // namespace opentapi::opentapid_testing

#endif  // OPENTAPI_TOOLS_OPENTAPID_TEST_SUPPORT_H_
