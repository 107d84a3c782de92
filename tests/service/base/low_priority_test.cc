// RunAtLowPriority: the work runs on another thread at nice 19, returns its
// value, and the caller's own priority is left as it was.
#include "service/base/low_priority.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "gtest/gtest.h"

namespace qantara {
namespace {

long ThreadId() { return syscall(SYS_gettid); }

int NiceOf(long tid) {
  errno = 0;
  return getpriority(PRIO_PROCESS, static_cast<id_t>(tid));
}

TEST(LowPriorityTest, RunsAtNice19OnAnotherThreadAndReturnsTheValue) {
  const long caller = ThreadId();
  const int before = NiceOf(caller);
  long worker = 0;
  int worker_nice = -100;
  std::string out = RunAtLowPriority([&] {
    worker = ThreadId();
    worker_nice = NiceOf(worker);
    return std::string("done");
  });
  EXPECT_EQ(out, "done");
  EXPECT_NE(worker, caller);
  EXPECT_EQ(worker_nice, 19);
  EXPECT_EQ(NiceOf(caller), before);  // the caller keeps its priority

  bool ran = false;
  const uint64_t threads = LowPriorityThreadsStarted();
  RunAtLowPriority([&] { ran = true; });  // void work
  EXPECT_TRUE(ran);
  EXPECT_EQ(LowPriorityThreadsStarted(), threads + 1);  // one thread a call
}

}  // namespace
}  // namespace qantara
