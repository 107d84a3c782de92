// XliffReader: 1.2 units with inline codes, 2.0 segments in the memory's
// direction, only confirmed/final units, export to TMX and back, bad input.
#include "service/formats/xliff_reader.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/formats/tmx_reader.h"
#include "service/formats/tmx_writer.h"
#include "tests/service/formats/test_util.h"

namespace qantara::formats {
namespace {

using ::qantara::formats::testing::FixturePath;
using ::qantara::formats::testing::ReadAll;
using ::qantara::formats::testing::ReadFileToString;
using ::qantara::formats::testing::ReadResult;
using ::qantara::formats::testing::ReadTmx;
using ::qantara::formats::testing::Utf8ToUtf16;
using ::testing::HasSubstr;
using text::Language;

using ::qantara::formats::testing::kClose;
using ::qantara::formats::testing::kOpen;
using ::qantara::formats::testing::kStand;

using ::qantara::formats::testing::ReadXliff;

const Problem* FindProblem(const ReadResult& r, std::string_view id) {
  for (const Problem& p : r.problems) {
    if (p.unit_id == id) return &p;
  }
  return nullptr;
}

TEST(XliffReaderTest, Reads12TranslatedUnitsWithInlineCodes) {
  ReadResult r = ReadXliff(ReadFileToString(FixturePath("sample12.xlf")));
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.units.size(), 3u);
  EXPECT_EQ(r.stats.units_seen, 8u);
  EXPECT_EQ(r.stats.units_read, 3u);
  EXPECT_EQ(r.stats.units_skipped, 4u);
  EXPECT_EQ(r.stats.units_failed, 1u);

  const TranslationUnit& t1 = r.units[0];
  EXPECT_EQ(t1.id, "t1");
  EXPECT_EQ(t1.source.text, "Open the file");
  EXPECT_EQ(t1.source.lang_tag, "en-US");
  EXPECT_EQ(t1.source.language, Language::kEnglish);
  EXPECT_EQ(t1.target.text, "افتح الملف");
  EXPECT_EQ(t1.target.lang_tag, "ar-SA");
  EXPECT_EQ(t1.notes, std::vector<std::string>{"menu item"});
  EXPECT_EQ(t1.line, 6);

  const TranslationUnit& t2 = r.units[1];  // alt-trans and seg-source ignored
  EXPECT_EQ(t2.source.text, "Click " + kOpen + "Save" + kClose + " now" + kStand);
  EXPECT_EQ(t2.source.markup,
            "Click <bpt i=\"1\" x=\"1\">&lt;g id=\"1\" ctype=\"bold\"&gt;</bpt>Save<ept "
            "i=\"1\">&lt;/g&gt;</ept> now<ph x=\"2\">&lt;x id=\"2\"/&gt;</ph>");
  EXPECT_EQ(t2.target.text, "انقر " + kOpen + "حفظ" + kClose + " الآن" + kStand);
  ASSERT_EQ(t2.source.codes.size(), 3u);
  EXPECT_EQ(t2.source.codes[0].native, "<g id=\"1\" ctype=\"bold\">");

  const TranslationUnit& t5 = r.units[2];
  EXPECT_EQ(t5.source.text, "Paired " + kOpen + "bold" + kClose + " and " + kOpen + "it" + kClose + " " +
                                kStand + " " + kOpen + "term");
  ASSERT_EQ(t5.source.codes.size(), 6u);
  EXPECT_EQ(t5.source.codes[2].native, "<i>");
  EXPECT_EQ(t5.source.codes[4].native, "{0}");
  EXPECT_EQ(t5.source.codes[5].element, InlineCode::Element::kIt);
  EXPECT_EQ(t5.source.codes[5].pos, "begin");

  ASSERT_NE(FindProblem(r, "t3"), nullptr);
  EXPECT_EQ(FindProblem(r, "t3")->severity, Problem::Severity::kSkipped);
  EXPECT_EQ(FindProblem(r, "t3")->reason, "not translated (no target)");
  EXPECT_THAT(FindProblem(r, "t4")->reason, HasSubstr("state=\"new\""));
  EXPECT_THAT(FindProblem(r, "t6")->reason, HasSubstr("translate=\"no\""));
  EXPECT_EQ(FindProblem(r, "t7")->severity, Problem::Severity::kError);
  EXPECT_THAT(FindProblem(r, "t7")->reason, HasSubstr("unbalanced inline codes"));
  EXPECT_EQ(FindProblem(r, "t8")->severity, Problem::Severity::kSkipped);
}

TEST(XliffReaderTest, Reads12OnlyConfirmedUnits) {
  ReadResult r = ReadXliff(ReadFileToString(FixturePath("sample12.xlf")), /*only_final=*/true);
  ASSERT_TRUE(r.status.ok());
  ASSERT_EQ(r.units.size(), 2u);
  EXPECT_EQ(r.units[0].id, "t1");  // approved="yes"
  EXPECT_EQ(r.units[1].id, "t2");  // state="final"
  EXPECT_THAT(FindProblem(r, "t5")->reason, HasSubstr("not confirmed"));
}

TEST(XliffReaderTest, Reads20SegmentsInTheMemoryDirection) {
  // The file goes ar -> en; the memory en -> ar: sides are swapped.
  ReadResult r = ReadXliff(ReadFileToString(FixturePath("sample20.xlf")), false, 5);
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.units.size(), 4u);
  EXPECT_EQ(r.units[0].id, "u1/s1");
  EXPECT_EQ(r.units[0].source.text, "Hello world");
  EXPECT_EQ(r.units[0].source.lang_tag, "en-GB");
  EXPECT_EQ(r.units[0].target.text, "مرحبا بالعالم");
  EXPECT_EQ(r.units[0].srclang, "ar");
  EXPECT_EQ(r.units[0].notes, std::vector<std::string>{"headline"});
  EXPECT_EQ(r.units[1].id, "u1/s2");
  EXPECT_EQ(r.units[1].line, 10);

  const TranslationUnit& u2 = r.units[2];
  EXPECT_EQ(u2.id, "u2");
  EXPECT_EQ(u2.source.text, "Click " + kOpen + "Save" + kClose + kStand + " " + kOpen + "x" + kClose + " " +
                                kOpen + "yz\xC3\xA9");
  EXPECT_EQ(u2.source.markup,
            "Click <bpt i=\"1\" x=\"1\">&lt;b&gt;</bpt>Save<ept i=\"1\">&lt;/b&gt;</ept><ph "
            "x=\"2\">&lt;br/&gt;</ph> <bpt i=\"2\" x=\"3\">&lt;sc id=\"3\"/&gt;</bpt>x<ept "
            "i=\"2\">&lt;ec startRef=\"3\"/&gt;</ept> <it pos=\"begin\" x=\"4\">&lt;sc id=\"4\" "
            "isolated=\"yes\"/&gt;</it>yz\xC3\xA9");
  EXPECT_EQ(u2.notes.size(), 0u);
  EXPECT_EQ(r.units[3].id, "u3/3");  // no state, a target: taken

  EXPECT_THAT(FindProblem(r, "u1/s3")->reason, HasSubstr("state=\"initial\""));
  EXPECT_EQ(FindProblem(r, "u3/1")->severity, Problem::Severity::kSkipped);
  EXPECT_EQ(FindProblem(r, "u3/2")->severity, Problem::Severity::kError);
  EXPECT_THAT(FindProblem(r, "u3/2")->reason, HasSubstr("unbalanced inline codes: <ec startRef=\"9\">"));
  EXPECT_EQ(r.stats.units_seen, 7u);
}

TEST(XliffReaderTest, Reads20OnlyFinalSegments) {
  ReadResult r = ReadXliff(ReadFileToString(FixturePath("sample20.xlf")), true);
  ASSERT_TRUE(r.status.ok());
  ASSERT_EQ(r.units.size(), 1u);
  EXPECT_EQ(r.units[0].id, "u1/s1");
}

TEST(XliffReaderTest, XliffUnitsExportToTmxAndReadBackIdentical) {
  ReadResult x = ReadXliff(ReadFileToString(FixturePath("sample20.xlf")));
  ASSERT_TRUE(x.status.ok());
  std::string tmx;
  TmxWriterOptions options;
  options.header.srclang = "ar";  // the units carry srclang "ar"
  TmxWriter writer(options, [&](std::string_view b) {
    tmx.append(b);
    return absl::OkStatus();
  });
  for (const TranslationUnit& u : x.units) ASSERT_TRUE(writer.Write(u).ok());
  ASSERT_TRUE(writer.Finish().ok());
  ReadResult t = ReadTmx(tmx);
  ASSERT_TRUE(t.status.ok()) << t.status;
  ASSERT_EQ(t.units.size(), x.units.size());
  for (size_t i = 0; i < t.units.size(); ++i) {
    EXPECT_TRUE(t.units[i].SameContent(x.units[i])) << i;
  }
}

TEST(XliffReaderTest, Utf16AndWrongLanguagesAndBadInput) {
  std::string doc = ReadFileToString(FixturePath("sample12.xlf"));
  doc.replace(doc.find("UTF-8"), 5, "UTF-16");
  ReadResult r16 = ReadXliff(Utf8ToUtf16(doc, true, true));
  ASSERT_TRUE(r16.status.ok()) << r16.status;
  EXPECT_EQ(r16.units.size(), 3u);

  ReadResult fr = ReadXliff(
      "<xliff version=\"1.2\"><file source-language=\"fr\" target-language=\"de\"><body>"
      "<trans-unit id=\"a\"><source>Bonjour</source><target>Hallo</target></trans-unit>"
      "</body></file></xliff>");
  // Another pair: the whole file fails, once, before any unit.
  EXPECT_THAT(fr.status.message(),
              HasSubstr("file languages 'fr' -> 'de' are not the memory's en/ar pair (--source-lang/"));
  EXPECT_TRUE(fr.units.empty());
  EXPECT_TRUE(fr.problems.empty());

  EXPECT_THAT(ReadXliff("<tmx version=\"1.4\"/>").status.message(), HasSubstr("expected <xliff>"));
  EXPECT_THAT(ReadXliff("<xliff version=\"3.0\"/>").status.message(), HasSubstr("unsupported XLIFF version"));
  EXPECT_THAT(ReadXliff("").status.message(), HasSubstr("empty"));
  ReadResult trunc = ReadXliff(ReadFileToString(FixturePath("sample12.xlf")).substr(0, 900));
  EXPECT_THAT(trunc.status.message(), HasSubstr("truncated"));
  ReadResult bomb = ReadXliff(
      "<!DOCTYPE xliff [<!ENTITY a \"aaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><xliff version=\"1.2\"/>");
  EXPECT_THAT(bomb.status.message(), HasSubstr("entity declarations are refused"));
}

// Languages as tools write them (file_languages.h): po2xliff's file without
// target-language, case and ISO 639-2 and underscores, both left out, the
// options' overrides, a unit's own <target xml:lang>, and the PO header.
TEST(XliffReaderTest, FileLanguagesAsToolsWriteThem) {
  auto doc = [](const std::string& file_attrs, const std::string& target_attrs = "") {
    return absl::StrCat(
        "<xliff version=\"1.1\"><file ", file_attrs, " original=\"apt.po\"><body>",
        "<trans-unit id=\"hdr\" restype=\"x-gettext-domain-header\"><source>Project-Id-Version: apt</source>",
        "<target>Project-Id-Version: apt\nLanguage: ar</target></trans-unit>",
        "<trans-unit id=\"1\"><source>Done</source><target", target_attrs, ">تم</target></trans-unit>",
        "<trans-unit id=\"2\"><source>Abort.</source><target>إجهاض.</target></trans-unit>",
        "</body></file></xliff>");
  };
  // po2xliff: source-language="en-US" and no target-language.
  ReadResult r = ReadXliff(doc("source-language=\"en-US\" datatype=\"po\""));
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.units.size(), 2u);
  EXPECT_EQ(r.units[0].source.text, "Done");
  EXPECT_EQ(r.units[0].target.language, Language::kArabic);
  EXPECT_EQ(r.units[0].target.lang_tag, "ar");
  ASSERT_EQ(r.problems.size(), 2u);  // one warning for the file, the header skipped
  EXPECT_EQ(r.problems[0].severity, Problem::Severity::kWarning);
  EXPECT_EQ(
      r.problems[0].reason,
      "<file original=\"apt.po\">: the file names no target language: taken as 'ar', the memory's other "
      "language");
  EXPECT_EQ(r.problems[1].severity, Problem::Severity::kSkipped);
  EXPECT_EQ(r.problems[1].unit_id, "hdr");
  EXPECT_THAT(r.problems[1].reason, HasSubstr("PO header"));
  EXPECT_EQ(r.stats.warnings, 1u);

  // Only the target named, in capitals: the source is the other language.
  r = ReadXliff(doc("target-language=\"AR\""));
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.units.size(), 2u);
  EXPECT_EQ(r.units[1].source.language, Language::kEnglish);
  EXPECT_EQ(r.units[1].source.lang_tag, "en");
  EXPECT_THAT(r.problems[0].reason, HasSubstr("no source language: taken as 'en'"));

  // ISO 639-2 and underscores, reversed: the memory's direction is kept.
  r = ReadXliff(doc("source-language=\"ara\" target-language=\"en_US\""));
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.units.size(), 2u);
  // (The file says its source side is Arabic: its <target> becomes the
  // unit's English source.)
  EXPECT_EQ(r.units[0].source.text, "تم");
  EXPECT_EQ(r.units[0].source.language, Language::kEnglish);
  EXPECT_EQ(r.units[0].target.lang_tag, "ara");
  EXPECT_EQ(r.stats.warnings, 0u);

  // Neither named: the memory's direction, with a warning.
  r = ReadXliff(doc(""));
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(r.units.size(), 2u);
  EXPECT_THAT(r.problems[0].reason, HasSubstr("names no languages: taken as the memory's en/ar"));

  // The options say what the file holds, whatever it says.
  ReaderOptions o;
  o.file_source_language = Language::kEnglish;
  o.file_target_language = Language::kArabic;
  r = ReadAll(FileFormat::kXliff, doc("source-language=\"fr\" target-language=\"de\""), 4096, o);
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(r.units.size(), 2u);
  EXPECT_EQ(r.stats.warnings, 0u);

  // Both sides the same language: the file fails.
  r = ReadXliff(doc("source-language=\"en\" target-language=\"en-GB\""));
  EXPECT_THAT(r.status.message(), HasSubstr("source and target are both 'en'"));
  // A unit's own <target xml:lang> of another language fails that unit only.
  r = ReadXliff(doc("source-language=\"en\" target-language=\"ar\"", " xml:lang=\"fr\""));
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.units.size(), 1u);
  const Problem* bad = FindProblem(r, "1");
  ASSERT_NE(bad, nullptr);
  EXPECT_THAT(bad->reason, HasSubstr("<target xml:lang=\"fr\"> is not the other language"));
}

}  // namespace
}  // namespace qantara::formats
