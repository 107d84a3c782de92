// A memory's life and what the store does with damage (issue: data safety):
// memories pinned by id, deletes that fence out writers and never come back,
// tombstones purged from disk, lexicons keyed by id; limits enforced on
// write; a data dir holding damaged records opens, serves the rest and
// reports them. A real RocksDB in a temp dir.
#include <atomic>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "storage/internal/encoding.h"
#include "storage/internal/keys.h"
#include "storage/internal/rocks.h"
#include "storage/lexicon_store.h"
#include "storage/limits.h"
#include "tests/storage/memory_store_test_util.h"
#include "tests/testing/status_matchers.h"

namespace qantara::storage::testing {
namespace {

using ::qantara::testing::IsOk;
using ::qantara::testing::StatusIs;

class MemoryLifecycleTest : public MemoryStoreTest {
 protected:
  MemoryInfo Info(const std::string& name) {
    auto info = memories_->GetMemory(name);
    EXPECT_THAT(info.status(), IsOk());
    return info.ok() ? *info : MemoryInfo{};
  }

  // Keys of column family `cf` that start with memory `id`'s prefix.
  size_t KeysOfMemory(Cf cf, uint32_t id) {
    internal::RocksHandles& rocks = internal::Rocks(*store_);
    std::unique_ptr<rocksdb::Iterator> it(rocks.db->NewIterator(rocksdb::ReadOptions(), rocks.cf(cf)));
    const std::string prefix = MemoryPrefix(id);
    size_t n = 0;
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) ++n;
    return n;
  }

  bool HasTombstone(uint32_t id) {
    auto v = store_->Get(Cf::kMemories, TombstoneKey(id));
    EXPECT_THAT(v.status(), IsOk());
    return v.ok() && v->has_value();
  }

  void PutRaw(Cf cf, const std::string& key, const std::string& value) {
    ASSERT_THAT(store_->Put(cf, key, value), IsOk());
  }
};

TEST_F(MemoryLifecycleTest, APinnedRefNeverReachesANewMemoryOfTheSameName) {
  Create("m");
  const MemoryInfo old_info = Info("m");
  Add("m", Numbered(0, 10));
  ASSERT_THAT(memories_->DeleteMemory("m"), IsOk());
  Create("m");
  const MemoryInfo new_info = Info("m");
  EXPECT_NE(old_info.id, new_info.id);

  const MemoryRef old_ref(old_info);
  EXPECT_THAT(memories_->AddUnits(old_ref, Numbered(10, 20), DuplicatePolicy::kKeepAll).status(),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(memories_->UpdateUnit(old_ref, U("a b", "c d")).status(),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(memories_->DeleteUnits(old_ref, {1}).status(), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(memories_->GetUnit(old_ref, 1).status(), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(memories_->DeleteMemory(old_ref), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(Info("m").units, 0u);
  Reopen();
  auto list = memories_->ListMemories();
  ASSERT_THAT(list.status(), IsOk());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].id, new_info.id);
  EXPECT_EQ((*list)[0].units, 0u);
}

// Writers that found the memory before a delete either land before it (and
// are deleted with it) or fail with NotFound; none writes the memory back,
// and after a restart only the re-created memory is there, holding exactly
// what was acknowledged into it.
TEST_F(MemoryLifecycleTest, DeleteFencesOutConcurrentWriters) {
  for (int round = 0; round < 20; ++round) {
    SCOPED_TRACE(round);
    Create("m");
    const MemoryInfo old_info = Info("m");
    const uint32_t old_id = old_info.id;
    std::atomic<bool> stop{false};
    std::vector<std::thread> writers;
    for (int w = 0; w < 3; ++w) {
      writers.emplace_back([&, w] {
        // Pinned: every call looks the memory up, then waits for its lock.
        const MemoryRef ref(old_info);
        for (int i = 0; !stop; ++i) {
          auto r = memories_->AddUnits(ref, Numbered(w * 100000 + i * 5, w * 100000 + i * 5 + 5),
                                       DuplicatePolicy::kKeepAll);
          if (!r.ok()) {
            EXPECT_TRUE(absl::IsNotFound(r.status())) << r.status();
            return;
          }
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    ASSERT_THAT(memories_->DeleteMemory("m"), IsOk());
    stop = true;
    for (auto& t : writers) t.join();
    Create("m");
    EXPECT_EQ(Info("m").units, 0u);
    EXPECT_EQ(KeysOfMemory(Cf::kUnits, old_id), 0u);
    Reopen();
    EXPECT_EQ(Info("m").units, 0u);
    auto list = memories_->ListMemories();
    ASSERT_THAT(list.status(), IsOk());
    EXPECT_EQ(list->size(), 1u);
    EXPECT_EQ(KeysOfMemory(Cf::kUnits, old_id), 0u);
    ASSERT_THAT(memories_->DeleteMemory("m"), IsOk());
  }
}

TEST_F(MemoryLifecycleTest, TheTombstoneStaysUntilTheRangeIsCompactedAway) {
  Create("m");
  const uint32_t id = Info("m").id;
  Add("m", Numbered(0, 500));
  ASSERT_THAT(memories_->DeleteMemory("m"), IsOk());
  memories_->WaitForIndexCompactions();  // the purge runs on the compactor's thread
  EXPECT_FALSE(HasTombstone(id));
  for (Cf cf : {Cf::kUnits, Cf::kUnitKeys, Cf::kPostings, Cf::kExact}) EXPECT_EQ(KeysOfMemory(cf, id), 0u);
  // A tombstone left by a crash is purged at the next open.
  PutRaw(Cf::kMemories, TombstoneKey(id), std::string("\x01\x01m", 3));
  Reopen();
  memories_->WaitForIndexCompactions();
  EXPECT_FALSE(HasTombstone(id));
}

TEST_F(MemoryLifecycleTest, ALexiconIsWrittenOnlyToTheMemoryItWasTrainedFrom) {
  Create("m");
  const MemoryInfo old_info = Info("m");
  LexiconStore lexicons(*store_);
  StoredLexicon lex;
  lex.trained_units = 7;
  lex.entries = {{"كتاب", {"book"}}};
  ASSERT_THAT(lexicons.Put(MemoryRef(old_info), lex), IsOk());
  ASSERT_THAT(memories_->DeleteMemory("m"), IsOk());
  Create("m");
  // A training that started on the old memory ends after the re-creation.
  EXPECT_THAT(lexicons.Put(MemoryRef(old_info), lex), StatusIs(absl::StatusCode::kNotFound));
  auto got = lexicons.Get("m");
  ASSERT_THAT(got.status(), IsOk());
  EXPECT_FALSE(got->has_value());
}

// The poison unit of the issue: 1.1 million one-letter words.
TEST_F(MemoryLifecycleTest, AUnitTheStoreCouldNotReadBackIsRefusedOnWrite) {
  Create("m");
  std::string huge;
  for (int i = 0; i < 1100000; ++i) huge += "a ";
  auto r = memories_->AddUnits("m", {U(huge, "short")}, DuplicatePolicy::kKeepAll);
  ASSERT_THAT(r.status(), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_NE(r.status().message().find("source has 2200000 bytes"), std::string::npos) << r.status();
  EXPECT_EQ(Info("m").units, 0u);

  // Storage refuses it too, whoever prepares it (a caller that skips tm's checks).
  auto ms = MemoryStore::Open(*store_, options_);
  ASSERT_THAT(ms.status(), IsOk());
  auto keys = std::make_shared<match::UnitKeys>();
  keys->source.tokens.resize(kMaxSideTokens + 1);
  keys->target.tokens.resize(1);
  struct OneFeed : UnitFeed {
    PreparedUnit p;
    size_t size() const override { return 1; }
    absl::StatusOr<PreparedUnit*> Get(size_t) override { return &p; }
  } feed;
  feed.p.unit = U("x", "y");
  feed.p.keys = keys;
  auto stored = (*ms)->AddUnits("m", feed, DuplicatePolicy::kKeepAll, 1);
  EXPECT_THAT(stored.status(), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(MemoryLifecycleTest, ADataDirWithDamagedRecordsOpensServesTheRestAndReportsThem) {
  options_.index_buffer_units = 1000000;  // adds stay buffered: recovery reads their keys at open
  Reopen();
  Create("good");
  Create("hurt");
  Create("lost");
  Add("good", Numbered(0, 20));
  Add("hurt", Numbered(0, 20));
  const uint32_t hurt = Info("hurt").id, lost = Info("lost").id;
  // Crash: the buffered index entries are rebuilt from unit keys at open.
  const std::string dir = CrashCopy("crashed");
  OpenAt(dir);
  // Unit 3 of "hurt": keys claiming more tokens than the decoder reads.
  std::string bad_keys;
  bad_keys.push_back(1);
  PutVarint64(bad_keys, 0);
  PutVarint64(bad_keys, kMaxSideTokens + 1);
  PutRaw(Cf::kUnitKeys, UnitKey(hurt, 3), bad_keys);
  // Unit 5 of "hurt": a unit value cut short.
  PutRaw(Cf::kUnits, UnitKey(hurt, 5), std::string("\x01\x05", 2));
  // The record of "lost": garbage.
  PutRaw(Cf::kMemories, MemoryRecordKey(lost), "\x01garbage");
  // Crash again (a clean close would index the buffered units and move the
  // watermark past the damaged keys: then only --check and reads find them).
  memories_->WaitForIndexCompactions();
  const std::string again = tmp_.path("crashed-again");
  std::filesystem::copy(dir, again, std::filesystem::copy_options::recursive);
  std::filesystem::remove(std::filesystem::path(again) / "LOCK");
  memories_.reset();
  store_.reset();
  OpenAt(again);

  auto stats = memories_->Stats();
  ASSERT_THAT(stats.status(), IsOk());
  ASSERT_EQ(stats->problems.size(), 2u) << ::testing::PrintToString(stats->problems);
  EXPECT_NE(stats->problems[0].find("id " + std::to_string(lost)), std::string::npos) << stats->problems[0];
  EXPECT_NE(stats->problems[1].find("'hurt' unit 3"), std::string::npos) << stats->problems[1];

  // The other memories and units are served.
  EXPECT_EQ(Find("good", "unit 7 of the batch", 100).matches.size(), 1u);
  EXPECT_EQ(Find("hurt", "unit 7 of the batch", 100).matches.size(), 1u);
  EXPECT_EQ(Find("hurt", "unit 7 of the batch", 50, /*exhaustive=*/true).matches.size() > 0, true);
  EXPECT_GT(ConcordanceHits("hurt", "of the batch"), 15u);
  EXPECT_THAT(memories_->GetMemory("lost").status(), StatusIs(absl::StatusCode::kNotFound));

  // Export (a scan) skips the damaged unit and counts it.
  uint64_t damaged = 0, scanned = 0;
  ASSERT_THAT(memories_->ScanUnits(
                  "hurt", 0, [&](const Unit&) { return ++scanned, absl::OkStatus(); }, &damaged),
              IsOk());
  EXPECT_EQ(damaged, 1u);
  EXPECT_EQ(scanned, 19u);
  EXPECT_THAT(memories_->GetUnit("hurt", 5).status(), StatusIs(absl::StatusCode::kDataLoss));

  // The damaged units can be deleted.
  auto deleted = memories_->DeleteUnits("hurt", {3, 5});
  ASSERT_THAT(deleted.status(), IsOk());
  EXPECT_EQ(*deleted, 2u);
  damaged = 0;
  ASSERT_THAT(memories_->ScanUnits(
                  "hurt", 0, [&](const Unit&) { return absl::OkStatus(); }, &damaged),
              IsOk());
  EXPECT_EQ(damaged, 0u);
  EXPECT_EQ(Info("hurt").units, 18u);
}

TEST_F(MemoryLifecycleTest, LimitsOnMemoriesAreCheckedWhenCreated) {
  auto r = memories_->CreateMemory(NewMemory{"d", "en", "ar", std::string(kMaxDescriptionBytes + 1, 'x')});
  EXPECT_THAT(r.status(), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_NE(r.status().message().find("description"), std::string::npos) << r.status();
}

}  // namespace
}  // namespace qantara::storage::testing
