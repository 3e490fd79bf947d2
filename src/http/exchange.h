// One HTTP exchange as the meaning layer of src/http sees it: a Request with
// what the handlers need (no sockets, no Beast), the Response they produce,
// and the one place where errors become HTTP statuses and JSON error bodies
// (docs/http.md "REST": {"error","code","message"[,"field"]}).
#ifndef OPENTAPI_HTTP_EXCHANGE_H_
#define OPENTAPI_HTTP_EXCHANGE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace opentapi::http {

// Largest request body accepted (docs/http.md).
inline constexpr std::size_t kMaxBodyBytes = 64 * 1024;

struct Request {
  std::string method;         // "GET", "PUT", …
  std::string target;         // as received: path and query, e.g. "/api/v1/agents/3?token=x"
  std::string authorization;  // the Authorization header; "" if none
  std::string body;
  // The client's address ("192.0.2.7"); the brute-force limits count by it.
  std::string peer = {};
};

struct Response {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  // Extra header fields (Allow, WWW-Authenticate, Cache-Control, …).
  std::vector<std::pair<std::string, std::string>> headers;
};

// Called exactly once with the answer to a request — at once, or later from
// another thread (a state change answers when it is durable).
using Reply = std::function<void(Response)>;

// A request target split into its path and its decoded query parameters.
struct Target {
  std::string path;  // still percent-encoded
  std::map<std::string, std::string, std::less<>> query;
};
// nullopt: a target that is not origin-form ("/…") or has a malformed
// percent escape in the query.
std::optional<Target> parse_target(std::string_view target);

// %XX decoding; `plus_is_space` for query strings. nullopt on a bad escape.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

Response json_response(unsigned status, const nlohmann::json& body);

// Errors that do not come from the ACD ("BAD_REQUEST", "UNAUTHORIZED", …):
// {"error":name,"code":0,"message":…} plus "field" when one is at fault.
Response error_response(unsigned status, std::string_view name, std::string message, std::string_view field = {});

// The HTTP status of a TAPI error (docs/http.md "REST"): an illegal state
// transition 409, another invalid argument 400, no resources 503, anything
// else 500. The only place where a LINEERR becomes an HTTP status.
unsigned http_status_of(core::ErrorCode code);

// {"error":"LINEERR_…","code":<LINEERR value>,"message":…} with `status`.
Response lineerr_response(unsigned status, core::ErrorCode code, std::string message);
// The same with the status http_status_of() gives.
Response lineerr_response(const core::Status& status);

}  // namespace opentapi::http

#endif  // OPENTAPI_HTTP_EXCHANGE_H_
