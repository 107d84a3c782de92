// PoReader over PO text written in the tests: messages, context, plurals
// (Arabic's six forms), fuzzy/obsolete/untranslated, languages, charsets,
// syntax errors with their line, and the plural-expression evaluator.
#include "service/formats/po_reader.h"

#include <string>

#include "gtest/gtest.h"
#include "service/formats/po_plural.h"
#include "tests/service/formats/test_util.h"

namespace qantara::formats {
namespace {

using testing::ReadAll;
using testing::ReadResult;

constexpr char kArabicHeader[] =
    "# Arabic translation of a test catalogue.\n"
    "msgid \"\"\n"
    "msgstr \"\"\n"
    "\"Project-Id-Version: test 1.0\\n\"\n"
    "\"Language: ar\\n\"\n"
    "\"MIME-Version: 1.0\\n\"\n"
    "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
    "\"Content-Transfer-Encoding: 8bit\\n\"\n"
    "\"Plural-Forms: nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
    "n%100>=11 ? 4 : 5;\\n\"\n"
    "\n";

ReadResult ReadPo(const std::string& text, size_t chunk = 4096, ReaderOptions options = ReaderOptions()) {
  return ReadAll(FileFormat::kPo, text, chunk, options);
}

const Problem* FindProblem(const ReadResult& r, std::string_view reason_part) {
  for (const Problem& p : r.problems) {
    if (p.reason.find(reason_part) != std::string::npos) return &p;
  }
  return nullptr;
}

TEST(PoReaderTest, ReadsMessagesWithContextCommentsAndLines) {
  const std::string po = std::string(kArabicHeader) +
                         "#. Shown on the toolbar\n"
                         "#: src/main.c:42 src/menu.c:7\n"
                         "msgctxt \"menu\"\n"
                         "msgid \"Open file\"\n"
                         "msgstr \"فتح ملف\"\n"
                         "\n"
                         "msgid \"Save\"\n"
                         "msgstr \"حفظ\"\n";
  ReadResult r = ReadPo(po);
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.units.size(), 2u);
  EXPECT_EQ(r.units[0].source.text, "Open file");
  EXPECT_EQ(r.units[0].target.text, "فتح ملف");
  EXPECT_EQ(r.units[0].source.language, text::Language::kEnglish);
  EXPECT_EQ(r.units[0].target.language, text::Language::kArabic);
  EXPECT_EQ(r.units[0].id, "menu");
  EXPECT_EQ(r.units[0].line, 14);
  ASSERT_EQ(r.units[0].notes.size(), 1u);
  EXPECT_EQ(r.units[0].notes[0], "Shown on the toolbar");
  ASSERT_EQ(r.units[0].props.size(), 1u);
  EXPECT_EQ(r.units[0].props[0].type, "x-po-references");
  EXPECT_EQ(r.units[0].props[0].value, "src/main.c:42 src/menu.c:7");
  EXPECT_EQ(r.units[1].id, "");
  EXPECT_EQ(r.units[1].line, 17);
  EXPECT_EQ(r.stats.units_seen, 2u);
  EXPECT_EQ(r.stats.units_read, 2u);
  EXPECT_EQ(r.stats.warnings, 0u);
}

TEST(PoReaderTest, HeaderWithoutLanguageTakesTheMemorysDirectionWithAWarning) {
  ReadResult r = ReadPo(
      "msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n\nmsgid \"Save\"\nmsgstr "
      "\"حفظ\"\n");
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.units.size(), 1u);
  EXPECT_EQ(r.units[0].target.text, "حفظ");
  ASSERT_EQ(r.stats.warnings, 1u);
  EXPECT_NE(FindProblem(r, "no Language"), nullptr);
}

TEST(PoReaderTest, TurnsToAnArabicToEnglishMemory) {
  ReaderOptions options;
  options.source_language = text::Language::kArabic;
  options.target_language = text::Language::kEnglish;
  ReadResult r = ReadPo(std::string(kArabicHeader) + "msgid \"Save\"\nmsgstr \"حفظ\"\n", 4096, options);
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.units.size(), 1u);
  EXPECT_EQ(r.units[0].source.text, "حفظ");
  EXPECT_EQ(r.units[0].source.language, text::Language::kArabic);
  EXPECT_EQ(r.units[0].target.text, "Save");
}

TEST(PoReaderTest, ArabicPluralFormsPairTheSingularWithFormOne) {
  const std::string po = std::string(kArabicHeader) +
                         "msgid \"%d file\"\n"
                         "msgid_plural \"%d files\"\n"
                         "msgstr[0] \"لا ملفات\"\n"
                         "msgstr[1] \"ملف واحد\"\n"
                         "msgstr[2] \"ملفان\"\n"
                         "msgstr[3] \"%d ملفات\"\n"
                         "msgstr[4] \"%d ملفًا\"\n"
                         "msgstr[5] \"\"\n";
  ReadResult r = ReadPo(po);
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.units.size(), 5u);
  EXPECT_EQ(r.units[1].source.text, "%d file");
  EXPECT_EQ(r.units[1].target.text, "ملف واحد");
  EXPECT_EQ(r.units[0].source.text, "%d files");
  EXPECT_EQ(r.units[0].target.text, "لا ملفات");
  EXPECT_EQ(r.units[3].source.text, "%d files");
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(r.units[i].props.size(), 1u);
    EXPECT_EQ(r.units[i].props[0].type, "x-po-plural-form");
    EXPECT_EQ(r.units[i].props[0].value, std::to_string(i));
  }
  EXPECT_EQ(r.stats.units_seen, 6u);
  ASSERT_EQ(r.stats.units_skipped, 1u);
  const Problem* empty = FindProblem(r, "empty msgstr[5]");
  ASSERT_NE(empty, nullptr);
  EXPECT_EQ(empty->line, 11);
}

TEST(PoReaderTest, EnglishStylePluralsWithoutHeaderRule) {
  const std::string po =
      "msgid \"\"\nmsgstr \"Language: ar\\n\"\n\n"
      "msgid \"one item\"\nmsgid_plural \"%d items\"\nmsgstr[0] \"عنصر واحد\"\nmsgstr[1] \"%d عناصر\"\n";
  ReadResult r = ReadPo(po);
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.units.size(), 2u);
  EXPECT_EQ(r.units[0].source.text, "one item");
  EXPECT_EQ(r.units[0].target.text, "عنصر واحد");
  EXPECT_EQ(r.units[1].source.text, "%d items");
}

TEST(PoReaderTest, SkipsFuzzyObsoleteAndUntranslatedWithReasons) {
  const std::string po = std::string(kArabicHeader) +
                         "#, fuzzy\n"
                         "msgid \"Print\"\n"
                         "msgstr \"طباعة\"\n"
                         "\n"
                         "msgid \"Quit\"\n"
                         "msgstr \"\"\n"
                         "\n"
                         "#~ msgid \"Old\"\n"
                         "#~ msgstr \"قديم\"\n";
  ReadResult r = ReadPo(po);
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_TRUE(r.units.empty());
  EXPECT_EQ(r.stats.units_seen, 3u);
  EXPECT_EQ(r.stats.units_skipped, 3u);
  const Problem* fuzzy = FindProblem(r, "fuzzy");
  ASSERT_NE(fuzzy, nullptr);
  EXPECT_EQ(fuzzy->line, 12);
  const Problem* untranslated = FindProblem(r, "not translated");
  ASSERT_NE(untranslated, nullptr);
  EXPECT_EQ(untranslated->line, 15);
  const Problem* obsolete = FindProblem(r, "obsolete");
  ASSERT_NE(obsolete, nullptr);
  EXPECT_EQ(obsolete->line, 18);

  ReaderOptions with_fuzzy;
  with_fuzzy.po_include_fuzzy = true;
  ReadResult f = ReadPo(po, 4096, with_fuzzy);
  ASSERT_TRUE(f.status.ok()) << f.status;
  ASSERT_EQ(f.units.size(), 1u);
  EXPECT_EQ(f.units[0].target.text, "طباعة");
}

TEST(PoReaderTest, ChunkingDoesNotChangeWhatIsRead) {
  const std::string po = std::string(kArabicHeader) +
                         "msgctxt \"a\"\nmsgid \"One\"\nmsgstr \"واحد\"\n\n"
                         "msgid \"Two\"\nmsgstr \"اثنان\"\n";
  ReadResult whole = ReadPo(po);
  ReadResult bytes = ReadPo(po, 1);
  ASSERT_TRUE(bytes.status.ok()) << bytes.status;
  ASSERT_EQ(bytes.units.size(), whole.units.size());
  for (size_t i = 0; i < whole.units.size(); ++i) {
    EXPECT_TRUE(bytes.units[i].SameContent(whole.units[i]));
    EXPECT_EQ(bytes.units[i].line, whole.units[i].line);
  }
}

TEST(PoReaderTest, SyntaxErrorIsFatalWithItsLine) {
  const std::string po = std::string(kArabicHeader) +
                         "msgid \"Good\"\nmsgstr \"جيد\"\n\n"
                         "msgid \"Broken\n"
                         "msgstr \"مكسور\"\n";
  ReadResult r = ReadPo(po);
  ASSERT_EQ(r.status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status.message().find("line 14: not a valid PO file: end-of-line within string"),
            std::string::npos)
      << r.status;
  EXPECT_TRUE(r.units.empty());
}

TEST(PoReaderTest, DuplicateMsgidIsFatal) {
  ReadResult r =
      ReadPo(std::string(kArabicHeader) + "msgid \"A\"\nmsgstr \"أ\"\n\nmsgid \"A\"\nmsgstr \"ب\"\n");
  ASSERT_EQ(r.status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status.message().find("duplicate"), std::string::npos) << r.status;
}

TEST(PoReaderTest, AnotherLanguagePairFailsOnce) {
  const std::string po =
      "msgid \"\"\nmsgstr \"Language: fr\\nContent-Type: text/plain; charset=UTF-8\\n\"\n\nmsgid "
      "\"Save\"\nmsgstr \"Enregistrer\"\n";
  ReadResult r = ReadPo(po);
  ASSERT_EQ(r.status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status.message().find("Language 'fr'"), std::string::npos) << r.status;
  EXPECT_TRUE(r.units.empty());
  for (const Problem& p : r.problems) ADD_FAILURE() << p.reason;
  // --target-lang says what the file's msgstrs are.
  ReaderOptions options;
  options.file_target_language = text::Language::kArabic;
  ReadResult forced = ReadPo(po, 4096, options);
  ASSERT_TRUE(forced.status.ok()) << forced.status;
  EXPECT_EQ(forced.units.size(), 1u);
}

TEST(PoReaderTest, ConvertsTheHeadersCharset) {
  // "Save" -> Arabic "حفظ" in ISO-8859-6 (0xCD 0xE1 0xD8).
  const std::string po =
      "msgid \"\"\nmsgstr \"\"\n\"Language: ar\\n\"\n\"Content-Type: text/plain; charset=ISO-8859-6\\n\"\n\n"
      "msgid \"Save\"\nmsgstr \"\xCD\xE1\xD8\"\n";
  ReadResult r = ReadPo(po);
  ASSERT_TRUE(r.status.ok()) << r.status;
  for (const Problem& p : r.problems) ADD_FAILURE() << p.reason;
  ASSERT_EQ(r.units.size(), 1u);
  EXPECT_EQ(r.units[0].target.text, "حفظ");
}

// A file that says UTF-8 and is not: gettext refuses it, as msgfmt does.
TEST(PoReaderTest, InvalidUtf8InAUtf8FileIsFatalWithItsLine) {
  const std::string po = std::string(kArabicHeader) + "msgid \"Bad\"\nmsgstr \"\xFF\xFE\"\n\n" +
                         "msgid \"Good\"\nmsgstr \"جيد\"\n";
  ReadResult r = ReadPo(po);
  ASSERT_EQ(r.status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status.message().find("line 12: not a valid PO file"), std::string::npos) << r.status;
  EXPECT_TRUE(r.units.empty());
}

// What a TMX cannot hold: a comment is left out with a warning, a msgctxt
// (the unit's id) fails its unit.
TEST(PoReaderTest, ControlCharactersInCommentsAndContexts) {
  const std::string po = std::string(kArabicHeader) +
                         "# a note with a \x01 control\n"
                         "msgid \"Save\"\nmsgstr \"حفظ\"\n\n"
                         "msgctxt \"bad\\001context\"\nmsgid \"Open\"\nmsgstr \"فتح\"\n";
  ReadResult r = ReadPo(po);
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.units.size(), 1u);
  EXPECT_EQ(r.units[0].source.text, "Save");
  EXPECT_TRUE(r.units[0].notes.empty());
  const Problem* note = FindProblem(r, "a comment was left out");
  ASSERT_NE(note, nullptr);
  EXPECT_EQ(note->severity, Problem::Severity::kWarning);
  EXPECT_EQ(note->line, 12);
  const Problem* ctx = FindProblem(r, "msgctxt:");
  ASSERT_NE(ctx, nullptr);
  EXPECT_EQ(ctx->severity, Problem::Severity::kError);
  EXPECT_EQ(ctx->line, 16);
}

TEST(PoReaderTest, OversizedFileIsFatal) {
  ReaderOptions options;
  options.max_po_bytes = 64;
  ReadResult r = ReadPo(std::string(kArabicHeader), 16, options);
  ASSERT_EQ(r.status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status.message().find("max_po_bytes"), std::string::npos) << r.status;
}

TEST(PoReaderTest, EmptyFileIsFatal) {
  ReadResult r = ReadPo("");
  EXPECT_EQ(r.status.code(), absl::StatusCode::kInvalidArgument);
}

TEST(PoReaderTest, DetectedByNameAndByContent) {
  EXPECT_EQ(*DetectFileFormat("apt.po", ""), FileFormat::kPo);
  EXPECT_EQ(*DetectFileFormat("x.POT", ""), FileFormat::kPo);
  EXPECT_EQ(*DetectFileFormat("upload", "# comment\n\nmsgid \"\"\nmsgstr \"\"\n"), FileFormat::kPo);
  EXPECT_EQ(*DetectFileFormat("upload", "\xEF\xBB\xBFmsgctxt \"a\"\n"), FileFormat::kPo);
  EXPECT_FALSE(DetectFileFormat("upload", "# comment\nsource,target\n").ok());
  EXPECT_EQ(*DetectFileFormat("upload", "<?xml version=\"1.0\"?><tmx>"), FileFormat::kTmx);
}

TEST(PoPluralTest, EvaluatesGettextExpressions) {
  const std::string arabic = "n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5";
  const int expected[][2] = {{0, 0},  {1, 1},  {2, 2},   {3, 3},   {10, 3},
                             {11, 4}, {99, 4}, {100, 5}, {102, 5}, {103, 3}};
  for (const auto& [n, form] : expected) {
    absl::StatusOr<uint64_t> v = EvaluatePlural(arabic, n);
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_EQ(*v, static_cast<uint64_t>(form)) << "n=" << n;
  }
  EXPECT_EQ(*EvaluatePlural("n != 1", 1), 0u);
  EXPECT_EQ(*EvaluatePlural("n != 1", 5), 1u);
  EXPECT_EQ(*EvaluatePlural(
                "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)", 22),
            1u);
  EXPECT_EQ(*EvaluatePlural("!(n>1)", 0), 1u);
  EXPECT_FALSE(EvaluatePlural("n % 0", 3).ok());
  EXPECT_FALSE(EvaluatePlural("n ==", 3).ok());
  EXPECT_FALSE(EvaluatePlural("(n", 3).ok());
  EXPECT_FALSE(EvaluatePlural("n; rm", 3).ok());
  EXPECT_FALSE(EvaluatePlural(std::string(200, '(') + "n" + std::string(200, ')'), 1).ok());
  EXPECT_FALSE(EvaluatePlural(std::string(2000, ' ') + "n", 1).ok());
}

TEST(PoPluralTest, ParsesTheHeaderValue) {
  absl::StatusOr<PluralForms> ar = ParsePluralForms(
      "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5;");
  ASSERT_TRUE(ar.ok()) << ar.status();
  EXPECT_EQ(ar->nplurals, 6);
  EXPECT_EQ(ar->singular_index, 1);
  absl::StatusOr<PluralForms> one = ParsePluralForms("nplurals=1; plural=0;");
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->singular_index, 0);
  EXPECT_FALSE(ParsePluralForms("nplurals=2; plural=n==1 ? 5 : 0;").ok());
  EXPECT_FALSE(ParsePluralForms("plural=n!=1;").ok());
  EXPECT_FALSE(ParsePluralForms("nplurals=0; plural=0;").ok());
}

}  // namespace
}  // namespace qantara::formats
