#include "simulate_command.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "acd/config.h"
#include "acd/simulation.h"
#include "cli_failure.h"
#include "text.h"

namespace opentapi::cli {
namespace {

using nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

double rounded(double v, double scale) { return std::round(v * scale) / scale; }
double secs(std::int64_t ms) { return static_cast<double>(ms) / 1000.0; }

std::string utc_text(std::int64_t unix_ms) {
  const auto t = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char b[32];
  std::strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return b;
}

std::string join_ids(const std::vector<core::QueueId>& ids) {
  std::string s;
  for (core::QueueId q : ids) s += (s.empty() ? "" : ", ") + std::to_string(q);
  return s;
}

// --- progress on stderr ------------------------------------------------------------

// A one-line bar redrawn in place, at most ten times a second; only on a
// terminal (a log file or a pipe gets nothing).
class ProgressBar {
 public:
  ProgressBar() : enabled_(::isatty(STDERR_FILENO) == 1) {}
  void show(const acd::SimulationProgress& p, bool force) {
    if (!enabled_) return;
    const auto now = Clock::now();
    if (!force && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    constexpr int kWidth = 30;
    const double done = p.duration_ms > 0 ? static_cast<double>(p.elapsed_ms) / static_cast<double>(p.duration_ms) : 1;
    const int filled = static_cast<int>(done * kWidth);
    std::string bar(static_cast<std::size_t>(std::clamp(filled, 0, kWidth)), '#');
    bar.resize(kWidth, '.');
    std::fprintf(stderr, "\r[%s] %3d%% %s / %s  calls %" PRIu64 " answered %" PRIu64 " abandoned %" PRIu64 "\033[K",
                 bar.c_str(), static_cast<int>(done * 100), elapsed_text(p.elapsed_ms).c_str(),
                 elapsed_text(p.duration_ms).c_str(), p.offered, p.answered, p.abandoned);
    std::fflush(stderr);
    drawn_ = true;
  }
  void clear() {
    if (drawn_) std::fprintf(stderr, "\r\033[K");
    drawn_ = false;
  }

 private:
  bool enabled_;
  bool drawn_ = false;
  Clock::time_point last_{};
};

// --- the report ----------------------------------------------------------------------

struct Settings {
  std::string source;
  std::size_t agents = 0;
  std::vector<core::QueueId> queues;
  const acd::SimulatorConfig* simulator = nullptr;
};

ordered_json call_figures_json(const acd::CallFigures& f) {
  ordered_json j;
  j["offered"] = f.offered;
  j["answered"] = f.answered;
  j["abandoned"] = f.abandoned;
  j["in_progress"] = f.in_progress;
  j["answered_within_target"] = f.answered_within_target;
  if (auto sl = f.service_level())
    j["service_level"] = rounded(*sl, 1e4);
  else
    j["service_level"] = nullptr;
  j["abandon_rate"] = rounded(f.abandon_rate(), 1e4);
  j["asa_s"] = rounded(f.average_speed_of_answer_s(), 1e3);
  j["longest_answer_s"] = secs(f.longest_answer_wait_ms);
  j["average_talk_s"] = rounded(f.average_talk_s(), 1e3);
  j["average_wrap_up_s"] = rounded(f.average_wrap_up_s(), 1e3);
  j["aht_s"] = rounded(f.average_handle_s(), 1e3);
  j["flowed_out"] = f.flowed_out;
  j["flowed_in"] = f.flowed_in;
  return j;
}

void print_json(const acd::SimulationReport& r, const Settings& s) {
  ordered_json j;
  j["start"] = utc_text(r.start_unix_ms);
  j["simulated_s"] = secs(r.simulated_ms);
  j["stopped_early"] = r.stopped_early;
  ordered_json settings;
  settings["config"] = s.source;
  settings["agents"] = s.agents;
  settings["queues"] = s.queues;
  settings["calls_per_hour"] = r.calls_per_hour;
  settings["handle_s"] = s.simulator->handle_seconds;
  settings["patience_s"] = s.simulator->patience_seconds;
  settings["answer_s"] = s.simulator->answer_seconds;
  settings["wrap_up_s"] = r.wrap_up_seconds;
  settings["seed"] = r.seed;
  if (r.service_level_seconds)
    settings["service_level_target_s"] = *r.service_level_seconds;
  else
    settings["service_level_target_s"] = nullptr;  // per queue
  j["settings"] = settings;
  ordered_json total = call_figures_json(r.total);
  if (auto occ = r.occupancy())
    total["occupancy"] = rounded(*occ, 1e4);
  else
    total["occupancy"] = nullptr;
  j["total"] = total;
  j["queues"] = ordered_json::array();
  for (const acd::QueueFigures& q : r.queues) {
    ordered_json e;
    e["id"] = q.id;
    e["name"] = q.name;
    e["group"] = q.group;
    e["service_level_target_s"] = q.service_level_seconds;
    e.update(call_figures_json(q.calls));
    j["queues"].push_back(e);
  }
  j["agents"] = ordered_json::array();
  for (const acd::AgentFigures& a : r.agents) {
    ordered_json e;
    e["id"] = a.id;
    e["name"] = a.name;
    e["calls"] = a.calls;
    e["talk_s"] = secs(a.talk_ms);
    e["wrap_up_s"] = secs(a.wrap_up_ms);
    e["busy_s"] = secs(a.busy_ms);
    e["logged_in_s"] = secs(a.logged_in_ms);
    if (auto occ = a.occupancy())
      e["occupancy"] = rounded(*occ, 1e4);
    else
      e["occupancy"] = nullptr;
    j["agents"].push_back(e);
  }
  std::printf("%s\n", j.dump(-1, ' ', false, ordered_json::error_handler_t::replace).c_str());
}

// RFC 4180: quoted when it holds a comma, a quote or a line break.
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string o = "\"";
  for (char c : s) o += c == '"' ? std::string("\"\"") : std::string(1, c);
  return o + "\"";
}

std::string csv_number(double v, int decimals) {
  char b[48];
  std::snprintf(b, sizeof b, "%.*f", decimals, v);
  return b;
}

// One table for everything: `scope` says what a row is (total, queue,
// agent); cells that do not apply to a row are empty.
void print_csv(const acd::SimulationReport& r) {
  std::printf(
      "scope,id,name,group,offered,answered,abandoned,in_progress,answered_within_target,"
      "service_level_target_s,service_level,"
      "asa_s,average_talk_s,average_wrap_up_s,aht_s,flowed_out,flowed_in,calls,talk_s,wrap_up_s,busy_s,"
      "logged_in_s,occupancy\n");
  const auto calls = [](const acd::CallFigures& f, std::optional<std::uint32_t> target) {
    const auto sl = f.service_level();
    return std::to_string(f.offered) + "," + std::to_string(f.answered) + "," + std::to_string(f.abandoned) + "," +
           std::to_string(f.in_progress) + "," + std::to_string(f.answered_within_target) + "," +
           (target ? std::to_string(*target) : "") + "," + (sl ? csv_number(*sl, 4) : "") + "," +
           csv_number(f.average_speed_of_answer_s(), 3) + "," + csv_number(f.average_talk_s(), 3) + "," +
           csv_number(f.average_wrap_up_s(), 3) + "," + csv_number(f.average_handle_s(), 3) + "," +
           std::to_string(f.flowed_out) + "," + std::to_string(f.flowed_in);
  };
  const auto occ = r.occupancy();
  std::printf("total,,,,%s,,,,,,%s\n", calls(r.total, r.service_level_seconds).c_str(),
              occ ? csv_number(*occ, 4).c_str() : "");
  for (const acd::QueueFigures& q : r.queues) {
    std::printf("queue,%u,%s,%s,%s,,,,,,\n", q.id, csv_field(q.name).c_str(), csv_field(q.group).c_str(),
                calls(q.calls, q.service_level_seconds).c_str());
  }
  for (const acd::AgentFigures& a : r.agents) {
    const auto o = a.occupancy();
    std::printf("agent,%s,%s,,,,,,,,,,,,,,,%" PRIu64 ",%s,%s,%s,%s,%s\n", csv_field(a.id).c_str(),
                csv_field(a.name).c_str(), a.calls, csv_number(secs(a.talk_ms), 3).c_str(),
                csv_number(secs(a.wrap_up_ms), 3).c_str(), csv_number(secs(a.busy_ms), 3).c_str(),
                csv_number(secs(a.logged_in_ms), 3).c_str(), o ? csv_number(*o, 4).c_str() : "");
  }
}

std::string level_text(const std::optional<double>& v) { return v ? percent_text(*v) : "-"; }

void print_table(const acd::SimulationReport& r, const Settings& s) {
  const acd::CallFigures& t = r.total;
  std::printf("Simulated %s from %s%s: %s, %zu agent%s, %s calls/hour per queue on queue%s %s, seed %" PRIu64 "\n\n",
              elapsed_text(r.simulated_ms).c_str(), utc_text(r.start_unix_ms).c_str(),
              r.stopped_early ? " (stopped early)" : "", s.source.c_str(), s.agents, s.agents == 1 ? "" : "s",
              csv_number(r.calls_per_hour, r.calls_per_hour == std::floor(r.calls_per_hour) ? 0 : 1).c_str(),
              s.queues.size() == 1 ? "" : "s", join_ids(s.queues).c_str(), r.seed);
  const auto share = [&t](std::uint64_t n) {
    return t.offered == 0 ? std::string() : percent_text(static_cast<double>(n) / static_cast<double>(t.offered));
  };
  std::printf("%-26s %8" PRIu64 "\n", "Calls offered", t.offered);
  std::printf("%-26s %8" PRIu64 "  %s\n", "  answered", t.answered, share(t.answered).c_str());
  std::printf("%-26s %8" PRIu64 "  %s\n", "  abandoned", t.abandoned, share(t.abandoned).c_str());
  std::printf("%-26s %8" PRIu64 "\n", "  waiting or ringing at end", t.in_progress);
  const std::string target = r.service_level_seconds ? std::to_string(*r.service_level_seconds) + " s"
                                                     : std::string("the queue's target (SL-TARGET)");
  std::printf("%-26s %8s  answered within %s / (answered + abandoned)\n", "Service level",
              level_text(t.service_level()).c_str(), target.c_str());
  std::printf("%-26s %8s  longest %s s\n", "Average speed of answer",
              (seconds_text(t.average_speed_of_answer_s()) + " s").c_str(),
              seconds_text(secs(t.longest_answer_wait_ms)).c_str());
  std::printf("%-26s %8s  talk %s s + wrap-up %s s\n", "Average handle time",
              (seconds_text(t.average_handle_s()) + " s").c_str(), seconds_text(t.average_talk_s()).c_str(),
              seconds_text(t.average_wrap_up_s()).c_str());
  std::printf("%-26s %8s  busy / logged-in time\n", "Occupancy", level_text(r.occupancy()).c_str());

  std::printf("\n%5s %-16s %-10s %7s %8s %9s %6s %9s %6s %6s %6s %8s %7s\n", "QUEUE", "NAME", "GROUP", "OFFERED",
              "ANSWERED", "ABANDONED", "AT-END", "SL-TARGET", "SL", "ASA", "AHT", "FLOWOUT", "FLOWIN");
  for (const acd::QueueFigures& q : r.queues) {
    const acd::CallFigures& f = q.calls;
    std::printf("%5u %-16s %-10s %7" PRIu64 " %8" PRIu64 " %9" PRIu64 " %6" PRIu64 " %8us %6s %6s %6s %8" PRIu64
                " %7" PRIu64 "\n",
                q.id, q.name.c_str(), q.group.c_str(), f.offered, f.answered, f.abandoned, f.in_progress,
                q.service_level_seconds, level_text(f.service_level()).c_str(),
                seconds_text(f.average_speed_of_answer_s()).c_str(), seconds_text(f.average_handle_s()).c_str(),
                f.flowed_out, f.flowed_in);
  }

  std::printf("\n%-10s %-20s %6s %9s %9s %9s %9s\n", "AGENT", "NAME", "CALLS", "TALK", "WRAPUP", "BUSY", "OCCUPANCY");
  if (r.agents.empty()) std::printf("(no agents: nobody answers)\n");
  for (const acd::AgentFigures& a : r.agents) {
    std::printf("%-10s %-20s %6" PRIu64 " %9s %9s %9s %9s\n", a.id.c_str(), a.name.c_str(), a.calls,
                clock_text(static_cast<std::uint64_t>(a.talk_ms / 1000)).c_str(),
                clock_text(static_cast<std::uint64_t>(a.wrap_up_ms / 1000)).c_str(),
                clock_text(static_cast<std::uint64_t>(a.busy_ms / 1000)).c_str(), level_text(a.occupancy()).c_str());
  }
}

}  // namespace

std::optional<std::int64_t> parse_duration_ms(const std::string& text) {
  if (text.empty()) return std::nullopt;
  double total_s = 0;
  std::size_t i = 0;
  bool any_unit = false;
  while (i < text.size()) {
    const std::size_t begin = i;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
    if (i == begin) return std::nullopt;
    const std::string number = text.substr(begin, i - begin);
    if (number.find('.') != number.rfind('.') || number == ".") return std::nullopt;
    const double value = std::stod(number);
    double unit = 1;
    if (i < text.size()) {
      switch (text[i]) {
        case 's':
          unit = 1;
          break;
        case 'm':
          unit = 60;
          break;
        case 'h':
          unit = 3600;
          break;
        case 'd':
          unit = 86400;
          break;
        default:
          return std::nullopt;
      }
      ++i;
      any_unit = true;
    } else if (any_unit) {
      return std::nullopt;  // "1h30": say what the 30 is
    }
    total_s += value * unit;
  }
  const double ms = std::round(total_s * 1000.0);
  if (!(ms >= 1.0) || ms > 366.0 * 86400.0 * 1000.0) return std::nullopt;
  return static_cast<std::int64_t>(ms);
}

int cmd_simulate(const SimulateOptions& o, const std::function<bool()>& interrupted) {
  acd::SimulationSpec spec;
  if (o.config_file.empty()) {
    spec.config = acd::default_config();
  } else {
    auto loaded = acd::load_config(o.config_file);
    if (!loaded) throw Failure(kExitUsage, 0, "--config: " + loaded.status().message());
    spec.config = std::move(*loaded);
  }
  const auto duration = parse_duration_ms(o.duration);
  if (!duration) throw Failure(kExitUsage, 0, "--duration: not a duration: \"" + o.duration + "\"");
  spec.duration_ms = *duration;
  spec.agents = o.agents;
  spec.service_level_seconds = o.service_level_seconds;
  acd::SimulatorConfig& sim = spec.config.simulator;
  if (o.calls_per_hour) sim.calls_per_hour = *o.calls_per_hour;
  if (o.handle_seconds) sim.handle_seconds = *o.handle_seconds;
  if (o.patience_seconds) sim.patience_seconds = *o.patience_seconds;
  if (o.answer_seconds) sim.answer_seconds = *o.answer_seconds;
  if (o.seed) sim.seed = *o.seed;
  if (o.wrap_up_seconds) spec.config.wrap_up_seconds = *o.wrap_up_seconds;

  auto effective = acd::simulation_config(spec);
  if (!effective) throw Failure(kExitUsage, 0, effective.status().message());
  Settings settings;
  settings.source = spec.config.source.empty() ? "built-in default" : spec.config.source;
  settings.agents = effective->simulator.agents.size();
  settings.queues = effective->simulator.queues;
  if (settings.queues.empty())
    for (const acd::QueueConfig& q : effective->queues) settings.queues.push_back(q.id);
  settings.simulator = &effective->simulator;

  // Paced runs report progress every simulated second so the bar and the
  // pacing stay smooth; a full-speed run needs it far less often.
  spec.progress_interval_ms = o.speed ? 1000 : 60'000;
  ProgressBar bar;
  const auto wall_start = Clock::now();
  bool stopped = false;
  auto report = acd::run_simulation(spec, [&](const acd::SimulationProgress& p) {
    if (o.speed) {
      const auto due = wall_start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
                                        static_cast<double>(p.elapsed_ms) / 1000.0 / *o.speed));
      // In short slices, so Ctrl-C is noticed at once.
      while (!interrupted() && Clock::now() < due) {
        std::this_thread::sleep_for(std::min<Clock::duration>(due - Clock::now(), std::chrono::milliseconds(100)));
        bar.show(p, false);
      }
    }
    bar.show(p, false);
    if (interrupted()) stopped = true;
    return !stopped;
  });
  bar.clear();
  if (!report) throw Failure(kExitUsage, 0, report.status().message());

  switch (o.format) {
    case SimulateOptions::Format::kJson:
      print_json(*report, settings);
      break;
    case SimulateOptions::Format::kCsv:
      print_csv(*report);
      break;
    case SimulateOptions::Format::kTable:
      print_table(*report, settings);
      break;
  }
  std::fflush(stdout);
  if (report->stopped_early) {
    std::fprintf(stderr, "opentapi: simulation interrupted after %s of simulated time\n",
                 elapsed_text(report->simulated_ms).c_str());
    return kExitInterrupted;
  }
  return kExitOk;
}

}  // namespace opentapi::cli
