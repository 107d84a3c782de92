// Documents as the aligner sees them: sentences (from a segmenter or given
// pre-split) with their spans and paragraph ends, and bead texts.
#ifndef QANTARA_SERVICE_ALIGN_DOCUMENT_H_
#define QANTARA_SERVICE_ALIGN_DOCUMENT_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "service/align/aligner.h"
#include "service/text/segmenter.h"

namespace qantara::align {

// A sentence of a document: its span in the document text and whether a
// line break follows it (the end of a paragraph or line).
struct DocSentence {
  text::TextSpan span;
  bool paragraph_end = false;
};

// Splits `text` with `segmenter`; a sentence is a paragraph end when the gap
// after it holds a line break, or it is the last. InvalidArgument for invalid
// UTF-8.
absl::StatusOr<std::vector<DocSentence>> SegmentDocument(const text::SentenceSegmenter& segmenter,
                                                         std::string_view text);

// The aligner input for sentence spans of a document (views into `text`).
std::vector<SentenceInput> ToInput(std::string_view text, const std::vector<DocSentence>& sentences);

// The texts of sentences [begin, end) joined by one space, with any TAB,
// CR or LF inside turned into a space (so the result fits one TSV field).
std::string JoinForField(const std::vector<SentenceInput>& sentences, int begin, int end);

}  // namespace qantara::align

#endif  // QANTARA_SERVICE_ALIGN_DOCUMENT_H_
