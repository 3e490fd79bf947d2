// What one connection of opentapid has received and not yet handed on: the
// frame decoder with the limits of the connection's stage
// (docs/security.md "Before authentication"). Pure: no sockets; the fuzz
// target pre_auth_fuzz.cpp drives it exactly as connection.cpp does.
//
// Before the peer has authenticated, frames are at most
// `pre_auth_frame_bytes` and reads at most kPreAuthReadBytes, so an
// unauthenticated peer holds at most about their sum. After authenticated(),
// frames up to proto::kMaxFrameBytes and reads of kReadBytes.
#ifndef OPENTAPI_SERVER_FRAME_INTAKE_H
#define OPENTAPI_SERVER_FRAME_INTAKE_H

#include <cstddef>
#include <string>
#include <string_view>

#include "opentapi.pb.h"
#include "proto/framing.h"

namespace opentapi::server {

class FrameIntake {
 public:
  static constexpr std::size_t kPreAuthReadBytes = 4 * 1024;
  static constexpr std::size_t kReadBytes = 64 * 1024;

  explicit FrameIntake(std::size_t pre_auth_frame_bytes) : decoder_(pre_auth_frame_bytes) {}

  // How many bytes the owner should read next.
  std::size_t read_size() const { return authenticated_ ? kReadBytes : kPreAuthReadBytes; }

  // REQUIRES: bytes.size() <= read_size().
  void feed(std::string_view bytes) { decoder_.feed(bytes); }
  proto::FrameDecoder::Status next(wire::ClientToServer& message) { return decoder_.next(message); }
  const std::string& error() const { return decoder_.error(); }

  // The peer's Hello was accepted: lifts the limits.
  void authenticated() {
    authenticated_ = true;
    decoder_.set_max_frame_bytes(proto::kMaxFrameBytes);
  }
  bool is_authenticated() const { return authenticated_; }

  std::size_t buffered() const { return decoder_.buffered(); }
  std::size_t reserved() const { return decoder_.reserved(); }

 private:
  proto::FrameDecoder decoder_;
  bool authenticated_ = false;
};

}  // namespace opentapi::server

#endif  // OPENTAPI_SERVER_FRAME_INTAKE_H
