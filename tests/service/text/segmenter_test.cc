// The sentence segmenter: Arabic and English sentence ends, abbreviations,
// decimals, quotes, headlines, offsets, user SRX rules, threads and large input,
// informal and transcribed Arabic (issue 19) and its fixtures.
#include "service/text/segmenter.h"

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/text/utf8.h"

namespace qantara::text {
namespace {

using ::testing::ElementsAre;
using ::testing::SizeIs;

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
    for (char c : gap)
      EXPECT_TRUE(c == ' ' || c == '\n' || c == '\t' || c == '\r') << "gap holds '" << c << "'";
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
              ElementsAre("أخبار الاقتصاد اليوم", "ارتفعت أسعار النفط بنسبة ٣٫٥ في المئة يوم الثلاثاء.",
                          "وقال محللون إن الطلب سيزداد؟", "\"لا نتوقع تراجعاً قريباً\" قال أحد التجار."));
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
              ElementsAre("Oil rose 3.5 percent on Tuesday.", "Will demand grow?", "Traders said \"yes.\"",
                          "Prices fell.", "Markets in Brief", "Gold was flat."));
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

std::vector<std::string> En(std::string_view text) { return Sentences(Language::kEnglish, text); }
std::vector<std::string> Ar(std::string_view text) { return Sentences(Language::kArabic, text); }

TEST(SentenceSegmenter, EnglishTitlesAndHonorificsDoNotEndSentences) {
  EXPECT_THAT(En("Mr. Smith met Dr. Jones and Sen. Warren. Rep. Lamb and Gov. Brown left. "
                 "The Rev. John Howard spoke at St. Martin's."),
              ElementsAre("Mr. Smith met Dr. Jones and Sen. Warren.", "Rep. Lamb and Gov. Brown left.",
                          "The Rev. John Howard spoke at St. Martin's."));
  EXPECT_THAT(En("They met Ms. Maurice. Mrs. Lee and Prof. Kim were there."),
              ElementsAre("They met Ms. Maurice.", "Mrs. Lee and Prof. Kim were there."));
}

TEST(SentenceSegmenter, EnglishInitialsAndInitialisms) {
  EXPECT_THAT(En("George W. Bush called. The U.S. Navy said the U.N. Security Council met in "
                 "Washington, D.C. The talks failed."),
              ElementsAre("George W. Bush called.",
                          "The U.S. Navy said the U.N. Security Council met in Washington, D.C.",
                          "The talks failed."));
  // An initialism that ends a sentence before a common opener still breaks.
  EXPECT_THAT(En("He moved to the U.S. It was 1990."), ElementsAre("He moved to the U.S.", "It was 1990."));
  // "I" after "World War" is a numeral, not an initial.
  EXPECT_THAT(En("It ended World War I. Peace came."), ElementsAre("It ended World War I.", "Peace came."));
}

TEST(SentenceSegmenter, EnglishAbbreviationsBeforeNumbersLatinAndTimes) {
  EXPECT_THAT(En("See No. 5 and pp. 12-14, e.g. Fig. 3. Roe v. Wade stands, vs. Casey. "
                 "It starts Nov. 6 at 11 a.m. ET and ends at 5 p.m. Monday. Really."),
              ElementsAre("See No. 5 and pp. 12-14, e.g. Fig. 3.", "Roe v. Wade stands, vs. Casey.",
                          "It starts Nov. 6 at 11 a.m. ET and ends at 5 p.m. Monday.", "Really."));
  // "No." not before a number is the word no.
  EXPECT_THAT(En("He said No. Then he left."), ElementsAre("He said No.", "Then he left."));
}

TEST(SentenceSegmenter, EnglishDecimalsEllipsesQuotesAndBrackets) {
  EXPECT_THAT(
      En("Oil rose 3.5% to $71.25 a barrel. \"Why?\" she asked. \"Stop!\" he said... and left. "
         "(It rained.) Then \u201cit ended.\u201d Done."),
      ElementsAre("Oil rose 3.5% to $71.25 a barrel.", "\"Why?\" she asked.",
                  "\"Stop!\" he said... and left.", "(It rained.)", "Then \u201cit ended.\u201d", "Done."));
  // A semicolon or comma after the full stop continues the sentence.
  EXPECT_THAT(En("He said \"go home.\" ; Then they went."),
              ElementsAre("He said \"go home.\" ; Then they went."));
}

TEST(SentenceSegmenter, EnglishHeadlineEndingInAQuoteBeforeAnOpener) {
  EXPECT_THAT(En("Ministers worried about 'looking like puppets' There is unease in Cardiff. "
                 "He called it \"fake news\" and left."),
              ElementsAre("Ministers worried about 'looking like puppets'", "There is unease in Cardiff.",
                          "He called it \"fake news\" and left."));
}

TEST(SentenceSegmenter, NumbersAfterAFullStopAndStageDirections) {
  // ICU alone keeps these together because a lower-case word follows the number.
  EXPECT_THAT(En("It was a waste dump. 1987 was declared the year of the river. See approx. 30 more."),
              ElementsAre("It was a waste dump.", "1987 was declared the year of the river.",
                          "See approx. 30 more."));
  EXPECT_THAT(En("That was funny. (Laughter) And then we left. (Applause)"),
              ElementsAre("That was funny.", "(Laughter)", "And then we left.", "(Applause)"));
  EXPECT_THAT(Ar("كان ذلك مضحكًا. (ضحك) ثم غادرنا. قال إن (الأمم المتحدة) وافقت."),
              ElementsAre("كان ذلك مضحكًا.", "(ضحك)", "ثم غادرنا.", "قال إن (الأمم المتحدة) وافقت."));
}

TEST(SentenceSegmenter, LineBreaksListItemsAndHeadlines) {
  EXPECT_THAT(En("Agenda\n1. Open the meeting\n2. Budget. Vote on it\na) first\n- bullet\r\nLast line"),
              ElementsAre("Agenda", "1. Open the meeting", "2. Budget.", "Vote on it", "a) first", "- bullet",
                          "Last line"));
  // A hard line break wins over an abbreviation.
  EXPECT_THAT(En("Call Dr.\nSmith now."), ElementsAre("Call Dr.", "Smith now."));
  EXPECT_THAT(Ar("\u0661. \u0627\u0644\u0628\u0646\u062f \u0627\u0644\u0623\u0648\u0644"),
              ElementsAre("\u0661. \u0627\u0644\u0628\u0646\u062f \u0627\u0644\u0623\u0648\u0644"));
}

TEST(SentenceSegmenter, ArabicAbbreviations) {
  EXPECT_THAT(Ar("التقى الوزير د. محمد علي والمهندس م. سامي. ثم غادر."),
              ElementsAre("التقى الوزير د. محمد علي والمهندس م. سامي.", "ثم غادر."));
  EXPECT_THAT(Ar("راسلونا على ص.ب. ١٢٣ عمّان. أ.د. خالد حاضر."),
              ElementsAre("راسلونا على ص.ب. ١٢٣ عمّان.", "أ.د. خالد حاضر."));
  // A year marker after a number may end the sentence.
  EXPECT_THAT(Ar("ولد الشاعر عام ١٩٥٠م. ثم درس في القاهرة. بني المعبد سنة ٣٠٠ ق.م. واليوم هو أثر."),
              ElementsAre("ولد الشاعر عام ١٩٥٠م.", "ثم درس في القاهرة.", "بني المعبد سنة ٣٠٠ ق.م.",
                          "واليوم هو أثر."));
}

TEST(SentenceSegmenter, ArabicQuotationsEllipsesAndDecimals) {
  EXPECT_THAT(Ar("\"هل أنتم مستعدون؟\" تساءلت الوزيرة. \"لن نتراجع!\" قائلًا ذلك غادر. "
                 "\"انتهى الأمر.\" حسبما أفاد المتحدث."),
              ElementsAre("\"هل أنتم مستعدون؟\" تساءلت الوزيرة.", "\"لن نتراجع!\" قائلًا ذلك غادر.",
                          "\"انتهى الأمر.\" حسبما أفاد المتحدث."));
  EXPECT_THAT(
      Ar("ومازال العد مستمرًا... هو اليوم الذي ولد فيه. بلغ النمو 3.5 بالمئة و٢.٧ في المئة."),
      ElementsAre("ومازال العد مستمرًا... هو اليوم الذي ولد فيه.", "بلغ النمو 3.5 بالمئة و٢.٧ في المئة."));
  // A quotation closed without a full stop, then a clause opener.
  EXPECT_THAT(
      Ar("قال الوزير: \"نحن نعمل على خطة شاملة\" وأضاف أن العمل بدأ. وصفها بأنها \"عشوائية\" في بيانه."),
      ElementsAre("قال الوزير: \"نحن نعمل على خطة شاملة\"", "وأضاف أن العمل بدأ.",
                  "وصفها بأنها \"عشوائية\" في بيانه."));
}

TEST(SentenceSegmenter, ArabicQuotedSentenceClosedWithoutAFullStop) {
  // A quoted sentence (4+ words, after a colon or a verb of saying) closed
  // without a full stop, then a new clause: two sentences.
  EXPECT_THAT(Ar("قال المدرب: \"هدفي هو الفوز بالبطولة هذا العام\" بدأ الموسم أمس."),
              ElementsAre("قال المدرب: \"هدفي هو الفوز بالبطولة هذا العام\"", "بدأ الموسم أمس."));
  EXPECT_THAT(Ar("قلت لها ”سأعود إليك بعد قليل يا صديقتي\" ثم أغلقت الهاتف."),
              ElementsAre("قلت لها ”سأعود إليك بعد قليل يا صديقتي\"", "ثم أغلقت الهاتف."));
  EXPECT_THAT(Ar("وأضاف: «نحن نعمل على خطة شاملة للبلاد» الحكومة مستعدة."),
              ElementsAre("وأضاف: «نحن نعمل على خطة شاملة للبلاد»", "الحكومة مستعدة."));
  // ... but not before what continues the sentence: an attribution, a list
  // of quotations, a clause with ف, a prepositional phrase without a comma.
  EXPECT_THAT(Ar("قال: \"لقد كان رجلًا متواضعًا جدًا\" كما قالت ابنته."), SizeIs(1));
  EXPECT_THAT(Ar("قال: \"الأمر خطير على الجميع هنا\" حسبما أفاد المتحدث."), SizeIs(1));
  EXPECT_THAT(Ar("كتب: \"نعم أنا أحب هذا العمل كثيرًا\" و\"لن أتركه\"."), SizeIs(1));
  EXPECT_THAT(Ar("قالت: \"إذا وافقت الحكومة على الخطة الجديدة\" فسنبدأ العمل فورًا."), SizeIs(1));
  EXPECT_THAT(Ar("وقال: \"إن الناس يختلطون بطرق مختلفة\" في هذه الأيام."), SizeIs(1));
  EXPECT_THAT(Ar("قال: \"تغيرت الأمور كثيرًا منذ ذلك الحين\" في ظل الأزمة، بدأت الحكومة العمل."),
              ElementsAre("قال: \"تغيرت الأمور كثيرًا منذ ذلك الحين\"", "في ظل الأزمة، بدأت الحكومة العمل."));
  // Short quoted terms inside a sentence stay inside it.
  EXPECT_THAT(Ar("وصفت الشرطة الهجوم بأنه \"عشوائي\" ولا يوجد مصابون."), SizeIs(1));
  EXPECT_THAT(Ar("وصف الخبراء الجرس بأنه: \"كنز ثقافي\" لا يعوض."), SizeIs(1));
  // A quotation mark glued to a verb of saying opens the quotation.
  EXPECT_THAT(Ar("وقال\" إننا نؤدي أداءً طيبًا\"."), SizeIs(1));
  // Two quotations in a row: two sentences when one of them is a sentence;
  // short quoted names side by side stay together.
  EXPECT_THAT(Ar("قالت: \"من الصعب أن تضع نفسك مكان القارئ\" \"الأمر مسلٍّ للغاية.\""),
              ElementsAre("قالت: \"من الصعب أن تضع نفسك مكان القارئ\"", "\"الأمر مسلٍّ للغاية.\""));
  EXPECT_THAT(Ar("قال إن الحزب في مهمة \"المقاومة والعرقلة\" \"كما ترون على مدار الأيام الأخيرة.\""),
              SizeIs(2));
  EXPECT_THAT(Ar("سرعان ما أبهر \"شين كيو\" \"وانغ أنشي\" بمهاراته."), SizeIs(1));
}

TEST(SentenceSegmenter, MixedArabicAndLatinText) {
  EXPECT_THAT(Ar("التقى Dr. Smith بالوزير، e.g. في عمّان. وقال Mr. Cook إنه الأفضل!"),
              ElementsAre("التقى Dr. Smith بالوزير، e.g. في عمّان.", "وقال Mr. Cook إنه الأفضل!"));
}

// Informal and transcribed Arabic (issue 19). Every call also checks that
// the sentences and gaps rebuild the input (Sentences() -> ExpectLossless).
TEST(SentenceSegmenter, ArabicDoubleDotIsAFullStop) {
  EXPECT_THAT(Ar("شكرًا جزيلًا.. أنا سعيد جدًا بوجودي هنا اليوم.. كنا خمسة أشخاص فقط.."),
              ElementsAre("شكرًا جزيلًا..", "أنا سعيد جدًا بوجودي هنا اليوم..", "كنا خمسة أشخاص فقط.."));
  // Informal writing often leaves the space out.
  EXPECT_THAT(Ar("كلنا نفعل ذلك..الهاتف أصبح جزءًا منا..ولا نستطيع أن نعيش بدونه.."),
              ElementsAre("كلنا نفعل ذلك..", "الهاتف أصبح جزءًا منا..", "ولا نستطيع أن نعيش بدونه.."));
  // Before "or" the dots are a pause.
  EXPECT_THAT(Ar("صباح الخير.. أو مساء الخير، حسب المكان."), SizeIs(1));
  // A closing quotation mark after ".." stays with its sentence.
  EXPECT_THAT(Ar("\"حسنًا إذن..\" قالت وخرجت. ثم عادت.."),
              ElementsAre("\"حسنًا إذن..\" قالت وخرجت.", "ثم عادت.."));
}

TEST(SentenceSegmenter, ArabicEllipsisIsAPauseBeforeMoreArabicOnTheLine) {
  // Decision (service/text/rules/qantara.srx): "..." and "…" followed by
  // more Arabic on the same line continue the sentence (a trailing-off, a
  // hesitation, a pause inside a quotation); before a line break, a quotation
  // mark or a dash they end it.
  EXPECT_THAT(Ar("أتعرفون ... هذا السؤال غيّر حياتي."), SizeIs(1));
  EXPECT_THAT(Ar("قالت لي أمي: «لا تخف يا بني... كل شيء سيكون بخير». ولم أصدقها."),
              ElementsAre("قالت لي أمي: «لا تخف يا بني... كل شيء سيكون بخير».", "ولم أصدقها."));
  EXPECT_THAT(Ar("كتب: «أنا آسف… لم أقصد ذلك… سامحيني»."), SizeIs(1));
  EXPECT_THAT(Ar("كنت أظن أنني أفهم كل شيء...\nثم جاءت ابنتي."),
              ElementsAre("كنت أظن أنني أفهم كل شيء...", "ثم جاءت ابنتي."));
  EXPECT_THAT(Ar("لا أعرف... \"هل أنت جاد؟\" سألتني أختي."),
              ElementsAre("لا أعرف...", "\"هل أنت جاد؟\" سألتني أختي."));
}

TEST(SentenceSegmenter, ArabicRunsOfQuestionAndExclamationMarksEndOneSentence) {
  EXPECT_THAT(Ar("هل تتخيلون ذلك؟! مليون شخص في يوم واحد!! كيف حدث هذا؟؟ الحكومة لم تصدق!؟ "
                 "وماذا فعلوا؟!! لا شيء؟?! حقًا?!"),
              ElementsAre("هل تتخيلون ذلك؟!", "مليون شخص في يوم واحد!!", "كيف حدث هذا؟؟", "الحكومة لم تصدق!؟",
                          "وماذا فعلوا؟!!", "لا شيء؟?!", "حقًا?!"));
  EXPECT_THAT(
      En("Can you imagine that?! A million people!! How did that happen??? Nobody knows."),
      ElementsAre("Can you imagine that?!", "A million people!!", "How did that happen???", "Nobody knows."));
}

TEST(SentenceSegmenter, ArabicClosingQuotesStayWithTheirSentence) {
  EXPECT_THAT(Ar("قال في خطابه: \"لن نتراجع أبدًا.\" وصفق الحاضرون. سأله صحفي: \"وماذا عن الاقتصاد؟\" لم يجب. "
                 "كتبت على الجدار: «الحرية للجميع!» ومُسحت. رد قائلًا: “هذا غير صحيح!!” ثم غادر."),
              ElementsAre("قال في خطابه: \"لن نتراجع أبدًا.\"", "وصفق الحاضرون.",
                          "سأله صحفي: \"وماذا عن الاقتصاد؟\"", "لم يجب.", "كتبت على الجدار: «الحرية للجميع!»",
                          "ومُسحت.", "رد قائلًا: “هذا غير صحيح!!”", "ثم غادر."));
  // An attribution with an object pronoun continues the quoted sentence ...
  EXPECT_THAT(Ar("\"هل أنت جاد؟\" سألتني أختي. \"نعم، أنا جاد.\" أجبتها."),
              ElementsAre("\"هل أنت جاد؟\" سألتني أختي.", "\"نعم، أنا جاد.\" أجبتها."));
  // ... but a verb of saying that opens a quotation of its own after a colon
  // starts a new sentence (a participle such as قائلًا still continues).
  EXPECT_THAT(Ar("قالت المعلمة: «اكتبوا ما تشعرون به.» كتب أحد الطلاب: «أشعر بالجوع.»"),
              ElementsAre("قالت المعلمة: «اكتبوا ما تشعرون به.»", "كتب أحد الطلاب: «أشعر بالجوع.»"));
  EXPECT_THAT(Ar("سألهم: \"هل تريدون رؤيته؟\" قائلًا: \"سأريكم الآن.\""), SizeIs(1));
}

TEST(SentenceSegmenter, DialogueSpeakerLabelsAndDashes) {
  EXPECT_THAT(Ar("المحاور: متى بدأت الكتابة؟ الكاتبة: عندما كنت في العاشرة. المحاور: وهل توقعت النجاح؟"),
              ElementsAre("المحاور: متى بدأت الكتابة؟", "الكاتبة: عندما كنت في العاشرة.",
                          "المحاور: وهل توقعت النجاح؟"));
  // ICU reads a dash after a full stop as a continuation.
  EXPECT_THAT(Ar("- هل أنت متأكد؟ - نعم، متأكد تمامًا. - ولماذا لم تخبرني؟ — لأنك لم تسألني! – حسنًا.."),
              ElementsAre("- هل أنت متأكد؟", "- نعم، متأكد تمامًا.", "- ولماذا لم تخبرني؟",
                          "— لأنك لم تسألني!", "– حسنًا.."));
  EXPECT_THAT(En("- Are you sure? - Yes, absolutely. - Why? — Because."),
              ElementsAre("- Are you sure?", "- Yes, absolutely.", "- Why?", "— Because."));
  // A dash inside a sentence is not a dialogue line.
  EXPECT_THAT(En("The food was - and I mean it - the worst. It was 5 - 3."), SizeIs(2));
}

TEST(SentenceSegmenter, StageDirectionsOfTalks) {
  // After a sentence's final mark: a segment of its own; two side by side stay together.
  EXPECT_THAT(Ar("قال لي الطبيب إنني لن أمشي مرة أخرى. (ضحك) (تصفيق) لكنني الآن أقف أمامكم! (تصفيق)"),
              ElementsAre("قال لي الطبيب إنني لن أمشي مرة أخرى.", "(ضحك) (تصفيق)", "لكنني الآن أقف أمامكم!",
                          "(تصفيق)"));
  // At the start of a line.
  EXPECT_THAT(Ar("(تصفيق) مساء الخير جميعًا.\n(تصفيق حار) شكرًا."),
              ElementsAre("(تصفيق)", "مساء الخير جميعًا.", "(تصفيق حار)", "شكرًا."));
  EXPECT_THAT(En("(Applause) Good evening. That's all. (Laughter) (Applause) Thanks."),
              ElementsAre("(Applause)", "Good evening.", "That's all.", "(Laughter) (Applause)", "Thanks."));
  // Parentheses side by side inside a sentence are not stage directions.
  EXPECT_THAT(Ar("قال إن (الأمم المتحدة) (ضحك) وافقت على القرار."), SizeIs(1));
  // Inside a sentence it stays attached.
  EXPECT_THAT(
      Ar("جربت مرة أن أطبخ (ضحك) وكانت النتيجة كارثة. قال إن الطعام (ولا أبالغ) كان سيئًا."),
      ElementsAre("جربت مرة أن أطبخ (ضحك) وكانت النتيجة كارثة.", "قال إن الطعام (ولا أبالغ) كان سيئًا."));
}

TEST(SentenceSegmenter, ArabicNumbersNeverSplit) {
  EXPECT_THAT(
      Ar("ارتفعت الأسعار ٣.٥ في المئة و2.7 و٣٫٥ و٠.٨ نقطة.. ولدت في ١٥.٣.١٩٨٥ وكان الراتب 1.500 دينار. "
         "تبدأ الساعة 10.30 ومدتها ١.٥ ساعة. سجل ٩.٥٨ ثانية عام 2009. ثم اعتزل."),
      ElementsAre("ارتفعت الأسعار ٣.٥ في المئة و2.7 و٣٫٥ و٠.٨ نقطة..",
                  "ولدت في ١٥.٣.١٩٨٥ وكان الراتب 1.500 دينار.", "تبدأ الساعة 10.30 ومدتها ١.٥ ساعة.",
                  "سجل ٩.٥٨ ثانية عام 2009.", "ثم اعتزل."));
  // A full stop glued to the next word after a number still ends the sentence.
  EXPECT_THAT(Ar("كان الإيجار ٧٥٠.والراتب 1.500.."), ElementsAre("كان الإيجار ٧٥٠.", "والراتب 1.500.."));
}

TEST(SentenceSegmenter, ArabicTitlesAfterTheConjunctionWa) {
  EXPECT_THAT(Ar("شارك في الندوة أ. منى ود. رامي وم. هالة. ثم انتهت."),
              ElementsAre("شارك في الندوة أ. منى ود. رامي وم. هالة.", "ثم انتهت."));
  // A two-letter word is not an abbreviation.
  EXPECT_THAT(Ar("قلت لا. ثم ذهبت."), ElementsAre("قلت لا.", "ثم ذهبت."));
}

TEST(SentenceSegmenter, LatinWordsUrlsEmailsAndVersionsInArabic) {
  EXPECT_THAT(
      Ar("اشتريت iPhone 15 الأسبوع الماضي.. قال لي Dr. Smith إن المشكلة في البطارية وأكد Mr. Brown ذلك. "
         "نستخدم Python 3.12 والإصدار v1.2.3 فيه خطأ، حدّثوا إلى v1.2.4 من فضلكم. الملف config.yaml في "
         "المجلد. زوروا www.example.com أو راسلونا على info@example.org أو https://docs.example.net/ar/"
         "guide.html اليوم. جربوا Node.js فهو مجاني!"),
      ElementsAre("اشتريت iPhone 15 الأسبوع الماضي..",
                  "قال لي Dr. Smith إن المشكلة في البطارية وأكد Mr. Brown ذلك.",
                  "نستخدم Python 3.12 والإصدار v1.2.3 فيه خطأ، حدّثوا إلى v1.2.4 من فضلكم.",
                  "الملف config.yaml في المجلد.",
                  "زوروا www.example.com أو راسلونا على info@example.org أو "
                  "https://docs.example.net/ar/guide.html اليوم.",
                  "جربوا Node.js فهو مجاني!"));
}

// The informal fixtures of the segmentation benchmark
// (tests/bench/segmentation/informal.{ar,en}.txt, format described there):
// boundary F1 against their gold, the same figure segmentation_eval.py
// reports, checked here without ../shared. The few misses are printed.
double FixtureF1(Language lang, const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    ADD_FAILURE() << "cannot read " << path;
    return 0;
  }
  struct Doc {
    std::string name;
    std::vector<std::vector<std::string>> paras;
  };
  std::vector<Doc> docs;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind('#', 0) == 0) continue;
    if (line.rfind("=== ", 0) == 0) {
      docs.push_back({line.substr(4), {{}}});
    } else if (line.find_first_not_of(" \t") == std::string::npos) {
      if (!docs.empty() && !docs.back().paras.back().empty()) docs.back().paras.emplace_back();
    } else if (!docs.empty()) {
      docs.back().paras.back().push_back(line);
    }
  }
  auto seg = SentenceSegmenter::Create(lang);
  EXPECT_TRUE(seg.ok());
  // Boundaries as offsets in the text with whitespace removed.
  auto ends = [](const std::vector<std::string>& sentences) {
    std::set<size_t> out;
    size_t pos = 0;
    for (const std::string& s : sentences) {
      for (char c : s) pos += (c != ' ' && c != '\n' && c != '\t' && c != '\r');
      out.insert(pos);
    }
    return out;
  };
  size_t tp = 0, n_test = 0, n_gold = 0;
  for (const Doc& doc : docs) {
    std::string text;
    std::vector<std::string> gold;
    for (const auto& para : doc.paras) {
      if (para.empty()) continue;
      if (!text.empty()) text += "\n\n";
      bool first = true;
      for (std::string s : para) {
        const bool glued = s[0] == '+';
        if (glued) s.erase(0, 1);
        if (!first && !glued) text += ' ';
        text += s;
        gold.push_back(s);
        first = false;
      }
    }
    absl::StatusOr<std::vector<TextSpan>> spans = (*seg)->Split(text);
    EXPECT_TRUE(spans.ok());
    ExpectLossless(text, *spans);
    std::vector<std::string> test;
    for (const TextSpan& s : *spans) test.emplace_back(s.In(text));
    const std::set<size_t> g = ends(gold), t = ends(test);
    for (size_t b : t) tp += g.count(b);
    n_test += t.size();
    n_gold += g.size();
    if (g != t) {
      std::ostringstream got;
      for (const std::string& s : test) got << "\n  | " << s;
      std::cout << "[fixture " << doc.name << "] segmented as:" << got.str() << "\n";
    }
  }
  const double p = n_test ? static_cast<double>(tp) / n_test : 0,
               r = n_gold ? static_cast<double>(tp) / n_gold : 0;
  return p + r > 0 ? 2 * p * r / (p + r) : 0;
}

TEST(SentenceSegmenter, InformalFixturesKeepTheirF1) {
  const char* src = std::getenv("QANTARA_SOURCE_DIR");
  if (src == nullptr) GTEST_SKIP() << "QANTARA_SOURCE_DIR not set (run through ctest)";
  const std::string dir = std::string(src) + "/tests/bench/segmentation/";
  // Today's figures (ar 0.9908, en 0.9922) less a small margin.
  EXPECT_GE(FixtureF1(Language::kArabic, dir + "informal.ar.txt"), 0.985);
  EXPECT_GE(FixtureF1(Language::kEnglish, dir + "informal.en.txt"), 0.985);
}

TEST(SentenceSegmenter, KeepEmptyGivesOneEmptySpanPerBlankLine) {
  auto seg = SentenceSegmenter::Create(Language::kEnglish);
  ASSERT_TRUE(seg.ok());
  const std::string text = "\nTitle\n\nOne. Two.\r\n  \r\n\nEnd.\n\n";
  SplitOptions keep;
  keep.keep_empty = true;
  absl::StatusOr<std::vector<TextSpan>> spans = (*seg)->Split(text, keep);
  ASSERT_TRUE(spans.ok());
  std::vector<std::string> got;
  for (const TextSpan& s : *spans) {
    got.emplace_back(s.In(text));
    if (s.byte_begin == s.byte_end) {
      EXPECT_TRUE(s.byte_begin == 0 || text[s.byte_begin - 1] == '\n') << s.byte_begin;
    }
  }
  EXPECT_THAT(got, ElementsAre("", "Title", "", "One.", "Two.", "", "", "End.", ""));
  // Without the option the same text has no empty spans.
  EXPECT_THAT(En(text), ElementsAre("Title", "One.", "Two.", "End."));
}

TEST(SentenceSegmenter, UserSrxExtendsOrReplacesBuiltinRules) {
  const std::string srx =
      "<srx xmlns=\"http://www.lisa.org/srx20\" version=\"2.0\"><header cascade=\"yes\"/><body>"
      "<languagerules><languagerule languagerulename=\"mine\">"
      "<rule break=\"no\"><beforebreak>\\bInc\\.</beforebreak><afterbreak>\\s</afterbreak></rule>"
      "<rule break=\"yes\"><beforebreak>;</beforebreak><afterbreak>\\s</afterbreak></rule>"
      "</languagerule></languagerules><maprules>"
      "<languagemap languagepattern=\"en.*\" languagerulename=\"mine\"/></maprules></body></srx>";
  const std::string text = "Apple Inc. Chief Tim Cook spoke; Mr. Li listened.";
  SegmenterOptions options;
  options.language = Language::kEnglish;
  options.srx = srx;
  auto extended = SentenceSegmenter::Create(options);
  ASSERT_TRUE(extended.ok()) << extended.status();
  auto spans = (*extended)->Split(text);
  ASSERT_TRUE(spans.ok());
  ExpectLossless(text, *spans);
  ASSERT_EQ(spans->size(), 2u);
  EXPECT_EQ((*spans)[0].In(text), "Apple Inc. Chief Tim Cook spoke;");
  EXPECT_EQ((*spans)[1].In(text), "Mr. Li listened.");

  options.srx_mode = SegmenterOptions::SrxMode::kReplace;  // ICU then splits after "Mr."
  auto replaced = SentenceSegmenter::Create(options);
  ASSERT_TRUE(replaced.ok());
  spans = (*replaced)->Split(text);
  ASSERT_TRUE(spans.ok());
  ASSERT_EQ(spans->size(), 3u);
  EXPECT_EQ((*spans)[1].In(text), "Mr.");

  // A user's SRX does not apply to a language it does not map.
  options.language = Language::kArabic;
  options.srx_mode = SegmenterOptions::SrxMode::kExtend;
  auto arabic = SentenceSegmenter::Create(options);
  ASSERT_TRUE(arabic.ok());
  EXPECT_EQ((*arabic)->Split("أ; ب.")->size(), 1u);
}

TEST(SentenceSegmenter, InvalidUserSrxIsAClearErrorWithLine) {
  SegmenterOptions options;
  options.srx = "<srx>\n<body>\n<languagerules>\n<oops/>";
  auto seg = SentenceSegmenter::Create(options);
  ASSERT_FALSE(seg.ok());
  EXPECT_EQ(seg.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(seg.status().message()), ::testing::HasSubstr("SRX line 4"));
}

TEST(SentenceSegmenter, RunawayUserRuleFailsInsteadOfHanging) {
  SegmenterOptions options;
  options.srx =
      "<srx><header cascade=\"yes\"/><body><languagerules><languagerule languagerulename=\"x\">"
      "<rule><beforebreak>(a+)+b</beforebreak></rule></languagerule></languagerules><maprules>"
      "<languagemap languagepattern=\".*\" languagerulename=\"x\"/></maprules></body></srx>";
  auto seg = SentenceSegmenter::Create(options);
  ASSERT_TRUE(seg.ok()) << seg.status();
  auto spans = (*seg)->Split(std::string(64, 'a'));
  ASSERT_FALSE(spans.ok());
  EXPECT_EQ(spans.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(spans.status().message()), ::testing::HasSubstr("line 1"));
}

TEST(SentenceSegmenter, OneInstanceSplitsFromManyThreads) {
  auto seg = SentenceSegmenter::Create(Language::kArabic);
  ASSERT_TRUE(seg.ok());
  const std::string text = "التقى د. سامي بالوزير. \"هل أنتم مستعدون؟\" تساءلت. Mr. Li left.\n\nEnd";
  const std::vector<TextSpan> expected = *(*seg)->Split(text);
  ASSERT_EQ(expected.size(), 4u);
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        absl::StatusOr<std::vector<TextSpan>> got = (*seg)->Split(text);
        if (!got.ok() || *got != expected) ++mismatches;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(SentenceSegmenter, TenMegabyteInputKeepsTheContract) {
  std::string text;
  const std::string para =
      "أعلنت الوزارة أن د. سامي سيزور المدينة يوم ٣ آذار. وقال Mr. Lee إن النمو بلغ 3.5%!\n\n"
      "\"هل يكفي ذلك؟\" تساءل المحلل. Headline without a stop\n";
  while (text.size() < 10 * 1024 * 1024) text += para;
  auto seg = SentenceSegmenter::Create(Language::kArabic);
  ASSERT_TRUE(seg.ok());
  absl::StatusOr<std::vector<TextSpan>> spans = (*seg)->Split(text);
  ASSERT_TRUE(spans.ok()) << spans.status();
  const size_t reps = text.size() / para.size();
  EXPECT_EQ(spans->size(), 4 * reps);
  // Spot-check the contract at the end, where offsets accumulate.
  const TextSpan& last = spans->back();
  EXPECT_EQ(last.In(text), "Headline without a stop");
  EXPECT_EQ(last.char_end, CountCodePoints(text.substr(0, last.byte_end)));
  EXPECT_EQ(last.byte_end, text.size() - 1);
}

}  // namespace
}  // namespace qantara::text
