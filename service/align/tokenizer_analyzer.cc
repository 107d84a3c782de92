#include "service/align/tokenizer_analyzer.h"

#include <algorithm>

#include "service/text/char_props.h"

namespace qantara::align {
namespace {

bool IsQuote(std::string_view s) {
  return s == "\"" || s == "\u201C" || s == "\u201D" || s == "\u00AB" || s == "\u00BB" ||
         s == "\u201E";
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
  return std::unique_ptr<TokenizerAnalyzer>(
      new TokenizerAnalyzer(lang, *std::move(p), *std::move(f)));
}

absl::Status TokenizerAnalyzer::Tokenize(std::string_view text,
                                         std::vector<AnalyzedToken>* out) const {
  absl::StatusOr<std::vector<text::Token>> tokens = plain_->Tokenize(text);
  if (!tokens.ok()) return tokens.status();
  for (text::Token& t : *tokens) {
    AnalyzedToken a;
    switch (t.cls) {
      case text::TokenClass::kWord:
      case text::TokenClass::kUrl:
      case text::TokenClass::kEmail: {
        const int32_t c = text::FirstCodePoint(t.span.In(text));
        a.kind = TokenKind::kWord;
        a.norm = std::move(t.norm);
        a.latin = text::IsLatinScript(c);
        a.capitalized = text::IsUppercase(c);
        if (a.norm.empty()) continue;
        break;
      }
      case text::TokenClass::kNumber: {
        a.kind = TokenKind::kNumber;
        for (char ch : t.norm) {
          if (ch >= '0' && ch <= '9') a.norm.push_back(ch);
        }
        if (a.norm.empty()) continue;
        break;
      }
      case text::TokenClass::kPunctuation: {
        const std::string_view s = t.span.In(text);
        a.kind = TokenKind::kPunct;
        if (s == "?" || s == "\u061F") {
          a.norm = "?";
        } else if (IsQuote(s) || t.norm == "\"") {
          a.norm = "\"";
        } else {
          continue;
        }
        break;
      }
      default:
        continue;
    }
    out->push_back(std::move(a));
  }
  return absl::OkStatus();
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
