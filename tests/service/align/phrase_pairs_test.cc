// Competitive linking and consistent phrase extraction
// (service/align/phrase_pairs.h).
#include "service/align/phrase_pairs.h"

#include <cmath>
#include <vector>

#include "gtest/gtest.h"

namespace qantara::align {
namespace {

// A score table: rows source words, columns target words.
std::vector<WordLink> Link(const std::vector<std::vector<double>>& table, double min_score) {
  const uint32_t n = static_cast<uint32_t>(table.size());
  const uint32_t m = n == 0 ? 0 : static_cast<uint32_t>(table[0].size());
  return CompetitiveLinks(
      n, m, [&](uint32_t s, uint32_t t) { return table[s][t]; }, min_score);
}

TEST(CompetitiveLinksTest, BestPairFirstEachWordOnce) {
  // s0 likes t1 best; s1 likes t1 too but less: it gets t0.
  const auto links = Link({{0.2, 0.9, 0.0}, {0.5, 0.6, 0.0}, {0.0, 0.0, 0.05}}, 0.1);
  ASSERT_EQ(links.size(), 2u);
  EXPECT_EQ(links[0], (WordLink{0, 1, 0}));
  EXPECT_EQ(links[1], (WordLink{1, 0, 0}));
  EXPECT_DOUBLE_EQ(links[0].score, 0.9);
}

TEST(CompetitiveLinksTest, TiesGoToTheDiagonalAndNaNNeverLinks) {
  // Both targets score alike for s0: the one on the diagonal wins.
  auto links = Link({{0.5, 0.5}, {0.0, 0.0}}, 0.1);
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(links[0], (WordLink{0, 0, 0}));
  links = Link({{0.0, 0.0}, {0.5, 0.5}}, 0.1);
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(links[0], (WordLink{1, 1, 0}));
  EXPECT_TRUE(Link({{std::nan("")}}, 0.1).empty());
  EXPECT_TRUE(Link({}, 0.1).empty());
}

TEST(ExtractTargetSpanTest, MinimalConsistentSpan) {
  // Source 0 1 2 3, target 0 1 2 3 4: 0-0, 1-2, 2-4 (1 and 3 unlinked), 3-3.
  const std::vector<WordLink> links = {{0, 0, 1}, {1, 2, 1}, {2, 4, 1}, {3, 3, 1}};
  // Run [0, 2): targets 0 and 2, target 1 unlinked inside: kept.
  auto span = ExtractTargetSpan(links, 0, 2);
  ASSERT_TRUE(span.has_value());
  EXPECT_EQ(span->begin, 0u);
  EXPECT_EQ(span->end, 3u);
  EXPECT_EQ(span->linked_source, 2u);
  EXPECT_EQ(span->linked_target, 2u);
  // Run [1, 3): targets 2 and 4, but target 3 inside is linked to source 3,
  // outside the run: inconsistent.
  EXPECT_FALSE(ExtractTargetSpan(links, 1, 3).has_value());
  // Run [1, 4): targets 2..4, all linked into the run.
  span = ExtractTargetSpan(links, 1, 4);
  ASSERT_TRUE(span.has_value());
  EXPECT_EQ(span->begin, 2u);
  EXPECT_EQ(span->end, 5u);
  EXPECT_EQ(span->linked_source, 3u);
  // No word of the run linked.
  EXPECT_FALSE(ExtractTargetSpan({{0, 0, 1}}, 1, 3).has_value());
}

TEST(ExtractTargetSpanTest, UnlinkedEdgesAreNotAdded) {
  // Target 0 and 3 unlinked: the span is [1, 3) only.
  const auto span = ExtractTargetSpan({{0, 1, 1}, {1, 2, 1}}, 0, 2);
  ASSERT_TRUE(span.has_value());
  EXPECT_EQ(span->begin, 1u);
  EXPECT_EQ(span->end, 3u);
}

TEST(CountSharedTest, MergeAndGallop) {
  EXPECT_EQ(CountShared({1, 3, 5, 7}, {2, 3, 4, 7, 9}), 2u);
  EXPECT_EQ(CountShared({}, {1, 2}), 0u);
  std::vector<uint64_t> big;
  for (uint64_t i = 0; i < 1000; ++i) big.push_back(i * 2);
  EXPECT_EQ(CountShared({4, 5, 998, 1998, 5000}, big), 3u);  // galloping path
  EXPECT_EQ(CountShared(big, {4, 5, 998, 1998, 5000}), 3u);
  EXPECT_DOUBLE_EQ(Dice(2, 2, 2), 1.0);
  EXPECT_DOUBLE_EQ(Dice(1, 3, 1), 0.5);
  EXPECT_DOUBLE_EQ(Dice(0, 0, 0), 0.0);
}

}  // namespace
}  // namespace qantara::align
