// AlignService request sides to aligner input (raw text segmented, or sentence
// lists checked as UTF-8), and bead sides back as proto messages.
#include "service/rpc/align_input.h"

#include "absl/strings/str_cat.h"
#include "service/base/error_details.h"
#include "service/base/status_macros.h"
#include "service/text/utf8.h"

namespace qantara::rpc {

absl::Status LoadAlignSide(bool has_text, const std::string& text, bool has_list,
                           const qantara::v1::SentenceList& list, const text::SentenceSegmenter& seg,
                           const char* name, AlignSide* side,
                           const std::optional<tm::RequestLimits>& limits) {
  // The request fields: "arabic_text", "arabic_sentences.sentences".
  const std::string text_field = absl::StrCat(name, "_text");
  const std::string list_field = absl::StrCat(name, "_sentences.sentences");
  size_t bytes = has_text ? text.size() : 0;
  if (has_list) {
    QANTARA_RETURN_IF_ERROR(WithField(
        tm::CheckLimit(limits, absl::StrCat(name, " sentences").c_str(),
                       static_cast<size_t>(list.sentences_size()), &tm::RequestLimits::max_align_sentences),
        list_field));
    for (const std::string& s : list.sentences()) bytes += s.size();
  }
  QANTARA_RETURN_IF_ERROR(WithField(tm::CheckLimit(limits, absl::StrCat(name, " bytes").c_str(), bytes,
                                                   &tm::RequestLimits::max_document_bytes),
                                    has_text ? text_field : list_field));
  if (has_text) {
    side->raw = true;
    absl::StatusOr<std::vector<align::DocSentence>> spans = align::SegmentDocument(seg, text);
    if (!spans.ok()) {
      return FieldError(text_field, absl::StrCat(name, " text: ", std::string(spans.status().message())));
    }
    side->spans = *std::move(spans);
    side->input = align::ToInput(text, side->spans);
    return WithField(tm::CheckLimit(limits, absl::StrCat(name, " sentences").c_str(), side->input.size(),
                                    &tm::RequestLimits::max_align_sentences),
                     text_field);
  }
  if (has_list) {
    for (int k = 0; k < list.sentences_size(); ++k) {
      const std::string& s = list.sentences(k);
      if (absl::Status st = text::ValidateUtf8(s); !st.ok()) {
        return FieldError(absl::StrCat(name, "_sentences.sentences[", k, "]"),
                          absl::StrCat(name, " sentence ", k, ": ", std::string(st.message())));
      }
      side->input.push_back({s, false});
    }
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      absl::StrCat("the ", name, " document is missing (set ", name, "_text or ", name, "_sentences)"));
}

void FillBeadSide(const AlignSide& side, int begin, int end, qantara::v1::BeadSide* out) {
  for (int k = begin; k < end; ++k) out->add_sentence_indices(static_cast<uint32_t>(k));
  std::string text;
  for (int k = begin; k < end; ++k) {
    if (k > begin) text.push_back(' ');
    text.append(side.input[k].text);
  }
  out->set_text(std::move(text));
  if (side.raw && end > begin) {
    out->set_has_offsets(true);
    out->set_byte_begin(side.spans[begin].span.byte_begin);
    out->set_byte_end(side.spans[end - 1].span.byte_end);
    out->set_char_begin(side.spans[begin].span.char_begin);
    out->set_char_end(side.spans[end - 1].span.char_end);
  }
}

}  // namespace qantara::rpc
