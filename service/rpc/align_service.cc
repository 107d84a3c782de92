#include "service/rpc/align_service.h"

#include <algorithm>
#include <chrono>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "service/align/document.h"
#include "service/rpc/grpc_status.h"
#include "service/text/utf8.h"

namespace qantara::rpc {
namespace {

constexpr uint32_t kDefaultBeadsPerMessage = 1000;

// One side of the request as the aligner's input plus what is needed to
// report spans.
struct Side {
  std::vector<align::SentenceInput> input;
  std::vector<align::DocSentence> spans;  // raw text only
  bool raw = false;
};

absl::Status LoadSide(bool has_text, const std::string& text, bool has_list,
                      const qantara::v1::SentenceList& list, const text::SentenceSegmenter& seg,
                      const char* name, Side* side) {
  if (has_text) {
    side->raw = true;
    absl::StatusOr<std::vector<align::DocSentence>> spans = align::SegmentDocument(seg, text);
    if (!spans.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, " text: ", std::string(spans.status().message())));
    }
    side->spans = *std::move(spans);
    side->input = align::ToInput(text, side->spans);
    return absl::OkStatus();
  }
  if (has_list) {
    for (int k = 0; k < list.sentences_size(); ++k) {
      const std::string& s = list.sentences(k);
      if (absl::Status st = text::ValidateUtf8(s); !st.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(name, " sentence ", k, ": ",
                                                       std::string(st.message())));
      }
      side->input.push_back({s, false});
    }
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      absl::StrCat("the ", name, " document is missing (set ", name, "_text or ", name,
                   "_sentences)"));
}

void FillSide(const Side& side, int begin, int end, qantara::v1::BeadSide* out) {
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

}  // namespace

namespace {

// Loads the default aligner, falling back to length and anchors only when
// the dictionaries are missing; reports through `on_loaded`.
absl::StatusOr<std::shared_ptr<const align::Aligner>> LoadAligner(
    const std::string& dictd_dir, const AlignServiceImpl::LoadedCallback& on_loaded) {
  const auto start = std::chrono::steady_clock::now();
  std::string warning;
  absl::StatusOr<std::unique_ptr<align::Aligner>> aligner =
      align::CreateDefaultAligner(dictd_dir, align::AlignerOptions());
  if (!aligner.ok() && aligner.status().code() == absl::StatusCode::kNotFound) {
    warning = absl::StrCat("FreeDict dictionaries not found (",
                           std::string(aligner.status().message()),
                           "); aligning by length and anchors only");
    aligner = align::CreateDefaultAligner("", align::AlignerOptions());
  }
  if (!aligner.ok()) {
    warning = absl::StrCat("aligner unavailable: ", std::string(aligner.status().message()));
  }
  const int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::steady_clock::now() - start)
                         .count();
  if (on_loaded) on_loaded(warning, ms);
  if (!aligner.ok()) return aligner.status();
  return std::shared_ptr<const align::Aligner>(*std::move(aligner));
}

}  // namespace

absl::StatusOr<std::unique_ptr<AlignServiceImpl>> AlignServiceImpl::Create(
    const std::string& dictd_dir, LoadedCallback on_loaded) {
  std::unique_ptr<AlignServiceImpl> impl(new AlignServiceImpl());
  impl->aligner_ = std::async(std::launch::async, LoadAligner, dictd_dir, std::move(on_loaded)).share();
  auto ar = text::SentenceSegmenter::Create(text::Language::kArabic);
  if (!ar.ok()) return ar.status();
  auto en = text::SentenceSegmenter::Create(text::Language::kEnglish);
  if (!en.ok()) return en.status();
  impl->arabic_ = *std::move(ar);
  impl->english_ = *std::move(en);
  return impl;
}

grpc::Status AlignServiceImpl::Align(grpc::ServerContext* context,
                                     const qantara::v1::AlignRequest* request,
                                     grpc::ServerWriter<qantara::v1::AlignResponse>* writer) {
  Side ar, en;
  using R = qantara::v1::AlignRequest;
  absl::Status s = LoadSide(request->arabic_case() == R::kArabicText, request->arabic_text(),
                            request->arabic_case() == R::kArabicSentences,
                            request->arabic_sentences(), *arabic_, "arabic", &ar);
  if (s.ok()) {
    s = LoadSide(request->english_case() == R::kEnglishText, request->english_text(),
                 request->english_case() == R::kEnglishSentences, request->english_sentences(),
                 *english_, "english", &en);
  }
  if (!s.ok()) return ToGrpcStatus(s);
  align::DocumentPairInput input{ar.input, en.input};
  const absl::StatusOr<std::shared_ptr<const align::Aligner>>& aligner = aligner_.get();
  if (!aligner.ok()) return ToGrpcStatus(aligner.status());
  absl::StatusOr<align::Alignment> alignment = (*aligner)->Align(input);
  if (!alignment.ok()) return ToGrpcStatus(alignment.status());

  const uint32_t per_message =
      request->max_beads_per_message() ? request->max_beads_per_message() : kDefaultBeadsPerMessage;
  const double threshold = (*aligner)->options().accept_threshold;
  const std::vector<align::Bead>& beads = alignment->beads;
  uint32_t accepted = 0;
  size_t k = 0;
  do {
    if (context->IsCancelled()) return grpc::Status(grpc::StatusCode::CANCELLED, "cancelled");
    qantara::v1::AlignResponse msg;
    const size_t end = std::min(beads.size(), k + per_message);
    for (; k < end; ++k) {
      const align::Bead& b = beads[k];
      qantara::v1::Bead* out = msg.add_beads();
      FillSide(ar, b.ar_begin, b.ar_end, out->mutable_arabic());
      FillSide(en, b.en_begin, b.en_end, out->mutable_english());
      out->set_confidence(b.confidence);
      const bool acc = b.confidence >= threshold;
      out->set_accepted(acc);
      accepted += acc;
    }
    if (k == beads.size()) {
      qantara::v1::AlignSummary* sum = msg.mutable_summary();
      sum->set_arabic_sentences(static_cast<uint32_t>(ar.input.size()));
      sum->set_english_sentences(static_cast<uint32_t>(en.input.size()));
      sum->set_beads(static_cast<uint32_t>(beads.size()));
      sum->set_accepted_beads(accepted);
      sum->set_accept_threshold(threshold);
    }
    if (!writer->Write(msg)) return grpc::Status(grpc::StatusCode::CANCELLED, "client went away");
  } while (k < beads.size());
  return grpc::Status::OK;
}

}  // namespace qantara::rpc
