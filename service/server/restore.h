// qantara-server's restore flags: `--restore-from DIR [--backup-id N]
// [--restore-only]` restore a backup (storage/backup.h) into the --data-dir
// before the server opens it.
#ifndef QANTARA_SERVICE_SERVER_RESTORE_H_
#define QANTARA_SERVICE_SERVER_RESTORE_H_

#include <cstdint>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"

namespace qantara::server {

struct RestoreFlags {
  std::string from;        // backup dir; empty: no restore
  uint32_t backup_id = 0;  // 0: the newest backup
  bool only = false;       // exit once restored
};

// Declares the flags on `app`, storing into `*flags`.
void AddRestoreFlags(CLI::App& app, RestoreFlags* flags);

// Restores `flags.from` into `data_dir` when asked (logging what it
// restored); returns whether it did. Errors: InvalidArgument (--backup-id or
// --restore-only without --restore-from), and those of
// storage::RestoreBackup (FailedPrecondition: data_dir is not empty).
absl::StatusOr<bool> RestoreIfAsked(const RestoreFlags& flags, const std::string& data_dir);

}  // namespace qantara::server

#endif  // QANTARA_SERVICE_SERVER_RESTORE_H_
