#include "http/metrics_text.h"

#include <gtest/gtest.h>
#include <tapi.h>

#include "http/testing/fake_supervision.h"

namespace opentapi::http {
namespace {

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos || text.rfind(line + "\n", 0) == 0;
}

TEST(MetricsText, ReportsEverySourceInTheTextFormat) {
  TelephonyMetrics telephony;
  telephony.applications = 3;
  telephony.slow_consumers = 1;
  telephony.requests = {{LINEPROXYREQUEST_SETAGENTSESSIONSTATE, 0, 7},
                        {LINEPROXYREQUEST_SETAGENTSESSIONSTATE, static_cast<std::int32_t>(LINEERR_INVALAGENTSTATE), 2}};
  testing::FakeSupervision fake;
  const acd::AcdMetrics acd = fake.metrics();
  const auto queues = fake.board().queues;
  HttpCounters http;
  http.responses_by_status = {{200, 12}, {401, 1}};
  http.websocket_clients = 2;
  http.websocket_slow_consumers = 4;
  telephony.pre_auth_connections = 11;
  telephony.pre_auth_refused = 12;
  telephony.hello_timeouts = 13;
  telephony.accept_errors = 14;
  telephony.queued_output_bytes = 15;
  telephony.output_cap_cuts = 16;
  telephony.client_queue_overflows = 17;
  telephony.tcp_token_failures = 23;
  telephony.tcp_token_locked_out = 29;
  telephony.tls_handshake_failures = 19;
  http.accept_errors = 18;
  http.tls_handshake_failures = 20;
  const std::string text = prometheus_text({&telephony, &acd, &queues, &http});
  // docs/security.md: the limits' counters.
  EXPECT_TRUE(has_line(text, "opentapi_pre_auth_connections 11"));
  EXPECT_TRUE(has_line(text, "opentapi_pre_auth_refused_total 12"));
  EXPECT_TRUE(has_line(text, "opentapi_hello_timeouts_total 13"));
  EXPECT_TRUE(has_line(text, "opentapi_accept_errors_total{listener=\"tapi\"} 14"));
  EXPECT_TRUE(has_line(text, "opentapi_tapi_queued_output_bytes 15"));
  EXPECT_TRUE(has_line(text, "opentapi_output_cap_disconnects_total 16"));
  EXPECT_TRUE(has_line(text, "opentapi_client_queue_overflows_total 17"));
  EXPECT_TRUE(has_line(text, "opentapi_tcp_token_failures_total 23"));
  EXPECT_TRUE(has_line(text, "opentapi_tcp_token_locked_out_total 29"));
  EXPECT_TRUE(has_line(text, "opentapi_tls_handshake_failures_total{listener=\"tapi\"} 19"));
  EXPECT_TRUE(has_line(text, "opentapi_tls_handshake_failures_total{listener=\"http\"} 20"));
  EXPECT_TRUE(has_line(text, "opentapi_accept_errors_total{listener=\"http\"} 18"));

  EXPECT_TRUE(has_line(text, "# TYPE opentapi_applications_connected gauge"));
  EXPECT_TRUE(has_line(text, "opentapi_applications_connected 3"));
  EXPECT_TRUE(has_line(text, "opentapi_agent_requests_total{type=\"SETAGENTSESSIONSTATE\",result=\"OK\"} 7"));
  EXPECT_TRUE(has_line(
      text, "opentapi_agent_requests_total{type=\"SETAGENTSESSIONSTATE\",result=\"LINEERR_INVALAGENTSTATE\"} 2"));
  EXPECT_TRUE(has_line(text, "opentapi_slow_consumers_disconnected_total{transport=\"tapi\"} 1"));
  EXPECT_TRUE(has_line(text, "opentapi_slow_consumers_disconnected_total{transport=\"websocket\"} 4"));
  EXPECT_TRUE(has_line(text, "opentapi_state_changes_total 5"));
  EXPECT_TRUE(has_line(text, "opentapi_store_commit_latency_seconds{commit=\"last\"} 0.0015"));
  EXPECT_TRUE(has_line(text, "opentapi_store_commit_latency_seconds{commit=\"max\"} 0.004"));
  EXPECT_TRUE(has_line(text, "opentapi_queue_waiting_calls{queue=\"1\",name=\"Sales\"} 2"));
  EXPECT_TRUE(has_line(text, "opentapi_calls_in_progress 2"));
  EXPECT_TRUE(has_line(text, "# TYPE opentapi_calls_by_state gauge"));
  EXPECT_TRUE(has_line(text, "opentapi_calls_by_state{state=\"queued\"} 1"));
  EXPECT_TRUE(has_line(text, "opentapi_calls_by_state{state=\"ringing\"} 0"));
  EXPECT_TRUE(has_line(text, "opentapi_calls_by_state{state=\"talking\"} 1"));
  EXPECT_TRUE(has_line(text, "opentapi_calls_by_state{state=\"detached\"} 0"));
  // A queue name with quotes is escaped.
  EXPECT_TRUE(has_line(text, "opentapi_queue_waiting_calls{queue=\"2\",name=\"Support \\\"2\\\"\"} 0"));
  EXPECT_TRUE(has_line(text, "opentapi_http_requests_total{status=\"200\"} 12"));
  EXPECT_TRUE(has_line(text, "opentapi_http_requests_total{status=\"401\"} 1"));
  EXPECT_TRUE(has_line(text, "opentapi_websocket_clients 2"));
  // Queue 2 has no service level yet: no sample.
  EXPECT_EQ(text.find("opentapi_queue_service_level{queue=\"2\""), std::string::npos);
  EXPECT_NE(text.find("opentapi_queue_service_level{queue=\"1\""), std::string::npos);
}

TEST(MetricsText, LeavesOutWhatIsMissing) {
  HttpCounters http;
  const std::string text = prometheus_text({nullptr, nullptr, nullptr, &http});
  EXPECT_EQ(text.find("opentapi_state_changes_total"), std::string::npos);
  EXPECT_EQ(text.find("opentapi_applications_connected"), std::string::npos);
  EXPECT_NE(text.find("opentapi_websocket_clients 0"), std::string::npos);
}

TEST(MetricsText, EscapesLabelValues) { EXPECT_EQ(escape_label("a\\b\"c\nd"), "a\\\\b\\\"c\\nd"); }

TEST(ClusterMetrics, OwnerAndStandbyInHealthAndMetrics) {
  ClusterStatus c;
  c.call_center = "north";
  c.owner = true;
  c.epoch = 7;
  c.lease_remaining_s = 1.5;
  c.takeovers = 2;
  c.step_downs = 1;
  EXPECT_EQ(health_text(c), "ok owner call_center=north epoch=7\n");
  MetricsSources sources;
  sources.cluster = &c;
  const std::string text = prometheus_text(sources);
  EXPECT_NE(text.find("opentapi_cluster_owner{call_center=\"north\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("opentapi_cluster_epoch{call_center=\"north\"} 7\n"), std::string::npos) << text;
  EXPECT_NE(text.find("opentapi_cluster_lease_remaining_seconds{call_center=\"north\"} 1.5\n"), std::string::npos);
  EXPECT_NE(text.find("opentapi_cluster_takeovers_total{call_center=\"north\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("opentapi_cluster_step_downs_total{call_center=\"north\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE opentapi_cluster_takeovers_total counter\n"), std::string::npos);
  c.owner = false;
  c.owner_node = "db2 pid 9";
  EXPECT_EQ(health_text(c), "ok standby call_center=north owner=db2 pid 9 epoch=7\n");
  c.owner_node.clear();
  EXPECT_EQ(health_text(c), "ok standby call_center=north owner=- epoch=7\n");
  EXPECT_NE(prometheus_text(sources).find("opentapi_cluster_owner{call_center=\"north\"} 0\n"), std::string::npos);
}

TEST(ClusterMetrics, TheReaderOfAWarmStandbyOnly) {
  ClusterStatus c;
  c.call_center = "north";
  MetricsSources sources;
  sources.cluster = &c;
  EXPECT_EQ(prometheus_text(sources).find("opentapi_cluster_reader_"), std::string::npos)
      << "an owner or a cold standby has no reader";
  c.reader = true;
  c.reader_ready = true;
  c.reader_applied_seq = 120;
  c.reader_lag_seq = 3;
  c.reader_lag_seconds = 0.25;
  c.reader_notifications = 40;
  c.reader_full_loads = 1;
  const std::string text = prometheus_text(sources);
  EXPECT_NE(text.find("opentapi_cluster_reader_ready{call_center=\"north\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("opentapi_cluster_reader_applied_seq{call_center=\"north\"} 120\n"), std::string::npos);
  EXPECT_NE(text.find("opentapi_cluster_reader_lag_seq{call_center=\"north\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("opentapi_cluster_reader_lag_seconds{call_center=\"north\"} 0.25\n"), std::string::npos);
  EXPECT_NE(text.find("opentapi_cluster_reader_notifications_total{call_center=\"north\"} 40\n"), std::string::npos);
  EXPECT_NE(text.find("opentapi_cluster_reader_full_loads_total{call_center=\"north\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE opentapi_cluster_reader_lag_seconds gauge\n"), std::string::npos);
}

}  // namespace
}  // namespace opentapi::http
