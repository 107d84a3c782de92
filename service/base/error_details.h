// Machine-readable details of an error, carried as absl::Status payloads
// (type URLs under "type.qantara.dev/"), for any layer to attach where the
// error is made; service/rpc/grpc_status.cc turns them into google.rpc error
// details (ErrorInfo, BadRequest, RetryInfo, QuotaFailure, ResourceInfo) in
// the grpc-status-details-bin trailer. No proto dependency here.
//
//   return FieldError("threshold", "threshold must be 0 to 100", "VALUE_OUT_OF_RANGE");
//   return WithQuota(WithReason(absl::InvalidArgumentError(...), "LIMIT_EXCEEDED"),
//                    "max_results", "at most 1000 a request");
//
// Reasons are UPPER_SNAKE_CASE (README.md, "Errors", lists them). Payloads
// survive copies of the status, not a status rebuilt from its message.
#ifndef QANTARA_SERVICE_BASE_ERROR_DETAILS_H_
#define QANTARA_SERVICE_BASE_ERROR_DETAILS_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace qantara {

// The payloads' type URLs.
inline constexpr absl::string_view kReasonPayload = "type.qantara.dev/qantara.ErrorReason";
inline constexpr absl::string_view kMetadataPayload = "type.qantara.dev/qantara.ErrorMetadata";
inline constexpr absl::string_view kFieldPayload = "type.qantara.dev/qantara.FieldViolation";
inline constexpr absl::string_view kRetryPayload = "type.qantara.dev/qantara.RetryAfter";
inline constexpr absl::string_view kQuotaPayload = "type.qantara.dev/qantara.QuotaViolation";
inline constexpr absl::string_view kResourcePayload = "type.qantara.dev/qantara.Resource";

// The reason (UPPER_SNAKE_CASE), replacing any earlier one. An OK status is
// returned unchanged by every With* function.
absl::Status WithReason(absl::Status s, absl::string_view reason);
// One more key/value of the reason's metadata (a key given twice keeps the
// last value).
absl::Status WithMetadata(absl::Status s, absl::string_view key, absl::string_view value);
// The request field the error is about: a path such as "threshold",
// "filter.min_alignment_confidence", "units[3].source".
absl::Status WithField(absl::Status s, absl::string_view field);
// `s` with its field (if any) moved under `prefix`: "source" under "unit"
// reads "unit.source" (a check of a part of the request that does not know
// where the part is).
absl::Status WithFieldPrefix(absl::Status s, absl::string_view prefix);
// When the client may try again.
absl::Status WithRetryAfter(absl::Status s, absl::Duration after);
// A limit that was exceeded: what it applies to ("token 'x'", "max_results",
// "--max-heavy-calls") and the limit in words.
absl::Status WithQuota(absl::Status s, absl::string_view subject, absl::string_view description);
// The resource the error is about, e.g. ("qantara.v1.Memory", "acme/legal").
absl::Status WithResource(absl::Status s, absl::string_view type, absl::string_view name);

// INVALID_ARGUMENT `message` about `field`, with reason `reason`.
absl::Status FieldError(absl::string_view field, absl::string_view message,
                        absl::string_view reason = "INVALID_ARGUMENT");

struct QuotaViolation {
  std::string subject;
  std::string description;
};
struct ResourceRef {
  std::string type;
  std::string name;
};

std::optional<std::string> ErrorReason(const absl::Status& s);
std::vector<std::pair<std::string, std::string>> ErrorMetadata(const absl::Status& s);
std::optional<std::string> ErrorField(const absl::Status& s);
std::optional<absl::Duration> RetryAfter(const absl::Status& s);
std::optional<QuotaViolation> ErrorQuota(const absl::Status& s);
std::optional<ResourceRef> ErrorResource(const absl::Status& s);

// `s` with `message` instead of its own (e.g. a prefix added), its payloads
// kept.
absl::Status WithMessage(const absl::Status& s, absl::string_view message);

}  // namespace qantara

#endif  // QANTARA_SERVICE_BASE_ERROR_DETAILS_H_
