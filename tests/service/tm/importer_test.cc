// tm::Importer without gRPC, on a real RocksDB: batches (two in flight: one
// written while the next is analysed) are stored in file order, duplicates
// across batches are found, a stop stores nothing read after the failed
// unit, the duplicate policies, a refused unit reported with its line, the
// counts, the errors of a bad start, and a CSV file with its attribute
// columns.
#include "service/tm/importer.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "service/tm/tmx_units.h"
#include "tests/service/tm/tm_fixtures.h"
#include "tests/service/tm/tm_test_env.h"

namespace qantara::tm {
namespace {

using Severity = formats::Problem::Severity;

using tm::testing::Tmx;

class ImporterTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(env_.memories->CreateMemory(NewMemory{"m", "en", "ar", ""}).ok()); }

  ImportOptions Options(uint32_t batch_size) {
    ImportOptions o;
    o.memory = "m";
    o.file_name = "t.tmx";
    o.batch_size = batch_size;
    return o;
  }

  // Imports `file` in chunks of 1,000 bytes; returns the report.
  ImportReport Import(const std::string& file, const ImportOptions& options) {
    uint64_t progress_calls = 0;
    absl::StatusOr<std::unique_ptr<Importer>> importer =
        Importer::Start(*env_.memories, options, [&](const ImportCounts&) { ++progress_calls; });
    EXPECT_TRUE(importer.ok()) << importer.status();
    if (!importer.ok()) return {};
    for (size_t at = 0; at < file.size(); at += 1000) {
      if (!(*importer)->Feed(std::string_view(file).substr(at, 1000)).ok()) break;
    }
    absl::StatusOr<ImportReport> report = (*importer)->Finish();
    EXPECT_TRUE(report.ok()) << report.status();
    EXPECT_GT(progress_calls, 0u);
    return report.ok() ? *std::move(report) : ImportReport{};
  }

  // The stored units' sides, in unit id order.
  std::vector<std::pair<std::string, std::string>> Stored() {
    std::vector<std::pair<std::string, std::string>> out;
    EXPECT_TRUE(env_.memories
                    ->ScanUnits("m", 0,
                                [&](const Unit& u) {
                                  out.emplace_back(u.source, u.target);
                                  return absl::OkStatus();
                                })
                    .ok());
    return out;
  }
  std::vector<std::string> StoredSources() {
    std::vector<std::string> out;
    for (const auto& [s, t] : Stored()) out.push_back(s);
    return out;
  }

  testing::MemoryEnv env_;
};

TEST_F(ImporterTest, BatchesAreStoredInFileOrderWithDuplicatesAcrossThem) {
  std::vector<std::pair<std::string, std::string>> units;
  std::vector<std::string> want;  // the English sides stored, in file order
  for (int i = 0; i < 600; ++i) {
    if (i >= 20 && i % 7 == 3) {
      units.push_back(units[i - 13]);  // a duplicate of a unit one or two batches back
      continue;
    }
    units.emplace_back("sentence number " + std::to_string(i) + " of the file",
                       "الجملة رقم " + std::to_string(i));
    want.push_back(units.back().first);
  }
  const std::string file = Tmx(units);
  const ImportReport report = Import(file, Options(/*batch_size=*/10));
  EXPECT_EQ(report.fatal_error, "");
  EXPECT_EQ(report.counts.units_read, units.size());
  EXPECT_EQ(report.counts.bytes, file.size());
  EXPECT_EQ(report.counts.units_added, want.size());
  EXPECT_EQ(report.counts.duplicates, units.size() - want.size());
  EXPECT_EQ(report.counts.units_skipped, units.size() - want.size());
  EXPECT_EQ(report.counts.units_failed, 0u);
  EXPECT_EQ(report.format, formats::FileFormat::kTmx);
  EXPECT_EQ(StoredSources(), want);
  // Every duplicate is reported as skipped, in file order (lines ascending).
  ASSERT_EQ(report.problems.size(), units.size() - want.size());
  for (size_t i = 0; i < report.problems.size(); ++i) {
    EXPECT_EQ(report.problems[i].severity, Severity::kSkipped);
    if (i > 0) {
      EXPECT_LT(report.problems[i - 1].line, report.problems[i].line);
    }
  }
  // Importing again adds nothing: every unit is a duplicate.
  const ImportReport again = Import(file, Options(10));
  EXPECT_EQ(again.counts.units_added, 0u);
  EXPECT_EQ(again.counts.duplicates, units.size());
  EXPECT_EQ(StoredSources(), want);
}

TEST_F(ImporterTest, StopOnErrorStoresNothingReadAfterTheFailedUnit) {
  std::vector<std::pair<std::string, std::string>> units;
  for (int i = 0; i < 100; ++i) {
    units.emplace_back(i == 45 ? "" : "sentence " + std::to_string(i), "جملة " + std::to_string(i));
  }
  ImportOptions options = Options(/*batch_size=*/10);
  options.stop_on_error = true;
  const ImportReport report = Import(Tmx(units), options);
  EXPECT_NE(report.fatal_error, "");
  EXPECT_EQ(report.counts.units_failed, 1u);
  const std::vector<std::string> stored = StoredSources();
  EXPECT_EQ(stored.size(), 45u);  // units 0-44: read before the failure, each whole
  for (size_t i = 0; i < stored.size(); ++i) EXPECT_EQ(stored[i], "sentence " + std::to_string(i));
}

TEST_F(ImporterTest, RefusedUnitIsReportedWithItsLineAndTheRestIsStored) {
  // Unit 2 has no English side.
  const std::vector<std::pair<std::string, std::string>> units = {
      {"first", "أول"}, {"second", "ثان"}, {"", "ثالث"}, {"fourth", "رابع"}};
  const ImportReport report = Import(Tmx(units), Options(/*batch_size=*/2));
  EXPECT_EQ(report.fatal_error, "");
  EXPECT_EQ(report.counts.units_read, 4u);
  EXPECT_EQ(report.counts.units_added, 3u);
  EXPECT_EQ(report.counts.units_failed, 1u);
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_EQ(report.problems[0].severity, Severity::kError);
  EXPECT_EQ(report.problems[0].line, 5);  // the <tu> of unit 2
  EXPECT_NE(report.problems[0].reason, "");
  EXPECT_EQ(StoredSources(), (std::vector<std::string>{"first", "second", "fourth"}));
}

TEST_F(ImporterTest, DuplicatePolicies) {
  ASSERT_EQ(Import(Tmx({{"hello", "مرحبا"}}), Options(10)).counts.units_added, 1u);
  const std::string file = Tmx({{"hello", "أهلا"}, {"hello", "مرحبا"}});

  // Skip identical: only the new translation is added.
  const ImportReport skip = Import(file, Options(10));
  EXPECT_EQ(skip.counts.units_added, 1u);
  EXPECT_EQ(skip.counts.duplicates, 1u);
  EXPECT_EQ(skip.counts.units_skipped, 1u);
  ASSERT_EQ(skip.problems.size(), 1u);
  EXPECT_EQ(skip.problems[0].line, 4);
  EXPECT_EQ(Stored().size(), 2u);

  // Keep all: both are added again.
  ImportOptions keep = Options(10);
  keep.policy = DuplicatePolicy::kKeepAll;
  const ImportReport kept = Import(file, keep);
  EXPECT_EQ(kept.counts.units_added, 2u);
  EXPECT_EQ(kept.counts.duplicates, 0u);
  EXPECT_EQ(Stored().size(), 4u);

  // Overwrite target: the newest unit with the source gets each target.
  ImportOptions overwrite = Options(10);
  overwrite.policy = DuplicatePolicy::kOverwriteTarget;
  const ImportReport over = Import(Tmx({{"hello", "سلام"}}), overwrite);
  EXPECT_EQ(over.counts.units_added, 0u);
  EXPECT_EQ(over.counts.units_updated, 1u);
  const auto stored = Stored();
  ASSERT_EQ(stored.size(), 4u);
  EXPECT_EQ(stored.back(), (std::pair<std::string, std::string>{"hello", "سلام"}));
}

TEST_F(ImporterTest, DryRunCountsAndStoresNothing) {
  ImportOptions options = Options(10);
  options.dry_run = true;
  const ImportReport report = Import(Tmx({{"a b", "أ ب"}, {"c d", "ج د"}, {"a b", "أ ب"}}), options);
  EXPECT_TRUE(report.dry_run);
  EXPECT_EQ(report.counts.units_added, 2u);
  EXPECT_EQ(report.counts.duplicates, 1u);
  EXPECT_TRUE(Stored().empty());
}

TEST_F(ImporterTest, MaxProblemsListsTheFirstAndCountsTheRest) {
  ASSERT_EQ(Import(Tmx({{"x", "س"}}), Options(10)).counts.units_added, 1u);
  ImportOptions options = Options(10);
  options.max_problems = 2;
  const ImportReport report = Import(Tmx({{"x", "س"}, {"x", "س"}, {"x", "س"}, {"x", "س"}}), options);
  EXPECT_EQ(report.counts.duplicates, 4u);
  EXPECT_EQ(report.problems.size(), 2u);
  EXPECT_EQ(report.problems_omitted, 2u);
}

TEST_F(ImporterTest, DefaultsFillAttributesTheFileDoesNotSet) {
  ImportOptions options = Options(10);
  options.defaults.project = "p";
  options.defaults.client = "c";
  ASSERT_EQ(Import(Tmx({{"one", "واحد"}}), options).counts.units_added, 1u);
  std::vector<Unit> units;
  ASSERT_TRUE(env_.memories
                  ->ScanUnits("m", 0,
                              [&](const Unit& u) {
                                units.push_back(u);
                                return absl::OkStatus();
                              })
                  .ok());
  ASSERT_EQ(units.size(), 1u);
  EXPECT_EQ(units[0].attributes.project, "p");
  EXPECT_EQ(units[0].attributes.domain, "");
  EXPECT_EQ(units[0].attributes.client, "c");
  EXPECT_EQ(units[0].origin, match::Origin::kImport);
}

TEST_F(ImporterTest, UnreadableOrEmptyFilesEndWithAFatalErrorInTheReport) {
  absl::StatusOr<std::unique_ptr<Importer>> empty = Importer::Start(*env_.memories, Options(10));
  ASSERT_TRUE(empty.ok());
  absl::StatusOr<ImportReport> r = (*empty)->Finish();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->fatal_error, "the file is empty");

  ImportOptions unnamed = Options(10);
  unnamed.file_name = "notes.txt";
  absl::StatusOr<std::unique_ptr<Importer>> text = Importer::Start(*env_.memories, unnamed);
  ASSERT_TRUE(text.ok());
  EXPECT_FALSE((*text)->Feed("just some text").ok());
  EXPECT_FALSE((*text)->Feed("more").ok());  // stays ended
  r = (*text)->Finish();
  ASSERT_TRUE(r.ok());
  EXPECT_NE(r->fatal_error, "");
  EXPECT_FALSE(r->format.has_value());

  // Units before a truncation are stored.
  std::string file = Tmx({{"kept", "محفوظ"}, {"also kept", "محفوظ أيضا"}});
  file.resize(file.find("</body>"));
  const ImportReport truncated = Import(file, Options(10));
  EXPECT_NE(truncated.fatal_error, "");
  EXPECT_EQ(StoredSources(), (std::vector<std::string>{"kept", "also kept"}));
}

TEST_F(ImporterTest, BadStartErrors) {
  ImportOptions big = Options(kMaxImportBatch + 1);
  absl::StatusOr<std::unique_ptr<Importer>> s = Importer::Start(*env_.memories, big);
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.status().message(), "batch_size must be 1 to 10000");
  ImportOptions missing = Options(10);
  missing.memory = "nope";
  EXPECT_EQ(Importer::Start(*env_.memories, missing).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(ImporterTest, CsvDetectedFromItsHeaderWithAttributesAndTheFileLanguages) {
  // The file's source column is Arabic (--source-lang ar) in an en->ar memory.
  const std::string file =
      "\xEF\xBB\xBFsource,target,key,project,note,context,color\r\n"
      "\"افتح الملف\",\"Open the file\",k1,apt,\"a menu, item\",verb,red\r\n"
      "\"احفظ\",,k2,,,,\r\n"
      "\"أغلق\",Close,k3,,,,\r\n";
  ImportOptions o = Options(10);
  o.file_name = "upload";
  o.file_source_lang = "ar";
  o.defaults.project = "default";
  const ImportReport report = Import(file, o);
  EXPECT_EQ(report.fatal_error, "");
  EXPECT_EQ(report.format, formats::FileFormat::kCsv);
  EXPECT_EQ(report.counts.units_read, 3u);
  EXPECT_EQ(report.counts.units_added, 2u);
  EXPECT_EQ(report.counts.units_failed, 1u);
  EXPECT_EQ(report.counts.warnings, 1u);  // the color column
  ASSERT_EQ(report.problems.size(), 2u);
  EXPECT_EQ(report.problems[0].severity, Severity::kWarning);
  EXPECT_EQ(report.problems[1].line, 3);
  EXPECT_EQ(report.problems[1].unit_id, "k2");
  EXPECT_EQ(report.problems[1].reason, "the target is empty");
  std::vector<Unit> units;
  ASSERT_TRUE(env_.memories
                  ->ScanUnits("m", 0,
                              [&](const Unit& u) {
                                units.push_back(u);
                                return absl::OkStatus();
                              })
                  .ok());
  ASSERT_EQ(units.size(), 2u);
  EXPECT_EQ(units[0].source, "Open the file");
  EXPECT_EQ(units[0].target, "افتح الملف");
  EXPECT_EQ(units[0].context.id, "k1");
  EXPECT_EQ(units[0].attributes.project, "apt");
  EXPECT_EQ(units[0].attributes.extra.at("context"), "verb");
  EXPECT_EQ(units[0].attributes.extra.at(std::string(kNoteKey)), "a menu, item");
  EXPECT_EQ(units[1].source, "Close");
  EXPECT_EQ(units[1].attributes.project, "default");
  // A header naming its languages: --source-lang is refused, once, before any unit.
  o.file_name = "terms.csv";
  absl::StatusOr<std::unique_ptr<Importer>> importer = Importer::Start(*env_.memories, o);
  ASSERT_TRUE(importer.ok()) << importer.status();
  EXPECT_FALSE((*importer)->Feed("en,ar\nSave,احفظ\n").ok());
  absl::StatusOr<ImportReport> by_language = (*importer)->Finish();
  ASSERT_TRUE(by_language.ok());
  EXPECT_NE(by_language->fatal_error.find("header names its columns' languages"), std::string::npos)
      << by_language->fatal_error;
  EXPECT_EQ(by_language->counts.units_read, 0u);
}

}  // namespace
}  // namespace qantara::tm
