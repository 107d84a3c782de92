// A small, dependency-free Analyzer for tests of the matcher and storage:
// ASCII letters/digits and any non-ASCII bytes form words; digits-only words
// are numbers; . , ! ? ; : are punctuation; <...> is an inline tag. Keys fold
// ASCII case and drop Arabic harakat (U+064B-U+0652) and tatweel (U+0640).
#ifndef QANTARA_TESTS_SERVICE_MATCH_SIMPLE_ANALYZER_H_
#define QANTARA_TESTS_SERVICE_MATCH_SIMPLE_ANALYZER_H_

#include <cctype>
#include <string>
#include <utility>

#include "service/match/analyzer.h"
#include "service/match/hash.h"

namespace qantara::match::testing {

class SimpleAnalyzer final : public Analyzer {
 public:
  absl::StatusOr<AnalyzedSegment> Analyze(std::string_view text, text::Language) const override {
    AnalyzedSegment seg;
    seg.text = std::string(text);
    size_t i = 0, prev_end = 0;
    bool first = true;
    auto gap = [&](size_t b, size_t e, bool between) {
      std::string g(text.substr(b, e - b));
      if (g.empty() || (between && g == " ")) return;
      seg.key.whitespace += g;
    };
    while (i < text.size()) {
      unsigned char c = text[i];
      if (c == ' ' || c == '\t') {
        ++i;
        continue;
      }
      size_t b = i;
      if (c == '<') {
        while (i < text.size() && text[i] != '>') ++i;
        if (i < text.size()) ++i;
        gap(prev_end, b, !first);
        first = false;
        prev_end = i;
        seg.key.inline_codes += std::string(text.substr(b, i - b));
        continue;
      }
      if (std::string_view(".,!?;:").find(static_cast<char>(c)) != std::string_view::npos) {
        ++i;
        gap(prev_end, b, !first);
        first = false;
        prev_end = i;
        seg.key.punctuation += static_cast<char>(c);
        continue;
      }
      while (i < text.size()) {
        unsigned char d = text[i];
        if (d == ' ' || d == '\t' || d == '<' ||
            std::string_view(".,!?;:").find(static_cast<char>(d)) != std::string_view::npos) {
          break;
        }
        ++i;
      }
      gap(prev_end, b, !first);
      first = false;
      prev_end = i;
      std::string_view raw = text.substr(b, i - b);
      bool digits = true;
      for (char ch : raw) digits = digits && std::isdigit(static_cast<unsigned char>(ch));
      MatchToken t;
      std::string token_norm;
      if (digits) {
        t.key = NumberKey();
        t.surface = t.folded = Hash32(raw);
        seg.numbers.push_back(
            NumberToken{static_cast<uint32_t>(seg.key.tokens.size()), std::string(raw), DigitScript::kAscii});
      } else {
        std::string lower, norm;
        for (size_t k = 0; k < raw.size(); ++k) {
          unsigned char ch = raw[k];
          lower += static_cast<char>(std::tolower(ch));
          if (ch == 0xD9 && k + 1 < raw.size()) {
            unsigned char n2 = raw[k + 1];
            if (n2 == 0x80 || (n2 >= 0x8B && n2 <= 0x92)) {
              lower += raw[++k];
              continue;
            }
          }
          norm += static_cast<char>(std::tolower(ch));
        }
        t.key = Hash64(norm);
        token_norm = norm;
        t.surface = Hash32(raw);
        t.folded = Hash32(lower);
      }
      seg.key.tokens.push_back(t);
      seg.spans.emplace_back(static_cast<uint32_t>(b), static_cast<uint32_t>(i));
      seg.norms.push_back(std::move(token_norm));
    }
    gap(prev_end, text.size(), false);
    return seg;
  }
};

}  // namespace qantara::match::testing

#endif  // QANTARA_TESTS_SERVICE_MATCH_SIMPLE_ANALYZER_H_
