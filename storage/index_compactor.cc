// IndexCompactor: a background thread that, once a memory has gone quiet, folds
// the sorted runs bulk loads left in its index ranges into one.
#include "storage/internal/index_compactor.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "rocksdb/db.h"
#include "rocksdb/metadata.h"
#include "rocksdb/options.h"
#include "storage/internal/encoding.h"
#include "storage/internal/rocks.h"
#include "storage/internal/status.h"

namespace qantara::storage {
namespace {

// Calls fn(level, file) for each file of `md` holding keys of memory `memory`.
template <typename Fn>
void ForEachMemoryFile(const rocksdb::ColumnFamilyMetaData& md, uint32_t memory, Fn&& fn) {
  const std::string lo = MemoryPrefix(memory), hi = MemoryPrefix(memory + 1);
  for (const rocksdb::LevelMetaData& level : md.levels) {
    for (const rocksdb::SstFileMetaData& f : level.files) {
      if (f.largestkey >= lo && f.smallestkey < hi) fn(level.level, f);
    }
  }
}

}  // namespace

IndexCompactor::IndexCompactor(internal::RocksHandles& rocks, std::function<bool(uint32_t)> busy,
                               IndexCompactorOptions options, std::function<absl::Status(uint32_t)> purged)
    : rocks_(rocks), busy_(std::move(busy)), options_(options), purged_(std::move(purged)) {}

void IndexCompactor::Purge(uint32_t memory) {
  absl::MutexLock l(&mu_);
  if (stop_) return;
  purges_.push_back(memory);
  if (!thread_.joinable()) thread_ = std::thread([this] { Run(); });
  cv_.SignalAll();
}

void IndexCompactor::NoteWrite(uint32_t memory) {
  if (options_.min_runs == 0) return;  // never compacts
  absl::MutexLock l(&mu_);
  if (stop_) return;
  due_[memory] = Clock::now() + options_.quiet;
  if (!thread_.joinable()) thread_ = std::thread([this] { Run(); });
  cv_.SignalAll();
}

void IndexCompactor::Forget(uint32_t memory) {
  absl::MutexLock l(&mu_);
  due_.erase(memory);
}

void IndexCompactor::Stop() {
  {
    absl::MutexLock l(&mu_);
    stop_ = true;
    due_.clear();
    purges_.clear();
    cv_.SignalAll();
  }
  if (thread_.joinable()) thread_.join();
}

void IndexCompactor::WaitIdle() {
  absl::MutexLock l(&mu_);
  while (!stop_ && !(due_.empty() && purges_.empty() && !running_)) cv_.Wait(&mu_);
}

size_t IndexCompactor::compactions() const {
  absl::MutexLock l(&mu_);
  return compactions_;
}

std::pair<size_t, bool> IndexCompactor::Pending() const {
  absl::MutexLock l(&mu_);
  return {due_.size() + purges_.size(), running_};
}

void IndexCompactor::Run() {
  // Locked by hand: the lock is let go around each check.
  mu_.Lock();
  while (!stop_) {
    if (!purges_.empty()) {
      const uint32_t memory = purges_.back();
      purges_.pop_back();
      running_ = true;
      mu_.Unlock();
      // Errors (I/O) leave the tombstone: the next open purges again.
      absl::Status s = PurgeRange(memory);
      if (s.ok() && purged_) s = purged_(memory);
      s.IgnoreError();
      mu_.Lock();
      running_ = false;
      cv_.SignalAll();
      continue;
    }
    if (due_.empty()) {
      cv_.Wait(&mu_);
      continue;
    }
    auto next = due_.begin();
    for (auto it = due_.begin(); it != due_.end(); ++it) {
      if (it->second < next->second) next = it;
    }
    if (Clock::now() < next->second) {
      // A copy: the entry may be erased while this waits (Forget, Stop).
      const Clock::time_point deadline = next->second;
      cv_.WaitWithTimeout(&mu_, absl::FromChrono(deadline - Clock::now()));
      continue;
    }
    const uint32_t memory = next->first;
    due_.erase(next);
    running_ = true;
    mu_.Unlock();
    const bool again = !CheckAndCompact(memory);
    mu_.Lock();
    running_ = false;
    // A note that came meanwhile already set a later check.
    if (again && !stop_ && !due_.contains(memory)) due_[memory] = Clock::now() + options_.quiet;
    cv_.SignalAll();  // WaitIdle()
  }
  mu_.Unlock();
}

absl::Status IndexCompactor::PurgeRange(uint32_t memory) {
  if (rocks_.db == nullptr) return absl::FailedPreconditionError("store is closed");
  const std::string lo = MemoryPrefix(memory), hi = MemoryPrefix(memory + 1);
  const rocksdb::Slice begin(lo), end(hi);
  rocksdb::CompactRangeOptions co;
  co.exclusive_manual_compaction = false;  // RocksDB's own compactions go on
  co.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForceOptimized;
  for (Cf cf : {Cf::kUnits, Cf::kUnitKeys, Cf::kPostings, Cf::kExact, Cf::kLexicons}) {
    {
      absl::MutexLock l(&mu_);
      if (stop_) return absl::CancelledError("stopping");
    }
    rocksdb::Status s = rocks_.db->CompactRange(co, rocks_.cf(cf), &begin, &end);
    if (!s.ok()) return FromRocks(s, absl::StrCat("compact away deleted memory ", memory));
  }
  return absl::OkStatus();
}

bool IndexCompactor::CheckAndCompact(uint32_t memory) {
  if (busy_ && busy_(memory)) return false;
  bool compacted = false;
  for (Cf cf : {Cf::kPostings, Cf::kExact}) {
    {
      absl::MutexLock l(&mu_);
      if (stop_) return true;  // stopping: the next open checks again
    }
    absl::StatusOr<size_t> runs = SortedRuns(rocks_, cf, memory);
    if (!runs.ok() || *runs < options_.min_runs) continue;
    absl::Status s = Compact(rocks_, cf, memory);
    // Aborted: RocksDB is compacting one of the files; look again later.
    // Other errors (I/O) are RocksDB's to report; the data stays as it was.
    if (absl::IsAborted(s)) return false;
    compacted = compacted || s.ok();
  }
  if (compacted) {
    absl::MutexLock l(&mu_);
    ++compactions_;
  }
  return true;
}

absl::StatusOr<size_t> IndexCompactor::SortedRuns(internal::RocksHandles& rocks, Cf cf, uint32_t memory) {
  if (rocks.db == nullptr) return absl::FailedPreconditionError("store is closed");
  rocksdb::ColumnFamilyMetaData md;
  rocks.db->GetColumnFamilyMetaData(rocks.cf(cf), &md);
  size_t level0 = 0;
  std::vector<bool> deeper(md.levels.size(), false);
  ForEachMemoryFile(md, memory, [&](int level, const rocksdb::SstFileMetaData&) {
    if (level == 0) {
      ++level0;
    } else if (static_cast<size_t>(level) < deeper.size()) {
      deeper[level] = true;
    }
  });
  size_t runs = level0;
  for (bool d : deeper) runs += d ? 1 : 0;
  return runs;
}

absl::Status IndexCompactor::Compact(internal::RocksHandles& rocks, Cf cf, uint32_t memory) {
  if (rocks.db == nullptr) return absl::FailedPreconditionError("store is closed");
  rocksdb::ColumnFamilyMetaData md;
  rocks.db->GetColumnFamilyMetaData(rocks.cf(cf), &md);
  std::vector<std::string> files;
  bool being_compacted = false;
  ForEachMemoryFile(md, memory, [&](int, const rocksdb::SstFileMetaData& f) {
    files.push_back(f.name);
    being_compacted = being_compacted || f.being_compacted;
  });
  if (being_compacted) return absl::AbortedError("a file of the memory is being compacted");
  if (files.size() < 2 || md.levels.empty()) return absl::OkStatus();
  rocksdb::CompactionOptions co;
  co.compression = rocksdb::kLZ4Compression;  // as the column families (store.cc)
  co.output_file_size_limit = 256ull << 20;
  co.max_subcompactions = 1;  // leave the other core to lookups
  rocksdb::Status s = rocks.db->CompactFiles(co, rocks.cf(cf), files, static_cast<int>(md.levels.size()) - 1);
  // RocksDB started compacting one of them between the look and the call.
  if (s.IsAborted()) return absl::AbortedError(s.ToString());
  return s.ok() ? absl::OkStatus() : FromRocks(s, absl::StrCat("compact the index of memory ", memory));
}

}  // namespace qantara::storage
