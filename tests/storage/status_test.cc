// FromRocks: RocksDB statuses become absl codes a client can act on.
#include "storage/internal/status.h"

#include "gtest/gtest.h"

namespace qantara::storage {
namespace {

TEST(FromRocksTest, ADiskFullIsResourceExhaustedAndSaysSo) {
  absl::Status s = FromRocks(rocksdb::Status::NoSpace("No space left on device"), "write units");
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(s.message().find("disk of the data dir is full"), std::string::npos) << s;
  EXPECT_NE(s.message().find("write units"), std::string::npos) << s;
  // A space limit of RocksDB's SstFileManager is a full disk too.
  absl::Status limit = FromRocks(rocksdb::Status::SpaceLimit("max_allowed_space_usage"), "write");
  EXPECT_EQ(limit.code(), absl::StatusCode::kResourceExhausted) << limit;
}

TEST(FromRocksTest, CorruptionIsDataLossAndOtherIoErrorsInternal) {
  EXPECT_EQ(FromRocks(rocksdb::Status::Corruption("bad block"), "read").code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(FromRocks(rocksdb::Status::IOError("EIO"), "read").code(), absl::StatusCode::kInternal);
}

}  // namespace
}  // namespace qantara::storage
