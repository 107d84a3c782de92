// Token edit distances: known values, bounded and bit-parallel agree with the
// full distance, alignment ops, and the character distance in code points.
#include "service/match/edit_distance.h"

#include <random>

#include "gtest/gtest.h"

namespace qantara::match {
namespace {

std::vector<MatchToken> Seq(std::initializer_list<uint64_t> keys) {
  std::vector<MatchToken> out;
  for (uint64_t k : keys) out.push_back(MatchToken{k, 0, 0});
  return out;
}

uint32_t FullDistance(const std::vector<MatchToken>& a, const std::vector<MatchToken>& b) {
  uint32_t d = 0;
  for (const EditOp& op : AlignTokens(a, b)) d += op.kind != EditOp::kMatch;
  return d;
}

TEST(EditDistance, KnownDistances) {
  EXPECT_EQ(BoundedTokenDistance(Seq({1, 2, 3}), Seq({1, 2, 3}), 0), 0u);
  EXPECT_EQ(BoundedTokenDistance(Seq({1, 2, 3}), Seq({1, 9, 3}), 1), 1u);
  EXPECT_EQ(BoundedTokenDistance(Seq({1, 2, 3}), Seq({1, 3}), 1), 1u);
  EXPECT_EQ(BoundedTokenDistance(Seq({}), Seq({1, 3}), 5), 2u);
  EXPECT_GT(BoundedTokenDistance(Seq({1, 2, 3, 4}), Seq({5, 6, 7, 8}), 2), 2u);
}

TEST(EditDistance, BoundedAgreesWithFullOnRandomSequences) {
  std::mt19937 rng(7);
  for (int iter = 0; iter < 3000; ++iter) {
    std::vector<MatchToken> a(rng() % 12), b(rng() % 12);
    for (auto& t : a) t.key = rng() % 4;
    for (auto& t : b) t.key = rng() % 4;
    const uint32_t full = FullDistance(a, b);
    for (uint32_t bound = 0; bound <= 12; ++bound) {
      const uint32_t d = BoundedTokenDistance(a, b, bound);
      if (full <= bound) {
        ASSERT_EQ(d, full) << "bound " << bound;
      } else {
        ASSERT_GT(d, bound);
      }
    }
  }
}

TEST(EditDistance, BitParallelPatternAgreesWithBanded) {
  std::mt19937 rng(11);
  for (int iter = 0; iter < 4000; ++iter) {
    const size_t m = iter % 7 == 0 ? 64 : 1 + rng() % 20;
    std::vector<MatchToken> a(m), b(rng() % 70);
    for (auto& t : a) t.key = rng() % 5;
    for (auto& t : b) t.key = rng() % 5;
    TokenPattern p(a);
    for (uint32_t bound : {0u, 1u, 3u, 10u, 70u}) {
      const uint32_t want = BoundedTokenDistance(a, b, bound);
      const uint32_t got = p.Distance(b, bound);
      if (want <= bound) {
        ASSERT_EQ(got, want) << m << " " << b.size() << " bound " << bound;
      } else {
        ASSERT_GT(got, bound);
      }
    }
  }
  std::vector<MatchToken> big(80), other(75);
  for (size_t i = 0; i < big.size(); ++i) big[i].key = i;
  for (size_t i = 0; i < other.size(); ++i) other[i].key = i + 3;
  EXPECT_EQ(TokenPattern(big).Distance(other, 100), BoundedTokenDistance(big, other, 100));
}

// The sketch distance (keys folded to 16 bits) is the distance of the
// folded sequences: equal to the token distance when no two different keys
// fold alike, below it when some do (a lower bound, never above), and
// bounded like Distance; a query of more than 64 tokens gives no bound.
TEST(EditDistance, SketchDistanceIsALowerBoundOfTheTokenDistance) {
  std::mt19937_64 rng(13);
  int below = 0;
  for (int iter = 0; iter < 4000; ++iter) {
    const size_t m = iter % 9 == 0 ? 64 : rng() % 20;
    std::vector<MatchToken> a(m), b(rng() % 70);
    // Keys 0-5 in the low bits; their top 16 bits (the sketch) from 0-3:
    // half the runs with distinct keys folding alike.
    const bool collide = iter % 2 == 0;
    auto key = [&] {
      const uint64_t low = rng() % 6;
      return ((collide ? low % 4 : low) << 48) | low;
    };
    for (auto& t : a) t.key = key();
    for (auto& t : b) t.key = key();
    std::vector<uint16_t> sketch;
    for (const auto& t : b) sketch.push_back(SketchOf(t.key));
    TokenPattern p(a);
    for (uint32_t bound : {0u, 1u, 3u, 10u, 70u}) {
      const uint32_t d = BoundedTokenDistance(a, b, bound);
      const uint32_t s = p.SketchDistance(sketch, bound);
      if (s <= bound) ASSERT_LE(s, d) << m << " " << b.size() << " bound " << bound;
      if (d <= bound) ASSERT_LE(s, d) << m << " " << b.size() << " bound " << bound;
      if (!collide) {
        // Nothing folds alike: the very distance (or > bound for both).
        if (d <= bound) {
          ASSERT_EQ(s, d) << m << " " << b.size() << " bound " << bound;
        } else {
          ASSERT_GT(s, bound) << m << " " << b.size() << " bound " << bound;
        }
      }
      if (s < d && d <= bound) ++below;
    }
  }
  EXPECT_GT(below, 100);  // collisions do lower it
  std::vector<MatchToken> big(80), other(75);
  for (size_t i = 0; i < big.size(); ++i) big[i].key = i << 48;
  std::vector<uint16_t> far(75, 9999);
  EXPECT_EQ(TokenPattern(big).SketchDistance(far, 10), 0u);  // no bound past 64 tokens
  EXPECT_EQ(TokenPattern({}).SketchDistance(far, 100), 75u);
}

TEST(EditDistance, AlignmentOps) {
  auto ops = AlignTokens(Seq({1, 2, 3}), Seq({1, 4, 3, 5}));
  ASSERT_EQ(ops.size(), 4u);
  EXPECT_EQ(ops[0].kind, EditOp::kMatch);
  EXPECT_EQ(ops[1].kind, EditOp::kSubstitute);
  EXPECT_EQ(ops[2].kind, EditOp::kMatch);
  EXPECT_EQ(ops[3].kind, EditOp::kInsert);
  EXPECT_EQ(ops[3].b_index, 3u);
}

TEST(EditDistance, CharDistanceCountsCodePoints) {
  EXPECT_EQ(CharDistance("", ""), 0u);
  EXPECT_EQ(CharDistance(",", ""), 1u);
  EXPECT_EQ(CharDistance("،", ","), 1u);  // one Arabic comma vs one ASCII comma
  EXPECT_EQ(CharDistance("kitten", "sitting"), 3u);
}

// Typo pairs: a substitution at its typo cost; the alignment's costs sum to
// the weighted distance; without typo pairs it is the unit-cost distance.
TEST(EditDistance, TypoCosts) {
  TypoCosts typos;
  typos.Add(/*query_key=*/2, /*unit_key=*/20, 0.25);
  EXPECT_DOUBLE_EQ(typos.Cost(2, 20), 0.25);
  EXPECT_DOUBLE_EQ(typos.Cost(3, 20), 1.0);  // a neighbour of another key
  EXPECT_DOUBLE_EQ(typos.Cost(2, 21), 1.0);
  EXPECT_TRUE(typos.Touches(Seq({1, 20})));
  EXPECT_FALSE(typos.Touches(Seq({1, 2})));
  ASSERT_NE(typos.NeighboursOf(2), nullptr);
  EXPECT_EQ(*typos.NeighboursOf(2), std::vector<uint64_t>{20});
  EXPECT_DOUBLE_EQ(WeightedTokenDistance(Seq({1, 2, 3}), Seq({1, 20, 3}), &typos), 0.25);
  EXPECT_DOUBLE_EQ(WeightedTokenDistance(Seq({1, 2, 3}), Seq({1, 20, 3}), nullptr), 1.0);
  EXPECT_DOUBLE_EQ(WeightedTokenDistance(Seq({2, 3}), Seq({1, 20, 3}), &typos), 1.25);
  std::vector<EditOp> ops = AlignTokens(Seq({1, 2, 3}), Seq({1, 20, 3}), &typos);
  ASSERT_EQ(ops.size(), 3u);
  EXPECT_EQ(ops[1].kind, EditOp::kSubstitute);
  std::mt19937 rng(3);
  for (int iter = 0; iter < 2000; ++iter) {
    std::vector<MatchToken> a(rng() % 10), b(rng() % 10);
    for (auto& t : a) t.key = rng() % 4;
    for (auto& t : b) t.key = rng() % 4 + (rng() % 3 == 0 ? 20 : 0);
    TypoCosts tc;
    for (uint64_t k = 0; k < 4; ++k) {
      if (rng() % 2) tc.Add(k, k + 20, 1.0 / (4 + rng() % 5));
    }
    const double w = WeightedTokenDistance(a, b, &tc);
    EXPECT_LE(w, WeightedTokenDistance(a, b, nullptr));
    EXPECT_DOUBLE_EQ(WeightedTokenDistance(a, b, nullptr), FullDistance(a, b));
    double sum = 0;
    for (const EditOp& op : AlignTokens(a, b, &tc)) {
      if (op.kind == EditOp::kSubstitute) sum += tc.Cost(a[op.a_index].key, b[op.b_index].key);
      if (op.kind == EditOp::kInsert || op.kind == EditOp::kDelete) sum += 1;
    }
    EXPECT_NEAR(sum, w, 1e-9);
  }
}

TEST(EditDistance, UnitCostAlignmentsEqualTheWeightedOnesWithoutTypoPairs) {
  // Unit costs align in integers, typo costs in doubles: with no typo pair
  // both give the very same ops, for sequences whose matrix fits on the
  // stack and for longer ones (past 1,024 cells).
  std::mt19937 rng(11);
  const TypoCosts none;
  for (int iter = 0; iter < 3000; ++iter) {
    const size_t most = iter % 10 == 0 ? 60 : 14;
    std::vector<MatchToken> a(rng() % most), b(rng() % most);
    for (auto& t : a) t.key = rng() % 5;
    for (auto& t : b) t.key = rng() % 5;
    const std::vector<EditOp> unit = AlignTokens(a, b), weighted = AlignTokens(a, b, &none);
    ASSERT_EQ(unit.size(), weighted.size());
    uint32_t edits = 0;
    size_t ai = 0, bi = 0;  // every token of each side in exactly one op, in order
    for (size_t k = 0; k < unit.size(); ++k) {
      ASSERT_EQ(unit[k].kind, weighted[k].kind) << iter << " op " << k;
      ASSERT_EQ(unit[k].a_index, weighted[k].a_index);
      ASSERT_EQ(unit[k].b_index, weighted[k].b_index);
      edits += unit[k].kind != EditOp::kMatch;
      if (unit[k].kind != EditOp::kInsert) {
        ASSERT_EQ(unit[k].a_index, ai++);
      }
      if (unit[k].kind != EditOp::kDelete) {
        ASSERT_EQ(unit[k].b_index, bi++);
      }
    }
    EXPECT_EQ(ai, a.size());
    EXPECT_EQ(bi, b.size());
    EXPECT_DOUBLE_EQ(edits, WeightedTokenDistance(a, b, nullptr));
  }
}

TEST(EditDistance, PatternAlignmentsAreAlignTokensOps) {
  // The bit-parallel alignment (queries of up to 64 tokens) against the
  // matrix one: the same ops, 64 tokens and over (the matrix then) included.
  std::mt19937 rng(5);
  for (int iter = 0; iter < 4000; ++iter) {
    const size_t most = iter % 8 == 0 ? 70 : 16;
    std::vector<MatchToken> a(rng() % most), b(rng() % most);
    if (iter % 50 == 0) a.resize(64);
    for (auto& t : a) t.key = rng() % 6;
    for (auto& t : b) t.key = rng() % 6;
    const TokenPattern pattern(a);
    const std::vector<EditOp> fast = pattern.Align(b), full = AlignTokens(a, b);
    ASSERT_EQ(fast.size(), full.size()) << iter;
    for (size_t k = 0; k < fast.size(); ++k) {
      ASSERT_EQ(fast[k].kind, full[k].kind) << iter << " op " << k << " of " << a.size() << "x" << b.size();
      ASSERT_EQ(fast[k].a_index, full[k].a_index);
      ASSERT_EQ(fast[k].b_index, full[k].b_index);
    }
  }
}

}  // namespace
}  // namespace qantara::match
