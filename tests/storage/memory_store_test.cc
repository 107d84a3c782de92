#include "service/tm/memories.h"

#include <filesystem>
#include <fstream>
#include <future>
#include <thread>
#include <random>

#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "storage/internal/encoding.h"
#include "storage/internal/rocks.h"
#include "tests/service/match/simple_analyzer.h"
#include "tests/storage/memory_store_fixture.h"
#include "tests/storage/temp_dir.h"

namespace qantara::storage {
namespace {

using match::testing::SimpleAnalyzer;
using testing::TempDir;

Unit U(std::string source, std::string target) {
  Unit u;
  u.source = std::move(source);
  u.target = std::move(target);
  return u;
}

// A hook that holds background index writes until released (and counts
// them), or fails them.
struct HeldWrites {
  std::promise<void> started, release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> count{0};
  std::atomic<bool> fail{false};
  std::function<absl::Status(uint32_t)> Hook() {
    return [this](uint32_t) -> absl::Status {
      if (count.fetch_add(1) == 0) {
        started.set_value();
        released.wait();
      }
      if (fail) return absl::UnavailableError("disk on fire");
      return absl::OkStatus();
    };
  }
};

// Numbered units "unit <i> of the batch" -> "t<i>", i in [from, to).
std::vector<Unit> Numbered(int from, int to) {
  std::vector<Unit> units;
  for (int i = from; i < to; ++i) units.push_back(U("unit " + std::to_string(i) + " of the batch", "t" + std::to_string(i)));
  return units;
}

class MemoryStoreTest : public testing::MemoryStoreFixture {
 protected:
  void SetUp() override { Reopen(); }

  // A crash: copies the live data dir (idle, so its WAL holds every write)
  // to tmp_.path(name) without its lock, drops the open stores, and returns
  // the copy's path.
  std::string CrashCopy(const std::string& name) {
    const std::string copy = tmp_.path(name);
    // A live copy is what a crash leaves, but a file that a running index
    // compaction deletes midway would fail the copy itself.
    memories_->WaitForIndexCompactions();
    std::filesystem::copy(tmp_.path("data"), copy, std::filesystem::copy_options::recursive);
    std::filesystem::remove(std::filesystem::path(copy) / "LOCK");
    memories_.reset();
    store_.reset();
    return copy;
  }

  void Create(const std::string& name, const std::string& src = "en", const std::string& tgt = "ar") {
    auto r = memories_->CreateMemory(NewMemory{name, src, tgt, "test"});
    ASSERT_TRUE(r.ok()) << r.status();
  }

  std::vector<AddOutcome> Add(const std::string& mem, std::vector<Unit> units,
                              DuplicatePolicy policy = DuplicatePolicy::kSkipIdentical) {
    auto r = memories_->AddUnits(mem, std::move(units), policy);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : std::vector<AddOutcome>{};
  }

  match::LookupResult Find(const std::string& mem, const std::string& text, double threshold = 70,
                           bool exhaustive = false, bool reverse = false) {
    tm::LookupRequest req;
    req.memories = {mem};
    req.text = text;
    req.reverse = reverse;
    req.options.threshold = threshold;
    req.options.exhaustive = exhaustive;
    auto r = memories_->Lookup(req);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : match::LookupResult{};
  }

  // Reopens with a 100-unit index buffer whose background writes go through
  // `held`, creates memory "m" and adds units [0, n): a background write
  // starts; returns once it has (held, or failed when held.fail).
  void StartBackgroundIndexWrite(HeldWrites& held, int n,
                                 DuplicatePolicy policy = DuplicatePolicy::kSkipIdentical) {
    options_.index_buffer_units = 100;
    options_.index_file_min_units = 50;
    options_.before_background_index_write = held.Hook();
    Reopen();
    Create("m");
    Add("m", Numbered(0, n), policy);
    held.started.get_future().wait();
  }

  // The indexed lookup of `q` returns the units the exhaustive scan returns, in its order.
  void ExpectIndexedEqualsExhaustive(const std::string& mem, const std::string& q, double threshold) {
    SCOPED_TRACE(q);
    auto a = Find(mem, q, threshold), b = Find(mem, q, threshold, true);
    ASSERT_EQ(a.matches.size(), b.matches.size());
    for (size_t i = 0; i < a.matches.size(); ++i) EXPECT_EQ(a.matches[i].unit.id, b.matches[i].unit.id);
  }

  // The number of concordance hits of `text` in `mem` (one page of up to 1000).
  size_t ConcordanceHits(const std::string& mem, const std::string& text) {
    tm::ConcordanceRequest c;
    c.memory = mem;
    c.text = text;
    c.page_size = 1000;
    auto hits = memories_->Concordance(c);
    EXPECT_TRUE(hits.ok()) << hits.status();
    return hits.ok() ? hits->hits.size() : 0;
  }
};

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
  const std::vector<std::string> vocab = {"the", "a", "file", "open", "save", "close", "window",
                                          "new", "old", "red", "Save", "5", "9", "is", "not"};
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

// Bulk adds buffer the postings and exact entries of new units; lookups,
// concordance and duplicate checks see them at once, and a crash (here: a copy
// of the live data dir, which is what RocksDB recovers after kill -9) loses
// none of them: the next open rebuilds them from the unit keys.
TEST_F(MemoryStoreTest, BufferedIndexIsVisibleAndSurvivesACrash) {
  Create("m");
  std::vector<Unit> units;
  for (int i = 0; i < 300; ++i) {
    units.push_back(U("open the file number " + std::to_string(i) + " now", "t" + std::to_string(i)));
  }
  units.push_back(U("close the red window", "اغلق النافذة الحمراء"));
  Add("m", units, DuplicatePolicy::kSkipIdentical);
  auto check = [&](const char* when) {
    SCOPED_TRACE(when);
    auto r = Find("m", "close the red window");
    ASSERT_FALSE(r.matches.empty());
    EXPECT_EQ(r.matches[0].unit.target, "اغلق النافذة الحمراء");
    EXPECT_EQ(r.matches[0].score, 100);
    auto reverse = Find("m", "اغلق النافذة الحمراء", 70, false, true);
    ASSERT_FALSE(reverse.matches.empty());
    EXPECT_EQ(reverse.matches[0].unit.source, "close the red window");
    ASSERT_EQ(ConcordanceHits("m", "red window"), 1u);
    // Duplicate checks see buffered units: the same pair is skipped.
    auto again = Add("m", {U("close the red window", "اغلق النافذة الحمراء")});
    ASSERT_EQ(again.size(), 1u);
    EXPECT_EQ(again[0].kind, AddOutcome::kSkipped);
    for (const char* q : {"open the file number 17 now", "open the file number now", "the red window"}) {
      for (double t : {50.0, 80.0}) ExpectIndexedEqualsExhaustive("m", q, t);
    }
  };
  check("buffered");
  OpenAt(CrashCopy("crashed"));
  check("recovered after a crash");
  // A removal writes the buffer first: a deleted recovered unit stays deleted.
  auto r = Find("m", "close the red window");
  ASSERT_FALSE(r.matches.empty());
  const uint64_t id = r.matches[0].unit.id;
  ASSERT_EQ(*memories_->DeleteUnits("m", {id}), 1u);
  for (int round = 0; round < 2; ++round) {
    auto gone = Find("m", "close the red window", 90);
    EXPECT_TRUE(gone.matches.empty());
    auto all = Find("m", "open the file number 250 now", 90);
    ASSERT_FALSE(all.matches.empty());
    EXPECT_EQ(all.matches[0].unit.target, "t250");
    memories_.reset();  // a clean close writes the buffer
    auto m = tm::Memories::Open(*store_, analyzer_);
    ASSERT_TRUE(m.ok()) << m.status();
    memories_ = *std::move(m);
  }
}

// Big index buffers are written as SST files and ingested (FORMAT.md): the
// entries are readable after the write and after a reopen, files are not
// left behind, and a crash after the ingestion but before the watermark
// loses nothing and lists no unit twice (the entries are added again).
TEST_F(MemoryStoreTest, IngestedIndexSurvivesReopenAndACrashBeforeTheWatermark) {
  options_.index_buffer_units = 100;  // write the buffer every 100 units...
  options_.index_file_min_units = 50;  // ...as SST files
  Reopen();
  Create("m");
  std::vector<Unit> units;
  for (int i = 0; i < 250; ++i) {
    units.push_back(U("open the file number " + std::to_string(i) + " now", "t" + std::to_string(i)));
  }
  Add("m", units, DuplicatePolicy::kKeepAll);  // one batch, then ingested: watermark 250
  Add("m", {U("close the red window", "اغلق النافذة الحمراء")});  // buffered
  ASSERT_TRUE(memories_->WaitForIndexWrites().ok());  // the ingestion ran in the background
  const uint64_t file_token = analyzer_.Analyze("file", text::Language::kEnglish)->key.tokens.at(0).key;
  const std::string file_key = PostingKey(1, match::Side::kSource, file_token, 6);  // 6-token sources
  // The posting list of "file" in 6-token sources, as stored: every unit once.
  auto stored_file_list = [&] {
    std::string value;
    rocksdb::Status s = internal::Rocks(*store_).db->Get(rocksdb::ReadOptions(), internal::Rocks(*store_).cf(Cf::kPostings),
                                                file_key, &value);
    EXPECT_TRUE(s.ok()) << s.ToString();
    auto ids = DecodePostingList(value);
    EXPECT_TRUE(ids.ok());
    return ids.ok() ? *ids : match::UnitIds{};
  };
  auto check = [&](const char* when) {
    SCOPED_TRACE(when);
    auto r = Find("m", "close the red window");
    ASSERT_FALSE(r.matches.empty());
    EXPECT_EQ(r.matches[0].unit.target, "اغلق النافذة الحمراء");
    for (int i : {0, 17, 249}) {
      auto hit = Find("m", "open the file number " + std::to_string(i) + " now", 100);
      ASSERT_EQ(hit.matches.size(), 1u) << i;
      EXPECT_EQ(hit.matches[0].unit.target, "t" + std::to_string(i));
    }
    auto reverse = Find("m", "t17", 100, false, true);
    ASSERT_EQ(reverse.matches.size(), 1u);
    for (const char* q : {"open the file number 17 now", "open the file now", "the red window"}) {
      ExpectIndexedEqualsExhaustive("m", q, 50);
    }
    EXPECT_EQ(ConcordanceHits("m", "file number"), 250u);
    match::UnitIds want;
    for (uint64_t id = 1; id <= 250; ++id) want.push_back(id);
    EXPECT_EQ(stored_file_list(), want);
    // Nothing is left in the ingest directory.
    std::error_code ec;
    const auto ingest = std::filesystem::path(store_->dir()) / "ingest";
    EXPECT_TRUE(!std::filesystem::exists(ingest) || std::filesystem::is_empty(ingest, ec));
  };
  check("ingested");
  Reopen();
  check("reopened");

  // Crash after an ingestion, before its watermark: a copy of the live dir
  // with the watermark put back to before the 250 units, and a half-written
  // index file left behind.
  Add("m", {U("one more unit", "x")});  // buffered again
  const std::string crashed = CrashCopy("crashed");
  {
    auto s = Store::Open(crashed);
    ASSERT_TRUE(s.ok()) << s.status();
    std::string zero;
    PutFixed64BE(zero, 0);
    ASSERT_TRUE((*s)->Put(Cf::kMemories, IndexedUptoKey(1), zero).ok());
    ASSERT_TRUE((*s)->Close().ok());
    std::filesystem::create_directories(std::filesystem::path(crashed) / "ingest");
    std::ofstream(std::filesystem::path(crashed) / "ingest" / "postings-1-300.sst") << "half";
  }
  OpenAt(crashed);  // rebuffers 252 units
  check("recovered, buffered again");
  EXPECT_EQ(memories_->GetMemory("m")->units, 252u);
  EXPECT_EQ(Find("m", "one more unit", 100).matches.size(), 1u);
  // Written again (ingested: 252 units), on top of the same entries.
  memories_.reset();
  {
    auto m = tm::Memories::Open(*store_, analyzer_, options_);
    ASSERT_TRUE(m.ok()) << m.status();
    memories_ = *std::move(m);
  }
  check("written again");
  EXPECT_EQ(Find("m", "one more unit", 100).matches.size(), 1u);
  // A removal after all that: gone for good.
  auto r = Find("m", "open the file number 17 now", 100);
  ASSERT_EQ(r.matches.size(), 1u);
  ASSERT_EQ(*memories_->DeleteUnits("m", {r.matches[0].unit.id}), 1u);
  EXPECT_TRUE(Find("m", "open the file number 17 now", 100).matches.empty());
}

// Duplicate checks of one call see the units of its earlier batches, also
// once their index entries have moved from the buffer into RocksDB (here
// ingested after the first batch of 4000 units).
TEST_F(MemoryStoreTest, DuplicateChecksSeeEarlierBatchesAfterTheBufferIsWritten) {
  options_.index_buffer_units = 100;
  options_.index_file_min_units = 50;
  Reopen();
  Create("m");
  std::vector<Unit> units;
  for (int i = 0; i < 4100; ++i) units.push_back(U("segment " + std::to_string(i) + " text", "t" + std::to_string(i)));
  units.push_back(U("segment 5 text", "t5"));  // in the second batch: a duplicate of the 6th unit
  auto out = Add("m", units, DuplicatePolicy::kSkipIdentical);
  ASSERT_EQ(out.size(), 4101u);
  EXPECT_EQ(out[4100].kind, AddOutcome::kSkipped);
  EXPECT_EQ(out[4100].id, out[5].id);
  EXPECT_EQ(memories_->GetMemory("m")->units, 4100u);
  auto again = Add("m", {U("segment 4099 text", "t4099"), U("segment 7 text", "other")});
  EXPECT_EQ(again[0].kind, AddOutcome::kSkipped);
  EXPECT_EQ(again[1].kind, AddOutcome::kAdded);
}

// Duplicate checks see every earlier source, whether the memory's source
// filter was there from its creation, was read from the exact index by a
// bulk add after an open (after a crash too, with units still buffered), or
// is not there (small adds after an open read the index).
TEST_F(MemoryStoreTest, DuplicateChecksSeeEverySourceWithOrWithoutTheFilter) {
  auto fill = [&] {
    Create("m");
    std::vector<Unit> units;
    for (int i = 0; i < 300; ++i) units.push_back(U("segment " + std::to_string(i) + " text", "t" + std::to_string(i)));
    Add("m", units, DuplicatePolicy::kSkipIdentical);
    auto first = Find("m", "segment 0 text", 100);
    ASSERT_FALSE(first.matches.empty());
    Unit changed = first.matches[0].unit;
    changed.source = "a changed source";
    ASSERT_TRUE(memories_->UpdateUnit("m", changed).ok());
  };
  // Adds what is there (two pairs, in a batch of `batch` units) and a new
  // pair: the two are skipped, the new one added.
  auto check = [&](const char* when, size_t batch) {
    SCOPED_TRACE(when);
    std::vector<Unit> units = {U("segment 299 text", "t299"), U("a changed source", "t0")};
    for (size_t i = units.size(); i + 1 < batch; ++i) units.push_back(U("filler " + std::to_string(i), "f"));
    units.push_back(U(std::string("new in ") + when, "n"));
    auto out = Add("m", units, DuplicatePolicy::kSkipIdentical);
    ASSERT_EQ(out.size(), units.size());
    EXPECT_EQ(out[0].kind, AddOutcome::kSkipped);
    EXPECT_EQ(out[1].kind, AddOutcome::kSkipped);
    EXPECT_EQ(out.back().kind, AddOutcome::kAdded);
    // And the pair just added is skipped by the next add.
    auto again = Add("m", {units.back()}, DuplicatePolicy::kSkipIdentical);
    EXPECT_EQ(again[0].kind, AddOutcome::kSkipped);
  };
  options_.source_filter_min_units = 50;
  Reopen();
  fill();
  check("created", 3);
  Reopen();
  check("reopened, small add", 3);  // no filter: the index
  check("reopened, bulk add", 60);  // the filter read from the index
  Reopen();
  options_.index_buffer_units = 100000;  // units stay buffered...
  Reopen();
  check("buffered", 60);
  OpenAt(CrashCopy("crashed"));  // ...and are recovered from unit keys
  check("recovered after a crash", 60);
  // The units that were only buffered at the crash are in the filter too.
  std::vector<Unit> buffered = {U("new in buffered", "n")};
  for (int i = 0; i < 60; ++i) buffered.push_back(U("more filler " + std::to_string(i), "f"));
  EXPECT_EQ(Add("m", buffered, DuplicatePolicy::kSkipIdentical)[0].kind, AddOutcome::kSkipped);
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

TEST_F(MemoryStoreTest, WarmUpLoadsUnitKeysAndKeepsWritesVisible) {
  Create("m");
  std::vector<Unit> units;
  for (int i = 0; i < 5000; ++i) units.push_back(U("unit number w" + std::to_string(i) + " here", "t"));
  Add("m", units);
  Reopen();
  memories_->StartWarmUp();
  auto added = Add("m", {U("a fresh unit", "t")});
  ASSERT_TRUE(memories_->DeleteUnits("m", {1}).ok());
  memories_->WaitForWarmUp();
  EXPECT_EQ(memories_->Stats()->cached_unit_keys, 5000u);  // 5000 - 1 deleted + 1 added
  EXPECT_EQ(Find("m", "a fresh unit").matches.at(0).unit.id, added[0].id);
  EXPECT_TRUE(Find("m", "unit number w0 here", 100).matches.empty());
  EXPECT_EQ(Find("m", "unit number w1 here", 100).matches.size(), 1u);
  // Exhaustive scans now read the complete in-memory keys: same answers.
  for (const char* q : {"unit number w1 here", "a fresh unit", "unit number"}) {
    auto a = Find("m", q, 50), b = Find("m", q, 50, true);
    ASSERT_EQ(a.matches.size(), b.matches.size()) << q;
    for (size_t i = 0; i < a.matches.size(); ++i) EXPECT_EQ(a.matches[i].unit.id, b.matches[i].unit.id);
    EXPECT_EQ(b.candidates_scored, 5000u);
  }
}

// The warm-up also reads the posting lists of frequent tokens (here
// "unit", "number", "here", "t": in every unit; the w-numbers are rare) at
// every length; lists cached so stay current with later writes.
TEST_F(MemoryStoreTest, WarmUpReadsFrequentTokensPostingsAndKeepsThemCurrent) {
  Create("m");
  std::vector<Unit> units;
  for (int i = 0; i < 3000; ++i) {
    std::string source = "unit number w" + std::to_string(i) + " here";
    for (int extra = 0; extra < i % 5; ++extra) source += " here";  // lengths 4 to 8
    units.push_back(U(source, "t"));
  }
  Add("m", units);
  Reopen();
  EXPECT_EQ(memories_->Stats()->cached_postings, 0u);
  memories_->StartWarmUp();
  memories_->WaitForWarmUp();
  // unit, number, here at lengths 1..8 (those with a list or not) and t at 1.
  const uint64_t warmed = memories_->Stats()->cached_postings;
  EXPECT_GE(warmed, 3u * 8u);
  EXPECT_LT(warmed, 100u);  // not the rare tokens (3,000 of them)
  // A write after the warm-up: the cached lists take it.
  auto added = Add("m", {U("unit number here here", "t")});
  auto r = Find("m", "unit number here here", 100);
  ASSERT_FALSE(r.matches.empty());
  EXPECT_EQ(r.matches[0].unit.id, added[0].id);
  ASSERT_TRUE(memories_->DeleteUnits("m", {added[0].id}).ok());
  EXPECT_TRUE(Find("m", "unit number here here", 100).matches.empty());
  for (const char* q : {"unit number here", "unit number w17 here here here", "here here here"}) {
    ExpectIndexedEqualsExhaustive("m", q, 50);
  }
}

TEST_F(MemoryStoreTest, StatsCountMemoriesUnitsAndDisk) {
  Create("m");
  Add("m", {U("a b", "c"), U("d e", "f")});
  auto st = memories_->Stats();
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->memories, 1u);
  EXPECT_EQ(st->units, 2u);
}


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

// A failed background write is returned by the next write to the memory;
// its entries stay readable, are buffered again, and a later write stores them.
TEST_F(MemoryStoreTest, FailedBackgroundIndexWriteIsSurfacedToTheNextWrite) {
  HeldWrites held;
  held.fail = true;
  held.release.set_value();
  StartBackgroundIndexWrite(held, 120);  // the background write fails
  EXPECT_EQ(Find("m", "unit 7 of the batch", 100).matches.size(), 1u);
  // The next write returns it (at the latest when it fills the buffer again
  // and waits for the failed write).
  auto next = memories_->AddUnits("m", Numbered(120, 220), DuplicatePolicy::kSkipIdentical);
  EXPECT_EQ(next.status().code(), absl::StatusCode::kUnavailable) << next.status();
  // The units of that call are stored all the same (their batch was written).
  EXPECT_EQ(memories_->GetMemory("m")->units, 220u);
  for (int i : {7, 120, 219}) {
    EXPECT_EQ(Find("m", "unit " + std::to_string(i) + " of the batch", 100).matches.size(), 1u) << i;
  }
  auto watermark = store_->Get(Cf::kMemories, IndexedUptoKey(1));
  ASSERT_TRUE(watermark.ok());
  EXPECT_FALSE(watermark->has_value() && DecodeFixed64BE((*watermark)->data()) > 0);
  held.fail = false;  // the disk is back: the next write stores everything
  Add("m", Numbered(220, 221));
  ASSERT_TRUE(memories_->WaitForIndexWrites().ok());
  watermark = store_->Get(Cf::kMemories, IndexedUptoKey(1));
  ASSERT_TRUE(watermark.ok() && watermark->has_value());
  EXPECT_EQ(DecodeFixed64BE((*watermark)->data()), 221u);
  options_.before_background_index_write = nullptr;
  Reopen();
  for (int i : {0, 7, 119, 120, 219, 220}) {
    EXPECT_EQ(Find("m", "unit " + std::to_string(i) + " of the batch", 100).matches.size(), 1u) << i;
  }
  EXPECT_EQ(memories_->GetMemory("m")->units, 221u);
}

}  // namespace
}  // namespace qantara::storage
