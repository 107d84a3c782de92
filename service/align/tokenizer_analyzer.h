// TokenizerAnalyzer: the aligner's Analyzer on the text engine's Tokenizer
// (service/text/tokenizer.h): its normalisation, token classes, Snowball
// stems and conservative Arabic clitic split, so the aligner compares words
// exactly as matching and the index do.
#ifndef QANTARA_SERVICE_ALIGN_TOKENIZER_ANALYZER_H_
#define QANTARA_SERVICE_ALIGN_TOKENIZER_ANALYZER_H_

#include <memory>

#include "absl/status/statusor.h"
#include "service/align/analyzer.h"
#include "service/text/tokenizer.h"

namespace qantara::align {

class TokenizerAnalyzer final : public Analyzer {
 public:
  // Errors: those of text::Tokenizer::Create.
  static absl::StatusOr<std::unique_ptr<TokenizerAnalyzer>> Create(text::Language lang);

  text::Language language() const override { return lang_; }
  // Words, numbers (digits only, separators dropped, so 1,000 = ١٬٠٠٠),
  // URLs and e-mails (as Latin words), ? ؟ and double quotes; other
  // punctuation, symbols, placeholders and tags are dropped.
  absl::Status Tokenize(std::string_view text, std::vector<AnalyzedToken>* out) const override;
  // The form, the clitic-split base (Arabic, when the Tokenizer splits), the
  // Snowball stem.
  std::vector<std::string> Keys(std::string_view norm) const override;

 private:
  TokenizerAnalyzer(text::Language lang, std::unique_ptr<text::Tokenizer> plain,
                    std::unique_ptr<text::Tokenizer> full)
      : lang_(lang), plain_(std::move(plain)), full_(std::move(full)) {}
  text::Language lang_;
  std::unique_ptr<text::Tokenizer> plain_;  // no stems, no clitics: per sentence
  std::unique_ptr<text::Tokenizer> full_;   // stems and clitics: per word type
};

}  // namespace qantara::align

#endif  // QANTARA_SERVICE_ALIGN_TOKENIZER_ANALYZER_H_
