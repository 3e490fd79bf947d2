// Durability of the virtual ACD, with the ACD as a process of its own
// (acd_host) next to a real opentapid:
//   * crash: many clients change state concurrently, the ACD is SIGKILLed at
//     a random moment; after a restart every change a client saw
//     acknowledged is there, and the audit history has no gaps — on SQLite
//     and on PostgreSQL (a throw-away server the test starts; skipped when
//     its binaries are not installed);
//   * throughput: durable state changes per second with 64 clients (SQLite
//     and PostgreSQL);
//   * restart time with 10 000 live sessions;
//   * a corrupt database or record: a clear error, no start.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "acd/call_center.h"
#include "acd/config.h"
#include "acd/records.h"
#include "core/test_support.h"
#include "harness.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"
#include "support/postgres_server.h"

namespace acd_test {
namespace {

namespace acd = opentapi::acd;
namespace core = opentapi::core;
namespace store = opentapi::store;

constexpr const char* kSales = "{11111111-2222-3333-4444-555555555555}";

// A call center with `agents` agent IDs A000.., PIN "p", no simulator.
std::string write_config(const std::string& dir, int agents) {
  std::string text = R"(
[server]
lines = 2
addresses_per_line = 4

[acd]
wrap_up_seconds = 0

[[group]]
name = "Sales"
guid = "{11111111-2222-3333-4444-555555555555}"

[[group]]
name = "Support"
guid = "{66666666-7777-8888-9999-AAAAAAAAAAAA}"

[[queue]]
id = 1
name = "Sales"
group = "Sales"
)";
  for (int i = 0; i < agents; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "A%03d", i);
    text += "\n[[agent]]\nid = \"" + std::string(id) + "\"\npin = \"p\"\n";
  }
  const std::string path = dir + "/callcenter.toml";
  std::ofstream(path) << text;
  return path;
}

std::string agent_id(int i) {
  char id[16];
  std::snprintf(id, sizeof id, "A%03d", i);
  return id;
}

// `where`: a data directory, or "postgresql:CONNINFO" (what acd_host takes).
std::unique_ptr<store::Store> open_store(const std::string& where) {
  core::Result<std::unique_ptr<store::Store>> s = core::Status();
  if (where.starts_with("postgresql:")) {
    store::PostgresOptions o;
    o.conninfo = where.substr(std::strlen("postgresql:"));
    o.wait_for_lease = std::chrono::seconds(15);
    s = store::open_postgres_store(o);
  } else {
    store::SqliteOptions o;
    o.data_dir = where;
    s = store::open_sqlite_store(o);
  }
  EXPECT_TRUE(s.ok()) << s.status().to_string();
  return s.ok() ? std::move(s).value() : nullptr;
}

// A PostgreSQL server for one test, and the store location of a fresh
// database on it.
struct Postgres {
  std::unique_ptr<opentapi::test_support::PostgresServer> server;
  std::string location;
};
bool postgres_installed() { return !opentapi::test_support::PostgresServer::binaries().empty(); }
constexpr const char* kNoPostgres =
    "PostgreSQL 15 server binaries not found (/usr/lib/postgresql/15/bin or $OPENTAPI_PG_BIN); "
    "scripts/install-deps.sh installs them";

void start_postgres(Postgres& pg) {
  std::string error;
  pg.server = opentapi::test_support::PostgresServer::start(&error);
  ASSERT_TRUE(pg.server) << "PostgreSQL did not start: " << error;
  const std::string db = pg.server->create_database(&error);
  ASSERT_FALSE(db.empty()) << error;
  pg.location = "postgresql:" + pg.server->conninfo(db);
}

std::vector<store::AuditEntry> whole_audit(store::Store& s) {
  std::vector<store::AuditEntry> all;
  std::uint64_t after = 0;
  for (;;) {
    auto page = s.audit("", "", after, store::Store::kMaxAuditPage);
    EXPECT_TRUE(page.ok());
    if (!page.ok() || page->empty()) break;
    after = page->back().seq;
    all.insert(all.end(), page->begin(), page->end());
  }
  return all;
}

// One agent application: logs in agent `i` with one session, then changes
// state until told to stop or until a request fails.
struct Worker {
  int index = 0;
  HAGENT agent = 0;
  std::vector<DWORD> acked_periods;
  std::optional<DWORD> in_doubt;  // sent, no success seen
  // Read by the test's thread while the worker runs.
  std::atomic<std::uint64_t> acked_changes{0};
  std::atomic<bool> logged_in{false};
};

// Waits until every worker has its agent and session (or one gave up).
bool all_logged_in(const std::vector<Worker>& workers) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  for (const Worker& w : workers) {
    while (!w.logged_in.load()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  return true;
}

void work(Worker& w, const std::atomic<bool>& stop, bool periods) {
  Client c;
  const HLINE line = c.open(0);
  if (line == 0) return;
  if (c.create_agent(line, agent_id(w.index).c_str(), "p", &w.agent) != 0) return;
  HAGENTSESSION session = 0;
  if (c.create_session(line, w.agent, nullptr, static_cast<DWORD>(w.index % 4), guid(kSales), &session) != 0) return;
  w.logged_in = true;
  DWORD k = 0;
  bool ready = false;
  while (!stop.load()) {
    ++k;
    LONG rc = 0;
    if (periods && k % 2 == 0) {
      const DWORD v = static_cast<DWORD>(w.index + 1) * 1'000'000u + k;
      w.in_doubt = v;
      rc = c.set_agent_period(line, w.agent, v);
      if (rc == 0) {
        w.acked_periods.push_back(v);
        w.in_doubt.reset();
      }
    } else {
      rc = c.set_session_state(line, session, ready ? LINEAGENTSESSIONSTATE_NOTREADY : LINEAGENTSESSIONSTATE_READY, 0);
      if (rc == 0) ready = !ready;
    }
    if (rc != 0) return;  // the ACD is gone
    ++w.acked_changes;
    c.drain();  // status messages pile up otherwise
  }
}

// `data`: the ACD's data directory, or a PostgreSQL location.
void every_acknowledged_change_survives_sigkill(const TempDir& dir, const std::string& data) {
  constexpr int kClients = 24;
  const std::string config = write_config(dir.path(), kClients);
  Opentapid server(dir.path(), 2, 4);
  auto host = start_acd_host(config, data);
  ASSERT_TRUE(host) << "acd_host did not start";

  std::vector<Worker> workers(kClients);
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < kClients; ++i) {
    workers[i].index = i;
    threads.emplace_back([&, i] { work(workers[i], stop, /*periods=*/true); });
  }
  if (!all_logged_in(workers)) {
    stop = true;
    for (auto& t : threads) t.join();
    FAIL() << "not every client logged in within 60 s";
  }
  std::random_device rd;
  const int delay_ms = 700 + static_cast<int>(rd() % 1300);
  std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
  host->kill_now();
  stop = true;
  for (auto& t : threads) t.join();
  std::uint64_t acked = 0;
  for (const Worker& w : workers) {
    ASSERT_TRUE(w.logged_in) << "client " << w.index;
    acked += w.acked_changes;
  }
  std::cout << "[ crash    ] killed after " << delay_ms << " ms, " << acked << " acknowledged changes\n";
  ASSERT_GT(acked, 0u);

  // Restart: every agent has the period it last acknowledged (or the one in
  // flight at the kill, which may or may not have been applied).
  host = start_acd_host(config, data);
  ASSERT_TRUE(host) << "acd_host did not restart";
  {
    Client c;
    const HLINE line = c.open(0);
    ASSERT_NE(line, 0u);
    for (const Worker& w : workers) {
      HAGENT again = 0;
      ASSERT_EQ(c.create_agent(line, agent_id(w.index).c_str(), "p", &again), 0);
      EXPECT_EQ(again, w.agent);
      LINEAGENTINFO info;
      ASSERT_EQ(c.agent_info(line, w.agent, &info), 0);
      const DWORD last = w.acked_periods.empty() ? 0 : w.acked_periods.back();
      if (w.in_doubt) {
        EXPECT_TRUE(info.dwMeasurementPeriod == *w.in_doubt || info.dwMeasurementPeriod == last ||
                    (last == 0 && info.dwMeasurementPeriod == 86400))
            << "agent " << w.index << " period " << info.dwMeasurementPeriod;
      } else if (last != 0) {
        EXPECT_EQ(info.dwMeasurementPeriod, last) << "agent " << w.index;
      }
    }
  }
  ASSERT_EQ(host->terminate(), 0) << host->output();

  // The audit history: gapless, and holding every acknowledged change.
  auto s = open_store(data);
  ASSERT_TRUE(s);
  const auto audit = whole_audit(*s);
  ASSERT_FALSE(audit.empty());
  EXPECT_EQ(audit.front().seq, 1u);
  for (std::size_t i = 1; i < audit.size(); ++i) ASSERT_EQ(audit[i].seq, audit[i - 1].seq + 1) << "gap at " << i;
  std::set<std::pair<std::string, std::uint32_t>> periods;
  for (const auto& e : audit) {
    if (e.what == "SetAgentMeasurementPeriod") periods.insert({e.object_key, e.to});
  }
  std::size_t checked = 0;
  for (const Worker& w : workers) {
    for (DWORD v : w.acked_periods) {
      EXPECT_TRUE(periods.count({acd::hex_key(w.agent), v}))
          << "acknowledged period " << v << " of agent " << w.index << " is not in the audit";
      ++checked;
    }
  }
  std::cout << "[ crash    ] " << checked << " acknowledged periods found in " << audit.size()
            << " gapless audit entries\n";
}

TEST(Durability, EveryAcknowledgedChangeSurvivesSigkill) {
  TempDir dir;
  every_acknowledged_change_survives_sigkill(dir, dir.path() + "/data");
}

TEST(Durability, EveryAcknowledgedChangeSurvivesSigkillOnPostgres) {
  if (!postgres_installed()) GTEST_SKIP() << kNoPostgres;
  Postgres pg;
  ASSERT_NO_FATAL_FAILURE(start_postgres(pg));
  TempDir dir;
  every_acknowledged_change_survives_sigkill(dir, pg.location);
}

void throughput_with_64_clients(const TempDir& dir, const std::string& data) {
  constexpr int kClients = 64;
  const std::string config = write_config(dir.path(), kClients);
  Opentapid server(dir.path(), 2, 4);
  auto host = start_acd_host(config, data);
  ASSERT_TRUE(host);
  std::vector<Worker> workers(kClients);
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < kClients; ++i) {
    workers[i].index = i;
    threads.emplace_back([&, i] { work(workers[i], stop, /*periods=*/false); });
  }
  // Everybody logged in, then a window measured.
  if (!all_logged_in(workers)) {
    stop = true;
    for (auto& t : threads) t.join();
    FAIL() << "not every client logged in within 60 s";
  }
  std::uint64_t before = 0;
  for (const Worker& w : workers) before += w.acked_changes;
  const auto t0 = Clock::now();
  std::this_thread::sleep_for(3s);
  std::uint64_t after = 0;
  for (const Worker& w : workers) after += w.acked_changes;
  const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  stop = true;
  for (auto& t : threads) t.join();
  const double rate = static_cast<double>(after - before) / seconds;
  std::cout << "[ measure  ] durable session-state changes with " << kClients << " clients: " << rate << " /s\n";
  ::testing::Test::RecordProperty("changes_per_second", static_cast<int>(rate));
  EXPECT_GT(rate, 50.0);
  EXPECT_EQ(host->terminate(), 0) << host->output();
  const std::string out = host->output();
  const auto stats = out.find("STATS ");
  if (stats != std::string::npos)
    std::cout << "[ measure  ] " << out.substr(stats, out.find('\n', stats) - stats) << "\n";
}

TEST(Durability, ThroughputWith64Clients) {
  TempDir dir;
  throughput_with_64_clients(dir, dir.path() + "/data");
}

TEST(Durability, ThroughputWith64ClientsOnPostgres) {
  if (!postgres_installed()) GTEST_SKIP() << kNoPostgres;
  Postgres pg;
  ASSERT_NO_FATAL_FAILURE(start_postgres(pg));
  TempDir dir;
  throughput_with_64_clients(dir, pg.location);
}

TEST(Durability, RestartWith10000LiveSessions) {
  TempDir dir;
  const std::string config_path = write_config(dir.path(), 0);
  const std::string data = dir.path() + "/data";
  auto config = acd::load_config(config_path);
  ASSERT_TRUE(config.ok());
  // 625 agents × (2 lines × 4 addresses × 2 groups) = 10 000 sessions, filed
  // through the ACD's own model and records.
  {
    auto s = open_store(data);
    ASSERT_TRUE(s);
    acd::CallCenter cc(*config, core::testing_time::at(0));
    const auto groups = cc.group_list();
    for (int u = 0; u < 625; ++u) {
      const acd::Actor actor{"user" + std::to_string(u), 0, false};
      auto a = cc.create_agent(actor, "", "", core::testing_time::at(1));
      ASSERT_TRUE(a.ok());
      for (std::uint32_t device : {0u, 1u}) {
        for (std::uint32_t address = 0; address < 4; ++address) {
          for (const auto& g : groups) {
            auto session = cc.create_session(actor, *a, "", device, address, g.id, core::testing_time::at(2));
            ASSERT_TRUE(session.ok()) << session.status().to_string();
            if (address % 2 == 0) {
              ASSERT_TRUE(
                  cc.set_session_state(actor, *session, LINEAGENTSESSIONSTATE_READY, 0, core::testing_time::at(3))
                      .ok());
            }
          }
        }
      }
      if (u % 100 == 99) {
        ASSERT_TRUE(s->commit_and_wait(cc.take_effects().batch).ok());
      }
    }
    ASSERT_TRUE(s->commit_and_wait(cc.take_effects().batch).ok());
    ASSERT_EQ(cc.live_session_count(), 10000u);
  }
  Opentapid server(dir.path(), 2, 4);
  AcdHostInfo info;
  auto host = start_acd_host(config_path, data, &info);
  ASSERT_TRUE(host);
  EXPECT_EQ(info.live_sessions, 10000u);
  std::cout << "[ measure  ] restart with " << info.live_sessions << " live sessions: restore " << info.restore_ms
            << " ms, process start to serving " << info.startup.count() << " ms\n";
  ::testing::Test::RecordProperty("restore_ms", static_cast<int>(info.restore_ms));
  ::testing::Test::RecordProperty("startup_ms", static_cast<int>(info.startup.count()));
  // The sessions are there, in their states.
  Client c;
  const HLINE line = c.open(0);
  std::vector<unsigned char> buf(2048, 0);
  auto* list = reinterpret_cast<LINEAGENTSESSIONLIST*>(buf.data());
  list->dwTotalSize = static_cast<DWORD>(buf.size());
  ASSERT_EQ(c.reply(lineGetAgentSessionList(line, 625, list)), 0);
  EXPECT_EQ(list->dwNumEntries, 16u);
  LINEAGENTSESSIONINFO si;
  ASSERT_EQ(c.session_info(line, 10000, &si), 0);
  EXPECT_NE(si.dwAgentSessionState, 0u);
  EXPECT_EQ(host->terminate(), 0);
}

TEST(Durability, CorruptDatabaseIsAClearErrorAndNoStart) {
  TempDir dir;
  const std::string config = write_config(dir.path(), 1);
  const std::string data = dir.path() + "/data";
  std::filesystem::create_directories(data);
  std::ofstream(data + "/opentapi.db") << std::string(8192, 'x');
  Opentapid server(dir.path(), 2, 4);
  auto host = start_acd_host(config, data, nullptr, /*expect_ready=*/false);
  EXPECT_EQ(host->wait_exit(20s), 1);
  EXPECT_NE(host->output().find("ERROR"), std::string::npos) << host->output();
  EXPECT_NE(host->output().find("corrupt"), std::string::npos) << host->output();
  EXPECT_EQ(host->output().find("READY"), std::string::npos);
}

TEST(Durability, CorruptRecordIsNamedAndNoStart) {
  TempDir dir;
  const std::string config = write_config(dir.path(), 1);
  const std::string data = dir.path() + "/data";
  {
    auto s = open_store(data);
    ASSERT_TRUE(s);
    store::Batch b;
    b.puts.push_back({"session", acd::hex_key(3), "garbage"});
    ASSERT_TRUE(s->commit_and_wait(std::move(b)).ok());
  }
  Opentapid server(dir.path(), 2, 4);
  auto host = start_acd_host(config, data, nullptr, /*expect_ready=*/false);
  EXPECT_EQ(host->wait_exit(20s), 1);
  EXPECT_NE(host->output().find("ERROR stored session record 00000003 cannot be restored"), std::string::npos)
      << host->output();
}

}  // namespace
}  // namespace acd_test
