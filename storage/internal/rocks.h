// PRIVATE to storage/'s .cc files: the RocksDB handles behind a Store.
// Never include this from a public header (RocksDB types stop at storage/).
#ifndef QANTARA_STORAGE_INTERNAL_ROCKS_H_
#define QANTARA_STORAGE_INTERNAL_ROCKS_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "rocksdb/db.h"
#include "storage/column_families.h"
#include "storage/memory_store.h"

namespace qantara::storage {
class Store;
}  // namespace qantara::storage

namespace qantara::storage::internal {

// Group commit of the write-ahead log for --sync-writes: writers write
// without syncing (under their memory's lock), then, with the lock
// released, wait here until the WAL is synced up to their write. One
// writer at a time syncs (SyncWal) for everyone written so far; the others
// wait for it, so N concurrent writers cost about one fsync, not N.
class WalSyncer {
 public:
  // Returns once every write that was in `db` when the call was made is
  // synced to disk (or the error of the sync that should have done it).
  absl::Status SyncUpTo(rocksdb::DB* db) ABSL_LOCKS_EXCLUDED(mu_);

 private:
  absl::Mutex mu_;
  uint64_t synced_ ABSL_GUARDED_BY(mu_) = 0;  // every write up to this sequence number is synced
  bool syncing_ ABSL_GUARDED_BY(mu_) = false;
};

// Syncs the write-ahead log up to every write made so far, like
// DB::SyncWAL(), but through the write path: a synced write of an empty
// batch. (RocksDB 7.8's SyncWAL syncs the WAL's file without checking the
// DB's error state: after a failed WAL write, on a full disk, it fails an
// assertion, which aborts in Debian's build. The write path refuses while
// the DB is stopped, and no write can fail the WAL between that check and
// the sync, which run inside one write group.)
absl::Status SyncWal(rocksdb::DB* db);

struct RocksHandles {
  rocksdb::DB* db = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> cfs;  // indexed by Cf
  // Every write uses these (never sync: see `sync_writes`).
  rocksdb::WriteOptions write;
  // --sync-writes: a write call is acknowledged only once the WAL holding it
  // is synced (Durable()).
  bool sync_writes = false;
  WalSyncer* syncer = nullptr;
  // Set once RocksDB was resumed from a background error (WriteHealth):
  // RocksDB 7.8 then keeps a stale "stopped" flag, and IngestExternalFiles
  // reads an OK error through it and fails an assertion (aborts in Debian's
  // build). From then on index buffers are written as write batches, never
  // ingested, until the store is reopened. Null: never.
  const std::atomic<bool>* no_ingest = nullptr;
  bool CanIngest() const { return no_ingest == nullptr || !no_ingest->load(std::memory_order_acquire); }
  rocksdb::ColumnFamilyHandle* cf(Cf c) const { return cfs[static_cast<int>(c)]; }
  // Held shared by an index buffer's ingestion together with the watermark
  // Put after it, exclusively by a backup: a backup (which lists the live
  // files and copies the WAL at two moments) then never holds a watermark
  // without the ingested entries below it.
  std::shared_ptr<absl::Mutex> ingest_gate = std::make_shared<absl::Mutex>();
  // Set by the open MemoryStore (empty when none is open): calls `fn` with
  // the id of `memory` while holding its write lock, or returns NotFound
  // when it does not exist or was deleted. Writes keyed by a memory's id
  // made outside the MemoryStore (its lexicon) go through it, so none can
  // land after the memory is deleted.
  std::function<absl::Status(const MemoryRef& memory, const std::function<absl::Status(uint32_t id)>& fn)>
      with_live_memory;
  // With sync_writes, waits until the WAL is synced up to the writes made so
  // far (group commit); otherwise OK at once (the writes survive a crash of
  // the process, not of the machine).
  absl::Status Durable() const {
    return sync_writes && syncer != nullptr ? syncer->SyncUpTo(db) : absl::OkStatus();
  }
};

// RocksDB's Slice of a string_view, and back.
inline rocksdb::Slice AsSlice(std::string_view s) { return rocksdb::Slice(s.data(), s.size()); }
inline std::string_view AsView(const rocksdb::Slice& s) { return std::string_view(s.data(), s.size()); }

// The handles behind `store` (made by Store::Open). REQUIRES: the store is
// open. For storage/'s implementation files and its tests only.
RocksHandles& Rocks(Store& store);

}  // namespace qantara::storage::internal

#endif  // QANTARA_STORAGE_INTERNAL_ROCKS_H_
