// Process-level tests of opentapid's HTTP front (docs/http.md): a real
// opentapid with the reference ACD on a temporary socket and data directory,
// HTTP on a free loopback port (--http 127.0.0.1:0, the port read from the
// event=http-listen log line), an agent and session created through the C
// API as the test's own OS user. Every endpoint, the bad inputs, the
// WebSocket stream, --no-acd, and docs/openapi.yaml against the live server.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <tapi.h>
#include <unistd.h>
#include <yaml.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "http/testing/test_clients.h"
#include "support/opentapid.h"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;
using opentapi::http::testing::HttpClient;
using opentapi::http::testing::WsClient;
namespace bhttp = boost::beast::http;

constexpr const char* kSupervisor = "Bearer supervisor-token";
constexpr const char* kAgentToken = "agent-token-123";
constexpr const char* kSales = "{A1C44A13-0635-4B3C-BAA0-E1E4694E033A}";
constexpr GUID kSalesGuid = {0xA1C44A13, 0x0635, 0x4B3C, {0xBA, 0xA0, 0xE1, 0xE4, 0x69, 0x4E, 0x03, 0x3A}};

using opentapi::test_support::current_user;
using opentapi::test_support::read_file;

// A call center without traffic: agent 1001 for the test's own user, 2001
// logged in by the simulator (so owned by someone else), no calls but those
// the test reports through the PBX extension as the test's user.
std::string config_text() {
  return std::string() + R"([server]
lines = 2
addresses_per_line = 2

[acd]
supervisors = ["supervisor"]
pbx_users = [")" +
         current_user() + R"("]

[[group]]
name = "Sales"
guid = "{A1C44A13-0635-4B3C-BAA0-E1E4694E033A}"

[[group]]
name = "Support"
guid = "{DA791BCE-3B74-4D4F-82FB-F25641CDE842}"

[[queue]]
id = 1
name = "Sales"
group = "Sales"

[[queue]]
id = 2
name = "Support"
group = "Support"

[[agent]]
id = "1001"
pin = "1111"
name = "Ada"

[[agent]]
id = "2001"
pin = "5555"
name = "Eve"

[simulator]
enabled = true
calls_per_hour = 0
agents = ["2001"]

[[http.token]]
token = "supervisor-token"
user = "supervisor"

[[http.token]]
token = "agent-token-123"
user = ")" +
         current_user() + "\"\n";
}

// One opentapid; SIGKILLed at destruction if still running.
class Opentapid : public opentapi::test_support::Opentapid {
 public:
  using Base = opentapi::test_support::Opentapid;
  Opentapid(const fs::path& dir, std::vector<std::string> args)
      : Base(std::move(args), (dir / "opentapid.log").string()) {}

  bool wait_for_log(const std::regex& pattern, std::smatch* match = nullptr, std::chrono::milliseconds timeout = 20s) {
    return Base::wait_for_log(pattern, match, timeout);
  }

  // The port of the event=http-listen line (the log line format of docs/http.md).
  std::uint16_t http_port() {
    std::smatch m;
    if (!wait_for_log(std::regex(R"(event=http-listen host=\S+ port=(\d+) )"), &m)) {
      ADD_FAILURE() << "no event=http-listen line:\n" << log();
      return 0;
    }
    return static_cast<std::uint16_t>(std::stoi(m[1]));
  }

  std::optional<int> wait_exit(std::chrono::milliseconds timeout = 20s) { return Base::wait_exit(timeout); }

  void stop() { signal(SIGTERM); }
};

// The test's own agent and session, through the C API (as the test's OS user).
class TapiAgent {
 public:
  explicit TapiAgent(const std::string& socket) {
    ::setenv("OPENTAPI_SERVER", ("unix:" + socket).c_str(), 1);
    LINEINITIALIZEEXPARAMS params{};
    params.dwTotalSize = sizeof params;
    params.dwOptions = LINEINITIALIZEEXOPTION_USEEVENT;
    DWORD devices = 0;
    DWORD api = 0x00030001;
    EXPECT_EQ(lineInitializeExA(&app_, nullptr, nullptr, "http-api-test", &devices, &api, &params), 0);
    DWORD negotiated = 0;
    LINEEXTENSIONID ext{};
    EXPECT_EQ(lineNegotiateAPIVersion(app_, 0, 0x00020000, 0x00030001, &negotiated, &ext), 0);
    EXPECT_EQ(lineOpenA(app_, 0, &line_, negotiated, 0, 0, LINECALLPRIVILEGE_NONE, 0, nullptr), 0);
  }
  ~TapiAgent() { lineShutdown(app_); }

  // The LINE_REPLY result of an asynchronous call that returned `request`.
  LONG reply(LONG request) {
    if (request <= 0) return request;
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
      LINEMESSAGE m{};
      if (lineGetMessage(app_, &m, 500) != 0) continue;
      if (m.dwMessageID == LINE_REPLY && static_cast<LONG>(m.dwParam1) == request) {
        return static_cast<LONG>(m.dwParam2);
      }
    }
    ADD_FAILURE() << "no LINE_REPLY for request " << request;
    return 1;
  }

  HAGENT create_agent() {
    HAGENT agent = 0;
    char id[] = "1001";
    char pin[] = "1111";
    EXPECT_EQ(reply(lineCreateAgentA(line_, id, pin, &agent)), 0);
    return agent;
  }

  HAGENTSESSION create_session(HAGENT agent) {
    HAGENTSESSION session = 0;
    char pin[] = "1111";
    GUID group = kSalesGuid;
    EXPECT_EQ(reply(lineCreateAgentSessionA(line_, agent, pin, 0, &group, &session)), 0);
    return session;
  }

  LONG set_session_state(HAGENTSESSION session, DWORD state, DWORD next) {
    return reply(lineSetAgentSessionState(line_, session, state, next));
  }

  // A call event through the ACD's PBX extension (docs/acd.md "PBX
  // extension"): the block is 8 DWORDs, version 1.
  static constexpr DWORD kPbxQueued = 1, kPbxAnswered = 2, kPbxEnded = 3;
  LONG pbx(DWORD operation, DWORD call, DWORD queue = 0) {
    DWORD block[8] = {1, operation, call, queue, 0, 0, 0, 0};
    return reply(lineAgentSpecific(line_, 0, 0, block, sizeof block));
  }

 private:
  HLINEAPP app_ = 0;
  HLINE line_ = 0;
};

class HttpApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/opentapid-http-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    socket_ = (dir_ / "s.sock").string();
    std::ofstream(dir_ / "callcenter.toml") << config_text();
    fs::create_directories(dir_ / "web");
    std::ofstream(dir_ / "web" / "index.html") << "<title>test wallboard</title>";
    std::ofstream(dir_ / "web" / "app.css") << "body{}";
  }
  void TearDown() override {
    daemon_.reset();
    fs::remove_all(dir_);
  }

  void start(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--listen",
                                     "unix:" + socket_,
                                     "--data-dir",
                                     (dir_ / "data").string(),
                                     "--config",
                                     (dir_ / "callcenter.toml").string(),
                                     "--http",
                                     "127.0.0.1:0",
                                     "--web-root",
                                     (dir_ / "web").string(),
                                     "--summary-interval",
                                     "0"};
    args.insert(args.end(), extra.begin(), extra.end());
    daemon_ = std::make_unique<Opentapid>(dir_, args);
    port_ = daemon_->http_port();
    ASSERT_NE(port_, 0);
  }

  // Starts with the ACD, creates the test user's agent and session.
  void start_with_agent() {
    ASSERT_NO_FATAL_FAILURE(start());
    tapi_ = std::make_unique<TapiAgent>(socket_);
    agent_ = tapi_->create_agent();
    session_ = tapi_->create_session(agent_);
    ASSERT_NE(agent_, 0u);
    ASSERT_NE(session_, 0u);
  }

  opentapi::http::testing::HttpAnswer call(bhttp::verb method, const std::string& target,
                                           const std::string& authorization = kSupervisor,
                                           const std::string& body = "") {
    HttpClient c(port_);
    return c.send(method, target, authorization, body);
  }
  json get_json(const std::string& target, const std::string& authorization = kSupervisor) {
    const auto a = call(bhttp::verb::get, target, authorization);
    EXPECT_EQ(a.status, 200u) << target << ": " << a.body;
    json value = json::parse(a.body, nullptr, false);
    // An empty object on failure: the caller's checks then fail, not throw.
    return a.status == 200u && !value.is_discarded() ? value : json::object();
  }
  // A session of someone else (the simulator's agent 2001).
  std::uint32_t foreign_session() {
    const json sessions = get_json("/api/v1/sessions");
    for (const auto& s : sessions["items"]) {
      if (s["agent_id"] == "2001") return s["handle"];
    }
    ADD_FAILURE() << "the simulator has not logged 2001 in";
    return 0;
  }
  // The simulator keeps its agent 2001 READY in every group from the start;
  // NOT_READY, it leaves the test's calls to the test's own session.
  void quiet_the_simulated_agent() {
    const json sessions = get_json("/api/v1/sessions");
    for (const auto& s : sessions["items"]) {
      if (s["agent_id"] != "2001") continue;
      const auto a =
          call(bhttp::verb::put, put_session(s["handle"].get<std::uint32_t>()), kSupervisor, R"({"state":"NOTREADY"})");
      EXPECT_EQ(a.status, 200u) << a.body;
    }
  }
  std::string put_session(std::uint32_t handle) { return "/api/v1/sessions/" + std::to_string(handle) + "/state"; }
  static void expect_error(const opentapi::http::testing::HttpAnswer& a, unsigned status, const std::string& error,
                           const std::string& field = "") {
    ASSERT_EQ(a.status, status) << a.body;
    const json b = json::parse(a.body, nullptr, false);
    EXPECT_EQ(b["error"], error) << a.body;
    if (!field.empty()) {
      EXPECT_EQ(b["field"], field) << a.body;
    }
  }

  fs::path dir_;
  std::string socket_;
  std::unique_ptr<Opentapid> daemon_;
  std::uint16_t port_ = 0;
  std::unique_ptr<TapiAgent> tapi_;
  HAGENT agent_ = 0;
  HAGENTSESSION session_ = 0;
};

TEST_F(HttpApiTest, ReadsTheBoardTheAcdHolds) {
  ASSERT_NO_FATAL_FAILURE(start_with_agent());
  const json board = get_json("/api/v1/board");
  EXPECT_EQ(board["groups"].size(), 2u);
  EXPECT_EQ(board["groups"][0]["guid"], kSales);
  EXPECT_EQ(board["queues"].size(), 2u);
  bool mine = false;
  for (const auto& a : board["agents"])
    mine |= a["handle"] == agent_ && a["owner"] == current_user() && a["id"] == "1001";
  EXPECT_TRUE(mine) << board.dump();

  const json session = get_json("/api/v1/sessions/" + std::to_string(session_));
  EXPECT_EQ(session["agent"], agent_);
  EXPECT_EQ(session["group"], kSales);
  EXPECT_EQ(session["state"], "NOTREADY");
  EXPECT_EQ(get_json("/api/v1/agents/" + std::to_string(agent_))["name"], "Ada");
  EXPECT_EQ(get_json("/api/v1/queues/2")["name"], "Support");
  for (const char* list : {"agents", "sessions", "groups", "queues"}) {
    const json l = get_json(std::string("/api/v1/") + list);
    EXPECT_FALSE(l["items"].empty()) << list;
    EXPECT_TRUE(l["seq"].is_number());
  }
  for (const char* unknown : {"/api/v1/agents/999999", "/api/v1/sessions/999999", "/api/v1/queues/99"}) {
    expect_error(call(bhttp::verb::get, unknown), 404, "LINEERR_INVALPARAM");
  }
}

TEST_F(HttpApiTest, ChangesStateThroughTheAcdAndRecordsTheHistory) {
  ASSERT_NO_FATAL_FAILURE(start_with_agent());
  // The test's own user, with its own token, changes its own session.
  const auto a = call(bhttp::verb::put, put_session(session_), std::string("Bearer ") + kAgentToken,
                      R"({"state":"READY","next_state":"NOTREADY"})");
  ASSERT_EQ(a.status, 200u) << a.body;
  EXPECT_EQ(json::parse(a.body)["state"], "READY");
  const json session = get_json("/api/v1/sessions/" + std::to_string(session_));
  EXPECT_EQ(session["state"], "READY");
  EXPECT_EQ(session["next_state"], "NOTREADY");

  const json history = get_json("/api/v1/sessions/" + std::to_string(session_) + "/history?limit=1000");
  ASSERT_FALSE(history["items"].empty());
  const json last = history["items"].back();
  EXPECT_EQ(last["actor"], current_user());
  EXPECT_EQ(last["to"], LINEAGENTSESSIONSTATE_READY);
  EXPECT_EQ(history["next_after"], last["seq"]);
  const json after = get_json("/api/v1/sessions/" + std::to_string(session_) +
                              "/history?after=" + std::to_string(last["seq"].get<std::uint64_t>()));
  EXPECT_TRUE(after["items"].empty());

  // A supervisor changes the agent.
  const auto agent = call(bhttp::verb::put, "/api/v1/agents/" + std::to_string(agent_) + "/state", kSupervisor,
                          R"({"state":"NOTREADY"})");
  ASSERT_EQ(agent.status, 200u) << agent.body;
  EXPECT_EQ(get_json("/api/v1/agents/" + std::to_string(agent_))["state"], "NOTREADY");
  EXPECT_FALSE(get_json("/api/v1/agents/" + std::to_string(agent_) + "/history")["items"].empty());
}

TEST_F(HttpApiTest, AnIllegalTransitionHasTheLineerrOfTheCApi) {
  ASSERT_NO_FATAL_FAILURE(start_with_agent());
  // NOTREADY → BUSYWRAPUP is not in the table (docs/reference/flows.md §4.1).
  const LONG c_api = tapi_->set_session_state(session_, LINEAGENTSESSIONSTATE_BUSYWRAPUP, 0);
  ASSERT_LT(c_api, 0);
  const auto a = call(bhttp::verb::put, put_session(session_), kSupervisor, R"({"state":"BUSYWRAPUP"})");
  ASSERT_EQ(a.status, 409u) << a.body;
  const json b = json::parse(a.body);
  EXPECT_EQ(b["code"], static_cast<std::uint32_t>(c_api));
  EXPECT_EQ(b["error"], "LINEERR_INVALAGENTSTATE");
  EXPECT_EQ(get_json("/api/v1/sessions/" + std::to_string(session_))["state"], "NOTREADY");
}

TEST_F(HttpApiTest, RefusesBadRequestsAndLeavesTheBoardAlone) {
  ASSERT_NO_FATAL_FAILURE(start_with_agent());
  const std::string put = put_session(session_);
  expect_error(call(bhttp::verb::put, put, kSupervisor, R"({"state":)"), 400, "BAD_REQUEST", "body");
  expect_error(call(bhttp::verb::put, put, kSupervisor, R"({"state":"READY","mood":"happy"})"), 400, "BAD_REQUEST",
               "mood");
  expect_error(call(bhttp::verb::put, put, kSupervisor, R"({"state":true})"), 400, "BAD_REQUEST", "state");
  expect_error(call(bhttp::verb::put, put, kSupervisor, R"({"state":"SLEEPING"})"), 400, "BAD_REQUEST", "state");
  expect_error(call(bhttp::verb::put, put, kSupervisor, "{\"state\":\"READY\"" + std::string(70'000, ' ') + "}"), 400,
               "BAD_REQUEST", "body");
  expect_error(call(bhttp::verb::put, put, "Bearer wrong-token", R"({"state":"READY"})"), 401, "UNAUTHORIZED");
  expect_error(call(bhttp::verb::put, put, "", R"({"state":"READY"})"), 401, "UNAUTHORIZED");
  expect_error(call(bhttp::verb::get, "/api/v1/board", ""), 401, "UNAUTHORIZED");
  expect_error(call(bhttp::verb::put, put_session(999999), kSupervisor, R"({"state":"READY"})"), 404,
               "LINEERR_INVALPARAM");
  expect_error(call(bhttp::verb::put, put_session(foreign_session()), std::string("Bearer ") + kAgentToken,
                    R"({"state":"NOTREADY"})"),
               403, "LINEERR_INVALPARAM");
  expect_error(call(bhttp::verb::get, "/api/v1/agents/x"), 400, "BAD_REQUEST", "handle");
  expect_error(call(bhttp::verb::get, "/api/v1/sessions/1/history?limit=0"), 400, "BAD_REQUEST", "limit");
  expect_error(call(bhttp::verb::delete_, "/api/v1/board"), 405, "METHOD_NOT_ALLOWED");
  expect_error(call(bhttp::verb::get, "/api/v1/nothing"), 404, "NOT_FOUND");
  EXPECT_EQ(get_json("/api/v1/sessions/" + std::to_string(session_))["state"], "NOTREADY");
  // The query token works where a header cannot be set.
  EXPECT_EQ(call(bhttp::verb::get, std::string("/api/v1/board?token=") + kAgentToken, "").status, 200u);
}

TEST_F(HttpApiTest, ServesMetricsHealthAndTheWallboard) {
  ASSERT_NO_FATAL_FAILURE(start_with_agent());
  ASSERT_EQ(call(bhttp::verb::put, put_session(session_), kSupervisor, R"({"state":"READY"})").status, 200u);
  const auto metrics = call(bhttp::verb::get, "/metrics", "");
  ASSERT_EQ(metrics.status, 200u);
  EXPECT_EQ(metrics.fields[bhttp::field::content_type], "text/plain; version=0.0.4; charset=utf-8");
  for (const char* needle :
       {"opentapi_applications_connected ", "opentapi_agent_requests_total{type=\"CREATEAGENT\",result=\"OK\"} 1",
        "opentapi_agent_requests_total{type=\"CREATEAGENTSESSION\",result=\"OK\"} 1", "opentapi_state_changes_total ",
        "opentapi_store_commit_latency_seconds{commit=\"last\"} ",
        "opentapi_queue_waiting_calls{queue=\"1\",name=\"Sales\"} 0",
        "opentapi_slow_consumers_disconnected_total{transport=\"tapi\"} 0",
        "opentapi_slow_consumers_disconnected_total{transport=\"websocket\"} 0",
        "opentapi_http_requests_total{status=\"200\"} "}) {
    EXPECT_NE(metrics.body.find(needle), std::string::npos) << needle << "\n" << metrics.body;
  }
  const auto health = call(bhttp::verb::get, "/healthz", "");
  EXPECT_EQ(health.status, 200u);
  EXPECT_EQ(health.body, "ok\n");
  const auto page = call(bhttp::verb::get, "/?token=supervisor-token", "");
  EXPECT_EQ(page.status, 200u);
  EXPECT_EQ(page.body, "<title>test wallboard</title>");
  EXPECT_EQ(page.fields[bhttp::field::content_type], "text/html; charset=utf-8");
  EXPECT_EQ(call(bhttp::verb::get, "/app.css", "").fields[bhttp::field::content_type], "text/css; charset=utf-8");
  EXPECT_EQ(call(bhttp::verb::get, "/missing.js", "").status, 404u);
  EXPECT_EQ(call(bhttp::verb::get, "/../callcenter.toml", "").status, 404u);
  EXPECT_EQ(call(bhttp::verb::get, "/%2e%2e/callcenter.toml", "").status, 404u);
}

TEST_F(HttpApiTest, EventsSendASnapshotThenChangesAndResume) {
  ASSERT_NO_FATAL_FAILURE(start_with_agent());
  std::uint64_t seq = 0;
  std::string stream;
  {
    WsClient ws;
    ASSERT_TRUE(ws.connect(port_, "/events?token=supervisor-token"));
    const auto snapshot = ws.next(10s);
    ASSERT_TRUE(snapshot);
    EXPECT_EQ((*snapshot)["type"], "snapshot");
    seq = (*snapshot)["seq"];
    stream = (*snapshot)["stream"];
    bool listed = false;
    for (const auto& s : (*snapshot)["sessions"]) listed |= s["handle"] == session_;
    EXPECT_TRUE(listed);

    ASSERT_EQ(call(bhttp::verb::put, put_session(session_), kSupervisor, R"({"state":"READY"})").status, 200u);
    // The change of our session comes, with the next seq (other changes may come first).
    for (;;) {
      const auto change = ws.next(10s);
      ASSERT_TRUE(change) << "no change frame";
      EXPECT_EQ((*change)["type"], "change");
      EXPECT_EQ((*change)["seq"], seq + 1);
      seq = (*change)["seq"];
      if ((*change)["kind"] == "session" && (*change)["object"]["handle"] == session_) {
        EXPECT_EQ((*change)["object"]["state"], "READY");
        break;
      }
    }
  }
  // While no client listens.
  ASSERT_EQ(call(bhttp::verb::put, put_session(session_), kSupervisor, R"({"state":"NOTREADY"})").status, 200u);

  WsClient ws;
  ASSERT_TRUE(ws.connect(port_, "/events?token=supervisor-token&after=" + std::to_string(seq) + "&stream=" + stream));
  const auto resume = ws.next(10s);
  ASSERT_TRUE(resume);
  EXPECT_EQ((*resume)["type"], "resume");
  EXPECT_EQ((*resume)["seq"], seq);
  for (;;) {
    const auto change = ws.next(10s);
    ASSERT_TRUE(change) << "the change made while away never came";
    EXPECT_EQ((*change)["seq"], seq + 1);
    seq = (*change)["seq"];
    if ((*change)["kind"] == "session" && (*change)["object"]["handle"] == session_) {
      EXPECT_EQ((*change)["object"]["state"], "NOTREADY");
      break;
    }
  }
  unsigned status = 0;
  WsClient refused;
  EXPECT_FALSE(refused.connect(port_, "/events?token=nope", &status));
  EXPECT_EQ(status, 401u);
}

// --http-max-queued-frames reaches the /events stream: with a limit of one
// frame, a client that reads nothing is closed with 1008 as soon as its
// socket buffers are full and two frames wait behind them.
TEST_F(HttpApiTest, TheWebSocketFrameLimitIsAnOption) {
  ASSERT_NO_FATAL_FAILURE(start({"--http-max-queued-frames", "1"}));
  EXPECT_NE(daemon_->log().find(" max_queued_frames=1\n"), std::string::npos) << daemon_->log();
  tapi_ = std::make_unique<TapiAgent>(socket_);
  agent_ = tapi_->create_agent();
  session_ = tapi_->create_session(agent_);
  ASSERT_NE(session_, 0u);
  WsClient slow;
  ASSERT_TRUE(slow.connect(port_, "/events?token=supervisor-token", nullptr, 4096));
  // Each change is a frame of a few hundred bytes; the server's send buffer
  // (256 KiB) and the client's fill after about a thousand.
  // Once the server has given up on the client, the client reads at once:
  // the close frame waits only 5 s for it.
  std::atomic<bool> seen{false};
  std::atomic<bool> done{false};
  std::thread draining([&] {
    const std::string closed = "opentapi_slow_consumers_disconnected_total{transport=\"websocket\"} 1";
    while (!done) {
      if (call(bhttp::verb::get, "/metrics", "").body.find(closed) != std::string::npos) {
        seen = true;
        while (slow.next_text(10s)) {
        }
        return;
      }
      std::this_thread::sleep_for(10ms);
    }
  });
  for (int i = 0; i < 4000 && !seen; ++i) {
    const DWORD state = i % 2 == 0 ? LINEAGENTSESSIONSTATE_READY : LINEAGENTSESSIONSTATE_NOTREADY;
    const LONG rc = tapi_->set_session_state(session_, state, 0);
    EXPECT_EQ(rc, 0) << i;
    if (rc != 0) break;
  }
  done = true;
  draining.join();
  ASSERT_TRUE(seen) << "no slow consumer after 4,000 changes";
  EXPECT_TRUE(slow.closed());
  EXPECT_EQ(slow.close_code(), 1008);
  EXPECT_EQ(slow.close_reason(), "slow consumer: more than 1 frames queued; reconnect with after");
}

TEST_F(HttpApiTest, AFrameLimitBelowOneIsRefused) {
  Opentapid d(dir_,
              {"--listen", "unix:" + socket_, "--no-acd", "--http", "127.0.0.1:0", "--http-max-queued-frames", "0"});
  const auto status = d.wait_exit();
  ASSERT_TRUE(status) << "opentapid started with --http-max-queued-frames 0";
  EXPECT_NE(*status, 0);
  EXPECT_NE(d.log().find("--http-max-queued-frames: Value 0 not in range 1 to 16777216"), std::string::npos) << d.log();
  EXPECT_FALSE(fs::exists(socket_)) << "it listened";
}

// The one call in /api/v1/calls (filtered by the PBX's call id, the low bits
// of the ACD's).
json the_call(const json& list) {
  EXPECT_EQ(list["items"].size(), 1u) << list.dump();
  return list["items"].empty() ? json() : list["items"][0];
}

TEST_F(HttpApiTest, CallsInProgressFollowACallFromQueueToAnswerToEnd) {
  ASSERT_NO_FATAL_FAILURE(start_with_agent());
  ASSERT_NO_FATAL_FAILURE(quiet_the_simulated_agent());
  EXPECT_TRUE(get_json("/api/v1/calls")["items"].empty());
  // Nobody is READY: the call waits in queue 1.
  ASSERT_EQ(tapi_->pbx(TapiAgent::kPbxQueued, 41, 1), 0);
  json c = the_call(get_json("/api/v1/calls"));
  EXPECT_EQ(c["state"], "queued");
  EXPECT_EQ(c["queue"], 1);
  EXPECT_EQ(c["queue_name"], "Sales");
  EXPECT_TRUE(c["session"].is_null());
  EXPECT_TRUE(c["queued_ms"].is_number());
  const std::string id = c["id"];
  EXPECT_EQ(id.size(), 16u);
  EXPECT_EQ(id.substr(14), "29");  // the PBX's call 41

  // The session becomes READY: the call rings there.
  ASSERT_EQ(call(bhttp::verb::put, put_session(session_), kSupervisor, R"({"state":"READY"})").status, 200u);
  c = the_call(get_json("/api/v1/calls?state=ringing"));
  EXPECT_EQ(c["id"], id);
  EXPECT_EQ(c["session"], session_);
  EXPECT_EQ(c["agent"], agent_);
  EXPECT_EQ(c["agent_id"], "1001");
  EXPECT_EQ(c["agent_name"], "Ada");
  EXPECT_EQ(c["device"], 0);
  EXPECT_EQ(c["address"], 0);
  EXPECT_TRUE(c["answered_ms"].is_null());
  json session = get_json("/api/v1/sessions/" + std::to_string(session_));
  EXPECT_EQ(session["state"], "BUSYONCALL");
  ASSERT_TRUE(session["call"].is_object()) << session.dump();
  EXPECT_EQ(session["call"]["id"], id);
  EXPECT_EQ(session["call"]["queue_name"], "Sales");
  EXPECT_TRUE(session["call"]["answered_ms"].is_null());

  ASSERT_EQ(tapi_->pbx(TapiAgent::kPbxAnswered, 41), 0);
  c = the_call(get_json("/api/v1/calls?state=talking&queue=1"));
  EXPECT_TRUE(c["answered_ms"].is_number());
  EXPECT_GE(c["answered_ms"].get<std::int64_t>(), c["offered_ms"].get<std::int64_t>());
  session = get_json("/api/v1/sessions/" + std::to_string(session_));
  EXPECT_EQ(session["call"]["answered_ms"], c["answered_ms"]);
  EXPECT_TRUE(get_json("/api/v1/calls?queue=2")["items"].empty());

  // /metrics counts it as talking (counted four times a second: wait for it).
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  std::string metrics;
  while (std::chrono::steady_clock::now() < deadline) {
    metrics = call(bhttp::verb::get, "/metrics", "").body;
    if (metrics.find("opentapi_calls_by_state{state=\"talking\"} 1\n") != std::string::npos) break;
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_NE(metrics.find("opentapi_calls_by_state{state=\"talking\"} 1\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("opentapi_calls_by_state{state=\"queued\"} 0\n"), std::string::npos) << metrics;

  ASSERT_EQ(tapi_->pbx(TapiAgent::kPbxEnded, 41), 0);
  EXPECT_TRUE(get_json("/api/v1/calls")["items"].empty());
  session = get_json("/api/v1/sessions/" + std::to_string(session_));
  EXPECT_TRUE(session["call"].is_null()) << session.dump();
}

TEST_F(HttpApiTest, CallsAreForSupervisorsAndCheckTheirFilters) {
  ASSERT_NO_FATAL_FAILURE(start_with_agent());
  expect_error(call(bhttp::verb::get, "/api/v1/calls", std::string("Bearer ") + kAgentToken), 403, "FORBIDDEN");
  expect_error(call(bhttp::verb::get, "/api/v1/calls", ""), 401, "UNAUTHORIZED");
  expect_error(call(bhttp::verb::get, "/api/v1/calls?state=busy"), 400, "BAD_REQUEST", "state");
  expect_error(call(bhttp::verb::get, "/api/v1/calls?queue=1x"), 400, "BAD_REQUEST", "queue");
  expect_error(call(bhttp::verb::post, "/api/v1/calls"), 405, "METHOD_NOT_ALLOWED");
  EXPECT_EQ(call(bhttp::verb::get, "/api/v1/calls?token=supervisor-token", "").status, 200u);
}

TEST_F(HttpApiTest, TheChangeStreamCarriesTheSessionsCall) {
  ASSERT_NO_FATAL_FAILURE(start_with_agent());
  ASSERT_NO_FATAL_FAILURE(quiet_the_simulated_agent());
  ASSERT_EQ(call(bhttp::verb::put, put_session(session_), kSupervisor, R"({"state":"READY"})").status, 200u);
  WsClient ws;
  ASSERT_TRUE(ws.connect(port_, "/events?token=supervisor-token"));
  const auto snapshot = ws.next(10s);
  ASSERT_TRUE(snapshot);
  ASSERT_EQ(tapi_->pbx(TapiAgent::kPbxQueued, 7, 1), 0);
  ASSERT_EQ(tapi_->pbx(TapiAgent::kPbxAnswered, 7), 0);
  // The session's changes: delivered (ringing), then answered.
  bool rang = false;
  for (;;) {
    const auto change = ws.next(10s);
    ASSERT_TRUE(change) << "the session's answered call never came";
    if ((*change)["kind"] != "session" || (*change)["object"]["handle"] != session_) continue;
    const json& c = (*change)["object"]["call"];
    ASSERT_TRUE(c.is_object()) << change->dump();
    EXPECT_EQ(c["queue"], 1);
    if (c["answered_ms"].is_null()) {
      rang = true;
      continue;
    }
    EXPECT_GE(c["answered_ms"].get<std::int64_t>(), c["offered_ms"].get<std::int64_t>());
    EXPECT_LE(c["answered_ms"].get<std::int64_t>(), (*change)["now_ms"].get<std::int64_t>());
    break;
  }
  EXPECT_TRUE(rang);
  ASSERT_EQ(tapi_->pbx(TapiAgent::kPbxEnded, 7), 0);
  for (;;) {
    const auto change = ws.next(10s);
    ASSERT_TRUE(change) << "the end of the call never came";
    if ((*change)["kind"] != "session" || (*change)["object"]["handle"] != session_) continue;
    EXPECT_TRUE((*change)["object"]["call"].is_null()) << change->dump();
    EXPECT_EQ((*change)["object"]["state"], "BUSYWRAPUP");
    break;
  }
}

TEST_F(HttpApiTest, WithoutTheAcdTheBoardIs503ButMetricsAndFilesWork) {
  ASSERT_NO_FATAL_FAILURE(start({"--no-acd"}));
  expect_error(call(bhttp::verb::get, "/api/v1/board"), 503, "SERVICE_UNAVAILABLE");
  expect_error(call(bhttp::verb::put, put_session(1), kSupervisor, R"({"state":"READY"})"), 503, "SERVICE_UNAVAILABLE");
  const auto metrics = call(bhttp::verb::get, "/metrics", "");
  EXPECT_EQ(metrics.status, 200u);
  EXPECT_NE(metrics.body.find("opentapi_applications_connected"), std::string::npos);
  EXPECT_EQ(metrics.body.find("opentapi_state_changes_total"), std::string::npos);
  EXPECT_EQ(call(bhttp::verb::get, "/", "").status, 200u);
  EXPECT_EQ(call(bhttp::verb::get, "/healthz", "").status, 200u);
  unsigned status = 0;
  WsClient ws;
  EXPECT_FALSE(ws.connect(port_, "/events?token=supervisor-token", &status));
  EXPECT_EQ(status, 503u);
}

TEST_F(HttpApiTest, LogsTheWallboardUrlAndStopsCleanly) {
  ASSERT_NO_FATAL_FAILURE(start());
  const std::string log = daemon_->log();
  const std::string url = "http://127.0.0.1:" + std::to_string(port_) + "/";
  EXPECT_NE(log.find("url=" + url + " "), std::string::npos) << log;
  EXPECT_NE(log.find("wallboard=\"" + url + "?token=<token>\""), std::string::npos) << log;
  EXPECT_EQ(log.find("supervisor-token"), std::string::npos) << "a token was logged";
  daemon_->stop();
  EXPECT_EQ(daemon_->wait_exit(), 0);
}

TEST_F(HttpApiTest, AnHttpPortInUseStopsOpentapidWithAClearError) {
  // Hold a port.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 1), 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  const std::string taken = "127.0.0.1:" + std::to_string(ntohs(addr.sin_port));

  Opentapid d(dir_, {"--listen", "unix:" + socket_, "--data-dir", (dir_ / "data").string(), "--config",
                     (dir_ / "callcenter.toml").string(), "--http", taken});
  const auto status = d.wait_exit();
  ::close(fd);
  ASSERT_TRUE(status);
  EXPECT_EQ(*status, 1);
  EXPECT_NE(d.log().find("cannot listen on http " + taken), std::string::npos) << d.log();
  EXPECT_FALSE(fs::exists(socket_)) << "the telephony socket was left behind";
}

TEST_F(HttpApiTest, AMalformedHttpAddressIsRefused) {
  Opentapid d(dir_, {"--listen", "unix:" + socket_, "--no-acd", "--http", "localhost"});
  EXPECT_EQ(d.wait_exit(), 2);
  EXPECT_NE(d.log().find("--http: expected HOST:PORT"), std::string::npos) << d.log();
}

// ---- docs/openapi.yaml against the live server ----

json yaml_to_json(yaml_document_t* doc, yaml_node_t* node) {
  switch (node->type) {
    case YAML_SCALAR_NODE:
      return std::string(reinterpret_cast<const char*>(node->data.scalar.value), node->data.scalar.length);
    case YAML_SEQUENCE_NODE: {
      json out = json::array();
      for (yaml_node_item_t* i = node->data.sequence.items.start; i < node->data.sequence.items.top; ++i) {
        out.push_back(yaml_to_json(doc, yaml_document_get_node(doc, *i)));
      }
      return out;
    }
    case YAML_MAPPING_NODE: {
      json out = json::object();
      for (yaml_node_pair_t* p = node->data.mapping.pairs.start; p < node->data.mapping.pairs.top; ++p) {
        const json key = yaml_to_json(doc, yaml_document_get_node(doc, p->key));
        out[key.get<std::string>()] = yaml_to_json(doc, yaml_document_get_node(doc, p->value));
      }
      return out;
    }
    default:
      return nullptr;
  }
}

json load_yaml(const std::string& path) {
  const std::string text = read_file(path);
  yaml_parser_t parser;
  yaml_parser_initialize(&parser);
  yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  yaml_document_t doc;
  json out;
  if (yaml_parser_load(&parser, &doc) != 0) {
    if (yaml_node_t* root = yaml_document_get_root_node(&doc)) out = yaml_to_json(&doc, root);
    yaml_document_delete(&doc);
  } else {
    ADD_FAILURE() << path << ": " << (parser.problem ? parser.problem : "YAML error") << " at line "
                  << parser.problem_mark.line + 1;
  }
  yaml_parser_delete(&parser);
  return out;
}

// Checks that `value` has every property `schema` documents, recursively.
void expect_schema(const json& spec, json schema, const json& value, const std::string& where) {
  if (schema.contains("$ref")) {
    const std::string ref = schema["$ref"];
    ASSERT_EQ(ref.rfind("#/components/schemas/", 0), 0u) << ref;
    schema = spec["components"]["schemas"][ref.substr(std::strlen("#/components/schemas/"))];
    ASSERT_FALSE(schema.is_null()) << where << ": dangling " << ref;
  }
  if (schema.contains("allOf")) {
    for (const auto& part : schema["allOf"]) expect_schema(spec, part, value, where);
    return;
  }
  if (value.is_null()) {
    EXPECT_EQ(schema.value("nullable", std::string("false")), "true") << where << " is null";
    return;
  }
  const std::string type = schema.value("type", std::string());
  if (type == "object" || schema.contains("properties")) {
    ASSERT_TRUE(value.is_object()) << where << " is not an object";
    if (!schema.contains("properties")) return;
    for (const auto& [name, property] : schema["properties"].items()) {
      EXPECT_TRUE(value.contains(name)) << where << "." << name << " is documented but missing";
      if (value.contains(name)) expect_schema(spec, property, value[name], where + "." + name);
    }
  } else if (type == "array") {
    ASSERT_TRUE(value.is_array()) << where << " is not an array";
    EXPECT_FALSE(value.empty()) << where << " is empty: nothing to check its items against";
    for (std::size_t i = 0; i < value.size(); ++i) {
      expect_schema(spec, schema["items"], value[i], where + "[" + std::to_string(i) + "]");
    }
  } else if (type == "string") {
    EXPECT_TRUE(value.is_string()) << where << " is not a string";
  } else if (type == "integer" || type == "number") {
    EXPECT_TRUE(value.is_number()) << where << " is not a number";
  }
}

TEST_F(HttpApiTest, OpenApiDescriptionMatchesTheLiveServer) {
  ASSERT_NO_FATAL_FAILURE(start_with_agent());
  const json spec = load_yaml(OPENTAPI_OPENAPI_FILE);
  ASSERT_TRUE(spec.contains("paths"));
  // A history entry for the history endpoints to show, and a call ringing at
  // the session for /api/v1/calls and the session's call.
  ASSERT_EQ(call(bhttp::verb::put, put_session(session_), kSupervisor, R"({"state":"READY"})").status, 200u);
  ASSERT_EQ(tapi_->pbx(TapiAgent::kPbxQueued, 1, 1), 0);

  int checked = 0;
  for (const auto& [path, operations] : spec["paths"].items()) {
    std::string target = path;
    const std::string kind = path.find("/sessions/") != std::string::npos ? "session" : "agent";
    const std::string handle = std::to_string(kind == "session" ? session_ : agent_);
    for (const std::string param : {"{handle}", "{id}"}) {
      const auto at = target.find(param);
      if (at != std::string::npos) target.replace(at, param.size(), param == "{id}" ? "1" : handle);
    }
    for (const auto& [method, operation] : operations.items()) {
      if (method == "parameters") continue;
      std::string status;
      for (const auto& [code, response] : operation["responses"].items()) {
        if (code.size() == 3 && code[0] == '2') {
          status = code;
          break;
        }
      }
      ASSERT_FALSE(status.empty()) << method << " " << path << " documents no 2xx response";
      std::string body;
      if (operation.contains("requestBody")) {
        const json& example = operation["requestBody"]["content"]["application/json"]["example"];
        ASSERT_FALSE(example.is_null()) << method << " " << path << " has no request example";
        body = example.dump();
      }
      const bool secured = !(operation.contains("security") && operation["security"].empty());
      const auto verb = bhttp::string_to_verb(method == "get" ? "GET" : method == "put" ? "PUT" : method);
      const auto answer = call(verb, target, secured ? kSupervisor : "", body);
      SCOPED_TRACE(method + " " + target);
      ASSERT_EQ(std::to_string(answer.status), status) << answer.body;
      const json content = operation["responses"][status]["content"];
      ASSERT_EQ(content.size(), 1u);
      const std::string media = content.begin().key();
      EXPECT_EQ(std::string(answer.fields[bhttp::field::content_type]).rfind(media, 0), 0u)
          << "Content-Type " << answer.fields[bhttp::field::content_type] << ", documented " << media;
      if (media == "application/json") {
        const json value = json::parse(answer.body, nullptr, false);
        ASSERT_FALSE(value.is_discarded()) << answer.body;
        expect_schema(spec, content.begin().value()["schema"], value, method + " " + path);
      }
      ++checked;
    }
  }
  EXPECT_GE(checked, 15);
}

}  // namespace
