// The owner's wake-up call to the standbys' event-log readers (docs/ha.md
// "Warm standbys"): after a write transaction committed, a NOTIFY on the
// call center's channel whose payload is only the seq reached — never the
// events themselves (a payload is capped at 8000 bytes, notifications are
// lost when the database fails over, and a NOTIFY in the write transaction
// would serialise every commit on the server's notification queue lock).
//
// It runs outside the write path: on a connection and a thread of its own,
// after the commit, coalescing (only the newest seq is sent, one NOTIFY at
// a time), so a commit never waits for it and a lost or slow notification
// delays nothing but a reader, which also polls.
//
// Internal to store/postgres.
#ifndef OPENTAPI_STORE_POSTGRES_COMMIT_NOTIFIER_H_
#define OPENTAPI_STORE_POSTGRES_COMMIT_NOTIFIER_H_

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace opentapi::store::postgres {

// The channel of a call center's notifications: "opentapi_" and 16 hex
// digits of a hash of its name (a channel is an identifier of at most 63
// bytes; a call center's name may be 64 bytes of anything).
std::string change_channel(std::string_view call_center);

class CommitNotifier {
 public:
  CommitNotifier(std::string conninfo, std::string call_center, int connect_timeout_s);
  ~CommitNotifier();
  CommitNotifier(const CommitNotifier&) = delete;
  CommitNotifier& operator=(const CommitNotifier&) = delete;

  // A transaction reaching `seq` committed (every commit, also one without
  // events: its records changed). Returns at once.
  void committed(std::uint64_t seq);

 private:
  void run();

  const std::string conninfo_;
  const std::string channel_;
  const int connect_timeout_s_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::uint64_t pending_ = 0;  // commits noted
  std::uint64_t sent_ = 0;     // commits whose NOTIFY was sent (or given up)
  std::uint64_t seq_ = 0;      // the newest seq noted
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace opentapi::store::postgres

#endif  // OPENTAPI_STORE_POSTGRES_COMMIT_NOTIFIER_H_
