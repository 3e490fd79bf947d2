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
  // A buffer grown for one large frame is given back when little of it is
  // used: a thousand idle peers must not each keep a megabyte.
  if (buffer_.capacity() > kKeptCapacity && buffer_.size() + bytes.size() <= kKeptCapacity / 2) {
    std::string(buffer_).swap(buffer_);
  }
  // Before appending, check the prefix of the frame being received: the
  // bytes of a frame that will be refused are never buffered.
  if (refuse_oversize()) return;
  const std::size_t header_missing = buffered() < kFrameHeaderBytes ? kFrameHeaderBytes - buffered() : std::size_t{0};
  if (header_missing > 0 && bytes.size() > header_missing) {
    // Complete the prefix first, check it, then take the rest.
    buffer_.append(bytes.data(), header_missing);
    bytes.remove_prefix(header_missing);
    if (refuse_oversize()) return;
  }
  buffer_.append(bytes.data(), bytes.size());
}

bool FrameDecoder::refuse_oversize() {
  if (buffered() < kFrameHeaderBytes) return false;
  const std::uint32_t length = decode_fixed32(buffer_.data() + consumed_);
  if (length <= max_frame_bytes_) return false;
  failed_ = Status::kOversize;
  error_ = "frame of " + std::to_string(length) + " bytes exceeds the limit of " + std::to_string(max_frame_bytes_) +
           " bytes";
  std::string().swap(buffer_);
  consumed_ = 0;
  return true;
}

FrameDecoder::Status FrameDecoder::next(google::protobuf::MessageLite& message) {
  if (failed_ != Status::kNeedMore) return failed_;
  const std::size_t available = buffer_.size() - consumed_;
  if (available < kFrameHeaderBytes) return Status::kNeedMore;
  if (refuse_oversize()) return failed_;
  const std::uint32_t length = decode_fixed32(buffer_.data() + consumed_);
  if (available - kFrameHeaderBytes < length) return Status::kNeedMore;
  const char* body = buffer_.data() + consumed_ + kFrameHeaderBytes;
  consumed_ += kFrameHeaderBytes + length;
  message.Clear();
  if (!message.ParseFromArray(body, static_cast<int>(length))) {
    failed_ = Status::kMalformed;
    error_ = "frame of " + std::to_string(length) + " bytes does not parse as " + message.GetTypeName();
    std::string().swap(buffer_);
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
