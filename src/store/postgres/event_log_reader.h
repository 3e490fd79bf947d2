// A warm standby's copy of a call center (docs/ha.md "Warm standbys"): the
// records of the PostgreSQL store as of a seq of its event log, kept
// current by following the log, so that a takeover starts the ACD from the
// copy instead of loading every record from the database.
//
// The event log (opentapi_events) says what happened, not every record a
// transaction wrote, and nothing of deletions; the store therefore also
// notes, per key, the last_seq of the last transaction that wrote or
// deleted it (opentapi_changes, schema version 3). One round of the reader
// (catch_up) reads, in one REPEATABLE READ snapshot:
//   * the lease row's last_seq S (the head of the log) and first_seq;
//   * the first time (or when the copy has fallen behind the retained
//     log): every record; otherwise the keys noted at seq >= the copy's seq,
//     with their record or none (deleted) — ">=", because a transaction
//     without events notes the seq of the one before it;
//   * the event-log entries after the last one read (seq and time only:
//     how far behind the copy was, for the metrics);
// and then holds the records as of S. Reads are ordered by seq and the
// snapshot is consistent, so the copy is exactly what a load() of every
// kind would return at that moment.
//
// Woken by the owner's NOTIFY after each commit (payload: the seq; never
// events, see commit_notifier.h) and by a poll, so a lost notification
// (a database failover loses them) only delays it.
//
// Threads: catch_up(), wait(), records() on one thread (the reader's);
// stats() and wake() from any thread.
#ifndef OPENTAPI_STORE_POSTGRES_EVENT_LOG_READER_H_
#define OPENTAPI_STORE_POSTGRES_EVENT_LOG_READER_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "store/postgres/postgres_store.h"
#include "store/store.h"

namespace opentapi::store {

struct EventLogReaderStats {
  bool ready = false;             // the copy holds every record (the first load is done)
  std::uint64_t applied_seq = 0;  // the copy is the store as of this seq
  std::uint64_t head_seq = 0;     // the newest seq known to exist (notifications, reads)
  // Seconds since the copy first missed a seq it now knows of; 0 while it
  // has everything it knows of.
  double lag_seconds = 0;
  std::uint64_t entries = 0;         // event-log entries read
  std::uint64_t records = 0;         // records in the copy
  std::uint64_t catch_ups = 0;       // rounds that read something
  std::uint64_t full_loads = 0;      // rounds that loaded every record
  std::uint64_t notifications = 0;   // NOTIFYs received
  std::int64_t newest_entry_ms = 0;  // time_ms of the newest entry read (0: none)

  std::uint64_t lag_seq() const { return head_seq > applied_seq ? head_seq - applied_seq : 0; }
};

class EventLogReader {
 public:
  // Uses options.conninfo, call_center, connect_timeout.
  explicit EventLogReader(PostgresOptions options);
  ~EventLogReader();
  EventLogReader(const EventLogReader&) = delete;
  EventLogReader& operator=(const EventLogReader&) = delete;

  // One round (above). Connects and LISTENs first if needed. Errors:
  // kOperationFailed (cannot connect, connection lost: the next round
  // reconnects; the copy stays as it was), kOperationUnavail (the database
  // has no schema version 3 yet: nothing to follow until an owner of this
  // version opened it).
  Status catch_up();

  // Waits until a notification for this call center arrives, wake() is
  // called, or `timeout` passes. Notifications that arrived meanwhile
  // count at once.
  void wait(std::chrono::milliseconds timeout);

  // Makes the current or next wait() return at once (any thread).
  void wake();

  // The copy: every record of each of `kinds`, in that order, each kind
  // ordered by key bytewise — what Store::load gives kind by kind.
  // Empty until ready.
  std::vector<Record> records(const std::vector<std::string>& kinds) const;
  // The same, moved out of the copy (at a takeover: no second copy of
  // every record). The copy is empty and not ready afterwards; the next
  // round loads everything.
  std::vector<Record> take_records(const std::vector<std::string>& kinds);

  EventLogReaderStats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace opentapi::store

#endif  // OPENTAPI_STORE_POSTGRES_EVENT_LOG_READER_H_
