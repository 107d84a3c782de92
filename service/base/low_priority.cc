// LowerThisThreadPriority: setpriority on the calling thread's id (Linux
// keeps a nice value per thread); ThisThreadCpuNanos: CLOCK_THREAD_CPUTIME_ID.
#include "service/base/low_priority.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

namespace qantara {

namespace {
thread_local bool low_priority = false;
}  // namespace

bool LowerThisThreadPriority() {
  const auto tid = static_cast<id_t>(syscall(SYS_gettid));
  low_priority = true;
  return setpriority(PRIO_PROCESS, tid, 19) == 0;
}

bool ThisThreadIsLowPriority() { return low_priority; }

int64_t ThisThreadCpuNanos() {
  timespec ts{};
  if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0) return 0;
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

}  // namespace qantara
