// Content evidence of a bead: translated and form-matched content tokens per
// side, and the length deviate.
#include "service/align/evidence.h"

#include <algorithm>
#include <vector>

namespace qantara::align {
namespace {

// The ids of the tokens of sentences [b, e) of `d`: those that match by
// translation and those that match by form, each sorted and unique.
void SideIds(const DocumentFeatures& d, int b, int e, std::vector<uint32_t>* translation,
             std::vector<uint32_t>* form) {
  const bool forms = d.by_form.size() == d.ids.size();
  for (int s = b; s < e; ++s) {
    const SentenceFeatures& sf = d.sentences[s];
    for (uint32_t k = sf.tok_begin; k < sf.tok_end; ++k) {
      for (uint32_t x = d.tokens[k].id_begin; x < d.tokens[k].id_end; ++x) {
        (forms && d.by_form[x] ? form : translation)->push_back(d.ids[x]);
      }
    }
  }
  for (std::vector<uint32_t>* v : {translation, form}) {
    std::sort(v->begin(), v->end());
    v->erase(std::unique(v->begin(), v->end()), v->end());
  }
}

// Counts the content tokens of sentences [b, e) of `d` and those matched by
// the other side's ids.
void CountSide(const DocumentFeatures& d, int b, int e, const std::vector<uint32_t>& other_translation,
               const std::vector<uint32_t>& other_form, int* content, int* matchable, int* words,
               int* translated, int* form) {
  const bool forms = d.by_form.size() == d.ids.size();
  for (int s = b; s < e; ++s) {
    const SentenceFeatures& sf = d.sentences[s];
    const uint64_t content_mask = sf.class_mask[kEvWord] | sf.class_mask[kEvNumber] | sf.class_mask[kEvLatin];
    for (uint32_t k = sf.tok_begin; k < sf.tok_end; ++k) {
      const uint64_t bit = uint64_t{1} << (k - sf.tok_begin);
      if (!(content_mask & bit)) continue;
      ++*content;
      if (d.tokens[k].id_end > d.tokens[k].id_begin) ++*matchable;
      if (sf.class_mask[kEvWord] & bit) ++*words;
      bool by_translation = false, by_form = false;
      for (uint32_t x = d.tokens[k].id_begin; x < d.tokens[k].id_end; ++x) {
        const bool f = forms && d.by_form[x];
        const std::vector<uint32_t>& other = f ? other_form : other_translation;
        if (std::binary_search(other.begin(), other.end(), d.ids[x])) (f ? by_form : by_translation) = true;
      }
      if (by_translation) {
        ++*translated;
      } else if (by_form) {
        ++*form;
      }
    }
  }
}

}  // namespace

BeadEvidence MeasureEvidence(const DocumentFeatures& ar, const DocumentFeatures& en,
                             const LengthModel& length, int ar_begin, int ar_end, int en_begin, int en_end) {
  BeadEvidence ev;
  if (ar_end <= ar_begin || en_end <= en_begin) return ev;
  ev.measured = true;
  std::vector<uint32_t> ar_t, ar_f, en_t, en_f;
  SideIds(ar, ar_begin, ar_end, &ar_t, &ar_f);
  SideIds(en, en_begin, en_end, &en_t, &en_f);
  CountSide(ar, ar_begin, ar_end, en_t, en_f, &ev.ar_content, &ev.ar_matchable, &ev.ar_words,
            &ev.ar_translated, &ev.ar_form);
  CountSide(en, en_begin, en_end, ar_t, ar_f, &ev.en_content, &ev.en_matchable, &ev.en_words,
            &ev.en_translated, &ev.en_form);
  double ar_len = 0, en_len = 0;
  for (int s = ar_begin; s < ar_end; ++s) ar_len += ar.sentences[s].length;
  for (int t = en_begin; t < en_end; ++t) en_len += en.sentences[t].length;
  ev.ar_length = ar_len;
  ev.en_length = en_len;
  ev.length_z = length.Delta(ar_len, en_len);
  return ev;
}

double EvidenceLlr(const ContentGateOptions& options, double score, double log_prior,
                   const BeadEvidence& evidence, double length_ratio) {
  const double lr =
      std::log((evidence.en_length + 10.0) / (std::max(length_ratio, 1e-3) * evidence.ar_length + 10.0));
  const double excess = std::max(0.0, std::abs(lr) - options.length_tolerance);
  return options.scale * (score - log_prior) + options.offset - options.length_weight * excess * excess;
}

double EstimateTranslatedShare(const ContentGateOptions& options, const std::vector<double>& llr) {
  double share = 0.5;
  for (int it = 0; it < 30; ++it) {
    const double prior = std::log(share / (1.0 - share));
    double sum = options.prior_beads * options.prior_share;
    for (double l : llr) sum += Sigmoid(prior + l);
    const double next = std::clamp(sum / (static_cast<double>(llr.size()) + options.prior_beads),
                                   options.min_share, options.max_share);
    if (std::abs(next - share) < 1e-6) return next;
    share = next;
  }
  return share;
}

}  // namespace qantara::align
