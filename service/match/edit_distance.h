// Edit distances: token-level (on MatchToken keys) and character-level.
#ifndef QANTARA_SERVICE_MATCH_EDIT_DISTANCE_H_
#define QANTARA_SERVICE_MATCH_EDIT_DISTANCE_H_

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "service/match/segment.h"

namespace qantara::match {

// Levenshtein distance between the key sequences of `a` and `b` (unit costs),
// if it is at most `bound`; otherwise some value > bound. Banded: O(bound *
// max(|a|, |b|)) time, stops as soon as a whole band row exceeds `bound`.
uint32_t BoundedTokenDistance(const std::vector<MatchToken>& a, const std::vector<MatchToken>& b,
                              uint32_t bound);

struct EditOp;

// A query prepared for many distance computations: Myers/Hyyrö bit-parallel
// Levenshtein over tokens (O(|b|) word operations per unit) when the query
// has at most 64 tokens, the banded DP otherwise.
class TokenPattern {
 public:
  explicit TokenPattern(const std::vector<MatchToken>& query);
  // Same contract as BoundedTokenDistance(query, b, bound).
  uint32_t Distance(const std::vector<MatchToken>& b, uint32_t bound) const;
  // The very ops of AlignTokens(query, b) (unit costs). Up to 64 query
  // tokens the cost matrix is kept as each column's bit-parallel vertical
  // deltas (two words a column; a cell is two popcounts): O(|b|) word
  // operations and a walk of O(|query| + |b|) cells, instead of the
  // O(|query| * |b|) table.
  std::vector<EditOp> Align(const std::vector<MatchToken>& b) const;
  // A lower bound of Distance(b, bound) given only b's sketch (SketchOf of
  // each of its keys, index_view.h): the distance between the query's sketch
  // and `b_sketch` if at most `bound`, otherwise some value > bound. 0 (no
  // bound) for a query of more than 64 tokens.
  uint32_t SketchDistance(const std::vector<uint16_t>& b_sketch, uint32_t bound) const;

 private:
  // Open-addressing table: distinct query keys (or their sketches) ->
  // position bitmask.
  template <typename Key>
  struct PeqTable {
    std::vector<Key> keys;
    std::vector<uint64_t> masks;
    uint64_t slot_mask = 0;
    // `fold` maps a token key to this table's key.
    void Build(const std::vector<MatchToken>& query, Key (*fold)(uint64_t));
    uint64_t Find(Key key) const;
  };
  // Myers/Hyyrö over b's n tokens, `peq(j)` the query rows equal to b[j].
  template <typename PeqOfColumn>
  uint32_t BitParallel(uint32_t n, uint32_t bound, PeqOfColumn peq) const;

  const std::vector<MatchToken>& query_;
  bool bit_parallel_ = false;
  PeqTable<uint64_t> peq_;
  PeqTable<uint16_t> sketch_peq_;  // of the query's sketch
};

// Typo pairs of one query (service/match/typo.h): unit-token keys one
// character edit from a query token's key, each with the cost of that
// substitution, below 1 (every other substitution costs 1).
class TypoCosts {
 public:
  // `unit_key` is a typo neighbour of `query_key`; `cost` in (0, 1).
  void Add(uint64_t query_key, uint64_t unit_key, double cost);
  bool empty() const { return by_unit_.empty(); }
  // The cost of substituting query key `a` by unit key `b` (a != b).
  double Cost(uint64_t a, uint64_t b) const;
  // Whether `b` is a typo neighbour of some query key.
  bool IsNeighbour(uint64_t b) const { return by_unit_.contains(b); }
  // Whether some token of `b` is.
  bool Touches(const std::vector<MatchToken>& b) const;
  // The typo neighbours of query key `a` (nullptr: none).
  const std::vector<uint64_t>* NeighboursOf(uint64_t a) const;
  // Whether some token of a unit whose sketch is `b` (SketchOf of its keys)
  // may be a typo neighbour (false: none is).
  bool MayTouchSketch(const std::vector<uint16_t>& b) const;

 private:
  absl::flat_hash_set<uint16_t> sketches_;  // SketchOf of by_unit_'s keys
  absl::flat_hash_map<uint64_t, std::vector<std::pair<uint64_t, double>>> by_unit_;  // -> (query key, cost)
  absl::flat_hash_map<uint64_t, std::vector<uint64_t>> by_query_;
};

// The token edit distance with typo pairs: insertions and deletions cost 1,
// a substitution 1 or its typo cost (`typos` may be null: BoundedTokenDistance
// without a bound). O(|a| * |b|).
double WeightedTokenDistance(const std::vector<MatchToken>& a, const std::vector<MatchToken>& b,
                             const TypoCosts* typos);

// One step of an optimal alignment of a query (a) with a unit (b).
struct EditOp {
  enum Kind : uint8_t {
    kMatch,       // equal keys: a[a_index] ~ b[b_index]
    kSubstitute,  // different keys: a[a_index] -> b[b_index]
    kDelete,      // a[a_index] has no counterpart in b
    kInsert,      // b[b_index] has no counterpart in a
  };
  Kind kind;
  uint32_t a_index;  // meaningless for kInsert (the a position it follows)
  uint32_t b_index;  // meaningless for kDelete
};

// An optimal (minimum-cost) alignment of the key sequences, in order, with
// the costs of WeightedTokenDistance (`typos` may be null: unit costs). Among
// optimal alignments it prefers matches, then substitutions. O(|a| * |b|).
std::vector<EditOp> AlignTokens(const std::vector<MatchToken>& a, const std::vector<MatchToken>& b,
                                const TypoCosts* typos = nullptr);

// Levenshtein distance between `a` and `b` counted in Unicode code points
// (invalid UTF-8 bytes count as one unit each).
uint32_t CharDistance(std::string_view a, std::string_view b);

}  // namespace qantara::match

#endif  // QANTARA_SERVICE_MATCH_EDIT_DISTANCE_H_
