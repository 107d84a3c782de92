#include "service/match/matcher.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <memory>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "service/base/status_macros.h"

namespace qantara::match {

namespace {

// What RanksBefore compares, so that a candidate can be compared before its
// Match is built.
struct Rank {
  double score;
  size_t penalties;
  uint32_t raw_distance;
  uint32_t form_distance;
  int64_t changed_at_us;
  uint64_t id;
};

Rank RankOf(const Match& m) {
  return Rank{m.score, m.penalties.size(), m.raw_distance, m.form_distance, m.unit.changed_at_us, m.unit.id};
}

bool RankBefore(const Rank& a, const Rank& b) {
  if (a.score != b.score) return a.score > b.score;
  if (a.penalties != b.penalties) return a.penalties < b.penalties;
  if (a.raw_distance != b.raw_distance) return a.raw_distance < b.raw_distance;
  if (a.form_distance != b.form_distance) return a.form_distance < b.form_distance;
  if (a.changed_at_us != b.changed_at_us) return a.changed_at_us > b.changed_at_us;
  return a.id > b.id;
}

}  // namespace

bool RanksBefore(const Match& a, const Match& b) { return RankBefore(RankOf(a), RankOf(b)); }

namespace {

const std::string* AttributeValue(const Unit& u, const std::string& key) {
  if (key == "project") return &u.attributes.project;
  if (key == "domain") return &u.attributes.domain;
  if (key == "client") return &u.attributes.client;
  auto it = u.attributes.extra.find(key);
  return it == u.attributes.extra.end() ? nullptr : &it->second;
}

// Shared-token counts of the units of one length scan. Unit ids are dense
// (1, 2, ...), so up to kDenseIds they are counted in an array indexed by id
// (far cheaper than a hash map for the long lists of frequent tokens); the
// arrays are pooled (as many as lookups ran at once, not one a thread) and
// cleared through the list of ids touched. Larger ids go to a hash map.
// Dense counts are 16-bit (half the cache footprint of 32: the long lists
// hit ids all over the array); a query of more tokens than they hold counts
// everything in the hash map.
class IdCounts {
 public:
  static constexpr uint64_t kDenseIds = uint64_t{1} << 24;  // 32 MB of counts at most
  using Count = uint16_t;
  static constexpr size_t kMaxDenseTotal = 0xffff;  // the largest sum of counts a dense entry holds

  // `total`: the sum of every count that may be added to one id (the
  // query's token count).
  explicit IdCounts(size_t total)
      : scratch_(Acquire()),
        dense_(scratch_->dense),
        touched_(scratch_->touched),
        dense_limit_(total <= kMaxDenseTotal ? kDenseIds : 0) {}
  ~IdCounts() {
    for (uint64_t id : touched_) dense_[id] = 0;
    touched_.clear();
    Pool& pool = GetPool();
    absl::MutexLock l(&pool.mu);
    pool.free.push_back(std::move(scratch_));
  }
  IdCounts(const IdCounts&) = delete;
  IdCounts& operator=(const IdCounts&) = delete;

  // Adds `c` to the count of every id of `ids` (ascending); with
  // `only_present`, only to ids counted already.
  void Add(const UnitIds& ids, uint32_t c, bool only_present) {
    if (ids.empty()) return;
    if (ids.front() < dense_limit_) {
      const uint64_t last = std::min(ids.back(), dense_limit_ - 1);
      if (last >= dense_.size()) dense_.resize(last + 1, 0);
    }
    for (uint64_t id : ids) {
      if (id < dense_limit_) {
        Count& w = dense_[id];
        if (w == 0) {
          if (only_present) continue;
          touched_.push_back(id);
        }
        w += c;
      } else if (only_present) {
        auto it = sparse_.find(id);
        if (it != sparse_.end()) it->second += c;
      } else {
        sparse_[id] += c;
      }
    }
  }

  // Adds `c` to the count of every counted id that is in `ids` (ascending),
  // by binary search: cheaper than Add(ids, c, true) when `ids` is much
  // longer than size().
  void AddWhereIn(const UnitIds& ids, uint32_t c) {
    for (uint64_t id : touched_) {
      if (std::binary_search(ids.begin(), ids.end(), id)) dense_[id] += c;
    }
    for (auto& [id, w] : sparse_) {
      if (std::binary_search(ids.begin(), ids.end(), id)) w += c;
    }
  }

  size_t size() const { return touched_.size() + sparse_.size(); }

  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (uint64_t id : touched_) fn(id, dense_[id]);
    for (const auto& [id, w] : sparse_) fn(id, w);
  }

 private:
  struct Scratch {
    std::vector<Count> dense;       // all zero between uses
    std::vector<uint64_t> touched;  // empty between uses
  };
  struct Pool {
    absl::Mutex mu;
    std::vector<std::unique_ptr<Scratch>> free ABSL_GUARDED_BY(mu);
  };
  static Pool& GetPool() {
    static Pool* pool = new Pool;  // never destroyed: lookups may run at exit
    return *pool;
  }
  static std::unique_ptr<Scratch> Acquire() {
    Pool& pool = GetPool();
    {
      absl::MutexLock l(&pool.mu);
      if (!pool.free.empty()) {
        std::unique_ptr<Scratch> s = std::move(pool.free.back());
        pool.free.pop_back();
        return s;
      }
    }
    return std::make_unique<Scratch>();
  }
  std::unique_ptr<Scratch> scratch_;
  std::vector<Count>& dense_;
  std::vector<uint64_t>& touched_;
  const uint64_t dense_limit_;  // ids below it are counted in dense_
  absl::flat_hash_map<uint64_t, uint32_t> sparse_;
};

class Search {
 public:
  Search(IndexView& view, const Analyzer& analyzer, const AnalyzedSegment& query,
         text::Language unit_language, text::Language other_language, const LookupOptions& options)
      : view_(view),
        analyzer_(analyzer),
        query_(query),
        unit_language_(unit_language),
        other_language_(other_language),
        options_(options),
        threshold_(std::clamp(options.threshold, 1.0, 100.0)),
        pattern_(query.key.tokens),
        bound_(threshold_) {}

  absl::StatusOr<LookupResult> Run() {
    if (options_.max_results == 0) return absl::InvalidArgumentError("max_results must be >= 1");
    if (absl::Status s = PrepareContext(); !s.ok()) return s;
    if (options_.exhaustive) {
      absl::Status s = view_.ForEachUnitKeys([this](uint64_t id, const UnitKeys& keys) {
        return Consider(id, keys);
      });
      if (!s.ok()) return s;
    } else {
      if (absl::Status s = ExactPath(); !s.ok()) return s;
      if (absl::Status s = FuzzyPath(); !s.ok()) return s;
    }
    return Finish();
  }

 private:
  const SideKey& QueryKey() const { return query_.key; }

  absl::Status PrepareContext() {
    const UnitContext& c = options_.context;
    has_context_ = !c.id.empty() || !c.prev.empty() || !c.next.empty();
    if (!c.prev.empty()) {
      auto a = analyzer_.Analyze(c.prev, unit_language_);
      if (!a.ok()) return a.status();
      prev_hash_ = a->key.ExactHash();
    }
    if (!c.next.empty()) {
      auto a = analyzer_.Analyze(c.next, unit_language_);
      if (!a.ok()) return a.status();
      next_hash_ = a->key.ExactHash();
    }
    return absl::OkStatus();
  }

  absl::Status ExactPath() {
    auto ids = view_.Exact(options_.side, QueryKey().ExactHash());
    if (!ids.ok()) return ids.status();
    exact_ids_ = **ids;  // ascending
    for (uint64_t id : exact_ids_) {
      if (absl::Status s = ConsiderId(id); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

  // Whether units of length n can still reach the bound; sets *edits.
  bool Feasible(size_t n, int64_t* edits) const {
    const size_t m = QueryKey().tokens.size();
    const int64_t e = MaxEdits(m, n, std::min(bound_, 100.0));
    *edits = e;
    const int64_t diff = m > n ? m - n : n - m;
    return e >= 0 && e >= diff;
  }

  absl::Status FuzzyPath() {
    const std::vector<MatchToken>& q = QueryKey().tokens;
    const size_t m = q.size();
    if (m == 0) return absl::OkStatus();  // only the exact path can match an empty key
    // Distinct query keys with their multiplicities.
    absl::flat_hash_map<uint64_t, uint32_t> counts;
    for (const MatchToken& t : q) ++counts[t.key];
    const uint32_t max_len = view_.MaxLength(options_.side);
    // Lengths nearest to m first: m, m-1, m+1, m-2, ...
    bool down = true, up = true;
    for (size_t d = 0; down || up; ++d) {
      if (d == 1) {
        if (absl::Status s = Prefetch(counts, m, max_len); !s.ok()) return s;
      }
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
        if (absl::Status s = ScanLength(counts, n); !s.ok()) return s;
      }
    }
    return absl::OkStatus();
  }

  // Once length m is scanned (the bound may have risen): the lists of the
  // other lengths the bound allows, read together.
  absl::Status Prefetch(const absl::flat_hash_map<uint64_t, uint32_t>& counts, size_t m, uint32_t max_len) {
    size_t lo = std::min<size_t>(m, max_len), hi = lo;
    int64_t e = 0;
    while (lo > 1 && Feasible(lo - 1, &e)) --lo;
    while (hi < max_len && Feasible(hi + 1, &e)) ++hi;
    if (hi - lo < 2) return absl::OkStatus();
    for (const auto& [key, count] : counts) {
      absl::Status s = view_.PrefetchPostings(options_.side, key, static_cast<uint32_t>(lo),
                                              static_cast<uint32_t>(hi));
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  }

  absl::Status ScanLength(const absl::flat_hash_map<uint64_t, uint32_t>& counts, size_t n) {
    int64_t e = 0;
    if (!Feasible(n, &e)) return absl::OkStatus();
    const size_t m = QueryKey().tokens.size();
    const int64_t common = static_cast<int64_t>(std::max(m, n)) - e;  // >= 1
    const int64_t prefix = static_cast<int64_t>(m) - common + 1;
    struct List {
      uint64_t key;
      uint32_t count;
      UnitIdsPtr ids;
    };
    std::vector<List> lists;
    lists.reserve(counts.size());
    for (const auto& [key, count] : counts) {
      QANTARA_ASSIGN_OR_RETURN(UnitIdsPtr ids, view_.Postings(options_.side, key, static_cast<uint32_t>(n)));
      lists.push_back(List{key, count, std::move(ids)});
    }
    std::sort(lists.begin(), lists.end(), [](const List& a, const List& b) {
      if (a.ids->size() != b.ids->size()) return a.ids->size() < b.ids->size();
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
      volume += lists[read].ids->size();
      weight.Add(*lists[read].ids, lists[read].count, /*only_present=*/false);
    }
    // Budget, in list entries: about what was read, plus what the
    // candidates would cost to verify (a candidate dropped here saves a key
    // read and a distance, worth some 64 entries).
    size_t budget = 2 * volume + 64 * weight.size() + 256;
    for (; read < lists.size(); ++read) {
      const size_t len = lists[read].ids->size();
      const size_t probes = weight.size() * (std::bit_width(len) + 1);
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
    for (size_t g = 0; g < groups.size(); ++g) {
      const int64_t shared = shortest - static_cast<int64_t>(g);
      const double cap = GrossScore(static_cast<uint32_t>(longest - shared), m, n);
      const double upper = (cap >= 100.0 && has_context_) ? 102.0 : cap;
      std::vector<uint64_t>& group = groups[g];
      if (group.empty()) continue;
      if (upper < bound_) break;
      if (!std::is_sorted(group.begin(), group.end())) std::sort(group.begin(), group.end());
      for (auto it = group.rbegin(); it != group.rend(); ++it) {
        const uint64_t id = *it;
        if (!exact_ids_.empty() && std::binary_search(exact_ids_.begin(), exact_ids_.end(), id)) continue;
        if (upper < bound_) return absl::OkStatus();
        if (absl::Status s = ConsiderId(id); !s.ok()) return s;
      }
    }
    return absl::OkStatus();
  }

  // REQUIRES: each id is considered once (a unit has one length, and the
  // length scans skip the exact path's units).
  absl::Status ConsiderId(uint64_t id) {
    if (const UnitKeys* k = view_.PeekKeys(id); k != nullptr) return Consider(id, *k);
    auto keys = view_.Keys(id);
    if (!keys.ok()) {
      if (absl::IsNotFound(keys.status())) return absl::OkStatus();
      return keys.status();
    }
    return Consider(id, **keys);
  }

  absl::Status Consider(uint64_t id, const UnitKeys& keys) {
    ++scored_;
    const SideKey& q = QueryKey();
    const SideKey& u = keys.side(options_.side);
    const size_t m = q.tokens.size(), n = u.tokens.size();
    const int64_t e = MaxEdits(m, n, std::min(bound_, 100.0));
    if (e < 0) return absl::OkStatus();
    const uint32_t d = pattern_.Distance(u.tokens, static_cast<uint32_t>(e));
    if (d > e) return absl::OkStatus();
    const double gross = GrossScore(d, m, n);
    if (gross < threshold_) return absl::OkStatus();
    const double upper = (gross >= 100.0 && has_context_) ? 102.0 : gross;
    if (upper < bound_) return absl::OkStatus();

    // Every penalty lowers the score and adds to the penalty count, and the
    // raw distance is at least the token edits: unless an exact match may
    // rise to 101/102 by its context (only without any penalty), a candidate
    // whose best possible rank does not beat the k-th match is done, before
    // the alignment (here) and before the reads (below).
    const double memory_points = options_.memory_penalty > 0 ? options_.memory_penalty : 0;
    const size_t memory_count = memory_points > 0 ? 1 : 0;
    const bool full = top_.size() == options_.max_results;
    const bool context_may_lift = has_context_ && gross >= 100.0 && memory_points == 0;
    if (full && !context_may_lift &&
        !RankBefore(Rank{gross - memory_points, memory_count, d, 0, keys.changed_at_us, id},
                    RankOf(top_.back().match))) {
      return absl::OkStatus();
    }

    Match match;
    match.unit.id = id;
    match.unit.changed_at_us = keys.changed_at_us;
    const std::vector<EditOp> ops = AlignTokens(q.tokens, u.tokens);
    KeyScore ks = ScoreKeys(q, u, ops);
    match.gross = ks.gross;
    match.edits = ks.edits;
    match.raw_distance = ks.raw_distance;
    match.form_distance = ks.form_diffs;  // a lower bound until computed
    const bool form_known = ks.form_diffs == 0;
    match.penalties = std::move(ks.penalties);
    double points = ks.penalty_points + memory_points;
    // The remaining penalties (several translations, attributes) only lower
    // the rank further.
    if (!(context_may_lift && points == 0)) {
      if (gross - points < threshold_) return absl::OkStatus();
      if (full) {
        const Rank best{gross - points, match.penalties.size() + memory_count, match.raw_distance,
                        match.form_distance, keys.changed_at_us, id};
        if (absl::Status s = KnowFormIfTied(best, top_.back()); !s.ok()) return s;
        if (!RankBefore(best, RankOf(top_.back().match))) return absl::OkStatus();
      }
    }

    QANTARA_ASSIGN_OR_RETURN(const bool several, SeveralTranslations(u));
    if (several) {
      match.penalties.push_back(Penalty{std::string(kPenaltyMultipleTranslations), 1});
      points += 1;
    }
    if (memory_points > 0) {
      match.penalties.push_back(Penalty{std::string(kPenaltyMemory), memory_points});
    }
    const bool need_unit = !options_.filter.empty() || !options_.attribute_penalties.empty() ||
                           (has_context_ && gross >= 100.0 && points == 0);
    bool have_unit = false;
    if (need_unit) {
      auto unit = view_.GetUnit(id);
      if (!unit.ok()) return absl::IsNotFound(unit.status()) ? absl::OkStatus() : unit.status();
      match.unit = *std::move(unit);
      have_unit = true;
      if (!options_.filter.Matches(match.unit)) return absl::OkStatus();
      for (const AttributePenalty& ap : options_.attribute_penalties) {
        const std::string* v = AttributeValue(match.unit, ap.key);
        if (v != nullptr && *v == ap.value && ap.points > 0) {
          match.penalties.push_back(Penalty{std::string(kPenaltyAttribute), ap.points});
          points += ap.points;
        }
      }
    }
    match.score = std::max(0.0, gross - points);
    if (have_unit && has_context_ && gross >= 100.0 && points == 0) {
      QANTARA_ASSIGN_OR_RETURN(match.score, ContextScore(match.unit));
    }
    if (match.score < threshold_) return absl::OkStatus();
    return Offer(Entry{std::move(match), have_unit, form_known, nullptr});
  }

  // A match held or offered for the top k.
  struct Entry {
    Match match;
    bool have_unit = false;   // match.unit is the whole unit
    bool form_known = false;  // match.form_distance is computed (else a lower bound)
    std::shared_ptr<const AnalyzedSegment> analysed;  // of the compared side, once analysed
  };

  static bool TiedBeforeForm(const Rank& a, const Rank& b) {
    return a.score == b.score && a.penalties == b.penalties && a.raw_distance == b.raw_distance;
  }

  // Makes `e`'s form distance known when `r` ties with it up to that key.
  absl::Status KnowFormIfTied(const Rank& r, Entry& e) {
    if (e.form_known || !TiedBeforeForm(r, RankOf(e.match))) return absl::OkStatus();
    return KnowForm(e);
  }

  // Computes e.match.form_distance from the unit's text.
  absl::Status KnowForm(Entry& e) {
    if (e.form_known) return absl::OkStatus();
    if (!e.have_unit) {
      const double score = e.match.score;
      QANTARA_ASSIGN_OR_RETURN(e.match.unit, view_.GetUnit(e.match.unit.id));
      e.match.score = score;
      e.have_unit = true;
    }
    const std::string& side_text =
        options_.side == Side::kTarget ? e.match.unit.target : e.match.unit.source;
    QANTARA_ASSIGN_OR_RETURN(AnalyzedSegment useg, analyzer_.Analyze(side_text, unit_language_));
    e.analysed = std::make_shared<const AnalyzedSegment>(std::move(useg));
    e.match.form_distance = FormDistance(*e.analysed, AlignTokens(query_.key.tokens, e.analysed->key.tokens));
    e.form_known = true;
    return absl::OkStatus();
  }

  uint32_t FormDistance(const AnalyzedSegment& u, const std::vector<EditOp>& ops) const {
    uint32_t total = 0;
    for (const EditOp& op : ops) {
      if (op.kind != EditOp::kMatch) continue;
      if (query_.key.tokens[op.a_index].surface == u.key.tokens[op.b_index].surface) continue;
      const auto [qb, qe] = query_.spans[op.a_index];
      const auto [ub, ue] = u.spans[op.b_index];
      total += std::max<uint32_t>(
          1, CharDistance(std::string_view(query_.text).substr(qb, qe - qb),
                          std::string_view(u.text).substr(ub, ue - ub)));
    }
    return total;
  }

  // The same number values, in order (numbers share one key, so units that
  // differ only in numbers are different sources with the same exact hash).
  static uint64_t NumberSignature(const SideKey& k) {
    uint64_t h = 0x9E3779B97F4A7C15ull;
    const uint64_t number = NumberKey();
    for (const MatchToken& t : k.tokens) {
      if (t.key == number) h = (h ^ t.surface) * 0x100000001B3ull;
    }
    return h;
  }

  // Whether another unit has the same normalised source (the compared side),
  // numbers included: "several translations of one source".
  absl::StatusOr<bool> SeveralTranslations(const SideKey& u) {
    const uint64_t hash = u.ExactHash();
    auto it = signatures_.find(hash);
    if (it == signatures_.end()) {
      auto ids = view_.Exact(options_.side, hash);
      if (!ids.ok()) return ids.status();
      std::vector<uint64_t> sigs;
      if ((*ids)->size() > 1) {
        for (uint64_t id : **ids) {
          auto keys = view_.Keys(id);
          if (absl::IsNotFound(keys.status())) continue;
          if (!keys.ok()) return keys.status();
          sigs.push_back(NumberSignature((*keys)->side(options_.side)));
        }
      }
      it = signatures_.emplace(hash, std::move(sigs)).first;
    }
    const uint64_t mine = NumberSignature(u);
    return std::count(it->second.begin(), it->second.end(), mine) > 1;
  }

  absl::StatusOr<double> ContextScore(const Unit& unit) {
    const UnitContext& c = options_.context;
    if (!c.id.empty() && c.id == unit.context.id) return 102.0;
    if (c.prev.empty() && c.next.empty()) return 100.0;
    if (!c.prev.empty()) {
      auto a = analyzer_.Analyze(unit.context.prev, unit_language_);
      if (!a.ok()) return a.status();
      if (unit.context.prev.empty() || a->key.ExactHash() != prev_hash_) return 100.0;
    }
    if (!c.next.empty()) {
      auto a = analyzer_.Analyze(unit.context.next, unit_language_);
      if (!a.ok()) return a.status();
      if (unit.context.next.empty() || a->key.ExactHash() != next_hash_) return 100.0;
    }
    return 101.0;
  }

  absl::Status Offer(Entry entry) {
    const size_t k = options_.max_results;
    // Every comparison that reaches the form distance must see computed ones.
    const Rank r = RankOf(entry.match);
    for (Entry& e : top_) {
      if (!TiedBeforeForm(r, RankOf(e.match))) continue;
      if (absl::Status s = KnowForm(entry); !s.ok()) return s;
      if (absl::Status s = KnowForm(e); !s.ok()) return s;
    }
    if (top_.size() == k && !RanksBefore(entry.match, top_.back().match)) return absl::OkStatus();
    auto pos = std::upper_bound(top_.begin(), top_.end(), entry.match,
                                [](const Match& a, const Entry& b) { return RanksBefore(a, b.match); });
    top_.insert(pos, std::move(entry));
    if (top_.size() > k) top_.pop_back();
    if (top_.size() == k) bound_ = std::max(threshold_, top_.back().match.score);
    return absl::OkStatus();
  }

  absl::StatusOr<LookupResult> Finish() {
    LookupResult result;
    result.candidates_scored = scored_;
    for (auto& [match, have_unit, form_known, analysed] : top_) {
      if (!have_unit) {
        const double score = match.score;
        QANTARA_ASSIGN_OR_RETURN(match.unit, view_.GetUnit(match.unit.id));
        match.score = score;
      }
      const bool reverse = options_.side == Side::kTarget;
      const std::string& side_text = reverse ? match.unit.target : match.unit.source;
      const std::string& other_text = reverse ? match.unit.source : match.unit.target;
      if (analysed == nullptr) {
        QANTARA_ASSIGN_OR_RETURN(AnalyzedSegment a, analyzer_.Analyze(side_text, unit_language_));
        analysed = std::make_shared<const AnalyzedSegment>(std::move(a));
      }
      const AnalyzedSegment* useg = analysed.get();
      const std::vector<EditOp> ops = AlignTokens(query_.key.tokens, useg->key.tokens);
      match.diffs = DiffSpans(query_, *useg, ops);
      if (!form_known) match.form_distance = FormDistance(*useg, ops);  // for MergeResults
      KeyScore ks = ScoreKeys(query_.key, useg->key, ops);
      if (ks.only_numbers_differ) {
        auto other = analyzer_.Analyze(other_text, other_language_);
        if (!other.ok()) return other.status();
        std::optional<std::string> adapted = AdaptNumbers(query_, *useg, *other);
        if (adapted.has_value()) {
          match.adapted = true;
          match.adapted_target = *std::move(adapted);
        }
      }
      result.matches.push_back(std::move(match));
    }
    return result;
  }

  IndexView& view_;
  const Analyzer& analyzer_;
  const AnalyzedSegment& query_;
  const text::Language unit_language_;
  const text::Language other_language_;
  const LookupOptions& options_;
  const double threshold_;
  const TokenPattern pattern_;
  double bound_;  // a unit must reach this (gross upper bound) to enter the top k
  bool has_context_ = false;
  uint64_t prev_hash_ = 0, next_hash_ = 0;
  uint64_t scored_ = 0;
  UnitIds exact_ids_;  // the exact path's candidates, ascending
  absl::flat_hash_map<uint64_t, std::vector<uint64_t>> signatures_;  // exact hash -> number signatures
  std::vector<Entry> top_;  // best first
};

}  // namespace

absl::StatusOr<LookupResult> Lookup(IndexView& view, const Analyzer& analyzer,
                                    const AnalyzedSegment& query, text::Language unit_language,
                                    text::Language other_language, const LookupOptions& options) {
  Search search(view, analyzer, query, unit_language, other_language, options);
  return search.Run();
}

LookupResult MergeResults(std::vector<LookupResult> results, uint32_t max_results) {
  LookupResult out;
  for (LookupResult& r : results) {
    out.candidates_scored += r.candidates_scored;
    for (Match& m : r.matches) out.matches.push_back(std::move(m));
  }
  std::stable_sort(out.matches.begin(), out.matches.end(), RanksBefore);
  if (out.matches.size() > max_results) out.matches.resize(max_results);
  return out;
}

}  // namespace qantara::match
