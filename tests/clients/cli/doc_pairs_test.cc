// Pairing Arabic/English document files by name (qantara import-docs).
#include "clients/cli/doc_pairs.h"

#include <filesystem>
#include <fstream>
#include <random>

#include "gtest/gtest.h"

namespace qantara::cli {
namespace {

namespace fs = std::filesystem;

void ExpectParsed(std::string_view file, const std::string& name, bool arabic, DocFormat format) {
  std::optional<DocFileName> p = ParseDocFileName(file);
  ASSERT_TRUE(p.has_value()) << file;
  EXPECT_EQ(p->name, name) << file;
  EXPECT_EQ(p->arabic, arabic) << file;
  EXPECT_EQ(p->format, format) << file;
}

TEST(ParseDocFileNameTest, RecognisedForms) {
  ExpectParsed("report.ar.txt", "report", true, DocFormat::kText);
  ExpectParsed("report.en.txt", "report", false, DocFormat::kText);
  ExpectParsed("report.ar", "report", true, DocFormat::kText);
  ExpectParsed("report.en", "report", false, DocFormat::kText);
  ExpectParsed("report_ar.txt", "report", true, DocFormat::kText);
  ExpectParsed("report_en", "report", false, DocFormat::kText);
  ExpectParsed("report-AR.HTML", "report", true, DocFormat::kHtml);
  ExpectParsed("report.en.htm", "report", false, DocFormat::kHtml);
  ExpectParsed("report.arabic.text", "report", true, DocFormat::kText);
  ExpectParsed("report.English", "report", false, DocFormat::kText);
  ExpectParsed("report.ara.txt", "report", true, DocFormat::kText);
  ExpectParsed("report.arb", "report", true, DocFormat::kText);
  ExpectParsed("report.eng", "report", false, DocFormat::kText);
  ExpectParsed("bbc.381790.ar.txt", "bbc.381790", true, DocFormat::kText);
  ExpectParsed("news_2019-05_en.txt", "news_2019-05", false, DocFormat::kText);
  ExpectParsed("تقرير.ar.txt", "تقرير", true, DocFormat::kText);
  ExpectParsed("ar.txt", "", true, DocFormat::kText);
  ExpectParsed("EN", "", false, DocFormat::kText);
}

TEST(ParseDocFileNameTest, NotRecognised) {
  for (const char* f :
       {"report.txt", "report", "report.ar.pdf", "reportar.txt", "report.fr.txt", "report.ar-SA.txt",
        ".ar.txt", ".hidden.en.txt", "_ar.txt", "", "ar.pdf", "report.ar.txt.bak", "report.doc"}) {
    EXPECT_FALSE(ParseDocFileName(f).has_value()) << f;
  }
}

TEST(FormatOfPathTest, ByExtension) {
  EXPECT_EQ(FormatOfPath("a/page.HTML"), DocFormat::kHtml);
  EXPECT_EQ(FormatOfPath("page.htm"), DocFormat::kHtml);
  EXPECT_EQ(FormatOfPath("a.b/page"), DocFormat::kText);
  EXPECT_EQ(FormatOfPath("page.ar.txt"), DocFormat::kText);
  EXPECT_EQ(FormatOfPath("page.doc"), DocFormat::kText);
}

TEST(PairDocumentFilesTest, PairsBySameNameAndDirectory) {
  DocPairing p = PairDocumentFiles({"d/a.ar.txt", "d/a.en.txt",   // pair "a"
                                    "d/b_ar.txt", "d/b.en.html",  // mixed forms and formats: pair "b"
                                    "d/c.ar", "d/sub/c.en",       // different directories: unpaired
                                    "d/x.en.txt", "d/x_en.txt", "d/x.ar.txt",  // two English files for x
                                    "d/notes.md", "d/.hidden.ar.txt", "d/A.en.txt"},
                                   "d");
  ASSERT_EQ(p.pairs.size(), 2u);
  EXPECT_EQ(p.pairs[0].name, "a");
  EXPECT_EQ(p.pairs[0].arabic, "d/a.ar.txt");
  EXPECT_EQ(p.pairs[0].english, "d/a.en.txt");
  EXPECT_EQ(p.pairs[1].name, "b");
  EXPECT_EQ(p.pairs[1].arabic_format, DocFormat::kText);
  EXPECT_EQ(p.pairs[1].english_format, DocFormat::kHtml);
  std::map<std::string, std::string> unpaired;
  for (const UnpairedFile& u : p.unpaired) unpaired[u.path] = u.reason;
  EXPECT_EQ(unpaired.size(), 7u);
  EXPECT_EQ(unpaired["d/c.ar"], "no English counterpart");
  EXPECT_EQ(unpaired["d/sub/c.en"], "no Arabic counterpart");
  EXPECT_EQ(unpaired["d/x.en.txt"], "several English files with the same name");
  EXPECT_EQ(unpaired["d/x_en.txt"], "several English files with the same name");
  EXPECT_EQ(unpaired["d/x.ar.txt"], "several English files with the same name");
  EXPECT_NE(unpaired["d/notes.md"].find("does not mark it"), std::string::npos);
  EXPECT_EQ(unpaired["d/A.en.txt"], "no Arabic counterpart");  // names are case-sensitive
  EXPECT_EQ(unpaired.count("d/.hidden.ar.txt"), 0u);           // hidden: ignored
}

TEST(PairDocumentFilesTest, BareLanguageNamesPairWithinADirectory) {
  DocPairing p =
      PairDocumentFiles({"docs/one/ar.txt", "docs/one/en.txt", "docs/two/AR", "docs/two/en"}, "docs");
  ASSERT_EQ(p.pairs.size(), 2u);
  EXPECT_EQ(p.pairs[0].name, "one");
  EXPECT_EQ(p.pairs[1].name, "two");
  EXPECT_TRUE(p.unpaired.empty());
  // Without a base directory the pair is named by its directory path.
  DocPairing q = PairDocumentFiles({"x/y/ar.txt", "x/y/en.txt", "r.ar", "r.en"});
  ASSERT_EQ(q.pairs.size(), 2u);
  EXPECT_EQ(q.pairs[0].name, "r");
  EXPECT_EQ(q.pairs[1].name, "x/y");
}

class CollectTest : public ::testing::Test {
 protected:
  CollectTest() {
    std::random_device rd;
    root_ = fs::temp_directory_path() / ("qantara-docpairs-" + std::to_string(rd()));
    fs::create_directories(root_ / "sub");
  }
  ~CollectTest() override { fs::remove_all(root_); }
  void Touch(const std::string& rel) { std::ofstream(root_ / rel) << "x\n"; }
  fs::path root_;
};

TEST_F(CollectTest, DirectoryNonRecursiveRecursiveAndFileLists) {
  Touch("a.ar.txt");
  Touch("a.en.txt");
  Touch("report.json");
  Touch("sub/b.ar");
  Touch("sub/b.en");
  auto flat = CollectDocumentPairs({root_.string() + "/"}, false, (root_ / "report.json").string());
  ASSERT_TRUE(flat.ok()) << flat.status();
  ASSERT_EQ(flat->pairs.size(), 1u);
  EXPECT_EQ(flat->pairs[0].name, "a");
  EXPECT_TRUE(flat->unpaired.empty());  // the report file is excluded
  auto deep = CollectDocumentPairs({root_.string()}, true);
  ASSERT_TRUE(deep.ok());
  ASSERT_EQ(deep->pairs.size(), 2u);
  EXPECT_EQ(deep->pairs[1].name, "sub/b");
  EXPECT_EQ(deep->unpaired.size(), 1u);  // report.json
  auto files = CollectDocumentPairs({(root_ / "sub/b.ar").string(), (root_ / "sub/b.en").string()}, false);
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->pairs.size(), 1u);
  auto missing = CollectDocumentPairs({(root_ / "nope").string()}, false);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace qantara::cli
