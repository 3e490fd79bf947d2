// Status fan-out: how long until EVERY monitoring application has seen one
// agent session state change. M monitor applications (each its own HLINEAPP,
// connection and eventfd: lineInitializeExW with USEEVENT, lineOpenW on line 0
// with LINECALLPRIVILEGE_MONITOR, API 0x00030001) watch line 0 while one agent
// application changes its session READY <-> NOT_READY K times, spaced
// --interval-ms apart (the next change starts only after every monitor has the
// previous one, or after --timeout-ms). Per change: the time from just before
// lineSetAgentSessionState until each monitor's reader has taken the matching
// LINE_AGENTSESSIONSTATUS (dwParam1 = the session, STATE bit in dwParam2,
// dwParam3 = the new state) out of lineGetMessage.
//
//   fanout_bench [--monitors M] [--changes K] [--interval-ms MS] [--readers R]
//                [--timeout-ms MS] [--opens-per-app N] [--json FILE]
//                [--opentapid PATH] [--config-template FILE] [--allow-debug]
//
// --opens-per-app N (default 1) puts N of the monitors in one application:
// one HLINEAPP, connection and eventfd opening line 0 N times. It measures
// what the fan-out costs when the monitors share a connection (the server
// then writes one batch of frames per application, the library reads it in
// one go); the target is for N = 1, each monitor its own application.
//
// Monitors are served by R reader threads (default 2), each an epoll loop over
// its share of the eventfds (opentapi_event_fd) calling lineGetMessage(…, 0)
// until it times out; no thread per monitor of our own (libopentapi reads all
// the process's connections on one receiver thread). The n-th STATE message a
// monitor receives for the session is change n's delivery, checked against
// the expected state.
//
// Prints p50/p99/max of the per-change "last monitor" latency and of all
// per-monitor latencies, and the target: last-monitor p99 <= 5 ms
// (MET / NOT MET), and the CPU time and context switches per change of each
// thread of opentapid and of this process over the measured changes
// (/proc/PID/task/*). Starts its own opentapid (temporary socket, --data-dir,
// --no-simulator, reference ACD) with a temporary configuration = template +
// one [[agent]]. Raises RLIMIT_NOFILE to its hard limit (each monitor costs a
// socket and an eventfd here and a socket in opentapid, which inherits it).
// Exits 2 in a Debug or sanitizer build unless --allow-debug (CI smoke test),
// 1 on a failure or if any delivery is missing or wrong. Bounded: SIGALRM
// ends a run that takes longer than set-up allowance + K x (timeout + interval).
#include <pthread.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench_support.h"
#include "opentapi_ext.h"
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
constexpr double kTargetP99Us = 5000;  // last monitor, p99

const bool kDebugBuild = opentapi::bench::is_debug_build();

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "fanout_bench: %s\n", what.c_str());
  opentapi::bench::kill_server();
  std::exit(1);
}

[[noreturn]] void die(const char* what, LONG rc) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "%s failed: 0x%08X", what, static_cast<unsigned>(rc));
  fail(buf);
}

// Returns the application; *event receives the eventfd of its message queue.
HLINEAPP initialize(const wchar_t* name, int* event = nullptr) {
  LINEINITIALIZEEXPARAMS params{};
  params.dwTotalSize = sizeof params;
  params.dwOptions = LINEINITIALIZEEXOPTION_USEEVENT;
  HLINEAPP h = 0;
  DWORD devs = 0;
  DWORD version = kVersion;
  if (const LONG rc = lineInitializeExW(&h, nullptr, nullptr, name, &devs, &version, &params))
    die("lineInitializeExW", rc);
  if (event != nullptr) {
    *event = opentapi_event_fd(params.Handles.hEvent);
    if (*event < 0) fail("opentapi_event_fd returned -1");
  }
  return h;
}

// Waits for the LINE_REPLY of request `id` (other messages are dropped).
LONG wait_reply(HLINEAPP app, LONG id, const char* what) {
  if (id <= 0) die(what, id);
  LINEMESSAGE m;
  do {
    if (const LONG rc = lineGetMessage(app, &m, 10'000)) die("lineGetMessage (10 s without LINE_REPLY)", rc);
  } while (m.dwMessageID != LINE_REPLY || m.dwParam1 != static_cast<DWORD_PTR>(id));
  return static_cast<LONG>(m.dwParam2);
}

// Starts opentapid with the ACD and waits until the ACD serves line 0.
void start_server(const std::string& binary, const std::string& dir, const std::string& config,
                  const std::string& transport) {
  const std::string socket = dir + "/opentapid.sock";
  const std::string address = "unix:" + socket;
  const std::string data = dir + "/data";
  std::vector<std::string> args = {binary, "--listen",       address,   "--data-dir", data,          "--config",
                                   config, "--no-simulator", "--lines", "4",          "--log-level", "error"};
  // The monitors' and the agent's transport; the ACD stays on the UNIX socket.
  std::string client_address = address;
  if (transport != "unix") {
    const std::string error = opentapi::bench::add_network_listener(transport, dir, &args, &client_address);
    if (!error.empty()) fail(error);
  }
  const pid_t pid = opentapi::bench::spawn_server(args);
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
  const HLINEAPP app = initialize(L"fanout bench probe");
  HLINE line = 0;
  if (const LONG rc = lineOpenW(app, 0, &line, kVersion, 0, 0, LINECALLPRIVILEGE_NONE, 0, nullptr))
    die("lineOpenW", rc);
  for (int i = 0;; ++i) {
    std::vector<unsigned char> buf(4096, 0);
    auto* caps = reinterpret_cast<LPLINEAGENTCAPS>(buf.data());
    caps->dwTotalSize = static_cast<DWORD>(buf.size());
    const LONG id = lineGetAgentCapsW(app, 0, 0, kVersion, caps);  // < 0 while no proxy serves the line
    if (id > 0 && wait_reply(app, id, "lineGetAgentCaps") == 0) break;
    if (i > 1000) fail("the ACD did not serve line 0 within 10 s");
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  lineShutdown(app);
}

DWORD state_of_change(int k) { return k % 2 == 0 ? LINEAGENTSESSIONSTATE_READY : LINEAGENTSESSIONSTATE_NOTREADY; }

// One line open watching line 0 (a "monitor"); its index is the open's
// dwCallbackInstance.
struct Monitor {
  HLINE line = 0;
  int received = 0;  // STATE messages for the session so far (reader thread only)
};

// One monitor application: --opens-per-app of the monitors, one eventfd.
struct MonitorApp {
  HLINEAPP app = 0;
  int fd = -1;
};

// Shared between the reader threads and the main thread.
struct Shared {
  int monitors = 0;
  int changes = 0;
  HAGENTSESSION session = 0;
  std::vector<Monitor> mon;
  std::vector<MonitorApp> apps;
  std::vector<std::int64_t> arrival_ns;           // [monitor * changes + change], steady clock, -1 = none
  std::unique_ptr<std::atomic<int>[]> delivered;  // per change: monitors that have it
  std::atomic<long> wrong{0};                     // STATE messages with an unexpected state or beyond K
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::condition_variable cv;
};

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}

// One reader: an epoll loop over monitor applications [first, last).
void reader(Shared& s, int first, int last) {
  ::pthread_setname_np(::pthread_self(), "fanout-reader");
  const int ep = ::epoll_create1(EPOLL_CLOEXEC);
  if (ep < 0) fail("epoll_create1 failed");
  for (int i = first; i < last; ++i) {
    epoll_event ev{};
    ev.events = EPOLLIN;  // level-triggered: readable while messages are queued
    ev.data.u32 = static_cast<std::uint32_t>(i);
    if (::epoll_ctl(ep, EPOLL_CTL_ADD, s.apps[static_cast<std::size_t>(i)].fd, &ev) != 0) fail("epoll_ctl failed");
  }
  std::vector<epoll_event> events(256);
  while (!s.stop.load(std::memory_order_relaxed)) {
    const int n = ::epoll_wait(ep, events.data(), static_cast<int>(events.size()), 100);
    for (int e = 0; e < n; ++e) {
      const MonitorApp& a = s.apps[events[static_cast<std::size_t>(e)].data.u32];
      LINEMESSAGE msg;
      while (lineGetMessage(a.app, &msg, 0) == 0) {
        if (msg.dwMessageID != LINE_AGENTSESSIONSTATUS || msg.dwParam1 != s.session ||
            (msg.dwParam2 & LINEAGENTSESSIONSTATUS_STATE) == 0) {
          continue;
        }
        const std::int64_t t = now_ns();
        const std::size_t idx = msg.dwCallbackInstance;
        if (idx >= s.mon.size() || s.mon[idx].line != msg.hDevice) {
          ++s.wrong;
          continue;
        }
        Monitor& m = s.mon[idx];
        const int k = m.received++;
        if (k >= s.changes || msg.dwParam3 != state_of_change(k)) {
          ++s.wrong;
          continue;
        }
        s.arrival_ns[idx * static_cast<std::size_t>(s.changes) + static_cast<std::size_t>(k)] = t;
        if (s.delivered[static_cast<std::size_t>(k)].fetch_add(1) + 1 == s.monitors) {
          std::lock_guard lock(s.mu);
          s.cv.notify_all();
        }
      }
    }
  }
  ::close(ep);
}

// CPU time and context switches of every thread of a process, from
// /proc/PID/task/*/schedstat (ns on a CPU) and status (switches): summed by
// thread name over the measured window, they say where the per-change
// microseconds go (docs/performance.md "Profiling").
struct ThreadUse {
  std::string name;
  double cpu_ns = 0;
  double switches = 0;
};

std::map<long, ThreadUse> thread_use(pid_t pid) {
  std::map<long, ThreadUse> out;
  const std::string base = "/proc/" + std::to_string(pid) + "/task";
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(base, ec)) {
    const std::string dir = entry.path().string();
    ThreadUse use;
    std::string comm = read_file(dir + "/comm");
    while (!comm.empty() && comm.back() == '\n') comm.pop_back();
    use.name = comm;
    std::istringstream sched(read_file(dir + "/schedstat"));
    sched >> use.cpu_ns;
    std::istringstream status(read_file(dir + "/status"));
    for (std::string line; std::getline(status, line);) {
      if (line.rfind("voluntary_ctxt_switches:", 0) == 0 || line.rfind("nonvoluntary_ctxt_switches:", 0) == 0) {
        use.switches += std::strtod(line.c_str() + line.find(':') + 1, nullptr);
      }
    }
    out[std::strtol(entry.path().filename().c_str(), nullptr, 10)] = use;
  }
  return out;
}

// Prints per thread name: CPU µs and context switches per change between two snapshots.
void print_thread_use(const char* process, const std::map<long, ThreadUse>& before,
                      const std::map<long, ThreadUse>& after, int changes) {
  std::map<std::string, ThreadUse> by_name;
  double total_cpu = 0, total_sw = 0;
  for (const auto& [tid, a] : after) {
    const auto b = before.find(tid);
    const double cpu = a.cpu_ns - (b == before.end() ? 0 : b->second.cpu_ns);
    const double sw = a.switches - (b == before.end() ? 0 : b->second.switches);
    ThreadUse& u = by_name[a.name];
    u.cpu_ns += cpu;
    u.switches += sw;
    total_cpu += cpu;
    total_sw += sw;
  }
  std::printf("%s: %.0f us CPU and %.1f context switches per change\n", process, total_cpu / 1000 / changes,
              total_sw / changes);
  for (const auto& [name, u] : by_name) {
    if (u.cpu_ns / 1000 / changes < 1 && u.switches / changes < 0.5) continue;
    std::printf("  %-18s %9.0f us %8.1f switches\n", name.c_str(), u.cpu_ns / 1000 / changes, u.switches / changes);
  }
}

struct Stats {
  double p50 = 0, p99 = 0, max = 0;  // microseconds
  std::size_t n = 0;
};

Stats stats(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  Stats r;
  r.n = v.size();
  r.p50 = percentile(v, 0.50);
  r.p99 = percentile(v, 0.99);
  r.max = v.empty() ? 0 : v.back();
  return r;
}

[[noreturn]] void usage() {
  std::fprintf(stderr,
               "usage: fanout_bench [--monitors M] [--changes K] [--interval-ms MS] [--readers R] [--timeout-ms MS]\n"
               "                    [--opens-per-app N]\n"
               "                    [--json FILE] [--opentapid PATH] [--config-template FILE] [--allow-debug]\n"
               "                    [--transport unix|tcp|tls]\n");
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  int monitors = 1000;
  int changes = 200;
  int interval_ms = 20;
  int readers = 2;
  int opens_per_app = 1;
  int timeout_ms = 2000;
  std::string json;
  std::string server = OPENTAPID_BINARY;
  std::string templ = OPENTAPI_CONFIG_TEMPLATE;
  bool allow_debug = false;
  std::string transport = "unix";
  for (int i = 1; i < argc; ++i) {
    const std::string opt = argv[i];
    if (opt == "--allow-debug") {
      allow_debug = true;
      continue;
    }
    if (i + 1 >= argc) usage();
    const char* v = argv[++i];
    auto number = [&](int lo, int hi) {
      char* end;
      const long x = std::strtol(v, &end, 10);
      if (*end != '\0' || end == v || x < lo || x > hi) usage();
      return static_cast<int>(x);
    };
    if (opt == "--monitors") {
      monitors = number(1, 100'000);
    } else if (opt == "--changes") {
      changes = number(1, 100'000);
    } else if (opt == "--interval-ms") {
      interval_ms = number(0, 10'000);
    } else if (opt == "--readers") {
      readers = number(1, 64);
    } else if (opt == "--opens-per-app") {
      opens_per_app = number(1, 100'000);
    } else if (opt == "--timeout-ms") {
      timeout_ms = number(1, 60'000);
    } else if (opt == "--json") {
      json = v;
    } else if (opt == "--opentapid") {
      server = v;
    } else if (opt == "--config-template") {
      templ = v;
    } else if (opt == "--transport") {
      transport = v;
      if (transport != "unix" && transport != "tcp" && transport != "tls") usage();
    } else {
      usage();
    }
  }
  if (opentapi::bench::refuse_debug_build("fanout_bench", allow_debug)) return 2;
  opens_per_app = std::min(opens_per_app, monitors);
  const int apps = (monitors + opens_per_app - 1) / opens_per_app;
  readers = std::min(readers, apps);
  ::signal(SIGPIPE, SIG_IGN);
  opentapi::bench::stop_server_on_signal();
  // Bound: 30 s + 20 ms per monitor for start-up and set-up, then per change
  // at most the timeout plus the interval.
  const double bound_s = 30.0 + 0.02 * monitors + static_cast<double>(changes) * (timeout_ms + interval_ms) / 1000.0;
  opentapi::bench::exit_after(static_cast<unsigned>(std::min(bound_s, 3600.0)),
                              "fanout_bench: time bound exceeded, giving up\n");

  // Each monitor: a socket and an eventfd here, a socket in opentapid (a child: inherits the limit).
  rlimit rl{};
  if (!opentapi::bench::raise_open_file_limit(&rl)) fail("setrlimit(RLIMIT_NOFILE) failed");
  const rlim_t need = static_cast<rlim_t>(monitors) * 2 + 64;
  if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need) {
    fail("RLIMIT_NOFILE hard limit " + std::to_string(rl.rlim_cur) + " is below the " + std::to_string(need) +
         " descriptors " + std::to_string(monitors) + " monitors need");
  }

  const opentapi::bench::MachineFacts facts = opentapi::bench::machine_facts();
  const unsigned cores = facts.cores;
  const std::string& cpu = facts.cpu;
  const std::string& kernel = facts.kernel;
  const char* build = kDebugBuild ? "debug/sanitizer (NOT meaningful)" : "release";
  std::printf("machine: %u cores, %s, %s\n", cores, cpu.c_str(), kernel.c_str());
  std::printf(
      "settings: build=%s transport=%s monitors=%d opens_per_app=%d changes=%d interval=%d ms readers=%d timeout=%d ms "
      "nofile=%llu "
      "store=SQLite synchronous=FULL, all monitors on line 0 (LINECALLPRIVILEGE_MONITOR)\n",
      build, transport.c_str(), monitors, opens_per_app, changes, interval_ms, readers, timeout_ms,
      static_cast<unsigned long long>(rl.rlim_cur));
  std::fflush(stdout);

  const std::string dir = opentapi::bench::make_temp_dir("fanout-bench");
  if (dir.empty()) fail("mkdtemp failed");
  std::string config = read_file(templ);
  if (config.empty()) fail("cannot read configuration template " + templ);
  config +=
      "\n# fanout_bench: the agent whose session changes\n[[agent]]\nid = \"F00000\"\npin = \"p\"\nname = \"bench\"\n";
  const std::string config_path = dir + "/callcenter.toml";
  std::ofstream(config_path) << config;
  start_server(server, dir, config_path, transport);

  // The agent application: own agent, one session in group Sales.
  const HLINEAPP agent_app = initialize(L"fanout bench agent");
  HLINE agent_line = 0;
  if (const LONG rc = lineOpenW(agent_app, 0, &agent_line, kVersion, 0, 0, LINECALLPRIVILEGE_NONE, 0, nullptr))
    die("lineOpenW (agent)", rc);
  HAGENT agent = 0;
  wchar_t id[] = L"F00000";
  wchar_t pin[] = L"p";
  if (const LONG rc = wait_reply(agent_app, lineCreateAgentW(agent_line, id, pin, &agent), "lineCreateAgent"))
    die("lineCreateAgent reply", rc);
  HAGENTSESSION session = 0;
  GUID group = kSales;
  if (const LONG rc = wait_reply(agent_app, lineCreateAgentSessionW(agent_line, agent, nullptr, 0, &group, &session),
                                 "lineCreateAgentSession"))
    die("lineCreateAgentSession reply", rc);
  // Start from NOT_READY whatever the initial state (an error just means it is one already).
  wait_reply(agent_app, lineSetAgentSessionState(agent_line, session, LINEAGENTSESSIONSTATE_NOTREADY, 0),
             "lineSetAgentSessionState (initial)");

  Shared s;
  s.monitors = monitors;
  s.changes = changes;
  s.session = session;
  s.mon.resize(static_cast<std::size_t>(monitors));
  s.arrival_ns.assign(static_cast<std::size_t>(monitors) * static_cast<std::size_t>(changes), -1);
  s.delivered = std::make_unique<std::atomic<int>[]>(static_cast<std::size_t>(changes));
  for (int k = 0; k < changes; ++k) s.delivered[static_cast<std::size_t>(k)] = 0;

  const auto setup_start = Clock::now();
  s.apps.resize(static_cast<std::size_t>(apps));
  for (std::size_t i = 0; i < s.mon.size(); ++i) {
    MonitorApp& a = s.apps[i / static_cast<std::size_t>(opens_per_app)];
    if (a.app == 0) a.app = initialize(L"fanout bench monitor", &a.fd);
    if (const LONG rc = lineOpenW(a.app, 0, &s.mon[i].line, kVersion, 0, i, LINECALLPRIVILEGE_MONITOR, 0, nullptr))
      die("lineOpenW (monitor)", rc);
  }
  const double setup_s = std::chrono::duration<double>(Clock::now() - setup_start).count();
  std::printf("set-up: %d monitor applications with %d opens of line 0 each initialised and opened in %.2f s\n", apps,
              opens_per_app, setup_s);
  std::fflush(stdout);

  std::vector<std::thread> threads;
  for (int r = 0; r < readers; ++r) {
    const int first = static_cast<int>(static_cast<long>(apps) * r / readers);
    const int last = static_cast<int>(static_cast<long>(apps) * (r + 1) / readers);
    threads.emplace_back(reader, std::ref(s), first, last);
  }
  // Let the readers settle (and drain anything queued at open).
  std::this_thread::sleep_for(std::chrono::milliseconds(200));

  const pid_t server_pid = opentapi::bench::server_pid();
  const auto server_before = thread_use(server_pid);
  const auto self_before = thread_use(::getpid());
  std::vector<std::int64_t> t0(static_cast<std::size_t>(changes), 0);
  int incomplete = 0;
  LINEMESSAGE msg;
  for (int k = 0; k < changes; ++k) {
    const auto start = Clock::now();
    t0[static_cast<std::size_t>(k)] =
        std::chrono::duration_cast<std::chrono::nanoseconds>(start.time_since_epoch()).count();
    const LONG req = lineSetAgentSessionState(agent_line, session, state_of_change(k), 0);
    if (const LONG rc = wait_reply(agent_app, req, "lineSetAgentSessionState"))
      die("lineSetAgentSessionState reply", rc);
    {
      std::unique_lock lock(s.mu);
      if (!s.cv.wait_until(lock, start + std::chrono::milliseconds(timeout_ms),
                           [&] { return s.delivered[static_cast<std::size_t>(k)].load() == monitors; })) {
        ++incomplete;
      }
    }
    // Drop the agent application's own status messages.
    while (lineGetMessage(agent_app, &msg, 0) == 0) {
    }
    std::this_thread::sleep_until(start + std::chrono::milliseconds(interval_ms));
  }
  const auto server_after = thread_use(server_pid);
  const auto self_after = thread_use(::getpid());
  // Grace for late deliveries of the last change.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  s.stop = true;
  for (auto& t : threads) t.join();

  // Per-change last monitor, all per-monitor latencies.
  std::vector<double> last, first, all;
  last.reserve(static_cast<std::size_t>(changes));
  all.reserve(s.arrival_ns.size());
  std::size_t missing = 0;
  for (int k = 0; k < changes; ++k) {
    double worst = -1, best = -1;
    bool complete = true;
    for (int i = 0; i < monitors; ++i) {
      const std::int64_t a =
          s.arrival_ns[static_cast<std::size_t>(i) * static_cast<std::size_t>(changes) + static_cast<std::size_t>(k)];
      if (a < 0) {
        ++missing;
        complete = false;
        continue;
      }
      const double us = static_cast<double>(a - t0[static_cast<std::size_t>(k)]) / 1000.0;
      all.push_back(us);
      worst = std::max(worst, us);
      best = best < 0 ? us : std::min(best, us);
    }
    if (complete) last.push_back(worst);
    if (best >= 0) first.push_back(best);
  }
  const Stats sl = stats(last);
  const Stats sa = stats(all);
  const Stats sf = stats(first);
  const bool met = missing == 0 && s.wrong == 0 && !last.empty() && sl.p99 <= kTargetP99Us;

  for (MonitorApp& a : s.apps) lineShutdown(a.app);
  lineShutdown(agent_app);
  opentapi::bench::stop_server();
  std::filesystem::remove_all(dir);
  opentapi::bench::cancel_time_bound();

  std::printf("%-26s %8s %10s %10s %10s\n", "latency (us)", "samples", "p50", "p99", "max");
  std::printf("%-26s %8zu %10.1f %10.1f %10.1f\n", "last monitor per change", sl.n, sl.p50, sl.p99, sl.max);
  std::printf("%-26s %8zu %10.1f %10.1f %10.1f\n", "every monitor delivery", sa.n, sa.p50, sa.p99, sa.max);
  std::printf("%-26s %8zu %10.1f %10.1f %10.1f\n", "first monitor per change", sf.n, sf.p50, sf.p99, sf.max);
  print_thread_use("opentapid", server_before, server_after, changes);
  print_thread_use("fanout_bench", self_before, self_after, changes);
  std::printf("deliveries: %zu missing, %ld unexpected, %d changes not complete within %d ms\n", missing,
              s.wrong.load(), incomplete, timeout_ms);
  std::printf(
      "fanout monitors=%d changes=%d last_p50=%.1f last_p99=%.1f last_max=%.1f all_p50=%.1f all_p99=%.1f "
      "all_max=%.1f us\n",
      monitors, changes, sl.p50, sl.p99, sl.max, sa.p50, sa.p99, sa.max);
  std::printf("target: last-monitor p99 <= %.0f ms with %d monitors: %.2f ms  %s\n", kTargetP99Us / 1000, monitors,
              sl.p99 / 1000, met ? "MET" : "NOT MET");

  if (!json.empty()) {
    std::ofstream out(json);
    char buf[1024];
    std::snprintf(buf, sizeof buf,
                  "{\n  \"benchmark\": \"fanout\",\n"
                  "  \"machine\": {\"cores\": %u, \"cpu\": \"%s\", \"kernel\": \"%s\"},\n"
                  "  \"settings\": {\"build\": \"%s\", \"monitors\": %d, \"changes\": %d, \"interval_ms\": %d, "
                  "\"readers\": %d, \"timeout_ms\": %d, \"transport\": \"%s\"},\n",
                  cores, json_escape(cpu).c_str(), json_escape(kernel).c_str(), kDebugBuild ? "debug" : "release",
                  monitors, changes, interval_ms, readers, timeout_ms, transport.c_str());
    out << buf;
    std::snprintf(buf, sizeof buf,
                  "  \"setup_s\": %.3f,\n"
                  "  \"last_monitor_us\": {\"samples\": %zu, \"p50\": %.1f, \"p99\": %.1f, \"max\": %.1f},\n"
                  "  \"every_monitor_us\": {\"samples\": %zu, \"p50\": %.1f, \"p99\": %.1f, \"max\": %.1f},\n"
                  "  \"first_monitor_us\": {\"samples\": %zu, \"p50\": %.1f, \"p99\": %.1f, \"max\": %.1f},\n"
                  "  \"missing\": %zu, \"unexpected\": %ld, \"incomplete_changes\": %d,\n"
                  "  \"target\": {\"last_monitor_p99_us\": %.0f, \"result\": \"%s\"}\n}\n",
                  setup_s, sl.n, sl.p50, sl.p99, sl.max, sa.n, sa.p50, sa.p99, sa.max, sf.n, sf.p50, sf.p99, sf.max,
                  missing, s.wrong.load(), incomplete, kTargetP99Us, met ? "MET" : "NOT MET");
    out << buf;
    if (!out) fail("cannot write " + json);
  }
  return missing == 0 && s.wrong == 0 ? 0 : 1;
}
