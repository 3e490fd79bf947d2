// Framing of the opentapi wire protocol: how one ClientToServer or
// ServerToClient message travels on a byte stream (see opentapi.proto).
//
// A frame is a 4-byte little-endian body length N followed by N bytes of one
// serialized message. N is at most kMaxFrameBytes. Everything here is pure: no
// sockets, no threads, no clocks — the I/O layers of opentapid and libopentapi
// feed bytes in and write bytes out.
//
// The server address helpers (default_server_address, parse_server_address)
// live in address.h, included here so one include gives the whole contract.
#ifndef OPENTAPI_PROTO_FRAMING_H
#define OPENTAPI_PROTO_FRAMING_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "proto/address.h"

namespace google::protobuf {
class MessageLite;
}

namespace opentapi::proto {

// Bumped on any incompatible change of opentapi.proto; Hello carries it and the
// server refuses any other value.
inline constexpr std::uint32_t kProtocolVersion = 1;

// Largest frame body either side sends or accepts. A larger length prefix
// closes the connection (FrameDecoder reports kOversize).
inline constexpr std::size_t kMaxFrameBytes = 1024 * 1024;

// Bytes of the length prefix.
inline constexpr std::size_t kFrameHeaderBytes = 4;

// Largest opaque blob (AgentRequest.payload, ProxyResponse.output) the server
// forwards. The forwarded message adds envelope fields (client machine and
// user, ids) to the blob, so blobs are capped below kMaxFrameBytes to keep
// every forwarded frame within the limit. Larger blobs are refused with
// LINEERR_INVALPARAM; the library may check this before sending.
inline constexpr std::size_t kMaxPayloadBytes = kMaxFrameBytes - 16 * 1024;

// Appends one frame holding `message` to `out`. Returns false, leaving `out`
// unchanged, if the serialized message is larger than kMaxFrameBytes.
bool append_frame(std::string& out, const google::protobuf::MessageLite& message);

// One frame holding `message`; empty if it exceeds kMaxFrameBytes (a valid
// frame is never empty: it has at least the 4-byte prefix).
std::string encode_frame(const google::protobuf::MessageLite& message);

// Splits a byte stream into messages, incrementally: feed() whatever arrived,
// then call next() until it stops returning kMessage.
//
// Errors are sticky: after kOversize or kMalformed the stream cannot be
// resynchronised, so every later next() returns the same error and the owner
// should close the connection. Memory is bounded: the decoder never buffers
// more than one frame plus what was fed since (the owner bounds each feed).
// A length prefix is checked as soon as its 4 bytes are in, so an oversize
// frame is refused before its body is buffered; nothing is reserved from a
// length prefix; and a buffer grown for a large frame is given back once that
// frame is decoded.
class FrameDecoder {
 public:
  enum class Status {
    kMessage,    // `message` holds the next message
    kNeedMore,   // no complete frame buffered yet
    kOversize,   // a length prefix exceeded the limit
    kMalformed,  // a complete frame did not parse as the expected message
  };

  explicit FrameDecoder(std::size_t max_frame_bytes = kMaxFrameBytes);

  // Changes the largest frame accepted from now on (a connection lifts its
  // pre-authentication limit once the peer has authenticated). A frame whose
  // prefix was already checked is checked again by the next next().
  void set_max_frame_bytes(std::size_t max_frame_bytes) { max_frame_bytes_ = max_frame_bytes; }
  std::size_t max_frame_bytes() const { return max_frame_bytes_; }

  // Appends bytes read from the stream. Bytes fed after an error are ignored.
  void feed(std::string_view bytes);

  // Decodes the next buffered frame into `message` (cleared first).
  Status next(google::protobuf::MessageLite& message);

  // After an error: what went wrong, for logs and Error.text.
  const std::string& error() const { return error_; }

  // Bytes buffered and not yet decoded.
  std::size_t buffered() const { return buffer_.size() - consumed_; }

  // Bytes of memory the buffer holds (its capacity), for the tests of the
  // bounds above.
  std::size_t reserved() const { return buffer_.capacity(); }

  // Capacity kept after a frame is decoded; more is given back.
  static constexpr std::size_t kKeptCapacity = 64 * 1024;

 private:
  // Marks the stream oversize if the pending frame's prefix is complete and
  // above the limit. Returns true if it did.
  bool refuse_oversize();

  std::size_t max_frame_bytes_;
  std::string buffer_;
  std::size_t consumed_ = 0;
  Status failed_ = Status::kNeedMore;  // kNeedMore = no error yet
  std::string error_;
};

const char* to_string(FrameDecoder::Status status);

}  // namespace opentapi::proto

#endif  // OPENTAPI_PROTO_FRAMING_H
