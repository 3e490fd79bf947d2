#include "store/sqlite/vfs_shim.h"

#include <cstddef>
#include <new>
#include <utility>
#include <vector>

namespace opentapi::store::sqlite {

// Consecutive appends to a write-ahead log not yet handed to the kernel.
struct WalBuffer {
  // SQLite's unix VFS writes at most 128 KiB per call (a larger xWrite comes
  // back short, as SQLITE_FULL): flush before the buffer would pass it.
  static constexpr std::size_t kMaxBytes = 120u << 10;
  std::vector<char> bytes;
  sqlite3_int64 start = 0;  // file offset of bytes[0]
};

// A file of the shim: our header, then (suitably aligned) the base VFS's file.
struct ShimFile {
  sqlite3_file base;  // first member: SQLite sees a ShimFile as a sqlite3_file
  VfsShim* owner;
  WalBuffer* wal;  // write-ahead logs only; owned
};

struct VfsShimAccess {
  static constexpr std::size_t kRealOffset =
      (sizeof(ShimFile) + alignof(std::max_align_t) - 1) / alignof(std::max_align_t) * alignof(std::max_align_t);

  static VfsShim* shim(sqlite3_vfs* vfs) { return static_cast<VfsShim*>(vfs->pAppData); }
  static sqlite3_vfs* base(sqlite3_vfs* vfs) { return shim(vfs)->base_; }
  static sqlite3_file* real(sqlite3_file* f) {
    return reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(f) + kRealOffset);
  }
  static VfsShim* owner(sqlite3_file* f) { return reinterpret_cast<ShimFile*>(f)->owner; }
  static int flag(const std::shared_ptr<std::atomic<int>>& f) { return f ? f->load(std::memory_order_relaxed) : 0; }
  static int injected(sqlite3_file* f) { return flag(owner(f)->fail_writes_); }
  static int injected_sync(sqlite3_file* f) {
    int rc = injected(f);
    return rc != 0 ? rc : flag(owner(f)->fail_syncs_);
  }
  static WalBuffer* wal(sqlite3_file* f) { return reinterpret_cast<ShimFile*>(f)->wal; }
  // Writes the gathered appends, if any: one pwrite().
  static int flush(sqlite3_file* f) {
    WalBuffer* w = wal(f);
    if (w == nullptr || w->bytes.empty()) return SQLITE_OK;
    sqlite3_file* r = real(f);
    owner(f)->wal_writes_.fetch_add(1, std::memory_order_relaxed);
    const int rc = r->pMethods->xWrite(r, w->bytes.data(), static_cast<int>(w->bytes.size()), w->start);
    w->bytes.clear();
    return rc;
  }

  // --- sqlite3_io_methods: forward to the real file --------------------------
  static int Close(sqlite3_file* f) {
    sqlite3_file* r = real(f);
    int rc = r->pMethods ? flush(f) : SQLITE_OK;
    delete wal(f);
    reinterpret_cast<ShimFile*>(f)->wal = nullptr;
    const int closed = r->pMethods ? r->pMethods->xClose(r) : SQLITE_OK;
    return rc != SQLITE_OK ? rc : closed;
  }
  static int Read(sqlite3_file* f, void* buf, int n, sqlite3_int64 off) {
    if (int rc = flush(f); rc != SQLITE_OK) return rc;
    sqlite3_file* r = real(f);
    return r->pMethods->xRead(r, buf, n, off);
  }
  static int Write(sqlite3_file* f, const void* buf, int n, sqlite3_int64 off) {
    if (int rc = injected(f); rc != 0) return rc;
    sqlite3_file* r = real(f);
    WalBuffer* w = wal(f);
    if (w == nullptr) return r->pMethods->xWrite(r, buf, n, off);
    const auto size = static_cast<sqlite3_int64>(w->bytes.size());
    if (w->bytes.empty() || off != w->start + size ||
        w->bytes.size() + static_cast<std::size_t>(n) > WalBuffer::kMaxBytes) {
      if (int rc = flush(f); rc != SQLITE_OK) return rc;
      w->start = off;
    }
    const char* p = static_cast<const char*>(buf);
    try {
      w->bytes.insert(w->bytes.end(), p, p + n);  // unchanged if it throws
    } catch (...) {
      return SQLITE_IOERR_NOMEM;  // no exception into SQLite
    }
    return SQLITE_OK;
  }
  static int Truncate(sqlite3_file* f, sqlite3_int64 size) {
    if (int rc = flush(f); rc != SQLITE_OK) return rc;
    sqlite3_file* r = real(f);
    return r->pMethods->xTruncate(r, size);
  }
  static int Sync(sqlite3_file* f, int flags) {
    owner(f)->syncs_.fetch_add(1, std::memory_order_relaxed);
    if (int rc = flush(f); rc != SQLITE_OK) return rc;
    if (int rc = injected_sync(f); rc != 0) return rc;
    sqlite3_file* r = real(f);
    return r->pMethods->xSync(r, flags);
  }
  static int FileSize(sqlite3_file* f, sqlite3_int64* size) {
    if (int rc = flush(f); rc != SQLITE_OK) return rc;
    sqlite3_file* r = real(f);
    return r->pMethods->xFileSize(r, size);
  }
  static int Lock(sqlite3_file* f, int level) {
    sqlite3_file* r = real(f);
    return r->pMethods->xLock(r, level);
  }
  static int Unlock(sqlite3_file* f, int level) {
    sqlite3_file* r = real(f);
    return r->pMethods->xUnlock(r, level);
  }
  static int CheckReservedLock(sqlite3_file* f, int* out) {
    sqlite3_file* r = real(f);
    return r->pMethods->xCheckReservedLock(r, out);
  }
  static int FileControl(sqlite3_file* f, int op, void* arg) {
    if (int rc = flush(f); rc != SQLITE_OK) return rc;
    sqlite3_file* r = real(f);
    return r->pMethods->xFileControl(r, op, arg);
  }
  static int SectorSize(sqlite3_file* f) {
    sqlite3_file* r = real(f);
    return r->pMethods->xSectorSize(r);
  }
  static int DeviceCharacteristics(sqlite3_file* f) {
    sqlite3_file* r = real(f);
    return r->pMethods->xDeviceCharacteristics(r);
  }
  static int ShmMap(sqlite3_file* f, int page, int page_size, int extend, void volatile** pp) {
    sqlite3_file* r = real(f);
    if (r->pMethods->iVersion < 2) return SQLITE_IOERR;
    return r->pMethods->xShmMap(r, page, page_size, extend, pp);
  }
  static int ShmLock(sqlite3_file* f, int offset, int n, int flags) {
    sqlite3_file* r = real(f);
    if (r->pMethods->iVersion < 2) return SQLITE_IOERR;
    return r->pMethods->xShmLock(r, offset, n, flags);
  }
  static void ShmBarrier(sqlite3_file* f) {
    sqlite3_file* r = real(f);
    if (r->pMethods->iVersion >= 2) r->pMethods->xShmBarrier(r);
  }
  static int ShmUnmap(sqlite3_file* f, int delete_flag) {
    sqlite3_file* r = real(f);
    if (r->pMethods->iVersion < 2) return SQLITE_OK;
    return r->pMethods->xShmUnmap(r, delete_flag);
  }
  static int Fetch(sqlite3_file* f, sqlite3_int64 off, int n, void** pp) {
    if (int rc = flush(f); rc != SQLITE_OK) return rc;
    sqlite3_file* r = real(f);
    if (r->pMethods->iVersion < 3) {
      *pp = nullptr;
      return SQLITE_OK;
    }
    return r->pMethods->xFetch(r, off, n, pp);
  }
  static int Unfetch(sqlite3_file* f, sqlite3_int64 off, void* p) {
    sqlite3_file* r = real(f);
    if (r->pMethods->iVersion < 3) return SQLITE_OK;
    return r->pMethods->xUnfetch(r, off, p);
  }

  static constexpr sqlite3_io_methods kMethods = {
      3,
      Close,
      Read,
      Write,
      Truncate,
      Sync,
      FileSize,
      Lock,
      Unlock,
      CheckReservedLock,
      FileControl,
      SectorSize,
      DeviceCharacteristics,
      ShmMap,
      ShmLock,
      ShmBarrier,
      ShmUnmap,
      Fetch,
      Unfetch,
  };

  // --- sqlite3_vfs: open wraps, everything else forwards ---------------------
  static int Open(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
    auto* file = reinterpret_cast<ShimFile*>(f);
    file->base.pMethods = nullptr;
    file->owner = shim(vfs);
    file->wal = nullptr;
    sqlite3_file* r = real(f);
    r->pMethods = nullptr;
    sqlite3_vfs* b = base(vfs);
    int rc = b->xOpen(b, name, r, flags, out_flags);
    if (rc == SQLITE_OK && (flags & SQLITE_OPEN_WAL) != 0 && shim(vfs)->gather_wal_writes_) {
      file->wal = new (std::nothrow) WalBuffer();  // none: writes go straight through
    }
    // SQLite calls xClose only when pMethods is set; the base VFS may set its
    // own pMethods even on failure, which Close() then honours.
    if (rc == SQLITE_OK || r->pMethods != nullptr) file->base.pMethods = &kMethods;
    return rc;
  }
  static int Delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
    sqlite3_vfs* b = base(vfs);
    return b->xDelete(b, name, sync_dir);
  }
  static int Access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
    sqlite3_vfs* b = base(vfs);
    return b->xAccess(b, name, flags, out);
  }
  static int FullPathname(sqlite3_vfs* vfs, const char* name, int n, char* out) {
    sqlite3_vfs* b = base(vfs);
    return b->xFullPathname(b, name, n, out);
  }
  static void* DlOpen(sqlite3_vfs* vfs, const char* name) {
    sqlite3_vfs* b = base(vfs);
    return b->xDlOpen(b, name);
  }
  static void DlError(sqlite3_vfs* vfs, int n, char* msg) {
    sqlite3_vfs* b = base(vfs);
    b->xDlError(b, n, msg);
  }
  static void (*DlSym(sqlite3_vfs* vfs, void* handle, const char* sym))(void) {
    sqlite3_vfs* b = base(vfs);
    return b->xDlSym(b, handle, sym);
  }
  static void DlClose(sqlite3_vfs* vfs, void* handle) {
    sqlite3_vfs* b = base(vfs);
    b->xDlClose(b, handle);
  }
  static int Randomness(sqlite3_vfs* vfs, int n, char* out) {
    sqlite3_vfs* b = base(vfs);
    return b->xRandomness(b, n, out);
  }
  static int Sleep(sqlite3_vfs* vfs, int us) {
    sqlite3_vfs* b = base(vfs);
    return b->xSleep(b, us);
  }
  static int CurrentTime(sqlite3_vfs* vfs, double* out) {
    sqlite3_vfs* b = base(vfs);
    return b->xCurrentTime(b, out);
  }
  static int GetLastError(sqlite3_vfs* vfs, int n, char* out) {
    sqlite3_vfs* b = base(vfs);
    return b->xGetLastError ? b->xGetLastError(b, n, out) : 0;
  }
  static int CurrentTimeInt64(sqlite3_vfs* vfs, sqlite3_int64* out) {
    sqlite3_vfs* b = base(vfs);
    return b->xCurrentTimeInt64(b, out);
  }
  static int SetSystemCall(sqlite3_vfs* vfs, const char* name, sqlite3_syscall_ptr p) {
    sqlite3_vfs* b = base(vfs);
    return b->xSetSystemCall(b, name, p);
  }
  static sqlite3_syscall_ptr GetSystemCall(sqlite3_vfs* vfs, const char* name) {
    sqlite3_vfs* b = base(vfs);
    return b->xGetSystemCall(b, name);
  }
  static const char* NextSystemCall(sqlite3_vfs* vfs, const char* name) {
    sqlite3_vfs* b = base(vfs);
    return b->xNextSystemCall(b, name);
  }
};

Result<std::unique_ptr<VfsShim>> VfsShim::create(std::shared_ptr<std::atomic<int>> fail_writes,
                                                 std::shared_ptr<std::atomic<int>> fail_syncs, bool gather_wal_writes) {
  static std::atomic<std::uint64_t> next_id{1};
  sqlite3_vfs* base = sqlite3_vfs_find(nullptr);
  if (base == nullptr || base->iVersion < 3) {
    return Status::error(ErrorCode::kOperationFailed, "SQLite has no usable default VFS");
  }
  std::unique_ptr<VfsShim> shim(new VfsShim());
  shim->fail_writes_ = std::move(fail_writes);
  shim->fail_syncs_ = std::move(fail_syncs);
  shim->gather_wal_writes_ = gather_wal_writes;
  shim->base_ = base;
  shim->name_ = "opentapi-" + std::to_string(next_id.fetch_add(1));
  sqlite3_vfs& v = shim->vfs_;
  v.iVersion = 3;
  v.szOsFile = static_cast<int>(VfsShimAccess::kRealOffset) + base->szOsFile;
  v.mxPathname = base->mxPathname;
  v.zName = shim->name_.c_str();
  v.pAppData = shim.get();
  v.xOpen = VfsShimAccess::Open;
  v.xDelete = VfsShimAccess::Delete;
  v.xAccess = VfsShimAccess::Access;
  v.xFullPathname = VfsShimAccess::FullPathname;
  v.xDlOpen = VfsShimAccess::DlOpen;
  v.xDlError = VfsShimAccess::DlError;
  v.xDlSym = VfsShimAccess::DlSym;
  v.xDlClose = VfsShimAccess::DlClose;
  v.xRandomness = VfsShimAccess::Randomness;
  v.xSleep = VfsShimAccess::Sleep;
  v.xCurrentTime = VfsShimAccess::CurrentTime;
  v.xGetLastError = VfsShimAccess::GetLastError;
  v.xCurrentTimeInt64 = VfsShimAccess::CurrentTimeInt64;
  v.xSetSystemCall = VfsShimAccess::SetSystemCall;
  v.xGetSystemCall = VfsShimAccess::GetSystemCall;
  v.xNextSystemCall = VfsShimAccess::NextSystemCall;
  if (int rc = sqlite3_vfs_register(&v, /*makeDflt=*/0); rc != SQLITE_OK) {
    return Status::error(ErrorCode::kOperationFailed, std::string("cannot register SQLite VFS: ") + sqlite3_errstr(rc));
  }
  return shim;
}

VfsShim::~VfsShim() { sqlite3_vfs_unregister(&vfs_); }

}  // namespace opentapi::store::sqlite
