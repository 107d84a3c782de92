// The align featurizer: tokens, classes, lengths, stopwords and matching
// translations, numbers, Latin words and names; shared-id renumbering.
#include "service/align/features.h"

#include <algorithm>
#include <memory>

#include "gtest/gtest.h"
#include "service/align/tokenizer_analyzer.h"

namespace qantara::align {
namespace {

using text::Language;

class FeaturizerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const auto& [a, e] : std::vector<std::pair<std::string, std::string>>{
             {"حكومه", "government"}, {"خطه", "plan"}, {"مدارس", "schools"}}) {
      const uint32_t id = lexicon_.InternEnglish(en_->Keys(e).back());
      for (const std::string& k : ar_->Keys(a)) lexicon_.Add(k, id);
    }
    lexicon_.Finish();
  }

  // The ids of each kept token of one sentence.
  static std::vector<std::vector<uint32_t>> TokenIds(const DocumentFeatures& d, int s) {
    std::vector<std::vector<uint32_t>> out;
    const SentenceFeatures& sf = d.sentences[s];
    for (uint32_t k = sf.tok_begin; k < sf.tok_end; ++k) {
      out.emplace_back(d.ids.begin() + d.tokens[k].id_begin, d.ids.begin() + d.tokens[k].id_end);
    }
    return out;
  }

  // True when some token of Arabic sentence s shares an id with some token
  // of English sentence t.
  static bool Shares(const DocumentFeatures& ar, int s, const DocumentFeatures& en, int t) {
    for (const auto& a : TokenIds(ar, s)) {
      for (const auto& e : TokenIds(en, t)) {
        for (uint32_t id : a) {
          if (std::find(e.begin(), e.end(), id) != e.end()) return true;
        }
      }
    }
    return false;
  }

  std::unique_ptr<TokenizerAnalyzer> ar_ = *TokenizerAnalyzer::Create(Language::kArabic);
  std::unique_ptr<TokenizerAnalyzer> en_ = *TokenizerAnalyzer::Create(Language::kEnglish);
  Lexicon lexicon_;
};

TEST_F(FeaturizerTest, TokensClassesLengthAndStopwords) {
  Featurizer fz(&lexicon_, ar_.get(), en_.get());
  DocumentFeatures en;
  ASSERT_TRUE(fz.Add(Language::kEnglish, "The plan of the government, in 2024?", true, &en).ok());
  ASSERT_EQ(en.sentences.size(), 1u);
  const SentenceFeatures& sf = en.sentences[0];
  EXPECT_TRUE(sf.paragraph_end);
  EXPECT_EQ(sf.length, 30u);  // code points without spaces
  // plan, government, 2024, ?  ("the", "of", "in" are stopwords; the comma is dropped)
  EXPECT_EQ(sf.token_count(), 4);
  EXPECT_EQ(sf.class_mask[kEvWord], 0b0011u);
  EXPECT_EQ(sf.class_mask[kEvNumber], 0b0100u);
  EXPECT_EQ(sf.class_mask[kEvPunct], 0b1000u);
  EXPECT_FALSE(fz.Add(Language::kEnglish, "bad \xff", false, &en).ok());
}

TEST_F(FeaturizerTest, TranslationsNumbersLatinWordsAndNamesMatch) {
  Featurizer fz(&lexicon_, ar_.get(), en_.get());
  DocumentFeatures ar, en;
  ASSERT_TRUE(fz.Add(Language::kArabic, "أعلنت الحكومة خطة", false, &ar).ok());
  ASSERT_TRUE(fz.Add(Language::kArabic, "في عام ٢٠٢٤", false, &ar).ok());
  ASSERT_TRUE(fz.Add(Language::kArabic, "زار BBC مدينة تامبا", false, &ar).ok());
  ASSERT_TRUE(fz.Add(Language::kEnglish, "The government announced plans.", false, &en).ok());
  ASSERT_TRUE(fz.Add(Language::kEnglish, "In 2024.", false, &en).ok());
  ASSERT_TRUE(fz.Add(Language::kEnglish, "The BBC visited Tampa.", false, &en).ok());
  EXPECT_TRUE(Shares(ar, 0, en, 0));  // dictionary: حكومه/government, خطه/plan(s)
  EXPECT_TRUE(Shares(ar, 1, en, 1));  // ٢٠٢٤ = 2024
  EXPECT_TRUE(Shares(ar, 2, en, 2));  // BBC verbatim, تامبا ~ Tampa
  EXPECT_FALSE(Shares(ar, 1, en, 0));
  EXPECT_FALSE(Shares(ar, 0, en, 2));
  // A type is analysed once: the same sentence again gives the same ids.
  ASSERT_TRUE(fz.Add(Language::kArabic, "أعلنت الحكومة خطة", false, &ar).ok());
  EXPECT_EQ(TokenIds(ar, 3), TokenIds(ar, 0));
}

TEST_F(FeaturizerTest, OnlyIdsKeepsTheMarkedOnes) {
  Featurizer fz(&lexicon_, ar_.get(), en_.get());
  DocumentFeatures en, ar, ar_all;
  ASSERT_TRUE(fz.Add(Language::kEnglish, "The government.", false, &en).ok());
  std::vector<uint8_t> marks;
  for (uint32_t id : en.ids) {
    if (id >= marks.size()) marks.resize(id + 1);
    marks[id] = 1;
  }
  ASSERT_TRUE(fz.Add(Language::kArabic, "الحكومة في 2024", false, &ar_all).ok());
  ASSERT_TRUE(fz.Add(Language::kArabic, "الحكومة في 2024", false, &ar, &marks).ok());
  EXPECT_EQ(ar.tokens.size(), ar_all.tokens.size());  // tokens stay, ids go
  EXPECT_LT(ar.ids.size(), ar_all.ids.size());
  for (uint32_t id : ar.ids) EXPECT_TRUE(id < marks.size() && marks[id]);
  EXPECT_TRUE(Shares(ar, 0, en, 0));
}

TEST(KeepSharedIdsTest, KeepsIdsOfBothSidesRenumberedDensely) {
  auto doc = [](std::vector<std::vector<uint32_t>> tokens) {
    DocumentFeatures d;
    SentenceFeatures sf;
    for (const auto& ids : tokens) {
      TokenFeatures t;
      t.id_begin = static_cast<uint32_t>(d.ids.size());
      d.ids.insert(d.ids.end(), ids.begin(), ids.end());
      t.id_end = static_cast<uint32_t>(d.ids.size());
      d.tokens.push_back(t);
    }
    sf.tok_end = static_cast<uint32_t>(d.tokens.size());
    d.sentences.push_back(sf);
    return d;
  };
  DocumentFeatures ar = doc({{5, 900, 7}, {42}, {7}});
  DocumentFeatures en = doc({{7, 1000}, {5}, {3}});
  EXPECT_EQ(KeepSharedIds(&ar, &en), 2u);  // 5 and 7, now 0 and 1
  EXPECT_EQ(ar.ids, (std::vector<uint32_t>{0, 1, 1}));
  EXPECT_EQ(en.ids, (std::vector<uint32_t>{1, 0}));
  ASSERT_EQ(ar.tokens.size(), 3u);  // every token stays, the unmatchable one empty
  EXPECT_EQ(ar.tokens[1].id_begin, ar.tokens[1].id_end);
  ASSERT_EQ(en.tokens.size(), 3u);
  EXPECT_EQ(en.tokens[2].id_begin, en.tokens[2].id_end);
}

}  // namespace
}  // namespace qantara::align
