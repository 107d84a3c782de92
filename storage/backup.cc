// Backups with RocksDB's BackupEngine: the checks of backup and restore
// paths, the directory lock, and the mapping of RocksDB's errors.
#include "storage/backup.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <set>
#include <system_error>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "rocksdb/env.h"
#include "rocksdb/utilities/backup_engine.h"
#include "service/base/ignore_error.h"
#include "storage/internal/backup.h"
#include "storage/internal/keys.h"
#include "storage/internal/rocks.h"
#include "storage/internal/status.h"

namespace qantara::storage {
namespace {

namespace fs = std::filesystem;

// What BackupEngine keeps in a backup directory, and our lock file: a
// directory holding anything else is not a backup directory.
const std::set<std::string>& BackupEntries() {
  static const auto* entries =
      new std::set<std::string>{"meta", "private", "shared", "shared_checksum", "qantara-backup.lock"};
  return *entries;
}
constexpr char kLockFile[] = "qantara-backup.lock";
constexpr char kMetadataPrefix[] = "qantara format ";

// A filesystem error on `path` as a status: a full disk is ResourceExhausted,
// anything else FailedPrecondition (a path the server cannot use).
absl::Status FsError(const std::error_code& ec, absl::string_view what, const std::string& path) {
  const std::string msg = absl::StrCat(what, " ", path, ": ", ec.message());
  if (ec.value() == ENOSPC || ec.value() == EDQUOT) return absl::ResourceExhaustedError(msg);
  return absl::FailedPreconditionError(msg);
}

// RocksDB's error of a backup operation: a full disk is ResourceExhausted.
absl::Status BackupError(const rocksdb::Status& s, absl::string_view what, const std::string& dir) {
  if (s.IsNoSpace() || s.subcode() == rocksdb::Status::kNoSpace) {
    return absl::ResourceExhaustedError(
        absl::StrCat(what, ": no space left on the disk of ", dir, ": ", s.ToString()));
  }
  return FromRocks(s, absl::StrCat(what, " (", dir, ")"));
}

absl::Status CheckAbsolute(const std::string& path, absl::string_view what) {
  if (path.empty()) return absl::InvalidArgumentError(absl::StrCat(what, " is empty"));
  if (!fs::path(path).is_absolute()) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " must be an absolute path on the server's machine, not '", path, "'"));
  }
  return absl::OkStatus();
}

// Whether `inner` is `outer` or inside it (symbolic links resolved as far as
// the paths exist).
bool Inside(const fs::path& inner, const fs::path& outer) {
  std::error_code ec;
  const fs::path a = fs::weakly_canonical(inner, ec);
  if (ec) return false;
  const fs::path b = fs::weakly_canonical(outer, ec);
  if (ec) return false;
  const fs::path rel = a.lexically_relative(b);
  return !rel.empty() && *rel.begin() != "..";
}

// Creates `dir` if missing and checks that it is a directory holding only
// backups.
absl::Status PrepareBackupDir(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return FsError(ec, "cannot create the backup dir", dir);
  if (!fs::is_directory(dir, ec)) {
    return absl::FailedPreconditionError(absl::StrCat("backup dir ", dir, " is not a directory"));
  }
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (BackupEntries().count(name) == 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("backup dir ", dir, " holds '", name,
                       "', which is not part of a qantara backup: give an empty directory or one "
                       "that holds only qantara backups"));
    }
  }
  if (ec) return FsError(ec, "cannot read the backup dir", dir);
  return absl::OkStatus();
}

// The exclusive lock of a backup directory (flock on its lock file), held
// while the object lives.
class DirLock {
 public:
  static absl::StatusOr<std::unique_ptr<DirLock>> Take(const std::string& dir) {
    const std::string path = (fs::path(dir) / kLockFile).string();
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return FsError(std::error_code(errno, std::generic_category()), "cannot write in", dir);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd);
      return absl::FailedPreconditionError(
          absl::StrCat("another backup into ", dir, " is running; try again once it has ended"));
    }
    return std::unique_ptr<DirLock>(new DirLock(fd));
  }
  ~DirLock() { ::close(fd_); }  // releases the lock
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;

 private:
  explicit DirLock(int fd) : fd_(fd) {}
  int fd_;
};

uint64_t DirBytes(const std::string& dir) {
  std::error_code ec;
  uint64_t total = 0;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    std::error_code size_ec;
    if (it->is_regular_file(size_ec)) {
      const uint64_t size = it->file_size(size_ec);
      if (!size_ec) total += size;
    }
  }
  return total;
}

BackupInfo ToInfo(const rocksdb::BackupInfo& in) {
  BackupInfo out;
  out.id = in.backup_id;
  out.created_at_us = in.timestamp * 1000000;
  out.size_bytes = in.size;
  out.files = in.number_files;
  absl::string_view meta = in.app_metadata;
  int version = 0;
  if (absl::ConsumePrefix(&meta, kMetadataPrefix) && absl::SimpleAtoi(meta, &version)) {
    out.format_version = version;
  }
  return out;
}

rocksdb::BackupEngineOptions EngineOptions(const std::string& dir) {
  rocksdb::BackupEngineOptions options(dir);
  options.share_table_files = true;          // incremental: SST files are copied once
  options.share_files_with_checksum = true;  // ... and told apart by their checksums
  options.sync = true;                       // a backup is on disk when it is reported
  return options;
}

// Opens a read-only engine on an existing backup dir.
absl::StatusOr<std::unique_ptr<rocksdb::BackupEngineReadOnly>> OpenReadOnly(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(fs::path(dir) / "meta", ec)) {
    return absl::NotFoundError(absl::StrCat("no qantara backup in ", dir));
  }
  rocksdb::BackupEngineReadOnly* engine = nullptr;
  rocksdb::IOStatus s =
      rocksdb::BackupEngineReadOnly::Open(EngineOptions(dir), rocksdb::Env::Default(), &engine);
  if (!s.ok()) return BackupError(s, "open the backups", dir);
  return std::unique_ptr<rocksdb::BackupEngineReadOnly>(engine);
}

}  // namespace

namespace internal {

absl::StatusOr<CreatedBackup> BackupDb(rocksdb::DB* db, const std::string& backup_dir, int format_version) {
  const absl::Time start = absl::Now();
  if (absl::Status s = PrepareBackupDir(backup_dir); !s.ok()) return s;
  auto lock = DirLock::Take(backup_dir);
  if (!lock.ok()) return lock.status();
  const uint64_t bytes_before = DirBytes(backup_dir);
  rocksdb::BackupEngine* raw = nullptr;
  rocksdb::IOStatus s = rocksdb::BackupEngine::Open(EngineOptions(backup_dir), rocksdb::Env::Default(), &raw);
  if (!s.ok()) return BackupError(s, "open the backup dir", backup_dir);
  std::unique_ptr<rocksdb::BackupEngine> engine(raw);
  rocksdb::CreateBackupOptions create;
  // Flush the memtables first: the backup then holds SST files (shared
  // with later backups) rather than long WAL files. Writes go on during the
  // flush and the copy; the WAL written since is backed up too, so the
  // backup is the state of one moment (storage/backup.h).
  create.flush_before_backup = true;
  create.decrease_background_thread_cpu_priority = true;  // the server's work comes first
  create.background_thread_cpu_priority = rocksdb::CpuPriority::kLow;
  rocksdb::BackupID id = 0;
  s = engine->CreateNewBackupWithMetadata(create, db, absl::StrCat(kMetadataPrefix, format_version), &id);
  if (!s.ok()) {
    // Remove what the failed backup copied (a full disk stays full otherwise).
    IgnoreError(BackupError(engine->GarbageCollect(), "clean up", backup_dir), "the backup's error wins");
    return BackupError(s, "back up", backup_dir);
  }
  rocksdb::BackupInfo info;
  rocksdb::Status got = engine->GetBackupInfo(id, &info);
  if (!got.ok()) return BackupError(got, "read the new backup", backup_dir);
  CreatedBackup out;
  out.info = ToInfo(info);
  const uint64_t bytes_after = DirBytes(backup_dir);
  out.added_bytes = bytes_after > bytes_before ? bytes_after - bytes_before : 0;
  out.elapsed_us = absl::ToInt64Microseconds(absl::Now() - start);
  return out;
}

}  // namespace internal

absl::StatusOr<CreatedBackup> CreateBackup(Store& store, const std::string& backup_dir) {
  if (absl::Status s = CheckAbsolute(backup_dir, "the backup dir"); !s.ok()) return s;
  if (Inside(backup_dir, store.dir())) {
    return absl::InvalidArgumentError(
        absl::StrCat("the backup dir ", backup_dir, " is inside the data dir ", store.dir(),
                     ": a backup must survive the loss of the data dir; choose a directory outside it"));
  }
  internal::RocksHandles& rocks = internal::Rocks(store);
  if (rocks.db == nullptr) return absl::FailedPreconditionError("the store is closed");
  absl::WriterMutexLock gate(rocks.ingest_gate.get());  // no index ingestion during the backup
  return internal::BackupDb(rocks.db, backup_dir, kFormatVersion);
}

absl::StatusOr<std::vector<BackupInfo>> ListBackups(const std::string& backup_dir) {
  if (absl::Status s = CheckAbsolute(backup_dir, "the backup dir"); !s.ok()) return s;
  auto engine = OpenReadOnly(backup_dir);
  if (!engine.ok()) return engine.status();
  std::vector<rocksdb::BackupInfo> infos;
  (*engine)->GetBackupInfo(&infos);
  if (infos.empty()) return absl::NotFoundError(absl::StrCat("no qantara backup in ", backup_dir));
  std::vector<BackupInfo> out;
  for (const auto& info : infos) out.push_back(ToInfo(info));
  std::sort(out.begin(), out.end(), [](const BackupInfo& a, const BackupInfo& b) { return a.id < b.id; });
  return out;
}

absl::StatusOr<BackupInfo> RestoreBackup(const std::string& backup_dir, uint32_t backup_id,
                                         const std::string& data_dir) {
  if (absl::Status s = CheckAbsolute(backup_dir, "the backup dir"); !s.ok()) return s;
  if (data_dir.empty()) return absl::InvalidArgumentError("the data dir to restore into is empty");
  auto backups = ListBackups(backup_dir);
  if (!backups.ok()) return backups.status();
  const BackupInfo* chosen = &backups->back();
  if (backup_id != 0) {
    chosen = nullptr;
    std::vector<uint32_t> ids;
    for (const BackupInfo& b : *backups) {
      ids.push_back(b.id);
      if (b.id == backup_id) chosen = &b;
    }
    if (chosen == nullptr) {
      return absl::NotFoundError(absl::StrCat("no backup ", backup_id, " in ", backup_dir,
                                              " (its backups: ", absl::StrJoin(ids, ", "), ")"));
    }
  }
  std::error_code ec;
  if (fs::exists(data_dir, ec)) {
    if (!fs::is_directory(data_dir, ec)) {
      return absl::FailedPreconditionError(
          absl::StrCat("cannot restore into ", data_dir, ": not a directory"));
    }
    if (!fs::is_empty(data_dir, ec)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "cannot restore into ", data_dir,
          ": it is not empty (restore only into a new or empty directory; nothing was changed)"));
    }
  }
  fs::create_directories(data_dir, ec);
  if (ec) return FsError(ec, "cannot create the data dir", data_dir);
  auto engine = OpenReadOnly(backup_dir);
  if (!engine.ok()) return engine.status();
  rocksdb::IOStatus s =
      (*engine)->RestoreDBFromBackup(rocksdb::RestoreOptions(), chosen->id, data_dir, data_dir);
  if (!s.ok()) {
    // Leave the directory empty, as it was: a retry must find it so.
    for (const auto& entry : fs::directory_iterator(data_dir, ec)) fs::remove_all(entry.path(), ec);
    return BackupError(s, absl::StrCat("restore backup ", chosen->id, " into ", data_dir), backup_dir);
  }
  return *chosen;
}

std::string PreUpgradeBackupDir(const std::string& data_dir, int from_version) {
  return (fs::path(data_dir) / "backups" / absl::StrCat("pre-upgrade-v", from_version)).string();
}

}  // namespace qantara::storage
