// Segment markup: text and inline codes rebuilt from stored markup, markup
// canonicalised, bad markup rejected.
#include "service/formats/segment_markup.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/service/formats/test_util.h"

namespace qantara::formats {
namespace {

using ::qantara::formats::testing::FixturePath;
using ::qantara::formats::testing::ReadFileToString;
using ::qantara::formats::testing::ReadResult;
using ::qantara::formats::testing::ReadTmx;
using ::testing::HasSubstr;

TEST(SegmentMarkupTest, RebuildsTextAndCodesFromStoredMarkup) {
  ReadResult r = ReadTmx(ReadFileToString(FixturePath("rich.tmx")));
  ASSERT_TRUE(r.status.ok());
  ASSERT_EQ(r.units.size(), 6u);
  for (const TranslationUnit& u : r.units) {
    for (const Segment* seg : {&u.source, &u.target}) {
      Segment rebuilt;
      ASSERT_TRUE(ParseSegmentMarkup(seg->markup, &rebuilt).ok()) << seg->markup;
      EXPECT_EQ(rebuilt.markup, seg->markup);
      EXPECT_EQ(rebuilt.text, seg->text);
      EXPECT_EQ(rebuilt.codes, seg->codes);
    }
  }
}

TEST(SegmentMarkupTest, CanonicalisesAndRejectsBadMarkup) {
  Segment s;
  ASSERT_TRUE(ParseSegmentMarkup("a &apos;b&apos; &#x41; <ph></ph>", &s).ok());
  EXPECT_EQ(s.markup, "a 'b' A <ph/>");
  EXPECT_EQ(s.text, "a 'b' A " + std::string(kStandalonePlaceholderUtf8));
  ASSERT_TRUE(ParseSegmentMarkup("", &s).ok());
  EXPECT_EQ(s.text, "");
  EXPECT_THAT(ParseSegmentMarkup("a <b>x</b>", &s).message(), HasSubstr("unexpected element <b>"));
  EXPECT_THAT(ParseSegmentMarkup("<bpt i=\"1\">x</bpt>", &s).message(), HasSubstr("unbalanced"));
  EXPECT_THAT(ParseSegmentMarkup("a < b", &s).message(), HasSubstr("segment markup: line 1"));
  EXPECT_THAT(ParseSegmentMarkup("&nbsp;", &s).message(), HasSubstr("undefined entity"));
  EXPECT_FALSE(ParseSegmentMarkup("</seg><seg>", &s).ok());
}

}  // namespace
}  // namespace qantara::formats
