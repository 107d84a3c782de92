// Power loss: the store runs over a RocksDB FileSystem that records, per
// file, how many bytes were synced and whether its directory entry was
// (the directory fsync'ed since the file was created). A "power loss"
// copies the data dir as a machine crash at that instant would leave it:
// each file cut to its synced size, files whose directory entry was never
// synced gone. The copy is then opened and checked:
//   - with sync_writes, every acknowledged unit is there, and every memory
//     whose delete was acknowledged is gone;
//   - without it, what is lost is a tail: per writer thread, the units that
//     survive are a prefix of the ones it had acknowledged;
//   - either way nothing is inconsistent: every unit has its keys (and
//     back), every `postings` and `exact` entry on disk names a unit that
//     is there, each memory record counts its units, each unit is found by
//     a lookup of its own source, and indexed lookups equal exhaustive ones.
// The writers' index buffers are small, so bulk adds ingest index SST files
// during the run: the check of the entries on disk is what proves that the
// WAL holding the units is synced before the files that index them are
// ingested (storage/index_buffer.cc).
//
// Model, and its simplifications: appends are lost unless followed by a
// Sync/Fsync of the file (RangeSync does not count); a file created (or
// hard-linked) is lost unless its directory is fsync'ed afterwards; a
// rename is atomic and durable at once (journalled file systems order it
// after the renamed file's data, which RocksDB syncs first); a delete is
// durable at once. Files not written through the FileSystem (LOCK) are
// copied whole.
//
// The test was checked against the faults it is for: without the SyncWAL
// before the ingestion (storage/index_buffer.cc) the cases without deletes
// fail (`postings` entries naming units that are not there, and the memory
// record itself gone); with Durable() (storage/internal/rocks.h) doing
// nothing, the sync_writes cases lose acknowledged units and bring deleted
// memories back.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "rocksdb/file_system.h"
#include "service/tm/memories.h"
#include "storage/internal/encoding.h"
#include "storage/internal/rocks.h"
#include "storage/internal/store_for_test.h"
#include "storage/store.h"
#include "tests/service/match/simple_analyzer.h"
#include "tests/storage/temp_dir.h"

namespace qantara::storage::testing {
namespace {

namespace stdfs = std::filesystem;
using rocksdb::IODebugContext;
using rocksdb::IOOptions;
using rocksdb::IOStatus;

std::string Norm(const std::string& path) {
  stdfs::path p = stdfs::path(path).lexically_normal();
  if (!p.has_filename() && p.has_parent_path()) p = p.parent_path();  // "a/b/" -> "a/b"
  return p.string();
}

// What a power loss leaves of one file written through the FileSystem.
struct FileState {
  uint64_t size = 0;           // bytes appended
  uint64_t synced = 0;         // of which made durable by Sync/Fsync
  bool entry_durable = false;  // its directory was fsync'ed since it was created
};

class SyncTrackingFs final : public rocksdb::FileSystemWrapper {
 public:
  explicit SyncTrackingFs(const std::shared_ptr<rocksdb::FileSystem>& base) : FileSystemWrapper(base) {}
  const char* Name() const override { return "SyncTrackingFs"; }

  IOStatus NewWritableFile(const std::string& f, const rocksdb::FileOptions& o,
                           std::unique_ptr<rocksdb::FSWritableFile>* r, IODebugContext* dbg) override {
    absl::MutexLock l(&mu_);
    IOStatus s = target()->NewWritableFile(f, o, r, dbg);
    if (s.ok()) {
      files_[Norm(f)] = FileState{};
      *r = std::make_unique<File>(std::move(*r), this, Norm(f));
      if (f.find("/ingest/") != std::string::npos) ++index_files_written_;
    }
    return s;
  }

  IOStatus ReopenWritableFile(const std::string& f, const rocksdb::FileOptions& o,
                              std::unique_ptr<rocksdb::FSWritableFile>* r, IODebugContext* dbg) override {
    absl::MutexLock l(&mu_);
    IOStatus s = target()->ReopenWritableFile(f, o, r, dbg);
    if (s.ok()) {
      if (!files_.contains(Norm(f))) {  // written before: durable as it is
        std::error_code ec;
        const uint64_t size = stdfs::file_size(f, ec);
        files_[Norm(f)] = FileState{size, size, true};
      }
      *r = std::make_unique<File>(std::move(*r), this, Norm(f));
    }
    return s;
  }

  IOStatus ReuseWritableFile(const std::string& f, const std::string& old, const rocksdb::FileOptions& o,
                             std::unique_ptr<rocksdb::FSWritableFile>* r, IODebugContext* dbg) override {
    absl::MutexLock l(&mu_);
    IOStatus s = target()->ReuseWritableFile(f, old, o, r, dbg);
    if (s.ok()) {
      files_.erase(Norm(old));
      files_[Norm(f)] = FileState{};
      *r = std::make_unique<File>(std::move(*r), this, Norm(f));
    }
    return s;
  }

  IOStatus NewRandomRWFile(const std::string& f, const rocksdb::FileOptions& o,
                           std::unique_ptr<rocksdb::FSRandomRWFile>* r, IODebugContext* dbg) override {
    absl::MutexLock l(&mu_);
    ++untracked_files_;  // not modelled: the test expects none
    return target()->NewRandomRWFile(f, o, r, dbg);
  }

  IOStatus NewDirectory(const std::string& name, const IOOptions& io,
                        std::unique_ptr<rocksdb::FSDirectory>* r, IODebugContext* dbg) override {
    IOStatus s = target()->NewDirectory(name, io, r, dbg);
    if (s.ok()) *r = std::make_unique<Dir>(std::move(*r), this, Norm(name));
    return s;
  }

  IOStatus DeleteFile(const std::string& f, const IOOptions& o, IODebugContext* dbg) override {
    absl::MutexLock l(&mu_);
    IOStatus s = target()->DeleteFile(f, o, dbg);
    if (s.ok()) files_.erase(Norm(f));
    return s;
  }

  IOStatus RenameFile(const std::string& src, const std::string& dst, const IOOptions& o,
                      IODebugContext* dbg) override {
    absl::MutexLock l(&mu_);
    IOStatus s = target()->RenameFile(src, dst, o, dbg);
    if (s.ok()) {
      auto it = files_.find(Norm(src));
      if (it == files_.end()) {
        files_.erase(Norm(dst));
      } else {
        FileState st = it->second;
        st.entry_durable = true;
        files_.erase(it);
        files_[Norm(dst)] = st;
      }
    }
    return s;
  }

  IOStatus LinkFile(const std::string& src, const std::string& dst, const IOOptions& o,
                    IODebugContext* dbg) override {
    absl::MutexLock l(&mu_);
    IOStatus s = target()->LinkFile(src, dst, o, dbg);
    if (s.ok()) {
      auto it = files_.find(Norm(src));
      FileState st;
      if (it != files_.end()) {
        st = it->second;
      } else {
        std::error_code ec;
        st.size = st.synced = stdfs::file_size(dst, ec);
      }
      st.entry_durable = false;  // the new name needs its directory synced
      files_[Norm(dst)] = st;
      if (src.find("/ingest/") != std::string::npos) ++index_files_ingested_;
    }
    return s;
  }

  IOStatus Truncate(const std::string& f, size_t size, const IOOptions& o, IODebugContext* dbg) override {
    absl::MutexLock l(&mu_);
    IOStatus s = target()->Truncate(f, size, o, dbg);
    if (s.ok()) Truncated(Norm(f), size);
    return s;
  }

  // Copies `dir` (recursively) into `image` as a power loss at this instant
  // would leave it.
  void PowerLossImage(const std::string& dir, const std::string& image) {
    absl::MutexLock l(&mu_);
    for (const auto& entry : stdfs::recursive_directory_iterator(dir)) {
      const stdfs::path rel = stdfs::relative(entry.path(), dir);
      const stdfs::path out = stdfs::path(image) / rel;
      if (entry.is_directory()) {
        stdfs::create_directories(out);
        continue;
      }
      if (rel == "LOCK") continue;
      stdfs::create_directories(out.parent_path());
      auto it = files_.find(Norm(entry.path().string()));
      uint64_t keep = entry.file_size();
      if (it != files_.end()) {
        if (!it->second.entry_durable) continue;  // never reached the disk's directory
        keep = std::min<uint64_t>(it->second.synced, keep);
      }
      std::ifstream in(entry.path(), std::ios::binary);
      std::string bytes(keep, '\0');
      in.read(bytes.data(), static_cast<std::streamsize>(keep));
      ASSERT_EQ(static_cast<uint64_t>(in.gcount()), keep) << entry.path();
      std::ofstream(out, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(keep));
    }
  }

  int index_files_ingested() {
    absl::MutexLock l(&mu_);
    return index_files_ingested_;
  }
  int untracked_files() {
    absl::MutexLock l(&mu_);
    return untracked_files_;
  }

 private:
  class File final : public rocksdb::FSWritableFileOwnerWrapper {
   public:
    File(std::unique_ptr<rocksdb::FSWritableFile> f, SyncTrackingFs* fs, std::string name)
        : FSWritableFileOwnerWrapper(std::move(f)), fs_(fs), name_(std::move(name)) {}
    IOStatus Append(const rocksdb::Slice& data, const IOOptions& o, IODebugContext* dbg) override {
      absl::MutexLock l(&fs_->mu_);
      IOStatus s = target()->Append(data, o, dbg);
      if (s.ok()) fs_->Appended(name_, data.size());
      return s;
    }
    IOStatus Append(const rocksdb::Slice& data, const IOOptions& o, const rocksdb::DataVerificationInfo& v,
                    IODebugContext* dbg) override {
      absl::MutexLock l(&fs_->mu_);
      IOStatus s = target()->Append(data, o, v, dbg);
      if (s.ok()) fs_->Appended(name_, data.size());
      return s;
    }
    IOStatus PositionedAppend(const rocksdb::Slice& data, uint64_t offset, const IOOptions& o,
                              IODebugContext* dbg) override {
      absl::MutexLock l(&fs_->mu_);
      IOStatus s = target()->PositionedAppend(data, offset, o, dbg);
      if (s.ok()) fs_->Extended(name_, offset + data.size());
      return s;
    }
    IOStatus PositionedAppend(const rocksdb::Slice& data, uint64_t offset, const IOOptions& o,
                              const rocksdb::DataVerificationInfo& v, IODebugContext* dbg) override {
      absl::MutexLock l(&fs_->mu_);
      IOStatus s = target()->PositionedAppend(data, offset, o, v, dbg);
      if (s.ok()) fs_->Extended(name_, offset + data.size());
      return s;
    }
    IOStatus Truncate(uint64_t size, const IOOptions& o, IODebugContext* dbg) override {
      absl::MutexLock l(&fs_->mu_);
      IOStatus s = target()->Truncate(size, o, dbg);
      if (s.ok()) fs_->Truncated(name_, size);
      return s;
    }
    IOStatus Sync(const IOOptions& o, IODebugContext* dbg) override {
      absl::MutexLock l(&fs_->mu_);
      IOStatus s = target()->Sync(o, dbg);
      if (s.ok()) fs_->Synced(name_);
      return s;
    }
    IOStatus Fsync(const IOOptions& o, IODebugContext* dbg) override {
      absl::MutexLock l(&fs_->mu_);
      IOStatus s = target()->Fsync(o, dbg);
      if (s.ok()) fs_->Synced(name_);
      return s;
    }

   private:
    SyncTrackingFs* fs_;
    std::string name_;
  };

  class Dir final : public rocksdb::FSDirectoryWrapper {
   public:
    Dir(std::unique_ptr<rocksdb::FSDirectory> d, SyncTrackingFs* fs, std::string name)
        : FSDirectoryWrapper(std::move(d)), fs_(fs), name_(std::move(name)) {}
    IOStatus Fsync(const IOOptions& o, IODebugContext* dbg) override {
      absl::MutexLock l(&fs_->mu_);
      IOStatus s = FSDirectoryWrapper::Fsync(o, dbg);
      if (s.ok()) fs_->DirSynced(name_);
      return s;
    }
    IOStatus FsyncWithDirOptions(const IOOptions& o, IODebugContext* dbg,
                                 const rocksdb::DirFsyncOptions& d) override {
      absl::MutexLock l(&fs_->mu_);
      IOStatus s = FSDirectoryWrapper::FsyncWithDirOptions(o, dbg, d);
      if (s.ok()) fs_->DirSynced(name_);
      return s;
    }

   private:
    SyncTrackingFs* fs_;
    std::string name_;
  };

  void Appended(const std::string& f, uint64_t n) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (auto it = files_.find(f); it != files_.end()) it->second.size += n;
  }
  void Extended(const std::string& f, uint64_t end) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (auto it = files_.find(f); it != files_.end()) it->second.size = std::max(it->second.size, end);
  }
  void Truncated(const std::string& f, uint64_t size) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (auto it = files_.find(f); it != files_.end()) {
      it->second.size = size;
      it->second.synced = std::min(it->second.synced, size);
    }
  }
  void Synced(const std::string& f) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (auto it = files_.find(f); it != files_.end()) it->second.synced = it->second.size;
  }
  void DirSynced(const std::string& dir) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    for (auto& [path, st] : files_) {
      if (stdfs::path(path).parent_path().string() == dir) st.entry_durable = true;
    }
  }

  absl::Mutex mu_;  // held through every tracked operation: an image sees none half done
  std::map<std::string, FileState> files_ ABSL_GUARDED_BY(mu_);
  int index_files_written_ ABSL_GUARDED_BY(mu_) = 0;
  int index_files_ingested_ ABSL_GUARDED_BY(mu_) = 0;
  int untracked_files_ ABSL_GUARDED_BY(mu_) = 0;
};

Unit U(std::string source, std::string target) {
  Unit u;
  u.source = std::move(source);
  u.target = std::move(target);
  return u;
}

// Words shared by many units (long posting lists) and a unique tail per unit.
const char* const kWords[] = {"the", "contract",  "shall", "enter", "into", "force", "on",  "date",
                              "of",  "signature", "party", "agree", "to",   "terms", "and", "notice"};

std::string Letters(uint64_t n) {  // a word made of letters only: 0 -> "a", 27 -> "bb"
  std::string s;
  do {
    s.push_back(static_cast<char>('a' + n % 26));
    n /= 26;
  } while (n > 0);
  return s;
}

// Unit `k` of writer `w`: its source is unique (two words naming w and k).
Unit MakeUnit(int w, uint64_t k, std::mt19937_64& rng) {
  std::string source = absl::StrCat("w", Letters(w), " k", Letters(k));
  const int n = 3 + static_cast<int>(rng() % 6);
  for (int i = 0; i < n; ++i) absl::StrAppend(&source, " ", kWords[rng() % std::size(kWords)]);
  return U(source, absl::StrCat("target of ", source));
}

struct Acked {
  uint64_t id;
  std::string source;
  std::string target;
};

// One thread's writes, in the order they were made.
struct Writer {
  std::vector<Acked> acked;          // acknowledged before the power loss, in order
  std::vector<std::string> sources;  // every unit sent (acknowledged or not)
  std::string error;                 // the first unexpected error
};

struct Churn {
  int created = 0;        // memories gone-0 .. gone-(created-1) were created (acknowledged)
  std::set<int> deleted;  // their deletes acknowledged before the power loss
  std::string error;
};

class PowerLossTest : public ::testing::TestWithParam<std::tuple<bool, bool, int>> {
 protected:
  static constexpr int kSmallWriters = 4;

  void Run(bool sync_writes, bool churn_memories, int seed) {
    std::mt19937_64 rng(seed);
    auto fs = std::make_shared<SyncTrackingFs>(rocksdb::FileSystem::Default());
    const std::string dir = tmp_.path("data");
    auto store = internal::OpenStoreForTest(dir, StoreOptions{.sync_writes = sync_writes}, fs);
    ASSERT_TRUE(store.ok()) << store.status();
    MemoryStoreOptions options;
    options.index_buffer_units = 300;  // every 300 buffered units: ingested SST files
    options.index_file_min_units = 100;
    options.compact_after_quiet = std::chrono::milliseconds(50);
    auto memories = tm::Memories::Open(**store, analyzer_, options);
    ASSERT_TRUE(memories.ok()) << memories.status();
    tm::Memories& mems = **memories;
    ASSERT_TRUE(mems.CreateMemory(NewMemory{"shared", "en", "ar", ""}).ok());
    ASSERT_TRUE(mems.CreateMemory(NewMemory{"bulk", "en", "ar", ""}).ok());

    std::atomic<bool> lost{false}, stop{false};
    std::vector<Writer> writers(kSmallWriters + 1);
    Churn churn;
    std::vector<std::thread> threads;
    // Small writers: 1-3 units a call into one shared memory (group commit).
    // The last writer adds 250 units a call into "bulk".
    for (int w = 0; w <= kSmallWriters; ++w) {
      threads.emplace_back([&, w, wseed = rng()] {
        std::mt19937_64 r(wseed);
        Writer& me = writers[w];
        const bool bulk = w == kSmallWriters;
        uint64_t k = 0;
        while (!stop) {
          std::vector<Unit> units;
          const int n = bulk ? 250 : 1 + static_cast<int>(r() % 3);
          for (int i = 0; i < n; ++i) units.push_back(MakeUnit(w, k++, r));
          for (const Unit& u : units) me.sources.push_back(u.source);
          auto out = mems.AddUnits(bulk ? "bulk" : "shared", units, DuplicatePolicy::kSkipIdentical);
          if (lost) break;  // acknowledged (or not) after the power loss: not counted
          if (!out.ok()) {
            me.error = out.status().ToString();
            break;
          }
          for (size_t i = 0; i < units.size(); ++i) {
            if ((*out)[i].kind != AddOutcome::kAdded) me.error = "unit not added";
            me.acked.push_back(Acked{(*out)[i].id, units[i].source, units[i].target});
          }
        }
      });
    }
    // Memories created, filled and deleted, one after the other. (Deletes
    // write index entries and range deletions into the memtables, so each
    // ingestion then flushes them first, which syncs the WAL: without them,
    // only the sync before the ingestion keeps the index behind the units.)
    threads.emplace_back([&] {
      std::mt19937_64 r(seed);
      for (int g = 0; churn_memories && !stop; ++g) {
        const std::string name = absl::StrCat("gone-", g);
        if (auto s = mems.CreateMemory(NewMemory{name, "en", "ar", ""}); !s.ok()) {
          if (!lost) churn.error = s.status().ToString();
          break;
        }
        if (lost) break;
        churn.created = g + 1;
        std::vector<Unit> units;
        for (int i = 0; i < 3; ++i) units.push_back(MakeUnit(100 + g, i, r));
        if (auto s = mems.AddUnits(name, units, DuplicatePolicy::kSkipIdentical); !s.ok()) {
          if (!lost) churn.error = s.status().ToString();
          break;
        }
        absl::Status d = mems.DeleteMemory(name);
        if (lost) break;
        if (!d.ok()) {
          churn.error = d.ToString();
          break;
        }
        churn.deleted.insert(g);
      }
    });

    // The power loss: at a random moment once index files were ingested.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (fs->index_files_ingested() < 2 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50 + rng() % 400));
    const std::string image = tmp_.path("image");
    lost = true;  // before the image: an ack seen after this is not counted
    fs->PowerLossImage(dir, image);
    const int ingested = fs->index_files_ingested();
    stop = true;
    for (auto& t : threads) t.join();
    memories->reset();
    store->reset();

    for (const Writer& w : writers) ASSERT_EQ(w.error, "");
    ASSERT_EQ(churn.error, "");
    EXPECT_GE(ingested, 2) << "no index file was ingested before the power loss";
    EXPECT_EQ(fs->untracked_files(), 0);
    size_t acked = 0;
    for (const Writer& w : writers) acked += w.acked.size();
    EXPECT_GT(acked, 0u);

    CheckDiskIndex(image);
    CheckUnits(image, sync_writes, writers, churn);
  }

  // The image's column families, read raw: every unit has its keys and back,
  // every index entry names a unit that is there, every memory record
  // counts its units.
  void CheckDiskIndex(const std::string& image) {
    SCOPED_TRACE("entries on disk");
    auto store = Store::Open(image, StoreOptions{.create_if_missing = false});
    ASSERT_TRUE(store.ok()) << store.status();
    internal::RocksHandles& rocks = internal::Rocks(**store);
    auto scan = [&](Cf cf, auto&& fn) {
      std::unique_ptr<rocksdb::Iterator> it(rocks.db->NewIterator(rocksdb::ReadOptions(), rocks.cf(cf)));
      for (it->SeekToFirst(); it->Valid(); it->Next())
        fn(internal::AsView(it->key()), internal::AsView(it->value()));
      ASSERT_TRUE(it->status().ok()) << it->status().ToString();
    };
    std::map<uint32_t, MemoryRecord> records;
    scan(Cf::kMemories, [&](std::string_view k, std::string_view v) {
      if (k.empty() || k[0] != 'm') return;
      auto r = DecodeMemoryRecord(v);
      ASSERT_TRUE(r.ok()) << r.status();
      records[r->id] = *r;
    });
    std::map<uint32_t, std::set<uint64_t>> units, keys;
    scan(Cf::kUnits, [&](std::string_view k, std::string_view) {
      ASSERT_EQ(k.size(), 12u);
      units[DecodeFixed32BE(k.data())].insert(UnitIdOfKey(k));
    });
    scan(Cf::kUnitKeys, [&](std::string_view k, std::string_view) {
      ASSERT_EQ(k.size(), 12u);
      keys[DecodeFixed32BE(k.data())].insert(UnitIdOfKey(k));
    });
    EXPECT_EQ(units, keys) << "a unit without its keys, or keys without their unit";
    for (const auto& [mem, ids] : units) {
      auto rec = records.find(mem);
      ASSERT_NE(rec, records.end()) << "units of memory " << mem << ", which has no record";
      EXPECT_EQ(rec->second.unit_count, ids.size()) << rec->second.name;
      EXPECT_GT(rec->second.next_unit_id, *ids.rbegin()) << rec->second.name;
    }
    size_t postings = 0, exact = 0, dangling = 0;
    std::string example;
    auto check = [&](const char* cf, uint32_t mem, uint64_t id) {
      if (units[mem].contains(id)) return;
      if (dangling++ == 0) example = absl::StrCat("a `", cf, "` entry of memory ", mem, " names unit ", id);
    };
    scan(Cf::kPostings, [&](std::string_view k, std::string_view v) {
      auto ids = DecodePostingList(v);
      ASSERT_TRUE(ids.ok()) << ids.status();
      for (uint64_t id : *ids) {
        ++postings;
        check("postings", DecodeFixed32BE(k.data()), id);
      }
    });
    scan(Cf::kExact, [&](std::string_view k, std::string_view) {
      ASSERT_EQ(k.size(), 21u);
      ++exact;
      check("exact", DecodeFixed32BE(k.data()), DecodeFixed64BE(k.data() + 13));
    });
    EXPECT_EQ(dangling, 0u) << "index entries naming a unit that is not there, e.g. " << example;
    EXPECT_GT(postings + exact, 0u) << "no index entry reached the disk: the check checked nothing";
    ASSERT_TRUE((*store)->Close().ok());
  }

  // The image opened as the server opens it.
  void CheckUnits(const std::string& image, bool sync_writes, const std::vector<Writer>& writers,
                  const Churn& churn) {
    auto store = Store::Open(image, StoreOptions{.create_if_missing = false});
    ASSERT_TRUE(store.ok()) << store.status();
    auto opened = tm::Memories::Open(**store, analyzer_);
    ASSERT_TRUE(opened.ok()) << opened.status();
    tm::Memories& mems = **opened;
    auto list = mems.ListMemories();
    ASSERT_TRUE(list.ok()) << list.status();

    // Every unit there, by memory and source.
    std::map<std::string, std::map<std::string, Unit>> present;
    for (const MemoryInfo& m : *list) {
      auto& by_source = present[m.name];
      ASSERT_TRUE(mems.ScanUnits(m.name, 0,
                                 [&](const Unit& u) {
                                   by_source[u.source] = u;
                                   return absl::OkStatus();
                                 })
                      .ok());
      EXPECT_EQ(by_source.size(), m.units) << m.name;
    }
    ASSERT_TRUE(present.contains("shared"));
    ASSERT_TRUE(present.contains("bulk"));

    size_t acked = 0, survived = 0;
    for (int w = 0; w < static_cast<int>(writers.size()); ++w) {
      SCOPED_TRACE(absl::StrCat("writer ", w));
      const auto& units = present[w == kSmallWriters ? "bulk" : "shared"];
      size_t prefix = 0;  // acknowledged units there before the first one missing
      while (prefix < writers[w].acked.size() && units.contains(writers[w].acked[prefix].source)) ++prefix;
      acked += writers[w].acked.size();
      survived += prefix;
      if (sync_writes) {
        EXPECT_EQ(prefix, writers[w].acked.size())
            << "acknowledged unit lost: " << writers[w].acked[prefix].source;
      }
      for (size_t i = prefix; i < writers[w].acked.size(); ++i) {
        EXPECT_FALSE(units.contains(writers[w].acked[i].source))
            << "unit " << i << " survived, but unit " << prefix << " before it was lost";
      }
      for (size_t i = 0; i < prefix; ++i) {
        const Acked& a = writers[w].acked[i];
        const Unit& u = units.at(a.source);
        EXPECT_EQ(u.id, a.id);
        EXPECT_EQ(u.target, a.target);
      }
    }
    // Nothing there that was never sent.
    std::set<std::string> sent;
    for (const Writer& w : writers) sent.insert(w.sources.begin(), w.sources.end());
    for (const char* memory : {"shared", "bulk"}) {
      for (const auto& [source, unit] : present[memory]) {
        EXPECT_TRUE(sent.contains(source)) << memory << ": unit " << unit.id << " was never sent";
      }
    }
    std::printf("power loss (%s): %zu of %zu acknowledged units survived\n",
                sync_writes ? "sync writes" : "default", survived, acked);

    // Deleted memories stay deleted; at most one churn memory is left (the
    // writes after its create are a tail that may be lost).
    int churn_left = 0;
    for (int g = 0; g < churn.created + 1; ++g) {
      const std::string name = absl::StrCat("gone-", g);
      if (!present.contains(name)) continue;
      ++churn_left;
      if (sync_writes) {
        EXPECT_FALSE(churn.deleted.contains(g)) << name << ": deleted, yet back";
      }
    }
    EXPECT_LE(churn_left, 1);

    // Each unit is found by a lookup of its source (its index entries are
    // there, on disk or rebuilt at open), and indexed lookups equal
    // exhaustive ones.
    std::mt19937_64 rng(7);
    for (const auto& [memory, units] : present) {
      int sampled = 0;
      for (const auto& [source, unit] : units) {
        tm::LookupRequest req;
        req.memories = {memory};
        req.text = source;
        req.options.threshold = 100;
        auto r = mems.Lookup(req);
        ASSERT_TRUE(r.ok()) << r.status();
        const bool found = std::any_of(r->matches.begin(), r->matches.end(), [&](const match::Match& m) {
          return m.unit.id == unit.id && m.score >= 100;
        });
        EXPECT_TRUE(found) << memory << ": unit " << unit.id << " (" << source << ") not found by its source";
        if (rng() % 20 != 0 || sampled >= 25) continue;
        ++sampled;
        // Its source without its unique words: many near matches.
        req.text = source.substr(source.find(' ', source.find(' ') + 1) + 1);
        req.options.threshold = 50;
        auto indexed = mems.Lookup(req);
        req.options.exhaustive = true;
        auto all = mems.Lookup(req);
        ASSERT_TRUE(indexed.ok() && all.ok());
        ASSERT_EQ(indexed->matches.size(), all->matches.size()) << req.text;
        for (size_t i = 0; i < all->matches.size(); ++i) {
          EXPECT_EQ(indexed->matches[i].unit.id, all->matches[i].unit.id) << req.text;
          EXPECT_EQ(indexed->matches[i].score, all->matches[i].score) << req.text;
        }
      }
    }
    opened->reset();
    ASSERT_TRUE((*store)->Close().ok());
  }

  TempDir tmp_;
  match::testing::SimpleAnalyzer analyzer_;
};

TEST_P(PowerLossTest, AcknowledgedWritesAndIndexSurvive) {
  const auto [sync_writes, churn_memories, seed] = GetParam();
  Run(sync_writes, churn_memories, seed);
}

INSTANTIATE_TEST_SUITE_P(Modes, PowerLossTest,
                         ::testing::Combine(::testing::Bool(), ::testing::Bool(), ::testing::Values(1, 2)),
                         [](const auto& info) {
                           return absl::StrCat(std::get<0>(info.param) ? "SyncWrites" : "Default",
                                               std::get<1>(info.param) ? "DeletingMemories" : "", "Seed",
                                               std::get<2>(info.param));
                         });

}  // namespace
}  // namespace qantara::storage::testing
