// Typo neighbours: the words of a memory one character edit from a query word
// the memory does not know, found by asking the index for the keys of that
// word's one-edit variants (no character index is needed: a variant is a
// token key like any other).
//
// A typo pair is a query word w and a word v of the memory such that
//  - w is a word of letters of one alphabet (a-z, or Arabic letters), as
//    normalised (case folded, harakat and tatweel removed, alef/ى/ة folded),
//    with maybe marks "_" (mnemonics), "-", "'" (edits never insert one);
//  - no unit has w on the compared side (a word the memory knows is not a
//    typo: "form" is not a typo of "from" when the memory has "form");
//  - v is w with one letter deleted, inserted or replaced, or two adjacent
//    letters swapped, with letters of w's alphabet;
//  - the shorter of w and v has at least 3 letters and the longer at least 4
//    (so that "of" is no typo of "or", nor "cat" of "car").
// Only words of at most 24 letters, and the first 8 unknown words of a
// query (in query order), have typo neighbours: bounds on the index reads.
// Their substitution costs 1 / (the longer word's length, marks included)
// instead of 1: the character edit ratio (scorer.h). Both the indexed and the exhaustive lookup
// use these pairs, so they agree.
#ifndef QANTARA_SERVICE_MATCH_TYPO_H_
#define QANTARA_SERVICE_MATCH_TYPO_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "service/match/edit_distance.h"
#include "service/match/index_view.h"
#include "service/match/segment.h"

namespace qantara::match {

struct TypoVariant {
  std::string text;     // UTF-8
  uint32_t length = 0;  // in code points
};

// The distinct one-edit variants of the normalised word `norm` that can form
// a typo pair with it (above); none when it is not a word of one alphabet.
std::vector<TypoVariant> TypoVariants(std::string_view norm);

// The typo pairs of `query` (AnalyzedSegment::norms; none without them) with
// the words of `view` on `side`.
absl::StatusOr<TypoCosts> FindTypos(IndexView& view, Side side, const AnalyzedSegment& query);

}  // namespace qantara::match

#endif  // QANTARA_SERVICE_MATCH_TYPO_H_
