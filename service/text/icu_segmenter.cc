// SentenceSegmenter on ICU's sentence BreakIterator, run directly over the
// UTF-8 input through UText so that break positions are byte offsets.

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "service/text/segmenter.h"
#include "service/text/utf8.h"
#include "unicode/brkiter.h"
#include "unicode/locid.h"
#include "unicode/uchar.h"
#include "unicode/utext.h"
#include "unicode/utf8.h"

namespace qantara::text {
namespace {

struct UTextCloser {
  void operator()(UText* t) const { utext_close(t); }
};

bool IsSpace(UChar32 c) { return u_isUWhiteSpace(c); }

class IcuSentenceSegmenter final : public SentenceSegmenter {
 public:
  explicit IcuSentenceSegmenter(std::unique_ptr<icu::BreakIterator> prototype)
      : prototype_(std::move(prototype)) {}

  absl::StatusOr<std::vector<TextSpan>> Split(std::string_view text) const override {
    if (absl::Status s = ValidateUtf8(text); !s.ok()) return s;
    std::vector<TextSpan> out;
    if (text.empty()) return out;

    std::unique_ptr<icu::BreakIterator> it;
    {
      std::lock_guard<std::mutex> lock(mu_);
      it.reset(prototype_->clone());
    }
    if (!it) return absl::ResourceExhaustedError("cannot clone ICU break iterator");

    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<UText, UTextCloser> ut(
        utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status));
    if (U_FAILURE(status)) {
      return absl::InternalError(absl::StrCat("utext_openUTF8: ", u_errorName(status)));
    }
    it->setText(ut.get(), status);
    if (U_FAILURE(status)) {
      return absl::InternalError(absl::StrCat("BreakIterator::setText: ", u_errorName(status)));
    }

    const auto* s = reinterpret_cast<const uint8_t*>(text.data());
    const int32_t n = static_cast<int32_t>(text.size());
    size_t chars_seen = 0;   // code points before byte offset `bytes_seen`
    int32_t bytes_seen = 0;
    auto chars_at = [&](int32_t byte) {
      while (bytes_seen < byte) {
        UChar32 c;
        U8_NEXT(s, bytes_seen, n, c);
        ++chars_seen;
      }
      return chars_seen;
    };

    int32_t begin = it->first();
    for (int32_t end = it->next(); end != icu::BreakIterator::DONE; begin = end, end = it->next()) {
      int32_t b = begin;
      int32_t e = end;
      // Leading whitespace belongs to the gap.
      while (b < e) {
        int32_t i = b;
        UChar32 c;
        U8_NEXT(s, i, e, c);
        if (!IsSpace(c)) break;
        b = i;
      }
      // Trailing whitespace too.
      while (e > b) {
        int32_t i = e;
        UChar32 c;
        U8_PREV(s, b, i, c);
        if (!IsSpace(c)) break;
        e = i;
      }
      if (b == e) continue;
      TextSpan span;
      span.byte_begin = static_cast<size_t>(b);
      span.char_begin = chars_at(b);
      span.byte_end = static_cast<size_t>(e);
      span.char_end = chars_at(e);
      out.push_back(span);
    }
    return out;
  }

 private:
  // BreakIterator::clone() is not documented as thread-safe on a shared
  // instance, so clones are taken under a lock; the clones run unlocked.
  mutable std::mutex mu_;
  std::unique_ptr<icu::BreakIterator> prototype_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<SentenceSegmenter>> SentenceSegmenter::Create(Language lang) {
  UErrorCode status = U_ZERO_ERROR;
  icu::Locale locale(lang == Language::kArabic ? "ar" : "en");
  std::unique_ptr<icu::BreakIterator> it(icu::BreakIterator::createSentenceInstance(locale, status));
  if (U_FAILURE(status) || !it) {
    return absl::InternalError(
        absl::StrCat("ICU sentence break rules unavailable: ", u_errorName(status)));
  }
  return std::unique_ptr<SentenceSegmenter>(new IcuSentenceSegmenter(std::move(it)));
}

}  // namespace qantara::text
