// RequestLog: idempotency keys. A mutating call carrying a request id is
// carried out once: its response is remembered (durably, storage::
// RequestStore) under the caller's scope and the id, and a repeat of the
// call within the retention gets that response back instead of a second
// execution.
//
// The log is proto-free: the edge hands it the method name, a stable hash
// of the request (without its id) and the serialised response.
#ifndef QANTARA_SERVICE_TM_REQUEST_LOG_H_
#define QANTARA_SERVICE_TM_REQUEST_LOG_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "storage/request_store.h"

namespace qantara::tm {

// InvalidArgument unless `id` is 1 to 128 bytes of printable ASCII (no
// space).
absl::Status ValidateRequestId(absl::string_view id);

class RequestLog {
 public:
  // REQUIRES: `store` outlives the log. Records are kept `retention`.
  RequestLog(storage::Store& store, absl::Duration retention);

  // Starts call (scope, id) of `method` whose request hashes to `hash`:
  //  - a remembered call: its response (the call is not to be carried out);
  //  - none: nullopt, and the id is held until Finish (a concurrent call
  //    with the same id then fails Aborted: retry it later).
  // Errors: InvalidArgument (a bad id; the id was used for another method
  // or another request within the retention), the store's read errors.
  absl::StatusOr<std::optional<std::string>> Begin(const std::string& scope, const std::string& id,
                                                   absl::string_view method, uint64_t hash);
  // Ends a call Begin returned nullopt for: remembers `response` when given
  // (a call that failed passes nullptr: a retry runs it again). Errors: the
  // store's write errors (the call's own result stands).
  absl::Status Finish(const std::string& scope, const std::string& id, absl::string_view method,
                      uint64_t hash, const std::string* response);
  // Deletes records older than the retention (some at a time; called by
  // Finish every 256 calls and at start). Returns how many it deleted.
  absl::StatusOr<uint64_t> Expire();

  absl::Duration retention() const { return retention_; }

 private:
  storage::RequestStore store_;
  const absl::Duration retention_;
  absl::Mutex mu_;
  absl::flat_hash_set<std::string> in_flight_ ABSL_GUARDED_BY(mu_);
  uint64_t finished_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace qantara::tm

#endif  // QANTARA_SERVICE_TM_REQUEST_LOG_H_
