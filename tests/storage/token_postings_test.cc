// TokenPostings (storage/internal/token_postings.h): a token's cached lists
// at a range of lengths. A covered length without a list reads as empty,
// writers' changes land only at covered lengths (making a list where there
// was none), and the bytes charged to the cache stay what it holds.
#include "storage/internal/token_postings.h"

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace qantara::storage::internal {
namespace {

TokenPostings::List L(std::vector<uint64_t> ids) {
  return std::make_shared<match::PostingList>(match::PostingList::FromIds(ids));
}

TEST(TokenPostingsTest, CoveredLengthsReadTheirListOrTheEmptyOne) {
  const TokenPostings token(3, 9, {{4, L({1, 7})}, {8, L({2})}});
  EXPECT_TRUE(token.covers(3, 9));
  EXPECT_TRUE(token.covers(5));
  EXPECT_FALSE(token.covers(2, 5));
  EXPECT_FALSE(token.covers(10));
  EXPECT_EQ(token.ListAt(4)->ToVector(), (std::vector<uint64_t>{1, 7}));
  EXPECT_EQ(token.ListAt(8)->ToVector(), (std::vector<uint64_t>{2}));
  for (uint32_t len : {3u, 5u, 6u, 7u, 9u}) {
    EXPECT_TRUE(token.ListAt(len)->empty()) << len;
    EXPECT_EQ(token.ListAt(len), TokenPostings::Empty()) << len;
  }
  EXPECT_FALSE(TokenPostings().covers(1));
  EXPECT_FALSE(TokenPostings().covers(0, 70));
}

// As the matcher sees it (match::TokenLists): the same lists by reference,
// lengths from kMaxLength on reading the list stored at kMaxLength.
TEST(TokenPostingsTest, TokenListsReadTheSameListsWithLengthsCapped) {
  const TokenPostings token(5, TokenPostings::kMaxLength,
                            {{5, L({3, 4})}, {TokenPostings::kMaxLength, L({8})}});
  const match::TokenLists& lists = token;
  EXPECT_EQ(&lists.At(5), token.ListAt(5).get());
  EXPECT_TRUE(lists.At(6).empty());
  EXPECT_EQ(lists.At(TokenPostings::kMaxLength).ToVector(), (std::vector<uint64_t>{8}));
  EXPECT_EQ(lists.At(TokenPostings::kMaxLength + 40).ToVector(), (std::vector<uint64_t>{8}));
}

// A wider entry: the base's lengths and lists with those read for the
// lengths of the new range it lacked; the lengths between stay uncovered
// (a frequent token's lists there are not read for nothing).
TEST(TokenPostingsTest, WideningCoversBothRangesAndNotTheGap) {
  const TokenPostings base(3, 9, {{4, L({1, 7})}, {8, L({2})}});
  uint32_t first = 0, last = 0;
  EXPECT_FALSE(base.Missing(4, 9, &first, &last));
  ASSERT_TRUE(base.Missing(7, 70, &first, &last));
  EXPECT_EQ(first, 10u);
  EXPECT_EQ(last, 70u);
  ASSERT_TRUE(base.Missing(1, 5, &first, &last));
  EXPECT_EQ(first, 1u);
  EXPECT_EQ(last, 2u);
  const TokenPostings wide(base, 60, 130, {{64, L({5})}, {129, L({6, 9})}});
  EXPECT_TRUE(wide.covers(3, 9));
  EXPECT_TRUE(wide.covers(60, 130));
  EXPECT_FALSE(wide.covers(9, 60));
  EXPECT_FALSE(wide.covers(10));
  EXPECT_FALSE(wide.covers(59));
  EXPECT_FALSE(wide.covers(131));
  ASSERT_TRUE(wide.Missing(5, 200, &first, &last));
  EXPECT_EQ(first, 10u);
  EXPECT_EQ(last, 200u);
  ASSERT_EQ(wide.lists().size(), 4u);
  EXPECT_EQ(wide.lists()[0].first, 4u);
  EXPECT_EQ(wide.lists()[2].first, 64u);
  EXPECT_EQ(wide.ListAt(4), base.ListAt(4));  // the same list, shared
  EXPECT_EQ(wide.ListAt(129)->ToVector(), (std::vector<uint64_t>{6, 9}));
  EXPECT_TRUE(wide.ListAt(100)->empty());
  EXPECT_EQ(wide.bytes(), wide.Recount());
  // The base is unchanged (readers may hold it).
  EXPECT_FALSE(base.covers(60));
  EXPECT_EQ(base.lists().size(), 2u);
  // Word boundaries of the coverage.
  const TokenPostings edges(63, 128, {});
  EXPECT_TRUE(edges.covers(63, 128));
  EXPECT_TRUE(edges.covers(64, 127));
  EXPECT_FALSE(edges.covers(62, 128));
  EXPECT_FALSE(edges.covers(63, 129));
  const TokenPostings last_length(TokenPostings::kMaxLength - 2, TokenPostings::kMaxLength, {});
  EXPECT_TRUE(last_length.covers(TokenPostings::kMaxLength));
}

TEST(TokenPostingsTest, ChangesLandAtCoveredLengthsOnly) {
  TokenPostings token(3, 9, {{4, L({1, 7})}});
  token.Change(4, 5, /*insert=*/true);
  token.Change(6, 9, /*insert=*/true);   // covered, no list before
  token.Change(10, 3, /*insert=*/true);  // not covered: its list is not held
  token.Change(2, 3, /*insert=*/true);
  token.Change(8, 4, /*insert=*/false);  // nothing to remove
  EXPECT_EQ(token.ListAt(4)->ToVector(), (std::vector<uint64_t>{1, 5, 7}));
  EXPECT_EQ(token.ListAt(6)->ToVector(), (std::vector<uint64_t>{9}));
  EXPECT_TRUE(token.ListAt(8)->empty());
  ASSERT_EQ(token.lists().size(), 2u);  // ascending lengths, no list made for a removal
  EXPECT_EQ(token.lists()[0].first, 4u);
  EXPECT_EQ(token.lists()[1].first, 6u);
  token.Change(4, 1, /*insert=*/false);
  EXPECT_EQ(token.ListAt(4)->ToVector(), (std::vector<uint64_t>{5, 7}));
  // The shared empty list is never written to.
  EXPECT_TRUE(TokenPostings::Empty()->empty());
}

TEST(TokenPostingsTest, BytesFollowEveryChange) {
  TokenPostings token(1, 40, {{4, L({1, 7})}});
  EXPECT_EQ(token.bytes(), token.Recount());
  const uint64_t start = token.bytes();
  for (uint64_t id = 0; id < 3000; ++id) {
    token.Change(static_cast<uint32_t>(id % 37 + 1), id * 3, /*insert=*/true);
    ASSERT_EQ(token.bytes(), token.Recount()) << id;
  }
  EXPECT_GT(token.bytes(), start + 3000);
  for (uint64_t id = 0; id < 3000; id += 2) {
    token.Change(static_cast<uint32_t>(id % 37 + 1), id * 3, /*insert=*/false);
    ASSERT_EQ(token.bytes(), token.Recount()) << id;
  }
}

TEST(TokenPostingsTest, LengthsPastTheLastShareOne) {
  EXPECT_EQ(TokenPostings::CapLength(12), 12u);
  EXPECT_EQ(TokenPostings::CapLength(0xffff), 0xffffu);
  EXPECT_EQ(TokenPostings::CapLength(70000), 0xffffu);
}

}  // namespace
}  // namespace qantara::storage::internal
