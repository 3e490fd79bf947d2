#include "store/postgres/schema.h"

#include <cstdlib>
#include <string>

#include "store/postgres/pg_util.h"

namespace opentapi::store::postgres {
namespace {

// Released migrations never change; add new ones at the end (docs/store.md).
//
// Kinds, keys and every audit text are bytea: the Store contract makes them
// byte strings compared bytewise (a text column would refuse NULs and
// invalid UTF-8 and sort by collation).
//
// The functions are the only writers of opentapi_call_centers:
//   opentapi_acquire  takes a call center's lease at the next epoch, if it
//                     is free: no row yet, expired, or its holder's backend
//                     is gone (the holder died; its connection closed);
//   opentapi_claim    run first by every write transaction: locks the row
//                     (the owner's row lock that orders the event log),
//                     checks the epoch (fencing), renews the lease and
//                     reserves p_entries seqs after last_seq;
//   opentapi_reattach after a reconnect: checks the epoch and records the
//                     new backend as the holder's;
//   opentapi_trim     drops the oldest events, older than p_before_ms, from
//                     the front only, so the kept log stays gap-free.
constexpr Migration kMigrations[] = {
    {1, "call centers, records, event log",
     R"sql(
CREATE TABLE opentapi_schema (version integer NOT NULL);
INSERT INTO opentapi_schema VALUES (0);

CREATE TABLE opentapi_call_centers (
  name                text PRIMARY KEY,
  epoch               bigint NOT NULL,
  owner               text NOT NULL,
  owner_pid           integer NOT NULL,
  owner_backend_start timestamptz,
  lease_until         timestamptz NOT NULL,
  last_seq            bigint NOT NULL DEFAULT 0,
  first_seq           bigint NOT NULL DEFAULT 1
);

CREATE TABLE opentapi_records (
  call_center text  NOT NULL,
  kind        bytea NOT NULL,
  key         bytea NOT NULL,
  value       bytea NOT NULL,
  PRIMARY KEY (call_center, kind, key)
);

CREATE TABLE opentapi_events (
  call_center text   NOT NULL,
  seq         bigint NOT NULL,
  time_ms     bigint NOT NULL,
  actor       bytea  NOT NULL,
  object_kind bytea  NOT NULL,
  object_key  bytea  NOT NULL,
  from_state  bigint NOT NULL,
  to_state    bigint NOT NULL,
  what        bytea  NOT NULL,
  request_id  bigint NOT NULL,
  PRIMARY KEY (call_center, seq)
);
CREATE INDEX opentapi_events_by_object ON opentapi_events (call_center, object_kind, object_key, seq);

CREATE FUNCTION opentapi_acquire(p_cc text, p_owner text, p_lease_ms bigint)
RETURNS TABLE (o_epoch bigint, o_last_seq bigint) LANGUAGE plpgsql AS $$
DECLARE
  r opentapi_call_centers%ROWTYPE;
  my_start timestamptz;
BEGIN
  SELECT a.backend_start INTO my_start FROM pg_stat_activity a WHERE a.pid = pg_backend_pid();
  SELECT * INTO r FROM opentapi_call_centers c WHERE c.name = p_cc FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO opentapi_call_centers (name, epoch, owner, owner_pid, owner_backend_start, lease_until)
    VALUES (p_cc, 1, p_owner, pg_backend_pid(), my_start,
            clock_timestamp() + p_lease_ms * interval '1 millisecond');
    RETURN QUERY SELECT 1::bigint, 0::bigint;
    RETURN;
  END IF;
  IF r.lease_until > clock_timestamp() AND EXISTS (
       SELECT 1 FROM pg_stat_activity a
        WHERE a.pid = r.owner_pid AND a.backend_start IS NOT DISTINCT FROM r.owner_backend_start) THEN
    RAISE EXCEPTION USING ERRCODE = 'OTL01',
      MESSAGE = format('call center %s is owned by %s (epoch %s), whose lease runs until %s; '
                       'another opentapid serves it', p_cc, r.owner, r.epoch, r.lease_until);
  END IF;
  UPDATE opentapi_call_centers c
     SET epoch = r.epoch + 1, owner = p_owner, owner_pid = pg_backend_pid(), owner_backend_start = my_start,
         lease_until = clock_timestamp() + p_lease_ms * interval '1 millisecond'
   WHERE c.name = p_cc;
  RETURN QUERY SELECT r.epoch + 1, r.last_seq;
END $$;

CREATE FUNCTION opentapi_claim(p_cc text, p_epoch bigint, p_entries bigint, p_lease_ms bigint)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  r opentapi_call_centers%ROWTYPE;
BEGIN
  SELECT * INTO r FROM opentapi_call_centers c WHERE c.name = p_cc FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'OTF01', MESSAGE = format('call center %s has no lease row any more', p_cc);
  END IF;
  IF r.epoch <> p_epoch THEN
    RAISE EXCEPTION USING ERRCODE = 'OTF01',
      MESSAGE = format('call center %s was taken over by %s at epoch %s; this node held epoch %s',
                       p_cc, r.owner, r.epoch, p_epoch);
  END IF;
  UPDATE opentapi_call_centers c
     SET last_seq = r.last_seq + p_entries,
         lease_until = clock_timestamp() + p_lease_ms * interval '1 millisecond'
   WHERE c.name = p_cc;
  RETURN r.last_seq;
END $$;

CREATE FUNCTION opentapi_reattach(p_cc text, p_epoch bigint, p_lease_ms bigint)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  last bigint;
BEGIN
  last := opentapi_claim(p_cc, p_epoch, 0, p_lease_ms);
  UPDATE opentapi_call_centers c
     SET owner_pid = pg_backend_pid(),
         owner_backend_start = (SELECT a.backend_start FROM pg_stat_activity a WHERE a.pid = pg_backend_pid())
   WHERE c.name = p_cc;
  RETURN last;
END $$;

CREATE FUNCTION opentapi_trim(p_cc text, p_epoch bigint, p_before_ms bigint, p_max_rows bigint, p_lease_ms bigint)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  cut bigint;
  removed bigint;
BEGIN
  PERFORM opentapi_claim(p_cc, p_epoch, 0, p_lease_ms);
  SELECT COALESCE(MIN(h.seq) FILTER (WHERE h.time_ms >= p_before_ms), MAX(h.seq) + 1) INTO cut
    FROM (SELECT e.seq, e.time_ms FROM opentapi_events e
           WHERE e.call_center = p_cc ORDER BY e.seq LIMIT p_max_rows) h;
  IF cut IS NULL THEN
    RETURN 0;
  END IF;
  DELETE FROM opentapi_events e WHERE e.call_center = p_cc AND e.seq < cut;
  GET DIAGNOSTICS removed = ROW_COUNT;
  IF removed > 0 THEN
    UPDATE opentapi_call_centers c SET first_seq = cut WHERE c.name = p_cc;
  END IF;
  RETURN removed;
END $$;
)sql"},
    // The cluster (docs/ha.md): the owner's advertised endpoint, so that a
    // standby can name it to a client; and the epoch that wrote each event,
    // so that "only one epoch writes at a time" can be checked afterwards.
    {2, "owner endpoint, epoch of each event",
     R"sql(
ALTER TABLE opentapi_call_centers ADD COLUMN owner_endpoint text NOT NULL DEFAULT '';
ALTER TABLE opentapi_events ADD COLUMN epoch bigint NOT NULL DEFAULT 0;
)sql"},
    // Warm standbys (docs/ha.md "Warm standbys"): every record written or
    // deleted is noted with the last_seq of the transaction that did it (a
    // transaction without events shares its seq with the one before), one
    // row per key, so that a standby's copy fetches the records changed
    // since the seq it has — `seq >= S`, because the next transaction may
    // still note S — and tells deletions (no record any more) from
    // writes. opentapi_trim also drops the notes older than the kept event
    // log, less one seq: a standby whose copy is older loads everything.
    {3, "record changes for warm standbys",
     R"sql(
CREATE TABLE opentapi_changes (
  call_center text   NOT NULL,
  kind        bytea  NOT NULL,
  key         bytea  NOT NULL,
  seq         bigint NOT NULL,
  PRIMARY KEY (call_center, kind, key)
);
CREATE INDEX opentapi_changes_by_seq ON opentapi_changes (call_center, seq);

CREATE OR REPLACE FUNCTION opentapi_trim(p_cc text, p_epoch bigint, p_before_ms bigint, p_max_rows bigint,
                                         p_lease_ms bigint)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  cut bigint;
  removed bigint;
BEGIN
  PERFORM opentapi_claim(p_cc, p_epoch, 0, p_lease_ms);
  SELECT COALESCE(MIN(h.seq) FILTER (WHERE h.time_ms >= p_before_ms), MAX(h.seq) + 1) INTO cut
    FROM (SELECT e.seq, e.time_ms FROM opentapi_events e
           WHERE e.call_center = p_cc ORDER BY e.seq LIMIT p_max_rows) h;
  IF cut IS NULL THEN
    RETURN 0;
  END IF;
  DELETE FROM opentapi_events e WHERE e.call_center = p_cc AND e.seq < cut;
  GET DIAGNOSTICS removed = ROW_COUNT;
  IF removed > 0 THEN
    UPDATE opentapi_call_centers c SET first_seq = cut WHERE c.name = p_cc;
  END IF;
  DELETE FROM opentapi_changes ch
   WHERE ch.ctid IN (SELECT x.ctid FROM opentapi_changes x
                      WHERE x.call_center = p_cc AND x.seq < cut - 1 LIMIT p_max_rows);
  RETURN removed;
END $$;
)sql"},
};

// Serialises the migrations of nodes that start together ("OTAP").
constexpr const char* kMigrationLock = "SELECT pg_advisory_xact_lock(1330921808)";

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

Result<int> schema_version(PGconn* conn) {
  PgResult exists(PQexec(conn, "SELECT to_regclass('opentapi_schema') IS NOT NULL"));
  if (!exists || PQresultStatus(exists.get()) != PGRES_TUPLES_OK) {
    return pg_status(exists.get(), conn, "read schema version");
  }
  if (std::string(PQgetvalue(exists.get(), 0, 0)) != "t") return 0;
  PgResult r(PQexec(conn, "SELECT COALESCE(max(version), 0) FROM opentapi_schema"));
  if (!r || PQresultStatus(r.get()) != PGRES_TUPLES_OK) return pg_status(r.get(), conn, "read schema version");
  return std::atoi(PQgetvalue(r.get(), 0, 0));
}

Status migrate(PGconn* conn, std::span<const Migration> list, bool migrate, const std::string& where) {
  if (list.empty()) return Status::error(ErrorCode::kOperationFailed, "no schema migrations");
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (list[i].version != static_cast<int>(i) + 1) {
      return Status::error(ErrorCode::kOperationFailed, "schema migrations out of order");
    }
  }
  const int latest = list.back().version;

  if (Status s = exec(conn, "BEGIN", "begin schema check"); !s.ok()) return s;
  auto fail = [&](Status s) {
    PgResult r(PQexec(conn, "ROLLBACK"));
    return s;
  };
  if (Status s = exec(conn, kMigrationLock, "lock schema"); !s.ok()) return fail(s);
  auto version = schema_version(conn);
  if (!version.ok()) return fail(version.status());
  if (*version > latest) {
    return fail(Status::error(ErrorCode::kOperationUnavail, "database " + where + " has schema version " +
                                                                std::to_string(*version) +
                                                                ", newer than this opentapid supports (" +
                                                                std::to_string(latest) + "); run a newer opentapid"));
  }
  if (*version == latest) return exec(conn, "COMMIT", "end schema check");
  if (!migrate) {
    return fail(Status::error(ErrorCode::kOperationUnavail,
                              "database " + where + " has schema version " + std::to_string(*version) +
                                  ", older than this opentapid needs (" + std::to_string(latest) +
                                  "), and migration is off; start one opentapid with migration on to "
                                  "upgrade it"));
  }
  for (const Migration& m : list) {
    if (m.version <= *version) continue;
    if (Status s =
            exec(conn, m.sql, "migration to schema version " + std::to_string(m.version) + " (" + m.description + ")");
        !s.ok()) {
      return fail(s);
    }
  }
  const std::string set = "UPDATE opentapi_schema SET version = " + std::to_string(latest);
  if (Status s = exec(conn, set.c_str(), "set schema version"); !s.ok()) return fail(s);
  if (Status s = exec(conn, "COMMIT", "commit schema migration"); !s.ok()) return fail(s);
  return Status();
}

}  // namespace opentapi::store::postgres
