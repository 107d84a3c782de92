// qantara-server's gRPC limits (service/server/grpc_limits.h): the message
// limit derived from the request limits, and the admission pools of the flags.
#include "service/server/grpc_limits.h"

#include "gtest/gtest.h"

namespace qantara::server {
namespace {

TEST(GrpcLimitsTest, TheMessageLimitFollowsTheDocumentLimit) {
  tm::RequestLimits r;  // 16 MiB documents: two of them and 1 MiB
  EXPECT_EQ(MessageLimitBytes(0, r), size_t{33} << 20);
  r.max_document_bytes = 1000;
  EXPECT_EQ(MessageLimitBytes(0, r), size_t{4} << 20);  // at least 4 MiB
  r.max_document_bytes = size_t{64} << 20;
  EXPECT_EQ(MessageLimitBytes(0, r), size_t{129} << 20);
  EXPECT_EQ(MessageLimitBytes(128, r), size_t{128} << 20);  // set explicitly
}

TEST(GrpcLimitsTest, AdmissionPoolsOfTheFlags) {
  GrpcLimitFlags f;
  rpc::AdmissionConfig c = AdmissionConfigOf(f);
  EXPECT_GE(c.heavy.slots, 1u);  // half the cores, at least 1
  EXPECT_EQ(c.heavy.flag, "--max-heavy-calls");
  EXPECT_EQ(c.streams.slots, 32u);
  EXPECT_EQ(c.streams.flag, "--max-streams");
  EXPECT_EQ(c.stream_stall, absl::Seconds(120));
  f.max_heavy_calls = 3;
  f.stream_stall_s = 0.5;
  c = AdmissionConfigOf(f);
  EXPECT_EQ(c.heavy.slots, 3u);
  EXPECT_EQ(c.stream_stall, absl::Milliseconds(500));
}

}  // namespace
}  // namespace qantara::server
