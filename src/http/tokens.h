// Bearer tokens of the HTTP API (docs/http.md "Authentication and rights"):
// each token acts as one OS user. A request carries it in
// `Authorization: Bearer <token>`, or as `?token=` where a browser cannot set
// headers (the WebSocket, the wallboard page).
//
// A configured token is the value itself or an Argon2id hash of it
// (docs/security.md "Secrets at rest"). A hash is checked once per token and
// run (a few milliseconds), then remembered as a keyed digest, so a request
// with a known token costs microseconds. Wrong tokens are counted per client
// address, with lockouts that grow (docs/security.md "Brute force").
//
// Thread-safe.
#ifndef OPENTAPI_HTTP_TOKENS_H_
#define OPENTAPI_HTTP_TOKENS_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "acd/supervision.h"
#include "core/failed_logins.h"
#include "http/exchange.h"
#include "secrets/stored_secret.h"

namespace opentapi::http {

class Tokens {
 public:
  // token (plain or hashed) → OS user.
  explicit Tokens(const std::map<std::string, std::string>& token_to_user = {}, core::LockoutPolicy lockout = {});
  Tokens(const Tokens&) = delete;
  Tokens& operator=(const Tokens&) = delete;

  // New tokens (opentapid's reload). What the verifier knows and the
  // lockouts in progress are kept.
  void replace(const std::map<std::string, std::string>& token_to_user);

  // The user of the request: the Authorization header if there is one (it
  // must then be "Bearer <token>"), else `query_token` if given. nullopt
  // when neither names a known token. Every known token is compared in full,
  // so the time taken does not tell how much of a guess was right. Counts
  // nothing.
  std::optional<std::string> user_of(std::string_view authorization,
                                     const std::optional<std::string_view>& query_token) const;

  // The user of exactly `token`, or nullopt.
  std::optional<std::string> lookup(std::string_view token) const;

  // user_of() with the brute-force limits of client address `peer` at
  // `now_ms` (a monotonic clock): while `peer` is locked out nothing is
  // checked and `retry_after_ms` says for how long; a wrong token is counted.
  struct Outcome {
    std::optional<std::string> user;
    bool presented = false;           // a token was given (else: none at all)
    std::int64_t retry_after_ms = 0;  // > 0: locked out, not checked
    std::int64_t lockout_ms = 0;      // > 0: this wrong token started a lockout
  };
  Outcome authenticate(std::string_view authorization, const std::optional<std::string_view>& query_token,
                       std::string_view peer, std::int64_t now_ms);

  // Counters for /metrics.
  struct Counters {
    std::uint64_t wrong = 0;       // wrong tokens (malformed Authorization headers included)
    std::uint64_t locked_out = 0;  // requests refused unchecked during a lockout (429)
    std::uint64_t lockouts = 0;    // lockouts started
  };
  Counters counters() const;

  bool empty() const;

  // Whether some token acts as `user` (a reload keeps a WebSocket stream
  // open only while its user still has one).
  bool has_user(std::string_view user) const;

 private:
  // nullopt: no token given at all; "" stands for a malformed header.
  static std::optional<std::string_view> presented_token(std::string_view authorization,
                                                         const std::optional<std::string_view>& query_token);

  mutable std::mutex mu_;
  std::vector<std::pair<std::string, std::string>> entries_;  // guarded by mu_
  std::unique_ptr<secrets::SecretVerifier> verifier_ = std::make_unique<secrets::SecretVerifier>();
  core::FailedLogins failed_;  // guarded by mu_
  Counters counters_;          // guarded by mu_
};

// The user of `request` (its token in the Authorization header, else
// `query_token`), or the response that refuses it: 401 with
// WWW-Authenticate for no token (`no_token_hint` says how to give one) or a
// wrong one, 429 with Retry-After (whole seconds, rounded up) while the
// client address (`request.peer`) is locked out. A wrong token is audited
// through `supervision` (if not null) with the client's address.
// docs/http.md "Authentication and rights".
std::variant<std::string, Response> authenticate_request(Tokens& tokens, const Request& request,
                                                         const std::optional<std::string_view>& query_token,
                                                         std::string_view no_token_hint, acd::Supervision* supervision);

}  // namespace opentapi::http

#endif  // OPENTAPI_HTTP_TOKENS_H_
