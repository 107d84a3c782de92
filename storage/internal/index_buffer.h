// IndexBuffer: the `postings` and `exact` entries of bulk-added units that
// are not yet written to RocksDB (storage/FORMAT.md, the index watermark),
// and how they are written. PRIVATE to storage/'s .cc files (it is not part
// of the storage API); no RocksDB type appears here.
//
// A memory's buffer holds the entries of units whose `units` and `unit_keys`
// records are written: readers merge the buffered ids into what they read,
// and Write() writes every entry with the index watermark. Only adds are
// buffered, so every operation here adds ids (idempotently).
// The memory's lock (its owner's) guards it: readers hold it shared (and may read at
// once); Write(), StartWrite(), Finish(), Clear() and the Add*() calls need
// it exclusively. A background write (StartWrite) runs without the lock:
// until Finish() readers see its entries both in the buffer and, once
// ingested, in RocksDB (the same ids: reads are unions).
#ifndef QANTARA_STORAGE_INTERNAL_INDEX_BUFFER_H_
#define QANTARA_STORAGE_INTERNAL_INDEX_BUFFER_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "service/match/index_view.h"
#include "storage/internal/index_entries.h"

namespace qantara::storage {

namespace internal {
struct RocksHandles;  // storage/internal/rocks.h
}  // namespace internal

// Adds the ascending `extra` ids to the ascending `ids` (a set union).
void MergeSorted(match::UnitIds& ids, const match::UnitIds& extra);

// One buffered index entry packed into 128 bits, ordered like its RocksDB
// key then the unit id (so sorting packed entries sorts them in key order).
// Postings: side (1 bit), token key (64), capped length (16, PostingKey's
// cap), unit id (47). Exact: side (1), hash (64), unit id (63).
// REQUIRES: unit ids at most kMaxUnitId (storage/limits.h: 2^47 - 1; a
// per-memory counter, or kept ids checked against it).
struct PackedEntry {
  uint64_t hi;
  uint64_t lo;
  friend bool operator==(const PackedEntry&, const PackedEntry&) = default;
  friend bool operator<(const PackedEntry& a, const PackedEntry& b) {
    return a.hi != b.hi ? a.hi < b.hi : a.lo < b.lo;
  }
};

class IndexBuffer {
 public:
  IndexBuffer() = default;
  IndexBuffer(const IndexBuffer&) = delete;
  IndexBuffer& operator=(const IndexBuffer&) = delete;
  // Waits for a background write (StartWrite) to end.
  ~IndexBuffer();

  // Buffers entry `pid` / `eid` of unit `id`. REQUIRES: for each entry, ids
  // are added in ascending order, above every id already buffered or being
  // written. Cheap: an append to a log (no lookup).
  void AddPosting(const PostingId& pid, uint64_t id);
  void AddExact(const ExactId& eid, uint64_t id);
  void AddPostings(const std::vector<std::pair<PostingId, uint64_t>>& entries);
  void AddExacts(const std::vector<std::pair<ExactId, uint64_t>>& entries);
  // The change date (UnitKeys::changed_at_us) of buffered unit `id`: its
  // exact entries' bound, and value once written. REQUIRES: ids ascending,
  // as for the entries. A unit without one has unknown bounds.
  void AddDate(uint64_t id, int64_t changed_at_us);
  void AddDates(const std::vector<std::pair<uint64_t, int64_t>>& dates);
  // Counts `n` more buffered units (the flush threshold is in units).
  void CountUnits(size_t n) { live_->units += n; }

  // Units buffered since the last write started (not those being written).
  size_t units() const { return live_->units; }
  // True when nothing is buffered and no background write is in flight.
  bool empty() const {
    return live_->units == 0 && live_->postings.empty() && live_->exact.empty() && frozen_ == nullptr;
  }

  // The buffered ids of one entry, ascending (empty when none): those being
  // written in the background and those buffered since. Lengths above
  // PostingKey's cap (65535) read as one list, like the stored key. The first
  // read after adds indexes the new part of the log (reads are rare during
  // bulk adds, so the adds do not pay for it). Safe to call from several
  // readers at once, and during a background write.
  match::UnitIds Postings(const PostingId& pid) const;
  match::ExactList Exact(const ExactId& eid) const;
  // Whether some posting of token `key` on `side` (any length) is buffered
  // or being written.
  bool HasToken(uint8_t side, uint64_t key) const;

  // Writes every buffered entry of memory `memory`, then sets its index
  // watermark to `indexed_upto`, and empties the buffer; first waits for a
  // background write (Finish(), whose error it returns). Nothing to do when
  // empty. A buffer of fewer than `min_file_units` units is written in one
  // WriteBatch with the watermark; a bigger one as SST files in
  // IngestDir(data dir), ingested into `postings` and `exact` at once, then
  // the watermark (storage/FORMAT.md). On error the buffer is kept; all,
  // some or none of its entries may be written (writing them again is
  // idempotent), but the watermark is not moved.
  absl::Status Write(internal::RocksHandles& rocks, uint32_t memory, uint64_t indexed_upto,
                     size_t min_file_units = kMinFileUnits);

  // Called on the background thread before it writes; a non-OK status fails
  // the write with it (tests: hold a write in flight, make one fail).
  using BeforeWrite = std::function<absl::Status()>;

  // Like Write(), but on a background thread: first waits for the previous
  // background write (Finish(); its error is returned and nothing starts),
  // then moves the buffered entries aside (readers still see them) and
  // starts writing them. Returns at once. The buffer keeps taking adds.
  // REQUIRES: rocks outlives the write (Finish(), Clear() or destruction).
  absl::Status StartWrite(internal::RocksHandles& rocks, uint32_t memory, uint64_t indexed_upto,
                          size_t min_file_units = kMinFileUnits, BeforeWrite before = nullptr);

  // True when a background write has ended and awaits Finish().
  bool WriteDone() const { return frozen_ != nullptr && done_.load(std::memory_order_acquire); }
  // True while a background write runs (it has not ended yet).
  bool Writing() const { return frozen_ != nullptr && !done_.load(std::memory_order_acquire); }
  // Waits for the background write (if any) and returns its status. On
  // error its entries are buffered again (before the newer ones), to be
  // written by the next write.
  absl::Status Finish();

  // Below this many units, Write() uses a WriteBatch rather than SST files.
  static constexpr size_t kMinFileUnits = 5000;

  // Waits for a background write (ignoring its status), then drops
  // everything buffered.
  void Clear();

  // The directory of the SST files being written, inside the data dir.
  static std::string IngestDir(const std::string& data_dir);
  // Deletes what a crash left in IngestDir(data_dir) (storage/FORMAT.md).
  static absl::Status RemoveLeftovers(const std::string& data_dir);

  // A part of the buffer: its logs and the readers' index of them.
  struct Part {
    // The logs, in add order, or sorted. Only the part's writer changes them:
    // the buffer's owner (holding the memory's lock exclusively, so no reader
    // runs), or the background write of a frozen part (readers run: it
    // changes a log only under that log's mutex). So the writer reads them
    // without a lock, and readers under the log's mutex (Lookup).
    std::vector<PackedEntry> postings;
    std::vector<PackedEntry> exact;
    // (unit id, changed_at_us) of the part's units, ascending ids (AddDate).
    // Changed like the logs, but never sorted: readers read it without a lock.
    std::vector<std::pair<uint64_t, int64_t>> dates;
    size_t units = 0;
    // Readers' side, a lock a log (so that sorting the postings in place
    // does not hold up the duplicate checks, which read `exact`). Once a log
    // is sorted (set under its lock), readers binary-search it; before, they
    // index it lazily into its map.
    mutable absl::Mutex postings_mu;
    mutable absl::Mutex exact_mu;
    bool postings_sorted ABSL_GUARDED_BY(postings_mu) = false;
    bool exact_sorted ABSL_GUARDED_BY(exact_mu) = false;
    mutable absl::flat_hash_map<std::pair<uint64_t, uint64_t>, match::UnitIds> posting_index
        ABSL_GUARDED_BY(postings_mu);
    mutable absl::flat_hash_map<std::pair<uint64_t, uint64_t>, match::UnitIds> exact_index
        ABSL_GUARDED_BY(exact_mu);
    mutable size_t postings_indexed ABSL_GUARDED_BY(postings_mu) = 0;
    // (side, token key) of the unsorted postings log, indexed as far as
    // tokens_indexed by HasToken.
    mutable absl::flat_hash_set<std::pair<uint64_t, uint64_t>> token_index ABSL_GUARDED_BY(postings_mu);
    mutable size_t tokens_indexed ABSL_GUARDED_BY(postings_mu) = 0;
    mutable size_t exact_indexed ABSL_GUARDED_BY(exact_mu) = 0;

    // Sorts both logs (readers then binary-search them): `exact` by a
    // sorted copy, so that its readers go on meanwhile; `postings`, the big
    // one, in place under postings_mu (its readers wait; no second copy of
    // it in memory). Called by the part's writer only.
    void Sort() ABSL_LOCKS_EXCLUDED(postings_mu, exact_mu);
    // Readers index the logs again from the start (after a failed write:
    // new adds go after the sorted entries). Called by the owner only.
    void Unsort() ABSL_LOCKS_EXCLUDED(postings_mu, exact_mu);

    bool empty() const { return units == 0 && postings.empty() && exact.empty(); }
    // The bound of unit `id`'s change date (ExactBound of its date), or
    // match::ExactList::kUnknownChange.
    int64_t DateBound(uint64_t id) const;
    // Appends the ids of the entry `probe` (an entry with unit id 0).
    void Postings(PackedEntry probe, match::UnitIds& out) const ABSL_LOCKS_EXCLUDED(postings_mu);
    void Exact(PackedEntry probe, match::UnitIds& out) const ABSL_LOCKS_EXCLUDED(exact_mu);
    bool HasToken(uint8_t side, uint64_t key) const ABSL_LOCKS_EXCLUDED(postings_mu);
  };

 private:
  std::unique_ptr<Part> live_ = std::make_unique<Part>();
  // Being written on thread_ (readers read it; only that thread changes it,
  // under its mu). Set and reset by the owner of the buffer.
  std::unique_ptr<Part> frozen_;
  std::thread thread_;
  std::atomic<bool> done_{false};
  absl::Status status_;  // of the background write; written before done_
};

}  // namespace qantara::storage

#endif  // QANTARA_STORAGE_INTERNAL_INDEX_BUFFER_H_
