#include "service/text/segmenter.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/text/utf8.h"

namespace qantara::text {
namespace {

using ::testing::ElementsAre;

// Checks the segmenter's contract on `text`: spans ordered and non-empty,
// code-point offsets agree with byte offsets, gaps hold only whitespace, so
// that sentences + gaps rebuild the input exactly.
void ExpectLossless(std::string_view text, const std::vector<TextSpan>& spans) {
  std::string rebuilt;
  size_t pos = 0;
  for (const TextSpan& s : spans) {
    ASSERT_LE(pos, s.byte_begin);
    ASSERT_LT(s.byte_begin, s.byte_end);
    std::string_view gap = text.substr(pos, s.byte_begin - pos);
    for (char c : gap) EXPECT_TRUE(c == ' ' || c == '\n' || c == '\t' || c == '\r') << "gap holds '" << c << "'";
    EXPECT_EQ(s.char_begin, CountCodePoints(text.substr(0, s.byte_begin)));
    EXPECT_EQ(s.char_end, CountCodePoints(text.substr(0, s.byte_end)));
    rebuilt.append(gap);
    rebuilt.append(s.In(text));
    pos = s.byte_end;
  }
  rebuilt.append(text.substr(pos));
  EXPECT_EQ(rebuilt, text);
}

std::vector<std::string> Sentences(Language lang, std::string_view text) {
  auto seg = SentenceSegmenter::Create(lang);
  EXPECT_TRUE(seg.ok()) << seg.status();
  absl::StatusOr<std::vector<TextSpan>> spans = (*seg)->Split(text);
  EXPECT_TRUE(spans.ok()) << spans.status();
  ExpectLossless(text, *spans);
  std::vector<std::string> out;
  for (const TextSpan& s : *spans) out.emplace_back(s.In(text));
  return out;
}

TEST(SentenceSegmenter, ArabicHeadlineDigitsQuestionMarkAndQuotes) {
  const std::string text =
      "أخبار الاقتصاد اليوم\n"
      "ارتفعت أسعار النفط بنسبة ٣٫٥ في المئة يوم الثلاثاء. وقال محللون إن الطلب سيزداد؟ "
      "\"لا نتوقع تراجعاً قريباً\" قال أحد التجار.";
  EXPECT_THAT(Sentences(Language::kArabic, text),
              ElementsAre("أخبار الاقتصاد اليوم",
                          "ارتفعت أسعار النفط بنسبة ٣٫٥ في المئة يوم الثلاثاء.",
                          "وقال محللون إن الطلب سيزداد؟",
                          "\"لا نتوقع تراجعاً قريباً\" قال أحد التجار."));
}

TEST(SentenceSegmenter, ArabicCommaAndSemicolonDoNotEndSentences) {
  EXPECT_THAT(Sentences(Language::kArabic, "ذهب الولد إلى المدرسة، ثم عاد؛ وكان سعيداً."),
              ElementsAre("ذهب الولد إلى المدرسة، ثم عاد؛ وكان سعيداً."));
}

TEST(SentenceSegmenter, EnglishSentencesDecimalsAndParagraphs) {
  const std::string text =
      "Oil rose 3.5 percent on Tuesday. Will demand grow? Traders said \"yes.\" Prices fell.\n\n"
      "Markets in Brief\n"
      "Gold was flat.";
  EXPECT_THAT(Sentences(Language::kEnglish, text),
              ElementsAre("Oil rose 3.5 percent on Tuesday.", "Will demand grow?",
                          "Traders said \"yes.\"", "Prices fell.", "Markets in Brief", "Gold was flat."));
}

TEST(SentenceSegmenter, OffsetsAreBytesAndCodePoints) {
  const std::string text = "  مرحبا. Hi!";
  auto seg = SentenceSegmenter::Create(Language::kArabic);
  ASSERT_TRUE(seg.ok());
  absl::StatusOr<std::vector<TextSpan>> spans = (*seg)->Split(text);
  ASSERT_TRUE(spans.ok());
  ASSERT_EQ(spans->size(), 2u);
  EXPECT_EQ((*spans)[0], (TextSpan{2, 2 + 11, 2, 2 + 6}));  // 5 letters * 2 bytes + '.'
  EXPECT_EQ((*spans)[1].In(text), "Hi!");
  EXPECT_EQ((*spans)[1].char_begin, 9u);
  EXPECT_EQ((*spans)[1].char_end, 12u);
}

TEST(SentenceSegmenter, EmptyAndWhitespaceOnlyGiveNoSentences) {
  EXPECT_TRUE(Sentences(Language::kArabic, "").empty());
  EXPECT_TRUE(Sentences(Language::kEnglish, " \n\n\t ").empty());
}

TEST(SentenceSegmenter, InvalidUtf8IsAClearError) {
  auto seg = SentenceSegmenter::Create(Language::kEnglish);
  ASSERT_TRUE(seg.ok());
  absl::StatusOr<std::vector<TextSpan>> spans = (*seg)->Split("ok.\xFF bad");
  ASSERT_FALSE(spans.ok());
  EXPECT_EQ(spans.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(spans.status().message().find("UTF-8"), std::string_view::npos);
}

}  // namespace
}  // namespace qantara::text
