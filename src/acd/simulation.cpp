#include "acd/simulation.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>
#include <utility>

#include "acd/call_center.h"
#include "acd/traffic_simulator.h"
#include "tapi.h"

namespace opentapi::acd {
namespace {

using core::ErrorCode;
using core::TimePoint;

Status invalid(std::string message) { return Status::error(ErrorCode::kInvalParam, std::move(message)); }

double ratio(std::int64_t numerator_ms, std::uint64_t count) {
  return count == 0 ? 0.0 : static_cast<double>(numerator_ms) / 1000.0 / static_cast<double>(count);
}

bool busy(std::uint32_t session_state) {
  return session_state == LINEAGENTSESSIONSTATE_BUSYONCALL || session_state == LINEAGENTSESSIONSTATE_BUSYWRAPUP;
}

// Everything measured during a run. Fed by the call source's events
// (RecordingSink, ObservedTraffic) and by the model's announcements
// (absorb_effects).
class Measurements {
 public:
  Measurements(const AcdConfig& config, std::optional<std::uint32_t> target_seconds) {
    for (const QueueConfig& q : config.queues) {
      queues_.emplace(q.id, CallFigures{});
      targets_ms_[q.id] = std::int64_t{target_seconds.value_or(q.service_level_seconds)} * 1000;
    }
    for (const std::string& id : config.simulator.agents) {
      const AgentConfig* a = config.find_agent(id);
      agent_index_.emplace(id, agents_.size());
      AgentTrack track;
      track.figures.id = id;
      if (a != nullptr) track.figures.name = a->name;
      agents_.push_back(std::move(track));
    }
  }

  // --- calls (the call source's view) -----------------------------------------
  // Returns whether the call is new to the measurements (tracked from now on).
  bool call_arriving(CallId call, core::QueueId queue, TimePoint now) {
    return calls_.try_emplace(call, CallTrack{queue, now, 0, std::nullopt}).second;
  }
  void call_not_accepted(CallId call) { calls_.erase(call); }
  void call_queued(CallId call) {
    auto it = calls_.find(call);
    if (it == calls_.end()) return;
    ++figures(it->second.queue).offered;
    ++offered_;
  }
  void call_delivered(CallId call, core::SessionHandle session) {
    auto it = calls_.find(call);
    if (it != calls_.end()) it->second.session = session;
  }
  void call_answered(CallId call, TimePoint now) {
    auto it = calls_.find(call);
    if (it == calls_.end()) return;
    CallTrack& c = it->second;
    c.answered_at = now;
    CallFigures& f = figures(c.queue);
    const std::int64_t wait = core::elapsed_ms(c.arrived_at, now);
    ++f.answered;
    ++answered_;
    f.answer_wait_ms += wait;
    f.longest_answer_wait_ms = std::max(f.longest_answer_wait_ms, wait);
    if (wait <= target_ms(c.queue)) ++f.answered_within_target;
    if (AgentTrack* a = agent_of_session(c.session)) ++a->figures.calls;
  }
  void call_ended(CallId call, TimePoint now) {
    auto it = calls_.find(call);
    if (it == calls_.end()) return;
    const CallTrack c = it->second;
    calls_.erase(it);
    CallFigures& f = figures(c.queue);
    if (!c.answered_at) {
      // Over without an answer: for the caller that is an abandoned call.
      ++f.abandoned;
      ++abandoned_;
      return;
    }
    const std::int64_t talk = core::elapsed_ms(*c.answered_at, now);
    ++f.completed;
    f.completed_talk_ms += talk;
    if (AgentTrack* a = agent_of_session(c.session)) a->figures.talk_ms += talk;
    // The wrap-up that follows belongs to this call's queue.
    if (auto s = sessions_.find(c.session); s != sessions_.end()) s->second.last_call_queue = c.queue;
  }
  void call_abandoned(CallId call) {
    auto it = calls_.find(call);
    if (it == calls_.end()) return;
    ++figures(it->second.queue).abandoned;
    ++abandoned_;
    calls_.erase(it);
  }

  // --- sessions (the model's announcements) ---------------------------------------
  void session_created(core::SessionHandle session, const CallCenter& cc, TimePoint now) {
    std::optional<std::size_t> agent;
    if (const core::AgentSession* s = cc.session(session)) {
      if (const core::Agent* a = cc.agent(s->agent())) {
        if (auto it = agent_index_.find(a->id()); it != agent_index_.end()) agent = it->second;
      }
    }
    sessions_[session] = SessionTrack{agent, LINEAGENTSESSIONSTATE_NOTREADY, now, 0};
    if (agent) {
      AgentTrack& a = agents_[*agent];
      if (a.current_sessions++ == 0) a.logged_in_since = now;
    }
  }
  void session_state(core::SessionHandle session, std::uint32_t state, TimePoint now) {
    auto it = sessions_.find(session);
    if (it == sessions_.end()) return;
    SessionTrack& s = it->second;
    close_interval(s, now, /*completed=*/true);
    const bool was_current = s.state != LINEAGENTSESSIONSTATE_ENDED && s.state != LINEAGENTSESSIONSTATE_RELEASED;
    const bool is_current = state != LINEAGENTSESSIONSTATE_ENDED && state != LINEAGENTSESSIONSTATE_RELEASED;
    if (s.agent && was_current && !is_current) {
      AgentTrack& a = agents_[*s.agent];
      if (--a.current_sessions == 0) a.figures.logged_in_ms += core::elapsed_ms(a.logged_in_since, now);
    }
    s.state = state;
    s.since = now;
  }

  SimulationProgress progress(std::int64_t elapsed_ms, std::int64_t duration_ms) const {
    return SimulationProgress{elapsed_ms, duration_ms, offered_, answered_, abandoned_};
  }

  // Closes what is still open at `end` and fills the report's figures.
  void finish(const AcdConfig& config, const CallCenter& cc, TimePoint end, SimulationReport& report) {
    for (auto& [handle, s] : sessions_) close_interval(s, end, /*completed=*/false);
    for (AgentTrack& a : agents_) {
      if (a.current_sessions > 0) a.figures.logged_in_ms += core::elapsed_ms(a.logged_in_since, end);
    }
    for (const auto& [call, c] : calls_) {
      if (!c.answered_at) {
        ++figures(c.queue).in_progress;
      } else if (AgentTrack* a = agent_of_session(c.session)) {
        a->figures.talk_ms += core::elapsed_ms(*c.answered_at, end);
      }
    }
    for (const QueueConfig& q : config.queues) {
      CallFigures f = figures(q.id);
      if (auto info = cc.queue_info(q.id, end)) {
        f.flowed_in = info->total_calls_flowed_in;
        f.flowed_out = info->total_calls_flowed_out;
      }
      add(report.total, f);
      const auto target_s = static_cast<std::uint32_t>(target_ms(q.id) / 1000);
      report.queues.push_back(QueueFigures{q.id, q.name, q.group, target_s, f});
      if (report.queues.size() == 1) {
        report.service_level_seconds = target_s;
      } else if (report.service_level_seconds != target_s) {
        report.service_level_seconds.reset();
      }
    }
    for (const AgentTrack& a : agents_) report.agents.push_back(a.figures);
  }

 private:
  struct CallTrack {
    core::QueueId queue = 0;  // the queue the caller dialled
    TimePoint arrived_at;
    core::SessionHandle session = 0;
    std::optional<TimePoint> answered_at;
  };
  struct SessionTrack {
    std::optional<std::size_t> agent;  // index into agents_; none for an agent not simulated
    std::uint32_t state = LINEAGENTSESSIONSTATE_NOTREADY;
    TimePoint since;
    core::QueueId last_call_queue = 0;
  };
  struct AgentTrack {
    AgentFigures figures;
    std::uint32_t current_sessions = 0;
    TimePoint logged_in_since;
  };

  CallFigures& figures(core::QueueId queue) { return queues_[queue]; }
  std::int64_t target_ms(core::QueueId queue) const {
    auto it = targets_ms_.find(queue);
    return it == targets_ms_.end() ? 0 : it->second;
  }

  AgentTrack* agent_of_session(core::SessionHandle session) {
    auto it = sessions_.find(session);
    if (it == sessions_.end() || !it->second.agent) return nullptr;
    return &agents_[*it->second.agent];
  }

  // The session's time in its current state up to `now`: busy and wrap-up
  // for its agent, and a wrap-up that ends here for the queue of the call
  // before it (`completed` false: the run ended, the wrap-up did not).
  void close_interval(SessionTrack& s, TimePoint now, bool completed) {
    const std::int64_t ms = core::elapsed_ms(s.since, now);
    s.since = now;
    if (s.agent && busy(s.state)) agents_[*s.agent].figures.busy_ms += ms;
    if (s.state != LINEAGENTSESSIONSTATE_BUSYWRAPUP) return;
    if (s.agent) agents_[*s.agent].figures.wrap_up_ms += ms;
    if (completed && s.last_call_queue != 0) {
      CallFigures& f = figures(s.last_call_queue);
      ++f.wrap_ups;
      f.completed_wrap_up_ms += ms;
    }
  }

  static void add(CallFigures& to, const CallFigures& f) {
    to.offered += f.offered;
    to.answered += f.answered;
    to.abandoned += f.abandoned;
    to.in_progress += f.in_progress;
    to.answered_within_target += f.answered_within_target;
    to.completed += f.completed;
    to.flowed_out += f.flowed_out;
    to.flowed_in += f.flowed_in;
    to.answer_wait_ms += f.answer_wait_ms;
    to.longest_answer_wait_ms = std::max(to.longest_answer_wait_ms, f.longest_answer_wait_ms);
    to.completed_talk_ms += f.completed_talk_ms;
    to.wrap_ups += f.wrap_ups;
    to.completed_wrap_up_ms += f.completed_wrap_up_ms;
  }

  std::map<core::QueueId, std::int64_t> targets_ms_;
  std::map<core::QueueId, CallFigures> queues_;
  std::unordered_map<CallId, CallTrack> calls_;
  std::unordered_map<core::SessionHandle, SessionTrack> sessions_;
  std::vector<AgentTrack> agents_;
  std::unordered_map<std::string, std::size_t> agent_index_;
  std::uint64_t offered_ = 0;
  std::uint64_t answered_ = 0;
  std::uint64_t abandoned_ = 0;
};

// Passes the simulator's events on to the call center and records those the
// call center accepted.
class RecordingSink final : public CallSink {
 public:
  RecordingSink(CallSink& inner, Measurements& m) : inner_(inner), m_(m) {}

  Status on_call_queued(CallId call, core::QueueId queue, TimePoint now) override {
    // Tracked before the call center sees it: it may deliver the call at once.
    const bool fresh = m_.call_arriving(call, queue, now);
    Status s = inner_.on_call_queued(call, queue, now);
    if (s.ok()) {
      m_.call_queued(call);
    } else if (fresh) {
      m_.call_not_accepted(call);
    }
    return s;
  }
  Status on_call_answered(CallId call, TimePoint now) override {
    Status s = inner_.on_call_answered(call, now);
    if (s.ok()) m_.call_answered(call, now);
    return s;
  }
  Status on_call_ended(CallId call, TimePoint now) override {
    Status s = inner_.on_call_ended(call, now);
    if (s.ok()) m_.call_ended(call, now);
    return s;
  }
  Status on_call_abandoned(CallId call, TimePoint now) override {
    Status s = inner_.on_call_abandoned(call, now);
    if (s.ok()) m_.call_abandoned(call);
    return s;
  }
  CallId new_call_id(CallOrigin origin) override { return inner_.new_call_id(origin); }

 private:
  CallSink& inner_;
  Measurements& m_;
};

// The TrafficSimulator as the call center's call source, with its events
// recorded on the way.
class ObservedTraffic final : public CallSource {
 public:
  ObservedTraffic(const SimulatorConfig& config, std::vector<core::QueueId> queues, TimePoint start, Measurements& m)
      : traffic_(config, std::move(queues), start), m_(m) {}

  std::optional<TimePoint> next_event() const override { return traffic_.next_event(); }
  void fire_next(CallSink& sink) override {
    RecordingSink recording(sink, m_);
    traffic_.fire_next(recording);
  }
  void call_delivered(CallId call, core::SessionHandle session, TimePoint now) override {
    m_.call_delivered(call, session);
    traffic_.call_delivered(call, session, now);
  }
  void adopt(CallId call, CallPhase phase, TimePoint now) override { traffic_.adopt(call, phase, now); }

 private:
  TrafficSimulator traffic_;
  Measurements& m_;
};

// Takes the model's effects (nothing is stored: the batch is dropped) and
// feeds its session announcements to the measurements. With wrap_up_seconds
// 0 a session stays in wrap-up until its agent asks; a simulated agent asks
// at once.
void absorb_effects(CallCenter& cc, Measurements& m, TimePoint now) {
  for (;;) {
    const Effects fx = cc.take_effects();
    std::vector<core::SessionHandle> wrapped_up;
    for (const Announcement& a : fx.announcements) {
      if (a.msg != LINE_AGENTSESSIONSTATUS) continue;
      if ((a.param2 & LINEAGENTSESSIONSTATUS_NEWSESSION) != 0) m.session_created(a.param1, cc, now);
      if ((a.param2 & LINEAGENTSESSIONSTATUS_STATE) != 0) {
        m.session_state(a.param1, a.param3, now);
        if (a.param3 == LINEAGENTSESSIONSTATE_BUSYWRAPUP && cc.config().wrap_up_seconds == 0) {
          wrapped_up.push_back(a.param1);
        }
      }
    }
    if (wrapped_up.empty()) return;
    const Actor agent = Actor::system_actor("simulator");
    for (core::SessionHandle h : wrapped_up) {
      (void)cc.set_session_state(agent, h, LINEAGENTSESSIONSTATE_READY, 0, now);
    }
  }
}

std::vector<core::QueueId> traffic_queues(const AcdConfig& config) {
  if (!config.simulator.queues.empty()) return config.simulator.queues;
  std::vector<core::QueueId> all;
  for (const QueueConfig& q : config.queues) all.push_back(q.id);
  return all;
}

Status check_range(const char* name, double value, double high) {
  if (!std::isfinite(value) || value < 0 || value > high) {
    return invalid(std::string(name) + " must be between 0 and " + std::to_string(static_cast<long long>(high)));
  }
  return Status();
}

}  // namespace

std::optional<double> CallFigures::service_level() const {
  const std::uint64_t base = answered + abandoned;
  if (base == 0) return std::nullopt;
  return static_cast<double>(answered_within_target) / static_cast<double>(base);
}
double CallFigures::average_speed_of_answer_s() const { return ratio(answer_wait_ms, answered); }
double CallFigures::average_talk_s() const { return ratio(completed_talk_ms, completed); }
double CallFigures::average_wrap_up_s() const { return ratio(completed_wrap_up_ms, wrap_ups); }
double CallFigures::abandon_rate() const {
  return offered == 0 ? 0.0 : static_cast<double>(abandoned) / static_cast<double>(offered);
}

std::optional<double> AgentFigures::occupancy() const {
  if (logged_in_ms <= 0) return std::nullopt;
  return std::min(1.0, static_cast<double>(busy_ms) / static_cast<double>(logged_in_ms));
}

std::optional<double> SimulationReport::occupancy() const {
  std::int64_t busy_ms = 0;
  std::int64_t logged_in_ms = 0;
  for (const AgentFigures& a : agents) {
    busy_ms += a.busy_ms;
    logged_in_ms += a.logged_in_ms;
  }
  if (logged_in_ms <= 0) return std::nullopt;
  return std::min(1.0, static_cast<double>(busy_ms) / static_cast<double>(logged_in_ms));
}

std::int64_t SimulationReport::total_talk_ms() const {
  std::int64_t ms = 0;
  for (const AgentFigures& a : agents) ms += a.talk_ms;
  return ms;
}

Result<AcdConfig> simulation_config(const SimulationSpec& spec) {
  if (spec.duration_ms <= 0) return invalid("the duration must be positive");
  if (spec.progress_interval_ms <= 0) return invalid("the progress interval must be positive");
  AcdConfig config = spec.config;
  SimulatorConfig& sim = config.simulator;
  sim.enabled = true;
  if (Status s = check_range("calls per hour", sim.calls_per_hour, 1e6); !s.ok()) return s;
  if (Status s = check_range("handle seconds", sim.handle_seconds, 86'400); !s.ok()) return s;
  if (Status s = check_range("patience seconds", sim.patience_seconds, 86'400); !s.ok()) return s;
  if (Status s = check_range("answer seconds", sim.answer_seconds, 3'600); !s.ok()) return s;
  if (config.wrap_up_seconds > 86'400) return invalid("wrap-up seconds must be between 0 and 86400");
  if (config.groups.empty() || config.queues.empty()) {
    return invalid("the configuration has no queue for the simulated calls");
  }
  for (core::QueueId q : sim.queues) {
    if (config.find_queue(q) == nullptr) return invalid("[simulator] queues: no queue " + std::to_string(q));
  }
  if (spec.agents) {
    sim.agents.clear();
    std::uint32_t number = 0;
    while (sim.agents.size() < *spec.agents) {
      const std::string id = "sim" + std::to_string(++number);
      if (config.find_agent(id) != nullptr) continue;
      config.agents.push_back(AgentConfig{id, "", "Simulated agent " + std::to_string(number), ""});
      sim.agents.push_back(id);
    }
  }
  // The queues' own counters (flowed in/out) must cover the whole run: a
  // period that rolled over mid-run would reset them.
  const std::int64_t run_seconds = spec.duration_ms / 1000 + 1;
  if (run_seconds > config.queue_period_seconds) {
    config.queue_period_seconds = static_cast<std::uint32_t>(std::min<std::int64_t>(run_seconds, core::kDwordMax));
  }
  return config;
}

Result<SimulationReport> run_simulation(const SimulationSpec& spec, const SimulationProgressFn& progress) {
  auto configured = simulation_config(spec);
  if (!configured) return configured.status();
  const AcdConfig& config = *configured;
  const TimePoint start = spec.start;
  const TimePoint end = start.plus_ms(spec.duration_ms);

  Measurements m(config, spec.service_level_seconds);
  CallCenter cc(config, start);
  ObservedTraffic traffic(config.simulator, traffic_queues(config), start, m);
  cc.attach_simulator(&traffic);
  cc.log_in_simulated_agents(start);
  absorb_effects(cc, m, start);

  TimePoint now = start;
  TimePoint next_tick = std::min(start.plus_ms(spec.progress_interval_ms), end);
  bool stopped_early = false;
  for (;;) {
    // One instant at a time, so every announcement is measured at the
    // instant it happened.
    if (auto due = cc.next_deadline(); due && *due <= next_tick) {
      now = std::max(now, *due);
      cc.advance_to(now);
      absorb_effects(cc, m, now);
      continue;
    }
    now = next_tick;
    if (progress && !progress(m.progress(core::elapsed_ms(start, now), spec.duration_ms)) && now < end) {
      stopped_early = true;
      break;
    }
    if (now >= end) break;
    next_tick = std::min(now.plus_ms(spec.progress_interval_ms), end);
  }
  cc.attach_simulator(nullptr);

  SimulationReport report;
  report.start_unix_ms = start.unix_ms();
  report.simulated_ms = core::elapsed_ms(start, now);
  report.stopped_early = stopped_early;
  report.seed = config.simulator.seed;
  report.calls_per_hour = config.simulator.calls_per_hour;
  report.wrap_up_seconds = config.wrap_up_seconds;
  m.finish(config, cc, now, report);
  return report;
}

}  // namespace opentapi::acd
