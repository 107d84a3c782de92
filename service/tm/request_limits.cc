// The checks of service/tm/request_limits.h.
#include "service/tm/request_limits.h"

#include <cmath>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "service/base/error_details.h"
#include "service/base/status_macros.h"

namespace qantara::tm {
namespace {

// InvalidArgument unless `v` is a finite number in [lo, hi].
absl::Status CheckRange(const std::string& field, double v, double lo, double hi) {
  if (!std::isfinite(v) || v < lo || v > hi) {
    return FieldError(field,
                      absl::StrCat(field, " must be a number from ", lo, " to ", hi, ", not ",
                                   std::isnan(v) ? std::string("NaN") : absl::StrCat(v)),
                      "VALUE_OUT_OF_RANGE");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckCount(const char* what, size_t count, size_t max) {
  if (count > max) {
    // "text bytes" is about the field `text`.
    const absl::string_view w(what);
    const absl::string_view field = w.substr(0, w.find(' '));
    return WithMetadata(
        WithQuota(
            FieldError(field,
                       absl::StrCat(what, ": ", count, " is over this server's limit of ", max, " a request"),
                       "LIMIT_EXCEEDED"),
            what, absl::StrCat("at most ", max, " a request")),
        "limit", absl::StrCat(max));
  }
  return absl::OkStatus();
}

absl::Status CheckFilter(const match::UnitFilter& f, const char* field) {
  const std::string name(field);
  if (f.changed_after_us < 0) {
    return FieldError(name + ".changed_after_us", name + ".changed_after_us must not be negative",
                      "VALUE_OUT_OF_RANGE");
  }
  if (f.changed_before_us < 0) {
    return FieldError(name + ".changed_before_us", name + ".changed_before_us must not be negative",
                      "VALUE_OUT_OF_RANGE");
  }
  return CheckRange(name + ".min_alignment_confidence", f.min_alignment_confidence, 0, 1);
}

absl::Status CheckLookup(LookupRequest& request, const std::optional<RequestLimits>& limits) {
  if (request.memories.empty())
    return FieldError("memories", "memories: no memory to look in", "REQUIRED_FIELD");
  match::LookupOptions& o = request.options;
  QANTARA_RETURN_IF_ERROR(CheckRange("threshold", o.threshold, 0, 100));
  if (o.max_results == 0)
    return FieldError("max_results", "max_results must be at least 1", "VALUE_OUT_OF_RANGE");
  QANTARA_RETURN_IF_ERROR(CheckRange("memory_penalty", o.memory_penalty, 0, 100));
  for (const auto& [name, points] : request.memory_penalties) {
    QANTARA_RETURN_IF_ERROR(CheckRange(absl::StrCat("memory_penalties[", name, "]"), points, 0, 100));
  }
  for (const match::AttributePenalty& p : o.attribute_penalties) {
    QANTARA_RETURN_IF_ERROR(CheckRange(absl::StrCat("attribute_penalties[", p.key, "]"), p.points, 0, 100));
  }
  QANTARA_RETURN_IF_ERROR(CheckFilter(o.filter, "filter"));
  // A memory named twice would list its matches twice.
  absl::flat_hash_set<std::string> seen;
  std::vector<std::string> memories;
  for (std::string& m : request.memories) {
    if (seen.insert(m).second) memories.push_back(std::move(m));
  }
  request.memories = std::move(memories);
  if (!limits.has_value()) return absl::OkStatus();
  QANTARA_RETURN_IF_ERROR(CheckCount("memories", request.memories.size(), limits->max_lookup_memories));
  QANTARA_RETURN_IF_ERROR(CheckCount("max_results", o.max_results, limits->max_results));
  QANTARA_RETURN_IF_ERROR(CheckCount("text bytes", request.text.size(), limits->max_query_bytes));
  if (o.exhaustive && !limits->allow_exhaustive) {
    return FieldError("exhaustive",
                      "exhaustive: lookups that score every unit are off on this server (qantara-server "
                      "--allow-exhaustive)",
                      "FEATURE_DISABLED");
  }
  return absl::OkStatus();
}

absl::Status CheckQueryTokens(size_t tokens, const std::optional<RequestLimits>& limits) {
  if (!limits.has_value()) return absl::OkStatus();
  return CheckCount("text tokens", tokens, limits->max_query_tokens);
}

absl::Status CheckConcordance(const ConcordanceRequest& request, const std::optional<RequestLimits>& limits) {
  if (request.page_size == 0 || request.page_size > 1000) {
    return FieldError("page_size", absl::StrCat("page_size must be 1 to 1000, not ", request.page_size),
                      "VALUE_OUT_OF_RANGE");
  }
  QANTARA_RETURN_IF_ERROR(CheckFilter(request.filter, "filter"));
  if (!limits.has_value()) return absl::OkStatus();
  return CheckCount("text bytes", request.text.size(), limits->max_query_bytes);
}

absl::Status CheckFragments(const FragmentsRequest& request, const std::optional<RequestLimits>& limits) {
  if (request.max_fragments == 0 || request.max_fragments > kMaxMaxFragments) {
    return FieldError(
        "max_fragments",
        absl::StrCat("max_fragments must be 1 to ", kMaxMaxFragments, ", not ", request.max_fragments),
        "VALUE_OUT_OF_RANGE");
  }
  QANTARA_RETURN_IF_ERROR(CheckRange("min_confidence", request.min_confidence, 0, 1));
  QANTARA_RETURN_IF_ERROR(CheckFilter(request.filter, "filter"));
  if (!limits.has_value()) return absl::OkStatus();
  return CheckCount("text bytes", request.text.size(), limits->max_query_bytes);
}

}  // namespace qantara::tm
