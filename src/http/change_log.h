// The last changes of the board, so a client that reconnects with ?after=SEQ
// gets what it missed instead of a new snapshot (docs/http.md "WebSocket
// /events"). Every change is recorded as the ACD gave it; its WebSocket
// frame is made the first time someone needs it (a connected /events client,
// or a resume) and then kept, so a server nobody watches serialises nothing
// (docs/performance.md "Issue 14, continued"). Not thread-safe: the HTTP
// thread owns it.
#ifndef OPENTAPI_HTTP_CHANGE_LOG_H_
#define OPENTAPI_HTTP_CHANGE_LOG_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "acd/supervision.h"

namespace opentapi::http {

class ChangeLog {
 public:
  using Frame = std::shared_ptr<const std::string>;
  // Makes the frame of one change; called at most once per recorded change.
  using Serialise = std::function<std::string(const acd::BoardChange&)>;
  static constexpr std::size_t kDefaultCapacity = 4096;

  explicit ChangeLog(Serialise serialise, std::size_t capacity = kDefaultCapacity)
      : serialise_(std::move(serialise)), capacity_(capacity) {}

  // Forgets every change: the log follows on from the board of `seq` (the
  // next change is seq + 1).
  void reset(std::uint64_t seq);

  // Records `change` (its seq). A change at or below last_seq() is ignored
  // (false); one that leaves a gap after last_seq() starts the log afresh
  // from it, since nothing before it can be resumed any more.
  bool append(acd::BoardChange change);

  // The newest change recorded (or the seq given to reset()).
  std::uint64_t last_seq() const { return last_seq_; }

  // The frame of the newest change recorded. REQUIRES: size() > 0.
  Frame newest_frame();

  // The frames of every change after `after`, oldest first, if the log
  // still holds all of them (empty when after == last_seq()); nullopt when
  // some are gone or `after` is beyond last_seq().
  std::optional<std::vector<Frame>> since(std::uint64_t after);

  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    acd::BoardChange change;
    Frame frame;  // null until first needed
  };
  Frame frame_of(Entry& entry);

  Serialise serialise_;
  std::size_t capacity_;
  std::uint64_t last_seq_ = 0;
  std::deque<Entry> entries_;  // seqs last_seq_ - size + 1 … last_seq_
};

}  // namespace opentapi::http

#endif  // OPENTAPI_HTTP_CHANGE_LOG_H_
