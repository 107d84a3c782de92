// qantara.v1.AlignService's setup and Align handler: loading the aligner (length
// and anchors only without dictionaries) and aligning a document pair over gRPC.
#include "service/rpc/align_service.h"

#include <algorithm>
#include <chrono>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "service/base/low_priority.h"
#include "service/rpc/align_input.h"
#include "service/rpc/auth.h"
#include "service/rpc/call_admission.h"
#include "service/rpc/enum_check.h"
#include "service/rpc/grpc_status.h"
#include "service/tm/align_to_memory.h"

namespace qantara::rpc {
namespace {

constexpr uint32_t kDefaultBeadsPerMessage = 1000;

// Loads the default aligner, falling back to length and anchors only when
// the dictionaries are missing; reports through `on_loaded`.
absl::StatusOr<std::shared_ptr<const align::Aligner>> LoadAligner(
    const std::string& dictd_dir, const AlignServiceImpl::LoadedCallback& on_loaded) {
  const auto start = std::chrono::steady_clock::now();
  std::string warning;
  absl::StatusOr<std::unique_ptr<align::Aligner>> aligner =
      align::CreateDefaultAligner(dictd_dir, align::AlignerOptions());
  if (!aligner.ok() && aligner.status().code() == absl::StatusCode::kNotFound) {
    warning = absl::StrCat("FreeDict dictionaries not found (", std::string(aligner.status().message()),
                           "); aligning by length and anchors only");
    aligner = align::CreateDefaultAligner("", align::AlignerOptions());
  }
  if (!aligner.ok()) {
    warning = absl::StrCat("aligner unavailable: ", std::string(aligner.status().message()));
  }
  const int64_t ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  if (on_loaded) on_loaded(warning, ms);
  if (!aligner.ok()) return aligner.status();
  return std::shared_ptr<const align::Aligner>(*std::move(aligner));
}

}  // namespace

absl::StatusOr<std::unique_ptr<AlignServiceImpl>> AlignServiceImpl::Create(const std::string& dictd_dir,
                                                                           LoadedCallback on_loaded) {
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

void AlignServiceImpl::UseMemories(tm::Memories& memories, storage::LexiconStore& lexicons,
                                   const tm::MemoryLexiconOptions& options) {
  memories_ = &memories;
  lexicons_ = std::make_unique<tm::MemoryLexicons>(memories, lexicons, options);
}

void AlignServiceImpl::DetachMemories() {
  lexicons_.reset();
  memories_ = nullptr;
}

grpc::Status AlignServiceImpl::Align(grpc::ServerContext* context, const qantara::v1::AlignRequest* request,
                                     grpc::ServerWriter<qantara::v1::AlignResponse>* writer) {
  absl::StatusOr<tm::Principal> who =
      request->memory().empty()
          ? Allow(context, tm::Role::kReader, "align")
          : AllowMemory(context, request->memory(), tm::Role::kReader, "align with a memory's lexicon");
  if (!who.ok()) return ToGrpcStatus(who.status());
  if (absl::Status s = CheckEnums(*request); !s.ok()) return ToGrpcStatus(s);
  AlignSide ar, en;
  using R = qantara::v1::AlignRequest;
  absl::Status s = LoadAlignSide(request->arabic_case() == R::kArabicText, request->arabic_text(),
                                 request->arabic_case() == R::kArabicSentences, request->arabic_sentences(),
                                 *arabic_, "arabic", &ar, limits_);
  if (s.ok()) {
    s = LoadAlignSide(request->english_case() == R::kEnglishText, request->english_text(),
                      request->english_case() == R::kEnglishSentences, request->english_sentences(),
                      *english_, "english", &en, limits_);
  }
  if (!s.ok()) return ToGrpcStatus(s);
  absl::StatusOr<CallSlot> slot = Admit(context, CallKind::kHeavyStream, "Align");
  if (!slot.ok()) return ToGrpcStatus(slot.status());
  align::DocumentPairInput input{ar.input, en.input};
  const absl::StatusOr<std::shared_ptr<const align::Aligner>>& aligner = aligner_.get();
  if (!aligner.ok()) return ToGrpcStatus(aligner.status());
  absl::StatusOr<align::Alignment> alignment = RunAtLowPriority([&] {
    return tm::AlignWithMemory(**aligner, lexicons_.get(), request->memory(), input,
                               [context] { return context->IsCancelled(); });
  });
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
      FillBeadSide(ar, b.ar_begin, b.ar_end, out->mutable_arabic());
      FillBeadSide(en, b.en_begin, b.en_end, out->mutable_english());
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
    if (!writer->Write(msg)) {
      return grpc::Status(grpc::StatusCode::CANCELLED, "client went away");
    }
  } while (k < beads.size());
  return grpc::Status::OK;
}

}  // namespace qantara::rpc
