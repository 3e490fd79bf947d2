#include "acd/virtual_acd.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <thread>
#include <vector>

#include "acd/board.h"
#include "acd/call_center.h"
#include "acd/pbx_extension.h"
#include "acd/structures.h"
#include "acd/traffic_simulator.h"
#include "opentapi_ext.h"
#include "tapi.h"

namespace opentapi::acd {

std::string handler_info() { return "opentapi virtual ACD " OPENTAPI_ACD_VERSION; }

namespace {

constexpr DWORD kApiLow = 0x00020000;
constexpr DWORD kApiHigh = 0x00030001;
constexpr DWORD kApi22 = 0x00020002;

// LINEAGENTCAPS.ProxyGUID of every opentapi virtual ACD:
// {5E0C7A31-9D42-4B8E-A1F3-27C6D0B94E12}, in memory order.
constexpr std::array<std::uint8_t, 16> kProxyGuid = {0x31, 0x7A, 0x0C, 0x5E, 0x42, 0x9D, 0x8E, 0x4B,
                                                     0xA1, 0xF3, 0x27, 0xC6, 0xD0, 0xB9, 0x4E, 0x12};

#define REQ_OFF(field) static_cast<std::uint32_t>(offsetof(LINEPROXYREQUEST, field))

std::uint32_t get32(const unsigned char* p, std::uint64_t pos) {
  std::uint32_t v = 0;
  std::memcpy(&v, p + pos, sizeof v);
  return v;
}
void put32(unsigned char* p, std::uint64_t pos, std::uint32_t v) { std::memcpy(p + pos, &v, sizeof v); }

std::string lineerr_text(LONG rc) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%08X", static_cast<unsigned>(rc));
  return core::error_code_name(static_cast<ErrorCode>(static_cast<std::uint32_t>(rc))) + " (" + buf + ")";
}

// The LINEERR codes each function documents (tapi2-agent.md §3.1, §3.2).
bool documented(DWORD type, ErrorCode code) {
  using C = ErrorCode;
  const auto std7 = [](C c) {
    return c == C::kInvalParam || c == C::kNoMem || c == C::kOperationFailed || c == C::kOperationUnavail ||
           c == C::kResourceUnavail;
  };
  const auto common = [](C c) {  // the shared tail of the 2.0 lists
    return c == C::kInvalPointer || c == C::kNoMem || c == C::kOperationFailed || c == C::kOperationUnavail ||
           c == C::kResourceUnavail;
  };
  switch (type) {
    case LINEPROXYREQUEST_SETAGENTGROUP:
      return common(code) || code == C::kInvalAddressId || code == C::kInvalAddressState ||
             code == C::kInvalAgentGroup || code == C::kInvalAgentId || code == C::kInvalParam ||
             code == C::kInvalPassword;
    case LINEPROXYREQUEST_SETAGENTSTATE:
      return std7(code) || code == C::kInvalAddressId || code == C::kInvalAddressState ||
             code == C::kInvalAgentState;
    case LINEPROXYREQUEST_SETAGENTACTIVITY:
      return common(code) || code == C::kInvalAddressId || code == C::kInvalAddressState ||
             code == C::kInvalAgentActivity;
    case LINEPROXYREQUEST_GETAGENTCAPS:
    case LINEPROXYREQUEST_GETAGENTSTATUS:
      return common(code) || code == C::kInvalAddressId || code == C::kStructureTooSmall;
    case LINEPROXYREQUEST_AGENTSPECIFIC:
      return common(code) || code == C::kInvalAddressId || code == C::kInvalAgentId || code == C::kInvalParam ||
             code == C::kStructureTooSmall;
    case LINEPROXYREQUEST_GETAGENTACTIVITYLIST:
    case LINEPROXYREQUEST_GETAGENTGROUPLIST:
      return common(code) || code == C::kInvalAddressId || code == C::kInvalAgentId ||
             code == C::kStructureTooSmall;
    case LINEPROXYREQUEST_SETAGENTSESSIONSTATE:
    case LINEPROXYREQUEST_SETAGENTSTATEEX:
      return std7(code) || code == C::kInvalAgentState;
    default:
      return std7(code);
  }
}

// The one place where a core error becomes the LINE_REPLY result of a
// request type: the code itself when the function documents it, else
// LINEERR_INVALPARAM when it does (the request named something invalid),
// else LINEERR_OPERATIONFAILED. docs/acd.md "Error codes".
LONG reply_code(DWORD type, ErrorCode code) {
  if (code == ErrorCode::kOk) return 0;
  if (documented(type, code)) return core::lineerr_value(code);
  if (documented(type, ErrorCode::kInvalParam) && code != ErrorCode::kOperationFailed &&
      code != ErrorCode::kResourceUnavail && code != ErrorCode::kNoMem) {
    return core::lineerr_value(ErrorCode::kInvalParam);
  }
  return core::lineerr_value(ErrorCode::kOperationFailed);
}

// The error a request type reports for `status`, as a Status: the LINE_REPLY
// code reply_code() gives, with the model's message. Supervision reports
// what lineSetAgentSessionState / lineSetAgentStateEx would.
Status tapi_status(DWORD type, const Status& status) {
  if (status.ok()) return status;
  const LONG code = reply_code(type, status.code());
  return Status::error(static_cast<ErrorCode>(static_cast<std::uint32_t>(code)), status.message());
}

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
};

// A state change asked through Supervision, run on the model thread.
struct Supervised {
  DWORD request_type = 0;  // the TAPI request it stands for (error codes)
  std::function<Status(CallCenter&, std::uint32_t request, TimePoint now)> apply;
  Supervision::Done done;
};

struct Task {
  enum class Kind { kRequest, kSync, kConnected, kBoard, kSupervised };
  Kind kind = Kind::kRequest;
  std::uint64_t epoch = 0;
  HLINE hline = 0;
  std::uint32_t device = 0;
  LPLINEPROXYREQUEST request = nullptr;
  std::shared_ptr<std::promise<void>> done;
  std::shared_ptr<BoardReply> board;
  std::shared_ptr<Supervised> supervised;
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

  bool has_work() const {
    return request != nullptr || !announcements.empty() || done || change_count != 0 || board || supervised;
  }
};

}  // namespace

class VirtualAcd::Impl {
 public:
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
  void supervise(std::shared_ptr<Supervised> change);
  AcdMetrics metrics() const;
  const AcdConfig& config() const { return config_; }
  store::Store& store() { return store_; }

 private:
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
  void handle(const Task& task, TimePoint now);
  Output serve(LPLINEPROXYREQUEST request, std::uint32_t device, TimePoint now);
  // Submits what the model changed and queues `out` behind it.
  void submit(Output out, TimePoint now);
  // Fills `out` with the board changes of `changed` at `now`.
  void describe_changes(const std::vector<ChangedObject>& changed, TimePoint now, Output& out) const;
  // Queues a task for the model thread; false once it is stopping.
  bool post(Task task);
  // Waits for the board of `reply` (posted as a kBoard task).
  Board await_board(const std::shared_ptr<BoardReply>& reply);
  void build_board_task(const std::shared_ptr<BoardReply>& reply, TimePoint now);

  // --- pump thread ---
  void pump_loop();
  void disconnect_locked();

  // --- responder thread ---
  void responder_loop();
  void on_durable(std::uint64_t batch, const Status& status);
  // Numbers the changes of `out` and hands them to the subscribers; then
  // answers its board request, if any. Responder thread.
  void publish(Output& out);
  void answer_board(const std::shared_ptr<BoardReply>& reply);

  AcdConfig config_;
  store::Store& store_;
  VirtualAcdOptions options_;
  SystemClock system_clock_;
  const Clock* clock_ = nullptr;

  std::unique_ptr<CallCenter> model_;
  std::unique_ptr<TrafficSimulator> simulator_;
  std::uint32_t request_number_ = 0;

  // Connection. Exclusive to change, shared to use a request buffer or line.
  mutable std::shared_mutex conn_mu_;
  HLINEAPP happ_ = 0;
  int event_fd_ = -1;
  bool connected_ = false;
  std::uint64_t epoch_ = 0;
  std::map<std::uint32_t, HLINE> lines_;    // device → our line handle
  std::map<HLINE, std::uint32_t> devices_;  // our line handle → device
  int stop_fd_ = -1;

  // Model thread queue.
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Task> tasks_;
  bool stop_model_ = false;
  std::atomic<bool> reload_needed_{false};

  // Responder queue.
  std::mutex rmu_;
  std::condition_variable rcv_;
  std::deque<Output> outputs_;
  std::uint64_t submitted_ = 0;   // model thread only
  std::uint64_t done_batch_ = 0;  // under rmu_
  std::map<std::uint64_t, ErrorCode> failed_;
  bool stop_responder_ = false;
  std::uint64_t last_failed_batch_ = 0;  // responder thread only
  std::uint64_t reloaded_at_batch_ = 0;  // model thread only: submitted_ at the last reload

  // Supervision. The stream's numbering and the subscribers belong to the
  // responder thread; subs_mu_ lets unsubscribe() wait for a delivery.
  std::atomic<std::uint64_t> board_seq_{0};
  std::mutex subs_mu_;
  std::map<std::uint64_t, Supervision::ChangeHandler> subscribers_;
  std::atomic<std::uint64_t> next_subscriber_{1};
  std::atomic<std::int64_t> subscribers_expected_{0};  // registered or being registered
  std::thread::id responder_id_;
  bool delivering_ = false;  // responder thread only: subs_mu_ is held

  std::string last_connect_error_;  // pump thread only: log each distinct refusal once

  std::thread pump_;
  std::thread model_thread_;
  std::thread responder_;
  bool started_ = false;
  bool stopped_ = false;

  mutable std::mutex stats_mu_;
  VirtualAcdStats stats_;
  std::chrono::steady_clock::time_point live_counted_at_{};  // model thread only
};

// --- start / stop ------------------------------------------------------------------

Status VirtualAcd::Impl::rebuild_model(TimePoint now, std::vector<ChangedObject>* changed) {
  std::vector<store::Record> records;
  for (const char* kind : CallCenter::kRecordKinds) {
    auto loaded = store_.load(kind);
    if (!loaded) return loaded.status();
    for (store::Record& r : *loaded) records.push_back(std::move(r));
  }
  auto model = CallCenter::restore(config_, records, now);
  if (!model) return model.status();
  model_ = std::move(model).value();
  simulator_.reset();
  if (options_.simulator && config_.simulator.enabled) {
    std::vector<core::QueueId> queues = config_.simulator.queues;
    if (queues.empty()) {
      for (const QueueConfig& q : config_.queues) queues.push_back(q.id);
    }
    simulator_ = std::make_unique<TrafficSimulator>(config_.simulator, queues, now);
    model_->attach_simulator(simulator_.get());
    model_->adopt_simulator_calls(now);
    model_->log_in_simulated_agents(now);
  }
  Effects fx = model_->take_effects();
  if (!fx.batch.empty()) {
    Status s = store_.commit_and_wait(std::move(fx.batch));
    if (!s.ok()) return s;
  }
  if (changed != nullptr) *changed = std::move(fx.changed);
  std::lock_guard lock(stats_mu_);
  stats_.live_sessions = model_->live_session_count();
  stats_.agents = model_->agent_count();
  stats_.calls = model_->call_count();
  return Status();
}

Status VirtualAcd::Impl::restore() {
  const auto t0 = std::chrono::steady_clock::now();
  Status s = rebuild_model(clock_->now());
  if (!s.ok()) return s;
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
  {
    std::lock_guard lock(stats_mu_);
    stats_.restore_ms = static_cast<std::uint64_t>(ms.count());
  }
  log(LogLevel::kInfo, "event=acd-restored agents=" + std::to_string(model_->agent_count()) +
                           " sessions=" + std::to_string(model_->session_count()) +
                           " live_sessions=" + std::to_string(model_->live_session_count()) +
                           " calls=" + std::to_string(model_->call_count()) + " ms=" + std::to_string(ms.count()));
  return Status();
}

Status VirtualAcd::Impl::connect() {
  std::unique_lock lock(conn_mu_);
  LINEINITIALIZEEXPARAMS params;
  std::memset(&params, 0, sizeof params);
  params.dwTotalSize = sizeof params;
  params.dwOptions = LINEINITIALIZEEXOPTION_USEEVENT;
  DWORD num_devs = 0;
  DWORD api = kApiHigh;
  HLINEAPP happ = 0;
  LONG rc = lineInitializeExW(&happ, nullptr, nullptr, L"opentapi virtual ACD", &num_devs, &api, &params);
  if (rc != 0) return Status::error(ErrorCode::kOperationFailed, "lineInitializeExW failed: " + lineerr_text(rc));
  std::map<std::uint32_t, HLINE> lines;
  const auto fail = [&](const std::string& what) {
    lineShutdown(happ);
    return Status::error(ErrorCode::kOperationFailed, what);
  };
  // The proxy's LINECALLPARAMS: the 20 request types as a DWORD array in the
  // device-specific area (tapi2-agent.md §5.9).
  std::vector<unsigned char> call_params(sizeof(LINECALLPARAMS) + 20 * sizeof(DWORD), 0);
  put32(call_params.data(), offsetof(LINECALLPARAMS, dwTotalSize), static_cast<std::uint32_t>(call_params.size()));
  put32(call_params.data(), offsetof(LINECALLPARAMS, dwDevSpecificSize), 20 * sizeof(DWORD));
  put32(call_params.data(), offsetof(LINECALLPARAMS, dwDevSpecificOffset), sizeof(LINECALLPARAMS));
  for (std::uint32_t t = 1; t <= 20; ++t) put32(call_params.data(), sizeof(LINECALLPARAMS) + (t - 1) * 4, t);
  for (std::uint32_t device : config_.lines) {
    if (device >= num_devs) {
      return fail("line device " + std::to_string(device) + " is not offered by the server (it has " +
                  std::to_string(num_devs) + " devices; see [server] lines)");
    }
    DWORD version = 0;
    LINEEXTENSIONID ext;
    rc = lineNegotiateAPIVersion(happ, device, kApiLow, kApiHigh, &version, &ext);
    if (rc != 0) return fail("line device " + std::to_string(device) + ": lineNegotiateAPIVersion failed: " + lineerr_text(rc));
    HLINE hline = 0;
    rc = lineOpenW(happ, device, &hline, version, 0, device, LINECALLPRIVILEGE_NONE | LINEOPENOPTION_PROXY, 0,
                   reinterpret_cast<LPLINECALLPARAMS>(call_params.data()));
    if (rc != 0) {
      return fail("line device " + std::to_string(device) + ": lineOpenW as proxy failed: " + lineerr_text(rc) +
                  (rc == static_cast<LONG>(LINEERR_NOTREGISTERED) ? " (another proxy serves request types on it)" : ""));
    }
    lines[device] = hline;
  }
  happ_ = happ;
  event_fd_ = opentapi_event_fd(params.Handles.hEvent);
  lines_ = std::move(lines);
  devices_.clear();
  for (const auto& [device, hline] : lines_) devices_[hline] = device;
  connected_ = true;
  ++epoch_;
  lock.unlock();
  log(LogLevel::kInfo, "event=acd-connected lines=" + std::to_string(lines_.size()) + " devices=" +
                           std::to_string(num_devs));
  return Status();
}

void VirtualAcd::Impl::disconnect_locked() {
  if (!connected_) return;
  ++epoch_;
  lineShutdown(happ_);
  happ_ = 0;
  event_fd_ = -1;
  lines_.clear();
  devices_.clear();
  connected_ = false;
}

void VirtualAcd::Impl::start_threads() {
  stop_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  started_ = true;
  responder_ = std::thread([this] { responder_loop(); });
  // Before any caller can reach board() or unsubscribe(): start() has not returned.
  responder_id_ = responder_.get_id();
  model_thread_ = std::thread([this] { model_loop(); });
  pump_ = std::thread([this] { pump_loop(); });
  std::lock_guard lock(mu_);
  tasks_.push_back(Task{Task::Kind::kConnected, 0, 0, 0, nullptr, nullptr, nullptr, nullptr});
  cv_.notify_one();
}

void VirtualAcd::Impl::stop() {
  if (stopped_) return;
  stopped_ = true;
  if (started_) {
    const std::uint64_t one = 1;
    if (::write(stop_fd_, &one, sizeof one) < 0) log(LogLevel::kWarn, "event=acd-stop-signal-failed");
    pump_.join();
    {
      std::lock_guard lock(mu_);
      stop_model_ = true;
    }
    cv_.notify_all();
    model_thread_.join();
    (void)store_.flush();  // every callback has run: every output can go
    {
      std::lock_guard lock(rmu_);
      stop_responder_ = true;
    }
    rcv_.notify_all();
    responder_.join();
    ::close(stop_fd_);
  }
  std::unique_lock lock(conn_mu_);
  disconnect_locked();
  log(LogLevel::kInfo, "event=acd-stopped");
}

void VirtualAcd::Impl::sync() {
  auto done = std::make_shared<std::promise<void>>();
  auto future = done->get_future();
  {
    std::lock_guard lock(mu_);
    tasks_.push_back(Task{Task::Kind::kSync, 0, 0, 0, nullptr, done, nullptr, nullptr});
  }
  cv_.notify_one();
  future.wait();
}

VirtualAcdStats VirtualAcd::Impl::stats() const {
  std::lock_guard lock(stats_mu_);
  return stats_;
}

// --- pump thread -------------------------------------------------------------------

void VirtualAcd::Impl::pump_loop() {
  bool try_now = true;  // not connected: try at once, then every reconnect_interval
  for (;;) {
    int fd = -1;
    {
      std::shared_lock lock(conn_mu_);
      fd = connected_ ? event_fd_ : -1;
    }
    if (fd >= 0 || !try_now) {
      pollfd fds[2] = {{stop_fd_, POLLIN, 0}, {fd, POLLIN, 0}};
      const int timeout = fd < 0 ? static_cast<int>(options_.reconnect_interval.count()) : -1;
      const int n = ::poll(fds, fd < 0 ? 1 : 2, timeout);
      if (n < 0 && errno != EINTR) {
        log(LogLevel::kError, "event=acd-poll-failed errno=" + std::to_string(errno));
        return;
      }
      if ((fds[0].revents & POLLIN) != 0) return;
      if (fd < 0) {
        try_now = true;
        continue;
      }
    }
    if (fd < 0) {
      try_now = false;
      Status c = connect();
      if (!c.ok()) {
        if (c.message() != last_connect_error_) {
          log(LogLevel::kWarn, "event=acd-connect-failed status=\"" + c.to_string() + "\" retry_ms=" +
                                   std::to_string(options_.reconnect_interval.count()));
          last_connect_error_ = c.message();
        }
      } else {
        last_connect_error_.clear();
        {
          std::lock_guard lock(stats_mu_);
          ++stats_.reconnects;
        }
        std::lock_guard lock(mu_);
        tasks_.push_back(Task{Task::Kind::kConnected, 0, 0, 0, nullptr, nullptr, nullptr, nullptr});
        cv_.notify_one();
      }
      continue;
    }
    bool lost = false;
    std::vector<Task> batch;
    {
      std::shared_lock lock(conn_mu_);
      LINEMESSAGE m;
      while (lineGetMessage(happ_, &m, 0) == 0) {
        if (m.dwMessageID == LINE_PROXYREQUEST) {
          auto it = devices_.find(m.hDevice);
          auto* request = reinterpret_cast<LPLINEPROXYREQUEST>(m.dwParam1);
          if (request == nullptr) continue;
          if (it == devices_.end()) {
            // Not a line we opened as proxy: answer rather than leave the client waiting.
            (void)lineProxyResponse(m.hDevice, request, static_cast<DWORD>(LINEERR_OPERATIONFAILED));
            continue;
          }
          batch.push_back(Task{Task::Kind::kRequest, epoch_, m.hDevice, it->second, request, nullptr, nullptr, nullptr});
        } else if (m.dwMessageID == LINE_CLOSE ||
                   (m.dwMessageID == LINE_LINEDEVSTATE && (m.dwParam1 & LINEDEVSTATE_REINIT) != 0)) {
          lost = true;
        }
      }
    }
    if (!batch.empty()) {
      std::lock_guard lock(mu_);
      for (Task& t : batch) tasks_.push_back(std::move(t));
      cv_.notify_one();
    }
    if (lost) {
      std::unique_lock lock(conn_mu_);
      disconnect_locked();
      lock.unlock();
      log(LogLevel::kWarn, "event=acd-disconnected reason=\"server closed the lines\" retry_ms=" +
                               std::to_string(options_.reconnect_interval.count()));
    }
  }
}

// --- model thread ------------------------------------------------------------------

void VirtualAcd::Impl::model_loop() {
  for (;;) {
    std::deque<Task> tasks;
    {
      std::unique_lock lock(mu_);
      if (tasks_.empty() && !stop_model_ && !reload_needed_) {
        auto wait = options_.idle_tick;
        if (auto next = model_->next_deadline()) {
          const std::int64_t delta = next->unix_ms() - clock_->now().unix_ms();
          wait = std::clamp(std::chrono::milliseconds(delta), std::chrono::milliseconds(0), options_.idle_tick);
        }
        cv_.wait_for(lock, wait, [this] { return !tasks_.empty() || stop_model_ || reload_needed_; });
      }
      if (stop_model_ && tasks_.empty()) return;
      tasks.swap(tasks_);
    }
    const TimePoint now = clock_->now();
    if (reload_needed_.exchange(false)) {
      // docs/acd.md "When the store fails": what is durable is the truth.
      (void)store_.flush();
      reloaded_at_batch_ = submitted_;
      std::vector<ChangedObject> changed;
      Status s = rebuild_model(now, &changed);
      log(s.ok() ? LogLevel::kWarn : LogLevel::kError,
          "event=acd-reloaded-after-store-error status=\"" + s.to_string() + "\"");
      if (s.ok() && !changed.empty()) {
        // What the reload itself did (the simulator's agents logged in
        // again, …) is durable already: it goes out behind earlier changes.
        Output out;
        describe_changes(changed, now, out);
        out.batch = submitted_;
        {
          std::lock_guard lock(rmu_);
          outputs_.push_back(std::move(out));
        }
        rcv_.notify_one();
      }
    }
    model_->advance_to(now);
    submit(Output{}, now);
    for (const Task& t : tasks) handle(t, now);
    // live_session_count() walks every agent: with 100 000 agents, counting
    // after every batch cost most of the model thread's time. The figure is
    // a gauge for logs and /metrics, so four times a second is enough.
    const auto wall = std::chrono::steady_clock::now();
    const bool recount = wall - live_counted_at_ >= std::chrono::milliseconds(250);
    const std::size_t live = recount ? model_->live_session_count() : 0;
    if (recount) live_counted_at_ = wall;
    std::lock_guard lock(stats_mu_);
    if (recount) stats_.live_sessions = live;
    stats_.agents = model_->agent_count();
    stats_.calls = model_->call_count();
  }
}

void VirtualAcd::Impl::describe_changes(const std::vector<ChangedObject>& changed, TimePoint now,
                                        Output& out) const {
  if (subscribers_expected_.load() <= 0) {
    out.change_count = changed.size();
    return;
  }
  out.changes.reserve(changed.size());
  for (const ChangedObject& object : changed) {
    if (auto c = change_of(*model_, object, now)) out.changes.push_back(std::move(*c));
  }
  out.change_count = out.changes.size();
}

void VirtualAcd::Impl::submit(Output out, TimePoint now) {
  Effects fx = model_->take_effects();
  // Behind the task's own (kConnected's group and queue announcements).
  out.announcements.insert(out.announcements.end(), fx.announcements.begin(), fx.announcements.end());
  out.state_changes = fx.state_changes;
  describe_changes(fx.changed, now, out);
  if (!fx.batch.empty()) {
    const std::uint64_t n = ++submitted_;
    out.batch = n;
    out.own_batch = true;
    {
      std::lock_guard lock(stats_mu_);
      ++stats_.commits;
      if (out.request != nullptr || out.supervised) ++stats_.changes;
    }
    // Queue the output before committing: the callback may run at once.
    {
      std::lock_guard lock(rmu_);
      outputs_.push_back(std::move(out));
    }
    store_.commit(std::move(fx.batch), [this, n](const Status& s, std::uint64_t) { on_durable(n, s); });
    return;
  }
  if (!out.has_work()) return;
  out.batch = submitted_;  // reads wait for every earlier change
  {
    std::lock_guard lock(rmu_);
    outputs_.push_back(std::move(out));
  }
  rcv_.notify_one();
}

void VirtualAcd::Impl::handle(const Task& task, TimePoint now) {
  switch (task.kind) {
    case Task::Kind::kSync: {
      Output out;
      out.done = task.done;
      submit(std::move(out), now);
      return;
    }
    case Task::Kind::kBoard:
      build_board_task(task.board, now);
      return;
    case Task::Kind::kSupervised: {
      // The same model operation as the TAPI request, under its own request
      // number, with the TAPI request's error codes.
      Output out;
      out.supervised = task.supervised;
      out.request_type = task.supervised->request_type;
      const Status s = task.supervised->apply(*model_, ++request_number_, now);
      if (!s.ok()) log(LogLevel::kDebug, "event=acd-supervision-refused status=\"" + s.to_string() + "\"");
      out.supervised_status = tapi_status(out.request_type, s);
      submit(std::move(out), now);
      return;
    }
    case Task::Kind::kConnected: {
      // The handler's groups and queues are available on its lines (again).
      Output out;
      out.announcements.push_back(
          Announcement{model_->first_device(), LINE_GROUPSTATUS, 0, LINEGROUPSTATUS_NEWGROUP, 0});
      for (const QueueConfig& q : config_.queues) {
        out.announcements.push_back(
            Announcement{model_->first_device(), LINE_QUEUESTATUS, q.id, LINEQUEUESTATUS_NEWQUEUE, 0});
      }
      submit(std::move(out), now);
      return;
    }
    case Task::Kind::kRequest: {
      {
        std::lock_guard lock(stats_mu_);
        ++stats_.requests;
      }
      std::shared_lock conn(conn_mu_);
      // A request of a connection that is gone has been failed by the server
      // already (flows.md §2.1 step 5); its buffer must not be touched.
      if (task.epoch != epoch_) return;
      Output out = serve(task.request, task.device, now);
      out.epoch = task.epoch;
      out.hline = task.hline;
      out.request = task.request;
      conn.unlock();
      submit(std::move(out), now);
      return;
    }
  }
}

// Reads the request, asks the model, fills the output structure in place.
Output VirtualAcd::Impl::serve(LPLINEPROXYREQUEST request, std::uint32_t device, TimePoint now) {
  auto* base = reinterpret_cast<unsigned char*>(request);
  const std::uint32_t size = get32(base, REQ_OFF(dwSize));
  const DWORD type = get32(base, REQ_OFF(dwRequestType));
  const Charset cs = Charset::kWide;  // every line is opened with lineOpenW
  Output out;
  out.request_type = type;
  Status status;
  const auto answer = [&](const Status& s) {
    status = s;
    if (!s.ok()) {
      log(LogLevel::kDebug, "event=acd-refused type=" + std::to_string(type) + " status=\"" + s.to_string() + "\"");
    }
  };
  const auto u32 = [&](std::uint32_t pos) -> std::uint32_t {
    return std::uint64_t{pos} + 4 <= size ? get32(base, pos) : 0u;
  };
  // An embedded output structure at `pos`: its dwTotalSize, clipped to the buffer.
  const auto area = [&](std::uint32_t pos) -> OutputArea {
    if (std::uint64_t{pos} + 12 > size) return OutputArea{};
    return OutputArea{base + pos, std::min(get32(base, pos), size - pos)};
  };
  const auto filled = [&](bool ok) {
    if (!ok) answer(Status::error(ErrorCode::kStructureTooSmall, "output structure smaller than its fixed part"));
  };

  Actor actor;
  actor.request = ++request_number_;
  auto user = decode_text(base, size, get32(base, REQ_OFF(dwClientUserNameSize)),
                          get32(base, REQ_OFF(dwClientUserNameOffset)), cs);
  actor.user = user ? *user : std::string();
  const std::uint32_t client_api = get32(base, REQ_OFF(dwClientAppAPIVersion));

  constexpr std::uint32_t U = REQ_OFF(dwRequestType) + 4;  // start of the union (28)
  switch (type) {
    case LINEPROXYREQUEST_SETAGENTGROUP: {
      const std::uint32_t list = U + 4;
      std::vector<GroupId> groups;
      const std::uint32_t total = u32(list);
      const std::uint32_t count = u32(list + offsetof(LINEAGENTGROUPLIST, dwNumEntries));
      const std::uint32_t off = u32(list + offsetof(LINEAGENTGROUPLIST, dwListOffset));
      const std::uint64_t bytes = std::uint64_t{count} * sizeof(LINEAGENTGROUPENTRY);
      if (count != 0 && (std::uint64_t{off} + bytes > total || std::uint64_t{list} + off + bytes > size)) {
        answer(Status::error(ErrorCode::kInvalParam, "group list outside its structure"));
        break;
      }
      for (std::uint32_t i = 0; i < count; ++i) {
        GroupId g;
        std::memcpy(g.bytes.data(), base + list + off + i * sizeof(LINEAGENTGROUPENTRY), 16);
        groups.push_back(g);
      }
      answer(model_->set_agent_group(actor, device, u32(U), groups, now));
      break;
    }
    case LINEPROXYREQUEST_SETAGENTSTATE:
      answer(model_->set_address_agent_state(actor, device, u32(U), u32(U + 4), u32(U + 8), now));
      break;
    case LINEPROXYREQUEST_SETAGENTACTIVITY:
      answer(model_->set_agent_activity(actor, device, u32(U), u32(U + 4), now));
      break;
    case LINEPROXYREQUEST_GETAGENTCAPS: {
      if (u32(U) >= config_.addresses_per_line) {
        answer(Status::error(ErrorCode::kInvalAddressId, "no address " + std::to_string(u32(U))));
        break;
      }
      AgentCapsData caps;
      caps.handler_info = handler_info();
      caps.caps_version = std::min<std::uint32_t>(client_api, kApiHigh);
      caps.max_group_entries = config_.max_groups_per_address;
      caps.extension_ids.push_back(kPbxExtensionId);
      caps.proxy_guid = kProxyGuid;
      caps.include_proxy_guid = client_api >= kApi22;
      filled(fill_agent_caps(area(U + 4), caps, cs));
      break;
    }
    case LINEPROXYREQUEST_GETAGENTSTATUS: {
      auto s = model_->agent_status(device, u32(U));
      if (!s) {
        answer(s.status());
        break;
      }
      filled(fill_agent_status(area(U + 4), *s, model_->group_list(), model_->activity_name(s->activity_id), cs));
      break;
    }
    case LINEPROXYREQUEST_AGENTSPECIFIC: {
      const std::uint32_t block = u32(U + 8);
      const std::uint32_t at = U + 12;
      if (std::uint64_t{at} + block > size) {
        answer(Status::error(ErrorCode::kInvalParam, "parameter block outside the request"));
        break;
      }
      if (u32(U) >= config_.addresses_per_line) {
        answer(Status::error(ErrorCode::kInvalAddressId, "no address " + std::to_string(u32(U))));
        break;
      }
      answer(handle_pbx_request(*model_, actor, u32(U + 4), base + at, block, now));
      break;
    }
    case LINEPROXYREQUEST_GETAGENTACTIVITYLIST:
      if (u32(U) >= config_.addresses_per_line) {
        answer(Status::error(ErrorCode::kInvalAddressId, "no address " + std::to_string(u32(U))));
        break;
      }
      filled(fill_activity_list(area(U + 4), model_->activity_list(), cs));
      break;
    case LINEPROXYREQUEST_GETAGENTGROUPLIST:
      if (u32(U) >= config_.addresses_per_line) {
        answer(Status::error(ErrorCode::kInvalAddressId, "no address " + std::to_string(u32(U))));
        break;
      }
      filled(fill_group_list(area(U + 4), model_->group_list(), cs));
      break;
    case LINEPROXYREQUEST_CREATEAGENT: {
      const auto id = decode_text(base, size, u32(U + 4), u32(U + 8), cs);
      const auto pin = decode_text(base, size, u32(U + 12), u32(U + 16), cs);
      if (!id || !pin) {
        answer(Status::error(ErrorCode::kInvalParam, "malformed agent ID or PIN string"));
        break;
      }
      auto h = model_->create_agent(actor, *id, *pin, now);
      if (h) put32(base, U, *h);
      answer(h.status());
      break;
    }
    case LINEPROXYREQUEST_SETAGENTMEASUREMENTPERIOD:
      answer(model_->set_agent_period(actor, u32(U), u32(U + 4), now));
      break;
    case LINEPROXYREQUEST_GETAGENTINFO: {
      auto info = model_->agent_info(u32(U), now);
      if (!info) {
        answer(info.status());
        break;
      }
      filled(fill_agent_info(area(U + 4), *info));
      break;
    }
    case LINEPROXYREQUEST_CREATEAGENTSESSION: {
      using M = lineproxyrequest_createagentsession_tag;
      const auto pin = decode_text(base, size, u32(U + offsetof(M, dwAgentPINSize)),
                                   u32(U + offsetof(M, dwAgentPINOffset)), cs);
      if (!pin) {
        answer(Status::error(ErrorCode::kInvalParam, "malformed PIN string"));
        break;
      }
      GroupId group;
      if (std::uint64_t{U} + sizeof(M) > size) {
        answer(Status::error(ErrorCode::kInvalParam, "request too short"));
        break;
      }
      std::memcpy(group.bytes.data(), base + U + offsetof(M, GroupID), 16);
      auto h = model_->create_session(actor, u32(U + offsetof(M, hAgent)), *pin, device,
                                      u32(U + offsetof(M, dwWorkingAddressID)), group, now);
      if (h) put32(base, U, *h);
      answer(h.status());
      break;
    }
    case LINEPROXYREQUEST_GETAGENTSESSIONLIST: {
      auto list = model_->session_list(u32(U));
      if (!list) {
        answer(list.status());
        break;
      }
      filled(fill_session_list(area(U + 4), *list));
      break;
    }
    case LINEPROXYREQUEST_SETAGENTSESSIONSTATE:
      answer(model_->set_session_state(actor, u32(U), u32(U + 4), u32(U + 8), now));
      break;
    case LINEPROXYREQUEST_GETAGENTSESSIONINFO: {
      auto info = model_->session_info(u32(U), now);
      if (!info) {
        answer(info.status());
        break;
      }
      filled(fill_session_info(area(U + 4), *info));
      break;
    }
    case LINEPROXYREQUEST_GETQUEUELIST: {
      GroupId group;
      if (std::uint64_t{U} + 16 > size) {
        answer(Status::error(ErrorCode::kInvalParam, "request too short"));
        break;
      }
      std::memcpy(group.bytes.data(), base + U, 16);
      auto list = model_->queue_list(group);
      if (!list) {
        answer(list.status());
        break;
      }
      filled(fill_queue_list(area(U + 16), *list, cs));
      break;
    }
    case LINEPROXYREQUEST_SETQUEUEMEASUREMENTPERIOD:
      answer(model_->set_queue_period(actor, u32(U), u32(U + 4), now));
      break;
    case LINEPROXYREQUEST_GETQUEUEINFO: {
      auto info = model_->queue_info(u32(U), now);
      if (!info) {
        answer(info.status());
        break;
      }
      filled(fill_queue_info(area(U + 4), *info));
      break;
    }
    case LINEPROXYREQUEST_GETGROUPLIST:
      filled(fill_group_list(area(U), model_->group_list(), cs));
      break;
    case LINEPROXYREQUEST_SETAGENTSTATEEX:
      answer(model_->set_agent_state(actor, u32(U), u32(U + 4), u32(U + 8), now));
      break;
    default:
      answer(Status::error(ErrorCode::kOperationUnavail, "unknown request type " + std::to_string(type)));
      break;
  }
  out.result = reply_code(type, status.code());
  return out;
}

// --- responder thread ----------------------------------------------------------------

void VirtualAcd::Impl::on_durable(std::uint64_t batch, const Status& status) {
  // Before anything is answered: whoever sees the refusal finds the model
  // already marked for reloading.
  if (!status.ok()) reload_needed_ = true;
  {
    std::lock_guard lock(rmu_);
    done_batch_ = std::max(done_batch_, batch);
    if (!status.ok()) failed_[batch] = status.code();
  }
  rcv_.notify_one();
  if (!status.ok()) {
    {
      std::lock_guard lock(stats_mu_);
      ++stats_.failed_commits;
    }
    log(LogLevel::kError, "event=acd-commit-failed batch=" + std::to_string(batch) + " status=\"" +
                              status.to_string() + "\"");
    cv_.notify_one();
  }
}

void VirtualAcd::Impl::responder_loop() {
  for (;;) {
    Output out;
    std::optional<ErrorCode> failure;
    {
      std::unique_lock lock(rmu_);
      rcv_.wait(lock, [this] {
        return (!outputs_.empty() && outputs_.front().batch <= done_batch_) || (stop_responder_ && outputs_.empty());
      });
      if (outputs_.empty()) return;
      out = std::move(outputs_.front());
      outputs_.pop_front();
      if (out.own_batch) {
        auto f = failed_.find(out.batch);
        if (f != failed_.end()) failure = f->second;
        failed_.erase(failed_.begin(), failed_.upper_bound(out.batch));
      }
    }
    if (failure) last_failed_batch_ = out.batch;
    if (out.done && out.request == nullptr && out.announcements.empty() && !out.supervised && out.change_count == 0 &&
        !out.board) {
      out.done->set_value();
      continue;
    }
    std::uint64_t responses = 0;
    std::uint64_t announcements = 0;
    {
      std::shared_lock conn(conn_mu_);
      if (out.request != nullptr && out.epoch == epoch_ && connected_) {
        // ACK only after durable: a failed commit answers the store's error
        // (RESOURCEUNAVAIL stays, anything else becomes OPERATIONFAILED).
        LONG result = out.result;
        if (failure) {
          result = reply_code(out.request_type,
                              *failure == ErrorCode::kResourceUnavail ? *failure : ErrorCode::kOperationFailed);
        }
        const LONG rc = lineProxyResponse(out.hline, out.request, static_cast<DWORD>(result));
        if (rc != 0) log(LogLevel::kWarn, "event=acd-response-failed rc=" + lineerr_text(rc));
        ++responses;
      }
    }
    if (out.supervised) {
      // The same rule as the response: the outcome only once it is durable.
      Status result = out.supervised_status;
      if (failure) {
        const ErrorCode code = *failure == ErrorCode::kResourceUnavail ? *failure : ErrorCode::kOperationFailed;
        result = tapi_status(out.request_type, Status::error(code, "the store refused the change"));
      }
      if (out.supervised->done) out.supervised->done(result);
    }
    {
      std::shared_lock conn(conn_mu_);
      if (!failure && connected_) {
        for (const Announcement& a : out.announcements) {
          auto line = lines_.find(a.device);
          if (line == lines_.end()) continue;
          const LONG rc = lineProxyMessage(line->second, 0, a.msg, a.param1, a.param2, a.param3);
          if (rc != 0) log(LogLevel::kDebug, "event=acd-announce-failed msg=" + std::to_string(a.msg) + " rc=" + lineerr_text(rc));
          ++announcements;
        }
      }
    }
    // Like announcements, board changes of a refused batch are dropped: the
    // model reloads what is durable, which is what readers have seen.
    if (!failure) publish(out);
    if (out.board) answer_board(out.board);
    {
      std::lock_guard lock(stats_mu_);
      stats_.responses += responses;
      stats_.announcements += announcements;
      if (!failure) stats_.state_changes += out.state_changes;
    }
    if (out.done) out.done->set_value();
  }
}

void VirtualAcd::Impl::publish(Output& out) {
  if (out.change_count == 0) return;
  if (out.changes.empty()) {
    // Nobody was subscribed when the task ran (and a subscriber registered
    // since starts after these): only the numbers move on.
    board_seq_ += out.change_count;
    return;
  }
  std::lock_guard lock(subs_mu_);
  delivering_ = true;
  for (BoardChange& change : out.changes) {
    change.seq = ++board_seq_;
    for (auto& [id, handler] : subscribers_) {
      if (!handler) continue;  // unsubscribed by a handler during this delivery
      try {
        handler(change);
      } catch (...) {
        log(LogLevel::kError, "event=acd-subscriber-threw subscriber=" + std::to_string(id));
      }
    }
  }
  delivering_ = false;
  std::erase_if(subscribers_, [](const auto& entry) { return !entry.second; });
}

void VirtualAcd::Impl::answer_board(const std::shared_ptr<BoardReply>& reply) {
  // Every batch up to the board's was processed before this output: if one
  // after the last reload failed, the board was built on a change that is
  // not durable. The model reloads before the next task, so build it again.
  constexpr int kMaxAttempts = 5;
  if (last_failed_batch_ > reply->reloaded_at_batch && ++reply->attempts < kMaxAttempts) {
    Task again;
    again.kind = Task::Kind::kBoard;
    again.board = reply;
    if (post(std::move(again))) return;
  }
  reply->board.seq = board_seq_.load();
  if (reply->handler) {
    std::lock_guard lock(subs_mu_);
    subscribers_[reply->subscriber] = std::move(reply->handler);
  }
  reply->promise.set_value(std::move(reply->board));
}

// --- supervision -------------------------------------------------------------------

bool VirtualAcd::Impl::post(Task task) {
  {
    std::lock_guard lock(mu_);
    if (stop_model_ || !started_) return false;
    tasks_.push_back(std::move(task));
  }
  cv_.notify_one();
  return true;
}

void VirtualAcd::Impl::build_board_task(const std::shared_ptr<BoardReply>& reply, TimePoint now) {
  if (reply->handler && !reply->counted) {
    // From here on, every task's changes are described for the subscriber.
    ++subscribers_expected_;
    reply->counted = true;
  }
  reply->board = build_board(*model_, now);
  reply->reloaded_at_batch = reloaded_at_batch_;
  Output out;
  out.board = reply;
  submit(std::move(out), now);
}

Board VirtualAcd::Impl::await_board(const std::shared_ptr<BoardReply>& reply) {
  if (std::this_thread::get_id() == responder_id_) {
    // It would wait for itself (an on_change handler or a Done callback).
    log(LogLevel::kError, "event=acd-board-from-responder-thread refused=1");
    return Board{};
  }
  auto future = reply->promise.get_future();
  Task task;
  task.kind = Task::Kind::kBoard;
  task.board = reply;
  if (!post(std::move(task))) return Board{};
  return future.get();
}

Board VirtualAcd::Impl::board() { return await_board(std::make_shared<BoardReply>()); }

std::pair<Board, std::uint64_t> VirtualAcd::Impl::subscribe(Supervision::ChangeHandler handler) {
  auto reply = std::make_shared<BoardReply>();
  reply->handler = std::move(handler);
  reply->subscriber = next_subscriber_++;
  Board board = await_board(reply);
  if (!reply->counted) return {std::move(board), 0};  // stopped: never registered
  return {std::move(board), reply->subscriber};
}

void VirtualAcd::Impl::unsubscribe(std::uint64_t id) {
  if (std::this_thread::get_id() == responder_id_ && delivering_) {
    // From inside a handler: subs_mu_ is held by this very delivery.
    auto it = subscribers_.find(id);
    if (it != subscribers_.end() && it->second) {
      it->second = nullptr;
      --subscribers_expected_;
    }
    return;
  }
  std::lock_guard lock(subs_mu_);
  if (subscribers_.erase(id) != 0) --subscribers_expected_;
}

void VirtualAcd::Impl::supervise(std::shared_ptr<Supervised> change) {
  Supervision::Done done = change->done;
  Task task;
  task.kind = Task::Kind::kSupervised;
  task.supervised = std::move(change);
  if (!post(std::move(task)) && done) done(Status::error(ErrorCode::kOperationFailed, "the ACD has stopped"));
}

AcdMetrics VirtualAcd::Impl::metrics() const {
  const VirtualAcdStats s = stats();
  const store::StoreStats st = store_.stats();
  AcdMetrics m;
  m.requests = s.responses;
  m.state_changes = s.state_changes;
  m.commits = st.commits;
  m.failed_commits = st.failed_commits;
  m.last_commit_latency_us = st.last_commit_latency_us;
  m.max_commit_latency_us = st.max_commit_latency_us;
  m.agents = s.agents;
  m.live_sessions = s.live_sessions;
  m.calls = s.calls;
  m.board_seq = board_seq_.load();
  return m;
}

// --- VirtualAcd ------------------------------------------------------------------------

VirtualAcd::VirtualAcd(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
VirtualAcd::~VirtualAcd() { stop(); }

Result<std::unique_ptr<VirtualAcd>> VirtualAcd::start(const AcdConfig& config, store::Store& store,
                                                       VirtualAcdOptions options) {
  if (config.groups.empty() || config.lines.empty()) {
    return Status::error(ErrorCode::kInvalParam, "configuration has no groups or no lines");
  }
  if (!options.server_address.empty()) ::setenv("OPENTAPI_SERVER", options.server_address.c_str(), 1);
  auto impl = std::make_unique<Impl>(config, store, std::move(options));
  Status s = impl->restore();
  if (!s.ok()) return s;
  if (!impl->background_connect()) {
    s = impl->connect();
    if (!s.ok()) return s;
  }
  impl->start_threads();
  return std::unique_ptr<VirtualAcd>(new VirtualAcd(std::move(impl)));
}

void VirtualAcd::stop() {
  if (impl_) impl_->stop();
}

void VirtualAcd::sync() { impl_->sync(); }

VirtualAcdStats VirtualAcd::stats() const { return impl_->stats(); }

Board VirtualAcd::board() { return impl_->board(); }

std::pair<Board, std::uint64_t> VirtualAcd::subscribe(ChangeHandler on_change) {
  return impl_->subscribe(std::move(on_change));
}

void VirtualAcd::unsubscribe(std::uint64_t id) { impl_->unsubscribe(id); }

void VirtualAcd::set_session_state(const Actor& actor, SessionHandle session, std::uint32_t state,
                                   std::uint32_t next_state, Done done) {
  auto change = std::make_shared<Supervised>();
  change->request_type = LINEPROXYREQUEST_SETAGENTSESSIONSTATE;
  change->apply = [actor, session, state, next_state](CallCenter& model, std::uint32_t request, TimePoint now) {
    Actor a = actor;
    if (a.request == 0) a.request = request;
    return model.set_session_state(a, session, state, next_state, now);
  };
  change->done = std::move(done);
  impl_->supervise(std::move(change));
}

void VirtualAcd::set_agent_state(const Actor& actor, AgentHandle agent, std::uint32_t state,
                                 std::uint32_t next_state, Done done) {
  auto change = std::make_shared<Supervised>();
  change->request_type = LINEPROXYREQUEST_SETAGENTSTATEEX;
  change->apply = [actor, agent, state, next_state](CallCenter& model, std::uint32_t request, TimePoint now) {
    Actor a = actor;
    if (a.request == 0) a.request = request;
    return model.set_agent_state(a, agent, state, next_state, now);
  };
  change->done = std::move(done);
  impl_->supervise(std::move(change));
}

Result<std::vector<store::AuditEntry>> VirtualAcd::audit(std::string_view object_kind, std::string_view object_key,
                                                         std::uint64_t after_seq, std::size_t limit) {
  return impl_->store().audit(object_kind, object_key, after_seq, limit);
}

AcdMetrics VirtualAcd::metrics() { return impl_->metrics(); }

Role VirtualAcd::role_of(std::string_view user) const {
  return impl_->config().is_supervisor(user) ? Role::kSupervisor : Role::kAgent;
}

}  // namespace opentapi::acd
