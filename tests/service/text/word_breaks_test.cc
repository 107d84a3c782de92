// The fast word breaks agree with ICU (hand-picked, every accepted character,
// random and real text) and refuse what their reduced rules do not cover.
#include "service/text/word_breaks.h"

#include <cstdlib>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "unicode/brkiter.h"
#include "unicode/locid.h"
#include "unicode/utext.h"

namespace qantara::text {
namespace {

// What ICU's word BreakIterator (the reference) makes of `text`.
std::vector<WordPiece> IcuPieces(std::string_view text, const char* locale) {
  static icu::BreakIterator* const kIterators[2] = {
      [] {
        UErrorCode status = U_ZERO_ERROR;
        return icu::BreakIterator::createWordInstance(icu::Locale("ar"), status);
      }(),
      [] {
        UErrorCode status = U_ZERO_ERROR;
        return icu::BreakIterator::createWordInstance(icu::Locale("en"), status);
      }()};
  icu::BreakIterator* it = kIterators[std::string_view(locale) == "ar" ? 0 : 1];
  UErrorCode status = U_ZERO_ERROR;
  UText* ut = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status);
  it->setText(ut, status);
  std::vector<WordPiece> out;
  it->first();
  for (int32_t e = it->next(); e != icu::BreakIterator::DONE; e = it->next()) {
    out.push_back(WordPiece{e, it->getRuleStatus()});
  }
  utext_close(ut);
  return out;
}

std::string Show(const std::vector<WordPiece>& v) {
  std::string s;
  for (const WordPiece& p : v) s += std::to_string(p.end) + "/" + std::to_string(p.status) + " ";
  return s;
}

// When the fast rules accept `text`, they agree with ICU; returns whether they accepted it.
bool ExpectSameAsIcu(std::string_view text) {
  std::vector<WordPiece> fast;
  if (!FastWordBreaks(text, &fast)) return false;
  for (const char* locale : {"ar", "en"}) {
    const std::vector<WordPiece> icu = IcuPieces(text, locale);
    EXPECT_EQ(Show(fast), Show(icu)) << "locale " << locale << " text '" << text << "'";
  }
  return true;
}

TEST(FastWordBreaksTest, AgreesWithIcuOnHandPickedText) {
  for (const char* t : {
           "",
           " ",
           "a",
           "The Reports were published.",
           "don't stop: e.g. U.S.A. 3.5 1,000,000",
           "قالَ «مرحباً» في ٢٠١٨، هل زار BBC؟",
           "١٬٠٠٠ و٣٫٥ ٪٥٠ و2024 ب٥٠ كوفيد19 A4 4A",
           "  two  spaces\t\ttabs\r\nCRLF\rCR\nLF\u2028LS\u000bVT",
           "\u064e\u064ffatha at the start",
           "a\u064e\u064f b",
           "\u200e\u200fmarks\u200e \u200e",
           "الكتابُ ــ تطويل",
           "word\u00adsoft",
           "a.b.c a..b a.'b a'b'c 1.2.3 1..2 1,a a,1 a.1 1.a",
           "a\u0301.b\u0301",
           "x\u00b7y",
           "x:y",
           "12:30",
           "\u0600\u0661\u0662",
           "one\u2019s l\u2019avion",
           "\"quoted\" 'single'",
           "a\u200cb a\u200db",
           "\u00a0nbsp\u00a0",
           "κόσμος мир",
           "http://example.com/a?b=c",
           "e-mail: name@example.com",
           "---",
           "!?؟",
           "\r\n\u064e",
       }) {
    EXPECT_TRUE(ExpectSameAsIcu(t)) << "refused '" << t << "'";
  }
}

std::string Utf8(char32_t c) {
  std::string s;
  if (c < 0x80) {
    s += static_cast<char>(c);
  } else if (c < 0x800) {
    s += static_cast<char>(0xC0 | (c >> 6));
    s += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    s += static_cast<char>(0xE0 | (c >> 12));
    s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (c & 0x3F));
  }
  return s;
}

// Every character of the Basic Multilingual Plane the fast rules accept,
// between letters, digits, spaces and marks, cuts text as ICU does.
TEST(FastWordBreaksTest, AgreesWithIcuOnEveryAcceptedCharacter) {
  int accepted = 0;
  for (char32_t c = 1; c < 0x10000; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    const std::string x = Utf8(c);
    std::vector<WordPiece> out;
    if (!FastWordBreaks(x, &out)) continue;
    ++accepted;
    for (const std::string& t : {x, "a" + x + "b", "1" + x + "2", "\u0628" + x + "\u0628", x + x,
                                 " " + x + " ", x + "\u064e", "a" + x, x + "1", "\r" + x + "a"}) {
      ExpectSameAsIcu(t);
    }
    if (HasFailure()) return;
  }
  EXPECT_GT(accepted, 15000);  // about 19,500 in ICU 72
}

TEST(FastWordBreaksTest, RefusesWhatTheReducedRulesDoNotCover) {
  std::vector<WordPiece> out;
  for (const char* t :
       {"snake_case", "日本語", "ภาษาไทย", "שלום", "\u00a9 2024", "emoji \U0001F600", "a\u202fb", "\u02c2"}) {
    EXPECT_FALSE(FastWordBreaks(t, &out)) << t;
  }
}

TEST(FastWordBreaksTest, AgreesWithIcuOnRandomText) {
  // Characters of every class the fast rules handle, and their neighbours.
  const std::vector<std::string> palette = {
      "a",      "Z",      "\u00e9", "\u03c9", "\u0436", "\u0628", "\u064a", "\u0627", "\u0640", "\u0663",
      "7",      "\u066b", "\u066c", ",",      ".",      ":",      ";",      "'",      "\u2019", "\u2018",
      "\"",     " ",      " ",      "\t",     "\n",     "\r",     "\u00a0", "\u2028", "\u064e", "\u0651",
      "\u0301", "\u200e", "\u200c", "\u200d", "\u00ad", "-",      "\u060c", "\u061f", "?",      "\u00b7",
      "\u0600", "\u2003", "\u000b", "%",      "@",      "/",      "\u066a", "(",      "\u00bb"};
  std::mt19937 rng(4);
  int accepted = 0;
  for (int k = 0; k < 20000; ++k) {
    std::string s;
    const int len = static_cast<int>(rng() % 12);
    for (int x = 0; x < len; ++x) s += palette[rng() % palette.size()];
    accepted += ExpectSameAsIcu(s);
    if (HasFailure()) break;
  }
  EXPECT_EQ(accepted, 20000);
}

TEST(FastWordBreaksTest, AgreesWithIcuOnRealText) {
  const char* shared = std::getenv("QANTARA_SHARED");
  if (shared == nullptr) GTEST_SKIP() << "QANTARA_SHARED is not set";
  const std::string dir = std::string(shared) + "/data/ntrex128-ar-en/";
  int lines = 0, accepted = 0;
  for (const char* name : {"newstest2019-ref.arb.txt", "newstest2019-src.eng.txt"}) {
    std::ifstream f(dir + name);
    std::string line;
    for (int k = 0; k < 1000 && std::getline(f, line); ++k) {
      ++lines;
      accepted += ExpectSameAsIcu(line);
      if (HasFailure()) return;
    }
  }
  if (lines == 0) GTEST_SKIP() << "NTREX is absent under " << dir;
  EXPECT_GT(accepted, lines * 95 / 100);  // nearly all real Arabic and English text
}

}  // namespace
}  // namespace qantara::text
