// The REST API and the other non-WebSocket endpoints, through RequestHandler,
// against a fake Supervision: routing, authentication, validation, error
// mapping, what reaches the ACD.
#include "http/rest_api.h"

#include <gtest/gtest.h>
#include <tapi.h>

#include <chrono>
#include <future>

#include "http/request_handler.h"
#include "http/testing/fake_supervision.h"

namespace opentapi::http {
namespace {

using nlohmann::json;
using testing::FakeSupervision;

constexpr const char* kBoss = "Bearer boss-token";
constexpr const char* kAlice = "Bearer alice-token";

class RestApiTest : public ::testing::Test {
 protected:
  RestApiTest() { make(&fake_); }

  void make(acd::Supervision* supervision) {
    RequestHandler::Options o;
    o.supervision = supervision;
    o.tokens = {{"boss-token", "boss"}, {"alice-token", "alice"}};
    o.counters = &counters_;
    o.telephony_metrics = [] {
      TelephonyMetrics t;
      t.applications = 4;
      return t;
    };
    handler_ = std::make_unique<RequestHandler>(std::move(o));
  }

  Response call(std::string method, std::string target, std::string authorization = kBoss, std::string body = "") {
    Request r{std::move(method), std::move(target), std::move(authorization), std::move(body)};
    std::promise<Response> answer;
    int replies = 0;
    handler_->handle(r, [&](Response response) {
      ++replies;
      answer.set_value(std::move(response));
    });
    auto future = answer.get_future();
    if (future.wait_for(std::chrono::seconds(5)) != std::future_status::ready) {
      ADD_FAILURE() << r.method << " " << r.target << ": no answer within 5 s";
      Response none;
      none.status = 0;  // the caller's status check fails too
      return none;
    }
    EXPECT_EQ(replies, 1);
    return future.get();
  }

  static json body(const Response& r) { return json::parse(r.body); }

  // A 400 naming `field`.
  static void expect_bad(const Response& r, const std::string& field) {
    ASSERT_EQ(r.status, 400u) << r.body;
    const json b = json::parse(r.body);
    EXPECT_EQ(b["error"], "BAD_REQUEST");
    EXPECT_EQ(b["field"], field) << r.body;
    EXPECT_NE(b["message"].get<std::string>().find(field), std::string::npos) << r.body;
  }

  FakeSupervision fake_;
  HttpCounters counters_;
  std::unique_ptr<RequestHandler> handler_;
};

TEST_F(RestApiTest, BoardListsEverything) {
  const Response r = call("GET", "/api/v1/board");
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(r.content_type, "application/json");
  const json b = body(r);
  EXPECT_EQ(b["seq"], 10);
  EXPECT_EQ(b["agents"].size(), 2u);
  EXPECT_EQ(b["sessions"].size(), 2u);
  EXPECT_EQ(b["queues"].size(), 2u);
  EXPECT_EQ(b["groups"].size(), 2u);
}

TEST_F(RestApiTest, ListsHaveSeqClockAndItems) {
  for (const char* what : {"agents", "sessions", "groups", "queues"}) {
    const Response r = call("GET", std::string("/api/v1/") + what);
    ASSERT_EQ(r.status, 200u) << what;
    const json b = body(r);
    EXPECT_EQ(b["seq"], 10);
    EXPECT_EQ(b["now_ms"], 1'764'000'000'000);
    EXPECT_EQ(b["items"].size(), 2u) << what;
  }
}

TEST_F(RestApiTest, OneObjectOr404WithTheCodeOfTheCApi) {
  EXPECT_EQ(body(call("GET", "/api/v1/agents/4"))["owner"], "bob");
  EXPECT_EQ(body(call("GET", "/api/v1/sessions/7"))["agent"], 3);
  EXPECT_EQ(body(call("GET", "/api/v1/queues/2"))["name"], "Support \"2\"");
  for (const char* path : {"/api/v1/agents/99", "/api/v1/sessions/99", "/api/v1/queues/99"}) {
    const Response r = call("GET", path);
    ASSERT_EQ(r.status, 404u) << path;
    EXPECT_EQ(body(r)["error"], "LINEERR_INVALPARAM");
    EXPECT_EQ(body(r)["code"], 0x80000032u);
  }
  expect_bad(call("GET", "/api/v1/agents/abc"), "handle");
  expect_bad(call("GET", "/api/v1/agents/-1"), "handle");
  expect_bad(call("GET", "/api/v1/agents/99999999999"), "handle");
  expect_bad(call("GET", "/api/v1/queues/x"), "id");
}

TEST_F(RestApiTest, CallsListsEveryCallInProgressForASupervisor) {
  const Response r = call("GET", "/api/v1/calls");
  ASSERT_EQ(r.status, 200u) << r.body;
  const json b = body(r);
  EXPECT_EQ(b["now_ms"], 1'764'000'000'000);
  ASSERT_EQ(b["items"].size(), 2u);
  EXPECT_EQ(b["items"][0]["id"], "0300000000000005");
  EXPECT_EQ(b["items"][0]["state"], "talking");
  EXPECT_EQ(b["items"][0]["caller_number"], "+4930123456");
  EXPECT_EQ(b["items"][0]["agent_id"], "1001");
  EXPECT_EQ(b["items"][0]["wait_s"], 7);
  EXPECT_EQ(b["items"][0]["talk_s"], 3);
  EXPECT_EQ(b["items"][1]["state"], "queued");
  EXPECT_TRUE(b["items"][1]["agent"].is_null());
  // The token may come in the query, as for every endpoint.
  EXPECT_EQ(call("GET", "/api/v1/calls?token=boss-token", "").status, 200u);
}

TEST_F(RestApiTest, CallsFilterByStateAndQueue) {
  json items = body(call("GET", "/api/v1/calls?state=queued"))["items"];
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["id"], "0300000000000006");
  EXPECT_EQ(body(call("GET", "/api/v1/calls?state=ringing"))["items"].size(), 0u);
  EXPECT_EQ(body(call("GET", "/api/v1/calls?queue=1"))["items"].size(), 2u);
  EXPECT_EQ(body(call("GET", "/api/v1/calls?queue=2"))["items"].size(), 0u);
  items = body(call("GET", "/api/v1/calls?queue=1&state=talking"))["items"];
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["state"], "talking");
}

TEST_F(RestApiTest, CallsRefusesBadFiltersOthersThanSupervisorsAndOtherMethods) {
  expect_bad(call("GET", "/api/v1/calls?state=TALKING"), "state");
  expect_bad(call("GET", "/api/v1/calls?state="), "state");
  expect_bad(call("GET", "/api/v1/calls?queue=one"), "queue");
  expect_bad(call("GET", "/api/v1/calls?queue=-1"), "queue");
  expect_bad(call("GET", "/api/v1/calls?queue=4294967296"), "queue");
  // A bad query is refused before the rights are looked at, as everywhere.
  expect_bad(call("GET", "/api/v1/calls?queue=x", kAlice), "queue");

  const Response forbidden = call("GET", "/api/v1/calls", kAlice);
  EXPECT_EQ(forbidden.status, 403u);
  EXPECT_EQ(body(forbidden)["error"], "FORBIDDEN");
  EXPECT_EQ(body(forbidden)["code"], 0);
  EXPECT_NE(body(forbidden)["message"].get<std::string>().find("supervisor"), std::string::npos);

  EXPECT_EQ(call("GET", "/api/v1/calls", "").status, 401u);
  EXPECT_EQ(call("GET", "/api/v1/calls", "Bearer wrong").status, 401u);
  const Response post = call("POST", "/api/v1/calls", kBoss, "{}");
  EXPECT_EQ(post.status, 405u);
  EXPECT_EQ(post.headers.at(0), (std::pair<std::string, std::string>{"Allow", "GET"}));
  EXPECT_EQ(call("GET", "/api/v1/calls/5").status, 404u);
  make(nullptr);
  EXPECT_EQ(call("GET", "/api/v1/calls").status, 503u);
}

TEST_F(RestApiTest, UnknownPathsAndMethods) {
  EXPECT_EQ(call("GET", "/api/v1/nothing").status, 404u);
  EXPECT_EQ(call("GET", "/api/v2/board").status, 404u);
  EXPECT_EQ(call("GET", "/api/v1/agents/").status, 404u);
  const Response put = call("PUT", "/api/v1/board");
  EXPECT_EQ(put.status, 405u);
  EXPECT_EQ(put.headers.at(0), (std::pair<std::string, std::string>{"Allow", "GET"}));
  EXPECT_EQ(call("GET", "/api/v1/sessions/7/state").status, 405u);
  EXPECT_EQ(call("POST", "/api/v1/sessions/7/state", kBoss, "{}").status, 405u);
}

TEST_F(RestApiTest, NoTokenOrAnUnknownOneIs401) {
  for (const char* auth : {"", "Bearer wrong", "Basic Ym9zcy10b2tlbg=="}) {
    const Response r = call("GET", "/api/v1/board", auth);
    ASSERT_EQ(r.status, 401u) << auth;
    EXPECT_EQ(body(r)["error"], "UNAUTHORIZED");
    EXPECT_EQ(r.headers.at(0).first, "WWW-Authenticate");
  }
  EXPECT_EQ(call("GET", "/api/v1/board?token=alice-token", "").status, 200u);
  EXPECT_EQ(call("GET", "/api/v1/board?token=nope", "").status, 401u);
  EXPECT_EQ(call("PUT", "/api/v1/sessions/7/state", "", R"({"state":"READY"})").status, 401u);
  EXPECT_TRUE(fake_.state_calls().empty());
}

TEST_F(RestApiTest, WithoutTheAcdEndpointsAnswer503ButMetricsAndHealthWork) {
  make(nullptr);
  const Response r = call("GET", "/api/v1/board");
  ASSERT_EQ(r.status, 503u);
  EXPECT_EQ(body(r)["error"], "SERVICE_UNAVAILABLE");
  EXPECT_EQ(call("GET", "/api/v1/board", "").status, 401u);
  EXPECT_EQ(call("GET", "/healthz", "").body, "ok\n");
  const Response metrics = call("GET", "/metrics", "");
  EXPECT_EQ(metrics.status, 200u);
  EXPECT_NE(metrics.body.find("opentapi_applications_connected 4"), std::string::npos);
  EXPECT_EQ(metrics.body.find("opentapi_state_changes_total"), std::string::npos);
}

TEST_F(RestApiTest, MetricsNeedNoTokenAndCombineEverySource) {
  counters_.responses_by_status[200] = 3;
  const Response r = call("GET", "/metrics", "");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(r.body.find("opentapi_applications_connected 4"), std::string::npos);
  EXPECT_NE(r.body.find("opentapi_state_changes_total 5"), std::string::npos);
  EXPECT_NE(r.body.find("opentapi_queue_waiting_calls{queue=\"1\",name=\"Sales\"} 2"), std::string::npos);
  EXPECT_NE(r.body.find("opentapi_http_requests_total{status=\"200\"} 3"), std::string::npos);
  EXPECT_EQ(call("POST", "/metrics", "").status, 405u);
}

TEST_F(RestApiTest, EventsWithoutUpgradeIs426) { EXPECT_EQ(call("GET", "/events?token=boss-token", "").status, 426u); }

TEST_F(RestApiTest, SessionStateChangeReachesTheAcdAsTheUser) {
  const Response r = call("PUT", "/api/v1/sessions/7/state", kAlice, R"({"state":"READY","next_state":"NOTREADY"})");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(
      body(r),
      (json{{"handle", 7}, {"state", "READY"}, {"state_code", 2}, {"next_state", "NOTREADY"}, {"next_state_code", 1}}));
  const auto calls = fake_.state_calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].user, "alice");
  EXPECT_TRUE(calls[0].session);
  EXPECT_EQ(calls[0].handle, 7u);
  EXPECT_EQ(calls[0].state, LINEAGENTSESSIONSTATE_READY);
  EXPECT_EQ(calls[0].next_state, LINEAGENTSESSIONSTATE_NOTREADY);
}

TEST_F(RestApiTest, NextStateAloneLeavesTheStateUnchanged) {
  EXPECT_EQ(call("PUT", "/api/v1/agents/4/state", kBoss, R"({"next_state":"NOTREADY"})").status, 200u);
  const auto calls = fake_.state_calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_FALSE(calls[0].session);
  EXPECT_EQ(calls[0].state, 0u);
  EXPECT_EQ(calls[0].next_state, LINEAGENTSTATEEX_NOTREADY);
}

TEST_F(RestApiTest, AnAgentUserChangingAForeignSessionIs403AndTheAcdIsNotAsked) {
  const Response r = call("PUT", "/api/v1/sessions/8/state", kAlice, R"({"state":"READY"})");
  ASSERT_EQ(r.status, 403u);
  EXPECT_EQ(body(r)["error"], "LINEERR_INVALPARAM");
  EXPECT_EQ(call("PUT", "/api/v1/agents/4/state", kAlice, R"({"state":"READY"})").status, 403u);
  EXPECT_TRUE(fake_.state_calls().empty());
  // A supervisor may.
  EXPECT_EQ(call("PUT", "/api/v1/sessions/8/state", kBoss, R"({"state":"READY"})").status, 200u);
}

TEST_F(RestApiTest, UnknownHandleIs404) {
  EXPECT_EQ(call("PUT", "/api/v1/sessions/99/state", kBoss, R"({"state":"READY"})").status, 404u);
  EXPECT_EQ(call("PUT", "/api/v1/agents/99/state", kBoss, R"({"state":"READY"})").status, 404u);
  EXPECT_TRUE(fake_.state_calls().empty());
}

TEST_F(RestApiTest, TheAcdsRefusalKeepsItsLineerr) {
  fake_.answer_with(core::Status::error(core::ErrorCode::kInvalAgentState, "BUSYONCALL cannot become READY"));
  const Response r = call("PUT", "/api/v1/sessions/7/state", kBoss, R"({"state":"READY"})");
  ASSERT_EQ(r.status, 409u);
  EXPECT_EQ(body(r), (json{{"error", "LINEERR_INVALAGENTSTATE"},
                           {"code", 2147483738u},
                           {"message", "BUSYONCALL cannot become READY"}}));
  fake_.answer_with(core::Status::error(core::ErrorCode::kOperationFailed, "disk full"));
  EXPECT_EQ(call("PUT", "/api/v1/sessions/7/state", kBoss, R"({"state":"READY"})").status, 500u);
  fake_.answer_with(core::Status::error(core::ErrorCode::kResourceUnavail, "busy"));
  EXPECT_EQ(call("PUT", "/api/v1/sessions/7/state", kBoss, R"({"state":"READY"})").status, 503u);
}

TEST_F(RestApiTest, TheAnswerMayComeFromAnotherThread) {
  fake_.answer_from_thread(true);
  EXPECT_EQ(call("PUT", "/api/v1/sessions/7/state", kBoss, R"({"state":"NOTREADY"})").status, 200u);
}

TEST_F(RestApiTest, BodyValidationNamesTheField) {
  const std::string put = "/api/v1/sessions/7/state";
  expect_bad(call("PUT", put, kBoss, R"({"state":"READY")"), "body");
  expect_bad(call("PUT", put, kBoss, ""), "body");
  expect_bad(call("PUT", put, kBoss, R"(["READY"])"), "body");
  expect_bad(call("PUT", put, kBoss, R"({"state":"READY","colour":"red"})"), "colour");
  expect_bad(call("PUT", put, kBoss, R"({"state":2})"), "state");
  expect_bad(call("PUT", put, kBoss, R"({"state":"READY","next_state":null})"), "next_state");
  expect_bad(call("PUT", put, kBoss, R"({"state":"ready"})"), "state");
  expect_bad(call("PUT", put, kBoss, R"({"state":"BUSYACD"})"), "state");  // an agent state, not a session state
  expect_bad(call("PUT", "/api/v1/agents/3/state", kBoss, R"({"state":"BUSYWRAPUP"})"), "state");
  expect_bad(call("PUT", put, kBoss, R"({})"), "state");
  expect_bad(call("PUT", put, kBoss, R"({"state":"","next_state":""})"), "state");
  expect_bad(call("PUT", put, kBoss, "{\"state\":\"READY\"," + std::string(kMaxBodyBytes, ' ') + "}"), "body");
  expect_bad(call("PUT", put, kBoss, "{\"state\":\"\xff\"}"), "body");
  EXPECT_TRUE(fake_.state_calls().empty());
}

TEST(ParseStateChange, AcceptsEveryStateNameOfItsKind) {
  for (const char* name : {"NOTREADY", "READY", "BUSYONCALL", "BUSYWRAPUP", "ENDED"}) {
    EXPECT_TRUE(std::holds_alternative<StateChange>(
        parse_state_change(std::string("{\"state\":\"") + name + "\"}", StateKind::kSession)))
        << name;
  }
  for (const char* name : {"NOTREADY", "READY", "BUSYACD", "BUSYINCOMING", "BUSYOUTGOING", "UNKNOWN", "RELEASED"}) {
    EXPECT_TRUE(std::holds_alternative<StateChange>(
        parse_state_change(std::string("{\"state\":\"") + name + "\"}", StateKind::kAgent)))
        << name;
  }
}

TEST_F(RestApiTest, HistoryPagesThroughTheAudit) {
  for (std::uint64_t seq = 1; seq <= 5; ++seq) {
    store::AuditEntry e;
    e.seq = seq * 10;
    e.object_kind = "session";
    e.object_key = "00000007";
    e.what = "SetAgentSessionState";
    fake_.add_audit(e);
  }
  const json first = body(call("GET", "/api/v1/sessions/7/history?limit=2"));
  ASSERT_EQ(first["items"].size(), 2u);
  EXPECT_EQ(first["items"][0]["seq"], 10);
  EXPECT_EQ(first["next_after"], 20);
  const json rest = body(call("GET", "/api/v1/sessions/7/history?after=20"));
  EXPECT_EQ(rest["items"].size(), 3u);
  EXPECT_EQ(rest["next_after"], 50);
  const json none = body(call("GET", "/api/v1/sessions/7/history?after=50"));
  EXPECT_TRUE(none["items"].empty());
  EXPECT_EQ(none["next_after"], 50);

  const auto calls = fake_.audit_calls();
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[1].kind, "session");
  EXPECT_EQ(calls[1].key, "00000007");
  EXPECT_EQ(calls[1].limit, 100u);
  call("GET", "/api/v1/agents/3/history");
  EXPECT_EQ(fake_.audit_calls().back().kind, "agent");
  EXPECT_EQ(fake_.audit_calls().back().key, "00000003");
}

TEST_F(RestApiTest, HistoryChecksItsQuery) {
  expect_bad(call("GET", "/api/v1/agents/3/history?limit=0"), "limit");
  expect_bad(call("GET", "/api/v1/agents/3/history?limit=1001"), "limit");
  expect_bad(call("GET", "/api/v1/agents/3/history?limit=x"), "limit");
  expect_bad(call("GET", "/api/v1/agents/3/history?after=-1"), "after");
  EXPECT_EQ(call("GET", "/api/v1/agents/3/history?limit=1000").status, 200u);
  fake_.fail_audit(core::Status::error(core::ErrorCode::kOperationFailed, "database is corrupt"));
  const Response r = call("GET", "/api/v1/agents/3/history");
  ASSERT_EQ(r.status, 500u);
  EXPECT_EQ(body(r)["error"], "LINEERR_OPERATIONFAILED");
}

TEST_F(RestApiTest, AcceptsEventsOnlyWithAToken) {
  const auto accepted = handler_->accept_events({"GET", "/events?token=alice-token&after=12&stream=ab", "", ""});
  ASSERT_TRUE(std::holds_alternative<EventsRequest>(accepted));
  const auto& e = std::get<EventsRequest>(accepted);
  EXPECT_EQ(e.user, "alice");
  EXPECT_EQ(e.after, 12u);
  EXPECT_EQ(e.stream, "ab");
  EXPECT_EQ(std::get<Response>(handler_->accept_events({"GET", "/events", "", ""})).status, 401u);
  EXPECT_EQ(std::get<Response>(handler_->accept_events({"GET", "/events?token=x", "", ""})).status, 401u);
  EXPECT_EQ(std::get<Response>(handler_->accept_events({"GET", "/other?token=alice-token", "", ""})).status, 404u);
  EXPECT_EQ(std::get<Response>(handler_->accept_events({"GET", "/events?after=x", kAlice, ""})).status, 400u);
  make(nullptr);
  EXPECT_EQ(std::get<Response>(handler_->accept_events({"GET", "/events", kAlice, ""})).status, 503u);
}

TEST_F(RestApiTest, WrongTokensAreAuditedWithTheAddressAndThenAnswered429) {
  const auto from = [](const char* authorization, const char* peer) {
    return Request{"GET", "/api/v1/board", authorization, "", peer};
  };
  const auto answer = [this](const Request& r) {
    std::promise<Response> p;
    handler_->handle(r, [&](Response response) { p.set_value(std::move(response)); });
    return p.get_future().get();
  };
  for (int i = 0; i < 5; ++i) EXPECT_EQ(answer(from("Bearer wrong-token", "192.0.2.7")).status, 401u) << i;
  const Response locked = answer(from(kBoss, "192.0.2.7"));
  EXPECT_EQ(locked.status, 429u);
  EXPECT_EQ(body(locked)["error"], "TOO_MANY_REQUESTS");
  EXPECT_EQ(answer(from(kBoss, "192.0.2.8")).status, 200u);  // another address
  EXPECT_EQ(answer(from("", "192.0.2.9")).status, 401u);     // no token: not a guess, not audited
  const auto audited = fake_.failed_logins();
  ASSERT_EQ(audited.size(), 5u);
  EXPECT_EQ(audited[0], std::make_pair(std::string("http:192.0.2.7"), std::string("HTTP: wrong token peer=192.0.2.7")));
  EXPECT_EQ(audited[4].second, "HTTP: wrong token peer=192.0.2.7 lockout_ms=1000");
  const Response metrics = call("GET", "/metrics", "");
  EXPECT_NE(metrics.body.find("opentapi_auth_failures_total{secret=\"token\"} 5"), std::string::npos) << metrics.body;
  EXPECT_NE(metrics.body.find("opentapi_auth_locked_out_total{secret=\"token\"} 1"), std::string::npos);
  EXPECT_NE(metrics.body.find("opentapi_auth_lockouts_total{secret=\"token\"} 1"), std::string::npos);
  EXPECT_NE(metrics.body.find("opentapi_auth_failures_total{secret=\"pin\"} 0"), std::string::npos);
}

}  // namespace
}  // namespace opentapi::http
