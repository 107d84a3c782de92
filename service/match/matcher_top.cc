// The top k of a Search: matches held best first (form distances computed
// where ranks tie up to them), and the result built from them (diffs,
// adapted numbers).
#include <algorithm>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "service/base/status_macros.h"
#include "service/match/matcher_internal.h"

namespace qantara::match::matcher_internal {

bool Search::TiedBeforeForm(const Rank& a, const Rank& b) {
  return a.score == b.score && a.penalties == b.penalties && a.raw_distance == b.raw_distance;
}

absl::Status Search::KnowFormIfTied(const Rank& r, Entry& e) {
  if (e.form_known || !TiedBeforeForm(r, RankOf(e.match))) return absl::OkStatus();
  return KnowForm(e);
}

absl::Status Search::KnowForm(Entry& e) {
  if (e.form_known) return absl::OkStatus();
  if (KnownFormDistance(e.form_pairs, &e.match.form_distance)) {
    e.form_known = true;
    return absl::OkStatus();
  }
  if (!e.have_unit) {
    const double score = e.match.score;
    absl::StatusOr<Unit> unit = view_.GetUnit(e.match.unit.id);
    if (absl::IsNotFound(unit.status())) {
      // Gone meanwhile, or damaged (the view reads it as missing): it ranks
      // last among its ties, and Finish() leaves it out.
      e.match.form_distance = std::numeric_limits<uint32_t>::max();
      e.form_known = true;
      return absl::OkStatus();
    }
    if (!unit.ok()) return unit.status();
    e.match.unit = *std::move(unit);
    e.match.score = score;
    e.have_unit = true;
  }
  const std::string& side_text = options_.side == Side::kTarget ? e.match.unit.target : e.match.unit.source;
  QANTARA_ASSIGN_OR_RETURN(AnalyzedSegment useg, analyzer_.Analyze(side_text, unit_language_));
  e.analysed = std::make_shared<const AnalyzedSegment>(std::move(useg));
  e.match.form_distance =
      FormDistance(*e.analysed, AlignTokens(query_.key.tokens, e.analysed->key.tokens, &typos_));
  e.form_known = true;
  return absl::OkStatus();
}

namespace {

uint64_t FormPair(uint32_t query_token, uint32_t surface) {
  return (static_cast<uint64_t>(query_token) << 32) | surface;
}

}  // namespace

uint32_t Search::FormDistance(const AnalyzedSegment& u, const std::vector<EditOp>& ops) {
  uint32_t total = 0;
  std::string qbuf, ubuf;
  for (const EditOp& op : ops) {
    if (op.kind != EditOp::kMatch) continue;
    const uint32_t surface = u.key.tokens[op.b_index].surface;
    if (query_.key.tokens[op.a_index].surface == surface) continue;
    const uint32_t d = std::max<uint32_t>(
        1, CharDistance(FormText(query_, op.a_index, qbuf), FormText(u, op.b_index, ubuf)));
    form_pairs_.emplace(FormPair(op.a_index, surface), d);
    total += d;
  }
  return total;
}

FormPairList Search::FormPairs(const SideKey& u, const std::vector<EditOp>& ops) const {
  FormPairList pairs;
  for (const EditOp& op : ops) {
    if (op.kind != EditOp::kMatch) continue;
    const uint32_t surface = u.tokens[op.b_index].surface;
    if (query_.key.tokens[op.a_index].surface != surface) pairs.push_back(FormPair(op.a_index, surface));
  }
  return pairs;
}

bool Search::KnownFormDistance(const FormPairList& pairs, uint32_t* distance) const {
  if (pairs.empty() || form_pairs_.empty()) return false;
  uint32_t total = 0;
  for (uint64_t pair : pairs) {
    auto it = form_pairs_.find(pair);
    if (it == form_pairs_.end()) return false;
    total += it->second;
  }
  *distance = total;
  return true;
}

absl::Status Search::Offer(Entry entry) {
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

absl::StatusOr<LookupResult> Search::Finish() {
  LookupResult result;
  result.candidates_scored = scored_;
  result.candidates_sketched = passed_by_sketch_;
  for (auto& [match, have_unit, form_known, analysed, form_pairs] : top_) {
    if (!have_unit) {
      const double score = match.score;
      absl::StatusOr<Unit> unit = view_.GetUnit(match.unit.id);
      if (absl::IsNotFound(unit.status())) continue;  // gone meanwhile, or damaged
      if (!unit.ok()) return unit.status();
      match.unit = *std::move(unit);
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
    const std::vector<EditOp> ops = AlignTokens(query_.key.tokens, useg->key.tokens, &typos_);
    match.diffs = DiffSpans(query_, *useg, ops);
    if (!form_known) match.form_distance = FormDistance(*useg, ops);  // for MergeResults
    KeyScore ks = ScoreKeys(query_.key, useg->key, ops, &typos_);
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

}  // namespace qantara::match::matcher_internal
