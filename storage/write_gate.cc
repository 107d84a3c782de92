// WriteLock and SlowReaderMark (storage/internal/write_gate.h).
#include "storage/internal/write_gate.h"

#include <algorithm>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "service/base/lock_wait.h"
#include "service/base/low_priority.h"

namespace qantara::storage::internal {
namespace {

// How long a writer keeps trying politely once no slow reader holds the lock.
constexpr absl::Duration kPoliteAfterSlowReaders = absl::Milliseconds(5);
// How long a slow reader lets waiting writers go first.
constexpr absl::Duration kSlowReaderYield = absl::Seconds(2);

}  // namespace

WriteLock::WriteLock(MemState& state) ABSL_NO_THREAD_SAFETY_ANALYSIS : mu_(state.rw) {
  if (mu_.TryLock()) return;
  const int64_t wait_start = MonotonicNanos();
  state.writers_waiting.fetch_add(1, std::memory_order_acq_rel);
  absl::Time polite_until = absl::Now() + kPoliteAfterSlowReaders;
  absl::Duration pause = absl::Microseconds(20);
  for (;;) {
    absl::SleepFor(pause);
    pause = std::min(pause * 2, absl::Milliseconds(1));
    if (mu_.TryLock()) break;
    const absl::Time now = absl::Now();
    if (state.slow_readers.load(std::memory_order_acquire) > 0) {
      polite_until = now + kPoliteAfterSlowReaders;
    } else if (now >= polite_until) {
      mu_.Lock();  // behind the normal readers present only
      break;
    }
  }
  state.writers_waiting.fetch_sub(1, std::memory_order_acq_rel);
  AddThisThreadLockWait(MonotonicNanos() - wait_start);
}

WriteLock::~WriteLock() ABSL_NO_THREAD_SAFETY_ANALYSIS { mu_.Unlock(); }

SlowReaderMark::SlowReaderMark(MemState& state) {
  if (!ThisThreadIsLowPriority()) return;
  const absl::Time give_up = absl::Now() + kSlowReaderYield;
  while (state.writers_waiting.load(std::memory_order_acquire) > 0 && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  state.slow_readers.fetch_add(1, std::memory_order_acq_rel);
  slow_ = &state;
}

SlowReaderMark::~SlowReaderMark() {
  if (slow_ != nullptr) slow_->slow_readers.fetch_sub(1, std::memory_order_acq_rel);
}

}  // namespace qantara::storage::internal
