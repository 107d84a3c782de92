// LexiconStore (format version 3's `lexicons` column family) on a real
// RocksDB: encoding round trip, persistence, deletion with the memory, and
// the in-place upgrade of a version-2 data dir.
#include "storage/lexicon_store.h"

#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "service/match/analyzer.h"
#include "service/tm/memories.h"
#include "storage/internal/keys.h"
#include "storage/internal/rocks.h"
#include "tests/storage/older_format.h"
#include "tests/storage/temp_dir.h"

namespace qantara::storage {
namespace {

StoredLexicon Sample() {
  StoredLexicon lex;
  lex.analysis_version = 1;
  lex.trained_units = 1234;
  lex.trained_pairs = 1200;
  lex.last_unit_id = 1300;
  lex.trained_at_us = 1700000000123456;
  lex.entries = {{"قطه", {"cat", "kitten"}}, {"سمك", {"fish"}}, {"", {}}};
  return lex;
}

TEST(LexiconEncodingTest, RoundTrip) {
  const StoredLexicon lex = Sample();
  absl::StatusOr<StoredLexicon> back = DecodeStoredLexicon(EncodeStoredLexicon(lex));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, lex);
  absl::StatusOr<StoredLexicon> empty = DecodeStoredLexicon(EncodeStoredLexicon(StoredLexicon()));
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->entries.empty());
}

TEST(LexiconEncodingTest, MalformedIsDataLoss) {
  const std::string good = EncodeStoredLexicon(Sample());
  // Every truncation, a wrong version byte, and trailing bytes are refused.
  for (size_t n = 0; n < good.size(); ++n) {
    EXPECT_EQ(DecodeStoredLexicon(good.substr(0, n)).status().code(), absl::StatusCode::kDataLoss)
        << "truncated at " << n;
  }
  std::string bad = good;
  bad[0] = 2;
  EXPECT_EQ(DecodeStoredLexicon(bad).status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(DecodeStoredLexicon(good + "x").status().code(), absl::StatusCode::kDataLoss);
  // A huge entry count does not allocate: refused at once.
  std::string huge(1, '\x01');
  for (int k = 0; k < 5; ++k) huge.push_back('\0');
  huge += std::string("\xff\xff\xff\xff\x0f", 5);
  EXPECT_EQ(DecodeStoredLexicon(huge).status().code(), absl::StatusCode::kDataLoss);
}

TEST(LexiconEncodingTest, KeyIsMemoryPrefixPlusKind) {
  EXPECT_EQ(LexiconKey(0x01020304), std::string("\x01\x02\x03\x04L", 5));
}

class LexiconStoreTest : public ::testing::Test {
 protected:
  void Open() {
    store_ = *Store::Open(tmp_.path("data"));
    analyzer_ = *match::CreateTextAnalyzer();
    memories_ = *tm::Memories::Open(*store_, *analyzer_);
    lexicons_ = std::make_unique<LexiconStore>(*store_);
  }
  void Close() {
    lexicons_.reset();
    memories_.reset();
    ASSERT_TRUE(store_->Close().ok());
    store_.reset();
  }
  void CreateMemory(const std::string& name) {
    ASSERT_TRUE(memories_->CreateMemory({name, "ar", "en", ""}).ok());
  }

  testing::TempDir tmp_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<match::Analyzer> analyzer_;
  std::unique_ptr<tm::Memories> memories_;
  std::unique_ptr<LexiconStore> lexicons_;
};

TEST_F(LexiconStoreTest, PutGetPersistsAcrossReopen) {
  Open();
  CreateMemory("m");
  CreateMemory("other");
  auto none = lexicons_->Get("m");
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_FALSE(none->has_value());
  ASSERT_TRUE(lexicons_->Put("m", Sample()).ok());
  Close();
  Open();
  auto got = lexicons_->Get("m");
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ(**got, Sample());
  auto other = lexicons_->Get("other");  // per memory
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->has_value());
  ASSERT_TRUE(lexicons_->Delete("m").ok());
  EXPECT_FALSE(lexicons_->Get("m")->has_value());
}

TEST_F(LexiconStoreTest, UnknownMemoryIsNotFound) {
  Open();
  EXPECT_EQ(lexicons_->Get("nope").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(lexicons_->Put("nope", Sample()).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(lexicons_->Delete("nope").code(), absl::StatusCode::kNotFound);
}

TEST_F(LexiconStoreTest, DeletingTheMemoryDeletesItsLexicon) {
  Open();
  CreateMemory("m");
  ASSERT_TRUE(lexicons_->Put("m", Sample()).ok());
  ASSERT_TRUE(memories_->DeleteMemory("m").ok());
  EXPECT_EQ(lexicons_->Get("m").status().code(), absl::StatusCode::kNotFound);
  CreateMemory("m");  // same name, new id: starts without a lexicon
  auto got = lexicons_->Get("m");
  ASSERT_TRUE(got.ok());
  EXPECT_FALSE(got->has_value());
  // Nothing is left in the column family.
  auto& rocks = internal::Rocks(*store_);
  std::unique_ptr<rocksdb::Iterator> it(
      rocks.db->NewIterator(rocksdb::ReadOptions(), rocks.cf(Cf::kLexicons)));
  it->SeekToFirst();
  EXPECT_FALSE(it->Valid());
}

// A data dir as a version-2 build left it: the seven column families of
// version 2 (no `lexicons`), format_version "2", one memory with units.
TEST(LexiconStoreUpgradeTest, Version2DataDirIsUpgradedInPlace) {
  testing::TempDir tmp;
  const std::string dir = tmp.path("data");
  {
    // Build the memory with the current code, then (below, with RocksDB
    // itself) turn the dir back into a version-2 one: drop `lexicons` and
    // write "2".
    auto store = Store::Open(dir);
    ASSERT_TRUE(store.ok());
    auto analyzer = *match::CreateTextAnalyzer();
    auto memories = *tm::Memories::Open(**store, *analyzer);
    ASSERT_TRUE(memories->CreateMemory({"legacy", "en", "ar", ""}).ok());
    std::vector<match::Unit> units(1);
    units[0].source = "The cat sleeps.";
    units[0].target = "القطة نائمة.";
    ASSERT_TRUE(memories->AddUnits("legacy", units, DuplicatePolicy::kSkipIdentical).ok());
    memories.reset();
    ASSERT_TRUE((*store)->Close().ok());
  }
  testing::MakeOlderFormat(dir, {"lexicons", "access", "requests"}, "2");
  {
    // Really version 2 now: exactly the old column families.
    std::vector<std::string> names;
    ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir, &names).ok());
    EXPECT_EQ(std::find(names.begin(), names.end(), "lexicons"), names.end());
    EXPECT_EQ(names.size(), 7u);
  }
  auto store = Store::Open(dir);
  ASSERT_TRUE(store.ok()) << store.status();
  auto version = (*store)->Get(Cf::kMeta, kMetaFormatVersionKey);
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(version->value_or(""), std::to_string(kFormatVersion));
  auto analyzer = *match::CreateTextAnalyzer();
  auto memories = *tm::Memories::Open(**store, *analyzer);
  auto info = memories->GetMemory("legacy");
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->units, 1u);
  auto unit = memories->GetUnit("legacy", 1);
  ASSERT_TRUE(unit.ok());
  EXPECT_EQ(unit->target, "القطة نائمة.");
  LexiconStore lexicons(**store);
  auto none = lexicons.Get("legacy");
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_FALSE(none->has_value());
  ASSERT_TRUE(lexicons.Put("legacy", Sample()).ok());
  EXPECT_EQ(*lexicons.Get("legacy")->value_or(StoredLexicon()).entries.begin(), *Sample().entries.begin());
}

}  // namespace
}  // namespace qantara::storage
