// TmxWriter: byte-exact round trip of the rich fixture, escaping, units XML
// cannot carry, header and empty body, block flushes and output errors, srclang.
#include "service/formats/tmx_writer.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/formats/tmx_date.h"
#include "service/formats/tmx_reader.h"
#include "tests/service/formats/test_util.h"

namespace qantara::formats {
namespace {

using ::qantara::formats::testing::CollectingSink;
using ::qantara::formats::testing::FixturePath;
using ::qantara::formats::testing::ReadFileToString;
using ::qantara::formats::testing::ReadResult;
using ::qantara::formats::testing::ReadTmx;
using ::testing::HasSubstr;
using text::Language;

std::string WriteAll(const std::vector<TranslationUnit>& units, TmxWriterOptions options = {}) {
  std::string out;
  TmxWriter writer(std::move(options), [&](std::string_view b) {
    out.append(b);
    return absl::OkStatus();
  });
  for (const TranslationUnit& u : units) {
    absl::Status s = writer.Write(u);
    EXPECT_TRUE(s.ok()) << s;
  }
  EXPECT_TRUE(writer.Finish().ok());
  return out;
}

void ExpectSameUnits(const std::vector<TranslationUnit>& a, const std::vector<TranslationUnit>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_TRUE(a[i].SameContent(b[i]))
        << "unit " << i << ": '" << a[i].source.markup << "' vs '" << b[i].source.markup << "'";
  }
}

TEST(TmxWriterTest, RoundTripOfTheRichFixtureIsByteExact) {
  CollectingSink sink;
  TmxReader reader(ReaderOptions(), &sink);
  ASSERT_TRUE(reader.Feed(ReadFileToString(FixturePath("rich.tmx"))).ok());
  ASSERT_TRUE(reader.Finish().ok());
  ASSERT_EQ(sink.units.size(), 6u);

  TmxWriterOptions options;
  options.header = reader.header();
  const std::string written = WriteAll(sink.units, options);

  CollectingSink again;
  TmxReader reader2(ReaderOptions(), &again);
  ASSERT_TRUE(reader2.Feed(written).ok());
  ASSERT_TRUE(reader2.Finish().ok()) << written;
  EXPECT_TRUE(again.problems.empty());
  ExpectSameUnits(sink.units, again.units);
  EXPECT_EQ(reader2.header(), reader.header());
  // Writing what was re-read gives the same bytes: the output is a fixpoint.
  EXPECT_EQ(WriteAll(again.units, options), written);
  // Inline codes restored verbatim.
  EXPECT_THAT(written, HasSubstr("<seg>Click <bpt i=\"1\" x=\"1\">&lt;b&gt;</bpt>Save<ept i=\"1\">"));
  EXPECT_THAT(written, HasSubstr("creationdate=\"20230115T101112Z\""));
  EXPECT_THAT(written, HasSubstr("<prop type=\"x-client\">ACME &amp; Sons</prop>"));
}

TEST(TmxWriterTest, EscapesTextAndAttributesSoTheyReadBackUnchanged) {
  TranslationUnit u;
  ASSERT_TRUE(
      MakePlainSegment(Language::kEnglish, "a < b & c > d ]]> \"q\" 'a'\r\nline\ttab  \n", &u.source).ok());
  ASSERT_TRUE(MakePlainSegment(Language::kArabic, " مرحبا &amp; ", &u.target).ok());
  u.target.lang_tag = "ar-EG";
  u.id = "id \"1\"\t<x>\n&";
  u.srclang = "en";
  u.creation_id = "user\r\nname";
  u.change_id = "'quoted'";
  u.creation_date = 0;
  u.change_date = 1700000000;
  u.last_usage_date = 253402300799;  // 9999-12-31T23:59:59Z
  u.usage_count = 12;
  u.props = {{"x-a\"b", "v\n1 & <2>"}, {"x-a\"b", ""}};
  u.notes = {"note\r\n", ""};
  u.source.notes = {"s"};
  u.target.props = {{"t", "ت"}};
  u.line = 99;

  const std::string out = WriteAll({u});
  ReadResult r = ReadTmx(out);
  ASSERT_TRUE(r.status.ok()) << r.status << "\n" << out;
  ASSERT_EQ(r.units.size(), 1u);
  EXPECT_TRUE(r.units[0].SameContent(u)) << out;
  EXPECT_EQ(r.units[0].source.text, u.source.text);
  EXPECT_THAT(out, HasSubstr("changedate=\"20231114T221320Z\""));
  EXPECT_THAT(out, HasSubstr("lastusagedate=\"99991231T235959Z\""));
  EXPECT_THAT(out, HasSubstr("tuid=\"id &quot;1&quot;&#9;&lt;x&gt;&#10;&amp;\""));
}

TEST(TmxWriterTest, RejectsAUnitXmlCannotCarryAndWritesNothingOfIt) {
  TranslationUnit bad;
  bad.source.text = "bell \x07";
  bad.target.text = "ب";
  TranslationUnit bad_utf8;
  bad_utf8.source.text = "a";
  bad_utf8.target.text = "b";
  bad_utf8.notes = {"\xFF"};
  TranslationUnit placeholder;
  placeholder.source.text = "a \xEE\x80\x83";
  placeholder.target.text = "b";
  TranslationUnit empty;
  empty.target.text = "b";
  TranslationUnit good;
  ASSERT_TRUE(MakePlainSegment(Language::kEnglish, "good", &good.source).ok());
  ASSERT_TRUE(MakePlainSegment(Language::kArabic, "جيد", &good.target).ok());

  std::string out;
  TmxWriter writer({}, [&](std::string_view b) {
    out.append(b);
    return absl::OkStatus();
  });
  absl::Status s = writer.Write(bad);
  EXPECT_TRUE(absl::IsInvalidArgument(s));
  EXPECT_THAT(s.message(), HasSubstr("U+0007"));
  EXPECT_TRUE(absl::IsInvalidArgument(writer.Write(bad_utf8)));
  EXPECT_THAT(writer.Write(placeholder).message(), HasSubstr("placeholders"));
  EXPECT_THAT(writer.Write(empty).message(), HasSubstr("empty"));
  EXPECT_TRUE(writer.Write(good).ok());
  ASSERT_TRUE(writer.Finish().ok());
  EXPECT_EQ(writer.units_written(), 1u);
  EXPECT_EQ(writer.bytes_written(), out.size());
  ReadResult r = ReadTmx(out);
  ASSERT_TRUE(r.status.ok());
  ASSERT_EQ(r.units.size(), 1u);
  EXPECT_EQ(r.units[0].source.text, "good");
  EXPECT_FALSE(absl::IsInvalidArgument(MakePlainSegment(Language::kEnglish, "a", &good.source)));
  EXPECT_TRUE(absl::IsInvalidArgument(MakePlainSegment(Language::kEnglish, "\x01", &good.source)));
}

TEST(TmxWriterTest, WritesTheHeaderAndAnEmptyBody) {
  TmxWriterOptions options;
  options.header.srclang = "ar";
  options.header.creation_date = 86400;
  options.header.props = {{"x-memory", "legal"}};
  std::string out = WriteAll({}, options);
  EXPECT_THAT(out, HasSubstr("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">"));
  EXPECT_THAT(out, HasSubstr("creationtool=\"qantara\""));
  EXPECT_THAT(out, HasSubstr("srclang=\"ar\""));
  EXPECT_THAT(out, HasSubstr("creationdate=\"19700102T000000Z\""));
  EXPECT_THAT(out, HasSubstr("<prop type=\"x-memory\">legal</prop>"));
  CollectingSink sink;
  TmxReader reader(ReaderOptions(), &sink);
  ASSERT_TRUE(reader.Feed(out).ok());
  ASSERT_TRUE(reader.Finish().ok());
  EXPECT_EQ(reader.header(), options.header);
  EXPECT_TRUE(sink.units.empty());
}

TEST(TmxWriterTest, FlushesInBlocksAndStopsOnOutputError) {
  TranslationUnit u;
  ASSERT_TRUE(MakePlainSegment(Language::kEnglish, "A sentence of some length.", &u.source).ok());
  ASSERT_TRUE(MakePlainSegment(Language::kArabic, "جملة ذات طول ما.", &u.target).ok());
  std::vector<size_t> blocks;
  std::string out;
  TmxWriterOptions options;
  options.flush_bytes = 1000;
  TmxWriter writer(options, [&](std::string_view b) {
    blocks.push_back(b.size());
    out.append(b);
    return absl::OkStatus();
  });
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(writer.Write(u).ok());
  ASSERT_TRUE(writer.Finish().ok());
  ASSERT_GT(blocks.size(), 5u);
  for (size_t i = 0; i + 1 < blocks.size(); ++i) {
    EXPECT_GE(blocks[i], 1000u);
    EXPECT_LT(blocks[i], 1400u);
  }
  EXPECT_EQ(ReadTmx(out).units.size(), 100u);

  int calls = 0;
  TmxWriter failing(options, [&](std::string_view) {
    ++calls;
    return absl::UnavailableError("client went away");
  });
  absl::Status s;
  for (int i = 0; i < 100 && s.ok(); ++i) s = failing.Write(u);
  EXPECT_TRUE(absl::IsUnavailable(s));
  EXPECT_TRUE(absl::IsUnavailable(failing.Write(u)));
  EXPECT_TRUE(absl::IsUnavailable(failing.Finish()));
  EXPECT_EQ(calls, 1);
}

TEST(TmxWriterTest, SrclangOnTheUnitOnlyWhenItDiffersFromTheHeader) {
  TranslationUnit u;
  ASSERT_TRUE(MakePlainSegment(Language::kEnglish, "a", &u.source).ok());
  ASSERT_TRUE(MakePlainSegment(Language::kArabic, "ب", &u.target).ok());
  u.srclang = "en";
  TranslationUnit v = u;
  v.srclang = "ar";
  const std::string out = WriteAll({u, v});
  EXPECT_THAT(out, HasSubstr("<tu>"));
  EXPECT_THAT(out, HasSubstr("<tu srclang=\"ar\">"));
  ReadResult r = ReadTmx(out);
  ASSERT_EQ(r.units.size(), 2u);
  EXPECT_EQ(r.units[0].srclang, "en");
  EXPECT_EQ(r.units[1].srclang, "ar");
}

}  // namespace
}  // namespace qantara::formats
