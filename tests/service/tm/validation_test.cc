// Memory names (tm::ValidateMemoryName): what a name may hold.
#include "service/tm/validation.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace qantara::tm {
namespace {

using ::qantara::testing::IsOk;
using ::qantara::testing::StatusIs;
using ::testing::HasSubstr;

TEST(ValidateMemoryNameTest, TakesArabicLatinAndPunctuation) {
  EXPECT_THAT(ValidateMemoryName("legal-ar-en_2026"), IsOk());
  EXPECT_THAT(ValidateMemoryName("ذاكرة القانون (٢٠٢٦)"), IsOk());
  EXPECT_THAT(ValidateMemoryName("Zero\u200cwidth non-joiner"), IsOk());  // ZWNJ: a letter joiner, kept
  EXPECT_THAT(ValidateMemoryName(std::string(200, 'a')), IsOk());
}

TEST(ValidateMemoryNameTest, RefusesEmptyLongAndBadUtf8) {
  EXPECT_THAT(ValidateMemoryName(""), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("memory name")));
  EXPECT_THAT(ValidateMemoryName(std::string(201, 'a')), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ValidateMemoryName("a\xff"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("UTF-8")));
}

TEST(ValidateMemoryNameTest, RefusesControlCharacters) {
  for (const std::string& name : {std::string("a\tb"), std::string("a\x1b[31m"), std::string("a\x7f"),
                                  std::string("a\u0085b"), std::string("a\0b", 3)}) {
    EXPECT_THAT(ValidateMemoryName(name),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("control characters")))
        << name;
  }
}

TEST(ValidateMemoryNameTest, RefusesBidiAndInvisibleControls) {
  // RLO makes "tm-evil\u202Egpj.exe"-style names read backwards; LRM, RLM,
  // ALM, isolates, line separators and the BOM make two names look alike.
  for (const char* name : {"tm\u202Eab", "tm\u202Aab", "tm\u200Eab", "tm\u200Fab", "tm\u061Cab", "tm\u2066ab",
                           "tm\u2069ab", "tm\u2028ab", "\uFEFFtm"}) {
    EXPECT_THAT(ValidateMemoryName(name),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("bidi or invisible")))
        << name;
  }
}

}  // namespace
}  // namespace qantara::tm
