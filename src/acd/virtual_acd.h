// VirtualAcd: the reference ACD proxy application (docs/reference/flows.md §1.1, §2.1) —
// the runtime around CallCenter. It connects to opentapid through the public
// tapi.h API only, registers as proxy for all 20 LINEPROXYREQUEST types on
// every configured line, answers each request from its call-center model, and
// keeps that model durable in a store::Store.
//
// Threads (docs/acd.md "Runtime"):
//   model      waits in poll on the USEEVENT descriptor and on an eventfd of
//              its own (tasks from other threads, stop, reload); reads
//              LINE_PROXYREQUEST itself, owns the CallCenter and the traffic
//              simulator, applies each request, runs timers, submits what
//              changed as one store batch and queues the output behind it;
//              (re)connects when the server goes away.
//   delivery   no thread of its own: the store's durability callback (the
//              store's writer thread) sends the outputs whose batch is now
//              durable, in submission order — lineProxyResponse, then
//              lineProxyMessage for the announcements (docs/reference/flows.md
//              §3.3 step 9: respond first, then announce), then the
//              supervisor's board changes to the subscribers. An output that
//              waits for nothing (a read behind durable changes) is sent by
//              the model thread. Neither call waits for the server.
//
// A request is read by proxy_request_parser.h, applied by request_handler.h
// and answered with the code error_codes.h gives; this class only moves it
// between the threads.
//
// It is also the acd::Supervision the HTTP API serves (acd/supervision.h,
// docs/acd.md "Supervision"): board() and subscribe() are answered on the
// model thread's timeline and, like TAPI reads, only once every change they
// include is durable; the change stream carries only durable changes.
//
// Embedding (tools/opentapid):
//   auto store = store::open_sqlite_store({.data_dir = dir});
//   auto acd = acd::VirtualAcd::start(config, **store, {.server_address = "unix:/run/…"});
//   … acd->get()->stop();   // before the store and before the server stop
#ifndef OPENTAPI_ACD_VIRTUAL_ACD_H_
#define OPENTAPI_ACD_VIRTUAL_ACD_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "acd/clock.h"
#include "acd/config.h"
#include "acd/supervision.h"
#include "store/store.h"

namespace opentapi::acd {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

struct VirtualAcdOptions {
  // The server to connect to ("unix:PATH", "tcp:HOST:PORT"). Non-empty: set
  // as OPENTAPI_SERVER for this process before connecting (libopentapi reads
  // it). Empty: whatever OPENTAPI_SERVER / the default address says.
  std::string server_address;
  // Not owned; nullptr = the system clock. Must outlive the VirtualAcd.
  const Clock* clock = nullptr;
  // Run the traffic simulator if the configuration enables it.
  bool simulator = true;
  // The simulator's callers become switch calls when the server has the
  // route point and the trunk (docs/calls.md "The ACD and its calls", item
  // 6). false keeps them inside the ACD, as `opentapi simulate` does
  // (opentapid --simulator-inside-acd): the stations stay free.
  bool simulator_on_switch = true;
  // false: start() connects and opens the lines before it returns, and
  // fails if it cannot. true: start() returns after the restore and the
  // model thread connects in the background, retrying every
  // reconnect_interval (for opentapid, whose server only accepts
  // connections once its event loop runs; refusals are logged).
  bool connect_in_background = false;
  // After losing the server: retry connecting this often.
  std::chrono::milliseconds reconnect_interval{500};
  // How long the model thread sleeps at most when nothing is due (also the
  // latency with which a ManualClock that moved is noticed without sync()).
  std::chrono::milliseconds idle_tick{200};
  // One line per event, key=value; nullptr = stderr.
  std::function<void(LogLevel, std::string_view)> log;
  // Set: start() restores from these records instead of loading them from
  // the store — a warm standby's copy (store/postgres/event_log_reader.h),
  // which must be exactly what the store holds now, every kind of
  // CallCenter::kRecordKinds in that order, each ordered by key as load()
  // gives it. Only the first restore uses them; a reload after a refused
  // commit reads the store.
  std::optional<std::vector<store::Record>> initial_records;
};

struct VirtualAcdStats {
  std::uint64_t requests = 0;           // LINE_PROXYREQUESTs received
  std::uint64_t changes = 0;            // requests that changed the model
  std::uint64_t replayed_requests = 0;  // requests sent again after a reconnect, answered from the store
  std::uint64_t commits = 0;            // batches submitted to the store
  std::uint64_t failed_commits = 0;     // batches the store refused
  std::uint64_t responses = 0;          // lineProxyResponse calls made
  std::uint64_t announcements = 0;      // lineProxyMessage calls made
  std::uint64_t reconnects = 0;         // times the server connection was rebuilt
  std::uint64_t restore_ms = 0;         // loading + rebuilding the model at start
  std::uint64_t live_sessions = 0;      // sessions not ended, at the last task
  std::uint64_t agents = 0;
  std::uint64_t calls = 0;                // calls in progress
  CallCenter::CallCounts calls_by_phase;  // counted with live_sessions
  std::uint64_t state_changes = 0;        // durable agent and session state transitions
  // PINs (docs/security.md "Brute force"), since the model was last rebuilt.
  std::uint64_t pin_wrong = 0;        // wrong PINs and unknown agent IDs
  std::uint64_t pin_locked_out = 0;   // attempts refused unchecked during a lockout
  std::uint64_t pin_lockouts = 0;     // lockouts started
  std::uint64_t pin_checks_busy = 0;  // refused: the PIN worker's queue was full
};

class VirtualAcd final : public Supervision {
 public:
  // Restores the call center from `store` (empty store = a fresh call
  // center), commits what the restore changed, connects to the server and
  // opens every configured line as proxy; returns when requests are being
  // served. Errors: the store's (kOperationFailed for a record that cannot be
  // restored, naming it), or kOperationFailed naming the line and LINEERR
  // when the server refuses (no server, device missing, another proxy holds
  // the line: LINEERR_NOTREGISTERED).
  // `store` must outlive the VirtualAcd.
  static Result<std::unique_ptr<VirtualAcd>> start(const AcdConfig& config, store::Store& store,
                                                   VirtualAcdOptions options = {});

  // Stops the threads after answering what was received, waits for the
  // store, closes the lines (lineShutdown). Idempotent; the destructor calls it.
  void stop();
  ~VirtualAcd() override;

  VirtualAcd(const VirtualAcd&) = delete;
  VirtualAcd& operator=(const VirtualAcd&) = delete;

  // Runs every timer and simulator event due at the clock's now, then waits
  // until every response and announcement queued so far has been sent.
  // For tests with a ManualClock.
  void sync();

  VirtualAcdStats stats() const;

  // --- Supervision (acd/supervision.h) ----------------------------------------
  // Threads: callable from any thread except from inside an on_change
  // handler or a Done callback (those run on the delivering thread, which
  // board(), subscribe() and a Done-waiting caller need). board() and
  // subscribe() block until the model thread has built the board and every
  // change it includes is durable (a few milliseconds). After stop(): an
  // empty board, and set_*_state report kOperationFailed at once.
  //
  // Numbering: changes are numbered when they are delivered, i.e. once
  // their batch is durable; a change whose batch the store refused is never
  // delivered and gets no number (the model then reloads from the store, so
  // a reader's board stays what is durable — see docs/acd.md). on_change may
  // run before subscribe() has returned to its caller; calling subscribe()
  // on the executor the handler posts to keeps "board, then changes" order.
  Board board() override;
  std::pair<Board, std::uint64_t> subscribe(ChangeHandler on_change) override;
  void unsubscribe(std::uint64_t id) override;
  CallList calls() override;
  // Actor.request 0: the change gets the ACD's next request number (the same
  // numbering as proxy requests, so the audit history tells them apart).
  void set_session_state(const Actor& actor, SessionHandle session, std::uint32_t state, std::uint32_t next_state,
                         Done done) override;
  void set_agent_state(const Actor& actor, AgentHandle agent, std::uint32_t state, std::uint32_t next_state,
                       Done done) override;
  Result<std::vector<store::AuditEntry>> audit(std::string_view object_kind, std::string_view object_key,
                                               std::uint64_t after_seq, std::size_t limit) override;
  Result<std::uint64_t> last_event_seq() override;
  AcdMetrics metrics() override;
  void audit_failed_login(const std::string& actor, const std::string& what) override;
  Role role_of(std::string_view user) const override;

  class Impl;

 private:
  explicit VirtualAcd(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// "opentapi virtual ACD <version>": the handler info of LINEAGENTCAPS.
std::string handler_info();

}  // namespace opentapi::acd

#endif  // OPENTAPI_ACD_VIRTUAL_ACD_H_
