// tm::Memories: the translation-memory application layer over storage's
// MemoryStore. It checks what callers hand it (names, languages, units),
// analyses every text into matching keys (match::Analyzer) before storage
// keeps them, runs lookups across memories (the matcher over each memory's
// MemoryReader, merged, with penalties) and concordance (concordance.cc).
// The rpc and HTTP edges call this class; it sees no proto type.
//
// Thread-safe. Destroy it before closing the Store (it waits for background
// index writes and writes what it buffers).
#ifndef QANTARA_SERVICE_TM_MEMORIES_H_
#define QANTARA_SERVICE_TM_MEMORIES_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "service/match/analyzer.h"
#include "service/match/matcher.h"
#include "service/match/unit.h"
#include "service/tm/fragments.h"
#include "service/tm/request_limits.h"
#include "service/tm/types.h"
#include "service/tm/unit_update.h"
#include "service/tm/validation.h"
#include "storage/memory_store.h"
#include "storage/store.h"

namespace qantara::tm {

inline constexpr uint32_t kDefaultMemoryPage = 100;
inline constexpr uint32_t kMaxMemoryPage = 1000;

class Memories {
 public:
  // Opens the memories of an open `store` (storage::MemoryStore::Open).
  // REQUIRES: store and analyzer outlive the Memories.
  static absl::StatusOr<std::unique_ptr<Memories>> Open(storage::Store& store,
                                                        const match::Analyzer& analyzer,
                                                        const storage::MemoryStoreOptions& options = {});
  // Over an open storage::MemoryStore. REQUIRES: analyzer outlives it.
  Memories(const match::Analyzer& analyzer, std::unique_ptr<storage::MemoryStore> store);
  ~Memories();
  Memories(const Memories&) = delete;
  Memories& operator=(const Memories&) = delete;

  // Limits on what one request may ask (a server's; call before serving).
  // Without, the sizes of requests are not limited (their numbers are
  // checked all the same).
  void SetRequestLimits(const RequestLimits& limits) { limits_ = limits; }
  const std::optional<RequestLimits>& request_limits() const { return limits_; }
  // InvalidArgument when a request's `what` holds more than the limit
  // `max` of RequestLimits allows (no limits: OK); the edges check stream
  // chunks and batches with it before handing them over.
  absl::Status CheckCount(const char* what, size_t count, size_t RequestLimits::*max) const {
    return CheckLimit(limits_, what, count, max);
  }

  // The analyzer that makes every matching key of these memories.
  const match::Analyzer& analyzer() const { return analyzer_; }

  // Errors: InvalidArgument (bad name, language, or not one Arabic and one
  // English side), AlreadyExists.
  absl::StatusOr<MemoryInfo> CreateMemory(const NewMemory& memory);
  // By name.
  absl::StatusOr<std::vector<MemoryInfo>> ListMemories();
  // One page by name: up to `page_size` memories (1 to kMaxMemoryPage; 0:
  // kDefaultMemoryPage) whose names come after `after` (empty: the first).
  // `*more` tells whether memories follow the page. With `visible`, only
  // the memories it accepts are listed (and counted for `*more`).
  absl::StatusOr<std::vector<MemoryInfo>> ListMemories(
      const std::string& after, uint32_t page_size, bool* more,
      const std::function<bool(const std::string& name)>& visible = nullptr);
  // The languages of memory `name`, parsed. NotFound when missing.
  absl::StatusOr<LanguagePair> Languages(const MemoryRef& memory);
  // The memory pinned by id (storage::MemoryRef) with its languages: calls
  // made with the ref reach that memory or fail with NotFound once it is
  // deleted, never a new memory of the same name. NotFound when missing.
  absl::StatusOr<std::pair<MemoryRef, LanguagePair>> Pin(const MemoryRef& memory);
  // NotFound when there is no memory of that name.
  absl::StatusOr<MemoryInfo> GetMemory(const MemoryRef& memory);
  // Deletes the memory with all its units. NotFound when missing.
  absl::Status DeleteMemory(const MemoryRef& memory);

  // Adds units (ids, dates and usage are assigned; created_by/changed_by are
  // kept; created_at_us/changed_at_us are kept when non-zero, else now). One
  // outcome per unit, in order; every unit is visible to lookups when the
  // call returns. Units are analysed on a worker thread ahead of the writing.
  // Errors: NotFound (memory), InvalidArgument (a unit with invalid UTF-8 or
  // an empty source or target: nothing of the call is written).
  // `on_ordered`, when given, is called once the call holds the memory's
  // write lock, before it writes anything (storage::MemoryStore::AddUnits).
  // `keep_ids`: each unit keeps its id (storage::PreparedUnit::keep_id).
  // The call is atomic (one batch, storage::MemoryStore::AddUnits), with
  // `progress` written in it when given (also for a call with no unit).
  absl::StatusOr<std::vector<AddOutcome>> AddUnits(const MemoryRef& memory, std::vector<Unit> units,
                                                   DuplicatePolicy policy,
                                                   const OnOrdered& on_ordered = nullptr,
                                                   bool keep_ids = false,
                                                   const ProgressMark* progress = nullptr);
  // The progress mark of `job` in the memory, nullopt when none
  // (storage::MemoryStore::GetProgress).
  absl::StatusOr<std::optional<ProgressMark>> GetProgress(const MemoryRef& memory, const std::string& job);
  // Replaces unit `unit.id` (created_* kept, changed_at_us now unless
  // given). NotFound when the memory or the unit is missing.
  absl::StatusOr<Unit> UpdateUnit(const MemoryRef& memory, Unit unit);
  // Changes the fields of update.mask of unit update.unit.id (all of them
  // with an empty mask), atomically with its index entries; its revision
  // goes up by 1. With update.expected_revision, only if the unit is still
  // at it: Aborted otherwise (nothing written). Without, a change made by
  // another call between this call's read and write is never overwritten
  // blindly: the mask is applied again to the newer unit. Errors: NotFound,
  // InvalidArgument (an unknown mask path, a bad text), Aborted.
  absl::StatusOr<Unit> UpdateUnit(const MemoryRef& memory, const UnitUpdate& update);
  // Deletes units by id; returns how many existed. NotFound (memory).
  absl::StatusOr<uint64_t> DeleteUnits(const MemoryRef& memory, const std::vector<uint64_t>& ids);
  // NotFound when the memory or unit does not exist.
  absl::StatusOr<Unit> GetUnit(const MemoryRef& memory, uint64_t id);
  // Every unit after `after_id` in id order from one snapshot
  // (storage::MemoryStore::ScanUnits).
  absl::Status ScanUnits(const MemoryRef& memory, uint64_t after_id,
                         const std::function<absl::Status(const Unit&)>& fn, uint64_t* damaged = nullptr);
  // Adds `by` to the usage count of a unit.
  absl::Status IncrementUsage(const MemoryRef& memory, uint64_t id, uint64_t by);

  // Fuzzy lookup in one or more memories, merged best first
  // (service/match/matcher.h). Errors: NotFound (a memory), InvalidArgument.
  absl::StatusOr<match::LookupResult> Lookup(const LookupRequest& request);
  // A word or phrase inside units, newest first, paged.
  absl::StatusOr<ConcordanceResult> Concordance(const ConcordanceRequest& request);
  // The pieces of a segment the memory knows and their translations
  // (fragments.h). Errors: NotFound (memory), InvalidArgument (a field,
  // named), Cancelled.
  absl::StatusOr<FragmentsResult> Fragments(const FragmentsRequest& request);
  absl::StatusOr<StoreStats> Stats();
  // The figures of the first `limit` memories by name (storage::MemoryStore::Usage).
  absl::StatusOr<std::vector<storage::MemoryUsage>> Usage(size_t limit, size_t* total = nullptr);

  // The background warm-up of the indexes (storage::MemoryStore::StartWarmUp).
  void StartWarmUp();
  void WaitForWarmUp();
  // For tests and benchmarks (storage::MemoryStore).
  absl::Status WaitForIndexWrites();
  void WaitForIndexCompactions();

 private:
  // The matching keys of `u` in a memory of `languages`, changed at
  // u.changed_at_us, or else at the date an added unit gets (created_at_us,
  // or else `now_us`).
  absl::StatusOr<match::UnitKeysPtr> KeysOf(const LanguagePair& languages, const Unit& u,
                                            int64_t now_us = 0) const;

  const match::Analyzer& analyzer_;
  std::optional<RequestLimits> limits_;
  std::unique_ptr<storage::MemoryStore> store_;
};

}  // namespace qantara::tm

#endif  // QANTARA_SERVICE_TM_MEMORIES_H_
