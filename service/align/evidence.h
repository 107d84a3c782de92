// The content evidence of one bead, independent of its neighbours, and the
// gate it puts on the bead's confidence (comparable documents, issue 19).
//
// The DP's posterior says how sure the model is that a bead beats the other
// ways of aligning its neighbourhood; in a comparable document pair (one side
// summarising, paraphrasing or replacing the other's sentences) the best of
// bad choices can still get a high posterior: a title beside a long sentence
// that shares its names, a sentence sandwiched between two good pairs that
// shares no content word. GateConfidences turns each two-sided bead's own
// evidence into P(translation): the bead's score without its shape prior
// (its token part weighs matched and unmatched content words with rates
// re-estimated for the pair, its length part the Gale-Church deviate), a
// penalty for a length ratio far from the pair's (a title is not the
// translation of a long sentence), and the pair's share of real translations,
// estimated from all its beads, as the prior: a weak bead is trusted in a
// parallel document, not in a comparable one. BeadEvidence also counts the
// content tokens matched by translation and by form (names, numbers, Latin
// words) apart, for diagnostics and calibration (align_cases writes them;
// tests/bench/comparable_eval.py --dump): as the gate's ratio they separated
// right from wrong pairs no better than the score (tests/bench/README.md).
#ifndef QANTARA_SERVICE_ALIGN_EVIDENCE_H_
#define QANTARA_SERVICE_ALIGN_EVIDENCE_H_

#include <algorithm>
#include <cmath>
#include <vector>

#include "service/align/features.h"
#include "service/align/model.h"

namespace qantara::align {

struct BeadEvidence {
  // Content tokens of each side (words, numbers, Latin words; stopwords,
  // punctuation and tokens past kMaxTokens are not counted).
  int ar_content = 0;
  int en_content = 0;
  // Of them: words matched by a translation (a lexicon concept), and
  // tokens matched only by form (a name's skeleton, digits, a verbatim word).
  int ar_translated = 0;
  int en_translated = 0;
  int ar_form = 0;
  int en_form = 0;
  // Content tokens that could match at all: with an id that some token on
  // the other side of the document has (KeepSharedIds leaves only those). A
  // word the lexicon cannot translate into anything the other document says
  // is no evidence either way.
  int ar_matchable = 0;
  int en_matchable = 0;
  // Words (content tokens of class word) of each side.
  int ar_words = 0;
  int en_words = 0;
  // Lengths (code points, whitespace excluded) of each side.
  double ar_length = 0;
  double en_length = 0;
  // The Gale-Church deviate of the two sides' lengths (LengthModel::Delta).
  double length_z = 0;
  bool measured = false;  // false for a bead with an empty side
  // The probability that the bead is a translation given this evidence and
  // the document pair's share of translated beads (GateConfidences); 1 when
  // not gated.
  double gate = 1.0;
};

// How the content evidence gates a bead's confidence (GateConfidences).
// Fitted on the comparable NTREX cases of tests/bench/comparable_eval.py
// (tests/bench/README.md says how).
struct ContentGateOptions {
  bool enabled = true;
  // The evidence log-likelihood ratio of a bead: scale × (score − log prior
  // of its shape) + offset − length_weight × max(0, |log length ratio| −
  // length_tolerance)², the length ratio being (English + 10) / (ratio ×
  // Arabic + 10) in code points.
  double scale = 0.7;
  double offset = -1.0;
  double length_weight = 8.0;
  double length_tolerance = 0.6;
  // The share of translated beads is estimated per document pair (EM over
  // its two-sided beads) with this many pseudo-beads at prior_share, and kept
  // in [min_share, max_share].
  double prior_beads = 2.0;
  double prior_share = 0.9;
  double min_share = 0.01;
  double max_share = 0.99;
};

// The evidence log-likelihood ratio of one two-sided bead (see
// ContentGateOptions); `log_prior` is the log prior of its shape.
double EvidenceLlr(const ContentGateOptions& options, double score, double log_prior,
                   const BeadEvidence& evidence, double length_ratio);

// Sets evidence.gate of every two-sided bead to P(translation | its
// evidence, π) = σ(logit π + EvidenceLlr), π being the document pair's share
// of translated beads estimated from all of them, and returns π (1 when there
// is no two-sided bead or the gate is off). REQUIRES: the evidence measured
// under `params`; ar_size/en_size of every bead a shape of kBeadShapes.
template <typename BeadT>
double GateConfidences(const ContentGateOptions& options, const ModelParams& params,
                       std::vector<BeadT>* beads);

// The evidence of the bead of Arabic sentences [ar_begin, ar_end) and
// English sentences [en_begin, en_end) under `length`.
BeadEvidence MeasureEvidence(const DocumentFeatures& ar, const DocumentFeatures& en,
                             const LengthModel& length, int ar_begin, int ar_end, int en_begin, int en_end);

// The translated share π maximising the likelihood of beads with evidence
// log-likelihood ratios `llr` (EM on a two-component mixture, with
// options.prior_beads pseudo-beads at options.prior_share).
double EstimateTranslatedShare(const ContentGateOptions& options, const std::vector<double>& llr);

inline double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-std::clamp(x, -50.0, 50.0))); }

template <typename BeadT>
double GateConfidences(const ContentGateOptions& options, const ModelParams& params,
                       std::vector<BeadT>* beads) {
  if (!options.enabled) return 1.0;
  std::vector<double> llr;
  for (const BeadT& b : *beads) {
    if (!b.evidence.measured) continue;
    int shape = 0;
    while (shape + 1 < static_cast<int>(kBeadShapes.size()) &&
           (kBeadShapes[shape].ar != b.ar_size() || kBeadShapes[shape].en != b.en_size())) {
      ++shape;
    }
    llr.push_back(EvidenceLlr(options, b.score, params.log_prior[shape], b.evidence, params.length.ratio()));
  }
  if (llr.empty()) return 1.0;
  const double share = EstimateTranslatedShare(options, llr);
  const double prior = std::log(share / (1.0 - share));
  size_t k = 0;
  for (BeadT& b : *beads) {
    if (b.evidence.measured) b.evidence.gate = Sigmoid(prior + llr[k++]);
  }
  return share;
}

}  // namespace qantara::align

#endif  // QANTARA_SERVICE_ALIGN_EVIDENCE_H_
