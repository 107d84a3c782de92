// Banded dynamic programming over sentence beads: the best (Viterbi) alignment
// path under the model's costs and each bead's posterior (forward-backward), with
// the band widened while the path comes near its edge.
#include "service/align/dp.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <optional>
#include <type_traits>

namespace qantara::align {
namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();
constexpr int kShapes = static_cast<int>(kBeadShapes.size());

struct Band {
  int n = 0, m = 0;
  std::vector<int> lo, hi;        // per row i in [0, n]: columns [lo, hi]
  std::vector<size_t> off;        // cell offset of row i
  std::vector<int> pm_lo, pm_hi;  // per Arabic sentence: English range of pair masks
  std::vector<size_t> pm_off;
  bool In(int i, int j) const { return i >= 0 && i <= n && j >= lo[i] && j <= hi[i]; }
  size_t At(int i, int j) const { return off[i] + static_cast<size_t>(j - lo[i]); }
};

Band MakeBand(int n, int m, int hw, const std::vector<double>* centre) {
  Band b;
  b.n = n;
  b.m = m;
  b.lo.resize(n + 1);
  b.hi.resize(n + 1);
  b.off.resize(n + 2);
  for (int i = 0; i <= n; ++i) {
    const double c = centre ? (*centre)[i] : static_cast<double>(i) * m / n;
    b.lo[i] = std::clamp(static_cast<int>(std::floor(c - hw)), 0, m);
    b.hi[i] = std::clamp(static_cast<int>(std::ceil(c + hw)), 0, m);
  }
  b.lo[0] = 0;
  b.hi[n] = m;
  for (int i = 1; i <= n; ++i) {
    b.lo[i] = std::max(b.lo[i], b.lo[i - 1]);
    b.hi[i] = std::max(b.hi[i], b.hi[i - 1]);
    b.lo[i] = std::min(b.lo[i], b.hi[i - 1]);  // every row reachable from the last
  }
  size_t off = 0;
  for (int i = 0; i <= n; ++i) {
    b.off[i] = off;
    off += static_cast<size_t>(b.hi[i] - b.lo[i] + 1);
  }
  b.off[n + 1] = off;
  b.pm_lo.resize(n);
  b.pm_hi.resize(n);
  b.pm_off.resize(n + 1);
  size_t pmo = 0;
  for (int s = 0; s < n; ++s) {
    b.pm_lo[s] = std::max(0, b.lo[s + 1] - 3);
    b.pm_hi[s] = std::min(m - 1, b.hi[std::min(s + 3, n)] - 1);
    b.pm_off[s] = pmo;
    if (b.pm_hi[s] >= b.pm_lo[s]) pmo += static_cast<size_t>(b.pm_hi[s] - b.pm_lo[s] + 1);
  }
  b.pm_off[n] = pmo;
  return b;
}

// log(sum(exp(v))) over the finite entries; terms far below the maximum are
// skipped (they change the sum by less than 1e-13).
double LogSumExp(const double* v, int k) {
  double mx = kNegInf;
  for (int x = 0; x < k; ++x) mx = std::max(mx, v[x]);
  if (mx == kNegInf) return kNegInf;
  double s = 0;
  for (int x = 0; x < k; ++x) {
    const double d = v[x] - mx;
    if (d > -30) s += std::exp(d);
  }
  return mx + std::log(s);
}

}  // namespace

std::vector<Bead> AlignDp(const DocumentFeatures& ar, const DocumentFeatures& en, const BeadScorer& scorer,
                          const DpOptions& options, const std::vector<double>* centre, DpStats* stats,
                          PairMaskCache* cache) {
  const int n = static_cast<int>(ar.sentences.size());
  const int m = static_cast<int>(en.sentences.size());
  std::vector<Bead> beads;
  DpStats local_stats;
  if (stats == nullptr) stats = &local_stats;
  *stats = DpStats();
  if (n == 0 || m == 0) {
    for (int s = 0; s < n; ++s) beads.push_back({s, s + 1, 0, 0, 0, 1, 1, {}});
    for (int t = 0; t < m; ++t) beads.push_back({n, n, t, t + 1, 0, 1, 1, {}});
    return beads;
  }
  const double inv_t = 1.0 / options.temperature;
  const bool post = options.posteriors;
  int hw = std::max(options.band, 4);
  std::optional<PairMaskCache> local_cache;
  if (cache == nullptr) cache = &local_cache.emplace(&ar, &en);
  std::vector<PairScore> ps;
  std::vector<ptrdiff_t> pair_base;
  std::vector<double> V, F, B;
  std::vector<float> S;
  std::vector<uint8_t> bp;
  for (int run = 0;; ++run) {
    const Band band = MakeBand(n, m, hw, centre);
    stats->band = hw;
    stats->runs = run + 1;
    stats->cells = band.off[n + 1];
    // The token parts (PairScore) of the pairs of the Arabic sentences that
    // beads ending in row i can hold, i-3 .. i-1: a ring of four rows, each
    // filled when the DP reaches it. Every pair of a bead in the band is in
    // its row's pair range (MakeBand).
    int width = 0;
    for (int s = 0; s < n; ++s) width = std::max(width, band.pm_hi[s] - band.pm_lo[s] + 1);
    ps.resize(4 * static_cast<size_t>(width));
    pair_base.assign(n, 0);
    auto fill_pairs = [&](int s) {
      if (band.pm_hi[s] < band.pm_lo[s]) return;
      pair_base[s] = static_cast<ptrdiff_t>(s & 3) * width - band.pm_lo[s];
      const PairMasks* row = cache->Row(s, band.pm_lo[s], band.pm_hi[s]);
      for (int t = band.pm_lo[s]; t <= band.pm_hi[s]; ++t) {
        ps[pair_base[s] + t] = scorer.ScorePair(s, t, row[t - band.pm_lo[s]]);
      }
    };
    auto pair = [&](int s, int t) -> const PairScore& { return ps[pair_base[s] + t]; };
    const size_t cells = band.off[n + 1];
    V.assign(cells, kNegInf);
    if (post) {
      F.assign(cells, kNegInf);
      B.assign(cells, kNegInf);
    }
    // With posteriors S[c*kShapes+k] is the score of bead shape k ending at
    // cell c (the backward pass needs them all); without, S[c] is the score
    // of the best bead ending at c.
    S.assign(post ? cells * kShapes : cells, -std::numeric_limits<float>::infinity());
    bp.assign(cells, 255);
    V[0] = 0;
    if (post) F[0] = 0;
    double terms[kShapes];
    for (int i = 0; i <= n; ++i) {
      if ((i & 63) == 0 && options.cancelled && options.cancelled()) {
        stats->cancelled = true;
        return {};
      }
      if (i > 0) fill_pairs(i - 1);
      // Rows i, i-1, i-2, i-3: where the beads ending in row i start.
      int row_lo[4], row_hi[4];
      ptrdiff_t row_base[4];
      for (int a = 0; a < 4; ++a) {
        if (i - a < 0) {
          row_lo[a] = 1;
          row_hi[a] = 0;  // empty
          row_base[a] = 0;
        } else {
          row_lo[a] = band.lo[i - a];
          row_hi[a] = band.hi[i - a];
          row_base[a] = static_cast<ptrdiff_t>(band.off[i - a]) - row_lo[a];
        }
      }
      for (int j = band.lo[i]; j <= band.hi[i]; ++j) {
        if (i == 0 && j == 0) continue;
        const size_t c = static_cast<size_t>(row_base[0] + j);
        double best = kNegInf, best_sc = kNegInf;
        int best_k = 255;
        int nt = 0;
        // Bead shape K ending at (i, j), in kBeadShapes order.
        auto relax = [&]<int K>(std::integral_constant<int, K>) {
          constexpr int a = kBeadShapes[K].ar, b = kBeadShapes[K].en;
          const int pj = j - b;
          if (pj < row_lo[a] || pj > row_hi[a]) return;  // outside the band (or the grid)
          const int pi = i - a;
          const size_t p = static_cast<size_t>(row_base[a] + pj);
          if (V[p] == kNegInf) return;
          const double sc = scorer.ScoreFromPairs<a, b>(pi, pj, K, pair);
          const double v = V[p] + sc;
          if (v > best) {
            best = v;
            best_k = K;
            best_sc = sc;
          }
          if (post) {
            S[c * kShapes + K] = static_cast<float>(sc);
            terms[nt++] = F[p] + sc * inv_t;
          }
        };
        static_assert(kShapes == 8);
        relax(std::integral_constant<int, 0>());
        relax(std::integral_constant<int, 1>());
        relax(std::integral_constant<int, 2>());
        relax(std::integral_constant<int, 3>());
        relax(std::integral_constant<int, 4>());
        relax(std::integral_constant<int, 5>());
        relax(std::integral_constant<int, 6>());
        relax(std::integral_constant<int, 7>());
        V[c] = best;
        bp[c] = static_cast<uint8_t>(best_k);
        if (post) {
          F[c] = LogSumExp(terms, nt);
        } else {
          S[c] = static_cast<float>(best_sc);
        }
      }
    }
    // Backward sums, from the cached scores.
    if (post) B[band.At(n, m)] = 0;
    for (int i = post ? n : -1; i >= 0; --i) {
      if ((i & 63) == 0 && options.cancelled && options.cancelled()) {
        stats->cancelled = true;
        return {};
      }
      for (int j = band.hi[i]; j >= band.lo[i]; --j) {
        if (i == n && j == m) continue;
        int nt = 0;
        for (int k = 0; k < kShapes; ++k) {
          const int ni = i + kBeadShapes[k].ar, nj = j + kBeadShapes[k].en;
          if (ni > n || nj > m || !band.In(ni, nj)) continue;
          const size_t q = band.At(ni, nj);
          const double sc = S[q * kShapes + k];
          if (B[q] == kNegInf || sc == kNegInf) continue;
          terms[nt++] = B[q] + sc * inv_t;
        }
        B[band.At(i, j)] = LogSumExp(terms, nt);
      }
    }
    // Trace back the best path.
    beads.clear();
    bool near_edge = false;
    const double total = post ? F[band.At(n, m)] : 0.0;
    int i = n, j = m;
    while (i > 0 || j > 0) {
      const size_t c = band.At(i, j);
      const int k = bp[c];
      const int a = kBeadShapes[k].ar, b = kBeadShapes[k].en;
      const int pi = i - a, pj = j - b;
      const double sc = post ? S[c * kShapes + k] : S[c];
      const double pr = post ? std::exp(F[band.At(pi, pj)] + sc * inv_t + B[c] - total) : 0.0;
      beads.push_back({pi, i, pj, j, sc, std::clamp(pr, 0.0, 1.0), 0, {}});
      if ((band.lo[i] > 0 && j - band.lo[i] < 3) || (band.hi[i] < m && band.hi[i] - j < 3)) {
        near_edge = true;
      }
      i = pi;
      j = pj;
    }
    std::reverse(beads.begin(), beads.end());
    if (!near_edge || run >= options.max_widenings || hw >= std::max(n, m)) break;
    hw *= 2;
  }
  return beads;
}

}  // namespace qantara::align
