// The lossless TMX export (x-qantara props, tmx_units.h) and its import with
// preserve_ids, without gRPC, on a real RocksDB: every stored field and the
// ids come back, the second export has the same bytes, and the errors
// (a non-empty memory, ids out of order or missing, a kept id below the
// memory's) name what is wrong.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/tm/exporter.h"
#include "service/tm/importer.h"
#include "tests/service/tm/tm_test_env.h"

namespace qantara::tm {
namespace {

using ::testing::HasSubstr;

std::vector<Unit> All(Memories& memories, const std::string& memory) {
  std::vector<Unit> out;
  EXPECT_TRUE(memories
                  .ScanUnits(memory, 0,
                             [&](const Unit& u) {
                               out.push_back(u);
                               return absl::OkStatus();
                             })
                  .ok());
  return out;
}

Unit U(std::string source, std::string target, uint64_t id = 0) {
  Unit u;
  u.id = id;
  u.source = std::move(source);
  u.target = std::move(target);
  return u;
}

void ExpectSame(const Unit& a, const Unit& b, bool same_id = true) {
  SCOPED_TRACE(a.source);
  if (same_id) {
    EXPECT_EQ(a.id, b.id);
  }
  EXPECT_EQ(a.source, b.source);
  EXPECT_EQ(a.target, b.target);
  EXPECT_EQ(a.created_at_us, b.created_at_us);
  EXPECT_EQ(a.changed_at_us, b.changed_at_us);
  EXPECT_EQ(a.created_by, b.created_by);
  EXPECT_EQ(a.changed_by, b.changed_by);
  EXPECT_EQ(a.attributes.project, b.attributes.project);
  EXPECT_EQ(a.attributes.domain, b.attributes.domain);
  EXPECT_EQ(a.attributes.client, b.attributes.client);
  EXPECT_EQ(a.attributes.extra, b.attributes.extra);
  EXPECT_EQ(a.context.prev, b.context.prev);
  EXPECT_EQ(a.context.next, b.context.next);
  EXPECT_EQ(a.context.id, b.context.id);
  EXPECT_EQ(a.origin, b.origin);
  EXPECT_EQ(a.alignment_confidence, b.alignment_confidence);
  EXPECT_EQ(a.usage_count, b.usage_count);
}

class LosslessExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(env_.memories->CreateMemory(NewMemory{"src", "en-GB", "ar", "legal, 2024 & after"}).ok());
    std::vector<Unit> units;
    for (int i = 0; i < 40; ++i) {
      Unit u;
      u.source = "The contract number " + std::to_string(i) + " ends.";
      u.target = "ينتهي العقد رقم " + std::to_string(i) + ".";
      u.created_at_us = 1700000000123456 + i;  // not whole seconds
      u.changed_at_us = i % 2 ? 1700000100000000 : 0;
      u.created_by = "ann";
      u.changed_by = i % 3 ? "bob" : "";
      u.attributes.project = i % 2 ? "p<1>" : "";
      u.attributes.domain = "law";
      u.attributes.client = i % 5 ? "acme" : "";
      if (i % 4 == 0) u.attributes.extra["reviewed"] = "yes\nby carol";
      if (i % 6 == 0) u.attributes.extra["tmx:note"] = "a note";
      u.context.prev = i % 3 ? "previous \"segment\"\n" + std::to_string(i) : "";
      u.context.next = "next " + std::to_string(i);
      u.context.id = i % 2 ? "seg-" + std::to_string(i) : "";
      u.origin = static_cast<match::Origin>(i % 3);
      if (u.origin == match::Origin::kAlignment) u.alignment_confidence = 0.1 + i / 97.0;
      units.push_back(std::move(u));
    }
    // Two of the same pair (kept), and gaps in the ids (deleted units).
    units.push_back(units[5]);
    ASSERT_TRUE(env_.memories->AddUnits("src", units, DuplicatePolicy::kKeepAll).ok());
    ASSERT_EQ(*env_.memories->DeleteUnits("src", {3, 4, 17}), 3u);
    ASSERT_TRUE(env_.memories->IncrementUsage("src", 7, 5).ok());
  }

  std::string Export(const std::string& memory) {
    std::string out;
    ExportOptions options;
    options.memory = memory;
    absl::Status s = ExportTmx(*env_.memories, options, [&](std::string_view bytes, const ExportCounts&) {
      out.append(bytes);
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
    return out;
  }

  absl::StatusOr<ImportReport> Import(const std::string& memory, const std::string& file, bool preserve_ids) {
    ImportOptions options;
    options.memory = memory;
    options.file_name = "x.tmx";
    options.preserve_ids = preserve_ids;
    options.batch_size = 7;  // several batches
    auto importer = Importer::Start(*env_.memories, options);
    if (!importer.ok()) return importer.status();
    for (size_t at = 0; at < file.size(); at += 500) {
      if (!(*importer)->Feed(std::string_view(file).substr(at, 500)).ok()) break;
    }
    return (*importer)->Finish();
  }

  testing::MemoryEnv env_;
};

TEST_F(LosslessExportTest, PreservedIdsGiveBackTheSameUnitsAndBytes) {
  const std::string file = Export("src");
  EXPECT_THAT(file, HasSubstr("<prop type=\"x-qantara-description\">legal, 2024 &amp; after</prop>"));
  EXPECT_THAT(file, HasSubstr("<prop type=\"x-qantara-id\">41</prop>"));
  EXPECT_THAT(file, HasSubstr("<prop type=\"x-qantara-origin\">alignment</prop>"));
  EXPECT_THAT(file, HasSubstr("<prop type=\"x-qantara-created-us\">1700000000123456</prop>"));
  EXPECT_THAT(file, HasSubstr("usagecount=\"5\""));
  // The same units export to the same bytes.
  EXPECT_EQ(Export("src"), file);

  ASSERT_TRUE(env_.memories->CreateMemory(NewMemory{"dst", "en-GB", "ar", ""}).ok());
  auto report = Import("dst", file, /*preserve_ids=*/true);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->fatal_error, "");
  EXPECT_EQ(report->counts.units_added, 38u);
  EXPECT_EQ(report->counts.units_failed, 0u);
  const std::vector<Unit> src = All(*env_.memories, "src"), dst = All(*env_.memories, "dst");
  ASSERT_EQ(dst.size(), src.size());
  for (size_t i = 0; i < src.size(); ++i) ExpectSame(dst[i], src[i]);
  // Everything after the header (the units) is byte-identical.
  const std::string again = Export("dst");
  ASSERT_NE(again.find("</header>"), std::string::npos);
  EXPECT_EQ(again.substr(again.find("</header>")), file.substr(file.find("</header>")));
  // New units go after the kept ids.
  auto added = env_.memories->AddUnits("dst", {U("new one", "جديد")}, DuplicatePolicy::kKeepAll);
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(added->at(0).id, 42u);

  // Into a memory that holds units: refused before anything is read.
  auto again_into = Import("dst", file, true);
  EXPECT_EQ(again_into.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(again_into.status().message(), HasSubstr("empty memory"));
}

TEST_F(LosslessExportTest, WithoutPreserveIdsTheFieldsComeBackUnderNewIds) {
  const std::string file = Export("src");
  ASSERT_TRUE(env_.memories->CreateMemory(NewMemory{"dst", "en", "ar", ""}).ok());
  ASSERT_TRUE(env_.memories->AddUnits("dst", {U("first", "أول")}, DuplicatePolicy::kSkipIdentical).ok());
  auto report = Import("dst", file, false);
  ASSERT_TRUE(report.ok()) << report.status();
  const std::vector<Unit> src = All(*env_.memories, "src"), dst = All(*env_.memories, "dst");
  ASSERT_EQ(dst.size(), src.size());  // the pair added twice is skipped once, "first" is there
  for (size_t i = 1; i < dst.size(); ++i) {
    EXPECT_EQ(dst[i].id, i + 1);
    ExpectSame(dst[i], src[i - 1], /*same_id=*/false);
  }
  for (const Unit& u : dst) {
    for (const auto& [k, v] : u.attributes.extra) EXPECT_EQ(k.rfind("x-qantara-", 0), std::string::npos) << k;
  }
}

TEST_F(LosslessExportTest, IdsOutOfOrderMissingUnreadableOrTooLargeFailTheirUnits) {
  ASSERT_TRUE(env_.memories->CreateMemory(NewMemory{"dst", "en", "ar", ""}).ok());
  auto tu = [](const std::string& props, const std::string& en) {
    return "<tu>" + props + "<tuv xml:lang=\"en\"><seg>" + en + "</seg></tuv><tuv xml:lang=\"ar\"><seg>ع " +
           en + "</seg></tuv></tu>\n";
  };
  const std::string file =
      "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"><header srclang=\"en\" datatype=\"plaintext\" "
      "segtype=\"sentence\" adminlang=\"en\" o-tmf=\"t\" creationtool=\"t\" "
      "creationtoolversion=\"1\"/><body>\n" +
      tu("<prop type=\"x-qantara-id\">5</prop>", "five") +
      tu("<prop type=\"x-qantara-id\">3</prop>", "three") + tu("", "none") +
      tu("<prop type=\"x-qantara-id\">x7</prop>", "bad") +
      tu("<prop type=\"x-qantara-id\">9</prop><prop type=\"x-qantara-origin\">robot</prop>", "robot") +
      tu("<prop type=\"x-qantara-id\">8</prop>", "eight") +
      tu("<prop type=\"x-qantara-id\">140737488355328</prop>", "above the largest") + "</body></tmx>\n";
  auto report = Import("dst", file, true);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->counts.units_added, 2u);
  EXPECT_EQ(report->counts.units_failed, 5u);
  ASSERT_EQ(report->problems.size(), 5u);
  EXPECT_THAT(report->problems[0].reason, HasSubstr("unit id 3 is not above the previous unit's id 5"));
  EXPECT_THAT(report->problems[1].reason, HasSubstr("no <prop type=\"x-qantara-id\">"));
  EXPECT_THAT(report->problems[2].reason, HasSubstr("x-qantara-id"));
  EXPECT_THAT(report->problems[3].reason, HasSubstr("x-qantara-origin"));
  EXPECT_THAT(report->problems[4].reason,
              HasSubstr("unit id 140737488355328 is above the largest a unit can keep, 140737488355327"));
  const std::vector<Unit> dst = All(*env_.memories, "dst");
  ASSERT_EQ(dst.size(), 2u);
  EXPECT_EQ(dst[0].id, 5u);
  EXPECT_EQ(dst[1].id, 8u);
}

TEST_F(LosslessExportTest, StorageRefusesAKeptIdAtOrBelowTheMemorysLast) {
  ASSERT_TRUE(env_.memories->CreateMemory(NewMemory{"dst", "en", "ar", ""}).ok());
  ASSERT_TRUE(env_.memories->AddUnits("dst", {U("a", "ب")}, DuplicatePolicy::kSkipIdentical).ok());  // id 1
  Unit u = U("b", "ت", 1);
  auto out = env_.memories->AddUnits("dst", {u}, DuplicatePolicy::kKeepAll, nullptr, /*keep_ids=*/true);
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out.status().message(), HasSubstr("unit id 1"));
  u.id = 10;
  out = env_.memories->AddUnits("dst", {u}, DuplicatePolicy::kKeepAll, nullptr, true);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->at(0).id, 10u);
  EXPECT_EQ(env_.memories->GetUnit("dst", 10)->source, "b");
}

}  // namespace
}  // namespace qantara::tm
