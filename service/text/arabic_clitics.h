// Conservative splitting of Arabic proclitics from a normalised word.
//
// Arabic writes the conjunctions و ف, the prepositions ب ك ل and the article
// ال as one word with what follows (والكتاب = و + ال + كتاب). Only the
// patterns that are reliable without a lexicon are split: the article,
// alone or after the proclitics (ال, وال, فال, بال, كال, وبال, فبال, وكال,
// and لل / ولل / فلل where ل + ال drops the alef), and only when the base
// that remains is a plausible word: Arabic letters only, at least 2 letters
// after a bare ال and at least 3 after a longer prefix, and not one of the
// words that merely begin with ال (الذي التي الله إلى إلا الآن ...).
// A single و ف ب ك ل before a word without the article is never split: too
// many words begin with those letters (وزير, فيلم, بيت, كتاب, لون).
#ifndef QANTARA_SERVICE_TEXT_ARABIC_CLITICS_H_
#define QANTARA_SERVICE_TEXT_ARABIC_CLITICS_H_

#include <string>
#include <string_view>
#include <vector>

namespace qantara::text {

struct CliticSplit {
  std::vector<std::string> proclitics;  // in order, e.g. {"و", "ب", "ال"}
  std::string base;                     // what remains, e.g. "كتاب"
};

// Splits `word`, a normalised (Normalizer key) single word. Returns true and
// fills *out when the word has proclitics; false (and *out untouched) when it
// has none or the split would not be plausible.
bool SplitArabicClitics(std::string_view word, CliticSplit* out);

}  // namespace qantara::text

#endif  // QANTARA_SERVICE_TEXT_ARABIC_CLITICS_H_
