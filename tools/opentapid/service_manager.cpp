#include "service_manager.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace opentapi::daemon {
namespace {

// "<N>" before the line: journald takes N as the priority and strips it.
class PriorityFlag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    const char text[] = {'<', static_cast<char>('0' + syslog_priority(msg.level)), '>'};
    dest.append(text, text + sizeof text);
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<PriorityFlag>(); }
};

template <typename T>
bool parse_number(std::string_view text, T& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && !text.empty();
}

}  // namespace

std::string notify(std::string_view state) {
  const char* path = std::getenv("NOTIFY_SOCKET");
  if (path == nullptr || *path == '\0') return {};
  const std::string_view where(path);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (where.size() >= sizeof addr.sun_path) return "NOTIFY_SOCKET is too long";
  if (where.front() != '/' && where.front() != '@') return "NOTIFY_SOCKET is neither a path nor an abstract name";
  std::memcpy(addr.sun_path, where.data(), where.size());
  // "@name" is the abstract namespace: a leading NUL, no terminator.
  if (where.front() == '@') addr.sun_path[0] = '\0';
  const socklen_t length =
      static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + where.size() + (where.front() == '@' ? 0 : 1));
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return std::string("socket: ") + std::strerror(errno);
  const ssize_t sent =
      ::sendto(fd, state.data(), state.size(), MSG_NOSIGNAL, reinterpret_cast<const sockaddr*>(&addr), length);
  const int error = errno;
  ::close(fd);
  if (sent < 0) return "cannot notify " + std::string(where) + ": " + std::strerror(error);
  return {};
}

bool stderr_is_journal() {
  const char* value = std::getenv("JOURNAL_STREAM");
  if (value == nullptr) return false;
  const std::string_view text(value);
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos) return false;
  unsigned long long device = 0;
  unsigned long long inode = 0;
  if (!parse_number(text.substr(0, colon), device) || !parse_number(text.substr(colon + 1), inode)) return false;
  struct stat st {};
  if (::fstat(STDERR_FILENO, &st) != 0) return false;
  return static_cast<unsigned long long>(st.st_dev) == device && static_cast<unsigned long long>(st.st_ino) == inode;
}

int syslog_priority(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug:
      return 7;
    case spdlog::level::info:
      return 6;
    case spdlog::level::warn:
      return 4;
    case spdlog::level::err:
      return 3;
    case spdlog::level::critical:
      return 2;
    case spdlog::level::off:
    case spdlog::level::n_levels:
      break;
  }
  return 6;
}

std::string log_pattern(bool journal) { return journal ? "%*%l %v" : "%Y-%m-%dT%H:%M:%S.%e%z %l %v"; }

void install_log_pattern(const std::string& pattern) {
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  formatter->add_flag<PriorityFlag>('*').set_pattern(pattern);
  spdlog::set_formatter(std::move(formatter));
}

}  // namespace opentapi::daemon
