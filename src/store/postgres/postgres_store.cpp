// Over 800 lines on purpose: the pipeline-mode group commit, the lease with
// its epoch check and the event log all run on the one connection of the
// writer thread and must agree on its state; docs/store.md describes them in
// the order they appear here.

#include "store/postgres/postgres_store.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "store/postgres/commit_notifier.h"
#include "store/postgres/pg_util.h"
#include "store/postgres/schema.h"

namespace opentapi::store {
namespace postgres {
namespace {

using SteadyClock = std::chrono::steady_clock;

// Rows the retention trim removes per transaction, so that it never holds the
// owner's row lock for long.
constexpr std::int64_t kTrimBatch = 10000;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string default_node_name() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string(host[0] != '\0' ? host : "localhost") + " pid " + std::to_string(::getpid());
}

// Prepared statements of the write connection.
constexpr const char* kClaim = "claim";
constexpr const char* kAppend = "append";
constexpr const char* kDelete = "delete";
constexpr const char* kPut = "put";
constexpr const char* kNoteChanges = "note_changes";
constexpr const char* kReattach = "reattach";
constexpr const char* kTrim = "trim";
constexpr const char* kRelease = "release";

// … and of the read connection.
constexpr const char* kLoad = "load";
constexpr const char* kGet = "get";
constexpr const char* kAuditAll = "audit_all";
constexpr const char* kAuditKind = "audit_kind";
constexpr const char* kAuditObject = "audit_object";
constexpr const char* kLastSeq = "last_seq";

constexpr const char* kEventColumns =
    "seq, time_ms, actor, object_kind, object_key, from_state, to_state, what, request_id";

struct Statement {
  const char* name;
  std::string sql;
};

const std::vector<Statement>& write_statements() {
  static const std::vector<Statement> kAll = {
      {kClaim, "SELECT opentapi_claim($1::text, $2::bigint, $3::bigint, $4::bigint)"},
      // Numbered from the lease row that opentapi_claim just advanced under
      // its lock, in this transaction: last_seq - n + 1 … last_seq.
      {kAppend,
       "INSERT INTO opentapi_events (call_center, " + std::string(kEventColumns) +
           ", epoch) SELECT $1::text, c.last_seq - $2::bigint + u.n, u.t, u.a, u.ok, u.okey, u.f, u.tt, u.w, u.r, "
           "c.epoch "
           "FROM opentapi_call_centers c, unnest($3::bigint[], $4::bytea[], $5::bytea[], $6::bytea[], $7::bigint[], "
           "$8::bigint[], $9::bytea[], $10::bigint[]) WITH ORDINALITY AS u(t, a, ok, okey, f, tt, w, r, n) "
           "WHERE c.name = $1::text"},
      {kDelete,
       "DELETE FROM opentapi_records r USING unnest($2::bytea[], $3::bytea[]) AS d(kind, key) "
       "WHERE r.call_center = $1::text AND r.kind = d.kind AND r.key = d.key"},
      {kPut,
       "INSERT INTO opentapi_records (call_center, kind, key, value) "
       "SELECT $1::text, u.kind, u.key, u.value FROM unnest($2::bytea[], $3::bytea[], $4::bytea[]) AS u(kind, key, "
       "value) ON CONFLICT (call_center, kind, key) DO UPDATE SET value = EXCLUDED.value"},
      // Every key the transaction wrote or deleted, with the last_seq that
      // opentapi_claim set in it (schema version 3: warm standbys).
      {kNoteChanges,
       "INSERT INTO opentapi_changes (call_center, kind, key, seq) "
       "SELECT $1::text, u.kind, u.key, c.last_seq FROM opentapi_call_centers c, "
       "unnest($2::bytea[], $3::bytea[]) AS u(kind, key) WHERE c.name = $1::text "
       "ON CONFLICT (call_center, kind, key) DO UPDATE SET seq = EXCLUDED.seq"},
      {kReattach, "SELECT opentapi_reattach($1::text, $2::bigint, $3::bigint)"},
      {kTrim, "SELECT opentapi_trim($1::text, $2::bigint, $3::bigint, $4::bigint, $5::bigint)"},
      {kRelease,
       "UPDATE opentapi_call_centers SET lease_until = clock_timestamp() WHERE name = $1::text AND epoch = $2::bigint"},
  };
  return kAll;
}

const std::vector<Statement>& read_statements() {
  static const std::vector<Statement> kAll = {
      {kLoad, "SELECT key, value FROM opentapi_records WHERE call_center = $1::text AND kind = $2::bytea ORDER BY key"},
      {kGet,
       "SELECT value FROM opentapi_records WHERE call_center = $1::text AND kind = $2::bytea AND key = $3::bytea"},
      {kAuditAll, "SELECT " + std::string(kEventColumns) +
                      " FROM opentapi_events WHERE call_center = $1::text AND seq > $2::bigint ORDER BY seq "
                      "LIMIT $3::bigint"},
      {kAuditKind, "SELECT " + std::string(kEventColumns) +
                       " FROM opentapi_events WHERE call_center = $1::text AND object_kind = $4::bytea AND seq > "
                       "$2::bigint ORDER BY seq LIMIT $3::bigint"},
      {kAuditObject, "SELECT " + std::string(kEventColumns) +
                         " FROM opentapi_events WHERE call_center = $1::text AND object_kind = $4::bytea AND "
                         "object_key = $5::bytea AND seq > $2::bigint ORDER BY seq LIMIT $3::bigint"},
      {kLastSeq, "SELECT last_seq FROM opentapi_call_centers WHERE name = $1::text"},
  };
  return kAll;
}

Status prepare(PGconn* conn, const std::vector<Statement>& statements) {
  for (const Statement& s : statements) {
    PgResult r(PQprepare(conn, s.name, s.sql.c_str(), 0, nullptr));
    if (!r || PQresultStatus(r.get()) != PGRES_COMMAND_OK) {
      return pg_status(r.get(), conn, std::string("prepare ") + s.name);
    }
  }
  return Status();
}

// A commit waiting for the writer.
struct Pending {
  std::uint64_t ticket = 0;
  Batch batch;
  DurableCallback on_durable;
  SteadyClock::time_point submitted;
  std::size_t bytes = 0;
  Status refused;  // set: fail with this, do not write
};

class PostgresStore final : public Store {
 public:
  static Result<std::unique_ptr<Store>> open(const PostgresOptions& options);
  ~PostgresStore() override;

  void commit(Batch batch, DurableCallback on_durable) override;
  Status flush() override;
  Result<std::vector<Record>> load(std::string_view kind) override;
  Result<std::optional<Record>> get(std::string_view kind, std::string_view key) override;
  Result<std::vector<AuditEntry>> audit(std::string_view object_kind, std::string_view object_key,
                                        std::uint64_t after_seq, std::size_t limit) override;
  Result<std::uint64_t> last_audit_seq() override;
  StoreStats stats() const override;

  LeaseState lease_state() const {
    LeaseState out;
    out.epoch = epoch_.load(std::memory_order_relaxed);
    out.valid_until = SteadyClock::time_point(SteadyClock::duration(valid_until_.load(std::memory_order_relaxed)));
    std::lock_guard lock(mu_);
    out.out_of_service = !out_of_service_.ok();
    return out;
  }

 private:
  // A renewal requested at `sent` succeeded: the lease is ours until
  // sent + lease at least.
  void renewed(SteadyClock::time_point sent) {
    valid_until_.store((sent + options_.lease).time_since_epoch().count(), std::memory_order_relaxed);
  }

  explicit PostgresStore(PostgresOptions options) : options_(std::move(options)) {}
  Status start();
  Status setup_writer(PGconn* conn);
  Result<PgConn> connect_reader();
  // Runs the statements queued on the write connection (pipeline mode) and
  // collects their results up to the sync point.
  Result<std::vector<PgResult>> run_pipeline(std::size_t statements);
  void writer_loop();
  void write_group(std::vector<Pending>& group);
  // One transaction for the valid batches of `group`; fills seqs.
  std::pair<Status, Failure> write_transaction(std::vector<Pending>& group, const std::vector<bool>& valid,
                                               std::vector<std::uint64_t>& seqs);
  // Reconnects the writer after a lost connection; checks the lease.
  Status reconnect_writer();
  // Renews the lease / trims the event log when due.
  void maintain();
  std::pair<Status, Failure> run_single(const char* statement, Params& params, std::int64_t* value);
  void note_failure(const Status& status, Failure failure);
  // Runs a read statement on the read connection (reconnecting once).
  Result<PgResult> read(const char* statement, Params& params);
  Result<std::vector<AuditEntry>> events(PGresult* r);

  std::string lease_ms() const { return std::to_string(options_.lease.count()); }

  const PostgresOptions options_;
  std::string where_;  // the database, for messages: "DB on HOST:PORT"

  // Owned by the writer thread (and start() before it runs).
  PgConn wconn_;
  bool writer_broken_ = false;          // reconnect before the next write
  std::atomic<std::int64_t> epoch_{0};  // written before the writer starts; read by lease_state()
  std::atomic<SteadyClock::rep> valid_until_{0};
  std::uint64_t last_seq_ = 0;
  SteadyClock::time_point last_renewal_;
  SteadyClock::time_point last_trim_;
  // The last group, for gathering the next one (PostgresOptions::max_gather_wait).
  std::size_t last_group_size_ = 0;
  SteadyClock::time_point last_group_end_;
  SteadyClock::duration last_group_time_{};

  std::unique_ptr<CommitNotifier> notifier_;  // used by the writer thread

  mutable std::mutex read_mu_;  // guards rconn_
  PgConn rconn_;

  mutable std::mutex mu_;            // guards everything below
  std::condition_variable work_cv_;  // the writer waits for work
  std::condition_variable done_cv_;  // flush() waits for the writer
  std::deque<Pending> queue_;
  std::size_t accepted_queued_ = 0;
  std::uint64_t next_ticket_ = 0;
  std::uint64_t done_ticket_ = 0;
  bool stopping_ = false;
  Status out_of_service_;
  StoreStats stats_;
  std::thread writer_;
};

Result<std::unique_ptr<Store>> PostgresStore::open(const PostgresOptions& options) {
  if (options.conninfo.empty()) return Status::error(ErrorCode::kInvalParam, "no PostgreSQL connection string given");
  if (options.call_center.empty() || options.call_center.size() > kMaxKindBytes) {
    return Status::error(ErrorCode::kInvalParam, "call center name must be 1.." + std::to_string(kMaxKindBytes) +
                                                     " bytes, not " + std::to_string(options.call_center.size()));
  }
  if (options.lease.count() <= 0) return Status::error(ErrorCode::kInvalParam, "lease must be positive");
  PostgresOptions o = options;
  if (o.node_name.empty()) o.node_name = default_node_name();
  std::unique_ptr<PostgresStore> store(new PostgresStore(std::move(o)));
  if (Status s = store->start(); !s.ok()) return s;
  return std::unique_ptr<Store>(std::move(store));
}

Status PostgresStore::setup_writer(PGconn* conn) {
  // The durable acknowledgement needs COMMIT to wait for the WAL flush (and
  // the synchronous standby, if configured). A server or role default of
  // "off" would acknowledge before it; any stronger setting is kept.
  {
    PgResult r(PQexec(conn, "SHOW synchronous_commit"));
    if (!r || PQresultStatus(r.get()) != PGRES_TUPLES_OK) return pg_status(r.get(), conn, "read synchronous_commit");
    const std::string value = PQgetvalue(r.get(), 0, 0);
    if (value == "off") {
      if (Status s = exec(conn, "SET synchronous_commit = on", "set synchronous_commit"); !s.ok()) return s;
    }
  }
  return prepare(conn, write_statements());
}

Result<PgConn> PostgresStore::connect_reader() {
  auto conn = connect(options_.conninfo, static_cast<int>(options_.connect_timeout.count()), "opentapid reader");
  if (!conn.ok()) return conn.status();
  if (Status s = prepare(conn->get(), read_statements()); !s.ok()) return s;
  return conn;
}

Status PostgresStore::start() {
  auto conn = connect(options_.conninfo, static_cast<int>(options_.connect_timeout.count()), "opentapid writer");
  if (!conn.ok()) return conn.status();
  wconn_ = std::move(*conn);
  PGconn* c = wconn_.get();
  where_ = std::string(PQdb(c)) + " on " + (PQhost(c) != nullptr ? PQhost(c) : "?") + ":" +
           (PQport(c) != nullptr ? PQport(c) : "?");
  if (Status s = migrate(c, migrations(), options_.migrate, where_); !s.ok()) return s;

  // The lease: at the next epoch, or refused while a live node holds it.
  const auto give_up = SteadyClock::now() + options_.wait_for_lease;
  // The new epoch and where clients reach this owner (for the standbys'
  // redirections) change together, in one transaction: nobody reads the new
  // epoch with the previous owner's endpoint.
  for (;;) {
    const auto sent = SteadyClock::now();
    if (Status s = exec(c, "BEGIN", "take the lease"); !s.ok()) return s;
    Params p;
    p.text(options_.call_center).text(options_.node_name).text(lease_ms());
    PgResult r(PQexecParams(c, "SELECT o_epoch, o_last_seq FROM opentapi_acquire($1::text, $2::text, $3::bigint)",
                            p.size(), nullptr, p.values(), p.lengths(), p.formats(), 1));
    if (r && PQresultStatus(r.get()) == PGRES_TUPLES_OK && PQntuples(r.get()) == 1) {
      const std::int64_t epoch = column_int8(r.get(), 0, 0);
      Params a;
      a.text(options_.call_center).int8(epoch).text(options_.advertise);
      PgResult u(PQexecParams(c,
                              "UPDATE opentapi_call_centers SET owner_endpoint = $3::text WHERE name = $1::text AND "
                              "epoch = $2::bigint",
                              a.size(), nullptr, a.values(), a.lengths(), a.formats(), 1));
      if (!u || PQresultStatus(u.get()) != PGRES_COMMAND_OK) {
        Status s = pg_status(u.get(), c, "advertise the endpoint");
        PgResult rollback(PQexec(c, "ROLLBACK"));
        return s;
      }
      if (Status s = exec(c, "COMMIT", "take the lease"); !s.ok()) return s;
      epoch_ = epoch;
      last_seq_ = static_cast<std::uint64_t>(column_int8(r.get(), 0, 1));
      renewed(sent);
      break;
    }
    Status s = pg_status(r.get(), c, "take the lease of call center " + options_.call_center);
    PgResult rollback(PQexec(c, "ROLLBACK"));
    if (s.code() != ErrorCode::kResourceUnavail || SteadyClock::now() >= give_up) return s;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (Status s = setup_writer(c); !s.ok()) return s;
  if (PQenterPipelineMode(c) != 1) return pg_status(nullptr, c, "enter pipeline mode");
  last_renewal_ = last_trim_ = SteadyClock::now();

  auto reader = connect_reader();
  if (!reader.ok()) return reader.status();
  rconn_ = std::move(*reader);
  notifier_ = std::make_unique<CommitNotifier>(options_.conninfo, options_.call_center,
                                               static_cast<int>(options_.connect_timeout.count()));
  writer_ = std::thread([this] { writer_loop(); });
  return Status();
}

PostgresStore::~PostgresStore() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  if (writer_.joinable()) writer_.join();
  notifier_.reset();
  // A clean stop hands the lease back: it expires now, so the next node (or
  // this one restarted) takes over at once. After a crash the holder's
  // closed connection does the same (opentapi_acquire).
  if (wconn_ && !writer_broken_ && epoch_ != 0 && PQpipelineStatus(wconn_.get()) == PQ_PIPELINE_ON) {
    Params p;
    p.text(options_.call_center).int8(epoch_);
    if (PQsendQueryPrepared(wconn_.get(), kRelease, p.size(), p.values(), p.lengths(), p.formats(), 1) == 1) {
      (void)run_pipeline(1);
    }
  }
}

void PostgresStore::commit(Batch batch, DurableCallback on_durable) {
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

Status PostgresStore::flush() {
  if (std::this_thread::get_id() == writer_.get_id() || in_commit_callback()) {
    return Status::error(ErrorCode::kOperationFailed, "flush() called from a commit callback would wait for itself");
  }
  std::unique_lock lock(mu_);
  const std::uint64_t ticket = next_ticket_;
  done_cv_.wait(lock, [&] { return done_ticket_ >= ticket; });
  return out_of_service_;
}

void PostgresStore::writer_loop() {
  std::vector<Pending> group;
  const auto renew_every = std::max<std::chrono::milliseconds>(options_.lease / 3, std::chrono::milliseconds(1));
  for (;;) {
    group.clear();
    {
      std::unique_lock lock(mu_);
      const bool woken =
          work_cv_.wait_until(lock, last_renewal_ + renew_every, [&] { return !queue_.empty() || stopping_; });
      if (!woken) {
        lock.unlock();
        maintain();
        continue;
      }
      if (queue_.empty()) return;  // stopping, and everything is done
      // Wait a little for the last group's committers to come back, so that
      // the next transaction carries them all (PostgresOptions::max_gather_wait).
      if (queue_.size() < last_group_size_ && options_.max_gather_wait.count() > 0) {
        const auto gather_until =
            last_group_end_ + std::min<SteadyClock::duration>(options_.max_gather_wait, last_group_time_ / 2);
        work_cv_.wait_until(lock, gather_until, [&] { return queue_.size() >= last_group_size_ || stopping_; });
      }
      std::size_t bytes = 0;
      while (!queue_.empty() && group.size() < options_.max_group_commits &&
             (group.empty() || bytes + queue_.front().bytes <= options_.max_group_bytes)) {
        bytes += queue_.front().bytes;
        if (queue_.front().refused.ok()) --accepted_queued_;
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    const auto began = SteadyClock::now();
    write_group(group);
    last_group_end_ = SteadyClock::now();
    last_group_time_ = last_group_end_ - began;
    last_group_size_ = std::min(group.size(), options_.max_group_commits);
    {
      std::lock_guard lock(mu_);
      done_ticket_ = group.back().ticket;
    }
    done_cv_.notify_all();
    maintain();
  }
}

void PostgresStore::note_failure(const Status& status, Failure failure) {
  if (failure == Failure::kConnection) writer_broken_ = true;
  if (failure == Failure::kFenced) {
    std::lock_guard lock(mu_);
    if (out_of_service_.ok()) {
      out_of_service_ = Status::error(ErrorCode::kOperationFailed,
                                      "store is out of service: this node lost call center " + options_.call_center +
                                          " (" + status.message() + "); nothing more is stored by it");
    }
  }
}

Status PostgresStore::reconnect_writer() {
  wconn_.reset();
  auto conn = connect(options_.conninfo, static_cast<int>(options_.connect_timeout.count()), "opentapid writer");
  if (!conn.ok()) return conn.status();
  PGconn* c = conn->get();
  if (Status s = setup_writer(c); !s.ok()) return s;
  // Still ours? Record the new backend as the holder's (opentapi_acquire
  // treats a holder whose backend is gone as dead), and learn last_seq: the
  // transaction that was in flight when the connection broke may or may not
  // have committed.
  const auto sent = SteadyClock::now();
  Params p;
  p.text(options_.call_center).int8(epoch_).text(lease_ms());
  PgResult r(PQexecPrepared(c, kReattach, p.size(), p.values(), p.lengths(), p.formats(), 1));
  if (!r || PQresultStatus(r.get()) != PGRES_TUPLES_OK || PQntuples(r.get()) != 1) {
    Failure failure = Failure::kConnection;
    Status s = pg_status(r.get(), c, "reattach to call center " + options_.call_center, &failure);
    note_failure(s, failure);
    return s;
  }
  last_seq_ = static_cast<std::uint64_t>(column_int8(r.get(), 0, 0));
  renewed(sent);
  if (PQenterPipelineMode(c) != 1) return pg_status(nullptr, c, "enter pipeline mode");
  wconn_ = std::move(*conn);
  writer_broken_ = false;
  last_renewal_ = SteadyClock::now();
  return Status();
}

Result<std::vector<PgResult>> PostgresStore::run_pipeline(std::size_t statements) {
  PGconn* c = wconn_.get();
  if (PQpipelineSync(c) != 1) return pg_status(nullptr, c, "send");
  std::vector<PgResult> results;
  results.reserve(statements);
  // Each statement yields one result followed by a null; the sync point
  // yields PGRES_PIPELINE_SYNC.
  int nulls = 0;
  for (;;) {
    PgResult r(PQgetResult(c));
    if (!r) {
      if (PQstatus(c) == CONNECTION_BAD || ++nulls > static_cast<int>(statements) + 1) {
        return pg_status(nullptr, c, "read results");
      }
      continue;
    }
    if (PQresultStatus(r.get()) == PGRES_PIPELINE_SYNC) break;
    results.push_back(std::move(r));
  }
  if (results.size() != statements) {
    return Status::error(ErrorCode::kOperationFailed, "connection to PostgreSQL lost: " + std::to_string(statements) +
                                                          " results expected, " + std::to_string(results.size()) +
                                                          " received");
  }
  return results;
}

std::pair<Status, Failure> PostgresStore::run_single(const char* statement, Params& params, std::int64_t* value) {
  PGconn* c = wconn_.get();
  if (PQsendQueryPrepared(c, statement, params.size(), params.values(), params.lengths(), params.formats(), 1) != 1) {
    Failure f = Failure::kConnection;
    Status s = pg_status(nullptr, c, statement, &f);
    return {s, f};
  }
  auto results = run_pipeline(1);
  if (!results.ok()) return {results.status(), Failure::kConnection};
  PGresult* r = (*results)[0].get();
  if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
    Failure f = Failure::kStatement;
    Status s = pg_status(r, c, statement, &f);
    return {s, f};
  }
  if (value != nullptr) *value = column_int8(r, 0, 0);
  return {Status(), Failure::kNone};
}

void PostgresStore::maintain() {
  {
    std::lock_guard lock(mu_);
    if (!out_of_service_.ok()) return;
  }
  const auto now = SteadyClock::now();
  if (writer_broken_) {
    // Retried at the next write or renewal; a failure here loses nothing.
    if (!reconnect_writer().ok()) last_renewal_ = now;
    return;
  }
  if (options_.event_log_retention.count() > 0 && now - last_trim_ >= options_.retention_check_every) {
    last_trim_ = now;
    const std::int64_t before = now_ms() - options_.event_log_retention.count();
    for (;;) {
      Params p;
      p.text(options_.call_center).int8(epoch_).int8(before).int8(kTrimBatch).text(lease_ms());
      std::int64_t removed = 0;
      const auto sent = SteadyClock::now();
      auto [status, failure] = run_single(kTrim, p, &removed);
      if (!status.ok()) {
        note_failure(status, failure);
        return;
      }
      renewed(sent);
      last_renewal_ = SteadyClock::now();
      if (removed < kTrimBatch) break;
    }
  }
  const auto renew_every = std::max<std::chrono::milliseconds>(options_.lease / 3, std::chrono::milliseconds(1));
  if (now - last_renewal_ >= renew_every) {
    Params p;
    p.text(options_.call_center).int8(epoch_).int8(0).text(lease_ms());
    const auto sent = SteadyClock::now();
    auto [status, failure] = run_single(kClaim, p, nullptr);
    last_renewal_ = now;
    if (status.ok()) {
      renewed(sent);
    } else {
      note_failure(status, failure);
    }
  }
}

void PostgresStore::write_group(std::vector<Pending>& group) {
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
    auto [status, failure] = write_transaction(group, valid, seqs);
    if (status.ok()) {
      txn_ok = true;
    } else {
      txn_failed = true;
      note_failure(status, failure);
      for (std::size_t i = 0; i < n; ++i) {
        if (valid[i]) results[i] = status;
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
      ++stats_.syncs;  // the server flushes its WAL once per COMMIT
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

std::pair<Status, Failure> PostgresStore::write_transaction(std::vector<Pending>& group, const std::vector<bool>& valid,
                                                            std::vector<std::uint64_t>& seqs) {
  std::size_t count = 0;
  for (bool v : valid) count += v ? 1 : 0;
  const std::string doing = "storing " + std::to_string(count) + " commit(s)";
  if (writer_broken_) {
    if (Status s = reconnect_writer(); !s.ok()) {
      return {Status::error(s.code(), doing + ": " + s.message()),
              s.message().starts_with("fenced") ? Failure::kFenced : Failure::kConnection};
    }
  }

  // The group's final content: batches in order, each deletes-then-puts, so
  // a key's last mention wins. One multi-row DELETE and one multi-row upsert
  // then write it (an upsert may not touch a row twice).
  std::map<std::pair<std::string_view, std::string_view>, const std::string*> final_state;
  std::vector<std::int64_t> times, froms, tos, requests;
  std::vector<std::string_view> actors, kinds, keys, whats;
  const std::int64_t stamp = now_ms();
  std::int64_t entries = 0;
  for (std::size_t i = 0; i < group.size(); ++i) {
    if (!valid[i]) continue;
    const Batch& b = group[i].batch;
    for (const RecordKey& d : b.deletes) final_state[{d.kind, d.key}] = nullptr;
    for (const Record& r : b.puts) final_state[{r.kind, r.key}] = &r.value;
    for (const AuditEntry& a : b.audit) {
      times.push_back(a.time_ms != 0 ? a.time_ms : stamp);
      actors.push_back(a.actor);
      kinds.push_back(a.object_kind);
      keys.push_back(a.object_key);
      froms.push_back(a.from);
      tos.push_back(a.to);
      whats.push_back(a.what);
      requests.push_back(a.request_id);
    }
    entries += static_cast<std::int64_t>(b.audit.size());
  }
  std::vector<std::string_view> del_kinds, del_keys, put_kinds, put_keys, put_values, changed_kinds, changed_keys;
  for (const auto& [k, value] : final_state) {
    changed_kinds.push_back(k.first);
    changed_keys.push_back(k.second);
    if (value == nullptr) {
      del_kinds.push_back(k.first);
      del_keys.push_back(k.second);
    } else {
      put_kinds.push_back(k.first);
      put_keys.push_back(k.second);
      put_values.push_back(*value);
    }
  }

  PGconn* c = wconn_.get();
  const auto began = SteadyClock::now();
  std::size_t sent = 0;
  bool send_ok = true;
  auto send = [&](const char* statement, Params* params) {
    if (!send_ok) return;
    int rc = params == nullptr ? PQsendQueryParams(c, statement, 0, nullptr, nullptr, nullptr, nullptr, 0)
                               : PQsendQueryPrepared(c, statement, params->size(), params->values(), params->lengths(),
                                                     params->formats(), 1);
    if (rc != 1) send_ok = false;
    ++sent;
  };
  Params claim, append, del, put, changed;
  send("BEGIN", nullptr);
  claim.text(options_.call_center).int8(epoch_).int8(entries).text(lease_ms());
  send(kClaim, &claim);
  if (entries > 0) {
    append.text(options_.call_center)
        .int8(entries)
        .binary(int8_array(times))
        .binary(bytea_array(actors))
        .binary(bytea_array(kinds))
        .binary(bytea_array(keys))
        .binary(int8_array(froms))
        .binary(int8_array(tos))
        .binary(bytea_array(whats))
        .binary(int8_array(requests));
    send(kAppend, &append);
  }
  if (!del_kinds.empty()) {
    del.text(options_.call_center).binary(bytea_array(del_kinds)).binary(bytea_array(del_keys));
    send(kDelete, &del);
  }
  if (!put_kinds.empty()) {
    put.text(options_.call_center)
        .binary(bytea_array(put_kinds))
        .binary(bytea_array(put_keys))
        .binary(bytea_array(put_values));
    send(kPut, &put);
  }
  if (!changed_kinds.empty()) {
    changed.text(options_.call_center).binary(bytea_array(changed_kinds)).binary(bytea_array(changed_keys));
    send(kNoteChanges, &changed);
  }
  send("COMMIT", nullptr);
  if (!send_ok) {
    Failure f = Failure::kConnection;
    Status s = pg_status(nullptr, c, doing, &f);
    return {s, Failure::kConnection};
  }

  auto results = run_pipeline(sent);
  if (!results.ok()) {
    // COMMIT may or may not have happened: "in doubt" (store.h).
    return {Status::error(results.code(), doing + ": " + results.status().message()), Failure::kConnection};
  }
  // The first failure names the cause; the statements after it report
  // PGRES_PIPELINE_ABORTED.
  for (std::size_t i = 0; i < results->size(); ++i) {
    PGresult* r = (*results)[i].get();
    const ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) continue;
    Failure f = Failure::kStatement;
    Status s = pg_status(r, c, doing, &f);
    if (f != Failure::kConnection) {
      // The explicit transaction is still open, in its failed state (a
      // ROLLBACK outside one only warns).
      if (PQsendQueryParams(c, "ROLLBACK", 0, nullptr, nullptr, nullptr, nullptr, 0) != 1 || !run_pipeline(1).ok()) {
        f = Failure::kConnection;
      }
    }
    return {s, f};
  }
  // A COMMIT of an aborted transaction answers "ROLLBACK".
  if (std::string_view(PQcmdStatus(results->back().get())) != "COMMIT") {
    return {Status::error(ErrorCode::kOperationFailed, doing + ": the transaction was rolled back"),
            Failure::kStatement};
  }
  std::uint64_t seq = static_cast<std::uint64_t>(column_int8((*results)[1].get(), 0, 0));
  for (std::size_t i = 0; i < group.size(); ++i) {
    if (!valid[i]) continue;
    seq += group[i].batch.audit.size();
    seqs[i] = seq;
  }
  last_seq_ = seq;
  // After COMMIT, outside the transaction: wakes the standbys' readers.
  if (notifier_) notifier_->committed(seq);
  renewed(began);
  last_renewal_ = SteadyClock::now();
  return {Status(), Failure::kNone};
}

Result<PgResult> PostgresStore::read(const char* statement, Params& params) {
  // The caller holds read_mu_.
  for (int attempt = 0;; ++attempt) {
    if (!rconn_ || PQstatus(rconn_.get()) != CONNECTION_OK) {
      auto conn = connect_reader();
      if (!conn.ok()) return conn.status();
      rconn_ = std::move(*conn);
    }
    PgResult r(
        PQexecPrepared(rconn_.get(), statement, params.size(), params.values(), params.lengths(), params.formats(), 1));
    if (r && PQresultStatus(r.get()) == PGRES_TUPLES_OK) return r;
    Failure f = Failure::kStatement;
    Status s = pg_status(r.get(), rconn_.get(), statement, &f);
    if (f != Failure::kConnection || attempt > 0) return s;
    rconn_.reset();  // one retry on a fresh connection
  }
}

Result<std::vector<Record>> PostgresStore::load(std::string_view kind) {
  if (kind.empty()) return Status::error(ErrorCode::kInvalParam, "load: empty kind");
  std::lock_guard lock(read_mu_);
  Params p;
  p.text(options_.call_center).binary(std::string(kind));
  auto r = read(kLoad, p);
  if (!r.ok()) return r.status();
  std::vector<Record> out;
  const int rows = PQntuples(r->get());
  out.reserve(static_cast<std::size_t>(rows));
  for (int i = 0; i < rows; ++i) {
    out.push_back(Record{std::string(kind), column_bytes(r->get(), i, 0), column_bytes(r->get(), i, 1)});
  }
  return out;
}

Result<std::optional<Record>> PostgresStore::get(std::string_view kind, std::string_view key) {
  if (kind.empty() || key.empty()) return Status::error(ErrorCode::kInvalParam, "get: empty kind or key");
  std::lock_guard lock(read_mu_);
  Params p;
  p.text(options_.call_center).binary(std::string(kind)).binary(std::string(key));
  auto r = read(kGet, p);
  if (!r.ok()) return r.status();
  if (PQntuples(r->get()) == 0) return std::optional<Record>();
  return std::optional<Record>(Record{std::string(kind), std::string(key), column_bytes(r->get(), 0, 0)});
}

Result<std::vector<AuditEntry>> PostgresStore::events(PGresult* r) {
  std::vector<AuditEntry> out;
  const int rows = PQntuples(r);
  out.reserve(static_cast<std::size_t>(rows));
  for (int i = 0; i < rows; ++i) {
    AuditEntry e;
    e.seq = static_cast<std::uint64_t>(column_int8(r, i, 0));
    e.time_ms = column_int8(r, i, 1);
    e.actor = column_bytes(r, i, 2);
    e.object_kind = column_bytes(r, i, 3);
    e.object_key = column_bytes(r, i, 4);
    e.from = static_cast<std::uint32_t>(column_int8(r, i, 5));
    e.to = static_cast<std::uint32_t>(column_int8(r, i, 6));
    e.what = column_bytes(r, i, 7);
    e.request_id = static_cast<std::uint32_t>(column_int8(r, i, 8));
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::vector<AuditEntry>> PostgresStore::audit(std::string_view object_kind, std::string_view object_key,
                                                     std::uint64_t after_seq, std::size_t limit) {
  if (object_kind.empty() && !object_key.empty()) {
    return Status::error(ErrorCode::kInvalParam, "audit: object key given without object kind");
  }
  limit = std::min(limit, kMaxAuditPage);
  if (limit == 0) return std::vector<AuditEntry>();
  const auto after = static_cast<std::int64_t>(
      std::min<std::uint64_t>(after_seq, static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())));
  std::lock_guard lock(read_mu_);
  Params p;
  p.text(options_.call_center).int8(after).int8(static_cast<std::int64_t>(limit));
  if (!object_kind.empty()) p.binary(std::string(object_kind));
  if (!object_key.empty()) p.binary(std::string(object_key));
  auto r = read(object_kind.empty() ? kAuditAll : object_key.empty() ? kAuditKind : kAuditObject, p);
  if (!r.ok()) return r.status();
  return events(r->get());
}

Result<std::uint64_t> PostgresStore::last_audit_seq() {
  std::lock_guard lock(read_mu_);
  Params p;
  p.text(options_.call_center);
  auto r = read(kLastSeq, p);
  if (!r.ok()) return r.status();
  if (PQntuples(r->get()) != 1) return std::uint64_t{0};
  return static_cast<std::uint64_t>(column_int8(r->get(), 0, 0));
}

StoreStats PostgresStore::stats() const {
  std::lock_guard lock(mu_);
  StoreStats s = stats_;
  s.queued = queue_.size();
  s.out_of_service = !out_of_service_.ok();
  return s;
}

}  // namespace
}  // namespace postgres

Result<std::unique_ptr<Store>> open_postgres_store(const PostgresOptions& options) {
  return postgres::PostgresStore::open(options);
}

std::optional<LeaseState> postgres_lease_state(const Store& store) {
  const auto* pg = dynamic_cast<const postgres::PostgresStore*>(&store);
  if (pg == nullptr) return std::nullopt;
  return pg->lease_state();
}

struct LeaseWatcher::Impl {
  PostgresOptions options;
  postgres::PgConn conn;
};

LeaseWatcher::LeaseWatcher(PostgresOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
}

LeaseWatcher::~LeaseWatcher() = default;

Result<LeaseView> LeaseWatcher::read() {
  using namespace postgres;
  if (!impl_->conn || PQstatus(impl_->conn.get()) != CONNECTION_OK) {
    impl_->conn.reset();
    auto conn =
        connect(impl_->options.conninfo, static_cast<int>(impl_->options.connect_timeout.count()), "opentapid standby");
    if (!conn.ok()) return conn.status();
    impl_->conn = std::move(*conn);
  }
  // Free as opentapi_acquire judges it: expired, or the holder's backend gone.
  Params p;
  p.text(impl_->options.call_center);
  PgResult r(PQexecParams(impl_->conn.get(),
                          "SELECT c.epoch, c.owner, c.owner_endpoint, NOT (c.lease_until > clock_timestamp()), "
                          "NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = c.owner_pid AND a.backend_start "
                          "IS NOT DISTINCT FROM c.owner_backend_start) FROM opentapi_call_centers c WHERE c.name = "
                          "$1::text",
                          p.size(), nullptr, p.values(), p.lengths(), p.formats(), 1));
  if (!r || PQresultStatus(r.get()) != PGRES_TUPLES_OK) {
    Failure failure = Failure::kStatement;
    Status s = pg_status(r.get(), impl_->conn.get(), "read the lease", &failure);
    if (failure == Failure::kConnection) {
      impl_->conn.reset();
      return s;
    }
    // No schema yet, or an older one: nobody holds it as this build knows;
    // opening the store migrates or says what is wrong.
    return LeaseView{};
  }
  LeaseView v;
  if (PQntuples(r.get()) == 0) return v;
  v.exists = true;
  v.epoch = column_int8(r.get(), 0, 0);
  v.owner = column_bytes(r.get(), 0, 1);
  v.endpoint = column_bytes(r.get(), 0, 2);
  v.expired = PQgetlength(r.get(), 0, 3) == 1 && PQgetvalue(r.get(), 0, 3)[0] != 0;
  v.holder_gone = PQgetlength(r.get(), 0, 4) == 1 && PQgetvalue(r.get(), 0, 4)[0] != 0;
  v.free = v.expired || v.holder_gone;
  return v;
}

int postgres_schema_version() { return postgres::migrations().back().version; }

}  // namespace opentapi::store
