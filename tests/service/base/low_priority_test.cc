// RunAtLowPriority: the work runs on another thread at nice 19 (and
// SCHED_IDLE under the idle policy), returns its value, and the caller's own
// priority is left as it was.
#include "service/base/low_priority.h"

#include <sched.h>
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

// The policy chooses the scheduler of the work's thread; the caller's stays.
TEST(LowPriorityTest, TheIdlePolicyRunsTheWorkUnderSchedIdleAndNiceDoesNot) {
  const LowPriorityPolicy before = GetLowPriorityPolicy();
  EXPECT_EQ(before, LowPriorityPolicy::kNice19);  // the default
  const int caller_policy = sched_getscheduler(0);
  int idle_policy = -1, nice_policy = -1, nice_value = -100;
  RunAtLowPriority([&] {
    nice_policy = sched_getscheduler(static_cast<pid_t>(ThreadId()));
    nice_value = NiceOf(ThreadId());
  });
  SetLowPriorityPolicy(LowPriorityPolicy::kIdle);
  RunAtLowPriority([&] { idle_policy = sched_getscheduler(static_cast<pid_t>(ThreadId())); });
  SetLowPriorityPolicy(before);
  EXPECT_EQ(idle_policy, SCHED_IDLE);
  EXPECT_EQ(nice_policy, SCHED_OTHER);
  EXPECT_EQ(nice_value, 19);
  EXPECT_EQ(sched_getscheduler(0), caller_policy);
}

}  // namespace
}  // namespace qantara
