// A full disk: the store runs over a RocksDB FileSystem that fails writes
// with NoSpace on demand (writing half of what it was given first, as a
// real write(2) that runs out of room does), in the files a case names: the
// WAL (a foreground write fails), the SST files (a memtable flush fails in
// the background), or every file. While "full":
//   - every write fails with RESOURCE_EXHAUSTED naming the disk of the data
//     dir, and stores nothing of itself;
//   - Store::WritesAvailable() says so, and the watcher heard it;
//   - every unit acknowledged before is read back and found by a lookup.
// Once "space is freed" writes work again within a few seconds without
// reopening the store; the watcher hears that too; and after a reopen
// every acknowledged unit is there, nothing else.
//
// The WAL case checks the guard of storage/internal/write_health.h: without
// the entry kept in meta's memtable, the second failed WAL write (into the
// WAL the first Resume opened, every memtable empty) is resumed without a
// new WAL, and the next write aborts inside RocksDB (Debian's build asserts).
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "rocksdb/file_system.h"
#include "service/tm/memories.h"
#include "storage/internal/rocks.h"
#include "storage/internal/store_for_test.h"
#include "storage/store.h"
#include "tests/service/match/simple_analyzer.h"
#include "tests/storage/temp_dir.h"

namespace qantara::storage::testing {
namespace {

using rocksdb::IODebugContext;
using rocksdb::IOOptions;
using rocksdb::IOStatus;

// Which files a "full disk" fails.
enum class Full { kWal, kSst, kAll };

class NoSpaceFs final : public rocksdb::FileSystemWrapper {
 public:
  explicit NoSpaceFs(const std::shared_ptr<rocksdb::FileSystem>& base) : FileSystemWrapper(base) {}
  const char* Name() const override { return "NoSpaceFs"; }

  void SetFull(bool full, Full which = Full::kAll) {
    which_ = which;
    full_ = full;
  }
  int failed_writes() const { return failed_; }

  IOStatus NewWritableFile(const std::string& f, const rocksdb::FileOptions& o,
                           std::unique_ptr<rocksdb::FSWritableFile>* r, IODebugContext* dbg) override {
    IOStatus s = target()->NewWritableFile(f, o, r, dbg);
    if (s.ok()) *r = std::make_unique<File>(std::move(*r), this, f);
    return s;
  }

  IOStatus ReopenWritableFile(const std::string& f, const rocksdb::FileOptions& o,
                              std::unique_ptr<rocksdb::FSWritableFile>* r, IODebugContext* dbg) override {
    IOStatus s = target()->ReopenWritableFile(f, o, r, dbg);
    if (s.ok()) *r = std::make_unique<File>(std::move(*r), this, f);
    return s;
  }

  IOStatus ReuseWritableFile(const std::string& f, const std::string& old, const rocksdb::FileOptions& o,
                             std::unique_ptr<rocksdb::FSWritableFile>* r, IODebugContext* dbg) override {
    IOStatus s = target()->ReuseWritableFile(f, old, o, r, dbg);
    if (s.ok()) *r = std::make_unique<File>(std::move(*r), this, f);
    return s;
  }

 private:
  // Whether a write to `name` fails now.
  bool Fails(const std::string& name) const {
    if (!full_) return false;
    switch (which_.load()) {
      case Full::kWal: return absl::EndsWith(name, ".log");
      case Full::kSst: return absl::EndsWith(name, ".sst");
      case Full::kAll: return true;
    }
    return true;
  }

  class File final : public rocksdb::FSWritableFileOwnerWrapper {
   public:
    File(std::unique_ptr<rocksdb::FSWritableFile> f, NoSpaceFs* fs, std::string name)
        : FSWritableFileOwnerWrapper(std::move(f)), fs_(fs), name_(std::move(name)) {}
    IOStatus Append(const rocksdb::Slice& data, const IOOptions& o, IODebugContext* dbg) override {
      if (!fs_->Fails(name_)) return target()->Append(data, o, dbg);
      return Half(data, o, dbg);
    }
    IOStatus Append(const rocksdb::Slice& data, const IOOptions& o, const rocksdb::DataVerificationInfo& v,
                    IODebugContext* dbg) override {
      if (!fs_->Fails(name_)) return target()->Append(data, o, v, dbg);
      return Half(data, o, dbg);
    }
    IOStatus PositionedAppend(const rocksdb::Slice& data, uint64_t offset, const IOOptions& o,
                              IODebugContext* dbg) override {
      if (!fs_->Fails(name_)) return target()->PositionedAppend(data, offset, o, dbg);
      return NoSpace();
    }
    IOStatus PositionedAppend(const rocksdb::Slice& data, uint64_t offset, const IOOptions& o,
                              const rocksdb::DataVerificationInfo& v, IODebugContext* dbg) override {
      if (!fs_->Fails(name_)) return target()->PositionedAppend(data, offset, o, v, dbg);
      return NoSpace();
    }

   private:
    // What write(2) does when the disk fills up midway: part is written.
    IOStatus Half(const rocksdb::Slice& data, const IOOptions& o, IODebugContext* dbg) {
      if (data.size() > 1) {
        IOStatus s = target()->Append(rocksdb::Slice(data.data(), data.size() / 2), o, dbg);
        s.PermitUncheckedError();
      }
      return NoSpace();
    }
    IOStatus NoSpace() {
      ++fs_->failed_;
      return IOStatus::NoSpace("While appending to file: " + name_, "No space left on device (test)");
    }
    NoSpaceFs* fs_;
    std::string name_;
  };

  std::atomic<bool> full_{false};
  std::atomic<Full> which_{Full::kAll};
  std::atomic<int> failed_{0};
};

Unit U(const std::string& source, const std::string& target) {
  Unit u;
  u.source = source;
  u.target = target;
  return u;
}

// Unit k: a unique source ("unit kN ...") and its target.
Unit MakeUnit(int k) {
  return U(absl::StrCat("unit k", k, " the contract shall enter into force"),
           absl::StrCat("target ", k, " of the contract"));
}

// What the watcher heard, in order.
class Heard {
 public:
  void Add(const absl::Status& s) {
    absl::MutexLock l(&mu_);
    codes_.push_back(s.code());
  }
  std::vector<absl::StatusCode> codes() {
    absl::MutexLock l(&mu_);
    return codes_;
  }
  // Waits up to `timeout` for `code` to be the last heard.
  bool WaitFor(absl::StatusCode code, absl::Duration timeout) {
    absl::MutexLock l(&mu_);
    auto last_is = [&] { return !codes_.empty() && codes_.back() == code; };
    const absl::Time deadline = absl::Now() + timeout;
    while (!last_is() && absl::Now() < deadline) mu_.AwaitWithDeadline(absl::Condition(&last_is), deadline);
    return last_is();
  }

 private:
  absl::Mutex mu_;
  std::vector<absl::StatusCode> codes_ ABSL_GUARDED_BY(mu_);
};

class DiskFullTest : public ::testing::TestWithParam<std::tuple<Full, bool>> {
 protected:
  match::testing::SimpleAnalyzer analyzer_;
  TempDir tmp_;
};

TEST_P(DiskFullTest, WritesFailThenResumeByThemselvesNothingLost) {
  const auto [which, sync_writes] = GetParam();
  auto fs = std::make_shared<NoSpaceFs>(rocksdb::FileSystem::Default());
  const std::string dir = tmp_.path("data");
  auto store = internal::OpenStoreForTest(dir, StoreOptions{.sync_writes = sync_writes}, fs);
  ASSERT_TRUE(store.ok()) << store.status();
  Heard heard;
  (*store)->WatchWrites([&](const absl::Status& s) { heard.Add(s); });
  auto memories = tm::Memories::Open(**store, analyzer_);
  ASSERT_TRUE(memories.ok()) << memories.status();
  tm::Memories& mems = **memories;
  ASSERT_TRUE(mems.CreateMemory(NewMemory{"m", "en", "ar", ""}).ok());

  std::map<uint64_t, Unit> acked;  // id -> unit
  int next = 0;
  auto add = [&](int n) -> absl::Status {
    std::vector<Unit> units;
    for (int i = 0; i < n; ++i) units.push_back(MakeUnit(next++));
    auto out = mems.AddUnits("m", units, DuplicatePolicy::kSkipIdentical);
    if (!out.ok()) return out.status();
    for (size_t i = 0; i < units.size(); ++i) {
      EXPECT_EQ((*out)[i].kind, AddOutcome::kAdded);
      acked[(*out)[i].id] = units[i];
    }
    return absl::OkStatus();
  };
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(add(5).ok());
  EXPECT_TRUE((*store)->WritesAvailable().ok());

  // The disk fills up.
  fs->SetFull(true, which);
  if (which == Full::kSst) {
    // Writes go on until a flush needs room: then they stop.
    internal::RocksHandles& rocks = internal::Rocks(**store);
    rocksdb::Status flushed = rocks.db->Flush(rocksdb::FlushOptions(), rocks.cf(Cf::kUnits));
    EXPECT_TRUE(flushed.IsNoSpace()) << flushed.ToString();
  }
  absl::Status failed = add(5);
  EXPECT_EQ(failed.code(), absl::StatusCode::kResourceExhausted) << failed;
  EXPECT_TRUE(absl::StrContains(failed.message(), "the disk of the data dir is full")) << failed;
  for (int i = 0; i < 3; ++i) {
    absl::Status again = add(1);
    EXPECT_EQ(again.code(), absl::StatusCode::kResourceExhausted) << again;
  }
  EXPECT_EQ(mems.CreateMemory(NewMemory{"other", "en", "ar", ""}).status().code(),
            absl::StatusCode::kResourceExhausted);
  EXPECT_GT(fs->failed_writes(), 0);
  // A sync of the failed WAL (an index write syncs it before ingesting
  // files) fails instead of aborting (DB::SyncWAL would abort).
  EXPECT_EQ(internal::SyncWal(internal::Rocks(**store).db).code(), absl::StatusCode::kResourceExhausted);
  const absl::Status state = (*store)->WritesAvailable();
  EXPECT_EQ(state.code(), absl::StatusCode::kResourceExhausted) << state;
  EXPECT_TRUE(absl::StrContains(state.message(), absl::StrCat("the disk of the data dir ", dir, " is full")))
      << state;
  EXPECT_TRUE(heard.WaitFor(absl::StatusCode::kResourceExhausted, absl::Seconds(5)));

  // Reads are served: every acknowledged unit, by id and by lookup.
  for (const auto& [id, unit] : acked) {
    auto got = mems.GetUnit("m", id);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(got->source, unit.source);
  }
  tm::LookupRequest lookup;
  lookup.memories = {"m"};
  lookup.text = acked.begin()->second.source;
  auto found = mems.Lookup(lookup);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_FALSE(found->matches.empty());
  EXPECT_EQ(found->matches[0].unit.id, acked.begin()->first);
  // Still full a second later (a Resume was tried). With only the WAL
  // failing, the Resume succeeds (its flush writes SST files) and the next
  // write fails again.
  std::this_thread::sleep_for(std::chrono::milliseconds(1300));
  if (which != Full::kWal) {
    EXPECT_EQ((*store)->WritesAvailable().code(), absl::StatusCode::kResourceExhausted);
  }
  EXPECT_EQ(add(1).code(), absl::StatusCode::kResourceExhausted);

  // Space is freed: writes work again by themselves.
  fs->SetFull(false);
  const auto freed = std::chrono::steady_clock::now();
  absl::Status resumed = absl::UnknownError("not tried");
  while (std::chrono::steady_clock::now() - freed < std::chrono::seconds(10)) {
    if (resumed = add(1); resumed.ok()) break;
    EXPECT_EQ(resumed.code(), absl::StatusCode::kResourceExhausted) << resumed;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - freed).count();
  ASSERT_TRUE(resumed.ok()) << resumed;
  std::printf("writes resumed %.2f s after space was freed\n", seconds);
  EXPECT_LT(seconds, 5.0);
  EXPECT_TRUE((*store)->WritesAvailable().ok());
  EXPECT_TRUE(heard.WaitFor(absl::StatusCode::kOk, absl::Seconds(5)));
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(add(5).ok());
  ASSERT_TRUE(mems.CreateMemory(NewMemory{"other", "en", "ar", ""}).ok());
  // Heard: OK, RESOURCE_EXHAUSTED (again with each new error's message;
  // with only the WAL failing, OK and RESOURCE_EXHAUSTED in turn), OK.
  const std::vector<absl::StatusCode> codes = heard.codes();
  ASSERT_GE(codes.size(), 3u);
  EXPECT_EQ(codes.front(), absl::StatusCode::kOk);
  EXPECT_EQ(codes[1], absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(codes.back(), absl::StatusCode::kOk);
  for (absl::StatusCode code : codes) {
    EXPECT_TRUE(code == absl::StatusCode::kOk || code == absl::StatusCode::kResourceExhausted) << code;
  }

  memories->reset();
  EXPECT_TRUE((*store)->Close().ok());
  store->reset();

  // Reopened: every acknowledged unit, nothing else.
  auto reopened = Store::Open(dir, StoreOptions{.create_if_missing = false});
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  auto again = tm::Memories::Open(**reopened, analyzer_);
  ASSERT_TRUE(again.ok()) << again.status();
  std::map<uint64_t, Unit> present;
  ASSERT_TRUE((*again)
                  ->ScanUnits("m", 0,
                              [&](const Unit& u) {
                                present[u.id] = u;
                                return absl::OkStatus();
                              })
                  .ok());
  ASSERT_EQ(present.size(), acked.size());
  for (const auto& [id, unit] : acked) {
    ASSERT_TRUE(present.contains(id)) << "acknowledged unit " << id << " lost";
    EXPECT_EQ(present[id].source, unit.source);
    EXPECT_EQ(present[id].target, unit.target);
  }
  auto info = (*again)->GetMemory("m");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->units, acked.size());
  lookup.text = acked.rbegin()->second.source;
  found = (*again)->Lookup(lookup);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_FALSE(found->matches.empty());
  EXPECT_EQ(found->matches[0].unit.id, acked.rbegin()->first);
}

// Closed while the disk is still full (the server stopped before space was
// freed): the close reports the full disk or succeeds, never aborts, and
// every acknowledged unit is there at the next open.
TEST(DiskFullCloseTest, ClosedWhileFullLosesNothing) {
  match::testing::SimpleAnalyzer analyzer;
  TempDir tmp;
  auto fs = std::make_shared<NoSpaceFs>(rocksdb::FileSystem::Default());
  const std::string dir = tmp.path("data");
  auto store = internal::OpenStoreForTest(dir, StoreOptions{}, fs);
  ASSERT_TRUE(store.ok()) << store.status();
  auto memories = tm::Memories::Open(**store, analyzer);
  ASSERT_TRUE(memories.ok()) << memories.status();
  ASSERT_TRUE((*memories)->CreateMemory(NewMemory{"m", "en", "ar", ""}).ok());
  std::vector<Unit> units;
  for (int k = 0; k < 50; ++k) units.push_back(MakeUnit(k));
  auto added = (*memories)->AddUnits("m", units, DuplicatePolicy::kSkipIdentical);
  ASSERT_TRUE(added.ok()) << added.status();
  fs->SetFull(true);
  EXPECT_EQ((*memories)->AddUnits("m", {MakeUnit(50)}, DuplicatePolicy::kSkipIdentical).status().code(),
            absl::StatusCode::kResourceExhausted);
  memories->reset();
  const absl::Status closed = (*store)->Close();
  EXPECT_TRUE(closed.ok() || absl::IsResourceExhausted(closed)) << closed;
  store->reset();
  fs->SetFull(false);

  auto reopened = Store::Open(dir, StoreOptions{.create_if_missing = false});
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  auto again = tm::Memories::Open(**reopened, analyzer);
  ASSERT_TRUE(again.ok()) << again.status();
  for (size_t i = 0; i < units.size(); ++i) {
    auto got = (*again)->GetUnit("m", (*added)[i].id);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(got->source, units[i].source);
  }
  auto info = (*again)->GetMemory("m");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->units, units.size());
}

// The disk fills up at many points of a bulk load whose index buffer is
// written into ingested files in the background (its SST files, the WAL
// sync before the ingestion, the MANIFEST edit of the ingestion may each
// meet the full disk); once space is back, writes resume, the buffered
// index is written at close, and every acknowledged unit is there.
TEST(DiskFullIndexTest, FullDuringIndexFilesThenResumed) {
  match::testing::SimpleAnalyzer analyzer;
  for (int round = 0; round < 4; ++round) {
    SCOPED_TRACE(absl::StrCat("round ", round));
    TempDir tmp;
    auto fs = std::make_shared<NoSpaceFs>(rocksdb::FileSystem::Default());
    const std::string dir = tmp.path("data");
    auto store = internal::OpenStoreForTest(dir, StoreOptions{.sync_writes = round % 2 == 1}, fs);
    ASSERT_TRUE(store.ok()) << store.status();
    MemoryStoreOptions options;
    options.index_buffer_units = 300;
    options.index_file_min_units = 100;
    auto memories = tm::Memories::Open(**store, analyzer, options);
    ASSERT_TRUE(memories.ok()) << memories.status();
    ASSERT_TRUE((*memories)->CreateMemory(NewMemory{"m", "en", "ar", ""}).ok());
    std::map<uint64_t, Unit> acked;
    int next = 0, failed = 0;
    const int fill_at = 250 + round * 70;  // units added before the disk fills up
    for (int call = 0; call < 40 && failed < 3; ++call) {
      if (next >= fill_at) fs->SetFull(true);
      std::vector<Unit> units;
      for (int i = 0; i < 50; ++i) units.push_back(MakeUnit(next++));
      auto out = (*memories)->AddUnits("m", units, DuplicatePolicy::kSkipIdentical);
      if (!out.ok()) {
        ++failed;
        continue;
      }
      for (size_t i = 0; i < units.size(); ++i) acked[(*out)[i].id] = units[i];
    }
    fs->SetFull(false);
    bool resumed = false;
    for (int i = 0; i < 500 && !resumed; ++i) {
      std::vector<Unit> units = {MakeUnit(next++)};
      auto out = (*memories)->AddUnits("m", units, DuplicatePolicy::kSkipIdentical);
      if (out.ok()) {
        acked[(*out)[0].id] = units[0];
        resumed = true;
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    }
    ASSERT_TRUE(resumed);
    for (int call = 0; call < 8; ++call) {
      std::vector<Unit> units;
      for (int i = 0; i < 50; ++i) units.push_back(MakeUnit(next++));
      auto out = (*memories)->AddUnits("m", units, DuplicatePolicy::kSkipIdentical);
      ASSERT_TRUE(out.ok()) << out.status();
      for (size_t i = 0; i < units.size(); ++i) acked[(*out)[i].id] = units[i];
    }
    memories->reset();
    EXPECT_TRUE((*store)->Close().ok());
    store->reset();
    auto reopened = Store::Open(dir, StoreOptions{.create_if_missing = false});
    ASSERT_TRUE(reopened.ok()) << reopened.status();
    auto again = tm::Memories::Open(**reopened, analyzer);
    ASSERT_TRUE(again.ok()) << again.status();
    for (const auto& [id, unit] : acked) {
      auto got = (*again)->GetUnit("m", id);
      ASSERT_TRUE(got.ok()) << got.status();
      EXPECT_EQ(got->source, unit.source);
    }
    tm::LookupRequest lookup;
    lookup.memories = {"m"};
    lookup.text = acked.rbegin()->second.source;
    auto found = (*again)->Lookup(lookup);
    ASSERT_TRUE(found.ok()) << found.status();
    ASSERT_FALSE(found->matches.empty());
    EXPECT_EQ(found->matches[0].unit.id, acked.rbegin()->first);
  }
}

std::string CaseName(const ::testing::TestParamInfo<std::tuple<Full, bool>>& info) {
  static const char* const kNames[] = {"Wal", "Sst", "All"};
  return absl::StrCat(kNames[static_cast<int>(std::get<0>(info.param))],
                      std::get<1>(info.param) ? "SyncWrites" : "");
}

INSTANTIATE_TEST_SUITE_P(Files, DiskFullTest,
                         ::testing::Values(std::make_tuple(Full::kWal, false),
                                           std::make_tuple(Full::kWal, true),
                                           std::make_tuple(Full::kSst, false),
                                           std::make_tuple(Full::kAll, true)),
                         CaseName);

}  // namespace
}  // namespace qantara::storage::testing
