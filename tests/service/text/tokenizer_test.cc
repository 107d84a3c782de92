// The tokenizer: Arabic and English words, normalised keys, numbers, punctuation,
// placeholders, tags, URLs, offsets, invalid UTF-8, clitics and stemming.
#include "service/text/tokenizer.h"

#include <atomic>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/text/arabic_clitics.h"
#include "service/text/special_spans.h"
#include "service/text/stemmer.h"
#include "service/text/utf8.h"

namespace qantara::text {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

std::unique_ptr<Tokenizer> Make(Language lang = Language::kArabic, bool clitics = false, bool stem = false) {
  TokenizerOptions o;
  o.language = lang;
  o.split_clitics = clitics;
  o.stem = stem;
  auto t = Tokenizer::Create(o);
  EXPECT_TRUE(t.ok()) << t.status();
  return *std::move(t);
}

// Every token's span is in the text, ordered, non-overlapping, never
// whitespace, and its code-point offsets agree with its byte offsets.
void ExpectSpansValid(std::string_view text, const std::vector<Token>& tokens) {
  size_t prev_end = 0;
  for (const Token& t : tokens) {
    EXPECT_LE(prev_end, t.span.byte_begin);
    EXPECT_LT(t.span.byte_begin, t.span.byte_end);
    EXPECT_LE(t.span.byte_end, text.size());
    EXPECT_EQ(t.span.char_begin, CountCodePoints(text.substr(0, t.span.byte_begin)));
    EXPECT_EQ(t.span.char_end, CountCodePoints(text.substr(0, t.span.byte_end)));
    const std::string_view s = t.span.In(text);
    if (t.cls != TokenClass::kPlaceholder && t.cls != TokenClass::kTag) {
      EXPECT_EQ(s.find_first_of(" \t\n\r"), std::string_view::npos) << "token '" << s << "' holds whitespace";
    }
    prev_end = t.span.byte_end;
  }
}

// (surface text, class name) of each token.
std::vector<std::pair<std::string, std::string>> Surface(std::string_view text,
                                                         Language lang = Language::kArabic) {
  auto tokens = Make(lang)->Tokenize(text);
  EXPECT_TRUE(tokens.ok()) << tokens.status();
  ExpectSpansValid(text, *tokens);
  std::vector<std::pair<std::string, std::string>> out;
  for (const Token& t : *tokens) {
    out.emplace_back(std::string(t.span.In(text)), std::string(TokenClassName(t.cls)));
  }
  return out;
}

std::vector<std::string> Norms(std::string_view text, Language lang = Language::kArabic) {
  auto tokens = Make(lang)->Tokenize(text);
  EXPECT_TRUE(tokens.ok()) << tokens.status();
  std::vector<std::string> out;
  for (const Token& t : *tokens) out.push_back(t.norm);
  return out;
}

TEST(Tokenizer, ArabicWordsAndPunctuation) {
  EXPECT_THAT(Surface("ذهب الولد إلى المدرسة، ثم عاد؟"),
              ElementsAre(Pair("ذهب", "word"), Pair("الولد", "word"), Pair("إلى", "word"),
                          Pair("المدرسة", "word"), Pair("،", "punctuation"), Pair("ثم", "word"),
                          Pair("عاد", "word"), Pair("؟", "punctuation")));
}

TEST(Tokenizer, NormalisedFormIsTheKeyOfEachToken) {
  EXPECT_THAT(Norms("أَحْمَدُ في المدرسةِ ٢٠٢٤ Hello"), ElementsAre("احمد", "في", "المدرسه", "2024", "hello"));
}

TEST(Tokenizer, NumbersInBothScriptsWithSeparators) {
  EXPECT_THAT(Surface("دفع ١٬٠٠٠ دينار و3.5 كغ و٣٫٥ و1,234.56", Language::kArabic),
              ElementsAre(Pair("دفع", "word"), Pair("١٬٠٠٠", "number"), Pair("دينار", "word"),
                          Pair("و", "word"), Pair("3.5", "number"), Pair("كغ", "word"), Pair("و", "word"),
                          Pair("٣٫٥", "number"), Pair("و", "word"), Pair("1,234.56", "number")));
  // Only a single proclitic letter is split off a number; other letter-digit
  // mixes stay one word.
  EXPECT_THAT(Surface("كوفيد19 ب٥٠ ل2024 3rd A4", Language::kArabic),
              ElementsAre(Pair("كوفيد19", "word"), Pair("ب", "word"), Pair("٥٠", "number"), Pair("ل", "word"),
                          Pair("2024", "number"), Pair("3rd", "word"), Pair("A4", "word")));
  EXPECT_THAT(
      Surface("pay 1,000 or ١٬٠٠٠ or ٣٫٥ (3.5%)", Language::kEnglish),
      ElementsAre(Pair("pay", "word"), Pair("1,000", "number"), Pair("or", "word"), Pair("١٬٠٠٠", "number"),
                  Pair("or", "word"), Pair("٣٫٥", "number"), Pair("(", "punctuation"), Pair("3.5", "number"),
                  Pair("%", "symbol"), Pair(")", "punctuation")));
  EXPECT_THAT(Norms("١٬٠٠٠ 1,000 ٣٫٥", Language::kEnglish), ElementsAre("1,000", "1,000", "3.5"));
}

TEST(Tokenizer, PunctuationAndSymbols) {
  EXPECT_THAT(
      Surface("Price: $15 + 10% = “cheap” — really!", Language::kEnglish),
      ElementsAre(Pair("Price", "word"), Pair(":", "punctuation"), Pair("$", "symbol"), Pair("15", "number"),
                  Pair("+", "symbol"), Pair("10", "number"), Pair("%", "symbol"), Pair("=", "symbol"),
                  Pair("“", "punctuation"), Pair("cheap", "word"), Pair("”", "punctuation"),
                  Pair("—", "punctuation"), Pair("really", "word"), Pair("!", "punctuation")));
  EXPECT_THAT(Norms("“cheap” — ©", Language::kEnglish), ElementsAre("\"", "cheap", "\"", "-", "©"));
}

TEST(Tokenizer, ApostrophesAndHyphensInsideWords) {
  EXPECT_THAT(Surface("don't use a well-known state-of-the-art tool -- ok", Language::kEnglish),
              ElementsAre(Pair("don't", "word"), Pair("use", "word"), Pair("a", "word"),
                          Pair("well-known", "word"), Pair("state-of-the-art", "word"), Pair("tool", "word"),
                          Pair("-", "punctuation"), Pair("-", "punctuation"), Pair("ok", "word")));
}

TEST(Tokenizer, Placeholders) {
  EXPECT_THAT(
      Surface("Delete %s files? %d of %1$s {0} {name} %(count)d %5.2f %@ %1 {{user}} ${path} "
              "{n, plural, one {# file} other {# files}}",
              Language::kEnglish),
      ElementsAre(Pair("Delete", "word"), Pair("%s", "placeholder"), Pair("files", "word"),
                  Pair("?", "punctuation"), Pair("%d", "placeholder"), Pair("of", "word"),
                  Pair("%1$s", "placeholder"), Pair("{0}", "placeholder"), Pair("{name}", "placeholder"),
                  Pair("%(count)d", "placeholder"), Pair("%5.2f", "placeholder"), Pair("%@", "placeholder"),
                  Pair("%1", "placeholder"), Pair("{{user}}", "placeholder"), Pair("${path}", "placeholder"),
                  Pair("{n, plural, one {# file} other {# files}}", "placeholder")));
  // Placeholders glued to Arabic words, and prose percent signs.
  EXPECT_THAT(Surface("حذف %sملفات {0}؟ خصم 50% و100%% "),
              ElementsAre(Pair("حذف", "word"), Pair("%s", "placeholder"), Pair("ملفات", "word"),
                          Pair("{0}", "placeholder"), Pair("؟", "punctuation"), Pair("خصم", "word"),
                          Pair("50", "number"), Pair("%", "symbol"), Pair("و", "word"), Pair("100", "number"),
                          Pair("%", "symbol"), Pair("%", "symbol")));
  // LibreOffice and shell styles; dollar amounts stay numbers, and so does a
  // bare $1 (a price as often as LibreOffice's positional placeholder).
  EXPECT_THAT(
      Surface("Start %PRODUCTNAME in $(ARG1) as $USER: style $1, not $2 billion or $25 "
              "or $3.50 or 50%OFF or %Product",
              Language::kEnglish),
      ElementsAre(Pair("Start", "word"), Pair("%PRODUCTNAME", "placeholder"), Pair("in", "word"),
                  Pair("$(ARG1)", "placeholder"), Pair("as", "word"), Pair("$USER", "placeholder"),
                  Pair(":", "punctuation"), Pair("style", "word"), Pair("$", "symbol"), Pair("1", "number"),
                  Pair(",", "punctuation"), Pair("not", "word"), Pair("$", "symbol"), Pair("2", "number"),
                  Pair("billion", "word"), Pair("or", "word"), Pair("$", "symbol"), Pair("25", "number"),
                  Pair("or", "word"), Pair("$", "symbol"), Pair("3.50", "number"), Pair("or", "word"),
                  Pair("50", "number"), Pair("%", "symbol"), Pair("OFF", "word"), Pair("or", "word"),
                  Pair("%", "symbol"), Pair("Product", "word")));
  EXPECT_THAT(Surface("حجم %DPIX% × %DPIY% للملف \"$file$\" في %{link}"),
              ElementsAre(Pair("حجم", "word"), Pair("%DPIX%", "placeholder"), Pair("×", "symbol"),
                          Pair("%DPIY%", "placeholder"), Pair("للملف", "word"), Pair("\"", "punctuation"),
                          Pair("$file$", "placeholder"), Pair("\"", "punctuation"), Pair("في", "word"),
                          Pair("%{link}", "placeholder")));
  // $1..$9 is a placeholder only where it cannot be money: closed by $ or
  // enclosed in quotes or brackets.
  EXPECT_THAT(Surface("No $1$ exists. The file '$1' or \"$2\" in [$3] or “$4” costs $5 each, $6.",
                      Language::kEnglish),
              ElementsAre(Pair("No", "word"), Pair("$1$", "placeholder"), Pair("exists", "word"),
                          Pair(".", "punctuation"), Pair("The", "word"), Pair("file", "word"),
                          Pair("'", "punctuation"), Pair("$1", "placeholder"), Pair("'", "punctuation"),
                          Pair("or", "word"), Pair("\"", "punctuation"), Pair("$2", "placeholder"),
                          Pair("\"", "punctuation"), Pair("in", "word"), Pair("[", "punctuation"),
                          Pair("$3", "placeholder"), Pair("]", "punctuation"), Pair("or", "word"),
                          Pair("“", "punctuation"), Pair("$4", "placeholder"), Pair("”", "punctuation"),
                          Pair("costs", "word"), Pair("$", "symbol"), Pair("5", "number"),
                          Pair("each", "word"), Pair(",", "punctuation"), Pair("$", "symbol"),
                          Pair("6", "number"), Pair(".", "punctuation")));
  EXPECT_THAT(Surface("السعر $5 فقط"), ElementsAre(Pair("السعر", "word"), Pair("$", "symbol"),
                                                   Pair("5", "number"), Pair("فقط", "word")));
  // Positional placeholders localised with Arabic-Indic digits are the same
  // placeholder as their ASCII form.
  EXPECT_THAT(Surface("تم حذف %١ من %٢$s ملفات"),
              ElementsAre(Pair("تم", "word"), Pair("حذف", "word"), Pair("%١", "placeholder"),
                          Pair("من", "word"), Pair("%٢$s", "placeholder"), Pair("ملفات", "word")));
  EXPECT_EQ(Norms("%١ %۲$s"), (std::vector<std::string>{"%1", "%2$s"}));
  EXPECT_EQ(Norms("%١"), Norms("%1"));
  EXPECT_THAT(Surface("50% off", Language::kEnglish),
              ElementsAre(Pair("50", "number"), Pair("%", "symbol"), Pair("off", "word")));
}

TEST(Tokenizer, InlineTagsAndEntities) {
  EXPECT_THAT(Surface("اضغط <b>حفظ</b> ثم <x id=\"1\"/> و<g id='2' ctype=\"x-bold\">نعم</g> &amp; &#1234;"),
              ElementsAre(Pair("اضغط", "word"), Pair("<b>", "tag"), Pair("حفظ", "word"), Pair("</b>", "tag"),
                          Pair("ثم", "word"), Pair("<x id=\"1\"/>", "tag"), Pair("و", "word"),
                          Pair("<g id='2' ctype=\"x-bold\">", "tag"), Pair("نعم", "word"),
                          Pair("</g>", "tag"), Pair("&amp;", "tag"), Pair("&#1234;", "tag")));
  // Comparisons in prose are not tags.
  EXPECT_THAT(Surface("if x<y and y>z", Language::kEnglish),
              ElementsAre(Pair("if", "word"), Pair("x", "word"), Pair("<", "symbol"), Pair("y", "word"),
                          Pair("and", "word"), Pair("y", "word"), Pair(">", "symbol"), Pair("z", "word")));
}

TEST(Tokenizer, UrlsAndEmails) {
  EXPECT_THAT(Surface("زوروا https://example.com/ar/page?id=5&x=1، أو www.qantara.org. راسلونا: "
                      "info.team@mail.example.com."),
              ElementsAre(Pair("زوروا", "word"), Pair("https://example.com/ar/page?id=5&x=1", "url"),
                          Pair("،", "punctuation"), Pair("أو", "word"), Pair("www.qantara.org", "url"),
                          Pair(".", "punctuation"), Pair("راسلونا", "word"), Pair(":", "punctuation"),
                          Pair("info.team@mail.example.com", "email"), Pair(".", "punctuation")));
  EXPECT_THAT(Surface("(see http://en.wikipedia.org/wiki/Foo_(bar)) or a@b", Language::kEnglish),
              ElementsAre(Pair("(", "punctuation"), Pair("see", "word"),
                          Pair("http://en.wikipedia.org/wiki/Foo_(bar)", "url"), Pair(")", "punctuation"),
                          Pair("or", "word"), Pair("a@b", "word")));
}

TEST(Tokenizer, WhitespaceAndMarksAreNeverTokens) {
  EXPECT_TRUE(Make()->Tokenize("")->empty());
  EXPECT_TRUE(Make()->Tokenize(" \t\n\u00A0\u3000 \u200F ")->empty());
  // A bidi mark inside a word stays in its span but not in its key.
  const std::string text = "\u200Fمرحبا\u200E world";
  auto tokens = Make()->Tokenize(text);
  ASSERT_TRUE(tokens.ok());
  ExpectSpansValid(text, *tokens);
  ASSERT_EQ(tokens->size(), 2u);
  EXPECT_EQ((*tokens)[0].norm, "مرحبا");
  EXPECT_EQ((*tokens)[1].norm, "world");
}

TEST(Tokenizer, MixedScriptsAndOffsets) {
  const std::string text = "نظام Linux الإصدار ٥ (Version 5) 😀 يعمل";
  auto tokens = Make()->Tokenize(text);
  ASSERT_TRUE(tokens.ok());
  ExpectSpansValid(text, *tokens);
  std::vector<std::string> surface;
  for (const Token& t : *tokens) surface.emplace_back(t.span.In(text));
  EXPECT_THAT(surface, ElementsAre("نظام", "Linux", "الإصدار", "٥", "(", "Version", "5", ")", "😀", "يعمل"));
  EXPECT_EQ((*tokens)[1].span.char_begin, 5u);
  EXPECT_EQ((*tokens)[1].span.byte_begin, 9u);
  EXPECT_EQ((*tokens)[8].cls, TokenClass::kSymbol);
}

TEST(Tokenizer, DiacritisedAndTatweelWordsKeepWholeSpans) {
  const std::string text = "الطَّالِبُ كـــتـــاب";
  auto tokens = Make()->Tokenize(text);
  ASSERT_TRUE(tokens.ok());
  ASSERT_EQ(tokens->size(), 2u);
  EXPECT_EQ((*tokens)[0].span.In(text), "الطَّالِبُ");
  EXPECT_EQ((*tokens)[0].norm, "الطالب");
  EXPECT_EQ((*tokens)[1].span.In(text), "كـــتـــاب");
  EXPECT_EQ((*tokens)[1].norm, "كتاب");
}

TEST(Tokenizer, InvalidUtf8IsAClearError) {
  auto r = Make()->Tokenize("abc \xD9");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(r.status().message()).find("invalid UTF-8 at byte offset 4"), std::string::npos);
}

TEST(Tokenizer, CliticSplittingIsOptionalAndConservative) {
  auto tok = Make(Language::kArabic, /*clitics=*/true);
  const std::string text = "والكتاب بالمدرسة للطلاب الكتاب فالأمر وزير الذي والد كتاب لله Book";
  auto tokens = tok->Tokenize(text);
  ASSERT_TRUE(tokens.ok());
  ASSERT_EQ(tokens->size(), 11u);
  auto split = [&](size_t i) {
    std::string s;
    for (const std::string& p : (*tokens)[i].proclitics) s += p + "+";
    return s + (*tokens)[i].base;
  };
  EXPECT_EQ(split(0), "و+ال+كتاب");
  EXPECT_EQ(split(1), "ب+ال+مدرسه");
  EXPECT_EQ(split(2), "ل+ال+طلاب");
  EXPECT_EQ(split(3), "ال+كتاب");
  EXPECT_EQ(split(4), "ف+ال+امر");
  EXPECT_EQ(split(5), "");  // وزير: و is part of the word
  EXPECT_EQ(split(6), "");  // الذي
  EXPECT_EQ(split(7), "");  // والد: base would be one letter
  EXPECT_EQ(split(8), "");
  EXPECT_EQ(split(9), "");  // لله
  EXPECT_EQ(split(10), "");
  // Off by default.
  auto plain = Make()->Tokenize(text);
  ASSERT_TRUE(plain.ok());
  for (const Token& t : *plain) {
    EXPECT_TRUE(t.proclitics.empty());
    EXPECT_TRUE(t.base.empty());
  }
}

TEST(ArabicClitics, Patterns) {
  CliticSplit s;
  EXPECT_TRUE(SplitArabicClitics("وبالتالي", &s));
  EXPECT_THAT(s.proclitics, ElementsAre("و", "ب", "ال"));
  EXPECT_EQ(s.base, "تالي");
  EXPECT_TRUE(SplitArabicClitics("كالعاده", &s));
  EXPECT_THAT(s.proclitics, ElementsAre("ك", "ال"));
  EXPECT_TRUE(SplitArabicClitics("الحب", &s));  // bare article: 2-letter base is fine
  EXPECT_EQ(s.base, "حب");
  EXPECT_FALSE(SplitArabicClitics("والحب", &s));  // after و the base needs 3 letters
  for (std::string_view w :
       {"الي", "الا", "اليه", "الله", "التي", "الان", "ال", "بال", "و", "", "الب", "ال5", "الcat", "والذي"}) {
    EXPECT_FALSE(SplitArabicClitics(w, &s)) << w;
  }
}

TEST(Tokenizer, StemmingArabicAndEnglish) {
  auto en = Make(Language::kEnglish, false, /*stem=*/true)->Tokenize("Running runners ran 42");
  ASSERT_TRUE(en.ok());
  ASSERT_EQ(en->size(), 4u);
  EXPECT_EQ((*en)[0].stem, "run");
  EXPECT_EQ((*en)[1].stem, "runner");
  EXPECT_EQ((*en)[3].stem, "");  // numbers are not stemmed
  auto ar = Make(Language::kArabic, false, true)->Tokenize("والمكتبات المكتبة");
  ASSERT_TRUE(ar.ok());
  ASSERT_EQ(ar->size(), 2u);
  EXPECT_FALSE((*ar)[0].stem.empty());
  EXPECT_LT((*ar)[0].stem.size(), (*ar)[0].norm.size());
  EXPECT_EQ((*ar)[0].stem, "مكتب");
  EXPECT_EQ((*ar)[1].stem, "مكتب");
  // Stems follow the key's rules: ة → ه after stemming.
  auto ar2 = Make(Language::kArabic, false, true)->Tokenize("بالمدرسة مستشفى");
  ASSERT_TRUE(ar2.ok());
  EXPECT_EQ((*ar2)[0].stem, "مدرس");
  EXPECT_EQ((*ar2)[1].stem, "مستشفي");
  // No stems unless asked.
  EXPECT_EQ((*Make(Language::kEnglish)->Tokenize("running"))[0].stem, "");
}

TEST(Stemmer, ThreadSafeAndDirect) {
  auto st = Stemmer::Create(Language::kEnglish);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ((*st)->Stem("connections"), "connect");
  EXPECT_EQ((*st)->Stem(""), "");
  std::vector<std::thread> threads;
  std::atomic<int> bad{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        if ((*st)->Stem("generously") != "generous") ++bad;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(bad.load(), 0);
}

// Snowball's Arabic stemmer is quadratic in a word's length: a client's
// 1 MB "word" must not reach it.
TEST(Stemmer, OverlongWordsAreNotStemmed) {
  auto ar = Stemmer::Create(Language::kArabic);
  ASSERT_TRUE(ar.ok());
  EXPECT_EQ((*ar)->Stem("المدرسون"), "مدرس");
  std::string word;
  while (word.size() <= Stemmer::kMaxStemBytes) word += "المدرسون";
  EXPECT_EQ((*ar)->Stem(word), word);
  const std::string huge(1 << 20, 'k');
  EXPECT_EQ((*ar)->Stem(huge), huge);
}

TEST(Tokenizer, NormalisationRulesFollowTheOptions) {
  TokenizerOptions o;
  o.language = Language::kArabic;
  o.normalization = NormalizationOptions::None();
  auto t = Tokenizer::Create(o);
  ASSERT_TRUE(t.ok());
  auto tokens = (*t)->Tokenize("أَحْمَد Hello");
  ASSERT_TRUE(tokens.ok());
  ASSERT_EQ(tokens->size(), 2u);
  EXPECT_EQ((*tokens)[0].norm, "أَحْمَد");
  EXPECT_EQ((*tokens)[1].norm, "Hello");
  EXPECT_EQ((*t)->options().normalization.Bits(), 0u);
}

TEST(Tokenizer, TenMegabyteInput) {
  const std::string unit = "قالَ المسؤولُ إنّ الاجتماعَ سيُعقد في ٢٠٢٤، انظر https://x.org/a و{0} <b>هنا</b>. ";
  std::string big;
  while (big.size() < 10 * 1024 * 1024) big += unit;
  auto tok = Make();
  auto small = tok->Tokenize(unit);
  ASSERT_TRUE(small.ok());
  auto tokens = tok->Tokenize(big);
  ASSERT_TRUE(tokens.ok());
  const size_t copies = big.size() / unit.size();
  ASSERT_EQ(tokens->size(), small->size() * copies);
  const Token& last = tokens->back();
  EXPECT_EQ(last.span.byte_end, big.size() - 1);
  EXPECT_EQ(last.span.char_end, CountCodePoints(big) - 1);
  EXPECT_EQ(last.norm, small->back().norm);
  for (size_t i = 0; i < small->size(); ++i) {
    const Token& a = (*small)[i];
    const Token& b = (*tokens)[tokens->size() - small->size() + i];
    EXPECT_EQ(a.cls, b.cls);
    EXPECT_EQ(a.norm, b.norm);
    EXPECT_EQ(a.span.byte_end - a.span.byte_begin, b.span.byte_end - b.span.byte_begin);
  }
}

TEST(SpecialSpans, TruncatedAndMalformedInputsAreNotSpecial) {
  for (std::string_view s :
       {"<",   "<b",     "<a href=", "<a href=\"x", "</b x>",     "<1>",   "{",
        "{0",  "{}",     "{{x",      "%",           "%%",         "%(x",   "%(x)",
        "%1$", "&",      "&amp",     "&#;",         "&#x;",       "$",     "${",
        "${x", "$(x",    "http://",  "www.",        "www. x",     "a@b.c", "@example.com",
        "a@",  "a@.com", "x@y..com", "<<<>>>",      "%PRODUCT x", "$Name"}) {
    std::vector<SpecialSpan> spans = FindSpecialSpans(s);
    if (s == "%PRODUCT x") {
      ASSERT_EQ(spans.size(), 1u);
      EXPECT_EQ(spans[0].end, 8u);
      continue;
    }
    EXPECT_TRUE(spans.empty()) << s << " gave " << spans.size() << " span(s), first "
                               << (spans.empty() ? ""
                                                 : s.substr(spans[0].begin, spans[0].end - spans[0].begin));
  }
}

TEST(SpecialSpans, OrderedAndNonOverlapping) {
  const std::string text = "mail x.y@a.org, http://a.org/%s?q={0}&b=1 <b>%1$s</b> {{n}} a@b.org@c.org &lt;";
  std::vector<SpecialSpan> spans = FindSpecialSpans(text);
  std::vector<std::string> got;
  size_t prev = 0;
  for (const SpecialSpan& s : spans) {
    EXPECT_LE(prev, s.begin);
    EXPECT_LT(s.begin, s.end);
    prev = s.end;
    got.push_back(text.substr(s.begin, s.end - s.begin));
  }
  EXPECT_THAT(got, ElementsAre("x.y@a.org", "http://a.org/%s?q=", "{0}", "<b>", "%1$s", "</b>", "{{n}}",
                               "a@b.org", "&lt;"));
}

// Random mixes of the characters the scanner and the rules care about keep
// every invariant (and run clean under ASan/UBSan: -DQANTARA_SANITIZE=ON).
TEST(Tokenizer, RandomInputsKeepInvariants) {
  static const char* kPieces[] = {
      "<",      ">",      "b",      "%",       "s",      "{",       "}", "0", "$", "(",      ")",
      "@",      ".",      "com",    "http://", "www.",   "ا",       "ل", "و", "ب", "\u064E", "\u0651",
      "\u0640", "\u200F", " ",      "\n",      "٣",      "٫",       "-", "&", ";", "amp",    "\"",
      "'",      "x",      "=",      "/",       "\uFEFB", "e\u0301", "😀", "ß", "A", "1",      "\u0654",
      "ة",      "ى",      "\u2019", "،",       "\t",     "#",       "_", ","};
  std::mt19937 rng(12345);
  auto tok = Make(Language::kArabic, /*clitics=*/true);
  auto norm = Normalizer::Create();
  ASSERT_TRUE(norm.ok());
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const int n = static_cast<int>(rng() % 40);
    for (int i = 0; i < n; ++i) text += kPieces[rng() % std::size(kPieces)];
    auto tokens = tok->Tokenize(text);
    ASSERT_TRUE(tokens.ok()) << text;
    size_t prev_end = 0;
    for (const Token& t : *tokens) {
      ASSERT_LE(prev_end, t.span.byte_begin) << text;
      ASSERT_LT(t.span.byte_begin, t.span.byte_end) << text;
      ASSERT_LE(t.span.byte_end, text.size()) << text;
      ASSERT_EQ(t.span.char_end, CountCodePoints(text.substr(0, t.span.byte_end))) << text;
      ASSERT_TRUE(ValidateUtf8(t.norm).ok()) << text;
      prev_end = t.span.byte_end;
    }
    auto key = (*norm)->Normalize(text);
    ASSERT_TRUE(key.ok());
    ASSERT_EQ(key->source_offsets.size(), key->text.size() + 1);
    ASSERT_TRUE(ValidateUtf8(key->text).ok()) << text;
    for (size_t i = 0; i + 1 < key->source_offsets.size(); ++i) {
      ASSERT_LE(key->source_offsets[i], key->source_offsets[i + 1]) << text;
      ASSERT_LT(key->source_offsets[i], text.size()) << text;
    }
  }
}

// TokenizeWord gives exactly the token that Tokenize gives for a one-token
// text, and nothing for other texts.
void ExpectTokenizeWordAgrees(const Tokenizer& tok, const std::string& w) {
  auto all = tok.Tokenize(w);
  auto one = tok.TokenizeWord(w);
  ASSERT_TRUE(all.ok() && one.ok()) << w;
  if (all->size() != 1) {
    EXPECT_FALSE(one->has_value()) << "'" << w << "' has " << all->size() << " tokens";
    return;
  }
  ASSERT_TRUE(one->has_value()) << w;
  const Token& a = all->front();
  const Token& b = **one;
  EXPECT_EQ(a.span, b.span) << w;
  EXPECT_EQ(a.cls, b.cls) << w;
  EXPECT_EQ(a.norm, b.norm) << w;
  EXPECT_EQ(a.stem, b.stem) << w;
  EXPECT_EQ(a.proclitics, b.proclitics) << w;
  EXPECT_EQ(a.base, b.base) << w;
}

TEST(Tokenizer, TokenizeWordAgreesWithTokenize) {
  const std::vector<std::string> words = {"",
                                          " ",
                                          "two words",
                                          "e.g.",
                                          "don't",
                                          "well-known",
                                          "و2024",
                                          "ب٥٠",
                                          "كوفيد19",
                                          "A4",
                                          "http://example.org",
                                          "name@example.com",
                                          "%s",
                                          "{0}",
                                          "<b>",
                                          "?",
                                          "\u061f",
                                          "١٬٠٠٠",
                                          "3.5",
                                          "\ufdfa",
                                          "\ufefb",
                                          "والكتاب",
                                          "بالبيت",
                                          "للطلاب",
                                          "الذي",
                                          "وصل",
                                          "قالَ",
                                          "مدرسةٌ",
                                          "Reports",
                                          "reported",
                                          "UNESCO",
                                          "\u00e9lan",
                                          " lead",
                                          "x\u064e",
                                          "\u064e",
                                          "\u200eword",
                                          "word\u00ad",
                                          "snake_case",
                                          "日本語",
                                          "@user",
                                          "x:y"};
  for (Language lang : {Language::kArabic, Language::kEnglish}) {
    for (bool stem : {false, true}) {
      auto tok = Make(lang, /*clitics=*/true, stem);
      for (const std::string& w : words) ExpectTokenizeWordAgrees(*tok, w);
      // Every token of a real sentence, as written and normalised.
      for (const std::string_view text :
           {"أعلنت الحكومةُ يوم الاثنين عن خطةٍ جديدة للمدارس، وقال الوزير إنها ستُطبّق في ٢٠٢٤.",
            "The Minister's plan, announced on Monday, costs $3.5m (about €3m) — see www.gov.uk."}) {
        auto tokens = tok->Tokenize(text);
        ASSERT_TRUE(tokens.ok());
        for (const Token& t : *tokens) {
          ExpectTokenizeWordAgrees(*tok, std::string(t.span.In(text)));
          ExpectTokenizeWordAgrees(*tok, t.norm);
        }
      }
    }
  }
  EXPECT_FALSE(Make()->TokenizeWord("\xff").ok());
}

TEST(Tokenizer, ScanReportsWhatTokenizeGives) {
  for (Language lang : {Language::kArabic, Language::kEnglish}) {
    auto tok = Make(lang);
    for (const std::string_view text :
         {"", "   ", "أعلنت الحكومةُ يوم الاثنين عن خطةٍ جديدة للمدارس، وقال الوزير إنها ستُطبّق في ٢٠٢٤.",
          "The Minister's plan (see www.gov.uk, %s or <b>{0}</b>) costs $3.5m — e.g. 1,000 \u00e9lans",
          "日本語 and ภาษาไทย mixed with و2024"}) {
      auto tokens = tok->Tokenize(text);
      ASSERT_TRUE(tokens.ok());
      std::vector<Token> scanned;
      ASSERT_TRUE(tok->Scan(text,
                            [&](const TokenView& v) {
                              Token t;
                              t.cls = v.cls;
                              t.span.byte_begin = v.byte_begin;
                              t.span.byte_end = v.byte_end;
                              t.norm = std::string(v.norm);
                              scanned.push_back(t);
                            })
                      .ok());
      ASSERT_EQ(scanned.size(), tokens->size()) << text;
      for (size_t k = 0; k < scanned.size(); ++k) {
        EXPECT_EQ(scanned[k].cls, (*tokens)[k].cls) << text;
        EXPECT_EQ(scanned[k].span.byte_begin, (*tokens)[k].span.byte_begin) << text;
        EXPECT_EQ(scanned[k].span.byte_end, (*tokens)[k].span.byte_end) << text;
        EXPECT_EQ(scanned[k].norm, (*tokens)[k].norm) << text;
      }
    }
    EXPECT_FALSE(tok->Scan("\xff", [](const TokenView&) {}).ok());
  }
}

TEST(Tokenizer, ClassNames) {
  EXPECT_EQ(TokenClassName(TokenClass::kWord), "word");
  EXPECT_EQ(TokenClassName(TokenClass::kNumber), "number");
  EXPECT_EQ(TokenClassName(TokenClass::kPunctuation), "punctuation");
  EXPECT_EQ(TokenClassName(TokenClass::kSymbol), "symbol");
  EXPECT_EQ(TokenClassName(TokenClass::kPlaceholder), "placeholder");
  EXPECT_EQ(TokenClassName(TokenClass::kTag), "tag");
  EXPECT_EQ(TokenClassName(TokenClass::kUrl), "url");
  EXPECT_EQ(TokenClassName(TokenClass::kEmail), "email");
}

}  // namespace
}  // namespace qantara::text
