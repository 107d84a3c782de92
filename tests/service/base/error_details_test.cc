// The error-details payloads of service/base/error_details.h: set, read
// back, kept by copies and WithMessage, never set on OK.
#include "service/base/error_details.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace qantara {
namespace {

TEST(ErrorDetailsTest, FieldErrorCarriesFieldAndReason) {
  absl::Status s = FieldError("filter.min_alignment_confidence",
                              "filter.min_alignment_confidence must be 0 to 1", "VALUE_OUT_OF_RANGE");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "filter.min_alignment_confidence must be 0 to 1");
  EXPECT_EQ(ErrorField(s), "filter.min_alignment_confidence");
  EXPECT_EQ(ErrorReason(s), "VALUE_OUT_OF_RANGE");
  EXPECT_EQ(ErrorReason(FieldError("x", "x: bad")), "INVALID_ARGUMENT");
  EXPECT_EQ(ErrorField(WithFieldPrefix(FieldError("source", "source: bad"), "unit")), "unit.source");
  EXPECT_FALSE(ErrorField(WithFieldPrefix(absl::InvalidArgumentError("bad"), "unit")).has_value());
}

TEST(ErrorDetailsTest, EveryPayloadReadsBack) {
  absl::Status s = absl::ResourceExhaustedError("over the limit");
  s = WithReason(std::move(s), "RATE_LIMITED");
  s = WithRetryAfter(std::move(s), absl::Milliseconds(1500));
  s = WithQuota(std::move(s), "token 'a:b'", "10 calls a second");
  s = WithResource(std::move(s), "qantara.v1.Memory", "acme/legal");
  s = WithMetadata(std::move(s), "limit", "10");
  s = WithMetadata(std::move(s), "role", "reader");
  s = WithMetadata(std::move(s), "limit", "20");  // replaces
  const absl::Status copy = s;
  EXPECT_EQ(ErrorReason(copy), "RATE_LIMITED");
  EXPECT_EQ(RetryAfter(copy), absl::Milliseconds(1500));
  ASSERT_TRUE(ErrorQuota(copy).has_value());
  EXPECT_EQ(ErrorQuota(copy)->subject, "token 'a:b'");
  EXPECT_EQ(ErrorQuota(copy)->description, "10 calls a second");
  ASSERT_TRUE(ErrorResource(copy).has_value());
  EXPECT_EQ(ErrorResource(copy)->type, "qantara.v1.Memory");
  EXPECT_EQ(ErrorResource(copy)->name, "acme/legal");
  using KV = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(ErrorMetadata(copy), (KV{{"role", "reader"}, {"limit", "20"}}));
  EXPECT_FALSE(ErrorField(copy).has_value());

  const absl::Status renamed = WithMessage(copy, "Lookup: over the limit");
  EXPECT_EQ(renamed.message(), "Lookup: over the limit");
  EXPECT_EQ(renamed.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(ErrorReason(renamed), "RATE_LIMITED");
  EXPECT_EQ(RetryAfter(renamed), absl::Milliseconds(1500));
}

TEST(ErrorDetailsTest, NothingOnOkOrPlainStatuses) {
  EXPECT_TRUE(WithReason(absl::OkStatus(), "X").ok());
  EXPECT_TRUE(WithField(absl::OkStatus(), "x").ok());
  const absl::Status plain = absl::NotFoundError("no memory named 'm'");
  EXPECT_FALSE(ErrorReason(plain).has_value());
  EXPECT_FALSE(RetryAfter(plain).has_value());
  EXPECT_FALSE(ErrorQuota(plain).has_value());
  EXPECT_FALSE(ErrorResource(plain).has_value());
  EXPECT_TRUE(ErrorMetadata(plain).empty());
  // A payload that is not packed strings is ignored, not misread.
  absl::Status odd = plain;
  odd.SetPayload(kQuotaPayload, absl::Cord("99:short"));
  EXPECT_FALSE(ErrorQuota(odd).has_value());
}

}  // namespace
}  // namespace qantara
