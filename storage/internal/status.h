// Conversion of RocksDB statuses into absl::Status (internal to storage/).
#ifndef QANTARA_STORAGE_INTERNAL_STATUS_H_
#define QANTARA_STORAGE_INTERNAL_STATUS_H_

#include <string_view>

#include "absl/status/status.h"
#include "rocksdb/status.h"

namespace qantara::storage {

// Maps `s` (not OK) to an absl::Status whose message starts with `what`.
// A held LOCK file (another process on the same directory) becomes
// FailedPrecondition with a message that says so.
absl::Status FromRocks(const rocksdb::Status& s, std::string_view what);

}  // namespace qantara::storage

#endif  // QANTARA_STORAGE_INTERNAL_STATUS_H_
