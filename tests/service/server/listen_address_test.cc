// ParseListenAddress: host and port parsed, malformed addresses rejected.
#include "service/server/listen_address.h"

#include "gtest/gtest.h"

namespace qantara::server {
namespace {

TEST(ParseListenAddress, HostAndPort) {
  auto a = ParseListenAddress("127.0.0.1:50051");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 50051);
  auto zero = ParseListenAddress("localhost:0");
  ASSERT_TRUE(zero.ok());
  EXPECT_EQ(zero->port, 0);
  auto v6 = ParseListenAddress("[::1]:9000");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "[::1]");
}

TEST(ParseListenAddress, RejectsMalformed) {
  for (const char* bad : {"", "50051", ":50051", "host:", "host:port", "h:70000", "h:-1", "::1:80"}) {
    EXPECT_EQ(ParseListenAddress(bad).status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace qantara::server
