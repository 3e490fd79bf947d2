// libFuzzer target: arbitrary bytes arriving on one connection of opentapid.
//
// The bytes go through FrameDecoder, and every decoded message goes through
// the Switchboard exactly as the I/O layer would pass it. Properties checked:
//  - the decoder never crashes, never buffers more than a frame plus a chunk;
//  - a decoded message re-encodes into a frame that decodes again;
//  - whatever the fuzzed connection sends, the other connections (a proxy and
//    a client that are mid-conversation) are never closed, and the fuzzed one
//    is closed after an oversize/malformed frame, with an Error sent first;
//  - the Switchboard stays consistent: after everyone disconnects nothing is
//    left in flight, and no call is left in the switch.
//
// The client bystander also has line 1 open as owner and monitor, so calls
// the fuzzed connection makes reach another application.
//
// Input layout: byte 0 selects options (bit 0: prepend a valid Hello so the
// fuzzer explores the post-handshake protocol; bits 1-3: feed chunk size),
// the rest is the byte stream.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "opentapi.pb.h"
#include "proto/framing.h"
#include "server/switchboard.h"

namespace {

using opentapi::proto::FrameDecoder;
using opentapi::proto::kProtocolVersion;
using opentapi::server::ConnectionId;
namespace wire = opentapi::wire;

constexpr ConnectionId kProxy = 1;
constexpr ConnectionId kClient = 2;
constexpr ConnectionId kFuzzed = 3;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "property violated: %s\n", what);
  std::abort();
}

struct RecordingOutbox final : opentapi::server::Outbox {
  bool closed[4] = {};
  bool error_before_close[4] = {};
  bool error_sent[4] = {};
  void send(ConnectionId to, const wire::ServerToClient& m) override {
    if (to >= 4) fail("message to an unknown connection");
    if (closed[to]) fail("message after close");
    if (m.has_error()) error_sent[to] = true;
    // Every frame the server sends must fit in a frame.
    if (m.ByteSizeLong() > opentapi::proto::kMaxFrameBytes) fail("server message exceeds the frame limit");
  }
  void close(ConnectionId conn, std::string_view) override {
    if (conn >= 4) fail("close of an unknown connection");
    if (closed[conn]) fail("closed twice");
    closed[conn] = true;
    error_before_close[conn] = error_sent[conn];
  }
};

wire::ClientToServer hello() {
  wire::ClientToServer m;
  m.set_seq(1);
  auto* h = m.mutable_hello();
  h->set_protocol_version(kProtocolVersion);
  h->set_app_name("fuzz");
  return m;
}

// With OPENTAPI_FUZZ_WRITE_SEEDS=DIR, writes a seed corpus of valid
// conversations into DIR and exits (cmake/run_fuzz_test.sh uses it).
void write_seeds(const char* dir) {
  auto frame = [](const wire::ClientToServer& m) { return opentapi::proto::encode_frame(m); };
  auto msg = [](std::uint32_t seq) {
    wire::ClientToServer m;
    m.set_seq(seq);
    return m;
  };
  wire::ClientToServer negotiate = msg(2);
  negotiate.mutable_negotiate()->set_device_id(1);
  negotiate.mutable_negotiate()->set_low(0x00020000);
  negotiate.mutable_negotiate()->set_high(0x00030001);
  wire::ClientToServer proxy_open = msg(3);
  proxy_open.mutable_open()->set_device_id(1);
  proxy_open.mutable_open()->set_api_version(0x00030001);
  proxy_open.mutable_open()->set_privileges(0x40000001);
  for (std::uint32_t t = 9; t <= 0x14; ++t) proxy_open.mutable_open()->add_proxy_request_types(t);
  wire::ClientToServer client_open = msg(4);
  client_open.mutable_open()->set_device_id(0);
  client_open.mutable_open()->set_api_version(0x00020002);
  client_open.mutable_open()->set_privileges(0x00000001);
  client_open.mutable_open()->set_callback_instance(42);
  wire::ClientToServer request = msg(5);
  request.mutable_request()->set_hline(1);
  request.mutable_request()->set_request_type(0x0E);
  request.mutable_request()->set_payload("payload");
  wire::ClientToServer caps = msg(6);
  caps.mutable_request()->set_device_id(1);
  caps.mutable_request()->set_request_type(4);
  caps.mutable_request()->set_app_api_version(0x00030001);
  wire::ClientToServer response = msg(7);
  response.mutable_proxy_response()->set_hline(1);
  response.mutable_proxy_response()->set_proxy_request_id(1);
  response.mutable_proxy_response()->set_output("out");
  wire::ClientToServer status = msg(8);
  status.mutable_proxy_message()->set_hline(1);
  status.mutable_proxy_message()->set_msg(27);
  status.mutable_proxy_message()->set_param1(5);
  wire::ClientToServer get_status = msg(9);
  get_status.mutable_get_proxy_status()->set_device_id(1);
  get_status.mutable_get_proxy_status()->set_app_api_version(0x00030000);
  wire::ClientToServer close = msg(10);
  close.mutable_close()->set_hline(1);
  wire::ClientToServer shutdown = msg(11);
  shutdown.mutable_shutdown();
  wire::ClientToServer tcp_hello = hello();
  tcp_hello.mutable_hello()->set_token("secret");
  // Calls: an owner open of line 0, a call to line 1 (2002), its control and queries.
  wire::ClientToServer owner_open = msg(12);
  owner_open.mutable_open()->set_device_id(0);
  owner_open.mutable_open()->set_api_version(0x00030001);
  owner_open.mutable_open()->set_privileges(0x00000006);  // OWNER | MONITOR
  owner_open.mutable_open()->set_media_modes(0x00000004);
  wire::ClientToServer make_call = msg(13);
  make_call.mutable_make_call()->set_hline(1);
  make_call.mutable_make_call()->set_destination("2002");
  make_call.mutable_make_call()->mutable_params()->set_call_data("data");
  wire::ClientToServer hold = msg(14);
  hold.mutable_call_control()->set_hcall(1);
  hold.mutable_call_control()->set_op(wire::CallControl::HOLD);
  wire::ClientToServer drop = msg(15);
  drop.mutable_call_control()->set_hcall(1);
  drop.mutable_call_control()->set_op(wire::CallControl::DROP);
  wire::ClientToServer deallocate = msg(16);
  deallocate.mutable_call_control()->set_hcall(1);
  deallocate.mutable_call_control()->set_op(wire::CallControl::DEALLOCATE);
  wire::ClientToServer info = msg(17);
  info.mutable_get_call_info()->set_hcall(1);
  wire::ClientToServer dev_caps = msg(18);
  dev_caps.mutable_get_dev_caps()->set_device_id(1);
  dev_caps.mutable_get_dev_caps()->set_api_version(0x00030001);
  wire::ClientToServer new_calls = msg(19);
  new_calls.mutable_get_new_calls()->set_hline(1);
  new_calls.mutable_get_new_calls()->set_select(1);
  wire::ClientToServer status_messages = msg(20);
  status_messages.mutable_set_status_messages()->set_hline(1);
  status_messages.mutable_set_status_messages()->set_line_states(0x800);
  status_messages.mutable_set_status_messages()->set_address_states(0x2C);

  const std::vector<std::string> seeds = {
      std::string("\x01") + frame(negotiate) + frame(proxy_open) + frame(status) + frame(get_status) + frame(close) +
          frame(shutdown),
      std::string("\x00") + frame(hello()) + frame(client_open) + frame(request) + frame(caps),
      std::string("\x03") + frame(proxy_open) + frame(request) + frame(response) + frame(response),
      std::string("\x01") + frame(client_open) + frame(request) + frame(close),
      std::string("\x00") + std::string("\x05\x00\x00\x00garbage", 9),
      std::string("\x10") + frame(tcp_hello) + frame(negotiate),
      std::string("\x0d") + frame(request),
      std::string("\x01") + std::string("\xff\xff\xff\x7f", 4),
      std::string("\x01") + frame(owner_open) + frame(status_messages) + frame(make_call) + frame(info) + frame(hold) +
          frame(drop) + frame(deallocate) + frame(new_calls),
      std::string("\x01") + frame(owner_open) + frame(make_call) + frame(dev_caps) + frame(close),
  };
  for (std::size_t i = 0; i < seeds.size(); ++i) {
    const std::string path = std::string(dir) + "/seed-" + std::to_string(i);
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr) fail("cannot write a seed file");
    std::fwrite(seeds[i].data(), 1, seeds[i].size(), f);
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
  const std::uint8_t options = data[0];
  const std::string_view stream(reinterpret_cast<const char*>(data + 1), size - 1);
  static constexpr std::size_t kChunks[] = {1, 2, 3, 7, 16, 64, 4096, 1u << 20};
  const std::size_t chunk = kChunks[(options >> 1) & 7];

  RecordingOutbox outbox;
  opentapi::server::SwitchboardConfig config;
  config.devices = opentapi::server::LineDevices::uniform(2, 1);
  config.max_outstanding_requests = 64;
  config.first_request_id = 0x7FFFFFF0;  // the wrap is reachable
  opentapi::server::Switchboard board(config, outbox);

  // A proxy serving every type on line 0 and a client with it open and a
  // request in flight: bystanders the fuzzed connection may interact with.
  board.connect(kProxy, {"acd", opentapi::server::Transport::kUnix});
  board.receive(kProxy, hello());
  wire::ClientToServer open;
  open.set_seq(2);
  open.mutable_open()->set_device_id(0);
  open.mutable_open()->set_api_version(0x00030001);
  open.mutable_open()->set_privileges(0x40000001);  // NONE | PROXY
  for (std::uint32_t t = 1; t <= 0x14; ++t) open.mutable_open()->add_proxy_request_types(t);
  board.receive(kProxy, open);
  board.connect(kClient, {"agent", opentapi::server::Transport::kUnix});
  board.receive(kClient, hello());
  open.mutable_open()->set_privileges(0x00000001);
  board.receive(kClient, open);
  wire::ClientToServer request;
  request.set_seq(3);
  request.mutable_request()->set_hline(1);
  request.mutable_request()->set_request_type(0x0E);
  board.receive(kClient, request);
  wire::ClientToServer owner_open;
  owner_open.set_seq(4);
  owner_open.mutable_open()->set_device_id(1);
  owner_open.mutable_open()->set_api_version(0x00030001);
  owner_open.mutable_open()->set_privileges(0x00000006);  // OWNER | MONITOR
  owner_open.mutable_open()->set_media_modes(0x00000004);
  board.receive(kClient, owner_open);

  board.connect(kFuzzed,
                {"fuzz", (options & 0x10) ? opentapi::server::Transport::kTcp : opentapi::server::Transport::kUnix});
  std::string bytes;
  if (options & 1) bytes = opentapi::proto::encode_frame(hello());
  bytes.append(stream);

  FrameDecoder decoder;
  wire::ClientToServer message;
  bool failed = false;
  for (std::size_t at = 0; at < bytes.size() && !failed && !outbox.closed[kFuzzed]; at += chunk) {
    decoder.feed(std::string_view(bytes).substr(at, chunk));
    if (decoder.buffered() > opentapi::proto::kMaxFrameBytes + opentapi::proto::kFrameHeaderBytes + chunk) {
      fail("decoder buffers more than a frame and a chunk");
    }
    for (;;) {
      const FrameDecoder::Status s = decoder.next(message);
      if (s == FrameDecoder::Status::kNeedMore) break;
      if (s != FrameDecoder::Status::kMessage) {
        if (decoder.error().empty()) fail("decoder error without a message");
        board.receive_malformed(kFuzzed, decoder.error());
        if (!outbox.closed[kFuzzed] || !outbox.error_before_close[kFuzzed]) {
          fail("undecodable frame did not close the connection with an Error");
        }
        failed = true;
        break;
      }
      // Round trip: what was decoded encodes into a frame that decodes again.
      const std::string again = opentapi::proto::encode_frame(message);
      FrameDecoder check;
      check.feed(again);
      wire::ClientToServer copy;
      if (check.next(copy) != FrameDecoder::Status::kMessage) fail("re-encoded message does not decode");
      board.receive(kFuzzed, message);
      if (outbox.closed[kFuzzed]) break;
    }
  }
  if (outbox.closed[kProxy] || outbox.closed[kClient]) fail("a bystander connection was closed");

  board.disconnect(kFuzzed, "fuzz input ended");
  board.disconnect(kClient, "end");
  board.disconnect(kProxy, "end");
  if (board.connections() != 0 || board.requests_in_flight() != 0) fail("state left after every disconnect");
  if (board.calls().size() != 0) fail("a call left after every disconnect");
  return 0;
}
