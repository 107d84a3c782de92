// tm::RateLimiter: per-token budgets of calls and units, refilled with time
// (times are given, so nothing here depends on the clock).
#include "service/tm/rate_limits.h"

#include <cmath>

#include "gtest/gtest.h"

namespace qantara::tm {
namespace {

const absl::Time t0 = absl::FromUnixSeconds(1700000000);

TEST(RateLimiterTest, CallsRefillAtTheirRate) {
  RateLimitOptions o;
  o.reader = {10, 0};
  o.burst_seconds = 2;  // 20 calls at once
  RateLimiter limiter(o);
  const Principal alice{"alice", Role::kReader, {"*"}};
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(limiter.Admit(alice, t0).ok()) << i;
  absl::Status over = limiter.Admit(alice, t0);
  EXPECT_EQ(over.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(over.message().find("token 'alice' is over its limit of 10 calls a second (reader)"),
            std::string::npos)
      << over;
  // Another token has its own budget.
  EXPECT_TRUE(limiter.Admit(Principal{"bob", Role::kReader, {"*"}}, t0).ok());
  // 0.5 s later: 5 more calls, not 6.
  const absl::Time t1 = t0 + absl::Milliseconds(500);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(limiter.Admit(alice, t1).ok()) << i;
  EXPECT_FALSE(limiter.Admit(alice, t1).ok());
  // Refills stop at the burst.
  const absl::Time later = t0 + absl::Hours(1);
  for (int i = 0; i < 20; ++i) EXPECT_TRUE(limiter.Admit(alice, later).ok()) << i;
  EXPECT_FALSE(limiter.Admit(alice, later).ok());
}

TEST(RateLimiterTest, UnitsAreChargedAfterTheCall) {
  RateLimitOptions o;
  o.translator = {0, 1000};  // calls not limited
  o.burst_seconds = 1;
  RateLimiter limiter(o);
  const Principal tr{"tr", Role::kTranslator, {"*"}};
  EXPECT_TRUE(limiter.Admit(tr, t0).ok());
  limiter.Charge(tr, 5000, t0);  // one big import: the budget goes 4000 below zero
  absl::Status over = limiter.Admit(tr, t0 + absl::Seconds(1));
  EXPECT_EQ(over.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(over.message().find("1000 units written a second (translator); retry in 3.0 s"),
            std::string::npos)
      << over;
  EXPECT_TRUE(limiter.Admit(tr, t0 + absl::Seconds(4)).ok());
}

TEST(RateLimiterTest, CpuTimeIsChargedAfterTheCall) {
  RateLimitOptions o;
  o.reader = {0, 0, 100};  // 100 ms of CPU a second, 1 s of it at once
  o.burst_seconds = 1;
  RateLimiter limiter(o);
  const Principal r{"r", Role::kReader, {"*"}};
  EXPECT_TRUE(limiter.Admit(r, t0).ok());
  limiter.ChargeCpu(r, 60, t0);
  EXPECT_TRUE(limiter.Admit(r, t0).ok());  // 40 ms left
  limiter.ChargeCpu(r, 340, t0);           // 300 ms below zero
  absl::Status over = limiter.Admit(r, t0);
  EXPECT_EQ(over.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(over.message().find("token 'r' is over its limit of 100 ms of CPU time a second (reader); "
                                "retry in 3.0 s"),
            std::string::npos)
      << over;
  EXPECT_FALSE(limiter.Admit(r, t0 + absl::Milliseconds(2900)).ok());
  EXPECT_TRUE(limiter.Admit(r, t0 + absl::Milliseconds(3100)).ok());
  // NaN, negative and zero charges change nothing; admins are never charged.
  limiter.ChargeCpu(r, std::nan(""), t0 + absl::Seconds(10));
  limiter.ChargeCpu(r, -1e9, t0 + absl::Seconds(10));
  EXPECT_TRUE(limiter.Admit(r, t0 + absl::Seconds(10)).ok());
  limiter.ChargeCpu(Principal{"root", Role::kAdmin, {"*"}}, 1e9, t0);
  EXPECT_TRUE(limiter.Admit(Principal{"root", Role::kAdmin, {"*"}}, t0).ok());
}

// The priority share is a budget of its own (2 s of its rate), apart from
// the CPU limit: a token goes over it long before its calls are refused.
TEST(RateLimiterTest, OverCpuShareOnceItsPriorityBudgetIsSpent) {
  RateLimitOptions o;
  o.reader = {0, 0, 1000};       // the limit: 10,000 ms at once
  o.priority_cpu_ms_per_s = 50;  // the share: 100 ms at once
  o.burst_seconds = 10;
  RateLimiter limiter(o);
  const Principal r{"r", Role::kReader, {"*"}};
  EXPECT_FALSE(limiter.OverCpuShare(r, t0));  // never seen
  limiter.ChargeCpu(r, 100, t0);
  EXPECT_FALSE(limiter.OverCpuShare(r, t0));  // 0 left: at the line
  limiter.ChargeCpu(r, 1, t0);
  EXPECT_TRUE(limiter.OverCpuShare(r, t0));
  EXPECT_TRUE(limiter.Admit(r, t0).ok());                              // far within its CPU limit
  EXPECT_FALSE(limiter.OverCpuShare(r, t0 + absl::Milliseconds(40)));  // refilled 2 ms
  // Not for admins, nor without a share, nor for another token.
  limiter.ChargeCpu(Principal{"root", Role::kAdmin, {"*"}}, 1e6, t0);
  EXPECT_FALSE(limiter.OverCpuShare(Principal{"root", Role::kAdmin, {"*"}}, t0));
  limiter.ChargeCpu(r, 1e3, t0 + absl::Milliseconds(40));
  EXPECT_FALSE(limiter.OverCpuShare(Principal{"other", Role::kReader, {"*"}}, t0 + absl::Milliseconds(40)));
  const Principal t{"t", Role::kTranslator, {"*"}};
  RateLimitOptions none;
  none.translator = {50, 20000, 500};
  none.priority_cpu_ms_per_s = 0;
  RateLimiter no_share(none);
  no_share.ChargeCpu(t, 1e3, t0);
  EXPECT_FALSE(no_share.OverCpuShare(t, t0));
  EXPECT_TRUE(no_share.Admit(t, t0).ok());
  // A share without a CPU limit: charged and checked all the same.
  RateLimitOptions share_only;
  share_only.translator = {50, 20000, 0};
  share_only.priority_cpu_ms_per_s = 100;
  RateLimiter shared(share_only);
  shared.ChargeCpu(t, 300, t0);
  EXPECT_TRUE(shared.OverCpuShare(t, t0));
  EXPECT_TRUE(shared.Admit(t, t0).ok());
}

TEST(RateLimiterTest, AdminsAndUnnamedCallersAreNotLimited) {
  RateLimitOptions o;
  o.reader = o.translator = o.manager = {1, 1};
  o.burst_seconds = 1;
  RateLimiter limiter(o);
  for (int i = 0; i < 100; ++i) {
    EXPECT_TRUE(limiter.Admit(Principal{"root", Role::kAdmin, {"*"}}, t0).ok());
    EXPECT_TRUE(limiter.Admit(Unrestricted(), t0).ok());
  }
  const Principal m{"m", Role::kManager, {"*"}};
  EXPECT_TRUE(limiter.Admit(m, t0).ok());
  EXPECT_FALSE(limiter.Admit(m, t0).ok());
}

}  // namespace
}  // namespace qantara::tm
