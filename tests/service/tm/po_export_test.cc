// tm::ExportPo on a real RocksDB, and the file imported again through
// tm::Importer: the header (memory name, target language, revision date),
// native text for inline codes, notes and references, a second target for
// one source under msgctxt "qantara:<id>", units a PO cannot hold counted,
// the filter, and tm::Export's formats.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/tm/exporter.h"
#include "service/tm/importer.h"
#include "service/tm/tmx_units.h"
#include "tests/service/tm/tm_test_env.h"

namespace qantara::tm {
namespace {

using ::testing::HasSubstr;

Unit U(std::string source, std::string target, std::string context = "") {
  Unit u;
  u.source = std::move(source);
  u.target = std::move(target);
  u.context.id = std::move(context);
  return u;
}

class PoExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(env_.memories->CreateMemory(NewMemory{"legal po", "en-GB", "ar-SA", "contracts"}).ok());
    Unit coded = U("Click <b>here</b>", "انقر <b>هنا</b>", "menu");
    coded.attributes.extra[std::string(kSourceMarkupKey)] =
        "Click <bpt i=\"1\">&lt;b&gt;</bpt>here<ept i=\"1\">&lt;/b&gt;</ept>";
    coded.attributes.extra[std::string(kNoteKey)] = "a note\nand its second line";
    coded.attributes.extra["x-po-references"] = "src/a.c:12 src/b.c:3";
    coded.attributes.project = "p1";
    std::vector<Unit> units = {coded, U("Open", "فتح"), U("Open", "افتح"), U("Ends\n", "ينتهي"),
                               U("Say \"hi\"\nthen go", "قل \"مرحبا\"\nثم اذهب")};
    ASSERT_TRUE(env_.memories->AddUnits("legal po", units, DuplicatePolicy::kKeepAll).ok());
  }

  std::string Export(ExportOptions options, ExportCounts* counts = nullptr) {
    std::string out;
    options.memory = "legal po";
    options.now_us = 1700000000000000;  // 2023-11-14 22:13:20 UTC
    absl::Status s = tm::Export(*env_.memories, options, [&](std::string_view bytes, const ExportCounts& c) {
      out.append(bytes);
      if (counts != nullptr) *counts = c;
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
    return out;
  }

  testing::MemoryEnv env_;
};

TEST_F(PoExportTest, WritesThePoAndImportsBack) {
  ExportOptions options;
  options.format = formats::FileFormat::kPo;
  ExportCounts counts;
  const std::string po = Export(options, &counts);
  EXPECT_EQ(counts.units, 4u);
  EXPECT_EQ(counts.unwritable, 1u);  // "Ends\n" -> no newline at the end of its target
  EXPECT_THAT(
      po, HasSubstr("# Translation memory legal po (en-GB -> ar-SA), exported by qantara.\n# contracts\n"));
  EXPECT_THAT(po, HasSubstr("\"Project-Id-Version: legal po\\n\"\n"));
  EXPECT_THAT(po, HasSubstr("\"PO-Revision-Date: 2023-11-14 22:13+0000\\n\"\n"));
  EXPECT_THAT(po, HasSubstr("\"Language: ar_SA\\n\"\n"));
  EXPECT_THAT(po, HasSubstr("\n# a note\n# and its second line\n#: src/a.c:12 src/b.c:3\nmsgctxt \"menu\"\n"
                            "msgid \"Click <b>here</b>\"\nmsgstr \"انقر <b>هنا</b>\"\n"));
  EXPECT_THAT(po, HasSubstr("\nmsgid \"Open\"\nmsgstr \"فتح\"\n"));
  EXPECT_THAT(po, HasSubstr("\nmsgctxt \"qantara:3\"\nmsgid \"Open\"\nmsgstr \"افتح\"\n"));
  EXPECT_THAT(po, HasSubstr("\nmsgid \"\"\n\"Say \\\"hi\\\"\\n\"\n\"then go\"\nmsgstr \"\"\n"));

  ASSERT_TRUE(env_.memories->CreateMemory(NewMemory{"dst", "en", "ar", ""}).ok());
  ImportOptions io;
  io.memory = "dst";
  io.file_name = "x.po";
  auto importer = Importer::Start(*env_.memories, io);
  ASSERT_TRUE(importer.ok()) << importer.status();
  ASSERT_TRUE((*importer)->Feed(po).ok());
  auto report = (*importer)->Finish();
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->fatal_error, "");
  EXPECT_EQ(report->counts.units_added, 4u);
  EXPECT_EQ(report->counts.units_failed, 0u);
  std::vector<Unit> got;
  ASSERT_TRUE(env_.memories
                  ->ScanUnits("dst", 0,
                              [&](const Unit& u) {
                                got.push_back(u);
                                return absl::OkStatus();
                              })
                  .ok());
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0].source, "Click <b>here</b>");
  EXPECT_EQ(got[0].target, "انقر <b>هنا</b>");
  EXPECT_EQ(got[0].context.id, "menu");
  EXPECT_EQ(got[0].attributes.extra[std::string(kNoteKey)], "a note\nand its second line");
  EXPECT_EQ(got[0].attributes.extra["x-po-references"], "src/a.c:12 src/b.c:3");
  EXPECT_EQ(got[1].source, "Open");
  EXPECT_EQ(got[1].context.id, "");
  EXPECT_EQ(got[2].source, "Open");
  EXPECT_EQ(got[2].target, "افتح");
  EXPECT_EQ(got[2].context.id, "qantara:3");
  EXPECT_EQ(got[3].target, "قل \"مرحبا\"\nثم اذهب");
}

TEST_F(PoExportTest, FilterAndFormats) {
  ExportOptions options;
  options.format = formats::FileFormat::kPo;
  options.filter.project = "p1";
  ExportCounts counts;
  const std::string po = Export(options, &counts);
  EXPECT_EQ(counts.units, 1u);
  EXPECT_THAT(po, HasSubstr("msgid \"Click <b>here</b>\""));
  EXPECT_THAT(po, ::testing::Not(HasSubstr("msgid \"Open\"")));
  // TMX is the default; XLIFF is not exported.
  EXPECT_THAT(Export(ExportOptions()), HasSubstr("<tmx version=\"1.4\">"));
  options.format = formats::FileFormat::kXliff;
  options.memory = "legal po";
  absl::Status s = tm::Export(*env_.memories, options,
                              [](std::string_view, const ExportCounts&) { return absl::OkStatus(); });
  EXPECT_TRUE(absl::IsInvalidArgument(s)) << s;
  EXPECT_THAT(std::string(s.message()), HasSubstr("format"));
}

}  // namespace
}  // namespace qantara::tm
