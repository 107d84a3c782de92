// The document sides of AlignService requests (raw text or sentence lists)
// as the aligner's input, and bead sides back as proto messages.
#ifndef QANTARA_SERVICE_RPC_ALIGN_INPUT_H_
#define QANTARA_SERVICE_RPC_ALIGN_INPUT_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "qantara/v1/align.pb.h"
#include "service/align/aligner.h"
#include "service/align/document.h"
#include "service/text/segmenter.h"
#include "service/tm/request_limits.h"

namespace qantara::rpc {

// One side of a request as the aligner's input plus what is needed to
// report spans. `input` views the request's strings.
struct AlignSide {
  std::vector<align::SentenceInput> input;
  std::vector<align::DocSentence> spans;  // raw text only
  bool raw = false;
};

// Loads one side: raw `text` (has_text; split with `seg`) or `list`
// (has_list). InvalidArgument when neither is set or the text is not UTF-8;
// `name` ("arabic", "english") names the side in messages.
// REQUIRES: text and list outlive `side`.
// With `limits`, refuses a side over max_document_bytes (before segmenting)
// or max_align_sentences.
absl::Status LoadAlignSide(bool has_text, const std::string& text, bool has_list,
                           const qantara::v1::SentenceList& list, const text::SentenceSegmenter& seg,
                           const char* name, AlignSide* side,
                           const std::optional<tm::RequestLimits>& limits = std::nullopt);

// Fills `out` with sentences [begin, end) of `side`: indices, joined text and,
// for raw text, offsets.
void FillBeadSide(const AlignSide& side, int begin, int end, qantara::v1::BeadSide* out);

}  // namespace qantara::rpc

#endif  // QANTARA_SERVICE_RPC_ALIGN_INPUT_H_
