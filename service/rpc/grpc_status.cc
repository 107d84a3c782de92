// Mapping absl::Status codes and messages to grpc::Status at the API edge:
// bounded, without the server's paths, internal errors by request id.
#include "service/rpc/grpc_status.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "service/base/error_details.h"

namespace qantara::rpc {

namespace {

// Longest message sent: a message may quote what the client sent (a
// memory name, a language tag), and gRPC carries it in a header whose size
// clients limit (8 KiB by default); a longer one would fail the client's
// read of the status instead of telling it what was wrong.
constexpr size_t kMaxMessageBytes = 1024;

struct Config {
  std::vector<std::string> hidden;  // longest first
  void (*log)(const std::string&) = nullptr;
};

absl::Mutex config_mu;
Config* config ABSL_GUARDED_BY(config_mu) = nullptr;

std::string Bounded(absl::string_view message) {
  if (message.size() <= kMaxMessageBytes) return std::string(message);
  size_t cut = kMaxMessageBytes - 64;
  while (cut > 0 && (static_cast<unsigned char>(message[cut]) & 0xC0) == 0x80) --cut;  // a UTF-8 boundary
  return absl::StrCat(message.substr(0, cut), "... (", message.size() - cut,
                      " more bytes of this message cut)");
}

std::string RequestId() {
  thread_local absl::BitGen gen;
  return absl::StrFormat("%016x", absl::Uniform<uint64_t>(gen));
}

}  // namespace

void ConfigureClientErrors(const std::string& data_dir, void (*log)(const std::string& line)) {
  auto* c = new Config;
  c->log = log;
  std::error_code ec;
  for (std::string p : {data_dir, std::filesystem::absolute(data_dir, ec).lexically_normal().string(),
                        std::filesystem::weakly_canonical(data_dir, ec).string()}) {
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    if (p.size() > 1) c->hidden.push_back(p);
  }
  std::sort(c->hidden.begin(), c->hidden.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  absl::MutexLock l(&config_mu);
  delete config;
  config = c;
}

namespace {

constexpr absl::string_view kDomain = "qantara.v1";
// Longest string of the details besides the message (names, metadata).
constexpr size_t kMaxDetailBytes = 256;

// The data dir's paths to hide, and the log of internal errors.
std::vector<std::string> Hidden(void (**log)(const std::string&)) {
  absl::MutexLock l(&config_mu);
  if (config == nullptr) return {};
  if (log != nullptr) *log = config->log;
  return config->hidden;
}

std::string Redact(absl::string_view text, const std::vector<std::string>& hidden) {
  std::string out(text);
  for (const std::string& p : hidden) {
    out = absl::StrReplaceAll(out, {{absl::StrCat("data dir ", p), "data dir"}});
    out = absl::StrReplaceAll(out, {{p, "the data dir"}});
  }
  return out;
}

std::string Cut(absl::string_view text, size_t max) {
  if (text.size() <= max) return std::string(text);
  size_t cut = max - 3;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return absl::StrCat(text.substr(0, cut), "...");
}

bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsIdent(char c) { return IsLower(c) || (c >= '0' && c <= '9') || c == '_'; }

// The request field path `message` starts with: snake_case names joined by
// '.', each optionally indexed ("units[3]", "memory_penalties[m]"), followed
// by ":", " must " or " is ".
std::optional<std::string> FieldOfMessage(absl::string_view m) {
  size_t i = 0;
  while (true) {
    if (i >= m.size() || !IsLower(m[i])) return std::nullopt;
    while (i < m.size() && IsIdent(m[i])) ++i;
    if (i < m.size() && m[i] == '[') {
      const size_t close = m.find(']', i);
      if (close == absl::string_view::npos || close - i > kMaxDetailBytes) return std::nullopt;
      i = close + 1;
    }
    if (i < m.size() && m[i] == '.' && i + 1 < m.size() && IsLower(m[i + 1])) {
      ++i;
      continue;
    }
    break;
  }
  const absl::string_view rest = m.substr(i);
  if (absl::StartsWith(rest, ":") || absl::StartsWith(rest, " must ") || absl::StartsWith(rest, " is ")) {
    return std::string(m.substr(0, i));
  }
  return std::nullopt;
}

// What the message of a NOT_FOUND names: (reason, resource type, name).
struct Missing {
  const char* reason;
  const char* type;
  std::string name;
};
std::optional<Missing> MissingOfMessage(absl::string_view m) {
  constexpr absl::string_view kMemory = "no memory named '";
  if (size_t at = m.find(kMemory); at != absl::string_view::npos) {
    absl::string_view name = m.substr(at + kMemory.size());
    if (size_t end = name.rfind('\''); end != absl::string_view::npos) name = name.substr(0, end);
    return Missing{"MEMORY_NOT_FOUND", "qantara.v1.Memory", std::string(name)};
  }
  constexpr absl::string_view kUnit = "no unit ";
  if (size_t at = m.find(kUnit); at != absl::string_view::npos) {
    absl::string_view id = m.substr(at + kUnit.size());
    size_t n = 0;
    while (n < id.size() && id[n] >= '0' && id[n] <= '9') ++n;
    if (n > 0) return Missing{"UNIT_NOT_FOUND", "qantara.v1.Unit", std::string(id.substr(0, n))};
  }
  return std::nullopt;
}

template <typename T>
void AddDetail(google::rpc::Status& status, const T& detail) {
  status.add_details()->PackFrom(detail);
}

// The serialized google.rpc.Status for a status of `code` whose client
// message is `message`, with the payloads of `source` (nullptr: none).
std::string Details(absl::StatusCode code, const std::string& message, const absl::Status* source,
                    const std::string& request_id, const std::vector<std::string>& hidden) {
  auto clean = [&hidden](absl::string_view text, size_t max = kMaxDetailBytes) {
    return Cut(Redact(text, hidden), max);
  };
  google::rpc::Status status;
  status.set_code(static_cast<int32_t>(code));
  status.set_message(message);

  google::rpc::ErrorInfo info;
  info.set_domain(std::string(kDomain));
  if (code == absl::StatusCode::kInternal || code == absl::StatusCode::kDataLoss ||
      code == absl::StatusCode::kUnknown) {
    info.set_reason("INTERNAL");
    if (!request_id.empty()) (*info.mutable_metadata())["request_id"] = request_id;
    AddDetail(status, info);
    return status.SerializeAsString();
  }
  const std::optional<std::string> reason = source != nullptr ? ErrorReason(*source) : std::nullopt;
  std::optional<Missing> missing;
  if (code == absl::StatusCode::kNotFound) missing = MissingOfMessage(message);
  if (reason.has_value() && !reason->empty()) {
    info.set_reason(clean(*reason));
  } else if (missing.has_value()) {
    info.set_reason(missing->reason);
  } else {
    info.set_reason(absl::StatusCodeToString(code));
  }
  if (source != nullptr) {
    for (const auto& [key, value] : ErrorMetadata(*source)) {
      (*info.mutable_metadata())[clean(key)] = clean(value);
    }
  }
  AddDetail(status, info);

  std::optional<std::string> field = source != nullptr ? ErrorField(*source) : std::nullopt;
  if (!field.has_value() &&
      (code == absl::StatusCode::kInvalidArgument || code == absl::StatusCode::kOutOfRange)) {
    field = FieldOfMessage(message);
  }
  if (field.has_value()) {
    google::rpc::BadRequest bad;
    google::rpc::BadRequest::FieldViolation* v = bad.add_field_violations();
    v->set_field(clean(*field));
    v->set_description(message);
    AddDetail(status, bad);
  }

  std::optional<absl::Duration> retry = source != nullptr ? RetryAfter(*source) : std::nullopt;
  if (!retry.has_value() &&
      (code == absl::StatusCode::kUnavailable ||
       ((code == absl::StatusCode::kAborted || code == absl::StatusCode::kResourceExhausted) &&
        absl::StrContains(message, "retry")))) {
    retry = absl::Seconds(1);
  }
  if (retry.has_value()) {
    google::rpc::RetryInfo r;
    const absl::Duration d = std::max(*retry, absl::ZeroDuration());
    r.mutable_retry_delay()->set_seconds(absl::ToInt64Seconds(d));
    r.mutable_retry_delay()->set_nanos(
        static_cast<int32_t>(absl::ToInt64Nanoseconds(d - absl::Seconds(absl::ToInt64Seconds(d)))));
    AddDetail(status, r);
  }

  if (std::optional<QuotaViolation> q = source != nullptr ? ErrorQuota(*source) : std::nullopt) {
    google::rpc::QuotaFailure quota;
    google::rpc::QuotaFailure::Violation* v = quota.add_violations();
    v->set_subject(clean(q->subject));
    v->set_description(clean(q->description, 2 * kMaxDetailBytes));
    AddDetail(status, quota);
  }

  std::optional<ResourceRef> resource = source != nullptr ? ErrorResource(*source) : std::nullopt;
  if (!resource.has_value() && missing.has_value()) resource = ResourceRef{missing->type, missing->name};
  if (resource.has_value()) {
    google::rpc::ResourceInfo r;
    r.set_resource_type(clean(resource->type));
    r.set_resource_name(clean(resource->name));
    r.set_description(message);
    AddDetail(status, r);
  }
  return status.SerializeAsString();
}

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& s) {
  if (s.ok()) return grpc::Status::OK;
  const auto code = static_cast<grpc::StatusCode>(s.code());
  void (*log)(const std::string&) = nullptr;
  const std::vector<std::string> hidden = Hidden(&log);
  if (s.code() == absl::StatusCode::kInternal || s.code() == absl::StatusCode::kDataLoss ||
      s.code() == absl::StatusCode::kUnknown) {
    const std::string id = RequestId();
    const std::string line =
        absl::StrCat("request ", id, ": ", absl::StatusCodeToString(s.code()), ": ", s.message());
    if (log != nullptr) {
      log(line);
    } else {
      std::fprintf(stderr, "%s\n", line.c_str());
    }
    const std::string message =
        absl::StrCat(s.code() == absl::StatusCode::kDataLoss ? "data loss" : "internal error",
                     " (request id ", id, ": the server's log has the details)");
    return grpc::Status(code, message, Details(s.code(), message, &s, id, hidden));
  }
  const std::string message = Bounded(Redact(s.message(), hidden));
  return grpc::Status(code, message, Details(s.code(), message, &s, "", hidden));
}

grpc::Status WithErrorDetails(const grpc::Status& s) {
  if (s.ok() || !s.error_details().empty()) return s;
  const std::vector<std::string> hidden = Hidden(nullptr);
  const std::string message = Bounded(Redact(s.error_message(), hidden));
  std::string id;
  constexpr char kId[] = "request id ";
  if (size_t at = message.find(kId); at != std::string::npos) {
    id = message.substr(at + sizeof(kId) - 1, 16);
  }
  return grpc::Status(s.error_code(), message,
                      Details(static_cast<absl::StatusCode>(s.error_code()), message, nullptr, id, hidden));
}

}  // namespace qantara::rpc
