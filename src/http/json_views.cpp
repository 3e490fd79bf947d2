#include "http/json_views.h"

#include <type_traits>
#include <variant>

#include "acd/records.h"

namespace opentapi::http {

using nlohmann::json;

json group_json(const acd::GroupView& group) {
  return json{{"guid", group.guid}, {"name", group.name}, {"queues", group.queues}};
}

json queue_json(const acd::QueueView& q) {
  json out{{"id", q.id},
           {"name", q.name},
           {"group", q.group_guid},
           {"group_name", q.group_name},
           {"waiting", q.waiting},
           {"longest_wait_s", q.longest_wait_seconds},
           {"offered", q.offered},
           {"answered", q.answered},
           {"abandoned", q.abandoned},
           {"answered_within_target", q.answered_within_target},
           {"service_level_s", q.service_level_seconds},
           {"service_level", nullptr},
           {"average_wait_s", q.average_wait_seconds},
           {"asa_s", q.average_speed_of_answer_seconds},
           {"measurement_period_s", q.measurement_period}};
  if (q.service_level) out["service_level"] = *q.service_level;
  return out;
}

json agent_json(const acd::AgentView& a) {
  return json{{"handle", a.handle},
              {"id", a.id},
              {"name", a.name},
              {"owner", a.owner},
              {"state", acd::agent_state_name(a.state)},
              {"state_code", a.state},
              {"next_state", acd::agent_state_name(a.next_state)},
              {"next_state_code", a.next_state},
              {"state_since_ms", a.state_since_ms},
              {"stats",
               {{"acd_calls", a.stats.acd_calls},
                {"incoming_calls", a.stats.incoming_calls},
                {"outgoing_calls", a.stats.outgoing_calls},
                {"talk_s", a.stats.talk_seconds},
                {"wrap_up_s", a.stats.wrap_up_seconds},
                {"measurement_period_s", a.stats.measurement_period}}}};
}

namespace {

// 0 means "not yet" or "unknown" in the views; JSON says null.
json ms_or_null(std::int64_t ms) { return ms == 0 ? json(nullptr) : json(ms); }
json handle_or_null(std::uint32_t handle) { return handle == 0 ? json(nullptr) : json(handle); }

}  // namespace

std::string call_id_text(std::uint64_t id) { return acd::hex_key64(id); }

json session_call_json(const acd::SessionCallView& c) {
  return json{{"id", call_id_text(c.id)},
              {"caller_number", c.caller_number},
              {"caller_name", c.caller_name},
              {"queue", c.queue},
              {"queue_name", c.queue_name},
              {"offered_ms", ms_or_null(c.offered_ms)},
              {"answered_ms", ms_or_null(c.answered_ms)}};
}

json call_json(const acd::CallInProgressView& c) {
  const bool at_station = c.session != 0;
  return json{{"id", call_id_text(c.id)},
              {"state", acd::call_state_name(c.phase)},
              {"state_code", static_cast<std::uint32_t>(c.phase)},
              {"queue", c.queue},
              {"queue_name", c.queue_name},
              {"caller_number", c.caller_number},
              {"caller_name", c.caller_name},
              {"session", handle_or_null(c.session)},
              {"agent", handle_or_null(c.agent)},
              {"agent_id", c.agent_id},
              {"agent_name", c.agent_name},
              {"device", at_station ? json(c.device) : json(nullptr)},
              {"address", at_station ? json(c.address) : json(nullptr)},
              {"address_number", c.address_number},
              {"queued_ms", ms_or_null(c.queued_ms)},
              {"offered_ms", ms_or_null(c.offered_ms)},
              {"answered_ms", ms_or_null(c.answered_ms)},
              {"wait_s", c.wait_seconds},
              {"talk_s", c.talk_seconds}};
}

json call_list_json(const acd::CallList& list) {
  json items = json::array();
  for (const auto& c : list.calls) items.push_back(call_json(c));
  return json{{"now_ms", list.now_ms}, {"items", std::move(items)}};
}

json session_json(const acd::SessionView& s) {
  return json{{"handle", s.handle},
              {"agent", s.agent},
              {"agent_id", s.agent_id},
              {"group", s.group_guid},
              {"group_name", s.group_name},
              {"device", s.device},
              {"address", s.address},
              {"state", acd::session_state_name(s.state)},
              {"state_code", s.state},
              {"next_state", acd::session_state_name(s.next_state)},
              {"next_state_code", s.next_state},
              {"state_since_ms", s.state_since_ms},
              {"started_ms", s.started_ms},
              {"stats",
               {{"calls", s.stats.calls},
                {"talk_s", s.stats.talk_seconds},
                {"call_s", s.stats.call_seconds},
                {"wrap_up_s", s.stats.wrap_up_seconds},
                {"duration_s", s.stats.duration_seconds},
                {"asa_s", s.stats.average_time_to_answer},
                {"longest_time_to_answer_s", s.stats.longest_time_to_answer}}},
              {"call", s.call ? session_call_json(*s.call) : json(nullptr)}};
}

json board_json(const acd::Board& board) {
  json groups = json::array();
  for (const auto& g : board.groups) groups.push_back(group_json(g));
  json queues = json::array();
  for (const auto& q : board.queues) queues.push_back(queue_json(q));
  json agents = json::array();
  for (const auto& a : board.agents) agents.push_back(agent_json(a));
  json sessions = json::array();
  for (const auto& s : board.sessions) sessions.push_back(session_json(s));
  return json{{"seq", board.seq},
              {"now_ms", board.now_ms},
              {"groups", std::move(groups)},
              {"queues", std::move(queues)},
              {"agents", std::move(agents)},
              {"sessions", std::move(sessions)}};
}

std::string_view change_kind(const acd::BoardChange& change) {
  switch (change.object.index()) {
    case 0:
      return "agent";
    case 1:
      return "session";
    default:
      return "queue";
  }
}

json change_json(const acd::BoardChange& change) {
  json object = std::visit(
      [](const auto& view) -> json {
        using View = std::decay_t<decltype(view)>;
        if constexpr (std::is_same_v<View, acd::AgentView>) {
          return agent_json(view);
        } else if constexpr (std::is_same_v<View, acd::SessionView>) {
          return session_json(view);
        } else {
          return queue_json(view);
        }
      },
      change.object);
  return json{{"type", "change"},
              {"seq", change.seq},
              {"now_ms", change.now_ms},
              {"kind", change_kind(change)},
              {"object", std::move(object)}};
}

json audit_json(const store::AuditEntry& e) {
  return json{{"seq", e.seq},
              {"time_ms", e.time_ms},
              {"actor", e.actor},
              {"object_kind", e.object_kind},
              {"object_key", e.object_key},
              {"from", e.from},
              {"to", e.to},
              {"what", e.what},
              {"request_id", e.request_id}};
}

}  // namespace opentapi::http
