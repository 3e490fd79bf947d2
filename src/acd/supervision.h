// Supervision: the supervisor's view of the virtual ACD, for the HTTP/WebSocket
// API and the wallboard (docs/http.md) — every agent, session, group and queue
// with its live state, the time it entered that state and its statistics; a
// stream of changes numbered so a reconnecting reader resumes without gaps;
// state changes made as a named user under the same rules and with the same
// codes as the TAPI path; the audit history; counters for /metrics.
//
// VirtualAcd implements it (virtual_acd_supervision.cpp); the HTTP layer
// (src/http) uses only this interface, so its tests can run against a fake.
//
// Time: every *_ms field is milliseconds since the Unix epoch (UTC) on the
// ACD's clock; `now_ms` of a board or change is when it was taken, so a reader
// shows "time in state" as now − state_since_ms and ticks it locally.
//
// Names of states (the JSON edge uses them as they are):
//   session: "NOTREADY" "READY" "BUSYONCALL" "BUSYWRAPUP" "ENDED" "RELEASED"
//   agent:   "NOTREADY" "READY" "BUSYACD" "BUSYINCOMING" "BUSYOUTGOING"
//            "UNKNOWN" "RELEASED"
//   call:    "queued" "ringing" "talking" "detached" (CallPhase, below)
// (LINEAGENTSESSIONSTATE_* and LINEAGENTSTATEEX_* without the prefix); the
// numeric value travels beside the name.
#ifndef OPENTAPI_ACD_SUPERVISION_H_
#define OPENTAPI_ACD_SUPERVISION_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "acd/call_center.h"
#include "store/store.h"

namespace opentapi::acd {

struct SessionStatsView {
  std::uint32_t calls = 0;         // ACD calls in the session
  std::uint32_t talk_seconds = 0;  // total ACD talk time
  // TotalCallTime as LINEAGENTSESSIONINFO reports it: talk + wrap-up
  // (docs/core.md), so the wallboard and TAPI clients agree.
  std::uint32_t call_seconds = 0;
  std::uint32_t wrap_up_seconds = 0;   // total wrap-up time
  std::uint32_t duration_seconds = 0;  // since the session started
  std::uint32_t average_time_to_answer = 0;
  std::uint32_t longest_time_to_answer = 0;
};

// The call a session is on (BUSY_ON_CALL with a call delivered to it): who
// calls, from which queue, and when it rang and was answered, so that a
// wallboard shows the caller and ticks the talk time as now − answered_ms.
struct SessionCallView {
  std::uint64_t id = 0;       // the ACD's call id (CallId)
  std::string caller_number;  // "" when unknown
  std::string caller_name;
  std::uint32_t queue = 0;  // the queue it came from
  std::string queue_name;
  std::int64_t offered_ms = 0;   // delivered to the session (starts ringing)
  std::int64_t answered_ms = 0;  // 0 while it rings
};

struct SessionView {
  std::uint32_t handle = 0;  // HAGENTSESSION
  std::uint32_t agent = 0;   // HAGENT
  std::string agent_id;      // configured agent ID ("" for an OS-login agent)
  std::string group_guid;    // "{XXXXXXXX-…}"
  std::string group_name;
  std::uint32_t device = 0;   // line device of its address
  std::uint32_t address = 0;  // address ID on that line
  std::uint32_t state = 0;    // LINEAGENTSESSIONSTATE_*
  std::uint32_t next_state = 0;
  std::int64_t state_since_ms = 0;
  std::int64_t started_ms = 0;
  SessionStatsView stats;
  std::optional<SessionCallView> call;  // nullopt: no call delivered to it
};

struct AgentStatsView {
  std::uint32_t acd_calls = 0;
  std::uint32_t incoming_calls = 0;
  std::uint32_t outgoing_calls = 0;
  std::uint32_t talk_seconds = 0;
  std::uint32_t wrap_up_seconds = 0;
  std::uint32_t measurement_period = 0;
};

struct AgentView {
  std::uint32_t handle = 0;  // HAGENT
  std::string id;            // configured agent ID ("" for an OS-login agent)
  std::string name;          // display name from the configuration
  std::string owner;         // OS user holding it
  std::uint32_t state = 0;   // LINEAGENTSTATEEX_*
  std::uint32_t next_state = 0;
  std::int64_t state_since_ms = 0;
  AgentStatsView stats;
};

struct QueueView {
  std::uint32_t id = 0;
  std::string name;
  std::string group_guid;
  std::string group_name;
  std::uint32_t waiting = 0;               // calls queued now
  std::uint32_t longest_wait_seconds = 0;  // of the calls waiting now
  std::uint32_t offered = 0;               // calls queued this measurement period
  // Calls the ACD handed to an agent this period (a call leaves its queue
  // then, docs/acd.md "Routing"); their wait runs from entry to delivery.
  std::uint32_t answered = 0;
  std::uint32_t abandoned = 0;
  std::uint32_t answered_within_target = 0;  // answered within service_level_seconds
  std::uint32_t service_level_seconds = 20;
  // answered_within_target / (answered + abandoned), 0..1; nullopt before
  // the first answered or abandoned call of the period.
  std::optional<double> service_level;
  std::uint32_t average_wait_seconds = 0;
  std::uint32_t average_speed_of_answer_seconds = 0;
  std::uint32_t measurement_period = 0;
};

struct GroupView {
  std::string guid;
  std::string name;
  std::vector<std::uint32_t> queues;  // queue ids, in configuration order
};

struct Board {
  std::uint64_t seq = 0;  // the last change this board includes
  std::int64_t now_ms = 0;
  std::vector<GroupView> groups;      // configuration order
  std::vector<QueueView> queues;      // by id
  std::vector<AgentView> agents;      // by handle; released agents are not listed
  std::vector<SessionView> sessions;  // by handle; ENDED sessions are not listed
};

// One object after a change. An ENDED session or RELEASED agent is sent once
// with that state and is then no longer on the board.
struct BoardChange {
  std::uint64_t seq = 0;  // consecutive from 1, never reused while the process runs
  std::int64_t now_ms = 0;
  std::variant<AgentView, SessionView, QueueView> object;
};

// One call in progress, as the supervisor's call list shows it
// (docs/http.md "Calls in progress"). State: CallPhase, named by
// call_state_name(): "queued" (waiting in a queue), "ringing" (delivered to a
// session, not answered), "talking" (answered), "detached" (the session left
// the call with a state change; the ACD only waits for its end).
//
// Times are *_ms on the ACD's clock (0: not yet, or unknown). wait_seconds is
// the caller's wait before an agent answered: from entering the current
// queue to the answer (to now while queued or ringing); talk_seconds runs
// from the answer to now. Both are whole seconds at CallList::now_ms.
struct CallInProgressView {
  std::uint64_t id = 0;  // the ACD's call id (CallId)
  CallPhase phase = CallPhase::kQueued;
  std::uint32_t queue = 0;
  std::string queue_name;
  std::string caller_number;  // "" when unknown
  std::string caller_name;
  // The session, agent and station the call was delivered to; 0 / "" while
  // queued (and once detached).
  std::uint32_t session = 0;  // HAGENTSESSION
  std::uint32_t agent = 0;    // HAGENT
  std::string agent_id;       // configured agent ID ("" for an OS-login agent)
  std::string agent_name;
  std::uint32_t device = 0;    // line device of the session's address
  std::uint32_t address = 0;   // address ID on that line
  std::string address_number;  // the station's dialable number ("" if not known)
  std::int64_t queued_ms = 0;  // entered its current queue
  std::int64_t offered_ms = 0;
  std::int64_t answered_ms = 0;
  std::uint32_t wait_seconds = 0;
  std::uint32_t talk_seconds = 0;
};

// Every call in progress at now_ms, in call-id order.
struct CallList {
  std::int64_t now_ms = 0;
  std::vector<CallInProgressView> calls;
};

struct AcdMetrics {
  std::uint64_t requests = 0;       // proxy requests answered
  std::uint64_t state_changes = 0;  // agent and session state changes
  std::uint64_t commits = 0;
  std::uint64_t failed_commits = 0;
  std::uint64_t last_commit_latency_us = 0;
  std::uint64_t max_commit_latency_us = 0;
  std::uint64_t agents = 0;
  std::uint64_t live_sessions = 0;
  std::uint64_t calls = 0;  // in progress
  // Calls in progress by state (they add up to `calls`, give or take the
  // changes of the last quarter second: they are counted four times a second).
  std::uint64_t calls_queued = 0;
  std::uint64_t calls_ringing = 0;
  std::uint64_t calls_talking = 0;
  std::uint64_t calls_detached = 0;
  std::uint64_t board_seq = 0;
  // Agent PINs (docs/security.md "Brute force").
  std::uint64_t pin_failures = 0;    // wrong PINs and unknown agent IDs, checked
  std::uint64_t pin_locked_out = 0;  // attempts refused unchecked during a lockout
  std::uint64_t pin_lockouts = 0;    // lockouts started
  std::uint64_t pin_checks_busy = 0;
};

// What a user may do, from the ACD configuration: supervisors ([acd]
// supervisors) see and change everything; any other user sees everything and
// changes only the agents and sessions it holds (the TAPI rule).
enum class Role : std::uint8_t { kAgent, kSupervisor };

class Supervision {
 public:
  virtual ~Supervision() = default;

  virtual Board board() = 0;

  // The board and, from the change after board.seq on, every change in
  // order: no change is missed or repeated between the two. `on_change` runs
  // on an ACD thread and must not block (copy and post), throw, or call
  // board()/subscribe(); it may be called before subscribe() has returned
  // to its caller (subscribing on the executor the handler posts to keeps
  // "board, then changes"). Only durable changes are streamed. Returns the
  // board and an id for unsubscribe() (0: not subscribed, the ACD stopped).
  using ChangeHandler = std::function<void(const BoardChange&)>;
  virtual std::pair<Board, std::uint64_t> subscribe(ChangeHandler on_change) = 0;
  // After it returns, the handler is never called again.
  virtual void unsubscribe(std::uint64_t id) = 0;

  // Every call in progress, built on the model thread and answered once
  // every change it shows is durable, like board(). Not streamed: a reader
  // polls it (the board's sessions carry their calls in the change stream).
  virtual CallList calls() = 0;

  // The same operations, rules and error codes as lineSetAgentSessionState
  // and lineSetAgentStateEx from `actor`. `done` runs once, on an ACD thread,
  // after the change is durable (or with the error; nothing changed then).
  using Done = std::function<void(core::Status)>;
  virtual void set_session_state(const Actor& actor, SessionHandle session, std::uint32_t state,
                                 std::uint32_t next_state, Done done) = 0;
  virtual void set_agent_state(const Actor& actor, AgentHandle agent, std::uint32_t state, std::uint32_t next_state,
                               Done done) = 0;

  // Audit history of one object (kind "agent", "session", "queue", "call" or
  // "address"; key as the ACD stores it: hex_key(handle) of records.h), or of
  // every object of a kind (empty key), with Store::audit's paging and errors.
  virtual Result<std::vector<store::AuditEntry>> audit(std::string_view object_kind, std::string_view object_key,
                                                       std::uint64_t after_seq, std::size_t limit) = 0;

  // The newest seq of the event log (the store's audit history, 0 when
  // empty), for /events resumed from a seq the log does not hold.
  virtual Result<std::uint64_t> last_event_seq() {
    return core::Status::error(core::ErrorCode::kOperationUnavail, "no event log here");
  }

  virtual AcdMetrics metrics() = 0;
  // A wrong HTTP token from `actor` ("http:ADDRESS"): an entry in the audit
  // history (object "login"), written in the background. docs/security.md
  // "Brute force".
  virtual void audit_failed_login(const std::string& actor, const std::string& what) {
    (void)actor;
    (void)what;
  }
  virtual Role role_of(std::string_view user) const = 0;
};

// "READY", "BUSYWRAPUP", … for a LINEAGENTSESSIONSTATE_ value; "" if none.
std::string_view session_state_name(std::uint32_t state);
// "READY", "BUSYACD", … for a LINEAGENTSTATEEX_ value; "" if none.
std::string_view agent_state_name(std::uint32_t state);
// The inverse of the two (exact upper-case names); nullopt if unknown.
std::optional<std::uint32_t> session_state_from_name(std::string_view name);
std::optional<std::uint32_t> agent_state_from_name(std::string_view name);
// "queued", "ringing", "talking", "detached"; "" for anything else.
std::string_view call_state_name(CallPhase phase);

}  // namespace opentapi::acd

#endif  // OPENTAPI_ACD_SUPERVISION_H_
