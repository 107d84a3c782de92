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
  const text::SentenceSegmenter& seg =
      *lang == text::Language::kArabic ? *arabic_ : *english_;
  const std::string& input = request->text();
  absl::StatusOr<std::vector<text::TextSpan>> spans = seg.Split(input);
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
