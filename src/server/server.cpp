#include "server/server.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <mutex>
#include <unordered_map>

#include "core/log_throttle.h"
#include "server/connection.h"
#include "server/peer_identity.h"
#include "server/protobuf_log.h"
#include "server/socket_path.h"
#include "tls/server_context.h"

namespace opentapi::server {

namespace asio = boost::asio;
using asio::ip::tcp;
using unix_stream = asio::local::stream_protocol;

namespace {

// After a failed accept (e.g. out of file descriptors), wait this long before
// accepting again instead of spinning.
constexpr std::chrono::milliseconds kAcceptRetry{100};

std::int64_t monotonic_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

struct Server::Impl final : Outbox, Journal, ConnectionOwner {
  struct UnixListener {
    unix_stream::acceptor acceptor;
    asio::steady_timer retry;
    std::size_t index = 0;       // into pre_auth_by_listener
    std::uint64_t failures = 0;  // failed accepts in the current episode
    std::string path;
    FileIdentity file;
    UnixListener(asio::io_context& io, std::string p) : acceptor(io), retry(io), path(std::move(p)) {}
  };
  struct TcpListener {
    tcp::acceptor acceptor;
    asio::steady_timer retry;
    std::size_t index = 0;
    std::uint64_t failures = 0;
    bool tls = false;
    explicit TcpListener(asio::io_context& io) : acceptor(io), retry(io) {}
  };

  explicit Impl(ServerOptions o)
      : options(std::move(o)), io(1), switchboard(options.switchboard, *this, this), signals(io) {}

  ServerOptions options;
  asio::io_context io;
  Switchboard switchboard;
  asio::signal_set signals;
  std::vector<std::unique_ptr<UnixListener>> unix_listeners;
  std::vector<std::unique_ptr<TcpListener>> tcp_listeners;
  std::unordered_map<ConnectionId, std::shared_ptr<Connection>> connections;
  ConnectionId last_id = 0;
  bool stopping = false;

  // ---- limits (docs/security.md) ----
  // A connection waiting for its Hello: which listener, which TCP peer.
  struct Waiting {
    std::size_t listener = 0;
    std::string peer;  // empty for UNIX
  };
  std::unordered_map<ConnectionId, Waiting> waiting;
  std::vector<std::size_t> pre_auth_by_listener;  // never shrinks: indices stay valid
  std::unordered_map<std::string, std::size_t> pre_auth_by_peer;
  QueuedOutput queued;
  bool cutting = false;  // cut_largest() is running
  core::LogThrottle refusal_log{10000, 5};
  std::atomic<std::uint64_t> stat_pre_auth{0};
  std::atomic<std::uint64_t> stat_refused{0};
  std::atomic<std::uint64_t> stat_hello_timeouts{0};
  std::atomic<std::uint64_t> stat_accept_errors{0};
  std::atomic<std::uint64_t> stat_queued{0};
  std::atomic<std::uint64_t> stat_cuts{0};
  std::atomic<std::uint64_t> stat_tls_failures{0};
  // The context new tls: connections get; replaced by reload_tls().
  mutable std::mutex tls_mu;
  std::shared_ptr<asio::ssl::context> tls_context;
  core::LogThrottle tls_log{10000, 5};

  std::shared_ptr<asio::ssl::context> current_tls() const {
    std::lock_guard lock(tls_mu);
    return tls_context;
  }

  // ---- listeners ----

  std::string listen_unix(const Listen& l) {
    const std::string& path = l.address.path;
    const std::string where = l.address.to_string();
    if (l.private_directory) {
      const PathCheck dir = make_private_directory(path);
      if (!dir.ok) return "cannot listen on " + where + ": " + dir.error;
    }
    const PathCheck check = prepare_socket_path(path);
    if (!check.ok) return "cannot listen on " + where + ": " + check.error;
    if (check.removed_stale) spdlog::info("event=stale-socket-removed path=\"{}\"", path);

    auto listener = std::make_unique<UnixListener>(io, path);
    boost::system::error_code ec;
    listener->acceptor.open(unix_stream(), ec);
    if (!ec) listener->acceptor.bind(unix_stream::endpoint(path), ec);
    if (ec) return "cannot listen on " + where + ": " + ec.message();
    listener->file = file_identity(path);
    if (l.socket_mode >= 0 && ::chmod(path.c_str(), static_cast<mode_t>(l.socket_mode)) != 0) {
      const std::string error = std::strerror(errno);
      remove_if_same(path, listener->file);
      return "cannot set the mode of " + where + ": " + error;
    }
    listener->index = pre_auth_by_listener.size();
    pre_auth_by_listener.push_back(0);
    listener->acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      remove_if_same(path, listener->file);
      return "cannot listen on " + where + ": " + ec.message();
    }
    unix_listeners.push_back(std::move(listener));
    spdlog::info("event=listen address=\"{}\"", where);
    return {};
  }

  std::string listen_tcp(const Listen& l) {
    const std::string where = l.address.to_string();
    const bool tls = l.address.kind == proto::ServerAddress::Kind::kTls;
    if (options.switchboard.tcp_token.empty()) {
      return "cannot listen on " + where + ": TCP clients authenticate with a token; set one with --token";
    }
    boost::system::error_code ec;
    tcp::resolver resolver(io);
    const auto results = resolver.resolve(l.address.host, std::to_string(l.address.port),
                                          tcp::resolver::passive | tcp::resolver::numeric_service, ec);
    if (ec || results.empty()) {
      return "cannot listen on " + where + ": cannot resolve '" + l.address.host +
             "': " + (ec ? ec.message() : "no address");
    }
    const tcp::endpoint endpoint = results.begin()->endpoint();
    // docs/security.md "Deploying on a network": the token must not cross a
    // network in the clear unless the operator says so.
    if (!tls && !endpoint.address().is_loopback() && !options.allow_plaintext) {
      return "refusing to listen on " + where + ": plain TCP on an address other than loopback would send the token " +
             "and every message unencrypted; use tls:" + where.substr(4) +
             " with --tls-cert and --tls-key, or give --allow-plaintext if the network is trusted";
    }
    auto listener = std::make_unique<TcpListener>(io);
    listener->tls = tls;
    listener->acceptor.open(endpoint.protocol(), ec);
    if (!ec) listener->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) listener->acceptor.bind(endpoint, ec);
    if (!ec) listener->acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return "cannot listen on " + where + ": " + ec.message();
    if (!tls && !endpoint.address().is_loopback()) {
      spdlog::warn(
          "event=listen-exposed address=\"{}\" note=\"not loopback and --allow-plaintext: the token and all "
          "traffic cross the network unencrypted\"",
          where);
    }
    const tcp::endpoint bound = listener->acceptor.local_endpoint(ec);
    listener->index = pre_auth_by_listener.size();
    pre_auth_by_listener.push_back(0);
    tcp_listeners.push_back(std::move(listener));
    spdlog::info("event=listen address=\"{}\"", (tls ? proto::ServerAddress::tls : proto::ServerAddress::tcp)(
                                                    endpoint.address().to_string(), bound.port())
                                                    .to_string());
    return {};
  }

  void close_listeners() {
    boost::system::error_code ignored;
    for (auto& l : unix_listeners) {
      l->acceptor.close(ignored);
      l->retry.cancel();
      if (remove_if_same(l->path, l->file)) spdlog::info("event=socket-removed path=\"{}\"", l->path);
    }
    for (auto& l : tcp_listeners) {
      l->acceptor.close(ignored);
      l->retry.cancel();
    }
    unix_listeners.clear();
    tcp_listeners.clear();
  }

  void accept(UnixListener& l) {
    l.acceptor.async_accept([this, &l](const boost::system::error_code& ec, unix_stream::socket socket) {
      if (stopping || ec == asio::error::operation_aborted) return;
      if (ec) return retry_accept(l, ec);
      accepted_again(l);
      Identity identity;
      identity.transport = Transport::kUnix;
      const auto cred = peer_credentials(socket.native_handle());
      identity.user = cred ? user_name(cred->uid) : "unknown";
      if (admit(l.index, {}, identity.user)) {
        adopt(Connection::Socket(std::move(socket)), std::move(identity), l.index, {});
      }
      accept(l);
    });
  }

  void accept(TcpListener& l) {
    l.acceptor.async_accept([this, &l](const boost::system::error_code& ec, tcp::socket socket) {
      if (stopping || ec == asio::error::operation_aborted) return;
      if (ec) return retry_accept(l, ec);
      accepted_again(l);
      boost::system::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      const tcp::endpoint peer = socket.remote_endpoint(ignored);
      std::string address = peer.address().to_string();
      Identity identity;
      identity.transport = Transport::kTcp;
      identity.user = (l.tls ? "tls:" : "tcp:") + address + ":" + std::to_string(peer.port());
      if (admit(l.index, address, identity.user)) {
        adopt(Connection::Socket(std::move(socket)), std::move(identity), l.index, std::move(address),
              l.tls ? current_tls() : nullptr);
      }
      accept(l);
    });
  }

  // Whether one more connection may wait for its Hello on listener `index`
  // from `peer` (TCP address; empty for UNIX). A refused socket is closed by
  // the caller's scope.
  bool admit(std::size_t index, const std::string& peer, const std::string& who) {
    const PreAuthLimits& limits = options.pre_auth;
    const char* cap = nullptr;
    if (pre_auth_by_listener[index] >= limits.max_per_listener) {
      cap = "listener";
    } else if (!peer.empty()) {
      const auto it = pre_auth_by_peer.find(peer);
      if (it != pre_auth_by_peer.end() && it->second >= limits.max_per_peer) cap = "peer";
    }
    if (cap == nullptr) return true;
    stat_refused.fetch_add(1, std::memory_order_relaxed);
    const auto d = refusal_log.admit(monotonic_ms());
    if (d.log) {
      spdlog::warn(
          "event=pre-auth-refused peer=\"{}\" cap={} limit={} suppressed={} note=\"too many connections waiting for "
          "their Hello\"",
          who, cap, std::string_view(cap) == "peer" ? limits.max_per_peer : limits.max_per_listener, d.suppressed);
    }
    return false;
  }

  // One warning per episode of failed accepts (out of file descriptors lasts
  // as long as they are in use), one line when it ends.
  template <typename Listener>
  void retry_accept(Listener& l, const boost::system::error_code& ec) {
    stat_accept_errors.fetch_add(1, std::memory_order_relaxed);
    if (l.failures++ == 0) {
      spdlog::warn("event=accept-failed error=\"{}\" retry_ms={} note=\"retrying quietly until an accept succeeds\"",
                   ec.message(), kAcceptRetry.count());
    }
    l.retry.expires_after(kAcceptRetry);
    l.retry.async_wait([this, &l](const boost::system::error_code& wait_ec) {
      if (!wait_ec && !stopping) accept(l);
    });
  }

  template <typename Listener>
  void accepted_again(Listener& l) {
    if (l.failures == 0) return;
    spdlog::info("event=accept-recovered failed_accepts={}", l.failures);
    l.failures = 0;
  }

  void adopt(Connection::Socket socket, Identity identity, std::size_t listener, std::string peer,
             std::shared_ptr<asio::ssl::context> tls = nullptr) {
    const ConnectionId id = ++last_id;
    ConnectionLimits limits;
    limits.max_queue_bytes = options.max_queue_bytes;
    limits.pre_auth_frame_bytes = options.pre_auth.max_frame_bytes;
    limits.hello_timeout = options.pre_auth.hello_timeout;
    auto conn = std::make_shared<Connection>(id, std::move(socket), *this, limits, queued, std::move(tls));
    connections.emplace(id, conn);
    ++pre_auth_by_listener[listener];
    if (!peer.empty()) ++pre_auth_by_peer[peer];
    waiting.emplace(id, Waiting{listener, std::move(peer)});
    stat_pre_auth.store(waiting.size(), std::memory_order_relaxed);
    switchboard.connect(id, std::move(identity));
    conn->start();
  }

  // `id` no longer waits for its Hello (accepted, or closed).
  void stop_waiting(ConnectionId id) {
    const auto it = waiting.find(id);
    if (it == waiting.end()) return;
    --pre_auth_by_listener[it->second.listener];
    if (!it->second.peer.empty()) {
      const auto p = pre_auth_by_peer.find(it->second.peer);
      if (p != pre_auth_by_peer.end() && --p->second == 0) pre_auth_by_peer.erase(p);
    }
    waiting.erase(it);
    stat_pre_auth.store(waiting.size(), std::memory_order_relaxed);
  }

  // Over the total cap: disconnect the connections with the most output
  // queued, largest first, until the total is under 3/4 of the cap (so one
  // more burst does not cut again at once).
  void cut_largest() {
    stat_queued.store(queued.total, std::memory_order_relaxed);
    if (cutting || queued.total <= options.max_total_queue_bytes) return;
    cutting = true;
    const std::size_t target = options.max_total_queue_bytes / 4 * 3;
    while (queued.total > target) {
      Connection* largest = nullptr;
      for (auto& [id, conn] : connections) {
        if (!conn->is_closed() && (largest == nullptr || conn->queued_bytes() > largest->queued_bytes())) {
          largest = conn.get();
        }
      }
      if (largest == nullptr || largest->queued_bytes() == 0) break;
      stat_cuts.fetch_add(1, std::memory_order_relaxed);
      std::string reason = std::string(Switchboard::kOverflowReason) + ": " + std::to_string(largest->queued_bytes()) +
                           " bytes queued, the most of any client, while " + std::to_string(queued.total) +
                           " bytes queued for all clients exceed the limit of " +
                           std::to_string(options.max_total_queue_bytes);
      spdlog::warn("event=overflow conn={} cap=total reason=\"{}\"", largest->id(), reason);
      largest->abort(std::move(reason));
    }
    stat_queued.store(queued.total, std::memory_order_relaxed);
    cutting = false;
  }

  void stop_now(const std::string& why) {
    if (stopping) return;
    stopping = true;
    spdlog::info("event=shutdown reason=\"{}\" connections={}", why, connections.size());
    boost::system::error_code ignored;
    signals.cancel(ignored);
    close_listeners();
    for (auto& [id, conn] : connections) conn->abort("server shutting down");
    io.stop();
  }

  // ---- Outbox ----
  void send(ConnectionId to, const wire::ServerToClient& message) override {
    const auto it = connections.find(to);
    if (it == connections.end()) return;
    it->second->send(message);
    cut_largest();
  }
  void close(ConnectionId conn, std::string_view reason) override {
    const auto it = connections.find(conn);
    if (it != connections.end()) it->second->close_after_flush(std::string(reason));
  }

  // ---- Journal ----
  void record(Level level, std::string_view line) override {
    switch (level) {
      case Level::kDebug:
        spdlog::debug("{}", line);
        break;
      case Level::kInfo:
        spdlog::info("{}", line);
        break;
      case Level::kWarn:
        spdlog::warn("{}", line);
        break;
    }
  }

  // ---- ConnectionOwner ----
  void on_frame(ConnectionId id, const wire::ClientToServer& message) override {
    switchboard.receive(id, message);
    if (waiting.count(id) != 0 && switchboard.is_ready(id)) {
      stop_waiting(id);
      const auto it = connections.find(id);
      if (it != connections.end()) it->second->authenticated();
    }
  }
  void on_malformed(ConnectionId id, std::string_view why) override { switchboard.receive_malformed(id, why); }
  void on_closed(ConnectionId id, std::string reason) override {
    stop_waiting(id);
    switchboard.disconnect(id, reason);
    connections.erase(id);
    stat_queued.store(queued.total, std::memory_order_relaxed);
  }
  void on_tls_failed(ConnectionId id, std::string_view why) override {
    stat_tls_failures.fetch_add(1, std::memory_order_relaxed);
    const auto d = tls_log.admit(monotonic_ms());
    if (!d.log) return;
    // OpenSSL's words for a peer that sent something other than a TLS hello.
    const bool not_tls = why.find("wrong version number") != std::string_view::npos ||
                         why.find("http request") != std::string_view::npos ||
                         why.find("packet length too long") != std::string_view::npos;
    spdlog::warn("event=tls-handshake-failed conn={} error=\"{}\" suppressed={}{}", id, why, d.suppressed,
                 not_tls ? " note=\"the peer does not speak TLS: a tcp: client on a tls: listener?\"" : "");
  }
  void on_hello_timeout(ConnectionId id) override {
    stat_hello_timeouts.fetch_add(1, std::memory_order_relaxed);
    const auto d = refusal_log.admit(monotonic_ms());
    if (d.log) {
      spdlog::info("event=hello-timeout conn={} timeout_ms={} suppressed={}", id,
                   options.pre_auth.hello_timeout.count(), d.suppressed);
    }
  }
};

Server::Server(ServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Server::~Server() {
  if (impl_) impl_->close_listeners();
}

std::string Server::start() {
  route_protobuf_log();
  // The certificate first: a tls: listener that cannot serve must not leave
  // the others bound, and all listeners come up together.
  for (const Listen& l : impl_->options.listen) {
    if (l.address.kind != proto::ServerAddress::Kind::kTls) continue;
    std::string error;
    auto ctx = tls::make_server_context(impl_->options.tls, &error);
    if (!ctx) return "cannot listen on " + l.address.to_string() + ": " + error;
    std::lock_guard lock(impl_->tls_mu);
    impl_->tls_context = std::move(ctx);
    break;
  }
  for (const Listen& l : impl_->options.listen) {
    std::string error =
        l.address.kind == proto::ServerAddress::Kind::kUnix ? impl_->listen_unix(l) : impl_->listen_tcp(l);
    if (!error.empty()) {
      impl_->close_listeners();
      return error;
    }
  }
  if (impl_->options.listen.empty()) return "nothing to listen on";
  for (auto& l : impl_->unix_listeners) impl_->accept(*l);
  for (auto& l : impl_->tcp_listeners) impl_->accept(*l);
  return {};
}

std::vector<proto::ServerAddress> Server::addresses() const {
  std::vector<proto::ServerAddress> out;
  for (const auto& l : impl_->unix_listeners) out.push_back(proto::ServerAddress::unix_socket(l->path));
  for (const auto& l : impl_->tcp_listeners) {
    boost::system::error_code ec;
    const tcp::endpoint e = l->acceptor.local_endpoint(ec);
    out.push_back(l->tls ? proto::ServerAddress::tls(e.address().to_string(), e.port())
                         : proto::ServerAddress::tcp(e.address().to_string(), e.port()));
  }
  return out;
}

void Server::run() {
  // A peer that vanished must not kill the server with SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  if (impl_->options.handle_signals) {
    impl_->signals.add(SIGTERM);
    impl_->signals.add(SIGINT);
    impl_->signals.async_wait([this](const boost::system::error_code& ec, int signal) {
      if (ec) return;
      impl_->stop_now(signal == SIGTERM ? "SIGTERM" : signal == SIGINT ? "SIGINT" : "signal");
    });
  }
  impl_->io.run();
  impl_->close_listeners();
}

void Server::stop() {
  asio::post(impl_->io, [impl = impl_.get()] { impl->stop_now("stop requested"); });
}

SwitchboardStats Server::stats() const { return impl_->switchboard.stats(); }

ServerIoStats Server::io_stats() const {
  ServerIoStats s;
  s.pre_auth_connections = impl_->stat_pre_auth.load(std::memory_order_relaxed);
  s.pre_auth_refused = impl_->stat_refused.load(std::memory_order_relaxed);
  s.hello_timeouts = impl_->stat_hello_timeouts.load(std::memory_order_relaxed);
  s.accept_errors = impl_->stat_accept_errors.load(std::memory_order_relaxed);
  s.queued_output_bytes = impl_->stat_queued.load(std::memory_order_relaxed);
  s.output_cap_cuts = impl_->stat_cuts.load(std::memory_order_relaxed);
  s.tls_handshake_failures = impl_->stat_tls_failures.load(std::memory_order_relaxed);
  return s;
}

std::string Server::reload_tls() {
  if (!impl_->current_tls()) return {};
  std::string error;
  auto ctx = tls::make_server_context(impl_->options.tls, &error);
  if (!ctx) return error;
  std::lock_guard lock(impl_->tls_mu);
  impl_->tls_context = std::move(ctx);
  return {};
}

}  // namespace opentapi::server
