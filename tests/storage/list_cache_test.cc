// ShardedListCache (storage/internal/list_cache.h): a list cache in parts,
// each with its own lock. Lists found are the lists inserted, the budget is
// charged exactly what the parts hold, CLOCK spares lists used since they
// were cached, and threads finding, filling and evicting at once (run under
// TSan in CI) leave it consistent.
#include "storage/internal/list_cache.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <random>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "storage/internal/index_entries.h"

namespace qantara::storage {
namespace {

using internal::CacheBudget;
using internal::ShardedListCache;
using Cache = ShardedListCache<PostingId, match::PostingList>;

PostingId Key(uint64_t k) {
  return PostingId{k, static_cast<uint32_t>(k % 7 + 1), static_cast<uint8_t>(k % 2)};
}

// The list cached for key k: ids that say which key they are for.
std::shared_ptr<match::PostingList> ListFor(uint64_t k) {
  return std::make_shared<match::PostingList>(match::PostingList::FromIds({k, k + 1, k + 1000}));
}

bool IsListFor(const match::PostingList& list, uint64_t k) {
  return list.ToVector() == std::vector<uint64_t>{k, k + 1, k + 1000};
}

TEST(ShardedListCacheTest, FindsWhatWasInsertedAndChargesTheBudget) {
  auto budget = std::make_shared<CacheBudget>(64 << 20);
  Cache cache(budget);
  EXPECT_TRUE(cache.empty());
  EXPECT_EQ(cache.Find(Key(5)), nullptr);
  for (uint64_t k = 0; k < 1000; ++k) cache.Insert(Key(k), ListFor(k));
  EXPECT_EQ(cache.size(), 1000u);
  EXPECT_EQ(budget->used(), cache.bytes());
  EXPECT_GT(cache.bytes(), 1000u * sizeof(match::PostingList));
  for (uint64_t k = 0; k < 1000; ++k) {
    auto found = cache.Find(Key(k));
    ASSERT_NE(found, nullptr) << k;
    EXPECT_TRUE(IsListFor(*found, k)) << k;
    EXPECT_TRUE(cache.Contains(Key(k)));
  }
  EXPECT_FALSE(cache.Contains(Key(1000)));
  // A second insert of a key keeps the first list.
  auto first = cache.Find(Key(3));
  EXPECT_EQ(cache.Insert(Key(3), ListFor(4)), first);
  EXPECT_TRUE(IsListFor(*cache.Find(Key(3)), 3));
  // Update changes the cached list in place and charges its growth.
  const uint64_t before = cache.bytes();
  cache.Update(Key(3), [](match::PostingList& l) {
    for (uint64_t id = 2000; id < 2300; ++id) l.Insert(id);
  });
  EXPECT_EQ(cache.Find(Key(3))->size(), 303u);
  EXPECT_GT(cache.bytes(), before);
  EXPECT_EQ(budget->used(), cache.bytes());
  // Replace puts a new list in place of the cached one (a reader holding
  // the old one keeps it) and charges the difference; of a key not cached,
  // it inserts.
  auto held = cache.Find(Key(3));
  const uint64_t grown = cache.bytes();
  EXPECT_TRUE(IsListFor(*cache.Replace(Key(3), ListFor(3)), 3));
  EXPECT_TRUE(IsListFor(*cache.Find(Key(3)), 3));
  EXPECT_EQ(held->size(), 303u);
  EXPECT_LT(cache.bytes(), grown);
  EXPECT_EQ(budget->used(), cache.bytes());
  EXPECT_TRUE(IsListFor(*cache.Replace(Key(1000), ListFor(1000)), 1000));
  EXPECT_EQ(cache.size(), 1001u);
  EXPECT_EQ(budget->used(), cache.bytes());
  cache.Clear();
  EXPECT_TRUE(cache.empty());
  EXPECT_EQ(budget->used(), 0u);
}

// The warm-up's end makes each part room for twice its lists (so that no
// lookup pays for a part's growth): nothing held changes, and the lists
// inserted after it, evictions included, behave as before.
TEST(ShardedListCacheTest, RoomForGrowthKeepsEveryListAndItsCharge) {
  auto budget = std::make_shared<CacheBudget>(64 << 20);
  Cache cache(budget);
  for (uint64_t k = 0; k < 3000; ++k) cache.Insert(Key(k), ListFor(k));
  const uint64_t bytes = cache.bytes();
  cache.ReserveForGrowth();
  EXPECT_EQ(cache.size(), 3000u);
  EXPECT_EQ(cache.bytes(), bytes);
  EXPECT_EQ(budget->used(), bytes);
  for (size_t i = 0; i < Cache::kShards; ++i) {
    EXPECT_GE(cache.PartRoom(i), 2 * cache.PartSize(i)) << "part " << i;
  }
  for (uint64_t k = 0; k < 3000; ++k) {
    auto found = cache.Find(Key(k));
    ASSERT_NE(found, nullptr) << k;
    EXPECT_TRUE(IsListFor(*found, k)) << k;
  }
  for (uint64_t k = 3000; k < 6000; ++k) cache.Insert(Key(k), ListFor(k));
  EXPECT_EQ(cache.size(), 6000u);
  EXPECT_GE(cache.Evict(cache.bytes() / 2), bytes / 2);
  EXPECT_EQ(budget->used(), cache.bytes());
  for (uint64_t k = 0; k < 6000; ++k) {
    if (auto found = cache.Find(Key(k)); found != nullptr) EXPECT_TRUE(IsListFor(*found, k)) << k;
  }
}

TEST(ShardedListCacheTest, ListsAreSpreadOverTheParts) {
  // One part holding them all would be one lock again: with 16 parts and
  // 1,600 keys, none holds more than twice its share.
  auto budget = std::make_shared<CacheBudget>(64 << 20);
  Cache cache(budget);
  for (uint64_t k = 0; k < 1600; ++k) cache.Insert(Key(k * 131), ListFor(k));
  uint64_t total = cache.bytes(), largest = 0;
  for (size_t i = 0; i < Cache::kShards; ++i) {
    const uint64_t part = cache.PartBytes(i);
    largest = std::max(largest, part);
  }
  EXPECT_LE(largest, 2 * total / Cache::kShards);
}

TEST(ShardedListCacheTest, EvictionSparesListsUsedSinceTheyWereCached) {
  auto budget = std::make_shared<CacheBudget>(64 << 20);
  Cache cache(budget);
  for (uint64_t k = 0; k < 4000; ++k) cache.Insert(Key(k), ListFor(k));
  for (uint64_t k = 0; k < 4000; k += 2) ASSERT_NE(cache.Find(Key(k)), nullptr);
  const uint64_t held = cache.bytes();
  const uint64_t freed = cache.Evict(held / 4);
  EXPECT_GE(freed, held / 4);
  EXPECT_EQ(budget->used(), cache.bytes());
  EXPECT_EQ(cache.bytes(), held - freed);
  size_t gone = 0;
  for (uint64_t k = 0; k < 4000; ++k) {
    if (cache.Contains(Key(k))) continue;
    ++gone;
    EXPECT_EQ(k % 2, 1u) << "list " << k << " was used since it was cached, yet evicted first";
  }
  EXPECT_GT(gone, 0u);
  // Asked for more than the unused lists hold: the used ones go too.
  EXPECT_GE(cache.Evict(cache.bytes()), held - freed - held / 64);
  EXPECT_LE(cache.size(), 40u);
  EXPECT_EQ(budget->used(), cache.bytes());
}

TEST(ShardedListCacheTest, ConcurrentFindsFillsAndEvictionsStayConsistent) {
  auto budget = std::make_shared<CacheBudget>(64 << 20);
  Cache cache(budget);
  std::atomic<uint64_t> wrong{0}, hits{0}, fills{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937_64 rng(t + 1);
      for (int i = 0; i < 20000; ++i) {
        const uint64_t k = rng() % 3000;
        if (auto found = cache.Find(Key(k)); found != nullptr) {
          hits.fetch_add(1);
          if (!IsListFor(*found, k)) wrong.fetch_add(1);
        } else {
          fills.fetch_add(1);
          auto cached = cache.Insert(Key(k), ListFor(k));
          if (!IsListFor(*cached, k)) wrong.fetch_add(1);
        }
        if (t == 0 && i % 500 == 0) cache.Evict(cache.bytes() / 3);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0u);
  EXPECT_GT(hits.load(), 0u);
  EXPECT_GT(fills.load(), 3000u);  // evicted lists were filled again
  EXPECT_EQ(budget->used(), cache.bytes());
  EXPECT_LE(cache.size(), 3000u);
}

}  // namespace
}  // namespace qantara::storage
