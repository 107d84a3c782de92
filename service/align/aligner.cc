// The two-pass sentence aligner: featurize a document pair, align it, re-estimate
// the model from the first pass and align again; AlignBatch adds a lexicon learned
// from the batch's confident 1-1 beads.
#include "service/align/aligner.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <optional>

#include "service/align/anchors.h"
#include "service/align/tokenizer_analyzer.h"
#include "service/text/translit.h"

namespace qantara::align {

struct Aligner::Prepared {
  DocumentFeatures ar, en;
  std::function<bool()> cancelled;  // asked by the DP passes (DpOptions::cancelled)
};

namespace {

absl::Status Cancelled() { return absl::CancelledError("the alignment was cancelled"); }

}  // namespace

absl::StatusOr<std::unique_ptr<Aligner>> Aligner::Create(std::shared_ptr<const Lexicon> lexicon,
                                                         const AlignerOptions& options,
                                                         std::shared_ptr<const Analyzer> arabic,
                                                         std::shared_ptr<const Analyzer> english) {
  std::unique_ptr<Aligner> a(new Aligner());
  a->lexicon_ = std::move(lexicon);
  a->options_ = options;
  if (!arabic) {
    absl::StatusOr<std::unique_ptr<TokenizerAnalyzer>> an =
        TokenizerAnalyzer::Create(text::Language::kArabic);
    if (!an.ok()) return an.status();
    arabic = *std::move(an);
  }
  if (!english) {
    absl::StatusOr<std::unique_ptr<TokenizerAnalyzer>> an =
        TokenizerAnalyzer::Create(text::Language::kEnglish);
    if (!an.ok()) return an.status();
    english = *std::move(an);
  }
  a->arabic_ = std::move(arabic);
  a->english_ = std::move(english);
  // Built once per process (tens of milliseconds): now, not in the first Align.
  text::ArabicTransliterator::Shared();
  return a;
}

absl::Status Aligner::Featurize(const DocumentPairInput& input, Featurizer& fz, Prepared* p,
                                const std::function<bool()>& cancelled) const {
  p->ar = DocumentFeatures();
  p->en = DocumentFeatures();
  size_t done = 0;
  auto stop = [&] { return cancelled && (++done & 255) == 0 && cancelled(); };
  // English first: Arabic words have many translations, and only those the
  // English side has can ever match, so the Arabic side keeps just those.
  for (const SentenceInput& s : input.en) {
    if (stop()) return Cancelled();
    if (absl::Status st = fz.Add(text::Language::kEnglish, s.text, s.paragraph_end, &p->en); !st.ok()) {
      return st;
    }
  }
  std::vector<uint8_t> english_ids;
  for (uint32_t id : p->en.ids) {
    if (id >= english_ids.size()) english_ids.resize(id + 1, 0);
    english_ids[id] = 1;
  }
  for (const SentenceInput& s : input.ar) {
    if (stop()) return Cancelled();
    if (absl::Status st = fz.Add(text::Language::kArabic, s.text, s.paragraph_end, &p->ar, &english_ids);
        !st.ok()) {
      return st;
    }
  }
  KeepSharedIds(&p->ar, &p->en);
  return absl::OkStatus();
}

Alignment Aligner::Pass(const Prepared& p, const ModelParams& params, PairMaskCache* cache,
                        const std::vector<Bead>* previous) const {
  Alignment out;
  out.params = params;
  BeadScorer scorer(params, &p.ar, &p.en);
  const int n = static_cast<int>(p.ar.sentences.size());
  const int m = static_cast<int>(p.en.sentences.size());
  std::vector<Anchor> anchors;
  if (previous == nullptr) anchors = FindAnchors(p.ar, p.en);
  std::vector<double> centre = previous != nullptr ? PathCentre(*previous, n, m) : BandCentre(anchors, n, m);
  DpOptions dp = options_.dp;
  dp.cancelled = p.cancelled;
  if (previous != nullptr) dp.band = options_.refine_band;
  // The first pass only finds the path; posteriors come from the last.
  if (previous == nullptr && options_.reestimate) dp.posteriors = false;
  out.beads = AlignDp(p.ar, p.en, scorer, dp, n > 0 ? &centre : nullptr, &out.stats, cache);
  if (out.stats.cancelled) return out;
  for (Bead& b : out.beads) {
    b.evidence = MeasureEvidence(p.ar, p.en, params.length, b.ar_begin, b.ar_end, b.en_begin, b.en_end);
  }
  GateConfidences(options_.gate, params, &out.beads);
  for (Bead& b : out.beads) b.confidence = Confidence(b);
  return out;
}

Alignment Aligner::TwoPass(const Prepared& p) const {
  ModelParams params = options_.initial;
  double sa = 0, se = 0;
  for (const auto& s : p.ar.sentences) sa += s.length;
  for (const auto& s : p.en.sentences) se += s.length;
  if (sa > 0 && se > 0) params.length = LengthModel(se / sa, params.length.variance());
  PairMaskCache cache(&p.ar, &p.en);  // pair masks do not change between passes
  Alignment first = Pass(p, params, &cache);
  if (!options_.reestimate || first.stats.cancelled) return first;
  return Pass(p, Reestimate(p.ar, p.en, first.beads, params, &cache), &cache, &first.beads);
}

absl::StatusOr<Alignment> Aligner::Align(const DocumentPairInput& input, const TranslationSource* extra,
                                         const std::function<bool()>& cancelled) const {
  Featurizer fz(lexicon_.get(), arabic_.get(), english_.get());
  fz.SetExtraTranslations(extra);
  Prepared p;
  if (absl::Status s = Featurize(input, fz, &p, cancelled); !s.ok()) return s;
  p.cancelled = cancelled;
  Alignment out = TwoPass(p);
  if (out.stats.cancelled) return Cancelled();
  return out;
}

namespace {

// Joins the texts of sentences [b, e) with one space.
std::string Join(const std::vector<SentenceInput>& v, int b, int e) {
  std::string out;
  for (int k = b; k < e; ++k) {
    if (k > b) out.push_back(' ');
    out.append(v[k].text);
  }
  return out;
}

// Extra translations from two sources (memory-learned and batch-learned).
class UnionSource final : public TranslationSource {
 public:
  UnionSource(const TranslationSource* a, const TranslationSource* b) : a_(a), b_(b) {}
  const std::vector<std::string>* Lookup(std::string_view key) const override {
    const std::vector<std::string>* x = a_ ? a_->Lookup(key) : nullptr;
    const std::vector<std::string>* y = b_ ? b_->Lookup(key) : nullptr;
    if (!x || x->empty()) return y;
    if (!y || y->empty()) return x;
    std::string k(key);
    auto it = merged_.find(k);
    if (it == merged_.end()) {
      std::vector<std::string> m = *x;
      for (const auto& s : *y) {
        if (std::find(m.begin(), m.end(), s) == m.end()) m.push_back(s);
      }
      it = merged_.emplace(k, std::move(m)).first;
    }
    return &it->second;
  }

 private:
  const TranslationSource* a_;
  const TranslationSource* b_;
  mutable absl::flat_hash_map<std::string, std::vector<std::string>> merged_;
};

}  // namespace

absl::StatusOr<std::vector<Alignment>> Aligner::AlignBatch(const std::vector<DocumentPairInput>& inputs,
                                                           const TranslationSource* extra) const {
  std::vector<Alignment> out;
  if (!options_.learn_batch_lexicon) {
    for (const DocumentPairInput& in : inputs) {
      absl::StatusOr<Alignment> a = Align(in, extra);
      if (!a.ok()) return a.status();
      out.push_back(*std::move(a));
    }
    return out;
  }
  Featurizer fz(lexicon_.get(), arabic_.get(), english_.get());
  fz.SetExtraTranslations(extra);
  LexiconLearner learner(arabic_.get(), english_.get());
  for (const DocumentPairInput& in : inputs) {
    Prepared p;
    if (absl::Status s = Featurize(in, fz, &p); !s.ok()) return s;
    Alignment a = TwoPass(p);
    for (const Bead& b : a.beads) {
      if (b.ar_size() >= 1 && b.en_size() >= 1 && b.confidence >= options_.learn_min_confidence) {
        learner.AddPair(Join(in.ar, b.ar_begin, b.ar_end), Join(in.en, b.en_begin, b.en_end));
      }
    }
    out.push_back(std::move(a));
  }
  std::unique_ptr<LearnedLexicon> learned = learner.Build(options_.learning);
  UnionSource both(extra, learned.get());
  Featurizer fz2(lexicon_.get(), arabic_.get(), english_.get());
  fz2.SetExtraTranslations(&both);
  for (size_t d = 0; d < inputs.size(); ++d) {
    Prepared p;
    if (absl::Status s = Featurize(inputs[d], fz2, &p); !s.ok()) return s;
    PairMaskCache cache(&p.ar, &p.en);
    out[d] = Pass(p, Reestimate(p.ar, p.en, out[d].beads, out[d].params, &cache), &cache, &out[d].beads);
  }
  return out;
}

ModelParams Reestimate(const DocumentFeatures& ar, const DocumentFeatures& en, const std::vector<Bead>& beads,
                       const ModelParams& prior, PairMaskCache* cache) {
  ModelParams p = prior;
  std::vector<std::pair<double, double>> lengths;
  double matched[2][kNumEvidenceClasses] = {}, total[2][kNumEvidenceClasses] = {};
  double rmatched[2][kNumEvidenceClasses] = {}, rexposure[2][kNumEvidenceClasses] = {};
  std::optional<PairMaskCache> local_cache;
  if (cache == nullptr) cache = &local_cache.emplace(&ar, &en);
  const int m = static_cast<int>(en.sentences.size());
  for (const Bead& b : beads) {
    if (b.ar_size() != 1 || b.en_size() != 1) continue;
    const SentenceFeatures& sa = ar.sentences[b.ar_begin];
    const SentenceFeatures& se = en.sentences[b.en_begin];
    if (b.score > -5) {  // all but clearly wrong 1-1 beads (a stricter cut biases p_true up)
      lengths.emplace_back(sa.length, se.length);
      const PairMasks pm = cache->Get(b.ar_begin, b.en_begin);
      for (int c = 0; c < kNumEvidenceClasses; ++c) {
        matched[0][c] += std::popcount(sa.class_mask[c] & pm.ar);
        total[0][c] += std::popcount(sa.class_mask[c]);
        matched[1][c] += std::popcount(se.class_mask[c] & pm.en);
        total[1][c] += std::popcount(se.class_mask[c]);
      }
    }
    for (int d : {-5, 5}) {
      const int t = b.en_begin + d;
      if (t < 0 || t >= m) continue;
      const SentenceFeatures& so = en.sentences[t];
      const PairMasks pm = cache->Get(b.ar_begin, t);
      for (int c = 0; c < kNumEvidenceClasses; ++c) {
        rmatched[0][c] += std::popcount(sa.class_mask[c] & pm.ar);
        rexposure[0][c] += std::popcount(sa.class_mask[c]) * std::max(1, so.token_count());
        rmatched[1][c] += std::popcount(so.class_mask[c] & pm.en);
        rexposure[1][c] += std::popcount(so.class_mask[c]) * std::max(1, sa.token_count());
      }
    }
  }
  p.length = LengthModel::Estimate(lengths, prior.length.variance());
  constexpr double kPseudo = 20.0;       // prior weight, in tokens
  constexpr double kPseudoExp = 2000.0;  // prior weight, in token pairs
  for (int side = 0; side < 2; ++side) {
    for (int c = 0; c < kNumEvidenceClasses; ++c) {
      p.p_true[side][c] = std::clamp(
          (matched[side][c] + kPseudo * prior.p_true[side][c]) / (total[side][c] + kPseudo), 0.02, 0.98);
      p.q_random[side][c] = std::clamp(
          (rmatched[side][c] + kPseudoExp * prior.q_random[side][c]) / (rexposure[side][c] + kPseudoExp),
          1e-4, 0.5);
    }
  }
  return p;
}

absl::StatusOr<std::unique_ptr<Aligner>> CreateDefaultAligner(const std::string& dictd_dir,
                                                              const AlignerOptions& options) {
  auto ar = TokenizerAnalyzer::Create(text::Language::kArabic);
  if (!ar.ok()) return ar.status();
  auto en = TokenizerAnalyzer::Create(text::Language::kEnglish);
  if (!en.ok()) return en.status();
  std::shared_ptr<const Analyzer> arabic = *std::move(ar), english = *std::move(en);
  std::shared_ptr<const Lexicon> lexicon;
  if (!dictd_dir.empty()) {
    auto lex = LoadFreeDictLexicon(dictd_dir, *arabic, *english);
    if (!lex.ok()) return lex.status();
    lexicon = *std::move(lex);
  }
  return Aligner::Create(std::move(lexicon), options, std::move(arabic), std::move(english));
}

double Confidence(const Bead& bead) { return bead.posterior * bead.evidence.gate; }

double ParallelShare(const std::vector<Bead>& beads, double threshold) {
  int64_t all = 0, parallel = 0;
  for (const Bead& b : beads) {
    const int n = b.ar_size() + b.en_size();
    all += n;
    if (b.ar_size() > 0 && b.en_size() > 0 && b.confidence >= threshold) parallel += n;
  }
  return all > 0 ? static_cast<double>(parallel) / static_cast<double>(all) : 0.0;
}

}  // namespace qantara::align
