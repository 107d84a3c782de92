// The benchmarks' way into a tm_bench data dir: open it, then wait for the
// warm-up and the index compactions, as a server has done before its first
// measured lookup (lookup_profile, lookup_scaling).
#ifndef QANTARA_TESTS_BENCH_WARM_MEMORIES_H_
#define QANTARA_TESTS_BENCH_WARM_MEMORIES_H_

#include <memory>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
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
