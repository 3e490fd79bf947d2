// libFuzzer target: arbitrary bytes from a peer that has not authenticated
// yet, on a TCP connection of opentapid (docs/security.md "Before
// authentication").
//
// The bytes go through FrameIntake in reads of at most its read_size(), and
// every decoded message through the Switchboard, exactly as connection.cpp
// and server.cpp pass them (authenticated() once the Switchboard has accepted
// the Hello). Properties checked:
//  - before authentication, at most a pre-authentication frame plus one read
//    is buffered, and the buffer's memory stays within twice that (nothing
//    is reserved from a length prefix);
//  - the peer is authenticated only by a Hello carrying the token, and
//    nothing but Error or Welcome is sent to it before;
//  - an oversize or malformed frame closes it, with an Error sent first;
//  - a bystander (an authenticated client with a line open) is never closed,
//    and nothing is left after everyone disconnects.
//
// Input layout: byte 0 selects the read size (bits 0-2, capped at
// read_size()), the rest is the byte stream.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "opentapi.pb.h"
#include "proto/framing.h"
#include "server/frame_intake.h"
#include "server/switchboard.h"

namespace {

using opentapi::proto::FrameDecoder;
using opentapi::server::ConnectionId;
namespace wire = opentapi::wire;

constexpr ConnectionId kBystander = 1;
constexpr ConnectionId kPeer = 2;
constexpr std::size_t kPreAuthFrame = 16 * 1024;
constexpr const char* kToken = "s3cret";

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "property violated: %s\n", what);
  std::abort();
}

struct Outbox final : opentapi::server::Outbox {
  bool closed[3] = {};
  bool error_sent[3] = {};
  bool welcomed = false;
  const opentapi::server::FrameIntake* peer_intake = nullptr;
  void send(ConnectionId to, const wire::ServerToClient& m) override {
    if (to == 0 || to >= 3) fail("message to an unknown connection");
    if (closed[to]) fail("message after close");
    if (m.has_error()) error_sent[to] = true;
    if (to == kPeer && m.has_welcome()) welcomed = true;
    if (to == kPeer && !welcomed && !m.has_error()) fail("an unauthenticated peer was sent more than Error/Welcome");
  }
  void close(ConnectionId conn, std::string_view) override {
    if (conn == 0 || conn >= 3) fail("close of an unknown connection");
    if (closed[conn]) fail("closed twice");
    closed[conn] = true;
  }
};

wire::ClientToServer hello(const std::string& token) {
  wire::ClientToServer m;
  m.set_seq(1);
  m.mutable_hello()->set_protocol_version(opentapi::proto::kProtocolVersion);
  m.mutable_hello()->set_app_name("fuzz");
  m.mutable_hello()->set_token(token);
  return m;
}

void write_seeds(const char* dir) {
  auto frame = [](const wire::ClientToServer& m) { return opentapi::proto::encode_frame(m); };
  wire::ClientToServer open;
  open.set_seq(2);
  open.mutable_open()->set_device_id(0);
  open.mutable_open()->set_api_version(0x00030001);
  open.mutable_open()->set_privileges(1);
  const std::string big_prefix("\x00\x00\x10\x00", 4);  // 1 MiB
  const std::string seeds[] = {
      std::string("\x07") + frame(hello(kToken)) + frame(open),
      std::string("\x03") + frame(hello("wrong")),
      std::string("\x07") + big_prefix + std::string(200, '\0'),
      std::string("\x01") + frame(open) + frame(hello(kToken)),
      std::string("\x07") + frame(hello(kToken)) + big_prefix + std::string(100, 'x'),
      std::string("\x05") + std::string("\x00\x40\x00\x00", 4) + std::string(300, 'y'),  // 16 KiB, incomplete
  };
  int i = 0;
  for (const std::string& s : seeds) {
    const std::string path = std::string(dir) + "/seed-" + std::to_string(i++);
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr) fail("cannot write a seed file");
    std::fwrite(s.data(), 1, s.size(), f);
    std::fclose(f);
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* dir = std::getenv("OPENTAPI_FUZZ_WRITE_SEEDS")) {
    write_seeds(dir);
    std::exit(0);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static constexpr std::size_t kReads[] = {1, 3, 4, 5, 17, 512, 4096, 65536};
  const std::size_t wanted = kReads[data[0] & 7];
  std::string_view stream(reinterpret_cast<const char*>(data + 1), size - 1);

  Outbox outbox;
  opentapi::server::SwitchboardConfig config;
  config.devices = opentapi::server::LineDevices::uniform(2, 1);
  config.tcp_token = kToken;
  opentapi::server::Switchboard board(config, outbox);
  board.connect(kBystander, {"agent", opentapi::server::Transport::kUnix});
  board.receive(kBystander, hello(""));
  wire::ClientToServer open;
  open.set_seq(2);
  open.mutable_open()->set_device_id(0);
  open.mutable_open()->set_api_version(0x00030001);
  open.mutable_open()->set_privileges(1);
  board.receive(kBystander, open);

  board.connect(kPeer, {"tcp:192.0.2.1:4000", opentapi::server::Transport::kTcp});
  opentapi::server::FrameIntake intake(kPreAuthFrame);
  wire::ClientToServer message;
  bool presented_token = false;
  while (!stream.empty() && !outbox.closed[kPeer]) {
    const std::size_t n = std::min({wanted, intake.read_size(), stream.size()});
    intake.feed(stream.substr(0, n));
    stream.remove_prefix(n);
    if (!intake.is_authenticated()) {
      if (intake.buffered() > kPreAuthFrame + opentapi::proto::kFrameHeaderBytes + intake.read_size()) {
        fail("an unauthenticated peer has more than a frame and a read buffered");
      }
      if (intake.reserved() > 2 * (kPreAuthFrame + opentapi::proto::kFrameHeaderBytes + intake.read_size())) {
        fail("an unauthenticated peer holds more memory than its bound");
      }
    }
    for (;;) {
      const FrameDecoder::Status s = intake.next(message);
      if (s == FrameDecoder::Status::kNeedMore) break;
      if (s != FrameDecoder::Status::kMessage) {
        board.receive_malformed(kPeer, intake.error());
        if (!outbox.closed[kPeer] || !outbox.error_sent[kPeer]) fail("a bad frame did not close with an Error");
        break;
      }
      if (!intake.is_authenticated() && message.has_hello() && message.hello().token() == kToken) {
        presented_token = true;
      }
      board.receive(kPeer, message);
      // server.cpp: lift the limits once the Hello is accepted.
      if (!intake.is_authenticated() && board.is_ready(kPeer)) {
        if (!presented_token) fail("authenticated without the token");
        intake.authenticated();
      }
      if (outbox.closed[kPeer]) break;
    }
  }
  if (outbox.welcomed != intake.is_authenticated()) fail("Welcome and authentication disagree");
  if (outbox.closed[kBystander]) fail("the bystander was closed");
  board.disconnect(kPeer, "fuzz input ended");
  board.disconnect(kBystander, "end");
  if (board.connections() != 0 || board.requests_in_flight() != 0) fail("state left after every disconnect");
  return 0;
}
