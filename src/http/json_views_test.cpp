#include "http/json_views.h"

#include <gtest/gtest.h>

#include "http/testing/fake_supervision.h"

namespace opentapi::http {
namespace {

using nlohmann::json;
using testing::FakeSupervision;

// Exactly the members docs/http.md lists for each shape.
void expect_members(const json& j, std::vector<std::string> names) {
  std::vector<std::string> got;
  for (const auto& [key, value] : j.items()) got.push_back(key);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(got, names);
}

TEST(JsonViews, AgentHasTheDocumentedShape) {
  const json a = agent_json(FakeSupervision::agent(3, "1001", "Ada", "alice"));
  expect_members(a, {"handle", "id", "name", "owner", "state", "state_code", "next_state", "next_state_code",
                     "state_since_ms", "stats"});
  expect_members(a["stats"],
                 {"acd_calls", "incoming_calls", "outgoing_calls", "talk_s", "wrap_up_s", "measurement_period_s"});
  EXPECT_EQ(a["state"], "READY");
  EXPECT_EQ(a["state_code"], 2);
  EXPECT_EQ(a["next_state"], "");
  EXPECT_EQ(a["next_state_code"], 0);
  EXPECT_EQ(a["stats"]["talk_s"], 240);
}

TEST(JsonViews, SessionHasTheDocumentedShape) {
  const json s = session_json(FakeSupervision::session(7, 3, "1001"));
  expect_members(s, {"handle", "agent", "agent_id", "group", "group_name", "device", "address", "state", "state_code",
                     "next_state", "next_state_code", "state_since_ms", "started_ms", "stats", "call"});
  EXPECT_TRUE(s["call"].is_null());  // no call delivered to it
  expect_members(s["stats"],
                 {"calls", "talk_s", "call_s", "wrap_up_s", "duration_s", "asa_s", "longest_time_to_answer_s"});
  EXPECT_EQ(s["state"], "BUSYONCALL");
  EXPECT_EQ(s["state_code"], 4);
  EXPECT_EQ(s["group"], "{A1C44A13-0635-4B3C-BAA0-E1E4694E033A}");
}

TEST(JsonViews, SessionOnACallCarriesTheCallerAndWhenItWasAnswered) {
  acd::SessionView view = FakeSupervision::session(7, 3, "1001");
  view.call = FakeSupervision::session_call();
  json c = session_json(view)["call"];
  expect_members(c, {"id", "caller_number", "caller_name", "queue", "queue_name", "offered_ms", "answered_ms"});
  EXPECT_EQ(c["id"], "0300000000000005");  // a string: JSON numbers keep only 53 bits
  EXPECT_EQ(c["caller_number"], "+4930123456");
  EXPECT_EQ(c["caller_name"], "Clara Caller");
  EXPECT_EQ(c["queue"], 1);
  EXPECT_EQ(c["queue_name"], "Sales");
  EXPECT_EQ(c["offered_ms"], 1'763'999'995'000);
  EXPECT_EQ(c["answered_ms"], 1'763'999'997'000);
  view.call->answered_ms = 0;  // still ringing
  c = session_json(view)["call"];
  EXPECT_TRUE(c["answered_ms"].is_null());
}

TEST(JsonViews, CallInProgressHasTheDocumentedShape) {
  const json c = call_json(FakeSupervision::talking_call());
  expect_members(c, {"id", "state", "state_code", "queue", "queue_name", "caller_number", "caller_name", "session",
                     "agent", "agent_id", "agent_name", "device", "address", "address_number", "queued_ms",
                     "offered_ms", "answered_ms", "wait_s", "talk_s"});
  EXPECT_EQ(c["id"], "0300000000000005");
  EXPECT_EQ(c["state"], "talking");
  EXPECT_EQ(c["state_code"], 3);
  EXPECT_EQ(c["session"], 7);
  EXPECT_EQ(c["agent"], 3);
  EXPECT_EQ(c["agent_name"], "Ada");
  EXPECT_EQ(c["device"], 0);
  EXPECT_EQ(c["address"], 1);
  EXPECT_EQ(c["address_number"], "2002");
  EXPECT_EQ(c["wait_s"], 7);
  EXPECT_EQ(c["talk_s"], 3);

  // A queued call is at no station yet: null handles, places and times.
  const json q = call_json(FakeSupervision::queued_call());
  EXPECT_EQ(q["state"], "queued");
  EXPECT_EQ(q["state_code"], 1);
  for (const char* member : {"session", "agent", "device", "address", "offered_ms", "answered_ms"}) {
    EXPECT_TRUE(q[member].is_null()) << member;
  }
  EXPECT_EQ(q["caller_number"], "");
  EXPECT_EQ(q["queued_ms"], 1'763'999'996'000);
  EXPECT_EQ(q["wait_s"], 4);
  EXPECT_EQ(q["talk_s"], 0);

  FakeSupervision fake;
  const json list = call_list_json(fake.calls());
  expect_members(list, {"now_ms", "items"});
  EXPECT_EQ(list["items"].size(), 2u);
}

TEST(JsonViews, QueueHasTheDocumentedShapeAndNullServiceLevelBeforeTheFirstCall) {
  FakeSupervision fake;
  const auto board = fake.board();
  const json q1 = queue_json(board.queues[0]);
  expect_members(q1, {"id", "name", "group", "group_name", "waiting", "longest_wait_s", "offered", "answered",
                      "abandoned", "answered_within_target", "service_level_s", "service_level", "average_wait_s",
                      "asa_s", "measurement_period_s"});
  EXPECT_NEAR(q1["service_level"].get<double>(), 30.0 / 38.0, 1e-9);
  EXPECT_TRUE(queue_json(board.queues[1])["service_level"].is_null());
}

TEST(JsonViews, BoardAndChangeCarryTheirSeqAndClock) {
  FakeSupervision fake;
  const json b = board_json(fake.board());
  expect_members(b, {"seq", "now_ms", "groups", "queues", "agents", "sessions"});
  EXPECT_EQ(b["seq"], 10);
  EXPECT_EQ(b["groups"][0],
            (json{{"guid", "{A1C44A13-0635-4B3C-BAA0-E1E4694E033A}"}, {"name", "Sales"}, {"queues", {1}}}));
  EXPECT_EQ(b["sessions"].size(), 2u);

  acd::BoardChange change;
  change.seq = 11;
  change.now_ms = 99;
  change.object = FakeSupervision::session(7, 3, "1001");
  const json c = change_json(change);
  expect_members(c, {"type", "seq", "now_ms", "kind", "object"});
  EXPECT_EQ(c["type"], "change");
  EXPECT_EQ(c["kind"], "session");
  EXPECT_EQ(c["object"]["handle"], 7);
  change.object = acd::QueueView{};
  EXPECT_EQ(change_json(change)["kind"], "queue");
  change.object = acd::AgentView{};
  EXPECT_EQ(change_json(change)["kind"], "agent");
}

TEST(JsonViews, AuditEntryKeepsEveryField) {
  store::AuditEntry e;
  e.seq = 5;
  e.time_ms = 1000;
  e.actor = "alice";
  e.object_kind = "session";
  e.object_key = "00000007";
  e.from = 2;
  e.to = 1;
  e.what = "SetAgentSessionState";
  e.request_id = 44;
  const json j = audit_json(e);
  expect_members(j, {"seq", "time_ms", "actor", "object_kind", "object_key", "from", "to", "what", "request_id"});
  EXPECT_EQ(j["what"], "SetAgentSessionState");
}

}  // namespace
}  // namespace opentapi::http
