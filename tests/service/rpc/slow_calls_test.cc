// The slow call log (service/rpc/slow_calls.h) on an in-process server: a
// call over the threshold is logged with its method, code, wall, CPU and
// lock-wait time and its peer; one under it is not; at most max_lines_per_s
// lines a second, the calls left out counted in the next line.
#include "service/rpc/slow_calls.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "service/base/lock_wait.h"
#include "service/rpc/memory_service.h"
#include "tests/service/rpc/rpc_test_env.h"

namespace qantara::rpc {
namespace {

namespace v1 = qantara::v1;

class SlowCallsTest : public ::testing::Test {
 protected:
  void Start(absl::Duration threshold, int max_lines_per_s = 10) {
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
    interceptors.push_back(SlowCallInterceptorFactory(
        {.threshold = threshold, .max_lines_per_s = max_lines_per_s, .log = [this](std::string_view line) {
           absl::MutexLock l(&mu_);
           lines_.emplace_back(line);
         }}));
    server_ = std::make_unique<testing::TestServer>(std::initializer_list<grpc::Service*>{&service_},
                                                    std::move(interceptors));
    stub_ = v1::MemoryService::NewStub(server_->channel());
  }
  grpc::Status Lookup(const std::string& memory) {
    grpc::ClientContext ctx;
    v1::LookupRequest req;
    req.add_memories(memory);
    req.set_text("مرحبا بكم في قنطرة");
    v1::LookupResponse resp;
    return stub_->Lookup(&ctx, req, &resp);
  }
  std::vector<std::string> Lines() {
    absl::MutexLock l(&mu_);
    return lines_;
  }
  // Waits until the monotonic clock is early in a second (the log's budget
  // is counted by those seconds).
  static void ToSecondStart() {
    while (MonotonicNanos() % 1'000'000'000 > 200'000'000) absl::SleepFor(absl::Milliseconds(5));
  }

  testing::MemoryEnv env_;
  MemoryServiceImpl service_{*env_.memories};
  absl::Mutex mu_;
  std::vector<std::string> lines_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<testing::TestServer> server_;
  std::unique_ptr<v1::MemoryService::Stub> stub_;
};

TEST_F(SlowCallsTest, ACallOverTheThresholdIsLoggedWithWhereItsTimeWent) {
  Start(absl::ZeroDuration());
  ASSERT_TRUE(env_.memories->CreateMemory({"m", "ar", "en", ""}).ok());
  ASSERT_TRUE(Lookup("m").ok());
  EXPECT_EQ(Lookup("missing").error_code(), grpc::StatusCode::NOT_FOUND);
  const std::vector<std::string> lines = Lines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_TRUE(absl::StartsWith(lines[0], "slow call: /qantara.v1.MemoryService/Lookup OK ")) << lines[0];
  EXPECT_TRUE(absl::StrContains(lines[0], " ms (CPU ")) << lines[0];
  EXPECT_TRUE(absl::StrContains(lines[0], " ms, lock waits ")) << lines[0];
  EXPECT_TRUE(absl::StrContains(lines[0], " token - from ")) << lines[0];  // no access control
  EXPECT_TRUE(absl::StrContains(lines[0], "127.0.0.1")) << lines[0];       // the peer
  EXPECT_TRUE(absl::StartsWith(lines[1], "slow call: /qantara.v1.MemoryService/Lookup NOT_FOUND "))
      << lines[1];
}

TEST_F(SlowCallsTest, ACallUnderTheThresholdIsNotLogged) {
  Start(absl::Seconds(30));
  ASSERT_TRUE(env_.memories->CreateMemory({"m", "ar", "en", ""}).ok());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Lookup("m").ok());
  EXPECT_TRUE(Lines().empty());
}

TEST_F(SlowCallsTest, AtMostTheLinesASecondAndTheRestCounted) {
  Start(absl::ZeroDuration(), /*max_lines_per_s=*/2);
  ASSERT_TRUE(env_.memories->CreateMemory({"m", "ar", "en", ""}).ok());
  for (int attempt = 0; attempt < 3; ++attempt) {
    {
      absl::MutexLock l(&mu_);
      lines_.clear();
    }
    ToSecondStart();
    const int64_t second = MonotonicNanos() / 1'000'000'000;
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(Lookup("m").ok());
    if (MonotonicNanos() / 1'000'000'000 != second)
      continue;  // a slow machine: the calls spanned two seconds
    EXPECT_EQ(Lines().size(), 2u);
    absl::SleepFor(absl::Seconds(1));
    ASSERT_TRUE(Lookup("m").ok());
    const std::vector<std::string> lines = Lines();
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_TRUE(absl::StrContains(lines[2], "(3 slow calls before it not logged)")) << lines[2];
    return;
  }
  GTEST_SKIP() << "five lookups never fitted in one second";
}

}  // namespace
}  // namespace qantara::rpc
