// AccessStore: the server's API tokens, kept in the `access` column family
// (storage/FORMAT.md, format version 4).
//
// Storage does not make, hash or check tokens (service/tm/access.h does): it
// keeps plain records under the token's public id and hands them back. A
// record holds only a hash of the token's secret. Thread-safe (each call is
// one RocksDB read or write).
#ifndef QANTARA_STORAGE_ACCESS_STORE_H_
#define QANTARA_STORAGE_ACCESS_STORE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/store.h"

namespace qantara::storage {

// One API token as stored.
struct TokenRecord {
  std::string id;                     // its public id: 1 to 64 bytes, unique, never reused
  std::string name;                   // the identity it stands for
  std::string secret_hash;            // a hash of its secret (the caller's choice of hash)
  uint8_t role = 0;                   // the caller's role number
  std::vector<std::string> memories;  // memory name patterns in its scope
  int64_t created_at_us = 0;
  int64_t expires_at_us = 0;  // 0: never
  int64_t revoked_at_us = 0;  // 0: live
  std::string created_by;     // the name of the token that made it
  friend bool operator==(const TokenRecord&, const TokenRecord&) = default;
};

// The value encoding of a token record (FORMAT.md, `access`).
std::string EncodeTokenRecord(const TokenRecord& record);
// DataLoss on anything malformed (never reads past the end).
absl::StatusOr<TokenRecord> DecodeTokenRecord(std::string_view id, std::string_view in);

// One entry of the audit trail.
struct AuditEvent {
  int64_t time_us = 0;  // when (microseconds since the Unix epoch); with seq, its key
  uint64_t seq = 0;     // orders events of the same microsecond (the caller's counter)
  std::string who;      // the token's name ("" without access control)
  std::string action;   // the rpc, e.g. "AddUnits", "DeleteMemory", "CreateToken"
  std::string memory;   // the memory acted on, or ""
  uint64_t units = 0;   // units written, deleted, imported or exported
  std::string peer;     // the client's address as gRPC gives it
  std::string outcome;  // "OK" or the status code's name
  std::string detail;   // e.g. the token created or revoked, the backup directory
  friend bool operator==(const AuditEvent&, const AuditEvent&) = default;
};

std::string EncodeAuditEvent(const AuditEvent& event);
absl::StatusOr<AuditEvent> DecodeAuditEvent(std::string_view key, std::string_view value);

class AccessStore {
 public:
  // REQUIRES: `store` is open and outlives the AccessStore.
  explicit AccessStore(Store& store) : store_(store) {}

  // Stores (creates or replaces) the record of token `record.id`.
  // Errors: InvalidArgument (an id of 0 or more than 64 bytes), the
  // store's write errors.
  absl::Status PutToken(const TokenRecord& record);

  // Every token record, by id. Errors: DataLoss (a corrupt record, named).
  absl::StatusOr<std::vector<TokenRecord>> ListTokens();

  // Appends an event to the audit trail.
  absl::Status AppendAudit(const AuditEvent& event);
  // Events from `since_us` on, oldest first: those `keep` accepts (all when
  // it is empty), up to `limit`, reading at most `scan_limit` (a filter that
  // matches little stays bounded). `from_key` (a previous *next_key) resumes
  // a listing. *next_key is the key to resume from, "" at the end.
  absl::StatusOr<std::vector<AuditEvent>> ListAudit(int64_t since_us, const std::string& from_key,
                                                    size_t limit, size_t scan_limit,
                                                    const std::function<bool(const AuditEvent&)>& keep,
                                                    std::string* next_key);
  // Deletes the events before `before_us` (rotation by age).
  absl::Status DeleteAuditBefore(int64_t before_us);

 private:
  Store& store_;
};

}  // namespace qantara::storage

#endif  // QANTARA_STORAGE_ACCESS_STORE_H_
