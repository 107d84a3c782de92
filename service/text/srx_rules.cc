// Compiling SRX segmentation rules for one language into ICU regexes and
// applying them to a text: the break positions behind SentenceSegmenter.
#include "service/text/srx_rules.h"

#include <cctype>
#include <cstring>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "unicode/uchar.h"
#include "unicode/uniset.h"
#include "unicode/utf8.h"
#include "unicode/utypes.h"

namespace qantara::text {
namespace {

// ICU regex work limit for one find() of one rule, in ICU's "steps" (a few
// milliseconds each): a base plus a share that grows with the text, since
// one find() may scan the whole text. Sane rules never come near it; a
// user's runaway expression fails with a clear error instead of hanging.
int32_t RegexTimeLimit(int32_t text_length) { return 100 + text_length / 2000; }

bool IsSpace16(char16_t c) { return u_isUWhiteSpace(c); }

icu::UnicodeString FromUtf8(std::string_view s) {
  return icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
}

absl::StatusOr<std::shared_ptr<const icu::RegexPattern>> CompileRegex(const icu::UnicodeString& pattern,
                                                                      uint32_t flags, int line,
                                                                      std::string_view what,
                                                                      std::string_view source) {
  UParseError pe{};
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::RegexPattern> p(icu::RegexPattern::compile(pattern, flags, pe, status));
  if (U_FAILURE(status) || !p) {
    return absl::InvalidArgumentError(
        absl::StrCat("SRX line ", line, ": invalid regular expression in ", std::string(what), " \"",
                     std::string(source), "\": ", u_errorName(status),
                     pe.offset >= 0 ? absl::StrCat(" near offset ", pe.offset) : std::string()));
  }
  return std::shared_ptr<const icu::RegexPattern>(std::move(p));
}

// Rule ranks are 16-bit.
constexpr size_t kMaxRules = 60000;

// True when `re` has a '|' outside every group and set.
bool HasTopLevelAlternation(std::string_view re) {
  int parens = 0;
  int set_depth = 0;
  for (size_t i = 0; i < re.size(); ++i) {
    const char c = re[i];
    if (c == '\\') {
      ++i;
      continue;
    }
    if (set_depth > 0) {
      if (c == '[') ++set_depth;
      if (c == ']') --set_depth;
      continue;
    }
    if (c == '[') set_depth = 1;
    if (c == '(') ++parens;
    if (c == ')') --parens;
    if (c == '|' && parens == 0) return true;
  }
  return false;
}

bool IsHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// Length of the escape at re[i] == '\' when it means the same inside an ICU
// regex set and an ICU UnicodeSet pattern: \ + ASCII punctuation, \uXXXX,
// \n \r \t \f, \p{...} \P{...}. 0 for anything else (\s \d \w \b ...).
size_t SafeEscapeLength(std::string_view re, size_t i) {
  if (i + 1 >= re.size()) return 0;
  const char d = re[i + 1];
  if (std::ispunct(static_cast<unsigned char>(d))) return 2;
  if (d == 'n' || d == 'r' || d == 't' || d == 'f') return 2;
  if (d == 'u' && i + 5 < re.size() && IsHex(re[i + 2]) && IsHex(re[i + 3]) && IsHex(re[i + 4]) &&
      IsHex(re[i + 5])) {
    return 6;
  }
  if ((d == 'p' || d == 'P') && i + 2 < re.size() && re[i + 2] == '{') {
    const size_t close = re.find('}', i + 3);
    return close == std::string_view::npos ? 0 : close - i + 1;
  }
  return 0;
}

// True when the element ending at `end` may be skipped (?, *, {0, {,).
bool OptionalAt(std::string_view re, size_t end) {
  if (end < re.size() && (re[end] == '?' || re[end] == '*')) return true;
  return end + 1 < re.size() && re[end] == '{' && (re[end + 1] == '0' || re[end + 1] == ',');
}

// The set of characters a match of `before` can start with, when its first
// element is a plain character, a safe escape or a [set] that is not
// optional, and `before` has no top-level alternative; nullopt otherwise.
std::optional<icu::UnicodeSet> FirstCharSet(std::string_view before) {
  if (before.empty() || HasTopLevelAlternation(before)) return std::nullopt;
  const char c = before[0];
  std::string set_pattern;  // the first element as a UnicodeSet pattern
  size_t end = 0;           // one past the first element
  if (c == '[') {
    int depth = 0;
    size_t i = 0;
    for (; i < before.size(); ++i) {
      const char x = before[i];
      if (x == '\\') {
        const size_t len = SafeEscapeLength(before, i);
        if (len == 0) return std::nullopt;
        i += len - 1;
        continue;
      }
      // Set operators and POSIX classes differ between the two syntaxes.
      if (x == '&' || (x == '-' && i + 1 < before.size() && before[i + 1] == '-')) return std::nullopt;
      if (x == '[' && i + 1 < before.size() && before[i + 1] == ':') return std::nullopt;
      if (x == '[') ++depth;
      if (x == ']' && --depth == 0) break;
    }
    if (i >= before.size()) return std::nullopt;
    end = i + 1;
    set_pattern = std::string(before.substr(0, end));
  } else if (c == '\\') {
    end = SafeEscapeLength(before, 0);
    if (end == 0) return std::nullopt;
    set_pattern = "[" + std::string(before.substr(0, end)) + "]";
  } else if (std::strchr(".^$|()[]{}*+?", c) != nullptr) {
    return std::nullopt;
  } else {
    int32_t i = 0;
    UChar32 cp;
    U8_NEXT(reinterpret_cast<const uint8_t*>(before.data()), i, static_cast<int32_t>(before.size()), cp);
    if (cp < 0 || OptionalAt(before, static_cast<size_t>(i))) return std::nullopt;
    icu::UnicodeSet one;
    one.add(cp);
    return one;
  }
  if (OptionalAt(before, end)) return std::nullopt;
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeSet set(FromUtf8(set_pattern), status);
  if (U_FAILURE(status) || set.isBogus()) return std::nullopt;
  return set;
}

std::shared_ptr<const std::vector<uint64_t>> ToBitmap(const icu::UnicodeSet& set) {
  auto bits = std::make_shared<std::vector<uint64_t>>(65536 / 64, 0);
  auto put = [&](UChar32 c) { (*bits)[static_cast<size_t>(c) >> 6] |= uint64_t{1} << (c & 63); };
  for (int32_t r = 0; r < set.getRangeCount(); ++r) {
    const UChar32 lo = set.getRangeStart(r);
    const UChar32 hi = set.getRangeEnd(r);
    for (UChar32 c = lo; c <= hi && c <= 0xFFFF; ++c) put(c);
    if (hi > 0xFFFF) {
      for (UChar32 lead = 0xD800; lead <= 0xDBFF; ++lead) put(lead);
    }
  }
  return bits;
}

bool Has(const std::vector<uint64_t>& bits, char16_t c) { return (bits[c >> 6] >> (c & 63)) & 1; }

}  // namespace

int32_t BoundaryPosition(const char16_t* s, int32_t p) {
  while (p > 0 && IsSpace16(s[p - 1])) --p;
  return p;
}

absl::StatusOr<SrxRuleSet> SrxRuleSet::Compile(const SrxDocument& doc, std::string_view language_code) {
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
      return absl::InvalidArgumentError(
          absl::StrCat("SRX line ", map.line, ": languagepattern failed: ", u_errorName(status)));
    }
    if (!matches) continue;
    const SrxLanguageRule* lr = doc.FindLanguageRule(map.language_rule_name);
    if (lr == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("SRX line ", map.line, ": unknown languagerulename \"", map.language_rule_name, "\""));
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
      for (const auto& [what, src] :
           {std::pair<std::string_view, const std::string&>{"beforebreak", r.before_break},
            {"afterbreak", r.after_break}}) {
        if (src.empty()) continue;
        auto half = CompileRegex(FromUtf8(src), 0, r.line, what, src);
        if (!half.ok()) return half.status();
      }
      auto compiled = CompileRegex(pattern, 0, r.line, "rule", r.before_break + " / " + r.after_break);
      if (!compiled.ok()) return compiled.status();
      Rule rule;
      rule.is_break = r.is_break;
      rule.pattern = *std::move(compiled);
      rule.line = r.line;
      rule.anchored = !r.before_break.empty() && r.before_break[0] == '^';
      if (std::optional<icu::UnicodeSet> first = FirstCharSet(r.before_break)) {
        rule.first_chars = ToBitmap(*first);
      }
      out.rules_.push_back(std::move(rule));
      if (out.rules_.size() > kMaxRules) {
        return absl::InvalidArgumentError(
            absl::StrCat("SRX: more than ", kMaxRules, " rules for one language"));
      }
    }
    if (!doc.cascade) break;
  }
  return out;
}

absl::Status SrxRuleSet::Append(const SrxRuleSet& other) {
  if (rules_.size() + other.rules_.size() > kMaxRules) {
    return absl::InvalidArgumentError(absl::StrCat("SRX: more than ", kMaxRules, " rules for one language"));
  }
  rules_.insert(rules_.end(), other.rules_.begin(), other.rules_.end());
  return absl::OkStatus();
}

absl::Status SrxRuleSet::Apply(const icu::UnicodeString& text,
                               std::vector<BoundaryDecision>* decisions) const {
  const char16_t* s = text.getBuffer();
  const int32_t n = text.length();
  const int32_t time_limit = RegexTimeLimit(n);

  // rank[p]: 1 + index of the best (first) rule matching at p, 0 for none.
  std::vector<uint16_t> rank(static_cast<size_t>(n) + 1, 0);
  std::vector<int32_t> claimed;          // the positions with rank != 0, in no order
  int32_t run_begin = -1, run_end = -1;  // the last whitespace run reduced
  auto claim = [&](int32_t p, size_t rule_index) {
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
    uint16_t& r = rank[static_cast<size_t>(p)];
    const auto mine = static_cast<uint16_t>(rule_index + 1);
    if (r == 0) claimed.push_back(p);
    if (r == 0 || mine < r) r = mine;
  };
  auto check = [&](UErrorCode status, int line) -> absl::Status {
    if (status == U_REGEX_TIME_OUT || status == U_REGEX_STACK_OVERFLOW) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "SRX rule at line ", line, " takes too long on this text (", u_errorName(status), ")"));
    }
    if (U_FAILURE(status)) {
      return absl::InternalError(absl::StrCat("SRX rule at line ", line, ": ", u_errorName(status)));
    }
    return absl::OkStatus();
  };

  std::vector<std::unique_ptr<icu::RegexMatcher>> matchers(rules_.size());
  std::vector<size_t> indexed;  // rules tried only where their first character is
  CharBitmap any(65536 / 64, 0);
  for (size_t i = 0; i < rules_.size(); ++i) {
    const Rule& rule = rules_[i];
    UErrorCode status = U_ZERO_ERROR;
    matchers[i].reset(rule.pattern->matcher(text, status));
    if (U_FAILURE(status) || !matchers[i]) return absl::InternalError("cannot create ICU regex matcher");
    icu::RegexMatcher& m = *matchers[i];
    m.setTimeLimit(time_limit, status);
    if (rule.anchored) {
      if (m.lookingAt(status)) claim(static_cast<int32_t>(m.end(status)), i);
      if (absl::Status st = check(status, rule.line); !st.ok()) return st;
    } else if (!rule.first_chars) {
      while (m.find(status)) {
        claim(static_cast<int32_t>(m.end(status)), i);
        if (U_FAILURE(status)) break;
      }
      if (absl::Status st = check(status, rule.line); !st.ok()) return st;
    } else {
      indexed.push_back(i);
      for (size_t w = 0; w < any.size(); ++w) any[w] |= (*rule.first_chars)[w];
    }
  }

  if (!indexed.empty()) {
    // The positions where some indexed rule may start, found in a tight loop
    // first (most characters start none).
    std::vector<int32_t> candidates;
    {
      const uint64_t* bits = any.data();
      for (int32_t pos = 0; pos < n; ++pos) {
        const char16_t c = s[pos];
        if ((bits[c >> 6] >> (c & 63)) & 1) candidates.push_back(pos);
      }
    }
    UErrorCode status = U_ZERO_ERROR;
    for (const int32_t pos : candidates) {
      const char16_t c = s[pos];
      for (size_t i : indexed) {
        if (!Has(*rules_[i].first_chars, c)) continue;
        icu::RegexMatcher& m = *matchers[i];
        if (m.lookingAt(pos, status)) claim(static_cast<int32_t>(m.end(status)), i);
        if (U_FAILURE(status)) return check(status, rules_[i].line);
      }
    }
  }

  for (const int32_t p : claimed) {
    const auto i = static_cast<size_t>(p);
    if ((*decisions)[i] != BoundaryDecision::kUndecided) continue;
    (*decisions)[i] = rules_[rank[i] - 1].is_break ? BoundaryDecision::kBreak : BoundaryDecision::kNoBreak;
  }
  return absl::OkStatus();
}

}  // namespace qantara::text
