// Documents as the aligner sees them: sentences from a segmenter with their
// paragraph ends, as aligner input, and the joined text of a range of sentences.
#include "service/align/document.h"

namespace qantara::align {

absl::StatusOr<std::vector<DocSentence>> SegmentDocument(const text::SentenceSegmenter& segmenter,
                                                         std::string_view text) {
  absl::StatusOr<std::vector<text::TextSpan>> spans = segmenter.Split(text);
  if (!spans.ok()) return spans.status();
  std::vector<DocSentence> out;
  out.reserve(spans->size());
  for (size_t k = 0; k < spans->size(); ++k) {
    DocSentence d;
    d.span = (*spans)[k];
    const size_t gap_end = k + 1 < spans->size() ? (*spans)[k + 1].byte_begin : text.size();
    d.paragraph_end =
        k + 1 == spans->size() ||
        text.substr(d.span.byte_end, gap_end - d.span.byte_end).find('\n') != std::string_view::npos;
    out.push_back(d);
  }
  return out;
}

std::vector<SentenceInput> ToInput(std::string_view text, const std::vector<DocSentence>& sentences) {
  std::vector<SentenceInput> out;
  out.reserve(sentences.size());
  for (const DocSentence& s : sentences) out.push_back({s.span.In(text), s.paragraph_end});
  return out;
}

std::string JoinForField(const std::vector<SentenceInput>& sentences, int begin, int end) {
  std::string out;
  for (int k = begin; k < end; ++k) {
    if (k > begin) out.push_back(' ');
    for (char c : sentences[k].text) out.push_back(c == '\t' || c == '\n' || c == '\r' ? ' ' : c);
  }
  return out;
}

}  // namespace qantara::align
