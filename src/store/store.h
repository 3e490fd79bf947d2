// Store: the durable state of the call center — a generic record store plus an
// append-only audit history — behind an interface, so the ACD never knows
// which database holds it (SQLite today, store/sqlite/; PostgreSQL later).
//
// The store does not understand agents, sessions or queues. The ACD encodes
// each object itself and hands the store opaque values filed under
// (kind, key); on restart it loads every record of a kind and rebuilds its
// objects. Every state change also appends an AuditEntry (who, what, from, to,
// when, request id) in the same atomic Batch as the records it changed.
//
// Durability contract ("acknowledged only after durable"): a
// commit's callback reports success only after the batch is on stable storage
// (fsync'd); the ACD answers lineProxyResponse from that callback, never
// before. A batch is atomic: after a crash or a failed commit either all of it
// is visible or none of it.
//
// Errors are opentapi::core::Status / Result<T>, whose codes are LINEERR
// numbers, so the ACD can answer a request with the store's code directly:
//   kResourceUnavail  disk full; data directory locked by another server;
//                     too many commits waiting
//   kOperationFailed  I/O error, corrupt database, store out of service
//   kOperationUnavail database written by a newer opentapid (schema too new)
//   kInvalParam       malformed batch or query (empty kind, key too long, …)
// The message always names the cause ("disk full: …", "database file … is
// corrupt: …"). See docs/store.md.
//
// Thread safety: every method of Store may be called from any thread,
// concurrently — except from inside a commit callback, see commit().
#ifndef OPENTAPI_STORE_STORE_H_
#define OPENTAPI_STORE_STORE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace opentapi::store {

using core::ErrorCode;
using core::Result;
using core::Status;

// Limits on what one record or audit entry may hold; larger → kInvalParam.
inline constexpr std::size_t kMaxKindBytes = 64;
inline constexpr std::size_t kMaxKeyBytes = 1024;
inline constexpr std::size_t kMaxValueBytes = 16u << 20;  // 16 MiB
inline constexpr std::size_t kMaxAuditTextBytes = 4096;   // actor, what

// One durable object. `kind` groups records for load() ("agent", "session",
// "queue", "meta", …); `key` identifies it within its kind; `value` is an
// opaque byte string (may contain NULs) that only the ACD interprets.
// kind and key: 1..kMaxKindBytes / 1..kMaxKeyBytes bytes, compared bytewise.
struct Record {
  std::string kind;
  std::string key;
  std::string value;

  friend bool operator==(const Record&, const Record&) = default;
};

// The identity of a record, for deletes.
struct RecordKey {
  std::string kind;
  std::string key;

  friend bool operator==(const RecordKey&, const RecordKey&) = default;
};

// One line of the append-only audit history: `actor` changed object
// (object_kind, object_key) from state `from` to state `to`; `what` says what
// happened ("SetAgentSessionState", "login", …); `request_id` is the TAPI
// request that caused it (0 for changes the ACD made on its own).
struct AuditEntry {
  // Assigned by the store when the entry is committed: strictly increasing,
  // without gaps, across restarts. Ignored on input.
  std::uint64_t seq = 0;
  // Milliseconds since the Unix epoch, UTC. 0 on input = the store stamps the
  // wall-clock time at which the batch is written.
  std::int64_t time_ms = 0;
  std::string actor;        // 0..kMaxAuditTextBytes bytes
  std::string object_kind;  // 1..kMaxKindBytes bytes
  std::string object_key;   // 1..kMaxKeyBytes bytes
  std::uint32_t from = 0;   // the state DWORDs, as the ACD defines them
  std::uint32_t to = 0;
  std::string what;  // 0..kMaxAuditTextBytes bytes
  std::uint32_t request_id = 0;

  friend bool operator==(const AuditEntry&, const AuditEntry&) = default;
};

// What one commit() writes, atomically. Applied in this order: `deletes`,
// then `puts` (so a batch states the final content: a key in `puts` exists
// afterwards with that value, even if it is also in `deletes`; a later put of
// the same key in one batch wins), then `audit` appended in vector order.
// Deleting a key that does not exist is not an error.
struct Batch {
  std::vector<Record> puts;
  std::vector<RecordKey> deletes;
  std::vector<AuditEntry> audit;

  bool empty() const noexcept { return puts.empty() && deletes.empty() && audit.empty(); }
};

// Counters for /metrics. Monotonic unless noted; read with Store::stats().
struct StoreStats {
  std::uint64_t commits = 0;                 // commit() calls stored durably
  std::uint64_t failed_commits = 0;          // commit() calls whose callback got an error
  std::uint64_t transactions = 0;            // write transactions committed (one per group)
  std::uint64_t failed_batches = 0;          // write transactions rolled back (every commit in it failed)
  std::uint64_t syncs = 0;                   // fsyncs of the database files (commits, checkpoints)
  std::uint64_t largest_group = 0;           // most commits that shared one transaction
  std::uint64_t last_commit_latency_us = 0;  // commit() call → durable, of the latest commit
  std::uint64_t max_commit_latency_us = 0;
  std::uint64_t queued = 0;     // gauge: commits waiting for the writer now
  bool out_of_service = false;  // gauge: commits are refused until restart
};

// Called once per commit, on the store's writer thread, AFTER the batch is
// durable (status OK), or with the error that kept it from being stored
// (then it is not applied — but see "in doubt" at Store::commit). With OK,
// `last_audit_seq` is the seq of the batch's last audit entry: its n entries
// were numbered last_audit_seq-n+1 … last_audit_seq (consecutively). A batch
// without audit entries gets the highest seq in the store at that moment.
// With an error, last_audit_seq is 0.
using DurableCallback = std::function<void(const Status& status, std::uint64_t last_audit_seq)>;

// The contract every store checks before it takes a batch: kinds and keys
// within 1..kMaxKindBytes / 1..kMaxKeyBytes, values within kMaxValueBytes,
// audit text within kMaxAuditTextBytes. kInvalParam ("invalid batch: …")
// names the first field out of bounds.
Status validate_batch(const Batch& b);

// What a queued batch holds in memory, roughly: the stores' queue limits
// count it.
std::size_t batch_bytes(const Batch& b);

class Store {
 public:
  Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Waits for every commit submitted so far to finish (its callback has run),
  // then closes the store and releases the data directory.
  virtual ~Store();

  // Submits `batch` for durable storage and returns at once. `on_durable` is
  // called exactly once, on the writer thread (never inside commit()), after
  // the batch is durable or with the error that kept it from being stored.
  // Commits become durable, and their callbacks run, in the order in which
  // commit() was called; many concurrent commits share one transaction and
  // one fsync (group commit), but each batch succeeds or fails as a whole.
  // A batch that fails validation (kInvalParam) fails alone; a transaction
  // that fails (disk full, I/O error) fails every commit grouped into it.
  // After an error, nothing of the failed batch is visible — except that an
  // I/O error during the final fsync leaves the outcome "in doubt": the batch
  // may or may not appear after a restart (it was never acknowledged).
  // The callback must not throw and must not block for long (it delays every
  // later commit); it may call commit(), stats() and the read methods, but
  // not flush() (which would wait for itself; it returns an error instead).
  // An empty batch is allowed: a durable barrier.
  virtual void commit(Batch batch, DurableCallback on_durable) = 0;

  // Blocks until every commit submitted before this call has finished (been
  // stored, or failed) and its callback has run. Returns OK, or the error
  // that put the store out of service. Per-commit outcomes go to callbacks.
  virtual Status flush() = 0;

  // Every record of `kind`, ordered by key (bytewise). Sees every commit whose
  // callback has reported success. REQUIRES: kind non-empty.
  virtual Result<std::vector<Record>> load(std::string_view kind) = 0;

  // The record (kind, key), or nullopt if there is none.
  virtual Result<std::optional<Record>> get(std::string_view kind, std::string_view key) = 0;

  // Audit entries with seq > after_seq, in increasing seq order, at most
  // `limit` of them (limit is capped at kMaxAuditPage; 0 → empty result).
  // object_kind empty = every object; object_key empty = every object of
  // object_kind. A key without a kind → kInvalParam. Page on with
  // after_seq = the last seq received.
  static constexpr std::size_t kMaxAuditPage = 10000;
  virtual Result<std::vector<AuditEntry>> audit(std::string_view object_kind, std::string_view object_key,
                                                std::uint64_t after_seq, std::size_t limit) = 0;

  // The highest audit seq stored (0 if the history is empty).
  virtual Result<std::uint64_t> last_audit_seq() = 0;

  virtual StoreStats stats() const = 0;

  // Convenience for start-up code and tests: commit() and wait for the
  // callback. Returns its status; *last_audit_seq (if given) gets its seq.
  // From inside a commit callback it would wait for itself: it returns
  // kOperationFailed instead, without committing.
  Status commit_and_wait(Batch batch, std::uint64_t* last_audit_seq = nullptr);

  // From inside a commit callback: runs `fn` on the writer thread once every
  // callback of the current group (the commits that shared one transaction)
  // has run, before the next group is written and before flush() returns for
  // them; functions run in the order given. Lets a user answer a whole group
  // at once (the ACD writes a group's responses together; docs/performance.md
  // step 12). Outside a callback `fn` runs at once. `fn` must not throw.
  static void after_group(std::function<void()> fn);

 protected:
  // Implementations run every DurableCallback through invoke(), so that
  // commit_and_wait() and flush() can refuse to wait inside one.
  static void invoke(const DurableCallback& callback, const Status& status, std::uint64_t last_audit_seq);
  // True while this thread is running a commit callback (of any store).
  static bool in_commit_callback();
  // Implementations call this after the callbacks of each group: runs what
  // after_group() registered.
  static void run_after_group();
};

// Where the store lives when opentapid is given no --data-dir:
// $OPENTAPI_DATA_DIR, else $XDG_DATA_HOME/opentapi (only if absolute, as the
// XDG Base Directory spec requires), else $HOME/.local/share/opentapi.
// kOperationFailed if none of them is set.
Result<std::string> default_data_dir();
// The same, reading variables through `getenv` (for tests).
Result<std::string> default_data_dir(const std::function<const char*(const char*)>& getenv);

}  // namespace opentapi::store

#endif  // OPENTAPI_STORE_STORE_H_
