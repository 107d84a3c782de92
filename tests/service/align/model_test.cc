// The align models: length model, pair matcher masks, bead scores (translations
// beat unrelated sentences, joins need evidence, paragraphs as soft anchors).
#include "service/align/model.h"

#include <random>

#include "gtest/gtest.h"
#include "tests/service/align/test_docs.h"

namespace qantara::align {
namespace {

using testing::MakeDoc;
using testing::Words;

TEST(LengthModelTest, DeltaAndLikelihoodRatio) {
  LengthModel m(1.2, 6.0);
  EXPECT_NEAR(m.Delta(100, 120), 0.0, 1e-9);
  EXPECT_GT(m.Delta(100, 200), 2.0);
  EXPECT_LT(m.Delta(100, 40), -2.0);
  EXPECT_GT(m.LogLikelihoodRatio(100, 120), 0.0);
  EXPECT_LT(m.LogLikelihoodRatio(100, 300), m.LogLikelihoodRatio(100, 130));
  EXPECT_GE(m.LogLikelihoodRatio(1, 100000), -12.0);  // bounded below
}

TEST(LengthModelTest, EstimatesRatioAndVarianceFromPairs) {
  std::vector<std::pair<double, double>> pairs;
  for (int k = 0; k < 100; ++k) {
    const double a = 50 + k;
    pairs.emplace_back(a, 1.25 * a + (k % 2 ? 3 : -3));
  }
  LengthModel m = LengthModel::Estimate(pairs, 6.8);
  EXPECT_NEAR(m.ratio(), 1.25, 0.01);
  EXPECT_LT(m.variance(), 1.0);  // small spread, shrunk a little towards 6.8
  LengthModel few = LengthModel::Estimate({{10, 12}}, 6.8);
  EXPECT_NEAR(few.ratio(), 1.2, 1e-9);
  EXPECT_EQ(few.variance(), 6.8);
}

TEST(PairMatcherTest, MasksMarkMatchedTokensOnBothSides) {
  DocumentFeatures ar = MakeDoc({{30, {{1, 2}, {3}, {4}}}});
  DocumentFeatures en = MakeDoc({{30, {{9}, {2}, {4}, {7}}}, {30, {{8}}}});
  PairMatcher pm(&ar, &en);
  pm.SetArabic(0);
  PairMasks m = pm.Match(0);
  EXPECT_EQ(m.ar, 0b101u);   // tokens 0 (via id 2) and 2 (id 4)
  EXPECT_EQ(m.en, 0b0110u);  // tokens 1 and 2
  PairMasks none = pm.Match(1);
  EXPECT_EQ(none.ar, 0u);
  EXPECT_EQ(none.en, 0u);
}

class ScorerTest : public ::testing::Test {
 protected:
  double Score(const DocumentFeatures& ar, const DocumentFeatures& en, int s0, int a, int t0, int b,
               const ModelParams& p = ModelParams()) {
    ModelParams params = p;
    params.length = LengthModel(1.0, 6.8);
    BeadScorer scorer(params, &ar, &en);
    PairMatcher pm(&ar, &en);
    int shape = -1;
    for (size_t k = 0; k < kBeadShapes.size(); ++k) {
      if (kBeadShapes[k].ar == a && kBeadShapes[k].en == b) shape = static_cast<int>(k);
    }
    return scorer.Score(s0, a, t0, b, shape, [&](int s, int t) {
      pm.SetArabic(s);
      return pm.Match(t);
    });
  }
};

TEST_F(ScorerTest, TranslationsOutscoreUnrelatedSentencesAndDrops) {
  DocumentFeatures ar = MakeDoc({Words(100, 8), Words(200, 12)});
  DocumentFeatures en = MakeDoc({Words(100, 8), Words(300, 12)});
  const double match = Score(ar, en, 0, 1, 0, 1);
  const double unrelated = Score(ar, en, 1, 1, 1, 1);
  const double drop_both = Score(ar, en, 1, 1, 1, 0) + Score(ar, en, 2, 0, 1, 1);
  EXPECT_GT(match, 5.0);
  EXPECT_LT(unrelated, drop_both);  // better to leave unrelated sentences unpaired
  EXPECT_GT(match, drop_both);
}

TEST_F(ScorerTest, JoinsNeedEvidenceForEverySentence) {
  // Arabic 0 = English 0 + English 1 (a merge); English 2 is boilerplate.
  DocumentFeatures ar = MakeDoc({{48, {{1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}}}});
  DocumentFeatures en = MakeDoc({Words(1, 4), Words(5, 4), {10, {{99}}}});
  const double merge = Score(ar, en, 0, 1, 0, 2);
  const double split = Score(ar, en, 0, 1, 0, 1) + Score(ar, en, 1, 0, 1, 1);
  EXPECT_GT(merge, split);
  // Absorbing the unmatched boilerplate costs more than a 0-1 bead for it.
  const double absorb = Score(ar, en, 0, 1, 0, 3);
  const double apart = merge + Score(ar, en, 1, 0, 2, 1);
  EXPECT_LT(absorb, apart);
}

TEST_F(ScorerTest, ParagraphsAreSoftAnchors) {
  DocumentFeatures ar = MakeDoc({Words(1, 4, true)});
  DocumentFeatures en_end = MakeDoc({Words(1, 4, true)});
  DocumentFeatures en_mid = MakeDoc({Words(1, 4, false)});
  EXPECT_GT(Score(ar, en_end, 0, 1, 0, 1), Score(ar, en_mid, 0, 1, 0, 1));
  // A bead that crosses a paragraph end pays for it.
  DocumentFeatures en2 = MakeDoc({Words(1, 2, true), Words(3, 2)});
  DocumentFeatures en2_same = MakeDoc({Words(1, 2, false), Words(3, 2)});
  EXPECT_LT(Score(ar, en2, 0, 1, 0, 2), Score(ar, en2_same, 0, 1, 0, 2));
}

// Random documents: sentences of 0-12 tokens, ids from a small space (so
// pairs share some), every evidence class, some paragraph ends.
DocumentFeatures RandomDoc(std::mt19937& rng, int sentences) {
  DocumentFeatures d;
  for (int s = 0; s < sentences; ++s) {
    SentenceFeatures sf;
    sf.length = 5 + rng() % 200;
    sf.paragraph_end = rng() % 5 == 0;
    sf.tok_begin = static_cast<uint32_t>(d.tokens.size());
    const int n = static_cast<int>(rng() % 13);
    for (int k = 0; k < n; ++k) {
      TokenFeatures t;
      t.id_begin = static_cast<uint32_t>(d.ids.size());
      for (int x = static_cast<int>(rng() % 3); x > 0; --x) d.ids.push_back(rng() % 60);
      t.id_end = static_cast<uint32_t>(d.ids.size());
      d.tokens.push_back(t);
      sf.class_mask[rng() % kNumEvidenceClasses] |= uint64_t{1} << k;
    }
    sf.tok_end = static_cast<uint32_t>(d.tokens.size());
    d.sentences.push_back(sf);
  }
  return d;
}

TEST(PairMaskCacheTest, RowsAndPairsMatchThePairMatcher) {
  std::mt19937 rng(7);
  DocumentFeatures ar = RandomDoc(rng, 20), en = RandomDoc(rng, 25);
  PairMatcher pm(&ar, &en);
  PairMaskCache cache(&ar, &en);
  auto expect = [&](int s, int t, const PairMasks& got) {
    pm.SetArabic(s);
    const PairMasks want = pm.Match(t);
    EXPECT_EQ(got.ar, want.ar) << s << "," << t;
    EXPECT_EQ(got.en, want.en) << s << "," << t;
  };
  for (int s = 0; s < 20; ++s) {
    const PairMasks* row = cache.Row(s, 5, 9);
    for (int t = 5; t <= 9; ++t) expect(s, t, row[t - 5]);
  }
  // Growing a row on either side keeps what it had; Get works inside and outside rows.
  const PairMasks* wide = cache.Row(3, 0, 24);
  for (int t = 0; t <= 24; ++t) expect(3, t, wide[t]);
  for (int t = 0; t <= 24; ++t) expect(4, t, cache.Get(4, t));
  expect(3, 12, cache.Get(3, 12));
}

// ScoreFromPairs is Score computed from 1-1 pair parts: the same value, to
// the last bit, for every shape.
TEST(BeadScorerTest, ScoreFromPairsEqualsScore) {
  std::mt19937 rng(11);
  DocumentFeatures ar = RandomDoc(rng, 40), en = RandomDoc(rng, 40);
  ModelParams params;
  params.length = LengthModel(1.2, 5.0);
  params.p_true[0][2] = 0.6;
  params.q_random[1][3] = 0.2;
  BeadScorer scorer(params, &ar, &en);
  PairMatcher pm(&ar, &en);
  auto masks = [&](int s, int t) {
    pm.SetArabic(s);
    return pm.Match(t);
  };
  auto pair = [&](int s, int t) { return scorer.ScorePair(s, t, masks(s, t)); };
  for (int s0 = 0; s0 + 3 <= 40; ++s0) {
    for (int t0 = 0; t0 + 3 <= 40; ++t0) {
      EXPECT_EQ((scorer.ScoreFromPairs<1, 1>(s0, t0, 0, pair)), scorer.Score(s0, 1, t0, 1, 0, masks));
      EXPECT_EQ((scorer.ScoreFromPairs<1, 0>(s0, t0, 1, pair)), scorer.Score(s0, 1, t0, 0, 1, masks));
      EXPECT_EQ((scorer.ScoreFromPairs<0, 1>(s0, t0, 2, pair)), scorer.Score(s0, 0, t0, 1, 2, masks));
      EXPECT_EQ((scorer.ScoreFromPairs<2, 1>(s0, t0, 3, pair)), scorer.Score(s0, 2, t0, 1, 3, masks));
      EXPECT_EQ((scorer.ScoreFromPairs<1, 2>(s0, t0, 4, pair)), scorer.Score(s0, 1, t0, 2, 4, masks));
      EXPECT_EQ((scorer.ScoreFromPairs<2, 2>(s0, t0, 5, pair)), scorer.Score(s0, 2, t0, 2, 5, masks));
      EXPECT_EQ((scorer.ScoreFromPairs<3, 1>(s0, t0, 6, pair)), scorer.Score(s0, 3, t0, 1, 6, masks));
      EXPECT_EQ((scorer.ScoreFromPairs<1, 3>(s0, t0, 7, pair)), scorer.Score(s0, 1, t0, 3, 7, masks));
    }
  }
  const PairScore p = pair(2, 3);
  EXPECT_EQ(p.ar_llr + p.en_llr, scorer.TokenLlr(2, 3, p.masks));
}

}  // namespace
}  // namespace qantara::align
