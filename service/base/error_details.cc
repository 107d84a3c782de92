// The payloads of service/base/error_details.h. A payload holding several
// strings is each as "<length>:<bytes>", one after the other.
#include "service/base/error_details.h"

#include <cstdint>

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace qantara {
namespace {

void Append(std::string* out, absl::string_view part) { absl::StrAppend(out, part.size(), ":", part); }

std::string Pack(std::initializer_list<absl::string_view> parts) {
  std::string out;
  for (absl::string_view p : parts) Append(&out, p);
  return out;
}

// The strings of a packed payload; empty when it is not one.
std::vector<std::string> Unpack(absl::string_view data) {
  std::vector<std::string> parts;
  while (!data.empty()) {
    const size_t colon = data.find(':');
    uint64_t n = 0;
    if (colon == absl::string_view::npos || !absl::SimpleAtoi(data.substr(0, colon), &n) ||
        n > data.size() - colon - 1) {
      return {};
    }
    parts.emplace_back(data.substr(colon + 1, n));
    data.remove_prefix(colon + 1 + n);
  }
  return parts;
}

std::optional<std::string> Payload(const absl::Status& s, absl::string_view url) {
  auto p = s.GetPayload(url);  // absl::optional in Debian's Abseil
  if (!p.has_value()) return std::nullopt;
  return std::string(*p);
}

absl::Status Set(absl::Status s, absl::string_view url, std::string value) {
  if (!s.ok()) s.SetPayload(url, absl::Cord(std::move(value)));
  return s;
}

}  // namespace

absl::Status WithReason(absl::Status s, absl::string_view reason) {
  return Set(std::move(s), kReasonPayload, std::string(reason));
}

absl::Status WithMetadata(absl::Status s, absl::string_view key, absl::string_view value) {
  if (s.ok()) return s;
  std::string packed;
  for (const auto& [k, v] : ErrorMetadata(s)) {
    if (k != key) absl::StrAppend(&packed, Pack({k, v}));
  }
  absl::StrAppend(&packed, Pack({key, value}));
  return Set(std::move(s), kMetadataPayload, std::move(packed));
}

absl::Status WithField(absl::Status s, absl::string_view field) {
  return Set(std::move(s), kFieldPayload, std::string(field));
}

absl::Status WithFieldPrefix(absl::Status s, absl::string_view prefix) {
  std::optional<std::string> field = ErrorField(s);
  if (!field.has_value()) return s;
  return WithField(std::move(s), field->empty() ? std::string(prefix) : absl::StrCat(prefix, ".", *field));
}

absl::Status WithRetryAfter(absl::Status s, absl::Duration after) {
  return Set(std::move(s), kRetryPayload, absl::StrCat(absl::ToInt64Nanoseconds(after)));
}

absl::Status WithQuota(absl::Status s, absl::string_view subject, absl::string_view description) {
  return Set(std::move(s), kQuotaPayload, Pack({subject, description}));
}

absl::Status WithResource(absl::Status s, absl::string_view type, absl::string_view name) {
  return Set(std::move(s), kResourcePayload, Pack({type, name}));
}

absl::Status FieldError(absl::string_view field, absl::string_view message, absl::string_view reason) {
  return WithReason(WithField(absl::InvalidArgumentError(message), field), reason);
}

std::optional<std::string> ErrorReason(const absl::Status& s) { return Payload(s, kReasonPayload); }

std::vector<std::pair<std::string, std::string>> ErrorMetadata(const absl::Status& s) {
  std::vector<std::pair<std::string, std::string>> out;
  std::optional<std::string> p = Payload(s, kMetadataPayload);
  if (!p.has_value()) return out;
  std::vector<std::string> parts = Unpack(*p);
  for (size_t i = 0; i + 1 < parts.size(); i += 2) out.emplace_back(parts[i], parts[i + 1]);
  return out;
}

std::optional<std::string> ErrorField(const absl::Status& s) { return Payload(s, kFieldPayload); }

std::optional<absl::Duration> RetryAfter(const absl::Status& s) {
  std::optional<std::string> p = Payload(s, kRetryPayload);
  int64_t ns = 0;
  if (!p.has_value() || !absl::SimpleAtoi(*p, &ns)) return std::nullopt;
  return absl::Nanoseconds(ns);
}

std::optional<QuotaViolation> ErrorQuota(const absl::Status& s) {
  std::optional<std::string> p = Payload(s, kQuotaPayload);
  if (!p.has_value()) return std::nullopt;
  std::vector<std::string> parts = Unpack(*p);
  if (parts.size() != 2) return std::nullopt;
  return QuotaViolation{std::move(parts[0]), std::move(parts[1])};
}

std::optional<ResourceRef> ErrorResource(const absl::Status& s) {
  std::optional<std::string> p = Payload(s, kResourcePayload);
  if (!p.has_value()) return std::nullopt;
  std::vector<std::string> parts = Unpack(*p);
  if (parts.size() != 2) return std::nullopt;
  return ResourceRef{std::move(parts[0]), std::move(parts[1])};
}

absl::Status WithMessage(const absl::Status& s, absl::string_view message) {
  if (s.ok()) return s;
  absl::Status out(s.code(), message);
  s.ForEachPayload([&out](absl::string_view url, const absl::Cord& value) { out.SetPayload(url, value); });
  return out;
}

}  // namespace qantara
