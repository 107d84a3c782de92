// Candidate retrieval of a Search: the exact path (units whose key hashes
// like the query's) and the fuzzy path (per unit length, a prefix filter and
// a count filter over the postings), each candidate handed to Consider.
#include <algorithm>
#include <bit>
#include <cmath>
#include <iterator>
#include <memory>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "service/base/status_macros.h"
#include "service/match/id_counts.h"
#include "service/match/matcher_internal.h"

namespace qantara::match::matcher_internal {

absl::StatusOr<LookupResult> Search::Run() {
  if (options_.max_results == 0) return absl::InvalidArgumentError("max_results must be >= 1");
  // NaN passes the clamp to [1, 100] and every comparison with it is false
  // (MaxEdits would cast it to an integer: undefined).
  if (std::isnan(options_.threshold))
    return absl::InvalidArgumentError("threshold must be a number, not NaN");
  if (absl::Status s = PrepareContext(); !s.ok()) return s;
  if (options_.exhaustive) {
    QANTARA_RETURN_IF_ERROR(PrepareTypos());
    absl::Status s =
        view_.ForEachUnitKeys([this](uint64_t id, const UnitKeys& keys) { return Consider(id, keys); });
    if (!s.ok()) return s;
  } else {
    if (absl::Status s = ExactPath(); !s.ok()) return s;
    // The exact path's units have no substitutions: typo pairs change none
    // of their scores. Once k of them score 100, no unit with a typo pair
    // (below 100) can enter the top k.
    if (!(top_.size() == options_.max_results && bound_ >= 100.0)) QANTARA_RETURN_IF_ERROR(PrepareTypos());
    if (absl::Status s = FuzzyPath(); !s.ok()) return s;
  }
  return Finish();
}

absl::Status Search::ExactPath() {
  const uint64_t hash = QueryKey().ExactHash();
  QANTARA_ASSIGN_OR_RETURN(const ExactListPtr list, view_.Exact(options_.side, hash));
  exact_ids_ = list->ids;  // ascending: the length scans skip them all
  const size_t n = list->size();
  if (n == 0) return absl::OkStatus();
  // Newest first by the index's date bounds (unknown ones first of all): an
  // exact match's rank is at best its score of 100 less the penalties every
  // unit of the hash gets, then its date (at most the bound) and id, so once
  // that best rank of a unit does not beat the k-th match, no later unit's
  // does: they are not read. The penalties all get: the memory's, and
  // "several translations" when the key has no number and the hash more
  // than one unit (they all share the number signature, and the view does
  // not rule it out: SeveralTranslations). Not when an exact match may rise
  // to 101/102 by its context (no penalty at all).
  std::vector<uint32_t> order(n);
  for (uint32_t i = 0; i < n; ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&list](uint32_t a, uint32_t b) {
    if (list->changed_bound[a] != list->changed_bound[b])
      return list->changed_bound[a] > list->changed_bound[b];
    return list->ids[a] > list->ids[b];
  });
  const bool several = n > 1 && !HasNumber(QueryKey()) && view_.MayHaveSeveral(options_.side, hash);
  const double memory_points = options_.memory_penalty > 0 ? options_.memory_penalty : 0;
  const double fixed_points = memory_points + (several ? 1.0 : 0.0);
  const size_t fixed_count = (memory_points > 0 ? 1 : 0) + (several ? 1 : 0);
  const bool may_lift = has_context_ && fixed_points == 0;
  for (uint32_t i : order) {
    const int64_t bound = list->changed_bound[i];
    if (!may_lift && bound != ExactList::kUnknownChange && top_.size() == options_.max_results) {
      const Rank best{100.0 - fixed_points, fixed_count, 0, 0, bound, list->ids[i]};
      if (!RankBefore(best, RankOf(top_.back().match))) break;
    }
    if (absl::Status s = ConsiderId(list->ids[i]); !s.ok()) return s;
  }
  return absl::OkStatus();
}

bool Search::Feasible(size_t n, int64_t* edits) const {
  const size_t m = QueryKey().tokens.size();
  const int64_t e = MaxEdits(m, n, std::min(bound_, 100.0));
  *edits = e;
  const int64_t diff = m > n ? m - n : n - m;
  return e >= 0 && e >= diff;
}

absl::Status Search::FuzzyPath() {
  const std::vector<MatchToken>& q = QueryKey().tokens;
  const size_t m = q.size();
  if (m == 0) return absl::OkStatus();  // only the exact path can match an empty key
  // Distinct query keys with their multiplicities.
  absl::flat_hash_map<uint64_t, uint32_t> counts;
  for (const MatchToken& t : q) ++counts[t.key];
  tokens_.clear();
  tokens_.reserve(counts.size());
  for (const auto& [key, count] : counts) tokens_.push_back(QueryToken{key, count, nullptr, {}});
  const uint32_t max_len = view_.MaxLength(options_.side);
  // Every list the bound allows now, read before any is scanned: a token's
  // lists are one read (a seek), where reading length m first and the
  // others once it was scanned (the bound may have risen, allowing fewer)
  // took two, for ranges the bound seldom narrows (1M units, 200 novel
  // queries a set, callgrind: 2-17% fewer instructions at 70, no-match 17%).
  {
    size_t lo = std::min<size_t>(m, max_len), hi = lo;
    int64_t e = 0;
    while (lo > 1 && Feasible(lo - 1, &e)) --lo;
    while (hi < max_len && Feasible(hi + 1, &e)) ++hi;
    if (lo >= 1) QANTARA_RETURN_IF_ERROR(ReadTokens(static_cast<uint32_t>(lo), static_cast<uint32_t>(hi)));
  }
  // Lengths nearest to m first: m, m-1, m+1, m-2, ...
  bool down = true, up = true;
  for (size_t d = 0; down || up; ++d) {
    for (int dir = 0; dir < 2; ++dir) {
      if (d == 0 && dir == 1) continue;
      bool& alive = dir == 0 ? down : up;
      if (!alive) continue;
      if (dir == 0 && d > m - 1) {  // n would be 0 (or below)
        alive = false;
        continue;
      }
      const size_t n = dir == 0 ? m - d : m + d;
      if (n > max_len) {
        if (dir == 1 || d == 0) up = false;  // longer lengths hold no unit
        continue;
      }
      int64_t e = 0;
      if (!Feasible(n, &e)) {
        alive = false;  // further away is worse
        continue;
      }
      QANTARA_RETURN_IF_ERROR(CheckCancelled());
      if (absl::Status s = ScanLength(n); !s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

absl::Status Search::ReadTokens(uint32_t lo, uint32_t hi) {
  for (QueryToken& t : tokens_) {
    QANTARA_ASSIGN_OR_RETURN(t.lists, view_.TokenRange(options_.side, t.key, lo, hi));
    t.neighbours.clear();
    if (const std::vector<uint64_t>* neighbours = typos_.NeighboursOf(t.key); neighbours != nullptr) {
      for (uint64_t v : *neighbours) {
        QANTARA_ASSIGN_OR_RETURN(TokenListsPtr lists, view_.TokenRange(options_.side, v, lo, hi));
        t.neighbours.push_back(std::move(lists));
      }
    }
  }
  read_lo_ = lo;
  read_hi_ = hi;
  return absl::OkStatus();
}

absl::Status Search::ScanLength(size_t n) {
  int64_t e = 0;
  if (!Feasible(n, &e)) return absl::OkStatus();
  // The bound only rises, so every length scanned was read before the
  // scans; read here otherwise all the same.
  if (n < read_lo_ || n > read_hi_) {
    QANTARA_RETURN_IF_ERROR(ReadTokens(static_cast<uint32_t>(n), static_cast<uint32_t>(n)));
  }
  const uint32_t length = static_cast<uint32_t>(n);
  const size_t m = QueryKey().tokens.size();
  const int64_t common = static_cast<int64_t>(std::max(m, n)) - e;  // >= 1
  const int64_t prefix = static_cast<int64_t>(m) - common + 1;
  struct List {
    uint64_t key;
    uint32_t count;
    size_t size;  // ids->size(), for the sort
    const PostingList* ids;
  };
  std::vector<List> lists;
  lists.reserve(tokens_.size());
  std::vector<PostingList> merged_lists;  // of words with typo neighbours
  merged_lists.reserve(tokens_.size());
  for (const QueryToken& t : tokens_) {
    const PostingList* ids = &t.lists->At(length);
    // A query word with typo neighbours: its list is the units that have it
    // or one of them (a typo pair counts as a shared token here, so the
    // shared-token bound stays an upper bound of the score).
    if (!t.neighbours.empty()) {
      UnitIds merged = ids->ToVector();
      bool more_ids = false;
      for (const TokenListsPtr& neighbour : t.neighbours) {
        const PostingList& more = neighbour->At(length);
        if (more.empty()) continue;
        const UnitIds other = more.ToVector();
        UnitIds out;
        out.reserve(merged.size() + other.size());
        std::set_union(merged.begin(), merged.end(), other.begin(), other.end(), std::back_inserter(out));
        merged.swap(out);
        more_ids = true;
      }
      if (more_ids) {
        merged_lists.push_back(PostingList::FromIds(merged));
        ids = &merged_lists.back();
      }
    }
    lists.push_back(List{t.key, t.count, ids->size(), ids});
  }
  std::sort(lists.begin(), lists.end(), [](const List& a, const List& b) {
    if (a.size != b.size) return a.size < b.size;
    return a.key < b.key;
  });
  // Candidates: the units of the first `prefix` query-token occurrences'
  // lists (a unit in none of them shares fewer than `common` tokens).
  // Further lists only add to the candidates' counts, while that costs not
  // much more than what was read (by a merge, or by binary searches when
  // the candidates are few): a unit whose count plus the query tokens not
  // added is below `common` cannot reach the bound (count filter).
  IdCounts weight(m);
  int64_t covered = 0;
  size_t read = 0, volume = 0;  // volume: entries read
  for (; read < lists.size() && covered < prefix; ++read) {
    covered += lists[read].count;
    volume += lists[read].size;
    weight.Add(*lists[read].ids, lists[read].count, /*only_present=*/false);
  }
  // Budget, in list entries: about what was read, plus what the
  // candidates would cost to verify (a candidate dropped here saves a key
  // read and a distance, worth some 64 entries).
  size_t budget = 2 * volume + 64 * weight.size() + 256;
  int64_t pruned = 0;  // candidates below this count are dropped already
  for (; read < lists.size(); ++read) {
    // A candidate whose count plus the query tokens not added yet is below
    // `common` can never reach it (counts grow only by what is added): it
    // is dropped, so that each further list is checked against fewer ids.
    // The end result is the same: the groups below drop such units too.
    const int64_t need = common - (static_cast<int64_t>(m) - covered);
    if (need > pruned) {
      weight.Prune(static_cast<uint32_t>(need));
      pruned = need;
    }
    const size_t k = weight.size();
    if (k == 0) return absl::OkStatus();  // no candidate left at this length
    const size_t len = lists[read].size;
    // Galloping through the list from one candidate to the next, in id
    // order: about log2(len / k) + 2 steps a candidate.
    const size_t probes = k * (std::bit_width(len / k) + 2);
    const size_t cost = std::min(len, probes);
    if (cost > budget) continue;  // its tokens count as not added
    budget -= cost;
    covered += lists[read].count;
    if (probes < len) {
      weight.AddWhereIn(*lists[read].ids, lists[read].count);
    } else {
      weight.Add(*lists[read].ids, lists[read].count, /*only_present=*/true);
    }
  }
  const int64_t unread = static_cast<int64_t>(m) - covered;
  // Candidates with the most shared tokens first: they fill the top k early
  // and raise the bound, and a candidate's shared-token upper bound caps its
  // score, so once that cap is below the bound no later candidate (fewer
  // shared tokens) can enter the top k. Within a group, newer units (higher
  // ids) first: among equal scores they tend to win the tie-break, so later
  // ones are dropped before alignment.
  const int64_t shortest = static_cast<int64_t>(std::min(m, n));
  if (shortest < common) return absl::OkStatus();
  std::vector<std::vector<uint64_t>> groups(shortest - common + 1);  // [i]: shared = shortest - i
  weight.ForEach([&](uint64_t id, uint32_t w) {
    const int64_t shared = std::min(static_cast<int64_t>(w) + unread, shortest);
    if (shared >= common) groups[shortest - shared].push_back(id);
  });
  const size_t longest = std::max(m, n);
  const double memory_points = options_.memory_penalty > 0 ? options_.memory_penalty : 0;
  const size_t memory_count = memory_points > 0 ? 1 : 0;
  std::vector<int64_t> dates;
  for (size_t g = 0; g < groups.size(); ++g) {
    const int64_t shared = shortest - static_cast<int64_t>(g);
    const uint32_t least_edits = static_cast<uint32_t>(static_cast<int64_t>(longest) - shared);
    const double cap = GrossScore(least_edits, m, n);
    const double upper = (cap >= 100.0 && has_context_) ? 102.0 : cap;
    std::vector<uint64_t>& group = groups[g];
    if (group.empty()) continue;
    if (upper < bound_) break;
    if (!std::is_sorted(group.begin(), group.end())) std::sort(group.begin(), group.end());
    // A large group whose units may tie with the k-th match (a two-word
    // query at 50: tens of thousands of units sharing one word, all capped
    // at 50). A unit's best possible rank is the group's cap less the
    // memory's penalty, that penalty alone, its least edits as raw
    // distance, no form difference, its date bound and its id; once the
    // top k is full, a unit whose best rank does not beat the k-th match
    // cannot enter it. Taken by date bound (newest first), then id
    // (highest first), best ranks only fall: the first unit that cannot
    // enter ends the group. Units of one bound are runs of consecutive ids
    // (ChangedBounds: a block's newest date), ordered through a heap, so
    // only the runs taken are ordered. A small group, or one a context may
    // lift to 101/102, is one run by id, every unit considered.
    const bool by_date = group.size() >= kDateOrderMin && !(has_context_ && cap >= 100.0);
    struct Run {
      int64_t date;
      size_t begin, end;  // group[begin, end), ascending ids
    };
    std::vector<Run> runs;
    if (by_date) {
      view_.ChangedBounds(group, &dates);
      for (size_t i = 0; i < group.size();) {
        size_t j = i + 1;
        while (j < group.size() && dates[j] == dates[i]) ++j;
        runs.push_back(Run{dates[i], i, j});
        i = j;
      }
    } else {
      runs.push_back(Run{ExactList::kUnknownChange, 0, group.size()});
    }
    // A max-heap: the newest bound first, then the higher ids.
    const auto before = [](const Run& a, const Run& b) {
      return a.date != b.date ? a.date < b.date : a.begin < b.begin;
    };
    std::make_heap(runs.begin(), runs.end(), before);
    bool ended = false;
    while (!runs.empty() && !ended) {
      std::pop_heap(runs.begin(), runs.end(), before);
      const Run run = runs.back();
      runs.pop_back();
      for (size_t i = run.end; i-- > run.begin;) {
        const uint64_t id = group[i];
        if (!exact_ids_.empty() && std::binary_search(exact_ids_.begin(), exact_ids_.end(), id)) continue;
        if (upper < bound_) return absl::OkStatus();
        if (by_date && top_.size() == options_.max_results &&
            !RankBefore(Rank{cap - memory_points, memory_count, least_edits, 0, run.date, id},
                        RankOf(top_.back().match))) {
          ended = true;
          break;
        }
        if (absl::Status s = ConsiderId(id); !s.ok()) return s;
      }
    }
  }
  return absl::OkStatus();
}

absl::Status Search::ConsiderId(uint64_t id) {
  if (const UnitKeys* k = view_.PeekKeys(id); k != nullptr) return Consider(id, *k);
  // Keys not in memory: a read each. The sketch, where the view holds it,
  // rules out most candidates of a long list that share tokens but not
  // their order (no-match and edited queries) without the read.
  if (view_.KeySketch(id, options_.side, &sketch_) && !SketchMayPass(sketch_)) {
    if ((++passed_by_sketch_ & 1023) == 0) QANTARA_RETURN_IF_ERROR(CheckCancelled());
    return absl::OkStatus();
  }
  auto keys = view_.Keys(id);
  if (!keys.ok()) {
    if (absl::IsNotFound(keys.status())) return absl::OkStatus();
    return keys.status();
  }
  return Consider(id, **keys);
}

bool Search::SketchMayPass(const std::vector<uint16_t>& sketch) const {
  // Consider's first checks, with the sketch's distance (a lower bound of
  // the token distance) for the distance.
  const int64_t e = MaxEdits(QueryKey().tokens.size(), sketch.size(), std::min(bound_, 100.0));
  if (e < 0) return false;
  if (typos_.MayTouchSketch(sketch)) return true;
  return pattern_.SketchDistance(sketch, static_cast<uint32_t>(e)) <= static_cast<uint64_t>(e);
}

}  // namespace qantara::match::matcher_internal
