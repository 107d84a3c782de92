// The write gate of a memory: who goes first on MemState::rw. PRIVATE to
// storage/.
//
// A reader holds `rw` shared for a whole lookup, and absl::Mutex lets no new
// reader in while a writer waits for it. So one slow reader (a lookup at nice
// 19: a client over its CPU share, an exhaustive scan, a concordance; on a
// busy machine it runs in the cores' leftovers, seconds for threshold-1
// lookups) held every other lookup of its memory behind the first writer that
// came (an honest AddUnits of 10 units): the honest lookups' tail of the
// issue-15 soak (p99 280-550 ms).
//
// The gate's order: readers at normal priority first, then writers, then
// slow readers. A writer (WriteLock) first waits without blocking anyone:
// it tries the lock, sleeping between tries (20 us doubling to 1 ms), as
// long as a slow reader holds the lock (slow readers end: their calls have
// deadlines and limits) and then 5 ms more; only then does it wait like a
// plain writer, behind the normal readers present (short lookups), blocking
// new ones. A slow reader (SlowReaderMark, taken before `rw` shared) waits
// while a writer waits, up to 2 s, so that writers are not starved by a
// stream of them. Threads that lowered their priority are the slow readers
// (ThisThreadIsLowPriority, service/base/low_priority.h).
#ifndef QANTARA_STORAGE_INTERNAL_WRITE_GATE_H_
#define QANTARA_STORAGE_INTERNAL_WRITE_GATE_H_

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "storage/internal/memory_state.h"

namespace qantara::storage::internal {

// Holds state.rw exclusively for its scope, taken as the gate says.
class ABSL_SCOPED_LOCKABLE WriteLock {
 public:
  explicit WriteLock(MemState& state) ABSL_EXCLUSIVE_LOCK_FUNCTION(state.rw);
  ~WriteLock() ABSL_UNLOCK_FUNCTION();
  WriteLock(const WriteLock&) = delete;
  WriteLock& operator=(const WriteLock&) = delete;

 private:
  absl::Mutex& mu_;
};

// Constructed before a reader takes state.rw shared, destroyed after it let
// go: on a low-priority thread, waits for waiting writers (up to 2 s) and
// counts the reader as slow while it lives; elsewhere, nothing.
class SlowReaderMark {
 public:
  explicit SlowReaderMark(MemState& state);
  ~SlowReaderMark();
  SlowReaderMark(const SlowReaderMark&) = delete;
  SlowReaderMark& operator=(const SlowReaderMark&) = delete;

 private:
  MemState* slow_ = nullptr;  // set when counted
};

}  // namespace qantara::storage::internal

#endif  // QANTARA_STORAGE_INTERNAL_WRITE_GATE_H_
