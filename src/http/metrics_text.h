// /metrics in the Prometheus text exposition format (version 0.0.4): the
// telephony server's, the ACD's and the HTTP front's figures, each metric
// with its # HELP and # TYPE lines. docs/http.md "Metrics" lists them.
#ifndef OPENTAPI_HTTP_METRICS_TEXT_H_
#define OPENTAPI_HTTP_METRICS_TEXT_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "acd/supervision.h"
#include "http/http_server.h"
#include "http/tokens.h"

namespace opentapi::http {

// What the HTTP front counts itself (on its own thread).
struct HttpCounters {
  std::map<unsigned, std::uint64_t> responses_by_status;  // every response sent, 101 included
  std::uint64_t websocket_clients = 0;                    // connected now
  std::uint64_t websocket_slow_consumers = 0;             // closed with 1008
  std::uint64_t websocket_frames = 0;                     // text frames queued to clients
  std::uint64_t accept_errors = 0;                        // failed accepts (e.g. out of file descriptors)
  std::uint64_t tls_handshake_failures = 0;               // HTTPS connections whose handshake failed
};

// Parts missing (nullptr) are left out: no ACD, no telephony callback.
struct MetricsSources {
  const TelephonyMetrics* telephony = nullptr;
  const acd::AcdMetrics* acd = nullptr;
  const std::vector<acd::QueueView>* queues = nullptr;
  const HttpCounters* http = nullptr;
  const ClusterStatus* cluster = nullptr;
  const Tokens::Counters* tokens = nullptr;
};

std::string prometheus_text(const MetricsSources& sources);

// /healthz in a cluster: "ok owner call_center=C epoch=E\n" or
// "ok standby call_center=C owner=NODE epoch=E\n" (docs/http.md).
std::string health_text(const ClusterStatus& status);

// "SETAGENTSESSIONSTATE" for LINEPROXYREQUEST_SETAGENTSESSIONSTATE, "UNKNOWN" otherwise.
std::string_view request_type_name(std::uint32_t type);

// A label value with \, " and newline escaped as the format requires.
std::string escape_label(std::string_view value);

}  // namespace opentapi::http

#endif  // OPENTAPI_HTTP_METRICS_TEXT_H_
