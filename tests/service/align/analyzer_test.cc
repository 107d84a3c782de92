// The align analyzer's closed stopword lists of Arabic and English.
#include "service/align/analyzer.h"

#include "gtest/gtest.h"

namespace qantara::align {
namespace {

TEST(StopwordTest, ClosedLists) {
  EXPECT_TRUE(IsStopword(text::Language::kEnglish, "the"));
  EXPECT_FALSE(IsStopword(text::Language::kEnglish, "parliament"));
  EXPECT_TRUE(IsStopword(text::Language::kArabic, "في"));
  EXPECT_FALSE(IsStopword(text::Language::kArabic, "برلمان"));
}

}  // namespace
}  // namespace qantara::align
