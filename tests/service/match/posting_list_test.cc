// PostingList: round trips at block edges, Cursor::Contains against a binary
// search for ascending probes, writers' inserts and erases (the delta and
// its folding) against a std::set, and the bytes an id of a dense list.
#include "service/match/posting_list.h"

#include <algorithm>
#include <random>
#include <set>
#include <vector>

#include "gtest/gtest.h"

namespace qantara::match {
namespace {

std::vector<uint64_t> RandomIds(std::mt19937_64& rng, size_t n, uint64_t gap) {
  std::set<uint64_t> s;
  uint64_t id = 1 + rng() % 100;
  while (s.size() < n) s.insert(id += 1 + rng() % gap);
  return {s.begin(), s.end()};
}

std::vector<uint64_t> Runs(const PostingList& l) {
  std::vector<uint64_t> out;
  l.ForEachRun([&](const uint64_t* ids, size_t n) { out.insert(out.end(), ids, ids + n); });
  return out;
}

// Every id of `want` by Contains and a cursor, probes between them refused.
void ExpectSame(const PostingList& l, const std::vector<uint64_t>& want, std::mt19937_64& rng) {
  ASSERT_EQ(l.size(), want.size());
  EXPECT_EQ(l.empty(), want.empty());
  EXPECT_EQ(l.ToVector(), want);
  EXPECT_EQ(Runs(l), want);
  std::vector<uint64_t> probes;
  const uint64_t top = want.empty() ? 1000 : want.back() + 10;
  for (int i = 0; i < 400; ++i)
    probes.push_back(!want.empty() && rng() % 2 ? want[rng() % want.size()] : rng() % top);
  std::sort(probes.begin(), probes.end());
  PostingList::Cursor c(l);
  for (uint64_t p : probes) {
    const bool in = std::binary_search(want.begin(), want.end(), p);
    ASSERT_EQ(c.Contains(p), in) << "cursor, id " << p;
    ASSERT_EQ(l.Contains(p), in) << "id " << p;
  }
}

TEST(PostingListTest, RoundTripsAtBlockEdges) {
  std::mt19937_64 rng(1);
  for (size_t n : {0, 1, 63, 64, 65, 128, 129, 1000}) {
    for (uint64_t gap : {1ull, 3ull, 200ull, 1ull << 40, 1ull << 62}) {
      const std::vector<uint64_t> ids = RandomIds(rng, n, gap);
      SCOPED_TRACE(testing::Message() << n << " ids, gap " << gap);
      ExpectSame(PostingList::FromIds(ids), ids, rng);
    }
  }
}

TEST(PostingListTest, CursorAgreesWithBinarySearch) {
  std::mt19937_64 rng(2);
  for (int round = 0; round < 200; ++round) {
    const size_t n = rng() % 5000;
    const uint64_t gap = 1 + rng() % (round % 2 ? 4 : 1000);
    const std::vector<uint64_t> ids = RandomIds(rng, n, gap);
    SCOPED_TRACE(testing::Message() << "round " << round);
    ExpectSame(PostingList::FromIds(ids), ids, rng);
  }
}

TEST(PostingListTest, InsertsAndErasesMatchASet) {
  std::mt19937_64 rng(4);
  for (int round = 0; round < 40; ++round) {
    const std::vector<uint64_t> start = RandomIds(rng, rng() % 3000, 1 + rng() % 50);
    std::set<uint64_t> want(start.begin(), start.end());
    PostingList l = PostingList::FromIds(start);
    const uint64_t top = start.empty() ? 500 : start.back() + 500;
    // Enough changes to fold the delta several times; checked as it goes
    // (with a delta, and right after a fold).
    const int changes = 50 + static_cast<int>(rng() % 2000);
    for (int i = 0; i < changes; ++i) {
      const uint64_t id = 1 + rng() % top;
      if (rng() % 3 == 0) {
        l.Erase(id);
        want.erase(id);
      } else {
        l.Insert(id);
        want.insert(id);
      }
      if (i % 97 == 0 || i == changes - 1) {
        SCOPED_TRACE(testing::Message() << "round " << round << " change " << i);
        ExpectSame(l, std::vector<uint64_t>(want.begin(), want.end()), rng);
      }
    }
  }
}

TEST(PostingListTest, BuilderEqualsFromIds) {
  std::mt19937_64 rng(5);
  const std::vector<uint64_t> ids = RandomIds(rng, 777, 9);
  PostingListBuilder b(ids.size(), 0);
  for (uint64_t id : ids) b.Append(id);
  const PostingList built = std::move(b).Build();
  EXPECT_EQ(built.ToVector(), PostingList::FromIds(ids).ToVector());
  EXPECT_EQ(built.size(), ids.size());
}

TEST(PostingListTest, DenseListsTakeAboutAByteAnId) {
  std::mt19937_64 rng(3);
  const std::vector<uint64_t> ids = RandomIds(rng, 100000, 100);  // a frequent word: one unit in ~50
  const PostingList l = PostingList::FromIds(ids);
  EXPECT_LT(l.bytes(), ids.size() * 2);
  EXPECT_GT(l.bytes(), ids.size());  // one to two bytes a delta at this density
}

}  // namespace
}  // namespace qantara::match
