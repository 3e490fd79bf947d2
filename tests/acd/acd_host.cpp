// acd_host: the virtual ACD as a process of its own, for the scenario tests
// that kill it (SIGKILL) or restart it. Connects to OPENTAPI_SERVER (or
// --server), restores from --data-dir (or --store LOCATION: sqlite:DIR or a
// PostgreSQL connection string, store/open_store.h), prints one line
//   READY restore_ms=<n> live_sessions=<n>
// when it serves requests, and stops cleanly on SIGTERM/SIGINT. On failure
// it prints "ERROR <message>" and exits 1.
#include <signal.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "acd/config.h"
#include "acd/virtual_acd.h"
#include "store/open_store.h"

namespace acd = opentapi::acd;
namespace store = opentapi::store;

int main(int argc, char** argv) {
  std::string config_path;
  std::string data_dir;
  std::string store_text;
  std::string server;
  bool simulator = true;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--config" && i + 1 < argc) {
      config_path = argv[++i];
    } else if (a == "--data-dir" && i + 1 < argc) {
      data_dir = argv[++i];
    } else if (a == "--store" && i + 1 < argc) {
      store_text = argv[++i];
    } else if (a == "--server" && i + 1 < argc) {
      server = argv[++i];
    } else if (a == "--no-simulator") {
      simulator = false;
    } else {
      std::printf(
          "ERROR usage: acd_host --config FILE (--data-dir DIR | --store LOCATION) [--server ADDR] "
          "[--no-simulator]\n");
      return 2;
    }
  }
  // Block the stop signals before any thread starts, so sigwait gets them.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  auto config = config_path.empty() ? opentapi::core::Result<acd::AcdConfig>(acd::default_config())
                                    : acd::load_config(config_path);
  if (!config) {
    std::printf("ERROR %s\n", config.status().message().c_str());
    return 1;
  }
  store::StoreLocation location{store::Backend::kSqlite, data_dir};
  if (!store_text.empty()) {
    auto parsed = store::parse_store_location(store_text);
    if (!parsed) {
      std::printf("ERROR %s\n", parsed.status().message().c_str());
      return 1;
    }
    location = *parsed;
  }
  store::SharedStoreSettings settings;
  settings.wait_for_lease = std::chrono::seconds(15);  // a SIGKILLed predecessor's lease
  auto opened = store::open_store(location, settings);
  if (!opened) {
    std::printf("ERROR %s\n", opened.status().message().c_str());
    return 1;
  }
  acd::VirtualAcdOptions acd_options;
  acd_options.server_address = server;
  acd_options.simulator = simulator;
  acd_options.log = [](acd::LogLevel level, std::string_view line) {
    if (level != acd::LogLevel::kDebug) std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
  };
  auto started = acd::VirtualAcd::start(*config, **opened, acd_options);
  if (!started) {
    std::printf("ERROR %s\n", started.status().message().c_str());
    return 1;
  }
  const acd::VirtualAcdStats s = (*started)->stats();
  std::printf("READY restore_ms=%llu live_sessions=%llu\n", static_cast<unsigned long long>(s.restore_ms),
              static_cast<unsigned long long>(s.live_sessions));
  std::fflush(stdout);
  int sig = 0;
  sigwait(&stop, &sig);
  (*started)->stop();
  const acd::VirtualAcdStats a = (*started)->stats();
  const store::StoreStats st = (**opened).stats();
  std::fprintf(stderr,
               "STATS requests=%llu changes=%llu commits=%llu failed_commits=%llu responses=%llu announcements=%llu "
               "store_transactions=%llu store_syncs=%llu largest_group=%llu max_commit_latency_us=%llu\n",
               static_cast<unsigned long long>(a.requests), static_cast<unsigned long long>(a.changes),
               static_cast<unsigned long long>(a.commits), static_cast<unsigned long long>(a.failed_commits),
               static_cast<unsigned long long>(a.responses), static_cast<unsigned long long>(a.announcements),
               static_cast<unsigned long long>(st.transactions), static_cast<unsigned long long>(st.syncs),
               static_cast<unsigned long long>(st.largest_group),
               static_cast<unsigned long long>(st.max_commit_latency_us));
  started->reset();
  opened->reset();
  std::printf("STOPPED\n");
  return 0;
}
