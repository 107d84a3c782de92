// qantara.v1.MemoryService handlers: memory and unit CRUD, lookups and
// concordance over gRPC, each a conversion around storage's MemoryStore.
#include "service/rpc/memory_service.h"

#include <optional>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "service/base/error_details.h"
#include "service/base/low_priority.h"
#include "service/base/status_macros.h"
#include "service/rpc/auth.h"
#include "service/rpc/call_admission.h"
#include "service/rpc/enum_check.h"
#include "service/rpc/grpc_status.h"
#include "service/rpc/idempotency.h"
#include "service/rpc/memory_convert.h"
#include "service/tm/page_token.h"

namespace qantara::rpc {

namespace v1 = qantara::v1;

namespace {

// A lookup's check: every memory named in reach of a reader; exhaustive
// lookups (every unit scored) are for admins.
absl::Status AllowLookup(grpc::ServerContext* ctx, const v1::LookupRequest& req) {
  absl::StatusOr<tm::Principal> who = Caller(ctx);
  if (!who.ok()) return who.status();
  for (const std::string& m : req.memories()) {
    QANTARA_RETURN_IF_ERROR(tm::NeedMemory(*who, m, tm::Role::kReader, "look up"));
  }
  if (req.exhaustive())
    QANTARA_RETURN_IF_ERROR(tm::NeedRole(*who, tm::Role::kAdmin, "run exhaustive lookups"));
  return absl::OkStatus();
}

}  // namespace

grpc::Status MemoryServiceImpl::CreateMemory(grpc::ServerContext* ctx, const v1::CreateMemoryRequest* req,
                                             v1::Memory* resp) {
  AuditedCall audit(ctx, "CreateMemory");
  audit.set_memory(req->name());
  absl::StatusOr<tm::Principal> who = Allow(ctx, tm::Role::kManager, "create memories");
  if (!who.ok()) return audit.Done(ToGrpcStatus(who.status()));
  audit.set_who(*who);
  if (!who->InScope(req->name())) {
    return audit.Done(ToGrpcStatus(WithResource(
        WithReason(absl::PermissionDeniedError(absl::StrCat(
                       "token '", who->name, "' may create memories only of the names it reaches (",
                       absl::StrJoin(who->memories, ", "), ")")),
                   "MEMORY_OUT_OF_SCOPE"),
        "qantara.v1.Memory", req->name())));
  }
  if (absl::Status s = CheckEnums(*req); !s.ok()) return audit.Done(ToGrpcStatus(s));
  return audit.Done(RunOnce(*who, req->request_id(), "CreateMemory", *req, resp, [&] {
    auto info = store_.CreateMemory(
        tm::NewMemory{req->name(), req->source_lang(), req->target_lang(), req->description()});
    if (!info.ok()) return ToGrpcStatus(info.status());
    ToProto(*info, resp);
    return grpc::Status::OK;
  }));
}

grpc::Status MemoryServiceImpl::ListMemories(grpc::ServerContext* ctx, const v1::ListMemoriesRequest* req,
                                             v1::ListMemoriesResponse* resp) {
  absl::StatusOr<tm::Principal> who = Allow(ctx, tm::Role::kReader, "list memories");
  if (!who.ok()) return ToGrpcStatus(who.status());
  if (absl::Status s = CheckEnums(*req); !s.ok()) return ToGrpcStatus(s);
  // Only the memories in the token's scope; the page token holds the last
  // name listed, bound to the caller.
  absl::StatusOr<std::string> after =
      tm::DecodePageToken(req->page_token(), tm::PageKind::kMemories, who->name);
  if (!after.ok()) return ToGrpcStatus(after.status());
  bool more = false;
  auto list = store_.ListMemories(*after, req->page_size(), &more,
                                  [&who](const std::string& name) { return who->InScope(name); });
  if (!list.ok()) return ToGrpcStatus(list.status());
  for (const auto& m : *list) ToProto(m, resp->add_memories());
  if (more && !list->empty()) {
    resp->set_next_page_token(tm::EncodePageToken(tm::PageKind::kMemories, who->name, list->back().name));
  }
  return grpc::Status::OK;
}

grpc::Status MemoryServiceImpl::GetMemory(grpc::ServerContext* ctx, const v1::GetMemoryRequest* req,
                                          v1::Memory* resp) {
  absl::StatusOr<tm::Principal> who = AllowMemory(ctx, req->name(), tm::Role::kReader, "read memories");
  if (!who.ok()) return ToGrpcStatus(who.status());
  if (absl::Status s = CheckEnums(*req); !s.ok()) return ToGrpcStatus(s);
  auto info = store_.GetMemory(req->name());
  if (!info.ok()) return ToGrpcStatus(info.status());
  ToProto(*info, resp);
  return grpc::Status::OK;
}

grpc::Status MemoryServiceImpl::DeleteMemory(grpc::ServerContext* ctx, const v1::DeleteMemoryRequest* req,
                                             v1::DeleteMemoryResponse* resp) {
  AuditedCall audit(ctx, "DeleteMemory");
  audit.set_memory(req->name());
  absl::StatusOr<tm::Principal> who = AllowMemory(ctx, req->name(), tm::Role::kManager, "delete memories");
  if (!who.ok()) return audit.Done(ToGrpcStatus(who.status()));
  audit.set_who(*who);
  if (absl::Status s = CheckEnums(*req); !s.ok()) return audit.Done(ToGrpcStatus(s));
  return audit.Done(RunOnce(*who, req->request_id(), "DeleteMemory", *req, resp, [&] {
    auto info = store_.GetMemory(req->name());
    if (!info.ok()) return ToGrpcStatus(info.status());
    absl::Status s = store_.DeleteMemory(req->name());
    if (!s.ok()) return ToGrpcStatus(s);
    resp->set_units_deleted(info->units);
    audit.add_units(info->units);
    return grpc::Status::OK;
  }));
}

grpc::Status MemoryServiceImpl::AddUnit(grpc::ServerContext* ctx, const v1::AddUnitRequest* req,
                                        v1::AddUnitResponse* resp) {
  AuditedCall audit(ctx, "AddUnit");
  audit.set_memory(req->memory());
  absl::StatusOr<tm::Principal> who = AllowMemory(ctx, req->memory(), tm::Role::kTranslator, "add units");
  if (!who.ok()) return audit.Done(ToGrpcStatus(who.status()));
  audit.set_who(*who);
  if (absl::Status s = CheckEnums(*req); !s.ok()) return audit.Done(ToGrpcStatus(s));
  if (absl::Status s = CheckTimes(req->unit(), "unit"); !s.ok()) return audit.Done(ToGrpcStatus(s));
  return audit.Done(RunOnce(*who, req->request_id(), "AddUnit", *req, resp, [&] {
    match::Unit unit = FromProto(req->unit());
    tm::StampIdentity(*who, unit);
    auto out = store_.AddUnits(req->memory(), {std::move(unit)}, FromProto(req->policy()));
    if (!out.ok()) return ToGrpcStatus(WithFieldPrefix(out.status(), "unit"));
    resp->set_outcome(ToProto(out->at(0).kind));
    resp->set_unit_id(out->at(0).id);
    resp->set_revision(out->at(0).revision);
    if (out->at(0).kind != tm::AddOutcome::kSkipped) audit.add_units(1);
    return grpc::Status::OK;
  }));
}

grpc::Status MemoryServiceImpl::AddUnits(grpc::ServerContext* ctx,
                                         grpc::ServerReader<v1::AddUnitsRequest>* reader,
                                         v1::AddUnitsResponse* resp) {
  AuditedCall audit(ctx, "AddUnits");
  absl::StatusOr<tm::Principal> who = Caller(ctx);
  if (!who.ok()) return audit.Done(ToGrpcStatus(who.status()));
  audit.set_who(*who);
  absl::StatusOr<CallSlot> slot = Admit(ctx, CallKind::kStream, "AddUnits");
  if (!slot.ok()) return audit.Done(ToGrpcStatus(slot.status()));
  v1::AddUnitsRequest chunk;
  std::optional<tm::MemoryRef> memory;  // pinned by the first chunk: the whole stream goes to it
  tm::DuplicatePolicy policy = tm::DuplicatePolicy::kSkipIdentical;
  const uint64_t max_ids = store_.request_limits().has_value() ? store_.request_limits()->max_units_per_call
                                                               : tm::RequestLimits{}.max_units_per_call;
  std::optional<OnceCall> once;  // the stream's request id, from its first chunk
  while (slot->Read(*reader, &chunk)) {
    if (absl::Status s = CheckEnums(chunk); !s.ok()) return audit.Done(ToGrpcStatus(s));
    if (!once.has_value()) {
      once.emplace(*who, chunk.request_id(), "AddUnits");
      absl::StatusOr<bool> repeat = once->Begin(chunk, resp);
      if (!repeat.ok()) return audit.Done(ToGrpcStatus(repeat.status()));
      if (*repeat) {
        // A retry of a stream that was stored: read the rest, store nothing.
        audit.set_memory(chunk.memory());
        while (slot->Read(*reader, &chunk)) {
        }
        return audit.Done(grpc::Status::OK);
      }
    }
    for (const auto& u : chunk.units()) {
      if (absl::Status s = CheckTimes(u, "units"); !s.ok()) return audit.Done(ToGrpcStatus(s));
    }
    if (!memory.has_value()) {
      policy = FromProto(chunk.policy());
      if (chunk.memory().empty()) {
        return audit.Done(ToGrpcStatus(
            FieldError("memory", "the first AddUnits chunk must name the memory", "REQUIRED_FIELD")));
      }
      audit.set_memory(chunk.memory());
      if (absl::Status s = tm::NeedMemory(*who, chunk.memory(), tm::Role::kTranslator, "add units");
          !s.ok()) {
        return audit.Done(ToGrpcStatus(s));
      }
      auto pinned = store_.Pin(chunk.memory());
      if (!pinned.ok()) return audit.Done(ToGrpcStatus(pinned.status()));
      memory = std::move(pinned->first);
    }
    if (absl::Status s =
            store_.CheckCount("units of an AddUnits chunk", static_cast<size_t>(chunk.units_size()),
                              &tm::RequestLimits::max_units_per_call);
        !s.ok()) {
      return audit.Done(ToGrpcStatus(s));
    }
    std::vector<match::Unit> units;
    units.reserve(chunk.units_size());
    for (const auto& u : chunk.units()) {
      units.push_back(FromProto(u));
      tm::StampIdentity(*who, units.back());
    }
    auto out = store_.AddUnits(*memory, std::move(units), policy);
    if (!out.ok()) {
      // Each chunk is atomic: this one stored nothing, the ones before it
      // everything.
      const uint64_t stored = resp->added() + resp->skipped() + resp->overwritten();
      const absl::Status failed = WithFieldPrefix(out.status(), "units");
      if (stored == 0) return audit.Done(ToGrpcStatus(failed));
      return audit.Done(ToGrpcStatus(
          WithMessage(failed, absl::StrCat(failed.message(), " (the ", stored,
                                           " units of the chunks before this one were stored)"))));
    }
    for (const tm::AddOutcome& o : *out) {
      if (o.kind != tm::AddOutcome::kSkipped) audit.add_units(1);
      switch (o.kind) {
        case tm::AddOutcome::kAdded: resp->set_added(resp->added() + 1); break;
        case tm::AddOutcome::kSkipped: resp->set_skipped(resp->skipped() + 1); break;
        case tm::AddOutcome::kOverwritten: resp->set_overwritten(resp->overwritten() + 1); break;
      }
      // The ids of the first units only: the response stays bounded.
      if (static_cast<uint64_t>(resp->unit_ids_size()) < max_ids) {
        resp->add_unit_ids(o.id);
      } else {
        resp->set_unit_ids_omitted(resp->unit_ids_omitted() + 1);
      }
    }
  }
  if (once.has_value()) once->End(resp);
  return audit.Done(grpc::Status::OK);
}

grpc::Status MemoryServiceImpl::GetUnit(grpc::ServerContext* ctx, const v1::GetUnitRequest* req,
                                        v1::Unit* resp) {
  absl::StatusOr<tm::Principal> who = AllowMemory(ctx, req->memory(), tm::Role::kReader, "read units");
  if (!who.ok()) return ToGrpcStatus(who.status());
  if (absl::Status s = CheckEnums(*req); !s.ok()) return ToGrpcStatus(s);
  auto u = store_.GetUnit(req->memory(), req->unit_id());
  if (!u.ok()) return ToGrpcStatus(u.status());
  ToProto(*u, resp);
  return grpc::Status::OK;
}

grpc::Status MemoryServiceImpl::UpdateUnit(grpc::ServerContext* ctx, const v1::UpdateUnitRequest* req,
                                           v1::Unit* resp) {
  AuditedCall audit(ctx, "UpdateUnit");
  audit.set_memory(req->memory());
  audit.add_units(1);
  absl::StatusOr<tm::Principal> who = AllowMemory(ctx, req->memory(), tm::Role::kTranslator, "update units");
  if (!who.ok()) return audit.Done(ToGrpcStatus(who.status()));
  audit.set_who(*who);
  if (absl::Status s = CheckEnums(*req); !s.ok()) return audit.Done(ToGrpcStatus(s));
  if (absl::Status s = CheckTimes(req->unit(), "unit"); !s.ok()) return audit.Done(ToGrpcStatus(s));
  return audit.Done(RunOnce(*who, req->request_id(), "UpdateUnit", *req, resp, [&] {
    tm::UnitUpdate update;
    update.unit = FromProto(req->unit());
    tm::StampIdentity(*who, update.unit);
    update.mask.assign(req->update_mask().paths().begin(), req->update_mask().paths().end());
    update.expected_revision = req->expected_revision();
    auto u = store_.UpdateUnit(req->memory(), update);
    if (!u.ok()) return ToGrpcStatus(WithFieldPrefix(u.status(), "unit"));
    ToProto(*u, resp);
    return grpc::Status::OK;
  }));
}

grpc::Status MemoryServiceImpl::DeleteUnits(grpc::ServerContext* ctx, const v1::DeleteUnitsRequest* req,
                                            v1::DeleteUnitsResponse* resp) {
  AuditedCall audit(ctx, "DeleteUnits");
  audit.set_memory(req->memory());
  absl::StatusOr<tm::Principal> who = AllowMemory(ctx, req->memory(), tm::Role::kTranslator, "delete units");
  if (!who.ok()) return audit.Done(ToGrpcStatus(who.status()));
  audit.set_who(*who);
  if (absl::Status s = CheckEnums(*req); !s.ok()) return audit.Done(ToGrpcStatus(s));
  return audit.Done(RunOnce(*who, req->request_id(), "DeleteUnits", *req, resp, [&] {
    std::vector<uint64_t> ids(req->unit_ids().begin(), req->unit_ids().end());
    auto n = store_.DeleteUnits(req->memory(), ids);
    if (!n.ok()) return ToGrpcStatus(n.status());
    resp->set_deleted(*n);
    audit.add_units(*n);
    return grpc::Status::OK;
  }));
}

namespace {
// Lookups below this threshold are heavy calls (admission, low CPU priority).
constexpr double kLowThreshold = 30;
}  // namespace

grpc::Status MemoryServiceImpl::Lookup(grpc::ServerContext* ctx, const v1::LookupRequest* req,
                                       v1::LookupResponse* resp) {
  if (absl::Status s = AllowLookup(ctx, *req); !s.ok()) return ToGrpcStatus(s);
  if (absl::Status s = CheckEnums(*req); !s.ok()) return ToGrpcStatus(s);
  absl::StatusOr<tm::LookupRequest> parsed = FromProto(*req);
  if (!parsed.ok()) return ToGrpcStatus(parsed.status());
  tm::LookupRequest& request = *parsed;
  // An exhaustive lookup scores every unit; one below kLowThreshold scores
  // most units that share any token: both are heavy calls.
  const bool heavy = req->exhaustive() || request.options.threshold < kLowThreshold;
  absl::StatusOr<CallSlot> slot = Admit(ctx, heavy ? CallKind::kHeavy : CallKind::kNone,
                                        req->exhaustive() ? "exhaustive Lookup" : "low-threshold Lookup");
  if (!slot.ok()) return ToGrpcStatus(slot.status());
  request.options.cancelled = [ctx] { return ctx->IsCancelled(); };
  // Heavy, or a token over its CPU share: at the lowest CPU priority.
  auto result = heavy || OverCpuShare(ctx) ? RunAtLowPriority([&] { return store_.Lookup(request); })
                                           : store_.Lookup(request);
  if (!result.ok()) return ToGrpcStatus(result.status());
  ToProto(*result, req->reverse(), resp);
  return grpc::Status::OK;
}

grpc::Status MemoryServiceImpl::BatchLookup(grpc::ServerContext* ctx, const v1::BatchLookupRequest* req,
                                            grpc::ServerWriter<v1::BatchLookupResponse>* writer) {
  if (absl::Status s = AllowLookup(ctx, req->options()); !s.ok()) return ToGrpcStatus(s);
  if (absl::Status s = CheckEnums(*req); !s.ok()) return ToGrpcStatus(s);
  if (absl::Status s = store_.CheckCount("segments", static_cast<size_t>(req->segments_size()),
                                         &tm::RequestLimits::max_batch_segments);
      !s.ok()) {
    return ToGrpcStatus(s);
  }
  absl::StatusOr<CallSlot> slot =
      Admit(ctx, req->options().exhaustive() ? CallKind::kHeavyStream : CallKind::kStream, "BatchLookup");
  if (!slot.ok()) return ToGrpcStatus(slot.status());
  absl::StatusOr<tm::LookupRequest> parsed = FromProto(req->options());
  if (!parsed.ok()) return ToGrpcStatus(parsed.status());
  tm::LookupRequest& base = *parsed;
  base.options.cancelled = [ctx] { return ctx->IsCancelled(); };
  auto run = [&]() -> grpc::Status {
    for (int i = 0; i < req->segments_size(); ++i) {
      if (ctx->IsCancelled()) return grpc::Status(grpc::StatusCode::CANCELLED, "cancelled");
      base.text = req->segments(i);
      auto result = store_.Lookup(base);
      if (!result.ok()) return ToGrpcStatus(result.status());
      v1::BatchLookupResponse out;
      out.set_index(static_cast<uint32_t>(i));
      ToProto(*result, base.reverse, out.mutable_result());
      if (!writer->Write(out)) {
        return grpc::Status(grpc::StatusCode::CANCELLED, "client went away");
      }
    }
    return grpc::Status::OK;
  };
  // Exhaustive, or a token over its CPU share: the whole batch on one thread
  // at nice 19 (low_priority.h), not one a segment; the handler thread waits
  // for it.
  return req->options().exhaustive() || OverCpuShare(ctx) ? RunAtLowPriority(run) : run();
}

grpc::Status MemoryServiceImpl::Concordance(grpc::ServerContext* ctx, const v1::ConcordanceRequest* req,
                                            v1::ConcordanceResponse* resp) {
  absl::StatusOr<tm::Principal> who = AllowMemory(ctx, req->memory(), tm::Role::kReader, "search memories");
  if (!who.ok()) return ToGrpcStatus(who.status());
  if (absl::Status s = CheckEnums(*req); !s.ok()) return ToGrpcStatus(s);
  absl::StatusOr<CallSlot> slot = Admit(ctx, CallKind::kHeavy, "Concordance");
  if (!slot.ok()) return ToGrpcStatus(slot.status());
  tm::ConcordanceRequest r;
  r.cancelled = [ctx] { return ctx->IsCancelled(); };
  r.memory = req->memory();
  r.text = req->text();
  r.in_target = req->in_target();
  absl::StatusOr<match::UnitFilter> filter = FromProto(req->filter());
  if (!filter.ok()) return ToGrpcStatus(filter.status());
  r.filter = *std::move(filter);
  r.page_size = req->page_size() == 0 ? 20 : req->page_size();
  // The token is bound to the query (memory, text, side): the position
  // (the last unit id of the page) means nothing for another.
  const std::string binding =
      absl::StrCat(req->memory(), "\n", req->text(), "\n", req->in_target() ? "t" : "s");
  absl::StatusOr<std::string> position =
      tm::DecodePageToken(req->page_token(), tm::PageKind::kConcordance, binding);
  if (!position.ok()) return ToGrpcStatus(position.status());
  r.page_token = 0;
  if (!position->empty() && !absl::SimpleAtoi(*position, &r.page_token)) {
    return ToGrpcStatus(absl::InvalidArgumentError("page_token: damaged"));
  }
  auto result = RunAtLowPriority([&] { return store_.Concordance(r); });
  if (!result.ok()) return ToGrpcStatus(result.status());
  for (const auto& hit : result->hits) {
    v1::ConcordanceHit* h = resp->add_hits();
    ToProto(hit.unit, h->mutable_unit());
    for (const auto& [b, e] : hit.spans) {
      v1::Span* s = h->add_spans();
      s->set_begin(b);
      s->set_end(e);
    }
  }
  if (result->next_page_token != 0) {
    resp->set_next_page_token(
        tm::EncodePageToken(tm::PageKind::kConcordance, binding, absl::StrCat(result->next_page_token)));
  }
  return grpc::Status::OK;
}

grpc::Status MemoryServiceImpl::Fragments(grpc::ServerContext* ctx, const v1::FragmentsRequest* req,
                                          v1::FragmentsResponse* resp) {
  absl::StatusOr<tm::Principal> who = AllowMemory(ctx, req->memory(), tm::Role::kReader, "search memories");
  if (!who.ok()) return ToGrpcStatus(who.status());
  if (absl::Status s = CheckEnums(*req); !s.ok()) return ToGrpcStatus(s);
  tm::FragmentsRequest r;
  r.memory = req->memory();
  r.text = req->text();
  r.max_fragments = req->max_fragments() == 0 ? tm::kDefaultMaxFragments : req->max_fragments();
  r.min_confidence = req->has_min_confidence() ? req->min_confidence() : tm::kDefaultFragmentConfidence;
  absl::StatusOr<match::UnitFilter> filter = FromProto(req->filter());
  if (!filter.ok()) return ToGrpcStatus(filter.status());
  r.filter = *std::move(filter);
  // Checked before a slot is taken: a bad request never waits in the queue.
  if (absl::Status s = tm::CheckFragments(r, store_.request_limits()); !s.ok()) return ToGrpcStatus(s);
  absl::StatusOr<CallSlot> slot = Admit(ctx, CallKind::kHeavy, "Fragments");
  if (!slot.ok()) return ToGrpcStatus(slot.status());
  r.cancelled = [ctx] { return ctx->IsCancelled(); };
  auto result = RunAtLowPriority([&] { return store_.Fragments(r); });
  if (!result.ok()) return ToGrpcStatus(result.status());
  for (const tm::Fragment& f : result->fragments) {
    v1::Fragment* out = resp->add_fragments();
    out->set_source(f.source);
    out->mutable_source_span()->set_begin(f.source_span.first);
    out->mutable_source_span()->set_end(f.source_span.second);
    out->set_target(f.target);
    out->set_confidence(f.confidence);
    for (uint64_t id : f.unit_ids) out->add_unit_ids(id);
    out->set_supporting_units(f.supporting_units);
    out->set_first_word(f.first_word);
    out->set_words(f.words);
  }
  resp->set_text_words(result->text_words);
  resp->set_covered_words(result->covered_words);
  return grpc::Status::OK;
}

grpc::Status MemoryServiceImpl::Stats(grpc::ServerContext* ctx, const v1::StatsRequest*,
                                      v1::StatsResponse* resp) {
  absl::StatusOr<tm::Principal> who = Allow(ctx, tm::Role::kReader, "read stats");
  if (!who.ok()) return ToGrpcStatus(who.status());
  if (who->role != tm::Role::kAdmin) {
    // The memories in the token's scope only; the server's own figures
    // (disk, caches) are for admins.
    auto list = store_.ListMemories();
    if (!list.ok()) return ToGrpcStatus(list.status());
    for (const auto& m : *list) {
      if (!who->InScope(m.name)) continue;
      resp->set_memories(resp->memories() + 1);
      resp->set_units(resp->units() + m.units);
    }
    return grpc::Status::OK;
  }
  auto st = store_.Stats();
  if (!st.ok()) return ToGrpcStatus(st.status());
  resp->set_memories(st->memories);
  resp->set_units(st->units);
  resp->set_disk_bytes(st->disk_bytes);
  resp->set_cached_postings(st->cached_postings);
  resp->set_cached_unit_keys(st->cached_unit_keys);
  resp->set_cached_exact(st->cached_exact);
  resp->set_cached_bytes(st->cached_bytes);
  resp->set_cache_budget_bytes(st->cache_budget_bytes);
  resp->set_cache_hits(st->cache_hits);
  resp->set_cache_misses(st->cache_misses);
  resp->set_cache_evictions(st->cache_evictions);
  resp->set_cached_unit_keys_bytes(st->cached_unit_keys_bytes);
  resp->set_key_cache_budget_bytes(st->key_cache_budget_bytes);
  resp->set_memories_keys_uncached(st->memories_keys_uncached);
  resp->set_sketched_units(st->sketched_units);
  resp->set_sketch_bytes(st->sketch_bytes);
  resp->set_rocks_block_cache_bytes(st->rocks_block_cache_bytes);
  resp->set_rocks_memtable_bytes(st->rocks_memtable_bytes);
  resp->set_rocks_table_reader_bytes(st->rocks_table_reader_bytes);
  return grpc::Status::OK;
}

}  // namespace qantara::rpc
