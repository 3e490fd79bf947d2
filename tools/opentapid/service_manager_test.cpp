// The systemd protocols opentapid speaks without libsystemd: readiness
// datagrams on $NOTIFY_SOCKET and the journal's "<N>" priority prefixes.
#include "service_manager.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <memory>
#include <optional>
#include <regex>
#include <sstream>
#include <string>

#include "support/temp_dir.h"

namespace {

using opentapi::daemon::log_pattern;
using opentapi::daemon::notify;
using opentapi::daemon::stderr_is_journal;
using opentapi::daemon::syslog_priority;

// Sets an environment variable for one test, and puts back what was there.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::optional<std::string>& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) {
      ::setenv(name, value->c_str(), 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// A datagram socket bound like systemd's notification socket.
class Receiver {
 public:
  // `name` starting with '@': the abstract namespace.
  explicit Receiver(const std::string& name) : fd_(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, name.data(), name.size());
    socklen_t length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size());
    if (name.front() == '@') {
      addr.sun_path[0] = '\0';
    } else {
      ++length;
    }
    bound_ = ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), length) == 0;
  }
  ~Receiver() { ::close(fd_); }
  Receiver(const Receiver&) = delete;
  Receiver& operator=(const Receiver&) = delete;

  bool bound() const { return bound_; }

  // The next datagram, or nullopt after 10 s.
  std::optional<std::string> receive() {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 10'000) != 1) return std::nullopt;
    char buf[4096];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n < 0) return std::nullopt;
    return std::string(buf, static_cast<std::size_t>(n));
  }

 private:
  int fd_;
  bool bound_ = false;
};

TEST(Notify, WithoutAServiceManagerDoesNothing) {
  ScopedEnv env("NOTIFY_SOCKET", std::nullopt);
  EXPECT_EQ(notify("READY=1"), "");
}

TEST(Notify, SendsTheStateToAPathSocket) {
  opentapi::test_support::TempDir dir("notify");
  const std::string path = dir.path() + "/notify";
  Receiver receiver(path);
  ASSERT_TRUE(receiver.bound());
  ScopedEnv env("NOTIFY_SOCKET", path);
  EXPECT_EQ(notify("READY=1\nSTATUS=serving"), "");
  EXPECT_EQ(receiver.receive(), "READY=1\nSTATUS=serving");
}

TEST(Notify, SendsTheStateToAnAbstractSocket) {
  const std::string name = "@opentapi-notify-test-" + std::to_string(::getpid());
  Receiver receiver(name);
  ASSERT_TRUE(receiver.bound());
  ScopedEnv env("NOTIFY_SOCKET", name);
  EXPECT_EQ(notify("STOPPING=1"), "");
  EXPECT_EQ(receiver.receive(), "STOPPING=1");
}

TEST(Notify, ReportsASocketNobodyListensOn) {
  opentapi::test_support::TempDir dir("notify");
  ScopedEnv env("NOTIFY_SOCKET", dir.path() + "/nobody");
  const std::string error = notify("READY=1");
  EXPECT_NE(error.find("cannot notify " + dir.path() + "/nobody: "), std::string::npos) << error;
}

TEST(Notify, RefusesAnAddressThatIsNeitherPathNorAbstract) {
  ScopedEnv env("NOTIFY_SOCKET", "vsock:2:1234");
  EXPECT_EQ(notify("READY=1"), "NOTIFY_SOCKET is neither a path nor an abstract name");
}

std::string stderr_identity() {
  struct stat st {};
  EXPECT_EQ(::fstat(STDERR_FILENO, &st), 0);
  return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
}

TEST(Journal, IsStderrOnlyWhenJournalStreamNamesThatFile) {
  {
    ScopedEnv env("JOURNAL_STREAM", stderr_identity());
    EXPECT_TRUE(stderr_is_journal());
  }
  {
    ScopedEnv env("JOURNAL_STREAM", std::nullopt);
    EXPECT_FALSE(stderr_is_journal());
  }
  {
    // Inherited by a child whose stderr went elsewhere.
    ScopedEnv env("JOURNAL_STREAM", "1:2");
    EXPECT_FALSE(stderr_is_journal());
  }
  for (const char* malformed : {"", "12", "12:", ":34", "x:y", "12:34:56"}) {
    ScopedEnv env("JOURNAL_STREAM", std::string(malformed));
    EXPECT_FALSE(stderr_is_journal()) << malformed;
  }
}

TEST(Journal, PrioritiesAreSdDaemons) {
  EXPECT_EQ(syslog_priority(spdlog::level::trace), 7);
  EXPECT_EQ(syslog_priority(spdlog::level::debug), 7);
  EXPECT_EQ(syslog_priority(spdlog::level::info), 6);
  EXPECT_EQ(syslog_priority(spdlog::level::warn), 4);
  EXPECT_EQ(syslog_priority(spdlog::level::err), 3);
  EXPECT_EQ(syslog_priority(spdlog::level::critical), 2);
}

// What a logger with opentapid's pattern writes.
std::string formatted(bool journal, spdlog::level::level_enum level, const std::string& text) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  auto logger = std::make_shared<spdlog::logger>("service-manager-test", sink);
  spdlog::register_logger(logger);
  opentapi::daemon::install_log_pattern(log_pattern(journal));
  logger->log(level, text);
  spdlog::drop("service-manager-test");
  return out.str();
}

TEST(Journal, LinesForTheJournalHaveAPriorityAndNoTimestamp) {
  EXPECT_EQ(formatted(true, spdlog::level::warn, "event=http-off"), "<4>warning event=http-off\n");
  EXPECT_EQ(formatted(true, spdlog::level::info, "event=started"), "<6>info event=started\n");
  EXPECT_EQ(formatted(true, spdlog::level::err, "event=reload-failed"), "<3>error event=reload-failed\n");
}

TEST(Journal, OtherLinesHaveATimestampAndNoPriority) {
  const std::string line = formatted(false, spdlog::level::warn, "event=http-off");
  EXPECT_TRUE(std::regex_match(
      line, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d warning event=http-off\n)")))
      << line;
}

}  // namespace
