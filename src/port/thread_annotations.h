// Clang's thread-safety annotations (-Wthread-safety): which mutex guards a
// member, which a function needs held or must not hold. The compiler checks
// them under Clang; under other compilers they expand to nothing.
//
// Use with port::Mutex and port::MutexLock (port/mutex.h): libstdc++'s
// std::mutex and std::lock_guard carry no annotations, so the analysis cannot
// see them. Names and meanings follow Clang's documentation
// ("Thread Safety Analysis") and leveldb's port/thread_annotations.h.
#ifndef OPENTAPI_PORT_THREAD_ANNOTATIONS_H_
#define OPENTAPI_PORT_THREAD_ANNOTATIONS_H_

#if defined(__clang__)
#define OPENTAPI_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define OPENTAPI_THREAD_ANNOTATION(x)
#endif

// A class that is a lock (a mutex).
#define CAPABILITY(name) OPENTAPI_THREAD_ANNOTATION(capability(name))
// An RAII class that holds a lock for its lifetime.
#define SCOPED_CAPABILITY OPENTAPI_THREAD_ANNOTATION(scoped_lockable)
// A member read and written only with `mu` held.
#define GUARDED_BY(mu) OPENTAPI_THREAD_ANNOTATION(guarded_by(mu))
// A pointer member whose pointee is read and written only with `mu` held.
#define PT_GUARDED_BY(mu) OPENTAPI_THREAD_ANNOTATION(pt_guarded_by(mu))
// Lock order: this lock is taken after / before those (checked with
// -Wthread-safety-beta only).
#define ACQUIRED_AFTER(...) OPENTAPI_THREAD_ANNOTATION(acquired_after(__VA_ARGS__))
#define ACQUIRED_BEFORE(...) OPENTAPI_THREAD_ANNOTATION(acquired_before(__VA_ARGS__))
// The caller must hold these locks.
#define REQUIRES(...) OPENTAPI_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
// The caller must not hold these locks (the function takes them).
#define EXCLUDES(...) OPENTAPI_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
// The function takes / releases the lock (or, on a lock class, itself).
#define ACQUIRE(...) OPENTAPI_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define RELEASE(...) OPENTAPI_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define TRY_ACQUIRE(...) OPENTAPI_THREAD_ANNOTATION(try_acquire_capability(__VA_ARGS__))
// The function returns a reference to this lock (an accessor).
#define RETURN_CAPABILITY(mu) OPENTAPI_THREAD_ANNOTATION(lock_returned(mu))
// Checked at run time, trusted by the analysis from here on.
#define ASSERT_CAPABILITY(mu) OPENTAPI_THREAD_ANNOTATION(assert_capability(mu))
// Turns the analysis off for one function; say why beside it.
#define NO_THREAD_SAFETY_ANALYSIS OPENTAPI_THREAD_ANNOTATION(no_thread_safety_analysis)

#endif  // OPENTAPI_PORT_THREAD_ANNOTATIONS_H_
