// Word analysis for alignment: a sentence becomes the tokens the aligner
// compares, each with the keys it is looked up under in the lexicon.
//
// The aligner only needs this small interface; TokenizerAnalyzer (on the text
// engine's Tokenizer) implements it, tests may bring their own.
#ifndef QANTARA_SERVICE_ALIGN_ANALYZER_H_
#define QANTARA_SERVICE_ALIGN_ANALYZER_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "service/text/language.h"

namespace qantara::align {

enum class TokenKind {
  kWord,    // letters (any script)
  kNumber,  // digits (any script), folded to ASCII in `norm`
  kPunct,   // punctuation; only ? ؟ and quotes are kept (they are anchors)
};

struct AnalyzedToken {
  TokenKind kind = TokenKind::kWord;
  // Normalised form: Arabic without diacritics/tatweel, alef/ya/ta marbuta
  // unified; case-folded; digits folded to ASCII; ? and ؟ both "?", every
  // quote '"'.
  std::string norm;
  bool latin = false;        // a word in Latin script
  bool capitalized = false;  // first letter upper case in the original
};

// Turns text of one language into tokens, and words into lexicon keys.
// Thread-safe.
class Analyzer {
 public:
  virtual ~Analyzer() = default;
  virtual text::Language language() const = 0;

  // Appends the tokens of `text` to *out (cheap: no stemming).
  // InvalidArgument for invalid UTF-8.
  virtual absl::Status Tokenize(std::string_view text, std::vector<AnalyzedToken>* out) const = 0;

  // The lexicon keys of one word given by its normalised form (as Tokenize
  // makes it), most specific first: the form itself, then (Arabic) the form
  // with proclitics split off, then the Snowball stem; no duplicates, never
  // empty. Callers cache the result per word type.
  virtual std::vector<std::string> Keys(std::string_view norm) const = 0;
};

// True for a small closed list of function words of `lang` (normalised form).
bool IsStopword(text::Language lang, std::string_view norm);

}  // namespace qantara::align

#endif  // QANTARA_SERVICE_ALIGN_ANALYZER_H_
