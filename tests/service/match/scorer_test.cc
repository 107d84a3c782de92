// The match scorer: gross token-Levenshtein score, the penalties (case, harakat,
// numbers, punctuation, tags), diff spans, and numbers adapted in the target.
#include "service/match/scorer.h"

#include "gtest/gtest.h"
#include "tests/service/match/simple_analyzer.h"

namespace qantara::match {
namespace {

using testing::SimpleAnalyzer;

struct Scored {
  KeyScore score;
  std::vector<DiffSpan> diffs;
};

Scored ScoreTexts(std::string_view q, std::string_view u) {
  SimpleAnalyzer a;
  auto qa = a.Analyze(q, text::Language::kEnglish);
  auto ua = a.Analyze(u, text::Language::kEnglish);
  auto ops = AlignTokens(qa->key.tokens, ua->key.tokens);
  return Scored{ScoreKeys(qa->key, ua->key, ops), DiffSpans(*qa, *ua, ops)};
}

std::vector<std::string> Kinds(const KeyScore& s) {
  std::vector<std::string> out;
  for (const Penalty& p : s.penalties) out.push_back(p.kind + ":" + std::to_string(int(p.points)));
  return out;
}

TEST(Scorer, GrossScoreIsTokenLevenshteinOverLongerLength) {
  EXPECT_DOUBLE_EQ(GrossScore(0, 0, 0), 100);
  EXPECT_DOUBLE_EQ(GrossScore(1, 4, 3), 75);
  EXPECT_DOUBLE_EQ(GrossScore(2, 3, 4), 50);
  EXPECT_EQ(MaxEdits(4, 4, 75), 1);
  EXPECT_EQ(MaxEdits(4, 4, 76), 0);
  EXPECT_EQ(MaxEdits(3, 3, 66.67), 0);
  EXPECT_EQ(MaxEdits(3, 3, 66.6), 1);
  EXPECT_EQ(MaxEdits(10, 10, 50), 5);
  EXPECT_EQ(MaxEdits(1, 1, 100), 0);
}

TEST(Scorer, IdenticalTextHasNoPenalties) {
  Scored s = ScoreTexts("Save the file.", "Save the file.");
  EXPECT_DOUBLE_EQ(s.score.gross, 100);
  EXPECT_TRUE(s.score.penalties.empty());
  EXPECT_TRUE(s.diffs.empty());
}

TEST(Scorer, CaseOnlyDifferenceCostsOnePoint) {
  Scored s = ScoreTexts("save THE file", "Save the File");
  EXPECT_DOUBLE_EQ(s.score.gross, 100);
  EXPECT_EQ(Kinds(s.score), std::vector<std::string>{"case:1"});
  EXPECT_EQ(s.diffs.size(), 3u);
  EXPECT_EQ(s.diffs[0].kind, DiffSpan::kForm);
}

TEST(Scorer, HarakatCostOnePointForTheWholeSegment) {
  // "كَتَبَ الوَلَدُ" vs "كتب الولد": both words differ only by harakat.
  Scored s =
      ScoreTexts("\u0643\u064E\u062A\u064E\u0628\u064E \u0627\u0644\u0648\u064E\u0644\u064E\u062F\u064F",
                 "\u0643\u062A\u0628 \u0627\u0644\u0648\u0644\u062F");
  EXPECT_DOUBLE_EQ(s.score.gross, 100);
  EXPECT_EQ(Kinds(s.score), std::vector<std::string>{"orthography:1"});
}

TEST(Scorer, NumbersAreNotEditsButCostTwoEach) {
  Scored s = ScoreTexts("Page 3 of 10", "Page 4 of 12");
  EXPECT_DOUBLE_EQ(s.score.gross, 100);
  EXPECT_EQ(Kinds(s.score), std::vector<std::string>{"number:4"});
  EXPECT_TRUE(s.score.only_numbers_differ);
}

TEST(Scorer, PunctuationWhitespaceAndTagsCostByCharacters) {
  Scored s = ScoreTexts("Hello, world!", "Hello world");
  EXPECT_EQ(Kinds(s.score), std::vector<std::string>{"punctuation:2"});
  s = ScoreTexts("Hello  world", "Hello world");
  EXPECT_EQ(Kinds(s.score), std::vector<std::string>{"whitespace:2"});
  s = ScoreTexts("Click <b>Save</b>", "Click Save");
  EXPECT_EQ(Kinds(s.score), std::vector<std::string>{"inline_code:7"});
}

TEST(Scorer, DiffSpansMarkEditsInBothTexts) {
  //                      0123456789012345
  Scored s = ScoreTexts("open the red door", "open a door");
  // open=open, "the red" -> "a" (one merged span), door=door.
  ASSERT_EQ(s.diffs.size(), 1u);
  EXPECT_EQ(s.diffs[0].kind, DiffSpan::kReplace);
  EXPECT_EQ(s.diffs[0].query_begin, 5u);
  EXPECT_EQ(s.diffs[0].query_end, 12u);  // "the red"
  EXPECT_EQ(s.diffs[0].unit_begin, 5u);
  EXPECT_EQ(s.diffs[0].unit_end, 6u);  // "a"
  EXPECT_DOUBLE_EQ(s.score.gross, 50);
  s = ScoreTexts("open door", "open door now");
  ASSERT_EQ(s.diffs.size(), 1u);
  EXPECT_EQ(s.diffs[0].kind, DiffSpan::kInsert);
  EXPECT_EQ(s.diffs[0].query_begin, 9u);
  EXPECT_EQ(s.diffs[0].query_end, 9u);
  EXPECT_EQ(s.diffs[0].unit_begin, 10u);
  EXPECT_EQ(s.diffs[0].unit_end, 13u);
}

TEST(Scorer, AdaptNumbersPatchesTheTarget) {
  SimpleAnalyzer a;
  auto q = a.Analyze("Page 3 of 10", text::Language::kEnglish);
  auto u = a.Analyze("Page 4 of 10", text::Language::kEnglish);
  auto t = a.Analyze("Seite 4 von 10", text::Language::kEnglish);
  auto adapted = AdaptNumbers(*q, *u, *t);
  ASSERT_TRUE(adapted.has_value());
  EXPECT_EQ(*adapted, "Seite 3 von 10");
  auto missing = a.Analyze("Seite vier von 10", text::Language::kEnglish);
  EXPECT_FALSE(AdaptNumbers(*q, *u, *missing).has_value());
  EXPECT_FALSE(AdaptNumbers(*u, *u, *t).has_value());  // nothing differs
}

TEST(Scorer, AdaptNumbersKeepsTheTargetsDigitScript) {
  AnalyzedSegment q, u, t;
  q.numbers = {NumberToken{0, "5", DigitScript::kAscii}};
  u.numbers = {NumberToken{0, "7", DigitScript::kAscii}};
  t.text = "\u0627\u0644\u0635\u0641\u062D\u0629 \u0667";  // "الصفحة ٧"
  t.key.tokens.resize(2);
  t.spans = {{0, 12}, {13, 15}};
  t.numbers = {NumberToken{1, "7", DigitScript::kArabicIndic}};
  auto adapted = AdaptNumbers(q, u, t);
  ASSERT_TRUE(adapted.has_value());
  EXPECT_EQ(*adapted, "\u0627\u0644\u0635\u0641\u062D\u0629 \u0665");
}

}  // namespace
}  // namespace qantara::match
