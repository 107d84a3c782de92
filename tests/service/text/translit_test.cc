// Transliteration: Latin skeletons, Arabic names meeting their English spelling,
// the shared transliterator, and the table's agreement with ICU.
#include "service/text/translit.h"

#include "gtest/gtest.h"

namespace qantara::text {
namespace {

TEST(LatinSkeletonTest, DropsVowelsAndMergesClasses) {
  EXPECT_EQ(LatinSkeleton("Tampa"), "tmb");
  EXPECT_EQ(LatinSkeleton("Johnson"), "knsn");
  EXPECT_EQ(LatinSkeleton("Washington"), "sntn");  // "ng" before a consonant: a nasal only
  EXPECT_EQ(LatinSkeleton("Philip"), "flb");
  EXPECT_EQ(LatinSkeleton("Microsoft"), "mkrsft");
  EXPECT_EQ(LatinSkeleton("Trump"), "trmb");
  EXPECT_EQ(LatinSkeleton(""), "");
}

TEST(ArabicTransliteratorTest, NamesMeetTheirEnglishSpelling) {
  auto t = ArabicTransliterator::Create();
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ((*t)->Skeleton("تامبا"), LatinSkeleton("Tampa"));
  EXPECT_EQ((*t)->Skeleton("ترامب"), LatinSkeleton("Trump"));
  EXPECT_EQ((*t)->Skeleton("جونسون"), LatinSkeleton("Johnson"));
  EXPECT_EQ((*t)->Skeleton("لندن"), LatinSkeleton("London"));
  EXPECT_EQ((*t)->Skeleton("ميركل"), LatinSkeleton("Merkel"));
  EXPECT_EQ((*t)->Skeleton("مايكروسوفت"), LatinSkeleton("Microsoft"));
  EXPECT_EQ((*t)->Skeleton("كاليفورنيا"), LatinSkeleton("California"));
  EXPECT_NE((*t)->Skeleton("لندن"), LatinSkeleton("Paris"));
}

TEST(ArabicTransliteratorTest, SharedInstanceIsReused) {
  const ArabicTransliterator* t = ArabicTransliterator::Shared();
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t, ArabicTransliterator::Shared());
  EXPECT_EQ(t->Skeleton("تامبا"), "tmb");
  EXPECT_EQ(t->ToAscii("باريس"), "barys");
  // Letters outside U+0600-U+06FF (Arabic Supplement) go through ICU.
  EXPECT_EQ(t->Skeleton("\u0750\u0628"), LatinSkeleton(t->ToAscii("\u0750\u0628")));
}

TEST(ArabicTransliteratorTest, TableAgreesWithIcuOnWholeWords) {
  auto t = ArabicTransliterator::Create();
  ASSERT_TRUE(t.ok());
  for (const char* w : {"تامبا", "بريطانيا", "واشنطن", "فيسبوك", "شيكاغو", "صدام", "خليفة", "ذهب", "غوغل",
                        "ضياء", "ظبي", "عمان"}) {
    EXPECT_EQ((*t)->Skeleton(w), LatinSkeleton((*t)->ToAscii(w))) << w << " " << (*t)->ToAscii(w);
  }
}

}  // namespace
}  // namespace qantara::text
