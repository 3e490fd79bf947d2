// VirtualAcd::Impl: the runtime of the virtual ACD, shared by the two files
// that implement it — virtual_acd.cpp (the model thread, the delivery of
// durable outputs and their queues) and virtual_acd_supervision.cpp (the Supervision
// interface on top of them). Private to src/acd; virtual_acd.h explains the
// threads and what each owns.
#ifndef OPENTAPI_ACD_VIRTUAL_ACD_IMPL_H_
#define OPENTAPI_ACD_VIRTUAL_ACD_IMPL_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

#include "acd/applied_requests.h"
#include "acd/call_center.h"
#include "acd/pin_check_worker.h"
#include "acd/switch_calls.h"
#include "acd/traffic_simulator.h"
#include "acd/virtual_acd.h"
#include "core/log_throttle.h"
#include "tapi.h"

namespace opentapi::acd {

// What the threads hand each other: tasks for the model thread, outputs to
// deliver once durable, and the Supervision requests they carry.
namespace runtime {

// A board() or subscribe() waiting for its board.
struct BoardReply {
  std::promise<Board> promise;
  Board board;
  Supervision::ChangeHandler handler;  // subscribe() only
  std::uint64_t subscriber = 0;
  // The batch after which the model it was built from had no failed commit
  // behind it (the last reload). If a batch after this one failed, the board
  // may show a change that never became durable: it is built again.
  std::uint64_t reloaded_at_batch = 0;
  int attempts = 0;
  bool counted = false;  // in subscribers_expected_
  // calls(): the call list is built and answered instead of the board.
  bool call_list = false;
  CallList calls;
  std::promise<CallList> calls_promise;
};

// A state change asked through Supervision, run on the model thread.
struct Supervised {
  DWORD request_type = 0;  // the TAPI request it stands for (error codes)
  std::function<Status(CallCenter&, std::uint32_t request, TimePoint now)> apply;
  Supervision::Done done;
};

struct Task {
  enum class Kind { kRequest, kSync, kConnected, kBoard, kSupervised, kCallFact };
  Kind kind = Kind::kRequest;
  std::uint64_t epoch = 0;
  HLINE hline = 0;
  std::uint32_t device = 0;
  LPLINEPROXYREQUEST request = nullptr;
  std::shared_ptr<std::promise<void>> done;
  std::shared_ptr<BoardReply> board;
  std::shared_ptr<Supervised> supervised;
  SwitchFact fact;  // kCallFact
  // kRequest: its hashed PIN has been verified on the PIN worker (the
  // verifier knows the answer).
  bool pin_checked = false;
};

struct Output {
  std::uint64_t batch = 0;  // must be durable before anything is sent
  bool own_batch = false;   // the batch holds this output's change
  std::uint64_t epoch = 0;
  HLINE hline = 0;
  LPLINEPROXYREQUEST request = nullptr;
  DWORD request_type = 0;
  LONG result = 0;
  std::vector<Announcement> announcements;
  // Of the output's own batch: how many audit entries it holds, and the
  // seq of its last once durable (Announcement::entry counts back from it).
  std::uint32_t audit_count = 0;
  std::uint64_t last_seq = 0;
  std::shared_ptr<std::promise<void>> done;
  // Board changes of this task, numbered when delivered. Views are built
  // only while someone subscribes; otherwise only their count is kept.
  std::vector<BoardChange> changes;
  std::uint64_t change_count = 0;
  std::uint64_t state_changes = 0;
  std::shared_ptr<BoardReply> board;
  // A Supervision change: its outcome, reported through done.
  std::shared_ptr<Supervised> supervised;
  Status supervised_status;
  // TAPI calls on the switch's calls (switch_calls.h), on connection
  // `actions_epoch`: made once the batch is durable.
  std::vector<SwitchAction> switch_actions;
  std::uint64_t actions_epoch = 0;
  // A request with an origin (applied_requests.h): recorded with its changes.
  std::string origin;
  bool recorded = false;  // its AppliedRequest is in the batch

  bool has_work() const {
    return request != nullptr || !announcements.empty() || done || change_count != 0 || board || supervised ||
           !switch_actions.empty();
  }
};

}  // namespace runtime

class VirtualAcd::Impl {
 public:
  using BoardReply = runtime::BoardReply;
  using Output = runtime::Output;
  using Supervised = runtime::Supervised;
  using Task = runtime::Task;

  Impl(AcdConfig config, store::Store& store, VirtualAcdOptions options)
      : config_(std::move(config)), store_(store), options_(std::move(options)) {
    clock_ = options_.clock != nullptr ? options_.clock : &system_clock_;
  }

  ~Impl() { stop(); }

  Status restore();
  Status connect();
  bool background_connect() const { return options_.connect_in_background; }
  void start_threads();
  void stop();
  void sync();
  VirtualAcdStats stats() const;

  // Supervision.
  Board board();
  std::pair<Board, std::uint64_t> subscribe(Supervision::ChangeHandler handler);
  void unsubscribe(std::uint64_t id);
  CallList calls();
  void supervise(std::shared_ptr<Supervised> change);
  AcdMetrics metrics() const;
  const AcdConfig& config() const { return config_; }
  store::Store& store() { return store_; }

 private:
  // A warning that repeats while a condition lasts (a full disk refuses every
  // change): at most kFloodBurst lines per kFloodWindowMs of the ACD's clock,
  // the rest counted and summarised (docs/security.md "Logs").
  static constexpr std::int64_t kFloodWindowMs = 10000;
  static constexpr std::uint32_t kFloodBurst = 5;
  struct Flood {
    const char* event;
    core::LogThrottle throttle{kFloodWindowMs, kFloodBurst};
  };
  void log_flood(Flood& flood, LogLevel level, const std::string& line) {
    core::LogThrottle::Decision d;
    {
      std::lock_guard lock(flood_mu_);
      d = flood.throttle.admit(clock_->now().unix_ms());
    }
    if (d.log) log(level, d.suppressed == 0 ? line : line + " suppressed=" + std::to_string(d.suppressed));
  }
  // One line per flood whose window ended with lines left out.
  void summarise_floods(core::TimePoint now) {
    for (Flood* f : {&commit_failed_flood_, &reload_flood_}) {
      std::uint64_t n = 0;
      {
        std::lock_guard lock(flood_mu_);
        n = f->throttle.take_summary(now.unix_ms());
      }
      if (n > 0) {
        log(LogLevel::kWarn, std::string("event=log-suppressed what=") + f->event + " lines=" + std::to_string(n) +
                                 " window_s=" + std::to_string(kFloodWindowMs / 1000));
      }
    }
  }
  std::mutex flood_mu_;
  Flood commit_failed_flood_{"acd-commit-failed"};
  Flood reload_flood_{"acd-reloaded-after-store-error"};

  void log(LogLevel level, const std::string& line) const {
    if (options_.log) {
      options_.log(level, line);
    } else {
      std::fprintf(stderr, "opentapi-acd %s\n", line.c_str());
    }
  }

  // --- model thread ---
  void model_loop();
  // `changed` (if given) receives the objects the rebuild itself changed.
  Status rebuild_model(TimePoint now, std::vector<ChangedObject>* changed = nullptr);
  // Where the last rebuild_model() took its records from ("store", or
  // "copy": VirtualAcdOptions::initial_records) and when it had them.
  std::string restored_from_ = "store";
  std::chrono::steady_clock::time_point loaded_at_;
  void handle(const Task& task, TimePoint now);
  Output serve(LPLINEPROXYREQUEST request, std::uint32_t device, TimePoint now);
  // The origin key of a delivered request (applied_requests.h), "" if none.
  std::string origin_of(const runtime::Task& task) const;
  // A request whose hashed PIN only a slow check can answer goes to the PIN
  // worker and comes back later (kHandedOff), or finds it busy (kBusy).
  enum class PinHandOff { kNotNeeded, kHandedOff, kBusy };
  PinHandOff hand_pin_check_off(const Task& task, TimePoint now);
  // Submits what the model changed and queues `out` behind it.
  void submit(Output out, TimePoint now);
  // Fills `out` with the board changes of `changed` at `now`.
  void describe_changes(const std::vector<ChangedObject>& changed, TimePoint now, Output& out) const;
  // Queues a task for the model thread; false once it is stopping.
  bool post(Task task);
  // Waits for the board of `reply` (posted as a kBoard task).
  Board await_board(const std::shared_ptr<BoardReply>& reply);
  // Posts `reply` as a kBoard task; false if the model thread is stopping or
  // it would wait for itself (a thread delivering outputs, see deliver()).
  bool post_board(const std::shared_ptr<BoardReply>& reply);
  void build_board_task(const std::shared_ptr<BoardReply>& reply, TimePoint now);

  // --- the connection, on the model thread ---
  // Connects when not connected and due; reads every message the server has
  // queued for the ACD into `tasks`. Disconnects when the server closed the lines.
  void connect_if_due();
  void read_messages(std::deque<Task>& tasks);
  void disconnect_locked();
  // Wakes the model thread from its poll (tasks, stop, reload).
  void wake();

  // --- the switch's calls (switch_line.cpp) ---
  // At connect, with conn_mu_ held: finds the route point and the trunk,
  // reads every number, opens them and the served station lines for calls.
  // No route point (a server without an ACD route point): calls stay off.
  Status open_switch_lines(HLINEAPP happ, DWORD num_devs);
  // Model thread, conn_mu_ shared: what a call message means to the bridge.
  std::optional<SwitchFact> call_fact(const LINEMESSAGE& m);
  // Delivering thread (deliver()): makes the TAPI calls of `out`.
  void run_switch_actions(const Output& out);
  void post_fact(SwitchFact fact, std::uint64_t epoch);

  // --- delivery of outputs, once durable ---
  // The store's durability callback (writer thread).
  void on_durable(std::uint64_t batch, const Status& status, std::uint64_t last_seq);
  // Sends every output at the front of the queue whose batch is durable, in
  // queue order, on the calling thread: the store's writer thread from its
  // durability callback (a change's response leaves with its group's fsync,
  // no hand-off to another thread), or the model thread for an output that
  // waited for nothing (a read behind durable changes). One thread delivers
  // at a time; a thread that finds another delivering leaves its outputs to
  // it (the deliverer looks again before it stops), so nobody waits.
  void deliver();
  void send_output(Output& out, std::optional<ErrorCode> failure);
  // Writes what deliver()'s send batch holds so far (opentapi_ext.h), before
  // a completion someone waits for; the batch goes on.
  void flush_sends();
  // True on a thread inside this ACD's deliver().
  bool delivering_here() const;
  // Numbers the changes of `out` and hands them to the subscribers; then
  // answers its board request, if any. Delivering thread.
  void publish(Output& out);
  void answer_board(const std::shared_ptr<BoardReply>& reply);

  AcdConfig config_;
  store::Store& store_;
  VirtualAcdOptions options_;
  SystemClock system_clock_;
  const Clock* clock_ = nullptr;

  std::unique_ptr<CallCenter> model_;
  // Hashed PINs: verified on the worker's thread, never on the model
  // thread (docs/security.md "Secrets at rest").
  secrets::SecretVerifier pin_verifier_;
  std::unique_ptr<PinCheckWorker> pin_worker_ = std::make_unique<PinCheckWorker>(pin_verifier_);
  std::unique_ptr<TrafficSimulator> simulator_;
  std::unique_ptr<SwitchCalls> bridge_;  // model thread
  std::uint64_t bridge_epoch_ = 0;       // model thread: the connection the bridge's handles belong to
  // The requests applied, by origin, within the window (applied_requests.h).
  AppliedRequests applied_;
  std::uint32_t request_number_ = 0;
  // Request numbers (the audit's request_id) are unique across restarts
  // (docs/acd.md "Audit"): they are handed out below a ceiling kept in the
  // store (record meta/request_ids), raised by kRequestBlock durably before
  // a number above the old one is used.
  static constexpr std::uint32_t kRequestBlock = 65536;
  std::uint32_t request_ceiling_ = 0;
  Status reserve_request_numbers();
  std::uint32_t next_request_number();

  // Connection. Exclusive to change, shared to use a request buffer or line.
  mutable std::shared_mutex conn_mu_;
  HLINEAPP happ_ = 0;
  int event_fd_ = -1;
  bool connected_ = false;
  std::uint64_t epoch_ = 0;
  std::map<std::uint32_t, HLINE> lines_;    // device → our line handle
  std::map<HLINE, std::uint32_t> devices_;  // our line handle → device
  // eventfd: the model thread polls it beside event_fd_ (tasks, stop, reload).
  int wake_fd_ = -1;
  bool waiting_ = false;  // under mu_: the model thread is in poll (or about to be)
  // The switch's side (under conn_mu_ like the lines above).
  struct SwitchLines {
    HLINE route = 0;                              // the route point, OWNER
    HLINE trunk = 0;                              // the trunk, OWNER (calls the ACD places)
    std::map<HLINE, std::uint32_t> stations;      // served station lines, MONITOR → device
    std::map<DWORD, core::QueueId> route_queues;  // route-point address id → queue
    SwitchNumbers numbers;
  };
  SwitchLines switch_;
  // Asynchronous switch requests waiting for their LINE_REPLY (any thread).
  struct PendingRequest {
    SwitchAction::Kind kind = SwitchAction::Kind::kDrop;
    CallId call = 0;
    CallHandle hcall = 0;           // the handle acted on (0 for kPlace)
    std::unique_ptr<HCALL> placed;  // kPlace: where lineMakeCall writes the handle
  };
  std::mutex switch_mu_;
  std::map<DWORD, PendingRequest> pending_;

  // Model thread queue.
  std::mutex mu_;
  std::deque<Task> tasks_;
  bool stop_model_ = false;
  std::atomic<bool> reload_needed_{false};
  // Requests whose batch failed with the outcome in doubt (the database
  // connection lost during the commit): answered once the store can be read
  // again, from whether their AppliedRequest is there (applied_requests.h).
  struct InDoubt {
    HLINE hline = 0;
    LPLINEPROXYREQUEST request = nullptr;
    std::uint64_t epoch = 0;
    DWORD request_type = 0;
    std::string origin;
    std::chrono::steady_clock::time_point since;
  };
  std::mutex in_doubt_mu_;
  std::vector<InDoubt> in_doubt_;
  std::chrono::steady_clock::time_point next_doubt_check_{};
  // Model thread: answers the requests in doubt when the store says.
  void resolve_in_doubt(TimePoint now);

  // Outputs waiting for their batch, in submission order.
  std::mutex rmu_;
  std::deque<Output> outputs_;
  std::uint64_t submitted_ = 0;   // model thread only
  std::uint64_t done_batch_ = 0;  // under rmu_
  std::map<std::uint64_t, ErrorCode> failed_;
  bool delivering_ = false;              // under rmu_: a thread is in deliver()
  bool deliver_after_group_ = false;     // under rmu_: the store's group end will deliver()
  std::uint64_t last_failed_batch_ = 0;  // delivering thread only
  std::uint64_t reloaded_at_batch_ = 0;  // model thread only: submitted_ at the last reload

  // Supervision. The stream's numbering and the subscribers belong to the
  // delivering thread; subs_mu_ lets unsubscribe() wait for a delivery.
  std::atomic<std::uint64_t> board_seq_{0};
  std::mutex subs_mu_;
  std::map<std::uint64_t, Supervision::ChangeHandler> subscribers_;
  std::atomic<std::uint64_t> next_subscriber_{1};
  std::atomic<std::int64_t> subscribers_expected_{0};  // registered or being registered
  bool publishing_ = false;                            // delivering thread only: subs_mu_ is held
  std::set<std::uint64_t> unsubscribed_;               // under subs_mu_: by a handler, removed after the delivery

  std::string last_connect_error_;                      // model thread only: log each distinct refusal once
  std::chrono::steady_clock::time_point connect_at_{};  // model thread only: next connection attempt

  std::thread model_thread_;
  bool started_ = false;
  bool stopped_ = false;

  mutable std::mutex stats_mu_;
  VirtualAcdStats stats_;
  std::chrono::steady_clock::time_point live_counted_at_{};  // model thread only
  std::chrono::steady_clock::duration recount_every_{};      // model thread only: 250 ms or 20× the last count
};

}  // namespace opentapi::acd

#endif  // OPENTAPI_ACD_VIRTUAL_ACD_IMPL_H_
