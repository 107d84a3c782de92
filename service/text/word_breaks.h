// Word boundaries without ICU's per-call machinery, for the text that makes
// up nearly all of qantara's input (Latin, Arabic, Greek, Cyrillic scripts,
// digits, punctuation, spaces).
//
// For such text the Unicode word-boundary rules (UAX #29) that ICU's default
// ("root") word BreakIterator applies reduce to a handful: CR LF, newlines,
// runs of spaces, Extend/Format characters attached to what precedes them,
// letters and digits joined (WB5, WB8-WB10), letters joined across one
// MidLetter/MidNumLet/quote (e.g, don't), digits across one MidNum/MidNumLet
// (1,000.5). FastWordBreaks applies exactly those, with each character's
// Word_Break property taken from ICU once per process and ICU's tailoring of
// it ('@' is a letter, ':' is not MidLetter), and gives the same
// boundaries and rule statuses as the ICU iterator (tests/service/text
// compares the two on real and random text). Text with any character the
// reduced rules do not cover is refused, and the caller uses ICU.
#ifndef QANTARA_SERVICE_TEXT_WORD_BREAKS_H_
#define QANTARA_SERVICE_TEXT_WORD_BREAKS_H_

#include <cstdint>
#include <string_view>
#include <vector>

namespace qantara::text {

// One piece between two word boundaries: it ends at byte `end` (it begins
// where the previous piece ends, or at 0) and `status` is ICU's rule status
// for the boundary at its end (UBRK_WORD_NONE 0, UBRK_WORD_NUMBER 100 for a
// piece ending in a number, UBRK_WORD_LETTER 200 for one ending in a letter).
struct WordPiece {
  int32_t end = 0;
  int32_t status = 0;
};

// Replaces *out with the pieces of `text`, as ICU's root word BreakIterator
// cuts it, and returns true; returns false (*out unspecified) when `text`
// holds a character outside the reduced rules: CJK, kana, Hangul, Thai and
// other dictionary scripts, Hebrew letters, Extended_Pictographic (emoji,
// (c) (r)), ExtendNumLet connectors (_ and U+202F), regional indicators,
// letters ICU counts as ALetter that are not alphabetic, anything above
// U+FFFF. REQUIRES: `text` is valid UTF-8 and at most 2 GiB.
bool FastWordBreaks(std::string_view text, std::vector<WordPiece>* out);

}  // namespace qantara::text

#endif  // QANTARA_SERVICE_TEXT_WORD_BREAKS_H_
