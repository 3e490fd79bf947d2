#include "store/sqlite/data_dir.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>
#include <utility>

namespace opentapi::store::sqlite {
namespace {

Status errno_status(std::string_view what, const std::string& path, int err) {
  return Status::error(ErrorCode::kOperationFailed, std::string(what) + " " + path + ": " + std::strerror(err));
}

}  // namespace

Status make_dirs(const std::string& dir) {
  if (dir.empty()) return Status::error(ErrorCode::kInvalParam, "empty data directory");
  // Create each missing component in turn; an existing one is left as it is.
  for (std::size_t pos = dir.find('/', 1);; pos = dir.find('/', pos + 1)) {
    const std::string part = dir.substr(0, pos);
    if (!part.empty() && ::mkdir(part.c_str(), 0700) != 0 && errno != EEXIST) {
      return errno_status("cannot create data directory", part, errno);
    }
    if (pos == std::string::npos) break;
  }
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) return errno_status("cannot access data directory", dir, errno);
  if (!S_ISDIR(st.st_mode)) {
    return Status::error(ErrorCode::kOperationFailed, "data directory " + dir + " exists but is not a directory");
  }
  return Status();
}

Status sync_dir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errno_status("cannot open directory", dir, errno);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return errno_status("cannot sync directory", dir, err);
  return Status();
}

Result<DirLock> DirLock::acquire(const std::string& dir) {
  const std::string path = dir + "/" + kLockFileName;
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return errno_status("cannot open lock file", path, errno);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    std::string holder;
    if (err == EWOULDBLOCK) {
      char buf[32] = {};
      ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
      for (ssize_t i = 0; i < n && buf[i] >= '0' && buf[i] <= '9'; ++i) holder += buf[i];
    }
    ::close(fd);
    if (err != EWOULDBLOCK) return errno_status("cannot lock", path, err);
    return Status::error(ErrorCode::kResourceUnavail,
                         "data directory " + dir + " is in use by another opentapid (pid " +
                             (holder.empty() ? std::string("unknown") : holder) + "; lock file " + path + ")");
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    // The lock itself is what matters; the pid is for the error message only.
  }
  return DirLock(fd);
}

DirLock::DirLock(DirLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

DirLock& DirLock::operator=(DirLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

DirLock::~DirLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the flock
}

}  // namespace opentapi::store::sqlite
