// KeySketches: units' token keys folded to 16 bits by blocks of 256 ids.
// Random sets (longer, shorter, empty sides), erases and replacements agree
// with a plain map; a unit too long for its block stays unknown; sparse ids
// up to the largest a unit can keep; the bytes go down again with erases.
#include "storage/internal/key_sketches.h"

#include <map>
#include <random>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "storage/limits.h"

namespace qantara::storage::internal {
namespace {

match::UnitKeys Keys(std::mt19937_64& rng, size_t n_source, size_t n_target) {
  match::UnitKeys k;
  for (size_t i = 0; i < n_source; ++i) k.source.tokens.push_back(match::MatchToken{rng(), 0, 0});
  for (size_t i = 0; i < n_target; ++i) k.target.tokens.push_back(match::MatchToken{rng(), 0, 0});
  return k;
}

std::vector<uint16_t> SketchOfSide(const match::SideKey& k) {
  std::vector<uint16_t> out;
  for (const auto& t : k.tokens) out.push_back(match::SketchOf(t.key));
  return out;
}

TEST(KeySketchesTest, RandomSetsAndErasesAgreeWithAMap) {
  std::mt19937_64 rng(3);
  KeySketches sketches;
  std::map<uint64_t, std::pair<std::vector<uint16_t>, std::vector<uint16_t>>> model;
  // Ids in three blocks and a sparse one near the largest kept id.
  const std::vector<uint64_t> bases = {0, 256, 1024, kMaxUnitId - 300};
  std::vector<uint16_t> got;
  for (int step = 0; step < 20000; ++step) {
    const uint64_t id = bases[rng() % bases.size()] + rng() % 300;
    if (rng() % 4 == 0) {
      sketches.Erase(id);
      model.erase(id);
    } else {
      const match::UnitKeys k = Keys(rng, rng() % 30, rng() % 12 == 0 ? 0 : rng() % 40);
      sketches.Set(id, k);
      model[id] = {SketchOfSide(k.source), SketchOfSide(k.target)};
    }
    if (step % 97 == 0 || step > 19900) {
      for (uint64_t base : bases) {
        for (uint64_t id2 = base; id2 < base + 300; ++id2) {
          auto it = model.find(id2);
          for (match::Side side : {match::Side::kSource, match::Side::kTarget}) {
            const bool known = sketches.Get(id2, side, &got);
            ASSERT_EQ(known, it != model.end()) << "id " << id2 << " step " << step;
            if (known) {
              ASSERT_EQ(got, side == match::Side::kSource ? it->second.first : it->second.second)
                  << "id " << id2 << " step " << step;
            }
          }
        }
      }
      ASSERT_EQ(sketches.units(), model.size());
    }
  }
}

TEST(KeySketchesTest, AUnitTooLongForItsBlockIsUnknown) {
  std::mt19937_64 rng(4);
  KeySketches sketches;
  std::vector<uint16_t> got;
  // Alone: more than 65,535 tokens.
  sketches.Set(7, Keys(rng, 40000, 30000));
  EXPECT_FALSE(sketches.Get(7, match::Side::kSource, &got));
  EXPECT_EQ(sketches.units(), 0u);
  // Beside others of its block: the block's array would overflow.
  for (uint64_t id = 0; id < 100; ++id) sketches.Set(id, Keys(rng, 300, 300));  // 60,000 tokens
  sketches.Set(100, Keys(rng, 3000, 3000));
  EXPECT_FALSE(sketches.Get(100, match::Side::kTarget, &got));
  EXPECT_TRUE(sketches.Get(99, match::Side::kTarget, &got));
  EXPECT_EQ(got.size(), 300u);
  // A unit that had a sketch and grows too long loses it (never stale).
  sketches.Set(5, Keys(rng, 7000, 0));  // 60,000 - 600 + 7,000 tokens
  EXPECT_FALSE(sketches.Get(5, match::Side::kSource, &got));
  EXPECT_EQ(sketches.units(), 99u);
  // In the next block it fits.
  sketches.Set(300, Keys(rng, 3000, 3000));
  EXPECT_TRUE(sketches.Get(300, match::Side::kSource, &got));
  EXPECT_EQ(got.size(), 3000u);
}

TEST(KeySketchesTest, BytesFollowTheUnitsHeld) {
  std::mt19937_64 rng(5);
  KeySketches sketches;
  const uint64_t empty = sketches.bytes();
  for (uint64_t id = 1; id <= 10000; ++id) sketches.Set(id, Keys(rng, 8, 10));
  const uint64_t full = sketches.bytes();
  // 18 tokens of 2 bytes a unit, plus the blocks' offsets (4 bytes a unit).
  EXPECT_GE(full, empty + 10000 * 40);
  EXPECT_LE(full, empty + 10000 * 120);
  sketches.Shrink();
  EXPECT_LE(sketches.bytes(), full);
  EXPECT_LE(sketches.bytes(), empty + 10000 * 60);
  for (uint64_t id = 1; id <= 10000; ++id) sketches.Erase(id);
  EXPECT_EQ(sketches.units(), 0u);
  EXPECT_LE(sketches.bytes(), empty + 64 * 40);  // the map's slots only
}

}  // namespace
}  // namespace qantara::storage::internal
