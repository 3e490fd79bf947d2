// Blocking HTTP and WebSocket clients (Beast) for the tests of the HTTP
// front: src/http's in-process tests and tools/opentapid's process tests.
// Header-only; test code only.
#ifndef OPENTAPI_HTTP_TESTING_TEST_CLIENTS_H_
#define OPENTAPI_HTTP_TESTING_TEST_CLIENTS_H_

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>

namespace opentapi::http::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using nlohmann::json;
using namespace std::chrono_literals;

struct HttpAnswer {
  unsigned status = 0;
  std::string body;
  bhttp::fields fields;
  bool closed = false;  // the server closed the connection after it
};

// A blocking HTTP/1.1 client on one connection.
class HttpClient {
 public:
  explicit HttpClient(std::uint16_t port) : socket_(io_) {
    socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  }

  HttpAnswer send(bhttp::verb method, const std::string& target, const std::string& authorization = "",
                  const std::string& body = "", bool keep_alive = true) {
    bhttp::request<bhttp::string_body> req(method, target, 11);
    req.set(bhttp::field::host, "127.0.0.1");
    if (!authorization.empty()) req.set(bhttp::field::authorization, authorization);
    req.keep_alive(keep_alive);
    req.body() = body;
    req.prepare_payload();
    bhttp::write(socket_, req);
    return read(method == bhttp::verb::head);
  }

  void send_raw(const std::string& bytes) { asio::write(socket_, asio::buffer(bytes)); }

  HttpAnswer read(bool head = false) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.skip(head);
    beast::error_code ec;
    bhttp::read(socket_, buffer_, parser, ec);
    HttpAnswer a;
    if (ec) {
      ADD_FAILURE() << "no response: " << ec.message();
      return a;
    }
    a.status = parser.get().result_int();
    a.body = parser.get().body();
    a.fields = parser.get().base();
    a.closed = !parser.get().keep_alive();
    return a;
  }

  // True when the server has closed the connection (EOF within 5 s).
  bool sees_eof() {
    beast::error_code ec;
    char c;
    socket_.non_blocking(false);
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (std::chrono::steady_clock::now() < deadline) {
      socket_.read_some(asio::buffer(&c, 1), ec);
      if (ec) return ec == asio::error::eof || ec == asio::error::connection_reset;
    }
    return false;
  }

 private:
  asio::io_context io_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
};

// A WebSocket client whose reads time out (asynchronous under the hood).
class WsClient {
 public:
  // Upgrades to `target`; false and the HTTP status if refused.
  // `receive_buffer`: a small SO_RCVBUF, so that a client that does not read
  // fills its socket buffers soon.
  bool connect(std::uint16_t port, const std::string& target, unsigned* refused_status = nullptr,
               int receive_buffer = 0) {
    auto& socket = beast::get_lowest_layer(ws_).socket();
    socket.open(tcp::v4());
    if (receive_buffer > 0) socket.set_option(asio::socket_base::receive_buffer_size(receive_buffer));
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    websocket::response_type response;
    beast::error_code result = asio::error::would_block;
    ws_.async_handshake(response, "127.0.0.1", target, [&](beast::error_code ec) { result = ec; });
    io_.restart();
    io_.run_for(5s);
    if (refused_status != nullptr) *refused_status = response.result_int();
    return !result;
  }

  // The next text frame, parsed.
  std::optional<json> next(std::chrono::milliseconds timeout = 5s) {
    auto text = next_text(timeout);
    if (!text) return std::nullopt;
    return json::parse(*text);
  }

  // The next text frame, or nullopt after `timeout` or when the connection
  // closed (then close_code() tells how).
  std::optional<std::string> next_text(std::chrono::milliseconds timeout = 5s) {
    if (!pending_) {
      pending_ = true;
      ws_.async_read(buffer_, [this](beast::error_code ec, std::size_t) {
        pending_ = false;
        if (ec) {
          error_ = ec;
          return;
        }
        got_ = beast::buffers_to_string(buffer_.data());
        buffer_.clear();
      });
    }
    io_.restart();
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (pending_ && std::chrono::steady_clock::now() < deadline)
      io_.run_one_for(deadline - std::chrono::steady_clock::now());
    if (pending_ || error_) return std::nullopt;
    return std::exchange(got_, std::nullopt);
  }

  bool closed() const { return static_cast<bool>(error_); }
  std::uint16_t close_code() const { return ws_.reason().code; }

  void close() {
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
  }

 private:
  asio::io_context io_;
  websocket::stream<beast::tcp_stream> ws_{io_};
  beast::flat_buffer buffer_;
  bool pending_ = false;
  beast::error_code error_;
  std::optional<std::string> got_;
};

}  // namespace opentapi::http::testing

#endif  // OPENTAPI_HTTP_TESTING_TEST_CLIENTS_H_
