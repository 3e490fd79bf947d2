#include "store/postgres/event_log_reader.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <mutex>
#include <utility>

#include "store/postgres/commit_notifier.h"
#include "store/postgres/pg_util.h"

namespace opentapi::store {

using postgres::column_bytes;
using postgres::column_int8;
using postgres::Failure;
using postgres::Params;
using postgres::PgConn;
using postgres::PgResult;
using SteadyClock = std::chrono::steady_clock;

struct EventLogReader::Impl {
  PostgresOptions options;
  std::string channel;
  PgConn conn;
  int wake_fd = -1;

  // The copy, as of `applied`: kind → key → value. std::string orders
  // bytewise (char_traits<char> compares as unsigned char), as bytea does.
  using Kind = std::map<std::string, std::string>;
  std::map<std::string, Kind> copy;
  std::uint64_t count = 0;
  bool loaded = false;
  std::uint64_t applied = 0;

  mutable std::mutex mu;  // guards the figures below (stats() and wake() run on other threads)
  EventLogReaderStats figures;
  bool behind = false;
  SteadyClock::time_point behind_since;

  void note_head(std::uint64_t seq) {
    std::lock_guard lock(mu);
    figures.head_seq = std::max(figures.head_seq, seq);
    if (figures.head_seq > figures.applied_seq && !behind) {
      behind = true;
      behind_since = SteadyClock::now();
    }
  }

  // Every notification libpq has read so far.
  int drain_notifications() {
    int n = 0;
    while (PGnotify* note = PQnotifies(conn.get())) {
      std::uint64_t seq = 0;
      const char* extra = note->extra != nullptr ? note->extra : "";
      std::from_chars(extra, extra + std::char_traits<char>::length(extra), seq);
      PQfreemem(note);
      ++n;
      {
        std::lock_guard lock(mu);
        ++figures.notifications;
      }
      note_head(seq);
    }
    return n;
  }

  Status fail(PGresult* r, std::string_view doing) {
    Failure failure = Failure::kStatement;
    Status s = postgres::pg_status(r, conn.get(), doing, &failure);
    if (failure == Failure::kConnection) {
      conn.reset();
    } else {
      PgResult rollback(PQexec(conn.get(), "ROLLBACK"));
    }
    return s;
  }

  Status connect() {
    if (conn && PQstatus(conn.get()) == CONNECTION_OK) return Status();
    conn.reset();
    auto c = postgres::connect(options.conninfo, static_cast<int>(options.connect_timeout.count()),
                               "opentapid standby reader");
    if (!c.ok()) return c.status();
    conn = std::move(*c);
    PgResult v(PQexec(conn.get(), "SELECT to_regclass('opentapi_changes') IS NOT NULL"));
    if (!v || PQresultStatus(v.get()) != PGRES_TUPLES_OK) {
      Status s = postgres::pg_status(v.get(), conn.get(), "read the schema");
      conn.reset();
      return s;
    }
    if (std::string_view(PQgetvalue(v.get(), 0, 0)) != "t") {
      conn.reset();
      return Status::error(ErrorCode::kOperationUnavail,
                           "the database has no record changes (schema version 3) yet; an owner of this version "
                           "creates them when it opens the store");
    }
    const std::string listen = "LISTEN \"" + channel + "\"";
    if (Status s = postgres::exec(conn.get(), listen.c_str(), "listen for commits"); !s.ok()) {
      conn.reset();
      return s;
    }
    return Status();
  }

  Status round() {
    if (Status s = connect(); !s.ok()) return s;
    PGconn* c = conn.get();
    PgResult begin(PQexec(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
    if (!begin || PQresultStatus(begin.get()) != PGRES_COMMAND_OK) return fail(begin.get(), "begin a snapshot");

    Params cc;
    cc.text(options.call_center);
    PgResult head(PQexecParams(c, "SELECT last_seq, first_seq FROM opentapi_call_centers WHERE name = $1::text",
                               cc.size(), nullptr, cc.values(), cc.lengths(), cc.formats(), 1));
    if (!head || PQresultStatus(head.get()) != PGRES_TUPLES_OK) return fail(head.get(), "read the lease row");
    std::uint64_t last = 0, first = 1;
    if (PQntuples(head.get()) == 1) {
      last = static_cast<std::uint64_t>(column_int8(head.get(), 0, 0));
      first = static_cast<std::uint64_t>(column_int8(head.get(), 0, 1));
    }
    // The notes below first_seq - 1 may be trimmed (opentapi_trim): a copy
    // older than that loads everything again.
    const bool full = !loaded || (first > 1 && applied + 1 < first);

    std::uint64_t changed = 0;
    if (full) {
      PgResult all(PQexecParams(c, "SELECT kind, key, value FROM opentapi_records WHERE call_center = $1::text",
                                cc.size(), nullptr, cc.values(), cc.lengths(), cc.formats(), 1));
      if (!all || PQresultStatus(all.get()) != PGRES_TUPLES_OK) return fail(all.get(), "load every record");
      std::map<std::string, Kind> fresh;
      const int rows = PQntuples(all.get());
      for (int i = 0; i < rows; ++i) {
        fresh[column_bytes(all.get(), i, 0)].insert_or_assign(column_bytes(all.get(), i, 1),
                                                              column_bytes(all.get(), i, 2));
      }
      copy = std::move(fresh);
      count = static_cast<std::uint64_t>(rows);
      changed = count;
    } else {
      Params p;
      p.text(options.call_center).int8(static_cast<std::int64_t>(applied));
      PgResult delta(PQexecParams(c,
                                  "SELECT ch.kind, ch.key, r.value FROM opentapi_changes ch LEFT JOIN "
                                  "opentapi_records r ON r.call_center = ch.call_center AND r.kind = ch.kind AND "
                                  "r.key = ch.key WHERE ch.call_center = $1::text AND ch.seq >= $2::bigint",
                                  p.size(), nullptr, p.values(), p.lengths(), p.formats(), 1));
      if (!delta || PQresultStatus(delta.get()) != PGRES_TUPLES_OK) {
        return fail(delta.get(), "read the changed records");
      }
      const int rows = PQntuples(delta.get());
      for (int i = 0; i < rows; ++i) {
        const std::string kind = column_bytes(delta.get(), i, 0);
        std::string key = column_bytes(delta.get(), i, 1);
        if (PQgetisnull(delta.get(), i, 2)) {
          auto k = copy.find(kind);
          if (k != copy.end() && k->second.erase(key) > 0) --count;
        } else {
          auto [it, inserted] = copy[kind].insert_or_assign(std::move(key), column_bytes(delta.get(), i, 2));
          if (inserted) ++count;
        }
      }
      changed = static_cast<std::uint64_t>(rows);
    }

    // The entries after the last one read, in order: how many, and the
    // time of the newest.
    std::uint64_t entries = 0;
    std::int64_t newest_ms = 0;
    if (!full && last > applied) {
      Params p;
      p.text(options.call_center).int8(static_cast<std::int64_t>(applied)).int8(static_cast<std::int64_t>(last));
      PgResult ev(PQexecParams(c,
                               "SELECT seq, time_ms FROM opentapi_events WHERE call_center = $1::text AND seq > "
                               "$2::bigint AND seq <= $3::bigint ORDER BY seq",
                               p.size(), nullptr, p.values(), p.lengths(), p.formats(), 1));
      if (!ev || PQresultStatus(ev.get()) != PGRES_TUPLES_OK) return fail(ev.get(), "read the event log");
      const int rows = PQntuples(ev.get());
      entries = static_cast<std::uint64_t>(rows);
      if (rows > 0) newest_ms = column_int8(ev.get(), rows - 1, 1);
    }
    PgResult commit(PQexec(c, "COMMIT"));
    if (!commit || PQresultStatus(commit.get()) != PGRES_COMMAND_OK) return fail(commit.get(), "end the snapshot");

    loaded = true;
    applied = last;
    drain_notifications();
    std::lock_guard lock(mu);
    figures.ready = true;
    figures.applied_seq = last;
    figures.head_seq = std::max(figures.head_seq, last);
    figures.records = count;
    figures.entries += entries;
    if (newest_ms != 0) figures.newest_entry_ms = newest_ms;
    if (changed > 0 || entries > 0) ++figures.catch_ups;
    if (full) ++figures.full_loads;
    if (figures.head_seq <= figures.applied_seq) {
      behind = false;
    } else {
      behind = true;
      behind_since = SteadyClock::now();
    }
    return Status();
  }
};

EventLogReader::EventLogReader(PostgresOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->channel = postgres::change_channel(options.call_center);
  impl_->options = std::move(options);
  impl_->wake_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

EventLogReader::~EventLogReader() {
  if (impl_->wake_fd >= 0) ::close(impl_->wake_fd);
}

Status EventLogReader::catch_up() { return impl_->round(); }

void EventLogReader::wait(std::chrono::milliseconds timeout) {
  Impl& m = *impl_;
  if (m.conn && PQconsumeInput(m.conn.get()) == 1 && m.drain_notifications() > 0) return;
  pollfd fds[2] = {{m.wake_fd, POLLIN, 0}, {m.conn ? PQsocket(m.conn.get()) : -1, POLLIN, 0}};
  const int n = ::poll(fds, fds[1].fd >= 0 ? 2 : 1, static_cast<int>(std::max<std::int64_t>(0, timeout.count())));
  if (n > 0 && (fds[0].revents & POLLIN) != 0) {
    std::uint64_t v = 0;
    (void)::read(m.wake_fd, &v, sizeof v);
  }
  if (n > 0 && fds[1].fd >= 0 && fds[1].revents != 0) {
    if (PQconsumeInput(m.conn.get()) != 1) {
      m.conn.reset();  // lost: the next round reconnects
      return;
    }
    m.drain_notifications();
  }
}

void EventLogReader::wake() {
  const std::uint64_t one = 1;
  (void)::write(impl_->wake_fd, &one, sizeof one);
}

std::vector<Record> EventLogReader::records(const std::vector<std::string>& kinds) const {
  std::vector<Record> out;
  if (!impl_->loaded) return out;
  out.reserve(impl_->count);
  for (const std::string& kind : kinds) {
    auto k = impl_->copy.find(kind);
    if (k == impl_->copy.end()) continue;
    for (const auto& [key, value] : k->second) out.push_back(Record{kind, key, value});
  }
  return out;
}

std::vector<Record> EventLogReader::take_records(const std::vector<std::string>& kinds) {
  std::vector<Record> out;
  if (!impl_->loaded) return out;
  out.reserve(impl_->count);
  for (const std::string& kind : kinds) {
    auto k = impl_->copy.find(kind);
    if (k == impl_->copy.end()) continue;
    while (!k->second.empty()) {
      auto node = k->second.extract(k->second.begin());
      out.push_back(Record{kind, std::move(node.key()), std::move(node.mapped())});
    }
  }
  impl_->copy.clear();
  impl_->count = 0;
  impl_->loaded = false;
  std::lock_guard lock(impl_->mu);
  impl_->figures.ready = false;
  impl_->figures.records = 0;
  return out;
}

EventLogReaderStats EventLogReader::stats() const {
  std::lock_guard lock(impl_->mu);
  EventLogReaderStats s = impl_->figures;
  s.lag_seconds = impl_->behind ? std::chrono::duration<double>(SteadyClock::now() - impl_->behind_since).count() : 0;
  return s;
}

}  // namespace opentapi::store
