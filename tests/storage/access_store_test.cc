// AccessStore (format version 4's `access` column family) on a real RocksDB:
// the record encoding, persistence across a reopen, and corrupt records.
#include "storage/access_store.h"

#include <filesystem>

#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "storage/backup.h"
#include "storage/store.h"
#include "tests/storage/older_format.h"
#include "tests/storage/temp_dir.h"

namespace qantara::storage {
namespace {

TokenRecord Sample(const std::string& id, const std::string& name) {
  TokenRecord r;
  r.id = id;
  r.name = name;
  r.secret_hash = std::string(32, '\x7f');
  r.role = 2;
  r.memories = {"acme/*", "مذكرة"};
  r.created_at_us = 1700000000123456;
  r.expires_at_us = 1800000000000000;
  r.created_by = "admin";
  return r;
}

TEST(TokenEncodingTest, RoundTripAndTruncations) {
  const TokenRecord r = Sample("0123456789abcdef", "alice");
  const std::string enc = EncodeTokenRecord(r);
  absl::StatusOr<TokenRecord> back = DecodeTokenRecord(r.id, enc);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, r);
  for (size_t n = 0; n < enc.size(); ++n) {
    EXPECT_EQ(DecodeTokenRecord(r.id, enc.substr(0, n)).status().code(), absl::StatusCode::kDataLoss)
        << "truncated at " << n;
  }
  EXPECT_EQ(DecodeTokenRecord(r.id, enc + "x").status().code(), absl::StatusCode::kDataLoss);
  std::string bad = enc;
  bad[0] = 9;  // an unknown value version
  absl::Status s = DecodeTokenRecord(r.id, bad).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(s.message().find("0123456789abcdef"), std::string::npos) << s;  // names the record
}

TEST(AccessStoreTest, PutListAndReopen) {
  testing::TempDir tmp;
  {
    auto store = Store::Open(tmp.path("data"));
    ASSERT_TRUE(store.ok()) << store.status();
    AccessStore access(**store);
    auto empty = access.ListTokens();
    ASSERT_TRUE(empty.ok()) << empty.status();
    EXPECT_TRUE(empty->empty());
    ASSERT_TRUE(access.PutToken(Sample("bb", "bob")).ok());
    ASSERT_TRUE(access.PutToken(Sample("aa", "alice")).ok());
    TokenRecord revoked = Sample("bb", "bob");
    revoked.revoked_at_us = 1750000000000000;
    ASSERT_TRUE(access.PutToken(revoked).ok());  // replaces
    EXPECT_EQ(access.PutToken(Sample("", "x")).code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(access.PutToken(Sample(std::string(65, 'a'), "x")).code(), absl::StatusCode::kInvalidArgument);
    ASSERT_TRUE((*store)->Close().ok());
  }
  auto store = Store::Open(tmp.path("data"));
  ASSERT_TRUE(store.ok()) << store.status();
  AccessStore access(**store);
  auto list = access.ListTokens();
  ASSERT_TRUE(list.ok()) << list.status();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0], Sample("aa", "alice"));  // by id
  EXPECT_EQ((*list)[1].name, "bob");
  EXPECT_EQ((*list)[1].revoked_at_us, 1750000000000000);
  // A corrupt record is reported, naming it, not skipped.
  ASSERT_TRUE((*store)->Put(Cf::kAccess, "tcc", "\x01garbage").ok());
  auto bad = access.ListTokens();
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(bad.status().message().find("'cc'"), std::string::npos) << bad.status();
  ASSERT_TRUE((*store)->Close().ok());
}

// A version-3 data dir (no `access`) is backed up, then upgraded in place:
// the column family is created empty and format_version becomes 4.
TEST(AccessStoreUpgradeTest, Version3DataDirIsUpgraded) {
  testing::TempDir tmp;
  const std::string dir = tmp.path("v3");
  {
    auto store = Store::Open(dir);
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_TRUE((*store)->Put(Cf::kMeta, "some-key", "kept").ok());
    ASSERT_TRUE((*store)->Close().ok());
  }
  testing::MakeOlderFormat(dir, {"access", "requests"}, "3");
  auto store = Store::Open(dir);
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ((*store)->Get(Cf::kMeta, "format_version")->value_or(""), std::to_string(kFormatVersion));
  EXPECT_EQ((*store)->Get(Cf::kMeta, "some-key")->value_or(""), "kept");
  EXPECT_TRUE(std::filesystem::exists(PreUpgradeBackupDir(dir, 3)));
  AccessStore access(**store);
  auto list = access.ListTokens();
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_TRUE(list->empty());
  ASSERT_TRUE(access.PutToken(Sample("aa", "alice")).ok());
  ASSERT_TRUE((*store)->Close().ok());
}

}  // namespace
}  // namespace qantara::storage
