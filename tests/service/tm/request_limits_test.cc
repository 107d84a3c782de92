// The checks of one request (service/tm/request_limits.h): numbers always
// (NaN, infinite, out of range), repeated memories removed, sizes only once
// a server set its limits; each refusal names the field and the limit.
#include "service/tm/request_limits.h"

#include <cmath>
#include <limits>
#include <string>

#include "gtest/gtest.h"
#include "service/base/error_details.h"
#include "tests/testing/status_matchers.h"

namespace qantara::tm {
namespace {

using ::qantara::testing::IsOk;
using ::qantara::testing::StatusIs;
using ::testing::HasSubstr;

LookupRequest Request() {
  LookupRequest r;
  r.memories = {"a"};
  r.text = "hello";
  return r;
}

TEST(RequestLimitsTest, NumbersAreCheckedWithOrWithoutLimits) {
  for (const std::optional<RequestLimits>& limits :
       {std::optional<RequestLimits>(), std::optional(RequestLimits{})}) {
    for (double bad : {std::nan(""), std::numeric_limits<double>::infinity(), -1.0, 100.5}) {
      LookupRequest r = Request();
      r.options.threshold = bad;
      EXPECT_THAT(CheckLookup(r, limits),
                  StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("threshold")));
      r = Request();
      r.options.memory_penalty = bad;
      EXPECT_THAT(CheckLookup(r, limits),
                  StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("memory_penalty")));
      r = Request();
      r.memory_penalties["a"] = bad;
      EXPECT_THAT(CheckLookup(r, limits),
                  StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("memory_penalties[a]")));
      r = Request();
      r.options.attribute_penalties.push_back({"project", "x", bad});
      EXPECT_THAT(CheckLookup(r, limits),
                  StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("attribute_penalties[project]")));
    }
    LookupRequest r = Request();
    r.options.max_results = 0;
    EXPECT_THAT(CheckLookup(r, limits),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("max_results")));
    r = Request();
    r.options.filter.min_alignment_confidence = 1.5;
    EXPECT_THAT(CheckLookup(r, limits),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("min_alignment")));
    r = Request();
    r.options.filter.changed_after_us = -1;
    EXPECT_THAT(CheckLookup(r, limits),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("changed_after")));
    r = Request();
    r.memories.clear();
    EXPECT_THAT(CheckLookup(r, limits), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("memories")));
    r = Request();
    r.options.threshold = 0;  // the edges: 0 and 100 are numbers in range
    EXPECT_THAT(CheckLookup(r, limits), IsOk());
  }
}

TEST(RequestLimitsTest, RepeatedMemoriesCountOnceInTheirFirstPlace) {
  LookupRequest r = Request();
  r.memories = {"b", "a", "b", "c", "a"};
  ASSERT_THAT(CheckLookup(r, std::nullopt), IsOk());
  EXPECT_EQ(r.memories, (std::vector<std::string>{"b", "a", "c"}));
}

TEST(RequestLimitsTest, SizesAreLimitedOnlyOnceAServerSetsLimits) {
  RequestLimits limits;
  limits.max_results = 10;
  limits.max_lookup_memories = 2;
  limits.max_query_bytes = 8;
  LookupRequest big = Request();
  big.options.max_results = 11;
  big.options.exhaustive = true;
  big.text = "a text of many bytes";
  big.memories = {"a", "b", "c", "a"};
  LookupRequest copy = big;
  EXPECT_THAT(CheckLookup(copy, std::nullopt), IsOk());  // in process: any size
  copy = big;
  EXPECT_THAT(CheckLookup(copy, limits), StatusIs(absl::StatusCode::kInvalidArgument,
                                                  HasSubstr("memories: 3 is over this server's limit of 2")));
  big.memories = {"a", "b", "a"};  // two once repeats are removed
  copy = big;
  EXPECT_THAT(CheckLookup(copy, limits),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("max_results: 11 is over this server's limit of 10")));
  big.options.max_results = 10;
  copy = big;
  EXPECT_THAT(CheckLookup(copy, limits),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("text bytes: 20 is over this server's limit of 8")));
  big.text = "short";
  copy = big;
  EXPECT_THAT(CheckLookup(copy, limits),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--allow-exhaustive")));
  limits.allow_exhaustive = true;
  copy = big;
  EXPECT_THAT(CheckLookup(copy, limits), IsOk());
  EXPECT_THAT(CheckQueryTokens(limits.max_query_tokens + 1, limits),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(CheckQueryTokens(limits.max_query_tokens + 1, std::nullopt), IsOk());

  ConcordanceRequest c;
  c.memory = "a";
  c.text = "a long concordance phrase";
  EXPECT_THAT(CheckConcordance(c, std::nullopt), IsOk());
  EXPECT_THAT(CheckConcordance(c, limits),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("text bytes")));
  c.text = "short";
  c.page_size = 1001;
  EXPECT_THAT(CheckConcordance(c, std::nullopt),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_size")));
}

// The error details (service/base/error_details.h): the field, the reason,
// and for a cap the quota.
TEST(RequestLimitsTest, RefusalsNameTheFieldAndReason) {
  LookupRequest r = Request();
  r.options.threshold = std::nan("");
  absl::Status s = CheckLookup(r, std::nullopt);
  EXPECT_EQ(ErrorField(s), "threshold");
  EXPECT_EQ(ErrorReason(s), "VALUE_OUT_OF_RANGE");
  r = Request();
  r.options.filter.min_alignment_confidence = 2;
  EXPECT_EQ(ErrorField(CheckLookup(r, std::nullopt)), "filter.min_alignment_confidence");

  RequestLimits limits;
  limits.max_results = 10;
  r = Request();
  r.options.max_results = 11;
  s = CheckLookup(r, limits);
  EXPECT_EQ(ErrorField(s), "max_results");
  EXPECT_EQ(ErrorReason(s), "LIMIT_EXCEEDED");
  ASSERT_TRUE(ErrorQuota(s).has_value());
  EXPECT_EQ(ErrorQuota(s)->subject, "max_results");
  EXPECT_EQ(ErrorQuota(s)->description, "at most 10 a request");
  EXPECT_EQ(ErrorField(CheckCount("text bytes", 9, 8)), "text");

  ConcordanceRequest c;
  c.page_size = 0;
  s = CheckConcordance(c, std::nullopt);
  EXPECT_EQ(ErrorField(s), "page_size");
  EXPECT_EQ(ErrorReason(s), "VALUE_OUT_OF_RANGE");
}

}  // namespace
}  // namespace qantara::tm
