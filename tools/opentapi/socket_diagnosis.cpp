#include "socket_diagnosis.h"

#include <grp.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace opentapi::cli {
namespace {

std::string user_name(uid_t uid) {
  const passwd* pw = ::getpwuid(uid);
  return pw != nullptr ? pw->pw_name : std::to_string(uid);
}

std::string group_name(gid_t gid) {
  const group* gr = ::getgrgid(gid);
  return gr != nullptr ? gr->gr_name : std::to_string(gid);
}

std::string owner_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return "an owner that cannot be read";
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
  return user_name(st.st_uid) + ":" + group_name(st.st_gid) + ", mode " + mode;
}

// errno of connect() to the UNIX socket at `path`, 0 if it connects.
int connect_error(const std::string& path) {
  sockaddr_un addr{};
  if (path.size() >= sizeof addr.sun_path) return ENAMETOOLONG;
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return errno;
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  const int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  const int err = rc == 0 ? 0 : errno;
  ::close(fd);
  return err;
}

}  // namespace

std::string permission_problem(const std::string& address) {
  if (address.rfind("unix:", 0) != 0) return {};
  const std::string path = address.substr(5);
  if (connect_error(path) != EACCES) return {};
  const std::string you = user_name(::geteuid());
  // The first directory on the way that may not be searched, else the socket.
  namespace fs = std::filesystem;
  fs::path walked;
  for (const fs::path& part : fs::path(path).parent_path()) {
    walked /= part;
    if (::access(walked.c_str(), X_OK) != 0 && errno == EACCES) {
      return "permission denied on " + path + " (you are " + you + "; the directory " + walked.string() +
             " belongs to " + owner_of(walked.string()) + ")";
    }
  }
  return "permission denied on " + path + " (you are " + you + "; the socket belongs to " + owner_of(path) + ")";
}

}  // namespace opentapi::cli
