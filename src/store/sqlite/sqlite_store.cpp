// Over 800 lines on purpose: the writer thread, the group commit and the
// crash-safe file handling (create, rename, directory sync, recovery) share
// the one connection and its state; docs/store.md walks through them in the
// order they appear here.

#include "store/sqlite/sqlite_store.h"

#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <filesystem>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "store/sqlite/data_dir.h"
#include "store/sqlite/schema.h"
#include "store/sqlite/sqlite_error.h"
#include "store/sqlite/vfs_shim.h"

namespace opentapi::store {
namespace sqlite {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr const char* kDbFileName = "opentapi.db";
constexpr const char* kNewDbSuffix = ".new";

// A prepared statement, finalized on destruction.
class Stmt {
 public:
  Stmt() = default;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt() { finalize(); }

  void finalize() {
    sqlite3_finalize(stmt_);
    stmt_ = nullptr;
  }

  Status prepare(sqlite3* db, const char* sql) {
    int rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
    if (rc != SQLITE_OK) return sqlite_status(rc, db, "prepare");
    return Status();
  }
  sqlite3_stmt* get() const { return stmt_; }

  void text(int i, std::string_view s) {
    sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
  }
  void blob(int i, std::string_view s) {
    sqlite3_bind_blob(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
  }
  void int64(int i, std::int64_t v) { sqlite3_bind_int64(stmt_, i, v); }

  std::string column_string(int i) const {
    const void* p = sqlite3_column_blob(stmt_, i);
    int n = sqlite3_column_bytes(stmt_, i);
    return p != nullptr ? std::string(static_cast<const char*>(p), static_cast<std::size_t>(n)) : std::string();
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

// Resets a statement (ending its read transaction) and clears its bindings
// when a read or write is over, whatever path it leaves by.
class StmtUse {
 public:
  explicit StmtUse(Stmt& s) : s_(s) {}
  StmtUse(const StmtUse&) = delete;
  StmtUse& operator=(const StmtUse&) = delete;
  ~StmtUse() {
    sqlite3_reset(s_.get());
    sqlite3_clear_bindings(s_.get());
  }

 private:
  Stmt& s_;
};

std::int64_t to_int64(std::uint64_t v) {
  return static_cast<std::int64_t>(
      std::min<std::uint64_t>(v, static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())));
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Status errno_status(const std::string& what, int err) {
  return Status::error(ErrorCode::kOperationFailed, what + ": " + std::strerror(err));
}

Status exec(sqlite3* db, const std::string& sql, std::string_view doing) {
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return sqlite_status(rc, db, doing);
  return Status();
}

// Prefixes a Status with the database file, unless it names it already.
Status about_file(Status s, const std::string& db_path) {
  if (s.ok() || s.message().find(db_path) != std::string::npos) return s;
  constexpr std::string_view kCorrupt = "database file is corrupt: ";
  if (s.message().starts_with(kCorrupt)) {
    return Status::error(s.code(), "database file " + db_path + " is corrupt: " + s.message().substr(kCorrupt.size()));
  }
  return Status::error(s.code(), db_path + ": " + s.message());
}

Status corrupt(const std::string& db_path, const std::string& why) {
  return Status::error(ErrorCode::kOperationFailed,
                       "database file " + db_path + " is corrupt: " + why +
                           "; refusing to open it (it is left untouched: restore a backup, or move "
                           "it away to start with an empty store)");
}

Result<sqlite3*> open_connection(const std::string& path, int flags, const VfsShim& vfs, const SqliteOptions& options) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, vfs.name());
  if (rc != SQLITE_OK) {
    Status s = about_file(sqlite_status(rc, db, "open"), path);
    sqlite3_close(db);
    return s;
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, static_cast<int>(options.busy_timeout.count()));
  return db;
}

// Whether an existing database file is readable and sound. Reads only.
Status check_file(sqlite3* db, const std::string& db_path, OpenCheck check) {
  // Reading the schema makes SQLite read and validate the header (and replay
  // a WAL left by a crash).
  if (Status s = exec(db, "SELECT count(*) FROM sqlite_schema", "read schema"); !s.ok()) {
    if (s.message().starts_with("database file is corrupt: ")) {
      return corrupt(db_path, s.message().substr(std::strlen("database file is corrupt: ")));
    }
    return about_file(s, db_path);
  }
  if (check == OpenCheck::kHeaderOnly) return Status();

  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, "PRAGMA quick_check(5)", -1, &stmt, nullptr);
  if (rc != SQLITE_OK) return about_file(sqlite_status(rc, db, "quick_check"), db_path);
  std::string problems;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    const unsigned char* t = sqlite3_column_text(stmt, 0);
    std::string line = t != nullptr ? reinterpret_cast<const char*>(t) : "";
    if (line == "ok") continue;
    if (!problems.empty()) problems += "; ";
    problems += line;
  }
  Status step = rc == SQLITE_DONE ? Status() : sqlite_status(rc, db, "quick_check");
  sqlite3_finalize(stmt);
  if (!step.ok()) {
    if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB) {
      return corrupt(db_path, sqlite3_errstr(rc));
    }
    return about_file(step, db_path);
  }
  if (!problems.empty()) return corrupt(db_path, problems);
  return Status();
}

Status remove_if_exists(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return errno_status("cannot remove " + path, errno);
  }
  return Status();
}

Result<bool> file_exists(const std::string& path, off_t* size) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return false;
    return errno_status("cannot access " + path, errno);
  }
  if (size != nullptr) *size = st.st_size;
  return true;
}

// A database file shorter than its header says, when no WAL could account
// for the difference: the cheap, clear diagnosis of a truncated copy. (With a
// WAL present, a crash inside a checkpoint can legitimately leave the file
// short; SQLite's own checks and quick_check then decide.)
Status check_length(const std::string& db_path, off_t size) {
  off_t wal_size = 0;
  auto wal = file_exists(db_path + "-wal", &wal_size);
  if (!wal.ok() || (*wal && wal_size > 0)) return Status();
  unsigned char h[100];
  int fd = ::open(db_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno_status("cannot open " + db_path, errno);
  const ssize_t n = ::pread(fd, h, sizeof h, 0);
  ::close(fd);
  if (n != static_cast<ssize_t>(sizeof h) || std::memcmp(h, "SQLite format 3", 16) != 0) {
    return Status();  // not a database at all: SQLite says so
  }
  auto be32 = [&](int at) {
    return std::uint32_t{h[at]} << 24 | std::uint32_t{h[at + 1]} << 16 | std::uint32_t{h[at + 2]} << 8 |
           std::uint32_t{h[at + 3]};
  };
  std::uint64_t page_size = std::uint32_t{h[16]} << 8 | h[17];
  if (page_size == 1) page_size = 65536;
  const std::uint32_t pages = be32(28);
  // The page count in the header is valid only when the change counter and
  // the "version-valid-for" number agree (SQLite file format §1.3.7).
  if (pages == 0 || be32(24) != be32(92)) return Status();
  const std::uint64_t expected = page_size * pages;
  if (static_cast<std::uint64_t>(size) < expected) {
    return corrupt(db_path, "truncated: the file has " + std::to_string(size) + " bytes, its header says " +
                                std::to_string(pages) + " pages of " + std::to_string(page_size) + " bytes (" +
                                std::to_string(expected) + ")");
  }
  return Status();
}

// Creates a new, migrated database at `db_path` without ever leaving a
// half-made file under that name: it is built as DB.new, synced, then renamed
// into place. So an existing opentapi.db is always one we finished, and an
// empty or short one is a damaged file, never a fresh one.
Status create_database(const std::string& dir, const std::string& db_path, const VfsShim& vfs,
                       const SqliteOptions& options) {
  const std::string tmp = db_path + kNewDbSuffix;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    if (Status s = remove_if_exists(tmp + suffix); !s.ok()) return s;
  }
  auto db = open_connection(tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs, options);
  if (!db.ok()) return db.status();
  // Rollback-journal mode while building (every write goes straight into the
  // file); WAL is switched on last, so closing leaves no WAL behind.
  Status s = exec(*db, "PRAGMA synchronous = FULL", "create database");
  if (s.ok()) s = migrate(*db, migrations(), tmp);
  if (s.ok()) s = exec(*db, "PRAGMA journal_mode = WAL", "create database");
  int rc = sqlite3_close(*db);
  if (s.ok() && rc != SQLITE_OK) s = sqlite_status(rc, nullptr, "close new database");
  if (s.ok()) {
    off_t wal_size = 0;
    auto wal = file_exists(tmp + "-wal", &wal_size);
    if (!wal.ok()) {
      s = wal.status();
    } else if (*wal && wal_size > 0) {
      s = Status::error(ErrorCode::kOperationFailed, "new database " + tmp + " kept a WAL file");
    }
  }
  // Private to the server (SQLite gives its -wal and -shm the same mode).
  if (s.ok() && ::chmod(tmp.c_str(), 0600) != 0) s = errno_status("cannot chmod " + tmp, errno);
  if (s.ok()) {
    int fd = ::open(tmp.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) {
      s = errno_status("cannot open " + tmp, errno);
    } else {
      if (::fsync(fd) != 0) s = errno_status("cannot sync " + tmp, errno);
      ::close(fd);
    }
  }
  if (s.ok() && ::rename(tmp.c_str(), db_path.c_str()) != 0) {
    s = errno_status("cannot rename " + tmp + " to " + db_path, errno);
  }
  if (s.ok()) s = options.testing.sync_dir ? options.testing.sync_dir(dir) : sync_dir(dir);
  if (!s.ok()) {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) (void)remove_if_exists(tmp + suffix);
    return about_file(s, db_path);
  }
  (void)remove_if_exists(tmp + "-shm");
  return Status();
}

}  // namespace

class SqliteStore final : public Store {
 public:
  static Result<std::unique_ptr<Store>> open(const SqliteOptions& options);
  ~SqliteStore() override;

  void commit(Batch batch, DurableCallback on_durable) override;
  Status flush() override;
  Result<std::vector<Record>> load(std::string_view kind) override;
  Result<std::optional<Record>> get(std::string_view kind, std::string_view key) override;
  Result<std::vector<AuditEntry>> audit(std::string_view object_kind, std::string_view object_key,
                                        std::uint64_t after_seq, std::size_t limit) override;
  Result<std::uint64_t> last_audit_seq() override;
  StoreStats stats() const override;

 private:
  struct Pending {
    Batch batch;
    DurableCallback on_durable;
    SteadyClock::time_point submitted;
    std::size_t bytes = 0;
    std::uint64_t ticket = 0;
    Status refused;  // set: fails without being written (back-pressure)
  };

  explicit SqliteStore(const SqliteOptions& options) : options_(options) {}
  Status start();
  Status prepare_statements();
  void writer_loop();
  void write_group(std::vector<Pending>& group);
  // Writes `group[i]` for every i with valid[i] in one transaction; fills
  // seqs[i]. Returns the failure and its SQLite code (0 when OK).
  std::pair<Status, int> write_transaction(std::vector<Pending>& group, const std::vector<bool>& valid,
                                           std::vector<std::uint64_t>& seqs);
  void maybe_checkpoint();
  Result<std::vector<AuditEntry>> read_audit(Stmt& stmt, std::size_t limit);
  static int on_wal_commit(void* self, sqlite3*, const char*, int frames);

  const SqliteOptions options_;
  std::string dir_;
  std::string db_path_;
  std::optional<DirLock> lock_;
  std::unique_ptr<VfsShim> vfs_;
  sqlite3* wdb_ = nullptr;  // writer thread only (after start())
  sqlite3* rdb_ = nullptr;  // under read_mu_

  // Writer connection statements.
  Stmt put_, delete_, append_audit_, max_seq_;
  std::uint64_t last_seq_ = 0;  // writer thread: highest seq committed
  int wal_frames_ = 0;          // writer thread: WAL size after the last commit

  // Reader connection statements, under read_mu_.
  std::mutex read_mu_;
  Stmt load_, get_, audit_all_, audit_kind_, audit_object_, read_max_seq_;

  mutable std::mutex mu_;
  std::condition_variable work_cv_;  // writer waits for commits
  std::condition_variable done_cv_;  // flush() waits for the writer
  std::deque<Pending> queue_;
  std::size_t accepted_queued_ = 0;  // queue_ entries that will be written
  std::uint64_t next_ticket_ = 0;    // tickets handed out
  std::uint64_t done_ticket_ = 0;    // every ticket ≤ this has finished
  bool stopping_ = false;
  Status out_of_service_;
  StoreStats stats_;
  std::thread writer_;
};

int SqliteStore::on_wal_commit(void* self, sqlite3*, const char*, int frames) {
  // Replaces SQLite's auto-checkpoint, whose failure would be reported as a
  // failure of the COMMIT that had already succeeded; we checkpoint ourselves.
  static_cast<SqliteStore*>(self)->wal_frames_ = frames;
  return SQLITE_OK;
}

Result<std::unique_ptr<Store>> SqliteStore::open(const SqliteOptions& options) {
  if (options.data_dir.empty()) {
    return Status::error(ErrorCode::kInvalParam, "no data directory given");
  }
  std::unique_ptr<SqliteStore> store(new SqliteStore(options));
  if (Status s = store->start(); !s.ok()) return s;
  return std::unique_ptr<Store>(std::move(store));
}

Status SqliteStore::start() {
  // Absolute, so that every message names the directory unambiguously.
  std::error_code ec;
  const auto absolute = std::filesystem::absolute(options_.data_dir, ec);
  dir_ = ec ? options_.data_dir : absolute.lexically_normal().string();
  while (dir_.size() > 1 && dir_.back() == '/') dir_.pop_back();
  db_path_ = dir_ + "/" + kDbFileName;
  if (Status s = make_dirs(dir_); !s.ok()) return s;
  auto lock = DirLock::acquire(dir_);
  if (!lock.ok()) return lock.status();
  lock_.emplace(std::move(*lock));
  auto vfs = VfsShim::create(options_.testing.fail_writes, options_.testing.fail_syncs,
                             /*gather_wal_writes=*/options_.durability == Durability::kPowerLoss);
  if (!vfs.ok()) return vfs.status();
  vfs_ = std::move(*vfs);

  off_t size = 0;
  auto exists = file_exists(db_path_, &size);
  if (!exists.ok()) return exists.status();
  if (!*exists) {
    off_t wal_size = 0;
    auto wal = file_exists(db_path_ + "-wal", &wal_size);
    if (!wal.ok()) return wal.status();
    if (*wal && wal_size > 0) {
      return Status::error(ErrorCode::kOperationFailed, "database file " + db_path_ +
                                                            " is missing but its write-ahead log " + db_path_ +
                                                            "-wal exists; refusing to start with an empty store");
    }
    (void)remove_if_exists(db_path_ + "-wal");
    (void)remove_if_exists(db_path_ + "-shm");
    if (Status s = create_database(dir_, db_path_, *vfs_, options_); !s.ok()) return s;
  } else if (size < 512) {
    // We never leave a short file under this name (create_database), and the
    // smallest SQLite page is 512 bytes: this file was truncated.
    return corrupt(db_path_, "the file is only " + std::to_string(size) + " bytes long (truncated)");
  } else if (Status s = check_length(db_path_, size); !s.ok()) {
    return s;
  }

  auto wdb = open_connection(db_path_, SQLITE_OPEN_READWRITE, *vfs_, options_);
  if (!wdb.ok()) return wdb.status();
  wdb_ = *wdb;
  if (Status s = check_file(wdb_, db_path_, options_.check_at_open); !s.ok()) return s;

  std::string pragmas = "PRAGMA journal_mode = WAL;";
  pragmas +=
      options_.durability == Durability::kPowerLoss ? "PRAGMA synchronous = FULL;" : "PRAGMA synchronous = NORMAL;";
  pragmas += "PRAGMA foreign_keys = OFF; PRAGMA journal_size_limit = 16777216;";
  if (options_.testing.max_page_count != 0) {
    pragmas += "PRAGMA max_page_count = " + std::to_string(options_.testing.max_page_count) + ";";
  }
  if (Status s = exec(wdb_, pragmas, "configure"); !s.ok()) return about_file(s, db_path_);
  {
    sqlite3_stmt* stmt = nullptr;
    std::string mode;
    if (sqlite3_prepare_v2(wdb_, "PRAGMA journal_mode", -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      mode = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
    if (mode != "wal") {
      return Status::error(ErrorCode::kOperationFailed,
                           "database file " + db_path_ + " cannot be put into WAL mode (" + mode + ")");
    }
  }
  sqlite3_wal_hook(wdb_, &SqliteStore::on_wal_commit, this);
  if (Status s = migrate(wdb_, migrations(), db_path_); !s.ok()) return s;

  auto rdb = open_connection(db_path_, SQLITE_OPEN_READWRITE, *vfs_, options_);
  if (!rdb.ok()) return rdb.status();
  rdb_ = *rdb;
  if (Status s = exec(rdb_, "PRAGMA query_only = 1", "configure reader"); !s.ok()) {
    return about_file(s, db_path_);
  }
  if (Status s = prepare_statements(); !s.ok()) return about_file(s, db_path_);

  {
    StmtUse use(max_seq_);
    int rc = sqlite3_step(max_seq_.get());
    if (rc != SQLITE_ROW) return about_file(sqlite_status(rc, wdb_, "read audit"), db_path_);
    last_seq_ = static_cast<std::uint64_t>(sqlite3_column_int64(max_seq_.get(), 0));
  }
  writer_ = std::thread([this] { writer_loop(); });
  // Named for per-thread profiles (docs/performance.md "Profiling"); it also
  // sends the ACD's durable answers (its commit callbacks).
  ::pthread_setname_np(writer_.native_handle(), "sqlite-writer");
  return Status();
}

Status SqliteStore::prepare_statements() {
  struct {
    Stmt& stmt;
    sqlite3* db;
    const char* sql;
  } const all[] = {
      {put_, wdb_, "INSERT OR REPLACE INTO records (kind, key, value) VALUES (?1, ?2, ?3)"},
      {delete_, wdb_, "DELETE FROM records WHERE kind = ?1 AND key = ?2"},
      {append_audit_, wdb_,
       "INSERT INTO audit (seq, time_ms, actor, object_kind, object_key, from_state, to_state, "
       "what, request_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"},
      {max_seq_, wdb_, "SELECT COALESCE(MAX(seq), 0) FROM audit"},
      {load_, rdb_, "SELECT key, value FROM records WHERE kind = ?1 ORDER BY key"},
      {get_, rdb_, "SELECT value FROM records WHERE kind = ?1 AND key = ?2"},
      {audit_all_, rdb_,
       "SELECT seq, time_ms, actor, object_kind, object_key, from_state, to_state, what, "
       "request_id FROM audit WHERE seq > ?1 ORDER BY seq LIMIT ?2"},
      {audit_kind_, rdb_,
       "SELECT seq, time_ms, actor, object_kind, object_key, from_state, to_state, what, "
       "request_id FROM audit WHERE object_kind = ?3 AND seq > ?1 ORDER BY seq LIMIT ?2"},
      {audit_object_, rdb_,
       "SELECT seq, time_ms, actor, object_kind, object_key, from_state, to_state, what, "
       "request_id FROM audit WHERE object_kind = ?3 AND object_key = ?4 AND seq > ?1 "
       "ORDER BY seq LIMIT ?2"},
      {read_max_seq_, rdb_, "SELECT COALESCE(MAX(seq), 0) FROM audit"},
  };
  for (const auto& s : all) {
    if (Status st = s.stmt.prepare(s.db, s.sql); !st.ok()) return st;
  }
  return Status();
}

SqliteStore::~SqliteStore() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  if (writer_.joinable()) writer_.join();
  // Statements before connections, connections before the VFS, the lock last.
  for (Stmt* s : {&put_, &delete_, &append_audit_, &max_seq_, &load_, &get_, &audit_all_, &audit_kind_, &audit_object_,
                  &read_max_seq_}) {
    s->finalize();
  }
  sqlite3_close(rdb_);
  // The last connection to close checkpoints the WAL into the database.
  sqlite3_close(wdb_);
  vfs_.reset();
  lock_.reset();
}

void SqliteStore::commit(Batch batch, DurableCallback on_durable) {
  Pending p;
  p.bytes = batch_bytes(batch);
  p.batch = std::move(batch);
  p.on_durable = std::move(on_durable);
  p.submitted = SteadyClock::now();
  {
    std::lock_guard lock(mu_);
    p.ticket = ++next_ticket_;
    if (accepted_queued_ >= options_.max_queued_commits) {
      p.refused = Status::error(ErrorCode::kResourceUnavail, "store overloaded: " + std::to_string(accepted_queued_) +
                                                                 " commits already waiting to be written");
      p.batch = Batch();
    } else {
      ++accepted_queued_;
    }
    queue_.push_back(std::move(p));
  }
  work_cv_.notify_one();
}

Status SqliteStore::flush() {
  if (std::this_thread::get_id() == writer_.get_id() || in_commit_callback()) {
    return Status::error(ErrorCode::kOperationFailed, "flush() called from a commit callback would wait for itself");
  }
  std::unique_lock lock(mu_);
  const std::uint64_t ticket = next_ticket_;
  done_cv_.wait(lock, [&] { return done_ticket_ >= ticket; });
  return out_of_service_;
}

void SqliteStore::writer_loop() {
  std::vector<Pending> group;
  for (;;) {
    group.clear();
    {
      std::unique_lock lock(mu_);
      work_cv_.wait(lock, [&] { return !queue_.empty() || stopping_; });
      if (queue_.empty()) return;  // stopping, and everything is done
      std::size_t bytes = 0;
      auto take = [&] {
        while (!queue_.empty() && group.size() < options_.max_group_commits &&
               (group.empty() || bytes + queue_.front().bytes <= options_.max_group_bytes)) {
          bytes += queue_.front().bytes;
          if (queue_.front().refused.ok()) --accepted_queued_;
          group.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
      };
      take();
      if (options_.max_group_delay.count() > 0) {
        const auto deadline = SteadyClock::now() + options_.max_group_delay;
        while (group.size() < options_.max_group_commits && !stopping_ && bytes < options_.max_group_bytes &&
               work_cv_.wait_until(lock, deadline, [&] { return !queue_.empty() || stopping_; })) {
          take();
          if (!queue_.empty()) break;  // the group is full by bytes
        }
      }
    }
    write_group(group);
    {
      std::lock_guard lock(mu_);
      done_ticket_ = group.back().ticket;
    }
    done_cv_.notify_all();
    maybe_checkpoint();
  }
}

void SqliteStore::write_group(std::vector<Pending>& group) {
  const std::size_t n = group.size();
  std::vector<Status> results(n);
  std::vector<bool> valid(n, false);
  std::vector<std::uint64_t> seqs(n, 0);
  Status oos;
  {
    std::lock_guard lock(mu_);
    oos = out_of_service_;
  }
  bool any_valid = false;
  bool any_writes = false;
  for (std::size_t i = 0; i < n; ++i) {
    if (!group[i].refused.ok()) {
      results[i] = group[i].refused;
    } else if (!oos.ok()) {
      results[i] = oos;
    } else if (Status v = validate_batch(group[i].batch); !v.ok()) {
      results[i] = v;
    } else {
      valid[i] = true;
      any_valid = true;
      any_writes = any_writes || !group[i].batch.empty();
    }
  }

  bool txn_ok = false, txn_failed = false;
  if (any_writes) {
    auto [status, rc] = write_transaction(group, valid, seqs);
    if (status.ok()) {
      txn_ok = true;
    } else {
      txn_failed = true;
      for (std::size_t i = 0; i < n; ++i) {
        if (valid[i]) results[i] = status;
      }
      if (is_fatal(rc)) {
        std::lock_guard lock(mu_);
        out_of_service_ = Status::error(ErrorCode::kOperationFailed,
                                        "store is out of service after a failed write (" + status.message() +
                                            "); nothing more is stored until opentapid is restarted");
      }
    }
  } else if (any_valid) {
    // Only empty batches: everything before them is already durable.
    for (std::size_t i = 0; i < n; ++i) {
      if (valid[i]) seqs[i] = last_seq_;
    }
  }

  const auto now = SteadyClock::now();
  {
    std::lock_guard lock(mu_);
    if (txn_ok) {
      ++stats_.transactions;
      stats_.largest_group = std::max<std::uint64_t>(stats_.largest_group, n);
    }
    if (txn_failed) ++stats_.failed_batches;
    for (std::size_t i = 0; i < n; ++i) {
      if (results[i].ok()) {
        ++stats_.commits;
      } else {
        ++stats_.failed_commits;
      }
      const auto us = static_cast<std::uint64_t>(
          std::chrono::duration_cast<std::chrono::microseconds>(now - group[i].submitted).count());
      stats_.last_commit_latency_us = us;
      stats_.max_commit_latency_us = std::max(stats_.max_commit_latency_us, us);
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    invoke(group[i].on_durable, results[i], results[i].ok() ? seqs[i] : 0);
    group[i].on_durable = nullptr;  // release captures now, on this thread
  }
  run_after_group();
}

std::pair<Status, int> SqliteStore::write_transaction(std::vector<Pending>& group, const std::vector<bool>& valid,
                                                      std::vector<std::uint64_t>& seqs) {
  std::size_t count = 0;
  for (bool v : valid) count += v ? 1 : 0;
  const std::string doing = "storing " + std::to_string(count) + " commit(s)";
  auto fail = [&](int rc) -> std::pair<Status, int> {
    Status s = sqlite_status(rc, wdb_, doing);
    // SQLite may already have rolled back (it does for most I/O errors).
    if (!sqlite3_get_autocommit(wdb_)) sqlite3_exec(wdb_, "ROLLBACK", nullptr, nullptr, nullptr);
    return {about_file(std::move(s), db_path_), rc};
  };
  auto step = [&](Stmt& s) {
    int rc = sqlite3_step(s.get());
    sqlite3_reset(s.get());
    return rc;
  };

  int rc = sqlite3_exec(wdb_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return fail(rc);
  // Seqs continue from the table itself, inside the transaction: gapless even
  // if an earlier transaction failed or the process restarted.
  rc = sqlite3_step(max_seq_.get());
  if (rc != SQLITE_ROW) {
    sqlite3_reset(max_seq_.get());
    return fail(rc);
  }
  std::uint64_t seq = static_cast<std::uint64_t>(sqlite3_column_int64(max_seq_.get(), 0));
  sqlite3_reset(max_seq_.get());
  const std::int64_t stamp = now_ms();

  for (std::size_t i = 0; i < group.size(); ++i) {
    if (!valid[i]) continue;
    const Batch& b = group[i].batch;
    for (const RecordKey& d : b.deletes) {
      delete_.text(1, d.kind);
      delete_.text(2, d.key);
      if (rc = step(delete_); rc != SQLITE_DONE) return fail(rc);
    }
    for (const Record& r : b.puts) {
      put_.text(1, r.kind);
      put_.text(2, r.key);
      put_.blob(3, r.value);
      if (rc = step(put_); rc != SQLITE_DONE) return fail(rc);
    }
    for (const AuditEntry& a : b.audit) {
      append_audit_.int64(1, to_int64(++seq));
      append_audit_.int64(2, a.time_ms != 0 ? a.time_ms : stamp);
      append_audit_.text(3, a.actor);
      append_audit_.text(4, a.object_kind);
      append_audit_.text(5, a.object_key);
      append_audit_.int64(6, a.from);
      append_audit_.int64(7, a.to);
      append_audit_.text(8, a.what);
      append_audit_.int64(9, a.request_id);
      if (rc = step(append_audit_); rc != SQLITE_DONE) return fail(rc);
    }
    seqs[i] = seq;
  }
  // With synchronous=FULL the WAL is fsync'd before COMMIT returns.
  rc = sqlite3_exec(wdb_, "COMMIT", nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return fail(rc);
  last_seq_ = seq;
  return {Status(), 0};
}

void SqliteStore::maybe_checkpoint() {
  if (wal_frames_ < static_cast<int>(std::min<std::uint32_t>(options_.checkpoint_pages, 1u << 30))) {
    return;
  }
  {
    std::lock_guard lock(mu_);
    if (!out_of_service_.ok()) return;
  }
  // PASSIVE: never waits for readers. A failure loses nothing (the pages stay
  // in the WAL) and is retried after the next commit.
  int log = 0, done = 0;
  if (sqlite3_wal_checkpoint_v2(wdb_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &done) == SQLITE_OK) {
    wal_frames_ = 0;
  }
}

Result<std::vector<Record>> SqliteStore::load(std::string_view kind) {
  if (kind.empty()) return Status::error(ErrorCode::kInvalParam, "load: empty kind");
  std::lock_guard lock(read_mu_);
  StmtUse use(load_);
  load_.text(1, kind);
  std::vector<Record> out;
  int rc;
  while ((rc = sqlite3_step(load_.get())) == SQLITE_ROW) {
    out.push_back(Record{std::string(kind), load_.column_string(0), load_.column_string(1)});
  }
  if (rc != SQLITE_DONE) {
    return about_file(sqlite_status(rc, rdb_, "load " + std::string(kind)), db_path_);
  }
  return out;
}

Result<std::optional<Record>> SqliteStore::get(std::string_view kind, std::string_view key) {
  if (kind.empty() || key.empty()) {
    return Status::error(ErrorCode::kInvalParam, "get: empty kind or key");
  }
  std::lock_guard lock(read_mu_);
  StmtUse use(get_);
  get_.text(1, kind);
  get_.text(2, key);
  int rc = sqlite3_step(get_.get());
  if (rc == SQLITE_ROW) {
    return std::optional<Record>(Record{std::string(kind), std::string(key), get_.column_string(0)});
  }
  if (rc == SQLITE_DONE) return std::optional<Record>();
  return about_file(sqlite_status(rc, rdb_, "get " + std::string(kind)), db_path_);
}

Result<std::vector<AuditEntry>> SqliteStore::audit(std::string_view object_kind, std::string_view object_key,
                                                   std::uint64_t after_seq, std::size_t limit) {
  if (object_kind.empty() && !object_key.empty()) {
    return Status::error(ErrorCode::kInvalParam, "audit: object key given without object kind");
  }
  limit = std::min(limit, kMaxAuditPage);
  if (limit == 0) return std::vector<AuditEntry>();
  std::lock_guard lock(read_mu_);
  Stmt& stmt = object_kind.empty() ? audit_all_ : object_key.empty() ? audit_kind_ : audit_object_;
  StmtUse use(stmt);
  stmt.int64(1, to_int64(after_seq));
  stmt.int64(2, static_cast<std::int64_t>(limit));
  if (!object_kind.empty()) stmt.text(3, object_kind);
  if (!object_key.empty()) stmt.text(4, object_key);
  return read_audit(stmt, limit);
}

Result<std::vector<AuditEntry>> SqliteStore::read_audit(Stmt& stmt, std::size_t limit) {
  std::vector<AuditEntry> out;
  out.reserve(std::min<std::size_t>(limit, 256));
  sqlite3_stmt* s = stmt.get();
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    AuditEntry e;
    e.seq = static_cast<std::uint64_t>(sqlite3_column_int64(s, 0));
    e.time_ms = sqlite3_column_int64(s, 1);
    e.actor = stmt.column_string(2);
    e.object_kind = stmt.column_string(3);
    e.object_key = stmt.column_string(4);
    e.from = static_cast<std::uint32_t>(sqlite3_column_int64(s, 5));
    e.to = static_cast<std::uint32_t>(sqlite3_column_int64(s, 6));
    e.what = stmt.column_string(7);
    e.request_id = static_cast<std::uint32_t>(sqlite3_column_int64(s, 8));
    out.push_back(std::move(e));
  }
  if (rc != SQLITE_DONE) return about_file(sqlite_status(rc, rdb_, "read audit"), db_path_);
  return out;
}

Result<std::uint64_t> SqliteStore::last_audit_seq() {
  std::lock_guard lock(read_mu_);
  StmtUse use(read_max_seq_);
  int rc = sqlite3_step(read_max_seq_.get());
  if (rc != SQLITE_ROW) return about_file(sqlite_status(rc, rdb_, "read audit"), db_path_);
  return static_cast<std::uint64_t>(sqlite3_column_int64(read_max_seq_.get(), 0));
}

StoreStats SqliteStore::stats() const {
  std::lock_guard lock(mu_);
  StoreStats s = stats_;
  s.syncs = vfs_ ? vfs_->syncs() : 0;
  s.queued = queue_.size();
  s.out_of_service = !out_of_service_.ok();
  return s;
}

}  // namespace sqlite

Result<std::unique_ptr<Store>> open_sqlite_store(const SqliteOptions& options) {
  return sqlite::SqliteStore::open(options);
}

int sqlite_schema_version() { return sqlite::migrations().back().version; }

}  // namespace opentapi::store
