#include "service/align/analyzer.h"

#include "gtest/gtest.h"
#include "service/align/basic_analyzer.h"
#include "service/align/tokenizer_analyzer.h"

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

class AnalyzerTest : public ::testing::TestWithParam<bool> {
 protected:
  std::unique_ptr<Analyzer> Make(text::Language lang) {
    if (!GetParam()) return std::make_unique<BasicAnalyzer>(lang);
    auto a = TokenizerAnalyzer::Create(lang);
    EXPECT_TRUE(a.ok()) << a.status();
    return *std::move(a);
  }
};

TEST_P(AnalyzerTest, ArabicNormalisationNumbersAndAnchors) {
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

TEST_P(AnalyzerTest, NumbersMatchAcrossDigitScriptsAndSeparators) {
  auto ar = Make(text::Language::kArabic);
  auto en = Make(text::Language::kEnglish);
  EXPECT_EQ(Norms(Toks(*ar, "١٬٠٠٠")), Norms(Toks(*en, "1,000")));
  EXPECT_EQ(Norms(Toks(*ar, "٣٫٥")), Norms(Toks(*en, "3.5")));
}

TEST_P(AnalyzerTest, EnglishWordsAndKeys) {
  auto en = Make(text::Language::kEnglish);
  auto toks = Toks(*en, "The Reports were published.");
  EXPECT_EQ(Norms(toks), (std::vector<std::string>{"the", "reports", "were", "published"}));
  EXPECT_TRUE(toks[1].capitalized);
  std::vector<std::string> keys = en->Keys("reports");
  EXPECT_EQ(keys.front(), "reports");
  EXPECT_EQ(keys.back(), "report");
}

TEST_P(AnalyzerTest, ArabicKeysSplitTheArticle) {
  auto ar = Make(text::Language::kArabic);
  std::vector<std::string> keys = ar->Keys("والكتاب");
  EXPECT_EQ(keys.front(), "والكتاب");
  EXPECT_NE(std::find(keys.begin(), keys.end(), "كتاب"), keys.end());
}

INSTANTIATE_TEST_SUITE_P(Both, AnalyzerTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "Tokenizer" : "Basic"; });

TEST(StopwordTest, ClosedLists) {
  EXPECT_TRUE(IsStopword(text::Language::kEnglish, "the"));
  EXPECT_FALSE(IsStopword(text::Language::kEnglish, "parliament"));
  EXPECT_TRUE(IsStopword(text::Language::kArabic, "في"));
  EXPECT_FALSE(IsStopword(text::Language::kArabic, "برلمان"));
}

TEST(BasicAnalyzerTest, ProcliticSplitIsConservative) {
  EXPECT_EQ(SplitArabicProclitics("والكتاب"), "كتاب");
  EXPECT_EQ(SplitArabicProclitics("بالبيت"), "بيت");
  EXPECT_EQ(SplitArabicProclitics("للطلاب"), "طلاب");
  EXPECT_EQ(SplitArabicProclitics("وصل"), "وصل");  // too short to split و
}

}  // namespace
}  // namespace qantara::align
