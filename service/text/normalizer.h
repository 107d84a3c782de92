// Normalisation of Arabic and English text into matching keys.
//
// The stored text is never changed: normalisation only makes keys that the
// matcher, the index and the aligner compare. Each rule can be switched off,
// and every key records which rules made it (NormalizationOptions::Bits()),
// so keys made under different rules are never mixed up.
#ifndef QANTARA_SERVICE_TEXT_NORMALIZER_H_
#define QANTARA_SERVICE_TEXT_NORMALIZER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace qantara::text {

// One bit per rule; a key's `rules` field is the OR of the rules applied.
enum NormalizationRule : uint32_t {
  kRuleNfkc = 1u << 0,  // NFKC (folds Arabic presentation forms, ligatures, full-width)
  kRuleStripDiacritics =
      1u << 1,                  // harakat/tashkeel U+064B–U+065F, U+0670, Quranic marks (IsArabicDiacritic)
  kRuleStripTatweel = 1u << 2,  // U+0640
  kRuleStripFormatMarks =
      1u << 3,  // LRM RLM ALM, U+200B–U+200F, U+202A–U+202E, U+2066–U+2069, U+FEFF (IsFormatMark)
  kRuleUnifyAlef = 1u << 4,        // آ أ إ ٱ (and wavy-hamza ٲ ٳ) → ا
  kRuleAlefMaqsuraToYa = 1u << 5,  // ى → ي
  kRuleTaMarbutaToHa = 1u << 6,    // ة → ه
  kRuleHamzaCarriers = 1u << 7,    // ؤ → و, ئ → ي
  kRuleFoldDigits = 1u << 8,  // Arabic-Indic and Extended Arabic-Indic digits → 0-9; ٫ → . ٬ → , ٪ → %
  kRuleFoldCase = 1u << 9,           // Unicode case folding (English and other cased scripts)
  kRuleUnifyPunctuation = 1u << 10,  // typographic quotes and « » → ' ", dashes and minus → -; ، ؛ ؟ and …
                                     // stay (NFKC itself turns … into ...)
};

struct NormalizationOptions {
  bool nfkc = true;
  bool strip_diacritics = true;
  bool strip_tatweel = true;
  bool strip_format_marks = true;
  bool unify_alef = true;
  bool alef_maqsura_to_ya = true;
  bool ta_marbuta_to_ha = true;
  bool hamza_carriers = true;
  bool fold_digits = true;
  bool fold_case = true;
  bool unify_punctuation = true;

  // The rules these options switch on, as NormalizationRule bits.
  uint32_t Bits() const;
  // Every rule on (the default) / every rule off.
  static NormalizationOptions All();
  static NormalizationOptions None();
  // The options whose rules are the NormalizationRule bits in `bits`
  // (unknown bits are ignored), so FromBits(o.Bits()).Bits() == o.Bits().
  static NormalizationOptions FromBits(uint32_t bits);
};

// Every rule, in bit order.
inline constexpr NormalizationRule kAllNormalizationRules[] = {
    kRuleNfkc,       kRuleStripDiacritics, kRuleStripTatweel,     kRuleStripFormatMarks,
    kRuleUnifyAlef,  kRuleAlefMaqsuraToYa, kRuleTaMarbutaToHa,    kRuleHamzaCarriers,
    kRuleFoldDigits, kRuleFoldCase,        kRuleUnifyPunctuation,
};

// The short name of a rule as the API and the CLI spell it: nfkc,
// diacritics, tatweel, format_marks, alef, alef_maqsura, ta_marbuta, hamza,
// digits, fold_case, punctuation.
std::string_view NormalizationRuleName(NormalizationRule rule);

// The names of the rules in `bits`, in bit order.
std::vector<std::string_view> NormalizationRuleNames(uint32_t bits);

// Parses a rule's short name ('-' may stand for '_'). InvalidArgument names
// the valid ones when `name` is none of them.
absl::StatusOr<NormalizationRule> ParseNormalizationRule(std::string_view name);

// The characters kRuleStripDiacritics removes: harakat U+064B–U+065F,
// superscript alef U+0670, Quranic annotation marks U+0610–U+061A,
// U+06D6–U+06ED (except the signs that are not marks: U+06DD, U+06DE,
// U+06E5, U+06E6) and U+08D3–U+08FF (except U+08E2).
bool IsArabicDiacritic(uint32_t c);
// The characters kRuleStripFormatMarks removes: ALM U+061C, U+200B–U+200F
// (ZWSP ZWNJ ZWJ LRM RLM), U+202A–U+202E, U+2060–U+2064, U+2066–U+2069,
// U+FEFF and the soft hyphen U+00AD.
bool IsFormatMark(uint32_t c);

// A normalised key and the map back to the original text.
struct NormalizedText {
  std::string text;    // the key, UTF-8
  uint32_t rules = 0;  // NormalizationRule bits that made it
  // For every byte of `text` plus one past the end, the byte offset in the
  // original input of the character it came from (so spans in the key map
  // back to spans of the original for highlighting).
  std::vector<uint32_t> source_offsets;
};

// Thread-safe after construction.
class Normalizer {
 public:
  static absl::StatusOr<std::unique_ptr<Normalizer>> Create(
      const NormalizationOptions& options = NormalizationOptions::All());
  virtual ~Normalizer() = default;

  // Normalises `text`: NFKC first (when on), then the other rules character
  // by character on NFKC's output. Returns InvalidArgument naming the byte
  // offset when `text` is not valid UTF-8.
  virtual absl::StatusOr<NormalizedText> Normalize(std::string_view text) const = 0;

  // Like Normalize, without the offset map (faster; for keys only).
  virtual absl::StatusOr<std::string> Key(std::string_view text) const = 0;

  virtual const NormalizationOptions& options() const = 0;
};

}  // namespace qantara::text

#endif  // QANTARA_SERVICE_TEXT_NORMALIZER_H_
