// WalSyncer (storage/internal/rocks.h): group commit of the write-ahead log
// for --sync-writes.
#include <algorithm>
#include <utility>

#include "rocksdb/write_batch.h"
#include "storage/internal/rocks.h"
#include "storage/internal/status.h"

namespace qantara::storage::internal {

absl::Status SyncWal(rocksdb::DB* db) {
  rocksdb::WriteOptions synced;
  synced.sync = true;
  rocksdb::WriteBatch empty;
  rocksdb::Status s = db->Write(synced, &empty);
  if (!s.ok()) return FromRocks(s, "sync the write-ahead log");
  return absl::OkStatus();
}

absl::Status WalSyncer::SyncUpTo(rocksdb::DB* db) {
  // Every write that returned before this call has a sequence number up to
  // `wanted` (RocksDB publishes a sequence number after its WAL append).
  const uint64_t wanted = db->GetLatestSequenceNumber();
  // Locked by hand: the lock is let go around the sync.
  mu_.Lock();
  absl::Status result = absl::OkStatus();
  while (synced_ < wanted) {
    if (syncing_) {
      // Another writer's sync is running: it may cover this write.
      mu_.Await(absl::Condition(
          +[](bool* syncing) { return !*syncing; }, &syncing_));
      continue;
    }
    syncing_ = true;
    const uint64_t upto = db->GetLatestSequenceNumber();
    mu_.Unlock();
    absl::Status s = SyncWal(db);
    mu_.Lock();
    syncing_ = false;
    if (!s.ok()) {
      result = std::move(s);
      break;
    }
    synced_ = std::max(synced_, upto);
  }
  mu_.Unlock();
  return result;
}

}  // namespace qantara::storage::internal
