// Store: qantara's RocksDB database, opened on a data directory.
//
// RocksDB types stop at this layer: callers see absl::Status and plain C++.
#ifndef QANTARA_STORAGE_STORE_H_
#define QANTARA_STORAGE_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/column_families.h"

namespace qantara::storage {

// The on-disk format version this build writes and reads (storage/FORMAT.md).
inline constexpr int kFormatVersion = 6;

struct StoreOptions {
  // Create the directory (and its parents) and a new database if missing.
  bool create_if_missing = true;
  // Acknowledge a write only once it is synced to disk (the write-ahead log
  // fsync'ed; concurrent writes share one fsync). Without it an acknowledged
  // write survives a crash of the process (it is in the OS page cache), but
  // a power loss or kernel crash may lose the last writes before it.
  bool sync_writes = false;
  // Back up a data dir of an older format before upgrading it, into
  // PreUpgradeBackupDir (storage/backup.h, storage/FORMAT.md); when the
  // backup fails, the dir is neither upgraded nor opened.
  bool backup_before_upgrade = true;
  // The bytes of RocksDB's block cache (one for every column family): the
  // blocks of units, unit keys and the index that reads found or the
  // warm-up read. At least 1 MiB (smaller values are raised to it).
  uint64_t block_cache_bytes = uint64_t{256} << 20;
};

class Store {
 public:
  // Opens (or creates) the database in `dir`.
  // Errors:
  //   FailedPrecondition  another process holds the directory's lock (a
  //                       second server on the same data dir), or the data
  //                       was written in a format version this build does not read;
  //   NotFound            `dir` has no database and create_if_missing is false;
  //   Internal/Unavailable any other I/O or corruption error, with RocksDB's message.
  static absl::StatusOr<std::unique_ptr<Store>> Open(const std::string& dir,
                                                     const StoreOptions& options = {});

  // Flushes and closes the database; further calls fail. Idempotent.
  virtual absl::Status Close() = 0;

  // Point read/write in one column family (low-level; layers above build
  // typed accessors on these).
  virtual absl::StatusOr<std::optional<std::string>> Get(Cf cf, std::string_view key) = 0;
  virtual absl::Status Put(Cf cf, std::string_view key, std::string_view value) = 0;

  // Whether writes can be made now: OK, or why they fail. While the disk of
  // the data dir is full, RESOURCE_EXHAUSTED naming the disk: every write
  // fails with that code, reads are served, and the store tries to resume
  // writing every second, so writes work again within seconds of space being
  // freed, without a restart (a write that failed stored nothing of
  // itself). Other errors that stop writes (an I/O error) last until
  // RocksDB recovers from them or the store is reopened.
  virtual absl::Status WritesAvailable() = 0;
  // Calls `watcher` with WritesAvailable() now and then each time it
  // changes, on a thread of the store's (nullptr: no watcher). Once this
  // returns the previous watcher is neither running nor called again; none
  // is called once Close() has begun.
  virtual void WatchWrites(std::function<void(const absl::Status&)> watcher) = 0;

  // Approximate bytes on disk (SST and WAL files) of the whole store.
  virtual uint64_t DiskBytes() = 0;

  // RocksDB's own memory (for Stats): the block cache all column families
  // share, their memtables, and the table readers' index and filter blocks
  // (held outside the block cache, growing with the number of files).
  struct MemoryUse {
    uint64_t block_cache_bytes = 0;
    uint64_t memtable_bytes = 0;
    uint64_t table_reader_bytes = 0;
  };
  virtual MemoryUse RocksMemory() = 0;

  // RocksDB's background work and write stalls (for metrics; plain figures,
  // read from RocksDB's properties and event notifications). The counts are
  // since the open; once closed, only they are given (the rest reads 0).
  struct EngineStats {
    uint64_t running_compactions = 0;       // RocksDB compactions running now
    uint64_t running_flushes = 0;           // memtable flushes running now
    uint64_t compaction_pending_cfs = 0;    // column families RocksDB wants to compact
    uint64_t pending_compaction_bytes = 0;  // RocksDB's estimate of the bytes left to compact
    uint64_t immutable_memtables = 0;       // memtables waiting to be flushed
    bool write_stopped = false;             // writes are stopped now (a stall)
    uint64_t delayed_write_rate = 0;        // bytes/s writes are slowed to now; 0: not slowed
    uint64_t background_errors = 0;         // background errors since the open
    uint64_t compactions = 0;               // compactions done (RocksDB's and qantara's)
    uint64_t compaction_read_bytes = 0;     // bytes those compactions read
    uint64_t compaction_written_bytes = 0;  // bytes they wrote
    uint64_t flushes = 0;                   // memtable flushes done
    uint64_t stalls_delayed = 0;            // times a column family's writes began to be slowed
    uint64_t stalls_stopped = 0;            // times a column family's writes were stopped
  };
  virtual EngineStats Engine() = 0;

  // The directory this store was opened on.
  virtual const std::string& dir() const = 0;

  virtual ~Store() = default;
};

}  // namespace qantara::storage

#endif  // QANTARA_STORAGE_STORE_H_
