#include "service/rpc/memory_lexicon.h"

#include <algorithm>
#include <chrono>
#include <optional>

#include "service/text/language.h"

namespace qantara::rpc {

storage::StoredLexicon ToStored(const align::LearnedLexicon& lexicon) {
  storage::StoredLexicon out;
  out.analysis_version = align::kLearnedLexiconKeyVersion;
  out.entries.reserve(lexicon.size());
  for (const auto& [key, concepts] : lexicon.entries()) out.entries.emplace_back(key, concepts);
  // A stable order, so equal lexicons store equal bytes.
  std::sort(out.entries.begin(), out.entries.end());
  return out;
}

std::unique_ptr<align::LearnedLexicon> FromStored(const storage::StoredLexicon& stored) {
  auto lex = std::make_unique<align::LearnedLexicon>();
  for (const auto& [key, concepts] : stored.entries) {
    for (const std::string& c : concepts) lex->Add(key, c);
  }
  return lex;
}

MemoryLexicons::MemoryLexicons(storage::MemoryStore& memories, storage::LexiconStore& lexicons,
                               const MemoryLexiconOptions& options)
    : memories_(memories), lexicons_(lexicons), options_(options) {}

bool MemoryLexicons::Stale(const Cached& c, uint64_t units) const {
  if (units < options_.min_units) return false;
  if (!c.stored) return true;
  return units > c.trained_units &&
         static_cast<double>(units) >= static_cast<double>(c.trained_units) * options_.retrain_growth;
}

absl::StatusOr<MemoryLexicon> MemoryLexicons::Get(const std::string& memory,
                                                  const align::Aligner& aligner) {
  absl::StatusOr<storage::MemoryInfo> info = memories_.GetMemory(memory);
  if (!info.ok()) return info.status();
  // Fresh in the cache: the common case, no lock but mu_.
  auto fresh = [&]() -> std::optional<MemoryLexicon> {
    std::lock_guard<std::mutex> l(mu_);
    auto it = cache_.find(memory);
    if (it == cache_.end() || it->second.created_at_us != info->created_at_us) return std::nullopt;
    if (Stale(it->second, info->units)) return std::nullopt;
    return MemoryLexicon{it->second.lexicon, it->second.trained_units, false};
  };
  if (std::optional<MemoryLexicon> hit = fresh()) return *hit;
  std::lock_guard<std::mutex> t(train_mu_);
  if (std::optional<MemoryLexicon> hit = fresh()) return *hit;  // trained meanwhile
  bool cached = false;
  {
    std::lock_guard<std::mutex> l(mu_);
    auto it = cache_.find(memory);
    cached = it != cache_.end() && it->second.created_at_us == info->created_at_us;
  }
  if (!cached) {
    absl::StatusOr<std::optional<storage::StoredLexicon>> stored = lexicons_.Get(memory);
    if (!stored.ok()) return stored.status();
    Cached c;
    c.created_at_us = info->created_at_us;
    if (stored->has_value() && (*stored)->analysis_version == align::kLearnedLexiconKeyVersion) {
      c.stored = true;
      c.trained_units = (*stored)->trained_units;
      c.lexicon = FromStored(**stored);
    }
    const bool stale = Stale(c, info->units);
    MemoryLexicon out{c.lexicon, c.trained_units, false};
    {
      std::lock_guard<std::mutex> l(mu_);
      cache_[memory] = std::move(c);
    }
    if (!stale) return out;
  }
  return TrainLocked(memory, *info, aligner);
}

absl::StatusOr<MemoryLexicon> MemoryLexicons::Train(const std::string& memory,
                                                    const align::Aligner& aligner) {
  absl::StatusOr<storage::MemoryInfo> info = memories_.GetMemory(memory);
  if (!info.ok()) return info.status();
  std::lock_guard<std::mutex> t(train_mu_);
  return TrainLocked(memory, *info, aligner);
}

absl::StatusOr<MemoryLexicon> MemoryLexicons::TrainLocked(const std::string& memory,
                                                          const storage::MemoryInfo& info,
                                                          const align::Aligner& aligner) {
  absl::StatusOr<text::Language> source = text::ParseLanguage(info.source_lang);
  if (!source.ok()) return source.status();
  const bool source_is_arabic = *source == text::Language::kArabic;
  align::LexiconLearner learner(&aligner.arabic(), &aligner.english());
  const uint64_t cap = options_.max_training_units;
  const uint64_t after = info.units > cap ? info.units - cap : 0;
  uint64_t read = 0, last_id = 0;
  const absl::Status enough = absl::CancelledError("enough units");
  absl::Status s = memories_.ScanUnits(memory, after, [&](const match::Unit& u) -> absl::Status {
    learner.AddPair(source_is_arabic ? u.source : u.target, source_is_arabic ? u.target : u.source);
    last_id = u.id;
    return ++read >= cap ? enough : absl::OkStatus();
  });
  if (!s.ok() && s != enough) return s;
  std::shared_ptr<const align::LearnedLexicon> lexicon = learner.Build(options_.learning);
  storage::StoredLexicon record = ToStored(*lexicon);
  record.trained_units = info.units;
  record.trained_pairs = read;
  record.last_unit_id = last_id;
  record.trained_at_us = std::chrono::duration_cast<std::chrono::microseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  if (absl::Status p = lexicons_.Put(memory, record); !p.ok()) return p;
  Cached c;
  c.created_at_us = info.created_at_us;
  c.trained_units = info.units;
  c.stored = true;
  c.lexicon = lexicon;
  {
    std::lock_guard<std::mutex> l(mu_);
    cache_[memory] = std::move(c);
  }
  return MemoryLexicon{lexicon, info.units, true};
}

}  // namespace qantara::rpc
