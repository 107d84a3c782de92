// Lookup throughput against the number of concurrent clients, in process
// (issue 18: lookups/s with 2, 4 and 8 clients >= 1.8x one client's on the
// 2 cores, i.e. no lock that serialises readers).
//
//   lookup_scaling --data DIR --workload DIR [--threads 1,2,4,8] [--rounds 3]
//                  [--queries 300] [--threshold 70]
//
// DIR is a tm_bench data dir (one memory "bench") and its workload. Every
// (client count, round) runs in a fresh process of its own (this binary with
// --run N): it opens the data dir, waits for the warm-up and the index
// compactions, then N threads take the same list of novel queries (the
// workload's five sets interleaved, `--queries` of each) from a shared
// counter until none is left, each lookup once. So every run does the same
// work from the same cold caches; only the number of threads differs. Rounds
// alternate the client counts (1, 2, 4, 8, 1, 2, ...) so that a change in
// the machine's speed touches all of them. Prints each run and, per client
// count, the median lookups/s and its ratio to one client's. Through gRPC
// the clients would share the 2 cores with the server; here they do not
// cost anything beside the lookups themselves.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "service/tm/memories.h"
#include "tests/bench/warm_memories.h"

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

std::string Arg(int argc, char** argv, const std::string& name, const std::string& def) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (argv[i] == name) return argv[i + 1];
  }
  return def;
}

double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

double Pct(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

// `per_set` queries of each set, interleaved (one of each set in turn);
// nothing (after a message) when a set cannot be read.
std::vector<qantara::bench::BenchQuery> ReadQueries(const fs::path& workload, size_t per_set) {
  std::vector<std::vector<qantara::bench::BenchQuery>> sets;
  for (const char* s : {"heldout", "edited", "arabic_variants", "short", "nomatch"}) {
    auto set = qantara::bench::ReadWorkloadQueries(workload, s, per_set);
    if (!set.ok()) {
      std::fprintf(stderr, "FAIL: %s\n", std::string(set.status().message()).c_str());
      return {};
    }
    sets.push_back(*std::move(set));
  }
  std::vector<qantara::bench::BenchQuery> all;
  for (size_t i = 0; i < per_set; ++i) {
    for (const auto& s : sets) {
      if (i < s.size()) all.push_back(s[i]);
    }
  }
  return all;
}

// One run: `threads` clients over the queries; prints "RESULT" with its
// figures.
int Run(const fs::path& data, const fs::path& workload, int threads, size_t per_set, double threshold) {
  using namespace qantara;
  const std::vector<bench::BenchQuery> queries = ReadQueries(workload, per_set);
  if (queries.empty()) return 1;
  auto opened = bench::OpenWarmMemories(data.string());
  if (!opened.ok()) {
    std::fprintf(stderr, "FAIL: %s\n", std::string(opened.status().message()).c_str());
    return 1;
  }
  tm::Memories& mem = *(*opened)->memories;

  std::atomic<size_t> next{0};
  std::atomic<size_t> failed{0};
  std::vector<std::vector<double>> ms(threads);
  const double cpu0 = CpuSeconds();
  const auto t0 = Clock::now();
  std::vector<std::thread> pool;
  for (int c = 0; c < threads; ++c) {
    pool.emplace_back([&, c] {
      for (size_t i; (i = next.fetch_add(1)) < queries.size();) {
        const tm::LookupRequest r = bench::BenchLookup(queries[i].lang, queries[i].text, threshold);
        const auto t = Clock::now();
        auto result = mem.Lookup(r);
        ms[c].push_back(std::chrono::duration<double, std::milli>(Clock::now() - t).count());
        if (!result.ok()) failed.fetch_add(1);
      }
    });
  }
  for (auto& t : pool) t.join();
  const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  const double cpu = CpuSeconds() - cpu0;
  std::vector<double> all;
  for (const auto& v : ms) all.insert(all.end(), v.begin(), v.end());
  std::printf("RESULT\t%d\t%zu\t%.3f\t%.1f\t%.3f\t%.3f\t%.3f\t%zu\n", threads, all.size(), secs,
              static_cast<double>(all.size()) / secs, Pct(all, 0.5), Pct(all, 0.99), cpu, failed.load());
  return failed.load() == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  const fs::path data = Arg(argc, argv, "--data", "");
  const fs::path workload = Arg(argc, argv, "--workload", "");
  size_t per_set = 0;
  int rounds = 0;
  double threshold = 0;
  if (data.empty() || workload.empty() || !absl::SimpleAtoi(Arg(argc, argv, "--queries", "300"), &per_set) ||
      !absl::SimpleAtoi(Arg(argc, argv, "--rounds", "3"), &rounds) ||
      !absl::SimpleAtod(Arg(argc, argv, "--threshold", "70"), &threshold) || per_set == 0 || rounds < 1) {
    std::fprintf(stderr,
                 "usage: lookup_scaling --data DIR --workload DIR [--threads 1,2,4,8] [--rounds 3] "
                 "[--queries 300] [--threshold 70]\n");
    return 2;
  }
  if (!fs::exists(data / "CURRENT") || !fs::exists(workload / "queries")) {
    std::printf("SKIP: %s is not a tm_bench data dir or %s not its workload (run tm_bench first)\n",
                data.c_str(), workload.c_str());
    return 0;
  }
  if (const std::string run = Arg(argc, argv, "--run", ""); !run.empty()) {
    int threads = 0;
    if (!absl::SimpleAtoi(run, &threads) || threads < 1 || threads > 256) {
      std::fprintf(stderr, "FAIL: --run wants a thread count (1-256), got '%s'\n", run.c_str());
      return 2;
    }
    return Run(data, workload, threads, per_set, threshold);
  }
  std::vector<int> counts;
  for (absl::string_view s : absl::StrSplit(Arg(argc, argv, "--threads", "1,2,4,8"), ',')) {
    int n = 0;
    if (!absl::SimpleAtoi(s, &n) || n < 1 || n > 256) {
      std::fprintf(stderr, "FAIL: --threads wants counts from 1 to 256, got '%s'\n", std::string(s).c_str());
      return 2;
    }
    counts.push_back(n);
  }
  std::printf("lookup scaling, in process: %s, %zu queries of each of 5 sets, threshold %.0f, %d rounds\n",
              data.c_str(), per_set, threshold, rounds);
  std::printf("%6s %7s %8s %8s %10s %9s %9s %8s\n", "round", "clients", "lookups", "secs", "lookups/s",
              "p50 ms", "p99 ms", "cpu s");
  std::map<int, std::vector<double>> rates;
  for (int round = 1; round <= rounds; ++round) {
    for (int n : counts) {
      std::string cmd = fs::read_symlink("/proc/self/exe").string() + " --run " + std::to_string(n);
      for (int i = 1; i < argc; ++i) cmd += std::string(" '") + argv[i] + "'";
      FILE* p = popen(cmd.c_str(), "r");
      if (p == nullptr) {
        std::fprintf(stderr, "FAIL: cannot start %s\n", cmd.c_str());
        return 1;
      }
      char buf[512];
      bool got = false;
      while (std::fgets(buf, sizeof buf, p) != nullptr) {
        std::vector<std::string> f = absl::StrSplit(absl::StripTrailingAsciiWhitespace(buf), '\t');
        double rate = 0;
        if (f.size() == 9 && f[0] == "RESULT" && absl::SimpleAtod(f[4], &rate)) {
          std::printf("%6d %7s %8s %8s %10s %9s %9s %8s\n", round, f[1].c_str(), f[2].c_str(), f[3].c_str(),
                      f[4].c_str(), f[5].c_str(), f[6].c_str(), f[7].c_str());
          rates[n].push_back(rate);
          got = true;
        }
      }
      if (pclose(p) != 0 || !got) {
        std::fprintf(stderr, "FAIL: the run with %d clients failed: %s\n", n, cmd.c_str());
        return 1;
      }
    }
  }
  const double one = rates.count(1) ? Pct(rates[1], 0.5) : 0;
  std::printf("\n%7s %14s %10s\n", "clients", "lookups/s p50", "vs 1");
  for (int n : counts) {
    const double r = Pct(rates[n], 0.5);
    if (one > 0) {
      std::printf("%7d %14.0f %9.2fx\n", n, r, r / one);
    } else {
      std::printf("%7d %14.0f %10s\n", n, r, "-");
    }
  }
  return 0;
}
