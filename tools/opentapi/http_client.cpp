#include "http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/version.hpp>

namespace opentapi::cli {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

constexpr std::uint64_t kBodyLimit = 64u << 20;

// Runs one asynchronous operation to completion on `ioc`: the stream's
// expiry (tcp_stream::expires_after) bounds it, which the synchronous Beast
// calls cannot do.
template <typename Start>
beast::error_code run_one(net::io_context& ioc, Start start) {
  beast::error_code result = net::error::would_block;
  start([&result](beast::error_code ec, auto&&...) { result = ec; });
  ioc.restart();
  ioc.run();
  return result;
}

HttpResult failed(HttpFailure kind, std::string message) {
  return HttpResult{std::nullopt, HttpError{kind, std::move(message)}};
}

}  // namespace

std::string HttpEndpoint::text() const {
  return (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + port;
}

std::optional<HttpEndpoint> parse_http_endpoint(const std::string& input) {
  std::string s = input;
  if (s.rfind("http://", 0) == 0) s = s.substr(7);
  while (!s.empty() && s.back() == '/') s.pop_back();
  if (s.empty() || s.find('/') != std::string::npos) return std::nullopt;
  HttpEndpoint e;
  std::string rest;
  if (s.front() == '[') {
    const auto close = s.find(']');
    if (close == std::string::npos || close == 1) return std::nullopt;
    e.host = s.substr(1, close - 1);
    rest = s.substr(close + 1);
  } else {
    const auto colon = s.find(':');
    if (colon != std::string::npos && s.find(':', colon + 1) != std::string::npos) return std::nullopt;
    e.host = s.substr(0, colon);
    rest = colon == std::string::npos ? std::string() : s.substr(colon);
  }
  if (e.host.empty()) return std::nullopt;
  if (rest.empty()) {
    e.port = "8080";
  } else {
    if (rest.front() != ':' || rest.size() < 2 || rest.size() > 6) return std::nullopt;
    e.port = rest.substr(1);
    for (char c : e.port)
      if (c < '0' || c > '9') return std::nullopt;
    const unsigned long p = std::stoul(e.port);
    if (p == 0 || p > 65535) return std::nullopt;
  }
  return e;
}

HttpResult http_get(const HttpEndpoint& endpoint, const std::string& target, const std::string& token,
                    std::chrono::milliseconds timeout) {
  net::io_context ioc;
  tcp::resolver resolver(ioc);
  beast::error_code ec;
  const auto endpoints = resolver.resolve(endpoint.host, endpoint.port, ec);
  if (ec) return failed(HttpFailure::kUnreachable, "cannot resolve " + endpoint.host + ": " + ec.message());

  beast::tcp_stream stream(ioc);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const auto left = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  };
  const auto check = [&](beast::error_code e, const char* step) -> std::optional<HttpResult> {
    if (!e) return std::nullopt;
    if (e == beast::error::timeout) return failed(HttpFailure::kTimeout, std::string("timed out at ") + step);
    if (e == net::error::connection_refused || e == net::error::network_unreachable ||
        e == net::error::host_unreachable)
      return failed(HttpFailure::kUnreachable, e.message());
    return failed(HttpFailure::kBroken, std::string(step) + ": " + e.message());
  };

  stream.expires_after(left());
  if (auto r = check(run_one(ioc, [&](auto handler) { stream.async_connect(endpoints, handler); }), "connect"))
    return *r;

  http::request<http::empty_body> request{http::verb::get, target, 11};
  request.set(http::field::host, endpoint.text());
  request.set(http::field::user_agent, "opentapi-cli");
  request.set(http::field::accept, "application/json");
  if (!token.empty()) request.set(http::field::authorization, "Bearer " + token);
  stream.expires_after(left());
  if (auto r = check(run_one(ioc, [&](auto handler) { http::async_write(stream, request, handler); }), "send"))
    return *r;

  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kBodyLimit);
  stream.expires_after(left());
  if (auto r = check(run_one(ioc, [&](auto handler) { http::async_read(stream, buffer, parser, handler); }), "receive"))
    return *r;

  auto& message = parser.get();
  HttpResponse response;
  response.status = message.result_int();
  response.content_type = std::string(message[http::field::content_type]);
  response.body = std::move(message.body());
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  return HttpResult{std::move(response), std::nullopt};
}

}  // namespace opentapi::cli
