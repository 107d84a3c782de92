// IndexCompactor (storage/index_compactor.h): the sorted runs that ingested
// index buffers leave are folded into one, reads give the same answers, and
// the background check waits for quiet and for writes in flight.
#include "storage/internal/index_compactor.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "service/tm/memories.h"
#include "storage/internal/encoding.h"
#include "storage/internal/rocks.h"
#include "storage/store.h"
#include "tests/storage/memory_store_fixture.h"

namespace qantara::storage {
namespace {

using namespace std::chrono_literals;

class IndexCompactorTest : public testing::MemoryStoreFixture {
 protected:
  void SetUp() override {
    options_.index_buffer_units = 100;   // a buffer every 100 units...
    options_.index_file_min_units = 50;  // ...ingested as SST files
    options_.compact_min_runs = 0;       // no background compaction unless a test asks
  }

  // Adds `batches` batches of 100 units to `mem`, each ingested before the
  // next: one sorted run a batch.
  void AddIngested(const std::string& mem, int batches, int first = 0) {
    for (int b = 0; b < batches; ++b) {
      std::vector<Unit> units;
      for (int i = 0; i < 100; ++i) {
        const int n = first + b * 100 + i;
        Unit u;
        u.source = "open the file number " + std::to_string(n) + " now";
        u.target = "t" + std::to_string(n);
        units.push_back(std::move(u));
      }
      auto r = memories_->AddUnits(mem, std::move(units), DuplicatePolicy::kKeepAll);
      ASSERT_TRUE(r.ok()) << r.status();
      ASSERT_TRUE(memories_->WaitForIndexWrites().ok());
    }
  }

  size_t Runs(Cf cf, uint32_t memory) {
    auto r = IndexCompactor::SortedRuns(internal::Rocks(*store_), cf, memory);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : 0;
  }

  // Each indexed lookup in `answers` (Answers()) equals the exhaustive one after it.
  static void ExpectIndexedEqualsExhaustive(const std::vector<std::vector<uint64_t>>& answers) {
    for (size_t i = 0; i + 1 < answers.size(); i += 2) EXPECT_EQ(answers[i], answers[i + 1]) << i;
  }

  // What lookups and concordance answer for `mem`: unit ids in order, each
  // lookup indexed then exhaustive, the concordance hit count last.
  std::vector<std::vector<uint64_t>> Answers(const std::string& mem) {
    std::vector<std::vector<uint64_t>> out;
    for (const char* q : {"open the file number 17 now", "open the file number 432 now", "open the file now",
                          "file number 5", "t250"}) {
      for (bool exhaustive : {false, true}) {
        tm::LookupRequest req;
        req.memories = {mem};
        req.text = q;
        req.reverse = q[0] == 't';
        req.options.threshold = 50;
        req.options.max_results = 10;
        req.options.exhaustive = exhaustive;
        auto r = memories_->Lookup(req);
        EXPECT_TRUE(r.ok()) << r.status();
        std::vector<uint64_t> ids;
        if (r.ok()) {
          for (const auto& m : r->matches) ids.push_back(m.unit.id);
        }
        out.push_back(ids);
      }
    }
    tm::ConcordanceRequest c;
    c.memory = mem;
    c.text = "file number";
    c.page_size = 1000;
    auto hits = memories_->Concordance(c);
    EXPECT_TRUE(hits.ok()) << hits.status();
    out.push_back({hits.ok() ? hits->hits.size() : 0});
    return out;
  }

  // The stored posting list of "file" in 6-token sources of memory 1.
  match::UnitIds StoredFileList() {
    const uint64_t token = analyzer_.Analyze("file", text::Language::kEnglish)->key.tokens.at(0).key;
    std::string value;
    rocksdb::Status s =
        internal::Rocks(*store_).db->Get(rocksdb::ReadOptions(), internal::Rocks(*store_).cf(Cf::kPostings),
                                         PostingKey(1, match::Side::kSource, token, 6), &value);
    EXPECT_TRUE(s.ok()) << s.ToString();
    auto ids = DecodePostingList(value);
    EXPECT_TRUE(ids.ok());
    return ids.ok() ? *ids : match::UnitIds{};
  }
};

TEST_F(IndexCompactorTest, CompactFoldsAMemorysRunsIntoOneAndKeepsEveryAnswer) {
  Reopen();
  ASSERT_TRUE(memories_->CreateMemory(NewMemory{"m", "en", "ar", ""}).ok());
  ASSERT_TRUE(memories_->CreateMemory(NewMemory{"other", "en", "ar", ""}).ok());
  AddIngested("m", 6);
  AddIngested("other", 2, 5000);
  EXPECT_GE(Runs(Cf::kPostings, 1), 4u);
  EXPECT_GE(Runs(Cf::kExact, 1), 4u);
  const auto before = Answers("m"), other_before = Answers("other");
  ASSERT_EQ(before.back().front(), 600u);  // concordance sees every unit
  ExpectIndexedEqualsExhaustive(before);
  EXPECT_EQ(before[0].front(), 18u);

  for (Cf cf : {Cf::kPostings, Cf::kExact}) {
    ASSERT_TRUE(IndexCompactor::Compact(internal::Rocks(*store_), cf, 1).ok());
    EXPECT_EQ(Runs(cf, 1), 1u);
  }
  EXPECT_EQ(Answers("m"), before);
  EXPECT_EQ(Answers("other"), other_before);
  match::UnitIds all;
  for (uint64_t id = 1; id <= 600; ++id) all.push_back(id);
  EXPECT_EQ(StoredFileList(), all);  // one value, every unit once

  // Units added after the compaction are found, and everything survives a reopen.
  AddIngested("m", 1, 600);
  Reopen();
  const auto after = Answers("m");
  ExpectIndexedEqualsExhaustive(after);
  EXPECT_EQ(after[0].front(), 18u);  // "number 17": unit 18, the very text
  EXPECT_EQ(after.back().front(), 700u);
  // A memory without files: nothing to do.
  EXPECT_TRUE(IndexCompactor::Compact(internal::Rocks(*store_), Cf::kPostings, 99).ok());
  EXPECT_EQ(Runs(Cf::kPostings, 99), 0u);
}

TEST_F(IndexCompactorTest, MemoryStoreCompactsOnceWritesStopAndAtOpen) {
  Reopen();
  ASSERT_TRUE(memories_->CreateMemory(NewMemory{"m", "en", "ar", ""}).ok());
  AddIngested("m", 5);
  ASSERT_GE(Runs(Cf::kPostings, 1), 4u);
  const auto before = Answers("m");

  // Opened with background compaction: the runs left by the load are
  // folded without any further write.
  options_.compact_min_runs = 4;
  options_.compact_after_quiet = 20ms;
  Reopen();
  auto wait_for_one_run = [&] {
    memories_->WaitForIndexCompactions();
    EXPECT_EQ(Runs(Cf::kPostings, 1), 1u);
    EXPECT_EQ(Runs(Cf::kExact, 1), 1u);
  };
  wait_for_one_run();
  EXPECT_EQ(Answers("m"), before);

  // A new load, then quiet: compacted again.
  AddIngested("m", 4, 500);
  wait_for_one_run();
  const auto after = Answers("m");
  ExpectIndexedEqualsExhaustive(after);
  EXPECT_EQ(after[0].front(), 18u);
  EXPECT_EQ(after.back().front(), 900u);
}

TEST_F(IndexCompactorTest, FewRunsAreLeftAlone) {
  Reopen();
  ASSERT_TRUE(memories_->CreateMemory(NewMemory{"m", "en", "ar", ""}).ok());
  AddIngested("m", 2);
  const size_t runs = Runs(Cf::kPostings, 1);
  ASSERT_EQ(runs, 2u);
  IndexCompactor compactor(internal::Rocks(*store_), nullptr, IndexCompactorOptions{1ms, 4});
  compactor.NoteWrite(1);
  std::this_thread::sleep_for(200ms);
  compactor.Stop();
  EXPECT_EQ(compactor.compactions(), 0u);
  EXPECT_EQ(Runs(Cf::kPostings, 1), runs);
}

TEST_F(IndexCompactorTest, WaitsWhileTheMemoryIsBusyAndStopDropsPendingChecks) {
  Reopen();
  ASSERT_TRUE(memories_->CreateMemory(NewMemory{"m", "en", "ar", ""}).ok());
  AddIngested("m", 5);
  {
    // A check a long way off: Stop() returns at once and compacts nothing.
    IndexCompactor compactor(internal::Rocks(*store_), nullptr,
                             IndexCompactorOptions{std::chrono::hours(1), 4});
    compactor.NoteWrite(1);
    const auto t = std::chrono::steady_clock::now();
    compactor.Stop();
    EXPECT_LT(std::chrono::steady_clock::now() - t, 5s);
    compactor.NoteWrite(1);  // ignored after Stop()
    EXPECT_EQ(compactor.compactions(), 0u);
    EXPECT_GE(Runs(Cf::kPostings, 1), 4u);
  }
  // Busy for the first checks: compacted once the memory is idle.
  std::atomic<int> asked{0};
  IndexCompactor compactor(
      internal::Rocks(*store_), [&](uint32_t id) { return id == 1 && asked.fetch_add(1) < 3; },
      IndexCompactorOptions{5ms, 4});
  compactor.NoteWrite(1);
  for (int i = 0; i < 1000 && compactor.compactions() == 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(compactor.compactions(), 1u);
  EXPECT_GE(asked.load(), 4);
  EXPECT_EQ(Runs(Cf::kPostings, 1), 1u);
  compactor.Stop();
}

}  // namespace
}  // namespace qantara::storage
