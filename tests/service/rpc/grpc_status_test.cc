// ToGrpcStatus: what a client sees of a failure: the code, a bounded
// message without the server's paths, and for internal errors only a
// request id (the details go to the server's log).
#include "service/rpc/grpc_status.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace qantara::rpc {
namespace {

std::vector<std::string>* logged = nullptr;

TEST(GrpcStatusTest, HidesTheDataDirAndInternalDetail) {
  std::vector<std::string> lines;
  logged = &lines;
  ConfigureClientErrors("/srv/qantara/data/", [](const std::string& line) { logged->push_back(line); });

  grpc::Status full = ToGrpcStatus(absl::ResourceExhaustedError(
      "write: the disk of the data dir /srv/qantara/data is full: IO error: /srv/qantara/data/000123.log"));
  EXPECT_EQ(full.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(full.error_message(),
            "write: the disk of the data dir is full: IO error: the data dir/000123.log");

  grpc::Status internal =
      ToGrpcStatus(absl::InternalError("read unit: IO error: /srv/qantara/data/000042.sst: bad block"));
  EXPECT_EQ(internal.error_code(), grpc::StatusCode::INTERNAL);
  EXPECT_EQ(internal.error_message().find("000042"), std::string::npos) << internal.error_message();
  EXPECT_NE(internal.error_message().find("request id "), std::string::npos) << internal.error_message();
  ASSERT_EQ(lines.size(), 1u);
  // The log line has the details and the same id.
  const std::string id =
      internal.error_message().substr(internal.error_message().find("request id ") + 11, 16);
  EXPECT_NE(lines[0].find(id), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("/srv/qantara/data/000042.sst: bad block"), std::string::npos) << lines[0];

  grpc::Status loss = ToGrpcStatus(absl::DataLossError("corrupt unit value"));
  EXPECT_EQ(loss.error_code(), grpc::StatusCode::DATA_LOSS);
  EXPECT_EQ(loss.error_message().rfind("data loss (request id ", 0), 0u) << loss.error_message();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(ToGrpcStatus(absl::InternalError("x")).error_message(), internal.error_message());  // new ids

  // Client errors keep their words; long ones are cut at a UTF-8 boundary.
  EXPECT_EQ(ToGrpcStatus(absl::NotFoundError("no memory named 'm'")).error_message(), "no memory named 'm'");
  grpc::Status longer = ToGrpcStatus(absl::InvalidArgumentError(std::string(5000, 'x')));
  EXPECT_LE(longer.error_message().size(), 1024u);
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
}

}  // namespace
}  // namespace qantara::rpc
