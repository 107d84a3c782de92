// tm::Memories::Fragments on a real RocksDB with the real analyzer: runs of
// query words found in stored sources, their target fragments from the
// units' word alignments, votes and confidence, what is left out (stop
// words, numbers, words of no unit, filtered units), the checks of the
// request, cancellation.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/base/error_details.h"
#include "tests/service/tm/tm_test_env.h"
#include "tests/testing/status_matchers.h"

namespace qantara::tm {
namespace {

using ::qantara::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

Unit U(std::string source, std::string target, std::string project = "") {
  Unit u;
  u.source = std::move(source);
  u.target = std::move(target);
  u.attributes.project = std::move(project);
  return u;
}

class FragmentsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(env_.memories->CreateMemory(NewMemory{"news", "ar", "en", ""}).ok());
    // "الأمم المتحدة" = "United Nations" in four units, among other words;
    // "مجلس الأمن" = "Security Council" in two (one of project p2).
    std::vector<Unit> units = {
        U("اجتمعت الأمم المتحدة اليوم", "The United Nations met today"),
        U("قالت الأمم المتحدة إن الوضع خطير", "The United Nations said the situation is serious"),
        U("انتقدت الأمم المتحدة الحكومة بشدة", "The United Nations strongly criticised the government"),
        U("رفضت الحكومة تقرير الأمم المتحدة", "The government rejected the United Nations report"),
        U("اجتمع مجلس الأمن أمس", "The Security Council met yesterday", "p1"),
        U("أدان مجلس الأمن الهجوم", "The Security Council condemned the attack", "p2"),
        U("في هذه السنة 2019 عاد السلام", "In this year 2019 peace returned"),
        U("في هذه السنة 2020 عاد السلام", "In this year 2020 peace returned"),
    };
    ASSERT_TRUE(env_.memories->AddUnits("news", units, DuplicatePolicy::kKeepAll).ok());
  }

  FragmentsResult Find(const std::string& text, double min_confidence = 0.3) {
    FragmentsRequest r;
    r.memory = "news";
    r.text = text;
    r.min_confidence = min_confidence;
    absl::StatusOr<FragmentsResult> result = env_.memories->Fragments(r);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : FragmentsResult{};
  }

  testing::MemoryEnv env_;
};

TEST_F(FragmentsTest, ProposesTheAlignedTargetOfAKnownRun) {
  // Not stored as a whole; diacritics and an alef variant as lookups fold them.
  const std::string query = "طلبت الأُمم المتحدة المساعدة";
  FragmentsResult r = Find(query);
  ASSERT_EQ(r.fragments.size(), 1u);
  const Fragment& f = r.fragments[0];
  EXPECT_EQ(f.source, "الأُمم المتحدة");
  EXPECT_EQ(query.substr(f.source_span.first, f.source_span.second - f.source_span.first), f.source);
  EXPECT_EQ(f.target, "United Nations");
  EXPECT_EQ(f.first_word, 1u);
  EXPECT_EQ(f.words, 2u);
  EXPECT_EQ(f.supporting_units, 4u);
  EXPECT_THAT(f.unit_ids, ElementsAre(4, 3, 2, 1));  // newest first
  EXPECT_DOUBLE_EQ(f.confidence, 0.8);               // 4 of 4 units: 4 / (4 + 1)
  EXPECT_EQ(r.text_words, 4u);
  EXPECT_EQ(r.covered_words, 2u);
}

TEST_F(FragmentsTest, TwoRunsInQueryOrder) {
  FragmentsResult r = Find("دعا مجلس الأمن الأمم المتحدة");
  ASSERT_EQ(r.fragments.size(), 2u);
  EXPECT_EQ(r.fragments[0].target, "Security Council");
  EXPECT_EQ(r.fragments[0].first_word, 1u);
  EXPECT_EQ(r.fragments[1].target, "United Nations");
  EXPECT_EQ(r.fragments[1].first_word, 3u);
  // Two units give "Security Council": less sure than four.
  EXPECT_LT(r.fragments[0].confidence, r.fragments[1].confidence);
  EXPECT_EQ(r.covered_words, 4u);
}

TEST_F(FragmentsTest, MinConfidenceLeavesFragmentsOut) {
  EXPECT_EQ(Find("دعا مجلس الأمن الأمم المتحدة", 0.8).fragments.size(), 1u);
  EXPECT_TRUE(Find("دعا مجلس الأمن الأمم المتحدة", 1.0).fragments.empty());
}

TEST_F(FragmentsTest, NothingForUnknownWordsStopWordsAndNumbers) {
  EXPECT_TRUE(Find("كلمات لا توجد هنا").fragments.empty());
  // "في هذه": stop words only; "2021 عاد": no run passes through a number
  // (every number has one key: 2021 would match 2019).
  EXPECT_TRUE(Find("قال في هذه 2021 عاد", 0.0).fragments.empty());
  // Without the number in the way, the run is found; a run neither begins nor
  // ends with a stop word ("في هذه السنة" is not one, "السنة" alone is too short).
  FragmentsResult r = Find("في هذه السنة عاد السلام", 0.0);
  ASSERT_EQ(r.fragments.size(), 1u);
  EXPECT_EQ(r.fragments[0].source, "عاد السلام");
  EXPECT_EQ(r.fragments[0].target, "peace returned");
  EXPECT_EQ(r.fragments[0].first_word, 3u);
  EXPECT_EQ(Find("").text_words, 0u);
}

TEST_F(FragmentsTest, FilterRestrictsTheUnits) {
  FragmentsRequest r;
  r.memory = "news";
  r.text = "دعا مجلس الأمن";
  r.min_confidence = 0;
  r.filter.project = "p2";
  absl::StatusOr<FragmentsResult> result = env_.memories->Fragments(r);
  ASSERT_TRUE(result.ok()) << result.status();
  for (const Fragment& f : result->fragments) {
    EXPECT_THAT(f.unit_ids, ElementsAre(6));
    EXPECT_EQ(f.supporting_units, 1u);
    EXPECT_LE(f.confidence, 0.5);  // one unit: at most 0.5
  }
  r.filter.project = "none";
  result = env_.memories->Fragments(r);
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->fragments.empty());
}

TEST_F(FragmentsTest, RequestChecksNameTheField) {
  FragmentsRequest r;
  r.memory = "news";
  r.text = "الأمم المتحدة";
  r.max_fragments = 0;
  absl::Status s = env_.memories->Fragments(r).status();
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("max_fragments")));
  EXPECT_EQ(ErrorField(s), "max_fragments");
  r.max_fragments = 101;
  EXPECT_THAT(env_.memories->Fragments(r).status(), StatusIs(absl::StatusCode::kInvalidArgument));
  r.max_fragments = 1;
  r.min_confidence = std::nan("");
  s = env_.memories->Fragments(r).status();
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("min_confidence")));
  EXPECT_EQ(ErrorField(s), "min_confidence");
  r.min_confidence = 1.5;
  EXPECT_THAT(env_.memories->Fragments(r).status(), StatusIs(absl::StatusCode::kInvalidArgument));
  r.min_confidence = 0.5;
  r.filter.min_alignment_confidence = -1;
  EXPECT_THAT(env_.memories->Fragments(r).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("filter.min_alignment_confidence")));
  r.filter = {};
  r.text = "\xff";
  EXPECT_THAT(env_.memories->Fragments(r).status(), StatusIs(absl::StatusCode::kInvalidArgument));
  r.text = "الأمم المتحدة";
  r.memory = "nope";
  EXPECT_THAT(env_.memories->Fragments(r).status(), StatusIs(absl::StatusCode::kNotFound));
  // With a server's limits, the text's size.
  RequestLimits limits;
  limits.max_query_bytes = 8;
  env_.memories->SetRequestLimits(limits);
  r.memory = "news";
  s = env_.memories->Fragments(r).status();
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("text bytes")));
  EXPECT_EQ(ErrorField(s), "text");
}

TEST_F(FragmentsTest, MaxFragmentsAndCancellation) {
  FragmentsRequest r;
  r.memory = "news";
  r.text = "دعا مجلس الأمن الأمم المتحدة";
  r.min_confidence = 0.3;
  r.max_fragments = 1;
  absl::StatusOr<FragmentsResult> result = env_.memories->Fragments(r);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->fragments.size(), 1u);
  // A long query over many units is asked whether to go on, and stops.
  std::vector<Unit> more;
  for (int i = 0; i < 200; ++i) more.push_back(U("الأمم المتحدة " + std::to_string(i), "United Nations"));
  ASSERT_TRUE(env_.memories->AddUnits("news", more, DuplicatePolicy::kKeepAll).ok());
  int asked = 0;
  r.cancelled = [&asked] { return ++asked >= 2; };
  EXPECT_THAT(env_.memories->Fragments(r).status(), StatusIs(absl::StatusCode::kCancelled));
  EXPECT_GE(asked, 2);
}

}  // namespace
}  // namespace qantara::tm
