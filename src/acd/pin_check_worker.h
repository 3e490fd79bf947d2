// Where the virtual ACD makes the slow (Argon2id) check of a hashed PIN: a
// thread of its own, so that a flood of wrong PINs never holds the model
// thread, which routes every call (docs/security.md "Secrets at rest").
//
// The model thread hands over a request whose PIN only a slow check can
// answer (CallCenter::slow_pin_check); the worker verifies it — the shared
// SecretVerifier then knows the answer — and calls `done`, which posts the
// request back to the model thread. The queue is bounded: a request that
// finds it full is answered LINEERR_RESOURCEUNAVAIL at once.
//
// Threads: submit() from any thread; `done` runs on the worker thread.
#ifndef OPENTAPI_ACD_PIN_CHECK_WORKER_H_
#define OPENTAPI_ACD_PIN_CHECK_WORKER_H_

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "secrets/stored_secret.h"

namespace opentapi::acd {

class PinCheckWorker {
 public:
  // Checks waiting at most (each costs tens of milliseconds: 64 are a few
  // seconds of work).
  static constexpr std::size_t kMaxQueued = 64;

  // `verifier` is not owned and must outlive the worker.
  explicit PinCheckWorker(secrets::SecretVerifier& verifier);
  // Finishes the check in progress; the queued ones are dropped (their
  // requests die with the stopping ACD's lines).
  ~PinCheckWorker();
  PinCheckWorker(const PinCheckWorker&) = delete;
  PinCheckWorker& operator=(const PinCheckWorker&) = delete;

  // Queues a check of `presented` against hash `stored`; false (and `done`
  // is never called) when kMaxQueued checks are waiting.
  bool submit(std::string stored, std::string presented, std::function<void()> done);

  std::uint64_t refused() const;  // submits refused because the queue was full

 private:
  struct Check {
    std::string stored;
    std::string presented;
    std::function<void()> done;
  };
  void run();

  secrets::SecretVerifier& verifier_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Check> queue_;
  bool stopping_ = false;
  std::uint64_t refused_ = 0;
  std::thread thread_;
};

}  // namespace opentapi::acd

#endif  // OPENTAPI_ACD_PIN_CHECK_WORKER_H_
