// A small synchronous HTTP/1.1 client for opentapid's HTTP API
// (docs/http.md): one GET per call, one connection per request, bounded by a
// timeout. Boost.Beast underneath; nothing of it shows in this header.
#ifndef OPENTAPI_TOOLS_OPENTAPI_HTTP_CLIENT_H_
#define OPENTAPI_TOOLS_OPENTAPI_HTTP_CLIENT_H_

#include <chrono>
#include <optional>
#include <string>

namespace opentapi::cli {

// Where the API is: "HOST:PORT", "[v6]:PORT", "HOST" (port 8080), with or
// without a leading "http://" and a trailing "/"; "https://..." or
// "https:..." for HTTPS.
struct HttpEndpoint {
  std::string host;
  std::string port;
  bool tls = false;
  std::string text() const;  // "host:port" as given, for messages
};
std::optional<HttpEndpoint> parse_http_endpoint(const std::string& text);

struct HttpResponse {
  unsigned status = 0;
  std::string content_type;
  std::string body;
};

// Why a request got no response.
enum class HttpFailure {
  kUnreachable,  // cannot resolve, connection refused, network unreachable
  kTimeout,      // no complete response within the timeout
  kBroken,       // the connection broke or the response was not HTTP
};

struct HttpError {
  HttpFailure kind;
  std::string message;
};

// GET `target` (e.g. "/api/v1/agents") with "Authorization: Bearer <token>"
// when `token` is not empty. Any HTTP status is a response; only transport
// failures are errors. Bodies above 64 MiB are refused (kBroken). HTTPS
// verifies the server's certificate and name against OPENTAPI_CA_FILE (else
// the system's CAs) and presents OPENTAPI_CERT_FILE/OPENTAPI_KEY_FILE when
// set, as libopentapi does (docs/security.md "Clients"); a refused
// certificate is kBroken with the reason.
struct HttpResult {
  std::optional<HttpResponse> response;
  std::optional<HttpError> error;
};
HttpResult http_get(const HttpEndpoint& endpoint, const std::string& target, const std::string& token,
                    std::chrono::milliseconds timeout);

}  // namespace opentapi::cli

#endif  // OPENTAPI_TOOLS_OPENTAPI_HTTP_CLIENT_H_
