// Admission pools (service/tm/admission.h): slots, a bounded FIFO queue, the
// wait limit, cancellation while queued, and refusals that name the limit.
#include "service/tm/admission.h"

#include <atomic>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace qantara::tm {
namespace {

using ::qantara::testing::StatusIs;
using ::testing::HasSubstr;

AdmissionPool::Options Opts(size_t slots, size_t queue, absl::Duration wait) {
  AdmissionPool::Options o;
  o.name = "heavy calls";
  o.flag = "--max-heavy-calls";
  o.slots = slots;
  o.queue = queue;
  o.max_wait = wait;
  return o;
}

TEST(AdmissionTest, SlotsAreHeldUntilTheTicketGoes) {
  AdmissionPool pool(Opts(2, 0, absl::Seconds(1)));
  auto a = pool.Admit("Align");
  auto b = pool.Admit("Align");
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE(a->holds_slot());
  EXPECT_EQ(pool.stats().running, 2u);
  // No queue: the third is refused at once, naming the call, the limit and its flag.
  EXPECT_THAT(
      pool.Admit("Concordance").status(),
      StatusIs(absl::StatusCode::kResourceExhausted,
               HasSubstr("Concordance: too many heavy calls (2 at once (--max-heavy-calls), 0 waiting)")));
  a->Release();
  EXPECT_FALSE(a->holds_slot());
  EXPECT_EQ(pool.stats().running, 1u);
  auto c = pool.Admit("Export");
  EXPECT_TRUE(c.ok());
  {
    AdmissionPool::Ticket moved = *std::move(c);
    EXPECT_EQ(pool.stats().running, 2u);
  }
  EXPECT_EQ(pool.stats().running, 1u);
  EXPECT_EQ(pool.stats().admitted, 3u);
  EXPECT_EQ(pool.stats().refused, 1u);
}

TEST(AdmissionTest, AQueuedCallRunsWhenASlotFrees) {
  AdmissionPool pool(Opts(1, 4, absl::Seconds(30)));
  auto first = pool.Admit("Align");
  ASSERT_TRUE(first.ok());
  std::atomic<bool> admitted{false};
  std::thread waiter([&] {
    auto t = pool.Admit("Align");
    admitted = t.ok();
  });
  while (pool.stats().queued == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_FALSE(admitted.load());
  first->Release();
  waiter.join();
  EXPECT_TRUE(admitted.load());
  EXPECT_EQ(pool.stats().max_queued, 1u);
  EXPECT_EQ(pool.stats().running, 0u);
}

TEST(AdmissionTest, QueuedCallsAreServedInOrder) {
  AdmissionPool pool(Opts(1, 8, absl::Seconds(30)));
  auto hold = pool.Admit("x");
  ASSERT_TRUE(hold.ok());
  std::vector<int> order;
  absl::Mutex mu;
  std::vector<std::thread> threads;
  for (int i = 0; i < 5; ++i) {
    threads.emplace_back([&, i] {
      auto t = pool.Admit("x");
      ASSERT_TRUE(t.ok());
      absl::MutexLock lock(&mu);
      order.push_back(i);
    });
    // Each one queued before the next starts.
    while (pool.stats().queued < static_cast<size_t>(i + 1)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  hold->Release();
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST(AdmissionTest, AFullQueueIsRefusedAtOnce) {
  AdmissionPool pool(Opts(1, 1, absl::Seconds(30)));
  auto hold = pool.Admit("x");
  ASSERT_TRUE(hold.ok());
  std::thread waiter([&] { (void)pool.Admit("x"); });
  while (pool.stats().queued == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const absl::Time t0 = absl::Now();
  EXPECT_THAT(pool.Admit("Align").status(),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("1 waiting")));
  EXPECT_LT(absl::Now() - t0, absl::Seconds(5));
  hold->Release();
  waiter.join();
}

TEST(AdmissionTest, AWaitPastTheLimitIsRefused) {
  AdmissionPool pool(Opts(1, 4, absl::Milliseconds(50)));
  auto hold = pool.Admit("x");
  ASSERT_TRUE(hold.ok());
  EXPECT_THAT(pool.Admit("Align").status(),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("waited 50ms for a slot")));
  EXPECT_EQ(pool.stats().queued, 0u);
  hold->Release();
  EXPECT_TRUE(pool.Admit("Align").ok());
}

TEST(AdmissionTest, ACancelledWaiterLeavesTheQueue) {
  AdmissionPool pool(Opts(1, 4, absl::Seconds(30)));
  auto hold = pool.Admit("x");
  ASSERT_TRUE(hold.ok());
  std::atomic<bool> cancel{false};
  absl::Status result;
  std::thread waiter([&] { result = pool.Admit("Align", [&] { return cancel.load(); }).status(); });
  while (pool.stats().queued == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  cancel = true;
  waiter.join();
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kCancelled, HasSubstr("Align")));
  EXPECT_EQ(pool.stats().queued, 0u);
  // A waiter behind a cancelled one is not blocked by it.
  hold->Release();
  EXPECT_TRUE(pool.Admit("x").ok());
}

TEST(AdmissionTest, ManyThreadsNeverExceedTheSlots) {
  AdmissionPool pool(Opts(3, 64, absl::Seconds(30)));
  std::atomic<int> inside{0}, most{0}, done{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&] {
      for (int k = 0; k < 50; ++k) {
        auto t = pool.Admit("x");
        ASSERT_TRUE(t.ok());
        const int now = ++inside;
        int m = most.load();
        while (now > m && !most.compare_exchange_weak(m, now)) {
        }
        std::this_thread::sleep_for(std::chrono::microseconds(100));
        --inside;
        ++done;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(done.load(), 16 * 50);
  EXPECT_LE(most.load(), 3);
  EXPECT_EQ(pool.stats().max_running, 3u);
  EXPECT_EQ(pool.stats().refused, 0u);
}

}  // namespace
}  // namespace qantara::tm
