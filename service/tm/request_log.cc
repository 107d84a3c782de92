// RequestLog: remembered responses by request id, with in-flight exclusion.
#include "service/tm/request_log.h"

#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "service/base/error_details.h"
#include "service/base/status_macros.h"

namespace qantara::tm {
namespace {

constexpr size_t kMaxRequestIdBytes = 128;
constexpr uint64_t kExpireBatch = 10000;

std::string Key(const std::string& scope, const std::string& id) {
  return absl::StrCat(scope.size(), ":", scope, id);
}

}  // namespace

absl::Status ValidateRequestId(absl::string_view id) {
  if (id.empty() || id.size() > kMaxRequestIdBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("request_id must be 1 to ", kMaxRequestIdBytes, " bytes, not ", id.size()));
  }
  for (char c : id) {
    if (c <= ' ' || c > '~') {
      return absl::InvalidArgumentError(
          absl::StrCat("request_id must be printable ASCII without spaces (a UUID, say); it holds byte 0x",
                       absl::Hex(static_cast<unsigned char>(c), absl::kZeroPad2)));
    }
  }
  return absl::OkStatus();
}

RequestLog::RequestLog(storage::Store& store, absl::Duration retention)
    : store_(store), retention_(retention) {}

absl::StatusOr<std::optional<std::string>> RequestLog::Begin(const std::string& scope, const std::string& id,
                                                             absl::string_view method, uint64_t hash) {
  QANTARA_RETURN_IF_ERROR(ValidateRequestId(id));
  const std::string key = Key(scope, id);
  {
    // Claimed before the read: a second call with the id is refused while
    // the first runs (Finish stores the record before it lets go).
    absl::MutexLock l(&mu_);
    if (!in_flight_.insert(key).second) {
      absl::Status busy = absl::AbortedError(
          absl::StrCat("a call with request_id '", id,
                       "' is still running: retry once it has ended (the retry then gets its "
                       "response)"));
      return WithRetryAfter(WithReason(std::move(busy), "REQUEST_IN_PROGRESS"), absl::Seconds(1));
    }
  }
  auto release = [&] {
    absl::MutexLock l(&mu_);
    in_flight_.erase(key);
  };
  absl::StatusOr<std::optional<storage::RequestRecord>> rec = store_.Get(scope, id);
  if (!rec.ok()) {
    release();
    return rec.status();
  }
  if (rec->has_value() && (*rec)->time_us >= absl::ToUnixMicros(absl::Now() - retention_)) {
    release();
    if ((*rec)->method != method || (*rec)->request_hash != hash) {
      absl::Status reused = absl::InvalidArgumentError(absl::StrCat(
          "request_id '", id, "' was already used for ",
          (*rec)->method != method ? absl::StrCat("a ", (*rec)->method, " call") : "a different request",
          " within the last ", absl::FormatDuration(retention_), ": use a new request_id for a new request"));
      return WithField(WithReason(std::move(reused), "REQUEST_ID_REUSED"), "request_id");
    }
    return std::optional<std::string>(std::move((*rec)->response));
  }
  return std::optional<std::string>();
}

absl::Status RequestLog::Finish(const std::string& scope, const std::string& id, absl::string_view method,
                                uint64_t hash, const std::string* response) {
  absl::Status s = absl::OkStatus();
  if (response != nullptr) {
    storage::RequestRecord rec;
    rec.scope = scope;
    rec.id = id;
    rec.time_us = absl::ToUnixMicros(absl::Now());
    rec.method = std::string(method);
    rec.request_hash = hash;
    rec.response = *response;
    s = store_.Put(rec);
  }
  bool expire = false;
  {
    absl::MutexLock l(&mu_);
    in_flight_.erase(Key(scope, id));
    expire = ++finished_ % 256 == 0;
  }
  if (expire) {
    if (absl::StatusOr<uint64_t> n = Expire(); !n.ok() && s.ok()) s = n.status();
  }
  return s;
}

absl::StatusOr<uint64_t> RequestLog::Expire() {
  return store_.DeleteBefore(absl::ToUnixMicros(absl::Now() - retention_), kExpireBatch);
}

}  // namespace qantara::tm
