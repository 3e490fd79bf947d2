#include "http/rest_api.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "acd/records.h"
#include "http/json_views.h"

namespace opentapi::http {
namespace {

using nlohmann::json;

constexpr std::string_view kPrefix = "/api/v1/";

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    const std::size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
    // A trailing slash leaves an empty last segment: "/agents/" is not "/agents".
    if (path.empty()) out.emplace_back();
  }
  return out;
}

// Plain decimal, no sign, no leading zeros beyond "0", fits the type.
template <typename T>
std::optional<T> parse_decimal(std::string_view text) {
  if (text.empty() || text.size() > 20 || (text.size() > 1 && text.front() == '0')) return std::nullopt;
  T value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

Response method_not_allowed(std::string_view method, std::string_view allow) {
  Response r = error_response(405, "METHOD_NOT_ALLOWED",
                              std::string(method) + " is not allowed here; use " + std::string(allow));
  r.headers.emplace_back("Allow", std::string(allow));
  return r;
}

Response unknown_object(std::string_view what, std::uint32_t id) {
  // The C API answers an unknown handle with INVALPARAM; the status says which case it is.
  return lineerr_response(404, core::ErrorCode::kInvalParam, "no " + std::string(what) + " " + std::to_string(id));
}

std::string_view state_name(StateKind kind, std::uint32_t code) {
  return kind == StateKind::kSession ? acd::session_state_name(code) : acd::agent_state_name(code);
}

std::optional<std::uint32_t> state_code(StateKind kind, std::string_view name) {
  return kind == StateKind::kSession ? acd::session_state_from_name(name) : acd::agent_state_from_name(name);
}

std::string known_states(StateKind kind) {
  return kind == StateKind::kSession ? "NOTREADY, READY, BUSYONCALL, BUSYWRAPUP, ENDED"
                                     : "NOTREADY, READY, BUSYACD, BUSYINCOMING, BUSYOUTGOING, UNKNOWN, RELEASED";
}

std::string_view json_type_name(const json& v) {
  switch (v.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "an array";
    case json::value_t::string:
      return "a string";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::binary:
      return "binary";
    case json::value_t::discarded:
      return "nothing";
    default:
      return "a number";
  }
}

}  // namespace

std::variant<StateChange, Response> parse_state_change(std::string_view body, StateKind kind) {
  if (body.size() > kMaxBodyBytes) {
    return error_response(400, "BAD_REQUEST", "body: larger than " + std::to_string(kMaxBodyBytes) + " bytes", "body");
  }
  json doc;
  try {
    doc = json::parse(body);
  } catch (const json::exception& e) {
    return error_response(400, "BAD_REQUEST", std::string("body: not valid JSON: ") + e.what(), "body");
  }
  if (!doc.is_object()) {
    return error_response(400, "BAD_REQUEST", "body: expected a JSON object, got " + std::string(json_type_name(doc)),
                          "body");
  }
  StateChange change;
  bool named = false;
  for (const auto& [key, value] : doc.items()) {
    std::uint32_t* target = nullptr;
    if (key == "state") {
      target = &change.state;
    } else if (key == "next_state") {
      target = &change.next_state;
    } else {
      return error_response(400, "BAD_REQUEST", "unknown field \"" + key + "\" (allowed: state, next_state)", key);
    }
    if (!value.is_string()) {
      return error_response(400, "BAD_REQUEST", key + ": must be a string, got " + std::string(json_type_name(value)),
                            key);
    }
    const std::string& name = value.get_ref<const std::string&>();
    if (name.empty()) continue;
    const auto code = state_code(kind, name);
    if (!code) {
      return error_response(400, "BAD_REQUEST",
                            key + ": unknown state \"" + name + "\" (one of " + known_states(kind) + ")", key);
    }
    *target = *code;
    named = true;
  }
  if (!named) return error_response(400, "BAD_REQUEST", "state: state or next_state is required", "state");
  return change;
}

void RestApi::handle(const Request& request, const Target& target, const Reply& reply) {
  const std::string_view path = target.path;
  if (!path.starts_with(kPrefix)) {
    return reply(error_response(404, "NOT_FOUND", "no API endpoint " + target.path + " (the API is under /api/v1/)"));
  }
  const std::vector<std::string_view> seg = split_path(path.substr(kPrefix.size()));
  const std::string_view method = request.method;

  // The route first: an unknown path is 404 and a wrong method 405 whoever asks.
  enum class Route { kBoard, kList, kOne, kHistory, kState, kCalls } route = Route::kBoard;
  if (std::any_of(seg.begin(), seg.end(), [](std::string_view s) { return s.empty(); })) {
    return reply(error_response(404, "NOT_FOUND", "no API endpoint " + target.path));
  }
  if (seg.size() == 1 && seg[0] == "board") {
    route = Route::kBoard;
  } else if (seg.size() == 1 && seg[0] == "calls") {
    route = Route::kCalls;
  } else if (seg.size() == 1 &&
             (seg[0] == "agents" || seg[0] == "sessions" || seg[0] == "groups" || seg[0] == "queues")) {
    route = Route::kList;
  } else if (seg.size() == 2 && (seg[0] == "agents" || seg[0] == "sessions" || seg[0] == "queues")) {
    route = Route::kOne;
  } else if (seg.size() == 3 && (seg[0] == "agents" || seg[0] == "sessions") && seg[2] == "history") {
    route = Route::kHistory;
  } else if (seg.size() == 3 && (seg[0] == "agents" || seg[0] == "sessions") && seg[2] == "state") {
    route = Route::kState;
  } else {
    return reply(error_response(404, "NOT_FOUND", "no API endpoint " + target.path));
  }
  if (route == Route::kState) {
    if (method != "PUT") return reply(method_not_allowed(method, "PUT"));
  } else if (method != "GET") {
    return reply(method_not_allowed(method, "GET"));
  }

  const auto token = target.query.find("token");
  auto auth = authenticate_request(
      tokens_, request, token == target.query.end() ? std::nullopt : std::optional<std::string_view>(token->second),
      "no token: send Authorization: Bearer <token>", supervision_);
  if (auto* refused = std::get_if<Response>(&auth)) return reply(std::move(*refused));
  const std::optional<std::string> user = std::get<std::string>(std::move(auth));
  if (supervision_ == nullptr) {
    return reply(error_response(503, "SERVICE_UNAVAILABLE", "the ACD is not running in this opentapid (--no-acd)"));
  }

  std::uint32_t id = 0;
  if (route == Route::kOne || route == Route::kHistory || route == Route::kState) {
    const auto parsed = parse_decimal<std::uint32_t>(seg[1]);
    const bool is_queue = seg[0] == "queues";
    if (!parsed) {
      return reply(error_response(400, "BAD_REQUEST",
                                  std::string(is_queue ? "id" : "handle") + ": \"" + std::string(seg[1]) +
                                      "\" is not a decimal number from 0 to 4294967295",
                                  is_queue ? "id" : "handle"));
    }
    id = *parsed;
  }
  const StateKind kind = seg[0] == "sessions" ? StateKind::kSession : StateKind::kAgent;
  switch (route) {
    case Route::kBoard:
      return reply(json_response(200, board_json(supervision_->board())));
    case Route::kList:
      return get_list(seg[0], reply);
    case Route::kOne:
      return get_one(seg[0], id, reply);
    case Route::kHistory:
      return get_history(kind, id, target, reply);
    case Route::kState:
      return put_state(kind, id, *user, request.body, reply);
    case Route::kCalls:
      return get_calls(*user, target, reply);
  }
}

void RestApi::get_calls(const std::string& user, const Target& target, const Reply& reply) {
  std::optional<acd::CallPhase> state;
  std::optional<std::uint32_t> queue;
  for (const auto& [name, value] : target.query) {
    if (name == "state") {
      for (const acd::CallPhase p :
           {acd::CallPhase::kQueued, acd::CallPhase::kOffered, acd::CallPhase::kTalking, acd::CallPhase::kDetached}) {
        if (acd::call_state_name(p) == value) state = p;
      }
      if (!state) {
        return reply(error_response(
            400, "BAD_REQUEST",
            "state: unknown call state \"" + value + "\" (one of queued, ringing, talking, detached)", "state"));
      }
    } else if (name == "queue") {
      queue = parse_decimal<std::uint32_t>(value);
      if (!queue) {
        return reply(error_response(400, "BAD_REQUEST",
                                    "queue: \"" + value + "\" is not a decimal number from 0 to 4294967295", "queue"));
      }
    }
  }
  // docs/http.md "Calls in progress": callers' numbers are for supervisors.
  if (supervision_->role_of(user) != acd::Role::kSupervisor) {
    return reply(error_response(403, "FORBIDDEN", user + " may not list the calls: only a supervisor may"));
  }
  acd::CallList list = supervision_->calls();
  std::erase_if(list.calls, [&](const acd::CallInProgressView& c) {
    return (state && c.phase != *state) || (queue && c.queue != *queue);
  });
  reply(json_response(200, call_list_json(list)));
}

void RestApi::get_list(std::string_view what, const Reply& reply) {
  const acd::Board board = supervision_->board();
  json items = json::array();
  if (what == "agents") {
    for (const auto& a : board.agents) items.push_back(agent_json(a));
  } else if (what == "sessions") {
    for (const auto& s : board.sessions) items.push_back(session_json(s));
  } else if (what == "groups") {
    for (const auto& g : board.groups) items.push_back(group_json(g));
  } else {
    for (const auto& q : board.queues) items.push_back(queue_json(q));
  }
  reply(json_response(200, json{{"seq", board.seq}, {"now_ms", board.now_ms}, {"items", std::move(items)}}));
}

void RestApi::get_one(std::string_view what, std::uint32_t id, const Reply& reply) {
  const acd::Board board = supervision_->board();
  if (what == "agents") {
    for (const auto& a : board.agents) {
      if (a.handle == id) return reply(json_response(200, agent_json(a)));
    }
    return reply(unknown_object("agent", id));
  }
  if (what == "sessions") {
    for (const auto& s : board.sessions) {
      if (s.handle == id) return reply(json_response(200, session_json(s)));
    }
    return reply(unknown_object("session", id));
  }
  for (const auto& q : board.queues) {
    if (q.id == id) return reply(json_response(200, queue_json(q)));
  }
  reply(unknown_object("queue", id));
}

void RestApi::get_history(StateKind kind, std::uint32_t handle, const Target& target, const Reply& reply) {
  std::uint64_t after = 0;
  std::uint32_t limit = kDefaultHistoryLimit;
  if (const auto it = target.query.find("after"); it != target.query.end()) {
    const auto parsed = parse_decimal<std::uint64_t>(it->second);
    if (!parsed) {
      return reply(
          error_response(400, "BAD_REQUEST", "after: \"" + it->second + "\" is not a sequence number", "after"));
    }
    after = *parsed;
  }
  if (const auto it = target.query.find("limit"); it != target.query.end()) {
    const auto parsed = parse_decimal<std::uint32_t>(it->second);
    if (!parsed || *parsed < 1 || *parsed > kMaxHistoryLimit) {
      return reply(error_response(
          400, "BAD_REQUEST",
          "limit: \"" + it->second + "\" is not a number from 1 to " + std::to_string(kMaxHistoryLimit), "limit"));
    }
    limit = *parsed;
  }
  // The history outlives the object: an ended session's is still there, so
  // an unknown handle is an empty page, not 404.
  auto entries =
      supervision_->audit(kind == StateKind::kSession ? "session" : "agent", acd::hex_key(handle), after, limit);
  if (!entries.ok()) return reply(lineerr_response(entries.status()));
  json items = json::array();
  std::uint64_t next_after = after;
  for (const auto& e : *entries) {
    items.push_back(audit_json(e));
    next_after = std::max(next_after, e.seq);
  }
  reply(json_response(200, json{{"items", std::move(items)}, {"next_after", next_after}}));
}

void RestApi::put_state(StateKind kind, std::uint32_t handle, const std::string& user, std::string_view body,
                        const Reply& reply) {
  auto parsed = parse_state_change(body, kind);
  if (auto* refusal = std::get_if<Response>(&parsed)) return reply(std::move(*refusal));
  const StateChange change = std::get<StateChange>(parsed);

  // The TAPI path answers an unknown and a foreign handle alike
  // (INVALPARAM); REST tells them apart (404, 403) before asking the ACD,
  // which then applies its own rules again.
  const acd::Board board = supervision_->board();
  std::uint32_t agent_handle = handle;
  if (kind == StateKind::kSession) {
    const auto s = std::find_if(board.sessions.begin(), board.sessions.end(),
                                [&](const acd::SessionView& v) { return v.handle == handle; });
    if (s == board.sessions.end()) return reply(unknown_object("session", handle));
    agent_handle = s->agent;
  }
  const auto a = std::find_if(board.agents.begin(), board.agents.end(),
                              [&](const acd::AgentView& v) { return v.handle == agent_handle; });
  if (kind == StateKind::kAgent && a == board.agents.end()) return reply(unknown_object("agent", handle));
  const std::string what = std::string(kind == StateKind::kSession ? "session " : "agent ") + std::to_string(handle);
  if (supervision_->role_of(user) != acd::Role::kSupervisor && (a == board.agents.end() || a->owner != user)) {
    return reply(lineerr_response(403, core::ErrorCode::kInvalParam,
                                  user + " may not change " + what + ": only its agent's owner" +
                                      (a == board.agents.end() ? std::string() : " (" + a->owner + ")") +
                                      " or a supervisor may"));
  }

  const acd::Actor actor{user, 0, false};
  auto done = [reply, kind, handle, change, what](core::Status status) {
    if (!status.ok()) {
      std::string message = status.message().empty() ? "the ACD refused the change of " + what : status.message();
      return reply(lineerr_response(http_status_of(status.code()), status.code(), std::move(message)));
    }
    reply(json_response(200, json{{"handle", handle},
                                  {"state", state_name(kind, change.state)},
                                  {"state_code", change.state},
                                  {"next_state", state_name(kind, change.next_state)},
                                  {"next_state_code", change.next_state}}));
  };
  if (kind == StateKind::kSession) {
    supervision_->set_session_state(actor, handle, change.state, change.next_state, std::move(done));
  } else {
    supervision_->set_agent_state(actor, handle, change.state, change.next_state, std::move(done));
  }
}

}  // namespace opentapi::http
