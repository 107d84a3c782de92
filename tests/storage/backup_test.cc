// Backups (storage/backup.h) on a real RocksDB: backups taken while a bulk
// add runs restore to a whole prefix of its batches, every unit and lookup
// as in the source; backups are incremental; bad paths and a full disk get
// clear errors; a version-2 data dir is backed up before it is upgraded, in
// a form a version-2 build opens.
#include "storage/backup.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "storage/internal/keys.h"
#include "tests/storage/memory_store_test_util.h"
#include "tests/storage/older_format.h"

namespace qantara::storage::testing {
namespace {

namespace fs = std::filesystem;

void ExpectSameUnit(const Unit& a, const Unit& b) {
  SCOPED_TRACE(a.id);
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.source, b.source);
  EXPECT_EQ(a.target, b.target);
  EXPECT_EQ(a.created_at_us, b.created_at_us);
  EXPECT_EQ(a.changed_at_us, b.changed_at_us);
  EXPECT_EQ(a.created_by, b.created_by);
  EXPECT_EQ(a.changed_by, b.changed_by);
  EXPECT_EQ(a.attributes.project, b.attributes.project);
  EXPECT_EQ(a.attributes.extra, b.attributes.extra);
  EXPECT_EQ(a.context.prev, b.context.prev);
  EXPECT_EQ(a.origin, b.origin);
  EXPECT_EQ(a.usage_count, b.usage_count);
}

std::vector<Unit> AllUnits(tm::Memories& memories, const std::string& memory) {
  std::vector<Unit> out;
  absl::Status s = memories.ScanUnits(memory, 0, [&](const Unit& u) {
    out.push_back(u);
    return absl::OkStatus();
  });
  EXPECT_TRUE(s.ok()) << s;
  return out;
}

class BackupTest : public MemoryStoreTest {
 protected:
  // A restored data dir opened, with its memories.
  struct Opened {
    std::unique_ptr<Store> store;
    std::unique_ptr<tm::Memories> memories;
  };
  Opened Restore(const std::string& backup_dir, uint32_t id, const std::string& name) {
    Opened out;
    auto restored = RestoreBackup(backup_dir, id, tmp_.path(name));
    EXPECT_TRUE(restored.ok()) << restored.status();
    if (!restored.ok()) return out;
    auto s = Store::Open(tmp_.path(name));
    EXPECT_TRUE(s.ok()) << s.status();
    if (!s.ok()) return out;
    out.store = *std::move(s);
    auto m = tm::Memories::Open(*out.store, analyzer_, options_);
    EXPECT_TRUE(m.ok()) << m.status();
    if (m.ok()) out.memories = *std::move(m);
    return out;
  }
};

TEST_F(BackupTest, BackupsDuringBulkAddsRestoreWholeBatches) {
  // Small index buffers: the adds buffer index entries, write some as
  // ingested files on the background thread, and leave some in memory.
  options_.index_buffer_units = 1500;
  options_.index_file_min_units = 300;
  Reopen();
  Create("m");
  constexpr int kCalls = 30, kPerCall = 1000;  // one WriteBatch a call (under 4000 units)
  std::atomic<int> calls_done{0};
  std::thread adder([&] {
    for (int c = 0; c < kCalls; ++c) {
      std::vector<Unit> units = Numbered(c * kPerCall, (c + 1) * kPerCall);
      for (Unit& u : units) {
        u.created_by = "ann";
        u.attributes.project = "p" + std::to_string(c % 3);
        u.context.prev = "before " + u.target;
      }
      Add("m", std::move(units), DuplicatePolicy::kKeepAll);
      calls_done.fetch_add(1);
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });
  while (calls_done.load() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const std::string backups = tmp_.path("backups");
  std::vector<uint32_t> during;
  while (calls_done.load() < kCalls) {
    auto b = CreateBackup(*store_, backups);
    ASSERT_TRUE(b.ok()) << b.status();
    during.push_back(b->info.id);
  }
  adder.join();
  auto last = CreateBackup(*store_, backups);
  ASSERT_TRUE(last.ok()) << last.status();
  ASSERT_FALSE(during.empty());
  // Incremental: the last backup copied less than it holds.
  EXPECT_LT(last->added_bytes, last->info.size_bytes);
  EXPECT_EQ(last->info.format_version, kFormatVersion);

  auto listed = ListBackups(backups);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->size(), during.size() + 1);
  EXPECT_EQ(listed->back().id, last->info.id);

  const std::vector<Unit> source = AllUnits(*memories_, "m");
  ASSERT_EQ(source.size(), static_cast<size_t>(kCalls * kPerCall));
  // The first backup taken during the adds, one in the middle, and the last.
  std::vector<uint32_t> checked = {during.front(), during[during.size() / 2], last->info.id};
  // Few backups fit in the adds on a busy machine: each is restored once.
  std::sort(checked.begin(), checked.end());
  checked.erase(std::unique(checked.begin(), checked.end()), checked.end());
  size_t partial = 0;
  for (uint32_t id : checked) {
    SCOPED_TRACE(id);
    Opened r = Restore(backups, id, "restored-" + std::to_string(id));
    ASSERT_NE(r.memories, nullptr);
    const std::vector<Unit> units = AllUnits(*r.memories, "m");
    // A whole number of calls (each one atomic batch), ids 1..k as in the source.
    EXPECT_EQ(units.size() % kPerCall, 0u);
    ASSERT_LE(units.size(), source.size());
    if (units.size() < source.size()) ++partial;
    auto info = r.memories->GetMemory("m");
    ASSERT_TRUE(info.ok());
    EXPECT_EQ(info->units, units.size());
    for (size_t i = 0; i < units.size(); ++i) ExpectSameUnit(units[i], source[i]);
    // Every index entry is there: exact lookups of sampled units find them,
    // the indexed lookup equals the exhaustive scan, concordance counts.
    for (size_t i = 0; i < units.size(); i += 997) {
      auto found = r.memories->Lookup([&] {
        tm::LookupRequest req;
        req.memories = {"m"};
        req.text = units[i].source;
        req.options.threshold = 100;
        return req;
      }());
      ASSERT_TRUE(found.ok()) << found.status();
      ASSERT_FALSE(found->matches.empty()) << units[i].source;
      EXPECT_EQ(found->matches[0].unit.id, units[i].id);
    }
    tm::ConcordanceRequest c;
    c.memory = "m";
    c.text = "batch";
    c.page_size = 1000;
    auto hits = r.memories->Concordance(c);
    ASSERT_TRUE(hits.ok());
    EXPECT_EQ(hits->hits.size(), std::min<size_t>(1000, units.size()));
    // The restored memory takes new units after the last one.
    if (!units.empty()) {
      auto added = r.memories->AddUnits("m", {U("a new unit", "جديد")}, DuplicatePolicy::kKeepAll);
      ASSERT_TRUE(added.ok());
      EXPECT_EQ(added->at(0).id, units.back().id + 1);
    }
  }
  // The last backup holds everything.
  Opened full = Restore(backups, 0, "restored-latest");
  ASSERT_NE(full.memories, nullptr);
  EXPECT_EQ(AllUnits(*full.memories, "m").size(), source.size());
  std::cout << "backups during the adds: " << during.size() << ", restored partially: " << partial << "\n";
}

TEST_F(BackupTest, SecondBackupCopiesOnlyNewFiles) {
  Create("m");
  Add("m", Numbered(0, 3000));
  const std::string dir = tmp_.path("b");
  auto first = CreateBackup(*store_, dir);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->info.id, 1u);
  EXPECT_GT(first->added_bytes, 0u);
  Add("m", Numbered(3000, 3010));
  auto second = CreateBackup(*store_, dir);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->info.id, 2u);
  EXPECT_LT(second->added_bytes, first->added_bytes);
  EXPECT_GT(second->info.created_at_us, 0);
}

TEST_F(BackupTest, BadBackupDirsAreRefusedWithClearErrors) {
  auto relative = CreateBackup(*store_, "backups");
  EXPECT_EQ(relative.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(relative.status().message().find("absolute"), std::string_view::npos);
  EXPECT_EQ(CreateBackup(*store_, "").status().code(), absl::StatusCode::kInvalidArgument);

  auto inside = CreateBackup(*store_, tmp_.path("data/backups"));
  EXPECT_EQ(inside.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(inside.status().message().find("inside the data dir"), std::string_view::npos);
  EXPECT_EQ(CreateBackup(*store_, tmp_.path("data")).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CreateBackup(*store_, tmp_.path("data/../data/x")).status().code(),
            absl::StatusCode::kInvalidArgument);

  std::ofstream(tmp_.path("a-file")) << "x";
  EXPECT_EQ(CreateBackup(*store_, tmp_.path("a-file")).status().code(),
            absl::StatusCode::kFailedPrecondition);
  fs::create_directories(tmp_.path("other"));
  std::ofstream(tmp_.path("other/notes.txt")) << "mine";
  auto foreign = CreateBackup(*store_, tmp_.path("other"));
  EXPECT_EQ(foreign.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(foreign.status().message().find("notes.txt"), std::string_view::npos);
  EXPECT_TRUE(fs::exists(tmp_.path("other/notes.txt")));

  // A backup already running into the directory (its lock held).
  ASSERT_TRUE(CreateBackup(*store_, tmp_.path("b")).ok());
  const int fd = ::open(tmp_.path("b/qantara-backup.lock").c_str(), O_RDWR);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
  auto busy = CreateBackup(*store_, tmp_.path("b"));
  EXPECT_EQ(busy.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(busy.status().message().find("another backup"), std::string_view::npos);
  ::close(fd);
  EXPECT_TRUE(CreateBackup(*store_, tmp_.path("b")).ok());

  EXPECT_EQ(ListBackups(tmp_.path("none")).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(ListBackups("rel").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(BackupTest, RestoreRefusesNonEmptyDirsAndUnknownIds) {
  Create("m");
  Add("m", Numbered(0, 10));
  const std::string dir = tmp_.path("b");
  ASSERT_TRUE(CreateBackup(*store_, dir).ok());
  fs::create_directories(tmp_.path("full"));
  std::ofstream(tmp_.path("full/keep")) << "x";
  auto not_empty = RestoreBackup(dir, 0, tmp_.path("full"));
  EXPECT_EQ(not_empty.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(not_empty.status().message().find("not empty"), std::string_view::npos);
  EXPECT_TRUE(fs::exists(tmp_.path("full/keep")));
  auto unknown = RestoreBackup(dir, 7, tmp_.path("new"));
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(unknown.status().message().find("its backups: 1"), std::string_view::npos);
  EXPECT_EQ(RestoreBackup(tmp_.path("nothing"), 0, tmp_.path("new")).status().code(),
            absl::StatusCode::kNotFound);
  // An empty existing directory is fine.
  fs::create_directories(tmp_.path("empty"));
  auto ok = RestoreBackup(dir, 1, tmp_.path("empty"));
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->id, 1u);
}

// A full disk: a 1 MiB tmpfs (skipped where mounting is not allowed).
TEST_F(BackupTest, DiskFullIsResourceExhaustedAndRemovesThePartialBackup) {
  Create("m");
  std::vector<Unit> units = Numbered(0, 20000);
  for (Unit& u : units) u.context.prev = std::string(100, 'x') + u.source;  // a few MB
  Add("m", std::move(units), DuplicatePolicy::kKeepAll);
  const std::string small = tmp_.path("small");
  fs::create_directories(small);
  if (::mount("tmpfs", small.c_str(), "tmpfs", 0, "size=1m") != 0) {
    GTEST_SKIP() << "cannot mount a tmpfs here: " << std::strerror(errno);
  }
  auto full = CreateBackup(*store_, small + "/b");
  uint64_t left = 0;
  for (const auto& e : fs::recursive_directory_iterator(small)) {
    if (e.is_regular_file()) left += e.file_size();
  }
  ::umount(small.c_str());
  EXPECT_EQ(full.status().code(), absl::StatusCode::kResourceExhausted) << full.status();
  EXPECT_NE(full.status().message().find("no space left"), std::string_view::npos);
  EXPECT_EQ(left, 0u);  // what the failed backup copied is gone (the lock file is empty)
}

// Opens `dir` with exactly the column families it has (plain RocksDB, as an
// older build would) and returns its format version.
std::string RawFormatVersion(const std::string& dir, size_t* cf_count) {
  std::vector<std::string> names;
  EXPECT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir, &names).ok());
  *cf_count = names.size();
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  for (const std::string& n : names) cfs.emplace_back(n, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  rocksdb::DBOptions options;
  options.create_missing_column_families = false;
  rocksdb::Status s = rocksdb::DB::Open(options, dir, cfs, &handles, &db);
  EXPECT_TRUE(s.ok()) << s.ToString();
  if (!s.ok()) return "";
  std::string version;
  for (size_t k = 0; k < names.size(); ++k) {
    if (names[k] == "meta") {
      EXPECT_TRUE(
          db->Get(rocksdb::ReadOptions(), handles[k], std::string(kMetaFormatVersionKey), &version).ok());
    }
  }
  for (auto* h : handles) EXPECT_TRUE(db->DestroyColumnFamilyHandle(h).ok());
  EXPECT_TRUE(db->Close().ok());
  delete db;
  return version;
}

TEST_F(BackupTest, Version2DataDirIsBackedUpBeforeTheUpgrade) {
  Create("legacy");
  Add("legacy", Numbered(0, 50));
  const std::vector<Unit> before = AllUnits(*memories_, "legacy");
  memories_.reset();
  ASSERT_TRUE(store_->Close().ok());
  store_.reset();
  const std::string dir = tmp_.path("data");
  {
    // Turn the dir into what a version-2 build leaves: no `lexicons` (nor
    // `access`), no index watermarks, format_version "2".
    MakeOlderFormat(dir, {"lexicons", "access", "requests"}, "2",
                    [](rocksdb::DB* db, const std::string& cf, rocksdb::ColumnFamilyHandle* h) {
                      if (cf != "memories") return;
                      std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), h));
                      for (it->SeekToFirst(); it->Valid(); it->Next()) {
                        if (it->key().starts_with("i")) {
                          ASSERT_TRUE(db->Delete(rocksdb::WriteOptions(), h, it->key()).ok());
                        }
                      }
                    });
  }
  size_t cf_count = 0;
  ASSERT_EQ(RawFormatVersion(dir, &cf_count), "2");
  ASSERT_EQ(cf_count, 7u);

  OpenAt(dir);  // upgrades, after the backup
  ASSERT_NE(memories_, nullptr);
  EXPECT_EQ(store_->Get(Cf::kMeta, kMetaFormatVersionKey)->value_or(""), std::to_string(kFormatVersion));
  const std::string pre = PreUpgradeBackupDir(dir, 2);
  EXPECT_EQ(pre, tmp_.path("data/backups/pre-upgrade-v2"));
  auto listed = ListBackups(pre);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->at(0).format_version, 2);
  const std::vector<Unit> after = AllUnits(*memories_, "legacy");
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < after.size(); ++i) ExpectSameUnit(after[i], before[i]);

  // The backup is the version-2 dir: a version-2 build (its column
  // families only) opens it, and this build upgrades it again.
  ASSERT_TRUE(RestoreBackup(pre, 0, tmp_.path("old")).ok());
  EXPECT_EQ(RawFormatVersion(tmp_.path("old"), &cf_count), "2");
  EXPECT_EQ(cf_count, 7u);
  Opened again = [&] {
    Opened o;
    o.store = *Store::Open(tmp_.path("old"));
    o.memories = *tm::Memories::Open(*o.store, analyzer_, options_);
    return o;
  }();
  EXPECT_EQ(AllUnits(*again.memories, "legacy").size(), before.size());
  EXPECT_TRUE(fs::exists(PreUpgradeBackupDir(tmp_.path("old"), 2)));

  // An upgraded dir is not backed up again at the next open.
  Reopen();
  EXPECT_EQ(ListBackups(pre)->size(), 1u);
}

TEST(BackupUpgradeTest, Version1DataDirIsBackedUp) {
  TempDir tmp;
  const std::string dir = tmp.path("v1");
  fs::create_directories(dir);
  {
    rocksdb::DBOptions options;
    options.create_if_missing = true;
    options.create_missing_column_families = true;
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs = {{"default", {}}, {"meta", {}}};
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* db = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(options, dir, cfs, &handles, &db).ok());
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), handles[1], std::string(kMetaFormatVersionKey), "1").ok());
    for (auto* h : handles) ASSERT_TRUE(db->DestroyColumnFamilyHandle(h).ok());
    ASSERT_TRUE(db->Close().ok());
    delete db;
  }
  auto store = Store::Open(dir);
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ((*store)->Get(Cf::kMeta, kMetaFormatVersionKey)->value_or(""), std::to_string(kFormatVersion));
  auto listed = ListBackups(PreUpgradeBackupDir(dir, 1));
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_EQ(listed->at(0).format_version, 1);
}

}  // namespace
}  // namespace qantara::storage::testing
