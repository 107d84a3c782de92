// Anchors for the DP band: pairs of sentences sharing rare match ids, the heaviest
// monotone chain of them (Fenwick tree), and the band's centre line interpolated
// between anchors or taken from a previous pass's path.
#include "service/align/anchors.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"

namespace qantara::align {
namespace {

constexpr int kMaxDf = 3;           // "rare": in at most this many sentences per side
constexpr double kMinWeight = 1.5;  // shared rare evidence needed for an anchor

// The sentence frequency of a match id on one side (counting stops at
// kMaxDf + 1: "not rare") and, while rare, the sentences it is in.
struct Posting {
  int df = 0;
  int sentences[kMaxDf] = {};
};

// Postings of every id of `doc`, indexed by id (ids are below `bound`).
std::vector<Posting> Index(const DocumentFeatures& doc, uint32_t bound) {
  std::vector<Posting> p(bound);
  std::vector<int> last(bound, -1);  // the last sentence that counted the id
  for (int s = 0; s < static_cast<int>(doc.sentences.size()); ++s) {
    const SentenceFeatures& sf = doc.sentences[s];
    for (uint32_t k = sf.tok_begin; k < sf.tok_end; ++k) {
      for (uint32_t x = doc.tokens[k].id_begin; x < doc.tokens[k].id_end; ++x) {
        const uint32_t id = doc.ids[x];
        if (last[id] == s) continue;
        last[id] = s;
        Posting& q = p[id];
        if (q.df < kMaxDf) q.sentences[q.df] = s;
        if (q.df <= kMaxDf) ++q.df;
      }
    }
  }
  return p;
}

}  // namespace

std::vector<Anchor> FindAnchors(const DocumentFeatures& ar, const DocumentFeatures& en) {
  uint32_t bound = 0;
  for (const DocumentFeatures* d : {&ar, &en}) {
    for (uint32_t id : d->ids) bound = std::max(bound, id + 1);
  }
  const std::vector<Posting> pa = Index(ar, bound);
  const std::vector<Posting> pe = Index(en, bound);
  // Candidate pairs and their shared rare weight, per Arabic token (a token
  // counts once per English sentence even if several of its ids hit).
  absl::flat_hash_map<uint64_t, double> cand;
  std::vector<std::pair<int, double>> hit;  // English sentence, best weight of this token
  for (int s = 0; s < static_cast<int>(ar.sentences.size()); ++s) {
    const SentenceFeatures& sf = ar.sentences[s];
    for (uint32_t k = sf.tok_begin; k < sf.tok_end; ++k) {
      hit.clear();
      for (uint32_t x = ar.tokens[k].id_begin; x < ar.tokens[k].id_end; ++x) {
        const uint32_t id = ar.ids[x];
        const Posting& e = pe[id];
        if (e.df == 0 || e.df > kMaxDf) continue;
        const int dfa = pa[id].df;
        if (dfa > kMaxDf) continue;
        const double w = 1.0 / std::max<double>(dfa, static_cast<double>(e.df));
        for (int q = 0; q < e.df; ++q) {
          const int t = e.sentences[q];
          auto it = std::find_if(hit.begin(), hit.end(), [t](const auto& h) { return h.first == t; });
          if (it == hit.end()) {
            hit.emplace_back(t, w);
          } else {
            it->second = std::max(it->second, w);
          }
        }
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
  const double slope =
      last.ar > first.ar
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
