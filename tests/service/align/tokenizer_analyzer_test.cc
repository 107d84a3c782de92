// TokenizerAnalyzer (the align side's analyzer): Arabic normalisation and keys,
// numbers across digit scripts, English words, Latin and capitalised words.
#include "service/align/tokenizer_analyzer.h"

#include <algorithm>

#include "gtest/gtest.h"

namespace qantara::align {
namespace {

std::vector<AnalyzedToken> Toks(const Analyzer& a, std::string_view text) {
  std::vector<AnalyzedToken> out;
  EXPECT_TRUE(a.Tokenize(text, &out).ok());
  return out;
}

std::vector<std::string> Norms(const std::vector<AnalyzedToken>& toks) {
  std::vector<std::string> out;
  for (const auto& t : toks) out.push_back(t.norm);
  return out;
}

class TokenizerAnalyzerTest : public ::testing::Test {
 protected:
  std::unique_ptr<Analyzer> Make(text::Language lang) {
    auto a = TokenizerAnalyzer::Create(lang);
    EXPECT_TRUE(a.ok()) << a.status();
    return *std::move(a);
  }
};

TEST_F(TokenizerAnalyzerTest, ArabicNormalisationNumbersAndAnchors) {
  auto ar = Make(text::Language::kArabic);
  auto toks = Toks(*ar, "قالَ «مرحباً» في ٢٠١٨، هل زار BBC؟");
  std::vector<std::string> n = Norms(toks);
  EXPECT_EQ(n.front(), "قال");
  EXPECT_NE(std::find(n.begin(), n.end(), "2018"), n.end());
  EXPECT_NE(std::find(n.begin(), n.end(), "bbc"), n.end());
  EXPECT_EQ(n.back(), "?");
  EXPECT_EQ(std::count(n.begin(), n.end(), "\""), 2);
  for (const auto& t : toks) {
    if (t.norm == "bbc") {
      EXPECT_TRUE(t.latin && t.capitalized);
    }
    if (t.norm == "2018") {
      EXPECT_EQ(t.kind, TokenKind::kNumber);
    }
  }
}

TEST_F(TokenizerAnalyzerTest, NumbersMatchAcrossDigitScriptsAndSeparators) {
  auto ar = Make(text::Language::kArabic);
  auto en = Make(text::Language::kEnglish);
  EXPECT_EQ(Norms(Toks(*ar, "١٬٠٠٠")), Norms(Toks(*en, "1,000")));
  EXPECT_EQ(Norms(Toks(*ar, "٣٫٥")), Norms(Toks(*en, "3.5")));
}

TEST_F(TokenizerAnalyzerTest, EnglishWordsAndKeys) {
  auto en = Make(text::Language::kEnglish);
  auto toks = Toks(*en, "The Reports were published.");
  EXPECT_EQ(Norms(toks), (std::vector<std::string>{"the", "reports", "were", "published"}));
  EXPECT_TRUE(toks[1].capitalized);
  std::vector<std::string> keys = en->Keys("reports");
  EXPECT_EQ(keys.front(), "reports");
  EXPECT_EQ(keys.back(), "report");
}

TEST_F(TokenizerAnalyzerTest, ArabicKeysSplitTheArticle) {
  auto ar = Make(text::Language::kArabic);
  std::vector<std::string> keys = ar->Keys("والكتاب");
  EXPECT_EQ(keys.front(), "والكتاب");
  EXPECT_NE(std::find(keys.begin(), keys.end(), "كتاب"), keys.end());
}

TEST_F(TokenizerAnalyzerTest, LatinAndCapitalisedBeyondAscii) {
  auto ar = Make(text::Language::kArabic);
  auto toks = Toks(*ar, "زار Étienne مدينة élan");
  ASSERT_EQ(toks.size(), 4u);
  EXPECT_FALSE(toks[0].latin);
  EXPECT_TRUE(toks[1].latin);
  EXPECT_TRUE(toks[1].capitalized);
  EXPECT_EQ(toks[1].norm, "étienne");
  EXPECT_FALSE(toks[2].latin);
  EXPECT_FALSE(toks[2].capitalized);
  EXPECT_TRUE(toks[3].latin);
  EXPECT_FALSE(toks[3].capitalized);
}

}  // namespace
}  // namespace qantara::align
