// Over 800 lines on purpose: one HLINEAPP's whole life (connect, Hello,
// requests and their replies, the open lines, the message queue and its
// limit) shares one lock and one set of tables (application.h explains
// them); cutting it across files would spread that invariant, not shrink it.

#include "client/application.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <mutex>
#include <new>
#include <optional>
#include <random>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "client/registry.h"
#include "client/send_batch.h"
#include "client/socket.h"
#include "client/stream.h"
#include "opentapi_ext.h"  // tapi.h + LINEDEVSTATE_REINIT
#include "proto/framing.h"

namespace opentapi::client {
namespace {

using std::chrono::milliseconds;

// How long libopentapi waits for the server (docs/tapi2.md "Time-outs"). The
// server answers at once; these only stop a stopped or wedged server from
// holding the application until it resumes. With one server: 10 s to
// connect and be welcomed, 60 s for a call's Result or a write. With
// several (a cluster, docs/ha.md), a node that does not answer at once is
// stopped or hung and another one serves: 1.5 s per connect and Hello, 3 s
// for a Result or a write, after which the connection is given up. An agent
// request's LINE_REPLY, which follows the ACD's commit to the store, gets 5 s
// there (resuming applications only): a commit normally takes milliseconds,
// but a loaded or failing-over store can take seconds, and a node given up
// too early costs a resume.
constexpr milliseconds kHandshakeTimeout{10'000};
constexpr milliseconds kCallTimeout{60'000};
constexpr milliseconds kClusterHandshakeTimeout{1'500};
constexpr milliseconds kClusterCallTimeout{3'000};
constexpr milliseconds kClusterReplyTimeout{5'000};

struct Timeouts {
  StreamTimeouts stream;
  milliseconds call{kCallTimeout};
  milliseconds reply{0};  // 0: a LINE_REPLY is waited for without a bound
  bool cluster = false;
};

// The time-outs for a list of `servers` addresses; OPENTAPI_CALL_TIMEOUT_MS
// (100 to 600000) replaces the call, write and (in a cluster) reply time-out.
Timeouts timeouts_for(std::size_t servers) {
  Timeouts t;
  t.cluster = servers > 1;
  t.stream.connect = t.cluster ? kClusterHandshakeTimeout : kHandshakeTimeout;
  t.call = t.cluster ? kClusterCallTimeout : kCallTimeout;
  t.reply = t.cluster ? kClusterReplyTimeout : milliseconds(0);
  if (const char* text = std::getenv("OPENTAPI_CALL_TIMEOUT_MS"); text != nullptr && *text != '\0') {
    char* end = nullptr;
    const unsigned long long value = std::strtoull(text, &end, 10);
    if (end != text && *end == '\0') {
      t.call = milliseconds(std::clamp<unsigned long long>(value, 100, 600'000));
      if (t.cluster) t.reply = t.call;
    }
  }
  t.stream.write = t.call;
  return t;
}

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

// The first bytes of a TLS record (an alert or a handshake): what a tls:
// listener answers a client that speaks plain TCP to it.
bool looks_like_tls(std::string_view first) {
  return first.size() >= 2 && (first[0] == 0x15 || first[0] == 0x16) && first[1] == 0x03;
}

// Says Hello and waits for the server's answer. Returns 0 with *welcome, or a
// LINEERR_* (and *why when there is more to say); `decoder` keeps whatever
// arrived after the Welcome. A cluster node that does not serve names the
// owner in *redirect (wire::Error.owner).
std::int32_t handshake(Stream& stream, const ConnectOptions& options, const proto::ServerAddress& address,
                       proto::FrameDecoder& decoder, wire::Welcome* welcome, std::string* why, std::string* redirect,
                       milliseconds timeout) {
  const bool network = address.is_network();
  wire::ClientToServer hello;
  auto* h = hello.mutable_hello();
  h->set_protocol_version(proto::kProtocolVersion);
  h->set_app_api_version(options.api_version);
  h->set_app_name(options.app_name);
  if (network) {
    if (const char* token = std::getenv("OPENTAPI_TOKEN")) h->set_token(token);
  }
  h->set_machine(host_name());
  h->set_pid(static_cast<std::uint32_t>(::getpid()));
  h->set_instance_id(options.instance_id);
  h->set_first_request_id(options.first_request_id);
  if (!stream.write_all(proto::encode_frame(hello))) {
    *why = stream.error();
    return LINEERR_OPERATIONFAILED;
  }

  const auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[4096];
  std::string first;  // the answer's first bytes, to recognise a TLS listener
  for (;;) {
    wire::ServerToClient msg;
    const auto status = decoder.next(msg);
    if (status == proto::FrameDecoder::Status::kMessage) {
      if (msg.has_welcome()) {
        *welcome = msg.welcome();
        return 0;
      }
      if (msg.has_error()) *redirect = msg.error().owner();
      if (msg.has_error() && msg.error().code() < 0) return msg.error().code();
      return LINEERR_OPERATIONFAILED;
    }
    if (status != proto::FrameDecoder::Status::kNeedMore) {
      if (looks_like_tls(first)) *why = "the server answered in TLS: use OPENTAPI_SERVER=tls:HOST:PORT";
      return LINEERR_OPERATIONFAILED;
    }
    // TLS may hold bytes already decrypted that the descriptor does not show.
    if (!stream.pending()) {
      const auto left = std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || !wait_readable(stream.fd(), left)) return LINEERR_OPERATIONFAILED;
    }
    const ssize_t n = stream.read_some(buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) continue;
    if (n <= 0) {
      if (looks_like_tls(first)) {
        *why = "the server answered in TLS: use OPENTAPI_SERVER=tls:HOST:PORT";
      } else if (first.empty() && address.kind == proto::ServerAddress::Kind::kTcp) {
        // A tls: listener drops a plain Hello without a word it could read.
        *why =
            "the server closed the connection without answering; if it is a tls: listener, use "
            "OPENTAPI_SERVER=tls:HOST:PORT";
      } else {
        *why = stream.error();
      }
      return LINEERR_OPERATIONFAILED;
    }
    if (first.size() < 2) first.append(buf, std::min<std::size_t>(2 - first.size(), static_cast<std::size_t>(n)));
    decoder.feed(std::string_view(buf, static_cast<std::size_t>(n)));
  }
}

// Redirections followed in one lineInitializeEx, so two standbys that name
// each other (an owner changing hands) cannot keep it busy.
constexpr int kMaxRedirects = 4;

// One server: connected and welcomed (0, the stream in *out), or a LINEERR_*,
// explained on stderr when the transport or the server has more to say
// (stream.h). Nothing listening, or nothing there at all: the telephony
// service is not running (the Windows code for an unreachable TAPISRV).
std::int32_t connect_one(const proto::ServerAddress& address, const ConnectOptions& options,
                         proto::FrameDecoder& decoder, wire::Welcome* welcome, std::string* redirect,
                         const StreamTimeouts& timeouts, std::unique_ptr<Stream>* out) {
  const milliseconds timeout = timeouts.connect;
  OpenedStream opened = open_stream(address, timeouts);
  if (!opened.stream) {
    if (!opened.error.empty()) report_connect_error(address, opened.error);
    return opened.result;
  }
  decoder = proto::FrameDecoder();
  std::string why;
  const std::int32_t rc = handshake(*opened.stream, options, address, decoder, welcome, &why, redirect, timeout);
  if (rc != 0) {
    if (!why.empty()) report_connect_error(address, why);
    return rc;
  }
  *out = std::move(opened.stream);
  return 0;
}

// The server that last welcomed an application of this process: tried
// first next time, so that after a takeover the applications that reconnect
// go straight to the new owner instead of waiting on a dead or stopped node
// again.
std::mutex g_last_welcome_mu;
std::optional<proto::ServerAddress> g_last_welcome;

// OPENTAPI_SERVER's addresses in turn (the last one that welcomed us first),
// following a standby's redirection to the owner at once (docs/ha.md "Client
// redirection"); an address is tried once per call. The answer of a server
// that was reached beats "not running" from one that was not. `try_last`
// (a resume: the node just given up) goes after every other address of the
// list; a redirection to it is still followed at once. *welcomed_at is the
// address that welcomed.
std::int32_t connect_any(const ConnectOptions& options, proto::FrameDecoder& decoder, wire::Welcome* welcome,
                         std::unique_ptr<Stream>* stream, Timeouts* timeouts,
                         const std::optional<proto::ServerAddress>& try_last = std::nullopt,
                         std::optional<proto::ServerAddress>* welcomed_at = nullptr) {
  const proto::ParsedAddressList list = proto::client_server_addresses();
  if (!list) return LINEERR_INIFILECORRUPT;
  std::deque<proto::ServerAddress> todo(list.addresses.begin(), list.addresses.end());
  *timeouts = timeouts_for(todo.size());
  if (todo.size() > 1) {
    std::lock_guard lock(g_last_welcome_mu);
    if (g_last_welcome) todo.push_front(*g_last_welcome);
  }
  if (try_last && todo.size() > 1) {
    // docs/ha.md "Handles survive": a node given up for silence (stopped,
    // hung) would cost a whole Hello time-out; one that closed the
    // connection (stepping down, restarted) is a standby or gone. Another
    // node is the better first try either way.
    std::erase(todo, *try_last);
    todo.push_back(*try_last);
  }
  std::vector<proto::ServerAddress> tried;
  std::int32_t result = LINEERR_SERVICE_NOT_RUNNING;
  int redirects = 0;
  while (!todo.empty()) {
    const proto::ServerAddress address = todo.front();
    todo.pop_front();
    if (std::find(tried.begin(), tried.end(), address) != tried.end()) continue;
    tried.push_back(address);
    std::string redirect;
    const std::int32_t rc = connect_one(address, options, decoder, welcome, &redirect, timeouts->stream, stream);
    if (rc == 0) {
      if (welcomed_at != nullptr) *welcomed_at = address;
      std::lock_guard lock(g_last_welcome_mu);
      g_last_welcome = address;
      return 0;
    }
    if (rc != LINEERR_SERVICE_NOT_RUNNING || result == LINEERR_SERVICE_NOT_RUNNING) result = rc;
    if (!redirect.empty() && redirects < kMaxRedirects) {
      if (const proto::ParsedAddress owner = proto::parse_server_address(redirect); owner) {
        ++redirects;
        todo.push_front(*owner.address);
      }
    }
  }
  return result;
}

// 16 random bytes: an application instance (Hello.instance_id) that no other
// one, in this process or elsewhere, will have.
std::string random_instance_id() {
  std::random_device device;
  std::string id(16, '\0');
  for (std::size_t i = 0; i < id.size(); i += 4) {
    const std::uint32_t word = device();
    std::memcpy(&id[i], &word, 4);
  }
  return id;
}

// The pause between two reconnection attempts of a resuming application.
constexpr milliseconds kResumeRetryPause{100};

}  // namespace

std::chrono::milliseconds resume_window() {
  // docs/ha.md "Handles survive".
  if (const char* text = std::getenv("OPENTAPI_RESUME_SECONDS"); text != nullptr && *text != '\0') {
    char* end = nullptr;
    const double seconds = std::strtod(text, &end);
    if (end != text && *end == '\0' && seconds >= 0 && seconds <= 86400) {
      return milliseconds(static_cast<long long>(seconds * 1000));
    }
  }
  const proto::ParsedAddressList list = proto::client_server_addresses();
  return list && list.addresses.size() > 1 ? milliseconds(30'000) : milliseconds(0);
}

// A timerfd the Receiver's thread watches beside the connections: it wakes
// that thread when the earliest LINE_REPLY is due, so the deadlines of every
// request of every application cost no thread of their own.
class Application::ReplyTimer final : public Receiver::Connection {
 public:
  explicit ReplyTimer(Application* app)
      : app_(app), fd_(::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC)) {}
  ReplyTimer(const ReplyTimer&) = delete;
  ReplyTimer& operator=(const ReplyTimer&) = delete;
  // Not under the application's mu_: unwatch() waits for a running
  // on_readable(), which takes it.
  ~ReplyTimer() override {
    Receiver::instance().unwatch(ticket_);
    if (fd_ >= 0) ::close(fd_);
  }

  bool start() {
    if (fd_ < 0) return false;
    ticket_ = Receiver::instance().watch(fd_, this);
    return ticket_ != 0;
  }

  // Fires once at `when` (steady_clock is CLOCK_MONOTONIC), replacing any
  // earlier setting.
  void arm(std::chrono::steady_clock::time_point when) {
    const auto since = std::max(when.time_since_epoch(), std::chrono::steady_clock::duration(1));
    const auto secs = std::chrono::duration_cast<std::chrono::seconds>(since);
    itimerspec spec{};
    spec.it_value.tv_sec = static_cast<time_t>(secs.count());
    spec.it_value.tv_nsec =
        static_cast<long>(std::chrono::duration_cast<std::chrono::nanoseconds>(since - secs).count());
    ::timerfd_settime(fd_, TFD_TIMER_ABSTIME, &spec, nullptr);
  }

  bool on_readable(char*, std::size_t) override {
    std::uint64_t expirations = 0;
    if (::read(fd_, &expirations, sizeof expirations) == sizeof expirations) app_->reply_timer_fired();
    return true;
  }

 private:
  Application* app_;
  int fd_;
  Receiver::Ticket ticket_ = 0;
};

void Application::reply_due_locked(std::chrono::steady_clock::time_point when) {
  if (!reply_timer_ || when >= reply_timer_at_) return;
  reply_timer_at_ = when;
  reply_timer_->arm(when);
}

void Application::reply_timer_fired() {
  std::lock_guard lock(mu_);
  reply_timer_at_ = std::chrono::steady_clock::time_point::max();
  // Resuming: the requests get new deadlines once sent again and answered.
  // A proxy application is never resumed: it keeps waiting, as with one server.
  if (state_ != State::kRunning || !stream_ || proxy_) return;
  const auto now = std::chrono::steady_clock::now();
  auto next = std::chrono::steady_clock::time_point::max();
  if (resent_result_overdue_locked(now, &next)) {
    stream_->shutdown();
    return;
  }
  for (const auto& [id, completion] : requests_) {
    if (completion.reply_by <= now) {
      // docs/tapi2.md "Time-outs": the node took the request and answered
      // its Result, then stopped (SIGSTOP, a VM stall) or hung before the
      // LINE_REPLY. Given up as for a missing Result: the reader sees the
      // end, the application resumes on the next node and an agent request
      // goes again there under its origin id; a call request (whose Reply
      // follows its Result at once) gets LINE_REPLY(LINEERR_OPERATIONFAILED).
      stream_->shutdown();
      return;
    }
    next = std::min(next, completion.reply_by);
  }
  reply_due_locked(next);
}

std::int32_t Application::connect(ConnectOptions options, std::shared_ptr<Application>* out) {
  proto::FrameDecoder decoder;
  wire::Welcome welcome;
  std::unique_ptr<Stream> stream;
  if (options.instance_id.empty()) options.instance_id = random_instance_id();
  Timeouts timeouts;
  std::optional<proto::ServerAddress> welcomed_at;
  const std::int32_t rc = connect_any(options, decoder, &welcome, &stream, &timeouts, std::nullopt, &welcomed_at);
  if (rc != 0) return rc;

  std::shared_ptr<Application> app(new Application());
  app->stream_ = std::move(stream);
  app->server_address_ = std::move(welcomed_at);
  app->app_name_ = options.app_name;
  app->instance_id_ = options.instance_id;
  app->resume_window_ = resume_window();
  app->call_timeout_ = timeouts.call;
  app->drop_on_call_timeout_ = timeouts.cluster;
  // Only a resuming application gives a node up for a late LINE_REPLY: the
  // request then goes again to the next node instead of failing.
  if (app->resume_window_.count() > 0) app->reply_timeout_ = timeouts.reply;
  // From here on an exception (out of memory) must not leave a dispatcher
  // thread holding the application: it is shut down before the exception
  // goes on to the C edge (tapi2/c_edge.h).
  try {
    app->num_devices_ = welcome.num_devices();
    app->server_api_version_ = welcome.server_api_version();
    app->app_api_version_ = options.api_version;
    app->callback_ = std::move(options.callback);
    app->build_proxy_request_ = std::move(options.build_proxy_request);
    app->queue_ = std::make_unique<MessageQueue>(!app->callback_, queue_limit());
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
    if (app->reply_timeout_.count() > 0) {
      auto timer = std::make_unique<ReplyTimer>(app.get());
      if (!timer->start()) {
        app->shutdown();
        return LINEERR_RESOURCEUNAVAIL;
      }
      std::lock_guard lock(app->mu_);
      app->reply_timer_ = std::move(timer);
    }
    app->ticket_ = Receiver::instance().watch(app->stream_->fd(), app.get());
    if (app->ticket_ == 0) {
      app->shutdown();
      return LINEERR_RESOURCEUNAVAIL;
    }
  } catch (...) {
    app->shutdown();
    throw;
  }
  *out = std::move(app);
  return 0;
}

Application::~Application() { shutdown(); }

std::int32_t Application::unavailable_code_locked() const {
  return state_ == State::kShutdown ? LINEERR_INVALAPPHANDLE : LINEERR_OPERATIONFAILED;
}

bool Application::send_frame(const std::string& frame, bool blocking) {
  if (frame.empty()) return false;
  // Frames this thread holds for this connection go first (client/send_batch.h).
  if (send_batch::active()) {
    if (std::string held = send_batch::take(this); !held.empty()) {
      held += frame;
      return write_encoded(held, blocking);
    }
  }
  return write_encoded(frame, blocking);
}

bool Application::write_frames(const std::string& frames) { return write_encoded(frames, true); }

bool Application::write_encoded(const std::string& frame, bool blocking) {
  if (blocking) {
    std::lock_guard lock(send_mu_);
    return stream_->write_all(frame);
  }
  std::unique_lock lock(send_mu_, std::try_to_lock);
  if (!lock) return false;
  return stream_->try_write(frame);
}

std::size_t Application::queue_limit() {
  // docs/tapi2.md "Message queue limit".
  const char* text = std::getenv("OPENTAPI_MAX_QUEUED_MESSAGES");
  if (text == nullptr || *text == '\0') return MessageQueue::kDefaultMaxMessages;
  char* end = nullptr;
  const unsigned long long value = std::strtoull(text, &end, 10);
  if (end == text || *end != '\0') return MessageQueue::kDefaultMaxMessages;
  return static_cast<std::size_t>(std::clamp<unsigned long long>(value, MessageQueue::kMinMaxMessages, 1ull << 26));
}

void Application::report_overflow() {
  // Counted by the server (opentapi_client_queue_overflows_total); the
  // application itself learns it from the LINE_LINEDEVSTATE(REINIT) queued.
  wire::ClientToServer notice;
  notice.mutable_queue_overflow()->set_limit(static_cast<std::uint32_t>(queue_->max_messages()));
  send_frame(proto::encode_frame(notice), true);
}

bool Application::send_only(const wire::ClientToServer& msg) { return send_frame(proto::encode_frame(msg), true); }

std::int32_t Application::post(const wire::ClientToServer& msg) {
  {
    std::lock_guard lock(mu_);
    if (state_ != State::kRunning) return unavailable_code_locked();
  }
  const std::string frame = proto::encode_frame(msg);
  if (frame.empty()) return LINEERR_INVALPARAM;  // larger than a frame may be
  if (send_batch::hold(*this, frame)) return 0;
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
  std::string frame;
  try {
    frame = proto::encode_frame(msg);
  } catch (...) {
    // Out of memory: the call never started; no Result may find the slot.
    std::lock_guard lock(mu_);
    calls_.erase(seq);
    throw;
  }
  if (frame.empty()) {
    std::lock_guard lock(mu_);
    calls_.erase(seq);
    return LINEERR_INVALPARAM;  // larger than a frame may be
  }
  // An agent request whose frame did not get out is in flight all the same:
  // the loss that stopped the write resumes the application and sends it
  // again (docs/ha.md "Handles survive").
  const bool sent = send_frame(frame, true) || slot->retry != nullptr;
  auto deadline = std::chrono::steady_clock::now() + call_timeout_;
  const auto live = [this] { return state_ == State::kRunning || state_ == State::kResuming; };
  std::unique_lock lock(mu_);
  bool dropped = false;
  for (;;) {
    while (sent && !slot->done && live() && std::chrono::steady_clock::now() < deadline) {
      // Read the answer ourselves if nobody else is reading: no hand-off from
      // the receiver thread to this one.
      lock.unlock();
      const bool reading = take_reading();
      if (reading) read_as_caller([&] { return slot->done; }, deadline);
      lock.lock();
      if (!reading && !slot->done && live()) calls_cv_.wait_until(lock, deadline);
    }
    if (slot->done || dropped || !sent || state_ != State::kRunning || !drop_on_call_timeout_ || !slot->retry ||
        resume_window_.count() == 0) {
      break;
    }
    // An agent request a cluster node left unanswered: the node is given up
    // (below, docs/tapi2.md "Time-outs") and the application resumed on
    // another; the request, which that node may or may not have applied, is
    // sent again there, so it keeps waiting instead of failing in doubt.
    dropped = true;
    stream_->shutdown();
    deadline = std::chrono::steady_clock::now() + resume_window_ + call_timeout_;
  }
  if (slot->done) {
    if (slot->error != 0) return slot->error;
    *result = slot->result;
    return 0;
  }
  slot->abandoned = true;
  // The slot may be registered under a later seq (sent again by a resume).
  for (auto it = calls_.begin(); it != calls_.end();) {
    it = it->second == slot ? calls_.erase(it) : std::next(it);
  }
  std::erase(lost_slots_, slot);
  if (!dropped && sent && state_ == State::kRunning && drop_on_call_timeout_) {
    // docs/tapi2.md "Time-outs": a cluster node that leaves a call
    // unanswered is stopped or hung; its connection is given up, so the
    // application learns it as a lost connection and goes to another node
    // instead of sending it more requests. The reader sees the end.
    stream_->shutdown();
  }
  return state_ == State::kRunning ? LINEERR_OPERATIONFAILED : unavailable_code_locked();
}

std::int32_t Application::call(wire::ClientToServer& msg, wire::Result* result) {
  return exchange(msg, std::make_shared<Pending>(), result);
}

std::int32_t Application::start_request(wire::ClientToServer& msg, OutputSink sink, std::uint32_t hline) {
  auto slot = std::make_shared<Pending>();
  slot->is_request = true;
  slot->sink = std::move(sink);
  {
    std::lock_guard lock(mu_);
    if (msg.has_request()) {
      // A name for the request that a retry after a reconnect repeats.
      msg.mutable_request()->set_origin_id(++next_origin_);
      if (msg.request().hline() != 0) {
        const auto it = by_server_line_.find(msg.request().hline());
        if (it != by_server_line_.end()) slot->retry_hline = it->second;
      }
    }
    const auto line = lines_.find(slot->retry_hline != 0 ? slot->retry_hline : hline);
    if (line != lines_.end()) slot->reply_instance = line->second.instance;
  }
  if (msg.has_request() && (msg.request().hline() == 0 || slot->retry_hline != 0)) {
    const wire::AgentRequest& r = msg.request();
    slot->retry = std::make_shared<const RetryRequest>(RetryRequest{
        r.device_id(), r.request_type(), r.app_api_version(), r.payload(), r.output_size(), r.origin_id()});
  }
  wire::Result result;
  const std::int32_t rc = exchange(msg, slot, &result);
  if (rc != 0) return rc;
  // An asynchronous function never returns 0 (§1.3).
  return result.result() == 0 ? LINEERR_OPERATIONFAILED : result.result();
}

std::int32_t Application::start_call_request(wire::ClientToServer& msg, std::uint32_t hline, CallSink sink) {
  auto slot = std::make_shared<Pending>();
  slot->is_request = true;
  slot->call_sink = std::move(sink);
  slot->call_hline = hline;
  {
    std::lock_guard lock(mu_);
    const auto line = lines_.find(hline);
    if (line != lines_.end()) slot->reply_instance = line->second.instance;
  }
  wire::Result result;
  const std::int32_t rc = exchange(msg, slot, &result);
  if (rc != 0) return rc;
  return result.result() == 0 ? LINEERR_OPERATIONFAILED : result.result();
}

std::int32_t Application::call_new_calls(wire::ClientToServer& msg, std::uint32_t hline, wire::Result* result,
                                         std::vector<std::uint32_t>* hcalls) {
  auto slot = std::make_shared<Pending>();
  slot->is_new_calls = true;
  slot->call_hline = hline;
  const std::int32_t rc = exchange(msg, slot, result);
  if (rc != 0) return rc;
  std::lock_guard lock(mu_);
  *hcalls = std::move(slot->new_calls);
  return 0;
}

std::optional<CallHandle> Application::call_handle(std::uint32_t hcall) const {
  std::lock_guard lock(mu_);
  const auto it = call_handles_.find(hcall);
  if (it == call_handles_.end()) return std::nullopt;
  return it->second;
}

void Application::forget_call(std::uint32_t hcall) noexcept {
  {
    std::lock_guard lock(mu_);
    const auto it = call_handles_.find(hcall);
    if (it == call_handles_.end()) return;
    by_server_call_.erase(it->second.server_hcall);
    call_handles_.erase(it);
  }
  Registry::instance().remove_call(hcall);
}

std::uint32_t Application::register_call(std::uint32_t server_hcall, std::uint32_t hline, std::uint32_t address_id,
                                         std::uint32_t privilege) {
  if (server_hcall == 0) return 0;
  const std::uint32_t hcall = Registry::instance().add_call(shared_from_this());
  try {
    std::lock_guard lock(mu_);
    if (state_ == State::kRunning && lines_.count(hline) != 0) {
      // A server handle is never given twice on one connection while it
      // lives; if it were, the newer registration wins.
      if (const auto old = by_server_call_.find(server_hcall); old != by_server_call_.end()) {
        call_handles_.erase(old->second);
      }
      CallHandle& handle = call_handles_[hcall] = CallHandle{};
      handle.hcall = hcall;
      handle.server_hcall = server_hcall;
      handle.hline = hline;
      handle.address_id = address_id;
      handle.privilege = privilege;
      by_server_call_[server_hcall] = hcall;
      return hcall;
    }
  } catch (...) {
    // Out of memory while reading: the connection is lost (docs/tapi2.md
    // "Out of memory"); the half-registered handle goes first.
    std::lock_guard lock(mu_);
    call_handles_.erase(hcall);
    Registry::instance().remove_call(hcall);
    throw;
  }
  Registry::instance().remove_call(hcall);
  return 0;
}

std::vector<std::uint32_t> Application::drop_calls_locked(std::uint32_t hline) {
  std::vector<std::uint32_t> dropped;
  for (auto it = call_handles_.begin(); it != call_handles_.end();) {
    if (hline == 0 || it->second.hline == hline) {
      dropped.push_back(it->first);
      by_server_call_.erase(it->second.server_hcall);
      it = call_handles_.erase(it);
    } else {
      ++it;
    }
  }
  return dropped;
}

void Application::detach_calls_locked() {
  by_server_call_.clear();
  for (auto& [hcall, handle] : call_handles_) handle.server_hcall = 0;
}

void Application::end_lost_calls_locked(const std::vector<LineInfo*>& kept, std::vector<LineMessage>* said,
                                        std::vector<std::uint32_t>* dead) {
  std::vector<CallHandle*> handles;
  for (auto& [hcall, handle] : call_handles_) {
    if (!handle.ended) handles.push_back(&handle);
  }
  // In the order the handles were given (Registry numbers them upwards).
  std::sort(handles.begin(), handles.end(),
            [](const CallHandle* a, const CallHandle* b) { return a->hcall < b->hcall; });
  const auto now_ms = std::chrono::duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch());
  for (CallHandle* handle : handles) {
    const auto line =
        std::find_if(kept.begin(), kept.end(), [&](const LineInfo* l) { return l->hline == handle->hline; });
    if (line == kept.end()) {
      // Its line was not reopened: LINE_CLOSE says the handle is gone.
      dead->push_back(handle->hcall);
      continue;
    }
    const std::uintptr_t instance = (*line)->instance;
    // docs/ha.md "Calls at a resume": as a call that ends because its line
    // or provider went away. LINEDISCONNECTMODE_UNAVAIL: the reason is not
    // available and will not become known later (the switch that held the
    // call is gone, and its successor never knew it).
    if (handle->last_state != LINECALLSTATE_DISCONNECTED && handle->last_state != LINECALLSTATE_IDLE) {
      said->push_back(
          {handle->hcall, LINE_CALLSTATE, instance, LINECALLSTATE_DISCONNECTED, LINEDISCONNECTMODE_UNAVAIL, 0});
    }
    if (handle->last_state != LINECALLSTATE_IDLE) {
      said->push_back({handle->hcall, LINE_CALLSTATE, instance, LINECALLSTATE_IDLE, 0, 0});
    }
    handle->ended_at_ms = now_ms.count();  // IDLE from the library's point of view
    handle->last_state = LINECALLSTATE_IDLE;
    handle->ended = true;
  }
  for (const std::uint32_t hcall : *dead) call_handles_.erase(hcall);
}

bool Application::deallocate_without_server(std::uint32_t hcall) {
  {
    std::lock_guard lock(mu_);
    const auto it = call_handles_.find(hcall);
    if (it == call_handles_.end()) return false;
    if (!it->second.ended && state_ != State::kResuming) return false;
    if (it->second.server_hcall != 0) by_server_call_.erase(it->second.server_hcall);
    call_handles_.erase(it);
  }
  Registry::instance().remove_call(hcall);
  return true;
}

void Application::note_call_info(std::uint32_t hcall, const wire::CallInfo& info) {
  auto kept = std::make_shared<const wire::CallInfo>(info);
  std::lock_guard lock(mu_);
  const auto it = call_handles_.find(hcall);
  if (it != call_handles_.end() && !it->second.ended) it->second.info = std::move(kept);
}

bool Application::resent_result_overdue_locked(std::chrono::steady_clock::time_point now,
                                               std::chrono::steady_clock::time_point* next) {
  for (const auto& [seq, slot] : calls_) {
    if (!slot->resent || slot->abandoned) continue;
    // docs/tapi2.md "Time-outs": the node a request was sent again to took
    // it and fell silent as well (stopped, hung). Given up like the first:
    // the application resumes again, or fails the request with
    // LINEERR_OPERATIONFAILED when its window passes.
    if (slot->result_by <= now) return true;
    *next = std::min(*next, slot->result_by);
  }
  return false;
}

void Application::bound_resent_locked(const std::vector<std::shared_ptr<Pending>>& again) {
  if (!reply_timer_ || !drop_on_call_timeout_ || again.empty()) return;
  const auto by = std::chrono::steady_clock::now() + call_timeout_;
  for (const auto& slot : again) slot->result_by = by;
  reply_due_locked(by);
}

std::int32_t Application::open_line(wire::ClientToServer& msg, bool wide, std::uintptr_t instance, LineInfo* line) {
  auto slot = std::make_shared<Pending>();
  slot->is_open = true;
  slot->open_wide = wide;
  slot->open_proxy = msg.has_open() && (msg.open().privileges() & LINEOPENOPTION_PROXY) != 0;
  slot->open_instance = instance;
  slot->open_api_version = msg.has_open() ? msg.open().api_version() : 0;
  slot->open_device_id = msg.has_open() ? msg.open().device_id() : 0;
  if (msg.has_open()) slot->open_msg = std::make_shared<const wire::Open>(msg.open());
  wire::Result result;
  const std::int32_t rc = exchange(msg, slot, &result);
  if (rc != 0) return rc;
  if (result.result() != 0) return result.result();
  if (slot->opened.hline == 0) return LINEERR_OPERATIONFAILED;
  *line = slot->opened;
  return 0;
}

std::int32_t Application::close_line(std::uint32_t hline) {
  // Everything that allocates before the line is touched, or undone: an
  // lineClose that fails for want of memory leaves the line open (the C edge
  // turns the exception into LINEERR_NOMEM).
  wire::ClientToServer msg;
  auto* close = msg.mutable_close();
  decltype(lines_)::node_type line_node;
  decltype(by_server_line_)::node_type server_node;
  {
    std::lock_guard lock(mu_);
    const auto it = lines_.find(hline);
    if (it == lines_.end()) return LINEERR_INVALLINEHANDLE;
    close->set_hline(it->second.server_hline);
    server_node = by_server_line_.extract(it->second.server_hline);
    line_node = lines_.extract(it);
  }
  wire::Result result;
  std::int32_t rc = 0;
  try {
    rc = call(msg, &result);
  } catch (...) {
    // Re-inserting extracted nodes allocates nothing.
    std::lock_guard lock(mu_);
    if (state_ == State::kRunning) {
      lines_.insert(std::move(line_node));
      if (server_node) by_server_line_.insert(std::move(server_node));
    }
    throw;
  }
  // The line's call handles die with it (the server deallocated them with
  // the open); messages for them stopped when the line left by_server_line_.
  std::vector<std::uint32_t> calls;
  {
    std::lock_guard lock(mu_);
    calls = drop_calls_locked(hline);
  }
  Registry::instance().remove_calls(calls);
  // Requests not yet seen by the application go with the line; the server
  // completes them towards their clients (§3.4 lineClose). Nothing is queued
  // for the line since it left by_server_line_.
  try {
    const auto dropped =
        queue_->remove_if([hline](const LineMessage& m) { return m.id == LINE_PROXYREQUEST && m.device == hline; });
    std::lock_guard lock(mu_);
    for (const auto& m : dropped) issued_.erase(reinterpret_cast<const void*>(m.param1));
  } catch (const std::bad_alloc&) {
    // They stay queued: lineProxyResponse accepts an answer on a closed line
    // and discards it, and shutdown frees what is left.
  }
  return rc != 0 ? rc : result.result();
}

std::optional<LineInfo> Application::line(std::uint32_t hline) const {
  std::lock_guard lock(mu_);
  const auto it = lines_.find(hline);
  if (it == lines_.end()) return std::nullopt;
  return it->second;
}

void Application::record_status_messages(std::uint32_t hline, std::uint32_t line_states, std::uint32_t address_states) {
  std::lock_guard lock(mu_);
  const auto it = lines_.find(hline);
  if (it == lines_.end()) return;
  it->second.line_states = line_states;
  it->second.address_states = address_states;
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

std::int32_t Application::proxy_request_origin(const void* buffer, std::uint32_t hline, std::string* instance_id,
                                               std::uint64_t* origin_id) const {
  std::lock_guard lock(mu_);
  const auto it = issued_.find(buffer);
  if (it == issued_.end()) return LINEERR_INVALPOINTER;
  if (it->second.hline != hline) return LINEERR_INVALLINEHANDLE;
  *instance_id = it->second.client_instance_id;
  *origin_id = it->second.origin_id;
  return 0;
}

void Application::return_proxy_request(IssuedProxyRequest request) noexcept {
  std::lock_guard lock(mu_);
  if (state_ == State::kShutdown) return;  // shut down meanwhile: the buffer dies here
  const void* key = request.buffer.data.get();
  try {
    issued_.emplace(key, std::move(request));
  } catch (const std::bad_alloc&) {
    // No memory even for the table entry: the buffer dies here, and a later
    // answer to it is LINEERR_INVALPOINTER.
  }
}

void Application::shutdown() {
  std::lock_guard serial(shutdown_mu_);
  std::vector<std::uint32_t> lines;
  std::vector<std::uint32_t> calls;
  std::unique_ptr<ReplyTimer> timer;  // stopped below, outside mu_
  {
    std::lock_guard lock(mu_);
    if (state_ == State::kShutdown && ticket_ == 0 && !dispatcher_.joinable() && !resumer_.joinable() &&
        !reply_timer_) {
      return;
    }
    state_ = State::kShutdown;
    timer = std::move(reply_timer_);
    requests_.clear();
    lines_.clear();
    by_server_line_.clear();
    lines.swap(all_lines_);
    calls = drop_calls_locked(0);
    lost_slots_.clear();
    retry_later_.clear();
  }
  timer.reset();
  Registry::instance().remove_calls(calls);
  calls_cv_.notify_all();
  // A resume under way stops at its next step (it installs nothing once shut
  // down); from then on stream_ and ticket_ are this thread's.
  if (resumer_.joinable()) {
    if (resumer_.get_id() == std::this_thread::get_id()) {
      resumer_.detach();
    } else {
      resumer_.join();
    }
  }
  if (stream_) {
    // Best effort: the server treats a closed connection as a shutdown anyway,
    // so never block here on a full socket.
    try {
      wire::ClientToServer bye;
      bye.mutable_shutdown();
      send_frame(proto::encode_frame(bye), false);
    } catch (const std::bad_alloc&) {
      // No memory for the goodbye: closing the connection says the same.
    }
    stream_->shutdown();
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
    pollfd p{stream_->fd(), POLLIN, 0};
    // Bytes TLS already holds do not show on the descriptor.
    const int rc = stream_->pending() ? 1 : ::poll(&p, 1, timeout);
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
    const ssize_t n = stream_->read_some(scratch, size);
    if (n > 0) {
      bool decodable = false;
      try {
        decoder_.feed(std::string_view(scratch, static_cast<std::size_t>(n)));
        decodable = handle_buffered();
      } catch (const std::bad_alloc&) {
        // Out of memory while handling a frame: whatever it said is lost,
        // so the stream is treated as a lost connection, the one outcome an
        // application already knows how to recover from (docs/tapi2.md "Out
        // of memory"). What was handled before it is still delivered.
        try {
          queue_->push_all(arrived_);
        } catch (const std::bad_alloc&) {
        }
        arrived_.clear();
      }
      if (!decodable) {
        connection_lost();  // malformed (or no memory): the stream is lost for good
        return false;
      }
      // A short read took everything there was; the receiver's epoll is
      // level-triggered and reports what arrives later.
      if (static_cast<std::size_t>(n) < size && !stream_->pending()) return true;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
    break;  // end of stream or error
  }
  connection_lost(true);
  return false;
}

bool Application::handle_buffered() {
  for (;;) {
    // A fresh message per frame, never one reused: a parse interrupted by
    // std::bad_alloc leaves a protobuf message with its oneof case set and a
    // stale pointer behind it, which a reused message would then free twice.
    wire::ServerToClient incoming;
    const auto status = decoder_.next(incoming);
    if (status == proto::FrameDecoder::Status::kMessage) {
      handle(incoming);
      continue;
    }
    // Everything one read brought is queued at once: the application is
    // woken once for it, not once per message.
    if (queue_->push_all(arrived_)) report_overflow();
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
    if (slot->resent && (r.result() == LINEERR_OPERATIONUNAVAIL || r.result() == LINEERR_RESOURCEUNAVAIL) &&
        state_ == State::kRunning && std::chrono::steady_clock::now() < slot->retry_until) {
      // No proxy at the new server yet: the request may have been applied
      // by the old one, so it must not fail now; the resumer sends it again.
      retry_later_.push_back(slot);
      calls_cv_.notify_all();
      return;
    }
    // Bind before the next frame is read: the Reply may follow at once.
    if (slot->is_request && r.result() > 0 && state_ == State::kRunning) {
      const auto id = static_cast<std::uint32_t>(r.result());
      const std::uint32_t app_id = slot->app_id != 0 ? slot->app_id : id;
      Completion& completion = requests_[id] =
          Completion{std::move(slot->sink), std::move(slot->call_sink), slot->call_hline, app_id, slot->retry_hline,
                     slot->retry,           slot->reply_instance};
      max_request_id_ = std::max(max_request_id_, id);
      if (reply_timeout_.count() > 0) {
        completion.reply_by = std::chrono::steady_clock::now() + reply_timeout_;
        reply_due_locked(completion.reply_by);
      }
    } else if (slot->app_id != 0) {
      // A request sent again after a reconnect, refused this time (its line
      // gone, no proxy yet...): the application learns it from its LINE_REPLY.
      arrived_.push_back({0, LINE_REPLY, slot->reply_instance, slot->app_id, result_param(LINEERR_OPERATIONFAILED), 0});
      return;
    }
  }
  // Likewise the new handles of GetNewCalls: messages for them may follow.
  if (slot->is_new_calls && r.result() == 0) {
    std::vector<std::uint32_t> handles;
    for (const auto server_hcall : r.hcalls()) {
      if (const std::uint32_t h = register_call(server_hcall, slot->call_hline, 0, LINECALLPRIVILEGE_MONITOR)) {
        handles.push_back(h);
      }
    }
    std::lock_guard lock(mu_);
    slot->new_calls = std::move(handles);
  }
  if (slot->is_open && r.result() == 0 && r.hline() != 0) {
    LineInfo line;
    line.open = slot->open_msg;
    line.server_hline = r.hline();
    line.wide = slot->open_wide;
    line.instance = slot->open_instance;
    line.proxy = slot->open_proxy;
    line.api_version = slot->open_api_version;
    line.device_id = slot->open_device_id;
    line.event_seq = r.event_seq();
    line.hline = Registry::instance().add_line(shared_from_this());
    bool kept = false;
    {
      std::lock_guard lock(mu_);
      if (state_ == State::kRunning) {
        if (line.proxy) proxy_ = true;
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
  // Extracted, not erased: if the memory runs out below, the request goes
  // back among the outstanding ones (re-inserting a node allocates nothing)
  // and connection_lost() completes it with LINEERR_OPERATIONFAILED.
  // Room for the LINE_REPLY first: once the request has left the table, its
  // reply must not be lost to a failing push_back.
  arrived_.reserve(arrived_.size() + 1);
  decltype(requests_)::node_type node;
  {
    std::lock_guard lock(mu_);
    if (state_ != State::kRunning) return;
    const auto it = requests_.find(r.request_id());
    if (it != requests_.end()) node = requests_.extract(it);
  }
  std::int32_t result = r.result();
  // Output is written only on success (§1.3: the caller's buffer is ours
  // until LINE_REPLY). A Reply for an id we do not know is passed on as is.
  if (result == 0 && node && node.mapped().sink) {
    std::int32_t rc = 0;
    try {
      rc = node.mapped().sink(r.output());
    } catch (const std::bad_alloc&) {
      rc = LINEERR_NOMEM;  // this request fails; the connection goes on
    }
    if (rc != 0) result = rc;
  }
  // lineMakeCall: the handle is registered before the call's first
  // LINE_CALLSTATE (next in the stream) is handled. Without memory for it the
  // connection is lost (the server then hangs the call up) rather than the
  // call left without a handle.
  if (result == 0 && node && node.mapped().call_sink) {
    std::uint32_t hcall = 0;
    try {
      hcall = register_call(r.hcall(), node.mapped().call_hline, 0, LINECALLPRIVILEGE_OWNER);
    } catch (...) {
      std::lock_guard lock(mu_);
      requests_.insert(std::move(node));
      throw;
    }
    if (hcall == 0) {
      result = LINEERR_OPERATIONFAILED;
    } else {
      node.mapped().call_sink(hcall);
    }
  }
  const std::uint32_t app_id = node && node.mapped().app_id != 0 ? node.mapped().app_id : r.request_id();
  const std::uintptr_t instance = node ? node.mapped().instance : 0;
  arrived_.push_back({0, LINE_REPLY, instance, app_id, result_param(result), 0});
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
    issued.client_instance_id = d.client_instance_id();
    issued.origin_id = d.origin_id();
    issued_.emplace(key, std::move(issued));
  }
  arrived_.push_back({line.hline, LINE_PROXYREQUEST, line.instance, reinterpret_cast<std::uintptr_t>(key), 0, 0});
}

void Application::on_message(const wire::Message& m) {
  LineInfo line;
  std::vector<std::uint32_t> dead_calls;
  std::uint32_t device = 0;
  {
    std::lock_guard lock(mu_);
    if (state_ != State::kRunning) return;
    const auto it = by_server_line_.find(m.hline());
    if (it == by_server_line_.end()) return;  // a line closed here already
    LineInfo& known = lines_.at(it->second);
    if (m.event_seq() != 0) {
      // Replayed after a resume and live as well: delivered once, in order.
      if (m.event_seq() <= known.event_seq) return;
      known.event_seq = m.event_seq();
      event_seq_ = std::max(event_seq_, m.event_seq());
    }
    line = known;
    device = line.hline;
    if (m.msg() == LINE_CLOSE) {
      // The handle dies now; requests already delivered on it may still be
      // answered (take_proxy_request finds them by buffer). Its calls die
      // with it (the server deallocated them with the open).
      lines_.erase(line.hline);
      by_server_line_.erase(it);
      dead_calls = drop_calls_locked(line.hline);
    } else if (m.msg() == LINE_LINEDEVSTATE && (m.param1() & (LINEDEVSTATE_OUTOFSERVICE | LINEDEVSTATE_INSERVICE))) {
      lines_.at(line.hline).out_of_service = (m.param1() & LINEDEVSTATE_OUTOFSERVICE) != 0;
    } else if (m.hcall() != 0 && m.msg() != LINE_APPNEWCALL) {
      // LINE_CALLSTATE, LINE_CALLINFO: hDevice is the call handle.
      const auto call = by_server_call_.find(m.hcall());
      if (call == by_server_call_.end()) return;  // deallocated here already
      device = call->second;
      if (m.msg() == LINE_CALLSTATE) {
        // Remembered for a resume, which ends the call (end_lost_calls_locked).
        CallHandle& handle = call_handles_.at(device);
        handle.last_state = m.param1();
        if (m.param3() != 0) handle.privilege = m.param3();
      }
    }
  }
  if (!dead_calls.empty()) Registry::instance().remove_calls(dead_calls);
  std::uintptr_t param2 = m.param2();
  if (m.msg() == LINE_APPNEWCALL) {
    // hDevice stays the HLINE; dwParam2 is the new handle, in the library's terms.
    const std::uint32_t hcall =
        register_call(m.hcall() != 0 ? m.hcall() : m.param2(), line.hline, m.param1(), m.param3());
    if (hcall == 0) return;
    param2 = hcall;
  }
  arrived_.push_back({device, m.msg(), line.instance, m.param1(), param2, m.param3()});
}

void Application::connection_lost(bool may_resume) {
  std::vector<LineMessage> out;
  std::vector<std::uint32_t> calls;
  {
    std::lock_guard lock(mu_);
    if (state_ != State::kRunning) return;
    bool resuming = may_resume && resume_window_.count() > 0 && !proxy_;
    if (resuming && !resumer_.joinable()) {
      try {
        resumer_ = std::thread([this] { resume_loop(); });
      } catch (const std::system_error&) {
        resuming = false;
      }
    }
    if (!resuming) {
      out = give_up_locked(&calls);
    } else {
      state_ = State::kResuming;
      // The calls end with the server that held them; the application is
      // told at the resume (docs/ha.md "Calls at a resume").
      detach_calls_locked();
      for (auto& [seq, slot] : calls_) {
        if (slot->retry && !slot->abandoned) {
          lost_slots_.push_back(slot);
        } else if (slot->app_id == 0) {
          slot->done = true;
          slot->error = LINEERR_OPERATIONFAILED;
        }
      }
      calls_.clear();
      for (auto& slot : retry_later_) lost_slots_.push_back(slot);
      retry_later_.clear();
      // Call requests die with their calls; agent requests are sent again.
      for (auto it = requests_.begin(); it != requests_.end();) {
        if (it->second.retry) {
          ++it;
          continue;
        }
        out.push_back(
            {0, LINE_REPLY, it->second.instance, it->second.app_id, result_param(LINEERR_OPERATIONFAILED), 0});
        it = requests_.erase(it);
      }
      std::vector<LineInfo*> lines;
      for (auto& [h, line] : lines_) lines.push_back(&line);
      std::sort(lines.begin(), lines.end(), [](const LineInfo* a, const LineInfo* b) { return a->hline < b->hline; });
      for (LineInfo* line : lines) {
        // Said once per outage: not again if the server said it (stepping down).
        if ((line->line_states & LINEDEVSTATE_OUTOFSERVICE) != 0 && !line->out_of_service) {
          out.push_back({line->hline, LINE_LINEDEVSTATE, line->instance, LINEDEVSTATE_OUTOFSERVICE, 0, 0});
        }
        line->out_of_service = true;
      }
    }
  }
  Registry::instance().remove_calls(calls);
  calls_cv_.notify_all();
  queue_->push_all(out);
}

std::vector<LineMessage> Application::give_up_locked(std::vector<std::uint32_t>* calls) {
  std::vector<LineMessage> out;
  state_ = State::kLost;
  // Their callers see kLost and fail; a request sent again after an earlier
  // resume has no caller (the application holds its id) and gets its
  // LINE_REPLY here, once.
  for (const auto& slot : lost_slots_) {
    if (slot->app_id != 0) {
      out.push_back({0, LINE_REPLY, slot->reply_instance, slot->app_id, result_param(LINEERR_OPERATIONFAILED), 0});
    }
  }
  lost_slots_.clear();
  for (const auto& slot : retry_later_) {
    if (slot->app_id != 0) {
      out.push_back({0, LINE_REPLY, slot->reply_instance, slot->app_id, result_param(LINEERR_OPERATIONFAILED), 0});
    }
  }
  retry_later_.clear();
  for (const auto& [id, completion] : requests_) {
    out.push_back({0, LINE_REPLY, completion.instance, completion.app_id != 0 ? completion.app_id : id,
                   result_param(LINEERR_OPERATIONFAILED), 0});
  }
  requests_.clear();
  std::vector<LineInfo> lines;
  for (const auto& [h, line] : lines_) lines.push_back(line);
  lines_.clear();
  by_server_line_.clear();
  *calls = drop_calls_locked(0);
  std::sort(lines.begin(), lines.end(), [](const LineInfo& a, const LineInfo& b) { return a.hline < b.hline; });
  for (const auto& line : lines) out.push_back({line.hline, LINE_CLOSE, line.instance, 0, 0, 0});
  out.push_back({0, LINE_LINEDEVSTATE, 0, LINEDEVSTATE_REINIT, 0, 0});
  return out;
}

void Application::register_again_locked(std::vector<std::shared_ptr<Pending>>& again, std::vector<LineMessage>* said) {
  for (auto it = again.begin(); it != again.end();) {
    const auto& slot = *it;
    std::uint32_t server_hline = 0;
    if (slot->retry_hline != 0) {
      const auto line = lines_.find(slot->retry_hline);
      if (line != lines_.end()) server_hline = line->second.server_hline;
    }
    if (slot->retry_hline != 0 && server_hline == 0) {
      // Its line is gone: the request fails, as on a closed line.
      if (slot->app_id != 0) {
        said->push_back({0, LINE_REPLY, slot->reply_instance, slot->app_id, result_param(LINEERR_OPERATIONFAILED), 0});
      } else {
        slot->done = true;
        slot->error = LINEERR_OPERATIONFAILED;
      }
      it = again.erase(it);
      continue;
    }
    std::uint32_t next;
    do {
      next = ++next_seq_;
    } while (next == 0 || calls_.count(next) != 0);
    wire::ClientToServer msg;
    msg.set_seq(next);
    auto* r = msg.mutable_request();
    r->set_hline(server_hline);
    r->set_device_id(slot->retry->device_id);
    r->set_request_type(slot->retry->request_type);
    r->set_app_api_version(slot->retry->app_api_version);
    r->set_payload(slot->retry->payload);
    r->set_output_size(slot->retry->output_size);
    r->set_origin_id(slot->retry->origin_id);
    slot->frame = proto::encode_frame(msg);
    calls_.emplace(next, slot);
    ++it;
  }
}

std::uint64_t Application::resumes() const {
  std::lock_guard lock(mu_);
  return resumes_;
}

void Application::resume_loop() {
  std::unique_lock lock(mu_);
  for (;;) {
    calls_cv_.wait(lock, [this] {
      return state_ == State::kResuming || state_ == State::kShutdown ||
             (state_ == State::kRunning && !retry_later_.empty());
    });
    if (state_ == State::kShutdown) return;
    if (state_ == State::kRunning) {
      // Requests sent again that found no proxy: again after a pause (the
      // new owner's ACD registers within moments).
      calls_cv_.wait_for(lock, kResumeRetryPause, [this] { return state_ != State::kRunning; });
      if (state_ != State::kRunning) continue;
      std::vector<std::shared_ptr<Pending>> again;
      again.swap(retry_later_);
      std::vector<LineMessage> said;
      register_again_locked(again, &said);
      bound_resent_locked(again);
      std::vector<std::string> frames;
      for (const auto& slot : again) frames.push_back(slot->frame);
      lock.unlock();
      queue_->push_all(said);
      for (const auto& frame : frames) send_frame(frame, true);
      lock.lock();
      continue;
    }
    const auto deadline = std::chrono::steady_clock::now() + resume_window_;
    lock.unlock();
    bool resumed = false;
    try {
      resumed = resume_once(deadline);
    } catch (const std::bad_alloc&) {
      // No memory to resume: given up below, as a lost connection.
    }
    lock.lock();
    if (!resumed && state_ == State::kResuming) {
      std::vector<std::uint32_t> calls;
      std::vector<LineMessage> out = give_up_locked(&calls);
      lock.unlock();
      Registry::instance().remove_calls(calls);
      calls_cv_.notify_all();
      queue_->push_all(out);
      lock.lock();
    }
  }
}

namespace {

// A round trip on a connection nobody else reads yet (a resume): sends `msg`
// and reads until its Result; other frames that arrive meanwhile are kept in
// *other, in order. False if the connection failed or stayed silent.
bool direct_exchange(Stream& stream, proto::FrameDecoder& decoder, const wire::ClientToServer& msg,
                     wire::Result* result, std::vector<wire::ServerToClient>* other,
                     std::chrono::steady_clock::time_point deadline) {
  const std::string frame = proto::encode_frame(msg);
  if (frame.empty() || !stream.write_all(frame)) return false;
  // A live server answers at once; a stopped one must not use up the window.
  deadline = std::min(deadline, std::chrono::steady_clock::now() + 2 * kClusterHandshakeTimeout);
  char buf[4096];
  for (;;) {
    wire::ServerToClient in;
    const auto status = decoder.next(in);
    if (status == proto::FrameDecoder::Status::kMessage) {
      if (in.has_result() && in.result().seq() == msg.seq()) {
        *result = in.result();
        return true;
      }
      other->push_back(std::move(in));
      continue;
    }
    if (status != proto::FrameDecoder::Status::kNeedMore) return false;
    if (!stream.pending()) {
      const auto left = std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || !wait_readable(stream.fd(), left)) return false;
    }
    const ssize_t n = stream.read_some(buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) continue;
    if (n <= 0) return false;
    decoder.feed(std::string_view(buf, static_cast<std::size_t>(n)));
  }
}

}  // namespace

std::uint64_t Application::resume_after_event_seq(const LineInfo& line) const {
  std::lock_guard lock(mu_);
  return std::max(line.event_seq, event_seq_);
}

void Application::take_replay_locked(LineInfo& line, const wire::Result& opened, std::vector<LineMessage>* said) {
  for (const wire::Message& m : opened.replayed()) {
    if (m.event_seq() <= line.event_seq) continue;  // delivered before the loss
    line.event_seq = m.event_seq();
    said->push_back({line.hline, m.msg(), line.instance, m.param1(), m.param2(), m.param3()});
  }
  // The stream goes on after the server's position; after a gap (the log
  // no longer holds what the line missed, or another database's log) the
  // line starts again from there, and the application re-reads at INSERVICE.
  if (opened.replay_gap()) {
    line.event_seq = opened.event_seq();
  } else {
    line.event_seq = std::max(line.event_seq, opened.event_seq());
  }
  event_seq_ = std::max(event_seq_, line.event_seq);
}

bool Application::resume_once(std::chrono::steady_clock::time_point deadline) {
  // Nobody reads the old connection any more (the reader that found it lost
  // lets go at once; the receiver forgets it).
  Receiver::Ticket old;
  std::uint32_t first_id;
  {
    std::lock_guard lock(mu_);
    old = ticket_;
    ticket_ = 0;
    first_id = max_request_id_ >= 0x7FFFFFFF ? 1 : max_request_id_ + 1;
  }
  Receiver::instance().unwatch(old);
  {
    std::unique_lock lock(mu_);
    calls_cv_.wait(lock, [this] { return !reading_; });
  }
  ConnectOptions options;
  options.app_name = app_name_;
  options.api_version = app_api_version_;
  options.instance_id = instance_id_;
  options.first_request_id = first_id;
  std::optional<proto::ServerAddress> given_up;
  {
    std::lock_guard lock(mu_);
    given_up = server_address_;
  }
  for (bool first = true;; first = false) {
    {
      std::unique_lock lock(mu_);
      if (!first) {
        calls_cv_.wait_until(lock, std::min(deadline, std::chrono::steady_clock::now() + kResumeRetryPause),
                             [this] { return state_ != State::kResuming; });
      }
      if (state_ != State::kResuming) return false;
    }
    if (std::chrono::steady_clock::now() >= deadline) return false;
    proto::FrameDecoder decoder;
    wire::Welcome welcome;
    std::unique_ptr<Stream> stream;
    Timeouts timeouts;
    std::optional<proto::ServerAddress> welcomed_at;
    if (connect_any(options, decoder, &welcome, &stream, &timeouts, given_up, &welcomed_at) != 0) continue;

    // Reopen every line with what it was opened with, and its selection of
    // status messages.
    std::vector<LineInfo> lines;
    {
      std::lock_guard lock(mu_);
      for (const auto& [h, line] : lines_) lines.push_back(line);
    }
    // Lowest device first: an agent handler's agent, queue and group
    // messages go to an application's lowest open line, so that line's
    // replay carries those it missed, and no higher line's does
    // (docs/ha.md "Status messages replayed").
    std::sort(lines.begin(), lines.end(), [](const LineInfo& a, const LineInfo& b) {
      return a.device_id != b.device_id ? a.device_id < b.device_id : a.hline < b.hline;
    });
    std::vector<wire::ServerToClient> early;
    std::unordered_map<std::uint32_t, std::uint32_t> reopened;  // HLINE -> new server handle
    std::unordered_map<std::uint32_t, wire::Result> replays;    // HLINE -> the Open's answer (replayed messages)
    std::uint32_t seq = 0;
    bool transport = true;
    for (const LineInfo& line : lines) {
      if (!line.open) continue;
      wire::ClientToServer open;
      *open.mutable_open() = *line.open;
      open.mutable_open()->set_resume_after_event_seq(resume_after_event_seq(line));
      open.set_seq(++seq);
      wire::Result result;
      if (!direct_exchange(*stream, decoder, open, &result, &early, deadline)) {
        transport = false;
        break;
      }
      if (result.result() != 0 || result.hline() == 0) continue;  // refused now: LINE_CLOSE below
      reopened[line.hline] = result.hline();
      replays[line.hline] = result;
      if (line.line_states == 0 && line.address_states == 0) continue;
      wire::ClientToServer select;
      auto* s = select.mutable_set_status_messages();
      s->set_hline(result.hline());
      s->set_line_states(line.line_states);
      s->set_address_states(line.address_states);
      select.set_seq(++seq);
      if (!direct_exchange(*stream, decoder, select, &result, &early, deadline)) {
        transport = false;
        break;
      }
    }
    if (!transport) continue;

    // Install the new connection under the same handles.
    std::vector<LineMessage> said;
    std::vector<std::shared_ptr<Pending>> again;
    std::vector<std::string> frames;        // of `again`, sent once the connection is watched
    std::vector<std::uint32_t> orphans;     // reopened, but closed by the application meanwhile
    std::vector<std::uint32_t> dead_calls;  // handles of lines not reopened
    std::unique_ptr<Stream> gone;
    {
      std::lock_guard send(send_mu_);
      std::lock_guard lock(mu_);
      if (state_ != State::kResuming) return false;
      gone = std::move(stream_);
      stream_ = std::move(stream);
      decoder_ = std::move(decoder);
      num_devices_ = welcome.num_devices();
      server_api_version_ = welcome.server_api_version();
      by_server_line_.clear();
      std::vector<LineInfo*> kept;
      for (auto it = lines_.begin(); it != lines_.end();) {
        const auto found = reopened.find(it->first);
        if (found == reopened.end()) {
          said.push_back({it->first, LINE_CLOSE, it->second.instance, 0, 0, 0});
          it = lines_.erase(it);
          continue;
        }
        it->second.server_hline = found->second;
        by_server_line_[found->second] = it->first;
        kept.push_back(&it->second);
        reopened.erase(found);
        ++it;
      }
      for (const auto& [h, server_hline] : reopened) orphans.push_back(server_hline);
      std::sort(kept.begin(), kept.end(), [](const LineInfo* a, const LineInfo* b) { return a->hline < b->hline; });
      server_address_ = welcomed_at;
      end_lost_calls_locked(kept, &said, &dead_calls);
      for (LineInfo* line : kept) {
        line->out_of_service = false;
        // What the line missed, before INSERVICE: an application (the TAPI 3
        // layer) that re-reads at INSERVICE finds them applied already.
        take_replay_locked(*line, replays[line->hline], &said);
        if ((line->line_states & LINEDEVSTATE_INSERVICE) != 0) {
          said.push_back({line->hline, LINE_LINEDEVSTATE, line->instance, LINEDEVSTATE_INSERVICE, 0, 0});
        }
      }
      // The agent requests in flight at the loss go again, under their
      // origin ids: the proxy answers one it already applied from what it
      // stored (docs/ha.md "Requests in flight exactly once").
      for (auto& [id, completion] : requests_) {
        auto slot = std::make_shared<Pending>();
        slot->is_request = true;
        slot->sink = std::move(completion.sink);
        slot->retry = completion.retry;
        slot->retry_hline = completion.hline;
        slot->app_id = completion.app_id;
        again.push_back(std::move(slot));
      }
      requests_.clear();
      for (auto& slot : lost_slots_) {
        if (!slot->abandoned) again.push_back(slot);
      }
      lost_slots_.clear();
      for (auto& slot : again) {
        slot->resent = true;
        slot->retry_until = deadline;
      }
      // Registered before anything is sent, so a loss meanwhile finds them.
      register_again_locked(again, &said);
      bound_resent_locked(again);
      for (const auto& slot : again) frames.push_back(slot->frame);
      state_ = State::kRunning;
      reading_ = true;  // the frames that came with the answers are handled here first
      ++resumes_;
    }
    if (gone) gone->shutdown();
    gone.reset();
    Registry::instance().remove_calls(dead_calls);
    arrived_.insert(arrived_.end(), said.begin(), said.end());
    for (const auto& msg : early) handle(msg);
    const bool decodable = handle_buffered();
    {
      std::lock_guard lock(mu_);
      reading_ = false;
    }
    calls_cv_.notify_all();
    if (!decodable) {
      connection_lost();
      return true;
    }
    const Receiver::Ticket ticket = Receiver::instance().watch(stream_->fd(), this);
    {
      std::lock_guard lock(mu_);
      ticket_ = ticket;
    }
    calls_cv_.notify_all();
    if (ticket == 0) {
      connection_lost();
      return true;
    }
    for (const auto server_hline : orphans) {
      wire::ClientToServer close;
      close.mutable_close()->set_hline(server_hline);
      send_only(close);
    }
    for (const auto& frame : frames) send_frame(frame, true);
    return true;
  }
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
