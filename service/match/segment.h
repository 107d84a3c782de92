// A segment as the matcher sees it: its matchable tokens (normalised keys and
// hashes of their real forms) and the characters set aside from the token
// comparison (punctuation, inline codes, unusual whitespace).
//
// SideKey is what the index stores per unit side: enough to compute the score,
// the gross score and every text-based penalty without reading the text.
#ifndef QANTARA_SERVICE_MATCH_SEGMENT_H_
#define QANTARA_SERVICE_MATCH_SEGMENT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace qantara::match {

// Which side of a unit a lookup compares with (kTarget: reverse lookup).
enum class Side : uint8_t { kSource = 0, kTarget = 1 };

// One token that takes part in the token-level edit distance: words,
// numbers, placeholders, symbols, URLs and e-mail addresses.
struct MatchToken {
  // Hash64 of the token's normalised form (service/text/normalizer.h: harakat,
  // tatweel, format marks removed, alef/ى/ة folded, digits folded, case folded).
  // Every number has the same key, kNumberKey: numbers differ by penalty only.
  uint64_t key = 0;
  // Hash32 of the token's text as written (numbers: of their ASCII value, so
  // the same number in another digit script has the same surface).
  uint32_t surface = 0;
  // Hash32 of the text as written after case folding only (numbers: = surface).
  uint32_t folded = 0;

  friend bool operator==(const MatchToken&, const MatchToken&) = default;
};

// A token key folded to 16 bits. A unit's sketch (the sketches of one
// side's token keys, in order) bounds its token distance to a query from
// below without its keys (equal keys have equal sketches), so a lookup can
// pass over a candidate that cannot reach the k-th match without reading it
// (IndexView::KeySketch, TokenPattern::SketchDistance).
inline uint16_t SketchOf(uint64_t key) { return static_cast<uint16_t>(key >> 48); }

// The key of every number token.
uint64_t NumberKey();

struct SideKey {
  std::vector<MatchToken> tokens;
  std::string punctuation;   // punctuation tokens as written, in order, concatenated
  std::string inline_codes;  // inline tags as written, in order, concatenated
  // Whitespace that is not a single U+0020 between two tokens (leading and
  // trailing whitespace, double spaces, tabs, no-break spaces), concatenated.
  std::string whitespace;

  // Hash of the normalised token sequence: the exact-match key.
  uint64_t ExactHash() const;

  friend bool operator==(const SideKey&, const SideKey&) = default;
};

// A number token of an analysed segment.
enum class DigitScript : uint8_t { kAscii = 0, kArabicIndic = 1, kExtendedArabicIndic = 2 };
struct NumberToken {
  uint32_t token = 0;  // index into SideKey::tokens
  std::string value;   // ASCII digits with their separators as normalised ("1,000", "3.5")
  DigitScript script = DigitScript::kAscii;
};

// A segment analysed for matching: its text, key, and where each match token is.
struct AnalyzedSegment {
  std::string text;
  SideKey key;
  // Byte span [begin, end) in `text` of each of key.tokens.
  std::vector<std::pair<uint32_t, uint32_t>> spans;
  std::vector<NumberToken> numbers;  // in text order
  // The normalised form of each of key.tokens (empty for numbers), when the
  // analyser gives them (else empty): typo neighbours are found from these.
  std::vector<std::string> norms;
};

// The written form of token `token` of `seg` that form distances compare
// (the same text the token's surface hashes): a word as written without
// format marks (they cost nothing), a number by its value (NumberToken::
// value: its digit script is no difference either). Two tokens with the
// same surface thus have the same form text, so the form distance of a
// query token to a unit token depends only on the unit token's surface.
// `buf` may hold the result.
std::string_view FormText(const AnalyzedSegment& seg, size_t token, std::string& buf);

}  // namespace qantara::match

#endif  // QANTARA_SERVICE_MATCH_SEGMENT_H_
