// What is PostgreSQL's own: schema versions in the database, the lease and
// its epoch (fencing), several call centers in one database, the event log's
// retention, a lost connection. The Store contract itself is
// store_conformance_test.cpp. Every test gets a fresh database on a
// throw-away server (pg_test_util.h); skipped when the binaries are absent.
#include "store/postgres/postgres_store.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "store/postgres/pg_test_util.h"
#include "store/sqlite/test_util.h"

namespace opentapi::store {
namespace {

using namespace std::chrono_literals;
using testing::change;
using testing::pg_options;
using testing::put_with_audit;
using testing::rec;
using testing::shared_postgres;

std::string query(const std::string& db, const std::string& sql) { return shared_postgres().server->query(db, sql); }

std::unique_ptr<Store> open_or_fail(const PostgresOptions& o) {
  auto s = open_postgres_store(o);
  EXPECT_TRUE(s.ok()) << s.status().to_string();
  return s.ok() ? std::move(*s) : nullptr;
}

PostgresOptions node(const std::string& db, const std::string& name, std::chrono::milliseconds wait = 0ms) {
  PostgresOptions o = pg_options(db);
  o.node_name = name;
  o.wait_for_lease = wait;
  return o;
}

// Terminates the backend of the lease holder's write connection (what a
// network cut or a database restart does to it).
void cut_writer(const std::string& db) {
  ASSERT_EQ(query(db, "SELECT pg_terminate_backend(owner_pid) FROM opentapi_call_centers WHERE name = 'cc'"), "t");
}

template <typename Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = 20s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

TEST(PostgresStore, WritesTheCurrentSchemaVersion) {
  OPENTAPI_PG_FRESH_DATABASE(db);
  ASSERT_TRUE(open_or_fail(pg_options(db)));
  EXPECT_EQ(query(db, "SELECT version FROM opentapi_schema"), std::to_string(postgres_schema_version()));
  EXPECT_EQ(query(db, "SELECT count(*) FROM opentapi_schema"), "1");
}

TEST(PostgresStore, RefusesANewerSchemaAndLeavesTheDatabaseAlone) {
  OPENTAPI_PG_FRESH_DATABASE(db);
  {
    auto store = open_or_fail(pg_options(db));
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->commit_and_wait(put_with_audit("agent", "a1", "v")).ok());
  }
  ASSERT_EQ(shared_postgres().server->exec(db, "UPDATE opentapi_schema SET version = 99"), "");
  auto store = open_postgres_store(pg_options(db));
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.code(), ErrorCode::kOperationUnavail);
  EXPECT_NE(store.status().message().find("has schema version 99, newer than this opentapid supports (" +
                                          std::to_string(postgres_schema_version()) + "); run a newer opentapid"),
            std::string::npos)
      << store.status().message();
  EXPECT_EQ(query(db, "SELECT version FROM opentapi_schema"), "99");
  EXPECT_EQ(query(db, "SELECT count(*) FROM opentapi_records"), "1");
}

TEST(PostgresStore, RefusesAnOlderSchemaWhenMigrationIsOff) {
  OPENTAPI_PG_FRESH_DATABASE(db);
  PostgresOptions o = pg_options(db);
  o.migrate = false;
  auto store = open_postgres_store(o);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.code(), ErrorCode::kOperationUnavail);
  EXPECT_NE(store.status().message().find("has schema version 0, older than this opentapid needs (" +
                                          std::to_string(postgres_schema_version()) + "), and migration is off"),
            std::string::npos)
      << store.status().message();
  EXPECT_EQ(query(db, "SELECT to_regclass('opentapi_schema') IS NULL"), "t") << "nothing was created";
  o.migrate = true;
  EXPECT_TRUE(open_or_fail(o));
}

TEST(PostgresStore, ClearErrorWhenTheServerIsUnreachable) {
  PostgresOptions o;
  o.conninfo = "host=/nonexistent-opentapi-socket-dir port=5432 dbname=x";
  auto store = open_postgres_store(o);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.code(), ErrorCode::kOperationFailed);
  EXPECT_TRUE(store.status().message().starts_with("cannot connect to PostgreSQL: ")) << store.status().message();
  o.conninfo = "";
  EXPECT_EQ(open_postgres_store(o).code(), ErrorCode::kInvalParam);
}

TEST(PostgresStore, ASecondNodeIsRefusedWhileTheLeaseIsHeld) {
  OPENTAPI_PG_FRESH_DATABASE(db);
  auto a = open_or_fail(node(db, "node-a"));
  ASSERT_TRUE(a);
  auto b = open_postgres_store(node(db, "node-b"));
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.code(), ErrorCode::kResourceUnavail);
  EXPECT_NE(b.status().message().find("call center cc is owned by node-a (epoch 1), whose lease runs until"),
            std::string::npos)
      << b.status().message();
  // The refusal changed nothing: node-a keeps writing.
  EXPECT_TRUE(a->commit_and_wait(put_with_audit("agent", "a1", "v")).ok());
}

TEST(PostgresStore, ACleanStopHandsTheLeaseToTheNextEpoch) {
  OPENTAPI_PG_FRESH_DATABASE(db);
  {
    auto a = open_or_fail(node(db, "node-a"));
    ASSERT_TRUE(a);
    ASSERT_TRUE(a->commit_and_wait(put_with_audit("agent", "a1", "v")).ok());
  }
  auto b = open_or_fail(node(db, "node-b"));
  ASSERT_TRUE(b);
  EXPECT_EQ(query(db, "SELECT epoch || ' ' || owner || ' ' || last_seq FROM opentapi_call_centers"), "2 node-b 1");
  std::uint64_t seq = 0;
  ASSERT_TRUE(b->commit_and_wait(put_with_audit("agent", "a2", "v"), &seq).ok());
  EXPECT_EQ(seq, 2u);
}

TEST(PostgresStore, AnExpiredLeaseIsTakenOverALiveOneIsNot) {
  OPENTAPI_PG_FRESH_DATABASE(db);
  // A holder whose backend is alive (this connection), lease in the future.
  PGconn* holder = PQconnectdb(shared_postgres().server->conninfo(db).c_str());
  ASSERT_EQ(PQstatus(holder), CONNECTION_OK);
  ASSERT_TRUE(open_or_fail(node(db, "setup")));  // creates the schema
  ASSERT_EQ(
      shared_postgres().server->exec(
          db, "UPDATE opentapi_call_centers SET epoch = 7, owner = 'node-x', owner_pid = " +
                  std::to_string(PQbackendPID(holder)) +
                  ", owner_backend_start = (SELECT backend_start FROM pg_stat_activity WHERE pid = " +
                  std::to_string(PQbackendPID(holder)) + "), lease_until = clock_timestamp() + interval '1 hour'"),
      "");
  auto refused = open_postgres_store(node(db, "node-b"));
  EXPECT_EQ(refused.code(), ErrorCode::kResourceUnavail);
  EXPECT_NE(refused.status().message().find("owned by node-x (epoch 7)"), std::string::npos)
      << refused.status().message();
  // Expired: taken over at the next epoch although the holder still lives.
  ASSERT_EQ(shared_postgres().server->exec(db,
                                           "UPDATE opentapi_call_centers SET lease_until = clock_timestamp() - "
                                           "interval '1 second'"),
            "");
  auto b = open_or_fail(node(db, "node-b"));
  ASSERT_TRUE(b);
  EXPECT_EQ(query(db, "SELECT epoch || ' ' || owner FROM opentapi_call_centers"), "8 node-b");
  PQfinish(holder);
}

// A takeover while the old owner's connection is alive: its next write
// locks the lease row, sees the new epoch and is refused, atomically with
// everything it carried.
TEST(PostgresStore, AWriteAfterATakeoverIsFenced) {
  OPENTAPI_PG_FRESH_DATABASE(db);
  auto a = open_or_fail(node(db, "node-a"));
  ASSERT_TRUE(a);
  ASSERT_TRUE(a->commit_and_wait(put_with_audit("agent", "before", "v")).ok());
  ASSERT_EQ(shared_postgres().server->exec(db, "UPDATE opentapi_call_centers SET epoch = epoch + 1, owner = 'node-b'"),
            "");
  Status s = a->commit_and_wait(put_with_audit("agent", "after", "v"));
  EXPECT_EQ(s.code(), ErrorCode::kOperationFailed);
  EXPECT_EQ(s.message(), "fenced: call center cc was taken over by node-b at epoch 2; this node held epoch 1")
      << s.message();
  EXPECT_EQ(query(db, "SELECT count(*) FROM opentapi_records WHERE key = 'after'::bytea"), "0");
  EXPECT_EQ(query(db, "SELECT last_seq FROM opentapi_call_centers"), "1");
  EXPECT_TRUE(a->stats().out_of_service);
  Status later = a->commit_and_wait(Batch{{rec("agent", "later", "v")}, {}, {}});
  EXPECT_EQ(later.code(), ErrorCode::kOperationFailed);
  EXPECT_NE(later.message().find("store is out of service: this node lost call center cc"), std::string::npos)
      << later.message();
  EXPECT_EQ(a->flush().code(), ErrorCode::kOperationFailed);
}

// What the cluster loop of opentapid reads (docs/ha.md): the lease state of
// its own store, and, on a standby, the lease row with the owner's endpoint;
// each event records the epoch that wrote it.
TEST(PostgresStore, LeaseStateAndTheStandbysViewOfTheLease) {
  OPENTAPI_PG_FRESH_DATABASE(db);
  LeaseWatcher watcher(node(db, "watcher"));
  auto none = watcher.read();
  ASSERT_TRUE(none.ok()) << none.status().to_string();
  EXPECT_FALSE(none->exists);
  EXPECT_TRUE(none->free);

  PostgresOptions o = node(db, "node-a");
  o.advertise = "tcp:10.0.0.1:4610";
  o.lease = 2s;
  const auto before = std::chrono::steady_clock::now();
  auto a = open_or_fail(o);
  ASSERT_TRUE(a);
  const auto state = postgres_lease_state(*a);
  ASSERT_TRUE(state.has_value());
  EXPECT_EQ(state->epoch, 1);
  EXPECT_FALSE(state->out_of_service);
  EXPECT_GE(state->valid_until, before + 2s);
  EXPECT_LE(state->valid_until, std::chrono::steady_clock::now() + 2s);
  auto held = watcher.read();
  ASSERT_TRUE(held.ok());
  EXPECT_TRUE(held->exists);
  EXPECT_FALSE(held->free);
  EXPECT_EQ(held->epoch, 1);
  EXPECT_EQ(held->owner, "node-a");
  EXPECT_EQ(held->endpoint, "tcp:10.0.0.1:4610");
  ASSERT_TRUE(a->commit_and_wait(put_with_audit("agent", "k", "v")).ok());
  EXPECT_GT(postgres_lease_state(*a)->valid_until, state->valid_until) << "a write renews the lease";
  EXPECT_EQ(query(db, "SELECT epoch FROM opentapi_events"), "1");

  ASSERT_EQ(shared_postgres().server->exec(db, "UPDATE opentapi_call_centers SET epoch = epoch + 1"), "");
  EXPECT_FALSE(a->commit_and_wait(put_with_audit("agent", "k", "w")).ok());
  EXPECT_TRUE(postgres_lease_state(*a)->out_of_service);
  a.reset();  // its connection goes: the lease is free
  ASSERT_TRUE(eventually([&] {
    auto v = watcher.read();
    return v.ok() && v->free;
  }));
}

// A node cut off from the database: another node takes over (the holder's
// backend is gone); when the first one's connection comes back it must not
// write.
TEST(PostgresStore, ANodeCutOffAndTakenOverCannotWriteWhenItReturns) {
  OPENTAPI_PG_FRESH_DATABASE(db);
  auto a = open_or_fail(node(db, "node-a"));
  ASSERT_TRUE(a);
  ASSERT_TRUE(a->commit_and_wait(put_with_audit("agent", "a", "1")).ok());
  cut_writer(db);
  auto b = open_or_fail(node(db, "node-b", 10s));
  ASSERT_TRUE(b);
  EXPECT_EQ(query(db, "SELECT epoch FROM opentapi_call_centers"), "2");
  // Its first write finds the connection gone (nothing stored); the next
  // one reconnects, finds the new epoch and is refused.
  Status lost = a->commit_and_wait(put_with_audit("agent", "a", "2"));
  EXPECT_EQ(lost.code(), ErrorCode::kOperationFailed);
  EXPECT_NE(lost.message().find("connection to PostgreSQL lost"), std::string::npos) << lost.message();
  Status s = a->commit_and_wait(put_with_audit("agent", "a", "3"));
  EXPECT_EQ(s.code(), ErrorCode::kOperationFailed);
  EXPECT_NE(s.message().find("fenced: call center cc was taken over by node-b at epoch 2"), std::string::npos)
      << s.message();
  EXPECT_TRUE(a->stats().out_of_service);
  std::uint64_t seq = 0;
  ASSERT_TRUE(b->commit_and_wait(put_with_audit("agent", "b", "1"), &seq).ok());
  EXPECT_EQ(seq, 2u);
  auto got = b->get("agent", "a");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->value, "1");
}

TEST(PostgresStore, ALostConnectionFailsItsGroupAndTheStoreReconnects) {
  OPENTAPI_PG_FRESH_DATABASE(db);
  PostgresOptions o = pg_options(db);
  o.lease = 60s;  // no idle renewal finds the cut first
  auto store = open_or_fail(o);
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->commit_and_wait(put_with_audit("agent", "a1", "v")).ok());
  cut_writer(db);
  Status s = store->commit_and_wait(put_with_audit("agent", "a2", "v"));
  EXPECT_EQ(s.code(), ErrorCode::kOperationFailed);
  EXPECT_NE(s.message().find("connection to PostgreSQL lost"), std::string::npos) << s.message();
  EXPECT_FALSE(store->stats().out_of_service);
  std::uint64_t seq = 0;
  ASSERT_TRUE(store->commit_and_wait(put_with_audit("agent", "a3", "v"), &seq).ok());
  EXPECT_EQ(seq, 2u) << "the failed group used no seq";
  EXPECT_EQ(query(db, "SELECT epoch FROM opentapi_call_centers"), "1") << "still the same owner";
  auto all = store->audit("", "", 0, 10);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[1].object_key, "a3");
}

TEST(PostgresStore, CallCentersShareADatabaseIndependently) {
  OPENTAPI_PG_FRESH_DATABASE(db);
  auto one = open_or_fail(pg_options(db, "north"));
  auto two = open_or_fail(pg_options(db, "south"));
  ASSERT_TRUE(one && two);
  std::uint64_t s1 = 0, s2 = 0;
  ASSERT_TRUE(one->commit_and_wait(put_with_audit("agent", "a1", "north"), &s1).ok());
  ASSERT_TRUE(two->commit_and_wait(put_with_audit("agent", "a1", "south"), &s2).ok());
  EXPECT_EQ(s1, 1u);
  EXPECT_EQ(s2, 1u);
  EXPECT_EQ((*one->get("agent", "a1"))->value, "north");
  EXPECT_EQ((*two->get("agent", "a1"))->value, "south");
  EXPECT_EQ(one->audit("", "", 0, 10)->size(), 1u);
}

TEST(PostgresStore, TheEventLogKeepsItsWindowFromTheFrontWithoutGaps) {
  OPENTAPI_PG_FRESH_DATABASE(db);
  PostgresOptions o = pg_options(db);
  o.event_log_retention = 1h;
  o.retention_check_every = 1ms;
  auto store = open_or_fail(o);
  ASSERT_TRUE(store);
  const std::int64_t now =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  auto entry = [&](std::int64_t time_ms) {
    AuditEntry a = change("agent", "a1", 1, 2);
    a.time_ms = time_ms;
    return a;
  };
  // seq 1..5 two hours old, 6 and 7 recent, 8 old again (a clock step).
  Batch b;
  for (int i = 0; i < 5; ++i) b.audit.push_back(entry(now - 7'200'000));
  b.audit.push_back(entry(now));
  b.audit.push_back(entry(now));
  b.audit.push_back(entry(now - 7'200'000));
  ASSERT_TRUE(store->commit_and_wait(std::move(b)).ok());
  ASSERT_TRUE(store->commit_and_wait(Batch{{rec("meta", "nudge", "")}, {}, {}}).ok());  // the trim runs after a group
  ASSERT_TRUE(eventually([&] { return query(db, "SELECT min(seq) FROM opentapi_events") == "6"; }))
      << query(db, "SELECT min(seq) FROM opentapi_events");
  auto kept = store->audit("", "", 0, 100);
  ASSERT_TRUE(kept.ok());
  ASSERT_EQ(kept->size(), 3u);
  EXPECT_EQ((*kept)[0].seq, 6u);
  EXPECT_EQ((*kept)[2].seq, 8u);
  EXPECT_EQ(query(db, "SELECT first_seq FROM opentapi_call_centers"), "6");
  EXPECT_EQ(*store->last_audit_seq(), 8u);
}

TEST(PostgresStore, KindsKeysAndTextsAreBytes) {
  OPENTAPI_PG_FRESH_DATABASE(db);
  auto store = open_or_fail(pg_options(db));
  ASSERT_TRUE(store);
  const std::string key("k\0\xff", 3);
  Batch b;
  b.puts.push_back(rec("kind\xfe", key, std::string("\0", 1)));
  AuditEntry a = change("kind\xfe", key, 1, 2);
  a.actor = std::string("act\0or", 6);
  b.audit.push_back(a);
  ASSERT_TRUE(store->commit_and_wait(std::move(b)).ok());
  auto got = store->get("kind\xfe", key);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->value, std::string("\0", 1));
  auto entries = store->audit("kind\xfe", key, 0, 10);
  ASSERT_TRUE(entries.ok() && entries->size() == 1);
  EXPECT_EQ((*entries)[0].actor, std::string("act\0or", 6));
}

// Group commit's gathering (PostgresOptions::max_gather_wait): after a slow
// transaction of four commits, three commits come at once and the fourth
// 200 ms later. With gathering, the writer waits for the fourth (it comes
// within half the last transaction's time) and sends the four in one
// transaction; without, it sends what it has at once.
//
// Making that slow group of four: a session holds the lease row while {A}
// waits for it and B1..B4 queue behind; another holds B1's record for 2 s,
// so that the transaction of {B1..B4} waits for it.
std::uint64_t transactions_for_four_committers_coming_back(const std::string& db,
                                                           std::chrono::microseconds max_gather_wait) {
  PostgresOptions o = pg_options(db);
  o.lease = 60s;  // no idle renewal in between
  o.max_gather_wait = max_gather_wait;
  auto store = open_or_fail(o);
  if (!store) return 0;
  EXPECT_TRUE(store->commit_and_wait(put_with_audit("agent", "B1", "v0")).ok());
  const std::string conninfo = shared_postgres().server->conninfo(db);
  auto writer_waits_for_a_lock = [&] {
    return eventually([&] {
      return query(db,
                   "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                   "WHERE NOT l.granted AND a.application_name = 'opentapid writer'") == "1";
    });
  };
  std::atomic<int> ok{0};
  auto counted = [&ok](const Status& s, std::uint64_t) {
    if (s.ok()) ++ok;
  };

  PGconn* lease_row = PQconnectdb(conninfo.c_str());
  PGconn* record_b1 = PQconnectdb(conninfo.c_str());
  PQclear(PQexec(record_b1,
                 "BEGIN; SELECT 1 FROM opentapi_records WHERE call_center = 'cc' AND kind = 'agent'::bytea "
                 "AND key = 'B1'::bytea FOR UPDATE"));
  PQclear(PQexec(lease_row, "BEGIN; SELECT 1 FROM opentapi_call_centers WHERE name = 'cc' FOR UPDATE"));
  store->commit(put_with_audit("agent", "A", "v"), counted);
  EXPECT_TRUE(writer_waits_for_a_lock()) << "{A} never waited for the lease row";
  for (int i = 1; i <= 4; ++i) store->commit(put_with_audit("agent", "B" + std::to_string(i), "v"), counted);
  PQclear(PQexec(lease_row, "COMMIT"));
  EXPECT_TRUE(eventually([&] { return ok.load() == 1; })) << "{A} was not stored";
  EXPECT_TRUE(writer_waits_for_a_lock()) << "{B1..B4} never waited for B1's record";
  std::this_thread::sleep_for(2s);  // the slow transaction
  PQclear(PQexec(record_b1, "COMMIT"));
  PQfinish(lease_row);
  PQfinish(record_b1);
  EXPECT_TRUE(eventually([&] { return ok.load() == 5; })) << "{B1..B4} were not stored";

  // The four come back: three at once, one 200 ms later.
  const std::uint64_t before = store->stats().transactions;
  for (int i = 1; i <= 3; ++i) store->commit(put_with_audit("agent", "C" + std::to_string(i), "v"), counted);
  std::this_thread::sleep_for(200ms);
  store->commit(put_with_audit("agent", "C4", "v"), counted);
  EXPECT_TRUE(eventually([&] { return ok.load() == 9; })) << "C1..C4 were not stored";
  return store->stats().transactions - before;
}

TEST(PostgresStore, AGroupWaitsBrieflyForTheCommittersOfTheLastOne) {
  OPENTAPI_PG_FRESH_DATABASE(db);
  EXPECT_EQ(transactions_for_four_committers_coming_back(db, 5s), 1u);
}

TEST(PostgresStore, WithoutGatheringAGroupIsSentAtOnce) {
  OPENTAPI_PG_FRESH_DATABASE(db);
  EXPECT_GE(transactions_for_four_committers_coming_back(db, 0us), 2u);
}

}  // namespace
}  // namespace opentapi::store
