// The I/O of the HTTP front: an acceptor, one HttpSession per connection
// (HTTP/1.1 with keep-alive), one EventSession per /events WebSocket, all on
// one io_context thread. Meaning lives in RequestHandler; this file knows
// bytes, sockets, Beast and the fan-out of changes to WebSocket clients.
#include "http/http_server.h"

#include <spdlog/spdlog.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <chrono>
#include <cstdio>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <utility>

#include "acd/supervision.h"
#include "http/change_log.h"
#include "http/json_views.h"
#include "http/metrics_text.h"
#include "http/request_handler.h"
#include "tls/server_context.h"

namespace opentapi::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;
// An HTTP connection's stream: plain, or TLS (HttpServerOptions::tls).
using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// After a failed accept, the wait before the next (as the TAPI listener does).
constexpr std::chrono::milliseconds kAcceptRetry{100};

constexpr std::size_t kMaxHeaderBytes = 16 * 1024;
// A client must send a whole request, or take a whole response, within this.
constexpr auto kIoTimeout = 30s;
// How long a slow consumer being closed gets to take its close frame.
constexpr auto kCloseGrace = 5s;
// Kernel send buffer of a WebSocket client. Fixed (not auto-tuned up to
// megabytes) so that a client that stops reading is noticed by the frame
// count above, not after megabytes of frames sit in the kernel; ample for a
// wallboard's trickle of small frames.
constexpr int kEventSendBuffer = 256 * 1024;

// Where other threads (the ACD's) hand work to the HTTP thread. Drops the
// work once the server has stopped, so a late answer from the ACD is harmless.
class Mailbox {
 public:
  explicit Mailbox(asio::io_context& io) : io_(&io) {}
  template <typename F>
  void post(F&& f) {
    std::lock_guard lock(mutex_);
    if (io_ != nullptr) asio::post(*io_, std::forward<F>(f));
  }
  void close() {
    std::lock_guard lock(mutex_);
    io_ = nullptr;
  }

 private:
  std::mutex mutex_;
  asio::io_context* io_;
};

std::string random_stream_id() {
  std::random_device device;
  const std::uint64_t value = (static_cast<std::uint64_t>(device()) << 32) ^ device();
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(value));
  return buf;
}

std::string dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

// One /events client, whatever its stream (EventSession<Stream>).
class EventClient {
 public:
  virtual ~EventClient() = default;
  virtual void deliver(std::uint64_t seq, const ChangeLog::Frame& frame) = 0;
  // An event-log client (?since=): reads and sends what the log has gained.
  virtual void poll_log() {}
  virtual const std::string& user() const = 0;
  virtual void revoke() = 0;
};

// Everything the sessions share. Lives in HttpServer::Impl; touched only on
// the HTTP thread once start() has returned.
class Hub {
 public:
  explicit Hub(HttpServerOptions o)
      : options(std::move(o)),
        handler(RequestHandler::Options{options.supervision, options.tokens, options.web_root,
                                        options.telephony_metrics, &counters, options.cluster, options.lockout}),
        mailbox(std::make_shared<Mailbox>(io)),
        acceptor(io),
        accept_retry(io),
        log([](const acd::BoardChange& change) { return dump(change_json(change)); }),
        stream_id(random_stream_id()),
        log_timer(io) {}

  // Declared first so that it is destroyed last: pending handlers (and the
  // sessions they own) go with it, after the rest of the hub is gone they
  // no longer touch it.
  asio::io_context io{1};
  HttpServerOptions options;
  HttpCounters counters;
  RequestHandler handler;
  std::shared_ptr<Mailbox> mailbox;
  tcp::acceptor acceptor;
  // After a failed accept (e.g. out of file descriptors): the wait before
  // accepting again, and the failures of the current episode (one warning
  // per episode, one line when it ends; docs/security.md "Logs").
  asio::steady_timer accept_retry;
  std::uint64_t accept_failures = 0;
  ChangeLog log;
  std::string stream_id;
  std::map<std::uint64_t, std::weak_ptr<EventClient>> event_sessions;
  // The event-log clients (?since=), read from the store: at once after
  // every drain of the ACD's changes, and every kLogPoll in any case (an
  // entry that changed nothing on the board, a write the ACD of another
  // node made is not announced here).
  std::map<std::uint64_t, std::weak_ptr<EventClient>> log_sessions;
  asio::steady_timer log_timer;
  bool log_timer_armed = false;
  bool log_poll_posted = false;
  // HTTPS: the context new connections get (replaced by reload_tls()).
  std::mutex tls_mutex;
  std::shared_ptr<asio::ssl::context> tls;
  std::shared_ptr<asio::ssl::context> current_tls() {
    std::lock_guard lock(tls_mutex);
    return tls;
  }
  std::uint64_t last_session_id = 0;

  void count(unsigned status) { ++counters.responses_by_status[status]; }
  void accept();

  // Called by the ACD on its thread: copies the change and, while an
  // /events client is connected, makes sure a drain is posted. While nobody
  // watches, the changes wait here (this thread is not woken per change)
  // until kUnwatchedBatch of them are queued or a client connects
  // (catch_up).
  void take_change(const acd::BoardChange& change) {
    bool post = false;
    {
      std::lock_guard lock(incoming_mutex_);
      incoming_.push_back(change);
      post = !drain_posted_ && (watched_ || incoming_.size() >= kUnwatchedBatch);
      if (post) drain_posted_ = true;
    }
    if (post) mailbox->post([this] { drain_one(); });
  }

  // An /events client is about to be registered: from now on every change
  // posts a drain, and everything queued so far is recorded (and delivered
  // to the clients already connected) before the new client's snapshot or
  // resume is taken, so the log it resumes from has no hole.
  void catch_up() {
    std::deque<acd::BoardChange> batch;
    {
      std::lock_guard lock(incoming_mutex_);
      watched_ = true;
      batch.swap(incoming_);
    }
    for (auto& change : batch) on_change(std::move(change));
  }

  // The last /events client is gone.
  void unwatched() {
    std::lock_guard lock(incoming_mutex_);
    watched_ = !event_sessions.empty() || !log_sessions.empty();
  }

  // Every event-log client reads what is new.
  void poll_logs() {
    std::vector<std::shared_ptr<EventClient>> sessions;
    for (const auto& [id, weak] : log_sessions) {
      if (auto s = weak.lock()) sessions.push_back(std::move(s));
    }
    for (const auto& s : sessions) s->poll_log();
  }

  // Polls every kLogPoll while event-log clients are connected.
  void arm_log_timer() {
    if (log_timer_armed || log_sessions.empty()) return;
    log_timer_armed = true;
    log_timer.expires_after(kLogPoll);
    log_timer.async_wait([this](beast::error_code ec) {
      log_timer_armed = false;
      if (ec) return;
      poll_logs();
      arm_log_timer();
    });
  }

 private:
  static constexpr std::size_t kUnwatchedBatch = 1024;
  static constexpr auto kLogPoll = 200ms;

  // While /events clients are connected: one change per handler, then back
  // to the end of the queue, so every client's write completion gets its
  // turn between two changes, a client that reads keeps pace with the ACD
  // however busy this thread is, and only one that does not read falls
  // behind. With none connected, a change is only recorded (nothing is
  // serialised), so everything queued is taken in one handler.
  void drain_one() {
    std::deque<acd::BoardChange> batch;
    bool more = false;
    {
      std::lock_guard lock(incoming_mutex_);
      if (event_sessions.empty()) {
        batch.swap(incoming_);
      } else if (!incoming_.empty()) {
        batch.push_back(std::move(incoming_.front()));
        incoming_.pop_front();
      }
      more = !incoming_.empty();
      drain_posted_ = more;
    }
    for (auto& change : batch) on_change(std::move(change));
    if (more) mailbox->post([this] { drain_one(); });
    // The changes were committed: the event log has their entries. One
    // read per burst, after the drains already queued.
    if (!log_sessions.empty() && !log_poll_posted) {
      log_poll_posted = true;
      mailbox->post([this] {
        log_poll_posted = false;
        poll_logs();
      });
    }
  }
  void on_change(acd::BoardChange change);

  std::mutex incoming_mutex_;
  std::deque<acd::BoardChange> incoming_;
  bool drain_posted_ = false;
  bool watched_ = false;  // an /events client is connected (or being registered)
};

template <typename Stream>
class HttpSession : public std::enable_shared_from_this<HttpSession<Stream>> {
 public:
  HttpSession(Stream stream, Hub& hub) : stream_(std::move(stream)), hub_(hub) {}

  void start() { read(); }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(kMaxBodyBytes);
    parser_->header_limit(kMaxHeaderBytes);
    beast::get_lowest_layer(stream_).expires_after(kIoTimeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec == bhttp::error::end_of_stream) return shutdown();
    if (ec == bhttp::error::body_limit) {
      return respond(
          error_response(400, "BAD_REQUEST", "body: larger than " + std::to_string(kMaxBodyBytes) + " bytes", "body"),
          false, false, 11);
    }
    if (ec == bhttp::error::header_limit) {
      return respond(error_response(431, "REQUEST_HEADER_FIELDS_TOO_LARGE",
                                    "header: larger than " + std::to_string(kMaxHeaderBytes) + " bytes", "header"),
                     false, false, 11);
    }
    if (ec && ec.category() == bhttp::make_error_code(bhttp::error::body_limit).category()) {
      // Not HTTP: answer once, then close (the stream cannot be resynchronised).
      if (ec == bhttp::error::partial_message) return shutdown();
      return respond(error_response(400, "BAD_REQUEST", "malformed HTTP request: " + ec.message()), false, false, 11);
    }
    if (ec) return shutdown();

    auto& req = parser_->get();
    Request request;
    request.method = std::string(req.method_string());
    request.target = std::string(req.target());
    request.authorization = std::string(req[bhttp::field::authorization]);
    request.peer = peer_address();
    if (websocket::is_upgrade(req)) return upgrade(request);
    request.body = std::move(req.body());
    const bool keep_alive = req.keep_alive();
    const bool head = req.method() == bhttp::verb::head;
    const unsigned version = req.version();
    hub_.handler.handle(request, [self = this->shared_from_this(), mailbox = hub_.mailbox, keep_alive, head,
                                  version](Response response) {
      mailbox->post([self, response = std::move(response), keep_alive, head, version]() mutable {
        self->respond(std::move(response), keep_alive, head, version);
      });
    });
  }

  void upgrade(const Request& request);

  // The client's address, for the brute-force limits ("" if unknown).
  std::string peer_address() {
    boost::system::error_code ec;
    const auto endpoint = beast::get_lowest_layer(stream_).socket().remote_endpoint(ec);
    return ec ? std::string() : endpoint.address().to_string();
  }

  void respond(Response response, bool keep_alive, bool head, unsigned version) {
    auto res =
        std::make_shared<bhttp::response<bhttp::string_body>>(static_cast<bhttp::status>(response.status), version);
    res->set(bhttp::field::server, "opentapid");
    res->set(bhttp::field::content_type, response.content_type);
    res->set("X-Content-Type-Options", "nosniff");
    std::optional<std::string> length;
    for (auto& [name, value] : response.headers) {
      if (beast::iequals(name, "Content-Length")) {
        length = value;
      } else {
        res->set(name, value);
      }
    }
    res->keep_alive(keep_alive);
    if (head) {
      res->set(bhttp::field::content_length, length.value_or(std::to_string(response.body.size())));
    } else {
      res->body() = std::move(response.body);
      res->prepare_payload();
    }
    hub_.count(response.status);
    beast::get_lowest_layer(stream_).expires_after(kIoTimeout);
    bhttp::async_write(stream_, *res, [self = this->shared_from_this(), res](beast::error_code ec, std::size_t) {
      if (ec || !res->keep_alive()) return self->shutdown();
      self->read();
    });
  }

  void shutdown() {
    // HTTPS: no close_notify (a peer that does not read must not hold the
    // connection open); HTTP/1.1 frames every response itself.
    beast::error_code ignored;
    beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_send, ignored);
    beast::get_lowest_layer(stream_).close();
  }

  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  Hub& hub_;
};

// One /events client: a snapshot (or resume) and then every change, in
// order, each frame written once the previous one is on its way.
template <typename Stream>
class EventSession final : public EventClient, public std::enable_shared_from_this<EventSession<Stream>> {
 public:
  using Frame = ChangeLog::Frame;

  EventSession(Stream stream, Hub& hub, EventsRequest request)
      : ws_(std::move(stream)), hub_(hub), request_(std::move(request)), close_timer_(ws_.get_executor()) {}

  void start(bhttp::request<bhttp::string_body> upgrade) {
    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = kIoTimeout;
    timeouts.idle_timeout = 60s;  // with pings: a vanished client is noticed
    timeouts.keep_alive_pings = true;
    ws_.set_option(timeouts);
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(bhttp::field::server, "opentapid"); }));
    ws_.read_message_max(4096);
    ws_.text(true);
    ws_.async_accept(upgrade, [self = this->shared_from_this()](beast::error_code ec) { self->on_accept(ec); });
  }

  // A change, already a frame. Changes the client has (seq <= what it was
  // sent first) are skipped.
  void deliver(std::uint64_t seq, const Frame& frame) override {
    if (seq <= last_seq_) return;
    last_seq_ = seq;
    enqueue(frame);
  }

  const std::string& user() const override { return request_.user; }

  // The user's last token was removed by a reload: closed with 1008 like a
  // slow consumer, but a reconnect with the old token gets 401.
  void revoke() override {
    if (closing_ || finished_) return;
    spdlog::info("event=websocket-token-revoked session={} user=\"{}\"", id_, request_.user);
    close_reason_ = "token revoked";
    begin_close();
  }

 private:
  void on_accept(beast::error_code ec) {
    if (ec) return;
    hub_.count(101);
    hub_.catch_up();
    id_ = ++hub_.last_session_id;
    ++hub_.counters.websocket_clients;
    registered_ = true;
    if (request_.since) {
      hub_.log_sessions.emplace(id_, std::weak_ptr<EventClient>(this->shared_from_this()));
      hub_.arm_log_timer();
      start_log(*request_.since);
      read();
      return;
    }
    hub_.event_sessions.emplace(id_, std::weak_ptr<EventClient>(this->shared_from_this()));

    std::optional<std::vector<Frame>> missed;
    const bool same_stream = request_.stream.empty() || request_.stream == hub_.stream_id;
    if (request_.after && same_stream) missed = hub_.log.since(*request_.after);
    if (missed) {
      enqueue(std::make_shared<const std::string>(dump(nlohmann::json{
          {"type", "resume"}, {"seq", *request_.after}, {"now_ms", now_ms()}, {"stream", hub_.stream_id}})));
      for (const Frame& f : *missed) enqueue(f);
      last_seq_ = hub_.log.last_seq();
    } else {
      const acd::Board board = hub_.options.supervision->board();
      nlohmann::json snapshot = board_json(board);
      snapshot["type"] = "snapshot";
      snapshot["stream"] = hub_.stream_id;
      last_seq_ = board.seq;
      enqueue(std::make_shared<const std::string>(dump(snapshot)));
    }
    read();
  }

  // docs/http.md "The event log on /events": "log" when every entry after
  // `since` is still held (then those entries), else "reset" saying where
  // the stream goes on.
  void start_log(std::uint64_t since) {
    log_sent_ = since;
    log_from_oldest_ = since == 0;
    auto last = hub_.options.supervision->last_event_seq();
    if (!last.ok()) return fail_log(last.status());
    bool held = since <= *last;
    std::uint64_t first = 0;
    if (held && since > 0 && since < *last) {
      auto page = hub_.options.supervision->audit("", "", since, 1);
      if (!page.ok()) return fail_log(page.status());
      if (page->empty() || page->front().seq != since + 1) {
        held = false;
        first = page->empty() ? 0 : page->front().seq;
      }
    }
    if (held) {
      enqueue(std::make_shared<const std::string>(
          dump(nlohmann::json{{"type", "log"}, {"since", since}, {"last_seq", *last}, {"now_ms", now_ms()}})));
    } else {
      reset_log(since, first > 0 ? first - 1 : *last, first);
    }
    poll_log();
  }

  // The entries after `since` up to `goes_on_after` are not held (trimmed,
  // or `since` is beyond the log, e.g. from another database): the client
  // reloads its state; the stream goes on after `goes_on_after`.
  void reset_log(std::uint64_t since, std::uint64_t goes_on_after, std::uint64_t first_held) {
    spdlog::info("event=websocket-log-reset session={} since={} goes_on_after={}", id_, since, goes_on_after);
    enqueue(std::make_shared<const std::string>(dump(nlohmann::json{{"type", "reset"},
                                                                    {"since", since},
                                                                    {"seq", goes_on_after},
                                                                    {"first_seq", first_held},
                                                                    {"now_ms", now_ms()}})));
    log_sent_ = goes_on_after;
  }

  void poll_log() override {
    if (!request_.since || closing_ || finished_) return;
    // Read no more than half the frame limit ahead: the client is never
    // closed as a slow consumer for entries it did not ask for yet; the
    // rest is read as its frames go out (on_written).
    const std::size_t room = std::max<std::size_t>(hub_.options.max_queued_frames / 2, 1);
    log_behind_ = false;
    while (queue_.size() < room) {
      const std::size_t want = std::min(kLogPage, room - queue_.size());
      auto page = hub_.options.supervision->audit("", "", log_sent_, want);
      if (!page.ok()) return fail_log(page.status());
      for (const store::AuditEntry& e : *page) {
        if (e.seq <= log_sent_) continue;
        // Trimmed while this client lagged behind: said, never skipped silently.
        if (e.seq != log_sent_ + 1 && !log_from_oldest_) reset_log(log_sent_, e.seq - 1, e.seq);
        log_from_oldest_ = false;
        nlohmann::json frame = audit_json(e);
        frame["type"] = "event";
        enqueue(std::make_shared<const std::string>(dump(frame)));
        log_sent_ = e.seq;
      }
      if (page->size() < want) return;
    }
    log_behind_ = true;
  }

  // The event log cannot be read (the store failed, this node stepped down):
  // the client goes to another node and resumes there with since.
  void fail_log(const core::Status& status) {
    spdlog::warn("event=websocket-log-failed session={} error=\"{}\"", id_, status.message());
    close_code_ = websocket::close_code::try_again_later;
    close_reason_ = "event log unavailable; reconnect with since";
    begin_close();
  }

  static std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  // What the client says is ignored; reading keeps pings, pongs and its close working.
  void read() {
    ws_.async_read(incoming_, [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->finish();
      self->incoming_.clear();
      self->read();
    });
  }

  void enqueue(Frame frame) {
    if (closing_ || finished_) return;
    ++hub_.counters.websocket_frames;
    if (!writing_) return write(std::move(frame));
    queue_.push_back(std::move(frame));
    if (queue_.size() > hub_.options.max_queued_frames) overflow();
  }

  void write(Frame frame) {
    writing_ = true;
    current_ = std::move(frame);
    ws_.async_write(asio::buffer(*current_),
                    [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->on_written(ec); });
  }

  void on_written(beast::error_code ec) {
    writing_ = false;
    current_.reset();
    if (ec) return abort();
    if (closing_) return close_now();
    if (!queue_.empty()) {
      Frame next = std::move(queue_.front());
      queue_.pop_front();
      write(std::move(next));
    }
    if (log_behind_ && queue_.size() < std::max<std::size_t>(hub_.options.max_queued_frames / 4, 1)) poll_log();
  }

  // docs/http.md: a client that falls behind is closed with 1008 and comes
  // back with ?after=; the close frame follows the frame being written.
  void overflow() {
    ++hub_.counters.websocket_slow_consumers;
    spdlog::warn("event=websocket-slow-consumer session={} user=\"{}\" queued={}", id_, request_.user, queue_.size());
    close_reason_ = "slow consumer: more than " + std::to_string(hub_.options.max_queued_frames) +
                    " frames queued; reconnect with after";
    begin_close();
  }

  void begin_close() {
    closing_ = true;
    queue_.clear();
    close_timer_.expires_after(kCloseGrace);
    close_timer_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
      if (!ec) self->abort();
    });
    if (!writing_) close_now();
  }

  void close_now() {
    if (close_sent_) return;
    close_sent_ = true;
    ws_.async_close(websocket::close_reason(close_code_, close_reason_),
                    [self = this->shared_from_this()](beast::error_code) { self->abort(); });
  }

  void abort() {
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
    finish();
  }

  void finish() {
    if (finished_) return;
    finished_ = true;
    close_timer_.cancel();
    queue_.clear();
    if (registered_) {
      hub_.event_sessions.erase(id_);
      hub_.log_sessions.erase(id_);
      hub_.unwatched();
      --hub_.counters.websocket_clients;
    }
  }

  websocket::stream<Stream> ws_;
  Hub& hub_;
  EventsRequest request_;
  asio::steady_timer close_timer_;
  beast::flat_buffer incoming_;
  std::deque<Frame> queue_;
  Frame current_;
  std::string close_reason_;
  std::uint64_t id_ = 0;
  std::uint64_t last_seq_ = 0;
  websocket::close_code close_code_ = websocket::close_code::policy_error;
  // Event-log mode (?since=): the last seq sent; whether the first entry
  // read may start anywhere (since=0: from the oldest held); whether more
  // is waiting in the log than was read.
  static constexpr std::size_t kLogPage = 256;
  std::uint64_t log_sent_ = 0;
  bool log_from_oldest_ = false;
  bool log_behind_ = false;
  bool registered_ = false;
  bool writing_ = false;
  bool closing_ = false;
  bool close_sent_ = false;
  bool finished_ = false;
};

template <typename Stream>
void HttpSession<Stream>::upgrade(const Request& request) {
  auto decision = hub_.handler.accept_events(request);
  if (auto* refusal = std::get_if<Response>(&decision)) {
    return respond(std::move(*refusal), false, false, parser_->get().version());
  }
  beast::get_lowest_layer(stream_).expires_never();
  beast::error_code ignored;
  beast::get_lowest_layer(stream_).socket().set_option(asio::socket_base::send_buffer_size(kEventSendBuffer), ignored);
  auto session =
      std::make_shared<EventSession<Stream>>(std::move(stream_), hub_, std::move(std::get<EventsRequest>(decision)));
  session->start(parser_->release());
}

void Hub::accept() {
  acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
    if (ec) {
      // Accepting again at once would fail again at once: a core and a log
      // line per attempt for as long as the descriptors are in use.
      ++counters.accept_errors;
      if (accept_failures++ == 0) {
        spdlog::warn(
            "event=http-accept-failed error=\"{}\" retry_ms={} note=\"retrying quietly until an accept succeeds\"",
            ec.message(), kAcceptRetry.count());
      }
      accept_retry.expires_after(kAcceptRetry);
      accept_retry.async_wait([this](const beast::error_code& wait_ec) {
        if (!wait_ec && acceptor.is_open()) accept();
      });
      return;
    }
    if (accept_failures > 0) {
      spdlog::info("event=http-accept-recovered failed_accepts={}", accept_failures);
      accept_failures = 0;
    }
    beast::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    if (auto tls_context = current_tls()) {
      // The handshake has the deadline of a request (kIoTimeout); the
      // connection keeps its context through a reload.
      auto stream = std::make_shared<TlsStream>(PlainStream(std::move(socket)), *tls_context);
      beast::get_lowest_layer(*stream).expires_after(kIoTimeout);
      stream->async_handshake(asio::ssl::stream_base::server, [this, stream, tls_context](beast::error_code hs_ec) {
        if (hs_ec) {
          ++counters.tls_handshake_failures;
          spdlog::debug("event=https-handshake-failed error=\"{}\"", hs_ec.message());
          return;
        }
        std::make_shared<HttpSession<TlsStream>>(std::move(*stream), *this)->start();
      });
    } else {
      std::make_shared<HttpSession<PlainStream>>(PlainStream(std::move(socket)), *this)->start();
    }
    accept();
  });
}

void Hub::on_change(acd::BoardChange change) {
  const std::uint64_t seq = change.seq;
  if (seq != log.last_seq() + 1 && seq > log.last_seq()) {
    spdlog::warn("event=board-gap expected={} got={}", log.last_seq() + 1, seq);
  }
  if (!log.append(std::move(change))) return;
  if (event_sessions.empty()) return;
  const ChangeLog::Frame frame = log.newest_frame();
  std::vector<std::shared_ptr<EventClient>> sessions;
  sessions.reserve(event_sessions.size());
  for (const auto& [id, weak] : event_sessions) {
    if (auto s = weak.lock()) sessions.push_back(std::move(s));
  }
  for (const auto& s : sessions) s->deliver(seq, frame);
}

}  // namespace

struct HttpServer::Impl {
  explicit Impl(HttpServerOptions options) : hub(std::move(options)) {}
  Hub hub;
  std::thread thread;
  std::optional<std::uint64_t> subscription;
  std::string bound_host;
  std::uint16_t bound_port = 0;
  bool running = false;
};

HttpServer::HttpServer(HttpServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

HttpServer::~HttpServer() { stop(); }

std::string HttpServer::start() {
  Hub& hub = impl_->hub;
  const HttpServerOptions& o = hub.options;
  const std::string scheme = o.tls ? "https" : "http";
  const std::string where =
      (o.host.find(':') != std::string::npos ? "[" + o.host + "]" : o.host) + ":" + std::to_string(o.port);
  if (o.tls) {
    std::string error;
    auto ctx = tls::make_server_context(o.tls_files, &error);
    if (!ctx) return "cannot listen on https " + where + ": " + error;
    std::lock_guard lock(hub.tls_mutex);
    hub.tls = std::move(ctx);
  }
  beast::error_code ec;
  tcp::resolver resolver(hub.io);
  const auto results = resolver.resolve(o.host, std::to_string(o.port), tcp::resolver::passive, ec);
  if (ec || results.empty()) {
    return "cannot listen on " + scheme + " " + where + ": cannot resolve '" + o.host +
           "': " + (ec ? ec.message() : "no address");
  }
  const tcp::endpoint endpoint = results.begin()->endpoint();
  // docs/security.md "Deploying on a network": bearer tokens must not cross
  // a network in the clear unless the operator says so.
  if (!o.tls && !endpoint.address().is_loopback() && !o.allow_plaintext) {
    return "refusing to listen on http " + where +
           ": plain HTTP on an address other than loopback would send bearer tokens unencrypted; use --http https:" +
           where + " with --tls-cert and --tls-key, or give --allow-plaintext if the network is trusted";
  }
  hub.acceptor.open(endpoint.protocol(), ec);
  if (!ec) hub.acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) hub.acceptor.bind(endpoint, ec);
  if (!ec) hub.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    beast::error_code ignored;
    hub.acceptor.close(ignored);
    return "cannot listen on " + scheme + " " + where + ": " + ec.message();
  }
  const tcp::endpoint bound = hub.acceptor.local_endpoint(ec);
  impl_->bound_host = bound.address().to_string();
  impl_->bound_port = bound.port();

  if (o.supervision != nullptr) {
    // The ACD calls this on its own thread: copy and post, never block.
    auto [board, id] = o.supervision->subscribe([&hub](const acd::BoardChange& change) { hub.take_change(change); });
    impl_->subscription = id;
    hub.log.reset(board.seq);
  }
  hub.accept();
  impl_->running = true;
  impl_->thread = std::thread([&hub] {
    auto work = asio::make_work_guard(hub.io);
    for (;;) {
      try {
        hub.io.run();
        return;
      } catch (const std::exception& e) {
        // One request's failure must not take the others down.
        spdlog::error("event=http-handler-failed error=\"{}\"", e.what());
      }
    }
  });
  return {};
}

void HttpServer::set_tokens(std::map<std::string, std::string> tokens) {
  Hub& hub = impl_->hub;
  hub.mailbox->post([&hub, tokens = std::move(tokens)]() mutable {
    hub.handler.set_tokens(std::move(tokens));
    std::vector<std::shared_ptr<EventClient>> revoked;
    for (const auto* sessions : {&hub.event_sessions, &hub.log_sessions}) {
      for (const auto& [id, weak] : *sessions) {
        auto s = weak.lock();
        if (s && !hub.handler.tokens().has_user(s->user())) revoked.push_back(std::move(s));
      }
    }
    for (const auto& s : revoked) s->revoke();
  });
}

std::string HttpServer::reload_tls() {
  Hub& hub = impl_->hub;
  if (!hub.options.tls) return {};
  std::string error;
  auto ctx = tls::make_server_context(hub.options.tls_files, &error);
  if (!ctx) return error;
  std::lock_guard lock(hub.tls_mutex);
  hub.tls = std::move(ctx);
  return {};
}

std::string HttpServer::host() const { return impl_->bound_host; }
std::uint16_t HttpServer::port() const { return impl_->bound_port; }

void HttpServer::stop() {
  if (!impl_ || !impl_->running) return;
  impl_->running = false;
  Hub& hub = impl_->hub;
  if (impl_->subscription) hub.options.supervision->unsubscribe(*impl_->subscription);
  impl_->subscription.reset();
  hub.mailbox->close();
  hub.io.stop();
  impl_->thread.join();
  beast::error_code ignored;
  hub.acceptor.close(ignored);
}

}  // namespace opentapi::http
