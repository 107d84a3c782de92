// RequestStore (format version 5's `requests` column family) and unit
// revisions on a real RocksDB: records, expiry, persistence, and the upgrade
// of a version-4 data dir whose unit records carry no revision.
#include "storage/request_store.h"

#include <filesystem>

#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "storage/backup.h"
#include "storage/internal/encoding.h"
#include "storage/store.h"
#include "tests/storage/memory_store_fixture.h"
#include "tests/storage/older_format.h"
#include "tests/storage/temp_dir.h"

namespace qantara::storage {
namespace {

RequestRecord Sample(const std::string& scope, const std::string& id, int64_t time_us) {
  RequestRecord r;
  r.scope = scope;
  r.id = id;
  r.time_us = time_us;
  r.method = "AddUnit";
  r.request_hash = 0x0123456789abcdefULL;
  r.response = std::string("\x08\x01\x10\x07", 4);
  return r;
}

TEST(RequestStoreTest, RecordsByScopeSurviveAReopenAndExpire) {
  testing::TempDir tmp;
  const std::string dir = tmp.path("data");
  {
    auto store = Store::Open(dir);
    ASSERT_TRUE(store.ok()) << store.status();
    RequestStore requests(**store);
    ASSERT_TRUE(requests.Put(Sample("alice", "r1", 1000)).ok());
    ASSERT_TRUE(requests.Put(Sample("bob", "r1", 5000)).ok());
    // Scopes do not collide even when scope + id spell the same bytes.
    ASSERT_TRUE(requests.Put(Sample("alic", "er1", 6000)).ok());
    EXPECT_EQ(requests.Put(Sample("alice", "", 1)).code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(requests.Put(Sample("alice", std::string(129, 'x'), 1)).code(),
              absl::StatusCode::kInvalidArgument);
    ASSERT_TRUE((*store)->Close().ok());
  }
  auto store = Store::Open(dir);
  ASSERT_TRUE(store.ok()) << store.status();
  RequestStore requests(**store);
  auto a = requests.Get("alice", "r1");
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(a->has_value());
  EXPECT_EQ(**a, Sample("alice", "r1", 1000));
  auto b = requests.Get("bob", "r1");
  ASSERT_TRUE(b.ok() && b->has_value());
  EXPECT_EQ((*b)->time_us, 5000);
  auto c = requests.Get("alic", "er1");
  ASSERT_TRUE(c.ok() && c->has_value());
  EXPECT_EQ((*c)->time_us, 6000);
  EXPECT_FALSE(requests.Get("carol", "r1")->has_value());

  // Expiry: records that ended before 5,500 us go, oldest first, `max` a call.
  auto n = requests.DeleteBefore(5500, 1);
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(*n, 1u);
  EXPECT_FALSE(requests.Get("alice", "r1")->has_value());
  EXPECT_TRUE(requests.Get("bob", "r1")->has_value());
  n = requests.DeleteBefore(5500, 100);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 1u);
  EXPECT_FALSE(requests.Get("bob", "r1")->has_value());
  EXPECT_TRUE(requests.Get("alic", "er1")->has_value());

  // A record replaced by a newer call outlives the old one's expiry entry.
  ASSERT_TRUE(requests.Put(Sample("dan", "r9", 100)).ok());
  ASSERT_TRUE(requests.Put(Sample("dan", "r9", 9000)).ok());
  n = requests.DeleteBefore(8000, 100);
  ASSERT_TRUE(n.ok());
  EXPECT_TRUE(requests.Get("dan", "r9")->has_value());
  ASSERT_TRUE((*store)->Close().ok());
}

TEST(RequestStoreTest, CorruptRecordsAreDataLoss) {
  const RequestRecord r = Sample("s", "id", 42);
  std::string key = "r";
  PutString(key, r.scope);
  key += r.id;
  const std::string enc = EncodeRequestRecord(r);
  auto back = DecodeRequestRecord(key, enc);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, r);
  for (size_t n = 0; n < enc.size(); ++n) {
    EXPECT_EQ(DecodeRequestRecord(key, enc.substr(0, n)).status().code(), absl::StatusCode::kDataLoss) << n;
  }
  EXPECT_EQ(DecodeRequestRecord(key, enc + "x").status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(DecodeRequestRecord("r\x7f", enc).status().code(), absl::StatusCode::kDataLoss);
}

TEST(UnitRevisionEncodingTest, RecordsWithoutARevisionReadAsRevisionOne) {
  match::Unit u;
  u.source = "مرحبا";
  u.target = "hello";
  u.revision = 7;
  const std::string enc = EncodeUnit(u);
  auto back = DecodeUnit(1, enc);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->revision, 7u);
  // A version-4 record ends after usage_count: the revision's one byte cut.
  auto old = DecodeUnit(1, enc.substr(0, enc.size() - 1));
  ASSERT_TRUE(old.ok()) << old.status();
  EXPECT_EQ(old->revision, 1u);
  // Revision 0 is not one storage writes.
  u.revision = 0;
  EXPECT_EQ(DecodeUnit(1, EncodeUnit(u)).status().code(), absl::StatusCode::kDataLoss);
}

class UnitRevisionUpgradeTest : public testing::MemoryStoreFixture {
 protected:
  void SetUp() override { OpenAt(tmp_.path("data")); }
};

TEST_F(UnitRevisionUpgradeTest, AVersion4DataDirIsUpgradedAndItsUnitsStartAtRevisionOne) {
  ASSERT_TRUE(memories_->CreateMemory(tm::NewMemory{"m", "en", "ar", ""}).ok());
  match::Unit u;
  u.source = "the court";
  u.target = "المحكمة";
  auto added = memories_->AddUnits("m", {u}, DuplicatePolicy::kKeepAll);
  ASSERT_TRUE(added.ok()) << added.status();
  const uint64_t id = added->at(0).id;
  memories_.reset();
  ASSERT_TRUE(store_->Close().ok());
  store_.reset();
  // What a version-4 build left: no `requests`, unit values without the
  // trailing revision.
  const std::string dir = tmp_.path("data");
  testing::MakeOlderFormat(
      dir, {"requests"}, "4", [](rocksdb::DB* db, const std::string& name, rocksdb::ColumnFamilyHandle* cf) {
        if (name != "units") return;
        std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), cf));
        for (it->SeekToFirst(); it->Valid(); it->Next()) {
          std::string v = it->value().ToString();
          v.pop_back();  // revision 1 is one varint byte
          ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), cf, it->key(), v).ok());
        }
      });
  OpenAt(dir);
  EXPECT_EQ(store_->Get(Cf::kMeta, "format_version")->value_or(""), std::to_string(kFormatVersion));
  EXPECT_TRUE(std::filesystem::exists(PreUpgradeBackupDir(dir, 4)));
  auto got = memories_->GetUnit("m", id);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->revision, 1u);
  EXPECT_EQ(got->target, "المحكمة");
  match::Unit changed = *got;
  changed.target = "محكمة";
  auto updated = memories_->UpdateUnit("m", changed);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->revision, 2u);
  RequestStore requests(*store_);
  ASSERT_TRUE(requests.Put(Sample("", "after-upgrade", 1)).ok());
}

}  // namespace
}  // namespace qantara::storage
