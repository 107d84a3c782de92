// Character properties (first code point, Latin script, uppercase) and their
// agreement with ICU.
#include "service/text/char_props.h"

#include "gtest/gtest.h"
#include "unicode/uchar.h"
#include "unicode/uscript.h"

namespace qantara::text {
namespace {

TEST(CharPropsTest, FirstCodePoint) {
  EXPECT_EQ(FirstCodePoint(""), -1);
  EXPECT_EQ(FirstCodePoint("abc"), 'a');
  EXPECT_EQ(FirstCodePoint("\u0628\u064a\u062a"), 0x0628);
  EXPECT_EQ(FirstCodePoint("\xff"), -1);
  EXPECT_EQ(FirstCodePoint("\xd8"), -1);  // truncated sequence
}

TEST(CharPropsTest, LatinScript) {
  EXPECT_TRUE(IsLatinScript('a'));
  EXPECT_TRUE(IsLatinScript('Z'));
  EXPECT_TRUE(IsLatinScript(0x00E9));  // é
  EXPECT_TRUE(IsLatinScript(0x1E9E));  // ẞ
  EXPECT_FALSE(IsLatinScript('1'));
  EXPECT_FALSE(IsLatinScript('@'));
  EXPECT_FALSE(IsLatinScript(0x0628));  // ب
  EXPECT_FALSE(IsLatinScript(0x03C9));  // ω
  EXPECT_FALSE(IsLatinScript(-1));
}

TEST(CharPropsTest, Uppercase) {
  EXPECT_TRUE(IsUppercase('A'));
  EXPECT_FALSE(IsUppercase('a'));
  EXPECT_TRUE(IsUppercase(0x00C9));   // É
  EXPECT_TRUE(IsUppercase(0x0416));   // Ж
  EXPECT_FALSE(IsUppercase(0x0628));  // ب: Arabic has no case
  EXPECT_FALSE(IsUppercase('1'));
  EXPECT_FALSE(IsUppercase(-1));
}

// The shortcuts (ASCII, right-to-left blocks) agree with ICU's properties.
TEST(CharPropsTest, AgreesWithIcu) {
  for (int32_t c = 0; c < 0x3000; ++c) {
    EXPECT_EQ(IsLatinScript(c), u_getIntPropertyValue(c, UCHAR_SCRIPT) == USCRIPT_LATIN) << c;
    EXPECT_EQ(IsUppercase(c), static_cast<bool>(u_isupper(c))) << c;
  }
}

}  // namespace
}  // namespace qantara::text
