// Durable round trips through the reference virtual ACD: one
// lineSetAgentSessionState READY <-> NOT_READY from the call to its LINE_REPLY
// in lineGetMessage, i.e. client library -> opentapid -> ACD (in-process) ->
// SQLite commit with fsync -> lineProxyResponse -> opentapid -> client library.
// A LINE_REPLY is only sent once the change is durable (docs/acd.md), so every
// measured operation is an acknowledged, fsynced write.
//
//   durable_roundtrip [--clients 1,8,64] [--seconds S] [--json FILE]
//                     [--opentapid PATH] [--config-template FILE]
//                     [--own-lines] [--server-log FILE] [--allow-debug]
//                     [--store LOCATION]
//
// Starts its own opentapid (temporary socket, temporary --data-dir, or
// --store LOCATION, e.g. a PostgreSQL connection string; --no-simulator) with a temporary configuration: the template
// (default etc/opentapi/callcenter.toml) plus one [[agent]] per client. Every client is a separate application
// (HLINEAPP, own connection, own thread) with its own agent and one session in group "Sales", one request in flight. By
// default all clients share line 0 (so every status message fans out to every client, as on a shared ACD line);
// --own-lines gives each client its own line device (one phone per agent, no cross fan-out). --server-log keeps
// opentapid's log (info level, a summary line with the ACD and store
// counters every second: commits per fsync show whether group commit works).
//
// Prints per client count: ops/s, p50/p99/p99.9 latency; --json writes them.
// Refuses to report (exit 2) from a Debug or sanitizer build unless
// --allow-debug (the CI smoke test).
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
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
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench_support.h"
#include "tapi.h"

namespace {

using opentapi::bench::can_connect;
using opentapi::bench::json_escape;
using opentapi::bench::percentile;
using opentapi::bench::read_file;

using Clock = std::chrono::steady_clock;
constexpr DWORD kVersion = 0x00030001;
// Group "Sales" of etc/opentapi/callcenter.toml.
constexpr GUID kSales = {0xA1C44A13, 0x0635, 0x4B3C, {0xBA, 0xA0, 0xE1, 0xE4, 0x69, 0x4E, 0x03, 0x3A}};

const bool kDebugBuild = opentapi::bench::is_debug_build();

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "durable_roundtrip: %s\n", what.c_str());
  opentapi::bench::kill_server();
  std::exit(1);
}

[[noreturn]] void die(const char* what, LONG rc) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "%s failed: 0x%08X", what, static_cast<unsigned>(rc));
  fail(buf);
}

// `wait_for_owner`: on PostgreSQL opentapid starts as a cluster standby and
// answers LINEERR_REINIT until it has taken the call center's lease
// (docs/ha.md), a moment later; the start-up probe tries again meanwhile.
HLINEAPP initialize(const char* name, bool wait_for_owner = false) {
  const auto give_up = Clock::now() + std::chrono::seconds(15);
  LINEINITIALIZEEXPARAMS params{};
  params.dwTotalSize = sizeof params;
  params.dwOptions = LINEINITIALIZEEXOPTION_USEEVENT;
  HLINEAPP h = 0;
  DWORD devs = 0;
  DWORD version = kVersion;
  for (;;) {
    const LONG rc = lineInitializeExA(&h, nullptr, nullptr, name, &devs, &version, &params);
    if (rc == 0) return h;
    if (!wait_for_owner || rc != LINEERR_REINIT || Clock::now() > give_up) die("lineInitializeEx", rc);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    version = kVersion;
  }
}

// Waits for the LINE_REPLY of request `id` (other messages — status fan-out —
// are consumed and dropped); returns its result.
LONG wait_reply(HLINEAPP app, LONG id, const char* what) {
  if (id <= 0) die(what, id);
  LINEMESSAGE m;
  do {
    if (const LONG rc = lineGetMessage(app, &m, 10'000)) die("lineGetMessage (10 s without LINE_REPLY)", rc);
  } while (m.dwMessageID != LINE_REPLY || m.dwParam1 != static_cast<DWORD_PTR>(id));
  return static_cast<LONG>(m.dwParam2);
}

std::string agent_id(int i) {
  char id[16];
  std::snprintf(id, sizeof id, "B%05d", i);
  return id;
}

struct Client {
  HLINEAPP app = 0;
  HLINE line = 0;
  HAGENT agent = 0;
  HAGENTSESSION session = 0;
};

// Logs client i in: own application, own agent, own session.
Client login(int i, DWORD device, DWORD addresses) {
  Client c;
  c.app = initialize("durable bench client");
  if (const LONG rc = lineOpenA(c.app, device, &c.line, kVersion, 0, 0, LINECALLPRIVILEGE_NONE, 0, nullptr))
    die("lineOpen", rc);
  std::string id = agent_id(i);
  char pin[] = "p";
  if (const LONG rc = wait_reply(c.app, lineCreateAgentA(c.line, id.data(), pin, &c.agent), "lineCreateAgent"))
    die("lineCreateAgent reply", rc);
  GUID group = kSales;
  if (const LONG rc = wait_reply(
          c.app,
          lineCreateAgentSessionA(c.line, c.agent, nullptr, static_cast<DWORD>(i) % addresses, &group, &c.session),
          "lineCreateAgentSession"))
    die("lineCreateAgentSession reply", rc);
  return c;
}

struct Result {
  int clients = 0;
  std::size_t ops = 0;  // acknowledged changes in the measurement window
  double seconds = 0;   // the measurement window
  double ops_per_s = 0;
  double p50 = 0, p99 = 0, p999 = 0, max = 0;  // microseconds
};

// Client c uses offset `first` into the agent IDs (each run its own agents, so
// sessions of an earlier run never get in the way).
Result run(int clients, int first, double seconds, bool own_lines, DWORD addresses) {
  std::vector<Client> cs(static_cast<std::size_t>(clients));
  {
    std::vector<std::thread> t;
    for (int i = 0; i < clients; ++i) {
      t.emplace_back([&, i] {
        cs[static_cast<std::size_t>(i)] = login(first + i, own_lines ? static_cast<DWORD>(first + i) : 0, addresses);
      });
    }
    for (auto& th : t) th.join();
  }
  const double warmup = std::min(1.0, seconds / 5);
  std::vector<std::vector<double>> samples(cs.size());
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  Clock::time_point start, measure_from, end;
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < cs.size(); ++i) {
    threads.emplace_back([&, i] {
      auto& out = samples[i];
      out.reserve(1 << 16);
      const Client& c = cs[i];
      ++ready;
      while (!go) std::this_thread::yield();
      bool to_ready = true;
      for (;;) {
        const auto t0 = Clock::now();
        if (t0 >= end) break;
        const LONG id = lineSetAgentSessionState(
            c.line, c.session, to_ready ? LINEAGENTSESSIONSTATE_READY : LINEAGENTSESSIONSTATE_NOTREADY, 0);
        if (const LONG rc = wait_reply(c.app, id, "lineSetAgentSessionState"))
          die("lineSetAgentSessionState reply", rc);
        const auto t1 = Clock::now();
        to_ready = !to_ready;
        if (t0 >= measure_from && t1 <= end) out.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
      }
    });
  }
  while (ready < clients) std::this_thread::yield();
  start = Clock::now();
  measure_from = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(warmup));
  end = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  go = true;
  for (auto& t : threads) t.join();
  std::vector<double> all;
  for (auto& s : samples) all.insert(all.end(), s.begin(), s.end());
  std::sort(all.begin(), all.end());
  for (const Client& c : cs) lineShutdown(c.app);
  Result r;
  r.clients = clients;
  r.ops = all.size();
  r.seconds = std::chrono::duration<double>(end - measure_from).count();
  r.ops_per_s = static_cast<double>(r.ops) / r.seconds;
  r.p50 = percentile(all, 0.50);
  r.p99 = percentile(all, 0.99);
  r.p999 = percentile(all, 0.999);
  r.max = all.empty() ? 0 : all.back();
  return r;
}

// Starts opentapid with the ACD and waits until the ACD serves line 0 (a
// lineCreateAgent-free probe: lineGetAgentCaps answered by the proxy).
// `server_log` non-empty: opentapid logs at info level with a summary line
// (ACD and store counters) every second into that file.
pid_t start_server(const std::string& binary, const std::string& dir, const std::string& config, int lines,
                   const std::string& server_log, const std::string& store, const std::string& transport) {
  const std::string socket = dir + "/opentapid.sock";
  const std::string address = "unix:" + socket;
  const std::string data = dir + "/data";
  const std::string lines_arg = std::to_string(lines);
  std::vector<std::string> args = {binary,
                                   "--listen",
                                   address,
                                   store.empty() ? "--data-dir" : "--store",
                                   store.empty() ? data : store,
                                   "--config",
                                   config,
                                   "--no-simulator",
                                   "--lines",
                                   lines_arg,
                                   "--log-level",
                                   server_log.empty() ? "error" : "info"};
  if (!store.empty()) {
    // A call center of its own in the database: every run starts empty.
    args.push_back("--call-center");
    args.push_back("durable_roundtrip-" + std::to_string(::getpid()));
  }
  if (!server_log.empty()) {
    args.push_back("--summary-interval");
    args.push_back("1");
  }
  // The clients' transport; the ACD stays on the UNIX socket.
  std::string client_address = address;
  if (transport != "unix") {
    const std::string error = opentapi::bench::add_network_listener(transport, dir, &args, &client_address);
    if (!error.empty()) fail(error);
  }
  const pid_t pid = opentapi::bench::spawn_server(args, server_log);
  if (pid < 0) fail("fork failed");
  ::setenv("OPENTAPI_SERVER", client_address.c_str(), 1);
  switch (opentapi::bench::wait_listening(pid, socket, 2000, 5)) {
    case opentapi::bench::Startup::kListening:
      break;
    case opentapi::bench::Startup::kExited:
      fail("opentapid exited at start-up");
    case opentapi::bench::Startup::kTimedOut:
      fail("opentapid did not start within 10 s");
  }
  if (transport != "unix" && !opentapi::bench::wait_port_accepting(client_address, 2000, 5)) {
    fail("opentapid's " + transport + " listener did not accept within 10 s");
  }
  // The ACD opens its lines right after the server is up; wait until it answers.
  const HLINEAPP app = initialize("durable bench probe", /*wait_for_owner=*/true);
  HLINE line = 0;
  if (const LONG rc = lineOpenA(app, 0, &line, kVersion, 0, 0, LINECALLPRIVILEGE_NONE, 0, nullptr)) die("lineOpen", rc);
  for (int i = 0;; ++i) {
    std::vector<unsigned char> buf(4096, 0);
    auto* caps = reinterpret_cast<LPLINEAGENTCAPS>(buf.data());
    caps->dwTotalSize = static_cast<DWORD>(buf.size());
    const LONG id = lineGetAgentCapsA(app, 0, 0, kVersion, caps);  // < 0 while no proxy serves the line
    if (id > 0 && wait_reply(app, id, "lineGetAgentCaps") == 0) break;
    if (i > 1000) fail("the ACD did not serve line 0 within 10 s");
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  lineShutdown(app);
  return pid;
}

std::vector<int> parse_list(const char* p) {
  std::vector<int> out;
  while (*p) {
    char* end;
    const long v = std::strtol(p, &end, 10);
    if (end == p || v <= 0 || v > 4096) return {};
    out.push_back(static_cast<int>(v));
    p = *end == ',' ? end + 1 : end;
    if (*end != ',' && *end != '\0') return {};
  }
  return out;
}

[[noreturn]] void usage() {
  std::fprintf(stderr,
               "usage: durable_roundtrip [--clients 1,8,64] [--seconds S] [--json FILE] [--opentapid PATH]\n"
               "                         [--config-template FILE] [--own-lines] [--server-log FILE] [--allow-debug]\n"
               "                         [--store LOCATION] [--transport unix|tcp|tls]\n");
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int> clients = {1, 8, 64};
  double seconds = 5;
  std::string json;
  std::string server = OPENTAPID_BINARY;
  std::string templ = OPENTAPI_CONFIG_TEMPLATE;
  bool allow_debug = false;
  bool own_lines = false;
  std::string server_log;
  std::string store;
  std::string transport = "unix";
  for (int i = 1; i < argc; ++i) {
    const std::string opt = argv[i];
    if (opt == "--allow-debug") {
      allow_debug = true;
      continue;
    }
    if (opt == "--own-lines") {
      own_lines = true;
      continue;
    }
    if (i + 1 >= argc) usage();
    const char* v = argv[++i];
    if (opt == "--clients") {
      clients = parse_list(v);
      if (clients.empty()) usage();
    } else if (opt == "--seconds") {
      seconds = std::atof(v);
      if (!(seconds > 0 && seconds <= 600)) usage();
    } else if (opt == "--json") {
      json = v;
    } else if (opt == "--opentapid") {
      server = v;
    } else if (opt == "--config-template") {
      templ = v;
    } else if (opt == "--server-log") {
      server_log = v;
    } else if (opt == "--store") {
      store = v;
    } else if (opt == "--transport") {
      transport = v;
      if (transport != "unix" && transport != "tcp" && transport != "tls") usage();
    } else {
      usage();
    }
  }
  if (opentapi::bench::refuse_debug_build("durable_roundtrip", allow_debug)) return 2;
  ::signal(SIGPIPE, SIG_IGN);
  opentapi::bench::stop_server_on_signal();

  // Machine facts and settings.
  const opentapi::bench::MachineFacts facts = opentapi::bench::machine_facts();
  const unsigned cores = facts.cores;
  const std::string& cpu = facts.cpu;
  const std::string& kernel = facts.kernel;
  const char* build = kDebugBuild ? "debug/sanitizer (NOT meaningful)" : "release";
  std::printf("machine: %u cores, %s, %s\n", cores, cpu.c_str(), kernel.c_str());
  std::printf(
      "settings: build=%s seconds=%.1f per client count (first %.1f s warm-up) store=%s lines=%s one request in "
      "flight per client transport=%s\n",
      build, seconds, std::min(1.0, seconds / 5),
      store.empty() ? "SQLite synchronous=FULL (fsync per commit group)"
                    : "PostgreSQL (--store; COMMIT per commit group, synchronous_commit on)",
      own_lines ? "one per client" : "all clients on line 0", transport.c_str());

  const std::string dir = opentapi::bench::make_temp_dir("durable-bench");
  if (dir.empty()) fail("mkdtemp failed");
  int total = 0;
  for (const int n : clients) total += n;
  // The template plus one agent per client of every run.
  std::string config = read_file(templ);
  if (config.empty()) fail("cannot read configuration template " + templ);
  const int lines = own_lines ? std::max(2, total) : 2;
  if (own_lines) {
    if (!opentapi::bench::set_config_lines(config, lines))
      fail("template has no 'lines = 2' line to replace for --own-lines");
  }
  config += "\n# durable_roundtrip: one agent per client\n";
  for (int i = 0; i < total; ++i) config += "[[agent]]\nid = \"" + agent_id(i) + "\"\npin = \"p\"\nname = \"bench\"\n";
  const std::string config_path = dir + "/callcenter.toml";
  std::ofstream(config_path) << config;
  const DWORD addresses = 2;

  start_server(server, dir, config_path, std::max(4, lines), server_log, store, transport);
  std::vector<Result> results;
  std::printf("%8s %10s %12s %10s %10s %10s %10s\n", "clients", "ops", "ops/s", "p50 us", "p99 us", "p99.9 us",
              "max us");
  int first = 0;
  for (const int n : clients) {
    const Result r = run(n, first, seconds, own_lines, addresses);
    first += n;
    results.push_back(r);
    std::printf("%8d %10zu %12.0f %10.1f %10.1f %10.1f %10.1f\n", r.clients, r.ops, r.ops_per_s, r.p50, r.p99, r.p999,
                r.max);
    std::fflush(stdout);
  }
  for (const Result& r : results)
    std::printf("throughput clients=%d %.0f ops/s p99=%.1f us\n", r.clients, r.ops_per_s, r.p99);
  opentapi::bench::stop_server();
  std::filesystem::remove_all(dir);

  if (!json.empty()) {
    std::ofstream out(json);
    out << "{\n  \"benchmark\": \"durable_roundtrip\",\n"
        << "  \"machine\": {\"cores\": " << cores << ", \"cpu\": \"" << json_escape(cpu) << "\", \"kernel\": \""
        << json_escape(kernel) << "\"},\n"
        << "  \"settings\": {\"build\": \"" << (kDebugBuild ? "debug" : "release") << "\", \"seconds\": " << seconds
        << ", \"own_lines\": " << (own_lines ? "true" : "false") << ", \"transport\": \"" << transport
        << "\", \"store\": \"" << (store.empty() ? "sqlite synchronous=FULL" : "postgresql")
        << "\"},\n  \"results\": [\n";
    for (std::size_t i = 0; i < results.size(); ++i) {
      const Result& r = results[i];
      char line[256];
      std::snprintf(line, sizeof line,
                    "    {\"clients\": %d, \"ops\": %zu, \"ops_per_s\": %.1f, \"p50_us\": %.1f, \"p99_us\": %.1f, "
                    "\"p999_us\": %.1f, \"max_us\": %.1f}%s\n",
                    r.clients, r.ops, r.ops_per_s, r.p50, r.p99, r.p999, r.max, i + 1 < results.size() ? "," : "");
      out << line;
    }
    out << "  ]\n}\n";
    if (!out) fail("cannot write " + json);
  }
  return 0;
}
