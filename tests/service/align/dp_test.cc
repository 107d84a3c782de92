// The alignment dynamic programme: drops, insertions, merges, empty sides and
// a linear band on long documents; anchor chains and band centres.
#include "service/align/dp.h"

#include "gtest/gtest.h"
#include "service/align/anchors.h"
#include "tests/service/align/test_docs.h"

namespace qantara::align {
namespace {

using testing::MakeDoc;
using testing::Sent;
using testing::Words;

std::vector<std::pair<std::vector<int>, std::vector<int>>> Shapes(const std::vector<Bead>& beads) {
  std::vector<std::pair<std::vector<int>, std::vector<int>>> out;
  for (const Bead& b : beads) {
    std::vector<int> a, e;
    for (int k = b.ar_begin; k < b.ar_end; ++k) a.push_back(k);
    for (int k = b.en_begin; k < b.en_end; ++k) e.push_back(k);
    out.emplace_back(a, e);
  }
  return out;
}

// Every sentence in exactly one bead, in order.
void ExpectCovering(const std::vector<Bead>& beads, int n, int m) {
  int i = 0, j = 0;
  for (const Bead& b : beads) {
    EXPECT_EQ(b.ar_begin, i);
    EXPECT_EQ(b.en_begin, j);
    EXPECT_TRUE(b.ar_size() > 0 || b.en_size() > 0);
    EXPECT_GE(b.posterior, 0.0);
    EXPECT_LE(b.posterior, 1.0);
    i = b.ar_end;
    j = b.en_end;
  }
  EXPECT_EQ(i, n);
  EXPECT_EQ(j, m);
}

std::vector<Bead> AlignAll(const DocumentFeatures& ar, const DocumentFeatures& en, int band = 10) {
  ModelParams p;
  p.length = LengthModel(1.0, 6.8);
  BeadScorer scorer(p, &ar, &en);
  DpOptions o;
  o.band = band;
  std::vector<double> centre = BandCentre(FindAnchors(ar, en), static_cast<int>(ar.sentences.size()),
                                          static_cast<int>(en.sentences.size()));
  return AlignDp(ar, en, scorer, o, ar.sentences.empty() ? nullptr : &centre, nullptr);
}

TEST(DpTest, FindsDropsInsertionsAndMerges) {
  // Arabic: s0 s1 X s3 (s4+s5 as two) ; English: s0 Y s1 s3 (s4s5 merged)
  DocumentFeatures ar =
      MakeDoc({Words(100, 6), Words(200, 6), Words(900, 5), Words(300, 6), Words(400, 4), Words(404, 4)});
  Sent merged = Words(400, 8);
  DocumentFeatures en = MakeDoc({Words(100, 6), Words(800, 5), Words(200, 6), Words(300, 6), merged});
  std::vector<Bead> beads = AlignAll(ar, en);
  ExpectCovering(beads, 6, 5);
  using V = std::vector<int>;
  EXPECT_EQ(Shapes(beads), (std::vector<std::pair<V, V>>{
                               {{0}, {0}}, {{}, {1}}, {{1}, {2}}, {{2}, {}}, {{3}, {3}}, {{4, 5}, {4}}}));
  for (const Bead& b : beads) {
    if (b.ar_size() == 1 && b.en_size() == 1) {
      EXPECT_GT(b.posterior, 0.9);
    }
  }
}

TEST(DpTest, EmptySides) {
  DocumentFeatures none = MakeDoc({});
  DocumentFeatures two = MakeDoc({Words(1, 3), Words(5, 3)});
  ExpectCovering(AlignAll(none, two), 0, 2);
  ExpectCovering(AlignAll(two, none), 2, 0);
  EXPECT_TRUE(AlignAll(none, none).empty());
}

TEST(DpTest, LongDocumentWithInsertedBlockStaysLinearInBand) {
  // 3000 sentences each side; the English side has 60 extra sentences in
  // the middle: the anchors keep the band on the real path.
  std::vector<Sent> a, e;
  for (int k = 0; k < 3000; ++k) a.push_back(Words(10 * k, 5));
  for (int k = 0; k < 1500; ++k) e.push_back(Words(10 * k, 5));
  for (int k = 0; k < 60; ++k) e.push_back(Words(1000000 + 10 * k, 5));
  for (int k = 1500; k < 3000; ++k) e.push_back(Words(10 * k, 5));
  DocumentFeatures ar = MakeDoc(a), en = MakeDoc(e);
  DpStats stats;
  ModelParams p;
  p.length = LengthModel(1.0, 6.8);
  BeadScorer scorer(p, &ar, &en);
  std::vector<double> centre = BandCentre(FindAnchors(ar, en), 3000, 3060);
  std::vector<Bead> beads = AlignDp(ar, en, scorer, DpOptions(), &centre, &stats);
  ExpectCovering(beads, 3000, 3060);
  int one_one = 0, inserted = 0;
  for (const Bead& b : beads) {
    if (b.ar_size() == 1 && b.en_size() == 1 && b.en_begin == b.ar_begin + (b.ar_begin >= 1500 ? 60 : 0)) {
      ++one_one;
    }
    if (b.ar_size() == 0) ++inserted;
  }
  EXPECT_EQ(one_one, 3000);
  EXPECT_EQ(inserted, 60);
  EXPECT_LT(stats.cells, 3001u * 200);  // a band, not the whole matrix
}

TEST(AnchorsTest, ChainIsMonotoneAndCentreFollowsIt) {
  DocumentFeatures ar = MakeDoc({Words(10, 3), Words(20, 3), Words(30, 3), Words(40, 3)});
  DocumentFeatures en =
      MakeDoc({Words(90, 3), Words(91, 3), Words(10, 3), Words(20, 3), Words(30, 3), Words(40, 3)});
  std::vector<Anchor> anchors = FindAnchors(ar, en);
  ASSERT_EQ(anchors.size(), 4u);
  for (size_t k = 0; k < anchors.size(); ++k) {
    EXPECT_EQ(anchors[k].ar, static_cast<int>(k));
    EXPECT_EQ(anchors[k].en, static_cast<int>(k) + 2);
  }
  std::vector<double> c = BandCentre(anchors, 4, 6);
  ASSERT_EQ(c.size(), 5u);
  for (size_t i = 1; i < c.size(); ++i) EXPECT_GE(c[i], c[i - 1]);
  EXPECT_NEAR(c[1], 3.0, 1e-9);
  EXPECT_LE(c[4], 6.0);
  // No anchors: the diagonal.
  std::vector<double> d = BandCentre({}, 4, 8);
  EXPECT_DOUBLE_EQ(d[2], 4.0);
}

TEST(AnchorsTest, PathCentreFollowsBeads) {
  std::vector<Bead> beads = {{0, 1, 0, 2, 0, 0, 0, {}}, {1, 2, 2, 2, 0, 0, 0, {}}, {2, 4, 2, 3, 0, 0, 0, {}}};
  std::vector<double> c = PathCentre(beads, 4, 3);
  EXPECT_EQ(c, (std::vector<double>{0, 2, 2, 2.5, 3}));
}

}  // namespace
}  // namespace qantara::align
