// Where a lookup's instructions go: one query set at one threshold on a
// fresh open of a tm_bench data dir (after its warm-up), every lookup
// between callgrind client requests, so that under
//
//   valgrind --tool=callgrind --instr-atstart=no --collect-atstart=no --callgrind-out-file=OUT
//     build/tests/lookup_profile --data DIR --workload DIR --set edited --threshold 70
//
// each query's instructions are a dump of their own (OUT.N, N = query
// index + 1, its "totals:" line), and callgrind_annotate --inclusive=yes on
// one dump gives the phases of that query (tests/bench/lookup_phases.py sums
// them). Without valgrind the client requests do nothing: it prints each
// query's wall time and the thread's CPU time (ms; wall well above CPU:
// the lookup waited, e.g. on reads from disk), matches, candidates scored,
// query bytes, language, and the thread's minor page faults during the
// lookup (fresh memory touched: costly on a VM). Not a ctest entry.
//
//   lookup_profile --data DIR --workload DIR --set NAME --threshold T
//                  [--queries N] [--first I]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#else
#define CALLGRIND_START_INSTRUMENTATION
#define CALLGRIND_TOGGLE_COLLECT
#define CALLGRIND_DUMP_STATS_AT(s) (void)(s)
#endif

#include "service/tm/memories.h"
#include "tests/bench/warm_memories.h"

namespace fs = std::filesystem;

namespace {

// Minor page faults of the calling thread so far.
long ThreadMinorFaults() {
  rusage ru{};
  getrusage(RUSAGE_THREAD, &ru);
  return ru.ru_minflt;
}

double ThreadCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

std::string Arg(int argc, char** argv, const std::string& name, const std::string& def) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (argv[i] == name) return argv[i + 1];
  }
  return def;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace qantara;
  const fs::path data = Arg(argc, argv, "--data", "");
  const fs::path workload = Arg(argc, argv, "--workload", "");
  const std::string set = Arg(argc, argv, "--set", "edited");
  const double threshold = std::stod(Arg(argc, argv, "--threshold", "70"));
  const size_t count = std::stoul(Arg(argc, argv, "--queries", "100"));
  const size_t first = std::stoul(Arg(argc, argv, "--first", "0"));
  auto read = bench::ReadWorkloadQueries(workload, set, count, first);
  if (!read.ok()) {
    std::fprintf(stderr, "FAIL: %s\n", std::string(read.status().message()).c_str());
    return 1;
  }
  const std::vector<bench::BenchQuery>& queries = *read;
  auto opened = bench::OpenWarmMemories(data.string());
  if (!opened.ok()) {
    std::fprintf(stderr, "FAIL: %s\n", std::string(opened.status().message()).c_str());
    return 1;
  }
  tm::Memories& mem = *(*opened)->memories;
  CALLGRIND_START_INSTRUMENTATION;  // with --instr-atstart=no: the open and warm-up run faster
  for (size_t i = 0; i < queries.size(); ++i) {
    const tm::LookupRequest r = bench::BenchLookup(queries[i].lang, queries[i].text, threshold);
    const auto t = std::chrono::steady_clock::now();
    const double cpu0 = ThreadCpuMs();
    const long faults0 = ThreadMinorFaults();
    CALLGRIND_TOGGLE_COLLECT;
    auto result = mem.Lookup(r);
    CALLGRIND_TOGGLE_COLLECT;
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
    const double cpu_ms = ThreadCpuMs() - cpu0;
    const long faults = ThreadMinorFaults() - faults0;
    CALLGRIND_DUMP_STATS_AT(std::to_string(i).c_str());
    std::printf("%zu\t%.3f\t%.3f\t%zu\t%llu\t%zu\t%s\t%ld\n", first + i, ms, cpu_ms,
                result.ok() ? result->matches.size() : 0,
                result.ok() ? static_cast<unsigned long long>(result->candidates_scored) : 0ull,
                queries[i].text.size(), queries[i].lang.c_str(), faults);
  }
  if (auto st = mem.Stats(); st.ok()) {
    // The list caches after the run (stderr: stdout is one line a query).
    std::fprintf(
        stderr, "list cache: %llu posting lists, %llu of %llu MiB, hits %llu, misses %llu, evictions %llu\n",
        static_cast<unsigned long long>(st->cached_postings),
        static_cast<unsigned long long>(st->cached_bytes >> 20),
        static_cast<unsigned long long>(st->cache_budget_bytes >> 20),
        static_cast<unsigned long long>(st->cache_hits), static_cast<unsigned long long>(st->cache_misses),
        static_cast<unsigned long long>(st->cache_evictions));
  }
  return 0;
}
