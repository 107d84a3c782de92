// MemoryLexicons: a memory's learned alignment lexicon trained from its
// units, persisted, reloaded, and retrained as the memory grows.
#include "service/tm/lexicons.h"

#include <chrono>
#include <thread>

#include "gtest/gtest.h"
#include "service/match/analyzer.h"
#include "tests/service/tm/tm_test_env.h"

namespace qantara::tm {
namespace {

// Sentence pairs in which قطة always comes with "cat" and سمك with "fish";
// `round` makes every pair unique (numbers are not words for the learner).
std::vector<match::Unit> Units(int round, bool arabic_source) {
  const std::vector<std::pair<std::string, std::string>> pairs = {{"القطة نائمة", "The cat sleeps"},
                                                                  {"رأيت القطة", "I saw the cat"},
                                                                  {"القطة تأكل السمك", "The cat eats fish"},
                                                                  {"السمك طازج", "The fish is fresh"},
                                                                  {"الكلب نائم", "The dog sleeps"}};
  std::vector<match::Unit> out;
  for (const auto& [ar, en] : pairs) {
    match::Unit u;
    const std::string n = " " + std::to_string(round);
    u.source = arabic_source ? ar + n : en + n;
    u.target = arabic_source ? en + n : ar + n;
    out.push_back(std::move(u));
  }
  return out;
}

class MemoryLexiconTest : public ::testing::Test {
 protected:
  void SetUp() override {
    lexicon_store_ = std::make_unique<storage::LexiconStore>(*env_.store);
    aligner_ = *align::Aligner::Create(nullptr);  // the text engine's tokenizer analysis on both sides
    options_.min_units = 10;
    lexicons_ = std::make_unique<MemoryLexicons>(*env_.memories, *lexicon_store_, options_);
  }
  void Add(const std::string& memory, int rounds, bool arabic_source = true, int first = 0) {
    for (int r = first; r < first + rounds; ++r) {
      ASSERT_TRUE(
          env_.memories->AddUnits(memory, Units(r, arabic_source), tm::DuplicatePolicy::kSkipIdentical).ok());
    }
  }

  testing::MemoryEnv env_;
  std::unique_ptr<storage::LexiconStore> lexicon_store_;
  std::unique_ptr<align::Aligner> aligner_;
  MemoryLexiconOptions options_;
  std::unique_ptr<MemoryLexicons> lexicons_;
};

TEST_F(MemoryLexiconTest, TrainsFromUnitsPersistsAndReloads) {
  ASSERT_TRUE(env_.memories->CreateMemory({"m", "ar", "en", ""}).ok());
  // Empty memory: no lexicon, nothing stored.
  auto none = lexicons_->Get("m", *aligner_);
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(none->lexicon, nullptr);
  EXPECT_FALSE(none->trained_now);
  EXPECT_FALSE(lexicon_store_->Get("m")->has_value());

  Add("m", 4);  // 20 units
  auto first = lexicons_->Get("m", *aligner_);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_NE(first->lexicon, nullptr);
  EXPECT_TRUE(first->trained_now);
  EXPECT_EQ(first->trained_units, 20u);
  const std::vector<std::string>* cat = first->lexicon->Lookup("قطه");
  ASSERT_NE(cat, nullptr);
  EXPECT_EQ(cat->front(), "cat");
  const std::vector<std::string>* fish = first->lexicon->Lookup("سمك");
  ASSERT_NE(fish, nullptr);
  EXPECT_EQ(fish->front(), "fish");

  // Cached: no retraining while the memory has not grown enough.
  auto again = lexicons_->Get("m", *aligner_);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->trained_now);
  EXPECT_EQ(again->lexicon, first->lexicon);

  // Persisted: a fresh cache (a restarted server) reads it back, equal.
  auto stored = lexicon_store_->Get("m");
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->trained_units, 20u);
  EXPECT_EQ((*stored)->trained_pairs, 20u);
  EXPECT_EQ((*stored)->last_unit_id, 20u);
  EXPECT_EQ((*stored)->analysis_version, align::kLearnedLexiconKeyVersion);
  MemoryLexicons restarted(*env_.memories, *lexicon_store_, options_);
  auto reloaded = restarted.Get("m", *aligner_);
  ASSERT_TRUE(reloaded.ok());
  EXPECT_FALSE(reloaded->trained_now);
  ASSERT_NE(reloaded->lexicon, nullptr);
  EXPECT_EQ(reloaded->lexicon->entries(), first->lexicon->entries());
  EXPECT_EQ(ToStored(*reloaded->lexicon), ToStored(*first->lexicon));

  // Grown by a quarter: retrained on the next use.
  Add("m", 1, true, 4);  // 25 units
  auto grown = lexicons_->Get("m", *aligner_);
  ASSERT_TRUE(grown.ok());
  EXPECT_TRUE(grown->trained_now);
  EXPECT_EQ(grown->trained_units, 25u);
  EXPECT_EQ((*lexicon_store_->Get("m"))->trained_units, 25u);
}

TEST_F(MemoryLexiconTest, BigMemoriesTrainInTheBackground) {
  ASSERT_TRUE(env_.memories->CreateMemory({"m", "ar", "en", ""}).ok());
  Add("m", 4);  // 20 units, more than the synchronous limit below
  MemoryLexiconOptions options = options_;
  options.sync_training_units = 15;
  MemoryLexicons lexicons(*env_.memories, *lexicon_store_, options);
  auto first = lexicons.Get("m", *aligner_);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_FALSE(first->trained_now);
  EXPECT_EQ(first->lexicon, nullptr);  // none yet: the request does not wait
  EXPECT_TRUE(first->training_in_background);
  lexicons.WaitForBackgroundTraining();
  auto second = lexicons.Get("m", *aligner_);
  ASSERT_TRUE(second.ok());
  ASSERT_NE(second->lexicon, nullptr);
  EXPECT_FALSE(second->training_in_background);
  EXPECT_EQ(second->trained_units, 20u);
  EXPECT_EQ(second->lexicon->Lookup("قطه")->front(), "cat");
  EXPECT_TRUE(lexicon_store_->Get("m")->has_value());
  // Destroying the object while a training runs stops it cleanly.
  Add("m", 2, true, 4);  // 30 units: stale again
  {
    MemoryLexicons other(*env_.memories, *lexicon_store_, options);
    auto r = other.Get("m", *aligner_);
    ASSERT_TRUE(r.ok());
  }
}

TEST_F(MemoryLexiconTest, BackgroundTrainingsOfSeveralMemoriesRunOnOwnedThreads) {
  MemoryLexiconOptions options = options_;
  options.sync_training_units = 15;
  MemoryLexicons lexicons(*env_.memories, *lexicon_store_, options);
  for (const char* m : {"a", "b"}) {
    ASSERT_TRUE(env_.memories->CreateMemory({m, "ar", "en", ""}).ok());
    Add(m, 4);  // 20 units
    auto r = lexicons.Get(m, *aligner_);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_TRUE(r->training_in_background);
  }
  lexicons.WaitForBackgroundTraining();
  for (const char* m : {"a", "b"}) {
    auto r = lexicons.Get(m, *aligner_);
    ASSERT_TRUE(r.ok());
    ASSERT_NE(r->lexicon, nullptr) << m;
    EXPECT_EQ(r->trained_units, 20u);
    EXPECT_FALSE(r->training_in_background);
  }
  // A later training (the ended trainings' threads are joined first).
  Add("a", 2, true, 4);  // 30 units: stale
  auto stale = lexicons.Get("a", *aligner_);
  ASSERT_TRUE(stale.ok());
  EXPECT_TRUE(stale->training_in_background);
  EXPECT_EQ(stale->trained_units, 20u);  // the lexicon there is meanwhile
  lexicons.WaitForBackgroundTraining();
  auto retrained = lexicons.Get("a", *aligner_);
  ASSERT_TRUE(retrained.ok());
  EXPECT_EQ(retrained->trained_units, 30u);
}

TEST_F(MemoryLexiconTest, BelowMinimumSizeHasNoLexiconButTrainForces) {
  ASSERT_TRUE(env_.memories->CreateMemory({"m", "ar", "en", ""}).ok());
  Add("m", 1);  // 5 units < 10
  auto none = lexicons_->Get("m", *aligner_);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->lexicon, nullptr);
  auto forced = lexicons_->Train("m", *aligner_);
  ASSERT_TRUE(forced.ok());
  EXPECT_TRUE(forced->trained_now);
  ASSERT_NE(forced->lexicon, nullptr);
  EXPECT_EQ(forced->trained_units, 5u);
}

TEST_F(MemoryLexiconTest, EnglishSourceMemoryIsReadArabicSideFirst) {
  ASSERT_TRUE(env_.memories->CreateMemory({"en-ar", "en-US", "ar-SA", ""}).ok());
  Add("en-ar", 4, /*arabic_source=*/false);
  auto got = lexicons_->Get("en-ar", *aligner_);
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_NE(got->lexicon, nullptr);
  const std::vector<std::string>* cat = got->lexicon->Lookup("قطه");
  ASSERT_NE(cat, nullptr);
  EXPECT_EQ(cat->front(), "cat");
}

TEST_F(MemoryLexiconTest, RecordOfAnotherAnalysisVersionIsRetrained) {
  ASSERT_TRUE(env_.memories->CreateMemory({"m", "ar", "en", ""}).ok());
  Add("m", 4);
  storage::StoredLexicon old;
  old.analysis_version = align::kLearnedLexiconKeyVersion + 1;
  old.trained_units = 20;
  old.entries = {{"قطه", {"stale"}}};
  ASSERT_TRUE(lexicon_store_->Put("m", old).ok());
  auto got = lexicons_->Get("m", *aligner_);
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(got->trained_now);
  EXPECT_EQ(got->lexicon->Lookup("قطه")->front(), "cat");
}

TEST_F(MemoryLexiconTest, RecreatedMemoryDoesNotSeeTheOldLexicon) {
  ASSERT_TRUE(env_.memories->CreateMemory({"m", "ar", "en", ""}).ok());
  Add("m", 4);
  ASSERT_NE(lexicons_->Get("m", *aligner_)->lexicon, nullptr);
  ASSERT_TRUE(env_.memories->DeleteMemory("m").ok());
  EXPECT_EQ(lexicons_->Get("m", *aligner_).status().code(), absl::StatusCode::kNotFound);
  // created_at_us is in microseconds: make sure the new memory gets another.
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  ASSERT_TRUE(env_.memories->CreateMemory({"m", "ar", "en", ""}).ok());
  auto fresh = lexicons_->Get("m", *aligner_);
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(fresh->lexicon, nullptr);
}

}  // namespace
}  // namespace qantara::tm
