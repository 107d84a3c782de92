// Opening qantara's RocksDB database: column families and their tuning, the
// format-version check, and the RocksStore that owns the handles.
#include "storage/store.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <system_error>
#include <vector>

#include "absl/base/config.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "rocksdb/cache.h"
#include "rocksdb/db.h"
#include "rocksdb/env.h"
#include "rocksdb/file_system.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/listener.h"
#include "rocksdb/options.h"
#include "rocksdb/slice_transform.h"
#include "rocksdb/table.h"
#include "rocksdb/write_buffer_manager.h"
#include "service/base/ignore_error.h"
#include "service/base/status_macros.h"
#include "storage/backup.h"
#include "storage/internal/backup.h"
#include "storage/internal/info_log.h"
#include "storage/internal/keys.h"
#include "storage/internal/posting_merge.h"
#include "storage/internal/rocks.h"
#include "storage/internal/status.h"
#include "storage/internal/store_for_test.h"
#include "storage/internal/write_health.h"

namespace qantara::storage {
namespace {

// Counts of RocksDB's background work, from its event notifications (on
// RocksDB's threads), for Store::Engine().
struct EngineCounters {
  std::atomic<uint64_t> compactions{0}, compaction_read_bytes{0}, compaction_written_bytes{0};
  std::atomic<uint64_t> flushes{0}, stalls_delayed{0}, stalls_stopped{0};
};

class EngineListener final : public rocksdb::EventListener {
 public:
  explicit EngineListener(std::shared_ptr<EngineCounters> counters) : counters_(std::move(counters)) {}
  void OnCompactionCompleted(rocksdb::DB*, const rocksdb::CompactionJobInfo& info) override {
    if (!info.status.ok()) return;
    counters_->compactions.fetch_add(1, std::memory_order_relaxed);
    counters_->compaction_read_bytes.fetch_add(info.stats.total_input_bytes, std::memory_order_relaxed);
    counters_->compaction_written_bytes.fetch_add(info.stats.total_output_bytes, std::memory_order_relaxed);
  }
  void OnFlushCompleted(rocksdb::DB*, const rocksdb::FlushJobInfo&) override {
    counters_->flushes.fetch_add(1, std::memory_order_relaxed);
  }
  void OnStallConditionsChanged(const rocksdb::WriteStallInfo& info) override {
    if (info.condition.cur == info.condition.prev) return;
    if (info.condition.cur == rocksdb::WriteStallCondition::kDelayed) {
      counters_->stalls_delayed.fetch_add(1, std::memory_order_relaxed);
    } else if (info.condition.cur == rocksdb::WriteStallCondition::kStopped) {
      counters_->stalls_stopped.fetch_add(1, std::memory_order_relaxed);
    }
  }

 private:
  const std::shared_ptr<EngineCounters> counters_;
};

class RocksStore final : public Store {
 public:
  RocksStore(std::string dir, std::unique_ptr<rocksdb::Env> env, rocksdb::DB* db,
             std::vector<rocksdb::ColumnFamilyHandle*> handles, const StoreOptions& options,
             std::shared_ptr<internal::WriteHealth> health, std::shared_ptr<EngineCounters> counters)
      : env_(std::move(env)),
        dir_(std::move(dir)),
        db_(db),
        handles_(std::move(handles)),
        health_(std::move(health)),
        counters_(std::move(counters)) {
    rocks_.db = db_;
    rocks_.cfs = handles_;
    rocks_.sync_writes = options.sync_writes;
    rocks_.syncer = &syncer_;
    rocks_.no_ingest = health_->resumed();
    health_->Start(db_, handles_);
  }

  // Close() is best effort here: a destructor cannot report its error
  // (callers that care call Close() first; then this does nothing).
  ~RocksStore() override { IgnoreError(Close(), "destructor: no one to report to"); }

  absl::Status Close() override {
    if (db_ == nullptr) return absl::OkStatus();
    health_->Stop();  // no Resume() from here on
    absl::Status result = absl::OkStatus();
    rocksdb::FlushOptions fo;
    for (auto* h : handles_) {
      rocksdb::Status s = db_->Flush(fo, h);
      if (!s.ok() && result.ok()) result = FromRocks(s, "flush");
    }
    for (auto* h : handles_) {
      rocksdb::Status s = db_->DestroyColumnFamilyHandle(h);
      if (!s.ok() && result.ok()) result = FromRocks(s, "close column family");
    }
    handles_.clear();
    rocks_ = internal::RocksHandles{};
    rocksdb::Status s = db_->Close();
    if (!s.ok() && result.ok()) result = FromRocks(s, "close");
    delete db_;
    db_ = nullptr;
    return result;
  }

  absl::StatusOr<std::optional<std::string>> Get(Cf cf, std::string_view key) override {
    if (db_ == nullptr) return absl::FailedPreconditionError("store is closed");
    std::string value;
    rocksdb::Status s =
        db_->Get(rocksdb::ReadOptions(), handle(cf), rocksdb::Slice(key.data(), key.size()), &value);
    if (s.IsNotFound()) return std::optional<std::string>();
    if (!s.ok()) return FromRocks(s, "get");
    return std::optional<std::string>(std::move(value));
  }

  absl::Status Put(Cf cf, std::string_view key, std::string_view value) override {
    if (db_ == nullptr) return absl::FailedPreconditionError("store is closed");
    rocksdb::Status s = db_->Put(rocks_.write, handle(cf), rocksdb::Slice(key.data(), key.size()),
                                 rocksdb::Slice(value.data(), value.size()));
    if (!s.ok()) return FromRocks(s, "put");
    return rocks_.Durable();
  }

  internal::RocksHandles& rocks() { return rocks_; }

  absl::Status WritesAvailable() override {
    if (db_ == nullptr) return absl::FailedPreconditionError("store is closed");
    return health_->Status();
  }

  void WatchWrites(std::function<void(const absl::Status&)> watcher) override {
    health_->Watch(std::move(watcher));
  }

  uint64_t DiskBytes() override {
    std::error_code ec;
    uint64_t total = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
      const std::string ext = entry.path().extension().string();
      if (ext == ".sst" || ext == ".log" || ext == ".blob") total += entry.file_size(ec);
    }
    return total;
  }

  MemoryUse RocksMemory() override {
    MemoryUse use;
    if (db_ == nullptr) return use;
    // The block cache is shared: read it once, not summed over the families.
    db_->GetIntProperty(rocksdb::DB::Properties::kBlockCacheUsage, &use.block_cache_bytes);
    db_->GetAggregatedIntProperty(rocksdb::DB::Properties::kCurSizeAllMemTables, &use.memtable_bytes);
    db_->GetAggregatedIntProperty(rocksdb::DB::Properties::kEstimateTableReadersMem, &use.table_reader_bytes);
    return use;
  }

  EngineStats Engine() override {
    EngineStats e;
    e.compactions = counters_->compactions.load(std::memory_order_relaxed);
    e.compaction_read_bytes = counters_->compaction_read_bytes.load(std::memory_order_relaxed);
    e.compaction_written_bytes = counters_->compaction_written_bytes.load(std::memory_order_relaxed);
    e.flushes = counters_->flushes.load(std::memory_order_relaxed);
    e.stalls_delayed = counters_->stalls_delayed.load(std::memory_order_relaxed);
    e.stalls_stopped = counters_->stalls_stopped.load(std::memory_order_relaxed);
    if (db_ == nullptr) return e;  // closed: the counts only
    using P = rocksdb::DB::Properties;
    db_->GetIntProperty(P::kNumRunningCompactions, &e.running_compactions);
    db_->GetIntProperty(P::kNumRunningFlushes, &e.running_flushes);
    db_->GetAggregatedIntProperty(P::kCompactionPending, &e.compaction_pending_cfs);
    db_->GetAggregatedIntProperty(P::kEstimatePendingCompactionBytes, &e.pending_compaction_bytes);
    db_->GetAggregatedIntProperty(P::kNumImmutableMemTable, &e.immutable_memtables);
    uint64_t stopped = 0;
    db_->GetIntProperty(P::kIsWriteStopped, &stopped);
    e.write_stopped = stopped != 0;
    db_->GetIntProperty(P::kActualDelayedWriteRate, &e.delayed_write_rate);
    db_->GetIntProperty(P::kBackgroundErrors, &e.background_errors);
    return e;
  }

  const std::string& dir() const override { return dir_; }

 private:
  rocksdb::ColumnFamilyHandle* handle(Cf cf) const { return handles_[static_cast<int>(cf)]; }

  std::unique_ptr<rocksdb::Env> env_;  // null: RocksDB's default; else outlives db_ (declared first)
  std::string dir_;
  rocksdb::DB* db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  internal::WalSyncer syncer_;
  internal::RocksHandles rocks_;
  std::shared_ptr<internal::WriteHealth> health_;  // also held by the DB's listener
  std::shared_ptr<EngineCounters> counters_;       // also held by the DB's listener
};

// The format version a data dir holds, read from `meta` (nullopt: not written yet).
absl::StatusOr<std::optional<int>> ReadFormatVersion(Store& store) {
  QANTARA_ASSIGN_OR_RETURN(const std::optional<std::string> v, store.Get(Cf::kMeta, kMetaFormatVersionKey));
  if (!v.has_value()) return std::optional<int>();
  int version = 0;
  if (!absl::SimpleAtoi(*v, &version)) {
    return absl::DataLossError(
        absl::StrCat("data dir ", store.dir(), ": unreadable format version '", *v, "'"));
  }
  return std::optional<int>(version);
}

// Backs up `db` (format `version`) before it is upgraded (storage/FORMAT.md).
absl::Status BackUpBeforeUpgrade(rocksdb::DB* db, const std::string& dir, int version) {
  const std::string backup_dir = PreUpgradeBackupDir(dir, version);
  auto backup = internal::BackupDb(db, backup_dir, version);
  if (!backup.ok()) {
    return absl::Status(backup.status().code(),
                        absl::StrCat("data dir ", dir, " holds format version ", version,
                                     "; the backup taken before upgrading it to version ", kFormatVersion,
                                     " failed (nothing was upgraded): ", backup.status().message()));
  }
  return absl::OkStatus();
}

// Checks the stored format version, writing it on a new database, and
// upgrades an older one (backed up first when `backup_before_upgrade`).
absl::Status CheckFormatVersion(Store& store, bool backup_before_upgrade) {
  QANTARA_ASSIGN_OR_RETURN(const std::optional<int> version, ReadFormatVersion(store));
  if (!version.has_value()) {
    return store.Put(Cf::kMeta, kMetaFormatVersionKey, std::to_string(kFormatVersion));
  }
  if (*version >= 1 && *version < kFormatVersion) {
    // Each later version only adds: version 2 the memories' column families,
    // version 3 `lexicons` (created empty at open) and index watermarks
    // (absent means "every unit is indexed", which is what an older dir is),
    // version 4 `access` (created empty: no API tokens yet), version 5
    // `requests` (created empty) and unit revisions (a unit record without
    // one reads as revision 1), version 6 dates in `exact` values (an
    // empty value reads as "date unknown"),
    // leaving every existing key and value as it was; so upgrading is
    // rewriting the number. The data dir was backed up before the new
    // column families were created (BackUpOlderFormat), unless it had them
    // already (an upgrade that stopped before this line): then it is here.
    if (backup_before_upgrade) {
      QANTARA_RETURN_IF_ERROR(BackUpBeforeUpgrade(internal::Rocks(store).db, store.dir(), *version));
    }
    return store.Put(Cf::kMeta, kMetaFormatVersionKey, std::to_string(kFormatVersion));
  }
  if (*version != kFormatVersion) {
    return absl::FailedPreconditionError(absl::StrCat("data dir ", store.dir(), " holds format version ",
                                                      *version, "; this build reads version ",
                                                      kFormatVersion));
  }
  return absl::OkStatus();
}

rocksdb::DBOptions DbOptions(bool create_if_missing) {
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = create_if_missing;
  db_options.create_missing_column_families = true;

  db_options.IncreaseParallelism(2);
  db_options.max_background_jobs = 2;
  // Compactions (the LOW pool) run at nice 19: on a busy server they take
  // the cores' leftovers, not the lookups' time (a lookup waiting for a core
  // behind a compaction was part of the soak's tail, issue 15). Flushes (the
  // HIGH pool) keep their priority, so writes are not stalled for them.
  rocksdb::Env::Default()
      ->LowerThreadPoolCPUPriority(rocksdb::Env::Priority::LOW, rocksdb::CpuPriority::kLow)
      .PermitUncheckedError();
  // One budget for the memtables of every column family (a flush starts when
  // they hold more): memory stays flat however much a bulk import writes,
  // instead of up to two 64 MB memtables per big column family.
  db_options.write_buffer_manager = std::make_shared<rocksdb::WriteBufferManager>(64 << 20);
#ifdef ABSL_HAVE_THREAD_SANITIZER
  // TSan builds only (tests/tsan/suppressions.txt): RocksDB, not
  // instrumented, joins concurrent writes into a group whose leader copies
  // the others' batches, ordered by atomics TSan cannot see. The copy is made
  // by libstdc++'s string append (RocksDB's frames do not show), so it cannot
  // be suppressed by library without hiding qantara's own appends. A write
  // group of one batch (each writer writes its own) makes no such copy.
  db_options.max_write_batch_group_size_bytes = 1;
#endif
  return db_options;
}

// The options of column family `cf`; `cache` is the block cache all share.
rocksdb::ColumnFamilyOptions CfOptions(Cf cf, const std::shared_ptr<rocksdb::Cache>& cache) {
  // Bloom filters for point reads.
  const bool bloom = cf == Cf::kPostings || cf == Cf::kUnitKeys || cf == Cf::kUnits || cf == Cf::kExact;
  rocksdb::BlockBasedTableOptions t;
  t.block_cache = cache;
  if (bloom) t.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  // A lookup reads each unit of its answer (and each tied one) from a block
  // no other lookup has brought into the block cache, mostly: every read
  // checksums and decompresses a whole block. Blocks of 1 KiB instead of
  // 4 KiB cost a quarter of that (a median lookup at 1M units: 12% fewer
  // instructions). The same for the unit keys of a memory too large to keep
  // them in memory: each candidate's (10M units: a tenth fewer instructions
  // for an edited lookup, 8-18% less CPU).
  const bool per_unit = cf == Cf::kUnits || cf == Cf::kUnitKeys;
  if (per_unit) t.block_size = 1024;
  rocksdb::ColumnFamilyOptions cf_options;
  cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(t));
  cf_options.compression = rocksdb::kLZ4Compression;
  if (per_unit) {
    // Small blocks compress worse alone (the repeats LZ4 finds are across
    // units: frequent words' hashes, common phrases), so each file's blocks
    // share a 16 KiB dictionary sampled from the file's first 8 MiB: 20%
    // fewer bytes of units and 18% fewer of unit keys than 1 KiB blocks
    // without it (1M units; unit keys 11% below their former 4 KiB blocks),
    // decompressed by the same LZ4 routine. Not larger: LZ4 loads
    // the dictionary for every block it compresses (64 KiB: 11 us a block
    // against 3.6 us for 16 KiB and 1.7 without; writes pay it).
    cf_options.compression_opts.max_dict_bytes = 16 << 10;
    cf_options.compression_opts.max_dict_buffer_bytes = 8 << 20;
    // Their reads are of units that exist (a candidate, an answer; a
    // client's id that does not costs an index seek more): the last level's
    // filters would only cost memory and a probe a read.
    cf_options.optimize_filters_for_hits = true;
  }
  if (cf == Cf::kPostings) cf_options.merge_operator = NewPostingMergeOperator();
  if (cf == Cf::kExact || cf == Cf::kPostings) {
    // memory id + side + hash (exact) or token key (postings): every read is
    // a point read or a scan inside these 13 bytes.
    cf_options.prefix_extractor.reset(rocksdb::NewFixedPrefixTransform(13));
    // A bulk load ingests a file a 100,000 units, each spanning the whole
    // key range: past the six levels, they pile up in level 0. Compacting
    // level 0 into level 1 every 4 files rewrites all of level 1 each time
    // (a 2M-unit import: 8 s of CPU in `exact` alone, growing with every
    // million); the IndexCompactor folds every run once the load is over.
    // So level 0 may hold more files here before RocksDB compacts it, with
    // the write slowdown (which would hold up every column family) further.
    cf_options.level0_file_num_compaction_trigger = 16;
    cf_options.level0_slowdown_writes_trigger = 48;
    cf_options.level0_stop_writes_trigger = 64;
  }
  if (cf == Cf::kPostings || cf == Cf::kUnits || cf == Cf::kUnitKeys) {
    cf_options.write_buffer_size = 64 << 20;
  }
  return cf_options;
}

// A data dir of an older format lacks column families that this build
// creates at open. Before they are created, it is opened with the column
// families it has and backed up (so that the backup opens with the build
// that wrote it). Sets *backed_up when it was.
absl::Status BackUpOlderFormat(const std::string& dir, const std::shared_ptr<rocksdb::Cache>& cache,
                               bool* backed_up) {
  rocksdb::DBOptions options = DbOptions(/*create_if_missing=*/false);
  options.create_missing_column_families = false;
  std::vector<std::string> names;
  rocksdb::Status s = rocksdb::DB::ListColumnFamilies(options, dir, &names);
  if (!s.ok()) return FromRocks(s, absl::StrCat("list the column families of ", dir));
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  int meta = -1;
  for (const std::string& name : names) {
    auto known = std::find(kCfNames.begin(), kCfNames.end(), name);
    if (known == kCfNames.end()) {
      return absl::FailedPreconditionError(absl::StrCat("data dir ", dir, " holds column family '", name,
                                                        "', which this build does not know (written by a "
                                                        "newer build?)"));
    }
    const Cf cf = static_cast<Cf>(known - kCfNames.begin());
    if (cf == Cf::kMeta) meta = static_cast<int>(cfs.size());
    cfs.emplace_back(name, CfOptions(cf, cache));
  }
  if (cfs.size() == kCfNames.size() || meta < 0) return absl::OkStatus();  // current, or not qantara's
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  s = rocksdb::DB::Open(options, dir, cfs, &handles, &db);
  if (!s.ok()) return FromRocks(s, absl::StrCat("open data dir ", dir));
  absl::Status result = absl::OkStatus();
  std::string value;
  s = db->Get(rocksdb::ReadOptions(), handles[meta], internal::AsSlice(kMetaFormatVersionKey), &value);
  int version = 0;
  if (s.ok() && absl::SimpleAtoi(value, &version) && version >= 1 && version < kFormatVersion) {
    result = BackUpBeforeUpgrade(db, dir, version);
    *backed_up = result.ok();
  } else if (!s.ok() && !s.IsNotFound()) {
    result = FromRocks(s, absl::StrCat("read the format version of ", dir));
  }
  for (auto* h : handles) {
    rocksdb::Status closed = db->DestroyColumnFamilyHandle(h);
    if (!closed.ok()) IgnoreError(FromRocks(closed, "close column family"), "closing a read copy");
  }
  s = db->Close();
  delete db;
  if (result.ok() && !s.ok()) result = FromRocks(s, absl::StrCat("close data dir ", dir));
  return result;
}

}  // namespace

// Store::Open, with RocksDB's file system replaced when `env` is given.
absl::StatusOr<std::unique_ptr<Store>> OpenStore(const std::string& dir, const StoreOptions& options,
                                                 std::unique_ptr<rocksdb::Env> env) {
  if (dir.empty()) return absl::InvalidArgumentError("data dir is empty");
  std::error_code ec;
  if (options.create_if_missing) {
    std::filesystem::create_directories(dir, ec);
    if (ec) {
      return absl::PermissionDeniedError(absl::StrCat("cannot create data dir ", dir, ": ", ec.message()));
    }
  } else if (!std::filesystem::exists(std::filesystem::path(dir) / "CURRENT", ec)) {
    return absl::NotFoundError(absl::StrCat("no qantara database in ", dir));
  }

  // One block cache for all column families.
  std::shared_ptr<rocksdb::Cache> cache =
      rocksdb::NewLRUCache(std::max<uint64_t>(options.block_cache_bytes, 1 << 20));
  bool backed_up = false;
  if (options.backup_before_upgrade && std::filesystem::exists(std::filesystem::path(dir) / "CURRENT", ec)) {
    QANTARA_RETURN_IF_ERROR(BackUpOlderFormat(dir, cache, &backed_up));
  }
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  for (size_t i = 0; i < kCfNames.size(); ++i) {
    cfs.emplace_back(std::string(kCfNames[i]), CfOptions(static_cast<Cf>(i), cache));
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  rocksdb::DBOptions db_options = DbOptions(options.create_if_missing);
  if (env != nullptr) db_options.env = env.get();
  // RocksDB's LOG, written so that a full disk cannot abort the server.
  QANTARA_ASSIGN_OR_RETURN(db_options.info_log, internal::OpenInfoLog(dir));
  auto health = std::make_shared<internal::WriteHealth>(dir);
  db_options.listeners.push_back(internal::WriteHealth::Listener(health));
  auto counters = std::make_shared<EngineCounters>();
  db_options.listeners.push_back(std::make_shared<EngineListener>(counters));
  rocksdb::Status s = rocksdb::DB::Open(db_options, dir, cfs, &handles, &db);
  if (!s.ok()) {
    return FromRocks(s, absl::StrCat("open data dir ", dir));
  }
  auto store = std::make_unique<RocksStore>(dir, std::move(env), db, std::move(handles), options,
                                            std::move(health), std::move(counters));
  if (absl::Status v = CheckFormatVersion(*store, options.backup_before_upgrade && !backed_up); !v.ok()) {
    IgnoreError(store->Close(), "the format check's error is the one reported");
    return v;
  }
  return std::unique_ptr<Store>(std::move(store));
}

absl::StatusOr<std::unique_ptr<Store>> Store::Open(const std::string& dir, const StoreOptions& options) {
  return OpenStore(dir, options, nullptr);
}

namespace internal {
RocksHandles& Rocks(Store& store) { return static_cast<RocksStore&>(store).rocks(); }

absl::StatusOr<std::unique_ptr<Store>> OpenStoreForTest(const std::string& dir, const StoreOptions& options,
                                                        std::shared_ptr<rocksdb::FileSystem> fs) {
  return OpenStore(dir, options, rocksdb::NewCompositeEnv(fs));
}
}  // namespace internal

}  // namespace qantara::storage
