// The last changes of the board as ready-to-send WebSocket frames, so a
// client that reconnects with ?after=SEQ gets what it missed instead of a
// new snapshot (docs/http.md "WebSocket /events"). Not thread-safe: the HTTP
// thread owns it.
#ifndef OPENTAPI_HTTP_CHANGE_LOG_H_
#define OPENTAPI_HTTP_CHANGE_LOG_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace opentapi::http {

class ChangeLog {
 public:
  using Frame = std::shared_ptr<const std::string>;
  static constexpr std::size_t kDefaultCapacity = 4096;

  explicit ChangeLog(std::size_t capacity = kDefaultCapacity) : capacity_(capacity) {}

  // Forgets every frame: the log follows on from the board of `seq` (the next
  // change is seq + 1).
  void reset(std::uint64_t seq);

  // Records change `seq`. A change at or below last_seq() is ignored
  // (false); one that leaves a gap after last_seq() starts the log afresh
  // from it, since nothing before it can be resumed any more.
  bool append(std::uint64_t seq, Frame frame);

  // The newest change recorded (or the seq given to reset()).
  std::uint64_t last_seq() const { return last_seq_; }

  // Every frame after `after`, oldest first, if the log still holds all of
  // them (empty when after == last_seq()); nullopt when some are gone or
  // `after` is beyond last_seq().
  std::optional<std::vector<Frame>> since(std::uint64_t after) const;

  std::size_t size() const { return frames_.size(); }

 private:
  std::size_t capacity_;
  std::uint64_t last_seq_ = 0;
  std::deque<Frame> frames_;  // seqs last_seq_ - size + 1 … last_seq_
};

}  // namespace opentapi::http

#endif  // OPENTAPI_HTTP_CHANGE_LOG_H_
