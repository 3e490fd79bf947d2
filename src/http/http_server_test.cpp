// HttpServer in-process on a loopback port with a fake Supervision: HTTP over
// real sockets (keep-alive, limits, malformed requests, HEAD, counters), the
// /events WebSocket (snapshot, changes, resume, slow consumers) and stopping.
#include "http/http_server.h"

#include <gtest/gtest.h>
#include <tapi.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "http/testing/fake_supervision.h"
#include "http/testing/test_clients.h"

namespace opentapi::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using nlohmann::json;
using testing::FakeSupervision;
using testing::HttpAnswer;
using testing::HttpClient;
using testing::WsClient;
using namespace std::chrono_literals;

class HttpServerTest : public ::testing::Test {
 protected:
  HttpServerTest() {
    web_ = std::filesystem::temp_directory_path() / ("opentapi-http-web-" + std::to_string(::getpid()));
    std::filesystem::create_directories(web_);
    std::ofstream(web_ / "index.html") << "<title>wallboard</title>";
    std::ofstream(web_ / "board.js") << "console.log(1);";
  }
  ~HttpServerTest() override {
    if (server_) server_->stop();
    std::filesystem::remove_all(web_);
  }

  void start(acd::Supervision* supervision, std::size_t max_queued_frames = HttpServerOptions{}.max_queued_frames) {
    HttpServerOptions o;
    o.max_queued_frames = max_queued_frames;
    o.host = "127.0.0.1";
    o.port = 0;
    o.web_root = web_.string();
    o.tokens = {{"boss-token", "boss"}, {"alice-token", "alice"}};
    o.supervision = supervision;
    o.telephony_metrics = [] { return TelephonyMetrics{}; };
    server_ = std::make_unique<HttpServer>(std::move(o));
    ASSERT_EQ(server_->start(), "");
    ASSERT_NE(server_->port(), 0);
  }
  std::uint16_t port() const { return server_->port(); }

  // A long name makes every change frame about 4 KiB.
  static acd::AgentView big_agent(std::uint32_t i) {
    return FakeSupervision::agent(3, "1001", std::string(4000, 'a') + std::to_string(i), "alice");
  }

  // Reads `watcher` until change `seq` arrives: by then the server has
  // recorded every change up to it.
  static void wait_for(WsClient& watcher, std::uint64_t seq) {
    const std::string needle = "\"seq\":" + std::to_string(seq) + ",";
    for (;;) {
      const auto text = watcher.next_text(10s);
      ASSERT_TRUE(text) << "change " << seq << " never came";
      if (text->find(needle) != std::string::npos) return;
    }
  }

  std::filesystem::path web_;
  FakeSupervision fake_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpServerTest, ServesApiStaticFilesAndHealthOnOneKeptAliveConnection) {
  start(&fake_);
  HttpClient c(port());
  const HttpAnswer board = c.send(bhttp::verb::get, "/api/v1/board", "Bearer boss-token");
  ASSERT_EQ(board.status, 200u);
  EXPECT_EQ(json::parse(board.body)["seq"], 10);
  EXPECT_FALSE(board.closed);
  const HttpAnswer index = c.send(bhttp::verb::get, "/");
  EXPECT_EQ(index.status, 200u);
  EXPECT_EQ(index.body, "<title>wallboard</title>");
  EXPECT_EQ(index.fields[bhttp::field::content_type], "text/html; charset=utf-8");
  EXPECT_EQ(c.send(bhttp::verb::get, "/board.js").fields[bhttp::field::content_type], "text/javascript; charset=utf-8");
  EXPECT_EQ(c.send(bhttp::verb::get, "/../etc/passwd").status, 404u);
  const HttpAnswer head = c.send(bhttp::verb::head, "/healthz");
  EXPECT_EQ(head.status, 200u);
  EXPECT_EQ(head.fields[bhttp::field::content_length], "3");
  EXPECT_EQ(c.send(bhttp::verb::get, "/healthz").body, "ok\n");
  EXPECT_EQ(c.send(bhttp::verb::get, "/api/v1/board").status, 401u);

  const std::string metrics = c.send(bhttp::verb::get, "/metrics").body;
  EXPECT_NE(metrics.find("opentapi_http_requests_total{status=\"200\"} 5"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("opentapi_http_requests_total{status=\"401\"} 1"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("opentapi_http_requests_total{status=\"404\"} 1"), std::string::npos) << metrics;
}

TEST_F(HttpServerTest, RefusesAnOversizeBodyWith400AndCloses) {
  start(&fake_);
  HttpClient c(port());
  const HttpAnswer a = c.send(bhttp::verb::put, "/api/v1/sessions/7/state", "Bearer boss-token",
                              "{\"state\":\"READY\"" + std::string(70'000, ' ') + "}");
  ASSERT_EQ(a.status, 400u);
  EXPECT_EQ(json::parse(a.body)["field"], "body");
  EXPECT_TRUE(a.closed);
  EXPECT_TRUE(fake_.state_calls().empty());
}

TEST_F(HttpServerTest, AnswersMalformedHttpWith400) {
  start(&fake_);
  HttpClient c(port());
  c.send_raw("NOT HTTP AT ALL\r\n\r\n");
  const HttpAnswer a = c.read();
  EXPECT_EQ(a.status, 400u);
  EXPECT_TRUE(c.sees_eof());
}

TEST_F(HttpServerTest, PutAnswersWhenTheAcdAnswersFromItsThread) {
  start(&fake_);
  fake_.answer_from_thread(true);
  HttpClient c(port());
  const HttpAnswer a =
      c.send(bhttp::verb::put, "/api/v1/sessions/7/state", "Bearer alice-token", R"({"state":"NOTREADY"})");
  EXPECT_EQ(a.status, 200u) << a.body;
  // The connection is still usable afterwards.
  EXPECT_EQ(c.send(bhttp::verb::get, "/healthz").status, 200u);
}

TEST_F(HttpServerTest, StoppingWithAChangeInFlightDropsItsLateAnswer) {
  start(&fake_);
  fake_.hold_answers(true);
  HttpClient c(port());
  bhttp::request<bhttp::string_body> req(bhttp::verb::put, "/api/v1/sessions/7/state", 11);
  req.set(bhttp::field::authorization, "Bearer boss-token");
  req.body() = R"({"state":"READY"})";
  req.prepare_payload();
  std::ostringstream raw;
  raw << req;
  c.send_raw(raw.str());
  for (int i = 0; i < 500 && fake_.state_calls().empty(); ++i) std::this_thread::sleep_for(10ms);
  ASSERT_EQ(fake_.state_calls().size(), 1u);
  server_->stop();
  EXPECT_EQ(fake_.subscribers(), 0u);
  fake_.release_answers();  // must not touch the stopped server
  server_.reset();
}

TEST_F(HttpServerTest, ATakenPortIsAClearError) {
  start(&fake_);
  HttpServerOptions o;
  o.host = "127.0.0.1";
  o.port = port();
  HttpServer second(std::move(o));
  const std::string error = second.start();
  EXPECT_NE(error.find("cannot listen on http 127.0.0.1:" + std::to_string(port())), std::string::npos) << error;
  EXPECT_NE(error.find("in use"), std::string::npos) << error;
}

TEST_F(HttpServerTest, EventsStartWithASnapshotThenEveryChange) {
  start(&fake_);
  WsClient ws;
  ASSERT_TRUE(ws.connect(port(), "/events?token=alice-token"));
  const auto snapshot = ws.next();
  ASSERT_TRUE(snapshot);
  EXPECT_EQ((*snapshot)["type"], "snapshot");
  EXPECT_EQ((*snapshot)["seq"], 10);
  EXPECT_EQ((*snapshot)["agents"].size(), 2u);
  EXPECT_FALSE((*snapshot)["stream"].get<std::string>().empty());

  auto session = FakeSupervision::session(7, 3, "1001");
  session.state = LINEAGENTSESSIONSTATE_READY;
  fake_.emit(session);
  fake_.emit(fake_.board().queues[0]);
  const auto first = ws.next();
  ASSERT_TRUE(first);
  EXPECT_EQ((*first)["type"], "change");
  EXPECT_EQ((*first)["seq"], 11);
  EXPECT_EQ((*first)["kind"], "session");
  EXPECT_EQ((*first)["object"]["state"], "READY");
  const auto second = ws.next();
  ASSERT_TRUE(second);
  EXPECT_EQ((*second)["seq"], 12);
  EXPECT_EQ((*second)["kind"], "queue");
}

TEST_F(HttpServerTest, EventsResumeAfterWhatTheClientHad) {
  start(&fake_);
  WsClient watcher;
  ASSERT_TRUE(watcher.connect(port(), "/events?token=boss-token"));
  std::string stream;
  {
    WsClient ws;
    ASSERT_TRUE(ws.connect(port(), "/events", nullptr) == false);  // no token
  }
  {
    WsClient ws;
    ASSERT_TRUE(ws.connect(port(), "/events?token=boss-token"));
    stream = (*ws.next())["stream"];
    for (int i = 0; i < 3; ++i) fake_.emit(big_agent(static_cast<std::uint32_t>(i)));
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(ws.next());
  }
  fake_.emit(big_agent(3));  // 14
  fake_.emit(big_agent(4));  // 15
  wait_for(watcher, 15);

  WsClient ws;
  ASSERT_TRUE(ws.connect(port(), "/events?token=boss-token&after=13&stream=" + stream));
  const auto resume = ws.next();
  ASSERT_TRUE(resume);
  EXPECT_EQ((*resume)["type"], "resume");
  EXPECT_EQ((*resume)["seq"], 13);
  EXPECT_EQ((*ws.next())["seq"], 14);
  EXPECT_EQ((*ws.next())["seq"], 15);
  EXPECT_FALSE(ws.next(200ms));

  // Another stream (a restarted server), or a seq it never reached: a snapshot.
  WsClient other;
  ASSERT_TRUE(other.connect(port(), "/events?token=boss-token&after=13&stream=0000000000000000"));
  EXPECT_EQ((*other.next())["type"], "snapshot");
  WsClient ahead;
  ASSERT_TRUE(ahead.connect(port(), "/events?token=boss-token&after=99999"));
  const auto snap = ahead.next();
  EXPECT_EQ((*snap)["type"], "snapshot");
  EXPECT_EQ((*snap)["seq"], 15);
}

// Changes made while no /events client is connected are only recorded
// (serialised when read): a client that comes back still resumes without a
// gap, with the same frames a watcher would have had.
TEST_F(HttpServerTest, EventsResumeChangesMadeWhileNobodyWatched) {
  start(&fake_);
  std::string stream;
  std::uint64_t seq = 0;
  {
    WsClient ws;
    ASSERT_TRUE(ws.connect(port(), "/events?token=boss-token"));
    const auto snapshot = ws.next();
    ASSERT_TRUE(snapshot);
    stream = (*snapshot)["stream"];
    seq = (*snapshot)["seq"];
  }
  for (std::uint32_t i = 0; i < 3; ++i) fake_.emit(big_agent(i));

  WsClient ws;
  ASSERT_TRUE(ws.connect(port(), "/events?token=boss-token&after=" + std::to_string(seq) + "&stream=" + stream));
  const auto resume = ws.next();
  ASSERT_TRUE(resume);
  EXPECT_EQ((*resume)["type"], "resume");
  EXPECT_EQ((*resume)["seq"], seq);
  for (std::uint32_t i = 0; i < 3; ++i) {
    const auto change = ws.next();
    ASSERT_TRUE(change) << "change " << seq + 1 + i << " missing";
    EXPECT_EQ((*change)["type"], "change");
    EXPECT_EQ((*change)["seq"], seq + 1 + i);
    EXPECT_EQ((*change)["kind"], "agent");
    EXPECT_EQ((*change)["object"]["name"], std::string(4000, 'a') + std::to_string(i));
  }
  EXPECT_FALSE(ws.next(200ms));
}

TEST_F(HttpServerTest, EventsResumeOnlyWithinTheLast4096Changes) {
  start(&fake_);
  WsClient watcher;
  ASSERT_TRUE(watcher.connect(port(), "/events?token=boss-token"));
  const acd::QueueView queue = fake_.board().queues[0];
  for (std::uint32_t i = 0; i < 4200; ++i) fake_.emit(queue);  // 11 … 4210
  wait_for(watcher, 4210);
  WsClient old_client;
  ASSERT_TRUE(old_client.connect(port(), "/events?token=boss-token&after=100"));
  EXPECT_EQ((*old_client.next())["type"], "snapshot");
  WsClient recent;
  ASSERT_TRUE(recent.connect(port(), "/events?token=boss-token&after=114"));
  EXPECT_EQ((*recent.next())["type"], "resume");
  EXPECT_EQ((*recent.next())["seq"], 115);
}

// The event log on /events (docs/http.md): ?since=SEQ streams the log's
// entries after SEQ, in order, each once, then the new ones as they come.
store::AuditEntry log_entry(std::uint64_t seq) {
  store::AuditEntry e;
  e.seq = seq;
  e.time_ms = 1'764'000'000'000 + static_cast<std::int64_t>(seq);
  e.actor = "alice";
  e.object_kind = "agent";
  e.object_key = "00000003";
  e.from = static_cast<std::uint32_t>(seq);
  e.to = static_cast<std::uint32_t>(seq + 1);
  e.what = "SetAgentStateEx";
  e.request_id = static_cast<std::uint32_t>(seq * 10);
  return e;
}

TEST_F(HttpServerTest, EventLogResumesAfterSinceThenFollowsNewEntries) {
  for (std::uint64_t seq = 1; seq <= 5; ++seq) fake_.add_audit(log_entry(seq));
  start(&fake_);
  WsClient ws;
  ASSERT_TRUE(ws.connect(port(), "/events?token=boss-token&since=2"));
  const auto first = ws.next();
  ASSERT_TRUE(first);
  EXPECT_EQ((*first)["type"], "log");
  EXPECT_EQ((*first)["since"], 2);
  EXPECT_EQ((*first)["last_seq"], 5);
  for (std::uint64_t seq = 3; seq <= 5; ++seq) {
    const auto e = ws.next();
    ASSERT_TRUE(e) << "entry " << seq << " missing";
    EXPECT_EQ((*e)["type"], "event");
    EXPECT_EQ((*e)["seq"], seq);
    EXPECT_EQ((*e)["object_kind"], "agent");
    EXPECT_EQ((*e)["to"], seq + 1);
    EXPECT_EQ((*e)["request_id"], seq * 10);
  }
  // New entries: announced by a board change, or found by the periodic read.
  fake_.add_audit(log_entry(6));
  fake_.emit(fake_.board().queues[0]);
  const auto sixth = ws.next();
  ASSERT_TRUE(sixth);
  EXPECT_EQ((*sixth)["seq"], 6);
  fake_.add_audit(log_entry(7));
  const auto seventh = ws.next();
  ASSERT_TRUE(seventh);
  EXPECT_EQ((*seventh)["seq"], 7);
  EXPECT_FALSE(ws.next(500ms)) << "an entry sent twice";

  // since=0: everything the log holds; since = the newest: only new ones.
  WsClient all;
  ASSERT_TRUE(all.connect(port(), "/events?token=boss-token&since=0"));
  EXPECT_EQ((*all.next())["type"], "log");
  for (std::uint64_t seq = 1; seq <= 7; ++seq) EXPECT_EQ((*all.next())["seq"], seq);
  WsClient tail;
  ASSERT_TRUE(tail.connect(port(), "/events?token=boss-token&since=7"));
  EXPECT_EQ((*tail.next())["type"], "log");
  EXPECT_FALSE(tail.next(300ms));
}

// A resume point the log no longer holds (trimmed), or never held (beyond
// its newest entry): a "reset" frame saying from where the stream goes on,
// so the client reloads instead of silently missing entries.
TEST_F(HttpServerTest, EventLogSaysResetWhenTheResumePointIsNotHeld) {
  for (std::uint64_t seq = 1; seq <= 10; ++seq) fake_.add_audit(log_entry(seq));
  fake_.trim_audit(6);
  start(&fake_);
  WsClient old_client;
  ASSERT_TRUE(old_client.connect(port(), "/events?token=boss-token&since=3"));
  const auto reset = old_client.next();
  ASSERT_TRUE(reset);
  EXPECT_EQ((*reset)["type"], "reset");
  EXPECT_EQ((*reset)["since"], 3);
  EXPECT_EQ((*reset)["first_seq"], 7);
  EXPECT_EQ((*reset)["seq"], 6);
  for (std::uint64_t seq = 7; seq <= 10; ++seq) EXPECT_EQ((*old_client.next())["seq"], seq);

  // The oldest entry held is 7: since=6 misses nothing.
  WsClient just_held;
  ASSERT_TRUE(just_held.connect(port(), "/events?token=boss-token&since=6"));
  EXPECT_EQ((*just_held.next())["type"], "log");
  EXPECT_EQ((*just_held.next())["seq"], 7);

  WsClient ahead;
  ASSERT_TRUE(ahead.connect(port(), "/events?token=boss-token&since=99"));
  const auto beyond = ahead.next();
  ASSERT_TRUE(beyond);
  EXPECT_EQ((*beyond)["type"], "reset");
  EXPECT_EQ((*beyond)["seq"], 10);
  fake_.add_audit(log_entry(11));
  EXPECT_EQ((*ahead.next(5s))["seq"], 11);
}

TEST_F(HttpServerTest, EventLogRefusesAMalformedSinceOrOneWithAfter) {
  start(&fake_);
  unsigned status = 0;
  WsClient bad;
  EXPECT_FALSE(bad.connect(port(), "/events?token=boss-token&since=x", &status));
  EXPECT_EQ(status, 400u);
  WsClient both;
  EXPECT_FALSE(both.connect(port(), "/events?token=boss-token&since=1&after=1", &status));
  EXPECT_EQ(status, 400u);
}

// The log cannot be read (the store failed; the node stepped down): the
// client is closed with 1013 "try again later" and resumes elsewhere.
TEST_F(HttpServerTest, EventLogUnreadableClosesWithTryAgainLater) {
  fake_.add_audit(log_entry(1));
  fake_.add_audit(log_entry(2));
  start(&fake_);
  fake_.fail_audit(core::Status::error(core::ErrorCode::kOperationFailed, "store out of service"));
  WsClient ws;
  ASSERT_TRUE(ws.connect(port(), "/events?token=boss-token&since=1"));
  std::optional<std::string> text;
  while ((text = ws.next_text(5s))) {
  }
  EXPECT_EQ(ws.close_code(), 1013);
}

TEST_F(HttpServerTest, EventsRefuseWithoutATokenOrWithoutTheAcd) {
  start(&fake_);
  unsigned status = 0;
  WsClient ws;
  EXPECT_FALSE(ws.connect(port(), "/events?token=wrong", &status));
  EXPECT_EQ(status, 401u);
  server_->stop();
  server_.reset();
  start(nullptr);
  WsClient no_acd;
  EXPECT_FALSE(no_acd.connect(port(), "/events?token=boss-token", &status));
  EXPECT_EQ(status, 503u);
}

TEST_F(HttpServerTest, ASlowConsumerIsClosedWith1008WhileAReaderKeepsUp) {
  start(&fake_);
  // About 2,500 changes a second (far more than a call center makes): the
  // reader keeps up; the slow client's small socket buffers fill and then
  // 4,096 frames queue behind them.
  constexpr int kChanges = 10'000;
  WsClient slow;
  ASSERT_TRUE(slow.connect(port(), "/events?token=boss-token", nullptr, 4096));
  WsClient reader;
  ASSERT_TRUE(reader.connect(port(), "/events?token=boss-token"));
  ASSERT_EQ((*reader.next())["type"], "snapshot");

  std::atomic<int> received{0};
  std::atomic<bool> in_order{true};
  std::thread reading([&] {
    std::uint64_t expect = 11;
    while (received < kChanges) {
      // Substring, not a parse: the test must not be slower than the server.
      const auto frame = reader.next_text(10s);
      if (!frame) break;
      if (frame->find("\"seq\":" + std::to_string(expect) + ",") == std::string::npos) in_order = false;
      ++expect;
      ++received;
    }
  });
  // Once the server has given up on the slow client, it reads: what was on
  // its way, then the close (within the server's grace period).
  int frames = 0;
  std::thread draining([&] {
    const std::string closed = "opentapi_slow_consumers_disconnected_total{transport=\"websocket\"} 1";
    for (int i = 0; i < 600; ++i) {
      HttpClient c(port());
      if (c.send(bhttp::verb::get, "/metrics").body.find(closed) != std::string::npos) break;
      std::this_thread::sleep_for(50ms);
    }
    while (slow.next_text(5s)) ++frames;
  });
  for (int i = 0; i < kChanges; ++i) {
    fake_.emit(FakeSupervision::agent(3, "1001", "Ada", "alice"));
    if (i % 50 == 49) std::this_thread::sleep_for(20ms);
  }
  reading.join();
  draining.join();
  EXPECT_EQ(received, kChanges);
  EXPECT_TRUE(in_order);
  EXPECT_FALSE(reader.closed());

  EXPECT_TRUE(slow.closed());
  EXPECT_EQ(slow.close_code(), 1008);
  EXPECT_GT(frames, 0);
  EXPECT_LT(frames, kChanges);

  HttpClient c(port());
  const std::string metrics = c.send(bhttp::verb::get, "/metrics").body;
  EXPECT_NE(metrics.find("opentapi_slow_consumers_disconnected_total{transport=\"websocket\"} 1"), std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("opentapi_websocket_clients 1"), std::string::npos) << metrics;
}

TEST_F(HttpServerTest, TheFrameLimitOfASlowConsumerIsAnOption) {
  start(&fake_, 16);
  // 3,000 changes of about 4 KiB: far more than the slow client's socket
  // buffers hold, far fewer than the buffers plus the default 4,096 frames.
  // The limit is every client's: the reader takes each batch of 8 before the
  // next is sent, so it never has more than 16 waiting.
  constexpr int kChanges = 3'000;
  WsClient slow;
  ASSERT_TRUE(slow.connect(port(), "/events?token=boss-token", nullptr, 4096));
  WsClient reader;
  ASSERT_TRUE(reader.connect(port(), "/events?token=boss-token"));
  ASSERT_EQ((*reader.next())["type"], "snapshot");
  // Once the server has given up on the slow client, it reads at once: the
  // close frame waits only 5 s for it.
  int frames = 0;
  std::thread draining([&] {
    const std::string closed = "opentapi_slow_consumers_disconnected_total{transport=\"websocket\"} 1";
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (std::chrono::steady_clock::now() < deadline) {
      HttpClient c(port());
      if (c.send(bhttp::verb::get, "/metrics").body.find(closed) != std::string::npos) break;
      std::this_thread::sleep_for(10ms);
    }
    while (slow.next_text(10s)) ++frames;
  });
  for (int i = 0; i < kChanges && !HasFatalFailure(); ++i) {
    fake_.emit(big_agent(static_cast<std::uint32_t>(i)));
    if (i % 8 == 7) wait_for(reader, 10 + static_cast<std::uint64_t>(i) + 1);
  }
  draining.join();
  EXPECT_TRUE(slow.closed());
  EXPECT_EQ(slow.close_code(), 1008);
  EXPECT_EQ(slow.close_reason(), "slow consumer: more than 16 frames queued; reconnect with after");
  EXPECT_LT(frames, kChanges);
  EXPECT_FALSE(reader.closed());
}

// opentapid's reload: new tokens apply to the next request, and a stream
// whose user lost every token is closed with 1008 while the others go on.
TEST_F(HttpServerTest, NewTokensApplyAtOnceAndCloseTheStreamsOfRevokedUsers) {
  start(&fake_);
  WsClient alice;
  ASSERT_TRUE(alice.connect(port(), "/events?token=alice-token"));
  ASSERT_TRUE(alice.next_text(10s));  // the snapshot
  WsClient boss;
  ASSERT_TRUE(boss.connect(port(), "/events?token=boss-token"));
  ASSERT_TRUE(boss.next_text(10s));
  WsClient alice_log;  // the event log stream too
  ASSERT_TRUE(alice_log.connect(port(), "/events?token=alice-token&since=0"));
  ASSERT_TRUE(alice_log.next_text(10s));

  server_->set_tokens({{"boss-token-2", "boss"}});

  // Applied on the HTTP thread: the old token stops working there.
  unsigned status = 0;
  for (int i = 0; i < 400; ++i) {
    HttpClient c(port());
    status = c.send(bhttp::verb::get, "/api/v1/board", "Bearer boss-token").status;
    if (status == 401u) break;
    std::this_thread::sleep_for(25ms);
  }
  EXPECT_EQ(status, 401u);
  HttpClient c(port());
  EXPECT_EQ(c.send(bhttp::verb::get, "/api/v1/board", "Bearer boss-token-2").status, 200u);
  EXPECT_EQ(c.send(bhttp::verb::get, "/api/v1/board", "Bearer alice-token").status, 401u);

  // alice has no token left: her stream is closed.
  while (alice.next_text(10s)) {
  }
  EXPECT_TRUE(alice.closed());
  EXPECT_EQ(alice.close_code(), 1008);
  EXPECT_EQ(alice.close_reason(), "token revoked");
  while (alice_log.next_text(10s)) {
  }
  EXPECT_EQ(alice_log.close_code(), 1008);
  EXPECT_EQ(alice_log.close_reason(), "token revoked");
  // boss still has one (another secret): his stream goes on.
  fake_.emit(FakeSupervision::agent(3, "1001", "Ada", "alice"));
  const auto change = boss.next_text(10s);
  ASSERT_TRUE(change);
  EXPECT_NE(change->find("\"type\":\"change\""), std::string::npos) << *change;
  EXPECT_FALSE(boss.closed());
}

}  // namespace
}  // namespace opentapi::http
