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
  // RocksDB also reports a full disk as an IOError with the NoSpace subcode.
  absl::Status io = FromRocks(rocksdb::Status::IOError(rocksdb::Status::kNoSpace, "append"), "write");
  EXPECT_EQ(io.code(), absl::StatusCode::kResourceExhausted) << io;
}

TEST(FromRocksTest, CorruptionIsDataLossAndOtherIoErrorsInternal) {
  EXPECT_EQ(FromRocks(rocksdb::Status::Corruption("bad block"), "read").code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(FromRocks(rocksdb::Status::IOError("EIO"), "read").code(), absl::StatusCode::kInternal);
}

}  // namespace
}  // namespace qantara::storage
