// Memories::Fragments: subsegment recall (service/tm/fragments.h says how).
#include "service/tm/fragments.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "service/align/analyzer.h"
#include "service/align/phrase_pairs.h"
#include "service/base/status_macros.h"
#include "service/tm/memories.h"

namespace qantara::tm {
namespace {

// Dice below this is no link.
constexpr double kMinLinkDice = 0.1;
// Units longer than this (either side) are not aligned (n x m associations).
constexpr size_t kMaxAlignedTokens = 80;

// Where a unit holds a query run: its source from `pos` on equals the query
// from the run's start for `len` words.
struct Occurrence {
  uint64_t id = 0;
  uint32_t pos = 0;
  uint32_t len = 0;
};

// One unit, aligned.
struct AlignedUnit {
  bool usable = false;  // false: filtered out, gone, too long or not analysable
  std::vector<align::WordLink> links;
  std::vector<uint64_t> target_keys;
  std::vector<bool> target_content;                         // per target word: not a stop word nor a number
  std::vector<std::pair<uint32_t, uint32_t>> target_spans;  // bytes in `target`
  std::string target;
};

class FragmentFinder {
 public:
  FragmentFinder(storage::MemoryReader& reader, const match::Analyzer& analyzer,
                 const LanguagePair& languages, const FragmentsRequest& request,
                 const match::AnalyzedSegment& query)
      : r_(reader), analyzer_(analyzer), languages_(languages), request_(request), query_(query) {}

  absl::StatusOr<FragmentsResult> Run();

 private:
  bool IsNumber(size_t i) const { return query_.key.tokens[i].key == match::NumberKey(); }
  // Counted every unit checked or aligned; Cancelled when the caller gave up.
  absl::Status Tick() {
    if ((++ticks_ & 63) == 0 && request_.cancelled && request_.cancelled()) {
      return absl::CancelledError("the fragments search was cancelled");
    }
    return absl::OkStatus();
  }
  // The occurrences of runs starting at query word `i` (each unit's longest).
  absl::StatusOr<std::vector<Occurrence>> RunsFrom(size_t i);
  // Units holding `key` on `side` (any length), or null when more than kMaxAssociationUnits.
  absl::StatusOr<const match::UnitIds*> List(match::Side side, uint64_t key);
  absl::StatusOr<double> Association(uint64_t source_key, uint64_t target_key);
  absl::StatusOr<const AlignedUnit*> Align(uint64_t id);
  // The target keys of unit `id`, or null when it is gone or filtered out.
  absl::StatusOr<const std::vector<uint64_t>*> TargetKeys(uint64_t id);

  storage::MemoryReader& r_;
  const match::Analyzer& analyzer_;
  const LanguagePair& languages_;
  const FragmentsRequest& request_;
  const match::AnalyzedSegment& query_;
  uint64_t ticks_ = 0;
  uint32_t aligned_ = 0;
  struct CachedList {
    uint64_t count = 0;
    std::unique_ptr<match::UnitIds> ids;  // null: over kMaxAssociationUnits
  };
  absl::flat_hash_map<std::pair<int, uint64_t>, CachedList> lists_;
  absl::flat_hash_map<std::pair<uint64_t, uint64_t>, double> association_;
  absl::flat_hash_map<uint64_t, std::unique_ptr<AlignedUnit>> units_;
  absl::flat_hash_map<uint64_t, std::unique_ptr<std::vector<uint64_t>>> target_keys_;
};

absl::StatusOr<std::vector<Occurrence>> FragmentFinder::RunsFrom(size_t i) {
  const std::vector<match::MatchToken>& q = query_.key.tokens;
  std::vector<Occurrence> out;
  if (i + 1 >= q.size() || IsNumber(i) || IsNumber(i + 1)) return out;
  // The rarer of the run's first two words (among sources of 2+ words).
  uint64_t key = q[i].key;
  QANTARA_ASSIGN_OR_RETURN(uint64_t c0, r_.CountTokenUnits(match::Side::kSource, q[i].key, 2));
  QANTARA_ASSIGN_OR_RETURN(uint64_t c1, r_.CountTokenUnits(match::Side::kSource, q[i + 1].key, 2));
  if (c0 == 0 || c1 == 0) return out;
  if (c1 < c0) key = q[i + 1].key;
  QANTARA_ASSIGN_OR_RETURN(match::UnitIds ids, r_.TokenUnits(match::Side::kSource, key, 2));
  size_t checked = 0;
  for (auto it = ids.rbegin(); it != ids.rend() && checked < kMaxRunCandidates; ++it, ++checked) {
    QANTARA_RETURN_IF_ERROR(Tick());
    absl::StatusOr<match::UnitKeysPtr> keys = r_.Keys(*it);
    if (absl::IsNotFound(keys.status())) continue;  // deleted since, or damaged
    if (!keys.ok()) return keys.status();
    const std::vector<match::MatchToken>& s = (*keys)->source.tokens;
    Occurrence best{*it, 0, 0};
    for (size_t p = 0; p + 1 < s.size(); ++p) {
      uint32_t len = 0;
      while (i + len < q.size() && p + len < s.size() && !IsNumber(i + len) &&
             s[p + len].key == q[i + len].key) {
        ++len;
      }
      if (len > best.len) best.pos = static_cast<uint32_t>(p), best.len = len;
    }
    if (best.len >= 2) out.push_back(best);
  }
  return out;
}

absl::StatusOr<const match::UnitIds*> FragmentFinder::List(match::Side side, uint64_t key) {
  auto [it, fresh] = lists_.try_emplace(std::make_pair(static_cast<int>(side), key));
  if (fresh) {
    QANTARA_ASSIGN_OR_RETURN(it->second.count, r_.CountTokenUnits(side, key, 1));
    if (it->second.count <= kMaxAssociationUnits) {
      QANTARA_ASSIGN_OR_RETURN(match::UnitIds ids, r_.TokenUnits(side, key, 1));
      it->second.ids = std::make_unique<match::UnitIds>(std::move(ids));
    }
  }
  return it->second.ids.get();
}

absl::StatusOr<double> FragmentFinder::Association(uint64_t source_key, uint64_t target_key) {
  if (source_key == match::NumberKey() || target_key == match::NumberKey()) return 0.0;
  auto [it, fresh] = association_.try_emplace(std::make_pair(source_key, target_key), 0.0);
  if (!fresh) return it->second;
  QANTARA_ASSIGN_OR_RETURN(const match::UnitIds* s, List(match::Side::kSource, source_key));
  QANTARA_ASSIGN_OR_RETURN(const match::UnitIds* t, List(match::Side::kTarget, target_key));
  if (s == nullptr || t == nullptr) return 0.0;
  const uint64_t joint = align::CountShared(*s, *t);
  const double dice = joint < kMinJointUnits ? 0.0 : align::Dice(joint, s->size(), t->size());
  association_[std::make_pair(source_key, target_key)] = dice;
  return dice;
}

absl::StatusOr<const AlignedUnit*> FragmentFinder::Align(uint64_t id) {
  auto found = units_.find(id);
  if (found != units_.end()) return found->second.get();
  if (aligned_ >= kMaxAlignedUnits) return nullptr;
  ++aligned_;
  QANTARA_RETURN_IF_ERROR(Tick());
  auto a = std::make_unique<AlignedUnit>();
  AlignedUnit* out = a.get();
  units_.emplace(id, std::move(a));
  absl::StatusOr<match::UnitKeysPtr> keys = r_.Keys(id);
  if (absl::IsNotFound(keys.status())) return out;
  if (!keys.ok()) return keys.status();
  absl::StatusOr<match::Unit> unit = r_.GetUnit(id);
  if (absl::IsNotFound(unit.status())) return out;
  if (!unit.ok()) return unit.status();
  if (!request_.filter.Matches(*unit)) return out;
  const std::vector<match::MatchToken>& src = (*keys)->source.tokens;
  if (src.size() > kMaxAlignedTokens) return out;
  absl::StatusOr<match::AnalyzedSegment> tgt = analyzer_.Analyze(unit->target, languages_.target);
  if (!tgt.ok() || tgt->key.tokens.size() > kMaxAlignedTokens || tgt->key.tokens.empty()) return out;
  for (size_t t = 0; t < tgt->key.tokens.size(); ++t) {
    out->target_keys.push_back(tgt->key.tokens[t].key);
    const bool number = tgt->key.tokens[t].key == match::NumberKey();
    const bool stop = t < tgt->norms.size() && align::IsStopword(languages_.target, tgt->norms[t]);
    out->target_content.push_back(!number && !stop);
  }
  // Every association first (the scorer below cannot fail).
  std::vector<double> scores(src.size() * out->target_keys.size(), 0.0);
  for (size_t s = 0; s < src.size(); ++s) {
    for (size_t t = 0; t < out->target_keys.size(); ++t) {
      QANTARA_ASSIGN_OR_RETURN(scores[s * out->target_keys.size() + t],
                               Association(src[s].key, out->target_keys[t]));
    }
  }
  const uint32_t m = static_cast<uint32_t>(out->target_keys.size());
  out->links = align::CompetitiveLinks(
      static_cast<uint32_t>(src.size()), m, [&](uint32_t s, uint32_t t) { return scores[s * m + t]; },
      kMinLinkDice);
  out->target_spans = std::move(tgt->spans);
  out->target = std::move(unit->target);
  out->usable = true;
  return out;
}

absl::StatusOr<const std::vector<uint64_t>*> FragmentFinder::TargetKeys(uint64_t id) {
  auto [it, fresh] = target_keys_.try_emplace(id);
  if (!fresh) return it->second.get();
  QANTARA_RETURN_IF_ERROR(Tick());
  absl::StatusOr<match::UnitKeysPtr> keys = r_.Keys(id);
  if (absl::IsNotFound(keys.status())) return nullptr;
  if (!keys.ok()) return keys.status();
  if (!request_.filter.empty()) {
    absl::StatusOr<match::Unit> unit = r_.GetUnit(id);
    if (absl::IsNotFound(unit.status())) return nullptr;
    if (!unit.ok()) return unit.status();
    if (!request_.filter.Matches(*unit)) return nullptr;
  }
  auto out = std::make_unique<std::vector<uint64_t>>();
  for (const match::MatchToken& t : (*keys)->target.tokens) out->push_back(t.key);
  it->second = std::move(out);
  return it->second.get();
}

// Whether `keys` holds `want` in a row.
bool Contains(const std::vector<uint64_t>& keys, const std::vector<uint64_t>& want) {
  return std::search(keys.begin(), keys.end(), want.begin(), want.end()) != keys.end();
}

absl::StatusOr<FragmentsResult> FragmentFinder::Run() {
  const std::vector<match::MatchToken>& q = query_.key.tokens;
  FragmentsResult result;
  result.text_words = static_cast<uint32_t>(q.size());
  std::vector<bool> content(q.size(), false);
  for (size_t i = 0; i < q.size(); ++i) {
    const bool stop = i < query_.norms.size() && align::IsStopword(languages_.source, query_.norms[i]);
    content[i] = !IsNumber(i) && !stop;
  }
  // Every candidate run: (start, length), with the occurrences from its start.
  std::vector<std::vector<Occurrence>> from(q.size());
  struct Run {
    uint32_t begin = 0, len = 0;
  };
  std::vector<Run> runs;
  for (size_t i = 0; i + 1 < q.size(); ++i) {
    QANTARA_ASSIGN_OR_RETURN(from[i], RunsFrom(i));
    // Newest first: units aligned for a run are its newest supporters.
    std::sort(from[i].begin(), from[i].end(),
              [](const Occurrence& a, const Occurrence& b) { return a.id > b.id; });
    std::vector<uint32_t> lens;
    for (const Occurrence& o : from[i]) lens.push_back(o.len);
    std::sort(lens.begin(), lens.end());
    lens.erase(std::unique(lens.begin(), lens.end()), lens.end());
    // A run begins and ends with a content word: a function word at an edge
    // ("في طوكيو") has no translation of its own (in / at / on ...).
    if (!content[i]) continue;
    uint32_t last = 0;
    for (uint32_t len : lens) {
      while (len >= 2 && !content[i + len - 1]) --len;  // the units holding more hold this too
      if (len >= 2 && len != last) runs.push_back({static_cast<uint32_t>(i), len});
      last = len;
    }
  }
  std::sort(runs.begin(), runs.end(),
            [](const Run& a, const Run& b) { return a.len != b.len ? a.len > b.len : a.begin < b.begin; });
  std::vector<Fragment> accepted;
  for (const Run& run : runs) {
    if (accepted.size() >= request_.max_fragments) break;
    bool inside = false;
    for (const Fragment& f : accepted) {
      inside = inside || (run.begin >= f.first_word && run.begin + run.len <= f.first_word + f.words);
    }
    if (inside) continue;
    uint32_t run_content = 0;
    for (size_t j = run.begin; j < run.begin + run.len; ++j) run_content += content[j] ? 1 : 0;
    // The run's words aligned in each of its newest units; same target words vote together.
    struct Vote {
      std::vector<uint64_t> keys;
      uint32_t votes = 0;
      double quality = 0;
      std::vector<uint64_t> ids;
      std::string text;
    };
    std::vector<Vote> votes;
    uint32_t supporting = 0;
    for (const Occurrence& o : from[run.begin]) {
      if (o.len < run.len) continue;
      if (supporting >= kMaxFragmentUnits) break;
      QANTARA_ASSIGN_OR_RETURN(const AlignedUnit* u, Align(o.id));
      if (u == nullptr) break;  // the call's alignments are spent
      if (!u->usable) continue;
      ++supporting;
      std::optional<align::TargetSpan> span = align::ExtractTargetSpan(u->links, o.pos, o.pos + run.len);
      if (!span.has_value() || span->end - span->begin < 2) continue;
      // The target, as the run, begins and ends with a content word ("on
      // Sunday" is "Sunday" in as many sentences).
      while (span->end - span->begin >= 2 && !u->target_content[span->begin]) ++span->begin;
      while (span->end - span->begin >= 2 && !u->target_content[span->end - 1]) --span->end;
      if (span->end - span->begin < 2) continue;
      // A number in the target has none in the run (runs hold no number).
      bool number = false;
      for (uint32_t t = span->begin; t < span->end; ++t)
        number = number || u->target_keys[t] == match::NumberKey();
      if (number) continue;
      uint32_t target_content = 0;
      for (uint32_t t = span->begin; t < span->end; ++t) target_content += u->target_content[t] ? 1 : 0;
      uint32_t linked_content_target = 0;
      for (const align::WordLink& l : u->links) {
        if (l.t >= span->begin && l.t < span->end && u->target_content[l.t]) ++linked_content_target;
      }
      // Every content word of the target is aligned into the run: an
      // unaligned one ("nominee" in "Supreme Court nominee Brett Kavanaugh")
      // translates something the run does not hold.
      if (linked_content_target < target_content) continue;
      const double q_source =
          std::min(1.0, static_cast<double>(span->linked_source) / std::max(1u, run_content));
      const double q_target =
          target_content == 0 ? 0.0 : static_cast<double>(linked_content_target) / target_content;
      std::vector<uint64_t> keys(u->target_keys.begin() + span->begin, u->target_keys.begin() + span->end);
      auto v = std::find_if(votes.begin(), votes.end(), [&](const Vote& x) { return x.keys == keys; });
      if (v == votes.end()) {
        votes.push_back({std::move(keys), 0, 0, {}, {}});
        v = votes.end() - 1;
        const uint32_t b = u->target_spans[span->begin].first, e = u->target_spans[span->end - 1].second;
        v->text = u->target.substr(b, e - b);
      }
      ++v->votes;
      v->quality += q_source * q_target;
      v->ids.push_back(o.id);
    }
    if (votes.empty()) continue;
    // How consistently the memory translates the run: the units holding it
    // (up to kMaxConsistencyUnits, newest first) whose target holds each
    // candidate's words in a row.
    uint32_t counted = 0;
    std::vector<std::vector<uint64_t>> holders(votes.size());
    for (const Occurrence& o : from[run.begin]) {
      if (o.len < run.len) continue;
      if (counted >= kMaxConsistencyUnits) break;
      QANTARA_ASSIGN_OR_RETURN(const std::vector<uint64_t>* keys, TargetKeys(o.id));
      if (keys == nullptr) continue;
      ++counted;
      for (size_t c = 0; c < votes.size(); ++c) {
        if (Contains(*keys, votes[c].keys)) holders[c].push_back(o.id);
      }
    }
    size_t best_c = 0;
    for (size_t c = 1; c < votes.size(); ++c) {
      const auto key = [&](size_t x) {
        return std::make_tuple(holders[x].size(), votes[x].votes, votes[x].quality);
      };
      if (key(c) > key(best_c)) best_c = c;
    }
    const Vote& best = votes[best_c];
    // The share of the units that translate the run so, less for few units
    // (k / (n + 1): one unit is worth 0.5), times how fully the words of the
    // run and the target were aligned where the target was found.
    const double consistency = static_cast<double>(holders[best_c].size()) / (counted + 1);
    const double confidence = consistency * (best.quality / best.votes);
    if (confidence < request_.min_confidence || confidence <= 0) continue;
    Fragment f;
    f.first_word = run.begin;
    f.words = run.len;
    f.source_span = {query_.spans[run.begin].first, query_.spans[run.begin + run.len - 1].second};
    f.source = query_.text.substr(f.source_span.first, f.source_span.second - f.source_span.first);
    f.target = best.text;
    f.confidence = confidence;
    f.unit_ids.assign(holders[best_c].begin(),
                      holders[best_c].begin() + std::min<size_t>(holders[best_c].size(), kMaxFragmentUnits));
    f.supporting_units = counted;
    accepted.push_back(std::move(f));
  }
  std::sort(accepted.begin(), accepted.end(), [](const Fragment& a, const Fragment& b) {
    return a.first_word != b.first_word ? a.first_word < b.first_word : a.words > b.words;
  });
  std::vector<bool> covered(q.size(), false);
  for (const Fragment& f : accepted) {
    for (uint32_t j = f.first_word; j < f.first_word + f.words; ++j) covered[j] = true;
  }
  result.covered_words = static_cast<uint32_t>(std::count(covered.begin(), covered.end(), true));
  result.fragments = std::move(accepted);
  return result;
}

}  // namespace

absl::StatusOr<FragmentsResult> Memories::Fragments(const FragmentsRequest& request) {
  auto languages = Languages(request.memory);
  if (!languages.ok()) return languages.status();
  QANTARA_RETURN_IF_ERROR(CheckFragments(request, limits_));
  auto query = analyzer_.Analyze(request.text, languages->source);
  if (!query.ok()) return query.status();
  QANTARA_RETURN_IF_ERROR(CheckQueryTokens(query->key.tokens.size(), limits_));
  auto reader = store_->OpenReader(request.memory);
  if (!reader.ok()) return reader.status();
  FragmentFinder finder(**reader, analyzer_, *languages, request, *query);
  return finder.Run();
}

}  // namespace qantara::tm
