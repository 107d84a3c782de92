// The algorithms of service/align/phrase_pairs.h.
#include "service/align/phrase_pairs.h"

#include <algorithm>
#include <cmath>

namespace qantara::align {

std::vector<WordLink> CompetitiveLinks(uint32_t n_source, uint32_t n_target,
                                       const std::function<double(uint32_t s, uint32_t t)>& score,
                                       double min_score) {
  struct Cand {
    WordLink link;
    double diagonal;  // distance of the pair from the diagonal, relative
  };
  std::vector<Cand> cands;
  for (uint32_t s = 0; s < n_source; ++s) {
    for (uint32_t t = 0; t < n_target; ++t) {
      const double v = score(s, t);
      if (!(v >= min_score)) continue;  // NaN never links
      const double rs = (s + 0.5) / n_source, rt = (t + 0.5) / n_target;
      cands.push_back({{s, t, v}, std::abs(rs - rt)});
    }
  }
  std::sort(cands.begin(), cands.end(), [](const Cand& a, const Cand& b) {
    if (a.link.score != b.link.score) return a.link.score > b.link.score;
    if (a.diagonal != b.diagonal) return a.diagonal < b.diagonal;
    if (a.link.s != b.link.s) return a.link.s < b.link.s;
    return a.link.t < b.link.t;
  });
  std::vector<bool> s_used(n_source, false), t_used(n_target, false);
  std::vector<WordLink> links;
  for (const Cand& c : cands) {
    if (s_used[c.link.s] || t_used[c.link.t]) continue;
    s_used[c.link.s] = t_used[c.link.t] = true;
    links.push_back(c.link);
  }
  std::sort(links.begin(), links.end(),
            [](const WordLink& a, const WordLink& b) { return a.s != b.s ? a.s < b.s : a.t < b.t; });
  return links;
}

std::optional<TargetSpan> ExtractTargetSpan(const std::vector<WordLink>& links, uint32_t begin,
                                            uint32_t end) {
  TargetSpan span;
  bool any = false;
  std::vector<uint32_t> linked_sources;
  for (const WordLink& l : links) {
    if (l.s < begin || l.s >= end) continue;
    if (!any) span.begin = l.t, span.end = l.t + 1;
    span.begin = std::min(span.begin, l.t);
    span.end = std::max(span.end, l.t + 1);
    any = true;
    if (std::find(linked_sources.begin(), linked_sources.end(), l.s) == linked_sources.end()) {
      linked_sources.push_back(l.s);
    }
  }
  if (!any) return std::nullopt;
  std::vector<uint32_t> linked_targets;
  for (const WordLink& l : links) {
    if (l.t < span.begin || l.t >= span.end) continue;
    if (l.s < begin || l.s >= end) return std::nullopt;  // inconsistent
    if (std::find(linked_targets.begin(), linked_targets.end(), l.t) == linked_targets.end()) {
      linked_targets.push_back(l.t);
    }
  }
  span.linked_source = static_cast<uint32_t>(linked_sources.size());
  span.linked_target = static_cast<uint32_t>(linked_targets.size());
  return span;
}

uint64_t CountShared(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  const std::vector<uint64_t>& small = a.size() <= b.size() ? a : b;
  const std::vector<uint64_t>& big = a.size() <= b.size() ? b : a;
  uint64_t n = 0;
  if (small.size() * 16 < big.size()) {
    auto from = big.begin();
    for (uint64_t id : small) {
      from = std::lower_bound(from, big.end(), id);
      if (from == big.end()) break;
      if (*from == id) ++n;
    }
    return n;
  }
  size_t i = 0, j = 0;
  while (i < small.size() && j < big.size()) {
    if (small[i] < big[j]) {
      ++i;
    } else if (big[j] < small[i]) {
      ++j;
    } else {
      ++n, ++i, ++j;
    }
  }
  return n;
}

}  // namespace qantara::align
