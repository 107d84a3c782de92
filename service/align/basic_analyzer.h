// BasicAnalyzer: a self-contained, fast Analyzer for Arabic and English.
//
// Tokens are maximal runs of letters (Arabic combining marks and tatweel
// inside a word are dropped) or of digits (any script, with inner . , ٫ ٬);
// ? ؟ and double quotes (" “ ” « ») are kept as punctuation anchors, other
// punctuation and symbols are dropped. Normalisation: case folding, Arabic
// alef/hamza variants → ا, ى → ي, ة → ه, ؤ → و, ئ → ي, digits → ASCII.
// Keys: the form, the Arabic form with proclitics (و ف, ب ك ل, ال) split
// off when at least three letters remain, and the Snowball stem.
#ifndef QANTARA_SERVICE_ALIGN_BASIC_ANALYZER_H_
#define QANTARA_SERVICE_ALIGN_BASIC_ANALYZER_H_

#include <memory>

#include "service/align/analyzer.h"
#include "service/text/stemmer.h"

namespace qantara::align {

class BasicAnalyzer final : public Analyzer {
 public:
  explicit BasicAnalyzer(text::Language lang);
  text::Language language() const override { return lang_; }
  absl::Status Tokenize(std::string_view text, std::vector<AnalyzedToken>* out) const override;
  std::vector<std::string> Keys(std::string_view norm) const override;

 private:
  std::string Stem(std::string_view word) const;

  text::Language lang_;
  std::unique_ptr<text::Stemmer> stemmer_;  // null when libstemmer lacks the language
};

// Strips Arabic proclitics from a normalised word: returns the base, or the
// word itself when nothing can be split off safely.
std::string_view SplitArabicProclitics(std::string_view norm);

}  // namespace qantara::align

#endif  // QANTARA_SERVICE_ALIGN_BASIC_ANALYZER_H_
