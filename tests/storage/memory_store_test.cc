// Memory store basics: memories created, listed, got and deleted; units kept
// as given; duplicate policies; writes visible at once and after a reopen;
// indexed lookups equal to the exhaustive scan; concordance; stats.
#include <random>

#include "gtest/gtest.h"
#include "service/tm/memories.h"
#include "tests/storage/memory_store_test_util.h"

namespace qantara::storage {
namespace {

using testing::MemoryStoreTest;
using testing::U;

TEST_F(MemoryStoreTest, MemoriesCreateListGetDelete) {
  Create("b", "ar-SA", "en-US");
  Create("a");
  EXPECT_EQ(memories_->CreateMemory(NewMemory{"a", "en", "ar", ""}).status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(memories_->CreateMemory(NewMemory{"c", "en", "en", ""}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(memories_->CreateMemory(NewMemory{"d", "fr", "en", ""}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(memories_->CreateMemory(NewMemory{"", "ar", "en", ""}).status().code(),
            absl::StatusCode::kInvalidArgument);
  auto list = memories_->ListMemories();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "a");
  EXPECT_EQ((*list)[1].source_lang, "ar-SA");  // kept as given
  Reopen();
  auto b = memories_->GetMemory("b");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->target_lang, "en-US");
  EXPECT_EQ(b->description, "test");
  ASSERT_TRUE(memories_->DeleteMemory("b").ok());
  EXPECT_EQ(memories_->GetMemory("b").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(memories_->DeleteMemory("b").code(), absl::StatusCode::kNotFound);
}

TEST_F(MemoryStoreTest, UnitsKeepEverythingAsGiven) {
  Create("m");
  Unit u = U("  Save <b>the</b> file ", "احفظ الملف");
  u.created_by = "rana";
  u.attributes.project = "p";
  u.attributes.extra = {{"k", "v"}};
  u.context = {"prev", "next", "id7"};
  u.origin = match::Origin::kAlignment;
  u.alignment_confidence = 0.8;
  auto out = Add("m", {u});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].kind, AddOutcome::kAdded);
  Reopen();
  auto got = memories_->GetUnit("m", out[0].id);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->source, u.source);
  EXPECT_EQ(got->target, u.target);
  EXPECT_EQ(got->created_by, "rana");
  EXPECT_EQ(got->changed_by, "rana");
  EXPECT_GT(got->created_at_us, 0);
  EXPECT_EQ(got->attributes.extra, u.attributes.extra);
  EXPECT_EQ(got->context.id, "id7");
  EXPECT_DOUBLE_EQ(got->alignment_confidence, 0.8);
  EXPECT_EQ(memories_->GetMemory("m")->units, 1u);
  ASSERT_TRUE(memories_->IncrementUsage("m", out[0].id, 2).ok());
  EXPECT_EQ(memories_->GetUnit("m", out[0].id)->usage_count, 2u);
  EXPECT_EQ(memories_->AddUnits("m", {U("", "x")}, DuplicatePolicy::kKeepAll).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(memories_->AddUnits("m", {U("\xff", "x")}, DuplicatePolicy::kKeepAll).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(memories_->AddUnits("nope", {U("a", "b")}, DuplicatePolicy::kKeepAll).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(MemoryStoreTest, DuplicatePolicies) {
  Create("m");
  auto first = Add("m", {U("Open", "افتح")});
  // Identical pair: skipped (also within one call).
  auto again = Add("m", {U("Open", "افتح"), U("Close", "أغلق"), U("Close", "أغلق")});
  EXPECT_EQ(again[0].kind, AddOutcome::kSkipped);
  EXPECT_EQ(again[0].id, first[0].id);
  EXPECT_EQ(again[1].kind, AddOutcome::kAdded);
  EXPECT_EQ(again[2].kind, AddOutcome::kSkipped);
  // Another translation: kept by kSkipIdentical and kKeepAll.
  Add("m", {U("Open", "فتح")});
  EXPECT_EQ(memories_->GetMemory("m")->units, 3u);
  Add("m", {U("Open", "افتح")}, DuplicatePolicy::kKeepAll);
  EXPECT_EQ(memories_->GetMemory("m")->units, 4u);
  // Overwrite: the newest unit with the same source gets the new target.
  auto over = Add("m", {U("Close", "اغلق الآن")}, DuplicatePolicy::kOverwriteTarget);
  EXPECT_EQ(over[0].kind, AddOutcome::kOverwritten);
  EXPECT_EQ(over[0].id, again[1].id);
  EXPECT_EQ(memories_->GetUnit("m", again[1].id)->target, "اغلق الآن");
  EXPECT_EQ(memories_->GetMemory("m")->units, 4u);
  // Reverse lookup sees the new target at once; the old one is gone.
  EXPECT_EQ(Find("m", "اغلق الآن", 100, false, true).matches.size(), 1u);
  EXPECT_TRUE(Find("m", "أغلق", 100, false, true).matches.empty());
}

TEST_F(MemoryStoreTest, WritesAreVisibleAtOnceAndSurviveReopen) {
  Create("m");
  Add("m", {U("the quick brown fox", "a"), U("the lazy dog", "b")});
  EXPECT_EQ(Find("m", "the quick brown cat").matches.size(), 1u);  // fills the caches
  auto added = Add("m", {U("the quick brown cat", "c")});
  auto r = Find("m", "the quick brown cat");
  ASSERT_EQ(r.matches.size(), 2u);
  EXPECT_EQ(r.matches[0].unit.id, added[0].id);
  EXPECT_DOUBLE_EQ(r.matches[0].score, 100);
  // Update: the old text no longer matches, the new one does.
  Unit changed = U("a slow green turtle", "d");
  changed.id = added[0].id;
  ASSERT_TRUE(memories_->UpdateUnit("m", changed).ok());
  EXPECT_EQ(Find("m", "the quick brown cat").matches.size(), 1u);
  EXPECT_EQ(Find("m", "a slow green turtle").matches.at(0).unit.id, added[0].id);
  Reopen();  // nothing to rebuild: postings are in RocksDB
  EXPECT_EQ(Find("m", "a slow green turtle").matches.at(0).unit.id, added[0].id);
  auto deleted = memories_->DeleteUnits("m", {added[0].id, 999});
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(*deleted, 1u);
  EXPECT_TRUE(Find("m", "a slow green turtle").matches.empty());
  EXPECT_EQ(memories_->GetMemory("m")->units, 2u);
  Reopen();
  EXPECT_TRUE(Find("m", "a slow green turtle").matches.empty());
  EXPECT_EQ(memories_->GetMemory("m")->units, 2u);
}

TEST_F(MemoryStoreTest, DeletingAMemoryDeletesItsUnits) {
  Create("m");
  Add("m", {U("hello world", "x")});
  ASSERT_TRUE(memories_->DeleteMemory("m").ok());
  Create("m");
  EXPECT_EQ(memories_->GetMemory("m")->units, 0u);
  EXPECT_TRUE(Find("m", "hello world").matches.empty());
  EXPECT_TRUE(Find("m", "hello world", 70, true).matches.empty());
  Reopen();
  EXPECT_TRUE(Find("m", "hello world", 70, true).matches.empty());
}

TEST_F(MemoryStoreTest, IndexedEqualsExhaustive) {
  Create("m");
  std::mt19937 rng(3);
  const std::vector<std::string> vocab = {"the", "a",   "file", "open", "save", "close", "window", "new",
                                          "old", "red", "Save", "5",    "9",    "is",    "not"};
  auto sentence = [&] {
    std::string s;
    const int len = 1 + rng() % 9;
    for (int i = 0; i < len; ++i) s += (i ? " " : "") + vocab[rng() % vocab.size()];
    return s;
  };
  std::vector<Unit> units;
  for (int i = 0; i < 400; ++i) units.push_back(U(sentence(), "t" + std::to_string(i)));
  Add("m", units, DuplicatePolicy::kKeepAll);
  std::vector<uint64_t> doomed;
  for (uint64_t id = 1; id < 400; id += 7) doomed.push_back(id);
  ASSERT_TRUE(memories_->DeleteUnits("m", doomed).ok());
  for (int round = 0; round < 2; ++round) {
    for (int q = 0; q < 150; ++q) {
      const std::string text = sentence();
      for (double t : {50.0, 75.0}) {
        auto a = Find("m", text, t);
        auto b = Find("m", text, t, true);
        ASSERT_EQ(a.matches.size(), b.matches.size()) << text;
        for (size_t i = 0; i < a.matches.size(); ++i) {
          EXPECT_EQ(a.matches[i].unit.id, b.matches[i].unit.id) << text;
          EXPECT_EQ(a.matches[i].score, b.matches[i].score) << text;
        }
      }
    }
    Reopen();
  }
}

TEST_F(MemoryStoreTest, ConcordanceFindsPhrasesWithSpansAndPages) {
  Create("m");
  std::vector<Unit> units;
  for (int i = 0; i < 5; ++i) {
    Unit u = U("please save the file now " + std::to_string(i), "t");
    u.attributes.project = i % 2 ? "odd" : "even";
    units.push_back(u);
  }
  units.push_back(U("the file was saved", "t"));
  Add("m", units);
  tm::ConcordanceRequest req;
  req.memory = "m";
  req.text = "Save THE file";
  req.page_size = 2;
  auto page = memories_->Concordance(req);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->hits.size(), 2u);
  EXPECT_EQ(page->hits[0].unit.id, 5u);  // newest first
  ASSERT_EQ(page->hits[0].spans.size(), 1u);
  EXPECT_EQ(page->hits[0].spans[0], (std::pair<uint32_t, uint32_t>{7, 20}));
  std::vector<uint64_t> all;
  while (true) {
    for (auto& h : page->hits) all.push_back(h.unit.id);
    if (page->next_page_token == 0) break;
    req.page_token = page->next_page_token;
    page = memories_->Concordance(req);
    ASSERT_TRUE(page.ok());
  }
  EXPECT_EQ(all, (std::vector<uint64_t>{5, 4, 3, 2, 1}));
  req.page_token = 0;
  req.page_size = 10;
  req.filter.project = "odd";
  page = memories_->Concordance(req);
  ASSERT_EQ(page->hits.size(), 2u);
  req.filter = {};
  req.text = "t";
  req.in_target = true;
  EXPECT_EQ(memories_->Concordance(req)->hits.size(), 6u);
}

TEST_F(MemoryStoreTest, StatsCountMemoriesUnitsAndDisk) {
  Create("m");
  Add("m", {U("a b", "c"), U("d e", "f")});
  auto st = memories_->Stats();
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->memories, 1u);
  EXPECT_EQ(st->units, 2u);
  // RocksDB's memory: the adds sit in the memtables (not flushed yet); the
  // shared block cache is read once, within its 256 MiB.
  EXPECT_GT(st->rocks_memtable_bytes, 0u);
  EXPECT_LE(st->rocks_block_cache_bytes, uint64_t{256} << 20);
}

}  // namespace
}  // namespace qantara::storage
