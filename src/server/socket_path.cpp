#include "server/socket_path.h"

#include <errno.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

namespace opentapi::server {
namespace {

std::string errno_text(int err) { return std::strerror(err); }

PathCheck fail(std::string message) {
  PathCheck c;
  c.error = std::move(message);
  return c;
}

PathCheck ok() {
  PathCheck c;
  c.ok = true;
  return c;
}

std::string parent_of(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// 1: something accepts on `path`; 0: refused (stale); -1: cannot tell (errno in *err).
int probe(const std::string& path, int* err) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    *err = errno;
    return -1;
  }
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), std::min(path.size(), sizeof addr.sun_path - 1));
  const int rc = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
  const int e = errno;
  ::close(fd);
  if (rc == 0) return 1;
  // EAGAIN: the listener's backlog is full, so someone is listening.
  if (e == EAGAIN) return 1;
  if (e == ECONNREFUSED) return 0;
  *err = e;
  return -1;
}

}  // namespace

PathCheck make_private_directory(const std::string& path) {
  const std::string dir = parent_of(path);
  if (::mkdir(dir.c_str(), 0700) == 0) return ok();
  if (errno != EEXIST) return fail("cannot create directory " + dir + ": " + errno_text(errno));
  struct stat st {};
  if (::lstat(dir.c_str(), &st) != 0) return fail("cannot inspect " + dir + ": " + errno_text(errno));
  if (!S_ISDIR(st.st_mode)) return fail(dir + " exists and is not a directory (a symlink is not accepted either)");
  if (st.st_uid != ::geteuid()) {
    return fail("directory " + dir + " belongs to uid " + std::to_string(st.st_uid) +
                ", not to this user; refusing to put the server socket there");
  }
  if ((st.st_mode & 077) != 0 && ::chmod(dir.c_str(), 0700) != 0) {
    return fail("cannot make " + dir + " private (mode 0700): " + errno_text(errno));
  }
  return ok();
}

PathCheck prepare_socket_path(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return ok();
    return fail("cannot inspect " + path + ": " + errno_text(errno));
  }
  if (!S_ISSOCK(st.st_mode)) return fail(path + " exists and is not a socket; refusing to replace it");
  int err = 0;
  switch (probe(path, &err)) {
    case 1:
      return fail("another server is already listening on " + path +
                  " (stop it first, or choose another path with --listen unix:PATH)");
    case 0:
      break;
    default:
      return fail("cannot tell whether a server listens on " + path + ": " + errno_text(err));
  }
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return fail("cannot remove the stale socket " + path + ": " + errno_text(errno));
  }
  PathCheck c = ok();
  c.removed_stale = true;
  return c;
}

FileIdentity file_identity(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return {};
  return FileIdentity{st.st_dev, st.st_ino, true};
}

bool remove_if_same(const std::string& path, const FileIdentity& id) {
  if (!id.valid) return false;
  const FileIdentity now = file_identity(path);
  if (!now.valid || now.dev != id.dev || now.ino != id.ino) return false;
  return ::unlink(path.c_str()) == 0;
}

}  // namespace opentapi::server
