#include "store/postgres/commit_notifier.h"

#include <chrono>
#include <cstdio>

#include "store/postgres/pg_util.h"

namespace opentapi::store::postgres {

std::string change_channel(std::string_view call_center) {
  // FNV-1a, 64 bits: stable across builds and machines, which is all a
  // channel name needs (two names sharing a hash only wake each other's
  // readers for nothing).
  std::uint64_t h = 14695981039346656037ull;
  for (const char c : call_center) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  char out[32];
  std::snprintf(out, sizeof out, "opentapi_%016llx", static_cast<unsigned long long>(h));
  return out;
}

CommitNotifier::CommitNotifier(std::string conninfo, std::string call_center, int connect_timeout_s)
    : conninfo_(std::move(conninfo)), channel_(change_channel(call_center)), connect_timeout_s_(connect_timeout_s) {
  thread_ = std::thread([this] { run(); });
}

CommitNotifier::~CommitNotifier() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void CommitNotifier::committed(std::uint64_t seq) {
  {
    std::lock_guard lock(mu_);
    ++pending_;
    seq_ = std::max(seq_, seq);
  }
  cv_.notify_one();
}

void CommitNotifier::run() {
  PgConn conn;
  auto retry_at = std::chrono::steady_clock::time_point{};
  for (;;) {
    std::uint64_t pending = 0;
    std::uint64_t seq = 0;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || pending_ != sent_; });
      if (stopping_) return;
      // After a failed connection attempt, wait a little before the next
      // one (readers poll meanwhile); commits noted then are coalesced.
      if (std::chrono::steady_clock::now() < retry_at) {
        cv_.wait_until(lock, retry_at, [&] { return stopping_; });
        if (stopping_) return;
      }
      pending = pending_;
      seq = seq_;
    }
    if (!conn || PQstatus(conn.get()) != CONNECTION_OK) {
      conn.reset();
      auto c = connect(conninfo_, connect_timeout_s_, "opentapid notifier");
      if (!c.ok()) {
        retry_at = std::chrono::steady_clock::now() + std::chrono::seconds(1);
        continue;
      }
      conn = std::move(*c);
      // A NOTIFY's transaction gets a transaction id, hence a commit
      // record; it need not be durable (a lost one only delays a reader,
      // which also polls), so it must not cost a WAL flush — or a round
      // trip to a synchronous standby — like the commits it follows.
      if (Status s = exec(conn.get(), "SET synchronous_commit = off", "set up the notifier"); !s.ok()) {
        conn.reset();
        retry_at = std::chrono::steady_clock::now() + std::chrono::seconds(1);
        continue;
      }
    }
    Params p;
    p.text(channel_).text(std::to_string(seq));
    PgResult r(PQexecParams(conn.get(), "SELECT pg_notify($1::text, $2::text)", p.size(), nullptr, p.values(),
                            p.lengths(), p.formats(), 0));
    if (!r || PQresultStatus(r.get()) != PGRES_TUPLES_OK) conn.reset();  // reconnect next time; readers also poll
    std::lock_guard lock(mu_);
    sent_ = pending;
  }
}

}  // namespace opentapi::store::postgres
