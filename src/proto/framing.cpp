#include "proto/framing.h"

#include <google/protobuf/message_lite.h>

namespace opentapi::proto {
namespace {

void put_u32_le(char* out, std::uint32_t v) {
  out[0] = static_cast<char>(v & 0xFFu);
  out[1] = static_cast<char>((v >> 8) & 0xFFu);
  out[2] = static_cast<char>((v >> 16) & 0xFFu);
  out[3] = static_cast<char>((v >> 24) & 0xFFu);
}

std::uint32_t get_u32_le(const char* in) {
  const auto b = [in](int i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(in[i])); };
  return b(0) | (b(1) << 8) | (b(2) << 16) | (b(3) << 24);
}

}  // namespace

bool append_frame(std::string& out, const google::protobuf::MessageLite& message) {
  const std::size_t body = message.ByteSizeLong();
  if (body > kMaxFrameBytes) return false;
  const std::size_t start = out.size();
  out.resize(start + kFrameHeaderBytes + body);
  put_u32_le(out.data() + start, static_cast<std::uint32_t>(body));
  auto* dst = reinterpret_cast<std::uint8_t*>(out.data() + start + kFrameHeaderBytes);
  // ByteSizeLong() cached the sizes; serialize without recomputing them.
  message.SerializeWithCachedSizesToArray(dst);
  return true;
}

std::string encode_frame(const google::protobuf::MessageLite& message) {
  std::string out;
  append_frame(out, message);
  return out;
}

FrameDecoder::FrameDecoder(std::size_t max_frame_bytes) : max_frame_bytes_(max_frame_bytes) {}

void FrameDecoder::feed(std::string_view bytes) {
  if (failed_ != Status::kNeedMore) return;
  // Drop what was decoded before growing, so the buffer stays near one frame.
  if (consumed_ > 0 && (consumed_ == buffer_.size() || consumed_ >= buffer_.size() / 2)) {
    buffer_.erase(0, consumed_);
    consumed_ = 0;
  }
  buffer_.append(bytes.data(), bytes.size());
}

FrameDecoder::Status FrameDecoder::next(google::protobuf::MessageLite& message) {
  if (failed_ != Status::kNeedMore) return failed_;
  const std::size_t available = buffer_.size() - consumed_;
  if (available < kFrameHeaderBytes) return Status::kNeedMore;
  const std::uint32_t length = get_u32_le(buffer_.data() + consumed_);
  if (length > max_frame_bytes_) {
    failed_ = Status::kOversize;
    error_ = "frame of " + std::to_string(length) + " bytes exceeds the limit of " +
             std::to_string(max_frame_bytes_) + " bytes";
    buffer_.clear();
    consumed_ = 0;
    return failed_;
  }
  if (available - kFrameHeaderBytes < length) return Status::kNeedMore;
  const char* body = buffer_.data() + consumed_ + kFrameHeaderBytes;
  consumed_ += kFrameHeaderBytes + length;
  message.Clear();
  if (!message.ParseFromArray(body, static_cast<int>(length))) {
    failed_ = Status::kMalformed;
    error_ = "frame of " + std::to_string(length) + " bytes does not parse as " + message.GetTypeName();
    buffer_.clear();
    consumed_ = 0;
    return failed_;
  }
  return Status::kMessage;
}

const char* to_string(FrameDecoder::Status status) {
  switch (status) {
    case FrameDecoder::Status::kMessage: return "message";
    case FrameDecoder::Status::kNeedMore: return "need-more";
    case FrameDecoder::Status::kOversize: return "oversize";
    case FrameDecoder::Status::kMalformed: return "malformed";
  }
  return "unknown";
}

}  // namespace opentapi::proto
