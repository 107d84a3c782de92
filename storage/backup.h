// Backups of a Store: online, incremental copies of its RocksDB database made
// with RocksDB's BackupEngine, listed, and restored into a new data dir.
//
// A backup is one RocksDB backup: the live SST files, MANIFEST and the WAL
// as of one moment (after a flush), which is what a crash at that moment
// would leave. Writers are not stopped. The store is built to come back
// whole from such a state (storage/FORMAT.md, index watermark: the index
// entries a bulk add still buffers in memory are rebuilt at open from
// `unit_keys`), so a restored backup holds every unit acknowledged before
// the backup began, each with its index entries, and never half a batch.
//
// A backup directory holds any number of backups (ids ascending from 1);
// SST files are shared between them, so a second backup copies only the
// files made since the first. It is a path on the machine that runs the
// store; one backup runs into a directory at a time (a lock file there).
// RocksDB types stop in backup.cc.
#ifndef QANTARA_STORAGE_BACKUP_H_
#define QANTARA_STORAGE_BACKUP_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/store.h"

namespace qantara::storage {

struct BackupInfo {
  uint32_t id = 0;            // 1, 2, ... within its directory
  int64_t created_at_us = 0;  // when it was taken (whole seconds)
  uint64_t size_bytes = 0;    // bytes of its files (files shared with other backups count in each)
  uint32_t files = 0;         // files it holds
  int format_version = 0;     // storage/FORMAT.md version of the data (0: unknown)
};

struct CreatedBackup {
  BackupInfo info;
  uint64_t added_bytes = 0;  // bytes the directory grew by (what this backup copied)
  int64_t elapsed_us = 0;    // wall time of the backup
};

// Backs up `store` into `backup_dir` (created if missing). The store stays
// open and writable meanwhile. Errors:
//   InvalidArgument     backup_dir is empty, not absolute, or inside the data dir;
//   FailedPrecondition  backup_dir is not a directory, cannot be created or
//                       written, holds files that are not qantara backups,
//                       or another backup into it is running;
//   ResourceExhausted   the disk of backup_dir is full (the partial backup is removed);
//   Internal            any other I/O error, with RocksDB's message.
absl::StatusOr<CreatedBackup> CreateBackup(Store& store, const std::string& backup_dir);

// The backups in `backup_dir`, oldest first. NotFound when it does not
// exist or holds no backup; InvalidArgument when it is not absolute.
absl::StatusOr<std::vector<BackupInfo>> ListBackups(const std::string& backup_dir);

// Restores backup `backup_id` (0: the newest) of `backup_dir` into
// `data_dir`, which must be missing or empty (it is created). Returns the
// backup restored. The restored dir is then opened with Store::Open (which
// upgrades an older format as usual). Errors: InvalidArgument (a relative
// path), NotFound (no such backup; the message lists the ids there),
// FailedPrecondition (data_dir is not empty, or not a directory),
// ResourceExhausted (disk full; what was restored is removed), DataLoss (a
// file of the backup fails its checksum).
absl::StatusOr<BackupInfo> RestoreBackup(const std::string& backup_dir, uint32_t backup_id,
                                         const std::string& data_dir);

// Where Store::Open keeps the backup it takes before upgrading a data dir
// of format `from_version` (storage/FORMAT.md): `<data_dir>/backups/pre-upgrade-v<from_version>`.
std::string PreUpgradeBackupDir(const std::string& data_dir, int from_version);

}  // namespace qantara::storage

#endif  // QANTARA_STORAGE_BACKUP_H_
