// Name skeletons across scripts: ICU Arabic-to-Latin transliteration, and Latin
// words reduced to consonant classes that both spellings of a name share.
#include "service/text/translit.h"

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "unicode/translit.h"
#include "unicode/unistr.h"

namespace qantara::text {
namespace {

// Consonant class of an ASCII lower-case letter, or 0 when it is dropped.
char ClassOf(char c) {
  switch (c) {
    case 'b':
    case 'p': return 'b';
    case 'f':
    case 'v': return 'f';
    case 't':
    case 'd': return 't';
    case 'k':
    case 'c':
    case 'q':
    case 'g':
    case 'j': return 'k';
    case 's':
    case 'z':
    case 'x': return 's';
    case 'l': return 'l';
    case 'm': return 'm';
    case 'n': return 'n';
    case 'r': return 'r';
    default: return 0;  // vowels, y w h, anything else
  }
}

bool IsVowelish(char c) { return ClassOf(c) == 0; }

}  // namespace

std::string LatinSkeleton(std::string_view word) {
  std::string w;
  w.reserve(word.size());
  for (char c : word) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c >= 'a' && c <= 'z') w.push_back(c);
  }
  std::string out;
  for (size_t i = 0; i < w.size(); ++i) {
    char c = w[i];
    if (c == 'p' && i + 1 < w.size() && w[i + 1] == 'h') {
      c = 'f';
      ++i;
    } else if (c == 'g' && i > 0 && w[i - 1] == 'n' && (i + 1 == w.size() || !IsVowelish(w[i + 1]))) {
      continue;  // "ng" before a consonant or at the end: a nasal, not a stop
    }
    const char k = ClassOf(c);
    if (k == 0) continue;
    if (!out.empty() && out.back() == k) continue;
    out.push_back(k);
  }
  return out;
}

struct ArabicTransliterator::Icu {
  absl::Mutex mu;  // icu::Transliterator::transliterate is not thread-safe
  std::unique_ptr<icu::Transliterator> t ABSL_PT_GUARDED_BY(mu);
};

absl::StatusOr<std::unique_ptr<ArabicTransliterator>> ArabicTransliterator::Create() {
  UErrorCode status = U_ZERO_ERROR;
  auto icu = std::make_unique<Icu>();
  icu->t.reset(icu::Transliterator::createInstance("Arabic-Latin; Latin-ASCII", UTRANS_FORWARD, status));
  if (U_FAILURE(status) || icu->t == nullptr) {
    return absl::InternalError(
        absl::StrCat("ICU transliterator Arabic-Latin unavailable: ", u_errorName(status)));
  }
  std::unique_ptr<ArabicTransliterator> tr(new ArabicTransliterator(std::move(icu)));
  {
    absl::MutexLock lock(&tr->icu_->mu);
    for (int k = 0; k < 256; ++k) {
      icu::UnicodeString u(static_cast<UChar32>(0x0600 + k));
      tr->icu_->t->transliterate(u);
      std::string s;
      u.toUTF8String(s);
      for (char c : s) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) tr->table_[k].push_back(c);
      }
    }
  }
  return tr;
}

const ArabicTransliterator* ArabicTransliterator::Shared() {
  static const ArabicTransliterator* const shared = [] {
    absl::StatusOr<std::unique_ptr<ArabicTransliterator>> t = Create();
    return t.ok() ? t->release() : nullptr;
  }();
  return shared;
}

std::string ArabicTransliterator::Skeleton(std::string_view w) const {
  std::string ascii;
  for (size_t i = 0; i < w.size();) {
    const unsigned char c0 = static_cast<unsigned char>(w[i]);
    if (i + 1 < w.size() && (c0 == 0xD8 || c0 == 0xD9 || c0 == 0xDA || c0 == 0xDB)) {
      const int cp = ((c0 & 0x1F) << 6) | (static_cast<unsigned char>(w[i + 1]) & 0x3F);
      ascii += table_[cp - 0x600];
      i += 2;
    } else if (c0 < 0x80) {
      ascii.push_back(static_cast<char>(c0));
      ++i;
    } else {
      return LatinSkeleton(ToAscii(w));  // outside the Arabic block: ask ICU
    }
  }
  return LatinSkeleton(ascii);
}

ArabicTransliterator::ArabicTransliterator(std::unique_ptr<Icu> icu) : icu_(std::move(icu)) {}
ArabicTransliterator::~ArabicTransliterator() = default;

std::string ArabicTransliterator::ToAscii(std::string_view arabic_word) const {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(
      icu::StringPiece(arabic_word.data(), static_cast<int32_t>(arabic_word.size())));
  {
    absl::MutexLock lock(&icu_->mu);
    icu_->t->transliterate(u);
  }
  std::string out;
  u.toUTF8String(out);
  return out;
}

}  // namespace qantara::text
