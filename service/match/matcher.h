// Fuzzy lookup: the top-k units of a memory for a query segment.
//
// Retrieval, never a scan (unless options.exhaustive):
//  1. exact path: the units whose normalised key sequence hashes like the query's;
//  2. fuzzy path: for each unit length n allowed by the threshold (nearest to
//     the query's length first), a unit needs at least c(n) = max(m,n) - E(n)
//     query tokens in common (E(n): the most edits the threshold allows), so it
//     must contain one of the query's m - c(n) + 1 rarest tokens ("prefix
//     filter"); only the postings of those tokens at length n are read. Each
//     candidate is verified by a banded token Levenshtein bounded by E(n).
//  As soon as k matches are held, the bound tightens to the k-th score, and a
//  candidate whose best possible rank (penalties only lower it) does not beat
//  the k-th match is dropped before its alignment and its reads.
// The answer equals an exhaustive scan (same scores, same order): the filters
// only drop units that cannot reach the current bound.
#ifndef QANTARA_SERVICE_MATCH_MATCHER_H_
#define QANTARA_SERVICE_MATCH_MATCHER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "service/match/analyzer.h"
#include "service/match/index_view.h"
#include "service/match/scorer.h"
#include "service/match/unit.h"

namespace qantara::match {

// A penalty for units with attribute `key` = `value` ("project", "domain",
// "client", or a free key).
struct AttributePenalty {
  std::string key;
  std::string value;
  double points = 0;
};

struct LookupOptions {
  double threshold = 70;      // minimum score, 0..100 (clamped to [1, 100]; NaN is an error)
  uint32_t max_results = 5;   // k
  Side side = Side::kSource;  // kTarget: reverse lookup (query in the target language)
  bool exhaustive = false;    // score every unit (for tests and benchmarks)
  UnitFilter filter;
  double memory_penalty = 0;  // points off every match of this memory
  std::vector<AttributePenalty> attribute_penalties;
  // The query's context; an exact match whose context also matches scores 101
  // (the previous and next segments both equal, normalised) or 102 (the same
  // string id).
  UnitContext context;
  // Asked every 1,024 candidates and before each unit length: true stops the
  // lookup with Cancelled (the call's deadline passed or its client left).
  std::function<bool()> cancelled;
};

struct Match {
  Unit unit;
  std::string memory;  // the memory's name (set by the storage layer)
  double score = 0;    // gross minus penalties (not below 0); 101/102 for context matches
  double gross = 0;
  std::vector<Penalty> penalties;
  uint32_t edits = 0;
  uint32_t raw_distance = 0;
  // Character edits between the paired tokens written differently (harakat,
  // tatweel, letter forms, case): after raw_distance, the closer raw text.
  uint32_t form_distance = 0;
  std::vector<DiffSpan> diffs;  // query vs the unit's compared side
  bool adapted = false;         // numbers substituted into adapted_target
  std::string adapted_target;   // the unit's other side with the query's numbers
};

struct LookupResult {
  std::vector<Match> matches;      // best first
  uint64_t candidates_scored = 0;  // units whose keys were compared with the query
  // Candidates passed over by their sketch (IndexView::KeySketch), their
  // keys not read.
  uint64_t candidates_sketched = 0;
};

// True when `a` ranks before `b`: higher score, then fewer penalties, then the
// closer raw text (raw_distance, then form_distance), then the newer unit,
// then the higher id.
bool RanksBefore(const Match& a, const Match& b);

// Looks `query` up in one memory through `view`. `analyzer` re-analyses the
// returned units (diff spans, number substitution); `unit_language` and
// `other_language` are the languages of the compared side and the other side.
// Errors: those of the view; InvalidArgument for max_results == 0 or a NaN
// threshold; Cancelled (options.cancelled).
absl::StatusOr<LookupResult> Lookup(IndexView& view, const Analyzer& analyzer, const AnalyzedSegment& query,
                                    text::Language unit_language, text::Language other_language,
                                    const LookupOptions& options);

// Merges results of several memories: best first, at most `max_results`.
LookupResult MergeResults(std::vector<LookupResult> results, uint32_t max_results);

// Readies what the first lookups of a process would otherwise set up on
// their time: the candidates' count array for unit ids up to `max_id` (20 MB
// zeroed at 10M units) and the analyzer's lazily loaded character data
// (ICU's emoji properties: ~13M instructions). Optional; any time, any thread.
void PrepareLookups(const Analyzer& analyzer, uint64_t max_id);

}  // namespace qantara::match

#endif  // QANTARA_SERVICE_MATCH_MATCHER_H_
