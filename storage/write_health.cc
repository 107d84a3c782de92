// WriteHealth (storage/internal/write_health.h): writes stopped by RocksDB's
// background errors, and resumed once the disk has room again.
#include "storage/internal/write_health.h"

#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "storage/column_families.h"
#include "storage/internal/keys.h"
#include "storage/internal/rocks.h"
#include "storage/internal/status.h"

namespace qantara::storage::internal {
namespace {

// Resume() is not tried while the file system has less room than this: it
// would only fail again (a flush needs room for its files).
constexpr uint64_t kMinFreeBytes = 1 << 20;

class Listener final : public rocksdb::EventListener {
 public:
  explicit Listener(std::shared_ptr<WriteHealth> health) : health_(std::move(health)) {}

  const char* Name() const override { return "qantara.WriteHealth"; }

  void OnBackgroundError(rocksdb::BackgroundErrorReason reason, rocksdb::Status* bg_error) override {
    if (bg_error == nullptr || bg_error->ok()) return;
    // A soft error (a compaction short of room) lets writes on; RocksDB
    // delays compactions until there is room for them.
    health_->OnError(*bg_error, bg_error->severity() >= rocksdb::Status::Severity::kHardError,
                     reason == rocksdb::BackgroundErrorReason::kWriteCallback ||
                         reason == rocksdb::BackgroundErrorReason::kMemTable);
  }

  void OnErrorRecoveryBegin(rocksdb::BackgroundErrorReason /*reason*/, rocksdb::Status bg_error,
                            bool* auto_recovery) override {
    // A full disk: our thread resumes the DB (RocksDB's recovery would wait
    // for 64 MB free, the largest memtable).
    if (bg_error.IsNoSpace() && bg_error.severity() >= rocksdb::Status::Severity::kHardError) {
      *auto_recovery = false;
    }
  }

  void OnErrorRecoveryEnd(const rocksdb::BackgroundErrorRecoveryInfo& info) override {
    if (info.new_bg_error.ok()) health_->OnRecovered();
  }

 private:
  const std::shared_ptr<WriteHealth> health_;
};

}  // namespace

WriteHealth::WriteHealth(std::string dir, absl::Duration retry_every)
    : dir_(std::move(dir)), retry_every_(retry_every) {}

WriteHealth::~WriteHealth() { Stop(); }

std::shared_ptr<rocksdb::EventListener> WriteHealth::Listener(std::shared_ptr<WriteHealth> health) {
  return std::make_shared<internal::Listener>(std::move(health));
}

void WriteHealth::Start(rocksdb::DB* db, std::vector<rocksdb::ColumnFamilyHandle*> cfs) {
  if (thread_.joinable()) return;
  db_ = db;
  cfs_ = std::move(cfs);
  KeepMemtableFilled(/*if_empty=*/false);
  thread_ = std::thread([this] { Run(); });
}

void WriteHealth::Stop() {
  {
    absl::MutexLock l(&mu_);
    stop_ = true;
  }
  if (thread_.joinable()) thread_.join();
  absl::MutexLock w(&watcher_mu_);
  stopped_ = true;
  watcher_ = nullptr;
}

absl::Status WriteHealth::Status() {
  absl::MutexLock l(&mu_);
  return error_;
}

void WriteHealth::Watch(std::function<void(const absl::Status&)> watcher) {
  const absl::Status now = Status();
  absl::MutexLock w(&watcher_mu_);
  if (stopped_) return;
  watcher_ = std::move(watcher);
  published_ = now;
  if (watcher_) watcher_(now);
}

void WriteHealth::OnError(const rocksdb::Status& error, bool hard, bool wal) {
  absl::MutexLock l(&mu_);
  ++generation_;
  if (!hard) return;
  if (wal) wal_failed_ = true;
  if (error.IsNoSpace()) {
    error_ = absl::ResourceExhaustedError(
        absl::StrCat("the disk of the data dir ", dir_,
                     " is full: writes fail until space is freed, then resume by themselves within "
                     "seconds (reads are served meanwhile): ",
                     error.ToString()));
    if (!retry_) next_try_ = absl::Now() + retry_every_;
    retry_ = true;
  } else {
    const absl::Status s = FromRocks(error, absl::StrCat("writes to the data dir ", dir_, " stopped"));
    error_ = absl::Status(s.code(), absl::StrCat(s.message(), " (reads are served)"));
    retry_ = false;
  }
  changed_ = true;
}

void WriteHealth::OnRecovered() {
  resumed_.store(true, std::memory_order_release);  // also after RocksDB's own recovery
  absl::MutexLock l(&mu_);
  wal_failed_ = false;
  if (error_.ok()) return;
  error_ = absl::OkStatus();
  retry_ = false;
  changed_ = true;
}

bool WriteHealth::SpaceMayBeBack() const {
  std::error_code ec;
  const std::filesystem::space_info space = std::filesystem::space(dir_, ec);
  return ec || space.available >= kMinFreeBytes;
}

void WriteHealth::KeepMemtableFilled(bool if_empty) {
  rocksdb::ColumnFamilyHandle* meta = cfs_[static_cast<int>(Cf::kMeta)];
  uint64_t entries = 0;
  if (if_empty && db_->GetIntProperty(meta, "rocksdb.num-entries-active-mem-table", &entries) &&
      entries > 0) {
    return;
  }
  rocksdb::WriteOptions no_wal;
  no_wal.disableWAL = true;
  // Fails while writes are stopped: planted again after the Resume.
  db_->Delete(no_wal, meta, AsSlice(kMetaWalSwitchKey)).PermitUncheckedError();
}

bool WriteHealth::AnyMemtableFilled() {
  for (rocksdb::ColumnFamilyHandle* cf : cfs_) {
    uint64_t entries = 0;
    if (!db_->GetIntProperty(cf, "rocksdb.num-entries-active-mem-table", &entries) || entries > 0) {
      return true;
    }
  }
  return false;
}

void WriteHealth::Publish(const absl::Status& now) {
  absl::MutexLock w(&watcher_mu_);
  if (stopped_ || now == published_) return;
  published_ = now;
  if (watcher_) watcher_(now);
}

void WriteHealth::Run() {
  absl::Time next_check = absl::Now() + retry_every_;
  mu_.Lock();
  while (!stop_) {
    const absl::Time wake = retry_ ? std::min(next_try_, next_check) : next_check;
    if (wake > absl::Now()) mu_.AwaitWithDeadline(absl::Condition(this, &WriteHealth::Woken), wake);
    if (stop_) break;
    if (changed_) {
      changed_ = false;
      const absl::Status now = error_;
      mu_.Unlock();
      Publish(now);
      mu_.Lock();
      continue;
    }
    if (!retry_) {
      if (absl::Now() < next_check) continue;
      // Writes work: meta's memtable still holds an entry (a flush empties it).
      next_check = absl::Now() + retry_every_;
      mu_.Unlock();
      KeepMemtableFilled(/*if_empty=*/true);
      mu_.Lock();
      continue;
    }
    if (absl::Now() < next_try_) continue;
    next_try_ = absl::Now() + retry_every_;
    const uint64_t generation = generation_;
    const bool wal_failed = wal_failed_;
    mu_.Unlock();
    // Resume flushes every memtable (into files: it needs room), opens a new
    // WAL when a memtable held anything, and lets writes in again; Busy while
    // RocksDB recovers by itself. Not after a failed WAL write with every
    // memtable empty: the failed WAL would stay in use.
    bool resumed = false, stuck = false;
    if (wal_failed && !AnyMemtableFilled()) {
      stuck = true;
    } else if (SpaceMayBeBack()) {
      // After a failed MANIFEST write RocksDB 7.8's Resume expects file
      // deletions to be disabled (it asserts so in a build with assertions,
      // as Debian's is) but disables them only for retryable errors, not for
      // NoSpace. So they are disabled here; a successful Resume enables them
      // again (forced), a failed one is undone here.
      db_->DisableFileDeletions().PermitUncheckedError();
      resumed = db_->Resume().ok();
      if (!resumed) db_->EnableFileDeletions(/*force=*/false).PermitUncheckedError();
      if (resumed) {
        resumed_.store(true, std::memory_order_release);
        KeepMemtableFilled(/*if_empty=*/false);
      }
    }
    mu_.Lock();
    if (stuck && !stuck_) {
      stuck_ = true;
      error_ = absl::Status(
          error_.code(), absl::StrCat(error_.message(), "; writes stay stopped until the server restarts"));
      changed_ = true;
    }
    if (resumed) wal_failed_ = wal_failed_ && generation != generation_;
    // An error after the one resumed (seen while Resume ran) stays.
    if (resumed && generation == generation_ && !error_.ok()) {
      error_ = absl::OkStatus();
      retry_ = false;
      changed_ = true;
    }
  }
  mu_.Unlock();
}

}  // namespace qantara::storage::internal
