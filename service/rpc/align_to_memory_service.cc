// AlignService/AlignToMemory: the proto edge of tm::AlignToMemory
// (service/tm/align_to_memory.h).
#include <chrono>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "service/base/low_priority.h"
#include "service/rpc/align_input.h"
#include "service/rpc/align_service.h"
#include "service/rpc/auth.h"
#include "service/rpc/call_admission.h"
#include "service/rpc/enum_check.h"
#include "service/rpc/grpc_status.h"
#include "service/rpc/idempotency.h"
#include "service/rpc/memory_convert.h"
#include "service/tm/align_to_memory.h"

namespace qantara::rpc {

grpc::Status AlignServiceImpl::AlignToMemory(grpc::ServerContext* context,
                                             const qantara::v1::AlignToMemoryRequest* request,
                                             qantara::v1::AlignToMemoryResponse* response) {
  AuditedCall audit(context, "AlignToMemory");
  audit.set_memory(request->memory());
  if (request->dry_run()) audit.set_detail("dry run");
  absl::StatusOr<tm::Principal> who =
      AllowMemory(context, request->memory(), tm::Role::kTranslator, "align into memories");
  if (!who.ok()) return audit.Done(ToGrpcStatus(who.status()));
  audit.set_who(*who);
  if (absl::Status s = CheckEnums(*request); !s.ok()) return audit.Done(ToGrpcStatus(s));
  const auto start = std::chrono::steady_clock::now();
  if (memories_ == nullptr) {
    return audit.Done(grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "this server has no memories"));
  }
  if (request->memory().empty()) {
    return audit.Done(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "memory is required"));
  }
  if (request->has_min_confidence() && !(request->min_confidence() >= 0 && request->min_confidence() <= 1)) {
    return audit.Done(
        grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                     absl::StrCat("min_confidence must be in [0, 1] (got ", request->min_confidence(), ")")));
  }
  if (request->has_min_parallel_share() &&
      !(request->min_parallel_share() >= 0 && request->min_parallel_share() <= 1)) {
    return audit.Done(grpc::Status(
        grpc::StatusCode::INVALID_ARGUMENT,
        absl::StrCat("min_parallel_share must be in [0, 1] (got ", request->min_parallel_share(), ")")));
  }
  // A repeat (same request id) of a call that stored its pairs gets its
  // response; a dry run stores nothing and is not remembered.
  OnceCall once(*who, request->dry_run() ? std::string() : request->request_id(), "AlignToMemory");
  absl::StatusOr<bool> repeat = once.Begin(*request, response);
  if (!repeat.ok()) return audit.Done(ToGrpcStatus(repeat.status()));
  if (*repeat) return audit.Done(grpc::Status::OK);
  // Fail fast on a missing memory, before the (slower) alignment.
  if (absl::StatusOr<tm::MemoryInfo> info = memories_->GetMemory(request->memory()); !info.ok()) {
    return audit.Done(ToGrpcStatus(info.status()));
  }
  AlignSide ar, en;
  using R = qantara::v1::AlignToMemoryRequest;
  absl::Status s = LoadAlignSide(request->arabic_case() == R::kArabicText, request->arabic_text(),
                                 request->arabic_case() == R::kArabicSentences, request->arabic_sentences(),
                                 *arabic_, "arabic", &ar, limits_);
  if (s.ok()) {
    s = LoadAlignSide(request->english_case() == R::kEnglishText, request->english_text(),
                      request->english_case() == R::kEnglishSentences, request->english_sentences(),
                      *english_, "english", &en, limits_);
  }
  if (!s.ok()) return audit.Done(ToGrpcStatus(s));
  absl::StatusOr<CallSlot> slot = Admit(context, CallKind::kHeavy, "AlignToMemory");
  if (!slot.ok()) return audit.Done(ToGrpcStatus(slot.status()));
  const absl::StatusOr<std::shared_ptr<const align::Aligner>>& aligner = aligner_.get();
  if (!aligner.ok()) return audit.Done(ToGrpcStatus(aligner.status()));
  if (context->IsCancelled()) return audit.Done(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"));

  tm::AlignToMemoryParams params;
  params.memory = request->memory();
  params.input = align::DocumentPairInput{ar.input, en.input};
  params.min_confidence = request->has_min_confidence() ? request->min_confidence() : -1;
  params.include_many = request->include_many();
  const qantara::v1::Attributes& a = request->attributes();
  params.attributes.project = a.project();
  params.attributes.domain = a.domain();
  params.attributes.client = a.client();
  for (const auto& [k, v] : a.extra()) params.attributes.extra[k] = v;
  params.document = request->document();
  params.user = request->user();
  if (!who->name.empty() && (who->role != tm::Role::kAdmin || params.user.empty())) params.user = who->name;
  params.policy = FromProto(request->on_duplicate());
  params.dry_run = request->dry_run();
  params.use_memory_lexicon = !request->no_memory_lexicon();
  params.min_parallel_share = request->has_min_parallel_share() ? request->min_parallel_share() : -1;
  params.cancelled = [context] { return context->IsCancelled(); };
  absl::StatusOr<tm::AlignToMemoryResult> result =
      RunAtLowPriority([&] { return tm::AlignToMemory(**aligner, *memories_, lexicons_.get(), params); });
  if (!result.ok()) return audit.Done(ToGrpcStatus(result.status()));

  const tm::AlignToMemoryCounts& c = result->counts;
  qantara::v1::AlignSummary* sum = response->mutable_summary();
  sum->set_arabic_sentences(static_cast<uint32_t>(ar.input.size()));
  sum->set_english_sentences(static_cast<uint32_t>(en.input.size()));
  sum->set_beads(static_cast<uint32_t>(c.beads));
  const double accept = (*aligner)->options().accept_threshold;
  uint32_t accepted = 0;
  for (const align::Bead& b : result->alignment.beads) accepted += b.confidence >= accept;
  sum->set_accepted_beads(accepted);
  sum->set_accept_threshold(accept);
  response->set_stored(static_cast<uint32_t>(c.stored));
  if (!request->dry_run()) audit.add_units(c.stored + c.overwritten);
  response->set_overwritten(static_cast<uint32_t>(c.overwritten));
  response->set_skipped_duplicates(static_cast<uint32_t>(c.skipped_duplicates));
  response->set_below_threshold(static_cast<uint32_t>(c.below_threshold));
  response->set_many_not_stored(static_cast<uint32_t>(c.many_not_stored));
  response->set_one_sided(static_cast<uint32_t>(c.one_sided));
  response->set_min_confidence(result->min_confidence);
  response->set_lexicon_entries(static_cast<uint32_t>(result->lexicon_entries));
  response->set_lexicon_trained_units(result->lexicon_trained_units);
  response->set_lexicon_trained_now(result->lexicon_trained_now);
  response->set_lexicon_training_in_background(result->lexicon_training_in_background);
  response->set_parallel_share(result->parallel_share);
  response->set_min_parallel_share(result->min_parallel_share);
  response->set_skip_reason(result->skip_reason);
  response->set_not_parallel(static_cast<uint32_t>(c.not_parallel));
  ToDuration(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count(),
      response->mutable_elapsed());
  once.End(response);
  return audit.Done(grpc::Status::OK);
}

}  // namespace qantara::rpc
