// The cluster on one machine (docs/ha.md "The fault test"): a PostgreSQL 15
// server the test starts itself, three opentapid nodes on it serving one
// call center with a 2 s lease, and a load client (eight agent applications
// changing their agent's measurement period, each value unique) bounded in
// time, recording every change acknowledged (LINE_REPLY 0). Faults:
//   1. kill -9 of the owner under load;
//   2. SIGSTOP of the owner past its lease, then SIGCONT: it must not write
//      (fencing) and must stand down;
//   4. that node killed and restarted: it comes back as a standby, holding
//      an older epoch than the owner's, and takes nothing over.
// Then, with every node stopped: no acknowledged change is missing from the
// event log, none is there twice, the log has no gap, and the epochs that
// wrote it never go back (only one epoch writes at a time). For each fault
// the time from the fault to the first acknowledged request sent after it
// is printed as [figure] lines; after a kill -9 every client must be
// served again within 10 s, and after a SIGSTOP too, while the node is still
// stopped (libopentapi gives a node up that leaves a Result or a LINE_REPLY
// unanswered); then it is let go on (SIGCONT) and must stand down. A third
// case reads the event log on /events?since= from the owner, kills it and
// resumes on the new owner without a gap or a duplicate.
//
// The applications initialize, open their line (asking for OUTOFSERVICE and
// INSERVICE) and create their agent once: libopentapi resumes them after
// every takeover under the same HLINEAPP, HLINE and HAGENT (docs/ha.md
// "Handles survive"). Every request gets exactly one LINE_REPLY: 0 and
// applied once, or LINEERR_OPERATIONFAILED and not applied; every outage is
// bracketed by OUTOFSERVICE and INSERVICE, never LINE_CLOSE or REINIT.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <regex>
#include <set>
#include <thread>

#include "acd/records.h"
#include "harness.h"
#include "http/testing/test_clients.h"
#include "store/postgres/postgres_store.h"
#include "support/opentapid.h"
#include "support/postgres_server.h"

namespace acd_test {
namespace {

namespace store = opentapi::store;
using opentapi::test_support::PostgresServer;

constexpr int kNodes = 3;
constexpr int kWorkers = 8;
constexpr const char* kCallCenter = "north";
// Longer than any outage of the test: a request is answered once the
// application has been resumed.
constexpr auto kReplyTimeout = 45s;

std::string agent_id(int i) {
  char id[16];
  std::snprintf(id, sizeof id, "A%03d", i);
  return id;
}

std::string write_config(const std::string& dir) {
  std::string text = R"(
[server]
lines = 2
addresses_per_line = 4

[acd]
wrap_up_seconds = 0

[[http.token]]
token = "cluster-test"
user = "supervisor"

[[group]]
name = "Sales"
guid = "{11111111-2222-3333-4444-555555555555}"

[[queue]]
id = 1
name = "Sales"
group = "Sales"
)";
  for (int i = 0; i < kWorkers; ++i) text += "\n[[agent]]\nid = \"" + agent_id(i) + "\"\npin = \"p\"\n";
  const std::string path = dir + "/callcenter.toml";
  std::ofstream(path) << text;
  return path;
}

// One acknowledged change.
struct Ack {
  int worker = 0;
  HAGENT agent = 0;
  DWORD value = 0;
  Clock::time_point sent;
  Clock::time_point acked;
};

class Load {
 public:
  void start() {
    for (int i = 0; i < kWorkers; ++i) threads_.emplace_back([this, i] { work(i); });
  }
  void stop() {
    stop_ = true;
    for (auto& t : threads_) t.join();
    threads_.clear();
  }
  std::size_t acked() const {
    std::lock_guard lock(mu_);
    return acks_.size();
  }
  std::vector<Ack> acks() const {
    std::lock_guard lock(mu_);
    return acks_;
  }
  std::uint64_t failed() const { return failed_.load(); }
  // Values refused at once or whose LINE_REPLY was an error: never applied.
  std::vector<std::pair<HAGENT, DWORD>> failed_values() const {
    std::lock_guard lock(mu_);
    return failed_values_;
  }
  std::uint64_t refused() const { return refused_.load(); }
  std::uint64_t unanswered() const { return unanswered_.load(); }
  std::uint64_t strays() const { return strays_.load(); }
  std::uint64_t reinits() const { return reinits_.load(); }
  std::uint64_t bad_brackets() const { return bad_brackets_.load(); }
  std::uint64_t outages() const { return outages_.load(); }
  std::uint64_t initializations() const { return initializations_.load(); }
  // Per worker: its agent, and the LINE_AGENTSTATUSEX(UPDATEINFO) of it the
  // worker's line got (one per measurement period set: live or replayed
  // after a resume, docs/ha.md "Status messages replayed").
  std::vector<std::pair<HAGENT, std::uint64_t>> period_messages() const {
    std::vector<std::pair<HAGENT, std::uint64_t>> out;
    out.reserve(kWorkers);
    for (int i = 0; i < kWorkers; ++i) out.emplace_back(agents_[i].load(), period_messages_[i].load());
    return out;
  }
  // Where each worker is now, for failure messages.
  std::string phases() const {
    static const char* kNames[] = {"initialize", "open", "agent", "request", "done"};
    std::string out;
    for (int i = 0; i < kWorkers; ++i) out += " " + std::to_string(i) + ":" + kNames[phase_[i].load()];
    return out;
  }
  // Waits until `n` more changes than now are acknowledged.
  bool wait_more(std::size_t n, std::chrono::milliseconds timeout = 30s) {
    const std::size_t target = acked() + n;
    const auto deadline = Clock::now() + timeout;
    while (acked() < target) {
      if (Clock::now() > deadline) return false;
      std::this_thread::sleep_for(10ms);
    }
    return true;
  }

 private:
  void work(int i) {
    DWORD k = 0;
    // Set up once (retried only until it first succeeds); the handles are
    // then kept for the whole run, across every fault.
    std::unique_ptr<Client> c;
    HLINE line = 0;
    HAGENT agent = 0;
    while (!stop_) {
      phase_[i] = 0;
      c = std::make_unique<Client>();
      if (c->init_result() != 0) {
        std::this_thread::sleep_for(20ms);
        continue;
      }
      phase_[i] = 1;
      line = c->open(0);
      phase_[i] = 2;
      if (line == 0 || lineSetStatusMessages(line, LINEDEVSTATE_OUTOFSERVICE | LINEDEVSTATE_INSERVICE, 0) != 0 ||
          c->create_agent(line, agent_id(i).c_str(), "p", &agent) != 0) {
        std::this_thread::sleep_for(20ms);
        continue;
      }
      ++initializations_;
      agents_[i] = agent;
      break;
    }
    bool out_of_service = false;
    const auto look = [&] {
      for (const LINEMESSAGE& m : c->take_received()) {
        if (m.dwMessageID == LINE_CLOSE || (m.dwMessageID == LINE_LINEDEVSTATE && m.dwParam1 == LINEDEVSTATE_REINIT)) {
          ++reinits_;
        }
        if (m.dwMessageID == LINE_AGENTSTATUSEX && m.dwParam1 == agent && m.dwParam2 == LINEAGENTSTATUSEX_UPDATEINFO) {
          ++period_messages_[i];
        }
        if (m.dwMessageID != LINE_LINEDEVSTATE || m.hDevice != line) continue;
        if (m.dwParam1 == LINEDEVSTATE_OUTOFSERVICE) {
          if (out_of_service) ++bad_brackets_;  // said twice
          out_of_service = true;
          ++outages_;
        } else if (m.dwParam1 == LINEDEVSTATE_INSERVICE) {
          if (!out_of_service) ++bad_brackets_;  // INSERVICE without an outage
          out_of_service = false;
        }
      }
    };
    while (!stop_) {
      phase_[i] = 3;
      const DWORD value = static_cast<DWORD>(i + 1) * 1'000'000u + ++k;
      const auto sent = Clock::now();
      const LONG id = lineSetAgentMeasurementPeriod(line, agent, value);
      const LONG rc = c->reply(id, kReplyTimeout);
      if (id <= 0) {
        // Refused at once (the application is being resumed): never
        // applied either.
        ++refused_;
        {
          std::lock_guard lock(mu_);
          failed_values_.emplace_back(agent, value);
        }
        std::this_thread::sleep_for(5ms);
      } else if (rc == 0) {
        std::lock_guard lock(mu_);
        acks_.push_back({i, agent, value, sent, Clock::now()});
      } else if (rc == 1) {
        ++unanswered_;
      } else {
        ++failed_;
        std::lock_guard lock(mu_);
        failed_values_.emplace_back(agent, value);
      }
      // Every agent's status messages come to every worker's line: read a
      // bounded number per request, or the slower workers would do nothing
      // else while the faster ones keep changing state.
      c->drain(0ms, 64);
      look();
    }
    phase_[i] = 4;
    c->drain(100ms);
    look();
    strays_ += c->stray_replies();
  }

  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> failed_{0};
  std::atomic<std::uint64_t> refused_{0};
  std::atomic<std::uint64_t> unanswered_{0};
  std::atomic<std::uint64_t> strays_{0};
  std::atomic<std::uint64_t> reinits_{0};
  std::atomic<std::uint64_t> bad_brackets_{0};
  std::atomic<std::uint64_t> outages_{0};
  std::atomic<std::uint64_t> initializations_{0};
  std::vector<std::pair<HAGENT, DWORD>> failed_values_;
  std::array<std::atomic<int>, kWorkers> phase_{};
  std::array<std::atomic<HAGENT>, kWorkers> agents_{};
  std::array<std::atomic<std::uint64_t>, kWorkers> period_messages_{};
  mutable std::mutex mu_;
  std::vector<Ack> acks_;
  std::vector<std::thread> threads_;
};

// GET path on 127.0.0.1:port; the whole response, "" on failure.
std::string http_get(int port, const std::string& path) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return "";
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<std::uint16_t>(port));
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  // A stopped node accepts (the kernel does) but never answers.
  const timeval limit{2, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
  std::string out;
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&sa), sizeof sa) == 0) {
    const std::string request = "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size())) {
      char buf[4096];
      ssize_t n;
      while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) out.append(buf, static_cast<std::size_t>(n));
    }
  }
  ::close(fd);
  return out;
}

class ClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (PostgresServer::binaries().empty()) {
      GTEST_SKIP() << "PostgreSQL 15 server binaries not found (/usr/lib/postgresql/15/bin or $OPENTAPI_PG_BIN); "
                      "scripts/install-deps.sh installs them";
    }
    std::string error;
    pg_ = PostgresServer::start(&error);
    ASSERT_TRUE(pg_) << "PostgreSQL did not start: " << error;
    db_ = pg_->create_database(&error);
    ASSERT_FALSE(db_.empty()) << error;
    conninfo_ = pg_->conninfo(db_);
    db_server_ = pg_.get();
    config_ = write_config(dir_.path());
    std::string list;
    for (int n = 0; n < kNodes; ++n) {
      sockets_.push_back(dir_.path() + "/n" + std::to_string(n) + ".sock");
      list += (n > 0 ? "," : "") + std::string("unix:") + sockets_.back();
    }
    ::setenv("OPENTAPI_SERVER", list.c_str(), 1);
    nodes_.resize(kNodes);
    ports_.resize(kNodes, 0);
  }

  void TearDown() override {
    for (auto& n : nodes_) {
      if (n && n->running()) {
        n->signal(SIGCONT);
        n->kill_now();
      }
    }
  }

  // `cold`: --cold-standby (no event-log reader; a takeover reloads).
  void start_node(int n, bool cold = false) {
    std::vector<std::string> args = {"--listen",
                                     "unix:" + sockets_[n],
                                     "--store",
                                     "postgresql:" + conninfo_,
                                     "--call-center",
                                     kCallCenter,
                                     "--config",
                                     config_,
                                     "--no-simulator",
                                     "--lease",
                                     "2",
                                     "--http",
                                     "127.0.0.1:0",
                                     "--summary-interval",
                                     "0"};
    if (cold) args.push_back("--cold-standby");
    nodes_[n] = std::make_unique<opentapi::test_support::Opentapid>(
        std::move(args),
        // A log per start: the HTTP port is read from it.
        dir_.path() + "/n" + std::to_string(n) + "." + std::to_string(++starts_) + ".log");
    ASSERT_TRUE(nodes_[n]->wait_listening(sockets_[n], 30s)) << nodes_[n]->log();
    std::smatch m;
    ASSERT_TRUE(nodes_[n]->wait_for_log(std::regex(R"(event=http-listen host=\S+ port=(\d+))"), &m, 30s))
        << nodes_[n]->log();
    ports_[n] = std::stoi(m[1].str());
  }

  // The lease row: the owner's node index (-1: none known) and epoch.
  std::pair<int, long> lease() const {
    const std::string endpoint = db_server_->query(
        db_, std::string("SELECT owner_endpoint FROM opentapi_call_centers WHERE name = '") + kCallCenter + "'");
    const std::string epoch = db_server_->query(
        db_, std::string("SELECT epoch FROM opentapi_call_centers WHERE name = '") + kCallCenter + "'");
    int owner = -1;
    for (int n = 0; n < kNodes; ++n) {
      if (endpoint == "unix:" + sockets_[n]) owner = n;
    }
    return {owner, epoch.empty() || epoch.starts_with("ERROR") ? 0L : std::stol(epoch)};
  }

  // Waits for an owner at an epoch above `after`, whose /healthz says so.
  std::pair<int, long> wait_owner(long after, std::chrono::milliseconds timeout = 30s) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
      const auto [owner, epoch] = lease();
      if (owner >= 0 && epoch > after && nodes_[owner] &&
          http_get(ports_[owner], "/healthz").find("owner call_center=north") != std::string::npos) {
        return {owner, epoch};
      }
      if (Clock::now() > deadline) return {-1, epoch};
      std::this_thread::sleep_for(20ms);
    }
  }

  // The time from `fault` to each worker's first acknowledgement of a
  // request it sent after the fault: printed as p50 and max.
  // Waits (30 s at most) until every worker has had a request sent after
  // `at` acknowledged; returns how many have.
  static std::size_t all_served_after(Clock::time_point at, const Load& load) {
    std::set<int> served;
    const auto deadline = Clock::now() + 30s;
    while (served.size() < static_cast<std::size_t>(kWorkers) && Clock::now() < deadline) {
      served.clear();
      for (const Ack& a : load.acks()) {
        if (a.sent >= at) served.insert(a.worker);
      }
      if (served.size() < static_cast<std::size_t>(kWorkers)) std::this_thread::sleep_for(20ms);
    }
    return served.size();
  }

  // Every client must be served again within `bound` of the fault.
  void report(const std::string& fault, Clock::time_point at, const Load& load, std::size_t acked_before,
              std::chrono::milliseconds bound = 30s) {
    std::map<int, double> first;
    const auto deadline = Clock::now() + 30s;
    while (first.size() < static_cast<std::size_t>(kWorkers) && Clock::now() < deadline) {
      first.clear();
      for (const Ack& a : load.acks()) {
        if (a.sent < at || first.count(a.worker) != 0) continue;
        first[a.worker] = std::chrono::duration<double, std::milli>(a.acked - at).count();
      }
      if (first.size() < static_cast<std::size_t>(kWorkers)) std::this_thread::sleep_for(20ms);
    }
    EXPECT_EQ(first.size(), static_cast<std::size_t>(kWorkers))
        << fault << ": clients that did not get served again; workers:" << load.phases();
    std::vector<double> ms;
    for (const auto& [w, v] : first) ms.push_back(v);
    std::sort(ms.begin(), ms.end());
    const auto late =
        std::count_if(ms.begin(), ms.end(), [&](double v) { return v > static_cast<double>(bound.count()); });
    EXPECT_EQ(late, 0) << fault << ": clients served only after " << bound.count() << " ms; workers:" << load.phases();
    ASSERT_FALSE(ms.empty()) << fault << ": nothing acknowledged after the fault";
    std::cout << "[figure] " << fault << ": first served request after " << ms.front() << " ms, p50 over " << ms.size()
              << " of " << kWorkers << " clients " << ms[ms.size() / 2] << " ms, max " << ms.back() << " ms; "
              << acked_before << " changes acknowledged before it\n";
  }

  // How many log lines of every node start so far contain `text`.
  std::size_t count_in_logs(const std::string& text) const {
    std::size_t n = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
      if (entry.path().extension() != ".log") continue;
      std::ifstream in(entry.path());
      for (std::string line; std::getline(in, line);) {
        if (line.find(text) != std::string::npos) ++n;
      }
    }
    return n;
  }

  void stop_nodes() {
    for (auto& n : nodes_) {
      n->signal(SIGCONT);
      EXPECT_EQ(n->terminate(), 0) << n->log();
    }
  }

  // With every node stopped: the event log has no gap, its epochs never go
  // back (and `stopped_epoch`, unless -1, wrote nothing once a newer one
  // had begun), no change is in it twice, and every acknowledged one is
  // there.
  void check_event_log(const Load& load, long stopped_epoch) {
    const std::vector<Ack> acks = load.acks();

    // The event log, checked in the database.
    auto q = [&](const std::string& sql) { return db_server_->query(db_, sql); };
    const std::string cc = std::string("call_center = '") + kCallCenter + "'";
    EXPECT_EQ(q("SELECT count(*) = max(seq) - min(seq) + 1 FROM opentapi_events WHERE " + cc), "t") << "a gap";
    EXPECT_EQ(q("SELECT count(*) FROM (SELECT seq, epoch, lag(epoch) OVER (ORDER BY seq) AS prev FROM "
                "opentapi_events WHERE " +
                cc + ") e WHERE e.prev > e.epoch"),
              "0")
        << "an older epoch wrote after a newer one";
    if (stopped_epoch >= 0) {
      EXPECT_EQ(q("SELECT count(*) FROM opentapi_events WHERE " + cc + " AND epoch = " + std::to_string(stopped_epoch) +
                  " AND seq > (SELECT min(seq) FROM opentapi_events WHERE " + cc + " AND epoch > " +
                  std::to_string(stopped_epoch) + ")"),
                "0")
          << "the stopped node wrote after it was taken over";
    }
    EXPECT_EQ(q("SELECT count(*) FROM (SELECT object_key, to_state FROM opentapi_events WHERE " + cc +
                " AND what = 'SetAgentMeasurementPeriod'::bytea GROUP BY 1, 2 HAVING count(*) > 1) d"),
              "0")
        << "a change applied twice";
    const std::string epochs = q("SELECT string_agg(DISTINCT epoch::text, ',') FROM opentapi_events WHERE " + cc);

    // Every acknowledged change is in the log.
    store::PostgresOptions o;
    o.conninfo = conninfo_;
    o.call_center = kCallCenter;
    o.wait_for_lease = 15s;
    auto opened = store::open_postgres_store(o);
    ASSERT_TRUE(opened.ok()) << opened.status().to_string();
    std::set<std::pair<std::string, std::uint32_t>> logged;
    std::uint64_t after = 0;
    for (;;) {
      auto page = (*opened)->audit("", "", after, store::Store::kMaxAuditPage);
      ASSERT_TRUE(page.ok()) << page.status().to_string();
      if (page->empty()) break;
      after = page->back().seq;
      for (const auto& e : *page) {
        if (e.what == "SetAgentMeasurementPeriod") logged.insert({e.object_key, e.to});
      }
    }
    std::size_t lost = 0;
    for (const Ack& a : acks) {
      if (logged.count({opentapi::acd::hex_key(a.agent), a.value}) == 0) ++lost;
    }
    EXPECT_EQ(lost, 0u) << "acknowledged changes missing from the event log";
    // A request refused, or answered with an error, was not applied.
    std::size_t failed_applied = 0;
    const auto failed = load.failed_values();
    for (const auto& [agent, value] : failed) {
      if (logged.count({opentapi::acd::hex_key(agent), value}) != 0) ++failed_applied;
    }
    EXPECT_EQ(failed_applied, 0u) << "requests refused or answered with an error that were applied";
    // Handles survived: each application initialized once and was never
    // closed; every request was answered exactly once.
    EXPECT_EQ(load.initializations(), static_cast<std::uint64_t>(kWorkers));
    EXPECT_EQ(load.reinits(), 0u) << "LINE_CLOSE or REINIT: an application was not resumed";
    EXPECT_EQ(load.unanswered(), 0u) << "requests without a LINE_REPLY";
    EXPECT_EQ(load.strays(), 0u) << "a request answered twice";
    EXPECT_EQ(load.bad_brackets(), 0u) << "OUTOFSERVICE twice, or INSERVICE without OUTOFSERVICE";
    std::cout << "[figure] " << acks.size() << " changes acknowledged in this run, " << lost
              << " lost, none applied twice; LINE_REPLY with an error (not applied): " << load.failed()
              << ", refused at once while resuming (not applied): " << load.refused()
              << ", unanswered: " << load.unanswered() << "; outages seen (OUTOFSERVICE..INSERVICE): " << load.outages()
              << " over " << kWorkers << " applications, each initialized once; epochs that wrote: " << epochs
              << "; requests sent again and answered from the store (not applied twice): "
              << count_in_logs("event=acd-request-replayed")
              << "; commits in doubt answered once the store could tell: "
              << count_in_logs("event=acd-in-doubt-resolved") << "\n";
  }

  TempDir dir_;
  std::unique_ptr<PostgresServer> pg_;
  std::unique_ptr<PostgresServer> standby_;
  PostgresServer* db_server_ = nullptr;  // the primary now
  std::string conninfo_;
  std::string db_;
  std::string config_;
  std::vector<std::string> sockets_;
  std::vector<std::unique_ptr<opentapi::test_support::Opentapid>> nodes_;
  std::vector<int> ports_;
  int starts_ = 0;
};

TEST_F(ClusterTest, FailoverLosesNothingAndOnlyOneEpochWrites) {
  for (int n = 0; n < kNodes; ++n) ASSERT_NO_FATAL_FAILURE(start_node(n));
  auto [owner, epoch] = wait_owner(0);
  ASSERT_GE(owner, 0) << "no node took the call center";
  for (int n = 0; n < kNodes; ++n) {
    if (n == owner) continue;
    const std::string health = http_get(ports_[n], "/healthz");
    EXPECT_NE(health.find("standby call_center=north"), std::string::npos) << health;
    EXPECT_NE(http_get(ports_[n], "/metrics").find("opentapi_cluster_owner{call_center=\"north\"} 0"),
              std::string::npos);
  }
  EXPECT_NE(http_get(ports_[owner], "/metrics").find("opentapi_cluster_owner{call_center=\"north\"} 1"),
            std::string::npos);

  Load load;
  load.start();
  ASSERT_TRUE(load.wait_more(200)) << "the load did not get going; failed requests: " << load.failed();

  // 1. kill -9 of the owner under load.
  {
    const std::size_t before = load.acked();
    const auto at = Clock::now();
    nodes_[owner]->kill_now();
    // SIGKILL to reaped: its sockets (to clients and to PostgreSQL) close
    // only at the end of its exit, and until then its lease stays held.
    const auto reaped_ms = std::chrono::duration<double, std::milli>(Clock::now() - at).count();
    const int killed = owner;
    std::tie(owner, epoch) = wait_owner(epoch);
    ASSERT_GE(owner, 0) << "nobody took over after kill -9";
    EXPECT_NE(owner, killed);
    ASSERT_TRUE(load.wait_more(100)) << "the load did not resume; failed requests: " << load.failed();
    // Within the lease even if the killed node's database connection
    // outlived it (docs/ha.md "What the fault test shows"), plus the
    // clients' time-outs; 10 s leaves room for a loaded machine.
    ASSERT_NO_FATAL_FAILURE(report("kill -9 of the owner", at, load, before, 10s));
    std::smatch m;
    const std::string log = nodes_[owner]->log();
    if (std::regex_search(log, m, std::regex(R"(event=takeover [^\n]*)"))) {
      std::cout << "[figure] killed node reaped after " << reaped_ms << " ms; " << m[0] << "\n";
    }
    ASSERT_NO_FATAL_FAILURE(start_node(killed));  // back, as a standby
  }

  // 2. SIGSTOP of the owner past its lease, then SIGCONT.
  int stopped = owner;
  long stopped_epoch = epoch;
  {
    const std::size_t before = load.acked();
    const auto at = Clock::now();
    nodes_[stopped]->signal(SIGSTOP);
    std::tie(owner, epoch) = wait_owner(stopped_epoch);
    ASSERT_GE(owner, 0) << "nobody took over from the stopped owner";
    EXPECT_NE(owner, stopped);
    const auto taken = Clock::now();
    std::cout << "[figure] SIGSTOP: takeover " << std::chrono::duration<double, std::milli>(taken - at).count()
              << " ms after the stop\n";
    ASSERT_TRUE(load.wait_more(100)) << "the load did not resume; failed requests: " << load.failed();
    // Every client is served again while the node is still stopped, within
    // the lease, the takeover and libopentapi's time-outs (docs/tapi2.md
    // "Time-outs": a request the stopped node took gets no Result for 3 s,
    // or, answered, no LINE_REPLY for 5 s; the resume then tries the other
    // nodes before it, docs/ha.md "Handles survive"); 10 s leaves room for a
    // loaded machine.
    ASSERT_NO_FATAL_FAILURE(report("SIGSTOP of the owner past its 2 s lease", at, load, before, 10s));
    const auto resumed = Clock::now();
    nodes_[stopped]->signal(SIGCONT);
    // It finds its lease gone and stands down: no more serving, no write.
    ASSERT_TRUE(nodes_[stopped]->wait_for_log(std::regex("event=step-down"), nullptr, 30s)) << nodes_[stopped]->log();
    const auto deadline = Clock::now() + 30s;
    std::string health;
    while (Clock::now() < deadline) {
      health = http_get(ports_[stopped], "/healthz");
      if (health.find("standby call_center=north") != std::string::npos) break;
      std::this_thread::sleep_for(20ms);
    }
    EXPECT_NE(health.find("standby call_center=north"), std::string::npos) << health;
    EXPECT_EQ(lease(), std::make_pair(owner, epoch)) << "the resumed node took nothing back";
    ASSERT_TRUE(load.wait_more(50)) << "the load stalled after SIGCONT";
    EXPECT_EQ(all_served_after(resumed, load), static_cast<std::size_t>(kWorkers))
        << "clients not served again after SIGCONT; workers:" << load.phases();
  }

  // 4. The node of the older epoch, killed and restarted: a standby again.
  {
    const std::size_t before = load.acked();
    nodes_[stopped]->kill_now();
    ASSERT_NO_FATAL_FAILURE(start_node(stopped));
    const auto deadline = Clock::now() + 30s;
    std::string health;
    while (Clock::now() < deadline) {
      health = http_get(ports_[stopped], "/healthz");
      if (health.find("standby call_center=north owner=") != std::string::npos) break;
      std::this_thread::sleep_for(20ms);
    }
    EXPECT_NE(health.find("standby call_center=north"), std::string::npos) << health;
    ASSERT_TRUE(load.wait_more(50)) << "the load stalled";
    EXPECT_EQ(lease(), std::make_pair(owner, epoch)) << "a restarted node must not take over from a live owner";
    std::cout << "[figure] restart of the node of epoch " << stopped_epoch << " (owner at epoch " << epoch
              << "): no takeover, " << load.acked() - before << " changes acknowledged meanwhile\n";
  }

  load.stop();
  ASSERT_NO_FATAL_FAILURE(stop_nodes());
  check_event_log(load, stopped_epoch);
  // Two takeovers with every application on the owner: each saw both.
  EXPECT_GE(load.outages(), 2u * kWorkers);
  // Each application got the status message of every change of its agent
  // once, across both takeovers: those made while it was away replayed.
  const std::string cc = std::string("call_center = '") + kCallCenter + "'";
  for (const auto& [agent, got] : load.period_messages()) {
    const std::string logged =
        db_server_->query(db_, "SELECT count(*) FROM opentapi_events WHERE " + cc +
                                   " AND what = 'SetAgentMeasurementPeriod'::bytea AND object_key = '" +
                                   opentapi::acd::hex_key(agent) + "'::bytea");
    EXPECT_EQ(std::to_string(got), logged) << "agent " << agent << ": status messages against changes logged";
  }
}

// WebSocket /events?since=SEQ (docs/http.md "The event log on /events"):
// a client reading the event log from the owner, which is then killed,
// resumes on the new owner from the last seq it had, and sees every entry
// once: the seqs it gets over both connections are consecutive.
TEST_F(ClusterTest, EventLogResumesOnTheNewOwnerWithoutGapOrDuplicate) {
  for (int n = 0; n < kNodes; ++n) ASSERT_NO_FATAL_FAILURE(start_node(n));
  auto [owner, epoch] = wait_owner(0);
  ASSERT_GE(owner, 0) << "no node took the call center";
  Load load;
  load.start();
  ASSERT_TRUE(load.wait_more(100)) << "the load did not get going; failed requests: " << load.failed();

  std::vector<std::uint64_t> seqs;
  // Reads event frames until `until` says stop or the stream ends; every
  // other frame type is returned for the caller to look at.
  auto read_events = [&](opentapi::http::testing::WsClient& ws, const std::function<bool()>& until) {
    while (!until()) {
      const auto frame = ws.next(10s);
      if (!frame) return;
      if ((*frame)["type"] == "event") {
        seqs.push_back((*frame)["seq"].get<std::uint64_t>());
      } else {
        ADD_FAILURE() << "unexpected frame " << frame->dump();
      }
    }
  };

  opentapi::http::testing::WsClient first;
  ASSERT_TRUE(first.connect(static_cast<std::uint16_t>(ports_[owner]), "/events?token=cluster-test&since=0"));
  const auto hello = first.next(10s);
  ASSERT_TRUE(hello);
  EXPECT_EQ((*hello)["type"], "log") << hello->dump();
  read_events(first, [&] { return seqs.size() >= 150; });
  ASSERT_GE(seqs.size(), 150u) << "the owner's event log stream stalled";

  nodes_[owner]->kill_now();
  // Whatever the killed owner had sent is read to the end of the stream.
  read_events(first, [] { return false; });
  ASSERT_FALSE(seqs.empty());
  const std::uint64_t had = seqs.back();
  const int killed = owner;
  std::tie(owner, epoch) = wait_owner(epoch);
  ASSERT_GE(owner, 0) << "nobody took over after kill -9";
  EXPECT_NE(owner, killed);
  ASSERT_TRUE(load.wait_more(100)) << "the load did not resume; failed requests: " << load.failed();
  const std::uint64_t target = std::stoull(db_server_->query(
      db_, std::string("SELECT max(seq) FROM opentapi_events WHERE call_center = '") + kCallCenter + "'"));
  ASSERT_GT(target, had);

  opentapi::http::testing::WsClient second;
  ASSERT_TRUE(second.connect(static_cast<std::uint16_t>(ports_[owner]),
                             "/events?token=cluster-test&since=" + std::to_string(had)));
  const auto resumed = second.next(10s);
  ASSERT_TRUE(resumed);
  EXPECT_EQ((*resumed)["type"], "log") << resumed->dump();
  EXPECT_EQ((*resumed)["since"], had);
  const std::size_t before_resume = seqs.size();
  read_events(second, [&] { return seqs.back() >= target; });
  load.stop();

  ASSERT_GT(seqs.size(), before_resume) << "nothing after the resume point";
  EXPECT_EQ(seqs[before_resume], had + 1) << "the resumed stream does not start right after " << had;
  std::size_t gaps = 0;
  for (std::size_t i = 1; i < seqs.size(); ++i) {
    if (seqs[i] != seqs[i - 1] + 1) ++gaps;
  }
  EXPECT_EQ(gaps, 0u) << "seqs not consecutive over the two connections (a gap or a duplicate)";
  std::cout << "[figure] /events?since: " << before_resume << " entries from the owner up to seq " << had << ", "
            << seqs.size() - before_resume << " from the new owner after the resume (up to " << seqs.back()
            << "), no gap, no duplicate\n";
}

// A sample of /metrics: the value of `name` for this call center, or -1.
double metric(const std::string& metrics, const std::string& name) {
  const std::string key = name + "{call_center=\"" + kCallCenter + "\"} ";
  const auto at = metrics.find(key);
  if (at == std::string::npos) return -1;
  return std::atof(metrics.c_str() + at + key.size());
}

// What each worker's agent looks like to an application of the owner now:
// state, next state, measurement period, ACD calls.
std::vector<std::array<DWORD, 4>> agents_seen() {
  std::vector<std::array<DWORD, 4>> out;
  Client c;
  EXPECT_EQ(c.init_result(), 0);
  const HLINE line = c.open(0);
  EXPECT_NE(line, 0u);
  for (int i = 0; i < kWorkers; ++i) {
    HAGENT agent = 0;
    LINEAGENTINFO info{};
    EXPECT_EQ(c.create_agent(line, agent_id(i).c_str(), "p", &agent), 0);
    EXPECT_EQ(c.agent_info(line, agent, &info), 0);
    out.push_back({info.dwAgentState, info.dwNextAgentState, info.dwMeasurementPeriod, info.dwNumberOfACDCalls});
  }
  return out;
}

// Warm standbys (docs/ha.md "Warm standbys"): a standby follows the event
// log under load — its copy is caught up (lag 0) again and again, woken by
// the owner's notifications —, takes over from its copy after a kill -9 of
// the owner, and serves exactly the state a cold takeover (a node that
// reloads everything from the database) then serves from the same
// database; no acknowledged change is lost on the way.
TEST_F(ClusterTest, AWarmStandbyFollowsTheLogAndTakesOverWithTheStateAColdOneFinds) {
  ASSERT_NO_FATAL_FAILURE(start_node(0));
  auto [owner, epoch] = wait_owner(0);
  ASSERT_EQ(owner, 0);
  ASSERT_NO_FATAL_FAILURE(start_node(1));
  Load load;
  load.start();
  ASSERT_TRUE(load.wait_more(200)) << "the load did not get going; failed requests: " << load.failed();

  // Under load, the standby's copy is ready and catches up: lag 0 seen
  // while changes keep being acknowledged; its reader was woken by the
  // owner's NOTIFYs (a poll alone would be twice a second).
  double max_lag_seq = 0, max_lag_seconds = 0, notifications = 0;
  int caught_up = 0;
  const std::size_t before = load.acked();
  const auto deadline = Clock::now() + 30s;
  while ((caught_up < 5 || load.acked() < before + 200) && Clock::now() < deadline) {
    const std::string m = http_get(ports_[1], "/metrics");
    if (metric(m, "opentapi_cluster_reader_ready") == 1) {
      const double lag = metric(m, "opentapi_cluster_reader_lag_seq");
      max_lag_seq = std::max(max_lag_seq, lag);
      max_lag_seconds = std::max(max_lag_seconds, metric(m, "opentapi_cluster_reader_lag_seconds"));
      notifications = metric(m, "opentapi_cluster_reader_notifications_total");
      if (lag == 0) ++caught_up;
    }
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_GE(caught_up, 5) << "the standby's copy was not seen caught up under load";
  EXPECT_GE(load.acked(), before + 200) << "the load stalled";
  EXPECT_GT(notifications, 10) << "the reader was not woken by the owner's notifications";
  EXPECT_LT(max_lag_seconds, 10) << "the copy fell far behind";
  std::cout << "[figure] warm standby under load: lag 0 seen " << caught_up << " times, at most " << max_lag_seq
            << " seqs / " << max_lag_seconds << " s behind, " << notifications << " notifications, "
            << load.acked() - before << " changes acknowledged meanwhile\n";

  // kill -9 of the owner: the warm standby takes over from its copy.
  const std::size_t acked_before = load.acked();
  const auto at = Clock::now();
  nodes_[0]->kill_now();
  std::tie(owner, epoch) = wait_owner(epoch);
  ASSERT_EQ(owner, 1) << "the warm standby did not take over";
  ASSERT_TRUE(nodes_[1]->wait_for_log(std::regex("event=takeover-warm seq=\\d+"), nullptr, 10s)) << nodes_[1]->log();
  ASSERT_TRUE(nodes_[1]->wait_for_log(std::regex("event=acd-restored .* source=copy"), nullptr, 10s))
      << nodes_[1]->log();
  ASSERT_TRUE(load.wait_more(100)) << "the load did not resume; failed requests: " << load.failed();
  ASSERT_NO_FATAL_FAILURE(report("kill -9 of the owner, warm standby", at, load, acked_before, 10s));
  load.stop();

  // What the warm owner serves: every acknowledged change is there.
  const auto warm = agents_seen();
  const std::vector<Ack> acks = load.acks();
  for (int i = 0; i < kWorkers; ++i) {
    DWORD last = 0;
    for (const Ack& a : acks) {
      if (a.worker == i) last = std::max(last, a.value);
    }
    // A request that timed out may have been applied after the last one
    // acknowledged ("in doubt"), never one before it.
    EXPECT_GE(warm[static_cast<std::size_t>(i)][2], last) << "agent " << agent_id(i);
    EXPECT_LT(warm[static_cast<std::size_t>(i)][2], static_cast<DWORD>(i + 2) * 1'000'000u) << "agent " << agent_id(i);
  }

  // A cold standby takes over from the warm owner: it reloads everything
  // from the database and must serve the same.
  ASSERT_NO_FATAL_FAILURE(start_node(2, /*cold=*/true));
  {
    const auto until = Clock::now() + 30s;
    while (http_get(ports_[2], "/healthz").find("standby call_center=north owner=") == std::string::npos &&
           Clock::now() < until) {
      std::this_thread::sleep_for(20ms);
    }
  }
  EXPECT_EQ(metric(http_get(ports_[2], "/metrics"), "opentapi_cluster_reader_ready"), -1)
      << "a cold standby has no reader";
  nodes_[1]->kill_now();
  std::tie(owner, epoch) = wait_owner(epoch);
  ASSERT_EQ(owner, 2) << "the cold standby did not take over";
  ASSERT_TRUE(nodes_[2]->wait_for_log(std::regex("event=acd-restored .* source=store"), nullptr, 10s))
      << nodes_[2]->log();
  EXPECT_EQ(agents_seen(), warm) << "the warm takeover served another state than a cold one";

  EXPECT_EQ(nodes_[2]->terminate(), 0) << nodes_[2]->log();
  check_event_log(load, -1);
}

TEST_F(ClusterTest, PrimaryKilledAndItsSynchronousStandbyPromoted) {
  std::string error;
  standby_ = PostgresServer::start_standby(*pg_, &error);
  ASSERT_TRUE(standby_) << error;
  conninfo_ = "host=" + pg_->socket_dir() + "," + standby_->socket_dir() + " port=" + std::to_string(pg_->port()) +
              "," + std::to_string(standby_->port()) + " user=postgres dbname=" + db_ +
              " target_session_attrs=read-write connect_timeout=2";
  for (int n = 0; n < kNodes; ++n) ASSERT_NO_FATAL_FAILURE(start_node(n));
  auto [owner, epoch] = wait_owner(0);
  ASSERT_GE(owner, 0) << "no node took the call center";
  Load load;
  load.start();
  ASSERT_TRUE(load.wait_more(200)) << "the load did not get going; failed requests: " << load.failed();

  // 3. kill -9 of the primary; the failover manager (Patroni in production)
  // promotes the synchronous standby, here half a second later.
  const std::size_t before = load.acked();
  const auto at = Clock::now();
  pg_->kill_now();
  std::this_thread::sleep_for(500ms);
  ASSERT_EQ(standby_->promote(), "");
  db_server_ = standby_.get();
  ASSERT_TRUE(load.wait_more(100)) << "the load did not resume on the promoted standby; failed requests: "
                                   << load.failed();
  ASSERT_NO_FATAL_FAILURE(report("kill -9 of the PostgreSQL primary, standby promoted 0.5 s later", at, load, before));
  const auto [after_owner, after_epoch] = lease();
  std::cout << "[figure] owner before: node " << owner << " at epoch " << epoch << "; after: node " << after_owner
            << " at epoch " << after_epoch << "\n";
  load.stop();
  ASSERT_NO_FATAL_FAILURE(stop_nodes());
  check_event_log(load, -1);
}

}  // namespace
}  // namespace acd_test
