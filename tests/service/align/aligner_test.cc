// Aligner: merges, splits and boilerplate aligned, batch learning, extra
// translations used, invalid UTF-8 refused; documents segmented by paragraphs.
#include "service/align/aligner.h"

#include "gtest/gtest.h"
#include "service/align/document.h"
#include "service/align/tokenizer_analyzer.h"

namespace qantara::align {
namespace {

// A small lexicon: enough words for the fixture below.
std::shared_ptr<const Lexicon> SmallLexicon(const Analyzer& ar, const Analyzer& en) {
  auto lex = std::make_shared<Lexicon>();
  const std::vector<std::pair<std::string, std::string>> words = {
      {"حكومه", "government"}, {"وزير", "minister"}, {"اعلن", "announced"},  {"خطه", "plan"},
      {"جديده", "new"},        {"مدارس", "schools"}, {"طلاب", "students"},   {"مدينه", "city"},
      {"امطار", "rain"},       {"غزيره", "heavy"},   {"شوارع", "streets"},   {"مغلقه", "closed"},
      {"رئيس", "president"},   {"زار", "visited"},   {"مستشفي", "hospital"}, {"اطباء", "doctors"},
      {"شكر", "thanked"},      {"مرضي", "patients"}, {"سكان", "residents"}};
  for (const auto& [a, e] : words) {
    const uint32_t id = lex->InternEnglish(en.Keys(e).back());
    for (const std::string& k : ar.Keys(a)) lex->Add(k, id);
  }
  lex->Finish();
  return lex;
}

class AlignerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto a = Aligner::Create(SmallLexicon(*ar_, *en_));
    ASSERT_TRUE(a.ok());
    aligner_ = *std::move(a);
  }
  std::unique_ptr<TokenizerAnalyzer> ar_ = *TokenizerAnalyzer::Create(text::Language::kArabic);
  std::unique_ptr<TokenizerAnalyzer> en_ = *TokenizerAnalyzer::Create(text::Language::kEnglish);
  std::unique_ptr<Aligner> aligner_;
};

const std::vector<std::string> kArabic = {
    "مشاركة :",  // boilerplate, Arabic only
    "أعلن وزير التعليم خطة جديدة للمدارس في 2024.",
    "وقال إن الطلاب سيحصلون على 3 ساعات إضافية كل أسبوع.",
    "ضربت أمطار غزيرة المدينة يوم الاثنين.",
    "وبقيت الشوارع مغلقة لساعات، وقال السكان إنهم لم يروا شيئًا كهذا من قبل.",
    "زار الرئيس المستشفى في تامبا.",
    "وشكر الأطباء.",
};
const std::vector<std::string> kEnglish = {
    "The education minister announced a new plan for schools in 2024.",
    "He said students would get 3 extra hours every week.",
    "Heavy rain hit the city on Monday.",
    "Streets stayed closed for hours.",
    "Residents said they had never seen anything like it.",
    "Follow us on Twitter",  // boilerplate, English only
    "The president visited the hospital in Tampa and thanked the doctors.",
};

DocumentPairInput Input() {
  DocumentPairInput in;
  for (const auto& s : kArabic) in.ar.push_back({s, false});
  for (const auto& s : kEnglish) in.en.push_back({s, false});
  return in;
}

std::vector<std::string> Render(const std::vector<Bead>& beads) {
  std::vector<std::string> out;
  for (const Bead& b : beads) {
    std::string s;
    for (int k = b.ar_begin; k < b.ar_end; ++k) s += std::to_string(k) + ",";
    s += ":";
    for (int k = b.en_begin; k < b.en_end; ++k) s += std::to_string(k) + ",";
    out.push_back(s);
  }
  return out;
}

TEST_F(AlignerTest, AlignsMergesSplitsAndBoilerplate) {
  absl::StatusOr<Alignment> a = aligner_->Align(Input());
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(Render(a->beads),
            (std::vector<std::string>{"0,:", "1,:0,", "2,:1,", "3,:2,", "4,:3,4,", ":5,", "5,6,:6,"}));
  for (const Bead& b : a->beads) {
    EXPECT_GE(b.confidence, 0.0);
    EXPECT_LE(b.confidence, 1.0);
  }
  // Re-estimated from this pair.
  EXPECT_GT(a->params.length.ratio(), 0.5);
  EXPECT_LT(a->params.length.ratio(), 2.0);
}

TEST_F(AlignerTest, BatchLearnsAndGivesTheSameBeadsHere) {
  absl::StatusOr<std::vector<Alignment>> batch = aligner_->AlignBatch({Input(), Input()});
  ASSERT_TRUE(batch.ok()) << batch.status();
  ASSERT_EQ(batch->size(), 2u);
  absl::StatusOr<Alignment> single = aligner_->Align(Input());
  EXPECT_EQ(Render((*batch)[0].beads), Render(single->beads));
}

TEST_F(AlignerTest, ACancelledAlignmentStopsWithCancelled) {
  int asked = 0;
  absl::StatusOr<Alignment> never = aligner_->Align(Input(), nullptr, [&] {
    ++asked;
    return false;
  });
  ASSERT_TRUE(never.ok()) << never.status();
  EXPECT_GT(asked, 0);  // the DP asks, also for a small pair
  EXPECT_EQ(Render(never->beads), Render(aligner_->Align(Input())->beads));
  // Cancelled at the first question, or at a later one (the second pass).
  for (int after : {0, 1}) {
    int n = 0;
    absl::StatusOr<Alignment> a = aligner_->Align(Input(), nullptr, [&] { return n++ >= after; });
    EXPECT_EQ(a.status().code(), absl::StatusCode::kCancelled) << after;
  }
}

TEST_F(AlignerTest, InvalidUtf8IsAnError) {
  DocumentPairInput in = Input();
  const std::string bad = "\xff\xfe";
  in.ar[1].text = bad;
  absl::StatusOr<Alignment> a = aligner_->Align(in);
  EXPECT_EQ(a.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(AlignerTest, ExtraTranslationsAreUsed) {
  // Words the dictionary lacks: a learned (memory) lexicon supplies them and
  // makes the pair surer.
  DocumentPairInput in;
  in.ar = {{"قطط وكلاب وطيور", false}};
  in.en = {{"cats, dogs and birds", false}};
  LearnedLexicon extra;
  extra.Add("قطط", "cat");
  extra.Add("كلاب", "dog");
  extra.Add("طيور", "bird");
  absl::StatusOr<Alignment> without = aligner_->Align(in);
  absl::StatusOr<Alignment> with = aligner_->Align(in, &extra);
  ASSERT_TRUE(without.ok() && with.ok());
  ASSERT_EQ(with->beads.size(), 1u);
  EXPECT_EQ(with->beads[0].ar_size(), 1);
  EXPECT_EQ(with->beads[0].en_size(), 1);
  double best_without = 0;
  for (const Bead& b : without->beads) best_without = std::max(best_without, b.score);
  EXPECT_GT(with->beads[0].score, best_without + 5);
}

TEST(DocumentTest, SegmentsWithParagraphEndsAndJoinsFields) {
  auto seg = text::SentenceSegmenter::Create(text::Language::kEnglish);
  ASSERT_TRUE(seg.ok());
  const std::string doc = "First one. Second one.\n\nThird\ttab.\n";
  auto s = SegmentDocument(**seg, doc);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->size(), 3u);
  EXPECT_FALSE((*s)[0].paragraph_end);
  EXPECT_TRUE((*s)[1].paragraph_end);
  EXPECT_TRUE((*s)[2].paragraph_end);
  std::vector<SentenceInput> in = ToInput(doc, *s);
  EXPECT_EQ(in[0].text, "First one.");
  EXPECT_EQ(JoinForField(in, 1, 3), "Second one. Third tab.");
}

}  // namespace
}  // namespace qantara::align
