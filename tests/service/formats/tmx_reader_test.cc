// TmxReader: every feature of the rich fixture, the header, direction swaps,
// chunk sizes, UTF-16, sink errors, and bad input failing the file or the unit.
#include "service/formats/tmx_reader.h"

#include <sys/resource.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/formats/tmx_date.h"
#include "tests/service/formats/test_util.h"

namespace qantara::formats {
namespace {

using ::qantara::formats::testing::CollectingSink;
using ::qantara::formats::testing::FixturePath;
using ::qantara::formats::testing::ReadFileToString;
using ::qantara::formats::testing::ReadResult;
using ::qantara::formats::testing::ReadTmx;
using ::qantara::formats::testing::Utf8ToUtf16;
using ::testing::HasSubstr;
using text::Language;

using ::qantara::formats::testing::kClose;
using ::qantara::formats::testing::kOpen;
using ::qantara::formats::testing::kStand;

std::string Rich() { return ReadFileToString(FixturePath("rich.tmx")); }

// A small TMX document around `body` (the content of <body>).
std::string Tmx(std::string_view body) {
  return absl::StrCat(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">\n"
      "<header creationtool=\"t\" creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"t\" "
      "adminlang=\"en\" srclang=\"en\" datatype=\"plaintext\"/>\n<body>\n",
      std::string(body), "</body>\n</tmx>\n");
}

std::string Tu(std::string_view en, std::string_view ar, std::string_view id = "") {
  return absl::StrCat("<tu", id.empty() ? "" : absl::StrCat(" tuid=\"", std::string(id), "\""),
                      ">\n<tuv xml:lang=\"en\"><seg>", std::string(en),
                      "</seg></tuv>\n<tuv xml:lang=\"ar\"><seg>", std::string(ar), "</seg></tuv>\n</tu>\n");
}

TEST(TmxReaderTest, ReadsEveryFeatureOfTheRichFixture) {
  ReadResult r = ReadTmx(Rich());
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_TRUE(r.problems.empty());
  ASSERT_EQ(r.units.size(), 6u);
  EXPECT_EQ(r.stats.units_seen, 6u);
  EXPECT_EQ(r.stats.units_read, 6u);
  EXPECT_EQ(r.stats.units_failed, 0u);

  // 1: plain text, dates, users, usage, props and notes.
  const TranslationUnit& u1 = r.units[0];
  EXPECT_EQ(u1.id, "1");
  EXPECT_EQ(u1.line, 10);
  EXPECT_EQ(u1.srclang, "EN-US");  // from the header
  EXPECT_EQ(u1.source.language, Language::kEnglish);
  EXPECT_EQ(u1.source.lang_tag, "en-US");
  EXPECT_EQ(u1.source.text, "The contract is void.");
  EXPECT_EQ(u1.source.markup, "The contract is void.");
  EXPECT_FALSE(u1.source.has_codes());
  EXPECT_EQ(u1.target.language, Language::kArabic);
  EXPECT_EQ(u1.target.lang_tag, "AR-SA");
  EXPECT_EQ(u1.target.text, "العقد باطل.");
  EXPECT_EQ(u1.creation_date, *ParseTmxDate("20230115T101112Z"));
  EXPECT_EQ(u1.change_date, *ParseTmxDate("20240229T235959Z"));
  EXPECT_EQ(u1.last_usage_date, *ParseTmxDate("20240301T000000Z"));
  EXPECT_EQ(u1.creation_id, "alice");
  EXPECT_EQ(u1.change_id, "bob");
  EXPECT_EQ(u1.usage_count, 3);
  ASSERT_EQ(u1.props.size(), 2u);
  EXPECT_EQ(u1.props[0], (Property{"x-domain", "legal"}));
  EXPECT_EQ(u1.props[1], (Property{"x-client", "ACME & Sons"}));
  EXPECT_EQ(u1.notes, std::vector<std::string>{"Check the term."});
  EXPECT_EQ(u1.source.props, std::vector<Property>{(Property{"x-origin", "TM"})});
  EXPECT_EQ(u1.source.notes, std::vector<std::string>{"source note"});

  // 2: lang attribute, ar_EG, tu srclang; the source is still English.
  const TranslationUnit& u2 = r.units[1];
  EXPECT_EQ(u2.srclang, "ar");
  EXPECT_EQ(u2.source.text, "Hello");
  EXPECT_EQ(u2.source.lang_tag, "en");
  EXPECT_EQ(u2.target.text, "مرحبا");
  EXPECT_EQ(u2.target.lang_tag, "ar_EG");

  // 3: five tuv reduced to the first en and the ar.
  EXPECT_EQ(r.units[2].source.text, "Hello world");
  EXPECT_EQ(r.units[2].source.lang_tag, "en-GB");
  EXPECT_EQ(r.units[2].target.text, "مرحبا بالعالم");

  // 4: inline codes: markup kept, placeholders in the text, native code kept.
  const Segment& s4 = r.units[3].source;
  EXPECT_EQ(s4.markup,
            "Click <bpt i=\"1\" x=\"1\">&lt;b&gt;</bpt>Save<ept i=\"1\">&lt;/b&gt;</ept> now<ph "
            "x=\"2\" type=\"lb\">&lt;br/&gt;</ph>, <hi type=\"term\">R&amp;D</hi> <it "
            "pos=\"begin\" x=\"3\">&lt;i&gt;</it>x");
  EXPECT_EQ(s4.text, "Click " + kOpen + "Save" + kClose + " now" + kStand + ", " + kOpen + "R&D" + kClose +
                         " " + kOpen + "x");
  ASSERT_EQ(s4.codes.size(), 6u);
  EXPECT_EQ(s4.codes[0].element, InlineCode::Element::kBpt);
  EXPECT_EQ(s4.codes[0].role, InlineCode::Role::kOpening);
  EXPECT_EQ(s4.codes[0].i, "1");
  EXPECT_EQ(s4.codes[0].x, "1");
  EXPECT_EQ(s4.codes[0].native, "<b>");
  EXPECT_EQ(s4.codes[0].text_offset, 6u);
  EXPECT_EQ(s4.codes[1].element, InlineCode::Element::kEpt);
  EXPECT_EQ(s4.codes[1].native, "</b>");
  EXPECT_EQ(s4.codes[2].element, InlineCode::Element::kPh);
  EXPECT_EQ(s4.codes[2].type, "lb");
  EXPECT_EQ(s4.codes[2].native, "<br/>");
  EXPECT_EQ(s4.codes[3].element, InlineCode::Element::kHi);
  EXPECT_EQ(s4.codes[3].role, InlineCode::Role::kOpening);
  EXPECT_EQ(s4.codes[4].element, InlineCode::Element::kHi);
  EXPECT_EQ(s4.codes[4].role, InlineCode::Role::kClosing);
  EXPECT_EQ(s4.codes[5].element, InlineCode::Element::kIt);
  EXPECT_EQ(s4.codes[5].pos, "begin");
  for (const InlineCode& c : s4.codes) {
    EXPECT_EQ(s4.text.substr(c.text_offset, 3), c.role == InlineCode::Role::kOpening   ? kOpen
                                                : c.role == InlineCode::Role::kClosing ? kClose
                                                                                       : kStand);
  }
  EXPECT_EQ(r.units[3].target.codes.size(), 6u);

  // 5: whitespace and newlines kept; entities decoded in text, canonical in markup.
  EXPECT_EQ(r.units[4].source.text, "\n  Line one \"quoted\" 's AB\n");
  EXPECT_EQ(r.units[4].source.markup, "\n  Line one \"quoted\" 's AB\n");
  EXPECT_EQ(r.units[4].target.text, "\n  سطر <1>\n");
  EXPECT_EQ(r.units[4].target.markup, "\n  سطر &lt;1&gt;\n");

  // 6: <sub> stays in the markup, out of the text and the native code.
  const Segment& s6 = r.units[5].source;
  EXPECT_EQ(s6.markup, "<ph x=\"1\">&lt;img alt=\"<sub>A picture</sub>\"/&gt;</ph> Picture<ph/>");
  EXPECT_EQ(s6.text, kStand + " Picture" + kStand);
  ASSERT_EQ(s6.codes.size(), 2u);
  EXPECT_EQ(s6.codes[0].native, "<img alt=\"\"/>");
  EXPECT_EQ(r.units[5].target.markup,
            "<ph x=\"1\">&lt;img alt=\"<sub type=\"alt\">صورة</sub>\"/&gt;</ph> صورة<ph/>");
}

TEST(TmxReaderTest, ReadsTheHeader) {
  CollectingSink sink;
  TmxReader reader(ReaderOptions(), &sink);
  ASSERT_TRUE(reader.Feed(Rich()).ok());
  ASSERT_TRUE(reader.Finish().ok());
  ASSERT_TRUE(reader.has_header());
  const TmxHeader& h = reader.header();
  EXPECT_EQ(h.creation_tool, "TestTool");
  EXPECT_EQ(h.creation_tool_version, "1.0");
  EXPECT_EQ(h.segtype, "sentence");
  EXPECT_EQ(h.o_tmf, "test");
  EXPECT_EQ(h.adminlang, "en-US");
  EXPECT_EQ(h.srclang, "EN-US");
  EXPECT_EQ(h.datatype, "plaintext");
  EXPECT_EQ(h.creation_date, *ParseTmxDate("20240102T030405Z"));
  EXPECT_EQ(h.creation_id, "admin");
  EXPECT_EQ(h.props, std::vector<Property>{(Property{"x-project", "Qantara test"})});
  EXPECT_EQ(h.notes, std::vector<std::string>{"Header note"});
}

TEST(TmxReaderTest, ArabicToEnglishDirectionSwapsSides) {
  ReaderOptions options;
  options.source_language = Language::kArabic;
  options.target_language = Language::kEnglish;
  ReadResult r = ReadTmx(Rich(), 4096, options);
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.units.size(), 6u);
  EXPECT_EQ(r.units[0].source.text, "العقد باطل.");
  EXPECT_EQ(r.units[0].target.text, "The contract is void.");
  EXPECT_EQ(r.units[1].source.lang_tag, "ar_EG");
}

TEST(TmxReaderTest, ChunkSizeDoesNotChangeTheResult) {
  const std::string doc = Rich();
  ReadResult whole = ReadTmx(doc, doc.size());
  ASSERT_TRUE(whole.status.ok());
  for (size_t chunk : {1u, 2u, 3u, 7u, 100u}) {
    ReadResult r = ReadTmx(doc, chunk);
    ASSERT_TRUE(r.status.ok()) << chunk << ": " << r.status;
    ASSERT_EQ(r.units.size(), whole.units.size()) << chunk;
    for (size_t i = 0; i < r.units.size(); ++i) {
      EXPECT_TRUE(r.units[i].SameContent(whole.units[i])) << "chunk " << chunk << " unit " << i;
      EXPECT_EQ(r.units[i].line, whole.units[i].line);
    }
  }
}

TEST(TmxReaderTest, ReadsUtf16LittleAndBigEndianWithOrWithoutBom) {
  std::string doc = Rich();
  const std::string decl = "encoding=\"UTF-8\"";
  doc.replace(doc.find(decl), decl.size(), "encoding=\"UTF-16\"");
  ReadResult utf8 = ReadTmx(Rich());
  ASSERT_TRUE(utf8.status.ok());
  for (bool big_endian : {false, true}) {
    for (bool bom : {true, false}) {
      ReadResult r = ReadTmx(Utf8ToUtf16(doc, big_endian, bom), 1001);
      ASSERT_TRUE(r.status.ok()) << "be=" << big_endian << " bom=" << bom << ": " << r.status;
      ASSERT_EQ(r.units.size(), utf8.units.size());
      for (size_t i = 0; i < r.units.size(); ++i) {
        EXPECT_TRUE(r.units[i].SameContent(utf8.units[i])) << i;
      }
    }
  }
  // UTF-8 with a byte-order mark.
  ReadResult bom8 = ReadTmx("\xEF\xBB\xBF" + Rich(), 2);
  ASSERT_TRUE(bom8.status.ok()) << bom8.status;
  EXPECT_EQ(bom8.units.size(), utf8.units.size());
  // A BOM and no XML declaration at all.
  ReadResult r = ReadTmx(Utf8ToUtf16(Tmx(Tu("a", "ب")).substr(39), false, true));
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.units.size(), 1u);
  EXPECT_EQ(r.units[0].target.text, "ب");
}

TEST(TmxReaderTest, SinkErrorStopsReading) {
  CollectingSink sink;
  sink.stop_after_units = 2;
  TmxReader reader(ReaderOptions(), &sink);
  absl::Status s = reader.Feed(Rich());
  EXPECT_TRUE(absl::IsCancelled(s)) << s;
  EXPECT_EQ(sink.units.size(), 2u);
  EXPECT_TRUE(absl::IsCancelled(reader.Finish()));
}

TEST(TmxReaderTest, MalformedDateIsAWarningAndTheUnitIsKept) {
  ReadResult r = ReadTmx(
      Tmx("<tu tuid=\"d\" creationdate=\"2024-01-02\" changedate=\"20240230T000000Z\" usagecount=\"x\">"
          "<tuv xml:lang=\"en\"><seg>a</seg></tuv><tuv xml:lang=\"ar\"><seg>ب</seg></tuv></tu>"));
  ASSERT_TRUE(r.status.ok());
  ASSERT_EQ(r.units.size(), 1u);
  EXPECT_FALSE(r.units[0].creation_date.has_value());
  EXPECT_FALSE(r.units[0].change_date.has_value());
  EXPECT_FALSE(r.units[0].usage_count.has_value());
  ASSERT_EQ(r.problems.size(), 3u);
  EXPECT_EQ(r.problems[0].severity, Problem::Severity::kWarning);
  EXPECT_THAT(r.problems[0].reason, HasSubstr("creationdate"));
  EXPECT_EQ(r.problems[0].unit_id, "d");
  EXPECT_EQ(r.stats.warnings, 3u);
}

// ---- Bad input: a clear error, and no half-delivered unit. ----

TEST(TmxReaderBadInputTest, TruncatedFile) {
  const std::string doc = Rich();
  const std::string cut = doc.substr(0, doc.find("Save<ept"));  // inside unit 4
  ReadResult r = ReadTmx(cut);
  EXPECT_TRUE(absl::IsInvalidArgument(r.status));
  EXPECT_THAT(r.status.message(), HasSubstr("truncated"));
  EXPECT_THAT(r.status.message(), HasSubstr("<tu> opened at line"));
  ASSERT_EQ(r.units.size(), 3u);  // units 1-3 are whole; 4 never delivered
  EXPECT_EQ(r.units[2].id, "3");
  // Cut inside a tag too.
  ReadResult r2 = ReadTmx(doc.substr(0, doc.find("<tu tuid=\"2\"") + 5));
  EXPECT_THAT(r2.status.message(), HasSubstr("truncated"));
  EXPECT_EQ(r2.units.size(), 1u);
}

TEST(TmxReaderBadInputTest, InvalidUtf8) {
  ReadResult r = ReadTmx(Tmx(Tu("ok", "جيد") + Tu("bad \xC3\x28 byte", "سيء")));
  EXPECT_TRUE(absl::IsInvalidArgument(r.status));
  EXPECT_THAT(r.status.message(), HasSubstr("line 10"));
  EXPECT_THAT(r.status.message(), HasSubstr("invalid UTF-8")) << r.status;
  EXPECT_EQ(r.units.size(), 1u);
  // An overlong encoding and a UTF-8 encoded surrogate.
  EXPECT_FALSE(ReadTmx(Tmx(Tu("\xC0\xAF", "ب"))).status.ok());
  EXPECT_FALSE(ReadTmx(Tmx(Tu("\xED\xA0\x80", "ب"))).status.ok());
}

TEST(TmxReaderBadInputTest, WrongEncodingDeclaration) {
  // UTF-8 bytes declared as UTF-16.
  std::string doc = Tmx(Tu("a", "ب"));
  doc.replace(doc.find("UTF-8"), 5, "UTF-16");
  ReadResult r = ReadTmx(doc);
  EXPECT_TRUE(absl::IsInvalidArgument(r.status));
  EXPECT_THAT(r.status.message(), HasSubstr("does not match"));
  EXPECT_TRUE(r.units.empty());
  // UTF-16 bytes (with BOM) declared as UTF-8.
  ReadResult r2 = ReadTmx(Utf8ToUtf16(Tmx(Tu("a", "ب")), false, true));
  EXPECT_THAT(r2.status.message(), HasSubstr("does not match"));
  EXPECT_TRUE(r2.units.empty());
  // An encoding expat does not know.
  std::string cp1256 = Tmx(Tu("a", "b"));
  cp1256.replace(cp1256.find("UTF-8"), 5, "windows-1256");
  ReadResult r3 = ReadTmx(cp1256);
  EXPECT_THAT(r3.status.message(), HasSubstr("unsupported encoding"));
}

TEST(TmxReaderBadInputTest, UnknownLanguageFailsTheUnitOnly) {
  ReadResult r =
      ReadTmx(Tmx("<tu tuid=\"u\"><tuv xml:lang=\"en\"><seg>a</seg></tuv><tuv xml:lang=\"xx-YY\"><seg>b</seg>"
                  "</tuv></tu>\n<tu><tuv xml:lang=\"en\"><seg>a</seg></tuv><tuv><seg>b</seg></tuv></tu>\n" +
                  Tu("good", "جيد")));
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.units.size(), 1u);
  EXPECT_EQ(r.units[0].source.text, "good");
  ASSERT_EQ(r.problems.size(), 2u);
  EXPECT_EQ(r.problems[0].severity, Problem::Severity::kError);
  EXPECT_EQ(r.problems[0].unit_id, "u");
  EXPECT_EQ(r.problems[0].line, 5);
  EXPECT_EQ(r.problems[0].reason, "the unit has no ar variant (languages: en, xx-YY)");
  EXPECT_THAT(r.problems[1].reason, HasSubstr("no xml:lang"));
  EXPECT_EQ(r.stats.units_failed, 2u);
  EXPECT_EQ(r.stats.units_seen, 3u);
}

TEST(TmxReaderBadInputTest, UnitWithOneLanguage) {
  ReadResult r = ReadTmx(Tmx("<tu><tuv xml:lang=\"ar\"><seg>ب</seg></tuv></tu>\n<tu></tu>\n" + Tu("a", "ب")));
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.units.size(), 1u);
  ASSERT_EQ(r.problems.size(), 2u);
  EXPECT_EQ(r.problems[0].reason, "the unit has no en variant (languages: ar)");
  EXPECT_EQ(r.problems[1].reason, "the unit has no <tuv>");
}

TEST(TmxReaderBadInputTest, EmptySegmentIsSkipped) {
  ReadResult r = ReadTmx(Tmx(Tu("a", "") + Tu("b", "ب")));
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.units.size(), 1u);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].severity, Problem::Severity::kSkipped);
  EXPECT_EQ(r.problems[0].reason, "the ar segment is empty");
  EXPECT_EQ(r.stats.units_skipped, 1u);
}

TEST(TmxReaderBadInputTest, UnbalancedInlineCodes) {
  const char* bad[] = {
      "a <bpt i=\"1\">&lt;b></bpt>b",                 // no ept
      "a <ept i=\"1\">&lt;/b></ept>b",                // no bpt
      "<bpt i=\"1\">x</bpt><ept i=\"2\">y</ept>",     // wrong i
      "<bpt>x</bpt>y<ept>z</ept>",                    // no i at all
      "<it>x</it>",                                   // it without pos
      "<b>bold</b>",                                  // not a TMX element
      "<bpt i=\"1\"><ph>x</ph></bpt><ept i=\"1\"/>",  // code inside a code
      "a<sub>b</sub>",                                // sub outside a code
      "a \xEE\x80\x81 b",                             // a placeholder in the text
  };
  std::string body;
  for (const char* seg : bad) body += Tu(seg, "ب");
  body += Tu("ok", "جيد");
  ReadResult r = ReadTmx(Tmx(body));
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.units.size(), 1u);
  EXPECT_EQ(r.units[0].source.text, "ok");
  ASSERT_EQ(r.problems.size(), std::size(bad));
  EXPECT_THAT(r.problems[0].reason, HasSubstr("unbalanced inline codes: <bpt i=\"1\"> has no <ept"));
  EXPECT_THAT(r.problems[1].reason, HasSubstr("unbalanced inline codes: <ept i=\"1\"> without"));
  EXPECT_THAT(r.problems[2].reason, HasSubstr("unbalanced"));
  EXPECT_THAT(r.problems[3].reason, HasSubstr("without its i attribute"));
  EXPECT_THAT(r.problems[4].reason, HasSubstr("pos"));
  EXPECT_THAT(r.problems[5].reason, HasSubstr("unexpected element <b>"));
  EXPECT_THAT(r.problems[6].reason, HasSubstr("not allowed inside <bpt>"));
  EXPECT_THAT(r.problems[7].reason, HasSubstr("<sub> outside"));
  EXPECT_THAT(r.problems[8].reason, HasSubstr("private-use"));
  for (const Problem& p : r.problems) EXPECT_EQ(p.severity, Problem::Severity::kError);
}

TEST(TmxReaderBadInputTest, EntityExpansionBomb) {
  std::string doc =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE tmx [\n <!ENTITY lol \"lol\">\n"
      " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
      " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
      " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
      "]>\n<tmx version=\"1.4\"><header/><body>" +
      Tu("&lol3;", "ب") + "</body></tmx>";
  ReadResult r = ReadTmx(doc);
  EXPECT_TRUE(absl::IsInvalidArgument(r.status));
  EXPECT_THAT(r.status.message(), HasSubstr("line 3"));
  EXPECT_THAT(r.status.message(), HasSubstr("declares the entity 'lol'"));
  EXPECT_TRUE(r.units.empty());
}

TEST(TmxReaderBadInputTest, ExternalEntity) {
  ReadResult r = ReadTmx(
      "<?xml version=\"1.0\"?>\n<!DOCTYPE tmx [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
      "<tmx version=\"1.4\"><header/><body>" +
      Tu("&xxe;", "ب") + "</body></tmx>");
  EXPECT_TRUE(absl::IsInvalidArgument(r.status));
  EXPECT_THAT(r.status.message(), HasSubstr("external entity 'xxe'"));
  EXPECT_TRUE(r.units.empty());
  // A parameter entity pulling an external DTD.
  ReadResult p = ReadTmx(
      "<?xml version=\"1.0\"?>\n<!DOCTYPE tmx [<!ENTITY % ext SYSTEM \"http://example.com/x.dtd\"> "
      "%ext;]>\n<tmx version=\"1.4\"><header/><body>" +
      Tu("a", "ب") + "</body></tmx>");
  EXPECT_TRUE(absl::IsInvalidArgument(p.status));
  EXPECT_THAT(p.status.message(), HasSubstr("entity 'ext'"));
  EXPECT_TRUE(p.units.empty());
  // A reference to an entity the (never loaded) external DTD might declare.
  ReadResult u = ReadTmx(
      "<?xml version=\"1.0\"?>\n<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">\n<tmx version=\"1.4\"><header/>"
      "<body>" +
      Tu("&nbsp;", "ب") + "</body></tmx>");
  EXPECT_TRUE(absl::IsInvalidArgument(u.status));
  EXPECT_THAT(u.status.message(), HasSubstr("undefined entity 'nbsp'"));
  EXPECT_TRUE(u.units.empty());
}

long PeakRssKb() {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

TEST(TmxReaderBadInputTest, HundredMegabyteSegmentIsRejectedInBoundedMemory) {
  CollectingSink sink;
  TmxReader reader(ReaderOptions(), &sink);
  const long rss_before = PeakRssKb();
  uint64_t fed = 0;
  auto feed = [&](std::string_view chunk) {
    fed += chunk.size();
    return reader.Feed(chunk);
  };
  const std::string head = Tmx("");
  ASSERT_TRUE(feed(std::string_view(head).substr(0, head.find("</body>"))).ok());
  ASSERT_TRUE(feed("<tu tuid=\"huge\"><tuv xml:lang=\"en\"><seg>").ok());
  std::string block(64 * 1024, 'a');
  for (size_t i = 0; i < block.size(); i += 100) block[i] = ' ';
  for (int i = 0; i < 1600; ++i) {  // 1600 * 64 KiB = 100 MiB, streamed
    ASSERT_TRUE(feed(block).ok());
  }
  ASSERT_TRUE(feed("</seg></tuv><tuv xml:lang=\"ar\"><seg>ب</seg></tuv></tu>\n").ok());
  ASSERT_TRUE(feed(Tu("after", "بعد") + "</body></tmx>").ok());
  ASSERT_TRUE(reader.Finish().ok());
  const long grown_mb = (PeakRssKb() - rss_before) / 1024;
  EXPECT_LT(grown_mb, 40) << "peak RSS grew by " << grown_mb << " MB";
  ASSERT_EQ(sink.units.size(), 1u);
  EXPECT_EQ(sink.units[0].source.text, "after");
  ASSERT_EQ(sink.problems.size(), 1u);
  EXPECT_EQ(sink.problems[0].unit_id, "huge");
  EXPECT_EQ(sink.problems[0].severity, Problem::Severity::kError);
  EXPECT_THAT(sink.problems[0].reason, HasSubstr("longer than 4194304 bytes (max_segment_bytes)"));
  EXPECT_EQ(reader.stats().units_failed, 1u);
  EXPECT_EQ(reader.stats().bytes, fed);
}

TEST(TmxReaderBadInputTest, HundredMegabyteAttributeIsAFatalErrorInBoundedMemory) {
  CollectingSink sink;
  TmxReader reader(ReaderOptions(), &sink);
  const long rss_before = PeakRssKb();
  ASSERT_TRUE(reader.Feed("<tmx version=\"1.4\"><body>" + Tu("a", "ب") + "<tu tuid=\"").ok());
  std::string block(64 * 1024, 'z');
  absl::Status s;
  int fed = 0;
  for (; fed < 1600 && s.ok(); ++fed) s = reader.Feed(block);
  EXPECT_TRUE(absl::IsInvalidArgument(s));
  EXPECT_THAT(s.message(), HasSubstr("max_token_bytes"));
  EXPECT_LT(fed, 100);  // stopped soon after the limit
  EXPECT_LT((PeakRssKb() - rss_before) / 1024, 40);
  EXPECT_EQ(sink.units.size(), 1u);
}

TEST(TmxReaderBadInputTest, OversizedCommentIsAFatalError) {
  ReaderOptions options;
  options.max_token_bytes = 1000;
  std::string doc = Tmx(Tu("a", "ب") + "<!--" + std::string(5000, 'c') + "-->" + Tu("b", "ب"));
  ReadResult r = ReadTmx(doc, 100, options);
  EXPECT_THAT(r.status.message(), HasSubstr("longer than 1000 bytes (max_token_bytes)"));
  EXPECT_EQ(r.units.size(), 1u);
  // Text is streamed: a long text node is not one token.
  options.max_segment_bytes = 100000;
  ReadResult ok = ReadTmx(Tmx(Tu(std::string(50000, 't'), "ب")), 100, options);
  EXPECT_TRUE(ok.status.ok()) << ok.status;
  EXPECT_EQ(ok.units.size(), 1u);
}

TEST(TmxReaderBadInputTest, NestingBombIsAFatalError) {
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "<hi>";
  ReadResult r = ReadTmx(Tmx(Tu("a", "ب") + "<tu><tuv xml:lang=\"en\"><seg>" + deep));
  EXPECT_THAT(r.status.message(), HasSubstr("nested more than 1000 levels deep"));
  EXPECT_EQ(r.units.size(), 1u);
}

TEST(TmxReaderBadInputTest, ManySmallElementsCountTowardsTheLimits) {
  ReaderOptions options;
  options.max_unit_bytes = 64 * 1024;
  options.max_segment_bytes = 64 * 1024;
  std::string props, codes;
  for (int i = 0; i < 10000; ++i) props += "<prop type=\"x\"/>";
  for (int i = 0; i < 10000; ++i) codes += "<ph/>";
  ReadResult r = ReadTmx(Tmx("<tu>" + props +
                             "<tuv xml:lang=\"en\"><seg>a</seg></tuv><tuv "
                             "xml:lang=\"ar\"><seg>ب</seg></tuv></tu>\n" +
                             Tu(codes, "ب") + Tu("ok", "ب")),
                         4096, options);
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.units.size(), 1u);
  ASSERT_EQ(r.problems.size(), 2u);
  EXPECT_THAT(r.problems[0].reason, HasSubstr("max_unit_bytes"));
  EXPECT_THAT(r.problems[1].reason, HasSubstr("max_segment_bytes"));
}

TEST(TmxReaderBadInputTest, ConfigurableSegmentLimit) {
  ReaderOptions options;
  options.max_segment_bytes = 10;
  ReadResult r = ReadTmx(
      Tmx(Tu("0123456789", "ب") + Tu("0123456789X", "ب") + Tu("<ph>0123456789X</ph>", "ب")), 3, options);
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.units.size(), 1u);
  ASSERT_EQ(r.problems.size(), 2u);
  EXPECT_THAT(r.problems[0].reason, HasSubstr("longer than 10 bytes"));
}

TEST(TmxReaderBadInputTest, EmptyFile) {
  ReadResult r = ReadTmx("");
  EXPECT_TRUE(absl::IsInvalidArgument(r.status));
  EXPECT_THAT(r.status.message(), HasSubstr("the file is empty"));
  ReadResult ws = ReadTmx("  \n\n ");
  EXPECT_THAT(ws.status.message(), HasSubstr("no XML element"));
  ReadResult decl = ReadTmx("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  EXPECT_THAT(decl.status.message(), HasSubstr("no XML element"));
}

TEST(TmxReaderBadInputTest, NotXmlAtAll) {
  ReadResult text = ReadTmx("This is a plain text file, not a TMX.\n");
  EXPECT_TRUE(absl::IsInvalidArgument(text.status));
  EXPECT_THAT(text.status.message(), HasSubstr("not an XML file"));
  ReadResult pdf = ReadTmx("%PDF-1.4\n\xE2\xE3\xCF\xD3\n1 0 obj\n");
  EXPECT_THAT(pdf.status.message(), HasSubstr("not an XML file"));
  ReadResult html = ReadTmx("<html><body><p>hi</p></body></html>");
  EXPECT_THAT(html.status.message(), HasSubstr("root element is <html>, expected <tmx>"));
  ReadResult json = ReadTmx("{\"units\": []}");
  EXPECT_THAT(json.status.message(), HasSubstr("not an XML file"));
}

TEST(TmxReaderBadInputTest, ErrorsAreSticky) {
  CollectingSink sink;
  TmxReader reader(ReaderOptions(), &sink);
  absl::Status s = reader.Feed("not xml");
  absl::Status f = reader.Finish();
  EXPECT_FALSE(f.ok());
  EXPECT_EQ(f.message(), reader.Finish().message());
}

}  // namespace
}  // namespace qantara::formats
