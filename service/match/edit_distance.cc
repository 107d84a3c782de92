// Edit distances: bounded token-level Levenshtein (banded, or bit-parallel for
// queries of up to 64 tokens), the token alignment behind diff spans, and
// character-level distance.
#include "service/match/edit_distance.h"

#include <algorithm>
#include <bit>
#include <limits>

#include "absl/container/inlined_vector.h"
#include "service/text/utf8.h"

namespace qantara::match {

uint32_t BoundedTokenDistance(const std::vector<MatchToken>& a, const std::vector<MatchToken>& b,
                              uint32_t bound) {
  const uint32_t m = a.size(), n = b.size();
  const uint32_t diff = m > n ? m - n : n - m;
  if (diff > bound) return bound + 1;
  if (m == 0) return n;
  if (n == 0) return m;
  const uint32_t kInf = bound + 1;
  // Row i holds D[i][j] for j in [i - bound, i + bound] ∩ [0, n].
  std::vector<uint32_t> prev(n + 1, kInf), cur(n + 1, kInf);
  for (uint32_t j = 0; j <= std::min(n, bound); ++j) prev[j] = j;
  for (uint32_t i = 1; i <= m; ++i) {
    const uint32_t lo = i > bound ? i - bound : 0;
    const uint32_t hi = std::min(n, i + bound);
    if (lo > 0) cur[lo - 1] = kInf;
    uint32_t row_min = kInf;
    if (lo == 0) {
      cur[0] = i;
      row_min = i;
    }
    const uint64_t ak = a[i - 1].key;
    for (uint32_t j = std::max<uint32_t>(lo, 1); j <= hi; ++j) {
      uint32_t v = prev[j - 1] + (ak == b[j - 1].key ? 0 : 1);
      v = std::min(v, prev[j] + 1);  // prev[j] is kInf outside the previous band
      v = std::min(v, cur[j - 1] + 1);
      v = std::min(v, kInf);
      cur[j] = v;
      row_min = std::min(row_min, v);
    }
    if (hi < n) cur[hi + 1] = kInf;
    if (row_min > bound) return kInf;
    std::swap(prev, cur);
  }
  return std::min(prev[n], kInf);
}

template <typename Key>
void TokenPattern::PeqTable<Key>::Build(const std::vector<MatchToken>& query, Key (*fold)(uint64_t)) {
  size_t slots = 16;
  while (slots < 2 * query.size()) slots *= 2;
  keys.assign(slots, 0);
  masks.assign(slots, 0);
  slot_mask = slots - 1;
  for (size_t i = 0; i < query.size(); ++i) {
    const Key k = fold(query[i].key);
    size_t s = (static_cast<uint64_t>(k) * 0x9E3779B97F4A7C15ull) >> 40 & slot_mask;
    while (masks[s] != 0 && keys[s] != k) s = (s + 1) & slot_mask;
    keys[s] = k;
    masks[s] |= uint64_t{1} << i;
  }
}

template <typename Key>
uint64_t TokenPattern::PeqTable<Key>::Find(Key key) const {
  size_t s = (static_cast<uint64_t>(key) * 0x9E3779B97F4A7C15ull) >> 40 & slot_mask;
  while (masks[s] != 0) {
    if (keys[s] == key) return masks[s];
    s = (s + 1) & slot_mask;
  }
  return 0;
}

TokenPattern::TokenPattern(const std::vector<MatchToken>& query) : query_(query) {
  const size_t m = query.size();
  if (m == 0 || m > 64) return;
  bit_parallel_ = true;
  peq_.Build(query, [](uint64_t key) { return key; });
  sketch_peq_.Build(query, [](uint64_t key) { return SketchOf(key); });
}

namespace {

// The bit-parallel deltas between rows i + 1 and i (bit i) of one column of
// the cost matrix.
struct Deltas {
  uint64_t plus, minus;
};

// One column of Myers/Hyyrö's global edit distance: `pv`/`mv` (the vertical
// deltas of column j, +1/-1, over the `full` query rows) become column
// j + 1's, given the rows whose query token equals b[j] (`eq`). Returns the
// horizontal deltas D[i + 1][j + 1] - D[i + 1][j] (bit i).
inline Deltas NextColumn(uint64_t eq, uint64_t full, uint64_t& pv, uint64_t& mv) {
  const uint64_t xv = eq | mv;
  const uint64_t xh = (((eq & pv) + pv) ^ pv) | eq;
  const Deltas h{mv | ~(xh | pv), pv & xh};
  const uint64_t ph = (h.plus << 1) | 1;  // row 0 grows by one per column (global distance)
  pv = ((h.minus << 1) | ~(xv | ph)) & full;
  mv = ph & xv & full;
  return h;
}

}  // namespace

template <typename PeqOfColumn>
uint32_t TokenPattern::BitParallel(uint32_t n, uint32_t bound, PeqOfColumn peq) const {
  const uint32_t m = query_.size();
  const uint32_t diff = m > n ? m - n : n - m;
  if (diff > bound) return bound + 1;
  if (n == 0) return m;
  const uint64_t full = m == 64 ? ~uint64_t{0} : (uint64_t{1} << m) - 1;
  const uint64_t top = uint64_t{1} << (m - 1);
  uint64_t pv = full, mv = 0;
  uint32_t score = m;  // D[m][j], column by column over b
  for (uint32_t j = 0; j < n; ++j) {
    const Deltas h = NextColumn(peq(j), full, pv, mv);
    if (h.plus & top) {
      ++score;
    } else if (h.minus & top) {
      --score;
    }
    // D[m][n] >= D[m][j+1] - (n - j - 1).
    const uint32_t left = n - j - 1;
    if (score > bound + left) return bound + 1;
  }
  return score <= bound ? score : bound + 1;
}

uint32_t TokenPattern::Distance(const std::vector<MatchToken>& b, uint32_t bound) const {
  if (!bit_parallel_) return BoundedTokenDistance(query_, b, bound);
  return BitParallel(b.size(), bound, [&](uint32_t j) { return peq_.Find(b[j].key); });
}

uint32_t TokenPattern::SketchDistance(const std::vector<uint16_t>& b, uint32_t bound) const {
  if (query_.empty()) return b.size();
  if (!bit_parallel_) return 0;
  return BitParallel(b.size(), bound, [&](uint32_t j) { return sketch_peq_.Find(b[j]); });
}

void TypoCosts::Add(uint64_t query_key, uint64_t unit_key, double cost) {
  auto& pairs = by_unit_[unit_key];
  for (const auto& [q, c] : pairs) {
    if (q == query_key) return;
  }
  pairs.emplace_back(query_key, cost);
  by_query_[query_key].push_back(unit_key);
  sketches_.insert(SketchOf(unit_key));
}

bool TypoCosts::MayTouchSketch(const std::vector<uint16_t>& b) const {
  if (sketches_.empty()) return false;
  for (uint16_t t : b) {
    if (sketches_.contains(t)) return true;
  }
  return false;
}

double TypoCosts::Cost(uint64_t a, uint64_t b) const {
  auto it = by_unit_.find(b);
  if (it == by_unit_.end()) return 1.0;
  for (const auto& [q, c] : it->second) {
    if (q == a) return c;
  }
  return 1.0;
}

bool TypoCosts::Touches(const std::vector<MatchToken>& b) const {
  if (by_unit_.empty()) return false;
  for (const MatchToken& t : b) {
    if (by_unit_.contains(t.key)) return true;
  }
  return false;
}

const std::vector<uint64_t>* TypoCosts::NeighboursOf(uint64_t a) const {
  auto it = by_query_.find(a);
  return it == by_query_.end() ? nullptr : &it->second;
}

namespace {

// The cost of substituting a by b.
double SubCost(const MatchToken& a, const MatchToken& b, const TypoCosts* typos) {
  if (a.key == b.key) return 0.0;
  return typos == nullptr ? 1.0 : typos->Cost(a.key, b.key);
}

}  // namespace

double WeightedTokenDistance(const std::vector<MatchToken>& a, const std::vector<MatchToken>& b,
                             const TypoCosts* typos) {
  const size_t m = a.size(), n = b.size();
  if (m == 0) return static_cast<double>(n);
  if (n == 0) return static_cast<double>(m);
  std::vector<double> prev(n + 1), cur(n + 1);
  for (size_t j = 0; j <= n; ++j) prev[j] = static_cast<double>(j);
  for (size_t i = 1; i <= m; ++i) {
    cur[0] = static_cast<double>(i);
    for (size_t j = 1; j <= n; ++j) {
      cur[j] = std::min({prev[j - 1] + SubCost(a[i - 1], b[j - 1], typos), prev[j] + 1.0, cur[j - 1] + 1.0});
    }
    std::swap(prev, cur);
  }
  return prev[n];
}

namespace {

// An optimal alignment of a and b from their cost matrix `at(i, j)` (the cost
// of a's first i tokens against b's first j), substituting a[i] by b[j] at
// `sub(i, j)` (0 for equal keys), inserting or deleting at 1: a walk back
// from the matrix's corner preferring matches, then substitutions. Each cell
// is the minimum of the very sums the walk compares: equality is exact for
// doubles too.
template <typename Cost, typename At, typename Sub>
std::vector<EditOp> WalkBack(const std::vector<MatchToken>& a, const std::vector<MatchToken>& b, At at,
                             Sub sub) {
  std::vector<EditOp> ops;
  ops.reserve(a.size() + b.size());
  size_t i = a.size(), j = b.size();
  while (i > 0 || j > 0) {
    if (i > 0 && j > 0 && a[i - 1].key == b[j - 1].key && at(i, j) == at(i - 1, j - 1)) {
      ops.push_back({EditOp::kMatch, uint32_t(i - 1), uint32_t(j - 1)});
      --i, --j;
    } else if (i > 0 && j > 0 && at(i, j) == at(i - 1, j - 1) + sub(i - 1, j - 1)) {
      ops.push_back({EditOp::kSubstitute, uint32_t(i - 1), uint32_t(j - 1)});
      --i, --j;
    } else if (i > 0 && at(i, j) == at(i - 1, j) + Cost{1}) {
      ops.push_back({EditOp::kDelete, uint32_t(i - 1), uint32_t(j)});
      --i;
    } else {
      ops.push_back({EditOp::kInsert, uint32_t(i), uint32_t(j - 1)});
      --j;
    }
  }
  std::reverse(ops.begin(), ops.end());
  return ops;
}

// AlignTokens with the whole cost matrix, (|a| + 1) x (|b| + 1) row-major (on
// the stack up to 1,024 cells).
template <typename Cost, typename Sub>
std::vector<EditOp> AlignWith(const std::vector<MatchToken>& a, const std::vector<MatchToken>& b, Sub sub) {
  const size_t m = a.size(), n = b.size(), w = n + 1;
  absl::InlinedVector<Cost, 1024> d((m + 1) * w);
  for (size_t i = 0; i <= m; ++i) d[i * w] = static_cast<Cost>(i);
  for (size_t j = 0; j <= n; ++j) d[j] = static_cast<Cost>(j);
  for (size_t i = 1; i <= m; ++i) {
    const Cost* up = d.data() + (i - 1) * w;
    Cost* row = d.data() + i * w;
    for (size_t j = 1; j <= n; ++j) {
      row[j] = std::min(std::min(up[j - 1] + sub(i - 1, j - 1), up[j] + Cost{1}), row[j - 1] + Cost{1});
    }
  }
  return WalkBack<Cost>(
      a, b, [&](size_t i, size_t j) { return d[i * w + j]; }, sub);
}

}  // namespace

std::vector<EditOp> AlignTokens(const std::vector<MatchToken>& a, const std::vector<MatchToken>& b,
                                const TypoCosts* typos) {
  // Unit costs (every verified candidate without a typo pair): integers.
  if (typos == nullptr) {
    return AlignWith<uint32_t>(a, b, [&](size_t i, size_t j) { return uint32_t{a[i].key != b[j].key}; });
  }
  return AlignWith<double>(a, b, [&](size_t i, size_t j) { return SubCost(a[i], b[j], typos); });
}

std::vector<EditOp> TokenPattern::Align(const std::vector<MatchToken>& b) const {
  const size_t m = query_.size(), n = b.size();
  if (!bit_parallel_ || m == 0 || n == 0) return AlignTokens(query_, b);
  // Column j: bit i of pv[j] (mv[j]) set when D[i + 1][j] - D[i][j] is +1
  // (-1), the columns Distance steps through; column 0 is D[i][0] = i.
  const uint64_t full = m == 64 ? ~uint64_t{0} : (uint64_t{1} << m) - 1;
  absl::InlinedVector<uint64_t, 128> pv(n + 1), mv(n + 1);
  pv[0] = full;
  for (size_t j = 0; j < n; ++j) {
    pv[j + 1] = pv[j];
    mv[j + 1] = mv[j];
    NextColumn(peq_.Find(b[j].key), full, pv[j + 1], mv[j + 1]);
  }
  auto at = [&](size_t i, size_t j) -> int64_t {
    const uint64_t rows = i == 64 ? ~uint64_t{0} : (uint64_t{1} << i) - 1;
    return static_cast<int64_t>(j) + std::popcount(pv[j] & rows) - std::popcount(mv[j] & rows);
  };
  return WalkBack<int64_t>(query_, b, at,
                           [&](size_t i, size_t j) { return int64_t{query_[i].key != b[j].key}; });
}

namespace {

std::vector<char32_t> CodePoints(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const size_t at = i;
    const char32_t cp = text::DecodeUtf8(s, &i);
    // A byte that is not UTF-8 counts as one character of its own value.
    out.push_back(cp != text::kInvalidUtf8 ? cp : static_cast<unsigned char>(s[at]));
  }
  return out;
}

}  // namespace

uint32_t CharDistance(std::string_view a, std::string_view b) {
  if (a == b) return 0;
  const std::vector<char32_t> x = CodePoints(a), y = CodePoints(b);
  if (x.empty()) return y.size();
  if (y.empty()) return x.size();
  std::vector<uint32_t> prev(y.size() + 1), cur(y.size() + 1);
  for (size_t j = 0; j <= y.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= x.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= y.size(); ++j) {
      cur[j] = std::min({prev[j - 1] + (x[i - 1] == y[j - 1] ? 0u : 1u), prev[j] + 1, cur[j - 1] + 1});
    }
    std::swap(prev, cur);
  }
  return prev[y.size()];
}

}  // namespace qantara::match
