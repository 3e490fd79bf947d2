#include "http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/version.hpp>
#include <cstdlib>

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

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

// The client side of HTTPS: the server's certificate checked against
// OPENTAPI_CA_FILE (else the system's CAs), a client certificate if given.
// "" or why the files cannot be used.
std::string configure_tls(net::ssl::context& ctx) {
  beast::error_code ec;
  ctx.set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 | net::ssl::context::no_sslv3 |
                  net::ssl::context::no_tlsv1 | net::ssl::context::no_tlsv1_1);
  ctx.set_verify_mode(net::ssl::verify_peer);
  const std::string ca = env("OPENTAPI_CA_FILE");
  if (ca.empty()) {
    ctx.set_default_verify_paths(ec);
  } else {
    ctx.load_verify_file(ca, ec);
  }
  if (ec) return "cannot load " + (ca.empty() ? std::string("the system's CAs") : "OPENTAPI_CA_FILE=" + ca);
  const std::string cert = env("OPENTAPI_CERT_FILE");
  if (!cert.empty()) {
    const std::string key = env("OPENTAPI_KEY_FILE").empty() ? cert : env("OPENTAPI_KEY_FILE");
    ctx.use_certificate_chain_file(cert, ec);
    if (!ec) ctx.use_private_key_file(key, net::ssl::context::pem, ec);
    if (ec) return "cannot use OPENTAPI_CERT_FILE=" + cert + " / OPENTAPI_KEY_FILE=" + key + ": " + ec.message();
  }
  return {};
}

}  // namespace

std::string HttpEndpoint::text() const {
  return (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + port;
}

std::optional<HttpEndpoint> parse_http_endpoint(const std::string& input) {
  std::string s = input;
  bool tls = false;
  if (s.rfind("http://", 0) == 0) {
    s = s.substr(7);
  } else if (s.rfind("https://", 0) == 0) {
    s = s.substr(8);
    tls = true;
  } else if (s.rfind("https:", 0) == 0) {  // as opentapid's --http https:HOST:PORT
    s = s.substr(6);
    tls = true;
  }
  while (!s.empty() && s.back() == '/') s.pop_back();
  if (s.empty() || s.find('/') != std::string::npos) return std::nullopt;
  HttpEndpoint e;
  e.tls = tls;
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

namespace {

// Writes the request and reads the response on an open (and, for HTTPS,
// handshaken) stream.
template <typename Stream, typename Check, typename Left>
HttpResult exchange(net::io_context& ioc, Stream& stream, const HttpEndpoint& endpoint, const std::string& target,
                    const std::string& token, const Check& check, const Left& left) {
  http::request<http::empty_body> request{http::verb::get, target, 11};
  request.set(http::field::host, endpoint.text());
  request.set(http::field::user_agent, "opentapi-cli");
  request.set(http::field::accept, "application/json");
  if (!token.empty()) request.set(http::field::authorization, "Bearer " + token);
  beast::get_lowest_layer(stream).expires_after(left());
  if (auto r = check(run_one(ioc, [&](auto handler) { http::async_write(stream, request, handler); }), "send"))
    return *r;

  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kBodyLimit);
  beast::get_lowest_layer(stream).expires_after(left());
  if (auto r = check(run_one(ioc, [&](auto handler) { http::async_read(stream, buffer, parser, handler); }), "receive"))
    return *r;

  auto& message = parser.get();
  HttpResponse response;
  response.status = message.result_int();
  response.content_type = std::string(message[http::field::content_type]);
  response.body = std::move(message.body());
  beast::error_code ec;
  beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_both, ec);
  return HttpResult{std::move(response), std::nullopt};
}

}  // namespace

HttpResult http_get(const HttpEndpoint& endpoint, const std::string& target, const std::string& token,
                    std::chrono::milliseconds timeout) {
  net::io_context ioc;
  tcp::resolver resolver(ioc);
  beast::error_code ec;
  const auto endpoints = resolver.resolve(endpoint.host, endpoint.port, ec);
  if (ec) return failed(HttpFailure::kUnreachable, "cannot resolve " + endpoint.host + ": " + ec.message());

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

  if (!endpoint.tls) {
    beast::tcp_stream stream(ioc);
    stream.expires_after(left());
    if (auto r = check(run_one(ioc, [&](auto handler) { stream.async_connect(endpoints, handler); }), "connect"))
      return *r;
    return exchange(ioc, stream, endpoint, target, token, check, left);
  }

  net::ssl::context ctx(net::ssl::context::tls_client);
  if (std::string error = configure_tls(ctx); !error.empty()) return failed(HttpFailure::kBroken, error);
  beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
  // The certificate must name the host asked for (a DNS name or an address).
  beast::error_code parse_ec;
  net::ip::make_address(endpoint.host, parse_ec);
  if (parse_ec) {
    SSL_set1_host(stream.native_handle(), endpoint.host.c_str());
    SSL_set_tlsext_host_name(stream.native_handle(), endpoint.host.c_str());
  } else {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(stream.native_handle()), endpoint.host.c_str());
  }
  beast::get_lowest_layer(stream).expires_after(left());
  if (auto r =
          check(run_one(ioc, [&](auto handler) { beast::get_lowest_layer(stream).async_connect(endpoints, handler); }),
                "connect"))
    return *r;
  beast::get_lowest_layer(stream).expires_after(left());
  if (auto r =
          check(run_one(ioc, [&](auto handler) { stream.async_handshake(net::ssl::stream_base::client, handler); }),
                "TLS handshake")) {
    const long verify = SSL_get_verify_result(stream.native_handle());
    if (verify != X509_V_OK) {
      return failed(HttpFailure::kBroken,
                    std::string("the server's certificate was refused: ") + X509_verify_cert_error_string(verify) +
                        (env("OPENTAPI_CA_FILE").empty() ? " (set OPENTAPI_CA_FILE or --ca-file to your CA)"
                                                         : " (OPENTAPI_CA_FILE=" + env("OPENTAPI_CA_FILE") + ")"));
    }
    return *r;
  }
  return exchange(ioc, stream, endpoint, target, token, check, left);
}

}  // namespace opentapi::cli
