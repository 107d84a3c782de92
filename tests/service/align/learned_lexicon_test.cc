// Learned lexicons: Dice finds consistent translations; add and lookup.
#include "service/align/learned_lexicon.h"

#include "gtest/gtest.h"
#include "service/align/tokenizer_analyzer.h"

namespace qantara::align {
namespace {

class VectorSource final : public SegmentPairSource {
 public:
  explicit VectorSource(std::vector<std::pair<std::string, std::string>> pairs) : pairs_(std::move(pairs)) {}
  absl::Status ForEach(const std::function<void(std::string_view, std::string_view)>& fn) override {
    for (const auto& [a, e] : pairs_) fn(a, e);
    return absl::OkStatus();
  }

 private:
  std::vector<std::pair<std::string, std::string>> pairs_;
};

TEST(LexiconLearnerTest, DiceFindsConsistentTranslations) {
  auto ar = TokenizerAnalyzer::Create(text::Language::kArabic);
  auto en = TokenizerAnalyzer::Create(text::Language::kEnglish);
  ASSERT_TRUE(ar.ok() && en.ok());
  LexiconLearner learner(ar->get(), en->get());
  VectorSource src({{"القطة نائمة", "The cat sleeps"},
                    {"رأيت القطة", "I saw the cat"},
                    {"القطة تأكل السمك", "The cat eats fish"},
                    {"السمك طازج", "The fish is fresh"},
                    {"الكلب نائم", "The dog sleeps"}});
  ASSERT_TRUE(learner.AddAll(src).ok());
  EXPECT_EQ(learner.pairs(), 5u);
  std::unique_ptr<LearnedLexicon> lex = learner.Build(LearnedLexiconOptions());
  const std::vector<std::string>* cat = lex->Lookup("قطه");  // clitic-split, normalised key
  ASSERT_NE(cat, nullptr);
  EXPECT_EQ(cat->front(), "cat");
  const std::vector<std::string>* fish = lex->Lookup("سمك");
  ASSERT_NE(fish, nullptr);
  EXPECT_EQ(fish->front(), "fish");
  EXPECT_EQ(lex->Lookup("كلب"), nullptr);  // seen once: below min_pair_count
}

TEST(LearnedLexiconTest, AddAndLookup) {
  LearnedLexicon lex;
  lex.Add("بيت", "hous");
  lex.Add("بيت", "hous");
  lex.Add("بيت", "home");
  ASSERT_NE(lex.Lookup("بيت"), nullptr);
  EXPECT_EQ(*lex.Lookup("بيت"), (std::vector<std::string>{"hous", "home"}));
  EXPECT_EQ(lex.size(), 1u);
}

}  // namespace
}  // namespace qantara::align
