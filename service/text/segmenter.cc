// SentenceSegmenter: SRX rules first, ICU's sentence BreakIterator where no
// rule matches. Works on a UTF-16 copy of the input (ICU's native form for
// both regexes and break iteration) and maps positions back to byte and
// code-point offsets of the UTF-8 input.

#include "service/text/segmenter.h"

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "service/base/status_macros.h"
#include "service/text/srx.h"
#include "service/text/srx_rules.h"
#include "service/text/utf8.h"
#include "unicode/brkiter.h"
#include "unicode/locid.h"
#include "unicode/uchar.h"
#include "unicode/ustring.h"
#include "unicode/utf16.h"
#include "unicode/utf8.h"

namespace qantara::text {
namespace {

bool IsSpace16(char16_t c) { return u_isUWhiteSpace(c); }

// Line terminators for blank-line detection (UAX #14 mandatory breaks).
bool IsLineEnd16(char16_t c) {
  return c == u'\n' || c == u'\r' || c == 0x0B || c == 0x0C || c == 0x85 || c == 0x2028 || c == 0x2029;
}

// Walks the UTF-8 input forward, converting increasing UTF-16 offsets into
// byte and code-point offsets. REQUIRES: the text is valid UTF-8 (the
// length of each character is read from its lead byte alone).
class OffsetCursor {
 public:
  explicit OffsetCursor(std::string_view text)
      : s_(reinterpret_cast<const uint8_t*>(text.data())), n_(static_cast<int32_t>(text.size())) {}

  // REQUIRES: u16 >= every earlier argument, and falls on a code point start.
  void SeekTo(int32_t u16) {
    while (u16_ < u16 && byte_ < n_) {
      const uint8_t lead = s_[byte_];
      if (lead < 0x80) {
        byte_ += 1;
        u16_ += 1;
      } else if (lead < 0xE0) {
        byte_ += 2;
        u16_ += 1;
      } else if (lead < 0xF0) {
        byte_ += 3;
        u16_ += 1;
      } else {
        byte_ += 4;
        u16_ += 2;  // a supplementary character is a surrogate pair
      }
      ++cp_;
    }
  }
  size_t byte() const { return static_cast<size_t>(byte_); }
  size_t cp() const { return cp_; }

 private:
  const uint8_t* s_;
  int32_t n_;
  int32_t byte_ = 0;
  int32_t u16_ = 0;
  size_t cp_ = 0;
};

class RuleSentenceSegmenter final : public SentenceSegmenter {
 public:
  RuleSentenceSegmenter(SrxRuleSet rules, std::unique_ptr<icu::BreakIterator> prototype)
      : rules_(std::move(rules)), prototype_(std::move(prototype)) {}

  absl::StatusOr<std::vector<TextSpan>> Split(std::string_view text,
                                              const SplitOptions& options) const override {
    std::vector<TextSpan> out;
    if (text.size() > static_cast<size_t>(INT32_MAX / 2)) {
      return absl::InvalidArgumentError("text too long to segment (over 1 GiB)");
    }
    // Strict conversion: it validates the UTF-8 in the same pass (one error
    // for any ill-formed sequence, where fromUTF8 would substitute U+FFFD).
    icu::UnicodeString u16;
    {
      const auto n8 = static_cast<int32_t>(text.size());
      char16_t* buf = u16.getBuffer(n8 + 1);  // UTF-16 units <= UTF-8 bytes
      if (buf == nullptr) return absl::ResourceExhaustedError("cannot allocate a UTF-16 copy of the text");
      int32_t n16 = 0;
      UErrorCode status = U_ZERO_ERROR;
      u_strFromUTF8WithSub(buf, n8 + 1, &n16, text.data(), n8, /*subchar=*/U_SENTINEL, nullptr, &status);
      u16.releaseBuffer(U_SUCCESS(status) ? n16 : 0);
      if (U_FAILURE(status)) {
        if (absl::Status s = ValidateUtf8(text); !s.ok()) return s;  // names the byte offset
        return absl::InvalidArgumentError(absl::StrCat("invalid UTF-8: ", u_errorName(status)));
      }
    }
    if (text.empty()) return out;
    const char16_t* s = u16.getBuffer();
    const int32_t n = u16.length();

    // 1. SRX rules, first match wins.
    std::vector<BoundaryDecision> decisions(static_cast<size_t>(n) + 1, BoundaryDecision::kUndecided);
    if (absl::Status st = rules_.Apply(u16, &decisions); !st.ok()) return st;

    // 2. ICU decides where no rule did.
    std::unique_ptr<icu::BreakIterator> it;
    {
      absl::MutexLock lock(&mu_);
      it.reset(prototype_->clone());
    }
    if (!it) return absl::ResourceExhaustedError("cannot clone ICU break iterator");
    it->setText(u16);
    for (int32_t b = it->next(); b != icu::BreakIterator::DONE && b < n; b = it->next()) {
      BoundaryDecision& d = decisions[static_cast<size_t>(BoundaryPosition(s, b))];
      if (d == BoundaryDecision::kUndecided) d = BoundaryDecision::kBreak;
    }

    // 3. Sentences between consecutive breaks, whitespace trimmed into gaps.
    OffsetCursor cursor(text);
    auto emit = [&](int32_t b, int32_t e) {
      TextSpan span;
      cursor.SeekTo(b);
      span.byte_begin = cursor.byte();
      span.char_begin = cursor.cp();
      cursor.SeekTo(e);
      span.byte_end = cursor.byte();
      span.char_end = cursor.cp();
      out.push_back(span);
    };
    // Empty spans for the blank lines of the gap [b, e).
    auto emit_blank_lines = [&](int32_t b, int32_t e, bool at_start, bool at_end) {
      // Line starts inside the gap: after each terminator (\r\n is one).
      int32_t line_begin = at_start ? b : -1;
      for (int32_t i = b; i < e; ++i) {
        if (!IsLineEnd16(s[i])) continue;
        if (s[i] == u'\r' && i + 1 < e && s[i + 1] == u'\n') ++i;
        if (line_begin >= 0) emit(line_begin, line_begin);
        line_begin = i + 1;
      }
      if (at_end && line_begin >= 0 && line_begin < e) emit(line_begin, line_begin);
    };

    int32_t prev_end = 0;  // end of the last sentence (start of the gap)
    bool first = true;
    int32_t seg_begin = 0;
    // The breaks are few: find each with memchr over the one-byte decisions.
    static_assert(sizeof(BoundaryDecision) == 1);
    const auto* dec = reinterpret_cast<const unsigned char*>(decisions.data());
    for (int32_t p = 0; p < n;) {
      const void* hit = std::memchr(dec + p + 1, static_cast<int>(BoundaryDecision::kBreak),
                                    static_cast<size_t>(n - p - 1));
      p = hit != nullptr ? static_cast<int32_t>(static_cast<const unsigned char*>(hit) - dec) : n;
      int32_t b = seg_begin;
      int32_t e = p;
      seg_begin = p;
      while (b < e && IsSpace16(s[b])) ++b;
      while (e > b && IsSpace16(s[e - 1])) --e;
      if (b == e) continue;
      if (options.keep_empty) emit_blank_lines(prev_end, b, first, false);
      emit(b, e);
      prev_end = e;
      first = false;
    }
    if (options.keep_empty) emit_blank_lines(prev_end, n, first, true);
    return out;
  }

 private:
  SrxRuleSet rules_;
  // BreakIterator::clone() is not documented as thread-safe on a shared
  // instance, so clones are taken under a lock; the clones run unlocked.
  mutable absl::Mutex mu_;
  std::unique_ptr<icu::BreakIterator> prototype_ ABSL_PT_GUARDED_BY(mu_);
};

absl::StatusOr<SrxRuleSet> CompileBuiltinRules(Language lang) {
  absl::StatusOr<SrxDocument> doc = ParseSrx(BuiltinSrx());
  if (!doc.ok()) {
    return absl::InternalError(absl::StrCat("built-in SRX rules: ", std::string(doc.status().message())));
  }
  absl::StatusOr<SrxRuleSet> rules = SrxRuleSet::Compile(*doc, LanguageCode(lang));
  if (!rules.ok()) {
    return absl::InternalError(absl::StrCat("built-in SRX rules: ", std::string(rules.status().message())));
  }
  return rules;
}

// The built-in rules, compiled once per process and language (copies share
// the compiled patterns).
const absl::StatusOr<SrxRuleSet>& BuiltinRules(Language lang) {
  static const auto* arabic = new absl::StatusOr<SrxRuleSet>(CompileBuiltinRules(Language::kArabic));
  static const auto* english = new absl::StatusOr<SrxRuleSet>(CompileBuiltinRules(Language::kEnglish));
  return lang == Language::kArabic ? *arabic : *english;
}

}  // namespace

absl::StatusOr<std::unique_ptr<SentenceSegmenter>> SentenceSegmenter::Create(Language lang) {
  SegmenterOptions options;
  options.language = lang;
  return Create(options);
}

absl::StatusOr<std::unique_ptr<SentenceSegmenter>> SentenceSegmenter::Create(
    const SegmenterOptions& options) {
  SrxRuleSet rules;
  if (!options.srx.empty()) {
    QANTARA_ASSIGN_OR_RETURN(const SrxDocument doc, ParseSrx(options.srx));
    QANTARA_ASSIGN_OR_RETURN(rules, SrxRuleSet::Compile(doc, LanguageCode(options.language)));
  }
  if (options.srx.empty() || options.srx_mode == SegmenterOptions::SrxMode::kExtend) {
    const absl::StatusOr<SrxRuleSet>& builtin = BuiltinRules(options.language);
    if (!builtin.ok()) return builtin.status();  // a reference: kept, not moved from
    QANTARA_RETURN_IF_ERROR(rules.Append(*builtin));
  }
  UErrorCode status = U_ZERO_ERROR;
  icu::Locale locale(options.language == Language::kArabic ? "ar" : "en");
  std::unique_ptr<icu::BreakIterator> it(icu::BreakIterator::createSentenceInstance(locale, status));
  if (U_FAILURE(status) || !it) {
    return absl::InternalError(absl::StrCat("ICU sentence break rules unavailable: ", u_errorName(status)));
  }
  return std::unique_ptr<SentenceSegmenter>(new RuleSentenceSegmenter(std::move(rules), std::move(it)));
}

}  // namespace qantara::text
