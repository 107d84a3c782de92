// Imports a client can trust (issue: data safety): an import stopped midway
// (dropped, as by a crash of the server) leaves whole batches, the first of
// the file; resuming it with the same key stores every other unit exactly
// once, whatever the duplicate policy; a complete import resumed stores
// nothing; problems of the part already imported are not reported twice; a
// storage error still gives a report that counts what was stored. A real
// RocksDB in a temp dir, no gRPC.
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "service/tm/importer.h"
#include "tests/service/tm/tm_fixtures.h"
#include "tests/service/tm/tm_test_env.h"
#include "tests/testing/status_matchers.h"

namespace qantara::tm {
namespace {

using ::qantara::testing::IsOk;
using ::qantara::testing::StatusIs;
using tm::testing::Tmx;

using Pairs = std::vector<std::pair<std::string, std::string>>;

class ImportResumeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_THAT(env_.memories->CreateMemory(NewMemory{"m", "en", "ar", ""}).status(), IsOk());
  }

  ImportOptions Options(DuplicatePolicy policy, bool resume) {
    ImportOptions o;
    o.memory = "m";
    o.file_name = "t.tmx";
    o.batch_size = 10;
    o.policy = policy;
    o.resume_key = "sha256:0123";
    o.resume = resume;
    return o;
  }

  // Feeds the first `bytes` of `file` and drops the importer without
  // Finish, as a server crash would (the batches handed over are written
  // or not, each whole).
  void ImportPart(const std::string& file, size_t bytes, const ImportOptions& options) {
    auto importer = Importer::Start(*env_.memories, options);
    ASSERT_THAT(importer.status(), IsOk());
    for (size_t at = 0; at < bytes; at += 500) {
      ASSERT_THAT((*importer)->Feed(std::string_view(file).substr(at, std::min<size_t>(500, bytes - at))),
                  IsOk());
    }
  }

  ImportReport Import(const std::string& file, const ImportOptions& options) {
    auto importer = Importer::Start(*env_.memories, options);
    EXPECT_THAT(importer.status(), IsOk());
    if (!importer.ok()) return {};
    for (size_t at = 0; at < file.size(); at += 500) {
      if (!(*importer)->Feed(std::string_view(file).substr(at, 500)).ok()) break;
    }
    auto report = (*importer)->Finish();
    EXPECT_THAT(report.status(), IsOk());
    return report.ok() ? *std::move(report) : ImportReport{};
  }

  Pairs Stored() {
    Pairs out;
    EXPECT_THAT(env_.memories->ScanUnits("m", 0,
                                         [&](const Unit& u) {
                                           out.emplace_back(u.source, u.target);
                                           return absl::OkStatus();
                                         }),
                IsOk());
    return out;
  }

  static void ExpectCountsAddUp(const ImportCounts& c) {
    EXPECT_EQ(c.units_read,
              c.units_resumed + c.units_added + c.units_updated + c.units_skipped + c.units_failed);
  }

  testing::MemoryEnv env_;
};

// 200 units, some repeated (which KEEP_ALL stores twice and SKIP once).
Pairs FileUnits() {
  Pairs units;
  for (int i = 0; i < 200; ++i) {
    if (i % 17 == 5 && i > 20) {
      units.push_back(units[i - 11]);
    } else {
      units.emplace_back("sentence number " + std::to_string(i), "الجملة رقم " + std::to_string(i));
    }
  }
  return units;
}

TEST_F(ImportResumeTest, AStoppedImportResumedStoresEveryUnitOnceUnderKeepAll) {
  const Pairs units = FileUnits();
  const std::string file = Tmx(units);
  ImportPart(file, file.size() * 2 / 5, Options(DuplicatePolicy::kKeepAll, false));
  const Pairs first = Stored();
  ASSERT_GT(first.size(), 0u);
  ASSERT_LT(first.size(), units.size());
  EXPECT_EQ(first.size() % 10, 0u) << "whole batches only";
  EXPECT_EQ(first, Pairs(units.begin(), units.begin() + first.size())) << "the first batches of the file";
  auto mark = env_.memories->GetProgress("m", "import:sha256:0123");
  ASSERT_THAT(mark.status(), IsOk());
  ASSERT_TRUE(mark->has_value());
  EXPECT_EQ((*mark)->position, first.size());  // every unit here is stored: position = units stored
  EXPECT_FALSE((*mark)->complete);

  const ImportReport report = Import(file, Options(DuplicatePolicy::kKeepAll, true));
  EXPECT_EQ(report.fatal_error, "");
  EXPECT_THAT(report.error, IsOk());
  EXPECT_EQ(report.counts.units_read, units.size());
  EXPECT_EQ(report.counts.units_resumed, first.size());
  EXPECT_EQ(report.counts.units_added, units.size() - first.size());
  ExpectCountsAddUp(report.counts);
  EXPECT_EQ(Stored(), units);  // all of them, once each, in file order

  // Resumed again: complete, nothing more.
  const ImportReport again = Import(file, Options(DuplicatePolicy::kKeepAll, true));
  EXPECT_EQ(again.counts.units_resumed, units.size());
  EXPECT_EQ(again.counts.units_added, 0u);
  EXPECT_EQ(Stored(), units);
  mark = env_.memories->GetProgress("m", "import:sha256:0123");
  ASSERT_THAT(mark.status(), IsOk());
  EXPECT_TRUE((*mark)->complete);
  EXPECT_EQ((*mark)->position, units.size());

  // Without resume the same file is imported again (KEEP_ALL: twice).
  const ImportReport fresh = Import(file, Options(DuplicatePolicy::kKeepAll, false));
  EXPECT_EQ(fresh.counts.units_resumed, 0u);
  EXPECT_EQ(fresh.counts.units_added, units.size());
}

TEST_F(ImportResumeTest, ResumeUnderSkipCountsDuplicatesOfTheWholeFileOnce) {
  const Pairs units = FileUnits();
  const std::string file = Tmx(units);
  ImportPart(file, file.size() / 3, Options(DuplicatePolicy::kSkipIdentical, false));
  const size_t first = Stored().size();
  ASSERT_GT(first, 0u);
  const ImportReport report = Import(file, Options(DuplicatePolicy::kSkipIdentical, true));
  ExpectCountsAddUp(report.counts);
  // What a single import stores: the distinct pairs, in file order.
  Pairs distinct;
  std::map<std::pair<std::string, std::string>, int> seen;
  for (const auto& p : units) {
    if (seen[p]++ == 0) distinct.push_back(p);
  }
  EXPECT_EQ(Stored(), distinct);
}

TEST_F(ImportResumeTest, ProblemsOfThePartAlreadyImportedAreNotReportedAgain) {
  Pairs units = FileUnits();
  units[3].first = "";    // no English side: fails
  units[150].first = "";  // the same, in the part imported on resume
  const std::string file = Tmx(units);
  ImportPart(file, file.size() / 2, Options(DuplicatePolicy::kKeepAll, false));
  const size_t first = Stored().size();
  ASSERT_GT(first, 10u);
  ASSERT_LT(first, 140u);
  const ImportReport report = Import(file, Options(DuplicatePolicy::kKeepAll, true));
  ExpectCountsAddUp(report.counts);
  EXPECT_EQ(report.counts.units_failed, 1u);
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_EQ(report.problems[0].line, 153);            // the <tu> of unit 150
  EXPECT_EQ(report.counts.units_resumed, first + 1);  // the failed unit 3 was decided on
  EXPECT_EQ(Stored().size(), units.size() - 2);
}

TEST_F(ImportResumeTest, ResumeWithoutAKeyOrWithABadOneIsRefused) {
  ImportOptions o = Options(DuplicatePolicy::kKeepAll, true);
  o.resume_key.clear();
  EXPECT_THAT(Importer::Start(*env_.memories, o).status(), StatusIs(absl::StatusCode::kInvalidArgument));
  o.resume_key = std::string(kMaxResumeKeyBytes + 1, 'k');
  EXPECT_THAT(Importer::Start(*env_.memories, o).status(), StatusIs(absl::StatusCode::kInvalidArgument));
  o.resume_key = "sha256:never-imported";  // no earlier import: everything is imported
  const ImportReport report = Import(Tmx({{"one", "واحد"}, {"two", "اثنان"}}), o);
  EXPECT_EQ(report.counts.units_resumed, 0u);
  EXPECT_EQ(report.counts.units_added, 2u);
}

TEST_F(ImportResumeTest, AStorageErrorStillGivesAReportOfWhatWasStored) {
  const Pairs units = FileUnits();
  const std::string file = Tmx(units);
  ImportOptions o = Options(DuplicatePolicy::kKeepAll, false);
  auto importer = Importer::Start(*env_.memories, o);
  ASSERT_THAT(importer.status(), IsOk());
  ASSERT_THAT((*importer)->Feed(std::string_view(file).substr(0, file.size() / 2)), IsOk());
  // The memory goes away midway: the batches after fail (it is pinned).
  ASSERT_THAT(env_.memories->DeleteMemory("m"), IsOk());
  (*importer)->Feed(std::string_view(file).substr(file.size() / 2)).IgnoreError();
  auto report = (*importer)->Finish();
  ASSERT_THAT(report.status(), IsOk());
  EXPECT_THAT(report->error, StatusIs(absl::StatusCode::kNotFound));
  EXPECT_NE(report->fatal_error, "");
  EXPECT_LT(report->counts.units_added, units.size());
  EXPECT_EQ(report->counts.units_added % 10, 0u);  // whole batches, the ones stored before the delete
}

}  // namespace
}  // namespace qantara::tm
