#include "service/text/srx_rules.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "unicode/uchar.h"
#include "unicode/utypes.h"

namespace qantara::text {
namespace {

// ICU regex work limit for one find() of one rule (in ICU's "steps", roughly
// milliseconds): built-in rules never come near it, a user's runaway
// expression fails with a clear error instead of hanging the server.
constexpr int32_t kRegexTimeLimit = 200;

bool IsSpace16(char16_t c) { return u_isUWhiteSpace(c); }

icu::UnicodeString FromUtf8(std::string_view s) {
  return icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
}

absl::StatusOr<std::shared_ptr<const icu::RegexPattern>> CompileRegex(
    const icu::UnicodeString& pattern, uint32_t flags, int line, std::string_view what,
    std::string_view source) {
  UParseError pe{};
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::RegexPattern> p(icu::RegexPattern::compile(pattern, flags, pe, status));
  if (U_FAILURE(status) || !p) {
    return absl::InvalidArgumentError(absl::StrCat(
        "SRX line ", line, ": invalid regular expression in ", std::string(what), " \"",
        std::string(source), "\": ", u_errorName(status),
        pe.offset >= 0 ? absl::StrCat(" near offset ", pe.offset) : std::string()));
  }
  return std::shared_ptr<const icu::RegexPattern>(std::move(p));
}

}  // namespace

int32_t BoundaryPosition(const char16_t* s, int32_t p) {
  while (p > 0 && IsSpace16(s[p - 1])) --p;
  return p;
}

absl::StatusOr<SrxRuleSet> SrxRuleSet::Compile(const SrxDocument& doc,
                                               std::string_view language_code) {
  SrxRuleSet out;
  const icu::UnicodeString code = FromUtf8(language_code);
  for (const SrxLanguageMap& map : doc.maps) {
    auto lp = CompileRegex(FromUtf8(map.language_pattern), UREGEX_CASE_INSENSITIVE, map.line,
                           "languagepattern", map.language_pattern);
    if (!lp.ok()) return lp.status();
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::RegexMatcher> m((*lp)->matcher(code, status));
    if (U_FAILURE(status) || !m) return absl::InternalError("cannot create ICU regex matcher");
    const bool matches = m->matches(status);
    if (U_FAILURE(status)) {
      return absl::InvalidArgumentError(absl::StrCat("SRX line ", map.line,
                                                     ": languagepattern failed: ", u_errorName(status)));
    }
    if (!matches) continue;
    const SrxLanguageRule* lr = doc.FindLanguageRule(map.language_rule_name);
    if (lr == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("SRX line ", map.line, ": unknown languagerulename \"",
                                                     map.language_rule_name, "\""));
    }
    for (const SrxRule& r : lr->rules) {
      icu::UnicodeString pattern;
      pattern += u"(?:";
      pattern += FromUtf8(r.before_break);
      pattern += u")";
      if (!r.after_break.empty()) {
        pattern += u"(?=(?:";
        pattern += FromUtf8(r.after_break);
        pattern += u"))";
      }
      // Compile each half alone first so that an error names the right one
      // (and so that "a)(b" cannot escape its group).
      for (const auto& [what, src] : {std::pair<std::string_view, const std::string&>{"beforebreak", r.before_break},
                                      {"afterbreak", r.after_break}}) {
        if (src.empty()) continue;
        auto half = CompileRegex(FromUtf8(src), 0, r.line, what, src);
        if (!half.ok()) return half.status();
      }
      auto compiled = CompileRegex(pattern, 0, r.line, "rule", r.before_break + " / " + r.after_break);
      if (!compiled.ok()) return compiled.status();
      out.rules_.push_back(Rule{r.is_break, *std::move(compiled), r.line});
    }
    if (!doc.cascade) break;
  }
  return out;
}

void SrxRuleSet::Append(const SrxRuleSet& other) {
  rules_.insert(rules_.end(), other.rules_.begin(), other.rules_.end());
}

absl::Status SrxRuleSet::Apply(const icu::UnicodeString& text,
                               std::vector<BoundaryDecision>* decisions) const {
  const char16_t* s = text.getBuffer();
  const int32_t n = text.length();
  for (const Rule& rule : rules_) {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::RegexMatcher> m(rule.pattern->matcher(text, status));
    if (U_FAILURE(status) || !m) return absl::InternalError("cannot create ICU regex matcher");
    m->setTimeLimit(kRegexTimeLimit, status);
    const BoundaryDecision verdict =
        rule.is_break ? BoundaryDecision::kBreak : BoundaryDecision::kNoBreak;
    // Matches come in increasing order: remember the last whitespace run so
    // that a run is walked back once, not once per match inside it.
    int32_t run_begin = -1, run_end = -1;
    while (m->find(status)) {
      int32_t p = m->end(status);
      if (U_FAILURE(status)) break;
      if (p > 0 && p <= n && IsSpace16(s[p - 1])) {
        if (p - 1 >= run_begin && p - 1 < run_end) {
          p = run_begin;
        } else {
          run_end = p;
          while (run_end < n && IsSpace16(s[run_end])) ++run_end;
          p = BoundaryPosition(s, p);
          run_begin = p;
        }
      }
      BoundaryDecision& d = (*decisions)[static_cast<size_t>(p)];
      if (d == BoundaryDecision::kUndecided) d = verdict;
    }
    if (status == U_REGEX_TIME_OUT || status == U_REGEX_STACK_OVERFLOW) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "SRX rule at line ", rule.line, " takes too long on this text (", u_errorName(status), ")"));
    }
    if (U_FAILURE(status)) {
      return absl::InternalError(absl::StrCat("SRX rule at line ", rule.line, ": ", u_errorName(status)));
    }
  }
  return absl::OkStatus();
}

}  // namespace qantara::text
