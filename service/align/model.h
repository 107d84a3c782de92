// The scoring model: how strongly the evidence says that a group of Arabic
// sentences and a group of English sentences are translations (a bead).
//
// A bead's score is a log-likelihood ratio, "aligned" against "unrelated",
// plus the log prior of its shape, so the best alignment maximises the sum:
//  - length (Gale & Church 1993): English length ≈ ratio × Arabic length,
//    with a variance growing with length; both are estimated from the
//    document pair itself (LengthModel::Estimate);
//  - token evidence, per evidence class (dictionary words, numbers, Latin
//    words, ? and quotes) and per side: a token of an aligned bead finds a
//    match on the other side with probability p_true, of an unrelated pair
//    with probability 1-(1-q)^N for N tokens on the other side;
//  - paragraph ends on both sides at the bead's end: a small bonus (soft
//    anchor).
// Every part is a pure function, testable on its own.
#ifndef QANTARA_SERVICE_ALIGN_MODEL_H_
#define QANTARA_SERVICE_ALIGN_MODEL_H_

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <vector>

#include "service/align/features.h"

namespace qantara::align {

// Bead shapes (Arabic sentences, English sentences).
struct BeadShape {
  int ar;
  int en;
};
inline constexpr std::array<BeadShape, 8> kBeadShapes = {
    {{1, 1}, {1, 0}, {0, 1}, {2, 1}, {1, 2}, {2, 2}, {3, 1}, {1, 3}}};

class LengthModel {
 public:
  LengthModel() = default;
  LengthModel(double ratio, double variance) : ratio_(ratio), variance_(variance), inv_ratio_(1.0 / ratio) {}

  // English characters per Arabic character, and the variance per
  // character of the difference.
  double ratio() const { return ratio_; }
  double variance() const { return variance_; }

  // The Gale-Church deviate of an Arabic length `ar` and English length `en`.
  double Delta(double ar, double en) const {
    const double mean = (ar + en / ratio_) / 2.0;
    return (en - ratio_ * ar) / std::sqrt(variance_ * std::max(mean, 1.0));
  }
  // log N(δ; 0, 1) − log N(δ; 0, spread²): how much more likely the lengths
  // are for a translation than for unrelated sentences; bounded below.
  // (Computed from δ² directly: one division, no square root; the DP calls
  // it for every bead it scores.)
  double LogLikelihoodRatio(double ar, double en) const {
    constexpr double kRandomSpread = 4.0;  // unrelated sentences: deviates 4x as wide
    constexpr double kMinLengthLlr = -12.0;
    constexpr double kScale = -0.5 * (1.0 - 1.0 / (kRandomSpread * kRandomSpread));
    constexpr double kLogSpread = 1.3862943611198906;  // log(kRandomSpread)
    const double x = en - ratio_ * ar;
    const double d2 = x * x / (variance_ * std::max((ar + en * inv_ratio_) * 0.5, 1.0));
    return std::max(kScale * d2 + kLogSpread, kMinLengthLlr);
  }

  // Ratio = total English / total Arabic length of the given length pairs;
  // variance = trimmed mean of (en − ratio·ar)² / mean length. With fewer
  // than 3 pairs, `fallback_variance`.
  static LengthModel Estimate(const std::vector<std::pair<double, double>>& ar_en_lengths,
                              double fallback_variance);

 private:
  double ratio_ = 1.0;
  double variance_ = 6.8;
  double inv_ratio_ = 1.0;
};

struct ModelParams {
  LengthModel length;
  double length_weight = 1.0;
  // [side: 0 Arabic, 1 English][EvidenceClass]
  double p_true[2][kNumEvidenceClasses] = {{0.40, 0.85, 0.85, 0.85}, {0.40, 0.85, 0.85, 0.85}};
  double q_random[2][kNumEvidenceClasses] = {{0.01, 0.01, 0.01, 0.05}, {0.01, 0.01, 0.01, 0.05}};
  double token_weight = 1.0;     // scales the token log-likelihood ratios
  double paragraph_bonus = 0.5;  // both sides end a paragraph at the bead's end
  // Per paragraph end inside a bead (not at its end), on either side: beads
  // rarely cross paragraphs.
  double paragraph_crossing = -1.0;
  // Per sentence of a many-sided bead (2-1, 1-2, ...) that has no matched
  // token at all: joining it needs evidence, else it is a 1-0 / 0-1 bead
  // (boilerplate next to a sentence).
  double unsupported_join = -1.5;
  // log prior of each bead shape, in kBeadShapes order
  std::array<double, 8> log_prior = {-0.11, -4.0, -4.0, -3.5, -3.5, -5.5, -5.5, -5.5};
};

// The tokens of an Arabic sentence s matched by an English sentence t
// (`ar`, bit k = token k of s) and the tokens of t matched by s (`en`).
struct PairMasks {
  uint64_t ar = 0;
  uint64_t en = 0;
};

// Computes PairMasks for one Arabic sentence against many English ones.
// Match ids index a dense array (one word per id up to the largest Arabic
// id), so DocumentFeatures whose ids are compact (KeepSharedIds) are best.
class PairMatcher {
 public:
  PairMatcher(const DocumentFeatures* ar, const DocumentFeatures* en);
  // Prepares Arabic sentence `s`.
  void SetArabic(int s);
  // The masks of the prepared Arabic sentence against English sentence `t`.
  PairMasks Match(int t) const;
  int arabic_sentences() const { return static_cast<int>(ar_->sentences.size()); }

 private:
  const DocumentFeatures* ar_;
  const DocumentFeatures* en_;
  int current_ = -1;
  // bits_[id]: the tokens of the prepared Arabic sentence that have match id `id`
  std::vector<uint64_t> bits_;
};

// The PairMasks of sentence pairs, each computed once per document pair and
// shared by every DP pass and the re-estimation between them. Not
// thread-safe.
class PairMaskCache {
 public:
  // The pointers must outlive this.
  PairMaskCache(const DocumentFeatures* ar, const DocumentFeatures* en) : matcher_(ar, en) {}

  // The masks of Arabic sentence `s` against English sentences [lo, hi],
  // contiguous; computed on first use. REQUIRES: 0 <= lo <= hi < English
  // sentences; the pointer is valid until the next call.
  const PairMasks* Row(int s, int lo, int hi);
  // The masks of one pair: from the cache when stored, else computed.
  PairMasks Get(int s, int t);

 private:
  struct RowMasks {
    int lo = 0;
    std::vector<PairMasks> masks;  // English sentences lo, lo + 1, ...
  };
  PairMatcher matcher_;
  std::vector<RowMasks> rows_;
};

// The token parts of the 1-1 bead (s, t): its masks and the two sides'
// token log-likelihood ratios (BeadScorer::SideLlr).
struct PairScore {
  PairMasks masks;
  double ar_llr = 0;
  double en_llr = 0;
};

// Precomputed log-ratios for ModelParams: a matched / unmatched token of
// class c on side x, when the other side has N tokens.
class BeadScorer {
 public:
  static constexpr int kMaxOther = 3 * kMaxTokens + 1;
  BeadScorer(const ModelParams& params, const DocumentFeatures* ar, const DocumentFeatures* en);

  // The score of the bead of Arabic sentences [s0, s0+a) and English
  // sentences [t0, t0+b); `masks(s, t)` gives the PairMasks of one pair.
  // REQUIRES: (a, b) is kBeadShapes[shape].
  template <typename MaskFn>
  double Score(int s0, int a, int t0, int b, int shape, const MaskFn& masks) const;

  // Exactly Score(s0, A, t0, B, shape, ...), faster: `pair(s, t)` gives the
  // PairScore (ScorePair) of one pair, so 1-1 beads and the sides of 1-n and
  // n-1 beads need no new work. REQUIRES: (A, B) is kBeadShapes[shape].
  template <int A, int B, typename PairFn>
  double ScoreFromPairs(int s0, int t0, int shape, const PairFn& pair) const;

  // The PairScore of Arabic sentence s and English sentence t with masks m.
  PairScore ScorePair(int s, int t, const PairMasks& m) const;

  // The token part of a 1-1 bead's score, for tests and diagnostics.
  double TokenLlr(int s, int t, const PairMasks& m) const;

  // The token log-likelihood ratio of one sentence on `side` (0 Arabic, 1
  // English) whose tokens `matched` found a match among `other_tokens`
  // tokens on the other side.
  double SideLlr(int side, const SentenceFeatures& sf, uint64_t matched, int other_tokens) const {
    const int n_other = other_tokens < kMaxOther ? other_tokens : kMaxOther - 1;
    const double* lm = &lm_[(side * kMaxOther + n_other) * kNumEvidenceClasses];
    const double* lu = &lu_[(side * kMaxOther + n_other) * kNumEvidenceClasses];
    double llr = 0;
    for (int c = 0; c < kNumEvidenceClasses; ++c) {
      const uint64_t cm = sf.class_mask[c];
      if (cm == 0) continue;
      const int n = std::popcount(cm);
      const int m = std::popcount(cm & matched);
      llr += m * lm[c] + (n - m) * lu[c];
    }
    return llr;
  }

  const ModelParams& params() const { return params_; }

 private:
  ModelParams params_;
  const DocumentFeatures* ar_;
  const DocumentFeatures* en_;
  // [side][N][class]
  std::vector<double> lm_, lu_;
};

template <typename MaskFn>
double BeadScorer::Score(int s0, int a, int t0, int b, int shape, const MaskFn& masks) const {
  double score = params_.log_prior[shape];
  if (a == 0 || b == 0) return score;
  uint64_t arm[3] = {0, 0, 0}, enm[3] = {0, 0, 0};
  int ar_tokens = 0, en_tokens = 0;
  double ar_len = 0, en_len = 0;
  for (int x = 0; x < a; ++x) {
    const SentenceFeatures& sf = ar_->sentences[s0 + x];
    ar_tokens += sf.token_count();
    ar_len += sf.length;
  }
  for (int y = 0; y < b; ++y) {
    const SentenceFeatures& sf = en_->sentences[t0 + y];
    en_tokens += sf.token_count();
    en_len += sf.length;
  }
  for (int x = 0; x < a; ++x) {
    for (int y = 0; y < b; ++y) {
      const PairMasks m = masks(s0 + x, t0 + y);
      arm[x] |= m.ar;
      enm[y] |= m.en;
    }
  }
  double tok = 0;
  for (int x = 0; x < a; ++x) {
    const SentenceFeatures& sf = ar_->sentences[s0 + x];
    tok += SideLlr(0, sf, arm[x], en_tokens);
    if (a > 1 && arm[x] == 0) score += params_.unsupported_join;
    if (x + 1 < a && sf.paragraph_end) score += params_.paragraph_crossing;
  }
  for (int y = 0; y < b; ++y) {
    const SentenceFeatures& sf = en_->sentences[t0 + y];
    tok += SideLlr(1, sf, enm[y], ar_tokens);
    if (b > 1 && enm[y] == 0) score += params_.unsupported_join;
    if (y + 1 < b && sf.paragraph_end) score += params_.paragraph_crossing;
  }
  score += params_.token_weight * tok;
  score += params_.length_weight * params_.length.LogLikelihoodRatio(ar_len, en_len);
  if (ar_->sentences[s0 + a - 1].paragraph_end && en_->sentences[t0 + b - 1].paragraph_end) {
    score += params_.paragraph_bonus;
  }
  return score;
}

template <int A, int B, typename PairFn>
double BeadScorer::ScoreFromPairs(int s0, int t0, int shape, const PairFn& pair) const {
  // The same terms in the same order as Score(), so the sums are identical.
  double score = params_.log_prior[shape];
  if constexpr (A == 0 || B == 0) {
    return score;
  } else {
    const SentenceFeatures* sa = &ar_->sentences[s0];
    const SentenceFeatures* se = &en_->sentences[t0];
    uint64_t arm[A] = {}, enm[B] = {};
    double ar_llr[A] = {}, en_llr[B] = {};
    int ar_tokens = 0, en_tokens = 0;
    double ar_len = 0, en_len = 0;
    for (int x = 0; x < A; ++x) {
      ar_tokens += sa[x].token_count();
      ar_len += sa[x].length;
    }
    for (int y = 0; y < B; ++y) {
      en_tokens += se[y].token_count();
      en_len += se[y].length;
    }
    for (int x = 0; x < A; ++x) {
      for (int y = 0; y < B; ++y) {
        const PairScore& p = pair(s0 + x, t0 + y);
        arm[x] |= p.masks.ar;
        enm[y] |= p.masks.en;
        if constexpr (B == 1) ar_llr[x] = p.ar_llr;  // the other side is this one sentence
        if constexpr (A == 1) en_llr[y] = p.en_llr;
      }
    }
    double tok = 0;
    for (int x = 0; x < A; ++x) {
      if constexpr (B == 1) {
        tok += ar_llr[x];
      } else {
        tok += SideLlr(0, sa[x], arm[x], en_tokens);
      }
      if (A > 1 && arm[x] == 0) score += params_.unsupported_join;
      if (x + 1 < A && sa[x].paragraph_end) score += params_.paragraph_crossing;
    }
    for (int y = 0; y < B; ++y) {
      if constexpr (A == 1) {
        tok += en_llr[y];
      } else {
        tok += SideLlr(1, se[y], enm[y], ar_tokens);
      }
      if (B > 1 && enm[y] == 0) score += params_.unsupported_join;
      if (y + 1 < B && se[y].paragraph_end) score += params_.paragraph_crossing;
    }
    score += params_.token_weight * tok;
    score += params_.length_weight * params_.length.LogLikelihoodRatio(ar_len, en_len);
    if (sa[A - 1].paragraph_end && se[B - 1].paragraph_end) score += params_.paragraph_bonus;
    return score;
  }
}

}  // namespace qantara::align

#endif  // QANTARA_SERVICE_ALIGN_MODEL_H_
