// CsvReader: RFC 4180 quoting, BOM and CRLF, any chunking, headers by name
// and by language, the headerless TSV of `add --tsv`, attribute columns, bad
// rows with their lines, limits, and the fatal errors; format detection.
#include "service/formats/csv_reader.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/service/formats/test_util.h"

namespace qantara::formats {
namespace {

using ::qantara::formats::testing::ReadAll;
using ::qantara::formats::testing::ReadResult;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using text::Language;

ReadResult ReadCsv(std::string_view data, size_t chunk = 4096,
                   const ReaderOptions& options = ReaderOptions()) {
  return ReadAll(FileFormat::kCsv, data, chunk, options);
}

ReaderOptions ArToEn() {
  ReaderOptions o;
  o.source_language = Language::kArabic;
  o.target_language = Language::kEnglish;
  return o;
}

// "source -> target @line" of every unit, and "severity line: reason" of
// every problem, to compare reads.
std::vector<std::string> Summary(const ReadResult& r) {
  std::vector<std::string> out;
  for (const TranslationUnit& u : r.units) {
    out.push_back(absl::StrCat(u.source.text, " -> ", u.target.text, " @", u.line, " id=", u.id));
  }
  for (const Problem& p : r.problems) {
    out.push_back(absl::StrCat(std::string(SeverityName(p.severity)), " ", p.line, ": ", p.reason));
  }
  return out;
}

TEST(CsvReaderTest, QuotedFieldsWithCommasQuotesAndLineBreaks) {
  const std::string doc =
      "source,target\n"
      "\"Hello, world\",\"مرحبا، \"\"يا\"\" عالم\"\n"
      "\"two\nlines\",\"سطران\nهنا\"\n"
      "plain,عادي\n";
  ReadResult r = ReadCsv(doc);
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.units.size(), 3u) << ::testing::PrintToString(Summary(r));
  EXPECT_EQ(r.units[0].source.text, "Hello, world");
  EXPECT_EQ(r.units[0].target.text, "مرحبا، \"يا\" عالم");
  EXPECT_EQ(r.units[0].source.language, Language::kEnglish);
  EXPECT_EQ(r.units[0].target.language, Language::kArabic);
  EXPECT_EQ(r.units[0].line, 2);
  EXPECT_EQ(r.units[1].source.text, "two\nlines");
  EXPECT_EQ(r.units[1].target.text, "سطران\nهنا");
  EXPECT_EQ(r.units[1].line, 3);
  EXPECT_EQ(r.units[2].line, 6);  // after the row of three lines
  EXPECT_EQ(r.stats.units_seen, 3u);
  EXPECT_EQ(r.stats.units_read, 3u);
  EXPECT_TRUE(r.problems.empty());
}

TEST(CsvReaderTest, SpacesAreKeptAndBlankLinesSkipped) {
  ReadResult r = ReadCsv("source,target\n  Candidate: , مرشح: \n\n\r\n\"  x  \",\" ص \"\n");
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.units.size(), 2u);
  EXPECT_EQ(r.units[0].source.text, "  Candidate: ");
  EXPECT_EQ(r.units[0].target.text, " مرشح: ");
  EXPECT_EQ(r.units[1].source.text, "  x  ");
  EXPECT_EQ(r.units[1].line, 5);
}

TEST(CsvReaderTest, BomAndCrlf) {
  ReadResult r = ReadCsv("\xEF\xBB\xBFsource,target\r\nHello,مرحبا\r\n\"a\r\nb\",ب\r\nlast,أخير");
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.units.size(), 3u);
  EXPECT_EQ(r.units[0].source.text, "Hello");  // no BOM, no CR
  EXPECT_EQ(r.units[0].target.text, "مرحبا");
  EXPECT_EQ(r.units[1].source.text, "a\r\nb");  // a quoted line break is kept as written
  EXPECT_EQ(r.units[1].line, 3);
  EXPECT_EQ(r.units[2].target.text, "أخير");  // no line break at the end
  EXPECT_EQ(r.units[2].line, 5);
}

// A file with everything: BOM, CRLF, quotes, line breaks in fields, a bad
// row, an unknown column.
const char kMixed[] =
    "\xEF\xBB\xBF\"id\",\"source\",\"target\",\"x-color\"\r\n"
    "a1,\"Hello, \"\"you\"\"\",\"مرحبا\r\nبك\",red\r\n"
    "a2,only two\r\n"
    "a3,Open,افتح,\r\n"
    "\r\n"
    "a4,\"Save\nall\",احفظ,blue";

TEST(CsvReaderTest, EveryChunkingGivesTheSameRead) {
  const ReadResult whole = ReadCsv(kMixed);
  ASSERT_TRUE(whole.status.ok()) << whole.status;
  const std::vector<std::string> expected = Summary(whole);
  EXPECT_EQ(expected.size(), 5u) << ::testing::PrintToString(expected);  // 3 units, 1 error, 1 warning
  EXPECT_EQ(ReadCsv(kMixed, 1).status, absl::OkStatus());
  EXPECT_EQ(Summary(ReadCsv(kMixed, 1)), expected);
  const std::string_view doc(kMixed);
  for (size_t cut = 1; cut < doc.size(); ++cut) {
    testing::CollectingSink sink;
    CsvReader reader(ReaderOptions(), &sink);
    ASSERT_TRUE(reader.Feed(doc.substr(0, cut)).ok()) << cut;
    ASSERT_TRUE(reader.Feed(doc.substr(cut)).ok()) << cut;
    ASSERT_TRUE(reader.Finish().ok()) << cut;
    ReadResult r;
    r.units = std::move(sink.units);
    r.problems = std::move(sink.problems);
    EXPECT_EQ(Summary(r), expected) << "cut at byte " << cut;
    EXPECT_EQ(reader.stats().bytes, doc.size());
  }
}

TEST(CsvReaderTest, MixedFileUnitsAndProblems) {
  ReadResult r = ReadCsv(kMixed);
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.units.size(), 3u);
  EXPECT_EQ(r.units[0].id, "a1");
  EXPECT_EQ(r.units[0].source.text, "Hello, \"you\"");
  EXPECT_EQ(r.units[0].line, 2);
  EXPECT_EQ(r.units[1].id, "a3");
  EXPECT_EQ(r.units[1].line, 5);
  EXPECT_EQ(r.units[2].source.text, "Save\nall");
  EXPECT_EQ(r.units[2].line, 7);
  ASSERT_EQ(r.problems.size(), 2u);
  EXPECT_EQ(r.problems[0].severity, Problem::Severity::kWarning);
  EXPECT_EQ(r.problems[0].line, 1);
  EXPECT_THAT(r.problems[0].reason, HasSubstr("columns ignored: 'x-color'"));
  EXPECT_EQ(r.problems[1].severity, Problem::Severity::kError);
  EXPECT_EQ(r.problems[1].line, 4);
  EXPECT_EQ(r.problems[1].unit_id, "a2");
  EXPECT_EQ(r.problems[1].reason, "2 fields; the header has 4 columns");
  EXPECT_EQ(r.stats.units_seen, 4u);
  EXPECT_EQ(r.stats.units_failed, 1u);
  EXPECT_EQ(r.stats.warnings, 1u);
}

TEST(CsvReaderTest, HeadersByLanguage) {
  // en->ar memory: the en column is the source wherever it is.
  ReadResult r = ReadCsv("ar,en\nمرحبا,Hello\n");
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.units.size(), 1u);
  EXPECT_EQ(r.units[0].source.text, "Hello");
  EXPECT_EQ(r.units[0].source.language, Language::kEnglish);
  EXPECT_EQ(r.units[0].target.text, "مرحبا");
  // Names and tags, semicolons and tabs.
  r = ReadCsv("English;Arabic\nHello;مرحبا\n");
  ASSERT_EQ(r.units.size(), 1u) << r.status;
  EXPECT_EQ(r.units[0].source.text, "Hello");
  EXPECT_EQ(r.units[0].source.lang_tag, "en");
  r = ReadCsv("en-US\tar_EG\nHello\tمرحبا\n");
  ASSERT_EQ(r.units.size(), 1u) << r.status;
  EXPECT_EQ(r.units[0].source.lang_tag, "en-US");
  EXPECT_EQ(r.units[0].target.lang_tag, "ar_EG");
  // An ar->en memory takes the ar column as the source.
  r = ReadCsv("en,ar\nHello,مرحبا\n", 4096, ArToEn());
  ASSERT_EQ(r.units.size(), 1u) << r.status;
  EXPECT_EQ(r.units[0].source.text, "مرحبا");
  EXPECT_EQ(r.units[0].source.language, Language::kArabic);
  EXPECT_EQ(r.units[0].target.text, "Hello");
  // source/target columns are in the memory's direction.
  r = ReadCsv("source,target\nمرحبا,Hello\n", 4096, ArToEn());
  ASSERT_EQ(r.units.size(), 1u) << r.status;
  EXPECT_EQ(r.units[0].source.text, "مرحبا");
  EXPECT_EQ(r.units[0].source.language, Language::kArabic);
}

TEST(CsvReaderTest, FileLanguagesTurnSourceTargetColumns) {
  ReaderOptions o;  // en->ar memory; the file's source column is Arabic
  o.file_source_language = Language::kArabic;
  ReadResult r = ReadCsv("source,target\nمرحبا,Hello\n", 4096, o);
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.units.size(), 1u);
  EXPECT_EQ(r.units[0].source.text, "Hello");
  EXPECT_EQ(r.units[0].source.language, Language::kEnglish);
  EXPECT_EQ(r.units[0].target.text, "مرحبا");
  // Also for a headerless TSV.
  r = ReadCsv("مرحبا\tHello\n", 4096, o);
  ASSERT_EQ(r.units.size(), 1u) << r.status;
  EXPECT_EQ(r.units[0].source.text, "Hello");
  // Refused when the header names the languages.
  r = ReadCsv("en,ar\nHello,مرحبا\n", 4096, o);
  EXPECT_EQ(r.status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(r.status.message()), HasSubstr("header names its columns' languages"));
  EXPECT_TRUE(r.units.empty());
}

TEST(CsvReaderTest, HeaderlessTsvAsAddReadsIt) {
  const std::string doc =
      "Hello\tمرحبا\r\n"
      "He said \"hi\"\tقال \"أهلا\"\n"
      "\"Quoted\" start\tبداية\n"
      "no tab here\n"
      "a\tب\textra\n";
  ReadResult r = ReadCsv(doc);
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.units.size(), 4u) << ::testing::PrintToString(Summary(r));
  EXPECT_EQ(r.units[0].source.text, "Hello");
  EXPECT_EQ(r.units[0].target.text, "مرحبا");
  EXPECT_EQ(r.units[0].line, 1);
  EXPECT_EQ(r.units[1].source.text, "He said \"hi\"");  // quotes are text
  EXPECT_EQ(r.units[1].target.text, "قال \"أهلا\"");
  EXPECT_EQ(r.units[2].source.text, "\"Quoted\" start");
  EXPECT_EQ(r.units[3].source.text, "a");
  EXPECT_EQ(r.units[3].target.text, "ب");
  EXPECT_EQ(r.units[3].line, 5);
  ASSERT_EQ(r.problems.size(), 2u);
  EXPECT_EQ(r.problems[0].severity, Problem::Severity::kError);
  EXPECT_EQ(r.problems[0].line, 4);
  EXPECT_EQ(r.problems[0].reason, "no tab between source and target");
  EXPECT_EQ(r.problems[1].severity, Problem::Severity::kWarning);
  EXPECT_EQ(r.problems[1].line, 5);
  EXPECT_THAT(r.problems[1].reason, HasSubstr("columns after the second are ignored"));
  // In an ar->en memory column 1 is the Arabic source.
  r = ReadCsv("مرحبا\tHello\n", 4096, ArToEn());
  ASSERT_EQ(r.units.size(), 1u);
  EXPECT_EQ(r.units[0].source.text, "مرحبا");
  EXPECT_EQ(r.units[0].source.language, Language::kArabic);
  // A NUL byte: not text.
  r = ReadCsv(std::string("a\tb\nc\0\td\n", 10));
  EXPECT_THAT(std::string(r.status.message()), StartsWith("line 2: a NUL byte"));
  // What a CR ended before it on its line is read, in any chunking.
  for (size_t chunk : {size_t{1}, size_t{4096}}) {
    r = ReadCsv(std::string("a\tb\nc\td\re\0\tf\n", 13), chunk);
    EXPECT_THAT(std::string(r.status.message()), StartsWith("line 2: a NUL byte"));
    EXPECT_EQ(r.units.size(), 2u) << chunk;
  }
}

TEST(CsvReaderTest, BadRowsFailWithTheirLinesAndReadingGoesOn) {
  const std::string doc =
      "source,target\n"
      "Hello,\n"                // 2: empty target
      ",مرحبا\n"                // 3: empty source
      "bad \xFF utf8,عربي\n"    // 4: invalid UTF-8
      "ctl \x01,عربي\n"         // 5: a character XML cannot hold
      "one,two,three\n"         // 6: too many fields
      "wor\"d,كلمة\n"           // 7: a quote in an unquoted field
      "\"closed\" more,كلمة\n"  // 8: text after a closing quote
      "\"multi\nline\"x,ج\n"    // 9-10: the same, found on line 10
      "Good,جيد\n";             // 11
  for (size_t chunk : {size_t{1}, size_t{4096}}) {
    ReadResult r = ReadCsv(doc, chunk);
    ASSERT_TRUE(r.status.ok()) << r.status;
    ASSERT_EQ(r.units.size(), 1u) << ::testing::PrintToString(Summary(r));
    EXPECT_EQ(r.units[0].source.text, "Good");
    EXPECT_EQ(r.units[0].line, 11);
    ASSERT_EQ(r.problems.size(), 8u) << ::testing::PrintToString(Summary(r));
    const std::vector<int64_t> lines = {2, 3, 4, 5, 6, 7, 8, 9};
    for (size_t i = 0; i < lines.size(); ++i) {
      EXPECT_EQ(r.problems[i].severity, Problem::Severity::kError) << i;
      EXPECT_EQ(r.problems[i].line, lines[i]) << r.problems[i].reason;
    }
    EXPECT_EQ(r.problems[0].reason, "the target is empty");
    EXPECT_EQ(r.problems[1].reason, "the source is empty");
    EXPECT_THAT(r.problems[2].reason, StartsWith("source: "));
    EXPECT_THAT(r.problems[3].reason, StartsWith("source: "));
    EXPECT_EQ(r.problems[4].reason, "3 fields; the header has 2 columns");
    EXPECT_THAT(r.problems[5].reason, StartsWith("malformed quoting"));
    EXPECT_THAT(r.problems[6].reason, StartsWith("malformed quoting"));
    EXPECT_THAT(r.problems[7].reason, StartsWith("malformed quoting at line 10"));
    EXPECT_EQ(r.stats.units_seen, 9u);
    EXPECT_EQ(r.stats.units_failed, 8u);
    EXPECT_EQ(r.stats.units_read, 1u);
  }
}

TEST(CsvReaderTest, OversizedFieldsAndRowsFailTheirRowOnly) {
  ReaderOptions o;
  o.max_segment_bytes = 16;
  o.max_unit_bytes = 40;
  const std::string big(100, 'x');
  const std::string doc =
      absl::StrCat("source,target,note\n", "ok,نعم,\n", big, ",كبير,\n", "\"", big, "\n", big, "\",كبير,\n",
                   "aaaaaaaaaaaaaaa,bbbbbbbbbbbbbbb,ccccccccccccccc\n", "after,بعد,n\n");
  for (size_t chunk : {size_t{1}, size_t{7}, size_t{4096}}) {
    ReadResult r = ReadCsv(doc, chunk, o);
    ASSERT_TRUE(r.status.ok()) << r.status;
    ASSERT_EQ(r.units.size(), 2u) << ::testing::PrintToString(Summary(r));
    EXPECT_EQ(r.units[0].source.text, "ok");
    EXPECT_EQ(r.units[1].source.text, "after");
    EXPECT_EQ(r.units[1].notes, std::vector<std::string>{"n"});
    EXPECT_EQ(r.units[1].line, 7);
    ASSERT_EQ(r.problems.size(), 3u) << ::testing::PrintToString(Summary(r));
    EXPECT_EQ(r.problems[0].line, 3);
    EXPECT_EQ(r.problems[0].reason, "field 1 is larger than 16 bytes (max_segment_bytes)");
    EXPECT_EQ(r.problems[1].line, 4);
    EXPECT_EQ(r.problems[1].reason, "field 1 is larger than 16 bytes (max_segment_bytes)");
    EXPECT_EQ(r.problems[2].line, 6);
    EXPECT_EQ(r.problems[2].reason, "the row is larger than 40 bytes (max_unit_bytes)");
  }
  // The failed row's id is still reported.
  ReadResult r = ReadCsv(absl::StrCat("id,source,target\nk1,", big, ",كبير\n"), 1, o);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].unit_id, "k1");
  EXPECT_EQ(r.problems[0].reason, "field 2 is larger than 16 bytes (max_segment_bytes)");
}

TEST(CsvReaderTest, AttributeColumnsAndFuzzy) {
  // Translate Toolkit's po2csv columns, and more.
  ReadResult r = ReadCsv(
      "\"location\",\"source\",\"target\",\"Note\",\"project\",\"context\",\"fuzzy\",\"key\"\n"
      "\"src/main.c:12\",\"Open\",\"افتح\",\"menu\",\"apt\",\"verb\",\"False\",\"k1\"\n"
      "\"\",\"Close\",\"أغلق\",\"\",\"\",\"\",\"True\",\"\"\n");
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.units.size(), 1u) << ::testing::PrintToString(Summary(r));
  const TranslationUnit& u = r.units[0];
  EXPECT_EQ(u.id, "src/main.c:12");
  EXPECT_EQ(u.notes, std::vector<std::string>{"menu"});
  ASSERT_EQ(u.props.size(), 3u);
  EXPECT_EQ(u.props[0], (Property{"project", "apt"}));
  EXPECT_EQ(u.props[1], (Property{"context", "verb"}));
  EXPECT_EQ(u.props[2], (Property{"key", "k1"}));  // a second id column
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].severity, Problem::Severity::kSkipped);
  EXPECT_EQ(r.problems[0].line, 3);
  EXPECT_THAT(r.problems[0].reason, HasSubstr("fuzzy"));
  EXPECT_EQ(r.stats.units_skipped, 1u);
}

TEST(CsvReaderTest, FatalErrors) {
  // An unterminated quote at the end: the line of its row.
  ReadResult r = ReadCsv("source,target\nHello,مرحبا\nOpen,\"افتح\nmore\n");
  EXPECT_EQ(r.status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(r.status.message()),
              StartsWith("line 3: a quoted field of this row is not closed"));
  ASSERT_EQ(r.units.size(), 1u);  // the rows before it were read
  r = ReadCsv("source,target\nHello,مرحبا\nOpen,\"افتح\nmore\n", 1);
  EXPECT_THAT(std::string(r.status.message()), StartsWith("line 3: "));
  // Not a header, no tab.
  r = ReadCsv("Hello,مرحبا\n");
  EXPECT_THAT(std::string(r.status.message()), StartsWith("line 1: 'Hello,"));
  EXPECT_THAT(std::string(r.status.message()), HasSubstr("is not a header row"));
  // Two source columns.
  r = ReadCsv("source,en,target\na,b,c\n");
  EXPECT_THAT(std::string(r.status.message()), StartsWith("line 1: two source columns, 'source' and 'en'"));
  // Both columns the same language.
  r = ReadCsv("en,English\na,b\n");
  EXPECT_THAT(std::string(r.status.message()), StartsWith("line 1: two source columns"));
  // Malformed quoting in the header row; an empty first line; only a BOM.
  r = ReadCsv("\"source\" ,target\nHello,مرحبا\n");
  EXPECT_EQ(std::string(r.status.message()), "line 1: malformed quoting in the header row");
  EXPECT_TRUE(r.units.empty());
  r = ReadCsv("\nsource,target\nHello,مرحبا\n");
  EXPECT_THAT(std::string(r.status.message()), StartsWith("line 1: the first line is empty"));
  r = ReadCsv("\xEF\xBB\xBF");
  EXPECT_EQ(std::string(r.status.message()), "the file is empty");
  // UTF-16.
  r = ReadCsv(std::string("\xFF\xFEs\0o\0", 6));
  EXPECT_THAT(std::string(r.status.message()), HasSubstr("UTF-16"));
  // A first line longer than a unit may be.
  ReaderOptions o;
  o.max_unit_bytes = 100;
  r = ReadCsv(std::string(200, 'x'), 10, o);
  EXPECT_THAT(std::string(r.status.message()), StartsWith("line 1: the first line is longer than 100 bytes"));
  // After a fatal error the reader is spent.
  testing::CollectingSink sink;
  CsvReader reader(ReaderOptions(), &sink);
  EXPECT_FALSE(reader.Feed("no header here\n").ok());
  EXPECT_FALSE(reader.Feed("a,b\n").ok());
  EXPECT_FALSE(reader.Finish().ok());
}

TEST(CsvReaderTest, ReportsItsLayout) {
  testing::CollectingSink sink;
  CsvReader reader(ReaderOptions(), &sink);
  EXPECT_EQ(reader.delimiter(), 0);
  ASSERT_TRUE(reader.Feed("source;target\na;ب\n").ok());
  ASSERT_TRUE(reader.Finish().ok());
  EXPECT_EQ(reader.delimiter(), ';');
  EXPECT_TRUE(reader.has_header());
  EXPECT_EQ(sink.units.size(), 1u);
}

TEST(CsvReaderTest, DetectedByNameAndContent) {
  EXPECT_EQ(*DetectFileFormat("terms.csv", ""), FileFormat::kCsv);
  EXPECT_EQ(*DetectFileFormat("a/b.TSV", ""), FileFormat::kCsv);
  EXPECT_EQ(*DetectFileFormat("upload", "source,target\nHello,مرحبا\n"), FileFormat::kCsv);
  EXPECT_EQ(*DetectFileFormat("upload", "\xEF\xBB\xBF\"en\";\"ar\"\r\n"), FileFormat::kCsv);
  EXPECT_EQ(*DetectFileFormat("upload", "Hello\tمرحبا\n"), FileFormat::kCsv);
  EXPECT_EQ(*DetectFileFormat("", "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\">"), FileFormat::kTmx);
  EXPECT_EQ(*DetectFileFormat("", "<xliff\tversion=\"1.2\">"), FileFormat::kXliff);
  EXPECT_FALSE(DetectFileFormat("notes.txt", "just some words, nothing else\n").ok());
  EXPECT_TRUE(LooksLikeCsv("location,source,target\n"));
  EXPECT_FALSE(LooksLikeCsv("a,b\n"));
  EXPECT_FALSE(LooksLikeCsv(std::string("\xFF\xFE<\0t\0", 6)));
}

}  // namespace
}  // namespace qantara::formats
