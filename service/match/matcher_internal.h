// Private to the matcher: Search, the state and steps of one Lookup (its
// candidate retrieval in matcher_candidates.cc, verification and scoring in
// matcher_verify.cc, the top k and the result in matcher_top.cc), and Rank,
// the key RanksBefore compares.
#ifndef QANTARA_SERVICE_MATCH_MATCHER_INTERNAL_H_
#define QANTARA_SERVICE_MATCH_MATCHER_INTERNAL_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "service/match/matcher.h"
#include "service/match/typo.h"

namespace qantara::match::matcher_internal {

// Token pairs (query token index << 32 | unit token surface).
using FormPairList = absl::InlinedVector<uint64_t, 4>;

// What RanksBefore compares, so that a candidate can be compared before its
// Match is built.
struct Rank {
  double score;
  size_t penalties;
  uint32_t raw_distance;
  uint32_t form_distance;
  int64_t changed_at_us;
  uint64_t id;
};

inline Rank RankOf(const Match& m) {
  return Rank{m.score, m.penalties.size(), m.raw_distance, m.form_distance, m.unit.changed_at_us, m.unit.id};
}

inline bool RankBefore(const Rank& a, const Rank& b) {
  if (a.score != b.score) return a.score > b.score;
  if (a.penalties != b.penalties) return a.penalties < b.penalties;
  if (a.raw_distance != b.raw_distance) return a.raw_distance < b.raw_distance;
  if (a.form_distance != b.form_distance) return a.form_distance < b.form_distance;
  if (a.changed_at_us != b.changed_at_us) return a.changed_at_us > b.changed_at_us;
  return a.id > b.id;
}

class Search {
 public:
  Search(IndexView& view, const Analyzer& analyzer, const AnalyzedSegment& query,
         text::Language unit_language, text::Language other_language, const LookupOptions& options)
      : view_(view),
        analyzer_(analyzer),
        query_(query),
        unit_language_(unit_language),
        other_language_(other_language),
        options_(options),
        threshold_(std::clamp(options.threshold, 1.0, 100.0)),
        pattern_(query.key.tokens),
        bound_(threshold_) {}

  absl::StatusOr<LookupResult> Run();

 private:
  // A match held or offered for the top k.
  struct Entry {
    Match match;
    bool have_unit = false;                           // match.unit is the whole unit
    bool form_known = false;                          // match.form_distance is computed (else a lower bound)
    std::shared_ptr<const AnalyzedSegment> analysed;  // of the compared side, once analysed
    // While the form distance is unknown: its matched token pairs written
    // differently (FormPairs), for form_pairs_.
    FormPairList form_pairs;
  };

  const SideKey& QueryKey() const { return query_.key; }

  // A group of candidates (one length, one shared-token count) at least
  // this large is taken in the order of the units' date bounds
  // (IndexView::ChangedBounds), so that ties with the k-th match end early.
  static constexpr size_t kDateOrderMin = 32;

  // Candidate retrieval (matcher_candidates.cc).
  absl::Status ExactPath();
  // Whether units of length n can still reach the bound; sets *edits.
  bool Feasible(size_t n, int64_t* edits) const;
  absl::Status FuzzyPath();
  // A distinct query token: its key, how many times the query has it, and
  // its lists and its typo neighbours' at lengths [read_lo_, read_hi_].
  struct QueryToken {
    uint64_t key;
    uint32_t count;
    TokenListsPtr lists;
    std::vector<TokenListsPtr> neighbours;
  };
  // Reads every query token's lists (and its typo neighbours') at lengths
  // [lo, hi] into tokens_. REQUIRES: 1 <= lo <= hi.
  absl::Status ReadTokens(uint32_t lo, uint32_t hi);
  absl::Status ScanLength(size_t n);
  // REQUIRES: each id is considered once (a unit has one length, and the
  // length scans skip the exact path's units).
  absl::Status ConsiderId(uint64_t id);
  // Whether a unit whose compared side has sketch `sketch` may pass
  // Consider's first checks (its token distance within the edits the bound
  // allows, or a typo pair); false only when it cannot.
  bool SketchMayPass(const std::vector<uint16_t>& sketch) const;

  // Verification and scoring (matcher_verify.cc).
  absl::Status PrepareContext();
  // Finds the query's typo pairs (typo.h) into typos_.
  absl::Status PrepareTypos();
  absl::Status Consider(uint64_t id, const UnitKeys& keys);
  // Cancelled once options_.cancelled says so.
  absl::Status CheckCancelled() const;
  // The same number values, in order (numbers share one key, so units that
  // differ only in numbers are different sources with the same exact hash).
  static uint64_t NumberSignature(const SideKey& k);
  // Whether `k` has a number token (units of one exact hash all have, or
  // none has: they share their token keys).
  static bool HasNumber(const SideKey& k);
  // Whether another unit has the same normalised source (the compared side),
  // numbers included: "several translations of one source".
  absl::StatusOr<bool> SeveralTranslations(const SideKey& u);
  absl::StatusOr<double> ContextScore(const Unit& unit);

  // The top k and the result (matcher_top.cc).
  static bool TiedBeforeForm(const Rank& a, const Rank& b);
  // Makes `e`'s form distance known when `r` ties with it up to that key.
  absl::Status KnowFormIfTied(const Rank& r, Entry& e);
  // Computes e.match.form_distance from the unit's text.
  absl::Status KnowForm(Entry& e);
  // The form distance of unit side `u` aligned by `ops`; remembers each
  // token pair's in form_pairs_.
  uint32_t FormDistance(const AnalyzedSegment& u, const std::vector<EditOp>& ops);
  // The matched token pairs of unit side `u` (its keys) aligned by `ops`
  // that are written differently, as form_pairs_ keys.
  FormPairList FormPairs(const SideKey& u, const std::vector<EditOp>& ops) const;
  // Sets *distance to the sum of the form distances of `pairs` when
  // form_pairs_ knows each; false when one is unknown (the unit must be read).
  bool KnownFormDistance(const FormPairList& pairs, uint32_t* distance) const;
  absl::Status Offer(Entry entry);
  absl::StatusOr<LookupResult> Finish();

  IndexView& view_;
  const Analyzer& analyzer_;
  const AnalyzedSegment& query_;
  const text::Language unit_language_;
  const text::Language other_language_;
  const LookupOptions& options_;
  const double threshold_;
  const TokenPattern pattern_;
  double bound_;  // a unit must reach this (gross upper bound) to enter the top k
  bool has_context_ = false;
  uint64_t prev_hash_ = 0, next_hash_ = 0;
  uint64_t scored_ = 0;
  UnitIds exact_ids_;              // the exact path's candidates, ascending
  std::vector<uint16_t> sketch_;   // a candidate's sketch (ConsiderId)
  uint64_t passed_by_sketch_ = 0;  // candidates SketchMayPass ruled out
  // Exact hash -> number signature -> units of the hash with it.
  using Signatures = absl::flat_hash_map<uint64_t, uint32_t>;
  absl::flat_hash_map<uint64_t, Signatures> signatures_;
  std::vector<Entry> top_;  // best first
  // A query token's form distance to a unit token written otherwise, by
  // (query token index << 32 | the unit token's surface): it depends only
  // on that surface (FormText), so one unit read serves every unit that
  // writes its differing words alike (duplicates of one text, or variants
  // of one sentence with another word replaced: tied up to their writing).
  absl::flat_hash_map<uint64_t, uint32_t> form_pairs_;
  // The query's typo pairs. The indexed lookup finds them after the exact
  // path unless k matches of score 100 are held already (no unit with a typo
  // pair scores 100): then it has none, and its answer is still the
  // exhaustive one.
  TypoCosts typos_;
  std::vector<QueryToken> tokens_;      // FuzzyPath's
  uint32_t read_lo_ = 1, read_hi_ = 0;  // the lengths tokens_ hold lists of
};

}  // namespace qantara::match::matcher_internal

#endif  // QANTARA_SERVICE_MATCH_MATCHER_INTERNAL_H_
