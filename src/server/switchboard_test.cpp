#include "server/switchboard.h"

#include <gtest/gtest.h>
#include <tapi.h>

#include <memory>
#include <string>
#include <vector>

#include "proto/framing.h"
#include "server/switchboard_test_support.h"

namespace opentapi::server {
namespace {

using namespace test_support;  // NOLINT: the fixture and its constants

// ---------------------------------------------------------------- handshake

TEST_F(SwitchboardTest, WelcomeReportsDevicesUserAndVersions) {
  board_->connect(1, {"alice", Transport::kUnix});
  wire::ClientToServer m;
  m.set_seq(5);
  m.mutable_hello()->set_protocol_version(proto::kProtocolVersion);
  board_->receive(1, m);
  ASSERT_EQ(out_.sent.size(), 1u);
  const wire::Welcome& w = out_.sent[0].m.welcome();
  EXPECT_EQ(w.protocol_version(), proto::kProtocolVersion);
  EXPECT_EQ(w.num_devices(), 4u);
  EXPECT_EQ(w.server_api_version(), kV31);
  EXPECT_EQ(w.user(), "alice");
  EXPECT_EQ(w.server_version(), "test");
  EXPECT_TRUE(out_.closed.empty());
}

TEST_F(SwitchboardTest, FrameBeforeHelloGetsErrorAndCloses) {
  board_->connect(1, {"alice", Transport::kUnix});
  wire::ClientToServer m;
  m.set_seq(1);
  m.mutable_open()->set_device_id(0);
  board_->receive(1, m);
  ASSERT_EQ(out_.sent.size(), 1u);
  ASSERT_TRUE(out_.sent[0].m.has_error());
  EXPECT_EQ(out_.sent[0].m.error().code(), LINEERR_UNINITIALIZED);
  ASSERT_EQ(out_.closed.size(), 1u);
  EXPECT_EQ(out_.closed[0].first, 1u);
  // Whatever follows on a closing connection is ignored.
  board_->receive(1, m);
  EXPECT_EQ(out_.sent.size(), 1u);
  EXPECT_EQ(out_.closed.size(), 1u);
}

TEST_F(SwitchboardTest, WrongProtocolVersionGetsErrorAndCloses) {
  board_->connect(1, {"alice", Transport::kUnix});
  wire::ClientToServer m;
  m.mutable_hello()->set_protocol_version(proto::kProtocolVersion + 1);
  board_->receive(1, m);
  ASSERT_EQ(out_.sent.size(), 1u);
  ASSERT_TRUE(out_.sent[0].m.has_error());
  EXPECT_EQ(out_.sent[0].m.error().code(), LINEERR_OPERATIONFAILED);
  EXPECT_NE(out_.sent[0].m.error().text().find("protocol version 2"), std::string::npos);
  EXPECT_TRUE(closed(1));
}

TEST_F(SwitchboardTest, TcpClientMustPresentTheToken) {
  SwitchboardConfig c;
  c.tcp_token = "s3cret";
  make(c);
  wire::ClientToServer m;
  m.mutable_hello()->set_protocol_version(proto::kProtocolVersion);
  m.mutable_hello()->set_token("s3cre");
  board_->connect(1, {"tcp:127.0.0.1:5000", Transport::kTcp});
  board_->receive(1, m);
  ASSERT_EQ(out_.sent.size(), 1u);
  EXPECT_EQ(out_.sent[0].m.error().code(), LINEERR_OPERATIONFAILED);
  EXPECT_TRUE(closed(1));

  m.mutable_hello()->set_token("s3cret");
  board_->connect(2, {"tcp:127.0.0.1:5001", Transport::kTcp});
  board_->receive(2, m);
  ASSERT_EQ(out_.sent.size(), 2u);
  EXPECT_TRUE(out_.sent[1].m.has_welcome());
  EXPECT_EQ(out_.sent[1].m.welcome().user(), "tcp:127.0.0.1:5001");
  EXPECT_FALSE(closed(2));
}

// docs/security.md "Brute force": wrong tokens lock the peer's address out
// (whatever its port), for a time that doubles; another address is not
// slowed, and the right token after the lockout gets in.
TEST_F(SwitchboardTest, WrongTcpTokensLockTheAddressOut) {
  std::int64_t now_ms = 1'000'000;
  SwitchboardConfig c;
  c.tcp_token = "s3cret";
  c.token_lockout.free_failures = 2;
  c.token_lockout.first_delay_ms = 1000;
  c.token_lockout.max_delay_ms = 4000;
  c.clock = [&now_ms] { return core::TimePoint::from_unix_ms(now_ms); };
  make(c);
  ConnectionId next = 1;
  auto hello = [&](const std::string& user, const std::string& token) {
    const ConnectionId conn = next++;
    wire::ClientToServer m;
    m.mutable_hello()->set_protocol_version(proto::kProtocolVersion);
    m.mutable_hello()->set_token(token);
    board_->connect(conn, {user, Transport::kTcp});
    board_->receive(conn, m);
    return out_.sent.back().m;
  };
  EXPECT_TRUE(hello("tcp:192.0.2.7:4001", "guess1").has_error());
  EXPECT_TRUE(hello("tcp:192.0.2.7:4002", "guess2").has_error());  // the second in a row: locked for 1 s
  const wire::ServerToClient locked = hello("tcp:192.0.2.7:4003", "s3cret");
  ASSERT_TRUE(locked.has_error());
  EXPECT_EQ(locked.error().code(), LINEERR_OPERATIONFAILED);
  EXPECT_NE(locked.error().text().find("too many wrong tokens from 192.0.2.7; try again in 1 s"), std::string::npos)
      << locked.error().text();
  EXPECT_TRUE(hello("tcp:198.51.100.1:4000", "s3cret").has_welcome());  // another address
  now_ms += 999;
  EXPECT_TRUE(hello("tcp:192.0.2.7:4004", "s3cret").has_error());
  now_ms += 1;
  EXPECT_TRUE(hello("tcp:192.0.2.7:4005", "guess3").has_error());  // the third: locked for 2 s
  now_ms += 1999;
  EXPECT_TRUE(hello("tcp:192.0.2.7:4006", "s3cret").has_error());
  now_ms += 1;
  EXPECT_TRUE(hello("tcp:192.0.2.7:4007", "s3cret").has_welcome());
  const SwitchboardStats stats = board_->stats();
  EXPECT_EQ(stats.tcp_token_failures, 3u);
  EXPECT_EQ(stats.tcp_token_locked_out, 3u);
}

TEST_F(SwitchboardTest, TcpClientIsRefusedWhenNoTokenIsConfigured) {
  wire::ClientToServer m;
  m.mutable_hello()->set_protocol_version(proto::kProtocolVersion);
  board_->connect(1, {"tcp:127.0.0.1:5000", Transport::kTcp});
  board_->receive(1, m);
  ASSERT_EQ(out_.sent.size(), 1u);
  EXPECT_TRUE(out_.sent[0].m.has_error());
  EXPECT_TRUE(closed(1));
}

TEST_F(SwitchboardTest, UnixClientNeedsNoToken) {
  SwitchboardConfig c;
  c.tcp_token = "s3cret";
  make(c);
  join(1, "alice");
  EXPECT_FALSE(closed(1));
}

TEST_F(SwitchboardTest, OverlongApplicationNameIsRefused) {
  board_->connect(1, {"alice", Transport::kUnix});
  wire::ClientToServer m;
  m.mutable_hello()->set_protocol_version(proto::kProtocolVersion);
  m.mutable_hello()->set_app_name(std::string(Switchboard::kMaxNameBytes + 1, 'a'));
  board_->receive(1, m);
  ASSERT_EQ(out_.sent.size(), 1u);
  EXPECT_EQ(out_.sent[0].m.error().code(), LINEERR_INVALAPPNAME);
  EXPECT_TRUE(closed(1));
}

TEST_F(SwitchboardTest, SecondHelloClosesTheConnection) {
  join(1, "alice");
  wire::ClientToServer m;
  m.mutable_hello()->set_protocol_version(proto::kProtocolVersion);
  board_->receive(1, m);
  ASSERT_EQ(out_.sent.size(), 1u);
  EXPECT_TRUE(out_.sent[0].m.has_error());
  EXPECT_TRUE(closed(1));
}

TEST_F(SwitchboardTest, EmptyBodyClosesOnlyThatConnection) {
  join(1, "alice");
  join(2, "bob");
  wire::ClientToServer empty;
  empty.set_seq(3);
  board_->receive(1, empty);
  ASSERT_EQ(out_.sent.size(), 1u);
  EXPECT_EQ(out_.sent[0].to, 1u);
  EXPECT_EQ(out_.sent[0].m.error().code(), LINEERR_OPERATIONFAILED);
  ASSERT_EQ(out_.closed.size(), 1u);
  EXPECT_EQ(out_.closed[0].first, 1u);
  out_.sent.clear();
  EXPECT_EQ(open(2, 0, kV31, kNone), 1u);
}

TEST_F(SwitchboardTest, MalformedFrameGetsErrorClosesAndReleasesRegistrations) {
  join(1, "acd");
  join(2, "agent");
  const std::uint32_t watcher = open(2, 0, kV31, kNone);
  open(1, 0, kV31, kProxy, {5});
  board_->receive_malformed(1, "frame of 2000000 bytes exceeds the limit");
  ASSERT_FALSE(out_.sent.empty());
  EXPECT_EQ(out_.sent[0].to, 1u);
  EXPECT_EQ(out_.sent[0].m.error().code(), LINEERR_OPERATIONFAILED);
  EXPECT_NE(out_.sent[0].m.error().text().find("exceeds the limit"), std::string::npos);
  EXPECT_TRUE(closed(1));
  const auto msgs = messages_to(2);
  ASSERT_EQ(msgs.size(), 1u);
  expect_message(msgs[0], watcher, LINE_PROXYSTATUS, LINEPROXYSTATUS_CLOSE, 5, 0, 0);
  EXPECT_TRUE(board_->served_types(0).empty());
  board_->disconnect(1, "closed");
  EXPECT_EQ(board_->connections(), 1u);
}

TEST_F(SwitchboardTest, EveryResultCarriesTheSeqAndSeqZeroGetsNone) {
  join(1, "alice");
  wire::ClientToServer m;
  m.set_seq(0);
  m.mutable_open()->set_device_id(0);
  m.mutable_open()->set_api_version(kV31);
  m.mutable_open()->set_privileges(kNone);
  board_->receive(1, m);
  EXPECT_TRUE(out_.sent.empty());
  // The open happened nevertheless: the next handle is 2.
  EXPECT_EQ(open(1, 0, kV31, kNone), 2u);
  m.set_seq(77);
  board_->receive(1, m);
  ASSERT_EQ(out_.sent.size(), 1u);
  EXPECT_EQ(out_.sent[0].m.result().seq(), 77u);
  EXPECT_EQ(out_.sent[0].m.result().hline(), 3u);
}

// ------------------------------------------------- lineNegotiateAPIVersion

TEST_F(SwitchboardTest, NegotiateReturnsTheHighestCommonVersion) {
  join(1, "alice");
  wire::ClientToServer m;
  auto* n = m.mutable_negotiate();
  n->set_device_id(3);
  n->set_low(kV20);
  n->set_high(0x00040000);
  wire::Result r = call(1, m);
  EXPECT_EQ(r.result(), 0);
  EXPECT_EQ(r.api_version(), kV31);
  EXPECT_EQ(r.ext_version(), 0u);
  n->set_high(kV22);
  r = call(1, m);
  EXPECT_EQ(r.result(), 0);
  EXPECT_EQ(r.api_version(), kV22);
  n->set_low(0x00010004);
  n->set_high(kV20);
  EXPECT_EQ(call(1, m).api_version(), kV20);
}

TEST_F(SwitchboardTest, NegotiateRejectsBadDeviceAndDisjointRanges) {
  join(1, "alice");
  wire::ClientToServer m;
  auto* n = m.mutable_negotiate();
  n->set_device_id(4);
  n->set_low(kV20);
  n->set_high(kV31);
  EXPECT_EQ(call(1, m).result(), LINEERR_BADDEVICEID);
  n->set_device_id(0);
  n->set_low(0x00010003);
  n->set_high(0x00010004);
  EXPECT_EQ(call(1, m).result(), LINEERR_INCOMPATIBLEAPIVERSION);
  n->set_low(0x00030002);
  n->set_high(0x00040000);
  EXPECT_EQ(call(1, m).result(), LINEERR_INCOMPATIBLEAPIVERSION);
  n->set_low(kV31);
  n->set_high(kV20);
  EXPECT_EQ(call(1, m).result(), LINEERR_INCOMPATIBLEAPIVERSION);
}

// ---------------------------------------------------------------- lineOpen

TEST_F(SwitchboardTest, OpenRejectsBadDeviceAndVersion) {
  join(1, "alice");
  EXPECT_EQ(open_result(1, 4, kV31, kNone), LINEERR_BADDEVICEID);
  EXPECT_EQ(open_result(1, 0, 0x00010004, kNone), LINEERR_INCOMPATIBLEAPIVERSION);
  EXPECT_EQ(open_result(1, 0, 0x00030002, kNone), LINEERR_INCOMPATIBLEAPIVERSION);
  wire::ClientToServer m;
  m.mutable_open()->set_api_version(kV31);
  m.mutable_open()->set_privileges(kNone);
  m.mutable_open()->set_ext_version(1);
  EXPECT_EQ(call(1, m).result(), LINEERR_INCOMPATIBLEEXTVERSION);
}

TEST_F(SwitchboardTest, OpenAcceptsOnePrivilegeOrOwnerAndMonitorWithOneOption) {
  join(1, "alice");
  for (std::uint32_t bad :
       {0u, LINECALLPRIVILEGE_NONE | LINECALLPRIVILEGE_MONITOR, LINECALLPRIVILEGE_NONE | LINECALLPRIVILEGE_OWNER, 0x8u,
        LINEOPENOPTION_PROXY, LINEOPENOPTION_SINGLEADDRESS, kNone | LINEOPENOPTION_SINGLEADDRESS | LINEOPENOPTION_PROXY,
        kNone | 0x100u}) {
    EXPECT_EQ(open_result(1, 0, kV31, bad, {1}), LINEERR_INVALPRIVSELECT) << std::hex << bad;
  }
  EXPECT_EQ(open_result(1, 0, kV31, LINECALLPRIVILEGE_NONE), 0);
  EXPECT_EQ(open_result(1, 0, kV31, LINECALLPRIVILEGE_MONITOR), 0);
  EXPECT_EQ(open_result(1, 0, kV31, LINECALLPRIVILEGE_OWNER | LINEOPENOPTION_SINGLEADDRESS), 0);
  EXPECT_EQ(open_result(1, 0, kV31, LINECALLPRIVILEGE_OWNER | LINEOPENOPTION_PROXY, {1}), 0);
}

TEST_F(SwitchboardTest, ProxyOpenNeedsANonEmptyListOfKnownTypes) {
  join(1, "acd");
  EXPECT_EQ(open_result(1, 0, kV31, kProxy, {}), LINEERR_INVALPARAM);
  EXPECT_EQ(open_result(1, 0, kV31, kProxy, {1, 0}), LINEERR_INVALPARAM);
  EXPECT_EQ(open_result(1, 0, kV31, kProxy, {0x15}), LINEERR_INVALPARAM);
  EXPECT_TRUE(board_->served_types(0).empty());
  // Duplicates are tolerated.
  EXPECT_EQ(open_result(1, 0, kV31, kProxy, {3, 3, 1, 3}), 0);
  EXPECT_EQ(types_of(proxy_status(1, 0)), (std::vector<std::uint32_t>{1, 3}));
}

TEST_F(SwitchboardTest, NonProxyOpenIgnoresTheTypeList) {
  join(1, "alice");
  EXPECT_EQ(open_result(1, 0, kV31, kNone, {1, 2}), 0);
  EXPECT_TRUE(board_->served_types(0).empty());
}

TEST_F(SwitchboardTest, LineHandlesArePerApplicationAndNotReused) {
  join(1, "alice");
  join(2, "bob");
  EXPECT_EQ(open(1, 0, kV31, kNone), 1u);
  EXPECT_EQ(open(1, 1, kV31, kNone), 2u);
  EXPECT_EQ(open(2, 0, kV31, kNone), 1u);
  EXPECT_EQ(close(1, 2), 0);
  EXPECT_EQ(open(1, 1, kV31, kNone), 3u);
}

TEST_F(SwitchboardTest, ProxyConflictRegistersNothing) {
  join(1, "acd1");
  join(2, "acd2");
  open(1, 0, kV31, kProxy, {1, 2});
  EXPECT_EQ(open_result(2, 0, kV31, kProxy, {3, 2}), LINEERR_NOTREGISTERED);
  EXPECT_EQ(types_of(proxy_status(2, 0)), (std::vector<std::uint32_t>{1, 2}));
  // The same app cannot take a type it already handles through another open.
  EXPECT_EQ(open_result(1, 0, kV31, kProxy, {2}), LINEERR_NOTREGISTERED);
  // Another line is independent; a free type on the same line is fine.
  EXPECT_EQ(open_result(2, 1, kV31, kProxy, {2}), 0);
  EXPECT_EQ(open_result(2, 0, kV31, kProxy, {3}), 0);
  EXPECT_EQ(types_of(proxy_status(2, 0)), (std::vector<std::uint32_t>{1, 2, 3}));
}

TEST_F(SwitchboardTest, FailedProxyOpenSendsNoStatus) {
  join(1, "acd1");
  join(2, "acd2");
  join(3, "agent");
  open(3, 0, kV31, kNone);
  open(1, 0, kV31, kProxy, {2});
  EXPECT_EQ(open_result(2, 0, kV31, kProxy, {1, 2}), LINEERR_NOTREGISTERED);
  EXPECT_TRUE(messages_to(3).empty());
}

TEST_F(SwitchboardTest, ProxyOpenAnnouncesEachTypeThenAllOpenForAcd) {
  join(1, "acd");
  join(2, "agent");
  join(3, "legacy");
  const std::uint32_t agent = open(2, 0, kV30, kNone, {}, 77);
  open(3, 0, kV21, kNone, {}, 88);  // negotiated below 2.2: gets no LINE_PROXYSTATUS
  std::vector<std::uint32_t> types = acd_types();
  types.push_back(0x0E);  // a duplicate
  types.push_back(0x04);
  std::uint32_t hline = 0;
  ASSERT_EQ(open_result(1, 0, kV31, kProxy, types, 5, &hline), 0);
  // The proxy's Result comes first and the proxy hears nothing about itself.
  EXPECT_EQ(out_.sent[0].to, 1u);
  EXPECT_EQ(sent_to(1).size(), 1u);
  EXPECT_TRUE(messages_to(3).empty());
  const auto msgs = messages_to(2);
  ASSERT_EQ(msgs.size(), 14u);
  expect_message(msgs[0], agent, LINE_PROXYSTATUS, LINEPROXYSTATUS_OPEN, 0x04, 0, 77);
  for (std::uint32_t i = 0; i < 12; ++i) {
    expect_message(msgs[1 + i], agent, LINE_PROXYSTATUS, LINEPROXYSTATUS_OPEN, 0x09 + i, 0, 77);
  }
  expect_message(msgs[13], agent, LINE_PROXYSTATUS, LINEPROXYSTATUS_ALLOPENFORACD, 0, 0, 77);
}

TEST_F(SwitchboardTest, AllOpenForAcdComesOnceWhenTheLastAcdTypeArrives) {
  join(1, "acd1");
  join(2, "acd2");
  join(3, "agent");
  const std::uint32_t agent = open(3, 0, kV31, kNone);
  std::vector<std::uint32_t> most = acd_types();
  most.pop_back();
  const std::uint32_t first_proxy = open(1, 0, kV31, kProxy, most);
  EXPECT_TRUE(out_.sent.empty()) << "open() clears; nothing more expected";
  ASSERT_EQ(open_result(2, 0, kV31, kProxy, {0x14}), 0);
  auto msgs = messages_to(3);
  ASSERT_EQ(msgs.size(), 2u);
  expect_message(msgs[0], agent, LINE_PROXYSTATUS, LINEPROXYSTATUS_OPEN, 0x14, 0, 0);
  expect_message(msgs[1], agent, LINE_PROXYSTATUS, LINEPROXYSTATUS_ALLOPENFORACD, 0, 0, 0);
  // The first proxy's open is another open of the line: it hears too.
  const auto to_first = messages_to(1);
  ASSERT_EQ(to_first.size(), 2u);
  expect_message(to_first[1], first_proxy, LINE_PROXYSTATUS, LINEPROXYSTATUS_ALLOPENFORACD, 0, 0, 0);
  out_.sent.clear();
  // A 2.0 type added later does not repeat ALLOPENFORACD.
  ASSERT_EQ(open_result(2, 0, kV31, kProxy, {1}), 0);
  msgs = messages_to(3);
  ASSERT_EQ(msgs.size(), 1u);
  expect_message(msgs[0], agent, LINE_PROXYSTATUS, LINEPROXYSTATUS_OPEN, 1, 0, 0);
}

TEST_F(SwitchboardTest, ProxyStatusReachesOtherOpensOfTheSameApplication) {
  join(1, "acd");
  const std::uint32_t monitor = open(1, 0, kV31, LINECALLPRIVILEGE_MONITOR, {}, 9);
  std::uint32_t proxy_line = 0;
  ASSERT_EQ(open_result(1, 0, kV31, kProxy, {2}, 0, &proxy_line), 0);
  const auto msgs = messages_to(1);
  ASSERT_EQ(msgs.size(), 1u);
  expect_message(msgs[0], monitor, LINE_PROXYSTATUS, LINEPROXYSTATUS_OPEN, 2, 0, 9);
}

TEST_F(SwitchboardTest, OpenLimitGivesResourceUnavail) {
  SwitchboardConfig c;
  c.max_open_lines = 2;
  make(c);
  join(1, "alice");
  open(1, 0, kV31, kNone);
  open(1, 0, kV31, kNone);
  EXPECT_EQ(open_result(1, 0, kV31, kNone), LINEERR_RESOURCEUNAVAIL);
}

// --------------------------------------------------------------- lineClose

TEST_F(SwitchboardTest, CloseOfUnknownHandleIsInvalLineHandle) {
  join(1, "alice");
  join(2, "bob");
  const std::uint32_t h = open(1, 0, kV31, kNone);
  EXPECT_EQ(close(2, h), LINEERR_INVALLINEHANDLE);  // bob has no line 1
  EXPECT_EQ(close(1, h), 0);
  EXPECT_EQ(close(1, h), LINEERR_INVALLINEHANDLE);
}

TEST_F(SwitchboardTest, ProxyCloseAnnouncesClosePerTypeAfterTheResult) {
  join(1, "acd");
  join(2, "agent");
  const std::uint32_t agent = open(2, 0, kV22, kNone, {}, 3);
  const std::uint32_t proxy = open(1, 0, kV31, kProxy, {0x0E, 0x02});
  EXPECT_EQ(close(1, proxy), 0);
  EXPECT_EQ(out_.sent[0].to, 1u);
  const auto msgs = messages_to(2);
  ASSERT_EQ(msgs.size(), 2u);
  expect_message(msgs[0], agent, LINE_PROXYSTATUS, LINEPROXYSTATUS_CLOSE, 0x02, 0, 3);
  expect_message(msgs[1], agent, LINE_PROXYSTATUS, LINEPROXYSTATUS_CLOSE, 0x0E, 0, 3);
  EXPECT_TRUE(proxy_status(2, 0).request_types().empty());
  // The types are free again.
  EXPECT_EQ(open_result(2, 0, kV31, kProxy, {0x0E, 0x02}), 0);
}

TEST_F(SwitchboardTest, ProxyCloseFailsTheRequestsItLeftUnanswered) {
  join(1, "acd");
  join(2, "agent");
  const std::uint32_t proxy = open(1, 0, kV31, kProxy, acd_types());
  const std::uint32_t agent = open(2, 0, kV31, kNone);
  const std::int32_t first = request(2, agent, 0x0E);
  const std::uint64_t first_proxy_id = delivery(1).proxy_request_id();
  out_.sent.clear();
  const std::int32_t second = request(2, agent, 0x0F);
  const std::uint64_t second_proxy_id = delivery(1).proxy_request_id();
  EXPECT_EQ(respond(1, proxy, second_proxy_id, 0), 0);
  out_.sent.clear();

  EXPECT_EQ(close(1, proxy), 0);
  const auto replies = replies_to(2);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].request_id(), static_cast<std::uint32_t>(first));
  EXPECT_EQ(replies[0].result(), LINEERR_OPERATIONFAILED);
  EXPECT_TRUE(replies[0].output().empty());
  EXPECT_NE(first, second);
  EXPECT_EQ(board_->requests_in_flight(), 0u);
  // CLOSE statuses precede the failure replies.
  const auto to_agent = sent_to(2);
  ASSERT_EQ(to_agent.size(), 13u);
  EXPECT_TRUE(to_agent[11].m.has_message());
  EXPECT_TRUE(to_agent[12].m.has_reply());
  // The proxy can no longer answer it.
  out_.sent.clear();
  EXPECT_EQ(respond(1, proxy, first_proxy_id, 0), LINEERR_INVALPOINTER);
  EXPECT_TRUE(replies_to(2).empty());
}

TEST_F(SwitchboardTest, ProxyDisconnectFailsPendingRequestsAndAnnouncesClose) {
  join(1, "acd");
  join(2, "agent");
  open(1, 0, kV31, kProxy, {0x0E});
  const std::uint32_t agent = open(2, 0, kV31, kNone, {}, 6);
  const std::int32_t id = request(2, agent, 0x0E);
  out_.sent.clear();
  board_->disconnect(1, "peer closed the connection");
  const auto msgs = messages_to(2);
  ASSERT_EQ(msgs.size(), 1u);
  expect_message(msgs[0], agent, LINE_PROXYSTATUS, LINEPROXYSTATUS_CLOSE, 0x0E, 0, 6);
  const auto replies = replies_to(2);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].request_id(), static_cast<std::uint32_t>(id));
  EXPECT_EQ(replies[0].result(), LINEERR_OPERATIONFAILED);
  EXPECT_TRUE(sent_to(1).empty());
  EXPECT_EQ(request(2, agent, 0x0E), LINEERR_OPERATIONUNAVAIL);
}

TEST_F(SwitchboardTest, ProxyShutdownClosesItsLinesLikeLineClose) {
  join(1, "acd");
  join(2, "agent");
  open(1, 0, kV31, kProxy, {0x0E});
  open(1, 1, kV31, kProxy, {0x0E});
  const std::uint32_t agent = open(2, 1, kV31, kNone);
  const std::int32_t id = request(2, agent, 0x0E);
  out_.sent.clear();
  wire::ClientToServer m;
  m.mutable_shutdown();
  EXPECT_EQ(call(1, m).result(), 0);
  ASSERT_EQ(sent_to(1).size(), 1u);  // only the Result
  EXPECT_TRUE(closed(1));
  const auto replies = replies_to(2);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].request_id(), static_cast<std::uint32_t>(id));
  EXPECT_EQ(replies[0].result(), LINEERR_OPERATIONFAILED);
  EXPECT_EQ(messages_to(2).size(), 1u);  // CLOSE for line 1 only: agent has only line 1 open
  EXPECT_TRUE(board_->served_types(0).empty());
  // Frames after Shutdown are ignored.
  out_.sent.clear();
  wire::ClientToServer again;
  again.set_seq(1);
  again.mutable_open()->set_api_version(kV31);
  again.mutable_open()->set_privileges(kNone);
  board_->receive(1, again);
  EXPECT_TRUE(out_.sent.empty());
}

// ------------------------------------------------------------ agent requests

TEST_F(SwitchboardTest, CallerGetsTheRequestIdBeforeTheProxySeesTheRequest) {
  join(1, "acd");
  board_->connect(2, {"alice", Transport::kUnix});
  wire::ClientToServer hello;
  hello.mutable_hello()->set_protocol_version(proto::kProtocolVersion);
  hello.mutable_hello()->set_machine("desk-7");
  board_->receive(2, hello);
  out_.sent.clear();
  const std::uint32_t proxy = open(1, 2, kV31, kProxy, acd_types(), 1234);
  const std::uint32_t agent = open(2, 2, kV22, kNone);

  const std::int32_t id = request(2, agent, 0x0E, "set-state", 76);
  EXPECT_EQ(id, 1);
  ASSERT_EQ(out_.sent.size(), 2u);
  EXPECT_EQ(out_.sent[0].to, 2u);
  EXPECT_EQ(out_.sent[0].m.result().result(), 1);
  EXPECT_EQ(out_.sent[1].to, 1u);
  const wire::ProxyRequestDelivery& d = out_.sent[1].m.proxy_request();
  EXPECT_EQ(d.hline(), proxy);
  EXPECT_EQ(d.proxy_request_id(), 1u);
  EXPECT_EQ(d.request_type(), 0x0Eu);
  EXPECT_EQ(d.payload(), "set-state");
  EXPECT_EQ(d.output_size(), 76u);
  EXPECT_EQ(d.client_machine(), "desk-7");
  EXPECT_EQ(d.client_user(), "alice");
  EXPECT_EQ(d.client_api_version(), kV22);
  // Ids increase per application.
  EXPECT_EQ(request(2, agent, 0x0F), 2);
  EXPECT_EQ(request(2, agent, 0x0F), 3);
}

// A resuming client (docs/ha.md "Handles survive") names its instance and
// where its request ids go on; the proxy gets the instance and each
// request's origin id, and nothing of them when the client sent none.
TEST_F(SwitchboardTest, AResumingClientContinuesItsIdsAndTheProxySeesItsOrigins) {
  join(1, "acd");
  board_->connect(2, {"alice", Transport::kUnix});
  wire::ClientToServer hello;
  hello.mutable_hello()->set_protocol_version(proto::kProtocolVersion);
  hello.mutable_hello()->set_instance_id("0123456789abcdef");
  hello.mutable_hello()->set_first_request_id(41);
  board_->receive(2, hello);
  out_.sent.clear();
  join(3, "bob");
  open(1, 0, kV31, kProxy, acd_types());
  const std::uint32_t agent = open(2, 0, kV22, kNone);
  const std::uint32_t other = open(3, 0, kV22, kNone);
  out_.sent.clear();

  wire::ClientToServer m;
  m.mutable_request()->set_hline(agent);
  m.mutable_request()->set_request_type(0x0E);
  m.mutable_request()->set_origin_id(7);
  EXPECT_EQ(call(2, m).result(), 41);
  EXPECT_EQ(request(3, other, 0x0E), 1);
  std::vector<wire::ProxyRequestDelivery> delivered;
  for (const auto& s : out_.sent) {
    if (s.m.has_proxy_request()) delivered.push_back(s.m.proxy_request());
  }
  ASSERT_EQ(delivered.size(), 2u);
  EXPECT_EQ(delivered[0].client_instance_id(), "0123456789abcdef");
  EXPECT_EQ(delivered[0].origin_id(), 7u);
  EXPECT_EQ(delivered[1].client_instance_id(), "");
  EXPECT_EQ(delivered[1].origin_id(), 0u);
}

TEST_F(SwitchboardTest, RequestIdsArePerApplicationAndProxyIdsGlobal) {
  join(1, "acd");
  join(2, "alice");
  join(3, "bob");
  open(1, 0, kV31, kProxy, {2});
  const std::uint32_t a = open(2, 0, kV31, kNone);
  const std::uint32_t b = open(3, 0, kV31, kNone);
  EXPECT_EQ(request(2, a, 2), 1);
  EXPECT_EQ(request(3, b, 2), 1);
  std::vector<std::uint64_t> proxy_ids;
  for (const auto& s : out_.sent) {
    if (s.m.has_proxy_request()) proxy_ids.push_back(s.m.proxy_request().proxy_request_id());
  }
  EXPECT_EQ(proxy_ids, (std::vector<std::uint64_t>{1, 2}));
}

TEST_F(SwitchboardTest, RequestOnALineTheAppDoesNotHaveIsInvalLineHandle) {
  join(1, "acd");
  join(2, "alice");
  const std::uint32_t proxy = open(1, 0, kV31, kProxy, {2});
  EXPECT_EQ(request(2, proxy, 2), LINEERR_INVALLINEHANDLE);
  EXPECT_EQ(request(2, 0, 2), LINEERR_INVALLINEHANDLE);
  EXPECT_EQ(board_->requests_in_flight(), 0u);
}

TEST_F(SwitchboardTest, UnknownRequestTypeIsOperationUnavail) {
  join(1, "acd");
  std::vector<std::uint32_t> all;
  for (std::uint32_t t = 1; t <= 0x14; ++t) all.push_back(t);
  const std::uint32_t h = open(1, 0, kV31, kProxy, all);
  EXPECT_EQ(request(1, h, 0), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(request(1, h, 0x15), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(request(1, h, 0xFFFFFFFF), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(board_->requests_in_flight(), 0u);
}

TEST_F(SwitchboardTest, NoProxyForTheTypeIsOperationUnavail) {
  join(1, "acd");
  join(2, "alice");
  open(1, 0, kV31, kProxy, {0x0E});
  open(1, 1, kV31, kProxy, {0x0F});
  const std::uint32_t h = open(2, 0, kV31, kNone);
  EXPECT_EQ(request(2, h, 0x0F), LINEERR_OPERATIONUNAVAIL);
  ASSERT_EQ(out_.sent.size(), 1u);  // the Result only, nothing delivered
  EXPECT_EQ(board_->requests_in_flight(), 0u);
}

TEST_F(SwitchboardTest, RequestTypesAreGatedByTheVersionNegotiatedOnTheLine) {
  join(1, "acd");
  join(2, "alice");
  std::vector<std::uint32_t> all;
  for (std::uint32_t t = 1; t <= 0x14; ++t) all.push_back(t);
  open(1, 0, kV31, kProxy, all);
  const std::uint32_t v21 = open(2, 0, kV21, kNone);
  const std::uint32_t v22 = open(2, 0, kV22, kNone);
  const std::uint32_t v30 = open(2, 0, kV30, kNone);
  EXPECT_GT(request(2, v21, 0x08), 0);
  EXPECT_EQ(request(2, v21, 0x09), LINEERR_OPERATIONUNAVAIL);
  EXPECT_EQ(request(2, v21, 0x0E), LINEERR_OPERATIONUNAVAIL);
  EXPECT_GT(request(2, v22, 0x09), 0);
  EXPECT_GT(request(2, v22, 0x14), 0);
  EXPECT_GT(request(2, v22, 0x13), 0);
  // The two that return LINEQUEUELIST / LINEQUEUEINFO need 3.0;
  // lineSetQueueMeasurementPeriod (0x11) returns neither and is 2.2.
  for (std::uint32_t queue_type : {0x10u, 0x12u}) {
    EXPECT_EQ(request(2, v22, queue_type), LINEERR_OPERATIONUNAVAIL) << queue_type;
    EXPECT_GT(request(2, v30, queue_type), 0) << queue_type;
  }
  EXPECT_EQ(request(2, v21, 0x11), LINEERR_OPERATIONUNAVAIL);
  EXPECT_GT(request(2, v22, 0x11), 0);
}

TEST_F(SwitchboardTest, GetAgentCapsIsRoutedByDeviceWithoutAnOpenLine) {
  join(1, "acd");
  join(2, "alice");
  const std::uint32_t proxy = open(1, 1, kV31, kProxy, {LINEPROXYREQUEST_GETAGENTCAPS});
  wire::ClientToServer m;
  auto* r = m.mutable_request();
  r->set_request_type(LINEPROXYREQUEST_GETAGENTCAPS);
  r->set_device_id(1);
  r->set_app_api_version(kV30);
  r->set_output_size(400);
  EXPECT_EQ(call(2, m).result(), 1);
  const wire::ProxyRequestDelivery d = delivery(1);
  EXPECT_EQ(d.hline(), proxy);
  EXPECT_EQ(d.request_type(), LINEPROXYREQUEST_GETAGENTCAPS);
  EXPECT_EQ(d.client_api_version(), kV30);
  EXPECT_EQ(d.output_size(), 400u);

  r->set_device_id(4);
  EXPECT_EQ(call(2, m).result(), LINEERR_BADDEVICEID);
  r->set_device_id(0);
  EXPECT_EQ(call(2, m).result(), LINEERR_OPERATIONUNAVAIL);
  r->set_device_id(1);
  r->set_app_api_version(0x00010004);
  EXPECT_EQ(call(2, m).result(), LINEERR_INCOMPATIBLEAPIVERSION);
}

TEST_F(SwitchboardTest, RequestIdsWrapToOne) {
  SwitchboardConfig c;
  c.first_request_id = 0x7FFFFFFE;
  make(c);
  join(1, "acd");
  join(2, "alice");
  open(1, 0, kV31, kProxy, {2});
  const std::uint32_t h = open(2, 0, kV31, kNone);
  EXPECT_EQ(request(2, h, 2), 0x7FFFFFFE);
  EXPECT_EQ(request(2, h, 2), 0x7FFFFFFF);
  EXPECT_EQ(request(2, h, 2), 1);
  EXPECT_EQ(request(2, h, 2), 2);
}

TEST_F(SwitchboardTest, RequestIdsSkipIdsStillPendingAfterTheWrap) {
  SwitchboardConfig c;
  c.last_request_id = 4;  // wrap after 4 instead of 0x7FFFFFFF
  make(c);
  join(1, "acd");
  join(2, "alice");
  const std::uint32_t proxy = open(1, 0, kV31, kProxy, {2});
  const std::uint32_t h = open(2, 0, kV31, kNone);
  for (int expected = 1; expected <= 4; ++expected) EXPECT_EQ(request(2, h, 2), expected);
  // Answer request 2 (proxy request id 2); 1, 3, 4 stay pending.
  EXPECT_EQ(respond(1, proxy, 2, 0), 0);
  EXPECT_EQ(request(2, h, 2), 2);                        // wraps, skips pending 1
  EXPECT_EQ(request(2, h, 2), LINEERR_RESOURCEUNAVAIL);  // all four pending
  EXPECT_EQ(respond(1, proxy, 4, 0), 0);                 // request 4
  EXPECT_EQ(request(2, h, 2), 4);                        // skips 3
}

TEST_F(SwitchboardTest, OutstandingRequestLimitGivesResourceUnavail) {
  SwitchboardConfig c;
  c.max_outstanding_requests = 2;
  make(c);
  join(1, "acd");
  join(2, "alice");
  open(1, 0, kV31, kProxy, {2});
  const std::uint32_t h = open(2, 0, kV31, kNone);
  EXPECT_EQ(request(2, h, 2), 1);
  EXPECT_EQ(request(2, h, 2), 2);
  EXPECT_EQ(request(2, h, 2), LINEERR_RESOURCEUNAVAIL);
}

TEST_F(SwitchboardTest, OversizedPayloadIsInvalParam) {
  join(1, "acd");
  join(2, "alice");
  open(1, 0, kV31, kProxy, {2});
  const std::uint32_t h = open(2, 0, kV31, kNone);
  EXPECT_EQ(request(2, h, 2, std::string(proto::kMaxPayloadBytes + 1, 'x')), LINEERR_INVALPARAM);
  EXPECT_EQ(request(2, h, 2, std::string(proto::kMaxPayloadBytes, 'x')), 1);
}

TEST_F(SwitchboardTest, ProxyCanServeItsOwnRequests) {
  join(1, "acd");
  const std::uint32_t proxy = open(1, 0, kV31, kProxy, {2});
  const std::int32_t id = request(1, proxy, 2);
  EXPECT_EQ(id, 1);
  const std::uint64_t pid = delivery(1).proxy_request_id();
  out_.sent.clear();
  EXPECT_EQ(respond(1, proxy, pid, 0, "x"), 0);
  const auto replies = replies_to(1);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].output(), "x");
}

// ------------------------------------------------------ lineProxyResponse

class ProxyResponseTest : public SwitchboardTest {
 protected:
  void SetUp() override {
    join(1, "acd");
    join(2, "alice");
    proxy_ = open(1, 0, kV31, kProxy, acd_types());
    proxy_other_line_ = open(1, 1, kV31, kProxy, acd_types());
    agent_ = open(2, 0, kV31, kNone);
    request_id_ = request(2, agent_, LINEPROXYREQUEST_GETAGENTSESSIONINFO, "", 76);
    proxy_request_id_ = delivery(1).proxy_request_id();
    out_.sent.clear();
  }
  std::uint32_t proxy_ = 0;
  std::uint32_t proxy_other_line_ = 0;
  std::uint32_t agent_ = 0;
  std::int32_t request_id_ = 0;
  std::uint64_t proxy_request_id_ = 0;
};

TEST_F(ProxyResponseTest, ResponseBecomesTheClientsReplyWithOutput) {
  EXPECT_EQ(respond(1, proxy_, proxy_request_id_, 0, "session-info"), 0);
  ASSERT_EQ(out_.sent.size(), 2u);
  EXPECT_EQ(out_.sent[0].to, 1u);
  EXPECT_EQ(out_.sent[1].to, 2u);
  const wire::Reply& r = out_.sent[1].m.reply();
  EXPECT_EQ(r.request_id(), static_cast<std::uint32_t>(request_id_));
  EXPECT_EQ(r.result(), 0);
  EXPECT_EQ(r.output(), "session-info");
  EXPECT_EQ(board_->requests_in_flight(), 0u);
}

TEST_F(ProxyResponseTest, FailureResultIsForwardedWithoutOutput) {
  EXPECT_EQ(respond(1, proxy_, proxy_request_id_, LINEERR_INVALAGENTSTATE, "ignored"), 0);
  const auto replies = replies_to(2);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].result(), LINEERR_INVALAGENTSTATE);
  EXPECT_FALSE(replies[0].output().size());
}

TEST_F(ProxyResponseTest, SecondResponseIsInvalPointer) {
  EXPECT_EQ(respond(1, proxy_, proxy_request_id_, 0), 0);
  EXPECT_EQ(respond(1, proxy_, proxy_request_id_, 0), LINEERR_INVALPOINTER);
  EXPECT_EQ(replies_to(2).size(), 1u);
}

TEST_F(ProxyResponseTest, UnknownProxyRequestIdIsInvalPointer) {
  EXPECT_EQ(respond(1, proxy_, proxy_request_id_ + 100, 0), LINEERR_INVALPOINTER);
  EXPECT_EQ(respond(1, proxy_, 0, 0), LINEERR_INVALPOINTER);
  EXPECT_TRUE(replies_to(2).empty());
}

TEST_F(ProxyResponseTest, ResponseOnAnotherLineIsInvalLineHandleAndKeepsTheRequest) {
  EXPECT_EQ(respond(1, proxy_other_line_, proxy_request_id_, 0), LINEERR_INVALLINEHANDLE);
  EXPECT_EQ(respond(1, 99, proxy_request_id_, 0), LINEERR_INVALLINEHANDLE);
  // Another application quoting the id, even with the right handle number.
  EXPECT_EQ(respond(2, proxy_, proxy_request_id_, 0), LINEERR_INVALLINEHANDLE);
  EXPECT_TRUE(replies_to(2).empty());
  EXPECT_EQ(respond(1, proxy_, proxy_request_id_, 0), 0);
  EXPECT_EQ(replies_to(2).size(), 1u);
}

TEST_F(ProxyResponseTest, PositiveResultIsInvalParamAndKeepsTheRequest) {
  EXPECT_EQ(respond(1, proxy_, proxy_request_id_, 5), LINEERR_INVALPARAM);
  EXPECT_TRUE(replies_to(2).empty());
  EXPECT_EQ(board_->requests_in_flight(), 1u);
}

TEST_F(ProxyResponseTest, OversizedOutputIsInvalParamAndKeepsTheRequest) {
  EXPECT_EQ(respond(1, proxy_, proxy_request_id_, 0, std::string(proto::kMaxPayloadBytes + 1, 'o')),
            LINEERR_INVALPARAM);
  EXPECT_EQ(board_->requests_in_flight(), 1u);
}

TEST_F(ProxyResponseTest, ClientShutdownCancelsItsRequestsButTheLateResponseSucceeds) {
  wire::ClientToServer m;
  m.mutable_shutdown();
  EXPECT_EQ(call(2, m).result(), 0);
  EXPECT_TRUE(closed(2));
  out_.sent.clear();
  EXPECT_EQ(respond(1, proxy_, proxy_request_id_, 0, "late"), 0);
  ASSERT_EQ(out_.sent.size(), 1u);  // the proxy's Result, no Reply
  EXPECT_EQ(out_.sent[0].to, 1u);
  EXPECT_EQ(board_->requests_in_flight(), 0u);
  EXPECT_EQ(respond(1, proxy_, proxy_request_id_, 0), LINEERR_INVALPOINTER);
}

TEST_F(ProxyResponseTest, ClientDisconnectDropsTheReplyButTheLateResponseSucceeds) {
  board_->disconnect(2, "peer closed the connection");
  EXPECT_TRUE(out_.sent.empty());
  EXPECT_EQ(respond(1, proxy_, proxy_request_id_, 0, "late"), 0);
  ASSERT_EQ(out_.sent.size(), 1u);
  EXPECT_EQ(out_.sent[0].to, 1u);
}

TEST_F(ProxyResponseTest, ClientShutdownBeforeProxyCloseSendsNoFailureReply) {
  board_->disconnect(2, "gone");
  EXPECT_EQ(close(1, proxy_), 0);
  for (const auto& s : out_.sent) EXPECT_EQ(s.to, 1u);
  EXPECT_EQ(board_->requests_in_flight(), 0u);
}

// ------------------------------------------------------- lineProxyMessage

TEST_F(SwitchboardTest, ProxyMessageFansOutWithEachReceiversHandle) {
  join(1, "acd");
  join(2, "alice");
  join(3, "legacy");
  join(4, "other-line");
  const std::uint32_t proxy = open(1, 0, kV31, kProxy, acd_types(), 1);
  const std::uint32_t proxy_monitor = open(1, 0, kV31, LINECALLPRIVILEGE_MONITOR, {}, 2);
  open(2, 1, kV31, kNone, {}, 200);  // alice's hline 1 is on another line
  const std::uint32_t alice = open(2, 0, kV22, kNone, {}, 100);
  open(3, 0, kV21, kNone, {}, 300);
  open(4, 1, kV31, kNone, {}, 400);
  EXPECT_EQ(alice, 2u);

  EXPECT_EQ(proxy_message(1, proxy, LINE_AGENTSESSIONSTATUS, 0x1234, LINEAGENTSESSIONSTATUS_STATE,
                          LINEAGENTSESSIONSTATE_READY),
            0);
  EXPECT_EQ(out_.sent[0].to, 1u);
  EXPECT_TRUE(out_.sent[0].m.has_result());
  const auto to_proxy = messages_to(1);
  ASSERT_EQ(to_proxy.size(), 1u);  // on its monitor open, not on the proxy open itself
  expect_message(to_proxy[0], proxy_monitor, LINE_AGENTSESSIONSTATUS, 0x1234, LINEAGENTSESSIONSTATUS_STATE,
                 LINEAGENTSESSIONSTATE_READY, 2);
  const auto to_alice = messages_to(2);
  ASSERT_EQ(to_alice.size(), 1u);
  expect_message(to_alice[0], alice, LINE_AGENTSESSIONSTATUS, 0x1234, LINEAGENTSESSIONSTATUS_STATE,
                 LINEAGENTSESSIONSTATE_READY, 100);
  EXPECT_TRUE(messages_to(3).empty());  // negotiated 2.1: no 2.2 message
  EXPECT_TRUE(messages_to(4).empty());  // another line
}

// docs/ha.md "Status messages replayed": the seq goes on to the receivers;
// a reopening Open gets the messages of its device and version after the
// seq it names, and where its stream goes on; a log that cannot give them
// all says replay_gap and gives none.
TEST_F(SwitchboardTest, ProxyMessageSeqsGoOnAndAReopenedLineGetsWhatItMissed) {
  std::vector<std::uint64_t> asked;
  bool gap = false;
  SwitchboardConfig config;
  config.replay = [&](std::uint64_t after) -> std::optional<StatusReplay> {
    asked.push_back(after);
    StatusReplay r;
    r.through = 12;
    r.gap = gap;
    if (gap) return r;
    r.messages = {{0, LINE_AGENTSESSIONSTATUS, 7, LINEAGENTSESSIONSTATUS_STATE, LINEAGENTSESSIONSTATE_READY, 10},
                  {1, LINE_AGENTSESSIONSTATUS, 8, LINEAGENTSESSIONSTATUS_STATE, LINEAGENTSESSIONSTATE_READY, 11},
                  {0, LINE_AGENTSTATUSEX, 3, LINEAGENTSTATUSEX_UPDATEINFO, 0, 12}};
    return r;
  };
  make(std::move(config));
  join(1, "acd");
  join(2, "alice");
  const std::uint32_t proxy = open(1, 0, kV31, kProxy, acd_types(), 1);
  const std::uint32_t alice = open(2, 0, kV22, kNone, {}, 100);
  wire::ClientToServer pm;
  auto* p = pm.mutable_proxy_message();
  p->set_hline(proxy);
  p->set_msg(LINE_AGENTSESSIONSTATUS);
  p->set_param1(7);
  p->set_param2(LINEAGENTSESSIONSTATUS_STATE);
  p->set_param3(LINEAGENTSESSIONSTATE_NOTREADY);
  p->set_event_seq(9);
  EXPECT_EQ(call(1, pm).result(), 0);
  const auto to_alice = messages_to(2);
  ASSERT_EQ(to_alice.size(), 1u);
  EXPECT_EQ(to_alice[0].hline(), alice);
  EXPECT_EQ(to_alice[0].event_seq(), 9u);
  EXPECT_TRUE(asked.empty()) << "a fresh open replays nothing";

  // A fresh open starts after the highest seq passed on.
  wire::ClientToServer open_msg;
  auto* o = open_msg.mutable_open();
  o->set_device_id(0);
  o->set_api_version(kV22);
  o->set_privileges(kNone);
  o->set_callback_instance(200);
  wire::Result r = call(2, open_msg);
  EXPECT_EQ(r.event_seq(), 9u);
  EXPECT_EQ(r.replayed_size(), 0);

  // Reopened after seq 9: the messages of device 0, in order, as its own.
  o->set_resume_after_event_seq(9);
  r = call(2, open_msg);
  ASSERT_EQ(r.result(), 0);
  EXPECT_EQ(asked, (std::vector<std::uint64_t>{9}));
  EXPECT_FALSE(r.replay_gap());
  EXPECT_EQ(r.event_seq(), 12u);
  ASSERT_EQ(r.replayed_size(), 2);
  EXPECT_EQ(r.replayed(0).hline(), r.hline());
  EXPECT_EQ(r.replayed(0).callback_instance(), 200u);
  EXPECT_EQ(r.replayed(0).param1(), 7u);
  EXPECT_EQ(r.replayed(0).event_seq(), 10u);
  EXPECT_EQ(r.replayed(1).msg(), static_cast<std::uint32_t>(LINE_AGENTSTATUSEX));
  EXPECT_EQ(r.replayed(1).event_seq(), 12u);

  // A version below 2.2 gets none of these 2.2 messages.
  o->set_api_version(kV21);
  r = call(2, open_msg);
  EXPECT_EQ(r.replayed_size(), 0);
  EXPECT_FALSE(r.replay_gap());

  gap = true;
  o->set_api_version(kV22);
  r = call(2, open_msg);
  EXPECT_TRUE(r.replay_gap());
  EXPECT_EQ(r.replayed_size(), 0);
  EXPECT_EQ(r.event_seq(), 12u);
}

TEST_F(SwitchboardTest, TwoZeroMessagesReachOpensBelowTwoTwo) {
  join(1, "acd");
  join(2, "legacy");
  const std::uint32_t proxy = open(1, 0, kV31, kProxy, {2});
  const std::uint32_t legacy = open(2, 0, kV20, kNone, {}, 3);
  EXPECT_EQ(proxy_message(1, proxy, LINE_AGENTSTATUS, 0, LINEAGENTSTATUS_STATE, LINEAGENTSTATE_READY), 0);
  EXPECT_EQ(proxy_message(1, proxy, LINE_AGENTSPECIFIC, 1, 2, 3), 0);
  for (std::uint32_t msg : {LINE_QUEUESTATUS, LINE_AGENTSTATUSEX, LINE_GROUPSTATUS}) {
    EXPECT_EQ(proxy_message(1, proxy, msg), 0);
  }
  const auto msgs = messages_to(2);
  ASSERT_EQ(msgs.size(), 2u);
  expect_message(msgs[0], legacy, LINE_AGENTSTATUS, 0, LINEAGENTSTATUS_STATE, LINEAGENTSTATE_READY, 3);
  expect_message(msgs[1], legacy, LINE_AGENTSPECIFIC, 1, 2, 3, 3);
}

// docs/acd.md "Announcements": an agent handler's agent, queue and group
// messages reach every application with a line of the handler open, once per
// open of its lowest such line (with the version they need); session
// messages stay on their own line.
TEST_F(SwitchboardTest, HandlerMessagesReachEachApplicationOnItsLowestServedLine) {
  join(1, "acd");
  join(2, "one-line");
  join(3, "two-lines");
  join(4, "unserved");
  join(5, "old-low-line");
  const std::uint32_t proxy = open(1, 0, kV31, kProxy, acd_types(), 1);
  open(1, 1, kV31, kProxy, acd_types(), 1);
  const std::uint32_t on_one = open(2, 1, kV22, kNone, {}, 20);
  const std::uint32_t high = open(3, 1, kV22, kNone, {}, 31);
  const std::uint32_t low = open(3, 0, kV22, kNone, {}, 30);
  const std::uint32_t low_again = open(3, 0, kV30, LINECALLPRIVILEGE_MONITOR, {}, 32);
  open(4, 2, kV22, kNone, {}, 40);
  open(5, 0, kV21, kNone, {}, 50);
  const std::uint32_t new_enough = open(5, 1, kV22, kNone, {}, 51);

  for (std::uint32_t msg : {LINE_AGENTSTATUSEX, LINE_QUEUESTATUS, LINE_GROUPSTATUS}) {
    SCOPED_TRACE(msg);
    out_.sent.clear();
    ASSERT_EQ(proxy_message(1, proxy, msg, 7, 1, 0), 0);
    const auto to_one = messages_to(2);
    ASSERT_EQ(to_one.size(), 1u) << "the application's only line is not the handler's first";
    expect_message(to_one[0], on_one, msg, 7, 1, 0, 20);
    const auto to_two = messages_to(3);
    ASSERT_EQ(to_two.size(), 2u) << "once per open of the lowest line, not on the higher one";
    expect_message(to_two[0], low, msg, 7, 1, 0, 30);
    expect_message(to_two[1], low_again, msg, 7, 1, 0, 32);
    EXPECT_TRUE(messages_to(4).empty()) << "a line no proxy of the handler serves";
    const auto to_old = messages_to(5);
    ASSERT_EQ(to_old.size(), 1u) << "the lowest line with the version the message needs";
    expect_message(to_old[0], new_enough, msg, 7, 1, 0, 51);
  }

  // A session's message stays on the session's line.
  out_.sent.clear();
  ASSERT_EQ(proxy_message(1, proxy, LINE_AGENTSESSIONSTATUS, 9, LINEAGENTSESSIONSTATUS_STATE, 0), 0);
  EXPECT_TRUE(messages_to(2).empty());
  ASSERT_EQ(messages_to(3).size(), 2u);
  EXPECT_EQ(messages_to(3)[0].hline(), low);
  EXPECT_NE(high, low);

  // The application's lowest line closed: its next one takes over.
  out_.sent.clear();
  EXPECT_EQ(close(3, low), 0);
  EXPECT_EQ(close(3, low_again), 0);
  out_.sent.clear();
  ASSERT_EQ(proxy_message(1, proxy, LINE_AGENTSTATUSEX, 7, 1, 0), 0);
  const auto after_close = messages_to(3);
  ASSERT_EQ(after_close.size(), 1u);
  expect_message(after_close[0], high, LINE_AGENTSTATUSEX, 7, 1, 0, 31);
}

// The replay follows the same rule: a reopened line gets the handler's
// messages only while it is the application's lowest line of the handler.
TEST_F(SwitchboardTest, AReopenedLineGetsTheHandlerMessagesOnlyAsTheApplicationsLowestLine) {
  SwitchboardConfig config;
  config.replay = [](std::uint64_t) -> std::optional<StatusReplay> {
    StatusReplay r;
    r.through = 12;
    r.handler_devices = {0, 1};
    r.messages = {{0, LINE_AGENTSTATUSEX, 3, LINEAGENTSTATUSEX_STATE, LINEAGENTSTATEEX_READY, 10},
                  {1, LINE_AGENTSESSIONSTATUS, 8, LINEAGENTSESSIONSTATUS_STATE, LINEAGENTSESSIONSTATE_READY, 11},
                  {0, LINE_QUEUESTATUS, 4, LINEQUEUESTATUS_UPDATEINFO, 0, 12}};
    return r;
  };
  make(std::move(config));
  join(2, "alice");
  join(3, "bob");
  auto reopen = [&](ConnectionId conn, std::uint32_t device) {
    wire::ClientToServer m;
    auto* o = m.mutable_open();
    o->set_device_id(device);
    o->set_api_version(kV22);
    o->set_privileges(kNone);
    o->set_callback_instance(device + 100);
    o->set_resume_after_event_seq(9);
    return call(conn, m);
  };
  // Alice works on line 1 only: its replay has the session's message and the
  // handler's, though the handler sent those on line 0.
  wire::Result r = reopen(2, 1);
  ASSERT_EQ(r.result(), 0);
  ASSERT_EQ(r.replayed_size(), 3);
  EXPECT_EQ(r.replayed(0).msg(), static_cast<std::uint32_t>(LINE_AGENTSTATUSEX));
  EXPECT_EQ(r.replayed(1).msg(), static_cast<std::uint32_t>(LINE_AGENTSESSIONSTATUS));
  EXPECT_EQ(r.replayed(2).msg(), static_cast<std::uint32_t>(LINE_QUEUESTATUS));
  // Bob had lines 0 and 1: line 0, reopened first, gets the handler's; line 1
  // only its session's.
  r = reopen(3, 0);
  ASSERT_EQ(r.replayed_size(), 2);
  EXPECT_EQ(r.replayed(0).event_seq(), 10u);
  EXPECT_EQ(r.replayed(1).event_seq(), 12u);
  r = reopen(3, 1);
  ASSERT_EQ(r.replayed_size(), 1);
  EXPECT_EQ(r.replayed(0).msg(), static_cast<std::uint32_t>(LINE_AGENTSESSIONSTATUS));
}

TEST_F(SwitchboardTest, ProxyMessageValidation) {
  join(1, "acd");
  join(2, "alice");
  const std::uint32_t proxy = open(1, 0, kV31, kProxy, {2});
  const std::uint32_t plain = open(1, 0, kV31, kNone);
  const std::uint32_t alice = open(2, 0, kV31, kNone);
  EXPECT_EQ(proxy_message(1, 77, LINE_AGENTSTATUS), LINEERR_INVALLINEHANDLE);
  for (std::uint32_t msg : {LINE_REPLY, LINE_PROXYSTATUS, LINE_PROXYREQUEST, LINE_CLOSE, 0u, 1000u}) {
    EXPECT_EQ(proxy_message(1, proxy, msg), LINEERR_INVALPARAM) << msg;
  }
  EXPECT_EQ(proxy_message(1, plain, LINE_AGENTSTATUS), LINEERR_NOTREGISTERED);
  EXPECT_EQ(proxy_message(2, alice, LINE_AGENTSTATUS), LINEERR_NOTREGISTERED);
  EXPECT_EQ(proxy_message(1, proxy, LINE_AGENTSTATUS, 0, 0, 0, 5), LINEERR_INVALCALLHANDLE);
  EXPECT_TRUE(messages_to(2).empty());
}

// ------------------------------------------------------ lineGetProxyStatus

TEST_F(SwitchboardTest, GetProxyStatusListsTheTypesServedOnTheDevice) {
  join(1, "acd");
  join(2, "alice");
  open(1, 3, kV31, kProxy, {0x14, 1, 0x0E});
  wire::Result r = proxy_status(2, 3, kV22);
  EXPECT_EQ(r.result(), 0);
  EXPECT_EQ(types_of(r), (std::vector<std::uint32_t>{1, 0x0E, 0x14}));
  EXPECT_TRUE(proxy_status(2, 2).request_types().empty());
  EXPECT_EQ(proxy_status(2, 4).result(), LINEERR_BADDEVICEID);
  EXPECT_EQ(proxy_status(2, 3, kV21).result(), LINEERR_INCOMPATIBLEAPIVERSION);
  EXPECT_EQ(proxy_status(2, 3, 0x00030002).result(), LINEERR_INCOMPATIBLEAPIVERSION);
}

// ------------------------------------------------------------------ journal

TEST_F(SwitchboardTest, JournalRecordsConnectionsAndRegistrationChanges) {
  join(1, "acd user");
  const std::uint32_t proxy = open(1, 2, kV31, kProxy, {3, 1});
  close(1, proxy);
  board_->disconnect(1, "peer closed the connection");
  ASSERT_EQ(journal_.lines.size(), 5u);
  EXPECT_EQ(journal_.lines[0], "event=connect conn=1 user=\"acd user\" transport=unix");
  EXPECT_EQ(journal_.lines[2],
            "event=proxy-open conn=1 user=\"acd user\" app=\"acd user-app\" device=2 hline=1 types=1,3");
  EXPECT_EQ(journal_.lines[3],
            "event=proxy-close conn=1 user=\"acd user\" app=\"acd user-app\" device=2 hline=1 "
            "types=1,3 failed_requests=0");
  EXPECT_EQ(journal_.lines[4],
            "event=disconnect conn=1 user=\"acd user\" app=\"acd user-app\" reason=\"peer closed the connection\"");
}

// A cluster node that does not own its call center (docs/ha.md): Hello is
// refused with LINEERR_REINIT naming the owner; once it owns it, Welcome.
TEST_F(SwitchboardTest, AStandbyRedirectsHelloToTheOwner) {
  auto role = std::make_shared<ClusterRole>("north");
  role->set_standby("tcp:10.0.0.2:4610", "node2");
  SwitchboardConfig config;
  config.cluster = role;
  make(config);
  board_->connect(1, {"alice", Transport::kUnix});
  wire::ClientToServer m;
  m.mutable_hello()->set_protocol_version(proto::kProtocolVersion);
  board_->receive(1, m);
  ASSERT_EQ(out_.sent.size(), 1u);
  ASSERT_TRUE(out_.sent[0].m.has_error());
  EXPECT_EQ(out_.sent[0].m.error().code(), LINEERR_REINIT);
  EXPECT_EQ(out_.sent[0].m.error().owner(), "tcp:10.0.0.2:4610");
  EXPECT_EQ(out_.sent[0].m.error().text(),
            "this opentapid is a standby for call center north; it is owned by node2 at tcp:10.0.0.2:4610");
  ASSERT_EQ(out_.closed.size(), 1u);
  EXPECT_FALSE(board_->is_ready(1));

  role->set_standby("", "");
  out_.sent.clear();
  board_->connect(2, {"alice", Transport::kUnix});
  board_->receive(2, m);
  ASSERT_EQ(out_.sent.size(), 1u);
  EXPECT_EQ(out_.sent[0].m.error().code(), LINEERR_REINIT);
  EXPECT_EQ(out_.sent[0].m.error().owner(), "");
  EXPECT_NE(out_.sent[0].m.error().text().find("no node owns it"), std::string::npos);

  role->set_owner();
  out_.sent.clear();
  join(3, "alice");
  EXPECT_TRUE(board_->is_ready(3));
}

// The node lost its call center: the opens that asked for it get
// LINE_LINEDEVSTATE(OUTOFSERVICE), and every application is closed.
TEST_F(SwitchboardTest, OutOfServiceTellsTheOpensThatAskedAndClosesEveryone) {
  join(1, "alice");
  join(2, "bob");
  const std::uint32_t a = open(1, 0, kV31, kNone, {}, 77);
  open(2, 1, kV31, kNone);
  wire::ClientToServer m;
  m.mutable_set_status_messages()->set_hline(a);
  m.mutable_set_status_messages()->set_line_states(LINEDEVSTATE_OUTOFSERVICE);
  EXPECT_EQ(call(1, m).result(), 0);
  out_.sent.clear();
  EXPECT_EQ(board_->out_of_service("lease lost"), 2u);
  ASSERT_EQ(out_.sent.size(), 1u) << "bob did not ask for line states";
  EXPECT_EQ(out_.sent[0].to, 1u);
  const wire::Message& msg = out_.sent[0].m.message();
  EXPECT_EQ(msg.msg(), static_cast<std::uint32_t>(LINE_LINEDEVSTATE));
  EXPECT_EQ(msg.param1(), static_cast<std::uint32_t>(LINEDEVSTATE_OUTOFSERVICE));
  EXPECT_EQ(msg.hline(), a);
  EXPECT_EQ(msg.callback_instance(), 77u);
  ASSERT_EQ(out_.closed.size(), 2u);
  EXPECT_EQ(out_.closed[0].second, "lease lost");
  EXPECT_FALSE(board_->is_ready(1));
  EXPECT_FALSE(board_->is_ready(2));
}

}  // namespace
}  // namespace opentapi::server
