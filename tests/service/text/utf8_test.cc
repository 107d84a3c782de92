// UTF-8 helpers: validation (with the offset of bad sequences) and code point counts.
#include "service/text/utf8.h"

#include <string>

#include "gtest/gtest.h"

namespace qantara::text {
namespace {

TEST(ValidateUtf8, AcceptsArabicEnglishAndEmpty) {
  EXPECT_TRUE(ValidateUtf8("").ok());
  EXPECT_TRUE(ValidateUtf8("hello").ok());
  EXPECT_TRUE(ValidateUtf8("مرحبا بالعالم ١٢٣ 😀").ok());
}

TEST(ValidateUtf8, RejectsBadSequencesWithOffset) {
  const std::string truncated = std::string("ab") + "\xD9";  // lead byte of an Arabic letter
  absl::Status s = ValidateUtf8(truncated);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("offset 2"), std::string_view::npos) << s.message();
  EXPECT_FALSE(ValidateUtf8("\xC0\xAF").ok());      // overlong '/'
  EXPECT_FALSE(ValidateUtf8("\xED\xA0\x80").ok());  // surrogate
  EXPECT_FALSE(ValidateUtf8("x\xFFy").ok());
}

TEST(CountCodePoints, CountsCharactersNotBytes) {
  EXPECT_EQ(CountCodePoints(""), 0u);
  EXPECT_EQ(CountCodePoints("abc"), 3u);
  EXPECT_EQ(CountCodePoints("سلام"), 4u);
  EXPECT_EQ(CountCodePoints("a😀b"), 3u);
}

}  // namespace
}  // namespace qantara::text
