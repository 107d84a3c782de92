// tm::AlignToMemory and tm::AlignWithMemory without gRPC, on a real RocksDB:
// n-m beads, the direction of the memory, the memory's learned lexicon, and
// document pairs that are not translations (parallel share, comparable text).
// FreeDict is used when Debian's dictionaries are installed; the assertions
// hold without them too. (The AlignService handlers' conversions are tested
// in tests/service/rpc/align_to_memory_test.cc.)
#include "service/tm/align_to_memory.h"

#include <cstdlib>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "service/align/lexicon.h"
#include "storage/lexicon_store.h"
#include "tests/service/tm/tm_fixtures.h"
#include "tests/service/tm/tm_test_env.h"

namespace qantara::tm {
namespace {

using tm::testing::FixtureLines;
const std::vector<std::string> kAr = FixtureLines("news.ar.txt");
const std::vector<std::string> kEn = FixtureLines("news.en.txt");

std::vector<align::SentenceInput> Sentences(const std::vector<std::string>& lines) {
  std::vector<align::SentenceInput> out;
  for (const std::string& s : lines) out.push_back({s, false});
  return out;
}

class AlignToMemoryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // One aligner for the suite: FreeDict loads once (about 2 s).
    auto aligner = align::CreateDefaultAligner(align::kDefaultDictdDir, align::AlignerOptions());
    if (!aligner.ok()) aligner = align::CreateDefaultAligner("", align::AlignerOptions());
    ASSERT_TRUE(aligner.ok()) << aligner.status();
    aligner_ = aligner->release();
  }
  static void TearDownTestSuite() { delete aligner_; }

  void SetUp() override {
    ASSERT_EQ(kAr.size(), 7u) << "tests/fixtures/news.ar.txt not found (QANTARA_SOURCE_DIR)";
    ASSERT_EQ(kEn.size(), 7u) << "tests/fixtures/news.en.txt not found (QANTARA_SOURCE_DIR)";
    ASSERT_TRUE(env_.memories->CreateMemory({"ar-en", "ar", "en", ""}).ok());
    ASSERT_TRUE(env_.memories->CreateMemory({"en-ar", "en-GB", "ar-EG", ""}).ok());
  }
  AlignToMemoryParams Params(const std::string& memory) {
    AlignToMemoryParams p;
    p.memory = memory;
    p.input = align::DocumentPairInput{ar_, en_};
    return p;
  }
  absl::StatusOr<AlignToMemoryResult> Align(const AlignToMemoryParams& params) {
    return AlignToMemory(*aligner_, *env_.memories, &lexicons_, params);
  }
  std::vector<Unit> Units(const std::string& memory) {
    std::vector<Unit> out;
    EXPECT_TRUE(env_.memories
                    ->ScanUnits(memory, 0,
                                [&](const Unit& u) {
                                  out.push_back(u);
                                  return absl::OkStatus();
                                })
                    .ok());
    return out;
  }
  static uint64_t Partition(const AlignToMemoryCounts& c) {
    return c.stored + c.overwritten + c.skipped_duplicates + c.below_threshold + c.many_not_stored +
           c.one_sided + c.not_parallel;
  }

  static align::Aligner* aligner_;
  const std::vector<align::SentenceInput> ar_ = Sentences(kAr);
  const std::vector<align::SentenceInput> en_ = Sentences(kEn);
  testing::MemoryEnv env_;
  storage::LexiconStore lexicon_store_{*env_.store};
  MemoryLexicons lexicons_{*env_.memories, lexicon_store_};
};

align::Aligner* AlignToMemoryTest::aligner_ = nullptr;

TEST_F(AlignToMemoryTest, StoresOneToOnePairsWithOriginConfidenceAttributesAndContext) {
  AlignToMemoryParams p = Params("ar-en");
  p.min_confidence = 0;
  p.attributes.project = "proj";
  p.document = "doc-1";
  p.user = "tester";
  absl::StatusOr<AlignToMemoryResult> r = Align(p);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->counts.beads, 7u);
  EXPECT_EQ(r->counts.stored, 3u);
  EXPECT_EQ(r->counts.many_not_stored, 2u);
  EXPECT_EQ(r->counts.one_sided, 2u);
  EXPECT_EQ(Partition(r->counts), r->counts.beads);
  EXPECT_EQ(r->min_confidence, 0.0);
  std::vector<Unit> units = Units("ar-en");
  ASSERT_EQ(units.size(), 3u);
  EXPECT_EQ(units[0].source, kAr[1]);
  EXPECT_EQ(units[0].target, kEn[0]);
  for (const Unit& u : units) {
    EXPECT_EQ(u.origin, match::Origin::kAlignment);
    EXPECT_GT(u.alignment_confidence, 0.0);
    EXPECT_EQ(u.attributes.project, "proj");
    EXPECT_EQ(u.attributes.extra.at("document"), "doc-1");
    EXPECT_EQ(u.created_by, "tester");
  }
  EXPECT_EQ(units[1].context.prev, kAr[1]);
  EXPECT_EQ(units[1].context.next, kAr[3]);
  EXPECT_EQ(units[0].context.prev, kAr[0]);
  // Again: nothing stored twice.
  absl::StatusOr<AlignToMemoryResult> again = Align(p);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->counts.stored, 0u);
  EXPECT_EQ(again->counts.skipped_duplicates, 3u);
  EXPECT_EQ(Units("ar-en").size(), 3u);
}

TEST_F(AlignToMemoryTest, ManyToManyBeadsWhenAskedJoinedBySpace) {
  AlignToMemoryParams p = Params("ar-en");
  p.min_confidence = 0;
  p.include_many = true;
  absl::StatusOr<AlignToMemoryResult> r = Align(p);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->counts.stored, 5u);
  EXPECT_EQ(r->counts.many_not_stored, 0u);
  std::vector<Unit> units = Units("ar-en");
  ASSERT_EQ(units.size(), 5u);
  EXPECT_EQ(units[3].source, kAr[4]);
  EXPECT_EQ(units[3].target, kEn[3] + " " + kEn[4]);
  EXPECT_EQ(units[4].source, kAr[5] + " " + kAr[6]);
  EXPECT_EQ(units[4].target, kEn[6]);
}

TEST_F(AlignToMemoryTest, DirectionFollowsTheMemoryLanguages) {
  AlignToMemoryParams p = Params("en-ar");
  p.min_confidence = 0;
  ASSERT_TRUE(Align(p).ok());
  std::vector<Unit> units = Units("en-ar");
  ASSERT_EQ(units.size(), 3u);
  EXPECT_EQ(units[0].source, kEn[0]);
  EXPECT_EQ(units[0].target, kAr[1]);
  EXPECT_EQ(units[1].context.prev, kEn[0]);
}

TEST_F(AlignToMemoryTest, DryRunStoresNothingAndDefaultThresholdIsTheAlignersOwn) {
  AlignToMemoryParams p = Params("ar-en");
  p.dry_run = true;
  absl::StatusOr<AlignToMemoryResult> dry = Align(p);
  ASSERT_TRUE(dry.ok()) << dry.status();
  EXPECT_DOUBLE_EQ(dry->min_confidence, aligner_->options().accept_threshold);
  EXPECT_EQ(Partition(dry->counts), dry->counts.beads);
  EXPECT_TRUE(Units("ar-en").empty());
  p.dry_run = false;
  absl::StatusOr<AlignToMemoryResult> real = Align(p);
  ASSERT_TRUE(real.ok());
  EXPECT_EQ(real->counts.stored, dry->counts.stored);
  for (const Unit& u : Units("ar-en")) EXPECT_GE(u.alignment_confidence, real->min_confidence);
}

TEST_F(AlignToMemoryTest, LexiconIsTrainedOnceTheMemoryHasUnits) {
  for (int round = 0; round < 4; ++round) {
    AlignToMemoryParams p = Params("ar-en");
    p.min_confidence = 0;
    p.policy = DuplicatePolicy::kKeepAll;
    ASSERT_TRUE(Align(p).ok());
  }
  AlignToMemoryParams p = Params("ar-en");
  p.dry_run = true;
  absl::StatusOr<AlignToMemoryResult> r = Align(p);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->lexicon_trained_now);
  EXPECT_EQ(r->lexicon_trained_units, 12u);
  EXPECT_TRUE(lexicon_store_.Get("ar-en")->has_value());
  // Aligning with the memory (read-only) uses it too.
  absl::StatusOr<align::Alignment> a =
      AlignWithMemory(*aligner_, &lexicons_, "ar-en", align::DocumentPairInput{ar_, en_});
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->beads.size(), 7u);
}

TEST_F(AlignToMemoryTest, PairThatIsNotATranslationIsSkippedWithTheReason) {
  // The news fixture's Arabic with the English of the seed-comparable fixture:
  // two unrelated documents.
  const std::vector<std::string> other = FixtureLines("seed-comparable.en.txt");
  ASSERT_EQ(other.size(), 7u);
  AlignToMemoryParams p = Params("ar-en");
  p.input.en = Sentences(other);
  p.min_confidence = 0.5;  // even at a low threshold
  absl::StatusOr<AlignToMemoryResult> r = Align(p);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_LT(r->parallel_share, align::kDefaultMinParallelShare);
  EXPECT_DOUBLE_EQ(r->min_parallel_share, align::kDefaultMinParallelShare);
  EXPECT_NE(r->skip_reason.find("not a translation: parallel share"), std::string::npos) << r->skip_reason;
  EXPECT_EQ(r->counts.stored, 0u);
  EXPECT_EQ(Partition(r->counts), r->counts.beads);
  EXPECT_TRUE(Units("ar-en").empty());
  // The real pair is not skipped; its share is high.
  absl::StatusOr<AlignToMemoryResult> good = Align(Params("ar-en"));
  ASSERT_TRUE(good.ok());
  EXPECT_TRUE(good->skip_reason.empty());
  EXPECT_GT(good->parallel_share, 0.5);
  EXPECT_GT(good->counts.stored, 0u);
  // A share threshold of 0 never skips; one above the real pair's share does.
  AlignToMemoryParams never = Params("ar-en");
  never.min_parallel_share = 0;
  never.dry_run = true;
  never.input.en = Sentences(other);
  absl::StatusOr<AlignToMemoryResult> n = Align(never);
  ASSERT_TRUE(n.ok());
  EXPECT_TRUE(n->skip_reason.empty());
  EXPECT_EQ(n->counts.not_parallel, 0u);
  AlignToMemoryParams strict = Params("ar-en");
  strict.min_parallel_share = 1;
  strict.dry_run = true;
  absl::StatusOr<AlignToMemoryResult> s = Align(strict);
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(s->skip_reason.empty());
  EXPECT_EQ(s->counts.stored, 0u);
  EXPECT_GT(s->counts.not_parallel, 0u);
  EXPECT_EQ(Partition(s->counts), s->counts.beads);
}

TEST_F(AlignToMemoryTest, SeedComparablePairStoresNoWrongPair) {
  const char* shared = std::getenv("QANTARA_SHARED");
  std::ifstream in(std::string(shared ? shared : "../shared") + "/data/seed-comparable/ar-news-report.txt");
  if (!in) GTEST_SKIP() << "../shared/data/seed-comparable not found";
  std::vector<std::string> ar_lines;
  for (std::string line; std::getline(in, line);) {
    // The report's sentences end with ". " (no abbreviations in it).
    for (size_t b = 0; b < line.size();) {
      size_t e = line.find(". ", b);
      e = e == std::string::npos ? line.size() : e + 1;
      ar_lines.push_back(line.substr(b, e - b));
      b = e + (e < line.size() ? 1 : 0);
    }
  }
  ASSERT_EQ(ar_lines.size(), 11u);
  const std::vector<std::string> en_lines = FixtureLines("seed-comparable.en.txt");
  AlignToMemoryParams p = Params("ar-en");
  p.input = align::DocumentPairInput{Sentences(ar_lines), Sentences(en_lines)};
  p.include_many = true;
  p.min_parallel_share = 0;  // the pair is comparable: store what is right in it, if anything
  absl::StatusOr<AlignToMemoryResult> r = Align(p);
  ASSERT_TRUE(r.ok()) << r.status();
  // The only right pairs (tests/fixtures/README.md).
  const std::set<std::pair<std::string, std::string>> right = {
      {ar_lines[0], en_lines[1]},
      {ar_lines[4], en_lines[3]},
      {ar_lines[4], en_lines[4]},
      {ar_lines[4], en_lines[3] + " " + en_lines[4]}};
  for (const Unit& u : Units("ar-en")) {
    EXPECT_TRUE(right.count({u.source, u.target})) << "wrong pair stored: " << u.source << " | " << u.target;
  }
}

TEST_F(AlignToMemoryTest, Errors) {
  AlignToMemoryParams p = Params("nope");
  EXPECT_EQ(Align(p).status().code(), absl::StatusCode::kNotFound);
  p = Params("ar-en");
  p.min_confidence = 1.5;
  EXPECT_EQ(Align(p).status().code(), absl::StatusCode::kInvalidArgument);
  p = Params("ar-en");
  p.min_parallel_share = 1.5;
  EXPECT_EQ(Align(p).status().code(), absl::StatusCode::kInvalidArgument);
  const align::DocumentPairInput input{ar_, en_};
  EXPECT_EQ(AlignWithMemory(*aligner_, &lexicons_, "nope", input).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(AlignWithMemory(*aligner_, nullptr, "ar-en", input).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(AlignWithMemory(*aligner_, nullptr, "", input).ok());  // no memory: FreeDict only
}

}  // namespace
}  // namespace qantara::tm
