// HashFilter (storage/hash_filter.h): never "no" for an added hash, rarely
// "maybe" for another, as it grows.
#include "storage/internal/hash_filter.h"

#include <cstdint>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace qantara::storage {
namespace {

TEST(HashFilterTest, EmptyHoldsNothing) {
  HashFilter f;
  EXPECT_FALSE(f.MayContain(0));
  EXPECT_FALSE(f.MayContain(42));
  EXPECT_EQ(f.size(), 0u);
  EXPECT_EQ(f.bytes(), 0u);
}

TEST(HashFilterTest, EveryAddedHashIsFoundAsItGrows) {
  HashFilter f;
  std::mt19937_64 rng(1);
  std::vector<uint64_t> added;
  for (int i = 0; i < 600000; ++i) {
    // Random hashes, and runs of small and of high-bit-only values, which a
    // filter using the raw bits would crowd into a few blocks.
    const uint64_t h = i % 3 == 0 ? rng() : i % 3 == 1 ? uint64_t(i) : uint64_t(i) << 40;
    f.Add(h);
    added.push_back(h);
  }
  for (uint64_t h : added) ASSERT_TRUE(f.MayContain(h)) << h;
  EXPECT_EQ(f.size(), added.size());
  // About 16 bits a hash, whatever the growth steps (at most twice that).
  EXPECT_LE(f.bytes(), added.size() * 4);
  EXPECT_GE(f.bytes(), added.size() * 2);
}

TEST(HashFilterTest, FewFalsePositives) {
  HashFilter f;
  std::mt19937_64 rng(2);
  for (int i = 0; i < 1000000; ++i) f.Add(rng());
  std::mt19937_64 other(3);
  int maybe = 0;
  constexpr int kProbes = 200000;
  for (int i = 0; i < kProbes; ++i) maybe += f.MayContain(other());
  const double rate = double(maybe) / kProbes;
  EXPECT_LT(rate, 0.005) << rate;  // measured: see storage/hash_filter.h
  std::printf("false positives: %.4f%% of %d absent hashes, %zu bytes for %zu hashes\n", 100 * rate, kProbes,
              f.bytes(), f.size());
}

// Reserved room: the hashes go into one part of 16 bits a hash (not a
// doubling series), with the same answers; hashes past it grow it as usual.
TEST(HashFilterTest, ReservedRoomIsOnePart) {
  HashFilter f;
  f.Add(7);  // a first part of its own
  const size_t before = f.bytes();
  f.Reserve(300000);
  EXPECT_EQ(f.bytes(), before + 300000 / 32 * 64);
  std::mt19937_64 rng(4);
  std::vector<uint64_t> added = {7};
  for (int i = 0; i < 300000; ++i) added.push_back(rng());
  for (size_t i = 1; i < added.size(); ++i) f.Add(added[i]);
  EXPECT_EQ(f.bytes(), before + 300000 / 32 * 64);  // nothing grew
  f.Reserve(0);                                     // room enough: nothing added
  EXPECT_EQ(f.bytes(), before + 300000 / 32 * 64);
  f.Add(8);  // full: grows
  added.push_back(8);
  EXPECT_GT(f.bytes(), before + 300000 / 32 * 64);
  for (uint64_t h : added) ASSERT_TRUE(f.MayContain(h)) << h;
  std::mt19937_64 other(5);
  int maybe = 0;
  for (int i = 0; i < 100000; ++i) maybe += f.MayContain(other());
  EXPECT_LT(maybe, 500);
}

}  // namespace
}  // namespace qantara::storage
