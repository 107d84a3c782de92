#include "service/align/model.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace qantara::align {
namespace {
constexpr double kRandomSpread = 4.0;  // unrelated sentences: deviates 4x as wide
constexpr double kMinLengthLlr = -12.0;
}  // namespace

double LengthModel::Delta(double ar, double en) const {
  const double mean = (ar + en / ratio_) / 2.0;
  return (en - ratio_ * ar) / std::sqrt(variance_ * std::max(mean, 1.0));
}

double LengthModel::LogLikelihoodRatio(double ar, double en) const {
  const double d = Delta(ar, en);
  const double llr = -0.5 * d * d * (1.0 - 1.0 / (kRandomSpread * kRandomSpread)) +
                     std::log(kRandomSpread);
  return std::max(llr, kMinLengthLlr);
}

LengthModel LengthModel::Estimate(const std::vector<std::pair<double, double>>& pairs,
                                  double fallback_variance) {
  double sa = 0, se = 0;
  for (const auto& [a, e] : pairs) {
    sa += a;
    se += e;
  }
  if (sa <= 0 || se <= 0) return LengthModel(1.0, fallback_variance);
  const double ratio = se / sa;
  if (pairs.size() < 3) return LengthModel(ratio, fallback_variance);
  std::vector<double> v;
  v.reserve(pairs.size());
  for (const auto& [a, e] : pairs) {
    const double mean = std::max((a + e / ratio) / 2.0, 1.0);
    v.push_back((e - ratio * a) * (e - ratio * a) / mean);
  }
  std::sort(v.begin(), v.end());
  const size_t keep = std::max<size_t>(1, v.size() * 9 / 10);  // trim the worst 10%
  double sum = 0;
  for (size_t i = 0; i < keep; ++i) sum += v[i];
  const double var = sum / static_cast<double>(keep);
  // Shrink towards the fallback for few pairs, and never below a floor.
  const double w = static_cast<double>(keep) / (static_cast<double>(keep) + 10.0);
  return LengthModel(ratio, std::max(0.5, w * var + (1 - w) * fallback_variance));
}

void PairMatcher::SetArabic(int s) {
  const SentenceFeatures& sf = ar_->sentences[s];
  size_t n_ids = 0;
  for (uint32_t k = sf.tok_begin; k < sf.tok_end; ++k) {
    n_ids += ar_->tokens[k].id_end - ar_->tokens[k].id_begin;
  }
  uint32_t cap = 16;
  while (cap < 2 * n_ids + 2) cap <<= 1;
  mask_ = cap - 1;
  keys_.assign(cap, UINT32_MAX);
  vals_.assign(cap, 0);
  for (uint32_t k = sf.tok_begin; k < sf.tok_end; ++k) {
    const uint64_t bit = uint64_t{1} << (k - sf.tok_begin);
    const TokenFeatures& tf = ar_->tokens[k];
    for (uint32_t x = tf.id_begin; x < tf.id_end; ++x) {
      const uint32_t id = ar_->ids[x];
      uint32_t h = (id * 2654435761u) & mask_;
      while (keys_[h] != UINT32_MAX && keys_[h] != id) h = (h + 1) & mask_;
      keys_[h] = id;
      vals_[h] |= bit;
    }
  }
}

PairMasks PairMatcher::Match(int t) const {
  PairMasks m;
  const SentenceFeatures& sf = en_->sentences[t];
  for (uint32_t k = sf.tok_begin; k < sf.tok_end; ++k) {
    const TokenFeatures& tf = en_->tokens[k];
    uint64_t hit = 0;
    for (uint32_t x = tf.id_begin; x < tf.id_end; ++x) {
      const uint32_t id = en_->ids[x];
      uint32_t h = (id * 2654435761u) & mask_;
      while (keys_[h] != UINT32_MAX) {
        if (keys_[h] == id) {
          hit |= vals_[h];
          break;
        }
        h = (h + 1) & mask_;
      }
    }
    if (hit) {
      m.ar |= hit;
      m.en |= uint64_t{1} << (k - sf.tok_begin);
    }
  }
  return m;
}

BeadScorer::BeadScorer(const ModelParams& params, const DocumentFeatures* ar,
                       const DocumentFeatures* en)
    : params_(params), ar_(ar), en_(en) {
  lm_.assign(2 * kNumEvidenceClasses * kMaxOther, 0.0);
  lu_.assign(2 * kNumEvidenceClasses * kMaxOther, 0.0);
  for (int side = 0; side < 2; ++side) {
    for (int c = 0; c < kNumEvidenceClasses; ++c) {
      const double pt = params.p_true[side][c];
      const double q = params.q_random[side][c];
      for (int n = 0; n < kMaxOther; ++n) {
        const double pr = std::clamp(1.0 - std::pow(1.0 - q, std::max(n, 1)), 1e-4, 0.999);
        const size_t at = (side * kNumEvidenceClasses + c) * kMaxOther + n;
        if (pr >= pt) continue;  // no evidence either way
        lm_[at] = std::log(pt / pr);
        lu_[at] = std::log((1.0 - pt) / (1.0 - pr));
      }
    }
  }
}

double BeadScorer::SideLlr(int side, const SentenceFeatures& sf, uint64_t matched,
                           int other_tokens) const {
  double llr = 0;
  for (int c = 0; c < kNumEvidenceClasses; ++c) {
    const uint64_t cm = sf.class_mask[c];
    if (cm == 0) continue;
    const int n = std::popcount(cm);
    const int m = std::popcount(cm & matched);
    llr += m * At(lm_, side, c, other_tokens) + (n - m) * At(lu_, side, c, other_tokens);
  }
  return llr;
}

double BeadScorer::TokenLlr(int s, int t, const PairMasks& m) const {
  return SideLlr(0, ar_->sentences[s], m.ar, en_->sentences[t].token_count()) +
         SideLlr(1, en_->sentences[t], m.en, ar_->sentences[s].token_count());
}

}  // namespace qantara::align
