// RocksMemoryStore: the MemoryStore on RocksDB. PRIVATE to storage/. Its
// parts live in files of one idea each:
//   memory_catalog.cc  open, the catalog of memories, stats, waits
//   bulk_add.cc        AddUnits: duplicate policies and the source filter
//   unit_writes.cc     single-unit reads and writes, ScanUnits
//   memory_reader.cc   OpenReader: the consistent read of one memory
//   warm_up.cc         the background warm-up of the caches
//   recovery.cc        rebuilding the index buffer after a crash
#ifndef QANTARA_STORAGE_INTERNAL_ROCKS_MEMORY_STORE_H_
#define QANTARA_STORAGE_INTERNAL_ROCKS_MEMORY_STORE_H_

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "storage/internal/index_compactor.h"
#include "storage/internal/memory_state.h"
#include "storage/internal/unit_writer.h"
#include "storage/memory_store.h"

namespace qantara::storage::internal {

class RocksMemoryStore final : public MemoryStore {
 public:
  RocksMemoryStore(Store& store, const MemoryStoreOptions& options);
  ~RocksMemoryStore() override;

  // Reads the memory records (and recovers their index buffers).
  absl::Status Load();

  absl::StatusOr<MemoryInfo> CreateMemory(const NewMemory& memory) override;
  absl::StatusOr<std::vector<MemoryInfo>> ListMemories() override;
  absl::StatusOr<MemoryInfo> GetMemory(const MemoryRef& memory) override;
  absl::Status DeleteMemory(const MemoryRef& memory) override;
  absl::StatusOr<std::vector<AddOutcome>> AddUnits(const MemoryRef& memory, UnitFeed& units,
                                                   DuplicatePolicy policy, int64_t now_us,
                                                   const OnOrdered& on_ordered,
                                                   const ProgressMark* progress) override;
  absl::StatusOr<Unit> UpdateUnit(const MemoryRef& memory, Unit unit, match::UnitKeysPtr keys,
                                  uint64_t expected_revision) override;
  absl::StatusOr<uint64_t> DeleteUnits(const MemoryRef& memory, const std::vector<uint64_t>& ids) override;
  absl::StatusOr<Unit> GetUnit(const MemoryRef& memory, uint64_t id) override;
  absl::Status ScanUnits(const MemoryRef& memory, uint64_t after_id,
                         const std::function<absl::Status(const Unit&)>& fn, uint64_t* damaged) override;
  absl::Status IncrementUsage(const MemoryRef& memory, uint64_t id, uint64_t by) override;
  absl::StatusOr<std::unique_ptr<MemoryReader>> OpenReader(const MemoryRef& memory) override;
  absl::StatusOr<StoreStats> Stats() override;
  absl::StatusOr<std::vector<MemoryUsage>> Usage(size_t limit, size_t* total) override;
  void StartWarmUp() override;
  void WaitForWarmUp() override;
  absl::Status WaitForIndexWrites() override;
  void WaitForIndexCompactions() override;
  absl::StatusOr<std::optional<ProgressMark>> GetProgress(const MemoryRef& memory,
                                                          const std::string& job) override;

 private:
  // A unit that an add's duplicate check found: the unit, and its index in
  // the call's feed when it was added by this call (else nullopt).
  struct Duplicate {
    Unit unit;
    std::optional<size_t> in_call;
  };
  // Units of the current batch by source exact hash (indexes into the feed).
  using CallSources = absl::flat_hash_map<uint64_t, std::vector<size_t>>;

  // The state of `memory` (NotFound when there is none, or when it was pinned
  // by an id that is no longer the name's). Callers check `deleted` once
  // they hold its lock.
  absl::StatusOr<std::shared_ptr<MemState>> Find(const MemoryRef& memory) ABSL_LOCKS_EXCLUDED(mu_);
  std::vector<std::shared_ptr<MemState>> AllStates() ABSL_LOCKS_EXCLUDED(mu_);
  // Whether memory `id` is being written (an index write in flight, or the
  // lock held by a writer): its compaction waits.
  bool IndexBusy(uint32_t id) ABSL_LOCKS_EXCLUDED(mu_);

  // bulk_add.cc
  absl::StatusOr<std::optional<Duplicate>> FindDuplicate(UnitWriter& writer, uint64_t hash, const Unit& u,
                                                         const CallSources& sources,
                                                         const std::vector<PreparedUnit*>& ready,
                                                         DuplicatePolicy policy);
  absl::Status ReadSourceHashes(MemState& state) ABSL_EXCLUSIVE_LOCKS_REQUIRED(state.rw);

  // warm_up.cc
  struct FrequentToken {
    uint32_t df;  // units of the sample with it
    match::Side side;
    uint64_t key;
  };
  std::vector<FrequentToken> WarmKeys(MemState& state) ABSL_LOCKS_EXCLUDED(state.rw);
  void WarmFrequentPostings(MemState& state, const std::vector<FrequentToken>& frequent)
      ABSL_LOCKS_EXCLUDED(state.rw);
  // Reads the memory's posting and exact index into the block cache (while
  // the cache holds less than half its capacity). False when the cache is
  // that full or the store stops.
  bool WarmIndexBlocks(MemState& state) ABSL_LOCKS_EXCLUDED(state.rw);

  // memory_catalog.cc: the bodies of the public calls, before Durable().
  absl::StatusOr<MemoryInfo> CreateMemoryLocked(const NewMemory& memory) ABSL_LOCKS_EXCLUDED(mu_);
  absl::Status DeleteMemoryLocked(const MemoryRef& memory) ABSL_LOCKS_EXCLUDED(mu_);
  // Called by the compactor once a deleted memory's range is compacted away.
  absl::Status RemoveTombstone(uint32_t id);

  // bulk_add.cc, unit_writes.cc: as above.
  absl::StatusOr<std::vector<AddOutcome>> AddUnitsLocked(const MemoryRef& memory, UnitFeed& units,
                                                         DuplicatePolicy policy, int64_t now_us,
                                                         const OnOrdered& on_ordered,
                                                         const ProgressMark* progress);
  absl::StatusOr<Unit> UpdateUnitLocked(const MemoryRef& memory, Unit unit, match::UnitKeysPtr keys,
                                        uint64_t expected_revision);
  absl::StatusOr<uint64_t> DeleteUnitsLocked(const MemoryRef& memory, const std::vector<uint64_t>& ids);
  absl::Status IncrementUsageLocked(const MemoryRef& memory, uint64_t id, uint64_t by);

  // recovery.cc. A unit whose keys do not decode is left out of the index
  // and named in `problems`.
  absl::Status RecoverPending(MemState& state, std::vector<std::string>& problems)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(state.rw);

  Store& store_;
  RocksHandles& rocks_;
  const MemoryStoreOptions options_;
  // The budget of every memory's posting and exact caches (options_.cache_bytes).
  const std::shared_ptr<CacheBudget> cache_budget_;
  // The budget of every memory's unit-key cache (options_.key_cache_bytes).
  const std::shared_ptr<KeyBudget> key_budget_;
  absl::Mutex mu_;
  std::map<std::string, std::shared_ptr<MemState>> memories_ ABSL_GUARDED_BY(mu_);
  uint32_t next_memory_id_ ABSL_GUARDED_BY(mu_) = 1;
  // What the open found damaged (records that do not decode), for Stats().
  std::vector<std::string> problems_ ABSL_GUARDED_BY(mu_);
  std::thread warm_thread_ ABSL_GUARDED_BY(mu_);
  std::atomic<bool> stop_{false};
  IndexCompactor compactor_;  // after memories_: IndexBusy reads it until Stop()
};

// InvalidArgument unless `job` is a valid progress mark key (1 to
// kMaxJobKeyBytes bytes).
absl::Status CheckJobKey(std::string_view job);
// The error of a missing memory.
absl::Status NoMemory(const MemoryRef& memory);
// NotFound when `state` was deleted (call with its lock held, either mode).
absl::Status CheckLive(const MemState& state) ABSL_SHARED_LOCKS_REQUIRED(state.rw);

}  // namespace qantara::storage::internal

#endif  // QANTARA_STORAGE_INTERNAL_ROCKS_MEMORY_STORE_H_
