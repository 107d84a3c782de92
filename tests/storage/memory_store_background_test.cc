// Background index writes of the memory store: reads and writes go on while
// a full buffer is written, closing and deleting a memory wait for it, and a
// failed write is surfaced to the next write.
#include <thread>

#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "service/tm/memories.h"
#include "storage/internal/encoding.h"
#include "storage/internal/rocks.h"
#include "tests/storage/memory_store_test_util.h"

namespace qantara::storage {
namespace {

using testing::HeldWrites;
using testing::MemoryStoreTest;
using testing::Numbered;

// A full buffer is written on a background thread; while it is written,
// lookups, concordance and duplicate checks see its units (from the buffer
// being written), further adds go on, and a removal waits for it.
TEST_F(MemoryStoreTest, ReadsAndWritesGoOnDuringABackgroundIndexWrite) {
  HeldWrites held;
  StartBackgroundIndexWrite(held, 150, DuplicatePolicy::kKeepAll);  // 150 buffered: a write starts, held
  auto check = [&](const char* when) {
    SCOPED_TRACE(when);
    for (int i : {0, 99, 149}) {
      auto hit = Find("m", "unit " + std::to_string(i) + " of the batch", 100);
      ASSERT_EQ(hit.matches.size(), 1u) << i;
      EXPECT_EQ(hit.matches[0].unit.target, "t" + std::to_string(i));
    }
    ExpectIndexedEqualsExhaustive("m", "unit 17 of batch", 50);
    EXPECT_EQ(ConcordanceHits("m", "of the batch"), 160u);
  };
  // Adds go on (into the live buffer) and see the units being written.
  auto more = Add("m", Numbered(140, 160));
  ASSERT_EQ(more.size(), 20u);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(more[i].kind, AddOutcome::kSkipped) << i;
  for (int i = 10; i < 20; ++i) EXPECT_EQ(more[i].kind, AddOutcome::kAdded) << i;
  check("during the write");
  // A removal waits for the write (released a little later).
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    held.release.set_value();
  });
  auto r = Find("m", "unit 3 of the batch", 100);
  ASSERT_EQ(r.matches.size(), 1u);
  ASSERT_EQ(*memories_->DeleteUnits("m", {r.matches[0].unit.id}), 1u);
  release.join();
  EXPECT_TRUE(Find("m", "unit 3 of the batch", 100).matches.empty());
  Add("m", Numbered(3, 4));  // back again
  check("after the write");
  ASSERT_TRUE(memories_->WaitForIndexWrites().ok());
  Reopen();
  check("reopened");
  EXPECT_EQ(held.count.load(), 1);
}

// Closing the memory store waits for a background write, and writes the
// rest of the buffer after it.
TEST_F(MemoryStoreTest, CloseDuringABackgroundIndexWriteWaitsForIt) {
  HeldWrites held;
  StartBackgroundIndexWrite(held, 120);
  Add("m", Numbered(120, 130));  // live buffer
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    held.release.set_value();
  });
  memories_.reset();  // waits, then writes the 10 live units
  release.join();
  auto watermark = store_->Get(Cf::kMemories, IndexedUptoKey(1));
  ASSERT_TRUE(watermark.ok() && watermark->has_value());
  EXPECT_EQ(DecodeFixed64BE((*watermark)->data()), 130u);
  options_.before_background_index_write = nullptr;
  Reopen();
  for (int i : {0, 119, 120, 129}) {
    EXPECT_EQ(Find("m", "unit " + std::to_string(i) + " of the batch", 100).matches.size(), 1u) << i;
  }
}

// Deleting a memory waits for its background write: nothing of the memory
// is left in RocksDB (the ingestion does not land after the range deletes).
TEST_F(MemoryStoreTest, DeleteDuringABackgroundIndexWriteLeavesNothing) {
  HeldWrites held;
  StartBackgroundIndexWrite(held, 120);
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    held.release.set_value();
  });
  ASSERT_TRUE(memories_->DeleteMemory("m").ok());
  release.join();
  EXPECT_FALSE(memories_->GetMemory("m").ok());
  const std::string lo = MemoryPrefix(1), hi = MemoryPrefix(2);
  for (Cf cf : {Cf::kPostings, Cf::kExact, Cf::kUnits, Cf::kUnitKeys}) {
    std::unique_ptr<rocksdb::Iterator> it(
        internal::Rocks(*store_).db->NewIterator(rocksdb::ReadOptions(), internal::Rocks(*store_).cf(cf)));
    it->Seek(lo);
    EXPECT_TRUE(!it->Valid() || it->key().compare(hi) >= 0) << static_cast<int>(cf);
  }
  auto watermark = store_->Get(Cf::kMemories, IndexedUptoKey(1));
  ASSERT_TRUE(watermark.ok());
  EXPECT_FALSE(watermark->has_value());
  Create("m");  // a new memory of the same name starts empty
  EXPECT_TRUE(Find("m", "unit 7 of the batch", 50).matches.empty());
}

// A failed background write is returned by an add before it writes
// anything: by the next one when the failure is known when it starts, else
// (it was reaped after that add's batch was written: the add stored its
// units and succeeded) by the one after. A failed add stored nothing; its
// entries stay readable, are buffered again, and a later write stores them.
TEST_F(MemoryStoreTest, FailedBackgroundIndexWriteIsSurfacedToTheNextWrite) {
  HeldWrites held;
  held.fail = true;
  held.release.set_value();
  StartBackgroundIndexWrite(held, 120);  // the background write fails
  EXPECT_EQ(Find("m", "unit 7 of the batch", 100).matches.size(), 1u);
  auto next = memories_->AddUnits("m", Numbered(120, 220), DuplicatePolicy::kSkipIdentical);
  // The failed write did not move the watermark.
  auto watermark = store_->Get(Cf::kMemories, IndexedUptoKey(1));
  ASSERT_TRUE(watermark.ok());
  EXPECT_FALSE(watermark->has_value() && DecodeFixed64BE((*watermark)->data()) > 0);
  held.fail = false;  // the disk is back: the next writes store everything
  if (next.ok()) {
    EXPECT_EQ(memories_->GetMemory("m")->units, 220u);
    auto after = memories_->AddUnits("m", Numbered(220, 221), DuplicatePolicy::kSkipIdentical);
    EXPECT_EQ(after.status().code(), absl::StatusCode::kUnavailable) << after.status();
  } else {
    EXPECT_EQ(next.status().code(), absl::StatusCode::kUnavailable) << next.status();
    EXPECT_EQ(memories_->GetMemory("m")->units, 120u);  // nothing of the failed call
    next = memories_->AddUnits("m", Numbered(120, 220), DuplicatePolicy::kSkipIdentical);
    ASSERT_TRUE(next.ok()) << next.status();  // reported once
  }
  EXPECT_EQ(memories_->GetMemory("m")->units, 220u);
  for (int i : {7, 120, 219}) {
    EXPECT_EQ(Find("m", "unit " + std::to_string(i) + " of the batch", 100).matches.size(), 1u) << i;
  }
  Add("m", Numbered(220, 221));
  ASSERT_TRUE(memories_->WaitForIndexWrites().ok());
  watermark = store_->Get(Cf::kMemories, IndexedUptoKey(1));
  ASSERT_TRUE(watermark.ok() && watermark->has_value());
  // Every entry of the failed write is written now (the last unit may still be buffered).
  EXPECT_GE(DecodeFixed64BE((*watermark)->data()), 220u);
  options_.before_background_index_write = nullptr;
  Reopen();
  for (int i : {0, 7, 119, 120, 219, 220}) {
    EXPECT_EQ(Find("m", "unit " + std::to_string(i) + " of the batch", 100).matches.size(), 1u) << i;
  }
  EXPECT_EQ(memories_->GetMemory("m")->units, 221u);
}

}  // namespace
}  // namespace qantara::storage
