// The matcher's entry points: Lookup (runs one Search), RanksBefore (the
// order of matches) and MergeResults (the top k of several results).
#include "service/match/matcher.h"

#include <algorithm>
#include <vector>

#include "service/base/ignore_error.h"
#include "service/match/id_counts.h"
#include "service/match/matcher_internal.h"

namespace qantara::match {

using matcher_internal::RankBefore;
using matcher_internal::RankOf;
using matcher_internal::Search;

bool RanksBefore(const Match& a, const Match& b) { return RankBefore(RankOf(a), RankOf(b)); }

absl::StatusOr<LookupResult> Lookup(IndexView& view, const Analyzer& analyzer, const AnalyzedSegment& query,
                                    text::Language unit_language, text::Language other_language,
                                    const LookupOptions& options) {
  Search search(view, analyzer, query, unit_language, other_language, options);
  return search.Run();
}

LookupResult MergeResults(std::vector<LookupResult> results, uint32_t max_results) {
  LookupResult out;
  for (LookupResult& r : results) {
    out.candidates_scored += r.candidates_scored;
    for (Match& m : r.matches) out.matches.push_back(std::move(m));
  }
  std::stable_sort(out.matches.begin(), out.matches.end(), RanksBefore);
  if (out.matches.size() > max_results) out.matches.resize(max_results);
  return out;
}

void PrepareLookups(const Analyzer& analyzer, uint64_t max_id) {
  matcher_internal::IdCounts::Reserve(max_id + 1);
  // Letters, digits, punctuation, an emoji and a symbol, in both scripts.
  for (text::Language lang : {text::Language::kEnglish, text::Language::kArabic}) {
    IgnoreError(
        analyzer.Analyze("Ready: 1,234 files \u2714 \U0001F600 \u0646\u0635 \u0661\u0662 (x)", lang).status(),
        "a warm-up of a fixed, valid text: nothing to report");
  }
}

}  // namespace qantara::match
