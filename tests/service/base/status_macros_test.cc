// The status macros: QANTARA_RETURN_IF_ERROR, QANTARA_ASSIGN_OR_RETURN
// (declaring, assigning move-only values, inside branches) and ignoring errors.
#include "service/base/status_macros.h"

#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/base/ignore_error.h"
#include "tests/testing/status_matchers.h"

namespace qantara {
namespace {

using ::qantara::testing::IsOk;
using ::qantara::testing::StatusIs;

absl::Status Step(bool ok, int* calls) {
  ++*calls;
  return ok ? absl::OkStatus() : absl::InternalError("step failed");
}

absl::Status TwoSteps(bool first_ok, bool second_ok, int* calls) {
  QANTARA_RETURN_IF_ERROR(Step(first_ok, calls));
  QANTARA_RETURN_IF_ERROR(Step(second_ok, calls));
  return absl::OkStatus();
}

TEST(ReturnIfErrorTest, ReturnsTheFirstErrorAndEvaluatesOnce) {
  int calls = 0;
  EXPECT_THAT(TwoSteps(true, true, &calls), IsOk());
  EXPECT_EQ(calls, 2);
  calls = 0;
  EXPECT_THAT(TwoSteps(false, true, &calls), StatusIs(absl::StatusCode::kInternal, "step failed"));
  EXPECT_EQ(calls, 1);
  calls = 0;
  EXPECT_THAT(TwoSteps(true, false, &calls), StatusIs(absl::StatusCode::kInternal));
  EXPECT_EQ(calls, 2);
}

absl::StatusOr<int> Parse(const std::string& s) {
  if (s.empty()) return absl::InvalidArgumentError("empty");
  return static_cast<int>(s.size());
}

absl::StatusOr<int> SumOfTwo(const std::string& a, const std::string& b) {
  QANTARA_ASSIGN_OR_RETURN(int x, Parse(a));
  QANTARA_ASSIGN_OR_RETURN(const int y, Parse(b));
  return x + y;
}

TEST(AssignOrReturnTest, DeclaresAndReturnsErrors) {
  EXPECT_THAT(SumOfTwo("ab", "c"), IsOk());
  EXPECT_EQ(*SumOfTwo("ab", "c"), 3);
  EXPECT_THAT(SumOfTwo("", "c"), StatusIs(absl::StatusCode::kInvalidArgument, "empty"));
  EXPECT_THAT(SumOfTwo("a", ""), StatusIs(absl::StatusCode::kInvalidArgument));
}

absl::StatusOr<std::unique_ptr<int>> MakeInt(int v) {
  if (v < 0) return absl::OutOfRangeError("negative");
  return std::make_unique<int>(v);
}

// Into an existing variable, from a move-only value, in a function returning Status.
absl::Status Store(int v, std::unique_ptr<int>* out) {
  QANTARA_ASSIGN_OR_RETURN(*out, MakeInt(v));
  return absl::OkStatus();
}

TEST(AssignOrReturnTest, AssignsExistingLvalueWithMoveOnlyValue) {
  std::unique_ptr<int> p;
  EXPECT_THAT(Store(7, &p), IsOk());
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(*p, 7);
  EXPECT_THAT(Store(-1, &p), StatusIs(absl::StatusCode::kOutOfRange, "negative"));
  EXPECT_EQ(*p, 7);  // untouched on error
}

TEST(AssignOrReturnTest, UsableInsideBranches) {
  auto f = [](bool use) -> absl::StatusOr<int> {
    if (use) QANTARA_RETURN_IF_ERROR(absl::CancelledError("stop"));
    return 1;
  };
  EXPECT_THAT(f(true), StatusIs(absl::StatusCode::kCancelled));
  EXPECT_THAT(f(false), IsOk());
}

TEST(IgnoreErrorTest, Compiles) {
  IgnoreError(absl::InternalError("x"), "nothing to do with it in this test");
}

}  // namespace
}  // namespace qantara
