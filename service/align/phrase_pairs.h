// Word alignment of one sentence pair and phrase extraction from it, for
// subsegment recall (tm::Memories::Fragments): pure algorithms over token
// indices and an association score, no text, no storage.
//
// - CompetitiveLinks: Melamed's competitive linking (2000): every source x
//   target pair scored by an association (e.g. Dice over a memory's units),
//   the best pair linked first, each word linked at most once; ties go to the
//   pair nearer the diagonal. One-to-one links are few but precise.
// - ExtractTargetSpan: the phrase-pair consistency rule of phrase-based SMT
//   (Och & Ney 2004; Koehn et al. 2003): the smallest target span covering the
//   targets linked to a source run, valid only if no target word inside it is
//   linked to a source word outside the run. Unlinked target words inside are
//   kept; unlinked words at the edges are not added (the minimal span).
#ifndef QANTARA_SERVICE_ALIGN_PHRASE_PAIRS_H_
#define QANTARA_SERVICE_ALIGN_PHRASE_PAIRS_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace qantara::align {

// A link between source word `s` and target word `t`.
struct WordLink {
  uint32_t s = 0;
  uint32_t t = 0;
  double score = 0;
  friend bool operator==(const WordLink& a, const WordLink& b) { return a.s == b.s && a.t == b.t; }
};

// One-to-one links of an `n_source` x `n_target` pair: pairs with
// score(s, t) >= min_score, best first (ties: nearer the diagonal, then
// lower indices); a pair is linked when neither word is linked yet. Sorted
// by source index. score is called once per pair.
std::vector<WordLink> CompetitiveLinks(uint32_t n_source, uint32_t n_target,
                                       const std::function<double(uint32_t s, uint32_t t)>& score,
                                       double min_score);

// The target span of source run [begin, end) under `links`.
struct TargetSpan {
  uint32_t begin = 0;          // first target word
  uint32_t end = 0;            // one past the last
  uint32_t linked_source = 0;  // words of the run with a link
  uint32_t linked_target = 0;  // words of the span with a link (all into the run)
};

// The minimal consistent target span of source run [begin, end), or nullopt
// when no word of the run is linked or a target word inside the span is
// linked to a source word outside the run.
std::optional<TargetSpan> ExtractTargetSpan(const std::vector<WordLink>& links, uint32_t begin, uint32_t end);

// How many ids the sorted, distinct lists `a` and `b` share (galloping
// through the longer one when their sizes differ much).
uint64_t CountShared(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b);

// Dice's coefficient 2 * joint / (count_a + count_b); 0 when both are 0.
inline double Dice(uint64_t joint, uint64_t count_a, uint64_t count_b) {
  return count_a + count_b == 0 ? 0.0
                                : 2.0 * static_cast<double>(joint) / static_cast<double>(count_a + count_b);
}

}  // namespace qantara::align

#endif  // QANTARA_SERVICE_ALIGN_PHRASE_PAIRS_H_
