// The text of HTML documents (libxml2's HTML parser) for import-docs.
#include "clients/cli/html_text.h"

#include "gtest/gtest.h"

namespace qantara::cli {
namespace {

TEST(HtmlToTextTest, BlockElementsAreParagraphs) {
  absl::StatusOr<std::string> t = HtmlToText(
      "<!DOCTYPE html><html><head><title>Site | News</title><style>p{}</style>"
      "<script>var x = '<p>no</p>';</script></head><body>"
      "<h1>Heavy  rain\n hits <b>Tampa</b></h1>"
      "<p>Streets stayed <i>closed</i> for hours.<br>Residents said so.</p>"
      "<div><ul><li>One</li><li>Two &amp; three</li></ul></div>"
      "<!-- a comment --><p>   </p><table><tr><td>cell</td></tr></table>"
      "</body></html>");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(*t,
            "Heavy rain hits Tampa\n\nStreets stayed closed for hours.\n\nResidents said so."
            "\n\nOne\n\nTwo & three\n\ncell");
}

TEST(HtmlToTextTest, ArabicUtf8WithoutCharsetAndWithOne) {
  const std::string body = "<p>ضربت أمطار غزيرة مدينة تامبا.</p><p>وبقيت الشوارع&nbsp;مغلقة.</p>";
  absl::StatusOr<std::string> plain = HtmlToText("<html><body>" + body + "</body></html>");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(*plain, "ضربت أمطار غزيرة مدينة تامبا.\n\nوبقيت الشوارع مغلقة.");
  absl::StatusOr<std::string> declared =
      HtmlToText("<html><head><meta charset=\"utf-8\"></head><body dir=\"rtl\">" + body + "</body></html>");
  ASSERT_TRUE(declared.ok());
  EXPECT_EQ(*declared, *plain);
  // A fragment without html/body, and a byte order mark.
  absl::StatusOr<std::string> fragment = HtmlToText("\xEF\xBB\xBF" + body);
  ASSERT_TRUE(fragment.ok());
  EXPECT_EQ(*fragment, *plain);
}

TEST(HtmlToTextTest, LegacyArabicCharsetIsConverted) {
  // "مرحبا" in windows-1256.
  absl::StatusOr<std::string> t = HtmlToText(
      "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1256\">"
      "</head><body><p>\xE3\xD1\xCD\xC8\xC7</p></body></html>");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, "مرحبا");
}

TEST(HtmlToTextTest, EmptyAndBrokenInput) {
  EXPECT_EQ(*HtmlToText(""), "");
  absl::StatusOr<std::string> t = HtmlToText("<p>unclosed <b>bold<p>next");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, "unclosed bold\n\nnext");
}

}  // namespace
}  // namespace qantara::cli
