// SRX 2.0 (Segmentation Rules eXchange, LISA/GALA) documents: the rule files
// OmegaT, Okapi and Trados use to split text into sentences.
//
// An SRX document holds named language rules (ordered break / no-break
// rules, each a pair of regular expressions: what must come before the
// position and what must come after it) and map rules that say which
// language rules apply to which language code. This file only parses and
// validates the document; srx_rules.h compiles the rules for one language.
#ifndef QANTARA_SERVICE_TEXT_SRX_H_
#define QANTARA_SERVICE_TEXT_SRX_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace qantara::text {

// One <rule>: a position in the text matches when `before_break` matches the
// text ending at it and `after_break` matches the text starting at it (an
// empty expression matches everywhere). `is_break` says whether a match is a
// sentence boundary (break="yes", the default) or forbids one (break="no").
struct SrxRule {
  bool is_break = true;
  std::string before_break;  // regular expression (Java/ICU syntax)
  std::string after_break;   // regular expression (Java/ICU syntax)
  int line = 0;              // line of the <rule> element, for error messages
};

// One <languagerule languagerulename="...">: an ordered list of rules.
struct SrxLanguageRule {
  std::string name;
  std::vector<SrxRule> rules;
  int line = 0;
};

// One <languagemap>: language codes matching `language_pattern` (a regular
// expression matched against the whole code, e.g. "ar.*") use the language
// rule called `language_rule_name`.
struct SrxLanguageMap {
  std::string language_pattern;
  std::string language_rule_name;
  int line = 0;
};

// A parsed SRX document. Every map names an existing language rule.
struct SrxDocument {
  // header cascade="yes": every map rule whose pattern matches a language
  // contributes its rules, in map order. "no": only the first matching map.
  bool cascade = false;
  std::vector<SrxLanguageRule> language_rules;
  std::vector<SrxLanguageMap> maps;

  // The language rule called `name`, or nullptr.
  const SrxLanguageRule* FindLanguageRule(std::string_view name) const;
};

// Parses an SRX 2.0 document (SRX 1.0 files, which have the same elements,
// are accepted too). Elements of other XML namespaces (tool extensions such
// as Okapi's options) are skipped. Regular expressions are not compiled
// here (see CompileSrxRules).
// Errors: InvalidArgument with "SRX line N: ..." for malformed XML, a root
// element other than <srx>, misplaced or unknown SRX elements, a bad
// break="..." value, a missing attribute, a duplicate language rule name or a
// map naming a language rule that does not exist.
absl::StatusOr<SrxDocument> ParseSrx(std::string_view xml);

}  // namespace qantara::text

#endif  // QANTARA_SERVICE_TEXT_SRX_H_
