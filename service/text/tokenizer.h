// Tokenisation of Arabic and English text, with offsets into the original.
//
// ICU word boundaries are the base; placeholders (%s, %1$s, {0}), inline tags
// (<b>, </g>, &amp;), URLs and e-mail addresses are kept whole (see
// special_spans.h for exactly what is recognised). Words joined by a hyphen
// (well-known) are one word.
// Whitespace is never a token. Each token carries its normalised form (the
// Normalizer's key for that token) and, on request, its Snowball stem and its
// Arabic clitic split.
#ifndef QANTARA_SERVICE_TEXT_TOKENIZER_H_
#define QANTARA_SERVICE_TEXT_TOKENIZER_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "service/text/language.h"
#include "service/text/normalizer.h"
#include "service/text/segmenter.h"

namespace qantara::text {

enum class TokenClass {
  kWord,         // letters (any script), incl. inner apostrophes/hyphens of one word
  kNumber,       // digits in any script, with inner . , ٫ ٬ separators: 3.5, ١٬٠٠٠
  kPunctuation,  // . , ; : ! ? ، ؛ ؟ quotes brackets dashes
  kSymbol,       // $ % + = © ...
  kPlaceholder,  // printf/ICU/.NET placeholders: %s %d %1$s {0} {name} ${name} '$1'
  kTag,          // inline markup: <b> </b> <x id="1"/> &amp;
  kUrl,          // http://..., www....
  kEmail,        // name@example.com
};

std::string_view TokenClassName(TokenClass c);

struct Token {
  TextSpan span;  // in the original text
  TokenClass cls = TokenClass::kWord;
  std::string norm;  // normalised form (Normalizer key of the token's text)
  // Snowball stem (words only; empty unless options.stem). Computed on the
  // word with diacritics etc. removed but ة ى ؤ ئ kept (Snowball's Arabic
  // suffix rules need them), without a conjunction و/ف before ال that
  // SplitArabicClitics recognises (Snowball misses وال, فال), then
  // normalised under the same rules as `norm`.
  std::string stem;
  // Arabic clitic split (only when options.split_clitics and the word has
  // one): the proclitics (و ف ب ل ك, ال) and the remaining base, each a
  // normalised string; empty otherwise.
  std::vector<std::string> proclitics;
  std::string base;
};

// A token as Tokenizer::Scan reports it.
struct TokenView {
  TokenClass cls = TokenClass::kWord;
  size_t byte_begin = 0;  // span in the text
  size_t byte_end = 0;
  std::string_view norm;  // normalised form
};

struct TokenizerOptions {
  Language language = Language::kArabic;
  NormalizationOptions normalization = NormalizationOptions::All();
  bool split_clitics = false;  // Arabic only; conservative
  bool stem = false;           // Snowball (libstemmer) arabic / english
};

// Thread-safe after construction.
class Tokenizer {
 public:
  static absl::StatusOr<std::unique_ptr<Tokenizer>> Create(const TokenizerOptions& options);
  virtual ~Tokenizer() = default;

  // The tokens of `text` in order. InvalidArgument for invalid UTF-8.
  virtual absl::StatusOr<std::vector<Token>> Tokenize(std::string_view text) const = 0;

  // Calls `fn` with every token of `text` in order: the classes, byte spans
  // and normalised forms Tokenize gives, without code-point offsets, stems or
  // clitics and without building Tokens (faster, for callers that analyse
  // much text, e.g. the aligner). The view is valid during the call only.
  // InvalidArgument for invalid UTF-8.
  virtual absl::Status Scan(std::string_view text, absl::FunctionRef<void(const TokenView&)> fn) const = 0;

  // The one token of `word`: exactly what Tokenize(word) gives when that is
  // a single token, nullopt when it is none or several. Much faster than
  // Tokenize for a plain word (e.g. the norm of a token, to stem it).
  // InvalidArgument for invalid UTF-8.
  virtual absl::StatusOr<std::optional<Token>> TokenizeWord(std::string_view word) const = 0;

  virtual const TokenizerOptions& options() const = 0;
};

}  // namespace qantara::text

#endif  // QANTARA_SERVICE_TEXT_TOKENIZER_H_
