// Per-token CPU share at the gRPC edge (issue 15): with access control and
// a rate limiter installed, a token over its CPU share (its priority budget,
// RateLimitOptions::priority_cpu_ms_per_s, spent) has its lookups run at the lowest CPU
// priority, other tokens' stay on their handler threads; the CPU time of a
// call is charged to its token when it ends. A binary of its own: it
// installs the process-wide access control.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "service/base/low_priority.h"
#include "service/rpc/auth.h"
#include "service/rpc/memory_service.h"
#include "service/tm/access.h"
#include "service/tm/rate_limits.h"
#include "tests/service/rpc/rpc_test_env.h"

namespace qantara::rpc {
namespace {

namespace v1 = qantara::v1;

class CpuShareTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(env_.memories->CreateMemory({"m", "ar", "en", ""}).ok());
    std::vector<match::Unit> units(1);
    units[0].source = "الجملة الأولى في الملف";
    units[0].target = "the first sentence";
    ASSERT_TRUE(env_.memories->AddUnits("m", units, tm::DuplicatePolicy::kSkipIdentical).ok());
    auto access = tm::AccessControl::Open(*env_.store);
    ASSERT_TRUE(access.ok()) << access.status();
    access_ = *std::move(access);
    for (const char* name : {"busy", "calm"}) {
      auto secret = access_->CreateToken(tm::NewToken{name, tm::Role::kReader, {"m"}}, "test");
      ASSERT_TRUE(secret.ok()) << secret.status();
      secrets_[name] = *secret;
    }
    InstallAccessControl(access_.get(), /*enforce=*/true);
    InstallRateLimiter(&limiter_);
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
    interceptors.push_back(CpuChargeInterceptorFactory());
    server_ = std::make_unique<testing::TestServer>(std::initializer_list<grpc::Service*>{&service_},
                                                    std::move(interceptors));
    stub_ = v1::MemoryService::NewStub(server_->channel());
  }
  void TearDown() override {
    server_.reset();
    InstallRateLimiter(nullptr);
    InstallAccessControl(nullptr, false);
  }

  grpc::Status Lookup(const std::string& token) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + secrets_[token]);
    v1::LookupRequest req;
    req.add_memories("m");
    req.set_text("الجملة الأولى في الملف");
    v1::LookupResponse resp;
    grpc::Status s = stub_->Lookup(&ctx, req, &resp);
    if (s.ok() && (resp.matches_size() != 1 || resp.matches(0).target() != "the first sentence")) {
      return grpc::Status(grpc::StatusCode::INTERNAL, "wrong answer");
    }
    return s;
  }

  static tm::RateLimitOptions Options() {
    tm::RateLimitOptions o;
    o.reader = {0, 0, 100};  // 100 ms of CPU a second, 10 s of it at once
    o.burst_seconds = 10;
    o.priority_cpu_ms_per_s = 100;  // 200 ms of it at normal priority
    return o;
  }

  testing::MemoryEnv env_;
  std::unique_ptr<tm::AccessControl> access_;
  std::map<std::string, std::string> secrets_;
  tm::RateLimiter limiter_{Options()};
  MemoryServiceImpl service_{*env_.memories};
  std::unique_ptr<testing::TestServer> server_;
  std::unique_ptr<v1::MemoryService::Stub> stub_;
};

TEST_F(CpuShareTest, ATokenOverItsShareRunsAtLowPriorityThenIsRefused) {
  const tm::Principal busy{"busy", tm::Role::kReader, {"m"}};
  // Within its share: on the handler thread.
  uint64_t before = LowPriorityThreadsStarted();
  ASSERT_TRUE(Lookup("busy").ok());
  ASSERT_TRUE(Lookup("calm").ok());
  EXPECT_EQ(LowPriorityThreadsStarted(), before);
  EXPECT_FALSE(limiter_.OverCpuShare(busy, absl::Now()));
  // 300 ms of CPU (as a flood of lookups would take): over its share, so its
  // lookups go to a low-priority thread; the other token's do not.
  limiter_.ChargeCpu(busy, 300, absl::Now());
  EXPECT_TRUE(limiter_.OverCpuShare(busy, absl::Now()));
  before = LowPriorityThreadsStarted();
  ASSERT_TRUE(Lookup("busy").ok());
  EXPECT_EQ(LowPriorityThreadsStarted(), before + 1);
  ASSERT_TRUE(Lookup("calm").ok());
  EXPECT_EQ(LowPriorityThreadsStarted(), before + 1);
  // Past its whole budget: refused, naming the CPU limit.
  limiter_.ChargeCpu(busy, 2000, absl::Now());
  grpc::Status refused = Lookup("busy");
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(refused.error_message().find("over its limit of 100 ms of CPU time a second"), std::string::npos)
      << refused.error_message();
  EXPECT_TRUE(Lookup("calm").ok());
}

}  // namespace
}  // namespace qantara::rpc
