// The real analyzer (service/text's tokenizer and normaliser) as the matcher
// sees it: what counts as a difference between two writings of a segment.
#include <memory>

#include "gtest/gtest.h"
#include "service/match/analyzer.h"
#include "service/match/edit_distance.h"
#include "service/match/scorer.h"

namespace qantara::match {
namespace {

class TextAnalyzerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto a = CreateTextAnalyzer();
    ASSERT_TRUE(a.ok()) << a.status();
    analyzer_ = *std::move(a);
  }
  SideKey Key(std::string_view text) {
    auto s = analyzer_->Analyze(text, text::Language::kArabic);
    EXPECT_TRUE(s.ok()) << s.status();
    return s.ok() ? s->key : SideKey{};
  }
  KeyScore Score(std::string_view query, std::string_view unit) {
    const SideKey q = Key(query), u = Key(unit);
    return ScoreKeys(q, u, AlignTokens(q.tokens, u.tokens));
  }
  std::unique_ptr<Analyzer> analyzer_;
};

// Bidi and format marks cost nothing, also where the word breaks attach them
// to a word or to a punctuation mark.
TEST_F(TextAnalyzerTest, FormatMarksAreNoDifference) {
  EXPECT_EQ(Key("الحديد\u200F صلب.\u200E"), Key("الحديد صلب."));
  EXPECT_EQ(Key("\u200Eاحذف \u2067الملف\u2069\u061C"), Key("احذف الملف"));
  EXPECT_EQ(Key("Save\u200B the file\u00AD."), Key("Save the file."));
  KeyScore s = Score("الحديد\u200F صلب.\u200E", "الحديد صلب.");
  EXPECT_DOUBLE_EQ(s.gross, 100);
  EXPECT_TRUE(s.penalties.empty());
  EXPECT_EQ(s.raw_distance, 0u);
}

// Orthographic variants cost one point for the segment, however many words
// differ; a different punctuation mark costs more, so the variant's own unit
// ranks first.
TEST_F(TextAnalyzerTest, OrthographicVariantsCostOnePoint) {
  KeyScore own = Score("آلحديد\u200F صَلْب.\u200E", "الحديد صلب.");
  EXPECT_DOUBLE_EQ(own.gross, 100);
  ASSERT_EQ(own.penalties.size(), 1u);
  EXPECT_EQ(own.penalties[0].kind, "orthography");
  KeyScore other = Score("آلحديد\u200F صَلْب.\u200E", "الحديد صلب. [");
  EXPECT_GT(other.penalties.size(), own.penalties.size());
  EXPECT_GT(other.raw_distance, own.raw_distance);
}

}  // namespace
}  // namespace qantara::match
