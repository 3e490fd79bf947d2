// Round-trip time of one lineSetAgentSessionState through a trivial proxy:
// from the call to the LINE_REPLY in the client's queue (lineGetMessage),
// i.e. client library -> opentapid -> proxy library -> proxy answers at once
// (lineProxyResponse) -> opentapid -> client library.
//
//   tapi2_roundtrip [--clients N[,N...]] [--requests R] [--opentapid PATH]
//
// Starts its own opentapid on a temporary UNIX socket. Every client is a
// separate application (HLINEAPP, own connection) on its own thread, sending
// one request at a time; the proxy is one application answering from one
// thread. Prints p50 / p99 / max latency and the aggregate request rate.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "bench_support.h"
#include "tapi.h"

namespace {

using Clock = std::chrono::steady_clock;
constexpr DWORD kVersion = 0x00030001;

[[noreturn]] void die(const char* what, LONG rc) {
  std::fprintf(stderr, "tapi2_roundtrip: %s failed: 0x%08X\n", what, static_cast<unsigned>(rc));
  std::exit(1);
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

// The trivial proxy: SETAGENTSESSIONSTATE on device 0, answered at once.
class Proxy {
 public:
  Proxy() {
    app_ = initialize("bench proxy");
    std::vector<unsigned char> buf(sizeof(LINECALLPARAMS) + 4, 0);
    auto* p = reinterpret_cast<LINECALLPARAMS*>(buf.data());
    p->dwTotalSize = static_cast<DWORD>(buf.size());
    p->dwDevSpecificSize = 4;
    p->dwDevSpecificOffset = sizeof(LINECALLPARAMS);
    const DWORD type = LINEPROXYREQUEST_SETAGENTSESSIONSTATE;
    std::memcpy(buf.data() + sizeof(LINECALLPARAMS), &type, 4);
    if (const LONG rc = lineOpenA(app_, 0, &line_, kVersion, 0, 0, LINECALLPRIVILEGE_NONE | LINEOPENOPTION_PROXY, 0, p))
      die("proxy lineOpen", rc);
    thread_ = std::thread([this] {
      LINEMESSAGE m;
      while (lineGetMessage(app_, &m, INFINITE) == 0) {
        if (m.dwMessageID == LINE_PROXYREQUEST) {
          lineProxyResponse(line_, reinterpret_cast<LPLINEPROXYREQUEST>(m.dwParam1), 0);
        }
      }
    });
  }
  ~Proxy() {
    lineShutdown(app_);
    thread_.join();
  }

 private:
  HLINEAPP app_ = 0;
  HLINE line_ = 0;
  std::thread thread_;
};

struct Result {
  std::vector<double> micros;
  double seconds = 0;
};

Result run(int clients, int requests) {
  std::vector<HLINEAPP> apps(static_cast<std::size_t>(clients));
  std::vector<HLINE> lines(apps.size());
  for (std::size_t i = 0; i < apps.size(); ++i) {
    apps[i] = initialize("bench client");
    if (const LONG rc = lineOpenA(apps[i], 0, &lines[i], kVersion, 0, 0, LINECALLPRIVILEGE_NONE, 0, nullptr))
      die("client lineOpen", rc);
  }
  std::vector<std::vector<double>> samples(apps.size());
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < apps.size(); ++i) {
    threads.emplace_back([&, i] {
      auto& out = samples[i];
      out.reserve(static_cast<std::size_t>(requests));
      ++ready;
      while (!go) std::this_thread::yield();
      for (int r = 0; r < requests + requests / 10; ++r) {
        const auto t0 = Clock::now();
        const LONG id = lineSetAgentSessionState(
            lines[i], 1, (r % 2) ? LINEAGENTSESSIONSTATE_READY : LINEAGENTSESSIONSTATE_NOTREADY, 0);
        if (id <= 0) die("lineSetAgentSessionState", id);
        LINEMESSAGE m;
        do {
          if (const LONG rc = lineGetMessage(apps[i], &m, 10'000)) die("lineGetMessage", rc);
        } while (m.dwMessageID != LINE_REPLY || m.dwParam1 != static_cast<DWORD_PTR>(id));
        if (static_cast<LONG>(m.dwParam2) != 0) die("LINE_REPLY", static_cast<LONG>(m.dwParam2));
        const auto t1 = Clock::now();
        if (r >= requests / 10)
          out.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());  // after warm-up
      }
    });
  }
  while (ready < clients) std::this_thread::yield();
  const auto start = Clock::now();
  go = true;
  for (auto& t : threads) t.join();
  Result result;
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  for (auto& s : samples) result.micros.insert(result.micros.end(), s.begin(), s.end());
  std::sort(result.micros.begin(), result.micros.end());
  for (const HLINEAPP h : apps) lineShutdown(h);
  return result;
}

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto i = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1));
  return sorted[i];
}

// opentapid without its ACD on `socket` (the one way benchmarks start it:
// bench_support over tests/support); returns once it accepts connections.
void start_server(const std::string& binary, const std::string& socket) {
  const std::string address = "unix:" + socket;
  const pid_t pid =
      opentapi::bench::spawn_server({binary, "--no-acd", "--listen", address, "--lines", "1", "--log-level", "error"});
  if (pid < 0) {
    std::fprintf(stderr, "tapi2_roundtrip: fork failed\n");
    std::exit(1);
  }
  ::setenv("OPENTAPI_SERVER", address.c_str(), 1);
  if (opentapi::bench::wait_listening(pid, socket, 1000, 5) != opentapi::bench::Startup::kListening) {
    std::fprintf(stderr, "tapi2_roundtrip: opentapid did not start\n");
    opentapi::bench::kill_server();
    std::exit(1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int> clients = {1, 64};
  int requests = 5000;  // per client with one client; at least 200 per client with more
  std::string server = OPENTAPID_BINARY;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string opt = argv[i];
    if (opt == "--clients") {
      clients.clear();
      for (const char* p = argv[i + 1]; *p;) {
        char* end;
        clients.push_back(static_cast<int>(std::strtol(p, &end, 10)));
        p = *end == ',' ? end + 1 : end;
      }
    } else if (opt == "--requests") {
      requests = std::atoi(argv[i + 1]);
    } else if (opt == "--opentapid") {
      server = argv[i + 1];
    }
  }
  char dir[] = "/tmp/tapi2-bench-XXXXXX";
  if (::mkdtemp(dir) == nullptr) return 1;
  start_server(server, std::string(dir) + "/opentapid.sock");
  {
    Proxy proxy;
    std::printf("%8s %10s %10s %10s %10s %12s\n", "clients", "samples", "p50 us", "p99 us", "max us", "requests/s");
    for (const int n : clients) {
      const int per_client = std::max(200, requests / n);
      const Result r = run(n, per_client);
      std::printf("%8d %10zu %10.1f %10.1f %10.1f %12.0f\n", n, r.micros.size(), percentile(r.micros, 0.50),
                  percentile(r.micros, 0.99), r.micros.empty() ? 0.0 : r.micros.back(),
                  static_cast<double>(n) * (per_client + per_client / 10) / r.seconds);
    }
  }
  opentapi::bench::stop_server();
  std::filesystem::remove_all(dir);
  return 0;
}
