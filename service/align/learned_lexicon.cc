// Learning an Arabic→English lexicon from aligned sentence pairs: co-occurrences
// counted once per pair, the best few Dice-associated concepts kept per word.
#include "service/align/learned_lexicon.h"

#include <algorithm>

namespace qantara::align {

const std::vector<std::string>* LearnedLexicon::Lookup(std::string_view ar_key) const {
  auto it = table_.find(std::string(ar_key));
  return it == table_.end() ? nullptr : &it->second;
}

void LearnedLexicon::Add(std::string_view ar_key, std::string_view en_concept) {
  std::vector<std::string>& v = table_[std::string(ar_key)];
  if (std::find(v.begin(), v.end(), en_concept) == v.end()) v.emplace_back(en_concept);
}

LexiconLearner::LexiconLearner(const Analyzer* arabic, const Analyzer* english)
    : arabic_(arabic), english_(english) {}

uint32_t LexiconLearner::Id(absl::flat_hash_map<std::string, uint32_t>& ids, std::vector<std::string>& names,
                            std::vector<uint32_t>& counts, std::string_view s) {
  auto [it, inserted] = ids.try_emplace(std::string(s), static_cast<uint32_t>(names.size()));
  if (inserted) {
    names.emplace_back(s);
    counts.push_back(0);
  }
  return it->second;
}

void LexiconLearner::AddPair(std::string_view ar, std::string_view en) {
  std::vector<uint32_t> a, e;
  scratch_.clear();
  if (!arabic_->Tokenize(ar, &scratch_).ok()) return;
  for (const AnalyzedToken& t : scratch_) {
    if (t.kind != TokenKind::kWord || t.latin || IsStopword(text::Language::kArabic, t.norm)) continue;
    auto it = ar_base_cache_.find(t.norm);
    if (it == ar_base_cache_.end()) {
      std::vector<std::string> keys = arabic_->Keys(t.norm);
      it = ar_base_cache_.emplace(t.norm, keys.size() > 1 ? keys[1] : keys[0]).first;
    }
    a.push_back(Id(ar_ids_, ar_names_, ar_counts_, it->second));
  }
  scratch_.clear();
  if (!english_->Tokenize(en, &scratch_).ok()) return;
  for (const AnalyzedToken& t : scratch_) {
    if (t.kind != TokenKind::kWord || IsStopword(text::Language::kEnglish, t.norm)) continue;
    auto it = en_concept_cache_.find(t.norm);
    if (it == en_concept_cache_.end()) {
      it = en_concept_cache_.emplace(t.norm, english_->Keys(t.norm).back()).first;
    }
    e.push_back(Id(en_ids_, en_names_, en_counts_, it->second));
  }
  std::sort(a.begin(), a.end());
  a.erase(std::unique(a.begin(), a.end()), a.end());
  std::sort(e.begin(), e.end());
  e.erase(std::unique(e.begin(), e.end()), e.end());
  for (uint32_t x : a) ++ar_counts_[x];
  for (uint32_t y : e) ++en_counts_[y];
  for (uint32_t x : a) {
    for (uint32_t y : e) ++joint_[(uint64_t{x} << 32) | y];
  }
  ++pairs_;
}

absl::Status LexiconLearner::AddAll(SegmentPairSource& source) {
  return source.ForEach([this](std::string_view ar, std::string_view en) { AddPair(ar, en); });
}

std::unique_ptr<LearnedLexicon> LexiconLearner::Build(const LearnedLexiconOptions& options) const {
  struct Cand {
    double dice;
    uint32_t en;
  };
  absl::flat_hash_map<uint32_t, std::vector<Cand>> best;
  for (const auto& [key, count] : joint_) {
    if (static_cast<int>(count) < options.min_pair_count) continue;
    const uint32_t x = static_cast<uint32_t>(key >> 32), y = static_cast<uint32_t>(key);
    const double dice = 2.0 * count / (ar_counts_[x] + en_counts_[y]);
    if (dice < options.min_dice) continue;
    best[x].push_back({dice, y});
  }
  auto lex = std::make_unique<LearnedLexicon>();
  for (auto& [x, cands] : best) {
    std::sort(cands.begin(), cands.end(),
              [](const Cand& p, const Cand& q) { return p.dice != q.dice ? p.dice > q.dice : p.en < q.en; });
    const size_t keep = std::min<size_t>(cands.size(), static_cast<size_t>(options.max_per_word));
    for (size_t k = 0; k < keep; ++k) lex->Add(ar_names_[x], en_names_[cands[k].en]);
  }
  return lex;
}

}  // namespace qantara::align
