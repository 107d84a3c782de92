// MemoryLexicons (service/tm/lexicons.h): each memory's learned alignment
// lexicon, cached, persisted, and retrained in the caller or on an owned
// background thread.
#include "service/tm/lexicons.h"

#include <algorithm>
#include <chrono>
#include <thread>
#include <utility>

#include "absl/synchronization/mutex.h"
#include "service/base/ignore_error.h"
#include "service/text/language.h"

namespace qantara::tm {

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

MemoryLexicons::MemoryLexicons(Memories& memories, storage::LexiconStore& lexicons,
                               const MemoryLexiconOptions& options)
    : memories_(memories), lexicons_(lexicons), options_(options) {}

MemoryLexicons::~MemoryLexicons() {
  stopping_ = true;
  WaitForBackgroundTraining();
}

void MemoryLexicons::WaitForBackgroundTraining() {
  {
    absl::MutexLock l(&mu_);
    mu_.Await(absl::Condition(this, &MemoryLexicons::Idle));
  }
  JoinFinished();
}

void MemoryLexicons::JoinFinished() {
  std::vector<std::thread> finished;
  {
    absl::MutexLock l(&mu_);
    finished.swap(finished_);
  }
  // Each has done its last step (moving itself to finished_): joins at once.
  for (std::thread& t : finished) t.join();
}

bool MemoryLexicons::Stale(const Cached& c, uint64_t units) const {
  if (units < options_.min_units) return false;
  if (!c.stored) return true;
  return units > c.trained_units &&
         static_cast<double>(units) >= static_cast<double>(c.trained_units) * options_.retrain_growth;
}

std::optional<MemoryLexicon> MemoryLexicons::Fresh(const std::string& memory, const MemoryInfo& info) {
  absl::MutexLock l(&mu_);
  auto it = cache_.find(memory);
  if (it == cache_.end() || it->second.created_at_us != info.created_at_us) return std::nullopt;
  if (Stale(it->second, info.units)) return std::nullopt;
  return MemoryLexicon{it->second.lexicon, it->second.trained_units, false, false};
}

std::shared_ptr<absl::Mutex> MemoryLexicons::MemoryMutex(const std::string& memory) {
  absl::MutexLock l(&mu_);
  std::shared_ptr<absl::Mutex>& m = memory_mu_[memory];
  if (!m) m = std::make_shared<absl::Mutex>();
  return m;
}

absl::StatusOr<MemoryLexicon> MemoryLexicons::Get(const std::string& memory, const align::Aligner& aligner) {
  absl::StatusOr<MemoryInfo> info = memories_.GetMemory(memory);
  if (!info.ok()) return info.status();
  if (std::optional<MemoryLexicon> hit = Fresh(memory, *info)) return *hit;  // the common case

  std::shared_ptr<absl::Mutex> memory_mu_ptr = MemoryMutex(memory);
  absl::Mutex& memory_mu = *memory_mu_ptr;
  {
    // A background training holds the memory's mutex for seconds: do not wait for it.
    absl::MutexLock l(&mu_);
    auto bg = background_.find(memory);
    auto it = cache_.find(memory);
    if (bg != background_.end() && it != cache_.end() && it->second.created_at_us == info->created_at_us) {
      return MemoryLexicon{it->second.lexicon, it->second.trained_units, false, true};
    }
  }
  absl::ReleasableMutexLock held(&memory_mu);
  if (std::optional<MemoryLexicon> hit = Fresh(memory, *info)) return *hit;  // trained meanwhile
  Cached current;
  bool cached = false;
  {
    absl::MutexLock l(&mu_);
    auto it = cache_.find(memory);
    if (it != cache_.end() && it->second.created_at_us == info->created_at_us) {
      current = it->second;
      cached = true;
    }
  }
  if (!cached) {
    absl::StatusOr<std::optional<storage::StoredLexicon>> stored = lexicons_.Get(storage::MemoryRef(*info));
    if (!stored.ok()) return stored.status();
    current.created_at_us = info->created_at_us;
    if (stored->has_value() && (*stored)->analysis_version == align::kLearnedLexiconKeyVersion) {
      current.stored = true;
      current.trained_units = (*stored)->trained_units;
      current.lexicon = FromStored(**stored);
    }
    {
      absl::MutexLock l(&mu_);
      cache_[memory] = current;
    }
    if (!Stale(current, info->units)) {
      return MemoryLexicon{current.lexicon, current.trained_units, false, false};
    }
  }
  if (std::min(info->units, options_.max_training_units) <= options_.sync_training_units) {
    return TrainLocked(memory_mu, memory, *info, aligner);
  }
  // Too big to train inside a request: train in the background, answer with what there is.
  held.Release();
  JoinFinished();  // the threads of trainings that ended before
  {
    absl::MutexLock l(&mu_);
    StartBackground(memory, std::move(memory_mu_ptr), *info, aligner);
  }
  return MemoryLexicon{current.lexicon, current.trained_units, false, true};
}

void MemoryLexicons::StartBackground(const std::string& memory, std::shared_ptr<absl::Mutex> memory_mu,
                                     const MemoryInfo& info, const align::Aligner& aligner) {
  background_[memory] = true;
  ++running_;
  const uint64_t id = next_thread_id_++;
  // The thread takes mu_ only after this returns and mu_ is released, so
  // threads_ holds it by then.
  threads_.emplace(id, std::thread([this, id, memory, memory_mu = std::move(memory_mu), info, &aligner] {
                     {
                       absl::Mutex& mm = *memory_mu;
                       absl::MutexLock m(&mm);
                       if (!stopping_) {
                         IgnoreError(TrainLocked(mm, memory, info, aligner).status(),
                                     "a failed background training is retried at the memory's next use");
                       }
                     }
                     absl::MutexLock l(&mu_);
                     background_.erase(memory);
                     --running_;
                     auto self = threads_.find(id);
                     finished_.push_back(std::move(self->second));
                     threads_.erase(self);
                   }));
}

absl::StatusOr<MemoryLexicon> MemoryLexicons::Train(const std::string& memory,
                                                    const align::Aligner& aligner) {
  absl::StatusOr<MemoryInfo> info = memories_.GetMemory(memory);
  if (!info.ok()) return info.status();
  std::shared_ptr<absl::Mutex> memory_mu_ptr = MemoryMutex(memory);
  absl::Mutex& memory_mu = *memory_mu_ptr;
  absl::MutexLock held(&memory_mu);
  return TrainLocked(memory_mu, memory, *info, aligner);
}

absl::StatusOr<MemoryLexicon> MemoryLexicons::TrainLocked(absl::Mutex& memory_mu, const std::string& memory,
                                                          const MemoryInfo& info,
                                                          const align::Aligner& aligner) {
  absl::StatusOr<text::Language> source = text::ParseLanguage(info.source_lang);
  if (!source.ok()) return source.status();
  const bool source_is_arabic = *source == text::Language::kArabic;
  align::LexiconLearner learner(&aligner.arabic(), &aligner.english());
  const uint64_t cap = options_.max_training_units;
  const uint64_t after = info.units > cap ? info.units - cap : 0;
  uint64_t read = 0, last_id = 0;
  const absl::Status enough = absl::CancelledError("enough units");
  const absl::Status stopped = absl::CancelledError("stopping");
  // Pinned by id: a memory deleted (and maybe re-created) during the
  // training is not scanned or written as the new one.
  const storage::MemoryRef pinned(info);
  absl::Status s = memories_.ScanUnits(pinned, after, [&](const match::Unit& u) -> absl::Status {
    if (stopping_) return stopped;
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
  if (absl::Status p = lexicons_.Put(pinned, record); !p.ok()) return p;
  Cached c;
  c.created_at_us = info.created_at_us;
  c.trained_units = info.units;
  c.stored = true;
  c.lexicon = lexicon;
  {
    absl::MutexLock l(&mu_);
    cache_[memory] = std::move(c);
  }
  return MemoryLexicon{lexicon, info.units, true, false};
}

}  // namespace qantara::tm
