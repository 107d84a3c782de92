// Scoring one unit against a query: gross score, penalties, diff spans and
// number substitution.
//
// gross = 100 * (1 - cost / max(|q|, |u|)) where cost is the token-level
// Levenshtein distance on normalised keys (every number is one key, so numbers
// never count as edits; both empty: 100), a substitution of a typo pair
// costing its character edit ratio instead of 1: a query word the memory does
// not know and a word one character edit from it (deleted, inserted, replaced
// or two neighbours swapped), 1 / the longer word's length (typo.h; so
// "Out of mmory" ~ "Out of memory" is 100 * (1 - (1/6) / 3) = 94.4).
// Penalties, in points, on the real
// forms of tokens the alignment pairs up:
//   case           1 for the segment when some paired tokens differ only in case
//   orthography    1 for the segment when some differ beyond case only by
//                  normalisation (harakat, tatweel, alef/ى/ة forms, ...)
//   number         2 per paired number of a different value (the same value in
//                  another digit script is not different)
//   punctuation    character edits between the punctuation of both
//   inline_code    character edits between the inline tags of both
//   whitespace     character edits between the unusual whitespace of both
// Bidi and format marks cost nothing. Callers add "multiple_translations",
// "memory" and "attribute" penalties (matcher.h).
#ifndef QANTARA_SERVICE_MATCH_SCORER_H_
#define QANTARA_SERVICE_MATCH_SCORER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "service/match/edit_distance.h"
#include "service/match/segment.h"

namespace qantara::match {

inline constexpr std::string_view kPenaltyCase = "case";
inline constexpr std::string_view kPenaltyOrthography = "orthography";
inline constexpr std::string_view kPenaltyNumber = "number";
inline constexpr std::string_view kPenaltyPunctuation = "punctuation";
inline constexpr std::string_view kPenaltyInlineCode = "inline_code";
inline constexpr std::string_view kPenaltyWhitespace = "whitespace";
inline constexpr std::string_view kPenaltyMultipleTranslations = "multiple_translations";
inline constexpr std::string_view kPenaltyMemory = "memory";
inline constexpr std::string_view kPenaltyAttribute = "attribute";

struct Penalty {
  std::string kind;  // one of the kPenalty* names
  double points = 0;
  friend bool operator==(const Penalty&, const Penalty&) = default;
};

// 100 * (1 - edits / max(m, n)); 100 when both are empty.
double GrossScore(uint32_t edits, size_t m, size_t n);

// 100 * (1 - cost / max(m, n)) (not below 0); 100 when both are empty. Equal
// to GrossScore for a whole number of edits.
double GrossScoreOfCost(double cost, size_t m, size_t n);

// The most edits a pair of lengths m, n may have for GrossScore >= threshold.
// -1 when even 0 edits is not enough (threshold > 100).
int64_t MaxEdits(size_t m, size_t n, double threshold);

struct KeyScore {
  uint32_t edits = 0;  // token edits (a typo pair counts one)
  double cost = 0;     // their cost (typo pairs below 1)
  double gross = 0;
  std::vector<Penalty> penalties;  // text-based ones, in the order listed above
  double penalty_points = 0;       // their sum
  // How far the real texts are apart (edits + paired tokens written
  // differently + set-aside character edits): the tie-break after penalties.
  uint32_t raw_distance = 0;
  // Paired tokens written differently (each also counts in raw_distance).
  uint32_t form_diffs = 0;
  // No token edits, and the only differences are number values (so the
  // target can be adapted; see AdaptNumbers).
  bool only_numbers_differ = false;
};

// Scores unit side `u` against query `q` from their keys alone, with the
// alignment `ops` = AlignTokens(q.tokens, u.tokens, typos) (`typos` may be
// null: no typo pairs).
KeyScore ScoreKeys(const SideKey& q, const SideKey& u, const std::vector<EditOp>& ops,
                   const TypoCosts* typos = nullptr);

// A difference between the query and the unit, for highlighting. Byte
// offsets into the query text and into the unit side's text; an empty range
// marks the position of an insertion or deletion.
struct DiffSpan {
  enum Kind : uint8_t {
    kReplace,  // tokens differ
    kDelete,   // tokens only in the query
    kInsert,   // tokens only in the unit
    kForm,     // the same token written differently (case, spelling, number value)
  };
  Kind kind = kReplace;
  uint32_t query_begin = 0, query_end = 0;
  uint32_t unit_begin = 0, unit_end = 0;
  friend bool operator==(const DiffSpan&, const DiffSpan&) = default;
};
std::string_view DiffKindName(DiffSpan::Kind kind);

// The differences of the alignment `ops` of q with u, consecutive edits merged.
std::vector<DiffSpan> DiffSpans(const AnalyzedSegment& q, const AnalyzedSegment& u,
                                const std::vector<EditOp>& ops);

// Number substitution. REQUIRES: q and u have equal token keys (no edits).
// Pairs the numbers of q and u in order; for every pair of different values,
// replaces each number of `target` (the unit's other side) with the unit's
// value by the query's, written in the digit script of that target number.
// Returns nothing when no value differs or a unit number is not in the target.
std::optional<std::string> AdaptNumbers(const AnalyzedSegment& q, const AnalyzedSegment& u,
                                        const AnalyzedSegment& target);

}  // namespace qantara::match

#endif  // QANTARA_SERVICE_MATCH_SCORER_H_
