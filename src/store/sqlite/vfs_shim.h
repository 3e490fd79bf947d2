// VfsShim: a thin SQLite VFS over the platform's default one, registered for
// one store, that counts fsyncs (StoreStats::syncs) and — for tests — fails
// writes and fsyncs on demand (SqliteTestHooks::fail_writes), the way a full
// disk or a broken device would.
//
// It also gathers the writes to the write-ahead log: SQLite writes every WAL
// frame as two pwrite() calls (its 24-byte header, then the page), so a
// commit group of P pages cost 2P system calls before its fsync. The shim
// keeps consecutive appends in a buffer and writes them with one pwrite()
// before anything that must see them (the fsync, a read, the file's size, a
// truncation, a non-consecutive write, closing) — the same bytes at the same
// offsets, in the same order, before the same fsync; only fewer calls
// (docs/performance.md "Group commit"). Only when every commit fsyncs the
// log (synchronous=FULL): SQLite then publishes frames to other connections
// (the wal-index) only after that fsync, so no reader can look for bytes
// still in the buffer. With synchronous=NORMAL nothing is gathered.
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
  // that SQLite code; while *fail_syncs is, fsyncs do. gather_wal_writes:
  // buffer consecutive WAL appends until the fsync (see above); only for
  // connections with synchronous=FULL.
  static Result<std::unique_ptr<VfsShim>> create(std::shared_ptr<std::atomic<int>> fail_writes,
                                                 std::shared_ptr<std::atomic<int>> fail_syncs,
                                                 bool gather_wal_writes = false);

  // Unregisters the VFS. REQUIRES: no connection uses it any more.
  ~VfsShim();
  VfsShim(const VfsShim&) = delete;
  VfsShim& operator=(const VfsShim&) = delete;

  // The name to pass to sqlite3_open_v2().
  const char* name() const { return name_.c_str(); }
  std::uint64_t syncs() const { return syncs_.load(std::memory_order_relaxed); }
  // pwrite() calls made for the write-ahead log (gathered appends count once).
  std::uint64_t wal_writes() const { return wal_writes_.load(std::memory_order_relaxed); }

 private:
  VfsShim() = default;

  friend struct VfsShimAccess;
  sqlite3_vfs vfs_{};
  sqlite3_vfs* base_ = nullptr;
  std::string name_;
  std::shared_ptr<std::atomic<int>> fail_writes_;
  std::shared_ptr<std::atomic<int>> fail_syncs_;
  bool gather_wal_writes_ = false;
  std::atomic<std::uint64_t> syncs_{0};
  std::atomic<std::uint64_t> wal_writes_{0};
};

}  // namespace opentapi::store::sqlite

#endif  // OPENTAPI_STORE_SQLITE_VFS_SHIM_H_
