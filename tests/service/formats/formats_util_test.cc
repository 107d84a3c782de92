// Format helpers: TMX dates, XML escaping and allowed characters, and file
// format detection by name then content.
#include <string>

#include "gtest/gtest.h"
#include "service/formats/tmx_date.h"
#include "service/formats/unit_reader.h"
#include "service/formats/xml_escape.h"

namespace qantara::formats {
namespace {

TEST(TmxDateTest, ParsesAndFormatsBasicIsoDates) {
  EXPECT_EQ(*ParseTmxDate("19700101T000000Z"), 0);
  EXPECT_EQ(*ParseTmxDate("20240229T120000Z"), 1709208000);
  EXPECT_EQ(*ParseTmxDate("20240229T120000"), 1709208000);  // no Z: still UTC
  EXPECT_EQ(*ParseTmxDate("19691231T235959Z"), -1);
  EXPECT_EQ(FormatTmxDate(1709208000), "20240229T120000Z");
  EXPECT_EQ(FormatTmxDate(-1), "19691231T235959Z");
  for (int64_t t : {int64_t{0}, int64_t{951782400}, int64_t{4102444800}, int64_t{-86401}}) {
    EXPECT_EQ(*ParseTmxDate(FormatTmxDate(t)), t) << t;
  }
  for (const char* bad :
       {"", "2024-02-29T12:00:00Z", "20230229T120000Z", "20241301T000000Z", "20240101T240000Z",
        "20240101 000000Z", "20240101T000000X", "2024010T000000Z0", "20240132T000000Z"}) {
    EXPECT_FALSE(ParseTmxDate(bad).ok()) << bad;
  }
  EXPECT_EQ(*ParseTmxDate("21000228T000000Z") + 86400, *ParseTmxDate("21000301T000000Z"));
}

TEST(XmlEscapeTest, EscapesTextAndAttributes) {
  std::string t;
  AppendEscapedText("a<b>&c\"'\r\n\t", &t);
  EXPECT_EQ(t, "a&lt;b&gt;&amp;c\"'&#13;\n\t");
  std::string a;
  AppendEscapedAttribute("a<b>&c\"'\r\n\t", &a);
  EXPECT_EQ(a, "a&lt;b&gt;&amp;c&quot;'&#13;&#10;&#9;");
}

TEST(XmlEscapeTest, ChecksCharactersXmlAllows) {
  EXPECT_TRUE(CheckXmlText("plain \t\r\n عربي 😀 \xEE\x80\x81").ok());
  EXPECT_FALSE(CheckXmlText(std::string("a\0b", 3)).ok());
  EXPECT_FALSE(CheckXmlText("\x1B[0m").ok());
  EXPECT_FALSE(CheckXmlText("\xEF\xBF\xBE").ok());  // U+FFFE
  EXPECT_FALSE(CheckXmlText("\xC3").ok());
  EXPECT_FALSE(CheckXmlText("\xE0\x80\xAF").ok());      // overlong
  EXPECT_FALSE(CheckXmlText("\xED\xB0\x80").ok());      // surrogate
  EXPECT_FALSE(CheckXmlText("\xF4\x90\x80\x80").ok());  // above U+10FFFF
}

TEST(DetectFileFormatTest, ByNameThenByContent) {
  EXPECT_EQ(*DetectFileFormat("memory.TMX", ""), FileFormat::kTmx);
  EXPECT_EQ(*DetectFileFormat("a/b.xlf", ""), FileFormat::kXliff);
  EXPECT_EQ(*DetectFileFormat("doc.sdlxliff", ""), FileFormat::kXliff);
  EXPECT_EQ(*DetectFileFormat("doc.mqxliff", ""), FileFormat::kXliff);
  EXPECT_EQ(*DetectFileFormat("job.MXLIFF", ""), FileFormat::kXliff);
  EXPECT_EQ(*DetectFileFormat("upload", "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\">"), FileFormat::kTmx);
  EXPECT_EQ(*DetectFileFormat("", "<xliff version=\"1.2\">"), FileFormat::kXliff);
  EXPECT_EQ(*DetectFileFormat("", std::string("\xFF\xFE<\0t\0m\0x\0", 10)), FileFormat::kTmx);
  EXPECT_FALSE(DetectFileFormat("notes.txt", "hello").ok());
}

}  // namespace
}  // namespace qantara::formats
