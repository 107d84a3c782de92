// qantara.v1.TextService handlers: segmentation, normalisation and tokenisation
// over gRPC, with normalisers and tokenizers cached per rule set.
#include "service/rpc/text_service.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "service/base/low_priority.h"
#include "service/rpc/auth.h"
#include "service/rpc/call_admission.h"
#include "service/rpc/enum_check.h"
#include "service/rpc/grpc_status.h"

namespace qantara::rpc {
namespace {

// The request's rules: every rule on unless its field is set to false.
text::NormalizationOptions ToOptions(const qantara::v1::NormalizationRules& r) {
  text::NormalizationOptions o = text::NormalizationOptions::All();
  if (r.has_nfkc()) o.nfkc = r.nfkc();
  if (r.has_diacritics()) o.strip_diacritics = r.diacritics();
  if (r.has_tatweel()) o.strip_tatweel = r.tatweel();
  if (r.has_format_marks()) o.strip_format_marks = r.format_marks();
  if (r.has_alef()) o.unify_alef = r.alef();
  if (r.has_alef_maqsura()) o.alef_maqsura_to_ya = r.alef_maqsura();
  if (r.has_ta_marbuta()) o.ta_marbuta_to_ha = r.ta_marbuta();
  if (r.has_hamza()) o.hamza_carriers = r.hamza();
  if (r.has_digits()) o.fold_digits = r.digits();
  if (r.has_fold_case()) o.fold_case = r.fold_case();
  if (r.has_punctuation()) o.unify_punctuation = r.punctuation();
  return o;
}

qantara::v1::TokenClass ToProto(text::TokenClass c) {
  switch (c) {
    case text::TokenClass::kWord: return qantara::v1::TOKEN_CLASS_WORD;
    case text::TokenClass::kNumber: return qantara::v1::TOKEN_CLASS_NUMBER;
    case text::TokenClass::kPunctuation: return qantara::v1::TOKEN_CLASS_PUNCTUATION;
    case text::TokenClass::kSymbol: return qantara::v1::TOKEN_CLASS_SYMBOL;
    case text::TokenClass::kPlaceholder: return qantara::v1::TOKEN_CLASS_PLACEHOLDER;
    case text::TokenClass::kTag: return qantara::v1::TOKEN_CLASS_TAG;
    case text::TokenClass::kUrl: return qantara::v1::TOKEN_CLASS_URL;
    case text::TokenClass::kEmail: return qantara::v1::TOKEN_CLASS_EMAIL;
  }
  return qantara::v1::TOKEN_CLASS_UNSPECIFIED;
}

template <typename Response>
void SetRules(uint32_t bits, Response* response) {
  response->set_rules(bits);
  for (std::string_view name : text::NormalizationRuleNames(bits)) {
    response->add_rules_applied(std::string(name));
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<TextServiceImpl>> TextServiceImpl::Create() {
  std::unique_ptr<TextServiceImpl> impl(new TextServiceImpl());
  auto ar = text::SentenceSegmenter::Create(text::Language::kArabic);
  if (!ar.ok()) return ar.status();
  auto en = text::SentenceSegmenter::Create(text::Language::kEnglish);
  if (!en.ok()) return en.status();
  impl->arabic_ = *std::move(ar);
  impl->english_ = *std::move(en);
  return impl;
}

grpc::Status TextServiceImpl::Segment(grpc::ServerContext* context,
                                      const qantara::v1::SegmentRequest* request,
                                      qantara::v1::SegmentResponse* response) {
  if (auto who = Allow(context, tm::Role::kReader, "segment text"); !who.ok())
    return ToGrpcStatus(who.status());
  if (absl::Status s = CheckEnums(*request); !s.ok()) return ToGrpcStatus(s);
  absl::StatusOr<text::Language> lang = text::ParseLanguage(request->language());
  if (!lang.ok())
    return ToGrpcStatus(absl::InvalidArgumentError(absl::StrCat("language: ", lang.status().message())));
  if (absl::Status s = tm::CheckLimit(limits_, "text bytes", request->text().size(),
                                      &tm::RequestLimits::max_document_bytes);
      !s.ok()) {
    return ToGrpcStatus(s);
  }
  if (absl::Status s =
          tm::CheckLimit(limits_, "srx bytes", request->srx().size(), &tm::RequestLimits::max_srx_bytes);
      !s.ok()) {
    return ToGrpcStatus(s);
  }
  absl::StatusOr<CallSlot> slot =
      Admit(context, request->srx().empty() ? CallKind::kNone : CallKind::kHeavy, "Segment with SRX rules");
  if (!slot.ok()) return ToGrpcStatus(slot.status());
  const std::string& input = request->text();
  text::SplitOptions split;
  split.keep_empty = request->keep_empty();
  absl::StatusOr<std::vector<text::TextSpan>> spans;
  if (request->srx().empty()) {  // the built-in rules, compiled once
    spans = (*lang == text::Language::kArabic ? *arabic_ : *english_).Split(input, split);
  } else {
    // A client's SRX rules: compiled and run per request, a heavy call at
    // low CPU priority.
    text::SegmenterOptions options;
    options.language = *lang;
    options.srx = request->srx();
    options.srx_mode = request->srx_mode() == qantara::v1::SRX_MODE_REPLACE
                           ? text::SegmenterOptions::SrxMode::kReplace
                           : text::SegmenterOptions::SrxMode::kExtend;
    spans = RunAtLowPriority([&]() -> absl::StatusOr<std::vector<text::TextSpan>> {
      absl::StatusOr<std::unique_ptr<text::SentenceSegmenter>> made =
          text::SentenceSegmenter::Create(options);
      if (!made.ok()) return made.status();
      return (*made)->Split(input, split);
    });
  }
  if (!spans.ok()) return ToGrpcStatus(spans.status());
  response->mutable_sentences()->Reserve(static_cast<int>(spans->size()));
  for (const text::TextSpan& span : *spans) {
    qantara::v1::Sentence* s = response->add_sentences();
    s->set_text(std::string(span.In(input)));
    s->set_byte_begin(span.byte_begin);
    s->set_byte_end(span.byte_end);
    s->set_char_begin(span.char_begin);
    s->set_char_end(span.char_end);
  }
  return grpc::Status::OK;
}

}  // namespace qantara::rpc

namespace qantara::rpc {

absl::StatusOr<std::shared_ptr<const text::Normalizer>> TextServiceImpl::GetNormalizer(
    const text::NormalizationOptions& options) {
  const uint32_t key = options.Bits();
  {
    absl::MutexLock lock(&mu_);
    auto it = normalizers_.find(key);
    if (it != normalizers_.end()) return it->second;
  }
  absl::StatusOr<std::unique_ptr<text::Normalizer>> n = text::Normalizer::Create(options);
  if (!n.ok()) return n.status();
  std::shared_ptr<const text::Normalizer> shared(*std::move(n));
  absl::MutexLock lock(&mu_);
  if (normalizers_.size() < kMaxCached) normalizers_.emplace(key, shared);
  return shared;
}

absl::StatusOr<std::shared_ptr<const text::Tokenizer>> TextServiceImpl::GetTokenizer(
    const text::TokenizerOptions& options) {
  const auto key = std::make_tuple(static_cast<int>(options.language), options.normalization.Bits(),
                                   options.split_clitics, options.stem);
  {
    absl::MutexLock lock(&mu_);
    auto it = tokenizers_.find(key);
    if (it != tokenizers_.end()) return it->second;
  }
  absl::StatusOr<std::unique_ptr<text::Tokenizer>> t = text::Tokenizer::Create(options);
  if (!t.ok()) return t.status();
  std::shared_ptr<const text::Tokenizer> shared(*std::move(t));
  absl::MutexLock lock(&mu_);
  if (tokenizers_.size() < kMaxCached) tokenizers_.emplace(key, shared);
  return shared;
}

grpc::Status TextServiceImpl::Normalize(grpc::ServerContext* context,
                                        const qantara::v1::NormalizeRequest* request,
                                        qantara::v1::NormalizeResponse* response) {
  if (auto who = Allow(context, tm::Role::kReader, "normalize text"); !who.ok()) {
    return ToGrpcStatus(who.status());
  }
  if (absl::Status s = CheckEnums(*request); !s.ok()) return ToGrpcStatus(s);
  if (absl::Status s = tm::CheckLimit(limits_, "text bytes", request->text().size(),
                                      &tm::RequestLimits::max_document_bytes);
      !s.ok()) {
    return ToGrpcStatus(s);
  }
  if (!request->language().empty()) {
    absl::StatusOr<text::Language> lang = text::ParseLanguage(request->language());
    if (!lang.ok())
      return ToGrpcStatus(absl::InvalidArgumentError(absl::StrCat("language: ", lang.status().message())));
  }
  auto normalizer = GetNormalizer(ToOptions(request->rules()));
  if (!normalizer.ok()) return ToGrpcStatus(normalizer.status());
  if (request->include_offsets()) {
    absl::StatusOr<text::NormalizedText> n = (*normalizer)->Normalize(request->text());
    if (!n.ok()) return ToGrpcStatus(n.status());
    response->set_key(std::move(n->text));
    SetRules(n->rules, response);
    response->mutable_source_offsets()->Add(n->source_offsets.begin(), n->source_offsets.end());
  } else {
    absl::StatusOr<std::string> key = (*normalizer)->Key(request->text());
    if (!key.ok()) return ToGrpcStatus(key.status());
    response->set_key(*std::move(key));
    SetRules((*normalizer)->options().Bits(), response);
  }
  return grpc::Status::OK;
}

grpc::Status TextServiceImpl::Tokenize(grpc::ServerContext* context,
                                       const qantara::v1::TokenizeRequest* request,
                                       qantara::v1::TokenizeResponse* response) {
  if (auto who = Allow(context, tm::Role::kReader, "tokenize text"); !who.ok()) {
    return ToGrpcStatus(who.status());
  }
  if (absl::Status s = CheckEnums(*request); !s.ok()) return ToGrpcStatus(s);
  if (absl::Status s = tm::CheckLimit(limits_, "text bytes", request->text().size(),
                                      &tm::RequestLimits::max_document_bytes);
      !s.ok()) {
    return ToGrpcStatus(s);
  }
  absl::StatusOr<text::Language> lang = text::ParseLanguage(request->language());
  if (!lang.ok())
    return ToGrpcStatus(absl::InvalidArgumentError(absl::StrCat("language: ", lang.status().message())));
  text::TokenizerOptions options;
  options.language = *lang;
  options.normalization = ToOptions(request->rules());
  options.split_clitics = request->split_clitics();
  options.stem = request->stem();
  auto tokenizer = GetTokenizer(options);
  if (!tokenizer.ok()) return ToGrpcStatus(tokenizer.status());
  const std::string& input = request->text();
  absl::StatusOr<std::vector<text::Token>> tokens = (*tokenizer)->Tokenize(input);
  if (!tokens.ok()) return ToGrpcStatus(tokens.status());
  SetRules(options.normalization.Bits(), response);
  response->mutable_tokens()->Reserve(static_cast<int>(tokens->size()));
  for (text::Token& t : *tokens) {
    qantara::v1::Token* out = response->add_tokens();
    out->set_text(std::string(t.span.In(input)));
    out->set_token_class(ToProto(t.cls));
    out->set_byte_begin(t.span.byte_begin);
    out->set_byte_end(t.span.byte_end);
    out->set_char_begin(t.span.char_begin);
    out->set_char_end(t.span.char_end);
    out->set_norm(std::move(t.norm));
    out->set_stem(std::move(t.stem));
    for (std::string& p : t.proclitics) out->add_proclitics(std::move(p));
    out->set_base(std::move(t.base));
  }
  return grpc::Status::OK;
}

}  // namespace qantara::rpc
