// Crash safety, for every backend: a child process commits from several
// threads and reports each acknowledged commit (callback OK) through a pipe;
// the parent SIGKILLs it at a random moment, reopens the store and checks
// that every acknowledged record and audit entry is there and the audit seqs
// have no gap. With PostgreSQL the server survives and the kill is the
// client's (opentapid's) death; the reopen also takes the lease over from
// the killed process at the next epoch.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "store/postgres/pg_test_util.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/test_util.h"

namespace opentapi::store {
namespace {

using testing::options_for;
using testing::ScratchDir;

struct Ack {
  std::uint32_t round;
  std::uint32_t writer;
  std::uint32_t i;
  std::uint32_t reserved;
  std::uint64_t seq;  // last_audit_seq of the commit
};
static_assert(sizeof(Ack) <= PIPE_BUF, "one write() of an Ack must be atomic");

constexpr int kWriters = 6;

std::string key_of(std::uint32_t round, std::uint32_t writer, std::uint32_t i) {
  return "r" + std::to_string(round) + "-w" + std::to_string(writer) + "-" + std::to_string(i);
}
std::string value_of(const std::string& key) { return key + std::string(200, '.'); }

// Opens the store of the test: SQLite in `dir`, or PostgreSQL database `db`.
Result<std::unique_ptr<Store>> open_store(const ScratchDir& dir, const std::string& db) {
  if (db.empty()) {
    SqliteOptions options = options_for(dir);
    options.checkpoint_pages = 64;  // checkpoint often, so a kill may land inside one
    return open_sqlite_store(options);
  }
  return open_postgres_store(testing::pg_options(db));
}

// The child: commit until killed. Never returns.
[[noreturn]] void child_main(const ScratchDir& dir, const std::string& db, std::uint32_t round, int ack_fd) {
  auto store = open_store(dir, db);
  if (!store.ok()) ::_exit(2);
  std::vector<std::thread> writers;
  for (std::uint32_t w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (std::uint32_t i = 0;; ++i) {
        const std::string key = key_of(round, w, i);
        Batch b;
        b.puts.push_back({"session", key, value_of(key)});
        b.puts.push_back({"latest", "r" + std::to_string(round) + "-w" + std::to_string(w), std::to_string(i)});
        AuditEntry a;
        a.actor = "crash-test";
        a.object_kind = "session";
        a.object_key = key;
        a.from = i;
        a.to = i + 1;
        a.what = "SetState";
        a.request_id = i;
        b.audit.push_back(a);
        (*store)->commit(std::move(b), [&, w, i](const Status& s, std::uint64_t seq) {
          if (!s.ok()) ::_exit(3);
          Ack ack{round, w, i, 0, seq};
          if (::write(ack_fd, &ack, sizeof ack) != static_cast<ssize_t>(sizeof ack)) ::_exit(4);
        });
        if (i % 8 == 7) (void)(*store)->flush();  // keep a bounded number in flight
      }
    });
  }
  for (auto& t : writers) t.join();
  ::_exit(0);
}

void every_acknowledged_change_survives_sigkill(const std::string& db) {
  ScratchDir dir;
  std::mt19937 rng(20240601);  // seeded: the same kill times on every run
  std::vector<Ack> acked;
  const auto test_start = std::chrono::steady_clock::now();

  for (std::uint32_t round = 0; round < 4; ++round) {
    int fds[2];
    ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(fds[0]);
      child_main(dir, db, round, fds[1]);
    }
    ::close(fds[1]);

    // Kill at a random moment once the child is committing.
    const auto kill_after = std::chrono::milliseconds(std::uniform_int_distribution<int>(50, 400)(rng));
    std::optional<std::chrono::steady_clock::time_point> deadline;
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(db.empty() ? 3 : 15);
    std::size_t round_acks = 0;
    std::string buffer;
    bool killed = false;
    auto take = [&](bool all) {
      char chunk[4096];
      for (;;) {
        pollfd p{fds[0], POLLIN, 0};
        int timeout = all ? 1000 : 5;
        if (::poll(&p, 1, timeout) <= 0) return false;
        ssize_t n = ::read(fds[0], chunk, sizeof chunk);
        if (n <= 0) return false;  // EOF: the child is gone
        buffer.append(chunk, static_cast<std::size_t>(n));
        while (buffer.size() >= sizeof(Ack)) {
          Ack a;
          std::memcpy(&a, buffer.data(), sizeof a);
          buffer.erase(0, sizeof a);
          acked.push_back(a);
          ++round_acks;
        }
        if (!all) return true;
      }
    };
    while (!killed) {
      take(false);
      const auto now = std::chrono::steady_clock::now();
      if (!deadline && round_acks > 0) deadline = now + kill_after;
      if ((deadline && now >= *deadline) || now >= give_up) {
        ::kill(pid, SIGKILL);
        killed = true;
      }
    }
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    take(true);  // what the child wrote before it died
    ::close(fds[0]);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "the child ended on its own, status " << status;
    ASSERT_GT(round_acks, 0u) << "the child acknowledged nothing";
    ASSERT_TRUE(buffer.empty());

    // Reopen and check everything acknowledged so far, in every round.
    auto opened = open_store(dir, db);
    ASSERT_TRUE(opened.ok()) << opened.status().to_string();
    auto& store = *opened;
    auto sessions = store->load("session");
    ASSERT_TRUE(sessions.ok());
    std::map<std::string, std::string> stored;
    for (Record& r : *sessions) stored.emplace(r.key, std::move(r.value));
    std::map<std::string, std::uint32_t> max_acked;  // latest key → highest acked i
    for (const Ack& a : acked) {
      const std::string key = key_of(a.round, a.writer, a.i);
      auto it = stored.find(key);
      ASSERT_NE(it, stored.end()) << "acknowledged " << key << " is missing";
      EXPECT_EQ(it->second, value_of(key));
      auto entry = store->audit("session", key, a.seq - 1, 1);
      ASSERT_TRUE(entry.ok());
      ASSERT_EQ(entry->size(), 1u) << "audit entry " << a.seq << " of " << key << " is missing";
      EXPECT_EQ((*entry)[0].seq, a.seq);
      EXPECT_EQ((*entry)[0].request_id, a.i);
      auto& m = max_acked["r" + std::to_string(a.round) + "-w" + std::to_string(a.writer)];
      m = std::max(m, a.i);
    }
    for (const auto& [latest_key, i] : max_acked) {
      auto latest = store->get("latest", latest_key);
      ASSERT_TRUE(latest.ok() && latest->has_value()) << latest_key;
      EXPECT_GE(std::stoul((*latest)->value), i) << latest_key << " went back in time";
    }
    // Gapless: seqs 1..N, and every session record has its audit entry.
    std::uint64_t expect = 1, after = 0;
    for (;;) {
      auto page = store->audit("", "", after, Store::kMaxAuditPage);
      ASSERT_TRUE(page.ok());
      if (page->empty()) break;
      for (const AuditEntry& e : *page) ASSERT_EQ(e.seq, expect++) << "gap in the audit history";
      after = page->back().seq;
    }
    EXPECT_EQ(expect - 1, stored.size()) << "records and audit entries disagree";
  }
  EXPECT_LT(std::chrono::steady_clock::now() - test_start, std::chrono::seconds(db.empty() ? 5 : 30));
}

TEST(CrashSafety, EveryAcknowledgedChangeSurvivesSigkill) { every_acknowledged_change_survives_sigkill(""); }

TEST(CrashSafety, EveryAcknowledgedChangeSurvivesSigkillOnPostgres) {
  OPENTAPI_PG_FRESH_DATABASE(db);
  every_acknowledged_change_survives_sigkill(db);
}

}  // namespace
}  // namespace opentapi::store
