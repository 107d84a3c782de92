// libFuzzer target: Tokenizer on arbitrary bytes. The first byte picks the
// language (bit 0), clitic splitting (bit 1) and stemming (bit 2); the rest
// is the text. Checks that invalid UTF-8 is the only failure and that token
// spans are in order, non-empty, inside the text, with consistent offsets.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "service/text/tokenizer.h"
#include "service/text/utf8.h"
#include "tests/fuzz/fuzz_check.h"

using qantara::fuzz::Check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace qantara::text;
  static const Tokenizer* tokenizers[8] = {};
  if (size == 0) return 0;
  const int variant = data[0] & 7;
  if (tokenizers[variant] == nullptr) {
    TokenizerOptions options;
    options.language = (variant & 1) ? Language::kEnglish : Language::kArabic;
    options.split_clitics = (variant & 2) != 0;
    options.stem = (variant & 4) != 0;
    absl::StatusOr<std::unique_ptr<Tokenizer>> made = Tokenizer::Create(options);
    Check(made.ok(), "Tokenizer::Create");
    tokenizers[variant] = made->release();
  }
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  absl::StatusOr<std::vector<Token>> tokens = tokenizers[variant]->Tokenize(text);
  const bool valid = ValidateUtf8(text).ok();
  Check(tokens.ok() == valid, "Tokenize fails exactly on invalid UTF-8");
  if (!tokens.ok()) {
    Check(tokens.status().code() == absl::StatusCode::kInvalidArgument, "invalid UTF-8 is InvalidArgument");
    return 0;
  }
  size_t pos = 0;
  for (const Token& t : *tokens) {
    Check(t.span.byte_begin >= pos, "tokens in order");
    Check(t.span.byte_begin < t.span.byte_end && t.span.byte_end <= text.size(), "token inside the text");
    Check(t.span.char_begin == CountCodePoints(text.substr(0, t.span.byte_begin)), "char_begin");
    Check(t.span.char_end == CountCodePoints(text.substr(0, t.span.byte_end)), "char_end");
    Check(ValidateUtf8(t.norm).ok(), "norm is UTF-8");
    pos = t.span.byte_end;
  }
  return 0;
}
