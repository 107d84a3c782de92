// Sentence segmentation of Arabic and English documents.
//
// Contract: the segmenter never changes or drops a character. Each sentence
// is a span of the input; the spans are in order, non-overlapping, non-empty,
// and start and end on non-whitespace. What lies between them (spaces,
// newlines, blank lines) is a gap, so input == gap0 + s0 + gap1 + s1 + ...
#ifndef QANTARA_SERVICE_TEXT_SEGMENTER_H_
#define QANTARA_SERVICE_TEXT_SEGMENTER_H_

#include <cstddef>
#include <memory>
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

  std::string_view In(std::string_view text) const {
    return text.substr(byte_begin, byte_end - byte_begin);
  }
  friend bool operator==(const TextSpan&, const TextSpan&) = default;
};

// Splits text into sentences. Thread-safe: Split() may be called from many
// threads at once on one instance.
class SentenceSegmenter {
 public:
  // Builds a segmenter for `lang`. Fails only if ICU's break rules cannot be
  // loaded (a broken ICU install).
  static absl::StatusOr<std::unique_ptr<SentenceSegmenter>> Create(Language lang);

  virtual ~SentenceSegmenter() = default;

  // Returns the sentences of `text` in order. Line breaks are hard
  // boundaries, so a headline without a full stop is its own sentence.
  // Returns InvalidArgument when `text` is not valid UTF-8.
  virtual absl::StatusOr<std::vector<TextSpan>> Split(std::string_view text) const = 0;
};

}  // namespace qantara::text

#endif  // QANTARA_SERVICE_TEXT_SEGMENTER_H_
