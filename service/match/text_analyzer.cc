// CreateTextAnalyzer: the Analyzer on service/text's Tokenizer and Normalizer.
#include <memory>
#include <string>

#include "service/match/analyzer.h"
#include "service/match/hash.h"
#include "service/text/normalizer.h"
#include "service/text/tokenizer.h"
#include "service/text/utf8.h"

namespace qantara::match {
namespace {

// Bidi and format marks: never penalised, dropped from the whitespace skeleton.
bool IsFormatMark(char32_t c) {
  return (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) ||
         c == 0xFEFF || c == 0x061C || c == 0x00AD;
}

// Appends `gap` (text between two tokens) minus format marks to `out`, unless
// it is a single space (or nothing) between two tokens.
void AddGap(std::string_view gap, bool between_tokens, std::string& out) {
  std::string kept;
  for (size_t i = 0; i < gap.size();) {
    const size_t at = i;
    const char32_t cp = text::DecodeUtf8(gap, &i);  // a byte that is not UTF-8 is no mark: kept
    if (!IsFormatMark(cp)) kept.append(gap.substr(at, i - at));
  }
  if (kept.empty() || (between_tokens && kept == " ")) return;
  out += kept;
}

// `raw` without format marks (they cost nothing, so they take no part in a
// token's written form or in the punctuation compared). ICU's word breaks
// attach a mark to the character before it ("word\u200F", ".\u200E").
std::string_view WithoutFormatMarks(std::string_view raw, std::string& buf) {
  // Whether it may hold one: U+00AD, U+061C, U+2000..U+207F, U+FEFF.
  bool may = false;
  for (size_t i = 0; i + 1 < raw.size() && !may; ++i) {
    const unsigned char a = raw[i], b = raw[i + 1];
    may = (a == 0xC2 && b == 0xAD) || (a == 0xD8 && b == 0x9C) || (a == 0xE2 && (b == 0x80 || b == 0x81)) ||
          (a == 0xEF && b == 0xBB);
  }
  if (!may) return raw;
  buf.clear();
  AddGap(raw, /*between_tokens=*/false, buf);
  return buf;
}

DigitScript ScriptOf(std::string_view raw) {
  for (size_t i = 0; i + 1 < raw.size(); ++i) {
    unsigned char a = raw[i], b = raw[i + 1];
    if (a == 0xD9 && b >= 0xA0 && b <= 0xA9) return DigitScript::kArabicIndic;
    if (a == 0xDB && b >= 0xB0 && b <= 0xB9) return DigitScript::kExtendedArabicIndic;
  }
  return DigitScript::kAscii;
}

class TextAnalyzer final : public Analyzer {
 public:
  absl::Status Init() {
    text::TokenizerOptions ar;
    ar.language = text::Language::kArabic;
    auto a = text::Tokenizer::Create(ar);
    if (!a.ok()) return a.status();
    arabic_ = *std::move(a);
    text::TokenizerOptions en;
    en.language = text::Language::kEnglish;
    auto e = text::Tokenizer::Create(en);
    if (!e.ok()) return e.status();
    english_ = *std::move(e);
    text::NormalizationOptions fold = text::NormalizationOptions::None();
    fold.fold_case = true;
    auto f = text::Normalizer::Create(fold);
    if (!f.ok()) return f.status();
    case_fold_ = *std::move(f);
    return absl::OkStatus();
  }

  absl::StatusOr<AnalyzedSegment> Analyze(std::string_view text, text::Language language) const override {
    AnalyzedSegment seg;
    seg.text = std::string(text);
    seg.spans.reserve(text.size() / 4 + 1);
    if (absl::Status s = Run(text, language, seg.key, &seg); !s.ok()) return s;
    return seg;
  }

  absl::StatusOr<SideKey> AnalyzeKey(std::string_view text, text::Language language) const override {
    SideKey key;
    if (absl::Status s = Run(text, language, key, nullptr); !s.ok()) return s;
    return key;
  }

 private:
  // Fills `key`, and the spans and numbers of `seg` when given.
  absl::Status Run(std::string_view text, text::Language language, SideKey& key, AnalyzedSegment* seg) const {
    const text::Tokenizer& tokenizer = language == text::Language::kArabic ? *arabic_ : *english_;
    key.tokens.reserve(text.size() / 4 + 1);
    size_t prev_end = 0;
    bool first = true;
    std::string stripped, folded;
    // Scan gives the classes, spans and normalised forms Tokenize gives,
    // without building Tokens (no stems or clitics are used here).
    absl::Status scanned = tokenizer.Scan(text, [&](const text::TokenView& t) {
      const size_t begin = t.byte_begin, end = t.byte_end;
      if (begin > prev_end) AddGap(text.substr(prev_end, begin - prev_end), !first, key.whitespace);
      first = false;
      prev_end = std::max(prev_end, end);
      const std::string_view raw = WithoutFormatMarks(text.substr(begin, end - begin), stripped);
      switch (t.cls) {
        case text::TokenClass::kPunctuation: key.punctuation.append(raw); return;
        case text::TokenClass::kTag: key.inline_codes.append(raw); return;
        default: break;
      }
      MatchToken mt;
      if (t.cls == text::TokenClass::kNumber) {
        mt.key = NumberKey();
        mt.surface = mt.folded = Hash32(t.norm);
        if (seg != nullptr) {
          seg->numbers.push_back(
              NumberToken{static_cast<uint32_t>(key.tokens.size()), std::string(t.norm), ScriptOf(raw)});
        }
      } else {
        mt.key = Hash64(t.norm);
        mt.surface = Hash32(raw);
        mt.folded = FoldedHash(raw, mt.surface, folded);
      }
      key.tokens.push_back(mt);
      if (seg != nullptr) {
        seg->spans.emplace_back(static_cast<uint32_t>(begin), static_cast<uint32_t>(end));
        seg->norms.emplace_back(t.cls == text::TokenClass::kNumber ? std::string_view() : t.norm);
      }
    });
    if (!scanned.ok()) return scanned;
    if (prev_end < text.size()) AddGap(text.substr(prev_end), false, key.whitespace);
    return absl::OkStatus();
  }

  // Hash32 of the case folding of `raw` (whose own Hash32 is `surface`),
  // as case_fold_ gives it. Text of ASCII and the Arabic block (U+0600 to
  // U+06FF, which has no case) folds here: only A-Z change; anything else
  // goes through the Normalizer (ICU's full case folding).
  uint32_t FoldedHash(std::string_view raw, uint32_t surface, std::string& buf) const {
    bool upper = false;
    for (size_t i = 0; i < raw.size(); ++i) {
      const unsigned char c = static_cast<unsigned char>(raw[i]);
      if (c < 0x80) {
        upper = upper || (c >= 'A' && c <= 'Z');
      } else if (c >= 0xD8 && c <= 0xDB && i + 1 < raw.size()) {
        ++i;  // a two-byte code point of U+0600..U+06FF
      } else {
        absl::StatusOr<std::string> f = case_fold_->Key(raw);
        return f.ok() ? Hash32(*f) : surface;
      }
    }
    if (!upper) return surface;
    buf.assign(raw);
    for (char& c : buf) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return Hash32(buf);
  }

  std::unique_ptr<text::Tokenizer> arabic_;
  std::unique_ptr<text::Tokenizer> english_;
  std::unique_ptr<text::Normalizer> case_fold_;
};

}  // namespace

std::string_view FormText(const AnalyzedSegment& seg, size_t token, std::string& buf) {
  for (const NumberToken& n : seg.numbers) {
    if (n.token == token) return n.value;
  }
  const auto [begin, end] = seg.spans[token];
  return WithoutFormatMarks(std::string_view(seg.text).substr(begin, end - begin), buf);
}

absl::StatusOr<std::unique_ptr<Analyzer>> CreateTextAnalyzer() {
  auto a = std::make_unique<TextAnalyzer>();
  if (absl::Status s = a->Init(); !s.ok()) return s;
  return std::unique_ptr<Analyzer>(std::move(a));
}

}  // namespace qantara::match
