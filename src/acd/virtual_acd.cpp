// The runtime of the virtual ACD: start and stop, the connection to the
// server, and the three threads with their queues (virtual_acd.h). What a
// request means is decided elsewhere: proxy_request_parser.h reads it,
// request_handler.h applies it, error_codes.h gives its LINE_REPLY code.
// The Supervision interface is in virtual_acd_supervision.cpp.
#include "acd/virtual_acd.h"

#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "acd/board.h"
#include "acd/error_codes.h"
#include "acd/proxy_request_parser.h"
#include "acd/request_handler.h"
#include "acd/virtual_acd_impl.h"
#include "opentapi_ext.h"

namespace opentapi::acd {

using runtime::Output;
using runtime::Task;

// The proxy lines are opened with lineOpenA. A client's output structure
// reaches the proxy with the room the client offered (docs/reference/tapi2-agent.md
// §5.8); UTF-8 text never takes more room than the same text in wchar_t, so
// whatever fits a client's structure, A or W, fits the ACD's answer too:
// a client never gets a partial answer in a buffer big enough for all of it,
// and an A client's dwNeededSize is exact (docs/acd.md "Character set").
constexpr Charset kProxyLineCharset = Charset::kAnsi;

std::string handler_info() { return "opentapi virtual ACD " OPENTAPI_ACD_VERSION; }

// --- start / stop ------------------------------------------------------------------

Status VirtualAcd::Impl::rebuild_model(TimePoint now, std::vector<ChangedObject>* changed) {
  std::vector<store::Record> records;
  if (options_.initial_records) {
    // A warm standby's copy of what the store holds (docs/ha.md "Warm
    // standbys"): the same records load() would return, already here.
    records = std::move(*options_.initial_records);
    options_.initial_records.reset();
    restored_from_ = "copy";
  } else {
    for (const char* kind : CallCenter::kRecordKinds) {
      auto loaded = store_.load(kind);
      if (!loaded) return loaded.status();
      for (store::Record& r : *loaded) records.push_back(std::move(r));
    }
    restored_from_ = "store";
  }
  loaded_at_ = std::chrono::steady_clock::now();
  auto model = CallCenter::restore(config_, records, now);
  if (!model) return model.status();
  auto applied = store_.load(AppliedRequests::kKind);
  if (!applied) return applied.status();
  const std::vector<std::string> expired = applied_.load(*applied, now.unix_ms());
  model_ = std::move(model).value();
  model_->use_pin_verifier(&pin_verifier_, false);
  if (bridge_) {
    bridge_->attach(*model_);
  } else {
    bridge_ = std::make_unique<SwitchCalls>(*model_);
  }
  model_->attach_switch(bridge_.get());
  simulator_.reset();
  if (options_.simulator && config_.simulator.enabled) {
    std::vector<core::QueueId> queues = config_.simulator.queues;
    if (queues.empty()) {
      for (const QueueConfig& q : config_.queues) queues.push_back(q.id);
    }
    simulator_ = std::make_unique<TrafficSimulator>(config_.simulator, queues, now);
    // Through the bridge: its callers become switch calls once the ACD is
    // connected to a server with a trunk (docs/calls.md).
    model_->attach_simulator(simulator_.get(), options_.simulator_on_switch ? bridge_.get() : nullptr);
    model_->adopt_simulator_calls(now);
    model_->log_in_simulated_agents(now);
  }
  Effects fx = model_->take_effects();
  for (const std::string& key : expired) fx.batch.deletes.push_back({AppliedRequests::kKind, key});
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

Status VirtualAcd::Impl::reserve_request_numbers() {
  if (request_ceiling_ == 0) {
    auto stored = store_.get("meta", "request_ids");
    if (!stored) return stored.status();
    std::uint32_t ceiling = 0;
    if (*stored) {
      const std::string& v = (*stored)->value;
      const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), ceiling);
      if (ec != std::errc() || end != v.data() + v.size()) {
        return Status::error(ErrorCode::kOperationFailed, "store: record meta/request_ids: malformed value");
      }
    }
    request_number_ = ceiling;
    request_ceiling_ = ceiling;
  }
  // After 2^32 numbers they start again at 1 (65,536 blocks).
  std::uint32_t next = request_ceiling_ + kRequestBlock;
  if (next < request_ceiling_) {
    next = kRequestBlock;
    request_number_ = 0;
  }
  store::Batch b;
  b.puts.push_back({"meta", "request_ids", std::to_string(next)});
  Status s = store_.commit_and_wait(std::move(b));
  if (!s.ok()) return s;
  request_ceiling_ = next;
  return Status();
}

std::uint32_t VirtualAcd::Impl::next_request_number() {
  if (request_number_ >= request_ceiling_) {
    const Status s = reserve_request_numbers();
    // The store refuses: this request's own changes will be refused as well,
    // so the number it gets is never acknowledged (nor audited).
    if (!s.ok()) log(LogLevel::kWarn, "event=acd-request-ids-not-reserved status=\"" + s.to_string() + "\"");
  }
  return ++request_number_;
}

Status VirtualAcd::Impl::restore() {
  const auto t0 = std::chrono::steady_clock::now();
  Status s = rebuild_model(clock_->now());
  if (!s.ok()) return s;
  s = reserve_request_numbers();
  if (!s.ok()) return s;
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
  {
    std::lock_guard lock(stats_mu_);
    stats_.restore_ms = static_cast<std::uint64_t>(ms.count());
  }
  log(LogLevel::kInfo,
      "event=acd-restored agents=" + std::to_string(model_->agent_count()) + " sessions=" +
          std::to_string(model_->session_count()) + " live_sessions=" + std::to_string(model_->live_session_count()) +
          " calls=" + std::to_string(model_->call_count()) + " ms=" + std::to_string(ms.count()) +
          " source=" + restored_from_ +
          " load_ms=" + std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(loaded_at_ - t0).count()));
  return Status();
}

Status VirtualAcd::Impl::connect() {
  std::unique_lock lock(conn_mu_);
  LINEINITIALIZEEXPARAMS params;
  std::memset(&params, 0, sizeof params);
  params.dwTotalSize = sizeof params;
  params.dwOptions = LINEINITIALIZEEXOPTION_USEEVENT;
  DWORD num_devs = 0;
  DWORD api = kAcdApiHigh;
  HLINEAPP happ = 0;
  LONG rc = lineInitializeExW(&happ, nullptr, nullptr, L"opentapi virtual ACD", &num_devs, &api, &params);
  if (rc != 0) return Status::error(ErrorCode::kOperationFailed, "lineInitializeExW failed: " + lineerr_text(rc));
  std::map<std::uint32_t, HLINE> lines;
  const auto fail = [&](const std::string& what) {
    lineShutdown(happ);
    return Status::error(ErrorCode::kOperationFailed, what);
  };
  std::vector<unsigned char> call_params = proxy_open_call_params();
  for (std::uint32_t device : config_.lines) {
    if (device >= num_devs) {
      return fail("line device " + std::to_string(device) + " is not offered by the server (it has " +
                  std::to_string(num_devs) + " devices; see [server] lines)");
    }
    DWORD version = 0;
    LINEEXTENSIONID ext;
    rc = lineNegotiateAPIVersion(happ, device, kAcdApiLow, kAcdApiHigh, &version, &ext);
    if (rc != 0)
      return fail("line device " + std::to_string(device) + ": lineNegotiateAPIVersion failed: " + lineerr_text(rc));
    HLINE hline = 0;
    rc = lineOpenA(happ, device, &hline, version, 0, device, LINECALLPRIVILEGE_NONE | LINEOPENOPTION_PROXY, 0,
                   reinterpret_cast<LPLINECALLPARAMS>(call_params.data()));
    if (rc != 0) {
      return fail(
          "line device " + std::to_string(device) + ": lineOpenA as proxy failed: " + lineerr_text(rc) +
          (rc == static_cast<LONG>(LINEERR_NOTREGISTERED) ? " (another proxy serves request types on it)" : ""));
    }
    lines[device] = hline;
  }
  Status calls = open_switch_lines(happ, num_devs);
  if (!calls.ok()) return fail(calls.message());
  happ_ = happ;
  event_fd_ = opentapi_event_fd(params.Handles.hEvent);
  lines_ = std::move(lines);
  devices_.clear();
  for (const auto& [device, hline] : lines_) devices_[hline] = device;
  connected_ = true;
  ++epoch_;
  lock.unlock();
  log(LogLevel::kInfo,
      "event=acd-connected lines=" + std::to_string(lines_.size()) + " devices=" + std::to_string(num_devs));
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
  switch_ = SwitchLines{};
  {
    std::lock_guard lock(switch_mu_);
    pending_.clear();
  }
  connected_ = false;
}

void VirtualAcd::Impl::start_threads() {
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  started_ = true;
  connect_at_ = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mu_);
    tasks_.push_back(Task{Task::Kind::kConnected, 0, 0, 0, nullptr, nullptr, nullptr, nullptr, {}});
  }
  model_thread_ = std::thread([this] { model_loop(); });
  // Named for per-thread profiles (docs/performance.md "Profiling").
  ::pthread_setname_np(model_thread_.native_handle(), "acd-model");
}

void VirtualAcd::Impl::stop() {
  if (stopped_) return;
  stopped_ = true;
  if (started_) {
    {
      std::lock_guard lock(mu_);
      stop_model_ = true;
    }
    wake();
    model_thread_.join();
    pin_worker_.reset();   // its callbacks post to the model thread's queue
    (void)store_.flush();  // every callback has run: every output can go
    deliver();
    {
      std::lock_guard lock(rmu_);
      if (!outputs_.empty()) {
        log(LogLevel::kWarn, "event=acd-outputs-not-durable-at-stop outputs=" + std::to_string(outputs_.size()));
      }
    }
    ::close(wake_fd_);
  }
  std::unique_lock lock(conn_mu_);
  disconnect_locked();
  log(LogLevel::kInfo, "event=acd-stopped");
}

void VirtualAcd::Impl::wake() {
  {
    std::lock_guard lock(mu_);
    if (!waiting_) return;  // not in poll: it looks at the queue before it sleeps
    waiting_ = false;       // one write per sleep
  }
  const std::uint64_t one = 1;
  if (::write(wake_fd_, &one, sizeof one) < 0)
    log(LogLevel::kWarn, "event=acd-wake-failed errno=" + std::to_string(errno));
}

void VirtualAcd::Impl::sync() {
  auto done = std::make_shared<std::promise<void>>();
  auto future = done->get_future();
  if (!post(Task{Task::Kind::kSync, 0, 0, 0, nullptr, done, nullptr, nullptr, {}})) return;
  future.wait();
}

VirtualAcdStats VirtualAcd::Impl::stats() const {
  std::lock_guard lock(stats_mu_);
  return stats_;
}

// --- the connection, on the model thread ---------------------------------------------

void VirtualAcd::Impl::connect_if_due() {
  {
    std::shared_lock lock(conn_mu_);
    if (connected_) return;
  }
  const auto wall = std::chrono::steady_clock::now();
  if (wall < connect_at_) return;
  connect_at_ = wall + options_.reconnect_interval;
  Status c = connect();
  if (!c.ok()) {
    if (c.message() != last_connect_error_) {
      log(LogLevel::kWarn, "event=acd-connect-failed status=\"" + c.to_string() +
                               "\" retry_ms=" + std::to_string(options_.reconnect_interval.count()));
      last_connect_error_ = c.message();
    }
    return;
  }
  last_connect_error_.clear();
  {
    std::lock_guard lock(stats_mu_);
    ++stats_.reconnects;
  }
  std::lock_guard lock(mu_);
  tasks_.push_back(Task{Task::Kind::kConnected, 0, 0, 0, nullptr, nullptr, nullptr, nullptr, {}});
}

void VirtualAcd::Impl::read_messages(std::deque<Task>& tasks) {
  bool lost = false;
  {
    std::shared_lock lock(conn_mu_);
    if (!connected_) return;
    LINEMESSAGE m;
    while (lineGetMessage(happ_, &m, 0) == 0) {
      if (m.dwMessageID == LINE_PROXYREQUEST) {
        auto it = devices_.find(m.hDevice);
        // TAPI hands the request over as its address in dwParam1.
        auto* request = reinterpret_cast<LPLINEPROXYREQUEST>(m.dwParam1);  // NOLINT(performance-no-int-to-ptr)
        if (request == nullptr) continue;
        if (it == devices_.end()) {
          // Not a line we opened as proxy: answer rather than leave the client waiting.
          (void)lineProxyResponse(m.hDevice, request, static_cast<DWORD>(LINEERR_OPERATIONFAILED));
          continue;
        }
        tasks.push_back(
            Task{Task::Kind::kRequest, epoch_, m.hDevice, it->second, request, nullptr, nullptr, nullptr, {}});
      } else if (m.dwMessageID == LINE_APPNEWCALL || m.dwMessageID == LINE_CALLSTATE || m.dwMessageID == LINE_REPLY) {
        if (auto fact = call_fact(m)) {
          Task t;
          t.kind = Task::Kind::kCallFact;
          t.epoch = epoch_;
          t.fact = std::move(*fact);
          tasks.push_back(std::move(t));
        }
      } else if (m.dwMessageID == LINE_CLOSE ||
                 (m.dwMessageID == LINE_LINEDEVSTATE && (m.dwParam1 & LINEDEVSTATE_REINIT) != 0)) {
        lost = true;
      }
    }
  }
  if (lost) {
    std::unique_lock lock(conn_mu_);
    disconnect_locked();
    lock.unlock();
    connect_at_ = std::chrono::steady_clock::now() + options_.reconnect_interval;
    log(LogLevel::kWarn, "event=acd-disconnected reason=\"server closed the lines\" retry_ms=" +
                             std::to_string(options_.reconnect_interval.count()));
  }
}

// --- model thread ------------------------------------------------------------------

void VirtualAcd::Impl::model_loop() {
  // One thread waits on the server's USEEVENT descriptor and on its own
  // eventfd (tasks from other threads, stop, reload), and runs the timers
  // from poll's timeout: a request goes from libopentapi's receiver to the
  // model without another thread in between.
  for (;;) {
    connect_if_due();
    int fd = -1;
    {
      std::shared_lock lock(conn_mu_);
      fd = connected_ ? event_fd_ : -1;
    }
    bool idle = false;
    {
      std::lock_guard lock(mu_);
      idle = tasks_.empty() && !stop_model_ && !reload_needed_;
      waiting_ = idle;
    }
    if (idle) {
      auto wait = options_.idle_tick;
      if (auto next = model_->next_deadline()) {
        const std::int64_t delta = next->unix_ms() - clock_->now().unix_ms();
        wait = std::clamp(std::chrono::milliseconds(delta), std::chrono::milliseconds(0), options_.idle_tick);
      }
      if (fd < 0) {
        const auto until =
            std::chrono::duration_cast<std::chrono::milliseconds>(connect_at_ - std::chrono::steady_clock::now());
        wait = std::clamp(until + std::chrono::milliseconds(1), std::chrono::milliseconds(0), wait);
      }
      pollfd fds[2] = {{wake_fd_, POLLIN, 0}, {fd, POLLIN, 0}};
      if (::poll(fds, fd < 0 ? 1 : 2, static_cast<int>(wait.count())) < 0 && errno != EINTR) {
        log(LogLevel::kError, "event=acd-poll-failed errno=" + std::to_string(errno));
      }
      {
        std::lock_guard lock(mu_);
        waiting_ = false;
      }
      // Written only while waiting_ was set: clear it before taking the queue.
      std::uint64_t drained = 0;
      (void)!::read(wake_fd_, &drained, sizeof drained);
    }
    std::deque<Task> tasks;
    bool stopping = false;
    {
      std::lock_guard lock(mu_);
      stopping = stop_model_;
      if (stopping && tasks_.empty()) return;
      tasks.swap(tasks_);
    }
    if (!stopping) read_messages(tasks);
    const TimePoint now = clock_->now();
    summarise_floods(now);
    if (reload_needed_.exchange(false)) {
      // docs/acd.md "When the store fails": what is durable is the truth.
      (void)store_.flush();
      reloaded_at_batch_ = submitted_;
      std::vector<ChangedObject> changed;
      Status s = rebuild_model(now, &changed);
      log_flood(reload_flood_, s.ok() ? LogLevel::kWarn : LogLevel::kError,
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
        deliver();
      }
    }
    resolve_in_doubt(now);
    model_->advance_to(now);
    submit(Output{}, now);
    for (const Task& t : tasks) handle(t, now);
    // live_session_count() walks every agent: with 100 000 agents, counting
    // after every batch cost most of the model thread's time. The figure is
    // a gauge for logs and /metrics, so four times a second is enough — and
    // no more than 1/kGaugeShare of the thread's time: with 1 000 000 agents
    // one walk takes ~0.1 s, and counting every 250 ms took most of the
    // model thread again (docs/performance.md "Scale").
    constexpr int kGaugeShare = 20;
    const auto wall = std::chrono::steady_clock::now();
    const bool recount = wall - live_counted_at_ >= recount_every_;
    const std::size_t live = recount ? model_->live_session_count() : 0;
    const CallCenter::CallCounts by_phase = recount ? model_->call_counts() : CallCenter::CallCounts{};
    if (recount) {
      live_counted_at_ = std::chrono::steady_clock::now();
      recount_every_ = std::max<std::chrono::steady_clock::duration>(std::chrono::milliseconds(250),
                                                                     kGaugeShare * (live_counted_at_ - wall));
    }
    const CallCenter::PinCounters pins = model_->pin_counters();
    std::lock_guard lock(stats_mu_);
    stats_.pin_wrong = pins.wrong;
    stats_.pin_locked_out = pins.locked_out;
    stats_.pin_lockouts = pins.lockouts;
    stats_.pin_checks_busy = pin_worker_->refused();
    if (recount) stats_.live_sessions = live;
    if (recount) stats_.calls_by_phase = by_phase;
    stats_.agents = model_->agent_count();
    stats_.calls = model_->call_count();
  }
}

void VirtualAcd::Impl::describe_changes(const std::vector<ChangedObject>& changed, TimePoint now, Output& out) const {
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
  if (bridge_) {
    std::vector<SwitchAction> actions = bridge_->take_actions();
    if (!actions.empty()) {
      out.switch_actions.insert(out.switch_actions.end(), actions.begin(), actions.end());
      out.actions_epoch = bridge_epoch_;
    }
  }
  // Behind the task's own (kConnected's group and queue announcements).
  out.announcements.insert(out.announcements.end(), fx.announcements.begin(), fx.announcements.end());
  out.state_changes = fx.state_changes;
  describe_changes(fx.changed, now, out);
  // A request that changed something, with an origin: its outcome goes into
  // the same batch, so a retry finds it exactly when the change is durable.
  if (!fx.batch.empty() && !out.origin.empty() && out.request != nullptr && out.result == 0) {
    AppliedRequest applied;
    applied.result = out.result;
    applied.time_ms = now.unix_ms();
    const DWORD type = out.request->dwRequestType;
    if (type == LINEPROXYREQUEST_CREATEAGENT || type == LINEPROXYREQUEST_CREATEAGENTSESSION) {
      const std::span<unsigned char> bytes = proxy_request_bytes(out.request);
      applied.buffer.assign(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    }
    applied_.add(out.origin, std::move(applied), fx.batch);
    out.recorded = true;
  }
  if (!fx.batch.empty()) {
    const std::uint64_t n = ++submitted_;
    out.batch = n;
    out.own_batch = true;
    out.audit_count = static_cast<std::uint32_t>(fx.batch.audit.size());
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
    store_.commit(std::move(fx.batch),
                  [this, n](const Status& s, std::uint64_t last_seq) { on_durable(n, s, last_seq); });
    return;
  }
  if (!out.has_work()) return;
  out.batch = submitted_;  // reads wait for every earlier change
  {
    std::lock_guard lock(rmu_);
    outputs_.push_back(std::move(out));
  }
  deliver();
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
      const Status s = task.supervised->apply(*model_, next_request_number(), now);
      if (!s.ok()) log(LogLevel::kDebug, "event=acd-supervision-refused status=\"" + s.to_string() + "\"");
      out.supervised_status = tapi_status(out.request_type, s);
      submit(std::move(out), now);
      return;
    }
    case Task::Kind::kCallFact:
      if (task.epoch == bridge_epoch_) bridge_->on(task.fact, now);
      submit(Output{}, now);
      return;
    case Task::Kind::kConnected: {
      // A new connection: the bridge learns its numbers and takes up the
      // calls the model still tracks (docs/calls.md "Restarts").
      {
        std::shared_lock conn(conn_mu_);
        if (connected_ && epoch_ != bridge_epoch_) {
          SwitchNumbers numbers = switch_.numbers;
          bridge_epoch_ = epoch_;
          conn.unlock();
          bridge_->connected(std::move(numbers), now);
        }
      }
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
      // already (docs/reference/flows.md §2.1 step 5); its buffer must not be touched.
      if (task.epoch != epoch_) return;
      // A request sent again by a client that lost its server: answered from
      // what the first one stored, never applied twice (applied_requests.h).
      const std::string origin = origin_of(task);
      if (const AppliedRequest* applied = origin.empty() ? nullptr : applied_.find(origin)) {
        Output out;
        out.request_type = task.request->dwRequestType;
        out.result = applied->result;
        if (!applied->buffer.empty()) {
          const std::span<unsigned char> bytes = proxy_request_bytes(task.request);
          if (bytes.size() == applied->buffer.size()) {
            std::memcpy(bytes.data(), applied->buffer.data(), bytes.size());
          } else {
            out.result = reply_code(out.request_type, ErrorCode::kOperationFailed);
          }
        }
        out.epoch = task.epoch;
        out.hline = task.hline;
        out.request = task.request;
        conn.unlock();
        {
          std::lock_guard lock(stats_mu_);
          ++stats_.replayed_requests;
        }
        log(LogLevel::kInfo, "event=acd-request-replayed origin=" + origin + " result=" + std::to_string(out.result));
        submit(std::move(out), now);
        return;
      }
      const PinHandOff pin = task.pin_checked ? PinHandOff::kNotNeeded : hand_pin_check_off(task, now);
      if (pin == PinHandOff::kHandedOff) return;
      Output out;
      if (pin == PinHandOff::kBusy) {
        out.request_type = task.request->dwRequestType;
        out.result = reply_code(out.request_type, ErrorCode::kResourceUnavail);
      } else {
        out = serve(task.request, task.device, now);
      }
      out.epoch = task.epoch;
      out.hline = task.hline;
      out.request = task.request;
      out.origin = origin;
      conn.unlock();
      submit(std::move(out), now);
      return;
    }
  }
}

void VirtualAcd::Impl::resolve_in_doubt(TimePoint now) {
  std::vector<InDoubt> pending;
  {
    std::lock_guard lock(in_doubt_mu_);
    if (in_doubt_.empty()) return;
    const auto wall = std::chrono::steady_clock::now();
    if (wall < next_doubt_check_) return;
    next_doubt_check_ = wall + std::chrono::milliseconds(200);
    // Only requests whose commit had finished before the store is read.
    pending.swap(in_doubt_);
  }
  // What is durable now is the truth (docs/acd.md "When the store fails");
  // it includes the AppliedRequest of every request whose commit landed.
  (void)store_.flush();
  reloaded_at_batch_ = submitted_;
  const Status s = rebuild_model(now);
  constexpr auto kGiveUp = std::chrono::seconds(10);
  std::vector<InDoubt> still;
  std::shared_lock conn(conn_mu_);
  for (InDoubt& d : pending) {
    LONG result = reply_code(d.request_type, ErrorCode::kOperationFailed);
    if (!s.ok()) {
      // The store cannot be read yet: wait, within a bound; then the
      // outcome stays in doubt and is answered as a failure.
      if (std::chrono::steady_clock::now() - d.since < kGiveUp) {
        still.push_back(std::move(d));
        continue;
      }
    } else if (const AppliedRequest* applied = applied_.find(d.origin)) {
      result = applied->result;
      if (!applied->buffer.empty()) {
        const std::span<unsigned char> bytes = proxy_request_bytes(d.request);
        if (d.epoch == epoch_ && connected_ && bytes.size() == applied->buffer.size()) {
          std::memcpy(bytes.data(), applied->buffer.data(), bytes.size());
        } else {
          result = reply_code(d.request_type, ErrorCode::kOperationFailed);
        }
      }
    }
    if (d.epoch != epoch_ || !connected_) continue;  // the server failed it with the connection
    log(LogLevel::kInfo, "event=acd-in-doubt-resolved origin=" + d.origin + " result=" + std::to_string(result));
    const LONG rc = lineProxyResponse(d.hline, d.request, static_cast<DWORD>(result));
    if (rc != 0) log(LogLevel::kWarn, "event=acd-response-failed rc=" + lineerr_text(rc));
  }
  conn.unlock();
  if (!still.empty()) {
    std::lock_guard lock(in_doubt_mu_);
    in_doubt_.insert(in_doubt_.begin(), std::make_move_iterator(still.begin()), std::make_move_iterator(still.end()));
  }
}

std::string VirtualAcd::Impl::origin_of(const Task& task) const {
  unsigned char instance[64];
  DWORD size = 0;
  unsigned long long origin = 0;
  if (opentapi_proxy_request_origin(task.hline, task.request, instance, sizeof instance, &size, &origin) != 0)
    return {};
  return AppliedRequests::key(std::string_view(reinterpret_cast<const char*>(instance), size), origin);
}

// Parses the request, lets the handler apply it, and keeps its LINE_REPLY
// code; the output structures are filled in place.
Output VirtualAcd::Impl::serve(LPLINEPROXYREQUEST request, std::uint32_t device, TimePoint now) {
  const ProxyRequest parsed = parse_proxy_request(proxy_request_bytes(request), kProxyLineCharset);
  Actor actor;
  actor.request = next_request_number();
  actor.user = parsed.user;
  const Status status = handle_proxy_request(*model_, parsed, actor, device, now);
  if (!status.ok()) {
    log(LogLevel::kDebug,
        "event=acd-refused type=" + std::to_string(parsed.type) + " status=\"" + status.to_string() + "\"");
  }
  Output out;
  out.request_type = parsed.type;
  out.result = reply_code(parsed.type, status.code());
  return out;
}

VirtualAcd::Impl::PinHandOff VirtualAcd::Impl::hand_pin_check_off(const Task& task, TimePoint now) {
  const DWORD type = task.request->dwRequestType;
  if (type != LINEPROXYREQUEST_CREATEAGENT && type != LINEPROXYREQUEST_CREATEAGENTSESSION) {
    return PinHandOff::kNotNeeded;
  }
  const ProxyRequest parsed = parse_proxy_request(proxy_request_bytes(task.request), kProxyLineCharset);
  Actor actor;
  actor.user = parsed.user;
  auto check = slow_pin_check(*model_, parsed, actor, now);
  if (!check) return PinHandOff::kNotNeeded;
  Task again = task;
  again.pin_checked = true;
  if (pin_worker_->submit(std::move(check->stored), std::move(check->presented),
                          [this, again = std::move(again)]() mutable { (void)post(std::move(again)); })) {
    return PinHandOff::kHandedOff;
  }
  log(LogLevel::kWarn, "event=acd-pin-checks-busy queued=" + std::to_string(PinCheckWorker::kMaxQueued));
  return PinHandOff::kBusy;
}

// --- delivery, once durable ------------------------------------------------------------

namespace {
// The VirtualAcd whose outputs this thread is delivering (deliver()), if any:
// board() and subscribe() refuse there, since they would wait for themselves.
thread_local const VirtualAcd::Impl* tl_delivering = nullptr;
}  // namespace

bool VirtualAcd::Impl::delivering_here() const { return tl_delivering == this; }

void VirtualAcd::Impl::on_durable(std::uint64_t batch, const Status& status, std::uint64_t last_seq) {
  // Before anything is answered: whoever sees the refusal finds the model
  // already marked for reloading.
  if (!status.ok()) reload_needed_ = true;
  {
    std::lock_guard lock(rmu_);
    done_batch_ = std::max(done_batch_, batch);
    if (!status.ok()) failed_[batch] = status.code();
    // Its output is among the last queued: the seqs its announcements carry.
    for (auto it = outputs_.rbegin(); status.ok() && it != outputs_.rend(); ++it) {
      if (it->batch < batch) break;
      if (it->batch == batch && it->own_batch) {
        it->last_seq = last_seq;
        break;
      }
    }
  }
  if (!status.ok()) {
    {
      std::lock_guard lock(stats_mu_);
      ++stats_.failed_commits;
    }
    log_flood(commit_failed_flood_, LogLevel::kError,
              "event=acd-commit-failed batch=" + std::to_string(batch) + " status=\"" + status.to_string() + "\"");
    wake();
  }
  // Once the whole group is durable and its callbacks have run: its
  // responses and announcements then leave in one write (step 12).
  bool schedule = false;
  {
    std::lock_guard lock(rmu_);
    schedule = !deliver_after_group_;
    deliver_after_group_ = true;
  }
  if (schedule) {
    store::Store::after_group([this] {
      {
        std::lock_guard lock(rmu_);
        deliver_after_group_ = false;
      }
      deliver();
    });
  }
}

void VirtualAcd::Impl::deliver() {
  std::unique_lock lock(rmu_);
  if (delivering_) return;  // that thread looks at the queue again before it stops
  delivering_ = true;
  const VirtualAcd::Impl* outer = tl_delivering;
  tl_delivering = this;
  auto ready = [this] { return !outputs_.empty() && outputs_.front().batch <= done_batch_; };
  while (ready()) {
    // What a pass sends leaves in one write (a group's responses and
    // announcements; docs/performance.md step 12), written before another
    // thread may deliver: the next outputs go behind it.
    opentapi_begin_send_batch();
    while (ready()) {
      Output out = std::move(outputs_.front());
      outputs_.pop_front();
      std::optional<ErrorCode> failure;
      if (out.own_batch) {
        auto f = failed_.find(out.batch);
        if (f != failed_.end()) failure = f->second;
        failed_.erase(failed_.begin(), failed_.upper_bound(out.batch));
      }
      lock.unlock();
      send_output(out, failure);
      lock.lock();
    }
    lock.unlock();
    if (const LONG rc = opentapi_end_send_batch(); rc != 0) {
      log(LogLevel::kWarn, "event=acd-response-failed rc=" + lineerr_text(rc));
    }
    lock.lock();
  }
  delivering_ = false;
  tl_delivering = outer;
}

void VirtualAcd::Impl::send_output(Output& out, std::optional<ErrorCode> failure) {
  if (failure) last_failed_batch_ = out.batch;
  if (out.done && out.request == nullptr && out.announcements.empty() && !out.supervised && out.change_count == 0 &&
      !out.board) {
    flush_sends();
    out.done->set_value();
    return;
  }
  std::uint64_t responses = 0;
  std::uint64_t announcements = 0;
  {
    std::shared_lock conn(conn_mu_);
    // lineProxyResponse and lineProxyMessage do not wait for the server
    // (docs/performance.md, step 3): a group's answers leave from the
    // store's callback without blocking the next commit for a round trip.
    if (out.request != nullptr && out.epoch == epoch_ && connected_) {
      // ACK only after durable: a failed commit answers the store's error
      // (RESOURCEUNAVAIL stays, anything else becomes OPERATIONFAILED).
      LONG result = out.result;
      if (failure) {
        result = reply_code(out.request_type,
                            *failure == ErrorCode::kResourceUnavail ? *failure : ErrorCode::kOperationFailed);
      }
      if (failure && *failure == ErrorCode::kOperationFailed && out.recorded) {
        // The commit may have landed (docs/store.md: in doubt): the answer
        // waits until the store can tell, so a change that was applied is
        // never answered as failed.
        std::lock_guard lock(in_doubt_mu_);
        in_doubt_.push_back(
            {out.hline, out.request, out.epoch, out.request_type, out.origin, std::chrono::steady_clock::now()});
      } else {
        const LONG rc = lineProxyResponse(out.hline, out.request, static_cast<DWORD>(result));
        if (rc != 0) log(LogLevel::kWarn, "event=acd-response-failed rc=" + lineerr_text(rc));
        ++responses;
      }
    }
  }
  if (out.supervised) {
    // Whoever learns the outcome finds the response already written.
    flush_sends();
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
        // The change's event-log seq, which a resumed line's replay starts
        // after (docs/ha.md "Status messages replayed").
        const std::uint64_t seq = a.entry != 0 && a.entry <= out.audit_count && out.last_seq != 0
                                      ? out.last_seq - out.audit_count + a.entry
                                      : 0;
        const LONG rc = opentapi_proxy_message_seq(line->second, 0, a.msg, a.param1, a.param2, a.param3, seq);
        if (rc != 0)
          log(LogLevel::kDebug, "event=acd-announce-failed msg=" + std::to_string(a.msg) + " rc=" + lineerr_text(rc));
        ++announcements;
      }
    }
  }
  if (!failure && !out.switch_actions.empty()) run_switch_actions(out);
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
  if (out.done) {
    // A waiter (a sync, a stop) finds everything before it written.
    flush_sends();
    out.done->set_value();
  }
}

void VirtualAcd::Impl::flush_sends() {
  // Ends this thread's send batch and opens the next one.
  if (const LONG rc = opentapi_end_send_batch(); rc != 0) {
    log(LogLevel::kWarn, "event=acd-response-failed rc=" + lineerr_text(rc));
  }
  opentapi_begin_send_batch();
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

}  // namespace opentapi::acd
