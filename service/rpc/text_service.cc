#include "service/rpc/text_service.h"

#include "service/rpc/grpc_status.h"

namespace qantara::rpc {

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

grpc::Status TextServiceImpl::Segment(grpc::ServerContext* /*context*/,
                                      const qantara::v1::SegmentRequest* request,
                                      qantara::v1::SegmentResponse* response) {
  absl::StatusOr<text::Language> lang = text::ParseLanguage(request->language());
  if (!lang.ok()) return ToGrpcStatus(lang.status());
  // The built-in rules are compiled once; a client's SRX rules per request.
  std::unique_ptr<text::SentenceSegmenter> custom;
  if (!request->srx().empty()) {
    text::SegmenterOptions options;
    options.language = *lang;
    options.srx = request->srx();
    options.srx_mode = request->srx_mode() == qantara::v1::SRX_MODE_REPLACE
                           ? text::SegmenterOptions::SrxMode::kReplace
                           : text::SegmenterOptions::SrxMode::kExtend;
    absl::StatusOr<std::unique_ptr<text::SentenceSegmenter>> made =
        text::SentenceSegmenter::Create(options);
    if (!made.ok()) return ToGrpcStatus(made.status());
    custom = *std::move(made);
  }
  const text::SentenceSegmenter& seg =
      custom ? *custom : *lang == text::Language::kArabic ? *arabic_ : *english_;
  const std::string& input = request->text();
  text::SplitOptions split;
  split.keep_empty = request->keep_empty();
  absl::StatusOr<std::vector<text::TextSpan>> spans = seg.Split(input, split);
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
