// libFuzzer target: Tokenizer on arbitrary bytes. The first byte picks the
// language (bit 0), clitic splitting (bit 1) and stemming (bit 2); the rest
// is the text. Checks that invalid UTF-8 is the only failure and that token
// spans are in order, non-empty, inside the text, with consistent offsets;
// that Scan reports the same tokens, TokenizeWord the same token for each
// token's text; and that the fast word breaks, when they accept the text,
// are ICU's.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "service/text/tokenizer.h"
#include "service/text/utf8.h"
#include "service/text/word_breaks.h"
#include "tests/fuzz/fuzz_check.h"
#include "unicode/brkiter.h"
#include "unicode/locid.h"
#include "unicode/utext.h"

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

  size_t k = 0;
  const absl::Status scanned = tokenizers[variant]->Scan(text, [&](const TokenView& v) {
    Check(k < tokens->size(), "Scan: no more tokens than Tokenize");
    const Token& t = (*tokens)[k++];
    Check(v.cls == t.cls && v.byte_begin == t.span.byte_begin && v.byte_end == t.span.byte_end &&
              v.norm == t.norm,
          "Scan: the tokens of Tokenize");
  });
  Check(scanned.ok() && k == tokens->size(), "Scan: every token");
  for (const Token& t : *tokens) {
    absl::StatusOr<std::optional<Token>> one = tokenizers[variant]->TokenizeWord(t.span.In(text));
    absl::StatusOr<std::vector<Token>> all = tokenizers[variant]->Tokenize(t.span.In(text));
    Check(one.ok() && all.ok(), "TokenizeWord on a token");
    Check(one->has_value() == (all->size() == 1), "TokenizeWord: one token exactly when Tokenize");
    if (one->has_value()) {
      const Token& a = all->front();
      const Token& b = **one;
      Check(a.span == b.span && a.cls == b.cls && a.norm == b.norm && a.stem == b.stem &&
                a.proclitics == b.proclitics && a.base == b.base,
            "TokenizeWord: the token of Tokenize");
    }
  }

  static std::vector<WordPiece> fast;
  if (FastWordBreaks(text, &fast)) {
    static icu::BreakIterator* icu_words[2] = {};
    const int lang = variant & 1;
    if (icu_words[lang] == nullptr) {
      UErrorCode status = U_ZERO_ERROR;
      icu_words[lang] = icu::BreakIterator::createWordInstance(icu::Locale(lang ? "en" : "ar"), status);
      Check(U_SUCCESS(status), "ICU word break iterator");
    }
    UErrorCode status = U_ZERO_ERROR;
    UText* ut = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status);
    icu_words[lang]->setText(ut, status);
    size_t p = 0;
    icu_words[lang]->first();
    for (int32_t e = icu_words[lang]->next(); e != icu::BreakIterator::DONE; e = icu_words[lang]->next()) {
      Check(p < fast.size() && fast[p].end == e && fast[p].status == icu_words[lang]->getRuleStatus(),
            "FastWordBreaks: ICU's boundaries and statuses");
      ++p;
    }
    Check(p == fast.size(), "FastWordBreaks: no extra boundary");
    utext_close(ut);
  }
  return 0;
}
