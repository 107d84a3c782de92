// The aligner's Analyzer on the text engine's Tokenizer: a sentence's kept tokens
// and each word's lookup keys (form, clitic-split form, Snowball stem).
#include "service/align/tokenizer_analyzer.h"

#include <algorithm>

#include "service/text/char_props.h"

namespace qantara::align {
namespace {

bool IsQuote(std::string_view s) {
  return s == "\"" || s == "\u201C" || s == "\u201D" || s == "\u00AB" || s == "\u00BB" || s == "\u201E";
}

}  // namespace

absl::StatusOr<std::unique_ptr<TokenizerAnalyzer>> TokenizerAnalyzer::Create(text::Language lang) {
  text::TokenizerOptions plain;
  plain.language = lang;
  text::TokenizerOptions full = plain;
  full.stem = true;
  full.split_clitics = lang == text::Language::kArabic;
  auto p = text::Tokenizer::Create(plain);
  if (!p.ok()) return p.status();
  auto f = text::Tokenizer::Create(full);
  if (!f.ok()) return f.status();
  return std::unique_ptr<TokenizerAnalyzer>(new TokenizerAnalyzer(lang, *std::move(p), *std::move(f)));
}

absl::Status TokenizerAnalyzer::Tokenize(std::string_view text, std::vector<AnalyzedToken>* out) const {
  return plain_->Scan(text, [&](const text::TokenView& t) {
    const std::string_view surface = text.substr(t.byte_begin, t.byte_end - t.byte_begin);
    switch (t.cls) {
      case text::TokenClass::kWord:
      case text::TokenClass::kUrl:
      case text::TokenClass::kEmail: {
        if (t.norm.empty()) return;
        const int32_t c = text::FirstCodePoint(surface);
        AnalyzedToken& a = out->emplace_back();
        a.kind = TokenKind::kWord;
        a.norm.assign(t.norm);
        a.latin = text::IsLatinScript(c);
        a.capitalized = text::IsUppercase(c);
        return;
      }
      case text::TokenClass::kNumber: {
        std::string digits;
        for (char ch : t.norm) {
          if (ch >= '0' && ch <= '9') digits.push_back(ch);
        }
        if (digits.empty()) return;
        AnalyzedToken& a = out->emplace_back();
        a.kind = TokenKind::kNumber;
        a.norm = std::move(digits);
        return;
      }
      case text::TokenClass::kPunctuation: {
        const char* norm = nullptr;
        if (surface == "?" || surface == "\u061F") {
          norm = "?";
        } else if (IsQuote(surface) || t.norm == "\"") {
          norm = "\"";
        } else {
          return;
        }
        AnalyzedToken& a = out->emplace_back();
        a.kind = TokenKind::kPunct;
        a.norm = norm;
        return;
      }
      default: return;
    }
  });
}

std::vector<std::string> TokenizerAnalyzer::Keys(std::string_view norm) const {
  std::vector<std::string> keys;
  keys.emplace_back(norm);
  auto add = [&](std::string k) {
    if (!k.empty() && std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(std::move(k));
  };
  absl::StatusOr<std::optional<text::Token>> token = full_->TokenizeWord(norm);
  if (token.ok() && token->has_value()) {
    add(std::move((*token)->base));
    add(std::move((*token)->stem));
  }
  return keys;
}

}  // namespace qantara::align
