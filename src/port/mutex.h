// A mutex and its scoped lock that Clang's thread-safety analysis can see
// (port/thread_annotations.h). They add nothing at run time to std::mutex and
// std::unique_lock, which they wrap.
//
//   port::Mutex mu_;
//   int count_ GUARDED_BY(mu_);
//   void add() EXCLUDES(mu_) { port::MutexLock lock(mu_); ++count_; }
//
// A condition variable waits on lock.native() (a std::unique_lock): while it
// waits the mutex is released and taken again, which the analysis does not
// see; it treats the lock as held throughout, as the code after the wait may.
#ifndef OPENTAPI_PORT_MUTEX_H_
#define OPENTAPI_PORT_MUTEX_H_

#include <mutex>

#include "port/thread_annotations.h"

namespace opentapi::port {

class CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void lock() ACQUIRE() { mu_.lock(); }
  void unlock() RELEASE() { mu_.unlock(); }
  bool try_lock() TRY_ACQUIRE(true) { return mu_.try_lock(); }
  // Tells the analysis that the caller holds the lock, where it cannot see
  // it: in a callback documented to run with the lock held. Not checked at
  // run time (std::mutex does not know its owner).
  void assert_held() const ASSERT_CAPABILITY(this) {}

 private:
  friend class MutexLock;
  std::mutex mu_;
};

// Holds a Mutex from construction to destruction (std::lock_guard's role).
class SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex& mu) ACQUIRE(mu) : lock_(mu.mu_) {}
  ~MutexLock() RELEASE() {}
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

  // Gives the mutex up for a while (to call out without it) and takes it
  // back; the destructor releases only what is held.
  void unlock() RELEASE() { lock_.unlock(); }
  void lock() ACQUIRE() { lock_.lock(); }

  // For std::condition_variable::wait and friends only.
  std::unique_lock<std::mutex>& native() { return lock_; }

 private:
  std::unique_lock<std::mutex> lock_;
};

}  // namespace opentapi::port

#endif  // OPENTAPI_PORT_MUTEX_H_
