#include "server/server.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

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
#include <unordered_map>

#include "server/connection.h"
#include "server/peer_identity.h"
#include "server/socket_path.h"

namespace opentapi::server {

namespace asio = boost::asio;
using asio::ip::tcp;
using unix_stream = asio::local::stream_protocol;

namespace {

// After a failed accept (e.g. out of file descriptors), wait this long before
// accepting again instead of spinning.
constexpr std::chrono::milliseconds kAcceptRetry{100};

}  // namespace

struct Server::Impl final : Outbox, Journal, ConnectionOwner {
  struct UnixListener {
    unix_stream::acceptor acceptor;
    asio::steady_timer retry;
    std::string path;
    FileIdentity file;
    UnixListener(asio::io_context& io, std::string p) : acceptor(io), retry(io), path(std::move(p)) {}
  };
  struct TcpListener {
    tcp::acceptor acceptor;
    asio::steady_timer retry;
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
    auto listener = std::make_unique<TcpListener>(io);
    listener->acceptor.open(endpoint.protocol(), ec);
    if (!ec) listener->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) listener->acceptor.bind(endpoint, ec);
    if (!ec) listener->acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return "cannot listen on " + where + ": " + ec.message();
    if (!endpoint.address().is_loopback()) {
      spdlog::warn(
          "event=listen-exposed address=\"{}\" note=\"not loopback: clients are authenticated by the shared "
          "token only and traffic is not encrypted\"",
          where);
    }
    const tcp::endpoint bound = listener->acceptor.local_endpoint(ec);
    tcp_listeners.push_back(std::move(listener));
    spdlog::info("event=listen address=\"tcp:{}:{}\"", endpoint.address().to_string(), bound.port());
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
      Identity identity;
      identity.transport = Transport::kUnix;
      const auto cred = peer_credentials(socket.native_handle());
      identity.user = cred ? user_name(cred->uid) : "unknown";
      adopt(Connection::Socket(std::move(socket)), std::move(identity));
      accept(l);
    });
  }

  void accept(TcpListener& l) {
    l.acceptor.async_accept([this, &l](const boost::system::error_code& ec, tcp::socket socket) {
      if (stopping || ec == asio::error::operation_aborted) return;
      if (ec) return retry_accept(l, ec);
      boost::system::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      const tcp::endpoint peer = socket.remote_endpoint(ignored);
      Identity identity;
      identity.transport = Transport::kTcp;
      identity.user = "tcp:" + peer.address().to_string() + ":" + std::to_string(peer.port());
      adopt(Connection::Socket(std::move(socket)), std::move(identity));
      accept(l);
    });
  }

  template <typename Listener>
  void retry_accept(Listener& l, const boost::system::error_code& ec) {
    spdlog::warn("event=accept-failed error=\"{}\" retry_ms={}", ec.message(), kAcceptRetry.count());
    l.retry.expires_after(kAcceptRetry);
    l.retry.async_wait([this, &l](const boost::system::error_code& wait_ec) {
      if (!wait_ec && !stopping) accept(l);
    });
  }

  void adopt(Connection::Socket socket, Identity identity) {
    const ConnectionId id = ++last_id;
    auto conn = std::make_shared<Connection>(id, std::move(socket), *this, options.max_queue_bytes);
    connections.emplace(id, conn);
    switchboard.connect(id, std::move(identity));
    conn->start();
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
    if (it != connections.end()) it->second->send(message);
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
  void on_frame(ConnectionId id, const wire::ClientToServer& message) override { switchboard.receive(id, message); }
  void on_malformed(ConnectionId id, std::string_view why) override { switchboard.receive_malformed(id, why); }
  void on_closed(ConnectionId id, std::string reason) override {
    switchboard.disconnect(id, reason);
    connections.erase(id);
  }
};

Server::Server(ServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Server::~Server() {
  if (impl_) impl_->close_listeners();
}

std::string Server::start() {
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
    out.push_back(proto::ServerAddress::tcp(e.address().to_string(), e.port()));
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

}  // namespace opentapi::server
