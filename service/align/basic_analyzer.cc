#include "service/align/basic_analyzer.h"

#include <algorithm>
#include <cstring>

#include "service/text/normalizer.h"
#include "service/text/utf8.h"
#include "unicode/uchar.h"
#include "unicode/uscript.h"
#include "unicode/utf8.h"

namespace qantara::align {
namespace {

// Harakat and Quranic marks (the text engine's definition) and tatweel.
bool IsArabicMark(UChar32 c) { return text::IsArabicDiacritic(c) || c == 0x0640; }

bool IsFormatMark(UChar32 c) { return text::IsFormatMark(c); }

UChar32 NormalizeLetter(UChar32 c) {
  switch (c) {
    case 0x0622: case 0x0623: case 0x0625: case 0x0671: return 0x0627;  // alef variants
    case 0x0649: return 0x064A;  // alef maqsura → ya
    case 0x0629: return 0x0647;  // ta marbuta → ha
    case 0x0624: return 0x0648;  // waw hamza → waw
    case 0x0626: return 0x064A;  // ya hamza → ya
    case 0x06CC: return 0x064A;  // Farsi ya
    case 0x06A9: return 0x0643;  // keheh → kaf
    default: return u_foldCase(c, U_FOLD_CASE_DEFAULT);
  }
}

bool IsQuote(UChar32 c) {
  return c == '"' || c == 0x201C || c == 0x201D || c == 0x00AB || c == 0x00BB || c == 0x201E;
}

bool IsNumberSeparator(UChar32 c) {
  return c == '.' || c == ',' || c == 0x066B || c == 0x066C;
}

void AppendUtf8(std::string* s, UChar32 c) {
  char buf[4];
  int32_t n = 0;
  UBool err = false;
  U8_APPEND(buf, n, 4, c, err);
  if (!err) s->append(buf, static_cast<size_t>(n));
}

}  // namespace

std::string_view SplitArabicProclitics(std::string_view w) {
  auto starts = [&](std::string_view p) { return w.substr(0, p.size()) == p; };
  auto left = [&](size_t bytes) { return text::CountCodePoints(w.substr(bytes)); };
  static constexpr std::string_view kWaw = "\u0648", kFa = "\u0641", kBa = "\u0628",
                                    kKaf = "\u0643", kLam = "\u0644", kAl = "\u0627\u0644",
                                    kLil = "\u0644\u0644";
  // Letters are two bytes each in this range.
  if ((starts(kWaw) || starts(kFa)) && left(kWaw.size()) >= 3) w.remove_prefix(kWaw.size());
  if (starts(kLil) && left(kLil.size()) >= 2) {
    w.remove_prefix(kLil.size());
    return w;
  }
  if ((starts(kBa) || starts(kKaf) || starts(kLam)) && w.size() > 2 &&
      w.substr(2, kAl.size()) == kAl && left(2 + kAl.size()) >= 2) {
    w.remove_prefix(2 + kAl.size());
    return w;
  }
  if (starts(kAl) && left(kAl.size()) >= 2) w.remove_prefix(kAl.size());
  return w;
}

absl::Status BasicAnalyzer::Tokenize(std::string_view text, std::vector<AnalyzedToken>* out) const {
  if (absl::Status s = text::ValidateUtf8(text); !s.ok()) return s;
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t n = static_cast<int32_t>(text.size());
  int32_t i = 0;
  enum { kNone, kWordRun, kNumberRun } run = kNone;
  AnalyzedToken cur;
  auto flush = [&] {
    if (run != kNone && !cur.norm.empty()) out->push_back(std::move(cur));
    cur = AnalyzedToken();
    run = kNone;
  };
  while (i < n) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c < 0) {
      flush();
      continue;
    }
    if (run == kWordRun && (IsArabicMark(c) || IsFormatMark(c))) continue;
    if (IsFormatMark(c)) continue;
    if (u_isdigit(c)) {
      if (run == kWordRun) flush();
      if (run == kNone) {
        cur.kind = TokenKind::kNumber;
        run = kNumberRun;
      }
      cur.norm.push_back(static_cast<char>('0' + u_charDigitValue(c)));
      continue;
    }
    if (run == kNumberRun && IsNumberSeparator(c) && i < n) {
      int32_t j = i;
      UChar32 next;
      U8_NEXT(p, j, n, next);
      if (next >= 0 && u_isdigit(next)) continue;  // inner separator: 1,000 ٣٫٥
    }
    if (u_isalpha(c)) {
      if (run == kNumberRun) flush();
      if (run == kNone) {
        cur.kind = TokenKind::kWord;
        run = kWordRun;
        cur.latin = u_getIntPropertyValue(c, UCHAR_SCRIPT) == USCRIPT_LATIN;
        cur.capitalized = u_isupper(c);
      }
      AppendUtf8(&cur.norm, NormalizeLetter(c));
      continue;
    }
    flush();
    if (c == '?' || c == 0x061F) {
      AnalyzedToken t;
      t.kind = TokenKind::kPunct;
      t.norm = "?";
      out->push_back(std::move(t));
    } else if (IsQuote(c)) {
      AnalyzedToken t;
      t.kind = TokenKind::kPunct;
      t.norm = "\"";
      out->push_back(std::move(t));
    }
    (void)start;
  }
  flush();
  return absl::OkStatus();
}

std::vector<std::string> BasicAnalyzer::Keys(std::string_view norm) const {
  std::vector<std::string> keys;
  keys.emplace_back(norm);
  auto add = [&](std::string k) {
    if (!k.empty() && std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(std::move(k));
  };
  if (lang_ == text::Language::kArabic) {
    std::string_view base = SplitArabicProclitics(norm);
    add(std::string(base));
    add(Stem(norm));
  } else {
    add(Stem(norm));
  }
  return keys;
}

BasicAnalyzer::BasicAnalyzer(text::Language lang) : lang_(lang) {
  absl::StatusOr<std::unique_ptr<text::Stemmer>> stemmer = text::Stemmer::Create(lang);
  if (stemmer.ok()) stemmer_ = *std::move(stemmer);  // else: words are their own stems
}

std::string BasicAnalyzer::Stem(std::string_view word) const {
  return stemmer_ ? stemmer_->Stem(word) : std::string(word);
}

}  // namespace qantara::align
