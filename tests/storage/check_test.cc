// storage::CheckStore (`qantara-server --check [--repair]`): a clean store
// checks clean (in one token range or many, after a crash too); each kind of
// injected damage is found and named with its unit; repair fixes all of it,
// a second check is clean and lookups find the units; a corrupt SST file is
// named, and the other memory is still served. A real RocksDB in a temp dir.
#include "storage/check.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "service/tm/unit_keys.h"
#include "storage/internal/encoding.h"
#include "storage/internal/index_entries.h"
#include "storage/internal/rocks.h"
#include "tests/storage/memory_store_test_util.h"
#include "tests/testing/status_matchers.h"

namespace qantara::storage::testing {
namespace {

using ::qantara::testing::IsOk;
using ::qantara::testing::StatusIs;

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Every file of `dir` named *.sst whose bytes hold `needle`.
std::vector<std::string> SstFilesHolding(const std::string& dir, const std::string& needle) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() != ".sst") continue;
    if (ReadBytes(e.path().string()).find(needle) != std::string::npos) out.push_back(e.path().string());
  }
  return out;
}

class CheckTest : public MemoryStoreTest {
 protected:
  // Closes the memory layer (writing its buffers) and checks the store.
  CheckReport Check(bool repair = false) {
    memories_.reset();
    CheckOptions options;
    options.repair = repair;
    options.rekey = tm::UnitRekeyer(analyzer_);
    options.max_entries_in_memory = budget_;
    auto report = CheckStore(*store_, options);
    EXPECT_THAT(report.status(), IsOk());
    return report.ok() ? *std::move(report) : CheckReport{};
  }

  // The memory layer again, on the open store.
  void OpenMemories() {
    auto m = tm::Memories::Open(*store_, analyzer_, options_);
    ASSERT_THAT(m.status(), IsOk());
    memories_ = *std::move(m);
  }

  uint32_t IdOf(const std::string& name) {
    auto info = memories_->GetMemory(name);
    EXPECT_THAT(info.status(), IsOk());
    return info.ok() ? info->id : 0;
  }

  internal::RocksHandles& rocks() { return internal::Rocks(*store_); }

  // Memory "hurt": 30 units whose sources hold a marker no other unit has,
  // flushed into an SST file of their own (the data dir reopened).
  void AddMarkedUnits() {
    Create("hurt");
    std::vector<Unit> units;
    for (int i = 0; i < 30; ++i) units.push_back(U("zqxjmarker hurt unit " + std::to_string(i), "t"));
    Add("hurt", units);
    Reopen();
  }

  // Closes the data dir; the one SST file holding the marker ("" if not one).
  std::string CloseAndFindMarkedFile() {
    memories_.reset();
    store_.reset();
    const std::vector<std::string> files = SstFilesHolding(tmp_.path("data"), "zqxjmarker");
    EXPECT_EQ(files.size(), 1u);
    return files.size() == 1 ? files[0] : "";
  }

  std::string Raw(Cf cf, const std::string& key) {
    auto v = store_->Get(cf, key);
    EXPECT_THAT(v.status(), IsOk());
    EXPECT_TRUE(v.ok() && v->has_value()) << CfName(cf);
    return v.ok() && v->has_value() ? **v : std::string();
  }
  void Put(Cf cf, const std::string& key, const std::string& value) {
    ASSERT_TRUE(rocks().db->Put(rocks().write, rocks().cf(cf), key, value).ok());
  }
  void Delete(Cf cf, const std::string& key) {
    ASSERT_TRUE(rocks().db->Delete(rocks().write, rocks().cf(cf), key).ok());
  }
  void PostingOp(uint32_t mem, const PostingId& pid, uint64_t unit, bool remove) {
    std::string op;
    AppendPostingOp(op, unit, remove);
    ASSERT_TRUE(rocks()
                    .db
                    ->Merge(rocks().write, rocks().cf(Cf::kPostings),
                            PostingKey(mem, static_cast<match::Side>(pid.side), pid.key, pid.length), op)
                    .ok());
  }
  // The index entries unit `id`'s stored keys imply.
  IndexEntries EntriesOfUnit(uint32_t mem, uint64_t id) {
    auto keys = DecodeUnitKeys(Raw(Cf::kUnitKeys, UnitKey(mem, id)));
    EXPECT_THAT(keys.status(), IsOk());
    return keys.ok() ? EntriesOf(*keys) : IndexEntries{};
  }

  static const ProblemTally& Tally(const MemoryCheck& m, CheckProblem p) { return m.tally(p); }
  static bool Names(const ProblemTally& t, uint64_t id) {
    return std::find(t.examples.begin(), t.examples.end(), id) != t.examples.end();
  }

  size_t budget_ = 2'000'000;
};

TEST_F(CheckTest, ACleanStoreChecksCleanInOneRangeOrMany) {
  Create("a");
  Create("b", "ar", "en");
  Add("a", Numbered(0, 40));
  Add("b", Numbered(0, 10));
  ASSERT_THAT(memories_->DeleteUnits("a", {3, 9}).status(), IsOk());
  ASSERT_THAT(memories_
                  ->UpdateUnit("a",
                               [] {
                                 Unit u = U("unit 5 changed of the batch", "t5 changed");
                                 u.id = 5;
                                 return u;
                               }())
                  .status(),
              IsOk());
  Create("gone");
  Add("gone", Numbered(0, 10));
  ASSERT_THAT(memories_->DeleteMemory("gone"), IsOk());
  Reopen();  // some of it in SST files
  CheckReport report = Check();
  EXPECT_TRUE(report.clean()) << report.ToText();
  ASSERT_EQ(report.memories.size(), 2u);
  EXPECT_EQ(report.memories[0].units, 38u);
  EXPECT_GT(report.memories[0].posting_entries, 38u * 4);
  EXPECT_EQ(report.memories[0].exact_entries, 38u * 2);
  EXPECT_GT(report.sst_files, 0u);
  EXPECT_NE(report.ToText().find("memory 'a' (id 1): 38 units"), std::string::npos) << report.ToText();

  budget_ = 7;  // many token ranges
  report = Check();
  EXPECT_TRUE(report.clean()) << report.ToText();
  EXPECT_EQ(report.memories[0].exact_entries, 38u * 2);
}

TEST_F(CheckTest, UnitsBufferedWhenTheServerCrashedCheckClean) {
  options_.index_buffer_units = 1000000;  // the adds stay buffered
  Reopen();
  Create("m");
  Add("m", Numbered(0, 30));
  OpenAt(CrashCopy("crashed"));  // the index entries are in no file
  CheckReport report = Check();
  EXPECT_TRUE(report.clean()) << report.ToText();
  EXPECT_EQ(report.memories[0].pending_units, 0u);
}

TEST_F(CheckTest, EachInjectedFaultIsFoundAndRepaired) {
  Create("m");
  Create("other");
  Add("m", Numbered(0, 20));
  Add("other", Numbered(0, 5));
  const uint32_t mem = IdOf("m");
  memories_.reset();  // the buffer written: now damage what is on disk

  // Unit 3: its unit_keys record deleted.
  Delete(Cf::kUnitKeys, UnitKey(mem, 3));
  // Unit 4: one of its posting entries missing.
  const IndexEntries four = EntriesOfUnit(mem, 4);
  PostingOp(mem, four.postings[0], 4, /*remove=*/true);
  // Unit 6: its source exact entry missing.
  const IndexEntries six = EntriesOfUnit(mem, 6);
  Delete(Cf::kExact, ExactKey(mem, match::Side::kSource, six.exact[0].hash, 6));
  // An orphan posting entry (a unit that never was) and an orphan exact
  // entry (unit 7 under a hash its keys do not have).
  PostingOp(mem, four.postings[1], 999, /*remove=*/false);
  Put(Cf::kExact, ExactKey(mem, match::Side::kTarget, 12345, 7), "");
  // Unit 5: bytes flipped in its value.
  std::string five = Raw(Cf::kUnits, UnitKey(mem, 5));
  five[0] ^= 0x5a;
  five[five.size() / 2] ^= 0xff;
  ASSERT_FALSE(DecodeUnit(5, five).ok());
  Put(Cf::kUnits, UnitKey(mem, 5), five);
  // Unit 8: keys that do not decode.
  Put(Cf::kUnitKeys, UnitKey(mem, 8), "\x01garbage");
  // A wrong unit count.
  auto rec = DecodeMemoryRecord(Raw(Cf::kMemories, MemoryRecordKey(mem)));
  ASSERT_THAT(rec.status(), IsOk());
  rec->unit_count += 5;
  Put(Cf::kMemories, MemoryRecordKey(mem), EncodeMemoryRecord(*rec));
  // Units of a memory that does not exist.
  Put(Cf::kUnits, UnitKey(77, 1), "\x01whatever");

  CheckReport report = Check();
  ASSERT_FALSE(report.clean());
  const std::string text = report.ToText();
  ASSERT_EQ(report.memories.size(), 2u) << text;
  const MemoryCheck& m = report.memories[0];
  EXPECT_EQ(m.name, "m");
  EXPECT_EQ(report.memories[1].problem_count(), 0u) << text;
  EXPECT_EQ(m.units, 20u);
  EXPECT_EQ(Tally(m, CheckProblem::kUnitKeysMissing).count, 1u) << text;
  EXPECT_TRUE(Names(Tally(m, CheckProblem::kUnitKeysMissing), 3)) << text;
  EXPECT_EQ(Tally(m, CheckProblem::kUnitKeysUndecodable).count, 1u) << text;
  EXPECT_TRUE(Names(Tally(m, CheckProblem::kUnitKeysUndecodable), 8)) << text;
  EXPECT_EQ(Tally(m, CheckProblem::kPostingMissing).count, 1u) << text;
  EXPECT_TRUE(Names(Tally(m, CheckProblem::kPostingMissing), 4)) << text;
  EXPECT_EQ(Tally(m, CheckProblem::kExactMissing).count, 1u) << text;
  EXPECT_TRUE(Names(Tally(m, CheckProblem::kExactMissing), 6)) << text;
  EXPECT_EQ(Tally(m, CheckProblem::kPostingOrphan).count, 1u) << text;
  EXPECT_TRUE(Names(Tally(m, CheckProblem::kPostingOrphan), 999)) << text;
  EXPECT_EQ(Tally(m, CheckProblem::kExactOrphan).count, 1u) << text;
  EXPECT_TRUE(Names(Tally(m, CheckProblem::kExactOrphan), 7)) << text;
  EXPECT_EQ(Tally(m, CheckProblem::kUnitUndecodable).count, 1u) << text;
  EXPECT_TRUE(Names(Tally(m, CheckProblem::kUnitUndecodable), 5)) << text;
  EXPECT_EQ(Tally(m, CheckProblem::kUnitCount).count, 1u) << text;
  EXPECT_EQ(m.problem_count(), 8u) << text;
  ASSERT_EQ(report.store_problems.size(), 1u) << text;
  EXPECT_NE(report.store_problems[0].find("units: 1 entries of memory id 77"), std::string::npos) << text;
  // The report names each kind with its units.
  EXPECT_NE(text.find("unit keys missing: 1 (unit 3)"), std::string::npos) << text;
  EXPECT_NE(text.find("posting entry missing: 1 (unit 4)"), std::string::npos) << text;
  EXPECT_NE(text.find("unit record does not decode: 1 (unit 5)"), std::string::npos) << text;
  EXPECT_NE(text.find("the record says 25, found 20"), std::string::npos) << text;

  CheckReport repaired = Check(/*repair=*/true);
  EXPECT_TRUE(repaired.unrepaired.empty()) << repaired.ToText();
  EXPECT_FALSE(repaired.memories[0].repairs.empty());
  CheckReport again = Check();
  EXPECT_TRUE(again.clean()) << again.ToText();
  EXPECT_EQ(again.memories[0].units, 19u);  // unit 5 is gone

  OpenMemories();
  auto info = memories_->GetMemory("m");
  ASSERT_THAT(info.status(), IsOk());
  EXPECT_EQ(info->units, 19u);
  EXPECT_THAT(memories_->GetUnit("m", 5).status(), StatusIs(absl::StatusCode::kNotFound));
  for (uint64_t id : {3, 4, 6, 7, 8}) {
    const std::string text = "unit " + std::to_string(id - 1) + " of the batch";  // ids from 1
    auto found = Find("m", text, 100);
    ASSERT_EQ(found.matches.size(), 1u) << text;
    EXPECT_EQ(found.matches[0].unit.id, id) << text;
    ExpectIndexedEqualsExhaustive("m", text, 50);
  }
  EXPECT_EQ(ConcordanceHits("m", "batch"), 19u);
  EXPECT_EQ(Find("other", "unit 2 of the batch", 100).matches.size(), 1u);
}

// Exact entries' dates (FORMAT.md, version 6): a wrong or undecodable date
// is damage (a lookup could skip a unit that ranks), found and rewritten;
// an entry without one (written before version 6) is not, and repair dates
// it. A version-5 data dir (values empty) opens as version 6, its lookups
// equal the exhaustive scan, and a repair dates every entry.
TEST_F(CheckTest, ExactDatesAreCheckedAndOldEntriesDated) {
  Create("m");
  std::vector<Unit> units;
  for (int i = 0; i < 30; ++i) {
    Unit u = U(i % 3 ? "Cancel" : "Cancel the print", "t" + std::to_string(i));
    u.changed_at_us = 1'000'000 * static_cast<int64_t>(100 - i) + 5;
    units.push_back(std::move(u));
  }
  Add("m", units, DuplicatePolicy::kKeepAll);
  const uint32_t mem = IdOf("m");
  memories_.reset();
  auto exact_key = [&](uint64_t id, match::Side side) {
    const IndexEntries e = EntriesOfUnit(mem, id);
    return ExactKey(mem, side, e.exact[static_cast<int>(side)].hash, id);
  };
  auto date_of = [&](uint64_t id) {
    auto keys = DecodeUnitKeys(Raw(Cf::kUnitKeys, UnitKey(mem, id)));
    EXPECT_THAT(keys.status(), IsOk());
    return keys.ok() ? keys->changed_at_us : 0;
  };
  EXPECT_EQ(Raw(Cf::kExact, exact_key(2, match::Side::kSource)), ExactValue(date_of(2)));
  Put(Cf::kExact, exact_key(2, match::Side::kSource), ExactValue(1));  // too old: unit 2 could be skipped
  Put(Cf::kExact, exact_key(3, match::Side::kTarget), "\xff");         // does not decode
  Put(Cf::kExact, exact_key(4, match::Side::kSource), "");             // no date: as version 5 wrote it

  // Lookups read a unit whose date does not decode as one without a date
  // (unit 3, target "t2"), where they failed with DATA_LOSS.
  OpenMemories();
  auto reverse = Find("m", "t2", 100, false, true);
  ASSERT_EQ(reverse.matches.size(), 1u);
  EXPECT_EQ(reverse.matches[0].unit.id, 3u);

  CheckReport report = Check();
  const std::string text = report.ToText();
  const MemoryCheck& m = report.memories[0];
  EXPECT_EQ(m.problem_count(), 2u) << text;
  EXPECT_EQ(Tally(m, CheckProblem::kExactDate).count, 2u) << text;
  EXPECT_TRUE(Names(Tally(m, CheckProblem::kExactDate), 2)) << text;
  EXPECT_TRUE(Names(Tally(m, CheckProblem::kExactDate), 3)) << text;
  EXPECT_NE(text.find("exact entry with a wrong date: 2"), std::string::npos) << text;

  CheckReport repaired = Check(/*repair=*/true);
  EXPECT_TRUE(repaired.unrepaired.empty()) << repaired.ToText();
  const std::string repairs = absl::StrJoin(repaired.memories[0].repairs, "; ");
  EXPECT_NE(repairs.find("2 × exact entry with a wrong date: rewritten"), std::string::npos) << repairs;
  EXPECT_NE(repairs.find("1 × exact entry without its unit's date"), std::string::npos) << repairs;
  EXPECT_TRUE(Check().clean());
  for (uint64_t id : {2, 3, 4}) {
    for (match::Side side : {match::Side::kSource, match::Side::kTarget}) {
      EXPECT_EQ(Raw(Cf::kExact, exact_key(id, side)), ExactValue(date_of(id))) << id;
    }
  }

  // A version-5 data dir: every exact value empty, format_version 5.
  for (uint64_t id = 1; id <= 30; ++id) {
    for (match::Side side : {match::Side::kSource, match::Side::kTarget})
      Put(Cf::kExact, exact_key(id, side), "");
  }
  ASSERT_TRUE(store_->Put(Cf::kMeta, "format_version", "5").ok());
  Reopen();
  EXPECT_EQ(store_->Get(Cf::kMeta, "format_version")->value_or(""), std::to_string(kFormatVersion));
  EXPECT_TRUE(std::filesystem::exists(tmp_.path("data/backups/pre-upgrade-v5")));
  for (const char* q : {"Cancel", "cancel.", "Cancel the print"}) ExpectIndexedEqualsExhaustive("m", q, 70);
  report = Check();
  EXPECT_TRUE(report.clean()) << report.ToText();
  repaired = Check(/*repair=*/true);
  EXPECT_NE(
      absl::StrJoin(repaired.memories[0].repairs, "; ").find("60 × exact entry without its unit's date"),
      std::string::npos)
      << repaired.ToText();
  EXPECT_EQ(Raw(Cf::kExact, exact_key(17, match::Side::kTarget)), ExactValue(date_of(17)));
  OpenMemories();
  for (const char* q : {"Cancel", "cancel.", "Cancel the print"}) ExpectIndexedEqualsExhaustive("m", q, 70);
}

TEST_F(CheckTest, RepairWithoutAnAnalyzerLeavesUnitsWithoutKeysAndSaysSo) {
  Create("m");
  Add("m", Numbered(0, 5));
  const uint32_t mem = IdOf("m");
  memories_.reset();
  Delete(Cf::kUnitKeys, UnitKey(mem, 2));
  CheckOptions options;
  options.repair = true;
  auto report = CheckStore(*store_, options);
  ASSERT_THAT(report.status(), IsOk());
  ASSERT_EQ(report->unrepaired.size(), 1u) << report->ToText();
  EXPECT_NE(report->unrepaired[0].find("unit 2"), std::string::npos) << report->unrepaired[0];
  EXPECT_FALSE(Check().clean());
}

TEST_F(CheckTest, ACorruptSstFileIsNamedAndTheOtherMemoryIsServed) {
  AddMarkedUnits();
  Create("fine");
  Add("fine", Numbered(0, 30));
  Reopen();
  const std::string file = CloseAndFindMarkedFile();
  ASSERT_FALSE(file.empty());
  {
    std::string bytes = ReadBytes(file);
    // Inside the file's first data block (data blocks start the file),
    // which holds the memory's first units. Not where the marker is found
    // first: the file's compression dictionary (a meta block, read when the
    // file is opened, as its index is) holds the marker as written, and
    // the data blocks refer to it.
    ASSERT_GT(bytes.size(), 64u);
    for (size_t i = 4; i < 12; ++i) bytes[i] ^= 0xff;
    WriteBytes(file, bytes);
  }

  // The server opens and serves the other memory; reads of the damaged
  // units fail naming the file.
  OpenAt(tmp_.path("data"));
  EXPECT_EQ(Find("fine", "unit 7 of the batch", 100).matches.size(), 1u);
  auto unit = memories_->GetUnit("hurt", 1);
  EXPECT_THAT(unit.status(), StatusIs(absl::StatusCode::kDataLoss));
  const std::string name = std::filesystem::path(file).filename().string();
  EXPECT_NE(unit.status().message().find(name), std::string::npos) << unit.status();

  // The check names the file; repair cannot fix it and says so.
  CheckReport report = Check();
  EXPECT_FALSE(report.clean());
  ASSERT_FALSE(report.store_problems.empty());
  EXPECT_NE(report.store_problems[0].find("corrupt SST file"), std::string::npos) << report.ToText();
  EXPECT_NE(report.store_problems[0].find(name), std::string::npos) << report.ToText();
  EXPECT_NE(report.store_problems[0].find("column family units"), std::string::npos) << report.ToText();
  ASSERT_EQ(report.memories.size(), 2u);
  EXPECT_GT(report.memories[0].tally(CheckProblem::kReadError).count, 0u) << report.ToText();
  EXPECT_EQ(report.memories[1].problem_count(), 0u) << report.ToText();
  CheckReport repaired = Check(/*repair=*/true);
  EXPECT_FALSE(repaired.unrepaired.empty());
  EXPECT_FALSE(Check().clean());
}

TEST_F(CheckTest, ADamagedCompressionDictionaryStopsTheOpenNamingTheFile) {
  // The units as written are in the file's compression dictionary (data
  // blocks refer to it), read when the file is opened, as its index is:
  // damaged, the data dir does not open, and the error names the file.
  AddMarkedUnits();
  const std::string file = CloseAndFindMarkedFile();
  ASSERT_FALSE(file.empty());
  {
    std::string bytes = ReadBytes(file);
    // Once in the dictionary, each unit's text: no data block holds it.
    const size_t at = bytes.find("zqxjmarker hurt unit 0");
    ASSERT_NE(at, std::string::npos);
    EXPECT_EQ(bytes.find("zqxjmarker hurt unit 0", at + 1), std::string::npos);
    for (size_t i = at; i < at + 8; ++i) bytes[i] ^= 0xff;
    WriteBytes(file, bytes);
  }
  auto opened = Store::Open(tmp_.path("data"));
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), absl::StatusCode::kDataLoss) << opened.status();
  const std::string name = std::filesystem::path(file).filename().string();
  EXPECT_NE(opened.status().message().find(name), std::string::npos) << opened.status();
}

}  // namespace
}  // namespace qantara::storage::testing
