// The unit-key caches' budget (MemoryStoreOptions::key_cache_bytes): the
// warm-up holds a memory's keys whole only when they fit, a memory that does
// not fit has none held and its lookups read the keys from RocksDB with the
// same answers, writes that grow a complete cache past the budget drop it,
// and keys read on demand never take the caches past it.
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "service/tm/memories.h"
#include "tests/storage/memory_store_test_util.h"

namespace qantara::storage {
namespace {

using testing::MemoryStoreTest;
using testing::RandomSentence;
using testing::RandomSentences;
using testing::U;

class KeyBudgetTest : public MemoryStoreTest {
 protected:
  StoreStats Stats() {
    auto st = memories_->Stats();
    EXPECT_TRUE(st.ok()) << st.status();
    return st.ok() ? *st : StoreStats{};
  }

  void ReopenWarm(uint64_t key_cache_bytes) {
    options_.key_cache_bytes = key_cache_bytes;
    Reopen();
    memories_->StartWarmUp();
    memories_->WaitForWarmUp();
  }

  // Indexed lookups (thresholds 1 and 70) equal the exhaustive scan.
  void Lookups(const std::string& mem, std::mt19937& rng, int n) {
    for (int i = 0; i < n; ++i) ExpectIndexedEqualsExhaustive(mem, RandomSentence(rng), i % 2 == 0 ? 1 : 70);
  }
};

// The same memory with every unit's keys held and with none: the same
// answers; Stats says which.
TEST_F(KeyBudgetTest, AMemoryThatDoesNotFitIsReadFromDiskWithTheSameAnswers) {
  std::mt19937 rng(5);
  Create("m");
  Add("m", RandomSentences(rng, 600));
  std::vector<std::string> queries;
  for (int i = 0; i < 40; ++i) queries.push_back(RandomSentence(rng));

  ReopenWarm(64 << 20);
  StoreStats st = Stats();
  EXPECT_EQ(st.cached_unit_keys, 600u);
  EXPECT_EQ(st.memories_keys_uncached, 0u);
  EXPECT_EQ(st.key_cache_budget_bytes, 64u << 20);
  std::vector<match::LookupResult> held;
  for (const std::string& q : queries) held.push_back(Find("m", q, 50));

  ReopenWarm(16 << 10);  // far less than 600 units' keys
  st = Stats();
  EXPECT_EQ(st.cached_unit_keys, 0u);
  EXPECT_EQ(st.memories_keys_uncached, 1u);
  for (size_t i = 0; i < queries.size(); ++i) {
    SCOPED_TRACE(queries[i]);
    const match::LookupResult r = Find("m", queries[i], 50);
    ASSERT_EQ(r.matches.size(), held[i].matches.size());
    for (size_t j = 0; j < r.matches.size(); ++j) {
      EXPECT_EQ(r.matches[j].unit.id, held[i].matches[j].unit.id);
      EXPECT_EQ(r.matches[j].score, held[i].matches[j].score);
    }
  }
  Lookups("m", rng, 20);  // exhaustive scans read RocksDB: same answers
  // Nothing was cached by those reads either.
  EXPECT_EQ(Stats().cached_unit_keys, 0u);

  // Writes to it: seen by the next lookup, still nothing held.
  auto added = Add("m", {U("a brand new sentence", "t")});
  EXPECT_EQ(Find("m", "a brand new sentence", 100).matches.at(0).unit.id, added[0].id);
  EXPECT_EQ(Stats().cached_unit_keys, 0u);
}

// A budget that holds the memory at the warm-up; adds grow it past the
// budget: the cache is dropped (not kept growing) and lookups stay right.
TEST_F(KeyBudgetTest, WritesThatOutgrowTheBudgetDropTheCache) {
  std::mt19937 rng(9);
  Create("m");
  Add("m", RandomSentences(rng, 200));
  ReopenWarm(200 << 10);
  StoreStats st = Stats();
  ASSERT_EQ(st.cached_unit_keys, 200u);
  ASSERT_EQ(st.memories_keys_uncached, 0u);
  uint64_t units = 200;
  for (int round = 0; round < 20 && Stats().memories_keys_uncached == 0; ++round) {
    Add("m", RandomSentences(rng, 100));
    units += 100;
    // Whole or nothing.
    const uint64_t held = Stats().cached_unit_keys;
    ASSERT_TRUE(held == units || held == 0) << held << " of " << units;
  }
  st = Stats();
  EXPECT_EQ(st.memories_keys_uncached, 1u);
  EXPECT_EQ(st.cached_unit_keys, 0u);
  Lookups("m", rng, 20);
  // Updates and deletes of a memory read from disk.
  auto best = Find("m", "w1 w2 w3", 1);
  ASSERT_FALSE(best.matches.empty());
  Unit u = U("w1 w2 w3", "updated");
  u.id = best.matches[0].unit.id;
  ASSERT_TRUE(memories_->UpdateUnit("m", u).ok());
  EXPECT_EQ(Find("m", "w1 w2 w3", 100).matches.at(0).unit.id, u.id);
  ASSERT_TRUE(memories_->DeleteUnits("m", {u.id}).ok());
  EXPECT_TRUE(Find("m", "w1 w2 w3", 100).matches.empty());
  Lookups("m", rng, 10);
}

// A memory read from disk holds every unit's sketch (none when its keys are
// held), kept current by updates, deletes and adds: a unit updated to
// other words is found by a fuzzy lookup of its new words (a stale sketch
// would pass over it), and the answers stay the exhaustive ones.
TEST_F(KeyBudgetTest, SketchesOfAMemoryReadFromDiskFollowItsWrites) {
  std::mt19937 rng(13);
  Create("m");
  auto added = Add("m", RandomSentences(rng, 600));
  ReopenWarm(64 << 20);
  EXPECT_EQ(Stats().sketched_units, 0u);  // its keys are held: no sketch
  ReopenWarm(16 << 10);
  StoreStats st = Stats();
  ASSERT_EQ(st.memories_keys_uncached, 1u);
  EXPECT_EQ(st.sketched_units, 600u);
  EXPECT_GE(st.sketch_bytes, 600u * 2 * 4);
  EXPECT_LE(st.sketch_bytes, st.cached_unit_keys_bytes);
  for (int i = 0; i < 40; ++i) {
    Unit u = U("zq" + std::to_string(i) + " " + RandomSentence(rng), "updated");
    u.id = added[rng() % added.size()].id;
    ASSERT_TRUE(memories_->UpdateUnit("m", u).ok());
    const match::LookupResult r = Find("m", u.source + " extra", 50);
    ASSERT_FALSE(r.matches.empty()) << u.source;
    EXPECT_EQ(r.matches[0].unit.id, u.id) << u.source;
    ExpectIndexedEqualsExhaustive("m", u.source + " extra", 50);
  }
  EXPECT_EQ(Stats().sketched_units, 600u);
  std::vector<uint64_t> gone;
  for (int i = 0; i < 50; ++i) gone.push_back(added[i].id);
  ASSERT_TRUE(memories_->DeleteUnits("m", gone).ok());
  EXPECT_EQ(Stats().sketched_units, 550u);
  Add("m", RandomSentences(rng, 30));
  EXPECT_EQ(Stats().sketched_units, 580u);
  Lookups("m", rng, 20);
}

// Lookups filling another memory's keys on demand leave room for the
// writes of a complete cache: an add to it does not drop it.
TEST_F(KeyBudgetTest, OnDemandFillsDoNotDropAnotherMemorysCompleteCache) {
  std::mt19937 rng(21);
  Create("a");
  Add("a", RandomSentences(rng, 150));
  ReopenWarm(256 << 10);
  ASSERT_EQ(Stats().cached_unit_keys, 150u);
  Create("b");
  Add("b", RandomSentences(rng, 1500));  // more than the budget holds
  for (int i = 0; i < 40; ++i) Find("b", RandomSentence(rng), 1);
  StoreStats st = Stats();
  ASSERT_GT(st.cached_unit_keys, 150u);  // b's keys were cached too
  ASSERT_LT(st.cached_unit_keys, 1650u);
  for (int i = 0; i < 5; ++i) Add("a", {U("one more unit " + std::to_string(i), "t")});
  st = Stats();
  EXPECT_EQ(st.memories_keys_uncached, 0u);
  // A second warm-up leaves a's complete cache as it is and finds that b's
  // keys do not fit: b's are dropped.
  memories_->StartWarmUp();
  memories_->WaitForWarmUp();
  st = Stats();
  EXPECT_EQ(st.memories_keys_uncached, 1u);
  EXPECT_EQ(st.cached_unit_keys, 155u);
  Lookups("a", rng, 10);
  Lookups("b", rng, 10);
}

// A memory created since the open (no warm-up): lookups cache the keys
// they read only while the budget has room.
TEST_F(KeyBudgetTest, KeysReadOnDemandStayWithinTheBudget) {
  std::mt19937 rng(3);
  const std::vector<Unit> units = RandomSentences(rng, 500);
  std::vector<std::string> queries;
  for (int i = 0; i < 30; ++i) queries.push_back(RandomSentence(rng));
  for (uint64_t budget : {uint64_t{64} << 20, uint64_t{24} << 10}) {
    SCOPED_TRACE(budget);
    options_.key_cache_bytes = budget;
    Reopen();
    const std::string mem = "m" + std::to_string(budget);
    Create(mem);
    Add(mem, units);
    for (const std::string& q : queries) Find(mem, q, 1);
    const StoreStats st = Stats();
    if (budget > (1 << 20)) {
      // The lookups at threshold 1 read most units' keys, and the cache
      // holds them all: a unit tied at the k-th score whose date cannot win
      // is not read (IndexView::ChangedBounds), nor one whose sketch cannot
      // reach the k-th match (the memory's keys are not all held, so it
      // has every unit's sketch).
      EXPECT_GE(st.cached_unit_keys, 300u);
      EXPECT_LE(st.cached_unit_keys, 500u);
      EXPECT_EQ(st.sketched_units, 500u);
    } else {
      EXPECT_GT(st.cached_unit_keys, 0u);
      EXPECT_LT(st.cached_unit_keys, 250u);  // 24 KiB hold fewer than 250 (over 100 bytes each)
    }
    Lookups(mem, rng, 10);
  }
}

}  // namespace
}  // namespace qantara::storage
