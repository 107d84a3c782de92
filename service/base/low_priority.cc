// LowerThisThreadPriority: setpriority and sched_setscheduler on the calling
// thread's id (Linux keeps a nice value and a policy per thread; any thread
// may lower its own); ThisThreadCpuNanos: CLOCK_THREAD_CPUTIME_ID.
#include "service/base/low_priority.h"

#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <atomic>

namespace qantara {

namespace {
thread_local bool low_priority = false;
std::atomic<LowPriorityPolicy> policy{LowPriorityPolicy::kNice19};
}  // namespace

void SetLowPriorityPolicy(LowPriorityPolicy p) { policy.store(p, std::memory_order_relaxed); }

LowPriorityPolicy GetLowPriorityPolicy() { return policy.load(std::memory_order_relaxed); }

bool LowerThisThreadPriority() {
  const auto tid = static_cast<pid_t>(syscall(SYS_gettid));
  low_priority = true;
  bool ok = setpriority(PRIO_PROCESS, static_cast<id_t>(tid), 19) == 0;
  if (GetLowPriorityPolicy() == LowPriorityPolicy::kIdle) {
    sched_param param{};
    param.sched_priority = 0;
    ok = sched_setscheduler(tid, SCHED_IDLE, &param) == 0 && ok;
  }
  return ok;
}

bool ThisThreadIsLowPriority() { return low_priority; }

int64_t ThisThreadCpuNanos() {
  timespec ts{};
  if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0) return 0;
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

}  // namespace qantara
