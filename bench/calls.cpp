// Calls through the switch and the reference ACD (docs/calls.md), measured
// from TAPI 2 applications through the public C API against a real opentapid
// (ACD in-process, SQLite store with fsync per commit group):
//
// 1. Offer latency: from just before lineMakeCall until the desktop takes the
//    call's LINE_CALLSTATE OFFERING out of lineGetMessage, one call at a time.
//    - internal: station -> station, no ACD in the path (the ACD only
//      monitors the station lines);
//    - queue: station -> queue number 8001 -> the ACD redirects it to the one
//      READY agent's address.
// 2. Call lifecycles per second with N agents (default 64): trunk callers keep
//    2 x N calls to queue 8001 in flight; every agent desktop (its own
//    application, connection, thread and station line) answers the call
//    LINE_APPNEWCALL announced when its LINE_CALLSTATE OFFERING comes, hangs up as soon as the answer is acknowledged,
//    deallocates the call, waits for its session's BUSY_WRAPUP
//    (LINE_AGENTSESSIONSTATUS) and ends wrap-up with lineSetAgentSessionState
//    READY ([acd] wrap_up_seconds = 0: wrap-up lasts until the agent asks).
//    One lifecycle = dial, queue, offer, answer, drop, wrap-up end (the READY's
//    LINE_REPLY, sent after the ACD's commit is fsynced). A caller drops and
//    deallocates its side on DISCONNECTED and dials again.
//
//   calls_bench [--agents 64] [--seconds S] [--samples N] [--json FILE]
//               [--opentapid PATH] [--server-log FILE] [--allow-debug]
//
// Starts its own opentapid (temporary socket and --data-dir, --no-simulator)
// with a generated configuration: agents+2 station lines with one address each
// (numbers 2001…), queue 1 "Sales" (8001), one [[agent]] per desktop plus the
// latency desktop's. Prints "offer path=… p50=… p99=…" and "calls agents=…
// N calls/s" lines; refuses (exit 2) a debug or sanitizer build unless
// --allow-debug. The whole run is bounded (exit_after).
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "bench_support.h"
#include "tapi.h"

namespace {

using opentapi::bench::json_escape;
using opentapi::bench::percentile;

using Clock = std::chrono::steady_clock;
constexpr DWORD kVersion = 0x00030001;
constexpr GUID kSales = {0x3C1F7A51, 0x1E27, 0x4C55, {0x9A, 0x10, 0x5B, 0x7C, 0x2D, 0x11, 0x60, 0x01}};
constexpr const char* kSalesText = "{3C1F7A51-1E27-4C55-9A10-5B7C2D116001}";
constexpr const char* kQueueNumber = "8001";
constexpr DWORD kWaitMs = 10'000;

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "calls_bench: %s\n", what.c_str());
  opentapi::bench::kill_server();
  std::_Exit(1);
}

[[noreturn]] void die(const char* what, LONG rc) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "%s failed: 0x%08X", what, static_cast<unsigned>(rc));
  fail(buf);
}

HLINEAPP initialize(const char* name) {
  LINEINITIALIZEEXPARAMS params{};
  params.dwTotalSize = sizeof params;
  params.dwOptions = LINEINITIALIZEEXOPTION_USEEVENT;
  HLINEAPP h = 0;
  DWORD devs = 0;
  DWORD version = kVersion;
  if (const LONG rc = lineInitializeExA(&h, nullptr, nullptr, name, &devs, &version, &params))
    die("lineInitializeEx", rc);
  return h;
}

HLINE open_line(HLINEAPP app, DWORD device, DWORD privileges) {
  HLINE line = 0;
  const DWORD media = privileges == LINECALLPRIVILEGE_OWNER ? LINEMEDIAMODE_INTERACTIVEVOICE : 0;
  if (const LONG rc = lineOpenA(app, device, &line, kVersion, 0, 0, privileges, media, nullptr)) die("lineOpen", rc);
  return line;
}

// The next message matching `want`; the others are dropped.
LINEMESSAGE wait_for(HLINEAPP app, const char* what, const std::function<bool(const LINEMESSAGE&)>& want) {
  LINEMESSAGE m;
  for (;;) {
    if (const LONG rc = lineGetMessage(app, &m, kWaitMs)) {
      std::string s = std::string("lineGetMessage (10 s without ") + what + ")";
      die(s.c_str(), rc);
    }
    if (want(m)) return m;
  }
}

LONG wait_reply(HLINEAPP app, LONG id, const char* what) {
  if (id <= 0) die(what, id);
  const LINEMESSAGE m = wait_for(app, what, [&](const LINEMESSAGE& x) {
    return x.dwMessageID == LINE_REPLY && x.dwParam1 == static_cast<DWORD_PTR>(id);
  });
  return static_cast<LONG>(m.dwParam2);
}

void check_reply(HLINEAPP app, LONG id, const char* what) {
  if (const LONG rc = wait_reply(app, id, what)) die(what, rc);
}

bool is_state(const LINEMESSAGE& m, HCALL call, DWORD state) {
  return m.dwMessageID == LINE_CALLSTATE && m.hDevice == call && m.dwParam1 == state;
}

std::string agent_id(int i) {
  char id[16];
  std::snprintf(id, sizeof id, "A%05d", 10000 + i);
  return id;
}
const std::string kLatencyAgent = "L10000";

std::string station_number(int device) { return std::to_string(2001 + device); }

struct Desk {
  HLINEAPP app = 0;
  HLINE line = 0;
  HAGENT agent = 0;
  HAGENTSESSION session = 0;
};

// A desktop on station `device`: owns the line; with `id`, its agent logged in
// on address 0 in group Sales (session NOT_READY until asked).
Desk open_desk(DWORD device, const std::string& id) {
  Desk d;
  d.app = initialize("calls bench desktop");
  d.line = open_line(d.app, device, LINECALLPRIVILEGE_OWNER);
  if (id.empty()) return d;
  std::string agent = id;
  char pin[] = "p";
  check_reply(d.app, lineCreateAgentA(d.line, agent.data(), pin, &d.agent), "lineCreateAgent");
  GUID group = kSales;
  check_reply(d.app, lineCreateAgentSessionA(d.line, d.agent, nullptr, 0, &group, &d.session),
              "lineCreateAgentSession");
  return d;
}

void set_state(const Desk& d, DWORD state) {
  check_reply(d.app, lineSetAgentSessionState(d.line, d.session, state, 0), "lineSetAgentSessionState");
}

DWORD session_state(const Desk& d) {
  LINEAGENTSESSIONINFO info;
  std::memset(&info, 0, sizeof info);
  info.dwTotalSize = sizeof info;
  check_reply(d.app, lineGetAgentSessionInfo(d.line, d.session, &info), "lineGetAgentSessionInfo");
  return info.dwAgentSessionState;
}

struct Stats {
  std::size_t n = 0;
  double p50 = 0, p99 = 0, max = 0;  // microseconds
};

Stats stats_of(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  Stats s;
  s.n = v.size();
  s.p50 = percentile(v, 0.50);
  s.p99 = percentile(v, 0.99);
  s.max = v.empty() ? 0 : v.back();
  return s;
}

// --- 1. Offer latency -------------------------------------------------------

// One call from `caller` to `number`, offered at `desk`: the time from just
// before lineMakeCall to the desk's LINE_CALLSTATE OFFERING. Then the caller
// hangs up (both ends drop and deallocate their handles); with an ACD
// session, waits until the ACD made it READY again (an unanswered call has
// no wrap-up, docs/acd.md).
double offer_once(HLINEAPP caller_app, HLINE caller_line, const Desk& desk, const char* number) {
  HCALL out = 0;
  const auto t0 = Clock::now();
  const LONG id = lineMakeCallA(caller_line, &out, number, 0, nullptr);
  if (id <= 0) die("lineMakeCall", id);
  HCALL in = 0;
  wait_for(desk.app, "OFFERING", [&](const LINEMESSAGE& m) {
    if (m.dwMessageID == LINE_APPNEWCALL) in = static_cast<HCALL>(m.dwParam2);
    return in != 0 && is_state(m, in, LINECALLSTATE_OFFERING);
  });
  const auto t1 = Clock::now();
  check_reply(caller_app, id, "lineMakeCall");
  check_reply(caller_app, lineDrop(out, nullptr, 0), "lineDrop (caller)");
  if (const LONG rc = lineDeallocateCall(out)) die("lineDeallocateCall (caller)", rc);
  wait_for(desk.app, "DISCONNECTED", [&](const LINEMESSAGE& m) {
    return is_state(m, in, LINECALLSTATE_DISCONNECTED) || is_state(m, in, LINECALLSTATE_IDLE);
  });
  check_reply(desk.app, lineDrop(in, nullptr, 0), "lineDrop (desk)");
  if (const LONG rc = lineDeallocateCall(in)) die("lineDeallocateCall (desk)", rc);
  if (desk.session != 0) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(kWaitMs);
    while (session_state(desk) != LINEAGENTSESSIONSTATE_READY) {
      if (Clock::now() > deadline) fail("the latency desk's session did not become READY again");
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
  }
  return std::chrono::duration<double, std::micro>(t1 - t0).count();
}

Stats offer_latency(HLINEAPP caller_app, HLINE caller_line, const Desk& desk, const char* number, int samples) {
  const int warmup = std::max(1, samples / 20);
  std::vector<double> v;
  v.reserve(static_cast<std::size_t>(samples));
  for (int i = 0; i < warmup + samples; ++i) {
    const double us = offer_once(caller_app, caller_line, desk, number);
    if (i >= warmup) v.push_back(us);
  }
  return stats_of(std::move(v));
}

// CPU seconds (user + system) used so far by process `pid` (/proc), 0 if unknown.
double process_cpu_seconds(pid_t pid) {
  const std::string stat = opentapi::bench::read_file("/proc/" + std::to_string(pid) + "/stat");
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  // Fields after "pid (comm)": state is field 3; utime and stime are 14 and 15.
  std::vector<std::string> f;
  std::size_t i = close + 2;
  while (i < stat.size() && f.size() < 13) {
    const auto sp = stat.find(' ', i);
    f.push_back(stat.substr(i, sp - i));
    if (sp == std::string::npos) break;
    i = sp + 1;
  }
  if (f.size() < 13) return 0;
  const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
  return (std::atof(f[11].c_str()) + std::atof(f[12].c_str())) / ticks;
}

double own_cpu_seconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// --- 2. Call lifecycles per second -------------------------------------------

struct Window {
  std::atomic<bool> go{false};
  std::atomic<bool> stop{false};
  Clock::time_point measure_from, end;
};

// One agent desktop's loop (see the file comment). Appends the completion
// time of every lifecycle to `done` and the offer-to-READY time of those in
// the window to `cycle_us`.
void agent_loop(const Desk& d, const Window& w, std::vector<Clock::time_point>& done, std::vector<double>& cycle_us) {
  HCALL call = 0;
  LONG answer_id = 0, drop_id = 0, ready_id = 0;
  bool dropped = false, wrapup = false;
  Clock::time_point offered;
  LINEMESSAGE m;
  while (!w.stop.load(std::memory_order_relaxed)) {
    const LONG rc = lineGetMessage(d.app, &m, 50);
    if (rc == LINEERR_OPERATIONFAILED) continue;  // timed out
    if (rc) die("lineGetMessage (agent)", rc);
    switch (m.dwMessageID) {
      case LINE_APPNEWCALL:
        if (call != 0) fail("a second call offered to a busy agent");
        call = static_cast<HCALL>(m.dwParam2);
        offered = Clock::now();
        break;
      case LINE_CALLSTATE:
        // Answered on its OFFERING state (which follows LINE_APPNEWCALL):
        // the library checks the call's state before it sends lineAnswer.
        if (call != 0 && m.hDevice == call && m.dwParam1 == LINECALLSTATE_OFFERING) {
          answer_id = lineAnswer(call, nullptr, 0);
          if (answer_id <= 0) die("lineAnswer", answer_id);
        } else if (call != 0 && m.hDevice == call && answer_id != 0 &&
                   (m.dwParam1 == LINECALLSTATE_DISCONNECTED || m.dwParam1 == LINECALLSTATE_IDLE)) {
          fail("an offered call ended before the agent's answer");
        }
        break;
      case LINE_AGENTSESSIONSTATUS:
        if (m.dwParam1 == d.session && (m.dwParam2 & LINEAGENTSESSIONSTATUS_STATE) != 0 &&
            m.dwParam3 == LINEAGENTSESSIONSTATE_BUSYWRAPUP)
          wrapup = true;
        break;
      case LINE_REPLY: {
        const auto id = static_cast<LONG>(m.dwParam1);
        if (m.dwParam2 != 0) {
          if (w.stop) return;
          die(id == answer_id ? "lineAnswer reply"
              : id == drop_id ? "lineDrop reply"
                              : "READY reply",
              static_cast<LONG>(m.dwParam2));
        }
        if (id == answer_id) {
          answer_id = 0;
          drop_id = lineDrop(call, nullptr, 0);
          if (drop_id <= 0) die("lineDrop", drop_id);
        } else if (id == drop_id) {
          drop_id = 0;
          if (const LONG r = lineDeallocateCall(call)) die("lineDeallocateCall (agent)", r);
          dropped = true;
        } else if (id == ready_id) {
          ready_id = 0;
          const auto now = Clock::now();
          done.push_back(now);
          if (now >= w.measure_from && now <= w.end)
            cycle_us.push_back(std::chrono::duration<double, std::micro>(now - offered).count());
        }
        break;
      }
      default:
        break;
    }
    if (dropped && wrapup) {
      dropped = wrapup = false;
      call = 0;
      ready_id = lineSetAgentSessionState(d.line, d.session, LINEAGENTSESSIONSTATE_READY, 0);
      if (ready_id <= 0) die("lineSetAgentSessionState READY", ready_id);
    }
  }
}

// One caller application on the trunk keeping `inflight` calls to the queue.
void caller_loop(DWORD trunk, int inflight, const Window& w, std::atomic<long>& placed) {
  const HLINEAPP app = initialize("calls bench caller");
  const HLINE line = open_line(app, trunk, LINECALLPRIVILEGE_NONE);
  std::vector<HCALL> slot(static_cast<std::size_t>(inflight), 0);  // written by lineMakeCall's LINE_REPLY
  std::unordered_map<LONG, std::size_t> making;                    // request id -> slot
  std::unordered_map<HCALL, std::size_t> live;
  std::unordered_map<LONG, HCALL> dropping;
  while (!w.go) std::this_thread::yield();
  auto dial = [&](std::size_t s) {
    const LONG id = lineMakeCallA(line, &slot[s], kQueueNumber, 0, nullptr);
    if (id <= 0) die("lineMakeCall (caller)", id);
    making[id] = s;
    placed.fetch_add(1, std::memory_order_relaxed);
  };
  for (std::size_t s = 0; s < slot.size(); ++s) dial(s);
  LINEMESSAGE m;
  while (!w.stop.load(std::memory_order_relaxed)) {
    const LONG rc = lineGetMessage(app, &m, 50);
    if (rc == LINEERR_OPERATIONFAILED) continue;
    if (rc) die("lineGetMessage (caller)", rc);
    if (m.dwMessageID == LINE_REPLY) {
      const auto id = static_cast<LONG>(m.dwParam1);
      if (m.dwParam2 != 0) {
        if (w.stop) break;
        die("caller request reply", static_cast<LONG>(m.dwParam2));
      }
      if (auto it = making.find(id); it != making.end()) {
        live[slot[it->second]] = it->second;
        making.erase(it);
      } else if (auto d = dropping.find(id); d != dropping.end()) {
        const HCALL h = d->second;
        dropping.erase(d);
        const std::size_t s = live[h];
        live.erase(h);
        if (const LONG r = lineDeallocateCall(h)) die("lineDeallocateCall (caller)", r);
        dial(s);
      }
    } else if (m.dwMessageID == LINE_CALLSTATE && m.dwParam1 == LINECALLSTATE_DISCONNECTED) {
      const HCALL h = static_cast<HCALL>(m.hDevice);
      if (live.count(h) == 0) continue;
      const LONG id = lineDrop(h, nullptr, 0);
      if (id <= 0) die("lineDrop (caller)", id);
      dropping[id] = h;
    }
  }
  lineShutdown(app);
}

struct Throughput {
  int agents = 0;
  std::size_t calls = 0;  // lifecycles completed in the window
  double seconds = 0;
  double calls_per_s = 0;
  long placed = 0;
  Stats cycle;                           // offer -> READY acknowledged, at the desk
  double server_cpu = 0, bench_cpu = 0;  // CPU seconds in the window (opentapid with its ACD; the applications)
};

Throughput throughput(const std::vector<Desk>& desks, DWORD trunk, double seconds) {
  Window w;
  const int agents = static_cast<int>(desks.size());
  std::vector<std::vector<Clock::time_point>> done(desks.size());
  std::vector<std::vector<double>> cycle(desks.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < desks.size(); ++i) {
    threads.emplace_back([&, i] {
      done[i].reserve(1 << 14);
      cycle[i].reserve(1 << 14);
      while (!w.go) std::this_thread::yield();
      agent_loop(desks[i], w, done[i], cycle[i]);
    });
  }
  std::atomic<long> placed{0};
  const int callers = 2;
  const int inflight = std::max(1, agents);  // per caller: 2 x agents calls in all
  for (int c = 0; c < callers; ++c) threads.emplace_back([&] { caller_loop(trunk, inflight, w, placed); });
  const auto start = Clock::now();
  const double warmup = std::min(1.0, seconds / 4);
  w.measure_from = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(warmup));
  w.end = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  w.go = true;
  std::this_thread::sleep_until(w.measure_from);
  const double server0 = process_cpu_seconds(opentapi::bench::server_pid()), bench0 = own_cpu_seconds();
  std::this_thread::sleep_until(w.end);
  const double server1 = process_cpu_seconds(opentapi::bench::server_pid()), bench1 = own_cpu_seconds();
  w.stop = true;
  for (auto& t : threads) t.join();
  Throughput r;
  r.agents = agents;
  std::vector<double> all;
  for (std::size_t i = 0; i < desks.size(); ++i) {
    for (const auto& t : done[i])
      if (t >= w.measure_from && t <= w.end) ++r.calls;
    all.insert(all.end(), cycle[i].begin(), cycle[i].end());
  }
  r.seconds = std::chrono::duration<double>(w.end - w.measure_from).count();
  r.calls_per_s = static_cast<double>(r.calls) / r.seconds;
  r.placed = placed.load();
  r.cycle = stats_of(std::move(all));
  r.server_cpu = server1 - server0;
  r.bench_cpu = bench1 - bench0;
  return r;
}

// --- The server -----------------------------------------------------------

std::string make_config(int agents, int lines) {
  std::string c = "[server]\nlines = " + std::to_string(lines) +
                  "\naddresses_per_line = 1\n\n"
                  "[acd]\nwrap_up_seconds = 0\nring_timeout_seconds = 60\n\n"
                  "[[group]]\nname = \"Sales\"\nguid = \"" +
                  std::string(kSalesText) +
                  "\"\n\n"
                  "[[queue]]\nid = 1\nname = \"Sales\"\ngroup = \"Sales\"\n\n";
  for (int i = 0; i < agents; ++i) c += "[[agent]]\nid = \"" + agent_id(i) + "\"\npin = \"p\"\n\n";
  c += "[[agent]]\nid = \"" + kLatencyAgent + "\"\npin = \"p\"\n";
  return c;
}

void start_server(const std::string& binary, const std::string& dir, const std::string& config, int lines,
                  const std::string& server_log) {
  const std::string socket = dir + "/opentapid.sock";
  const std::string address = "unix:" + socket;
  std::vector<std::string> args = {binary,        "--listen",
                                   address,       "--data-dir",
                                   dir + "/data", "--config",
                                   config,        "--no-simulator",
                                   "--lines",     std::to_string(lines),
                                   "--addresses", "1",
                                   "--log-level", server_log.empty() ? "error" : "info"};
  if (!server_log.empty()) {
    args.push_back("--summary-interval");
    args.push_back("1");
  }
  if (opentapi::bench::spawn_server(args, server_log) < 0) fail("fork failed");
  ::setenv("OPENTAPI_SERVER", address.c_str(), 1);
  switch (opentapi::bench::wait_listening(opentapi::bench::server_pid(), socket, 2000, 5)) {
    case opentapi::bench::Startup::kListening:
      break;
    case opentapi::bench::Startup::kExited:
      fail("opentapid exited at start-up");
    case opentapi::bench::Startup::kTimedOut:
      fail("opentapid did not start within 10 s");
  }
  // The ACD opens the lines right after the server is up; wait until it serves line 0.
  const HLINEAPP app = initialize("calls bench probe");
  open_line(app, 0, LINECALLPRIVILEGE_NONE);
  for (int i = 0;; ++i) {
    std::vector<unsigned char> buf(4096, 0);
    auto* caps = reinterpret_cast<LPLINEAGENTCAPS>(buf.data());
    caps->dwTotalSize = static_cast<DWORD>(buf.size());
    const LONG id = lineGetAgentCapsA(app, 0, 0, kVersion, caps);
    if (id > 0 && wait_reply(app, id, "lineGetAgentCaps") == 0) break;
    if (i > 1000) fail("the ACD did not serve line 0 within 10 s");
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  lineShutdown(app);
}

[[noreturn]] void usage() {
  std::fprintf(stderr,
               "usage: calls_bench [--agents N] [--seconds S] [--samples N] [--json FILE] [--opentapid PATH]\n"
               "                   [--server-log FILE] [--allow-debug]\n");
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  int agents = 64;
  double seconds = 5;
  int samples = 2000;
  std::string json;
  std::string server = OPENTAPID_BINARY;
  std::string server_log;
  bool allow_debug = false;
  for (int i = 1; i < argc; ++i) {
    const std::string opt = argv[i];
    if (opt == "--allow-debug") {
      allow_debug = true;
      continue;
    }
    if (i + 1 >= argc) usage();
    const char* v = argv[++i];
    if (opt == "--agents") {
      agents = std::atoi(v);
      if (agents < 1 || agents > 1000) usage();
    } else if (opt == "--seconds") {
      seconds = std::atof(v);
      if (!(seconds > 0 && seconds <= 120)) usage();
    } else if (opt == "--samples") {
      samples = std::atoi(v);
      if (samples < 1 || samples > 1'000'000) usage();
    } else if (opt == "--json") {
      json = v;
    } else if (opt == "--opentapid") {
      server = v;
    } else if (opt == "--server-log") {
      server_log = v;
    } else {
      usage();
    }
  }
  if (opentapi::bench::refuse_debug_build("calls_bench", allow_debug)) return 2;
  ::signal(SIGPIPE, SIG_IGN);
  opentapi::bench::stop_server_on_signal();
  static std::string bound_message;
  const unsigned bound = 30 + static_cast<unsigned>(seconds) + static_cast<unsigned>(samples / 100);
  bound_message = "calls_bench: not done within " + std::to_string(bound) + " s\n";
  opentapi::bench::exit_after(bound, bound_message.c_str());

  const opentapi::bench::MachineFacts facts = opentapi::bench::machine_facts();
  const bool debug = opentapi::bench::is_debug_build();
  std::printf("machine: %u cores, %s, %s\n", facts.cores, facts.cpu.c_str(), facts.kernel.c_str());
  std::printf(
      "settings: build=%s agents=%d seconds=%.1f (first %.2f s warm-up) samples=%d per offer path, "
      "wrap_up_seconds=0 (READY ends wrap-up), store=SQLite synchronous=FULL\n",
      debug ? "debug/sanitizer (NOT meaningful)" : "release", agents, seconds, std::min(1.0, seconds / 4), samples);
  std::fflush(stdout);

  const std::string dir = opentapi::bench::make_temp_dir("calls-bench");
  if (dir.empty()) fail("mkdtemp failed");
  // Stations 0..agents-1: the agents; `agents`: the latency desktop;
  // `agents`+1: the latency caller. Then the ACD route point and the trunk.
  const int lines = agents + 2;
  const auto latency_desk_device = static_cast<DWORD>(agents);
  const auto caller_device = static_cast<DWORD>(agents + 1);
  const auto trunk = static_cast<DWORD>(lines + 1);
  const std::string config_path = dir + "/callcenter.toml";
  std::ofstream(config_path) << make_config(agents, lines);
  start_server(server, dir, config_path, lines, server_log);

  // 1. Offer latency, internal then through the queue.
  Stats internal, queued;
  {
    const HLINEAPP caller_app = initialize("calls bench latency caller");
    const HLINE caller_line = open_line(caller_app, caller_device, LINECALLPRIVILEGE_OWNER);
    Desk desk = open_desk(latency_desk_device, "");
    const std::string desk_number = station_number(agents);
    internal = offer_latency(caller_app, caller_line, desk, desk_number.c_str(), samples);
    std::printf("offer path=internal samples=%zu p50=%.1f p99=%.1f max=%.1f us\n", internal.n, internal.p50,
                internal.p99, internal.max);
    std::fflush(stdout);
    lineShutdown(desk.app);
    desk = open_desk(latency_desk_device, kLatencyAgent);
    set_state(desk, LINEAGENTSESSIONSTATE_READY);
    queued = offer_latency(caller_app, caller_line, desk, kQueueNumber, samples);
    std::printf("offer path=queue samples=%zu p50=%.1f p99=%.1f max=%.1f us\n", queued.n, queued.p50, queued.p99,
                queued.max);
    std::fflush(stdout);
    set_state(desk, LINEAGENTSESSIONSTATE_NOTREADY);  // out of the throughput run
    lineShutdown(desk.app);
    lineShutdown(caller_app);
  }

  // 2. Lifecycles per second.
  std::vector<Desk> desks(static_cast<std::size_t>(agents));
  {
    std::vector<std::thread> t;
    for (int i = 0; i < agents; ++i)
      t.emplace_back([&, i] { desks[static_cast<std::size_t>(i)] = open_desk(static_cast<DWORD>(i), agent_id(i)); });
    for (auto& th : t) th.join();
  }
  for (const Desk& d : desks) set_state(d, LINEAGENTSESSIONSTATE_READY);
  const Throughput r = throughput(desks, trunk, seconds);
  for (const Desk& d : desks) lineShutdown(d.app);
  std::printf("calls agents=%d calls=%zu window=%.2f s placed=%ld offer_to_ready p50=%.1f p99=%.1f us\n", r.agents,
              r.calls, r.seconds, r.placed, r.cycle.p50, r.cycle.p99);
  std::printf(
      "cpu in the window: opentapid+ACD %.2f s (%.0f us per call), applications %.2f s (%.0f us per call), "
      "of %.2f s x %u cores\n",
      r.server_cpu, r.calls ? r.server_cpu * 1e6 / static_cast<double>(r.calls) : 0, r.bench_cpu,
      r.calls ? r.bench_cpu * 1e6 / static_cast<double>(r.calls) : 0, r.seconds, facts.cores);
  std::printf("throughput calls agents=%d %.0f calls/s\n", r.agents, r.calls_per_s);
  std::fflush(stdout);

  opentapi::bench::cancel_time_bound();
  opentapi::bench::stop_server();
  std::filesystem::remove_all(dir);

  if (!json.empty()) {
    std::ofstream out(json);
    char buf[1024];
    std::snprintf(buf, sizeof buf,
                  "{\n  \"benchmark\": \"calls_bench\",\n"
                  "  \"machine\": {\"cores\": %u, \"cpu\": \"%s\", \"kernel\": \"%s\"},\n"
                  "  \"settings\": {\"build\": \"%s\", \"agents\": %d, \"seconds\": %.1f, \"samples\": %d},\n"
                  "  \"offer_internal_us\": {\"samples\": %zu, \"p50\": %.1f, \"p99\": %.1f, \"max\": %.1f},\n"
                  "  \"offer_queue_us\": {\"samples\": %zu, \"p50\": %.1f, \"p99\": %.1f, \"max\": %.1f},\n"
                  "  \"lifecycles\": {\"agents\": %d, \"calls\": %zu, \"seconds\": %.3f, \"calls_per_s\": %.1f, "
                  "\"offer_to_ready_p50_us\": %.1f, \"offer_to_ready_p99_us\": %.1f, \"server_cpu_s\": %.2f, "
                  "\"bench_cpu_s\": %.2f}\n}\n",
                  facts.cores, json_escape(facts.cpu).c_str(), json_escape(facts.kernel).c_str(),
                  debug ? "debug" : "release", agents, seconds, samples, internal.n, internal.p50, internal.p99,
                  internal.max, queued.n, queued.p50, queued.p99, queued.max, r.agents, r.calls, r.seconds,
                  r.calls_per_s, r.cycle.p50, r.cycle.p99, r.server_cpu, r.bench_cpu);
    out << buf;
    if (!out) fail("cannot write " + json);
  }
  return 0;
}
