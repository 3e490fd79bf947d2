// Everything opentapid's HTTP front answers, without its sockets: the REST
// API (/api/…), /metrics, /healthz, the static files, and the decision
// whether a WebSocket upgrade to /events is accepted. The I/O layer
// (http_server.cpp) turns bytes into a Request and sends the Response.
#ifndef OPENTAPI_HTTP_REQUEST_HANDLER_H_
#define OPENTAPI_HTTP_REQUEST_HANDLER_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>

#include "acd/supervision.h"
#include "http/exchange.h"
#include "http/http_server.h"
#include "http/metrics_text.h"
#include "http/rest_api.h"
#include "http/static_files.h"
#include "http/tokens.h"

namespace opentapi::http {

// An accepted /events request: who, and where the client wants to resume.
struct EventsRequest {
  std::string user;
  std::optional<std::uint64_t> after;  // ?after=SEQ
  std::string stream;                  // ?stream=ID ("" if not given)
  // ?since=SEQ: the event-log stream instead of the board's (docs/http.md
  // "The event log on /events"), from the entry after SEQ.
  std::optional<std::uint64_t> since;
};

class RequestHandler {
 public:
  struct Options {
    acd::Supervision* supervision = nullptr;
    std::map<std::string, std::string> tokens;
    std::string web_root;
    std::function<TelephonyMetrics()> telephony_metrics;
    // The I/O layer's counters, read for /metrics; may be null.
    const HttpCounters* counters = nullptr;
    std::function<ClusterStatus()> cluster;
    // Lockouts after wrong tokens, per client address ([security]).
    core::LockoutPolicy lockout;
  };

  explicit RequestHandler(Options options);

  // Any request but a WebSocket upgrade. Calls `reply` exactly once (from
  // an ACD thread for a state change).
  void handle(const Request& request, const Reply& reply);

  // A WebSocket upgrade request: accepted, or the response refusing it
  // (404 for another path, 401, 503 without an ACD, 400 for a bad `after`).
  std::variant<EventsRequest, Response> accept_events(const Request& request) const;

  // Replaces the bearer tokens (opentapid's reload); requests from now on
  // are checked against `tokens` only.
  void set_tokens(std::map<std::string, std::string> tokens);
  const Tokens& tokens() const { return tokens_; }

 private:
  Options options_;
  // mutable: counting wrong tokens is not a change of the handler's meaning;
  // Tokens has its own lock.
  mutable Tokens tokens_;
  RestApi api_;
  StaticFiles files_;
};

}  // namespace opentapi::http

#endif  // OPENTAPI_HTTP_REQUEST_HANDLER_H_
