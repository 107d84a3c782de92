// Edit distances: token-level (on MatchToken keys) and character-level.
#ifndef QANTARA_SERVICE_MATCH_EDIT_DISTANCE_H_
#define QANTARA_SERVICE_MATCH_EDIT_DISTANCE_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "service/match/segment.h"

namespace qantara::match {

// Levenshtein distance between the key sequences of `a` and `b` (unit costs),
// if it is at most `bound`; otherwise some value > bound. Banded: O(bound *
// max(|a|, |b|)) time, stops as soon as a whole band row exceeds `bound`.
uint32_t BoundedTokenDistance(const std::vector<MatchToken>& a, const std::vector<MatchToken>& b,
                              uint32_t bound);

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

// An optimal (minimum-edit) alignment of the key sequences, in order. Among
// optimal alignments it prefers matches, then substitutions. O(|a| * |b|).
std::vector<EditOp> AlignTokens(const std::vector<MatchToken>& a, const std::vector<MatchToken>& b);

// Levenshtein distance between `a` and `b` counted in Unicode code points
// (invalid UTF-8 bytes count as one unit each).
uint32_t CharDistance(std::string_view a, std::string_view b);

}  // namespace qantara::match

#endif  // QANTARA_SERVICE_MATCH_EDIT_DISTANCE_H_
