// The status matchers themselves: what they match, and what they say.
#include "tests/testing/status_matchers.h"

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace qantara::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(IsOkTest, MatchesOkStatusAndValue) {
  EXPECT_THAT(absl::OkStatus(), IsOk());
  EXPECT_THAT(absl::StatusOr<int>(3), IsOk());
}

TEST(IsOkTest, RejectsErrors) {
  EXPECT_THAT(absl::NotFoundError("gone"), Not(IsOk()));
  EXPECT_THAT(absl::StatusOr<int>(absl::InternalError("boom")), Not(IsOk()));
}

TEST(StatusIsTest, MatchesCode) {
  EXPECT_THAT(absl::NotFoundError("gone"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(absl::NotFoundError("gone"), Not(StatusIs(absl::StatusCode::kInternal)));
  EXPECT_THAT(absl::OkStatus(), StatusIs(absl::StatusCode::kOk));
  EXPECT_THAT(absl::StatusOr<std::string>("x"), StatusIs(absl::StatusCode::kOk));
  EXPECT_THAT(absl::StatusOr<std::string>(absl::AbortedError("busy")), StatusIs(absl::StatusCode::kAborted));
}

TEST(StatusIsTest, MatchesMessage) {
  const absl::Status s = absl::InvalidArgumentError("bad byte at 7");
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument, "bad byte at 7"));
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("at 7")));
  EXPECT_THAT(s, Not(StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("at 8"))));
  EXPECT_THAT(s, Not(StatusIs(absl::StatusCode::kNotFound, HasSubstr("at 7"))));
}

TEST(StatusMatchersTest, DescribeAndExplain) {
  const absl::Status s = absl::NotFoundError("no memory 4");
  ::testing::StringMatchResultListener listener;
  EXPECT_FALSE(::testing::ExplainMatchResult(IsOk(), s, &listener));
  EXPECT_THAT(listener.str(), HasSubstr("NOT_FOUND: no memory 4"));

  const auto m = StatusIs(absl::StatusCode::kInternal, HasSubstr("disk"));
  EXPECT_THAT(::testing::DescribeMatcher<absl::Status>(m),
              HasSubstr("has status code INTERNAL and a message that has substring \"disk\""));
  EXPECT_THAT(::testing::DescribeMatcher<absl::Status>(m, /*negation=*/true),
              HasSubstr("has a status code other than INTERNAL"));
  EXPECT_THAT(::testing::DescribeMatcher<absl::Status>(IsOk()), "is OK");
}

}  // namespace
}  // namespace qantara::testing
