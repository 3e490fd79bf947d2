// Takeover: the time from the owner's death to the first request served by
// the node that takes over, with N agents holding a session each, on a
// cluster the benchmark builds itself (docs/ha.md "Takeover with 100 000
// sessions"):
//
//   * a throw-away PostgreSQL 15 (tests/support/postgres_server.h: initdb in
//     a temporary directory, UNIX socket only, fsync on; as `postgres`
//     through runuser under root);
//   * two opentapid nodes on it for one call center, --lease 2 (the target's
//     lease), --no-simulator, the template configuration
//     (etc/opentapi/callcenter.toml) with one [[agent]] per agent;
//   * C client applications create the N agents and their sessions on the
//     first owner (lineCreateAgent + lineCreateAgentSession, both durable);
//   * then T takeovers: the standby is (re)started in the mode of this
//     takeover — `warm` (the default: it follows the event log and takes
//     over from its copy) or `cold` (--cold-standby: it reloads everything
//     from the database at takeover) — and waited for (warm: its reader has
//     caught up, /metrics lag 0); a few changes are made on the owner; then
//     kill -9 of the owner and, from that moment, a client polls (every
//     0.5 ms: lineInitializeEx through the OPENTAPI_SERVER list of both
//     nodes, lineOpen, lineGetAgentSessionInfo of a random session) until
//     the new owner answers with success. The killed node comes back as
//     the next standby.
//
// Printed per takeover: kill → first served request (the target: ≤ 3 s with
// a 2 s lease at 100 000 sessions), and the new owner's phases from its
// log (kill → `event=takeover`, its `ms_since_free`, the ACD's restore).
// A line per mode ("takeover sessions=N mode=M median_ms=… max_ms=…") and
// the target, MET or NOT MET, judged on the worst takeover.
//
//   takeover_bench [--sessions N] [--takeovers T] [--modes warm,cold]
//                  [--clients C] [--window W] [--max-seconds S] [--json FILE]
//                  [--keep] [--allow-debug]
//
// Without PostgreSQL's server binaries it says "takeover_bench: skipped"
// and exits 0. Exits 2 in a Debug or sanitizer build unless --allow-debug
// (ctest takeover_bench_smoke: 200 sessions), 1 on a failure.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <random>
#include <regex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "bench_support.h"
#include "support/opentapid.h"
#include "support/postgres_server.h"
#include "tapi.h"

namespace {

using opentapi::bench::json_escape;
using opentapi::bench::read_file;
using opentapi::test_support::Opentapid;
using opentapi::test_support::PostgresServer;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr DWORD kVersion = 0x00030001;
// Group "Sales" of etc/opentapi/callcenter.toml.
constexpr GUID kSales = {0xA1C44A13, 0x0635, 0x4B3C, {0xBA, 0xA0, 0xE1, 0xE4, 0x69, 0x4E, 0x03, 0x3A}};
constexpr DWORD kAddresses = 2;
constexpr double kTargetMs = 3000;
constexpr int kTargetSessions = 100000;
constexpr const char* kCallCenter = "bench";

const bool kDebugBuild = opentapi::bench::is_debug_build();

// The nodes, for fail(): they die with the benchmark anyway
// (PR_SET_PDEATHSIG), but a failure should not leave them running until then.
std::unique_ptr<Opentapid> g_nodes[2];

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "takeover_bench: %s\n", what.c_str());
  for (auto& n : g_nodes) {
    if (n) n->kill_now();
  }
  std::_Exit(1);
}

[[noreturn]] void die(const std::string& what, LONG rc) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%08X", static_cast<unsigned>(rc));
  fail(what + " failed: " + buf);
}

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

std::string agent_id(int i) {
  char id[16];
  std::snprintf(id, sizeof id, "T%06d", i);
  return id;
}

// Waits for the LINE_REPLY of request `id` (other messages are dropped);
// `timeout` without it → LINEERR_OPERATIONFAILED.
LONG wait_reply(HLINEAPP app, LONG id, DWORD timeout_ms = 30'000) {
  if (id <= 0) return id;
  LINEMESSAGE m;
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  do {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0 || lineGetMessage(app, &m, static_cast<DWORD>(left)) != 0) return LINEERR_OPERATIONFAILED;
  } while (m.dwMessageID != LINE_REPLY || m.dwParam1 != static_cast<DWORD_PTR>(id));
  return static_cast<LONG>(m.dwParam2);
}

HLINEAPP try_initialize(const char* name, LONG* rc) {
  LINEINITIALIZEEXPARAMS params{};
  params.dwTotalSize = sizeof params;
  params.dwOptions = LINEINITIALIZEEXOPTION_USEEVENT;
  HLINEAPP h = 0;
  DWORD devs = 0;
  DWORD version = kVersion;
  *rc = lineInitializeExA(&h, nullptr, nullptr, name, &devs, &version, &params);
  return *rc == 0 ? h : 0;
}

struct Created {
  HAGENT agent = 0;
  HAGENTSESSION session = 0;
  std::uint8_t step = 0;  // 0 agent requested, 1 session requested, 2 done
};

// Client c: its own application on line c + 1, agents c, c + C, …, at most
// `window` requests in flight.
void create_agents(int c, int clients, int window, int agents, std::vector<Created>& out) {
  LONG rc = 0;
  const HLINEAPP app = try_initialize("takeover bench client", &rc);
  if (app == 0) die("lineInitializeEx", rc);
  HLINE line = 0;
  if ((rc = lineOpenA(app, static_cast<DWORD>(c + 1), &line, kVersion, 0, 0, LINECALLPRIVILEGE_NONE, 0, nullptr)))
    die("lineOpen", rc);
  std::unordered_map<LONG, int> pending;
  char pin[] = "p";
  int next = c;
  const auto request_agent = [&](int i) {
    std::string id = agent_id(i);
    const LONG req = lineCreateAgentA(line, id.data(), pin, &out[static_cast<std::size_t>(i)].agent);
    if (req <= 0) die("lineCreateAgent", req);
    pending.emplace(req, i);
  };
  while (next < agents && static_cast<int>(pending.size()) < window) {
    request_agent(next);
    next += clients;
  }
  LINEMESSAGE m;
  while (!pending.empty()) {
    if ((rc = lineGetMessage(app, &m, 30'000))) die("lineGetMessage (30 s without a message)", rc);
    if (m.dwMessageID != LINE_REPLY) continue;
    auto it = pending.find(static_cast<LONG>(m.dwParam1));
    if (it == pending.end()) continue;
    const int i = it->second;
    pending.erase(it);
    Created& a = out[static_cast<std::size_t>(i)];
    if (m.dwParam2 != 0) die("creating agent " + agent_id(i), static_cast<LONG>(m.dwParam2));
    if (a.step == 0) {
      a.step = 1;
      GUID group = kSales;
      const LONG req =
          lineCreateAgentSessionA(line, a.agent, nullptr, static_cast<DWORD>(i) % kAddresses, &group, &a.session);
      if (req <= 0) die("lineCreateAgentSession", req);
      pending.emplace(req, i);
    } else {
      a.step = 2;
      if (next < agents) {
        request_agent(next);
        next += clients;
      }
    }
  }
  lineShutdown(app);
}

// `changes` durable changes (the measurement period of the first agents),
// so that the standby has entries to follow right before the kill.
void make_changes(const std::vector<Created>& created, int changes, int round) {
  LONG rc = 0;
  HLINEAPP app = try_initialize("takeover bench changes", &rc);
  if (app == 0) die("lineInitializeEx (changes)", rc);
  HLINE line = 0;
  if ((rc = lineOpenA(app, 1, &line, kVersion, 0, 0, LINECALLPRIVILEGE_NONE, 0, nullptr))) die("lineOpen", rc);
  for (int i = 0; i < changes; ++i) {
    const Created& a = created[static_cast<std::size_t>(i) % created.size()];
    const DWORD period = static_cast<DWORD>(100 + round * 1000 + i);
    if ((rc = wait_reply(app, lineSetAgentMeasurementPeriod(line, a.agent, period))))
      die("lineSetAgentMeasurementPeriod", rc);
  }
  lineShutdown(app);
}

// GET path from 127.0.0.1:port; the whole response, "" on failure.
std::string http_get(int port, const std::string& path) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return "";
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<std::uint16_t>(port));
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
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

struct Takeover {
  std::string mode;
  double serve_ms = 0;         // kill -9 → first successful lineGetAgentSessionInfo on the new owner
  double takeover_ms = -1;     // kill -9 → the new owner's event=takeover line (wall clock of its log)
  double since_free_ms = -1;   // its ms_since_free: the lease seen free → serving
  double acd_restore_ms = -1;  // its ACD's restore (event=acd-restored ms=)
  std::string restore;         // how: "warm from seq S (+E entries)" or "cold"
};

// The wall-clock time (ms since the Unix epoch) of an opentapid log line
// "2026-12-07T17:40:07.038+00:00 …" (UTC); nullopt if it has none.
std::optional<double> log_time_ms(const std::string& line) {
  std::tm tm{};
  int ms = 0;
  if (std::sscanf(line.c_str(), "%d-%d-%dT%d:%d:%d.%d+00:00", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                  &tm.tm_min, &tm.tm_sec, &ms) != 7) {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<double>(::timegm(&tm)) * 1000.0 + ms;
}

double wall_ms() {
  timespec ts{};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<double>(ts.tv_sec) * 1000.0 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// The last line of `log` containing `event`, "" if none.
std::string last_line(const std::string& log, const std::string& event) {
  const auto at = log.rfind(event);
  if (at == std::string::npos) return "";
  const auto begin = log.rfind('\n', at);
  const auto end = log.find('\n', at);
  return log.substr(begin == std::string::npos ? 0 : begin + 1,
                    (end == std::string::npos ? log.size() : end) - (begin == std::string::npos ? 0 : begin + 1));
}

std::string field(const std::string& line, const std::string& key) {
  std::smatch m;
  if (!std::regex_search(line, m, std::regex("(?:^| )" + key + "=([^ ]+)"))) return "";
  return m[1].str();
}

struct Cluster {
  std::string dir;
  std::string conninfo;
  std::string config;
  std::string socket[2];
  int http_port[2] = {0, 0};
  int starts = 0;

  // Starts node n (cold: --cold-standby) and waits until it listens and
  // its HTTP port is known.
  void start(int n, const std::string& mode, int lines) {
    std::vector<std::string> args = {"--listen",
                                     "unix:" + socket[n],
                                     "--store",
                                     "postgresql:" + conninfo,
                                     "--call-center",
                                     kCallCenter,
                                     "--config",
                                     config,
                                     "--no-simulator",
                                     "--lines",
                                     std::to_string(lines),
                                     "--lease",
                                     "2",
                                     "--http",
                                     "127.0.0.1:0",
                                     "--summary-interval",
                                     "0",
                                     "--log-level",
                                     "info"};
    if (mode == "cold") args.push_back("--cold-standby");
    g_nodes[n] = std::make_unique<Opentapid>(
        args, dir + "/node" + std::to_string(n) + "." + std::to_string(++starts) + ".log", /*die_with_parent=*/true);
    if (!g_nodes[n]->wait_listening(socket[n], 60s)) fail("node " + std::to_string(n) + " did not listen:\n" + log(n));
    std::smatch m;
    if (!g_nodes[n]->wait_for_log(std::regex(R"(event=http-listen host=\S+ port=(\d+))"), &m, 60s)) {
      fail("node " + std::to_string(n) + " has no HTTP port:\n" + log(n));
    }
    http_port[n] = std::stoi(m[1].str());
  }
  std::string log(int n) const { return g_nodes[n] ? g_nodes[n]->log() : std::string(); }

  // Waits until node n owns the call center and its ACD serves (60 s at most).
  void wait_owner(int n) {
    const auto deadline = Clock::now() + 600s;
    while (http_get(http_port[n], "/healthz").find("ok owner") == std::string::npos) {
      if (Clock::now() > deadline || !g_nodes[n]->running()) fail("node " + std::to_string(n) + " did not take over");
      std::this_thread::sleep_for(20ms);
    }
  }

  // Waits until node n is a standby that knows the owner and, warm, whose
  // reader has caught up with the event log.
  void wait_standby(int n, const std::string& mode) {
    const auto deadline = Clock::now() + 120s;
    const std::string lag = "opentapi_cluster_reader_lag_seq{call_center=\"" + std::string(kCallCenter) + "\"} 0\n";
    const std::string ready = "opentapi_cluster_reader_ready{call_center=\"" + std::string(kCallCenter) + "\"} 1\n";
    for (;;) {
      const std::string health = http_get(http_port[n], "/healthz");
      if (health.find("ok standby") != std::string::npos && health.find("owner=") != std::string::npos) {
        if (mode == "cold") return;
        const std::string metrics = http_get(http_port[n], "/metrics");
        if (metrics.find(lag) != std::string::npos && metrics.find(ready) != std::string::npos) return;
      }
      if (Clock::now() > deadline || !g_nodes[n]->running()) {
        fail("node " + std::to_string(n) + " did not become a " + mode + " standby:\n" + log(n));
      }
      std::this_thread::sleep_for(20ms);
    }
  }
};

// kill -9 of node `owner`, then poll until the other node serves `a`.
Takeover take_over(Cluster& cl, int owner, const Created& a, const std::string& mode) {
  Takeover t;
  t.mode = mode;
  const int next = 1 - owner;
  const double wall0 = wall_ms();
  const auto t0 = Clock::now();
  g_nodes[owner]->kill_now();
  HLINEAPP app = 0;
  HLINE line = 0;
  for (;;) {
    if (ms_since(t0) > 120'000) fail("nobody served within 120 s of the kill:\n" + cl.log(next));
    if (app == 0) {
      LONG rc = 0;
      app = try_initialize("takeover bench probe", &rc);
      if (app == 0) {
        std::this_thread::sleep_for(500us);
        continue;
      }
    }
    if (line == 0 && lineOpenA(app, 0, &line, kVersion, 0, 0, LINECALLPRIVILEGE_NONE, 0, nullptr) != 0) {
      line = 0;
      lineShutdown(app);
      app = 0;
      std::this_thread::sleep_for(500us);
      continue;
    }
    LINEAGENTSESSIONINFO info{};
    info.dwTotalSize = sizeof info;
    const LONG result = wait_reply(app, lineGetAgentSessionInfo(line, a.session, &info), 2000);
    if (result == 0) {
      t.serve_ms = ms_since(t0);
      if (info.dwAgentSessionState != LINEAGENTSESSIONSTATE_NOTREADY) {
        fail("the session has state " + std::to_string(info.dwAgentSessionState) + " after the takeover");
      }
      break;
    }
    // The connection may be to a node that is going (or gone): start again.
    lineShutdown(app);
    app = 0;
    line = 0;
    std::this_thread::sleep_for(500us);
  }
  lineShutdown(app);
  // The new owner logs event=takeover right after its ACD started.
  g_nodes[next]->wait_for_log(std::regex("event=takeover "), nullptr, 10s);
  const std::string log = cl.log(next);
  const std::string takeover = last_line(log, "event=takeover ");
  if (auto w = log_time_ms(takeover)) t.takeover_ms = *w - wall0;
  if (const std::string v = field(takeover, "ms_since_free"); !v.empty()) t.since_free_ms = std::atof(v.c_str());
  const std::string restored = last_line(log, "event=acd-restored");
  if (const std::string v = field(restored, "ms"); !v.empty()) t.acd_restore_ms = std::atof(v.c_str());
  const std::string from = field(restored, "source");
  t.restore = from.empty() ? "store" : from;
  return t;
}

[[noreturn]] void usage() {
  std::fprintf(stderr,
               "usage: takeover_bench [--sessions N] [--takeovers T] [--modes warm,cold] [--clients C] [--window W]\n"
               "                      [--max-seconds S] [--json FILE] [--keep] [--allow-debug]\n");
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  int sessions = kTargetSessions;
  int takeovers = 4;
  int clients = 8;
  int window = 32;
  double max_seconds = 900;
  std::vector<std::string> modes = {"warm", "cold"};
  std::string json;
  bool keep = false;
  bool allow_debug = false;
  for (int i = 1; i < argc; ++i) {
    const std::string opt = argv[i];
    if (opt == "--allow-debug") {
      allow_debug = true;
      continue;
    }
    if (opt == "--keep") {
      keep = true;
      continue;
    }
    if (i + 1 >= argc) usage();
    const std::string v = argv[++i];
    if (opt == "--sessions") {
      sessions = std::atoi(v.c_str());
      if (sessions < 1 || sessions > 1000000) usage();
    } else if (opt == "--takeovers") {
      takeovers = std::atoi(v.c_str());
      if (takeovers < 1 || takeovers > 100) usage();
    } else if (opt == "--clients") {
      clients = std::atoi(v.c_str());
      if (clients < 1 || clients > 64) usage();
    } else if (opt == "--window") {
      window = std::atoi(v.c_str());
      if (window < 1 || window > 4096) usage();
    } else if (opt == "--max-seconds") {
      max_seconds = std::atof(v.c_str());
      if (!(max_seconds >= 1 && max_seconds <= 86400)) usage();
    } else if (opt == "--modes") {
      modes.clear();
      std::size_t start = 0;
      while (start <= v.size()) {
        const std::size_t comma = v.find(',', start);
        const std::string m = v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (m != "warm" && m != "cold") usage();
        modes.push_back(m);
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    } else if (opt == "--json") {
      json = v;
    } else {
      usage();
    }
  }
  if (opentapi::bench::refuse_debug_build("takeover_bench", allow_debug)) return 2;
  if (PostgresServer::binaries().empty()) {
    std::printf(
        "takeover_bench: skipped: PostgreSQL 15 server binaries not found (/usr/lib/postgresql/15/bin or "
        "$OPENTAPI_PG_BIN; scripts/install-deps.sh installs them)\n");
    return 0;
  }
  ::signal(SIGPIPE, SIG_IGN);
  std::thread([max_seconds] {
    std::this_thread::sleep_for(std::chrono::duration<double>(max_seconds));
    fail("time bound (--max-seconds) exceeded, giving up");
  }).detach();

  const opentapi::bench::MachineFacts facts = opentapi::bench::machine_facts();
  std::printf("machine: %u cores, %s, %s\n", facts.cores, facts.cpu.c_str(), facts.kernel.c_str());
  std::string mode_list;
  for (const auto& m : modes) mode_list += (mode_list.empty() ? "" : ",") + m;
  std::printf(
      "settings: build=%s sessions=%d (one agent each, group Sales, NOT_READY) takeovers=%d modes=%s lease=2 s "
      "clients=%d window=%d store=PostgreSQL 15 (own server, UNIX socket, fsync=on, synchronous_commit=on)\n",
      kDebugBuild ? "debug/sanitizer (NOT meaningful)" : "release", sessions, takeovers, mode_list.c_str(), clients,
      window);
  std::fflush(stdout);

  std::string error;
  auto pg = PostgresServer::start(&error);
  if (!pg) fail("PostgreSQL did not start: " + error);
  const std::string db = pg->create_database(&error);
  if (db.empty()) fail("CREATE DATABASE: " + error);

  Cluster cl;
  cl.dir = opentapi::bench::make_temp_dir("takeover-bench");
  if (cl.dir.empty()) fail("mkdtemp failed");
  cl.conninfo = pg->conninfo(db);
  cl.config = cl.dir + "/callcenter.toml";
  for (int n = 0; n < 2; ++n) cl.socket[n] = cl.dir + "/n" + std::to_string(n) + ".sock";
  ::setenv("OPENTAPI_SERVER", ("unix:" + cl.socket[0] + ",unix:" + cl.socket[1]).c_str(), 1);
  std::string config = read_file(OPENTAPI_CONFIG_TEMPLATE);
  if (config.empty()) fail("cannot read the configuration template " OPENTAPI_CONFIG_TEMPLATE);
  const int lines = clients + 1;
  if (!opentapi::bench::set_config_lines(config, lines)) fail("the template has no 'lines = 2' line");
  config += "\n# takeover_bench: " + std::to_string(sessions) + " agents\n";
  for (int i = 0; i < sessions; ++i) config += "[[agent]]\nid = \"" + agent_id(i) + "\"\npin = \"p\"\n";
  std::ofstream(cl.config) << config;

  // The first owner, then the agents and sessions.
  cl.start(0, modes.front(), lines);
  cl.wait_owner(0);
  std::vector<Created> created(static_cast<std::size_t>(sessions));
  {
    const auto t0 = Clock::now();
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c) {
      threads.emplace_back(create_agents, c, clients, window, sessions, std::ref(created));
    }
    for (auto& t : threads) t.join();
    const double s = ms_since(t0) / 1000.0;
    std::printf("created %d agents with a session each in %.1f s (%.0f agents/s)\n", sessions, s, sessions / s);
    std::fflush(stdout);
  }

  std::mt19937 rng(12345);
  std::vector<Takeover> results;
  int owner = 0;
  for (int k = 0; k < takeovers; ++k) {
    const std::string& mode = modes[static_cast<std::size_t>(k) % modes.size()];
    const int standby = 1 - owner;
    const auto t0 = Clock::now();
    cl.start(standby, mode, lines);
    make_changes(created, 20, k);
    cl.wait_standby(standby, mode);
    const double ready_s = ms_since(t0) / 1000.0;
    const Created& a = created[std::uniform_int_distribution<std::size_t>(0, created.size() - 1)(rng)];
    Takeover t = take_over(cl, owner, a, mode);
    std::printf(
        "takeover %d (%s standby, ready %.1f s after its start): kill -9 -> first served request %.0f ms; new "
        "owner's event=takeover at %.0f ms (ms_since_free=%.0f), ACD restore %.0f ms (%s)\n",
        k + 1, mode.c_str(), ready_s, t.serve_ms, t.takeover_ms, t.since_free_ms, t.acd_restore_ms, t.restore.c_str());
    std::fflush(stdout);
    results.push_back(t);
    owner = standby;
    cl.wait_owner(owner);
  }

  double worst = 0;
  for (const std::string& mode : modes) {
    std::vector<double> v;
    for (const Takeover& t : results) {
      if (t.mode == mode) v.push_back(t.serve_ms);
    }
    if (v.empty()) continue;
    std::sort(v.begin(), v.end());
    worst = std::max(worst, v.back());
    std::printf("takeover sessions=%d mode=%s takeovers=%zu median_ms=%.0f max_ms=%.0f\n", sessions, mode.c_str(),
                v.size(), v[v.size() / 2], v.back());
  }
  std::vector<double> warm;
  for (const Takeover& t : results) {
    if (t.mode == "warm") warm.push_back(t.serve_ms);
  }
  const double judged = warm.empty() ? worst : *std::max_element(warm.begin(), warm.end());
  const bool met = judged <= kTargetMs;
  std::printf(
      "target kill -9 -> first served request <= 3000 ms with a 2 s lease at %d sessions: worst %s %.0f ms  %s%s\n",
      sessions, warm.empty() ? "takeover" : "warm takeover", judged, met ? "MET" : "NOT MET",
      sessions < kTargetSessions || kDebugBuild ? " (indicative only: the target is for 100000 sessions, "
                                                  "release build)"
                                                : "");
  if (!json.empty()) {
    std::ofstream o(json);
    o << "{\n  \"benchmark\": \"takeover_bench\",\n  \"machine\": {\"cores\": " << facts.cores << ", \"cpu\": \""
      << json_escape(facts.cpu) << "\", \"kernel\": \"" << json_escape(facts.kernel) << "\"},\n"
      << "  \"settings\": {\"build\": \"" << (kDebugBuild ? "debug" : "release") << "\", \"sessions\": " << sessions
      << ", \"lease_s\": 2},\n  \"takeovers\": [";
    for (std::size_t i = 0; i < results.size(); ++i) {
      const Takeover& t = results[i];
      o << (i ? ",\n    " : "\n    ") << "{\"mode\": \"" << t.mode << "\", \"serve_ms\": " << t.serve_ms
        << ", \"takeover_ms\": " << t.takeover_ms << ", \"ms_since_free\": " << t.since_free_ms
        << ", \"acd_restore_ms\": " << t.acd_restore_ms << ", \"restore\": \"" << json_escape(t.restore) << "\"}";
    }
    o << "\n  ],\n  \"target\": {\"goal_ms\": 3000, \"worst_ms\": " << judged << ", \"result\": \""
      << (met ? "MET" : "NOT MET") << "\"}\n}\n";
  }
  for (auto& n : g_nodes) {
    if (n) n->stop();
  }
  if (!keep) std::filesystem::remove_all(cl.dir);
  return 0;
}
