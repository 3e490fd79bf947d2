// A raw client of opentapid for process-level tests: bytes and hand-built
// frames out, frames in, over a UNIX socket or loopback TCP, with no client
// library in between (so a test can send what libopentapi never would).
#ifndef OPENTAPI_TESTS_SUPPORT_WIRE_PEER_H_
#define OPENTAPI_TESTS_SUPPORT_WIRE_PEER_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "opentapi.pb.h"
#include "proto/framing.h"

namespace opentapi::test_support {

class WirePeer {
 public:
  // Takes `fd` (-1: not connected, ok() false).
  explicit WirePeer(int fd) : fd_(fd) {}
  WirePeer(WirePeer&& o) noexcept;
  WirePeer& operator=(WirePeer&& o) noexcept;
  ~WirePeer();

  // Connected peers, or ones with ok() false if nothing accepts.
  static WirePeer unix_socket(const std::string& path);
  static WirePeer tcp_loopback(std::uint16_t port);

  bool ok() const { return fd_ >= 0; }

  // Sends all of `bytes`, waiting as needed; false if the connection broke.
  bool send_bytes(const std::string& bytes);
  // Sends what the socket takes without waiting (the peer may have closed).
  std::size_t send_some(const std::string& bytes);
  // One frame; false if it could not all be sent.
  bool send(const wire::ClientToServer& message);

  // The next frame; nullopt on EOF (*eof set), after `timeout`, or for an
  // undecodable frame (decode_error() says why).
  std::optional<wire::ServerToClient> read(std::chrono::milliseconds timeout = std::chrono::seconds(10),
                                           bool* eof = nullptr);
  const std::string& decode_error() const { return decoder_.error(); }

  // Everything until EOF or `timeout`, unframed (an HTTP answer).
  std::string read_raw(std::chrono::milliseconds timeout);

  // Reads and drops everything until EOF: true, or false after `timeout`.
  bool closed_within(std::chrono::milliseconds timeout);

 private:
  int fd_;
  proto::FrameDecoder decoder_;
};

}  // namespace opentapi::test_support

#endif  // OPENTAPI_TESTS_SUPPORT_WIRE_PEER_H_
