#include "proto/framing.h"

#include <gtest/gtest.h>

#include <string>

#include "opentapi.pb.h"

namespace opentapi::proto {
namespace {

using Status = FrameDecoder::Status;

wire::ClientToServer hello(std::uint32_t seq) {
  wire::ClientToServer m;
  m.set_seq(seq);
  m.mutable_hello()->set_protocol_version(kProtocolVersion);
  m.mutable_hello()->set_app_name("agent desk");
  return m;
}

std::string header(std::uint32_t n) {
  std::string h(4, '\0');
  h[0] = static_cast<char>(n & 0xFF);
  h[1] = static_cast<char>((n >> 8) & 0xFF);
  h[2] = static_cast<char>((n >> 16) & 0xFF);
  h[3] = static_cast<char>((n >> 24) & 0xFF);
  return h;
}

TEST(Framing, PrefixIsLittleEndianBodyLength) {
  const auto m = hello(7);
  const std::string frame = encode_frame(m);
  ASSERT_EQ(frame.size(), 4 + m.ByteSizeLong());
  EXPECT_EQ(frame.substr(0, 4), header(static_cast<std::uint32_t>(m.ByteSizeLong())));
  EXPECT_EQ(frame.substr(4), m.SerializeAsString());
}

TEST(Framing, EmptyMessageIsAFrameOfLengthZero) {
  wire::ClientToServer empty;
  EXPECT_EQ(encode_frame(empty), header(0));
}

TEST(Framing, AppendRefusesMessagesOverTheLimitAndLeavesOutputAlone) {
  wire::ServerToClient big;
  big.mutable_reply()->set_output(std::string(kMaxFrameBytes, 'x'));
  std::string out = "keep";
  EXPECT_FALSE(append_frame(out, big));
  EXPECT_EQ(out, "keep");
  EXPECT_TRUE(encode_frame(big).empty());
}

TEST(FrameDecoder, DecodesFramesFedOneByteAtATime) {
  std::string stream = encode_frame(hello(1)) + encode_frame(hello(2));
  FrameDecoder d;
  wire::ClientToServer m;
  std::vector<std::uint32_t> seqs;
  for (char c : stream) {
    d.feed(std::string_view(&c, 1));
    for (;;) {
      const Status s = d.next(m);
      if (s != Status::kMessage) {
        ASSERT_EQ(s, Status::kNeedMore);
        break;
      }
      seqs.push_back(m.seq());
      EXPECT_EQ(m.hello().app_name(), "agent desk");
    }
  }
  EXPECT_EQ(seqs, (std::vector<std::uint32_t>{1, 2}));
  EXPECT_EQ(d.buffered(), 0u);
}

TEST(FrameDecoder, DecodesSeveralFramesFromOneFeed) {
  FrameDecoder d;
  d.feed(encode_frame(hello(1)) + encode_frame(hello(2)) + encode_frame(hello(3)).substr(0, 5));
  wire::ClientToServer m;
  ASSERT_EQ(d.next(m), Status::kMessage);
  EXPECT_EQ(m.seq(), 1u);
  ASSERT_EQ(d.next(m), Status::kMessage);
  EXPECT_EQ(m.seq(), 2u);
  EXPECT_EQ(d.next(m), Status::kNeedMore);
  EXPECT_EQ(d.buffered(), 5u);
}

TEST(FrameDecoder, ZeroLengthFrameIsAnEmptyMessage) {
  FrameDecoder d;
  d.feed(header(0));
  wire::ClientToServer m;
  m.set_seq(9);
  ASSERT_EQ(d.next(m), Status::kMessage);
  EXPECT_EQ(m.seq(), 0u);
  EXPECT_EQ(m.body_case(), wire::ClientToServer::BODY_NOT_SET);
}

TEST(FrameDecoder, OversizePrefixFailsBeforeTheBodyArrives) {
  FrameDecoder d;
  d.feed(header(static_cast<std::uint32_t>(kMaxFrameBytes + 1)));
  wire::ClientToServer m;
  EXPECT_EQ(d.next(m), Status::kOversize);
  EXPECT_NE(d.error().find("exceeds the limit"), std::string::npos);
}

TEST(FrameDecoder, FrameOfExactlyTheLimitIsAccepted) {
  wire::ServerToClient big;
  // Fill the body so that it is exactly kMaxFrameBytes long.
  big.mutable_reply()->set_output(std::string(kMaxFrameBytes - 10, 'x'));
  const std::size_t over = big.ByteSizeLong() - (kMaxFrameBytes - 10);
  big.mutable_reply()->set_output(std::string(kMaxFrameBytes - over, 'x'));
  ASSERT_EQ(big.ByteSizeLong(), kMaxFrameBytes);
  FrameDecoder d;
  d.feed(encode_frame(big));
  wire::ServerToClient m;
  ASSERT_EQ(d.next(m), Status::kMessage);
  EXPECT_EQ(m.reply().output().size(), kMaxFrameBytes - over);
}

TEST(FrameDecoder, SmallerConfiguredLimitApplies) {
  FrameDecoder d(16);
  d.feed(encode_frame(hello(1)));
  wire::ClientToServer m;
  EXPECT_EQ(d.next(m), Status::kOversize);
}

TEST(FrameDecoder, GarbageBodyIsMalformedAndErrorsAreSticky) {
  FrameDecoder d;
  // Field 2 (hello) as a length-delimited field claiming 100 bytes, but only 1 follows.
  d.feed(header(3) + std::string("\x12\x64\x00", 3));
  wire::ClientToServer m;
  EXPECT_EQ(d.next(m), Status::kMalformed);
  EXPECT_NE(d.error().find("opentapi.wire.ClientToServer"), std::string::npos);
  d.feed(encode_frame(hello(1)));
  EXPECT_EQ(d.next(m), Status::kMalformed);
  EXPECT_EQ(d.buffered(), 0u);
}

TEST(FrameDecoder, InvalidUtf8InAStringFieldIsMalformed) {
  wire::ClientToServer bad;
  bad.mutable_hello()->set_app_name("x");
  std::string body = bad.SerializeAsString();
  body.back() = '\xff';  // the one-byte app name becomes invalid UTF-8
  FrameDecoder d;
  d.feed(header(static_cast<std::uint32_t>(body.size())) + body);
  wire::ClientToServer m;
  EXPECT_EQ(d.next(m), Status::kMalformed);
}

TEST(FrameDecoder, UnknownFieldsAreTolerated) {
  // Field 15, varint 1: a newer peer's optional field.
  std::string body = hello(4).SerializeAsString() + std::string("\x78\x01", 2);
  FrameDecoder d;
  d.feed(header(static_cast<std::uint32_t>(body.size())) + body);
  wire::ClientToServer m;
  ASSERT_EQ(d.next(m), Status::kMessage);
  EXPECT_EQ(m.seq(), 4u);
}

// docs/security.md "Before authentication": the bytes of a frame that will be
// refused are never buffered, whatever arrives in the same read.
TEST(FrameDecoder, OversizePrefixIsRefusedBeforeItsBodyIsBuffered) {
  FrameDecoder d(16 * 1024);
  d.feed(header(1024 * 1024) + std::string(60 * 1024, '\0'));
  EXPECT_EQ(d.buffered(), 0u);
  EXPECT_LE(d.reserved(), 64u) << "nothing kept after the refusal";
  wire::ClientToServer m;
  EXPECT_EQ(d.next(m), Status::kOversize);
  EXPECT_NE(d.error().find("exceeds the limit of 16384 bytes"), std::string::npos) << d.error();
}

TEST(FrameDecoder, RaisedLimitAppliesToTheNextFrame) {
  FrameDecoder d(16);
  d.set_max_frame_bytes(kMaxFrameBytes);
  d.feed(encode_frame(hello(1)));
  wire::ClientToServer m;
  EXPECT_EQ(d.next(m), Status::kMessage);
}

TEST(FrameDecoder, GivesBackTheMemoryOfALargeFrame) {
  wire::ServerToClient big;
  big.mutable_reply()->set_output(std::string(900 * 1024, 'x'));
  FrameDecoder d;
  d.feed(encode_frame(big));
  wire::ServerToClient m;
  ASSERT_EQ(d.next(m), Status::kMessage);
  EXPECT_GE(d.reserved(), 900u * 1024);
  // The next small read releases the large buffer.
  d.feed(encode_frame(hello(2)).substr(0, 3));
  EXPECT_LE(d.reserved(), FrameDecoder::kKeptCapacity);
  EXPECT_EQ(d.buffered(), 3u);
}

}  // namespace
}  // namespace opentapi::proto
