// The memory store's index buffer: buffered and ingested index entries
// visible at once and rebuilt after a crash, duplicate checks across batches
// and with or without the source filter, and the warm-up of unit keys and
// frequent tokens' postings.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "service/tm/memories.h"
#include "storage/internal/encoding.h"
#include "storage/internal/memory_state.h"
#include "storage/internal/rocks.h"
#include "storage/limits.h"
#include "tests/storage/memory_store_test_util.h"
#include "tests/storage/temp_dir.h"

namespace qantara::storage {
namespace {

using testing::MemoryStoreTest;
using testing::OpenFileUnits;
using testing::U;

// Bulk adds buffer the postings and exact entries of new units; lookups,
// concordance and duplicate checks see them at once, and a crash (here: a copy
// of the live data dir, which is what RocksDB recovers after kill -9) loses
// none of them: the next open rebuilds them from the unit keys.
TEST_F(MemoryStoreTest, BufferedIndexIsVisibleAndSurvivesACrash) {
  Create("m");
  std::vector<Unit> units = OpenFileUnits(300);
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
  options_.index_buffer_units = 100;   // write the buffer every 100 units...
  options_.index_file_min_units = 50;  // ...as SST files
  Reopen();
  Create("m");
  Add("m", OpenFileUnits(250), DuplicatePolicy::kKeepAll);        // one batch, then ingested: watermark 250
  Add("m", {U("close the red window", "اغلق النافذة الحمراء")});  // buffered
  ASSERT_TRUE(memories_->WaitForIndexWrites().ok());              // the ingestion ran in the background
  const uint64_t file_token = analyzer_.Analyze("file", text::Language::kEnglish)->key.tokens.at(0).key;
  const std::string file_key = PostingKey(1, match::Side::kSource, file_token, 6);  // 6-token sources
  // The posting list of "file" in 6-token sources, as stored: every unit once.
  auto stored_file_list = [&] {
    std::string value;
    rocksdb::Status s = internal::Rocks(*store_).db->Get(
        rocksdb::ReadOptions(), internal::Rocks(*store_).cf(Cf::kPostings), file_key, &value);
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

// Exact entries hold their units' dates (storage/FORMAT.md, version 6)
// whichever way they were written: a bulk add ingested as SST files, a
// buffer written in one batch at a close or rebuilt after a crash, a direct
// write, an update (the new date). Lookups over hundreds of units of one
// source, dates not in id order, give the exhaustive answer.
TEST_F(MemoryStoreTest, ExactEntriesHoldTheirUnitsDates) {
  options_.index_buffer_units = 100;   // write the buffer every 100 units...
  options_.index_file_min_units = 50;  // ...as SST files
  Reopen();
  Create("m");
  std::mt19937 rng(5);
  const std::vector<std::string> forms = {"Cancel", "cancel", "Cancel.", "Cancel the print"};
  auto units = [&](int from, int to) {
    std::vector<Unit> out;
    for (int i = from; i < to; ++i) {
      Unit u = U(forms[rng() % forms.size()], "t" + std::to_string(i));
      u.changed_at_us =
          1'000'000 * static_cast<int64_t>(1 + rng() % 500) + static_cast<int64_t>(rng() % 1000);
      out.push_back(std::move(u));
    }
    return out;
  };
  Add("m", units(0, 250), DuplicatePolicy::kKeepAll);  // ingested in the background
  ASSERT_TRUE(memories_->WaitForIndexWrites().ok());
  Add("m", units(250, 270), DuplicatePolicy::kKeepAll);  // buffered

  // The stored value of unit id's exact entry on `side`, decoded.
  auto stored = [&](uint64_t id, match::Side side) -> std::optional<int64_t> {
    auto unit = memories_->GetUnit("m", id);
    EXPECT_TRUE(unit.ok()) << unit.status();
    if (!unit.ok()) return std::nullopt;
    const std::string& text = side == match::Side::kSource ? unit->source : unit->target;
    const auto lang = side == match::Side::kSource ? text::Language::kEnglish : text::Language::kArabic;
    const uint64_t hash = analyzer_.Analyze(text, lang)->key.ExactHash();
    std::string value;
    rocksdb::Status s = internal::Rocks(*store_).db->Get(
        rocksdb::ReadOptions(), internal::Rocks(*store_).cf(Cf::kExact), ExactKey(1, side, hash, id), &value);
    if (s.IsNotFound()) return std::nullopt;  // still buffered
    auto bound = DecodeExactValue(value);
    EXPECT_TRUE(bound.ok()) << bound.status();
    return bound.ok() ? std::optional<int64_t>(*bound) : std::nullopt;
  };
  // Every written entry holds its unit's date, to the second rounded up;
  // `upto`: ids up to it must be written.
  auto expect_dates = [&](const char* when, uint64_t upto) {
    SCOPED_TRACE(when);
    for (uint64_t id = 1; id <= 270; ++id) {
      auto unit = memories_->GetUnit("m", id);
      ASSERT_TRUE(unit.ok()) << unit.status();
      const int64_t want = (unit->changed_at_us + 999'999) / 1'000'000 * 1'000'000;
      for (match::Side side : {match::Side::kSource, match::Side::kTarget}) {
        const std::optional<int64_t> got = stored(id, side);
        if (id <= upto) ASSERT_TRUE(got.has_value()) << id;
        if (got.has_value()) EXPECT_EQ(*got, want) << id;
      }
    }
    for (const std::string& q : forms) ExpectIndexedEqualsExhaustive("m", q, 70);
  };
  expect_dates("ingested, some buffered", 200);
  OpenAt(CrashCopy("crashed"));  // the buffered units rebuilt from their keys
  expect_dates("recovered", 200);
  Reopen();  // a clean close writes the buffer (70 units: one batch)
  expect_dates("written at close", 270);

  // A direct write and an update: the update's date replaces the old one.
  options_.index_buffer_units = 0;
  Reopen();
  auto unit = memories_->GetUnit("m", 7);
  ASSERT_TRUE(unit.ok());
  Unit changed = *unit;
  changed.target = "changed";
  changed.changed_at_us = 9'000'000'123;
  ASSERT_TRUE(memories_->UpdateUnit("m", changed).ok());
  EXPECT_EQ(stored(7, match::Side::kSource), 9'001'000'000);
  EXPECT_EQ(stored(7, match::Side::kTarget), 9'001'000'000);
  // Now the newest "Cancel"-like unit: first among its ties.
  for (const std::string& q : forms) ExpectIndexedEqualsExhaustive("m", q, 70);
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
  for (int i = 0; i < 4100; ++i)
    units.push_back(U("segment " + std::to_string(i) + " text", "t" + std::to_string(i)));
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
    for (int i = 0; i < 300; ++i)
      units.push_back(U("segment " + std::to_string(i) + " text", "t" + std::to_string(i)));
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
  // unit, number, here (their lists at every length) and t: an entry a token.
  const uint64_t warmed = memories_->Stats()->cached_postings;
  EXPECT_GE(warmed, 4u);
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

// The posting cache holds a token's lists at a range of lengths (an entry a
// token, TokenPostings): a lookup at other lengths widens the entry and keeps
// the lists it held; writes at a covered length (one that had no list before
// too) and at a length not covered reach later lookups, and so do deletes.
TEST_F(MemoryStoreTest, TokenEntriesWidenAndTakeWritesAtEveryLength) {
  Create("m");
  // "alpha" then `len - 1` words of variant v: units of even lengths only.
  auto sentence = [](int len, int v) {
    std::string s = "alpha";
    for (int i = 1; i < len; ++i) s += " f" + std::to_string(v * 100 + i);
    return s;
  };
  std::vector<Unit> units;
  for (int len = 4; len <= 24; len += 2) {
    for (int v = 0; v < 3; ++v) units.push_back(U(sentence(len, v), "t"));
  }
  Add("m", units);
  Reopen();  // nothing cached
  auto ids = [](const match::LookupResult& r) {
    std::vector<uint64_t> out;
    for (const auto& m : r.matches) out.push_back(m.unit.id);
    return out;
  };
  const std::string short_query = sentence(6, 0) + " extra";  // 7 words: lengths about 5 to 10
  const std::string long_query = sentence(22, 0) + " extra";  // 23 words: lengths about 16 to 32
  ExpectIndexedEqualsExhaustive("m", short_query, 70);
  ASSERT_FALSE(Find("m", short_query).matches.empty());
  // Length 7: covered by the short query's entries, no list there before.
  const uint64_t seven = Add("m", {U(sentence(7, 0), "t7")})[0].id;
  auto found = ids(Find("m", short_query));
  EXPECT_NE(std::find(found.begin(), found.end(), seven), found.end());
  ExpectIndexedEqualsExhaustive("m", short_query, 70);
  // Length 21: not covered yet; the long query widens the entries of
  // alpha and f1..f5 to its lengths, keeping their lists at the short ones.
  const uint64_t twenty_one = Add("m", {U(sentence(21, 0), "t21")})[0].id;
  found = ids(Find("m", long_query));
  EXPECT_NE(std::find(found.begin(), found.end(), twenty_one), found.end());
  ExpectIndexedEqualsExhaustive("m", long_query, 70);
  found = ids(Find("m", short_query));
  EXPECT_NE(std::find(found.begin(), found.end(), seven), found.end());
  ExpectIndexedEqualsExhaustive("m", short_query, 70);
  ExpectIndexedEqualsExhaustive("m", short_query, 50);
  // A delete at a covered length.
  ASSERT_TRUE(memories_->DeleteUnits("m", {seven}).ok());
  found = ids(Find("m", short_query));
  EXPECT_EQ(std::find(found.begin(), found.end(), seven), found.end());
  ExpectIndexedEqualsExhaustive("m", short_query, 70);
  ExpectIndexedEqualsExhaustive("m", long_query, 50);
  // The lengths between the two ranges (about 11 to 15) were not read; a
  // query there reads them (a unit written there meanwhile too) and finds
  // the lists of both ranges still held.
  const uint64_t twelve = Add("m", {U(sentence(12, 0), "t12")})[0].id;
  const std::string middle_query = sentence(11, 0) + " extra";  // 12 words: lengths about 9 to 17
  found = ids(Find("m", middle_query));
  EXPECT_NE(std::find(found.begin(), found.end(), twelve), found.end());
  ExpectIndexedEqualsExhaustive("m", middle_query, 70);
  ExpectIndexedEqualsExhaustive("m", middle_query, 50);
  ExpectIndexedEqualsExhaustive("m", long_query, 70);
}

// Typo neighbours come from the storage's token index (HasTokens): buffered
// postings (sorted or not), postings in RocksDB after the buffer is written,
// English and Arabic; the indexed lookup stays the exhaustive one.
TEST_F(MemoryStoreTest, TypoNeighboursFromBufferedAndStoredPostings) {
  options_.index_buffer_units = 100;   // write the buffer every 100 units...
  options_.index_file_min_units = 50;  // ...as SST files
  Reopen();
  Create("m");
  Add("m", OpenFileUnits(150), DuplicatePolicy::kKeepAll);  // written (ingested)
  ASSERT_TRUE(memories_->WaitForIndexWrites().ok());
  Add("m", {U("Out of memory", "نفدت الذاكرة"), U("Sort by description.", "رتب حسب الوصف.")});  // buffered
  auto check = [&](const char* when) {
    SCOPED_TRACE(when);
    auto r = Find("m", "Out of mmory", 75);
    ASSERT_EQ(r.matches.size(), 1u);
    EXPECT_EQ(r.matches[0].unit.source, "Out of memory");
    EXPECT_NEAR(r.matches[0].score, 100.0 * (1 - (1.0 / 6) / 3), 1e-9);
    r = Find("m", "Sot by description.", 75);
    ASSERT_EQ(r.matches.size(), 1u);
    EXPECT_EQ(r.matches[0].unit.source, "Sort by description.");
    r = Find("m", "نفدت الذاكر", 75, false, /*reverse=*/true);  // a letter dropped
    ASSERT_EQ(r.matches.size(), 1u);
    EXPECT_EQ(r.matches[0].unit.source, "Out of memory");
    r = Find("m", "open the flie number 7 now", 75);  // the written postings
    ASSERT_FALSE(r.matches.empty());
    EXPECT_EQ(r.matches[0].unit.source, "open the file number 7 now");
    EXPECT_GT(r.matches[0].score, 90);
    EXPECT_TRUE(Find("m", "Out of mmmry", 75).matches.empty());  // two edits
    for (const char* q :
         {"Out of mmory", "Sot by description", "open the flie number 7 now", "opne teh file"}) {
      for (double t : {50.0, 75.0}) ExpectIndexedEqualsExhaustive("m", q, t);
    }
  };
  check("buffered");  // a new memory: its token filter is complete from the start
  Reopen();
  check("reopened");  // no warm-up: every variant key is read from the index
  memories_->StartWarmUp();
  memories_->WaitForWarmUp();
  check("warmed up");  // the warm-up's token filter rules variants out first
  // Units added after the warm-up reach the filter too.
  Add("m", {U("Reconcile the account", "طابق الحساب")});
  auto r = Find("m", "Reconcile the acount", 75);
  ASSERT_EQ(r.matches.size(), 1u);
  EXPECT_EQ(r.matches[0].unit.source, "Reconcile the account");
  ExpectIndexedEqualsExhaustive("m", "Reconcile the acount", 75);
}

// After the warm-up, whether a query word is known and whether a unit's
// source has several translations are answered from memory
// (MemState::tokens, exact filters); writes after it keep the answers: a
// word whose only unit is deleted is unknown again (a typo neighbour), a
// source added twice has several translations.
TEST_F(MemoryStoreTest, WarmedTokenAndExactSetsFollowWrites) {
  Create("m");
  std::vector<Unit> units = OpenFileUnits(50);
  for (const Unit& u :
       {U("Out of memory", "نفدت الذاكرة"), U("Out of mmory", "x"), U("Save the file", "احفظ الملف"),
        U("Close the file", "a"), U("Close the file", "b")}) {
    units.push_back(u);
  }
  Add("m", units, DuplicatePolicy::kKeepAll);
  Reopen();
  memories_->StartWarmUp();
  memories_->WaitForWarmUp();
  auto has_several = [](const match::Match& m) {
    for (const auto& p : m.penalties) {
      if (p.kind == match::kPenaltyMultipleTranslations) return true;
    }
    return false;
  };
  // "mmory" is a word of the memory: no typo pair, "Out of memory" is 66.7.
  auto r = Find("m", "Out of mmory", 75);
  ASSERT_EQ(r.matches.size(), 1u);
  EXPECT_EQ(r.matches[0].unit.source, "Out of mmory");
  ExpectIndexedEqualsExhaustive("m", "Out of mmory", 60);
  ASSERT_EQ(*memories_->DeleteUnits("m", {r.matches[0].unit.id}), 1u);
  r = Find("m", "Out of mmory", 75);
  ASSERT_EQ(r.matches.size(), 1u);
  EXPECT_EQ(r.matches[0].unit.source, "Out of memory");
  EXPECT_NEAR(r.matches[0].score, 100.0 * (1 - (1.0 / 6) / 3), 1e-9);
  ExpectIndexedEqualsExhaustive("m", "Out of mmory", 60);
  // Several translations, from the warm-up and from a later add.
  r = Find("m", "Close the file", 90);
  ASSERT_EQ(r.matches.size(), 2u);
  EXPECT_TRUE(has_several(r.matches[0]));
  r = Find("m", "Save the file", 90);
  ASSERT_EQ(r.matches.size(), 1u);
  EXPECT_FALSE(has_several(r.matches[0]));
  Add("m", {U("Save the file", "احفظ الملف الآن")}, DuplicatePolicy::kKeepAll);
  r = Find("m", "Save the file", 90);
  ASSERT_EQ(r.matches.size(), 2u);
  EXPECT_TRUE(has_several(r.matches[0]));
  EXPECT_TRUE(has_several(r.matches[1]));
  // A source no unit has: nothing at 100, the fuzzy ones as before.
  EXPECT_TRUE(Find("m", "Open the file", 100).matches.empty());
  for (const char* q : {"Close the file", "Save the file", "Open the file", "open the file number 7 now"}) {
    ExpectIndexedEqualsExhaustive("m", q, 50);
  }
}

// The date bounds a reader gives the matcher (IndexView::ChangedBounds): for
// each unit, its block's newest date, never below the unit's own, after
// adds (direct and buffered), updates to an older and a newer date, and the
// warm-up of a reopened store; unknown before that warm-up and past the last
// unit, and for a kept id near 2^61. Hundreds of units tied at a lookup's
// k-th score are then ranked as the exhaustive scan ranks them.
TEST(ChangedBoundsTest, EveryUnitsDateIsBoundedByItsBlock) {
  testing::TempDir tmp;
  match::testing::SimpleAnalyzer analyzer;
  MemoryStoreOptions options;
  options.index_buffer_units = 100;  // some adds buffered, some written
  options.index_file_min_units = 50;
  constexpr uint64_t kBlock = internal::MemState::kChangedBlock;
  constexpr int kUnits = 700;
  std::unique_ptr<Store> store;
  MemoryStore* raw = nullptr;  // owned by memories
  std::unique_ptr<tm::Memories> memories;
  auto open = [&] {
    memories.reset();
    store.reset();
    auto s = Store::Open(tmp.path("data"));
    ASSERT_TRUE(s.ok()) << s.status();
    store = *std::move(s);
    auto ms = MemoryStore::Open(*store, options);
    ASSERT_TRUE(ms.ok()) << ms.status();
    raw = ms->get();
    memories = std::make_unique<tm::Memories>(analyzer, *std::move(ms));
  };
  // Bounds of ids 1 .. kUnits + kBlock (past the last unit: unknown).
  auto bounds = [&] {
    std::vector<uint64_t> ids;
    for (uint64_t id = 1; id <= kUnits + kBlock; ++id) ids.push_back(id);
    std::vector<int64_t> out;
    auto reader = raw->OpenReader("m");
    EXPECT_TRUE(reader.ok()) << reader.status();
    if (reader.ok()) (*reader)->ChangedBounds(ids, &out);
    return out;
  };
  // Each unit's date bounded by its block's, which is the newest of the
  // block's units (`older`: a unit's earlier date, still counted).
  auto expect_blocks = [&](const char* when, std::optional<std::pair<uint64_t, int64_t>> older) {
    SCOPED_TRACE(when);
    const std::vector<int64_t> got = bounds();
    ASSERT_EQ(got.size(), kUnits + kBlock);
    std::map<uint64_t, int64_t> newest;
    for (uint64_t id = 1; id <= kUnits; ++id) {
      auto u = memories->GetUnit("m", id);
      ASSERT_TRUE(u.ok()) << u.status();
      int64_t& n = newest.try_emplace(id / kBlock, INT64_MIN).first->second;
      n = std::max(n, u->changed_at_us);
      if (older && older->first == id) n = std::max(n, older->second);
    }
    for (uint64_t id = 1; id <= kUnits; ++id) EXPECT_EQ(got[id - 1], newest[id / kBlock]) << id;
    for (uint64_t id = kUnits + 1; id <= kUnits + kBlock; ++id) {
      if (id / kBlock > kUnits / kBlock) EXPECT_EQ(got[id - 1], match::ExactList::kUnknownChange) << id;
    }
  };
  open();
  ASSERT_TRUE(memories->CreateMemory(NewMemory{"m", "en", "ar", ""}).ok());
  std::mt19937 rng(3);
  std::vector<Unit> units;
  for (int i = 0; i < kUnits; ++i) {
    Unit u = U(std::string(i % 2 ? "alpha" : "beta") + " w" + std::to_string(i), "t" + std::to_string(i));
    u.changed_at_us = 1'000'000 * static_cast<int64_t>(1 + rng() % 300);  // ties, not in id order
    units.push_back(std::move(u));
  }
  ASSERT_TRUE(memories->AddUnits("m", units, DuplicatePolicy::kKeepAll).ok());
  expect_blocks("added", std::nullopt);

  // An update to an older date leaves the block's bound; a newer one raises it.
  auto update = [&](uint64_t id, int64_t date) {
    auto u = memories->GetUnit("m", id);
    ASSERT_TRUE(u.ok()) << u.status();
    u->target += " (updated)";
    u->changed_at_us = date;
    ASSERT_TRUE(memories->UpdateUnit("m", *u).ok());
  };
  const int64_t was5 = 1'000'000 * 300 + 1;  // above any added date
  update(5, was5);
  update(5, 1);
  expect_blocks("updated", std::make_pair(uint64_t{5}, was5));
  update(300, 2'000'000'000);
  expect_blocks("updated newer", std::make_pair(uint64_t{5}, was5));

  // Lookups where hundreds of units tie at the k-th score rank as the scan.
  auto same = [&](const std::string& q, uint32_t k) {
    SCOPED_TRACE(q + " k" + std::to_string(k));
    tm::LookupRequest req;
    req.memories = {"m"};
    req.text = q;
    req.options.threshold = 45;
    req.options.max_results = k;
    auto indexed = memories->Lookup(req);
    req.options.exhaustive = true;
    auto full = memories->Lookup(req);
    ASSERT_TRUE(indexed.ok() && full.ok());
    ASSERT_EQ(indexed->matches.size(), k);
    ASSERT_EQ(indexed->matches.size(), full->matches.size());
    for (size_t i = 0; i < k; ++i) EXPECT_EQ(indexed->matches[i].unit.id, full->matches[i].unit.id) << i;
  };
  for (uint32_t k : {1u, 5u, 30u}) {
    same("alpha gamma", k);
    same("beta gamma", k);
  }

  // Reopened: unknown until the warm-up has read every unit's keys; then
  // the blocks' newest current dates (unit 5's earlier one is gone).
  open();
  for (int64_t b : bounds()) EXPECT_EQ(b, match::ExactList::kUnknownChange);
  memories->StartWarmUp();
  memories->WaitForWarmUp();
  expect_blocks("warmed up", std::nullopt);
  for (uint32_t k : {1u, 5u, 30u}) same("alpha gamma", k);

  // A kept id far above the others (an import that preserves ids) takes a
  // block of its own, not memory up to it; also after the next warm-up. It
  // is found by fuzzy lookups (its postings hold it whole). One above the
  // largest (kMaxUnitId: 2^47 - 1) is refused, naming the limit: the index
  // buffer once cut such ids to 47 bits, so that "far away" found nothing.
  const uint64_t far = kMaxUnitId - 3;
  Unit u = U("alpha far away", "t");
  u.id = kMaxUnitId + 1;
  auto refused = memories->AddUnits("m", {u}, DuplicatePolicy::kKeepAll, nullptr, /*keep_ids=*/true);
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("unit ids must be at most 140737488355327"), std::string::npos)
      << refused.status();
  u.id = far;
  u.changed_at_us = 7'000'000;
  ASSERT_TRUE(memories->AddUnits("m", {u}, DuplicatePolicy::kKeepAll, nullptr, /*keep_ids=*/true).ok());
  for (int round = 0; round < 2; ++round) {
    SCOPED_TRACE(round);
    std::vector<int64_t> got;
    auto reader = raw->OpenReader("m");
    ASSERT_TRUE(reader.ok()) << reader.status();
    (*reader)->ChangedBounds({1, far - 1, far}, &got);
    reader->reset();
    ASSERT_EQ(got.size(), 3u);
    EXPECT_EQ(got[1], 7'000'000);  // its block's only unit
    EXPECT_EQ(got[2], 7'000'000);
    EXPECT_NE(got[0], match::ExactList::kUnknownChange);
    same("alpha far", 5);
    same("alpha far away", 1);
    same("far away", 1);
    open();
    memories->StartWarmUp();
    memories->WaitForWarmUp();
  }
  memories.reset();
  store.reset();
}

}  // namespace
}  // namespace qantara::storage
