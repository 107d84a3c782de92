// MemState: one memory's state in a running store: its record, the caches of
// its index, its index buffer and source filter, and the locks that guard
// them. PRIVATE to storage/.
//
// Locking: writers hold `rw` exclusively while they write RocksDB and update
// the caches (taken through WriteLock, storage/internal/write_gate.h);
// readers hold it shared for a whole read (a lookup). The posting and exact
// caches lock themselves (ShardedListCache: a lock for each of 16 parts);
// `fill` (taken after `rw`, in either mode) guards the key cache and the
// token and exact filters: readers take it shared to read them, writers and
// the warm-up exclusively to change them. A complete key cache is read
// under `rw` shared without `fill` (see CachedIndexReader::Keys).
//
// The posting and exact caches are bounded: their lists are charged to the
// store's CacheBudget (storage/internal/list_cache.h), which evicts lists
// (CLOCK) once the caches of all memories hold more than
// MemoryStoreOptions::cache_bytes; a reader reads an evicted list again
// (RocksDB plus `pending`). The unit-keys caches are charged to the store's
// KeyBudget: a memory's is complete after the warm-up when every unit's keys
// fit in what is left of it; otherwise the memory's keys are not cached at
// all (`keys_uncached`: read from RocksDB, whose block cache keeps the hot
// blocks), so the server's memory does not grow with a memory's size.
#ifndef QANTARA_STORAGE_INTERNAL_MEMORY_STATE_H_
#define QANTARA_STORAGE_INTERNAL_MEMORY_STATE_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "service/match/index_view.h"
#include "storage/internal/encoding.h"
#include "storage/internal/hash_filter.h"
#include "storage/internal/index_buffer.h"
#include "storage/internal/key_sketches.h"
#include "storage/internal/list_cache.h"
#include "storage/internal/rocks.h"
#include "storage/memory_store.h"

namespace qantara::storage::internal {

struct MemState {
  MemState(MemoryRecord record, std::shared_ptr<CacheBudget> cache_budget,
           std::shared_ptr<KeyBudget> key_budget = std::make_shared<KeyBudget>(UINT64_MAX))
      : id(record.id),
        rec(std::move(record)),
        budget(cache_budget),
        postings(cache_budget),
        exact(cache_budget),
        keys(std::move(key_budget)) {
    budget->Register(this);
  }
  ~MemState() { budget->Unregister(this); }
  MemState(const MemState&) = delete;
  MemState& operator=(const MemState&) = delete;

  const uint32_t id;  // the memory's id (never changes)
  absl::Mutex rw;
  // The write gate on `rw` (storage/internal/write_gate.h): writers waiting
  // for `rw` without blocking readers, and readers at low CPU priority
  // holding it or about to.
  std::atomic<int> writers_waiting{0};
  std::atomic<int> slow_readers{0};
  MemoryRecord rec ABSL_GUARDED_BY(rw);
  // Set by DeleteMemory (with `rw` held exclusively) once the memory's
  // delete batch is written: whoever takes `rw` afterwards (a writer or
  // reader that found the memory before) fails with NotFound, so nothing is
  // ever written back under a deleted memory's id.
  bool deleted ABSL_GUARDED_BY(rw) = false;
  // The store's budget of posting and exact lists (shared by all memories).
  const std::shared_ptr<CacheBudget> budget;
  absl::Mutex fill ABSL_ACQUIRED_AFTER(rw);
  // The list caches lock themselves (a lock a part, taken after `fill` when
  // both are held): lookups find and fill lists without `fill`. Writers
  // change cached lists in place holding `rw` exclusively (no reader holds
  // one then); readers that need a token's lists at more lengths replace
  // its entry (TokenPostings).
  ShardedListCache<TokenId, TokenPostings> postings;  // a token's lists (TokenPostings)
  ShardedListCache<ExactId, match::ExactList> exact;
  KeyCache keys ABSL_GUARDED_BY(fill);
  // Set once the warm-up has loaded every unit's keys; writers keep `keys`
  // complete from then on, so exhaustive scans read it instead of RocksDB
  // (and no reader inserts into it any more).
  std::atomic<bool> keys_complete{false};
  // Set while the warm-up loads `keys`: writers then keep loaded entries
  // current instead of dropping them.
  std::atomic<bool> warming{false};
  // Set when the memory's keys did not fit in the store's KeyBudget (at the
  // warm-up, or when writes grew a complete cache past it): `keys` stays
  // empty and every read of a unit's keys reads RocksDB. Set under `rw`
  // held exclusively or by the warm-up (under `rw` shared and `fill`);
  // cleared only by a new state (the next open).
  std::atomic<bool> keys_uncached{false};
  // What a lookup would otherwise read from the index for every query (a
  // seek each, most of a novel query's time once its lists are read), kept
  // by side (Side as index) for every unit loaded by the warm-up or written
  // since the memory's state was made, never removed from:
  //  - `tokens`: the token keys. A key not in it: no unit has the token; in
  //    it, and not in `token_removals` (keys a write removed a posting of):
  //    some unit has it. Otherwise the index is read. Typo neighbours
  //    (MemoryReader::HasTokens) ask it for the query's words and hundreds
  //    of variant keys a word.
  //  - `exact_seen`: the exact hashes ("no": no unit has the hash, so a
  //    novel query's exact path reads nothing); `exact_repeated`: those
  //    added when `exact_seen` may have held them already ("no": at most
  //    one unit has the hash: no "several translations" penalty, nothing
  //    read).
  absl::flat_hash_set<uint64_t> tokens[2] ABSL_GUARDED_BY(fill);
  HashFilter token_removals[2] ABSL_GUARDED_BY(fill);
  //  - `changed_max`: by blocks of kChangedBlock consecutive unit ids (key
  //    id / kChangedBlock), the newest change date (changed_at_us) of the
  //    units of the block loaded or written so far: an upper bound of each
  //    unit's date (a write to an older date leaves it), which ranks ties
  //    without reading the units (IndexView::ChangedBounds). A map, not a
  //    vector by block: kept ids may be anywhere up to 2^47. About 40,000
  //    blocks (under 1 MB) at 10M units.
  static constexpr uint64_t kChangedBlock = 256;
  absl::flat_hash_map<uint64_t, int64_t> changed_max ABSL_GUARDED_BY(fill);
  //  - `sketches`: each unit's token keys folded to 16 bits, while the
  //    memory's keys are not all held in `keys` (keys_uncached, or not
  //    complete and not being warmed: a memory created since the start):
  //    a lookup passes over candidates whose sketch cannot reach the k-th
  //    match without reading their keys (IndexView::KeySketch). Every write
  //    of a unit's keys sets or erases its sketch, so a sketch held is
  //    current; a unit without one is read.
  KeySketches sketches ABSL_GUARDED_BY(fill);
  HashFilter exact_seen[2] ABSL_GUARDED_BY(fill);
  HashFilter exact_repeated[2] ABSL_GUARDED_BY(fill);
  // Set once `tokens` and the exact filters hold every unit's keys: at
  // creation (no unit), or when the warm-up has loaded them all. Before
  // that, the index is read.
  std::atomic<bool> tokens_complete{false};
  // Index entries of added units not yet written to the postings and exact
  // column families (their units and unit keys are): readers merge them into
  // what they read. Only adds are buffered; any write that removes index
  // entries writes the buffer first.
  IndexBuffer pending ABSL_GUARDED_BY(rw);
  // Units with ids below this are committed (next_unit_id after the last
  // successful write).
  uint64_t committed_next_id ABSL_GUARDED_BY(rw) = 1;
  // Counts writes to RocksDB (batches and index buffer writes), so that a
  // writer's reused iterators know when they are stale.
  uint64_t generation ABSL_GUARDED_BY(rw) = 0;
  // The error of a background index write that failed after the batch of
  // the call that reaped it was written (that call stored its units and
  // succeeded): the next AddUnits returns it before it writes anything.
  // Cleared then, or once the buffer is written.
  absl::Status index_error ABSL_GUARDED_BY(rw);
  // When set, holds the source exact hash of every unit of the memory (and
  // maybe of some that are gone): duplicate checks skip the exact index for
  // a source it has not seen. Set at creation (empty), or read from the
  // exact index once adds after an open have checked many units against the
  // index (unfiltered_checks). UnitWriter::Index adds to it.
  std::unique_ptr<HashFilter> source_hashes ABSL_GUARDED_BY(rw);
  // Units whose duplicate check read the exact index since the open (while
  // source_hashes is not set): the filter is read once they are many.
  uint64_t unfiltered_checks ABSL_GUARDED_BY(rw) = 0;
};

// Adds the token keys and exact hashes of both sides of `keys` (unit `id`'s)
// to `state.tokens` and its exact filters, its date to `state.changed_max`,
// and sets its sketch (or erases it, when the state keeps none).
void AddTokenKeys(MemState& state, uint64_t id, const match::UnitKeys& keys)
    ABSL_EXCLUSIVE_LOCKS_REQUIRED(state.fill);
// The same, given the exact hashes of both sides (SideKey::ExactHash(), by
// Side as index), when the caller has them already.
void AddTokenKeys(MemState& state, uint64_t id, const match::UnitKeys& keys,
                  const std::array<uint64_t, 2>& exact_hashes) ABSL_EXCLUSIVE_LOCKS_REQUIRED(state.fill);
// The bytes held by `state.tokens` and the filters beside it.
uint64_t TokenKeyBytes(const MemState& state) ABSL_EXCLUSIVE_LOCKS_REQUIRED(state.fill);

// The public view of a memory record.
MemoryInfo InfoOf(const MemoryRecord& r);

// Writes the buffered index entries of `state` (and the index watermark).
absl::Status FlushPending(RocksHandles& rocks, MemState& state, const MemoryStoreOptions& options)
    ABSL_EXCLUSIVE_LOCKS_REQUIRED(state.rw);

// Starts writing the buffered index entries of `state` on a background
// thread (after the previous background write, whose error it returns).
absl::Status StartFlush(RocksHandles& rocks, MemState& state, const MemoryStoreOptions& options)
    ABSL_EXCLUSIVE_LOCKS_REQUIRED(state.rw);

// Reaps a finished background write (its error, if any, is returned).
absl::Status ReapFlush(MemState& state) ABSL_EXCLUSIVE_LOCKS_REQUIRED(state.rw);

}  // namespace qantara::storage::internal

#endif  // QANTARA_STORAGE_INTERNAL_MEMORY_STATE_H_
