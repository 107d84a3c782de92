// libFuzzer target: the sentence aligner (service/align) on random sentence
// lists. Byte 0 picks the mode:
//  - Aligner::Align (or AlignBatch on two pairs): Arabic and English sentence
//    lists made from a small vocabulary (translations of each other in a
//    small lexicon, numbers, names, punctuation, boilerplate), with
//    paragraph ends, empty and whitespace-only sentences, now and then
//    invalid UTF-8; aligners with the defaults, without re-estimation, and
//    with a narrow band;
//  - AlignDp directly on random DocumentFeatures (lengths, token ids,
//    paragraph ends) with a random band, posteriors on or off, and the
//    diagonal, the anchors' centre or a random non-decreasing centre.
// Checks: every sentence of each side is in exactly one bead, beads in
// order, none empty; posteriors and confidences in [0, 1] (not NaN); invalid
// UTF-8 is InvalidArgument and the only error.
//
//   tests/fuzz/run_fuzzers.sh   (build-fuzz/fuzz/fuzz_aligner, seeds in tests/fuzz/corpus/fuzz_aligner)
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "service/align/aligner.h"
#include "service/align/anchors.h"
#include "service/align/dp.h"
#include "service/align/tokenizer_analyzer.h"
#include "service/text/utf8.h"
#include "tests/fuzz/fuzz_check.h"

namespace qantara::align {
namespace {

using fuzz::Check;

// (Arabic, English) words that translate each other; the lexicon knows the
// first 12.
const std::vector<std::pair<std::string, std::string>> kWords = {{"حكومة", "government"},
                                                                 {"وزير", "minister"},
                                                                 {"أعلن", "announced"},
                                                                 {"خطة", "plan"},
                                                                 {"جديدة", "new"},
                                                                 {"مدارس", "schools"},
                                                                 {"طلاب", "students"},
                                                                 {"مدينة", "city"},
                                                                 {"أمطار", "rain"},
                                                                 {"غزيرة", "heavy"},
                                                                 {"شوارع", "streets"},
                                                                 {"مغلقة", "closed"},
                                                                 {"تامبا", "Tampa"},
                                                                 {"2024", "2024"},
                                                                 {"٣", "3"},
                                                                 {"في", "in"},
                                                                 {"و", "and"},
                                                                 {"مشاركة", "Share"},
                                                                 {"؟", "?"},
                                                                 {"«", "\""},
                                                                 {"الرئيس", "president"},
                                                                 {"زار", "visited"},
                                                                 {"كهذا", "like"},
                                                                 {"لساعات", "hours"}};

std::shared_ptr<const Lexicon> SmallLexicon(const Analyzer& ar, const Analyzer& en) {
  auto lex = std::make_shared<Lexicon>();
  for (size_t i = 0; i < 12; ++i) {
    const uint32_t id = lex->InternEnglish(en.Keys(kWords[i].second).back());
    for (const std::string& k : ar.Keys(kWords[i].first)) lex->Add(k, id);
  }
  lex->Finish();
  return lex;
}

// Aligners: 0 the defaults, 1 one pass without re-estimation, 2 a narrow band.
const Aligner& GetAligner(int which) {
  static const Aligner* aligners[3] = {};
  if (aligners[which] == nullptr) {
    static std::shared_ptr<const Analyzer> ar =
        std::move(*TokenizerAnalyzer::Create(text::Language::kArabic));
    static std::shared_ptr<const Analyzer> en =
        std::move(*TokenizerAnalyzer::Create(text::Language::kEnglish));
    AlignerOptions o;
    if (which == 1) o.reestimate = false;
    if (which == 2) {
      o.dp.band = 1;
      o.dp.max_widenings = 2;
      o.refine_band = 1;
    }
    absl::StatusOr<std::unique_ptr<Aligner>> a = Aligner::Create(SmallLexicon(*ar, *en), o, ar, en);
    Check(a.ok(), "Aligner::Create");
    aligners[which] = a->release();
  }
  return *aligners[which];
}

// Every sentence in exactly one bead, beads in order and not empty.
void CheckCovering(const std::vector<Bead>& beads, int n, int m, bool confidences) {
  int i = 0, j = 0;
  for (const Bead& b : beads) {
    Check(b.ar_begin == i && b.en_begin == j, "beads in order, no sentence skipped or repeated");
    Check(b.ar_end >= b.ar_begin && b.en_end >= b.en_begin, "a bead's ranges are not reversed");
    Check(b.ar_size() > 0 || b.en_size() > 0, "no empty bead");
    Check(b.posterior >= 0 && b.posterior <= 1, "posterior in [0, 1]");
    if (confidences) Check(b.confidence >= 0 && b.confidence <= 1, "confidence in [0, 1]");
    i = b.ar_end;
    j = b.en_end;
  }
  Check(i == n && j == m, "every sentence in a bead");
}

// A sentence list of one side: words of the vocabulary (their translations
// on the other side when `mirror` gives them), sometimes empty, blank or
// invalid UTF-8. Texts are kept in `store` (SentenceInput holds views).
void MakeSide(FuzzedDataProvider& fdp, bool arabic, int count, std::vector<std::string>& store,
              std::vector<bool>& paragraph_ends, bool* invalid) {
  for (int s = 0; s < count; ++s) {
    std::string text;
    switch (fdp.ConsumeIntegralInRange(0, 15)) {
      case 0: break;  // empty
      case 1: text = " \t "; break;
      case 2:
        if (fdp.ConsumeIntegralInRange(0, 3) == 0) {
          text = "\xff\xfe";  // invalid UTF-8
          *invalid = true;
          break;
        }
        [[fallthrough]];
      default:
        for (int w = fdp.ConsumeIntegralInRange(1, 12); w > 0; --w) {
          const auto& [a, e] = kWords[fdp.ConsumeIntegralInRange<size_t>(0, kWords.size() - 1)];
          if (!text.empty()) text += ' ';
          text += arabic ? a : e;
        }
        if (fdp.ConsumeBool()) text += '.';
    }
    store.push_back(std::move(text));
    paragraph_ends.push_back(fdp.ConsumeIntegralInRange(0, 5) == 0);
  }
}

void AlignText(FuzzedDataProvider& fdp) {
  const Aligner& aligner = GetAligner(fdp.ConsumeIntegralInRange(0, 2));
  const int pairs = fdp.ConsumeIntegralInRange(0, 3) == 0 ? 2 : 1;
  std::vector<std::string> texts[2][2];
  std::vector<bool> ends[2][2];
  bool invalid = false;
  std::vector<DocumentPairInput> inputs(pairs);
  for (int p = 0; p < pairs; ++p) {
    for (int side = 0; side < 2; ++side) {
      const int count = fdp.ConsumeIntegralInRange(0, fdp.ConsumeBool() ? 6 : 40);
      texts[p][side].reserve(count);
      MakeSide(fdp, side == 0, count, texts[p][side], ends[p][side], &invalid);
      std::vector<SentenceInput>& list = side == 0 ? inputs[p].ar : inputs[p].en;
      for (size_t s = 0; s < texts[p][side].size(); ++s)
        list.push_back({texts[p][side][s], ends[p][side][s]});
    }
  }
  std::vector<Alignment> out;
  absl::Status status;
  if (pairs == 1) {
    absl::StatusOr<Alignment> a = aligner.Align(inputs[0]);
    status = a.status();
    if (a.ok()) out.push_back(*std::move(a));
  } else {
    absl::StatusOr<std::vector<Alignment>> a = aligner.AlignBatch(inputs);
    status = a.status();
    if (a.ok()) out = *std::move(a);
  }
  if (invalid) {
    Check(status.code() == absl::StatusCode::kInvalidArgument, "invalid UTF-8 is InvalidArgument");
    return;
  }
  Check(status.ok(), "valid sentences align");
  Check(out.size() == inputs.size(), "one alignment a pair");
  for (size_t p = 0; p < out.size(); ++p) {
    CheckCovering(out[p].beads, static_cast<int>(inputs[p].ar.size()), static_cast<int>(inputs[p].en.size()),
                  true);
    const double share = ParallelShare(out[p].beads, 0.5);
    Check(share >= 0 && share <= 1, "parallel share in [0, 1]");
  }
}

DocumentFeatures RandomDoc(FuzzedDataProvider& fdp, int count) {
  DocumentFeatures d;
  for (int s = 0; s < count; ++s) {
    SentenceFeatures sf;
    sf.length = fdp.ConsumeIntegralInRange<uint32_t>(0, fdp.ConsumeBool() ? 80 : 5000);
    sf.paragraph_end = fdp.ConsumeIntegralInRange(0, 4) == 0;
    sf.tok_begin = static_cast<uint32_t>(d.tokens.size());
    const int tokens = fdp.ConsumeIntegralInRange(0, fdp.ConsumeBool() ? 6 : kMaxTokens);
    for (int k = 0; k < tokens; ++k) {
      TokenFeatures t;
      t.id_begin = static_cast<uint32_t>(d.ids.size());
      for (int n = fdp.ConsumeIntegralInRange(1, 3); n > 0; --n)
        d.ids.push_back(fdp.ConsumeIntegralInRange(0, 30));
      t.id_end = static_cast<uint32_t>(d.ids.size());
      d.tokens.push_back(t);
      sf.class_mask[fdp.ConsumeIntegralInRange(0, kNumEvidenceClasses - 1)] |= uint64_t{1} << k;
    }
    sf.tok_end = static_cast<uint32_t>(d.tokens.size());
    d.sentences.push_back(sf);
  }
  return d;
}

void AlignFeatures(FuzzedDataProvider& fdp) {
  const int n = fdp.ConsumeIntegralInRange(0, fdp.ConsumeBool() ? 8 : 120);
  const int m = fdp.ConsumeIntegralInRange(0, fdp.ConsumeBool() ? 8 : 120);
  const DocumentFeatures ar = RandomDoc(fdp, n);
  const DocumentFeatures en = RandomDoc(fdp, m);
  ModelParams params;
  params.length =
      LengthModel(fdp.ConsumeIntegralInRange(5, 20) / 10.0, fdp.ConsumeIntegralInRange(1, 100) / 10.0);
  BeadScorer scorer(params, &ar, &en);
  DpOptions o;
  o.band = fdp.ConsumeIntegralInRange(0, 12);
  o.max_widenings = fdp.ConsumeIntegralInRange(0, 6);
  o.posteriors = fdp.ConsumeBool();
  std::vector<double> centre;
  switch (fdp.ConsumeIntegralInRange(0, 2)) {
    case 0: break;  // the diagonal
    case 1: centre = BandCentre(FindAnchors(ar, en), n, m); break;
    case 2: {
      double c = fdp.ConsumeIntegralInRange(-3, 3);
      for (int i = 0; i <= n; ++i) {
        centre.push_back(c);
        c += fdp.ConsumeIntegralInRange(0, 30) / 10.0;
      }
      break;
    }
  }
  Check(centre.empty() || centre.size() == static_cast<size_t>(n) + 1, "a centre for every row");
  DpStats stats;
  PairMaskCache cache(&ar, &en);
  const std::vector<Bead> beads = AlignDp(ar, en, scorer, o, centre.empty() ? nullptr : &centre, &stats,
                                          fdp.ConsumeBool() ? &cache : nullptr);
  Check(!stats.cancelled, "not cancelled");
  CheckCovering(beads, n, m, false);
  // The path's centre is a valid centre for a second run over the same pair.
  const std::vector<double> path = PathCentre(beads, n, m);
  Check(path.size() == static_cast<size_t>(n) + 1, "PathCentre: a centre for every row");
  for (size_t i = 1; i < path.size(); ++i) Check(path[i - 1] <= path[i], "PathCentre is non-decreasing");
  CheckCovering(AlignDp(ar, en, scorer, o, &path, nullptr, &cache), n, m, false);
}

}  // namespace
}  // namespace qantara::align

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace qantara::align;
  if (size == 0) return 0;
  FuzzedDataProvider fdp(data + 1, size - 1);
  if (data[0] & 1) {
    AlignText(fdp);
  } else {
    AlignFeatures(fdp);
  }
  return 0;
}
