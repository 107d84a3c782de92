// libFuzzer target: the SRX loader. Parses arbitrary bytes as an SRX
// document; when it parses, compiles it for ar and en, builds segmenters that
// extend and replace the built-in rules, and splits a fixed sample with them.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "service/text/segmenter.h"
#include "service/text/srx.h"
#include "service/text/srx_rules.h"
#include "tests/fuzz/fuzz_check.h"

using qantara::fuzz::Check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace qantara::text;
  static const std::string kSample =
      "Mr. Smith met Dr. Jones in the U.S. today. \"Why?\" she asked.\n\n"
      "التقى د. سامي بالوزير؛ ثم غادر! \"هل أنتم مستعدون؟\" تساءلت.\n1. item one; 2. item two";
  const std::string_view xml(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<SrxDocument> doc = ParseSrx(xml);
  if (!doc.ok()) {
    Check(doc.status().code() == absl::StatusCode::kInvalidArgument, "bad SRX is InvalidArgument");
    Check(std::string(doc.status().message()).rfind("SRX line ", 0) == 0, "error names a line");
    return 0;
  }
  for (const char* lang : {"ar", "en"}) {
    absl::StatusOr<SrxRuleSet> rules = SrxRuleSet::Compile(*doc, lang);
    if (!rules.ok()) qantara::fuzz::CheckExpectedError(rules.status());
  }
  for (auto mode : {SegmenterOptions::SrxMode::kExtend, SegmenterOptions::SrxMode::kReplace}) {
    SegmenterOptions options;
    options.language = (size & 1) ? Language::kEnglish : Language::kArabic;
    options.srx = std::string(xml);
    options.srx_mode = mode;
    absl::StatusOr<std::unique_ptr<SentenceSegmenter>> seg = SentenceSegmenter::Create(options);
    if (!seg.ok()) {
      qantara::fuzz::CheckExpectedError(seg.status());
      return 0;
    }
    absl::StatusOr<std::vector<TextSpan>> spans = (*seg)->Split(kSample);
    if (!spans.ok()) {
      qantara::fuzz::CheckExpectedError(spans.status());
      continue;
    }
    qantara::fuzz::CheckSpans(kSample, *spans, false);
  }
  return 0;
}
