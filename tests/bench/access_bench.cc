// The cost access control adds to a call (Google Benchmark): checking a
// token (SHA-256 of its secret, a map lookup under a reader lock), the scope
// check of a memory, and a rate-limit budget, with 200 tokens stored.
// Compare with a lookup's latency (tm_bench: milliseconds).
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "benchmark/benchmark.h"
#include "service/tm/access.h"
#include "service/tm/rate_limits.h"
#include "storage/store.h"

namespace qantara::tm {
namespace {

struct Fixture {
  Fixture() {
    dir = std::filesystem::temp_directory_path() /
          ("qantara-access-bench-" + std::to_string(std::random_device()()));
    store = *storage::Store::Open(dir.string());
    access = *AccessControl::Open(*store);
    for (int i = 0; i < 200; ++i) {
      NewToken t{
          "user-" + std::to_string(i), Role::kTranslator, {"client-" + std::to_string(i) + "/*", "shared"}};
      secrets.push_back(*access->CreateToken(t, "bench"));
    }
  }
  ~Fixture() {
    access.reset();
    (void)store->Close();
    std::filesystem::remove_all(dir);
  }
  std::filesystem::path dir;
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<AccessControl> access;
  std::vector<std::string> secrets;
};

Fixture& F() {
  static Fixture* f = new Fixture;
  return *f;
}

void BM_Authenticate(benchmark::State& state) {
  Fixture& f = F();
  const int64_t now = absl::ToUnixMicros(absl::Now());
  size_t i = 0;
  for (auto _ : state) {
    auto who = f.access->Authenticate(f.secrets[i++ % f.secrets.size()], now);
    benchmark::DoNotOptimize(who);
  }
}
BENCHMARK(BM_Authenticate)->ThreadRange(1, 4)->UseRealTime();

void BM_AuthenticateAndCheckMemory(benchmark::State& state) {
  Fixture& f = F();
  const int64_t now = absl::ToUnixMicros(absl::Now());
  size_t i = 0;
  for (auto _ : state) {
    auto who = f.access->Authenticate(f.secrets[i % f.secrets.size()], now);
    absl::Status s =
        NeedMemory(*who, "client-" + std::to_string(i % 200) + "/legal", Role::kReader, "look up");
    benchmark::DoNotOptimize(s);
    ++i;
  }
}
BENCHMARK(BM_AuthenticateAndCheckMemory);

void BM_RateLimit(benchmark::State& state) {
  RateLimitOptions o;
  o.translator = {1e12, 0};  // never refused: the cost of the bookkeeping
  RateLimiter limiter(o);
  std::vector<Principal> who;
  for (int i = 0; i < 200; ++i)
    who.push_back(Principal{"user-" + std::to_string(i), Role::kTranslator, {"*"}});
  size_t i = 0;
  for (auto _ : state) {
    absl::Status s = limiter.Admit(who[i++ % who.size()], absl::Now());
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_RateLimit);

}  // namespace
}  // namespace qantara::tm

BENCHMARK_MAIN();
