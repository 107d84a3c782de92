// The real analyzer (service/text's tokenizer and normaliser) as the matcher
// sees it: what counts as a difference between two writings of a segment.
#include <memory>
#include <string>
#include <string_view>

#include "gtest/gtest.h"
#include "service/match/analyzer.h"
#include "service/match/edit_distance.h"
#include "service/match/hash.h"
#include "service/match/scorer.h"
#include "service/match/segment.h"
#include "service/text/normalizer.h"
#include "service/text/tokenizer.h"

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

// Each match token is a word or number of the tokenizer, in order, with its
// normalised key, its written form and its case folding (ICU's, through the
// Normalizer): the analyzer's shortcuts (a scan without Tokens, folding
// ASCII and Arabic by hand, AnalyzeKey without spans) change nothing.
TEST_F(TextAnalyzerTest, TokensAreTheTokenizersWordsWithTheirForms) {
  text::NormalizationOptions fold_only = text::NormalizationOptions::None();
  fold_only.fold_case = true;
  auto fold = text::Normalizer::Create(fold_only);
  ASSERT_TRUE(fold.ok());
  for (text::Language lang : {text::Language::kArabic, text::Language::kEnglish}) {
    text::TokenizerOptions to;
    to.language = lang;
    auto tokenizer = text::Tokenizer::Create(to);
    ASSERT_TRUE(tokenizer.ok());
    for (std::string_view t : {"Save the FILE now, Mr. O'Neil: 3.5 GB at 10:30.",
                               "احفظ الملفَّ الآن في المجلد ٣ (Documents) <b>مهم</b>",
                               "Straße ÉCOLE İstanbul ΣΊΣΥΦΟΣ Москва ﻻ ﷲ ABCdef-GHI",
                               "\u200Fمرحبا\u200E World_Wide %1 {0} $5 كتبَ"}) {
      SCOPED_TRACE(t);
      auto seg = analyzer_->Analyze(t, lang);
      ASSERT_TRUE(seg.ok()) << seg.status();
      auto key = analyzer_->AnalyzeKey(t, lang);  // what a stored unit keeps: the same key
      ASSERT_TRUE(key.ok()) << key.status();
      EXPECT_EQ(*key, seg->key);
      auto tokens = (*tokenizer)->Tokenize(t);
      ASSERT_TRUE(tokens.ok());
      size_t i = 0;
      for (const text::Token& tok : *tokens) {
        if (tok.cls == text::TokenClass::kPunctuation || tok.cls == text::TokenClass::kTag) continue;
        ASSERT_LT(i, seg->key.tokens.size());
        const MatchToken& mt = seg->key.tokens[i];
        EXPECT_EQ(seg->spans[i].first, tok.span.byte_begin);
        EXPECT_EQ(seg->spans[i].second, tok.span.byte_end);
        if (tok.cls == text::TokenClass::kNumber) {
          EXPECT_EQ(mt.key, NumberKey());
        } else {
          std::string raw(tok.span.In(t));
          for (std::string_view mark : {"\u200F", "\u200E"}) {
            for (size_t p; (p = raw.find(mark)) != std::string::npos;) raw.erase(p, mark.size());
          }
          EXPECT_EQ(mt.key, Hash64(tok.norm)) << raw;
          EXPECT_EQ(mt.surface, Hash32(raw)) << raw;
          EXPECT_EQ(mt.folded, Hash32(*(*fold)->Key(raw))) << raw;
        }
        ++i;
      }
      EXPECT_EQ(i, seg->key.tokens.size());
    }
  }
  // Case-only differences: the same folded form, another written form.
  const SideKey a = Key("Save The File"), b = Key("save the file");
  ASSERT_EQ(a.tokens.size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(a.tokens[i].folded, b.tokens[i].folded);
  EXPECT_NE(a.tokens[0].surface, b.tokens[0].surface);
  EXPECT_EQ(Key("STRASSE").tokens[0].folded, Key("straße").tokens[0].folded);
}

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

// A token's form text (what form distances compare) is the text its surface
// hashes: a word without its format marks, a number by its value. Two tokens
// written alike thus have one form distance to a query token (the matcher
// keeps it by surface).
TEST_F(TextAnalyzerTest, FormTextIsWhatTheSurfaceHashes) {
  for (text::Language lang : {text::Language::kArabic, text::Language::kEnglish}) {
    for (std::string_view t :
         {"Save 250 files\u200E now, 3.5 GB at 10:30.", "افتح ألملف\u200F رقم ٢٠٠ الآن",
          "\u200Fمرحبا\u200E World_Wide %1 {0} $5 كتبَ", "Save \u0662\u0660\u0660 FILES"}) {
      SCOPED_TRACE(t);
      auto seg = analyzer_->Analyze(t, lang);
      ASSERT_TRUE(seg.ok()) << seg.status();
      std::string buf;
      for (size_t i = 0; i < seg->key.tokens.size(); ++i) {
        const std::string_view form = FormText(*seg, i, buf);
        EXPECT_EQ(Hash32(form), seg->key.tokens[i].surface) << i << ": " << form;
        EXPECT_EQ(form.find("\u200F"), std::string_view::npos);
        EXPECT_EQ(form.find("\u200E"), std::string_view::npos);
      }
    }
  }
  // The mark after the word costs nothing; another digit script neither.
  auto a = analyzer_->Analyze("افتح ألملف\u200F الآن", text::Language::kArabic);
  auto b = analyzer_->Analyze("افتح الملف الآن", text::Language::kArabic);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->key.tokens.size(), 3u);
  ASSERT_NE(a->key.tokens[1].surface, b->key.tokens[1].surface);
  std::string abuf, bbuf;
  EXPECT_EQ(CharDistance(FormText(*a, 1, abuf), FormText(*b, 1, bbuf)), 1u);  // أ for ا
  auto c = analyzer_->Analyze("Save \u0662\u0660\u0660 files", text::Language::kEnglish);
  auto d = analyzer_->Analyze("Save 250 files", text::Language::kEnglish);
  ASSERT_TRUE(c.ok() && d.ok());
  ASSERT_EQ(c->key.tokens.size(), 3u);
  EXPECT_EQ(c->key.tokens[1].key, NumberKey());
  EXPECT_EQ(CharDistance(FormText(*c, 1, abuf), FormText(*d, 1, bbuf)), 1u);  // 200 against 250
}

// The norms the analyzer gives (for typo neighbours) hash to the keys.
TEST_F(TextAnalyzerTest, NormsHashToTheKeys) {
  for (text::Language lang : {text::Language::kArabic, text::Language::kEnglish}) {
    for (std::string_view t : {"Out of memory 3 times", "نفدت الذاكرة مرتين", "أُعِدَّت إلى"}) {
      auto s = analyzer_->Analyze(t, lang);
      ASSERT_TRUE(s.ok());
      ASSERT_EQ(s->norms.size(), s->key.tokens.size());
      for (size_t i = 0; i < s->norms.size(); ++i) {
        if (s->key.tokens[i].key == NumberKey()) {
          EXPECT_TRUE(s->norms[i].empty());
        } else {
          EXPECT_EQ(Hash64(s->norms[i]), s->key.tokens[i].key) << s->norms[i];
        }
      }
      if (lang == text::Language::kArabic && t == "نفدت الذاكرة مرتين") {
        ASSERT_EQ(s->norms.size(), 3u);
        EXPECT_EQ(s->norms[1], "الذاكره");
      }
    }
  }
}

}  // namespace
}  // namespace qantara::match
