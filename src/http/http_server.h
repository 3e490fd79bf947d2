// opentapid's HTTP/1.1 and WebSocket front (docs/http.md): the REST API over
// the ACD's Supervision interface, the /events stream, /metrics, /healthz and
// the wallboard's static files, served on a thread of its own.
//
// This header includes neither Asio nor Beast (pimpl), so tools/opentapid
// compiles fast.
#ifndef OPENTAPI_HTTP_HTTP_SERVER_H_
#define OPENTAPI_HTTP_HTTP_SERVER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/failed_logins.h"
#include "tls/files.h"

namespace opentapi::acd {
class Supervision;
}

namespace opentapi::http {

// The telephony server's own figures for /metrics (opentapid fills them from
// server::Server::stats()).
struct TelephonyMetrics {
  struct RequestCount {
    std::uint32_t type = 0;   // LINEPROXYREQUEST_*; 0 = a type the server does not know
    std::int32_t result = 0;  // 0 or a LINEERR_*
    std::uint64_t count = 0;
  };
  std::uint64_t applications = 0;    // connected now
  std::uint64_t slow_consumers = 0;  // disconnected for not reading their messages
  std::vector<RequestCount> requests;
  // The TAPI listener's I/O counters (server::ServerIoStats; docs/security.md).
  std::uint64_t pre_auth_connections = 0;    // waiting for their Hello now
  std::uint64_t pre_auth_refused = 0;        // closed at accept: a pre-authentication cap was reached
  std::uint64_t hello_timeouts = 0;          // closed: no accepted Hello in time
  std::uint64_t accept_errors = 0;           // failed accepts
  std::uint64_t queued_output_bytes = 0;     // output queued for all TAPI clients now
  std::uint64_t output_cap_cuts = 0;         // disconnected as the largest consumer over the total cap
  std::uint64_t client_queue_overflows = 0;  // libopentapi message queues that overflowed
  std::uint64_t tcp_token_failures = 0;      // TCP/TLS Hellos with a wrong token
  std::uint64_t tcp_token_locked_out = 0;    // refused unchecked while their address was locked out
  std::uint64_t tls_handshake_failures = 0;  // tls: connections whose handshake failed
};

// A cluster node's role (docs/ha.md "Cluster ownership"), for /healthz and
// /metrics.
struct ClusterStatus {
  std::string call_center;
  bool owner = false;            // holds the lease and serves; else a standby
  std::int64_t epoch = 0;        // the owner: its epoch; a standby: the last one it saw
  std::string owner_node;        // a standby: the owning node's name ("" = nobody now)
  double lease_remaining_s = 0;  // the owner: seconds its lease surely lasts without renewal
  std::uint64_t takeovers = 0;   // times this node took the call center
  std::uint64_t step_downs = 0;  // times it stopped serving (lease lost or not renewed)
  // A warm standby's event-log reader (docs/ha.md "Warm standbys"); false
  // on the owner and on a --cold-standby node, which have none.
  bool reader = false;
  bool reader_ready = false;               // its copy holds every record
  std::uint64_t reader_applied_seq = 0;    // the copy is the store as of this seq
  std::uint64_t reader_lag_seq = 0;        // seqs known to exist that the copy lacks
  double reader_lag_seconds = 0;           // since the copy first lacked one of them (0: caught up)
  std::uint64_t reader_notifications = 0;  // the owner's NOTIFYs received
  std::uint64_t reader_full_loads = 0;     // times it loaded every record
};

struct HttpServerOptions {
  std::string host = "127.0.0.1";  // an address, or a name that resolves to one
  std::uint16_t port = 8080;       // 0: a free port, see HttpServer::port()
  // Directory of the static files; if it does not exist every file is 404.
  std::string web_root;
  // Bearer token → OS user ([[http.token]] of the call-center configuration).
  std::map<std::string, std::string> tokens;
  // Lockouts after wrong tokens, per client address ([security] of the
  // configuration; docs/security.md "Brute force").
  core::LockoutPolicy lockout;
  // The ACD; not owned, must outlive stop(). nullptr (opentapid --no-acd):
  // the REST API and /events answer 503; /metrics, /healthz and the static
  // files still work.
  acd::Supervision* supervision = nullptr;
  // Called on the HTTP thread for each /metrics; may be empty.
  std::function<TelephonyMetrics()> telephony_metrics;
  // In a cluster: the node's role, called on the HTTP thread for each
  // /healthz and /metrics. Empty: a single node (/healthz says "ok").
  std::function<ClusterStatus()> cluster;
  // A WebSocket client with more frames than this waiting to be written is
  // closed with 1008 (docs/http.md "WebSocket /events"); the frame being
  // written and the kernel's send buffer do not count. At least 1
  // (opentapid --http-max-queued-frames).
  std::size_t max_queued_frames = 4096;
  // HTTPS with the certificate in `tls_files` (opentapid --http https:...).
  bool tls = false;
  tls::ServerFiles tls_files;
  // Plain HTTP on an address other than loopback (opentapid --allow-plaintext).
  bool allow_plaintext = false;
};

class HttpServer {
 public:
  explicit HttpServer(HttpServerOptions options);
  // Stops.
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, subscribes to the ACD's changes and starts serving on a thread of
  // its own. Returns "" or a message naming the address and the cause
  // ("cannot listen on http 127.0.0.1:8080: Address already in use"); on
  // failure nothing is bound or started.
  std::string start();

  // The address and port bound. REQUIRES: start() succeeded.
  std::string host() const;
  std::uint16_t port() const;

  // Replaces the bearer tokens (token → OS user), as opentapid's reload
  // (SIGHUP) does: requests from now on see only `tokens`, and /events
  // streams whose user has no token left are closed with 1008. Returns at
  // once; applied on the HTTP thread. Callable from any thread, before or
  // after start().
  void set_tokens(std::map<std::string, std::string> tokens);

  // HTTPS: reads the certificate files again (SIGHUP). Connections accepted
  // from now on use them; on failure returns the error and keeps the ones in
  // use. "" without HTTPS. Callable from any thread.
  std::string reload_tls();

  // Unsubscribes, closes every connection and joins the thread. Afterwards
  // no Supervision method is called and no state change answer is sent.
  // Idempotent.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace opentapi::http

#endif  // OPENTAPI_HTTP_HTTP_SERVER_H_
