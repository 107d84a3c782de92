// IndexBuffer (storage/index_buffer.h): the buffered postings and exact
// entries of bulk adds, how readers see them, and how they are written to
// RocksDB with the index watermark.
#include "storage/internal/index_buffer.h"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <future>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "storage/internal/encoding.h"
#include "storage/internal/rocks.h"
#include "storage/store.h"
#include "tests/storage/temp_dir.h"

namespace qantara::storage {
namespace {

using match::Side;
using match::UnitIds;
using match::UnitKeys;
using testing::TempDir;

match::SideKey Side_(std::vector<uint64_t> keys) {
  match::SideKey k;
  for (uint64_t key : keys) k.tokens.push_back(match::MatchToken{key, 0, 0});
  return k;
}

UnitKeys Keys(std::vector<uint64_t> source, std::vector<uint64_t> target) {
  UnitKeys k;
  k.source = Side_(std::move(source));
  k.target = Side_(std::move(target));
  return k;
}

TEST(MergeSortedTest, AppendsAndUnites) {
  UnitIds ids;
  MergeSorted(ids, {});
  EXPECT_TRUE(ids.empty());
  MergeSorted(ids, {2, 5});
  EXPECT_EQ(ids, (UnitIds{2, 5}));
  MergeSorted(ids, {7, 9});  // all after: appended
  EXPECT_EQ(ids, (UnitIds{2, 5, 7, 9}));
  MergeSorted(ids, {1, 5, 8, 10});  // interleaved, with a duplicate
  EXPECT_EQ(ids, (UnitIds{1, 2, 5, 7, 8, 9, 10}));
}

TEST(ForEachIndexEntryTest, OnePostingPerDistinctTokenAndOneExactPerSide) {
  const UnitKeys k = Keys({10, 20, 10, 30}, {40});
  std::vector<PostingId> postings;
  std::vector<std::pair<ExactId, uint32_t>> exact;
  ForEachIndexEntry(
      k, [&](const PostingId& p) { postings.push_back(p); },
      [&](const ExactId& e, uint32_t len) { exact.emplace_back(e, len); });
  EXPECT_EQ(postings, (std::vector<PostingId>{{10, 4, 0}, {20, 4, 0}, {30, 4, 0}, {40, 1, 1}}));
  ASSERT_EQ(exact.size(), 2u);
  EXPECT_EQ(exact[0].first, (ExactId{k.source.ExactHash(), 0}));
  EXPECT_EQ(exact[0].second, 4u);
  EXPECT_EQ(exact[1].first, (ExactId{k.target.ExactHash(), 1}));
  EXPECT_EQ(exact[1].second, 1u);

  // A long side (a hash set finds the repeats there): still one posting per
  // distinct token, in the order of first occurrence.
  std::vector<uint64_t> long_side;
  for (int i = 0; i < 60; ++i) long_side.push_back(100 + (i * 3) % 7);
  postings.clear();
  ForEachIndexEntry(
      Keys(long_side, {40}), [&](const PostingId& p) { postings.push_back(p); },
      [](const ExactId&, uint32_t) {});
  std::vector<PostingId> want;
  for (uint64_t key : {100, 103, 106, 102, 105, 101, 104}) want.push_back({key, 60, 0});
  want.push_back({40, 1, 1});
  EXPECT_EQ(postings, want);
}

TEST(IndexBufferTest, BuffersEntriesAndClears) {
  IndexBuffer buf;
  EXPECT_TRUE(buf.empty());
  buf.AddPosting({10, 2, 0}, 1);
  buf.AddPosting({10, 2, 0}, 3);
  buf.AddExact({99, 1}, 3);
  buf.AddExact({98, 1}, 4);
  buf.AddDate(3, 5'500'001);  // unit 4 has none
  buf.CountUnits(2);
  EXPECT_EQ(buf.units(), 2u);
  EXPECT_EQ(buf.Postings({10, 2, 0}), (UnitIds{1, 3}));
  EXPECT_TRUE(buf.Postings({10, 3, 0}).empty());
  EXPECT_TRUE(buf.Postings({10, 2, 1}).empty());
  EXPECT_EQ(buf.Exact({99, 1}).ids, (UnitIds{3}));
  // The date's bound: its second, rounded up; unknown without a date.
  EXPECT_EQ(buf.Exact({99, 1}).changed_bound, (std::vector<int64_t>{6'000'000}));
  EXPECT_EQ(buf.Exact({98, 1}).changed_bound, (std::vector<int64_t>{match::ExactList::kUnknownChange}));
  // Adds after a read are seen by the next read.
  buf.AddPosting({10, 2, 0}, 4);
  buf.AddPosting({11, 2, 0}, 4);
  buf.CountUnits(1);
  EXPECT_EQ(buf.Postings({10, 2, 0}), (UnitIds{1, 3, 4}));
  EXPECT_EQ(buf.Postings({11, 2, 0}), (UnitIds{4}));
  buf.Clear();
  EXPECT_TRUE(buf.empty());
  EXPECT_TRUE(buf.Postings({10, 2, 0}).empty());
  EXPECT_TRUE(buf.Exact({99, 1}).empty());
}

class IndexBufferWriteTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }

  void Open() {
    store_.reset();
    auto s = Store::Open(tmp_.path("data"));
    ASSERT_TRUE(s.ok()) << s.status();
    store_ = *std::move(s);
  }

  rocksdb::DB* db() { return internal::Rocks(*store_).db; }

  // The merged posting list in RocksDB (empty when absent).
  UnitIds Posting(uint32_t mem, Side side, uint64_t key, uint32_t len) {
    std::string value;
    rocksdb::Status s = db()->Get(rocksdb::ReadOptions(), internal::Rocks(*store_).cf(Cf::kPostings),
                                  PostingKey(mem, side, key, len), &value);
    if (s.IsNotFound()) return {};
    EXPECT_TRUE(s.ok()) << s.ToString();
    auto ids = DecodePostingList(value);
    EXPECT_TRUE(ids.ok()) << ids.status();
    return ids.ok() ? *ids : UnitIds{};
  }

  bool HasExact(uint32_t mem, Side side, uint64_t hash, uint64_t id) {
    std::string value;
    return db()
        ->Get(rocksdb::ReadOptions(), internal::Rocks(*store_).cf(Cf::kExact), ExactKey(mem, side, hash, id),
              &value)
        .ok();
  }

  std::optional<uint64_t> Watermark(uint32_t mem) {
    auto v = store_->Get(Cf::kMemories, IndexedUptoKey(mem));
    EXPECT_TRUE(v.ok()) << v.status();
    if (!v.ok() || !v->has_value() || (*v)->size() != 8) return std::nullopt;
    return DecodeFixed64BE((*v)->data());
  }

  // Buffers units first_id..first_id+n-1, each with source tokens {1, id}
  // and target token {2}.
  static void Fill(IndexBuffer& buf, uint64_t first_id, size_t n) {
    for (uint64_t id = first_id; id < first_id + n; ++id) {
      const UnitKeys k = Keys({1, 1000 + id}, {2});
      ForEachIndexEntry(
          k, [&](const PostingId& p) { buf.AddPosting(p, id); },
          [&](const ExactId& e, uint32_t) { buf.AddExact(e, id); });
    }
    buf.CountUnits(n);
  }

  TempDir tmp_;
  std::unique_ptr<Store> store_;
};

// Both ways of writing: a WriteBatch (small buffers) and ingested SST files.
class IndexBufferWritePathTest : public IndexBufferWriteTest, public ::testing::WithParamInterface<bool> {
 protected:
  size_t min_file_units() const { return GetParam() ? 0 : SIZE_MAX; }
  absl::Status Write(IndexBuffer& buf, uint32_t mem, uint64_t upto) {
    absl::Status s = buf.Write(internal::Rocks(*store_), mem, upto, min_file_units());
    // No file is left behind.
    std::error_code ec;
    const std::string dir = IndexBuffer::IngestDir(store_->dir());
    EXPECT_TRUE(!std::filesystem::exists(dir) || std::filesystem::is_empty(dir, ec));
    return s;
  }
};

INSTANTIATE_TEST_SUITE_P(Paths, IndexBufferWritePathTest, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "Files" : "Batch"; });

TEST_P(IndexBufferWritePathTest, WritesEntriesAndWatermarkAndEmpties) {
  IndexBuffer buf;
  // Nothing buffered: nothing written, not even a watermark.
  ASSERT_TRUE(Write(buf, 7, 0).ok());
  EXPECT_EQ(Watermark(7), std::nullopt);

  Fill(buf, 1, 50);
  ASSERT_TRUE(Write(buf, 7, 50).ok());
  EXPECT_TRUE(buf.empty());
  EXPECT_EQ(Watermark(7), 50u);
  UnitIds all;
  for (uint64_t id = 1; id <= 50; ++id) all.push_back(id);
  EXPECT_EQ(Posting(7, Side::kSource, 1, 2), all);
  EXPECT_EQ(Posting(7, Side::kTarget, 2, 1), all);
  EXPECT_EQ(Posting(7, Side::kSource, 1017, 2), (UnitIds{17}));
  EXPECT_TRUE(Posting(7, Side::kSource, 1, 3).empty());
  const uint64_t h17 = Keys({1, 1017}, {2}).source.ExactHash();
  EXPECT_TRUE(HasExact(7, Side::kSource, h17, 17));
  EXPECT_FALSE(HasExact(7, Side::kSource, h17, 18));
  EXPECT_TRUE(HasExact(7, Side::kTarget, Keys({}, {2}).target.ExactHash(), 50));

  // A second write merges into the lists; writing entries again is idempotent.
  Fill(buf, 40, 21);  // 40..60: 40..50 are already written
  ASSERT_TRUE(Write(buf, 7, 60).ok());
  EXPECT_EQ(Watermark(7), 60u);
  for (uint64_t id = 51; id <= 60; ++id) all.push_back(id);
  EXPECT_EQ(Posting(7, Side::kSource, 1, 2), all);
  EXPECT_EQ(Posting(7, Side::kSource, 1045, 2), (UnitIds{45}));
  // Another memory's lists are apart.
  EXPECT_TRUE(Posting(8, Side::kSource, 1, 2).empty());

  // And everything is there after a reopen.
  Open();
  EXPECT_EQ(Watermark(7), 60u);
  EXPECT_EQ(Posting(7, Side::kSource, 1, 2), all);
  EXPECT_TRUE(HasExact(7, Side::kSource, Keys({1, 1060}, {2}).source.ExactHash(), 60));
}

TEST_P(IndexBufferWritePathTest, LengthsAboveTheCapShareOneList) {
  // PostingKey caps lengths at 65535: two buffered lists, one stored key.
  IndexBuffer buf;
  buf.AddPosting({5, 65535, 0}, 2);
  buf.AddPosting({5, 70000, 0}, 1);
  buf.AddPosting({5, 70000, 0}, 3);
  buf.AddExact({9, 0}, 1);
  buf.AddExact({9, 0}, 2);
  buf.AddExact({9, 0}, 3);
  buf.CountUnits(3);
  ASSERT_TRUE(Write(buf, 1, 3).ok());
  EXPECT_EQ(Posting(1, Side::kSource, 5, 70000), (UnitIds{1, 2, 3}));
  for (uint64_t id : {1, 2, 3}) EXPECT_TRUE(HasExact(1, Side::kSource, 9, id));
}

// A big buffer (sorted on two threads, postings in place) of random
// entries: every list written is exactly the ids buffered under it. Keys
// crowd into a few top-16-bit buckets, as the sort buckets by those bits.
TEST_P(IndexBufferWritePathTest, BigRandomBufferWritesEveryListExactly) {
  std::mt19937_64 rng(7);
  std::vector<uint64_t> vocabulary;
  for (int i = 0; i < 3000; ++i) {
    const uint64_t bucket = i % 3 == 0 ? rng() % 4 : rng() % 65536;  // a third in 4 buckets
    vocabulary.push_back((bucket << 48) | (rng() & ((uint64_t{1} << 48) - 1)));
  }
  IndexBuffer buf;
  absl::flat_hash_map<PostingId, UnitIds> want_postings;
  std::vector<std::pair<uint64_t, uint64_t>> want_exact;  // (hash, id), source side
  constexpr uint64_t kUnits = 30000;
  for (uint64_t id = 1; id <= kUnits; ++id) {
    std::vector<uint64_t> source, target;
    for (size_t n = 1 + rng() % 12; n > 0; --n) source.push_back(vocabulary[rng() % vocabulary.size()]);
    for (size_t n = 1 + rng() % 12; n > 0; --n) target.push_back(vocabulary[rng() % vocabulary.size()]);
    const UnitKeys k = Keys(source, target);
    ForEachIndexEntry(
        k,
        [&](const PostingId& p) {
          buf.AddPosting(p, id);
          want_postings[p].push_back(id);
        },
        [&](const ExactId& e, uint32_t) {
          buf.AddExact(e, id);
          if (e.side == 0) want_exact.emplace_back(e.hash, id);
        });
  }
  buf.CountUnits(kUnits);
  ASSERT_GT(want_postings.size(), 10000u);
  ASSERT_TRUE(Write(buf, 4, kUnits).ok());
  size_t entries = 0;
  for (const auto& [pid, ids] : want_postings) {
    ASSERT_EQ(Posting(4, static_cast<Side>(pid.side), pid.key, pid.length), ids)
        << "key " << pid.key << " length " << pid.length << " side " << int{pid.side};
    entries += ids.size();
  }
  EXPECT_GT(entries, 100000u);  // big enough for the two-thread sort
  for (const auto& [hash, id] : want_exact) ASSERT_TRUE(HasExact(4, Side::kSource, hash, id)) << id;
}

TEST_F(IndexBufferWriteTest, RemoveLeftoversEmptiesTheIngestDir) {
  const std::filesystem::path dir = IndexBuffer::IngestDir(store_->dir());
  EXPECT_EQ(dir.parent_path(), std::filesystem::path(store_->dir()));
  ASSERT_TRUE(IndexBuffer::RemoveLeftovers(store_->dir()).ok());  // none: fine
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "exact-1-5.sst") << "partial";
  ASSERT_TRUE(IndexBuffer::RemoveLeftovers(store_->dir()).ok());
  EXPECT_FALSE(std::filesystem::exists(dir / "exact-1-5.sst"));
}

// StartWrite: the entries move aside and are written on a background
// thread; readers see them (and the adds made meanwhile) all along, the
// watermark moves only once they are written.
TEST_F(IndexBufferWriteTest, BackgroundWriteKeepsEntriesReadable) {
  IndexBuffer buf;
  Fill(buf, 1, 60);
  std::promise<void> started, release;
  std::shared_future<void> released = release.get_future().share();
  ASSERT_TRUE(buf.StartWrite(internal::Rocks(*store_), 3, 60, /*min_file_units=*/10,
                             [&] {
                               started.set_value();
                               released.wait();
                               return absl::OkStatus();
                             })
                  .ok());
  started.get_future().wait();
  EXPECT_FALSE(buf.empty());
  EXPECT_EQ(buf.units(), 0u);  // nothing buffered since
  Fill(buf, 61, 5);
  UnitIds all;
  for (uint64_t id = 1; id <= 65; ++id) all.push_back(id);
  EXPECT_EQ(buf.Postings({1, 2, 0}), all);
  EXPECT_EQ(buf.Postings({1017, 2, 0}), (UnitIds{17}));
  EXPECT_EQ(buf.Exact({Keys({1, 1063}, {2}).source.ExactHash(), 0}).ids, (UnitIds{63}));
  EXPECT_EQ(Watermark(3), std::nullopt);
  EXPECT_FALSE(buf.WriteDone());
  release.set_value();
  EXPECT_TRUE(buf.Finish().ok());
  EXPECT_EQ(Watermark(3), 60u);
  EXPECT_EQ(Posting(3, Side::kSource, 1, 2), UnitIds(all.begin(), all.begin() + 60));
  EXPECT_EQ(buf.Postings({1, 2, 0}), UnitIds(all.begin() + 60, all.end()));  // the rest
  ASSERT_TRUE(buf.Write(internal::Rocks(*store_), 3, 65).ok());
  EXPECT_EQ(Posting(3, Side::kSource, 1, 2), all);
  EXPECT_TRUE(buf.empty());
}

// A failed background write: Finish returns the error and the entries are
// buffered again, before the newer ones; the next write stores them all.
TEST_F(IndexBufferWriteTest, FailedBackgroundWriteBuffersItsEntriesAgain) {
  IndexBuffer buf;
  Fill(buf, 1, 20);
  ASSERT_TRUE(
      buf.StartWrite(internal::Rocks(*store_), 3, 20, 10, [] { return absl::DataLossError("no"); }).ok());
  Fill(buf, 21, 5);
  EXPECT_EQ(buf.Finish().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(buf.units(), 25u);
  UnitIds all;
  for (uint64_t id = 1; id <= 25; ++id) all.push_back(id);
  EXPECT_EQ(buf.Postings({1, 2, 0}), all);
  EXPECT_EQ(Watermark(3), std::nullopt);
  EXPECT_TRUE(Posting(3, Side::kSource, 1, 2).empty());
  // A second StartWrite while one fails surfaces the error and starts nothing.
  ASSERT_TRUE(
      buf.StartWrite(internal::Rocks(*store_), 3, 25, 10, [] { return absl::DataLossError("no"); }).ok());
  EXPECT_EQ(buf.StartWrite(internal::Rocks(*store_), 3, 25, 10).code(), absl::StatusCode::kDataLoss);
  ASSERT_TRUE(buf.StartWrite(internal::Rocks(*store_), 3, 25, 10).ok());
  ASSERT_TRUE(buf.Finish().ok());
  EXPECT_EQ(Watermark(3), 25u);
  EXPECT_EQ(Posting(3, Side::kSource, 1, 2), all);
  EXPECT_TRUE(buf.empty());
}

}  // namespace
}  // namespace qantara::storage
