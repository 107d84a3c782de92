// The CLI's exit codes and error lines (clients/cli/exit_status.h), and the
// run functions' failures without a server: an unreachable address is
// UNAVAILABLE (exit 1), input refused before sending is INVALID_ARGUMENT (2).
#include "clients/cli/exit_status.h"

#include "clients/cli/args.h"
#include "clients/cli/commands.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace qantara::cli {
namespace {

using ::testing::HasSubstr;

TEST(ExitStatusTest, Codes) {
  EXPECT_EQ(ExitCodeFor(absl::OkStatus()), kExitOk);
  EXPECT_EQ(ExitCodeFor(absl::UnavailableError("down")), kExitFailed);
  EXPECT_EQ(ExitCodeFor(absl::DeadlineExceededError("slow")), kExitFailed);
  EXPECT_EQ(ExitCodeFor(absl::NotFoundError("no memory")), kExitFailed);
  EXPECT_EQ(ExitCodeFor(absl::InvalidArgumentError("bad text")), kExitUsage);
}

TEST(ExitStatusTest, FromGrpcKeepsCodeAndMessage) {
  const absl::Status s = FromGrpc(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "not UTF-8"));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "not UTF-8");
  EXPECT_TRUE(FromGrpc(grpc::Status::OK).ok());
  EXPECT_EQ(ExitCodeFor(FromGrpc(grpc::Status(grpc::StatusCode::UNAVAILABLE, "x"))), kExitFailed);
}

TEST(ExitStatusTest, Messages) {
  const GlobalOptions options{"example:7", 2, "", ""};
  EXPECT_THAT(RpcErrorMessage(options, "lookup", absl::UnavailableError("x")),
              HasSubstr("lookup: server example:7 is unreachable"));
  // The client's own deadline (gRPC's message) or a quiet stream (IdleWatchdog).
  EXPECT_EQ(RpcErrorMessage(options, "add", absl::DeadlineExceededError("Deadline Exceeded")),
            "add: no answer from example:7 within 2 s (--timeout)");
  EXPECT_THAT(RpcErrorMessage(options, "import", absl::DeadlineExceededError("no answer")),
              HasSubstr("(--timeout)"));
  // The server ended a stalled stream: its reason is kept.
  EXPECT_EQ(RpcErrorMessage(options, "export", absl::DeadlineExceededError("the export stalled for 60s")),
            "export: the export stalled for 60s");
  EXPECT_EQ(RpcErrorMessage(options, "memory show", absl::NotFoundError("no memory 'x'")),
            "memory show: no memory 'x'");
}

TEST(ExitStatusTest, UnreachableServerIsUnavailable) {
  const GlobalOptions options{"127.0.0.1:1", 2, "", ""};  // nothing listens on port 1
  LookupArgs args;
  args.memories = {"tm"};
  absl::StatusOr<qantara::v1::LookupResponse> resp = RunLookup(options, args, "نص");
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(ExitCodeFor(resp.status()), kExitFailed);
}

TEST(ExitStatusTest, BadInputIsInvalidArgumentBeforeAnyCall) {
  const GlobalOptions options{"127.0.0.1:1", 2, "", ""};
  TokenizeArgs tokenize;
  tokenize.lang = "ar";
  tokenize.rules.rules = "alef,no_such_rule";
  absl::StatusOr<qantara::v1::TokenizeResponse> tokens = RunTokenize(options, tokenize, "نص");
  EXPECT_EQ(tokens.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ExitCodeFor(tokens.status()), kExitUsage);

  AddArgs add;
  add.memory = "tm";
  add.texts = {"a", "b"};
  add.policy = "sometimes";
  absl::StatusOr<qantara::v1::AddUnitResponse> added = RunAddUnit(options, add);
  EXPECT_EQ(added.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ExitCodeFor(added.status()), kExitUsage);
}

}  // namespace
}  // namespace qantara::cli
