// Bilingual lexicons: FreeDict senses split into alternatives, lexicons built
// from both directions, Debian FreeDict loaded, missing dictionaries NotFound.
#include "service/align/lexicon.h"

#include <filesystem>

#include "gtest/gtest.h"
#include "service/align/tokenizer_analyzer.h"

namespace qantara::align {
namespace {

using ::testing::Test;

TEST(FreeDictSensesTest, NumberedAndSingleLineSensesSplitIntoAlternatives) {
  EXPECT_EQ(ParseFreeDictSenses("معقوف /mˈaʕquːf/\n1. Aduncous\n2. Aquiline\n"),
            (std::vector<std::string>{"Aduncous", "Aquiline"}));
  EXPECT_EQ(ParseFreeDictSenses("A-line /ɐ lˈaɪn/\nاصطفّ، فستان ضيّق\n"),
            (std::vector<std::string>{"اصطفّ", "فستان ضيّق"}));
  EXPECT_EQ(ParseFreeDictSenses("A-ha /ɐ hˈɑː/\nآها -  فرقة بوب\n"),
            (std::vector<std::string>{"آها", "فرقة بوب"}));
  EXPECT_EQ(ParseFreeDictSenses("x\n1. a, b; c\n"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(ParseFreeDictSenses("headword only").empty());
}

class LexiconFixture : public Test {
 protected:
  std::unique_ptr<TokenizerAnalyzer> ar_ = *TokenizerAnalyzer::Create(text::Language::kArabic);
  std::unique_ptr<TokenizerAnalyzer> en_ = *TokenizerAnalyzer::Create(text::Language::kEnglish);

  // The concepts an Arabic word translates to, through every key.
  std::vector<std::string> Translate(const Lexicon& lex, std::string_view word) {
    std::vector<AnalyzedToken> toks;
    EXPECT_TRUE(ar_->Tokenize(word, &toks).ok());
    std::vector<std::string> out;
    for (const std::string& k : ar_->Keys(toks.at(0).norm)) {
      if (const auto* tr = lex.Translations(k)) {
        for (uint32_t id : *tr) {
          if (std::find(out.begin(), out.end(), lex.English(id)) == out.end()) {
            out.push_back(lex.English(id));
          }
        }
      }
    }
    std::sort(out.begin(), out.end());
    return out;
  }
};

TEST_F(LexiconFixture, BuildsFromBothDirections) {
  const std::string ara_dict = "كتاب /kitaab/\n1. book\n2. a long definition of many words here\n";
  auto ara = DictdDatabase::FromBytes("كتاب\tA\tBC\n", ara_dict);  // 66 bytes
  ASSERT_TRUE(ara.ok()) << ara.status();
  const std::string eng_dict = "houses /haʊz/\nبيت، منزل\n";
  auto eng = DictdDatabase::FromBytes("houses\tA\th\n", eng_dict);  // 33 bytes
  ASSERT_TRUE(eng.ok()) << eng.status();
  Lexicon lex;
  ASSERT_TRUE(AddFreeDict(*ara, true, *ar_, *en_, &lex).ok());
  ASSERT_TRUE(AddFreeDict(*eng, false, *ar_, *en_, &lex).ok());
  lex.Finish();
  // Definitions of more than three content words are not translations.
  EXPECT_EQ(Translate(lex, "كتاب"), (std::vector<std::string>{"book"}));
  // With the article and a conjunction, diacritics and another alef form.
  EXPECT_EQ(Translate(lex, "والكتاب"), (std::vector<std::string>{"book"}));
  EXPECT_EQ(Translate(lex, "بَيت"), (std::vector<std::string>{"hous"}));  // English stem
  EXPECT_EQ(Translate(lex, "المنزل"), (std::vector<std::string>{"hous"}));
  EXPECT_TRUE(Translate(lex, "سيارة").empty());
  EXPECT_GE(lex.FindEnglish("hous"), 0);
  EXPECT_EQ(lex.FindEnglish("car"), -1);
}

TEST_F(LexiconFixture, LoadsDebianFreeDict) {
  if (!std::filesystem::exists("/usr/share/dictd/freedict-eng-ara.index")) {
    GTEST_SKIP() << "FreeDict not installed";
  }
  auto lex = LoadFreeDictLexicon(kDefaultDictdDir, *ar_, *en_);
  ASSERT_TRUE(lex.ok()) << lex.status();
  EXPECT_GT((*lex)->arabic_keys(), 40000u);
  std::vector<std::string> book = Translate(**lex, "الكتاب");
  EXPECT_NE(std::find(book.begin(), book.end(), "book"), book.end());
  std::vector<std::string> water = Translate(**lex, "ماء");
  EXPECT_NE(std::find(water.begin(), water.end(), "water"), water.end());
}

TEST_F(LexiconFixture, MissingDictionaryIsNotFound) {
  auto lex = LoadFreeDictLexicon("/nonexistent", *ar_, *en_);
  ASSERT_FALSE(lex.ok());
  EXPECT_EQ(lex.status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace qantara::align
