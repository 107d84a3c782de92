// CreateTextAnalyzer: the Analyzer on service/text's Tokenizer and Normalizer.
#include <memory>
#include <string>

#include "service/match/analyzer.h"
#include "service/match/hash.h"
#include "service/text/normalizer.h"
#include "service/text/tokenizer.h"

namespace qantara::match {
namespace {

// Bidi and format marks: never penalised, dropped from the whitespace skeleton.
bool IsFormatMark(char32_t c) {
  return (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF || c == 0x061C || c == 0x00AD;
}

// Appends `gap` (text between two tokens) minus format marks to `out`, unless
// it is a single space (or nothing) between two tokens.
void AddGap(std::string_view gap, bool between_tokens, std::string& out) {
  std::string kept;
  size_t i = 0;
  while (i < gap.size()) {
    unsigned char c = static_cast<unsigned char>(gap[i]);
    size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (i + len > gap.size()) len = gap.size() - i;
    char32_t cp = c;
    if (len == 2) cp = ((c & 0x1F) << 6) | (gap[i + 1] & 0x3F);
    if (len == 3) cp = ((c & 0x0F) << 12) | ((gap[i + 1] & 0x3F) << 6) | (gap[i + 2] & 0x3F);
    if (len == 4) {
      cp = ((c & 0x07) << 18) | ((gap[i + 1] & 0x3F) << 12) | ((gap[i + 2] & 0x3F) << 6) |
           (gap[i + 3] & 0x3F);
    }
    if (!IsFormatMark(cp)) kept.append(gap.substr(i, len));
    i += len;
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

  absl::StatusOr<AnalyzedSegment> Analyze(std::string_view text,
                                          text::Language language) const override {
    const text::Tokenizer& tokenizer = language == text::Language::kArabic ? *arabic_ : *english_;
    absl::StatusOr<std::vector<text::Token>> tokens = tokenizer.Tokenize(text);
    if (!tokens.ok()) return tokens.status();
    AnalyzedSegment seg;
    seg.text = std::string(text);
    size_t prev_end = 0;
    bool first = true;
    for (const text::Token& t : *tokens) {
      const size_t begin = t.span.byte_begin, end = t.span.byte_end;
      if (begin > prev_end) AddGap(text.substr(prev_end, begin - prev_end), !first, seg.key.whitespace);
      first = false;
      prev_end = std::max(prev_end, end);
      std::string stripped;
      const std::string_view raw = WithoutFormatMarks(text.substr(begin, end - begin), stripped);
      switch (t.cls) {
        case text::TokenClass::kPunctuation:
          seg.key.punctuation.append(raw);
          continue;
        case text::TokenClass::kTag:
          seg.key.inline_codes.append(raw);
          continue;
        default:
          break;
      }
      MatchToken mt;
      if (t.cls == text::TokenClass::kNumber) {
        mt.key = NumberKey();
        mt.surface = mt.folded = Hash32(t.norm);
        seg.numbers.push_back(NumberToken{static_cast<uint32_t>(seg.key.tokens.size()), t.norm,
                                          ScriptOf(raw)});
      } else {
        mt.key = Hash64(t.norm);
        mt.surface = Hash32(raw);
        absl::StatusOr<std::string> folded = case_fold_->Key(raw);
        mt.folded = folded.ok() ? Hash32(*folded) : mt.surface;
      }
      seg.key.tokens.push_back(mt);
      seg.spans.emplace_back(static_cast<uint32_t>(begin), static_cast<uint32_t>(end));
    }
    if (prev_end < text.size()) AddGap(text.substr(prev_end), false, seg.key.whitespace);
    return seg;
  }

 private:
  std::unique_ptr<text::Tokenizer> arabic_;
  std::unique_ptr<text::Tokenizer> english_;
  std::unique_ptr<text::Normalizer> case_fold_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Analyzer>> CreateTextAnalyzer() {
  auto a = std::make_unique<TextAnalyzer>();
  if (absl::Status s = a->Init(); !s.ok()) return s;
  return std::unique_ptr<Analyzer>(std::move(a));
}

}  // namespace qantara::match
