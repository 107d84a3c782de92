// MemoryLexicons: the alignment lexicon each translation memory learns from
// its own segment pairs (issue 4, "a lexicon that learns from the memory").
//
// A memory's lexicon is trained (align::LexiconLearner, Dice) from its
// stored units, read with Memories::ScanUnits with the Arabic side of each
// unit taken by the memory's languages; it is persisted with the memory
// (storage::LexiconStore) and cached here, and the aligner uses it next to
// FreeDict when it aligns into, or with, that memory. It is retrained when it
// is missing, was made with another word analysis, or the memory has grown by
// `retrain_growth` since (so retraining costs a constant factor of the
// memory's growth). Training that reads more than `sync_training_units`
// units (seconds of work: a big memory imported from TMX) runs on a
// background thread instead of in the caller's request, which meanwhile gets
// the lexicon there is (perhaps none); MemoryLexicons owns these threads and
// joins them (WaitForBackgroundTraining, destruction). Plain C++ (no proto
// types). Thread-safe; trainings of different memories run independently.
#ifndef QANTARA_SERVICE_TM_LEXICONS_H_
#define QANTARA_SERVICE_TM_LEXICONS_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "service/align/aligner.h"
#include "service/align/learned_lexicon.h"
#include "service/tm/memories.h"
#include "storage/lexicon_store.h"

namespace qantara::tm {

struct MemoryLexiconOptions {
  // No lexicon below this many units (too little evidence).
  uint64_t min_units = 10;
  // Retrain once the memory holds this many times the units it was trained on.
  double retrain_growth = 1.25;
  // Training reads at most this many units (about the newest).
  uint64_t max_training_units = 200000;
  // A training that reads more units than this runs in the background (about
  // 20,000 units a second).
  uint64_t sync_training_units = 20000;
  align::LearnedLexiconOptions learning;
};

// A memory's lexicon as handed to the aligner.
struct MemoryLexicon {
  std::shared_ptr<const align::LearnedLexicon> lexicon;  // null: none yet
  uint64_t trained_units = 0;                            // the memory's unit count when it was trained
  bool trained_now = false;                              // trained by this call
  bool training_in_background = false;                   // stale; a background training is running
};

// Converts between the engine's lexicon and storage's record.
storage::StoredLexicon ToStored(const align::LearnedLexicon& lexicon);
std::unique_ptr<align::LearnedLexicon> FromStored(const storage::StoredLexicon& stored);

class MemoryLexicons {
 public:
  // REQUIRES: `memories` and `lexicons` outlive this object.
  MemoryLexicons(Memories& memories, storage::LexiconStore& lexicons,
                 const MemoryLexiconOptions& options = MemoryLexiconOptions());
  // Stops background trainings (they store nothing) and joins their threads.
  ~MemoryLexicons();
  MemoryLexicons(const MemoryLexicons&) = delete;
  MemoryLexicons& operator=(const MemoryLexicons&) = delete;

  // The lexicon of `memory` for `aligner` (whose analyzers make the keys):
  // cached, else read from storage, else trained and stored first when the
  // memory has at least min_units units; retrained first when stale (see the
  // file comment), or in the background when that reads more than
  // sync_training_units units. Errors: NotFound (memory), DataLoss/Internal
  // (storage). REQUIRES: `aligner` outlives this object (background training).
  absl::StatusOr<MemoryLexicon> Get(const std::string& memory, const align::Aligner& aligner);

  // Trains the lexicon of `memory` from its units now, in the caller's
  // thread (whatever its size), stores and caches it. Errors as Get.
  absl::StatusOr<MemoryLexicon> Train(const std::string& memory, const align::Aligner& aligner);

  // Waits until no background training runs and joins their threads (for
  // tests, benchmarks and destruction).
  void WaitForBackgroundTraining() ABSL_LOCKS_EXCLUDED(mu_);

  const MemoryLexiconOptions& options() const { return options_; }

 private:
  struct Cached {
    int64_t created_at_us = 0;  // tells a re-created memory of the same name apart
    uint64_t trained_units = 0;
    bool stored = false;  // false: storage holds no (current) record
    std::shared_ptr<const align::LearnedLexicon> lexicon;
  };
  bool Stale(const Cached& c, uint64_t units) const;
  // The fresh cached lexicon of `memory`, if any.
  std::optional<MemoryLexicon> Fresh(const std::string& memory, const MemoryInfo& info)
      ABSL_LOCKS_EXCLUDED(mu_);
  // The mutex that serialises storage reads and training of one memory.
  std::shared_ptr<absl::Mutex> MemoryMutex(const std::string& memory) ABSL_LOCKS_EXCLUDED(mu_);
  // `memory_mu` is MemoryMutex(memory).
  absl::StatusOr<MemoryLexicon> TrainLocked(absl::Mutex& memory_mu, const std::string& memory,
                                            const MemoryInfo& info, const align::Aligner& aligner)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(memory_mu) ABSL_LOCKS_EXCLUDED(mu_);
  // Runs a background training of `memory` on a thread of threads_.
  void StartBackground(const std::string& memory, std::shared_ptr<absl::Mutex> memory_mu,
                       const MemoryInfo& info, const align::Aligner& aligner)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool Idle() const ABSL_SHARED_LOCKS_REQUIRED(mu_) { return running_ == 0; }
  // Joins the threads of the background trainings that have ended.
  void JoinFinished() ABSL_LOCKS_EXCLUDED(mu_);

  Memories& memories_;
  storage::LexiconStore& lexicons_;
  const MemoryLexiconOptions options_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Cached> cache_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, std::shared_ptr<absl::Mutex>> memory_mu_ ABSL_GUARDED_BY(mu_);
  // memory -> a background training of it runs.
  absl::flat_hash_map<std::string, bool> background_ ABSL_GUARDED_BY(mu_);
  int running_ ABSL_GUARDED_BY(mu_) = 0;  // background trainings running
  // The threads of the background trainings: running (by id), and ended but
  // not yet joined (each moves itself there as its last step).
  uint64_t next_thread_id_ ABSL_GUARDED_BY(mu_) = 0;
  absl::flat_hash_map<uint64_t, std::thread> threads_ ABSL_GUARDED_BY(mu_);
  std::vector<std::thread> finished_ ABSL_GUARDED_BY(mu_);
  std::atomic<bool> stopping_{false};  // read by trainings between units
};

}  // namespace qantara::tm

#endif  // QANTARA_SERVICE_TM_LEXICONS_H_
