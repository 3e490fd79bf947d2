// The Switchboard's counters for /metrics: connected applications, agent
// requests by type and result, slow consumers.
#include <gtest/gtest.h>
#include <tapi.h>

#include <string>
#include <vector>

#include "proto/framing.h"
#include "server/switchboard.h"

namespace opentapi::server {
namespace {

class DiscardingOutbox final : public Outbox {
 public:
  std::vector<wire::ServerToClient> sent;
  void send(ConnectionId, const wire::ServerToClient& m) override { sent.push_back(m); }
  void close(ConnectionId, std::string_view) override {}
};

class SwitchboardStatsTest : public ::testing::Test {
 protected:
  void join(ConnectionId conn) {
    board_.connect(conn, {"user" + std::to_string(conn), Transport::kUnix});
    wire::ClientToServer m;
    m.mutable_hello()->set_protocol_version(proto::kProtocolVersion);
    board_.receive(conn, m);
  }

  std::uint32_t open(ConnectionId conn, std::uint32_t privileges, const std::vector<std::uint32_t>& types) {
    wire::ClientToServer m;
    m.set_seq(++seq_);
    m.mutable_open()->set_device_id(0);
    m.mutable_open()->set_api_version(0x00030000);
    m.mutable_open()->set_privileges(privileges);
    for (std::uint32_t t : types) m.mutable_open()->add_proxy_request_types(t);
    board_.receive(conn, m);
    return out_.sent.back().result().hline();
  }

  void request(ConnectionId conn, std::uint32_t hline, std::uint32_t type) {
    wire::ClientToServer m;
    m.set_seq(++seq_);
    m.mutable_request()->set_hline(hline);
    m.mutable_request()->set_request_type(type);
    board_.receive(conn, m);
  }

  // The proxy request id of the last delivery sent.
  std::uint64_t last_delivery() const {
    for (auto it = out_.sent.rbegin(); it != out_.sent.rend(); ++it) {
      if (it->has_proxy_request()) return it->proxy_request().proxy_request_id();
    }
    return 0;
  }

  void respond(ConnectionId proxy, std::uint32_t hline, std::uint64_t id, std::int32_t result) {
    wire::ClientToServer m;
    m.set_seq(++seq_);
    m.mutable_proxy_response()->set_hline(hline);
    m.mutable_proxy_response()->set_proxy_request_id(id);
    m.mutable_proxy_response()->set_result(result);
    board_.receive(proxy, m);
  }

  std::uint64_t count(std::uint32_t type, std::int32_t result) const {
    for (const auto& c : board_.stats().requests) {
      if (c.type == type && c.result == result) return c.count;
    }
    return 0;
  }

  DiscardingOutbox out_;
  Switchboard board_{SwitchboardConfig{}, out_};
  std::uint32_t seq_ = 0;
};

TEST_F(SwitchboardStatsTest, CountsConnectedApplications) {
  EXPECT_EQ(board_.stats().applications, 0u);
  join(1);
  join(2);
  EXPECT_EQ(board_.stats().applications, 2u);
  board_.disconnect(1);
  EXPECT_EQ(board_.stats().applications, 1u);
}

TEST_F(SwitchboardStatsTest, CountsRequestsByTypeAndFinalResult) {
  join(1);
  join(2);
  const std::uint32_t proxy_line = open(1, LINECALLPRIVILEGE_NONE | LINEOPENOPTION_PROXY,
                                        {LINEPROXYREQUEST_SETAGENTSESSIONSTATE, LINEPROXYREQUEST_GETAGENTINFO});
  const std::uint32_t client_line = open(2, LINECALLPRIVILEGE_NONE, {});

  request(2, client_line, LINEPROXYREQUEST_SETAGENTSESSIONSTATE);
  respond(1, proxy_line, last_delivery(), 0);
  request(2, client_line, LINEPROXYREQUEST_SETAGENTSESSIONSTATE);
  respond(1, proxy_line, last_delivery(), LINEERR_INVALAGENTSTATE);
  // No handler for this type: refused by the server itself.
  request(2, client_line, LINEPROXYREQUEST_GETQUEUELIST);
  // Delivered, then the proxy closes its line without answering.
  request(2, client_line, LINEPROXYREQUEST_GETAGENTINFO);
  EXPECT_EQ(count(LINEPROXYREQUEST_GETAGENTINFO, LINEERR_OPERATIONFAILED), 0u) << "counted before it completed";
  board_.disconnect(1);

  EXPECT_EQ(count(LINEPROXYREQUEST_SETAGENTSESSIONSTATE, 0), 1u);
  EXPECT_EQ(count(LINEPROXYREQUEST_SETAGENTSESSIONSTATE, LINEERR_INVALAGENTSTATE), 1u);
  EXPECT_EQ(count(LINEPROXYREQUEST_GETQUEUELIST, LINEERR_OPERATIONUNAVAIL), 1u);
  EXPECT_EQ(count(LINEPROXYREQUEST_GETAGENTINFO, LINEERR_OPERATIONFAILED), 1u);
  EXPECT_EQ(board_.stats().requests.size(), 4u);
}

TEST_F(SwitchboardStatsTest, CountsUnknownTypesUnderZero) {
  join(1);
  const std::uint32_t line = open(1, LINECALLPRIVILEGE_NONE, {});
  request(1, line, 0x99);
  EXPECT_EQ(count(0, LINEERR_OPERATIONUNAVAIL), 1u);
}

TEST_F(SwitchboardStatsTest, CountsOverflowDisconnectionsAsSlowConsumers) {
  join(1);
  join(2);
  board_.disconnect(1, std::string(Switchboard::kOverflowReason) + ": 9000000 bytes queued");
  board_.disconnect(2, "peer closed the connection");
  EXPECT_EQ(board_.stats().slow_consumers, 1u);
}

}  // namespace
}  // namespace opentapi::server
