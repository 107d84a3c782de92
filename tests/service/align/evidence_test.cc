// Content evidence and the confidence gate (comparable documents, issue 19):
// translated and form-matched tokens counted apart, the length ratio and the
// document's translated share gating a bead; and the seed-comparable pair of
// ../shared aligned with FreeDict: no wrong pair at the auto-accept threshold,
// the English title not taken for the translation of a long sentence.
#include "service/align/evidence.h"

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "service/align/aligner.h"
#include "service/align/document.h"
#include "service/text/segmenter.h"
#include "tests/service/align/test_docs.h"

namespace qantara::align {
namespace {

using testing::MakeDoc;
using testing::Sent;
using testing::Words;

// One hand-made bead (what GateConfidences reads).
Bead MakeBead(int a0, int a1, int e0, int e1, double score, double ar_len, double en_len) {
  Bead b;
  b.ar_begin = a0;
  b.ar_end = a1;
  b.en_begin = e0;
  b.en_end = e1;
  b.score = score;
  b.posterior = 1.0;
  b.evidence.measured = a1 > a0 && e1 > e0;
  b.evidence.ar_length = ar_len;
  b.evidence.en_length = en_len;
  return b;
}

TEST(EvidenceTest, CountsTranslationsAndFormsApart) {
  // Arabic sentence: ids 1 (a translation), 2 (a name's skeleton), 3 (no
  // match); English: 1, 2 and 4.
  DocumentFeatures ar = MakeDoc({Sent{30, {{1}, {2}, {3}}}});
  DocumentFeatures en = MakeDoc({Sent{30, {{1}, {2}, {4}}}});
  ar.by_form = {0, 1, 0};
  en.by_form = {0, 1, 0};
  const BeadEvidence ev = MeasureEvidence(ar, en, LengthModel(1.0, 6.8), 0, 1, 0, 1);
  EXPECT_TRUE(ev.measured);
  EXPECT_EQ(ev.ar_content, 3);
  EXPECT_EQ(ev.en_content, 3);
  EXPECT_EQ(ev.ar_translated, 1);
  EXPECT_EQ(ev.en_translated, 1);
  EXPECT_EQ(ev.ar_form, 1);
  EXPECT_EQ(ev.en_form, 1);
  EXPECT_EQ(ev.ar_matchable, 3);  // MakeDoc ids are not reduced to shared ones
  EXPECT_DOUBLE_EQ(ev.ar_length, 30);
  EXPECT_NEAR(ev.length_z, 0.0, 1e-9);
  // A form id never matches a translation id with the same number.
  en.by_form = {1, 1, 0};
  EXPECT_EQ(MeasureEvidence(ar, en, LengthModel(1.0, 6.8), 0, 1, 0, 1).ar_translated, 0);
  // A one-sided bead is not measured.
  EXPECT_FALSE(MeasureEvidence(ar, en, LengthModel(1.0, 6.8), 0, 1, 0, 0).measured);
}

TEST(EvidenceTest, LengthRatioOutweighsScore) {
  ContentGateOptions o;
  BeadEvidence ev;
  ev.measured = true;
  // The same bead score: lengths in the expected ratio, then a title of 40
  // code points beside a sentence of 250, then a four-word sentence beside a
  // forty-word one.
  ev.ar_length = 120;
  ev.en_length = 130;
  const double fair = EvidenceLlr(o, 10, -0.11, ev, 1.1);
  ev.en_length = 40;
  ev.ar_length = 250;
  const double title = EvidenceLlr(o, 10, -0.11, ev, 1.1);
  ev.en_length = 20;
  ev.ar_length = 200;
  const double four_words = EvidenceLlr(o, 10, -0.11, ev, 1.1);
  EXPECT_GT(fair, 5);
  EXPECT_LT(title, fair - 2);
  EXPECT_LT(four_words, -5);
}

TEST(EvidenceTest, WeakBeadsTrustedInAParallelDocumentOnly) {
  const ModelParams params;
  // A parallel document: nine beads with strong evidence, one weak one.
  std::vector<Bead> parallel;
  for (int k = 0; k < 9; ++k) parallel.push_back(MakeBead(k, k + 1, k, k + 1, 15, 100, 100));
  parallel.push_back(MakeBead(9, 10, 9, 10, 2, 100, 100));
  const double share = GateConfidences(ContentGateOptions(), params, &parallel);
  EXPECT_GT(share, 0.85);
  EXPECT_GT(parallel[0].evidence.gate, 0.999);
  // A comparable one: the same weak bead among weak ones.
  std::vector<Bead> comparable;
  for (int k = 0; k < 9; ++k) comparable.push_back(MakeBead(k, k + 1, k, k + 1, -1, 100, 100));
  comparable.push_back(MakeBead(9, 10, 9, 10, 2, 100, 100));
  EXPECT_LT(GateConfidences(ContentGateOptions(), params, &comparable), 0.3);
  EXPECT_LT(comparable[9].evidence.gate, parallel[9].evidence.gate);
  EXPECT_LT(comparable[9].evidence.gate, 0.9);
  // One-sided beads are not gated; the gate can be turned off.
  std::vector<Bead> one_sided = {MakeBead(0, 1, 0, 0, -4, 100, 0)};
  EXPECT_EQ(GateConfidences(ContentGateOptions(), params, &one_sided), 1.0);
  EXPECT_EQ(one_sided[0].evidence.gate, 1.0);
  ContentGateOptions off;
  off.enabled = false;
  std::vector<Bead> weak = comparable;
  for (Bead& b : weak) b.evidence.gate = 1.0;
  GateConfidences(off, params, &weak);
  EXPECT_EQ(weak[0].evidence.gate, 1.0);
}

TEST(EvidenceTest, ParallelShareCountsSentencesOfConfidentTwoSidedBeads) {
  std::vector<Bead> beads = {MakeBead(0, 1, 0, 1, 0, 1, 1), MakeBead(1, 2, 1, 3, 0, 1, 1),
                             MakeBead(2, 3, 3, 3, 0, 1, 1), MakeBead(3, 4, 3, 4, 0, 1, 1)};
  beads[0].confidence = 0.95;
  beads[1].confidence = 0.99;
  beads[2].confidence = 1.0;  // one-sided: never parallel
  beads[3].confidence = 0.5;
  EXPECT_DOUBLE_EQ(ParallelShare(beads, 0.9), 5.0 / 8.0);
  EXPECT_DOUBLE_EQ(ParallelShare(beads, 0.4), 7.0 / 8.0);
  EXPECT_EQ(ParallelShare({}, 0.9), 0.0);
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The seed-comparable pair (tests/fixtures/README.md): the Arabic report from
// ../shared, the English title and opening paragraph from tests/fixtures.
TEST(ComparableTest, SeedComparableStoresNoWrongPair) {
  const char* shared = std::getenv("QANTARA_SHARED");
  const char* source = std::getenv("QANTARA_SOURCE_DIR");
  const std::string ar_doc =
      Slurp(std::string(shared ? shared : "../shared") + "/data/seed-comparable/ar-news-report.txt");
  const std::string en_doc =
      Slurp(std::string(source ? source : ".") + "/tests/fixtures/seed-comparable.en.txt");
  if (ar_doc.empty()) GTEST_SKIP() << "../shared/data/seed-comparable not found";
  ASSERT_FALSE(en_doc.empty()) << "tests/fixtures/seed-comparable.en.txt not found (QANTARA_SOURCE_DIR)";
  auto aligner = CreateDefaultAligner(kDefaultDictdDir, AlignerOptions());
  if (!aligner.ok()) GTEST_SKIP() << "FreeDict not installed: " << aligner.status();
  auto ar_seg = text::SentenceSegmenter::Create(text::Language::kArabic);
  ASSERT_TRUE(ar_seg.ok());
  auto ar_sentences = SegmentDocument(**ar_seg, ar_doc);
  ASSERT_TRUE(ar_sentences.ok());
  DocumentPairInput in;
  in.ar = ToInput(ar_doc, *ar_sentences);
  ASSERT_EQ(in.ar.size(), 11u);  // ten sentences and the share line
  std::vector<std::string> en_lines;
  for (std::istringstream lines(en_doc); !lines.eof();) {
    std::string l;
    std::getline(lines, l);
    if (!l.empty()) en_lines.push_back(l);
  }
  ASSERT_EQ(en_lines.size(), 7u);
  for (const std::string& l : en_lines) in.en.push_back({l, false});
  // The real pairs: report sentence 0 / English line 1, sentence 4 / lines 3 and 4.
  const std::set<std::pair<std::pair<int, int>, std::pair<int, int>>> right = {
      {{0, 1}, {1, 2}}, {{4, 5}, {3, 4}}, {{4, 5}, {4, 5}}, {{4, 5}, {3, 5}}};
  absl::StatusOr<Alignment> a = (*aligner)->Align(in);
  ASSERT_TRUE(a.ok()) << a.status();
  int confident = 0;
  for (const Bead& b : a->beads) {
    if (b.ar_size() == 0 || b.en_size() == 0) continue;
    if (b.en_begin == 0) {
      EXPECT_LT(b.confidence, 0.5) << "the title paired with Arabic sentence " << b.ar_begin;
    }
    if (b.confidence < kDefaultAcceptThreshold) continue;
    ++confident;
    EXPECT_TRUE(right.count({{b.ar_begin, b.ar_end}, {b.en_begin, b.en_end}}))
        << "wrong pair at " << b.confidence << ": Arabic " << b.ar_begin << ".." << b.ar_end << ", English "
        << b.en_begin << ".." << b.en_end;
  }
  EXPECT_LE(confident, 2);
  EXPECT_LT(ParallelShare(a->beads, kDefaultAcceptThreshold), 0.5);
}

}  // namespace
}  // namespace qantara::align
