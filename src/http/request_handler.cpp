#include "http/request_handler.h"

#include <charconv>
#include <utility>

namespace opentapi::http {
namespace {

Response method_not_allowed(std::string_view method, std::string_view allow) {
  Response r = error_response(405, "METHOD_NOT_ALLOWED",
                              std::string(method) + " is not allowed here; use " + std::string(allow));
  r.headers.emplace_back("Allow", std::string(allow));
  return r;
}

Response text_response(std::string body, std::string content_type) {
  Response r;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

}  // namespace

RequestHandler::RequestHandler(Options options)
    : options_(std::move(options)),
      tokens_(options_.tokens, options_.lockout),
      api_(options_.supervision, tokens_),
      files_(options_.web_root) {}

// In place: api_ holds a reference to tokens_.
void RequestHandler::set_tokens(std::map<std::string, std::string> tokens) {
  options_.tokens = tokens;
  tokens_.replace(tokens);
}

void RequestHandler::handle(const Request& request, const Reply& reply) {
  const auto target = parse_target(request.target);
  if (!target) return reply(error_response(400, "BAD_REQUEST", "malformed request target", "target"));
  const std::string& path = target->path;
  const bool read = request.method == "GET" || request.method == "HEAD";

  if (path == "/api" || path.starts_with("/api/")) return api_.handle(request, *target, reply);
  if (path == "/healthz") {
    if (!read) return reply(method_not_allowed(request.method, "GET, HEAD"));
    return reply(
        text_response(options_.cluster ? health_text(options_.cluster()) : "ok\n", "text/plain; charset=utf-8"));
  }
  if (path == "/metrics") {
    if (!read) return reply(method_not_allowed(request.method, "GET, HEAD"));
    std::optional<TelephonyMetrics> telephony;
    if (options_.telephony_metrics) telephony = options_.telephony_metrics();
    std::optional<acd::AcdMetrics> acd;
    std::vector<acd::QueueView> queues;
    if (options_.supervision != nullptr) {
      acd = options_.supervision->metrics();
      queues = options_.supervision->board().queues;
    }
    MetricsSources sources;
    sources.telephony = telephony ? &*telephony : nullptr;
    sources.acd = acd ? &*acd : nullptr;
    sources.queues = options_.supervision != nullptr ? &queues : nullptr;
    sources.http = options_.counters;
    std::optional<ClusterStatus> cluster;
    if (options_.cluster) cluster = options_.cluster();
    sources.cluster = cluster ? &*cluster : nullptr;
    const Tokens::Counters token_counters = tokens_.counters();
    sources.tokens = &token_counters;
    return reply(text_response(prometheus_text(sources), "text/plain; version=0.0.4; charset=utf-8"));
  }
  if (path == "/events") {
    Response r = error_response(426, "UPGRADE_REQUIRED", "/events is a WebSocket: connect with ws://…/events");
    r.headers.emplace_back("Upgrade", "websocket");
    return reply(std::move(r));
  }
  reply(files_.serve(request.method, path));
}

std::variant<EventsRequest, Response> RequestHandler::accept_events(const Request& request) const {
  const auto target = parse_target(request.target);
  if (!target) return error_response(400, "BAD_REQUEST", "malformed request target", "target");
  if (target->path != "/events") {
    return error_response(404, "NOT_FOUND", "no WebSocket endpoint " + target->path + " (use /events)");
  }
  const auto token = target->query.find("token");
  auto auth = authenticate_request(
      tokens_, request, token == target->query.end() ? std::nullopt : std::optional<std::string_view>(token->second),
      "no token: connect to /events?token=<token>", options_.supervision);
  if (auto* refused = std::get_if<Response>(&auth)) return std::move(*refused);
  const std::optional<std::string> user = std::get<std::string>(std::move(auth));
  if (options_.supervision == nullptr) {
    return error_response(503, "SERVICE_UNAVAILABLE", "the ACD is not running in this opentapid (--no-acd)");
  }
  EventsRequest out;
  out.user = *user;
  for (const char* name : {"after", "since"}) {
    const auto it = target->query.find(name);
    if (it == target->query.end()) continue;
    std::uint64_t value = 0;
    const std::string& text = it->second;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
      return error_response(400, "BAD_REQUEST", std::string(name) + ": \"" + text + "\" is not a sequence number",
                            name);
    }
    (std::string_view(name) == "after" ? out.after : out.since) = value;
  }
  if (out.after && out.since) {
    // Two different numberings: the board's changes and the event log's.
    return error_response(400, "BAD_REQUEST", "since (the event log) and after (the board) exclude each other",
                          "since");
  }
  if (const auto it = target->query.find("stream"); it != target->query.end()) out.stream = it->second;
  return out;
}

}  // namespace opentapi::http
