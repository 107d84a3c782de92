// Concordance: a word or phrase inside a memory's units, found through the
// posting lists of its rarest token and checked on each candidate's keys;
// newest first, paged, with the phrase's byte spans in the unit's text.
#include <algorithm>
#include <functional>

#include "service/base/status_macros.h"
#include "service/tm/memories.h"

namespace qantara::tm {
namespace {

// Where the token sequence `want` starts in `toks`.
std::vector<size_t> FindPhrase(const std::vector<match::MatchToken>& toks,
                               const std::vector<match::MatchToken>& want) {
  std::vector<size_t> at;
  for (size_t i = 0; i + want.size() <= toks.size(); ++i) {
    bool ok = true;
    for (size_t j = 0; j < want.size() && ok; ++j) ok = toks[i + j].key == want[j].key;
    if (ok) at.push_back(i);
  }
  return at;
}

}  // namespace

absl::StatusOr<ConcordanceResult> Memories::Concordance(const ConcordanceRequest& request) {
  auto languages = Languages(request.memory);
  if (!languages.ok()) return languages.status();
  QANTARA_RETURN_IF_ERROR(CheckConcordance(request, limits_));
  const match::Side side = request.in_target ? match::Side::kTarget : match::Side::kSource;
  const text::Language lang = languages->side(request.in_target);
  auto phrase = analyzer_.Analyze(request.text, lang);
  if (!phrase.ok()) return phrase.status();
  const std::vector<match::MatchToken>& want = phrase->key.tokens;
  if (want.empty()) return absl::InvalidArgumentError("the search text has no word to look for");
  const uint32_t min_length = static_cast<uint32_t>(want.size());

  auto reader = store_->OpenReader(request.memory);
  if (!reader.ok()) return reader.status();
  storage::MemoryReader& r = **reader;
  // The rarest phrase token (by its units among sides of >= |phrase| tokens).
  uint64_t best_key = 0, best_count = UINT64_MAX;
  for (const match::MatchToken& t : want) {
    auto count = r.CountTokenUnits(side, t.key, min_length);
    if (!count.ok()) return count.status();
    if (*count < best_count) best_count = *count, best_key = t.key;
  }
  auto candidates = r.TokenUnits(side, best_key, min_length);
  if (!candidates.ok()) return candidates.status();
  ConcordanceResult result;
  uint64_t seen = 0;
  for (auto it = candidates->rbegin(); it != candidates->rend(); ++it) {  // newest first
    if ((++seen & 63) == 0 && request.cancelled && request.cancelled()) {
      return absl::CancelledError("the concordance search was cancelled");
    }
    const uint64_t id = *it;
    if (request.page_token != 0 && id >= request.page_token) continue;
    if (result.hits.size() == request.page_size) {
      result.next_page_token = result.hits.back().unit.id;
      break;
    }
    // NotFound: deleted since the posting was written, or damaged (the
    // reader skips those; `--check` reports them).
    auto keys = r.Keys(id);
    if (absl::IsNotFound(keys.status())) continue;
    if (!keys.ok()) return keys.status();
    if (FindPhrase((*keys)->side(side).tokens, want).empty()) continue;
    auto unit = r.GetUnit(id);
    if (absl::IsNotFound(unit.status())) continue;
    if (!unit.ok()) return unit.status();
    if (!request.filter.Matches(*unit)) continue;
    const std::string& text = side == match::Side::kSource ? unit->source : unit->target;
    auto seg = analyzer_.Analyze(text, lang);
    if (!seg.ok()) return seg.status();
    ConcordanceHit hit;
    for (size_t at : FindPhrase(seg->key.tokens, want)) {
      hit.spans.emplace_back(seg->spans[at].first, seg->spans[at + want.size() - 1].second);
    }
    hit.unit = *std::move(unit);
    result.hits.push_back(std::move(hit));
  }
  return result;
}

}  // namespace qantara::tm
