// SRX rules compiled for one language and applied to a text: the engine
// behind SentenceSegmenter. Internal to qantara_text (uses ICU types).
//
// Positions are UTF-16 offsets into the text (ICU's native indexing). A
// boundary anywhere inside a run of whitespace is the same boundary, so every
// position a rule matches at is reduced to the start of the whitespace run
// that ends at or contains it ("after 'Mr.'" and "after 'Mr. '" are one
// position); rules written either way agree.
#ifndef QANTARA_SERVICE_TEXT_SRX_RULES_H_
#define QANTARA_SERVICE_TEXT_SRX_RULES_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "service/text/srx.h"
#include "unicode/regex.h"
#include "unicode/unistr.h"

namespace qantara::text {

// What the rules say about one position.
enum class BoundaryDecision : uint8_t { kUndecided = 0, kBreak = 1, kNoBreak = 2 };

// An ordered list of compiled SRX rules. Copying shares the compiled
// patterns (immutable); Apply() may run from many threads at once.
class SrxRuleSet {
 public:
  SrxRuleSet() = default;

  // Compiles the rules of `doc` that apply to `language_code` (e.g. "ar"):
  // the language rules of every map whose languagepattern matches the whole
  // code (case-insensitively), in map order when doc.cascade, otherwise of
  // the first matching map only. No matching map gives an empty set.
  // Errors: InvalidArgument "SRX line N: ..." for a regular expression ICU
  // cannot compile (in a rule or a languagepattern).
  static absl::StatusOr<SrxRuleSet> Compile(const SrxDocument& doc, std::string_view language_code);

  // Appends `other`'s rules after this set's (they rank lower).
  // Errors: InvalidArgument when the combined set has too many rules.
  absl::Status Append(const SrxRuleSet& other);

  size_t size() const { return rules_.size(); }
  bool empty() const { return rules_.empty(); }

  // Evaluates the rules on `text`: for every position 0..length() where
  // some rule matches, (*decisions)[position] becomes the verdict of the
  // first rule (in order) that matches there; positions already decided are
  // left alone. Positions are reduced as described above.
  //
  // Speed: ICU's find() tests candidate start characters against a set,
  // slowly for non-Latin text, once per rule. So when a rule's beforebreak
  // starts with a plain character or [set], qantara reads that set itself
  // and one pass over the text tries each such rule (lookingAt) only where
  // its first character occurs. Rules starting otherwise (\b, (?i), groups,
  // alternatives...) are run with find(), and are correct but slower.
  // REQUIRES: decisions->size() == text.length() + 1.
  // Errors: ResourceExhausted when a rule's expression runs too long on this
  // text (catastrophic backtracking in a user's rule), naming its SRX line.
  absl::Status Apply(const icu::UnicodeString& text, std::vector<BoundaryDecision>* decisions) const;

 private:
  // Bit c set: the rule may start matching at UTF-16 code unit c (all lead
  // surrogates are set when it may start with a supplementary character).
  using CharBitmap = std::vector<uint64_t>;

  struct Rule {
    bool is_break = true;
    std::shared_ptr<const icu::RegexPattern> pattern;  // (?:before)(?=(?:after))
    int line = 0;
    bool anchored = false;  // before starts with ^: can only match at 0
    // The characters a match can start with, read from the first element of
    // beforebreak when it is a plain character or set; null when unknown
    // (the rule is then run with find() over the whole text).
    std::shared_ptr<const CharBitmap> first_chars;
  };

  std::vector<Rule> rules_;
};

// Start of the whitespace run that ends at or contains position `p` of
// `s` (p itself when s[p-1] is not whitespace).
int32_t BoundaryPosition(const char16_t* s, int32_t p);

}  // namespace qantara::text

#endif  // QANTARA_SERVICE_TEXT_SRX_RULES_H_
