// RunAtLowPriority: runs a piece of CPU-heavy work on a thread of its own at
// the lowest CPU priority (nice 19 or SCHED_IDLE), and waits for it. On a busy machine the
// kernel then gives the cores to every other thread first: cheap lookups of
// other clients keep their latency while an alignment, an exhaustive scan,
// a concordance or a client's SRX rules take what is left (issue 15). The
// work still runs at full speed on an idle machine.
//
// Why a new thread a call: a thread may raise its own nice value but not
// lower it again without CAP_SYS_NICE, so a gRPC handler thread cannot be
// lent to heavy work and given back; the heavy calls are few (admission
// control bounds them), so the thread's start (tens of microseconds) does
// not count.
#ifndef QANTARA_SERVICE_BASE_LOW_PRIORITY_H_
#define QANTARA_SERVICE_BASE_LOW_PRIORITY_H_

#include <atomic>
#include <cstdint>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>

#include "service/base/lock_wait.h"

namespace qantara {

// How LowerThisThreadPriority lowers a thread's priority (process-wide; the
// server sets it from --low-priority before it serves).
//  kNice19: nice 19. The kernel gives such a thread about 1.5% of a core
//    that normal threads want, but a waking normal thread may still wait for
//    the end of its time slice.
//  kIdle: SCHED_IDLE (and nice 19). A waking normal thread preempts it at
//    once, and the kernel counts a core running only such threads as idle
//    when it places a waking thread; but it gets a fifth of what nice 19
//    gets of a core others want. The soak measured no difference (issue 15),
//    so kNice19 is the default.
enum class LowPriorityPolicy { kNice19, kIdle };
void SetLowPriorityPolicy(LowPriorityPolicy policy);
LowPriorityPolicy GetLowPriorityPolicy();

// Lowers the calling thread's CPU priority as the policy says (best effort:
// false when the system refused).
bool LowerThisThreadPriority();

// Whether the calling thread lowered its priority (LowerThisThreadPriority,
// RunAtLowPriority's threads): locks it would hold for long on a busy machine
// let others go first (storage/internal/write_gate.h).
bool ThisThreadIsLowPriority();

// CPU time the calling thread has used, in nanoseconds.
int64_t ThisThreadCpuNanos();

namespace low_priority_internal {
inline std::atomic<uint64_t> threads_started{0};
// CPU time threads of RunAtLowPriority used for the calling thread (added
// when each returns), so a call's CPU time can be charged to its caller.
inline thread_local int64_t cpu_nanos_elsewhere = 0;
}  // namespace low_priority_internal

// CPU time the calling thread has used, with the time RunAtLowPriority's
// threads used for it: the difference of two readings is what the work in
// between cost, wherever it ran.
inline int64_t ThisThreadCpuNanosWithHelpers() {
  return ThisThreadCpuNanos() + low_priority_internal::cpu_nanos_elsewhere;
}

// Threads RunAtLowPriority has started in this process (for tests: one a
// call).
inline uint64_t LowPriorityThreadsStarted() {
  return low_priority_internal::threads_started.load(std::memory_order_relaxed);
}

namespace low_priority_internal {
// body() on a new thread at low priority, waited for; its CPU time and lock
// waits are added to the caller's.
template <typename Body>
void RunOnLowPriorityThread(Body&& body) {
  threads_started.fetch_add(1, std::memory_order_relaxed);
  int64_t used = 0, waited = 0;
  std::thread t([&body, &used, &waited] {
    LowerThisThreadPriority();
    body();
    used = ThisThreadCpuNanos();
    waited = ThisThreadLockWaitNanos();
  });
  t.join();
  cpu_nanos_elsewhere += used;
  AddThisThreadLockWait(waited);
}
}  // namespace low_priority_internal

// fn() on a thread at low priority; returns what it returns. fn must not throw.
template <typename Fn>
auto RunAtLowPriority(Fn&& fn) -> std::invoke_result_t<Fn&> {
  using R = std::invoke_result_t<Fn&>;
  if constexpr (std::is_void_v<R>) {
    low_priority_internal::RunOnLowPriorityThread([&fn] { fn(); });
  } else {
    std::optional<R> out;
    low_priority_internal::RunOnLowPriorityThread([&fn, &out] { out.emplace(fn()); });
    return *std::move(out);
  }
}

}  // namespace qantara

#endif  // QANTARA_SERVICE_BASE_LOW_PRIORITY_H_
