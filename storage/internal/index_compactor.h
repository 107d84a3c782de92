// IndexCompactor: folds the sorted runs that bulk loads leave in a memory's
// `postings` and `exact` ranges into one run, once the memory has gone quiet.
// PRIVATE to storage/'s .cc files (no RocksDB type appears here).
//
// Why: a full index buffer is ingested as SST files (storage/index_buffer.h),
// and RocksDB puts each ingested file in the deepest level it overlaps
// nothing in. Every buffer of a memory spans the memory's whole key range, so
// a 1M-unit load leaves ten sorted runs (one a level, the rest in level 0),
// and a cold read of a token merges a block from each: first lookups after a
// load cost about twice the CPU of those on one run. Compacting after each
// ingestion would rewrite the memory's index again and again (it doubled the
// CPU of a bulk load); compacting once the load is over rewrites it once.
//
// A compaction is one RocksDB CompactFiles call a column family (all of the
// memory's files into the bottom level, in one pass). It cannot be
// cancelled: Stop() waits for the one running (seconds at a million units),
// and skips the other column family's.
#ifndef QANTARA_STORAGE_INTERNAL_INDEX_COMPACTOR_H_
#define QANTARA_STORAGE_INTERNAL_INDEX_COMPACTOR_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "storage/column_families.h"

namespace qantara::storage {

namespace internal {
struct RocksHandles;  // storage/internal/rocks.h
}  // namespace internal

struct IndexCompactorOptions {
  // A memory is checked once no write to it has been noted for this long.
  std::chrono::milliseconds quiet{1000};
  // It is compacted when `postings` or `exact` holds at least this many
  // sorted runs of it (level-0 files and deeper levels with a file of it);
  // 0: never (notes are ignored).
  size_t min_runs = 4;
};

class IndexCompactor {
 public:
  // `busy(memory)` says whether the memory is still being written (an index
  // write in flight): its check is then put off by another `quiet`.
  // REQUIRES: rocks and busy stay valid until Stop() returns.
  // `purged(memory)` is called on the background thread once a deleted
  // memory's key range is compacted away (Purge); it removes the tombstone.
  IndexCompactor(internal::RocksHandles& rocks, std::function<bool(uint32_t)> busy,
                 IndexCompactorOptions options = {}, std::function<absl::Status(uint32_t)> purged = nullptr);
  IndexCompactor(const IndexCompactor&) = delete;
  IndexCompactor& operator=(const IndexCompactor&) = delete;
  ~IndexCompactor() { Stop(); }

  // Notes a write to memory `memory`: once nothing has been noted for it for
  // `quiet`, it is checked and, if it needs it, compacted on the background
  // thread (started by the first note). Cheap; never blocks on a compaction.
  void NoteWrite(uint32_t memory) ABSL_LOCKS_EXCLUDED(mu_);

  // Forgets memory `memory` (deleted): a check pending for it is dropped.
  void Forget(uint32_t memory) ABSL_LOCKS_EXCLUDED(mu_);

  // Compacts the key range of deleted memory `memory` (range-deleted) in
  // every column family on the background thread, so its disk space comes
  // back, then calls `purged`. Dropped by Stop() (the tombstone stays and
  // the next open purges again).
  void Purge(uint32_t memory) ABSL_LOCKS_EXCLUDED(mu_);

  // Ends the background thread, after the compaction running (if any) ends;
  // pending checks are dropped (the next open checks every memory again).
  // Notes after Stop() are ignored. Idempotent.
  void Stop() ABSL_LOCKS_EXCLUDED(mu_);

  // Blocks until no check is pending or running (tests and benchmarks).
  void WaitIdle() ABSL_LOCKS_EXCLUDED(mu_);

  // Compactions done so far (each: both column families of one memory).
  size_t compactions() const ABSL_LOCKS_EXCLUDED(mu_);
  // Memories waiting for a check or a purge, and whether one runs now.
  std::pair<size_t, bool> Pending() const ABSL_LOCKS_EXCLUDED(mu_);

  // The sorted runs of memory `memory` in column family `cf`.
  static absl::StatusOr<size_t> SortedRuns(internal::RocksHandles& rocks, Cf cf, uint32_t memory);

  // Compacts every file of `cf` that holds keys of memory `memory` into the
  // bottom level, in one pass. Aborted when one of them is being compacted
  // by RocksDB at the time (try again later).
  static absl::Status Compact(internal::RocksHandles& rocks, Cf cf, uint32_t memory);

 private:
  using Clock = std::chrono::steady_clock;
  void Run() ABSL_LOCKS_EXCLUDED(mu_);
  // Checks memory `memory` and compacts it if it needs it. Returns false
  // when it must be checked again later (busy, or a file being compacted).
  bool CheckAndCompact(uint32_t memory) ABSL_LOCKS_EXCLUDED(mu_);
  // Compacts the key range of deleted memory `memory` in every column family.
  absl::Status PurgeRange(uint32_t memory) ABSL_LOCKS_EXCLUDED(mu_);

  internal::RocksHandles& rocks_;
  const std::function<bool(uint32_t)> busy_;
  const IndexCompactorOptions options_;
  mutable absl::Mutex mu_;
  absl::CondVar cv_;  // signalled on every change of what mu_ guards
  std::map<uint32_t, Clock::time_point> due_ ABSL_GUARDED_BY(mu_);  // memory -> when to check it
  std::vector<uint32_t> purges_ ABSL_GUARDED_BY(mu_);               // deleted memories to purge
  const std::function<absl::Status(uint32_t)> purged_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  bool running_ ABSL_GUARDED_BY(mu_) = false;  // a check is running (outside mu_)
  size_t compactions_ ABSL_GUARDED_BY(mu_) = 0;
  // Started under mu_ by the first NoteWrite(); joined by Stop() outside it,
  // after it set stop_ (no NoteWrite() starts it after that).
  std::thread thread_;
};

}  // namespace qantara::storage

#endif  // QANTARA_STORAGE_INTERNAL_INDEX_COMPACTOR_H_
