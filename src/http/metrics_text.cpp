#include "http/metrics_text.h"

#include <array>
#include <cstdio>

#include "core/status.h"

namespace opentapi::http {
namespace {

class Writer {
 public:
  void family(std::string_view name, std::string_view type, std::string_view help) {
    out_ += "# HELP ";
    out_ += name;
    out_ += ' ';
    out_ += help;
    out_ += "\n# TYPE ";
    out_ += name;
    out_ += ' ';
    out_ += type;
    out_ += '\n';
  }
  // `labels`: already formatted, e.g. `queue="1"`, or empty.
  void sample(std::string_view name, std::string_view labels, double value) {
    out_ += name;
    if (!labels.empty()) {
      out_ += '{';
      out_ += labels;
      out_ += '}';
    }
    char buf[64];
    std::snprintf(buf, sizeof buf, " %.10g\n", value);
    out_ += buf;
  }
  void sample(std::string_view name, std::string_view labels, std::uint64_t value) {
    out_ += name;
    if (!labels.empty()) {
      out_ += '{';
      out_ += labels;
      out_ += '}';
    }
    out_ += ' ';
    out_ += std::to_string(value);
    out_ += '\n';
  }
  void single(std::string_view name, std::string_view type, std::string_view help, std::uint64_t value) {
    family(name, type, help);
    sample(name, {}, value);
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

std::string label(std::string_view name, std::string_view value) {
  return std::string(name) + "=\"" + escape_label(value) + "\"";
}

}  // namespace

std::string_view request_type_name(std::uint32_t type) {
  const std::string_view name = core::proxy_request_type_name(type);
  return name.empty() ? "UNKNOWN" : name;
}

std::string escape_label(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string prometheus_text(const MetricsSources& in) {
  Writer w;
  if (in.telephony != nullptr) {
    const TelephonyMetrics& t = *in.telephony;
    w.single("opentapi_applications_connected", "gauge", "TAPI applications connected to opentapid now.",
             t.applications);
    w.family("opentapi_agent_requests_total", "counter",
             "Agent requests (LINEPROXYREQUEST_*) completed, by type and result (OK or the LINEERR_).");
    for (const auto& r : t.requests) {
      const std::string result =
          r.result == 0 ? "OK"
                        : core::error_code_name(static_cast<core::ErrorCode>(static_cast<std::uint32_t>(r.result)));
      w.sample("opentapi_agent_requests_total",
               label("type", request_type_name(r.type)) + "," + label("result", result), r.count);
    }
    w.single("opentapi_pre_auth_connections", "gauge", "TAPI connections waiting for their Hello now.",
             t.pre_auth_connections);
    w.single("opentapi_pre_auth_refused_total", "counter",
             "TAPI connections closed at accept: too many connections were waiting for their Hello (per listener "
             "or per peer address).",
             t.pre_auth_refused);
    w.single("opentapi_hello_timeouts_total", "counter", "TAPI connections closed for not authenticating in time.",
             t.hello_timeouts);
    w.single("opentapi_tapi_queued_output_bytes", "gauge", "Bytes of messages queued for all TAPI clients now.",
             t.queued_output_bytes);
    w.single("opentapi_output_cap_disconnects_total", "counter",
             "TAPI clients disconnected as the largest consumers while the total queued output exceeded its cap.",
             t.output_cap_cuts);
    w.single("opentapi_client_queue_overflows_total", "counter",
             "TAPI applications whose message queue in libopentapi overflowed (messages discarded, "
             "LINE_LINEDEVSTATE REINIT queued).",
             t.client_queue_overflows);
    w.single("opentapi_tcp_token_failures_total", "counter",
             "TCP and TLS connections whose Hello carried a wrong token (docs/security.md \"Brute force\").",
             t.tcp_token_failures);
    w.single("opentapi_tcp_token_locked_out_total", "counter",
             "TCP and TLS Hellos refused without a check while their address was locked out after wrong tokens.",
             t.tcp_token_locked_out);
  }
  if (in.telephony != nullptr || in.http != nullptr) {
    w.family("opentapi_accept_errors_total", "counter",
             "Failed accepts (e.g. out of file descriptors), by listener; each is retried after 100 ms.");
    if (in.telephony != nullptr)
      w.sample("opentapi_accept_errors_total", label("listener", "tapi"), in.telephony->accept_errors);
    if (in.http != nullptr) w.sample("opentapi_accept_errors_total", label("listener", "http"), in.http->accept_errors);
    w.family("opentapi_tls_handshake_failures_total", "counter",
             "Connections closed because their TLS handshake failed (an untrusted, expired or missing client "
             "certificate, a client that does not speak TLS, ...), by listener.");
    if (in.telephony != nullptr) {
      w.sample("opentapi_tls_handshake_failures_total", label("listener", "tapi"),
               in.telephony->tls_handshake_failures);
    }
    if (in.http != nullptr) {
      w.sample("opentapi_tls_handshake_failures_total", label("listener", "http"), in.http->tls_handshake_failures);
    }
  }
  if (in.telephony != nullptr || in.http != nullptr) {
    w.family("opentapi_slow_consumers_disconnected_total", "counter",
             "Clients disconnected because they did not read what was sent to them: TAPI applications whose write "
             "queue overflowed, WebSocket clients closed with 1008.");
    if (in.telephony != nullptr) {
      w.sample("opentapi_slow_consumers_disconnected_total", label("transport", "tapi"), in.telephony->slow_consumers);
    }
    if (in.http != nullptr) {
      w.sample("opentapi_slow_consumers_disconnected_total", label("transport", "websocket"),
               in.http->websocket_slow_consumers);
    }
  }
  if (in.acd != nullptr) {
    const acd::AcdMetrics& a = *in.acd;
    w.single("opentapi_acd_requests_total", "counter", "Agent requests the ACD answered.", a.requests);
    w.single("opentapi_state_changes_total", "counter", "Agent and agent session state changes.", a.state_changes);
    w.single("opentapi_store_commits_total", "counter", "Batches the ACD committed durably.", a.commits);
    w.single("opentapi_store_failed_commits_total", "counter", "Batches the store refused.", a.failed_commits);
    w.family("opentapi_store_commit_latency_seconds", "gauge",
             "Store commit latency (commit to durable): of the latest commit and the largest so far.");
    w.sample("opentapi_store_commit_latency_seconds", label("commit", "last"),
             static_cast<double>(a.last_commit_latency_us) / 1e6);
    w.sample("opentapi_store_commit_latency_seconds", label("commit", "max"),
             static_cast<double>(a.max_commit_latency_us) / 1e6);
    w.single("opentapi_agents", "gauge", "Agents known to the ACD (released agents excluded).", a.agents);
    w.single("opentapi_agent_sessions", "gauge", "Agent sessions not ended.", a.live_sessions);
    w.single("opentapi_calls_in_progress", "gauge", "ACD calls in progress.", a.calls);
    w.family("opentapi_calls_by_state", "gauge",
             "ACD calls in progress by state: queued, ringing at an agent, talking, detached from the agent's "
             "session (counted four times a second).");
    w.sample("opentapi_calls_by_state", label("state", "queued"), a.calls_queued);
    w.sample("opentapi_calls_by_state", label("state", "ringing"), a.calls_ringing);
    w.sample("opentapi_calls_by_state", label("state", "talking"), a.calls_talking);
    w.sample("opentapi_calls_by_state", label("state", "detached"), a.calls_detached);
    w.single("opentapi_board_seq", "counter", "Sequence number of the latest board change.", a.board_seq);
  }
  if (in.acd != nullptr || in.tokens != nullptr) {
    // docs/security.md "Brute force".
    w.family("opentapi_auth_failures_total", "counter",
             "Wrong secrets: agent PINs (unknown agent IDs included) and HTTP bearer tokens.");
    if (in.acd != nullptr) w.sample("opentapi_auth_failures_total", label("secret", "pin"), in.acd->pin_failures);
    if (in.tokens != nullptr) w.sample("opentapi_auth_failures_total", label("secret", "token"), in.tokens->wrong);
    w.family("opentapi_auth_locked_out_total", "counter",
             "Attempts refused without a check while their agent or client was locked out.");
    if (in.acd != nullptr) w.sample("opentapi_auth_locked_out_total", label("secret", "pin"), in.acd->pin_locked_out);
    if (in.tokens != nullptr) {
      w.sample("opentapi_auth_locked_out_total", label("secret", "token"), in.tokens->locked_out);
    }
    w.family("opentapi_auth_lockouts_total", "counter", "Lockouts started by a wrong secret.");
    if (in.acd != nullptr) w.sample("opentapi_auth_lockouts_total", label("secret", "pin"), in.acd->pin_lockouts);
    if (in.tokens != nullptr) w.sample("opentapi_auth_lockouts_total", label("secret", "token"), in.tokens->lockouts);
  }
  if (in.acd != nullptr) {
    w.single("opentapi_pin_checks_busy_total", "counter",
             "Agent log-ins refused with LINEERR_RESOURCEUNAVAIL because 64 hashed-PIN checks were waiting.",
             in.acd->pin_checks_busy);
  }
  if (in.queues != nullptr) {
    w.family("opentapi_queue_waiting_calls", "gauge", "Calls waiting in each queue now.");
    for (const auto& q : *in.queues) {
      w.sample("opentapi_queue_waiting_calls", label("queue", std::to_string(q.id)) + "," + label("name", q.name),
               std::uint64_t{q.waiting});
    }
    w.family("opentapi_queue_longest_wait_seconds", "gauge", "Longest wait of the calls waiting in each queue now.");
    for (const auto& q : *in.queues) {
      w.sample("opentapi_queue_longest_wait_seconds",
               label("queue", std::to_string(q.id)) + "," + label("name", q.name),
               std::uint64_t{q.longest_wait_seconds});
    }
    w.family("opentapi_queue_service_level", "gauge",
             "Share of the period's answered and abandoned calls answered within target (0..1); absent before "
             "the first.");
    for (const auto& q : *in.queues) {
      if (!q.service_level) continue;
      w.sample("opentapi_queue_service_level", label("queue", std::to_string(q.id)) + "," + label("name", q.name),
               *q.service_level);
    }
  }
  if (in.http != nullptr) {
    const HttpCounters& h = *in.http;
    w.family("opentapi_http_requests_total", "counter", "HTTP responses sent, by status (101 for WebSocket upgrades).");
    for (const auto& [status, count] : h.responses_by_status) {
      w.sample("opentapi_http_requests_total", label("status", std::to_string(status)), count);
    }
    w.single("opentapi_websocket_clients", "gauge", "Clients connected to /events now.", h.websocket_clients);
    w.single("opentapi_websocket_frames_total", "counter", "Frames queued to /events clients.", h.websocket_frames);
  }
  if (in.cluster != nullptr) {
    const ClusterStatus& c = *in.cluster;
    const std::string cc = label("call_center", c.call_center);
    w.family("opentapi_cluster_owner", "gauge",
             "1 while this node holds the call center's lease and serves it, 0 on a standby.");
    w.sample("opentapi_cluster_owner", cc, std::uint64_t{c.owner ? 1u : 0u});
    w.family("opentapi_cluster_epoch", "gauge", "The lease epoch: this owner's, or on a standby the last one it saw.");
    w.sample("opentapi_cluster_epoch", cc, static_cast<std::uint64_t>(c.epoch < 0 ? 0 : c.epoch));
    w.family("opentapi_cluster_lease_remaining_seconds", "gauge",
             "Owner: seconds its lease surely lasts without another renewal (0 on a standby).");
    w.sample("opentapi_cluster_lease_remaining_seconds", cc, c.lease_remaining_s);
    w.family("opentapi_cluster_takeovers_total", "counter",
             "Times this node took the call center's lease and began serving it.");
    w.sample("opentapi_cluster_takeovers_total", cc, c.takeovers);
    w.family("opentapi_cluster_step_downs_total", "counter",
             "Times this node stopped serving: its lease could not be renewed in time, or it was taken over.");
    w.sample("opentapi_cluster_step_downs_total", cc, c.step_downs);
    if (c.reader) {
      w.family("opentapi_cluster_reader_ready", "gauge",
               "Standby: 1 once its copy of the call center holds every record (a takeover then starts from it).");
      w.sample("opentapi_cluster_reader_ready", cc, std::uint64_t{c.reader_ready ? 1u : 0u});
      w.family("opentapi_cluster_reader_applied_seq", "gauge",
               "Standby: the event-log seq its copy of the call center is at.");
      w.sample("opentapi_cluster_reader_applied_seq", cc, c.reader_applied_seq);
      w.family("opentapi_cluster_reader_lag_seq", "gauge",
               "Standby: seqs of the event log known to exist (the owner's notifications, its reads) that its copy "
               "lacks.");
      w.sample("opentapi_cluster_reader_lag_seq", cc, c.reader_lag_seq);
      w.family("opentapi_cluster_reader_lag_seconds", "gauge",
               "Standby: seconds since its copy first lacked a seq it knows of; 0 while caught up.");
      w.sample("opentapi_cluster_reader_lag_seconds", cc, c.reader_lag_seconds);
      w.family("opentapi_cluster_reader_notifications_total", "counter",
               "Standby: the owner's after-commit notifications its reader received.");
      w.sample("opentapi_cluster_reader_notifications_total", cc, c.reader_notifications);
      w.family("opentapi_cluster_reader_full_loads_total", "counter",
               "Standby: times its reader loaded every record (at start, or behind the kept event log).");
      w.sample("opentapi_cluster_reader_full_loads_total", cc, c.reader_full_loads);
    }
  }
  return w.take();
}

std::string health_text(const ClusterStatus& c) {
  if (c.owner) return "ok owner call_center=" + c.call_center + " epoch=" + std::to_string(c.epoch) + "\n";
  return "ok standby call_center=" + c.call_center + " owner=" + (c.owner_node.empty() ? "-" : c.owner_node) +
         " epoch=" + std::to_string(c.epoch) + "\n";
}

}  // namespace opentapi::http
