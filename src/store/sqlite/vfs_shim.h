// VfsShim: a thin SQLite VFS over the platform's default one, registered for
// one store, that counts fsyncs (StoreStats::syncs) and — for tests — fails
// writes and fsyncs on demand (SqliteTestHooks::fail_writes), the way a full
// disk or a broken device would.
//
// Internal to store/sqlite. Thread safety: SQLite calls it from any
// connection's thread; the counters are atomics.
#ifndef OPENTAPI_STORE_SQLITE_VFS_SHIM_H_
#define OPENTAPI_STORE_SQLITE_VFS_SHIM_H_

#include <sqlite3.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "store/store.h"

namespace opentapi::store::sqlite {

class VfsShim {
 public:
  // Registers a new VFS (not the default one) under a unique name.
  // While *fail_writes (may be null) is non-zero, writes and fsyncs fail with
  // that SQLite code; while *fail_syncs is, fsyncs do.
  static Result<std::unique_ptr<VfsShim>> create(std::shared_ptr<std::atomic<int>> fail_writes,
                                                 std::shared_ptr<std::atomic<int>> fail_syncs);

  // Unregisters the VFS. REQUIRES: no connection uses it any more.
  ~VfsShim();
  VfsShim(const VfsShim&) = delete;
  VfsShim& operator=(const VfsShim&) = delete;

  // The name to pass to sqlite3_open_v2().
  const char* name() const { return name_.c_str(); }
  std::uint64_t syncs() const { return syncs_.load(std::memory_order_relaxed); }

 private:
  VfsShim() = default;

  friend struct VfsShimAccess;
  sqlite3_vfs vfs_{};
  sqlite3_vfs* base_ = nullptr;
  std::string name_;
  std::shared_ptr<std::atomic<int>> fail_writes_;
  std::shared_ptr<std::atomic<int>> fail_syncs_;
  std::atomic<std::uint64_t> syncs_{0};
};

}  // namespace opentapi::store::sqlite

#endif  // OPENTAPI_STORE_SQLITE_VFS_SHIM_H_
