// RequestStore: the responses of recent mutating calls, by the caller's
// request id (idempotency keys), kept in the `requests` column family
// (storage/FORMAT.md, format version 5).
//
// Storage neither serialises nor compares requests: the caller hands it an
// opaque response and a hash of the request, and gets them back. Records
// older than the caller's retention are deleted by DeleteBefore. Thread-safe
// (each call is one RocksDB read, or one write batch).
#ifndef QANTARA_STORAGE_REQUEST_STORE_H_
#define QANTARA_STORAGE_REQUEST_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/store.h"

namespace qantara::storage {

// One remembered call.
struct RequestRecord {
  std::string scope;          // whose id it is (e.g. the token's name; "" without access control)
  std::string id;             // the request id, 1 to 128 bytes
  int64_t time_us = 0;        // when the call ended (microseconds since the epoch)
  std::string method;         // the rpc, e.g. "AddUnits"
  uint64_t request_hash = 0;  // the caller's hash of the request (without its id)
  std::string response;       // the response as the caller serialised it
  friend bool operator==(const RequestRecord&, const RequestRecord&) = default;
};

std::string EncodeRequestRecord(const RequestRecord& record);
// DataLoss on anything malformed (never reads past the end).
absl::StatusOr<RequestRecord> DecodeRequestRecord(std::string_view key, std::string_view value);

class RequestStore {
 public:
  // REQUIRES: `store` is open and outlives the RequestStore.
  explicit RequestStore(Store& store) : store_(store) {}

  // The record of (scope, id), if any.
  absl::StatusOr<std::optional<RequestRecord>> Get(std::string_view scope, std::string_view id);
  // Stores (or replaces) a record and its entry in the expiry index, in one
  // batch. Errors: InvalidArgument (an empty id, or one over 128 bytes; a
  // scope over 256 bytes), the store's write errors.
  absl::Status Put(const RequestRecord& record);
  // Deletes the records that ended before `before_us`, at most `max` of
  // them (oldest first); returns how many it deleted.
  absl::StatusOr<uint64_t> DeleteBefore(int64_t before_us, uint64_t max);

 private:
  Store& store_;
};

}  // namespace qantara::storage

#endif  // QANTARA_STORAGE_REQUEST_STORE_H_
