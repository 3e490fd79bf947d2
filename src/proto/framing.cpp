#include "proto/framing.h"

#include <google/protobuf/message_lite.h>

#include "layout/coding.h"

namespace opentapi::proto {

using layout::decode_fixed32;
using layout::encode_fixed32;

bool append_frame(std::string& out, const google::protobuf::MessageLite& message) {
  const std::size_t body = message.ByteSizeLong();
  if (body > kMaxFrameBytes) return false;
  const std::size_t start = out.size();
  out.resize(start + kFrameHeaderBytes + body);
  encode_fixed32(out.data() + start, static_cast<std::uint32_t>(body));
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
  const std::uint32_t length = decode_fixed32(buffer_.data() + consumed_);
  if (length > max_frame_bytes_) {
    failed_ = Status::kOversize;
    error_ = "frame of " + std::to_string(length) + " bytes exceeds the limit of " + std::to_string(max_frame_bytes_) +
             " bytes";
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
    case FrameDecoder::Status::kMessage:
      return "message";
    case FrameDecoder::Status::kNeedMore:
      return "need-more";
    case FrameDecoder::Status::kOversize:
      return "oversize";
    case FrameDecoder::Status::kMalformed:
      return "malformed";
  }
  return "unknown";
}

}  // namespace opentapi::proto
