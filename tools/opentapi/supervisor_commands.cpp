#include "supervisor_commands.h"

#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "cli_failure.h"
#include "http_client.h"
#include "text.h"

namespace opentapi::cli {
namespace {

// ordered: --json prints the API's document with its members in the order sent.
using json = nlohmann::ordered_json;

std::string hint_start() {
  return "start opentapid (it serves HTTP on 127.0.0.1:8080 by default), or point --http / OPENTAPI_HTTP at it";
}

// The message of an error document ({"error":…,"message":…}), if it is one.
std::string error_detail(const std::string& body) {
  const json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return {};
  std::string s;
  if (auto e = j.find("error"); e != j.end() && e->is_string()) s = e->get<std::string>();
  if (auto m = j.find("message"); m != j.end() && m->is_string()) s += (s.empty() ? "" : ": ") + m->get<std::string>();
  return s;
}

json fetch(const HttpOptions& o, const std::string& target) {
  const auto endpoint = parse_http_endpoint(o.address);
  if (!endpoint) throw Failure(kExitUsage, 0, "--http: not HOST:PORT: \"" + o.address + "\"");
  const auto timeout = std::chrono::milliseconds(static_cast<long long>(o.timeout_s * 1000.0));
  const HttpResult r = http_get(*endpoint, target, o.token, timeout);
  const std::string where = endpoint->text();
  if (r.error) {
    switch (r.error->kind) {
      case HttpFailure::kUnreachable:
        throw Failure(kExitNoServer, 0,
                      "no opentapid HTTP API at " + where + " (" + r.error->message + ")\n" + hint_start(),
                      "HTTP_UNREACHABLE");
      case HttpFailure::kTimeout:
        throw Failure(kExitTimeout, 0,
                      "GET " + target + " at " + where + ": no HTTP response within " + seconds_text(o.timeout_s) +
                          " s (--timeout; " + r.error->message + ")",
                      "HTTP_TIMEOUT");
      case HttpFailure::kBroken:
        throw Failure(kExitNoServer, 0, "GET " + target + " at " + where + ": " + r.error->message, "HTTP_BROKEN");
    }
  }
  const HttpResponse& response = *r.response;
  const std::string status = std::to_string(response.status);
  if (response.status == 401) {
    throw Failure(kExitHttp, 0,
                  o.token.empty() ? "the HTTP API at " + where +
                                        " wants a token (401 Unauthorized): pass --token or set "
                                        "OPENTAPI_TOKEN (tokens are the [[http.token]] entries of the "
                                        "call-center configuration)"
                                  : "the HTTP API at " + where +
                                        " refused the token (401 Unauthorized): bad token; check "
                                        "--token / OPENTAPI_TOKEN against the [[http.token]] entries "
                                        "of the call-center configuration",
                  "HTTP_401");
  }
  if (response.status < 200 || response.status >= 300) {
    std::string msg = "GET " + target + " at " + where + ": HTTP " + status;
    if (const std::string d = error_detail(response.body); !d.empty()) msg += " (" + d + ")";
    if (response.status == 404) msg += "\nhint: is " + where + " opentapid's HTTP API?";
    throw Failure(kExitHttp, 0, msg, "HTTP_" + status);
  }
  json doc = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object())
    throw Failure(kExitHttp, 0, "GET " + target + " at " + where + ": the response is not a JSON object",
                  "HTTP_BAD_RESPONSE");
  return doc;
}

// Tolerant accessors: a field that is missing or of another type reads as
// empty/0, so a listing still shows what the server did send.
std::string str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}
std::int64_t num(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<std::int64_t>() : 0;
}
const json& member(const json& j, const char* key) {
  static const json empty = json::object();
  auto it = j.find(key);
  return it != j.end() ? *it : empty;
}
const json& items(const json& doc, const char* key) {
  static const json none = json::array();
  auto it = doc.find(key);
  return it != doc.end() && it->is_array() ? *it : none;
}

std::int64_t now_ms_of(const json& doc) {
  if (auto it = doc.find("now_ms"); it != doc.end() && it->is_number()) return it->get<std::int64_t>();
  // No server time: ours (the time in state then includes any clock skew).
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Adds "time_in_state_ms" to every object of doc[key] that has state_since_ms.
void add_time_in_state(json& doc, const char* key, std::int64_t now_ms) {
  auto it = doc.find(key);
  if (it == doc.end() || !it->is_array()) return;
  for (json& item : *it) {
    if (item.is_object() && item.contains("state_since_ms"))
      item["time_in_state_ms"] = std::max<std::int64_t>(0, now_ms - num(item, "state_since_ms"));
  }
}

std::string dash_if_empty(std::string s) { return s.empty() ? "-" : s; }

void print_agents(const json& list, std::int64_t now_ms) {
  if (list.empty()) {
    std::printf("(no agents)\n");
    return;
  }
  std::printf("%6s %-8s %-14s %-12s %-12s %9s %-10s %5s %8s %8s\n", "AGENT", "ID", "NAME", "OWNER", "STATE", "IN STATE",
              "NEXT", "CALLS", "TALK", "WRAPUP");
  for (const json& a : list) {
    const json& st = member(a, "stats");
    std::printf("%6" PRId64 " %-8s %-14s %-12s %-12s %9s %-10s %5" PRId64 " %8s %8s\n", num(a, "handle"),
                dash_if_empty(str(a, "id")).c_str(), dash_if_empty(str(a, "name")).c_str(),
                dash_if_empty(str(a, "owner")).c_str(), str(a, "state").c_str(),
                elapsed_text(now_ms - num(a, "state_since_ms")).c_str(), dash_if_empty(str(a, "next_state")).c_str(),
                num(st, "acd_calls"), clock_text(static_cast<std::uint64_t>(num(st, "talk_s"))).c_str(),
                clock_text(static_cast<std::uint64_t>(num(st, "wrap_up_s"))).c_str());
  }
}

void print_sessions(const json& list, std::int64_t now_ms) {
  if (list.empty()) {
    std::printf("(no sessions)\n");
    return;
  }
  std::printf("%7s %6s %-8s %-12s %4s %4s %-12s %9s %-10s %5s %8s %8s %4s\n", "SESSION", "AGENT", "AGENT-ID", "GROUP",
              "LINE", "ADDR", "STATE", "IN STATE", "NEXT", "CALLS", "TALK", "WRAPUP", "ASA");
  for (const json& s : list) {
    const json& st = member(s, "stats");
    std::printf("%7" PRId64 " %6" PRId64 " %-8s %-12s %4" PRId64 " %4" PRId64 " %-12s %9s %-10s %5" PRId64
                " %8s %8s %4" PRId64 "\n",
                num(s, "handle"), num(s, "agent"), dash_if_empty(str(s, "agent_id")).c_str(),
                dash_if_empty(str(s, "group_name")).c_str(), num(s, "device"), num(s, "address"),
                str(s, "state").c_str(), elapsed_text(now_ms - num(s, "state_since_ms")).c_str(),
                dash_if_empty(str(s, "next_state")).c_str(), num(st, "calls"),
                clock_text(static_cast<std::uint64_t>(num(st, "talk_s"))).c_str(),
                clock_text(static_cast<std::uint64_t>(num(st, "wrap_up_s"))).c_str(), num(st, "asa_s"));
  }
}

void print_queues(const json& list) {
  if (list.empty()) {
    std::printf("(no queues)\n");
    return;
  }
  std::printf("%5s %-16s %-10s %7s %8s %7s %8s %9s %6s %5s\n", "QUEUE", "NAME", "GROUP", "WAITING", "LONGEST",
              "OFFERED", "ANSWERED", "ABANDONED", "SL", "ASA");
  for (const json& q : list) {
    auto sl = q.find("service_level");
    const std::string level = sl != q.end() && sl->is_number() ? percent_text(sl->get<double>()) : "-";
    std::printf("%5" PRId64 " %-16s %-10s %7" PRId64 " %8s %7" PRId64 " %8" PRId64 " %9" PRId64 " %6s %5" PRId64 "\n",
                num(q, "id"), str(q, "name").c_str(), str(q, "group_name").c_str(), num(q, "waiting"),
                clock_text(static_cast<std::uint64_t>(num(q, "longest_wait_s"))).c_str(), num(q, "offered"),
                num(q, "answered"), num(q, "abandoned"), level.c_str(), num(q, "asa_s"));
  }
}

// "2011 (line 1/2)" for the station a call is at, "-" while queued.
std::string station_of(const json& c) {
  auto device = c.find("device");
  if (device == c.end() || !device->is_number()) return "-";
  const std::string place = "line " + std::to_string(num(c, "device")) + "/" + std::to_string(num(c, "address"));
  const std::string number = str(c, "address_number");
  return number.empty() ? place : number + " (" + place + ")";
}

void print_calls(const json& list) {
  if (list.empty()) {
    std::printf("(no calls in progress)\n");
    return;
  }
  std::printf("%-16s %-8s %-18s %-24s %-16s %-18s %7s %7s\n", "CALL", "STATE", "QUEUE", "CALLER", "AGENT", "STATION",
              "WAIT", "TALK");
  for (const json& c : list) {
    const std::string queue = std::to_string(num(c, "queue")) + " " + str(c, "queue_name");
    std::string caller = str(c, "caller_number");
    const std::string caller_name = str(c, "caller_name");
    if (caller.empty())
      caller = caller_name.empty() ? "unknown" : caller_name;
    else if (!caller_name.empty())
      caller += " (" + caller_name + ")";
    std::string agent = str(c, "agent_id");
    if (!str(c, "agent_name").empty()) agent += (agent.empty() ? "" : " ") + str(c, "agent_name");
    if (agent.empty() && c.contains("agent") && c["agent"].is_number())
      agent = "agent " + std::to_string(num(c, "agent"));
    const std::string talk =
        str(c, "state") == "talking" ? clock_text(static_cast<std::uint64_t>(num(c, "talk_s"))) : "-";
    // No wait without the time it entered the queue (not known after a restart).
    const auto queued = c.find("queued_ms");
    const std::string wait =
        queued != c.end() && queued->is_number() ? clock_text(static_cast<std::uint64_t>(num(c, "wait_s"))) : "-";
    std::printf("%-16s %-8s %-18s %-24s %-16s %-18s %7s %7s\n", str(c, "id").c_str(), str(c, "state").c_str(),
                queue.c_str(), caller.c_str(), dash_if_empty(agent).c_str(), station_of(c).c_str(), wait.c_str(),
                talk.c_str());
  }
}

}  // namespace

std::string default_http_address() {
  if (const char* s = std::getenv("OPENTAPI_HTTP"); s && *s) return s;
  return "127.0.0.1:8080";
}

std::string default_http_token() {
  if (const char* s = std::getenv("OPENTAPI_TOKEN"); s && *s) return s;
  return {};
}

int cmd_agents(const HttpOptions& o) {
  json doc = fetch(o, "/api/v1/agents");
  const std::int64_t now = now_ms_of(doc);
  if (o.json) {
    add_time_in_state(doc, "items", now);
    std::printf("%s\n", doc.dump(-1, ' ', false, json::error_handler_t::replace).c_str());
  } else {
    print_agents(items(doc, "items"), now);
  }
  return kExitOk;
}

int cmd_all_sessions(const HttpOptions& o) {
  json doc = fetch(o, "/api/v1/sessions");
  const std::int64_t now = now_ms_of(doc);
  if (o.json) {
    add_time_in_state(doc, "items", now);
    std::printf("%s\n", doc.dump(-1, ' ', false, json::error_handler_t::replace).c_str());
  } else {
    print_sessions(items(doc, "items"), now);
  }
  return kExitOk;
}

int cmd_board(const HttpOptions& o) {
  json doc = fetch(o, "/api/v1/board");
  const std::int64_t now = now_ms_of(doc);
  if (o.json) {
    add_time_in_state(doc, "agents", now);
    add_time_in_state(doc, "sessions", now);
    std::printf("%s\n", doc.dump(-1, ' ', false, json::error_handler_t::replace).c_str());
    return kExitOk;
  }
  print_queues(items(doc, "queues"));
  std::printf("\n");
  print_agents(items(doc, "agents"), now);
  std::printf("\n");
  print_sessions(items(doc, "sessions"), now);
  return kExitOk;
}

}  // namespace opentapi::cli

namespace opentapi::cli {

int cmd_calls(const HttpOptions& o, const std::string& state, std::optional<std::uint32_t> queue) {
  std::string target = "/api/v1/calls";
  std::string sep = "?";
  if (!state.empty()) {
    target += sep + "state=" + state;
    sep = "&";
  }
  if (queue) target += sep + "queue=" + std::to_string(*queue);
  json doc = fetch(o, target);
  if (o.json) {
    std::printf("%s\n", doc.dump(-1, ' ', false, json::error_handler_t::replace).c_str());
  } else {
    print_calls(items(doc, "items"));
  }
  return kExitOk;
}

}  // namespace opentapi::cli
