// UTF-8 helpers: validation (with the offset of bad sequences), code point
// counts, encoding and decoding.
#include "service/text/utf8.h"

#include <string>
#include <vector>

#include "absl/strings/escaping.h"
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

// Every code point AppendUtf8 writes, DecodeUtf8 reads back, one whole
// sequence at a time.
std::vector<char32_t> DecodeAll(std::string_view s) {
  std::vector<char32_t> out;
  for (size_t i = 0; i < s.size();) out.push_back(DecodeUtf8(s, &i));
  return out;
}

TEST(Utf8Codec, RoundTripsEachLengthsBoundaries) {
  struct Case {
    char32_t cp;
    std::string bytes;
  };
  const std::vector<Case> cases = {
      {0x00, std::string(1, '\0')},
      {0x7F, "\x7F"},
      {0x80, "\xC2\x80"},
      {0x7FF, "\xDF\xBF"},
      {0x800, "\xE0\xA0\x80"},
      {0xD7FF, "\xED\x9F\xBF"},
      {0xE000, "\xEE\x80\x80"},
      {0xFFFF, "\xEF\xBF\xBF"},
      {0x10000, "\xF0\x90\x80\x80"},
      {0x10FFFF, "\xF4\x8F\xBF\xBF"},
  };
  for (const Case& c : cases) {
    std::string s;
    AppendUtf8(c.cp, &s);
    EXPECT_EQ(s, c.bytes) << std::hex << static_cast<uint32_t>(c.cp);
    EXPECT_EQ(Utf8Length(c.cp), s.size());
    EXPECT_TRUE(ValidateUtf8(s).ok());
    size_t pos = 0;
    EXPECT_EQ(DecodeUtf8(s, &pos), c.cp);
    EXPECT_EQ(pos, s.size());
  }
  // All of them in one string, after a prefix: offsets move by whole sequences.
  std::string all = "x";
  for (const Case& c : cases) AppendUtf8(c.cp, &all);
  size_t pos = 1;
  for (const Case& c : cases) {
    const size_t before = pos;
    EXPECT_EQ(DecodeUtf8(all, &pos), c.cp);
    EXPECT_EQ(pos - before, c.bytes.size());
  }
  EXPECT_EQ(pos, all.size());
}

TEST(Utf8Codec, RoundTripsArabicText) {
  const std::string text = "مرحبا بالعالم، هذه ذاكرة ترجمة ١٢٣ ۴۵ ﷺ 😀 and English";
  const std::vector<char32_t> cps = DecodeAll(text);
  EXPECT_EQ(cps.size(), CountCodePoints(text));
  EXPECT_EQ(cps[0], U'\u0645');  // meem
  EXPECT_EQ(cps[4], U'\u0627');  // alef
  std::string back;
  for (char32_t cp : cps) AppendUtf8(cp, &back);
  EXPECT_EQ(back, text);
  // Every code point of the Arabic block.
  std::string block;
  for (char32_t cp = 0x0600; cp <= 0x06FF; ++cp) AppendUtf8(cp, &block);
  EXPECT_TRUE(ValidateUtf8(block).ok());
  const std::vector<char32_t> decoded = DecodeAll(block);
  ASSERT_EQ(decoded.size(), 0x100u);
  for (char32_t k = 0; k < 0x100; ++k) EXPECT_EQ(decoded[k], 0x0600 + k);
}

TEST(Utf8Codec, DecodeStepsOneByteOverWhatIsNotUtf8) {
  // What ValidateUtf8 rejects: a stray continuation byte, a cut-off sequence,
  // a bad continuation, overlongs, a surrogate, above U+10FFFF, 0xFF.
  for (const std::string bad : {"\x80", "\xD9", "\xE0\xA0", "\xD9\x41", "\xC0\xAF", "\xE0\x80\xAF",
                                "\xF0\x80\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xFF"}) {
    EXPECT_FALSE(ValidateUtf8(bad).ok());
    size_t pos = 0;
    EXPECT_EQ(DecodeUtf8(bad, &pos), kInvalidUtf8) << absl::CHexEscape(bad);
    EXPECT_EQ(pos, 1u);
  }
  // Decoding goes on after the bad byte.
  EXPECT_EQ(DecodeAll("a\xD9\x41\xD9\x84"), (std::vector<char32_t>{U'a', kInvalidUtf8, U'A', U'\u0644'}));
}

}  // namespace
}  // namespace qantara::text
