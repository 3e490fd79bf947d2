// The embedded default Store: one SQLite database in WAL mode inside a data
// directory that one opentapid owns (docs/store.md).
//
//   DIR/opentapi.db      the database (plus opentapi.db-wal / -shm while open)
//   DIR/opentapid.lock   flock()ed for the store's lifetime; holds the owner's pid
//
// One writer thread owns the write connection and groups queued commits into
// one transaction (group commit); reads use a second connection.
#ifndef OPENTAPI_STORE_SQLITE_SQLITE_STORE_H_
#define OPENTAPI_STORE_SQLITE_SQLITE_STORE_H_

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "store/store.h"

namespace opentapi::store {

// What survives a commit whose callback reported success.
enum class Durability {
  // synchronous=FULL: the WAL is fsync'd at every commit, so an acknowledged
  // change survives a process crash, a kernel panic and a power loss. Default,
  // and the only mode that meets "acknowledged only after durable".
  kPowerLoss,
  // synchronous=NORMAL: no fsync at commit (only at checkpoints). Survives a
  // process crash, but a power loss may drop the last acknowledged commits.
  // For benchmarks and throw-away test servers only.
  kProcessCrash,
};

// How much to check an existing database at open.
enum class OpenCheck {
  kQuickCheck,  // PRAGMA quick_check: reads every page once (O(size)); default
  kHeaderOnly,  // only that the file is a readable database of ours
};

// Test-only knobs. Never set them in production.
struct SqliteTestHooks {
  // PRAGMA max_page_count on the write connection, to make SQLite itself
  // report SQLITE_FULL ("disk full") once the database would grow past it.
  // 0 = no limit.
  std::uint32_t max_page_count = 0;
  // While *fail_writes holds a non-zero SQLite result code (SQLITE_FULL,
  // SQLITE_IOERR_WRITE, …), every write and fsync of the database and its WAL
  // fails with it — a simulated full disk or broken device. May be flipped
  // at any time from any thread.
  std::shared_ptr<std::atomic<int>> fail_writes;
  // The same for fsync only: writes succeed, the fsync that would make them
  // durable fails (the "in doubt" case of Store::commit).
  std::shared_ptr<std::atomic<int>> fail_syncs;
  // When set, called instead of the fsync of the data directory that makes
  // the rename of a newly created database file durable (docs/store.md
  // "Files and the data directory"), with the directory. Tests count the
  // calls or return an error, which open then fails with.
  std::function<Status(const std::string& dir)> sync_dir;
};

struct SqliteOptions {
  // REQUIRED: the data directory. Created (mode 0700, with missing parents)
  // if it does not exist.
  std::string data_dir;

  Durability durability = Durability::kPowerLoss;
  OpenCheck check_at_open = OpenCheck::kQuickCheck;

  // Group commit: the writer takes at most this many queued commits, or about
  // this many bytes of them (at least one commit), into one transaction.
  std::size_t max_group_commits = 1024;
  std::size_t max_group_bytes = 8u << 20;
  // After taking a group smaller than max_group_commits, wait this long for
  // more commits before writing. 0 (default): never wait — commits that
  // arrive during one fsync form the next group by themselves.
  std::chrono::microseconds max_group_delay{0};

  // More commits than this waiting → further commits fail at once with
  // kResourceUnavail (back-pressure instead of unbounded memory).
  std::size_t max_queued_commits = 100000;

  // How long a connection waits for a database lock (there should be no
  // contention: the lock file keeps other servers out).
  std::chrono::milliseconds busy_timeout{5000};

  // Checkpoint the WAL into the database once it holds this many pages.
  std::uint32_t checkpoint_pages = 1000;

  SqliteTestHooks testing;
};

// Opens (creating if needed) the store in options.data_dir. Errors:
//   kInvalParam        data_dir empty
//   kResourceUnavail   "data directory DIR is in use by another opentapid (pid N)"
//   kOperationFailed   cannot create/open DIR or the database; "database file
//                      DIR/opentapi.db is corrupt: …" (also: truncated, not a
//                      database, not an opentapi database) — the file is
//                      never modified then
//   kOperationUnavail  "… schema version V is newer than this opentapid supports (S)"
Result<std::unique_ptr<Store>> open_sqlite_store(const SqliteOptions& options);

// The schema version this build writes (PRAGMA user_version).
int sqlite_schema_version();

}  // namespace opentapi::store

#endif  // OPENTAPI_STORE_SQLITE_SQLITE_STORE_H_
