// libFuzzer target: SentenceSegmenter::Split on arbitrary bytes. The first
// byte picks the language (bit 0) and keep_empty (bit 1); the rest is the text.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "service/text/segmenter.h"
#include "tests/fuzz/fuzz_check.h"

using qantara::fuzz::Check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace qantara::text;
  static const SentenceSegmenter* arabic = SentenceSegmenter::Create(Language::kArabic)->release();
  static const SentenceSegmenter* english = SentenceSegmenter::Create(Language::kEnglish)->release();
  if (size == 0) return 0;
  const SentenceSegmenter& seg = (data[0] & 1) ? *english : *arabic;
  SplitOptions options;
  options.keep_empty = (data[0] & 2) != 0;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  absl::StatusOr<std::vector<TextSpan>> spans = seg.Split(text, options);
  const bool valid = ValidateUtf8(text).ok();
  Check(spans.ok() == valid, "Split fails exactly on invalid UTF-8");
  if (!spans.ok()) {
    Check(spans.status().code() == absl::StatusCode::kInvalidArgument, "invalid UTF-8 is InvalidArgument");
    return 0;
  }
  qantara::fuzz::CheckSpans(text, *spans, options.keep_empty);
  return 0;
}
