// The write gate of a memory (storage/internal/write_gate.h): a writer
// waiting behind a slow (low-priority) reader lets other readers in, and a
// slow reader lets a waiting writer go first. With a plain writer lock the
// first case fails (the normal reader times out after 5 s).
#include "storage/internal/write_gate.h"

#include <atomic>
#include <memory>
#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "service/base/lock_wait.h"
#include "service/base/low_priority.h"

namespace qantara::storage::internal {
namespace {

// Waits (up to 5 s) until a writer waits at the gate.
bool WriterWaits(MemState& state) {
  const absl::Time give_up = absl::Now() + absl::Seconds(5);
  while (state.writers_waiting.load() == 0 && absl::Now() < give_up) absl::SleepFor(absl::Milliseconds(1));
  return state.writers_waiting.load() > 0;
}

std::shared_ptr<MemState> NewState() {
  MemoryRecord rec;
  rec.id = 1;
  return std::make_shared<MemState>(std::move(rec), std::make_shared<CacheBudget>(1 << 20));
}

TEST(WriteGateTest, WriterBehindSlowReaderLetsOtherReadersIn) {
  auto state = NewState();
  absl::Notification slow_holds, release_slow;
  std::thread slow([&] {
    LowerThisThreadPriority();
    SlowReaderMark mark(*state);
    absl::ReaderMutexLock r(&state->rw);
    slow_holds.Notify();
    release_slow.WaitForNotification();
  });
  slow_holds.WaitForNotification();
  EXPECT_EQ(state->slow_readers.load(), 1);
  std::atomic<bool> written{false};
  std::thread writer([&] {
    WriteLock w(*state);
    written = true;
  });
  EXPECT_TRUE(WriterWaits(*state));
  absl::SleepFor(absl::Milliseconds(50));  // past the writer's 5 ms of politeness
  // A normal reader gets in while the writer waits (a plain writer would
  // hold it until the slow reader is done: never, here).
  const bool got = state->rw.ReaderLockWhenWithTimeout(absl::Condition::kTrue, absl::Seconds(5));
  EXPECT_TRUE(got);
  if (got) state->rw.ReaderUnlock();
  EXPECT_FALSE(written.load());
  release_slow.Notify();
  slow.join();
  writer.join();
  EXPECT_TRUE(written.load());
  EXPECT_EQ(state->slow_readers.load(), 0);
  EXPECT_EQ(state->writers_waiting.load(), 0);
}

TEST(WriteGateTest, SlowReaderLetsWaitingWriterFirst) {
  auto state = NewState();
  std::atomic<int> order{0};
  int writer_at = 0, slow_at = 0;
  state->rw.ReaderLock();  // a normal reader holds the lock
  std::thread writer([&] {
    WriteLock w(*state);
    writer_at = ++order;
  });
  EXPECT_TRUE(WriterWaits(*state));
  std::thread slow([&] {
    LowerThisThreadPriority();
    SlowReaderMark mark(*state);  // waits for the writer (up to 2 s)
    absl::ReaderMutexLock r(&state->rw);
    slow_at = ++order;
  });
  absl::SleepFor(absl::Milliseconds(100));
  EXPECT_EQ(order.load(), 0);
  state->rw.ReaderUnlock();
  writer.join();
  slow.join();
  EXPECT_EQ(writer_at, 1);
  EXPECT_EQ(slow_at, 2);
}

TEST(WriteGateTest, NormalThreadsAreNotSlowReaders) {
  auto state = NewState();
  SlowReaderMark mark(*state);
  EXPECT_EQ(state->slow_readers.load(), 0);
  WriteLock w(*state);  // free: taken at once
  state->rw.AssertHeld();
}

// A writer's wait at the gate counts as the thread's lock wait (the slow
// call log says where a call's time went); a lock taken at once adds none.
TEST(WriteGateTest, AWritersWaitIsCountedAsItsLockWait) {
  auto state = NewState();
  int64_t free_wait = -1, held_wait = -1;
  std::thread first([&] {
    const int64_t before = ThisThreadLockWaitNanos();
    { WriteLock w(*state); }
    free_wait = ThisThreadLockWaitNanos() - before;
  });
  first.join();
  EXPECT_EQ(free_wait, 0);
  state->rw.ReaderLock();  // a normal reader holds the lock for 60 ms
  std::thread writer([&] {
    const int64_t before = ThisThreadLockWaitNanos();
    { WriteLock w(*state); }
    held_wait = ThisThreadLockWaitNanos() - before;
  });
  ASSERT_TRUE(WriterWaits(*state));
  absl::SleepFor(absl::Milliseconds(60));
  state->rw.ReaderUnlock();
  writer.join();
  EXPECT_GE(held_wait, 50'000'000);
  EXPECT_LT(held_wait, 5'000'000'000);
}

}  // namespace
}  // namespace qantara::storage::internal
