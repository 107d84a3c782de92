// qantara-server --restore-from: a backup into a new data dir before opening it.
#include "service/server/restore.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "service/server/log.h"
#include "storage/backup.h"

namespace qantara::server {

void AddRestoreFlags(CLI::App& app, RestoreFlags* flags) {
  app.add_option("--restore-from", flags->from,
                 "restore the backup dir DIR (made by `qantara backup create`) into --data-dir, which "
                 "must be new or empty, then serve it");
  app.add_option("--backup-id", flags->backup_id,
                 "with --restore-from: the backup to restore (default: the newest)")
      ->check(CLI::PositiveNumber);
  app.add_flag("--restore-only", flags->only, "with --restore-from: exit once restored instead of serving");
}

absl::StatusOr<bool> RestoreIfAsked(const RestoreFlags& flags, const std::string& data_dir) {
  if (flags.from.empty()) {
    if (flags.backup_id != 0 || flags.only) {
      return absl::InvalidArgumentError("--backup-id and --restore-only need --restore-from DIR");
    }
    return false;
  }
  std::error_code ec;
  const std::filesystem::path from = std::filesystem::absolute(flags.from, ec);
  if (ec) return absl::InvalidArgumentError(absl::StrCat("--restore-from ", flags.from, ": ", ec.message()));
  absl::StatusOr<storage::BackupInfo> restored =
      storage::RestoreBackup(from.string(), flags.backup_id, data_dir);
  if (!restored.ok()) {
    return absl::Status(restored.status().code(),
                        absl::StrCat("--restore-from: ", restored.status().message()));
  }
  Log(LogLevel::kInfo,
      absl::StrCat("restored backup ", restored->id, " of ", from.string(), " (taken ",
                   absl::FormatTime(absl::RFC3339_sec, absl::FromUnixMicros(restored->created_at_us),
                                    absl::UTCTimeZone()),
                   ", ", restored->size_bytes, " bytes, format version ", restored->format_version, ") into ",
                   data_dir));
  return true;
}

}  // namespace qantara::server
