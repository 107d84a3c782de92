// XliffReader on XLIFF as CAT tools write it (fixtures written from each
// tool's documented structure): Trados SDLXLIFF and Okapi's segmented 1.2
// (one unit per <mrk mtype="seg">), memoQ MQXLIFF, Phrase MXLIFF, XLIFF 2.1;
// each tool's statuses taken or skipped, with and without xliff_only_final,
// inline codes kept, and the same result fed one byte at a time.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/formats/xliff_reader.h"
#include "tests/service/formats/test_util.h"

namespace qantara::formats {
namespace {

using ::qantara::formats::testing::FixturePath;
using ::qantara::formats::testing::ReadAll;
using ::qantara::formats::testing::ReadFileToString;
using ::qantara::formats::testing::ReadResult;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using text::Language;
using S = Problem::Severity;

using ::qantara::formats::testing::kClose;
using ::qantara::formats::testing::kOpen;
using ::qantara::formats::testing::kStand;

ReadResult Read(std::string_view data, bool only_final = false, size_t chunk = 4096) {
  return ::qantara::formats::testing::ReadXliff(data, only_final, chunk);
}

std::vector<std::string> Ids(const ReadResult& r) {
  std::vector<std::string> ids;
  for (const TranslationUnit& u : r.units) ids.push_back(u.id);
  return ids;
}

// "severity id: reason" of every problem, in order.
std::vector<std::string> Problems(const ReadResult& r) {
  std::vector<std::string> out;
  for (const Problem& p : r.problems) {
    out.push_back(std::string(SeverityName(p.severity)) + " " + p.unit_id + ": " + p.reason);
  }
  return out;
}

// Fed one byte at a time, the file gives the same units and problems.
void ExpectSameByteByByte(const std::string& doc, const ReadResult& whole) {
  ReadResult bytes = Read(doc, false, 1);
  ASSERT_TRUE(bytes.status.ok()) << bytes.status;
  ASSERT_EQ(bytes.units.size(), whole.units.size());
  for (size_t i = 0; i < whole.units.size(); ++i) {
    EXPECT_TRUE(bytes.units[i].SameContent(whole.units[i])) << whole.units[i].id;
    EXPECT_EQ(bytes.units[i].line, whole.units[i].line) << whole.units[i].id;
  }
  EXPECT_EQ(Problems(bytes), Problems(whole));
}

TEST(XliffFlavoursTest, TradosSdlxliffOneUnitPerSegment) {
  const std::string doc = ReadFileToString(FixturePath("trados.sdlxliff"));
  ReadResult r = Read(doc);
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_THAT(Ids(r), ElementsAre("tu1/1", "tu1/2", "tu2/3", "tu4/8", "tu5/10"));
  EXPECT_EQ(r.stats.units_seen, 11u);
  EXPECT_EQ(r.stats.units_read, 5u);
  EXPECT_EQ(r.stats.units_skipped, 5u);
  EXPECT_EQ(r.stats.units_failed, 1u);

  EXPECT_EQ(r.units[0].source.text, "Save the file.");
  EXPECT_EQ(r.units[0].source.lang_tag, "en-US");
  EXPECT_EQ(r.units[0].target.text, "احفظ الملف.");
  EXPECT_EQ(r.units[0].target.language, Language::kArabic);
  EXPECT_EQ(r.units[0].line, 23);
  // The <g> inside the segment is kept, numbered from 1 in each segment.
  EXPECT_EQ(r.units[1].source.text, "Then close " + kOpen + "the window" + kClose + ".");
  EXPECT_EQ(
      r.units[1].source.markup,
      "Then close <bpt i=\"1\" x=\"1\">&lt;g id=\"1\"&gt;</bpt>the window<ept i=\"1\">&lt;/g&gt;</ept>.");
  EXPECT_EQ(r.units[1].target.text, "ثم أغلق " + kOpen + "النافذة" + kClose + ".");
  EXPECT_EQ(r.units[2].source.text, "Press Enter" + kStand + "to continue.");
  EXPECT_EQ(r.units[2].target.markup, "اضغط Enter<ph x=\"2\">&lt;x id=\"2\"/&gt;</ph>للمتابعة.");
  // Track changes: the deleted text is left out, comments are transparent.
  EXPECT_EQ(r.units[3].target.text, "الإصدار الجديد.");
  // A <g> around the whole segment lies outside it.
  EXPECT_EQ(r.units[4].source.text, "Introduction");
  EXPECT_EQ(r.units[4].target.markup, "مقدمة");

  EXPECT_THAT(Problems(r),
              ElementsAre("skipped 0a8f3c11-1c2d-4e5f-8a9b-000000000000: translate=\"no\"",
                          "skipped tu2/4: not confirmed (Trados conf=\"Draft\")",
                          "skipped tu2/5: rejected (Trados conf=\"RejectedTranslation\")",
                          "skipped tu3/6: not translated (no target)",
                          "skipped tu3/7: not translated (Trados: no conf)",
                          "error tu4/9: target: unbalanced inline codes: <ex rid=\"r9\"> without <bx>"));
  ExpectSameByteByByte(doc, r);
}

TEST(XliffFlavoursTest, TradosOnlyApprovedWhenOnlyFinal) {
  ReadResult r = Read(ReadFileToString(FixturePath("trados.sdlxliff")), /*only_final=*/true);
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_THAT(Ids(r), ElementsAre("tu1/1", "tu2/3"));  // ApprovedTranslation, ApprovedSignOff (locked)
  EXPECT_THAT(Problems(r), ::testing::Contains("skipped tu1/2: not approved (Trados conf=\"Translated\")"));
}

TEST(XliffFlavoursTest, OkapiSegmentedXliff12) {
  const std::string doc = ReadFileToString(FixturePath("okapi_segmented.xlf"));
  ReadResult r = Read(doc);
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_THAT(Ids(r), ElementsAre("1/0", "1/1", "2/0"));
  EXPECT_EQ(r.units[0].source.text, "Welcome.");
  EXPECT_EQ(r.units[0].target.text, "أهلا بكم.");
  EXPECT_EQ(r.units[0].target.lang_tag, "ar");
  EXPECT_EQ(r.units[1].source.text, "Read " + kOpen + "this" + kClose + " first.");
  EXPECT_EQ(r.units[1].target.text, "اقرأ " + kOpen + "هذا" + kClose + " أولا.");
  EXPECT_EQ(r.units[2].target.text, "واحد.");
  EXPECT_THAT(Problems(r), ElementsAre("skipped 2/1: not translated (no target)",
                                       "skipped 3/0: not translated (no target)",
                                       "skipped 4: not translated (state=\"needs-translation\")"));
  EXPECT_EQ(r.stats.units_seen, 6u);
  ExpectSameByteByByte(doc, r);

  ReadResult final = Read(doc, /*only_final=*/true);
  ASSERT_TRUE(final.status.ok());
  EXPECT_THAT(Ids(final), ElementsAre("2/0"));  // its target state="final"
  EXPECT_THAT(Problems(final),
              ::testing::Contains("skipped 1/0: not confirmed (state=\"translated\", not approved)"));
}

TEST(XliffFlavoursTest, MemoqMqxliffStatuses) {
  const std::string doc = ReadFileToString(FixturePath("memoq.mqxliff"));
  ReadResult r = Read(doc);
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_THAT(Ids(r), ElementsAre("1", "2", "3"));
  EXPECT_EQ(r.units[0].source.lang_tag, "eng");
  EXPECT_EQ(r.units[0].source.text, "Open the " + kOpen + "Settings" + kClose + " menu.");
  EXPECT_EQ(r.units[0].target.text, "افتح قائمة " + kOpen + "الإعدادات" + kClose + ".");
  EXPECT_EQ(r.units[0].target.codes[0].native, "{}");
  EXPECT_EQ(r.units[2].source.text, "Insert a line" + kStand + "here.");
  // memoQ's own elements (mq:insertedmatch, mq:filter) are left out silently.
  EXPECT_THAT(Problems(r), ElementsAre("skipped 4: not confirmed (memoQ mq:status=\"PartiallyEdited\")",
                                       "skipped 5: not translated (no target)",
                                       "skipped 6: not confirmed (memoQ mq:status=\"MachineTranslated\")",
                                       "skipped 7: rejected (memoQ mq:status=\"Rejected\")"));
  ExpectSameByteByByte(doc, r);

  ReadResult final = Read(doc, /*only_final=*/true);
  ASSERT_TRUE(final.status.ok());
  EXPECT_THAT(Ids(final), ElementsAre("2", "3"));  // Reviewer1Confirmed, Proofread
  EXPECT_EQ(final.problems[0].reason, "not reviewed (memoQ mq:status=\"ManuallyConfirmed\")");
}

TEST(XliffFlavoursTest, PhraseMxliffConfirmedOnly) {
  const std::string doc = ReadFileToString(FixturePath("phrase.mxliff"));
  ReadResult r = Read(doc);
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_THAT(Ids(r), ElementsAre("Xa9f:0", "Xa9f:1"));
  EXPECT_EQ(r.units[0].target.text, "كيف أعيد تعيين كلمة المرور؟");
  EXPECT_EQ(r.units[1].source.text, "Click {1>Save<1}.");  // Phrase's tags are its text
  EXPECT_THAT(Problems(r), ElementsAre("skipped Xa9f:2: not confirmed (Phrase m:confirmed=\"0\")",
                                       "skipped Xa9f:3: not confirmed (Phrase m:confirmed=\"0\")",
                                       "skipped Xa9f:4: not translated (no target)"));
  ExpectSameByteByByte(doc, r);
  // A confirmation is final: Phrase confirms once per workflow step.
  EXPECT_THAT(Ids(Read(doc, /*only_final=*/true)), ElementsAre("Xa9f:0", "Xa9f:1"));
}

// Cut anywhere before its end, a segmented file fails as truncated (or not
// well-formed), whatever segment, mrk or sdl:seg-defs it was in.
TEST(XliffFlavoursTest, SegmentedFileCutAnywhereFails) {
  const std::string doc = ReadFileToString(FixturePath("trados.sdlxliff"));
  const size_t end = doc.rfind("</xliff>") + std::string_view("</xliff>").size();
  for (size_t n = 0; n < end; ++n) {
    ReadResult r = Read(doc.substr(0, n), false, 997);
    ASSERT_FALSE(r.status.ok()) << n;
    EXPECT_LE(r.units.size(), 5u);
  }
}

// XLIFF 2.1 as tools write it: translate="no" on a group, <ignorable>,
// <notes>, originalData codes, metadata of another namespace.
TEST(XliffFlavoursTest, Xliff21) {
  const std::string doc = ReadFileToString(FixturePath("sample21.xlf"));
  ReadResult r = Read(doc);
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_THAT(Ids(r), ElementsAre("u1/1", "u1/2", "u3"));
  EXPECT_EQ(r.units[0].source.text, "Press " + kOpen + "OK" + kClose + " for " + kStand + ".");
  EXPECT_EQ(r.units[0].target.codes[0].native, "<b>");
  EXPECT_EQ(r.units[0].target.codes[2].native, "%s");
  EXPECT_EQ(r.units[0].notes, std::vector<std::string>{"button"});
  EXPECT_EQ(r.units[1].target.text, "تم.");
  EXPECT_THAT(Problems(r),
              ElementsAre("skipped u2: translate=\"no\"", "skipped u4: not translated (state=\"initial\")"));
  ExpectSameByteByByte(doc, r);
  EXPECT_THAT(Ids(Read(doc, true)), ElementsAre("u1/2"));
}

}  // namespace
}  // namespace qantara::formats
