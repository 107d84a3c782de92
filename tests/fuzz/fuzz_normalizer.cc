// libFuzzer target: Normalizer on arbitrary bytes. The first byte picks the
// rules (a mask over the NormalizationRule bits); the rest is the
// text. Checks that invalid UTF-8 is the only failure, that the key is UTF-8
// and that the offset map covers the key and points into the input in order.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "service/text/normalizer.h"
#include "service/text/utf8.h"
#include "tests/fuzz/fuzz_check.h"

using qantara::fuzz::Check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace qantara::text;
  if (size == 0) return 0;
  // Eleven rule bits from one byte: bits 0-7 as they are, 8-10 repeat 0-2.
  const uint32_t bits = (uint32_t{data[0]} | uint32_t{data[0]} << 8) & 0x7FFu;
  NormalizationOptions options = NormalizationOptions::FromBits(bits);
  absl::StatusOr<std::unique_ptr<Normalizer>> normalizer = Normalizer::Create(options);
  Check(normalizer.ok(), "Normalizer::Create");
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  absl::StatusOr<NormalizedText> out = (*normalizer)->Normalize(text);
  const bool valid = ValidateUtf8(text).ok();
  Check(out.ok() == valid, "Normalize fails exactly on invalid UTF-8");
  if (!out.ok()) {
    Check(out.status().code() == absl::StatusCode::kInvalidArgument, "invalid UTF-8 is InvalidArgument");
    return 0;
  }
  Check(ValidateUtf8(out->text).ok(), "key is UTF-8");
  Check(out->source_offsets.size() == out->text.size() + 1, "offset map covers the key");
  for (size_t i = 0; i < out->source_offsets.size(); ++i) {
    Check(out->source_offsets[i] <= text.size(), "offset inside the input");
    if (i > 0) Check(out->source_offsets[i - 1] <= out->source_offsets[i], "offsets in order");
  }
  absl::StatusOr<std::string> key = (*normalizer)->Key(text);
  Check(key.ok() && *key == out->text, "Key() == Normalize().text");
  return 0;
}
