#include "client/application.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>

#include "client/registry.h"
#include "client/socket.h"
#include "proto/framing.h"
#include "opentapi_ext.h"  // tapi.h + LINEDEVSTATE_REINIT

namespace opentapi::client {
namespace {

using std::chrono::milliseconds;

// How long lineInitializeEx waits for Welcome, and a synchronous call for its
// Result. The server answers at once; these only stop a wedged server from
// hanging the application forever.
constexpr milliseconds kHandshakeTimeout{10'000};
constexpr milliseconds kCallTimeout{60'000};

// LINE_REPLY's dwParam2 holds the LONG result sign-extended, so both
// `(LONG)msg.dwParam2 == LINEERR_X` and `msg.dwParam2 == LINEERR_X` hold.
std::uintptr_t result_param(std::int32_t result) {
  return static_cast<std::uintptr_t>(static_cast<std::intptr_t>(result));
}

std::string host_name() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "localhost";
  return buf;
}

// Says Hello and waits for the server's answer. Returns 0 with *welcome, or a
// LINEERR_*; `decoder` keeps whatever arrived after the Welcome.
std::int32_t handshake(int fd, const ConnectOptions& options, bool tcp, proto::FrameDecoder& decoder,
                       wire::Welcome* welcome) {
  wire::ClientToServer hello;
  auto* h = hello.mutable_hello();
  h->set_protocol_version(proto::kProtocolVersion);
  h->set_app_api_version(options.api_version);
  h->set_app_name(options.app_name);
  if (tcp) {
    if (const char* token = std::getenv("OPENTAPI_TOKEN")) h->set_token(token);
  }
  h->set_machine(host_name());
  h->set_pid(static_cast<std::uint32_t>(::getpid()));
  if (!write_all(fd, proto::encode_frame(hello))) return LINEERR_OPERATIONFAILED;

  const auto deadline = std::chrono::steady_clock::now() + kHandshakeTimeout;
  char buf[4096];
  for (;;) {
    wire::ServerToClient msg;
    const auto status = decoder.next(msg);
    if (status == proto::FrameDecoder::Status::kMessage) {
      if (msg.has_welcome()) {
        *welcome = msg.welcome();
        return 0;
      }
      if (msg.has_error() && msg.error().code() < 0) return msg.error().code();
      return LINEERR_OPERATIONFAILED;
    }
    if (status != proto::FrameDecoder::Status::kNeedMore) return LINEERR_OPERATIONFAILED;
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || !wait_readable(fd, left)) return LINEERR_OPERATIONFAILED;
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return LINEERR_OPERATIONFAILED;
    decoder.feed(std::string_view(buf, static_cast<std::size_t>(n)));
  }
}

}  // namespace

std::int32_t Application::connect(ConnectOptions options, std::shared_ptr<Application>* out) {
  const proto::ParsedAddress address = proto::client_server_address();
  if (!address) return LINEERR_INIFILECORRUPT;
  const bool tcp = address.address->kind == proto::ServerAddress::Kind::kTcp;
  const int fd = connect_socket(*address.address);
  // Nothing listening, or nothing there at all: the telephony service is
  // not running (the Windows code for an unreachable TAPISRV).
  if (fd < 0) return LINEERR_SERVICE_NOT_RUNNING;

  proto::FrameDecoder decoder;
  wire::Welcome welcome;
  const std::int32_t rc = handshake(fd, options, tcp, decoder, &welcome);
  if (rc != 0) {
    ::close(fd);
    return rc;
  }

  std::shared_ptr<Application> app(new Application());
  app->fd_ = fd;
  app->num_devices_ = welcome.num_devices();
  app->server_api_version_ = welcome.server_api_version();
  app->app_api_version_ = options.api_version;
  app->callback_ = std::move(options.callback);
  app->build_proxy_request_ = std::move(options.build_proxy_request);
  app->queue_ = std::make_unique<MessageQueue>(!app->callback_);
  if (!app->callback_ && app->queue_->event_fd() < 0) return LINEERR_RESOURCEUNAVAIL;
  try {
    // The dispatcher holds a reference: a callback may call lineShutdown and
    // drop every other one while the loop still runs.
    if (app->callback_) app->dispatcher_ = std::thread([self = app] { self->dispatch_loop(); });
  } catch (const std::system_error&) {
    app->shutdown();
    return LINEERR_RESOURCEUNAVAIL;
  }
  // Whatever arrived behind the Welcome, before anyone else can read.
  app->decoder_ = std::move(decoder);
  if (!app->handle_buffered()) {
    app->shutdown();
    return LINEERR_OPERATIONFAILED;
  }
  app->ticket_ = Receiver::instance().watch(fd, app.get());
  if (app->ticket_ == 0) {
    app->shutdown();
    return LINEERR_RESOURCEUNAVAIL;
  }
  *out = std::move(app);
  return 0;
}

Application::~Application() {
  shutdown();
  if (fd_ >= 0) ::close(fd_);
}

std::int32_t Application::unavailable_code_locked() const {
  return state_ == State::kShutdown ? LINEERR_INVALAPPHANDLE : LINEERR_OPERATIONFAILED;
}

bool Application::send_frame(const std::string& frame, bool blocking) {
  if (frame.empty()) return false;
  if (blocking) {
    std::lock_guard lock(send_mu_);
    return write_all(fd_, frame);
  }
  std::unique_lock lock(send_mu_, std::try_to_lock);
  if (!lock) return false;
  return ::send(fd_, frame.data(), frame.size(), MSG_NOSIGNAL | MSG_DONTWAIT) ==
         static_cast<ssize_t>(frame.size());
}

bool Application::send_only(const wire::ClientToServer& msg) { return send_frame(proto::encode_frame(msg), true); }

std::int32_t Application::post(const wire::ClientToServer& msg) {
  {
    std::lock_guard lock(mu_);
    if (state_ != State::kRunning) return unavailable_code_locked();
  }
  const std::string frame = proto::encode_frame(msg);
  if (frame.empty()) return LINEERR_INVALPARAM;  // larger than a frame may be
  if (send_frame(frame, true)) return 0;
  std::lock_guard lock(mu_);
  return state_ == State::kShutdown ? LINEERR_INVALAPPHANDLE : LINEERR_OPERATIONFAILED;
}

std::int32_t Application::exchange(wire::ClientToServer& msg, const std::shared_ptr<Pending>& slot,
                                   wire::Result* result) {
  std::uint32_t seq;
  {
    std::lock_guard lock(mu_);
    if (state_ != State::kRunning) return unavailable_code_locked();
    do {
      seq = ++next_seq_;
    } while (seq == 0 || calls_.count(seq) != 0);
    calls_.emplace(seq, slot);
  }
  msg.set_seq(seq);
  const std::string frame = proto::encode_frame(msg);
  if (frame.empty()) {
    std::lock_guard lock(mu_);
    calls_.erase(seq);
    return LINEERR_INVALPARAM;  // larger than a frame may be
  }
  const bool sent = send_frame(frame, true);
  const auto deadline = std::chrono::steady_clock::now() + kCallTimeout;
  std::unique_lock lock(mu_);
  while (sent && !slot->done && state_ == State::kRunning && std::chrono::steady_clock::now() < deadline) {
    // Read the answer ourselves if nobody else is reading: no hand-off from
    // the receiver thread to this one.
    lock.unlock();
    const bool reading = take_reading();
    if (reading) read_as_caller([&] { return slot->done; }, deadline);
    lock.lock();
    if (!reading && !slot->done && state_ == State::kRunning) calls_cv_.wait_until(lock, deadline);
  }
  if (slot->done) {
    *result = slot->result;
    return 0;
  }
  calls_.erase(seq);
  return state_ == State::kRunning ? LINEERR_OPERATIONFAILED : unavailable_code_locked();
}

std::int32_t Application::call(wire::ClientToServer& msg, wire::Result* result) {
  return exchange(msg, std::make_shared<Pending>(), result);
}

std::int32_t Application::start_request(wire::ClientToServer& msg, OutputSink sink) {
  auto slot = std::make_shared<Pending>();
  slot->is_request = true;
  slot->sink = std::move(sink);
  wire::Result result;
  const std::int32_t rc = exchange(msg, slot, &result);
  if (rc != 0) return rc;
  // An asynchronous function never returns 0 (§1.3).
  return result.result() == 0 ? LINEERR_OPERATIONFAILED : result.result();
}

std::int32_t Application::open_line(wire::ClientToServer& msg, bool wide, std::uintptr_t instance,
                                    LineInfo* line) {
  auto slot = std::make_shared<Pending>();
  slot->is_open = true;
  slot->open_wide = wide;
  slot->open_proxy = msg.has_open() && (msg.open().privileges() & LINEOPENOPTION_PROXY) != 0;
  slot->open_instance = instance;
  wire::Result result;
  const std::int32_t rc = exchange(msg, slot, &result);
  if (rc != 0) return rc;
  if (result.result() != 0) return result.result();
  if (slot->opened.hline == 0) return LINEERR_OPERATIONFAILED;
  *line = slot->opened;
  return 0;
}

std::int32_t Application::close_line(std::uint32_t hline) {
  LineInfo info;
  {
    std::lock_guard lock(mu_);
    const auto it = lines_.find(hline);
    if (it == lines_.end()) return LINEERR_INVALLINEHANDLE;
    info = it->second;
    by_server_line_.erase(info.server_hline);
    lines_.erase(it);
  }
  // Requests not yet seen by the application go with the line; the server
  // completes them towards their clients (§3.4 lineClose).
  const auto dropped = queue_->remove_if(
      [hline](const LineMessage& m) { return m.id == LINE_PROXYREQUEST && m.device == hline; });
  {
    std::lock_guard lock(mu_);
    for (const auto& m : dropped) issued_.erase(reinterpret_cast<const void*>(m.param1));
  }
  wire::ClientToServer msg;
  msg.mutable_close()->set_hline(info.server_hline);
  wire::Result result;
  const std::int32_t rc = call(msg, &result);
  return rc != 0 ? rc : result.result();
}

std::optional<LineInfo> Application::line(std::uint32_t hline) const {
  std::lock_guard lock(mu_);
  const auto it = lines_.find(hline);
  if (it == lines_.end()) return std::nullopt;
  return it->second;
}

std::int32_t Application::get_message(std::uint32_t timeout_ms, LineMessage* out) {
  if (callback_) return LINEERR_INVALAPPHANDLE;
  {
    std::lock_guard lock(mu_);
    if (state_ == State::kShutdown) return LINEERR_INVALAPPHANDLE;
  }
  // Messages come from whoever reads the connection (normally the
  // receiver, which takes every application's frames in one wake-up). This
  // thread does not read the connection itself here, unlike a call waiting
  // for its Result: an application whose line carries other applications'
  // status messages would then wake once per message instead of once per
  // batch (measured: more context switches per request with 64 applications
  // on one line, docs/performance.md).
  std::optional<milliseconds> timeout;
  if (timeout_ms != INFINITE) timeout = milliseconds(timeout_ms);
  switch (queue_->pop(timeout, out)) {
    case MessageQueue::Pop::kMessage:
      return 0;
    case MessageQueue::Pop::kTimeout:
      return LINEERR_OPERATIONFAILED;
    case MessageQueue::Pop::kClosed:
      break;
  }
  return LINEERR_INVALAPPHANDLE;
}

std::int32_t Application::take_proxy_request(const void* buffer, std::uint32_t hline, IssuedProxyRequest* out) {
  std::lock_guard lock(mu_);
  const auto it = issued_.find(buffer);
  if (it == issued_.end()) return LINEERR_INVALPOINTER;
  if (it->second.hline != hline) return LINEERR_INVALLINEHANDLE;
  *out = std::move(it->second);
  issued_.erase(it);
  return 0;
}

void Application::return_proxy_request(IssuedProxyRequest request) {
  std::lock_guard lock(mu_);
  if (state_ == State::kShutdown) return;  // shut down meanwhile: the buffer dies here
  const void* key = request.buffer.data.get();
  issued_.emplace(key, std::move(request));
}

void Application::shutdown() {
  std::lock_guard serial(shutdown_mu_);
  std::vector<std::uint32_t> lines;
  {
    std::lock_guard lock(mu_);
    if (state_ == State::kShutdown && ticket_ == 0 && !dispatcher_.joinable()) return;
    state_ = State::kShutdown;
    requests_.clear();
    lines_.clear();
    by_server_line_.clear();
    lines.swap(all_lines_);
  }
  calls_cv_.notify_all();
  if (fd_ >= 0) {
    // Best effort: the server treats a closed connection as a shutdown anyway,
    // so never block here on a full socket.
    wire::ClientToServer bye;
    bye.mutable_shutdown();
    send_frame(proto::encode_frame(bye), false);
    ::shutdown(fd_, SHUT_RDWR);
  }
  // From here on neither the Receiver nor a caller reads the connection (a
  // caller reading it returns at once: the socket is shut down).
  Receiver::instance().unwatch(ticket_);
  {
    std::unique_lock lock(mu_);
    ticket_ = 0;
    calls_cv_.wait(lock, [this] { return !reading_; });
  }
  if (queue_) queue_->close();
  if (dispatcher_.joinable()) {
    if (dispatcher_.get_id() == std::this_thread::get_id()) {
      dispatcher_.detach();  // lineShutdown from inside the callback: the loop ends after it returns
    } else {
      dispatcher_.join();
    }
  }
  std::unordered_map<const void*, IssuedProxyRequest> issued;
  {
    std::lock_guard lock(mu_);
    issued.swap(issued_);
  }
  Registry::instance().remove_lines(lines);
}

bool Application::on_readable(char* scratch, std::size_t size) {
  {
    std::lock_guard lock(mu_);
    // A caller reads the connection itself (and has taken it out of the
    // receiver's set, so this does not repeat).
    if (reading_) return true;
    reading_ = true;
  }
  const bool open = read_available(scratch, size);
  std::lock_guard lock(mu_);
  reading_ = false;
  return open;
}

bool Application::caller_reading() const {
  std::lock_guard lock(mu_);
  return caller_reading_;
}

bool Application::take_reading() {
  Receiver::Ticket ticket;
  {
    std::lock_guard lock(mu_);
    if (reading_ || state_ != State::kRunning || ticket_ == 0) return false;
    ticket = ticket_;
  }
  // Out of the receiver's set first, so the receiver never spins on a
  // connection it may not read.
  Receiver::instance().suspend(ticket);
  {
    std::lock_guard lock(mu_);
    if (!reading_ && state_ == State::kRunning && ticket_ == ticket) {
      reading_ = true;
      caller_reading_ = true;
      return true;
    }
  }
  Receiver::instance().resume(ticket);
  return false;
}

void Application::read_as_caller(const std::function<bool()>& done,
                                 std::optional<std::chrono::steady_clock::time_point> deadline) {
  Receiver::Ticket ticket;
  {
    std::lock_guard lock(mu_);
    ticket = ticket_;
  }
  char buf[16 * 1024];
  bool open = true;
  for (;;) {
    {
      std::lock_guard lock(mu_);
      if (done() || state_ != State::kRunning) break;
    }
    int timeout = -1;
    if (deadline) {
      const auto left = std::chrono::ceil<milliseconds>(*deadline - std::chrono::steady_clock::now()).count();
      if (left <= 0) break;
      timeout = static_cast<int>(std::min<long long>(left, 1'000'000));
    }
    pollfd p{fd_, POLLIN, 0};
    const int rc = ::poll(&p, 1, timeout);
    if (rc == 0) break;  // time-out
    if (rc < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (!read_available(buf, sizeof buf)) {
      open = false;
      break;
    }
  }
  // A lost connection stays out of the receiver's set until shutdown.
  if (open) Receiver::instance().resume(ticket);
  {
    std::lock_guard lock(mu_);
    reading_ = false;
    caller_reading_ = false;
  }
  // Other callers may take over reading; shutdown() may be waiting.
  calls_cv_.notify_all();
}

bool Application::read_available(char* scratch, std::size_t size) {
  for (;;) {
    const ssize_t n = ::recv(fd_, scratch, size, MSG_DONTWAIT);
    if (n > 0) {
      decoder_.feed(std::string_view(scratch, static_cast<std::size_t>(n)));
      if (!handle_buffered()) break;  // malformed: the stream is lost
      // A short read took everything there was; the receiver's epoll is
      // level-triggered and reports what arrives later.
      if (static_cast<std::size_t>(n) < size) return true;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
    break;  // end of stream or error
  }
  connection_lost();
  return false;
}

bool Application::handle_buffered() {
  for (;;) {
    const auto status = decoder_.next(incoming_);
    if (status == proto::FrameDecoder::Status::kMessage) {
      handle(incoming_);
      continue;
    }
    // Everything one read brought is queued at once: the application is
    // woken once for it, not once per message.
    queue_->push_all(arrived_);
    arrived_.clear();
    return status == proto::FrameDecoder::Status::kNeedMore;
  }
}

void Application::handle(const wire::ServerToClient& msg) {
  switch (msg.body_case()) {
    case wire::ServerToClient::kResult:
      on_result(msg.result());
      break;
    case wire::ServerToClient::kReply:
      on_reply(msg.reply());
      break;
    case wire::ServerToClient::kProxyRequest:
      on_proxy_request(msg.proxy_request());
      break;
    case wire::ServerToClient::kMessage:
      on_message(msg.message());
      break;
    default:
      break;  // Welcome / Error after the handshake: nothing to do
  }
}

void Application::on_result(const wire::Result& r) {
  std::shared_ptr<Pending> slot;
  {
    std::lock_guard lock(mu_);
    const auto it = calls_.find(r.seq());
    if (it == calls_.end()) return;  // the caller gave up (time-out)
    slot = it->second;
    calls_.erase(it);
    // Bind before the next frame is read: the Reply may follow at once.
    if (slot->is_request && r.result() > 0 && state_ == State::kRunning) {
      requests_[static_cast<std::uint32_t>(r.result())] = std::move(slot->sink);
    }
  }
  if (slot->is_open && r.result() == 0 && r.hline() != 0) {
    LineInfo line;
    line.server_hline = r.hline();
    line.wide = slot->open_wide;
    line.instance = slot->open_instance;
    line.proxy = slot->open_proxy;
    line.hline = Registry::instance().add_line(shared_from_this());
    bool kept = false;
    {
      std::lock_guard lock(mu_);
      if (state_ == State::kRunning) {
        lines_[line.hline] = line;
        by_server_line_[line.server_hline] = line.hline;
        all_lines_.push_back(line.hline);
        slot->opened = line;
        kept = true;
      }
    }
    // Shut down or lost meanwhile: the handle is never handed out.
    if (!kept) Registry::instance().remove_lines({line.hline});
  }
  {
    std::lock_guard lock(mu_);
    slot->result = r;
    slot->done = true;
  }
  calls_cv_.notify_all();
}

void Application::on_reply(const wire::Reply& r) {
  OutputSink sink;
  {
    std::lock_guard lock(mu_);
    if (state_ != State::kRunning) return;
    const auto it = requests_.find(r.request_id());
    if (it != requests_.end()) {
      sink = std::move(it->second);
      requests_.erase(it);
    }
  }
  std::int32_t result = r.result();
  // Output is written only on success (§1.3: the caller's buffer is ours
  // until LINE_REPLY). A Reply for an id we do not know is passed on as is.
  if (result == 0 && sink) {
    const std::int32_t rc = sink(r.output());
    if (rc != 0) result = rc;
  }
  arrived_.push_back({0, LINE_REPLY, 0, r.request_id(), result_param(result), 0});
}

void Application::on_proxy_request(const wire::ProxyRequestDelivery& d) {
  LineInfo line;
  {
    std::lock_guard lock(mu_);
    if (state_ != State::kRunning) return;
    const auto it = by_server_line_.find(d.hline());
    if (it == by_server_line_.end()) return;  // closed here already; the server completes it
    line = lines_.at(it->second);
  }
  std::optional<ProxyRequestBuffer> buffer;
  if (build_proxy_request_) buffer = build_proxy_request_(d, line.wide);
  if (!buffer) {
    // The client's library sent something this one cannot lay out: answer
    // for the proxy so the client is not left waiting. (A blocking write from
    // the receiver is safe: opentapid reads its sockets independently of
    // what it still has to write to us.)
    wire::ClientToServer answer;
    auto* pr = answer.mutable_proxy_response();
    pr->set_hline(d.hline());
    pr->set_proxy_request_id(d.proxy_request_id());
    pr->set_result(LINEERR_OPERATIONFAILED);
    send_only(answer);
    return;
  }
  const void* key = buffer->data.get();
  {
    std::lock_guard lock(mu_);
    if (state_ != State::kRunning) return;
    IssuedProxyRequest issued;
    issued.buffer = std::move(*buffer);
    issued.hline = line.hline;
    issued.server_hline = d.hline();
    issued.proxy_request_id = d.proxy_request_id();
    issued_.emplace(key, std::move(issued));
  }
  arrived_.push_back({line.hline, LINE_PROXYREQUEST, line.instance, reinterpret_cast<std::uintptr_t>(key), 0, 0});
}

void Application::on_message(const wire::Message& m) {
  LineInfo line;
  {
    std::lock_guard lock(mu_);
    if (state_ != State::kRunning) return;
    const auto it = by_server_line_.find(m.hline());
    if (it == by_server_line_.end()) return;  // a line closed here already
    line = lines_.at(it->second);
    if (m.msg() == LINE_CLOSE) {
      // The handle dies now; requests already delivered on it may still be
      // answered (take_proxy_request finds them by buffer).
      lines_.erase(line.hline);
      by_server_line_.erase(it);
    }
  }
  arrived_.push_back({line.hline, m.msg(), line.instance, m.param1(), m.param2(), m.param3()});
}

void Application::connection_lost() {
  std::vector<std::uint32_t> request_ids;
  std::vector<LineInfo> lines;
  {
    std::lock_guard lock(mu_);
    if (state_ != State::kRunning) return;
    state_ = State::kLost;
    for (const auto& [id, sink] : requests_) request_ids.push_back(id);
    requests_.clear();
    for (const auto& [h, line] : lines_) lines.push_back(line);
    lines_.clear();
    by_server_line_.clear();
  }
  calls_cv_.notify_all();
  std::sort(lines.begin(), lines.end(), [](const LineInfo& a, const LineInfo& b) { return a.hline < b.hline; });
  for (const auto id : request_ids) {
    queue_->push({0, LINE_REPLY, 0, id, result_param(LINEERR_OPERATIONFAILED), 0});
  }
  for (const auto& line : lines) queue_->push({line.hline, LINE_CLOSE, line.instance, 0, 0, 0});
  queue_->push({0, LINE_LINEDEVSTATE, 0, LINEDEVSTATE_REINIT, 0, 0});
}

void Application::dispatch_loop() {
  // Keeps the application alive while a callback runs, even if the callback
  // itself calls lineShutdown (which then detaches this thread).
  LineMessage m;
  while (queue_->pop(std::nullopt, &m) == MessageQueue::Pop::kMessage) {
    callback_(m);
  }
}

}  // namespace opentapi::client
