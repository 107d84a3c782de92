// The CLI's exit codes and error lines (clients/cli/exit_status.h), and the
// run functions' failures without a server: an unreachable address is
// UNAVAILABLE (exit 1), input refused before sending is INVALID_ARGUMENT (2).
#include "clients/cli/exit_status.h"

#include "clients/cli/args.h"
#include "clients/cli/commands.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
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

// The server's error details (google.rpc.Status in the status's binary
// details): the reason and field follow the message.
TEST(ExitStatusTest, ErrorDetailsFollowTheMessage) {
  google::rpc::Status details;
  details.set_code(3);
  details.set_message("threshold must be a number from 0 to 100, not 200");
  google::rpc::ErrorInfo info;
  info.set_reason("VALUE_OUT_OF_RANGE");
  info.set_domain("qantara.v1");
  details.add_details()->PackFrom(info);
  google::rpc::BadRequest bad;
  bad.add_field_violations()->set_field("threshold");
  details.add_details()->PackFrom(bad);
  const absl::Status s = FromGrpc(
      grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, details.message(), details.SerializeAsString()));
  EXPECT_EQ(s.message(), details.message());
  const GlobalOptions options{"example:7", 2, "", ""};
  EXPECT_EQ(RpcErrorMessage(options, "lookup", s),
            "lookup: threshold must be a number from 0 to 100, not 200 [reason VALUE_OUT_OF_RANGE, field "
            "threshold]");
  // A reason that is the code's name adds nothing.
  google::rpc::Status plain;
  plain.set_code(5);
  info.set_reason("NOT_FOUND");
  plain.add_details()->PackFrom(info);
  EXPECT_EQ(RpcErrorMessage(options, "memory show",
                            FromGrpc(grpc::Status(grpc::StatusCode::NOT_FOUND, "no backup 7",
                                                  plain.SerializeAsString()))),
            "memory show: no backup 7");
  // Details that do not parse are ignored.
  EXPECT_EQ(
      RpcErrorMessage(options, "x", FromGrpc(grpc::Status(grpc::StatusCode::NOT_FOUND, "gone", "\xff\xff"))),
      "x: gone");
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

// gRPC's messages for a channel that did not connect (gRPC 1.51), and the
// hints: TLS or not, which file to give.
TEST(ExitStatusTest, ConnectionFailuresHintAtTls) {
  const GlobalOptions plain{"h:7", 2};
  GlobalOptions tls{"h:7", 2};
  tls.tls.ca_file = "ca.pem";
  const absl::Status refused = absl::UnavailableError(
      "failed to connect to all addresses; last error: UNKNOWN: ipv4:127.0.0.1:1: Failed to connect to "
      "remote host: Connection refused");
  EXPECT_THAT(RpcErrorMessage(plain, "health", refused),
              HasSubstr("is unreachable (is qantara-server running?"));
  EXPECT_THAT(RpcErrorMessage(tls, "health", refused), HasSubstr("is unreachable"));

  const absl::Status closed = absl::UnavailableError(
      "failed to connect to all addresses; last error: UNAVAILABLE: ipv4:127.0.0.1:36115: Socket closed");
  EXPECT_EQ(RpcErrorMessage(plain, "health", closed),
            "health: server h:7 closed the connection (UNAVAILABLE: ipv4:127.0.0.1:36115: Socket closed); if "
            "it serves TLS, give --tls-ca FILE (or --tls)");
  EXPECT_THAT(RpcErrorMessage(tls, "health", closed),
              HasSubstr("if it requires client certificates, give --tls-cert FILE --tls-key FILE"));
  GlobalOptions mtls = tls;
  mtls.tls.cert_file = "me.pem";
  mtls.tls.key_file = "me.key";
  EXPECT_THAT(RpcErrorMessage(mtls, "health", closed),
              HasSubstr("is --tls-cert me.pem signed by a CA the server trusts (--tls-client-ca)?"));

  const absl::Status plaintext_server = absl::UnavailableError(
      "failed to connect to all addresses; last error: UNKNOWN: ipv4:127.0.0.1:39753: Ssl handshake failed: "
      "SSL_ERROR_SSL: error:0A00010B:SSL routines::wrong version number");
  EXPECT_EQ(RpcErrorMessage(tls, "health", plaintext_server),
            "health: TLS handshake with h:7 failed: wrong version number (the server answered without TLS: "
            "leave out --tls/--tls-ca/--tls-cert if it serves plaintext)");
  const absl::Status untrusted = absl::UnavailableError(
      "failed to connect to all addresses; last error: UNKNOWN: ipv4:127.0.0.1:36115: Ssl handshake failed: "
      "SSL_ERROR_SSL: error:0A000086:SSL routines::certificate verify failed");
  EXPECT_EQ(RpcErrorMessage(tls, "health", untrusted),
            "health: TLS handshake with h:7 failed: certificate verify failed (its certificate is not signed "
            "by the CA in --tls-ca ca.pem)");
  GlobalOptions system_roots{"h:7", 2};
  system_roots.tls.requested = true;
  EXPECT_THAT(RpcErrorMessage(system_roots, "health", untrusted),
              HasSubstr("not signed by a CA this machine trusts: give --tls-ca FILE"));
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
