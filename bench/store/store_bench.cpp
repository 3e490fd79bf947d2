// store_bench: durable commits per second of the store (SQLite, or
// PostgreSQL with --store), with N concurrent committers each waiting for its
// own acknowledgement (as ACD request handlers do), and the group sizes that
// group commit achieved.
//
//   store_bench [--threads N] [--seconds S] [--dir DIR] [--durability full|process]
//               [--delay-us U] [--store LOCATION] [--gather-wait-us U]
//
// --store postgresql://… (or postgresql:KEY=VALUE…): the PostgreSQL store, on
// call center "store_bench" (its records and event log are left behind).
// --gather-wait-us: its PostgresOptions::max_gather_wait (0 = off), to compare.
//
// Each commit = one session record (200 bytes) + one audit entry. Run it on
// the disk the server will use; a release build gives meaningful figures.
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "store/open_store.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"

namespace {

using opentapi::store::AuditEntry;
using opentapi::store::Batch;
using opentapi::store::Durability;
using opentapi::store::SqliteOptions;

struct Args {
  int threads = 1;
  double seconds = 2.0;
  std::string dir;
  Durability durability = Durability::kPowerLoss;
  long delay_us = 0;
  std::string store;
  long gather_wait_us = -1;  // PostgreSQL: PostgresOptions::max_gather_wait; -1 = its default
};

bool parse(int argc, char** argv, Args& a) {
  for (int i = 1; i < argc; ++i) {
    std::string k = argv[i];
    if (i + 1 >= argc) return false;
    std::string v = argv[++i];
    if (k == "--threads") {
      a.threads = std::max(1, std::atoi(v.c_str()));
    } else if (k == "--seconds") {
      a.seconds = std::atof(v.c_str());
    } else if (k == "--dir") {
      a.dir = v;
    } else if (k == "--durability") {
      if (v != "full" && v != "process") return false;
      a.durability = v == "full" ? Durability::kPowerLoss : Durability::kProcessCrash;
    } else if (k == "--delay-us") {
      a.delay_us = std::atol(v.c_str());
    } else if (k == "--store") {
      a.store = v;
    } else if (k == "--gather-wait-us") {
      a.gather_wait_us = std::max(0L, std::atol(v.c_str()));
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  if (!parse(argc, argv, args)) {
    std::fprintf(stderr,
                 "usage: store_bench [--threads N] [--seconds S] [--dir DIR] "
                 "[--durability full|process] [--delay-us U] [--store LOCATION] [--gather-wait-us U]\n");
    return 2;
  }
  bool remove_dir = false;
  opentapi::store::Result<std::unique_ptr<opentapi::store::Store>> opened = opentapi::store::Status();
  if (!args.store.empty()) {
    auto location = opentapi::store::parse_store_location(args.store);
    if (!location.ok() || location->backend != opentapi::store::Backend::kPostgres) {
      std::fprintf(stderr, "--store: a PostgreSQL location (postgresql://…) expected\n");
      return 2;
    }
    opentapi::store::PostgresOptions options;
    options.conninfo = location->target;
    options.call_center = "store_bench";
    options.wait_for_lease = std::chrono::seconds(15);
    if (args.gather_wait_us >= 0) options.max_gather_wait = std::chrono::microseconds(args.gather_wait_us);
    opened = opentapi::store::open_postgres_store(options);
  } else if (args.dir.empty()) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "store-bench-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) {
      std::perror("mkdtemp");
      return 1;
    }
    args.dir = tmpl;
    remove_dir = true;
  }

  if (args.store.empty()) {
    SqliteOptions options;
    options.data_dir = args.dir;
    options.durability = args.durability;
    options.max_group_delay = std::chrono::microseconds(args.delay_us);
    opened = opentapi::store::open_sqlite_store(options);
  }
  if (!opened.ok()) {
    std::fprintf(stderr, "open: %s\n", opened.status().to_string().c_str());
    return 1;
  }
  auto& store = *opened;

  std::atomic<bool> stop{false};
  std::vector<std::vector<std::uint32_t>> latencies(static_cast<std::size_t>(args.threads));
  std::vector<std::thread> threads;
  const auto start = std::chrono::steady_clock::now();
  for (int t = 0; t < args.threads; ++t) {
    threads.emplace_back([&, t] {
      auto& lat = latencies[static_cast<std::size_t>(t)];
      for (std::uint32_t i = 0; !stop.load(std::memory_order_relaxed); ++i) {
        const std::string key = std::to_string(t) + "/" + std::to_string(i);
        Batch b;
        b.puts.push_back({"session", key, std::string(200, 's')});
        AuditEntry a;
        a.actor = "bench";
        a.object_kind = "session";
        a.object_key = key;
        a.from = 1;
        a.to = 2;
        a.what = "SetAgentSessionState";
        a.request_id = i;
        b.audit.push_back(std::move(a));
        const auto t0 = std::chrono::steady_clock::now();
        opentapi::store::Status s = store->commit_and_wait(std::move(b));
        const auto us =
            std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0).count();
        if (!s.ok()) {
          std::fprintf(stderr, "commit: %s\n", s.to_string().c_str());
          std::exit(1);
        }
        lat.push_back(static_cast<std::uint32_t>(us));
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(args.seconds));
  stop = true;
  for (auto& th : threads) th.join();
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::vector<std::uint32_t> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) {
    return all.empty() ? 0u
                       : all[std::min(all.size() - 1, static_cast<std::size_t>(p * static_cast<double>(all.size())))];
  };
  const auto stats = store->stats();
  std::printf(
      "store=%s threads=%d durability=%s commits=%llu seconds=%.2f commits/s=%.0f transactions=%llu "
      "avg_group=%.1f largest_group=%llu syncs=%llu latency_us p50=%u p99=%u max=%u\n",
      args.store.empty() ? "sqlite" : "postgresql", args.threads,
      args.durability == Durability::kPowerLoss ? "full" : "process", static_cast<unsigned long long>(stats.commits),
      elapsed, static_cast<double>(stats.commits) / elapsed, static_cast<unsigned long long>(stats.transactions),
      stats.transactions ? static_cast<double>(stats.commits) / static_cast<double>(stats.transactions) : 0.0,
      static_cast<unsigned long long>(stats.largest_group), static_cast<unsigned long long>(stats.syncs), pct(0.50),
      pct(0.99), all.empty() ? 0u : all.back());
  store.reset();
  if (remove_dir && !args.dir.empty()) std::filesystem::remove_all(args.dir);
  return 0;
}
