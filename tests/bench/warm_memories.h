// The benchmarks' way into a tm_bench data dir and its workload: open the
// dir, then wait for the warm-up and the index compactions, as a server has
// done before its first measured lookup; read a query set of the workload
// (lookup_profile, lookup_scaling).
#ifndef QANTARA_TESTS_BENCH_WARM_MEMORIES_H_
#define QANTARA_TESTS_BENCH_WARM_MEMORIES_H_

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
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

}  // namespace qantara::bench

#endif  // QANTARA_TESTS_BENCH_WARM_MEMORIES_H_
