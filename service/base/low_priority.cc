// LowerThisThreadPriority: setpriority on the calling thread's id (Linux
// keeps a nice value per thread).
#include "service/base/low_priority.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace qantara {

bool LowerThisThreadPriority() {
  const auto tid = static_cast<id_t>(syscall(SYS_gettid));
  return setpriority(PRIO_PROCESS, tid, 19) == 0;
}

}  // namespace qantara
