// The Store on PostgreSQL (docs/store.md "PostgreSQL"): one call center's
// records and event log in a database that several opentapid nodes may share.
//
// The call center is owned through a lease row (opentapi_call_centers) with
// an epoch, a fencing number: open() takes the lease at the next epoch, and
// every write transaction first locks that row and checks that the epoch is
// still this store's. A store whose lease was taken over cannot write any
// more (it goes out of service), even if it was paused past its lease and
// resumes unaware (docs/ha.md).
//
// One writer thread owns the write connection and sends each group of queued
// commits as one transaction in libpq pipeline mode: one round trip per
// group, with multi-row statements, not one per change. A callback reports
// success only after COMMIT returned, i.e. after the server flushed its WAL
// (and, with a synchronous standby and synchronous_commit=on, after the
// standby has it). Reads use a second connection.
#ifndef OPENTAPI_STORE_POSTGRES_POSTGRES_STORE_H_
#define OPENTAPI_STORE_POSTGRES_POSTGRES_STORE_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "store/store.h"

namespace opentapi::store {

struct PostgresOptions {
  // REQUIRED: a libpq connection string, URI ("postgresql://user@host/db?…")
  // or key=value ("host=/run/postgresql dbname=opentapi"); multi-host lists
  // with target_session_attrs=read-write work as libpq documents.
  std::string conninfo;

  // Which call center (one configuration) this store holds. Several call
  // centers share one database; each has its own lease, records and event
  // log. 1..64 bytes.
  std::string call_center = "default";

  // This node's name in the lease row and in "owned by" messages. Empty:
  // "HOSTNAME pid PID".
  std::string node_name;

  // Where clients reach this node ("tcp:host:port", "unix:/path"), kept in
  // the lease row while it owns the call center so that a standby can name
  // it to the clients it redirects (docs/ha.md). May be empty.
  std::string advertise;

  // How long the lease lasts without renewal. The writer renews it with every
  // write transaction, and every lease/3 when idle. open() takes over a lease
  // that has expired, or whose holder's database connection is gone (its
  // process died), at once.
  std::chrono::milliseconds lease{10000};

  // open() waits up to this long for a lease held by another node to become
  // free (expire, or its holder's connection to go), trying every 50 ms;
  // then it fails with "… is owned by …". 0 = try once.
  std::chrono::milliseconds wait_for_lease{0};

  // The event log (the audit history) keeps entries this long, counted from
  // their time_ms; older ones are removed from the front, so what is kept
  // stays gap-free. 0 = keep everything (as the SQLite store does).
  std::chrono::milliseconds event_log_retention{std::chrono::hours(24 * 7)};
  // How often the writer trims the event log (when retention is set).
  std::chrono::milliseconds retention_check_every{std::chrono::seconds(60)};

  // A database at an older schema version is migrated at open (in one
  // transaction; concurrent nodes take turns). false: refuse it instead, for
  // operators who migrate with one node first.
  bool migrate = true;

  // Group commit, as in SqliteOptions.
  std::size_t max_group_commits = 1024;
  // Gathering a group: right after a transaction, its committers are still
  // reading their answers, so the queue holds few commits; sending those
  // alone would cost a whole transaction (a WAL flush, and with a synchronous
  // standby its round trip too) for a handful of commits, and leave the rest
  // for the next one. So the writer waits, from the end of a group, until as
  // many commits are queued as that group held, or until min(this, half the
  // duration of its transaction) has passed, whichever comes first. A lone
  // committer never waits (one is as many as its last group held), nor does
  // a commit that comes later than that. 0 = send whatever is queued at once.
  std::chrono::microseconds max_gather_wait{5000};
  std::size_t max_group_bytes = 8u << 20;
  std::size_t max_queued_commits = 100000;

  // connect_timeout for libpq when the conninfo does not set one.
  std::chrono::seconds connect_timeout{10};
};

// Opens the store: connects, checks and migrates the schema, takes the
// call center's lease. Errors:
//   kInvalParam        conninfo or call_center empty or malformed
//   kOperationFailed   cannot connect ("cannot connect to PostgreSQL: …"),
//                      other database errors
//   kOperationUnavail  "… has schema version V, newer than this opentapid
//                      supports (S)", or older than it needs when
//                      migrate=false
//   kResourceUnavail   "call center C is owned by NODE (epoch E) …": another
//                      live node holds the lease
Result<std::unique_ptr<Store>> open_postgres_store(const PostgresOptions& options);

// What a node knows about its own lease, for its watchdog and /metrics
// (docs/ha.md "Cluster ownership").
struct LeaseState {
  std::int64_t epoch = 0;
  // Steady-clock time until which the lease is surely this node's: the
  // moment of the last successful renewal's request, plus the lease. The
  // database's own lease_until is later (it counts from when the server ran
  // the renewal), so a node that stops serving at this time stops before
  // any other node can take over.
  std::chrono::steady_clock::time_point valid_until;
  bool out_of_service = false;  // fenced, or otherwise no more writes
};

// The lease state of a store opened by open_postgres_store; nullopt for any
// other store.
std::optional<LeaseState> postgres_lease_state(const Store& store);

// What the lease row of a call center says, as a standby sees it.
struct LeaseView {
  bool exists = false;     // a row: some node has held the call center
  bool free = true;        // no row, lease expired, or its holder's connection is gone
  std::int64_t epoch = 0;  // the epoch of the last holder
  std::string owner;       // its node name
  std::string endpoint;    // its advertised endpoint ("" if none)
  // Why it is free, for the takeover's log: the lease ran out, and/or the
  // holder's database connection is gone (a killed node's).
  bool expired = false;
  bool holder_gone = false;
};

// A standby's view of one call center's lease row, read over its own
// connection (reconnected when lost). Not thread-safe.
class LeaseWatcher {
 public:
  explicit LeaseWatcher(PostgresOptions options);
  ~LeaseWatcher();
  LeaseWatcher(const LeaseWatcher&) = delete;
  LeaseWatcher& operator=(const LeaseWatcher&) = delete;

  // Reads the row now. kOperationFailed when the database cannot be
  // reached; a database without our schema yet reads as no row.
  Result<LeaseView> read();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The schema version this build writes (opentapi_schema.version).
int postgres_schema_version();

}  // namespace opentapi::store

#endif  // OPENTAPI_STORE_POSTGRES_POSTGRES_STORE_H_
