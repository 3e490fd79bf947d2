// The Switchboard test fixture, shared by the Switchboard's tests: a
// recording Outbox and Journal, and helpers that drive the Switchboard with
// frames as a client would.
#ifndef OPENTAPI_SERVER_SWITCHBOARD_TEST_SUPPORT_H
#define OPENTAPI_SERVER_SWITCHBOARD_TEST_SUPPORT_H

#include <gtest/gtest.h>
#include <tapi.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "proto/framing.h"
#include "server/switchboard.h"

namespace opentapi::server::test_support {

constexpr std::uint32_t kV20 = 0x00020000;
constexpr std::uint32_t kV21 = 0x00020001;
constexpr std::uint32_t kV22 = 0x00020002;
constexpr std::uint32_t kV30 = 0x00030000;
constexpr std::uint32_t kV31 = 0x00030001;
constexpr std::uint32_t kNone = LINECALLPRIVILEGE_NONE;
constexpr std::uint32_t kProxy = LINECALLPRIVILEGE_NONE | LINEOPENOPTION_PROXY;

struct Sent {
  ConnectionId to;
  wire::ServerToClient m;
};

class RecordingOutbox final : public Outbox {
 public:
  std::vector<Sent> sent;
  std::vector<std::pair<ConnectionId, std::string>> closed;
  void send(ConnectionId to, const wire::ServerToClient& m) override { sent.push_back({to, m}); }
  void close(ConnectionId conn, std::string_view reason) override { closed.emplace_back(conn, std::string(reason)); }
};

class RecordingJournal final : public Journal {
 public:
  std::vector<std::string> lines;
  void record(Level, std::string_view line) override { lines.emplace_back(line); }
};

inline std::vector<std::uint32_t> types_of(const wire::Result& r) {
  return std::vector<std::uint32_t>(r.request_types().begin(), r.request_types().end());
}

inline std::vector<std::uint32_t> acd_types() {
  std::vector<std::uint32_t> t;
  for (std::uint32_t i = 0x09; i <= 0x14; ++i) t.push_back(i);
  return t;
}

class SwitchboardTest : public ::testing::Test {
 protected:
  SwitchboardTest() { make({}); }

  void make(SwitchboardConfig config) {
    config.server_version = "test";
    board_ = std::make_unique<Switchboard>(std::move(config), out_, &journal_);
  }

  // Connects `conn` and completes the handshake; clears the outbox.
  void join(ConnectionId conn, const std::string& user, const std::string& machine = "ws") {
    board_->connect(conn, {user, Transport::kUnix});
    wire::ClientToServer m;
    m.mutable_hello()->set_protocol_version(proto::kProtocolVersion);
    m.mutable_hello()->set_app_name(user + "-app");
    m.mutable_hello()->set_machine(machine);
    board_->receive(conn, m);
    ASSERT_EQ(out_.sent.size(), 1u);
    ASSERT_TRUE(out_.sent[0].m.has_welcome());
    out_.sent.clear();
  }

  // Sends `m` with a fresh seq; returns the Result for it (which must be the
  // first message sent, and go to `conn`). Everything sent stays recorded.
  wire::Result call(ConnectionId conn, wire::ClientToServer m) {
    m.set_seq(++seq_);
    const std::size_t before = out_.sent.size();
    board_->receive(conn, m);
    EXPECT_GT(out_.sent.size(), before) << "no answer";
    if (out_.sent.size() <= before) return {};
    const Sent& first = out_.sent[before];
    EXPECT_EQ(first.to, conn);
    EXPECT_TRUE(first.m.has_result()) << "first message is not a Result";
    EXPECT_EQ(first.m.result().seq(), seq_);
    return first.m.result();
  }

  // `media`: dwMediaModes; by default interactive voice for an owner (which
  // must name some), none otherwise.
  std::int32_t open_result(ConnectionId conn, std::uint32_t device, std::uint32_t api, std::uint32_t privileges,
                           std::vector<std::uint32_t> types = {}, std::uint64_t callback = 0,
                           std::uint32_t* hline = nullptr, std::optional<std::uint32_t> media = std::nullopt) {
    wire::ClientToServer m;
    auto* o = m.mutable_open();
    o->set_device_id(device);
    o->set_api_version(api);
    o->set_privileges(privileges);
    o->set_media_modes(
        media.value_or((privileges & LINECALLPRIVILEGE_OWNER) != 0 ? LINEMEDIAMODE_INTERACTIVEVOICE : 0));
    o->set_callback_instance(callback);
    for (auto t : types) o->add_proxy_request_types(t);
    const wire::Result r = call(conn, m);
    if (hline) *hline = r.hline();
    return r.result();
  }

  // Opens and expects success; returns the handle. Clears the outbox.
  std::uint32_t open(ConnectionId conn, std::uint32_t device, std::uint32_t api, std::uint32_t privileges,
                     std::vector<std::uint32_t> types = {}, std::uint64_t callback = 0) {
    std::uint32_t hline = 0;
    EXPECT_EQ(open_result(conn, device, api, privileges, std::move(types), callback, &hline), 0);
    EXPECT_NE(hline, 0u);
    out_.sent.clear();
    return hline;
  }

  std::int32_t request(ConnectionId conn, std::uint32_t hline, std::uint32_t type, const std::string& payload = "",
                       std::uint32_t output_size = 0) {
    wire::ClientToServer m;
    auto* r = m.mutable_request();
    r->set_hline(hline);
    r->set_request_type(type);
    r->set_payload(payload);
    r->set_output_size(output_size);
    return call(conn, m).result();
  }

  std::int32_t respond(ConnectionId conn, std::uint32_t hline, std::uint64_t proxy_request_id, std::int32_t result,
                       const std::string& output = "") {
    wire::ClientToServer m;
    auto* r = m.mutable_proxy_response();
    r->set_hline(hline);
    r->set_proxy_request_id(proxy_request_id);
    r->set_result(result);
    r->set_output(output);
    return call(conn, m).result();
  }

  std::int32_t proxy_message(ConnectionId conn, std::uint32_t hline, std::uint32_t msg, std::uint32_t p1 = 0,
                             std::uint32_t p2 = 0, std::uint32_t p3 = 0, std::uint32_t hcall = 0) {
    wire::ClientToServer m;
    auto* pm = m.mutable_proxy_message();
    pm->set_hline(hline);
    pm->set_hcall(hcall);
    pm->set_msg(msg);
    pm->set_param1(p1);
    pm->set_param2(p2);
    pm->set_param3(p3);
    return call(conn, m).result();
  }

  std::int32_t close(ConnectionId conn, std::uint32_t hline) {
    wire::ClientToServer m;
    m.mutable_close()->set_hline(hline);
    return call(conn, m).result();
  }

  wire::Result proxy_status(ConnectionId conn, std::uint32_t device, std::uint32_t api = kV31) {
    wire::ClientToServer m;
    m.mutable_get_proxy_status()->set_device_id(device);
    m.mutable_get_proxy_status()->set_app_api_version(api);
    return call(conn, m);
  }

  // The single ProxyRequestDelivery sent so far (asserts there is exactly one).
  wire::ProxyRequestDelivery delivery(ConnectionId proxy) {
    std::vector<wire::ProxyRequestDelivery> found;
    for (const auto& s : out_.sent) {
      if (s.m.has_proxy_request()) {
        EXPECT_EQ(s.to, proxy);
        found.push_back(s.m.proxy_request());
      }
    }
    EXPECT_EQ(found.size(), 1u);
    return found.empty() ? wire::ProxyRequestDelivery{} : found[0];
  }

  std::vector<Sent> sent_to(ConnectionId conn) const {
    std::vector<Sent> r;
    for (const auto& s : out_.sent) {
      if (s.to == conn) r.push_back(s);
    }
    return r;
  }

  std::vector<wire::Reply> replies_to(ConnectionId conn) const {
    std::vector<wire::Reply> r;
    for (const auto& s : sent_to(conn)) {
      if (s.m.has_reply()) r.push_back(s.m.reply());
    }
    return r;
  }

  std::vector<wire::Message> messages_to(ConnectionId conn) const {
    std::vector<wire::Message> r;
    for (const auto& s : sent_to(conn)) {
      if (s.m.has_message()) r.push_back(s.m.message());
    }
    return r;
  }

  static void expect_message(const wire::Message& m, std::uint32_t hline, std::uint32_t msg, std::uint32_t p1,
                             std::uint32_t p2, std::uint32_t p3, std::uint64_t callback) {
    EXPECT_EQ(m.hline(), hline);
    EXPECT_EQ(m.msg(), msg);
    EXPECT_EQ(m.param1(), p1);
    EXPECT_EQ(m.param2(), p2);
    EXPECT_EQ(m.param3(), p3);
    EXPECT_EQ(m.callback_instance(), callback);
  }

  bool closed(ConnectionId conn) const {
    for (const auto& [c, reason] : out_.closed) {
      if (c == conn) return true;
    }
    return false;
  }

  RecordingOutbox out_;
  RecordingJournal journal_;
  std::unique_ptr<Switchboard> board_;
  std::uint32_t seq_ = 100;
};

}  // namespace opentapi::server::test_support

#endif  // OPENTAPI_SERVER_SWITCHBOARD_TEST_SUPPORT_H
