// Language codes: parsed with region and in any case, empty and unknown
// rejected, round trips.
#include "service/text/language.h"

#include "gtest/gtest.h"

namespace qantara::text {
namespace {

TEST(ParseLanguage, AcceptsCodesWithRegionAndAnyCase) {
  EXPECT_EQ(*ParseLanguage("ar"), Language::kArabic);
  EXPECT_EQ(*ParseLanguage("AR-SA"), Language::kArabic);
  EXPECT_EQ(*ParseLanguage("ar_EG"), Language::kArabic);
  EXPECT_EQ(*ParseLanguage("en"), Language::kEnglish);
  EXPECT_EQ(*ParseLanguage("en-US"), Language::kEnglish);
  EXPECT_EQ(*ParseLanguage("eng"), Language::kEnglish);
}

TEST(ParseLanguage, RejectsEmptyAndUnknown) {
  EXPECT_EQ(ParseLanguage("").status().code(), absl::StatusCode::kInvalidArgument);
  absl::StatusOr<Language> fr = ParseLanguage("fr-FR");
  ASSERT_FALSE(fr.ok());
  EXPECT_NE(fr.status().message().find("fr-FR"), std::string_view::npos);
  EXPECT_FALSE(ParseLanguage("arabic").ok());
}

TEST(LanguageCode, RoundTrips) {
  EXPECT_EQ(LanguageCode(Language::kArabic), "ar");
  EXPECT_EQ(*ParseLanguage(LanguageCode(Language::kEnglish)), Language::kEnglish);
}

}  // namespace
}  // namespace qantara::text
