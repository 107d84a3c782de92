// The benchmarks' way into a tm_bench data dir and its workload: open the
// dir, then wait for the warm-up, the index compactions and RocksDB's own
// compactions, as a settled server has done before its first measured
// lookup; read a query set of the workload (lookup_profile, lookup_scaling,
// tm_bench).
#ifndef QANTARA_TESTS_BENCH_WARM_MEMORIES_H_
#define QANTARA_TESTS_BENCH_WARM_MEMORIES_H_

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "service/match/analyzer.h"
#include "service/tm/memories.h"
#include "storage/store.h"

namespace qantara::bench {

// Destroyed in reverse order: the memories before the store they read.
struct WarmMemories {
  std::unique_ptr<match::Analyzer> analyzer;
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<tm::Memories> memories;
  ~WarmMemories() {
    memories.reset();
    if (store != nullptr) (void)store->Close();
  }
};

// A lookup of `text` (in `lang`: "en" looks up the target side) in the
// tm_bench memory "bench", at `threshold`, 5 results, as a CAT tool asks.
inline tm::LookupRequest BenchLookup(const std::string& lang, const std::string& text, double threshold) {
  tm::LookupRequest r;
  r.memories = {"bench"};
  r.text = text;
  r.reverse = lang == "en";
  r.options.threshold = threshold;
  r.options.max_results = 5;
  return r;
}

// Waits until RocksDB has no compaction or flush running or pending, after
// a lookup of a word no unit has (one snapshot taken and released): RocksDB
// marks the last level's files whose entries still carry sequence numbers
// (a bulk load's, written while snapshots were held) for a rewrite only
// once the oldest snapshot moves, that is after the first lookup of a
// process; on a freshly loaded 10M-unit dir that rewrite of `units` and
// `unit_keys` keeps both cores busy for minutes, and a process that exits
// meanwhile leaves the rest to the next one. Measurements start on a
// settled dir. Returns the seconds waited (at most about 30 minutes: then
// it says so and returns, rather than hang a benchmark).
inline double SettleRocks(tm::Memories& memories, storage::Store& store) {
  const auto t0 = std::chrono::steady_clock::now();
  (void)memories.Lookup(BenchLookup("ar", "qantarasettleprobe", 70));
  for (int quiet = 0; quiet < 3;) {
    if (std::chrono::steady_clock::now() - t0 > std::chrono::minutes(30)) {
      std::fprintf(stderr, "RocksDB still compacting after 30 minutes: measuring anyway\n");
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const storage::Store::EngineStats e = store.Engine();
    const bool idle = e.running_compactions == 0 && e.running_flushes == 0 && e.compaction_pending_cfs == 0;
    quiet = idle ? quiet + 1 : 0;
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

inline absl::StatusOr<std::unique_ptr<WarmMemories>> OpenWarmMemories(const std::string& dir) {
  auto w = std::make_unique<WarmMemories>();
  auto analyzer = match::CreateTextAnalyzer();
  if (!analyzer.ok()) return analyzer.status();
  w->analyzer = *std::move(analyzer);
  auto store = storage::Store::Open(dir);
  if (!store.ok())
    return absl::Status(store.status().code(), absl::StrCat("open ", dir, ": ", store.status().message()));
  w->store = *std::move(store);
  auto mem = tm::Memories::Open(*w->store, *w->analyzer);
  if (!mem.ok()) return mem.status();
  w->memories = *std::move(mem);
  w->memories->StartWarmUp();
  w->memories->WaitForWarmUp();
  w->memories->WaitForIndexCompactions();
  if (const double s = SettleRocks(*w->memories, *w->store); s > 1) {
    std::fprintf(stderr, "waited %.1f s for RocksDB's compactions (a freshly loaded dir settling)\n", s);
  }
  return w;
}

// A query of the workload: its language ("ar", "en") and text.
struct BenchQuery {
  std::string lang, text;
};

// Up to `max` queries of set `set` (heldout, edited, arabic_variants, short,
// nomatch: WORKLOAD/queries/SET.tsv, rows id, language, text, unit id),
// from its row `first` on; NotFound naming the file when it cannot be read.
inline absl::StatusOr<std::vector<BenchQuery>> ReadWorkloadQueries(const std::filesystem::path& workload,
                                                                   const std::string& set, size_t max,
                                                                   size_t first = 0) {
  const std::filesystem::path file = workload / "queries" / (set + ".tsv");
  std::ifstream in(file);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot read ", file.string(),
                                            " (sets: heldout, edited, arabic_variants, short, nomatch)"));
  }
  std::vector<BenchQuery> out;
  std::string line;
  std::getline(in, line);  // header
  for (size_t row = 0; out.size() < max && std::getline(in, line); ++row) {
    if (row < first) continue;
    std::vector<std::string> f = absl::StrSplit(line, '\t');
    if (f.size() < 3) continue;
    out.push_back(BenchQuery{f[1], f[2]});
  }
  return out;
}

}  // namespace qantara::bench

#endif  // QANTARA_TESTS_BENCH_WARM_MEMORIES_H_
