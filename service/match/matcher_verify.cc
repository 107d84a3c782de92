// Verification and scoring of a Search's candidates: the bounded token
// distance, the penalties (several translations, memory, attributes), the
// filter and the context score (101/102) of exact matches.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "service/base/status_macros.h"
#include "service/match/matcher_internal.h"

namespace qantara::match::matcher_internal {
namespace {

const std::string* AttributeValue(const Unit& u, const std::string& key) {
  if (key == "project") return &u.attributes.project;
  if (key == "domain") return &u.attributes.domain;
  if (key == "client") return &u.attributes.client;
  auto it = u.attributes.extra.find(key);
  return it == u.attributes.extra.end() ? nullptr : &it->second;
}

}  // namespace

absl::Status Search::PrepareContext() {
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

absl::Status Search::PrepareTypos() {
  QANTARA_ASSIGN_OR_RETURN(typos_, FindTypos(view_, options_.side, query_));
  return absl::OkStatus();
}

absl::Status Search::CheckCancelled() const {
  if (options_.cancelled && options_.cancelled()) return absl::CancelledError("the lookup was cancelled");
  return absl::OkStatus();
}

absl::Status Search::Consider(uint64_t id, const UnitKeys& keys) {
  if ((++scored_ & 1023) == 0) QANTARA_RETURN_IF_ERROR(CheckCancelled());
  const SideKey& q = QueryKey();
  const SideKey& u = keys.side(options_.side);
  const size_t m = q.tokens.size(), n = u.tokens.size();
  const int64_t e = MaxEdits(m, n, std::min(bound_, 100.0));
  if (e < 0) return absl::OkStatus();
  const uint32_t d = pattern_.Distance(u.tokens, static_cast<uint32_t>(e));
  // With a typo pair the cost is below the edits: align with the typo costs
  // (d, when not above e, is still a lower bound of the edits).
  const bool typo = d > 0 && typos_.Touches(u.tokens);
  std::vector<EditOp> ops;
  KeyScore ks;
  if (typo) {
    ops = AlignTokens(q.tokens, u.tokens, &typos_);
    ks = ScoreKeys(q, u, ops, &typos_);
  } else if (d > e) {
    return absl::OkStatus();
  }
  const double gross = typo ? ks.gross : GrossScore(d, m, n);
  const uint32_t least_raw = typo ? ks.raw_distance : d;
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
      !RankBefore(Rank{gross - memory_points, memory_count, least_raw, 0, keys.changed_at_us, id},
                  RankOf(top_.back().match))) {
    return absl::OkStatus();
  }

  Match match;
  match.unit.id = id;
  match.unit.changed_at_us = keys.changed_at_us;
  if (!typo) {
    ops = pattern_.Align(u.tokens);  // q is the pattern's query
    ks = ScoreKeys(q, u, ops);
  }
  match.gross = ks.gross;
  match.edits = ks.edits;
  match.raw_distance = ks.raw_distance;
  match.form_distance = ks.form_diffs;  // a lower bound until computed
  bool form_known = ks.form_diffs == 0;
  FormPairList pairs;
  if (!form_known) {
    pairs = FormPairs(u, ops);
    form_known = KnownFormDistance(pairs, &match.form_distance);
  }
  match.penalties = std::move(ks.penalties);
  double points = ks.penalty_points + memory_points;
  // The remaining penalties (several translations, attributes) only lower
  // the rank further.
  if (!(context_may_lift && points == 0)) {
    if (gross - points < threshold_) return absl::OkStatus();
    if (full) {
      const Rank best{gross - points,     match.penalties.size() + memory_count,
                      match.raw_distance, match.form_distance,
                      keys.changed_at_us, id};
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
  return Offer(Entry{std::move(match), have_unit, form_known, nullptr,
                     form_known ? FormPairList() : std::move(pairs)});
}

uint64_t Search::NumberSignature(const SideKey& k) {
  uint64_t h = 0x9E3779B97F4A7C15ull;
  const uint64_t number = NumberKey();
  for (const MatchToken& t : k.tokens) {
    if (t.key == number) h = (h ^ t.surface) * 0x100000001B3ull;
  }
  return h;
}

bool Search::HasNumber(const SideKey& k) {
  const uint64_t number = NumberKey();
  return std::any_of(k.tokens.begin(), k.tokens.end(),
                     [number](const MatchToken& t) { return t.key == number; });
}

absl::StatusOr<bool> Search::SeveralTranslations(const SideKey& u) {
  const uint64_t hash = u.ExactHash();
  const uint64_t mine = NumberSignature(u);
  auto it = signatures_.find(hash);
  if (it == signatures_.end()) {
    if (!view_.MayHaveSeveral(options_.side, hash)) {
      signatures_.emplace(hash, Signatures{});
      return false;
    }
    auto list = view_.Exact(options_.side, hash);
    if (!list.ok()) return list.status();
    Signatures sigs;
    const size_t n = (*list)->size();
    if (n > 1 && !HasNumber(u)) {
      // No number in the key: the units of the hash have its token keys,
      // so none has a number either, and they all share this signature
      // (no read: a hash of thousands of units, "OK" or "and", would read
      // them all).
      sigs.emplace(mine, static_cast<uint32_t>(std::min<size_t>(n, UINT32_MAX)));
    } else if (n > 1) {
      for (uint64_t id : (*list)->ids) {
        auto keys = view_.Keys(id);
        if (absl::IsNotFound(keys.status())) continue;
        if (!keys.ok()) return keys.status();
        ++sigs[NumberSignature((*keys)->side(options_.side))];
      }
    }
    it = signatures_.emplace(hash, std::move(sigs)).first;
  }
  auto found = it->second.find(mine);
  return found != it->second.end() && found->second > 1;
}

absl::StatusOr<double> Search::ContextScore(const Unit& unit) {
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

}  // namespace qantara::match::matcher_internal
