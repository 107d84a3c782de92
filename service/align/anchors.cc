#include "service/align/anchors.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"

namespace qantara::align {
namespace {

constexpr int kMaxDf = 3;           // "rare": in at most this many sentences per side
constexpr double kMinWeight = 1.5;  // shared rare evidence needed for an anchor

// Sentence frequency of every id of one side, and its postings.
struct Postings {
  absl::flat_hash_map<uint32_t, std::vector<int>> by_id;
};

Postings Index(const DocumentFeatures& doc) {
  Postings p;
  std::vector<uint32_t> ids;
  for (int s = 0; s < static_cast<int>(doc.sentences.size()); ++s) {
    const SentenceFeatures& sf = doc.sentences[s];
    ids.clear();
    for (uint32_t k = sf.tok_begin; k < sf.tok_end; ++k) {
      ids.insert(ids.end(), doc.ids.begin() + doc.tokens[k].id_begin,
                 doc.ids.begin() + doc.tokens[k].id_end);
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    for (uint32_t id : ids) {
      std::vector<int>& v = p.by_id[id];
      if (static_cast<int>(v.size()) <= kMaxDf) v.push_back(s);  // more: not rare anyway
    }
  }
  return p;
}

}  // namespace

std::vector<Anchor> FindAnchors(const DocumentFeatures& ar, const DocumentFeatures& en) {
  const Postings pa = Index(ar);
  const Postings pe = Index(en);
  // Candidate pairs and their shared rare weight, per Arabic token (a token
  // counts once per English sentence even if several of its ids hit).
  absl::flat_hash_map<uint64_t, double> cand;
  absl::flat_hash_map<int, double> hit;  // English sentence -> best weight of this token
  for (int s = 0; s < static_cast<int>(ar.sentences.size()); ++s) {
    const SentenceFeatures& sf = ar.sentences[s];
    for (uint32_t k = sf.tok_begin; k < sf.tok_end; ++k) {
      hit.clear();
      for (uint32_t x = ar.tokens[k].id_begin; x < ar.tokens[k].id_end; ++x) {
        const uint32_t id = ar.ids[x];
        auto ie = pe.by_id.find(id);
        if (ie == pe.by_id.end() || static_cast<int>(ie->second.size()) > kMaxDf) continue;
        auto ia = pa.by_id.find(id);
        const int dfa = ia == pa.by_id.end() ? 1 : static_cast<int>(ia->second.size());
        if (dfa > kMaxDf) continue;
        const double w = 1.0 / std::max<double>(dfa, static_cast<double>(ie->second.size()));
        for (int t : ie->second) hit[t] = std::max(hit[t], w);
      }
      for (const auto& [t, w] : hit) cand[(uint64_t(s) << 32) | uint32_t(t)] += w;
    }
  }
  std::vector<Anchor> c;
  for (const auto& [key, w] : cand) {
    if (w >= kMinWeight) c.push_back({static_cast<int>(key >> 32), static_cast<int>(key & 0xffffffffu), w});
  }
  if (c.empty()) return c;
  std::sort(c.begin(), c.end(), [](const Anchor& x, const Anchor& y) {
    return x.ar != y.ar ? x.ar < y.ar : x.en > y.en;  // en descending: one per row in a chain
  });
  // Heaviest chain strictly increasing in ar and en: Fenwick tree of
  // (best chain weight, index) over en.
  const int m = static_cast<int>(en.sentences.size());
  std::vector<std::pair<double, int>> tree(m + 1, {0.0, -1});
  std::vector<int> prev(c.size(), -1);
  std::vector<double> best(c.size(), 0);
  auto query = [&](int pos) {  // best over en < pos (1-based prefix [1, pos])
    std::pair<double, int> r{0.0, -1};
    for (; pos > 0; pos -= pos & -pos) r = std::max(r, tree[pos]);
    return r;
  };
  auto update = [&](int pos, std::pair<double, int> v) {
    for (; pos <= m; pos += pos & -pos) tree[pos] = std::max(tree[pos], v);
  };
  for (size_t k = 0; k < c.size(); ++k) {
    const auto q = query(c[k].en);  // en' < en (en' + 1 <= en)
    best[k] = q.first + c[k].weight;
    prev[k] = q.second;
    update(c[k].en + 1, {best[k], static_cast<int>(k)});
  }
  int at = static_cast<int>(std::max_element(best.begin(), best.end()) - best.begin());
  std::vector<Anchor> chain;
  for (; at >= 0; at = prev[at]) chain.push_back(c[at]);
  std::reverse(chain.begin(), chain.end());
  return chain;
}

std::vector<double> BandCentre(const std::vector<Anchor>& anchors, int n, int m) {
  std::vector<double> centre(n + 1);
  if (anchors.empty()) {
    for (int i = 0; i <= n; ++i) centre[i] = n == 0 ? 0 : static_cast<double>(i) * m / n;
    return centre;
  }
  // Before the first and after the last anchor the documents go on in step
  // (the anchors' slope) until one side runs out: text that one side has
  // and the other lacks is usually at the ends.
  const Anchor& first = anchors.front();
  const Anchor& last = anchors.back();
  const double slope = last.ar > first.ar
                           ? std::clamp(static_cast<double>(last.en - first.en) / (last.ar - first.ar), 0.2, 5.0)
                           : (n > 0 ? static_cast<double>(m) / n : 1.0);
  size_t seg = 0;
  for (int i = 0; i <= n; ++i) {
    double c;
    if (i <= first.ar) {
      c = first.en + 0.5 - (first.ar + 0.5 - i) * slope;
    } else if (i >= last.ar + 1) {
      c = last.en + 0.5 + (i - last.ar - 0.5) * slope;
    } else {
      while (seg + 1 < anchors.size() && anchors[seg + 1].ar + 0.5 < i) ++seg;
      const Anchor& a = anchors[seg];
      const Anchor& b = anchors[std::min(seg + 1, anchors.size() - 1)];
      c = b.ar > a.ar ? a.en + 0.5 + (b.en - a.en) * (i - a.ar - 0.5) / (b.ar - a.ar) : a.en + 0.5;
    }
    centre[i] = std::clamp(c, 0.0, static_cast<double>(m));
    if (i > 0) centre[i] = std::max(centre[i], centre[i - 1]);
  }
  return centre;
}

std::vector<double> PathCentre(const std::vector<Bead>& beads, int n, int m) {
  std::vector<double> centre(n + 1, m);
  centre[0] = 0;
  for (const Bead& b : beads) {
    for (int i = b.ar_begin + 1; i <= b.ar_end; ++i) {
      // proportional inside the bead
      centre[i] = b.en_begin + static_cast<double>(b.en_size()) * (i - b.ar_begin) / b.ar_size();
    }
  }
  for (int i = 1; i <= n; ++i) centre[i] = std::max(centre[i], centre[i - 1]);
  return centre;
}

}  // namespace qantara::align
