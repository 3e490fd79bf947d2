// opentapi-core-demo: one agent's shift, played through the core domain
// library on a scripted clock, with the statistics a supervisor would read
// from ITAgentSession, ITAgent and ITQueue at the end.
//
// It is the README's main job until the server and the reference ACD exist:
// it shows the state machines and statistics of docs/reference/flows.md §4 and §5 working,
// with no I/O beyond printing.
#include <cstdio>
#include <string>

#include "core/agent.h"
#include "core/queue.h"
#include "core/session_state.h"

namespace core = opentapi::core;

namespace {

core::TimePoint at(std::int64_t seconds) { return core::TimePoint::from_unix_seconds(1'767'225'600 + seconds); }

void print_change(std::int64_t t, const core::AgentUpdate& update) {
  const auto& s = update.session;
  if (s.old_state != s.new_state) {
    std::printf("  t=%5llds  session %-14.*s -> %.*s\n", static_cast<long long>(t),
                static_cast<int>(core::to_string(s.old_state).size()), core::to_string(s.old_state).data(),
                static_cast<int>(core::to_string(s.new_state).size()), core::to_string(s.new_state).data());
  }
  const auto& a = update.agent;
  if (a.state_changed()) {
    std::printf("  t=%5llds  agent   %-14.*s -> %.*s\n", static_cast<long long>(t),
                static_cast<int>(core::to_string(a.old_state).size()), core::to_string(a.old_state).data(),
                static_cast<int>(core::to_string(a.new_state).size()), core::to_string(a.new_state).data());
  }
}

bool check(const char* what, const core::Status& status) {
  if (!status.ok()) std::fprintf(stderr, "core demo: %s failed: %s\n", what, status.to_string().c_str());
  return status.ok();
}

}  // namespace

int main() {
  const core::GroupId sales{{0x5a, 0x1e, 0x50, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}};
  const core::SessionHandle session = 1;
  core::Queue queue(100, "Sales – first line", sales, at(0));

  auto created = core::Agent::create(42, "alice", "4711", "1234", at(0));
  if (!check("create agent", created.status())) return 1;
  core::Agent agent = std::move(*created);
  agent.mark_reported(at(0));

  std::puts("opentapi core demo: agent alice (ID 4711) works a short shift in group Sales\n");
  std::puts("Timeline");
  auto step = [&](std::int64_t t, const char* what, const core::Result<core::AgentUpdate>& r) {
    if (!check(what, r.status())) return false;
    print_change(t, *r);
    return true;
  };
  auto ready = core::SessionStateRequest{core::SessionState::kReady, std::nullopt};
  auto not_ready = core::SessionStateRequest{core::SessionState::kNotReady, std::nullopt};
  auto ended = core::SessionStateRequest{core::SessionState::kEnded, std::nullopt};

  bool ok = step(0, "log in", agent.create_session(session, sales, 0, "1234", at(0)));
  if (ok) {  // the agent as a whole becomes ready too (ITAgent::put_State(AS_READY))
    const auto agent_ready = agent.request_state(core::AgentState::kReady, at(5));
    ok = check("agent ready", agent_ready.status());
    if (ok) print_change(5, core::AgentUpdate{{}, *agent_ready});
  }
  ok = ok && step(5, "ready", agent.request_session_state(session, ready, at(5)));
  // Three calls through the queue; the fourth caller hangs up while waiting.
  struct Call {
    core::CallId id;
    std::int64_t arrive, offer, answer, end, back_ready;
  };
  const Call calls[] = {{1, 18, 20, 24, 84, 99}, {2, 120, 130, 133, 253, 263}, {3, 905, 910, 912, 1002, 1010}};
  for (const Call& c : calls) {
    if (!ok) break;
    if (c.id == 3) {  // a break first
      ok = step(300, "break", agent.request_session_state(session, not_ready, at(300))) &&
           check("enqueue", queue.enqueue(99, at(850))) &&
           check("abandon", queue.dequeue_abandoned(99, at(880)).status());
      if (ok) std::puts("  t=  880s  a caller gives up after 30 s in the queue (abandoned)");
      ok = ok && step(900, "back", agent.request_session_state(session, ready, at(900)));
    }
    ok = ok && check("enqueue", queue.enqueue(c.id, at(c.arrive))) &&
         check("dequeue", queue.dequeue_answered(c.id, at(c.offer)).status()) &&
         step(c.offer, "offer", agent.offer_acd_call(session, c.id, at(c.offer))) &&
         step(c.answer, "answer", agent.answer_acd_call(session, at(c.answer))) &&
         step(c.end, "end call", agent.end_acd_call(session, at(c.end))) &&
         step(c.back_ready, "ready", agent.request_session_state(session, ready, at(c.back_ready)));
  }
  ok = ok && step(1020, "log out", agent.request_session_state(session, ended, at(1020)));
  if (!ok) return 1;

  // An illegal request is refused with the exact code an application sees.
  const auto refused = agent.request_session_state(session, ready, at(1030));
  std::printf("\nput_State(ASST_READY) on the ended session -> %s (0x%08X)\n", refused.status().to_string().c_str(),
              static_cast<unsigned>(refused.status().lineerr()));

  const core::AgentSessionInfo s = agent.find_session(session)->info(at(1200));
  std::puts("\nITAgentSession statistics (LINEAGENTSESSIONINFO)");
  std::printf("  SessionDuration      %6u s   (stopped at log-out)\n", s.session_duration);
  std::printf("  NumberOfCalls        %6u\n", s.number_of_calls);
  std::printf("  TotalTalkTime        %6u s   AverageTalkTime   %4u s\n", s.total_talk_time, s.average_talk_time);
  std::printf("  TotalWrapUpTime      %6u s   AverageWrapUpTime %4u s\n", s.total_wrap_up_time, s.average_wrap_up_time);
  std::printf("  TotalCallTime        %6u s   AverageCallTime   %4u s\n", s.total_call_time, s.average_call_time);
  std::printf("  ACDCallRate          %6.2f calls/hour\n", static_cast<double>(s.acd_call_rate) / 10000.0);
  std::printf("  LongestTimeToAnswer  %6u s   AverageTimeToAnswer %2u s\n", s.longest_time_to_answer,
              s.average_time_to_answer);

  const core::AgentInfo a = agent.info(at(1200));
  std::puts("\nITAgent statistics (LINEAGENTINFO)");
  std::printf("  MeasurementPeriod    %6u s\n", a.measurement_period);
  std::printf("  NumberOfACDCalls     %6u\n", a.number_of_acd_calls);
  std::printf("  TotalACDTalkTime     %6u s   TotalACDCallTime %5u s   TotalWrapUpTime %4u s\n", a.total_acd_talk_time,
              a.total_acd_call_time, a.total_acd_wrap_up_time);
  std::printf("  OverallCallRate      %6.2f calls/agent-hour\n", static_cast<double>(a.overall_call_rate) / 10000.0);

  const core::QueueInfo q = queue.info(at(1200));
  std::puts("\nITQueue statistics (LINEQUEUEINFO)");
  std::printf("  TotalCallsQueued     %6u   TotalCallsAbandoned %u   CurrentCallsQueued %u\n", q.total_calls_queued,
              q.total_calls_abandoned, q.current_calls_queued);
  std::printf("  LongestEverWaitTime  %6u s   AverageWaitTime %u s\n", q.longest_ever_wait_time, q.average_wait_time);
  return 0;
}
