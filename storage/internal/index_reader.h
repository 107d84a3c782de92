// CachedIndexReader: reads one memory's index and units through its caches
// (storage/internal/memory_state.h), from RocksDB at given read options
// (which may hold a snapshot), merging the entries buffered in memory.
// PRIVATE to storage/. The caller holds the memory's `rw` lock, shared or
// exclusive, for the reader's whole life.
#ifndef QANTARA_STORAGE_INTERNAL_INDEX_READER_H_
#define QANTARA_STORAGE_INTERNAL_INDEX_READER_H_

#include <cstdint>
#include <functional>
#include <memory>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "rocksdb/db.h"
#include "storage/internal/memory_state.h"

namespace qantara::storage::internal {

// A RocksDB snapshot held for the lifetime of a read.
class Snapshot {
 public:
  explicit Snapshot(rocksdb::DB* db) : db_(db), snap_(db->GetSnapshot()) { ro_.snapshot = snap_; }
  ~Snapshot() { db_->ReleaseSnapshot(snap_); }
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;
  const rocksdb::ReadOptions& options() const { return ro_; }

 private:
  rocksdb::DB* db_;
  const rocksdb::Snapshot* snap_;
  rocksdb::ReadOptions ro_;
};

class CachedIndexReader {
 public:
  // `reuse_iterators`: keep one exact-index and one units iterator while
  // nothing is written (writers: duplicate checks of bulk adds); they are
  // made again after every write (MemState::generation).
  CachedIndexReader(RocksHandles& rocks, MemState& state, const rocksdb::ReadOptions& ro,
                    bool reuse_iterators = false);

  // The units whose `side` has `length` match tokens, one of them `key`.
  absl::StatusOr<std::shared_ptr<match::PostingList>> Postings(match::Side side, uint64_t key,
                                                               uint32_t length);

  // Reads the posting lists of token `key` at the lengths in [lo, hi] that
  // are not cached yet with one iterator (a Get per length costs more when
  // there are several), into the cache, as Postings would.
  absl::Status PrefetchPostings(match::Side side, uint64_t key, uint32_t lo, uint32_t hi);

  // Token `key`'s posting lists at lengths [lo, hi] at least (lengths
  // capped at TokenPostings::kMaxLength): the cached entry when it covers
  // them, else one read of what it lacks, cached in its place.
  absl::StatusOr<std::shared_ptr<TokenPostings>> Token(match::Side side, uint64_t key, uint32_t lo,
                                                       uint32_t hi);

  // The units whose `side` hashes to `hash`. `cache`: keep what was read
  // from RocksDB for later reads (lookups); the duplicate checks of bulk adds
  // read without caching, so that importing a big file does not grow the
  // caches by an entry a unit.
  absl::StatusOr<std::shared_ptr<match::ExactList>> Exact(match::Side side, uint64_t hash, bool cache = true);

  // The matching keys of unit `id`. NotFound when there is none.
  absl::StatusOr<std::shared_ptr<const match::UnitKeys>> Keys(uint64_t id);
  // The keys of unit `id` when the key cache is complete, else nullptr.
  const match::UnitKeys* PeekKeys(uint64_t id);

  // Unit `id`. NotFound when there is none.
  absl::StatusOr<match::Unit> GetUnit(uint64_t id);

  // Calls `fn` for every unit's keys, by ascending id.
  // `skip_damaged`: keys that do not decode are passed over (else their
  // DataLoss error ends the scan).
  absl::Status ForEachUnitKeys(const std::function<absl::Status(uint64_t, const match::UnitKeys&)>& fn,
                               bool skip_damaged = false);
  // The DataLoss error of unit `id` whose record does not decode.
  absl::Status Damaged(uint64_t id, const absl::Status& cause) const;

  MemState& state() { return state_; }

 private:
  RocksHandles& rocks_;
  MemState& state_;
  // Whether what is read goes into qantara's caches and RocksDB's block
  // cache: not on a low-priority thread (ThisThreadIsLowPriority: a client
  // over its CPU share, a heavy call), so that it neither evicts the others'
  // working set (random-word floods) nor holds a cache's lock while the
  // kernel has it wait for a core.
  const bool fill_caches_;
  rocksdb::ReadOptions ro_;
  rocksdb::ReadOptions prefix_ro_;
  // Point reads of one unit's record (Keys, GetUnit): never into the block
  // cache (blocks it holds are still used). A lookup reads its candidates'
  // and answers' records from blocks no other lookup has read, mostly, so
  // an insert (and the eviction it makes) bought nothing: 10M units,
  // arabic_variants at 70, 1,000 novel queries, CPU 2,483-2,957 -> 1,720 ms
  // (the inserts' fresh block memory: page faults, on this VM a tenth of
  // the time), p50 2.5-3.2 -> 1.8 ms. The warm-up's posting and exact
  // blocks then stay in the cache (WarmIndexBlocks).
  rocksdb::ReadOptions unit_ro_;
  const bool reuse_iterators_;
  std::unique_ptr<rocksdb::Iterator> exact_it_;
  uint64_t exact_it_generation_ = 0;
  std::unique_ptr<rocksdb::Iterator> units_it_;  // GetUnit's, when reuse_iterators_
  uint64_t units_it_generation_ = 0;
  // ReadToken's scans, one iterator for the reader's life when it
  // reads a snapshot (lookups: a new iterator costs about what a seek does).
  std::unique_ptr<rocksdb::Iterator> postings_it_;
  // A new entry of token `key` covering [lo, hi] and what `base` (the
  // cached entry, or null) covers: `base`'s lists and those read, of the
  // lengths of [lo, hi] it lacked (one scan from the first to the last).
  absl::StatusOr<std::shared_ptr<TokenPostings>> ReadToken(match::Side side, uint64_t key,
                                                           const TokenPostings* base, uint32_t lo,
                                                           uint32_t hi);

  // The token entries Token found or read, when the reader reads a
  // snapshot: later asks of the lookup take them without a cache lookup (no
  // writer changes them while the reader holds `rw`).
  absl::flat_hash_map<TokenId, std::shared_ptr<TokenPostings>> prefetched_;
};

}  // namespace qantara::storage::internal

#endif  // QANTARA_STORAGE_INTERNAL_INDEX_READER_H_
