// Dynamic programming over beads (kBeadShapes) in a band around the
// diagonal: the best (Viterbi) alignment and each of its beads' posterior
// probability (forward-backward over all alignments in the band).
//
// Memory is linear in the number of sentences times the band width; the band
// starts DpOptions::band sentences either side of a centre line (the diagonal,
// or one from anchors or a previous pass: anchors.h) and doubles while the
// best path comes near its edge.
#ifndef QANTARA_SERVICE_ALIGN_DP_H_
#define QANTARA_SERVICE_ALIGN_DP_H_

#include <cstdint>
#include <functional>
#include <vector>

#include "service/align/evidence.h"
#include "service/align/features.h"
#include "service/align/model.h"

namespace qantara::align {

// One bead: Arabic sentences [ar_begin, ar_end), English [en_begin, en_end).
struct Bead {
  int ar_begin = 0;
  int ar_end = 0;
  int en_begin = 0;
  int en_end = 0;
  double score = 0;       // model score (log-likelihood ratio + log prior)
  double posterior = 0;   // probability of this bead under the model, in [0, 1]
  double confidence = 0;  // calibrated confidence in [0, 1] (see Aligner)
  BeadEvidence evidence;  // set by the Aligner (AlignDp leaves it unmeasured)
  int ar_size() const { return ar_end - ar_begin; }
  int en_size() const { return en_end - en_begin; }
  friend bool operator==(const Bead& x, const Bead& y) {
    return x.ar_begin == y.ar_begin && x.ar_end == y.ar_end && x.en_begin == y.en_begin &&
           x.en_end == y.en_end;
  }
};

struct DpOptions {
  int band = 10;             // half-width of the first band, in sentences
  bool posteriors = true;    // run forward-backward (else Bead::posterior is 0)
  int max_widenings = 6;     // doublings of the band before giving up
  double temperature = 1.0;  // posteriors use score / temperature
  // When set, asked every 64 rows of the grid: true stops the DP (no beads,
  // DpStats::cancelled), so a cancelled call frees its core at once.
  std::function<bool()> cancelled;
};

struct DpStats {
  int band = 0;            // half-width of the band of the final run
  int runs = 0;            // DP runs (1 + widenings)
  size_t cells = 0;        // cells of the final band
  bool cancelled = false;  // DpOptions::cancelled stopped it: the beads are empty
};

// Aligns Arabic `ar` and English `en` sentences; every sentence is in
// exactly one bead, beads in order. Either side may be empty. `centre` (may
// be null: the diagonal) gives the band's centre for every row i in [0, n];
// REQUIRES: non-decreasing, centre->size() == n + 1. `cache` (may be null)
// keeps the pair masks for later passes over the same features.
std::vector<Bead> AlignDp(const DocumentFeatures& ar, const DocumentFeatures& en, const BeadScorer& scorer,
                          const DpOptions& options, const std::vector<double>* centre, DpStats* stats,
                          PairMaskCache* cache = nullptr);

}  // namespace qantara::align

#endif  // QANTARA_SERVICE_ALIGN_DP_H_
