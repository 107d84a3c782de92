// The bounded posting and exact caches (MemoryStoreOptions::cache_bytes):
// many distinct lookups keep them within the budget, shared by all memories,
// and lists evicted and read again (RocksDB plus the index buffer) give the
// lookups the exhaustive scan gives, after adds (buffered or written),
// updates and deletes of units whose lists were evicted, and while other
// threads evict the lists a lookup holds.
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "service/base/low_priority.h"
#include "service/tm/memories.h"
#include "tests/storage/memory_store_test_util.h"

namespace qantara::storage {
namespace {

using testing::MemoryStoreTest;
using testing::RandomSentence;
using testing::RandomSentences;
using testing::U;

class CacheBudgetTest : public MemoryStoreTest {
 protected:
  void SetUp() override {
    options_.cache_bytes = 16 << 10;     // a few dozen lists
    options_.index_buffer_units = 150;   // some adds written, the last ones buffered
    options_.index_file_min_units = 50;  // written as files and as batches
    Reopen();
  }

  StoreStats Stats() {
    auto st = memories_->Stats();
    EXPECT_TRUE(st.ok()) << st.status();
    return st.ok() ? *st : StoreStats{};
  }

  // `n` random queries (some with words no unit has) at thresholds 1 and 70:
  // indexed lookups equal the exhaustive scan, the caches stay in budget.
  void Lookups(const std::string& mem, std::mt19937& rng, int n) {
    for (int i = 0; i < n; ++i) {
      std::string q = RandomSentence(rng);
      if (i % 5 == 0) q += " unknown" + std::to_string(i);
      ExpectIndexedEqualsExhaustive(mem, q, i % 2 == 0 ? 1 : 70);
      const StoreStats st = Stats();
      ASSERT_LE(st.cached_bytes, st.cache_budget_bytes) << "after query " << i;
    }
  }
};

TEST_F(CacheBudgetTest, StaysInBudgetAndRereadsEvictedListsRight) {
  std::mt19937 rng(7);
  Create("m");
  const std::vector<Unit> added = RandomSentences(rng, 400);
  Add("m", added);  // 2 buffer writes, 100 units left buffered
  ASSERT_EQ(Stats().cache_budget_bytes, 16u << 10);
  Lookups("m", rng, 150);
  // Exact lists are read only for a source hash some unit has (the exact
  // path of a query equal to a unit's source; a random query's is known
  // absent from memory): the units' own sources.
  for (size_t i = 0; i < 40; ++i) ExpectIndexedEqualsExhaustive("m", added[i * 10].source, 70);
  StoreStats st = Stats();
  EXPECT_GT(st.cached_postings, 0u);
  EXPECT_GT(st.cached_exact, 0u);
  EXPECT_GT(st.cache_evictions, 0u);  // the lists read are far more than the budget holds
  EXPECT_GT(st.cache_misses, 0u);
  EXPECT_GT(st.cache_hits, 0u);
  EXPECT_GT(st.cached_bytes, 0u);

  // Writes that change the lists of queries looked up just before (some of
  // their lists still cached, some evicted): the units written are the
  // queries' best matches, so a list missing a change changes the results.
  std::vector<std::string> queries;
  for (int i = 0; i < 24; ++i) queries.push_back(RandomSentence(rng));
  auto check = [&](const char* after) {
    SCOPED_TRACE(after);
    for (const std::string& q : queries) {
      ExpectIndexedEqualsExhaustive("m", q, 70);
      ExpectIndexedEqualsExhaustive("m", q, 1);
    }
    const StoreStats now = Stats();
    ASSERT_LE(now.cached_bytes, now.cache_budget_bytes);
  };
  for (int round = 0; round < 4; ++round) {
    SCOPED_TRACE(round);
    check("lookups");
    std::vector<Unit> units;
    for (int i = 0; i < 8; ++i) {
      const std::string& q = queries[(round * 8 + i) % queries.size()];
      units.push_back(U(q, "exact " + std::to_string(round)));
      units.push_back(U(q + " w" + std::to_string(i), "near " + std::to_string(round)));
    }
    auto added = Add("m", units);  // buffered (and a write every 150 units)
    ASSERT_EQ(added.size(), 16u);
    check("adds");
    for (int i = 0; i < 6; ++i) {
      // The best match of one query becomes another query's text.
      auto best = Find("m", queries[(round * 5 + i) % queries.size()], 1);
      ASSERT_FALSE(best.matches.empty());
      Unit u = U(queries[(round * 5 + i + 11) % queries.size()], "updated");
      u.id = best.matches[0].unit.id;
      ASSERT_TRUE(memories_->UpdateUnit("m", u).ok());
    }
    check("updates");
    std::vector<uint64_t> gone;
    for (int i = 0; i < 6; ++i) {
      auto best = Find("m", queries[(round * 3 + i) % queries.size()], 1);
      ASSERT_FALSE(best.matches.empty());
      gone.push_back(best.matches[0].unit.id);
    }
    ASSERT_TRUE(memories_->DeleteUnits("m", gone).ok());
    check("deletes");
  }
  // Once the buffer is written, lists read again hold the same.
  ASSERT_TRUE(memories_->WaitForIndexWrites().ok());
  Lookups("m", rng, 30);
  EXPECT_GT(Stats().cache_evictions, st.cache_evictions);
}

// A frequent word's cached list through many writes: adds and deletes of
// units that have it change the cached compact list in place (its delta,
// folded into the list once it holds a sixteenth of it, 64 changes at
// least); lookups equal the exhaustive scan before, between and after the
// folds, with nothing evicted (so no list is simply read again).
TEST_F(CacheBudgetTest, CachedListOfAFrequentWordFollowsManyWrites) {
  options_.cache_bytes = 64 << 20;
  Reopen();
  Create("m");
  // Four words each: every unit is in the list of ("common", 4).
  auto unit = [](int i, const std::string& tag) {
    return U("common w" + std::to_string(i) + " x" + std::to_string(i % 7) + " y" + std::to_string(i % 13),
             tag + std::to_string(i));
  };
  std::vector<Unit> first;
  for (int i = 0; i < 300; ++i) first.push_back(unit(i, "t"));
  std::vector<uint64_t> ids;
  for (const AddOutcome& o : Add("m", first)) ids.push_back(o.id);
  ASSERT_EQ(ids.size(), 300u);
  ASSERT_TRUE(memories_->WaitForIndexWrites().ok());
  auto check = [&](const std::string& after) {
    SCOPED_TRACE(after);
    for (int q : {3, 150, 299, 330, 450, 599, 700}) {
      ExpectIndexedEqualsExhaustive(
          "m", "common w" + std::to_string(q) + " x" + std::to_string(q % 7) + " y1", 50);
    }
    // Ties on score go to the newest units: a list that missed an add or
    // a delete changes this top 5.
    ExpectIndexedEqualsExhaustive("m", "common x2 y5 zz", 1);
    ExpectIndexedEqualsExhaustive("m", "common x4 y0", 1);
  };
  check("the first load");
  ASSERT_GT(Stats().cached_postings, 0u);
  for (int round = 0; round < 6; ++round) {
    std::vector<Unit> more;
    for (int i = 0; i < 70; ++i) more.push_back(unit(300 + round * 70 + i, "r"));
    for (const AddOutcome& o : Add("m", more)) ids.push_back(o.id);
    check("adds of round " + std::to_string(round));
    std::vector<uint64_t> gone;
    for (int i = 0; i < 25; ++i) gone.push_back(ids[round * 40 + i]);
    ASSERT_TRUE(memories_->DeleteUnits("m", gone).ok());
    check("deletes of round " + std::to_string(round));
  }
  EXPECT_EQ(Stats().cache_evictions, 0u);
}

// One budget for all memories: lookups in two memories keep their caches
// together within it; a budget of 0 caches nothing and lookups stay right.
TEST_F(CacheBudgetTest, BudgetIsSharedByMemoriesAndZeroCachesNothing) {
  std::mt19937 rng(11);
  Create("a");
  Create("b");
  Add("a", RandomSentences(rng, 250));
  Add("b", RandomSentences(rng, 250));
  for (int i = 0; i < 40; ++i) Lookups(i % 2 == 0 ? "a" : "b", rng, 2);
  EXPECT_GT(Stats().cache_evictions, 0u);

  options_.cache_bytes = 0;
  Reopen();
  Lookups("a", rng, 20);
  const StoreStats st = Stats();
  EXPECT_EQ(st.cached_bytes, 0u);
  EXPECT_EQ(st.cached_postings, 0u);
  EXPECT_GT(st.cache_evictions, 0u);
}

// Threads looking up two memories evict the lists the others hold: every
// lookup still gives what it gave alone.
TEST_F(CacheBudgetTest, EvictionUnderConcurrentLookupsKeepsResults) {
  std::mt19937 rng(13);
  Create("a");
  Create("b");
  Add("a", RandomSentences(rng, 300));
  Add("b", RandomSentences(rng, 300));
  std::vector<std::string> queries;
  for (int i = 0; i < 40; ++i) queries.push_back(RandomSentence(rng));
  std::vector<std::vector<uint64_t>> expected[2];
  for (int m = 0; m < 2; ++m) {
    for (const std::string& q : queries) {
      std::vector<uint64_t> ids;
      for (const auto& hit : Find(m == 0 ? "a" : "b", q, 1, /*exhaustive=*/true).matches)
        ids.push_back(hit.unit.id);
      expected[m].push_back(ids);
    }
  }
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      const int m = t % 2;
      for (int round = 0; round < 3; ++round) {
        for (size_t i = 0; i < queries.size(); ++i) {
          tm::LookupRequest req;
          req.memories = {m == 0 ? "a" : "b"};
          req.text = queries[(i + t * 7) % queries.size()];
          req.options.threshold = 1;
          auto r = memories_->Lookup(req);
          std::vector<uint64_t> ids;
          if (r.ok()) {
            for (const auto& hit : r->matches) ids.push_back(hit.unit.id);
          }
          if (!r.ok() || ids != expected[m][(i + t * 7) % queries.size()]) ++mismatches;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
  EXPECT_GT(Stats().cache_evictions, 0u);
  EXPECT_LE(Stats().cached_bytes, Stats().cache_budget_bytes);
}

// Lookups on a low-priority thread (a client over its CPU share, a heavy
// call) read through the caches without filling them: a random-word flood
// cannot evict the honest lookups' lists. Their results are the same.
TEST_F(CacheBudgetTest, LowPriorityLookupsDoNotFillTheCaches) {
  options_.cache_bytes = 64 << 20;  // room for everything: only fills count
  Reopen();
  std::mt19937 rng(11);
  Create("m");
  Add("m", RandomSentences(rng, 300));
  std::vector<std::string> queries;
  for (int i = 0; i < 40; ++i) queries.push_back(RandomSentence(rng));
  const StoreStats before = Stats();
  std::thread slow([&] {
    LowerThisThreadPriority();
    for (const std::string& q : queries) ExpectIndexedEqualsExhaustive("m", q, 50);
  });
  slow.join();
  const StoreStats after_slow = Stats();
  EXPECT_EQ(after_slow.cached_postings, before.cached_postings);
  EXPECT_EQ(after_slow.cached_bytes, before.cached_bytes);
  for (const std::string& q : queries) ExpectIndexedEqualsExhaustive("m", q, 50);
  EXPECT_GT(Stats().cached_postings, before.cached_postings);  // the same lookups at normal priority
}

}  // namespace
}  // namespace qantara::storage
