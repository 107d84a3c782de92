// Lock waits of a call: time the calling thread spent waiting for a memory's
// locks (storage's read lock and write gate) and read snapshot, in
// nanoseconds, so the edge can say where a slow call's time went (the slow
// call log, service/rpc/slow_calls.h). RunAtLowPriority adds its helper
// thread's waits to the caller's, as it does CPU time.
#ifndef QANTARA_SERVICE_BASE_LOCK_WAIT_H_
#define QANTARA_SERVICE_BASE_LOCK_WAIT_H_

#include <chrono>
#include <cstdint>

namespace qantara {

namespace lock_wait_internal {
inline thread_local int64_t nanos = 0;
}  // namespace lock_wait_internal

// A steady clock's reading in nanoseconds (to time a wait).
inline int64_t MonotonicNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Adds a wait of the calling thread.
inline void AddThisThreadLockWait(int64_t nanos) { lock_wait_internal::nanos += nanos; }

// The calling thread's lock waits so far: the difference of two readings is
// what a call waited in between.
inline int64_t ThisThreadLockWaitNanos() { return lock_wait_internal::nanos; }

}  // namespace qantara

#endif  // QANTARA_SERVICE_BASE_LOCK_WAIT_H_
