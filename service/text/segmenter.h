// Sentence segmentation of Arabic and English documents.
//
// Contract: the segmenter never changes or drops a character. Each sentence
// is a span of the input; the spans are in order, non-overlapping, non-empty,
// and start and end on non-whitespace. What lies between them (spaces,
// newlines, blank lines) is a gap, so input == gap0 + s0 + gap1 + s1 + ...
// (With SplitOptions::keep_empty, blank lines also give empty spans, which
// lie inside the gaps and change nothing of the above.)
//
// How boundaries are decided: SRX 2.0 rules (service/text/srx.h) first, in
// order, the first rule that matches at a position wins; where no rule
// matches, ICU's sentence BreakIterator (UAX #29) decides. qantara ships its
// own SRX rules (service/text/rules/qantara.srx, built into the library):
// line and paragraph breaks are hard boundaries; no break after
// abbreviations (Arabic د. أ. ص.ب. ق.م. ..., English Mr. Dr. U.S. e.g. No. 5,
// initials), inside numbers, after list markers, after a quoted question
// followed by its attribution, before a comma or semicolon, after an Arabic
// ellipsis followed by more Arabic on the line (a pause); a break after an
// Arabic quoted sentence closed without a full stop when a new clause
// follows, before a dialogue dash, after a stage direction such as (ضحك)
// that follows a sentence or opens a line. ".." ends an Arabic sentence.
// A user's SRX document can extend or replace those rules.
#ifndef QANTARA_SERVICE_TEXT_SEGMENTER_H_
#define QANTARA_SERVICE_TEXT_SEGMENTER_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "service/text/language.h"

namespace qantara::text {

// A span of a UTF-8 text, both as byte offsets and as code-point offsets.
struct TextSpan {
  size_t byte_begin = 0;
  size_t byte_end = 0;
  size_t char_begin = 0;
  size_t char_end = 0;

  std::string_view In(std::string_view text) const { return text.substr(byte_begin, byte_end - byte_begin); }
  friend bool operator==(const TextSpan&, const TextSpan&) = default;
};

// How a segmenter is built.
struct SegmenterOptions {
  Language language = Language::kEnglish;
  // Text of an SRX 2.0 document whose rules for `language` apply; empty for
  // none. Its map rules are matched against "ar" or "en".
  std::string srx;
  // How `srx` combines with qantara's built-in rules. kExtend: the user's
  // rules come first (they win where both match), then the built-in ones.
  // kReplace: the built-in rules are dropped (line breaks are then hard only
  // through ICU's rules, which a user's no-break rule can override).
  enum class SrxMode { kExtend, kReplace };
  SrxMode srx_mode = SrxMode::kExtend;
};

// Options of one Split() call.
struct SplitOptions {
  // When true, every blank (whitespace-only) line gives an empty span
  // (byte_begin == byte_end) at the start of that line, so that paragraph
  // breaks survive a one-sentence-a-line rendering. Default: dropped.
  bool keep_empty = false;
};

// Splits text into sentences. Thread-safe: Split() may be called from many
// threads at once on one instance.
class SentenceSegmenter {
 public:
  // Builds a segmenter for `lang` with the built-in rules. Fails only if
  // ICU's break rules cannot be loaded (a broken ICU install).
  static absl::StatusOr<std::unique_ptr<SentenceSegmenter>> Create(Language lang);

  // Builds a segmenter from `options`. Errors: InvalidArgument
  // "SRX line N: ..." when options.srx is not a valid SRX document or holds
  // a regular expression ICU cannot compile.
  static absl::StatusOr<std::unique_ptr<SentenceSegmenter>> Create(const SegmenterOptions& options);

  virtual ~SentenceSegmenter() = default;

  // Returns the sentences of `text` in order. With the built-in rules, line
  // breaks are hard boundaries, so a headline without a full stop is its own
  // sentence. Errors: InvalidArgument when `text` is not valid UTF-8;
  // ResourceExhausted when a user's SRX rule backtracks without end on it.
  virtual absl::StatusOr<std::vector<TextSpan>> Split(std::string_view text,
                                                      const SplitOptions& options) const = 0;

  absl::StatusOr<std::vector<TextSpan>> Split(std::string_view text) const {
    return Split(text, SplitOptions());
  }
};

// The text of qantara's built-in SRX document (service/text/rules/qantara.srx,
// embedded at build time).
std::string_view BuiltinSrx();

}  // namespace qantara::text

#endif  // QANTARA_SERVICE_TEXT_SEGMENTER_H_
