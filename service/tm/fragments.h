// Subsegment recall ("fragments", issue 19): when no stored unit matches a
// segment as a whole, the pieces of it the memory knows, with a proposed
// translation of each.
//
// For a query (in the memory's source language, analysed as lookups are:
// Arabic diacritics, alef variants, tatweel... folded):
//  1. runs: for every query word, the units whose source holds it and the
//     next word (the posting list of the rarer of the two), each checked on
//     its stored keys and extended word by word while the query and the unit
//     go on alike. A run has at least 2 words, not only stop words, and no
//     number (every number has the same matching key).
//  2. word alignment of each supporting unit (the newest kMaxFragmentUnits
//     a run): competitive linking (align::CompetitiveLinks) of Dice
//     association between source and target words, counted over the whole
//     memory at query time from the posting lists (units holding both /
//     units holding each), a link needing at least kMinJointUnits units.
//  3. phrase extraction: the minimal target span consistent with the links
//     (align::ExtractTargetSpan) of the run's place in each unit, trimmed to
//     begin and end with a content word (2+ words, no number, every content
//     word aligned into the run); spans with the same words vote.
//  4. consistency: of the units holding the run (up to kMaxConsistencyUnits,
//     newest first), the k whose target holds a candidate's words in a row;
//     the candidate with most wins. confidence = k / (n + 1) x the aligned
//     share of the run's content words: a target one unit gives is worth at
//     most 0.5, one that 4 of 4 units give 0.8. It estimates how often the
//     memory's translators render the run so.
//  5. runs longest first; a run inside an accepted fragment is skipped; a
//     run without a fragment at min_confidence leaves its shorter runs to
//     be tried. Fragments are returned in query order.
// Plain C++ (no proto). Cost: bounded by kMaxRunCandidates units checked a
// word and kMaxAlignedUnits alignments a call; posting lists of more than
// kMaxAssociationUnits units (the, في) are not read: such words get no link.
#ifndef QANTARA_SERVICE_TM_FRAGMENTS_H_
#define QANTARA_SERVICE_TM_FRAGMENTS_H_

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "service/match/unit.h"

namespace qantara::tm {

inline constexpr uint32_t kDefaultMaxFragments = 20;
inline constexpr uint32_t kMaxMaxFragments = 100;
// Two units at least must agree (one unit alone is worth 0.5): on held-out
// pairs (tests/bench/fragments_eval.py) 0.6 gives precision >= 0.8.
inline constexpr double kDefaultFragmentConfidence = 0.6;
// Units aligned per run (and ids returned per fragment).
inline constexpr uint32_t kMaxFragmentUnits = 8;
// Units whose targets are checked for the proposed target per run.
inline constexpr uint32_t kMaxConsistencyUnits = 64;
// Units checked per query word when looking for runs (the newest).
inline constexpr uint32_t kMaxRunCandidates = 2000;
// Unit alignments one call makes at most.
inline constexpr uint32_t kMaxAlignedUnits = 200;
// Words in more units than this get no link (their lists are not read).
inline constexpr uint64_t kMaxAssociationUnits = 100000;
// A link needs the two words together in at least this many units.
inline constexpr uint64_t kMinJointUnits = 2;

struct FragmentsRequest {
  std::string memory;
  std::string text;                                    // in the memory's source language
  uint32_t max_fragments = kDefaultMaxFragments;       // 1..kMaxMaxFragments
  double min_confidence = kDefaultFragmentConfidence;  // 0..1
  match::UnitFilter filter;
  // Asked every 64 units checked or aligned: true stops with Cancelled.
  std::function<bool()> cancelled;
};

struct Fragment {
  std::string source;                         // the query's words, as written
  std::pair<uint32_t, uint32_t> source_span;  // bytes [begin, end) in the query
  uint32_t first_word = 0;                    // index among the query's words
  uint32_t words = 0;                         // >= 2
  std::string target;                         // as written in the first unit giving it
  double confidence = 0;                      // 0..1
  std::vector<uint64_t> unit_ids;             // the units giving this target, newest first
  uint32_t supporting_units = 0;              // units aligned for the run
};

struct FragmentsResult {
  std::vector<Fragment> fragments;  // by first_word, longer first
  uint32_t text_words = 0;
  uint32_t covered_words = 0;
};

}  // namespace qantara::tm

#endif  // QANTARA_SERVICE_TM_FRAGMENTS_H_
