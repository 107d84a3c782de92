// ToGrpcStatus: what a client sees of a failure: the code, a bounded
// message without the server's paths, and for internal errors only a
// request id (the details go to the server's log); the google.rpc.Status
// of its error details.
#include "service/rpc/grpc_status.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "service/base/error_details.h"

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

// The google.rpc.Status of `s`'s error details, and its details unpacked.
struct Details {
  google::rpc::Status status;
  std::optional<google::rpc::ErrorInfo> info;
  std::optional<google::rpc::BadRequest> bad_request;
  std::optional<google::rpc::RetryInfo> retry;
  std::optional<google::rpc::QuotaFailure> quota;
  std::optional<google::rpc::ResourceInfo> resource;
  int count = 0;
};

Details Parse(const grpc::Status& s) {
  Details d;
  EXPECT_TRUE(d.status.ParseFromString(s.error_details())) << s.error_message();
  EXPECT_EQ(d.status.code(), static_cast<int>(s.error_code()));
  EXPECT_EQ(d.status.message(), s.error_message());
  for (const google::protobuf::Any& any : d.status.details()) {
    ++d.count;
    if (any.Is<google::rpc::ErrorInfo>()) {
      any.UnpackTo(&d.info.emplace());
    } else if (any.Is<google::rpc::BadRequest>()) {
      any.UnpackTo(&d.bad_request.emplace());
    } else if (any.Is<google::rpc::RetryInfo>()) {
      any.UnpackTo(&d.retry.emplace());
    } else if (any.Is<google::rpc::QuotaFailure>()) {
      any.UnpackTo(&d.quota.emplace());
    } else if (any.Is<google::rpc::ResourceInfo>()) {
      any.UnpackTo(&d.resource.emplace());
    } else {
      ADD_FAILURE() << "unexpected detail " << any.type_url();
    }
  }
  EXPECT_TRUE(d.info.has_value()) << s.error_message();
  if (d.info.has_value()) {
    EXPECT_EQ(d.info->domain(), "qantara.v1");
  }
  return d;
}

std::string FieldOf(const Details& d) {
  if (!d.bad_request.has_value() || d.bad_request->field_violations_size() != 1) return "(none)";
  return d.bad_request->field_violations(0).field();
}

TEST(GrpcStatusTest, DefaultDetailsByCode) {
  ConfigureClientErrors("/srv/qantara/data/", [](const std::string&) {});
  Details d = Parse(ToGrpcStatus(absl::AlreadyExistsError("memory 'm' exists")));
  EXPECT_EQ(d.info->reason(), "ALREADY_EXISTS");
  EXPECT_EQ(d.count, 1);

  // The field an INVALID_ARGUMENT message starts with.
  for (const auto& [message, field] : std::vector<std::pair<std::string, std::string>>{
           {"page_size must be 1 to 1000, not 0", "page_size"},
           {"filter.min_alignment_confidence must be 0 to 1", "filter.min_alignment_confidence"},
           {"unit.source: invalid UTF-8 at byte 3", "unit.source"},
           {"units[3].target is empty", "units[3].target"},
           {"memory is required", "memory"},
           {"the first Import message must be `start`", "(none)"},
           {"text bytes: 5 is over this server's limit", "(none)"},
           {"Source: capitalised is not a field", "(none)"},
       }) {
    d = Parse(ToGrpcStatus(absl::InvalidArgumentError(message)));
    EXPECT_EQ(d.info->reason(), "INVALID_ARGUMENT") << message;
    EXPECT_EQ(FieldOf(d), field) << message;
    if (d.bad_request.has_value()) {
      EXPECT_EQ(d.bad_request->field_violations(0).description(), message);
    }
  }
  // Not for other codes.
  EXPECT_EQ(FieldOf(Parse(ToGrpcStatus(absl::FailedPreconditionError("memory is busy")))), "(none)");

  // Not found: the memory or unit the message names.
  d = Parse(ToGrpcStatus(absl::NotFoundError("no memory named 'acme/legal'")));
  EXPECT_EQ(d.info->reason(), "MEMORY_NOT_FOUND");
  ASSERT_TRUE(d.resource.has_value());
  EXPECT_EQ(d.resource->resource_type(), "qantara.v1.Memory");
  EXPECT_EQ(d.resource->resource_name(), "acme/legal");
  d = Parse(ToGrpcStatus(absl::NotFoundError("no unit 42")));
  EXPECT_EQ(d.info->reason(), "UNIT_NOT_FOUND");
  ASSERT_TRUE(d.resource.has_value());
  EXPECT_EQ(d.resource->resource_type(), "qantara.v1.Unit");
  EXPECT_EQ(d.resource->resource_name(), "42");
  d = Parse(ToGrpcStatus(absl::NotFoundError("no backup 7")));
  EXPECT_EQ(d.info->reason(), "NOT_FOUND");
  EXPECT_FALSE(d.resource.has_value());

  // Retry: UNAVAILABLE, and what says "retry".
  d = Parse(ToGrpcStatus(absl::UnavailableError("writes are off: the disk is full")));
  ASSERT_TRUE(d.retry.has_value());
  EXPECT_EQ(d.retry->retry_delay().seconds(), 1);
  EXPECT_TRUE(
      Parse(ToGrpcStatus(absl::ResourceExhaustedError("too many calls; retry later"))).retry.has_value());
  EXPECT_FALSE(Parse(ToGrpcStatus(absl::ResourceExhaustedError("disk full"))).retry.has_value());
}

TEST(GrpcStatusTest, DetailsFromPayloads) {
  ConfigureClientErrors("/srv/qantara/data/", [](const std::string&) {});
  absl::Status limited = absl::ResourceExhaustedError("token 'a' is over its limit; retry in 1.5 s");
  limited = WithReason(std::move(limited), "RATE_LIMITED");
  limited = WithRetryAfter(std::move(limited), absl::Milliseconds(1500));
  limited = WithQuota(std::move(limited), "token 'a'", "10 calls a second (reader tokens)");
  limited = WithMetadata(std::move(limited), "role", "reader");
  Details d = Parse(ToGrpcStatus(limited));
  EXPECT_EQ(d.info->reason(), "RATE_LIMITED");
  EXPECT_EQ(d.info->metadata().at("role"), "reader");
  ASSERT_TRUE(d.retry.has_value());
  EXPECT_EQ(d.retry->retry_delay().seconds(), 1);
  EXPECT_EQ(d.retry->retry_delay().nanos(), 500000000);
  ASSERT_TRUE(d.quota.has_value());
  ASSERT_EQ(d.quota->violations_size(), 1);
  EXPECT_EQ(d.quota->violations(0).subject(), "token 'a'");
  EXPECT_EQ(d.quota->violations(0).description(), "10 calls a second (reader tokens)");
  EXPECT_FALSE(d.bad_request.has_value());

  // A field payload wins over the message's words.
  d = Parse(ToGrpcStatus(FieldError("threshold", "the threshold must be 0 to 100", "VALUE_OUT_OF_RANGE")));
  EXPECT_EQ(d.info->reason(), "VALUE_OUT_OF_RANGE");
  EXPECT_EQ(FieldOf(d), "threshold");

  d = Parse(ToGrpcStatus(
      WithResource(WithReason(absl::NotFoundError("gone"), "TOKEN_NOT_FOUND"), "qantara.v1.Token", "t1")));
  EXPECT_EQ(d.info->reason(), "TOKEN_NOT_FOUND");
  ASSERT_TRUE(d.resource.has_value());
  EXPECT_EQ(d.resource->resource_name(), "t1");
}

TEST(GrpcStatusTest, DetailsHideTheDataDirAndInternalDetail) {
  ConfigureClientErrors("/srv/qantara/data/", [](const std::string&) {});
  absl::Status s = WithMetadata(absl::FailedPreconditionError("backup dir /srv/qantara/data/b is inside"),
                                "path", "/srv/qantara/data/b");
  s = WithQuota(std::move(s), "/srv/qantara/data", "disk of /srv/qantara/data");
  grpc::Status g = ToGrpcStatus(s);
  EXPECT_EQ(g.error_details().find("/srv/qantara"), std::string::npos);
  Details d = Parse(g);
  EXPECT_EQ(d.info->metadata().at("path"), "the data dir/b");

  // Internal errors: reason INTERNAL and the request id, nothing else, even
  // with payloads.
  g = ToGrpcStatus(WithField(WithReason(absl::InternalError("/srv/qantara/data/000042.sst: bad"), "X"), "f"));
  EXPECT_EQ(g.error_details().find("000042"), std::string::npos);
  d = Parse(g);
  EXPECT_EQ(d.info->reason(), "INTERNAL");
  ASSERT_EQ(d.info->metadata().size(), 1u);
  const std::string id = d.info->metadata().at("request_id");
  EXPECT_EQ(id.size(), 16u);
  EXPECT_NE(g.error_message().find(id), std::string::npos);
  EXPECT_EQ(d.count, 1);
  EXPECT_EQ(Parse(ToGrpcStatus(absl::DataLossError("x"))).info->reason(), "INTERNAL");
  EXPECT_EQ(Parse(ToGrpcStatus(absl::UnknownError("x"))).info->reason(), "INTERNAL");

  // Long client strings stay bounded in the details too.
  const std::string huge(1 << 20, 'k');
  g = ToGrpcStatus(WithResource(absl::NotFoundError(absl::StrCat("no memory named '", huge, "'")),
                                "qantara.v1.Memory", huge));
  EXPECT_LE(g.error_details().size(), 4096u);
  EXPECT_EQ(Parse(g).info->reason(), "MEMORY_NOT_FOUND");
}

TEST(GrpcStatusTest, WithErrorDetailsFillsInPlainStatuses) {
  ConfigureClientErrors("/srv/qantara/data/", [](const std::string&) {});
  grpc::Status plain(grpc::StatusCode::INVALID_ARGUMENT, "memory is required");
  grpc::Status filled = WithErrorDetails(plain);
  EXPECT_EQ(filled.error_message(), plain.error_message());
  Details d = Parse(filled);
  EXPECT_EQ(d.info->reason(), "INVALID_ARGUMENT");
  EXPECT_EQ(FieldOf(d), "memory");
  // Statuses with details, and OK, are left alone.
  const grpc::Status already = ToGrpcStatus(FieldError("x", "bad x", "R"));
  EXPECT_EQ(WithErrorDetails(already).error_details(), already.error_details());
  EXPECT_TRUE(WithErrorDetails(grpc::Status::OK).ok());
  EXPECT_EQ(Parse(WithErrorDetails(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"))).info->reason(),
            "CANCELLED");
}

}  // namespace
}  // namespace qantara::rpc
