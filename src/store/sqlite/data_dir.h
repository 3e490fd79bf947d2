// The data directory of the SQLite store: creating it, and the lock file that
// keeps two servers out of one directory.
//
// DirLock holds flock(LOCK_EX|LOCK_NB) on DIR/opentapid.lock for its lifetime
// and writes the holder's pid into the file, so a second server is refused
// with the directory and the other pid. flock locks belong to the open file
// description: a second acquire of the same directory fails even inside one
// process, and the kernel releases the lock when the holder dies (no stale
// locks after a crash). The file is never deleted (deleting would race with
// the next holder).
//
// Internal to store/sqlite.
#ifndef OPENTAPI_STORE_SQLITE_DATA_DIR_H_
#define OPENTAPI_STORE_SQLITE_DATA_DIR_H_

#include <string>

#include "store/store.h"

namespace opentapi::store::sqlite {

inline constexpr const char* kLockFileName = "opentapid.lock";

// Creates `dir` and missing parents with mode 0700; OK if it exists as a
// directory.
Status make_dirs(const std::string& dir);

// fsync of a directory, so a rename or create inside it is durable.
Status sync_dir(const std::string& dir);

class DirLock {
 public:
  // kResourceUnavail "data directory DIR is in use by another opentapid (pid N)"
  // when held elsewhere; kOperationFailed when the file cannot be opened.
  static Result<DirLock> acquire(const std::string& dir);

  DirLock(DirLock&& other) noexcept;
  DirLock& operator=(DirLock&& other) noexcept;
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;
  ~DirLock();  // releases the lock

 private:
  explicit DirLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace opentapi::store::sqlite

#endif  // OPENTAPI_STORE_SQLITE_DATA_DIR_H_
