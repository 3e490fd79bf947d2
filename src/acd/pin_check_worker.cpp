#include "acd/pin_check_worker.h"

#include <utility>

namespace opentapi::acd {

PinCheckWorker::PinCheckWorker(secrets::SecretVerifier& verifier) : verifier_(verifier) {
  thread_ = std::thread([this] { run(); });
}

PinCheckWorker::~PinCheckWorker() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    queue_.clear();
  }
  cv_.notify_all();
  thread_.join();
}

bool PinCheckWorker::submit(std::string stored, std::string presented, std::function<void()> done) {
  {
    std::lock_guard lock(mu_);
    if (stopping_ || queue_.size() >= kMaxQueued) {
      ++refused_;
      return false;
    }
    queue_.push_back(Check{std::move(stored), std::move(presented), std::move(done)});
  }
  cv_.notify_one();
  return true;
}

std::uint64_t PinCheckWorker::refused() const {
  std::lock_guard lock(mu_);
  return refused_;
}

void PinCheckWorker::run() {
  for (;;) {
    Check check;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      check = std::move(queue_.front());
      queue_.pop_front();
    }
    (void)verifier_.verify(check.stored, check.presented);  // remembered by the verifier when right
    check.done();
  }
}

}  // namespace opentapi::acd
