// Bearer tokens of the HTTP API (docs/http.md "Authentication and rights"):
// each token acts as one OS user. A request carries it in
// `Authorization: Bearer <token>`, or as `?token=` where a browser cannot set
// headers (the WebSocket, the wallboard page).
#ifndef OPENTAPI_HTTP_TOKENS_H_
#define OPENTAPI_HTTP_TOKENS_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace opentapi::http {

class Tokens {
 public:
  Tokens() = default;
  // token → OS user.
  explicit Tokens(std::map<std::string, std::string> token_to_user);

  // The user of the request: the Authorization header if there is one (it
  // must then be "Bearer <token>"), else `query_token` if given. nullopt
  // when neither names a known token. Every known token is compared in full,
  // so the time taken does not tell how much of a guess was right.
  std::optional<std::string> user_of(std::string_view authorization,
                                     const std::optional<std::string_view>& query_token) const;

  // The user of exactly `token`, or nullopt.
  std::optional<std::string> lookup(std::string_view token) const;

  bool empty() const { return entries_.empty(); }

  // Whether some token acts as `user` (a reload keeps a WebSocket stream
  // open only while its user still has one).
  bool has_user(std::string_view user) const;

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
};

}  // namespace opentapi::http

#endif  // OPENTAPI_HTTP_TOKENS_H_
