// SRX: documents parsed (maps, cascade, foreign elements, SRX 1.0), errors with
// line numbers, rule sets compiled and applied; the built-in SRX.
#include "service/text/srx.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/text/segmenter.h"
#include "service/text/srx_rules.h"

namespace qantara::text {
namespace {

using ::testing::HasSubstr;

constexpr char kOkapiStyle[] = R"(<?xml version="1.0" encoding="UTF-8"?>
<srx xmlns="http://www.lisa.org/srx20" xmlns:okpsrx="http://okapi.sf.net/srx-extensions"
     version="2.0">
  <header segmentsubflows="yes" cascade="no">
    <formathandle type="start" include="no"/>
    <okpsrx:options oneSegmentIncludesAll="no" trimLeadingWhitespaces="no"/>
  </header>
  <body>
    <languagerules>
      <languagerule languagerulename="English">
        <rule break="no">
          <beforebreak>\bMr\.</beforebreak>
          <afterbreak>\s</afterbreak>
        </rule>
        <rule>
          <beforebreak>[.?!]+</beforebreak>
          <afterbreak>\s+\p{Lu}</afterbreak>
        </rule>
      </languagerule>
      <languagerule languagerulename="Default">
        <rule break="yes"><beforebreak>;</beforebreak><afterbreak/></rule>
      </languagerule>
    </languagerules>
    <maprules>
      <languagemap languagepattern="EN.*" languagerulename="English"/>
      <languagemap languagepattern=".*" languagerulename="Default"/>
    </maprules>
  </body>
</srx>
)";

TEST(ParseSrx, ReadsRulesMapsAndCascadeSkippingForeignElements) {
  absl::StatusOr<SrxDocument> doc = ParseSrx(kOkapiStyle);
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_FALSE(doc->cascade);
  ASSERT_EQ(doc->language_rules.size(), 2u);
  const SrxLanguageRule* en = doc->FindLanguageRule("English");
  ASSERT_NE(en, nullptr);
  ASSERT_EQ(en->rules.size(), 2u);
  EXPECT_FALSE(en->rules[0].is_break);
  EXPECT_EQ(en->rules[0].before_break, "\\bMr\\.");
  EXPECT_EQ(en->rules[0].after_break, "\\s");
  EXPECT_EQ(en->rules[0].line, 11);
  EXPECT_TRUE(en->rules[1].is_break);  // break="yes" is the default
  EXPECT_EQ(doc->FindLanguageRule("Default")->rules[0].after_break, "");
  ASSERT_EQ(doc->maps.size(), 2u);
  EXPECT_EQ(doc->maps[0].language_pattern, "EN.*");
  EXPECT_EQ(doc->maps[1].language_rule_name, "Default");
}

TEST(ParseSrx, AcceptsSrxWithoutNamespaceAndSrx10MapRule) {
  absl::StatusOr<SrxDocument> doc = ParseSrx(
      "<srx version=\"1.0\"><header cascade=\"yes\"/><body><languagerules>"
      "<languagerule languagerulename=\"a\"><rule break=\"no\"><beforebreak>x</beforebreak>"
      "</rule></languagerule></languagerules><maprules><maprule maprulename=\"m\">"
      "<languagemap languagepattern=\".*\" languagerulename=\"a\"/></maprule></maprules>"
      "</body></srx>");
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_TRUE(doc->cascade);
  EXPECT_EQ(doc->maps.size(), 1u);
}

// Every invalid document names its line and what is wrong.
TEST(ParseSrx, InvalidDocumentsGiveLineNumbers) {
  struct Case {
    const char* xml;
    const char* expect;
  } cases[] = {
      {"", "SRX line 1: malformed XML"},
      {"<srx>\n<body>\n</srx>", "SRX line 3: malformed XML: mismatched tag"},
      {"<html/>", "not an SRX <srx>"},
      {"<srx>\n<body>\n<rule/></body></srx>", "SRX line 3: unexpected element <rule> inside <body>"},
      {"<srx><body><languagerules>\n<languagerule/></languagerules></body></srx>",
       "SRX line 2: <languagerule> needs a languagerulename"},
      {"<srx><body><languagerules><languagerule languagerulename=\"x\">\n\n<rule break=\"sometimes\"/>"
       "</languagerule></languagerules></body></srx>",
       "SRX line 3: rule break=\"sometimes\""},
      {"<srx><body><languagerules><languagerule languagerulename=\"x\"/>\n<languagerule "
       "languagerulename=\"x\"/></languagerules></body></srx>",
       "SRX line 2: duplicate languagerulename \"x\""},
      {"<srx><body><maprules>\n<languagemap languagepattern=\".*\" languagerulename=\"nope\"/>"
       "</maprules></body></srx>",
       "SRX line 2: <languagemap> names languagerulename \"nope\""},
      {"<srx><body><frobnicate/></body></srx>", "unknown SRX element <frobnicate>"},
      {"<srx><header cascade=\"perhaps\"/></srx>", "cascade=\"perhaps\""},
  };
  for (const Case& c : cases) {
    absl::StatusOr<SrxDocument> doc = ParseSrx(c.xml);
    ASSERT_FALSE(doc.ok()) << c.xml;
    EXPECT_EQ(doc.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(doc.status().message()), HasSubstr(c.expect)) << c.xml;
  }
}

TEST(SrxRuleSet, CompileFollowsMapsCascadeAndCase) {
  absl::StatusOr<SrxDocument> doc = ParseSrx(kOkapiStyle);
  ASSERT_TRUE(doc.ok());
  // cascade="no": "en" takes the English rules only (pattern matched
  // case-insensitively); "ar" falls through to Default.
  absl::StatusOr<SrxRuleSet> en = SrxRuleSet::Compile(*doc, "en");
  ASSERT_TRUE(en.ok()) << en.status();
  EXPECT_EQ(en->size(), 2u);
  absl::StatusOr<SrxRuleSet> ar = SrxRuleSet::Compile(*doc, "ar");
  ASSERT_TRUE(ar.ok());
  EXPECT_EQ(ar->size(), 1u);
  doc->cascade = true;
  EXPECT_EQ(SrxRuleSet::Compile(*doc, "en")->size(), 3u);
}

TEST(SrxRuleSet, BadRegularExpressionNamesLineAndHalf) {
  absl::StatusOr<SrxDocument> doc = ParseSrx(
      "<srx><body><languagerules><languagerule languagerulename=\"a\">\n"
      "<rule><beforebreak>ok</beforebreak>\n<afterbreak>[unclosed</afterbreak></rule>"
      "</languagerule></languagerules><maprules>"
      "<languagemap languagepattern=\".*\" languagerulename=\"a\"/></maprules></body></srx>");
  ASSERT_TRUE(doc.ok()) << doc.status();
  absl::StatusOr<SrxRuleSet> rules = SrxRuleSet::Compile(*doc, "en");
  ASSERT_FALSE(rules.ok());
  EXPECT_EQ(rules.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(rules.status().message()),
              HasSubstr("SRX line 2: invalid regular expression in afterbreak \"[unclosed\""));
}

TEST(SrxRuleSet, FirstMatchingRuleWinsAndWhitespaceRunIsOnePosition) {
  absl::StatusOr<SrxDocument> doc = ParseSrx(kOkapiStyle);
  ASSERT_TRUE(doc.ok());
  absl::StatusOr<SrxRuleSet> rules = SrxRuleSet::Compile(*doc, "en");
  ASSERT_TRUE(rules.ok());
  const icu::UnicodeString text(u"Hi Mr. Li.  Go!");
  std::vector<BoundaryDecision> d(static_cast<size_t>(text.length()) + 1);
  ASSERT_TRUE(rules->Apply(text, &d).ok());
  EXPECT_EQ(d[6], BoundaryDecision::kNoBreak);     // after "Mr." (no-break rule comes first)
  EXPECT_EQ(d[10], BoundaryDecision::kBreak);      // after "Li."
  EXPECT_EQ(d[11], BoundaryDecision::kUndecided);  // inside the run: reduced to 10
  EXPECT_EQ(d[12], BoundaryDecision::kUndecided);
}

TEST(BuiltinSrx, ParsesAndCompilesForBothLanguages) {
  absl::StatusOr<SrxDocument> doc = ParseSrx(BuiltinSrx());
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_TRUE(doc->cascade);
  for (const char* lang : {"ar", "en"}) {
    absl::StatusOr<SrxRuleSet> rules = SrxRuleSet::Compile(*doc, lang);
    ASSERT_TRUE(rules.ok()) << lang << ": " << rules.status();
    EXPECT_GE(rules->size(), 5u) << lang;
  }
}

}  // namespace
}  // namespace qantara::text
