// The bead scoring model: the Gale & Church length model estimated from the pair,
// the token match masks of sentence pairs (cached per band row) and each bead's
// log-likelihood ratio of aligned against unrelated.
#include "service/align/model.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace qantara::align {
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

PairMatcher::PairMatcher(const DocumentFeatures* ar, const DocumentFeatures* en) : ar_(ar), en_(en) {
  uint32_t max_id = 0;
  for (uint32_t id : ar->ids) max_id = std::max(max_id, id);
  bits_.assign(ar->ids.empty() ? 0 : static_cast<size_t>(max_id) + 1, 0);
}

void PairMatcher::SetArabic(int s) {
  if (s == current_) return;
  if (current_ >= 0) {  // clear the previous sentence's bits
    const SentenceFeatures& old = ar_->sentences[current_];
    for (uint32_t k = old.tok_begin; k < old.tok_end; ++k) {
      const TokenFeatures& tf = ar_->tokens[k];
      for (uint32_t x = tf.id_begin; x < tf.id_end; ++x) bits_[ar_->ids[x]] = 0;
    }
  }
  current_ = s;
  const SentenceFeatures& sf = ar_->sentences[s];
  for (uint32_t k = sf.tok_begin; k < sf.tok_end; ++k) {
    const uint64_t bit = uint64_t{1} << (k - sf.tok_begin);
    const TokenFeatures& tf = ar_->tokens[k];
    for (uint32_t x = tf.id_begin; x < tf.id_end; ++x) bits_[ar_->ids[x]] |= bit;
  }
}

PairMasks PairMatcher::Match(int t) const {
  PairMasks m;
  const SentenceFeatures& sf = en_->sentences[t];
  const size_t size = bits_.size();
  for (uint32_t k = sf.tok_begin; k < sf.tok_end; ++k) {
    const TokenFeatures& tf = en_->tokens[k];
    uint64_t hit = 0;
    for (uint32_t x = tf.id_begin; x < tf.id_end; ++x) {
      const uint32_t id = en_->ids[x];
      if (id < size) hit |= bits_[id];
    }
    if (hit) {
      m.ar |= hit;
      m.en |= uint64_t{1} << (k - sf.tok_begin);
    }
  }
  return m;
}

const PairMasks* PairMaskCache::Row(int s, int lo, int hi) {
  if (rows_.empty()) rows_.resize(matcher_.arabic_sentences());
  RowMasks& row = rows_[s];
  const int have_lo = row.lo, have_hi = row.lo + static_cast<int>(row.masks.size()) - 1;
  if (row.masks.empty() || lo < have_lo || hi > have_hi) {
    const int new_lo = row.masks.empty() ? lo : std::min(lo, have_lo);
    const int new_hi = row.masks.empty() ? hi : std::max(hi, have_hi);
    std::vector<PairMasks> masks(static_cast<size_t>(new_hi - new_lo + 1));
    matcher_.SetArabic(s);
    for (int t = new_lo; t <= new_hi; ++t) {
      masks[t - new_lo] =
          !row.masks.empty() && t >= have_lo && t <= have_hi ? row.masks[t - have_lo] : matcher_.Match(t);
    }
    row.lo = new_lo;
    row.masks = std::move(masks);
  }
  return row.masks.data() + (lo - row.lo);
}

PairMasks PairMaskCache::Get(int s, int t) {
  if (!rows_.empty()) {
    const RowMasks& row = rows_[s];
    if (t >= row.lo && t < row.lo + static_cast<int>(row.masks.size())) return row.masks[t - row.lo];
  }
  matcher_.SetArabic(s);
  return matcher_.Match(t);
}

BeadScorer::BeadScorer(const ModelParams& params, const DocumentFeatures* ar, const DocumentFeatures* en)
    : params_(params), ar_(ar), en_(en) {
  lm_.assign(2 * kMaxOther * kNumEvidenceClasses, 0.0);
  lu_.assign(2 * kMaxOther * kNumEvidenceClasses, 0.0);
  for (int side = 0; side < 2; ++side) {
    for (int c = 0; c < kNumEvidenceClasses; ++c) {
      const double pt = params.p_true[side][c];
      const double q = params.q_random[side][c];
      for (int n = 0; n < kMaxOther; ++n) {
        const double pr = std::clamp(1.0 - std::pow(1.0 - q, std::max(n, 1)), 1e-4, 0.999);
        const size_t at = (side * kMaxOther + n) * kNumEvidenceClasses + c;
        if (pr >= pt) continue;  // no evidence either way
        lm_[at] = std::log(pt / pr);
        lu_[at] = std::log((1.0 - pt) / (1.0 - pr));
      }
    }
  }
}

PairScore BeadScorer::ScorePair(int s, int t, const PairMasks& m) const {
  const SentenceFeatures& sa = ar_->sentences[s];
  const SentenceFeatures& se = en_->sentences[t];
  return PairScore{m, SideLlr(0, sa, m.ar, se.token_count()), SideLlr(1, se, m.en, sa.token_count())};
}

double BeadScorer::TokenLlr(int s, int t, const PairMasks& m) const {
  return SideLlr(0, ar_->sentences[s], m.ar, en_->sentences[t].token_count()) +
         SideLlr(1, en_->sentences[t], m.en, ar_->sentences[s].token_count());
}

}  // namespace qantara::align
