// The REST API of docs/http.md ("REST") over acd::Supervision: routing,
// authentication, validation of paths, queries and bodies, and the mapping
// of ACD errors to HTTP statuses. No sockets: the I/O layer (http_server.cpp)
// hands it a Request and sends whatever Response comes back.
//
// Checks, in order: the path (404) and method (405); the token (401); the
// ACD (503 without one); the handle and query (400); the body (400 naming
// the field); that the object exists (404) and that the token's user may
// change it (403); then the ACD applies the change with the rules and codes
// of the TAPI path.
#ifndef OPENTAPI_HTTP_REST_API_H_
#define OPENTAPI_HTTP_REST_API_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "acd/supervision.h"
#include "http/exchange.h"
#include "http/tokens.h"

namespace opentapi::http {

// The body of PUT …/state, validated.
struct StateChange {
  std::uint32_t state = 0;       // 0: leave unchanged
  std::uint32_t next_state = 0;  // 0: none / unchanged
};

enum class StateKind { kSession, kAgent };

// {"state":"READY","next_state":"NOTREADY"}: an object with only these
// members, strings naming states of `kind` ("" = 0), at least one non-empty.
// Otherwise a 400 response naming the field at fault.
std::variant<StateChange, Response> parse_state_change(std::string_view body, StateKind kind);

class RestApi {
 public:
  static constexpr std::uint32_t kDefaultHistoryLimit = 100;
  static constexpr std::uint32_t kMaxHistoryLimit = 1000;

  // `supervision` may be null (no ACD: every endpoint answers 503 after
  // authentication). Both must outlive the RestApi.
  RestApi(acd::Supervision* supervision, Tokens& tokens) : supervision_(supervision), tokens_(tokens) {}

  // A request whose path starts with /api/. Calls `reply` exactly once: at
  // once, or for a state change from an ACD thread once it is durable.
  void handle(const Request& request, const Target& target, const Reply& reply);

 private:
  void get_list(std::string_view what, const Reply& reply);
  void get_one(std::string_view what, std::uint32_t id, const Reply& reply);
  void get_history(StateKind kind, std::uint32_t handle, const Target& target, const Reply& reply);
  void get_calls(const std::string& user, const Target& target, const Reply& reply);
  void put_state(StateKind kind, std::uint32_t handle, const std::string& user, std::string_view body,
                 const Reply& reply);

  acd::Supervision* supervision_;
  Tokens& tokens_;
};

}  // namespace opentapi::http

#endif  // OPENTAPI_HTTP_REST_API_H_
