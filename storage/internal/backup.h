// PRIVATE to storage/: backing up an open RocksDB database, for
// CreateBackup (storage/backup.h) and the backup Store::Open takes before a
// format upgrade (on a database opened with its old column families).
#ifndef QANTARA_STORAGE_INTERNAL_BACKUP_H_
#define QANTARA_STORAGE_INTERNAL_BACKUP_H_

#include <string>

#include "absl/status/statusor.h"
#include "rocksdb/db.h"
#include "storage/backup.h"

namespace qantara::storage::internal {

// Backs up `db` (holding data of `format_version`) into `backup_dir`,
// creating it; takes the directory's lock. Checks nothing else of the path
// (CreateBackup does).
absl::StatusOr<CreatedBackup> BackupDb(rocksdb::DB* db, const std::string& backup_dir, int format_version);

}  // namespace qantara::storage::internal

#endif  // QANTARA_STORAGE_INTERNAL_BACKUP_H_
